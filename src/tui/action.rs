//! What can happen to the explorer's state ([`Action`]) and the slow work it asks for
//! ([`Request`]), which the event loop hands to worker threads and tests run inline.

use std::sync::Arc;

use super::detail;
use crate::load::LoadReport;
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
    FilterBackspace,
    FilterDelete,
    FilterLeft,
    FilterRight,
    FilterHome,
    FilterEnd,
    /// Delete the word before the cursor.
    FilterDeleteWord,
    /// Delete everything before the cursor (readline's Ctrl-U).
    FilterDeleteToStart,
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
    Loaded(Box<(Arc<Store>, LoadReport)>),
    /// A followed trail was read again after files arrived; the count is of files left
    /// out because they are still being written.
    Reloaded(Box<(Arc<Store>, LoadReport)>, usize),
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
        key: detail::DocKey,
        lines: Vec<detail::Line>,
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

impl Action {
    /// A finished load, as the loader hands it over.
    pub fn loaded(store: Store, report: LoadReport) -> Action {
        Action::Loaded(Box::new((Arc::new(store), report)))
    }
}

/// The investigator's verbs (see `marks.rs`, `find.rs`, `prompt.rs`).
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
    Prompt(super::prompt::PromptEdit),
    PromptAccept,
    PromptCancel,
}

/// Work the event loop must run off the UI thread.
#[derive(Debug, Clone)]
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
    Document { key: detail::DocKey },
    /// Run the detection rules over the index of load number `load`; their hits come back
    /// as a value.
    Detect {
        rules: Arc<crate::detect::RuleSet>,
        load: u64,
    },
}

/// Runs a request to completion (on a worker, or inline); `None` when `stop` said the work
/// became moot before it finished.
pub fn run_request(
    store: &Store,
    request: &Request,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Action> {
    Some(match request {
        Request::Filter {
            generation,
            expr,
            session,
        } => {
            let rows = expr.rows_until(store, session, stop)?;
            let hint = if rows.is_empty() {
                crate::query::where_words_occur(store, expr)
            } else {
                None
            };
            Action::Filtered {
                generation: *generation,
                rows,
                hint,
            }
        }
        Request::Histogram {
            version,
            rows,
            width,
            session,
        } => Action::Histogram {
            version: *version,
            width: *width,
            histogram: Histogram::build(store, session, rows, *width),
        },
        Request::Document { key } => Action::Document {
            key: *key,
            lines: match store.event_text(key.0 as usize) {
                Ok(json) => detail::pretty(&json, key.1),
                Err(changed) => detail::notice(&changed.to_string()),
            },
        },
        Request::Detect { rules, load } => {
            let found = crate::detect::run(store, rules);
            Action::Detected {
                load: *load,
                hits: Arc::new(crate::detect::to_hits(store, rules, &found)),
            }
        }
    })
}

impl Action {
    /// Whether `action` works on the result shown: a pivot from the selected event, a step
    /// along its principal or its hits, the summary or detections of the result. While a new
    /// filter is still being applied these would work on the last result.
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
