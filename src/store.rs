//! The in-memory index: one column per filterable field, in eventTime order.
//!
//! Invariants:
//! - Row `r` is the r-th event in time order (ties by input order, then position in the
//!   input); events without a usable eventTime come first, with time [`NO_TIME`].
//! - String columns hold `u32` ids into a per-column [`Interner`]; id 0 is "absent".
//! - Events are never kept as parsed values. Each row points into the stored bytes of its
//!   input (gzip bytes are kept compressed and re-inflated to show an event), so the
//!   original JSON is retrievable byte for byte.
//! - Loading runs one worker per core, each with its own interners; the workers' columns are
//!   merged by remapping ids, which costs the number of distinct values, not of events.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::error::Error;
use crate::event::{credential, parse_time, principal, Credential, RawEvent};
use crate::source::shape::{self, Shape, Sink, Span};
use crate::source::{self, Input, DEFAULT_MAX_FILE_SIZE};

/// The time of an event whose eventTime is missing or unparseable: before every other.
pub const NO_TIME: i64 = i64::MIN;

pub use crate::schema::Col;
use crate::schema::RowText;

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
    fn push(&mut self, value: &str) {
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

    fn permuted(&self, order: &[u32]) -> StrColumn {
        let mut out = StrColumn {
            bytes: String::with_capacity(self.bytes.len()),
            ends: Vec::with_capacity(order.len()),
        };
        for &row in order {
            out.push(self.get(row as usize));
        }
        out
    }

    fn append(&mut self, other: StrColumn) {
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

/// The stored bytes of one input.
#[derive(Debug)]
pub enum Blob {
    /// gzip bytes as read; re-inflated to show an event.
    Gzip(Box<[u8]>),
    /// Text kept as it is (plain input, or text repaired while loading).
    Plain(Box<[u8]>),
}

/// The columns of a set of events; used for one worker's share while loading and for the
/// final store.
#[derive(Debug, Default)]
struct Columns {
    strings: Vec<Interner>,
    ids: Vec<Vec<u32>>,
    time: Vec<i64>,
    read_only: Vec<u8>,
    credential: Vec<u8>,
    event_id: StrColumn,
    request_id: StrColumn,
    resource_ends: Vec<u32>,
    resource_arns: Vec<u32>,
    resources: Interner,
    raw: Vec<RawRef>,
    /// The last id interned per column, to skip hashing runs of the same value.
    last: Vec<u32>,
}

impl Columns {
    fn new() -> Columns {
        Columns {
            strings: (0..Col::COUNT).map(|_| Interner::default()).collect(),
            ids: vec![Vec::new(); Col::COUNT],
            last: vec![0; Col::COUNT],
            ..Columns::default()
        }
    }

    fn len(&self) -> usize {
        self.time.len()
    }

    fn put(&mut self, col: Col, value: Option<&str>) {
        let c = col as usize;
        let value = value.unwrap_or("");
        let last = self.last[c];
        let id = if self.strings[c].get(last) == value {
            last
        } else {
            let id = self.strings[c].intern(value);
            self.last[c] = id;
            id
        };
        self.ids[c].push(id);
    }

    fn push(&mut self, event: &RawEvent<'_>, raw: RawRef) {
        let identity = event.user_identity.as_ref();
        self.put(Col::Name, event.event_name.as_str());
        self.put(Col::Source, event.event_source.as_str());
        self.put(Col::Region, event.aws_region.as_str());
        self.put(Col::RecipientAccount, event.recipient_account_id.as_str());
        self.put(
            Col::IdentityAccount,
            identity.and_then(|i| i.account_id.as_str()),
        );
        self.put(Col::Ip, event.source_ip.as_str());
        self.put(Col::Agent, event.user_agent.as_str());
        self.put(Col::ErrorCode, event.error_code.as_str());
        self.put(Col::ErrorMessage, event.error_message.as_str());
        self.put(Col::IdentityType, identity.and_then(|i| i.kind.as_str()));
        let principal = identity.and_then(principal);
        self.put(Col::Principal, principal.as_deref());
        let session = match identity.and_then(|i| i.kind.as_str()) {
            Some("AssumedRole") => principal
                .as_deref()
                .and_then(|p| p.rsplit_once('/'))
                .map(|(_, s)| s),
            _ => None,
        };
        self.put(Col::SessionName, session);
        self.put(Col::Arn, identity.and_then(|i| i.arn.as_str()));
        self.put(
            Col::AccessKey,
            identity.and_then(|i| i.access_key_id.as_str()),
        );
        self.put(Col::UserName, identity.and_then(|i| i.user_name.as_str()));
        self.put(
            Col::PrincipalId,
            identity.and_then(|i| i.principal_id.as_str()),
        );
        let issuer = identity
            .and_then(|i| i.session_context.as_ref())
            .and_then(|c| c.session_issuer.as_ref());
        self.put(Col::IssuerName, issuer.and_then(|s| s.user_name.as_str()));
        self.put(Col::IssuerArn, issuer.and_then(|s| s.arn.as_str()));
        self.put(Col::Category, event.event_category.as_str());
        self.put(Col::EventType, event.event_type.as_str());
        self.put(Col::SharedEventId, event.shared_event_id.as_str());
        self.put(Col::VpcEndpoint, event.vpc_endpoint_id.as_str());
        self.put(
            Col::SourceIdentity,
            identity
                .and_then(|i| i.session_context.as_ref())
                .and_then(|c| c.source_identity.as_str()),
        );
        self.time.push(
            event
                .event_time
                .as_str()
                .and_then(parse_time)
                .unwrap_or(NO_TIME),
        );
        self.read_only.push(match event.read_only.0 {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        });
        self.credential
            .push(credential(identity, event.event_name.as_str()) as u8);
        self.event_id.push(event.event_id.as_str().unwrap_or(""));
        self.request_id
            .push(event.request_id.as_str().unwrap_or(""));
        if let Some(resources) = &event.resources.0 {
            for resource in resources {
                if let Some(arn) = resource.arn.as_str() {
                    let id = self.resources.intern(arn);
                    self.resource_arns.push(id);
                }
            }
        }
        self.resource_ends.push(self.resource_arns.len() as u32);
        self.raw.push(raw);
    }

    /// Appends `other`, remapping its ids into our interners.
    fn append(&mut self, other: Columns) {
        for (c, (strings, ids)) in other.strings.iter().zip(other.ids).enumerate() {
            let map: Vec<u32> = strings
                .values()
                .map(|(_, v)| self.strings[c].intern(v))
                .collect();
            self.ids[c].extend(ids.iter().map(|&id| map[id as usize]));
        }
        let res_map: Vec<u32> = other
            .resources
            .values()
            .map(|(_, v)| self.resources.intern(v))
            .collect();
        let base = self.resource_arns.len() as u32;
        self.resource_arns
            .extend(other.resource_arns.iter().map(|&id| res_map[id as usize]));
        self.resource_ends
            .extend(other.resource_ends.iter().map(|&end| end + base));
        self.time.extend(other.time);
        self.read_only.extend(other.read_only);
        self.credential.extend(other.credential);
        self.event_id.append(other.event_id);
        self.request_id.append(other.request_id);
        self.raw.extend(other.raw);
    }

    fn resources_of(&self, row: usize) -> &[u32] {
        let end = self.resource_ends.get(row).copied().unwrap_or(0) as usize;
        let start = match row {
            0 => 0,
            _ => self.resource_ends.get(row - 1).copied().unwrap_or(0) as usize,
        };
        self.resource_arns.get(start..end).unwrap_or(&[])
    }

    /// The same events in the given order.
    fn permuted(self, order: &[u32]) -> Columns {
        let pick = |v: &[u32]| -> Vec<u32> { order.iter().map(|&r| v[r as usize]).collect() };
        let mut resource_arns = Vec::with_capacity(self.resource_arns.len());
        let mut resource_ends = Vec::with_capacity(order.len());
        for &row in order {
            resource_arns.extend_from_slice(self.resources_of(row as usize));
            resource_ends.push(resource_arns.len() as u32);
        }
        Columns {
            // Column by column, so only one old column is alive beside the new ones.
            ids: self.ids.into_iter().map(|c| pick(&c)).collect(),
            time: order.iter().map(|&r| self.time[r as usize]).collect(),
            read_only: order.iter().map(|&r| self.read_only[r as usize]).collect(),
            credential: order.iter().map(|&r| self.credential[r as usize]).collect(),
            event_id: self.event_id.permuted(order),
            request_id: self.request_id.permuted(order),
            raw: order.iter().map(|&r| self.raw[r as usize]).collect(),
            resource_ends,
            resource_arns,
            strings: self.strings,
            resources: self.resources,
            last: Vec::new(),
        }
    }
}

/// What loading found in one input, for `check` and the status line.
#[derive(Debug, Default)]
pub struct InputReport {
    pub name: String,
    pub shapes: Vec<Shape>,
    pub events: usize,
    pub digests: usize,
    /// Found while walking a directory and not JSON at all (a README): left alone.
    pub ignored: bool,
    pub problems: Vec<Error>,
}

/// What a load found, beside the store itself.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub inputs: Vec<InputReport>,
    /// Problems met while finding inputs (missing paths, unreadable directories, FIFOs).
    pub discovery_problems: Vec<Error>,
    /// Events dropped because the same event was delivered more than once.
    pub duplicates: usize,
    pub digests: usize,
}

impl LoadReport {
    pub fn problems(&self) -> impl Iterator<Item = &Error> {
        self.discovery_problems
            .iter()
            .chain(self.inputs.iter().flat_map(|i| i.problems.iter()))
    }

    pub fn has_problems(&self) -> bool {
        self.problems().next().is_some()
    }
}

/// Load progress, shared with whoever draws it.
#[derive(Debug, Default)]
pub struct Progress {
    pub inputs_total: AtomicUsize,
    pub inputs_done: AtomicUsize,
    pub events: AtomicUsize,
    /// Bytes of text (after decompression) read so far.
    pub bytes: AtomicU64,
}

#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Largest text one input may inflate to.
    pub max_file_size: u64,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: 0,
        }
    }
}

