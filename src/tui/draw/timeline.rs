//! Drawing the timeline pane: the histogram and the visible rows of the result.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{pane, theme};
use crate::event::display_time;
use crate::schema::{FieldDef, Storage};
use crate::stats::{display_value, Histogram};
use crate::store::Col;
use crate::text::{self, sanitize, truncate, truncate_middle, width as width_of};
use crate::tui::app::{App, Focus};
use crate::tui::detections;
use crate::tui::grid::{self, Need};
use crate::tui::layout::Geometry;

/// How much of the time the time column shows: the date left out when the whole result is
/// one day, the year when it is one year (UTC).
#[derive(Clone, Copy, PartialEq, Eq)]
enum TimeSpan {
    Day,
    Year,
    Years,
}

impl TimeSpan {
    /// The span of the times of `rows` (in time order).
    fn of(app: &App) -> TimeSpan {
        let rows = &app.timeline.rows;
        let first = rows.iter().find_map(|&r| app.store.time(r as usize));
        let last = rows.iter().rev().find_map(|&r| app.store.time(r as usize));
        let (Some(a), Some(b)) = (first, last) else {
            return TimeSpan::Day;
        };
        let (a, b) = (display_time(a), display_time(b));
        if a.get(..10) == b.get(..10) {
            TimeSpan::Day
        } else if a.get(..4) == b.get(..4) {
            TimeSpan::Year
        } else {
            TimeSpan::Years
        }
    }

    /// `2024-05-01 14:02:11` as this span shows it (the year goes only for want of room).
    fn cut(self, full: String) -> String {
        match self {
            TimeSpan::Day => full.get(11..).unwrap_or("").to_string(),
            TimeSpan::Year | TimeSpan::Years => full,
        }
    }
}

pub(super) fn draw_timeline(frame: &mut Frame, app: &App, g: &Geometry) {
    let focused = app.screen.focus == Focus::Timeline;
    let title = format!(" timeline{} ", attack_strip(app));
    let title = crate::text::truncate(&title, g.timeline.width.saturating_sub(4) as usize);
    let block = pane(&title, focused);
    frame.render_widget(block, g.timeline);
    draw_histogram(frame, app, g.histogram);
    let area = g.list;
    if area.height == 0 || area.width == 0 {
        return;
    }
    if app.status.loading && app.store.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("loading…", theme::muted())),
            area,
        );
        return;
    }
    let width = area.width as usize;
    let marks = app.session.marks();
    let end = (app.timeline.offset + area.height as usize).min(app.timeline.rows.len());
    let columns = &app.timeline.columns;
    // Two columns of gutter: the badge of the most severe detection an event hits, and `+`
    // (with the marks on) where its principal does something new.
    let gutter = 2;
    let (cells, widths) = layout(app, end, width.saturating_sub(gutter));
    let mut header = " ".repeat(gutter);
    for (column, &w) in columns.iter().zip(&widths) {
        if w > 0 {
            header.push_str(&text::fit(&truncate(column.field.header, w - 1), w));
        }
    }
    frame.render_widget(
        Paragraph::new(Span::styled(
            truncate(&header, width).into_owned(),
            theme::header(),
        )),
        g.header,
    );
    let mut lines = Vec::with_capacity(area.height as usize);
    let hits = app.session.hits();
    for (index, row_cells) in (app.timeline.offset..end).zip(&cells) {
        let row = app.timeline.rows[index] as usize;
        let level = hits.map_or(0, |h| h.level_of(row));
        let mut text = String::with_capacity(width);
        for ((column, &w), value) in columns.iter().zip(&widths).zip(row_cells) {
            if w > 0 {
                let cut = if column.field.name == "principal" {
                    truncate_middle(value, w - 1)
                } else {
                    truncate(value, w - 1)
                };
                text.push_str(&text::fit(&cut, w));
            }
        }
        let text = truncate(&text, width.saturating_sub(gutter)).into_owned();
        let mut style = Style::new();
        if app.store.ids(Col::Error)[row] != 0 {
            style = style.patch(theme::error_text());
        }
        if index == app.timeline.selected {
            style = style.patch(theme::selected_row(focused));
        }
        let badge = Span::styled(detections::badge(level), theme::level(level));
        let new = if marks.contains_key(&(row as u32)) {
            Span::styled("*", style.patch(theme::new_mark()))
        } else if app.timeline.is_new(row as u32) {
            Span::styled("+", style.patch(theme::new_mark()))
        } else {
            Span::styled(" ", style)
        };
        lines.push(Line::from(vec![badge, new, Span::styled(text, style)]));
    }
    if lines.is_empty() {
        let empty = if app.store.is_empty() {
            "no CloudTrail events loaded (! lists the problems)"
        } else {
            "no events match"
        };
        lines.push(Line::styled(empty, theme::muted()));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The visible rows' cells (up to the result's index `end`) and the columns' widths that
/// fit them in `room` screen columns.
fn layout(app: &App, end: usize, room: usize) -> (Vec<Vec<String>>, Vec<usize>) {
    let span = TimeSpan::of(app);
    let columns = &app.timeline.columns;
    let mut cells: Vec<Vec<String>> = (app.timeline.offset..end)
        .map(|index| {
            let row = app.timeline.rows[index] as usize;
            columns
                .iter()
                .map(|c| cell(app, c.field, row, span))
                .collect()
        })
        .collect();
    let mut widths = fit(app, &cells, room);
    // The year goes before an event name, a principal or an address is cut.
    let time = columns.iter().position(|c| c.field.name == "time");
    if let (Some(time), TimeSpan::Year) = (time, span) {
        if !grid::first_whole(&needs(app, &cells), &widths) {
            for row in &mut cells {
                row[time] = row[time].get(5..).unwrap_or("").to_string();
            }
            widths = fit(app, &cells, room);
        }
    }
    (cells, widths)
}

