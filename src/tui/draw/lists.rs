//! The lists over the panes that `App` opens: the load's problems, the detections view,
//! the suspects view and the help.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::{centered, draw_counting, pane, theme, title_for};
use crate::text::{sanitize, thousands};
use crate::tui::app::App;
use crate::tui::keymap::KEYS;

/// The problems of the load over the panes: one line each, as on stderr after quitting.
pub(super) fn draw_problems(frame: &mut Frame, app: &App, offset: usize, screen: Rect) {
    let problems = &app.status.summary.problems;
    let mut lines: Vec<Line> = Vec::new();
    if app.store.is_empty() {
        let inputs = match app.status.summary.inputs {
            1 => "this input".to_string(),
            n => format!("these {n} inputs"),
        };
        lines.push(Line::styled(
            format!(" no CloudTrail events in {inputs}:"),
            theme::title(),
        ));
        lines.push(Line::raw(""));
    }
    for problem in problems.iter().skip(offset) {
        lines.push(Line::raw(format!(" {problem}")));
    }
    let title = match problems.len() {
        1 => " 1 problem · q closes ".to_string(),
        n => format!(" {n} problems · j/k scroll · q closes "),
    };
    let width = screen.width.saturating_sub(4).max(1);
    let wrapped: usize = lines
        .iter()
        .map(|l| {
            l.width()
                .div_ceil(width.saturating_sub(2).max(1) as usize)
                .max(1)
        })
        .sum();
    let height = (wrapped as u16 + 2)
        .min(screen.height.saturating_sub(2))
        .max(1);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    let title = title_for(&title, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(pane(&title, true)),
        area,
    );
}

/// The rules that fired, most severe first: level, events hit, first and last hit, title
/// and author (DRL 1.1 asks that every message from a rule carries its author).
pub(super) fn draw_detections(frame: &mut Frame, app: &App, selected: usize, screen: Rect) {
    use crate::tui::detections::{badge, level_name};
    let Some(hits) = app.session.hits() else {
        return;
    };
    if app.detections.counting {
        draw_counting(frame, screen, " detections ");
        return;
    }
    let view = &app.detections.view;
    let width = screen.width.saturating_sub(4).max(1);
    let height = (view.rules.len() as u16 + 3)
        .min(screen.height.saturating_sub(2))
        .max(4);
    let area = centered(screen, width, height);
    let rows = area.height.saturating_sub(3) as usize;
    let offset = selected.saturating_sub(rows.saturating_sub(1));
    let time = |row: Option<u32>| {
        row.and_then(|r| app.store.time(r as usize))
            .map(crate::event::display_time)
            .unwrap_or_default()
    };
    let inner = area.width.saturating_sub(2) as usize;
    // The first and last hit only where the titles keep room.
    let times = inner >= 120;
    let header = if times {
        format!(
            " {:<15}{:>7}  {:<19}  {:<19}  TITLE · AUTHOR",
            "LEVEL", "EVENTS", "FIRST", "LAST"
        )
    } else {
        format!(" {:<15}{:>7}  TITLE · AUTHOR", "LEVEL", "EVENTS")
    };
    let mut lines = vec![Line::styled(
        crate::text::truncate(&header, inner).into_owned(),
        theme::header(),
    )];
    if view.rules.is_empty() {
        lines.push(Line::styled(
            " no rule has a hit among these events (a: the whole load)",
            theme::muted(),
        ));
    }
    for (i, listed) in view.rules.iter().enumerate().skip(offset).take(rows) {
        let Some(rule) = hits.rules.get(listed.rule) else {
            continue;
        };
        let when = if times {
            format!("  {:<19}  {:<19}", time(listed.first), time(listed.last))
        } else {
            String::new()
        };
        // The level its hits have: ↑ raised (new), ↓ lowered (routine) from the rule's.
        let short = |l: u8| if l == 1 { "info" } else { level_name(l) };
        let level = match listed.level {
            0 => "muted".to_string(),
            l if l == rule.level => level_name(l).to_string(),
            l if l > rule.level => format!("{} ↑", short(l)),
            l => format!("{} ↓", short(l)),
        };
        let text = format!(
            " {} {:<13}{:>7}{when}  {} · {}",
            badge(listed.level),
            level,
            thousands(listed.events),
            sanitize(&rule.title),
            sanitize(&rule.author)
        );
        let text = crate::text::fit(&text, inner);
        let style = if i == selected {
            theme::selected_row(true)
        } else if listed.level == 0 {
            theme::muted()
        } else {
            theme::level(listed.level)
        };
        lines.push(Line::styled(text, style));
    }
    let title = match view.among {
        Some(n) => format!(
            " {} with hits among the {} shown · a: the whole load · Enter adds one to the filter · q closes ",
            crate::text::count(view.rules.len(), "rule"),
            thousands(n)
        ),
        None => format!(
            " {} fired in the whole load · a: the events shown · Enter filters to one · q closes ",
            crate::text::count(view.rules.len(), "rule")
        ),
    };
    frame.render_widget(Clear, area);
    let title = title_for(&title, area);
    frame.render_widget(Paragraph::new(lines).block(pane(&title, true)), area);
}

