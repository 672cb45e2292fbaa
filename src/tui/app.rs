//! The explorer's state and every change to it: all state changes go through [`Action`] and
//! [`App::update`], which hands each to the part it concerns (the filter bar, the timeline,
//! the detail pane). Slow work is not done here: `update` and [`App::layout`] return
//! [`Request`]s that the event loop hands to worker threads (or a test runs inline), and the
//! results come back as actions tagged with what they were made for, so stale ones are
//! dropped.

use std::sync::Arc;

pub use super::action::{run_request, Action, Request, Verb};
use super::columns::ValueCounts;
use super::detail::DetailPane;
use super::detections::Detections;
use super::filter_bar::{Edit, FilterBar, Suggestions};
use super::jumps::{Jumps, Place};
use super::layout::Geometry;
pub use super::load_status::LoadSummary;
use super::summary;
use super::timeline::{Follow, Timeline};
use crate::query::{self, term_text};
use crate::schema::pivot_field;
use crate::store::{Col, Session, Store};

pub use super::focus::{Focus, Overlay};

/// The explorer's whole state.
pub struct App {
    pub store: Arc<Store>,
    /// Marks, notes and detection hits: replaced, never changed where a worker reads it.
    pub session: Arc<Session>,
    pub loading: bool,
    pub demo: bool,
    pub summary: LoadSummary,
    pub filter: FilterBar,
    pub timeline: Timeline,
    pub detail: DetailPane,
    /// Generation of the newest filter request; results of older ones are dropped.
    pub generation: u64,
    /// A filter is running on the worker.
    pub filtering: bool,
    pub focus: Focus,
    /// Focus to return to when the filter bar is left.
    focus_before_filter: Focus,
    pub overlay: Overlay,
    /// Events per eventName id, for suggestions.
    /// Events per value of the columns that suggest values.
    pub counts: ValueCounts,
    /// A one-off message for the status line.
    pub message: Option<String>,
    /// Screen geometry of the last frame, for mouse hits.
    pub geometry: Geometry,
    pub detections: Detections,
    /// The places Ctrl-O / Ctrl-I walk through.
    pub jumps: Jumps,
    /// Where the explorer was when the filter bar was opened (a jump if the filter changes).
    edit_place: Option<Place>,
    /// An event to select once the running filter's result arrives (a jump across filters).
    pub(super) pending_select: Option<u32>,
    /// What `]` / `[` follow.
    pub follow: Follow,
    /// `+` marks the events where the principal used an address, agent, region, key or
    /// account for the first time.
    pub new_marks: bool,
    /// The prompt being edited.
    pub prompt: Option<super::prompt::Prompt>,
    /// The case file marks, notes and filters are kept in.
    pub case: Option<super::marks::CaseFile>,
    /// Text the event loop puts on the terminal's clipboard (OSC 52), then clears.
    pub clipboard: Option<String>,
    /// The filter was given on the command line (a restored case does not replace it).
    pub given_filter: bool,
    /// The overview of the result, while its overlay is open.
    pub overview: Option<super::overview::OverviewView>,
    pub quit: bool,
    /// `q` was pressed with notes no case file will keep: the next `q` quits.
    quit_asked: bool,
}

impl App {
    pub fn new(filter: String, demo: bool) -> App {
        App {
            store: Arc::new(Store::empty()),
            session: Arc::new(Session::default()),
            loading: true,
            demo,
            summary: LoadSummary::default(),
            filter: FilterBar::new(filter),
            timeline: Timeline::default(),
            detail: DetailPane::default(),
            generation: 0,
            filtering: false,
            focus: Focus::Timeline,
            focus_before_filter: Focus::Timeline,
            overlay: Overlay::None,
            counts: ValueCounts::default(),
            message: None,
            geometry: Geometry::default(),
            detections: Detections::default(),
            jumps: Jumps::default(),
            edit_place: None,
            pending_select: None,
            follow: Follow::Principal,
            overview: None,
            prompt: None,
            case: None,
            quit_asked: false,
            clipboard: None,
            given_filter: false,
            new_marks: false,
            quit: false,
        }
    }

    /// Runs `rules` over the index once it is loaded; the ones that cannot run join the
    /// problems list.
    pub fn with_rules(mut self, rules: crate::detect::RuleSet) -> App {
        self.detections.rules = Arc::new(rules);
        self
    }

