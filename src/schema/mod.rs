//! The one field schema: every named field of the filter language in one table, with where
//! it is in a CloudTrail event, how the index stores it, how a term matches it, its header
//! in the timeline and the outputs, and its column in the standard Athena CloudTrail table.
//!
//! Everything that names fields is derived from [`FIELDS`] and [`Col`]: field lookup and the
//! unknown-field message (`query`), `stats --by`, the detail pane's pivots, the `-o csv` /
//! `-o table` headers and the timeline columns. Adding a field is one row here plus, when it
//! is stored, its extraction in `load`.

mod col;
pub mod tools;

pub use col::Col;

/// Strings kept per row rather than interned (almost every value is distinct).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowText {
    EventId,
    RequestId,
}

/// Which side of a time bound a field keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// `after:T`: at or after T.
    After,
    /// `before:T`: strictly before T.
    Before,
}

/// How the index holds a field's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// Interned columns; a term matches if any matches. The first is the field's own value:
    /// what is shown, counted by `stats --by` and exported.
    Columns(&'static [Col]),
    /// A per-row string.
    Row(RowText),
    /// eventTime, matched as `2024-05-03T14:02:11Z` text.
    Time,
    /// A bound on eventTime (`after:`, `before:`): filters, never counted.
    TimeBound(Bound),
    /// readOnly: true, false or absent.
    Flag,
    /// The credential class of the principal model.
    Credential,
    /// resources[].ARN: several values per event.
    Resources,
    /// `conflict` for an event kept beside a copy whose JSON differs.
    Duplicate,
    /// The detection rules an event hits, by title or id (several per event).
    Rule,
    /// The highest level of the rules an event hits; `level:>=high` compares.
    Level,
    /// The ATT&CK tactics the rules an event hits are tagged with (`persistence`).
    Tactic,
    /// The ATT&CK techniques the rules an event hits are tagged with (`T1098.001`);
    /// `technique:T1098` also finds its sub-techniques.
    Technique,
    /// The credential chain behind an event: its principal, key and ARN, and those of
    /// every call that issued the credentials it used, back to a long-term key.
    Origin,
    /// `new:ip`: the principal used the value of a [`FIRST_SEEN`] field for the first time.
    FirstSeen,
    /// `mark:*`: the events an investigator marked (the value `marked`).
    Mark,
    /// `note:*text*`: the note on a marked event.
    Note,
}

impl Storage {
    /// Whether the field is read from the detection rules' hits.
    pub fn reads_detections(self) -> bool {
        matches!(
            self,
            Storage::Rule | Storage::Level | Storage::Tactic | Storage::Technique
        )
    }
}

/// The fields `new:` takes, by filter name: an event is new when its principal had not used
/// its value before in the loaded events.
pub const FIRST_SEEN: [(&str, Col); 8] = [
    ("ip", Col::Ip),
    ("agent", Col::Agent),
    ("tool", Col::Tool),
    ("region", Col::Region),
    ("name", Col::Name),
    ("source", Col::Source),
    ("key", Col::AccessKey),
    ("account", Col::RecipientAccount),
];

/// How a term's value is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matching {
    /// Whole value, case-insensitive, `*` wildcards (also `~` fuzzy).
    Glob,
    /// Glob, and `iam` also matches `iam.amazonaws.com`.
    Service,
    /// Glob, or a CIDR block when the value holds a `/`.
    Address,
    /// `true` / `false`.
    Bool,
    /// A date, a time or `-2h`.
    Time,
    /// The name of a [`FIRST_SEEN`] field (or a glob of names).
    FieldName,
}

/// One named field.
#[derive(Debug, PartialEq, Eq)]
pub struct FieldDef {
    /// The name a filter uses (`name:CreateUser`).
    pub name: &'static str,
    /// The CloudTrail JSON paths it reads; the detail pane pivots from each to this field.
    pub paths: &'static [&'static str],
    pub storage: Storage,
    pub matching: Matching,
    /// Header in the timeline and `-o table`.
    pub header: &'static str,
    /// Header in `-o csv`.
    pub csv: &'static str,
    /// The column (an SQL expression) in the standard Athena CloudTrail table; `None` when
    /// the field is derived and has no one column.
    pub athena: Option<&'static str>,
}

