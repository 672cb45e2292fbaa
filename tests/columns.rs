//! The timeline's columns chosen by hand (`c`, `:columns`), sorted by a column, the
//! explorer's options (`:set`), and all of it kept in the case.

#![cfg(feature = "tui")]

mod common;

use common::app::{act, demo, filter};
use common::screen::text;

use trailscope::load::{LoadOptions, Progress};
use trailscope::store::{Col, Store};
use trailscope::tui::app::{Action, App, Overlay, Verb};
use trailscope::tui::grid::ColumnEdit;
use trailscope::tui::prompt::PromptEdit;

/// Runs the `:` command `text`.
fn command(app: &mut App, text: &str) {
    act(app, Action::Verb(Verb::Command("")));
    for c in text.chars() {
        act(app, Action::Verb(Verb::Prompt(PromptEdit::Char(c))));
    }
    act(app, Action::Verb(Verb::PromptAccept));
}

fn names(app: &App) -> Vec<&'static str> {
    app.timeline.columns.iter().map(|c| c.field.name).collect()
}

fn message(app: &App) -> String {
    app.status.message.clone().unwrap_or_default()
}

/// The header line of the timeline as drawn at 160×45.
fn header(app: &mut App) -> String {
    let screen = text(&trailscope::tui::render(app, 160, 45));
    let y = app.screen.geometry.header.y as usize;
    screen.lines().nth(y).unwrap_or("").to_string()
}

const DEFAULT: [&str; 12] = [
    "time",
    "name",
    "source",
    "principal",
    "ip",
    "region",
    "error",
    "account",
    "msg",
    "tool",
    "bucket",
    "object",
];

#[test]
fn c_hides_moves_sizes_and_sorts_columns() {
    let mut app = demo();
    filter(&mut app, "principal:ci-deploy ip:185.220.101.47");
    act(&mut app, Action::ToggleColumns);
    assert_eq!(app.screen.overlay, Overlay::Columns);
    assert_eq!(names(&app), DEFAULT);
    // The cursor on `source`: hidden, then shown again at the end.
    act(&mut app, Action::Columns(ColumnEdit::Move(2)));
    act(&mut app, Action::Columns(ColumnEdit::Toggle));
    assert!(!names(&app).contains(&"source"));
    assert!(!header(&mut app).contains("SOURCE"));
    // `agent` is the first field not shown: Space adds it last, the cursor follows.
    act(&mut app, Action::Columns(ColumnEdit::Move(1 << 40)));
    act(&mut app, Action::Columns(ColumnEdit::Move(-(1 << 40))));
    act(&mut app, Action::Columns(ColumnEdit::Move(11)));
    act(&mut app, Action::Columns(ColumnEdit::Toggle));
    assert_eq!(names(&app)[11], "source");
    // K twice: `source` two places earlier.
    act(&mut app, Action::Columns(ColumnEdit::Shift(-1)));
    act(&mut app, Action::Columns(ColumnEdit::Shift(-1)));
    assert_eq!(names(&app)[9], "source");
    // > twice on it: 4 columns wider than its header and 12, then back to auto.
    act(&mut app, Action::Columns(ColumnEdit::Resize(2)));
    act(&mut app, Action::Columns(ColumnEdit::Resize(2)));
    assert_eq!(app.timeline.columns[9].width, Some(22));
    assert_eq!(
        message(&app),
        "SOURCE 21 wide (= back to what its values need)"
    );
    act(&mut app, Action::Columns(ColumnEdit::Auto));
    assert_eq!(app.timeline.columns[9].width, None);
    // The principal column of every row at once: s sorts by the cursor's column.
    act(&mut app, Action::Columns(ColumnEdit::Move(-(1 << 40))));
    act(&mut app, Action::Columns(ColumnEdit::Move(1)));
    act(&mut app, Action::Columns(ColumnEdit::Sort));
    assert_eq!(
        message(&app),
        "sorted by name (s again: the other way, then time order)"
    );
    let sorted: Vec<String> = app
        .timeline
        .rows
        .iter()
        .map(|&r| app.store.get(Col::Name, r as usize).to_lowercase())
        .collect();
    assert_eq!(sorted.len(), 25);
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "{sorted:?}");
    assert_eq!(sorted[0], "assumerole");
    // Equal names stay in time order.
    let times: Vec<i64> = app
        .timeline
        .rows
        .iter()
        .filter(|&&r| app.store.get(Col::Name, r as usize) == "DescribeInstances")
        .filter_map(|&r| app.store.time(r as usize))
        .collect();
    assert_eq!(times.len(), 3);
    assert!(times.windows(2).all(|w| w[0] < w[1]));
    act(&mut app, Action::Columns(ColumnEdit::Sort));
    let first = app.timeline.rows[0] as usize;
    assert_eq!(app.store.get(Col::Name, first), "StopLogging");
    act(&mut app, Action::Columns(ColumnEdit::Sort));
    assert_eq!(message(&app), "in time order");
    assert!(app.timeline.rows.windows(2).all(|w| w[0] < w[1]));
    // r: the defaults again; c closes.
    act(&mut app, Action::Columns(ColumnEdit::Reset));
    assert_eq!(names(&app), DEFAULT);
    act(&mut app, Action::ToggleColumns);
    assert_eq!(app.screen.overlay, Overlay::None);
}