/// The loaded, sorted, de-duplicated events.
#[derive(Debug)]
pub struct Store {
    cols: Columns,
    blobs: Vec<Option<Blob>>,
    /// Rows of each blob, by position in the blob (for full-text scans).
    rows_by_blob: Vec<Vec<u32>>,
    max_file_size: u64,
    cache: Mutex<Option<(u32, Arc<[u8]>)>>,
}

/// One worker's share of a load.
struct Worker {
    cols: Columns,
    /// Inflate buffer reused from file to file.
    buf: Vec<u8>,
    blobs: Vec<(usize, Blob)>,
    reports: Vec<(usize, InputReport)>,
}

struct FileSink<'w> {
    cols: &'w mut Columns,
    report: &'w mut InputReport,
    blob: u32,
}

impl Sink for FileSink<'_> {
    fn event(&mut self, event: &RawEvent<'_>, span: Span) {
        self.cols.push(
            event,
            RawRef {
                blob: self.blob,
                offset: span.offset as u32,
                len: span.len as u32,
                escaped: span.escaped,
            },
        );
        self.report.events += 1;
    }

    fn digest(&mut self) {
        self.report.digests += 1;
    }

    fn problem(&mut self, problem: Error) {
        self.report.problems.push(problem);
    }
}

/// Runs `each` over `0..items` on `threads` workers, each with its own state.
pub(crate) fn parallel<S: Send>(
    items: usize,
    threads: usize,
    make: impl Fn() -> S + Sync,
    each: impl Fn(&mut S, usize) + Sync,
) -> Vec<S> {
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .clamp(1, items.max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = make();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= items {
                break;
            }
            each(&mut state, i);
        }
        state
    };
    if threads == 1 {
        return vec![work()];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

impl Store {
    /// Loads every input. Never fails as a whole: what cannot be read is in the report.
    pub fn load(
        inputs: &[Input],
        options: &LoadOptions,
        progress: &Progress,
    ) -> (Store, LoadReport) {
        progress.inputs_total.store(inputs.len(), Ordering::Relaxed);
        let limit = options.max_file_size.min(u64::from(u32::MAX));
        let workers = parallel(
            inputs.len(),
            options.threads,
            || Worker {
                cols: Columns::new(),
                buf: Vec::new(),
                blobs: Vec::new(),
                reports: Vec::new(),
            },
            |worker, i| {
                let (blob, report) = load_one(
                    &inputs[i],
                    i as u32,
                    limit,
                    &mut worker.cols,
                    &mut worker.buf,
                    progress,
                );
                if let Some(blob) = blob {
                    worker.blobs.push((i, blob));
                }
                worker.reports.push((i, report));
                progress.inputs_done.fetch_add(1, Ordering::Relaxed);
            },
        );
        let mut cols = Columns::new();
        let mut blobs: Vec<Option<Blob>> = (0..inputs.len()).map(|_| None).collect();
        let mut reports: Vec<Option<InputReport>> = (0..inputs.len()).map(|_| None).collect();
        for worker in workers {
            cols.append(worker.cols);
            for (i, blob) in worker.blobs {
                blobs[i] = Some(blob);
            }
            for (i, report) in worker.reports {
                reports[i] = Some(report);
            }
        }
        let (order, duplicates) = time_order(&cols);
        let cols = cols.permuted(&order);
        let mut rows_by_blob: Vec<Vec<u32>> = vec![Vec::new(); inputs.len()];
        for (row, raw) in cols.raw.iter().enumerate() {
            rows_by_blob[raw.blob as usize].push(row as u32);
        }
        for rows in &mut rows_by_blob {
            rows.sort_unstable_by_key(|&r| cols.raw[r as usize].offset);
        }
        let reports: Vec<InputReport> = reports.into_iter().flatten().collect();
        let report = LoadReport {
            digests: reports.iter().map(|r| r.digests).sum(),
            inputs: reports,
            discovery_problems: Vec::new(),
            duplicates,
        };
        let store = Store {
            cols,
            blobs,
            rows_by_blob,
            max_file_size: limit,
            cache: Mutex::new(None),
        };
        (store, report)
    }

    /// Finds the inputs under `paths` and loads them.
    pub fn load_paths(
        paths: &[std::path::PathBuf],
        options: &LoadOptions,
        progress: &Progress,
    ) -> (Store, LoadReport) {
        let (inputs, discovery_problems) = source::discover(paths);
        let (store, mut report) = Store::load(&inputs, options, progress);
        report.discovery_problems = discovery_problems;
        (store, report)
    }

    /// An empty store (the explorer's state before the first load finishes).
    pub fn empty() -> Store {
        Store {
            cols: Columns::new(),
            blobs: Vec::new(),
            rows_by_blob: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            cache: Mutex::new(None),
        }
    }

    pub fn len(&self) -> usize {
        self.cols.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cols.len() == 0
    }

    pub fn ids(&self, col: Col) -> &[u32] {
        &self.cols.ids[col as usize]
    }

    pub fn strings(&self, col: Col) -> &Interner {
        &self.cols.strings[col as usize]
    }

    /// The value of `col` at `row`, "" when absent.
    pub fn get(&self, col: Col, row: usize) -> &str {
        let id = self.cols.ids[col as usize].get(row).copied().unwrap_or(0);
        self.cols.strings[col as usize].get(id)
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

    pub fn event_id(&self, row: usize) -> &str {
        self.cols.event_id.get(row)
    }

    pub fn request_id(&self, row: usize) -> &str {
        self.cols.request_id.get(row)
    }

    /// A per-row string of the schema.
    pub fn row_text(&self, text: RowText, row: usize) -> &str {
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
    pub fn blob_text(&self, blob: u32) -> Arc<[u8]> {
        if let Ok(cache) = self.cache.lock() {
            if let Some((cached, text)) = cache.as_ref() {
                if *cached == blob {
                    return Arc::clone(text);
                }
            }
        }
        let text: Arc<[u8]> = self.inflate_blob(blob).into();
        if let Ok(mut cache) = self.cache.lock() {
            *cache = Some((blob, Arc::clone(&text)));
        }
        text
    }

    fn inflate_blob(&self, blob: u32) -> Vec<u8> {
        match self.blobs.get(blob as usize) {
            Some(Some(Blob::Gzip(bytes))) => source::inflate::reinflate(bytes, self.max_file_size),
            Some(Some(Blob::Plain(bytes))) => bytes.to_vec(),
            _ => Vec::new(),
        }
    }

    /// The original JSON of an event, byte for byte as it was in its input (for events
    /// wrapped in a string, the unescaped string).
    pub fn event_json(&self, row: usize) -> String {
        let Some(raw) = self.raw_ref(row) else {
            return String::new();
        };
        let text = self.blob_text(raw.blob);
        slice_event(&text, raw).into_owned()
    }

    /// Calls `each(text, rows)` for every input holding events, on all cores; `rows` are
    /// the input's rows by position. Returns the workers' states.
    pub fn scan<S: Send>(
        &self,
        make: impl Fn() -> S + Sync,
        each: impl Fn(&mut S, &[u8], &[u32]) + Sync,
    ) -> Vec<S> {
        let blobs: Vec<usize> = (0..self.rows_by_blob.len())
            .filter(|&b| !self.rows_by_blob[b].is_empty())
            .collect();
        parallel(blobs.len(), 0, make, |state, i| {
            let blob = blobs[i];
            let text = self.inflate_blob(blob as u32);
            each(state, &text, &self.rows_by_blob[blob]);
        })
    }
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

/// Reads, inflates and parses one input into `cols`.
fn load_one(
    input: &Input,
    blob: u32,
    limit: u64,
    cols: &mut Columns,
    buf: &mut Vec<u8>,
    progress: &Progress,
) -> (Option<Blob>, InputReport) {
    let mut report = InputReport {
        name: input.name.clone(),
        ..InputReport::default()
    };
    let stored = match input.read() {
        Ok(bytes) => bytes,
        Err(err) => {
            report.problems.push(err);
            return (None, report);
        }
    };
    let inflated = source::inflate(&input.name, &stored, limit, buf);
    progress
        .bytes
        .fetch_add(inflated.text.len() as u64, Ordering::Relaxed);
    if let Some(damage) = inflated.damage {
        report.problems.push(damage);
    }
    if !shape::looks_like_json(inflated.text) {
        // Not JSON at all: a README among the logs is left alone, a named file reported.
        if input.walked && report.problems.is_empty() {
            report.ignored = true;
        } else {
            report.problems.push(Error::NotCloudTrail {
                path: input.name.clone(),
                at: crate::error::Position { line: 1, column: 1 },
                what: "not JSON".into(),
            });
        }
        return (None, report);
    }
    let (text, repaired): (Cow<str>, bool) = match std::str::from_utf8(inflated.text) {
        Ok(text) => (Cow::Borrowed(text), false),
        Err(err) => {
            report.problems.push(Error::InvalidUtf8 {
                path: input.name.clone(),
                offset: err.valid_up_to(),
            });
            (String::from_utf8_lossy(inflated.text), true)
        }
    };
    let before = cols.len();
    let outcome = {
        let mut sink = FileSink {
            cols,
            report: &mut report,
            blob,
        };
        shape::parse(&input.name, &text, &mut sink)
    };
    report.shapes = outcome.shapes;
    progress.events.fetch_add(report.events, Ordering::Relaxed);
    if outcome.empty && report.problems.is_empty() {
        report.problems.push(Error::NotCloudTrail {
            path: input.name.clone(),
            at: shape::position(&text, 0),
            what: "empty input, no events".into(),
        });
    }
    if cols.len() == before {
        return (None, report);
    }
    let blob = if repaired {
        Blob::Plain(text.into_owned().into_bytes().into_boxed_slice())
    } else if inflated.was_gzip {
        Blob::Gzip(stored.into_boxed_slice())
    } else {
        Blob::Plain(stored.into_boxed_slice())
    };
    (Some(blob), report)
}

/// Row order by (time, input, position), and the duplicate deliveries left out of it.
fn time_order(cols: &Columns) -> (Vec<u32>, usize) {
    let mut order: Vec<u32> = (0..cols.len() as u32).collect();
    order.sort_unstable_by_key(|&r| {
        let raw = cols.raw[r as usize];
        (cols.time[r as usize], raw.blob, raw.offset)
    });
    let name = &cols.ids[Col::Name as usize];
    let account = &cols.ids[Col::RecipientAccount as usize];
    let mut kept = Vec::with_capacity(order.len());
    let mut duplicates = 0;
    // Duplicates share an eventTime, so only events of one time are compared: pairwise in
    // the usual small groups, through a set in large ones (many events in one second).
    let mut start = 0;
    while start < order.len() {
        let time = cols.time[order[start] as usize];
        let end = start + order[start..].partition_point(|&r| cols.time[r as usize] == time);
        let group = &order[start..end];
        if group.len() <= 16 {
            let first_kept = kept.len();
            for &row in group {
                let r = row as usize;
                let id = cols.event_id.get(r);
                let duplicate = !id.is_empty()
                    && kept[first_kept..].iter().any(|&k: &u32| {
                        let k = k as usize;
                        cols.event_id.get(k) == id && name[k] == name[r] && account[k] == account[r]
                    });
                if duplicate {
                    duplicates += 1;
                } else {
                    kept.push(row);
                }
            }
        } else {
            let mut seen = rustc_hash::FxHashSet::default();
            for &row in group {
                let r = row as usize;
                let id = cols.event_id.get(r);
                if !id.is_empty() && !seen.insert((id, name[r], account[r])) {
                    duplicates += 1;
                } else {
                    kept.push(row);
                }
            }
        }
        start = end;
    }
    (kept, duplicates)
}
