//! Athena `UNLOAD … WITH (format = 'JSON')` output of the standard CloudTrail table, read
//! back as CloudTrail events: one JSON object per line with the table's lowercase column
//! names, `useridentity` a struct, the parameters as JSON strings, `readonly` a string, and
//! the partition columns. Each line becomes the event it was made from (CloudTrail's names
//! and types; nulls dropped) plus `trailscopeSource`, which says where it came from, so the
//! detail pane shows it. Lines stay lines: positions in problems keep their line numbers.

use serde_json::{Map, Value};

/// The name under which a converted event says it came from an Athena export.
pub const SOURCE_KEY: &str = "trailscopeSource";

/// Whether `text` reads as Athena's JSON output of the CloudTrail table: its first object
/// has lowercase `eventname` / `eventtime` and no CloudTrail-cased `eventName`.
pub fn looks_like_unload(text: &str) -> bool {
    // Cheap first, on the head only: a CloudTrail file (one long line of `Records`) names
    // its fields `eventTime`, never `eventtime`, and is neither parsed twice nor scanned
    // to its end for this question.
    let text = text.trim_start();
    let head = &text.as_bytes()[..text.len().min(64 * 1024)];
    if !text.starts_with('{') || memchr::memmem::find(head, b"\"eventtime\":").is_none() {
        return false;
    }
    let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return false;
    };
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(first) else {
        return false;
    };
    is_row(&object)
}

/// Whether one object is a row of the table (lowercase `eventtime`, no CloudTrail-cased
/// name): each line is judged on its own, so one crafted line never makes the real events
/// around it read as rows to rewrite.
fn is_row(object: &Map<String, Value>) -> bool {
    (object.contains_key("eventname") || object.contains_key("eventversion"))
        && object.contains_key("eventtime")
        && !object.contains_key("eventName")
        && !object.contains_key("eventTime")
}

/// The lines of an Athena export as CloudTrail events, one per line; a line that is not a
/// row of the table (a CloudTrail event, or one that does not read) is kept as it was.
pub fn to_cloudtrail(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(row)) if is_row(&row) => {
                let mut event = convert(row, TOP, Flavor::Athena);
                event.insert(
                    SOURCE_KEY.into(),
                    Value::String(
                        "an Athena export of the CloudTrail table, names and types restored".into(),
                    ),
                );
                out.push_str(&Value::Object(event).to_string());
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// One level of the table: each lowercase column, its CloudTrail name, and how its value
/// reads back.
pub(super) type Level = &'static [(&'static str, &'static str, Kind)];

#[derive(Clone, Copy)]
pub(super) enum Kind {
    Plain,
    /// A JSON document kept as a string.
    Json,
    /// A time: Athena keeps CloudTrail's text; Lake writes a timestamp as
    /// `2024-05-02 10:11:12.000`, which becomes `2024-05-02T10:11:12Z` again.
    Time,
    /// `"true"` / `"false"` as a string.
    Bool,
    /// A struct (Lake: as JSON text).
    Struct(Level),
    /// An array of structs.
    List(Level),
    /// Dropped: the partition columns.
    Drop,
}

/// Where the row comes from: Lake keeps the parameters as maps of strings, a nested value
/// as JSON text, which reads back as the object it was.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    Athena,
    Lake,
}

pub(super) const TOP: Level = &[
    ("eventversion", "eventVersion", Kind::Plain),
    ("useridentity", "userIdentity", Kind::Struct(IDENTITY)),
    ("eventtime", "eventTime", Kind::Time),
    ("eventsource", "eventSource", Kind::Plain),
    ("eventname", "eventName", Kind::Plain),
    ("awsregion", "awsRegion", Kind::Plain),
    ("sourceipaddress", "sourceIPAddress", Kind::Plain),
    ("useragent", "userAgent", Kind::Plain),
    ("errorcode", "errorCode", Kind::Plain),
    ("errormessage", "errorMessage", Kind::Plain),
    ("requestparameters", "requestParameters", Kind::Json),
    ("responseelements", "responseElements", Kind::Json),
    ("additionaleventdata", "additionalEventData", Kind::Json),
    ("requestid", "requestID", Kind::Plain),
    ("eventid", "eventID", Kind::Plain),
    ("readonly", "readOnly", Kind::Bool),
    ("resources", "resources", Kind::List(RESOURCE)),
    ("eventtype", "eventType", Kind::Plain),
    ("apiversion", "apiVersion", Kind::Plain),
    ("recipientaccountid", "recipientAccountId", Kind::Plain),
    ("serviceeventdetails", "serviceEventDetails", Kind::Json),
    ("sharedeventid", "sharedEventID", Kind::Plain),
    ("vpcendpointid", "vpcEndpointId", Kind::Plain),
    ("eventcategory", "eventCategory", Kind::Plain),
    (
        "sessioncredentialfromconsole",
        "sessionCredentialFromConsole",
        Kind::Plain,
    ),
    ("managementevent", "managementEvent", Kind::Bool),
    ("tlsdetails", "tlsDetails", Kind::Struct(TLS)),
    ("region", "", Kind::Drop),
    ("timestamp", "", Kind::Drop),
];

