//! The explorer (placeholder until the TUI lands).
use crate::store::LoadOptions;
use std::path::PathBuf;

pub enum Inputs {
    Demo,
    Paths(Vec<PathBuf>),
}

pub fn run(_inputs: Inputs, _options: LoadOptions, _filter: String) -> std::io::Result<()> {
    Ok(())
}
