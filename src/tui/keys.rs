//! Every key of the explorer in one table: which keys, in which mode, do what. Key handling
//! (`keymap.rs`), the `?` help overlay and the status line's hints are all read from
//! [`KEYS`].

use super::line_editor::Edit;
use crossterm::event::KeyCode;

use super::action::Action;

/// When a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The timeline or the detail pane has the focus.
    Browse,
    /// Only while the detail pane has the focus.
    Detail,
    /// While the filter bar is edited.
    Filter,
    /// While the help overlay is open.
    Help,
    /// While the problems list is open.
    Problems,
    /// While the detections view is open.
    DetectionsView,
    /// The suspects view (`S`).
    SuspectsView,
    /// While the overview is open.
    OverviewView,
    /// While the marks list is open.
    MarksView,
    /// While the columns list is open.
    ColumnsView,
    /// While the one-line prompt is edited.
    Prompt,
    /// After `z` in the detail pane.
    FoldKey,
    /// Any list over the panes (after the list's own mode): moving and finding.
    List,
}

/// A key, as a binding names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    /// A letter with Alt (or typed after Esc, as terminals send it).
    Alt(char),
    Code(KeyCode),
}

/// One key in one mode and the action it makes.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub mode: Mode,
    pub key: Key,
    pub action: fn() -> Action,
}

