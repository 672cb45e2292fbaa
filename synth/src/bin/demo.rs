//! Regenerates the built-in demo investigation under `assets/demo/`:
//! `cargo run --release -p trailscope-synth --bin demo`.

use std::path::Path;

fn main() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo");
    if root.exists() {
        std::fs::remove_dir_all(&root)?;
    }
    let events = trailscope_synth::demo::generate(&root)?;
    eprintln!("wrote {events} events under {}", root.display());
    Ok(())
}
