//! The floor a load is measured against: read every `.json.gz` under a folder, inflate it
//! (libdeflate, as the loader does) and parse each event's indexed fields with serde_json,
//! on all cores, building no index. Prints the events counted.
//!
//! `cargo run --release --example floor -- bench-data/1m`

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;
use trailscope::event::RawEvent;
use trailscope::source;

#[derive(Deserialize)]
struct Records<'a> {
    #[serde(borrow, rename = "Records")]
    records: Vec<RawEvent<'a>>,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.to_string_lossy().ends_with(".json.gz") {
            out.push(path);
        }
    }
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench-data/1m".into());
    let mut files = Vec::new();
    walk(Path::new(&root), &mut files);
    let next = AtomicUsize::new(0);
    let events = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut buf = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let Ok(stored) = std::fs::read(path) else {
                        continue;
                    };
                    let text = source::inflate("", &stored, 1 << 30, &mut buf, &mut || {}).text;
                    if let Ok(doc) = serde_json::from_slice::<Records>(text) {
                        let times = doc.records.iter().filter(|e| e.time().0.is_some()).count();
                        events.fetch_add(times, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    println!(
        "{} files, {} events",
        files.len(),
        events.load(Ordering::Relaxed)
    );
}
