//! The timeline: the rows of the current result, the selection and the visible window,
//! principal stepping, and the histogram of the result.

use std::sync::Arc;

use super::action::Request;
use super::effect::{say, Ctx, Effect, Effects};
use super::grid::{self, default_columns, Column, ColumnEdit, Sort};
use crate::query::{parse_time_bound, TimeBound};
use crate::schema::Col;
use crate::stats::Histogram;
use crate::store::Store;

/// What `]` and `[` follow: the selected event's principal (after `p`), or everyone in its
/// credential chain (after `P`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Follow {
    #[default]
    Principal,
    Origin,
}

/// The timeline's state.
#[derive(Debug)]
pub struct Timeline {
    /// The rows of the current result, in time order.
    pub rows: Arc<Vec<u32>>,
    /// Bumped whenever `rows` changes, so derived views know to rebuild.
    pub version: u64,
    /// Index into `rows` of the selected event.
    pub selected: usize,
    /// First visible row of the list.
    pub offset: usize,
    /// Rows the list shows (from the terminal size).
    pub page: usize,
    /// The histogram of the result (for `version`, at the width it was built for).
    pub histogram: Option<(u64, usize, Histogram)>,
    /// The histogram asked of the worker: (version, width).
    pub histogram_requested: Option<(u64, usize)>,
    /// "principal X: k of n" after stepping.
    pub stepping: Option<String>,
    /// Stuck to the newest event (`F`, and `--follow` from the start): each new result
    /// selects its last event, until a motion lets go.
    pub sticky: bool,
    /// Said of the result while it is shown: where a filter's bare words occur when it
    /// matched nothing.
    pub hint: Option<String>,
    /// The width each field's column would like, measured over the whole index (by
    /// index into the schema's fields).
    pub natural: Vec<usize>,
    /// The columns shown, in order (`c`, `:columns`).
    pub columns: Vec<Column>,
    /// The order of the rows when not by time (`s` in the columns list).
    pub sort: Option<Sort>,
    /// The cursor of the columns list.
    pub columns_cursor: usize,
    /// What `]` and `[` follow.
    pub follow: Follow,
    /// `+`: the events where the principal used an address, agent, region, key or account
    /// for the first time, marked (`Some` once a worker found them).
    pub new_marks: bool,
    pub first_uses: Option<Arc<Vec<u32>>>,
    /// An event to select once the running filter's result arrives (a jump across
    /// filters).
    pub pending_select: Option<u32>,
}

/// The timeline's messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineMsg {
    Move(isize),
    /// Pages of the list.
    Page(isize),
    Top,
    Bottom,
    /// `]` / `[`: the next / previous event of the principal (or origin) followed.
    Step(isize),
    /// `e` / `E`: the next / previous event that failed.
    StepError(isize),
    /// `:goto TIME`, `t`: the event nearest that time.
    GoToTime(String),
    /// A click on a histogram bucket: its first event (or the next after it).
    Bucket(usize),
    /// `+`: first-use marks on or off.
    ToggleNewMarks,
    /// `F`: the newest event, and stay on it as events arrive.
    StickToNewest,
    /// A key of the columns list (`c`).
    Columns(ColumnEdit),
    /// `:columns`, `:sort`, the case: these columns (and order), the selection kept.
    SetColumns(Vec<Column>, Option<Sort>),
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline {
            rows: Arc::new(Vec::new()),
            version: 0,
            selected: 0,
            offset: 0,
            page: 20,
            histogram: None,
            histogram_requested: None,
            stepping: None,
            sticky: false,
            hint: None,
            natural: Vec::new(),
            columns: default_columns(),
            sort: None,
            columns_cursor: 0,
            follow: Follow::Principal,
            new_marks: false,
            first_uses: None,
            pending_select: None,
        }
    }
}

impl Timeline {
    pub fn update(&mut self, ctx: &Ctx, msg: TimelineMsg) -> Effects {
        match msg {
            TimelineMsg::Move(n) => self.move_by(n),
            TimelineMsg::Page(n) => self.move_by(n * self.page.max(1) as isize),
            TimelineMsg::Top => return self.jump_to(0),
            TimelineMsg::Bottom => return self.jump_to(self.rows.len().saturating_sub(1)),
            TimelineMsg::Step(direction) => {
                if let Some(message) = self.step(&ctx.store, self.follow, direction) {
                    return say(message);
                }
            }
            TimelineMsg::StepError(direction) => return self.step_error(&ctx.store, direction),
            TimelineMsg::GoToTime(text) => return self.go_to_time(&ctx.store, &text),
            TimelineMsg::Bucket(bucket) => return self.bucket(&ctx.store, bucket),
            TimelineMsg::StickToNewest => {
                self.sticky = true;
                let mut effects = self.jump_to(self.rows.len().saturating_sub(1));
                effects.extend(say(
                    "on the newest event as new ones arrive; a motion lets go",
                ));
                return effects;
            }
            TimelineMsg::Columns(edit) => {
                let sort = self.sort;
                let said = grid::edit(
                    &mut self.columns,
                    &mut self.sort,
                    &mut self.columns_cursor,
                    edit,
                );
                if self.sort != sort {
                    self.reorder(&ctx.store);
                }
                return said.map(say).unwrap_or_default();
            }
            TimelineMsg::SetColumns(columns, sort) => {
                self.columns = columns;
                self.columns_cursor = 0;
                if self.sort != sort {
                    self.sort = sort;
                    self.reorder(&ctx.store);
                }
            }
            TimelineMsg::ToggleNewMarks => {
                self.new_marks = !self.new_marks;
                if !self.new_marks {
                    return say("first-seen marks off");
                }
                let mut effects = say("+ marks a principal's first address, agent, region, key or account (new:ip… filters)");
                if self.first_uses.is_none() {
                    effects.push(Effect::Work(Request::FirstUses { load: ctx.load }));
                }
                return effects;
            }
        }
        Vec::new()
    }

