//! The real binary: outputs, exit statuses and messages, on the fixtures.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn run(args: &[&str]) -> Output {
    run_with_stdin(args, None)
}

fn run_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn trailscope");
    if let Some(bytes) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(bytes)
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn seeds_count_is_25_and_exit_3_naming_the_broken_files() {
    let seeds = fixtures().join("seeds");
    let out = run(&["query", path(&seeds), "--count"]);
    assert_eq!(stdout(&out), "25\n");
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains("workmail-1.json:1:218: malformed JSON"),
        "{err}"
    );
    assert!(
        err.contains("workmail-2.json:1:639: malformed JSON"),
        "{err}"
    );
}

#[test]
fn check_real_fixtures_reports_no_problem() {
    let real = fixtures().join("real");
    let out = run(&["check", path(&real)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.ends_with(
        "1112 inputs, 17914 events (167 duplicates collapsed, 2 differing copies kept), 0 digests, 0 problems\n"
    ));
    let line = text
        .lines()
        .find(|l| l.contains("trailscraper/events-for-smoke-test.json"))
        .expect("line");
    assert!(
        line.ends_with(": Records document, 3 events, 0 digests, 2 collapsed as copies, ok"),
        "{line}"
    );
    let stratus = text
        .lines()
        .find(|l| l.contains("cloudtrail-stop.json"))
        .expect("line");
    assert!(stratus.contains(": array of events, "), "{stratus}");
}

#[test]
fn jsonl_lines_are_the_original_events() {
    let file = fixtures().join("real/trailscraper/events-for-smoke-test.json");
    let out = run(&["query", path(&file), "-o", "jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    let original: serde_json::Value =
        serde_json::from_slice(&fs::read(&file).expect("read")).expect("json");
    let mut expected: Vec<serde_json::Value> =
        original["Records"].as_array().expect("records").clone();
    expected.sort_by_key(|e| e["eventTime"].as_str().unwrap_or("").to_string());
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines, expected);
    // Keys keep their original order.
    let first = stdout(&out).lines().next().unwrap_or("").to_string();
    assert!(first.starts_with("{\"eventVersion\":"), "{first}");
}

#[test]
fn json_output_loads_again_to_the_same_events() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = fixtures().join("real/grycap-cloudtrail-tracker/examples");
    let first = run(&["query", path(&source), "-o", "jsonl"]);
    let doc = run(&["query", path(&source), "-o", "json"]);
    let saved = dir.path().join("saved.json");
    fs::write(&saved, &doc.stdout).expect("write");
    let again = run(&["query", path(&saved), "-o", "jsonl"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(!first.stdout.is_empty());
    assert_eq!(stdout(&again), stdout(&first));
}

#[test]
fn stdin_is_a_path() {
    let file = fixtures().join("real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz");
    let bytes = fs::read(file).expect("read");
    let out = run_with_stdin(&["query", "-", "--count"], Some(&bytes));
    assert_eq!(stdout(&out), "2\n");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn csv_has_the_documented_columns_and_defuses_formulas() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("evil.json");
    fs::write(
        &file,
        r#"{"eventVersion":"1.08","eventTime":"2024-05-03T14:02:11Z","eventSource":"iam.amazonaws.com","eventName":"=HYPERLINK(\"http://x\",\"y\")","awsRegion":"us-east-1","sourceIPAddress":"@1.2.3.4","userIdentity":{"type":"IAMUser","userName":"+alice","accessKeyId":"-AKIA"},"errorCode":"\tx","readOnly":false,"recipientAccountId":"111122223333","eventID":"e1"}"#,
    )
    .expect("write");
    let out = run(&["query", path(&file), "-o", "csv"]);
    assert_eq!(
        stdout(&out),
        "eventTime,eventName,eventSource,awsRegion,sourceIPAddress,principal,userIdentity.type,accessKeyId,errorCode,readOnly,recipientAccountId,eventID\n\
         2024-05-03T14:02:11Z,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",iam.amazonaws.com,us-east-1,'@1.2.3.4,'+alice,IAMUser,'-AKIA,'\\tx,false,111122223333,e1\n"
    );
}

#[test]
fn table_is_aligned() {
    let file = fixtures().join("real/trailscraper/events-for-smoke-test.json");
    let out = run(&["query", path(&file), "-o", "table", "-w", "-name:Describe*"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("TIME                  EVENT"),
        "{text}"
    );
    assert_eq!(lines.len(), 1 + 2, "{text}");
}

#[test]
fn stats_by_prints_value_tab_count() {
    let file = fixtures().join("real/trailscraper/events-for-smoke-test.json");
    let out = run(&["stats", path(&file), "--by", "source"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "apigateway.amazonaws.com\t1\nautoscaling.amazonaws.com\t1\nsts.amazonaws.com\t1\n"
    );
    let out = run(&[
        "stats",
        path(&file),
        "--by",
        "source",
        "--top",
        "1",
        "-o",
        "json",
    ]);
    assert_eq!(
        stdout(&out),
        "[{\"count\":1,\"value\":\"apigateway.amazonaws.com\"}]\n"
    );
}

/// Every command writes every format from one enum: `stats` as JSON Lines and CSV,
/// `summary` as CSV; Timesketch's formats take events, and say so.
#[test]
fn every_command_writes_the_one_format_enum() {
    let file = fixtures().join("real/trailscraper/events-for-smoke-test.json");
    let out = run(&["stats", path(&file), "--by", "source", "-o", "jsonl"]);
    assert_eq!(
        stdout(&out),
        "{\"count\":1,\"value\":\"apigateway.amazonaws.com\"}\n\
         {\"count\":1,\"value\":\"autoscaling.amazonaws.com\"}\n\
         {\"count\":1,\"value\":\"sts.amazonaws.com\"}\n"
    );
    let out = run(&["stats", path(&file), "--by", "source,name", "-o", "csv"]);
    assert_eq!(
        stdout(&out),
        "source,name,count,first,last\n\
         apigateway.amazonaws.com,GetResource,1,2015-06-17T00:47:28Z,2015-06-17T00:47:28Z\n\
         autoscaling.amazonaws.com,DescribeLaunchConfigurations,1,2017-12-11T15:01:51Z,2017-12-11T15:01:51Z\n\
         sts.amazonaws.com,AssumeRole,1,2017-12-11T15:04:51Z,2017-12-11T15:04:51Z\n"
    );
    let out = run(&["summary", path(&file), "--top", "1", "-o", "csv"]);
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("field,value,account,events,errors,first,last")
    );
    assert_eq!(
        lines.next(),
        Some("principal,config.amazonaws.com,,1,0,2017-12-11T15:04:51Z,2017-12-11T15:04:51Z")
    );
    let out = run(&["check", path(&file), "-o", "csv"]);
    assert_eq!(
        stdout(&out),
        format!(
            "input,shape,events,digests,copies,conflicts,problems\n{},Records document,3,0,0,0,\n",
            path(&file)
        )
    );
    let out = run(&["stats", path(&file), "--by", "source", "-o", "timesketch"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Timesketch formats take events: trailscope query -o timesketch"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn limit_keeps_the_first_events() {
    let dir = fixtures().join("real/grycap-cloudtrail-tracker/examples");
    let out = run(&["query", path(&dir), "--limit", "3", "-o", "jsonl"]);
    assert_eq!(stdout(&out).lines().count(), 3);
}

#[test]
fn bad_expression_is_fatal_with_its_column() {
    let file = fixtures().join("real/trailscraper/events-for-smoke-test.json");
    let out = run(&["query", path(&file), "-w", "name:x colour:red"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with(
        "trailscope: bad filter `name:x colour:red`: column 8: unknown field `colour`; known fields: name, source,"
    ), "{}", stderr(&out));
}

#[test]
fn nothing_readable_is_fatal_and_bad_usage_is_2() {
    let out = run(&["query", "/nonexistent/trail", "--count"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/nonexistent/trail: cannot read"));
    let out = run(&["query", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn nothing_matched_is_still_success() {
    let file = fixtures().join("real/trailscraper/events-for-smoke-test.json");
    let out = run(&["query", path(&file), "-w", "name:NoSuchCall", "--count"]);
    assert_eq!((stdout(&out).as_str(), out.status.code()), ("0\n", Some(0)));
}

#[test]
fn version_help_and_completions() {
    let out = run(&["--version"]);
    assert_eq!(
        stdout(&out),
        format!("trailscope {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = run(&["query", "--help"]);
    assert!(stdout(&out).contains("Examples:"));
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("trailscope"), "{shell}");
    }
}

#[test]
fn headless_commands_need_a_path_or_demo() {
    for command in ["query", "stats", "check"] {
        let out = run(&[command]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert_eq!(
            stderr(&out),
            "trailscope: give a PATH, or --demo for the built-in demo\n",
            "{command}"
        );
        assert_eq!(
            stdout(&out),
            "",
            "{command}: no synthetic data for a script"
        );
    }
    let out = run(&["query", "--demo", "-q", "--count"]);
    assert_eq!(
        (out.status.code(), stdout(&out).as_str()),
        (Some(0), "27910\n")
    );
}

#[test]
fn the_explorer_without_a_terminal_says_what_to_use() {
    let out = run(&[path(&fixtures().join("real/trailscraper"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "the explorer needs a terminal; for a pipe or a script use `trailscope query PATH`"
        ),
        "{}",
        stderr(&out)
    );
}

/// `-o table` to a file or a pipe never cuts a value (a terminal gets `…` at a reading
/// width); the agent of the demo's deploy pipeline is 96 characters.
#[test]
fn a_table_in_a_pipe_is_never_cut() {
    let out = run(&[
        "query",
        "--demo",
        "-q",
        "-w",
        "origin:ci-deploy name:DescribeServices",
        "-o",
        "table",
        "--columns",
        "name,agent",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first(), Some(&"EVENT             AGENT"));
    assert!(lines.len() > 1);
    for line in &lines[1..] {
        assert_eq!(
            *line,
            "DescribeServices  aws-cli/2.13.25 Python/3.11.6 Linux/5.15.0-1049-aws \
             exe/x86_64.ubuntu.22 prompt/off command/ecs.update-service"
        );
    }
}
