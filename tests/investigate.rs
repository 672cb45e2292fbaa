//! The investigator's verbs in the explorer, as actions on the demo and the chain data set:
//! search inside events, marks and notes, jumps back, the histogram click, errors, copying,
//! exports, and the case file.

#![cfg(feature = "tui")]

mod common;

use std::fs;
use std::os::unix::fs::FileTypeExt;

use base64::Engine as _;
use common::app::{act, demo, demo_with_case, filter};

use trailscope::load::{LoadOptions, Progress};
use trailscope::store::{Col, Store};
use trailscope::tui::app::{Action, App, Focus, Overlay, Verb};
use trailscope::tui::prompt::PromptEdit;

fn verb(app: &mut App, verb: Verb) {
    act(app, Action::Verb(verb));
}

/// Types `text` into the open prompt and presses Enter.
fn prompt(app: &mut App, text: &str) {
    verb(app, Verb::Prompt(PromptEdit::DeleteToStart));
    for c in text.chars() {
        verb(app, Verb::Prompt(PromptEdit::Char(c)));
    }
    verb(app, Verb::PromptAccept);
}

fn selected(app: &App, col: Col) -> String {
    let row = app.selected_row().expect("selected") as usize;
    app.store.get(col, row).to_string()
}

#[test]
fn search_finds_hits_in_the_event_then_in_the_next_events() {
    let mut app = demo();
    filter(&mut app, "principal:ci-deploy");
    act(&mut app, Action::Top);
    act(&mut app, Action::ToggleFocus);
    verb(&mut app, Verb::Search);
    assert_eq!(app.screen.focus, Focus::Prompt);
    prompt(&mut app, "KALI");
    // The first event holding it is the attacker's first call; its hit is the user agent.
    assert_eq!(selected(&app, Col::Name), "GetCallerIdentity");
    let line = app.detail.line().expect("a line").clone();
    assert_eq!(line.path, "userAgent");
    assert_eq!(app.highlights(), ["kali"]);
    verb(&mut app, Verb::SearchStep(1));
    assert_eq!(selected(&app, Col::Name), "GetUser");
    assert_eq!(app.detail.line().expect("a line").path, "userAgent");
    verb(&mut app, Verb::SearchStep(-1));
    assert_eq!(selected(&app, Col::Name), "GetCallerIdentity");
    // Before the first there is none.
    verb(&mut app, Verb::SearchStep(-1));
    assert_eq!(
        app.status.message.as_deref(),
        Some("\"kali\" is in no earlier event of the result")
    );
    // A quoted phrase in the filter is highlighted when nothing is searched.
    verb(&mut app, Verb::Search);
    prompt(&mut app, "");
    filter(&mut app, "\"policy/AdministratorAccess\"");
    assert_eq!(app.highlights(), ["policy/administratoraccess"]);
}

#[test]
fn marks_notes_and_the_mark_field() {
    let mut app = demo();
    filter(&mut app, "principal:ci-deploy ip:185.220.101.47");
    act(&mut app, Action::Top);
    verb(&mut app, Verb::ToggleMark);
    act(&mut app, Action::Move(20));
    let second = selected(&app, Col::Name);
    verb(&mut app, Verb::Note);
    prompt(&mut app, "the escalation begins");
    assert_eq!(app.session.marks().len(), 2);
    act(&mut app, Action::Bottom);
    verb(&mut app, Verb::StepMark(-1));
    assert_eq!(selected(&app, Col::Name), second);
    verb(&mut app, Verb::StepMark(-1));
    assert_eq!(selected(&app, Col::Name), "GetCallerIdentity");
    verb(&mut app, Verb::StepMark(-1));
    assert_eq!(
        app.status.message.as_deref(),
        Some("no mark before this event in the result")
    );
    // Ctrl-O back to where the mark jumps began.
    act(&mut app, Action::JumpBack);
    assert_eq!(selected(&app, Col::Name), second);
    filter(&mut app, "mark:*");
    assert_eq!(app.timeline.rows.len(), 2);
    filter(&mut app, "note:*escalation*");
    assert_eq!(app.timeline.rows.len(), 1);
    assert_eq!(selected(&app, Col::Name), second);
    // The note is in the detail summary and the marks list.
    let screen = common::screen::text(&trailscope::tui::render(&mut app, 160, 45));
    assert!(
        screen.contains("note   * the escalation begins"),
        "{screen}"
    );
    verb(&mut app, Verb::ToggleMarks);
    assert_eq!(app.screen.overlay, Overlay::Marks);
    let screen = common::screen::text(&trailscope::tui::render(&mut app, 160, 45));
    assert!(screen.contains("2 marks · Enter goes to one"), "{screen}");
    // Enter on the first mark, outside the filter: the filter clears to show it.
    verb(&mut app, Verb::MarksChoose);
    assert_eq!(app.filter.applied, "");
    assert_eq!(selected(&app, Col::Name), "GetCallerIdentity");
    // m again unmarks.
    verb(&mut app, Verb::ToggleMark);
    assert_eq!(app.session.marks().len(), 1);
}

