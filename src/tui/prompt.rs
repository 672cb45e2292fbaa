//! The one-line prompt under the filter bar's frame: a note for the selected event (`a`),
//! a search inside the event (`/` in the detail pane), and commands (`:`): `goto TIME`
//! (also `t`), `write FILE` (the result), `write-marks FILE`, `note TEXT`.

use super::effect::{say, Ctx, Effect, Effects, MarksChange};
use super::focus::{Focus, Overlay};
use super::line_editor::{Edit, LineEditor};
use crate::text::sanitize;

pub use super::effect::PromptKind;
/// The prompt's edits: the filter bar's.
pub use super::line_editor::Edit as PromptEdit;

/// The prompt's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptMsg {
    Edit(Edit),
    Accept,
    Cancel,
}

/// The prompt being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub line: LineEditor,
    /// The focus to return to.
    pub from: Focus,
}

impl Prompt {
    /// A prompt of `kind` holding `text`, opened from the pane `from`.
    pub fn open(kind: PromptKind, text: String, from: Focus) -> Prompt {
        let from = match from {
            Focus::Prompt => Focus::Timeline,
            focus => focus,
        };
        Prompt {
            kind,
            line: LineEditor::new(text),
            from,
        }
    }

    pub fn label(&self) -> &'static str {
        match self.kind {
            PromptKind::Note => "note: ",
            PromptKind::Search => "search: ",
            PromptKind::Find => "find: ",
            PromptKind::Command => ":",
        }
    }

    /// Applies `msg`; `None` once the prompt is closed (the focus goes back).
    pub fn update(mut self, ctx: &Ctx, msg: PromptMsg) -> (Option<Prompt>, Effects) {
        match msg {
            PromptMsg::Edit(edit) => {
                self.line.edit(edit);
                (Some(self), Vec::new())
            }
            PromptMsg::Cancel => (None, vec![Effect::Focus(self.from)]),
            PromptMsg::Accept => {
                let mut effects = vec![Effect::Focus(self.from)];
                let text = self.line.text.trim().to_string();
                effects.extend(match self.kind {
                    PromptKind::Note => note(ctx, text),
                    PromptKind::Search => vec![Effect::Search(text)],
                    PromptKind::Find => vec![Effect::Find(text)],
                    PromptKind::Command => command(ctx, &text),
                });
                (None, effects)
            }
        }
    }
}

/// The note of the selected event (marking it); an empty note removes the note only.
fn note(ctx: &Ctx, note: String) -> Effects {
    let Some(row) = ctx.selected() else {
        return Vec::new();
    };
    let note: String = note.chars().filter(|c| !c.is_control()).collect();
    // A long note is said by its start: the status line shows no more.
    let start: String = note.chars().take(120).collect();
    let said = match note.len() > start.len() {
        _ if note.is_empty() => "note removed (the event stays marked)".to_string(),
        true => format!("noted: {}…", sanitize(&start)),
        false => format!("noted: {}", sanitize(&start)),
    };
    vec![
        Effect::Marks(MarksChange::Note(row, note)),
        Effect::Say(said),
    ]
}

/// A `:` command.
fn command(ctx: &Ctx, text: &str) -> Effects {
    let (verb, rest) = text.split_once(' ').unwrap_or((text, ""));
    let rest = rest.trim();
    let export = |marks, replace| {
        vec![Effect::Export {
            file: rest.to_string(),
            marks,
            replace,
        }]
    };
    match verb {
        "goto" | "go" | "g" | "t" => vec![Effect::GoToTime(rest.to_string())],
        "write" | "w" => export(false, false),
        "write!" | "w!" => export(false, true),
        "write-marks" | "wm" => export(true, false),
        "write-marks!" | "wm!" => export(true, true),
        "note" => note(ctx, rest.to_string()),
        // As in vim: `:q` quits as `q` does (asking once when notes would be lost), `:q!`
        // without asking.
        "path" | "p" => vec![Effect::Path(rest.to_string())],
        "columns" | "cols" if rest.is_empty() => vec![Effect::Overlay(Overlay::Columns)],
        "columns" | "cols" | "sort" => vec![Effect::Set(verb.replace("cols", "columns"), rest.into())],
        "set" => {
            let (name, value) = rest.split_once(['=', ' ']).unwrap_or((rest, ""));
            match name {
                "nowrap" => vec![Effect::Set("wrap".into(), "off".into())],
                _ => vec![Effect::Set(name.into(), value.trim().into())],
            }
        }
        "q" | "quit" => vec![Effect::Quit { force: false }],
        "q!" | "quit!" => vec![Effect::Quit { force: true }],
        "" => Vec::new(),
        other => say(format!(
            "unknown command `{}`: goto TIME, write[!] FILE, write-marks[!] FILE, note TEXT, columns, sort FIELD, set OPTION=VALUE, q[!]",
            sanitize(other)
        )),
    }
}
