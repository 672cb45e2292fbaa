//! One CloudTrail event as read from the input (borrowed, parsed once), and the principal
//! model of docs/DESIGN.md: who an investigator follows, and what kind of credential they used.
//!
//! Only the fields the index needs are deserialized; everything else is skipped without
//! allocating. Every field is lenient: a number where a string belongs is kept as text, an
//! object where a string belongs is ignored, so one odd field never costs the event.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

pub mod fast;
mod lenient;
mod outcome;
mod time;

pub use lenient::{Flag, Lenient, LenientList, Text};
pub use outcome::{ResponseElements, OUTCOME_MEMBERS};
use time::parse_time_or_epoch;
pub use time::{display_time, format_time, parse_time};

/// The fields of an event that the index keeps.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawEvent<'a> {
    #[serde(borrow, default)]
    pub event_version: Text<'a>,
    #[serde(borrow, default)]
    pub event_time: Text<'a>,
    #[serde(borrow, default)]
    pub event_name: Text<'a>,
    #[serde(borrow, default)]
    pub event_source: Text<'a>,
    #[serde(borrow, default)]
    pub aws_region: Text<'a>,
    #[serde(borrow, default, rename = "sourceIPAddress")]
    pub source_ip: Text<'a>,
    #[serde(borrow, default)]
    pub user_agent: Text<'a>,
    #[serde(borrow, default)]
    pub error_code: Text<'a>,
    #[serde(borrow, default)]
    pub error_message: Text<'a>,
    #[serde(borrow, default, rename = "eventID")]
    pub event_id: Text<'a>,
    #[serde(borrow, default, rename = "requestID")]
    pub request_id: Text<'a>,
    #[serde(borrow, default)]
    pub event_category: Text<'a>,
    #[serde(borrow, default)]
    pub event_type: Text<'a>,
    #[serde(borrow, default)]
    pub recipient_account_id: Text<'a>,
    #[serde(borrow, default, rename = "sharedEventID")]
    pub shared_event_id: Text<'a>,
    #[serde(borrow, default)]
    pub vpc_endpoint_id: Text<'a>,
    #[serde(default)]
    pub read_only: Flag,
    /// `"true"` when the call was made with a console session's credentials (CloudTrail
    /// writes it beside `eventCategory`, not inside `userIdentity`).
    #[serde(default)]
    pub session_credential_from_console: Flag,
    #[serde(borrow, default)]
    pub user_identity: Lenient<Identity<'a>>,
    #[serde(borrow, default)]
    pub resources: LenientList<Resource<'a>>,
    #[serde(borrow, default)]
    pub additional_event_data: Lenient<AdditionalEventData<'a>>,
    #[serde(borrow, default)]
    pub response_elements: Lenient<ResponseElements<'a>>,
    /// An Insights event's type, state and the API it is about.
    #[serde(borrow, default)]
    pub insight_details: Lenient<InsightDetails<'a>>,
    /// The bucket and object of an S3 data event.
    #[serde(borrow, default)]
    pub request_parameters: Lenient<RequestParameters<'a>>,
    /// Where Identity Center's sign-in steps write their outcome.
    #[serde(borrow, default)]
    pub service_event_details: Lenient<ResponseElements<'a>>,
    /// Where log platforms' exports keep the time when the event lost its `eventTime`.
    #[serde(borrow, default, rename = "@timestamp")]
    pub at_timestamp: Text<'a>,
    #[serde(borrow, default, rename = "_time")]
    pub underscore_time: Text<'a>,
    #[serde(borrow, default, rename = "timestamp")]
    pub timestamp: Text<'a>,
}

/// `insightDetails` of a CloudTrail Insights event.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsightDetails<'a> {
    #[serde(borrow, default)]
    pub state: Text<'a>,
    #[serde(borrow, default)]
    pub event_name: Text<'a>,
    #[serde(borrow, default)]
    pub insight_type: Text<'a>,
}

