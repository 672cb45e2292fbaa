//! `--follow` in a real terminal (tmux): files copied into the folder while the explorer
//! runs show within two seconds, the selected event stays selected, and a file written in
//! two halves waits ("1 file arriving", never a problem) until it is whole.
//! Needs tmux (CI installs it); without it the test says so and passes only outside CI.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use trailscope::load::{LoadOptions, Progress};
use trailscope::store::Store;

mod common;

use common::tmux::Session;

/// Three delivery files of the demo, in path order, with their event counts.
fn deliveries() -> Vec<(PathBuf, usize)> {
    common::demo_deliveries()
        .into_iter()
        .take(3)
        .map(|path| {
            let (store, _) = Store::load_paths(
                std::slice::from_ref(&path),
                &LoadOptions::default(),
                &Progress::default(),
            );
            (path, store.len())
        })
        .collect()
}

/// The explorer following a new folder that holds a copy of `first` (in `AWSLogs/`): the
/// folder's guard, the folder files are copied into, and the tmux session (`None` without
/// tmux).
fn followed(first: &Path, name: &str) -> Option<(tempfile::TempDir, PathBuf, Session)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("AWSLogs");
    fs::create_dir_all(&folder).expect("mkdir");
    fs::copy(first, folder.join(first.file_name().expect("name"))).expect("copy");
    let command = format!(
        "{} --no-case --follow {}",
        env!("CARGO_BIN_EXE_trailscope"),
        dir.path().display()
    );
    let t = Session::start(name, &command)?;
    Some((dir, folder, t))
}

/// Waits at most `limit` for the status line to show every one of `needles`; returns how
/// long it took.
fn shown_within(t: &Session, needles: &[&str], limit: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let screen = t.screen();
        if needles.iter().all(|n| status(&screen).contains(n)) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < limit,
            "not shown within {limit:?}: {needles:?}; screen:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn status(screen: &str) -> &str {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
}

