//! Building the index: inputs are read, inflated and parsed on one worker per core, each
//! with its own interners; the workers' columns are merged by remapping ids (which costs the
//! number of distinct values, not of events), put in time order, and duplicate deliveries
//! are collapsed ([`order`]).

pub mod cache;
mod copies;
mod order;
mod parsed;

pub(crate) use parsed::Parsed;

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, MAX_PROBLEMS_PER_INPUT};
use crate::event::RawEvent;
use crate::source::shape::{self, Shape, Sink, Span};
use crate::source::{self, Input, DEFAULT_MAX_FILE_SIZE};
use crate::store::{Blob, Columns, RawRef, Stamp, Store};

pub use crate::report::{InputReport, LoadReport};

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
    /// Collapse copies of the same event JSON delivered more than once (`--no-dedup`
    /// keeps every copy).
    pub dedup: bool,
    /// Where saved indexes are kept ([`cache`]); `None` loads without one.
    pub index_dir: Option<std::path::PathBuf>,
    /// The address lists and databases the address columns are filled from.
    pub places: std::sync::Arc<crate::places::Places>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: 0,
            dedup: true,
            index_dir: None,
            places: Default::default(),
        }
    }
}

/// Fills the index's derived columns: the callers' tools, and the address columns from the
/// lookup files (whose problems it tells).
fn enrich(store: &mut Store, report: &mut LoadReport, options: &LoadOptions) {
    store.classify_callers();
    store.enrich(&options.places);
    // The files' own problems (waiting for the reader, if it is not done yet).
    report.lookup_problems = options
        .places
        .problems()
        .into_iter()
        .map(|(path, detail)| crate::error::Error::Lookup { path, detail })
        .collect();
}

struct FileSink<'w> {
    cols: &'w mut Columns,
    report: &'w mut InputReport,
    blob: u32,
    /// Problems past the ones kept.
    more_problems: &'w mut usize,
}

impl Sink for FileSink<'_> {
    fn event(&mut self, event: &RawEvent<'_>, span: Span) {
        let (time, from) = event.time();
        if let Some(field) = from {
            match self.report.times_from.iter_mut().find(|(f, _)| *f == field) {
                Some((_, n)) => *n += 1,
                None => self.report.times_from.push((field, 1)),
            }
        }
        self.cols.push(
            event,
            time,
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
        if self.report.problems.len() < MAX_PROBLEMS_PER_INPUT {
            self.report.problems.push(problem);
        } else {
            *self.more_problems += 1;
        }
    }
}

impl Store {
    /// Loads every input. Never fails as a whole: what cannot be read is in the report.
    pub fn load(
        inputs: &[Input],
        options: &LoadOptions,
        progress: &Progress,
    ) -> (Store, LoadReport) {
        let parsed = Parsed::of(inputs, &|_| true, options, progress);
        parsed.finish(options, 0)
    }

    /// Finds the inputs under `paths` and loads them.
    pub fn load_paths(
        paths: &[std::path::PathBuf],
        options: &LoadOptions,
        progress: &Progress,
    ) -> (Store, LoadReport) {
        let (inputs, discovery_problems) = source::discover(paths);
        Store::load_discovered(paths, inputs, discovery_problems, options, progress)
    }

    /// Loads the inputs [`source::discover`] found under `paths`: through the saved index
    /// when [`LoadOptions::index_dir`] names a folder (and writes it for next time).
    pub fn load_discovered(
        paths: &[std::path::PathBuf],
        inputs: Vec<Input>,
        discovery_problems: Vec<Error>,
        options: &LoadOptions,
        progress: &Progress,
    ) -> (Store, LoadReport) {
        let (store, mut report, save) =
            Store::load_saving_later(paths, inputs, discovery_problems, options, progress);
        if let Some(Err(note)) = save.map(|save| save.write(&store)) {
            report.index_note = Some(note);
        }
        (store, report)
    }

    /// [`Store::load_discovered`], with the index for next time returned to be written
    /// once the store is in use.
    pub fn load_saving_later(
        paths: &[std::path::PathBuf],
        inputs: Vec<Input>,
        discovery_problems: Vec<Error>,
        options: &LoadOptions,
        progress: &Progress,
    ) -> (Store, LoadReport, Option<cache::IndexSave>) {
        match &options.index_dir {
            Some(dir) => cache::load(dir, paths, inputs, discovery_problems, options, progress),
            None => {
                let (store, report) =
                    Store::load_found(inputs, discovery_problems, options, progress);
                (store, report, None)
            }
        }
    }

