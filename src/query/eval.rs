//! Evaluating an [`Expr`] over the store. Every term becomes a bitset over rows: column
//! terms decide once per distinct value (a lookup table) and then sweep one `u32` column;
//! full-text and JSON-path terms inflate every input on all cores.

use std::net::IpAddr;

use super::caseless::Caseless;

use super::{Expr, Field, Matcher, TimeBound};
use crate::event::{format_time, Credential};
use crate::jsonpath::JsonPath;
use crate::schema::{Bound, Col, Matching, Storage};
use crate::store::{slice_event, Interner, Session, Store, NO_TIME};

/// A set of rows, one bit each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSet {
    words: Vec<u64>,
    len: usize,
}

impl RowSet {
    pub fn none(len: usize) -> RowSet {
        RowSet {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    pub fn all(len: usize) -> RowSet {
        let mut set = RowSet {
            words: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        set.trim();
        set
    }

    fn trim(&mut self) {
        let extra = self.words.len() * 64 - self.len;
        if extra > 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= u64::MAX >> extra;
            }
        }
    }

    pub fn insert(&mut self, row: usize) {
        if row < self.len {
            self.words[row / 64] |= 1 << (row % 64);
        }
    }

    pub fn contains(&self, row: usize) -> bool {
        row < self.len && self.words[row / 64] & (1 << (row % 64)) != 0
    }

    pub fn and(mut self, other: &RowSet) -> RowSet {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
        self
    }

    pub fn or(mut self, other: &RowSet) -> RowSet {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
        self
    }

    pub fn complement(mut self) -> RowSet {
        for w in &mut self.words {
            *w = !*w;
        }
        self.trim();
        self
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The rows in the set, ascending (= time order).
    pub fn rows(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.count());
        for (i, &word) in self.words.iter().enumerate() {
            let mut w = word;
            while w != 0 {
                let bit = w.trailing_zeros() as usize;
                out.push((i * 64 + bit) as u32);
                w &= w - 1;
            }
        }
        out
    }

    /// Sets the rows whose value id in `ids` is marked in `table`.
    fn mark_column(&mut self, ids: &[u32], table: &[bool]) {
        for (chunk_index, chunk) in ids.chunks(64).enumerate() {
            let mut word = 0u64;
            for (bit, &id) in chunk.iter().enumerate() {
                if table.get(id as usize).copied().unwrap_or(false) {
                    word |= 1 << bit;
                }
            }
            self.words[chunk_index] |= word;
        }
    }
}

impl Expr {
    /// The rows of `store` that match; `session` holds the marks, notes and hits that
    /// `mark:`, `note:`, `rule:` and `level:` read.
    pub fn evaluate(&self, store: &Store, session: &Session) -> RowSet {
        let never = || false;
        Evaluator {
            store,
            session,
            stop: &never,
        }
        .eval(self)
    }

    /// The matching rows, in time order.
    pub fn rows(&self, store: &Store, session: &Session) -> Vec<u32> {
        match self {
            Expr::All => (0..store.len() as u32).collect(),
            _ => self.evaluate(store, session).rows(),
        }
    }

    /// The matching rows, or `None` when `stop` turned true before the evaluation ended
    /// (a newer filter made this one moot). Scans of the whole text check `stop` between
    /// inputs, so an abandoned full-text search ends within one input's work.
    pub fn rows_until(
        &self,
        store: &Store,
        session: &Session,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<u32>> {
        if let Expr::All = self {
            return Some((0..store.len() as u32).collect());
        }
        let set = Evaluator {
            store,
            session,
            stop,
        }
        .eval(self);
        (!stop()).then(|| set.rows())
    }
}

struct Evaluator<'s> {
    store: &'s Store,
    session: &'s Session,
    /// Whether the result stopped mattering; checked between inputs of a scan.
    stop: &'s (dyn Fn() -> bool + Sync),
}

impl Evaluator<'_> {
    fn eval(&self, expr: &Expr) -> RowSet {
        let len = self.store.len();
        match expr {
            Expr::All => RowSet::all(len),
            Expr::And(list) => list
                .iter()
                .fold(RowSet::all(len), |acc, e| acc.and(&self.eval(e))),
            Expr::Or(list) => list
                .iter()
                .fold(RowSet::none(len), |acc, e| acc.or(&self.eval(e))),
            Expr::Not(inner) => self.eval(inner).complement(),
            Expr::Word(word) => self.columns(&[Col::Name], &Matcher::Fuzzy(word.clone()), false),
            Expr::Phrase(phrase) => self.phrase(phrase),
            Expr::Term { field, matcher } => self.term(field, matcher),
        }
    }