const fn field(
    name: &'static str,
    paths: &'static [&'static str],
    storage: Storage,
    header: &'static str,
    csv: &'static str,
    athena: Option<&'static str>,
) -> FieldDef {
    FieldDef {
        name,
        paths,
        storage,
        matching: Matching::Glob,
        header,
        csv,
        athena,
    }
}

const fn matching(def: FieldDef, matching: Matching) -> FieldDef {
    FieldDef { matching, ..def }
}

use Storage::{Columns, Row};

/// Every named field, in the order the unknown-field message lists them.
pub static FIELDS: &[FieldDef] = &[
    field(
        "name",
        &["eventName"],
        Columns(&[Col::Name]),
        "EVENT",
        "eventName",
        Some("eventname"),
    ),
    matching(
        field(
            "source",
            &["eventSource"],
            Columns(&[Col::Source]),
            "SOURCE",
            "eventSource",
            Some("eventsource"),
        ),
        Matching::Service,
    ),
    field(
        "region",
        &["awsRegion"],
        Columns(&[Col::Region]),
        "REGION",
        "awsRegion",
        Some("awsregion"),
    ),
    field(
        "account",
        &["recipientAccountId", "userIdentity.accountId"],
        Columns(&[Col::RecipientAccount, Col::IdentityAccount]),
        "ACCOUNT",
        "recipientAccountId",
        Some("recipientaccountid"),
    ),
    matching(
        field(
            "ip",
            &["sourceIPAddress"],
            Columns(&[Col::Ip]),
            "IP",
            "sourceIPAddress",
            Some("sourceipaddress"),
        ),
        Matching::Address,
    ),
    field(
        "agent",
        &["userAgent"],
        Columns(&[Col::Agent]),
        "AGENT",
        "userAgent",
        Some("useragent"),
    ),
    field(
        "error",
        &["errorCode"],
        Columns(&[Col::Error]),
        "ERROR",
        "errorCode",
        Some("errorcode"),
    ),
    field(
        "msg",
        &["errorMessage"],
        Columns(&[Col::ErrorMessage]),
        "MESSAGE",
        "errorMessage",
        Some("errormessage"),
    ),
    field(
        "type",
        &["userIdentity.type"],
        Columns(&[Col::IdentityType]),
        "TYPE",
        "userIdentity.type",
        Some("useridentity.type"),
    ),
    matching(
        field(
            "principal",
            &[],
            Columns(&[Col::Principal]),
            "PRINCIPAL",
            "principal",
            None,
        ),
        Matching::Service,
    ),
    field(
        "identity",
        &["userIdentity.userName", "userIdentity.principalId"],
        Columns(&[
            Col::Principal,
            Col::UserName,
            Col::Arn,
            Col::PrincipalId,
            Col::IssuerName,
            Col::IssuerArn,
            Col::SessionName,
        ]),
        "PRINCIPAL",
        "principal",
        None,
    ),
    field(
        "arn",
        &["userIdentity.arn"],
        Columns(&[Col::Arn]),
        "ARN",
        "userIdentity.arn",
        Some("useridentity.arn"),
    ),
    field(
        "key",
        &["userIdentity.accessKeyId"],
        Columns(&[Col::AccessKey]),
        "KEY",
        "accessKeyId",
        Some("useridentity.accesskeyid"),
    ),
    field(
        "id",
        &["eventID"],
        Row(RowText::EventId),
        "EVENT ID",
        "eventID",
        Some("eventid"),
    ),
    field(
        "request",
        &["requestID"],
        Row(RowText::RequestId),
        "REQUEST ID",
        "requestID",
        Some("requestid"),
    ),
    matching(
        field(
            "readonly",
            &["readOnly"],
            Storage::Flag,
            "READONLY",
            "readOnly",
            Some("readonly"),
        ),
        Matching::Bool,
    ),
    field(
        "category",
        &["eventCategory"],
        Columns(&[Col::Category]),
        "CATEGORY",
        "eventCategory",
        Some("eventcategory"),
    ),
    field(
        "eventtype",
        &["eventType"],
        Columns(&[Col::EventType]),
        "EVENT TYPE",
        "eventType",
        Some("eventtype"),
    ),
    field(
        "resource",
        &["resources.ARN"],
        Storage::Resources,
        "RESOURCE",
        "resources.ARN",
        Some("resources"),
    ),
    field(
        "credential",
        &[],
        Storage::Credential,
        "CREDENTIAL",
        "credential",
        None,
    ),
    field(
        "time",
        &["eventTime"],
        Storage::Time,
        "TIME",
        "eventTime",
        Some("eventtime"),
    ),
    matching(
        field(
            "after",
            &[],
            Storage::TimeBound(Bound::After),
            "TIME",
            "eventTime",
            Some("eventtime"),
        ),
        Matching::Time,
    ),
    matching(
        field(
            "before",
            &[],
            Storage::TimeBound(Bound::Before),
            "TIME",
            "eventTime",
            Some("eventtime"),
        ),
        Matching::Time,
    ),
    field("dup", &[], Storage::Duplicate, "DUP", "duplicate", None),
    field("rule", &[], Storage::Rule, "RULES", "rules", None),
    field(
        "detection",
        &[],
        Storage::Rule,
        "DETECTIONS",
        "detections",
        None,
    ),
    field("level", &[], Storage::Level, "LEVEL", "level", None),
    field("tactic", &[], Storage::Tactic, "TACTICS", "tactics", None),
    field(
        "technique",
        &[],
        Storage::Technique,
        "TECHNIQUES",
        "techniques",
        None,
    ),
    field("origin", &[], Storage::Origin, "ORIGIN", "origin", None),
    FieldDef {
        matching: Matching::FieldName,
        ..field("new", &[], Storage::FirstSeen, "NEW", "new", None)
    },
    field("mark", &[], Storage::Mark, "MARK", "mark", None),
    field("note", &[], Storage::Note, "NOTE", "note", None),
    field(
        "sharedeventid",
        &["sharedEventID"],
        Columns(&[Col::SharedEventId]),
        "SHARED EVENT ID",
        "sharedEventID",
        Some("sharedeventid"),
    ),
    field(
        "vpcendpoint",
        &["vpcEndpointId"],
        Columns(&[Col::VpcEndpoint]),
        "VPC ENDPOINT",
        "vpcEndpointId",
        Some("vpcendpointid"),
    ),
    field(
        "sourceidentity",
        &["userIdentity.sessionContext.sourceIdentity"],
        Columns(&[Col::SourceIdentity]),
        "SOURCE IDENTITY",
        "sourceIdentity",
        Some("useridentity.sessioncontext.sourceidentity"),
    ),
    field(
        "insight",
        &[],
        Columns(&[Col::Insight]),
        "INSIGHT",
        "insight",
        None,
    ),
    // The caller's tool and system, classified from userAgent (`tools.rs`).
    field("tool", &[], Columns(&[Col::Tool]), "TOOL", "tool", None),
    field("os", &[], Columns(&[Col::Os]), "OS", "os", None),
    // The address's kind, owner and place, looked up in the user's files (`places/`).
    field(
        "iptype",
        &[],
        Columns(&[Col::IpType]),
        "IP TYPE",
        "ipType",
        None,
    ),
    field("asn", &[], Columns(&[Col::Asn]), "ASN", "asn", None),
    field("org", &[], Columns(&[Col::Org]), "ORG", "asOrg", None),
    field(
        "country",
        &[],
        Columns(&[Col::Country]),
        "COUNTRY",
        "country",
        None,
    ),
    field("city", &[], Columns(&[Col::City]), "CITY", "city", None),
    field(
        "travel",
        &[],
        Columns(&[Col::Travel]),
        "TRAVEL",
        "travel",
        None,
    ),
    field(
        "bucket",
        &["requestParameters.bucketName"],
        Columns(&[Col::Bucket]),
        "BUCKET",
        "bucketName",
        Some("json_extract_scalar(requestparameters, '$.bucketName')"),
    ),
    field(
        "object",
        &["requestParameters.key"],
        Columns(&[Col::ObjectKey]),
        "OBJECT KEY",
        "key",
        Some("json_extract_scalar(requestparameters, '$.key')"),
    ),
];

