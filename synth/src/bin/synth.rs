//! Writes a synthetic CloudTrail data set for benchmarks:
//! `cargo run --release -p trailscope-synth --bin synth -- EVENTS OUT_DIR [SEED]`
//! `[--days N] [--habits] [--attack escalate|exfiltrate|evade|recon]...`:
//! `--days` spreads the events over N days, `--habits` gives each principal its own calls,
//! addresses and agents, and each `--attack` adds a scripted attack (see `scripted.rs`).

use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut positional = Vec::new();
    let mut config = trailscope_synth::Config::default();
    let mut attacks = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--days" => config.days = args.next().unwrap_or_default().parse()?,
            "--habits" => config.habits = true,
            "--attack" => attacks.push(args.next().unwrap_or_default()),
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    config.events = positional
        .next()
        .unwrap_or_else(|| "1000000".into())
        .parse()?;
    let out = PathBuf::from(positional.next().unwrap_or_else(|| "bench-data/1m".into()));
    config.seed = positional.next().unwrap_or_else(|| "1".into()).parse()?;
    let start = Instant::now();
    let summary = trailscope_synth::generate(&config, &out)?;
    let mut attacked = 0;
    for script in &attacks {
        attacked += trailscope_synth::scripted::attack(&config, &out, script)?;
    }
    eprintln!(
        "wrote {} events in {} files ({:.2} GB of JSON) to {} in {:.1} s{}",
        summary.events,
        summary.files,
        summary.json_bytes as f64 / 1e9,
        out.display(),
        start.elapsed().as_secs_f64(),
        if attacked > 0 {
            format!(", and {attacked} events of {}", attacks.join(", "))
        } else {
            String::new()
        }
    );
    Ok(())
}
