//! The loader's fast reader (`event::fast`) against serde_json, which it must agree with
//! wherever it answers: at every object of every fixture, and on damaged copies of events.

use std::io::Read;
use std::path::Path;

use trailscope::event::{fast, RawEvent};

/// serde's reading of the object at `pos`: the event (as its `Debug` text) and the
/// offset after it, or `None` when it refuses.
fn by_serde(text: &str, pos: usize) -> Option<(String, usize)> {
    let mut stream = serde_json::Deserializer::from_str(&text[pos..]).into_iter::<RawEvent>();
    match stream.next() {
        Some(Ok(event)) => Some((format!("{event:?}"), pos + stream.byte_offset())),
        _ => None,
    }
}

fn by_fast(text: &str, pos: usize) -> Option<(String, usize)> {
    fast::read(text, pos).map(|(event, end)| (format!("{event:?}"), end))
}

/// Every `.json` and `.json.gz` under `dir`.
fn texts(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = path.to_string_lossy().into_owned();
        if path.is_dir() {
            texts(&path, out);
        } else if name.ends_with(".json") {
            out.extend(std::fs::read_to_string(&path).ok());
        } else if name.ends_with(".json.gz") {
            let mut text = String::new();
            let bytes = std::fs::read(&path).expect("read");
            if flate2::read::MultiGzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .is_ok()
            {
                out.push(text);
            }
        }
    }
}

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    texts(&root.join("tests/fixtures"), &mut out);
    texts(&root.join("assets/demo"), &mut out);
    assert!(out.len() > 50, "{}", out.len());
    out
}

/// At every `{` of every fixture (events, and every object inside them), the fast
/// reader agrees with serde or leaves it to serde; and it reads nearly every event.
#[test]
fn agrees_with_serde_at_every_object_of_every_fixture() {
    let (mut objects, mut fast, mut events, mut events_fast) = (0, 0, 0, 0);
    for text in corpus() {
        for (pos, _) in text.match_indices('{') {
            objects += 1;
            let slow = by_serde(&text, pos);
            let quick = by_fast(&text, pos);
            if let Some(quick) = &quick {
                fast += 1;
                assert_eq!(slow.as_ref(), Some(quick), "at {pos} of {}", &text[pos..]);
            }
            if text[pos..].starts_with("{\"eventVersion\"") {
                events += 1;
                events_fast += usize::from(quick.is_some());
            }
        }
    }
    assert!(objects > 100_000 && fast > 0, "{objects} {fast}");
    // It leaves none of them to serde.
    assert_eq!(events_fast, events);
}

/// Damaged copies of events (a byte deleted, replaced or inserted): the fast reader
/// never accepts what serde refuses, and agrees where both read.
#[test]
fn damaged_events_are_refused_or_read_as_serde_reads_them() {
    let corpus = corpus();
    let events: Vec<&str> = corpus
        .iter()
        .flat_map(|text| {
            text.match_indices("{\"eventVersion\"")
                .filter_map(|(pos, _)| by_serde(text, pos).map(|(_, end)| &text[pos..end]))
                .take(3)
        })
        .collect();
    assert!(events.len() > 500, "{}", events.len());
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let bytes = br#"{}[],:"\ 0123456789-+.eEtfnul/bu"#;
    let (mut tried, mut refused) = (0, 0);
    for event in &events {
        for _ in 0..16 {
            let mut damaged = event.as_bytes().to_vec();
            let at = next(damaged.len());
            match next(3) {
                0 => {
                    damaged.remove(at);
                }
                1 => damaged[at] = bytes[next(bytes.len())],
                _ => damaged.insert(at, bytes[next(bytes.len())]),
            }
            let Ok(text) = String::from_utf8(damaged) else {
                continue;
            };
            tried += 1;
            let slow = by_serde(&text, 0);
            match by_fast(&text, 0) {
                Some(quick) => assert_eq!(slow, Some(quick), "{text}"),
                None => refused += usize::from(slow.is_none()),
            }
        }
    }
    assert!(tried > 10_000 && refused > 1_000, "{tried} {refused}");
}