/// The named field called `name` (case-insensitive), or whose top-level CloudTrail name
/// it is: `eventName` is `name`, `sourceIPAddress` is `ip`, `errorCode` is `error`.
pub fn named(name: &str) -> Option<&'static FieldDef> {
    FIELDS
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .or_else(|| {
            FIELDS.iter().find(|f| {
                f.paths
                    .iter()
                    .any(|p| !p.contains('.') && p.eq_ignore_ascii_case(name))
            })
        })
}

/// The field name nearest to a name no field has (`evntName` → `eventName`), when one is
/// near enough to be what was meant.
pub fn nearest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    FIELDS
        .iter()
        .flat_map(|f| {
            std::iter::once(f.name).chain(f.paths.iter().copied().filter(|p| !p.contains('.')))
        })
        .map(|candidate| {
            let distance = strsim::levenshtein(&lower, &candidate.to_ascii_lowercase());
            (distance, candidate)
        })
        .filter(|&(distance, candidate)| distance <= (candidate.len() / 3).max(1))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// The named field the detail pane pivots to from a value at `path`, if one reads it.
pub fn pivot_of(path: &str) -> Option<&'static FieldDef> {
    FIELDS
        .iter()
        .find(|f| f.paths.iter().any(|p| p.eq_ignore_ascii_case(path)))
}

