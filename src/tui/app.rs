//! The explorer's state and every change to it: all state changes go through [`Action`] and
//! [`App::update`]. Slow work is not done here: `update` returns a [`Request`] that the event
//! loop hands to a worker thread (or a test runs inline), and the result comes back as an
//! action tagged with its generation, so a stale result is dropped.

use std::sync::Arc;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use super::detail::{self, pivot_field};
use crate::load::LoadReport;
use crate::query::{self, term_text, QueryError};
use crate::stats::Histogram;
use crate::store::{Col, Store};

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Timeline,
    Detail,
    Filter,
}

/// Every change the explorer can make to its state.
#[derive(Debug)]
pub enum Action {
    /// Leave the explorer.
    Quit,
    /// Move the timeline selection by this many rows (negative: up).
    Move(isize),
    /// Move by a page of the timeline (negative: up).
    Page(isize),
    /// First / last event of the timeline.
    Top,
    Bottom,
    /// Select the timeline row at this position on screen (mouse click).
    ClickRow(u16),
    /// Scroll the wheel over the pane at this column.
    Wheel {
        column: u16,
        down: bool,
    },
    /// Move the detail pane's line cursor by this many lines.
    DetailMove(isize),
    /// Switch focus between timeline and detail.
    ToggleFocus,
    /// Focus the filter bar to edit the filter.
    EditFilter,
    /// Insert a character at the cursor of the filter bar.
    FilterChar(char),
    FilterBackspace,
    FilterDelete,
    FilterLeft,
    FilterRight,
    FilterHome,
    FilterEnd,
    /// Delete the word before the cursor.
    FilterDeleteWord,
    /// Delete everything before the cursor (readline's Ctrl-U).
    FilterDeleteToStart,
    /// Keep the edited filter and leave the filter bar.
    FilterAccept,
    /// Restore the filter from before editing and leave the filter bar.
    FilterCancel,
    /// Recall an earlier (-1) or later (+1) filter.
    FilterHistory(isize),
    /// Move the selection in the suggestion list.
    SuggestionMove(isize),
    /// Replace the word at the cursor with the selected suggestion.
    Complete,
    /// Filter to the selected event's principal.
    FilterPrincipal,
    /// Select the next (+1) or previous (-1) event of the selected event's principal.
    StepPrincipal(isize),
    /// Add `field:value` (or `-field:value`) of the detail line under the cursor.
    Pivot {
        exclude: bool,
    },
    /// Show or hide the key help.
    ToggleHelp,
    /// The background load finished.
    Loaded(Box<(Store, LoadReport)>),
    /// A filter finished on the worker.
    Filtered {
        generation: u64,
        rows: Vec<u32>,
    },
}

/// Work the event loop must run off the UI thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Filter { generation: u64, text: String },
}

/// What the status line says about the load.
#[derive(Debug, Clone, Default)]
pub struct LoadSummary {
    pub inputs: usize,
    pub events: usize,
    pub digests: usize,
    pub duplicates: usize,
    pub problems: Vec<String>,
}

/// Suggestions for the word being typed: eventNames with their counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestions {
    pub items: Vec<(String, usize)>,
    pub selected: usize,
}

/// The explorer's whole state.
pub struct App {
    pub store: Arc<Store>,
    pub loading: bool,
    pub demo: bool,
    pub summary: LoadSummary,
    /// The filter applied to the rows shown.
    pub filter: String,
    /// The filter bar's text while editing (the cursor is a char index).
    pub input: String,
    pub cursor: usize,
    /// The filter before editing began, restored by Esc.
    saved_filter: String,
    pub error: Option<QueryError>,
    pub history: Vec<String>,
    history_pos: Option<usize>,
    pub suggestions: Suggestions,
    /// Events per eventName id, for suggestions.
    name_counts: Vec<usize>,
    /// The rows of the current result, in time order.
    pub rows: Arc<Vec<u32>>,
    /// Generation of the newest filter request; results of older ones are dropped.
    generation: u64,
    /// Bumped whenever `rows` changes, so derived views know to rebuild.
    result_version: u64,
    /// A filter is running on the worker.
    pub filtering: bool,
    /// Index into `rows` of the selected event.
    pub selected: usize,
    /// First visible row of the timeline list.
    pub offset: usize,
    /// Rows the timeline list shows (set by `prepare` from the terminal size).
    pub page: usize,
    pub focus: Focus,
    /// Focus to return to when the filter bar is left.
    focus_before_filter: Focus,
    /// The detail document of the selected event, and its row.
    pub detail: Option<(u32, Vec<detail::Line>)>,
    pub detail_cursor: usize,
    pub detail_offset: usize,
    pub detail_page: usize,
    /// The histogram of the current result and its width.
    pub histogram: Option<(u64, Histogram)>,
    histogram_of: (u64, usize),
    pub help: bool,
    /// A one-off message for the status line.
    pub message: Option<String>,
    /// "principal X: k of n" after stepping.
    pub stepping: Option<String>,
    /// Screen geometry of the last frame, for mouse hits.
    pub geometry: super::draw::Geometry,
    pub quit: bool,
}

