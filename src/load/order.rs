//! Time order and the duplicate collapse.

use crate::schema::Col;
use crate::store::{Columns, IdKey};

/// The rows in time order, without the copies of events delivered more than once.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Ordered {
    /// Rows by (time, input, position).
    pub kept: Vec<u32>,
    /// Copies left out: the same event JSON as a kept row.
    pub duplicates: Vec<u32>,
    /// Kept rows that share eventID, eventName, eventTime and recipient account with another
    /// kept row whose JSON differs: a planted decoy never hides the real event.
    pub conflicts: Vec<u32>,
}

/// Orders `rows` of `cols` (all of them, or those an index brought up to date keeps) by
/// (time, input, position) and collapses duplicate deliveries: a row is left out only when
/// its event JSON is that of an earlier kept row with the same eventID, eventName,
/// eventTime and recipient account, as `print(row)` (the SHA-256 of its JSON value, `None`
/// when it cannot be read: then it equals nothing) says. Each row is fingerprinted once
/// and looked up: thousands of copies of one event cost thousands of steps, not millions.
/// With `dedup` off, every row is kept (copies are still flagged when they differ).
pub(crate) fn time_order(
    cols: &Columns,
    rows: Vec<u32>,
    dedup: bool,
    one_thread: bool,
    print: &mut dyn FnMut(u32) -> Option<[u8; 32]>,
) -> Ordered {
    let key = |r: u32| {
        let raw = cols.raw[r as usize];
        (cols.time[r as usize], raw.blob, raw.offset)
    };
    // Two halves sorted side by side, then merged (every key differs: no ties to break).
    let mut order = rows;
    let half = order.len() / 2;
    let (a, b) = order.split_at_mut(half);
    if one_thread {
        a.sort_unstable_by_key(|&r| key(r));
        b.sort_unstable_by_key(|&r| key(r));
    } else {
        std::thread::scope(|scope| {
            scope.spawn(|| a.sort_unstable_by_key(|&r| key(r)));
            b.sort_unstable_by_key(|&r| key(r));
        });
    }
    let order = merge(a, b, key);
    // A column without any value is empty (see `Columns::pad`): every id is then 0.
    let column = |col: Col| {
        let ids = &cols.ids[col as usize];
        move |row: usize| ids.get(row).copied().unwrap_or(0)
    };
    let (name, account) = (column(Col::Name), column(Col::RecipientAccount));
    let mut out = Ordered {
        kept: Vec::with_capacity(order.len()),
        ..Ordered::default()
    };
    // Copies share an eventTime, so only events of one time are compared, through a map
    // of the kept rows of each (eventID, eventName, account) and their fingerprints.
    let mut groups: rustc_hash::FxHashMap<(IdKey, u32, u32), Copies> = Default::default();
    let mut start = 0;
    while start < order.len() {
        let time = cols.time[order[start] as usize];
        // Most times hold one event or a few: a step forward, not a binary search over
        // the rest of the rows (a cache miss at each of its probes).
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&r| cols.time[r as usize] == time)
                .count();
        if end - start == 1 {
            out.kept.push(order[start]);
            start = end;
            continue;
        }
        groups.clear();
        for &row in &order[start..end] {
            let r = row as usize;
            let id = cols.event_id.key(r);
            if id == IdKey::Text("") {
                out.kept.push(row);
                continue;
            }
            match groups.entry((id, name(r), account(r))) {
                std::collections::hash_map::Entry::Vacant(alone) => {
                    alone.insert(Copies {
                        first: row,
                        rest: None,
                    });
                    out.kept.push(row);
                }
                std::collections::hash_map::Entry::Occupied(mut copies) => {
                    copies.get_mut().take(row, dedup, print, &mut out);
                }
            }
        }
        start = end;
    }
    out
}

/// The kept rows that share an eventID, eventName, eventTime and account, and the
/// fingerprints of their JSON. Almost every event is alone: the map holds its row and a
/// null pointer, and nothing is allocated until a copy turns up.
struct Copies {
    first: u32,
    rest: Option<Box<MoreCopies>>,
}

#[derive(Default)]
struct MoreCopies {
    /// The kept copies after the first.
    rows: Vec<u32>,
    prints: rustc_hash::FxHashSet<[u8; 32]>,
    /// A kept copy whose JSON could not be read: it equals nothing.
    unreadable: bool,
    /// Its rows are among the conflicts already.
    flagged: bool,
}

impl MoreCopies {
    fn remember(&mut self, fingerprint: Option<[u8; 32]>) {
        match fingerprint {
            Some(p) => {
                self.prints.insert(p);
            }
            None => self.unreadable = true,
        }
    }
}

