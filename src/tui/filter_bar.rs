//! The filter bar: the text being edited, its cursor, the filter history and the
//! suggestions (eventNames, and values after `field:`). It knows nothing of the result; it
//! says when its text should be applied.

use std::sync::Arc;

use super::columns::ValueCounts;
use crate::event::Credential;
use crate::query::{fuzzy, term_text, QueryError};
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

/// An edit of the filter bar's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Char(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    DeleteWord,
    DeleteToStart,
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
    /// The text while editing (the cursor is a char index).
    pub input: String,
    pub cursor: usize,
    /// The filter before editing began, restored by Esc.
    pub saved: String,
    /// Why the text does not parse, if it does not.
    pub error: Option<QueryError>,
    pub history: Vec<String>,
    history_pos: Option<usize>,
    pub suggestions: Suggestions,
    /// The events shown when editing began, when they are not all of them: suggestions
    /// count values among these (the values a narrowing term can still find).
    pub base: Option<Arc<Vec<u32>>>,
}

impl FilterBar {
    pub fn new(filter: String) -> FilterBar {
        FilterBar {
            input: filter.clone(),
            cursor: filter.chars().count(),
            applied: filter,
            phrases: Vec::new(),
            ..FilterBar::default()
        }
    }

    /// Starts editing the applied filter.
    pub fn begin(&mut self) {
        self.saved = self.applied.clone();
        self.input = self.applied.clone();
        self.cursor = self.input.chars().count();
        self.history_pos = None;
    }

    /// Replaces the text, cursor at the end.
    pub fn set_input(&mut self, text: String) {
        self.input = text;
        self.cursor = self.input.chars().count();
    }

