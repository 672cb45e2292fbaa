//! Hostile input, round two: one input per failure found by the second probe, each with
//! its exact outcome (events loaded, problems with positions) and bounded time and memory.
//! Large inputs are generated here.

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use trailscope::load::{LoadOptions, Progress};
use trailscope::store::{Col, Store};

mod common;

use common::input::{event, gzip, load, problems, run};

/// Runs the binary with `stdin`; (stdout, stderr, status, seconds, peak RSS in MiB read
/// from /proc while it runs).
fn run_measured(args: &[&str], stdin: Stdio) -> (String, String, Option<i32>, f64, u64) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    loop {
        if let Ok(status) = fs::read_to_string(&status_path) {
            for line in status.lines() {
                if let Some(kib) = line.strip_prefix("VmHWM:") {
                    let kib = kib.trim().trim_end_matches("kB").trim();
                    peak_kib = peak_kib.max(kib.parse().unwrap_or(0));
                }
            }
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{args:?} hangs");
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
        start.elapsed().as_secs_f64(),
        peak_kib / 1024,
    )
}

// ---------------------------------------------------------------- crash and hangs

/// `{"Records":[` nested `depth` times around one event, `ws` between the levels.
fn nested_records(depth: usize, ws: &str) -> String {
    let mut text = String::new();
    for _ in 0..depth {
        text.push_str("{\"Records\":[");
        text.push_str(ws);
    }
    text.push_str(&event("deep", "2024-05-03T14:00:00Z"));
    for _ in 0..depth {
        text.push_str(ws);
        text.push_str("]}");
    }
    text
}

#[test]
fn deep_wrapper_nesting_is_reported_and_the_rest_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("a-deep.json"), nested_records(950, "")).expect("write");
    fs::write(dir.path().join("b-deeper.json"), nested_records(5_000, "")).expect("write");
    fs::write(
        dir.path().join("c-spaced.json"),
        nested_records(2_000, "\n  "),
    )
    .expect("write");
    fs::write(
        dir.path().join("d-good.json"),
        event("good", "2024-05-03T14:00:01Z"),
    )
    .expect("write");
    fs::write(dir.path().join("e-shallow.json"), nested_records(3, "")).expect("write");
    let start = Instant::now();
    let (store, report) = load(dir.path());
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    let ids: Vec<String> = (0..store.len())
        .map(|r| store.event_id(r).to_string())
        .collect();
    assert_eq!(
        ids,
        ["deep", "good"],
        "the shallow nesting and the good file load"
    );
    assert_eq!(
        problems(&report, dir.path()),
        [
            "a-deep.json:1:97: not CloudTrail: wrappers nested deeper than 8: skipped",
            "b-deeper.json:1:97: not CloudTrail: wrappers nested deeper than 8: skipped",
            "c-spaced.json:9:3: not CloudTrail: wrappers nested deeper than 8: skipped",
        ]
    );
}

#[test]
fn many_problems_in_one_input_are_counted_linearly_and_capped() {
    // 2 MB of non-events in a Records array, and 80,000 broken JSON Lines.
    let ones = format!("{{\"Records\":[{}1]}}", "1,".repeat(1_000_000));
    let lines: String = (0..80_000)
        .map(|i| format!("{{\"eventVersion\":\"1.08\",\"eventID\":\"{i}\",\n"))
        .collect();
    for (name, text, first, more) in [
        (
            "ones.json",
            ones,
            "ones.json:1:13: not CloudTrail: a number, not an event object",
            999_901,
        ),
        (
            "lines.jsonl",
            lines,
            "lines.jsonl:1:38: malformed JSON: incomplete value at the end of the line (key must be a string)",
            79_900,
        ),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(name), text).expect("write");
        let start = Instant::now();
        let (store, report) = load(dir.path());
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{name}: {:?}",
            start.elapsed()
        );
        assert_eq!(store.len(), 0);
        let found = problems(&report, dir.path());
        assert_eq!(found.len(), 101, "{name}");
        assert_eq!(found[0], first);
        assert_eq!(
            found[100],
            format!("{name}: … and {more} more problems like these")
        );
    }
}

