//! The core on real and crafted data: every content shape, ordering, duplicates, every
//! filter field and operator, and the fixtures' exact counts.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use trailscope::error::Error;
use trailscope::load::{LoadOptions, LoadReport, Progress};
use trailscope::query;
use trailscope::source::shape::Shape;
use trailscope::stats::count_by;
use trailscope::store::{Col, Session, Store};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn load(paths: &[PathBuf]) -> (Store, LoadReport) {
    Store::load_paths(paths, &LoadOptions::default(), &Progress::default())
}

fn load_text(name: &str, text: &str) -> (Store, LoadReport, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    fs::write(&path, text).expect("write");
    let (store, report) = load(&[path]);
    (store, report, dir)
}

fn problems(report: &LoadReport) -> Vec<String> {
    report.problems().map(|p| p.to_string()).collect()
}

/// The eventIDs of the rows matching `filter`, in time order.
fn ids(store: &Store, filter: &str) -> Vec<String> {
    let expr = query::parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
    expr.rows(store, &Session::default())
        .into_iter()
        .map(|r| store.event_id(r as usize).to_string())
        .collect()
}

fn event(id: &str, name: &str, time: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","userName":"alice","accessKeyId":"AKIAEXAMPLE"}},"eventTime":"{time}","eventSource":"iam.amazonaws.com","eventName":"{name}","awsRegion":"us-east-1","eventID":"{id}","recipientAccountId":"111122223333"}}"#
    )
}

// ---------------------------------------------------------------- fixtures

#[test]
fn seeds_load_25_events_and_name_the_two_broken_files() {
    let (store, report) = load(&[fixtures().join("seeds")]);
    assert_eq!(store.len(), 25);
    let seeds = fixtures().join("seeds");
    assert_eq!(
        problems(&report),
        vec![
            format!(
                "{}:1:218: malformed JSON: expected `,` or `}}`",
                seeds.join("workmail-1.json").display()
            ),
            format!(
                "{}:1:639: malformed JSON: expected `,` or `}}`",
                seeds.join("workmail-2.json").display()
            ),
        ]
    );
}

#[test]
fn seeds_sharing_an_event_id_are_different_events() {
    let (store, _) = load(&[fixtures().join("seeds/ses-v1-1.json")]);
    let distinct: HashSet<String> = (0..store.len())
        .map(|r| store.event_id(r).to_string())
        .collect();
    assert_eq!(store.len(), 17);
    assert!(
        distinct.len() < store.len(),
        "the SES examples reuse eventIDs"
    );
}

/// Counts eventNames with serde_json alone, collapsing duplicate deliveries as docs/DESIGN.md
/// defines them: same eventID, eventName, eventTime and recipient account, and the same
/// event JSON (serde_json's own value comparison: key order and whitespace aside).
fn independent_name_counts(root: &Path) -> BTreeMap<String, usize> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('_'))
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(root, &mut files);
    let mut seen = HashSet::new();
    let mut counts = BTreeMap::new();
    for file in files {
        let bytes = fs::read(&file).expect("read");
        let text = if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::MultiGzDecoder::new(&bytes[..]),
                &mut out,
            )
            .expect("gunzip");
            out
        } else {
            bytes
        };
        let doc: serde_json::Value = serde_json::from_slice(&text).expect("json");
        let records = doc.get("Records").cloned().unwrap_or(doc);
        for record in records.as_array().expect("array") {
            let field = |k: &str| {
                record
                    .get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let key = (
                field("eventID"),
                field("eventName"),
                field("eventTime"),
                field("recipientAccountId"),
                record.to_string(),
            );
            if !key.0.is_empty() && !seen.insert(key) {
                continue;
            }
            *counts.entry(field("eventName")).or_default() += 1;
        }
    }
    counts
}

#[test]
fn every_real_fixture_loads_without_a_problem() {
    let (store, report) = load(&[fixtures().join("real")]);
    assert_eq!(problems(&report), Vec::<String>::new());
    assert_eq!(store.len(), 17_914);
    assert_eq!(report.duplicates, 167);
    // One eventID of the grycap data comes with two different contents: both are kept.
    assert_eq!(store.conflict_rows().len(), 2);
    let ignored: Vec<&str> = report
        .inputs
        .iter()
        .filter(|i| i.ignored)
        .map(|i| i.name.rsplit('/').next().unwrap_or(""))
        .collect();
    assert_eq!(ignored, vec!["_LICENSE.txt"; 3]);
}

