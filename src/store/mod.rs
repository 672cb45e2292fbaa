//! The in-memory index: one column per filterable field, in eventTime order.
//!
//! Invariants:
//! - Row `r` is the r-th event in time order (ties by input order, then position in the
//!   input); events without a usable eventTime come first, with time [`NO_TIME`].
//! - String columns hold `u32` ids into a per-column [`Interner`]; id 0 is "absent".
//! - Events are never kept as parsed values. Each row points into the stored bytes of its
//!   input (gzip bytes are kept compressed and re-inflated to show an event), so the
//!   original JSON is retrievable byte for byte.
//!
//! Building the index is [`crate::load`]'s job; this module owns the finished index and
//! answers questions about it.

mod addresses;
mod blob;
mod callers;
mod columns;
pub mod grams;
mod hits;
mod ids;
mod principals;
mod provenance;
pub mod saved;
mod session;

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

pub(crate) use columns::Columns;

use crate::event::Credential;
use crate::parallel::parallel;
pub use crate::schema::Col;
use crate::schema::RowText;
use crate::source::DEFAULT_MAX_FILE_SIZE;
pub use addresses::Trip;
pub use blob::{Blob, Changed, Stamp};
pub use hits::{HitRule, Hits, Verdict, LEVELS, TACTICS};
pub use ids::{Id, IdColumn, IdKey};
pub use principals::Principals;
pub use provenance::{Link, Provenance};
pub use session::Session;

/// The time of an event whose eventTime is missing or unparseable: before every other.
pub const NO_TIME: i64 = i64::MIN;

/// Distinct strings of one column; id 0 is the empty string, meaning "absent". Each string
/// is stored once, in one buffer; the table holds only ids.
#[derive(Debug, Clone)]
pub struct Interner {
    table: HashTable<u32>,
    bytes: String,
    /// `ends[id]` is where value `id` ends in `bytes`; it starts where `id - 1` ends.
    ends: Vec<u32>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut table = HashTable::new();
        table.insert_unique(hash(""), 0, |_| hash(""));
        Interner {
            table,
            bytes: String::new(),
            ends: vec![0],
        }
    }
}

fn hash(value: &str) -> u64 {
    FxBuildHasher.hash_one(value)
}

fn value_of<'a>(bytes: &'a str, ends: &[u32], id: u32) -> &'a str {
    let i = id as usize;
    let end = ends.get(i).copied().unwrap_or(0) as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    bytes.get(start..end).unwrap_or("")
}

impl Interner {
    /// The strings of `bytes` ending at `ends` (`ends[0]` is 0, the absent value), as a
    /// saved index holds them; the table is built again.
    pub(crate) fn from_parts(bytes: String, ends: Vec<u32>) -> Interner {
        let mut table = HashTable::with_capacity(ends.len());
        for id in 0..ends.len() as u32 {
            let h = hash(value_of(&bytes, &ends, id));
            table.insert_unique(h, id, |&id| hash(value_of(&bytes, &ends, id)));
        }
        Interner { table, bytes, ends }
    }

    pub fn intern(&mut self, value: &str) -> u32 {
        let h = hash(value);
        let Interner { table, bytes, ends } = self;
        if let Some(&id) = table.find(h, |&id| value_of(bytes, ends, id) == value) {
            return id;
        }
        let id = ends.len() as u32;
        bytes.push_str(value);
        ends.push(bytes.len() as u32);
        table.insert_unique(h, id, |&id| hash(value_of(bytes, ends, id)));
        id
    }

    pub fn get(&self, id: u32) -> &str {
        value_of(&self.bytes, &self.ends, id)
    }

    /// The id of `value`, if it is interned.
    pub fn id_of(&self, value: &str) -> Option<u32> {
        self.table
            .find(hash(value), |&id| {
                value_of(&self.bytes, &self.ends, id) == value
            })
            .copied()
    }

    /// Number of ids, including the "absent" id 0.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.len() <= 1
    }

    pub fn values(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..self.ends.len() as u32).map(|id| (id, self.get(id)))
    }
}

/// Strings that are almost all distinct (eventID, requestID): kept in one buffer, not hashed.
#[derive(Debug, Clone, Default)]
pub struct StrColumn {
    bytes: String,
    ends: Vec<u32>,
}

impl StrColumn {
    pub(crate) fn push(&mut self, value: &str) {
        self.bytes.push_str(value);
        self.ends.push(self.bytes.len() as u32);
    }

