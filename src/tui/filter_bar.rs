//! The filter bar: the text being edited, its cursor, the filter history and the
//! suggestions (eventNames, and values after `field:`). It knows nothing of the result; it
//! says when its text should be applied.

use std::sync::Arc;

use super::action::{Action, Request};
use super::columns::{ValueCounts, SUGGESTED};
use super::effect::{Ctx, Effect, Effects};
use super::jumps::Place;
pub use super::line_editor::Edit;
use super::line_editor::LineEditor;
use crate::event::Credential;
use crate::query::{self, fuzzy, term_text, QueryError};
use crate::schema::{self, Col, Storage};
use crate::store::Store;

/// Suggestions for the word being typed: eventNames, or values of the field being typed,
/// with their counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestions {
    /// The field the values are of (`name` for a bare word).
    pub field: &'static str,
    pub items: Vec<(String, usize)>,
    /// Per item, the filter text it completes to where `field:value` would not select
    /// exactly its events (a principal name of several accounts: with its `account:`).
    pub terms: Vec<Option<String>>,
    pub selected: usize,
}

/// The filter bar's state.
#[derive(Debug, Default)]
pub struct FilterBar {
    /// The filter applied to the rows shown.
    pub applied: String,
    /// Its quoted phrases, lowercase: what the detail pane highlights.
    pub phrases: Vec<String>,
    /// How it read the values pasted into it (`185.220.101.47 searched as ip:…`), said on
    /// the status line while it is applied.
    pub readings: Option<String>,
    /// The text while editing.
    pub line: LineEditor,
    /// The filter before editing began, restored by Esc.
    pub saved: String,
    /// Why the text does not parse, if it does not.
    pub error: Option<QueryError>,
    pub history: Vec<String>,
    history_pos: Option<usize>,
    pub suggestions: Suggestions,
    /// The events shown when editing began, when they are not all of them: suggestions
    /// count values among these (the values a narrowing term can still find), once a
    /// worker counted them.
    pub base: Option<Arc<Vec<u32>>>,
    pub base_counts: Option<Arc<ValueCounts>>,
    /// Events per value over the whole index (counted as the load ended).
    pub counts: Arc<ValueCounts>,
    /// Generation of the newest filter sent to the worker; results of older ones are
    /// dropped.
    pub generation: u64,
    /// A filter is running on the worker.
    pub filtering: bool,
    /// The filter was given on the command line (a restored case does not replace it).
    pub given: bool,
    /// Where the explorer was when editing began (a jump if the filter changes).
    pub edit_place: Option<Place>,
}

/// The filter bar's messages.
#[derive(Debug, Clone)]
pub enum FilterMsg {
    /// Start editing the applied filter; `here` when the filter bar did not have the
    /// keyboard yet (a jump if the filter changes).
    Begin(Option<Place>),
    Edit(Edit),
    Accept,
    Cancel,
    History(isize),
    SuggestionMove(isize),
    Complete,
    /// The values of the events shown when editing began, counted.
    BaseCounted(Arc<Vec<u32>>, Arc<ValueCounts>),
}

impl FilterBar {
    pub fn new(filter: String) -> FilterBar {
        FilterBar {
            line: LineEditor::new(filter.clone()),
            given: !filter.is_empty(),
            applied: filter,
            ..FilterBar::default()
        }
    }

    /// The text being edited.
    pub fn input(&self) -> &str {
        &self.line.text
    }

    pub fn update(&mut self, ctx: &Ctx, msg: FilterMsg) -> Effects {
        match msg {
            FilterMsg::Begin(here) => return self.begin(ctx, here),
            FilterMsg::Edit(edit) if self.line.edit(edit) => return self.input_changed(ctx),
            FilterMsg::Edit(_) => {}
            FilterMsg::Accept => return self.accept(ctx),
            FilterMsg::Cancel => {
                self.suggestions = Suggestions::default();
                self.error = None;
                let restore = self.saved.clone();
                self.line.set(restore.clone());
                if restore != self.applied {
                    return self.apply(ctx, restore);
                }
            }
            FilterMsg::History(step) if self.recall(step) => return self.input_changed(ctx),
            FilterMsg::History(_) => {}
            FilterMsg::SuggestionMove(n) => self.move_suggestion(n),
            FilterMsg::Complete if self.complete() => {
                let effects = self.input_changed(ctx);
                self.suggestions = Suggestions::default();
                return effects;
            }
            FilterMsg::Complete => {}
            FilterMsg::BaseCounted(rows, counts) => {
                if self.base.as_ref().is_some_and(|b| Arc::ptr_eq(b, &rows)) {
                    self.base_counts = Some(counts);
                    self.refresh_suggestions(&ctx.store);
                }
            }
        }
        Vec::new()
    }