#[test]
fn stats_by_name_matches_an_independent_count() {
    let root = fixtures().join("real/grycap-cloudtrail-tracker");
    let (store, _) = load(std::slice::from_ref(&root));
    let rows: Vec<u32> = (0..store.len() as u32).collect();
    let field = query::Field::from_name("name").expect("field");
    let ours: BTreeMap<String, usize> = count_by(&store, &Session::default(), &rows, &field)
        .expect("countable")
        .into_iter()
        .map(|(value, n)| (value.unwrap_or_else(|| "(none)".into()), n))
        .collect();
    let expected = independent_name_counts(&root);
    assert_eq!(ours, expected);
    assert_eq!(ours.values().sum::<usize>(), store.len());
}

// ---------------------------------------------------------------- shapes

fn shapes(report: &LoadReport) -> Vec<Shape> {
    report
        .inputs
        .iter()
        .flat_map(|i| i.shapes.clone())
        .collect()
}

#[test]
fn records_document_keeps_each_event_byte_exact() {
    let e1 = event("1", "CreateUser", "2024-05-03T14:00:00Z");
    let e2 = event("2", "DeleteUser", "2024-05-03T13:00:00Z");
    let (store, report, _dir) =
        load_text("a.json", &format!("{{ \"Records\" : [ {e1} ,\n {e2} ] }}"));
    assert_eq!(shapes(&report), vec![Shape::Records]);
    assert_eq!(store.len(), 2);
    assert_eq!(store.event_json(0), e2);
    assert_eq!(store.event_json(1), e1);
}

