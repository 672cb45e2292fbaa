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

/// Fills each hit's verdict.
pub fn judge(store: &Store, found: &mut [RuleHits]) {
    if found.is_empty() {
        return;
    }
    let principals = Principals::of(store);
    let day = |row: usize| store.time(row).map(|t| t.div_euclid(DAY));
    let (names, ips, agents) = (
        store.ids(Col::Name),
        store.ids(Col::Ip),
        store.ids(Col::Agent),
    );
    let id = |ids: &[u32], row: usize| ids.get(row).copied().unwrap_or(0);
    // Over every event, in time order: each principal's first day, and per hit event on how
    // many earlier days its principal made the same call from the same address and agent.
    let mut hit = vec![false; store.len()];
    for h in found.iter() {
        for &row in &h.rows {
            if let Some(h) = hit.get_mut(row as usize) {
                *h = true;
            }
        }
    }
    let mut first_day: FxHashMap<(u32, u64), i64> = FxHashMap::default();
    let mut calls = Calendar::default();
    let mut same_call: FxHashMap<u32, u16> = FxHashMap::default();
    for (row, &is_hit) in hit.iter().enumerate() {
        let (Some(d), (p, account)) = (day(row), principals.key(row)) else {
            continue;
        };
        if p == 0 {
            continue;
        }
        first_day.entry((p, account)).or_insert(d);
        let ip = id(ips, row);
        if ip == 0 {
            continue;
        }
        let key = (p, account, id(names, row), ip, id(agents, row));
        let before = calls.see(key, d);
        if is_hit {
            same_call.insert(row as u32, before);
        }
    }
    let firsts: Vec<(u8, &[u32])> = NEW_FIELDS
        .iter()
        .filter_map(|name| {
            let field = FIRST_SEEN.iter().position(|(n, _)| n == name)?;
            Some((field as u8, store.first_seen(field)))
        })
        .collect();
    let key_field = FIRST_SEEN.iter().position(|(n, _)| *n == "key");
    let ip_field = FIRST_SEEN.iter().position(|(n, _)| *n == "ip");
    for h in found.iter_mut() {
        let mut rule_days = Calendar::default();
        h.verdicts = h
            .rows
            .iter()
            .map(|&row| {
                let r = row as usize;
                let (Some(d), who) = (day(r), principals.key(r)) else {
                    return Verdict::Plain;
                };
                if who.0 == 0 {
                    return Verdict::Plain;
                }
                let ip = id(ips, r);
                let by_rule = if ip == 0 {
                    0
                } else {
                    rule_days.see((who, ip), d)
                };
                let days = by_rule.max(same_call.get(&row).copied().unwrap_or(0));
                if days >= ROUTINE_DAYS {
                    return Verdict::Routine { days };
                }
                if first_day.get(&who).is_some_and(|&f| f < d) {
                    for &(field, rows) in &firsts {
                        // A long-term key; an address that is one (not `AWS Internal`).
                        let telling = if Some(field as usize) == key_field {
                            store.get(Col::AccessKey, r).starts_with("AKIA")
                        } else if Some(field as usize) == ip_field {
                            store.get(Col::Ip, r).parse::<std::net::IpAddr>().is_ok()
                        } else {
                            true
                        };
                        if telling && rows.binary_search(&row).is_ok() {
                            return Verdict::New { field };
                        }
                    }
                }
                Verdict::Plain
            })
            .collect();
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
