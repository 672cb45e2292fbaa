//! Suspects first: the origins of the credential chains (the principal whose long-term
//! credentials every call behind an event goes back to) ranked by what was done with them
//! from one source address (a stolen key is used from somewhere new; a busy origin's
//! routine spreads over its own addresses), each with its reasons. What counts from an
//! address, and its weight:
//!
//! - each rule with a hit that is neither routine nor muted, by the highest effective level
//!   of those hits: low 1, medium 3, high 9, critical 27;
//! - first uses of a name, address, agent, region or long-term key by a principal active on
//!   an earlier day: 1 each, at most 10;
//! - an error burst: 5 or more failed calls within an hour after a first address or key: 10;
//!
//! What was done from an address the origin's principals used since their first days counts
//! a third (it is theirs, not somewhere new). An origin ranks by its address with the
//! highest score, plus 3 when its credentials were
//! used in more than one account.

use rustc_hash::FxHashMap;

use crate::schema::{Col, FIRST_SEEN};
use crate::store::{Hits, Principals, Store, Verdict};

/// One origin and why it ranks where it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspect {
    /// The origin's principal, and its account (empty for a provider's user).
    pub origin: String,
    pub account: String,
    pub score: u32,
    /// The events its credentials made.
    pub events: usize,
    pub reasons: Vec<String>,
}

const WEIGHTS: [u32; 6] = [0, 0, 1, 3, 9, 27];
const FIRST_USES: [&str; 5] = ["name", "ip", "agent", "region", "key"];
const HOUR: i64 = 3_600_000;
/// Failed calls within an hour of a first address or key that make a burst.
const BURST: usize = 5;

/// What is gathered per origin and address.
#[derive(Default)]
struct Tally {
    /// The times of its failed calls, in order.
    errors: Vec<i64>,
    ip: u32,
    /// Per rule: the highest effective level of its hits that count.
    rules: FxHashMap<u32, u8>,
    first_uses: [usize; 5],
    /// First addresses and keys: (time, what).
    openings: Vec<(i64, String)>,
}

/// What is gathered per origin.
#[derive(Default)]
struct Origin {
    root: u32,
    events: usize,
    accounts: Vec<u32>,
}

type Key = ((u32, u64), u32);

/// The origins of `store`'s events, most suspicious first (then most events); origins
/// with nothing against them are left out.
pub fn rank(store: &Store, hits: &Hits) -> Vec<Suspect> {
    let principals = Principals::of(store);
    let roots = store.provenance().roots(store);
    let mut tallies: FxHashMap<Key, Tally> = FxHashMap::default();
    let mut origins: FxHashMap<(u32, u64), Origin> = FxHashMap::default();
    let recipients = store.ids(Col::RecipientAccount);
    let ips = store.ids(Col::Ip);
    let errors = store.ids(Col::ErrorCode);
    // Per root row, its origin (rows that share a root look it up once).
    let mut origin_of: Vec<Option<(u32, u64)>> = vec![None; store.len()];
    for (row, &root) in roots.iter().enumerate() {
        let Some(slot) = origin_of.get_mut(root as usize) else {
            continue;
        };
        let origin = *slot.get_or_insert_with(|| principals.key(root as usize));
        if origin.0 == 0 {
            continue;
        }
        let o = origins.entry(origin).or_insert_with(|| Origin {
            root,
            ..Origin::default()
        });
        o.events += 1;
        if let Some(&account) = recipients.get(row) {
            if !o.accounts.contains(&account) && o.accounts.len() < 8 {
                o.accounts.push(account);
            }
        }
        // An address is tallied for what counts: hits, failed calls (first uses below).
        let failed = errors.get(row).is_some_and(|&e| e != 0);
        if !failed && hits.level_of(row) < 2 {
            continue;
        }
        let ip = ips.get(row).copied().unwrap_or(0);
        let tally = tallies.entry((origin, ip)).or_default();
        tally.ip = ip;
        if failed {
            tally.errors.extend(store.time(row));
        }
        for (rule, level) in hits.levels_of_row(row) {
            let routine = matches!(
                hits.rules[rule as usize].verdict(row as u32),
                Verdict::Routine { .. }
            );
            if level >= 2 && !routine {
                let top = tally.rules.entry(rule).or_insert(0);
                *top = (*top).max(level);
            }
        }
    }
    first_uses(store, &principals, &roots, &mut tallies);
    let mut best: FxHashMap<(u32, u64), (u32, Vec<String>)> = FxHashMap::default();
    for ((origin, _), tally) in tallies {
        if let Some((score, reasons)) = judge(store, hits, tally) {
            let b = best.entry(origin).or_default();
            if score > b.0 {
                *b = (score, reasons);
            }
        }
    }
    let mut suspects: Vec<Suspect> = best
        .into_iter()
        .filter_map(|(origin, (mut score, mut reasons))| {
            let o = origins.get(&origin)?;
            if o.accounts.len() > 1 {
                score += 3;
                reasons.push(format!("credentials used in {} accounts", o.accounts.len()));
            }
            let root = o.root as usize;
            Some(Suspect {
                origin: store.get(Col::Principal, root).to_string(),
                account: store.principal_account(root).to_string(),
                score,
                events: o.events,
                reasons,
            })
        })
        .collect();
    suspects.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.events.cmp(&a.events))
            .then(a.origin.cmp(&b.origin))
    });
    suspects
}

