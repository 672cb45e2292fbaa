//! The one-line prompt under the filter bar's frame: a note for the selected event (`a`),
//! a search inside the event (`/` in the detail pane), and commands (`:`): `goto TIME`
//! (also `t`), `write FILE` (the result), `write-marks FILE`, `note TEXT`.

use super::app::{App, Focus, Request};
use crate::output::Format;
use crate::query::{parse_time_bound, TimeBound};
use crate::text::sanitize;

/// What Enter does with the prompt's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Note,
    Search,
    Command,
}

/// The prompt being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
    /// In characters.
    pub cursor: usize,
    /// The focus to return to.
    pub(super) from: Focus,
}

impl Prompt {
    pub fn label(&self) -> &'static str {
        match self.kind {
            PromptKind::Note => "note: ",
            PromptKind::Search => "search: ",
            PromptKind::Command => ":",
        }
    }

    fn byte(&self, chars: usize) -> usize {
        self.input
            .char_indices()
            .nth(chars)
            .map_or(self.input.len(), |(i, _)| i)
    }
}

/// An edit of the prompt's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptEdit {
    Char(char),
    Backspace,
    Left,
    Right,
    Home,
    End,
    DeleteToStart,
}

impl App {
    /// Opens the prompt with `text` in it.
    pub(super) fn open_prompt(&mut self, kind: PromptKind, text: String) {
        if self.loading {
            self.message = Some("the load is still running".into());
            return;
        }
        let from = match self.focus {
            Focus::Prompt => Focus::Timeline,
            focus => focus,
        };
        self.prompt = Some(Prompt {
            kind,
            cursor: text.chars().count(),
            input: text,
            from,
        });
        self.focus = Focus::Prompt;
    }

    pub(super) fn prompt_edit(&mut self, edit: PromptEdit) {
        let Some(p) = self.prompt.as_mut() else {
            return;
        };
        let len = p.input.chars().count();
        match edit {
            PromptEdit::Char(c) if !c.is_control() => {
                let at = p.byte(p.cursor);
                p.input.insert(at, c);
                p.cursor += 1;
            }
            PromptEdit::Char(_) => {}
            PromptEdit::Backspace if p.cursor > 0 => {
                let at = p.byte(p.cursor - 1);
                p.input.remove(at);
                p.cursor -= 1;
            }
            PromptEdit::Backspace => {}
            PromptEdit::Left => p.cursor = p.cursor.saturating_sub(1),
            PromptEdit::Right => p.cursor = (p.cursor + 1).min(len),
            PromptEdit::Home => p.cursor = 0,
            PromptEdit::End => p.cursor = len,
            PromptEdit::DeleteToStart => {
                let at = p.byte(p.cursor);
                p.input.replace_range(..at, "");
                p.cursor = 0;
            }
        }
    }

    pub(super) fn prompt_cancel(&mut self) {
        if let Some(p) = self.prompt.take() {
            self.focus = p.from;
        }
    }

    /// Enter: does what the prompt is for.
    pub(super) fn prompt_accept(&mut self) -> Option<Request> {
        let p = self.prompt.take()?;
        self.focus = p.from;
        let text = p.input.trim().to_string();
        match p.kind {
            PromptKind::Note => {
                self.set_note(text);
                None
            }
            PromptKind::Search => {
                self.search(text);
                None
            }
            PromptKind::Command => self.command(&text),
        }
    }

    /// A `:` command.
    fn command(&mut self, text: &str) -> Option<Request> {
        let (verb, rest) = text.split_once(' ').unwrap_or((text, ""));
        let rest = rest.trim();
        match verb {
            "goto" | "go" | "g" | "t" => self.go_to_time(rest),
            "write" | "w" => self.export(rest, false),
            "write-marks" | "wm" => self.export(rest, true),
            "note" => self.set_note(rest.to_string()),
            "" => {}
            other => {
                self.message = Some(format!(
                    "unknown command `{}`: goto TIME, write FILE, write-marks FILE, note TEXT",
                    sanitize(other)
                ))
            }
        }
        None
    }

    /// `:goto 2024-05-02T14:05`, a date, or `-2h` (before the newest event): selects the
    /// event nearest that time in the result, the filter unchanged.
    pub(super) fn go_to_time(&mut self, text: &str) {
        let Some(bound) = parse_time_bound(text) else {
            self.message = Some(format!(
                "expected a time (2024-05-03, 2024-05-03T14:02:11Z or -2h), found `{}`",
                sanitize(text)
            ));
            return;
        };
        let target = match bound {
            TimeBound::At(t) => t,
            TimeBound::BeforeNewest(ms) => self.store.newest().unwrap_or(0) - ms,
        };
        let rows = std::sync::Arc::clone(&self.timeline.rows);
        if rows.is_empty() {
            return;
        }
        let time = |i: usize| self.store.time(rows[i] as usize).unwrap_or(i64::MIN);
        let after =
            rows.partition_point(|&r| self.store.time(r as usize).unwrap_or(i64::MIN) < target);
        // The nearer of the events either side of the time.
        let index = match after {
            0 => 0,
            i if i >= rows.len() => rows.len() - 1,
            i if target - time(i - 1) <= time(i) - target => i - 1,
            i => i,
        };
        self.remember();
        self.timeline.jump(index);
        let at = self
            .store
            .time(rows[index] as usize)
            .map(crate::event::display_time)
            .unwrap_or_default();
        self.message = Some(format!(
            "the event nearest that time: {at} (Ctrl-O goes back)"
        ));
    }

    /// `:write FILE`: the result (or with `marks` the marked events) to FILE, in the format
    /// its name asks for.
    fn export(&mut self, file: &str, marks: bool) {
        let Some(format) = Format::of_file_name(file) else {
            self.message = Some(
                "name the file .json (Records), .jsonl, .csv, .timesketch.jsonl or .timesketch.csv"
                    .into(),
            );
            return;
        };
        let rows: Vec<u32> = if marks {
            self.store.marks().keys().copied().collect()
        } else {
            self.timeline.rows.to_vec()
        };
        if rows.is_empty() {
            self.message = Some(
                if marks {
                    "no marked events"
                } else {
                    "no events to write"
                }
                .into(),
            );
            return;
        }
        let path = std::path::Path::new(file);
        let written = std::fs::File::create(path).and_then(|f| {
            let mut out = std::io::BufWriter::new(f);
            crate::output::write(&mut out, &self.store, &rows, format, &[])
        });
        self.message = Some(match written {
            Ok(()) => format!(
                "wrote {} events to {}",
                crate::text::thousands(rows.len()),
                sanitize(file)
            ),
            Err(e) => format!("cannot write {}: {e}", sanitize(file)),
        });
    }
}