impl Copies {
    /// Takes in `row`, a copy of the first: kept, or (with `dedup`) a duplicate of a kept
    /// copy; flagged with every earlier copy when their JSON differs.
    fn take(
        &mut self,
        row: u32,
        dedup: bool,
        print: &mut dyn FnMut(u32) -> Option<[u8; 32]>,
        out: &mut Ordered,
    ) {
        let first = self.first;
        let more = self.rest.get_or_insert_with(|| {
            // The first copy turned up: the first is read again now.
            let mut more = Box::<MoreCopies>::default();
            more.remember(print(first));
            more
        });
        let fingerprint = print(row);
        let known = fingerprint.is_some_and(|p| more.prints.contains(&p));
        if dedup && known {
            out.duplicates.push(row);
            return;
        }
        // Every earlier copy the same as this one, or not?
        let all_same = known && more.prints.len() == 1 && !more.unreadable;
        if !all_same {
            if !more.flagged {
                out.conflicts.push(first);
                out.conflicts.extend(&more.rows);
                more.flagged = true;
            }
            out.conflicts.push(row);
        }
        more.rows.push(row);
        more.remember(fingerprint);
        out.kept.push(row);
    }
}

/// The rows of two runs sorted by `key`, in one run.
fn merge<K: Ord>(a: &[u32], b: &[u32], key: impl Fn(u32) -> K) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if key(b[j]) < key(a[i]) {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::RawEvent;
    use crate::store::RawRef;

    /// Columns holding `events` (JSON), each at its own offset of blob `blob`.
    fn columns(events: &[(u32, &str)]) -> Columns {
        let mut cols = Columns::new();
        for (i, (blob, json)) in events.iter().enumerate() {
            let event: RawEvent = serde_json::from_str(json).expect("event");
            let raw = RawRef {
                blob: *blob,
                offset: i as u32 * 1000,
                len: json.len() as u32,
                escaped: false,
            };
            cols.push(&event, event.time().0, raw);
        }
        cols
    }

    fn all(cols: &Columns) -> Vec<u32> {
        (0..cols.len() as u32).collect()
    }

    fn event(id: &str, time: &str, name: &str, account: &str) -> String {
        format!(
            r#"{{"eventID":"{id}","eventTime":"{time}","eventName":"{name}","recipientAccountId":"{account}"}}"#
        )
    }

    #[test]
    fn time_then_input_then_position_untimed_first() {
        let a = event("a", "2024-05-03T14:00:02Z", "X", "1");
        let b = event("b", "2024-05-03T14:00:01Z", "X", "1");
        let c = event("c", "not a time", "X", "1");
        let d = event("d", "2024-05-03T14:00:01Z", "X", "1");
        // d is in an earlier input than b: same second, so input order decides.
        let cols = columns(&[(1, &a), (1, &b), (2, &c), (0, &d)]);
        let ordered = time_order(&cols, all(&cols), true, false, &mut |_| Some([0; 32]));
        assert_eq!(ordered.kept, [2, 3, 1, 0]);
        assert!(ordered.duplicates.is_empty());
    }

    #[test]
    fn duplicates_collapse_on_id_name_and_account() {
        let one = event("e1", "2024-05-03T14:00:00Z", "CreateUser", "111122223333");
        let other_account = event("e1", "2024-05-03T14:00:00Z", "CreateUser", "444455556666");
        let other_name = event("e1", "2024-05-03T14:00:00Z", "DeleteUser", "111122223333");
        let no_id = event("", "2024-05-03T14:00:00Z", "CreateUser", "111122223333");
        let cols = columns(&[
            (0, &one),
            (1, &one),
            (0, &other_account),
            (0, &other_name),
            (0, &no_id),
            (1, &no_id),
        ]);
        let ordered = time_order(&cols, all(&cols), true, false, &mut |_| Some([0; 32]));
        assert_eq!(ordered.duplicates, [1]);
        assert_eq!(ordered.kept, [0, 2, 3, 4, 5]);
        assert!(ordered.conflicts.is_empty());
    }

    #[test]
    fn copies_that_differ_are_kept_and_flagged() {
        let one = event("e1", "2024-05-03T14:00:00Z", "CreateUser", "1");
        let cols = columns(&[(0, &one), (1, &one), (2, &one), (3, &one)]);
        // Rows 0 and 2 hold one content, 1 another, 3 the first again.
        let content = [0, 1, 0, 0];
        let mut print = |r: u32| Some([content[r as usize]; 32]);
        let ordered = time_order(&cols, all(&cols), true, false, &mut print);
        assert_eq!(ordered.kept, [0, 1]);
        assert_eq!(ordered.duplicates, [2, 3]);
        assert_eq!(ordered.conflicts, [0, 1]);
        let all = time_order(&cols, all(&cols), false, false, &mut print);
        assert_eq!(all.kept, [0, 1, 2, 3]);
        assert!(all.duplicates.is_empty());
    }

    #[test]
    fn large_groups_of_one_second_collapse_the_same_way() {
        let events: Vec<String> = (0..40)
            .map(|i| event(&format!("e{}", i % 20), "2024-05-03T14:00:00Z", "X", "1"))
            .collect();
        let list: Vec<(u32, &str)> = events.iter().map(|e| (0, e.as_str())).collect();
        let ordered = time_order(
            &columns(&list),
            (0..list.len() as u32).collect(),
            true,
            false,
            &mut |_| Some([0; 32]),
        );
        assert_eq!(ordered.duplicates.len(), 20);
        assert_eq!(ordered.kept, (0..20).collect::<Vec<u32>>());
    }
}
