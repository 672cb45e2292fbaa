//! The explorer without a terminal: Action sequences on the App, and TestBackend screens.

mod common;

use common::screen::text;
use std::path::{Path, PathBuf};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use trailscope::load::{LoadOptions, Progress};
use trailscope::store::{Col, Store};
use trailscope::tui::app::{Action, App, Focus, Overlay};
use trailscope::tui::keymap;
use trailscope::tui::line_editor::Edit;
use trailscope::tui::theme;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Applies an action and runs whatever it asked of the worker, as the event loop would.
fn settle(app: &mut App, action: Action) {
    app.apply(action);
    app.prepare(Rect::new(0, 0, 120, 32));
}

fn app_on(path: &Path) -> App {
    let (store, report) = Store::load_paths(
        &[path.to_path_buf()],
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), false);
    settle(&mut app, Action::loaded(store, report));
    app
}

fn stratus() -> App {
    app_on(&fixtures().join("real/stratus-red-team"))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        settle(app, Action::FilterChar(c));
    }
}

fn selected(app: &App, col: Col) -> String {
    let row = app.selected_row().expect("a selected event") as usize;
    app.store.get(col, row).to_string()
}

// ---------------------------------------------------------------- actions

#[test]
fn filter_as_you_type_keeps_the_last_good_result_on_error() {
    let mut app = stratus();
    let total = app.store.len();
    assert_eq!(app.timeline.rows.len(), total);
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "name:CreateAccessKey");
    assert_eq!(app.timeline.rows.len(), 2);
    type_text(&mut app, " -");
    let err = app.filter.error.clone().expect("an error");
    assert_eq!(
        (err.column, err.message.as_str()),
        (22, "expected a term after negation")
    );
    assert_eq!(app.timeline.rows.len(), 2, "the last good result stays");
    settle(&mut app, Action::FilterEdit(Edit::Backspace));
    assert!(app.filter.error.is_none());
    settle(&mut app, Action::FilterAccept);
    assert_eq!(app.screen.focus, Focus::Timeline);
    assert_eq!(app.filter.applied.trim(), "name:CreateAccessKey");
    assert_eq!(app.filter.history, ["name:CreateAccessKey"]);
}

#[test]
fn esc_restores_the_filter_from_before_editing() {
    let mut app = stratus();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "error:*");
    settle(&mut app, Action::FilterAccept);
    let errors = app.timeline.rows.len();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, " name:StopLogging");
    assert!(app.timeline.rows.len() < errors);
    settle(&mut app, Action::FilterCancel);
    assert_eq!(app.filter.applied, "error:*");
    assert_eq!(app.timeline.rows.len(), errors);
}

#[test]
fn history_recalls_earlier_filters() {
    let mut app = stratus();
    for text in ["name:StopLogging", "error:*"] {
        settle(&mut app, Action::EditFilter);
        settle(&mut app, Action::FilterEdit(Edit::End));
        while !app.filter.input().is_empty() {
            settle(&mut app, Action::FilterEdit(Edit::Backspace));
        }
        type_text(&mut app, text);
        settle(&mut app, Action::FilterAccept);
    }
    settle(&mut app, Action::EditFilter);
    settle(&mut app, Action::FilterHistory(-1));
    assert_eq!(app.filter.input(), "error:*");
    settle(&mut app, Action::FilterHistory(-1));
    assert_eq!(app.filter.input(), "name:StopLogging");
    assert_eq!(app.timeline.rows.len(), 1);
    settle(&mut app, Action::FilterHistory(1));
    assert_eq!(app.filter.input(), "error:*");
}

#[test]
fn suggestions_complete_the_word_under_the_cursor() {
    let mut app = stratus();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "crtacc");
    let first = app
        .filter
        .suggestions
        .items
        .first()
        .cloned()
        .expect("suggestions");
    assert_eq!(first, ("CreateAccessKey".to_string(), 2));
    settle(&mut app, Action::Complete);
    assert_eq!(app.filter.input(), "name:CreateAccessKey");
    assert_eq!(app.timeline.rows.len(), 2);
}

