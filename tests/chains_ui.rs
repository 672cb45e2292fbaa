//! Following the identity in the explorer: `o` to the issuing event and Ctrl-O back, `P`
//! to the chain's origin with `]` / `[` along it, the chain in the detail summary, the `s`
//! overview (Enter filters, `x` excludes), and the `+` first-seen marks.

#![cfg(feature = "tui")]

mod common;

use common::app::{act, demo, filter, open};
use common::input::load;
use common::screen::text;

use trailscope::store::Col;
use trailscope::tui::app::{Action, App, Overlay};

fn chains() -> App {
    let (store, report) = load(&common::fixture("chains"));
    open(store, report, false)
}

/// The selected event's id, without the data set's `chain-e` prefix.
fn selected(app: &App) -> String {
    let row = app.selected_row().expect("a selected event") as usize;
    app.store
        .event_id(row)
        .trim_start_matches("chain-e")
        .to_string()
}

fn select(app: &mut App, event: &str) {
    let index = app
        .timeline
        .rows
        .iter()
        .position(|&r| app.store.event_id(r as usize) == format!("chain-e{event}"))
        .expect("the event is shown");
    act(
        app,
        Action::Move(index as isize - app.timeline.selected as isize),
    );
}

#[test]
fn o_walks_up_the_chain_and_ctrl_o_comes_back() {
    let mut app = chains();
    select(&mut app, "06");
    act(&mut app, Action::GoToIssuer);
    assert_eq!(selected(&app), "05");
    assert_eq!(
        app.message.as_deref(),
        Some("the issuing event: AssumeRole by OrganizationAccountAccessRole/deployer (Ctrl-O goes back)")
    );
    act(&mut app, Action::GoToIssuer);
    assert_eq!(selected(&app), "02");
    act(&mut app, Action::GoToIssuer);
    assert_eq!(selected(&app), "02");
    assert_eq!(
        app.message.as_deref(),
        Some("AKIAEXAMPLEDEPLOYER1 is a long-term key: no event issued it")
    );
    act(&mut app, Action::JumpBack);
    assert_eq!(selected(&app), "05");
    act(&mut app, Action::JumpBack);
    assert_eq!(selected(&app), "06");
    act(&mut app, Action::JumpForward);
    assert_eq!(selected(&app), "05");
    // The Identity Center sign-in leads to its GetRoleCredentials.
    select(&mut app, "11");
    act(&mut app, Action::GoToIssuer);
    assert_eq!(selected(&app), "09");
    act(&mut app, Action::GoToIssuer);
    assert_eq!(selected(&app), "08");
    select(&mut app, "15");
    act(&mut app, Action::GoToIssuer);
    assert_eq!(
        app.message.as_deref(),
        Some("ASIAEXAMPLEOUTSIDE05 was issued outside these logs")
    );
}

#[test]
fn an_issuer_outside_the_filter_clears_it_and_ctrl_o_restores_it() {
    let mut app = chains();
    filter(&mut app, "principal:BackupAdmin/hop2");
    assert_eq!(app.timeline.rows.len(), 2);
    select(&mut app, "07");
    act(&mut app, Action::GoToIssuer);
    assert_eq!(app.filter.applied, "");
    assert_eq!(app.timeline.rows.len(), 15);
    assert_eq!(selected(&app), "05");
    act(&mut app, Action::JumpBack);
    assert_eq!(app.filter.applied, "principal:BackupAdmin/hop2");
    assert_eq!(selected(&app), "07");
    // A filter change is a jump too: Ctrl-O undoes it with the event that was selected.
    filter(&mut app, "name:Delete*");
    assert_eq!(app.timeline.rows.len(), 2);
    // g on the first event already: the same place is remembered once.
    act(&mut app, Action::Top);
    assert_eq!(selected(&app), "06");
    act(&mut app, Action::JumpBack);
    assert_eq!(app.filter.applied, "principal:BackupAdmin/hop2");
    assert_eq!(selected(&app), "07");
}

