//! The explorer's side of detections: the rules to run once the load is done, the level
//! `}` / `{` step through, and the detections view (the rules that fired, most severe
//! first). The hits themselves are on the index (`Store::hits`).

use std::sync::Arc;

use super::app::{App, Overlay, Request};
use crate::detect::{Level, RuleSet};
use crate::query::{self, term_text};
use crate::store::{Hits, LEVELS};

/// The detections state.
#[derive(Debug)]
pub struct Detections {
    pub rules: Arc<RuleSet>,
    /// The rules still have to run over the loaded index.
    pub pending: bool,
    /// Their run was asked of a worker.
    pub asked: bool,
    /// The number of the index loaded (a followed trail's grows): hits of an older one
    /// are dropped.
    pub load: u64,
    /// `}` / `{` stop at hits of this level or above.
    pub min_level: Level,
    /// What the `d` view lists, made when it opens.
    pub view: DetectionsView,
}

/// The `d` view's rules: those with hits among the events shown (or in the whole load),
/// in the order it lists them.
#[derive(Debug, Default, Clone)]
pub struct DetectionsView {
    pub rules: Vec<ViewRule>,
    /// The events the counts are of: `None` for the whole load, else how many were shown.
    pub among: Option<usize>,
}

/// One rule of the view: its index in the hits, and its hits among the events counted.
#[derive(Debug, Clone, Copy)]
pub struct ViewRule {
    pub rule: usize,
    pub events: usize,
    pub first: Option<u32>,
    pub last: Option<u32>,
}

impl DetectionsView {
    /// The rules with hits among `rows` (every event when `rows` is `None`): most severe,
    /// then most hits, then by title.
    pub fn of(hits: &Hits, len: usize, rows: Option<&[u32]>) -> DetectionsView {
        let shown: Option<Vec<bool>> = rows.map(|rows| {
            let mut shown = vec![false; len];
            for &r in rows {
                if let Some(s) = shown.get_mut(r as usize) {
                    *s = true;
                }
            }
            shown
        });
        let mut rules: Vec<ViewRule> = hits
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, rule)| {
                let mut hit = rule.rows.iter().copied().filter(|&r| {
                    shown
                        .as_ref()
                        .is_none_or(|s| s.get(r as usize).copied().unwrap_or(false))
                });
                let first = hit.next()?;
                let (events, last) = hit.fold((1, first), |(n, _), r| (n + 1, r));
                Some(ViewRule {
                    rule: i,
                    events,
                    first: Some(first),
                    last: Some(last),
                })
            })
            .collect();
        rules.sort_by(|a, b| {
            let (ra, rb) = (&hits.rules[a.rule], &hits.rules[b.rule]);
            rb.level
                .cmp(&ra.level)
                .then(b.events.cmp(&a.events))
                .then(ra.title.cmp(&rb.title))
        });
        DetectionsView {
            rules,
            among: rows.map(<[u32]>::len),
        }
    }
}

impl Default for Detections {
    fn default() -> Self {
        Detections {
            rules: Arc::new(RuleSet::default()),
            pending: false,
            asked: false,
            load: 0,
            min_level: Level::High,
            view: DetectionsView::default(),
        }
    }
}

/// A level's name, for a `Level as u8` (0: none).
pub fn level_name(level: u8) -> &'static str {
    LEVELS
        .get((level as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("")
}

/// The one-letter badge of a level: readable without colour.
pub fn badge(level: u8) -> &'static str {
    match level {
        5 => "C",
        4 => "H",
        3 => "M",
        2 => "L",
        1 => "i",
        _ => " ",
    }
}

impl Detections {
    /// The next lower level, critical after informational.
    pub fn cycle_level(&mut self) {
        let levels = Level::ALL;
        let at = levels
            .iter()
            .position(|l| *l == self.min_level)
            .unwrap_or(0);
        self.min_level = levels[(at + levels.len() - 1) % levels.len()];
    }

    /// The index (into `rows`) of the next (+1) or previous (-1) event from `from` whose
    /// hits reach the minimum level.
    pub fn step(&self, hits: &Hits, rows: &[u32], from: usize, direction: isize) -> Option<usize> {
        let min = self.min_level as u8;
        let reaches = |&r: &u32| hits.level_of(r as usize) >= min;
        if direction > 0 {
            rows.get(from + 1..)?
                .iter()
                .position(reaches)
                .map(|i| from + 1 + i)
        } else {
            rows.get(..from)?.iter().rposition(reaches)
        }
    }
}

