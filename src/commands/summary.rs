//! `trailscope summary`: what the explorer's `s` shows, headless.

use super::{open_inputs, parse_filter, require_paths, to_stdout, Status};
use crate::cli::{LoadArgs, SummaryArgs};

pub(super) fn summary(args: SummaryArgs, load_args: &LoadArgs) -> anyhow::Result<Status> {
    require_paths(&args.selection.paths, load_args)?;
    let expr = parse_filter(args.selection.filter.as_deref())?;
    let (loaded, status) = open_inputs(&args.selection.paths, load_args, expr.uses_detections())?;
    let rows = expr.rows(&loaded.store, &loaded.session);
    let overview = trailscope::overview::overview(&loaded.store, &rows, args.top);
    to_stdout(|out| trailscope::output::write_report(out, &overview, args.output))?;
    Ok(status)
}
