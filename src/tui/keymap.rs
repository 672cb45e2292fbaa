//! Keys and mouse to [`Action`]s, in one place: (focus, key) → action.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::app::{Action, App, Focus};

/// The action for a terminal event in the app's current mode, if any.
pub fn action(app: &App, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(app, key),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::ClickRow(mouse.row)),
            MouseEventKind::ScrollDown => Some(Action::Wheel {
                column: mouse.column,
                down: true,
            }),
            MouseEventKind::ScrollUp => Some(Action::Wheel {
                column: mouse.column,
                down: false,
            }),
            _ => None,
        },
        _ => None,
    }
}

fn key_action(app: &App, key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if app.help {
        return match key.code {
            KeyCode::Char('?') | KeyCode::Esc => Some(Action::ToggleHelp),
            KeyCode::Char('q') => Some(Action::Quit),
            _ => None,
        };
    }
    if app.focus == Focus::Filter {
        return filter_key(key, ctrl);
    }
    let action = match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('j') | KeyCode::Down => Action::Move(1),
        KeyCode::Char('k') | KeyCode::Up => Action::Move(-1),
        KeyCode::Char('d') if ctrl => Action::Page(1),
        KeyCode::Char('u') if ctrl => Action::Page(-1),
        KeyCode::PageDown | KeyCode::Char(' ') => Action::Page(1),
        KeyCode::PageUp | KeyCode::Char('b') => Action::Page(-1),
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::Tab | KeyCode::BackTab => Action::ToggleFocus,
        KeyCode::Char('/') => Action::EditFilter,
        KeyCode::Char('p') => Action::FilterPrincipal,
        KeyCode::Char(']') => Action::StepPrincipal(1),
        KeyCode::Char('[') => Action::StepPrincipal(-1),
        KeyCode::Char('f') if app.focus == Focus::Detail => Action::Pivot { exclude: false },
        KeyCode::Char('x') if app.focus == Focus::Detail => Action::Pivot { exclude: true },
        KeyCode::Char('?') => Action::ToggleHelp,
        _ => return None,
    };
    Some(action)
}

fn filter_key(key: &KeyEvent, ctrl: bool) -> Option<Action> {
    let action = match key.code {
        KeyCode::Enter => Action::FilterAccept,
        KeyCode::Esc => Action::FilterCancel,
        KeyCode::Tab => Action::Complete,
        KeyCode::Up => Action::FilterHistory(-1),
        KeyCode::Down => Action::FilterHistory(1),
        KeyCode::Char('n') if ctrl => Action::SuggestionMove(1),
        KeyCode::Char('p') if ctrl => Action::SuggestionMove(-1),
        KeyCode::Char('w') if ctrl => Action::FilterDeleteWord,
        KeyCode::Char('u') if ctrl => Action::FilterDeleteToStart,
        KeyCode::Char('a') if ctrl => Action::FilterHome,
        KeyCode::Char('e') if ctrl => Action::FilterEnd,
        KeyCode::Backspace => Action::FilterBackspace,
        KeyCode::Delete => Action::FilterDelete,
        KeyCode::Left => Action::FilterLeft,
        KeyCode::Right => Action::FilterRight,
        KeyCode::Home => Action::FilterHome,
        KeyCode::End => Action::FilterEnd,
        KeyCode::Char(c) if !ctrl => Action::FilterChar(c),
        _ => return None,
    };
    Some(action)
}
