//! Routine or new: each hit compared with what its principal did before in the loaded
//! events, a layer over the rules' levels that leaves their hits as they are.
//!
//! - **Routine**: on at least [`ROUTINE_DAYS`] earlier days (UTC), the same principal, from
//!   the same source address, was hit by the same rule or made the same call with the same
//!   user agent. Its hit counts as informational. An address is asked for because a stolen
//!   key calls from somewhere new: a rule that fired on a principal's own work does not
//!   make the same calls from an attacker's address routine.
//! - **New**: the principal was active on an earlier day and this event is its first use of
//!   an event name, address (an IP address, not `AWS Internal`), user agent, region or
//!   long-term access key (`new:`). Its hit counts a level higher.
//! - Otherwise the hit keeps its rule's level. Routine wins over new.

use rustc_hash::FxHashMap;

use super::RuleHits;
use crate::schema::{Col, FIRST_SEEN};
use crate::store::{Principals, Store, Verdict};

/// How many earlier days make a behaviour routine.
pub const ROUTINE_DAYS: u16 = 2;

/// The `new:` fields a first use of raises a hit for, in the order a reason names them.
const NEW_FIELDS: [&str; 5] = ["name", "ip", "agent", "region", "key"];

const DAY: i64 = 86_400_000;

/// Per key: the last day it was seen on, and on how many days before that one.
#[derive(Clone, Copy)]
struct Days {
    last: i64,
    before: u16,
}

/// Counts the earlier days of keys seen in time order.
#[derive(Default)]
struct Calendar<K> {
    seen: FxHashMap<K, Days>,
}

impl<K: std::hash::Hash + Eq> Calendar<K> {
    /// Records `key` on `day`; returns on how many earlier days it was seen.
    fn see(&mut self, key: K, day: i64) -> u16 {
        let days = self.seen.entry(key).or_insert(Days {
            last: day,
            before: 0,
        });
        if day > days.last {
            days.before = days.before.saturating_add(1);
            days.last = day;
        }
        days.before
    }
}

/// What every hit's verdict is read from, built once over the events.
struct Background {
    /// Per row: the principal (id, account) and its day (`None`: no time or principal).
    who: Vec<Option<((u32, u64), i64)>>,
    /// Per row: on how many earlier days its principal made the same call from the same
    /// address with the same agent (hit rows only).
    same_call: Vec<u16>,
    /// Per row: the bits of the [`NEW_FIELDS`] it is a telling first use of, its principal
    /// having been active on an earlier day.
    first_use: Vec<u8>,
}

impl Background {
    fn of(store: &Store, found: &[RuleHits]) -> Background {
        let principals = Principals::of(store);
        // The first uses (cached in the index) are found beside the pass below.
        std::thread::scope(|scope| {
            scope.spawn(|| {
                for name in NEW_FIELDS {
                    if let Some(field) = FIRST_SEEN.iter().position(|(n, _)| *n == name) {
                        store.first_seen(field);
                    }
                }
            });
            let mut background = Background::pass(store, found, &principals);
            background.first_use = first_uses(store, &principals);
            background
        })
    }

    /// The pass over every event, in time order.
    fn pass(store: &Store, found: &[RuleHits], principals: &Principals) -> Background {
        let (names, ips, agents) = (
            store.ids(Col::Name),
            store.ids(Col::Ip),
            store.ids(Col::Agent),
        );
        let id = |ids: &[u32], row: usize| ids.get(row).copied().unwrap_or(0);
        let mut hit = vec![false; store.len()];
        for &row in found.iter().flat_map(|h| &h.rows) {
            if let Some(h) = hit.get_mut(row as usize) {
                *h = true;
            }
        }
        // Over every event, in time order: each principal's first day, and for each hit
        // event the earlier days of the same call from the same address and agent.
        let mut who = Vec::with_capacity(store.len());
        let mut calls = Calendar::default();
        let mut same_call = vec![0u16; store.len()];
        for (row, &is_hit) in hit.iter().enumerate() {
            let key = principals.key(row);
            let day = store.time(row).map(|t| t.div_euclid(DAY));
            let (Some(d), false) = (day, key.0 == 0) else {
                who.push(None);
                continue;
            };
            who.push(Some((key, d)));
            let ip = id(ips, row);
            if ip != 0 {
                let before = calls.see((key, id(names, row), ip, id(agents, row)), d);
                if is_hit {
                    same_call[row] = before;
                }
            }
        }
        Background {
            who,
            same_call,
            first_use: Vec::new(),
        }
    }
}