#[test]
fn a_link_to_the_root_of_the_filesystem_is_not_walked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = dir.path().join("ev");
    fs::create_dir_all(&logs).expect("mkdir");
    fs::write(logs.join("one.json"), event("1", "2024-05-03T14:00:00Z")).expect("write");
    std::os::unix::fs::symlink("/", logs.join("evil")).expect("symlink");
    std::os::unix::fs::symlink("/proc", logs.join("proc")).expect("symlink");
    let start = Instant::now();
    let (store, report) = load(&logs);
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(store.len(), 1);
    assert_eq!(
        problems(&report, dir.path()),
        [
            "ev/evil: skipped: a symbolic link that leads outside the given paths",
            "ev/proc: skipped: a symbolic link that leads outside the given paths",
        ]
    );
}

// ---------------------------------------------------------------- limits

#[test]
fn endless_stdin_stops_at_the_limit() {
    let mut yes = Command::new("yes")
        .arg("{}")
        .stdout(Stdio::piped())
        .spawn()
        .expect("yes");
    let stdin = Stdio::from(yes.stdout.take().expect("pipe"));
    let (out, err, code, seconds, peak) =
        run_measured(&["query", "-", "--count", "--max-file-size", "100M"], stdin);
    let _ = yes.kill();
    let _ = yes.wait();
    assert_eq!(out, "");
    assert_eq!(code, Some(1));
    assert!(
        err.contains("-: inflates to more than 104857600 bytes; raise --max-file-size"),
        "{err}"
    );
    assert!(seconds < 5.0, "{seconds} s");
    assert!(peak < 300, "{peak} MiB");
}

#[test]
fn gzip_trailers_that_lie_cost_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..500 {
        let one = event(&i.to_string(), "2024-05-03T14:00:00Z");
        let mut bytes = gzip(one.as_bytes());
        let n = bytes.len();
        bytes[n - 4..].copy_from_slice(&(1u32 << 30).to_le_bytes());
        fs::write(dir.path().join(format!("{i:03}.json.gz")), bytes).expect("write");
    }
    let path = dir.path().to_str().unwrap_or("");
    let (out, _, code, seconds, peak) = run_measured(&["query", path, "--count"], Stdio::null());
    // Each file still reads: the trailer's size is only a claim (the streaming path then
    // reports the size mismatch as damage, after the event).
    assert_eq!(out, "500\n");
    assert_eq!(code, Some(3));
    assert!(seconds < 2.0, "{seconds} s");
    assert!(peak < 300, "{peak} MiB");
}

#[test]
fn a_limit_over_4g_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, err, code) = run(
        &["query", "--max-file-size", "8G", "--count", "-"],
        dir.path(),
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("size `8G` is over the most one input can be: 4G (4294967295 bytes)"),
        "{err}"
    );
}

// ---------------------------------------------------------------- silent loss

#[test]
fn flaws_serde_json_refuses_are_repaired_and_told() {
    let text = concat!(
        r#"{"Records":[{"eventVersion":"1.08","eventName":"A\ud800B","eventID":"1"},"#,
        r#"{"eventVersion":"1.08","eventName":"C","eventID":"2","userAgent":1e999},"#,
        r#"{"eventVersion":"1.08","eventName":"D","eventID":"3"}],"#,
        r#""Records":[{"eventVersion":"1.08","eventName":"E","eventID":"4"}]}"#
    );
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("flaws.json"), text).expect("write");
    let (store, report) = load(dir.path());
    let events: Vec<(String, String)> = (0..store.len())
        .map(|r| {
            (
                store.get(Col::Name, r).to_string(),
                store.get(Col::Agent, r).to_string(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("A\u{fffd}B".to_string(), String::new()),
            ("C".to_string(), "1e999".to_string()),
            ("D".to_string(), String::new()),
            ("E".to_string(), String::new()),
        ]
    );
    assert_eq!(
        problems(&report, dir.path()),
        [
            "flaws.json:1:201: a second `Records` member: the events of both are loaded",
            "flaws.json:1:50: a lone surrogate escape replaced with U+FFFD",
            "flaws.json:1:139: a number out of range kept as text",
        ]
    );
}

// ---------------------------------------------------------------- the terminal

#[test]
fn file_names_cannot_drive_the_terminal_in_any_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    // OSC 0 (retitle), OSC 52 (write the clipboard), CSI 2J (clear): all in one name.
    let name = "\u{1b}]0;pwned\u{7}\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J.json";
    fs::write(dir.path().join(name), "{\"broken\":").expect("write");
    fs::write(
        dir.path().join("good.json"),
        event("1", "2024-05-03T14:00:00Z"),
    )
    .expect("write");
    let path = dir.path().to_str().unwrap_or("");
    for args in [
        vec!["query", path, "--count"],
        vec!["stats", path],
        vec!["check", path],
    ] {
        let (out, err, _) = run(&args, dir.path());
        for (stream, text) in [("stdout", &out), ("stderr", &err)] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{args:?} wrote a raw escape on {stream}: {text:?}"
            );
        }
        assert!(
            (out.clone() + &err).contains("\\x1b]0;pwned\\x07"),
            "{args:?}: the name is shown escaped: {out:?} {err:?}"
        );
    }
}

