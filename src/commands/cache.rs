//! `trailscope cache`: the saved indexes listed with their trails, or removed.

use anyhow::{bail, Context};

use super::Status;
use crate::cli::{CacheArgs, LoadArgs};
use trailscope::text::sanitize;

/// `trailscope cache`: the saved indexes, newest first, each with the folder of its trail;
/// `--clear` removes them.
pub(super) fn cache(args: CacheArgs, load: &LoadArgs) -> anyhow::Result<Status> {
    use trailscope::load::cache;
    let Some(dir) = load.index_dir() else {
        bail!("saved indexes are off (--no-index-cache)");
    };
    let found = cache::list(&dir);
    let mib = |bytes: u64| format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64);
    let shown = sanitize(&dir.display().to_string()).into_owned();
    if args.clear {
        for (path, _, _) in &found {
            std::fs::remove_file(path)
                .with_context(|| format!("removing {}", sanitize(&path.display().to_string())))?;
        }
        let total = found.iter().map(|f| f.1).sum();
        println!(
            "removed {} saved {} ({}) from {shown}",
            found.len(),
            indexes(found.len()),
            mib(total)
        );
        return Ok(Status::Ok);
    }
    println!(
        "saved indexes in {shown} (at most {} GiB, the oldest go first):",
        cache::MAX_BYTES >> 30
    );
    for (path, size, used) in &found {
        let trail = match cache::inputs_of(path) {
            Ok(entries) => {
                let folder = common_folder(entries.iter().map(|e| e.path.as_path()));
                format!(
                    "{} ({} files)",
                    sanitize(&folder.display().to_string()),
                    trailscope::text::thousands(entries.len())
                )
            }
            Err(e) => format!("unreadable: {e}"),
        };
        let used = chrono::DateTime::<chrono::Utc>::from(*used).format("%Y-%m-%d %H:%M");
        println!("  {:>10}  last used {used}  {trail}", mib(*size));
    }
    let total = found.iter().map(|f| f.1).sum();
    println!(
        "{} in {} {}; `trailscope cache --clear` removes them",
        mib(total),
        found.len(),
        indexes(found.len())
    );
    Ok(Status::Ok)
}

fn indexes(n: usize) -> &'static str {
    if n == 1 {
        "index"
    } else {
        "indexes"
    }
}

/// The deepest folder holding every one of `paths`.
fn common_folder<'a>(paths: impl Iterator<Item = &'a std::path::Path>) -> std::path::PathBuf {
    let mut common: Option<std::path::PathBuf> = None;
    for path in paths {
        let folder = path.parent().unwrap_or(path);
        common = Some(match common {
            None => folder.to_path_buf(),
            Some(c) => c
                .ancestors()
                .find(|a| folder.starts_with(a))
                .unwrap_or(std::path::Path::new("/"))
                .to_path_buf(),
        });
    }
    common.unwrap_or_default()
}
