//! A followed trail read again (`--follow`): the new index replaces the old one under the
//! same filter, the selected event and the marks carried over by what identifies them
//! (eventID, time, account, content), and the status counts what arrived.

use super::action::Request;
use super::app::App;
use crate::case::{self, Case};
use crate::load::LoadReport;
use crate::store::Store;

impl App {
    pub(super) fn reloaded(
        &mut self,
        (store, report): (Store, LoadReport),
        waiting: usize,
    ) -> Option<Request> {
        let before = self.store.len();
        let mut carried = Case::new(Vec::new());
        carried.set_marks(&self.store, &self.store.marks().clone());
        let selected = self.selected_row().map(|row| {
            let mut one = Case::new(Vec::new());
            one.marks
                .push(case::identify(&self.store, row as usize, ""));
            one
        });
        self.loaded(store, &report);
        let (marks, _) = carried.resolve(&self.store);
        self.store.edit_marks(|m| *m = marks);
        self.pending_select =
            selected.and_then(|one| one.resolve(&self.store).0.into_keys().next());
        let arrived = self.store.len().saturating_sub(before);
        self.summary.arrived = Some(self.summary.arrived.unwrap_or(0) + arrived);
        self.summary.arriving = waiting;
        if arrived > 0 {
            let events = if arrived == 1 { "event" } else { "events" };
            self.message = Some(format!("{} new {events}", crate::text::thousands(arrived)));
        }
        self.set_filter(self.filter.applied.clone())
    }
}
