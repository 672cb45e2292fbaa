//! The overview overlay (`s`): the current result's time span, errors and per field the
//! values seen most, each one a filter away (Enter adds it, `x` excludes it).

use super::app::{App, Overlay, Request};
use crate::overview::{overview, Overview};
use crate::query::term_text;

/// Values listed per field.
pub const TOP: usize = 5;

/// The overview being shown and the values it lists, in order.
#[derive(Debug, Clone)]
pub struct OverviewView {
    pub data: Overview,
    /// (field, value) of each selectable line.
    pub entries: Vec<(&'static str, String)>,
}

impl OverviewView {
    pub fn of(data: Overview) -> OverviewView {
        let entries = data
            .fields
            .iter()
            .flat_map(|f| f.top.iter().map(move |v| (f.field, v.value.clone())))
            .collect();
        OverviewView { data, entries }
    }
}

impl App {
    /// `s`: opens the overview of the current result (counted now, over the interned
    /// columns), or closes it.
    pub(super) fn toggle_overview(&mut self) {
        if matches!(self.overlay, Overlay::Overview { .. }) {
            self.overlay = Overlay::None;
            self.overview = None;
            return;
        }
        if self.loading {
            self.message = Some("the overview opens once the load is done".into());
            return;
        }
        let data = overview(&self.store, &self.timeline.rows, TOP);
        self.overview = Some(OverviewView::of(data));
        self.overlay = Overlay::Overview { selected: 0 };
    }

    pub(super) fn overview_move(&mut self, n: isize) {
        if let (Overlay::Overview { selected }, Some(view)) = (self.overlay, &self.overview) {
            let last = view.entries.len().saturating_sub(1) as isize;
            let selected = (selected as isize + n).clamp(0, last) as usize;
            self.overlay = Overlay::Overview { selected };
        }
    }

    /// Enter / `x`: the selected value joins the filter (or is excluded), back on the
    /// timeline.
    pub(super) fn overview_choose(&mut self, exclude: bool) -> Option<Request> {
        let Overlay::Overview { selected } = self.overlay else {
            return None;
        };
        let (field, value) = self.overview.as_ref()?.entries.get(selected)?.clone();
        self.overlay = Overlay::None;
        self.overview = None;
        self.add_term(&term_text(field, &value), exclude, false)
    }
}
