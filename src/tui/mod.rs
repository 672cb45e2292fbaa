//! The explorer: a thin layer over the core. `app` holds the state and its one `update`,
//! `keymap` maps keys to actions, `draw` renders (pure), and this module runs the loop: the
//! load and the filters run on their own threads, and the terminal is restored on quit, on
//! error, on panic, and on SIGTERM / SIGHUP.

pub mod action;
pub mod app;
pub mod case_file;
pub mod clipboard;
pub mod columns;
pub mod detail;
pub mod detections;
pub mod draw;
pub mod effect;
pub mod export;
pub mod filter_bar;
pub mod focus;
pub mod fold;
pub mod grid;
pub mod jumps;
pub mod keymap;
pub mod keys;
pub mod layout;
pub mod line_editor;
pub mod lists;
pub mod marks;
pub mod navigate;
pub mod options;
pub mod overview;
pub mod pretty;
pub mod prompt;
pub mod requests;
pub mod route;
pub mod rules_view;
pub mod status;
pub mod summary;
pub mod theme;
pub mod timeline;
pub mod workers;

pub use clipboard::osc52;

use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::load::cache::IndexSave;
use crate::load::{LoadOptions, LoadReport, Progress};
use crate::store::Store;
use app::{Action, App};
use workers::Workers;

/// Draws one frame of `app` off screen, at the given size (tests, the screenshot tool).
pub fn render(app: &mut App, width: u16, height: u16) -> ratatui::buffer::Buffer {
    // The test backend cannot fail.
    let Ok(mut terminal) = Terminal::new(ratatui::backend::TestBackend::new(width, height));
    let Ok(_) = terminal.draw(|frame| {
        app.prepare(frame.area());
        draw::draw(frame, app);
    });
    terminal.backend().buffer().clone()
}

/// What the explorer opens.
#[derive(Debug, Clone)]
pub enum Inputs {
    Demo,
    Paths(Vec<PathBuf>),
    /// Paths whose folders are watched: files that arrive are read in (`--follow`).
    Followed(Vec<PathBuf>),
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore_terminal() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// The terminal's settings from before the explorer took it, for the abort guard.
static SAVED_TERMIOS: std::sync::OnceLock<libc::termios> = std::sync::OnceLock::new();

/// What the abort guard writes: mouse reporting off, cursor shown, main screen back.
const RESTORE_SEQUENCE: &[u8] =
    b"\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?25h\x1b[?1049l";

/// An abort (out of memory, a stack overflow, which Rust's runtime turns into an abort on
/// its alternate signal stack) runs no destructor and no panic hook. This handler, run on
/// SIGABRT before the process ends, puts the terminal back with async-signal-safe calls
/// only: one `write` of escape sequences and one `tcsetattr` of the saved settings.
fn install_abort_guard() -> io::Result<()> {
    // SAFETY: tcgetattr fills the struct it is given; a zeroed termios is a valid value.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: fd 0 and a valid pointer to a termios.
    if unsafe { libc::tcgetattr(0, &mut saved) } == 0 {
        let _ = SAVED_TERMIOS.set(saved);
    }
    let guard = || {
        // SAFETY: write and tcsetattr are async-signal-safe (POSIX); the buffer and the
        // saved settings are statics that live for the whole process.
        unsafe {
            libc::write(1, RESTORE_SEQUENCE.as_ptr().cast(), RESTORE_SEQUENCE.len());
            if let Some(saved) = SAVED_TERMIOS.get() {
                libc::tcsetattr(0, libc::TCSANOW, saved);
            }
        }
    };
    // SAFETY: the action above only makes async-signal-safe calls.
    unsafe { signal_hook::low_level::register(signal_hook::consts::SIGABRT, guard) }?;
    Ok(())
}

/// Raw mode, the alternate screen, the mouse, the cursor hidden: what the explorer needs.
fn take_terminal() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        cursor::Hide
    )
}

struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Stops a saved index being written when the explorer ends, however it ends: the write
/// stops within a buffer and removes its temporary file.
struct SaveGuard;

impl Drop for SaveGuard {
    fn drop(&mut self) {
        crate::load::cache::stop_saving();
    }
}

/// How the explorer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// The user quit (or the terminal went away); the problems of the load, for the caller
    /// to print once the terminal is back.
    Quit { problems: Vec<String> },
    /// A signal ended it; the terminal was restored.
    Signal(i32),
}

/// Runs the explorer until the user quits or a signal ends it; `rules` run over the index
/// once it is loaded.
pub fn run(
    inputs: Inputs,
    options: LoadOptions,
    filter: String,
    rules: crate::detect::RuleSet,
    case: Option<PathBuf>,
) -> io::Result<Exit> {
    run_observed(inputs, options, filter, rules, case, |_| {})
}

