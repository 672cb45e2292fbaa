//! Running the slow work the explorer asks for ([`Request`]): on a worker thread, or inline
//! in tests and at quit. Each result comes back as an [`Action`].

use std::sync::Arc;

use super::action::{Action, Carry, Request};
use super::case_file;
use super::columns::{self, ValueCounts, SUGGESTED};
use super::export;
use super::pretty;
use super::rules_view::DetectionsView;
use crate::stats::Histogram;
use crate::store::Store;

/// Runs a request to completion (on a worker, or inline) over the index it was made for;
/// `None` when `stop` said the work became moot before it finished, or when it is the
/// event loop's own (the clipboard).
pub fn run_request(
    store: &Store,
    request: Request,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Action> {
    Some(match request {
        Request::Filter {
            generation,
            expr,
            session,
        } => {
            let rows = expr.rows_until(store, &session, stop)?;
            let hint = if rows.is_empty() {
                crate::query::where_words_occur(store, &expr)
            } else {
                None
            };
            Action::Filtered {
                generation,
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
            version,
            width,
            histogram: Histogram::build(store, &session, &rows, width),
        },
        Request::Document { key } => Action::Document {
            key,
            lines: match store.event_text(key.0 as usize) {
                Ok(json) => pretty::pretty(&json, key.1),
                Err(changed) => pretty::notice(&changed.to_string()),
            },
        },
        Request::Detect { rules, load } => {
            let found = crate::detect::run(store, &rules);
            Action::Detected {
                load,
                hits: Arc::new(crate::detect::to_hits(store, &rules, &found)),
            }
        }
        Request::Counts { rows } => Action::Counted {
            counts: Arc::new(ValueCounts::of(store, SUGGESTED, Some(&rows))),
            rows,
        },
        Request::Overview {
            rows,
            every_value_of,
        } => Action::Overviewed {
            overview: crate::overview::overview_listing(store, &rows, every_value_of),
            rows,
        },
        request => return run_beside(store, request),
    })
}

/// The requests of [`run_request`] beyond filters and the views of a result: searches, first
/// uses, the detections view, the clipboard, the case and the files.
fn run_beside(store: &Store, request: Request) -> Option<Action> {
    Some(match request {
        Request::Find {
            rows,
            from,
            needle,
            direction,
        } => Action::Found {
            index: find(store, &rows, from, &needle, direction),
            rows,
            needle,
            direction,
        },
        Request::FirstUses { load } => Action::FirstUses {
            load,
            rows: Arc::new(columns::first_uses(store)),
        },
        Request::Suspects { load, session } => Action::Ranked {
            load,
            suspects: Arc::new(match session.hits() {
                Some(hits) => crate::detect::suspects::rank(store, hits),
                None => Vec::new(),
            }),
        },
        Request::DetectionsView { session, rows } => {
            Action::DetectionsCounted(match session.hits() {
                Some(hits) => {
                    DetectionsView::of(hits, store.len(), rows.as_deref().map(Vec::as_slice))
                }
                None => DetectionsView::default(),
            })
        }
        Request::CopyEvent { row } => Action::Copied {
            // The event's JSON as logged, on one line: its strings' controls are JSON
            // escapes already, and what else could drive a terminal is escaped too.
            text: crate::output::minify(&store.event_json(row as usize)),
            what: "the event's JSON".into(),
        },
        Request::RestoreCase { path } => Action::CaseRestored(case_file::restore(&path, store)),
        Request::SaveCase(save) => Action::CaseSaved(case_file::save(
            &save.file,
            store,
            save.session.marks(),
            &save.filter,
            &save.history,
            &save.view,
        )),
        Request::Export(job) => Action::Note(export::run(store, &job.1, &job.0)),
        Request::Carry(carry) => {
            let Carry {
                arrival,
                waiting,
                marks,
                selected,
            } = *carry;
            let (marks, selected) = case_file::carry(store, &arrival.store, &marks, selected);
            Action::Carried {
                arrival: Box::new(arrival),
                waiting,
                marks,
                selected,
            }
        }
        Request::Copy(_) => return None,
        // The ones `run_request` runs itself.
        Request::Filter { .. }
        | Request::Histogram { .. }
        | Request::Document { .. }
        | Request::Detect { .. }
        | Request::Counts { .. }
        | Request::Overview { .. } => return None,
    })
}

/// The index (into `rows`) of the next (+1) / previous (-1) event after `from` whose JSON
/// holds `needle` (lowercase; a pass over the events' text, so on a worker).
fn find(store: &Store, rows: &[u32], from: usize, needle: &str, direction: isize) -> Option<usize> {
    let holds = |&r: &u32| store.event_json(r as usize).to_lowercase().contains(needle);
    if direction > 0 {
        rows.get(from + 1..)
            .and_then(|rest| rest.iter().position(holds))
            .map(|i| from + 1 + i)
    } else {
        rows.get(..from)
            .and_then(|before| before.iter().rposition(holds))
    }
}
