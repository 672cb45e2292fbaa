//! `trailscope verify`: are these the log files CloudTrail delivered? Offline, from the
//! files the user has: every log file a digest names is hashed (SHA-256 of its uncompressed
//! content) and compared; every digest is checked against the next one's
//! `previousDigestHashValue`; log files no digest covers, and breaks in the chain (a digest
//! deleted), are reported. With the public keys (`aws cloudtrail list-public-keys` saved as
//! JSON), each digest's RSA-SHA256 signature is checked where the signature is at hand:
//! CloudTrail keeps a digest's own signature in S3 metadata, which a download loses, but
//! the next digest repeats it as `previousDigestSignature`. The format and the signing
//! string are AWS's ("CloudTrail digest file structure", "Custom implementations of
//! CloudTrail log file integrity validation").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::case::hex;
use crate::source::{self, Origin};

/// The explorer's one-line account of a verification: how many of the inputs verified, and
/// the first of those that did not, by name.
pub fn status(report: &Report) -> String {
    if report.digests == 0 {
        return "no digests: nothing could be verified".to_string();
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut named: Vec<&str> = Vec::new();
    for finding in report.findings.iter().filter(|f| f.fails()) {
        *counts.entry(finding.kind()).or_default() += 1;
        named.push(finding.subject());
    }
    if counts.is_empty() {
        return format!(
            "evidence verified: {} of {} against {}",
            report.verified_files,
            crate::text::count(report.log_files, "input"),
            crate::text::count(report.digests, "digest")
        );
    }
    let list: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let shown: Vec<&str> = named
        .iter()
        .take(2)
        .map(|n| n.rsplit('/').next().unwrap_or(n))
        .collect();
    let more = match named.len().saturating_sub(shown.len()) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!(
        "evidence NOT verified: {} of {} verified; {}: {}{more} (trailscope verify)",
        report.verified_files,
        crate::text::count(report.log_files, "input"),
        list.join(", "),
        shown.join(", ")
    )
}

/// One finding of the verification.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Finding {
    /// A log file whose hash is not the one its digest lists.
    Modified { file: String, digest: String },
    /// A log file a digest lists that is not among the inputs.
    Missing { file: String, digest: String },
    /// A digest whose hash is not the one the next digest lists for it.
    DigestModified { digest: String, next: String },
    /// A digest names a previous digest that is not among the inputs: a link of the chain
    /// is gone.
    ChainBreak { digest: String, previous: String },
    /// A digest's signature does not verify with the key its fingerprint names.
    BadSignature { digest: String },
    /// A digest signed with a key the given keys do not hold.
    UnknownKey { digest: String, fingerprint: String },
    /// A log file no digest lists: the last hour's files until their digest is delivered
    /// (`after_last_digest`), else a file CloudTrail did not deliver. Either way it is not
    /// verified.
    NotCovered {
        file: String,
        after_last_digest: bool,
    },
    /// A file that could not be read or parsed.
    Unreadable { file: String, reason: String },
}

impl Finding {
    /// Whether the finding means the evidence does not verify (exit 4): every one does.
    pub fn fails(&self) -> bool {
        true
    }

    /// What kind of failure, as the explorer's status counts it.
    fn kind(&self) -> &'static str {
        match self {
            Finding::Modified { .. } | Finding::DigestModified { .. } => "modified",
            Finding::Missing { .. } => "missing",
            Finding::ChainBreak { .. } => "chain breaks",
            Finding::BadSignature { .. } | Finding::UnknownKey { .. } => "bad signatures",
            Finding::NotCovered { .. } => "not covered",
            Finding::Unreadable { .. } => "unreadable",
        }
    }

    /// The file the finding is about.
    fn subject(&self) -> &str {
        match self {
            Finding::Modified { file, .. }
            | Finding::Missing { file, .. }
            | Finding::NotCovered { file, .. }
            | Finding::Unreadable { file, .. } => file,
            Finding::DigestModified { digest, .. }
            | Finding::ChainBreak { digest, .. }
            | Finding::BadSignature { digest }
            | Finding::UnknownKey { digest, .. } => digest,
        }
    }
}

