//! The index as one file: what a later run on the same inputs opens instead of parsing.
//!
//! Layout: the magic line `trailscope-index\n`, the format version (u32), the payload,
//! then the payload's length (u64) and its CRC-32 (u32); integers little-endian. It is
//! written as it is made (no second copy of the index in memory), and a write cut short
//! shows as a length or checksum that does not agree.
//! The payload holds the inputs as they were (path, size, modification time), the load's
//! report, the columns (ids in 1, 2 or 4 bytes as their values allow; a column that holds
//! no value, empty), the rows kept beside a differing copy, and each input's summary for the
//! phrase search (made as the index is written: the load does not wait for it). Nothing in
//! it is trusted before the magic, the version, the length and the checksum agree; every
//! length read is checked against what is left, so a damaged or foreign file is an error,
//! never a panic or a huge allocation.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{Blob, Columns, RawRef, Stamp, Store};
use crate::report::{InputReport, LoadReport};
use crate::source::shape::Shape;

mod wire;
use wire::{Reader, Writer};

const MAGIC: &[u8] = b"trailscope-index\n";
/// Bumped whenever the payload changes shape.
pub const VERSION: u32 = 9;

/// One input as it was when the index was made. Size and mtime can be put back by anyone
/// who rewrites a file (`touch -d`); its inode change time and inode cannot: any write, and
/// setting the mtime itself, moves the change time to now. The index is trusted for a file
/// only while all four hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub path: PathBuf,
    pub size: u64,
    pub modified: SystemTime,
    /// Inode change time, seconds and nanoseconds since the epoch.
    pub changed: (i64, i64),
    pub inode: u64,
}

/// Why a saved index cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SavedError {
    #[error("not a trailscope index")]
    Foreign,
    #[error("made by another version of trailscope (format {0}, this one reads {VERSION})")]
    Version(u32),
    #[error("truncated")]
    Truncated,
    #[error("damaged (checksum mismatch)")]
    Checksum,
    #[error("damaged ({0})")]
    Malformed(&'static str),
}

/// Writes the index file for `store`, loaded from `entries`, to `out`; with `keep`, the
/// store keeps the phrase summaries made for it.
pub fn write(
    out: impl Write,
    store: &Store,
    report: &LoadReport,
    entries: &[Entry],
    keep: bool,
) -> std::io::Result<()> {
    let mut head = MAGIC.to_vec();
    head.extend_from_slice(&VERSION.to_le_bytes());
    let mut w = Writer {
        out,
        crc: crc32fast::Hasher::new(),
        len: 0,
        error: None,
    };
    w.raw(&head);
    // The header is not part of the payload.
    w.crc = crc32fast::Hasher::new();
    w.len = 0;
    w.entries(entries);
    w.blobs(store);
    w.report(report);
    let cols = &store.cols;
    w.u64(cols.strings.len() as u64);
    for interner in &cols.strings {
        w.interner(interner);
    }
    w.u64(cols.ids.len() as u64);
    for (ids, strings) in cols.ids.iter().zip(&cols.strings) {
        // A column of no value (only the absent id 0) is saved empty and made again of
        // zeroed memory when read.
        w.ids(if strings.len() <= 1 { &[] } else { ids }, strings.len());
    }
    w.items(&cols.time, |t, out| out.extend_from_slice(&t.to_le_bytes()));
    w.bytes(&cols.read_only);
    w.bytes(&cols.credential);
    w.id_column(&cols.event_id);
    w.id_column(&cols.request_id);
    w.u32s(&cols.resource_ends);
    w.u32s(&cols.resource_arns);
    w.interner(&cols.resources);
    w.items(&cols.raw, |raw, out| {
        out.extend_from_slice(&raw.blob.to_le_bytes());
        out.extend_from_slice(&raw.offset.to_le_bytes());
        out.extend_from_slice(&raw.len.to_le_bytes());
        out.push(u8::from(raw.escaped));
    });
    w.u32s(&store.conflicts);
    if let Some(e) = w.error {
        // Not worth building what is left (the write was stopped, or the disk is full).
        return Err(e);
    }
    w.u64(store.rows_by_blob().len() as u64);
    for rows in store.rows_by_blob() {
        w.u32s(rows);
    }
    w.u64(store.max_file_size);
    w.grams(store, keep);
    let (len, crc) = (w.len, w.crc.clone().finalize());
    w.raw(&len.to_le_bytes());
    w.raw(&crc.to_le_bytes());
    match w.error {
        Some(e) => Err(e),
        None => w.out.flush(),
    }
}

/// The inputs an index file of `size` bytes was made from, read without the rest and
/// without its checksum (to list it; [`decode`] checks everything).
pub fn entries(file: impl Read, size: u64) -> Result<Vec<Entry>, SavedError> {
    let mut r = Reader::open(file, size)?;
    read_entries(&mut r)
}