#[test]
fn records_not_first_and_with_other_keys() {
    let e1 = event("1", "CreateUser", "2024-05-03T14:00:00Z");
    for text in [
        format!(r#"{{"Records":[{e1}],"trailer":{{"x":[1,2]}}}}"#),
        format!(r#"{{"x":1,"Records":[{e1}]}}"#),
    ] {
        let (store, report, _dir) = load_text("a.json", &text);
        assert_eq!(problems(&report), Vec::<String>::new(), "{text}");
        assert_eq!(store.event_json(0), e1);
    }
}

#[test]
fn bare_array_of_events() {
    let e1 = event("1", "A", "2024-05-03T14:00:00Z");
    let e2 = event("2", "B", "2024-05-03T14:00:01Z");
    let (store, report, _dir) = load_text("a.json", &format!("[{e1},{e2}]"));
    assert_eq!(shapes(&report), vec![Shape::Array]);
    assert_eq!(ids(&store, ""), ["1", "2"]);
}

#[test]
fn single_pretty_printed_event() {
    let pretty = "{\n  \"eventVersion\": \"1.08\",\n  \"eventName\": \"GetCallerIdentity\",\n  \"eventTime\": \"2024-05-03T14:00:00Z\",\n  \"eventID\": \"x\"\n}";
    let (store, report, _dir) = load_text("a.json", &format!("{pretty}\n"));
    assert_eq!(shapes(&report), vec![Shape::Event]);
    assert_eq!(store.event_json(0), pretty);
}

#[test]
fn json_lines_with_a_bad_line_loads_the_rest() {
    let e1 = event("1", "A", "2024-05-03T14:00:00Z");
    let e3 = event("3", "C", "2024-05-03T14:00:02Z");
    let text = format!("{e1}\n{{\"eventName\": oops}}\n{e3}\n");
    let (store, report, dir) = load_text("a.jsonl", &text);
    assert_eq!(ids(&store, ""), ["1", "3"]);
    assert_eq!(shapes(&report), vec![Shape::Event, Shape::Lines]);
    assert_eq!(
        problems(&report),
        vec![format!(
            "{}:2:15: malformed JSON: expected value",
            dir.path().join("a.jsonl").display()
        )]
    );
}

#[test]
fn concatenated_objects_and_lines_of_records() {
    let e1 = event("1", "A", "2024-05-03T14:00:00Z");
    let e2 = event("2", "B", "2024-05-03T14:00:01Z");
    let (store, _, _dir) = load_text("a.json", &format!("{e1}{e2}"));
    assert_eq!(store.len(), 2);
    let (store, report, _dir) = load_text(
        "b.json",
        &format!("{{\"Records\":[{e1}]}}\n{{\"Records\":[{e2}]}}\n"),
    );
    assert_eq!(store.len(), 2);
    assert_eq!(shapes(&report), vec![Shape::Records, Shape::Lines]);
}

#[test]
fn lookup_events_output_unwraps_the_event_string() {
    let e1 = event("1", "ConsoleLogin", "2024-05-03T14:00:00Z");
    let literal = serde_json::to_string(&e1).expect("string");
    let text = format!(
        r#"{{"Events":[{{"EventId":"1","EventName":"ConsoleLogin","CloudTrailEvent":{literal}}}],"NextToken":"x"}}"#
    );
    let (store, report, _dir) = load_text("lookup.json", &text);
    assert_eq!(shapes(&report), vec![Shape::LookupEvents]);
    assert_eq!(store.event_json(0), e1);
    assert_eq!(store.get(Col::Name, 0), "ConsoleLogin");
}

#[test]
fn eventbridge_envelope() {
    let e1 = event("1", "CreateUser", "2024-05-03T14:00:00Z");
    let text = format!(
        r#"{{"version":"0","id":"x","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","detail":{e1}}}"#
    );
    let (store, report, _dir) = load_text("eb.json", &text);
    assert_eq!(shapes(&report), vec![Shape::EventBridge]);
    assert_eq!(store.event_json(0), e1);
}

#[test]
fn raw_and_message_string_wrappers() {
    let e1 = event("1", "CreateUser", "2024-05-03T14:00:00Z");
    let literal = serde_json::to_string(&e1).expect("string");
    for key in ["_raw", "message"] {
        let text = format!(r#"{{"_time":"x","{key}":{literal},"host":"splunk"}}"#);
        let (store, report, _dir) = load_text("w.json", &text);
        assert_eq!(shapes(&report), vec![Shape::Wrapped], "{key}");
        assert_eq!(store.event_json(0), e1, "{key}");
    }
}

#[test]
fn digests_are_counted_not_reported() {
    let text = r#"{"awsAccountId":"111122223333","digestStartTime":"2024-05-03T13:00:00Z","digestEndTime":"2024-05-03T14:00:00Z","logFiles":[]}"#;
    let (store, report, _dir) = load_text("digest.json", text);
    assert_eq!(store.len(), 0);
    assert_eq!(report.digests, 1);
    assert_eq!(problems(&report), Vec::<String>::new());
}

#[test]
fn insight_events_are_events() {
    let text = r#"{"Records":[{"eventVersion":"1.08","eventTime":"2024-05-03T14:00:00Z","awsRegion":"us-east-1","eventID":"i1","eventType":"AwsCloudTrailInsight","recipientAccountId":"111122223333","sharedEventID":"s","insightDetails":{"state":"Start","eventSource":"iam.amazonaws.com","eventName":"CreateUser"},"eventCategory":"Insight"}]}"#;
    let (store, _, _dir) = load_text("insight.json", text);
    assert_eq!(ids(&store, "category:insight"), ["i1"]);
    assert_eq!(store.get(Col::Principal, 0), "");
}

#[test]
fn multi_member_gzip() {
    let e1 = event("1", "A", "2024-05-03T14:00:00Z");
    let e2 = event("2", "B", "2024-05-03T14:00:01Z");
    let mut bytes = Vec::new();
    for part in [
        format!("{{\"Records\":[{e1}]}}\n"),
        format!("{{\"Records\":[{e2}]}}\n"),
    ] {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(part.as_bytes()).expect("gzip");
        bytes.extend(enc.finish().expect("gzip"));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("renamed-by-hand.log");
    fs::write(&path, bytes).expect("write");
    let (store, report) = load(&[path]);
    assert_eq!(problems(&report), Vec::<String>::new());
    assert_eq!(store.event_json(1), e2);
}

#[test]
fn not_cloudtrail_is_reported_with_its_position() {
    let (store, report, dir) = load_text("x.json", "{\"hello\": \"world\"}");
    assert_eq!(store.len(), 0);
    assert_eq!(
        problems(&report),
        vec![format!(
            "{}:1:1: not CloudTrail: an object with none of eventVersion, eventName, eventID, Records, Events, detail",
            dir.path().join("x.json").display()
        )]
    );
    let (_, report, dir) = load_text("n.json", "{\"Records\":null}");
    assert_eq!(
        problems(&report),
        vec![format!(
            "{}:1:12: not CloudTrail: `Records` is null, not an array",
            dir.path().join("n.json").display()
        )]
    );
}

#[test]
fn records_that_are_not_objects_do_not_cost_their_neighbours() {
    let e1 = event("1", "A", "2024-05-03T14:00:00Z");
    let (store, report, _dir) = load_text("x.json", &format!("{{\"Records\":[1,{e1},\"s\"]}}"));
    assert_eq!(store.len(), 1);
    let messages: Vec<String> = report
        .problems()
        .map(|p| match p {
            Error::NotCloudTrail { at, what, .. } => format!("{at} {what}"),
            other => other.to_string(),
        })
        .collect();
    assert_eq!(
        messages,
        vec![
            "1:13 a number, not an event object".to_string(),
            format!("1:{} a string, not an event object", 16 + e1.len())
        ]
    );
}

// ---------------------------------------------------------------- order and duplicates

#[test]
fn events_are_in_time_order_ties_by_input_order_missing_times_first() {
    let text = format!(
        "[{},{},{},{},{}]",
        event("late", "A", "2024-05-03T15:00:00Z"),
        event("tie-1", "A", "2024-05-03T14:00:00Z"),
        event("bad-time", "A", "not a time"),
        event("tie-2", "A", "2024-05-03T14:00:00Z"),
        event("early", "A", "2024-05-03T13:00:00.500Z"),
    );
    let (store, _, _dir) = load_text("a.json", &text);
    assert_eq!(
        ids(&store, ""),
        ["bad-time", "early", "tie-1", "tie-2", "late"]
    );
    assert_eq!(store.time(0), None);
}

#[test]
fn duplicate_deliveries_are_collapsed_and_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e1 = event("same", "CreateUser", "2024-05-03T14:00:00Z");
    let other_name = event("same", "DeleteUser", "2024-05-03T14:00:00Z");
    fs::write(
        dir.path().join("org-trail.json"),
        format!("{{\"Records\":[{e1}]}}"),
    )
    .expect("write");
    fs::write(
        dir.path().join("account-trail.json"),
        format!("{{\"Records\":[{e1},{other_name}]}}"),
    )
    .expect("write");
    let (store, report) = load(&[dir.path().to_path_buf()]);
    assert_eq!(store.len(), 2);
    assert_eq!(report.duplicates, 1);
}

// ---------------------------------------------------------------- filters

/// Eight events that differ in every filterable field.
fn filter_store() -> (Store, tempfile::TempDir) {
    let events = [
        r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAALICE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAALICE00000000000","userName":"alice"},"eventTime":"2024-05-03T10:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.15.0 Python/3.11","requestParameters":{"userName":"bob"},"responseElements":null,"requestID":"req-1","eventID":"e1","readOnly":false,"eventType":"AwsApiCall","recipientAccountId":"111122223333","eventCategory":"Management"}"#,
        r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAALICE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAALICE00000000000","userName":"alice"},"eventTime":"2024-05-03T11:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/1.29.0","errorCode":"AccessDenied","errorMessage":"User alice is not authorized","requestParameters":null,"responseElements":null,"requestID":"req-2","eventID":"e2","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"111122223333","eventCategory":"Management"}"#,
        r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAADMIN:deploy","arn":"arn:aws:sts::444455556666:assumed-role/Admin/deploy","accountId":"444455556666","accessKeyId":"ASIATEMP000000000000","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAADMIN","arn":"arn:aws:iam::444455556666:role/Admin","accountId":"444455556666","userName":"Admin"},"attributes":{"mfaAuthenticated":"false"}}},"eventTime":"2024-05-03T12:00:00Z","eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","awsRegion":"eu-west-1","sourceIPAddress":"10.1.2.3","userAgent":"Boto3/1.34","requestParameters":{"bucketName":"prod-data","policy":"x"},"responseElements":null,"requestID":"req-3","eventID":"e3","readOnly":false,"resources":[{"ARN":"arn:aws:s3:::prod-data","type":"AWS::S3::Bucket"}],"eventType":"AwsApiCall","recipientAccountId":"444455556666","eventCategory":"Management"}"#,
        r#"{"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"},"eventTime":"2024-05-03T13:00:00Z","eventSource":"kms.amazonaws.com","eventName":"GenerateDataKey","awsRegion":"eu-west-1","sourceIPAddress":"cloudtrail.amazonaws.com","userAgent":"cloudtrail.amazonaws.com","requestParameters":{"keySpec":"AES_256"},"responseElements":null,"requestID":"req-4","eventID":"e4","readOnly":true,"resources":[{"ARN":"arn:aws:kms:eu-west-1:444455556666:key/k1"}],"eventType":"AwsServiceEvent","recipientAccountId":"444455556666","eventCategory":"Management"}"#,
        r#"{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},"eventTime":"2024-05-03T14:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"2001:db8::1","userAgent":"Mozilla/5.0","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"eventID":"e5","readOnly":false,"eventType":"AwsConsoleSignIn","recipientAccountId":"111122223333","eventCategory":"Management"}"#,
        r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAADMIN:deploy","arn":"arn:aws:sts::444455556666:assumed-role/Admin/deploy","accountId":"444455556666","accessKeyId":"ASIATEMP000000000000","sessionContext":{"sessionIssuer":{"userName":"Admin","arn":"arn:aws:iam::444455556666:role/Admin"}}},"eventTime":"2024-05-03T15:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"eu-west-1","sourceIPAddress":"10.200.0.9","userAgent":"Boto3/1.34","requestParameters":{"name":"main-trail"},"responseElements":null,"requestID":"req-6","eventID":"e6","readOnly":false,"eventType":"AwsApiCall","recipientAccountId":"444455556666","eventCategory":"Management"}"#,
        r#"{"eventVersion":"1.09","eventTime":"2024-05-03T16:00:00Z","awsRegion":"us-east-1","eventID":"e7","eventType":"AwsCloudTrailInsight","recipientAccountId":"111122223333","eventCategory":"Insight","insightDetails":{"state":"Start"}}"#,
        r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"bob","accessKeyId":"AKIABOB0000000000000","accountId":"111122223333"},"eventTime":"2024-05-03T17:00:00Z","eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.20","userAgent":"aws-cli/2.15.0 Python/3.11","errorCode":"ExpiredToken","errorMessage":"The security token included in the request is expired","requestParameters":null,"responseElements":null,"requestID":"req-8","eventID":"e8","readOnly":"true","eventType":"AwsApiCall","recipientAccountId":"111122223333","eventCategory":"Management"}"#,
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("filters.json");
    fs::write(&path, format!("{{\"Records\":[{}]}}", events.join(","))).expect("write");
    let (store, report) = load(&[path]);
    assert_eq!(problems(&report), Vec::<String>::new());
    assert_eq!(store.len(), 8);
    (store, dir)
}

