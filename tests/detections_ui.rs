//! Detections in the explorer, on the demo with the shipped rules: badges in the timeline,
//! the rules in the detail pane, the detections view, stepping from hit to hit, and the
//! `rule:` / `level:` filters.

mod common;

use common::screen::text;
use ratatui::layout::Rect;

use trailscope::detect::RuleSet;
use trailscope::load::{LoadOptions, Progress};
use trailscope::store::{Col, Store};
use trailscope::tui::app::{Action, App, Overlay};
use trailscope::tui::line_editor::Edit;

const AREA: Rect = Rect::new(0, 0, 160, 45);

fn settle(app: &mut App, action: Action) {
    app.apply(action);
    app.prepare(AREA);
}

/// The demo, loaded, with the shipped rules run over it (as the explorer does once the
/// load is done).
fn demo() -> App {
    let (store, report) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), true).with_rules(RuleSet::shipped());
    settle(&mut app, Action::loaded(store, report));
    assert!(app.session.hits().is_some(), "the rules ran after the load");
    app
}

fn screen(app: &mut App) -> String {
    text(&trailscope::tui::render(app, AREA.width, AREA.height))
}

fn selected(app: &App, col: Col) -> String {
    let row = app.selected_row().expect("a selected event") as usize;
    app.store.get(col, row).to_string()
}

fn filter(app: &mut App, text: &str) {
    settle(app, Action::EditFilter);
    settle(app, Action::FilterEdit(Edit::DeleteToStart));
    for c in text.chars() {
        settle(app, Action::FilterChar(c));
    }
    settle(app, Action::FilterAccept);
}

#[test]
fn critical_hits_are_the_attack_and_the_keys_step_through_them() {
    let mut app = demo();
    // L lowers the level } and { stop at: high, medium, low, informational, critical.
    for _ in 0..4 {
        settle(&mut app, Action::CycleLevel);
    }
    assert_eq!(
        app.status.message.as_deref(),
        Some("} and { stop at hits of level critical or above")
    );
    let mut found = Vec::new();
    for _ in 0..12 {
        settle(&mut app, Action::StepHit(1));
        found.push(selected(&app, Col::Name));
    }
    // The attack's three persistence calls (critical rules), and its calls the key had never
    // made hitting high rules (a level higher as new); then no further one.
    assert_eq!(
        found,
        [
            "GetCallerIdentity",
            "GetUser",
            "ListAttachedUserPolicies",
            "GetAccountAuthorizationDetails",
            "ListUsers",
            "ListRoles",
            "CreateUser",
            "AttachUserPolicy",
            "CreateAccessKey",
            "PutEventSelectors",
            "StopLogging",
            "StopLogging",
        ],
        "eleven critical hits, then no further one"
    );
    assert_eq!(
        app.status.message.as_deref(),
        Some("no hit of level critical or above after this event (L lowers it)")
    );
    for _ in 0..2 {
        settle(&mut app, Action::StepHit(-1));
    }
    settle(&mut app, Action::StepHit(-1));
    assert_eq!(selected(&app, Col::Name), "AttachUserPolicy");
    // p from a hit: the principal's whole activity.
    settle(&mut app, Action::FilterPrincipal);
    assert_eq!(app.filter.applied, "principal:ci-deploy");
    assert_eq!(app.timeline.rows.len(), 929);
    assert_eq!(selected(&app, Col::Name), "AttachUserPolicy");
    // The badge and the rules of the event, with their authors.
    let shown = screen(&mut app);
    insta::assert_snapshot!("hit_detail", shown);
    assert!(
        shown.contains("│rule   critical IAM Admin Policy Attached ·")
            && shown.contains("│rule   high API Call From Hacking Distro · Zach Mathis"),
        "{shown}"
    );
    let row = shown
        .lines()
        .find(|l| l.contains("14:05:23 AttachUserPolicy "))
        .expect("the selected row");
    assert!(row.starts_with("│C 2024-05-02 14:05:23"), "{row}");
}

