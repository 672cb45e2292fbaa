//! How many events hold each value of the indexed columns (for suggestions and widths), and
//! the timeline's column widths: measured once over the whole index, so paging and
//! filtering never shift a column, then fitted to the pane by giving way in a fixed order.

use std::collections::HashMap;

use crate::event::Credential;
use crate::schema::{self, FieldDef, Matching, Storage};
use crate::store::{Col, Store};
use crate::text;

/// Events per value id, for the columns that suggest values.
#[derive(Debug, Default)]
pub struct ValueCounts {
    by_col: Vec<(Col, Vec<usize>)>,
    credentials: [usize; 5],
    /// Principal names that principals of several accounts have, by principal id: the
    /// events of each account's.
    shared_principals: HashMap<u32, Vec<(String, usize)>>,
}

impl ValueCounts {
    /// Counts the values of `cols` over `rows` (every event when `None`): a pass over
    /// them, run off the UI thread.
    pub fn of(store: &Store, cols: &[Col], rows: Option<&[u32]>) -> ValueCounts {
        let mut credentials = [0usize; 5];
        let by_col = cols
            .iter()
            .map(|&col| {
                let ids = store.ids(col);
                let mut counts = vec![0usize; store.strings(col).len()];
                match rows {
                    Some(rows) => rows
                        .iter()
                        .for_each(|&r| counts[ids[r as usize] as usize] += 1),
                    None => ids.iter().for_each(|&id| counts[id as usize] += 1),
                }
                (col, counts)
            })
            .collect();
        match rows {
            Some(rows) => rows
                .iter()
                .for_each(|&r| credentials[store.credential(r as usize) as usize] += 1),
            None => (0..store.len()).for_each(|r| credentials[store.credential(r) as usize] += 1),
        }
        ValueCounts {
            by_col,
            credentials,
            shared_principals: shared_principals(store, rows),
        }
    }

    /// Of a principal name several accounts' principals have: each account's events.
    pub fn shared_principal(&self, principal: u32) -> Option<&[(String, usize)]> {
        self.shared_principals.get(&principal).map(Vec::as_slice)
    }

    /// Events whose credential is `credential`.
    pub fn credential(&self, credential: Credential) -> usize {
        self.credentials[credential as usize]
    }

    /// Events per id of `col` (empty when `col` was not counted).
    pub fn get(&self, col: Col) -> &[usize] {
        self.by_col
            .iter()
            .find(|(c, _)| *c == col)
            .map_or(&[], |(_, counts)| counts.as_slice())
    }
}

/// The fields whose values are suggested after `field:` (their first column), besides
/// `credential:`; bare words suggest eventNames.
pub const SUGGESTED: &[Col] = &[
    Col::Name,
    Col::Principal,
    Col::Ip,
    Col::Source,
    Col::Region,
    Col::RecipientAccount,
    Col::AccessKey,
    Col::Agent,
    Col::Tool,
    Col::Os,
    Col::IpType,
    Col::Asn,
    Col::Org,
    Col::Country,
    Col::City,
    Col::Error,
    Col::UserName,
    Col::SessionName,
    Col::IdentityType,
    Col::EventType,
    Col::Category,
];

/// The `new:` fields the timeline's `+` marks.
const MARKED_NEW: [&str; 5] = ["ip", "agent", "region", "key", "account"];

/// The rows where a principal used one of [`MARKED_NEW`] for the first time, ascending
/// (a pass over the index: run on a worker).
pub fn first_uses(store: &Store) -> Vec<u32> {
    let mut rows: Vec<u32> = crate::schema::FIRST_SEEN
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| MARKED_NEW.contains(name))
        .flat_map(|(i, _)| store.first_seen(i).iter().copied())
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

