//! The one line editor the filter bar and the prompt share: a text and a cursor counted in
//! characters, and the edits of a shell's line editor.

/// An edit of a line's text.
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
    /// Readline's Ctrl-K.
    DeleteToEnd,
    /// Readline's Alt-B and Alt-F: to the start of this word (or the one before), to the
    /// end of this word (or the one after).
    WordLeft,
    WordRight,
}

/// A line being edited; the cursor is a character index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    pub text: String,
    pub cursor: usize,
    /// The whole text is selected (a filter reopened with `/`): typing replaces it,
    /// Backspace or Delete clears it, a motion or readline's Ctrl-W / Ctrl-U / Ctrl-K keeps
    /// it and acts from the cursor.
    pub selected: bool,
}

impl LineEditor {
    /// `text`, the cursor at its end.
    pub fn new(text: String) -> LineEditor {
        LineEditor {
            cursor: text.chars().count(),
            text,
            selected: false,
        }
    }

    /// `text` with all of it selected, the cursor at its end.
    pub fn selecting(text: String) -> LineEditor {
        LineEditor {
            selected: !text.is_empty(),
            ..LineEditor::new(text)
        }
    }

    /// Replaces the text, the cursor at its end.
    pub fn set(&mut self, text: String) {
        *self = LineEditor::new(text);
    }

    /// The byte offset of character `index`.
    pub fn byte_at(&self, index: usize) -> usize {
        self.text
            .char_indices()
            .nth(index)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// An edit of the selected text: typing replaces it, Backspace or Delete clears it;
    /// `None` for the keys that act from the cursor as without the selection (readline's
    /// Ctrl-W after `/` takes the last term off).
    fn replace_selection(&mut self, edit: Edit) -> Option<bool> {
        match edit {
            Edit::Char(c) if !c.is_control() => {
                *self = LineEditor::new(c.to_string());
                Some(true)
            }
            Edit::Char(_) => Some(false),
            Edit::Backspace | Edit::Delete => {
                let had = !self.text.is_empty();
                *self = LineEditor::default();
                Some(had)
            }
            _ => None,
        }
    }

    /// Where readline's Alt-B goes: the start of this word, or of the one before.
    fn word_start(&self) -> usize {
        let chars: Vec<char> = self.text.chars().collect();
        let mut at = self.cursor.min(chars.len());
        while at > 0 && !is_word(chars[at - 1]) {
            at -= 1;
        }
        while at > 0 && is_word(chars[at - 1]) {
            at -= 1;
        }
        at
    }

    /// Where readline's Alt-F goes: the end of this word, or of the one after.
    fn word_end(&self) -> usize {
        let chars: Vec<char> = self.text.chars().collect();
        let mut at = self.cursor.min(chars.len());
        while at < chars.len() && !is_word(chars[at]) {
            at += 1;
        }
        while at < chars.len() && is_word(chars[at]) {
            at += 1;
        }
        at
    }

    /// Applies an edit; true when the text changed. A control character is never typed
    /// into the text.
    pub fn edit(&mut self, edit: Edit) -> bool {
        if std::mem::take(&mut self.selected) {
            if let Some(changed) = self.replace_selection(edit) {
                return changed;
            }
        }
        let len = self.text.chars().count();
        match edit {
            Edit::Char(c) if !c.is_control() => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                true
            }
            Edit::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            Edit::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            Edit::DeleteWord => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor.min(chars.len());
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                let end = self.cursor.min(chars.len());
                self.text = chars[..start].iter().chain(&chars[end..]).collect();
                self.cursor = start;
                start != end
            }
            Edit::DeleteToStart => {
                let at = self.byte_at(self.cursor);
                self.text.replace_range(..at, "");
                self.cursor = 0;
                at > 0
            }
            Edit::DeleteToEnd => {
                let at = self.byte_at(self.cursor);
                self.text.truncate(at);
                self.cursor < len
            }
            Edit::WordLeft => {
                self.cursor = self.word_start();
                false
            }
            Edit::WordRight => {
                self.cursor = self.word_end();
                false
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
            Edit::Char(_) | Edit::Backspace | Edit::Delete => false,
        }
    }
}

/// A character of a word, as readline's word motions see it: a filter's `name:Create*`
/// is three words.
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, cursor: usize) -> LineEditor {
        LineEditor {
            text: text.into(),
            cursor,
            selected: false,
        }
    }

    #[test]
    fn a_selected_line_is_replaced_by_typing_and_kept_by_a_motion() {
        let mut l = LineEditor::selecting("origin:eve".into());
        assert!(l.edit(Edit::Char('i')));
        assert_eq!((l.text.as_str(), l.cursor, l.selected), ("i", 1, false));
        let mut l = LineEditor::selecting("origin:eve".into());
        assert!(!l.edit(Edit::Left));
        assert!(l.edit(Edit::Char('x')));
        assert_eq!(l.text, "origin:evxe", "the arrow kept the text");
        let mut l = LineEditor::selecting("origin:eve".into());
        assert!(l.edit(Edit::Backspace));
        assert_eq!(l.text, "");
        let mut l = LineEditor::selecting("origin:eve ip:1".into());
        assert!(l.edit(Edit::DeleteWord));
        assert_eq!(l.text, "origin:eve ", "Ctrl-W takes the last term off");
        assert!(!LineEditor::selecting(String::new()).selected);
    }

    #[test]
    fn edits_work_on_characters_not_bytes() {
        let mut l = line("é", 1);
        assert!(l.edit(Edit::Char('x')));
        assert_eq!(l.text, "éx");
        assert!(l.edit(Edit::Backspace));
        assert!(l.edit(Edit::Backspace));
        assert_eq!((l.text.as_str(), l.cursor), ("", 0));
        assert!(!l.edit(Edit::Backspace));
    }

    #[test]
    fn words_and_the_start_are_deleted_as_in_a_shell() {
        let mut l = line("name:A  ip:1", 12);
        assert!(l.edit(Edit::DeleteWord));
        assert_eq!((l.text.as_str(), l.cursor), ("name:A  ", 8));
        assert!(l.edit(Edit::DeleteWord));
        assert_eq!(l.text, "");
        let mut l = line("abc def", 4);
        assert!(l.edit(Edit::DeleteToStart));
        assert_eq!((l.text.as_str(), l.cursor), ("def", 0));
        assert!(!l.edit(Edit::Char('\u{1b}')), "no control is typed");
    }

    #[test]
    fn readline_moves_by_words_and_kills_to_the_end() {
        let mut l = line("name:CreateUser ip:10.0.0.1", 27);
        l.edit(Edit::WordLeft);
        assert_eq!(l.cursor, 26, "to the start of `1`");
        l.edit(Edit::WordLeft);
        l.edit(Edit::WordLeft);
        l.edit(Edit::WordLeft);
        l.edit(Edit::WordLeft);
        assert_eq!(l.cursor, 16, "to the start of `ip`");
        l.edit(Edit::WordLeft);
        assert_eq!(l.cursor, 5, "to the start of `CreateUser`");
        l.edit(Edit::WordRight);
        assert_eq!(l.cursor, 15, "to the end of `CreateUser`");
        assert!(l.edit(Edit::DeleteToEnd));
        assert_eq!((l.text.as_str(), l.cursor), ("name:CreateUser", 15));
        assert!(!l.edit(Edit::DeleteToEnd), "nothing after the cursor");
        l.edit(Edit::Home);
        l.edit(Edit::WordLeft);
        assert_eq!(l.cursor, 0);
    }
}
