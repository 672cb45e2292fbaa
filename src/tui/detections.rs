//! The explorer's side of detections: the rules to run once the load is done, the level
//! `}` / `{` step through, and the detections view (the rules that fired, most severe
//! first). The hits themselves are in the session (`Session::hits`).

use std::sync::Arc;

use super::action::Request;
use super::effect::{say, Ctx, Effect, Effects};
use super::focus::Overlay;
pub use super::rules_view::{DetectionsView, ViewRule};
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
    /// What the `d` view lists, counted by a worker when it opens, and its selected line.
    pub view: DetectionsView,
    pub selected: usize,
    /// The view is being counted.
    pub counting: bool,
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
            selected: 0,
            counting: false,
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

/// The detections' messages.
#[derive(Debug, Clone)]
pub enum DetectionsMsg {
    /// `d`: the view of the rules with hits among the events shown (all of them when no
    /// filter is applied).
    Open,
    Move(isize),
    /// Enter in the view: `rule:TITLE`, added to the filter when the view counts the
    /// events shown, else the whole filter.
    Choose,
    /// `a` in the view: between the events shown and the whole load.
    Scope,
    /// `}` / `{`: the next / previous event with a hit of the chosen level or above.
    StepHit(isize),
    /// Lower the level `}` / `{` stop at (critical after informational).
    CycleLevel,
    /// The view, counted by a worker.
    Counted(DetectionsView),
}

impl Detections {
    pub fn update(&mut self, ctx: &Ctx, msg: DetectionsMsg) -> Effects {
        let hits = ctx.session.hits();
        match msg {
            DetectionsMsg::Open => match hits {
                None if self.pending => say("the rules are still running"),
                None => say("no rules ran (--no-default-rules and no --rules)"),
                Some(_) => {
                    let whole = ctx.rows.len() == ctx.store.len();
                    let mut effects = self.scope(ctx, whole);
                    effects.push(Effect::Overlay(Overlay::Detections));
                    effects
                }
            },
            DetectionsMsg::Scope if hits.is_some() => {
                let whole = self.view.among.is_some();
                self.scope(ctx, whole)
            }
            DetectionsMsg::Scope => Vec::new(),
            DetectionsMsg::Counted(view) => {
                self.view = view;
                self.counting = false;
                Vec::new()
            }
            DetectionsMsg::Move(n) => {
                let last = self.view.rules.len().saturating_sub(1) as isize;
                self.selected = (self.selected as isize + n).clamp(0, last) as usize;
                Vec::new()
            }
            DetectionsMsg::Choose => {
                let Some(title) = hits.and_then(|h| {
                    let rule = self.view.rules.get(self.selected)?;
                    Some(h.rules.get(rule.rule)?.title.clone())
                }) else {
                    return Vec::new();
                };
                let term = term_text("rule", &title);
                let filter = match self.view.among {
                    Some(_) if !ctx.filter.trim().is_empty() => {
                        format!("{} {term}", ctx.filter.trim())
                    }
                    _ => term,
                };
                vec![Effect::Overlay(Overlay::None), Effect::Filter(filter)]
            }
            DetectionsMsg::StepHit(direction) => {
                let found = hits.and_then(|h| self.step(h, &ctx.rows, ctx.index, direction));
                match found {
                    Some(index) => vec![Effect::Select {
                        index,
                        remember: true,
                    }],
                    None => {
                        let edge = if direction > 0 { "after" } else { "before" };
                        say(format!(
                            "no hit of level {} or above {edge} this event (L lowers it)",
                            self.min_level.name()
                        ))
                    }
                }
            }
            DetectionsMsg::CycleLevel => {
                self.cycle_level();
                say(format!(
                    "}} and {{ stop at hits of level {} or above",
                    self.min_level.name()
                ))
            }
        }
    }

    /// Asks a worker to count the view over the whole load, or over the events shown.
    fn scope(&mut self, ctx: &Ctx, whole_load: bool) -> Effects {
        self.selected = 0;
        self.counting = true;
        vec![Effect::Work(Request::DetectionsView {
            session: Arc::clone(&ctx.session),
            rows: (!whole_load).then(|| Arc::clone(&ctx.rows)),
        })]
    }

    /// The rules ran (their hits are in the session now): the view, if open, counted
    /// anew; what to say; and whether the filter must be applied again (it reads them).
    pub fn detected(&mut self, ctx: &Ctx, view_open: bool) -> Effects {
        self.pending = false;
        let Some(hits) = ctx.session.hits() else {
            return Vec::new();
        };
        let levels = per_level(hits);
        let n = crate::text::thousands;
        let fired = match hits.rules.len() {
            0 => "no rule fired".to_string(),
            rules => format!(
                "{} fired: {} critical, {} high events (d lists them, }} goes to the next)",
                crate::text::count(rules, "rule"),
                n(levels[5]),
                n(levels[4])
            ),
        };
        let mut effects = vec![Effect::Say(fired)];
        if query::parse(&ctx.filter).is_ok_and(|e| e.uses_detections()) {
            effects.push(Effect::Refilter);
        }
        if view_open {
            // The view open over a trail read again: counted anew, on the same events.
            effects.extend(self.scope(ctx, self.view.among.is_none()));
        }
        effects
    }
}
