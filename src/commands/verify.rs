//! `trailscope verify`: the evidence against its digests, each finding on a line.

use super::{to_stdout, Status, Usage};
use crate::cli::VerifyArgs;
use trailscope::text::sanitize;

/// `verify`: each finding on a line, then what was verified and what could not be checked.
pub(super) fn verify(args: VerifyArgs) -> anyhow::Result<Status> {
    use trailscope::verify::Finding;
    if args.paths.is_empty() {
        return Err(anyhow::Error::new(Usage(
            "verify needs the folder of the trail (log files and digests)",
        )));
    }
    let report = trailscope::verify::verify(&args.paths, args.public_keys.as_deref());
    to_stdout(|out| {
        for finding in &report.findings {
            let (kind, text) = match finding {
                Finding::Modified { file, digest } => (
                    "MODIFIED",
                    format!("{file} (its hash is not the one {digest} lists)"),
                ),
                Finding::Missing { file, digest } => {
                    ("MISSING", format!("{file} (listed by {digest})"))
                }
                Finding::DigestModified { digest, next } => (
                    "DIGEST MODIFIED",
                    format!("{digest} (its hash is not the one {next} lists)"),
                ),
                Finding::ChainBreak { digest, previous } => (
                    "CHAIN BREAK",
                    format!("{previous} is absent ({digest} follows it): a digest was deleted"),
                ),
                Finding::BadSignature { digest } => ("BAD SIGNATURE", digest.clone()),
                Finding::UnknownKey {
                    digest,
                    fingerprint,
                } => (
                    "UNKNOWN KEY",
                    format!("{digest} (fingerprint {fingerprint} is not in the keys given)"),
                ),
                Finding::NotCovered {
                    file,
                    after_last_digest: true,
                } => (
                    "NOT COVERED",
                    format!("{file} (delivered after the newest digest: the digest that would list it is not among the inputs)"),
                ),
                Finding::NotCovered { file, .. } => {
                    ("NOT COVERED", format!("{file} (no digest lists it)"))
                }
                Finding::Unreadable { file, reason } => ("UNREADABLE", format!("{file}: {reason}")),
            };
            writeln!(out, "{kind:<16} {}", sanitize(&text))?;
        }
        if report.digests == 0 {
            writeln!(
                out,
                "NOT VERIFIED: nothing could be verified: no digest files among the {} files",
                report.log_files
            )?;
        } else {
            let backfill = match report.backfill_digests {
                0 => String::new(),
                n => format!(" ({n} backfill)"),
            };
            writeln!(
                out,
                "{}: {} of {} log files and {} of {} digests{backfill} verified, {} signatures checked",
                if report.ok() {
                    "verified"
                } else {
                    "NOT VERIFIED"
                },
                report.verified_files,
                report.log_files,
                report.verified_digests,
                report.digests,
                report.signatures_checked
            )?;
        }
        for what in &report.not_checked {
            writeln!(out, "not checked: {}", sanitize(what))?;
        }
        Ok(())
    })?;
    Ok(if report.ok() {
        Status::Ok
    } else {
        Status::Unverified
    })
}
