//! The saved index: after a load, the index is written under the cache folder
//! (`$XDG_CACHE_HOME/trailscope/`, or `--index-dir`); a later run on the same inputs — the
//! same files with the same sizes and modification times — opens it instead of parsing.
//! A changed, added or removed file makes the trail load again (and the index be written
//! anew). A damaged, truncated or foreign index file is said once and rebuilt, never
//! trusted. The folder is bounded: past [`MAX_BYTES`], the oldest indexes go (never the
//! newest).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use std::collections::HashMap;

use super::{InputReport, LoadOptions, LoadReport, Parsed, Progress};
use crate::source::{self, Origin};
use crate::store::saved::{self, Entry};
use crate::store::{Blob, Store};

/// How much the cache folder may hold before the oldest indexes are removed.
pub const MAX_BYTES: u64 = 4 << 30;

/// The default cache folder: `$XDG_CACHE_HOME/trailscope`, else `~/.cache/trailscope`.
pub fn default_dir() -> Option<PathBuf> {
    crate::files::user_dir("XDG_CACHE_HOME", ".cache")
}

/// An index to write for next time, once the load it describes is in use: writing a large
/// one takes seconds (10M events: 1.8 GB), which the explorer spends showing the events
/// instead. [`stop_saving`] cuts a write short when the program ends.
#[derive(Debug)]
pub struct IndexSave {
    dir: PathBuf,
    file: PathBuf,
    entries: Vec<Entry>,
    /// What the index keeps of the load's report (inputs and their counts; a load with
    /// problems is never saved).
    report: LoadReport,
    /// The store keeps the phrase summaries made for the index (the explorer's session
    /// searches with them; a command ends once the index is written).
    keep: bool,
}

/// Set when the program ends: a write in progress stops and removes its temporary file.
static STOP: AtomicBool = AtomicBool::new(false);
/// Held while an index is written.
static WRITING: Mutex<()> = Mutex::new(());

/// Stops any index being written, and returns once its temporary file is gone (a write
/// notices within one buffer of 1 MiB). Later saves do nothing.
pub fn stop_saving() {
    STOP.store(true, Ordering::Relaxed);
    drop(WRITING.lock());
}

impl IndexSave {
    /// The summaries made for the index stay with the store, for the rest of the session.
    pub fn keeping_summaries(mut self) -> IndexSave {
        self.keep = true;
        self
    }

    /// Writes the index of `store`; on failure, the note to show.
    pub fn write(&self, store: &Store) -> Result<(), String> {
        let _writing = WRITING.lock().unwrap_or_else(|e| e.into_inner());
        if STOP.load(Ordering::Relaxed) {
            return Ok(());
        }
        match save(
            &self.dir,
            &self.file,
            store,
            &self.report,
            &self.entries,
            self.keep,
            &STOP,
        ) {
            Err(_) if STOP.load(Ordering::Relaxed) => Ok(()),
            Err(e) => Err(format!(
                "the index was not saved in {}: {e}",
                self.dir.display()
            )),
            Ok(()) => Ok(()),
        }
    }
}