/// Per principal id whose name principals of several accounts have (in `rows`, else in
/// every event): each account's events, most first.
fn shared_principals(store: &Store, rows: Option<&[u32]>) -> HashMap<u32, Vec<(String, usize)>> {
    let principals = crate::store::Principals::of(store);
    let shared = principals.shared_names(rows, store.strings(Col::Principal).len());
    // (events, a row that shows the account) per shared name and account.
    let mut per: HashMap<u32, HashMap<u64, (usize, usize)>> = HashMap::new();
    let mut count = |row: usize| {
        let (p, account) = principals.key(row);
        if shared.get(p as usize).copied().unwrap_or(false) {
            per.entry(p)
                .or_default()
                .entry(account)
                .or_insert((0, row))
                .0 += 1;
        }
    };
    match rows {
        Some(rows) => rows.iter().for_each(|&r| count(r as usize)),
        None => (0..store.len()).for_each(count),
    }
    per.into_iter()
        .map(|(p, accounts)| {
            let mut accounts: Vec<(String, usize)> = accounts
                .into_values()
                .map(|(n, row)| (store.principal_account(row).to_string(), n))
                .collect();
            accounts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            (p, accounts)
        })
        .collect()
}

/// The timeline's columns, in order: named fields of the schema.
pub fn timeline_fields() -> [&'static FieldDef; 7] {
    schema::TIMELINE.map(|name| schema::named(name).unwrap_or(&schema::FIELDS[0]))
}

/// The column a timeline field shows, when it is an indexed one.
pub fn timeline_col(def: &FieldDef) -> Option<Col> {
    match def.storage {
        Storage::Columns(cols) => cols.first().copied(),
        _ => None,
    }
}

/// A value as the timeline shows it: a service without `.amazonaws.com`, as the event
/// source, the caller's address or the principal (the detail pane shows it whole).
pub fn shown<'a>(def: &FieldDef, value: &'a str) -> &'a str {
    match def.matching {
        Matching::Service | Matching::Address => {
            value.strip_suffix(".amazonaws.com").unwrap_or(value)
        }
        _ if def.name == "principal" => value.strip_suffix(".amazonaws.com").unwrap_or(value),
        _ => value,
    }
}

/// How one column behaves: its widest width, and whether it may be cut at all (an
/// address is shown whole or not at all).
struct Rule {
    cap: usize,
    cut: bool,
}

/// time, name, source, principal, ip, region, error. Widths include one column of gap.
const RULES: [Rule; 7] = [
    Rule {
        cap: 20,
        cut: false,
    },
    Rule { cap: 34, cut: true },
    Rule { cap: 20, cut: true },
    Rule { cap: 44, cut: true },
    Rule {
        cap: 40,
        cut: false,
    },
    Rule {
        cap: 15,
        cut: false,
    },
    Rule { cap: 26, cut: true },
];

/// What gives way, in order, when the columns do not fit: shrink a column down to a width,
/// or drop it. The least important first; time, name and principal stay to the end.
#[derive(Clone, Copy)]
enum Step {
    Shrink(usize, usize),
    Drop(usize),
}

const GIVE_WAY: [Step; 13] = [
    // A little from the wide columns first, to keep the region on a wide screen.
    Step::Shrink(2, 12),
    Step::Shrink(3, 36),
    Step::Shrink(1, 26),
    Step::Drop(5),
    Step::Shrink(2, 7),
    Step::Shrink(6, 10),
    Step::Shrink(3, 20),
    Step::Shrink(1, 16),
    Step::Drop(2),
    Step::Drop(6),
    Step::Drop(4),
    Step::Shrink(3, 14),
    Step::Shrink(1, 12),
];

/// The share of events whose value a column shows whole: a rare long value is cut rather
/// than widen the column for everyone.
const SHOWN_WHOLE: f64 = 0.99;