/// What each column needs to show `cells` (the visible rows' values).
fn needs(app: &App, cells: &[Vec<String>]) -> Vec<Need> {
    app.timeline
        .columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let widths = cells.iter().map(|r| width_of(&r[i]) + 1).collect();
            Need::of(column, i, widths, &app.timeline.natural)
        })
        .collect()
}

/// The columns' widths for `cells` in `width` screen columns.
fn fit(app: &App, cells: &[Vec<String>], width: usize) -> Vec<usize> {
    grid::fit(&needs(app, cells), width)
}

/// The whole text of a timeline cell, as shown (sanitized).
fn cell(app: &App, def: &FieldDef, row: usize, span: TimeSpan) -> String {
    let cell = match def.storage {
        Storage::Time => match app.store.time(row) {
            Some(t) => span.cut(display_time(t)),
            None => "(no eventTime)".to_string(),
        },
        storage => display_value(&app.store, &app.session, storage, row),
    };
    // An Insights event has no eventName of its own: what it is about instead.
    let cell = match (def.name, app.store.get(Col::Insight, row)) {
        ("name", insight) if cell.is_empty() && !insight.is_empty() => {
            // The API and the state first: what a cut column must keep.
            match insight.split(' ').collect::<Vec<_>>()[..] {
                [kind, name, state] => format!("Insight {name} {state} {kind}"),
                _ => format!("Insight {insight}"),
            }
        }
        _ => cell,
    };
    let cell = grid::shown(def, &cell);
    // The error column also marks an event kept beside a copy that differs.
    let cell = match (def.name, app.store.is_conflict(row)) {
        ("error", true) if cell.is_empty() => "≠ copy differs".to_string(),
        ("error", true) => format!("{cell} ≠"),
        _ => cell,
    };
    sanitize(&cell).into_owned()
}

const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn draw_histogram(frame: &mut Frame, app: &App, area: Rect) {
    if area.height < 2 || area.width == 0 {
        return;
    }
    let Some((_, _, hist)) = &app.timeline.histogram else {
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
    // A mark on top of each bucket holding a critical (▼) or high (▾) detection.
    for (x, &severe) in hist.severe.iter().enumerate() {
        if x >= area.width as usize {
            break;
        }
        let mark = match severe {
            5 => '▼',
            4 => '▾',
            _ => continue,
        };
        if let Some(cell) = buf.cell_mut((area.x + x as u16, area.y)) {
            cell.set_char(mark).set_style(theme::level(severe));
        }
    }
    // `*` over each bucket holding a marked event of the result.
    for &row in app.session.marks().keys() {
        let in_result = app.timeline.index_of(row).is_some();
        let bucket = app.store.time(row as usize).and_then(|t| hist.bucket_of(t));
        if let (true, Some(x)) = (in_result, bucket) {
            if let Some(cell) = buf.cell_mut((area.x + x as u16, area.y)) {
                cell.set_char('*').set_style(theme::new_mark());
            }
        }
    }
    let axis_y = area.y + bar_rows + u16::from(error_row);
    draw_axis(
        frame,
        hist,
        Rect::new(area.x, axis_y, area.width, 1),
        selected_bucket,
    );
}

/// The histogram's axis: first and last time, and a mark under the selected event's
/// bucket.
fn draw_axis(frame: &mut Frame, hist: &Histogram, area: Rect, selected_bucket: Option<usize>) {
    let axis_y = area.y;
    let end = hist.start + hist.bucket_ms * hist.all.len() as i64;
    let left = display_time(hist.start);
    let right = display_time(end);
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
    frame.render_widget(
        Paragraph::new(Span::styled(axis_text, theme::muted())),
        area,
    );
    let left_len = left.chars().count();
    let covers_label = |x: usize| x < left_len || (right_start > left_len + 1 && x >= right_start);
    if let Some(x) = selected_bucket.filter(|&x| x < width && !covers_label(x)) {
        if let Some(cell) = frame.buffer_mut().cell_mut((area.x + x as u16, axis_y)) {
            cell.set_char('▲').set_style(theme::histogram_selected());
        }
    }
}

/// The ATT&CK tactics the events shown reach at medium or above, in kill-chain order, with
/// how many events name each: ` · ATT&CK discovery 12 › persistence 3`; empty when none.
fn attack_strip(app: &App) -> String {
    let Some((_, _, hist)) = &app.timeline.histogram else {
        return String::new();
    };
    // The tactics' names as ATT&CK shortens them (`tactic:` takes the full names).
    const SHORT: [&str; 14] = [
        "recon",
        "resource-dev",
        "initial-access",
        "execution",
        "persistence",
        "priv-esc",
        "defense-evasion",
        "cred-access",
        "discovery",
        "lateral",
        "collection",
        "c2",
        "exfil",
        "impact",
    ];
    let named: Vec<String> = SHORT
        .iter()
        .zip(hist.tactics)
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| format!("{t} {}", crate::text::thousands(n as usize)))
        .collect();
    if named.is_empty() {
        return String::new();
    }
    format!(" · ATT&CK {}", named.join(" › "))
}
