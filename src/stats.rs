//! Counting: `stats --by FIELD` (value → count, most frequent first) and the time buckets
//! of the explorer's histogram.

use rustc_hash::FxHashMap;

use crate::query::{Field, RowSet};
use crate::store::{slice_event, Col, Store};

/// The column `stats --by` counts for a field that spans several (`account` counts the
/// recipient account, `principal` the principal).
fn primary_column(field: &Field) -> Option<Col> {
    Some(match field {
        Field::Name => Col::Name,
        Field::Source => Col::Source,
        Field::Region => Col::Region,
        Field::Account => Col::RecipientAccount,
        Field::Ip => Col::Ip,
        Field::Agent => Col::Agent,
        Field::Error => Col::ErrorCode,
        Field::Msg => Col::ErrorMessage,
        Field::Type => Col::IdentityType,
        Field::Principal => Col::Principal,
        Field::Arn => Col::Arn,
        Field::Key => Col::AccessKey,
        Field::Category => Col::Category,
        Field::EventType => Col::EventType,
        _ => return None,
    })
}

/// The label of events that have no value for the field.
pub const ABSENT: &str = "(none)";

/// Counts `rows` by the value of `field`; most frequent first, ties by value. `None` when
/// the field cannot be counted (`after`, `before`).
pub fn count_by(store: &Store, rows: &[u32], field: &Field) -> Option<Vec<(String, usize)>> {
    let mut counts: Vec<(String, usize)> = if let Some(col) = primary_column(field) {
        let ids = store.ids(col);
        let strings = store.strings(col);
        let mut by_id = vec![0usize; strings.len()];
        for &row in rows {
            by_id[ids[row as usize] as usize] += 1;
        }
        by_id
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(id, &n)| {
                let value = strings.get(id as u32);
                let label = if id == 0 { ABSENT } else { value };
                (label.to_string(), n)
            })
            .collect()
    } else {
        let mut map: FxHashMap<String, usize> = FxHashMap::default();
        let mut add = |value: &str| {
            let value = if value.is_empty() { ABSENT } else { value };
            *map.entry(value.to_string()).or_default() += 1;
        };
        match field {
            Field::Id => rows.iter().for_each(|&r| add(store.event_id(r as usize))),
            Field::Request => rows.iter().for_each(|&r| add(store.request_id(r as usize))),
            Field::ReadOnly => rows.iter().for_each(|&r| {
                add(match store.read_only(r as usize) {
                    Some(true) => "true",
                    Some(false) => "false",
                    None => "",
                })
            }),
            Field::Credential => rows
                .iter()
                .for_each(|&r| add(store.credential(r as usize).label())),
            Field::Resource => rows.iter().for_each(|&r| {
                for arn in store.resources(r as usize) {
                    add(arn);
                }
            }),
            Field::Path(path) => {
                for (value, n) in count_path(store, rows, path) {
                    *map.entry(value).or_default() += n;
                }
            }
            _ => return None,
        }
        map.into_iter().collect()
    };
    counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Some(counts)
}

fn count_path(store: &Store, rows: &[u32], path: &[String]) -> FxHashMap<String, usize> {
    let mut wanted = RowSet::none(store.len());
    for &row in rows {
        wanted.insert(row as usize);
    }
    let partial = store.scan(
        FxHashMap::default,
        |map: &mut FxHashMap<String, usize>, text, blob_rows| {
            for &row in blob_rows {
                if !wanted.contains(row as usize) {
                    continue;
                }
                let Some(raw) = store.raw_ref(row as usize) else {
                    continue;
                };
                let value: Option<serde_json::Value> =
                    serde_json::from_str(&slice_event(text, raw)).ok();
                let leaf = value.as_ref().and_then(|v| {
                    path.iter()
                        .try_fold(v, |v, key| v.get(key))
                        .filter(|v| !v.is_null())
                });
                let label = match leaf {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => ABSENT.to_string(),
                };
                *map.entry(label).or_default() += 1;
            }
        },
    );
    let mut total = FxHashMap::default();
    for map in partial {
        for (k, n) in map {
            *total.entry(k).or_default() += n;
        }
    }
    total
}

/// Per-bucket counts of matching events (all, errors) for the histogram, over the time span
/// of the matching rows. Rows without a time are not counted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Histogram {
    pub start: i64,
    pub bucket_ms: i64,
    pub all: Vec<u32>,
    pub errors: Vec<u32>,
}

impl Histogram {
    pub fn build(store: &Store, rows: &[u32], buckets: usize) -> Histogram {
        // Rows are in time order, untimed ones first.
        let start = rows.iter().find_map(|&r| store.time(r as usize));
        let end = rows.last().and_then(|&r| store.time(r as usize));
        let (Some(start), Some(end), true) = (start, end, buckets > 0) else {
            return Histogram::default();
        };
        let span = (end - start).max(1);
        let bucket_ms = (span / buckets as i64 + 1).max(1);
        let mut all = vec![0u32; buckets];
        let mut errors = vec![0u32; buckets];
        let error_ids = store.ids(Col::ErrorCode);
        for &row in rows {
            let Some(t) = store.time(row as usize) else {
                continue;
            };
            let b = (((t - start) / bucket_ms) as usize).min(buckets - 1);
            all[b] += 1;
            if error_ids[row as usize] != 0 {
                errors[b] += 1;
            }
        }
        Histogram {
            start,
            bucket_ms,
            all,
            errors,
        }
    }

    /// The bucket a time falls in.
    pub fn bucket_of(&self, t: i64) -> Option<usize> {
        if self.all.is_empty() || t < self.start {
            return None;
        }
        Some((((t - self.start) / self.bucket_ms) as usize).min(self.all.len() - 1))
    }
}