impl App {
    pub fn new(filter: String, demo: bool) -> App {
        App {
            store: Arc::new(Store::empty()),
            loading: true,
            demo,
            summary: LoadSummary::default(),
            input: filter.clone(),
            cursor: filter.chars().count(),
            filter,
            saved_filter: String::new(),
            error: None,
            history: Vec::new(),
            history_pos: None,
            suggestions: Suggestions::default(),
            name_counts: Vec::new(),
            rows: Arc::new(Vec::new()),
            generation: 0,
            result_version: 0,
            filtering: false,
            selected: 0,
            offset: 0,
            page: 20,
            focus: Focus::Timeline,
            focus_before_filter: Focus::Timeline,
            detail: None,
            detail_cursor: 0,
            detail_offset: 0,
            detail_page: 20,
            histogram: None,
            histogram_of: (u64::MAX, 0),
            help: false,
            message: None,
            stepping: None,
            geometry: super::draw::Geometry::default(),
            quit: false,
        }
    }

    /// The selected event's row in the store.
    pub fn selected_row(&self) -> Option<u32> {
        self.rows.get(self.selected).copied()
    }

    /// Applies an action and runs the work it asks for at once, on this thread, as the
    /// event loop does through its worker: for tests, benches and the screenshot tool.
    pub fn apply(&mut self, action: Action) {
        let mut next = Some(action);
        while let Some(action) = next.take() {
            next = self
                .update(action)
                .map(|request| run_request(&self.store, &request));
        }
    }

