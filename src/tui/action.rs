//! What can happen to the explorer's state ([`Action`]) and the slow work it asks for
//! ([`Request`]), which the event loop hands to worker threads and tests run inline. A
//! request's result comes back as an action, a value.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::case_file::{CaseFile, Restored};
use super::columns::{ValueCounts, SUGGESTED};
use super::export::Export;
use super::fold::Fold;
use super::grid::ColumnEdit;
use super::line_editor::Edit;
use super::pretty::{DocKey, Line};
use super::rules_view::DetectionsView;
use crate::load::LoadReport;
use crate::overview::Overview;
use crate::query::Expr;
use crate::stats::Histogram;
use crate::store::{Hits, Session, Store};

/// Every change the explorer can make to its state.
#[derive(Debug)]
pub enum Action {
    /// Leave the explorer.
    Quit,
    /// Move the timeline selection by this many rows (negative: up).
    Move(isize),
    /// Move by a page of the timeline (negative: up).
    Page(isize),
    /// First / last event of the timeline.
    Top,
    Bottom,
    /// A digit of a count typed before a motion (`5j`, `10}`, `25G`).
    Count(u8),
    /// `F`: stick to the newest event as new ones arrive (less's F).
    StickToNewest,
    /// A click at this position on screen: a timeline row selects it, a histogram bucket
    /// selects its first event.
    Click {
        column: u16,
        row: u16,
    },
    /// Scroll the wheel over the pane at this column.
    Wheel {
        column: u16,
        down: bool,
    },
    /// Move the detail pane's line cursor by this many lines.
    DetailMove(isize),
    /// Switch focus between timeline and detail.
    ToggleFocus,
    /// Focus the filter bar to edit the filter.
    EditFilter,
    /// Insert a character at the cursor of the filter bar.
    FilterChar(char),
    /// An edit of the filter bar's line (the keys of a shell's line editor).
    FilterEdit(super::line_editor::Edit),
    /// Keep the edited filter and leave the filter bar.
    FilterAccept,
    /// Restore the filter from before editing and leave the filter bar.
    FilterCancel,
    /// Recall an earlier (-1) or later (+1) filter.
    FilterHistory(isize),
    /// Move the selection in the suggestion list.
    SuggestionMove(isize),
    /// Replace the word at the cursor with the selected suggestion.
    Complete,
    /// Filter to the selected event's principal.
    FilterPrincipal,
    /// Filter to everything the selected event's chain root did, directly and through the
    /// sessions its keys created (`origin:`); `]` / `[` then follow the chain.
    FilterOrigin,
    /// Select the event that issued the selected event's credentials.
    GoToIssuer,
    /// Back to the place before the last jump (Ctrl-O), and forward again (Ctrl-I).
    JumpBack,
    JumpForward,
    /// Select the next (+1) or previous (-1) event of the selected event's principal.
    StepPrincipal(isize),
    /// Add `field:value` (or `-field:value`) of the detail line under the cursor.
    Pivot {
        exclude: bool,
    },
    /// Make `field:value` of the detail line under the cursor the whole filter.
    PivotOnly,
    /// Show or hide the key help.
    ToggleHelp,
    /// Scroll the key help by this many lines.
    HelpMove(isize),
    /// Show or hide the problems of the load.
    ToggleProblems,
    /// Scroll the problems list by this many lines.
    ProblemsMove(isize),
    /// Turn the first-seen marks of the timeline on or off.
    ToggleNewMarks,
    /// Show or hide the overview of the result.
    ToggleOverview,
    /// Show or hide the timeline's columns list (`c`).
    ToggleColumns,
    /// `/` in a list over the panes: find a row by its text.
    OverlayFind,
    /// `n` / `N` in a list: the next / previous row holding the text found.
    OverlayFindStep(isize),
    /// A row of a list over the panes, up or down (`j` `k`, `g` `G`…).
    ListMove(isize),
    /// PgDn / PgUp in a list: a page of it.
    OverlayPage(isize),
    /// `z` in the detail pane: a fold key follows.
    FoldPrefix,
    /// `h` `l`, `zc` `zo` `zM` `zR`: folding the event's JSON.
    Fold(Fold),
    /// `<` `>`: the detail pane this many columns wider (`=`: 0, fitted to the events).
    ResizeDetail(i16),
    /// A key of the columns list.
    Columns(ColumnEdit),
    /// Move the selection in the overview.
    OverviewMove(isize),
    /// Add the selected value to the filter (or exclude it) and close the overview.
    OverviewChoose {
        exclude: bool,
    },
    /// Show or hide the detections view.
    ToggleDetections,
    /// Move the selection in the detections view.
    DetectionsMove(isize),
    /// Filter to the rule selected in the detections view.
    DetectionsChoose,
    /// `a` in the detections view: between the events shown and the whole load.
    DetectionsScope,
    /// `S`: show or hide the suspects view.
    ToggleSuspects,
    /// Move the selection in the suspects view.
    SuspectsMove(isize),
    /// Enter in the suspects view: filter to the selected origin.
    SuspectsChoose,
    /// The origins ranked over the hits of load number `load`.
    Ranked {
        load: u64,
        suspects: Arc<Vec<crate::detect::suspects::Suspect>>,
    },
    /// `x` in the detections view: mute the selected rule in this case (or unmute it).
    MuteRule,
    /// `X`: mute the selected event's rule for its principal (or unmute its rules for it).
    MuteForPrincipal,
    /// Select the next (+1) or previous (-1) event with a hit of the chosen level or above.
    StepHit(isize),
    /// Lower the level `}` / `{` stop at (critical after informational).
    CycleLevel,
    /// The rules ran over the index of load number `load`: their hits.
    Detected {
        load: u64,
        hits: Arc<Hits>,
    },
    /// The inputs were checked against their digest files: what to say in the status.
    Verified(String),
    /// The background load finished (the loader may still be writing the saved index of
    /// the same store).
    Loaded(Box<Arrival>),
    /// A followed trail was read again after files arrived; the count is of files left
    /// out because they are still being written.
    Reloaded(Box<Arrival>, usize),
    /// The marks and the selected event of the index shown, carried over to a followed
    /// trail's new index (by a worker): the new index can now replace the old.
    Carried {
        arrival: Box<Arrival>,
        waiting: usize,
        marks: std::collections::BTreeMap<u32, String>,
        selected: Option<u32>,
    },
    /// The case file as a worker read it.
    CaseRestored(Restored),
    /// The case file was written (or why not).
    CaseSaved(Result<(), String>),
    /// The values of these rows, counted (for the filter bar's suggestions).
    Counted {
        rows: Arc<Vec<u32>>,
        counts: Arc<ValueCounts>,
    },
    /// The overview of these rows, counted.
    Overviewed {
        rows: Arc<Vec<u32>>,
        overview: Overview,
    },
    /// The event of these rows that holds `needle`, found from `from` on (its index).
    Found {
        rows: Arc<Vec<u32>>,
        needle: String,
        direction: isize,
        index: Option<usize>,
    },
    /// The events where a principal used an address, agent, region, key or account for
    /// the first time, of the index of load `load`.
    FirstUses {
        load: u64,
        rows: Arc<Vec<u32>>,
    },
    /// The detections view, counted.
    DetectionsCounted(DetectionsView),
    /// Text for the clipboard (what it is, for the status line).
    Copied {
        text: String,
        what: String,
    },
    /// A frame of this size is about to be drawn: the layout follows it, and the derived
    /// work it needs (the histogram, the event's document) is asked for.
    Layout(ratatui::layout::Rect),
    /// The terminal is gone (hung up, closed): the case is saved and the explorer ends.
    Hangup,
    /// Something to say in the status line (the saved index could not be written).
    Note(String),
    /// Files of a followed trail are still being written (how many).
    Arriving(usize),
    /// Following the trail's folders is not possible (said in the status).
    NotFollowing(String),
    /// A filter finished on the worker.
    Filtered {
        generation: u64,
        rows: Vec<u32>,
        /// When nothing matched: where the filter's bare words occur instead.
        hint: Option<String>,
    },
    /// A histogram finished on the worker, for the result `version` at `width` buckets.
    Histogram {
        version: u64,
        width: usize,
        histogram: Histogram,
    },
    /// An event's document finished on the worker.
    Document {
        key: DocKey,
        lines: Vec<Line>,
    },
    /// Wrap long lines of the detail pane, or scroll them sideways.
    ToggleWrap,
    /// Show strings that hold JSON decoded, or raw.
    ToggleRaw,
    /// Scroll the detail pane sideways by this many columns (wrapping off).
    Sideways(isize),
    /// The investigator's verbs: marks, notes, search, copy, commands.
    Verb(Verb),
}

