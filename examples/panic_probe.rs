//! A test-only probe: runs the explorer on the given paths and panics once the load is
//! done (or aborts, with `--abort` first), so the end-to-end tests can prove the terminal is
//! restored after a panic and after an abort.

use std::path::PathBuf;

use trailscope::load::LoadOptions;
use trailscope::tui::{run_observed, Inputs};

fn main() -> std::io::Result<()> {
    let mut args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let abort = args.first().is_some_and(|a| a.as_os_str() == "--abort");
    if abort {
        args.remove(0);
    }
    let paths = args;
    run_observed(
        Inputs::Paths(paths),
        LoadOptions::default(),
        String::new(),
        trailscope::detect::RuleSet::default(),
        None,
        |app| {
            if !app.status.loading && abort {
                std::process::abort();
            }
            if !app.status.loading {
                panic!("probe: a panic while the explorer runs");
            }
        },
    )?;
    Ok(())
}
