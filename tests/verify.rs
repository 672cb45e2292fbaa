//! `trailscope verify` on trails built here with digest files computed as CloudTrail makes
//! them (SHA-256 of each uncompressed log file, the chain of digest hashes, RSA-SHA256
//! signatures with a test key), and tampered copies of them.

mod common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use flate2::write::GzEncoder;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::signature::{SignatureEncoding, Signer};
use sha2::{Digest, Sha256};

const ACCOUNT: &str = "111122223333";
const BUCKET: &str = "org-trail-bucket";
const FINGERPRINT: &str = "31e8b5433410dfb61a9dc45cc65b22ff";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

fn log_key(stamp: &str, n: usize) -> String {
    format!("AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2024/05/02/{ACCOUNT}_CloudTrail_us-east-1_{stamp}_file{n}.json.gz")
}

fn digest_key(stamp: &str) -> String {
    format!("AWSLogs/{ACCOUNT}/CloudTrail-Digest/us-east-1/2024/05/02/{ACCOUNT}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_{stamp}.json.gz")
}

fn log_content(n: usize) -> String {
    format!(
        r#"{{"Records":[{{"eventVersion":"1.08","eventTime":"2024-05-02T14:0{n}:00Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","eventID":"v{n}","recipientAccountId":"{ACCOUNT}","userIdentity":{{"type":"IAMUser","userName":"alice"}}}}]}}"#
    )
}

/// A trail of four log files and two chained, signed digests: the first lists files 1 and
/// 2, the second file 3; file 4 was delivered after the second digest's hour. Returns the
/// folder and the public keys file.
fn trail(dir: &Path) -> PathBuf {
    let key_pem = fs::read_to_string(common::fixture("digests/test-signing-key.pem")).expect("key");
    let private = rsa::RsaPrivateKey::from_pkcs1_pem(&key_pem).expect("a PKCS#1 key");
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(private.clone());
    let write = |key: &str, plain: &[u8]| {
        let path = dir.join(key);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, gzip(plain)).expect("write");
    };
    let logs = [
        (1, "20240502T1405Z"),
        (2, "20240502T1410Z"),
        (3, "20240502T1505Z"),
        (4, "20240502T1610Z"),
    ];
    for (n, stamp) in logs {
        write(&log_key(stamp, n), log_content(n).as_bytes());
    }
    let entry = |n: usize, stamp: &str| {
        serde_json::json!({
            "s3Bucket": BUCKET,
            "s3Object": log_key(stamp, n),
            "hashValue": hex(&Sha256::digest(log_content(n).as_bytes())),
            "hashAlgorithm": "SHA-256",
        })
    };
    let mut previous: Option<(String, String, String)> = None; // key, hash, signature
    for (end, files) in [
        (
            "20240502T1501Z",
            vec![entry(1, logs[0].1), entry(2, logs[1].1)],
        ),
        ("20240502T1601Z", vec![entry(3, logs[2].1)]),
    ] {
        let end_time = format!("2024-05-02T{}:{}:00Z", &end[9..11], &end[11..13]);
        let key = digest_key(end);
        let digest = serde_json::json!({
            "awsAccountId": ACCOUNT,
            "digestStartTime": "2024-05-02T14:01:00Z",
            "digestEndTime": end_time,
            "digestS3Bucket": BUCKET,
            "digestS3Object": key,
            "digestPublicKeyFingerprint": FINGERPRINT,
            "digestSignatureAlgorithm": "SHA256withRSA",
            "previousDigestS3Bucket": previous.as_ref().map(|_| BUCKET),
            "previousDigestS3Object": previous.as_ref().map(|p| p.0.clone()),
            "previousDigestHashValue": previous.as_ref().map(|p| p.1.clone()),
            "previousDigestHashAlgorithm": previous.as_ref().map(|_| "SHA-256"),
            "previousDigestSignature": previous.as_ref().map(|p| p.2.clone()),
            "logFiles": files,
        });
        let bytes = serde_json::to_vec(&digest).expect("json");
        write(&key, &bytes);
        let hash = hex(&Sha256::digest(&bytes));
        let signing = trailscope::verify::signing_string(
            &end_time,
            &format!("{BUCKET}/{key}"),
            &hash,
            previous.as_ref().map(|p| p.2.as_str()),
        );
        let signature = hex(&signer.sign(signing.as_bytes()).to_bytes());
        previous = Some((key, hash, signature));
    }
    let public = private.to_public_key().to_pkcs1_der().expect("der");
    let keys = dir.join("keys.json");
    fs::write(
        &keys,
        serde_json::json!({"PublicKeyList": [{
            "Value": base64::engine::general_purpose::STANDARD.encode(public.as_bytes()),
            "ValidityStartTime": "2024-01-01T00:00:00Z",
            "ValidityEndTime": "2025-01-01T00:00:00Z",
            "Fingerprint": FINGERPRINT,
        }]})
        .to_string(),
    )
    .expect("keys");
    keys
}

