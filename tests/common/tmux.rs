//! A tmux session driving the real binary, shared by the end-to-end tests.
#![allow(dead_code)]

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Held by a test that reads tmux's clipboard buffers: the buffers are the server's, shared
/// by every session, so two such tests side by side would read each other's copy.
pub static CLIPBOARD: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub struct Session {
    pub name: String,
}

impl Session {
    /// Starts `command` in a detached 160×45 tmux session, or `None` when tmux is missing.
    /// Starts `command` in a fresh tmux session, with a data directory of its own (so no
    /// case file of another run is restored).
    pub fn start(tag: &str, command: &str) -> Option<Session> {
        let data =
            std::env::temp_dir().join(format!("trailscope-e2e-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        Session::start_with_data(tag, command, &data)
    }

    /// Starts `command` with `XDG_DATA_HOME` at `data` (sessions that share a case).
    pub fn start_with_data(tag: &str, command: &str, data: &std::path::Path) -> Option<Session> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "tmux is required in CI (CI is set): the end-to-end test `{tag}` cannot run"
            );
            // Straight to stderr, past the test harness's capture, so a skip is never silent.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!(
                    "\n*** SKIPPED end-to-end test `{tag}`: tmux not found. Install tmux to run it; under CI=true this is a failure. ***\n"
                )
                .as_bytes(),
            );
            return None;
        }
        let name = format!("trailscope-test-{tag}-{}", std::process::id());
        let data_home = format!("XDG_DATA_HOME={}", data.display());
        let cache_home = format!("XDG_CACHE_HOME={}", data.join("cache").display());
        let args = [
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "160",
            "-y",
            "45",
            "-e",
            &data_home,
            "-e",
            &cache_home,
            command,
        ];
        // Tests run side by side: when another test ends the server's last session just
        // as this one connects, tmux says "server exited unexpectedly"; a new server then
        // starts on the next try.
        let mut out = tmux(&args);
        for _ in 0..5 {
            if out.status.success()
                || !String::from_utf8_lossy(&out.stderr).contains("server exited unexpectedly")
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
            out = tmux(&args);
        }
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(Session { name })
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        tmux(&args);
    }

    pub fn literal(&self, text: &str) {
        tmux(&["send-keys", "-t", &self.name, "-l", text]);
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &self.name]).stdout)
            .into_owned()
    }

    /// Waits until the screen contains every one of `needles` and has settled: no filter
    /// is still being applied (the count reads "filtering… N of M events" until it is, and
    /// the rows, the selection and the detail are the previous filter's), and no filter is
    /// still being typed (its suggestions are drawn over the timeline; the filter applies
    /// as it is typed, so a count can show before a slow machine has read the Enter that
    /// follows). Returns the screen.
    pub fn wait_for(&self, needles: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            let settled = !screen.contains("filtering…")
                && !screen.contains(" · Tab completes ")
                && !screen.contains(" shown · Tab ");
            if settled && needles.iter().all(|n| screen.contains(n)) {
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

pub fn tmux(args: &[&str]) -> Output {
    Command::new("tmux").args(args).output().expect("run tmux")
}