#[test]
fn the_detections_view_lists_the_rules_and_enter_filters_to_one() {
    let mut app = demo();
    settle(&mut app, Action::ToggleDetections);
    assert_eq!(app.screen.overlay, Overlay::Detections);
    let shown = screen(&mut app);
    insta::assert_snapshot!("detections_view", shown);
    let first = shown
        .lines()
        .find(|l| l.contains(" critical "))
        .expect("a critical rule");
    assert!(
        first.contains("IAM Persis Chain via User and Access Key Creation · nishikawaakira"),
        "{first}"
    );
    settle(&mut app, Action::DetectionsMove(1));
    settle(&mut app, Action::DetectionsChoose);
    assert_eq!(app.screen.overlay, Overlay::None);
    assert_eq!(app.filter.applied, "rule:\"IAM Admin Policy Attached\"");
    assert_eq!(app.timeline.rows.len(), 1);
    assert_eq!(selected(&app, Col::Name), "AttachUserPolicy");
}

#[test]
fn level_and_rule_filters_select_what_the_rules_hit() {
    let mut app = demo();
    let hits = app.session.hits().expect("hits");
    let high_or_more = hits.level.iter().filter(|&&l| l >= 4).count();
    let critical = hits.level.iter().filter(|&&l| l == 5).count();
    filter(&mut app, "level:>=high");
    assert_eq!(app.timeline.rows.len(), high_or_more);
    filter(&mut app, "level:critical");
    assert_eq!(app.timeline.rows.len(), critical);
    assert_eq!(critical, 11);
    filter(&mut app, "rule:*logging* principal:ci-deploy");
    let names: Vec<String> = app
        .timeline
        .rows
        .iter()
        .map(|&r| app.store.get(Col::Name, r as usize).to_string())
        .collect();
    assert_eq!(names, ["StopLogging"]);
    filter(&mut app, "detection:* ip:185.220.101.47");
    assert_eq!(
        app.timeline.rows.len(),
        38,
        "every attacker call hits a rule"
    );
}

#[test]
fn the_detections_view_counts_the_events_shown_and_a_shows_the_whole_load() {
    let mut app = demo();
    filter(&mut app, "origin:ci-deploy ip:185.220.101.47");
    assert_eq!(app.timeline.rows.len(), 38);
    settle(&mut app, Action::ToggleDetections);
    let view = app.detections.view.clone();
    assert_eq!(view.among, Some(38));
    // Each rule's count is of the 38: what `rule:` finds among them.
    let shown = screen(&mut app);
    assert!(
        shown.contains(&format!(
            " {} rules with hits among the 38 shown · a: the whole load",
            view.rules.len()
        )),
        "{shown}"
    );
    let first = view.rules[0];
    let title = app.session.hits().expect("hits").rules[first.rule]
        .title
        .clone();
    settle(&mut app, Action::DetectionsScope);
    assert_eq!(app.detections.view.among, None);
    assert_eq!(app.detections.view.rules.len(), 197);
    settle(&mut app, Action::DetectionsScope);
    assert_eq!(app.detections.view.among, Some(38));
    // Enter adds the rule to the filter: its hits among the 38.
    settle(&mut app, Action::DetectionsChoose);
    assert_eq!(
        app.filter.applied,
        format!(
            "origin:ci-deploy ip:185.220.101.47 {}",
            trailscope::query::term_text("rule", &title)
        )
    );
    assert_eq!(app.timeline.rows.len(), first.events);
}

#[test]
fn the_detail_pane_lists_every_rule_an_event_hits() {
    let mut app = demo();
    filter(&mut app, "name:CreateUser principal:ci-deploy");
    let row = app.selected_row().expect("selected") as usize;
    let hits = app.session.hits().expect("hits");
    let titles: Vec<String> = hits
        .of_row(row)
        .iter()
        .map(|&r| hits.rules[r as usize].title.clone())
        .collect();
    assert_eq!(titles.len(), 3);
    // The detail pane's text, its wrapped rows joined.
    let shown = text(&trailscope::tui::render(&mut app, 160, 45));
    let flat: String = shown
        .lines()
        .filter_map(|l| l.split("││").nth(1))
        .flat_map(|l| l.trim_end_matches('│').split_whitespace())
        .collect::<Vec<_>>()
        .join(" ");
    for title in &titles {
        assert!(flat.contains(title.as_str()), "{title}: {flat}");
    }
    // Where even the short form cannot fit, the pane says what it leaves out (at 80×24
    // the event takes the screen after Tab).
    settle(&mut app, Action::ToggleFocus);
    let small = text(&trailscope::tui::render(&mut app, 80, 24));
    assert!(small.contains("more lines (d lists the rules)"), "{small}");
}