    /// The marks and notes, to change (a worker still reading the old ones keeps them).
    pub(super) fn marks_mut(&mut self) -> &mut std::collections::BTreeMap<u32, String> {
        Arc::make_mut(&mut self.session).marks_mut()
    }

    /// The selected event's row in the store.
    pub fn selected_row(&self) -> Option<u32> {
        self.timeline.selected_row()
    }

    /// Applies an action and runs the work it asks for at once, on this thread, as the
    /// event loop does through its workers: for tests, benches and the screenshot tool.
    pub fn apply(&mut self, action: Action) {
        let mut next = Some(action);
        while let Some(action) = next.take() {
            next = self
                .update(action)
                .and_then(|request| run_request(&self.store, &request, &|| false));
        }
    }

    /// Applies one action; returns work for a worker, if any.
    pub fn update(&mut self, action: Action) -> Option<Request> {
        let from_a_worker = matches!(
            action,
            Action::Filtered { .. }
                | Action::Loaded(_)
                | Action::Reloaded(..)
                | Action::NotFollowing(_)
                | Action::Arriving(_)
                | Action::Histogram { .. }
                | Action::Document { .. }
                | Action::Detected { .. }
                | Action::Verified(_)
        );
        let quit_asked = self.quit_asked;
        if !from_a_worker {
            self.message = None;
            self.quit_asked = false;
        }
        let closing = matches!(action, Action::ToggleOverview | Action::ToggleDetections)
            && self.overlay != Overlay::None;
        if self.filtering && action.acts_on_the_result() && !closing {
            // The screen still shows the last result: acting on it would be acting on
            // events the new filter may not hold.
            self.message = Some(
                "filtering…: this acts on the result, once it shows (press it again then)".into(),
            );
            return None;
        }
        match action {
            Action::Quit => {
                let notes = self
                    .session
                    .marks()
                    .values()
                    .filter(|n| !n.is_empty())
                    .count();
                if self.case.is_none() && notes > 0 && !quit_asked {
                    self.quit_asked = true;
                    self.message = Some(format!(
                        "{notes} notes are kept in no case file: :write-marks FILE saves them; q again quits"
                    ));
                    return None;
                }
                self.save_case();
                self.quit = true
            }
            Action::Move(n) => self.move_selection(n),
            Action::Page(n) => {
                let page = match self.focus {
                    Focus::Detail => self.detail.page,
                    _ => self.timeline.page,
                };
                self.move_selection(n * page.max(1) as isize);
            }
            // The focused pane's first and last: an event, or a line of the event.
            Action::Top if self.focus == Focus::Detail => self.detail.move_by(isize::MIN / 2),
            Action::Bottom if self.focus == Focus::Detail => self.detail.move_by(isize::MAX / 2),
            Action::Top => {
                self.remember();
                self.timeline.select(0)
            }
            Action::Bottom => {
                self.remember();
                self.timeline
                    .select(self.timeline.rows.len().saturating_sub(1))
            }
            Action::Click { column, row } => self.click(column, row),
            Action::Wheel { column, down } => {
                let n = if down { 3 } else { -3 };
                if self.geometry.in_detail(column) {
                    self.detail.move_by(n);
                } else {
                    self.move_selection(n);
                }
            }
            Action::DetailMove(n) => self.detail.move_by(n),
            Action::ToggleFocus => {
                self.focus = match self.focus {
                    Focus::Timeline => Focus::Detail,
                    _ => Focus::Timeline,
                }
            }
            Action::EditFilter => {
                if self.focus != Focus::Filter {
                    self.focus_before_filter = self.focus;
                    self.edit_place = Some(self.here());
                }
                self.focus = Focus::Filter;
                self.filter.begin();
                let everything = self.timeline.rows.len() == self.store.len();
                self.filter.base = (!everything).then(|| Arc::clone(&self.timeline.rows));
                self.filter.refresh_suggestions(&self.store, &self.counts);
            }
            Action::FilterChar(c) => return self.edit(Edit::Char(c)),
            Action::FilterBackspace => return self.edit(Edit::Backspace),
            Action::FilterDelete => return self.edit(Edit::Delete),
            Action::FilterDeleteWord => return self.edit(Edit::DeleteWord),
            Action::FilterDeleteToStart => return self.edit(Edit::DeleteToStart),
            Action::FilterLeft => return self.edit(Edit::Left),
            Action::FilterRight => return self.edit(Edit::Right),
            Action::FilterHome => return self.edit(Edit::Home),
            Action::FilterEnd => return self.edit(Edit::End),
            Action::FilterAccept => {
                self.focus = self.focus_before_filter;
                self.filter.suggestions = Suggestions::default();
                let text = self.filter.input.trim().to_string();
                self.filter.remember(text);
                if let Some(place) = self.edit_place.take() {
                    if place.filter != self.filter.input {
                        self.jumps.push(place);
                    }
                }
                if self.filter.error.is_some() {
                    // A broken expression is not kept: the last good filter stays.
                    self.filter.input = self.filter.applied.clone();
                    self.filter.error = None;
                    self.message = Some("filter not applied: the expression has an error".into());
                } else if self.filter.input != self.filter.applied {
                    // Held back while it looked like a field name being typed.
                    return self.set_filter(self.filter.input.clone());
                }
            }
            Action::FilterCancel => {
                self.focus = self.focus_before_filter;
                self.filter.suggestions = Suggestions::default();
                self.filter.error = None;
                let restore = self.filter.saved.clone();
                self.filter.set_input(restore.clone());
                if restore != self.filter.applied {
                    return self.set_filter(restore);
                }
            }
            Action::FilterHistory(step) => {
                if self.filter.recall(step) {
                    return self.input_changed();
                }
            }
            Action::SuggestionMove(n) => self.filter.move_suggestion(n),
            Action::Complete => {
                if self.filter.complete() {
                    let request = self.input_changed();
                    self.filter.suggestions = Suggestions::default();
                    return request;
                }
            }
            Action::FilterPrincipal => {
                let row = self.selected_row()?;
                let principal = self.store.get(Col::Principal, row as usize).to_string();
                if principal.is_empty() {
                    self.message = Some("this event has no principal".into());
                    return None;
                }
                self.follow = Follow::Principal;
                // A name another account's principal shares is narrowed to this one's account.
                let mut filter = term_text("principal", &principal);
                if self.store.principal_name_is_shared(row as usize) {
                    let account = self.store.principal_account(row as usize);
                    filter.push(' ');
                    filter.push_str(&term_text("account", account));
                }
                return self.replace_filter(filter);
            }
            Action::FilterOrigin => return self.filter_origin(),
            Action::GoToIssuer => return self.go_to_issuer(),
            Action::JumpBack => return self.jump_back(),
            Action::JumpForward => return self.jump_forward(),
            Action::StepPrincipal(direction) => {
                let store = Arc::clone(&self.store);
                if let Some(message) = self.timeline.step(&store, self.follow, direction) {
                    self.message = Some(message);
                }
            }
            Action::Pivot { exclude } => return self.pivot(exclude, false),
            Action::PivotOnly => return self.pivot(false, true),
            Action::ToggleHelp => {
                self.overlay = match self.overlay {
                    Overlay::Help { .. } => Overlay::None,
                    _ => Overlay::Help { offset: 0 },
                }
            }
            Action::ToggleProblems => {
                self.overlay = match self.overlay {
                    Overlay::Problems { .. } => Overlay::None,
                    _ => Overlay::Problems { offset: 0 },
                }
            }
            Action::HelpMove(n) => {
                if let Overlay::Help { offset } = self.overlay {
                    let last = super::keymap::KEYS.len().saturating_sub(1);
                    let offset = (offset as isize + n).clamp(0, last as isize) as usize;
                    self.overlay = Overlay::Help { offset };
                }
            }
            Action::ProblemsMove(n) => {
                if let Overlay::Problems { offset } = self.overlay {
                    let last = self.summary.problems.len().saturating_sub(1);
                    let offset = (offset as isize + n).clamp(0, last as isize) as usize;
                    self.overlay = Overlay::Problems { offset };
                }
            }
            Action::ToggleOverview => self.toggle_overview(),
            Action::ToggleNewMarks => {
                self.new_marks = !self.new_marks;
                self.message = Some(if self.new_marks {
                    "+ marks a principal's first address, agent, region, key or account (new:ip… filters)".into()
                } else {
                    "first-seen marks off".into()
                });
            }
            Action::OverviewMove(n) => self.overview_move(n),
            Action::OverviewChoose { exclude } => return self.overview_choose(exclude),
            Action::ToggleDetections => self.toggle_detections(),
            Action::DetectionsMove(n) => self.detections_move(n),
            Action::DetectionsChoose => return self.detections_choose(),
            Action::DetectionsScope => self.detections_toggle_scope(),
            Action::StepHit(direction) => self.step_hit(direction),
            Action::CycleLevel => {
                self.detections.cycle_level();
                self.message = Some(format!(
                    "}} and {{ stop at hits of level {} or above",
                    self.detections.min_level.name()
                ));
            }
            Action::Detected { load, hits } if load == self.detections.load => {
                return self.detected(hits)
            }
            // Hits of an index a followed trail's new one replaced.
            Action::Detected { .. } => {}
            Action::Reloaded(loaded, waiting) => return self.reloaded(*loaded, waiting),
            Action::Arriving(files) => self.summary.arriving = files,
            Action::Note(note) => self.message = Some(crate::text::sanitize(&note).into_owned()),
            Action::NotFollowing(why) => {
                self.message = Some(format!("not following: {}", crate::text::sanitize(&why)));
            }
            Action::Loaded(loaded) => {
                let (store, report) = *loaded;
                self.loaded(store, &report);
                if let Some(request) = self.restore_case(self.given_filter) {
                    return Some(request);
                }
                return self.set_filter(self.filter.applied.clone()).or_else(|| {
                    // The initial filter was broken: show everything, keep the error.
                    self.timeline.show((0..self.store.len() as u32).collect());
                    None
                });
            }
            Action::Filtered {
                generation,
                rows,
                hint,
            } => {
                if generation == self.generation {
                    self.filtering = false;
                    // "principal X: k of n" was of the result before.
                    self.timeline.stepping = None;
                    self.timeline.hint = hint;
                    self.timeline.show(rows);
                    if let Some(index) = self
                        .pending_select
                        .take()
                        .and_then(|row| self.timeline.index_of(row))
                    {
                        self.timeline.jump(index);
                    }
                }
            }
            Action::Histogram {
                version,
                width,
                histogram,
            } => {
                if version == self.timeline.version {
                    self.timeline.histogram = Some((version, width, histogram));
                }
            }
            Action::Document { key, lines } => {
                if self.selected_row() == Some(key.0) && self.detail.decode == key.1 {
                    self.detail.show(key, lines);
                } else if self.detail.requested == Some(key) {
                    self.detail.requested = None;
                }
            }
            Action::ToggleWrap => self.message = Some(self.detail.toggle_wrap().into()),
            Action::ToggleRaw => self.message = Some(self.detail.toggle_raw().into()),
            Action::Verb(verb) => return self.verb(verb),
            Action::Verified(status) => self.summary.evidence = Some(status),
            Action::Sideways(n) => self.message = self.detail.sideways(n).map(String::from),
        }
        None
    }

