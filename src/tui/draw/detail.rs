//! Drawing the detail pane: the summary of the selected event and its pretty JSON, the
//! userIdentity block marked.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{pane, theme};
use crate::event::format_time;
use crate::store::Col;
use crate::text::sanitize;
use crate::tui::app::{App, Focus};
use crate::tui::detail::Token;
use crate::tui::layout::Geometry;

pub(super) fn draw_detail(frame: &mut Frame, app: &App, g: &Geometry) {
    let focused = app.focus == Focus::Detail;
    let block = pane(" event ", focused);
    frame.render_widget(block, g.detail);
    let Some(row) = app.selected_row().map(|r| r as usize) else {
        return;
    };
    // The summary reads the index and shows at once; the JSON follows when the worker has
    // built the event's document.
    let lines = match &app.detail.doc {
        Some((detail_row, lines)) if *detail_row as usize == row => Some(lines),
        _ => None,
    };
    frame.render_widget(
        Paragraph::new(summary(app, row, lines.map(Vec::as_slice))),
        g.summary,
    );
    let Some(lines) = lines else {
        return;
    };
    let area = g.json;
    if area.height == 0 || area.width < 2 {
        return;
    }
    let end = (app.detail.offset + area.height as usize).min(lines.len());
    let mut out = Vec::with_capacity(area.height as usize);
    for (i, line) in lines.iter().enumerate().take(end).skip(app.detail.offset) {
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
        if focused && i == app.detail.cursor {
            rendered = rendered.style(base.add_modifier(Modifier::REVERSED));
        }
        out.push(rendered);
    }
    frame.render_widget(Paragraph::new(out), area);
}

fn summary<'a>(app: &App, row: usize, lines: Option<&[crate::tui::detail::Line]>) -> Vec<Line<'a>> {
    let store = &app.store;
    let get = |col| sanitize(store.get(col, row)).into_owned();
    let label = |text: &str| Span::styled(format!("{text:<6} "), theme::muted());
    let time = store.time(row).map_or_else(
        || "no eventTime".to_string(),
        |t| format_time(t).replace('T', " ").replace('Z', " UTC"),
    );
    let mfa = lines
        .unwrap_or_default()
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