/// Whether row `r`'s principal was active on a day before `r`'s. A principal's first event
/// is its first use of an event name (`new:` keys a principal by its name, as here).
pub(super) fn active_before<'a>(
    store: &'a Store,
    principals: &'a Principals,
) -> impl Fn(usize) -> bool + 'a {
    let mut first_day: FxHashMap<u32, i64> = FxHashMap::default();
    if let Some(names) = FIRST_SEEN.iter().position(|(n, _)| *n == "name") {
        for &row in store.first_seen(names) {
            if let Some(t) = store.time(row as usize) {
                first_day
                    .entry(principals.principal(row as usize))
                    .or_insert(t.div_euclid(DAY));
            }
        }
    }
    move |r: usize| {
        store.time(r).is_some_and(|t| {
            first_day
                .get(&principals.principal(r))
                .is_some_and(|&d| d < t.div_euclid(DAY))
        })
    }
}

/// Per row, the bits of the [`NEW_FIELDS`] it is a telling first use of, by a principal
/// active on an earlier day.
fn first_uses(store: &Store, principals: &Principals) -> Vec<u8> {
    let earlier = active_before(store, principals);
    let mut first_use = vec![0u8; store.len()];
    for (bit, name) in NEW_FIELDS.iter().enumerate() {
        let Some(field) = FIRST_SEEN.iter().position(|(n, _)| n == name) else {
            continue;
        };
        for &row in store.first_seen(field) {
            let r = row as usize;
            // A long-term key; an address that is one (not `AWS Internal`).
            let telling = match *name {
                "key" => store.get(Col::AccessKey, r).starts_with("AKIA"),
                "ip" => store.get(Col::Ip, r).parse::<std::net::IpAddr>().is_ok(),
                _ => true,
            };
            if telling && earlier(r) {
                first_use[r] |= 1 << bit;
            }
        }
    }
    first_use
}

/// Fills each hit's verdict (the rules on all cores).
pub fn judge(store: &Store, found: &mut [RuleHits]) {
    if found.is_empty() {
        return;
    }
    let background = Background::of(store, found);
    let ips = store.ids(Col::Ip);
    let fields: Vec<u8> = NEW_FIELDS
        .iter()
        .map(|name| FIRST_SEEN.iter().position(|(n, _)| n == name).unwrap_or(0) as u8)
        .collect();
    let judged = crate::parallel::parallel(
        found.len(),
        0,
        Vec::new,
        |out: &mut Vec<(usize, Vec<Verdict>)>, i| {
            let mut rule_days = Calendar::default();
            let verdicts = found[i]
                .rows
                .iter()
                .map(|&row| {
                    let r = row as usize;
                    let Some(Some((who, d))) = background.who.get(r).copied() else {
                        return Verdict::Plain;
                    };
                    let ip = ips.get(r).copied().unwrap_or(0);
                    let by_rule = if ip == 0 {
                        0
                    } else {
                        rule_days.see((who, ip), d)
                    };
                    let days = by_rule.max(background.same_call[r]);
                    if days >= ROUTINE_DAYS {
                        return Verdict::Routine { days };
                    }
                    match background.first_use[r] {
                        0 => Verdict::Plain,
                        bits => Verdict::New {
                            field: fields[bits.trailing_zeros() as usize],
                        },
                    }
                })
                .collect();
            out.push((i, verdicts));
        },
    );
    for (i, verdicts) in judged.into_iter().flatten() {
        found[i].verdicts = verdicts;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_counts_earlier_days_only() {
        let mut c = Calendar::default();
        assert_eq!(c.see("a", 1), 0);
        assert_eq!(c.see("a", 1), 0);
        assert_eq!(c.see("a", 2), 1);
        assert_eq!(c.see("a", 2), 1);
        assert_eq!(c.see("a", 5), 2);
        assert_eq!(c.see("b", 5), 0);
    }
}
