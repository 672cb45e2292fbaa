//! What a part of the explorer is given and what it gives back. Each part (the filter bar,
//! the timeline, the detail pane, marks and the case, detections, the overview, the
//! prompt) owns its state and changes it in its own `update`, given a read-only [`Ctx`];
//! what it asks for beyond its own state comes back as [`Effect`] values, which `App`
//! carries out: work for a worker, a jump, a message, a new filter, a file to write.

use std::sync::Arc;

use super::action::Request;
use super::focus::{Focus, Overlay};
use super::jumps::Place;
use crate::store::{Session, Store};

/// What Enter does with the prompt's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Note,
    Search,
    Command,
    /// `/` in a list over the panes (help, problems, detections, summary, marks, columns).
    Find,
}

/// A read-only view of the index, the session and the result shown.
pub struct Ctx {
    pub store: Arc<Store>,
    pub session: Arc<Session>,
    /// The result shown, in time order, and the index of the selected event in it.
    pub rows: Arc<Vec<u32>>,
    pub index: usize,
    /// The filter applied.
    pub filter: String,
    pub focus: Focus,
    pub loading: bool,
    /// The number of the index shown (a followed trail's grows).
    pub load: u64,
}

impl Ctx {
    /// The selected event's row.
    pub fn selected(&self) -> Option<u32> {
        self.rows.get(self.index).copied()
    }
}

/// A change to the marks (row → note) of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarksChange {
    Toggle(u32),
    Note(u32, String),
    Replace(std::collections::BTreeMap<u32, String>),
}

/// What an update asks of the explorer beyond its own state.
#[derive(Debug)]
pub enum Effect {
    /// A line for the status bar.
    Say(String),
    /// Work for a worker.
    Work(Request),
    /// Select the result's event at this index; `remember`: a jump (Ctrl-O comes back).
    Select {
        index: usize,
        remember: bool,
    },
    /// Select event `row` (a jump): in the result when it is there (saying `inside`), else
    /// every event is shown and it is selected (saying `outside`).
    Show {
        row: u32,
        inside: Option<String>,
        outside: String,
    },
    /// A place for Ctrl-O to come back to.
    Remember(Place),
    /// The filter becomes this text: a jump, remembered in the history.
    Filter(String),
    /// The applied filter runs again (what it reads changed: the hits arrived).
    Refilter,
    /// `term` (or `-term`) joins the filter unless it is there already; with `alone` it is
    /// the whole filter.
    AddTerm {
        term: String,
        exclude: bool,
        alone: bool,
    },
    Focus(Focus),
    Overlay(Overlay),
    /// Open the prompt with this text.
    Prompt(PromptKind, String),
    /// The marks change (and the case is saved).
    Marks(MarksChange),
    /// The detail pane searches this text.
    Search(String),
    /// Select the event nearest this time (`:goto`, `t`).
    GoToTime(String),
    /// `:write` / `:write-marks`: the result or the marked events to a file.
    Export {
        file: String,
        marks: bool,
        replace: bool,
    },
    /// Text for the terminal's clipboard.
    Copy(String),
    /// The open list's next row holding this text (`/` in a list).
    Find(String),
    /// `:path requestParameters.key`: the detail pane's cursor to that field.
    Path(String),
    /// `:set NAME=VALUE`, `:columns`, `:sort`: an option of the explorer.
    Set(String, String),
    /// Leave the explorer (`:q`); with `force` even when notes would be lost.
    Quit {
        force: bool,
    },
}

pub type Effects = Vec<Effect>;

/// One [`Effect::Say`].
pub fn say(text: impl Into<String>) -> Effects {
    vec![Effect::Say(text.into())]
}
