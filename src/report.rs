//! What a load found beside the index itself: per input its shape, events, copies and
//! problems, and for the whole load what finding the inputs met. Below the store, which
//! keeps a report in its saved index, and the loader, which writes one.

use crate::error::Error;
use crate::source::shape::Shape;

/// What loading found in one input, for `check` and the status line.
#[derive(Debug, Default)]
pub struct InputReport {
    pub name: String,
    pub shapes: Vec<Shape>,
    pub events: usize,
    pub digests: usize,
    /// Events of this input left out as copies of the same event JSON in another place.
    pub duplicates: usize,
    /// Events of this input kept beside a copy that differs (flagged `dup:conflict`).
    pub conflicts: usize,
    /// Found while walking a directory and not JSON at all (a README): left alone.
    pub ignored: bool,
    /// Events without an `eventTime` whose time came from another field (`@timestamp`,
    /// `_time`, `timestamp`), and how many per field.
    pub times_from: Vec<(&'static str, usize)>,
    pub problems: Vec<Error>,
}

/// What a load found, beside the store itself.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub inputs: Vec<InputReport>,
    /// Problems met while finding inputs (missing paths, unreadable directories, FIFOs).
    pub discovery_problems: Vec<Error>,
    /// Events dropped because the same event was delivered more than once.
    pub duplicates: usize,
    pub digests: usize,
    /// What happened to a saved index that could not be used (damaged, foreign) or saved.
    pub index_note: Option<String>,
    /// Lookup files (GeoIP databases, address lists) broken or unreadable.
    pub lookup_problems: Vec<Error>,
}

impl LoadReport {
    pub fn problems(&self) -> impl Iterator<Item = &Error> {
        self.discovery_problems
            .iter()
            .chain(&self.lookup_problems)
            .chain(self.inputs.iter().flat_map(|i| i.problems.iter()))
    }

    pub fn has_problems(&self) -> bool {
        self.problems().next().is_some()
    }
}
