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
use trailscope::tui::overview::Entry;

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
        app.status.message.as_deref(),
        Some("the issuing event: AssumeRole by OrganizationAccountAccessRole/deployer (Ctrl-O goes back)")
    );
    act(&mut app, Action::GoToIssuer);
    assert_eq!(selected(&app), "02");
    act(&mut app, Action::GoToIssuer);
    assert_eq!(selected(&app), "02");
    assert_eq!(
        app.status.message.as_deref(),
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
        app.status.message.as_deref(),
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
    assert_eq!(app.screen.overlay, Overlay::Overview);
    let screen = text(&trailscope::tui::render(&mut app, 160, 45));
    insta::assert_snapshot!("overview", screen);
    let view = app.overview.view.clone().expect("the overview");
    assert_eq!(view.data.events, 942);
    assert_eq!(view.data.errors, 44);
    let ip = view
        .entries
        .iter()
        .position(|e| *e == Entry::Value("ip", "185.220.101.47".into(), None))
        .expect("the attacker's address");
    act(&mut app, Action::OverviewMove(ip as isize));
    act(&mut app, Action::OverviewChoose { exclude: false });
    assert_eq!(app.screen.overlay, Overlay::None);
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
    // A field's values left out are said, and Enter on that line lists them all.
    act(&mut app, Action::JumpBack);
    act(&mut app, Action::ToggleOverview);
    let view = app.overview.view.clone().expect("the overview");
    let more = view
        .entries
        .iter()
        .position(|e| matches!(e, Entry::More("name", _)))
        .expect("eventNames left out");
    let Entry::More(_, left) = view.entries[more] else {
        unreachable!()
    };
    let names = view
        .data
        .fields
        .iter()
        .find(|f| f.field == "name")
        .expect("name");
    assert_eq!(left, names.distinct - 5);
    let screen = text(&trailscope::tui::render(&mut app, 160, 45));
    assert!(
        screen.contains(&format!("… {left} more values (Enter lists them)")),
        "{screen}"
    );
    act(&mut app, Action::OverviewMove(more as isize));
    act(&mut app, Action::OverviewChoose { exclude: false });
    let view = app.overview.view.clone().expect("still open");
    let names = view
        .data
        .fields
        .iter()
        .find(|f| f.field == "name")
        .expect("name");
    assert_eq!(names.top.len(), names.distinct);
    assert!(!view
        .entries
        .iter()
        .any(|e| matches!(e, Entry::More("name", _))));
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

/// The chains set beside an unrelated federated user of another account who is also
/// called `deployer`, with three calls of its own.
fn chains_with_a_namesake() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        common::fixture("chains/chains.json"),
        dir.path().join("chains.json"),
    )
    .expect("copy");
    let event = |n: usize, ip: &str| {
        format!(
            r#"{{"eventVersion":"1.08","userIdentity":{{"type":"FederatedUser","principalId":"444455556666:deployer","arn":"arn:aws:sts::444455556666:federated-user/deployer","accountId":"444455556666","accessKeyId":"ASIAEXAMPLENAMESAKE{n}","sessionContext":{{"sessionIssuer":{{"type":"IAMUser","principalId":"AIDAEXAMPLEBROKER01","arn":"arn:aws:iam::444455556666:user/broker","accountId":"444455556666","userName":"broker"}},"attributes":{{"creationDate":"2024-06-10T08:00:00Z","mfaAuthenticated":"false"}}}}}},"eventTime":"2024-06-10T09:0{n}:30Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"eu-west-1","sourceIPAddress":"{ip}","userAgent":"aws-cli/2.15.0","requestParameters":null,"responseElements":null,"eventID":"namesake-{n}","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"444455556666"}}"#
        )
    };
    let records = format!(
        r#"{{"Records":[{},{},{}]}}"#,
        event(1, "198.51.100.1"),
        event(2, "198.51.100.2"),
        event(3, "198.51.100.3")
    );
    std::fs::write(dir.path().join("namesake.json"), records).expect("write");
    let (store, report) = load(dir.path());
    (open(store, report, false), dir)
}