#[test]
fn p_filters_to_the_principal_and_brackets_step_through_it() {
    let mut app = stratus();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "name:CreateAccessKey");
    settle(&mut app, Action::FilterAccept);
    // The second: christophe of account 229654561268 (an IAM user of that name acts in 31
    // accounts of these runs, each its own principal).
    settle(&mut app, Action::Move(1));
    let event_id = app
        .store
        .event_id(app.selected_row().expect("row") as usize)
        .to_string();
    let principal = selected(&app, Col::Principal);
    assert_eq!(principal, "christophe");
    settle(&mut app, Action::FilterPrincipal);
    assert_eq!(
        app.filter.applied,
        "principal:christophe account:229654561268"
    );
    assert_eq!(
        app.filter.input(),
        "principal:christophe account:229654561268"
    );
    let total = app.timeline.rows.len();
    assert_eq!(total, 3);
    // The selected event stays selected.
    assert_eq!(
        app.store
            .event_id(app.selected_row().expect("row") as usize),
        event_id
    );
    let start = app.timeline.selected;
    assert_eq!(start, 1);
    settle(&mut app, Action::StepPrincipal(1));
    assert_eq!(app.timeline.selected, start + 1);
    assert_eq!(
        app.timeline.stepping.as_deref(),
        Some("principal christophe: 3 of 3")
    );
    settle(&mut app, Action::StepPrincipal(-1));
    settle(&mut app, Action::StepPrincipal(-1));
    assert_eq!(app.timeline.selected, start - 1);
}

#[test]
fn brackets_skip_other_principals_without_changing_the_filter() {
    let mut app = stratus();
    settle(&mut app, Action::Top);
    let principal = selected(&app, Col::Principal);
    // One principal is one name in one account.
    let store = std::sync::Arc::clone(&app.store);
    let principals = trailscope::store::Principals::of(&store);
    let want = principals.key(app.selected_row().expect("row") as usize);
    let expected: Vec<usize> = (0..app.timeline.rows.len())
        .filter(|&i| principals.key(app.timeline.rows[i] as usize) == want)
        .collect();
    let mut seen = vec![app.timeline.selected];
    for _ in 1..expected.len().min(5) {
        settle(&mut app, Action::StepPrincipal(1));
        seen.push(app.timeline.selected);
    }
    assert_eq!(seen, expected[..seen.len()]);
    assert_eq!(app.filter.applied, "");
    assert_eq!(selected(&app, Col::Principal), principal);
}

#[test]
fn pivots_add_the_detail_line_to_the_filter() {
    let mut app = stratus();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "name:StopLogging");
    settle(&mut app, Action::FilterAccept);
    settle(&mut app, Action::ToggleFocus);
    assert_eq!(app.screen.focus, Focus::Detail);
    let (_, lines) = app.detail.doc.clone().expect("detail");
    let ip_line = lines
        .iter()
        .position(|l| l.path == "sourceIPAddress")
        .expect("ip line");
    settle(&mut app, Action::DetailMove(ip_line as isize));
    let ip = selected(&app, Col::Ip);
    let region = selected(&app, Col::Region);
    settle(&mut app, Action::Pivot { exclude: true });
    assert_eq!(app.filter.applied, format!("name:StopLogging -ip:{ip}"));
    assert_eq!(app.timeline.rows.len(), 0);
    settle(&mut app, Action::EditFilter);
    settle(&mut app, Action::FilterEdit(Edit::DeleteWord));
    settle(&mut app, Action::FilterAccept);
    assert_eq!(app.timeline.rows.len(), 1);
    let region_line = lines
        .iter()
        .position(|l| l.path == "awsRegion")
        .expect("region line");
    let step = region_line as isize - app.detail.cursor as isize;
    settle(&mut app, Action::DetailMove(step));
    settle(&mut app, Action::Pivot { exclude: false });
    assert_eq!(
        app.filter.applied,
        format!("name:StopLogging region:{region}"),
        "{:?} cursor {}",
        app.status.message,
        app.detail.cursor
    );
    assert_eq!(app.timeline.rows.len(), 1);
}

/// Applies the action a key makes in the app's current mode.
fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    let event = Event::Key(KeyEvent::new(code, modifiers));
    if let Some(action) = keymap::action(&app.screen, &event) {
        settle(app, action);
    }
}

