//! The saved index: a second run on the same files opens it instead of parsing them and
//! gets the same index; a changed file makes the trail load again; a damaged, truncated,
//! foreign or other-version index file is said once, rebuilt, and never trusted.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use trailscope::load::{LoadOptions, LoadReport, Progress};
use trailscope::store::{Col, Session, Store};

mod common;

/// A trail of the demo's first 40 deliveries (gzip) and the chain set (plain JSON).
fn trail() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in common::demo_deliveries().iter().take(40) {
        fs::copy(file, dir.path().join(file.file_name().expect("name"))).expect("copy");
    }
    fs::copy(
        root.join("tests/fixtures/chains/chains.json"),
        dir.path().join("chains.json"),
    )
    .expect("copy");
    dir
}

/// The trail's gzip deliveries.
fn deliveries(trail: &Path) -> Vec<PathBuf> {
    fs::read_dir(trail)
        .expect("trail")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect()
}

/// Loads `trail` through the index in `cache`; also says how many events were parsed.
fn load(trail: &Path, cache: &Path) -> (Store, LoadReport, usize) {
    let options = LoadOptions {
        index_dir: Some(cache.to_path_buf()),
        ..LoadOptions::default()
    };
    let progress = Progress::default();
    let (store, report) = Store::load_paths(&[trail.to_path_buf()], &options, &progress);
    (store, report, progress.events.load(Ordering::Relaxed))
}