/// What `verify` found and did.
#[derive(Debug, Default)]
pub struct Report {
    pub digests: usize,
    /// Of the digests, the backfill ones (`…_backfill.json.gz`): CloudTrail delivers them
    /// for log files that an hourly digest missed through a delay.
    pub backfill_digests: usize,
    pub log_files: usize,
    /// Log files whose hash matched their digest.
    pub verified_files: usize,
    /// Digests whose hash matched the next digest's record of it.
    pub verified_digests: usize,
    pub signatures_checked: usize,
    pub findings: Vec<Finding>,
    /// Checks that could not be made offline, said plainly.
    pub not_checked: Vec<String>,
}

impl Report {
    /// Whether every input verified: at least one digest, and no finding.
    pub fn ok(&self) -> bool {
        self.digests > 0 && !self.findings.iter().any(Finding::fails)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DigestFile {
    digest_end_time: String,
    digest_s3_bucket: String,
    digest_s3_object: String,
    #[serde(default)]
    digest_public_key_fingerprint: Option<String>,
    #[serde(default)]
    previous_digest_s3_object: Option<String>,
    #[serde(default)]
    previous_digest_hash_value: Option<String>,
    #[serde(default)]
    previous_digest_signature: Option<String>,
    #[serde(default)]
    log_files: Vec<LogFileEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogFileEntry {
    s3_object: String,
    hash_value: String,
}

/// `aws cloudtrail list-public-keys` output.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PublicKeys {
    public_key_list: Vec<PublicKey>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PublicKey {
    /// Base64 of the DER-encoded PKCS#1 RSA public key.
    value: String,
    fingerprint: String,
}

/// The part of an S3 key from `AWSLogs/` on, which a download keeps whatever the bucket's
/// prefix or the local folder.
fn key_of(path: &str) -> Option<&str> {
    path.find("AWSLogs/").map(|at| &path[at..])
}

fn is_digest(key: &str) -> bool {
    key.contains("/CloudTrail-Digest/") || key.contains("_CloudTrail-Digest_")
}

/// A backfill digest (`…_20150817T150131Z_backfill.json.gz`).
fn is_backfill(key: &str) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key);
    name.contains("_backfill.json")
}

/// Whether a file's content is JSON at all (a README or a licence beside a trail is not a
/// log file, as the loader ignores it too).
fn looks_like_json(path: &Path) -> bool {
    content(path, source::DEFAULT_MAX_FILE_SIZE).is_ok_and(|bytes| {
        bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| matches!(b, b'{' | b'['))
    })
}

/// The files by their key from `AWSLogs/` on (their whole name when they have none):
/// the digests, and every other input as a log file to verify, wherever it is.
type Keyed = BTreeMap<String, PathBuf>;

/// A digest as read: its content and the SHA-256 of its uncompressed bytes.
type Digests = BTreeMap<String, (DigestFile, String)>;

/// Verifies the CloudTrail files under `paths`; `keys`: a saved `list-public-keys` answer.
pub fn verify(paths: &[PathBuf], keys: Option<&Path>) -> Report {
    let mut report = Report::default();
    let (inputs, problems) = source::discover(paths);
    for problem in problems {
        report.findings.push(Finding::Unreadable {
            file: problem.to_string(),
            reason: "not found or not readable".into(),
        });
    }
    let (logs, digest_paths) = split(inputs);
    if digest_paths.is_empty() {
        // Nothing to verify against: no file is read, and none is listed one by one.
        report.log_files = logs.len();
        return report;
    }
    let digests = read_digests(&digest_paths, &mut report);
    let covered = hash_listed(&logs, &digests, &mut report);
    not_covered(&logs, &digests, &covered, &mut report);
    let signatures = check_chain(&digests, &mut report);
    check_signatures(&mut report, &digests, &signatures, keys);
    report.findings.sort();
    report
}

fn split(inputs: Vec<source::Input>) -> (Keyed, Keyed) {
    let mut logs: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut digest_paths: BTreeMap<String, PathBuf> = BTreeMap::new();
    for input in inputs {
        let Origin::File(path) = &input.origin else {
            continue;
        };
        let name = path.to_string_lossy().replace('\\', "/");
        let key = key_of(&name).unwrap_or(&name);
        if is_digest(key) {
            digest_paths.insert(key.to_string(), path.clone());
        } else {
            logs.insert(key.to_string(), path.clone());
        }
    }
    (logs, digest_paths)
}

