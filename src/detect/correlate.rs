//! Sigma correlations over the hits of their base rules: `event_count`, `value_count` and
//! `temporal_ordered`, per group (`group-by` fields) within a `timespan`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::rule::{Correlation, CorrelationKind};
use crate::jsonpath::JsonPath;
use crate::schema::Col;
use crate::store::Store;

/// One firing: the group it fired for (`sourceIPAddress=…, userIdentity.accessKeyId=…`)
/// and the events that made it, in time order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Firing {
    pub group: String,
    pub rows: Vec<u32>,
}

/// The values of `field` at `row`: from the index when it holds the field, else from the
/// event's JSON.
fn field_values(store: &Store, row: u32, field: &str) -> Vec<String> {
    if let Some(col) = Col::of_path(field) {
        let v = store.get(col, row as usize);
        return if v.is_empty() {
            Vec::new()
        } else {
            vec![v.to_string()]
        };
    }
    let json: Value = match serde_json::from_str(&store.event_json(row as usize)) {
        Ok(json) => json,
        Err(_) => return Vec::new(),
    };
    JsonPath::parse(field)
        .map(|p| p.values(&json))
        .unwrap_or_default()
}

fn group_key(store: &Store, row: u32, fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| format!("{f}={}", field_values(store, row, f).join("|")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Fires `correlation` over `inputs`: for each rule it names (in its order), the rows that
/// rule hit.
pub fn fire(store: &Store, correlation: &Correlation, inputs: &[Vec<u32>]) -> Vec<Firing> {
    // Each hit's group, found input by input: a field the index does not hold is read
    // from the event's JSON, and reading the rows in the order of their inputs inflates
    // each input once (in time order, hits of many files would inflate one per hit).
    let mut by_input: Vec<u32> = inputs.iter().flatten().copied().collect();
    by_input.sort_unstable_by_key(|&row| {
        store
            .raw_ref(row as usize)
            .map(|raw| (raw.blob, raw.offset))
    });
    by_input.dedup();
    let keys: std::collections::HashMap<u32, String> = by_input
        .into_iter()
        .map(|row| (row, group_key(store, row, &correlation.group_by)))
        .collect();
    // Every hit: (group, time, row, which input).
    let mut groups: BTreeMap<String, Vec<(i64, u32, usize)>> = BTreeMap::new();
    for (which, rows) in inputs.iter().enumerate() {
        for &row in rows {
            let Some(time) = store.time(row as usize) else {
                continue;
            };
            let key = keys.get(&row).cloned().unwrap_or_default();
            groups.entry(key).or_default().push((time, row, which));
        }
    }
    let mut firings = Vec::new();
    for (group, mut hits) in groups {
        hits.sort_unstable();
        hits.dedup_by_key(|h| (h.1, h.2));
        let windows = match &correlation.kind {
            CorrelationKind::EventCount(threshold) => {
                counted(&hits, correlation.timespan, |window| {
                    threshold.holds(distinct_rows(window))
                })
            }
            CorrelationKind::ValueCount { field, threshold } => {
                counted(&hits, correlation.timespan, |window| {
                    let mut values: Vec<String> = window
                        .iter()
                        .flat_map(|h| field_values(store, h.1, field))
                        .collect();
                    values.sort_unstable();
                    values.dedup();
                    threshold.holds(values.len() as u64)
                })
            }
            CorrelationKind::TemporalOrdered => ordered(&hits, correlation.timespan, inputs.len()),
        };
        for rows in merge(windows) {
            firings.push(Firing {
                group: group.clone(),
                rows,
            });
        }
    }
    firings
}

fn distinct_rows(window: &[(i64, u32, usize)]) -> u64 {
    let mut rows: Vec<u32> = window.iter().map(|h| h.1).collect();
    rows.sort_unstable();
    rows.dedup();
    rows.len() as u64
}

/// Windows anchored at each hit (the hits from it to `span` later) where `holds`.
fn counted(
    hits: &[(i64, u32, usize)],
    span: i64,
    holds: impl Fn(&[(i64, u32, usize)]) -> bool,
) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let mut end = 0;
    for start in 0..hits.len() {
        end = end.max(start);
        while end + 1 < hits.len() && hits[end + 1].0 - hits[start].0 <= span {
            end += 1;
        }
        let window = &hits[start..=end];
        if holds(window) {
            out.push(window.iter().map(|h| h.1).collect());
        }
    }
    out
}

/// Chains of hits of input 0, then 1, ... each later than the one before, within `span`.
fn ordered(hits: &[(i64, u32, usize)], span: i64, steps: usize) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    for (i, first) in hits.iter().enumerate() {
        if first.2 != 0 {
            continue;
        }
        let mut chain = vec![first.1];
        let mut step = 1;
        for h in &hits[i + 1..] {
            if h.0 - first.0 > span {
                break;
            }
            if step < steps && h.2 == step {
                chain.push(h.1);
                step += 1;
            }
        }
        if step == steps {
            out.push(chain);
        }
    }
    out
}

/// Overlapping windows of one group become one firing. Windows come in time order, their
/// rows ascending (row order is time order).
fn merge(windows: Vec<Vec<u32>>) -> Vec<Vec<u32>> {
    let mut merged: Vec<Vec<u32>> = Vec::new();
    for window in windows {
        let Some(&first) = window.first() else {
            continue;
        };
        match merged.last_mut() {
            Some(last) if last.last().is_some_and(|&end| first <= end) => {
                let end = last.last().copied().unwrap_or(0);
                let mut unsorted = false;
                for r in window {
                    if r > end {
                        last.push(r);
                    } else if last.binary_search(&r).is_err() {
                        last.push(r);
                        unsorted = true;
                    }
                }
                if unsorted {
                    last.sort_unstable();
                }
            }
            _ => merged.push(window),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_chains_and_merging() {
        let hits = [(0, 1, 0), (5, 2, 0), (9, 3, 0), (30, 4, 0)];
        let w = counted(&hits, 10, |w| w.len() >= 3);
        assert_eq!(w, [vec![1, 2, 3]]);
        let w = counted(&hits, 10, |w| w.len() >= 2);
        assert_eq!(merge(w), [vec![1, 2, 3]]);
        let seq = [(0, 1, 1), (1, 2, 0), (3, 3, 1), (50, 4, 0), (70, 5, 1)];
        assert_eq!(ordered(&seq, 10, 2), [vec![2, 3]]);
        assert_eq!(ordered(&seq, 30, 2), [vec![2, 3], vec![4, 5]]);
    }
}