fn verify(dir: &Path, keys: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .arg("verify")
        .arg(dir.join("AWSLogs"))
        .arg("--public-keys")
        .arg(keys)
        .output()
        .expect("run trailscope");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn an_untouched_trail_verifies_with_its_signature() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keys = trail(dir.path());
    // File 4 was delivered after the newest digest: until its digest is here, it is not
    // verified, and `verify` says so.
    let (code, out) = verify(dir.path(), &keys);
    assert_eq!(
        out,
        format!(
            "NOT COVERED      {} (delivered after the newest digest: the digest that would list it is not among the inputs)\n\
             NOT VERIFIED: 3 of 4 log files and 1 of 2 digests verified, 1 signatures checked\n\
             not checked: signatures of 1 digests: their signature is in S3 metadata only (no later digest here repeats it)\n",
            log_key("20240502T1610Z", 4)
        )
    );
    assert_eq!(code, Some(4));
    fs::remove_file(dir.path().join(log_key("20240502T1610Z", 4))).expect("rm");
    let (code, out) = verify(dir.path(), &keys);
    assert_eq!(
        out,
        "verified: 3 of 3 log files and 1 of 2 digests verified, 1 signatures checked\n\
         not checked: signatures of 1 digests: their signature is in S3 metadata only (no later digest here repeats it)\n"
    );
    assert_eq!(code, Some(0));
}

#[test]
fn a_file_outside_the_trail_layout_is_not_covered_and_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keys = trail(dir.path());
    fs::remove_file(dir.path().join(log_key("20240502T1610Z", 4))).expect("rm");
    // An extra file holding events, in a folder of its own, named like nothing CloudTrail
    // delivers; and a README, which is no log file.
    let extra = dir.path().join("AWSLogs/extra/attack.json");
    fs::create_dir_all(extra.parent().expect("parent")).expect("mkdir");
    fs::write(&extra, log_content(7)).expect("write");
    fs::write(dir.path().join("AWSLogs/README.md"), "# evidence\n").expect("write");
    let (code, out) = verify(dir.path(), &keys);
    assert_eq!(code, Some(4), "{out}");
    let extra_name = extra.to_string_lossy().replace('\\', "/");
    let extra_key = &extra_name[extra_name.find("AWSLogs/").expect("AWSLogs")..];
    assert!(
        out.starts_with(&format!(
            "NOT COVERED      {extra_key} (no digest lists it)\n"
        )),
        "{out}"
    );
    assert!(
        out.contains("NOT VERIFIED: 3 of 4 log files and 1 of 2 digests verified"),
        "{out}"
    );
    let report = trailscope::verify::verify(&[dir.path().join("AWSLogs")], Some(&keys));
    assert_eq!(
        trailscope::verify::status(&report),
        "evidence NOT verified: 3 of 4 inputs verified; 1 not covered: attack.json (trailscope verify)"
    );
}