/// Each input's blob as saved: none, or a file read again when needed (its stamp).
fn read_blobs<R: Read>(
    r: &mut Reader<R>,
    entries: &[Entry],
) -> Result<Vec<Option<Blob>>, SavedError> {
    let mut blobs = Vec::with_capacity(entries.len());
    for e in entries {
        blobs.push(match r.u8()? {
            0 => None,
            1 => {
                let tail: [u8; 8] = r.array()?;
                let gzip = r.u8()? == 1;
                Some(Blob::File {
                    path: e.path.clone(),
                    name: e.name.clone(),
                    stamp: Stamp {
                        size: e.size,
                        modified: Some(e.modified),
                        tail,
                    },
                    gzip,
                })
            }
            _ => return Err(SavedError::Malformed("blob kind")),
        });
    }
    Ok(blobs)
}

/// What the load found for each of the `n` inputs, its problems as they were said.
fn read_inputs<R: Read>(r: &mut Reader<R>, n: usize) -> Result<Vec<InputReport>, SavedError> {
    let mut inputs = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.string()?;
        let shapes = (0..r.count(1)?)
            .map(|_| {
                let i = r.u8()? as usize;
                SHAPES.get(i).copied().ok_or(SavedError::Malformed("shape"))
            })
            .collect::<Result<Vec<Shape>, SavedError>>()?;
        let [events, digests, dups, conflicts] = [r.len()?, r.len()?, r.len()?, r.len()?];
        let ignored = r.u8()? == 1;
        let mut times_from = Vec::new();
        for _ in 0..r.count(9)? {
            let field = r.string()?;
            let count = r.len()?;
            let field = crate::event::TIME_FIELDS
                .iter()
                .find(|f| **f == field)
                .ok_or(SavedError::Malformed("time field"))?;
            times_from.push((*field, count));
        }
        let mut problems = Vec::new();
        for _ in 0..r.count(8)? {
            problems.push(crate::error::Error::Saved(r.string()?));
        }
        inputs.push(InputReport {
            name,
            shapes,
            events,
            digests,
            duplicates: dups,
            conflicts,
            ignored,
            times_from,
            problems,
        });
    }
    Ok(inputs)
}

/// The columns as saved, and how many rows they say they have (checked against each
/// other by the caller); a row pointing outside the `n_blobs` inputs is refused.
fn read_columns<R: Read>(
    r: &mut Reader<R>,
    n_blobs: usize,
) -> Result<(Columns, usize), SavedError> {
    let mut cols = Columns::new();
    let strings = r.count(8)?;
    if strings != cols.strings.len() {
        return Err(SavedError::Malformed("column count"));
    }
    for interner in cols.strings.iter_mut() {
        *interner = r.interner()?;
    }
    let id_cols = r.count(8)?;
    if id_cols != cols.ids.len() {
        return Err(SavedError::Malformed("column count"));
    }
    for ids in cols.ids.iter_mut() {
        *ids = r.ids()?;
    }
    let rows = r.count(8)?;
    cols.time = Vec::with_capacity(rows);
    for _ in 0..rows {
        cols.time.push(i64::from_le_bytes(r.array()?));
    }
    cols.read_only = r.vec()?;
    cols.credential = r.vec()?;
    cols.event_id = r.id_column()?;
    cols.request_id = r.id_column()?;
    cols.resource_ends = r.u32s()?;
    cols.resource_arns = r.u32s()?;
    cols.resources = r.interner()?;
    let raws = r.count(13)?;
    cols.raw = Vec::with_capacity(raws);
    for _ in 0..raws {
        let b: [u8; 13] = r.array()?;
        let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let (blob, offset, len, escaped) = (word(0), word(4), word(8), b[12] == 1);
        if blob as usize >= n_blobs {
            return Err(SavedError::Malformed("row outside the inputs"));
        }
        cols.raw.push(RawRef {
            blob,
            offset,
            len,
            escaped,
        });
    }
    Ok((cols, rows))
}

