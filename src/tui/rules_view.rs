//! The detections view's rules (`d`): those with hits among the events shown (or in the
//! whole load), counted on a worker, in the order the view lists them.

use crate::store::Hits;

/// The `d` view's rules: those with hits among the events shown (or in the whole load),
/// in the order it lists them: by the highest effective level of their hits (muted rules
/// last), then the rule's level.
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
    /// The highest effective level of its hits counted (0: every one muted).
    pub level: u8,
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
                let level = |r: u32| hits.level_of_hit(i, r as usize);
                let (events, last, top) = hit.fold((1, first, level(first)), |(n, _, top), r| {
                    (n + 1, r, top.max(level(r)))
                });
                Some(ViewRule {
                    rule: i,
                    level: top,
                    events,
                    first: Some(first),
                    last: Some(last),
                })
            })
            .collect();
        rules.sort_by(|a, b| {
            let (ra, rb) = (&hits.rules[a.rule], &hits.rules[b.rule]);
            b.level
                .cmp(&a.level)
                .then(rb.level.cmp(&ra.level))
                .then(b.events.cmp(&a.events))
                .then(ra.title.cmp(&rb.title))
        });
        DetectionsView {
            rules,
            among: rows.map(<[u32]>::len),
        }
    }
}
