//! Detection hits attached to an index once the rules have run: per event the highest
//! effective level and the rules it hits, per rule its title, id, level, author, ATT&CK tags
//! and, per event, how the hit compares with what its principal did before. Data only; the
//! `detect` module fills it, filters, stats and the explorer read it.

/// The level names, informational (1) to critical (5).
pub const LEVELS: [&str; 5] = ["informational", "low", "medium", "high", "critical"];

/// The ATT&CK tactics, in kill-chain order, by the name Sigma tags them with.
pub const TACTICS: [&str; 14] = [
    "reconnaissance",
    "resource-development",
    "initial-access",
    "execution",
    "persistence",
    "privilege-escalation",
    "defense-evasion",
    "credential-access",
    "discovery",
    "lateral-movement",
    "collection",
    "command-and-control",
    "exfiltration",
    "impact",
];

/// How one hit compares with what its principal did before in the loaded events (see
/// `detect::judge`). It moves the rule's level to the hit's effective level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verdict {
    /// Neither: the rule's level.
    #[default]
    Plain,
    /// The principal did the same from the same address on `days` earlier days:
    /// informational.
    Routine { days: u16 },
    /// The principal, active on earlier days, used a value of `FIRST_SEEN[field]` for the
    /// first time: a level higher.
    New { field: u8 },
}

impl Verdict {
    /// The level a hit of a rule at `level` has with this verdict.
    pub fn effective(self, level: u8) -> u8 {
        match self {
            Verdict::Plain => level,
            Verdict::Routine { .. } => level.min(1),
            Verdict::New { .. } => (level + 1).min(5),
        }
    }
}

/// One rule that reported hits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HitRule {
    pub title: String,
    pub id: String,
    /// `Level as u8`: 1 informational … 5 critical; the level shown (tuned).
    pub level: u8,
    pub author: String,
    /// Its description's first sentence.
    pub summary: String,
    /// The JSON paths its selections test, in the order they first appear.
    pub fields: Vec<String>,
    /// The ATT&CK tactics (kill-chain order) and techniques its tags name.
    pub tactics: Vec<&'static str>,
    pub techniques: Vec<String>,
    /// The events it hit, in time order.
    pub rows: Vec<u32>,
    /// Per event of `rows`, its verdict (empty: every one plain).
    pub verdicts: Vec<Verdict>,
}

impl HitRule {
    /// Its ATT&CK techniques, or its tactics.
    pub fn attack(&self, techniques: bool) -> Vec<String> {
        if techniques {
            self.techniques.clone()
        } else {
            self.tactics.iter().map(|t| t.to_string()).collect()
        }
    }

    /// The verdict of its hit on `row` (plain when it did not hit `row`).
    pub fn verdict(&self, row: u32) -> Verdict {
        self.rows
            .binary_search(&row)
            .ok()
            .and_then(|at| self.verdicts.get(at).copied())
            .unwrap_or_default()
    }
}

/// Every rule's hits over one index, and per event the rules it hits.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    pub rules: Vec<HitRule>,
    /// Per row: the highest effective level of the hits not muted (0: none).
    pub level: Vec<u8>,
    /// Per row, indices into `rules` (CSR: `of[starts[row]..starts[row + 1]]`), each
    /// entry's effective level, and that level as shown (0: muted).
    starts: Vec<u32>,
    of: Vec<u32>,
    base: Vec<u8>,
    effective: Vec<u8>,
}

impl Hits {
    /// Indexes `rules` by row, over `len` rows.
    pub fn new(rules: Vec<HitRule>, len: usize) -> Hits {
        let mut starts = vec![0u32; len + 1];
        for rule in &rules {
            for &row in &rule.rows {
                if let Some(n) = starts.get_mut(row as usize + 1) {
                    *n += 1;
                }
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let entries = starts.last().copied().unwrap_or(0) as usize;
        let (mut of, mut effective) = (vec![0u32; entries], vec![0u8; entries]);
        for (r, rule) in rules.iter().enumerate() {
            for (i, &row) in rule.rows.iter().enumerate() {
                if let Some(at) = next.get_mut(row as usize) {
                    let verdict = rule.verdicts.get(i).copied().unwrap_or_default();
                    of[*at as usize] = r as u32;
                    effective[*at as usize] = verdict.effective(rule.level);
                    *at += 1;
                }
            }
        }
        let level = starts
            .windows(2)
            .map(|w| {
                effective[w[0] as usize..w[1] as usize]
                    .iter()
                    .copied()
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        Hits {
            rules,
            level,
            starts,
            of,
            base: effective.clone(),
            effective,
        }
    }

    /// Mutes the hits `muted(rule, row)` says, of the rules `rules(rule)` says (and unmutes
    /// their others): they keep their rule, but no level.
    pub fn mute(&mut self, rules: &dyn Fn(usize) -> bool, muted: &dyn Fn(usize, u32) -> bool) {
        for row in 0..self.level.len() {
            let (a, b) = (self.starts[row] as usize, self.starts[row + 1] as usize);
            let mut top = 0;
            for at in a..b {
                let r = self.of[at] as usize;
                if rules(r) {
                    self.effective[at] = if muted(r, row as u32) {
                        0
                    } else {
                        self.base[at]
                    };
                }
                top = top.max(self.effective[at]);
            }
            self.level[row] = top;
        }
    }

    /// The effective level of `rule`'s hit on `row` as shown (0: muted or no hit).
    pub fn level_of_hit(&self, rule: usize, row: usize) -> u8 {
        self.levels_of_row(row)
            .find(|&(r, _)| r as usize == rule)
            .map_or(0, |(_, l)| l)
    }

    /// The rules (indices into `rules`) that hit `row`.
    pub fn of_row(&self, row: usize) -> &[u32] {
        match (self.starts.get(row), self.starts.get(row + 1)) {
            (Some(&a), Some(&b)) => &self.of[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The rules that hit `row`, each with its hit's effective level (0: muted).
    pub fn levels_of_row(&self, row: usize) -> impl Iterator<Item = (u32, u8)> + '_ {
        let a = self.starts.get(row).copied().unwrap_or(0) as usize;
        let rules = self.of_row(row);
        rules
            .iter()
            .zip(&self.effective[a..a + rules.len()])
            .map(|(&r, &l)| (r, l))
    }

    /// The highest effective level `row` hits (0: none).
    pub fn level_of(&self, row: usize) -> u8 {
        self.level.get(row).copied().unwrap_or(0)
    }

    /// Whether every hit on `row` that is not muted is routine (and there is one).
    pub fn routine(&self, row: usize) -> bool {
        let mut any = false;
        for (r, level) in self.levels_of_row(row) {
            if level == 0 {
                continue;
            }
            let verdict = self.rules[r as usize].verdict(row as u32);
            if !matches!(verdict, Verdict::Routine { .. }) {
                return false;
            }
            any = true;
        }
        any
    }
}