#[test]
fn jumps_back_after_p_and_a_pivot_and_the_histogram_click() {
    let mut app = demo();
    filter(&mut app, "ip:185.220.101.47");
    act(&mut app, Action::Move(5));
    let before = app.selected_row();
    act(&mut app, Action::FilterPrincipal);
    assert_eq!(app.filter.applied, "principal:ci-deploy");
    act(&mut app, Action::JumpBack);
    assert_eq!(app.filter.applied, "ip:185.220.101.47");
    assert_eq!(app.selected_row(), before);
    // A pivot from the detail pane is a jump too.
    act(&mut app, Action::ToggleFocus);
    let region = app
        .detail
        .doc
        .as_ref()
        .and_then(|(_, lines)| lines.iter().position(|l| l.path == "awsRegion"))
        .expect("awsRegion");
    act(&mut app, Action::DetailMove(region as isize));
    act(&mut app, Action::Pivot { exclude: false });
    assert_eq!(app.filter.applied, "ip:185.220.101.47 region:us-east-1");
    act(&mut app, Action::JumpBack);
    assert_eq!(app.filter.applied, "ip:185.220.101.47");
    assert_eq!(app.selected_row(), before);
    // A click on the histogram's last column selects the first event of that bucket.
    act(&mut app, Action::ToggleFocus);
    let h = app.screen.geometry.histogram;
    let (_, _, hist) = app.timeline.histogram.clone().expect("histogram");
    let bucket = h.width as usize - 1;
    let from = hist.start + hist.bucket_ms * bucket as i64;
    act(
        &mut app,
        Action::Click {
            column: h.x + bucket as u16,
            row: h.y + 1,
        },
    );
    let first = app
        .timeline
        .rows
        .iter()
        .position(|&r| app.store.time(r as usize).unwrap_or(0) >= from)
        .expect("an event in the last bucket");
    assert_eq!(app.timeline.selected, first);
    assert_eq!(selected(&app, Col::Name), "StopLogging");
}

#[test]
fn e_steps_through_errors_and_t_goes_to_a_time() {
    let mut app = demo();
    filter(&mut app, "principal:ci-deploy ip:185.220.101.47");
    act(&mut app, Action::Top);
    verb(&mut app, Verb::StepError(1));
    assert_eq!(selected(&app, Col::Name), "GetAccountAuthorizationDetails");
    assert_eq!(selected(&app, Col::ErrorCode), "AccessDenied");
    verb(&mut app, Verb::StepError(1));
    assert_eq!(selected(&app, Col::Name), "DescribeOrganization");
    verb(&mut app, Verb::StepError(-1));
    assert_eq!(selected(&app, Col::Name), "GetAccountAuthorizationDetails");
    verb(&mut app, Verb::Command("goto "));
    prompt(&mut app, "goto 2024-05-02T14:05:20Z");
    assert_eq!(selected(&app, Col::Name), "AttachUserPolicy");
    assert_eq!(app.filter.applied, "principal:ci-deploy ip:185.220.101.47");
    verb(&mut app, Verb::Command(""));
    prompt(&mut app, "goto -3d");
    assert_eq!(selected(&app, Col::Name), "GetCallerIdentity");
    verb(&mut app, Verb::Command(""));
    prompt(&mut app, "goto yesterday");
    assert!(
        app.status
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("expected a time")),
        "{:?}",
        app.status.message
    );
}

