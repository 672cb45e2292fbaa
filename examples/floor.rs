//! The floors a load is measured against: read every `.json.gz` under a folder and inflate
//! it (libdeflate, as the loader does), on all cores, building no index; then, by mode:
//!
//! - `inflate`: nothing more (prints the bytes of JSON);
//! - `serde` (the default): each event's indexed fields parsed by serde_json;
//! - `fast`: the same fields read by the loader's fast reader (`event::fast`);
//! - `grams [PHRASE]`: the saved index's summary of each file made, and with a phrase, how
//!   many files the summaries would read for it.
//!
//! `cargo run --release --example floor -- bench-data/1m [MODE] [PHRASE]`

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

/// The events of a `{"Records":[…]}` document read by the fast reader, each element where
/// it starts (no serde; a document it cannot read counts none).
fn records_fast(text: &str) -> usize {
    let bytes = text.as_bytes();
    let ws = |mut p: usize| {
        while bytes.get(p).is_some_and(|b| b.is_ascii_whitespace()) {
            p += 1;
        }
        p
    };
    let Some(open) = text.find('[') else {
        return 0;
    };
    let (mut p, mut n) = (ws(open + 1), 0);
    while let Some((event, end)) = trailscope::event::fast::read(text, p) {
        n += usize::from(event.time().0.is_some());
        p = ws(end);
        match bytes.get(p) {
            Some(b',') => p = ws(p + 1),
            _ => break,
        }
    }
    n
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench-data/1m".into());
    let mode = std::env::args().nth(2).unwrap_or_else(|| "serde".into());
    let mode = mode.as_str();
    // `grams PHRASE`: also how many files the summaries would read for the phrase, and how
    // many hold it.
    let phrase = std::env::args()
        .nth(3)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let needle = trailscope::store::grams::Needle::new(phrase.as_bytes());
    let (read, holding, set) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
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
                    if mode == "grams" {
                        let grams = trailscope::store::grams::Grams::of(text);
                        events.fetch_add(grams.words().len(), Ordering::Relaxed);
                        let ones: u32 = grams.words().iter().map(|w| w.count_ones()).sum();
                        set.fetch_add(ones as usize, Ordering::Relaxed);
                        if let Some(needle) = &needle {
                            let lower = text.to_ascii_lowercase();
                            let held = memchr::memmem::find(&lower, phrase.as_bytes()).is_some();
                            if grams.may_hold(needle) {
                                read.fetch_add(1, Ordering::Relaxed);
                            }
                            if held {
                                holding.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        continue;
                    }
                    if mode == "fast" {
                        let n = std::str::from_utf8(text).map_or(0, records_fast);
                        events.fetch_add(n, Ordering::Relaxed);
                        continue;
                    }
                    if mode == "inflate" {
                        events.fetch_add(text.len(), Ordering::Relaxed);
                        continue;
                    }
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
    if mode == "grams" {
        let words = events.load(Ordering::Relaxed);
        println!(
            "summaries: {} bytes, {:.1} % of their bits set",
            words * 8,
            100.0 * set.load(Ordering::Relaxed) as f64 / (words * 64) as f64
        );
    }
    if needle.is_some() {
        println!(
            "{phrase:?}: {} files may hold it, {} do",
            read.load(Ordering::Relaxed),
            holding.load(Ordering::Relaxed)
        );
    }
}
