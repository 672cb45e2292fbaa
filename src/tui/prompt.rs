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
            "write" | "w" => self.export(rest, false, false),
            "write!" | "w!" => self.export(rest, false, true),
            "write-marks" | "wm" => self.export(rest, true, false),
            "write-marks!" | "wm!" => self.export(rest, true, true),
            "note" => self.set_note(rest.to_string()),
            "" => {}
            other => {
                self.message = Some(format!(
                "unknown command `{}`: goto TIME, write[!] FILE, write-marks[!] FILE, note TEXT",
                sanitize(other)
            ))
            }
        }
        None
    }

    /// `:goto 2024-05-02T14:05`, a date, or `-2h` (before the newest event): selects the
    /// event nearest that time in the result, the filter unchanged.
    pub(super) fn go_to_time(&mut self, text: &str) {
        let Some(bound) = parse_time_bound(text).or_else(|| self.time_of_day(text)) else {
            self.message = Some(format!(
                "expected a time (2024-05-03, 2024-05-03 14:02, 14:02 on the selected event's day, epoch seconds or -2h), found `{}`",
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

    /// `14:05` or `14:05:30`: that time on the day (UTC) of the selected event.
    fn time_of_day(&self, text: &str) -> Option<TimeBound> {
        let time = chrono::NaiveTime::parse_from_str(text, "%H:%M")
            .or_else(|_| chrono::NaiveTime::parse_from_str(text, "%H:%M:%S"))
            .ok()?;
        let row = self.selected_row()?;
        let day =
            chrono::DateTime::from_timestamp_millis(self.store.time(row as usize)?)?.date_naive();
        Some(TimeBound::At(
            day.and_time(time).and_utc().timestamp_millis(),
        ))
    }

    /// `:write FILE`: the result (or with `marks` the marked events, with their notes) to
    /// FILE, in the format its name asks for. An existing file is replaced only with
    /// `replace` (`:write!`), and a loaded input never: the evidence is not overwritten.
    /// The file is written beside itself and renamed into place, so a failed write leaves
    /// what was there.
    fn export(&mut self, file: &str, marks: bool, replace: bool) {
        let Some(format) = Format::of_file_name(file) else {
            self.message = Some(
                "name the file .json (Records), .jsonl, .csv, .timesketch.jsonl or .timesketch.csv"
                    .into(),
            );
            return;
        };
        let rows: Vec<u32> = if marks {
            self.session.marks().keys().copied().collect()
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
        let path = expand_home(file);
        let bang = if marks { ":write-marks!" } else { ":write!" };
        if let Ok(meta) = std::fs::metadata(&path) {
            if is_loaded_input(&meta, &self.summary.input_names) {
                self.message = Some(format!(
                    "{} is one of the loaded inputs: the evidence is never written over",
                    sanitize(file)
                ));
                return;
            }
            if !replace {
                self.message = Some(format!(
                    "{} exists: {bang} {} replaces it",
                    sanitize(file),
                    sanitize(file)
                ));
                return;
            }
        }
        let written = crate::files::write_whole(&path, std::io::BufWriter::new, |out| {
            if marks {
                crate::output::write_with_notes(out, &self.store, &self.session, &rows, format)
            } else {
                crate::output::write(out, &self.store, &self.session, &rows, format, &[])
            }
        });
        self.message = Some(match written {
            Ok(()) => format!(
                "wrote {} events to {}",
                crate::text::thousands(rows.len()),
                sanitize(&path.display().to_string())
            ),
            Err(e) => format!("cannot write {}: {e}", sanitize(file)),
        });
    }
}

/// `~/x` as the home folder's `x`, as a shell would read it.
fn expand_home(file: &str) -> std::path::PathBuf {
    match (file.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ if file == "~" => std::env::var_os("HOME").map_or_else(|| file.into(), Into::into),
        _ => file.into(),
    }
}

/// Whether the file `meta` describes is one of the loaded inputs (the same file, whatever
/// the path it is reached by; a member `a.zip!x.json` counts as its archive).
fn is_loaded_input(meta: &std::fs::Metadata, inputs: &[String]) -> bool {
    use std::os::unix::fs::MetadataExt;
    inputs.iter().any(|name| {
        let file = name
            .split_once('!')
            .map_or(name.as_str(), |(archive, _)| archive);
        std::fs::metadata(file).is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino())
    })
}

#[cfg(test)]
mod tests {
    use super::expand_home;

    #[test]
    fn a_leading_tilde_is_the_home_folder() {
        let Some(home) = std::env::var_os("HOME") else {
            return;
        };
        let home = std::path::PathBuf::from(home);
        assert_eq!(expand_home("~/cases/x.csv"), home.join("cases/x.csv"));
        assert_eq!(expand_home("~"), home);
        assert_eq!(
            expand_home("a~/x.csv"),
            std::path::PathBuf::from("a~/x.csv")
        );
        assert_eq!(
            expand_home("~user/x.csv"),
            std::path::PathBuf::from("~user/x.csv")
        );
    }
}
