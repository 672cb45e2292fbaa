//! Colours and styles, in one place, for three palettes: `dark` (the default), `light` (for
//! a white background) and `mono` (`NO_COLOR`, or a terminal without colour), where
//! everything that colour marks elsewhere is marked by reverse video, bold, underline or
//! a gutter sign instead. The palette is chosen before the first frame.

use std::cell::Cell;

use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

/// The palettes a user can choose with `--theme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Dark,
    Light,
    Mono,
}

impl Theme {
    /// The palette when the user named none: `mono` when `NO_COLOR` is set (any non-empty
    /// value, per no-color.org), `light` when `COLORFGBG` says the background is light.
    pub fn detect(no_color: Option<&str>, colorfgbg: Option<&str>) -> Theme {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return Theme::Mono;
        }
        // `COLORFGBG` is `fg;bg` (rxvt, Konsole, some others): 7 and 9–15 are light.
        let background = colorfgbg
            .and_then(|v| v.rsplit(';').next())
            .and_then(|bg| bg.parse::<u8>().ok());
        match background {
            Some(7 | 9..=15) => Theme::Light,
            _ => Theme::Dark,
        }
    }
}

thread_local! {
    /// Drawing happens on one thread; each test thread draws in a palette of its own.
    static THEME: Cell<Theme> = const { Cell::new(Theme::Dark) };
}

/// Chooses the palette for the frames drawn on this thread.
pub fn set(theme: Theme) {
    THEME.set(theme);
}

fn current() -> Theme {
    THEME.get()
}

/// A foreground colour, per palette (none in mono).
fn fg(dark: Color, light: Color) -> Style {
    match current() {
        Theme::Dark => Style::new().fg(dark),
        Theme::Light => Style::new().fg(light),
        Theme::Mono => Style::new(),
    }
}

pub fn border(focused: bool) -> Style {
    match (current(), focused) {
        (Theme::Mono, true) => Style::new().add_modifier(Modifier::BOLD),
        (_, true) => accent(),
        (_, false) => muted(),
    }
}