    fn edit(&mut self, edit: Edit) -> Option<Request> {
        if self.filter.edit(edit) {
            self.input_changed()
        } else {
            None
        }
    }

    /// Re-parses the filter bar's text; a good expression is sent to the worker at once.
    fn input_changed(&mut self) -> Option<Request> {
        self.filter.refresh_suggestions(&self.store, &self.counts);
        self.timeline.stepping = None;
        // `ip` on its way to `ip:` would filter on a fuzzy eventName and empty the timeline:
        // the last result stays until the word can no longer become a field name.
        if self.filter.typing_a_field_name() {
            self.filter.error = None;
            return None;
        }
        self.set_filter(self.filter.input.clone())
    }

    /// Makes `text` the whole filter, remembered in the history, and applies it: a jump.
    pub(super) fn replace_filter(&mut self, text: String) -> Option<Request> {
        self.remember();
        self.filter.set_input(text.clone());
        self.filter.history.push(text.clone());
        self.set_filter(text)
    }

    /// Makes `text` the filter if it parses (once: the worker gets the parsed expression);
    /// otherwise shows the error and keeps the last good result on screen.
    pub(super) fn set_filter(&mut self, text: String) -> Option<Request> {
        match query::parse_explained(&text) {
            Err(err) => {
                self.filter.error = Some(err);
                None
            }
            Ok((expr, readings)) => {
                self.filter.error = None;
                self.filter.readings = (!readings.is_empty())
                    .then(|| crate::text::sanitize(&readings.join("; ")).into_owned());
                self.filter.phrases = expr.phrases().iter().map(|p| p.to_lowercase()).collect();
                self.filter.applied = text;
                self.generation += 1;
                self.filtering = true;
                Some(Request::Filter {
                    generation: self.generation,
                    expr: Arc::new(expr),
                    session: Arc::clone(&self.session),
                })
            }
        }
    }