fn index_file(cache: &Path) -> PathBuf {
    let files: Vec<PathBuf> = fs::read_dir(cache)
        .expect("cache dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

/// Every column, time, credential, read-only flag and event JSON of every row, and what
/// the report says of each input.
fn same(a: &Store, ra: &LoadReport, b: &Store, rb: &LoadReport) {
    assert_eq!(a.len(), b.len());
    for row in 0..a.len() {
        for col in Col::ALL {
            assert_eq!(a.get(col, row), b.get(col, row), "row {row} {col:?}");
        }
        assert_eq!(a.time(row), b.time(row));
        assert_eq!(a.credential(row), b.credential(row));
        assert_eq!(a.read_only(row), b.read_only(row));
        assert_eq!(a.event_id(row), b.event_id(row));
        assert_eq!(a.event_json(row), b.event_json(row));
    }
    let inputs = |r: &LoadReport| -> Vec<String> {
        r.inputs
            .iter()
            .map(|i| {
                format!(
                    "{} {:?} {} {} {}",
                    i.name, i.shapes, i.events, i.digests, i.duplicates
                )
            })
            .collect()
    };
    assert_eq!(inputs(ra), inputs(rb));
    assert_eq!((ra.duplicates, ra.digests), (rb.duplicates, rb.digests));
    // Filters, chains and full text answer the same.
    for filter in [
        "origin:deployer",
        "principal:*@example.com",
        "\"AdministratorAccess\"",
        "-error:*",
        // Phrases the inputs' summaries may skip files for: an address, a key id in
        // another case, text across the JSON's punctuation, three bytes (no summary), and
        // a phrase in no file.
        "\"203.0.113.44\"",
        "\"asiaexamplehop1key01\"",
        r#""eventName\":\"AssumeRole""#,
        "\"iam\"",
        "\"198.51.100.254.7\"",
    ] {
        let expr = trailscope::query::parse(filter).expect("filter");
        let none = Session::default();
        assert_eq!(expr.rows(a, &none), expr.rows(b, &none), "{filter}");
    }
}

#[test]
fn a_second_run_opens_the_saved_index_and_gets_the_same_index() {
    let trail = trail();
    let cache = tempfile::tempdir().expect("tempdir");
    let (fresh, fresh_report, parsed) = load(trail.path(), cache.path());
    assert!(parsed > 100, "{parsed}");
    assert_eq!(fresh_report.index_note, None);
    index_file(cache.path());
    let (opened, report, parsed) = load(trail.path(), cache.path());
    assert_eq!(parsed, 0, "opened, not parsed");
    assert_eq!(report.index_note, None);
    same(&fresh, &fresh_report, &opened, &report);
    // The detail pane reads each event from its file, as after a load.
    assert!(opened.event_json(0).starts_with('{'));
}

/// After reopening, a rare phrase reads only the files its summary says may hold it: of the
/// 40 deliveries, rewritten once the index was opened, those read are found changed. An
/// address and a key id only the chain set holds read few of them; text every file holds
/// reads them all.
#[test]
fn a_rare_phrase_reads_only_the_files_that_may_hold_it() {
    let trail = trail();
    let cache = tempfile::tempdir().expect("tempdir");
    load(trail.path(), cache.path());
    let deliveries = deliveries(trail.path());
    assert_eq!(deliveries.len(), 40);
    let none = Session::default();
    let read = |filter: &str| {
        // The files put back after the last phrase are read again, and the index saved.
        load(trail.path(), cache.path());
        let (opened, _, parsed) = load(trail.path(), cache.path());
        assert_eq!(parsed, 0);
        for delivery in &deliveries {
            fs::write(delivery, b"{\"Records\":[]}").expect("rewrite");
        }
        let expr = trailscope::query::parse(filter).expect("filter");
        let rows = expr.rows(&opened, &none).len();
        let read = opened.changed_inputs().len();
        // Put back as they were, for the next open.
        for delivery in &deliveries {
            let name = delivery.file_name().expect("name");
            let source = common::demo_deliveries()
                .into_iter()
                .find(|p| p.file_name() == Some(name))
                .expect("source");
            fs::copy(source, delivery).expect("copy");
        }
        (rows, read)
    };
    // (rows found, deliveries read): the chain set's addresses and keys read none.
    assert_eq!(read("\"203.0.113.44\""), (3, 0));
    assert_eq!(read("\"192.0.2.99\""), (1, 0));
    assert_eq!(read("\"asiaexampleOUTSIDE05\""), (1, 0));
    assert_eq!(read("\"ASIAEXAMPLEHOP1KEY01\""), (4, 0));
    // The summary says "may", not "does": two deliveries (a quarter of the demo's hold
    // addresses in 2001:db8::/32) are read for nothing.
    assert_eq!(read("\"2001:db8:85a3:4d21:7a2f:e0c8:31b5:9c04\""), (4, 2));
    // Six bytes and fewer: every file.
    assert_eq!(read("\"ASIA05\""), (0, 40));
    assert_eq!(read("\"eventVersion\""), (15, 40));
}

/// The explorer's session that writes the index keeps the summaries it made: its own phrase
/// searches skip files too; a command's (which ends once the index is written) does not.
#[test]
fn the_session_that_writes_the_index_searches_with_its_summaries() {
    let trail = trail();
    let cache = tempfile::tempdir().expect("tempdir");
    let options = LoadOptions {
        index_dir: Some(cache.path().to_path_buf()),
        ..LoadOptions::default()
    };
    let paths = [trail.path().to_path_buf()];
    let read = |keep: bool| {
        let _ = fs::remove_dir_all(cache.path());
        let (inputs, problems) = trailscope::source::discover(&paths);
        let (store, _, save) =
            Store::load_saving_later(&paths, inputs, problems, &options, &Progress::default());
        let save = save.expect("an index to save");
        let save = if keep { save.keeping_summaries() } else { save };
        save.write(&store).expect("saved");
        // Every delivery rewritten since: one read is one found changed.
        let deliveries = deliveries(trail.path());
        let kept: Vec<Vec<u8>> = deliveries
            .iter()
            .map(|p| fs::read(p).expect("read"))
            .collect();
        for delivery in &deliveries {
            fs::write(delivery, b"{\"Records\":[]}").expect("rewrite");
        }
        let expr = trailscope::query::parse("\"192.0.2.99\"").expect("filter");
        let rows = expr.rows(&store, &Session::default()).len();
        for (delivery, bytes) in deliveries.iter().zip(kept) {
            fs::write(delivery, bytes).expect("put back");
        }
        (rows, store.changed_inputs().len())
    };
    assert_eq!(read(true), (1, 0));
    assert_eq!(read(false), (1, 40));
}

/// Loads `trail` afresh, without an index.
fn fresh(trail: &Path) -> (Store, LoadReport) {
    Store::load_paths(
        &[trail.to_path_buf()],
        &LoadOptions::default(),
        &Progress::default(),
    )
}

#[test]
fn a_changed_added_or_removed_file_is_all_that_is_read_again() {
    let trail = trail();
    let cache = tempfile::tempdir().expect("tempdir");
    load(trail.path(), cache.path());
    let events_of = |path: &Path| fresh(path).0.len();

    // Added: a delivery of the demo not yet in the trail — only it is read.
    let more: Vec<PathBuf> = common::demo_deliveries()
        .into_iter()
        .filter(|path| !trail.path().join(path.file_name().expect("name")).exists())
        .collect();
    let added = trail.path().join(more[0].file_name().expect("name"));
    fs::copy(&more[0], &added).expect("copy");
    let (store, report, parsed) = load(trail.path(), cache.path());
    assert_eq!(parsed, events_of(&added));
    let (want, want_report) = fresh(trail.path());
    same(&want, &want_report, &store, &report);
    // ...and the index saved with it opens.
    let (_, _, parsed) = load(trail.path(), cache.path());
    assert_eq!(parsed, 0);

    // Changed: the chain set rewritten with one event fewer — only it is read.
    let chains = trail.path().join("chains.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&chains).expect("read")).expect("json");
    doc["Records"].as_array_mut().expect("records").pop();
    fs::write(&chains, doc.to_string()).expect("write");
    let (store, report, parsed) = load(trail.path(), cache.path());
    assert_eq!(parsed, 14);
    let (want, want_report) = fresh(trail.path());
    same(&want, &want_report, &store, &report);

    // Removed: nothing is read.
    fs::remove_file(&added).expect("remove");
    let (store, report, parsed) = load(trail.path(), cache.path());
    assert_eq!(parsed, 0);
    let (want, want_report) = fresh(trail.path());
    same(&want, &want_report, &store, &report);

    // A copy of the chain set: its events collapse onto the first ones (read: 14).
    fs::copy(&chains, trail.path().join("again.json")).expect("copy");
    let (store, report, parsed) = load(trail.path(), cache.path());
    assert_eq!((parsed, report.duplicates), (14, 14));
    let (want, want_report) = fresh(trail.path());
    same(&want, &want_report, &store, &report);
    // Now copies were collapsed: a changed file loads the whole trail again (a copy
    // dropped then may be the one to show now).
    let file = fs::File::options().write(true).open(&chains).expect("open");
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .expect("touch");
    let (store, report, parsed) = load(trail.path(), cache.path());
    assert_eq!(parsed, want.len() + 14);
    same(&want, &want_report, &store, &report);
}

#[test]
fn a_damaged_index_is_said_once_rebuilt_and_never_trusted() {
    let trail = trail();
    let cache = tempfile::tempdir().expect("tempdir");
    let (fresh, fresh_report, _) = load(trail.path(), cache.path());
    let file = index_file(cache.path());
    let good = fs::read(&file).expect("read");
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x10;
    let mut version = good.clone();
    version[b"trailscope-index\n".len()] = 99;
    let damages: [(&str, Vec<u8>, &str); 5] = [
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "was truncated: rebuilt",
        ),
        (
            "bit-flipped",
            flipped,
            "was damaged (checksum mismatch): rebuilt",
        ),
        (
            "another version",
            version,
            "was made by another version of trailscope (format 99",
        ),
        (
            "foreign",
            b"{\"Records\":[]}".to_vec(),
            "was not a trailscope index: rebuilt",
        ),
        ("empty", Vec::new(), "was not a trailscope index: rebuilt"),
    ];
    for (what, bytes, said) in damages {
        fs::write(&file, &bytes).expect("damage");
        let (store, report, parsed) = load(trail.path(), cache.path());
        let note = report.index_note.clone().unwrap_or_default();
        assert!(note.contains(said), "{what}: {note}");
        assert!(note.contains(&file.display().to_string()), "{what}: {note}");
        assert!(parsed > 0, "{what}: parsed again");
        same(&fresh, &fresh_report, &store, &report);
        // Rebuilt: the next run opens it, and says nothing.
        let (_, report, parsed) = load(trail.path(), cache.path());
        assert_eq!((report.index_note, parsed), (None, 0), "{what}");
    }
}

#[test]
fn a_load_with_problems_is_saved_and_says_them_again() {
    let trail = trail();
    fs::write(
        trail.path().join("broken.json"),
        "{\"Records\":[{\"eventID\":",
    )
    .expect("write");
    let cache = tempfile::tempdir().expect("tempdir");
    let (first, report, _) = load(trail.path(), cache.path());
    let said: Vec<String> = report.problems().map(|p| p.to_string()).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].ends_with("broken.json:1:23: malformed JSON: EOF while parsing a value"),
        "{said:?}"
    );
    index_file(cache.path());
    // Reopened: nothing parsed, the same events, the same problem said again.
    let (again, report, parsed) = load(trail.path(), cache.path());
    assert_eq!(parsed, 0);
    assert_eq!(again.len(), first.len());
    let again_said: Vec<String> = report.problems().map(|p| p.to_string()).collect();
    assert_eq!(again_said, said);
}

