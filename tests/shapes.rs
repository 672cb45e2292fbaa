//! Export shapes sniffed from content: lookup-events entries one per line, log-platform
//! exports timed by `@timestamp` / `_time` / `timestamp`, and `.zip` archives.

mod common;

use std::fs;
use std::io::Write;

use common::input::{event, gzip, load, problems, run};
use trailscope::source::shape::Shape;
use trailscope::store::{Col, Session};

#[test]
fn lookup_events_entries_one_per_line_load_like_lookup_events_output() {
    // What `aws cloudtrail lookup-events ... | jq -c '.Events[]'` writes.
    let entry = |id: &str, time: &str| {
        let inner = event(id, time);
        format!(
            r#"{{"EventId":"{id}","EventName":"ListUsers","ReadOnly":"true","EventTime":"{time}","EventSource":"iam.amazonaws.com","Username":"alice","Resources":[],"CloudTrailEvent":{}}}"#,
            serde_json::to_string(&inner).expect("a JSON string")
        )
    };
    let text = [
        entry("l1", "2024-05-03T14:00:02Z"),
        entry("l2", "2024-05-03T14:00:01Z"),
        r#"{"EventId":"l3","EventName":"ListUsers"}"#.to_string(),
    ]
    .join("\n");
    let c = common::input::case("lookup.jsonl", text.as_bytes());
    let (store, report) = load(&c.path);
    assert_eq!(store.len(), 2);
    assert_eq!(
        (&*store.event_id(0), &*store.event_id(1)),
        ("l2", "l1"),
        "in time order"
    );
    assert_eq!(store.get(Col::Principal, 0), "alice");
    assert_eq!(report.inputs[0].shapes, [Shape::LookupEvents, Shape::Lines]);
    assert_eq!(
        problems(&report, c.dir.path()),
        ["lookup.jsonl:3:1: not CloudTrail: an object with none of eventVersion, eventName, eventID, Records, Events, detail"]
    );
    // The detail pane and `query` show the event itself, unescaped.
    let json: serde_json::Value = serde_json::from_str(&store.event_json(1)).expect("json");
    assert_eq!(json["eventID"], "l1");
}

