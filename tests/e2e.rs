//! The real binary in a real terminal (tmux): type a filter, check the rows; press `p`, `]`,
//! `[`, check the selected event and the status line; quit and check the terminal is back.
//! Needs tmux (CI installs it); without it the tests say so and pass only outside CI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

use common::tmux::{tmux, Session};

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// A shell command that runs the explorer on a fixture, then prints its exit status and
/// whether the terminal is back in canonical mode (`icanon`, not `-icanon`).
fn probe(env: &str, fixture_path: &str) -> String {
    format!(
        "bash -c '{env} {} {} 2>/dev/null; echo EXITED $?; stty -a | tr \" \" \"\\n\" | grep icanon; sleep 30'",
        env!("CARGO_BIN_EXE_trailscope"),
        fixture(fixture_path)
    )
}

/// The first line of the detail pane's summary (with its wrapped continuation, if any):
/// the selected event's time, name and source.
fn detail_header(screen: &str) -> String {
    let pane = |n: usize| {
        screen
            .lines()
            .nth(n)
            .and_then(|l| l.split('│').nth(3))
            .unwrap_or("")
            .to_string()
    };
    // The summary's first line is the one under the panes' top border.
    let top = screen
        .lines()
        .position(|l| l.contains("┌ timeline"))
        .unwrap_or(3);
    let mut header = pane(top + 1).trim().to_string();
    let next = pane(top + 2);
    if next.starts_with("       ") {
        header = format!("{header} {}", next.trim());
    }
    header
}

