//! One function per mode. Each loads its inputs, reports every skipped input on stderr, and
//! returns the exit status; only fatal errors travel as `anyhow` errors.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::CommandFactory;

use trailscope::demo;
use trailscope::detect::{self, RuleSet};
use trailscope::load::{LoadOptions, LoadReport, Progress};
use trailscope::output::{self, Format};
use trailscope::query::{self, Expr, Field};
use trailscope::schema::Storage;
use trailscope::stats;
use trailscope::store::{Session, Store};
use trailscope::text::sanitize;

mod cache;
mod check;
mod pairs;
mod sql;
mod summary;
mod verify;
use cache::cache;
use check::check;
use pairs::stats_pairs;
use sql::sql;
use summary::summary;
use verify::verify;

use crate::cli::{Cli, Command, DetectArgs, LoadArgs, QueryArgs, StatsArgs, ThemeArg};

/// The exit statuses of docs/DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Fatal,
    /// A mistake in the command line.
    Usage,
    /// Finished, but some inputs (or parts of them) were skipped.
    Skipped,
    /// `verify`: something does not verify.
    Unverified,
    /// The explorer was ended by a signal: 128 + its number, as shells report it (129
    /// SIGHUP, 130 SIGINT, 131 SIGQUIT, 143 SIGTERM).
    Signal(i32),
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(match status {
            Status::Ok => 0,
            Status::Fatal => 1,
            Status::Usage => 2,
            Status::Skipped => 3,
            Status::Unverified => 4,
            Status::Signal(signal) => (128 + signal).clamp(0, 255) as u8,
        })
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Some(Command::Query(args)) => query(args, &cli.load),
        Some(Command::Stats(args)) => stats(args, &cli.load),
        Some(Command::Check(args)) => check(args, &cli.load),
        Some(Command::Detect(args)) => detect(args, &cli.load),
        Some(Command::Summary(args)) => summary(args, &cli.load),
        Some(Command::Verify(args)) => verify(args),
        Some(Command::Sql(args)) => sql(args, &cli.load),
        Some(Command::Cache(args)) => cache(args, &cli.load),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "trailscope", &mut io::stdout());
            Ok(Status::Ok)
        }
        None => explore(
            cli.selection.paths,
            cli.selection.filter,
            &cli.load,
            cli.theme,
            cli.follow,
        ),
    }
}

#[cfg(feature = "tui")]
fn explore(
    paths: Vec<PathBuf>,
    filter: Option<String>,
    load: &LoadArgs,
    theme: ThemeArg,
    follow: bool,
) -> anyhow::Result<Status> {
    use trailscope::tui::theme::{self, Theme};
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(anyhow::Error::new(Usage(
            "the explorer needs a terminal; for a pipe or a script use `trailscope query PATH` \
             (or stats, check)",
        )));
    }
    theme::set(match theme {
        ThemeArg::Auto => Theme::detect(
            std::env::var("NO_COLOR").ok().as_deref(),
            std::env::var("COLORFGBG").ok().as_deref(),
        ),
        ThemeArg::Dark => Theme::Dark,
        ThemeArg::Light => Theme::Light,
        ThemeArg::Mono => Theme::Mono,
    });
    let options = LoadOptions {
        max_file_size: load.max_file_size,
        threads: 0,
        dedup: !load.no_dedup,
        index_dir: load.index_dir(),
        places: load.places(),
    };
    let case = case_path(load, &paths);
    let inputs = if paths.is_empty() {
        if follow {
            bail!("--follow watches the folders of a trail: give a PATH");
        }
        trailscope::tui::Inputs::Demo
    } else if follow {
        trailscope::tui::Inputs::Followed(paths)
    } else {
        trailscope::tui::Inputs::Paths(paths)
    };
    let rules = RuleSet::load(!load.no_default_rules, &load.rules)
        .tuned(&load.level_tuning, load.rule_levels);
    let exit = trailscope::tui::run(inputs, options, filter.unwrap_or_default(), rules, case)?;
    Ok(match exit {
        trailscope::tui::Exit::Signal(signal) => Status::Signal(signal),
        // As query does: the problems on stderr (already made safe), exit status 3.
        trailscope::tui::Exit::Quit { problems } => {
            let mut stderr = io::stderr().lock();
            for problem in &problems {
                let _ = writeln!(stderr, "trailscope: {problem}");
            }
            if problems.is_empty() {
                Status::Ok
            } else {
                Status::Skipped
            }
        }
    })
}