const IDENTITY: Level = &[
    ("type", "type", Kind::Plain),
    ("principalid", "principalId", Kind::Plain),
    ("arn", "arn", Kind::Plain),
    ("accountid", "accountId", Kind::Plain),
    ("invokedby", "invokedBy", Kind::Plain),
    ("accesskeyid", "accessKeyId", Kind::Plain),
    ("username", "userName", Kind::Plain),
    (
        "onbehalfof",
        "onBehalfOf",
        Kind::Struct(&[
            ("userid", "userId", Kind::Plain),
            ("identitystorearn", "identityStoreArn", Kind::Plain),
        ]),
    ),
    (
        "sessioncontext",
        "sessionContext",
        Kind::Struct(&[
            (
                "attributes",
                "attributes",
                Kind::Struct(&[
                    ("mfaauthenticated", "mfaAuthenticated", Kind::Plain),
                    ("creationdate", "creationDate", Kind::Time),
                ]),
            ),
            (
                "sessionissuer",
                "sessionIssuer",
                Kind::Struct(&[
                    ("type", "type", Kind::Plain),
                    ("principalid", "principalId", Kind::Plain),
                    ("arn", "arn", Kind::Plain),
                    ("accountid", "accountId", Kind::Plain),
                    ("username", "userName", Kind::Plain),
                ]),
            ),
            ("ec2roledelivery", "ec2RoleDelivery", Kind::Plain),
            ("webidfederationdata", "webIdFederationData", Kind::Plain),
            ("sourceidentity", "sourceIdentity", Kind::Plain),
            ("ec2issuedinvpc", "ec2IssuedInVPC", Kind::Plain),
        ]),
    ),
    ("identityprovider", "identityProvider", Kind::Plain),
    ("credentialid", "credentialId", Kind::Plain),
];

const RESOURCE: Level = &[
    ("arn", "ARN", Kind::Plain),
    ("accountid", "accountId", Kind::Plain),
    ("type", "type", Kind::Plain),
    ("arnprefix", "ARNPrefix", Kind::Plain),
];

const TLS: Level = &[
    ("tlsversion", "tlsVersion", Kind::Plain),
    ("ciphersuite", "cipherSuite", Kind::Plain),
    (
        "clientprovidedhostheader",
        "clientProvidedHostHeader",
        Kind::Plain,
    ),
];

/// A row (or struct) of the table as the CloudTrail object it came from: known columns
/// (matched whatever their case) renamed and retyped, unknown ones kept, nulls and all-null
/// structs dropped.
pub(super) fn convert(row: Map<String, Value>, level: Level, flavor: Flavor) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in row {
        if value.is_null() {
            continue;
        }
        let Some(&(_, name, kind)) = level
            .iter()
            .find(|(column, _, _)| column.eq_ignore_ascii_case(&key))
        else {
            out.insert(key, value);
            continue;
        };
        // Lake gives structs and arrays as JSON text.
        let value = match (kind, value) {
            (Kind::Struct(_) | Kind::List(_), Value::String(text)) => {
                match serde_json::from_str::<Value>(&text) {
                    Ok(parsed) => parsed,
                    Err(_) => Value::String(text),
                }
            }
            (_, value) => value,
        };
        let value = match (kind, value) {
            (Kind::Drop, _) | (_, Value::Null) => continue,
            (Kind::Json, Value::String(text)) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Null) => continue,
                Ok(Value::Object(map)) if flavor == Flavor::Lake => Value::Object(unflatten(map)),
                Ok(parsed) => parsed,
                Err(_) => Value::String(text),
            },
            (Kind::Time, Value::String(text)) => Value::String(iso_time(&text)),
            (Kind::Bool, Value::String(text)) => match text.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::String(text),
            },
            (Kind::Struct(inner), Value::Object(object)) => {
                let object = convert(object, inner, flavor);
                if object.is_empty() {
                    continue;
                }
                Value::Object(object)
            }
            (Kind::List(inner), Value::Array(items)) => Value::Array(
                items
                    .into_iter()
                    .map(|item| match item {
                        Value::Object(object) => Value::Object(convert(object, inner, flavor)),
                        other => other,
                    })
                    .collect(),
            ),
            (_, value) => value,
        };
        out.insert(name.to_string(), value);
    }
    out
}

/// A Lake map of strings as the object it was: a value that is JSON text of an object or
/// an array becomes that object or array (the one way Lake keeps a nested value).
fn unflatten(map: Map<String, Value>) -> Map<String, Value> {
    map.into_iter()
        .map(|(key, value)| {
            let value = match value {
                Value::String(text) if text.starts_with(['{', '[']) => {
                    serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text))
                }
                other => other,
            };
            (key, value)
        })
        .collect()
}

/// `2024-05-02 10:11:12.000` (a SQL timestamp) as CloudTrail writes it,
/// `2024-05-02T10:11:12Z`; a fraction other than zero is kept; other text as it is.
fn iso_time(text: &str) -> String {
    let bytes = text.as_bytes();
    let sql_like = bytes.len() >= 19
        && bytes[..19].is_ascii()
        && bytes[10] == b' '
        && bytes[..10].iter().filter(|b| b.is_ascii_digit()).count() == 8
        && !text.ends_with('Z');
    if !sql_like {
        return text.to_string();
    }
    let (seconds, fraction) = text.split_at(19);
    let fraction = fraction.trim_end_matches('0');
    let fraction = if fraction == "." { "" } else { fraction };
    format!("{}T{}{fraction}Z", &seconds[..10], &seconds[11..])
}

#[cfg(test)]
mod tests {
    use super::iso_time;

    #[test]
    fn sql_timestamps_read_as_cloudtrail_times() {
        assert_eq!(iso_time("2024-05-02 10:11:12.000"), "2024-05-02T10:11:12Z");
        assert_eq!(iso_time("2024-05-02 10:11:12"), "2024-05-02T10:11:12Z");
        assert_eq!(
            iso_time("2024-05-02 10:11:12.250"),
            "2024-05-02T10:11:12.25Z"
        );
        assert_eq!(iso_time("2024-05-02T10:11:12Z"), "2024-05-02T10:11:12Z");
        assert_eq!(iso_time("yesterday"), "yesterday");
    }
}