/// An index arriving (a load finished): with what the explorer counts over it once, on
/// the thread that loaded it.
#[derive(Debug)]
pub struct Arrival {
    pub store: Arc<Store>,
    pub report: LoadReport,
    /// Events per value of the columns that suggest values.
    pub counts: Arc<ValueCounts>,
    /// The width each timeline column would like.
    pub widths: Vec<usize>,
}

impl Arrival {
    /// Counts what the explorer needs of `store` (a pass over the index: off the UI
    /// thread).
    pub fn of(store: Store, report: LoadReport) -> Arrival {
        let counts = ValueCounts::of(&store, SUGGESTED, None);
        let widths = super::grid::natural_widths(&store, &counts);
        // Built here, not on the UI thread the first time a chain is followed or drawn.
        store.provenance();
        Arrival {
            store: Arc::new(store),
            report,
            counts: Arc::new(counts),
            widths,
        }
    }
}

impl Action {
    /// A finished load, as the loader hands it over.
    pub fn loaded(store: Store, report: LoadReport) -> Action {
        Action::Loaded(Box::new(Arrival::of(store, report)))
    }

    /// Whether the action is a worker's result, or the event loop's own (not a key the
    /// user pressed): it leaves the status line's message alone.
    pub fn from_a_worker(&self) -> bool {
        matches!(
            self,
            Action::Filtered { .. }
                | Action::Loaded(_)
                | Action::Reloaded(..)
                | Action::Carried { .. }
                | Action::NotFollowing(_)
                | Action::Note(_)
                | Action::Arriving(_)
                | Action::Histogram { .. }
                | Action::Document { .. }
                | Action::Detected { .. }
                | Action::Verified(_)
                | Action::CaseRestored(_)
                | Action::CaseSaved(_)
                | Action::Counted { .. }
                | Action::Overviewed { .. }
                | Action::Found { .. }
                | Action::FirstUses { .. }
                | Action::DetectionsCounted(_)
                | Action::Ranked { .. }
                | Action::Copied { .. }
                | Action::Layout(_)
        )
    }
}

