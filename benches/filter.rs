//! Filters over the 1M-event index: column fields, fuzzy words, principals, full text.
//! `cargo bench --bench filter` (see BENCHMARKS.md).

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use trailscope::query::fuzzy;
use trailscope::store::{Col, Session};

mod common;

fn filters(c: &mut Criterion) {
    let store = common::store();
    let mut group = c.benchmark_group("filter_1m");
    for (label, text) in [
        ("field name:CreateAccessKey", "name:CreateAccessKey"),
        ("fuzzy word crtacckey", "crtacckey"),
        ("principal:alice", "principal:alice"),
        ("ip CIDR 203.0.0.0/8", "ip:203.0.0.0/8"),
        ("origin:alice* (credential chains)", "origin:alice*"),
        (
            "combined",
            "(source:iam or source:sts) -error:* readonly:false",
        ),
    ] {
        let expr = trailscope::query::parse(text).expect("valid filter");
        group.bench_function(label, |b| {
            b.iter(|| expr.rows(&store, &Session::default()).len())
        });
    }
    // Baselines in the same run: the same questions asked of every row's string, without
    // the interned columns (what a straightforward implementation would do).
    group.bench_function("baseline: per-row compare of eventName", |b| {
        b.iter(|| {
            (0..store.len())
                .filter(|&r| {
                    store
                        .get(Col::Name, r)
                        .eq_ignore_ascii_case("CreateAccessKey")
                })
                .count()
        })
    });
    group.bench_function("baseline: per-row fuzzy match of eventName", |b| {
        b.iter(|| {
            (0..store.len())
                .filter(|&r| fuzzy::score("crtacckey", store.get(Col::Name, r)).is_some())
                .count()
        })
    });
    group.finish();

    let mut slow = c.benchmark_group("filter_1m_text");
    slow.sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let expr = trailscope::query::parse("\"AdministratorAccess\"").expect("valid filter");
    slow.bench_function("full text \"AdministratorAccess\"", |b| {
        b.iter(|| expr.rows(&store, &Session::default()).len())
    });
    slow.finish();
}

/// The address fields, over the index loaded with lookup files: the MaxMind databases in
/// `$TRAILSCOPE_BENCH_GEOIP` (else MaxMind's test databases in tests/lookups/geoip) and the
/// hand-made ip-ranges.json and Tor list of tests/lookups.
fn address_filters(c: &mut Criterion) {
    let geoip = std::env::var_os("TRAILSCOPE_BENCH_GEOIP")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "tests/lookups/geoip".into());
    let given = trailscope::places::Given {
        geoip: Some(geoip),
        ip_ranges: Some("tests/lookups/ip-ranges.json".into()),
        tor_exits: Some("tests/lookups/torbulkexitlist".into()),
    };
    let options = trailscope::load::LoadOptions {
        places: std::sync::Arc::new(trailscope::places::Places::open_in(&given, None)),
        ..Default::default()
    };
    let store = common::store_with(options);
    let mut group = c.benchmark_group("filter_1m_addresses");
    for text in [
        "name:CreateAccessKey",
        "iptype:public",
        "iptype:aws-service",
        "asn:AS14887",
        "org:*networks*",
        "country:JP",
        "city:City1*",
        "travel:impossible",
    ] {
        let expr = trailscope::query::parse(text).expect("valid filter");
        let matched = expr.rows(&store, &Session::default()).len();
        group.bench_function(format!("{text} ({matched} events)"), |b| {
            b.iter(|| expr.rows(&store, &Session::default()).len())
        });
    }
    group.finish();
}

criterion_group!(benches, filters, address_filters);
criterion_main!(benches);