/// The demo with the shipped rules and a case file.
fn demo_with_case(case: &std::path::Path) -> App {
    let (store, report) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), true)
        .with_case(case.to_path_buf(), vec!["demo".into()])
        .with_rules(RuleSet::shipped());
    settle(&mut app, Action::loaded(store, report));
    assert!(app.session.hits().is_some(), "the rules ran after the load");
    app
}

/// Over the whole load, `d`, the first rule `which(title, level of its hits)` picks, `x`.
fn x_in_d(app: &mut App, which: impl Fn(&str, u8) -> bool) {
    filter(app, "");
    settle(app, Action::ToggleDetections);
    let hits = app.session.hits().expect("hits");
    let at = app
        .detections
        .view
        .rules
        .iter()
        .position(|r| which(&hits.rules[r.rule].title, r.level))
        .expect("the rule in the view");
    settle(app, Action::DetectionsMove(at as isize));
    settle(app, Action::MuteRule);
}

#[test]
fn a_rule_muted_in_the_d_view_loses_its_level_is_kept_in_the_case_and_unmuted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.json");
    let mut app = demo_with_case(&case);
    filter(&mut app, "level:>=medium");
    assert_eq!(app.timeline.rows.len(), 238);
    // x on "AWS STS AssumeRole Misuse" in d: its 193 hits raised to medium lose their level.
    x_in_d(&mut app, |title, _| title == "AWS STS AssumeRole Misuse");
    assert_eq!(
        app.status.message.as_deref(),
        Some("muted “AWS STS AssumeRole Misuse” in this case: no level, no badge (1 rule muted: d lists them, x / X again unmutes)")
    );
    // The view lists it as muted, last, and the cursor stays on it.
    let last = app.detections.view.rules.last().expect("rules");
    assert_eq!(app.detections.selected, app.detections.view.rules.len() - 1);
    assert_eq!(
        (
            app.session.hits().expect("hits").rules[last.rule]
                .title
                .as_str(),
            last.level,
            last.events
        ),
        ("AWS STS AssumeRole Misuse", 0, 18_258)
    );
    settle(&mut app, Action::ToggleDetections);
    filter(&mut app, "level:>=medium");
    assert_eq!(app.timeline.rows.len(), 50);
    settle(&mut app, Action::Quit);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&case).expect("saved")).expect("json");
    assert_eq!(
        saved["view"]["mute"],
        "905d389b-b853-46d0-9d3d-dea0d3a3cd49"
    );
    // Opened again: muted as it was.
    let mut app = demo_with_case(&case);
    filter(&mut app, "level:>=medium");
    assert_eq!(app.timeline.rows.len(), 50);
    // X on one of the attacker's events mutes its rule for ci-deploy only; X again undoes.
    filter(&mut app, "name:CreateUser principal:ci-deploy");
    settle(&mut app, Action::MuteForPrincipal);
    assert!(
        app.status.message.as_deref().is_some_and(|m| m.starts_with(
            "muted “IAM Persis Chain via User and Access Key Creation” for ci-deploy"
        )),
        "{:?}",
        app.status.message
    );
    settle(&mut app, Action::MuteForPrincipal);
    assert!(app.status.message.as_deref().is_some_and(|m| m
        .starts_with("unmuted “IAM Persis Chain via User and Access Key Creation” for ci-deploy")));
    // x again in d: unmuted, and the case forgets it.
    x_in_d(&mut app, |_, level| level == 0);
    settle(&mut app, Action::ToggleDetections);
    filter(&mut app, "level:>=medium");
    assert_eq!(app.timeline.rows.len(), 238);
}