    /// Starts editing the applied filter; the values of the events shown are counted for
    /// the suggestions when they are not every event.
    fn begin(&mut self, ctx: &Ctx, here: Option<Place>) -> Effects {
        if here.is_some() {
            self.edit_place = here;
        }
        self.saved = self.applied.clone();
        // Reopened, the filter is selected: typing starts a new one, an arrow edits it.
        self.line = LineEditor::selecting(self.applied.clone());
        self.history_pos = None;
        let everything = ctx.rows.len() == ctx.store.len();
        let base = (!everything).then(|| Arc::clone(&ctx.rows));
        let same = match (&self.base, &base) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        let mut effects = Vec::new();
        if !same {
            self.base_counts = None;
            if let Some(rows) = &base {
                effects.push(Effect::Work(Request::Counts {
                    rows: Arc::clone(rows),
                }));
            }
        }
        self.base = base;
        self.refresh_suggestions(&ctx.store);
        effects
    }

    /// Enter: the text is kept as the filter (a jump when it changed), or, when it does
    /// not parse, the last good one stays.
    fn accept(&mut self, ctx: &Ctx) -> Effects {
        self.suggestions = Suggestions::default();
        let text = self.line.text.trim().to_string();
        self.remember(text);
        let mut effects = Vec::new();
        if let Some(place) = self.edit_place.take() {
            if place.filter != self.line.text {
                effects.push(Effect::Remember(place));
            }
        }
        if self.error.is_some() {
            // A broken expression is not kept: the last good filter stays.
            self.line.set(self.applied.clone());
            self.error = None;
            effects.push(Effect::Say(
                "filter not applied: the expression has an error".into(),
            ));
        } else if self.line.text != self.applied {
            // Held back while it looked like a field name being typed.
            let text = self.line.text.clone();
            effects.extend(self.apply(ctx, text));
        }
        effects
    }

    /// Re-parses the text; a good expression is sent to the worker at once.
    fn input_changed(&mut self, ctx: &Ctx) -> Effects {
        self.refresh_suggestions(&ctx.store);
        // `ip` on its way to `ip:` would filter on a fuzzy eventName and empty the
        // timeline: the last result stays until the word can no longer become a field name.
        if self.typing_a_field_name() {
            self.error = None;
            return Vec::new();
        }
        let text = self.line.text.clone();
        self.apply(ctx, text)
    }

    /// Makes `text` the whole filter, remembered in the history, and applies it.
    pub fn replace(&mut self, ctx: &Ctx, text: String) -> Effects {
        self.line.set(text.clone());
        self.history.push(text.clone());
        self.apply(ctx, text)
    }

    /// Makes `text` the filter if it parses (once: the worker gets the parsed expression);
    /// otherwise shows the error and keeps the last good result on screen.
    pub fn apply(&mut self, ctx: &Ctx, text: String) -> Effects {
        match query::parse_explained(&text) {
            Err(err) => {
                self.error = Some(err);
                Vec::new()
            }
            Ok((expr, readings)) => {
                self.error = None;
                self.readings = (!readings.is_empty())
                    .then(|| crate::text::sanitize(&readings.join("; ")).into_owned());
                self.phrases = expr.phrases().iter().map(|p| p.to_lowercase()).collect();
                self.applied = text;
                self.generation += 1;
                self.filtering = true;
                vec![Effect::Work(Request::Filter {
                    generation: self.generation,
                    expr: Arc::new(expr),
                    session: Arc::clone(&ctx.session),
                })]
            }
        }
    }

    /// Recalls an earlier (-1) or later (+1) filter; true when the text changed.
    fn recall(&mut self, step: isize) -> bool {
        if self.history.is_empty() {
            return false;
        }
        let last = self.history.len() as isize - 1;
        let pos = match self.history_pos {
            None if step < 0 => last,
            None => return false,
            Some(p) => p as isize + step,
        };
        if pos > last {
            self.history_pos = None;
            self.line.set(self.saved.clone());
        } else {
            let pos = pos.clamp(0, last) as usize;
            self.history_pos = Some(pos);
            self.line.set(self.history[pos].clone());
        }
        true
    }

    /// Remembers `text` as the newest filter of the history.
    pub fn remember(&mut self, text: String) {
        if !text.is_empty() && self.history.last() != Some(&text) {
            self.history.push(text);
        }
    }

    /// The bare word under the cursor: (start char, end char, text), a leading `-` left out.
    fn word_at_cursor(&self) -> Option<(usize, usize, String)> {
        let chars: Vec<char> = self.line.text.chars().collect();
        let mut start = self.line.cursor.min(chars.len());
        while start > 0 && !chars[start - 1].is_whitespace() && chars[start - 1] != '(' {
            start -= 1;
        }
        let mut end = self.line.cursor.min(chars.len());
        while end < chars.len() && !chars[end].is_whitespace() && chars[end] != ')' {
            end += 1;
        }
        let mut word: String = chars[start..end].iter().collect();
        if let Some(rest) = word.strip_prefix('-') {
            word = rest.to_string();
            start += 1;
        }
        if word.is_empty() || word.eq_ignore_ascii_case("or") || word.eq_ignore_ascii_case("not") {
            return None;
        }
        Some((start, end, word))
    }