    fn matches_text(&self, matcher: &Matcher, value: &str) -> bool {
        match matcher {
            Matcher::Glob(glob) => glob.matches(value),
            Matcher::Fuzzy(pattern) => super::fuzzy::score(pattern, value).is_some(),
            Matcher::Cidr(cidr) => value.parse::<IpAddr>().is_ok_and(|ip| cidr.contains(ip)),
            Matcher::Time(_) | Matcher::Bool(_) => false,
        }
    }

    /// Which distinct values of `strings` match (never the absent id 0).
    /// `service`: `iam` also matches `iam.amazonaws.com`.
    fn table(&self, strings: &Interner, matcher: &Matcher, service: bool) -> Vec<bool> {
        strings
            .values()
            .map(|(id, value)| {
                id != 0
                    && (self.matches_text(matcher, value)
                        || (service
                            && value
                                .strip_suffix(".amazonaws.com")
                                .is_some_and(|short| self.matches_text(matcher, short))))
            })
            .collect()
    }

    fn columns(&self, cols: &[Col], matcher: &Matcher, service: bool) -> RowSet {
        let mut set = RowSet::none(self.store.len());
        for &col in cols {
            let table = self.table(self.store.strings(col), matcher, service);
            if table.iter().any(|&m| m) {
                set.mark_column(self.store.ids(col), &table);
            }
        }
        set
    }

    fn term(&self, field: &Field, matcher: &Matcher) -> RowSet {
        let store = self.store;
        let len = store.len();
        let (storage, service) = match field {
            Field::Named(def) => (def.storage, def.matching == Matching::Service),
            Field::Column(col) => return self.columns(&[*col], matcher, false),
            Field::Path(path) => return self.path(path, matcher),
        };
        match storage {
            Storage::Columns(cols) => self.columns(cols, matcher, service),
            Storage::Row(text) => self.per_row(|row| store.row_text(text, row), matcher),
            Storage::Time => self.per_row(
                |row| store.time(row).map(format_time).unwrap_or_default(),
                matcher,
            ),
            Storage::TimeBound(bound) => self.time(bound, matcher),
            Storage::Credential => {
                let table: Vec<bool> = Credential::ALL
                    .iter()
                    .map(|c| *c != Credential::None && self.matches_text(matcher, c.value()))
                    .collect();
                let mut set = RowSet::none(len);
                for row in 0..len {
                    if table[store.credential(row) as usize] {
                        set.insert(row);
                    }
                }
                set
            }
            Storage::Flag => {
                let want = match matcher {
                    Matcher::Bool(true) => 2,
                    Matcher::Bool(false) => 1,
                    _ => return RowSet::none(len),
                };
                let mut set = RowSet::none(len);
                for (row, &v) in store.read_only_column().iter().enumerate() {
                    if v == want {
                        set.insert(row);
                    }
                }
                set
            }
            Storage::Duplicate => {
                let mut set = RowSet::none(len);
                if self.matches_text(matcher, "conflict") {
                    for &row in store.conflict_rows() {
                        set.insert(row as usize);
                    }
                }
                set
            }
            Storage::Rule
            | Storage::Level
            | Storage::Tactic
            | Storage::Technique
            | Storage::Origin
            | Storage::Mark
            | Storage::Note
            | Storage::FirstSeen => self.beside_columns(storage, matcher),
            Storage::Resources => {
                let table = self.table(store.resource_strings(), matcher, false);
                let mut set = RowSet::none(len);
                for row in 0..len {
                    if store
                        .resource_ids(row)
                        .iter()
                        .any(|&id| table.get(id as usize).copied().unwrap_or(false))
                    {
                        set.insert(row);
                    }
                }
                set
            }
        }
    }