/// The width each timeline column would like (value plus one column of gap), from the
/// lengths of its values over the whole index: the 99th percentile by events, within the
/// column's cap; an address column takes its longest value, since it is never cut.
pub fn natural_widths(store: &Store, counts: &ValueCounts) -> [usize; 7] {
    let fields = timeline_fields();
    let mut widths = [0usize; 7];
    for (i, def) in fields.iter().enumerate() {
        let header = text::width(def.header) + 1;
        let Some(col) = timeline_col(def) else {
            widths[i] = header;
            continue;
        };
        let strings = store.strings(col);
        let per_id = counts.get(col);
        let mut lengths: Vec<(usize, usize)> = strings
            .values()
            .filter(|(id, _)| *id != 0)
            .map(|(id, value)| {
                let n = per_id.get(id as usize).copied().unwrap_or(1);
                (text::width(&text::sanitize(shown(def, value))) + 1, n)
            })
            .filter(|&(_, n)| n > 0)
            .collect();
        if def.name == "name" {
            // Insights events show what they are about where others show their eventName.
            lengths.extend(
                store
                    .strings(Col::Insight)
                    .values()
                    .filter(|(id, _)| *id != 0)
                    .map(|(_, v)| (text::width(&text::sanitize(v)) + "Insight ".len() + 1, 1)),
            );
        }
        lengths.sort_unstable();
        let total: usize = lengths.iter().map(|(_, n)| n).sum();
        let wanted = if RULES[i].cut {
            let threshold = (total as f64 * SHOWN_WHOLE).ceil() as usize;
            let mut seen = 0;
            lengths
                .iter()
                .find(|(_, n)| {
                    seen += n;
                    seen >= threshold
                })
                .map_or(0, |(w, _)| *w)
        } else {
            lengths.last().map_or(0, |(w, _)| *w)
        };
        widths[i] = wanted.max(header).min(RULES[i].cap);
    }
    widths
}

/// The widths to draw at: `natural` (with the time column `time_width` wide) fitted into
/// `width` columns, giving way step by step. A dropped column is 0 wide.
pub fn fit(natural: [usize; 7], time_width: usize, width: usize) -> [usize; 7] {
    let mut widths = natural;
    widths[0] = time_width;
    for step in GIVE_WAY {
        let excess = widths.iter().sum::<usize>().saturating_sub(width);
        if excess == 0 {
            break;
        }
        match step {
            Step::Drop(i) => widths[i] = 0,
            Step::Shrink(i, floor) => {
                let floor = floor.min(widths[i]);
                widths[i] -= excess.min(widths[i] - floor);
            }
        }
    }
    // Still too wide (a very narrow pane): the principal and name give what is left.
    for i in [3, 1] {
        let excess = widths.iter().sum::<usize>().saturating_sub(width);
        widths[i] -= excess.min(widths[i].saturating_sub(2));
    }
    // A drop can free more than was needed: the shrunk columns still shown take it back,
    // a column at a time round the name, principal, error and service.
    let mut room = width.saturating_sub(widths.iter().sum::<usize>());
    while room > 0 {
        let mut grew = false;
        for i in [1, 3, 6, 2] {
            if room > 0 && widths[i] > 0 && widths[i] < natural[i] {
                widths[i] += 1;
                room -= 1;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    const NATURAL: [usize; 7] = [0, 26, 10, 44, 40, 10, 13];

    #[test]
    fn everything_fits_on_a_wide_pane() {
        assert_eq!(fit(NATURAL, 20, 200), [20, 26, 10, 44, 40, 10, 13]);
    }

    #[test]
    fn a_little_from_the_principal_then_the_region_goes() {
        // The principal gives up to 8 columns, then the region goes (and gives them back).
        assert_eq!(fit(NATURAL, 9, 146), [9, 26, 10, 38, 40, 10, 13]);
        assert_eq!(fit(NATURAL, 9, 138), [9, 26, 10, 40, 40, 0, 13]);
        assert_eq!(fit(NATURAL, 9, 135), [9, 26, 10, 37, 40, 0, 13]);
        // Then the service, the error, the principal (to 20) and the name (to 16).
        assert_eq!(fit(NATURAL, 9, 120), [9, 26, 7, 28, 40, 0, 10]);
        assert_eq!(fit(NATURAL, 9, 100), [9, 18, 0, 22, 40, 0, 11]);
    }

    #[test]
    fn the_address_is_dropped_whole_never_cut() {
        // 80 columns: the pane is 46 wide.
        let widths = fit(NATURAL, 9, 46);
        assert_eq!(widths[4], 0);
        assert_eq!(widths[0], 9);
        assert_eq!(widths, [9, 17, 0, 20, 0, 0, 0]);
        assert_eq!(widths.iter().sum::<usize>(), 46);
        for width in 0..200 {
            let w = fit(NATURAL, 9, width);
            assert!(w[4] == 0 || w[4] == 40, "{width}: {w:?}");
        }
    }
}