#[test]
fn filter_then_principal_stepping_in_a_real_terminal() {
    let command = probe("", "real/stratus-red-team");
    let Some(t) = Session::start("steps", &command) else {
        return;
    };
    t.wait_for(&["310 of 310 events", "36 inputs · 310 events"]);

    t.keys(&["/"]);
    t.literal("name:CreateAccessKey");
    t.keys(&["Enter"]);
    let screen = t.wait_for(&["2 of 310 events"]);
    // The timeline's rows (after the detection badge's gutter), spaces between columns
    // collapsed (their widths are the layout's).
    let rows: Vec<String> = screen
        .lines()
        .filter_map(|l| l.split('│').nth(1))
        .filter_map(|pane| pane.get(2..))
        .filter(|row| row.starts_with("2024-") && row.contains(" CreateAccessKey "))
        .map(|row| row.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(rows.len(), 2, "{screen}");
    assert_eq!(
        rows,
        [
            "2024-07-30 21:53:13 CreateAccessKey iam christophe 211.9.016.253 ap-central-2r",
            "2024-08-01 13:33:28 CreateAccessKey iam christophe 075.050.255.67 ap-isob-central-3r"
        ],
        "{screen}"
    );
    assert_eq!(
        detail_header(&screen),
        "2024-07-30 21:53:13 UTC  CreateAccessKey · iam.amazonaws.com",
        "{screen}"
    );

    // `christophe` is an IAM user in 31 accounts of these runs: `p` keeps to this one's.
    t.keys(&["j", "p"]);
    let screen = t.wait_for(&[
        "> principal:christophe account:229654561268",
        "3 of 310 events",
    ]);
    assert_eq!(
        detail_header(&screen),
        "2024-08-01 13:33:28 UTC  CreateAccessKey · iam.amazonaws.com",
        "{screen}"
    );

    t.keys(&["]"]);
    let screen = t.wait_for(&["principal christophe: 3 of 3"]);
    assert_eq!(
        detail_header(&screen),
        "2024-08-01 13:33:28 UTC  CreateUser · iam.amazonaws.com",
        "{screen}"
    );

    t.keys(&["["]);
    let screen = t.wait_for(&["principal christophe: 2 of 3"]);
    assert_eq!(
        detail_header(&screen),
        "2024-08-01 13:33:28 UTC  CreateAccessKey · iam.amazonaws.com",
        "{screen}"
    );
    assert!(
        screen.contains("> principal:christophe account:229654561268"),
        "the filter is unchanged"
    );

    t.keys(&["q"]);
    let screen = t.wait_for(&["EXITED 0", "icanon"]);
    assert_restored(&screen, "quit");
}

/// The pid of the trailscope process running in a tmux session.
fn explorer_pid(session: &Session) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let pane = tmux(&["display-message", "-p", "-t", &session.name, "#{pane_pid}"]);
        let shell = String::from_utf8_lossy(&pane.stdout).trim().to_string();
        let children = Command::new("pgrep")
            .args(["-P", &shell, "trailscope"])
            .output();
        if let Ok(out) = children {
            let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !pid.is_empty() {
                return pid;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no trailscope process in the pane"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sigterm_sighup_sigint_sigquit_and_ctrl_c_restore_the_terminal() {
    for (signal, status) in [
        ("TERM", 143),
        ("HUP", 129),
        ("INT", 130),
        ("QUIT", 131),
        ("Ctrl-C", 0),
    ] {
        let command = probe("", "real/trailscraper");
        let Some(t) = Session::start(&format!("sig{signal}"), &command) else {
            return;
        };
        t.wait_for(&["3 of 3 events"]);
        if signal == "Ctrl-C" {
            t.keys(&["C-c"]);
        } else {
            let pid = explorer_pid(&t);
            let status = Command::new("kill")
                .args([&format!("-{signal}"), &pid])
                .status()
                .expect("kill");
            assert!(status.success());
        }
        let screen = t.wait_for(&[&format!("EXITED {status}"), "icanon"]);
        assert_restored(&screen, &format!("SIG{signal}"));
    }
}

#[test]
fn sigtstp_gives_the_terminal_back_and_fg_takes_it_again() {
    // An interactive shell with job control, as a user has: the explorer is its job.
    let Some(t) = Session::start("tstp", "bash --norc --noprofile -i") else {
        return;
    };
    t.literal(&format!(
        "{} {}; echo EXITED $?; stty -a | tr ' ' '\\n' | grep icanon",
        env!("CARGO_BIN_EXE_trailscope"),
        fixture("real/trailscraper")
    ));
    t.keys(&["Enter"]);
    t.wait_for(&["3 of 3 events"]);
    let pid = explorer_pid(&t);
    let status = Command::new("kill")
        .args(["-TSTP", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    // Stopped as a job: the shell's screen is back and says so.
    let screen = t.wait_for(&["Stopped"]);
    assert!(!screen.contains("┌ timeline"), "{screen}");
    let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    let stopped = state
        .rsplit(')')
        .next()
        .map(|rest| rest.trim_start().starts_with('T'));
    assert_eq!(stopped, Some(true), "not stopped: {state}");
    // fg continues it (SIGCONT): the explorer takes the terminal again and redraws.
    t.literal("fg; echo FG $?; echo AFTER $(stty -a | tr ' ' '\\n' | grep -x icanon)");
    t.keys(&["Enter"]);
    t.wait_for(&["┌ timeline", "3 of 3 events"]);
    t.keys(&["q"]);
    t.wait_for(&["FG 0", "AFTER icanon"]);
}

/// Builds the panic probe (an example: test-only code stays out of the product) next to
/// the binary under test, and returns its path.
fn panic_probe() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", "panic_probe"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo");
    assert!(status.success(), "cannot build the panic probe");
    Path::new(env!("CARGO_BIN_EXE_trailscope"))
        .with_file_name("examples")
        .join("panic_probe")
}

/// Asserts that the explorer left the alternate screen and raw mode behind it.
fn assert_restored(screen: &str, what: &str) {
    assert!(
        !screen.contains("┌ timeline"),
        "{what}: the alternate screen was left:\n{screen}"
    );
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "{what}: raw mode was left:\n{screen}"
    );
}

/// The shell command that runs the panic probe (with `args`) on a fixture.
fn probe_command(args: &str) -> String {
    probe("", "real/trailscraper").replace(
        env!("CARGO_BIN_EXE_trailscope"),
        &format!("{} {args}", panic_probe().display()),
    )
}

#[test]
fn an_abort_restores_the_terminal() {
    let command = probe_command("--abort");
    let Some(t) = Session::start("abort", &command) else {
        return;
    };
    // 128 + SIGABRT (6).
    let screen = t.wait_for(&["EXITED 134", "icanon"]);
    assert_restored(&screen, "abort");
}

#[test]
fn a_panic_restores_the_terminal() {
    let command = probe_command("");
    let Some(t) = Session::start("panic", &command) else {
        return;
    };
    let screen = t.wait_for(&["EXITED 101", "icanon"]);
    assert_restored(&screen, "panic");
}

/// The tmux paste buffers, one per line (OSC 52 writes one when the terminal allows it).
fn buffers() -> String {
    String::from_utf8_lossy(&tmux(&["list-buffers", "-F", "#{buffer_sample}"]).stdout).into_owned()
}

#[test]
fn a_file_name_cannot_retitle_the_terminal_or_write_the_clipboard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "\u{1b}]0;pwned\u{7}\u{1b}]52;c;cHduZWQ=\u{7}broken.json";
    std::fs::write(dir.path().join(name), "{\"broken\":").expect("write");
    std::fs::write(
        dir.path().join("good.json"),
        r#"{"eventVersion":"1.08","eventName":"ListUsers","eventID":"1","eventTime":"2024-05-03T14:00:00Z"}"#,
    )
    .expect("write");
    let bin = env!("CARGO_BIN_EXE_trailscope");
    let path = dir.path().display();
    for (tag, command, ready) in [
        (
            "osc-query",
            format!("{bin} query {path} --count; sleep 30"),
            "trailscope:",
        ),
        (
            "osc-stats",
            format!("{bin} stats {path}; sleep 30"),
            "ListUsers",
        ),
        (
            "osc-check",
            format!("{bin} check {path}; sleep 30"),
            "2 inputs",
        ),
        ("osc-explore", format!("{bin} {path}"), "1 of 1 events"),
    ] {
        let Some(t) = Session::start(tag, &command) else {
            return;
        };
        // Allow OSC 52 to reach tmux's buffers, so a leak would show.
        tmux(&["set-option", "-t", &t.name, "set-clipboard", "on"]);
        let before = buffers();
        t.wait_for(&[ready]);
        std::thread::sleep(Duration::from_millis(300));
        let title = tmux(&["display-message", "-p", "-t", &t.name, "#{pane_title}"]);
        let title = String::from_utf8_lossy(&title.stdout);
        assert!(!title.contains("pwned"), "{tag}: retitled: {title}");
        let after = buffers();
        assert_eq!(before, after, "{tag}: the clipboard was written");
    }
}

