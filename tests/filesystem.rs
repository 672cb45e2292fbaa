//! Filesystem trouble: symlink loops, dangling links, FIFOs and devices, files that vanish
//! during the load, very many files in one directory.

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use trailscope::load::{LoadOptions, Progress};
use trailscope::query;
use trailscope::store::{Session, Store};

mod common;

use common::input::{event, load, problems, run};

#[test]
fn symlink_loops_dangling_links_fifos_and_devices() {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = dir.path().join("logs");
    fs::create_dir_all(logs.join("a")).expect("mkdir");
    fs::write(logs.join("a/one.json"), event("1", "2024-05-03T14:00:00Z")).expect("write");
    std::os::unix::fs::symlink(&logs, logs.join("a/loop")).expect("symlink");
    std::os::unix::fs::symlink(logs.join("missing.json"), logs.join("dangling.json"))
        .expect("symlink");
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let start = Instant::now();
    let (out, err, code) = run(
        &[
            "query",
            logs.to_str().unwrap_or(""),
            fifo.to_str().unwrap_or(""),
            "/dev/null",
            "--count",
        ],
        dir.path(),
    );
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!((out.as_str(), code), ("1\n", Some(3)));
    assert!(
        err.contains("trailscope: logs/dangling.json: cannot read: No such file or directory"),
        "{err}"
    );
    assert!(
        err.contains("trailscope: fifo: skipped: not a regular file"),
        "{err}"
    );
    assert!(
        err.contains("trailscope: /dev/null: skipped: not a regular file"),
        "{err}"
    );
}

#[test]
fn a_file_that_disappears_during_the_load_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("stays.json"),
        event("1", "2024-05-03T14:00:00Z"),
    )
    .expect("write");
    fs::write(
        dir.path().join("vanishes.json"),
        event("2", "2024-05-03T14:00:01Z"),
    )
    .expect("write");
    let (inputs, _) = trailscope::source::discover(&[dir.path().to_path_buf()]);
    fs::remove_file(dir.path().join("vanishes.json")).expect("remove");
    let (store, report) = Store::load(&inputs, &LoadOptions::default(), &Progress::default());
    assert_eq!(store.len(), 1);
    assert_eq!(
        problems(&report, dir.path()),
        ["vanishes.json: cannot read: No such file or directory (os error 2)"]
    );
}

#[test]
fn a_hundred_thousand_tiny_files_in_one_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..100_000 {
        fs::write(
            dir.path().join(format!("{i:06}.json")),
            event(&i.to_string(), "2024-05-03T14:00:00Z"),
        )
        .expect("write");
    }
    let start = Instant::now();
    let (store, report) = load(dir.path());
    assert_eq!(store.len(), 100_000);
    assert!(!report.has_problems());
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
    // Ties in time keep input order: the sorted file names.
    assert_eq!(store.event_id(0), "0");
    assert_eq!(store.event_id(99_999), "99999");
}

#[test]
fn a_file_two_thousand_folders_deep_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Made one folder at a time, each relative to the last, as a tool that never builds
    // the whole path would.
    use rustix::fs::{mkdirat, openat, Mode, OFlags};
    let folder = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let mut fd = openat(rustix::fs::CWD, dir.path(), folder, Mode::empty()).expect("open");
    for _ in 0..2000 {
        mkdirat(&fd, "dd", Mode::from_raw_mode(0o755)).expect("mkdir");
        fd = openat(&fd, "dd", folder, Mode::empty()).expect("open");
    }
    let file = openat(
        &fd,
        "deep.json",
        OFlags::WRONLY | OFlags::CREATE | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o644),
    )
    .expect("create");
    std::io::Write::write_all(
        &mut fs::File::from(file),
        event("deep", "2024-05-03T14:00:00Z").as_bytes(),
    )
    .expect("write");
    fs::write(
        dir.path().join("top.json"),
        event("top", "2024-05-03T14:00:01Z"),
    )
    .expect("write");
    let (store, report) = load(dir.path());
    assert_eq!(problems(&report, dir.path()), Vec::<String>::new());
    let ids: Vec<String> = (0..store.len())
        .map(|r| store.event_id(r).to_string())
        .collect();
    assert_eq!(ids, ["deep", "top"]);
    // The event is shown from its file too (read again by path).
    let json: serde_json::Value = serde_json::from_str(&store.event_json(0)).expect("json");
    assert_eq!(json["eventID"], "deep");
}

