//! Drawing: a pure function of the [`App`] state. Only the visible rows of the timeline are
//! built each frame. Every string that comes from an event is sanitized before it is drawn.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

mod detail;
mod lists;
mod overview;
mod timeline;

use super::app::{App, Focus, Overlay};
use super::keymap;
use super::layout::{Geometry, MIN_HEIGHT, MIN_WIDTH};
use super::theme;
use crate::text::sanitize;
use detail::draw_detail;
use lists::{draw_detections, draw_help, draw_problems};
use timeline::draw_timeline;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    // The geometry `App::prepare` worked out for this frame: mouse hits use the same one.
    let g = app.screen.geometry;
    if Geometry::too_small(frame.area()) {
        draw_too_small(frame, frame.area());
        return;
    }
    if app.status.demo {
        frame.render_widget(
            Paragraph::new(format!(
                " {}",
                crate::text::truncate(
                    crate::demo::BANNER,
                    (g.banner.width as usize).saturating_sub(1)
                )
            ))
            .style(theme::banner()),
            g.banner,
        );
    }
    draw_filter(frame, app, g.filter);
    draw_timeline(frame, app, &g);
    draw_detail(frame, app, &g);
    draw_status(frame, app, g.status);
    if app.screen.focus == Focus::Filter && !app.filter.suggestions.items.is_empty() {
        draw_suggestions(frame, app, g.filter, frame.area());
    }
    if let Overlay::Problems { offset } = app.screen.overlay {
        draw_problems(frame, app, offset, frame.area());
    }
    match app.screen.overlay {
        Overlay::Detections => draw_detections(frame, app, app.detections.selected, frame.area()),
        Overlay::Suspects => lists::draw_suspects(frame, app, frame.area()),
        Overlay::Overview => {
            overview::draw_overview(frame, app, app.overview.selected, frame.area())
        }
        Overlay::Marks => overview::draw_marks(frame, app, app.marks.selected, frame.area()),
        Overlay::Columns => overview::draw_columns(frame, app, frame.area()),
        _ => {}
    }
    if let Overlay::Help { offset } = app.screen.overlay {
        draw_help(frame, offset, frame.area());
    }
    // `/` in a list: its prompt over the list's foot.
    if let (Some(prompt), false) = (&app.prompt, app.screen.overlay == Overlay::None) {
        let screen = frame.area();
        let area = Rect::new(screen.x, screen.bottom().saturating_sub(3), screen.width, 3);
        frame.render_widget(Clear, area);
        draw_prompt(frame, prompt, area);
    }
}

/// What a terminal below the usable size shows instead of the explorer.
fn draw_too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "terminal too small: {}×{}, trailscope needs {MIN_WIDTH}×{MIN_HEIGHT} (q quits)",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

/// A bordered pane with its title; the border is accented while it has the focus.
pub(super) fn pane(title: &str, focused: bool) -> Block<'_> {
    Block::bordered()
        .border_type(theme::border_type(focused))
        .title(Span::styled(title, theme::title()))
        .border_style(theme::border(focused))
}

pub use crate::text::thousands;

/// An overlay's title cut to fit the top border of `area` (corners and a space kept), with
/// `…` where it is cut.
pub(super) fn title_for(title: &str, area: Rect) -> String {
    let room = (area.width as usize).saturating_sub(3);
    format!("{} ", crate::text::truncate(title.trim_end(), room))
}