/// The focused pane's border is thick in mono, where it cannot be coloured.
pub fn border_type(focused: bool) -> BorderType {
    if focused && current() == Theme::Mono {
        BorderType::Thick
    } else {
        BorderType::Plain
    }
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn accent() -> Style {
    fg(Color::Cyan, Color::Indexed(24))
}

/// The selected row: strong in the focused pane, quieter in the other.
pub fn selected_row(focused: bool) -> Style {
    match (current(), focused) {
        (Theme::Mono, true) => Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        (Theme::Mono, false) => Style::new().add_modifier(Modifier::REVERSED),
        (Theme::Dark, true) => Style::new()
            .bg(Color::Indexed(24))
            .add_modifier(Modifier::BOLD),
        (Theme::Dark, false) => Style::new().bg(Color::Indexed(238)),
        (Theme::Light, true) => Style::new()
            .fg(Color::Black)
            .bg(Color::Indexed(153))
            .add_modifier(Modifier::BOLD),
        (Theme::Light, false) => Style::new().fg(Color::Black).bg(Color::Indexed(252)),
    }
}

/// A row or text about a failed call.
pub fn error_text() -> Style {
    match current() {
        Theme::Mono => Style::new().add_modifier(Modifier::BOLD),
        Theme::Dark => Style::new().fg(Color::Red),
        Theme::Light => Style::new().fg(Color::Indexed(124)),
    }
}

/// Where the filter does not parse.
pub fn error_mark() -> Style {
    match current() {
        Theme::Mono => Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
        _ => Style::new().bg(Color::Red),
    }
}

pub fn success() -> Style {
    fg(Color::Green, Color::Indexed(28))
}

/// The status line while the load had problems.
pub fn warning() -> Style {
    match current() {
        Theme::Mono => Style::new().add_modifier(Modifier::BOLD),
        Theme::Dark => Style::new().fg(Color::Yellow),
        Theme::Light => Style::new().fg(Color::Indexed(130)),
    }
}

/// The timeline's `+`: a principal doing something for the first time.
pub fn new_mark() -> Style {
    match current() {
        Theme::Mono => Style::new().add_modifier(Modifier::BOLD),
        Theme::Dark => Style::new()
            .fg(Color::LightMagenta)
            .add_modifier(Modifier::BOLD),
        Theme::Light => Style::new()
            .fg(Color::Indexed(90))
            .add_modifier(Modifier::BOLD),
    }
}

/// Text the search (or the filter's quoted phrase) found in the detail pane.
pub fn search_hit() -> Style {
    match current() {
        Theme::Mono => Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
        _ => Style::new().fg(Color::Black).bg(Color::Yellow),
    }
}

/// The timeline's column headers.
pub fn header() -> Style {
    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn muted() -> Style {
    fg(Color::DarkGray, Color::Indexed(243))
}

/// The userIdentity block of the detail pane: a background, and a gutter sign that shows
/// in every palette (on a light terminal a pale magenta, as the gutter sign: the grey 255
/// was the terminal's own white).
pub fn identity() -> Style {
    match current() {
        Theme::Mono => Style::new(),
        Theme::Dark => Style::new().bg(Color::Indexed(236)),
        Theme::Light => Style::new().bg(Color::Indexed(225)),
    }
}

pub fn identity_gutter() -> Style {
    identity().patch(fg(Color::Magenta, Color::Indexed(90)))
}

/// The principal in the detail summary.
pub fn principal() -> Style {
    fg(Color::Magenta, Color::Indexed(90)).add_modifier(Modifier::BOLD)
}

pub fn key() -> Style {
    fg(Color::Blue, Color::Indexed(25))
}

pub fn string() -> Style {
    fg(Color::Green, Color::Indexed(28))
}

pub fn number() -> Style {
    fg(Color::Yellow, Color::Indexed(130))
}

pub fn literal() -> Style {
    fg(Color::Magenta, Color::Indexed(90))
}

/// A detection level (`Level as u8`): critical and high stand out in every palette.
pub fn level(level: u8) -> Style {
    match (current(), level) {
        (Theme::Mono, 5) => Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        (Theme::Mono, 4) => Style::new().add_modifier(Modifier::BOLD),
        (Theme::Mono, _) => Style::new(),
        (_, 5) => Style::new()
            .fg(Color::White)
            .bg(Color::Red)
            .add_modifier(Modifier::BOLD),
        (Theme::Dark, 4) => Style::new()
            .fg(Color::LightRed)
            .add_modifier(Modifier::BOLD),
        (Theme::Light, 4) => Style::new()
            .fg(Color::Indexed(124))
            .add_modifier(Modifier::BOLD),
        (Theme::Dark, 3) => Style::new().fg(Color::Yellow),
        (Theme::Light, 3) => Style::new().fg(Color::Indexed(130)),
        (_, 2) => fg(Color::Blue, Color::Indexed(25)),
        _ => muted(),
    }
}

pub fn banner() -> Style {
    match current() {
        Theme::Mono => Style::new().add_modifier(Modifier::REVERSED),
        _ => Style::new().fg(Color::Black).bg(Color::Yellow),
    }
}

pub fn histogram() -> Style {
    accent()
}

pub fn histogram_selected() -> Style {
    match current() {
        Theme::Mono => Style::new().add_modifier(Modifier::REVERSED),
        Theme::Dark => Style::new().fg(Color::Yellow),
        Theme::Light => Style::new().fg(Color::Indexed(166)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_wins_and_colorfgbg_finds_a_light_background() {
        assert_eq!(Theme::detect(Some("1"), Some("0;15")), Theme::Mono);
        assert_eq!(Theme::detect(Some(""), Some("0;15")), Theme::Light);
        assert_eq!(Theme::detect(None, Some("0;default;15")), Theme::Light);
        assert_eq!(Theme::detect(None, Some("15;0")), Theme::Dark);
        assert_eq!(Theme::detect(None, None), Theme::Dark);
    }
}