#[test]
fn y_copies_exactly_the_event_and_exports_round_trip() {
    let mut app = demo();
    filter(&mut app, "principal:ci-deploy ip:185.220.101.47");
    verb(&mut app, Verb::Copy { term: false });
    let row = app.selected_row().expect("selected") as usize;
    let json = app.store.event_json(row);
    let copied = app.status.copied.clone().expect("copied");
    assert_eq!(copied, json);
    let osc = trailscope::tui::osc52(&copied);
    let text = String::from_utf8(osc.clone()).expect("ascii");
    let payload = text
        .strip_prefix("\x1b]52;c;")
        .and_then(|t| t.strip_suffix('\x07'))
        .expect("one OSC 52 sequence");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .expect("base64");
    assert_eq!(decoded, json.as_bytes());
    assert_eq!(osc.iter().filter(|&&b| b == 0x1b).count(), 1);
    // Y in the detail pane: the line's field:value.
    act(&mut app, Action::ToggleFocus);
    let ip = app
        .detail
        .doc
        .as_ref()
        .and_then(|(_, lines)| lines.iter().position(|l| l.path == "sourceIPAddress"))
        .expect("the address line");
    act(&mut app, Action::DetailMove(ip as isize));
    verb(&mut app, Verb::Copy { term: true });
    assert_eq!(app.status.copied.as_deref(), Some("ip:185.220.101.47"));
    act(&mut app, Action::ToggleFocus);

    // Mark three events, write them as Records JSON, load that file: the same events.
    for _ in 0..3 {
        verb(&mut app, Verb::ToggleMark);
        act(&mut app, Action::Move(7));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let records = dir.path().join("marks.json");
    verb(&mut app, Verb::Command(""));
    prompt(&mut app, &format!("write-marks {}", records.display()));
    assert_eq!(
        app.status.message.as_deref(),
        Some(format!("wrote 3 events to {}", records.display()).as_str())
    );
    let marked: Vec<String> = app
        .session
        .marks()
        .keys()
        .map(|&r| trailscope::output::minify(&app.store.event_json(r as usize)))
        .collect();
    let (again, report) =
        Store::load_paths(&[records], &LoadOptions::default(), &Progress::default());
    assert!(!report.has_problems());
    let reloaded: Vec<String> = (0..again.len())
        .map(|r| trailscope::output::minify(&again.event_json(r)))
        .collect();
    assert_eq!(reloaded, marked);

    // The whole result as Timesketch JSON Lines: every line has what Timesketch requires.
    let sketch = dir.path().join("result.timesketch.jsonl");
    verb(&mut app, Verb::Command(""));
    prompt(&mut app, &format!("write {}", sketch.display()));
    let text = fs::read_to_string(&sketch).expect("written");
    assert_eq!(text.lines().count(), 25);
    for line in text.lines() {
        timesketch_line(line);
    }
}

/// Timesketch's import format for JSONL: one JSON object per line with a string `message`,
/// `datetime` in ISO 8601 and a string `timestamp_desc`; the other attributes flat (strings,
/// numbers, booleans).
fn timesketch_line(line: &str) {
    let value: serde_json::Value = serde_json::from_str(line).expect("a JSON object per line");
    let object = value.as_object().expect("an object");
    for required in ["message", "datetime", "timestamp_desc"] {
        let field = object.get(required).and_then(|v| v.as_str());
        assert!(field.is_some_and(|s| !s.is_empty()), "{required}: {line}");
    }
    let datetime = object["datetime"].as_str().unwrap_or_default();
    assert!(
        chrono::DateTime::parse_from_rfc3339(datetime).is_ok(),
        "datetime {datetime} is ISO 8601"
    );
    assert_eq!(object["timestamp_desc"], "Event Recorded");
    for (key, value) in object {
        assert!(
            !value.is_object() && !value.is_array(),
            "{key} is flat: {line}"
        );
    }
}

#[test]
fn the_case_survives_a_restart_and_a_torn_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.json");
    let open = || demo_with_case(&case);
    let mut app = open();
    filter(&mut app, "principal:ci-deploy ip:185.220.101.47");
    verb(&mut app, Verb::ToggleMark);
    act(&mut app, Action::Move(3));
    verb(&mut app, Verb::Note);
    prompt(&mut app, "second look");
    act(&mut app, Action::Quit);
    let saved = fs::read_to_string(&case).expect("saved");
    // Headless: the marked events of the case, with their notes.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args([
            "query",
            "--demo",
            "-q",
            "--marked",
            "-o",
            "csv",
            "--columns",
            "time,name,note",
            "--case",
        ])
        .arg(&case)
        .output()
        .expect("run trailscope");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "eventTime,eventName,note\n2024-05-02T14:02:11Z,GetCallerIdentity,\n2024-05-02T14:03:00Z,GetAccountAuthorizationDetails,second look\n"
    );
    // A write torn by a crash leaves its temporary file; the case itself is whole.
    fs::write(
        dir.path().join("case.json.999.tmp"),
        &saved[..saved.len() / 2],
    )
    .expect("torn");
    let app = open();
    assert_eq!(app.filter.applied, "principal:ci-deploy ip:185.220.101.47");
    let marks = app.session.marks().clone();
    assert_eq!(marks.len(), 2);
    assert_eq!(marks.values().filter(|n| *n == "second look").count(), 1);
    assert!(app
        .status
        .message
        .as_deref()
        .is_some_and(|m| m.starts_with("case restored: 2 marks")));
    assert_eq!(
        app.filter.history.last().map(String::as_str),
        Some("principal:ci-deploy ip:185.220.101.47")
    );
    // A case file broken on disk is never trusted: set aside, named, a fresh case begun.
    fs::write(&case, &saved[..saved.len() / 2]).expect("break");
    let app = open();
    assert!(app.session.marks().is_empty());
    assert!(
        app.status
            .summary
            .problems
            .iter()
            .any(|p| p.contains("not a trailscope case file")),
        "{:?}",
        app.status.summary.problems
    );
    assert!(dir.path().join("case.json.unreadable").exists());
}

