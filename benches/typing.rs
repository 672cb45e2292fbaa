//! Typing while a full-text search runs, on 1M events: the explorer's filter worker is sent
//! a quoted phrase (a scan of every input, about a second), then, 100 ms later, the next
//! keystroke's filter. Measured: from that keystroke to its result arriving from the worker,
//! i.e. how soon after the abandoned scan the newest result can be drawn. Baselines from the
//! same run: the phrase alone, and the keystroke's filter alone.
//! `cargo bench --bench typing` (see BENCHMARKS.md).

use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use trailscope::query;
use trailscope::store::Session;
use trailscope::tui::app::{Action, Request};
use trailscope::tui::workers::Workers;

mod common;

const RUNS: usize = 11;

fn filter(generation: u64, text: &str) -> Request {
    let expr = query::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    Request::Filter {
        generation,
        expr: Arc::new(expr),
        session: Arc::new(Session::default()),
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// Waits for the result of `generation`; results of other generations must not come.
fn wait_for(results: &mpsc::Receiver<Action>, generation: u64) -> usize {
    loop {
        match results.recv_timeout(Duration::from_secs(30)) {
            Ok(Action::Filtered {
                generation: g,
                rows,
                ..
            }) => {
                assert_eq!(g, generation, "a result of an abandoned filter arrived");
                return rows.len();
            }
            Ok(_) => {}
            Err(err) => panic!("no result: {err}"),
        }
    }
}

fn main() {
    let store = Arc::new(common::store());
    let (tx, results) = mpsc::channel();
    let workers = Workers::spawn(move |action| tx.send(action).is_ok());
    let phrase = "\"AdministratorAccess\"";
    let keystroke = "name:CreateAccessKey";
    let mut generation = 0;
    let (mut alone_phrase, mut alone_key, mut typed) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        generation += 1;
        let start = Instant::now();
        workers.send(&store, filter(generation, phrase));
        wait_for(&results, generation);
        alone_phrase.push(start.elapsed());

        generation += 1;
        let start = Instant::now();
        workers.send(&store, filter(generation, keystroke));
        let expected = wait_for(&results, generation);
        alone_key.push(start.elapsed());

        generation += 1;
        workers.send(&store, filter(generation, phrase));
        std::thread::sleep(Duration::from_millis(100));
        generation += 1;
        let start = Instant::now();
        workers.send(&store, filter(generation, keystroke));
        assert_eq!(wait_for(&results, generation), expected);
        typed.push(start.elapsed());
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("typing_1m ({RUNS} runs, medians):");
    println!(
        "  full-text {phrase} alone:                  {:8.1} ms",
        ms(median(alone_phrase))
    );
    println!(
        "  {keystroke} alone:                    {:8.1} ms",
        ms(median(alone_key))
    );
    println!(
        "  {keystroke} typed 100 ms into the scan: {:8.1} ms from the keystroke to its result",
        ms(median(typed))
    );
}
