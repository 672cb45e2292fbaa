//! Drawing: a pure function of the [`App`] state. Only the visible rows of the timeline are
//! built each frame. Every string that comes from an event is sanitized before it is drawn.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::app::{App, Focus};
use super::detail::Token;
use super::theme;
use crate::event::format_time;
use crate::store::Col;
use crate::text::{sanitize, truncate};

/// Rows of the detail pane's summary, above the JSON.
const SUMMARY_ROWS: u16 = 6;
/// Rows of the histogram (bars + axis).
const HISTOGRAM_ROWS: u16 = 5;

/// Where everything is on screen for a given terminal size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Geometry {
    pub banner: Rect,
    pub filter: Rect,
    pub timeline: Rect,
    pub histogram: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub summary: Rect,
    pub json: Rect,
    pub status: Rect,
}

impl Geometry {
    pub fn of(area: Rect, app: &App) -> Geometry {
        let banner_rows = u16::from(app.demo);
        let [banner, filter, main, status] = Layout::vertical([
            Constraint::Length(banner_rows),
            Constraint::Length(3),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        let [timeline, detail] =
            Layout::horizontal([Constraint::Percentage(56), Constraint::Percentage(44)])
                .areas(main);
        let inner = Block::bordered().inner(timeline);
        let [histogram, list] =
            Layout::vertical([Constraint::Length(HISTOGRAM_ROWS), Constraint::Min(0)]).areas(inner);
        let detail_inner = Block::bordered().inner(detail);
        let [summary, json] =
            Layout::vertical([Constraint::Length(SUMMARY_ROWS), Constraint::Min(0)])
                .areas(detail_inner);
        Geometry {
            banner,
            filter,
            timeline,
            histogram,
            list,
            detail,
            summary,
            json,
            status,
        }
    }

    pub fn list_height(&self) -> usize {
        self.list.height as usize
    }

    pub fn detail_height(&self) -> usize {
        self.json.height as usize
    }

    pub fn histogram_width(&self) -> usize {
        self.histogram.width as usize
    }

    /// The index into the result of the list row at screen line `y`.
    pub fn row_at(&self, y: u16, offset: usize) -> Option<usize> {
        (y >= self.list.y && y < self.list.y + self.list.height)
            .then(|| offset + (y - self.list.y) as usize)
    }

    pub fn in_detail(&self, x: u16) -> bool {
        x >= self.detail.x && self.detail.width > 0
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    // The geometry `App::prepare` worked out for this frame: mouse hits use the same one.
    let g = app.geometry;
    if app.demo {
        frame.render_widget(
            Paragraph::new(format!(" {}", crate::demo::BANNER)).style(theme::banner()),
            g.banner,
        );
    }
    draw_filter(frame, app, g.filter);
    draw_timeline(frame, app, &g);
    draw_detail(frame, app, &g);
    draw_status(frame, app, g.status);
    if app.focus == Focus::Filter && !app.suggestions.items.is_empty() {
        draw_suggestions(frame, app, g.filter, frame.area());
    }
    if app.help {
        draw_help(frame, frame.area());
    }
}

/// A bordered pane with its title; the border is accented while it has the focus.
fn pane(title: &str, focused: bool) -> Block<'_> {
    Block::bordered()
        .title(Span::styled(title, theme::title()))
        .border_style(theme::border(focused))
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn draw_filter(frame: &mut Frame, app: &App, area: Rect) {
    let focused = app.focus == Focus::Filter;
    let mut block = pane(" filter ", focused);
    if let Some(err) = &app.error {
        block = block.title_bottom(Span::styled(
            format!(" {} ", sanitize(&err.to_string())),
            theme::error_text(),
        ));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let count = if app.loading {
        "loading…".to_string()
    } else if app.filtering {
        format!(
            "filtering… {} of {} events",
            thousands(app.rows.len()),
            thousands(app.store.len())
        )
    } else {
        format!(
            "{} of {} events",
            thousands(app.rows.len()),
            thousands(app.store.len())
        )
    };
    let text = if focused { &app.input } else { &app.filter };
    let shown = sanitize(text);
    let error_column = app.error.as_ref().map(|e| e.column.saturating_sub(1));
    let mut spans = vec![Span::styled("> ", Style::new().fg(theme::ACCENT))];
    for (i, c) in shown.chars().enumerate() {
        let mut style = Style::new();
        if Some(i) == error_column {
            style = style.bg(theme::ERROR);
        }
        if focused && i == app.cursor {
            style = style.add_modifier(Modifier::REVERSED);
        }
        spans.push(Span::styled(c.to_string(), style));
    }
    if focused && app.cursor >= shown.chars().count() {
        let style = if error_column.is_some_and(|c| c >= shown.chars().count()) {
            Style::new().bg(theme::ERROR)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        };
        spans.push(Span::styled(" ", style));
    } else if error_column.is_some_and(|c| c >= shown.chars().count()) {
        spans.push(Span::styled(" ", Style::new().bg(theme::ERROR)));
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

/// How much of the date the time column shows: the span of the result decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateShown {
    None,
    MonthDay,
    Full,
}

fn time_cell(app: &App, row: usize, date: DateShown) -> String {
    match app.store.time(row) {
        Some(t) => {
            let text = format_time(t);
            let part = |range: std::ops::Range<usize>| text.get(range).unwrap_or("");
            match date {
                DateShown::None => part(11..19).to_string(),
                DateShown::MonthDay => format!("{} {}", part(5..10), part(11..19)),
                DateShown::Full => format!("{} {}", part(0..10), part(11..19)),
            }
        }
        None => "(no eventTime)".to_string(),
    }
}

fn draw_timeline(frame: &mut Frame, app: &App, g: &Geometry) {
    let focused = app.focus == Focus::Timeline;
    let block = pane(" timeline ", focused);
    frame.render_widget(block, g.timeline);
    draw_histogram(frame, app, g.histogram);
    let area = g.list;
    if area.height == 0 || area.width == 0 {
        return;
    }
    if app.loading && app.store.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("loading…", theme::muted())),
            area,
        );
        return;
    }
    let first_timed = app.rows.iter().find_map(|&r| app.store.time(r as usize));
    let last_timed = app.rows.last().and_then(|&r| app.store.time(r as usize));
    let date = match (first_timed, last_timed) {
        (Some(a), Some(b)) => {
            let (a, b) = (format_time(a), format_time(b));
            if a.get(..4) != b.get(..4) {
                DateShown::Full
            } else if a.get(..10) != b.get(..10) {
                DateShown::MonthDay
            } else {
                DateShown::None
            }
        }
        _ => DateShown::None,
    };
    let time_width = match date {
        DateShown::None => 9,
        DateShown::MonthDay => 15,
        DateShown::Full => 20,
    };
    let width = area.width as usize;
    let end = (app.offset + area.height as usize).min(app.rows.len());
    let visible: Vec<[String; 7]> = (app.offset..end)
        .map(|index| {
            let row = app.rows[index] as usize;
            let store = &app.store;
            let source = store.get(Col::Source, row);
            let service = source.strip_suffix(".amazonaws.com").unwrap_or(source);
            [
                time_cell(app, row, date),
                store.get(Col::Name, row).to_string(),
                service.to_string(),
                store.get(Col::Principal, row).to_string(),
                store.get(Col::Ip, row).to_string(),
                store.get(Col::Region, row).to_string(),
                store.get(Col::ErrorCode, row).to_string(),
            ]
            .map(|cell| sanitize(&cell).into_owned())
        })
        .collect();
    let widths = column_widths(&visible, time_width, width);
    let mut lines = Vec::with_capacity(area.height as usize);
    for (offset, cells) in visible.iter().enumerate() {
        let index = app.offset + offset;
        let row = app.rows[index] as usize;
        let mut text = String::with_capacity(width);
        for (cell, &w) in cells.iter().zip(&widths) {
            if w == 0 {
                continue;
            }
            let cut = truncate(cell, w.saturating_sub(1));
            text.push_str(&format!("{:<w$}", cut, w = w));
        }
        let text = truncate(&text, width).into_owned();
        let mut style = Style::new();
        if app.store.ids(Col::ErrorCode)[row] != 0 {
            style = style.fg(theme::ERROR);
        }
        if index == app.selected {
            style = style.patch(theme::selected_row(focused));
        }
        lines.push(Line::styled(text, style));
    }
    if lines.is_empty() {
        lines.push(Line::styled("no events match", theme::muted()));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Widths of the timeline's columns (time, name, service, principal, ip, region, error):
/// each as wide as its widest visible value, within a cap. When the pane is too narrow the
/// region goes first (the detail pane shows it), then principal, name and service give way
/// down to a floor. Errors stay visible.
fn column_widths(rows: &[[String; 7]], time_width: usize, width: usize) -> [usize; 7] {
    const CAPS: [usize; 7] = [20, 32, 16, 40, 16, 15, 26];
    let mut widths = [0usize; 7];
    widths[0] = time_width;
    for cells in rows {
        for i in 1..7 {
            widths[i] = widths[i].max((cells[i].chars().count() + 1).min(CAPS[i]));
        }
    }
    let steps: [(usize, usize); 7] = [(5, 0), (3, 20), (1, 24), (2, 10), (3, 12), (1, 16), (4, 8)];
    for (column, floor) in steps {
        let excess = widths.iter().sum::<usize>().saturating_sub(width);
        if excess == 0 {
            break;
        }
        let floor = floor.min(widths[column]);
        widths[column] -= excess.min(widths[column] - floor);
    }
    widths
}

const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn draw_histogram(frame: &mut Frame, app: &App, area: Rect) {
    if area.height < 2 || area.width == 0 {
        return;
    }
    let Some((_, hist)) = &app.histogram else {
        return;
    };
    if hist.all.is_empty() {
        return;
    }
    // Rows: bars of all matching events, one strip of errors (scaled to their own maximum,
    // so a handful of failures still shows), and the time axis.
    let error_row = area.height >= 3;
    let bar_rows = area.height - 1 - u16::from(error_row);
    let levels = bar_rows as u64 * 8;
    let max = u64::from(hist.all.iter().copied().max().unwrap_or(1).max(1));
    let max_errors = u64::from(hist.errors.iter().copied().max().unwrap_or(0).max(1));
    let selected_bucket = app
        .selected_row()
        .and_then(|r| app.store.time(r as usize))
        .and_then(|t| hist.bucket_of(t));
    let buf = frame.buffer_mut();
    for (x, (&all, &errors)) in hist.all.iter().zip(&hist.errors).enumerate() {
        if x >= area.width as usize {
            break;
        }
        let column = area.x + x as u16;
        // A bucket with any event shows at least one eighth.
        let level = if all == 0 {
            0
        } else {
            (u64::from(all) * levels).div_ceil(max)
        };
        let style = if Some(x) == selected_bucket {
            theme::histogram_selected()
        } else {
            theme::histogram()
        };
        for r in 0..bar_rows {
            let base = u64::from(bar_rows - 1 - r) * 8;
            let fill = level.saturating_sub(base).min(8) as usize;
            if fill == 0 {
                continue;
            }
            if let Some(cell) = buf.cell_mut((column, area.y + r)) {
                cell.set_char(EIGHTHS[fill]).set_style(style);
            }
        }
        if error_row && errors > 0 {
            let fill = (u64::from(errors) * 8).div_ceil(max_errors).clamp(1, 8) as usize;
            if let Some(cell) = buf.cell_mut((column, area.y + bar_rows)) {
                cell.set_char(EIGHTHS[fill]).set_style(theme::error_text());
            }
        }
    }
    let axis_row = bar_rows + u16::from(error_row);
    // Axis: first and last time, and a mark under the selected event's bucket.
    let axis_y = area.y + axis_row;
    let end = hist.start + hist.bucket_ms * hist.all.len() as i64;
    let left = format_time(hist.start).replace('T', " ");
    let right = format_time(end).replace('T', " ");
    let width = area.width as usize;
    let mut axis: Vec<char> = vec![' '; width];
    for (i, c) in left.chars().enumerate().take(width) {
        axis[i] = c;
    }
    let right_start = width.saturating_sub(right.chars().count());
    if right_start > left.chars().count() + 1 {
        for (i, c) in right.chars().enumerate() {
            axis[right_start + i] = c;
        }
    }
    let axis_text: String = axis.into_iter().collect();
    let axis_area = Rect::new(area.x, axis_y, area.width, 1);
    frame.render_widget(
        Paragraph::new(Span::styled(axis_text, theme::muted())),
        axis_area,
    );
    let left_len = left.chars().count();
    let covers_label = |x: usize| x < left_len || (right_start > left_len + 1 && x >= right_start);
    if let Some(x) = selected_bucket.filter(|&x| x < width && !covers_label(x)) {
        if let Some(cell) = frame.buffer_mut().cell_mut((area.x + x as u16, axis_y)) {
            cell.set_char('▲').set_style(theme::histogram_selected());
        }
    }
}

fn draw_detail(frame: &mut Frame, app: &App, g: &Geometry) {
    let focused = app.focus == Focus::Detail;
    let block = pane(" event ", focused);
    frame.render_widget(block, g.detail);
    let Some(row) = app.selected_row().map(|r| r as usize) else {
        return;
    };
    let Some((detail_row, lines)) = &app.detail else {
        return;
    };
    if *detail_row as usize != row {
        return;
    }
    frame.render_widget(Paragraph::new(summary(app, row, lines)), g.summary);
    let area = g.json;
    if area.height == 0 || area.width < 2 {
        return;
    }
    let end = (app.detail_offset + area.height as usize).min(lines.len());
    let mut out = Vec::with_capacity(area.height as usize);
    for (i, line) in lines.iter().enumerate().take(end).skip(app.detail_offset) {
        let mut spans = Vec::with_capacity(line.pieces.len() + 2);
        let base = if line.identity {
            Style::new().bg(theme::IDENTITY_BG)
        } else {
            Style::new()
        };
        spans.push(if line.identity {
            Span::styled(
                "▌",
                Style::new()
                    .fg(theme::IDENTITY_GUTTER)
                    .bg(theme::IDENTITY_BG),
            )
        } else {
            Span::raw(" ")
        });
        spans.push(Span::styled("  ".repeat(line.depth), base));
        for (token, text) in &line.pieces {
            let style = match token {
                Token::Punct => Style::new(),
                Token::Key => theme::key(),
                Token::Str => theme::string(),
                Token::Number => theme::number(),
                Token::Literal => theme::literal(),
            };
            spans.push(Span::styled(text.clone(), base.patch(style)));
        }
        let mut rendered = Line::from(spans).style(base);
        if focused && i == app.detail_cursor {
            rendered = rendered.style(base.add_modifier(Modifier::REVERSED));
        }
        out.push(rendered);
    }
    frame.render_widget(Paragraph::new(out), area);
}

fn summary<'a>(app: &App, row: usize, lines: &[super::detail::Line]) -> Vec<Line<'a>> {
    let store = &app.store;
    let get = |col| sanitize(store.get(col, row)).into_owned();
    let label = |text: &str| Span::styled(format!("{text:<6} "), theme::muted());
    let time = store.time(row).map_or_else(
        || "no eventTime".to_string(),
        |t| format_time(t).replace('T', " ").replace('Z', " UTC"),
    );
    let mfa = lines
        .iter()
        .find(|l| l.path == "userIdentity.sessionContext.attributes.mfaAuthenticated")
        .and_then(|l| l.value.as_deref())
        .map_or("MFA -", |v| if v == "true" { "MFA yes" } else { "MFA no" });
    let principal = match get(Col::Principal) {
        p if p.is_empty() => "(no principal)".to_string(),
        p => p,
    };
    let kind = get(Col::IdentityType);
    let key = get(Col::AccessKey);
    let credential = store.credential(row).label();
    let mut who = principal;
    if !kind.is_empty() {
        who.push_str(&format!(" ({kind})"));
    }
    let mut cred = credential.to_string();
    if !key.is_empty() {
        cred.push_str(&format!(" {key}"));
    }
    let error = get(Col::ErrorCode);
    let outcome = if error.is_empty() {
        Line::from(vec![
            label("result"),
            Span::styled(
                "success",
                ratatui::style::Style::new().fg(ratatui::style::Color::Green),
            ),
        ])
    } else {
        Line::from(vec![
            label("error"),
            Span::styled(
                format!("{error}: {}", get(Col::ErrorMessage)),
                theme::error_text(),
            ),
        ])
    };
    vec![
        Line::from(vec![
            Span::styled(time, theme::title()),
            Span::raw("  "),
            Span::styled(get(Col::Name), theme::title().fg(theme::ACCENT)),
            Span::styled(format!(" · {}", get(Col::Source)), theme::muted()),
        ]),
        Line::from(vec![
            label("where"),
            Span::raw(format!("{} · account {}", get(Col::Region), {
                let recipient = get(Col::RecipientAccount);
                if recipient.is_empty() {
                    get(Col::IdentityAccount)
                } else {
                    recipient
                }
            })),
        ]),
        Line::from(vec![
            label("who"),
            Span::styled(
                who,
                Style::new()
                    .fg(theme::IDENTITY_GUTTER)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!(" · {cred} · {mfa}")),
        ]),
        Line::from(vec![
            label("from"),
            Span::raw(format!("{} · {}", get(Col::Ip), get(Col::Agent))),
        ]),
        outcome,
        Line::styled("─".repeat(200), theme::muted()),
    ]
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    if area.height == 0 {
        return;
    }
    let s = &app.summary;
    let mut left = if app.loading {
        "loading…".to_string()
    } else {
        let mut text = format!(
            "{} inputs · {} events",
            thousands(s.inputs),
            thousands(s.events)
        );
        if s.duplicates > 0 {
            text.push_str(&format!(
                " · {} duplicates collapsed",
                thousands(s.duplicates)
            ));
        }
        if s.digests > 0 {
            text.push_str(&format!(" · {} digests", thousands(s.digests)));
        }
        if !s.problems.is_empty() {
            text.push_str(&format!(
                " · {} skipped (trailscope check)",
                s.problems.len()
            ));
        }
        text
    };
    if let Some(step) = &app.stepping {
        left = format!("{} · {left}", sanitize(step));
    }
    if let Some(message) = &app.message {
        left = format!("{message} · {left}");
    }
    let hints = "/ filter  p principal  ]/[ step  Tab focus  ? help  q quit";
    let [l, r] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(hints.chars().count() as u16 + 1),
    ])
    .areas(area);
    let style = if s.problems.is_empty() {
        Style::new()
    } else {
        Style::new().fg(ratatui::style::Color::Yellow)
    };
    frame.render_widget(Paragraph::new(Span::styled(left, style)), l);
    frame.render_widget(Paragraph::new(Span::styled(hints, theme::muted())), r);
}

/// The loading gauge drawn over the timeline while the first load runs.
pub fn draw_progress(frame: &mut Frame, app: &App, progress: &crate::load::Progress, elapsed: f64) {
    use std::sync::atomic::Ordering;
    let area = app.geometry.list;
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
        .gauge_style(Style::new().fg(theme::ACCENT))
        .label(label)
        .ratio(ratio.clamp(0.0, 1.0));
    let gauge_area = Rect::new(area.x, area.y, area.width, area.height.min(1));
    frame.render_widget(gauge, gauge_area);
}

fn draw_suggestions(frame: &mut Frame, app: &App, filter: Rect, screen: Rect) {
    let items = &app.suggestions.items;
    let width = items
        .iter()
        .map(|(n, c)| n.chars().count() + thousands(*c).len() + 4)
        .max()
        .unwrap_or(10)
        .max(24) as u16;
    let x = filter.x + 2;
    let y = filter.y + filter.height.saturating_sub(1);
    let area = Rect::new(x, y, width + 2, items.len() as u16 + 2).intersection(screen);
    if area.width < 3 || area.height < 3 {
        return;
    }
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .map(|(i, (name, count))| {
            let count = thousands(*count);
            let pad = (width as usize).saturating_sub(name.chars().count() + count.len() + 1);
            let text = format!(" {}{}{count}", sanitize(name), " ".repeat(pad));
            let style = if i == app.suggestions.selected {
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
                .title(Span::styled(" eventName · Tab completes ", theme::muted())),
        ),
        area,
    );
}

/// Every key, as the help overlay lists them.
pub const KEYS: &[(&str, &str)] = &[
    ("/", "edit the filter (live as you type)"),
    ("Enter / Esc", "keep / cancel the edited filter"),
    (
        "Tab (in filter)",
        "complete the selected eventName suggestion",
    ),
    ("↑ ↓ (in filter)", "earlier / later filters"),
    ("Ctrl-N Ctrl-P (in filter)", "next / previous suggestion"),
    (
        "j k  ↓ ↑",
        "next / previous event (lines in the detail pane)",
    ),
    ("PgDn PgUp  Ctrl-D Ctrl-U", "page down / up"),
    ("g G  Home End", "first / last event"),
    ("Tab", "switch focus between timeline and detail"),
    ("p", "filter to the selected event's principal"),
    ("] [", "next / previous event of the same principal"),
    (
        "f x (detail)",
        "add field:value / -field:value of the line to the filter",
    ),
    ("mouse", "click selects a row, the wheel scrolls"),
    ("?", "show / hide this help"),
    ("q  Ctrl-C", "quit"),
];

fn draw_help(frame: &mut Frame, screen: Rect) {
    let width = 84.min(screen.width);
    let height = (KEYS.len() as u16 + 4).min(screen.height);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    );
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!(" {key:<25}"), theme::title().fg(theme::ACCENT)),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(" press ? or Esc to close", theme::muted()));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(pane(" keys ", true)), area);
}