    /// Loads inputs [`source::discover`] found (archives opened here), with the problems
    /// it met on the way.
    pub fn load_found(
        inputs: Vec<Input>,
        mut discovery_problems: Vec<Error>,
        options: &LoadOptions,
        progress: &Progress,
    ) -> (Store, LoadReport) {
        let limit = options.max_file_size.min(u64::from(u32::MAX));
        let (inputs, archive_problems) = source::archive::expand(inputs, limit);
        discovery_problems.extend(archive_problems);
        let (store, mut report) = Store::load(&inputs, options, progress);
        report.discovery_problems = discovery_problems;
        (store, report)
    }
}
/// Held while one input larger than [`source::inflate::LARGE`] is read, inflated and parsed.
static LARGE_INPUT: Mutex<()> = Mutex::new(());

/// Parses `text` into `cols`: a flaw serde_json refuses a whole document for is repaired
/// and the text read again (at most [`source::repair::MAX_REPAIRS`] times), and every
/// problem's position is given in the user's own text. Returns the parse's outcome, the
/// text as it was last read, and whether that is a repaired one.
fn parse_repairing<'t>(
    name: &str,
    text: Cow<'t, str>,
    repaired: bool,
    cols: &mut Columns,
    report: &mut InputReport,
    blob: u32,
) -> (shape::Outcome, Cow<'t, str>, bool) {
    let before = cols.len();
    let problems_before = report.problems.len();
    let original = text.clone();
    let mut text = text;
    let mut repaired = repaired;
    // Repairs made (offsets in the current text), and where two bytes were inserted (a
    // number put in quotes), to give every position in the user's own text.
    let mut repairs: Vec<(usize, &'static str)> = Vec::new();
    let mut inserted: Vec<usize> = Vec::new();
    let mut passes = 0;
    let outcome = loop {
        let mut more_problems = 0;
        let outcome = {
            let mut sink = FileSink {
                cols,
                report: &mut *report,
                blob,
                more_problems: &mut more_problems,
            };
            shape::parse(name, &text, &mut sink)
        };
        if more_problems > 0 {
            report.problems.push(Error::MoreProblems {
                path: name.to_string(),
                count: more_problems,
            });
        }
        // A flaw serde_json refuses a whole document for: repair it and read again.
        passes += 1;
        let fixed = (passes <= source::repair::MAX_REPAIRS)
            .then(|| source::repair::repair(&text, &report.problems[problems_before..]))
            .flatten();
        let Some(fix) = fixed else {
            break outcome;
        };
        cols.truncate(before);
        report.problems.truncate(problems_before);
        report.events = 0;
        report.digests = 0;
        if let Some(at) = fix.inserted {
            for offset in repairs
                .iter_mut()
                .map(|(o, _)| o)
                .chain(inserted.iter_mut())
            {
                if *offset >= at {
                    *offset += 2;
                }
            }
            inserted.push(at);
        }
        repairs.extend(fix.repairs);
        text = Cow::Owned(fix.text);
        repaired = true;
    };
    // Positions in the user's text: before the quotes the repairs inserted.
    let to_original = |offset: usize| offset - 2 * inserted.iter().filter(|&&i| i < offset).count();
    if !inserted.is_empty() {
        for problem in &mut report.problems[problems_before..] {
            if let Error::Json { at, .. }
            | Error::NotCloudTrail { at, .. }
            | Error::Repaired { at, .. } = problem
            {
                let offset = to_original(shape::offset_of_position(&text, *at));
                *at = shape::position(&original, offset);
            }
        }
    }
    for (offset, what) in repairs {
        report.problems.push(Error::Repaired {
            path: name.to_string(),
            at: shape::position(&original, to_original(offset)),
            what,
        });
    }
    (outcome, text, repaired)
}

/// Reads, inflates and parses one input into `cols`.
fn load_one(
    input: &Input,
    blob: u32,
    limit: u64,
    cols: &mut Columns,
    buf: &mut Vec<u8>,
    large: &mut Option<MutexGuard<'static, ()>>,
    progress: &Progress,
) -> (Option<Blob>, InputReport) {
    let mut report = InputReport {
        name: input.name.clone(),
        ..InputReport::default()
    };
    // One large input at a time, whichever worker has it: the memory of every worker
    // together stays near one input's limit, not one per worker. The caller lets go once
    // it has released the buffer.
    let hold = |large: &mut Option<MutexGuard<'static, ()>>| {
        if large.is_none() {
            *large = Some(LARGE_INPUT.lock().unwrap_or_else(|e| e.into_inner()));
        }
    };
    let (stored, modified) = match input.read(limit, &mut || hold(large)) {
        Ok(read) => read,
        Err(err) => {
            report.problems.push(err);
            return (None, report);
        }
    };
    let inflated = source::inflate(&input.name, &stored, limit, buf, &mut || hold(large));
    progress
        .bytes
        .fetch_add(inflated.text.len() as u64, Ordering::Relaxed);
    if let Some(damage) = inflated.damage {
        report.problems.push(damage);
    } else if input.walked
        && (source::is_marker(&input.name) || inflated.text.iter().all(u8::is_ascii_whitespace))
    {
        // A marker, or an empty file, found in a folder: nothing to load and nothing wrong
        // (`check` counts it). One named by the user was meant to hold events.
        report.ignored = true;
        return (None, report);
    }
    // Text saved as UTF-16 (Windows PowerShell's `>` writes it, with a byte-order mark).
    let utf16 = source::utf16_text(inflated.text);
    let raw_text: &[u8] = utf16.as_deref().map_or(inflated.text, str::as_bytes);
    if !shape::looks_like_json(raw_text) {
        not_json(input, raw_text, inflated.was_gzip, &mut report);
        return (None, report);
    }
    let (text, repaired): (Cow<str>, bool) = match &utf16 {
        Some(text) => (Cow::Owned(text.clone()), true),
        None => match std::str::from_utf8(raw_text) {
            Ok(text) => (Cow::Borrowed(text), false),
            Err(err) => {
                report.problems.push(Error::InvalidUtf8 {
                    path: input.name.clone(),
                    offset: err.valid_up_to(),
                });
                (String::from_utf8_lossy(raw_text), true)
            }
        },
    };
    // Athena's export of the CloudTrail table and CloudTrail Lake's query results: read back
    // as the events they were made from.
    let exported = if source::athena::looks_like_unload(&text) {
        Some((source::athena::to_cloudtrail(&text), Shape::AthenaExport))
    } else if source::lake::looks_like_results(&text) {
        source::lake::to_cloudtrail(&text).map(|events| (events, Shape::LakeResults))
    } else {
        None
    };
    let (text, repaired, exported) = match exported {
        Some((events, shape)) => (Cow::Owned(events), true, Some(shape)),
        None => (text, repaired, None),
    };
    let before = cols.len();
    let (outcome, text, repaired) =
        parse_repairing(&input.name, text, repaired, cols, &mut report, blob);
    report.shapes = outcome.shapes;
    if let Some(shape) = exported {
        // What the file is, rather than the lines it became.
        report.shapes = vec![shape];
    }
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
    let repaired = repaired.then(|| text.into_owned());
    let gzip = inflated.was_gzip;
    let blob = kept(input, stored, modified, gzip, repaired);
    (Some(blob), report)
}