/// `trailscope cache` lists each saved index with its trail's folder and file count;
/// `--clear` removes them; `--no-index-cache` writes none. ($XDG_CACHE_HOME/trailscope
/// is the default folder.)
#[test]
fn the_cache_command_lists_and_clears_the_saved_indexes() {
    let trail = trail();
    let cache = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
            .args(args)
            .env("XDG_CACHE_HOME", cache.path())
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let trail_path = trail.path().display().to_string();
    run(&[
        "query",
        &trail_path,
        "--no-index-cache",
        "-w",
        "name:AssumeRole",
    ]);
    let listed = run(&["cache"]);
    assert!(
        listed.ends_with("0 MiB in 0 indexes; `trailscope cache --clear` removes them\n")
            || listed.contains("0.0 MiB in 0 indexes"),
        "{listed}"
    );
    let first = run(&["query", &trail_path, "-w", "name:AssumeRole"]);
    let again = run(&["query", &trail_path, "-w", "name:AssumeRole"]);
    assert_eq!(first, again);
    assert!(!first.is_empty());
    let listed = run(&["cache"]);
    let trail_folder = fs::canonicalize(trail.path()).expect("canonical");
    assert!(
        listed.contains(&format!("{} (41 files)", trail_folder.display())),
        "{listed}"
    );
    assert!(listed.contains(" in 1 index;"), "{listed}");
    let cleared = run(&["cache", "--clear"]);
    assert!(cleared.starts_with("removed 1 saved index ("), "{cleared}");
    assert_eq!(index_count(&cache.path().join("trailscope")), 0);
}

