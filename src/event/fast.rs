//! The common event read without serde: one pass over its bytes that takes the members the
//! index keeps and steps over the rest, checking the JSON as it goes. It answers only where
//! it is sure to agree with serde_json and [`RawEvent`]'s `Deserialize` byte for byte: any
//! member it does not expect (a number where text belongs, a key with an escape, a member
//! twice, deep nesting) makes it say `None`, and the caller reads that event the lenient
//! way; a kept string with an escape is decoded by serde_json itself. `tests/fast_reader.rs`
//! compares the two on every fixture and on damaged copies of them.

use std::borrow::Cow;

use super::{
    AdditionalEventData, Flag, Identity, InsightDetails, IssuedCredentials, Lenient, LenientList,
    OnBehalfOf, RawEvent, RequestParameters, Resource, ResponseElements, SessionAttributes,
    SessionContext, SessionIssuer, Text,
};

/// Nesting past this is left to serde_json (its own limit is 128).
const MAX_DEPTH: u32 = 64;

/// The event whose object opens at `pos` in `text`, and the offset after it; `None` when
/// the lenient reader must decide.
pub fn read(text: &str, pos: usize) -> Option<(RawEvent<'_>, usize)> {
    let mut scan = Scan { text, depth: 0 };
    scan.event(pos)
}

struct Scan<'a> {
    text: &'a str,
    depth: u32,
}

/// Where the first byte at or after `from` that ends a string's plain run is: a quote, a
/// backslash, or a control character (which JSON strings may not hold raw).
fn special(bytes: &[u8], from: usize) -> Option<usize> {
    let plain = |b: u8| b != b'"' && b != b'\\' && b >= 0x20;
    let mut at = from;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8,
            _mm_or_si128, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of x86-64; each load reads the 16 bytes at `at`, and the
        // loop runs while `at + 16 <= bytes.len()`.
        unsafe {
            let (quote, backslash) = (_mm_set1_epi8(b'"' as i8), _mm_set1_epi8(b'\\' as i8));
            let below = _mm_set1_epi8(0x1f);
            while at + 16 <= bytes.len() {
                let x = _mm_loadu_si128(bytes.as_ptr().add(at).cast::<__m128i>());
                let found = _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                    _mm_cmpeq_epi8(_mm_min_epu8(x, below), x),
                );
                let mask = _mm_movemask_epi8(found) as u32;
                if mask != 0 {
                    return Some(at + mask.trailing_zeros() as usize);
                }
                at += 16;
            }
        }
    }
    bytes
        .get(at..)?
        .iter()
        .position(|&b| !plain(b))
        .map(|i| at + i)
}

