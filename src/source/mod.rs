//! Finding inputs and turning each into text: directory walking (symlink loops survived),
//! stdin, compression sniffed from magic bytes, and the content shapes of `shape`.
//!
//! Inputs are listed in a stable order (command-line order, then sorted directory entries),
//! which is the "input order" that breaks ties between events with the same eventTime.

pub(crate) mod archive;
pub mod athena;
pub mod inflate;
pub mod lake;
mod long_path;
pub mod repair;
pub mod shape;

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::error::Error;

pub use inflate::{inflate, Inflated};

/// Default for `--max-file-size`: no CloudTrail delivery comes near it, and it bounds what
/// a gzip bomb can make us allocate.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1 << 30;

/// Where the bytes of one input come from.
#[derive(Debug, Clone)]
pub enum Origin {
    File(PathBuf),
    Stdin,
    /// Bytes compiled into the binary (the built-in demo).
    Embedded(&'static [u8]),
    /// A member of a zip archive, by its index in the archive.
    Zipped(std::sync::Arc<archive::Archive>, usize),
}

/// One input to load.
#[derive(Debug, Clone)]
pub struct Input {
    /// What the user sees in messages: the path as given or found, `-` for stdin.
    pub name: String,
    pub origin: Origin,
    /// Found by walking a directory rather than named by the user: content that is not
    /// JSON at all (a README, a licence) is then ignored instead of reported.
    pub walked: bool,
}

impl Input {
    /// The whole content of the input, as stored (possibly compressed), read only while
    /// it stays within `limit` bytes: an endless stdin or a huge sparse file stops at
    /// `limit + 1` bytes read, never after. `on_large` is called before more than
    /// [`inflate::LARGE`] bytes are held (for a file whose size says so, before reading).
    /// A file's modification time comes beside its bytes (from the same `stat`).
    pub fn read(
        &self,
        limit: u64,
        on_large: &mut dyn FnMut(),
    ) -> Result<(Vec<u8>, Option<SystemTime>), Error> {
        let io_err = |source| Error::Io {
            path: self.name.clone(),
            source,
        };
        let too_large = || Error::TooLarge {
            path: self.name.clone(),
            limit,
        };
        let mut bounded =
            |reader: &mut dyn Read, hint: u64, limit: u64| -> Result<Vec<u8>, Error> {
                if hint > inflate::LARGE {
                    on_large();
                }
                let mut buf = Vec::with_capacity(hint.min(limit) as usize);
                let small = inflate::LARGE.min(limit).saturating_add(1);
                reader.take(small).read_to_end(&mut buf).map_err(io_err)?;
                if buf.len() as u64 >= small && limit > inflate::LARGE {
                    on_large();
                    reader
                        .take(limit.saturating_add(1) - buf.len() as u64)
                        .read_to_end(&mut buf)
                        .map_err(io_err)?;
                }
                if buf.len() as u64 > limit {
                    return Err(Error::TooLarge {
                        path: self.name.clone(),
                        limit,
                    });
                }
                Ok(buf)
            };
        match &self.origin {
            Origin::File(path) => {
                let mut file = open_file(path).map_err(io_err)?;
                let meta = file.metadata().map_err(io_err)?;
                let size = meta.len();
                if size > limit {
                    return Err(too_large());
                }
                Ok((bounded(&mut file, size, limit)?, meta.modified().ok()))
            }
            Origin::Stdin => Ok((bounded(&mut std::io::stdin().lock(), 1 << 20, limit)?, None)),
            Origin::Embedded(bytes) => Ok((bytes.to_vec(), None)),
            Origin::Zipped(archive, index) => {
                let mut zip = archive.zip.clone();
                let mut member = zip
                    .by_index(*index)
                    .map_err(|err| io_err(std::io::Error::other(err)))?;
                let size = member.size();
                if size > limit {
                    return Err(too_large());
                }
                // The size in the directory can lie: the read stops at what the archive's
                // members may still inflate to together, and at the limit.
                let left = archive.left();
                let bytes = bounded(&mut member, size, limit.min(left)).map_err(|e| match e {
                    Error::TooLarge { .. } if left < limit => archive.spent(&self.name),
                    e => e,
                })?;
                archive.spend(bytes.len() as u64, &self.name)?;
                Ok((bytes, None))
            }
        }
    }
}

/// Opens a file for reading, also when its path is longer than the system takes in one
/// piece (it is then opened a folder at a time).
pub fn open_file(path: &Path) -> std::io::Result<fs::File> {
    fs::File::open(path).or_else(|err| match long_path::too_long(&err) {
        true => long_path::open_file(path),
        false => Err(err),
    })
}

/// A file's metadata (following links), also when its path is longer than the system
/// takes in one piece.
pub fn metadata(path: &Path) -> std::io::Result<fs::Metadata> {
    fs::metadata(path).or_else(|err| match long_path::too_long(&err) {
        true => long_path::metadata(path),
        false => Err(err),
    })
}

/// The text of UTF-16 input with a byte-order mark, as UTF-8 (unpaired surrogates become
/// U+FFFD); `None` for anything else.
pub fn utf16_text(bytes: &[u8]) -> Option<String> {
    let (rest, little) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (rest, true),
        [0xFE, 0xFF, rest @ ..] => (rest, false),
        _ => return None,
    };
    let units = rest.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect(),
    )
}

