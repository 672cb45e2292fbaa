//! Telling a copy of an event from a different event that shares its ids: the duplicate
//! collapse asks [`Contents::fingerprint`] of the candidates [`super::order`] finds.

use super::order::Ordered;
use crate::store::{slice_event, Blob, Columns};

/// The rows (in time order) flagged as conflicting copies.
pub(super) fn conflict_rows(ordered: &Ordered) -> Vec<u32> {
    let flagged: rustc_hash::FxHashSet<u32> = ordered.conflicts.iter().copied().collect();
    ordered
        .kept
        .iter()
        .enumerate()
        .filter(|(_, row)| flagged.contains(row))
        .map(|(index, _)| index as u32)
        .collect()
}

/// Reads events back from the inputs while loading, to tell a copy of an event from a
/// different event that shares its ids: the JSON values are compared, so whitespace and
/// key order do not matter. Inflated inputs are kept for the next comparisons (copies come
/// in runs of the same two files).
pub(super) struct Contents<'b> {
    blobs: &'b [Option<Blob>],
    limit: u64,
    texts: Vec<(u32, Vec<u8>)>,
}

impl<'b> Contents<'b> {
    pub(super) fn new(blobs: &'b [Option<Blob>], limit: u64) -> Contents<'b> {
        Contents {
            blobs,
            limit,
            texts: Vec::new(),
        }
    }

    fn value(&mut self, cols: &Columns, row: u32) -> Option<serde_json::Value> {
        let raw = *cols.raw.get(row as usize)?;
        if !self.texts.iter().any(|(b, _)| *b == raw.blob) {
            let text = self
                .blobs
                .get(raw.blob as usize)?
                .as_ref()?
                .text(self.limit)
                .ok()?;
            if self.texts.len() >= 4 {
                self.texts.remove(0);
            }
            self.texts.push((raw.blob, text));
        }
        let (_, text) = self.texts.iter().find(|(b, _)| *b == raw.blob)?;
        serde_json::from_str(&slice_event(text, raw)).ok()
    }

    /// The fingerprint of row `row`'s event JSON: the SHA-256 of its value written with
    /// sorted keys and no whitespace (two copies have the same one exactly when their JSON
    /// values are equal); `None` when it cannot be read.
    pub(super) fn fingerprint(&mut self, cols: &Columns, row: u32) -> Option<[u8; 32]> {
        use sha2::Digest as _;
        let value = self.value(cols, row)?;
        Some(sha2::Sha256::digest(value.to_string().as_bytes()).into())
    }
}