#[test]
fn files_that_arrive_show_and_a_half_written_one_waits_until_whole() {
    let files = deliveries();
    let [(a, na), (b, nb), (c, nc)] = &files[..] else {
        panic!("three demo deliveries");
    };
    let Some((_dir, folder, t)) = followed(a, "follow") else {
        return;
    };
    let copy_name = |p: &Path| folder.join(p.file_name().expect("name"));
    // The count on the left, the followed trail's state on the right.
    let screen = t.wait_for(&[&format!("1 input · {na} events"), "following +0"]);
    let line = status(&screen);
    // (The key hints after it are all of them, or "? help" alone once a message is long.)
    let (count, live, help) = (
        line.find(" events"),
        line.find("following +0 · "),
        line.find("? help"),
    );
    assert!(
        matches!((count, live, help), (Some(c), Some(l), Some(h)) if c < l && l < h),
        "{line}"
    );
    // Select the third event, as an investigator reading along would.
    t.keys(&["j", "j"]);
    let selected = |screen: &str| {
        screen
            .lines()
            .find(|l| l.contains(" UTC "))
            .map(|l| l.rsplit('│').nth(1).unwrap_or("").trim().to_string())
            .unwrap_or_default()
    };
    std::thread::sleep(Duration::from_millis(300));
    let before = selected(&t.screen());
    assert!(before.contains("UTC"), "{before}");

    fs::copy(b, copy_name(b)).expect("copy");
    let took = shown_within(
        &t,
        &[
            &format!("2 inputs · {} events", na + nb),
            &format!("following +{nb}"),
        ],
        Duration::from_secs(2),
    );
    eprintln!("a copied file showed after {took:?}");
    let screen = t.screen();
    let new = if *nb == 1 { "event" } else { "events" };
    assert!(
        screen.contains(&format!("{nb} new {new}")),
        "{}",
        status(&screen)
    );
    assert_eq!(selected(&screen), before, "the selection stays");

    // Half a gzip file: left out while it is fresh, and never called broken.
    let bytes = fs::read(c).expect("read");
    let half = bytes.len() / 2;
    fs::write(copy_name(c), &bytes[..half]).expect("half");
    shown_within(&t, &["1 file arriving"], Duration::from_secs(3));
    std::thread::sleep(Duration::from_millis(1500));
    let screen = t.screen();
    assert!(
        status(&screen).contains(&format!("2 inputs · {} events", na + nb)),
        "{}",
        status(&screen)
    );
    assert!(!screen.contains("problem"), "{}", status(&screen));
    {
        use std::io::Write;
        let mut file = fs::OpenOptions::new()
            .append(true)
            .open(copy_name(c))
            .expect("open");
        file.write_all(&bytes[half..]).expect("rest");
    }
    shown_within(
        &t,
        &[
            &format!("3 inputs · {} events", na + nb + nc),
            &format!("following +{}", nb + nc),
        ],
        Duration::from_secs(2),
    );
    let screen = t.screen();
    assert!(!screen.contains("problem"), "{}", status(&screen));
    assert!(!screen.contains("arriving"), "{}", status(&screen));

    // The same file written again (a sync touching it): read again, nothing new, and the
    // rules' count said once rather than after the last load's.
    fs::write(copy_name(c), &bytes).expect("rewrite");
    let deadline = Instant::now() + Duration::from_secs(20);
    let line = loop {
        let screen = t.screen();
        let line = status(&screen).to_string();
        if !line.contains("new event") && line.contains("rules fired") {
            break line;
        }
        assert!(Instant::now() < deadline, "{line}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(line.matches("rules fired").count(), 1, "{line}");
    assert!(line.contains(&format!("following +{}", nb + nc)), "{line}");
}

/// A file appended to every 50 ms elsewhere in the tree does not hold back a delivery that
/// is whole: it is reported within a few seconds while the writer goes on.
#[cfg(feature = "tui")]
#[test]
fn a_busy_writer_elsewhere_does_not_hold_back_a_whole_delivery() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    let known = trailscope::follow::seen(std::slice::from_ref(&root));
    let (tx, rx) = std::sync::mpsc::channel();
    let _watcher = trailscope::follow::watch(vec![root.clone()], known, move |arrival| {
        let names: Vec<String> = arrival.inputs.iter().map(|i| i.name.clone()).collect();
        tx.send(names).is_ok()
    })
    .expect("watch");
    let busy = root.join("busy.log");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (busy, stop) = (busy.clone(), std::sync::Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let mut f = fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&busy)
                    .expect("open");
                std::io::Write::write_all(&mut f, b"line\n").expect("append");
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    std::thread::sleep(Duration::from_millis(500));
    let delivery = root.join("delivery.json");
    fs::write(&delivery, common::input::records(3)).expect("write");
    let started = Instant::now();
    let mut seen_delivery = false;
    while started.elapsed() < Duration::from_secs(8) {
        if let Ok(names) = rx.recv_timeout(Duration::from_millis(200)) {
            if names.iter().any(|n| n.ends_with("delivery.json")) {
                seen_delivery = true;
                break;
            }
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = writer.join();
    assert!(
        seen_delivery,
        "the delivery was held back by the busy writer"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// The detail pane's header of the selected event (its time, name and source).
/// The detail pane's first line up to the event's name: its time and name (the pane's
/// width may change when the rules' hits arrive, and with it what follows on the line).
fn detail_header(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(" UTC "))
        .map(|l| {
            let text = l.rsplit('│').nth(1).unwrap_or("").trim();
            text.split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

/// Waits until the detail header settles on something other than `not`, and returns it.
fn header_other_than(t: &Session, not: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let header = detail_header(&t.screen());
        if header.contains("UTC") && header != not {
            return header;
        }
        assert!(Instant::now() < deadline, "the header stayed {not:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `--follow` starts on the newest event and stays on it as files arrive, as `tail -f` and
/// less's `F`; a motion lets go (the selection then stays put), and `F` sticks again.
#[cfg(feature = "tui")]
#[test]
fn the_newest_event_stays_selected_until_a_motion_and_capital_f_sticks_again() {
    let files = deliveries();
    let [(a, na), (b, nb), (c, nc)] = &files[..] else {
        panic!("three demo deliveries");
    };
    let Some((_dir, folder, t)) = followed(a, "sticky") else {
        return;
    };
    let copy_name = |p: &Path| folder.join(p.file_name().expect("name"));
    t.wait_for(&[&format!("1 input · {na} events")]);
    let first = header_other_than(&t, "");
    // The last event is selected: G does not move it.
    t.keys(&["G"]);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(detail_header(&t.screen()), first);
    t.keys(&["F"]);
    fs::copy(b, copy_name(b)).expect("copy");
    shown_within(
        &t,
        &[&format!("2 inputs · {} events", na + nb)],
        Duration::from_secs(3),
    );
    let newest = header_other_than(&t, &first);
    t.keys(&["g", "G"]);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        detail_header(&t.screen()),
        newest,
        "the newest event was selected"
    );

    // A motion lets go: the selection stays while more arrives.
    t.keys(&["k"]);
    let held = header_other_than(&t, &newest);
    fs::copy(c, copy_name(c)).expect("copy");
    shown_within(
        &t,
        &[&format!("3 inputs · {} events", na + nb + nc)],
        Duration::from_secs(3),
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(detail_header(&t.screen()), held, "the selection stays put");
    // F sticks to the newest again.
    t.keys(&["F"]);
    let last = header_other_than(&t, &held);
    t.keys(&["g", "G"]);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(detail_header(&t.screen()), last);
}