/// Files on disk are read again to show an event, not kept in memory: one rewritten,
/// grown, touched or deleted after the load is said to have changed (named, with what
/// differs), and its new bytes are never shown as the event; the others still show.
#[test]
fn a_file_changed_after_the_load_is_named_never_shown_as_the_event() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let gz = |text: &str| {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(text.as_bytes()).expect("gzip");
        enc.finish().expect("gzip")
    };
    let names = [
        "kept.json.gz",
        "rewritten.json.gz",
        "grown.json",
        "touched.json",
        "gone.json",
    ];
    for (i, name) in names.iter().enumerate() {
        let text = format!(
            "{{\"Records\":[{}]}}",
            event(&format!("e{i}"), &format!("2024-05-03T14:00:0{i}Z"))
        );
        let bytes = if name.ends_with(".gz") {
            gz(&text)
        } else {
            text.into_bytes()
        };
        fs::write(dir.path().join(name), bytes).expect("write");
    }
    let (store, report) = Store::load_paths(
        &[dir.path().to_path_buf()],
        &LoadOptions::default(),
        &Progress::default(),
    );
    assert_eq!(report.problems().count(), 0);
    assert_eq!(store.len(), 5);
    let row = |id: &str| {
        (0..store.len())
            .find(|&r| store.event_id(r) == id)
            .expect("row")
    };
    let before: Vec<String> = (0..5)
        .map(|i| store.event_json(row(&format!("e{i}"))))
        .collect();
    // Same size, same time: only the content (the gzip trailer) tells.
    let same_size = fs::metadata(dir.path().join(names[1])).expect("meta");
    let other = gz(&format!(
        "{{\"Records\":[{}]}}",
        event("x1", "2024-05-03T14:00:01Z")
    ));
    fs::write(dir.path().join(names[1]), &other).expect("rewrite");
    let file = fs::File::options()
        .write(true)
        .open(dir.path().join(names[1]))
        .expect("open");
    file.set_len(same_size.len()).expect("size");
    file.set_modified(same_size.modified().expect("mtime"))
        .expect("mtime");
    fs::OpenOptions::new()
        .append(true)
        .open(dir.path().join(names[2]))
        .expect("open")
        .write_all(b"\n")
        .expect("grow");
    let touched = fs::File::options()
        .write(true)
        .open(dir.path().join(names[3]))
        .expect("open");
    touched
        .set_modified(std::time::SystemTime::now() + Duration::from_secs(60))
        .expect("touch");
    fs::remove_file(dir.path().join(names[4])).expect("remove");

    assert_eq!(
        store.event_text(row("e0")).as_deref(),
        Ok(before[0].as_str())
    );
    let said = |id: &str| store.event_text(row(id)).expect_err(id).to_string();
    assert!(
        said("e1").contains("rewritten.json.gz changed since it was loaded"),
        "{}",
        said("e1")
    );
    assert!(said("e2").contains("grown.json changed since it was loaded (its size differs)"));
    assert!(
        said("e3").contains("(its modification time differs)"),
        "{}",
        said("e3")
    );
    assert!(said("e4").contains("gone.json changed since it was loaded (it cannot be read)"));
    assert_eq!(store.event_json(row("e2")), "");
    // A phrase search skips what changed and says which inputs did.
    let hits = query::parse("\"e0\" or \"e2\"")
        .expect("filter")
        .rows(&store, &Session::default());
    assert_eq!(hits.len(), 1);
    let changed: Vec<String> = store
        .changed_inputs()
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(changed.len(), 4, "{changed:?}");
    // Exporting the events stops at a changed file, naming it, rather than writing
    // something else in its place.
    for format in [
        trailscope::output::Format::Json,
        trailscope::output::Format::Jsonl,
    ] {
        let mut out = Vec::new();
        let rows: Vec<u32> = (0..store.len() as u32).collect();
        let err = trailscope::output::write(
            &mut out,
            &store,
            &Session::default(),
            &rows,
            (format, trailscope::output::Destination::File),
            &[],
        )
        .expect_err("a changed file");
        assert!(
            err.to_string().contains("changed since it was loaded"),
            "{err}"
        );
        assert!(!String::from_utf8_lossy(&out).contains("x1"));
    }
}