#[test]
fn write_never_overwrites_evidence_and_marks_carry_their_notes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("trail.json");
    fs::copy(common::fixture("chains/chains.json"), &input).expect("copy");
    let before = fs::read(&input).expect("read");
    let (store, report) = Store::load_paths(
        std::slice::from_ref(&input),
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), false);
    act(&mut app, Action::loaded(store, report));
    let command = |app: &mut App, text: &str| {
        verb(app, Verb::Command(""));
        prompt(app, text);
        app.status.message.clone().unwrap_or_default()
    };
    // A loaded input: refused, even with `!`, its bytes unchanged.
    for text in ["write", "write!", "write-marks!"] {
        verb(&mut app, Verb::ToggleMark);
        let said = command(&mut app, &format!("{text} {}", input.display()));
        assert_eq!(
            said,
            format!(
                "{} is one of the loaded inputs: the evidence is never written over",
                input.display()
            )
        );
        verb(&mut app, Verb::ToggleMark);
    }
    assert_eq!(fs::read(&input).expect("read"), before);
    // Another existing file: refused, then replaced with `:write!`.
    let out = dir.path().join("out.jsonl");
    fs::write(&out, "keep me\n").expect("write");
    assert_eq!(
        command(&mut app, &format!("write {}", out.display())),
        format!(
            "{} exists: :write! {} replaces it",
            out.display(),
            out.display()
        )
    );
    assert_eq!(fs::read_to_string(&out).expect("read"), "keep me\n");
    assert_eq!(
        command(&mut app, &format!("write! {}", out.display())),
        format!("wrote 15 events to {}", out.display())
    );
    assert_eq!(fs::read_to_string(&out).expect("read").lines().count(), 15);
    // A noted mark: its note in every export of marks.
    act(&mut app, Action::Top);
    verb(&mut app, Verb::ToggleMark);
    verb(&mut app, Verb::Note);
    prompt(&mut app, "first call, \"quoted\"");
    let csv = dir.path().join("marks.csv");
    command(&mut app, &format!("write-marks {}", csv.display()));
    let text = fs::read_to_string(&csv).expect("csv");
    assert!(
        text.lines()
            .next()
            .expect("header")
            .ends_with(",eventID,note"),
        "{text}"
    );
    assert!(
        text.lines()
            .nth(1)
            .expect("row")
            .ends_with(",chain-e01,\"first call, \"\"quoted\"\"\""),
        "{text}"
    );
    let jsonl = dir.path().join("marks.jsonl");
    command(&mut app, &format!("write-marks {}", jsonl.display()));
    let line: serde_json::Value =
        serde_json::from_str(fs::read_to_string(&jsonl).expect("jsonl").trim()).expect("json");
    assert_eq!(line["eventID"], "chain-e01");
    assert_eq!(line["trailscopeNote"], "first call, \"quoted\"");
    let sketch = dir.path().join("marks.timesketch.jsonl");
    command(&mut app, &format!("write-marks {}", sketch.display()));
    let line: serde_json::Value =
        serde_json::from_str(fs::read_to_string(&sketch).expect("sketch").trim()).expect("json");
    assert_eq!(line["note"], "first call, \"quoted\"");
}

