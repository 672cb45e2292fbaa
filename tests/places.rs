//! Who owns an address and where it is: `iptype:` from the address itself, AWS's published
//! ranges and a Tor exit list; `asn:`, `org:`, `country:`, `city:` from MaxMind databases
//! (MaxMind's own test databases, checked against the source JSON they were written from);
//! `travel:impossible` between a principal's calls.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use trailscope::load::{LoadOptions, LoadReport, Progress};
use trailscope::places::{Given, Places};
use trailscope::query;
use trailscope::store::{Session, Store};

/// A file of `tests/lookups/` (the lookup files; apart from the trails, which are never
/// loaded with them) or of `tests/fixtures/`.
fn fixture(path: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    match path.split('/').next() {
        Some("real") => root.join("fixtures").join(path),
        _ => root.join("lookups").join(path),
    }
}

/// The given lookup files only: the user's own default folder is never read.
fn places(geoip: Option<&str>, ip_ranges: Option<&str>, tor_exits: Option<&str>) -> Places {
    let given = Given {
        geoip: geoip.map(fixture),
        ip_ranges: ip_ranges.map(fixture),
        tor_exits: tor_exits.map(fixture),
    };
    Places::open_in(&given, None)
}

fn load(path: &Path, places: Places) -> (Store, LoadReport) {
    let options = LoadOptions {
        places: Arc::new(places),
        ..LoadOptions::default()
    };
    Store::load_paths(&[path.to_path_buf()], &options, &Progress::default())
}

fn count(store: &Store, filter: &str) -> usize {
    query::parse(filter)
        .unwrap_or_else(|e| panic!("{filter}: {e}"))
        .rows(store, &Session::default())
        .len()
}

/// A ListBuckets call by IAM user `user` of `account` from `ip` at `time`.
fn event(n: usize, time: &str, user: &str, account: &str, ip: &str) -> serde_json::Value {
    serde_json::json!({
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "IAMUser", "principalId": format!("AIDA{}", user.to_uppercase()),
            "arn": format!("arn:aws:iam::{account}:user/{user}"), "accountId": account,
            "userName": user
        },
        "eventTime": time, "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets",
        "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": "aws-cli/2.15.0",
        "requestID": format!("req-{n}"), "eventID": format!("00000000-0000-4000-8000-{n:012}"),
        "readOnly": true, "eventType": "AwsApiCall", "recipientAccountId": account
    })
}

fn trail(dir: &Path, events: Vec<serde_json::Value>) -> PathBuf {
    let path = dir.join("trail.json");
    let text = serde_json::json!({ "Records": events }).to_string();
    std::fs::write(&path, text).expect("write trail");
    path
}

/// A network of a MaxMind source JSON (`81.2.69.142/31`, `2001:480::/43`, `::81.2.69.0/120`).
#[derive(Debug, Clone, Copy)]
struct Network {
    start: u128,
    bits: u32,
}

impl Network {
    fn parse(text: &str) -> Network {
        let (address, bits) = text.split_once('/').expect("a network");
        let (ip, bits): (IpAddr, u32) = (
            address.parse().expect("an address"),
            bits.parse().expect("a length"),
        );
        match ip {
            // IPv4 networks of an IPv6 database sit in ::/96.
            IpAddr::V4(v4) => Network {
                start: u128::from(u32::from(v4)),
                bits: bits + 96,
            },
            IpAddr::V6(v6) => Network {
                start: u128::from(v6),
                bits,
            },
        }
    }

    fn contains(&self, address: u128) -> bool {
        let mask = u128::MAX.checked_shl(128 - self.bits).unwrap_or(0);
        address & mask == self.start & mask
    }

    /// The first address, as it would be logged.
    fn first(&self) -> String {
        match self.start >> 32 {
            0 => std::net::Ipv4Addr::from(self.start as u32).to_string(),
            _ => std::net::Ipv6Addr::from(self.start).to_string(),
        }
    }
}

