//! `trailscope stats --by A,B`: events per pair of values.

use anyhow::bail;

use super::{open_inputs, to_stdout, Status};
use crate::cli::{LoadArgs, StatsArgs};
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
    let names = [names[0].trim(), names[1].trim()];
    to_stdout(|out| output::write_report(out, &output::pairs(names, &pairs), args.output))?;
    Ok(status)
}
