//! Following identities over the 1M-event index: building the credential chains (against
//! the load they are part of, same run), `origin:`, the overview, and `new:ip`.
//! `cargo bench --bench identity` (see BENCHMARKS.md).

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use trailscope::load::{LoadOptions, Progress};
use trailscope::store::{Col, Provenance, Session, Store};

mod common;

fn identity(c: &mut Criterion) {
    let store = common::store();
    let all: Vec<u32> = (0..store.len() as u32).collect();

    let mut group = c.benchmark_group("identity_1m");
    group.bench_function("build the credential chains (Provenance::build)", |b| {
        b.iter(|| Provenance::build(&store))
    });
    let _ = store.provenance();
    for (label, text) in [
        ("origin:alice* (chains built)", "origin:alice*"),
        ("new:ip (first uses cached)", "new:ip"),
        ("baseline: field principal:alice*", "principal:alice*"),
    ] {
        let expr = trailscope::query::parse(text).expect("valid filter");
        group.bench_function(label, |b| {
            b.iter(|| expr.rows(&store, &Session::default()).len())
        });
    }
    group.bench_function("new:ip first uses, uncached (Store::first_uses)", |b| {
        b.iter(|| store.first_uses(Col::Ip).len())
    });
    group.bench_function("overview of all 1M events (top 5 per field)", |b| {
        b.iter(|| trailscope::overview::overview(&store, &all, 5))
    });
    group.finish();

    // The load the chains are built after, in the same run: what "adds ≤ 5 %" is against.
    let mut load = c.benchmark_group("identity_1m_load");
    load.sample_size(10)
        .measurement_time(Duration::from_secs(30));
    let dir = std::env::var_os("TRAILSCOPE_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("bench-data/1m"));
    load.bench_function("baseline: load 1M events", |b| {
        b.iter(|| {
            let (store, _) = Store::load_paths(
                std::slice::from_ref(&dir),
                &LoadOptions::default(),
                &Progress::default(),
            );
            store.len()
        })
    });
    load.finish();
}

criterion_group!(benches, identity);
criterion_main!(benches);