/// The prompt (a note, a search, a command) in the filter bar's place while it is edited.
fn draw_prompt(frame: &mut Frame, prompt: &crate::tui::prompt::Prompt, area: Rect) {
    use crate::tui::prompt::PromptKind;
    let title = match prompt.kind {
        PromptKind::Note => " note for the selected event · Enter keeps · Esc cancels ",
        PromptKind::Search => " search the event · Enter finds · n N next / previous ",
        PromptKind::Command => {
            " goto TIME · write FILE · note TEXT · columns · sort F · set O=V · path P · q "
        }
        PromptKind::Find => " find in the list · Enter finds · n N next / previous · Esc cancels ",
    };
    let block = pane(title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut spans = vec![Span::styled(prompt.label(), theme::accent())];
    let shown = sanitize(&prompt.line.text);
    for (i, c) in shown.chars().enumerate() {
        let style = if i == prompt.line.cursor {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        spans.push(Span::styled(c.to_string(), style));
    }
    if prompt.line.cursor >= shown.chars().count() {
        spans.push(Span::styled(
            " ",
            Style::new().add_modifier(Modifier::REVERSED),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), inner);
}

fn draw_filter(frame: &mut Frame, app: &App, area: Rect) {
    if let (Focus::Prompt, Some(prompt)) = (app.screen.focus, &app.prompt) {
        return draw_prompt(frame, prompt, area);
    }
    let focused = app.screen.focus == Focus::Filter;
    let mut block = pane(" filter ", focused);
    if let Some(err) = &app.filter.error {
        block = block.title_bottom(Span::styled(
            format!(" {} ", sanitize(&err.to_string())),
            theme::error_text(),
        ));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let count = if app.status.loading {
        "loading…".to_string()
    } else if app.filter.filtering {
        format!(
            "filtering… {} of {} events",
            thousands(app.timeline.rows.len()),
            thousands(app.store.len())
        )
    } else {
        format!(
            "{} of {} events",
            thousands(app.timeline.rows.len()),
            thousands(app.store.len())
        )
    };
    let text = if focused {
        &app.filter.line.text
    } else {
        &app.filter.applied
    };
    let shown = sanitize(text);
    let error_column = app
        .filter
        .error
        .as_ref()
        .map(|e| e.column.saturating_sub(1));
    let mut spans = vec![Span::styled("> ", theme::accent())];
    for (i, c) in shown.chars().enumerate() {
        let mut style = Style::new();
        if Some(i) == error_column {
            style = style.patch(theme::error_mark());
        }
        if focused && app.filter.line.selected {
            style = style.patch(theme::selected_row(true));
        } else if focused && i == app.filter.line.cursor {
            style = style.add_modifier(Modifier::REVERSED);
        }
        spans.push(Span::styled(c.to_string(), style));
    }
    if focused && app.filter.line.selected {
        // No cursor block: the selection stands for it.
    } else if focused && app.filter.line.cursor >= shown.chars().count() {
        let style = if error_column.is_some_and(|c| c >= shown.chars().count()) {
            theme::error_mark()
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        };
        spans.push(Span::styled(" ", style));
    } else if error_column.is_some_and(|c| c >= shown.chars().count()) {
        spans.push(Span::styled(" ", theme::error_mark()));
    }
    if text.is_empty() && !focused {
        spans.push(Span::styled("press / to filter", theme::muted()));
    }
    let [left, right] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(count.chars().count() as u16 + 1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(Paragraph::new(Span::styled(count, theme::muted())), right);
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 {
        return;
    }
    let s = &app.status.summary;
    let mut left = if app.status.loading {
        "loading…".to_string()
    } else {
        let count = crate::text::count;
        let mut text = format!(
            "{} · {}",
            count(s.inputs, "input"),
            count(s.events, "event")
        );
        if s.duplicates > 0 {
            text.push_str(&format!(
                " · {} collapsed",
                count(s.duplicates, "duplicate")
            ));
        }
        if app.detections.pending {
            text.push_str(&format!(
                " · running {} rules…",
                thousands(app.detections.rules.rules.len())
            ));
        }
        match s.problems.len() {
            0 => {}
            1 => text.push_str(" · 1 problem (! lists it)"),
            n => text.push_str(&format!(" · {} problems (! lists them)", thousands(n))),
        }
        match (&s.evidence, s.digests) {
            (Some(evidence), _) => text.push_str(&format!(" · {}", sanitize(evidence))),
            (None, 0) => {}
            (None, n) => text.push_str(&format!(" · {} digests, verifying…", thousands(n))),
        }
        text
    };
    if let Some(step) = &app.timeline.stepping {
        left = format!("{} · {left}", sanitize(step));
    }
    // A message of the last key, else what is known of the result and its filter.
    let said = app
        .status
        .message
        .as_ref()
        .or(app.timeline.hint.as_ref())
        .or(app.filter.readings.as_ref());
    if let Some(message) = said {
        left = format!("{message} · {left}");
    }
    // A followed trail's state is kept on the right, where no message pushes it off.
    let live = match (s.arrived, s.arriving) {
        (None, _) => String::new(),
        (Some(arrived), 0) => format!("following +{}", thousands(arrived)),
        (Some(arrived), 1) => format!("following +{} · 1 file arriving", thousands(arrived)),
        (Some(arrived), n) => format!(
            "following +{} · {} files arriving",
            thousands(arrived),
            thousands(n)
        ),
    };
    // The status text comes first: the key hints shrink, then go, to leave it room.
    let live_width = crate::text::width(&live) + if live.is_empty() { 0 } else { 3 };
    let room = (area.width as usize).saturating_sub(crate::text::width(&left) + 2 + live_width);
    let in_detail = app.screen.focus == Focus::Detail;
    let hints = fitted_hints(in_detail, room);
    let right = Line::from(vec![
        Span::styled(live.clone(), theme::accent()),
        Span::raw(if live.is_empty() || hints.is_empty() {
            ""
        } else {
            " · "
        }),
        Span::styled(hints, theme::muted()),
    ]);
    let [l, r] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(right.width() as u16 + 1),
    ])
    .areas(area);
    let style = if s.problems.is_empty() {
        Style::new()
    } else {
        theme::warning()
    };
    // Never a silent cut: a status longer than the row ends in `…`.
    let left = crate::text::truncate(&left, l.width as usize).into_owned();
    frame.render_widget(Paragraph::new(Span::styled(left, style)), l);
    // Right-aligned: the column to spare parts it from a cut status text.
    frame.render_widget(Paragraph::new(right).right_aligned(), r);
}

/// The loading gauge drawn over the timeline while the first load runs.
pub fn draw_progress(frame: &mut Frame, app: &App, progress: &crate::load::Progress, elapsed: f64) {
    use std::sync::atomic::Ordering;
    let area = app.screen.geometry.list;
    if area.height == 0 || area.width == 0 {
        return;
    }
    let done = progress.inputs_done.load(Ordering::Relaxed);
    let total = progress.inputs_total.load(Ordering::Relaxed);
    let events = progress.events.load(Ordering::Relaxed);
    let mb = progress.bytes.load(Ordering::Relaxed) as f64 / 1e6;
    let ratio = if total == 0 {
        0.0
    } else {
        done as f64 / total as f64
    };
    let label = format!(
        "loading {}/{} files · {} events · {:.0} MB/s",
        thousands(done),
        thousands(total),
        thousands(events),
        if elapsed > 0.0 { mb / elapsed } else { 0.0 }
    );
    let gauge = ratatui::widgets::Gauge::default()
        .gauge_style(theme::accent())
        .label(label)
        .ratio(ratio.clamp(0.0, 1.0));
    let gauge_area = Rect::new(area.x, area.y, area.width, area.height.min(1));
    frame.render_widget(gauge, gauge_area);
}

fn draw_suggestions(frame: &mut Frame, app: &App, filter: Rect, screen: Rect) {
    let items = &app.filter.suggestions.items;
    let title = match &app.filter.base {
        Some(rows) => format!(
            " {} · in the {} shown · Tab ",
            app.filter.suggestions.field,
            thousands(rows.len())
        ),
        None => format!(" {} · Tab completes ", app.filter.suggestions.field),
    };
    let width = items
        .iter()
        .map(|(n, c)| crate::text::width(&sanitize(n)) + thousands(*c).len() + 4)
        .max()
        .unwrap_or(10)
        .max(title.chars().count()) as u16;
    let x = filter.x + 2;
    // A long value (a user agent) is cut to the screen rather than run off it.
    let width = width.min(screen.width.saturating_sub(x + 2));
    // Under the filter bar, clear of the error its border may show.
    let y = filter.y + filter.height;
    let area = Rect::new(x, y, width + 2, items.len() as u16 + 2).intersection(screen);
    if area.width < 3 || area.height < 3 {
        return;
    }
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .map(|(i, (name, count))| {
            let count = thousands(*count);
            let name = crate::text::truncate(
                &sanitize(name),
                (width as usize).saturating_sub(count.len() + 2),
            )
            .into_owned();
            let pad = (width as usize).saturating_sub(crate::text::width(&name) + count.len() + 1);
            let text = format!(" {name}{}{count}", " ".repeat(pad));
            let style = if i == app.filter.suggestions.selected {
                theme::selected_row(true)
            } else {
                Style::new()
            };
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(theme::border(true))
                .title(Span::styled(title, theme::muted())),
        ),
        area,
    );
}

/// A `width` × `height` area in the middle of `screen` (both no larger than it).
/// A small box over the screen saying an overlay's counts are being made (on a worker).
pub(super) fn draw_counting(frame: &mut Frame, screen: Rect, title: &str) {
    let area = centered(screen, 30, 3);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(Span::styled(" counting…", theme::muted())).block(pane(title, true)),
        area,
    );
}

/// A window of about `width` × `height` in the middle of `screen`; one that would leave a
/// strip of two columns or rows or less of the screen beneath takes the whole width or
/// height instead (a sliver of the panes beside an overlay reads as garbage).
pub(super) fn centered(screen: Rect, width: u16, height: u16) -> Rect {
    let fill = |wanted: u16, whole: u16| match whole.saturating_sub(wanted) {
        0..=4 => whole,
        _ => wanted,
    };
    let (width, height) = (fill(width, screen.width), fill(height, screen.height));
    Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    )
}

/// The key hints that fit in `room` columns: they go from the last, `? help` staying while
/// it fits.
fn fitted_hints(in_detail: bool, room: usize) -> String {
    let all = keymap::hints(in_detail);
    let mut kept: Vec<&str> = all.split("  ").collect();
    loop {
        let text = kept.join("  ");
        if text.chars().count() <= room {
            return text;
        }
        match kept.iter().rposition(|h| *h != "? help") {
            Some(at) => {
                kept.remove(at);
            }
            None if kept.is_empty() => return String::new(),
            None => kept.clear(),
        }
    }
}
