//! Every key value readable: the timeline on the demo's SSO role sessions and IPv6
//! addresses at three terminal sizes, the screen without colour, and value suggestions.

mod common;

use common::screen::text;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use trailscope::load::{LoadOptions, Progress};
use trailscope::store::{Col, Store};
use trailscope::tui::app::{Action, App, Focus};
use trailscope::tui::line_editor::Edit;
use trailscope::tui::theme::{self, Theme};

fn demo() -> App {
    let (store, report) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), true);
    app.apply(Action::loaded(store, report));
    app
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.apply(Action::FilterChar(c));
    }
}

/// The demo filtered to the engineers' SSO sessions: role names longer than any column,
/// IPv4 offices and IPv6 homes.
fn sso_sessions() -> App {
    let mut app = demo();
    app.apply(Action::EditFilter);
    type_text(&mut app, "identity:AWSReservedSSO*");
    app.apply(Action::FilterAccept);
    app
}

/// The timeline's columns as drawn: each header and the screen columns it spans (its
/// gap included), from the header line.
fn drawn_columns(app: &App, header: &str) -> Vec<(&'static str, std::ops::Range<usize>)> {
    let chars: Vec<char> = header.chars().collect();
    let line: String = chars.iter().collect();
    let mut starts = Vec::new();
    let mut from = 0;
    for column in &app.timeline.columns {
        let name = column.field.header;
        // A header starts after two spaces (the gutter or another column's gap).
        if let Some(at) = line[from..].find(&format!(" {name}")) {
            let at = line[..from + at + 1].chars().count();
            starts.push((name, at));
            from = line
                .char_indices()
                .nth(at + name.len())
                .map_or(line.len(), |(i, _)| i);
        }
    }
    let end = chars.iter().rposition(|&c| c == '│').unwrap_or(chars.len());
    (0..starts.len())
        .map(|i| {
            let stop = starts.get(i + 1).map_or(end, |s| s.1);
            (starts[i].0, starts[i].1..stop)
        })
        .collect()
}

/// Over every row of the list: when a value is cut (ends in `…`), no column holds a
/// column of padding on every row (it is wider than its widest value and header).
fn assert_no_padding_beside_a_cut_value(app: &App, screen: &str, size: &str) {
    let g = app.screen.geometry;
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let header: String = lines[g.header.y as usize].iter().collect();
    let columns = drawn_columns(app, &header);
    let rows = &lines[g.list.y as usize..(g.list.y + g.list.height) as usize];
    let cell = |row: &Vec<char>, r: &std::ops::Range<usize>| -> String {
        row.get(r.clone())
            .map_or(String::new(), |c| c.iter().collect())
    };
    let cut = rows
        .iter()
        .flat_map(|row| columns.iter().map(|(_, r)| cell(row, r)))
        .find(|c| c.trim_end().ends_with('…'));
    let Some(cut) = cut else { return };
    for (name, range) in &columns {
        let widest = rows
            .iter()
            .map(|row| cell(row, range).trim_end().chars().count())
            .chain([name.chars().count()])
            .max()
            .unwrap_or(0);
        assert!(
            range.len() <= widest + 1,
            "{size}: {name} is {} wide for values of {widest} while {cut:?} is cut\n{screen}",
            range.len()
        );
    }
}

