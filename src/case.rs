//! The case file: what an investigation keeps between sessions — marks, notes, the filter
//! history and the last filter — as one JSON document, written atomically (a temporary file
//! in the same folder, synced, then renamed over the old one), so a crash mid-write leaves
//! the previous case whole.
//!
//! ```json
//! {"format":"trailscope-case","version":1,
//!  "inputs":["/evidence/AWSLogs"],
//!  "filter":"origin:ci-deploy","history":["principal:ci-deploy","origin:ci-deploy"],
//!  "marks":[{"eventID":"…","eventTime":"2024-05-02T14:05:05Z","account":"111122223333",
//!            "sha256":"9f2c…","note":"the attacker's user"}]}
//! ```
//!
//! An event is named by its eventID, eventTime and recipient account, and the SHA-256 of its
//! JSON tells apart two events that share those (a copy that differs). The default place is
//! `$XDG_DATA_HOME/trailscope/cases/` (else `~/.local/share/…`), one file per set of inputs.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::schema::Col;
use crate::store::Store;

/// The largest case file read: far beyond any real one (a 20 MB note fits ten times over).
pub const MAX_BYTES: u64 = 256 << 20;
/// What a case file says it is.
pub const FORMAT: &str = "trailscope-case";
pub const VERSION: u32 = 1;

/// Why a case file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a trailscope case file ({reason})")]
    Format { path: PathBuf, reason: String },
}

/// The case as saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub format: String,
    pub version: u32,
    /// The inputs the case was opened on (informational).
    #[serde(default)]
    pub inputs: Vec<String>,
    /// The filter applied when the case was last saved.
    #[serde(default)]
    pub filter: String,
    /// Earlier filters, oldest first.
    #[serde(default)]
    pub history: Vec<String>,
    #[serde(default)]
    pub marks: Vec<Mark>,
    /// How the explorer showed the case: `columns`, `sort` (as `:set` takes them).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub view: BTreeMap<String, String>,
}

/// One marked event and its note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    #[serde(rename = "eventID")]
    pub event_id: String,
    #[serde(rename = "eventTime")]
    pub event_time: String,
    pub account: String,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Case {
    pub fn new(inputs: Vec<String>) -> Case {
        Case {
            format: FORMAT.into(),
            version: VERSION,
            inputs,
            ..Case::default()
        }
    }

    /// Reads a case file; `Ok(None)` when there is none yet. Only a regular file of at most
    /// [`MAX_BYTES`] is read (a FIFO, a device or a folder at the path is an I/O error).
    pub fn read(path: &Path) -> Result<Option<Case>, CaseError> {
        let text = match crate::files::read_regular(path, MAX_BYTES) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(CaseError::Io {
                    path: path.into(),
                    source,
                })
            }
        };
        let case: Case = serde_json::from_slice(&text).map_err(|e| CaseError::Format {
            path: path.into(),
            reason: e.to_string(),
        })?;
        if case.format != FORMAT || case.version != VERSION {
            return Err(CaseError::Format {
                path: path.into(),
                reason: format!("format {:?} version {}", case.format, case.version),
            });
        }
        Ok(Some(case))
    }

    /// Writes the case atomically: a temporary file beside `path`, synced, renamed over it.
    pub fn write(&self, path: &Path) -> Result<(), CaseError> {
        let io = |source| CaseError::Io {
            path: path.into(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::create_private_dir(dir).map_err(io)?;
        }
        let json = serde_json::to_vec_pretty(self).map_err(|e| CaseError::Format {
            path: path.into(),
            reason: e.to_string(),
        })?;
        crate::files::write_whole(
            path,
            |file| file,
            |file| {
                file.write_all(&json)?;
                file.write_all(b"\n")?;
                file.sync_all()
            },
        )
        .map_err(io)
    }

    /// The marks as rows of `store` (row → note), and the marks whose event is not loaded.
    pub fn resolve(&self, store: &Store) -> (BTreeMap<u32, String>, Vec<Mark>) {
        // Marks by eventID, as positions in `self.marks`.
        let mut wanted: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
        for (i, mark) in self.marks.iter().enumerate() {
            wanted.entry(mark.event_id.as_str()).or_default().push(i);
        }
        let mut rows = BTreeMap::new();
        if wanted.is_empty() {
            return (rows, Vec::new());
        }
        let mut found = vec![false; self.marks.len()];
        for row in 0..store.len() {
            let Some(candidates) = wanted.get(&*store.event_id(row)) else {
                continue;
            };
            // The rest of the event's name, once per row that shares an eventID with a mark.
            let here = identify(store, row, "");
            for &i in candidates {
                let mark = &self.marks[i];
                if (&mark.event_time, &mark.account, &mark.sha256)
                    == (&here.event_time, &here.account, &here.sha256)
                {
                    rows.insert(row as u32, mark.note.clone());
                    found[i] = true;
                }
            }
        }
        let missing = self
            .marks
            .iter()
            .zip(&found)
            .filter(|(_, &f)| !f)
            .map(|(m, _)| m.clone())
            .collect();
        (rows, missing)
    }

    /// Replaces the marks with `marks` (row → note) of `store`.
    pub fn set_marks(&mut self, store: &Store, marks: &BTreeMap<u32, String>) {
        self.marks = marks
            .iter()
            .map(|(&row, note)| identify(store, row as usize, note))
            .collect();
    }
}

