//! Hostile and broken input: each case of the corpus with its exact outcome, random
//! mutations of real files, and terminal-safe output (filesystem trouble: `filesystem.rs`).
//!
//! The corpus is generated here rather than committed: several cases are large (a 50 MB
//! event, a gzip bomb that inflates to 20 GB) and all are easier to read as code.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use flate2::write::GzEncoder;
use flate2::Compression;

use trailscope::store::Col;
use trailscope_synth::Rng;

mod common;

use common::input::{case, event, gzip, load, problems, records, run};
use common::tmux::{tmux, Session};

// ---------------------------------------------------------------- the corpus

#[test]
fn truncated_gzip_keeps_the_complete_events_before_the_damage() {
    let full = gzip(records(2000).as_bytes());
    let c = case("truncated.json.gz", &full[..full.len() / 2]);
    let (store, report) = load(&c.path);
    let loaded = store.len();
    assert!(loaded > 500 && loaded < 2000, "{loaded}");
    // Exactly the events wholly inside the salvaged text.
    let ids: Vec<String> = (0..loaded).map(|r| store.event_id(r).to_string()).collect();
    let expected: Vec<String> = (0..loaded).map(|i| format!("e{i}")).collect();
    assert_eq!(ids, expected);
    let p = problems(&report, c.dir.path());
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p[0].starts_with("truncated.json.gz: broken gzip after "),
        "{}",
        p[0]
    );
    assert!(p[1].starts_with("truncated.json.gz:1:"), "{}", p[1]);
    assert!(
        p[1].ends_with(": malformed JSON: EOF while parsing a string")
            || p[1].contains("EOF while parsing"),
        "{}",
        p[1]
    );
    let (out, _, code) = run(
        &["query", c.path.to_str().unwrap_or(""), "--count"],
        c.dir.path(),
    );
    assert_eq!((out.trim(), code), (loaded.to_string().as_str(), Some(3)));
}

#[test]
fn gzip_of_garbage_is_not_json() {
    let mut rng = Rng::new(7);
    let garbage: Vec<u8> = (0..4096)
        .map(|_| (rng.next_u64() % 200 + 40) as u8)
        .collect();
    let c = case("garbage.json.gz", &gzip(&garbage));
    let (store, report) = load(&c.path);
    assert_eq!(store.len(), 0);
    assert_eq!(
        problems(&report, c.dir.path()),
        ["garbage.json.gz:1:1: not CloudTrail: not JSON"]
    );
    let (_, err, code) = run(
        &["query", c.path.to_str().unwrap_or(""), "--count"],
        c.dir.path(),
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("garbage.json.gz:1:1: not CloudTrail: not JSON"),
        "{err}"
    );
}

#[test]
fn empty_file_and_empty_gzip() {
    for (name, bytes) in [("empty.json", Vec::new()), ("empty.json.gz", gzip(b""))] {
        let c = case(name, &bytes);
        let (store, report) = load(&c.path);
        assert_eq!(store.len(), 0);
        assert_eq!(
            problems(&report, c.dir.path()),
            [format!(
                "{name}:1:1: not CloudTrail: empty input, no events"
            )]
        );
        let (out, _, code) = run(
            &["query", c.path.to_str().unwrap_or(""), "--count"],
            c.dir.path(),
        );
        assert_eq!((out.as_str(), code), ("", Some(1)), "{name}");
    }
}

#[test]
fn records_null_object_and_non_objects() {
    let cases = [
        (
            "{\"Records\":null}",
            0,
            vec!["x.json:1:12: not CloudTrail: `Records` is null, not an array"],
        ),
        (
            "{\"Records\":{}}",
            0,
            vec!["x.json:1:12: not CloudTrail: `Records` is an object, not an array"],
        ),
        (
            &*format!(
                "{{\"Records\":[7,null,\"x\",[],{}]}}",
                event("ok", "2024-05-03T14:00:00Z")
            ),
            1,
            vec![
                "x.json:1:13: not CloudTrail: a number, not an event object",
                "x.json:1:15: not CloudTrail: null, not an event object",
                "x.json:1:20: not CloudTrail: a string, not an event object",
                "x.json:1:24: not CloudTrail: an array, not an event object",
            ],
        ),
    ];
    for (text, events, expected) in cases {
        let c = case("x.json", text.as_bytes());
        let (store, report) = load(&c.path);
        assert_eq!(store.len(), events, "{text}");
        assert_eq!(problems(&report, c.dir.path()), expected, "{text}");
    }
}