#[test]
fn an_export_without_event_time_is_timed_by_its_platform_field_and_check_says_so() {
    let without_time = |id: &str, field: &str, value: &str| {
        let e = event(id, "X").replace(r#""eventTime":"X","#, "");
        e.replacen('{', &format!("{{\"{field}\":{value},"), 1)
    };
    let text = [
        without_time("t1", "@timestamp", r#""2024-05-03T14:00:05.250Z""#),
        without_time("t2", "_time", "1714744801.5"),
        without_time("t3", "timestamp", "1714744803000"),
        without_time("t4", "@timestamp", r#""not a time""#),
        event("t5", "2024-05-03T14:00:04Z"),
    ]
    .join("\n");
    let c = common::input::case("export.jsonl", text.as_bytes());
    let (store, report) = load(&c.path);
    let order: Vec<(String, Option<i64>)> = (0..store.len())
        .map(|r| (store.event_id(r).to_string(), store.time(r)))
        .collect();
    let order: Vec<(&str, Option<i64>)> = order.iter().map(|(id, t)| (id.as_str(), *t)).collect();
    assert_eq!(
        order,
        [
            ("t4", None),
            ("t2", Some(1_714_744_801_500)),
            ("t3", Some(1_714_744_803_000)),
            ("t5", Some(1_714_744_804_000)),
            ("t1", Some(1_714_744_805_250)),
        ]
    );
    assert_eq!(
        report.inputs[0].times_from,
        [("@timestamp", 1), ("_time", 1), ("timestamp", 1)]
    );
    let (out, _, code) = run(&["check", &c.path.display().to_string()], c.dir.path());
    assert_eq!(code, Some(0));
    assert_eq!(
        out.lines().next().unwrap_or(""),
        format!(
            "{}: single event + JSON Lines, 5 events, 0 digests, 1 event without eventTime timed by `@timestamp`, 1 event without eventTime timed by `_time`, 1 event without eventTime timed by `timestamp`, ok",
            c.path.display()
        )
    );
}

#[test]
fn a_zip_archive_loads_member_by_member_and_a_broken_member_costs_only_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("evidence.zip");
    {
        let file = fs::File::create(&path).expect("create");
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default();
        zip.add_directory("AWSLogs/111122223333/", options)
            .expect("dir");
        zip.start_file("AWSLogs/111122223333/a.json", options)
            .expect("member");
        zip.write_all(
            format!("{{\"Records\":[{}]}}", event("z1", "2024-05-03T14:00:01Z")).as_bytes(),
        )
        .expect("write");
        zip.start_file("AWSLogs/111122223333/b.json.gz", options)
            .expect("member");
        zip.write_all(&gzip(event("z2", "2024-05-03T14:00:02Z").as_bytes()))
            .expect("write");
        zip.start_file("AWSLogs/111122223333/broken.json", options)
            .expect("member");
        zip.write_all(br#"{"Records":[{"eventID":"z3","eventTime":"2024-05-03T14:00:03Z"}"#)
            .expect("write");
        zip.start_file("notes.txt", options).expect("member");
        zip.write_all(b"case notes, not JSON").expect("write");
        zip.finish().expect("finish");
    }
    fs::write(dir.path().join("damaged.zip"), b"PK\x03\x04 truncated").expect("write");
    let (store, report) = load(dir.path());
    let ids: Vec<String> = (0..store.len())
        .map(|r| store.event_id(r).to_string())
        .collect();
    assert_eq!(
        ids,
        ["z1", "z2", "z3"],
        "what parsed before the break is kept"
    );
    let names: Vec<String> = report
        .inputs
        .iter()
        .map(|i| i.name.replace(&format!("{}/", dir.path().display()), ""))
        .collect();
    assert_eq!(
        names,
        [
            "evidence.zip!AWSLogs/111122223333/a.json",
            "evidence.zip!AWSLogs/111122223333/b.json.gz",
            "evidence.zip!AWSLogs/111122223333/broken.json",
            "evidence.zip!notes.txt",
        ]
    );
    let found = problems(&report, dir.path());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("damaged.zip:1:1: not CloudTrail: a damaged zip archive"),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("evidence.zip!AWSLogs/111122223333/broken.json:1:"),
        "{found:?}"
    );
    assert!(
        report.inputs[3].ignored,
        "a text file in the archive is left alone"
    );
    // The explorer and query show each member's events like any file's.
    let json: serde_json::Value = serde_json::from_str(&store.event_json(1)).expect("json");
    assert_eq!(json["eventID"], "z2");
}

/// Athena's export of the CloudTrail table (lowercase columns, nested structs, parameters
/// as JSON strings) reads back as the events it was made from: same principals, field
/// values, times, credential chains and filter results.
#[test]
fn an_athena_export_reads_back_as_the_events_it_was_made_from() {
    reads_back_as_the_chain_events("athena", Shape::AthenaExport, "an Athena export");
}

/// CloudTrail Lake's `get-query-results` JSON of the Lake dialect's query (structs, maps and
/// arrays as JSON text, timestamps as SQL text, every value a string) reads back the same.
#[test]
fn lake_query_results_read_back_as_the_events_they_were_made_from() {
    reads_back_as_the_chain_events("lake", Shape::LakeResults, "CloudTrail Lake query results");
}

fn reads_back_as_the_chain_events(folder: &str, shape: Shape, source: &str) {
    use trailscope::query;
    let fixture = |name: &str| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    };
    let (original, _) = load(&fixture("chains"));
    let (export, report) = load(&fixture(folder));
    assert!(!report.has_problems());
    assert_eq!(export.len(), original.len());
    let input = report
        .inputs
        .iter()
        .find(|i| i.name.ends_with(".json"))
        .expect("the export");
    assert_eq!(input.shapes, [shape]);
    for row in 0..original.len() {
        let id = original.event_id(row);
        let other = (0..export.len())
            .find(|&r| export.event_id(r) == id)
            .expect("the same event");
        for col in Col::ALL {
            assert_eq!(
                export.get(col, other),
                original.get(col, row),
                "{id} {col:?}"
            );
        }
        assert_eq!(export.time(other), original.time(row), "{id}");
        assert_eq!(export.credential(other), original.credential(row), "{id}");
        assert_eq!(export.read_only(other), original.read_only(row), "{id}");
        // The detail pane says where the event came from.
        assert!(export
            .event_json(other)
            .contains(&format!("\"trailscopeSource\":\"{source}")));
    }
    for filter in [
        "origin:deployer",
        "origin:carol@example.com",
        "principal:*carol@example.com",
        "requestParameters.roleArn:*BackupAdmin",
        "responseElements.credentials.accessKeyId:ASIA*",
        "serviceEventDetails.role_name:AdministratorAccess",
        "readonly:true",
        "-error:*",
        "credential:temporary",
        "account:444455556666",
    ] {
        let expr = query::parse(filter).expect("filter");
        let ids = |store: &trailscope::store::Store| -> Vec<String> {
            let mut ids: Vec<String> = expr
                .rows(store, &Session::default())
                .iter()
                .map(|&r| store.event_id(r as usize).to_string())
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(ids(&export), ids(&original), "{filter}");
        assert!(!ids(&original).is_empty(), "{filter}");
    }
}

/// The members of one archive inflate to one input's worth together (`--max-file-size`):
/// six members of 40 MB of spaces in a small zip stop once 64 MB are spent, each one past
/// it named; the events before load.
#[test]
fn a_zip_archive_inflates_to_one_inputs_worth_at_most() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bomb.zip");
    {
        let file = fs::File::create(&path).expect("create");
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("a.json", options).expect("member");
        zip.write_all(
            format!("{{\"Records\":[{}]}}", event("z1", "2024-05-03T14:00:01Z")).as_bytes(),
        )
        .expect("write");
        let spaces = vec![b' '; 40 << 20];
        for n in 0..6 {
            zip.start_file(format!("pad{n}.json"), options)
                .expect("member");
            zip.write_all(b"{\"Records\":[").expect("write");
            zip.write_all(&spaces).expect("write");
            zip.write_all(b"]}").expect("write");
        }
        zip.finish().expect("finish");
    }
    assert!(fs::metadata(&path).expect("meta").len() < 2 << 20);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(["check", "--max-file-size", "64M", "--no-index-cache"])
        .arg(&path)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("bomb.zip!a.json: Records document, 1 event"),
        "{text}"
    );
    let refused = text
        .lines()
        .filter(|l| l.contains("inflate to more than 67108864 bytes together"))
        .count();
    assert!(refused >= 5, "{text}");
}

