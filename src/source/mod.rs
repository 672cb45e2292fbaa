//! Finding inputs and turning each into text: directory walking (symlink loops survived),
//! stdin, compression sniffed from magic bytes, and the content shapes of `shape`.
//!
//! Inputs are listed in a stable order (command-line order, then sorted directory entries),
//! which is the "input order" that breaks ties between events with the same eventTime.

pub mod inflate;
pub mod shape;

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

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
    /// The whole content of the input, as stored (possibly compressed).
    pub fn read(&self) -> Result<Vec<u8>, Error> {
        let io_err = |source| Error::Io {
            path: self.name.clone(),
            source,
        };
        match &self.origin {
            Origin::File(path) => fs::read(path).map_err(io_err),
            Origin::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut buf)
                    .map_err(io_err)?;
                Ok(buf)
            }
            Origin::Embedded(bytes) => Ok(bytes.to_vec()),
        }
    }
}

/// Expands the user's PATH arguments into inputs. Problems (a missing path, a loop, a FIFO)
/// are returned beside the inputs; they never stop the walk.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<Error>) {
    let mut walker = Walker::default();
    for path in paths {
        if path.as_os_str() == "-" {
            walker.inputs.push(Input {
                name: "-".into(),
                origin: Origin::Stdin,
                walked: false,
            });
        } else {
            walker.visit(path, false);
        }
    }
    (walker.inputs, walker.problems)
}

#[derive(Default)]
struct Walker {
    inputs: Vec<Input>,
    problems: Vec<Error>,
    /// Directories already entered, by canonical path, so symlink loops end.
    seen_dirs: HashSet<PathBuf>,
}

impl Walker {
    fn visit(&mut self, path: &Path, walked: bool) {
        let name = path.display().to_string();
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(source) => {
                self.problems.push(Error::Io { path: name, source });
                return;
            }
        };
        if meta.is_dir() {
            let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            if !self.seen_dirs.insert(canonical) {
                return;
            }
            let entries = match fs::read_dir(path) {
                Ok(entries) => entries,
                Err(source) => {
                    self.problems.push(Error::Io { path: name, source });
                    return;
                }
            };
            let mut children: Vec<PathBuf> = Vec::new();
            for entry in entries {
                match entry {
                    Ok(entry) => children.push(entry.path()),
                    Err(source) => self.problems.push(Error::Io {
                        path: name.clone(),
                        source,
                    }),
                }
            }
            children.sort();
            for child in children {
                self.visit(&child, true);
            }
        } else if meta.is_file() {
            self.inputs.push(Input {
                name,
                origin: Origin::File(path.to_path_buf()),
                walked,
            });
        } else {
            self.problems.push(Error::NotRegular { path: name });
        }
    }
}