/// A row of the help: the keys as shown, what they do, the bindings behind them, and the
/// status-line hint it contributes (its place among the hints, and the text).
#[derive(Debug, Clone, Copy)]
pub struct KeyHelp {
    pub keys: &'static str,
    pub what: &'static str,
    pub hint: Option<(u8, &'static str)>,
    pub bindings: &'static [Binding],
}

const fn bind(mode: Mode, key: Key, action: fn() -> Action) -> Binding {
    Binding { mode, key, action }
}

use super::action::Verb;
use super::fold::Fold;
use super::grid::ColumnEdit;
use super::prompt::PromptEdit;
use Key::{Alt, Char, Code, Ctrl};
use Mode::{
    Browse, ColumnsView, Detail, DetectionsView, Filter, FoldKey, Help, List, MarksView,
    OverviewView, Problems, SuspectsView,
};

/// Every key, in the order the help lists them.
pub const KEYS: &[KeyHelp] = &[
    KeyHelp {
        keys: "/",
        what: "edit the filter (live as you type)",
        hint: Some((0, "/ filter")),
        bindings: &[bind(Browse, Char('/'), || Action::EditFilter)],
    },
    KeyHelp {
        keys: "Enter / Esc",
        what: "keep / cancel the edited filter",
        hint: None,
        bindings: &[
            bind(Filter, Code(KeyCode::Enter), || Action::FilterAccept),
            bind(Filter, Code(KeyCode::Esc), || Action::FilterCancel),
        ],
    },
    KeyHelp {
        keys: "Tab (in filter)",
        what: "complete the selected suggestion (eventName, or a value)",
        hint: None,
        bindings: &[bind(Filter, Code(KeyCode::Tab), || Action::Complete)],
    },
    KeyHelp {
        keys: "↑ ↓ (in filter)",
        what: "earlier / later filters",
        hint: None,
        bindings: &[
            bind(Filter, Code(KeyCode::Up), || Action::FilterHistory(-1)),
            bind(Filter, Code(KeyCode::Down), || Action::FilterHistory(1)),
        ],
    },
    KeyHelp {
        keys: "Ctrl-N Ctrl-P (in filter)",
        what: "next / previous suggestion",
        hint: None,
        bindings: &[
            bind(Filter, Ctrl('n'), || Action::SuggestionMove(1)),
            bind(Filter, Ctrl('p'), || Action::SuggestionMove(-1)),
        ],
    },
    KeyHelp {
        keys: "Ctrl-W Ctrl-U Ctrl-K",
        what: "in filter or prompt: delete the word before / all before / all after",
        hint: None,
        bindings: &[
            bind(Filter, Ctrl('w'), || Action::FilterEdit(Edit::DeleteWord)),
            bind(Filter, Ctrl('u'), || {
                Action::FilterEdit(Edit::DeleteToStart)
            }),
            bind(Filter, Ctrl('k'), || Action::FilterEdit(Edit::DeleteToEnd)),
            bind(Mode::Prompt, Ctrl('w'), || {
                Action::Verb(Verb::Prompt(PromptEdit::DeleteWord))
            }),
            bind(Mode::Prompt, Ctrl('k'), || {
                Action::Verb(Verb::Prompt(PromptEdit::DeleteToEnd))
            }),
        ],
    },
    KeyHelp {
        keys: "Ctrl-A Ctrl-E Alt-B Alt-F",
        what: "in filter or prompt: line start / end, a word back / on",
        hint: None,
        bindings: &[
            bind(Filter, Ctrl('a'), || Action::FilterEdit(Edit::Home)),
            bind(Filter, Ctrl('e'), || Action::FilterEdit(Edit::End)),
            bind(Filter, Alt('b'), || Action::FilterEdit(Edit::WordLeft)),
            bind(Filter, Alt('f'), || Action::FilterEdit(Edit::WordRight)),
            bind(Mode::Prompt, Ctrl('a'), || {
                Action::Verb(Verb::Prompt(PromptEdit::Home))
            }),
            bind(Mode::Prompt, Ctrl('e'), || {
                Action::Verb(Verb::Prompt(PromptEdit::End))
            }),
            bind(Mode::Prompt, Alt('b'), || {
                Action::Verb(Verb::Prompt(PromptEdit::WordLeft))
            }),
            bind(Mode::Prompt, Alt('f'), || {
                Action::Verb(Verb::Prompt(PromptEdit::WordRight))
            }),
            bind(Mode::Prompt, Code(KeyCode::Delete), || {
                Action::Verb(Verb::Prompt(PromptEdit::Delete))
            }),
            bind(Filter, Code(KeyCode::Backspace), || {
                Action::FilterEdit(Edit::Backspace)
            }),
            bind(Filter, Code(KeyCode::Delete), || {
                Action::FilterEdit(Edit::Delete)
            }),
            bind(Filter, Code(KeyCode::Left), || {
                Action::FilterEdit(Edit::Left)
            }),
            bind(Filter, Code(KeyCode::Right), || {
                Action::FilterEdit(Edit::Right)
            }),
            bind(Filter, Code(KeyCode::Home), || {
                Action::FilterEdit(Edit::Home)
            }),
            bind(Filter, Code(KeyCode::End), || Action::FilterEdit(Edit::End)),
        ],
    },
    KeyHelp {
        keys: "j k  ↓ ↑",
        what: "next / previous event (lines in the detail pane)",
        hint: None,
        bindings: &[
            bind(Browse, Char('j'), || Action::Move(1)),
            bind(Browse, Code(KeyCode::Down), || Action::Move(1)),
            bind(Browse, Char('k'), || Action::Move(-1)),
            bind(Browse, Code(KeyCode::Up), || Action::Move(-1)),
        ],
    },
    KeyHelp {
        keys: "PgDn PgUp  Space b",
        what: "page down / up (also Ctrl-F Ctrl-B, Ctrl-D Ctrl-U)",
        hint: None,
        bindings: &[
            bind(Browse, Code(KeyCode::PageDown), || Action::Page(1)),
            bind(Browse, Code(KeyCode::PageUp), || Action::Page(-1)),
            bind(Browse, Ctrl('f'), || Action::Page(1)),
            bind(Browse, Ctrl('b'), || Action::Page(-1)),
            bind(Browse, Ctrl('d'), || Action::Page(1)),
            bind(Browse, Ctrl('u'), || Action::Page(-1)),
            bind(Browse, Char(' '), || Action::Page(1)),
            bind(Browse, Char('b'), || Action::Page(-1)),
        ],
    },
    KeyHelp {
        keys: "g G  Home End",
        what: "first / last event (line, in the detail pane)",
        hint: None,
        bindings: &[
            bind(Browse, Char('g'), || Action::Top),
            bind(Browse, Code(KeyCode::Home), || Action::Top),
            bind(Browse, Char('G'), || Action::Bottom),
            bind(Browse, Code(KeyCode::End), || Action::Bottom),
        ],
    },
    KeyHelp {
        keys: "F",
        what: "stay on the newest event as more arrive (as --follow starts)",
        hint: None,
        bindings: &[bind(Browse, Char('F'), || Action::StickToNewest)],
    },
    KeyHelp {
        keys: "5j 10} 25G",
        what: "count first: j k PgDn PgUp ] [ } { e E u U that often; 25G: event 25",
        hint: None,
        // The digits are read by key handling (`keymap.rs`) before any binding.
        bindings: &[],
    },
    KeyHelp {
        keys: "Tab",
        what: "switch focus between timeline and detail",
        hint: Some((4, "Tab focus")),
        bindings: &[
            bind(Browse, Code(KeyCode::Tab), || Action::ToggleFocus),
            bind(Browse, Code(KeyCode::BackTab), || Action::ToggleFocus),
        ],
    },
    KeyHelp {
        keys: "p",
        what: "filter to the selected event's principal",
        hint: Some((1, "p principal")),
        bindings: &[bind(Browse, Char('p'), || Action::FilterPrincipal)],
    },
    KeyHelp {
        keys: "P",
        what: "filter to the chain's origin: what it did through every role hop",
        hint: None,
        bindings: &[bind(Browse, Char('P'), || Action::FilterOrigin)],
    },
    KeyHelp {
        keys: "o",
        what: "go to the event that issued this event's credentials (AssumeRole…)",
        hint: None,
        bindings: &[bind(Browse, Char('o'), || Action::GoToIssuer)],
    },
    KeyHelp {
        keys: "Ctrl-O  `",
        what: "back to where you were before a jump / forward again (Ctrl-I is Tab)",
        hint: None,
        bindings: &[
            bind(Browse, Ctrl('o'), || Action::JumpBack),
            bind(Browse, Char('`'), || Action::JumpForward),
        ],
    },
    KeyHelp {
        keys: "] [",
        what: "next / previous event of the same principal (after P: the same origin)",
        hint: Some((2, "]/[ step")),
        bindings: &[
            bind(Browse, Char(']'), || Action::StepPrincipal(1)),
            bind(Browse, Char('['), || Action::StepPrincipal(-1)),
        ],
    },
    KeyHelp {
        keys: "} {",
        what: "next / previous event a detection rule hits (at the chosen level)",
        hint: None,
        bindings: &[
            bind(Browse, Char('}'), || Action::StepHit(1)),
            bind(Browse, Char('{'), || Action::StepHit(-1)),
        ],
    },
    KeyHelp {
        keys: "L",
        what: "the level } and { stop at: high, medium, low, info, critical",
        hint: None,
        bindings: &[bind(Browse, Char('L'), || Action::CycleLevel)],
    },
    KeyHelp {
        keys: "d",
        what: "detections: rules hit among the events shown (a: all); Enter filters",
        hint: Some((3, "d detections")),
        bindings: &[
            bind(Browse, Char('d'), || Action::ToggleDetections),
            bind(DetectionsView, Char('d'), || Action::ToggleDetections),
            bind(DetectionsView, Char('q'), || Action::ToggleDetections),
            bind(DetectionsView, Code(KeyCode::Esc), || {
                Action::ToggleDetections
            }),
            bind(DetectionsView, Code(KeyCode::Enter), || {
                Action::DetectionsChoose
            }),
            bind(DetectionsView, Char('a'), || Action::DetectionsScope),
        ],
    },
    KeyHelp {
        keys: "S",
        what: "suspects: the chains' origins, most suspicious first, with the reasons; Enter filters",
        hint: Some((3, "S suspects")),
        bindings: &[
            bind(Browse, Char('S'), || Action::ToggleSuspects),
            bind(SuspectsView, Char('S'), || Action::ToggleSuspects),
            bind(SuspectsView, Char('q'), || Action::ToggleSuspects),
            bind(SuspectsView, Code(KeyCode::Esc), || Action::ToggleSuspects),
            bind(SuspectsView, Code(KeyCode::Enter), || Action::SuspectsChoose),
        ],
    },
    KeyHelp {
        keys: "x  X",
        what: "mute in this case: x the rule selected in d, X the event's rule for its principal; again unmutes",
        hint: None,
        bindings: &[
            bind(DetectionsView, Char('x'), || Action::MuteRule),
            bind(Browse, Char('X'), || Action::MuteForPrincipal),
            bind(Detail, Char('X'), || Action::MuteForPrincipal),
        ],
    },
    KeyHelp {
        keys: "s",
        what: "summary of the result: top values per field; Enter filters, x excludes",
        hint: Some((3, "s summary")),
        bindings: &[
            bind(Browse, Char('s'), || Action::ToggleOverview),
            bind(OverviewView, Char('s'), || Action::ToggleOverview),
            bind(OverviewView, Char('q'), || Action::ToggleOverview),
            bind(OverviewView, Code(KeyCode::Esc), || Action::ToggleOverview),
            bind(OverviewView, Code(KeyCode::Enter), || {
                Action::OverviewChoose { exclude: false }
            }),
            bind(OverviewView, Char('x'), || Action::OverviewChoose {
                exclude: true,
            }),
        ],
    },
    KeyHelp {
        keys: "j k ↓ ↑  g G  Home End  PgDn PgUp  / n N (lists)",
        what: "in a list (help, problems, d, s, M, c): a row, the first / last, a page; find a row by its text, the next / previous",
        hint: None,
        bindings: &[
            bind(List, Char('j'), || Action::ListMove(1)),
            bind(List, Code(KeyCode::Down), || Action::ListMove(1)),
            bind(List, Char('k'), || Action::ListMove(-1)),
            bind(List, Code(KeyCode::Up), || Action::ListMove(-1)),
            bind(List, Char('g'), || Action::ListMove(-(1 << 40))),
            bind(List, Code(KeyCode::Home), || Action::ListMove(-(1 << 40))),
            bind(List, Char('G'), || Action::ListMove(1 << 40)),
            bind(List, Code(KeyCode::End), || Action::ListMove(1 << 40)),
            bind(List, Code(KeyCode::PageDown), || Action::OverlayPage(1)),
            bind(List, Code(KeyCode::PageUp), || Action::OverlayPage(-1)),
            bind(List, Char('/'), || Action::OverlayFind),
            bind(List, Char('n'), || Action::OverlayFindStep(1)),
            bind(List, Char('N'), || Action::OverlayFindStep(-1)),
        ],
    },
    KeyHelp {
        keys: "< > =",
        what: "the detail pane wider / narrower (= fitted to the events again; kept in the case)",
        hint: None,
        bindings: &[
            bind(Browse, Char('<'), || Action::ResizeDetail(4)),
            bind(Browse, Char('>'), || Action::ResizeDetail(-4)),
            bind(Browse, Char('='), || Action::ResizeDetail(0)),
        ],
    },
    KeyHelp {
        keys: "c  :columns",
        what: "the timeline's columns: Space shows/hides, J K move, < > width (= auto), s sorts, r resets",
        hint: None,
        bindings: &[
            bind(Browse, Char('c'), || Action::ToggleColumns),
            bind(ColumnsView, Char('c'), || Action::ToggleColumns),
            bind(ColumnsView, Char('q'), || Action::ToggleColumns),
            bind(ColumnsView, Code(KeyCode::Esc), || Action::ToggleColumns),
            bind(ColumnsView, Code(KeyCode::Enter), || Action::ToggleColumns),
            bind(ColumnsView, Char(' '), || Action::Columns(ColumnEdit::Toggle)),
            bind(ColumnsView, Char('J'), || Action::Columns(ColumnEdit::Shift(1))),
            bind(ColumnsView, Char('K'), || Action::Columns(ColumnEdit::Shift(-1))),
            bind(ColumnsView, Char('<'), || Action::Columns(ColumnEdit::Resize(-2))),
            bind(ColumnsView, Char('>'), || Action::Columns(ColumnEdit::Resize(2))),
            bind(ColumnsView, Char('='), || Action::Columns(ColumnEdit::Auto)),
            bind(ColumnsView, Char('s'), || Action::Columns(ColumnEdit::Sort)),
            bind(ColumnsView, Char('r'), || Action::Columns(ColumnEdit::Reset)),
        ],
    },
    KeyHelp {
        keys: "+",
        what: "mark (+) a principal's first address, agent, region, key, account",
        hint: None,
        bindings: &[bind(Browse, Char('+'), || Action::ToggleNewMarks)],
    },
    KeyHelp {
        keys: "m  u U",
        what: "mark / unmark the event; next / previous mark",
        hint: None,
        bindings: &[
            bind(Browse, Char('m'), || Action::Verb(Verb::ToggleMark)),
            bind(Browse, Char('u'), || Action::Verb(Verb::StepMark(1))),
            bind(Browse, Char('U'), || Action::Verb(Verb::StepMark(-1))),
        ],
    },
    KeyHelp {
        keys: "a  M",
        what: "note on the event (marks it) / the marks list (Enter goes to one)",
        hint: None,
        bindings: &[
            bind(Browse, Char('a'), || Action::Verb(Verb::Note)),
            bind(Browse, Char('M'), || Action::Verb(Verb::ToggleMarks)),
            bind(MarksView, Char('M'), || Action::Verb(Verb::ToggleMarks)),
            bind(MarksView, Char('q'), || Action::Verb(Verb::ToggleMarks)),
            bind(MarksView, Code(KeyCode::Esc), || {
                Action::Verb(Verb::ToggleMarks)
            }),
            bind(MarksView, Code(KeyCode::Enter), || {
                Action::Verb(Verb::MarksChoose)
            }),
        ],
    },
    KeyHelp {
        keys: "/ (detail)",
        what: "search the event's text",
        hint: Some((0, "/ search event")),
        bindings: &[bind(Detail, Char('/'), || Action::Verb(Verb::Search))],
    },
    KeyHelp {
        keys: "n N",
        what: "next / previous hit of the search, on to the next event with it",
        hint: None,
        bindings: &[
            bind(Browse, Char('n'), || Action::Verb(Verb::SearchStep(1))),
            bind(Browse, Char('N'), || Action::Verb(Verb::SearchStep(-1))),
        ],
    },
    KeyHelp {
        keys: "e E",
        what: "next / previous event that failed (an errorCode)",
        hint: None,
        bindings: &[
            bind(Browse, Char('e'), || Action::Verb(Verb::StepError(1))),
            bind(Browse, Char('E'), || Action::Verb(Verb::StepError(-1))),
        ],
    },
    KeyHelp {
        keys: "y  Y (detail)",
        what: "copy the event's JSON (the line's value; Y its field:value): OSC 52, and tmux's buffer or a file",
        hint: None,
        bindings: &[
            bind(Browse, Char('y'), || {
                Action::Verb(Verb::Copy { term: false })
            }),
            bind(Detail, Char('Y'), || {
                Action::Verb(Verb::Copy { term: true })
            }),
        ],
    },
    KeyHelp {
        keys: "t  :",
        what: "go to a time (a date, -2h) / commands: goto, write, write-marks, note, columns, sort, set, path, q",
        hint: None,
        bindings: &[
            bind(Browse, Char('t'), || Action::Verb(Verb::Command("goto "))),
            bind(Browse, Char(':'), || Action::Verb(Verb::Command(""))),
            bind(Mode::Prompt, Code(KeyCode::Enter), || {
                Action::Verb(Verb::PromptAccept)
            }),
            bind(Mode::Prompt, Code(KeyCode::Esc), || {
                Action::Verb(Verb::PromptCancel)
            }),
            bind(Mode::Prompt, Code(KeyCode::Backspace), || {
                Action::Verb(Verb::Prompt(PromptEdit::Backspace))
            }),
            bind(Mode::Prompt, Code(KeyCode::Left), || {
                Action::Verb(Verb::Prompt(PromptEdit::Left))
            }),
            bind(Mode::Prompt, Code(KeyCode::Right), || {
                Action::Verb(Verb::Prompt(PromptEdit::Right))
            }),
            bind(Mode::Prompt, Code(KeyCode::Home), || {
                Action::Verb(Verb::Prompt(PromptEdit::Home))
            }),
            bind(Mode::Prompt, Code(KeyCode::End), || {
                Action::Verb(Verb::Prompt(PromptEdit::End))
            }),
            bind(Mode::Prompt, Ctrl('u'), || {
                Action::Verb(Verb::Prompt(PromptEdit::DeleteToStart))
            }),
        ],
    },
    KeyHelp {
        keys: "f x F (detail)",
        what: "add field:value / -field:value of the line (F: it alone)",
        hint: None,
        bindings: &[
            bind(Detail, Char('f'), || Action::Pivot { exclude: false }),
            bind(Detail, Char('x'), || Action::Pivot { exclude: true }),
            bind(Detail, Char('F'), || Action::PivotOnly),
        ],
    },
    KeyHelp {
        keys: "w  ← → (detail)",
        what: "wrap long lines / scroll sideways with wrapping off",
        hint: None,
        bindings: &[
            bind(Detail, Char('w'), || Action::ToggleWrap),
            bind(Detail, Code(KeyCode::Left), || Action::Sideways(-8)),
            bind(Detail, Code(KeyCode::Right), || Action::Sideways(8)),
        ],
    },
    KeyHelp {
        keys: "h l, zc zo zM zR (detail)",
        what: "fold the object or array at (or around) the line / unfold it; fold all / none",
        hint: None,
        bindings: &[
            bind(Detail, Char('h'), || Action::Fold(Fold::Close)),
            bind(Detail, Char('l'), || Action::Fold(Fold::Open)),
            bind(Detail, Char('z'), || Action::FoldPrefix),
            bind(FoldKey, Char('c'), || Action::Fold(Fold::Close)),
            bind(FoldKey, Char('o'), || Action::Fold(Fold::Open)),
            bind(FoldKey, Char('M'), || Action::Fold(Fold::CloseAll)),
            bind(FoldKey, Char('R'), || Action::Fold(Fold::OpenAll)),
        ],
    },
    KeyHelp {
        keys: "r (detail)",
        what: "JSON held in strings: decoded / raw as logged",
        hint: None,
        bindings: &[bind(Detail, Char('r'), || Action::ToggleRaw)],
    },
    KeyHelp {
        keys: "marks",
        what: "gutter: C H M L i the most severe rule an event hits (critical … informational), * marked, + a first use; histogram: ▼ critical, ▾ high, * marked",
        hint: None,
        bindings: &[],
    },
    KeyHelp {
        keys: "mouse",
        what: "click selects a row, the wheel scrolls the pane under it",
        hint: None,
        bindings: &[],
    },
    KeyHelp {
        keys: "?",
        what: "show / hide this help (q and Esc close it too)",
        hint: Some((5, "? help")),
        bindings: &[
            bind(Browse, Char('?'), || Action::ToggleHelp),
            bind(Help, Char('?'), || Action::ToggleHelp),
            bind(Help, Code(KeyCode::Esc), || Action::ToggleHelp),
            bind(Help, Char('q'), || Action::ToggleHelp),
        ],
    },
    KeyHelp {
        keys: "!",
        what: "the problems of the load: each input, line:column, what (q, Esc close)",
        hint: None,
        bindings: &[
            bind(Browse, Char('!'), || Action::ToggleProblems),
            bind(Problems, Char('!'), || Action::ToggleProblems),
            bind(Problems, Char('q'), || Action::ToggleProblems),
            bind(Problems, Code(KeyCode::Esc), || Action::ToggleProblems),
        ],
    },
    KeyHelp {
        keys: "Ctrl-Z",
        what: "suspend to the shell (fg comes back)",
        hint: None,
        bindings: &[],
    },
    KeyHelp {
        keys: "q  Ctrl-C",
        what: "quit (Ctrl-C in the filter bar cancels the edit)",
        hint: Some((6, "q quit")),
        bindings: &[bind(Browse, Char('q'), || Action::Quit)],
    },
];
