//! The real binary in a real terminal (tmux): type a filter, check the rows; press `p`, `]`,
//! `[`, check the selected event and the status line; quit and check the terminal is back.
//! Needs tmux (CI installs it); without it the tests say so and pass only outside CI.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Session {
    name: String,
}

impl Session {
    /// Starts `command` in a detached 160×45 tmux session, or `None` when tmux is missing.
    fn start(tag: &str, command: &str) -> Option<Session> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(std::env::var_os("CI").is_none(), "tmux is required in CI");
            eprintln!("tmux not found: skipping the end-to-end test");
            return None;
        }
        let name = format!("trailscope-e2e-{tag}-{}", std::process::id());
        let out = tmux(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "160",
            "-y",
            "45",
            command,
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(Session { name })
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        tmux(&args);
    }

    fn literal(&self, text: &str) {
        tmux(&["send-keys", "-t", &self.name, "-l", text]);
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &self.name]).stdout)
            .into_owned()
    }

    /// Waits until the screen contains every one of `needles`; returns the screen.
    fn wait_for(&self, needles: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {needles:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.name]);
    }
}

fn tmux(args: &[&str]) -> Output {
    Command::new("tmux").args(args).output().expect("run tmux")
}

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// The list line of the selected event is the only one the detail header names.
fn detail_header(screen: &str) -> String {
    screen
        .lines()
        .nth(4)
        .and_then(|l| l.split('│').nth(3))
        .unwrap_or("")
        .trim()
        .to_string()
}

#[test]
fn filter_then_principal_stepping_in_a_real_terminal() {
    let bin = env!("CARGO_BIN_EXE_trailscope");
    let command = format!(
        "{bin} {}; echo; echo EXITED $?; stty -a | grep -o -- '-\\?icanon'; sleep 30",
        fixture("real/stratus-red-team")
    );
    let Some(t) = Session::start("steps", &command) else {
        return;
    };
    t.wait_for(&["310 of 310 events", "36 inputs · 310 events"]);

    t.keys(&["/"]);
    t.literal("name:CreateAccessKey");
    t.keys(&["Enter"]);
    let screen = t.wait_for(&["2 of 310 events"]);
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains(" CreateAccessKey iam "))
        .collect();
    assert_eq!(rows.len(), 2, "{screen}");
    assert!(
        rows[0].contains(
            "│07-30 21:53:13 CreateAccessKey iam christophe 211.9.016.253  ap-central-2r "
        ),
        "{screen}"
    );
    assert!(
        rows[1].contains(
            "│08-01 13:33:28 CreateAccessKey iam christophe 075.050.255.67 ap-isob-centr…"
        ),
        "{screen}"
    );
    assert_eq!(
        detail_header(&screen),
        "2024-07-30 21:53:13 UTC  CreateAccessKey · iam.amazonaws.com"
    );

    t.keys(&["p"]);
    let screen = t.wait_for(&["> principal:christophe", "239 of 310 events"]);
    assert_eq!(
        detail_header(&screen),
        "2024-07-30 21:53:13 UTC  CreateAccessKey · iam.amazonaws.com"
    );

    t.keys(&["]"]);
    let screen = t.wait_for(&["principal christophe: 6 of 239"]);
    let after_next = detail_header(&screen);
    assert!(after_next.starts_with("2024-07-30 21:5"), "{after_next}");
    assert_ne!(
        after_next,
        "2024-07-30 21:53:13 UTC  CreateAccessKey · iam.amazonaws.com"
    );

    t.keys(&["["]);
    let screen = t.wait_for(&["principal christophe: 5 of 239"]);
    assert_eq!(
        detail_header(&screen),
        "2024-07-30 21:53:13 UTC  CreateAccessKey · iam.amazonaws.com"
    );
    assert!(
        screen.contains("> principal:christophe"),
        "the filter is unchanged"
    );

    t.keys(&["q"]);
    let screen = t.wait_for(&["EXITED 0", "icanon"]);
    assert!(
        !screen.contains("┌ timeline"),
        "the alternate screen was left:\n{screen}"
    );
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "raw mode was left:\n{screen}"
    );
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
fn sigterm_sighup_and_ctrl_c_restore_the_terminal() {
    for signal in ["TERM", "HUP", "Ctrl-C"] {
        let bin = env!("CARGO_BIN_EXE_trailscope");
        let command = format!(
            "bash -c '{bin} {}; echo; echo EXITED; stty -a | tr \" \" \"\\n\" | grep icanon; sleep 30'",
            fixture("real/trailscraper")
        );
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
        let screen = t.wait_for(&["EXITED", "icanon"]);
        assert!(
            !screen.contains("┌ timeline"),
            "SIG{signal}: the alternate screen was left:\n{screen}"
        );
        assert!(
            screen.lines().any(|l| l.trim() == "icanon"),
            "SIG{signal}: raw mode was left:\n{screen}"
        );
    }
}

#[test]
fn a_panic_restores_the_terminal() {
    let bin = env!("CARGO_BIN_EXE_trailscope");
    let command = format!(
        "bash -c 'TRAILSCOPE_TEST_PANIC=1 {bin} {} 2>/dev/null; echo EXITED $?; stty -a | tr \" \" \"\\n\" | grep icanon; sleep 30'",
        fixture("real/trailscraper")
    );
    let Some(t) = Session::start("panic", &command) else {
        return;
    };
    let screen = t.wait_for(&["EXITED 101", "icanon"]);
    assert!(
        !screen.contains("┌ timeline"),
        "the alternate screen was left:\n{screen}"
    );
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "raw mode was left:\n{screen}"
    );
}
