//! `trailscope check`: per input the shape found, its events, digests and problems.

use std::io::{self, Write};

use super::{load, plural, require_paths, to_stdout, Status};
use crate::cli::{CheckArgs, LoadArgs};
use trailscope::load::LoadReport;
use trailscope::output::{self, Format, Records, Report};
use trailscope::text::sanitize;

pub(super) fn check(args: CheckArgs, load_args: &LoadArgs) -> anyhow::Result<Status> {
    require_paths(&args.paths, load_args)?;
    let mut loaded = load(&args.paths, load_args);
    // The databases checked through, which a load does not do (it costs a pass over each).
    let broken: Vec<_> = loaded
        .places
        .verify()
        .into_iter()
        .map(|(path, detail)| trailscope::error::Error::Lookup { path, detail })
        .filter(|p| {
            let text = p.to_string();
            !loaded
                .report
                .lookup_problems
                .iter()
                .any(|q| q.to_string() == text)
        })
        .collect();
    loaded.report.lookup_problems.extend(broken);
    let checked = Checked {
        report: &loaded.report,
        events: loaded.store.len(),
        lookups: loaded.places.sources(),
    };
    to_stdout(|out| output::write_report(out, &checked, args.output))?;
    Ok(loaded.status())
}

/// What `check` found: per input its shapes, events, digests, copies and problems.
struct Checked<'a> {
    report: &'a LoadReport,
    /// Events in the index, after copies collapsed.
    events: usize,
    /// The lookup files read, a line each.
    lookups: Vec<String>,
}

impl Report for Checked<'_> {
    /// A record per input (the problems of finding inputs first, each named by its text).
    fn records(&self) -> Records {
        let names = [
            "input",
            "shape",
            "events",
            "digests",
            "copies",
            "conflicts",
            "problems",
        ];
        let mut rows: Vec<Vec<serde_json::Value>> = self
            .report
            .discovery_problems
            .iter()
            .chain(&self.report.lookup_problems)
            .map(|p| {
                let mut row = vec![serde_json::Value::Null; names.len()];
                row[names.len() - 1] = p.to_string().into();
                row
            })
            .collect();
        rows.extend(self.report.inputs.iter().map(|input| {
            let shape = match input.ignored {
                true => "ignored".to_string(),
                false => shapes(input),
            };
            let problems: Vec<String> = input.problems.iter().map(|p| p.to_string()).collect();
            vec![
                input.name.clone().into(),
                shape.into(),
                input.events.into(),
                input.digests.into(),
                input.duplicates.into(),
                input.conflicts.into(),
                problems.join("; ").into(),
            ]
        }));
        Records {
            columns: names.iter().map(|n| n.to_string()).collect(),
            rows,
        }
    }

    fn write_as(&self, out: &mut dyn Write, format: Format) -> Option<io::Result<()>> {
        (format == Format::Table).then(|| table(out, self))
    }
}

/// The lookup files read, or where they would be found.
fn lookups(out: &mut dyn Write, found: &[String]) -> io::Result<()> {
    if found.is_empty() {
        let dir = trailscope::places::default_dir().map_or_else(
            || "$XDG_DATA_HOME/trailscope".into(),
            |d| d.display().to_string(),
        );
        return writeln!(
            out,
            "lookups: none, so no asn:, org:, country:, city:, travel:, iptype:aws or \
             iptype:tor (MaxMind .mmdb files in {}, ip-ranges.json and tor-exits.txt \
             beside them, or --geoip, --ip-ranges, --tor-exits)",
            sanitize(&format!("{dir}/geoip/")),
        );
    }
    for line in found {
        writeln!(out, "lookup: {}", sanitize(line))?;
    }
    Ok(())
}

/// The shapes an input holds, as `check` names them.
fn shapes(input: &trailscope::load::InputReport) -> String {
    let shapes: Vec<&str> = input.shapes.iter().map(|s| s.label()).collect();
    if shapes.is_empty() {
        "no shape".to_string()
    } else {
        shapes.join(" + ")
    }
}

/// `check`'s table: a line per input, its problems under it, and the totals.
fn table(out: &mut dyn Write, checked: &Checked<'_>) -> io::Result<()> {
    let (report, events) = (checked.report, checked.events);
    for problem in report
        .discovery_problems
        .iter()
        .chain(&report.lookup_problems)
    {
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
        let shapes = shapes(input);
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
    lookups(out, &checked.lookups)?;
    let problems = report.problems().count();
    let conflicts: usize = report.inputs.iter().map(|i| i.conflicts).sum();
    writeln!(
        out,
        "{}, {} ({} collapsed, {} differing copies kept), {}, {}",
        plural(report.inputs.len(), "input"),
        plural(events, "event"),
        plural(report.duplicates, "duplicate"),
        conflicts,
        plural(report.digests, "digest"),
        plural(problems, "problem"),
    )
}