#[cfg(not(feature = "tui"))]
fn explore(
    _: Vec<PathBuf>,
    _: Option<String>,
    _: &LoadArgs,
    _: ThemeArg,
    _: bool,
) -> anyhow::Result<Status> {
    bail!("this build has no explorer (built without the `tui` feature); use `trailscope query`, `stats` or `check`")
}

struct Loaded {
    store: Arc<Store>,
    /// The case's marks and the rules' hits, when the command reads them.
    session: Session,
    report: LoadReport,
    /// The saved index being written while the command works; waited for when the
    /// command is done with the store.
    saving: Option<std::thread::JoinHandle<Result<(), String>>>,
    quiet: bool,
    /// The lookup files the address columns were filled from.
    places: Arc<trailscope::places::Places>,
}

impl Drop for Loaded {
    fn drop(&mut self) {
        let note = match self.saving.take().map(std::thread::JoinHandle::join) {
            Some(Ok(Err(note))) => note,
            Some(Err(_)) => "the index was not saved: its writer failed".to_string(),
            _ => return,
        };
        if !self.quiet {
            eprintln!("trailscope: {}", sanitize(&note));
        }
    }
}

impl Loaded {
    /// Prints each problem on stderr; the status the command ends with if nothing else
    /// goes wrong.
    fn report_problems(&self) -> Status {
        let mut stderr = io::stderr().lock();
        for problem in self.report.problems() {
            let _ = writeln!(stderr, "trailscope: {}", sanitize(&problem.to_string()));
        }
        self.status()
    }

    /// The exit status the load alone calls for.
    fn status(&self) -> Status {
        if self.nothing_readable() {
            Status::Fatal
        } else if self.report.has_problems() {
            Status::Skipped
        } else {
            Status::Ok
        }
    }

    fn nothing_readable(&self) -> bool {
        self.store.is_empty()
            && self.report.has_problems()
            && self
                .report
                .inputs
                .iter()
                .all(|i| !i.problems.is_empty() || i.ignored)
    }
}

/// A headless command's inputs: its PATHs, or the demo when `--demo` asks for it. No PATH
/// is a usage error, so a script whose `$DIR` is empty never gets synthetic data.
fn require_paths(paths: &[PathBuf], args: &LoadArgs) -> anyhow::Result<()> {
    match (paths.is_empty(), args.demo) {
        (true, false) => Err(anyhow::Error::new(Usage(
            "give a PATH, or --demo for the built-in demo",
        ))),
        (false, true) => Err(anyhow::Error::new(Usage(
            "--demo reads the built-in demo: give no PATH with it",
        ))),
        _ => Ok(()),
    }
}

/// A mistake in the command line: exit status 2, as clap's own.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub &'static str);

fn load(paths: &[PathBuf], args: &LoadArgs) -> Loaded {
    let options = LoadOptions {
        max_file_size: args.max_file_size,
        threads: 0,
        dedup: !args.no_dedup,
        index_dir: args.index_dir(),
        places: args.places(),
    };
    let places = Arc::clone(&options.places);
    let progress = Arc::new(Progress::default());
    let done = Arc::new(AtomicBool::new(false));
    let reporter = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let (progress, done) = (Arc::clone(&progress), Arc::clone(&done));
        std::thread::spawn(move || show_progress(&progress, &done))
    });
    let demo = paths.is_empty();
    let (store, report, save) = if demo {
        if !args.quiet {
            eprintln!("trailscope: {}", demo::BANNER);
        }
        let (store, report) = Store::load(&demo::inputs(), &options, &progress);
        (store, report, None)
    } else {
        let (inputs, problems) = trailscope::source::discover(paths);
        Store::load_saving_later(paths, inputs, problems, &options, &progress)
    };
    done.store(true, Ordering::Relaxed);
    if let Some(handle) = reporter {
        let _ = handle.join();
    }
    if let (Some(note), false) = (&report.index_note, args.quiet) {
        eprintln!("trailscope: {}", trailscope::text::sanitize(note));
    }
    // The index for next time is written beside the command's own work (10M events: 1.8 GB,
    // seconds the answer need not wait for).
    let store = Arc::new(store);
    let saving = save.map(|save| {
        let store = Arc::clone(&store);
        std::thread::spawn(move || save.write(&store))
    });
    Loaded {
        store,
        session: Session::default(),
        report,
        saving,
        quiet: args.quiet,
        places,
    }
}

