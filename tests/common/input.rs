//! Building broken and hostile inputs, loading them, running the binary on them: shared
//! by the hostile-input and filesystem tests.
#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use flate2::write::GzEncoder;
use flate2::Compression;

use trailscope::load::{LoadOptions, LoadReport, Progress};
use trailscope::store::Store;

pub fn event(id: &str, time: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","userName":"alice"}},"eventTime":"{time}","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","eventID":"{id}","recipientAccountId":"111122223333"}}"#
    )
}

pub fn records(n: usize) -> String {
    let events: Vec<String> = (0..n)
        .map(|i| {
            event(
                &format!("e{i}"),
                &format!("2024-05-03T14:{:02}:{:02}Z", i / 60 % 60, i % 60),
            )
        })
        .collect();
    format!("{{\"Records\":[{}]}}", events.join(","))
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}

pub struct Case {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn case(name: &str, bytes: &[u8]) -> Case {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    fs::write(&path, bytes).expect("write case");
    Case { dir, path }
}

pub fn load(path: &Path) -> (Store, LoadReport) {
    Store::load_paths(
        &[path.to_path_buf()],
        &LoadOptions::default(),
        &Progress::default(),
    )
}

pub fn problems(report: &LoadReport, dir: &Path) -> Vec<String> {
    let prefix = format!("{}/", dir.display());
    report
        .problems()
        .map(|p| p.to_string().replace(&prefix, ""))
        .collect()
}

/// Runs the binary, its saved indexes in a folder of this test process; (stdout, stderr
/// with the temp dir removed, exit status).
pub fn run(args: &[&str], dir: &Path) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(args)
        .env(
            "XDG_CACHE_HOME",
            std::env::temp_dir().join(format!("trailscope-test-cache-{}", std::process::id())),
        )
        .output()
        .expect("run trailscope");
    let prefix = format!("{}/", dir.display());
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).replace(&prefix, ""),
        out.status.code(),
    )
}