#[test]
fn missing_empty_and_garbage_event_times_are_kept_first_and_flagged() {
    let text = format!(
        "[{},{},{},{}]",
        event("good", "2024-05-03T14:00:00Z"),
        r#"{"eventVersion":"1.08","eventName":"NoTime","eventID":"missing"}"#,
        event("empty", ""),
        event("garbage", "the 3rd of May"),
    );
    let c = case("times.json", text.as_bytes());
    let (store, report) = load(&c.path);
    assert_eq!(problems(&report, c.dir.path()), Vec::<String>::new());
    let ids: Vec<String> = (0..store.len())
        .map(|r| store.event_id(r).to_string())
        .collect();
    assert_eq!(ids, ["missing", "empty", "garbage", "good"]);
    let flagged: Vec<bool> = (0..store.len()).map(|r| store.time(r).is_none()).collect();
    assert_eq!(flagged, [true, true, true, false]);
}

#[test]
fn booleans_written_as_strings() {
    let text = r#"[{"eventVersion":"1.08","eventName":"A","eventID":"s","readOnly":"true"},{"eventVersion":"1.08","eventName":"B","eventID":"b","readOnly":false},{"eventVersion":"1.08","eventName":"C","eventID":"n","readOnly":"yes"}]"#;
    let c = case("bools.json", text.as_bytes());
    let (store, _) = load(&c.path);
    let read_only: Vec<Option<bool>> = (0..store.len()).map(|r| store.read_only(r)).collect();
    assert_eq!(read_only, [Some(true), Some(false), None]);
}

#[test]
fn invalid_utf8_inside_strings_is_replaced_and_reported() {
    let mut bytes = records(3).into_bytes();
    let at = bytes.windows(5).position(|w| w == b"alice").expect("alice");
    bytes[at + 1] = 0xff;
    let c = case("utf8.json", &bytes);
    let (store, report) = load(&c.path);
    assert_eq!(store.len(), 3);
    assert_eq!(store.get(Col::Principal, 0), "a\u{fffd}ice");
    assert_eq!(
        problems(&report, c.dir.path()),
        [format!(
            "utf8.json: invalid UTF-8 at byte {} replaced with U+FFFD",
            at + 1
        )]
    );
}

#[test]
fn ten_thousand_deep_nesting_costs_only_itself() {
    let deep = format!(
        r#"{{"eventVersion":"1.08","eventName":"Deep","eventID":"deep","requestParameters":{}0{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let text = format!(
        "{{\"Records\":[{},{deep},{}]}}",
        event("before", "2024-05-03T14:00:00Z"),
        event("after", "2024-05-03T14:00:01Z")
    );
    let c = case("deep.json", text.as_bytes());
    let (store, report) = load(&c.path);
    // serde_json skips unknown members without recursing, so even this event loads; it
    // has no eventTime, so it comes first. The detail pane shows it as raw text.
    let ids: Vec<String> = (0..store.len())
        .map(|r| store.event_id(r).to_string())
        .collect();
    assert_eq!(ids, ["deep", "before", "after"]);
    assert_eq!(problems(&report, c.dir.path()), Vec::<String>::new());
    let lines = trailscope::tui::detail::pretty(&store.event_json(0), true);
    assert_eq!(
        lines.len(),
        store.event_json(0).chars().count().div_ceil(100)
    );
    // Deep where a field the index reads is: the field reads as absent, the event stays.
    let deeper = format!(
        r#"{{"eventVersion":"1.08","eventID":"x","userIdentity":{}0{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let text = format!("[{deeper},{}]", event("after", "2024-05-03T14:00:01Z"));
    let c = case("deeper.json", text.as_bytes());
    let (store, report) = load(&c.path);
    let ids: Vec<String> = (0..store.len())
        .map(|r| store.event_id(r).to_string())
        .collect();
    assert_eq!(ids, ["x", "after"]);
    assert_eq!(store.get(Col::Principal, 0), "");
    assert_eq!(problems(&report, c.dir.path()), Vec::<String>::new());
}

#[test]
fn one_50_mb_event_loads_whole() {
    let big = "x".repeat(50 << 20);
    let text = format!(
        r#"{{"Records":[{{"eventVersion":"1.08","eventTime":"2024-05-03T14:00:00Z","eventName":"PutObject","eventID":"big","requestParameters":{{"blob":"{big}"}}}}]}}"#
    );
    let c = case("big.json.gz", &gzip(text.as_bytes()));
    let (store, report) = load(&c.path);
    assert!(!report.has_problems());
    assert_eq!(store.len(), 1);
    assert_eq!(
        store.event_json(0).len(),
        text.len() - "{\"Records\":[]}".len()
    );
    let expr = trailscope::query::parse("requestParameters.blob:x*").expect("filter");
    assert_eq!(
        expr.rows(&store, &trailscope::store::Session::default()),
        [0]
    );
}

#[test]
fn json_lines_with_one_bad_line_among_good_ones() {
    let text = format!(
        "{}\n{}\n{{\"eventVersion\":\"1.08\",\"eventName\":\n{}\n",
        event("1", "2024-05-03T14:00:00Z"),
        event("2", "2024-05-03T14:00:01Z"),
        event("4", "2024-05-03T14:00:03Z"),
    );
    let c = case("lines.jsonl", text.as_bytes());
    let (store, report) = load(&c.path);
    let ids: Vec<String> = (0..store.len())
        .map(|r| store.event_id(r).to_string())
        .collect();
    assert_eq!(ids, ["1", "2", "4"]);
    assert_eq!(problems(&report, c.dir.path()), ["lines.jsonl:3:36: malformed JSON: incomplete value at the end of the line (EOF while parsing an object)"]);
}

/// A gzip bomb: one member inflating 1 GiB of zeros, repeated 20 times: ~20 MB that
/// inflate to 20 GiB.
fn bomb(dir: &Path) -> PathBuf {
    let mut member = GzEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        member.write_all(&zeros).expect("gzip");
    }
    let member = member.finish().expect("gzip");
    let path = dir.join("bomb.json.gz");
    let mut file = fs::File::create(&path).expect("create");
    for _ in 0..20 {
        file.write_all(&member).expect("write");
    }
    path
}