    /// Selects `index`, remembering where the explorer was (a jump).
    fn jump_to(&mut self, index: usize) -> Effects {
        vec![Effect::Select {
            index,
            remember: true,
        }]
    }

    /// `e` / `E`: the next / previous event that failed.
    fn step_error(&mut self, store: &Store, direction: isize) -> Effects {
        let errors = store.ids(Col::Error);
        let rows = &self.rows;
        let from = self.selected;
        let failed = |r: &u32| errors.get(*r as usize).is_some_and(|&e| e != 0);
        let target = if direction > 0 {
            rows[(from + 1).min(rows.len())..]
                .iter()
                .position(failed)
                .map(|i| from + 1 + i)
        } else {
            rows[..from.min(rows.len())].iter().rposition(failed)
        };
        match target {
            Some(index) => {
                self.jump(index);
                Vec::new()
            }
            None => {
                let edge = if direction > 0 { "after" } else { "before" };
                say(format!("no error {edge} this event"))
            }
        }
    }

    /// `:goto 2024-05-02T14:05`, a date, `14:05` (on the selected event's day) or `-2h`
    /// (before the newest event): the event nearest that time in the result, the filter
    /// unchanged.
    fn go_to_time(&mut self, store: &Store, text: &str) -> Effects {
        let Some(bound) = parse_time_bound(text).or_else(|| self.time_of_day(store, text)) else {
            return say(format!(
                "expected a time (2024-05-03, 2024-05-03 14:02, 14:02 on the selected event's day, epoch seconds or -2h), found `{}`",
                crate::text::sanitize(text)
            ));
        };
        let target = match bound {
            TimeBound::At(t) => t,
            TimeBound::BeforeNewest(ms) => store.newest().unwrap_or(0) - ms,
        };
        let rows = &self.rows;
        if rows.is_empty() {
            return Vec::new();
        }
        let time = |i: usize| store.time(rows[i] as usize).unwrap_or(i64::MIN);
        let after = rows.partition_point(|&r| store.time(r as usize).unwrap_or(i64::MIN) < target);
        // The nearer of the events either side of the time (of any, when sorted otherwise).
        let index = match after {
            _ if self.sort.is_some() => (0..rows.len())
                .min_by_key(|&i| time(i).abs_diff(target))
                .unwrap_or(0),
            0 => 0,
            i if i >= rows.len() => rows.len() - 1,
            i if target - time(i - 1) <= time(i) - target => i - 1,
            i => i,
        };
        let at = store
            .time(rows[index] as usize)
            .map(crate::event::display_time)
            .unwrap_or_default();
        vec![
            Effect::Select {
                index,
                remember: true,
            },
            Effect::Say(format!(
                "the event nearest that time: {at} (Ctrl-O goes back)"
            )),
        ]
    }

    /// `14:05` or `14:05:30`: that time on the day (UTC) of the selected event.
    fn time_of_day(&self, store: &Store, text: &str) -> Option<TimeBound> {
        let time = chrono::NaiveTime::parse_from_str(text, "%H:%M")
            .or_else(|_| chrono::NaiveTime::parse_from_str(text, "%H:%M:%S"))
            .ok()?;
        let row = self.selected_row()?;
        let day = chrono::DateTime::from_timestamp_millis(store.time(row as usize)?)?.date_naive();
        Some(TimeBound::At(
            day.and_time(time).and_utc().timestamp_millis(),
        ))
    }

    /// A click on a histogram bucket: the first event of the result in it (or after it,
    /// when it is empty).
    fn bucket(&mut self, store: &Store, bucket: usize) -> Effects {
        let Some((_, _, hist)) = &self.histogram else {
            return Vec::new();
        };
        let from = hist.start + hist.bucket_ms * bucket as i64;
        let to = from + hist.bucket_ms;
        let time = |r: &u32| store.time(*r as usize).unwrap_or(i64::MIN);
        let index = match self.sort {
            None => self.rows.partition_point(|r| time(r) < from),
            Some(_) => self
                .rows
                .iter()
                .position(|r| (from..to).contains(&time(r)))
                .unwrap_or(self.rows.len()),
        };
        let Some(first) = self.rows.get(index) else {
            return Vec::new();
        };
        vec![
            Effect::Say(format!(
                "{} {} (Ctrl-O goes back)",
                if time(first) < to {
                    "the bucket's first event:"
                } else {
                    "no event in that bucket; the next:"
                },
                crate::event::display_time(time(first))
            )),
            Effect::Select {
                index,
                remember: true,
            },
        ]
    }

