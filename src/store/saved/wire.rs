//! The payload's encoding: [`Writer`] streams it out counting its length and CRC-32;
//! [`Reader`] reads it back never past its end, every length checked against what is left.

use std::io::{Read, Write};
use std::time::UNIX_EPOCH;

use super::{Entry, SavedError, MAGIC, VERSION};
use crate::report::LoadReport;
use crate::store::grams::Grams;
use crate::store::{Blob, IdColumn, Interner, Store, StrColumn};

/// Writes the payload through, counting its bytes and their CRC-32; the first error is
/// kept and the rest skipped.
pub(super) struct Writer<W: Write> {
    pub(super) out: W,
    pub(super) crc: crc32fast::Hasher,
    pub(super) len: u64,
    pub(super) error: Option<std::io::Error>,
}

impl<W: Write> Writer<W> {
    pub(super) fn raw(&mut self, b: &[u8]) {
        if self.error.is_some() {
            return;
        }
        match self.out.write_all(b) {
            Ok(()) => {
                self.crc.update(b);
                self.len += b.len() as u64;
            }
            Err(e) => self.error = Some(e),
        }
    }
    pub(super) fn u8(&mut self, v: u8) {
        self.raw(&[v]);
    }
    pub(super) fn u32(&mut self, v: u32) {
        self.raw(&v.to_le_bytes());
    }
    pub(super) fn u64(&mut self, v: u64) {
        self.raw(&v.to_le_bytes());
    }
    pub(super) fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.raw(b);
    }
    pub(super) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    /// The count of `items`, then each encoded by `encode`, 4,096 at a time through one
    /// buffer; nothing more is encoded once a write failed.
    pub(super) fn items<T>(&mut self, items: &[T], encode: impl Fn(&T, &mut Vec<u8>)) {
        self.u64(items.len() as u64);
        let mut buf = Vec::new();
        for chunk in items.chunks(4096) {
            if self.error.is_some() {
                return;
            }
            buf.clear();
            for item in chunk {
                encode(item, &mut buf);
            }
            self.raw(&buf);
        }
    }
    pub(super) fn u32s(&mut self, v: &[u32]) {
        self.items(v, |x, out| out.extend_from_slice(&x.to_le_bytes()));
    }
    /// A column's ids in the fewest bytes its `values` (the ids there are) allow: the width
    /// (1, 2 or 4), then the ids.
    pub(super) fn ids(&mut self, ids: &[u32], values: usize) {
        let width: u8 = match values {
            0..=0x100 => 1,
            0x101..=0x1_0000 => 2,
            _ => 4,
        };
        self.u8(width);
        let width = usize::from(width);
        self.items(ids, |&id, out| {
            out.extend_from_slice(&id.to_le_bytes()[..width]);
        });
    }
    pub(super) fn interner(&mut self, i: &Interner) {
        self.str(&i.bytes);
        self.u32s(&i.ends);
    }
    /// The inputs the index was made from, as they were.
    pub(super) fn entries(&mut self, entries: &[Entry]) {
        self.u64(entries.len() as u64);
        for e in entries {
            self.str(&e.name);
            self.bytes(e.path.as_os_str().as_encoded_bytes());
            self.u64(e.size);
            let since = e.modified.duration_since(UNIX_EPOCH).unwrap_or_default();
            self.u64(since.as_secs());
            self.u32(since.subsec_nanos());
            self.u64(e.changed.0 as u64);
            self.u64(e.changed.1 as u64);
            self.u64(e.inode);
        }
    }

    /// Each input's blob: 0 none, 1 a file re-read when needed (its stamp).
    pub(super) fn blobs(&mut self, store: &Store) {
        for blob in &store.blobs {
            match blob {
                Some(Blob::File { stamp, gzip, .. }) => {
                    self.u8(1);
                    self.raw(&stamp.tail);
                    self.u8(u8::from(*gzip));
                }
                _ => self.u8(0),
            }
        }
    }

    /// Each input's summary for the phrase search (its words; none: no summary), made
    /// 256 inputs at a time where the index has none.
    /// With `keep`, once all are written, the store keeps them where it had none, so that
    /// the phrase search of the session that wrote the index skips files too.
    pub(super) fn grams(&mut self, store: &Store, keep: bool) {
        let n = store.blobs.len();
        self.u64(n as u64);
        let mut all = Vec::with_capacity(n);
        for start in (0..n).step_by(256) {
            if self.error.is_some() {
                return;
            }
            for grams in store.summaries(start..n.min(start + 256)) {
                let words = grams.as_ref().map_or(&[][..], |g| g.words());
                self.items(words, |w, out| out.extend_from_slice(&w.to_le_bytes()));
                if keep {
                    all.push(grams);
                }
            }
        }
        // Kept only when the store had none (a fresh load): an index brought up to date
        // keeps the summaries it read.
        if keep {
            let _ = store.grams.set(all);
        }
    }

    /// What the load found, per input, its problems as text.
    pub(super) fn report(&mut self, report: &LoadReport) {
        self.u64(report.duplicates as u64);
        for input in &report.inputs {
            self.str(&input.name);
            self.u64(input.shapes.len() as u64);
            for shape in &input.shapes {
                self.u8(super::shape_number(*shape));
            }
            for n in [
                input.events,
                input.digests,
                input.duplicates,
                input.conflicts,
            ] {
                self.u64(n as u64);
            }
            self.u8(u8::from(input.ignored));
            self.u64(input.times_from.len() as u64);
            for (field, count) in &input.times_from {
                self.str(field);
                self.u64(*count as u64);
            }
            // The input's problems, as said, to say again when the index is opened.
            self.u64(input.problems.len() as u64);
            for problem in &input.problems {
                self.str(&problem.to_string());
            }
        }
    }

    pub(super) fn id_column(&mut self, c: &IdColumn) {
        self.u64(c.uuids.len() as u64);
        for chunk in c.uuids.chunks(4096) {
            self.raw(chunk.as_flattened());
        }
        self.str(&c.text.bytes);
        self.u32s(&c.text.ends);
    }
}

