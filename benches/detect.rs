//! Every shipped Sigma rule over the 1M-event index, against one full-text scan of the same
//! index in the same run. `cargo bench --bench detect` (see BENCHMARKS.md).

use std::time::Duration;
use trailscope::store::Session;

use criterion::{criterion_group, criterion_main, Criterion};
use trailscope::detect::{self, RuleSet};

mod common;

fn detections(c: &mut Criterion) {
    let store = common::store();
    let rules = RuleSet::shipped();
    assert!(rules.problems.is_empty());
    let mut group = c.benchmark_group("detect_1m");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function(format!("all {} shipped rules", rules.rules.len()), |b| {
        b.iter(|| detect::run(&store, &rules).len())
    });
    let one = RuleSet {
        rules: rules
            .rules
            .iter()
            .filter(|r| r.title == "CloudTrail Logging Stopped")
            .cloned()
            .collect(),
        problems: Vec::new(),
        own_levels: false,
    };
    group.bench_function("one rule (CloudTrail Logging Stopped)", |b| {
        b.iter(|| detect::run(&store, &one).len())
    });
    // The baseline: reading every event once, as a full-text filter does.
    let expr = trailscope::query::parse("\"AdministratorAccess\"").expect("valid filter");
    group.bench_function("baseline: full text \"AdministratorAccess\"", |b| {
        b.iter(|| expr.rows(&store, &Session::default()).len())
    });
    group.finish();
}

criterion_group!(benches, detections);
criterion_main!(benches);
