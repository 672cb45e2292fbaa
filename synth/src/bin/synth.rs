//! Writes a synthetic CloudTrail data set for benchmarks:
//! `cargo run --release -p trailscope-synth --bin synth -- EVENTS OUT_DIR [SEED]`.

use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let events: usize = args.next().unwrap_or_else(|| "1000000".into()).parse()?;
    let out = PathBuf::from(args.next().unwrap_or_else(|| "bench-data/1m".into()));
    let seed: u64 = args.next().unwrap_or_else(|| "1".into()).parse()?;
    let start = Instant::now();
    let config = trailscope_synth::Config {
        events,
        seed,
        ..Default::default()
    };
    let summary = trailscope_synth::generate(&config, &out)?;
    eprintln!(
        "wrote {} events in {} files ({:.2} GB of JSON) to {} in {:.1} s",
        summary.events,
        summary.files,
        summary.json_bytes as f64 / 1e9,
        out.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
