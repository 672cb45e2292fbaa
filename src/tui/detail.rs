//! The detail pane: the document of the event shown (its lines, from [`pretty`]), the line
//! cursor, and how lines are shown (long lines wrap to the pane, or scroll sideways with
//! wrapping off).

use std::sync::Arc;

use super::action::Request;
use super::effect::{say, Ctx, Effect, Effects};
use super::focus::Focus;
pub use super::pretty::{notice, pretty, DocKey, Line, Token, MAX_SHOWN};
use super::summary;
use crate::query::term_text;
pub use crate::schema::pivot_field;
use crate::store::{Session, Store};
use crate::text::sanitize;
use std::collections::HashSet;

pub use super::fold::Fold;
use super::fold::{self, Node};

/// The detail pane's state: the document of the event shown, the line cursor, and how
/// lines are shown.
#[derive(Debug)]
pub struct DetailPane {
    /// The document of the shown event, and which it is.
    pub doc: Option<(DocKey, Vec<Line>)>,
    /// The document asked of the worker.
    pub requested: Option<DocKey>,
    pub cursor: usize,
    /// First line shown.
    pub offset: usize,
    /// Rows the pane shows, and its width (from the terminal size).
    pub page: usize,
    pub width: usize,
    /// Long lines wrap; off, they scroll sideways by `hscroll` columns.
    pub wrap: bool,
    pub hscroll: usize,
    /// Strings that hold JSON are shown decoded.
    pub decode: bool,
    /// The text searched for (lowercase), highlighted and stepped through with `n` / `N`.
    pub search: Option<String>,
    /// The search moved to another event: put the cursor on its first (+1) or last (-1)
    /// hit when its document arrives.
    pub pending_hit: Option<isize>,
    /// The summary shows each rule's description (off when the rules would not all fit).
    pub describe_rules: bool,
    /// The nodes folded (`h`, `zc`, `zM`), in every event.
    pub folded: HashSet<Node>,
    /// Per line of the document, the line closing the node it opens.
    pub closes: Vec<Option<usize>>,
    /// The lines shown, folded nodes left out (indices into the document).
    pub shown: Vec<usize>,
}

impl Default for DetailPane {
    fn default() -> Self {
        DetailPane {
            doc: None,
            requested: None,
            cursor: 0,
            offset: 0,
            describe_rules: true,
            page: 20,
            width: 80,
            wrap: true,
            hscroll: 0,
            decode: true,
            search: None,
            pending_hit: None,
            folded: HashSet::new(),
            closes: Vec::new(),
            shown: Vec::new(),
        }
    }
}

/// The detail pane's messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailMsg {
    Move(isize),
    /// Pages of the pane.
    Page(isize),
    Top,
    Bottom,
    Wrap,
    Raw,
    Sideways(isize),
    /// The document of an event, built by a worker.
    Document {
        key: DocKey,
        lines: Vec<Line>,
    },
    /// Enter in the search prompt: highlight the text and go to its first hit.
    Search(String),
    /// `n` / `N`: the next / previous hit, in this event or the next that holds it.
    SearchStep(isize),
    /// The event of the result that holds the search, found by a worker (its index).
    Found {
        needle: String,
        direction: isize,
        index: Option<usize>,
    },
    /// `y` / `Y`: copy.
    Copy {
        term: bool,
    },
    /// The text copied, read by a worker (the event's JSON).
    Copied {
        text: String,
        what: String,
    },
    Fold(Fold),
    /// `:path requestParameters.key`: the cursor to that field.
    GoToPath(String),
}

/// `text` for the clipboard, and what the status line says of it.
fn copied(text: String, what: &str) -> Effects {
    vec![
        Effect::Say(format!("copied {} ({} bytes)", sanitize(what), text.len())),
        Effect::Copy(text),
    ]
}

