//! Helpers shared by the integration tests.
#[cfg(feature = "tui")]
pub mod app;
pub mod input;
#[cfg(feature = "tui")]
pub mod screen;
pub mod tmux;

/// A folder under `tests/fixtures`.
#[allow(dead_code)]
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Makes a FIFO at `path`: what a hostile folder plants where a file is expected.
#[allow(dead_code)]
pub fn mkfifo(path: &std::path::Path) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .expect("mkfifo");
}

/// The demo's delivery files (`.json.gz`), in path order.
#[allow(dead_code)]
pub fn demo_deliveries() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".json.gz") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
