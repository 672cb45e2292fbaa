//! Counting: `stats --by FIELD` (value → count, most frequent first) and the time buckets
//! of the explorer's histogram.

use rustc_hash::FxHashMap;

use crate::event::format_time;
use crate::jsonpath::JsonPath;
use crate::query::{Field, RowSet};
use crate::schema::{Col, Storage};
use crate::store::{slice_event, Session, Store};

/// How `stats` shows a missing value in a table (JSON has `null`, CSV an empty cell; a
/// value that is itself this text is shown quoted, so the two are never confused).
pub const ABSENT: &str = "(none)";

/// A value as `stats` counts it: `None` for events that have no value for the field.
pub type Counted = (Option<String>, usize);

/// Why a field cannot be counted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is a time bound; count by `time` instead")]
pub struct NotCountable(pub String);

/// Counts `rows` by the value of `field`; most frequent first, ties by value. An event with
/// several values (resources, a list in a JSON path) counts once for each distinct one; an
/// event with none counts under `None`.
pub fn count_by(
    store: &Store,
    session: &Session,
    rows: &[u32],
    field: &Field,
) -> Result<Vec<Counted>, NotCountable> {
    let mut counts: Vec<Counted> = match field {
        Field::Column(col) => count_column(store, rows, *col),
        Field::Path(path) => count_path(store, rows, path).into_iter().collect(),
        Field::Named(def) => match def.storage {
            Storage::Columns(cols) => count_column(store, rows, cols[0]),
            Storage::TimeBound(_) => return Err(NotCountable(def.name.to_string())),
            Storage::Rule | Storage::Tactic | Storage::Technique => {
                count_labels(session, rows, def.storage)
            }
            Storage::Resources => {
                let mut by_id = vec![0usize; store.resource_strings().len()];
                let mut absent = 0;
                for &row in rows {
                    let ids = store.resource_ids(row as usize);
                    if ids.is_empty() {
                        absent += 1;
                    }
                    for (i, &id) in ids.iter().enumerate() {
                        if !ids[..i].contains(&id) {
                            by_id[id as usize] += 1;
                        }
                    }
                }
                let strings = store.resource_strings();
                let mut counts: Vec<Counted> = by_id
                    .iter()
                    .enumerate()
                    .filter(|(id, &n)| *id != 0 && n > 0)
                    .map(|(id, &n)| (Some(strings.get(id as u32).to_string()), n))
                    .collect();
                if absent > 0 {
                    counts.push((None, absent));
                }
                counts
            }
            storage => {
                let mut map: FxHashMap<Option<String>, usize> = FxHashMap::default();
                for &row in rows {
                    let value = display_value(store, session, storage, row as usize);
                    *map.entry(Some(value).filter(|v| !v.is_empty()))
                        .or_default() += 1;
                }
                map.into_iter().collect()
            }
        },
    };
    counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(counts)
}

/// A counted value as a table shows it: [`ABSENT`] for no value, and a value that reads
/// like [`ABSENT`] quoted.
pub fn table_label(value: Option<&str>) -> std::borrow::Cow<'_, str> {
    match value {
        None => ABSENT.into(),
        Some(ABSENT) => format!("\"{ABSENT}\"").into(),
        Some(value) => value.into(),
    }
}