#[test]
fn a_folder_without_digests_verifies_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    for n in 1..=2 {
        let path = dir.path().join(format!("logs/{n}.json"));
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, log_content(n)).expect("write");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .arg("verify")
        .arg(dir.path().join("logs"))
        .output()
        .expect("run trailscope");
    // Nothing to list file by file: the one outcome.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "NOT VERIFIED: nothing could be verified: no digest files among the 2 files\n"
    );
    assert_eq!(out.status.code(), Some(4));
    let report = trailscope::verify::verify(&[dir.path().join("logs")], None);
    assert_eq!(
        trailscope::verify::status(&report),
        "no digests: nothing could be verified"
    );
}

#[test]
fn a_backfill_digest_covers_the_files_it_lists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keys = trail(dir.path());
    // File 4 came late: CloudTrail lists it in a backfill digest, named as AWS documents.
    let key = digest_key("20240502T1701Z").replace(".json.gz", "_backfill.json.gz");
    let digest = serde_json::json!({
        "awsAccountId": ACCOUNT,
        "digestStartTime": "2024-05-02T16:01:00Z",
        "digestEndTime": "2024-05-02T17:01:00Z",
        "digestS3Bucket": BUCKET,
        "digestS3Object": key,
        "digestPublicKeyFingerprint": FINGERPRINT,
        "digestSignatureAlgorithm": "SHA256withRSA",
        "logFiles": [{
            "s3Bucket": BUCKET,
            "s3Object": log_key("20240502T1610Z", 4),
            "hashValue": hex(&Sha256::digest(log_content(4).as_bytes())),
            "hashAlgorithm": "SHA-256",
        }],
    });
    let path = dir.path().join(&key);
    fs::write(path, gzip(&serde_json::to_vec(&digest).expect("json"))).expect("write");
    let (code, out) = verify(dir.path(), &keys);
    assert_eq!(
        out.lines().next(),
        Some("verified: 4 of 4 log files and 1 of 3 digests (1 backfill) verified, 1 signatures checked"),
        "{out}"
    );
    assert_eq!(code, Some(0));
}

/// What is done to a copy of the trail, and the lines `verify` must print for it.
type Tampering<'a> = (&'a str, &'a dyn Fn(&Path), &'a [&'a str]);

#[test]
fn each_kind_of_tampering_is_named() {
    let cases: [Tampering; 5] = [
        ("a modified log file", &|d| {
            let path = d.join(log_key("20240502T1410Z", 2));
            fs::write(path, gzip(log_content(2).replace("alice", "mallory").as_bytes())).expect("write");
        }, &["MODIFIED         AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/02/111122223333_CloudTrail_us-east-1_20240502T1410Z_file2.json.gz"]),
        ("a deleted log file", &|d| {
            fs::remove_file(d.join(log_key("20240502T1405Z", 1))).expect("rm");
        }, &["MISSING          AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/02/111122223333_CloudTrail_us-east-1_20240502T1405Z_file1.json.gz"]),
        ("a deleted digest", &|d| {
            fs::remove_file(d.join(digest_key("20240502T1501Z"))).expect("rm");
        }, &[
            "CHAIN BREAK      AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/02/111122223333_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20240502T1501Z.json.gz is absent",
            "NOT COVERED      AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/02/111122223333_CloudTrail_us-east-1_20240502T1405Z_file1.json.gz",
        ]),
        ("an extra log file", &|d| {
            let path = d.join(log_key("20240502T1420Z", 5));
            fs::write(path, gzip(log_content(5).as_bytes())).expect("write");
        }, &["NOT COVERED      AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/02/111122223333_CloudTrail_us-east-1_20240502T1420Z_file5.json.gz (no digest lists it)"]),
        ("a modified digest", &|d| {
            let path = d.join(digest_key("20240502T1501Z"));
            let text = String::from_utf8(trailscope_gunzip(&fs::read(&path).expect("read"))).expect("utf8");
            fs::write(path, gzip(text.replace("14:01:00", "13:01:00").as_bytes())).expect("write");
        }, &["DIGEST MODIFIED  AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/02/111122223333_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20240502T1501Z.json.gz", "BAD SIGNATURE    AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/02/111122223333_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20240502T1501Z.json.gz"]),
    ];
    for (what, tamper, expected) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let keys = trail(dir.path());
        tamper(dir.path());
        let (code, out) = verify(dir.path(), &keys);
        assert_eq!(code, Some(4), "{what}: {out}");
        for line in expected {
            assert!(
                out.lines().any(|l| l.starts_with(line)),
                "{what}: {line}\n{out}"
            );
        }
        assert!(out.contains("NOT VERIFIED: "), "{what}: {out}");
    }
}

