//! The explorer's state and the one place it changes. `App` holds the parts — the filter
//! bar, the timeline, the detail pane, marks and the case, detections, the overview, the
//! prompt, the jumps — and [`App::update`] routes each [`Action`] to the part it concerns.
//! A part changes its own state and returns [`Effect`]s, values that `App` carries out
//! here. Slow work is not done here: requests go back to the event loop, which hands them
//! to worker threads (or a test runs them inline), and the results come back as actions
//! tagged with what they were made for, so stale ones are dropped.

use std::collections::VecDeque;
use std::sync::Arc;

pub use super::action::{Action, Request, Verb};
use super::action::{Arrival, Carry, CaseSave};
use super::detail::{DetailMsg, DetailPane};
use super::detections::{Detections, DetectionsMsg};
use super::effect::{say, Ctx, Effect, Effects, MarksChange};
use super::filter_bar::{add_term, FilterBar, FilterMsg};
use super::jumps::{Jumps, Place};
use super::layout::Geometry;
use super::marks::{Marks, RestoredCase};
use super::navigate;
use super::options::{self, Setting};
use super::overview::{OverviewMsg, OverviewPart};
use super::prompt::{Prompt, PromptMsg};
pub use super::requests::run_request;
use super::route::{route, Route};
pub use super::status::{LoadSummary, Status};
use super::timeline::{Follow, Timeline, TimelineMsg};
use crate::query::term_text;
use crate::schema::pivot_field;
use crate::store::{Session, Store};

pub use super::focus::{Focus, Overlay, Screen};

/// The explorer's whole state.
pub struct App {
    pub store: Arc<Store>,
    /// Marks, notes and detection hits: replaced, never changed where a worker reads it.
    pub session: Arc<Session>,
    pub status: Status,
    pub screen: Screen,
    pub filter: FilterBar,
    pub timeline: Timeline,
    pub detail: DetailPane,
    pub detections: Detections,
    pub marks: Marks,
    /// The prompt being edited.
    pub prompt: Option<Prompt>,
    pub overview: OverviewPart,
    /// The places Ctrl-O / Ctrl-I walk through.
    pub jumps: Jumps,
}

impl App {
    pub fn new(filter: String, demo: bool) -> App {
        App {
            store: Arc::new(Store::empty()),
            session: Arc::new(Session::default()),
            status: Status {
                loading: true,
                demo,
                ..Status::default()
            },
            screen: Screen::default(),
            filter: FilterBar::new(filter),
            timeline: Timeline::default(),
            detail: DetailPane::default(),
            detections: Detections::default(),
            marks: Marks::default(),
            prompt: None,
            overview: OverviewPart::default(),
            jumps: Jumps::default(),
        }
    }

    /// Runs `rules` over the index once it is loaded; the ones that cannot run join the
    /// problems list.
    pub fn with_rules(mut self, rules: crate::detect::RuleSet) -> App {
        self.detections.rules = Arc::new(rules);
        self
    }

    /// Keeps a case file at `path` for these inputs (restored once the load is done).
    pub fn with_case(mut self, path: std::path::PathBuf, inputs: Vec<String>) -> App {
        self.marks = Marks::with_case(path, inputs);
        self
    }

    /// Follows the trail's folders: the status counts what arrives.
    pub fn following(mut self) -> App {
        self.status.summary.arrived = Some(0);
        // As `tail -f` and less's F: the newest event stays selected until a motion.
        self.timeline.sticky = true;
        self
    }

    /// The selected event's row in the store.
    pub fn selected_row(&self) -> Option<u32> {
        self.timeline.selected_row()
    }

    /// What the detail pane highlights: the search, else the filter's quoted phrases.
    pub fn highlights(&self) -> &[String] {
        match &self.detail.search {
            Some(text) => std::slice::from_ref(text),
            None => &self.filter.phrases,
        }
    }