    pub fn get(&self, row: usize) -> &str {
        let end = self.ends.get(row).copied().unwrap_or(0) as usize;
        let start = match row {
            0 => 0,
            _ => self.ends.get(row - 1).copied().unwrap_or(0) as usize,
        };
        self.bytes.get(start..end).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub(crate) fn permuted(self, order: &[u32]) -> StrColumn {
        let mut out = StrColumn {
            bytes: String::with_capacity(self.bytes.len()),
            ends: Vec::with_capacity(order.len()),
        };
        for &row in order {
            out.push(self.get(row as usize));
        }
        out
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        if len < self.ends.len() {
            let end = if len == 0 {
                0
            } else {
                self.ends[len - 1] as usize
            };
            self.ends.truncate(len);
            self.bytes.truncate(end);
        }
    }

    pub(crate) fn append(&mut self, other: StrColumn) {
        let base = self.bytes.len() as u32;
        self.bytes.push_str(&other.bytes);
        self.ends.extend(other.ends.iter().map(|&end| end + base));
    }
}

/// Where a row's original JSON is: input (= blob) index and byte span in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawRef {
    pub blob: u32,
    pub offset: u32,
    pub len: u32,
    pub escaped: bool,
}

/// The loaded, sorted, de-duplicated events.
#[derive(Debug)]
pub struct Store {
    pub(crate) cols: Columns,
    pub(crate) blobs: Vec<Option<Blob>>,
    /// Rows of each blob, by position in the blob: made when a full-text scan first needs
    /// them (or the index is saved), not while loading.
    pub(crate) rows_by_blob: std::sync::OnceLock<Vec<Vec<u32>>>,
    /// Rows kept beside a copy whose JSON differs (same eventID, eventName, eventTime and
    /// recipient account), ascending.
    pub(crate) conflicts: Vec<u32>,
    pub(crate) max_file_size: u64,
    pub(crate) cache: Mutex<Option<(u32, Arc<[u8]>)>>,
    /// Which event issued each temporary key, once asked for.
    pub(crate) provenance: std::sync::OnceLock<Provenance>,
    /// Per field of [`crate::schema::FIRST_SEEN`]: the rows where a principal used a value
    /// for the first time, once asked for.
    pub(crate) first_seen: [std::sync::OnceLock<Vec<u32>>; crate::schema::FIRST_SEEN.len()],
    /// Inputs found changed on disk since the load.
    pub(crate) changed: Mutex<Vec<Changed>>,
    /// The lookup files ([`Store::enrich`]), the address columns filled from them and the
    /// impossible travel found from those, each when first asked for.
    pub(crate) places: Arc<crate::places::Places>,
    pub(crate) addresses: std::sync::OnceLock<addresses::Addresses>,
    pub(crate) travel: std::sync::OnceLock<addresses::Travel>,
    /// Per input, the summary of its text the phrase search skips inputs by (from the
    /// saved index, or made as the index was written; `None`, or no entry: the input is
    /// read).
    pub(crate) grams: std::sync::OnceLock<Vec<Option<grams::Grams>>>,
}

impl Store {
    /// An empty store (the explorer's state before the first load finishes).
    pub fn empty() -> Store {
        Store {
            cols: Columns::new(),
            blobs: Vec::new(),
            rows_by_blob: std::sync::OnceLock::new(),
            conflicts: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            cache: Mutex::new(None),
            provenance: std::sync::OnceLock::new(),
            first_seen: Default::default(),
            changed: Default::default(),
            places: Default::default(),
            addresses: std::sync::OnceLock::new(),
            travel: std::sync::OnceLock::new(),
            grams: std::sync::OnceLock::new(),
        }
    }

    /// Where each temporary key came from (built the first time it is asked for).
    pub fn provenance(&self) -> &Provenance {
        self.provenance.get_or_init(|| Provenance::build(self))
    }

    /// The rows (ascending) where the principal used the value of `FIRST_SEEN[field]` for
    /// the first time in the loaded events: the first row of each (principal, value) pair.
    pub fn first_seen(&self, field: usize) -> &[u32] {
        let Some(&(_, col)) = crate::schema::FIRST_SEEN.get(field) else {
            return &[];
        };
        self.first_seen[field].get_or_init(|| self.first_uses(col))
    }

    /// The first row of each (principal, value of `col`) pair, ascending; uncached (see
    /// [`Store::first_seen`]).
    pub fn first_uses(&self, col: Col) -> Vec<u32> {
        let principals = self.ids(Col::Principal);
        let values = self.ids(col);
        let mut seen = rustc_hash::FxHashSet::default();
        let mut rows = Vec::new();
        for (row, (&p, &v)) in principals.iter().zip(values).enumerate() {
            if p != 0 && v != 0 && seen.insert(u64::from(p) << 32 | u64::from(v)) {
                rows.push(row as u32);
            }
        }
        rows
    }

    pub fn len(&self) -> usize {
        self.cols.len()
    }

