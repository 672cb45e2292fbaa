//! What an investigation adds beside the index without changing it: the events marked and
//! their notes, and the detection hits once the rules have run. The evaluator, stats and
//! the writers are given it beside the [`super::Store`] (`mark:`, `note:`, `rule:`,
//! `level:`, the `rule` and `note` columns); the explorer keeps it as a value that is
//! replaced, never shared mutably, so a worker always reads one consistent snapshot.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Hits;

/// Marks, notes and detection hits over one index.
#[derive(Debug, Clone, Default)]
pub struct Session {
    marks: BTreeMap<u32, String>,
    hits: Option<Arc<Hits>>,
}

impl Session {
    /// The marked rows and their notes (empty without one).
    pub fn marks(&self) -> &BTreeMap<u32, String> {
        &self.marks
    }

    /// The marks, to change.
    pub fn marks_mut(&mut self) -> &mut BTreeMap<u32, String> {
        &mut self.marks
    }

    /// The detection hits, once the rules have run.
    pub fn hits(&self) -> Option<&Hits> {
        self.hits.as_deref()
    }

    /// The hits to change (muted in a case), copied first when they are shared.
    pub fn hits_mut(&mut self) -> Option<&mut Hits> {
        self.hits.as_mut().map(Arc::make_mut)
    }

    /// Attaches the hits of a run of the rules.
    pub fn set_hits(&mut self, hits: Arc<Hits>) {
        self.hits = Some(hits);
    }

    /// This session with `hits` attached.
    pub fn with_hits(mut self, hits: Hits) -> Session {
        self.hits = Some(Arc::new(hits));
        self
    }
}
