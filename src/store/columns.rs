//! The columns of a set of events, built one event at a time: one worker's share while
//! loading, and the finished index. Extracting a stored field of the schema is one
//! [`Columns::put`] here.

use super::{IdColumn, Interner, RawRef};
use crate::event::{credential, principal, Credential, RawEvent};
use crate::schema::Col;

use super::NO_TIME;

/// `a == b`, without a call to `memcmp` for the short values most columns hold (a region,
/// an account id, an event type): loading compares a value of each column of each event
/// with the column's last one, and most of them are equal.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 16 {
        return a == b;
    }
    let word = |s: &[u8]| {
        let mut w = [0u8; 16];
        w[..s.len()].copy_from_slice(s);
        u128::from_ne_bytes(w)
    };
    word(a) == word(b)
}

/// The columns of a set of events; used for one worker's share while loading and for the
/// final store.
#[derive(Debug, Default)]
pub(crate) struct Columns {
    pub(crate) strings: Vec<Interner>,
    pub(crate) ids: Vec<Vec<u32>>,
    pub(crate) time: Vec<i64>,
    pub(crate) read_only: Vec<u8>,
    pub(crate) credential: Vec<u8>,
    pub(crate) event_id: IdColumn,
    pub(crate) request_id: IdColumn,
    pub(crate) resource_ends: Vec<u32>,
    pub(crate) resource_arns: Vec<u32>,
    pub(crate) resources: Interner,
    pub(crate) raw: Vec<RawRef>,
    /// The last id interned per column, to skip hashing runs of the same value.
    pub(crate) last: Vec<u32>,
}