#[test]
fn the_problems_list_names_each_broken_input_and_quitting_prints_them() {
    let command = probe("", "seeds").replace("2>/dev/null", "2>&1");
    let Some(t) = Session::start("problems", &command) else {
        return;
    };
    t.wait_for(&["25 events · 2 problems (! lists them)"]);
    t.keys(&["!"]);
    // The overlay's lines awaited together (a capture mid-draw holds only its first rows).
    t.wait_for(&[
        "2 problems · j/k scroll · q closes",
        "seeds/workmail-1.json:1:218: malformed JSON: expected `,` or `}`",
        "seeds/workmail-2.json:1:639: malformed JSON: expected `,` or `}`",
    ]);
    t.keys(&["q"]);
    t.wait_for(&["25 of 25 events"]);
    t.keys(&["q"]);
    let screen = t.wait_for(&["EXITED 3"]);
    assert!(
        screen.contains("trailscope: ") && screen.contains("seeds/workmail-2.json:1:639"),
        "{screen}"
    );
}

#[test]
fn inputs_without_any_event_open_on_the_problems() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.json"), "{\"Records\":[").expect("write");
    std::fs::write(dir.path().join("b.json"), "not json").expect("write");
    let command = format!(
        "{} {}; sleep 30",
        env!("CARGO_BIN_EXE_trailscope"),
        dir.path().display()
    );
    let Some(t) = Session::start("noevents", &command) else {
        return;
    };
    // Every line awaited together: a capture taken while the overlay is being drawn holds
    // only its first rows.
    let screen = t.wait_for(&[
        "no CloudTrail events in these 2 inputs:",
        "2 problems",
        "a.json:1:13: malformed JSON",
        "b.json:1:1: not CloudTrail: not JSON",
    ]);
    assert!(!screen.contains("no events match"), "{screen}");
}