#[test]
fn quitting_with_notes_no_case_keeps_asks_first() {
    let mut app = demo();
    verb(&mut app, Verb::ToggleMark);
    act(&mut app, Action::Quit);
    // A mark without a note: nothing to lose that a case would have kept.
    assert!(app.status.quit);
    let mut app = demo();
    verb(&mut app, Verb::ToggleMark);
    verb(&mut app, Verb::Note);
    prompt(&mut app, "look here");
    act(&mut app, Action::Quit);
    assert!(!app.status.quit);
    assert_eq!(
        app.status.message.as_deref(),
        Some("1 note in no case file: :write-marks FILE saves them; q again (or :q!) quits")
    );
    // Any other key, and q asks again; q straight after quits.
    act(&mut app, Action::Move(1));
    act(&mut app, Action::Quit);
    assert!(!app.status.quit);
    act(&mut app, Action::Quit);
    assert!(app.status.quit);
    // As in vim: `:q` asks as `q` does, `:q!` quits.
    let mut app = demo();
    verb(&mut app, Verb::ToggleMark);
    verb(&mut app, Verb::Note);
    prompt(&mut app, "look here");
    verb(&mut app, Verb::Command(""));
    prompt(&mut app, "q");
    assert!(!app.status.quit);
    assert!(app
        .status
        .message
        .as_deref()
        .is_some_and(|m| m.starts_with("1 note in no case file")));
    verb(&mut app, Verb::Command(""));
    prompt(&mut app, "q!");
    assert!(app.status.quit);
}

/// In every list over the screen, g / Home go to the first line and G / End to the last.
#[test]
fn g_and_shift_g_go_to_the_ends_of_every_list() {
    use trailscope::tui::keymap;
    let (store, report) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), true).with_rules(trailscope::detect::RuleSet::shipped());
    act(&mut app, Action::loaded(store, report));
    app.prepare(ratatui::layout::Rect::new(0, 0, 160, 45));
    let key = |app: &mut App, c: char| {
        let event = crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        ));
        if let Some(action) = keymap::action(&app.screen, &event) {
            act(app, action);
        }
    };
    key(&mut app, 'd');
    assert_eq!(app.screen.overlay, Overlay::Detections);
    key(&mut app, 'G');
    assert_eq!(app.detections.selected, app.detections.view.rules.len() - 1);
    key(&mut app, 'g');
    assert_eq!(app.detections.selected, 0);
    key(&mut app, 'q');
    key(&mut app, 's');
    key(&mut app, 'G');
    let entries = app.overview.view.as_ref().map_or(0, |v| v.entries.len());
    assert!(entries > 10);
    assert_eq!(app.overview.selected, entries - 1);
    key(&mut app, 'g');
    assert_eq!(app.overview.selected, 0);
    key(&mut app, 'q');
    key(&mut app, '?');
    key(&mut app, 'G');
    assert_eq!(
        app.screen.overlay,
        Overlay::Help {
            offset: trailscope::tui::keymap::KEYS.len() - 1
        }
    );
    key(&mut app, 'g');
    assert_eq!(app.screen.overlay, Overlay::Help { offset: 0 });
}

#[test]
fn t_takes_a_time_of_day_and_epoch_seconds() {
    let mut app = demo();
    filter(&mut app, "principal:ci-deploy ip:185.220.101.47");
    for (text, nearest) in [
        ("goto 14:05", "2024-05-02 14:05:05"),
        ("goto 1714658700", "2024-05-02 14:05:05"),
        ("goto 2024-05-02 14:22", "2024-05-02 14:07:23"),
    ] {
        verb(&mut app, Verb::Command(""));
        prompt(&mut app, text);
        assert_eq!(
            app.status.message.as_deref(),
            Some(format!("the event nearest that time: {nearest} (Ctrl-O goes back)").as_str()),
            "{text}"
        );
    }
}