fn index_count(cache: &Path) -> usize {
    fs::read_dir(cache)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "idx"))
                .count()
        })
        .unwrap_or(0)
}

/// An index folder that cannot be made (a file is in the way): the command still answers,
/// exits 0, and says once on stderr that the index was not saved.
#[test]
fn an_index_that_cannot_be_written_is_said_after_the_answer() {
    let trail = trail();
    let blocker = tempfile::NamedTempFile::new().expect("file");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(["query", "-w", "name:AssumeRole", "--count", "--index-dir"])
        .arg(blocker.path())
        .arg(trail.path())
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    let fresh = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args([
            "query",
            "-w",
            "name:AssumeRole",
            "--count",
            "--no-index-cache",
        ])
        .arg(trail.path())
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&fresh.stdout)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let said = format!(
        "trailscope: the index was not saved in {}: ",
        blocker.path().display()
    );
    assert_eq!(stderr.matches(&said).count(), 1, "{stderr}");
}

/// The index folder holds files of others too: trimming removes only what trailscope
/// wrote (its indexes and its temporary files an hour old), never through a link, and an
/// index saved by a relative path is not judged gone from another folder; what it writes
/// is private to the user.
#[test]
fn trimming_touches_only_its_own_files_and_they_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let trail = trail();
    let cache = tempfile::tempdir().expect("tempdir");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    let others = ["movie.idx", "report.tmp", "notes.idx.12.tmp"];
    for name in others {
        let path = cache.path().join(name);
        fs::write(&path, "not trailscope's").expect("write");
        fs::File::options()
            .append(true)
            .open(&path)
            .and_then(|f| f.set_modified(old))
            .expect("age");
    }
    // A planted link with the name of a temporary file trailscope would write.
    let victim = cache.path().join("victim");
    fs::write(&victim, "keep").expect("write");
    let (_, _, _) = load(trail.path(), cache.path());
    let index = index_file_named(cache.path());
    let key = index
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned();
    fs::remove_file(&index).expect("rm");
    for pid in std::process::id()..std::process::id() + 3 {
        std::os::unix::fs::symlink(&victim, cache.path().join(format!("{key}.idx.{pid}.tmp")))
            .expect("link");
    }
    let (_, report, _) = load(trail.path(), cache.path());
    assert!(!report.has_problems());
    assert_eq!(fs::read_to_string(&victim).expect("read"), "keep");
    trailscope::load::cache::trim(cache.path(), u64::MAX);
    // Over the bound, the newest index stays (the one just written; an index larger than
    // the bound is not written to be removed); an older one goes.
    let older = cache.path().join(format!("{}.idx", "0".repeat(24)));
    fs::copy(index_file_named(cache.path()), &older).expect("copy");
    fs::File::options()
        .append(true)
        .open(&older)
        .and_then(|f| f.set_modified(old))
        .expect("age");
    trailscope::load::cache::trim(cache.path(), 1);
    assert!(!older.exists());
    index_file_named(cache.path());
    for name in others {
        assert!(cache.path().join(name).exists(), "{name} was removed");
    }
    // The index the load wrote (through no link) is there, private.
    let index = index_file_named(cache.path());
    assert_eq!(
        fs::metadata(&index).expect("meta").permissions().mode() & 0o777,
        0o600
    );
    // A FIFO at the index's name: the load neither waits on it nor trusts it.
    fs::remove_file(&index).expect("rm");
    common::mkfifo(&index);
    let (tx, rx) = std::sync::mpsc::channel();
    let (folder, at) = (trail.path().to_path_buf(), cache.path().to_path_buf());
    std::thread::spawn(move || {
        let _ = tx.send(load(&folder, &at).0.len());
    });
    let events = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the load does not wait on a FIFO");
    assert!(events > 0);
}