#[test]
fn p_upper_filters_to_the_origin_and_brackets_follow_it() {
    let mut app = chains();
    select(&mut app, "06");
    act(&mut app, Action::FilterOrigin);
    assert_eq!(app.filter.applied, "origin:deployer");
    assert_eq!(app.timeline.rows.len(), 7);
    assert_eq!(selected(&app), "06");
    act(&mut app, Action::StepPrincipal(-1));
    assert_eq!(selected(&app), "05");
    assert_eq!(
        app.timeline.stepping.as_deref(),
        Some("origin deployer: 5 of 7")
    );
    // Without a filter, ] skips the events of other origins.
    act(&mut app, Action::JumpBack);
    assert_eq!(app.filter.applied, "");
    select(&mut app, "07");
    act(&mut app, Action::StepPrincipal(1));
    assert_eq!(
        app.timeline.stepping.as_deref(),
        Some("origin deployer: 7 of 7 (last)")
    );
    // p goes back to following the principal.
    act(&mut app, Action::FilterPrincipal);
    act(&mut app, Action::StepPrincipal(-1));
    assert_eq!(
        app.timeline.stepping.as_deref(),
        Some("principal BackupAdmin/hop2: 1 of 2")
    );
}

#[test]
fn the_detail_summary_shows_the_chain_root_first() {
    let mut app = demo();
    filter(&mut app, "principal:MarketingAutomation/ci-deploy");
    assert_eq!(app.timeline.rows.len(), 4);
    let screen = text(&trailscope::tui::render(&mut app, 160, 45));
    insta::assert_snapshot!("chain_summary", screen);
    // The detail pane's text, its wrapped lines joined.
    let pane: Vec<&str> = screen
        .lines()
        .filter_map(|l| {
            l.rsplit_once("││")
                .map(|(_, right)| right.trim_end_matches('│'))
        })
        .collect();
    let flat = pane
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("chain ci-deploy (IAMUser, AKIAQWX4CEJ7DPGDVQ5Z) → AssumeRole 14:07:23 from 185.220.101.47"), "{flat}");
}

#[test]
fn the_overview_counts_the_result_and_filters_from_it() {
    let mut app = demo();
    filter(&mut app, "origin:ci-deploy");
    assert_eq!(app.timeline.rows.len(), 942);
    act(&mut app, Action::ToggleOverview);
    assert_eq!(app.overlay, Overlay::Overview { selected: 0 });
    let screen = text(&trailscope::tui::render(&mut app, 160, 45));
    insta::assert_snapshot!("overview", screen);
    let view = app.overview.clone().expect("the overview");
    assert_eq!(view.data.events, 942);
    assert_eq!(view.data.errors, 44);
    let ip = view
        .entries
        .iter()
        .position(|(f, v)| *f == "ip" && v == "185.220.101.47")
        .expect("the attacker's address");
    act(&mut app, Action::OverviewMove(ip as isize));
    act(&mut app, Action::OverviewChoose { exclude: false });
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.filter.applied, "origin:ci-deploy ip:185.220.101.47");
    assert_eq!(app.timeline.rows.len(), 38);
    // x excludes.
    act(&mut app, Action::JumpBack);
    assert_eq!(app.filter.applied, "origin:ci-deploy");
    act(&mut app, Action::ToggleOverview);
    act(&mut app, Action::OverviewMove(ip as isize));
    act(&mut app, Action::OverviewChoose { exclude: true });
    assert_eq!(app.filter.applied, "origin:ci-deploy -ip:185.220.101.47");
    assert_eq!(app.timeline.rows.len(), 904);
}

#[test]
fn plus_marks_first_use_and_new_filters_it() {
    let mut app = chains();
    filter(&mut app, "new:ip");
    let ids: Vec<String> = app
        .timeline
        .rows
        .iter()
        .map(|&r| {
            app.store
                .event_id(r as usize)
                .trim_start_matches("chain-e")
                .to_string()
        })
        .collect();
    // Each principal's first address: every principal here uses one.
    assert_eq!(
        ids,
        ["01", "03", "04", "06", "08", "09", "10", "12", "13", "15"]
    );
    filter(&mut app, "");
    act(&mut app, Action::ToggleNewMarks);
    let screen = text(&trailscope::tui::render(&mut app, 160, 45));
    // The gutter's second column, on the timeline's rows (`HH:MM:SS`: one day).
    let marked: Vec<&str> = screen
        .lines()
        .filter(|l| l.starts_with('│') && l.chars().nth(2) == Some('+'))
        .collect();
    assert_eq!(marked.len(), 10, "{screen}");
    assert_eq!(
        app.store.get(Col::Name, app.timeline.rows[1] as usize),
        "AssumeRole"
    );
}
