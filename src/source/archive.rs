//! `.zip` archives among the inputs (how some evidence is handed over): each member is an
//! input of its own, named `a.zip!dir/x.json` in every message, read like a file (gzip
//! inside included). The archive is read into memory once and its members shared from
//! there; a damaged archive, or a member that cannot be read, is a problem of its own and
//! costs nothing else.

use std::io::Cursor;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::{Input, Origin};
use crate::error::Error;

/// An archive read into memory, its directory parsed, and what its members may still
/// inflate to together: the archive is one input's worth (`--max-file-size`), however many
/// members it has or however they overlap (a zip's members can all point at the same
/// compressed bytes).
pub struct Archive {
    /// Cheap to clone (the directory is shared), which reading a member needs.
    pub zip: zip::ZipArchive<Cursor<Arc<[u8]>>>,
    left: AtomicU64,
    limit: u64,
    /// The archive's name, for the message.
    name: String,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive").field("name", &self.name).finish()
    }
}

impl Archive {
    /// Bytes the members may still inflate to.
    pub fn left(&self) -> u64 {
        self.left.load(Ordering::Relaxed)
    }

    /// Takes `bytes` from what is left; an error (naming `member`) when they are not there.
    pub fn spend(&self, bytes: u64, member: &str) -> Result<(), Error> {
        self.left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .map(|_| ())
            .map_err(|_| self.spent(member))
    }

    /// The problem of a member read once the archive's budget is spent.
    pub fn spent(&self, member: &str) -> Error {
        Error::NotCloudTrail {
            path: member.to_string(),
            at: crate::error::Position { line: 1, column: 1 },
            what: format!(
                "not read: the members of {} inflate to more than {} bytes together (--max-file-size)",
                self.name, self.limit
            ),
        }
    }
}

/// Whether an input is named like a zip archive.
fn named_like_zip(input: &Input) -> bool {
    matches!(input.origin, Origin::File(_)) && input.name.to_ascii_lowercase().ends_with(".zip")
}

/// Replaces each `.zip` input by its members (files only, in the archive's order).
pub fn expand(inputs: Vec<Input>, limit: u64) -> (Vec<Input>, Vec<Error>) {
    let mut out = Vec::with_capacity(inputs.len());
    let mut problems = Vec::new();
    for input in inputs {
        if !named_like_zip(&input) {
            out.push(input);
            continue;
        }
        let bytes = match input.read(limit, &mut || {}) {
            Ok((bytes, _)) => bytes,
            Err(err) => {
                problems.push(err);
                continue;
            }
        };
        let archive = match zip::ZipArchive::new(Cursor::new(Arc::<[u8]>::from(bytes))) {
            Ok(zip) => Arc::new(Archive {
                zip,
                left: AtomicU64::new(limit),
                limit,
                name: input.name.clone(),
            }),
            Err(err) => {
                problems.push(Error::NotCloudTrail {
                    path: input.name.clone(),
                    at: crate::error::Position { line: 1, column: 1 },
                    what: format!("a damaged zip archive ({err})"),
                });
                continue;
            }
        };
        for index in 0..archive.zip.len() {
            let Some(name) = archive.zip.name_for_index(index) else {
                continue;
            };
            if name.ends_with('/') {
                continue;
            }
            out.push(Input {
                name: format!("{}!{name}", input.name),
                origin: Origin::Zipped(Arc::clone(&archive), index),
                walked: true,
            });
        }
    }
    (out, problems)
}
