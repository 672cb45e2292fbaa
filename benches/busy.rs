//! Typing while the explorer writes files, on 1M events: the explorer's own `App` and
//! workers, as the event loop drives them. A keystroke is timed from its action to the
//! finished frame (160 × 45, ratatui's TestBackend): the UI thread's whole share of it, the
//! filter itself running on its worker. Three cases, medians, one run:
//! - the baseline: the same keystrokes with nothing else running;
//! - while `:write` writes the whole 1M-event result to a file (on the files worker);
//! - while the case file saves a 20 MB note (on the files worker, again and again).
//!
//! `cargo bench --bench busy` (see BENCHMARKS.md).

use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use trailscope::load::LoadReport;
use trailscope::tui::app::{Action, App, Request, Verb};
use trailscope::tui::line_editor::Edit;
use trailscope::tui::workers::Workers;
use trailscope::tui::{draw, osc52};

mod common;

/// Keystrokes per case.
const KEYS: usize = 40;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// The explorer as the event loop runs it: its actions applied here, its work on workers.
struct Explorer {
    app: App,
    workers: Workers,
    results: Receiver<Action>,
    terminal: Terminal<TestBackend>,
}

impl Explorer {
    /// Applies `action` and hands its work to the workers.
    fn act(&mut self, action: Action) {
        for request in self.app.update(action) {
            match request {
                Request::Copy(text) => drop(osc52(&text)),
                request => self.workers.send(&self.app.store, request),
            }
        }
    }

    /// A frame, as the event loop draws one.
    fn frame(&mut self) {
        let size = self.terminal.size().expect("size");
        let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
        self.act(Action::Layout(area));
        let app = &self.app;
        self.terminal
            .draw(|frame| draw::draw(frame, app))
            .expect("draw");
    }

    /// Takes the workers' results that arrived; returns whether one was a status note
    /// (an export or a save finished).
    fn take_results(&mut self) -> bool {
        let mut noted = false;
        while let Ok(action) = self.results.try_recv() {
            noted |= matches!(action, Action::Note(_) | Action::CaseSaved(_));
            self.act(action);
        }
        noted
    }

    /// Waits until the workers have been quiet for a while.
    fn settle(&mut self) {
        let mut quiet = Instant::now();
        while quiet.elapsed() < Duration::from_millis(300) {
            if let Ok(action) = self.results.recv_timeout(Duration::from_millis(20)) {
                self.act(action);
                quiet = Instant::now();
            }
        }
        self.frame();
    }

    /// One keystroke in the filter bar, timed from its action to its frame.
    fn keystroke(&mut self, c: char) -> Duration {
        let start = Instant::now();
        self.act(Action::FilterChar(c));
        self.frame();
        start.elapsed()
    }

    /// Types into the filter bar while `busy()` says the background work runs; a
    /// keystroke and its erasure in turn, so the filter stays what it was.
    fn type_while(&mut self, busy: &mut dyn FnMut(&mut Explorer) -> bool) -> Vec<Duration> {
        let mut times = Vec::new();
        while times.len() < KEYS && busy(self) {
            times.push(self.keystroke('y'));
            std::thread::sleep(Duration::from_millis(15));
            self.act(Action::FilterEdit(Edit::Backspace));
            self.frame();
            std::thread::sleep(Duration::from_millis(15));
        }
        times
    }
}

fn main() {
    let store = common::store();
    let (tx, results) = mpsc::channel();
    let workers = Workers::spawn(move |action| tx.send(action).is_ok());
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = App::new(String::new(), false)
        .with_case(dir.path().join("case.json"), vec!["bench".into()]);
    app.apply(Action::loaded(store, LoadReport::default()));
    let terminal = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
    let mut x = Explorer {
        app,
        workers,
        results,
        terminal,
    };
    x.settle();
    x.act(Action::EditFilter);
    for c in "name:CreateAccessKe".chars() {
        x.act(Action::FilterChar(c));
    }
    x.settle();

    // The baseline: nothing else running.
    let mut idle = 0;
    let alone = x.type_while(&mut |x| {
        x.take_results();
        idle += 1;
        idle <= KEYS
    });

    // `:write` of every event: the filter bar is left with Esc, the result is every event.
    x.act(Action::FilterCancel);
    x.act(Action::FilterEdit(Edit::DeleteToStart));
    x.settle();
    let file = dir.path().join("all.jsonl");
    x.act(Action::Verb(Verb::Command("write ")));
    for c in file.display().to_string().chars() {
        x.act(Action::Verb(Verb::Prompt(
            trailscope::tui::prompt::PromptEdit::Char(c),
        )));
    }
    let started = Instant::now();
    x.act(Action::Verb(Verb::PromptAccept));
    x.act(Action::EditFilter);
    let mut written = false;
    let exporting = x.type_while(&mut |x| {
        written |= x.take_results();
        !written
    });
    while !written {
        written = x.take_results();
        std::thread::sleep(Duration::from_millis(10));
    }
    let export_took = started.elapsed();
    let said = x.app.status.message.clone().unwrap_or_default();
    x.act(Action::FilterCancel);
    x.settle();

    // A 20 MB note saved again and again.
    x.act(Action::Verb(Verb::Note));
    if let Some(prompt) = x.app.prompt.as_mut() {
        prompt.line.set("n".repeat(20 << 20));
    }
    x.act(Action::Verb(Verb::PromptAccept));
    x.act(Action::EditFilter);
    let mut saves = 0;
    let mut save_times = Vec::new();
    let mut save_started = Instant::now();
    let saving = x.type_while(&mut |x| {
        if x.take_results() {
            saves += 1;
            save_times.push(save_started.elapsed());
            // The next save: the same note kept again, saved anew.
            save_started = Instant::now();
            x.act(Action::FilterCancel);
            x.act(Action::Verb(Verb::Note));
            x.act(Action::Verb(Verb::PromptAccept));
            x.act(Action::EditFilter);
        }
        true
    });

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("busy_1m (keystroke to frame, 160 × 45, medians):");
    println!(
        "  nothing else running (baseline):   {:7.2} ms  ({} keys)",
        ms(median(alone.clone())),
        alone.len()
    );
    println!(
        "  while :write writes every event:   {:7.2} ms  ({} keys; the export took {:.1} s: {said})",
        ms(median(exporting.clone())),
        exporting.len(),
        export_took.as_secs_f64()
    );
    println!(
        "  while the case saves a 20 MB note: {:7.2} ms  ({} keys; {} saves, median {:.0} ms)",
        ms(median(saving.clone())),
        saving.len(),
        saves,
        ms(median(if save_times.is_empty() {
            vec![Duration::ZERO]
        } else {
            save_times
        }))
    );
    let worst = |t: &[Duration]| t.iter().max().copied().unwrap_or_default();
    println!(
        "  slowest keystroke: {:.2} ms idle, {:.2} ms exporting, {:.2} ms saving",
        ms(worst(&alone)),
        ms(worst(&exporting)),
        ms(worst(&saving))
    );
}