/// A case path that is no file the case can be kept in (a folder, a FIFO, a device) is
/// left exactly as it is: nothing read from it, nothing renamed, nothing written at quit.
#[test]
fn a_case_path_that_is_no_regular_file_is_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("case-folder");
    fs::create_dir(&folder).expect("mkdir");
    fs::write(folder.join("inside"), "mine").expect("write");
    let fifo = dir.path().join("case.fifo");
    common::mkfifo(&fifo);
    for path in [folder.clone(), fifo.clone(), "/dev/null".into()] {
        let mut app = demo_with_case(&path);
        assert!(
            app.status
                .summary
                .problems
                .iter()
                .any(|p| p.contains("not a regular file")
                    && p.ends_with("(no case is kept this session)")),
            "{path:?}: {:?}",
            app.status.summary.problems
        );
        verb(&mut app, Verb::ToggleMark);
        act(&mut app, Action::Quit);
        assert!(app.status.quit);
    }
    assert!(folder.is_dir());
    assert_eq!(
        fs::read_to_string(folder.join("inside")).expect("read"),
        "mine"
    );
    assert!(!dir.path().join("case-folder.unreadable").exists());
    assert!(fs::symlink_metadata(&fifo)
        .expect("fifo")
        .file_type()
        .is_fifo());
}

/// Two explorers open on one case: each one's marks survive the other's quitting.
#[test]
fn two_explorers_on_one_case_keep_each_others_marks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.json");
    let open = || demo_with_case(&case);
    let mut first = open();
    let mut second = open();
    filter(&mut first, "name:StopLogging");
    verb(&mut first, Verb::ToggleMark);
    verb(&mut first, Verb::Note);
    prompt(&mut first, "from the first");
    filter(&mut second, "name:AttachUserPolicy");
    verb(&mut second, Verb::ToggleMark);
    act(&mut first, Action::Quit);
    act(&mut second, Action::Quit);
    let third = open();
    let marks = third.session.marks().clone();
    assert_eq!(marks.len(), 2, "{marks:?}");
    assert_eq!(marks.values().filter(|n| *n == "from the first").count(), 1);
}

/// An event holding a 50 MB string and a 20 MB note: the pane shows the head of each and
/// says what it leaves out, so drawing a frame never walks megabytes; `y` still copies the
/// whole value.
#[test]
fn a_value_of_megabytes_is_shown_cut_and_copied_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = "x".repeat(50 << 20);
    fs::write(
        dir.path().join("big.json"),
        format!(
            r#"{{"Records":[{{"eventVersion":"1.08","eventTime":"2024-05-03T14:00:00Z","eventName":"PutObject","eventID":"big","requestParameters":{{"blob":"{big}"}}}}]}}"#
        ),
    )
    .expect("write");
    let (store, report) = Store::load_paths(
        &[dir.path().join("big.json")],
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), false);
    act(&mut app, Action::loaded(store, report));
    verb(&mut app, Verb::ToggleMark);
    verb(&mut app, Verb::Note);
    prompt(&mut app, "short");
    if let Some(note) = std::sync::Arc::make_mut(&mut app.session)
        .marks_mut()
        .values_mut()
        .next()
    {
        *note = "n".repeat(20 << 20);
    }
    act(&mut app, Action::ToggleFocus);
    let started = std::time::Instant::now();
    let mut shown = String::new();
    for _ in 0..5 {
        shown = common::screen::text(&trailscope::tui::render(&mut app, 160, 45));
        act(&mut app, Action::DetailMove(1));
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let line = app
        .detail
        .doc
        .as_ref()
        .and_then(|(_, lines)| lines.iter().find(|l| l.path == "requestParameters.blob"))
        .expect("the blob's line")
        .clone();
    let text: String = line.pieces.iter().map(|(_, s)| s.as_str()).collect();
    assert!(text.len() < 20 * 1024, "{}", text.len());
    assert!(
        text.ends_with("… (52,412,418 more bytes; y copies the whole value)"),
        "{}",
        &text[text.len() - 80..]
    );
    assert!(shown.contains("note   * nnnn"), "{shown}");
    assert_eq!(line.value.map(|v| v.len()), Some(50 << 20));
}