fn trailscope_gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gunzip");
    out
}

#[test]
fn the_explorer_status_says_what_verify_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keys = trail(dir.path());
    let report = trailscope::verify::verify(&[dir.path().join("AWSLogs")], Some(&keys));
    assert_eq!(
        trailscope::verify::status(&report),
        "evidence NOT verified: 3 of 4 inputs verified; 1 not covered: 111122223333_CloudTrail_us-east-1_20240502T1610Z_file4.json.gz (trailscope verify)"
    );
    fs::remove_file(dir.path().join(log_key("20240502T1610Z", 4))).expect("rm");
    let report = trailscope::verify::verify(&[dir.path().join("AWSLogs")], Some(&keys));
    assert_eq!(
        trailscope::verify::status(&report),
        "evidence verified: 3 of 3 inputs against 2 digests"
    );
    fs::remove_file(dir.path().join(log_key("20240502T1405Z", 1))).expect("rm");
    fs::write(dir.path().join(log_key("20240502T1420Z", 5)), gzip(b"{}")).expect("write");
    let report = trailscope::verify::verify(&[dir.path().join("AWSLogs")], Some(&keys));
    assert_eq!(
        trailscope::verify::status(&report),
        "evidence NOT verified: 2 of 3 inputs verified; 1 missing, 1 not covered: 111122223333_CloudTrail_us-east-1_20240502T1405Z_file1.json.gz, 111122223333_CloudTrail_us-east-1_20240502T1420Z_file5.json.gz (trailscope verify)"
    );
}

/// A digest of 3 GB (sparse) is refused by its size, not read; a log file a digest lists
/// 400 times is hashed and counted once.
#[test]
fn digests_are_bounded_and_a_listing_counts_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let keys = trail(dir.path());
    fs::remove_file(dir.path().join(log_key("20240502T1610Z", 4))).expect("rm");
    let huge = dir.path().join(digest_key("20240502T1801Z"));
    fs::File::create(&huge)
        .and_then(|f| f.set_len(3 << 30))
        .expect("sparse");
    let entry = serde_json::json!({
        "s3Bucket": BUCKET,
        "s3Object": log_key("20240502T1505Z", 3),
        "hashValue": hex(&Sha256::digest(log_content(3).as_bytes())),
        "hashAlgorithm": "SHA-256",
    });
    let key = digest_key("20240502T1701Z");
    let digest = serde_json::json!({
        "awsAccountId": ACCOUNT,
        "digestStartTime": "2024-05-02T16:01:00Z",
        "digestEndTime": "2024-05-02T17:01:00Z",
        "digestS3Bucket": BUCKET,
        "digestS3Object": key,
        "logFiles": vec![entry; 400],
    });
    fs::write(
        dir.path().join(&key),
        gzip(&serde_json::to_vec(&digest).expect("json")),
    )
    .expect("write");
    let started = std::time::Instant::now();
    let (code, out) = verify(dir.path(), &keys);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(code, Some(4), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("UNREADABLE")
            && l.contains("20240502T1801Z")
            && l.ends_with(&format!(
                "{} bytes, more than the {} it may have",
                3u64 << 30,
                64u64 << 20
            ))),
        "{out}"
    );
    assert!(out.contains("NOT VERIFIED: 3 of 3 log files"), "{out}");
}
