//! Time order and the duplicate collapse.

use crate::schema::Col;
use crate::store::Columns;

/// Row order by (time, input, position), and the duplicate deliveries left out of it.
pub(super) fn time_order(cols: &Columns) -> (Vec<u32>, usize) {
    let mut order: Vec<u32> = (0..cols.len() as u32).collect();
    order.sort_unstable_by_key(|&r| {
        let raw = cols.raw[r as usize];
        (cols.time[r as usize], raw.blob, raw.offset)
    });
    // A column without any value is empty (see `Columns::pad`): every id is then 0.
    let column = |col: Col| {
        let ids = &cols.ids[col as usize];
        move |row: usize| ids.get(row).copied().unwrap_or(0)
    };
    let (name, account) = (column(Col::Name), column(Col::RecipientAccount));
    let mut kept = Vec::with_capacity(order.len());
    let mut duplicates = 0;
    // Duplicates share an eventTime, so only events of one time are compared: pairwise in
    // the usual small groups, through a set in large ones (many events in one second).
    let mut start = 0;
    while start < order.len() {
        let time = cols.time[order[start] as usize];
        let end = start + order[start..].partition_point(|&r| cols.time[r as usize] == time);
        let group = &order[start..end];
        if group.len() <= 16 {
            let first_kept = kept.len();
            for &row in group {
                let r = row as usize;
                let id = cols.event_id.get(r);
                let duplicate = !id.is_empty()
                    && kept[first_kept..].iter().any(|&k: &u32| {
                        let k = k as usize;
                        cols.event_id.get(k) == id && name(k) == name(r) && account(k) == account(r)
                    });
                if duplicate {
                    duplicates += 1;
                } else {
                    kept.push(row);
                }
            }
        } else {
            let mut seen = rustc_hash::FxHashSet::default();
            for &row in group {
                let r = row as usize;
                let id = cols.event_id.get(r);
                if !id.is_empty() && !seen.insert((id, name(r), account(r))) {
                    duplicates += 1;
                } else {
                    kept.push(row);
                }
            }
        }
        start = end;
    }
    (kept, duplicates)
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
            cols.push(&event, raw);
        }
        cols
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
        let (order, duplicates) = time_order(&cols);
        assert_eq!(order, [2, 3, 1, 0]);
        assert_eq!(duplicates, 0);
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
        let (order, duplicates) = time_order(&cols);
        assert_eq!(duplicates, 1);
        assert_eq!(order, [0, 2, 3, 4, 5]);
    }

    #[test]
    fn large_groups_of_one_second_collapse_the_same_way() {
        let events: Vec<String> = (0..40)
            .map(|i| event(&format!("e{}", i % 20), "2024-05-03T14:00:00Z", "X", "1"))
            .collect();
        let list: Vec<(u32, &str)> = events.iter().map(|e| (0, e.as_str())).collect();
        let (order, duplicates) = time_order(&columns(&list));
        assert_eq!(duplicates, 20);
        assert_eq!(order, (0..20).collect::<Vec<u32>>());
    }
}
