//! Filesystem trouble: symlink loops, dangling links, FIFOs and devices, files that vanish
//! during the load, very many files in one directory.

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use trailscope::load::{LoadOptions, Progress};
use trailscope::store::Store;

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
