//! Marks and notes (`m`, `u` / `U`, `a`, `M`), the case file they are kept in, and the
//! search inside an event (`/` in the detail pane, `n` / `N`), copying (`y`, `Y`) and
//! stepping through errors (`e` / `E`).

use std::sync::Arc;

use std::path::PathBuf;

use super::app::{App, Overlay, Request};
use super::jumps::Place;
use crate::case::Case;
use crate::schema::Col;
use crate::text::{sanitize, thousands};

/// The case file of this session and what it holds.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub path: PathBuf,
    pub case: Case,
    /// Marks of events these inputs do not hold: kept in the case as they were.
    pub elsewhere: Vec<crate::case::Mark>,
    /// The marks of the case as this session read it: a mark on disk that is not among
    /// them was added since by another session, and is kept when this one saves.
    pub restored: Vec<crate::case::Mark>,
}

impl CaseFile {
    pub fn new(path: PathBuf, inputs: Vec<String>) -> CaseFile {
        CaseFile {
            path,
            case: Case::new(inputs),
            elsewhere: Vec::new(),
            restored: Vec::new(),
        }
    }
}

impl App {
    /// Reads the case once the load is done: marks back on their events, the filter
    /// history, and the last filter unless one was given.
    pub(super) fn restore_case(&mut self, given_filter: bool) -> Option<Request> {
        let file = self.case.as_mut()?;
        let case = match Case::read(&file.path) {
            Ok(Some(case)) => case,
            Ok(None) => return None,
            Err(e @ crate::case::CaseError::Io { .. }) => {
                // Not a file the case can be kept in (a folder, a FIFO, a device, one
                // unreadable): left as it is, and this session keeps no case.
                self.summary.problems.push(format!(
                    "{} (no case is kept this session)",
                    sanitize(&e.to_string())
                ));
                self.case = None;
                return None;
            }
            Err(e) => {
                // Never trusted, never overwritten: set aside, and a fresh case begun.
                let mut aside = file.path.as_os_str().to_owned();
                aside.push(".unreadable");
                let _ = std::fs::rename(&file.path, &aside);
                self.summary.problems.push(format!(
                    "{} (set aside as {})",
                    sanitize(&e.to_string()),
                    sanitize(&PathBuf::from(aside).display().to_string())
                ));
                return None;
            }
        };
        file.restored = case.marks.clone();
        let (marks, elsewhere) = case.resolve(&self.store);
        let restored = marks.len();
        *Arc::make_mut(&mut self.session).marks_mut() = marks;
        let missing = elsewhere.len();
        file.elsewhere = elsewhere;
        self.filter.history = case.history.clone();
        let mut message = format!("case restored: {} marks", thousands(restored));
        if missing > 0 {
            message.push_str(&format!(
                " ({} not in these inputs, kept in the case)",
                thousands(missing)
            ));
        }
        let request = if !given_filter && !case.filter.is_empty() {
            message.push_str(", the last filter (Ctrl-O: every event)");
            self.jumps.push(Place {
                filter: String::new(),
                row: self.selected_row(),
            });
            self.filter.set_input(case.filter.clone());
            self.set_filter(case.filter)
        } else {
            None
        };
        self.message = Some(message);
        request
    }

    /// Writes the case file (marks, notes, the filter and its history).
    pub(super) fn save_case(&mut self) {
        let marks = self.session.marks().clone();
        let Some(file) = self.case.as_mut() else {
            return;
        };
        file.case.set_marks(&self.store, &marks);
        let same_event = |a: &crate::case::Mark, b: &crate::case::Mark| {
            (&a.event_id, &a.event_time, &a.account) == (&b.event_id, &b.event_time, &b.account)
        };
        // An event whose file changed since the load cannot be read to name it: it keeps
        // the identity it was restored with.
        for mark in file.case.marks.iter_mut().filter(|m| m.sha256.is_empty()) {
            if let Some(known) = file.restored.iter().find(|r| same_event(r, mark)) {
                mark.sha256 = known.sha256.clone();
            }
        }
        file.case.marks.extend(file.elsewhere.iter().cloned());
        // Marks another session saved since this one read the case are kept: two explorers
        // on one case lose neither's marks.
        if let Ok(Some(on_disk)) = Case::read(&file.path) {
            for mark in on_disk.marks {
                let known = |m: &crate::case::Mark| m == &mark || same_event(m, &mark);
                let added_elsewhere = !file
                    .restored
                    .iter()
                    .any(|r| r.sha256 == mark.sha256 && same_event(r, &mark));
                if added_elsewhere && !file.case.marks.iter().any(known) {
                    file.case.marks.push(mark);
                }
            }
        }
        file.case.filter = self.filter.applied.clone();
        file.case.history = self.filter.history.clone();
        if let Err(e) = file.case.write(&file.path) {
            self.message = Some(format!("case not saved: {}", sanitize(&e.to_string())));
        }
    }

    /// `m`: marks or unmarks the selected event.
    pub(super) fn toggle_mark(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let marks = self.marks_mut();
        let marked = marks.remove(&row).is_none();
        if marked {
            marks.insert(row, String::new());
        }
        let n = self.session.marks().len();
        self.message = Some(if marked {
            format!("marked ({n} marks; u / U step, a notes, M lists)")
        } else {
            format!("unmarked ({n} marks)")
        });
        self.save_case();
    }

