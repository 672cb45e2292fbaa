//! Rules compiled against the index, not interpreted per event. A field test on an indexed
//! column is decided once per distinct value and read off the column's postings (the rows
//! of each value), as sorted row lists; a condition combines them by merging. Tests the
//! index cannot decide (other JSON paths, field references) give each rule a lower and an
//! upper bound; only the events between the two are read and tested one by one.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::condition::Cond;
use super::rule::{Rule, Selection};
use super::value::{FieldTest, Pattern};
use crate::schema::Col;
use crate::store::Store;

/// A set of rows: `rows` (sorted, distinct), or every row but those when `negated`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    rows: Vec<u32>,
    negated: bool,
}

impl Rows {
    pub fn none() -> Rows {
        Rows {
            rows: Vec::new(),
            negated: false,
        }
    }

    pub fn all() -> Rows {
        Rows {
            rows: Vec::new(),
            negated: true,
        }
    }

    fn of(rows: Vec<u32>) -> Rows {
        Rows {
            rows,
            negated: false,
        }
    }

    fn not(self) -> Rows {
        Rows {
            rows: self.rows,
            negated: !self.negated,
        }
    }

    fn and(&self, other: &Rows) -> Rows {
        let holds = |x: &u32, list: &[u32]| list.binary_search(x).is_ok();
        // A small side against a large one: look each up rather than walk both.
        let lopsided = |a: &[u32], b: &[u32]| a.len() * 16 < b.len();
        match (self.negated, other.negated) {
            (false, false) if lopsided(&self.rows, &other.rows) => Rows::of(
                self.rows
                    .iter()
                    .copied()
                    .filter(|x| holds(x, &other.rows))
                    .collect(),
            ),
            (false, false) if lopsided(&other.rows, &self.rows) => Rows::of(
                other
                    .rows
                    .iter()
                    .copied()
                    .filter(|x| holds(x, &self.rows))
                    .collect(),
            ),
            (false, true) if lopsided(&self.rows, &other.rows) => Rows::of(
                self.rows
                    .iter()
                    .copied()
                    .filter(|x| !holds(x, &other.rows))
                    .collect(),
            ),
            (true, false) if lopsided(&other.rows, &self.rows) => Rows::of(
                other
                    .rows
                    .iter()
                    .copied()
                    .filter(|x| !holds(x, &self.rows))
                    .collect(),
            ),
            (false, false) => Rows::of(intersect(&self.rows, &other.rows)),
            (false, true) => Rows::of(minus(&self.rows, &other.rows)),
            (true, false) => Rows::of(minus(&other.rows, &self.rows)),
            (true, true) => Rows::of(union(&self.rows, &other.rows)).not(),
        }
    }

    fn or(&self, other: &Rows) -> Rows {
        match (self.negated, other.negated) {
            (false, false) => Rows::of(union(&self.rows, &other.rows)),
            (false, true) => Rows::of(minus(&other.rows, &self.rows)).not(),
            (true, false) => Rows::of(minus(&self.rows, &other.rows)).not(),
            (true, true) => Rows::of(intersect(&self.rows, &other.rows)).not(),
        }
    }

