//! Shared by the benches: the generated data set they run on.

use std::path::PathBuf;
use std::time::Instant;

use trailscope::load::{LoadOptions, Progress};
use trailscope::store::Store;

/// The data set: `$TRAILSCOPE_BENCH_DATA`, else `bench-data/1m`, generated (1M events,
/// seed 1) when missing.
pub fn store() -> Store {
    store_with(LoadOptions::default())
}

/// The data set loaded with `options`.
pub fn store_with(options: LoadOptions) -> Store {
    let dir = std::env::var_os("TRAILSCOPE_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("bench-data/1m"));
    if !dir.exists() {
        eprintln!("generating 1,000,000 events into {}", dir.display());
        let config = trailscope_synth::Config {
            events: 1_000_000,
            ..Default::default()
        };
        if let Err(err) = trailscope_synth::generate(&config, &dir) {
            panic!("cannot generate {}: {err}", dir.display());
        }
    }
    let start = Instant::now();
    let (store, _) = Store::load_paths(&[dir], &options, &Progress::default());
    eprintln!(
        "loaded {} events in {:.2} s",
        store.len(),
        start.elapsed().as_secs_f64()
    );
    store
}