/// The name a mark keeps for the event at `row`.
pub fn identify(store: &Store, row: usize, note: &str) -> Mark {
    Mark {
        event_id: store.event_id(row).to_string(),
        event_time: event_time(store, row),
        account: store.get(Col::RecipientAccount, row).to_string(),
        // An event whose file changed since the load cannot be read: no identity, rather
        // than the SHA-256 of nothing.
        sha256: store
            .event_text(row)
            .map(|json| sha256_hex(&json))
            .unwrap_or_default(),
        note: note.to_string(),
    }
}

fn event_time(store: &Store, row: usize) -> String {
    store
        .time(row)
        .map(crate::event::format_time)
        .unwrap_or_default()
}

/// Lowercase hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The paths as the system resolves them, sorted, one per line: what names a set of
/// inputs however it was typed (the case file's name, the saved index's key).
pub fn canonical_paths(paths: &[PathBuf]) -> String {
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
    names.join("\n")
}

/// Where the case of `inputs` lives by default: one file per set of inputs (their absolute
/// paths, sorted) under the user's data directory; `None` without a home.
pub fn default_path(inputs: &[PathBuf], demo: bool) -> Option<PathBuf> {
    let base = crate::files::user_dir("XDG_DATA_HOME", ".local/share")?;
    let name = if demo {
        "demo".to_string()
    } else {
        sha256_hex(&canonical_paths(inputs))[..16].to_string()
    };
    Some(base.join("cases").join(format!("{name}.json")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_round_trips_and_a_foreign_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/case.json");
        let mut case = Case::new(vec!["/evidence".into()]);
        case.filter = "origin:ci-deploy".into();
        case.history = vec!["p".into()];
        case.marks.push(Mark {
            event_id: "e1".into(),
            event_time: "2024-05-02T14:05:05Z".into(),
            account: "111122223333".into(),
            sha256: sha256_hex("{}"),
            note: "the attacker's user".into(),
        });
        case.write(&path).expect("write");
        assert_eq!(Case::read(&path).expect("read"), Some(case));
        assert_eq!(
            Case::read(&dir.path().join("none.json")).expect("read"),
            None
        );
        fs::write(&path, r#"{"format":"other","version":1}"#).expect("write");
        let err = Case::read(&path).expect_err("foreign");
        assert!(
            err.to_string().contains("not a trailscope case file"),
            "{err}"
        );
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