#[test]
fn pivots_never_repeat_a_term_and_capital_f_replaces_the_filter() {
    let mut app = stratus();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "name:StopLogging");
    settle(&mut app, Action::FilterAccept);
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    let (_, lines) = app.detail.doc.clone().expect("detail");
    let region_line = lines
        .iter()
        .position(|l| l.path == "awsRegion")
        .expect("region line");
    settle(&mut app, Action::DetailMove(region_line as isize));
    let region = selected(&app, Col::Region);
    press(&mut app, KeyCode::Char('f'), KeyModifiers::NONE);
    let once = format!("name:StopLogging region:{region}");
    assert_eq!(app.filter.applied, once);
    assert_eq!(app.detail.cursor, region_line, "the detail cursor stays");
    press(&mut app, KeyCode::Char('f'), KeyModifiers::NONE);
    assert_eq!(app.filter.applied, once, "the same term is not added twice");
    assert_eq!(
        app.status.message.as_deref(),
        Some(format!("region:{region} is in the filter already").as_str())
    );
    press(&mut app, KeyCode::Char('F'), KeyModifiers::SHIFT);
    assert_eq!(app.filter.applied, format!("region:{region}"));
}

/// Readline's keys in the filter bar and in the `:` prompt: Alt-B / Alt-F by words,
/// Ctrl-A / Ctrl-E to the ends, Ctrl-K deletes to the end, Ctrl-W the word before; an Alt
/// key nothing binds types nothing.
#[test]
fn both_line_editors_take_readlines_keys() {
    let mut app = stratus();
    let (none, alt, ctrl) = (KeyModifiers::NONE, KeyModifiers::ALT, KeyModifiers::CONTROL);
    press(&mut app, KeyCode::Char('/'), none);
    type_text(&mut app, "name:StopLogging ip:10.0.0.1");
    for _ in 0..5 {
        press(&mut app, KeyCode::Char('b'), alt);
    }
    assert_eq!(app.filter.line.cursor, 17, "at the start of `ip`");
    press(&mut app, KeyCode::Char('k'), ctrl);
    assert_eq!(app.filter.line.text, "name:StopLogging ");
    press(&mut app, KeyCode::Char('a'), ctrl);
    press(&mut app, KeyCode::Char('f'), alt);
    assert_eq!(app.filter.line.cursor, 4, "at the end of `name`");
    press(&mut app, KeyCode::Char('e'), ctrl);
    press(&mut app, KeyCode::Char('z'), alt);
    assert_eq!(
        (app.filter.line.text.as_str(), app.filter.line.cursor),
        ("name:StopLogging ", 17),
        "an unbound Alt key types nothing"
    );
    press(&mut app, KeyCode::Esc, none);

    press(&mut app, KeyCode::Char(':'), none);
    type_text_prompt(&mut app, "write out.jsonl");
    let line = |app: &App| app.prompt.as_ref().expect("the prompt").line.clone();
    press(&mut app, KeyCode::Char('b'), alt);
    assert_eq!(line(&app).cursor, 10, "at the start of `jsonl`");
    press(&mut app, KeyCode::Char('k'), ctrl);
    assert_eq!(line(&app).text, "write out.");
    press(&mut app, KeyCode::Char('w'), ctrl);
    assert_eq!(line(&app).text, "write ");
    press(&mut app, KeyCode::Char('a'), ctrl);
    assert_eq!(line(&app).cursor, 0);
    press(&mut app, KeyCode::Delete, none);
    assert_eq!(line(&app).text, "rite ");
}

/// A count before a motion: `5j` moves five events, `3]` three steps of the principal,
/// `2G` goes to the second event; the count applies to the next key only, and a leading
/// `0` is no count.
#[test]
fn a_count_before_a_motion_repeats_it() {
    let mut app = stratus();
    let none = KeyModifiers::NONE;
    let keys = |app: &mut App, text: &str| {
        for c in text.chars() {
            press(app, KeyCode::Char(c), none);
        }
    };
    assert_eq!(app.timeline.selected, 0);
    keys(&mut app, "5");
    assert_eq!(app.status.message.as_deref(), Some("5"), "the count shows");
    keys(&mut app, "j");
    assert_eq!(app.timeline.selected, 5);
    keys(&mut app, "j");
    assert_eq!(app.timeline.selected, 6, "the count was for one key");
    keys(&mut app, "12k");
    assert_eq!(app.timeline.selected, 0, "clamped at the first event");
    keys(&mut app, "0j");
    assert_eq!(app.timeline.selected, 1, "a leading 0 is no count");
    keys(&mut app, "2G");
    assert_eq!(app.timeline.selected, 1, "2G: the second event");
    keys(&mut app, "G");
    assert_eq!(app.timeline.selected, app.timeline.rows.len() - 1);
    // ] three times is 3]: the same event either way.
    keys(&mut app, "g]]]");
    let three = app.timeline.selected;
    keys(&mut app, "g3]");
    assert_eq!(app.timeline.selected, three);
    assert!(three > 0);
}