/// Checks what the timeline shows at `width` × `height`, and returns the screen: every
/// event name, principal and address whole where its column is shown, and no padding
/// beside a cut value.
fn timeline_at(app: &mut App, width: u16, height: u16, whole: &[&str]) -> String {
    let buffer = trailscope::tui::render(app, width, height);
    let screen = text(&buffer);
    let size = format!("{width}x{height}");
    let g = app.screen.geometry;
    let header = screen.lines().nth(g.header.y as usize).unwrap_or("");
    for name in ["TIME", "EVENT", "PRINCIPAL"] {
        assert!(header.contains(name), "{size}: {header}");
    }
    let shows_ip = header.contains(" IP ");
    for i in 0..g.list.height as usize {
        let index = app.timeline.offset + i;
        let Some(&row) = app.timeline.rows.get(index) else {
            break;
        };
        let line = screen.lines().nth(g.list.y as usize + i).unwrap_or("");
        let name = app.store.get(Col::Name, row as usize);
        assert!(line.contains(&format!(" {name} ")), "{size}: {line}");
        let principal = app.store.get(Col::Principal, row as usize);
        let (_, session) = principal.rsplit_once('/').expect("a role session");
        if whole.contains(&"session") {
            assert!(line.contains(&format!("/{session}")), "{size}: {line}");
        }
        if whole.contains(&"principal") {
            let shown = principal.replace("AWSReservedSSO_", "SSO:");
            let shown = match shown.rsplit_once('_') {
                Some((set, rest)) if rest.len() > 17 => format!("{set}/{}", &rest[17..]),
                _ => shown,
            };
            assert!(line.contains(&format!(" {shown} ")), "{size}: {line}");
        }
        let ip = app.store.get(Col::Ip, row as usize);
        if shows_ip {
            assert!(line.contains(&format!(" {ip} ")), "{size}: {line}");
        }
    }
    assert_eq!(shows_ip, whole.contains(&"ip"), "{size}: {header}");
    assert_no_padding_beside_a_cut_value(app, &screen, &size);
    // The status text is whole; the hints only take the room it leaves.
    let status = screen.lines().nth(g.status.y as usize).unwrap_or("");
    assert!(
        status.starts_with("1,710 inputs · 27,910 events"),
        "{size}: {status}"
    );
    screen
}

#[test]
fn timeline_at_80x24() {
    let screen = timeline_at(&mut sso_sessions(), 80, 24, &["session"]);
    // One pane at a time on a narrow terminal; the address gives way before the principal.
    assert!(!screen.contains("┌ event"), "{screen}");
    insta::assert_snapshot!("timeline_80x24", screen);
}

#[test]
fn timeline_at_160x45() {
    let screen = timeline_at(&mut sso_sessions(), 160, 45, &["ip"]);
    assert!(
        screen.contains("2001:db8:85a3:4d21:7a2f:e0c8:31b5:9c04 "),
        "{screen}"
    );
    insta::assert_snapshot!("timeline_160x45", screen);
}

#[test]
fn timeline_at_300x80() {
    let screen = timeline_at(
        &mut sso_sessions(),
        300,
        80,
        &["ip", "principal", "session"],
    );
    assert!(screen.contains(" REGION "), "{screen}");
    insta::assert_snapshot!("timeline_300x80", screen);
}

#[test]
fn the_detail_pane_takes_a_narrow_screen_when_focused() {
    let mut app = sso_sessions();
    app.apply(Action::ToggleFocus);
    assert_eq!(app.screen.focus, Focus::Detail);
    let screen = text(&trailscope::tui::render(&mut app, 80, 24));
    assert!(screen.contains("┌ event"), "{screen}");
    assert!(!screen.contains("┌ timeline"), "{screen}");
    // The summary wraps at a space rather than cut the identity type.
    assert!(screen.contains("(AssumedRole)"), "{screen}");
}