    /// Whether the cursor ends a bare word that is the start of a field's name (`ip`,
    /// `prin`): a `field:` term on its way.
    pub fn typing_a_field_name(&self) -> bool {
        let Some((_, end, word)) = self.word_at_cursor() else {
            return false;
        };
        let word = word.to_ascii_lowercase();
        end == self.line.cursor
            && !word.contains([':', '~', '"', '*'])
            && schema::FIELDS.iter().any(|f| f.name.starts_with(&word))
    }

    /// What the word under the cursor completes to: an eventName for a bare word, or a
    /// value of the field it names (`principal:ali`).
    fn completing(&self) -> Option<(usize, usize, Completing)> {
        let (start, end, word) = self.word_at_cursor()?;
        let completing = match word.split_once(':') {
            None if word.contains(['~', '"']) => return None,
            None => Completing::Name(word),
            Some((field, value)) => {
                let def = schema::named(&field.to_ascii_lowercase())?;
                let value = value.trim_start_matches('"').to_string();
                match def.storage {
                    Storage::Credential => Completing::Credential(value),
                    Storage::Columns(cols) if SUGGESTED.contains(&cols[0]) => Completing::Value {
                        field: def.name,
                        col: cols[0],
                        value,
                    },
                    _ => return None,
                }
            }
        };
        Some((start, end, completing))
    }