/// → with wrapping off stops at the widest line's last column, not in blank space.
#[test]
fn scrolling_sideways_stops_at_the_widest_line() {
    let mut app = stratus();
    let none = KeyModifiers::NONE;
    press(&mut app, KeyCode::Tab, none);
    press(&mut app, KeyCode::Char('w'), none);
    assert!(!app.detail.wrap);
    let (_, lines) = app.detail.doc.clone().expect("detail");
    let widest = lines.iter().map(|l| l.width()).max().expect("lines");
    for _ in 0..2000 {
        press(&mut app, KeyCode::Right, none);
    }
    assert_eq!(app.detail.hscroll, widest - 1);
    press(&mut app, KeyCode::Left, none);
    assert!(app.detail.hscroll < widest - 1);
}

/// Types `text` into the prompt, key by key.
fn type_text_prompt(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

#[test]
fn q_and_esc_close_the_help_and_ctrl_c_cancels_an_edit() {
    let mut app = stratus();
    press(&mut app, KeyCode::Char('?'), KeyModifiers::NONE);
    assert_eq!(app.screen.overlay, Overlay::Help { offset: 0 });
    press(&mut app, KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(app.screen.overlay, Overlay::None);
    assert!(!app.status.quit, "q closed the help, it did not quit");
    // On a short screen j scrolls the keys, down to the last.
    press(&mut app, KeyCode::Char('?'), KeyModifiers::NONE);
    let first = |app: &mut App| {
        let screen = text(&trailscope::tui::render(app, 100, 16));
        screen.lines().nth(1).unwrap_or_default().to_string()
    };
    assert!(
        first(&mut app).starts_with("│ /    "),
        "{}",
        first(&mut app)
    );
    for _ in 0..40 {
        press(&mut app, KeyCode::Char('j'), KeyModifiers::NONE);
    }
    let screen = text(&trailscope::tui::render(&mut app, 100, 16));
    assert!(screen.contains("│ q  Ctrl-C  "), "{screen}");
    assert!(screen.contains("keys · j/k scroll"), "{screen}");
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(app.screen.overlay, Overlay::None);
    press(&mut app, KeyCode::Char('/'), KeyModifiers::NONE);
    type_text(&mut app, "name:Create*");
    press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!app.status.quit);
    assert_eq!(app.screen.focus, Focus::Timeline);
    assert_eq!(app.filter.applied, "");
    assert_eq!(app.timeline.rows.len(), app.store.len());
    let (page, before) = (app.timeline.page, app.timeline.selected);
    press(&mut app, KeyCode::Char('f'), KeyModifiers::CONTROL);
    assert_eq!(app.timeline.selected, before + page);
    press(&mut app, KeyCode::Char('b'), KeyModifiers::CONTROL);
    assert_eq!(app.timeline.selected, before);
    press(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.status.quit, "Ctrl-C outside the filter bar quits");
}

#[test]
fn moving_and_paging_stay_in_bounds() {
    let mut app = stratus();
    let last = app.timeline.rows.len() - 1;
    settle(&mut app, Action::Move(-5));
    assert_eq!(app.timeline.selected, 0);
    settle(&mut app, Action::Page(1));
    assert_eq!(app.timeline.selected, app.timeline.page);
    settle(&mut app, Action::Bottom);
    assert_eq!(app.timeline.selected, last);
    assert!(app.timeline.offset + app.timeline.page > last && app.timeline.offset <= last);
    settle(&mut app, Action::Move(10));
    assert_eq!(app.timeline.selected, last);
    settle(&mut app, Action::Top);
    assert_eq!((app.timeline.selected, app.timeline.offset), (0, 0));
}

// ---------------------------------------------------------------- screens

fn screen(app: &mut App, width: u16, height: u16) -> Buffer {
    trailscope::tui::render(app, width, height)
}

#[test]
fn snapshot_timeline() {
    let mut app = stratus();
    insta::assert_snapshot!("timeline", text(&screen(&mut app, 120, 32)));
}

#[test]
fn snapshot_filter_with_suggestions() {
    let mut app = stratus();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "crtacc");
    insta::assert_snapshot!("filter_suggestions", text(&screen(&mut app, 120, 32)));
}

