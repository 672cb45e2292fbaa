//! The explorer's case file: where it is, what it held when this session read it, and the
//! reads and writes of it, which run on a worker (the UI thread never touches the file).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::case::{Case, CaseError, Mark};
use crate::store::Store;
use crate::text::sanitize;

/// The case file of this session and what it holds.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub path: PathBuf,
    pub case: Case,
    /// Marks of events these inputs do not hold: kept in the case as they were.
    pub elsewhere: Vec<Mark>,
    /// The marks of the case as this session read it: a mark on disk that is not among
    /// them was added since by another session, and is kept when this one saves.
    pub restored: Vec<Mark>,
}

impl CaseFile {
    pub fn new(path: PathBuf, inputs: Vec<String>) -> CaseFile {
        CaseFile {
            path,
            case: Case::new(inputs),
            elsewhere: Vec::new(),
            restored: Vec::new(),
        }
    }
}

/// What reading the case found.
#[derive(Debug, Clone)]
pub enum Restored {
    /// No case file yet.
    Nothing,
    /// The case: its marks on the loaded events, and the marks of events not loaded.
    Case {
        case: Case,
        marks: BTreeMap<u32, String>,
        elsewhere: Vec<Mark>,
    },
    /// Not a file a case can be kept in: this session keeps none (the problem to list).
    Unusable(String),
    /// Not a case file: set aside, and a fresh case begun (the problem to list).
    SetAside(String),
}

/// Reads the case at `path` and puts its marks on the events of `store`.
pub fn restore(path: &std::path::Path, store: &Store) -> Restored {
    match Case::read(path) {
        Ok(Some(case)) => {
            let (marks, elsewhere) = case.resolve(store);
            Restored::Case {
                case,
                marks,
                elsewhere,
            }
        }
        Ok(None) => Restored::Nothing,
        // Not a file the case can be kept in (a folder, a FIFO, a device, one unreadable):
        // left as it is.
        Err(e @ CaseError::Io { .. }) => Restored::Unusable(format!(
            "{} (no case is kept this session)",
            sanitize(&e.to_string())
        )),
        Err(e) => {
            // Never trusted, never overwritten: set aside.
            let mut aside = path.as_os_str().to_owned();
            aside.push(".unreadable");
            let _ = std::fs::rename(path, &aside);
            Restored::SetAside(format!(
                "{} (set aside as {})",
                sanitize(&e.to_string()),
                sanitize(&PathBuf::from(aside).display().to_string())
            ))
        }
    }
}

/// Writes the case file: `marks` (row → note) of `store`, the filter and its history.
/// Marks another session saved since this one read the case are kept, so two explorers on
/// one case lose neither's. The error, said for the status line.
pub fn save(
    file: &CaseFile,
    store: &Store,
    marks: &BTreeMap<u32, String>,
    filter: &str,
    history: &[String],
    view: &BTreeMap<String, String>,
) -> Result<(), String> {
    let mut case = file.case.clone();
    case.set_marks(store, marks);
    let same_event = |a: &Mark, b: &Mark| {
        (&a.event_id, &a.event_time, &a.account) == (&b.event_id, &b.event_time, &b.account)
    };
    // An event whose file changed since the load cannot be read to name it: it keeps the
    // identity it was restored with.
    for mark in case.marks.iter_mut().filter(|m| m.sha256.is_empty()) {
        if let Some(known) = file.restored.iter().find(|r| same_event(r, mark)) {
            mark.sha256 = known.sha256.clone();
        }
    }
    case.marks.extend(file.elsewhere.iter().cloned());
    if let Ok(Some(on_disk)) = Case::read(&file.path) {
        for mark in on_disk.marks {
            let known = |m: &Mark| m == &mark || same_event(m, &mark);
            let added_elsewhere = !file
                .restored
                .iter()
                .any(|r| r.sha256 == mark.sha256 && same_event(r, &mark));
            if added_elsewhere && !case.marks.iter().any(known) {
                case.marks.push(mark);
            }
        }
    }
    case.filter = filter.to_string();
    case.history = history.to_vec();
    case.view = view.clone();
    case.write(&file.path)
        .map_err(|e| format!("case not saved: {}", sanitize(&e.to_string())))
}

/// The marks of `old` (row → note) on the events of `new` that are the same events (a
/// followed trail read again), and the row in `new` of `selected`.
pub fn carry(
    old: &Store,
    new: &Store,
    marks: &BTreeMap<u32, String>,
    selected: Option<u32>,
) -> (BTreeMap<u32, String>, Option<u32>) {
    let mut carried = Case::new(Vec::new());
    carried.set_marks(old, marks);
    let (marks, _) = carried.resolve(new);
    let selected = selected.and_then(|row| {
        let mut one = Case::new(Vec::new());
        one.marks.push(crate::case::identify(old, row as usize, ""));
        one.resolve(new).0.into_keys().next()
    });
    (marks, selected)
}
