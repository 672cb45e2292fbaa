//! A test-only probe: runs the explorer on the given paths and panics once the load is
//! done, so the end-to-end tests can prove the terminal is restored after a panic.

use std::path::PathBuf;

use trailscope::load::LoadOptions;
use trailscope::tui::{run_observed, Inputs};

fn main() -> std::io::Result<()> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    run_observed(
        Inputs::Paths(paths),
        LoadOptions::default(),
        String::new(),
        |app| {
            if !app.loading {
                panic!("probe: a panic while the explorer runs");
            }
        },
    )?;
    Ok(())
}
