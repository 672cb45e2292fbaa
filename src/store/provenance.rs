//! Where temporary credentials came from: the access key an event used was issued by an
//! earlier event (AssumeRole, GetSessionToken… whose `responseElements.credentials`
//! names it), whose own key was issued by another, back to a long-term key, a sign-in
//! (SAML, web identity, IAM Identity Center) or a call outside the loaded logs.
//!
//! IAM Identity Center does not log the key it hands out: `GetRoleCredentials` (in the
//! Identity Center account) has no `responseElements`, and the session begins in the member
//! account with an `AssumeRoleWithSAML` that names the key but not the user's Identity
//! Center id. The two are joined as AWS's own guidance does: the permission set's role
//! (`serviceEventDetails.role_name` against the `AWSReservedSSO_<name>_…` role), the
//! account, and the time (the sign-in within [`SSO_WINDOW_MS`] after the credentials call).

use rustc_hash::FxHashMap;

use super::Store;
use crate::schema::Col;

/// Chains are followed this far at most (a loop in forged logs ends here).
pub const MAX_HOPS: usize = 16;

/// How long after `GetRoleCredentials` the member account's `AssumeRoleWithSAML` may come.
pub const SSO_WINDOW_MS: i64 = 5 * 60 * 1000;

/// How a row's credentials link to the row before it in its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The earlier row's `responseElements.credentials.accessKeyId` is this row's key.
    IssuedKey,
    /// An Identity Center sign-in joined to its `GetRoleCredentials` by role, account and
    /// time.
    IdentityCenter,
    /// The role account's copy of a cross-account call (logged without the caller's key)
    /// joined to the caller's copy, which issued the same key.
    Copy,
}

/// For each value of the access-key column, the row that issued it; and the Identity Center
/// sign-ins joined to their credentials call.
#[derive(Debug, Default)]
pub struct Provenance {
    /// Indexed by access-key id: the issuing row, if it is in the loaded logs.
    issuer: Vec<Option<u32>>,
    /// `AssumeRoleWithSAML` row → the `GetRoleCredentials` row it came from.
    sign_in: FxHashMap<u32, u32>,
    /// A cross-account copy → the caller's copy of the same call.
    copy_of: FxHashMap<u32, u32>,
}

impl Provenance {
    pub fn build(store: &Store) -> Provenance {
        let keys = store.strings(Col::AccessKey);
        let by_text: FxHashMap<&str, u32> = keys
            .values()
            .filter(|(id, _)| *id != 0)
            .map(|(id, key)| (key, id))
            .collect();
        let mut issuer: Vec<Option<u32>> = vec![None; keys.len()];
        let issued = store.ids(Col::IssuedKey);
        let issued_strings = store.strings(Col::IssuedKey);
        let own_key = store.ids(Col::AccessKey);
        for (row, &id) in issued.iter().enumerate() {
            if id == 0 {
                continue;
            }
            let Some(&key) = by_text.get(issued_strings.get(id)) else {
                continue;
            };
            // The first issuing call made the key; a cross-account copy of it (logged in
            // the role's account, without the caller's key) gives way to the caller's own.
            let slot = &mut issuer[key as usize];
            match *slot {
                None => *slot = Some(row as u32),
                Some(first) if own_key[first as usize] == 0 && own_key[row] != 0 => {
                    *slot = Some(row as u32)
                }
                Some(_) => {}
            }
        }
        let mut copy_of = FxHashMap::default();
        for (row, &id) in issued.iter().enumerate() {
            if id == 0 || own_key[row] != 0 {
                continue;
            }
            let caller = by_text
                .get(issued_strings.get(id))
                .and_then(|&key| issuer[key as usize]);
            if let Some(caller) = caller.filter(|&c| c as usize != row) {
                copy_of.insert(row as u32, caller);
            }
        }
        Provenance {
            issuer,
            sign_in: identity_center_sign_ins(store),
            copy_of,
        }
    }

