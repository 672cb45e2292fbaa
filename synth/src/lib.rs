//! A deterministic generator of realistic CloudTrail data, for the benchmarks, the tests
//! and the built-in demo. A development tool: the product does not ship it.
//!
//! It writes what an `aws s3 sync` of a trail bucket looks like: the S3 key layout,
//! `.json.gz` delivery files of about five minutes of one account and region each, records
//! unsorted within a file, every userIdentity type, errors, large and null request and
//! response bodies, about 1.5 KB per event on average. The same seed gives the same bytes.

mod bulk;
mod catalogue;
pub mod demo;
mod event;
mod json;
mod rng;
pub mod scripted;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;

pub use bulk::{generate, Config, Summary};
pub use catalogue::{CATALOGUE, ERRORS};
pub use event::{event_json, pseudo_id};
pub use json::JsonOut;
pub use rng::Rng;

/// `2024-05-03T14:02:11Z` for milliseconds since the epoch.
pub fn time_text(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| "-".into())
}

/// A time as the IAM API writes it in responses: `May 2, 2024, 2:06:51 PM`.
pub fn console_time(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| t.format("%b %-d, %Y, %-I:%M:%S %p").to_string())
        .unwrap_or_else(|| "-".into())
}

/// One delivery file's key in the S3 layout.
pub fn delivery_key(account: &str, region: &str, window_start: i64, rng: &mut Rng) -> PathBuf {
    let t = chrono::DateTime::from_timestamp_millis(window_start).unwrap_or_default();
    PathBuf::from(format!(
        "AWSLogs/{account}/CloudTrail/{region}/{}/{account}_CloudTrail_{region}_{}_{}.json.gz",
        t.format("%Y/%m/%d"),
        t.format("%Y%m%dT%H%MZ"),
        rng.alnum(16)
    ))
}

/// Writes one delivery file: `{"Records":[...]}` gzip-compressed, creating directories.
pub fn write_delivery(root: &Path, key: &Path, records: &[String]) -> io::Result<u64> {
    let path = root.join(key);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let text = json::records_document(records);
    let mut enc = GzEncoder::new(
        io::BufWriter::new(fs::File::create(&path)?),
        flate2::Compression::new(6),
    );
    enc.write_all(text.as_bytes())?;
    enc.finish()?.flush()?;
    Ok(text.len() as u64)
}

/// What identity an event is made by.
#[derive(Debug, Clone)]
pub enum Actor {
    IamUser {
        name: String,
        key: String,
        console: bool,
    },
    Role {
        role: String,
        session: String,
        key: String,
        issuer_principal: String,
        mfa: bool,
        console: bool,
    },
    Root {
        console: bool,
    },
    Service(String),
    Federated {
        name: String,
        key: String,
    },
    OtherAccount {
        account: String,
    },
    IdentityCenter {
        user_id: String,
        user_name: String,
    },
    Saml {
        user: String,
        key: String,
    },
    WebIdentity {
        subject: String,
        key: String,
    },
}

/// The fields of one event to write.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    pub time: i64,
    pub account: &'a str,
    pub region: &'a str,
    pub source: &'a str,
    pub name: &'a str,
    pub actor: &'a Actor,
    pub ip: &'a str,
    pub agent: &'a str,
    pub read_only: Option<bool>,
    pub error: Option<(&'a str, String)>,
    /// Raw JSON for requestParameters (`null` allowed).
    pub request: String,
    /// Raw JSON for responseElements (`null` allowed).
    pub response: String,
    pub resources: Vec<(String, String)>,
    pub event_type: &'a str,
    pub management: bool,
    /// When a role session's credentials were issued (default: ten minutes before).
    pub session_created: Option<i64>,
}