/// What a compressed or archived input is, told by its magic bytes, for formats that are
/// not read: the user is told what to do rather than that the file is "not JSON".
pub fn other_format(bytes: &[u8]) -> Option<&'static str> {
    const FORMATS: [(&[u8], &str); 5] = [
        (b"BZh", "bzip2-compressed: decompress it first (bunzip2)"),
        (b"\xFD7zXZ\x00", "xz-compressed: decompress it first (unxz)"),
        (
            b"\x28\xB5\x2F\xFD",
            "zstd-compressed: decompress it first (unzstd)",
        ),
        (
            b"PK\x03\x04",
            "a zip archive not named .zip, or inside another: extract it first (unzip)",
        ),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive: extract it first"),
    ];
    FORMATS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| *what)
}

/// Whether the name says the file holds JSON (`.json`, `.jsonl`, `.ndjson`, and those
/// gzip-compressed).
/// The empty markers that Spark and Hadoop (`_SUCCESS`, `*.crc` checksums) and S3 tools
/// (`folder_$folder$`) leave beside their output: never inputs, never problems.
pub fn is_marker(name: &str) -> bool {
    let file = name.rsplit(['/', '!']).next().unwrap_or(name);
    file == "_SUCCESS" || file.ends_with("_$folder$") || file.ends_with(".crc")
}

pub fn named_like_json(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".json", ".jsonl", ".ndjson"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Expands the user's PATH arguments into inputs. Problems (a missing path, a loop, a FIFO)
/// are returned beside the inputs; they never stop the walk.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<Error>) {
    let mut walker = Walker {
        roots: paths
            .iter()
            .filter_map(|p| fs::canonicalize(p).ok())
            .collect(),
        ..Walker::default()
    };
    for path in paths {
        if path.as_os_str() == "-" {
            walker.inputs.push(Input {
                name: "-".into(),
                origin: Origin::Stdin,
                walked: false,
            });
        } else {
            walker.walk(path);
        }
    }
    (walker.inputs, walker.problems)
}

#[derive(Default)]
struct Walker {
    inputs: Vec<Input>,
    problems: Vec<Error>,
    /// Directories already entered, by device and inode, so symlink loops end (one `stat`
    /// each: resolving a canonical path costs a call per component, which a deep folder
    /// makes cubic).
    seen_dirs: HashSet<(u64, u64)>,
    /// The given paths, canonical: a symbolic link found while walking is followed only
    /// when it leads to a place under one of them (as `find -L` within the tree would), so
    /// a link to `/` or `/proc` never takes the walk out of the evidence folder.
    roots: Vec<PathBuf>,
}

impl Walker {
    /// Walks `root` depth first in name order, without recursion (a 2,000-deep folder
    /// must not exhaust a loader thread's stack).
    fn walk(&mut self, root: &Path) {
        let mut pending: Vec<(PathBuf, bool, bool)> = vec![(root.to_path_buf(), false, false)];
        while let Some((path, walked, regular)) = pending.pop() {
            if regular {
                // The folder's entry says a regular file (not a link): no `stat`, the read
                // opens it and asks once.
                self.take_file(path, walked);
                continue;
            }
            let mut children = self.visit(&path, walked);
            children.reverse();
            pending.extend(
                children
                    .into_iter()
                    .map(|(child, regular)| (child, true, regular)),
            );
        }
    }

    fn take_file(&mut self, path: PathBuf, walked: bool) {
        // A saved index or its temporary file (an --index-dir inside the trail): never an
        // input, nor an arrival of a followed trail.
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if walked && crate::files::index_name(name).is_some() {
            return;
        }
        self.inputs.push(Input {
            name: path.display().to_string(),
            origin: Origin::File(path),
            walked,
        });
    }

    /// Takes in one path: an input for a file, a problem, or the children of a directory
    /// (sorted), which it returns, each with whether its entry says a regular file.
    fn visit(&mut self, path: &Path, walked: bool) -> Vec<(PathBuf, bool)> {
        let name = path.display().to_string();
        if walked && fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            let inside = fs::canonicalize(path)
                .is_ok_and(|target| self.roots.iter().any(|root| target.starts_with(root)));
            if !inside && fs::metadata(path).is_ok() {
                self.problems.push(Error::LinkOutside { path: name });
                return Vec::new();
            }
        }
        let meta = match metadata(path) {
            Ok(meta) => meta,
            Err(source) => {
                self.problems.push(Error::Io { path: name, source });
                return Vec::new();
            }
        };
        if meta.is_dir() {
            use std::os::unix::fs::MetadataExt;
            if !self.seen_dirs.insert((meta.dev(), meta.ino())) {
                return Vec::new();
            }
            let mut children: Vec<(PathBuf, bool)> = Vec::new();
            match fs::read_dir(path) {
                Ok(entries) => {
                    for entry in entries {
                        match entry {
                            Ok(entry) => {
                                let regular = entry.file_type().is_ok_and(|t| t.is_file());
                                children.push((entry.path(), regular));
                            }
                            Err(source) => self.problems.push(Error::Io {
                                path: name.clone(),
                                source,
                            }),
                        }
                    }
                }
                Err(err) if long_path::too_long(&err) => match long_path::read_dir(path) {
                    Ok(entries) => children = entries.into_iter().map(|e| (e, false)).collect(),
                    Err(source) => {
                        self.problems.push(Error::Io { path: name, source });
                        return Vec::new();
                    }
                },
                Err(source) => {
                    self.problems.push(Error::Io { path: name, source });
                    return Vec::new();
                }
            }
            children.sort();
            return children;
        } else if meta.is_file() {
            self.take_file(path.to_path_buf(), walked);
        } else {
            self.problems.push(Error::NotRegular { path: name });
        }
        Vec::new()
    }
}