/// A source JSON's networks with their records.
fn source(name: &str) -> Vec<(Network, serde_json::Value)> {
    let text = std::fs::read_to_string(fixture(&format!("geoip/{name}"))).expect("source");
    let list: Vec<BTreeMap<String, serde_json::Value>> =
        serde_json::from_str(&text).expect("source JSON");
    list.into_iter()
        .flat_map(|m| m.into_iter())
        .map(|(net, record)| (Network::parse(&net), record))
        .collect()
}

/// The record of the most specific network holding `address`.
fn most_specific(
    networks: &[(Network, serde_json::Value)],
    address: u128,
) -> Option<&serde_json::Value> {
    networks
        .iter()
        .filter(|(n, _)| n.contains(address))
        .max_by_key(|(n, _)| n.bits)
        .map(|(_, r)| r)
}

#[test]
fn asn_country_and_city_count_what_the_databases_sources_say() {
    let (asn, city, country) = (
        source("GeoLite2-ASN-Test.json"),
        source("GeoLite2-City-Test.json"),
        source("GeoLite2-Country-Test.json"),
    );
    // One event from the first address of every network of the three databases.
    let mut addresses: Vec<Network> = asn
        .iter()
        .chain(&city)
        .chain(&country)
        .map(|(n, _)| *n)
        .collect();
    addresses.sort_by_key(|n| n.start);
    addresses.dedup_by_key(|n| n.start);
    let dir = tempfile::tempdir().expect("tempdir");
    let events = addresses
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let time = format!("2024-05-01T{:02}:{:02}:00Z", i / 60 % 24, i % 60);
            event(i, &time, &format!("u{i}"), "111122223333", &n.first())
        })
        .collect();
    let path = trail(dir.path(), events);
    let (store, report) = load(&path, places(Some("geoip"), None, None));
    assert!(!report.has_problems(), "{:?}", report.lookup_problems);
    assert_eq!(store.len(), addresses.len());

    // What the sources say, address by address: a City database's country before a Country
    // database's, as the lookup reads them.
    let mut expected: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for network in &addresses {
        // The logged text is parsed back: an IPv4 network of ::/96 logs as IPv6.
        let at = match network.first().parse::<IpAddr>().expect("address") {
            IpAddr::V4(v4) => u128::from(u32::from(v4)),
            IpAddr::V6(v6) => u128::from(v6),
        };
        let text = |record: Option<&serde_json::Value>, path: &str| {
            record
                .and_then(|r| r.pointer(path))
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        };
        let found = [
            (
                "asn",
                text(most_specific(&asn, at), "/autonomous_system_number")
                    .map(|n| format!("AS{n}")),
            ),
            (
                "org",
                text(most_specific(&asn, at), "/autonomous_system_organization"),
            ),
            (
                "country",
                text(most_specific(&city, at), "/country/iso_code")
                    .or_else(|| text(most_specific(&country, at), "/country/iso_code")),
            ),
            ("city", text(most_specific(&city, at), "/city/names/en")),
        ];
        for (field, value) in found {
            if let Some(value) = value {
                *expected.entry((field, value)).or_default() += 1;
            }
        }
    }
    let total = |field: &str| -> usize {
        expected
            .iter()
            .filter(|((f, _), _)| *f == field)
            .map(|(_, n)| n)
            .sum()
    };
    // The sources' own totals, so a change in the fixtures shows.
    assert_eq!(
        (total("asn"), total("org"), total("country"), total("city")),
        (721, 519, 247, 12)
    );
    for ((field, value), n) in &expected {
        let filter = format!("{field}:\"{value}\"");
        assert_eq!(count(&store, &filter), *n, "{filter}");
    }
    for field in ["asn", "org", "country", "city"] {
        assert_eq!(
            count(&store, &format!("{field}:*")),
            total(field),
            "{field}:*"
        );
    }
    assert_eq!(count(&store, "city:London"), 4);
    assert_eq!(count(&store, "asn:AS15169 org:\"Google Inc.\""), 1);
}

