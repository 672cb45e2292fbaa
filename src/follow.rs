//! `--follow`: watches the folders of a trail that is still arriving (an `aws s3 sync` in
//! another terminal) and says when the explorer should read it again. A file still being
//! written is left out until it is whole: a gzip member that does not end, or JSON text
//! that stops before its last bracket, is not reported as broken while it is fresh — only
//! once it has stayed so for [`GIVE_UP`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use notify::{RecursiveMode, Watcher};

use crate::source::{self, Input, Origin};

/// How long a file may stay incomplete before it is read (and reported) as it is.
pub const GIVE_UP: Duration = Duration::from_secs(30);

/// How quiet the folders must be before they are looked at again (a sync writes files in
/// bursts).
const QUIET: Duration = Duration::from_millis(200);

/// The longest the folders are waited on to be quiet: past it they are looked at anyway.
const BUSY: Duration = Duration::from_secs(2);

/// What the files looked like: each one's size and modification time.
pub type Seen = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

/// The inputs under `paths` to read now (and what finding them met), and the files left
/// out because they are still being written.
#[derive(Debug, Default)]
pub struct Arrival {
    pub inputs: Vec<Input>,
    pub problems: Vec<crate::error::Error>,
    pub waiting: Vec<PathBuf>,
    /// Whether anything is new to read; else only the files waiting changed.
    pub fresh: bool,
}

/// Watches `paths` for as long as the returned watcher lives; `on_arrival` gets the inputs
/// to read each time files were added, grew or went (and are whole), and stops the watch by
/// returning `false`. `known` is what the first load read ([`seen`] before it began): what
/// arrived while it ran is looked at at once.
pub fn watch(
    paths: Vec<PathBuf>,
    known: Seen,
    mut on_arrival: impl FnMut(Arrival) -> bool + Send + 'static,
) -> notify::Result<notify::RecommendedWatcher> {
    let (tx, rx) = mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok() {
            let _ = tx.send(());
        }
    })?;
    for path in &paths {
        watcher.watch(path, RecursiveMode::Recursive)?;
    }
    std::thread::spawn(move || {
        // The files as last read (a file left out is not among them).
        let mut read = known;
        // Whether each file left out was whole, as last looked at: one that has not
        // changed since is not read again.
        let mut checked: BTreeMap<PathBuf, ((u64, Option<SystemTime>), bool)> = BTreeMap::new();
        let mut waiting = false;
        let mut first = true;
        loop {
            // An event; or, while a file is left out, a look every half second (the writer
            // may finish without another event reaching us); and one look at the start.
            let next = if std::mem::take(&mut first) {
                Ok(())
            } else if waiting {
                rx.recv_timeout(Duration::from_millis(500))
            } else {
                rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected)
            };
            if next == Err(mpsc::RecvTimeoutError::Disconnected) {
                return;
            }
            // Quiet for a moment (a sync writes in bursts), but never waiting longer than
            // [`BUSY`]: a file appended to without end elsewhere in the tree must not hold
            // back the deliveries that are whole.
            let busy_since = std::time::Instant::now();
            while rx.recv_timeout(QUIET).is_ok() && busy_since.elapsed() < BUSY {}
            let now = seen(&paths);
            let changed: Vec<&PathBuf> = now
                .keys()
                .filter(|path| read.get(*path) != now.get(*path))
                .collect();
            let removed = read.keys().any(|path| !now.contains_key(path));
            if changed.is_empty() && !removed {
                waiting = false;
                continue;
            }
            let mut arrival = arrival(&paths, &read, &now, &mut checked);
            waiting = !arrival.waiting.is_empty();
            arrival.fresh = removed || changed.iter().any(|path| !arrival.waiting.contains(path));
            if arrival.fresh {
                read = now.clone();
                for path in &arrival.waiting {
                    read.remove(path);
                }
            }
            if !on_arrival(arrival) {
                return;
            }
        }
    });
    Ok(watcher)
}

/// Every file under `paths` with its size and modification time.
pub fn seen(paths: &[PathBuf]) -> Seen {
    let (inputs, _) = source::discover(paths);
    inputs
        .iter()
        .filter_map(|input| match &input.origin {
            Origin::File(path) => {
                let meta = source::open_file(path).ok()?.metadata().ok()?;
                Some((path.clone(), (meta.len(), meta.modified().ok())))
            }
            _ => None,
        })
        .collect()
}

/// The inputs to read after a change from `before` to `now`: all of them but the files new
/// or grown since that are still being written.
fn arrival(
    paths: &[PathBuf],
    before: &Seen,
    now: &Seen,
    checked: &mut BTreeMap<PathBuf, ((u64, Option<SystemTime>), bool)>,
) -> Arrival {
    let (inputs, problems) = source::discover(paths);
    let mut arrival = Arrival {
        problems,
        ..Arrival::default()
    };
    for input in inputs {
        let fresh = match &input.origin {
            Origin::File(path) => {
                let changed = before.get(path) != now.get(path);
                let recent = now
                    .get(path)
                    .and_then(|(_, modified)| *modified)
                    .and_then(|m| SystemTime::now().duration_since(m).ok())
                    .is_none_or(|age| age < GIVE_UP);
                let mut is_whole = |path: &Path| {
                    let stamp = now.get(path).copied().unwrap_or((0, None));
                    match checked.get(path) {
                        Some((at, answer)) if *at == stamp => *answer,
                        _ => {
                            let answer = whole(path);
                            checked.insert(path.to_path_buf(), (stamp, answer));
                            answer
                        }
                    }
                };
                (changed && recent && !is_whole(path)).then(|| path.clone())
            }
            _ => None,
        };
        match fresh {
            Some(path) => arrival.waiting.push(path),
            None => arrival.inputs.push(input),
        }
    }
    arrival
}

/// Whether the file reads to its end: gzip members complete, and text (once inflated)
/// that ends with a closing bracket or a line end, as a finished delivery does.
pub fn whole(path: &Path) -> bool {
    // A file past the input limit is not waited on: the load reads it now, and says it is
    // too large (a sparse file of gigabytes was read whole every half second).
    let bytes = match crate::files::read_regular(path, source::DEFAULT_MAX_FILE_SIZE) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => return true,
        Err(_) => return false,
    };
    let mut text = Vec::new();
    let inflated = source::inflate(
        &path.display().to_string(),
        &bytes,
        source::DEFAULT_MAX_FILE_SIZE,
        &mut text,
        &mut || {},
    );
    if inflated.damage.is_some() {
        return false;
    }
    let body = inflated.text.trim_ascii_end();
    matches!(body.last(), Some(b'}' | b']')) || inflated.text.ends_with(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file past the input limit is never read to see whether it is whole: the load
    /// reads it at once (and says it is too large).
    #[test]
    fn a_huge_file_is_not_read_to_see_whether_it_is_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let huge = dir.path().join("huge.json");
        std::fs::File::create(&huge)
            .and_then(|f| f.set_len(3 << 30))
            .expect("sparse");
        let started = std::time::Instant::now();
        assert!(whole(&huge));
        assert!(started.elapsed() < Duration::from_secs(2));
        let half = dir.path().join("half.json");
        std::fs::write(&half, "{\"Records\":[{\"eventID\":\"a\"").expect("write");
        assert!(!whole(&half));
    }
}
