//! The overview overlay: per field a heading, then its top values with events, error
//! share and (where the screen is wide enough) first and last time.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::{centered, pane};
use crate::event::display_time;
use crate::overview::share;
use crate::text::{fit, sanitize, thousands};
use crate::tui::app::App;
use crate::tui::theme;

pub(super) fn draw_overview(frame: &mut Frame, app: &App, selected: usize, screen: Rect) {
    let Some(view) = &app.overview.view else {
        super::draw_counting(frame, screen, " summary ");
        return;
    };
    let o = &view.data;
    let width = screen.width.saturating_sub(4).clamp(1, 160);
    let lines_needed = (view.entries.len() + o.fields.len()) as u16 + 3;
    let height = lines_needed.min(screen.height.saturating_sub(2)).max(3);
    let area = centered(screen, width, height);
    let inner = area.width.saturating_sub(2) as usize;
    let times = inner >= 90;
    let when = |t: Option<i64>| t.map(display_time).unwrap_or_default();
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    let mut entry = 0;
    for f in &o.fields {
        let absent = if f.absent > 0 {
            format!(" · {} without", thousands(f.absent))
        } else {
            String::new()
        };
        let heading = format!(" {} · {} distinct{absent}", f.field, thousands(f.distinct));
        lines.push(Line::styled(fit(&heading, inner), theme::header()));
        for v in &f.top {
            let span = if times {
                format!("  {:<19}  {:<19}", when(v.first), when(v.last))
            } else {
                String::new()
            };
            let text = format!(
                "  {:>9} {:>6}{span}  {}",
                thousands(v.count),
                share(v.errors, v.count),
                sanitize(&v.label())
            );
            if entry == selected {
                selected_line = lines.len();
                lines.push(Line::styled(fit(&text, inner), theme::selected_row(true)));
            } else {
                lines.push(Line::raw(fit(&text, inner)));
            }
            entry += 1;
        }
        if f.distinct > f.top.len() {
            let left = f.distinct - f.top.len();
            let text = format!(
                "  … {} more {} (Enter lists them)",
                thousands(left),
                if left == 1 { "value" } else { "values" }
            );
            if entry == selected {
                selected_line = lines.len();
                lines.push(Line::styled(fit(&text, inner), theme::selected_row(true)));
            } else {
                lines.push(Line::styled(fit(&text, inner), theme::muted()));
            }
            entry += 1;
        }
    }
    let rows = area.height.saturating_sub(3) as usize;
    // Keep the selection in view, its field's heading too when it fits.
    let offset = selected_line.saturating_sub(rows.saturating_sub(1));
    let columns = if times {
        format!(
            "  {:>9} {:>6}  {:<19}  {:<19}  VALUE",
            "EVENTS", "ERRORS", "FIRST", "LAST"
        )
    } else {
        format!("  {:>9} {:>6}  VALUE", "EVENTS", "ERRORS")
    };
    let mut shown = vec![Line::styled(fit(&columns, inner), theme::header())];
    shown.extend(lines.into_iter().skip(offset).take(rows));
    let span = match o.span {
        Some((a, b)) => format!(", {} to {}", display_time(a), display_time(b)),
        None => String::new(),
    };
    let of = match app.filter.applied.trim() {
        "" => String::new(),
        filter => format!(" of {}", crate::text::truncate(&sanitize(filter), 40)),
    };
    let title = format!(
        " summary{of}: {} events, {} errors ({}){span} · Enter filters · x excludes · q closes ",
        thousands(o.events),
        thousands(o.errors),
        share(o.errors, o.events),
    );
    frame.render_widget(Clear, area);
    let title = super::title_for(&title, area);
    frame.render_widget(Paragraph::new(shown).block(pane(&title, true)), area);
}

/// Where a list over the panes goes: a bordered box with a header row, at most `widest`
/// wide, as tall as its `len` rows (within the screen), scrolled to show `selected`.
struct ListArea {
    area: Rect,
    /// Columns inside the borders.
    inner: usize,
    /// Rows of the list under its header.
    rows: usize,
    /// The first row shown.
    offset: usize,
}

impl ListArea {
    fn of(screen: Rect, widest: u16, len: usize, selected: usize) -> ListArea {
        let width = screen.width.saturating_sub(4).clamp(1, widest);
        let height = (len as u16 + 3).min(screen.height.saturating_sub(2)).max(3);
        let area = centered(screen, width, height);
        let rows = area.height.saturating_sub(3) as usize;
        ListArea {
            area,
            inner: area.width.saturating_sub(2) as usize,
            rows,
            offset: selected.saturating_sub(rows.saturating_sub(1)),
        }
    }
}