#[test]
fn stats_json_escapes_what_query_json_escapes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let agent = "a\u{85}b\u{7f}c\u{202e}d\u{200b}e";
    let text =
        format!(r#"{{"eventVersion":"1.08","eventName":"X","eventID":"1","userAgent":"{agent}"}}"#);
    fs::write(dir.path().join("e.json"), text).expect("write");
    let path = dir.path().to_str().unwrap_or("");
    let (out, _, code) = run(&["stats", path, "--by", "agent", "-o", "json"], dir.path());
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "[{\"count\":1,\"value\":\"a\\u0085b\\u007fc\\u202ed\\u200be\"}]\n"
    );
    let (table, _, _) = run(&["stats", path, "--by", "agent"], dir.path());
    assert_eq!(table, "a\\x85b\\x7fc\\u{202e}d\\u{200b}e\t1\n");
}

#[test]
fn loading_twice_the_same_inputs_gives_the_same_index() {
    // The repairs above run inside the loader's workers: the result must not depend on
    // which worker read which file.
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..8 {
        let mut file = fs::File::create(dir.path().join(format!("{i}.json"))).expect("create");
        write!(
            file,
            r#"{{"Records":[{{"eventVersion":"1.08","eventName":"N\ud800","eventID":"{i}","eventTime":"2024-05-03T14:00:0{i}Z"}}]}}"#
        )
        .expect("write");
    }
    let ids = |threads: usize| -> Vec<String> {
        let options = LoadOptions {
            threads,
            ..LoadOptions::default()
        };
        let (store, _) =
            Store::load_paths(&[dir.path().to_path_buf()], &options, &Progress::default());
        (0..store.len())
            .map(|r| format!("{} {}", store.event_id(r), store.get(Col::Name, r)))
            .collect()
    };
    assert_eq!(ids(1), ids(2));
    assert_eq!(ids(1).len(), 8);
}

#[test]
fn json_lines_resynchronise_on_every_line() {
    let text = [
        event("1", "2024-05-03T14:00:00Z"),
        "{\"broken\":".to_string(),
        format!("[{}]", event("2", "2024-05-03T14:00:01Z")),
        format!("   {}", event("3", "2024-05-03T14:00:02Z")),
        event("4", "2024-05-03T14:00:03Z"),
    ]
    .join("\n");
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("lines.jsonl"), text).expect("write");
    let (store, report) = load(dir.path());
    let ids: Vec<String> = (0..store.len())
        .map(|r| store.event_id(r).to_string())
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4"]);
    assert_eq!(
        problems(&report, dir.path()),
        ["lines.jsonl:2:11: malformed JSON: incomplete value at the end of the line (expected `,` or `}`)"]
    );
}

#[test]
fn one_odd_lookup_events_entry_costs_only_itself() {
    let inner = event("1", "2024-05-03T14:00:00Z").replace('"', "\\\"");
    let text = format!(
        r#"{{"Events":[{{"EventId":"1","CloudTrailEvent":"{inner}"}},42,{{"EventId":"2"}}]}}"#
    );
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("lookup.json"), text).expect("write");
    let (store, report) = load(dir.path());
    assert_eq!(store.len(), 1);
    let found = problems(&report, dir.path());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].ends_with("not CloudTrail: an entry of `Events` is a number"),
        "{found:?}"
    );
    assert!(
        found[1].ends_with("an entry of `Events` has no `CloudTrailEvent`"),
        "{found:?}"
    );
}