#[test]
fn jump_to_the_first_critical_detection_on_the_demo_then_p() {
    let command = format!(
        "bash -c '{} 2>/dev/null; echo EXITED $?; sleep 30'",
        env!("CARGO_BIN_EXE_trailscope")
    );
    let Some(t) = Session::start("detect", &command) else {
        return;
    };
    // The rules run once the load is done; badges appear in the timeline's gutter.
    t.wait_for(&["27,910 of 27,910 events", "│L 05-01 00:00:16"]);
    // L four times: } then stops at critical hits only.
    t.keys(&["L", "L", "L", "L"]);
    t.wait_for(&["stop at hits of level critical or above"]);
    // The seventh critical hit is the attack's CreateUser (six recon calls the key had
    // never made come first).
    t.keys(&["}", "}", "}", "}", "}", "}", "}"]);
    // The row too: a frame whose columns change redraws most of the screen.
    let screen = t.wait_for(&[
        "rule   critical IAM Persis Chain via User and",
        "│C 05-02 14:05:05 CreateUser",
    ]);
    assert_eq!(
        detail_header(&screen),
        "2024-05-02 14:05:05 UTC  CreateUser · iam.amazonaws.com"
    );
    let row = screen
        .lines()
        .find(|l| l.contains("14:05:05 CreateUser "))
        .unwrap_or_default();
    assert!(row.starts_with("│C 05-02 14:05:05 CreateUser"), "{screen}");
    t.keys(&["p"]);
    let screen = t.wait_for(&["> principal:ci-deploy", "929 of 27,910 events"]);
    assert_eq!(
        detail_header(&screen),
        "2024-05-02 14:05:05 UTC  CreateUser · iam.amazonaws.com"
    );
    t.keys(&["q"]);
    t.wait_for(&["EXITED 0"]);
}

/// The issue's walk: `P` on an attacker's event in the dev account, the overview of what
/// the origin did, Enter on the attacker's address, and `o` / Ctrl-O along the chain.
#[test]
fn overview_enter_on_an_ip_filters_to_it() {
    let command = format!(
        "bash -c '{} 2>/dev/null; echo EXITED $?; sleep 30'",
        env!("CARGO_BIN_EXE_trailscope")
    );
    let Some(t) = Session::start("overview", &command) else {
        return;
    };
    t.wait_for(&["27,910 of 27,910 events"]);
    t.keys(&["/"]);
    t.literal("principal:MarketingAutomation/ci-deploy");
    t.keys(&["Enter"]);
    t.wait_for(&[
        "4 of 27,910 events",
        "chain  ci-deploy (IAMUser, AKIAQWX4CEJ7DPGDVQ5Z) →",
    ]);
    t.keys(&["P"]);
    t.wait_for(&["> origin:ci-deploy", "942 of 27,910 events"]);
    t.keys(&["s"]);
    let screen = t.wait_for(&[
        "summary of origin:ci-deploy: 942 events, 44 errors (4.7%)",
        "ip · 3 distinct",
    ]);
    // The attacker's address is the third ip: principal 3 + origin 1 + key 3 + 2 above it.
    let lines: Vec<&str> = screen.lines().collect();
    let ip_line = lines
        .iter()
        .position(|l| l.contains("185.220.101.47") && l.contains("21%"))
        .expect("the attacker's address in the overview");
    assert!(lines[ip_line - 3].contains("ip · 3 distinct"), "{screen}");
    for _ in 0..9 {
        t.keys(&["j"]);
    }
    t.keys(&["Enter"]);
    let screen = t.wait_for(&[
        "> origin:ci-deploy ip:185.220.101.47",
        "38 of 27,910 events",
    ]);
    assert!(!screen.contains("summary:"), "{screen}");
    // From the attacker's first dev-account call, o goes to the AssumeRole that issued its
    // key, and Ctrl-O comes back.
    // Reopened, the filter is selected: End keeps it, typing then adds to it.
    t.keys(&["/", "End"]);
    t.literal(" account:444455556666");
    t.keys(&["Enter"]);
    t.wait_for(&["13 of 27,910 events"]);
    t.keys(&["g", "o"]);
    let screen = t.wait_for(&["the issuing event: AssumeRole by ci-deploy"]);
    assert!(screen.contains("> press / to filter"), "{screen}");
    assert_eq!(
        detail_header(&screen),
        "2024-05-02 14:07:23 UTC  AssumeRole · sts.amazonaws.com"
    );
    t.keys(&["C-o"]);
    let screen = t.wait_for(&["13 of 27,910 events"]);
    assert_eq!(
        detail_header(&screen),
        "2024-05-02 14:07:44 UTC  ListBuckets · s3.amazonaws.com"
    );
    t.keys(&["q"]);
    t.wait_for(&["EXITED 0"]);
}