/// Redraws one progress line on stderr until `done`, after a short grace period so quick
/// loads print nothing.
fn show_progress(progress: &Progress, done: &AtomicBool) {
    let start = Instant::now();
    let mut shown = false;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        if start.elapsed() < Duration::from_millis(500) {
            continue;
        }
        let secs = start.elapsed().as_secs_f64();
        let mb = progress.bytes.load(Ordering::Relaxed) as f64 / 1e6;
        eprint!(
            "\r\x1b[Kloading: {}/{} files, {} events, {:.0} MB/s",
            progress.inputs_done.load(Ordering::Relaxed),
            progress.inputs_total.load(Ordering::Relaxed),
            progress.events.load(Ordering::Relaxed),
            mb / secs
        );
        shown = true;
    }
    if shown {
        eprint!("\r\x1b[K");
    }
}

fn parse_filter(filter: Option<&str>) -> anyhow::Result<Expr> {
    let text = filter.unwrap_or("");
    query::parse(text).with_context(|| format!("bad filter `{text}`"))
}

/// `1 event`, `2 events`.
fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// Runs `write` on stdout; a closed pipe (`| head`) ends quietly.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write output"),
    }
}

fn query(args: QueryArgs, load_args: &LoadArgs) -> anyhow::Result<Status> {
    require_paths(&args.selection.paths, load_args)?;
    let expr = parse_filter(args.selection.filter.as_deref())?;
    let names: Vec<&str> = args.columns.iter().map(String::as_str).collect();
    let columns = output::columns(&names).map_err(|name| {
        anyhow::anyhow!(
            "unknown column `{}` for --columns; known fields: {}",
            trailscope::text::sanitize(&name),
            Field::known_list()
        )
    })?;
    let detections = expr.uses_detections() || columns.iter().any(|c| c.storage.reads_detections());
    let (loaded, status) = open_inputs(&args.selection.paths, load_args, detections)?;
    let mut loaded = loaded;
    if args.marked || expr.uses_marks() {
        *loaded.session.marks_mut() = read_marks(&loaded.store, load_args, &args.selection.paths)?;
    }
    let mut rows = expr.rows(&loaded.store, &loaded.session);
    if rows.is_empty() {
        if let Some(hint) = query::where_words_occur(&loaded.store, &expr) {
            eprintln!("trailscope: {hint}");
        }
    }
    if args.marked {
        let marks = loaded.session.marks();
        rows.retain(|r| marks.contains_key(r));
    }
    if let Some(limit) = args.limit {
        rows.truncate(limit);
    }
    if args.count {
        to_stdout(|out| writeln!(out, "{}", rows.len()))?;
        return Ok(status);
    }
    let format = match args.output {
        Some(format) => format,
        None if io::stdout().is_terminal() => Format::Table,
        None => Format::Jsonl,
    };
    // A table is cut to a terminal's reading width, never in a file or a pipe.
    let to = match io::stdout().is_terminal() {
        true => output::Destination::Terminal,
        false => output::Destination::File,
    };
    to_stdout(|out| {
        if args.marked && columns.is_empty() {
            output::write_with_notes(out, &loaded.store, &loaded.session, &rows, (format, to))
        } else {
            output::write(
                out,
                &loaded.store,
                &loaded.session,
                &rows,
                (format, to),
                &columns,
            )
        }
    })?;
    Ok(status)
}

/// The case file `--case` names, else the inputs' own one; none with `--no-case`.
fn case_path(load: &LoadArgs, paths: &[PathBuf]) -> Option<PathBuf> {
    if load.no_case {
        return None;
    }
    load.case
        .clone()
        .or_else(|| trailscope::case::default_path(paths, paths.is_empty() || load.demo))
}

/// The case's marks on the loaded events (for `--marked`, `mark:`, `note:`).
fn read_marks(
    store: &Store,
    load: &LoadArgs,
    paths: &[PathBuf],
) -> anyhow::Result<std::collections::BTreeMap<u32, String>> {
    let Some(path) = case_path(load, paths) else {
        bail!("--marked and mark:/note: need a case file (--case FILE)");
    };
    let Some(case) = trailscope::case::Case::read(&path)? else {
        bail!(
            "no case file at {} (mark events in the explorer, or give --case FILE)",
            sanitize(&path.display().to_string())
        );
    };
    let (marks, elsewhere) = case.resolve(store);
    if !elsewhere.is_empty() {
        eprintln!(
            "trailscope: {} marks of the case are of events not in these inputs",
            elsewhere.len()
        );
    }
    Ok(marks)
}