    /// Applies an action and runs the work it asks for at once, on this thread, as the
    /// event loop does through its workers: for tests, benches and the screenshot tool.
    pub fn apply(&mut self, action: Action) {
        let mut queue = VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            for request in self.update(action) {
                let store = Arc::clone(&self.store);
                queue.extend(run_request(&store, request, &|| false));
            }
        }
    }

    /// [`Action::Layout`] applied with the derived work done at once (tests, the screenshot
    /// tool, benches).
    pub fn prepare(&mut self, area: ratatui::layout::Rect) {
        self.apply(Action::Layout(area));
    }

    /// Applies one action; returns the work it asks for.
    pub fn update(&mut self, action: Action) -> Vec<Request> {
        let quit_asked = self.status.quit_asked;
        if !action.from_a_worker() {
            self.status.message = None;
            self.status.quit_asked = false;
        }
        let closing = matches!(
            action,
            Action::ToggleOverview | Action::ToggleDetections | Action::ToggleSuspects
        ) && self.screen.overlay != Overlay::None;
        if self.filter.filtering && action.acts_on_the_result() && !closing {
            // The screen still shows the last result: acting on it would be acting on
            // events the new filter may not hold.
            self.status.message = Some(
                "filtering…: this acts on the result, once it shows (press it again then)".into(),
            );
            return Vec::new();
        }
        if action.from_a_worker() {
            let effects = self.result(action);
            return self.carry_out(effects);
        }
        if let Action::Count(digit) = action {
            self.status.message = Some(self.screen.count_digit(digit).to_string());
            return Vec::new();
        }
        // `z` waits for the fold key after it (`zc`, `zo`, `zM`, `zR`); any other key ends it.
        self.screen.fold_prefix = matches!(action, Action::FoldPrefix);
        if self.screen.fold_prefix {
            self.status.message = Some("z: c folds, o unfolds, M folds all, R unfolds all".into());
            return Vec::new();
        }
        // A count applies to the key after it, and only to that one.
        let actions = match self.screen.count.take() {
            Some(count) => action.counted(count),
            None => vec![action],
        };
        let mut requests = Vec::new();
        for action in actions {
            if action.moves_the_selection() {
                self.timeline.sticky = false;
            }
            let effects = match action {
                Action::Quit | Action::Hangup => {
                    self.quit(matches!(action, Action::Hangup), quit_asked)
                }
                action => self.key(action),
            };
            requests.extend(self.carry_out(effects));
        }
        requests
    }

    /// A read-only view for the parts' updates.
    fn ctx(&self) -> Ctx {
        Ctx {
            store: Arc::clone(&self.store),
            session: Arc::clone(&self.session),
            rows: Arc::clone(&self.timeline.rows),
            index: self.timeline.selected,
            filter: self.filter.applied.clone(),
            focus: self.screen.focus,
            loading: self.status.loading,
            load: self.status.load,
        }
    }

    /// `q`: leaves (saving the case), unless notes would be lost: then the next `q` does.
    fn quit(&mut self, hangup: bool, asked: bool) -> Effects {
        let notes = self
            .session
            .marks()
            .values()
            .filter(|n| !n.is_empty())
            .count();
        if self.marks.case.is_none() && notes > 0 && !asked && !hangup {
            self.status.quit_asked = true;
            return vec![Effect::Say(format!(
                "{} in no case file: :write-marks FILE saves them; q again (or :q!) quits",
                crate::text::count(notes, "note")
            ))];
        }
        self.status.quit = true;
        self.save_case().map(Effect::Work).into_iter().collect()
    }

    /// A key's (or the mouse's) action: to the part it concerns, else `App`'s own.
    fn key(&mut self, action: Action) -> Effects {
        let ctx = self.ctx();
        match route(action, &self.screen) {
            Route::Timeline(msg) => self.timeline.update(&ctx, msg),
            Route::Detail(msg) => self.detail.update(&ctx, msg),
            Route::Filter(msg) => {
                self.timeline.stepping = None;
                self.filter.update(&ctx, msg)
            }
            Route::Marks(msg) => self.marks.update(&ctx, msg),
            Route::Detections(msg) => self.detections.update(&ctx, msg),
            Route::Overview(msg) => self.overview.update(&ctx, msg),
            Route::Prompt(msg) => self.prompt_update(&ctx, msg),
            Route::App(action) => self.own_key(&ctx, action),
        }
    }

    /// The keys no one part owns: focus, the filter bar's focus, jumps, filters from the
    /// selected event, the overlays `App` opens and closes, the prompt opened.
    fn own_key(&mut self, ctx: &Ctx, action: Action) -> Effects {
        use super::effect::PromptKind;
        match action {
            Action::Click { column, row } => self.click(ctx, column, row),
            Action::ToggleFocus => {
                self.screen.focus = match self.screen.focus {
                    Focus::Timeline => Focus::Detail,
                    _ => Focus::Timeline,
                };
                Vec::new()
            }
            Action::EditFilter => {
                let here = (self.screen.focus != Focus::Filter).then(|| self.here());
                if here.is_some() {
                    self.screen.focus_before_filter = self.screen.focus;
                }
                self.screen.focus = Focus::Filter;
                self.filter.update(ctx, FilterMsg::Begin(here))
            }
            Action::FilterAccept | Action::FilterCancel => {
                self.screen.focus = self.screen.focus_before_filter;
                let msg = match action {
                    Action::FilterAccept => FilterMsg::Accept,
                    _ => FilterMsg::Cancel,
                };
                self.filter.update(ctx, msg)
            }
            Action::FilterPrincipal => self.jump_filter(ctx, Follow::Principal),
            Action::FilterOrigin => self.jump_filter(ctx, Follow::Origin),
            Action::GoToIssuer => self.go_to_issuer(ctx),
            Action::JumpBack => match self.jumps.back(self.here()) {
                Some(place) => self.go_to(place),
                None => vec![Effect::Say("no earlier place (Ctrl-O)".into())],
            },
            Action::JumpForward => match self.jumps.forward() {
                Some(place) => self.go_to(place),
                None => vec![Effect::Say("no later place (Ctrl-I)".into())],
            },
            Action::Pivot { exclude } => self.pivot(exclude, false),
            Action::PivotOnly => self.pivot(false, true),
            Action::ToggleHelp => self.toggle(Overlay::Help { offset: 0 }),
            Action::ToggleProblems => self.toggle(Overlay::Problems { offset: 0 }),
            Action::OverlayFind => vec![Effect::Prompt(PromptKind::Find, String::new())],
            Action::OverlayFindStep(direction) => self.find_in_overlay(direction),
            Action::ListMove(n) => match self.overlay_list() {
                Some(list) => self.key((list.move_by)(n)),
                None => Vec::new(),
            },
            Action::OverlayPage(n) => match self.overlay_list() {
                Some(list) => {
                    let page = self.screen.geometry.status.y.saturating_sub(4).max(1);
                    self.key((list.move_by)(n * page as isize))
                }
                None => Vec::new(),
            },
            Action::ResizeDetail(n) => {
                let (set, said) = self.screen.geometry.resized(n);
                self.screen.detail_set = set;
                let mut effects = say(said);
                effects.extend(self.save_case().map(Effect::Work));
                effects
            }
            Action::ToggleColumns => {
                self.toggle(Overlay::Columns);
                // Closed: the columns chosen are kept in the case.
                match self.screen.overlay {
                    Overlay::Columns => Vec::new(),
                    _ => self.save_case().map(Effect::Work).into_iter().collect(),
                }
            }
            Action::HelpMove(n) | Action::ProblemsMove(n) => self.scroll_overlay(n),
            Action::ToggleOverview => self.close_overview(),
            Action::ToggleDetections | Action::ToggleSuspects | Action::Verb(Verb::ToggleMarks) => {
                vec![Effect::Overlay(Overlay::None)]
            }
            Action::Verb(Verb::Command(text)) => {
                vec![Effect::Prompt(PromptKind::Command, text.into())]
            }
            Action::Verb(Verb::Search) => {
                let text = self.detail.search.clone().unwrap_or_default();
                vec![Effect::Prompt(PromptKind::Search, text)]
            }
            _ => Vec::new(),
        }
    }

    fn prompt_update(&mut self, ctx: &Ctx, msg: PromptMsg) -> Effects {
        let Some(prompt) = self.prompt.take() else {
            return Vec::new();
        };
        let (prompt, effects) = prompt.update(ctx, msg);
        self.prompt = prompt;
        effects
    }

    /// A worker's result, or the event loop's own news.
    fn result(&mut self, action: Action) -> Effects {
        let ctx = self.ctx();
        match action {
            Action::Layout(area) => self.layout(area),
            Action::Filtered {
                generation,
                rows,
                hint,
            } if generation == self.filter.generation => {
                self.filter.filtering = false;
                self.timeline.filtered(&self.store, rows, hint);
                Vec::new()
            }
            Action::Histogram {
                version,
                width,
                histogram,
            } if version == self.timeline.version => {
                self.timeline.histogram = Some((version, width, histogram));
                Vec::new()
            }
            Action::Document { key, lines } => {
                self.detail.update(&ctx, DetailMsg::Document { key, lines })
            }
            Action::Detected { load, hits } if load == self.status.load => {
                Arc::make_mut(&mut self.session).set_hits(hits);
                self.apply_mutes();
                self.timeline.histogram = None;
                self.timeline.histogram_requested = None;
                let open = self.screen.overlay == Overlay::Detections;
                let mut effects = self.detections.detected(&self.ctx(), open);
                // A message of the load (the case restored) stays in front.
                if let Some(Effect::Say(fired)) = effects.first_mut() {
                    if let Some(first) = self.status.message.take() {
                        *fired = format!("{first} · {fired}");
                    }
                }
                effects
            }
            action => self.arrival(action),
        }
    }

    /// News of the index and the files: a load, a followed trail read again, the case
    /// read or written, counts made.
    fn arrival(&mut self, action: Action) -> Effects {
        match action {
            Action::Loaded(arrival) => self.loaded(*arrival),
            Action::Reloaded(arrival, waiting) => {
                vec![Effect::Work(Request::Carry(Box::new(Carry {
                    arrival: *arrival,
                    waiting,
                    marks: self.session.marks().clone(),
                    selected: self.selected_row(),
                })))]
            }
            Action::Carried {
                arrival,
                waiting,
                marks,
                selected,
            } => self.reloaded(*arrival, waiting, marks, selected),
            Action::CaseRestored(restored) => match self.marks.restored(restored) {
                Some(restored) => self.case_restored(restored),
                None => Vec::new(),
            },
            Action::CaseSaved(Err(message)) | Action::Note(message) => {
                vec![Effect::Say(crate::text::sanitize(&message).into_owned())]
            }
            Action::NotFollowing(why) => vec![Effect::Say(format!(
                "not following: {}",
                crate::text::sanitize(&why)
            ))],
            Action::Arriving(files) => {
                self.status.summary.arriving = files;
                Vec::new()
            }
            Action::Verified(status) => {
                self.status.summary.evidence = Some(status);
                Vec::new()
            }
            Action::Counted { rows, counts } => self
                .filter
                .update(&self.ctx(), FilterMsg::BaseCounted(rows, counts)),
            Action::Overviewed { rows, overview }
                if self.screen.overlay == Overlay::Overview
                    && Arc::ptr_eq(&rows, &self.timeline.rows) =>
            {
                self.overview
                    .update(&self.ctx(), OverviewMsg::Counted(overview))
            }
            Action::Found {
                rows,
                needle,
                direction,
                index,
            } if Arc::ptr_eq(&rows, &self.timeline.rows) => self.detail.update(
                &self.ctx(),
                DetailMsg::Found {
                    needle,
                    direction,
                    index,
                },
            ),
            Action::Ranked { load, suspects } if load == self.status.load => self
                .detections
                .update(&self.ctx(), DetectionsMsg::Ranked(suspects)),
            Action::DetectionsCounted(view) if self.screen.overlay == Overlay::Detections => self
                .detections
                .update(&self.ctx(), DetectionsMsg::Counted(view)),
            Action::Copied { text, what } => self
                .detail
                .update(&self.ctx(), DetailMsg::Copied { text, what }),
            Action::FirstUses { load, rows } if load == self.status.load => {
                self.timeline.first_uses = Some(rows);
                Vec::new()
            }
            // Stale: made for an index, a result or a filter no longer shown.
            _ => Vec::new(),
        }
    }

    /// Carries out the effects of an update (and those they lead to); returns the work
    /// for the workers.
    fn carry_out(&mut self, effects: Effects) -> Vec<Request> {
        let mut requests = Vec::new();
        let mut queue = VecDeque::from(effects);
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Work(request) => requests.push(request),
                effect => queue.extend(self.effect(effect)),
            }
        }
        requests
    }

    /// Carries out one effect; returns those it leads to.
    fn effect(&mut self, effect: Effect) -> Effects {
        let ctx = self.ctx();
        match effect {
            Effect::Work(request) => return vec![Effect::Work(request)],
            Effect::Say(text) => self.status.message = Some(text),
            Effect::Remember(place) => self.jumps.push(place),
            Effect::Select { index, remember } => {
                if remember {
                    self.remember();
                }
                self.timeline.jump(index);
            }
            Effect::Show {
                row,
                inside,
                outside,
            } => return self.show(row, inside, outside),
            Effect::Filter(text) => {
                self.remember();
                return self.filter.replace(&ctx, text);
            }
            Effect::Refilter => return self.filter.apply(&ctx, ctx.filter.clone()),
            Effect::AddTerm {
                term,
                exclude,
                alone,
            } => return add_term(&ctx.filter, &term, exclude, alone),
            Effect::Focus(focus) => self.screen.focus = focus,
            Effect::Overlay(overlay) => self.screen.overlay = overlay,
            Effect::Prompt(..) if self.status.loading => {
                return vec![Effect::Say("the load is still running".into())]
            }
            Effect::Prompt(kind, text) => {
                self.prompt = Some(Prompt::open(kind, text, self.screen.focus));
                self.screen.focus = Focus::Prompt;
            }
            Effect::Marks(change) => return self.change_marks(change),
            Effect::Search(text) => return self.detail.update(&ctx, DetailMsg::Search(text)),
            Effect::GoToTime(text) => {
                return self.timeline.update(&ctx, TimelineMsg::GoToTime(text))
            }
            Effect::Export {
                file,
                marks,
                replace,
            } => {
                let rows = match marks {
                    true => self.session.marks().keys().copied().collect(),
                    false => self.timeline.rows.to_vec(),
                };
                let inputs = self.status.summary.input_names.clone();
                let export = super::export::Export {
                    file,
                    rows,
                    marks,
                    replace,
                    inputs,
                };
                let job = Box::new((export, Arc::clone(&self.session)));
                return vec![Effect::Work(Request::Export(job))];
            }
            Effect::Copy(text) => {
                self.status.copied = Some(text.clone());
                return vec![Effect::Work(Request::Copy(text))];
            }
            Effect::Quit { force } => return self.quit(false, force),
            Effect::Set(name, value) => return self.set(&name, &value),
            Effect::Find(text) => {
                self.screen.overlay_find = Some(text.to_lowercase());
                return self.find_in_overlay(1);
            }
            Effect::Path(path) => {
                self.screen.focus = Focus::Detail;
                return self.detail.update(&ctx, DetailMsg::GoToPath(path));
            }
        }
        Vec::new()
    }

    /// The list open over the panes, as text.
    fn overlay_list(&self) -> Option<super::lists::List> {
        super::lists::Parts {
            overlay: &self.screen.overlay,
            problems: &self.status.summary.problems,
            detections: &self.detections,
            overview: &self.overview,
            session: &self.session,
            store: &self.store,
            mark: self.marks.selected,
            columns: &self.timeline.columns,
            column: self.timeline.columns_cursor,
        }
        .list()
    }

    /// `n` / `N` in a list (and Enter in its `/` prompt): the next / previous row holding
    /// the text, round the end.
    fn find_in_overlay(&mut self, direction: isize) -> Effects {
        let Some(needle) = self.screen.overlay_find.clone() else {
            return say("no text to find (/ finds a row)");
        };
        match self
            .overlay_list()
            .map(|list| list.find(&needle, direction))
        {
            Some(Ok(action)) => self.key(action),
            Some(Err(said)) => say(said),
            None => Vec::new(),
        }
    }

    /// `:set NAME=VALUE` (and `:columns`, `:sort`): the options that exist. The columns
    /// and their order are kept in the case.
    fn set(&mut self, name: &str, value: &str) -> Effects {
        let said = self
            .set_option(name, value)
            .unwrap_or_else(|problem| problem);
        let mut effects = say(said);
        effects.extend(self.save_case().map(Effect::Work));
        if name == "mute" && self.session.hits().is_some() {
            // What the filter, the histogram and the detections view read changed.
            effects.push(Effect::Refilter);
            if self.screen.overlay == Overlay::Detections {
                effects.extend(self.detections.recount(&self.ctx()));
            }
        }
        effects
    }

    /// The case's muted rules on the hits; the histogram's marks are counted anew.
    fn apply_mutes(&mut self) {
        let store = Arc::clone(&self.store);
        if let Some(hits) = Arc::make_mut(&mut self.session).hits_mut() {
            super::detections::mute(hits, &store, &self.detections.muted);
            self.timeline.histogram = None;
            self.timeline.histogram_requested = None;
        }
    }

    /// Sets one option: what to say, or what is wrong with the value.
    fn set_option(&mut self, name: &str, value: &str) -> Result<String, String> {
        let ctx = self.ctx();
        let value = crate::text::sanitize(value);
        let columns = self.timeline.columns.clone();
        let said = match options::parse(name, &value)
            .map_err(|e| crate::text::sanitize(&e).into_owned())?
        {
            Setting::Columns(columns) => {
                let sort = self.timeline.sort;
                self.timeline
                    .update(&ctx, TimelineMsg::SetColumns(columns, sort));
                "columns set (c shows them)".to_string()
            }
            Setting::Sort(sort) => {
                self.timeline
                    .update(&ctx, TimelineMsg::SetColumns(columns, sort));
                match sort {
                    Some(sort) => format!("sorted by {} (:sort time: time order)", sort.spec()),
                    None => "in time order".into(),
                }
            }
            Setting::Detail(width) => {
                self.screen.detail_set = Some(width);
                format!("detail pane {width} wide")
            }
            Setting::Wrap(on) => {
                if self.detail.wrap != on {
                    self.detail.update(&ctx, DetailMsg::Wrap);
                }
                format!("wrap {}", if on { "on" } else { "off" })
            }
            Setting::Theme(theme) => {
                super::theme::set(theme);
                format!("theme {}", value)
            }
            Setting::Mute(muted) => {
                let said = super::detections::mute_said(
                    self.session.hits(),
                    &self.detections.muted,
                    &muted,
                );
                self.detections.muted = muted;
                self.apply_mutes();
                said
            }
        };
        Ok(said)
    }

    /// Changes the marks of the session, and saves the case.
    fn change_marks(&mut self, change: MarksChange) -> Effects {
        let marks = Arc::make_mut(&mut self.session).marks_mut();
        match change {
            MarksChange::Toggle(row) => {
                if marks.remove(&row).is_none() {
                    marks.insert(row, String::new());
                }
            }
            MarksChange::Note(row, note) => {
                marks.insert(row, note);
            }
            MarksChange::Replace(all) => *marks = all,
        }
        self.save_case().map(Effect::Work).into_iter().collect()
    }

    /// Selects `row` (a jump): in the result when it is there, else every event is shown
    /// and it is selected once they are.
    fn show(&mut self, row: u32, inside: Option<String>, outside: String) -> Effects {
        self.remember();
        if let Some(index) = self.timeline.index_of(row) {
            self.timeline.jump(index);
            return inside.map(Effect::Say).into_iter().collect();
        }
        self.timeline.pending_select = Some(row);
        self.filter.line.set(String::new());
        let mut effects = vec![Effect::Say(outside)];
        effects.extend(self.filter.apply(&self.ctx(), String::new()));
        effects
    }

    /// The filter applied and the event selected.
    fn here(&self) -> Place {
        Place {
            filter: self.filter.applied.clone(),
            row: self.selected_row(),
        }
    }

    /// Remembers where the explorer is, before a jump.
    fn remember(&mut self) {
        let here = self.here();
        self.jumps.push(here);
    }

    /// Shows `place`: its filter (when it differs) and its event.
    fn go_to(&mut self, place: Place) -> Effects {
        if place.filter != self.filter.applied {
            self.timeline.pending_select = place.row;
            self.filter.line.set(place.filter.clone());
            return self.filter.apply(&self.ctx(), place.filter);
        }
        if let Some(index) = place.row.and_then(|row| self.timeline.index_of(row)) {
            self.timeline.jump(index);
        }
        Vec::new()
    }

    /// `p` / `P`: the filter on the selected event's principal, or on everything its
    /// chain's root did; `]` / `[` then follow the one or the other.
    fn jump_filter(&mut self, ctx: &Ctx, follow: Follow) -> Effects {
        let Some(row) = ctx.selected() else {
            return Vec::new();
        };
        let counts = &self.filter.counts;
        let filter = match follow {
            Follow::Principal => navigate::principal_filter(&ctx.store, counts, row as usize),
            Follow::Origin => navigate::origin_filter(&ctx.store, counts, row as usize),
        };
        match filter {
            Ok(filter) => {
                self.timeline.follow = follow;
                vec![Effect::Filter(filter)]
            }
            Err(why) => vec![Effect::Say(why)],
        }
    }

    /// `o`: selects the event that issued the selected event's key (every event shown
    /// when the filter hides it; Ctrl-O comes back).
    fn go_to_issuer(&mut self, ctx: &Ctx) -> Effects {
        let Some(row) = ctx.selected() else {
            return Vec::new();
        };
        match navigate::issuer(&ctx.store, row as usize) {
            Ok((issuer, what)) => vec![Effect::Show {
                row: issuer,
                inside: Some(format!("the issuing event: {what} (Ctrl-O goes back)")),
                outside: format!(
                    "the issuing event: {what}, outside the filter: showing every event (Ctrl-O goes back)"
                ),
            }],
            Err(why) => vec![Effect::Say(why)],
        }
    }

    /// Filters on the value of the detail line under the cursor: adds `field:value` (or
    /// `-field:value`) to the filter, or with `alone` makes it the whole filter.
    fn pivot(&mut self, exclude: bool, alone: bool) -> Effects {
        let Some(line) = self.detail.line() else {
            return Vec::new();
        };
        let Some(value) = &line.value else {
            return vec![Effect::Say("pick a line with a value to pivot on".into())];
        };
        let term = term_text(&pivot_field(&line.path), value);
        add_term(&self.filter.applied, &term, exclude, alone)
    }

    /// A click: on a timeline row, selects it; on a histogram bucket, selects the first
    /// event of the result in it (or after it, when it is empty).
    fn click(&mut self, ctx: &Ctx, column: u16, row: u16) -> Effects {
        if let Some(index) = self.screen.geometry.row_at(row, self.timeline.offset) {
            if index < self.timeline.rows.len() {
                self.screen.focus = Focus::Timeline;
                self.timeline.select(index);
            }
            return Vec::new();
        }
        match self.screen.geometry.bucket_at(column, row) {
            Some(bucket) => self.timeline.update(ctx, TimelineMsg::Bucket(bucket)),
            None => Vec::new(),
        }
    }

    /// Opens `overlay`, or closes it when it is open.
    fn toggle(&mut self, overlay: Overlay) -> Effects {
        let open = std::mem::discriminant(&self.screen.overlay) == std::mem::discriminant(&overlay);
        self.screen.overlay = if open { Overlay::None } else { overlay };
        Vec::new()
    }

    fn close_overview(&mut self) -> Effects {
        self.overview.view = None;
        vec![Effect::Overlay(Overlay::None)]
    }

    /// Scrolls the help or the problems list.
    fn scroll_overlay(&mut self, n: isize) -> Effects {
        let (offset, len) = match &mut self.screen.overlay {
            Overlay::Help { offset } => (offset, super::keymap::KEYS.len()),
            Overlay::Problems { offset } => (offset, self.status.summary.problems.len()),
            _ => return Vec::new(),
        };
        let last = len.saturating_sub(1) as isize;
        *offset = (*offset as isize + n).clamp(0, last) as usize;
        Vec::new()
    }

    /// The request that writes the case file (marks, notes, the filter and its history).
    fn save_case(&self) -> Option<Request> {
        let file = self.marks.case.clone()?;
        Some(Request::SaveCase(Box::new(CaseSave {
            file,
            session: Arc::clone(&self.session),
            filter: self.filter.applied.clone(),
            history: self.filter.history.clone(),
            view: self.view(),
        })))
    }

    /// How the timeline is shown, for the case.
    fn view(&self) -> std::collections::BTreeMap<String, String> {
        let mut view = options::view(
            &self.timeline.columns,
            self.timeline.sort,
            self.screen.detail_set,
        );
        if !self.detections.muted.is_empty() {
            view.insert(
                "mute".into(),
                options::Mute::spec_list(&self.detections.muted),
            );
        }
        view
    }

    /// Takes a loaded index: the status, the counts and widths, the case read, the filter
    /// applied, the rules asked to run.
    fn loaded(&mut self, arrival: Arrival) -> Effects {
        self.install(arrival);
        let mut effects = Vec::new();
        if let Some(file) = &self.marks.case {
            effects.push(Effect::Work(Request::RestoreCase {
                path: file.path.clone(),
            }));
        }
        let applied = self.filter.applied.clone();
        let filter = self.filter.apply(&self.ctx(), applied);
        if filter.is_empty() {
            // The initial filter was broken: show everything, keep the error.
            self.timeline
                .show(&self.store, (0..self.store.len() as u32).collect());
        }
        effects.splice(0..0, filter);
        effects
    }

    /// Makes `arrival` the index shown.
    fn install(&mut self, arrival: Arrival) {
        let Arrival {
            store,
            report,
            counts,
            widths,
        } = arrival;
        self.status.summary = LoadSummary::of(&report, store.len(), &self.status.summary);
        self.filter.counts = counts;
        self.timeline.natural = widths;
        self.store = store;
        // Rows are numbered anew: marks are carried over by the caller, hits run again.
        self.session = Arc::new(Session::default());
        self.status.loading = false;
        self.status.load += 1;
        self.timeline.first_uses = None;
        let problems = self.detections.new_index();
        self.status.summary.problems.extend(problems);
        if let Some(note) = &report.index_note {
            self.status.message = Some(crate::text::sanitize(note).into_owned());
        }
        // Nothing loaded but something went wrong: say what, rather than "no events match".
        if self.store.is_empty() && !self.status.summary.problems.is_empty() {
            self.screen.overlay = Overlay::Problems { offset: 0 };
        }
    }

    /// A followed trail read again: the new index replaces the old under the same filter,
    /// the marks and the selected event carried over, and the status counts what arrived.
    fn reloaded(
        &mut self,
        arrival: Arrival,
        waiting: usize,
        marks: std::collections::BTreeMap<u32, String>,
        selected: Option<u32>,
    ) -> Effects {
        let before = self.store.len();
        self.install(arrival);
        *Arc::make_mut(&mut self.session).marks_mut() = marks;
        self.timeline.pending_select = selected;
        let arrived = self.store.len().saturating_sub(before);
        let summary = &mut self.status.summary;
        summary.arrived = Some(summary.arrived.unwrap_or(0) + arrived);
        summary.arriving = waiting;
        // What the last load said (its rules' count) is said anew after this one's rules.
        self.status.message = (arrived > 0).then(|| {
            let events = if arrived == 1 { "event" } else { "events" };
            format!("{} new {events}", crate::text::thousands(arrived))
        });
        let applied = self.filter.applied.clone();
        self.filter.apply(&self.ctx(), applied)
    }

    /// The case as read: its marks, its history, and its last filter unless one was given.
    fn case_restored(&mut self, restored: RestoredCase) -> Effects {
        let RestoredCase::Case {
            marks,
            history,
            filter,
            view,
            mut message,
        } = restored
        else {
            if let RestoredCase::Problem(problem) = restored {
                self.status.summary.problems.push(problem);
            }
            return Vec::new();
        };
        *Arc::make_mut(&mut self.session).marks_mut() = marks;
        self.filter.history = history;
        for (name, value) in view
            .iter()
            .filter(|(n, _)| options::KEPT.contains(&n.as_str()))
        {
            if let Err(problem) = self.set_option(name, value) {
                message.push_str(&format!(" (the case's {name}: {problem})"));
            }
        }
        let mut effects = Vec::new();
        if !self.filter.given && !filter.is_empty() {
            message.push_str(", the last filter (Ctrl-O: every event)");
            self.jumps.push(Place {
                filter: String::new(),
                row: self.selected_row(),
            });
            self.filter.line.set(filter.clone());
            effects = self.filter.apply(&self.ctx(), filter);
        }
        effects.insert(0, Effect::Say(message));
        effects
    }

    /// Brings the layout up to date with the terminal size (page sizes, the geometry mouse
    /// hits use) and asks for the derived work the frame needs: the histogram of the
    /// result, the document of the selected event, the rules' run.
    fn layout(&mut self, area: ratatui::layout::Rect) -> Effects {
        let detail = self.screen.focus == Focus::Detail;
        let detail_width = self.detail_width(area.width);
        let summary_rows = self.summary_rows(area, detail, detail_width);
        let demo = self.status.demo;
        self.screen.geometry = Geometry::of(area, demo, summary_rows, detail, detail_width);
        let geometry = self.screen.geometry;
        self.timeline.page = geometry.list_height().max(1);
        self.detail.page = geometry.detail_height().max(1);
        self.detail.width = geometry.json.width.saturating_sub(1).max(1) as usize;
        self.detail.keep_cursor_in_view();
        self.timeline.clamp_offset();
        let mut requests = Vec::new();
        if let Some((version, width)) = self.timeline.histogram_needed(geometry.histogram_width()) {
            requests.push(Request::Histogram {
                version,
                rows: Arc::clone(&self.timeline.rows),
                width,
                session: Arc::clone(&self.session),
            });
        }
        if let Some(key) = self.detail.needed(self.selected_row()) {
            requests.push(Request::Document { key });
        }
        let hits = self.session.hits().is_some();
        requests.extend(
            self.detections
                .run(self.status.loading, hits, self.status.load),
        );
        requests.into_iter().map(Effect::Work).collect()
    }

    /// The rows the detail summary takes: what its wrapped lines need, up to all but a few
    /// rows of the JSON; every rule the event hits is listed, described where they all fit.
    /// The detail pane's width beside the timeline on a screen `width` wide.
    fn detail_width(&mut self, width: u16) -> u16 {
        let content = self.detail.doc.as_ref().map_or(0, |(_, lines)| {
            lines.iter().map(|l| l.width()).max().unwrap_or(0)
        });
        let screen = &mut self.screen;
        super::layout::detail_width(width, screen.detail_set, content, &mut screen.detail_fitted)
    }

    fn summary_rows(&mut self, area: ratatui::layout::Rect, detail: bool, width: u16) -> u16 {
        let first = Geometry::of(area, self.status.demo, 0, detail, width);
        // A compact header: half the pane at most (the rules' details go first), the JSON
        // keeps the rest.
        let cap = (first.json.height / 2).max(4) as usize;
        let width = first.summary.width as usize;
        let row = self.selected_row();
        self.detail
            .summary_rows(&self.store, &self.session, row, width, cap)
    }
}