fn index_file_named(cache: &Path) -> PathBuf {
    fs::read_dir(cache)
        .expect("read_dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.len() == 28 && n.ends_with(".idx"))
        })
        .expect("an index of trailscope's")
}

/// A file rewritten with its size and mtime put back (and its last bytes unchanged) is read
/// again: its inode change time moved, so the saved index is not trusted for it.
#[test]
fn a_file_rewritten_with_its_size_and_mtime_put_back_is_read_again() {
    let trail = trail();
    let cache = tempfile::tempdir().expect("tempdir");
    let (first, _, _) = load(trail.path(), cache.path());
    let count = |store: &Store, name: &str| {
        trailscope::query::parse(&format!("name:{name}"))
            .expect("filter")
            .rows(store, &Session::default())
            .len()
    };
    assert_eq!(count(&first, "ListRoles"), 1);
    let file = trail.path().join("chains.json");
    let before = fs::metadata(&file).expect("meta");
    let text = fs::read_to_string(&file).expect("read");
    let forged = text.replacen("ListRoles", "ListUsers", 1);
    assert_eq!(forged.len(), text.len());
    fs::write(&file, forged).expect("write");
    fs::File::options()
        .append(true)
        .open(&file)
        .and_then(|f| f.set_modified(before.modified().expect("mtime")))
        .expect("mtime back");
    let (again, _, parsed) = load(trail.path(), cache.path());
    assert!(parsed > 0, "the rewritten file was read again");
    assert_eq!(count(&again, "ListRoles"), 0);
    assert_eq!(count(&again, "ListUsers"), count(&first, "ListUsers") + 1);
}

/// An index padded to 6 GiB (sparse) is not read: it is larger than its inputs could make
/// it; the trail loads, and the note says why the index was not used.
#[test]
fn an_index_far_larger_than_its_inputs_is_not_read() {
    let trail = trail();
    let cache = tempfile::tempdir().expect("tempdir");
    load(trail.path(), cache.path());
    let index = index_file_named(cache.path());
    fs::File::options()
        .write(true)
        .open(&index)
        .and_then(|f| f.set_len(6 << 30))
        .expect("pad");
    let started = std::time::Instant::now();
    let (store, report, parsed) = load(trail.path(), cache.path());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(parsed > 0 && !store.is_empty());
    let note = report.index_note.expect("said");
    assert!(
        note.ends_with("was damaged (larger than its inputs could make it): rebuilt"),
        "{note}"
    );
}

/// An index folder inside the trail: its files are never inputs, so the second run
/// reopens the index (nothing parsed, nothing said) instead of reading it as a log.
#[test]
fn an_index_folder_inside_the_trail_is_not_an_input() {
    let trail = trail();
    let cache = trail.path().join(".trailscope-index");
    let (first, report, _) = load(trail.path(), &cache);
    assert!(!report.has_problems());
    let (again, report, parsed) = load(trail.path(), &cache);
    assert!(
        !report.has_problems(),
        "{:?}",
        report.problems().collect::<Vec<_>>()
    );
    assert_eq!(parsed, 0);
    assert_eq!(again.len(), first.len());
    assert_eq!(report.inputs.len(), 41);
}

/// FIFOs in the index folder (one named as an index, one not): `trailscope cache` lists
/// and clears without waiting on them, and leaves the one that is not its own.
#[test]
fn fifos_in_the_index_folder_never_hang_the_cache_command() {
    let cache = tempfile::tempdir().expect("tempdir");
    let fifo = |name: &str| {
        common::mkfifo(&cache.path().join(name));
    };
    fifo("0123456789abcdef01234567.idx");
    fifo("other.idx");
    for args in [vec!["cache"], vec!["cache", "--clear"]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
            .args(&args)
            .arg("--index-dir")
            .arg(cache.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("run");
        let started = std::time::Instant::now();
        while child.try_wait().expect("wait").is_none() {
            if started.elapsed() > std::time::Duration::from_secs(10) {
                let _ = child.kill();
                panic!("`trailscope {}` waited on a FIFO", args.join(" "));
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    assert!(cache.path().join("other.idx").exists());
}