/// The marks list: every marked event with its time, eventName, principal and note.
pub(super) fn draw_marks(frame: &mut Frame, app: &App, selected: usize, screen: Rect) {
    let marks = app.session.marks();
    let ListArea {
        area,
        inner,
        rows,
        offset,
    } = ListArea::of(screen, 160, marks.len(), selected);
    let get = |col, row: u32| sanitize(app.store.get(col, row as usize)).into_owned();
    use crate::schema::Col;
    let shown: Vec<(u32, &String)> = marks
        .iter()
        .skip(offset)
        .take(rows)
        .map(|(&row, note)| (row, note))
        .collect();
    // The note gets what the time, the event and the principal leave (at least 30
    // columns): the note before the principal, as on a narrow screen it is what must stay.
    let principal_width = shown
        .iter()
        .map(|&(row, _)| crate::text::width(&get(Col::Principal, row)))
        .max()
        .unwrap_or(0)
        .clamp(9, 40);
    let note_width = inner
        .saturating_sub(1 + 19 + 2 + 24 + 2 + 2 + principal_width)
        .max(30);
    let column = |text: &str, width: usize| {
        let cut = crate::text::truncate(text, width);
        let pad = width.saturating_sub(crate::text::width(&cut));
        format!("{cut}{}", " ".repeat(pad))
    };
    let header = format!(
        " {}  {}  {}  PRINCIPAL",
        column("TIME", 19),
        column("EVENT", 24),
        column("NOTE", note_width)
    );
    let mut lines = vec![Line::styled(fit(&header, inner), theme::header())];
    for (i, (row, note)) in shown.into_iter().enumerate() {
        let i = i + offset;
        let time = app
            .store
            .time(row as usize)
            .map(display_time)
            .unwrap_or_default();
        let text = format!(
            " {}  {}  {}  {}",
            column(&time, 19),
            column(&get(Col::Name, row), 24),
            column(&sanitize(crate::text::head(note, 4096)), note_width),
            get(Col::Principal, row)
        );
        let style = if i == selected {
            theme::selected_row(true)
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::styled(fit(&text, inner), style));
    }
    let title = format!(
        " {} · Enter goes to one · j/k · q closes ",
        crate::text::count(marks.len(), "mark")
    );
    frame.render_widget(Clear, area);
    let title = super::title_for(&title, area);
    frame.render_widget(Paragraph::new(lines).block(pane(&title, true)), area);
}

/// The columns list (`c`): the timeline's columns in order, with their width and sort,
/// then every other field, unticked.
pub(super) fn draw_columns(frame: &mut Frame, app: &App, screen: Rect) {
    let columns = &app.timeline.columns;
    let list = crate::tui::grid::picker(columns);
    let selected = app.timeline.columns_cursor;
    let ListArea {
        area,
        inner,
        rows,
        offset,
    } = ListArea::of(screen, 84, list.len(), selected);
    let header = format!(
        " {:<4}{:<16}{:<16}{:<8}{}",
        "", "FIELD", "HEADER", "WIDTH", "ORDER"
    );
    let mut lines = vec![Line::styled(fit(&header, inner), theme::header())];
    for (i, field) in list.iter().enumerate().skip(offset).take(rows) {
        let column = columns.iter().find(|c| c.field.name == field.name);
        let tick = if column.is_some() { "[x]" } else { "[ ]" };
        let width = match column.and_then(|c| c.width) {
            Some(w) => (w - 1).to_string(),
            None if column.is_some() => "auto".to_string(),
            None => String::new(),
        };
        let order = match app.timeline.sort {
            Some(s) if s.field.name == field.name && s.descending => "sorted ↓",
            Some(s) if s.field.name == field.name => "sorted ↑",
            _ => "",
        };
        let text = format!(
            " {tick} {:<16}{:<16}{:<8}{order}",
            field.name, field.header, width
        );
        let style = if i == selected {
            theme::selected_row(true)
        } else if column.is_none() {
            theme::muted()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::styled(fit(&text, inner), style));
    }
    let title = " columns · Space shows · J K move · < > = width · s sorts · r resets · q closes ";
    frame.render_widget(Clear, area);
    let title = super::title_for(title, area);
    frame.render_widget(Paragraph::new(lines).block(pane(&title, true)), area);
}