/// The investigator's verbs (see `marks.rs`, `detail.rs`, `prompt.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// Mark or unmark the selected event.
    ToggleMark,
    /// The next (+1) / previous (-1) marked event.
    StepMark(isize),
    /// Show or hide the marks list; move in it; select its event.
    ToggleMarks,
    MarksMove(isize),
    MarksChoose,
    /// Edit the selected event's note.
    Note,
    /// Open the command prompt with this text.
    Command(&'static str),
    /// Open the search prompt (the detail pane).
    Search,
    /// The next (+1) / previous (-1) hit of the search.
    SearchStep(isize),
    /// The next (+1) / previous (-1) event that failed.
    StepError(isize),
    /// Copy the event (timeline) or the value under the cursor (detail); with `term` its
    /// `field:value`.
    Copy {
        term: bool,
    },
    /// Edit the prompt's text; keep it; leave it.
    Prompt(Edit),
    PromptAccept,
    PromptCancel,
}

/// Work the event loop must run off the UI thread.
#[derive(Debug)]
pub enum Request {
    /// Evaluate a parsed filter (over the session's marks and hits as they were when it
    /// was typed); a newer generation makes it moot.
    Filter {
        generation: u64,
        expr: Arc<Expr>,
        session: Arc<Session>,
    },
    /// Count the rows of a result into time buckets (the session's hits mark them).
    Histogram {
        version: u64,
        rows: Arc<Vec<u32>>,
        width: usize,
        session: Arc<Session>,
    },
    /// Inflate and pretty-print one event.
    Document { key: DocKey },
    /// Run the detection rules over the index of load number `load`; their hits come back
    /// as a value.
    Detect {
        rules: Arc<crate::detect::RuleSet>,
        load: u64,
    },
    /// Count the values of these rows, for suggestions.
    Counts { rows: Arc<Vec<u32>> },
    /// The overview of these rows (with every value of one field).
    Overview {
        rows: Arc<Vec<u32>>,
        every_value_of: Option<&'static str>,
    },
    /// The next (+1) / previous (-1) event of `rows` after index `from` whose JSON holds
    /// `needle` (lowercase).
    Find {
        rows: Arc<Vec<u32>>,
        from: usize,
        needle: String,
        direction: isize,
    },
    /// The events of first uses `+` marks, over the index of load `load`.
    FirstUses { load: u64 },
    /// The detections view: the session's rules with hits among `rows` (every event when
    /// `None`).
    DetectionsView {
        session: Arc<Session>,
        rows: Option<Arc<Vec<u32>>>,
    },
    /// The suspects view: the origins ranked by what the session's hits say.
    Suspects { load: u64, session: Arc<Session> },
    /// The JSON of event `row`, for the clipboard.
    CopyEvent { row: u32 },
    /// Read the case file and put its marks on the index.
    RestoreCase { path: std::path::PathBuf },
    /// Write the case file.
    SaveCase(Box<CaseSave>),
    /// `:write`: write events to a file.
    Export(Box<(Export, Arc<Session>)>),
    /// Carry the marks and the selected event of the index shown (`store`) over to a
    /// followed trail's new one.
    Carry(Box<Carry>),
    /// Put this text on the terminal's clipboard (the event loop itself writes it).
    Copy(String),
}