/// Loads the inputs found under `paths` through the saved index in `dir`: opened when it
/// matches them, brought up to date when some changed, else they are read. What to write
/// for next time is returned, not written.
pub(super) fn load(
    dir: &Path,
    paths: &[PathBuf],
    inputs: Vec<source::Input>,
    problems: Vec<crate::error::Error>,
    options: &LoadOptions,
    progress: &Progress,
) -> (Store, LoadReport, Option<IndexSave>) {
    // Only files on disk, all found: what a later run can check again cheaply.
    let entries = if problems.is_empty() {
        entries_of(&inputs)
    } else {
        None
    };
    let Some(entries) = entries else {
        let (store, report) = Store::load_found(inputs, problems, options, progress);
        return (store, report, None);
    };
    let file = dir.join(format!("{}.idx", key(paths, options)));
    let mut note = None;
    // Only a regular file: a FIFO planted at the name must not hang the load.
    let opened = crate::files::open_regular(&file, u64::MAX).map(|(f, len)| (len, f));
    if let Ok((size, opened)) = opened {
        let reader = std::io::BufReader::with_capacity(1 << 20, opened);
        match saved::decode(reader, size) {
            Ok((mut store, mut report, saved)) if saved == entries => {
                super::enrich(&mut store, &mut report, options);
                progress
                    .inputs_total
                    .store(entries.len(), Ordering::Relaxed);
                progress.inputs_done.store(entries.len(), Ordering::Relaxed);
                // Used: the eviction keeps what is opened.
                let _ = fs::File::options()
                    .append(true)
                    .open(&file)
                    .and_then(|f| f.set_modified(std::time::SystemTime::now()));
                return (store, report, None);
            }
            Ok((store, report, saved)) => {
                // Files changed, came or went: only those are read.
                if let Some((store, report)) =
                    update(store, report, &saved, &inputs, &entries, options, progress)
                {
                    let save = to_save(dir, file, &store, &report, entries);
                    return (store, report, save);
                }
            }
            Err(e) => {
                note = Some(format!(
                    "the saved index {} was {e}: rebuilt",
                    file.display()
                ));
            }
        }
    }
    let (store, mut report) = Store::load_found(inputs, problems, options, progress);
    report.index_note = note;
    let save = to_save(dir, file, &store, &report, entries);
    (store, report, save)
}

/// What to write when the load can be saved.
fn to_save(
    dir: &Path,
    file: PathBuf,
    store: &Store,
    report: &LoadReport,
    entries: Vec<Entry>,
) -> Option<IndexSave> {
    savable(store, report, &entries).then(|| IndexSave {
        dir: dir.to_path_buf(),
        file,
        entries,
        report: kept(report),
        keep: false,
    })
}

/// The part of a report that the index keeps: the inputs' problems as text.
fn kept(report: &LoadReport) -> LoadReport {
    LoadReport {
        inputs: report
            .inputs
            .iter()
            .map(|input| InputReport {
                name: input.name.clone(),
                shapes: input.shapes.clone(),
                events: input.events,
                digests: input.digests,
                duplicates: input.duplicates,
                conflicts: input.conflicts,
                ignored: input.ignored,
                times_from: input.times_from.clone(),
                problems: input
                    .problems
                    .iter()
                    .map(|p| crate::error::Error::Saved(p.to_string()))
                    .collect(),
            })
            .collect(),
        duplicates: report.duplicates,
        digests: report.digests,
        ..LoadReport::default()
    }
}

