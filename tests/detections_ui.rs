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