    fn move_selection(&mut self, n: isize) {
        if self.focus == Focus::Detail {
            self.detail.move_by(n);
        } else {
            self.timeline.move_by(n);
        }
    }

    /// Filters on the value of the detail line under the cursor: adds `field:value` (or
    /// `-field:value`) to the filter, unless it is there already, or with `alone` makes it
    /// the whole filter. The detail cursor stays where it was.
    fn pivot(&mut self, exclude: bool, alone: bool) -> Option<Request> {
        let line = self.detail.line()?;
        let Some(value) = line.value.clone() else {
            self.message = Some("pick a line with a value to pivot on".into());
            return None;
        };
        let field = pivot_field(&line.path);
        self.add_term(&term_text(&field, &value), exclude, alone)
    }

    /// Adds `term` (or `-term`) to the filter, unless it is there already, or with `alone`
    /// makes it the whole filter.
    pub(super) fn add_term(&mut self, term: &str, exclude: bool, alone: bool) -> Option<Request> {
        let addition = format!("{}{term}", if exclude { "-" } else { "" });
        let current = self.filter.applied.trim();
        if !alone && current.split(' ').any(|term| term == addition) {
            self.message = Some(format!("{addition} is in the filter already"));
            return None;
        }
        let text = if alone || current.is_empty() {
            addition
        } else {
            format!("{current} {addition}")
        };
        self.replace_filter(text)
    }