/// The rules `--rules` and `--no-default-rules` ask for; rules that cannot run are named on
/// stderr.
fn rule_set(args: &LoadArgs) -> RuleSet {
    let set = RuleSet::load(!args.no_default_rules, &args.rules)
        .tuned(&args.level_tuning, args.rule_levels);
    let mut stderr = io::stderr().lock();
    for problem in &set.problems {
        let _ = writeln!(stderr, "trailscope: {}", sanitize(&problem.to_string()));
    }
    set
}

/// Opens the inputs of a command: loaded (problems said on stderr), at least one
/// readable, and with the detection rules' hits attached when the command's filter or
/// fields read them (`detections`). The status the command ends with, unless it fails.
fn open_inputs(
    paths: &[PathBuf],
    load_args: &LoadArgs,
    detections: bool,
) -> anyhow::Result<(Loaded, Status)> {
    let mut loaded = load(paths, load_args);
    let status = loaded.report_problems();
    if status == Status::Fatal {
        bail!("no input could be read");
    }
    if detections {
        let set = rule_set(load_args);
        let found = detect::run(&loaded.store, &set);
        let hits = detect::to_hits(&loaded.store, &set, &found);
        loaded.session = std::mem::take(&mut loaded.session).with_hits(hits);
    }
    Ok((loaded, status))
}

fn detect(args: DetectArgs, load_args: &LoadArgs) -> anyhow::Result<Status> {
    require_paths(&args.selection.paths, load_args)?;
    let expr = parse_filter(args.selection.filter.as_deref())?;
    let Some(min_level) = detect::Level::parse(&args.min_level) else {
        bail!(
            "--min-level {}: expected informational, low, medium, high or critical",
            sanitize(&args.min_level)
        );
    };
    let set = rule_set(load_args);
    if set.rules.is_empty() {
        bail!("no rules to run (--no-default-rules and no usable --rules)");
    }
    let (loaded, status) = open_inputs(&args.selection.paths, load_args, false)?;
    let mut found = detect::run(&loaded.store, &set);
    if !matches!(expr, Expr::All) {
        let rows = expr.evaluate(&loaded.store, &loaded.session);
        for hits in &mut found {
            hits.retain(|r| rows.contains(r as usize));
        }
        found.retain(|h| !h.rows.is_empty());
    }
    if args.by.is_some() {
        let hits = detect::to_hits(&loaded.store, &set, &found);
        let suspects = detect::suspects::rank(&loaded.store, &hits);
        let report = detect::report::Suspects(&suspects);
        to_stdout(|out| output::write_report(out, &report, args.output))?;
        return Ok(status);
    }
    if args.events {
        to_stdout(|out| detect::report::events(out, &loaded.store, &set, &found, min_level))?;
        return Ok(status);
    }
    let lines = detect::report::lines(&loaded.store, &set, &found, min_level);
    let report = detect::report::Detections {
        lines: &lines,
        store: &loaded.store,
        set: &set,
        found: &found,
        min_level,
    };
    to_stdout(|out| output::write_report(out, &report, args.output))?;
    Ok(status)
}

fn stats(args: StatsArgs, load_args: &LoadArgs) -> anyhow::Result<Status> {
    require_paths(&args.selection.paths, load_args)?;
    let expr = parse_filter(args.selection.filter.as_deref())?;
    if let Some((a, b)) = args.by.split_once(',') {
        return stats_pairs(&args, [a, b], &expr, load_args);
    }
    let Some(field) = Field::from_name(&args.by) else {
        bail!(
            "unknown field `{}` for --by; known fields: {}",
            args.by,
            Field::known_list()
        );
    };
    if let Some(Storage::TimeBound(_)) = field.storage() {
        bail!(
            "--by {}: a time bound cannot be counted by; count by `time`",
            args.by
        );
    }
    let detections = expr.uses_detections() || field.uses_detections();
    let (loaded, status) = open_inputs(&args.selection.paths, load_args, detections)?;
    let rows = expr.rows(&loaded.store, &loaded.session);
    let mut counts = stats::count_by(&loaded.store, &loaded.session, &rows, &field)?;
    if let Some(top) = args.top {
        counts.truncate(top);
    }
    to_stdout(|out| output::write_report(out, &output::counts(&counts), args.output))?;
    Ok(status)
}