/// Reads the payload as it streams in, never past its end, counting its CRC-32.
pub(super) struct Reader<R: Read> {
    inner: R,
    /// Payload bytes not read yet.
    remaining: u64,
    len: u64,
    crc: crc32fast::Hasher,
}

impl<R: Read> Reader<R> {
    /// Checks the magic line and the version; the payload is what lies between them and
    /// the 12-byte trailer.
    pub(super) fn open(mut inner: R, size: u64) -> Result<Reader<R>, SavedError> {
        let mut magic = vec![0u8; MAGIC.len()];
        if inner.read_exact(&mut magic).is_err() || magic != MAGIC {
            return Err(SavedError::Foreign);
        }
        let mut version = [0u8; 4];
        inner
            .read_exact(&mut version)
            .map_err(|_| SavedError::Foreign)?;
        let version = u32::from_le_bytes(version);
        if version != VERSION {
            return Err(SavedError::Version(version));
        }
        let len = size
            .checked_sub(MAGIC.len() as u64 + 4 + 12)
            .ok_or(SavedError::Truncated)?;
        Ok(Reader {
            inner,
            remaining: len,
            len,
            crc: crc32fast::Hasher::new(),
        })
    }
    /// The trailer: the payload's length and CRC-32 must be what was read.
    pub(super) fn finish(mut self) -> Result<(), SavedError> {
        let mut trailer = [0u8; 12];
        self.inner
            .read_exact(&mut trailer)
            .map_err(|_| SavedError::Truncated)?;
        let mut len = [0u8; 8];
        len.copy_from_slice(&trailer[..8]);
        if u64::from_le_bytes(len) != self.len {
            return Err(SavedError::Truncated);
        }
        let crc = u32::from_le_bytes([trailer[8], trailer[9], trailer[10], trailer[11]]);
        if self.crc.finalize() != crc {
            return Err(SavedError::Checksum);
        }
        Ok(())
    }
    pub(super) fn rest(&self) -> usize {
        usize::try_from(self.remaining).unwrap_or(usize::MAX)
    }
    pub(super) fn fill(&mut self, buf: &mut [u8]) -> Result<(), SavedError> {
        if buf.len() as u64 > self.remaining {
            return Err(SavedError::Truncated);
        }
        self.inner
            .read_exact(buf)
            .map_err(|_| SavedError::Truncated)?;
        self.crc.update(buf);
        self.remaining -= buf.len() as u64;
        Ok(())
    }
    pub(super) fn array<const N: usize>(&mut self) -> Result<[u8; N], SavedError> {
        let mut a = [0u8; N];
        self.fill(&mut a)?;
        Ok(a)
    }
    pub(super) fn u8(&mut self) -> Result<u8, SavedError> {
        Ok(self.array::<1>()?[0])
    }
    pub(super) fn u32(&mut self) -> Result<u32, SavedError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub(super) fn u64(&mut self) -> Result<u64, SavedError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub(super) fn len(&mut self) -> Result<usize, SavedError> {
        usize::try_from(self.u64()?).map_err(|_| SavedError::Malformed("length"))
    }
    /// A count of items each at least `size` bytes long, refused when there is not room
    /// for that many (no huge allocation from a damaged count).
    pub(super) fn count(&mut self, size: usize) -> Result<usize, SavedError> {
        let n = self.len()?;
        if n.saturating_mul(size) > self.rest() {
            return Err(SavedError::Truncated);
        }
        Ok(n)
    }
    pub(super) fn vec(&mut self) -> Result<Vec<u8>, SavedError> {
        let n = self.count(1)?;
        let mut v = Vec::new();
        v.try_reserve_exact(n)
            .map_err(|_| SavedError::Malformed("too large to hold"))?;
        v.resize(n, 0);
        self.fill(&mut v)?;
        Ok(v)
    }
    pub(super) fn string(&mut self) -> Result<String, SavedError> {
        String::from_utf8(self.vec()?).map_err(|_| SavedError::Malformed("text"))
    }
    pub(super) fn u32s(&mut self) -> Result<Vec<u32>, SavedError> {
        self.widened(4)
    }
    /// A column's ids as [`Writer::ids`] wrote them.
    pub(super) fn ids(&mut self) -> Result<Vec<u32>, SavedError> {
        let width = usize::from(self.u8()?);
        if !matches!(width, 1 | 2 | 4) {
            return Err(SavedError::Malformed("id width"));
        }
        self.widened(width)
    }
    /// A count, then that many little-endian integers of `width` bytes (1, 2 or 4).
    fn widened(&mut self, width: usize) -> Result<Vec<u32>, SavedError> {
        let n = self.count(width)?;
        let mut out = Vec::new();
        out.try_reserve_exact(n)
            .map_err(|_| SavedError::Malformed("too large to hold"))?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut left = n;
        while left > 0 {
            let take = left.min(buf.len() / width);
            let chunk = &mut buf[..take * width];
            self.fill(chunk)?;
            match width {
                1 => out.extend(chunk.iter().map(|&b| u32::from(b))),
                2 => out.extend(
                    chunk
                        .chunks_exact(2)
                        .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]]))),
                ),
                _ => out.extend(
                    chunk
                        .chunks_exact(4)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                ),
            }
            left -= take;
        }
        Ok(out)
    }
    /// An input's summary for the phrase search, `None` when it has none.
    pub(super) fn grams(&mut self) -> Result<Option<Grams>, SavedError> {
        let n = self.count(8)?;
        let mut bytes = Vec::new();
        bytes
            .try_reserve_exact(n * 8)
            .map_err(|_| SavedError::Malformed("too large to hold"))?;
        bytes.resize(n * 8, 0);
        self.fill(&mut bytes)?;
        let words = bytes
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            .collect();
        Ok(Grams::from_words(words))
    }
    /// `ends` ascending within `bytes`, each on a character boundary.
    pub(super) fn ends_of(bytes: &str, ends: &[u32]) -> bool {
        ends.windows(2).all(|w| w[0] <= w[1])
            && ends.last().is_none_or(|&e| e as usize <= bytes.len())
            && ends.iter().all(|&e| bytes.is_char_boundary(e as usize))
    }
    pub(super) fn interner(&mut self) -> Result<Interner, SavedError> {
        let bytes = self.string()?;
        let ends = self.u32s()?;
        if ends.first() != Some(&0) || !Self::ends_of(&bytes, &ends) {
            return Err(SavedError::Malformed("strings"));
        }
        Ok(Interner::from_parts(bytes, ends))
    }
    pub(super) fn id_column(&mut self) -> Result<IdColumn, SavedError> {
        let rows = self.count(16)?;
        let mut uuids = Vec::with_capacity(rows);
        for _ in 0..rows {
            uuids.push(self.array()?);
        }
        let bytes = self.string()?;
        let ends = self.u32s()?;
        if !Self::ends_of(&bytes, &ends) {
            return Err(SavedError::Malformed("strings"));
        }
        Ok(IdColumn {
            uuids,
            text: StrColumn { bytes, ends },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are written in 1, 2 or 4 bytes as the column's number of values allows, and read
    /// back as they were, at each width's edges.
    #[test]
    fn ids_keep_their_values_at_every_width() {
        for values in [1usize, 256, 257, 65_536, 65_537, 1 << 20] {
            let ids: Vec<u32> = (0..70_000u32).map(|i| i % values as u32).collect();
            let mut w = Writer {
                out: Vec::new(),
                crc: crc32fast::Hasher::new(),
                len: 0,
                error: None,
            };
            w.ids(&ids, values);
            let bytes = w.out;
            let width = match values {
                0..=256 => 1,
                257..=65_536 => 2,
                _ => 4,
            };
            assert_eq!(bytes.len(), 1 + 8 + ids.len() * width, "{values}");
            let mut r = Reader {
                inner: &bytes[..],
                remaining: bytes.len() as u64,
                len: bytes.len() as u64,
                crc: crc32fast::Hasher::new(),
            };
            assert_eq!(r.ids().expect("ids"), ids, "{values}");
        }
    }
}