#[test]
fn gzip_bomb_stops_at_the_limit_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = bomb(dir.path());
    assert!(fs::metadata(&path).expect("meta").len() < 25 << 20);
    let start = Instant::now();
    let (out, err, code) = run(
        &[
            "query",
            path.to_str().unwrap_or(""),
            "--count",
            "--max-file-size",
            "256M",
        ],
        dir.path(),
    );
    let elapsed = start.elapsed();
    assert_eq!(code, Some(1));
    assert_eq!(out, "");
    assert!(
        err.contains(
            "bomb.json.gz: inflates to more than 268435456 bytes; raise --max-file-size to load it"
        ),
        "{err}"
    );
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}

// ---------------------------------------------------------------- mutations

/// What an independent reading of the same bytes finds: serde_json over the whole text
/// (gzip inflated by flate2), events counted by the shape rules. `None` when serde_json
/// cannot read the text as one JSON value (then it says nothing about the events).
fn reference_events(bytes: &[u8]) -> Option<usize> {
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(bytes), &mut out).ok()?;
        out
    } else {
        bytes.to_vec()
    };
    let value: serde_json::Value = serde_json::from_slice(&text).ok()?;
    let is_event = |v: &serde_json::Value| {
        ["eventVersion", "eventName", "eventID"]
            .iter()
            .any(|k| match v.get(k) {
                Some(serde_json::Value::String(s)) => !s.is_empty(),
                Some(serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => true,
                _ => false,
            })
    };
    let count = |list: &Vec<serde_json::Value>| list.iter().filter(|v| is_event(v)).count();
    Some(match &value {
        serde_json::Value::Array(list) => count(list),
        serde_json::Value::Object(map) => match map.get("Records") {
            Some(serde_json::Value::Array(list)) => count(list),
            _ => usize::from(is_event(&value)),
        },
        _ => 0,
    })
}

/// Loads `bytes` on another thread; fails if that takes more than 20 s (a hang), and when
/// an independent reading finds events that the loader neither loaded nor reported.
fn load_bounded(bytes: Vec<u8>, name: &str) -> Option<usize> {
    let reference = reference_events(&bytes);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    fs::write(&path, &bytes).expect("write");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (store, report) = load(&path);
        // Touch what the explorer and the outputs would.
        for row in 0..store.len().min(50) {
            let _ = store.event_json(row);
        }
        let _ = tx.send((store.len() + report.duplicates, report.problems().count()));
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok((found, problems)) => {
            if let Some(expected) = reference {
                assert!(
                    found >= expected || problems > 0,
                    "a mutation of {name}: serde_json reads {expected} events, the loader \
                     found {found} and reported nothing"
                );
            }
            reference
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("loading a mutation of {name} hung"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("loading a mutation of {name} panicked")
        }
    }
}