/// [`run`], calling `observe` with the state after every frame drawn (for embedders and
/// probes that watch the explorer from outside).
pub fn run_observed(
    inputs: Inputs,
    options: LoadOptions,
    filter: String,
    rules: crate::detect::RuleSet,
    case: Option<PathBuf>,
    mut observe: impl FnMut(&App),
) -> io::Result<Exit> {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous_hook(info);
    }));
    let signals = Signals::install()?;
    install_abort_guard()?;
    // Dropped after the terminal is restored (the reverse of this order).
    let _saving = SaveGuard;
    let _guard = TerminalGuard;
    take_terminal()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;

    let mut app = explorer(&inputs, filter, rules, case);
    let (tx, messages) = mpsc::channel::<Message>();
    let progress = Arc::new(Progress::default());
    spawn_loader(inputs, options, Arc::clone(&progress), tx.clone());
    spawn_input_reader(tx.clone());
    let workers = {
        let tx = tx.clone();
        Workers::spawn(move |action| tx.send(Message::App(action)).is_ok())
    };
    let started = Instant::now();

    while !app.status.quit {
        if let Some(signal) = signals.received() {
            return Ok(Exit::Signal(signal));
        }
        if signals.stop_requested() {
            suspend(&mut terminal)?;
        }
        let size = terminal.size()?;
        let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
        dispatch(&mut app, Action::Layout(area), &workers)?;
        terminal.draw(|frame| {
            draw::draw(frame, &app);
            if app.status.loading {
                draw::draw_progress(frame, &app, &progress, started.elapsed().as_secs_f64());
            }
        })?;
        let timeout = if app.status.loading || app.filter.filtering {
            Duration::from_millis(50)
        } else {
            Duration::from_millis(250)
        };
        observe(&app);
        let first = match messages.recv_timeout(timeout) {
            Ok(message) => message,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // Handle everything queued before drawing again, so a burst of keys costs one frame.
        for message in std::iter::once(first).chain(messages.try_iter()) {
            match message {
                Message::Terminal(event) if keymap::is_suspend(&event) => {
                    suspend(&mut terminal)?;
                }
                Message::Terminal(event) => {
                    if let Some(action) = keymap::action(&app.screen, &event) {
                        dispatch(&mut app, action, &workers)?;
                    }
                }
                Message::App(action) => dispatch(&mut app, action, &workers)?,
                // The terminal is gone (hung up, closed): nothing left to show.
                Message::TerminalClosed => dispatch(&mut app, Action::Hangup, &workers)?,
            }
            if app.status.quit {
                break;
            }
        }
    }
    Ok(Exit::Quit {
        problems: app.status.summary.problems.clone(),
    })
}

/// The explorer's state for `inputs`, before the load.
fn explorer(
    inputs: &Inputs,
    filter: String,
    rules: crate::detect::RuleSet,
    case: Option<PathBuf>,
) -> App {
    let mut app = App::new(filter, matches!(inputs, Inputs::Demo)).with_rules(rules);
    if matches!(inputs, Inputs::Followed(_)) {
        app = app.following();
    }
    if let Some(path) = case {
        let names = match inputs {
            Inputs::Demo => vec!["(the built-in demo)".to_string()],
            Inputs::Paths(paths) | Inputs::Followed(paths) => {
                paths.iter().map(|p| p.display().to_string()).collect()
            }
        };
        app = app.with_case(path, names);
    }
    app
}

/// The signals the explorer answers: those that end it (the terminal is restored first),
/// as a shell's kill or a closed window sends them, and a stop request (kill -TSTP),
/// honoured like Ctrl-Z.
struct Signals {
    ending: [(i32, Arc<AtomicBool>); 4],
    stop: Arc<AtomicBool>,
}

impl Signals {
    fn install() -> io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
        let flag = || Arc::new(AtomicBool::new(false));
        let ending = [SIGTERM, SIGHUP, SIGINT, SIGQUIT].map(|signal| (signal, flag()));
        for (signal, flag) in &ending {
            signal_hook::flag::register(*signal, Arc::clone(flag))?;
        }
        let stop = flag();
        signal_hook::flag::register(SIGTSTP, Arc::clone(&stop))?;
        Ok(Signals { ending, stop })
    }

    /// An ending signal that arrived.
    fn received(&self) -> Option<i32> {
        self.ending
            .iter()
            .find(|(_, flag)| flag.load(Ordering::Relaxed))
            .map(|(signal, _)| *signal)
    }

    /// Whether a stop was requested since the last call.
    fn stop_requested(&self) -> bool {
        self.stop.swap(false, Ordering::Relaxed)
    }
}