/// What a case file is written from.
#[derive(Debug, Clone)]
pub struct CaseSave {
    pub file: CaseFile,
    pub session: Arc<Session>,
    pub filter: String,
    pub history: Vec<String>,
    /// The columns and order shown (`columns`, `sort`).
    pub view: BTreeMap<String, String>,
}

/// A followed trail's new index, and what of the old one carries over to it.
#[derive(Debug)]
pub struct Carry {
    pub arrival: Arrival,
    pub waiting: usize,
    pub marks: std::collections::BTreeMap<u32, String>,
    pub selected: Option<u32>,
}

impl Action {
    /// Whether `action` works on the result shown: a pivot from the selected event, a step
    /// along its principal or its hits, the summary or detections of the result. While a new
    /// filter is still being applied these would work on the last result.
    /// This action `count` times, as a count typed before it asks: the motions that
    /// take a distance carry it multiplied (`5j`); `G` goes to the event of that number
    /// (`25G`). The action alone when a count does not apply to it.
    pub fn counted(self, count: u32) -> Vec<Action> {
        let times = count.max(1) as isize;
        let repeat = |make: &dyn Fn() -> Action| (0..times).map(|_| make()).collect();
        match self {
            Action::Move(n) => vec![Action::Move(n * times)],
            Action::Page(n) => vec![Action::Page(n * times)],
            Action::DetailMove(n) => vec![Action::DetailMove(n * times)],
            Action::Bottom => vec![Action::Top, Action::Move(times - 1)],
            Action::StepPrincipal(n) => repeat(&|| Action::StepPrincipal(n)),
            Action::StepHit(n) => repeat(&|| Action::StepHit(n)),
            Action::Verb(Verb::StepMark(n)) => repeat(&|| Action::Verb(Verb::StepMark(n))),
            Action::Verb(Verb::StepError(n)) => repeat(&|| Action::Verb(Verb::StepError(n))),
            action => vec![action],
        }
    }

    /// Whether this key moves the selection itself, or filters from the selected event
    /// (and so lets go of the newest event).
    pub fn moves_the_selection(&self) -> bool {
        matches!(
            self,
            Action::Move(_)
                | Action::Page(_)
                | Action::Top
                | Action::Bottom
                | Action::StepPrincipal(_)
                | Action::StepHit(_)
                | Action::GoToIssuer
                | Action::JumpBack
                | Action::JumpForward
                | Action::FilterPrincipal
                | Action::FilterOrigin
                | Action::Pivot { .. }
                | Action::PivotOnly
                | Action::Click { .. }
                | Action::Verb(Verb::StepMark(_) | Verb::StepError(_) | Verb::SearchStep(_))
        )
    }

    pub fn acts_on_the_result(&self) -> bool {
        matches!(
            self,
            Action::FilterPrincipal
                | Action::FilterOrigin
                | Action::GoToIssuer
                | Action::StepPrincipal(_)
                | Action::Pivot { .. }
                | Action::PivotOnly
                | Action::ToggleOverview
                | Action::ToggleDetections
                | Action::StepHit(_)
        )
    }
}