#[test]
fn broken_databases_are_told_by_name_and_not_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = trail(
        dir.path(),
        vec![event(
            1,
            "2024-05-01T10:00:00Z",
            "alice",
            "111122223333",
            "1.1.1.1",
        )],
    );
    let (store, report) = load(&path, places(Some("geoip/broken"), None, None));
    let problems: Vec<String> = report
        .problems()
        .map(|p| {
            p.to_string()
                .replace(&fixture("geoip/broken").display().to_string(), "DIR")
        })
        .collect();
    assert_eq!(
        problems,
        [
            "DIR/MaxMind-DB-test-broken-pointers-24.mmdb: a broken MaxMind database, not used: \
             invalid database: the MaxMind DB file's data pointer resolves to an invalid location",
            "DIR/MaxMind-DB-test-broken-search-tree-24.mmdb: a broken MaxMind database, not used: \
             invalid database: search tree appears to have a cycle or invalid structure \
             (traversal exceeded the address bit length)",
        ]
    );
    // Everything that was good is kept.
    assert_eq!((store.len(), count(&store, "iptype:public")), (1, 1));

    // Not a database at all, and a given file that is not there.
    std::fs::write(dir.path().join("text.mmdb"), "not a database").expect("write");
    let given = Given {
        geoip: Some(dir.path().join("text.mmdb")),
        ip_ranges: Some(dir.path().join("missing.json")),
        tor_exits: None,
    };
    let places = Places::open_in(&given, None);
    let problems: Vec<String> = places
        .problems()
        .into_iter()
        .map(|(p, what)| {
            format!(
                "{}: {what}",
                p.replace(&dir.path().display().to_string(), "DIR")
            )
        })
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("DIR/text.mmdb: not a MaxMind database ("),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("DIR/missing.json: cannot read: "),
        "{problems:?}"
    );
}

#[test]
fn without_lookup_files_only_what_an_address_says_of_itself() {
    let (store, report) = load(&fixture("real"), places(None, None, None));
    assert!(!report.has_problems());
    for field in ["asn", "org", "country", "city", "travel"] {
        assert_eq!(count(&store, &format!("{field}:*")), 0, "{field}");
    }
    let kinds: Vec<(&str, usize)> = [
        "public",
        "aws-service",
        "aws",
        "tor",
        "reserved",
        "other",
        "private",
    ]
    .iter()
    .map(|k| (*k, count(&store, &format!("iptype:{k}"))))
    .collect();
    assert_eq!(
        kinds,
        [
            ("public", 14774),
            ("aws-service", 2924),
            ("aws", 0),
            ("tor", 0),
            ("reserved", 109),
            ("other", 107),
            ("private", 0)
        ]
    );
}

/// Counts checked against Python's `ipaddress` over the same events (the note of the commit
/// that added this test says how).
#[test]
fn iptype_over_the_real_fixtures_with_aws_ranges_and_a_tor_list() {
    let (store, report) = load(
        &fixture("real"),
        places(None, Some("ip-ranges.json"), Some("exit-addresses")),
    );
    assert!(!report.has_problems(), "{:?}", report.lookup_problems);
    let kinds: Vec<(&str, usize)> = ["public", "aws-service", "aws", "tor", "reserved", "other"]
        .iter()
        .map(|k| (*k, count(&store, &format!("iptype:{k}"))))
        .collect();
    assert_eq!(
        kinds,
        [
            ("public", 12762),
            ("aws-service", 2924),
            ("aws", 1452),
            ("tor", 560),
            ("reserved", 109),
            ("other", 107)
        ]
    );
    assert_eq!(
        count(&store, "iptype:*"),
        store.len() - count(&store, "-ip:*")
    );
}