    /// A term on what the index holds beside its columns: detection hits (rules and
    /// levels), credential chains, marks and notes, first uses.
    fn beside_columns(&self, storage: Storage, matcher: &Matcher) -> RowSet {
        let store = self.store;
        let len = store.len();
        match storage {
            Storage::Rule => {
                let mut set = RowSet::none(len);
                for rule in self.session.hits().map_or(&[][..], |h| &h.rules) {
                    if self.matches_text(matcher, &rule.title)
                        || self.matches_text(matcher, &rule.id)
                    {
                        for &row in &rule.rows {
                            set.insert(row as usize);
                        }
                    }
                }
                set
            }
            Storage::Tactic | Storage::Technique => {
                let mut set = RowSet::none(len);
                for rule in self.session.hits().map_or(&[][..], |h| &h.rules) {
                    let tags = rule.attack(storage == Storage::Technique);
                    let parent = |t: &str| t.split_once('.').map(|(p, _)| p.to_string());
                    if tags.iter().any(|t| {
                        self.matches_text(matcher, t)
                            || parent(t).is_some_and(|p| self.matches_text(matcher, &p))
                    }) {
                        for &row in &rule.rows {
                            set.insert(row as usize);
                        }
                    }
                }
                set
            }
            Storage::Origin => {
                let mut set = RowSet::none(len);
                let matches = |v: &str| self.matches_text(matcher, v);
                for row in store.provenance().rows_matching(store, &matches) {
                    set.insert(row as usize);
                }
                set
            }
            Storage::Mark => {
                let mut set = RowSet::none(len);
                if self.matches_text(matcher, "marked") {
                    for &row in self.session.marks().keys() {
                        set.insert(row as usize);
                    }
                }
                set
            }
            Storage::Note => {
                let mut set = RowSet::none(len);
                for (&row, note) in self.session.marks().iter() {
                    if !note.is_empty() && self.matches_text(matcher, note) {
                        set.insert(row as usize);
                    }
                }
                set
            }
            Storage::FirstSeen => {
                let mut set = RowSet::none(len);
                for (i, (name, _)) in crate::schema::FIRST_SEEN.iter().enumerate() {
                    if self.matches_text(matcher, name) {
                        for &row in store.first_seen(i) {
                            set.insert(row as usize);
                        }
                    }
                }
                set
            }
            Storage::Level => {
                let wanted = level_table(matcher);
                let mut set = RowSet::none(len);
                if let Some(hits) = self.session.hits() {
                    for (row, &level) in hits.level.iter().enumerate() {
                        if wanted[level as usize] {
                            set.insert(row);
                        }
                    }
                }
                set
            }
            // `term` sends only the kinds above.
            _ => RowSet::none(len),
        }
    }
}

/// Which detection levels (0 none, 1 informational … 5 critical) `level:VALUE` selects:
/// a level's name (or a glob over the names), or a comparison (`>=high`, `<medium`).
fn level_table(matcher: &Matcher) -> [bool; 6] {
    use crate::store::LEVELS;
    let mut table = [false; 6];
    let Matcher::Glob(glob) = matcher else {
        return table;
    };
    let literal = glob.literal().unwrap_or("");
    let (op, name) = [">=", "<=", ">", "<", "="]
        .iter()
        .find_map(|op| literal.strip_prefix(op).map(|rest| (*op, rest)))
        .unwrap_or(("", literal));
    let at = LEVELS
        .iter()
        .position(|l| *l == name || (name == "info" && *l == "informational"));
    for (i, l) in LEVELS.iter().enumerate() {
        let level = i + 1;
        table[level] = match (op, at) {
            ("", _) => glob.matches(l),
            (">=", Some(a)) => level > a,
            (">", Some(a)) => level > a + 1,
            ("<=", Some(a)) => level <= a + 1,
            ("<", Some(a)) => level < a + 1,
            ("=", Some(a)) => level == a + 1,
            _ => false,
        };
    }
    table
}