/// Reads each digest (a damaged one is a finding); counts them.
fn read_digests(digest_paths: &Keyed, report: &mut Report) -> Digests {
    let mut digests: BTreeMap<String, (DigestFile, String)> = BTreeMap::new();
    for (key, path) in digest_paths {
        match content(path, MAX_DIGEST).and_then(|bytes| {
            let parsed = serde_json::from_slice::<DigestFile>(&bytes).map_err(|e| e.to_string())?;
            Ok((parsed, hex(&Sha256::digest(&bytes))))
        }) {
            Ok(found) => {
                digests.insert(key.clone(), found);
            }
            Err(reason) => report.findings.push(Finding::Unreadable {
                file: key.clone(),
                reason,
            }),
        }
    }
    report.digests = digests.len();
    report.backfill_digests = digests.keys().filter(|k| is_backfill(k)).count();
    digests
}

/// Hashes every log file a digest lists against the hash it lists (inflate + SHA-256 on
/// every core); returns the keys listed.
fn hash_listed(logs: &Keyed, digests: &Digests, report: &mut Report) -> BTreeSet<String> {
    let mut covered = BTreeSet::new();
    let mut jobs: Vec<(&String, &LogFileEntry, String)> = Vec::new();
    for (digest_key, (digest, _)) in digests {
        for entry in &digest.log_files {
            let Some(key) = key_of(&entry.s3_object) else {
                continue;
            };
            // A file listed twice is hashed, and counted, once.
            if covered.insert(key.to_string()) {
                jobs.push((digest_key, entry, key.to_string()));
            }
        }
    }
    let hashed = crate::parallel::parallel(
        jobs.len(),
        0,
        Vec::new,
        |done: &mut Vec<(usize, Option<Result<String, String>>)>, i| {
            let hash = logs.get(&jobs[i].2).map(|path| {
                content(path, source::DEFAULT_MAX_FILE_SIZE)
                    .map(|bytes| hex(&Sha256::digest(&bytes)))
            });
            done.push((i, hash));
        },
    );
    let mut hashed: Vec<(usize, Option<Result<String, String>>)> =
        hashed.into_iter().flatten().collect();
    hashed.sort_by_key(|(i, _)| *i);
    for ((digest_key, entry, key), (_, hash)) in jobs.iter().zip(hashed) {
        match hash {
            None => report.findings.push(Finding::Missing {
                file: key.clone(),
                digest: (*digest_key).clone(),
            }),
            Some(Ok(hash)) if hash == entry.hash_value => report.verified_files += 1,
            Some(Ok(_)) => report.findings.push(Finding::Modified {
                file: key.clone(),
                digest: (*digest_key).clone(),
            }),
            Some(Err(reason)) => report.findings.push(Finding::Unreadable {
                file: key.clone(),
                reason,
            }),
        }
    }
    covered
}

/// Every log file no digest lists (a README beside them is no log file).
fn not_covered(logs: &Keyed, digests: &Digests, covered: &BTreeSet<String>, report: &mut Report) {
    let last_end = digests
        .values()
        .filter_map(|(d, _)| crate::event::parse_time(&d.digest_end_time))
        .max();
    let mut uncovered = 0;
    for (key, path) in logs.iter().filter(|(k, _)| !covered.contains(*k)) {
        if !looks_like_json(path) {
            continue;
        }
        uncovered += 1;
        // Delivered after the newest digest's end: the next digest would list it.
        let after_last_digest = match (last_end, delivery_time(key)) {
            (Some(end), Some(t)) => t >= end,
            _ => false,
        };
        report.findings.push(Finding::NotCovered {
            file: key.clone(),
            after_last_digest,
        });
    }
    report.log_files = logs.keys().filter(|k| covered.contains(*k)).count() + uncovered;
}

/// Each digest's previous one must be here, with the hash it lists; returns the
/// signatures the later digests repeat, by digest.
fn check_chain(digests: &Digests, report: &mut Report) -> BTreeMap<String, String> {
    let mut signatures: BTreeMap<String, String> = BTreeMap::new();
    for (digest_key, (digest, _)) in digests {
        let Some(previous) = digest.previous_digest_s3_object.as_deref().and_then(key_of) else {
            continue;
        };
        if let Some(signature) = &digest.previous_digest_signature {
            signatures.insert(previous.to_string(), signature.clone());
        }
        match digests.get(previous) {
            None => report.findings.push(Finding::ChainBreak {
                digest: digest_key.clone(),
                previous: previous.to_string(),
            }),
            Some((_, hash)) if Some(hash) == digest.previous_digest_hash_value.as_ref() => {
                report.verified_digests += 1
            }
            Some(_) => report.findings.push(Finding::DigestModified {
                digest: previous.to_string(),
                next: digest_key.clone(),
            }),
        }
    }
    signatures
}

