//! Detection hits attached to an index once the rules have run: per event the highest
//! level and the rules it hits, per rule its title, id, level and author. Data only; the
//! `detect` module fills it, filters, stats and the explorer read it.

/// The level names, informational (1) to critical (5).
pub const LEVELS: [&str; 5] = ["informational", "low", "medium", "high", "critical"];

/// One rule that reported hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitRule {
    pub title: String,
    pub id: String,
    /// `Level as u8`: 1 informational … 5 critical.
    pub level: u8,
    pub author: String,
    /// Its description's first sentence.
    pub summary: String,
    /// The JSON paths its selections test, in the order they first appear.
    pub fields: Vec<String>,
    /// The events it hit, in time order.
    pub rows: Vec<u32>,
}

/// Every rule's hits over one index, and per event the rules it hits.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    pub rules: Vec<HitRule>,
    /// Per row: the highest level hit (0: none).
    pub level: Vec<u8>,
    /// Per row, indices into `rules` (CSR: `of[starts[row]..starts[row + 1]]`).
    starts: Vec<u32>,
    of: Vec<u32>,
}

impl Hits {
    /// Indexes `rules` by row, over `len` rows.
    pub fn new(rules: Vec<HitRule>, len: usize) -> Hits {
        let mut level = vec![0u8; len];
        let mut starts = vec![0u32; len + 1];
        for rule in &rules {
            for &row in &rule.rows {
                if let Some(l) = level.get_mut(row as usize) {
                    *l = (*l).max(rule.level);
                    starts[row as usize + 1] += 1;
                }
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut of = vec![0u32; starts.last().copied().unwrap_or(0) as usize];
        for (r, rule) in rules.iter().enumerate() {
            for &row in &rule.rows {
                if let Some(at) = next.get_mut(row as usize) {
                    of[*at as usize] = r as u32;
                    *at += 1;
                }
            }
        }
        Hits {
            rules,
            level,
            starts,
            of,
        }
    }

    /// The rules (indices into `rules`) that hit `row`.
    pub fn of_row(&self, row: usize) -> &[u32] {
        match (self.starts.get(row), self.starts.get(row + 1)) {
            (Some(&a), Some(&b)) => &self.of[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The highest level `row` hits (0: none).
    pub fn level_of(&self, row: usize) -> u8 {
        self.level.get(row).copied().unwrap_or(0)
    }
}
