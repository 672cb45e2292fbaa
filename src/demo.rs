//! The built-in demo investigation: the `.json.gz` files under `assets/demo/`, compiled into
//! the binary (see `build.rs`) and loaded when no PATH is given.

use crate::source::{Input, Origin};

mod files {
    include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));
}

/// The line the explorer and the headless commands show when the demo is open.
pub const BANNER: &str =
    "Built-in demo investigation (synthetic data). Open your own logs with: trailscope PATH...";

/// The demo's files as inputs, named `demo:AWSLogs/...`.
pub fn inputs() -> Vec<Input> {
    files::FILES
        .iter()
        .map(|(name, bytes)| Input {
            name: format!("demo:{name}"),
            origin: Origin::Embedded(bytes),
            walked: true,
        })
        .collect()
}
