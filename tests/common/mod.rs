//! Helpers shared by the integration tests.
#[cfg(feature = "tui")]
pub mod app;
pub mod input;
#[cfg(feature = "tui")]
pub mod screen;
pub mod tmux;

/// A folder under `tests/fixtures`.
#[allow(dead_code)]
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