/// The store and report saved in `file` (`size` bytes), read as it streams in; the blobs
/// point at the entries' files. Its checksum is checked at the end, before anything read
/// is returned.
pub fn decode(file: impl Read, size: u64) -> Result<(Store, LoadReport, Vec<Entry>), SavedError> {
    let mut r = Reader::open(file, size)?;
    let entries = read_entries(&mut r)?;
    // An index is about as large as its inputs as stored (0.2 of their JSON, a little over
    // their gzip): one far larger is not one this program wrote for them (a sparse file of
    // gigabytes would be read, and held, whole).
    let inputs: u64 = entries.iter().map(|e| e.size).fold(0, u64::saturating_add);
    if size > inputs.saturating_mul(4).saturating_add(64 << 20) {
        return Err(SavedError::Malformed(
            "larger than its inputs could make it",
        ));
    }
    let blobs = read_blobs(&mut r, &entries)?;
    let duplicates = r.len()?;
    let inputs = read_inputs(&mut r, entries.len())?;
    let (mut cols, rows) = read_columns(&mut r, blobs.len())?;
    for ids in &mut cols.ids {
        if ids.is_empty() {
            *ids = vec![0; rows];
        }
    }
    let conflicts = r.u32s()?;
    let n_blobs = r.count(8)?;
    if n_blobs != blobs.len() {
        return Err(SavedError::Malformed("inputs disagree"));
    }
    let mut rows_by_blob = Vec::with_capacity(n_blobs);
    for _ in 0..n_blobs {
        rows_by_blob.push(r.u32s()?);
    }
    let max_file_size = r.u64()?;
    if r.count(8)? != n_blobs {
        return Err(SavedError::Malformed("inputs disagree"));
    }
    let grams = (0..n_blobs)
        .map(|_| r.grams())
        .collect::<Result<Vec<_>, _>>()?;
    // Every column the same length, every id inside its strings: else not trusted.
    let whole = cols.read_only.len() == rows
        && cols.credential.len() == rows
        && cols.raw.len() == rows
        && [&cols.event_id, &cols.request_id]
            .iter()
            .all(|c| c.uuids.len() == rows && c.text.ends.len() == rows)
        && cols.resource_ends.len() == rows
        && cols.ids.iter().zip(&cols.strings).all(|(ids, strings)| {
            ids.len() == rows && ids.iter().all(|&id| (id as usize) < strings.len())
        })
        && cols
            .resource_arns
            .iter()
            .all(|&id| (id as usize) < cols.resources.len())
        && conflicts.iter().all(|&row| (row as usize) < rows)
        && rows_by_blob
            .iter()
            .flatten()
            .all(|&row| (row as usize) < rows)
        && rows_by_blob.iter().map(Vec::len).sum::<usize>() == rows
        && r.rest() == 0;
    r.finish()?;
    if !whole {
        return Err(SavedError::Malformed("columns disagree"));
    }
    let report = LoadReport {
        digests: inputs.iter().map(|i| i.digests).sum(),
        inputs,
        discovery_problems: Vec::new(),
        duplicates,
        index_note: None,
        lookup_problems: Vec::new(),
    };
    let mut store = Store::empty();
    store.cols = cols;
    store.blobs = blobs;
    store.rows_by_blob = rows_by_blob.into();
    store.conflicts = conflicts;
    store.max_file_size = max_file_size;
    store.grams = grams.into();
    Ok((store, report, entries))
}

/// The number a shape is written as: a new shape must be given one here (the match is
/// exhaustive), never saved as another.
pub(super) fn shape_number(shape: Shape) -> u8 {
    match shape {
        Shape::Records => 0,
        Shape::Array => 1,
        Shape::Event => 2,
        Shape::Lines => 3,
        Shape::LookupEvents => 4,
        Shape::EventBridge => 5,
        Shape::Wrapped => 6,
        Shape::Digest => 7,
        Shape::AthenaExport => 8,
        Shape::LakeResults => 9,
    }
}

/// Every shape, in the order of their numbers ([`shape_number`]).
const SHAPES: [Shape; 10] = [
    Shape::Records,
    Shape::Array,
    Shape::Event,
    Shape::Lines,
    Shape::LookupEvents,
    Shape::EventBridge,
    Shape::Wrapped,
    Shape::Digest,
    Shape::AthenaExport,
    Shape::LakeResults,
];

fn read_entries(r: &mut Reader<impl Read>) -> Result<Vec<Entry>, SavedError> {
    let n = r.count(28)?;
    let mut entries = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.string()?;
        let path = r.vec()?;
        #[cfg(unix)]
        let path = {
            use std::os::unix::ffi::OsStringExt;
            PathBuf::from(std::ffi::OsString::from_vec(path))
        };
        #[cfg(not(unix))]
        let path = PathBuf::from(String::from_utf8_lossy(&path).into_owned());
        let size = r.u64()?;
        let secs = r.u64()?;
        let nanos = r.u32()?;
        let modified = UNIX_EPOCH
            .checked_add(Duration::new(secs, nanos.min(999_999_999)))
            .ok_or(SavedError::Malformed("time"))?;
        let changed = (r.u64()? as i64, r.u64()? as i64);
        let inode = r.u64()?;
        entries.push(Entry {
            name,
            path,
            size,
            modified,
            changed,
            inode,
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_reads_back_as_itself() {
        for (i, shape) in SHAPES.iter().enumerate() {
            assert_eq!(shape_number(*shape) as usize, i, "{shape:?}");
        }
    }
}