/// The saved index brought up to date with the inputs: the rows of unchanged files kept,
/// the files new or changed read, the rows of changed and removed files dropped. `None`
/// when copies were collapsed (or kept as conflicts) and a file changed or went: a copy
/// dropped then may be the one to show now, so the trail loads again.
fn update(
    saved: Store,
    saved_report: LoadReport,
    saved_entries: &[Entry],
    inputs: &[source::Input],
    entries: &[Entry],
    options: &LoadOptions,
    progress: &Progress,
) -> Option<(Store, LoadReport)> {
    if saved_report.inputs.len() != saved_entries.len() || saved.blobs.len() != saved_entries.len()
    {
        return None;
    }
    let by_path: HashMap<&Path, usize> = saved_entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.path.as_path(), i))
        .collect();
    // Per input now: its place in the saved index when it is unchanged.
    let kept: Vec<Option<usize>> = entries
        .iter()
        .map(|e| {
            by_path
                .get(e.path.as_path())
                .copied()
                .filter(|&j| saved_entries[j] == *e)
        })
        .collect();
    let mut now_of_saved: Vec<Option<u32>> = vec![None; saved_entries.len()];
    for (i, j) in kept.iter().enumerate() {
        if let Some(j) = j {
            now_of_saved[*j] = Some(i as u32);
        }
    }
    let lost = now_of_saved.iter().any(Option::is_none);
    if lost && (saved_report.duplicates > 0 || !saved.conflicts.is_empty()) {
        return None;
    }
    let mut rows: Vec<u32> = (0..saved.len() as u32)
        .filter(|&r| now_of_saved[saved.cols.raw[r as usize].blob as usize].is_some())
        .collect();
    let Store {
        mut cols,
        mut blobs,
        grams: saved_grams,
        ..
    } = saved;
    let mut saved_grams = saved_grams.into_inner().unwrap_or_default();
    // The summaries of the files kept; those read now are made when the index is saved.
    let mut grams: Vec<Option<crate::store::grams::Grams>> = vec![None; entries.len()];
    // The rows of changed and removed files stay until the finish's permutation leaves
    // them out (one copy of the columns, not two); they point at no input meanwhile.
    for raw in &mut cols.raw {
        raw.blob = now_of_saved[raw.blob as usize].unwrap_or(0);
    }
    let parsed = Parsed::of(inputs, &|i| kept[i].is_none(), options, progress);
    let mut saved_reports: Vec<Option<InputReport>> =
        saved_report.inputs.into_iter().map(Some).collect();
    let (mut all_blobs, mut reports) = (parsed.blobs, parsed.reports);
    for (i, j) in kept.iter().enumerate() {
        if let Some(j) = *j {
            all_blobs[i] = blobs[j].take();
            grams[i] = saved_grams.get_mut(j).and_then(Option::take);
            reports[i] = saved_reports[j].take().map(|mut r| {
                // Counted again as the copies meet again.
                r.conflicts = 0;
                r
            });
        }
    }
    let first_new = cols.len() as u32;
    cols.append(parsed.cols);
    rows.extend(first_new..cols.len() as u32);
    let merged = Parsed {
        cols,
        blobs: all_blobs,
        reports,
        rows: Some(rows),
    };
    let (mut store, report) = merged.finish(options, saved_report.duplicates);
    store.grams = grams.into();
    Some((store, report))
}

/// Every input as an entry (path, size, modification time), or `None` when one is not a
/// file on disk (stdin, an archive member) or cannot be looked at.
fn entries_of(inputs: &[source::Input]) -> Option<Vec<Entry>> {
    inputs
        .iter()
        .map(|input| match &input.origin {
            Origin::File(path) => {
                // One `stat`, not an open, a `stat` and a close.
                let meta = source::metadata(path).ok()?;
                use std::os::unix::fs::MetadataExt;
                Some(Entry {
                    name: input.name.clone(),
                    path: path.clone(),
                    size: meta.len(),
                    modified: meta.modified().ok()?,
                    changed: (meta.ctime(), meta.ctime_nsec()),
                    inode: meta.ino(),
                })
            }
            _ => None,
        })
        .collect()
}

/// Whether the load can be saved: no problem that may not hold next time (a file that could
/// not be read; what a file holds is said again from the index), every event in a file
/// read from disk, and no file changed while it was read.
fn savable(store: &Store, report: &LoadReport, entries: &[Entry]) -> bool {
    report.discovery_problems.is_empty()
        && !report
            .problems()
            .any(|p| matches!(p, crate::error::Error::Io { .. }))
        && store.blobs.len() == entries.len()
        && store
            .blobs
            .iter()
            .zip(entries)
            .all(|(blob, entry)| match blob {
                None => true,
                Some(Blob::File { stamp, .. }) => {
                    stamp.size == entry.size && stamp.modified == Some(entry.modified)
                }
                Some(_) => false,
            })
}

/// Writes the index through a temporary file renamed over the old one (a reader never
/// sees half a file; one cut short by a crash fails its checksum), then trims the folder to
/// [`MAX_BYTES`]. Once `stop` is set, the write fails and its temporary file goes.
fn save(
    dir: &Path,
    file: &Path,
    store: &Store,
    report: &LoadReport,
    entries: &[Entry],
    keep: bool,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    crate::files::create_private_dir(dir)?;
    // A temporary name of this process's own: two runs saving the same trail never share
    // one.
    crate::files::write_whole(
        file,
        |file| std::io::BufWriter::with_capacity(1 << 20, Stoppable { file, stop }),
        |out| saved::write(out, store, report, entries, keep),
    )?;
    trim(dir, MAX_BYTES);
    Ok(())
}

