//! Principals as identities: a name is one principal in one account (an IAM user `bob` of
//! one account and a federated `bob` of another are two), except a user of an identity
//! provider (SAML, web identity, Identity Center), who is the same person in every account.
//! Keys are ids, compared without reading a string, so a pass over a million rows stays a
//! pass over integers.

use super::Store;
use crate::schema::Col;

/// The identity types that are the same person in whatever account they sign in to.
const PROVIDER_USERS: [&str; 3] = ["SAMLUser", "WebIdentityUser", "IdentityCenterUser"];

/// Reads rows' identities.
pub struct Principals<'s> {
    principal: &'s [u32],
    identity_account: &'s [u32],
    recipient: &'s [u32],
    kind: &'s [u32],
    /// Per identity type id: a provider's user.
    provider_user: Vec<bool>,
}

impl<'s> Principals<'s> {
    pub fn of(store: &'s Store) -> Principals<'s> {
        let types = store.strings(Col::IdentityType);
        Principals {
            principal: store.ids(Col::Principal),
            identity_account: store.ids(Col::IdentityAccount),
            recipient: store.ids(Col::RecipientAccount),
            kind: store.ids(Col::IdentityType),
            provider_user: types
                .values()
                .map(|(_, t)| PROVIDER_USERS.contains(&t))
                .collect(),
        }
    }

    /// The row's principal id (0: none).
    pub fn principal(&self, row: usize) -> u32 {
        self.principal.get(row).copied().unwrap_or(0)
    }

    /// A number for the account the row's principal belongs to: its
    /// `userIdentity.accountId`, else the recipient account; 0 for a provider's user.
    pub fn account(&self, row: usize) -> u64 {
        let at = |ids: &[u32]| ids.get(row).copied().unwrap_or(0);
        if self
            .provider_user
            .get(at(self.kind) as usize)
            .copied()
            .unwrap_or(false)
        {
            return 0;
        }
        match at(self.identity_account) {
            0 => (1 << 32) | u64::from(at(self.recipient)),
            id => u64::from(id),
        }
    }

    /// Who the row counts as when following one identity: its principal in its account.
    pub fn key(&self, row: usize) -> (u32, u64) {
        (self.principal(row), self.account(row))
    }

    /// Per principal id, whether principals of more than one account have that name among
    /// `rows` (every row when `None`).
    pub fn shared_names(&self, rows: Option<&[u32]>, names: usize) -> Vec<bool> {
        let mut first: Vec<Option<u64>> = vec![None; names];
        let mut shared = vec![false; names];
        let mut see = |row: usize| {
            let (p, account) = self.key(row);
            if p == 0 {
                return;
            }
            match &mut first[p as usize] {
                slot @ None => *slot = Some(account),
                Some(a) if *a != account => shared[p as usize] = true,
                Some(_) => {}
            }
        };
        match rows {
            Some(rows) => rows.iter().for_each(|&r| see(r as usize)),
            None => (0..self.principal.len()).for_each(see),
        }
        shared
    }
}

impl Store {
    /// The account a row's principal belongs to, as text: `userIdentity.accountId`, else
    /// the recipient account; none for a user of an identity provider, who is the same
    /// person in whatever account they sign in to.
    pub fn principal_account(&self, row: usize) -> &str {
        if PROVIDER_USERS.contains(&self.get(Col::IdentityType, row)) {
            return "";
        }
        match self.get(Col::IdentityAccount, row) {
            "" => self.get(Col::RecipientAccount, row),
            account => account,
        }
    }

    /// Whether the principal name of `row` is also the name of a principal of another
    /// account in these events (one pass over integers).
    pub fn principal_name_is_shared(&self, row: usize) -> bool {
        let principals = Principals::of(self);
        let (principal, account) = principals.key(row);
        principal != 0
            && (0..self.len())
                .any(|r| principals.principal(r) == principal && principals.account(r) != account)
    }
}