#[test]
fn every_field_filters() {
    let (store, _dir) = filter_store();
    let cases: &[(&str, &[&str])] = &[
        ("name:CreateAccessKey", &["e1"]),
        ("name:createaccesskey", &["e1"]),
        ("name:Create*", &["e1"]),
        ("name:*Bucket*", &["e2", "e3"]),
        ("source:iam", &["e1"]),
        ("source:s3.amazonaws.com", &["e2", "e3"]),
        ("region:eu-west-1", &["e3", "e4", "e6"]),
        ("account:444455556666", &["e3", "e4", "e6"]),
        ("ip:203.0.113.7", &["e1", "e2"]),
        ("ip:10.0.0.0/8", &["e3", "e6"]),
        ("ip:10.1.0.0/16", &["e3"]),
        ("ip:2001:db8::/32", &["e5"]),
        ("agent:\"aws-cli/2*\"", &["e1", "e8"]),
        ("error:*", &["e2", "e8"]),
        ("-error:*", &["e1", "e3", "e4", "e5", "e6", "e7"]),
        ("error:AccessDenied", &["e2"]),
        ("msg:*expired", &["e8"]),
        ("type:AssumedRole", &["e3", "e6"]),
        ("type:awsservice", &["e4"]),
        ("principal:alice", &["e1", "e2"]),
        ("principal:Admin/deploy", &["e3", "e6"]),
        ("identity:Admin", &["e3", "e6"]),
        ("identity:deploy", &["e3", "e6"]),
        (
            "identity:arn:aws:iam::111122223333:user/alice",
            &["e1", "e2"],
        ),
        ("identity:AIDAALICE", &["e1", "e2"]),
        ("principal:root", &["e5"]),
        ("principal:cloudtrail.amazonaws.com", &["e4"]),
        ("arn:*:assumed-role/*", &["e3", "e6"]),
        ("key:ASIA*", &["e3", "e6"]),
        ("key:AKIABOB0000000000000", &["e8"]),
        ("id:e5", &["e5"]),
        ("request:req-3", &["e3"]),
        ("readonly:true", &["e2", "e4", "e8"]),
        ("readonly:false", &["e1", "e3", "e5", "e6"]),
        ("category:insight", &["e7"]),
        ("eventtype:AwsConsoleSignIn", &["e5"]),
        ("resource:arn:aws:s3:::prod-*", &["e3"]),
        ("credential:temporary", &["e3", "e6"]),
        ("credential:long-term", &["e1", "e2", "e8"]),
        ("credential:console*", &["e5"]),
        ("after:2024-05-03T15:00:00Z", &["e6", "e7", "e8"]),
        ("before:2024-05-03T11:00:00Z", &["e1"]),
        ("after:-2h", &["e6", "e7", "e8"]),
        ("after:2024-05-04", &[]),
        ("requestParameters.bucketName:prod-*", &["e3"]),
        ("requestParameters.userName:bob", &["e1"]),
        ("responseElements.ConsoleLogin:success", &["e5"]),
        ("insightDetails.state:*", &["e7"]),
    ];
    for (filter, expected) in cases {
        assert_eq!(ids(&store, filter), *expected, "filter `{filter}`");
    }
}

