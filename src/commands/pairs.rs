//! `trailscope stats --by A,B`: events per pair of values.

use anyhow::bail;

use super::{open_inputs, to_stdout, Status};
use crate::cli::{LoadArgs, StatsArgs, StatsFormat};
use trailscope::output;
use trailscope::query::{Expr, Field};
use trailscope::stats;
use trailscope::text::sanitize;

/// `stats --by A,B`: events per pair of values, with the first and last time of each.
pub(super) fn stats_pairs(
    args: &StatsArgs,
    names: [&str; 2],
    expr: &Expr,
    load_args: &LoadArgs,
) -> anyhow::Result<Status> {
    let mut fields = Vec::new();
    for name in names {
        match Field::from_name(name.trim()) {
            Some(Field::Path(_)) => bail!(
                "--by {}: a pair takes named fields, not JSON paths",
                sanitize(&args.by)
            ),
            Some(field) => fields.push(field),
            None => bail!(
                "unknown field `{}` for --by; known fields: {}",
                sanitize(name),
                Field::known_list()
            ),
        }
    }
    let detections = expr.uses_detections() || fields.iter().any(|f| f.uses_detections());
    let (loaded, status) = open_inputs(&args.selection.paths, load_args, detections)?;
    let rows = expr.rows(&loaded.store, &loaded.session);
    let mut pairs = stats::count_pairs(
        &loaded.store,
        &loaded.session,
        &rows,
        [&fields[0], &fields[1]],
    )?;
    if let Some(top) = args.top {
        pairs.truncate(top);
    }
    let when = |t: Option<i64>| t.map(trailscope::event::format_time).unwrap_or_default();
    to_stdout(|out| match args.output {
        StatsFormat::Table => {
            for p in &pairs {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    sanitize(&p.values[0]),
                    sanitize(&p.values[1]),
                    p.count,
                    when(p.first),
                    when(p.last)
                )?;
            }
            Ok(())
        }
        StatsFormat::Json => {
            let list: Vec<serde_json::Value> = pairs
                .iter()
                .map(|p| {
                    serde_json::json!({
                        names[0].trim(): p.values[0], names[1].trim(): p.values[1],
                        "count": p.count, "first": when(p.first), "last": when(p.last),
                    })
                })
                .collect();
            let json = serde_json::Value::Array(list).to_string();
            writeln!(out, "{}", output::minify(&json))
        }
        StatsFormat::Csv => {
            let mut csv = output::csv_writer(out);
            csv.write_record([names[0].trim(), names[1].trim(), "count", "first", "last"])?;
            for p in &pairs {
                csv.write_record([
                    output::csv_safe(&p.values[0]),
                    output::csv_safe(&p.values[1]),
                    p.count.to_string(),
                    when(p.first),
                    when(p.last),
                ])?;
            }
            csv.flush()
        }
    })?;
    Ok(status)
}
