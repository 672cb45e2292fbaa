//! Key handling: the action a terminal event means in the screen's current mode, read from
//! the one key table ([`KEYS`], `keys.rs`).

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::action::{Action, Verb};
use super::focus::{Focus, Overlay, Screen};
pub use super::keys::{Binding, Key, KeyHelp, Mode, KEYS};
use super::prompt::PromptEdit;
use Key::{Alt, Char, Code, Ctrl};
use Mode::{
    Browse, ColumnsView, Detail, DetectionsView, Filter, Help, MarksView, OverviewView, Problems,
    SuspectsView,
};

/// Whether the event is Ctrl-Z, which the event loop handles itself (it suspends the
/// process).
pub fn is_suspend(event: &Event) -> bool {
    matches!(event, Event::Key(key) if key.kind != KeyEventKind::Release
        && key.code == KeyCode::Char('z')
        && key.modifiers.contains(KeyModifiers::CONTROL))
}

/// The action for a terminal event in the screen's current mode, if any.
pub fn action(screen: &Screen, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(screen, key),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: mouse.column,
                row: mouse.row,
            }),
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

fn key_action(screen: &Screen, event: &KeyEvent) -> Option<Action> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && event.code == KeyCode::Char('c') {
        // As in a shell's line editor: Ctrl-C abandons the line being edited.
        return Some(match screen.focus {
            Focus::Filter => Action::FilterCancel,
            Focus::Prompt => Action::Verb(Verb::PromptCancel),
            _ => Action::Quit,
        });
    }
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    let key = match event.code {
        KeyCode::Char(c) if ctrl => Ctrl(c),
        KeyCode::Char(c) if alt => Alt(c),
        KeyCode::Char(c) => Char(c),
        code => Code(code),
    };
    let modes: &[Mode] = match (screen.overlay, screen.focus) {
        (_, Focus::Prompt) => &[Mode::Prompt],
        (Overlay::Help { .. }, _) => &[Help, Mode::List],
        (Overlay::Problems { .. }, _) => &[Problems, Mode::List],
        (Overlay::Detections, _) => &[DetectionsView, Mode::List],
        (Overlay::Suspects, _) => &[SuspectsView, Mode::List],
        (Overlay::Overview, _) => &[OverviewView, Mode::List],
        (Overlay::Marks, _) => &[MarksView, Mode::List],
        (Overlay::Columns, _) => &[ColumnsView, Mode::List],
        (_, Focus::Detail) if screen.fold_prefix => &[Mode::FoldKey],
        (_, Focus::Filter) => &[Filter],
        (_, Focus::Detail) => &[Detail, Browse],
        (_, Focus::Timeline) => &[Browse],
    };
    // The first mode listed wins: the detail pane's `/` searches the event.
    let bound = modes.iter().find_map(|&mode| {
        KEYS.iter()
            .flat_map(|k| k.bindings)
            .find(|b| b.key == key && b.mode == mode)
    });
    match (bound, key) {
        (Some(binding), _) => Some((binding.action)()),
        (None, Char(c)) if modes == [Filter] => Some(Action::FilterChar(c)),
        // A count before a motion, as in vim and less (a leading 0 is no count).
        (None, Char(c @ '0'..='9')) if modes.contains(&Browse) => {
            let digit = c as u8 - b'0';
            (digit != 0 || screen.count.is_some()).then_some(Action::Count(digit))
        }
        (None, Char(c)) if modes == [Mode::Prompt] => {
            Some(Action::Verb(Verb::Prompt(PromptEdit::Char(c))))
        }
        _ => None,
    }
}

/// The status line's key hints, in their order.
pub fn hints(in_detail: bool) -> String {
    // A detail-only key's hint takes its place while the detail pane has the focus, and
    // leaves it to the other key's otherwise (`/` filters from the timeline and searches
    // the event from the detail pane).
    let detail_only = |k: &KeyHelp| k.bindings.iter().all(|b| b.mode == Detail);
    let place = |k: &KeyHelp| k.hint.map(|(at, _)| at);
    let shared = |k: &KeyHelp| {
        place(k).is_some() && KEYS.iter().any(|o| detail_only(o) && place(o) == place(k))
    };
    let mut hints: Vec<(u8, &str)> = KEYS
        .iter()
        .filter(|k| !shared(k) || detail_only(k) == in_detail)
        .filter_map(|k| k.hint)
        .collect();
    hints.sort_unstable();
    let texts: Vec<&str> = hints.into_iter().map(|(_, text)| text).collect();
    texts.join("  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        let all: Vec<&Binding> = KEYS.iter().flat_map(|k| k.bindings).collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[..i] {
                assert!(
                    !(a.key == b.key && a.mode == b.mode),
                    "{:?} is bound twice in {:?}",
                    a.key,
                    a.mode
                );
            }
        }
    }

    #[test]
    fn the_hint_for_slash_follows_the_focus() {
        assert!(hints(false).starts_with("/ filter  p principal"));
        assert!(hints(true).starts_with("/ search event  p principal"));
    }

    #[test]
    fn hints_come_from_the_table() {
        assert_eq!(
            hints(false),
            "/ filter  p principal  ]/[ step  S suspects  d detections  s summary  Tab focus  ? help  q quit"
        );
    }
}