#[test]
fn random_mutations_of_real_files_never_panic_hang_or_lose_events() {
    let cases: usize = std::env::var("TRAILSCOPE_MUTATION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let sources = [
        "real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz",
        "real/trailscraper/events-for-smoke-test.json",
        "real/stratus-red-team/aws.defense-evasion.cloudtrail-stop.json",
        "seeds/ses-v1-1.json",
        "seeds/user-notifications-1.json",
        "real/grycap-cloudtrail-tracker/974349055189_CloudTrail_us-east-1_20170601T0005Z_12nCTooUATtsirhW.json",
    ];
    let originals: Vec<(String, Vec<u8>)> = sources
        .iter()
        .map(|s| {
            (
                s.rsplit('/').next().unwrap_or("x").to_string(),
                fs::read(root.join(s)).expect("fixture"),
            )
        })
        .collect();
    let mut rng = Rng::new(0x5eed);
    let start = Instant::now();
    let mut referenced = 0;
    for i in 0..cases {
        let (name, original) = &originals[i % originals.len()];
        let mut bytes = original.clone();
        let other = originals[rng.below(originals.len())].1.clone();
        mutate(&mut rng, &mut bytes, &other);
        referenced += usize::from(load_bounded(bytes, name).is_some());
    }
    // Straight to stderr, past the harness's capture: how much the property was tried.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "mutations: {cases} cases in {:.1} s, {referenced} also read by serde_json\n",
            start.elapsed().as_secs_f64()
        )
        .as_bytes(),
    );
}

/// One random mutation of `bytes`: flipped bits, a cut, a splice of `other`, or a
/// structural byte inserted.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8]) {
    if bytes.is_empty() {
        bytes.push(b'{');
    }
    match rng.below(4) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
        }
        1 => bytes.truncate(rng.below(bytes.len())),
        2 if !other.is_empty() => {
            let from = rng.below(other.len());
            let len = rng.below(other.len() - from);
            let at = rng.below(bytes.len());
            bytes.splice(at..at, other[from..from + len].iter().copied());
        }
        _ => {
            let at = rng.below(bytes.len());
            let c = *rng.pick(&[
                b'{', b'}', b'[', b']', b'"', b'&', b'*', b'\\', b':', 0u8, 0xff,
            ]);
            bytes.insert(at, c);
        }
    }
}

/// Runs `work` on another thread: fails on a panic, or past 20 s (a hang).
fn bounded<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} hung"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked"),
    }
}