#[test]
fn the_columns_list_shows_every_field_and_what_is_set() {
    let mut app = demo();
    act(&mut app, Action::ToggleColumns);
    act(&mut app, Action::Columns(ColumnEdit::Move(3)));
    act(&mut app, Action::Columns(ColumnEdit::Resize(-2)));
    act(&mut app, Action::Columns(ColumnEdit::Sort));
    let screen = text(&trailscope::tui::render(&mut app, 160, 45));
    assert!(
        screen.contains("│ [x] principal       PRINCIPAL       18      sorted ↑"),
        "{screen}"
    );
    assert!(
        screen.contains("│ [x] name            EVENT           auto"),
        "{screen}"
    );
    assert!(screen.contains("│ [ ] agent           AGENT"), "{screen}");
    assert!(
        screen.contains("│ [ ] sourceidentity  SOURCE IDENTITY"),
        "{screen}"
    );
}

#[test]
fn columns_sort_and_set_commands() {
    let mut app = demo();
    command(&mut app, "columns name, principal=30,ip");
    assert_eq!(names(&app), ["name", "principal", "ip"]);
    assert_eq!(app.timeline.columns[1].width, Some(30));
    let header = header(&mut app);
    assert!(
        header.starts_with(&format!(
            "│  EVENT{}PRINCIPAL{}IP ",
            " ".repeat(30),
            " ".repeat(21)
        )),
        "{header}"
    );
    command(&mut app, "columns name,nme");
    assert_eq!(message(&app), "nme: not a column (c lists them)");
    assert_eq!(names(&app), ["name", "principal", "ip"]);
    command(&mut app, "columns");
    assert_eq!(app.screen.overlay, Overlay::Columns);
    act(&mut app, Action::ToggleColumns);
    command(&mut app, "sort -principal");
    assert_eq!(
        message(&app),
        "sorted by -principal (:sort time: time order)"
    );
    let first = app.timeline.rows[0] as usize;
    let last = *app.timeline.rows.last().unwrap_or(&0) as usize;
    assert!(app.store.get(Col::Principal, first) >= app.store.get(Col::Principal, last));
    command(&mut app, "sort origin");
    assert_eq!(
        message(&app),
        "origin: the timeline sorts by an indexed column"
    );
    command(&mut app, "sort time");
    assert_eq!(message(&app), "in time order");
    command(&mut app, "set nowrap");
    assert_eq!(message(&app), "wrap off");
    assert!(!app.detail.wrap);
    command(&mut app, "set wrap");
    assert!(app.detail.wrap);
    command(&mut app, "set theme=sepia");
    assert_eq!(message(&app), "theme: dark, light or mono");
    command(&mut app, "set colour=\x1b[31mred");
    assert_eq!(
        message(&app),
        "unknown option `colour`: wrap, nowrap, theme=dark|light|mono, columns=…, sort=FIELD"
    );
}

/// The demo opened with `case` as its case file, the case restored.
fn demo_with_case(case: &std::path::Path) -> App {
    let (store, report) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), true).with_case(case.to_path_buf(), vec!["demo".into()]);
    act(&mut app, Action::loaded(store, report));
    app
}

#[test]
fn the_columns_and_the_order_are_kept_in_the_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.json");
    let mut app = demo_with_case(&case);
    command(&mut app, "columns time,name,principal=24,country");
    command(&mut app, "sort name");
    act(&mut app, Action::Quit);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&case).expect("saved")).expect("json");
    assert_eq!(
        saved["view"],
        serde_json::json!({"columns": "time,name,principal=24,country", "sort": "name"})
    );
    let app = demo_with_case(&case);
    assert_eq!(names(&app), ["time", "name", "principal", "country"]);
    assert_eq!(app.timeline.columns[2].width, Some(24));
    assert_eq!(app.timeline.sort.map(|s| s.spec()).as_deref(), Some("name"));
    let first = app.timeline.rows[0] as usize;
    assert_eq!(app.store.get(Col::Name, first), "AddPermission20150331v2");
    // A case edited by hand to name what is no column: said, and the defaults kept.
    let mut edited = saved.clone();
    edited["view"]["columns"] = serde_json::json!("name,\u{202e}evil");
    std::fs::write(&case, edited.to_string()).expect("write");
    let app = demo_with_case(&case);
    assert_eq!(names(&app), DEFAULT);
    assert!(
        message(&app).ends_with("(the case's columns: \\u{202e}evil: not a column (c lists them))"),
        "{}",
        message(&app)
    );
}
