//! trailscope: load downloaded AWS CloudTrail logs into an in-memory index, filter them
//! with a small query language, and explore them in the terminal.
pub mod case;
pub mod demo;
pub mod detect;
pub mod error;
pub mod event;
pub mod files;
#[cfg(feature = "tui")]
pub mod follow;
pub mod jsonpath;
pub mod load;
pub mod output;
pub mod overview;
pub(crate) mod parallel;
pub mod places;
pub mod query;
pub mod report;
pub mod schema;
pub mod source;
pub mod sql;
pub mod stats;
pub mod store;
pub mod text;
#[cfg(feature = "tui")]
pub mod tui;
pub mod verify;