/// The text of a named field's own value at `row` ("" when absent): what the timeline, the
/// tables and `stats --by` show.
pub fn display_value(store: &Store, session: &Session, storage: Storage, row: usize) -> String {
    match storage {
        Storage::Columns(cols) => store.get(cols[0], row).to_string(),
        Storage::Row(text) => store.row_text(text, row).to_string(),
        Storage::Time | Storage::TimeBound(_) => {
            store.time(row).map(format_time).unwrap_or_default()
        }
        Storage::Flag => match store.read_only(row) {
            Some(true) => "true".into(),
            Some(false) => "false".into(),
            None => String::new(),
        },
        Storage::Credential => match store.credential(row) {
            crate::event::Credential::None => String::new(),
            other => other.value().to_string(),
        },
        Storage::Resources => store.resources(row).collect::<Vec<_>>().join(" "),
        Storage::Duplicate if store.is_conflict(row) => "conflict".into(),
        Storage::Duplicate => String::new(),
        Storage::Rule | Storage::Tactic | Storage::Technique => {
            session.hits().map_or_else(String::new, |h| {
                let mut labels: Vec<String> = Vec::new();
                for rule in h
                    .of_row(row)
                    .iter()
                    .filter_map(|&r| h.rules.get(r as usize))
                {
                    for label in attack_of(rule, storage) {
                        if !labels.contains(&label) {
                            labels.push(label);
                        }
                    }
                }
                labels.join(if storage == Storage::Rule { "; " } else { " " })
            })
        }
        // The chain's root: the principal every hop came from.
        Storage::Origin => store
            .provenance()
            .chain(store, row)
            .last()
            .map_or_else(String::new, |&r| {
                store.get(Col::Principal, r as usize).to_string()
            }),
        Storage::Mark => match session.marks().contains_key(&(row as u32)) {
            true => "marked".into(),
            false => String::new(),
        },
        Storage::Note => session
            .marks()
            .get(&(row as u32))
            .cloned()
            .unwrap_or_default(),
        // The fields whose value the principal used here for the first time.
        Storage::FirstSeen => crate::schema::FIRST_SEEN
            .iter()
            .enumerate()
            .filter(|(i, _)| store.first_seen(*i).binary_search(&(row as u32)).is_ok())
            .map(|(_, (name, _))| *name)
            .collect::<Vec<_>>()
            .join(" "),
        Storage::Level => session
            .hits()
            .map(|h| h.level_of(row))
            .and_then(|l| crate::store::LEVELS.get((l as usize).wrapping_sub(1)))
            .map_or_else(String::new, |l| l.to_string()),
    }
}

fn count_column(store: &Store, rows: &[u32], col: Col) -> Vec<Counted> {
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
        .map(|(id, &n)| ((id != 0).then(|| strings.get(id as u32).to_string()), n))
        .collect()
}

fn count_path(store: &Store, rows: &[u32], path: &JsonPath) -> FxHashMap<Option<String>, usize> {
    let mut wanted = RowSet::none(store.len());
    for &row in rows {
        wanted.insert(row as usize);
    }
    let partial = store.scan(
        FxHashMap::default,
        |map: &mut FxHashMap<Option<String>, usize>, text, blob_rows| {
            for &row in blob_rows {
                if !wanted.contains(row as usize) {
                    continue;
                }
                let Some(raw) = store.raw_ref(row as usize) else {
                    continue;
                };
                let values = serde_json::from_str::<serde_json::Value>(&slice_event(text, raw))
                    .map(|event| path.values(&event))
                    .unwrap_or_default();
                if values.is_empty() {
                    *map.entry(None).or_default() += 1;
                }
                for value in values {
                    *map.entry(Some(value)).or_default() += 1;
                }
            }
        },
    );
    let mut total: FxHashMap<Option<String>, usize> = FxHashMap::default();
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
    /// The most severe detection level hit in each bucket (`Level as u8`; empty before the
    /// rules ran).
    pub severe: Vec<u8>,
    /// Per ATT&CK tactic ([`crate::store::TACTICS`]): the events whose hits at medium or
    /// above name it.
    pub tactics: [u32; 14],
}