/// The members of `requestParameters` the index keeps: an S3 data event's bucket and
/// object key.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestParameters<'a> {
    #[serde(borrow, default)]
    pub bucket_name: Text<'a>,
    #[serde(borrow, default)]
    pub key: Text<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity<'a> {
    #[serde(borrow, default, rename = "type")]
    pub kind: Text<'a>,
    #[serde(borrow, default)]
    pub principal_id: Text<'a>,
    #[serde(borrow, default)]
    pub arn: Text<'a>,
    #[serde(borrow, default)]
    pub account_id: Text<'a>,
    #[serde(borrow, default)]
    pub access_key_id: Text<'a>,
    #[serde(borrow, default)]
    pub user_name: Text<'a>,
    #[serde(borrow, default)]
    pub invoked_by: Text<'a>,
    #[serde(borrow, default)]
    pub session_context: Lenient<SessionContext<'a>>,
    #[serde(borrow, default)]
    pub on_behalf_of: Lenient<OnBehalfOf<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionContext<'a> {
    #[serde(borrow, default)]
    pub session_issuer: Lenient<SessionIssuer<'a>>,
    #[serde(default)]
    pub attributes: Lenient<SessionAttributes>,
    #[serde(borrow, default)]
    pub source_identity: Text<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionIssuer<'a> {
    #[serde(borrow, default, rename = "type")]
    pub kind: Text<'a>,
    #[serde(borrow, default)]
    pub arn: Text<'a>,
    #[serde(borrow, default)]
    pub user_name: Text<'a>,
}

/// The one member of `additionalEventData` the index keeps (console sign-ins).
#[derive(Debug, Default, Deserialize)]
pub struct AdditionalEventData<'a> {
    #[serde(borrow, default, rename = "MFAUsed")]
    pub mfa_used: Text<'a>,
}