/// An input that is not JSON at all. A README among the logs is left alone; a file named
/// by the user, named like JSON, compressed in a way we do not read, or that inflated from
/// gzip, is reported: it was meant to hold events.
fn not_json(input: &Input, text: &[u8], gzip: bool, report: &mut InputReport) {
    let format = source::other_format(text);
    let meant_as_json =
        !input.walked || gzip || format.is_some() || source::named_like_json(&input.name);
    if !meant_as_json && report.problems.is_empty() {
        report.ignored = true;
    } else {
        report.problems.push(Error::NotCloudTrail {
            path: input.name.clone(),
            at: crate::error::Position { line: 1, column: 1 },
            what: format.unwrap_or("not JSON").into(),
        });
    }
}

/// How an input's text is kept once its events are in the index: the text itself when it
/// was repaired; a file on disk read again when needed; else the bytes as stored.
fn kept(
    input: &Input,
    stored: Vec<u8>,
    modified: Option<std::time::SystemTime>,
    gzip: bool,
    repaired: Option<String>,
) -> Blob {
    if let Some(text) = repaired {
        Blob::Plain(text.into_bytes().into_boxed_slice())
    } else if let (source::Origin::File(path), Some(modified)) = (&input.origin, modified) {
        Blob::File {
            path: path.clone(),
            name: input.name.clone(),
            stamp: Stamp::new(&stored, Some(modified)),
            gzip,
        }
    } else if gzip {
        Blob::Gzip(stored.into_boxed_slice())
    } else {
        Blob::Plain(stored.into_boxed_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Col;
    use crate::source::Origin;

    fn embedded(name: &str, text: &'static str) -> Input {
        Input {
            name: name.into(),
            origin: Origin::Embedded(text.as_bytes()),
            walked: false,
        }
    }

    const A: &str = r#"{"Records":[
        {"eventID":"a1","eventTime":"2024-05-03T14:00:03Z","eventName":"CreateUser","userIdentity":{"type":"IAMUser","userName":"alice"}},
        {"eventID":"a2","eventTime":"2024-05-03T14:00:01Z","eventName":"ListUsers","userIdentity":{"type":"IAMUser","userName":"bob"}}]}"#;
    const B: &str = r#"{"eventID":"b1","eventTime":"2024-05-03T14:00:02Z","eventName":"ListUsers","userIdentity":{"type":"IAMUser","userName":"alice"}}
{"eventID":"a1","eventTime":"2024-05-03T14:00:03Z","eventName":"CreateUser","userIdentity":{"type":"IAMUser","userName":"alice"}}"#;
    const BROKEN: &str = r#"{"Records":[{"eventID":"c1","eventTime":"2024-05-03T14:00:00Z"},"#;

    fn summary(store: &Store) -> Vec<(String, String, String)> {
        (0..store.len())
            .map(|r| {
                (
                    store.event_id(r).to_string(),
                    store.get(Col::Name, r).to_string(),
                    store.get(Col::Principal, r).to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn workers_merge_to_the_same_index_whatever_their_number() {
        let inputs = [embedded("a", A), embedded("b", B), embedded("c", BROKEN)];
        let mut seen = Vec::new();
        for threads in [1, 2, 3] {
            let options = LoadOptions {
                threads,
                ..LoadOptions::default()
            };
            let progress = Progress::default();
            let (store, report) = Store::load(&inputs, &options, &progress);
            assert_eq!(report.duplicates, 1, "{threads} threads");
            assert_eq!(report.inputs.len(), 3);
            assert_eq!(report.inputs[2].problems.len(), 1);
            assert_eq!(
                report.inputs[2].events, 1,
                "what parsed before the break is kept"
            );
            assert_eq!(progress.inputs_done.load(Ordering::Relaxed), 3);
            // Interned ids were remapped: the same value has one id in the merged column.
            let alice: Vec<u32> = (0..store.len())
                .filter(|&r| store.get(Col::Principal, r) == "alice")
                .map(|r| store.ids(Col::Principal)[r])
                .collect();
            assert_eq!(alice.len(), 2);
            assert_eq!(alice[0], alice[1]);
            seen.push(summary(&store));
        }
        assert_eq!(
            seen[0],
            [
                ("c1".into(), String::new(), String::new()),
                ("a2".into(), "ListUsers".into(), "bob".into()),
                ("b1".into(), "ListUsers".into(), "alice".into()),
                ("a1".into(), "CreateUser".into(), "alice".into()),
            ]
        );
        assert!(seen.iter().all(|s| *s == seen[0]));
    }

    #[test]
    fn every_row_shows_its_original_json() {
        let inputs = [embedded("a", A), embedded("b", B)];
        let (store, _) = Store::load(&inputs, &LoadOptions::default(), &Progress::default());
        for row in 0..store.len() {
            let json: serde_json::Value =
                serde_json::from_str(&store.event_json(row)).expect("json");
            assert_eq!(json["eventID"], *store.event_id(row));
        }
    }
}