impl Columns {
    pub(crate) fn new() -> Columns {
        Columns {
            strings: (0..Col::COUNT).map(|_| Interner::default()).collect(),
            ids: vec![Vec::new(); Col::COUNT],
            last: vec![0; Col::COUNT],
            ..Columns::default()
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.time.len()
    }

    /// Stores the value of `col` for the row being pushed. A column stays empty until its
    /// first value: fields that are absent from a whole trail (most events have no
    /// sharedEventID, many trails no vpcEndpointId) then cost nothing while loading.
    fn put(&mut self, col: Col, value: Option<&str>) {
        let c = col as usize;
        let value = value.unwrap_or("");
        let ids = &mut self.ids[c];
        if value.is_empty() && ids.is_empty() {
            return;
        }
        let last = self.last[c];
        let id = if value.is_empty() {
            0
        } else if same(self.strings[c].get(last), value) {
            last
        } else {
            let id = self.strings[c].intern(value);
            self.last[c] = id;
            id
        };
        let row = self.time.len();
        if ids.len() < row {
            ids.resize(row, 0);
        }
        ids.push(id);
    }

    /// Drops the rows from `len` on (an input read again after a repair).
    pub(crate) fn truncate(&mut self, len: usize) {
        for ids in &mut self.ids {
            ids.truncate(len);
        }
        self.time.truncate(len);
        self.read_only.truncate(len);
        self.credential.truncate(len);
        self.event_id.truncate(len);
        self.request_id.truncate(len);
        let resources = if len == 0 {
            0
        } else {
            self.resource_ends.get(len - 1).copied().unwrap_or(0) as usize
        };
        self.resource_ends.truncate(len);
        self.resource_arns.truncate(resources);
        self.raw.truncate(len);
    }

    /// Makes every column that holds a value as long as the rows (absent values are id 0);
    /// columns that never held one stay empty.
    pub(crate) fn pad(&mut self) {
        let len = self.len();
        for ids in &mut self.ids {
            if !ids.is_empty() && ids.len() < len {
                ids.resize(len, 0);
            }
        }
    }

    /// Gives the columns that never held a value their rows of id 0, as zeroed memory the
    /// system maps lazily: nothing is written until a filter reads them.
    pub(crate) fn fill_absent(&mut self) {
        let len = self.len();
        for ids in &mut self.ids {
            if ids.is_empty() && len > 0 {
                *ids = vec![0; len];
            }
        }
    }

    /// Appends an event; `time` is [`RawEvent::time`]'s (asked once by the caller, who also
    /// counts where it came from).
    pub(crate) fn push(&mut self, event: &RawEvent<'_>, time: Option<i64>, raw: RawRef) {
        let identity = event.user_identity.as_ref();
        self.put(Col::Name, event.event_name.as_str());
        self.put(Col::Source, event.event_source.as_str());
        self.put(Col::Region, event.aws_region.as_str());
        self.put(Col::RecipientAccount, event.recipient_account_id.as_str());
        self.put(
            Col::IdentityAccount,
            identity.and_then(|i| i.account_id.as_str()),
        );
        self.put(Col::Ip, event.source_ip.as_str());
        self.put(Col::Agent, event.user_agent.as_str());
        self.put(Col::ErrorCode, event.error_code.as_str());
        self.put(Col::ErrorMessage, event.error_message.as_str());
        self.put(Col::Error, event.error());
        self.put(Col::Insight, event.insight().as_deref());
        let parameters = event.request_parameters.as_ref();
        self.put(Col::Bucket, parameters.and_then(|p| p.bucket_name.as_str()));
        self.put(Col::ObjectKey, parameters.and_then(|p| p.key.as_str()));
        self.put(Col::IdentityType, identity.and_then(|i| i.kind.as_str()));
        let principal = identity.and_then(principal);
        self.put(Col::Principal, principal.as_deref());
        let session = match identity.and_then(|i| i.kind.as_str()) {
            Some("AssumedRole") => principal
                .as_deref()
                .and_then(|p| p.rsplit_once('/'))
                .map(|(_, s)| s),
            _ => None,
        };
        self.put(Col::SessionName, session);
        self.put(Col::Arn, identity.and_then(|i| i.arn.as_str()));
        self.put(
            Col::AccessKey,
            identity.and_then(|i| i.access_key_id.as_str()),
        );
        self.put(Col::UserName, identity.and_then(|i| i.user_name.as_str()));
        self.put(
            Col::PrincipalId,
            identity.and_then(|i| i.principal_id.as_str()),
        );
        let issuer = identity
            .and_then(|i| i.session_context.as_ref())
            .and_then(|c| c.session_issuer.as_ref());
        self.put(Col::IssuerName, issuer.and_then(|s| s.user_name.as_str()));
        self.put(Col::IssuerArn, issuer.and_then(|s| s.arn.as_str()));
        self.put(Col::IssuerType, issuer.and_then(|s| s.kind.as_str()));
        self.put(
            Col::MfaUsed,
            event
                .additional_event_data
                .as_ref()
                .and_then(|a| a.mfa_used.as_str()),
        );
        let response = event.response_elements.as_ref();
        self.put(
            Col::ConsoleLogin,
            response.and_then(|r| r.console_login.as_str()),
        );
        self.put(
            Col::IssuedKey,
            response
                .and_then(|r| r.credentials.as_ref())
                .and_then(|c| c.access_key_id.as_str()),
        );
        self.put(Col::Category, event.event_category.as_str());
        self.put(Col::EventType, event.event_type.as_str());
        self.put(Col::SharedEventId, event.shared_event_id.as_str());
        self.put(Col::VpcEndpoint, event.vpc_endpoint_id.as_str());
        self.put(
            Col::SourceIdentity,
            identity
                .and_then(|i| i.session_context.as_ref())
                .and_then(|c| c.source_identity.as_str()),
        );
        // Every column of the row before its time: `put` places a value at the row the
        // time column's length names.
        let credential = caller_credential(event);
        self.time.push(time.unwrap_or(NO_TIME));
        self.read_only.push(match event.read_only.0 {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        });
        self.credential.push(credential as u8);
        self.event_id.push(event.event_id.as_str().unwrap_or(""));
        self.request_id
            .push(event.request_id.as_str().unwrap_or(""));
        if let Some(resources) = &event.resources.0 {
            for resource in resources {
                if let Some(arn) = resource.arn.as_str() {
                    let id = self.resources.intern(arn);
                    self.resource_arns.push(id);
                }
            }
        }
        self.resource_ends.push(self.resource_arns.len() as u32);
        self.raw.push(raw);
    }

    /// Appends `other`, remapping its ids into our interners: the id columns in two halves
    /// on two threads.
    pub(crate) fn append(&mut self, other: Columns) {
        let (len, other_len) = (self.len(), other.len());
        let append_ids = |mine: (&mut [Interner], &mut [Vec<u32>]),
                          theirs: (&[Interner], Vec<Vec<u32>>)| {
            for ((strings, mine), (their_strings, ids)) in mine
                .0
                .iter_mut()
                .zip(mine.1.iter_mut())
                .zip(theirs.0.iter().zip(theirs.1))
            {
                if ids.is_empty() {
                    continue;
                }
                let map: Vec<u32> = their_strings
                    .values()
                    .map(|(_, v)| strings.intern(v))
                    .collect();
                mine.resize(len, 0);
                mine.extend(ids.iter().map(|&id| map[id as usize]));
                mine.resize(len + other_len, 0);
            }
        };
        let half = self.strings.len() / 2;
        let (strings_a, strings_b) = self.strings.split_at_mut(half);
        let (ids_a, ids_b) = self.ids.split_at_mut(half);
        let mut their_ids = other.ids;
        let their_b = their_ids.split_off(half.min(their_ids.len()));
        let (their_strings_a, their_strings_b) =
            other.strings.split_at(half.min(other.strings.len()));
        let Columns {
            time,
            read_only,
            credential,
            event_id,
            request_id,
            resource_ends,
            resource_arns,
            resources,
            raw,
            ..
        } = self;
        std::thread::scope(|scope| {
            scope.spawn(|| append_ids((strings_a, ids_a), (their_strings_a, their_ids)));
            append_ids((strings_b, ids_b), (their_strings_b, their_b));
            let res_map: Vec<u32> = other
                .resources
                .values()
                .map(|(_, v)| resources.intern(v))
                .collect();
            let base = resource_arns.len() as u32;
            resource_arns.extend(other.resource_arns.iter().map(|&id| res_map[id as usize]));
            resource_ends.extend(other.resource_ends.iter().map(|&end| end + base));
            time.extend(other.time);
            read_only.extend(other.read_only);
            credential.extend(other.credential);
            event_id.append(other.event_id);
            request_id.append(other.request_id);
            raw.extend(other.raw);
        });
    }

    pub(crate) fn resources_of(&self, row: usize) -> &[u32] {
        resources_of(&self.resource_ends, &self.resource_arns, row)
    }

    /// The same events in the given order, on two threads unless `one_thread`. Column by
    /// column, each old column dropped as soon as its new one is made: one old column per
    /// thread is alive beside the new ones.
    pub(crate) fn permuted(self, order: &[u32], one_thread: bool) -> Columns {
        fn pick<T: Copy>(old: Vec<T>, order: &[u32]) -> Vec<T> {
            order.iter().map(|&r| old[r as usize]).collect()
        }
        let Columns {
            strings,
            ids,
            time,
            read_only,
            credential,
            event_id,
            request_id,
            resources,
            raw,
            resource_ends: old_ends,
            resource_arns: old_arns,
            ..
        } = self;
        // The id columns on one thread; the rest, about as many bytes, on the other.
        let ids_in_order = move || -> Vec<Vec<u32>> {
            // A column without values stays empty.
            ids.into_iter()
                .map(|c| if c.is_empty() { c } else { pick(c, order) })
                .collect()
        };
        let rest_in_order = move || {
            let mut resource_arns = Vec::with_capacity(old_arns.len());
            let mut resource_ends = Vec::with_capacity(order.len());
            for &row in order {
                resource_arns.extend_from_slice(resources_of(&old_ends, &old_arns, row as usize));
                resource_ends.push(resource_arns.len() as u32);
            }
            drop((old_arns, old_ends));
            Columns {
                time: pick(time, order),
                read_only: pick(read_only, order),
                credential: pick(credential, order),
                event_id: event_id.permuted(order),
                request_id: request_id.permuted(order),
                raw: pick(raw, order),
                resource_ends,
                resource_arns,
                ..Columns::default()
            }
        };
        let (ids, rest) = if one_thread {
            (ids_in_order(), rest_in_order())
        } else {
            std::thread::scope(|scope| {
                let ids = scope.spawn(ids_in_order);
                let rest = rest_in_order();
                let ids = ids.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                (ids, rest)
            })
        };
        Columns {
            ids,
            strings,
            resources,
            ..rest
        }
    }
}

/// A row's resources: its slice of `arns`, which `ends` cuts per row.
fn resources_of<'a>(ends: &[u32], arns: &'a [u32], row: usize) -> &'a [u32] {
    let end = ends.get(row).copied().unwrap_or(0) as usize;
    let start = match row {
        0 => 0,
        _ => ends.get(row - 1).copied().unwrap_or(0) as usize,
    };
    arns.get(start..end).unwrap_or(&[])
}

/// The credential an event was made with.
fn caller_credential(event: &RawEvent<'_>) -> Credential {
    credential(
        event.user_identity.as_ref(),
        event.event_name.as_str(),
        event.session_credential_from_console.0 == Some(true),
    )
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn same_agrees_with_equality_at_every_length() {
        let text = "us-east-1:111122223333:arn:aws:iam::111122223333:role/Admin";
        for len in 0..text.len() {
            let a = &text[..len];
            assert!(same(a, a));
            assert!(!same(a, &text[..len + 1]));
            for i in 0..len {
                let mut b = a.to_string().into_bytes();
                b[i] ^= 1;
                let b = String::from_utf8(b).expect("ascii");
                assert!(!same(a, &b), "{a} {b}");
            }
        }
        assert!(same("", ""));
        assert!(!same("a\0", "a"));
    }
}