impl Evaluator<'_> {
    fn per_row<V: std::ops::Deref<Target = str>>(
        &self,
        value: impl Fn(usize) -> V,
        matcher: &Matcher,
    ) -> RowSet {
        let mut set = RowSet::none(self.store.len());
        for row in 0..self.store.len() {
            let v = value(row);
            if !v.is_empty() && self.matches_text(matcher, &v) {
                set.insert(row);
            }
        }
        set
    }

    fn time(&self, bound_side: Bound, matcher: &Matcher) -> RowSet {
        let store = self.store;
        let Matcher::Time(bound) = matcher else {
            return RowSet::none(store.len());
        };
        let at = match bound {
            TimeBound::At(t) => Some(*t),
            TimeBound::BeforeNewest(d) => store.newest().map(|n| n.saturating_sub(*d)),
        };
        let mut set = RowSet::none(store.len());
        let Some(at) = at else {
            return set;
        };
        let times = store.times();
        let first_timed = times.partition_point(|&t| t == NO_TIME);
        let split = times.partition_point(|&t| t < at).max(first_timed);
        let range = match bound_side {
            Bound::After => split..times.len(),
            Bound::Before => first_timed..split,
        };
        for row in range {
            set.insert(row);
        }
        set
    }

    fn phrase(&self, phrase: &str) -> RowSet {
        let Some(searcher) = Caseless::new(phrase) else {
            return RowSet::all(self.store.len());
        };
        let store = self.store;
        let needle = crate::store::grams::Needle::new(phrase.as_bytes());
        self.scan_matching(needle.as_ref(), |found, text, rows| {
            let mut next_row = 0;
            searcher.each(text, |start, end| {
                let (start, end) = (start as u64, end as u64);
                while next_row < rows.len() {
                    let Some(raw) = store.raw_ref(rows[next_row] as usize) else {
                        break;
                    };
                    let row_end = u64::from(raw.offset) + u64::from(raw.len);
                    if start >= row_end {
                        next_row += 1;
                        continue;
                    }
                    if start >= u64::from(raw.offset) && end <= row_end {
                        found.push(rows[next_row]);
                        next_row += 1;
                    }
                    break;
                }
            });
        })
    }

    /// Runs `each(found, text, rows)` over every input's text (those that may hold
    /// `needle`, when there is one) on all cores and gathers the rows it pushed.
    fn scan_matching(
        &self,
        needle: Option<&crate::store::grams::Needle>,
        each: impl Fn(&mut Vec<u32>, &[u8], &[u32]) + Sync,
    ) -> RowSet {
        let found = self.store.scan_for(needle, Vec::new, each, self.stop);
        let mut set = RowSet::none(self.store.len());
        for row in found.into_iter().flatten() {
            set.insert(row as usize);
        }
        set
    }

    fn path(&self, path: &JsonPath, matcher: &Matcher) -> RowSet {
        let store = self.store;
        self.scan_matching(None, |found, text, rows| {
            for &row in rows {
                let Some(raw) = store.raw_ref(row as usize) else {
                    continue;
                };
                let json = slice_event(text, raw);
                let Ok(value) = serde_json::from_str::<serde_json::Value>(&json) else {
                    continue;
                };
                if path.any(&value, &|leaf| self.matches_text(matcher, leaf)) {
                    found.push(row);
                }
            }
        })
    }
}
