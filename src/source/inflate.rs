//! Decompression sniffed from magic bytes. gzip goes through libdeflate (about twice as fast
//! as zlib on CloudTrail files) when the whole file is one well-formed member; anything else
//! (several members, damage, a size that lies) goes through flate2's streaming decoder, which
//! also salvages the text before damage. Both stop at `limit` bytes of output.

use std::io::Read;

use flate2::read::MultiGzDecoder;

use crate::error::Error;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The most deflate can expand its input (RFC 1951: a 258-byte match in about 2 bits).
const MAX_DEFLATE_RATIO: u64 = 1032;

/// The text of an input, and the damage found on the way, if any.
#[derive(Debug)]
pub struct Inflated<'a> {
    pub text: &'a [u8],
    pub was_gzip: bool,
    /// Set when the input was damaged; `text` then holds what came before the damage.
    pub damage: Option<Error>,
}

/// Output past which an inflation is "large": before growing a buffer past it, `inflate`
/// calls its `on_large`, so a loader can let one large input inflate at a time and bound
/// the memory of all its workers together.
pub const LARGE: u64 = 64 << 20;

/// Turns stored bytes into text. Plain input is returned as it is; gzip is inflated into
/// `buf`, which a loader reuses from file to file so its pages are not zeroed each time.
/// `on_large` is called once, before the output grows past [`LARGE`].
pub fn inflate<'a>(
    name: &str,
    stored: &'a [u8],
    limit: u64,
    buf: &'a mut Vec<u8>,
    on_large: &mut dyn FnMut(),
) -> Inflated<'a> {
    if !stored.starts_with(&GZIP_MAGIC) {
        if stored.len() as u64 > limit {
            return Inflated {
                text: &[],
                was_gzip: false,
                damage: Some(Error::TooLarge {
                    path: name.to_string(),
                    limit,
                }),
            };
        }
        return Inflated {
            text: stored,
            was_gzip: false,
            damage: None,
        };
    }
    if let Some(len) = inflate_single_member(stored, limit, buf, on_large) {
        return Inflated {
            text: &buf[..len],
            was_gzip: true,
            damage: None,
        };
    }
    let damage = inflate_streaming(name, stored, limit, buf, on_large);
    Inflated {
        text: buf,
        was_gzip: true,
        damage,
    }
}

/// The fast path: one member whose trailer tells the size. `None` means "use the slow path",
/// never "the input is bad". On success the text is `buf[..len]`.
fn inflate_single_member(
    stored: &[u8],
    limit: u64,
    buf: &mut Vec<u8>,
    on_large: &mut dyn FnMut(),
) -> Option<usize> {
    let trailer = stored.len().checked_sub(4)?;
    let size_bytes: [u8; 4] = stored.get(trailer..)?.try_into().ok()?;
    let size = u32::from_le_bytes(size_bytes) as usize;
    // The trailer is only a claim: deflate expands at most 1032 times, so a buffer is never
    // sized past what the stored bytes can really become (126 bytes claiming 1 GiB take the
    // streaming path, which grows its buffer only as text really comes out).
    let possible = (stored.len() as u64).saturating_mul(MAX_DEFLATE_RATIO);
    if size == 0 || size as u64 > limit || size as u64 > possible {
        return None;
    }
    if size as u64 > LARGE {
        on_large();
    }
    if buf.len() < size {
        buf.resize(size, 0);
    }
    let (consumed, written) = libdeflate::gzip_decompress(stored, &mut buf[..size])?;
    if consumed != stored.len() || written != size {
        return None;
    }
    Some(size)
}

/// The slow path: every member, stopping at damage or at `limit`. Leaves the text (or the
/// salvaged prefix) in `buf`.
fn inflate_streaming(
    name: &str,
    stored: &[u8],
    limit: u64,
    buf: &mut Vec<u8>,
    on_large: &mut dyn FnMut(),
) -> Option<Error> {
    buf.clear();
    let mut decoder = MultiGzDecoder::new(stored);
    // First as far as a small input goes; past that, only once the loader says so.
    let small = LARGE.min(limit).saturating_add(1);
    let read = match (&mut decoder).take(small).read_to_end(buf) {
        Ok(_) if buf.len() as u64 >= small && limit > LARGE => {
            on_large();
            (&mut decoder)
                .take(limit.saturating_add(1) - buf.len() as u64)
                .read_to_end(buf)
        }
        other => other,
    };
    match read {
        Ok(_) if buf.len() as u64 > limit => {
            buf.clear();
            buf.shrink_to_fit();
            Some(Error::TooLarge {
                path: name.to_string(),
                limit,
            })
        }
        Ok(_) => None,
        Err(err) => Some(Error::Gzip {
            path: name.to_string(),
            salvaged: buf.len(),
            detail: err.to_string(),
        }),
    }
}