    /// The note of the selected event (marking it); an empty note removes the note only.
    pub(super) fn set_note(&mut self, note: String) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let note: String = note.chars().filter(|c| !c.is_control()).collect();
        self.marks_mut().insert(row, note.clone());
        self.message = Some(if note.is_empty() {
            "note removed (the event stays marked)".into()
        } else {
            format!("noted: {}", sanitize(&note))
        });
        self.save_case();
    }

    /// `u` / `U`: the next / previous marked event of the result.
    pub(super) fn step_mark(&mut self, direction: isize) {
        let marks = self.session.marks();
        let rows = &self.timeline.rows;
        let from = self.timeline.selected;
        let target = if direction > 0 {
            rows[(from + 1).min(rows.len())..]
                .iter()
                .position(|r| marks.contains_key(r))
                .map(|i| from + 1 + i)
        } else {
            rows[..from.min(rows.len())]
                .iter()
                .rposition(|r| marks.contains_key(r))
        };
        let total = marks.len();
        match target {
            Some(index) => {
                self.remember();
                self.timeline.jump(index);
            }
            None if total == 0 => self.message = Some("no marks (m marks an event)".into()),
            None => {
                let edge = if direction > 0 { "after" } else { "before" };
                self.message = Some(format!("no mark {edge} this event in the result"));
            }
        }
    }

    /// `M`: the marks list.
    pub(super) fn toggle_marks_list(&mut self) {
        self.overlay = match self.overlay {
            Overlay::Marks { .. } => Overlay::None,
            _ if self.session.marks().is_empty() => {
                self.message = Some("no marks (m marks an event)".into());
                Overlay::None
            }
            _ => Overlay::Marks { selected: 0 },
        }
    }

    pub(super) fn marks_move(&mut self, n: isize) {
        if let Overlay::Marks { selected } = self.overlay {
            let last = self.session.marks().len().saturating_sub(1) as isize;
            let selected = (selected as isize + n).clamp(0, last) as usize;
            self.overlay = Overlay::Marks { selected };
        }
    }

    /// Enter in the marks list: selects that event (the filter clears if it hides it).
    pub(super) fn marks_choose(&mut self) -> Option<Request> {
        let Overlay::Marks { selected } = self.overlay else {
            return None;
        };
        let row = *self.session.marks().keys().nth(selected)?;
        self.overlay = Overlay::None;
        self.remember();
        if let Some(index) = self.timeline.index_of(row) {
            self.timeline.jump(index);
            return None;
        }
        self.message =
            Some("the mark is outside the filter: showing every event (Ctrl-O goes back)".into());
        self.pending_select = Some(row);
        self.filter.set_input(String::new());
        self.set_filter(String::new())
    }

    /// `e` / `E`: the next / previous event that failed.
    pub(super) fn step_error(&mut self, direction: isize) {
        let errors = self.store.ids(Col::Error);
        let rows = &self.timeline.rows;
        let from = self.timeline.selected;
        let failed = |r: &u32| errors[*r as usize] != 0;
        let target = if direction > 0 {
            rows[(from + 1).min(rows.len())..]
                .iter()
                .position(failed)
                .map(|i| from + 1 + i)
        } else {
            rows[..from.min(rows.len())].iter().rposition(failed)
        };
        match target {
            Some(index) => self.timeline.jump(index),
            None => {
                let edge = if direction > 0 { "after" } else { "before" };
                self.message = Some(format!("no error {edge} this event"));
            }
        }
    }
}

impl App {
    /// Keeps a case file at `path` for these inputs (restored once the load is done).
    pub fn with_case(mut self, path: PathBuf, inputs: Vec<String>) -> App {
        self.case = Some(CaseFile::new(path, inputs));
        self
    }

    /// One of the investigator's verbs.
    pub(super) fn verb(&mut self, verb: super::action::Verb) -> Option<Request> {
        use super::action::Verb;
        use super::prompt::PromptKind;
        match verb {
            Verb::ToggleMark => self.toggle_mark(),
            Verb::StepMark(n) => self.step_mark(n),
            Verb::ToggleMarks => self.toggle_marks_list(),
            Verb::MarksMove(n) => self.marks_move(n),
            Verb::MarksChoose => return self.marks_choose(),
            Verb::Note => {
                let note = self
                    .selected_row()
                    .and_then(|r| self.session.marks().get(&r).cloned())
                    .unwrap_or_default();
                self.open_prompt(PromptKind::Note, note);
            }
            Verb::Command(text) => self.open_prompt(PromptKind::Command, text.to_string()),
            Verb::Search => {
                let text = self.detail.search.clone().unwrap_or_default();
                self.open_prompt(PromptKind::Search, text);
            }
            Verb::SearchStep(n) => self.search_step(n),
            Verb::StepError(n) => self.step_error(n),
            Verb::Copy { term } => self.copy(term),
            Verb::Prompt(edit) => self.prompt_edit(edit),
            Verb::PromptAccept => return self.prompt_accept(),
            Verb::PromptCancel => self.prompt_cancel(),
        }
        None
    }
}
