//! `.zip` archives among the inputs (how some evidence is handed over): each member is an
//! input of its own, named `a.zip!dir/x.json` in every message, read like a file (gzip
//! inside included). The archive is read into memory once and its members shared from
//! there; a damaged archive, or a member that cannot be read, is a problem of its own and
//! costs nothing else.

use std::io::Cursor;
use std::sync::Arc;

use super::{Input, Origin};
use crate::error::Error;

/// An archive read into memory, its directory parsed; cheap to clone (the directory is
/// shared), which reading a member needs.
pub type Archive = zip::ZipArchive<Cursor<Arc<[u8]>>>;

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
            Ok(archive) => Arc::new(archive),
            Err(err) => {
                problems.push(Error::NotCloudTrail {
                    path: input.name.clone(),
                    at: crate::error::Position { line: 1, column: 1 },
                    what: format!("a damaged zip archive ({err})"),
                });
                continue;
            }
        };
        for index in 0..archive.len() {
            let Some(name) = archive.name_for_index(index) else {
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
