//! The overview overlay (`s`): the current result's time span, errors and per field the
//! values seen most, each one a filter away (Enter adds it, `x` excludes it).

use super::app::{App, Overlay, Request};
use crate::overview::{overview, Overview};
use crate::query::term_text;

/// Values listed per field.
pub const TOP: usize = 5;

/// The overview being shown and the lines it lists, in order.
#[derive(Debug, Clone)]
pub struct OverviewView {
    pub data: Overview,
    /// Each selectable line: a value, or the values a field leaves out.
    pub entries: Vec<Entry>,
}

/// A selectable line of the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A value of a field (Enter filters to it, `x` excludes it), and the filter that
    /// selects exactly its events where `field:value` would not (a shared name).
    Value(&'static str, String, Option<String>),
    /// `… N more values`: Enter lists them all.
    More(&'static str, usize),
}

impl OverviewView {
    pub fn of(data: Overview) -> OverviewView {
        let mut entries = Vec::new();
        for f in &data.fields {
            entries.extend(
                f.top
                    .iter()
                    .map(|v| Entry::Value(f.field, v.value.clone(), v.term.clone())),
            );
            if f.distinct > f.top.len() {
                entries.push(Entry::More(f.field, f.distinct - f.top.len()));
            }
        }
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
        match self.overview.as_ref()?.entries.get(selected)?.clone() {
            Entry::Value(field, value, exact) => {
                self.overlay = Overlay::None;
                self.overview = None;
                let term = match exact {
                    // Two terms: excluded together.
                    Some(exact) if exclude => format!("({exact})"),
                    Some(exact) => exact,
                    None => term_text(field, &value),
                };
                self.add_term(&term, exclude, false)
            }
            Entry::More(field, _) if !exclude => {
                // Every value of that field; the others keep their top ones.
                let mut data = overview(&self.store, &self.timeline.rows, usize::MAX);
                for f in &mut data.fields {
                    if f.field != field {
                        f.top.truncate(TOP);
                    }
                }
                self.overview = Some(OverviewView::of(data));
                None
            }
            Entry::More(..) => None,
        }
    }
}
