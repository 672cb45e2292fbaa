//! Where temporary credentials came from: the access key an event used was issued by an
//! earlier event (AssumeRole, GetSessionToken… whose `responseElements.credentials`
//! names it), whose own key was issued by another, back to a long-term key or to a call
//! outside the loaded logs. Built from two indexed columns the first time it is asked for.

use rustc_hash::FxHashMap;

use super::Store;
use crate::schema::Col;

/// Chains are followed this far at most (a loop in forged logs ends here).
pub const MAX_HOPS: usize = 16;

/// For each value of the access-key column, the row that issued it.
#[derive(Debug, Default)]
pub struct Provenance {
    /// Indexed by access-key id: the issuing row, if it is in the loaded logs.
    issuer: Vec<Option<u32>>,
}

impl Provenance {
    pub fn build(store: &Store) -> Provenance {
        let keys = store.strings(Col::AccessKey);
        let by_text: FxHashMap<&str, u32> = keys
            .values()
            .filter(|(id, _)| *id != 0)
            .map(|(id, key)| (key, id))
            .collect();
        let mut issuer = vec![None; keys.len()];
        let issued = store.ids(Col::IssuedKey);
        let issued_strings = store.strings(Col::IssuedKey);
        for (row, &id) in issued.iter().enumerate() {
            if id == 0 {
                continue;
            }
            if let Some(&key) = by_text.get(issued_strings.get(id)) {
                // The first issuing call is the one that made the key.
                issuer[key as usize].get_or_insert(row as u32);
            }
        }
        Provenance { issuer }
    }

    /// The row that issued the key `row` used, if it is in the logs.
    pub fn issuer_of(&self, store: &Store, row: usize) -> Option<u32> {
        let key = *store.ids(Col::AccessKey).get(row)?;
        self.issuer.get(key as usize).copied().flatten()
    }

    /// The chain behind `row`: the row itself, then each issuing row, root last.
    pub fn chain(&self, store: &Store, row: usize) -> Vec<u32> {
        let mut chain = vec![row as u32];
        let mut at = row;
        while chain.len() <= MAX_HOPS {
            match self.issuer_of(store, at) {
                Some(next) if !chain.contains(&next) => {
                    chain.push(next);
                    at = next as usize;
                }
                _ => break,
            }
        }
        chain
    }

    /// The rows whose chain holds a principal, access key or ARN that `matches`; decided
    /// once per access key, then swept over the rows.
    pub fn rows_matching(&self, store: &Store, matches: &dyn Fn(&str) -> bool) -> Vec<u32> {
        let keys = store.ids(Col::AccessKey);
        // Each distinct value is tested once; rows then look their ids up.
        let tables: Vec<(&[u32], Vec<bool>)> = [Col::Principal, Col::AccessKey, Col::Arn]
            .iter()
            .map(|&c| {
                let table = store
                    .strings(c)
                    .values()
                    .map(|(id, v)| id != 0 && matches(v))
                    .collect();
                (store.ids(c), table)
            })
            .collect();
        let own = |row: usize| {
            tables
                .iter()
                .any(|(ids, table)| table.get(ids[row] as usize).copied().unwrap_or(false))
        };
        // Per access key: does the chain above its issuing row match?
        let mut above: Vec<Option<bool>> = vec![None; self.issuer.len()];
        let mut out = Vec::new();
        for (row, &key) in keys.iter().enumerate() {
            if own(row) || self.above(store, key, &own, &mut above, 0) {
                out.push(row as u32);
            }
        }
        out
    }

    fn above(
        &self,
        store: &Store,
        key: u32,
        own: &dyn Fn(usize) -> bool,
        memo: &mut Vec<Option<bool>>,
        depth: usize,
    ) -> bool {
        if let Some(known) = memo.get(key as usize).copied().flatten() {
            return known;
        }
        let Some(Some(issuer)) = self.issuer.get(key as usize).copied() else {
            return false;
        };
        // A chain deeper than MAX_HOPS, or a loop, stops here.
        memo[key as usize] = Some(false);
        let result = depth < MAX_HOPS
            && (own(issuer as usize)
                || self.above(
                    store,
                    store.ids(Col::AccessKey)[issuer as usize],
                    own,
                    memo,
                    depth + 1,
                ));
        memo[key as usize] = Some(result);
        result
    }
}