/// Marks and a note survive quitting and reopening the same inputs (the case file).
#[test]
fn marks_and_a_note_come_back_after_a_restart() {
    let data = std::env::temp_dir().join(format!("trailscope-e2e-case-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let command = format!(
        "bash -c '{} 2>/dev/null; echo EXITED $?; sleep 30'",
        env!("CARGO_BIN_EXE_trailscope")
    );
    {
        let Some(t) = Session::start_with_data("case1", &command, &data) else {
            return;
        };
        t.wait_for(&["27,910 of 27,910 events"]);
        t.keys(&["/"]);
        t.literal("principal:ci-deploy ip:185.220.101.47");
        t.keys(&["Enter"]);
        t.wait_for(&["25 of 27,910 events"]);
        t.keys(&["m", "j", "j", "a"]);
        t.wait_for(&["note for the selected event"]);
        t.literal("recon starts here");
        t.keys(&["Enter"]);
        t.wait_for(&["noted: recon starts here"]);
        t.keys(&["q"]);
        t.wait_for(&["EXITED 0"]);
    }
    let Some(t) = Session::start_with_data("case2", &command, &data) else {
        return;
    };
    t.wait_for(&[
        "case restored: 2 marks",
        "> principal:ci-deploy ip:185.220.101.47",
        "*14:02:11 GetCallerIdenti",
        "*14:02:52 ListAttachedUse",
    ]);
    t.keys(&["M"]);
    t.wait_for(&["2 marks · Enter goes to one", "recon starts here"]);
    t.keys(&["q", "q"]);
    t.wait_for(&["EXITED 0"]);
    let _ = std::fs::remove_dir_all(&data);
}

/// `y` puts exactly the event's JSON on the clipboard through OSC 52 (tmux keeps it as a
/// paste buffer); an event whose text holds an OSC 52 of its own never sets the clipboard.
#[test]
fn y_copies_the_event_and_log_text_cannot_set_the_clipboard() {
    let _clipboard = common::tmux::CLIPBOARD
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let event = r#"{"eventVersion":"1.08","eventTime":"2024-05-03T14:00:00Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"\u001b]52;c;SGFja2Vk\u0007evil","eventID":"osc","userIdentity":{"type":"IAMUser","userName":"\u001b]52;c;SGFja2Vk\u0007"}}"#;
    std::fs::write(
        dir.path().join("hostile.json"),
        format!("{{\"Records\":[{event}]}}"),
    )
    .expect("write");
    let command = format!(
        "bash -c '{} {} 2>/dev/null; echo EXITED $?; sleep 30'",
        env!("CARGO_BIN_EXE_trailscope"),
        dir.path().display()
    );
    let Some(t) = Session::start("osc52", &command) else {
        return;
    };
    common::tmux::tmux(&["set-option", "-g", "set-clipboard", "on"]);
    let before = common::tmux::tmux(&["list-buffers"]).stdout;
    t.wait_for(&["1 of 1 events"]);
    // The event is shown (its hostile strings made harmless) and the clipboard untouched.
    t.keys(&["Tab", "G", "g"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(common::tmux::tmux(&["list-buffers"]).stdout, before);
    t.keys(&["Tab", "y"]);
    t.wait_for(&["copied the event's JSON"]);
    let buffer = common::tmux::tmux(&["show-buffer"]).stdout;
    assert_eq!(String::from_utf8_lossy(&buffer), event);
    t.keys(&["q"]);
    t.wait_for(&["EXITED 0"]);
}

/// Under tmux's default `set-clipboard external`, which keeps OSC 52 from the clipboard,
/// `y` still arrives: in tmux's paste buffer, as the status line says.
#[test]
fn y_arrives_in_tmux_with_its_default_clipboard_setting() {
    let _clipboard = common::tmux::CLIPBOARD
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let command = format!(
        "bash -c '{} --no-case 2>/dev/null; echo EXITED $?; sleep 30'",
        env!("CARGO_BIN_EXE_trailscope")
    );
    let Some(t) = Session::start("clipboard", &command) else {
        return;
    };
    common::tmux::tmux(&["set-option", "-g", "set-clipboard", "external"]);
    t.wait_for(&["27,910 of 27,910 events"]);
    t.keys(&["/"]);
    t.literal("principal:ci-deploy name:CreateUser");
    t.keys(&["Enter"]);
    t.wait_for(&["1 of 27,910 events"]);
    t.keys(&["Tab", ":"]);
    t.literal("path sourceIPAddress");
    t.keys(&["Enter", "y"]);
    t.wait_for(&[
        "copied sourceIPAddress (14 bytes) to the clipboard (OSC 52) and tmux's paste buffer",
    ]);
    let buffer = common::tmux::tmux(&["show-buffer"]).stdout;
    assert_eq!(String::from_utf8_lossy(&buffer), "185.220.101.47");
    t.keys(&["Y"]);
    t.wait_for(&["copied ip:185.220.101.47"]);
    let buffer = common::tmux::tmux(&["show-buffer"]).stdout;
    assert_eq!(String::from_utf8_lossy(&buffer), "ip:185.220.101.47");
    common::tmux::tmux(&["set-option", "-g", "set-clipboard", "on"]);
    t.keys(&["q"]);
    t.wait_for(&["EXITED 0"]);
}

/// The explorer shows the events, then writes the saved index for the next run (listed by
/// `trailscope cache`), and leaves no temporary file behind when it quits.
#[test]
fn the_explorer_saves_its_index_once_the_events_show() {
    let data = std::env::temp_dir().join(format!("trailscope-e2e-saves-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let Some(t) = Session::start_with_data("saves", &probe("", "real/stratus-red-team"), &data)
    else {
        return;
    };
    t.wait_for(&["310 of 310 events"]);
    let folder = data.join("cache/trailscope");
    let files = |ext: &str| -> usize {
        std::fs::read_dir(&folder)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == ext))
                    .count()
            })
            .unwrap_or(0)
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while files("idx") == 0 {
        assert!(Instant::now() < deadline, "no index saved in {folder:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    t.keys(&["q"]);
    t.wait_for(&["EXITED 0"]);
    assert_eq!((files("idx"), files("tmp")), (1, 0));
    let listed = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .arg("cache")
        .env("XDG_CACHE_HOME", data.join("cache"))
        .output()
        .expect("trailscope cache");
    let listed = String::from_utf8_lossy(&listed.stdout);
    let trail = std::fs::canonicalize(fixture("real/stratus-red-team")).expect("canonical");
    assert!(
        listed.contains(&format!("{} (36 files)", trail.display())),
        "{listed}"
    );
    let _ = std::fs::remove_dir_all(&data);
}

/// `:write` in a real terminal: a loaded input is refused and its bytes stay, an existing
/// file needs `:write!`, a note survives `:write-marks` to CSV and JSON Lines; values
/// pasted into the filter find their events.
#[test]
fn write_keeps_the_evidence_and_pasted_values_find_events() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("trail.json");
    std::fs::copy(fixture("chains/chains.json"), &input).expect("copy");
    let before = std::fs::read(&input).expect("read");
    let command = format!(
        "{} --no-case --no-index-cache {}",
        env!("CARGO_BIN_EXE_trailscope"),
        input.display()
    );
    let Some(t) = Session::start("write", &command) else {
        return;
    };
    t.wait_for(&["15 of 15 events"]);
    t.keys(&[":"]);
    t.literal(&format!("write! {}", input.display()));
    t.keys(&["Enter"]);
    t.wait_for(&["is one of the loaded inputs: the evidence is never written over"]);
    assert_eq!(std::fs::read(&input).expect("read"), before);
    let existing = dir.path().join("out.jsonl");
    std::fs::write(&existing, "keep\n").expect("write");
    t.keys(&[":"]);
    t.literal(&format!("write {}", existing.display()));
    t.keys(&["Enter"]);
    t.wait_for(&["exists: :write! "]);
    assert_eq!(std::fs::read_to_string(&existing).expect("read"), "keep\n");
    t.keys(&[":"]);
    t.literal(&format!("write! {}", existing.display()));
    t.keys(&["Enter"]);
    t.wait_for(&["wrote 15 events to "]);
    assert_eq!(
        std::fs::read_to_string(&existing)
            .expect("read")
            .lines()
            .count(),
        15
    );
    // A noted mark, written as CSV and as JSON Lines.
    t.keys(&["g", "m", "a"]);
    t.literal("stolen key");
    t.keys(&["Enter"]);
    for name in ["marks.csv", "marks.jsonl"] {
        let path = dir.path().join(name);
        t.keys(&[":"]);
        t.literal(&format!("write-marks {}", path.display()));
        t.keys(&["Enter"]);
        t.wait_for(&[&format!("wrote 1 event to {}", path.display())]);
        let text = std::fs::read_to_string(&path).expect("written");
        assert!(text.contains("stolen key"), "{name}: {text}");
    }
    // Pasted values: an address, a key id, a user name.
    for (pasted, count) in [
        ("2001:0db8:85a3:4d21:7a2f:e0c8:31b5:9c04", "4 of 15 events"),
        ("AKIAEXAMPLEDEPLOYER1", "2 of 15 events"),
        ("deployer", "is no eventName; it is in"),
    ] {
        t.keys(&["/", "C-u"]);
        t.literal(pasted);
        t.keys(&["Enter"]);
        t.wait_for(&[count]);
    }
    // The note is in no case file (--no-case): q asks once.
    t.keys(&["q"]);
    t.wait_for(&["1 note in no case file"]);
    t.keys(&["q"]);
}

/// Paste-jacking: a logged value that ends a bracketed paste and carries a newline is
/// copied with `y` as its visible escapes, so pasting it into a shell runs nothing.
#[test]
fn y_on_a_hostile_value_then_pasting_into_a_shell_runs_nothing() {
    let _clipboard = common::tmux::CLIPBOARD
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("tempdir");
    let proof = dir.path().join("pwned");
    let value = format!("aws-cli \\u001b[201~\\necho PWNED > {}\\n", proof.display());
    let event = format!(
        r#"{{"eventVersion":"1.08","eventTime":"2024-05-03T14:00:00Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"{value}","eventID":"paste","userIdentity":{{"type":"IAMUser","userName":"alice"}}}}"#
    );
    std::fs::write(
        dir.path().join("hostile.json"),
        format!("{{\"Records\":[{event}]}}"),
    )
    .expect("write");
    let command = format!(
        "{} --no-case --no-index-cache {}",
        env!("CARGO_BIN_EXE_trailscope"),
        dir.path().join("hostile.json").display()
    );
    let Some(t) = Session::start("pastejack", &command) else {
        return;
    };
    common::tmux::tmux(&["set-option", "-g", "set-clipboard", "on"]);
    t.wait_for(&["1 of 1 events"]);
    t.keys(&["Tab", "/"]);
    t.literal("PWNED");
    t.keys(&["Enter", "y"]);
    t.wait_for(&["copied userAgent"]);
    let buffer = String::from_utf8_lossy(&common::tmux::tmux(&["show-buffer"]).stdout).into_owned();
    assert!(
        !buffer.chars().any(|c| c.is_control()),
        "the clipboard holds a control character: {buffer:?}"
    );
    assert!(
        buffer.starts_with("aws-cli \\x1b[201~\\necho PWNED"),
        "{buffer}"
    );
    // Pasted into a shell with bracketed paste, as a terminal would.
    let shell = format!("trailscope-test-shell-{}", std::process::id());
    common::tmux::tmux(&[
        "new-session",
        "-d",
        "-s",
        &shell,
        "-x",
        "120",
        "-y",
        "10",
        "bash --norc --noprofile",
    ]);
    std::thread::sleep(Duration::from_millis(500));
    common::tmux::tmux(&["paste-buffer", "-p", "-t", &shell]);
    std::thread::sleep(Duration::from_millis(800));
    let _ = common::tmux::tmux(&["kill-session", "-t", &shell]);
    assert!(!proof.exists(), "the pasted text ran a command");
    t.keys(&["q"]);
}

/// A spoofed eventName (a soft hyphen inside it) is shown with the character marked, never
/// as the real name, and `name:StopLogging` does not find it.
#[test]
fn a_name_with_an_invisible_character_is_shown_marked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let event = r#"{"eventVersion":"1.08","eventTime":"2024-05-03T14:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"Stop\u00adLogging","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","eventID":"spoof","userIdentity":{"type":"IAMUser","userName":"alice"}}"#;
    std::fs::write(
        dir.path().join("spoof.json"),
        format!("{{\"Records\":[{event}]}}"),
    )
    .expect("write");
    let command = format!(
        "{} --no-case --no-index-cache {}",
        env!("CARGO_BIN_EXE_trailscope"),
        dir.path().join("spoof.json").display()
    );
    let Some(t) = Session::start("spoof", &command) else {
        return;
    };
    let screen = t.wait_for(&["1 of 1 events"]);
    assert!(screen.contains("Stop\\xadLogging"), "{screen}");
    assert!(!screen.contains("StopLogging"), "{screen}");
    t.keys(&["/"]);
    t.literal("name:StopLogging");
    t.keys(&["Enter"]);
    t.wait_for(&["0 of 1 events"]);
    t.keys(&["q"]);
}