    /// The rows kept beside a copy that differs from them, ascending.
    pub fn conflict_rows(&self) -> &[u32] {
        &self.conflicts
    }

    /// Whether the row is an event kept beside a copy that differs from it.
    pub fn is_conflict(&self, row: usize) -> bool {
        self.conflicts.binary_search(&(row as u32)).is_ok()
    }

    pub fn is_empty(&self) -> bool {
        self.cols.len() == 0
    }

    pub fn ids(&self, col: Col) -> &[u32] {
        self.column(col).1
    }

    pub fn strings(&self, col: Col) -> &Interner {
        self.column(col).0
    }

    /// A column's strings and ids; the address columns filled when first asked for.
    fn column(&self, col: Col) -> (&Interner, &[u32]) {
        let stored = || {
            (
                &self.cols.strings[col as usize],
                &self.cols.ids[col as usize][..],
            )
        };
        match col {
            Col::IpType | Col::AwsRange | Col::Asn | Col::Org | Col::Country | Col::City => {
                self.addresses().column(col).unwrap_or_else(stored)
            }
            Col::Travel => {
                let travel = self.travel();
                (&travel.strings, &travel.ids)
            }
            _ => stored(),
        }
    }

    /// The value of `col` at `row`, "" when absent.
    pub fn get(&self, col: Col, row: usize) -> &str {
        let (strings, ids) = self.column(col);
        strings.get(ids.get(row).copied().unwrap_or(0))
    }

    pub fn times(&self) -> &[i64] {
        &self.cols.time
    }

    pub fn time(&self, row: usize) -> Option<i64> {
        self.cols.time.get(row).copied().filter(|&t| t != NO_TIME)
    }

    pub fn read_only(&self, row: usize) -> Option<bool> {
        match self.cols.read_only.get(row) {
            Some(1) => Some(false),
            Some(2) => Some(true),
            _ => None,
        }
    }

    pub fn read_only_column(&self) -> &[u8] {
        &self.cols.read_only
    }

    pub fn credential(&self, row: usize) -> Credential {
        Credential::from_u8(self.cols.credential.get(row).copied().unwrap_or(0))
    }