/// How many events reach each level (index `Level as u8`), for the status line.
pub fn per_level(hits: &Hits) -> [usize; 6] {
    let mut counts = [0usize; 6];
    for &l in &hits.level {
        counts[l as usize] += 1;
    }
    counts
}

/// The explorer's detection actions: the `d` view, `}` / `{`, and the hits arriving.
impl App {
    /// `d`: the view of the rules with hits among the events shown (all of them when no
    /// filter is applied).
    pub(super) fn toggle_detections(&mut self) {
        self.overlay = match self.overlay {
            Overlay::Detections { .. } => Overlay::None,
            _ if self.session.hits().is_none() => {
                self.message = Some(if self.detections.pending {
                    "the rules are still running".into()
                } else {
                    "no rules ran (--no-default-rules and no --rules)".into()
                });
                Overlay::None
            }
            _ => {
                let whole = self.timeline.rows.len() == self.store.len();
                self.detections_scope(whole);
                Overlay::Detections { selected: 0 }
            }
        }
    }

    /// Counts the view over the whole load, or over the events shown.
    fn detections_scope(&mut self, whole_load: bool) {
        let Some(hits) = self.session.hits() else {
            return;
        };
        let rows = (!whole_load).then(|| self.timeline.rows.as_slice());
        self.detections.view = DetectionsView::of(hits, self.store.len(), rows);
    }

    /// `a` in the view: between the events shown and the whole load.
    pub(super) fn detections_toggle_scope(&mut self) {
        if let Overlay::Detections { .. } = self.overlay {
            let whole = self.detections.view.among.is_some();
            self.detections_scope(whole);
            self.overlay = Overlay::Detections { selected: 0 };
        }
    }

    pub(super) fn detections_move(&mut self, n: isize) {
        if let Overlay::Detections { selected } = self.overlay {
            let last = self.detections.view.rules.len().saturating_sub(1) as isize;
            let selected = (selected as isize + n).clamp(0, last) as usize;
            self.overlay = Overlay::Detections { selected };
        }
    }

    /// Enter in the view: `rule:TITLE`, added to the filter when the view counts the
    /// events shown, else the whole filter.
    pub(super) fn detections_choose(&mut self) -> Option<Request> {
        let Overlay::Detections { selected } = self.overlay else {
            return None;
        };
        let hits = self.session.hits()?;
        let rule = self.detections.view.rules.get(selected)?;
        let term = term_text("rule", &hits.rules.get(rule.rule)?.title);
        let among = self.detections.view.among;
        self.overlay = Overlay::None;
        match among {
            Some(_) if !self.filter.applied.trim().is_empty() => {
                let filter = format!("{} {term}", self.filter.applied.trim());
                self.replace_filter(filter)
            }
            _ => self.replace_filter(term),
        }
    }

    /// `}` / `{`: the next / previous event with a hit of the chosen level or above.
    pub(super) fn step_hit(&mut self, direction: isize) {
        let from = self.timeline.selected;
        let rows = &self.timeline.rows;
        match (self.session.hits()).and_then(|h| self.detections.step(h, rows, from, direction)) {
            Some(index) => {
                self.remember();
                self.timeline.jump(index)
            }
            None => {
                let edge = if direction > 0 { "after" } else { "before" };
                self.message = Some(format!(
                    "no hit of level {} or above {edge} this event (L lowers it)",
                    self.detections.min_level.name()
                ));
            }
        }
    }

    /// The rules ran: the histogram marks severe hits, and a filter on `rule:` / `level:`
    /// can now answer.
    pub(super) fn detected(&mut self, hits: Arc<Hits>) -> Option<Request> {
        Arc::make_mut(&mut self.session).set_hits(hits);
        self.detections.pending = false;
        if let Overlay::Detections { .. } = self.overlay {
            // The view open over a trail read again: counted anew, on the same events.
            self.detections_scope(self.detections.view.among.is_none());
            self.overlay = Overlay::Detections { selected: 0 };
        }
        self.timeline.histogram = None;
        self.timeline.histogram_requested = None;
        if let Some(hits) = self.session.hits() {
            let levels = per_level(hits);
            let n = crate::text::thousands;
            let fired = format!(
                "{} rules fired: {} critical, {} high events (d lists them, }} goes to the next)",
                n(hits.rules.len()),
                n(levels[5]),
                n(levels[4])
            );
            // A message of the load (the case restored) stays in front.
            self.message = Some(match self.message.take() {
                Some(first) => format!("{first} · {fired}"),
                None => fired,
            });
        }
        if query::parse(&self.filter.applied).is_ok_and(|e| e.uses_detections()) {
            return self.set_filter(self.filter.applied.clone());
        }
        None
    }
}
