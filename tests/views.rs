//! The explorer's views by hand: the timeline's columns chosen (`c`, `:columns`) and sorted,
//! the options (`:set`), the detail pane's folds, `:path` and width, finding in the lists
//! over the panes; and what of it the case keeps.

#![cfg(feature = "tui")]

mod common;

use common::app::{act, demo, demo_with_case, filter};
use common::screen::text;

use trailscope::store::Col;
use trailscope::tui::app::{Action, App, Overlay, Verb};
use trailscope::tui::detail::Fold;
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

use trailscope::tui::grid::DEFAULT;

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
        "unknown option `colour`: wrap, nowrap, theme=dark|light|mono, columns=…, sort=FIELD, mute=RULE[ for PRINCIPAL];…"
    );
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

/// The detail pane's JSON as drawn at 160×45, its rows in order.
fn detail_rows(app: &mut App) -> Vec<String> {
    let screen = text(&trailscope::tui::render(app, 160, 45));
    let g = app.screen.geometry;
    screen
        .lines()
        .skip(g.json.y as usize)
        .take(g.json.height as usize)
        .filter_map(|l| l.split("││").nth(1))
        .map(|l| l.trim_end_matches('│').trim_end().to_string())
        .collect()
}

#[test]
fn json_nodes_fold_and_unfold_and_a_path_is_found() {
    let mut app = demo();
    filter(&mut app, "principal:ci-deploy name:CreateUser");
    act(&mut app, Action::Top);
    act(&mut app, Action::ToggleFocus);
    // The cursor on `"userIdentity": {`, h folds it: one line stands for eight.
    act(&mut app, Action::Move(2));
    act(&mut app, Action::Fold(Fold::Close));
    let rows = detail_rows(&mut app);
    assert_eq!(rows[2], "▌  \"userIdentity\": { … 6 lines },");
    assert_eq!(rows[3], "   \"eventTime\": \"2024-05-02T14:05:05Z\",");
    // j steps over the folded node.
    act(&mut app, Action::Move(1));
    let line = app.detail.line().map(|l| l.path.clone());
    assert_eq!(line.as_deref(), Some("eventTime"));
    // h on a line inside a node folds the node around it: `responseElements.user.path`.
    command(&mut app, "path responseElements.user.path");
    assert_eq!(
        message(&app),
        "responseElements.user.path (Tab: the timeline)"
    );
    act(&mut app, Action::Fold(Fold::Close));
    let line = app.detail.line().map(|l| l.path.clone());
    assert_eq!(line.as_deref(), Some("responseElements.user"));
    let rows = detail_rows(&mut app);
    assert!(
        rows.contains(&"     \"user\": { … 5 lines }".to_string()),
        "{rows:#?}"
    );
    // l unfolds it; zM folds every node, zR none.
    act(&mut app, Action::Fold(Fold::Open));
    assert!(detail_rows(&mut app).contains(&"     \"user\": {".to_string()));
    act(&mut app, Action::FoldPrefix);
    act(&mut app, Action::Fold(Fold::CloseAll));
    let folded = detail_rows(&mut app);
    assert!(folded.contains(&"   \"requestParameters\": { … 1 line },".to_string()));
    assert!(
        folded.contains(&"   \"responseElements\": { … 7 lines },".to_string()),
        "{folded:#?}"
    );
    // A fold holds in the next event; :path unfolds what hides the field.
    act(&mut app, Action::Verb(Verb::SearchStep(1)));
    act(&mut app, Action::Fold(Fold::OpenAll));
    assert!(!detail_rows(&mut app).iter().any(|r| r.contains(" lines ")));
    act(&mut app, Action::Fold(Fold::CloseAll));
    command(&mut app, "path requestParameters.userName");
    let line = app.detail.line().and_then(|l| l.value.clone());
    assert_eq!(line.as_deref(), Some("svc-backup-sync"));
    command(&mut app, "path requestParameters.nothing");
    assert_eq!(message(&app), "no requestParameters.nothing in this event");
}

