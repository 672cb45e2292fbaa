//! The built-in demo: its attack thread is reachable headless, and the README's guided tour
//! works keystroke by keystroke (keys go through the real keymap).

use std::process::Command;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use trailscope::load::{LoadOptions, Progress};
use trailscope::store::{Col, Store};
use trailscope::tui::app::{Action, App, Focus};
use trailscope::tui::keymap;

fn query(args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(args)
        .arg("--demo")
        .output()
        .expect("run trailscope");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn the_demo_loads_cleanly_with_its_banner() {
    let (out, err, code) = query(&["check"]);
    assert_eq!(code, Some(0));
    assert!(
        out.ends_with(
            "1710 inputs, 27910 events (0 duplicates collapsed, 0 differing copies kept), 0 digests, 0 problems\n"
        ),
        "{out}"
    );
    assert!(err.contains("Built-in demo investigation"), "{err}");
    let (out, _, _) = query(&["stats", "--by", "account"]);
    assert_eq!(out, "111122223333\t14235\n444455556666\t13675\n");
    let (out, _, _) = query(&["stats", "--by", "region", "-q"]);
    assert_eq!(out.lines().count(), 3);
}

#[test]
fn the_attack_thread_is_reachable_by_the_ci_user() {
    let (out, _, code) = query(&["query", "-q", "-w", "identity:ci-deploy", "-o", "csv"]);
    assert_eq!(code, Some(0));
    let rows: Vec<Vec<String>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .filter(|cells: &Vec<String>| cells[4] == "185.220.101.47")
        .collect();
    let thread: Vec<(&str, &str)> = rows
        .iter()
        .map(|c| (c[1].as_str(), c[5].as_str()))
        .collect();
    let role = "OrganizationAccountAccessRole/ci-deploy";
    let chained = "MarketingAutomation/ci-deploy";
    let expected = [
        ("GetCallerIdentity", "ci-deploy"),
        ("GetUser", "ci-deploy"),
        ("ListAttachedUserPolicies", "ci-deploy"),
        ("GetAccountAuthorizationDetails", "ci-deploy"),
        ("ListUsers", "ci-deploy"),
        ("ListRoles", "ci-deploy"),
        ("DescribeOrganization", "ci-deploy"),
        ("ListBuckets", "ci-deploy"),
        ("DescribeInstances", "ci-deploy"),
        ("DescribeInstances", "ci-deploy"),
        ("DescribeInstances", "ci-deploy"),
        ("ListSecrets", "ci-deploy"),
        ("DescribeDBInstances", "ci-deploy"),
        ("ListFunctions20150331", "ci-deploy"),
        ("ListKeys", "ci-deploy"),
        ("ListTables", "ci-deploy"),
        ("DescribeParameters", "ci-deploy"),
        ("ListAccessKeys", "ci-deploy"),
        ("CreateUser", "ci-deploy"),
        ("AttachUserPolicy", "ci-deploy"),
        ("CreateAccessKey", "ci-deploy"),
        ("CreateLoginProfile", "ci-deploy"),
        ("AssumeRole", "ci-deploy"),
        ("ListBuckets", role),
        ("GetSendQuota", role),
        ("VerifyDomainIdentity", role),
        ("VerifyEmailIdentity", role),
        ("PutIdentityPolicy", role),
        ("CreateUser", role),
        ("CreateAlias", role),
        ("GetRawMessageContent", role),
        // Role chaining into a role of the dev account's own.
        ("AssumeRole", role),
        ("CreateCampaign", chained),
        ("CreateConfigurationSet", chained),
        ("CreateNotificationConfiguration", chained),
        ("AssociateChannel", chained),
        ("PutEventSelectors", "ci-deploy"),
        ("StopLogging", "ci-deploy"),
    ];
    assert_eq!(thread, expected);
    // Each mail service of the seeds, with the service that logged it.
    let services: Vec<&str> = rows[24..36].iter().map(|c| c[2].as_str()).collect();
    assert_eq!(
        services,
        [
            "ses.amazonaws.com",
            "ses.amazonaws.com",
            "ses.amazonaws.com",
            "ses.amazonaws.com",
            "workmail.amazonaws.com",
            "workmail.amazonaws.com",
            "workmailMessageFlow.amazonaws.com",
            "sts.amazonaws.com",
            "pinpoint.amazonaws.com",
            "sms-voice.amazonaws.com",
            "notifications.amazonaws.com",
            "notifications.amazonaws.com",
        ]
    );
    // The discovery calls that were refused.
    let denied = rows.iter().filter(|c| c[8] == "AccessDenied").count();
    assert_eq!(denied, 8);
}

// ---------------------------------------------------------------- the guided tour

struct Tour {
    app: App,
}

impl Tour {
    fn new() -> Tour {
        let (store, report) = Store::load(
            &trailscope::demo::inputs(),
            &LoadOptions::default(),
            &Progress::default(),
        );
        let mut tour = Tour {
            app: App::new(String::new(), true),
        };
        tour.apply(Action::loaded(store, report));
        tour
    }

    fn apply(&mut self, action: Action) {
        self.app.apply(action);
        self.app.prepare(Rect::new(0, 0, 160, 45));
    }

    fn key(&mut self, code: KeyCode) {
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(action) = keymap::action(&self.app.screen, &event) {
            self.apply(action);
        }
    }

    fn ctrl(&mut self, c: char) {
        let event = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        if let Some(action) = keymap::action(&self.app.screen, &event) {
            self.apply(action);
        }
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn selected(&self, col: Col) -> String {
        let row = self.app.selected_row().expect("a selected event") as usize;
        self.app.store.get(col, row).to_string()
    }
}

#[test]
fn the_readme_tour_works_keystroke_by_keystroke() {
    let mut t = Tour::new();
    assert_eq!(t.app.timeline.rows.len(), 27_910);

    // 1. Search every event's JSON for the policy an attacker wants.
    t.key(KeyCode::Char('/'));
    t.keys("\"policy/AdministratorAccess\"");
    t.key(KeyCode::Enter);
    assert_eq!(t.app.timeline.rows.len(), 1);
    assert_eq!(t.selected(Col::Name), "AttachUserPolicy");
    assert_eq!(t.selected(Col::Principal), "ci-deploy");
    assert_eq!(t.selected(Col::Ip), "185.220.101.47");
    assert_eq!(t.selected(Col::AccessKey), "AKIAQWX4CEJ7DPGDVQ5Z");

    // 2. Everything the CI user did: p.
    t.key(KeyCode::Char('p'));
    assert_eq!(t.app.filter.applied, "principal:ci-deploy");
    assert_eq!(t.app.timeline.rows.len(), 929);
    assert_eq!(t.selected(Col::Name), "AttachUserPolicy");

    // 3. Step back through the user's own calls: [ ... the escalation, then discovery.
    t.key(KeyCode::Char('['));
    assert_eq!(t.selected(Col::Name), "CreateUser");
    assert_eq!(
        t.app.timeline.stepping.as_deref(),
        Some("principal ci-deploy: 498 of 929")
    );

    // 4. Everything ci-deploy did, directly and through the role sessions its key created:
    //    P. Then the summary (s), down to the attacker's address, Enter.
    t.key(KeyCode::Char('P'));
    assert_eq!(t.app.filter.applied, "origin:ci-deploy");
    assert_eq!(t.app.timeline.rows.len(), 942);
    t.key(KeyCode::Char('s'));
    let view = t.app.overview.view.clone().expect("the summary");
    let ips: Vec<(&str, usize)> = view
        .data
        .fields
        .iter()
        .find(|f| f.field == "ip")
        .expect("ip")
        .top
        .iter()
        .map(|v| (v.value.as_str(), v.count))
        .collect();
    assert_eq!(
        ips,
        [
            ("54.210.33.7", 471),
            ("3.91.22.14", 433),
            ("185.220.101.47", 38)
        ]
    );
    for _ in 0..9 {
        t.key(KeyCode::Char('j'));
    }
    t.key(KeyCode::Enter);
    assert_eq!(t.app.filter.applied, "origin:ci-deploy ip:185.220.101.47");
    assert_eq!(t.app.timeline.rows.len(), 38);
    t.key(KeyCode::Char('g'));
    assert_eq!(t.selected(Col::Name), "GetCallerIdentity");
    t.key(KeyCode::Char('G'));
    assert_eq!(t.selected(Col::Name), "StopLogging");

    // 5. Into the dev account: the role sessions; o walks the chain up, Ctrl-O back. The
    // reopened filter is selected: End keeps it.
    t.key(KeyCode::Char('/'));
    t.key(KeyCode::End);
    t.keys(" account:444455556666");
    t.key(KeyCode::Enter);
    assert_eq!(t.app.timeline.rows.len(), 13);
    t.key(KeyCode::Char('G'));
    assert_eq!(t.selected(Col::Name), "AssociateChannel");
    assert_eq!(t.selected(Col::Principal), "MarketingAutomation/ci-deploy");
    t.key(KeyCode::Char('o'));
    assert_eq!(t.selected(Col::Name), "AssumeRole");
    assert_eq!(
        t.selected(Col::Principal),
        "OrganizationAccountAccessRole/ci-deploy"
    );
    t.key(KeyCode::Char('o'));
    assert_eq!(t.app.filter.applied, "");
    assert_eq!(t.selected(Col::Name), "AssumeRole");
    assert_eq!(t.selected(Col::Principal), "ci-deploy");
    assert_eq!(t.selected(Col::RecipientAccount), "111122223333");
    t.ctrl('o');
    t.ctrl('o');
    assert_eq!(
        t.app.filter.applied,
        "origin:ci-deploy ip:185.220.101.47 account:444455556666"
    );
    assert_eq!(t.selected(Col::Name), "AssociateChannel");
    t.key(KeyCode::Char('g'));
    t.key(KeyCode::Char('j'));
    t.key(KeyCode::Char('j'));
    assert_eq!(t.selected(Col::Name), "VerifyDomainIdentity");

    // 6. Pivot on the domain it verified: Tab to the event, move to the line, f.
    t.key(KeyCode::Tab);
    assert_eq!(t.app.screen.focus, Focus::Detail);
    let (_, lines) = t.app.detail.doc.clone().expect("detail");
    let line = lines
        .iter()
        .position(|l| l.path == "requestParameters.domain")
        .expect("the domain line");
    for _ in 0..line {
        t.key(KeyCode::Char('j'));
    }
    t.key(KeyCode::Char('f'));
    assert_eq!(
        t.app.filter.applied,
        "origin:ci-deploy ip:185.220.101.47 account:444455556666 requestParameters.domain:examp1e-billing.com"
    );
    assert_eq!(t.app.timeline.rows.len(), 1);
    t.key(KeyCode::Char('q'));
    assert!(t.app.status.quit);
}

/// The explorer's eventName suggestions for `word`, typed into the filter bar.
fn suggestions(word: &str) -> Vec<String> {
    let mut t = Tour::new();
    t.key(KeyCode::Char('/'));
    t.keys(word);
    t.app
        .filter
        .suggestions
        .items
        .iter()
        .map(|(name, _)| name.clone())
        .collect()
}

#[test]
fn fuzzy_ranking_over_the_demo_event_names() {
    let crtacc = suggestions("crtacc");
    assert!(
        crtacc.contains(&"CreateAccessKey".to_string()),
        "{crtacc:?}"
    );
    assert!(crtacc.contains(&"CreateAccount".to_string()), "{crtacc:?}");
    assert!(
        !crtacc.contains(&"DescribeStackResources".to_string()),
        "{crtacc:?}"
    );
    assert_eq!(
        suggestions("cak").first().map(String::as_str),
        Some("CreateAccessKey")
    );
    let assume = suggestions("assumerole");
    assert_eq!(
        assume.first().map(String::as_str),
        Some("AssumeRole"),
        "{assume:?}"
    );
    // The filter agrees with the suggestions.
    let names = |filter: &str| {
        let (out, _, _) = query(&[
            "query",
            "-q",
            "-w",
            filter,
            "-o",
            "csv",
            "--columns",
            "name",
        ]);
        let mut names: Vec<String> = out.lines().skip(1).map(str::to_string).collect();
        names.sort();
        names.dedup();
        names
    };
    assert_eq!(names("crtacc"), ["CreateAccessKey", "CreateAccount"]);
    assert!(names("cak").contains(&"CreateAccessKey".to_string()));
}

/// Every event of the demo (27,910: more than one stretch the writer reads at once) is
/// written as its own JSON, minified, in time order, with `-o jsonl` and `-o json`.
#[test]
fn every_demo_event_is_written_as_logged_in_time_order() {
    use trailscope::output::{self, minify, Format};
    let (store, _) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    let session = trailscope::store::Session::default();
    let rows: Vec<u32> = (0..store.len() as u32).collect();
    assert_eq!(rows.len(), 27_910);
    let one_by_one: Vec<String> = rows
        .iter()
        .map(|&r| {
            minify(
                &store
                    .event_text(r as usize)
                    .expect("the demo never changes"),
            )
        })
        .collect();
    let mut jsonl = Vec::new();
    output::write(
        &mut jsonl,
        &store,
        &session,
        &rows,
        (Format::Jsonl, trailscope::output::Destination::File),
        &[],
    )
    .expect("write");
    let jsonl = String::from_utf8(jsonl).expect("utf-8");
    assert_eq!(
        jsonl,
        one_by_one
            .iter()
            .map(|e| format!("{e}\n"))
            .collect::<String>()
    );
    let mut json = Vec::new();
    output::write(
        &mut json,
        &store,
        &session,
        &rows,
        (Format::Json, trailscope::output::Destination::File),
        &[],
    )
    .expect("write");
    let json = String::from_utf8(json).expect("utf-8");
    assert_eq!(
        json,
        format!("{{\"Records\":[\n{}\n]}}\n", one_by_one.join(",\n"))
    );
}

/// The counts the README states for the caller's tool and system on the demo.
#[test]
fn the_callers_tool_and_system_on_the_demo_are_the_readmes() {
    for (filter, count) in [
        ("tool:console", "5236"),
        ("tool:terraform", "581"),
        ("os:kali", "38"),
        ("os:kali tool:cli", "38"),
        ("new:tool principal:ci-deploy", "1"),
    ] {
        let (out, err, code) = query(&["query", "-q", "-w", filter, "--count"]);
        assert_eq!(code, Some(0), "{filter}: {err}");
        assert_eq!(out.trim(), count, "{filter}");
    }
}