#[test]
fn operators_combine() {
    let (store, _dir) = filter_store();
    let cases: &[(&str, &[&str])] = &[
        ("crtacckey", &["e1"]),
        ("CRTACC", &["e1"]),
        ("name~stoplog", &["e6"]),
        ("principal~alic", &["e1", "e2"]),
        ("\"prod-data\"", &["e3"]),
        ("\"PROD-DATA\"", &["e3"]),
        ("\"not authorized\"", &["e2"]),
        ("principal:alice -error:*", &["e1"]),
        ("principal:alice not error:*", &["e1"]),
        (
            "region:eu-west-1 or error:ExpiredToken",
            &["e3", "e4", "e6", "e8"],
        ),
        ("(source:s3 or source:iam) readonly:false", &["e1", "e3"]),
        (
            "-(source:s3 or source:iam)",
            &["e4", "e5", "e6", "e7", "e8"],
        ),
        ("", &["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"]),
    ];
    for (filter, expected) in cases {
        assert_eq!(ids(&store, filter), *expected, "filter `{filter}`");
    }
}

#[test]
fn principals_and_credentials_in_the_index() {
    let (store, _dir) = filter_store();
    let principals: Vec<&str> = (0..store.len())
        .map(|r| store.get(Col::Principal, r))
        .collect();
    assert_eq!(
        principals,
        [
            "alice",
            "alice",
            "Admin/deploy",
            "cloudtrail.amazonaws.com",
            "root",
            "Admin/deploy",
            "",
            "bob"
        ]
    );
    let credentials: Vec<&str> = (0..store.len())
        .map(|r| store.credential(r).label())
        .collect();
    assert_eq!(
        credentials,
        [
            "long-term key",
            "long-term key",
            "temporary",
            "AWS service",
            "console session",
            "temporary",
            "none",
            "long-term key"
        ]
    );
}
