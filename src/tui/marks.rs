//! Marks and notes (`m`, `u` / `U`, `a`, `M`) and the case file they are kept in. The
//! marks themselves are in the session; this part keeps the case file, the marks list's
//! cursor, and turns keys into changes of the session.

use std::path::PathBuf;

use super::case_file::{CaseFile, Restored};
use super::effect::{say, Ctx, Effect, Effects, MarksChange};
use super::focus::Overlay;
use super::prompt::PromptKind;
use crate::text::{count, thousands};

/// The marks' messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarksMsg {
    /// Mark or unmark the selected event.
    Toggle,
    /// The next (+1) / previous (-1) marked event of the result.
    Step(isize),
    /// Show or hide the marks list; move in it; select its event.
    List,
    ListMove(isize),
    ListChoose,
    /// Edit the selected event's note.
    Note,
}

/// Marks and the case file.
#[derive(Debug, Default)]
pub struct Marks {
    /// The case file marks, notes and filters are kept in.
    pub case: Option<CaseFile>,
    /// The marks list's selected line.
    pub selected: usize,
}

impl Marks {
    /// Keeps a case file at `path` for these inputs (restored once the load is done).
    pub fn with_case(path: PathBuf, inputs: Vec<String>) -> Marks {
        Marks {
            case: Some(CaseFile::new(path, inputs)),
            selected: 0,
        }
    }

    pub fn update(&mut self, ctx: &Ctx, msg: MarksMsg) -> Effects {
        let marks = ctx.session.marks();
        match msg {
            MarksMsg::Toggle => {
                let Some(row) = ctx.selected() else {
                    return Vec::new();
                };
                let marked = !marks.contains_key(&row);
                let n = if marked {
                    marks.len() + 1
                } else {
                    marks.len() - 1
                };
                vec![
                    Effect::Marks(MarksChange::Toggle(row)),
                    Effect::Say(if marked {
                        format!(
                            "marked ({}; u / U step, a notes, M lists)",
                            count(n, "mark")
                        )
                    } else {
                        format!("unmarked ({})", count(n, "mark"))
                    }),
                ]
            }
            MarksMsg::Step(direction) => {
                let rows = &ctx.rows;
                let from = ctx.index;
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
                match target {
                    Some(index) => vec![Effect::Select {
                        index,
                        remember: true,
                    }],
                    None if marks.is_empty() => say("no marks (m marks an event)"),
                    None => {
                        let edge = if direction > 0 { "after" } else { "before" };
                        say(format!("no mark {edge} this event in the result"))
                    }
                }
            }
            MarksMsg::List if marks.is_empty() => say("no marks (m marks an event)"),
            MarksMsg::List => {
                self.selected = 0;
                vec![Effect::Overlay(Overlay::Marks)]
            }
            MarksMsg::ListMove(n) => {
                let last = marks.len().saturating_sub(1) as isize;
                self.selected = (self.selected as isize + n).clamp(0, last) as usize;
                Vec::new()
            }
            MarksMsg::ListChoose => {
                let Some(&row) = marks.keys().nth(self.selected) else {
                    return Vec::new();
                };
                vec![
                    Effect::Overlay(Overlay::None),
                    Effect::Show {
                        row,
                        inside: None,
                        outside:
                            "the mark is outside the filter: showing every event (Ctrl-O goes back)"
                                .into(),
                    },
                ]
            }
            MarksMsg::Note => {
                let note = ctx
                    .selected()
                    .and_then(|r| marks.get(&r).cloned())
                    .unwrap_or_default();
                vec![Effect::Prompt(PromptKind::Note, note)]
            }
        }
    }

    /// The case as read once the load was done: its marks for the session, and what to
    /// say. A case that cannot be kept is let go.
    pub fn restored(&mut self, restored: Restored) -> Option<RestoredCase> {
        let file = self.case.as_mut()?;
        match restored {
            Restored::Nothing => None,
            Restored::Unusable(problem) => {
                self.case = None;
                Some(RestoredCase::Problem(problem))
            }
            Restored::SetAside(problem) => Some(RestoredCase::Problem(problem)),
            Restored::Case {
                case,
                marks,
                elsewhere,
            } => {
                file.restored = case.marks.clone();
                let mut message = format!("case restored: {} marks", thousands(marks.len()));
                if !elsewhere.is_empty() {
                    message.push_str(&format!(
                        " ({} not in these inputs, kept in the case)",
                        thousands(elsewhere.len())
                    ));
                }
                file.elsewhere = elsewhere;
                Some(RestoredCase::Case {
                    marks,
                    history: case.history,
                    filter: case.filter,
                    view: case.view,
                    message,
                })
            }
        }
    }
}

/// What a restored case gives the explorer.
#[derive(Debug)]
pub enum RestoredCase {
    /// A problem for the load's list.
    Problem(String),
    Case {
        marks: std::collections::BTreeMap<u32, String>,
        history: Vec<String>,
        filter: String,
        /// The columns and order the case was shown in (untrusted: checked when set).
        view: std::collections::BTreeMap<String, String>,
        message: String,
    },
}
