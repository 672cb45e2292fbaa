//! Where the credential-chain keys lead: `P` to everything the selected event's chain root
//! did, `o` to the event that issued its key, `p` to its principal. Pure functions of the
//! index; the explorer turns their answers into jumps.

use super::columns::ValueCounts;
use crate::query::term_text;
use crate::store::{Col, Store};
use crate::text::sanitize;

/// `p`: the filter on the principal of `row`, narrowed to its account when principals of
/// other accounts share its name.
pub fn principal_filter(store: &Store, counts: &ValueCounts, row: usize) -> Result<String, String> {
    let principal = store.get(Col::Principal, row);
    if principal.is_empty() {
        return Err("this event has no principal".into());
    }
    let mut filter = term_text("principal", principal);
    let id = store.ids(Col::Principal).get(row).copied().unwrap_or(0);
    if counts.shared_principal(id).is_some() {
        filter.push(' ');
        filter.push_str(&term_text("account", store.principal_account(row)));
    }
    Ok(filter)
}

/// `P`: `origin:ROOT`, the principal the chain of `row` began with (its ARN, or its key,
/// when another account's principal has the same name).
pub fn origin_filter(store: &Store, counts: &ValueCounts, row: usize) -> Result<String, String> {
    let root = store.provenance().root(store, row) as usize;
    let id = store.ids(Col::Principal).get(root).copied().unwrap_or(0);
    let by = if counts.shared_principal(id).is_some() {
        [Col::Arn, Col::AccessKey, Col::Principal]
    } else {
        [Col::Principal, Col::AccessKey, Col::Arn]
    };
    by.iter()
        .map(|&c| store.get(c, root))
        .find(|v| !v.is_empty())
        .map(|origin| term_text("origin", origin))
        .ok_or_else(|| "this event has no principal or key to follow".into())
}

/// `o`: the event that issued the key of `row`, and what it was (`AssumeRole by alice`);
/// else why there is none.
pub fn issuer(store: &Store, row: usize) -> Result<(u32, String), String> {
    let Some(issuer) = store.provenance().issuer_of(store, row) else {
        let key = store.get(Col::AccessKey, row);
        return Err(if key.starts_with("ASIA") {
            format!("{} was issued outside these logs", sanitize(key))
        } else if key.is_empty() {
            "this event names no access key".into()
        } else {
            format!("{} is a long-term key: no event issued it", sanitize(key))
        });
    };
    let what = format!(
        "{} by {}",
        sanitize(store.get(Col::Name, issuer as usize)),
        sanitize(store.get(Col::Principal, issuer as usize))
    );
    Ok((issuer, what))
}