#[test]
fn snapshot_filter_with_error() {
    let mut app = stratus();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "name:Stop* (region:us-east-1");
    insta::assert_snapshot!("filter_error", text(&screen(&mut app, 120, 32)));
}

#[test]
fn snapshot_detail_pane() {
    let mut app = stratus();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "name:StopLogging");
    settle(&mut app, Action::FilterAccept);
    settle(&mut app, Action::ToggleFocus);
    settle(&mut app, Action::DetailMove(3));
    insta::assert_snapshot!("detail", text(&screen(&mut app, 120, 40)));
}

#[test]
fn snapshot_help() {
    let mut app = stratus();
    settle(&mut app, Action::ToggleHelp);
    insta::assert_snapshot!("help", text(&screen(&mut app, 100, 30)));
}

#[test]
fn snapshot_tiny_terminal() {
    let mut app = stratus();
    insta::assert_snapshot!("tiny", text(&screen(&mut app, 30, 8)));
}

#[test]
fn every_size_draws_without_panicking() {
    let mut app = stratus();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "crtacc");
    for (w, h) in [
        (1, 1),
        (2, 1),
        (1, 2),
        (3, 3),
        (10, 4),
        (20, 6),
        (40, 10),
        (80, 5),
        (5, 80),
    ] {
        screen(&mut app, w, h);
        settle(&mut app, Action::ToggleHelp);
        screen(&mut app, w, h);
        settle(&mut app, Action::ToggleHelp);
    }
}

#[test]
fn only_the_user_identity_block_is_highlighted() {
    let mut app = stratus();
    settle(&mut app, Action::EditFilter);
    type_text(&mut app, "name:StopLogging");
    settle(&mut app, Action::FilterAccept);
    let buffer = screen(&mut app, 120, 60);
    let g = app.screen.geometry;
    let (_, lines) = app.detail.doc.clone().expect("detail");
    let mut identity_lines = 0;
    let mut y = g.json.y;
    let width = app.detail.width;
    for (i, line) in lines.iter().enumerate() {
        // A wrapped line takes several rows, each marked alike.
        for _ in line.rows(width, app.detail.wrap, 0) {
            if y >= g.json.y + g.json.height {
                break;
            }
            let gutter = &buffer[(g.json.x, y)];
            let highlighted = gutter.symbol() == "▌"
                && Some(gutter.fg) == theme::identity_gutter().fg
                && Some(buffer[(g.json.x + 3, y)].bg) == theme::identity().bg;
            assert_eq!(highlighted, line.identity, "line {i}: {:?}", line.pieces);
            identity_lines += usize::from(line.identity);
            y += 1;
        }
    }
    assert!(identity_lines >= 5, "the userIdentity block is on screen");
}

#[test]
fn mouse_click_selects_a_row_and_the_wheel_scrolls() {
    let mut app = stratus();
    let list = app.screen.geometry.list;
    settle(
        &mut app,
        Action::Click {
            column: list.x + 2,
            row: list.y + 3,
        },
    );
    assert_eq!(app.timeline.selected, 3);
    settle(&mut app, Action::Click { column: 0, row: 0 });
    assert_eq!(
        app.timeline.selected, 3,
        "a click outside the list selects nothing"
    );
    settle(
        &mut app,
        Action::Wheel {
            column: list.x + 1,
            down: true,
        },
    );
    assert_eq!(app.timeline.selected, 6);
    let detail_x = app.screen.geometry.detail.x + 2;
    settle(
        &mut app,
        Action::Wheel {
            column: detail_x,
            down: true,
        },
    );
    assert_eq!((app.timeline.selected, app.detail.cursor), (6, 3));
}