    /// The row before `row` in its chain and how they link, if it is in the logs.
    pub fn parent(&self, store: &Store, row: usize) -> Option<(u32, Link)> {
        let key = *store.ids(Col::AccessKey).get(row)?;
        if let Some(issuer) = self.issuer.get(key as usize).copied().flatten() {
            return Some((issuer, Link::IssuedKey));
        }
        let row = row as u32;
        if let Some(&caller) = self.copy_of.get(&row) {
            return Some((caller, Link::Copy));
        }
        self.sign_in.get(&row).map(|&r| (r, Link::IdentityCenter))
    }

    /// The row that issued the key `row` used, if it is in the logs.
    pub fn issuer_of(&self, store: &Store, row: usize) -> Option<u32> {
        self.parent(store, row).map(|(r, _)| r)
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

    /// The last row of `row`'s chain: where its credentials began.
    pub fn root(&self, store: &Store, row: usize) -> u32 {
        self.chain(store, row).last().copied().unwrap_or(row as u32)
    }

    /// Each row's chain root (see [`Provenance::root`]), for every row at once; rows that
    /// share an issued key share the walk.
    pub fn roots(&self, store: &Store) -> Vec<u32> {
        let keys = store.ids(Col::AccessKey);
        let mut by_key: Vec<Option<u32>> = vec![None; self.issuer.len()];
        (0..store.len())
            .map(|row| match self.parent(store, row) {
                None => row as u32,
                Some((_, Link::IssuedKey)) => {
                    let key = keys[row] as usize;
                    *by_key[key].get_or_insert_with(|| self.root(store, row))
                }
                Some(_) => self.root(store, row),
            })
            .collect()
    }

    /// The rows whose chain holds a principal, access key or ARN that `matches`: each
    /// distinct value is tested once, each issued key's chain walked once, then one pass
    /// over the rows looks their answers up.
    pub fn rows_matching(&self, store: &Store, matches: &dyn Fn(&str) -> bool) -> Vec<u32> {
        let table = |c: Col| -> Vec<bool> {
            store
                .strings(c)
                .values()
                .map(|(id, v)| id != 0 && matches(v))
                .collect()
        };
        let (principals, principal_hit) = (store.ids(Col::Principal), table(Col::Principal));
        let (keys, key_hit) = (store.ids(Col::AccessKey), table(Col::AccessKey));
        let (arns, arn_hit) = (store.ids(Col::Arn), table(Col::Arn));
        let own = |row: usize| {
            principal_hit[principals[row] as usize]
                || key_hit[keys[row] as usize]
                || arn_hit[arns[row] as usize]
        };
        // Per access key: does the chain from the row that issued it up match?
        let above: Vec<bool> = self
            .issuer
            .iter()
            .map(|issuer| {
                issuer.is_some_and(|r| {
                    self.chain(store, r as usize)
                        .iter()
                        .any(|&r| own(r as usize))
                })
            })
            .collect();
        // The sweep reads only the columns whose table holds a match: most filters name a
        // principal, and neither a key nor an ARN matches it.
        let mut tests: Vec<(&[u32], &[bool])> = Vec::new();
        for (ids, table) in [
            (principals, &principal_hit),
            (keys, &key_hit),
            (arns, &arn_hit),
            (keys, &above),
        ] {
            if table.contains(&true) {
                tests.push((ids, table));
            }
        }
        let mut out: Vec<u32> = (0..store.len())
            .filter(|&row| tests.iter().any(|(ids, table)| table[ids[row] as usize]))
            .map(|row| row as u32)
            .collect();
        // Sign-ins and cross-account copies link by their own row, not a key: few, so
        // asked one by one.
        let before = out.len();
        for &row in self.sign_in.keys().chain(self.copy_of.keys()) {
            let linked = self
                .parent(store, row as usize)
                .is_some_and(|(_, link)| link != Link::IssuedKey);
            if linked
                && out.binary_search(&row).is_err()
                && self.chain(store, row as usize)[1..]
                    .iter()
                    .any(|&r| own(r as usize))
            {
                out.push(row);
            }
        }
        if out.len() > before {
            out.sort_unstable();
            out.dedup();
        }
        out
    }
}

/// Joins each Identity Center sign-in (`AssumeRoleWithSAML` into an `AWSReservedSSO_` role)
/// to the latest `GetRoleCredentials` for that permission set and account before it.
fn identity_center_sign_ins(store: &Store) -> FxHashMap<u32, u32> {
    let names = store.strings(Col::Name);
    let id_of = |wanted: &str| names.values().find(|(_, v)| *v == wanted).map(|(id, _)| id);
    let (Some(saml), Some(get)) = (id_of("AssumeRoleWithSAML"), id_of("GetRoleCredentials")) else {
        return FxHashMap::default();
    };
    let name_ids = store.ids(Col::Name);
    let rows: Vec<u32> = (0..store.len() as u32)
        .filter(|&r| matches!(name_ids[r as usize], n if n == saml || n == get))
        .collect();
    // What each of those events says, read with each input inflated once.
    let mut read: Vec<(u32, Said)> = store
        .scan_rows(&rows, Vec::new, |out, row, json| {
            let doc: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
            out.push((row, said(&doc, name_ids[row as usize] == get)));
        })
        .into_iter()
        .flatten()
        .collect();
    read.sort_unstable_by_key(|(row, _)| *row);
    // (time, account, permission set, row) of each credentials call, in time order.
    let mut calls: Vec<(i64, String, String, u32)> = Vec::new();
    let mut sign_ins = FxHashMap::default();
    for (row, said) in read {
        let Some(time) = store.time(row as usize) else {
            continue;
        };
        match said {
            Said::Call { account, role } => calls.push((time, account, role, row)),
            Said::SignIn { permission_set } => {
                let account = store.get(Col::RecipientAccount, row as usize);
                let found = calls.iter().rev().find(|(t, a, r, _)| {
                    *a == account && *r == permission_set && *t <= time && time - t <= SSO_WINDOW_MS
                });
                if let Some(&(_, _, _, call)) = found {
                    sign_ins.insert(row, call);
                }
            }
            Said::Nothing => {}
        }
    }
    sign_ins
}

/// What a `GetRoleCredentials` or an Identity Center `AssumeRoleWithSAML` says.
enum Said {
    Call { account: String, role: String },
    SignIn { permission_set: String },
    Nothing,
}

fn said(doc: &serde_json::Value, credentials_call: bool) -> Said {
    if credentials_call {
        let detail = |k: &str| {
            doc.pointer(&format!("/serviceEventDetails/{k}"))
                .or_else(|| doc.pointer(&format!("/requestParameters/{}", camel(k))))
                .and_then(|v| match v {
                    // An account id some writers leave unquoted.
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    v => v.as_str().map(str::to_string),
                })
        };
        return match (detail("account_id"), detail("role_name")) {
            (Some(account), Some(role)) => Said::Call { account, role },
            _ => Said::Nothing,
        };
    }
    let role_arn = doc
        .pointer("/requestParameters/roleArn")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    match sso_permission_set(role_arn) {
        Some(set) => Said::SignIn {
            permission_set: set.to_string(),
        },
        None => Said::Nothing,
    }
}

/// `account_id` → `accountId`: some clients log the request instead of the details.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.push(c.to_ascii_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// The permission set behind an Identity Center role ARN:
/// `…:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_7c1a…` →
/// `AdministratorAccess`.
fn sso_permission_set(role_arn: &str) -> Option<&str> {
    let role = role_arn.rsplit('/').next()?;
    let rest = role.strip_prefix("AWSReservedSSO_")?;
    rest.rsplit_once('_').map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_sets_from_role_arns() {
        assert_eq!(
            sso_permission_set("arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_Access_7c1a"),
            Some("Admin_Access")
        );
        assert_eq!(sso_permission_set("arn:aws:iam::1:role/Deploy"), None);
        assert_eq!(camel("account_id"), "accountId");
    }
}
