//! Embeds the demo investigation under `assets/demo/` and the shipped Sigma rules under
//! `assets/sigma/` into the binary, so `trailscope` with no PATH opens the demo anywhere and
//! detections run without any file beside the binary, also after `cargo install`.

use std::fs;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

/// Writes `OUT_DIR/{out}`: a static `(name, contents)` table of the files under
/// `assets/{dir}` ending in `.{extension}`, included as bytes or as text.
fn embed(dir: &str, extension: &str, out: &str, text: bool) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(dir);
    println!("cargo:rerun-if-changed=assets/{dir}");
    let mut files = Vec::new();
    walk(&root, extension, &mut files);
    let (kind, include) = if text {
        ("&str", "include_str")
    } else {
        ("&[u8]", "include_bytes")
    };
    let mut code = format!("pub static FILES: &[(&str, {kind})] = &[\n");
    for file in &files {
        let name = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({name:?}, {include}!({:?})),\n",
            file.to_string_lossy()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join(out);
    if let Err(err) = fs::write(&out, code) {
        panic!("cannot write {}: {err}", out.display());
    }
}

fn main() {
    embed("demo", "gz", "demo_files.rs", false);
    embed("sigma", "yml", "sigma_files.rs", true);
}
