//! Helpers shared by the integration tests.
pub mod input;
#[cfg(feature = "tui")]
pub mod screen;
pub mod tmux;
