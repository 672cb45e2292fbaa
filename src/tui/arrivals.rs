//! An index arriving: the first load's (the status says what it found), and a followed
//! trail read again (`--follow`), where the new index replaces the old one under the same
//! filter, the selected event and the marks carried over by what identifies them (eventID,
//! time, account, content), and the status counts what arrived.

use std::sync::Arc;

use super::action::Request;
use super::app::{App, LoadSummary, Overlay};
use super::columns::{self, ValueCounts};
use super::filter_bar::SUGGESTED;
use crate::case::{self, Case};
use crate::load::LoadReport;
use crate::store::{Session, Store};

impl App {
    // Takes a loaded index: the status, the value counts and column widths, detections
    /// asked for again.
    pub(super) fn loaded(&mut self, store: Arc<Store>, report: &LoadReport) {
        self.summary = LoadSummary {
            inputs: report.inputs.len(),
            events: store.len(),
            digests: report.digests,
            duplicates: report.duplicates,
            problems: report
                .problems()
                .map(|p| crate::text::sanitize(&p.to_string()).into_owned())
                .collect(),
            input_names: report.inputs.iter().map(|i| i.name.clone()).collect(),
            evidence: None,
            arrived: self.summary.arrived,
            arriving: self.summary.arriving,
        };
        self.counts = ValueCounts::of(&store, SUGGESTED);
        self.timeline.natural = columns::natural_widths(&store, &self.counts);
        self.store = store;
        // Rows are numbered anew: marks are carried over by the caller, hits run again.
        self.session = Arc::new(Session::default());
        self.loading = false;
        self.detections.pending = !self.detections.rules.rules.is_empty();
        // A new index (a followed trail read again) is asked for its own hits.
        self.detections.asked = false;
        self.detections.load += 1;
        self.summary.problems.extend(
            self.detections
                .rules
                .problems
                .iter()
                .map(|p| crate::text::sanitize(&p.to_string()).into_owned()),
        );
        if let Some(note) = &report.index_note {
            self.message = Some(crate::text::sanitize(note).into_owned());
        }
        // Nothing loaded but something went wrong: say what, rather than "no events match".
        if self.store.is_empty() && !self.summary.problems.is_empty() {
            self.overlay = Overlay::Problems { offset: 0 };
        }
    }

    pub(super) fn reloaded(
        &mut self,
        (store, report): (Arc<Store>, LoadReport),
        waiting: usize,
    ) -> Option<Request> {
        let before = self.store.len();
        let mut carried = Case::new(Vec::new());
        carried.set_marks(&self.store, &self.session.marks().clone());
        let selected = self.selected_row().map(|row| {
            let mut one = Case::new(Vec::new());
            one.marks
                .push(case::identify(&self.store, row as usize, ""));
            one
        });
        self.loaded(store, &report);
        let (marks, _) = carried.resolve(&self.store);
        *self.marks_mut() = marks;
        self.pending_select =
            selected.and_then(|one| one.resolve(&self.store).0.into_keys().next());
        let arrived = self.store.len().saturating_sub(before);
        self.summary.arrived = Some(self.summary.arrived.unwrap_or(0) + arrived);
        self.summary.arriving = waiting;
        // What the last load said (its rules' count) is said anew after this one's rules.
        self.message = (arrived > 0).then(|| {
            let events = if arrived == 1 { "event" } else { "events" };
            format!("{} new {events}", crate::text::thousands(arrived))
        });
        self.set_filter(self.filter.applied.clone())
    }
}