    /// The rows, of `len` in all.
    pub fn into_vec(self, len: usize) -> Vec<u32> {
        if !self.negated {
            return self.rows;
        }
        let mut out = Vec::with_capacity(len.saturating_sub(self.rows.len()));
        let mut skip = self.rows.iter().peekable();
        for row in 0..len as u32 {
            if skip.peek() == Some(&&row) {
                skip.next();
            } else {
                out.push(row);
            }
        }
        out
    }
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

pub fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x < y => {
                out.push(*x);
                i += 1;
            }
            (Some(x), Some(y)) if x > y => {
                out.push(*y);
                j += 1;
            }
            (Some(x), Some(_)) => {
                out.push(*x);
                i += 1;
                j += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (None, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

fn minus(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut j = 0;
    let mut out = Vec::with_capacity(a.len());
    for &x in a {
        while j < b.len() && b[j] < x {
            j += 1;
        }
        if j >= b.len() || b[j] != x {
            out.push(x);
        }
    }
    out
}

/// The rows of each value of a column (ids ascending, rows ascending within).
pub struct Postings {
    offsets: Vec<u32>,
    rows: Vec<u32>,
}

impl Postings {
    pub fn build(ids: &[u32], distinct: usize) -> Postings {
        let mut offsets = vec![0u32; distinct + 1];
        for &id in ids {
            offsets[id as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut next = offsets.clone();
        let mut rows = vec![0u32; ids.len()];
        for (row, &id) in ids.iter().enumerate() {
            rows[next[id as usize] as usize] = row as u32;
            next[id as usize] += 1;
        }
        Postings { offsets, rows }
    }

    fn of(&self, id: usize) -> &[u32] {
        let (a, b) = (self.offsets[id] as usize, self.offsets[id + 1] as usize);
        &self.rows[a..b]
    }
}

/// The column a field test can be decided on: one whose value is exactly the JSON path's.
pub fn indexed(test: &FieldTest) -> Option<Col> {
    let col = Col::of_path(&test.path)?;
    test.on_value(None)?;
    Some(col)
}

/// What every rule evaluation shares: the index, and for each column rules name its
/// postings, its values lowercased, and the ids of each lowercased value, built once.
pub struct Index<'s> {
    pub store: &'s Store,
    columns: HashMap<Col, Column>,
}

struct Column {
    postings: Postings,
    folded: Vec<String>,
    by_folded: HashMap<String, Vec<u32>>,
}

impl<'s> Index<'s> {
    pub fn new(store: &'s Store, rules: &[Rule]) -> Index<'s> {
        let mut cols: Vec<Col> = rules
            .iter()
            .flat_map(|r| &r.selections)
            .flat_map(|s| &s.any_of)
            .flatten()
            .filter_map(indexed)
            .collect();
        cols.sort_by_key(|c| *c as usize);
        cols.dedup();
        let columns = cols
            .into_iter()
            .map(|c| {
                let strings = store.strings(c);
                let folded: Vec<String> = strings.values().map(|(_, v)| v.to_lowercase()).collect();
                let mut by_folded: HashMap<String, Vec<u32>> = HashMap::new();
                for (id, f) in folded.iter().enumerate().skip(1) {
                    by_folded.entry(f.clone()).or_default().push(id as u32);
                }
                let column = Column {
                    postings: Postings::build(store.ids(c), strings.len()),
                    folded,
                    by_folded,
                };
                (c, column)
            })
            .collect();
        Index { store, columns }
    }
}

/// One worker's evaluator: test results cached by test (many rules share
/// `errorCode|exists: true`).
pub struct Evaluator<'i, 's> {
    index: &'i Index<'s>,
    cache: HashMap<String, Arc<Rows>>,
}

impl<'i, 's> Evaluator<'i, 's> {
    pub fn new(index: &'i Index<'s>) -> Evaluator<'i, 's> {
        Evaluator {
            index,
            cache: HashMap::new(),
        }
    }

    /// The rows a detection rule matches, in time order (each rule on its own; [`super::run`]
    /// reads the undecided events of all rules together).
    pub fn rule_rows(&mut self, rule: &Rule) -> Vec<u32> {
        let (lower, undecided) = self.decide(rule);
        let Some(cond) = &rule.condition else {
            return lower;
        };
        if undecided.is_empty() {
            return lower;
        }
        let matched = self.check_each(&undecided, rule, cond);
        union(&lower, &matched)
    }

    /// What the index decides of a rule: the rows that surely match, and the rows that
    /// must be read to know (both ascending).
    pub fn decide(&mut self, rule: &Rule) -> (Vec<u32>, Vec<u32>) {
        let Some(cond) = &rule.condition else {
            return (Vec::new(), Vec::new());
        };
        let len = self.index.store.len();
        let (lower, upper) = self.bounds(cond, &rule.selections, None);
        let undecided = upper.and(&lower.clone().not()).into_vec(len);
        (lower.into_vec(len), undecided)
    }

    /// (rows that surely match, rows that may match). With `within`, the caller will keep
    /// only rows inside it (the upper bound of an `and` already evaluated), so each term is
    /// read only there: a rare eventName makes `errorCode|exists` cost its few rows.
    fn bounds(
        &mut self,
        cond: &Cond,
        selections: &[Selection],
        within: Option<&[u32]>,
    ) -> (Rows, Rows) {
        match cond {
            Cond::Sel(i) => match selections.get(*i) {
                Some(s) => self.selection(s, within),
                None => (Rows::none(), Rows::none()),
            },
            Cond::Not(c) => {
                let (l, u) = self.bounds(c, selections, within);
                (u.not(), l.not())
            }
            Cond::And(list) => list.iter().fold((Rows::all(), Rows::all()), |(l, u), c| {
                // Each term is evaluated only within what the terms before it allow.
                let narrowed = (!u.negated).then(|| u.rows.clone());
                let (lc, uc) = self.bounds(c, selections, narrowed.as_deref().or(within));
                (l.and(&lc), u.and(&uc))
            }),
            Cond::Or(list) => list.iter().fold((Rows::none(), Rows::none()), |(l, u), c| {
                let (lc, uc) = self.bounds(c, selections, within);
                (l.or(&lc), u.or(&uc))
            }),
            Cond::Any(list) => list.iter().fold((Rows::none(), Rows::none()), |(l, u), i| {
                let (li, ui) = self.bounds(&Cond::Sel(*i), selections, within);
                (l.or(&li), u.or(&ui))
            }),
            Cond::All(list) => list.iter().fold((Rows::all(), Rows::all()), |(l, u), i| {
                let narrowed = (!u.negated).then(|| u.rows.clone());
                let (li, ui) =
                    self.bounds(&Cond::Sel(*i), selections, narrowed.as_deref().or(within));
                (l.and(&li), u.and(&ui))
            }),
        }
    }

    fn selection(&mut self, selection: &Selection, within: Option<&[u32]>) -> (Rows, Rows) {
        let mut lower = Rows::none();
        let mut upper = Rows::none();
        for map in &selection.any_of {
            let start = within.map_or_else(Rows::all, |w| Rows::of(w.to_vec()));
            let mut decided: Vec<Arc<Rows>> = Vec::new();
            let mut undecidable = false;
            for test in map {
                match self.test(test) {
                    Some(rows) => decided.push(rows),
                    None => undecidable = true,
                }
            }
            // The most selective first: every later `and` walks the smaller side.
            decided.sort_by_key(|r| (r.negated, r.rows.len()));
            let mut u = start;
            for rows in &decided {
                u = u.and(rows);
            }
            // A test the index cannot decide: anything it left may match, nothing surely.
            let l = if undecidable { Rows::none() } else { u.clone() };
            lower = lower.or(&l);
            upper = upper.or(&u);
        }
        (lower, upper)
    }

    /// The rows a test holds on, when the index decides it.
    fn test(&mut self, test: &FieldTest) -> Option<Arc<Rows>> {
        let col = indexed(test)?;
        let key = format!("{col:?}|{:?}|{}", test.patterns, test.all);
        if let Some(rows) = self.cache.get(&key) {
            return Some(Arc::clone(rows));
        }
        let column = self.index.columns.get(&col)?;
        let postings = &column.postings;
        let strings = self.index.store.strings(col);
        let mut hits: Vec<u32> = Vec::new();
        let mut matching = Vec::new();
        // Values without wildcards are looked up, not tested against every value.
        let literals: Option<Vec<&str>> = (!test.all)
            .then(|| {
                test.patterns
                    .iter()
                    .map(|p| match p {
                        Pattern::Text(glob) => glob.literal(),
                        _ => None,
                    })
                    .collect()
            })
            .flatten();
        match literals {
            Some(values) => {
                for value in values {
                    if let Some(ids) = column.by_folded.get(value) {
                        matching.extend(ids.iter().map(|&id| id as usize));
                    }
                }
                matching.sort_unstable();
                matching.dedup();
            }
            None => {
                for (id, value) in strings.values() {
                    let value = (id != 0).then(|| (value, column.folded[id as usize].as_str()));
                    if test.on_value_folded(value).unwrap_or(false) {
                        matching.push(id as usize);
                    }
                }
            }
        }
        let matched: usize = matching.iter().map(|&id| postings.of(id).len()).sum();
        let misses = self.index.store.len() - matched;
        // Keep whichever side is smaller: a test true almost everywhere is stored as the
        // rows where it is false.
        let total = self.index.store.len();
        let rows = if misses < total / 2 {
            let mut chosen = vec![true; strings.len()];
            for &id in &matching {
                chosen[id] = false;
            }
            for (id, keep) in chosen.iter().enumerate() {
                if *keep {
                    hits.extend_from_slice(postings.of(id));
                }
            }
            hits.sort_unstable();
            Rows::of(hits).not()
        } else {
            for id in matching {
                hits.extend_from_slice(postings.of(id));
            }
            hits.sort_unstable();
            Rows::of(hits)
        };
        let rows = Arc::new(rows);
        self.cache.insert(key, Arc::clone(&rows));
        Some(rows)
    }

    /// The rows among `rows` that match, each event read and tested whole (each input
    /// inflated once, as [`super::run`] reads them).
    fn check_each(&self, rows: &[u32], rule: &Rule, cond: &Cond) -> Vec<u32> {
        let found = self
            .index
            .store
            .scan_rows(rows, Vec::new, |out: &mut Vec<u32>, row, json| {
                if serde_json::from_str::<Value>(json).is_ok_and(|e| matches_event(rule, cond, &e))
                {
                    out.push(row);
                }
            });
        let mut out: Vec<u32> = found.into_iter().flatten().collect();
        out.sort_unstable();
        out
    }
}

/// Whether `event` matches the rule (every test read from the event itself).
pub fn matches_event(rule: &Rule, cond: &Cond, event: &Value) -> bool {
    cond.eval(&mut |i| {
        rule.selections.get(i).is_some_and(|s| {
            s.any_of
                .iter()
                .any(|map| map.iter().all(|test| test.on_event(event)))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_sets_combine_by_merging() {
        let a = Rows::of(vec![1, 3, 5]);
        let b = Rows::of(vec![3, 4]);
        assert_eq!(a.and(&b).into_vec(8), [3]);
        assert_eq!(a.or(&b).into_vec(8), [1, 3, 4, 5]);
        assert_eq!(a.and(&b.clone().not()).into_vec(8), [1, 5]);
        assert_eq!(a.clone().not().into_vec(8), [0, 2, 4, 6, 7]);
        assert_eq!(a.clone().not().or(&b).into_vec(8), [0, 2, 3, 4, 6, 7]);
        assert_eq!(
            a.clone().not().and(&b.clone().not()).into_vec(8),
            [0, 2, 6, 7]
        );
        assert_eq!(Rows::all().and(&a).into_vec(8), [1, 3, 5]);
    }

    #[test]
    fn postings_list_each_values_rows() {
        let p = Postings::build(&[2, 0, 2, 1], 3);
        assert_eq!(p.of(0), [1]);
        assert_eq!(p.of(1), [3]);
        assert_eq!(p.of(2), [0, 2]);
    }
}