fn check_signatures(
    report: &mut Report,
    digests: &BTreeMap<String, (DigestFile, String)>,
    signatures: &BTreeMap<String, String>,
    keys: Option<&Path>,
) {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::signature::Verifier;
    let Some(keys) = keys else {
        report.not_checked.push(
            "signatures: give the public keys (aws cloudtrail list-public-keys … > keys.json; \
             --public-keys keys.json)"
                .into(),
        );
        return;
    };
    let parsed = std::fs::read(keys)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice::<PublicKeys>(&b).map_err(|e| e.to_string()));
    let keys = match parsed {
        Ok(keys) => keys.public_key_list,
        Err(reason) => {
            report.findings.push(Finding::Unreadable {
                file: keys.display().to_string(),
                reason,
            });
            return;
        }
    };
    let unsigned = digests.len() - signatures.len().min(digests.len());
    for (key, (digest, hash)) in digests {
        let Some(signature) = signatures.get(key) else {
            continue;
        };
        let fingerprint = digest
            .digest_public_key_fingerprint
            .clone()
            .unwrap_or_default();
        let Some(public) = keys.iter().find(|k| k.fingerprint == fingerprint) else {
            report.findings.push(Finding::UnknownKey {
                digest: key.clone(),
                fingerprint,
            });
            continue;
        };
        use base64::Engine as _;
        let verified = base64::engine::general_purpose::STANDARD
            .decode(public.value.trim())
            .ok()
            .and_then(|der| rsa::RsaPublicKey::from_pkcs1_der(&der).ok())
            .zip(decode_hex(signature))
            .is_some_and(|(public, signature)| {
                let Ok(signature) = rsa::pkcs1v15::Signature::try_from(signature.as_slice()) else {
                    return false;
                };
                let message = signing_string_of(digest, hash);
                rsa::pkcs1v15::VerifyingKey::<Sha256>::new(public)
                    .verify(message.as_bytes(), &signature)
                    .is_ok()
            });
        if verified {
            report.signatures_checked += 1;
        } else {
            report.findings.push(Finding::BadSignature {
                digest: key.clone(),
            });
        }
    }
    if unsigned > 0 {
        report.not_checked.push(format!(
            "signatures of {unsigned} digests: their signature is in S3 metadata only (no later digest here repeats it)"
        ));
    }
}

/// The string CloudTrail signs: end time, S3 path, the digest's SHA-256, the previous
/// signature (`null` for the first digest).
pub fn signing_string(
    digest_end: &str,
    s3_path: &str,
    hash: &str,
    previous: Option<&str>,
) -> String {
    format!(
        "{digest_end}\n{s3_path}\n{hash}\n{}",
        previous.unwrap_or("null")
    )
}

fn signing_string_of(digest: &DigestFile, hash: &str) -> String {
    signing_string(
        &digest.digest_end_time,
        &format!("{}/{}", digest.digest_s3_bucket, digest.digest_s3_object),
        hash,
        digest.previous_digest_signature.as_deref(),
    )
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The largest digest file read: a real one lists an hour of log files in a few KB.
const MAX_DIGEST: u64 = 64 << 20;

/// The uncompressed content of a file (gzip or plain), bounded like every input: a
/// regular file of at most `max` bytes as stored, inflating to at most the input limit.
fn content(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let stored = crate::files::read_regular(path, max).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    let name = path.display().to_string();
    let inflated = source::inflate(
        &name,
        &stored,
        source::DEFAULT_MAX_FILE_SIZE,
        &mut buf,
        &mut || {},
    );
    if let Some(damage) = inflated.damage {
        return Err(damage.to_string());
    }
    Ok(inflated.text.to_vec())
}

/// The delivery time in a CloudTrail file name (`…_20240502T1405Z_…`).
fn delivery_time(key: &str) -> Option<i64> {
    let name = key.rsplit('/').next()?;
    let stamp = name
        .split('_')
        .find(|p| p.len() == 14 && p.as_bytes().get(8) == Some(&b'T'))?;
    let t = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%MZ").ok()?;
    Some(t.and_utc().timestamp_millis())
}
