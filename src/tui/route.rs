//! Which part of the explorer an action concerns, and that part's message for it, by the
//! pane that has the keyboard and the overlay open. What no one part owns (focus, the
//! overlays `App` opens and closes, jumps, filters made from the selected event, worker
//! results) is left to `App`.

use super::action::{Action, Verb};
use super::detail::DetailMsg;
use super::detections::DetectionsMsg;
use super::filter_bar::{message_of, FilterMsg};
use super::focus::{Focus, Overlay, Screen};
use super::marks::MarksMsg;
use super::overview::OverviewMsg;
use super::prompt::PromptMsg;
use super::timeline::TimelineMsg;

/// Where an action goes.
#[derive(Debug)]
pub enum Route {
    Timeline(TimelineMsg),
    Detail(DetailMsg),
    /// An edit of the filter bar's text (it ends principal stepping).
    Filter(FilterMsg),
    Marks(MarksMsg),
    Detections(DetectionsMsg),
    Overview(OverviewMsg),
    Prompt(PromptMsg),
    /// `App`'s own.
    App(Action),
}

/// Where `action` goes on `screen`.
pub fn route(action: Action, screen: &Screen) -> Route {
    use Route::{Detail, Detections, Overview, Timeline};
    let in_detail = screen.focus == Focus::Detail;
    let overlay = screen.overlay;
    match action {
        Action::Move(n) if in_detail => Detail(DetailMsg::Move(n)),
        Action::Move(n) => Timeline(TimelineMsg::Move(n)),
        Action::Page(n) if in_detail => Detail(DetailMsg::Page(n)),
        Action::Page(n) => Timeline(TimelineMsg::Page(n)),
        Action::Top if in_detail => Detail(DetailMsg::Top),
        Action::Bottom if in_detail => Detail(DetailMsg::Bottom),
        Action::Top => Timeline(TimelineMsg::Top),
        Action::Bottom => Timeline(TimelineMsg::Bottom),
        Action::Wheel { column, down } => {
            let n = if down { 3 } else { -3 };
            if screen.geometry.in_detail(column) || in_detail {
                Detail(DetailMsg::Move(n))
            } else {
                Timeline(TimelineMsg::Move(n))
            }
        }
        Action::DetailMove(n) => Detail(DetailMsg::Move(n)),
        Action::ToggleWrap => Detail(DetailMsg::Wrap),
        Action::ToggleRaw => Detail(DetailMsg::Raw),
        Action::Sideways(n) => Detail(DetailMsg::Sideways(n)),
        Action::Fold(fold) => Detail(DetailMsg::Fold(fold)),
        Action::ToggleNewMarks => Timeline(TimelineMsg::ToggleNewMarks),
        Action::StickToNewest => Timeline(TimelineMsg::StickToNewest),
        Action::Columns(edit) => Timeline(TimelineMsg::Columns(edit)),
        Action::StepPrincipal(n) => Timeline(TimelineMsg::Step(n)),
        Action::ToggleOverview if overlay != Overlay::Overview => Overview(OverviewMsg::Open),
        Action::OverviewMove(n) => Overview(OverviewMsg::Move(n)),
        Action::OverviewChoose { exclude } => Overview(OverviewMsg::Choose { exclude }),
        Action::ToggleDetections if overlay != Overlay::Detections => {
            Detections(DetectionsMsg::Open)
        }
        Action::DetectionsMove(n) => Detections(DetectionsMsg::Move(n)),
        Action::DetectionsChoose => Detections(DetectionsMsg::Choose),
        Action::DetectionsScope if overlay == Overlay::Detections => {
            Detections(DetectionsMsg::Scope)
        }
        Action::MuteRule if overlay == Overlay::Detections => Detections(DetectionsMsg::Mute),
        Action::ToggleSuspects if overlay != Overlay::Suspects => {
            Detections(DetectionsMsg::OpenSuspects)
        }
        Action::SuspectsMove(n) => Detections(DetectionsMsg::SuspectsMove(n)),
        Action::SuspectsChoose => Detections(DetectionsMsg::SuspectsChoose),
        Action::MuteForPrincipal => Detections(DetectionsMsg::MuteForPrincipal),
        Action::StepHit(n) => Detections(DetectionsMsg::StepHit(n)),
        Action::CycleLevel => Detections(DetectionsMsg::CycleLevel),
        Action::Verb(verb) => verb_route(verb, overlay),
        action => match message_of(&action) {
            Some(msg) => Route::Filter(msg),
            None => Route::App(action),
        },
    }
}

/// Where one of the investigator's verbs goes.
fn verb_route(verb: Verb, overlay: Overlay) -> Route {
    use Route::{Detail, Marks, Prompt, Timeline};
    match verb {
        Verb::ToggleMark => Marks(MarksMsg::Toggle),
        Verb::StepMark(n) => Marks(MarksMsg::Step(n)),
        Verb::ToggleMarks if overlay != Overlay::Marks => Marks(MarksMsg::List),
        Verb::MarksMove(n) => Marks(MarksMsg::ListMove(n)),
        Verb::MarksChoose => Marks(MarksMsg::ListChoose),
        Verb::Note => Marks(MarksMsg::Note),
        Verb::SearchStep(n) => Detail(DetailMsg::SearchStep(n)),
        Verb::Copy { term } => Detail(DetailMsg::Copy { term }),
        Verb::StepError(n) => Timeline(TimelineMsg::StepError(n)),
        Verb::Prompt(edit) => Prompt(PromptMsg::Edit(edit)),
        Verb::PromptAccept => Prompt(PromptMsg::Accept),
        Verb::PromptCancel => Prompt(PromptMsg::Cancel),
        verb => Route::App(Action::Verb(verb)),
    }
}
