//! The timeline: the rows of the current result, the selection and the visible window,
//! principal stepping, and the histogram of the result.

use std::sync::Arc;

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
    /// Said of the result while it is shown: where a filter's bare words occur when it
    /// matched nothing.
    pub hint: Option<String>,
    /// The width each column would like, measured over the whole index.
    pub natural: [usize; 7],
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
            hint: None,
            natural: [0; 7],
        }
    }
}

impl Timeline {
    /// The selected event's row in the store.
    pub fn selected_row(&self) -> Option<u32> {
        self.rows.get(self.selected).copied()
    }

    /// Shows a new result, keeping the selected event selected when it is still there
    /// (else the nearest later one).
    pub fn show(&mut self, rows: Vec<u32>) {
        let keep = self.selected_row();
        self.rows = Arc::new(rows);
        self.version += 1;
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
        self.rows.binary_search(&row).ok()
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

/// The `new:` fields the timeline's `+` marks.
const MARKED_NEW: [&str; 5] = ["ip", "agent", "region", "key", "account"];

/// Whether the principal of `row` used one of [`MARKED_NEW`] for the first time there.
pub fn is_new(store: &Store, row: usize) -> bool {
    crate::schema::FIRST_SEEN
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| MARKED_NEW.contains(name))
        .any(|(i, _)| store.first_seen(i).binary_search(&(row as u32)).is_ok())
}
