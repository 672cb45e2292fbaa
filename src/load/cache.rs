//! The saved index: after a load, the index is written under the cache folder
//! (`$XDG_CACHE_HOME/trailscope/`, or `--index-dir`); a later run on the same inputs — the
//! same files with the same sizes and modification times — opens it instead of parsing.
//! A changed, added or removed file makes the trail load again (and the index be written
//! anew). A damaged, truncated or foreign index file is said once and rebuilt, never
//! trusted. The folder is bounded: past [`MAX_BYTES`], the oldest indexes go.

use std::fs;
use std::path::{Path, PathBuf};

use super::{LoadOptions, LoadReport, Progress};
use crate::source::{self, Origin};
use crate::store::saved::{self, Entry};
use crate::store::{Blob, Store};

/// How much the cache folder may hold before the oldest indexes are removed.
pub const MAX_BYTES: u64 = 4 << 30;

/// The default cache folder: `$XDG_CACHE_HOME/trailscope`, else `~/.cache/trailscope`.
pub fn default_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|base| base.join("trailscope"))
}

/// Loads `paths` through the saved index in `dir`: opened when it matches the inputs,
/// else the inputs are read and the index written for next time.
pub(super) fn load(
    dir: &Path,
    paths: &[PathBuf],
    options: &LoadOptions,
    progress: &Progress,
) -> (Store, LoadReport) {
    let (inputs, problems) = source::discover(paths);
    // Only files on disk, all found: what a later run can check again cheaply.
    let entries = if problems.is_empty() {
        entries_of(&inputs)
    } else {
        None
    };
    let Some(entries) = entries else {
        return Store::load_found(inputs, problems, options, progress);
    };
    let file = dir.join(format!("{}.idx", key(paths, options)));
    let mut note = None;
    let opened = fs::File::open(&file).and_then(|f| Ok((f.metadata()?.len(), f)));
    if let Ok((size, opened)) = opened {
        let reader = std::io::BufReader::with_capacity(1 << 20, opened);
        match saved::decode(reader, size) {
            Ok((store, report, saved)) if saved == entries => {
                progress
                    .inputs_total
                    .store(entries.len(), std::sync::atomic::Ordering::Relaxed);
                progress
                    .inputs_done
                    .store(entries.len(), std::sync::atomic::Ordering::Relaxed);
                // Used: the eviction keeps what is opened.
                let _ = fs::File::options()
                    .append(true)
                    .open(&file)
                    .and_then(|f| f.set_modified(std::time::SystemTime::now()));
                return (store, report);
            }
            Ok(_) => {}
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
    if savable(&store, &report, &entries) {
        if let Err(e) = save(dir, &file, &store, &report, &entries) {
            report.index_note = Some(format!("the index was not saved in {}: {e}", dir.display()));
        }
    }
    (store, report)
}

/// Every input as an entry (path, size, modification time), or `None` when one is not a
/// file on disk (stdin, an archive member) or cannot be looked at.
fn entries_of(inputs: &[source::Input]) -> Option<Vec<Entry>> {
    inputs
        .iter()
        .map(|input| match &input.origin {
            Origin::File(path) => {
                let meta = source::open_file(path).ok()?.metadata().ok()?;
                Some(Entry {
                    name: input.name.clone(),
                    path: path.clone(),
                    size: meta.len(),
                    modified: meta.modified().ok()?,
                })
            }
            _ => None,
        })
        .collect()
}

/// Whether the load can be saved: no problems to report again, every event in a file read
/// from disk, and no file changed while it was read.
fn savable(store: &Store, report: &LoadReport, entries: &[Entry]) -> bool {
    report.problems().next().is_none()
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
/// [`MAX_BYTES`].
fn save(
    dir: &Path,
    file: &Path,
    store: &Store,
    report: &LoadReport,
    entries: &[Entry],
) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let temp = file.with_extension("idx.tmp");
    let out = std::io::BufWriter::with_capacity(1 << 20, fs::File::create(&temp)?);
    if let Err(e) = saved::write(out, store, report, entries) {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    fs::rename(&temp, file)?;
    trim(dir, MAX_BYTES);
    Ok(())
}

/// The saved indexes in `dir`: path, size, last used; newest first.
pub fn list(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut found: Vec<(PathBuf, u64, std::time::SystemTime)> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "idx"))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.path(), meta.len(), meta.modified().ok()?))
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.2));
    found
}

/// Removes the indexes of trails that are gone, then the oldest until `dir` holds at most
/// `max` bytes of them.
pub fn trim(dir: &Path, max: u64) {
    let mut total = 0;
    for (path, size, _) in list(dir) {
        let gone = inputs_of(&path)
            .map(|entries| entries.first().is_some_and(|e| !e.path.exists()))
            .unwrap_or(true);
        total += size;
        if gone || total > max {
            let _ = fs::remove_file(path);
            total -= size;
        }
    }
}

/// The inputs a saved index was made from (for `trailscope cache`).
pub fn inputs_of(file: &Path) -> Result<Vec<Entry>, String> {
    let opened = fs::File::open(file).map_err(|e| e.to_string())?;
    let size = opened.metadata().map_err(|e| e.to_string())?.len();
    saved::entries(std::io::BufReader::new(opened), size).map_err(|e| e.to_string())
}

/// The index file's name for these paths and options: a hash of the canonical paths, the
/// options that change what is indexed, and the format version.
fn key(paths: &[PathBuf], options: &LoadOptions) -> String {
    let mut names: Vec<String> = paths
        .iter()
        .map(|p| {
            fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    let text = format!(
        "{}\n{}\n{}\n{}",
        names.join("\n"),
        options.max_file_size,
        options.dedup,
        saved::VERSION
    );
    crate::case::sha256_hex(&text)[..24].to_string()
}