#[test]
fn utf16_other_compressions_and_files_named_json_are_never_ignored_silently() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = event("1", "2024-05-03T14:00:00Z");
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in one.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    fs::write(dir.path().join("a-powershell.json"), utf16).expect("write");
    fs::write(dir.path().join("b.json.bz2"), b"BZh91AY&SY....").expect("write");
    fs::write(dir.path().join("c.json.xz"), b"\xFD7zXZ\x00\x00....").expect("write");
    // A zip named .zip is read as an archive (tests/shapes.rs); named otherwise, it is told.
    fs::write(dir.path().join("d.json"), b"PK\x03\x04....").expect("write");
    fs::write(dir.path().join("e.json"), b"hello, not json").expect("write");
    fs::write(dir.path().join("f.gz"), gzip(b"plain words")).expect("write");
    fs::write(dir.path().join("README"), b"notes about the case").expect("write");
    let (store, report) = load(dir.path());
    assert_eq!(store.len(), 1, "the UTF-16 file loads");
    assert_eq!(store.get(Col::Name, 0), "ListUsers");
    assert_eq!(
        problems(&report, dir.path()),
        [
            "b.json.bz2:1:1: not CloudTrail: bzip2-compressed: decompress it first (bunzip2)",
            "c.json.xz:1:1: not CloudTrail: xz-compressed: decompress it first (unxz)",
            "d.json:1:1: not CloudTrail: a zip archive not named .zip, or inside another: extract it first (unzip)",
            "e.json:1:1: not CloudTrail: not JSON",
            "f.gz:1:1: not CloudTrail: not JSON",
        ]
    );
    let ignored: Vec<&str> = report
        .inputs
        .iter()
        .filter(|i| i.ignored)
        .map(|i| i.name.rsplit('/').next().unwrap_or(""))
        .collect();
    assert_eq!(ignored, ["README"]);
}

#[test]
fn stats_tells_a_missing_value_from_the_text_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = [
        r#"{"eventVersion":"1.08","eventName":"X","eventID":"1","userAgent":"(none)"}"#,
        r#"{"eventVersion":"1.08","eventName":"X","eventID":"2"}"#,
        r#"{"eventVersion":"1.08","eventName":"X","eventID":"3","userAgent":"=cmd|' /C calc'!A0"}"#,
        r#"{"eventVersion":"1.08","eventName":"X","eventID":"4","userAgent":"two\nlines"}"#,
    ]
    .join("\n");
    fs::write(dir.path().join("e.jsonl"), text).expect("write");
    let path = dir.path().to_str().unwrap_or("");
    let stats = |format: &str| run(&["stats", path, "--by", "agent", "-o", format], dir.path()).0;
    assert_eq!(
        stats("table"),
        "(none)\t1\n\"(none)\"\t1\n=cmd|' /C calc'!A0\t1\ntwo\\nlines\t1\n"
    );
    assert_eq!(
        stats("json"),
        "[{\"count\":1,\"value\":null},{\"count\":1,\"value\":\"(none)\"},{\"count\":1,\"value\":\"=cmd|' /C calc'!A0\"},{\"count\":1,\"value\":\"two\\nlines\"}]\n"
    );
    assert_eq!(
        stats("csv"),
        "value,count\n,1\n(none),1\n'=cmd|' /C calc'!A0,1\n\"two\nlines\",1\n"
    );
}

#[test]
fn a_decoy_copy_never_hides_the_real_event() {
    let real = r#"{"eventVersion":"1.08","eventTime":"2024-05-03T14:00:00Z","eventName":"CreateAccessKey","eventID":"e1","recipientAccountId":"111122223333","sourceIPAddress":"185.220.101.47","userIdentity":{"type":"IAMUser","userName":"attacker"}}"#;
    let decoy = r#"{"eventVersion":"1.08","eventTime":"2024-05-03T14:00:00Z","eventName":"CreateAccessKey","eventID":"e1","recipientAccountId":"111122223333","sourceIPAddress":"10.0.0.1","userIdentity":{"type":"IAMUser","userName":"ci-deploy"}}"#;
    // The same event as `real`, with other whitespace and key order: a true copy.
    let copy = r#"{ "eventID": "e1", "eventVersion": "1.08", "eventTime": "2024-05-03T14:00:00Z",
        "eventName": "CreateAccessKey", "recipientAccountId": "111122223333",
        "userIdentity": {"userName": "attacker", "type": "IAMUser"},
        "sourceIPAddress": "185.220.101.47"}"#;
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("a-decoy.json"), decoy).expect("write");
    fs::write(dir.path().join("b-real.json"), real).expect("write");
    fs::write(dir.path().join("c-copy.json"), copy).expect("write");
    let (store, report) = load(dir.path());
    let principals: Vec<&str> = (0..store.len())
        .map(|r| store.get(Col::Principal, r))
        .collect();
    assert_eq!(
        principals,
        ["ci-deploy", "attacker"],
        "both kept, in input order"
    );
    assert_eq!(
        report.duplicates, 1,
        "the byte-different but equal copy collapsed"
    );
    assert!(store.is_conflict(0) && store.is_conflict(1));
    let counts: Vec<(usize, usize)> = report
        .inputs
        .iter()
        .map(|i| (i.duplicates, i.conflicts))
        .collect();
    assert_eq!(counts, [(0, 1), (0, 1), (1, 0)]);
    let path = dir.path().to_str().unwrap_or("");
    let count = |filter: &str| run(&["query", path, "-w", filter, "--count"], dir.path()).0;
    assert_eq!(count("dup:conflict"), "2\n");
    assert_eq!(count("-dup:*"), "0\n");
    assert_eq!(count("ip:185.220.101.47"), "1\n");
    let (check, _, code) = run(&["check", path], dir.path());
    assert_eq!(code, Some(0));
    let summary = check.lines().last().unwrap_or("");
    assert_eq!(
        summary,
        "3 inputs, 2 events (1 duplicate collapsed, 2 differing copies kept), 0 digests, 0 problems"
    );
    assert!(
        check.contains("c-copy.json: single event, 1 event, 0 digests, 1 collapsed as copies, ok"),
        "{check}"
    );
    let all = run(&["query", path, "--no-dedup", "--count"], dir.path()).0;
    assert_eq!(all, "3\n");
}