/// Members that overlap (fifty directory entries naming the same compressed bytes, a zip
/// bomb's trick) each spend from the archive's one budget: a few are read, the rest named.
#[test]
fn overlapping_zip_members_spend_one_budget() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("m.json", options).expect("member");
        zip.write_all(format!("{{\"Records\":[{}", event("o1", "2024-05-03T14:00:01Z")).as_bytes())
            .expect("write");
        zip.write_all(&vec![b' '; 10 << 20]).expect("write");
        zip.write_all(b"]}").expect("write");
        zip.finish().expect("finish");
    }
    // The end record: entries at +8 and +10, the directory's size at +12, offset at +16.
    let end = bytes.len() - 22;
    assert_eq!(&bytes[end..end + 4], b"PK\x05\x06");
    let field = |at: usize, n: usize| -> usize {
        bytes[at..at + n]
            .iter()
            .rev()
            .fold(0, |v, &b| v << 8 | usize::from(b))
    };
    let (size, offset) = (field(end + 12, 4), field(end + 16, 4));
    let entry = bytes[offset..offset + size].to_vec();
    let name_at = entry.windows(6).position(|w| w == b"m.json").expect("name");
    let mut directory = Vec::new();
    for n in 0..50u8 {
        let mut copy = entry.clone();
        copy[name_at] = if n < 26 { b'a' + n } else { b'A' + n - 26 };
        directory.extend(copy);
    }
    let mut end_record = bytes[end..].to_vec();
    end_record[8..10].copy_from_slice(&50u16.to_le_bytes());
    end_record[10..12].copy_from_slice(&50u16.to_le_bytes());
    end_record[12..16].copy_from_slice(&(directory.len() as u32).to_le_bytes());
    bytes.truncate(offset);
    bytes.extend(directory);
    bytes.extend(end_record);
    let path = dir.path().join("overlap.zip");
    fs::write(&path, &bytes).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(["check", "--max-file-size", "64M", "--no-index-cache"])
        .arg(&path)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let read = text
        .lines()
        .filter(|l| l.contains(": Records document, 1 event"))
        .count();
    let refused = text
        .lines()
        .filter(|l| l.contains("inflate to more than 67108864 bytes together"))
        .count();
    assert!((1..=7).contains(&read), "{read} read\n{text}");
    assert_eq!(read + refused, 50, "{text}");
}