/// The files the product keeps or is given besides logs — the case file, the saved index
/// and rule files — mutated at random: never a panic or a hang; a damaged index is never
/// trusted (the trail loads with every event), a damaged case or rule is a problem named.
#[test]
fn random_mutations_of_the_case_the_index_and_rules_never_panic_or_hang() {
    let cases: usize = std::env::var("TRAILSCOPE_MUTATION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let mut rng = Rng::new(0xca5e);
    let start = Instant::now();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // A saved index of a small trail, and the events a fresh load finds.
    let trail = tempfile::tempdir().expect("tempdir");
    fs::copy(
        root.join("tests/fixtures/chains/chains.json"),
        trail.path().join("chains.json"),
    )
    .expect("copy");
    let cache = tempfile::tempdir().expect("tempdir");
    let options = trailscope::load::LoadOptions {
        index_dir: Some(cache.path().to_path_buf()),
        ..trailscope::load::LoadOptions::default()
    };
    let progress = trailscope::load::Progress::default();
    let (fresh, _) =
        trailscope::store::Store::load_paths(&[trail.path().to_path_buf()], &options, &progress);
    let index = fs::read_dir(cache.path())
        .expect("cache")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .expect("an index");
    let index_bytes = fs::read(&index).expect("index");
    // A case file as the explorer writes it.
    let mut case = trailscope::case::Case::new(vec!["demo".into()]);
    case.marks.push(trailscope::case::Mark {
        event_id: "chain-e01".into(),
        event_time: "2024-06-10T09:00:00Z".into(),
        account: "111122223333".into(),
        sha256: "00".repeat(32),
        note: "a note".into(),
    });
    case.filter = "principal:deployer".into();
    let case_bytes = serde_json::to_vec_pretty(&case).expect("case json");
    // Rule files as shipped.
    let rules: Vec<Vec<u8>> = ["aws_ec2_disable_encryption.yml", "aws_sso_idp_change.yml"]
        .iter()
        .map(|f| fs::read(root.join("assets/sigma/sigmahq").join(f)).expect("rule"))
        .collect();
    for i in 0..cases {
        match i % 3 {
            0 => {
                let mut bytes = index_bytes.clone();
                mutate(&mut rng, &mut bytes, &case_bytes);
                fs::write(&index, &bytes).expect("write");
                let (paths, options) = (vec![trail.path().to_path_buf()], options.clone());
                let events = bounded("opening a mutated index", move || {
                    let progress = trailscope::load::Progress::default();
                    trailscope::store::Store::load_paths(&paths, &options, &progress)
                        .0
                        .len()
                });
                assert_eq!(
                    events,
                    fresh.len(),
                    "a damaged index was trusted (case {i})"
                );
            }
            1 => {
                let mut bytes = case_bytes.clone();
                mutate(
                    &mut rng,
                    &mut bytes,
                    &index_bytes[..4096.min(index_bytes.len())],
                );
                let dir = tempfile::tempdir().expect("tempdir");
                let path = dir.path().join("case.json");
                fs::write(&path, &bytes).expect("write");
                bounded("reading a mutated case", move || {
                    let _ = trailscope::case::Case::read(&path);
                });
            }
            _ => {
                let mut bytes = rules[i % rules.len()].clone();
                mutate(&mut rng, &mut bytes, &rules[(i + 1) % rules.len()]);
                let dir = tempfile::tempdir().expect("tempdir");
                fs::write(dir.path().join("rule.yml"), &bytes).expect("write");
                let folder = dir.path().to_path_buf();
                let set = bounded("reading a mutated rule", move || {
                    trailscope::detect::RuleSet::load(false, &[folder])
                });
                assert_eq!(set.rules.len() + set.problems.len().min(1), 1, "case {i}");
            }
        }
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "mutations of the case, index and rules: {cases} cases in {:.1} s\n",
            start.elapsed().as_secs_f64()
        )
        .as_bytes(),
    );
}

// ---------------------------------------------------------------- output safety

const HOSTILE: &str = r#"{"eventVersion":"1.08","eventTime":"2024-05-03T14:02:11Z","eventSource":"iam.amazonaws.com","eventName":"Get\u001b[2J\u001b]0;pwned\u0007User","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9\r\b\b\b\u0000","userAgent":"evil\u202eelif\u2066x","userIdentity":{"type":"IAMUser","userName":"=cmd|' /C calc'!A0"},"errorCode":"\u009b31m","recipientAccountId":"111122223333","eventID":"h1"}"#;

fn has_raw_control(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c != '\n' && trailscope::text::is_unsafe(c))
}

#[test]
fn table_output_escapes_every_control_character() {
    let c = case("hostile.json", HOSTILE.as_bytes());
    let (out, _, code) = run(
        &["query", c.path.to_str().unwrap_or(""), "-o", "table"],
        c.dir.path(),
    );
    assert_eq!(code, Some(0));
    assert_eq!(has_raw_control(&out), None, "{out:?}");
    assert!(out.contains("Get\\x1b[2J\\x1b]0;pwned\\x07User"), "{out}");
    assert!(out.contains("203.0.113.9\\r\\x08\\x08\\x08\\x00"), "{out}");
    assert!(out.contains("\\x9b31m"), "{out}");
}

