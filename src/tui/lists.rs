//! The lists drawn over the panes — help, problems, detections, suspects, the summary,
//! marks, columns — as lines of text, and `/` `n` `N` finding a line in them.

use super::action::{Action, Verb};
use super::detections::Detections;
use super::focus::Overlay;
use super::grid::{self, Column, ColumnEdit};
use super::overview::OverviewPart;
use crate::store::{Col, Session, Store};

/// What the lists are made of: the parts' state they show.
pub struct Parts<'a> {
    pub overlay: &'a Overlay,
    pub problems: &'a [String],
    pub detections: &'a Detections,
    pub overview: &'a OverviewPart,
    pub session: &'a Session,
    pub store: &'a Store,
    /// The marks list's selected line.
    pub mark: usize,
    /// The columns chosen, and the picker's selected line.
    pub columns: &'a [Column],
    pub column: usize,
}

/// An open list: its lines as text, the line selected, and the action that moves it.
pub struct List {
    pub lines: Vec<String>,
    pub at: usize,
    pub move_by: fn(isize) -> Action,
}

impl Parts<'_> {
    /// The open list, or `None` when no list is drawn over the panes.
    pub fn list(&self) -> Option<List> {
        let (lines, at, move_by): (Vec<String>, usize, fn(isize) -> Action) = match *self.overlay {
            Overlay::None => return None,
            Overlay::Help { offset } => (
                super::keymap::KEYS
                    .iter()
                    .map(|k| format!("{} {}", k.keys, k.what))
                    .collect(),
                offset,
                Action::HelpMove,
            ),
            Overlay::Problems { offset } => (self.problems.to_vec(), offset, Action::ProblemsMove),
            Overlay::Detections => (
                self.detections.rule_lines(self.session.hits()),
                self.detections.selected,
                Action::DetectionsMove,
            ),
            Overlay::Suspects => (
                self.detections.suspect_lines(),
                self.detections.suspect,
                Action::SuspectsMove,
            ),
            Overlay::Overview => (
                self.overview.entry_texts(),
                self.overview.selected,
                Action::OverviewMove,
            ),
            Overlay::Marks => (
                self.session
                    .marks()
                    .iter()
                    .map(|(&row, note)| {
                        format!("{} {note}", self.store.get(Col::Name, row as usize))
                    })
                    .collect(),
                self.mark,
                |n| Action::Verb(Verb::MarksMove(n)),
            ),
            Overlay::Columns => (
                grid::picker(self.columns)
                    .iter()
                    .map(|f| format!("{} {}", f.name, f.header))
                    .collect(),
                self.column,
                |n| Action::Columns(ColumnEdit::Move(n)),
            ),
        };
        Some(List { lines, at, move_by })
    }
}

impl List {
    /// The move to the next (`direction` 1) or previous (-1) line holding `needle` (lower
    /// case), round the end; what to say when no line holds it.
    pub fn find(&self, needle: &str, direction: isize) -> Result<Action, String> {
        let len = self.lines.len();
        let at = self.at as isize;
        (1..=len as isize)
            .map(|step| (at + direction * step).rem_euclid(len.max(1) as isize))
            .find(|&i| self.lines[i as usize].to_lowercase().contains(needle))
            .map(|i| (self.move_by)(i - at))
            .ok_or_else(|| {
                format!(
                    "\"{}\" is in no row of this list",
                    crate::text::sanitize(needle)
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(lines: &[&str], at: usize) -> List {
        List {
            lines: lines.iter().map(|l| l.to_string()).collect(),
            at,
            move_by: Action::HelpMove,
        }
    }

    #[test]
    fn find_goes_round_the_end_both_ways() {
        let rules = list(&["CreateUser a", "ConsoleLogin b", "createuser c"], 1);
        assert!(matches!(
            rules.find("createuser", 1),
            Ok(Action::HelpMove(1))
        ));
        assert!(matches!(
            rules.find("createuser", -1),
            Ok(Action::HelpMove(-1))
        ));
        assert!(matches!(rules.find("login", 1), Ok(Action::HelpMove(0))));
        assert_eq!(
            rules.find("stop\u{1b}", 1).err().as_deref(),
            Some("\"stop\\x1b\" is in no row of this list")
        );
        assert!(list(&[], 0).find("x", 1).is_err());
    }
}
