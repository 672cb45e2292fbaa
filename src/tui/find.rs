//! Searching inside events (`/` in the detail pane, then `n` / `N` through the hits and on
//! to the next event that holds the text) and copying (`y`, `Y`) through OSC 52.

use base64::Engine as _;

use super::app::{App, Focus};
use crate::query::term_text;
use crate::schema::pivot_field;
use crate::text::sanitize;

/// What the detail pane highlights: the search, else the filter's quoted phrases.
impl App {
    pub fn highlights(&self) -> &[String] {
        match &self.detail.search {
            Some(text) => std::slice::from_ref(text),
            None => &self.filter.phrases,
        }
    }

    /// Enter in the search prompt: highlight `text` in the event and go to its first hit
    /// from the cursor (or the next event that holds it).
    pub(super) fn search(&mut self, text: String) {
        if text.is_empty() {
            self.detail.search = None;
            return;
        }
        self.detail.search = Some(text.to_lowercase());
        self.focus = Focus::Detail;
        self.detail.cursor = self.detail.cursor.saturating_sub(1);
        self.search_step(1);
    }

    /// `n` / `N`: the next / previous line holding the search in this event, then the next
    /// / previous event of the result that holds it.
    pub(super) fn search_step(&mut self, direction: isize) {
        let Some(needle) = self.detail.search.clone() else {
            self.message = Some("no search (/ in the event pane searches it)".into());
            return;
        };
        if let Some(line) = self.detail.find(&needle, direction) {
            self.detail.cursor = line;
            self.detail.keep_cursor_in_view();
            return;
        }
        // On to the next event that holds it (its raw JSON, case-insensitive).
        let rows = std::sync::Arc::clone(&self.timeline.rows);
        let from = self.timeline.selected;
        let holds = |&r: &u32| {
            self.store
                .event_json(r as usize)
                .to_lowercase()
                .contains(&needle)
        };
        let target = if direction > 0 {
            rows.get(from + 1..)
                .and_then(|rest| rest.iter().position(holds))
                .map(|i| from + 1 + i)
        } else {
            rows.get(..from)
                .and_then(|before| before.iter().rposition(holds))
        };
        match target {
            Some(index) => {
                self.timeline.jump(index);
                self.detail.pending_hit = Some(direction);
                self.message = Some(format!(
                    "\"{}\" in the {} event that holds it",
                    sanitize(&needle),
                    if direction > 0 { "next" } else { "previous" }
                ));
            }
            None => {
                self.message = Some(format!(
                    "\"{}\" is in no {} event of the result",
                    sanitize(&needle),
                    if direction > 0 { "later" } else { "earlier" }
                ))
            }
        }
    }

    /// `y`: in the timeline the selected event's JSON, in the detail pane the value on
    /// the cursor; `Y` in the detail pane its `field:value` term. Sent to the terminal's
    /// clipboard (OSC 52) by the event loop.
    pub(super) fn copy(&mut self, term: bool) {
        let (text, what) = match self.focus {
            Focus::Detail => {
                let Some(line) = self.detail.line() else {
                    return;
                };
                let Some(value) = line.value.clone() else {
                    self.message = Some("pick a line with a value to copy".into());
                    return;
                };
                // Only printable text reaches the clipboard: a value's controls (an
                // escape that ends a bracketed paste, a newline that runs a command) are
                // copied as their visible escapes.
                let value = sanitize(&value).into_owned();
                if term {
                    let term = term_text(&pivot_field(&line.path), &value);
                    (term.clone(), term)
                } else {
                    (value, line.path.clone())
                }
            }
            _ => {
                let Some(row) = self.selected_row() else {
                    return;
                };
                // The event's JSON as logged, on one line: its strings' controls are JSON
                // escapes already, and what else could drive a terminal is escaped too.
                (
                    crate::output::minify(&self.store.event_json(row as usize)),
                    "the event's JSON".into(),
                )
            }
        };
        self.message = Some(format!(
            "copied {} ({} bytes) to the clipboard (OSC 52)",
            sanitize(&what),
            text.len()
        ));
        self.clipboard = Some(text);
    }
}

/// The OSC 52 sequence that puts `text` on the terminal's clipboard: only base64 between
/// the introducer and the terminator, so no text can end it early or smuggle a sequence.
pub fn osc52(text: &str) -> Vec<u8> {
    let mut out = b"\x1b]52;c;".to_vec();
    out.extend(
        base64::engine::general_purpose::STANDARD
            .encode(text)
            .as_bytes(),
    );
    out.push(0x07);
    out
}

impl super::detail::DetailPane {
    /// The next (+1) or previous (-1) line after the cursor whose text holds `needle`
    /// (lowercase); `usize::MAX` as the cursor searches from the top.
    pub fn find(&self, needle: &str, direction: isize) -> Option<usize> {
        let (_, lines) = self.doc.as_ref()?;
        let holds = |line: &super::detail::Line| {
            line.pieces
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<String>()
                .to_lowercase()
                .contains(needle)
        };
        if direction > 0 {
            let start = self.cursor.wrapping_add(1);
            lines
                .iter()
                .enumerate()
                .skip(start)
                .find(|(_, l)| holds(l))
                .map(|(i, _)| i)
        } else {
            lines[..self.cursor.min(lines.len())]
                .iter()
                .rposition(holds)
        }
    }
}