/// The screen without colour, each row of the timeline's list prefixed with what marks it:
/// `>` reverse video, `*` bold. No cell may carry a colour.
fn monochrome(buffer: &Buffer, list: ratatui::layout::Rect) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let cells: Vec<_> = (0..area.width).map(|x| &buffer[(x, y)]).collect();
        for cell in &cells {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "row {y}");
        }
        let in_list = y >= list.y && y < list.y + list.height;
        let row: Vec<_> = cells[list.x as usize..(list.x + list.width) as usize]
            .iter()
            .filter(|_| in_list)
            .collect();
        let reversed = row.iter().any(|c| c.modifier.contains(Modifier::REVERSED));
        let bold = row.iter().any(|c| c.modifier.contains(Modifier::BOLD));
        let mark = match (reversed, bold) {
            (true, _) => '>',
            (false, true) => '*',
            (false, false) => ' ',
        };
        let line: String = cells.iter().map(|c| c.symbol()).collect();
        out.push(mark);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn without_colour_the_selection_focus_and_errors_still_show() {
    theme::set(Theme::Mono);
    let mut app = demo();
    app.apply(Action::EditFilter);
    type_text(&mut app, "identity:ci-deploy ip:185.220.101.47");
    app.apply(Action::FilterAccept);
    app.apply(Action::Move(3));
    let buffer = trailscope::tui::render(&mut app, 120, 30);
    let screen = monochrome(&buffer, app.screen.geometry.list);
    theme::set(Theme::Dark);
    let selected: Vec<&str> = screen.lines().filter(|l| l.starts_with('>')).collect();
    assert_eq!(selected.len(), 1, "{screen}");
    assert!(
        selected[0].contains("GetAccountAuthorizationDetails "),
        "{screen}"
    );
    // The focused pane has a thick border.
    assert!(screen.contains("┏ timeline"), "{screen}");
    insta::assert_snapshot!("no_color", screen);
}

// ---------------------------------------------------------------- value suggestions

fn suggested(app: &App) -> Vec<(String, usize)> {
    app.filter.suggestions.items.clone()
}

#[test]
fn values_are_suggested_after_a_field_with_their_counts() {
    let mut app = demo();
    app.apply(Action::EditFilter);
    type_text(&mut app, "ip:");
    let ips = suggested(&app);
    assert_eq!(app.filter.suggestions.field, "ip");
    assert_eq!(ips.len(), 8);
    // The busiest first, each with its events.
    let counts: Vec<usize> = ips.iter().map(|(_, n)| *n).collect();
    let mut sorted = counts.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(counts, sorted);
    type_text(&mut app, "185");
    assert_eq!(suggested(&app), [("185.220.101.47".to_string(), 38)]);
    app.apply(Action::Complete);
    assert_eq!(app.filter.input(), "ip:185.220.101.47");

    // A principal by a piece of its session name; Tab completes the whole value.
    type_text(&mut app, " -principal:carol");
    let principals = suggested(&app);
    // The sign-in's own principal (a SAML user: the same person in every account) and
    // the role session it began, which each account has its own of.
    let names: Vec<&str> = principals.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        names[..3],
        [
            "carol@example.com",
            "AWSReservedSSO_PowerUserAccess_1f2e3d4c5b6a7980/carol@example.com · 111122223333",
            "AWSReservedSSO_PowerUserAccess_1f2e3d4c5b6a7980/carol@example.com · 444455556666"
        ]
    );
    app.apply(Action::SuggestionMove(1));
    app.apply(Action::Complete);
    assert_eq!(
        app.filter.input(),
        "ip:185.220.101.47 -(principal:AWSReservedSSO_PowerUserAccess_1f2e3d4c5b6a7980/carol@example.com account:111122223333)"
    );

    // Credentials are single words; a value with a space is quoted.
    app.apply(Action::FilterCancel);
    app.apply(Action::EditFilter);
    app.apply(Action::FilterEdit(Edit::DeleteToStart));
    type_text(&mut app, "credential:");
    let words: Vec<String> = suggested(&app).into_iter().map(|(w, _)| w).collect();
    assert_eq!(words, ["temporary", "service", "console", "long-term"]);
    app.apply(Action::FilterEdit(Edit::DeleteToStart));
    type_text(&mut app, "agent:terraform");
    app.apply(Action::Complete);
    assert_eq!(
        app.filter.input(),
        "agent:\"APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0\""
    );
    app.apply(Action::FilterAccept);
    assert!(app.filter.error.is_none());
    assert!(!app.timeline.rows.is_empty());
}