/// Re-inflates a stored gzip file that loaded before (to show one of its events). Damage
/// was reported at load time; the same salvaged prefix comes back, which is what the index
/// points into.
pub fn reinflate(stored: &[u8], limit: u64) -> Vec<u8> {
    let mut buf = Vec::new();
    match inflate_single_member(stored, limit, &mut buf, &mut || {}) {
        Some(len) => buf.truncate(len),
        None => {
            let _ = inflate_streaming("", stored, limit, &mut buf, &mut || {});
        }
    }
    buf
}

/// The one unsafe corner: libdeflate's `gzip_decompress_ex`, which the safe `libdeflater`
/// wrapper does not expose. We need the count of input bytes consumed to tell a single-member
/// file from a multi-member one.
mod libdeflate {
    use libdeflate_sys::{
        libdeflate_alloc_decompressor, libdeflate_decompressor, libdeflate_free_decompressor,
        libdeflate_gzip_decompress_ex, libdeflate_result_LIBDEFLATE_SUCCESS,
    };
    use std::cell::RefCell;
    use std::ptr::NonNull;

    struct Decompressor(NonNull<libdeflate_decompressor>);

    impl Drop for Decompressor {
        fn drop(&mut self) {
            // SAFETY: the pointer came from libdeflate_alloc_decompressor and is freed once.
            unsafe { libdeflate_free_decompressor(self.0.as_ptr()) }
        }
    }

    thread_local! {
        static DECOMPRESSOR: RefCell<Option<Decompressor>> = const { RefCell::new(None) };
    }

    /// Returns (input consumed, output written) for the first gzip member, or `None` on any
    /// failure (bad data, output larger than `out`).
    pub fn gzip_decompress(input: &[u8], out: &mut [u8]) -> Option<(usize, usize)> {
        DECOMPRESSOR.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.is_none() {
                // SAFETY: plain allocation call; null is handled below.
                let ptr = unsafe { libdeflate_alloc_decompressor() };
                *slot = Some(Decompressor(NonNull::new(ptr)?));
            }
            let decompressor = slot.as_ref()?;
            let mut consumed = 0usize;
            let mut written = 0usize;
            // SAFETY: the input and output slices are valid for their lengths for the whole
            // call, the decompressor is owned by this thread, and both out-pointers are valid.
            let result = unsafe {
                libdeflate_gzip_decompress_ex(
                    decompressor.0.as_ptr(),
                    input.as_ptr().cast(),
                    input.len(),
                    out.as_mut_ptr().cast(),
                    out.len(),
                    &mut consumed,
                    &mut written,
                )
            };
            (result == libdeflate_result_LIBDEFLATE_SUCCESS).then_some((consumed, written))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).expect("write to Vec");
        enc.finish().expect("finish gzip")
    }

    #[test]
    fn plain_passes_through() {
        let mut buf = Vec::new();
        let out = inflate("x", b"{\"a\":1}", 100, &mut buf, &mut || {});
        assert_eq!(out.text, b"{\"a\":1}");
        assert!(!out.was_gzip && out.damage.is_none());
    }

    #[test]
    fn single_and_multi_member() {
        let one = gzip(b"hello ");
        let mut buf = Vec::new();
        assert_eq!(
            inflate("x", &one, 100, &mut buf, &mut || {}).text,
            b"hello "
        );
        let mut two = one;
        two.extend(gzip(b"world"));
        let out = inflate("x", &two, 100, &mut buf, &mut || {});
        assert_eq!(out.text, b"hello world");
        assert!(out.damage.is_none());
    }

    #[test]
    fn truncated_keeps_prefix_and_reports() {
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let mut gz = gzip(&data);
        gz.truncate(gz.len() / 2);
        let mut buf = Vec::new();
        let out = inflate("t.gz", &gz, 1 << 30, &mut buf, &mut || {});
        assert!(matches!(out.damage, Some(Error::Gzip { .. })));
        assert!(!out.text.is_empty());
        assert_eq!(&data[..out.text.len()], out.text);
    }

    #[test]
    fn limit_stops_bombs() {
        let gz = gzip(&vec![b' '; 1 << 20]);
        let mut buf = Vec::new();
        let out = inflate("bomb.gz", &gz, 1000, &mut buf, &mut || {});
        assert!(matches!(
            out.damage,
            Some(Error::TooLarge { limit: 1000, .. })
        ));
        assert!(out.text.is_empty());
    }
}