/// `responseElements.credentials` of AssumeRole, GetSessionToken and their kin.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedCredentials<'a> {
    #[serde(borrow, default)]
    pub access_key_id: Text<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionAttributes {
    #[serde(default)]
    pub mfa_authenticated: Flag,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnBehalfOf<'a> {
    #[serde(borrow, default)]
    pub user_id: Text<'a>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Resource<'a> {
    #[serde(borrow, default, rename = "ARN")]
    pub arn: Text<'a>,
}

/// Where log platforms' exports keep the time of an event that lost its `eventTime`, in the
/// order they are tried.
pub const TIME_FIELDS: [&str; 3] = ["@timestamp", "_time", "timestamp"];

impl<'a> RawEvent<'a> {
    /// Reads an event from a parsed JSON value, by the same rules as from text.
    pub fn from_value(value: &'a serde_json::Value) -> RawEvent<'a> {
        RawEvent::deserialize(value).unwrap_or_default()
    }

    /// The event's time: its `eventTime`, else the first of `@timestamp`, `_time`,
    /// `timestamp` that reads as a time (RFC 3339, or epoch seconds or milliseconds), named.
    pub fn time(&self) -> (Option<i64>, Option<&'static str>) {
        if let Some(t) = self.event_time.as_str().and_then(parse_time) {
            return (Some(t), None);
        }
        let fallbacks = [&self.at_timestamp, &self.underscore_time, &self.timestamp];
        for (name, text) in TIME_FIELDS.into_iter().zip(fallbacks) {
            if let Some(t) = text.as_str().and_then(parse_time_or_epoch) {
                return (Some(t), Some(name));
            }
        }
        (None, None)
    }

    /// The error the event reports, if any: its errorCode, else its errorMessage, else
    /// `Failure` when its responseElements or serviceEventDetails say so (a failed console
    /// sign-in has no errorCode).
    pub fn error(&self) -> Option<&str> {
        self.error_code
            .as_str()
            .or_else(|| self.error_message.as_str())
            .or_else(|| {
                let failed =
                    |r: &Lenient<ResponseElements<'_>>| r.as_ref().is_some_and(|r| r.failure);
                (failed(&self.response_elements) || failed(&self.service_event_details))
                    .then_some("Failure")
            })
    }

    /// What an Insights event is about, as one line: `ApiCallRateInsight CreateUser start`.
    pub fn insight(&self) -> Option<String> {
        let details = self.insight_details.as_ref()?;
        let parts: Vec<String> = [
            details.insight_type.as_str().map(str::to_string),
            details.event_name.as_str().map(str::to_string),
            details.state.as_str().map(str::to_lowercase),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// Whether this object looks like a CloudTrail event at all.
    pub fn is_event(&self) -> bool {
        self.event_version.as_str().is_some()
            || self.event_name.as_str().is_some()
            || self.event_id.as_str().is_some()
    }
}

/// The kind of credential behind an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Credential {
    None = 0,
    /// A long-term access key (`AKIA…`).
    LongTermKey = 1,
    /// Temporary credentials from STS (`ASIA…`).
    Temporary = 2,
    /// A console session.
    Console = 3,
    /// An AWS service acting on its own.
    AwsService = 4,
}

impl Credential {
    pub const ALL: [Credential; 5] = [
        Credential::None,
        Credential::LongTermKey,
        Credential::Temporary,
        Credential::Console,
        Credential::AwsService,
    ];

    pub fn from_u8(v: u8) -> Credential {
        Credential::ALL
            .get(v as usize)
            .copied()
            .unwrap_or(Credential::None)
    }

    /// The one word a filter names it by (`credential:long-term`), and tables show.
    pub fn value(self) -> &'static str {
        match self {
            Credential::None => "none",
            Credential::LongTermKey => "long-term",
            Credential::Temporary => "temporary",
            Credential::Console => "console",
            Credential::AwsService => "service",
        }
    }

    /// How the detail summary says it.
    pub fn label(self) -> &'static str {
        match self {
            Credential::None => "none",
            Credential::LongTermKey => "long-term key",
            Credential::Temporary => "temporary",
            Credential::Console => "console session",
            Credential::AwsService => "AWS service",
        }
    }
}

impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The identity an investigator follows, per docs/DESIGN.md "Principals".
pub fn principal<'e>(identity: &'e Identity<'e>) -> Option<Cow<'e, str>> {
    let kind = identity.kind.as_str().unwrap_or("");
    let arn = identity.arn.as_str();
    let user_name = identity.user_name.as_str();
    let principal_id = identity.principal_id.as_str();
    let borrowed = |s: &'e str| Some(Cow::Borrowed(s));
    match kind {
        "Root" => borrowed("root"),
        "IAMUser" => user_name
            .or_else(|| {
                arn.and_then(|a| a.rsplit_once(":user/"))
                    .map(|(_, name)| name)
            })
            .or(principal_id)
            .map(Cow::Borrowed),
        // Without an ARN, a userName (some services log only that) names it before the
        // opaque principalId does.
        "AssumedRole" => arn
            .and_then(|a| a.split_once(":assumed-role/"))
            .map(|(_, role_session)| role_session)
            .or(user_name)
            .or(principal_id)
            .map(Cow::Borrowed),
        "FederatedUser" => arn
            .and_then(|a| a.split_once(":federated-user/"))
            .map(|(_, name)| name)
            .or_else(|| principal_id.and_then(|p| p.split_once(':')).map(|(_, n)| n))
            .or(user_name)
            .map(Cow::Borrowed),
        "AWSService" | "AWSAccount" => identity
            .invoked_by
            .as_str()
            .or(identity.account_id.as_str())
            .or(principal_id)
            .map(Cow::Borrowed),
        "IdentityCenterUser" => identity
            .on_behalf_of
            .as_ref()
            .and_then(|o| o.user_id.as_str())
            .or(user_name)
            .or(principal_id)
            .map(Cow::Borrowed),
        _ => user_name.or(principal_id).map(Cow::Borrowed),
    }
}

/// Classifies the credential an event was made with; `from_console` is the event's
/// `sessionCredentialFromConsole`.
pub fn credential(
    identity: Option<&Identity<'_>>,
    event_name: Option<&str>,
    from_console: bool,
) -> Credential {
    let Some(identity) = identity else {
        return Credential::None;
    };
    if from_console || event_name == Some("ConsoleLogin") {
        return Credential::Console;
    }
    match identity.access_key_id.as_str() {
        Some(key) if key.starts_with("AKIA") => return Credential::LongTermKey,
        Some(key) if key.starts_with("ASIA") => return Credential::Temporary,
        _ => {}
    }
    if identity.kind.as_str() == Some("AWSService") || identity.invoked_by.as_str().is_some() {
        return Credential::AwsService;
    }
    Credential::None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(json: &str) -> Identity<'_> {
        serde_json::from_str(json).expect("identity json")
    }

    #[test]
    fn time_fast_path_agrees_with_chrono() {
        for t in [
            "2024-05-03T14:02:11Z",
            "1999-12-31T23:59:59Z",
            "2020-02-29T00:00:00Z",
        ] {
            let expected = chrono::DateTime::parse_from_rfc3339(t)
                .expect("valid")
                .timestamp_millis();
            assert_eq!(parse_time(t), Some(expected), "{t}");
        }
        assert_eq!(
            parse_time("2024-05-03T14:02:11.250+02:00"),
            Some(1_714_737_731_250)
        );
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time("2024-13-03T14:02:11Z"), None);
        assert_eq!(parse_time("2024-02-30T14:02:11Z"), None);
        assert_eq!(parse_time("2023-02-29T00:00:00Z"), None);
        assert!(parse_time("2024-02-29T00:00:00Z").is_some());
        assert_eq!(parse_time("2024-04-31T00:00:00Z"), None);
        assert_eq!(
            parse_time("2016-12-31T23:59:60Z"),
            parse_time("2016-12-31T23:59:59Z").map(|t| t + 999)
        );
        assert_eq!(parse_time("2016-12-31T12:00:60Z"), None);
        assert_eq!(format_time(1_714_744_931_000), "2024-05-03T14:02:11Z");
    }

    #[test]
    fn principal_per_identity_type() {
        let cases = [
            (
                r#"{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"}"#,
                "root",
                Credential::None,
            ),
            (
                r#"{"type":"IAMUser","userName":"alice","accessKeyId":"AKIAEXAMPLE"}"#,
                "alice",
                Credential::LongTermKey,
            ),
            (
                r#"{"type":"IAMUser","arn":"arn:aws:iam::1:user/bob","accessKeyId":""}"#,
                "bob",
                Credential::None,
            ),
            (
                r#"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/Admin/alice","accessKeyId":"ASIAEXAMPLE"}"#,
                "Admin/alice",
                Credential::Temporary,
            ),
            (
                r#"{"type":"AssumedRole","principalId":"AROAEXAMPLE:alice","userName":"Admin","accessKeyId":"ASIAX"}"#,
                "Admin",
                Credential::Temporary,
            ),
            (
                r#"{"type":"FederatedUser","principalId":"1:carol","arn":"arn:aws:sts::1:federated-user/carol"}"#,
                "carol",
                Credential::None,
            ),
            (
                r#"{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"}"#,
                "cloudtrail.amazonaws.com",
                Credential::AwsService,
            ),
            (
                r#"{"type":"AWSAccount","accountId":"444455556666","principalId":"AIDAX"}"#,
                "444455556666",
                Credential::None,
            ),
            (
                r#"{"type":"IdentityCenterUser","onBehalfOf":{"userId":"uid-1"},"userName":"dora"}"#,
                "uid-1",
                Credential::None,
            ),
            (
                r#"{"type":"IdentityCenterUser","userName":"dora"}"#,
                "dora",
                Credential::None,
            ),
            (
                r#"{"type":"SAMLUser","userName":"eve@example.com","principalId":"x"}"#,
                "eve@example.com",
                Credential::None,
            ),
            (
                r#"{"type":"WebIdentityUser","principalId":"accounts.google.com:1234"}"#,
                "accounts.google.com:1234",
                Credential::None,
            ),
        ];
        for (json, expected, cred) in cases {
            let id = identity(json);
            assert_eq!(principal(&id).as_deref(), Some(expected), "{json}");
            assert_eq!(
                credential(Some(&id), Some("ListUsers"), false),
                cred,
                "{json}"
            );
        }
        let id = identity(r#"{"type":"IAMUser","userName":"alice"}"#);
        assert_eq!(
            credential(Some(&id), Some("ConsoleLogin"), false),
            Credential::Console
        );
        // A console session's temporary key.
        let id = identity(r#"{"type":"AssumedRole","accessKeyId":"ASIAX"}"#);
        assert_eq!(
            credential(Some(&id), Some("ListUsers"), true),
            Credential::Console
        );
        assert_eq!(credential(None, Some("X"), true), Credential::None);
    }

    #[test]
    fn lenient_fields_never_cost_the_event() {
        let ev: RawEvent = serde_json::from_str(
            r#"{"eventName":123,"readOnly":"TRUE","awsRegion":{"x":1},"errorCode":null,"userAgent":[1,2]}"#,
        )
        .expect("lenient");
        assert_eq!(ev.event_name.as_str(), Some("123"));
        assert_eq!(ev.read_only, Flag(Some(true)));
        assert_eq!(ev.aws_region.as_str(), None);
        assert_eq!(ev.error_code.as_str(), None);
        assert_eq!(ev.user_agent.as_str(), None);
    }
}
