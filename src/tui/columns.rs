//! How many events hold each value of the indexed columns (for suggestions and the
//! columns' widths), and the rows the timeline's `+` marks.

use std::collections::HashMap;

use crate::event::Credential;
use crate::store::{Col, Store};

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
