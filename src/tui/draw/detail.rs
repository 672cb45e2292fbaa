//! Drawing the detail pane: the summary of the selected event and its pretty JSON, the
//! userIdentity block marked.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{pane, theme};
use crate::tui::app::{App, Focus};
use crate::tui::detail::Token;
use crate::tui::layout::Geometry;
use crate::tui::summary::{self, Part};

pub(super) fn draw_detail(frame: &mut Frame, app: &App, g: &Geometry) {
    let focused = app.screen.focus == Focus::Detail;
    let mut block = pane(" event ", focused);
    if !app.detail.wrap {
        block = block.title_bottom(Span::styled(
            format!(" no wrap · ← → · col {} ", app.detail.hscroll + 1),
            theme::muted(),
        ));
    }
    if !app.detail.decode {
        block = block.title_bottom(Span::styled(" raw strings (r) ", theme::muted()));
    }
    frame.render_widget(block, g.detail);
    let Some(row) = app.selected_row().map(|r| r as usize) else {
        return;
    };
    // The summary reads the index and shows at once; the JSON follows when the worker has
    // built the event's document.
    let lines = match &app.detail.doc {
        Some(((detail_row, _), lines)) if *detail_row as usize == row => Some(lines),
        _ => None,
    };
    draw_summary(frame, app, row, lines.map(Vec::as_slice), g.summary);
    let Some(lines) = lines else {
        return;
    };
    let area = g.json;
    if area.height == 0 || area.width < 2 {
        return;
    }
    let width = area.width as usize - 1;
    let highlights = app.highlights();
    let mut out = Vec::with_capacity(area.height as usize);
    let detail = &app.detail;
    let first = detail.shown.partition_point(|&i| i < detail.offset);
    'lines: for &i in &detail.shown[first..] {
        let line = &lines[i];
        let base = if line.identity {
            theme::identity()
        } else {
            Style::new()
        };
        let cursor = focused && i == app.detail.cursor;
        // A folded node: its line, how many it stands for, and its closing text.
        let folded;
        let line = match crate::tui::fold::folded_tail(lines, &detail.closes, i) {
            Some((hidden, close))
                if i > 0 && detail.folded.contains(&crate::tui::fold::node(line)) =>
            {
                let mut shown = line.clone();
                shown.pieces.push((
                    Token::Note,
                    format!(" … {} ", crate::text::count(hidden, "line")),
                ));
                shown.pieces.push((Token::Punct, close));
                folded = shown;
                &folded
            }
            _ => line,
        };
        for pieces in line.rows(width, detail.wrap, detail.hscroll) {
            if out.len() >= area.height as usize {
                break 'lines;
            }
            let mut spans = Vec::with_capacity(pieces.len() + 1);
            spans.push(if line.identity {
                Span::styled("▌", theme::identity_gutter())
            } else {
                Span::raw(" ")
            });
            for (token, text) in pieces {
                let style = match token {
                    Token::Punct => Style::new(),
                    Token::Key => theme::key(),
                    Token::Str => theme::string(),
                    Token::Number => theme::number(),
                    Token::Literal => theme::literal(),
                    Token::Note => theme::muted(),
                };
                push_highlighted(&mut spans, text, base.patch(style), highlights);
            }
            let mut rendered = Line::from(spans).style(base);
            if cursor {
                rendered = rendered.style(base.add_modifier(Modifier::REVERSED));
            }
            out.push(rendered);
        }
    }
    frame.render_widget(Paragraph::new(out), area);
}

/// Pushes `text` in `style`, the parts matching a highlight (case-insensitive) marked.
fn push_highlighted(
    spans: &mut Vec<Span<'static>>,
    text: String,
    style: Style,
    highlights: &[String],
) {
    let lower = text.to_lowercase();
    // Byte offsets agree only when lowercasing kept every length (ASCII and most text).
    let hit = highlights
        .iter()
        .filter(|h| !h.is_empty() && lower.len() == text.len())
        .filter_map(|h| lower.find(h.as_str()).map(|at| (at, h.len())))
        .min();
    match hit {
        Some((at, len)) if text.is_char_boundary(at) && text.is_char_boundary(at + len) => {
            let (before, rest) = text.split_at(at);
            let (found, after) = rest.split_at(len);
            if !before.is_empty() {
                spans.push(Span::styled(before.to_string(), style));
            }
            spans.push(Span::styled(
                found.to_string(),
                style.patch(theme::search_hit()),
            ));
            push_highlighted(spans, after.to_string(), style, highlights);
        }
        _ => spans.push(Span::styled(text, style)),
    }
}

/// The summary above the JSON, wrapped to the pane, and a rule under it.
fn draw_summary(
    frame: &mut Frame,
    app: &App,
    row: usize,
    doc: Option<&[crate::tui::detail::Line]>,
    area: ratatui::layout::Rect,
) {
    if area.height == 0 {
        return;
    }
    let summary = summary::lines(
        &app.store,
        &app.session,
        row,
        doc,
        app.detail.describe_rules,
    );
    let mut rows = summary::rows(&summary, area.width as usize);
    let room = area.height as usize - 1;
    if rows.len() > room && room > 0 {
        // Never a silent cut: what is left out is said.
        let left = rows.len() - (room - 1);
        rows.truncate(room - 1);
        let notice = format!("… {left} more lines (d lists the rules)");
        rows.push(vec![(
            Part::Muted,
            crate::text::truncate(&notice, area.width as usize).into_owned(),
        )]);
    }
    let mut out: Vec<Line> = rows
        .into_iter()
        .map(|pieces| {
            Line::from(
                pieces
                    .into_iter()
                    .map(|(part, text)| {
                        let style = match part {
                            Part::Label | Part::Muted => theme::muted(),
                            Part::Time => theme::title(),
                            Part::Name => theme::title().patch(theme::accent()),
                            Part::Plain => Style::new(),
                            Part::Principal => theme::principal(),
                            Part::Success => theme::success(),
                            Part::Error => theme::error_text(),
                            Part::Level(level) => theme::level(level),
                        };
                        Span::styled(text, style)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    out.push(Line::styled(
        "─".repeat(area.width as usize),
        theme::muted(),
    ));
    frame.render_widget(Paragraph::new(out), area);
}