impl DetailPane {
    pub fn update(&mut self, ctx: &Ctx, msg: DetailMsg) -> Effects {
        match msg {
            DetailMsg::Move(n) => self.move_by(n),
            DetailMsg::Page(n) => self.move_by(n * self.page.max(1) as isize),
            DetailMsg::Top => self.move_by(isize::MIN / 2),
            DetailMsg::Bottom => self.move_by(isize::MAX / 2),
            DetailMsg::Wrap => return say(self.toggle_wrap()),
            DetailMsg::Raw => return say(self.toggle_raw()),
            DetailMsg::Sideways(n) => return self.sideways(n).map(say).unwrap_or_default(),
            DetailMsg::Document { key, lines } => {
                if ctx.selected() == Some(key.0) && self.decode == key.1 {
                    self.show(key, lines);
                } else if self.requested == Some(key) {
                    self.requested = None;
                }
            }
            DetailMsg::Search(text) if text.is_empty() => self.search = None,
            DetailMsg::Search(text) => {
                self.search = Some(text.to_lowercase());
                self.cursor = self.cursor.saturating_sub(1);
                let mut effects = vec![Effect::Focus(Focus::Detail)];
                effects.extend(self.search_step(ctx, 1));
                return effects;
            }
            DetailMsg::SearchStep(direction) => return self.search_step(ctx, direction),
            DetailMsg::Found {
                needle,
                direction,
                index,
            } => return self.found(&needle, direction, index),
            DetailMsg::Copy { term } => return self.copy(ctx, term),
            DetailMsg::Copied { text, what } => return copied(text, &what),
            DetailMsg::Fold(fold) => return self.fold(fold).map(say).unwrap_or_default(),
            DetailMsg::GoToPath(path) => return say(self.go_to_path(&path)),
        }
        Vec::new()
    }

    /// `n` / `N`: the next / previous line holding the search in this event, else the
    /// next / previous event of the result that holds it (a worker looks).
    fn search_step(&mut self, ctx: &Ctx, direction: isize) -> Effects {
        let Some(needle) = self.search.clone() else {
            return say("no search (/ in the event pane searches it)");
        };
        if let Some(line) = self.find(&needle, direction) {
            self.reveal(line);
            self.cursor = line;
            self.keep_cursor_in_view();
            return Vec::new();
        }
        vec![Effect::Work(Request::Find {
            rows: Arc::clone(&ctx.rows),
            from: ctx.index,
            needle,
            direction,
        })]
    }

    /// The event holding the search, as a worker found it.
    fn found(&mut self, needle: &str, direction: isize, index: Option<usize>) -> Effects {
        if self.search.as_deref() != Some(needle) {
            return Vec::new();
        }
        match index {
            Some(index) => {
                self.pending_hit = Some(direction);
                vec![
                    Effect::Select {
                        index,
                        remember: false,
                    },
                    Effect::Say(format!(
                        "\"{}\" in the {} event that holds it",
                        sanitize(needle),
                        if direction > 0 { "next" } else { "previous" }
                    )),
                ]
            }
            None => say(format!(
                "\"{}\" is in no {} event of the result",
                sanitize(needle),
                if direction > 0 { "later" } else { "earlier" }
            )),
        }
    }

    /// `y`: in the timeline the selected event's JSON, in the detail pane the value on
    /// the cursor; `Y` in the detail pane its `field:value` term. Sent to the terminal's
    /// clipboard (OSC 52).
    fn copy(&self, ctx: &Ctx, term: bool) -> Effects {
        let (text, what) = match ctx.focus {
            Focus::Detail => {
                let Some(line) = self.line() else {
                    return Vec::new();
                };
                let Some(value) = line.value.clone() else {
                    return say("pick a line with a value to copy");
                };
                // Only printable text reaches the clipboard: a value's controls (an escape
                // that ends a bracketed paste, a newline that runs a command) are copied as
                // their visible escapes.
                let value = sanitize(&value).into_owned();
                if term {
                    // A value holding `:` (an ARN, a time, an IPv6 address) is quoted, so
                    // the term reads `arn:"arn:aws:…"`, where its field ends plain to see.
                    let field = pivot_field(&line.path);
                    let term = match term_text(&field, &value) {
                        t if value.contains(':') && !t.ends_with('"') => {
                            format!("{field}:\"{}\"", crate::query::Glob::escape(&value))
                        }
                        t => t,
                    };
                    (term.clone(), term)
                } else {
                    (value, line.path.clone())
                }
            }
            // The event's JSON is read from its file by a worker.
            _ => {
                return ctx
                    .selected()
                    .map(|row| Effect::Work(Request::CopyEvent { row }))
                    .into_iter()
                    .collect()
            }
        };
        copied(text, &what)
    }