    /// Brings the layout up to date with the terminal size (page sizes, the geometry mouse
    /// hits use) and returns the derived work the frame needs: the histogram of the result
    /// and the document of the selected event, when they are not built or asked for yet.
    pub fn layout(&mut self, area: ratatui::layout::Rect) -> Vec<Request> {
        // The summary takes the rows its wrapped lines need, up to all but a few rows of
        // the JSON: every rule the event hits is listed, described where they all fit.
        let detail = self.focus == Focus::Detail;
        let first = Geometry::of(area, self.demo, 0, detail);
        let cap = first
            .json
            .height
            .saturating_sub(6)
            .max(first.json.height / 2)
            .max(3) as usize;
        let summary_rows = match self.selected_row() {
            Some(row) => {
                let doc = self.detail.doc.as_ref().map(|(_, lines)| lines.as_slice());
                let rows = |describe| {
                    let lines =
                        summary::lines(&self.store, &self.session, row as usize, doc, describe);
                    summary::rows(&lines, first.summary.width as usize).len() + 1
                };
                let full = rows(true);
                self.detail.describe_rules = full <= cap;
                if self.detail.describe_rules {
                    full
                } else {
                    rows(false)
                }
            }
            None => 0,
        };
        self.geometry = Geometry::of(area, self.demo, summary_rows.min(cap) as u16, detail);
        self.timeline.page = self.geometry.list_height().max(1);
        self.detail.page = self.geometry.detail_height().max(1);
        self.detail.width = self.geometry.json.width.saturating_sub(1).max(1) as usize;
        self.detail.keep_cursor_in_view();
        self.timeline.clamp_offset();
        let mut requests = Vec::new();
        if let Some((version, width)) = self
            .timeline
            .histogram_needed(self.geometry.histogram_width())
        {
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
        if self.detections.pending && !self.loading && self.session.hits().is_none() {
            // Asked once: the flag drops when the hits arrive.
            if !std::mem::replace(&mut self.detections.asked, true) {
                requests.push(Request::Detect {
                    rules: Arc::clone(&self.detections.rules),
                    load: self.detections.load,
                });
            }
        }
        requests
    }

    /// [`App::layout`], with the derived work done at once on this thread (tests, the
    /// screenshot tool, benches).
    pub fn prepare(&mut self, area: ratatui::layout::Rect) {
        for request in self.layout(area) {
            if let Some(done) = run_request(&self.store, &request, &|| false) {
                self.update(done);
            }
        }
    }
}