#[test]
fn several_bombs_at_once_take_the_memory_of_one() {
    // Four gzip files of one member each, inflating to 1 GiB of spaces; a 300M limit.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        member.write_all(&spaces).expect("gzip");
    }
    let member = member.finish().expect("gzip");
    for i in 0..4 {
        fs::write(dir.path().join(format!("bomb-{i}.json.gz")), &member).expect("write");
    }
    fs::write(
        dir.path().join("good.json"),
        event("1", "2024-05-03T14:00:00Z"),
    )
    .expect("write");
    let path = dir.path().to_str().unwrap_or("");
    let (out, err, code, _, peak) = run_measured(
        &["query", path, "--count", "--max-file-size", "300M"],
        Stdio::null(),
    );
    assert_eq!(out, "1\n");
    assert_eq!(code, Some(3));
    assert_eq!(
        err.matches("inflates to more than 314572800 bytes").count(),
        4,
        "{err}"
    );
    // One bomb inflating at a time: one limit's worth, not one per worker.
    assert!(peak < 450, "{peak} MiB");
}

/// Thousands of copies of one event (one eventID, name, time and account) are told apart
/// in linear time: 5,000 that differ are all kept and flagged, 20,000 identical ones under
/// `--no-dedup` are kept, each within seconds (they took minutes when every copy was
/// compared with every other).
#[test]
fn many_copies_of_one_event_cost_linear_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = |n: usize| {
        format!(
            r#"{{"eventVersion":"1.08","eventTime":"2024-05-03T14:00:00Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","eventID":"same","recipientAccountId":"111122223333","userAgent":"agent-{n}","userIdentity":{{"type":"IAMUser","userName":"alice"}}}}"#
        )
    };
    let differing: Vec<String> = (0..5_000).map(copy).collect();
    let file = dir.path().join("differing.json");
    fs::write(&file, format!("{{\"Records\":[{}]}}", differing.join(","))).expect("write");
    let path = file.to_str().unwrap_or("");
    let (out, _, code, seconds, _) = run_measured(
        &[
            "query",
            path,
            "-q",
            "--no-index-cache",
            "-w",
            "dup:conflict",
            "--count",
        ],
        Stdio::null(),
    );
    assert_eq!((out.as_str(), code), ("5000\n", Some(0)));
    assert!(seconds < 30.0, "{seconds} s");
    let identical = vec![copy(0); 20_000].join(",");
    let file = dir.path().join("identical.json");
    fs::write(&file, format!("{{\"Records\":[{identical}]}}")).expect("write");
    let path = file.to_str().unwrap_or("");
    let (out, _, code, seconds, _) = run_measured(
        &[
            "query",
            path,
            "-q",
            "--no-index-cache",
            "--no-dedup",
            "--count",
        ],
        Stdio::null(),
    );
    assert_eq!((out.as_str(), code), ("20000\n", Some(0)));
    assert!(seconds < 30.0, "{seconds} s");
    let (out, _, _, _, _) = run_measured(
        &["query", path, "-q", "--no-index-cache", "--count"],
        Stdio::null(),
    );
    assert_eq!(out, "1\n");
}
