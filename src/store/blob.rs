//! Where the text of one input is kept after the load: its bytes for stdin, the built-in demo,
//! archive members and repaired text; for a file on disk only its path and a stamp, and the
//! file is read again (the page cache makes that cheap) when an event is shown or the text
//! is scanned. A file that changed since the load is said to have changed, never shown as if
//! its new bytes were the event.

use std::io::Read;
use std::path::PathBuf;
use std::time::SystemTime;

use crate::source;

/// The stored form of one input's text.
#[derive(Debug)]
pub enum Blob {
    /// gzip bytes as read; re-inflated to show an event.
    Gzip(Box<[u8]>),
    /// Text kept as it is (plain input, or text repaired while loading).
    Plain(Box<[u8]>),
    /// A file on disk, read again when its text is needed.
    File {
        path: PathBuf,
        /// What the user calls it (in messages).
        name: String,
        stamp: Stamp,
        gzip: bool,
    },
}

/// What tells a file that is as it was loaded from one that changed: its size and
/// modification time, and its last eight bytes (for gzip, the trailer: CRC-32 and length
/// of the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub modified: Option<SystemTime>,
    pub tail: [u8; 8],
}

impl Stamp {
    pub fn new(bytes: &[u8], modified: Option<SystemTime>) -> Stamp {
        let mut tail = [0u8; 8];
        let end = &bytes[bytes.len().saturating_sub(8)..];
        tail[..end.len()].copy_from_slice(end);
        Stamp {
            size: bytes.len() as u64,
            modified,
            tail,
        }
    }
}

/// An input whose text is no longer what was loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name} changed since it was loaded ({what}); open it again to see its events")]
pub struct Changed {
    pub name: String,
    pub what: &'static str,
}

impl Blob {
    /// The input's text as it was loaded (`limit`: the most a gzip member may inflate to).
    pub fn text(&self, limit: u64) -> Result<Vec<u8>, Changed> {
        match self {
            Blob::Gzip(bytes) => Ok(source::inflate::reinflate(bytes, limit)),
            Blob::Plain(bytes) => Ok(bytes.to_vec()),
            Blob::File {
                path,
                name,
                stamp,
                gzip,
            } => {
                let changed = |what| Changed {
                    name: name.clone(),
                    what,
                };
                let mut file = source::open_file(path).map_err(|_| changed("it cannot be read"))?;
                let meta = file.metadata().map_err(|_| changed("it cannot be read"))?;
                if meta.len() != stamp.size {
                    return Err(changed("its size differs"));
                }
                if meta.modified().ok() != stamp.modified {
                    return Err(changed("its modification time differs"));
                }
                let mut bytes = Vec::with_capacity(stamp.size as usize);
                (&mut file)
                    .take(stamp.size + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|_| changed("it cannot be read"))?;
                if Stamp::new(&bytes, stamp.modified) != *stamp {
                    return Err(changed("its content differs"));
                }
                Ok(if *gzip {
                    source::inflate::reinflate(&bytes, limit)
                } else {
                    bytes
                })
            }
        }
    }
}