/// A file being written that fails once `stop` is set.
struct Stoppable<'a> {
    file: fs::File,
    stop: &'a AtomicBool,
}

impl Write for Stoppable<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("stopped: the program ended"));
        }
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Whether `name` is one trailscope gives the files of the index folder, and whether it is
/// a temporary one ([`crate::files::index_name`]).
fn ours(name: &std::ffi::OsStr) -> Option<bool> {
    crate::files::index_name(name.to_str()?)
}

/// The hex digits of an index's name.
const KEY_LEN: usize = crate::files::INDEX_KEY_LEN;

/// The saved indexes in `dir`: path, size, last used; newest first.
pub fn list(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut found: Vec<(PathBuf, u64, std::time::SystemTime)> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| ours(&e.file_name()) == Some(false))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.path(), meta.len(), meta.modified().ok()?))
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.2));
    found
}

/// Removes the indexes of trails that are gone, then the oldest until `dir` holds at most
/// `max` bytes of them, but never the newest (the one just written: a trail whose index
/// alone is larger than `max`, 30M events, keeps it); and what a write cut short by a crash
/// or a kill left (a temporary file an hour old: a write takes seconds).
pub fn trim(dir: &Path, max: u64) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < hour_ago);
        let temporary =
            ours(&entry.file_name()) == Some(true) && entry.file_type().is_ok_and(|t| t.is_file());
        if stale && temporary {
            let _ = fs::remove_file(path);
        }
    }
    let mut total = 0;
    for (newest, (path, size, _)) in list(dir).into_iter().enumerate().map(|(i, f)| (i == 0, f)) {
        // A trail saved by a relative path cannot be judged from another folder: kept.
        let gone = inputs_of(&path)
            .map(|entries| {
                entries
                    .first()
                    .is_some_and(|e| e.path.is_absolute() && !e.path.exists())
            })
            .unwrap_or(true);
        total += size;
        if gone || (total > max && !newest) {
            let _ = fs::remove_file(path);
            total -= size;
        }
    }
}

/// The inputs a saved index was made from (for `trailscope cache`).
pub fn inputs_of(file: &Path) -> Result<Vec<Entry>, String> {
    let (opened, size) = crate::files::open_regular(file, u64::MAX).map_err(|e| e.to_string())?;
    saved::entries(std::io::BufReader::new(opened), size).map_err(|e| e.to_string())
}

/// The index file's name for these paths and options: a hash of the canonical paths, the
/// options that change what is indexed, and the format version.
fn key(paths: &[PathBuf], options: &LoadOptions) -> String {
    let text = format!(
        "{}\n{}\n{}\n{}",
        crate::case::canonical_paths(paths),
        options.max_file_size,
        options.dedup,
        saved::VERSION
    );
    crate::case::sha256_hex(&text)[..KEY_LEN].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write stopped (the program ending) leaves neither an index nor its temporary
    /// file; the same write not stopped leaves the index alone.
    #[test]
    fn a_stopped_write_leaves_nothing_behind() {
        let options = LoadOptions::default();
        let (store, report) = Store::load(&crate::demo::inputs(), &options, &Progress::default());
        assert!(
            store.len() > 20_000,
            "the demo is large enough to fill a buffer"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("demo.idx");
        let names = |dir: &Path| -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(dir)
                .expect("read_dir")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let stopped = save(
            dir.path(),
            &file,
            &store,
            &report,
            &[],
            false,
            &AtomicBool::new(true),
        );
        let error = stopped.expect_err("a stopped write fails");
        assert_eq!(error.to_string(), "stopped: the program ended");
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
        save(
            dir.path(),
            &file,
            &store,
            &report,
            &[],
            false,
            &AtomicBool::new(false),
        )
        .expect("save");
        assert_eq!(names(dir.path()), ["demo.idx"]);
    }
}
