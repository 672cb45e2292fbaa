//! Events shaped as AWS documents them (`tests/fixtures/aws-docs`): what the screen, the
//! filters and the outputs say of a failed console sign-in, an Insights event, the insight
//! shape of `lookup-events`, and S3 data events.

#![cfg(feature = "tui")]

mod common;

use common::app::{act, filter, open};
use common::input::load;
use common::screen::text;

use trailscope::store::Col;
use trailscope::tui::app::{Action, App, Verb};

fn app_on(file: &str) -> App {
    let (store, report) = load(&common::fixture(&format!("aws-docs/{file}")));
    assert!(!report.has_problems(), "{file}");
    open(store, report, false)
}

fn screen(app: &mut App) -> String {
    text(&trailscope::tui::render(app, 160, 45))
}

fn selected(app: &App, col: Col) -> String {
    let row = app.selected_row().expect("selected") as usize;
    app.store.get(col, row).to_string()
}

#[test]
fn a_failed_console_sign_in_is_an_error_everywhere() {
    let mut app = app_on("console-signin.json");
    filter(&mut app, "error:*");
    assert_eq!(app.timeline.rows.len(), 2);
    filter(&mut app, "errorCode:*");
    assert_eq!(app.timeline.rows.len(), 2);
    filter(&mut app, "error:\"Failed authentication\"");
    assert_eq!(app.timeline.rows.len(), 1);
    filter(&mut app, "-error:*");
    assert_eq!(app.timeline.rows.len(), 2);
    // The screen: the ERROR column, the detail's outcome and MFA.
    filter(&mut app, "");
    act(&mut app, Action::Top);
    let shown = screen(&mut app);
    assert!(shown.contains("ConsoleLogin"), "{shown}");
    assert!(shown.contains("Failed authentication"), "{shown}");
    assert!(shown.contains("error  Failed authentication"), "{shown}");
    assert!(shown.contains("· MFA no"), "{shown}");
    assert!(!shown.contains("result success"), "{shown}");
    // e steps from error to error: the Identity Center failure is the next.
    act(&mut app, Action::Verb(Verb::StepError(1)));
    assert_eq!(selected(&app, Col::Name), "CredentialVerification");
    assert_eq!(selected(&app, Col::Error), "Failure");
    // The successful sign-in with MFA, and root's without.
    filter(&mut app, "principal:JohnDoe -error:*");
    let shown = screen(&mut app);
    assert!(shown.contains("result success"), "{shown}");
    assert!(shown.contains("· MFA yes"), "{shown}");
    // The summary counts both failures.
    let overview = trailscope::overview::overview(&app.store, &[0, 1, 2, 3], 5);
    assert_eq!(overview.errors, 2);
}

#[test]
fn an_insight_row_says_what_it_is_about() {
    let mut app = app_on("insights.json");
    act(&mut app, Action::Top);
    let shown = screen(&mut app);
    assert!(
        shown.contains("14:05:00 Insight CreateUser start ApiCallRateInsight "),
        "{shown}"
    );
    assert!(
        shown.contains("14:06:00 Insight CreateUser end ApiCallRateInsight "),
        "{shown}"
    );
    assert!(
        shown.contains("2024-05-02 14:05:00 UTC  Insight ApiCallRateInsight"),
        "{shown}"
    );
    assert!(
        shown.contains("rate   6.3 a minute against a baseline of 0.0138"),
        "{shown}"
    );
    filter(&mut app, "insight:*CreateUser*");
    assert_eq!(app.timeline.rows.len(), 2);
}

#[test]
fn lookup_events_insight_output_loads() {
    let (store, report) = load(&common::fixture("aws-docs/lookup-events-insight.json"));
    assert!(!report.has_problems());
    assert_eq!(store.len(), 2);
    assert_eq!(
        store.get(Col::Insight, 0),
        "ApiCallRateInsight CreateUser start"
    );
}

#[test]
fn an_s3_data_event_shows_its_bucket_and_object() {
    let mut app = app_on("s3-data-events.json");
    filter(&mut app, "bucket:amzn-s3-demo-bucket");
    assert_eq!(app.timeline.rows.len(), 3);
    filter(&mut app, "object:reports/*");
    assert_eq!(app.timeline.rows.len(), 2);
    filter(&mut app, "name:PutObject");
    let shown = screen(&mut app);
    assert!(
        shown.contains("object amzn-s3-demo-bucket/exports/customers.csv"),
        "{shown}"
    );
    let (out, _, code) = common::input::run(
        &[
            "query",
            common::fixture("aws-docs/s3-data-events.json")
                .to_str()
                .unwrap_or(""),
            "-q",
            "-o",
            "csv",
            "--columns",
            "name,bucket,object",
        ],
        std::path::Path::new("."),
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "eventName,bucketName,key\n\
         GetObject,amzn-s3-demo-bucket,reports/2024/q1.csv\n\
         GetObject,amzn-s3-demo-bucket,reports/2024/q2.csv\n\
         PutObject,amzn-s3-demo-bucket,exports/customers.csv\n"
    );
}

#[test]
fn a_bare_word_that_matches_nothing_says_where_it_is() {
    let mut app = app_on("console-signin.json");
    filter(&mut app, "JohnDoe");
    assert!(app.timeline.rows.is_empty());
    assert_eq!(
        app.timeline.hint.as_deref(),
        Some("`JohnDoe` is no eventName; it is in principal:JohnDoe (2), identity:JohnDoe (2)")
    );
    filter(&mut app, "zzqq");
    assert_eq!(
        app.timeline.hint.as_deref(),
        Some("`zzqq` is no eventName, nor a value of any field")
    );
    // The hint is of that result: the next one takes it away.
    filter(&mut app, "name:ConsoleLogin");
    assert_eq!(app.timeline.hint, None);
    // A pasted address says how it was read.
    filter(&mut app, "192.0.2.0");
    assert_eq!(app.timeline.rows.len(), 2);
    assert_eq!(
        app.filter.readings.as_deref(),
        Some("192.0.2.0 searched as ip:192.0.2.0")
    );
    let shown = text(&trailscope::tui::render(&mut app, 160, 45));
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("192.0.2.0 searched as ip:192.0.2.0 · ")),
        "{shown}"
    );
}

/// Every key of the help (`?`) is in the README's tables of keys: each key or command
/// the help names appears in one of their rows.
#[test]
fn the_readme_names_every_key_of_the_help() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| ")).collect();
    let mut missing = Vec::new();
    for help in trailscope::tui::keymap::KEYS {
        // The keys, without what says where they apply: `(detail)`, `(in filter)`.
        let keys = help.keys.split('(').next().unwrap_or("");
        for key in keys
            .split([' ', ','])
            .filter(|k| !k.is_empty() && *k != "/")
        {
            let named = key.len() > 1
                && !key.starts_with(':')
                && !key.starts_with(|c: char| c.is_ascii_digit());
            let found = rows.iter().any(|row| {
                let cell = row.split(" | ").next().unwrap_or("");
                if named && key != "zc" && key != "zo" && key != "zM" && key != "zR" {
                    cell.contains(key)
                } else {
                    cell.contains(&format!("`{key}`")) || cell.contains(&format!("`{key} "))
                }
            });
            if !found {
                missing.push(format!("{key} (of \"{}\")", help.keys));
            }
        }
    }
    assert!(missing.is_empty(), "not in the README's keys: {missing:?}");
}