impl<'a> Scan<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn ws(&self, mut pos: usize) -> usize {
        let bytes = self.bytes();
        while matches!(bytes.get(pos), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            pos += 1;
        }
        pos
    }

    fn at(&self, pos: usize) -> Option<u8> {
        self.bytes().get(pos).copied()
    }

    /// The string opening at `pos`: its content between the quotes, whether it holds an
    /// escape, and the offset after it.
    fn string(&self, pos: usize) -> Option<(&'a str, bool, usize)> {
        let bytes = self.bytes();
        if bytes.get(pos) != Some(&b'"') {
            return None;
        }
        let start = pos + 1;
        let mut at = start;
        let mut escaped = false;
        loop {
            let found = special(bytes, at)?;
            if bytes[found] < 0x20 {
                return None;
            }
            if bytes[found] == b'"' {
                return Some((&self.text[start..found], escaped, found + 1));
            }
            // As serde_json steps over an escape: `\u` wants four hex digits (what they
            // encode matters only to a kept string, which serde_json decodes).
            at = match bytes.get(found + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => found + 2,
                b'u' if bytes
                    .get(found + 2..found + 6)?
                    .iter()
                    .all(u8::is_ascii_hexdigit) =>
                {
                    found + 6
                }
                _ => return None,
            };
            escaped = true;
        }
    }

    /// The number at `pos` checked against JSON's grammar; the offset after it.
    fn number(&self, pos: usize) -> Option<usize> {
        let bytes = self.bytes();
        let digits = |mut p: usize| {
            let start = p;
            while bytes.get(p).is_some_and(u8::is_ascii_digit) {
                p += 1;
            }
            (p > start).then_some(p)
        };
        let mut p = pos;
        if bytes.get(p) == Some(&b'-') {
            p += 1;
        }
        p = match bytes.get(p)? {
            b'0' => p + 1,
            b'1'..=b'9' => digits(p)?,
            _ => return None,
        };
        if bytes.get(p) == Some(&b'.') {
            p = digits(p + 1)?;
        }
        if matches!(bytes.get(p), Some(b'e' | b'E')) {
            p += 1;
            if matches!(bytes.get(p), Some(b'+' | b'-')) {
                p += 1;
            }
            p = digits(p)?;
        }
        Some(p)
    }

    fn literal(&self, pos: usize, word: &[u8]) -> Option<usize> {
        self.bytes()
            .get(pos..)?
            .starts_with(word)
            .then_some(pos + word.len())
    }

    /// Steps over the value at `pos`, checking it; the offset after it.
    fn skip(&mut self, pos: usize) -> Option<usize> {
        match self.at(pos)? {
            b'"' => self.string(pos).map(|(_, _, end)| end),
            b'{' => self.members(pos, |scan, _, at| scan.skip(at)),
            b'[' => self.elements(pos, |scan, at| scan.skip(at)),
            b't' => self.literal(pos, b"true"),
            b'f' => self.literal(pos, b"false"),
            b'n' => self.literal(pos, b"null"),
            _ => self.number(pos),
        }
    }

    /// The object or array opening at `pos` (with `open`, closed by `close`), each item
    /// read by `item(scan, at)`, which says where it ends.
    fn container(
        &mut self,
        pos: usize,
        (open, close): (u8, u8),
        mut item: impl FnMut(&mut Self, usize) -> Option<usize>,
    ) -> Option<usize> {
        if self.at(pos)? != open || self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let mut p = self.ws(pos + 1);
        if self.at(p)? == close {
            self.depth -= 1;
            return Some(p + 1);
        }
        loop {
            let end = item(self, p)?;
            p = self.ws(end);
            match self.at(p)? {
                b',' => p = self.ws(p + 1),
                b if b == close => {
                    self.depth -= 1;
                    return Some(p + 1);
                }
                _ => return None,
            }
        }
    }

    /// The object opening at `pos`: `member(scan, key, value_at)` reads each value and
    /// says where it ends. Keys with escapes are left to serde_json.
    fn members(
        &mut self,
        pos: usize,
        mut member: impl FnMut(&mut Self, &'a str, usize) -> Option<usize>,
    ) -> Option<usize> {
        self.container(pos, (b'{', b'}'), |s, p| {
            let (key, escaped, end) = s.string(p)?;
            let colon = s.ws(end);
            if escaped || s.at(colon)? != b':' {
                return None;
            }
            let at = s.ws(colon + 1);
            member(s, key, at)
        })
    }

    /// An object of which the members `kept` names are read: it gives a kept member's number
    /// (a second member of one number is left to serde_json, which refuses it) and where
    /// its value ends, or `None` for a member stepped over.
    fn fields(
        &mut self,
        pos: usize,
        mut kept: impl FnMut(&mut Self, &'a str, usize) -> Option<(u32, Option<usize>)>,
    ) -> Option<usize> {
        let mut seen = Seen::default();
        self.members(pos, |s, key, at| match kept(s, key, at) {
            Some((bit, end)) => {
                seen.once(bit)?;
                end
            }
            None => s.skip(at),
        })
    }

    /// The array opening at `pos`, each element read by `element(scan, at)`.
    fn elements(
        &mut self,
        pos: usize,
        element: impl FnMut(&mut Self, usize) -> Option<usize>,
    ) -> Option<usize> {
        self.container(pos, (b'[', b']'), element)
    }

    /// A kept string member: text, `null` (absent) or a boolean (as text); a number, an
    /// object or an array is left to serde_json.
    fn text(&mut self, pos: usize, out: &mut Text<'a>) -> Option<usize> {
        let (value, end) = match self.at(pos)? {
            b'"' => {
                let (content, escaped, end) = self.string(pos)?;
                let value = match escaped {
                    false => Cow::Borrowed(content),
                    true => Cow::Owned(serde_json::from_str::<String>(&self.text[pos..end]).ok()?),
                };
                (Some(value), end)
            }
            b'n' => (None, self.literal(pos, b"null")?),
            b't' => (Some(Cow::Borrowed("true")), self.literal(pos, b"true")?),
            b'f' => (Some(Cow::Borrowed("false")), self.literal(pos, b"false")?),
            _ => return None,
        };
        *out = Text(value);
        Some(end)
    }

    fn flag(&mut self, pos: usize, out: &mut Flag) -> Option<usize> {
        let mut text = Text::default();
        let end = self.text(pos, &mut text)?;
        *out = Flag::from_text(text.as_str());
        Some(end)
    }

    /// An object member read by `read` into `T`; `null` is absent; other types are left to
    /// serde_json.
    fn object<T: Default>(
        &mut self,
        pos: usize,
        out: &mut Lenient<T>,
        read: impl FnOnce(&mut Self, usize, &mut T) -> Option<usize>,
    ) -> Option<usize> {
        if self.at(pos)? == b'n' {
            *out = Lenient(None);
            return self.literal(pos, b"null");
        }
        let mut value = T::default();
        let end = read(self, pos, &mut value)?;
        *out = Lenient(Some(value));
        Some(end)
    }

    fn event(&mut self, pos: usize) -> Option<(RawEvent<'a>, usize)> {
        let mut e = RawEvent::default();
        let end = self.fields(pos, |s, key, at| {
            Some(match key {
                "eventVersion" => (0, s.text(at, &mut e.event_version)),
                "eventTime" => (1, s.text(at, &mut e.event_time)),
                "eventName" => (2, s.text(at, &mut e.event_name)),
                "eventSource" => (3, s.text(at, &mut e.event_source)),
                "awsRegion" => (4, s.text(at, &mut e.aws_region)),
                "sourceIPAddress" => (5, s.text(at, &mut e.source_ip)),
                "userAgent" => (6, s.text(at, &mut e.user_agent)),
                "errorCode" => (7, s.text(at, &mut e.error_code)),
                "errorMessage" => (8, s.text(at, &mut e.error_message)),
                "eventID" => (9, s.text(at, &mut e.event_id)),
                "requestID" => (10, s.text(at, &mut e.request_id)),
                "eventCategory" => (11, s.text(at, &mut e.event_category)),
                "eventType" => (12, s.text(at, &mut e.event_type)),
                "recipientAccountId" => (13, s.text(at, &mut e.recipient_account_id)),
                "sharedEventID" => (14, s.text(at, &mut e.shared_event_id)),
                "vpcEndpointId" => (15, s.text(at, &mut e.vpc_endpoint_id)),
                "readOnly" => (16, s.flag(at, &mut e.read_only)),
                "sessionCredentialFromConsole" => {
                    (17, s.flag(at, &mut e.session_credential_from_console))
                }
                "userIdentity" => (18, s.object(at, &mut e.user_identity, Scan::identity)),
                "resources" => (19, s.resources(at, &mut e.resources)),
                "additionalEventData" => (
                    20,
                    s.object(at, &mut e.additional_event_data, Scan::additional),
                ),
                "responseElements" => (21, s.object(at, &mut e.response_elements, Scan::response)),
                "insightDetails" => (22, s.object(at, &mut e.insight_details, Scan::insight)),
                "requestParameters" => (
                    23,
                    s.object(at, &mut e.request_parameters, Scan::request_parameters),
                ),
                "serviceEventDetails" => (
                    24,
                    s.object(at, &mut e.service_event_details, Scan::response),
                ),
                "@timestamp" => (25, s.text(at, &mut e.at_timestamp)),
                "_time" => (26, s.text(at, &mut e.underscore_time)),
                "timestamp" => (27, s.text(at, &mut e.timestamp)),
                _ => return None,
            })
        })?;
        Some((e, end))
    }

    fn identity(&mut self, pos: usize, out: &mut Identity<'a>) -> Option<usize> {
        self.fields(pos, |s, key, at| {
            Some(match key {
                "type" => (0, s.text(at, &mut out.kind)),
                "principalId" => (1, s.text(at, &mut out.principal_id)),
                "arn" => (2, s.text(at, &mut out.arn)),
                "accountId" => (3, s.text(at, &mut out.account_id)),
                "accessKeyId" => (4, s.text(at, &mut out.access_key_id)),
                "userName" => (5, s.text(at, &mut out.user_name)),
                "invokedBy" => (6, s.text(at, &mut out.invoked_by)),
                "sessionContext" => (7, s.object(at, &mut out.session_context, Scan::session)),
                "onBehalfOf" => (8, s.object(at, &mut out.on_behalf_of, Scan::on_behalf_of)),
                _ => return None,
            })
        })
    }

    fn session(&mut self, pos: usize, out: &mut SessionContext<'a>) -> Option<usize> {
        self.fields(pos, |s, key, at| {
            Some(match key {
                "sessionIssuer" => (0, s.object(at, &mut out.session_issuer, Scan::issuer)),
                "attributes" => (1, s.object(at, &mut out.attributes, Scan::attributes)),
                "sourceIdentity" => (2, s.text(at, &mut out.source_identity)),
                _ => return None,
            })
        })
    }

    fn issuer(&mut self, pos: usize, out: &mut SessionIssuer<'a>) -> Option<usize> {
        self.fields(pos, |s, key, at| {
            Some(match key {
                "type" => (0, s.text(at, &mut out.kind)),
                "arn" => (1, s.text(at, &mut out.arn)),
                "userName" => (2, s.text(at, &mut out.user_name)),
                _ => return None,
            })
        })
    }

    fn attributes(&mut self, pos: usize, out: &mut SessionAttributes) -> Option<usize> {
        self.fields(pos, |s, key, at| {
            Some(match key {
                "mfaAuthenticated" => (0, s.flag(at, &mut out.mfa_authenticated)),
                _ => return None,
            })
        })
    }

    fn on_behalf_of(&mut self, pos: usize, out: &mut OnBehalfOf<'a>) -> Option<usize> {
        self.one_text(pos, "userId", &mut out.user_id)
    }

    fn additional(&mut self, pos: usize, out: &mut AdditionalEventData<'a>) -> Option<usize> {
        self.one_text(pos, "MFAUsed", &mut out.mfa_used)
    }

    fn credentials(&mut self, pos: usize, out: &mut IssuedCredentials<'a>) -> Option<usize> {
        self.one_text(pos, "accessKeyId", &mut out.access_key_id)
    }

    /// An object of which one text member is kept.
    fn one_text(&mut self, pos: usize, name: &str, out: &mut Text<'a>) -> Option<usize> {
        self.fields(pos, |s, key, at| {
            (key == name).then(|| (0, s.text(at, &mut *out)))
        })
    }

    fn insight(&mut self, pos: usize, out: &mut InsightDetails<'a>) -> Option<usize> {
        self.fields(pos, |s, key, at| {
            Some(match key {
                "state" => (0, s.text(at, &mut out.state)),
                "eventName" => (1, s.text(at, &mut out.event_name)),
                "insightType" => (2, s.text(at, &mut out.insight_type)),
                _ => return None,
            })
        })
    }

    fn request_parameters(&mut self, pos: usize, out: &mut RequestParameters<'a>) -> Option<usize> {
        self.fields(pos, |s, key, at| {
            Some(match key {
                "bucketName" => (0, s.text(at, &mut out.bucket_name)),
                "key" => (1, s.text(at, &mut out.key)),
                _ => return None,
            })
        })
    }

    /// `responseElements` / `serviceEventDetails`, as [`ResponseElements`] reads them.
    fn response(&mut self, pos: usize, out: &mut ResponseElements<'a>) -> Option<usize> {
        let mut seen = Seen::default();
        let end = self.members(pos, |s, key, at| match key {
            "ConsoleLogin" => {
                seen.once(0)?;
                s.text(at, &mut out.console_login)
            }
            "credentials" => {
                seen.once(1)?;
                s.object(at, &mut out.credentials, Scan::credentials)
            }
            _ if OUTCOME_NAMES.contains(&key) => {
                let mut value = Text::default();
                let end = s.text(at, &mut value)?;
                out.failure |= value.as_str() == Some("Failure");
                Some(end)
            }
            _ => s.skip(at),
        })?;
        out.failure |= out.console_login.as_str() == Some("Failure");
        Some(end)
    }

    /// `resources`: a list of objects (each one's `ARN` kept); `null` is absent; anything
    /// else is left to serde_json.
    fn resources(&mut self, pos: usize, out: &mut LenientList<Resource<'a>>) -> Option<usize> {
        if self.at(pos)? == b'n' {
            *out = LenientList(None);
            return self.literal(pos, b"null");
        }
        let mut items = Vec::new();
        let end = self.elements(pos, |s, at| {
            let mut resource = Resource::default();
            let end = s.one_text(at, "ARN", &mut resource.arn)?;
            items.push(resource);
            Some(end)
        })?;
        *out = LenientList(Some(items));
        Some(end)
    }
}

/// The names of [`OUTCOME_MEMBERS`] (a test keeps the two lists the same).
const OUTCOME_NAMES: [&str; 9] = [
    "ConsoleLogin",
    "CheckMfa",
    "SwitchRole",
    "ExitRole",
    "RenewRole",
    "PasswordUpdated",
    "CredentialVerification",
    "CredentialChallenge",
    "UserAuthentication",
];

/// The kept members already read in one object, by their arm's number: a second one is
/// left to serde_json (which refuses it).
#[derive(Default)]
struct Seen(u64);

impl Seen {
    fn once(&mut self, bit: u32) -> Option<()> {
        let mask = 1u64 << bit;
        if self.0 & mask != 0 {
            return None;
        }
        self.0 |= mask;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::OUTCOME_MEMBERS;

    #[test]
    fn the_outcome_names_are_those_of_the_outcome_members() {
        let names: Vec<&str> = OUTCOME_MEMBERS
            .iter()
            .filter_map(|m| m.rsplit_once('.').map(|(_, name)| name))
            .collect();
        assert_eq!(names, OUTCOME_NAMES);
    }

    #[test]
    fn special_finds_the_first_quote_backslash_or_control_byte() {
        let mut seed = 7u64;
        for len in 0..80 {
            for _ in 0..50 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        match (seed >> 33) % 40 {
                            0 => b'"',
                            1 => b'\\',
                            2 => (seed >> 40) as u8 % 0x20,
                            3 => 0x80 | (seed >> 40) as u8,
                            _ => b'a' + (seed >> 40) as u8 % 26,
                        }
                    })
                    .collect();
                for from in 0..=len {
                    let want = (from..len)
                        .find(|&i| bytes[i] == b'"' || bytes[i] == b'\\' || bytes[i] < 0x20);
                    assert_eq!(special(&bytes, from), want, "{bytes:?} {from}");
                }
            }
        }
    }

    #[test]
    fn a_member_it_is_unsure_of_is_left_to_serde() {
        let leave = [
            r#"{"eventName":"A","eventName":"B"}"#,
            r#"{"eventName":5}"#,
            r#"{"eventName":"\u00G1"}"#,
            r#"{"event\"Name":"A"}"#,
            r#"{"userIdentity":"root"}"#,
            r#"{"eventName":"A" "x":1}"#,
            r#"{"eventName":"A","x":01}"#,
            r#"{"eventName":"A	B"}"#,
        ];
        for text in leave {
            assert!(read(text, 0).is_none(), "{text}");
        }
        let (event, end) = read(
            r#"{"eventName":"A\"B","readOnly":"TRUE","x":[1.5e3,{}]} "#,
            0,
        )
        .expect("read");
        assert_eq!(event.event_name.as_str(), Some("A\"B"));
        assert_eq!(event.read_only, Flag(Some(true)));
        assert_eq!(end, 53);
        let (event, _) =
            read(r#"{"eventName":"\u0041\ud83d\ude00","x":"\uD800"}"#, 0).expect("read");
        assert_eq!(event.event_name.as_str(), Some("A😀"));
    }
}
