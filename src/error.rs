//! The library's error type. Every variant that comes from an input names it, and where
//! the input is JSON, the line and column, so a user can open the file at the spot.

use std::fmt;
use std::io;

/// Where in an input a problem sits: 1-based line and column of the decompressed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io { path: String, source: io::Error },

    /// A symbolic link found while walking leads out of the given paths; not followed.
    #[error("{path}: skipped: a symbolic link that leads outside the given paths")]
    LinkOutside { path: String },

    /// The input is neither a regular file, a directory nor stdin (a FIFO, a device).
    #[error("{path}: skipped: not a regular file")]
    NotRegular { path: String },

    /// The gzip stream is corrupt or truncated; `salvaged` bytes before the damage were used.
    #[error("{path}: broken gzip after {salvaged} bytes: {detail}")]
    Gzip {
        path: String,
        salvaged: usize,
        detail: String,
    },

    /// The input inflates to more than the configured limit (a gzip bomb, or a file far
    /// larger than any CloudTrail delivery).
    #[error("{path}: inflates to more than {limit} bytes; raise --max-file-size to load it")]
    TooLarge { path: String, limit: u64 },

    /// The JSON is malformed at `at`.
    #[error("{path}:{at}: malformed JSON: {message}")]
    Json {
        path: String,
        at: Position,
        message: String,
    },

    /// Well-formed JSON that is not a CloudTrail shape.
    #[error("{path}:{at}: not CloudTrail: {what}")]
    NotCloudTrail {
        path: String,
        at: Position,
        what: String,
    },

    /// Text that was repaired to load (invalid UTF-8 replaced); the events are kept.
    #[error("{path}: invalid UTF-8 at byte {offset} replaced with U+FFFD")]
    InvalidUtf8 { path: String, offset: usize },

    /// A flaw that would have cost events was handled so they load, and is told: a lone
    /// surrogate escape (replaced with U+FFFD), a number out of range (kept as text), a
    /// second `Records` member (both loaded).
    #[error("{path}:{at}: {what}")]
    Repaired {
        path: String,
        at: Position,
        what: &'static str,
    },

    /// A lookup file (a MaxMind database, an address list) that is broken or unreadable,
    /// in whole or in part; what it could not give is left empty.
    #[error("{path}: {detail}")]
    Lookup { path: String, detail: String },

    /// Problems of one input past the first [`MAX_PROBLEMS_PER_INPUT`], counted.
    #[error("{path}: … and {count} more problems like these")]
    MoreProblems { path: String, count: usize },

    /// A problem of an input as the saved index keeps it, said again when it is opened.
    #[error("{0}")]
    Saved(String),
}

/// Problems kept per input; the rest are counted in one [`Error::MoreProblems`].
pub const MAX_PROBLEMS_PER_INPUT: usize = 100;

pub type Result<T, E = Error> = std::result::Result<T, E>;