    /// The next (+1) or previous (-1) line after the cursor whose text holds `needle`
    /// (lowercase); `usize::MAX` as the cursor searches from the top.
    pub fn find(&self, needle: &str, direction: isize) -> Option<usize> {
        let (_, lines) = self.doc.as_ref()?;
        let holds = |line: &Line| {
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

    /// The rows the event's summary takes at `width`, up to `cap`: every rule the event
    /// hits is listed, described only where they all fit.
    pub fn summary_rows(
        &mut self,
        store: &Store,
        session: &Session,
        row: Option<u32>,
        width: usize,
        cap: usize,
    ) -> u16 {
        let Some(row) = row else {
            return 0;
        };
        let doc = self.doc.as_ref().map(|(_, lines)| lines.as_slice());
        let rows = |describe| {
            let lines = summary::lines(store, session, row as usize, doc, describe);
            summary::rows(&lines, width).len() + 1
        };
        let full = rows(true);
        self.describe_rules = full <= cap;
        let rows = if self.describe_rules {
            full
        } else {
            rows(false)
        };
        rows.min(cap) as u16
    }

    fn len(&self) -> usize {
        self.doc.as_ref().map_or(0, |(_, lines)| lines.len())
    }

    /// Moves the line cursor over the lines shown, keeping it in view.
    pub fn move_by(&mut self, n: isize) {
        if self.len() == 0 || self.shown.is_empty() {
            return;
        }
        let at = self.shown.partition_point(|&i| i < self.cursor) as isize;
        let to = (at + n).clamp(0, self.shown.len() as isize - 1) as usize;
        self.cursor = self.shown[to];
        self.keep_cursor_in_view();
    }

    /// The lines shown anew, after the document or the folds changed.
    fn refold(&mut self) {
        let Some((_, lines)) = &self.doc else {
            return;
        };
        self.shown = fold::shown(lines, &self.closes, &self.folded);
        // The cursor on a line folded away goes to the line that stands for it.
        let at = self.shown.partition_point(|&i| i <= self.cursor);
        self.cursor = self.shown.get(at.saturating_sub(1)).copied().unwrap_or(0);
        self.offset = self.offset.min(self.cursor);
        self.keep_cursor_in_view();
    }

    /// Unfolds every node that hides line `at`.
    fn reveal(&mut self, at: usize) {
        let Some((_, lines)) = &self.doc else {
            return;
        };
        let mut inner = at;
        let mut changed = false;
        while let Some(open) = fold::enclosing(&self.closes, inner) {
            changed |= self.folded.remove(&fold::node(&lines[open]));
            inner = open;
        }
        if changed {
            self.refold();
        }
    }

    /// `h` `l`, `zc` `zo` `zM` `zR`: folds and unfolds; what to say, if anything.
    fn fold(&mut self, fold: Fold) -> Option<String> {
        let (_, lines) = self.doc.as_ref()?;
        let cursor = self.cursor;
        let opens = self.closes.get(cursor).copied().flatten().is_some();
        match fold {
            Fold::Close => {
                let at =
                    match opens && cursor > 0 && !self.folded.contains(&fold::node(&lines[cursor]))
                    {
                        true => cursor,
                        false => fold::enclosing(&self.closes, cursor).filter(|&o| o > 0)?,
                    };
                self.folded.insert(fold::node(&lines[at]));
                self.cursor = at;
            }
            Fold::Open if opens => {
                if !self.folded.remove(&fold::node(&lines[cursor])) {
                    return Some("not folded (h folds it)".into());
                }
            }
            Fold::Open => return Some("nothing to unfold here".into()),
            Fold::CloseAll => {
                let nodes: Vec<Node> = (1..lines.len())
                    .filter(|&i| self.closes[i].is_some())
                    .map(|i| fold::node(&lines[i]))
                    .collect();
                self.folded.extend(nodes);
            }
            Fold::OpenAll => self.folded.clear(),
        }
        self.refold();
        None
    }

    /// `:path requestParameters.key`: the first line at that path (or under it), unfolded.
    fn go_to_path(&mut self, path: &str) -> String {
        let path = path.trim().trim_start_matches('.');
        let Some((_, lines)) = &self.doc else {
            return "no event shown".into();
        };
        let lower = path.to_lowercase();
        let found = lines
            .iter()
            .position(|l| l.path.to_lowercase() == lower)
            .or_else(|| {
                lines
                    .iter()
                    .position(|l| l.path.to_lowercase().starts_with(&format!("{lower}.")))
            });
        let Some(at) = found else {
            return format!("no {} in this event", sanitize(path));
        };
        let said = format!("{} (Tab: the timeline)", sanitize(&lines[at].path));
        self.reveal(at);
        self.cursor = at;
        self.keep_cursor_in_view();
        said
    }

    /// Scrolls so that the cursor's line is shown whole (wrapped lines take several rows).
    pub fn keep_cursor_in_view(&mut self) {
        let Some((_, lines)) = &self.doc else {
            return;
        };
        self.cursor = self.cursor.min(lines.len().saturating_sub(1));
        if self.cursor < self.offset {
            self.offset = self.cursor;
        }
        let height = |line: &Line| {
            if self.wrap {
                line.rows(self.width, true, 0).len()
            } else {
                1
            }
        };
        // Back from the cursor, as many shown lines as fit: no further than the offset.
        let page = self.page.max(1);
        let shown = &self.shown;
        let mut at = shown.partition_point(|&i| i < self.cursor);
        if at >= shown.len() {
            return;
        }
        let mut used = height(&lines[shown[at]]);
        while at > 0 && shown[at] > self.offset {
            let above = height(&lines[shown[at - 1]]);
            if used + above > page {
                break;
            }
            used += above;
            at -= 1;
        }
        self.offset = self.offset.max(shown[at]);
    }

    /// Scrolls sideways by `n` columns (with wrapping off), never past the last column of
    /// the widest line.
    pub fn scroll_sideways(&mut self, n: isize) {
        let widest = self.doc.as_ref().map_or(0, |(_, lines)| {
            lines.iter().map(Line::width).max().unwrap_or(0)
        });
        let wanted = (self.hscroll as isize + n).max(0) as usize;
        self.hscroll = wanted.min(widest.saturating_sub(1));
    }

    /// The document that must be built to show `row`, unless shown or asked for.
    pub fn needed(&mut self, row: Option<u32>) -> Option<DocKey> {
        let key = (row?, self.decode);
        if self.doc.as_ref().map(|(k, _)| *k) == Some(key) || self.requested == Some(key) {
            return None;
        }
        self.requested = Some(key);
        Some(key)
    }

    /// Shows a document; a new event opens at its top, the same event in another view
    /// keeps the cursor near where it was.
    pub fn show(&mut self, key: DocKey, lines: Vec<Line>) {
        if self.requested == Some(key) {
            self.requested = None;
        }
        let same_event = self.doc.as_ref().is_some_and(|((row, _), _)| *row == key.0);
        self.closes = fold::closes(&lines);
        self.shown = fold::shown(&lines, &self.closes, &self.folded);
        self.doc = Some((key, lines));
        if !same_event {
            self.cursor = 0;
            self.offset = 0;
            self.hscroll = 0;
        }
        if let (Some(direction), Some(needle)) = (self.pending_hit.take(), self.search.clone()) {
            let lines = self.doc.as_ref().map_or(0, |(_, l)| l.len());
            // From just outside the document, so the first (or last) hit is found.
            self.cursor = if direction > 0 { usize::MAX } else { lines };
            let found = self.find(&needle, direction);
            self.cursor = found.unwrap_or(0);
            if let Some(line) = found {
                self.reveal(line);
            }
        }
        self.keep_cursor_in_view();
    }

    /// `w`: wrapping on or off; says which.
    pub fn toggle_wrap(&mut self) -> &'static str {
        self.wrap = !self.wrap;
        self.hscroll = 0;
        self.keep_cursor_in_view();
        if self.wrap {
            "long lines wrap (w: scroll sideways with ← → instead)"
        } else {
            "long lines scroll sideways with ← → (w: wrap)"
        }
    }

    /// `r`: strings holding JSON decoded or raw; says which.
    pub fn toggle_raw(&mut self) -> &'static str {
        self.decode = !self.decode;
        if self.decode {
            "strings that hold JSON are shown decoded (r: raw)"
        } else {
            "strings shown raw, as logged (r: decode JSON in strings)"
        }
    }

    /// ← →: sideways with wrapping off; else says why not.
    pub fn sideways(&mut self, n: isize) -> Option<&'static str> {
        if self.wrap {
            return Some("lines wrap: w turns wrapping off to scroll sideways");
        }
        self.scroll_sideways(n);
        None
    }

    /// The line under the cursor.
    pub fn line(&self) -> Option<&Line> {
        self.doc.as_ref()?.1.get(self.cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pivot_terms() {
        assert_eq!(pivot_field("sourceIPAddress"), "ip");
        assert_eq!(pivot_field("requestParameters.bucketName"), "bucket");
        assert_eq!(
            pivot_field("requestParameters.roleArn"),
            "requestParameters.roleArn"
        );
    }
}