#[test]
fn iptype_of_ipv6_and_ipv4_addresses_by_lists_and_databases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let addresses = [
        ("81.2.69.142", "tor"),      // the Anonymous-IP database says a Tor exit
        ("185.220.101.47", "tor"),   // the bulk list
        ("2a0b:f4c2::1", "tor"),     // the bulk list, IPv6
        ("3.5.141.7", "aws"),        // S3 ap-northeast-2
        ("2600:1f14:1::9", "aws"),   // EC2 us-west-2, IPv6
        ("2600:1f18::1", "public"),  // outside the ranges saved
        ("fd12:3456::1", "private"), // unique-local
        ("::ffff:10.1.2.3", "private"),
        ("2001:db8::1", "reserved"),
        ("ec2.amazonaws.com", "aws-service"),
        ("AWS Internal", "aws-service"),
    ];
    let events = addresses
        .iter()
        .enumerate()
        .map(|(i, (ip, _))| {
            event(
                i,
                &format!("2024-05-01T10:{i:02}:00Z"),
                "alice",
                "111122223333",
                ip,
            )
        })
        .collect();
    let path = trail(dir.path(), events);
    let (store, report) = load(
        &path,
        places(
            Some("geoip"),
            Some("ip-ranges.json"),
            Some("torbulkexitlist"),
        ),
    );
    assert!(!report.has_problems(), "{:?}", report.lookup_problems);
    for (row, (ip, kind)) in addresses.iter().enumerate() {
        assert_eq!(store.get(trailscope::schema::Col::Ip, row), *ip);
        assert_eq!(
            store.get(trailscope::schema::Col::IpType, row),
            *kind,
            "{ip}"
        );
    }
    assert_eq!(count(&store, "iptype:tor"), 3);
    assert_eq!(count(&store, "iptype:aws"), 2);
    // The service and region ip-ranges.json lists, for the detail pane.
    let range = |row: usize| {
        store
            .get(trailscope::schema::Col::AwsRange, row)
            .to_string()
    };
    assert_eq!(
        (range(3), range(4)),
        ("S3 ap-northeast-2".into(), "EC2 us-west-2".into())
    );
    assert_eq!(range(5), "");
}

#[test]
fn impossible_travel_is_marked_and_a_flight_is_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = "111122223333";
    let events = vec![
        // alice: London, then San Diego an hour later (8,820 km): impossible.
        event(1, "2024-05-01T10:00:00Z", "alice", a, "81.2.69.142"),
        event(2, "2024-05-01T11:00:00Z", "alice", a, "2001:480::1"),
        event(3, "2024-05-01T11:30:00Z", "alice", a, "2001:480::1"),
        // Another alice, in another account, in San Diego at 10:30: another person.
        event(
            4,
            "2024-05-01T10:30:00Z",
            "alice",
            "444455556666",
            "2001:480::1",
        ),
        // bob: London, then Linköping three hours later (1,260 km, a flight): possible;
        // then Boxford, 1,300 km from Linköping, ten minutes later: impossible.
        event(5, "2024-05-01T10:00:00Z", "bob", a, "81.2.69.160"),
        event(6, "2024-05-01T13:00:00Z", "bob", a, "89.160.20.112"),
        event(7, "2024-05-01T13:10:00Z", "bob", a, "2.125.160.216"),
        // carol: London, an AWS service, a private address, then London: nothing to say.
        event(8, "2024-05-01T10:00:00Z", "carol", a, "81.2.69.142"),
        event(9, "2024-05-01T10:01:00Z", "carol", a, "ec2.amazonaws.com"),
        event(10, "2024-05-01T10:02:00Z", "carol", a, "10.0.0.5"),
        event(11, "2024-05-01T10:03:00Z", "carol", a, "81.2.69.144"),
    ];
    let path = trail(dir.path(), events);
    let (store, _) = load(&path, places(Some("geoip"), None, None));
    let marked = query::parse("travel:impossible")
        .expect("filter")
        .rows(&store, &Session::default());
    let seen: Vec<(String, String)> = marked
        .iter()
        .map(|&r| {
            let r = r as usize;
            let trip = store.trip(r).expect("a trip");
            (
                format!(
                    "{} {}",
                    store.get(trailscope::schema::Col::Principal, r),
                    store.get(trailscope::schema::Col::City, r)
                ),
                format!(
                    "from {} {:.0} km",
                    store.get(trailscope::schema::Col::City, trip.from as usize),
                    trip.km
                ),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "alice San Diego".to_string(),
                "from London 8823 km".to_string()
            ),
            (
                "bob Boxford".to_string(),
                "from Linköping 1299 km".to_string()
            ),
        ]
    );
    // Without a City database nothing is marked.
    let (store, _) = load(&path, places(None, None, None));
    assert_eq!(count(&store, "travel:*"), 0);
}