#[test]
fn csv_defuses_and_jsonl_keeps_json_escapes() {
    let c = case("hostile.json", HOSTILE.as_bytes());
    let (out, _, _) = run(
        &["query", c.path.to_str().unwrap_or(""), "-o", "csv"],
        c.dir.path(),
    );
    let row = out.lines().nth(1).expect("a row");
    assert!(row.contains(",'=cmd|' /C calc'!A0,"), "{row}");
    assert_eq!(has_raw_control(&out), None, "{out:?}");
    let (out, _, _) = run(
        &["query", c.path.to_str().unwrap_or(""), "-o", "jsonl"],
        c.dir.path(),
    );
    assert_eq!(has_raw_control(&out), None, "{out:?}");
    assert!(
        out.contains(r#""eventName":"Get\u001b[2J\u001b]0;pwned\u0007User""#),
        "{out}"
    );
    assert!(
        out.contains(r#""userAgent":"evil\u202eelif\u2066x""#),
        "{out}"
    );
    let value: serde_json::Value = serde_json::from_str(out.trim()).expect("still JSON");
    assert_eq!(value["userAgent"], "evil\u{202e}elif\u{2066}x");
}

#[test]
fn the_explorer_shows_no_raw_control_character() {
    use trailscope::tui::app::{Action, App};

    let c = case("hostile.json", HOSTILE.as_bytes());
    let (store, report) = load(&c.path);
    let mut app = App::new(String::new(), false);
    app.apply(Action::loaded(store, report));
    let buffer = trailscope::tui::render(&mut app, 160, 45);
    let mut screen = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            screen.push_str(buffer[(x, y)].symbol());
        }
        screen.push('\n');
    }
    assert_eq!(has_raw_control(&screen), None);
    assert!(screen.contains("Get\\x1b[2J\\x1b]0;pwned\\x07"), "{screen}");
    assert!(screen.contains("evil\\u{202e}elif\\u{2066}x"), "{screen}");
}

#[test]
fn the_explorer_in_tmux_is_not_driven_by_the_log() {
    let c = case("hostile.json", HOSTILE.as_bytes());
    let command = format!("{} {}", env!("CARGO_BIN_EXE_trailscope"), c.path.display());
    let Some(t) = Session::start("hostile", &command) else {
        return;
    };
    let screen = t.wait_for(&["1 of 1 events"]);
    let title = tmux(&["display-message", "-p", "-t", &t.name, "#{pane_title}"]);
    let title = String::from_utf8_lossy(&title.stdout);
    assert!(screen.contains("Get\\x1b[2J\\x1b]0;pwned\\x07"), "{screen}");
    assert!(
        !title.contains("pwned"),
        "the log retitled the terminal: {title}"
    );
}

#[test]
fn markers_and_empty_files_in_a_folder_are_no_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("spark-out");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("_SUCCESS"), b"").expect("write");
    std::fs::write(out.join("._SUCCESS.crc"), b"\x00\x01crc").expect("write");
    std::fs::write(out.join(".part-00000.json.crc"), b"crc\x00\x02").expect("write");
    std::fs::write(dir.path().join("logs_$folder$"), b"").expect("write");
    std::fs::write(out.join("part-00001.json"), b"").expect("write");
    std::fs::write(
        out.join("part-00000.json"),
        format!("{}\n", common::input::event("m1", "2024-05-02T14:00:00Z")),
    )
    .expect("write");
    let root = dir.path().to_str().unwrap_or("");
    let (out_text, err, code) = run(&["query", root, "--count"], dir.path());
    assert_eq!(
        (out_text.as_str(), err.as_str(), code),
        ("1\n", "", Some(0))
    );
    let (check, _, code) = run(&["check", root], dir.path());
    assert_eq!(code, Some(0), "{check}");
    assert!(
        check.contains("_SUCCESS: ignored (a marker file)"),
        "{check}"
    );
    assert!(
        check.contains("part-00001.json: ignored (empty or not JSON)"),
        "{check}"
    );
    assert!(
        check.contains("logs_$folder$: ignored (a marker file)"),
        "{check}"
    );
}

/// A rules folder with a link to itself, a link to /usr, a FIFO and a link to /dev/zero
/// named like rules: read in a moment, each bad file named, nothing waits or wanders off.
#[test]
fn a_hostile_rules_folder_neither_hangs_nor_reads_without_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules");
    fs::create_dir(&rules).expect("mkdir");
    fs::write(
        rules.join("good.yml"),
        "title: Good\nid: 0b3c1d2e-0000-4000-8000-000000000001\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  selection:\n    eventName: StopLogging\n  condition: selection\nlevel: high\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(".", rules.join("loop")).expect("link");
    std::os::unix::fs::symlink("/usr", rules.join("usr")).expect("link");
    std::os::unix::fs::symlink("/dev/zero", rules.join("zero.yml")).expect("link");
    common::mkfifo(&rules.join("fifo.yml"));
    let (tx, rx) = mpsc::channel();
    let folder = rules.clone();
    std::thread::spawn(move || {
        let _ = tx.send(trailscope::detect::RuleSet::load(false, &[folder]));
    });
    let set = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the rules load in time");
    assert_eq!(set.rules.len(), 1);
    let mut problems: Vec<String> = set
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.file.rsplit('/').next().unwrap_or(""), p.reason))
        .collect();
    problems.sort();
    assert_eq!(
        problems,
        [
            "fifo.yml: not a regular file",
            "zero.yml: not a regular file"
        ]
    );
}

