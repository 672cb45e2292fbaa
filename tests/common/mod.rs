//! Helpers shared by the integration tests.
pub mod input;
pub mod tmux;