/// The origins, most suspicious first, one a line (score, origin, account, events, the
/// reasons as far as they fit); under them the selected one's reasons in full.
pub(super) fn draw_suspects(frame: &mut Frame, app: &App, screen: Rect) {
    let Some(suspects) = &app.detections.suspects else {
        draw_counting(frame, screen, " suspects ");
        return;
    };
    let selected = app.detections.suspect;
    let width = screen.width.saturating_sub(4).max(1);
    let inner = width.saturating_sub(2) as usize;
    // The selected origin's reasons, one a line, wrapped.
    let mut reasons: Vec<Line> = vec![Line::styled(" why:", theme::header())];
    if let Some(s) = suspects.get(selected) {
        for reason in &s.reasons {
            let text = [((), format!("  · {}", sanitize(reason)))];
            for row in crate::text::wrap(&text, inner.max(8), 4, ()) {
                let row: String = row.into_iter().map(|(_, t)| t).collect();
                reasons.push(Line::raw(row));
            }
        }
    }
    let height = (suspects.len() as u16 + reasons.len() as u16 + 3)
        .min(screen.height.saturating_sub(2))
        .max(6);
    let area = centered(screen, width, height);
    let list_rows = (area.height as usize)
        .saturating_sub(3 + reasons.len())
        .max(1);
    let offset = selected.saturating_sub(list_rows.saturating_sub(1));
    let origin_width = suspects
        .iter()
        .map(|s| crate::text::width(&sanitize(&s.origin)))
        .max()
        .unwrap_or(6)
        .clamp(6, 40);
    let mut lines = vec![Line::styled(
        crate::text::fit(
            &format!(
                " {:>5}  {:<origin_width$}  {:<12}  {:>7}  REASONS",
                "SCORE", "ORIGIN", "ACCOUNT", "EVENTS"
            ),
            inner,
        ),
        theme::header(),
    )];
    if suspects.is_empty() {
        lines.push(Line::styled(
            " no origin has anything against it",
            theme::muted(),
        ));
    }
    for (i, s) in suspects.iter().enumerate().skip(offset).take(list_rows) {
        let origin = crate::text::truncate(&sanitize(&s.origin), origin_width).into_owned();
        let pad = origin_width.saturating_sub(crate::text::width(&origin));
        let text = format!(
            " {:>5}  {origin}{}  {:<12}  {:>7}  {}",
            s.score,
            " ".repeat(pad),
            sanitize(&s.account),
            thousands(s.events),
            sanitize(&s.reasons.join("; "))
        );
        let style = if i == selected {
            theme::selected_row(true)
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(crate::text::fit(&text, inner), style));
    }
    lines.extend(reasons);
    let title = format!(
        " {} ranked by what was done from one address · Enter filters to one · q closes ",
        crate::text::count(suspects.len(), "origin")
    );
    frame.render_widget(Clear, area);
    let title = title_for(&title, area);
    frame.render_widget(Paragraph::new(lines).block(pane(&title, true)), area);
}

pub(super) fn draw_help(frame: &mut Frame, offset: usize, screen: Rect) {
    let key_width = KEYS
        .iter()
        .map(|k| k.keys.chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    let what_width = KEYS
        .iter()
        .map(|k| k.what.chars().count())
        .max()
        .unwrap_or(0);
    let width = (key_width as u16 + what_width as u16 + 4).min(screen.width);
    let height = (KEYS.len() as u16 + 4).min(screen.height);
    let area = centered(screen, width, height);
    // More keys than rows: j/k scroll them, and the title says so.
    let rows = height.saturating_sub(2) as usize;
    let scrolls = KEYS.len() + 2 > rows;
    let offset = if scrolls {
        offset.min(KEYS.len().saturating_sub(rows))
    } else {
        0
    };
    let mut lines: Vec<Line> = KEYS
        .iter()
        .skip(offset)
        .map(|k| {
            Line::from(vec![
                Span::styled(
                    format!(" {:<key_width$}", k.keys),
                    theme::title().patch(theme::accent()),
                ),
                Span::raw(k.what),
            ])
        })
        .collect();
    let title = if scrolls {
        " keys · j/k scroll · ? or Esc closes "
    } else {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" press ? or Esc to close", theme::muted()));
        " keys "
    };
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(pane(title, true)), area);
}