/// A rule file of aliases of aliases (a "billion laughs", 600 bytes) is refused before it
/// expands; a condition of 20,000 `or` terms is a list, run without a deep recursion.
#[test]
fn yaml_aliases_and_long_conditions_are_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut laughs = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut previous = "a";
    for name in names {
        laughs.push_str(&format!(
            "{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"
        ));
        previous = name;
    }
    laughs.push_str(
        "title: Laughs\ndetection:\n  selection:\n    eventName: x\n  condition: selection\n",
    );
    fs::write(dir.path().join("laughs.yml"), &laughs).expect("write");
    let terms = vec!["selection"; 20_000].join(" or ");
    fs::write(
        dir.path().join("long.yml"),
        format!("title: Long\nid: 0b3c1d2e-0000-4000-8000-000000000002\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  selection:\n    eventName: StopLogging\n  condition: {terms}\nlevel: high\n"),
    )
    .expect("write");
    let (tx, rx) = mpsc::channel();
    let folder = dir.path().to_path_buf();
    std::thread::spawn(move || {
        let set = trailscope::detect::RuleSet::load(false, &[folder]);
        let (store, _) = trailscope::store::Store::load(
            &trailscope::demo::inputs(),
            &trailscope::load::LoadOptions::default(),
            &trailscope::load::Progress::default(),
        );
        let found = trailscope::detect::run(&store, &set);
        let _ = tx.send((set, found.iter().map(|h| h.rows.len()).sum::<usize>()));
    });
    let (set, hits) = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("bounded in time");
    assert_eq!(set.rules.len(), 1);
    assert_eq!(set.problems.len(), 1);
    assert!(
        set.problems[0]
            .reason
            .starts_with("its aliases expand to more than 100000 nodes"),
        "{}",
        set.problems[0].reason
    );
    // The demo's one StopLogging.
    assert_eq!(hits, 1);
}

/// A crafted first line shaped like an Athena row does not make the real CloudTrail events
/// after it read as rows: they are written out exactly as logged.
#[test]
fn one_athena_shaped_line_rewrites_no_other_event() {
    let real = [
        common::input::event("r1", "2024-05-03T14:00:00Z").replace(
            "\"eventID\"",
            "\"errorCode\":null,\"readOnly\":\"true\",\"eventID\"",
        ),
        common::input::event("r2", "2024-05-03T14:00:01Z"),
    ];
    let text = format!(
        "{{\"eventtime\":\"2024-05-03T13:00:00Z\",\"eventname\":\"Decoy\",\"eventid\":\"d\"}}\n{}\n{}\n",
        real[0], real[1]
    );
    let c = case("mixed.jsonl", text.as_bytes());
    let (out, _, code) = run(
        &[
            "query",
            c.path.to_str().unwrap_or(""),
            "-q",
            "-w",
            "id:r*",
            "-o",
            "jsonl",
        ],
        c.dir.path(),
    );
    assert_eq!(code, Some(0));
    assert_eq!(out, format!("{}\n{}\n", real[0], real[1]));
}

/// CloudTrail Lake results with one bad row, a numeric value and a status-only last page:
/// the bad row is the one problem, every other event loads.
#[test]
fn one_bad_lake_row_costs_one_row() {
    let text = fs::read_to_string(common::fixture("lake/query-results-chains.json")).expect("read");
    let mut page: serde_json::Value = serde_json::from_str(&text).expect("json");
    let rows = page["QueryResultRows"].as_array_mut().expect("rows");
    assert_eq!(rows.len(), 15);
    rows.insert(3, serde_json::json!("not a row"));
    rows[0][0] = serde_json::json!({"eventVersion": 1.09});
    let saved = format!(
        "{page}\n{}\n",
        serde_json::json!({"QueryStatus": "FINISHED"})
    );
    let c = case("results.json", saved.as_bytes());
    let (store, report) = load(&c.path);
    assert_eq!(store.len(), 15);
    let said = problems(&report, c.dir.path());
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(
        said[0],
        "results.json:4:1: malformed JSON: expected `{` or `[`"
    );
}
