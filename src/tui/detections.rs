//! The explorer's side of detections: the rules to run once the load is done, the level
//! `}` / `{` step through, and the detections view (the rules that fired, most severe
//! first). The hits themselves are in the session (`Session::hits`).

use std::sync::Arc;

use super::action::Request;
use super::effect::{say, Ctx, Effect, Effects};
use super::focus::Overlay;
use super::options::Mute;
pub use super::rules_view::{DetectionsView, ViewRule};
use crate::detect::suspects::Suspect;
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
    /// The rule the cursor stays on when the view is counted anew.
    follow: Option<usize>,
    /// The rules muted in this case.
    pub muted: Vec<Mute>,
    /// The suspects view: the origins ranked (`None` while a worker ranks them), and its
    /// selected line.
    pub suspects: Option<Arc<Vec<Suspect>>>,
    pub suspect: usize,
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
            follow: None,
            muted: Vec::new(),
            suspects: None,
            suspect: 0,
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

    /// A new index (a followed trail read again too) is to be run over: what the rules that
    /// cannot run say, for the problems list.
    pub fn new_index(&mut self) -> Vec<String> {
        self.pending = !self.rules.rules.is_empty();
        self.asked = false;
        self.rules
            .problems
            .iter()
            .map(|p| crate::text::sanitize(&p.to_string()).into_owned())
            .collect()
    }

    /// The rules' run over the loaded index, asked once (the flag drops when the hits
    /// arrive): once the load is done, while it has no hits.
    pub fn run(&mut self, loading: bool, hits: bool, load: u64) -> Option<Request> {
        let waiting = self.pending && !loading && !hits;
        (waiting && !std::mem::replace(&mut self.asked, true)).then(|| Request::Detect {
            rules: Arc::clone(&self.rules),
            load,
        })
    }

    /// The detections view's lines as text (for `/`).
    pub fn rule_lines(&self, hits: Option<&Hits>) -> Vec<String> {
        let Some(hits) = hits else {
            return Vec::new();
        };
        self.view
            .rules
            .iter()
            .filter_map(|r| hits.rules.get(r.rule))
            .map(|r| format!("{} {}", r.title, r.author))
            .collect()
    }

    /// The suspects view's lines as text (for `/`).
    pub fn suspect_lines(&self) -> Vec<String> {
        self.suspects
            .iter()
            .flat_map(|s| s.iter())
            .map(|s| format!("{} {} {}", s.origin, s.account, s.reasons.join("; ")))
            .collect()
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
    /// `S`: the suspects view, ranked by a worker.
    OpenSuspects,
    SuspectsMove(isize),
    /// Enter in the suspects view: `origin:NAME` becomes the filter.
    SuspectsChoose,
    Ranked(Arc<Vec<Suspect>>),
    /// `x` in the view: mute the selected rule in this case, or unmute it.
    Mute,
    /// `X`: mute the selected event's rule for its principal, or unmute its rules for it.
    MuteForPrincipal,
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
                // Counted anew after a mute: the cursor stays on its rule.
                if let Some(rule) = self.follow.take() {
                    self.selected = view.rules.iter().position(|r| r.rule == rule).unwrap_or(0);
                }
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
            DetectionsMsg::OpenSuspects
            | DetectionsMsg::SuspectsMove(_)
            | DetectionsMsg::SuspectsChoose
            | DetectionsMsg::Ranked(_) => self.suspects_update(ctx, msg),
            DetectionsMsg::Mute => self.mute_selected(ctx),
            DetectionsMsg::MuteForPrincipal => self.mute_for_principal(ctx),
            DetectionsMsg::CycleLevel => {
                self.cycle_level();
                say(format!(
                    "}} and {{ stop at hits of level {} or above",
                    self.min_level.name()
                ))
            }
        }
    }

    /// The suspects view's messages.
    fn suspects_update(&mut self, ctx: &Ctx, msg: DetectionsMsg) -> Effects {
        let hits = ctx.session.hits();
        match msg {
            DetectionsMsg::OpenSuspects => match hits {
                None if self.pending => say("the rules are still running"),
                None => say("no rules ran (--no-default-rules and no --rules)"),
                Some(_) => {
                    self.suspects = None;
                    self.suspect = 0;
                    vec![
                        Effect::Work(Request::Suspects {
                            load: ctx.load,
                            session: Arc::clone(&ctx.session),
                        }),
                        Effect::Overlay(Overlay::Suspects),
                    ]
                }
            },
            DetectionsMsg::SuspectsMove(n) => {
                let len = self.suspects.as_ref().map_or(0, |s| s.len());
                let last = len.saturating_sub(1) as isize;
                self.suspect = (self.suspect as isize + n).clamp(0, last) as usize;
                Vec::new()
            }
            DetectionsMsg::SuspectsChoose => {
                match self.suspects.as_ref().and_then(|s| s.get(self.suspect)) {
                    Some(s) => vec![
                        Effect::Overlay(Overlay::None),
                        Effect::Filter(term_text("origin", &s.origin)),
                    ],
                    None => Vec::new(),
                }
            }
            DetectionsMsg::Ranked(suspects) => {
                self.suspects = Some(suspects);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// `x` in the view: the selected rule muted, or unmuted.
    fn mute_selected(&self, ctx: &Ctx) -> Effects {
        let hits = ctx.session.hits();
        let Some(rule) = hits.and_then(|h| {
            let listed = self.view.rules.get(self.selected)?;
            h.rules.get(listed.rule)
        }) else {
            return Vec::new();
        };
        let mute = Mute {
            rule: rule_key(rule),
            principal: None,
        };
        self.toggled(mute)
    }

    /// `X`: the selected event's rule muted for its principal, or its rules unmuted for it.
    fn mute_for_principal(&self, ctx: &Ctx) -> Effects {
        let hits = ctx.session.hits();
        let (Some(hits), Some(&row)) = (hits, ctx.rows.get(ctx.index)) else {
            return say("no hit on this event to mute");
        };
        let principal = ctx.store.get(crate::schema::Col::Principal, row as usize);
        if principal.is_empty() {
            return say("this event names no principal: d and x mute a rule for all");
        }
        let keys: Vec<String> = hits
            .of_row(row as usize)
            .iter()
            .filter_map(|&r| hits.rules.get(r as usize).map(rule_key))
            .collect();
        let for_this =
            |m: &Mute| keys.contains(&m.rule) && m.principal.as_deref() == Some(principal);
        if self.muted.iter().any(for_this) {
            // Undo: its rules speak for this principal again.
            let mut muted = self.muted.clone();
            muted.retain(|m| !for_this(m));
            return vec![Effect::Set("mute".into(), Mute::spec_list(&muted))];
        }
        // The rule that gives the event its level.
        let top = hits
            .levels_of_row(row as usize)
            .filter(|&(_, level)| level > 0)
            .max_by_key(|&(r, level)| (level, hits.rules.get(r as usize).map_or(0, |h| h.level)))
            .and_then(|(r, _)| hits.rules.get(r as usize));
        match top {
            Some(rule) => self.toggled(Mute {
                rule: rule_key(rule),
                principal: Some(principal.to_string()),
            }),
            None => say("no hit on this event to mute"),
        }
    }

    /// The muted rules with `mute` added, or taken out when it was there: the option set.
    fn toggled(&self, mute: Mute) -> Effects {
        let mut muted = self.muted.clone();
        match muted.iter().position(|m| *m == mute) {
            Some(at) => {
                muted.remove(at);
            }
            None => muted.push(mute),
        }
        vec![Effect::Set("mute".into(), Mute::spec_list(&muted))]
    }

    /// The view counted anew over what it counted (a rule muted or unmuted).
    pub fn recount(&mut self, ctx: &Ctx) -> Effects {
        self.follow = self.view.rules.get(self.selected).map(|r| r.rule);
        let mut effects = self.scope(ctx, self.view.among.is_none());
        effects.retain(|e| matches!(e, Effect::Work(_)));
        effects
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

/// How a mute names a rule: its id, else its title.
pub fn rule_key(rule: &crate::store::HitRule) -> String {
    if rule.id.is_empty() {
        rule.title.clone()
    } else {
        rule.id.clone()
    }
}

/// Mutes the hits of `muted` (and unmutes every other).
pub fn mute(hits: &mut Hits, store: &crate::store::Store, muted: &[Mute]) {
    let per_rule: Vec<Vec<&Mute>> = hits
        .rules
        .iter()
        .map(|r| {
            let key = rule_key(r);
            muted.iter().filter(|m| m.rule == key).collect()
        })
        .collect();
    let principal = store.ids(crate::schema::Col::Principal);
    let names = store.strings(crate::schema::Col::Principal);
    hits.mute(&|_| true, &|r, row| {
        per_rule[r].iter().any(|m| match &m.principal {
            None => true,
            Some(p) => principal
                .get(row as usize)
                .is_some_and(|&id| names.get(id) == p),
        })
    });
}

/// What changing the muted rules from `old` to `new` did, said with the rules' titles.
pub fn mute_said(hits: Option<&Hits>, old: &[Mute], new: &[Mute]) -> String {
    let title = |m: &Mute| {
        let title = hits
            .and_then(|h| h.rules.iter().find(|r| rule_key(r) == m.rule))
            .map_or(m.rule.as_str(), |r| r.title.as_str());
        let title = crate::text::sanitize(title).into_owned();
        match &m.principal {
            Some(p) => format!("“{title}” for {}", crate::text::sanitize(p)),
            None => format!("“{title}”"),
        }
    };
    let added: Vec<String> = new.iter().filter(|m| !old.contains(m)).map(title).collect();
    let removed: Vec<String> = old.iter().filter(|m| !new.contains(m)).map(title).collect();
    let mut said = Vec::new();
    if !added.is_empty() {
        said.push(format!(
            "muted {} in this case: no level, no badge",
            added.join(", ")
        ));
    }
    if !removed.is_empty() {
        said.push(format!("unmuted {}", removed.join(", ")));
    }
    if said.is_empty() {
        said.push("no change to the muted rules".into());
    }
    let listed = match new.len() {
        0 => "none muted".to_string(),
        n => format!(
            "{} muted: d lists them, x / X again unmutes",
            crate::text::count(n, "rule")
        ),
    };
    format!("{} ({listed})", said.join("; "))
}