    /// Applies one action; returns work for the worker, if any.
    pub fn update(&mut self, action: Action) -> Option<Request> {
        if !matches!(action, Action::Filtered { .. } | Action::Loaded(_)) {
            self.message = None;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Move(n) => self.move_selection(n),
            Action::Page(n) => self.move_selection(n * self.page.max(1) as isize),
            Action::Top => self.select(0),
            Action::Bottom => self.select(self.rows.len().saturating_sub(1)),
            Action::ClickRow(y) => {
                if let Some(index) = self.geometry.row_at(y, self.offset) {
                    if index < self.rows.len() {
                        self.focus = Focus::Timeline;
                        self.select(index);
                    }
                }
            }
            Action::Wheel { column, down } => {
                let n = if down { 3 } else { -3 };
                if self.geometry.in_detail(column) {
                    self.detail_move(n);
                } else {
                    self.move_selection(n);
                }
            }
            Action::DetailMove(n) => self.detail_move(n),
            Action::ToggleFocus => {
                self.focus = match self.focus {
                    Focus::Timeline => Focus::Detail,
                    _ => Focus::Timeline,
                }
            }
            Action::EditFilter => {
                self.focus_before_filter = match self.focus {
                    Focus::Filter => self.focus_before_filter,
                    other => other,
                };
                self.focus = Focus::Filter;
                self.saved_filter = self.filter.clone();
                self.input = self.filter.clone();
                self.cursor = self.input.chars().count();
                self.history_pos = None;
                self.refresh_suggestions();
            }
            Action::FilterChar(c) => {
                let at = self.byte_at(self.cursor);
                self.input.insert(at, c);
                self.cursor += 1;
                return self.input_changed();
            }
            Action::FilterBackspace => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                    let at = self.byte_at(self.cursor);
                    self.input.remove(at);
                    return self.input_changed();
                }
            }
            Action::FilterDelete => {
                if self.cursor < self.input.chars().count() {
                    let at = self.byte_at(self.cursor);
                    self.input.remove(at);
                    return self.input_changed();
                }
            }
            Action::FilterDeleteWord => {
                let chars: Vec<char> = self.input.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                self.input = chars[..start].iter().chain(&chars[self.cursor..]).collect();
                self.cursor = start;
                return self.input_changed();
            }
            Action::FilterDeleteToStart => {
                let at = self.byte_at(self.cursor);
                self.input.replace_range(..at, "");
                self.cursor = 0;
                return self.input_changed();
            }
            Action::FilterLeft => self.cursor = self.cursor.saturating_sub(1),
            Action::FilterRight => self.cursor = (self.cursor + 1).min(self.input.chars().count()),
            Action::FilterHome => self.cursor = 0,
            Action::FilterEnd => self.cursor = self.input.chars().count(),
            Action::FilterAccept => {
                self.focus = self.focus_before_filter;
                self.suggestions = Suggestions::default();
                let text = self.input.trim().to_string();
                if !text.is_empty() && self.history.last() != Some(&text) {
                    self.history.push(text);
                }
                if self.error.is_some() {
                    // A broken expression is not kept: the last good filter stays.
                    self.input = self.filter.clone();
                    self.error = None;
                    self.message = Some("filter not applied: the expression has an error".into());
                }
            }
            Action::FilterCancel => {
                self.focus = self.focus_before_filter;
                self.suggestions = Suggestions::default();
                self.error = None;
                let restore = self.saved_filter.clone();
                self.input = restore.clone();
                self.cursor = self.input.chars().count();
                if restore != self.filter {
                    return self.set_filter(restore);
                }
            }
            Action::FilterHistory(step) => {
                if self.history.is_empty() {
                    return None;
                }
                let last = self.history.len() as isize - 1;
                let pos = match self.history_pos {
                    None if step < 0 => last,
                    None => return None,
                    Some(p) => p as isize + step,
                };
                if pos > last {
                    self.history_pos = None;
                    self.input = self.saved_filter.clone();
                } else {
                    let pos = pos.clamp(0, last) as usize;
                    self.history_pos = Some(pos);
                    self.input = self.history[pos].clone();
                }
                self.cursor = self.input.chars().count();
                return self.input_changed();
            }
            Action::SuggestionMove(n) => {
                let len = self.suggestions.items.len();
                if len > 0 {
                    let s = self.suggestions.selected as isize + n;
                    self.suggestions.selected = s.rem_euclid(len as isize) as usize;
                }
            }
            Action::Complete => return self.complete(),
            Action::FilterPrincipal => {
                let row = self.selected_row()?;
                let principal = self.store.get(Col::Principal, row as usize).to_string();
                if principal.is_empty() {
                    self.message = Some("this event has no principal".into());
                    return None;
                }
                let text = term_text("principal", &principal);
                self.input = text.clone();
                self.cursor = self.input.chars().count();
                self.history.push(text.clone());
                return self.set_filter(text);
            }
            Action::StepPrincipal(direction) => self.step_principal(direction),
            Action::Pivot { exclude } => return self.pivot(exclude),
            Action::ToggleHelp => self.help = !self.help,
            Action::Loaded(loaded) => {
                let (store, report) = *loaded;
                self.loaded(store, &report);
                return self.set_filter(self.filter.clone()).or_else(|| {
                    // The initial filter was broken: show everything, keep the error.
                    self.rows = Arc::new((0..self.store.len() as u32).collect());
                    self.result_version += 1;
                    None
                });
            }
            Action::Filtered { generation, rows } => {
                if generation == self.generation {
                    self.show_result(rows);
                }
            }
        }
        None
    }

    fn loaded(&mut self, store: Store, report: &LoadReport) {
        self.summary = LoadSummary {
            inputs: report.inputs.len(),
            events: store.len(),
            digests: report.digests,
            duplicates: report.duplicates,
            problems: report.problems().map(|p| p.to_string()).collect(),
        };
        let names = store.ids(Col::Name);
        let mut counts = vec![0usize; store.strings(Col::Name).len()];
        for &id in names {
            counts[id as usize] += 1;
        }
        self.name_counts = counts;
        self.store = Arc::new(store);
        self.loading = false;
    }

    /// Re-parses the filter bar's text; a good expression is sent to the worker at once.
    fn input_changed(&mut self) -> Option<Request> {
        self.refresh_suggestions();
        self.stepping = None;
        self.set_filter(self.input.clone())
    }

    /// Makes `text` the filter if it parses; otherwise shows the error and keeps the last
    /// good result on screen.
    fn set_filter(&mut self, text: String) -> Option<Request> {
        match query::parse(&text) {
            Err(err) => {
                self.error = Some(err);
                None
            }
            Ok(_) => {
                self.error = None;
                self.filter = text.clone();
                self.generation += 1;
                self.filtering = true;
                Some(Request::Filter {
                    generation: self.generation,
                    text,
                })
            }
        }
    }

    /// Shows a new result, keeping the selected event selected when it is still there
    /// (else the nearest later one).
    fn show_result(&mut self, rows: Vec<u32>) {
        let keep = self.selected_row();
        self.filtering = false;
        self.rows = Arc::new(rows);
        self.result_version += 1;
        self.selected = match keep {
            Some(row) => self
                .rows
                .partition_point(|&r| r < row)
                .min(self.rows.len().saturating_sub(1)),
            None => 0,
        };
        self.offset = self.selected.saturating_sub(self.page / 2);
        self.clamp_offset();
    }

    fn select(&mut self, index: usize) {
        self.selected = index.min(self.rows.len().saturating_sub(1));
        self.clamp_offset();
        self.stepping = None;
    }

    fn move_selection(&mut self, n: isize) {
        if self.focus == Focus::Detail {
            self.detail_move(n);
            return;
        }
        let target = (self.selected as isize + n).max(0) as usize;
        self.select(target);
    }

    /// Keeps the selection inside the visible window of the list.
    pub fn clamp_offset(&mut self) {
        let page = self.page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        let max_offset = self.rows.len().saturating_sub(page);
        self.offset = self.offset.min(max_offset);
    }

    fn detail_move(&mut self, n: isize) {
        let len = self.detail.as_ref().map_or(0, |(_, lines)| lines.len());
        if len == 0 {
            return;
        }
        self.detail_cursor = (self.detail_cursor as isize + n).clamp(0, len as isize - 1) as usize;
        let page = self.detail_page.max(1);
        if self.detail_cursor < self.detail_offset {
            self.detail_offset = self.detail_cursor;
        } else if self.detail_cursor >= self.detail_offset + page {
            self.detail_offset = self.detail_cursor + 1 - page;
        }
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.input
            .char_indices()
            .nth(char_index)
            .map_or(self.input.len(), |(i, _)| i)
    }

    /// The bare word under the cursor: (start char, end char, text).
    fn word_at_cursor(&self) -> Option<(usize, usize, String)> {
        let chars: Vec<char> = self.input.chars().collect();
        let mut start = self.cursor.min(chars.len());
        while start > 0 && !chars[start - 1].is_whitespace() && chars[start - 1] != '(' {
            start -= 1;
        }
        let mut end = self.cursor.min(chars.len());
        while end < chars.len() && !chars[end].is_whitespace() && chars[end] != ')' {
            end += 1;
        }
        let mut word: String = chars[start..end].iter().collect();
        if let Some(rest) = word.strip_prefix('-') {
            word = rest.to_string();
            start += 1;
        }
        if word.is_empty()
            || word.contains([':', '~', '"'])
            || word.eq_ignore_ascii_case("or")
            || word.eq_ignore_ascii_case("not")
        {
            return None;
        }
        Some((start, end, word))
    }

    fn refresh_suggestions(&mut self) {
        self.suggestions = Suggestions::default();
        let Some((_, _, word)) = self.word_at_cursor() else {
            return;
        };
        let matcher = SkimMatcherV2::default().ignore_case();
        let names = self.store.strings(Col::Name);
        let mut scored: Vec<(i64, usize, &str)> = names
            .values()
            .filter(|(id, _)| *id != 0)
            .filter_map(|(id, name)| {
                let count = self.name_counts.get(id as usize).copied().unwrap_or(0);
                matcher
                    .fuzzy_match(name, &word)
                    .map(|score| (score, count, name))
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
        self.suggestions.items = scored
            .into_iter()
            .take(8)
            .map(|(_, count, name)| (name.to_string(), count))
            .collect();
    }

    fn complete(&mut self) -> Option<Request> {
        let (name, _) = self
            .suggestions
            .items
            .get(self.suggestions.selected)?
            .clone();
        let (start, end, _) = self.word_at_cursor()?;
        let chars: Vec<char> = self.input.chars().collect();
        let replacement = format!("name:{name}");
        let mut text: String = chars[..start].iter().collect();
        text.push_str(&replacement);
        let cursor = text.chars().count();
        text.extend(&chars[end..]);
        self.input = text;
        self.cursor = cursor;
        let request = self.input_changed();
        self.suggestions = Suggestions::default();
        request
    }

    fn step_principal(&mut self, direction: isize) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let store = Arc::clone(&self.store);
        let ids = store.ids(Col::Principal);
        let principal = ids[row as usize];
        let name = store.strings(Col::Principal).get(principal).to_string();
        if principal == 0 {
            self.message = Some("this event has no principal".into());
            return;
        }
        let same = |&r: &u32| ids[r as usize] == principal;
        let target = if direction > 0 {
            self.rows[self.selected + 1..]
                .iter()
                .position(same)
                .map(|i| self.selected + 1 + i)
        } else {
            self.rows[..self.selected].iter().rposition(same)
        };
        let total = self.rows.iter().filter(|r| same(r)).count();
        match target {
            Some(index) => {
                self.selected = index;
                self.clamp_offset();
                let k = self.rows[..=index].iter().filter(|r| same(r)).count();
                self.stepping = Some(format!("principal {name}: {k} of {total}"));
            }
            None => {
                let k = self.rows[..=self.selected]
                    .iter()
                    .filter(|r| same(r))
                    .count();
                let edge = if direction > 0 { "last" } else { "first" };
                self.stepping = Some(format!("principal {name}: {k} of {total} ({edge})"));
            }
        }
    }

    fn pivot(&mut self, exclude: bool) -> Option<Request> {
        let (_, lines) = self.detail.as_ref()?;
        let line = lines.get(self.detail_cursor)?;
        let Some(value) = line.value.clone() else {
            self.message = Some("pick a line with a value to pivot on".into());
            return None;
        };
        let field = pivot_field(&line.path);
        let addition = format!(
            "{}{}",
            if exclude { "-" } else { "" },
            term_text(&field, &value)
        );
        let text = if self.filter.trim().is_empty() {
            addition
        } else {
            format!("{} {addition}", self.filter.trim())
        };
        self.input = text.clone();
        self.cursor = self.input.chars().count();
        self.history.push(text.clone());
        self.set_filter(text)
    }

    /// Brings derived state up to date with the terminal size: page sizes, the histogram,
    /// the detail document. Called before each draw; drawing itself never mutates.
    pub fn prepare(&mut self, area: ratatui::layout::Rect) {
        self.geometry = super::draw::Geometry::of(area, self);
        self.page = self.geometry.list_height().max(1);
        self.detail_page = self.geometry.detail_height().max(1);
        self.clamp_offset();
        let buckets = self.geometry.histogram_width();
        if self.histogram_of != (self.result_version, buckets) || self.histogram.is_none() {
            let histogram = Histogram::build(&self.store, &self.rows, buckets);
            self.histogram = Some((self.result_version, histogram));
            self.histogram_of = (self.result_version, buckets);
        }
        let row = self.selected_row();
        if self.detail.as_ref().map(|(r, _)| *r) != row {
            self.detail = row.map(|r| (r, detail::pretty(&self.store.event_json(r as usize))));
            // A new event opens at its top.
            self.detail_cursor = 0;
            self.detail_offset = 0;
        }
    }
}

/// Runs a filter request to completion (on the worker, or inline in tests).
pub fn run_request(store: &Store, request: &Request) -> Action {
    match request {
        Request::Filter { generation, text } => {
            let rows = query::parse(text)
                .map(|expr| expr.rows(store))
                .unwrap_or_default();
            Action::Filtered {
                generation: *generation,
                rows,
            }
        }
    }
}