#[test]
fn suggestions_count_the_events_shown_when_editing_began() {
    let mut app = demo();
    app.apply(Action::EditFilter);
    type_text(&mut app, "principal:ci-deploy");
    app.apply(Action::FilterAccept);
    app.apply(Action::EditFilter);
    type_text(&mut app, " ip:");
    assert_eq!(
        suggested(&app),
        [
            ("54.210.33.7".to_string(), 471),
            ("3.91.22.14".to_string(), 433),
            ("185.220.101.47".to_string(), 25),
        ]
    );
    let screen = text(&trailscope::tui::render(&mut app, 160, 45));
    assert!(screen.contains(" ip · in the 929 shown · Tab "), "{screen}");
}

#[test]
fn a_terminal_below_the_usable_size_says_so() {
    let mut app = demo();
    let screen = text(&trailscope::tui::render(&mut app, 50, 12));
    assert!(
        screen.starts_with("terminal too small: 50×12, trailscope needs 60×16"),
        "{screen}"
    );
}

/// A followed trail's state keeps the right end of the status line at 80 columns, whatever
/// the message before it; the key hints give way first.
#[test]
fn the_follow_status_stays_on_a_narrow_terminal() {
    let mut app = demo();
    app.status.summary.arrived = Some(1_234);
    app.status.summary.arriving = 2;
    app.status.message = Some("4 new events · 28 rules fired: 0 critical, 48 high events".into());
    let status = |app: &mut App, width: u16| {
        let screen = text(&trailscope::tui::render(app, width, 24));
        screen.lines().last().unwrap_or("").to_string()
    };
    assert_eq!(
        status(&mut app, 80),
        "4 new events · 28 rules fired: 0 critical, … following +1,234 · 2 files arriving"
    );
    let wide = status(&mut app, 160);
    assert!(
        wide.starts_with("4 new events · 28 rules fired: 0 critical, 48 high events · 1,710 inputs · 27,910 events "),
        "{wide}"
    );
    // The key hints shrink from the last to leave the status its room; `? help` stays.
    assert!(
        wide.ends_with(" following +1,234 · 2 files arriving · / filter  p principal  ? help"),
        "{wide}"
    );
}

/// The demo's attacker from the anonymising relay: every event name, principal and address
/// whole at 160 and 300 columns (the name and session at 80), no padding beside a cut value.
#[test]
fn the_attackers_view_at_three_sizes() {
    for (width, height, whole) in [
        (80, 24, &["session", "ip"][..]),
        (160, 45, &["session", "principal", "ip"][..]),
        (300, 80, &["session", "principal", "ip"][..]),
    ] {
        let mut app = demo();
        app.apply(Action::EditFilter);
        type_text(&mut app, "origin:ci-deploy ip:185.220.101.47");
        app.apply(Action::FilterAccept);
        // Down among the roles the attacker took: the longest principals of the view.
        app.apply(Action::Move(30));
        let screen = text(&trailscope::tui::render(&mut app, width, height));
        let g = app.screen.geometry;
        let size = format!("{width}x{height}");
        let header = screen.lines().nth(g.header.y as usize).unwrap_or("");
        assert_eq!(
            header.contains(" IP "),
            whole.contains(&"ip"),
            "{size}: {header}"
        );
        for i in 0..g.list.height as usize {
            let Some(&row) = app.timeline.rows.get(app.timeline.offset + i) else {
                break;
            };
            let line = screen.lines().nth(g.list.y as usize + i).unwrap_or("");
            let name = app.store.get(Col::Name, row as usize);
            assert!(line.contains(&format!(" {name} ")), "{size}: {line}");
            let principal = app.store.get(Col::Principal, row as usize);
            let session = principal.rsplit('/').next().unwrap_or(principal);
            assert!(line.contains(&format!("{session} ")), "{size}: {line}");
            if whole.contains(&"principal") {
                assert!(line.contains(&format!(" {principal} ")), "{size}: {line}");
            }
            if whole.contains(&"ip") {
                assert!(line.contains(" 185.220.101.47 "), "{size}: {line}");
            }
        }
        assert_no_padding_beside_a_cut_value(&app, &screen, &size);
        insta::assert_snapshot!(format!("attacker_{size}"), screen);
    }
}