impl Histogram {
    pub fn build(store: &Store, session: &Session, rows: &[u32], buckets: usize) -> Histogram {
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
        let hits = session.hits();
        let mut severe = vec![0u8; if hits.is_some() { buckets } else { 0 }];
        let error_ids = store.ids(Col::Error);
        let mut tactics = [0u32; 14];
        for &row in rows {
            let Some(t) = store.time(row as usize) else {
                continue;
            };
            let b = (((t - start) / bucket_ms) as usize).min(buckets - 1);
            all[b] += 1;
            if error_ids[row as usize] != 0 {
                errors[b] += 1;
            }
            if let Some(h) = hits {
                severe[b] = severe[b].max(h.level_of(row as usize));
                if h.level_of(row as usize) >= 3 {
                    count_tactics(h, row as usize, &mut tactics);
                }
            }
        }
        Histogram {
            start,
            bucket_ms,
            all,
            errors,
            severe,
            tactics,
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

/// A pair of values `stats --by A,B` counts, with the times of its first and last event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub values: [String; 2],
    pub count: usize,
    pub first: Option<i64>,
    pub last: Option<i64>,
}

/// Counts `rows` (in time order) by the pair of values of two fields, most frequent first;
/// events missing either value are left out. Both must be named fields or columns.
pub fn count_pairs(
    store: &Store,
    session: &Session,
    rows: &[u32],
    fields: [&Field; 2],
) -> Result<Vec<Pair>, NotCountable> {
    let mut texts = Vec::new();
    for field in fields {
        texts.push(match field {
            Field::Column(col) => PairValue::Column(*col),
            Field::Named(def) => match def.storage {
                Storage::Columns(cols) => PairValue::Column(cols[0]),
                Storage::TimeBound(_) => return Err(NotCountable(def.name.to_string())),
                storage => PairValue::Shown(storage),
            },
            // The command refuses paths before loading.
            Field::Path(_) => return Err(NotCountable("a JSON path".into())),
        });
    }
    let value = |which: usize, row: usize| -> std::borrow::Cow<'_, str> {
        match texts[which] {
            PairValue::Column(col) => store.get(col, row).into(),
            PairValue::Shown(storage) => display_value(store, session, storage, row).into(),
        }
    };
    // (count, first row, last row) per pair.
    let mut map: FxHashMap<(String, String), (usize, u32, u32)> = FxHashMap::default();
    for &row in rows {
        let (a, b) = (value(0, row as usize), value(1, row as usize));
        if a.is_empty() || b.is_empty() {
            continue;
        }
        let entry = map
            .entry((a.into_owned(), b.into_owned()))
            .or_insert((0, row, row));
        entry.0 += 1;
        entry.2 = row;
    }
    let mut pairs: Vec<Pair> = map
        .into_iter()
        .map(|((a, b), (count, first, last))| Pair {
            values: [a, b],
            count,
            first: store.time(first as usize),
            last: store.time(last as usize),
        })
        .collect();
    pairs.sort_unstable_by(|x, y| y.count.cmp(&x.count).then_with(|| x.values.cmp(&y.values)));
    Ok(pairs)
}

/// Where one side of a pair's value comes from.
#[derive(Clone, Copy)]
enum PairValue {
    Column(Col),
    Shown(Storage),
}

/// What a rule is counted and shown as for a field read from the hits: its title
/// (`rule`), its ATT&CK tactics or techniques.
pub fn attack_of(rule: &crate::store::HitRule, storage: Storage) -> Vec<String> {
    match storage {
        Storage::Tactic | Storage::Technique => rule.attack(storage == Storage::Technique),
        _ => vec![rule.title.clone()],
    }
}

/// Counts by the labels of the rules an event hits (see [`attack_of`]): each label counts
/// an event once; events with none are counted as absent.
fn count_labels(session: &Session, rows: &[u32], storage: Storage) -> Vec<Counted> {
    let Some(hits) = session.hits() else {
        return if rows.is_empty() {
            Vec::new()
        } else {
            vec![(None, rows.len())]
        };
    };
    let labels: Vec<Vec<String>> = hits.rules.iter().map(|r| attack_of(r, storage)).collect();
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut absent = 0;
    let mut seen: Vec<usize> = Vec::new();
    for &row in rows {
        seen.clear();
        for &r in hits.of_row(row as usize) {
            for label in &labels[r as usize] {
                let at = *index.entry(label.clone()).or_insert_with(|| {
                    counts.push((label.clone(), 0));
                    counts.len() - 1
                });
                if !seen.contains(&at) {
                    seen.push(at);
                    counts[at].1 += 1;
                }
            }
        }
        if seen.is_empty() {
            absent += 1;
        }
    }
    let mut counts: Vec<Counted> = counts.into_iter().map(|(l, n)| (Some(l), n)).collect();
    if absent > 0 {
        counts.push((None, absent));
    }
    counts
}

/// Counts `row` once for each tactic its hits at medium or above name.
fn count_tactics(hits: &crate::store::Hits, row: usize, tactics: &mut [u32; 14]) {
    let mut named = [false; 14];
    for (r, level) in hits.levels_of_row(row) {
        if level < 3 {
            continue;
        }
        for tactic in &hits.rules[r as usize].tactics {
            if let Some(i) = crate::store::TACTICS.iter().position(|t| t == tactic) {
                named[i] = true;
            }
        }
    }
    for (count, named) in tactics.iter_mut().zip(named) {
        *count += u32::from(named);
    }
}