    /// Whether the principal of `row` used an address, agent, region, key or account for
    /// the first time there (with `+` on, once the first uses are found).
    pub fn is_new(&self, row: u32) -> bool {
        self.new_marks
            && self
                .first_uses
                .as_ref()
                .is_some_and(|rows| rows.binary_search(&row).is_ok())
    }

    /// The selected event's row in the store.
    pub fn selected_row(&self) -> Option<u32> {
        self.rows.get(self.selected).copied()
    }

    /// The result of the filter applied, with the hint it came with: shown, then the newest
    /// event selected when following arrivals, else the event a jump waits for.
    pub fn filtered(&mut self, store: &Store, rows: Vec<u32>, hint: Option<String>) {
        // "principal X: k of n" was of the result before.
        self.stepping = None;
        self.hint = hint;
        self.show(store, rows);
        let kept = self.pending_select.take();
        if self.sticky {
            self.jump(self.rows.len().saturating_sub(1));
        } else if let Some(index) = kept.and_then(|row| self.index_of(row)) {
            self.jump(index);
        }
    }

    /// Shows a new result, keeping the selected event selected when it is still there
    /// (else the nearest later one).
    pub fn show(&mut self, store: &Store, mut rows: Vec<u32>) {
        let keep = self.selected_row();
        if let Some(sort) = self.sort {
            sort.apply(store, &mut rows);
        }
        self.rows = Arc::new(rows);
        self.version += 1;
        self.selected = match keep {
            Some(row) => self
                .index_of(row)
                .unwrap_or_else(|| self.rows.partition_point(|&r| r < row))
                .min(self.rows.len().saturating_sub(1)),
            None => 0,
        };
        self.offset = self.selected.saturating_sub(self.page / 2);
        self.clamp_offset();
    }

    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.rows.len().saturating_sub(1));
        self.clamp_offset();
        self.stepping = None;
    }

    /// Selects `index` with it in the middle of the list (a jump, not a step).
    pub fn jump(&mut self, index: usize) {
        self.select(index);
        self.offset = self.selected.saturating_sub(self.page / 2);
        self.clamp_offset();
    }

    pub fn move_by(&mut self, n: isize) {
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

    /// Selects the next (+1) or previous (-1) event of the selected event's principal, or
    /// of its chain's root with [`Follow::Origin`]; returns a message when there is nothing
    /// to follow.
    pub fn step(&mut self, store: &Store, follow: Follow, direction: isize) -> Option<String> {
        let row = self.selected_row()?;
        let provenance = store.provenance();
        let principals = crate::store::Principals::of(store);
        // Who a row counts as: its principal in its account, or its chain root's.
        let who = |r: u32| match follow {
            Follow::Principal => principals.key(r as usize),
            Follow::Origin => principals.key(provenance.root(store, r as usize) as usize),
        };
        let principal = who(row);
        if principal.0 == 0 {
            return Some("this event has no principal".into());
        }
        let label = match follow {
            Follow::Principal => "principal",
            Follow::Origin => "origin",
        };
        let name = crate::text::sanitize(store.strings(Col::Principal).get(principal.0));
        let same = |&r: &u32| who(r) == principal;
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
                // A jump: the event lands mid-list, with what came before it in view.
                self.jump(index);
                let k = self.rows[..=index].iter().filter(|r| same(r)).count();
                self.stepping = Some(format!("{label} {name}: {k} of {total}"));
            }
            None => {
                let k = self.rows[..=self.selected]
                    .iter()
                    .filter(|r| same(r))
                    .count();
                let edge = if direction > 0 { "last" } else { "first" };
                self.stepping = Some(format!("{label} {name}: {k} of {total} ({edge})"));
            }
        }
        None
    }

    /// The position of `row` in the result, if it is there.
    pub fn index_of(&self, row: u32) -> Option<usize> {
        match self.sort {
            None => self.rows.binary_search(&row).ok(),
            Some(_) => self.rows.iter().position(|&r| r == row),
        }
    }

    /// The rows in the order asked (sorted, or time order again), the selection kept.
    fn reorder(&mut self, store: &Store) {
        let mut rows = self.rows.to_vec();
        if self.sort.is_none() {
            rows.sort_unstable();
        }
        self.show(store, rows);
    }

    /// The histogram to build for a list `width` wide, unless built or asked for already.
    pub fn histogram_needed(&mut self, width: usize) -> Option<(u64, usize)> {
        let want = (self.version, width);
        let built = self.histogram.as_ref().map(|(v, w, _)| (*v, *w));
        if built == Some(want) || self.histogram_requested == Some(want) {
            return None;
        }
        self.histogram_requested = Some(want);
        Some(want)
    }
}
