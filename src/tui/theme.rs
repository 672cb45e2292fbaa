//! Colours and styles, in one place.

use ratatui::style::{Color, Modifier, Style};

pub const ACCENT: Color = Color::Cyan;
pub const ERROR: Color = Color::Red;
pub const MUTED: Color = Color::DarkGray;
/// Background of the userIdentity block in the detail pane.
pub const IDENTITY_BG: Color = Color::Indexed(236);
/// Gutter mark of the userIdentity block.
pub const IDENTITY_GUTTER: Color = Color::Magenta;

pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(ACCENT)
    } else {
        Style::new().fg(MUTED)
    }
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn selected_row(focused: bool) -> Style {
    if focused {
        Style::new()
            .bg(Color::Indexed(24))
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new().bg(Color::Indexed(238))
    }
}

pub fn error_text() -> Style {
    Style::new().fg(ERROR)
}

pub fn muted() -> Style {
    Style::new().fg(MUTED)
}

pub fn key() -> Style {
    Style::new().fg(Color::Blue)
}

pub fn string() -> Style {
    Style::new().fg(Color::Green)
}

pub fn number() -> Style {
    Style::new().fg(Color::Yellow)
}

pub fn literal() -> Style {
    Style::new().fg(Color::Magenta)
}

pub fn banner() -> Style {
    Style::new().fg(Color::Black).bg(Color::Yellow)
}

pub fn histogram() -> Style {
    Style::new().fg(ACCENT)
}

pub fn histogram_selected() -> Style {
    Style::new().fg(Color::Yellow)
}
