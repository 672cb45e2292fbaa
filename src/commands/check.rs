//! `trailscope check`: per input the shape found, its events, digests and problems.

use super::{load, plural, require_paths, to_stdout, Status};
use crate::cli::{CheckArgs, LoadArgs};
use trailscope::text::sanitize;

pub(super) fn check(args: CheckArgs, load_args: &LoadArgs) -> anyhow::Result<Status> {
    require_paths(&args.paths, load_args)?;
    let loaded = load(&args.paths, load_args);
    let report = &loaded.report;
    to_stdout(|out| {
        for problem in &report.discovery_problems {
            writeln!(out, "{}", sanitize(&problem.to_string()))?;
        }
        for input in &report.inputs {
            let name = trailscope::text::sanitize(&input.name);
            if input.ignored {
                let why = if trailscope::source::is_marker(&input.name) {
                    "a marker file"
                } else {
                    "empty or not JSON"
                };
                writeln!(out, "{name}: ignored ({why})")?;
                continue;
            }
            let shapes: Vec<&str> = input.shapes.iter().map(|s| s.label()).collect();
            let shapes = if shapes.is_empty() {
                "no shape".to_string()
            } else {
                shapes.join(" + ")
            };
            let verdict = match input.problems.len() {
                0 => "ok".to_string(),
                n => plural(n, "problem"),
            };
            let mut copies = String::new();
            if input.duplicates > 0 {
                copies.push_str(&format!(", {} collapsed as copies", input.duplicates));
            }
            if input.conflicts > 0 {
                copies.push_str(&format!(
                    ", {} differing from a copy (kept, dup:conflict)",
                    input.conflicts
                ));
            }
            for (field, n) in &input.times_from {
                copies.push_str(&format!(
                    ", {} without eventTime timed by `{field}`",
                    plural(*n, "event")
                ));
            }
            writeln!(
                out,
                "{name}: {shapes}, {}, {}{copies}, {verdict}",
                plural(input.events, "event"),
                plural(input.digests, "digest"),
            )?;
            for problem in &input.problems {
                writeln!(
                    out,
                    "  {}",
                    trailscope::text::sanitize(&problem.to_string())
                )?;
            }
        }
        let problems = report.problems().count();
        let conflicts: usize = report.inputs.iter().map(|i| i.conflicts).sum();
        writeln!(
            out,
            "{}, {} ({} collapsed, {} differing copies kept), {}, {}",
            plural(report.inputs.len(), "input"),
            plural(loaded.store.len(), "event"),
            plural(report.duplicates, "duplicate"),
            conflicts,
            plural(report.digests, "digest"),
            plural(problems, "problem"),
        )
    })?;
    Ok(loaded.status())
}