    pub fn event_id(&self, row: usize) -> Id<'_> {
        self.cols.event_id.get(row)
    }

    pub fn request_id(&self, row: usize) -> Id<'_> {
        self.cols.request_id.get(row)
    }

    /// A per-row string of the schema.
    pub fn row_text(&self, text: RowText, row: usize) -> Id<'_> {
        match text {
            RowText::EventId => self.event_id(row),
            RowText::RequestId => self.request_id(row),
        }
    }

    pub fn resources(&self, row: usize) -> impl Iterator<Item = &str> {
        self.cols
            .resources_of(row)
            .iter()
            .map(|&id| self.cols.resources.get(id))
    }

    pub fn resource_strings(&self) -> &Interner {
        &self.cols.resources
    }

    pub fn resource_ids(&self, row: usize) -> &[u32] {
        self.cols.resources_of(row)
    }

    pub fn raw_ref(&self, row: usize) -> Option<RawRef> {
        self.cols.raw.get(row).copied()
    }

    /// The newest eventTime loaded.
    pub fn newest(&self) -> Option<i64> {
        self.cols.time.last().copied().filter(|&t| t != NO_TIME)
    }

    /// The decompressed text of one input (cached: showing neighbouring events of one file
    /// inflates it once).
    pub fn blob_text(&self, blob: u32) -> Result<Arc<[u8]>, Changed> {
        if let Ok(cache) = self.cache.lock() {
            if let Some((cached, text)) = cache.as_ref() {
                if *cached == blob {
                    return Ok(Arc::clone(text));
                }
            }
        }
        let text: Arc<[u8]> = self.inflate_blob(blob)?.into();
        if let Ok(mut cache) = self.cache.lock() {
            *cache = Some((blob, Arc::clone(&text)));
        }
        Ok(text)
    }

    /// The text of input `blob` as it was loaded; an input that changed on disk since is
    /// remembered (see [`Store::changed_inputs`]).
    pub(crate) fn inflate_blob(&self, blob: u32) -> Result<Vec<u8>, Changed> {
        let Some(Some(stored)) = self.blobs.get(blob as usize) else {
            return Ok(Vec::new());
        };
        let text = stored.text(self.max_file_size);
        if let Err(changed) = &text {
            if let Ok(mut list) = self.changed.lock() {
                if !list.contains(changed) {
                    list.push(changed.clone());
                }
            }
        }
        text
    }

    /// The inputs found changed on disk since the load, when their text was needed.
    pub fn changed_inputs(&self) -> Vec<Changed> {
        self.changed.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The original JSON of an event, byte for byte as it was in its input (for events
    /// wrapped in a string, the unescaped string); empty when its input changed since.
    pub fn event_json(&self, row: usize) -> String {
        self.event_text(row).unwrap_or_default()
    }

    /// [`Store::event_json`], or why it cannot be shown: its file changed since the load.
    pub fn event_text(&self, row: usize) -> Result<String, Changed> {
        let Some(raw) = self.raw_ref(row) else {
            return Ok(String::new());
        };
        let text = self.blob_text(raw.blob)?;
        Ok(slice_event(&text, raw).into_owned())
    }

    /// Calls `each(text, rows)` for every input holding events, on all cores; `rows` are
    /// the input's rows by position. Returns the workers' states.
    pub fn scan<S: Send>(
        &self,
        make: impl Fn() -> S + Sync,
        each: impl Fn(&mut S, &[u8], &[u32]) + Sync,
    ) -> Vec<S> {
        self.scan_until(make, each, &|| false)
    }

    /// Calls `each(row, json)` for each of `rows` (any order) with the event's JSON, on all
    /// cores; each input holding some of them is inflated once.
    pub fn scan_rows<S: Send>(
        &self,
        rows: &[u32],
        make: impl Fn() -> S + Sync,
        each: impl Fn(&mut S, u32, &str) + Sync,
    ) -> Vec<S> {
        let mut by_blob: Vec<(u32, u32)> = rows
            .iter()
            .filter_map(|&r| self.raw_ref(r as usize).map(|raw| (raw.blob, r)))
            .collect();
        by_blob.sort_unstable();
        let groups: Vec<&[(u32, u32)]> = by_blob.chunk_by(|a, b| a.0 == b.0).collect();
        parallel(groups.len(), 0, make, |state, i| {
            let Some(&(blob, _)) = groups[i].first() else {
                return;
            };
            let Ok(text) = self.inflate_blob(blob) else {
                return;
            };
            for &(_, row) in groups[i] {
                if let Some(raw) = self.raw_ref(row as usize) {
                    each(state, row, &slice_event(&text, raw));
                }
            }
        })
    }

    /// [`Store::scan`] that skips the inputs left once `stop` turns true.
    pub fn scan_until<S: Send>(
        &self,
        make: impl Fn() -> S + Sync,
        each: impl Fn(&mut S, &[u8], &[u32]) + Sync,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Vec<S> {
        self.scan_where(&|_| true, make, each, stop)
    }

    /// [`Store::scan_until`] over the inputs `wanted` names.
    pub(crate) fn scan_where<S: Send>(
        &self,
        wanted: &(dyn Fn(usize) -> bool + Sync),
        make: impl Fn() -> S + Sync,
        each: impl Fn(&mut S, &[u8], &[u32]) + Sync,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Vec<S> {
        let rows_by_blob = self.rows_by_blob();
        let blobs: Vec<usize> = (0..rows_by_blob.len())
            .filter(|&b| !rows_by_blob[b].is_empty() && wanted(b))
            .collect();
        parallel(blobs.len(), 0, make, |state, i| {
            if stop() {
                return;
            }
            let blob = blobs[i];
            if let Ok(text) = self.inflate_blob(blob as u32) {
                each(state, &text, &rows_by_blob[blob]);
            }
        })
    }

    /// Each input's rows, by position in the input.
    pub(crate) fn rows_by_blob(&self) -> &[Vec<u32>] {
        self.rows_by_blob
            .get_or_init(|| rows_by_blob(&self.cols, self.blobs.len()))
    }
}

/// Each input's rows, by position in the input (for full-text scans).
fn rows_by_blob(cols: &Columns, blobs: usize) -> Vec<Vec<u32>> {
    let mut rows_by_blob: Vec<Vec<u32>> = vec![Vec::new(); blobs];
    for (row, raw) in cols.raw.iter().enumerate() {
        if let Some(rows) = rows_by_blob.get_mut(raw.blob as usize) {
            rows.push(row as u32);
        }
    }
    for rows in &mut rows_by_blob {
        rows.sort_unstable_by_key(|&r| cols.raw[r as usize].offset);
    }
    rows_by_blob
}

/// The event at `raw` within its input's text.
pub fn slice_event(text: &[u8], raw: RawRef) -> Cow<'_, str> {
    let start = raw.offset as usize;
    let bytes = text.get(start..start + raw.len as usize).unwrap_or(&[]);
    let literal = String::from_utf8_lossy(bytes);
    if raw.escaped {
        match serde_json::from_str::<String>(&literal) {
            Ok(inner) => Cow::Owned(inner),
            Err(_) => literal,
        }
    } else {
        literal
    }
}
