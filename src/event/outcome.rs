//! The members of `responseElements` and `serviceEventDetails` the index keeps, read
//! without allocating: a console sign-in's outcome, the key of issued credentials, and
//! whether a sign-in step failed (CloudTrail writes no errorCode there).

use std::fmt;

use serde::Deserialize;

use super::{IssuedCredentials, Lenient, Text};

/// The members in which CloudTrail writes a sign-in step's outcome (`"Success"` or
/// `"Failure"`) with no errorCode: `responseElements` of the console sign-in events, and
/// `serviceEventDetails` of IAM Identity Center's. The SQL translation reads the same list.
pub const OUTCOME_MEMBERS: [&str; 9] = [
    "responseElements.ConsoleLogin",
    "responseElements.CheckMfa",
    "responseElements.SwitchRole",
    "responseElements.ExitRole",
    "responseElements.RenewRole",
    "responseElements.PasswordUpdated",
    "serviceEventDetails.CredentialVerification",
    "serviceEventDetails.CredentialChallenge",
    "serviceEventDetails.UserAuthentication",
];

/// The members of `responseElements` (and `serviceEventDetails`) the index keeps: a console
/// sign-in's outcome, the access key of credentials an STS call issued, and whether one of
/// [`OUTCOME_MEMBERS`] says `"Failure"`.
#[derive(Debug, Default)]
pub struct ResponseElements<'a> {
    pub console_login: Text<'a>,
    pub credentials: Lenient<IssuedCredentials<'a>>,
    pub failure: bool,
}

impl<'de: 'a, 'a> Deserialize<'de> for ResponseElements<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{MapAccess, Visitor};
        /// A member's name, told apart without allocating.
        enum Key {
            ConsoleLogin,
            Credentials,
            Outcome,
            Other,
        }
        impl<'de> Deserialize<'de> for Key {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct KeyVisitor;
                impl Visitor<'_> for KeyVisitor {
                    type Value = Key;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("a member name")
                    }
                    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                        let outcome = || {
                            OUTCOME_MEMBERS
                                .iter()
                                .any(|m| m.rsplit_once('.').is_some_and(|(_, name)| name == v))
                        };
                        Ok(match v {
                            "ConsoleLogin" => Key::ConsoleLogin,
                            "credentials" => Key::Credentials,
                            _ if outcome() => Key::Outcome,
                            _ => Key::Other,
                        })
                    }
                }
                d.deserialize_identifier(KeyVisitor)
            }
        }
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = ResponseElements<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = ResponseElements::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::ConsoleLogin => out.console_login = map.next_value()?,
                        Key::Credentials => out.credentials = map.next_value()?,
                        Key::Outcome => {
                            let value: Text<'de> = map.next_value()?;
                            out.failure |= value.as_str() == Some("Failure");
                        }
                        Key::Other => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                out.failure |= out.console_login.as_str() == Some("Failure");
                Ok(out)
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}