/// Counts the first uses of principals active on earlier days, by origin.
fn first_uses(
    store: &Store,
    principals: &Principals,
    roots: &[u32],
    tallies: &mut FxHashMap<Key, Tally>,
) {
    let active_before = super::judge::active_before(store, principals);
    for (i, name) in FIRST_USES.iter().enumerate() {
        let Some(field) = FIRST_SEEN.iter().position(|(n, _)| n == name) else {
            continue;
        };
        let col = FIRST_SEEN[field].1;
        for &row in store.first_seen(field) {
            let r = row as usize;
            let Some(t) = store.time(r) else { continue };
            let earlier = active_before(r);
            let value = store.get(col, r);
            // A long-term key, and an address that is one (not `AWS Internal` or a
            // service's name: AWS calling on the principal's behalf).
            if !earlier
                || (*name == "key" && !value.starts_with("AKIA"))
                || (*name == "ip" && value.parse::<std::net::IpAddr>().is_err())
            {
                continue;
            }
            let Some(root) = roots.get(r) else { continue };
            let ip = store.ids(Col::Ip).get(r).copied().unwrap_or(0);
            let origin = principals.key(*root as usize);
            if origin.0 != 0 {
                let tally = tallies.entry((origin, ip)).or_default();
                tally.ip = ip;
                tally.first_uses[i] += 1;
                if matches!(*name, "ip" | "key") {
                    let what = if *name == "ip" { "address" } else { "key" };
                    tally
                        .openings
                        .push((t, format!("{what} {}", crate::text::sanitize(value))));
                }
            }
        }
    }
}

/// What an origin did from one address: its score and reasons; `None` when nothing counts
/// against it.
fn judge(store: &Store, hits: &Hits, tally: Tally) -> Option<(u32, Vec<String>)> {
    let mut score = 0;
    let address = match tally.ip {
        0 => "(no address)",
        ip => store.strings(Col::Ip).get(ip),
    };
    // An address its principals used from their first days is their own: what was done
    // from it counts a third.
    let fresh = !tally.openings.is_empty();
    let kind = if address.parse::<std::net::IpAddr>().is_err() {
        // `AWS Internal`, a service: AWS calling on the principal's behalf.
        ""
    } else if fresh {
        "new address "
    } else {
        "known address "
    };
    let mut reasons = vec![format!("from {kind}{}", crate::text::sanitize(address))];
    let mut rules: Vec<(u8, &str)> = tally
        .rules
        .iter()
        .map(|(&r, &l)| (l, hits.rules[r as usize].title.as_str()))
        .collect();
    rules.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    if !rules.is_empty() {
        score += rules.iter().map(|(l, _)| WEIGHTS[*l as usize]).sum::<u32>();
        let mut per_level = [0usize; 6];
        for (l, _) in &rules {
            per_level[*l as usize] += 1;
        }
        let levels: Vec<String> = (2..=5)
            .rev()
            .filter(|&l| per_level[l] > 0)
            .map(|l| format!("{} {}", per_level[l], crate::store::LEVELS[l - 1]))
            .collect();
        let titles: Vec<&str> = rules.iter().take(3).map(|(_, t)| *t).collect();
        let more = rules.len().saturating_sub(3);
        reasons.push(format!(
            "{} rule{} ({}): {}{}",
            rules.len(),
            if rules.len() == 1 { "" } else { "s" },
            levels.join(", "),
            titles.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let uses: usize = tally.first_uses.iter().sum();
    if uses > 0 {
        score += uses.min(10) as u32;
        let what: Vec<String> = [
            ("name", "names"),
            ("address", "addresses"),
            ("agent", "agents"),
            ("region", "regions"),
            ("key", "keys"),
        ]
        .iter()
        .zip(tally.first_uses)
        .filter(|(_, n)| *n > 0)
        .map(|((one, many), n)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
        let s = if uses == 1 { "" } else { "s" };
        reasons.push(format!("{uses} first use{s} ({})", what.join(", ")));
    }
    if let Some((failed, what)) = burst(&tally) {
        score += 10;
        reasons.push(format!(
            "{failed} failed calls within an hour of a first {what}"
        ));
    }
    if !fresh {
        score = score.div_ceil(3);
    }
    (score > 0).then_some((score, reasons))
}

/// The largest number of failed calls within an hour after a first address or key, when
/// it makes a burst, and that first use.
fn burst(tally: &Tally) -> Option<(usize, String)> {
    let errors = &tally.errors;
    tally
        .openings
        .iter()
        .map(|(t, what)| {
            let from = errors.partition_point(|&e| e < *t);
            let to = errors.partition_point(|&e| e <= t + HOUR);
            (to - from, what.clone())
        })
        .filter(|(n, _)| *n >= BURST)
        .max_by_key(|(n, _)| *n)
}
