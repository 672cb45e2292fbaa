//! Level tuning: the level a rule is shown at, set apart from the level its author gave it.
//! The format is Hayabusa's `level_tuning.txt` (`id,new_level`, a header line, `#` comments).
//! The shipped tuning makes informational the hunting rules that fired on benign trails
//! (see `level_tuning.txt` for each rule's measured hits); a user's file adds to it.

use super::rule::Level;
use super::{RuleError, RuleSet};

/// The largest tuning file read.
const MAX_TUNING_FILE: u64 = 4 << 20;

/// The shipped tuning.
pub const SHIPPED: &str = include_str!("level_tuning.txt");

/// Rule ids and the levels they are shown at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tuning {
    pub levels: Vec<(String, Level)>,
}

impl Tuning {
    /// Reads `text` (from `file`): every line `id,level`, or what is wrong with it, naming
    /// the file and line.
    pub fn parse(file: &str, text: &str) -> Result<Tuning, RuleError> {
        let mut levels = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() || line.replace(' ', "") == "id,new_level" {
                continue;
            }
            let fail = |reason: String| RuleError {
                file: format!("{file}:{}", n + 1),
                what: "(level tuning)".into(),
                reason,
            };
            let Some((id, level)) = line.split_once(',') else {
                return Err(fail(format!("expected `id,level`, found `{line}`")));
            };
            let level = Level::parse(level.trim()).ok_or_else(|| {
                fail(format!(
                    "`{}` is no level (informational, low, medium, high, critical)",
                    level.trim()
                ))
            })?;
            levels.push((id.trim().to_string(), level));
        }
        Ok(Tuning { levels })
    }
}

impl RuleSet {
    /// The levels the rules are shown at: the shipped tuning (with the shipped rules), then
    /// each of `files`; none with `own_levels`, which also leaves out the routine and new
    /// verdicts (`judge`). A file that cannot be read or has a broken
    /// line is a problem of the set, and tunes nothing.
    pub fn tuned(mut self, files: &[std::path::PathBuf], own_levels: bool) -> RuleSet {
        if own_levels {
            self.own_levels = true;
            return self;
        }
        let shipped_rules = self
            .rules
            .iter()
            .any(|r| r.file.starts_with("sigmahq/") || r.file.starts_with("suzaku-rules/"));
        if shipped_rules {
            if let Ok(tuning) = Tuning::parse("level_tuning.txt", SHIPPED) {
                self.tune(&tuning);
            }
        }
        for file in files {
            let name = file.display().to_string();
            let read = crate::files::read_regular(file, MAX_TUNING_FILE).and_then(|b| {
                String::from_utf8(b)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
            });
            match read
                .map_err(|e| RuleError {
                    file: name.clone(),
                    what: "(level tuning)".into(),
                    reason: e.to_string(),
                })
                .and_then(|text| Tuning::parse(&name, &text))
            {
                Ok(tuning) => {
                    self.tune(&tuning);
                }
                Err(e) => self.problems.push(e),
            }
        }
        self
    }

    /// Shows each rule of `tuning` at its level there (the last line for a rule wins); its
    /// own level is kept. Returns how many rules it changed.
    pub fn tune(&mut self, tuning: &Tuning) -> usize {
        let mut changed = 0;
        for rule in &mut self.rules {
            if let Some((_, level)) = tuning.levels.iter().rev().find(|(id, _)| *id == rule.id) {
                changed += usize::from(rule.level != *level);
                rule.level = *level;
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_tuning_reads_and_names_known_rules() {
        let tuning = Tuning::parse("level_tuning.txt", SHIPPED).expect("shipped tuning");
        assert_eq!(tuning.levels.len(), 78);
        let set = RuleSet::load(true, &[]);
        for (id, _) in &tuning.levels {
            assert!(
                set.rules.iter().any(|r| r.id == *id),
                "{id}: no shipped rule"
            );
        }
    }

    #[test]
    fn a_broken_line_names_its_file_and_line() {
        let err = Tuning::parse("mine.txt", "id,new_level\n# a note\nabc,high\nabc;high\n")
            .expect_err("broken");
        assert_eq!(err.file, "mine.txt:4");
        assert_eq!(err.reason, "expected `id,level`, found `abc;high`");
        let err = Tuning::parse("mine.txt", "abc,severe\n").expect_err("broken");
        assert_eq!(
            (err.file.as_str(), err.reason.as_str()),
            (
                "mine.txt:1",
                "`severe` is no level (informational, low, medium, high, critical)"
            )
        );
        let tuning = Tuning::parse("mine.txt", "abc , High # loud\n").expect("read");
        assert_eq!(tuning.levels, [("abc".to_string(), Level::High)]);
    }
}