/// The filter field a value at JSON `path` pivots on: the named field that reads it where
/// one does, the dotted path otherwise.
pub fn pivot_field(path: &str) -> String {
    pivot_of(path).map_or_else(|| path.to_string(), |def| def.name.to_string())
}

/// The named fields, as the unknown-field message lists them.
pub fn known_list() -> String {
    let names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
    format!("{}, or a dotted JSON path", names.join(", "))
}

/// The `-o csv` columns when none are asked for.
pub const CSV_DEFAULT: [&str; 12] = [
    "time",
    "name",
    "source",
    "region",
    "ip",
    "principal",
    "type",
    "key",
    "error",
    "readonly",
    "account",
    "id",
];

/// The `-o table` columns when none are asked for.
pub const TABLE_DEFAULT: [&str; 8] = [
    "time",
    "name",
    "source",
    "region",
    "ip",
    "principal",
    "error",
    "account",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lowercase() {
        for (i, def) in FIELDS.iter().enumerate() {
            assert_eq!(def.name, def.name.to_ascii_lowercase());
            assert!(
                FIELDS[..i].iter().all(|d| d.name != def.name),
                "{}",
                def.name
            );
        }
    }

    #[test]
    fn every_stored_column_path_resolves_to_its_column() {
        for col in Col::ALL {
            if let Some(path) = col.path() {
                assert_eq!(Col::of_path(path), Some(col));
                assert_eq!(Col::of_path(&path.to_ascii_uppercase()), Some(col));
            }
        }
        assert_eq!(Col::of_path("requestParameters.roleArn"), None);
        assert_eq!(
            Col::of_path("requestParameters.bucketName"),
            Some(Col::Bucket)
        );
    }

    #[test]
    fn default_columns_are_fields() {
        for name in CSV_DEFAULT.iter().chain(&TABLE_DEFAULT) {
            assert!(named(name).is_some(), "{name}");
        }
    }
}