#[test]
fn a_namesake_in_another_account_is_not_followed() {
    let (mut app, _dir) = chains_with_a_namesake();
    assert_eq!(app.timeline.rows.len(), 18);
    // P on the role session: its origin by the root's ARN, since the name is shared.
    select(&mut app, "06");
    act(&mut app, Action::FilterOrigin);
    assert_eq!(
        app.filter.applied,
        "origin:arn:aws:iam::111122223333:user/deployer"
    );
    assert_eq!(app.timeline.rows.len(), 7);
    // The name alone would have taken the namesake's three calls too.
    filter(&mut app, "origin:deployer");
    assert_eq!(app.timeline.rows.len(), 10);
    // p narrows the shared name to the principal's account; ] and [ step through the
    // principal of that account only.
    act(&mut app, Action::JumpBack);
    filter(&mut app, "");
    select(&mut app, "01");
    act(&mut app, Action::FilterPrincipal);
    assert_eq!(
        app.filter.applied,
        "principal:deployer account:111122223333"
    );
    assert_eq!(app.timeline.rows.len(), 2);
    filter(&mut app, "");
    select(&mut app, "02");
    act(&mut app, Action::StepPrincipal(1));
    assert_eq!(
        app.timeline.stepping.as_deref(),
        Some("principal deployer: 2 of 2 (last)")
    );
    // The summary tells the two apart, and Enter on one selects it exactly.
    filter(&mut app, "");
    act(&mut app, Action::ToggleOverview);
    let view = app.overview.view.clone().expect("the summary");
    let all = trailscope::overview::overview(&app.store, &app.timeline.rows, usize::MAX);
    let labels: Vec<String> = all.fields[0].top.iter().map(|v| v.label()).collect();
    assert!(
        labels.contains(&"deployer · 111122223333".to_string()),
        "{labels:?}"
    );
    assert!(
        labels.contains(&"deployer · 444455556666".to_string()),
        "{labels:?}"
    );
    let federated = view
        .entries
        .iter()
        .position(|e| {
            *e == Entry::Value(
                "principal",
                "deployer".into(),
                Some("principal:deployer account:444455556666".into()),
            )
        })
        .expect("the federated deployer");
    act(&mut app, Action::OverviewMove(federated as isize));
    act(&mut app, Action::OverviewChoose { exclude: false });
    assert_eq!(
        app.filter.applied,
        "principal:deployer account:444455556666"
    );
    assert_eq!(app.timeline.rows.len(), 3);
    // Origins too: the IAM user's chain by its ARN.
    filter(&mut app, "");
    act(&mut app, Action::ToggleOverview);
    let view = app.overview.view.clone().expect("the summary");
    let origin = view
        .entries
        .iter()
        .position(|e| {
            *e == Entry::Value(
                "origin",
                "deployer".into(),
                Some("origin:arn:aws:iam::111122223333:user/deployer".into()),
            )
        })
        .expect("the IAM user's origin");
    act(&mut app, Action::OverviewMove(origin as isize));
    act(&mut app, Action::OverviewChoose { exclude: true });
    assert_eq!(
        app.filter.applied,
        "-(origin:arn:aws:iam::111122223333:user/deployer)"
    );
    assert_eq!(app.timeline.rows.len(), 18 - 7);
    // Suggestions after `principal:` list the name once per account, and complete to
    // the one chosen, exactly.
    filter(&mut app, "");
    act(&mut app, Action::EditFilter);
    for c in "principal:deplo".chars() {
        app.apply(Action::FilterChar(c));
    }
    let items = app.filter.suggestions.items.clone();
    assert_eq!(
        items[..2],
        [
            ("deployer · 444455556666".to_string(), 3),
            ("deployer · 111122223333".to_string(), 2)
        ]
    );
    act(&mut app, Action::Complete);
    assert_eq!(
        app.filter.input(),
        "principal:deployer account:444455556666"
    );
    act(&mut app, Action::FilterAccept);
    assert_eq!(app.timeline.rows.len(), 3);
    // A name nobody else has keeps the short filter.
    filter(&mut app, "");
    select(&mut app, "13");
    act(&mut app, Action::FilterPrincipal);
    assert_eq!(app.filter.applied, "principal:Analyst/frank@corp.example");
}

#[test]
fn the_principal_column_value_is_what_principal_matches() {
    let mut app = demo();
    // A service principal shows without `.amazonaws.com`; the short name finds it.
    filter(&mut app, "principal:cloudformation");
    assert_eq!(app.timeline.rows.len(), 2137);
    filter(&mut app, "principal:cloudformation.amazonaws.com");
    assert_eq!(app.timeline.rows.len(), 2137);
}

#[test]
fn keys_on_the_result_wait_while_a_filter_is_applied_and_old_steps_go() {
    let mut app = chains();
    select(&mut app, "07");
    act(&mut app, Action::StepPrincipal(-1));
    assert_eq!(
        app.timeline.stepping.as_deref(),
        Some("principal BackupAdmin/hop2: 1 of 2")
    );
    // A new filter, still on its worker: P on the last result is refused, and says why.
    app.update(Action::EditFilter);
    app.update(Action::FilterChar('x'));
    assert!(app.filter.filtering);
    assert!(app.update(Action::FilterOrigin).is_empty());
    assert_eq!(
        app.status.message.as_deref(),
        Some("filtering…: this acts on the result, once it shows (press it again then)")
    );
    assert_eq!(app.filter.applied, "x");
    // Once the result shows, the step count of the last one is gone.
    filter(&mut app, "principal:deployer");
    assert!(!app.filter.filtering);
    assert_eq!(app.timeline.stepping, None);
    act(&mut app, Action::FilterOrigin);
    assert_eq!(app.filter.applied, "origin:deployer");
}