/// Ctrl-Z: gives the terminal back and stops the process, as a shell job; when the shell
/// continues it (`fg`, SIGCONT), takes the terminal again and redraws all of it.
fn suspend(terminal: &mut Terminal<CrosstermBackend<io::Stdout>>) -> io::Result<()> {
    restore_terminal();
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    take_terminal()?;
    // Clear and forget what was drawn, so the next frame draws every cell. (Terminal::clear
    // would ask the terminal for the cursor position, an answer the input thread eats.)
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// What the event loop waits for: terminal input and the workers' results.
enum Message {
    Terminal(crossterm::event::Event),
    TerminalClosed,
    App(Action),
}

/// Applies `action` and hands the work it asks for to the workers; the clipboard is written
/// here. Once the explorer quits, the last writes (the case) are done before it ends.
fn dispatch(app: &mut App, action: Action, workers: &Workers) -> io::Result<()> {
    for request in app.update(action) {
        match request {
            app::Request::Copy(text) => {
                let also = clipboard::copy(&text, &mut io::stdout())?;
                // Said where the text went (the status so far says what was copied).
                let said = app.status.message.take().unwrap_or_default();
                app.status.message = Some(format!("{said} {}", also.said()));
            }
            request if app.status.quit => {
                // Earlier writes of the case first: the last one must land last.
                workers.settle_files();
                let _ = app::run_request(&app.store, request, &|| false);
            }
            request => workers.send(&app.store, request),
        }
    }
    Ok(())
}

/// Reads terminal input on its own thread, so the event loop never blocks in the terminal
/// and always sees signals and worker results.
fn spawn_input_reader(tx: Sender<Message>) {
    std::thread::spawn(move || loop {
        match crossterm::event::read() {
            Ok(event) => {
                if tx.send(Message::Terminal(event)).is_err() {
                    break;
                }
            }
            Err(_) => {
                let _ = tx.send(Message::TerminalClosed);
                break;
            }
        }
    });
}

fn spawn_loader(
    inputs: Inputs,
    options: LoadOptions,
    progress: Arc<Progress>,
    tx: Sender<Message>,
) {
    std::thread::spawn(move || {
        let (paths, follow) = match inputs {
            Inputs::Demo => {
                let (store, report) = Store::load(&crate::demo::inputs(), &options, &progress);
                // No digests and no index to write.
                send_loaded(&tx, &[], (store, report, None), None);
                return;
            }
            // What the load reads: files that land while it runs are read after it.
            Inputs::Followed(paths) => (paths.clone(), Some(crate::follow::seen(&paths))),
            Inputs::Paths(paths) => (paths, None),
        };
        let (inputs, problems) = crate::source::discover(&paths);
        let loaded = Store::load_saving_later(&paths, inputs, problems, &options, &progress);
        send_loaded(&tx, &paths, loaded, None);
        let Some(known) = follow else {
            return;
        };
        let watched = paths.clone();
        let on_arrival = {
            let tx = tx.clone();
            move |arrival: crate::follow::Arrival| {
                if !arrival.fresh {
                    let waiting = Action::Arriving(arrival.waiting.len());
                    return tx.send(Message::App(waiting)).is_ok();
                }
                // Through the saved index: only the files that arrived are read.
                let loaded = Store::load_saving_later(
                    &watched,
                    arrival.inputs,
                    arrival.problems,
                    &options,
                    &Progress::default(),
                );
                send_loaded(&tx, &watched, loaded, Some(arrival.waiting.len()))
            }
        };
        match crate::follow::watch(paths, known, on_arrival) {
            // The watch lasts as long as the explorer: this thread keeps it.
            Ok(_watcher) => loop {
                std::thread::park();
            },
            Err(e) => {
                let _ = tx.send(Message::App(Action::NotFollowing(e.to_string())));
            }
        }
    });
}

/// Hands a (re)loaded index to the explorer — what it counts over the index done here, off
/// the UI thread — then checks the evidence against any digest files among the inputs and
/// writes the saved index for next time. `waiting`: files left out of a reload because they
/// are still being written. Returns whether the explorer still listens.
fn send_loaded(
    tx: &Sender<Message>,
    paths: &[PathBuf],
    (store, report, save): (Store, LoadReport, Option<IndexSave>),
    waiting: Option<usize>,
) -> bool {
    let digests = report.digests;
    let loaded = Box::new(action::Arrival::of(store, report));
    let store = Arc::clone(&loaded.store);
    let action = match waiting {
        None => Action::Loaded(loaded),
        Some(waiting) => Action::Reloaded(loaded, waiting),
    };
    if tx.send(Message::App(action)).is_err() {
        return false;
    }
    // The addresses looked up while the first screen is read, so the detail pane's `from`
    // line and the address fields find them done.
    store.look_up_addresses();
    // The evidence first (the status says "verifying…" meanwhile), then the index for next
    // time, written before a followed trail's next arrival is read through it.
    if !paths.is_empty() {
        // Without digests there is nothing to read again: the outcome is known.
        let status = if digests == 0 {
            crate::verify::status(&crate::verify::Report::default())
        } else {
            crate::verify::status(&crate::verify::verify(paths, None))
        };
        if tx.send(Message::App(Action::Verified(status))).is_err() {
            return false;
        }
    }
    match save.map(|save| save.keeping_summaries().write(&store)) {
        Some(Err(note)) => tx.send(Message::App(Action::Note(note))).is_ok(),
        _ => true,
    }
}