    /// Suggests eventNames for a bare word under the cursor, or values with their counts
    /// after `field:`.
    pub fn refresh_suggestions(&mut self, store: &Store) {
        self.suggestions = Suggestions::default();
        let Some((_, _, completing)) = self.completing() else {
            return;
        };
        // The events shown, once counted; every event when none are left out.
        let counts = match (&self.base, &self.base_counts) {
            (None, _) => Arc::clone(&self.counts),
            (Some(_), Some(counts)) => Arc::clone(counts),
            (Some(_), None) => return,
        };
        let (field, candidates, word): (&str, Vec<(&str, usize)>, String) = match completing {
            Completing::Name(word) => ("name", column_values(store, &counts, Col::Name), word),
            Completing::Value { field, col, value } => {
                (field, column_values(store, &counts, col), value)
            }
            Completing::Credential(value) => {
                let words = Credential::ALL
                    .iter()
                    .filter(|c| **c != Credential::None)
                    .map(|c| (c.value(), counts.credential(*c)))
                    .filter(|(_, n)| *n > 0)
                    .collect();
                ("credential", words, value)
            }
        };
        let mut scored: Vec<(u32, usize, &str)> = candidates
            .into_iter()
            .filter_map(|(value, count)| {
                if word.is_empty() {
                    return Some((0, count, value));
                }
                fuzzy::score(&word, value).map(|score| (score, count, value))
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
        self.suggestions.field = field;
        let principal_ids = store.strings(Col::Principal);
        for (_, count, value) in scored {
            // A principal name of several accounts: one item per account.
            let shared = (field == "principal")
                .then(|| principal_ids.id_of(value))
                .flatten()
                .and_then(|id| counts.shared_principal(id));
            match shared {
                Some(accounts) => {
                    for (account, n) in accounts {
                        self.suggestions
                            .items
                            .push((format!("{value} · {account}"), *n));
                        self.suggestions.terms.push(Some(format!(
                            "{} {}",
                            term_text(field, value),
                            term_text("account", account)
                        )));
                    }
                }
                None => {
                    self.suggestions.items.push((value.to_string(), count));
                    self.suggestions.terms.push(None);
                }
            }
            if self.suggestions.items.len() >= 8 {
                break;
            }
        }
        self.suggestions.items.truncate(8);
        self.suggestions.terms.truncate(8);
    }

    /// Moves the selection in the suggestion list.
    fn move_suggestion(&mut self, n: isize) {
        let len = self.suggestions.items.len();
        if len > 0 {
            let s = self.suggestions.selected as isize + n;
            self.suggestions.selected = s.rem_euclid(len as isize) as usize;
        }
    }

    /// Replaces the word at the cursor with the `field:value` term of the selected
    /// suggestion; true when the text changed.
    fn complete(&mut self) -> bool {
        let Some((value, _)) = self
            .suggestions
            .items
            .get(self.suggestions.selected)
            .cloned()
        else {
            return false;
        };
        let Some((start, end, _)) = self.completing() else {
            return false;
        };
        let chars: Vec<char> = self.line.text.chars().collect();
        let mut text: String = chars[..start].iter().collect();
        match self.suggestions.terms.get(self.suggestions.selected) {
            // Two terms: a negation before them takes both.
            Some(Some(exact)) if text.ends_with('-') => text.push_str(&format!("({exact})")),
            Some(Some(exact)) => text.push_str(exact),
            _ => text.push_str(&term_text(self.suggestions.field, &value)),
        }
        let cursor = text.chars().count();
        text.extend(&chars[end..]);
        let changed = text != self.line.text;
        self.line = LineEditor {
            text,
            cursor,
            selected: false,
        };
        changed
    }
}

/// `term` (or `-term`) added to `filter` unless it is there already; with `alone` the
/// whole filter. Its opposite in the filter is replaced (`f` then `x` on one line excludes
/// the value rather than asking for it and its absence at once).
pub fn add_term(filter: &str, term: &str, exclude: bool, alone: bool) -> Effects {
    let addition = format!("{}{term}", if exclude { "-" } else { "" });
    let opposite = match exclude {
        true => term.to_string(),
        false => format!("-{term}"),
    };
    let current = filter.trim();
    if !alone && current.split(' ').any(|term| term == addition) {
        return vec![Effect::Say(format!("{addition} is in the filter already"))];
    }
    let kept = without_term(current, &opposite);
    let text = if alone || kept.is_empty() {
        addition
    } else {
        format!("{kept} {addition}")
    };
    vec![Effect::Filter(text)]
}

/// `filter` without the whole term `term` where it stands as one (the rest untouched).
fn without_term(filter: &str, term: &str) -> String {
    let bytes = filter.as_bytes();
    let found = filter.match_indices(term).find(|&(at, _)| {
        let end = at + term.len();
        (at == 0 || bytes[at - 1] == b' ') && (end == bytes.len() || bytes[end] == b' ')
    });
    match found {
        Some((at, _)) => {
            let (before, after) = (&filter[..at], &filter[at + term.len()..]);
            format!("{} {}", before.trim_end(), after.trim_start())
                .trim()
                .to_string()
        }
        None => filter.to_string(),
    }
}

/// The filter bar's message for a key that edits it.
pub fn message_of(action: &Action) -> Option<FilterMsg> {
    Some(match *action {
        Action::FilterChar(c) => FilterMsg::Edit(Edit::Char(c)),
        Action::FilterEdit(edit) => FilterMsg::Edit(edit),
        Action::FilterHistory(step) => FilterMsg::History(step),
        Action::SuggestionMove(n) => FilterMsg::SuggestionMove(n),
        Action::Complete => FilterMsg::Complete,
        _ => return None,
    })
}

/// What the word under the cursor is being completed to.
enum Completing {
    Name(String),
    Value {
        field: &'static str,
        col: Col,
        value: String,
    },
    Credential(String),
}

/// The values of `col` that some event counted holds, with their counts.
fn column_values<'s>(store: &'s Store, counts: &ValueCounts, col: Col) -> Vec<(&'s str, usize)> {
    let per_id = counts.get(col);
    store
        .strings(col)
        .values()
        .filter(|(id, _)| *id != 0)
        .map(|(id, value)| (value, per_id.get(id as usize).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn f_then_x_excludes_instead_of_asking_for_both() {
        let filter = |effects: super::Effects| match effects.as_slice() {
            [super::Effect::Filter(text)] => text.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            filter(super::add_term(
                "name:X ip:1.2.3.4",
                "ip:1.2.3.4",
                true,
                false
            )),
            "name:X -ip:1.2.3.4"
        );
        assert_eq!(
            filter(super::add_term(
                "-ip:1.2.3.4 name:X",
                "ip:1.2.3.4",
                false,
                false
            )),
            "name:X ip:1.2.3.4"
        );
        assert_eq!(
            filter(super::add_term(
                "city:\"San  Diego\" ip:1.2.3.4",
                "ip:1.2.3.4",
                true,
                false
            )),
            "city:\"San  Diego\" -ip:1.2.3.4",
            "the rest of the filter is left as typed"
        );
        assert_eq!(
            filter(super::add_term("ip:1.2.3.45", "ip:1.2.3.4", true, false)),
            "ip:1.2.3.45 -ip:1.2.3.4",
            "only a whole term is its opposite"
        );
    }

    use super::*;

    #[test]
    fn history_walks_back_and_returns_to_the_saved_text() {
        let mut b = FilterBar::new("now".into());
        b.remember("a".into());
        b.remember("b".into());
        b.remember("b".into());
        b.saved = b.applied.clone();
        assert!(b.recall(-1));
        assert_eq!(b.input(), "b");
        assert!(b.recall(-1));
        assert_eq!(b.input(), "a");
        assert!(b.recall(-1));
        assert_eq!(b.input(), "a");
        b.recall(1);
        b.recall(1);
        assert_eq!(b.input(), "now");
    }
}