    /// Applies an edit; true when the text changed.
    pub fn edit(&mut self, edit: Edit) -> bool {
        let len = self.input.chars().count();
        match edit {
            Edit::Char(c) => {
                let at = self.byte_at(self.cursor);
                self.input.insert(at, c);
                self.cursor += 1;
                true
            }
            Edit::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.input.remove(at);
                true
            }
            Edit::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.input.remove(at);
                true
            }
            Edit::Backspace | Edit::Delete => false,
            Edit::DeleteWord => {
                let chars: Vec<char> = self.input.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                self.input = chars[..start].iter().chain(&chars[self.cursor..]).collect();
                self.cursor = start;
                true
            }
            Edit::DeleteToStart => {
                let at = self.byte_at(self.cursor);
                self.input.replace_range(..at, "");
                self.cursor = 0;
                true
            }
            Edit::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            Edit::Right => {
                self.cursor = (self.cursor + 1).min(len);
                false
            }
            Edit::Home => {
                self.cursor = 0;
                false
            }
            Edit::End => {
                self.cursor = len;
                false
            }
        }
    }

    /// Recalls an earlier (-1) or later (+1) filter; true when the text changed.
    pub fn recall(&mut self, step: isize) -> bool {
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
            self.input = self.saved.clone();
        } else {
            let pos = pos.clamp(0, last) as usize;
            self.history_pos = Some(pos);
            self.input = self.history[pos].clone();
        }
        self.cursor = self.input.chars().count();
        true
    }

    /// Remembers `text` as the newest filter of the history.
    pub fn remember(&mut self, text: String) {
        if !text.is_empty() && self.history.last() != Some(&text) {
            self.history.push(text);
        }
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.input
            .char_indices()
            .nth(char_index)
            .map_or(self.input.len(), |(i, _)| i)
    }

    /// The bare word under the cursor: (start char, end char, text), a leading `-` left out.
    fn word_at_cursor(&self) -> Option<(usize, usize, String)> {
        let chars: Vec<char> = self.input.chars().collect();
        let mut start = self.cursor.min(chars.len());
        while start > 0 && !chars[start - 1].is_whitespace() && chars[start - 1] != '(' {
            start -= 1;
        }
        let mut end = self.cursor.min(chars.len());
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
        end == self.cursor
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
    pub fn refresh_suggestions(&mut self, store: &Store, counts: &ValueCounts) {
        self.suggestions = Suggestions::default();
        let Some((_, _, completing)) = self.completing() else {
            return;
        };
        let base = self.base.as_deref().map(Vec::as_slice);
        let (field, candidates, word): (&str, Vec<(&str, usize)>, String) = match completing {
            Completing::Name(word) => ("name", column_values(store, counts, Col::Name, base), word),
            Completing::Value { field, col, value } => {
                (field, column_values(store, counts, col, base), value)
            }
            Completing::Credential(value) => {
                let mut per_class = [0usize; 5];
                match base {
                    Some(rows) => {
                        for &row in rows {
                            per_class[store.credential(row as usize) as usize] += 1;
                        }
                    }
                    None => {
                        for c in Credential::ALL {
                            per_class[c as usize] = counts.credential(c);
                        }
                    }
                }
                let words = Credential::ALL
                    .iter()
                    .filter(|c| **c != Credential::None)
                    .map(|c| (c.value(), per_class[*c as usize]))
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
                .and_then(|id| counts.shared_principal(store, id, base));
            match shared {
                Some(accounts) => {
                    for (account, n) in accounts {
                        self.suggestions
                            .items
                            .push((format!("{value} · {account}"), n));
                        self.suggestions.terms.push(Some(format!(
                            "{} {}",
                            term_text(field, value),
                            term_text("account", &account)
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
    pub fn move_suggestion(&mut self, n: isize) {
        let len = self.suggestions.items.len();
        if len > 0 {
            let s = self.suggestions.selected as isize + n;
            self.suggestions.selected = s.rem_euclid(len as isize) as usize;
        }
    }

    /// Replaces the word at the cursor with the `field:value` term of the selected
    /// suggestion; true when the text changed.
    pub fn complete(&mut self) -> bool {
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
        let chars: Vec<char> = self.input.chars().collect();
        let mut text: String = chars[..start].iter().collect();
        match self.suggestions.terms.get(self.suggestions.selected) {
            // Two terms: a negation before them takes both.
            Some(Some(exact)) if text.ends_with('-') => text.push_str(&format!("({exact})")),
            Some(Some(exact)) => text.push_str(exact),
            _ => text.push_str(&term_text(self.suggestions.field, &value)),
        }
        let cursor = text.chars().count();
        text.extend(&chars[end..]);
        let changed = text != self.input;
        self.input = text;
        self.cursor = cursor;
        changed
    }
}

/// The fields whose values are suggested after `field:` (their first column), besides
/// `credential:`; bare words suggest eventNames.
pub const SUGGESTED: &[Col] = &[
    Col::Name,
    Col::Principal,
    Col::Ip,
    Col::Source,
    Col::Region,
    Col::RecipientAccount,
    Col::AccessKey,
    Col::Agent,
    Col::Error,
    Col::UserName,
    Col::SessionName,
    Col::IdentityType,
    Col::EventType,
    Col::Category,
];

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

/// The values of `col` that some event holds (of `base`, when given), with their counts.
fn column_values<'s>(
    store: &'s Store,
    counts: &ValueCounts,
    col: Col,
    base: Option<&[u32]>,
) -> Vec<(&'s str, usize)> {
    let counted;
    let per_id = match base {
        Some(rows) => {
            let ids = store.ids(col);
            let mut by_id = vec![0usize; store.strings(col).len()];
            for &row in rows {
                by_id[ids[row as usize] as usize] += 1;
            }
            counted = by_id;
            counted.as_slice()
        }
        None => counts.get(col),
    };
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
    use super::*;

    fn bar(text: &str, cursor: usize) -> FilterBar {
        let mut bar = FilterBar::new(text.into());
        bar.cursor = cursor;
        bar
    }

    #[test]
    fn edits_work_on_characters_not_bytes() {
        let mut b = bar("é principal:alice", 1);
        assert!(b.edit(Edit::Char('x')));
        assert_eq!(b.input, "éx principal:alice");
        assert!(b.edit(Edit::Backspace));
        assert!(b.edit(Edit::Backspace));
        assert_eq!((b.input.as_str(), b.cursor), (" principal:alice", 0));
        assert!(!b.edit(Edit::Backspace));
        b.edit(Edit::End);
        assert!(b.edit(Edit::DeleteWord));
        assert_eq!(b.input, " ");
        let mut b = bar("name:x ip:1.2.3.4", 7);
        assert!(b.edit(Edit::DeleteToStart));
        assert_eq!((b.input.as_str(), b.cursor), ("ip:1.2.3.4", 0));
    }

    #[test]
    fn history_walks_back_and_returns_to_the_saved_text() {
        let mut b = FilterBar::new("now".into());
        b.remember("a".into());
        b.remember("b".into());
        b.remember("b".into());
        b.begin();
        assert!(b.recall(-1));
        assert_eq!(b.input, "b");
        assert!(b.recall(-1));
        assert_eq!(b.input, "a");
        assert!(b.recall(-1));
        assert_eq!(b.input, "a");
        b.recall(1);
        b.recall(1);
        assert_eq!(b.input, "now");
    }
}
