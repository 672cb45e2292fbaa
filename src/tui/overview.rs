//! The overview overlay (`s`): the current result's time span, errors and per field the
//! values seen most, each one a filter away (Enter adds it, `x` excludes it).

use std::sync::Arc;

use super::action::Request;
use super::effect::{say, Ctx, Effect, Effects};
use super::focus::Overlay;
use crate::overview::Overview;
use crate::query::term_text;

pub use crate::overview::TOP;

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

/// The overview's messages.
#[derive(Debug, Clone)]
pub enum OverviewMsg {
    /// `s`: count the result and show it.
    Open,
    Move(isize),
    /// Enter / `x`: the selected value joins the filter (or is excluded).
    Choose {
        exclude: bool,
    },
    /// The counts, from a worker.
    Counted(Overview),
}

/// The overview overlay's state: what it shows (once counted) and the selected line.
#[derive(Debug, Default)]
pub struct OverviewPart {
    pub view: Option<OverviewView>,
    pub selected: usize,
}

impl OverviewPart {
    /// Each selectable line as text (`/` finds in them).
    pub fn entry_texts(&self) -> Vec<String> {
        let Some(view) = &self.view else {
            return Vec::new();
        };
        view.entries
            .iter()
            .map(|entry| match entry {
                Entry::Value(field, value, _) => format!("{field} {value}"),
                Entry::More(field, n) => format!("{field} {n} more"),
            })
            .collect()
    }

    pub fn update(&mut self, ctx: &Ctx, msg: OverviewMsg) -> Effects {
        match msg {
            OverviewMsg::Open if ctx.loading => say("the overview opens once the load is done"),
            OverviewMsg::Open => {
                self.view = None;
                self.selected = 0;
                vec![
                    Effect::Overlay(Overlay::Overview),
                    Effect::Work(Request::Overview {
                        rows: Arc::clone(&ctx.rows),
                        every_value_of: None,
                    }),
                ]
            }
            OverviewMsg::Counted(data) => {
                self.view = Some(OverviewView::of(data));
                Vec::new()
            }
            OverviewMsg::Move(n) => {
                if let Some(view) = &self.view {
                    let last = view.entries.len().saturating_sub(1) as isize;
                    self.selected = (self.selected as isize + n).clamp(0, last) as usize;
                }
                Vec::new()
            }
            OverviewMsg::Choose { exclude } => self.choose(ctx, exclude),
        }
    }

    fn choose(&mut self, ctx: &Ctx, exclude: bool) -> Effects {
        let Some(entry) = self
            .view
            .as_ref()
            .and_then(|v| v.entries.get(self.selected))
            .cloned()
        else {
            return Vec::new();
        };
        match entry {
            Entry::Value(field, value, exact) => {
                self.view = None;
                let term = match exact {
                    // Two terms: excluded together.
                    Some(exact) if exclude => format!("({exact})"),
                    Some(exact) => exact,
                    None => term_text(field, &value),
                };
                vec![
                    Effect::Overlay(Overlay::None),
                    Effect::AddTerm {
                        term,
                        exclude,
                        alone: false,
                    },
                ]
            }
            // Every value of that field; the others keep their top ones.
            Entry::More(field, _) if !exclude => vec![Effect::Work(Request::Overview {
                rows: Arc::clone(&ctx.rows),
                every_value_of: Some(field),
            })],
            Entry::More(..) => Vec::new(),
        }
    }
}