#[test]
fn the_detail_pane_is_as_wide_as_asked_and_kept_in_the_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.json");
    let mut app = demo_with_case(&case);
    let _ = text(&trailscope::tui::render(&mut app, 160, 45));
    // Fitted to the first event's widest line (58 columns, with the borders and gutter: 61),
    // at most three eighths of the screen.
    assert_eq!(app.screen.geometry.detail.width, 60);
    act(&mut app, Action::ResizeDetail(4));
    let _ = text(&trailscope::tui::render(&mut app, 160, 45));
    assert_eq!(app.screen.geometry.detail.width, 64);
    assert_eq!(
        message(&app),
        "detail pane 64 wide (= fits it to the events again)"
    );
    act(&mut app, Action::Quit);
    let mut app = demo_with_case(&case);
    let _ = text(&trailscope::tui::render(&mut app, 160, 45));
    assert_eq!(app.screen.geometry.detail.width, 64);
    act(&mut app, Action::ResizeDetail(0));
    let _ = text(&trailscope::tui::render(&mut app, 160, 45));
    assert_eq!(app.screen.geometry.detail.width, 60);
}

#[test]
fn every_list_finds_a_row_by_its_text_and_pages() {
    let mut app = demo();
    // The help: `/` then text, Enter goes to the first row holding it, n to the next.
    act(&mut app, Action::ToggleHelp);
    act(&mut app, Action::OverlayFind);
    for c in "previous".chars() {
        act(&mut app, Action::Verb(Verb::Prompt(PromptEdit::Char(c))));
    }
    act(&mut app, Action::Verb(Verb::PromptAccept));
    let Overlay::Help { offset } = app.screen.overlay else {
        panic!("the help closed: {:?}", app.screen.overlay);
    };
    let keys = trailscope::tui::keymap::KEYS;
    assert!(
        keys[offset].what.contains("previous"),
        "{}",
        keys[offset].what
    );
    act(&mut app, Action::OverlayFindStep(1));
    let Overlay::Help { offset: next } = app.screen.overlay else {
        panic!("closed");
    };
    let holds = |i: usize| format!("{} {}", keys[i].keys, keys[i].what).contains("previous");
    assert!(next > offset && holds(next), "{}", keys[next].what);
    act(&mut app, Action::OverlayFindStep(-1));
    assert_eq!(app.screen.overlay, Overlay::Help { offset });
    act(&mut app, Action::ToggleHelp);
    // The summary: the attacker's address among the values.
    filter(&mut app, "principal:ci-deploy");
    act(&mut app, Action::ToggleOverview);
    act(&mut app, Action::OverlayFind);
    for c in "185.220".chars() {
        act(&mut app, Action::Verb(Verb::Prompt(PromptEdit::Char(c))));
    }
    act(&mut app, Action::Verb(Verb::PromptAccept));
    act(&mut app, Action::OverviewChoose { exclude: false });
    assert_eq!(app.filter.applied, "principal:ci-deploy ip:185.220.101.47");
    // The columns list: a page down from the top moves by the list's rows on screen.
    act(&mut app, Action::ToggleColumns);
    act(&mut app, Action::OverlayPage(1));
    assert_eq!(app.timeline.columns_cursor, 40);
    act(&mut app, Action::OverlayPage(-1));
    assert_eq!(app.timeline.columns_cursor, 0);
    act(&mut app, Action::OverlayFindStep(1));
    assert_eq!(message(&app), "\"185.220\" is in no row of this list");
}

#[test]
fn capital_y_on_an_arn_quotes_the_value_so_the_field_reads_plainly() {
    let mut app = demo();
    filter(&mut app, "principal:ci-deploy name:CreateUser");
    act(&mut app, Action::Top);
    act(&mut app, Action::ToggleFocus);
    command(&mut app, "path userIdentity.arn");
    act(&mut app, Action::Verb(Verb::Copy { term: true }));
    let copied = app.status.copied.clone().unwrap_or_default();
    assert_eq!(copied, "arn:\"arn:aws:iam::111122223333:user/ci-deploy\"");
    // The term finds the events it was copied from.
    filter(&mut app, &copied);
    assert_eq!(app.timeline.rows.len(), 929);
}
