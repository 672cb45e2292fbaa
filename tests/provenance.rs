//! Credential chains: the event that issued each temporary key, followed back across role
//! hops to a long-term key, and the `origin:` filter over them.

mod common;

use std::fs;

use common::input::load;
use trailscope::load::{LoadOptions, Progress};
use trailscope::query;
use trailscope::store::{Col, Link, Session, Store};

fn count(store: &Store, filter: &str) -> usize {
    query::parse(filter)
        .expect("filter")
        .rows(store, &Session::default())
        .len()
}

/// An event by `who` (`user:NAME` or `role:ROLE/SESSION`) with `key`, issuing `issued`.
fn event(id: &str, second: u32, name: &str, who: &str, key: &str, issued: Option<&str>) -> String {
    let identity = match who.split_once(':') {
        Some(("user", user)) => format!(
            r#"{{"type":"IAMUser","userName":"{user}","arn":"arn:aws:iam::111:user/{user}","accessKeyId":"{key}"}}"#
        ),
        Some((_, role)) => format!(
            r#"{{"type":"AssumedRole","arn":"arn:aws:sts::222:assumed-role/{role}","accessKeyId":"{key}"}}"#
        ),
        None => String::new(),
    };
    let response = match issued {
        Some(k) => format!(r#"{{"credentials":{{"accessKeyId":"{k}","sessionToken":"x"}}}}"#),
        None => "null".into(),
    };
    format!(
        r#"{{"eventID":"{id}","eventTime":"2024-05-03T14:00:{second:02}Z","eventName":"{name}","sourceIPAddress":"203.0.113.9","recipientAccountId":"222","userIdentity":{identity},"responseElements":{response}}}"#
    )
}

#[test]
fn chains_follow_role_hops_back_to_the_long_term_key() {
    let events = [
        // alice's long-term key assumes a role, the role session assumes a second one.
        event(
            "e1",
            1,
            "AssumeRole",
            "user:alice",
            "AKIAALICE",
            Some("ASIAHOP1"),
        ),
        event(
            "e2",
            2,
            "ListBuckets",
            "role:Deploy/alice",
            "ASIAHOP1",
            None,
        ),
        event(
            "e3",
            3,
            "AssumeRole",
            "role:Deploy/alice",
            "ASIAHOP1",
            Some("ASIAHOP2"),
        ),
        event("e4", 4, "PutObject", "role:Admin/chained", "ASIAHOP2", None),
        // A session whose issuing call is not in these logs.
        event("e5", 5, "GetObject", "role:Reader/bob", "ASIAOUTSIDE", None),
        // A forged loop: a key that claims to have issued itself.
        event(
            "e6",
            6,
            "AssumeRole",
            "role:Loop/x",
            "ASIALOOP",
            Some("ASIALOOP"),
        ),
        // bob's own key, nothing to do with alice.
        event("e7", 7, "ListUsers", "user:bob", "AKIABOB", None),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("chain.jsonl"), events.join("\n")).expect("write");
    let (store, report) = load(dir.path());
    assert!(!report.has_problems());
    let id = |r: u32| store.event_id(r as usize).to_string();
    let chain = |event: &str| -> Vec<String> {
        let row = (0..store.len())
            .find(|&r| store.event_id(r) == event)
            .expect("event");
        store
            .provenance()
            .chain(&store, row)
            .into_iter()
            .map(id)
            .collect()
    };
    assert_eq!(chain("e4"), ["e4", "e3", "e1"]);
    assert_eq!(chain("e2"), ["e2", "e1"]);
    assert_eq!(chain("e1"), ["e1"]);
    assert_eq!(chain("e5"), ["e5"]);
    assert_eq!(chain("e6"), ["e6"], "a loop ends");
    // alice did e1 directly and e2, e3, e4 through the sessions her key created.
    assert_eq!(count(&store, "origin:alice"), 4);
    assert_eq!(count(&store, "origin:AKIAALICE"), 4);
    assert_eq!(count(&store, "origin:ASIAHOP1"), 3);
    assert_eq!(count(&store, "origin:*Deploy/alice"), 3);
    assert_eq!(count(&store, "origin:bob"), 1);
    assert_eq!(count(&store, "origin:*Reader/bob"), 1);
    assert_eq!(count(&store, "origin:ASIALOOP"), 1);
}

/// The documented data set (tests/fixtures/chains/README.md): every event's chain.
#[test]
fn the_chain_data_set_links_every_kind_of_session() {
    let (store, report) = load(&common::fixture("chains"));
    assert!(!report.has_problems());
    assert_eq!(store.len(), 15);
    let row_of = |event: &str| {
        (0..store.len())
            .find(|&r| store.event_id(r) == format!("chain-e{event}"))
            .expect("event")
    };
    let chain = |event: &str| -> Vec<String> {
        store
            .provenance()
            .chain(&store, row_of(event))
            .into_iter()
            .map(|r| {
                store
                    .event_id(r as usize)
                    .trim_start_matches("chain-e")
                    .to_string()
            })
            .collect()
    };
    let expected: [(&str, &[&str]); 15] = [
        ("01", &["01"]),
        ("02", &["02"]),
        ("03", &["03", "02"]),
        ("04", &["04", "02"]),
        ("05", &["05", "02"]),
        ("06", &["06", "05", "02"]),
        ("07", &["07", "05", "02"]),
        ("08", &["08"]),
        ("09", &["09", "08"]),
        ("10", &["10", "09", "08"]),
        ("11", &["11", "09", "08"]),
        ("12", &["12"]),
        ("13", &["13", "12"]),
        ("14", &["14", "12"]),
        ("15", &["15"]),
    ];
    for (event, want) in expected {
        assert_eq!(chain(event), want, "chain of e{event}");
    }
    let links = |event: &str| {
        store
            .provenance()
            .parent(&store, row_of(event))
            .map(|(_, l)| l)
    };
    assert_eq!(links("03"), Some(Link::Copy));
    assert_eq!(links("06"), Some(Link::IssuedKey));
    assert_eq!(links("09"), Some(Link::IdentityCenter));
    for (filter, n) in [
        ("origin:deployer", 7),
        ("origin:AKIAEXAMPLEDEPLOYER1", 7),
        ("origin:ASIAEXAMPLEHOP1KEY01", 4),
        ("origin:*BackupAdmin/hop2", 2),
        ("origin:carol@example.com", 3),
        ("origin:906755e3e1-*", 4),
        ("origin:frank@corp.example", 3),
        ("origin:*ghost", 1),
        ("origin:deployer account:444455556666", 5),
    ] {
        assert_eq!(count(&store, filter), n, "{filter}");
    }
}

#[test]
fn on_the_demo_origin_follows_the_attacker_into_the_dev_account() {
    let (store, _) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    assert_eq!(count(&store, "principal:ci-deploy"), 929);
    assert_eq!(count(&store, "origin:ci-deploy"), 942);
    let hop = query::parse("origin:ci-deploy -principal:ci-deploy")
        .expect("filter")
        .rows(&store, &Session::default());
    assert_eq!(hop.len(), 13);
    let mut per_principal = std::collections::BTreeMap::new();
    for &row in &hop {
        let row = row as usize;
        let principal = store.get(Col::Principal, row);
        *per_principal.entry(principal).or_insert(0) += 1;
        assert_eq!(store.get(Col::RecipientAccount, row), "444455556666");
        let chain = store.provenance().chain(&store, row);
        // Role chaining: the second role's chain runs through the first role's AssumeRole.
        let hops = if principal == "MarketingAutomation/ci-deploy" {
            3
        } else {
            2
        };
        assert_eq!(chain.len(), hops, "{principal}");
        let root = *chain.last().expect("root") as usize;
        assert_eq!(store.get(Col::Name, root), "AssumeRole");
        assert_eq!(store.get(Col::Principal, root), "ci-deploy");
        assert_eq!(store.get(Col::Ip, root), "185.220.101.47");
    }
    assert_eq!(
        per_principal.into_iter().collect::<Vec<_>>(),
        [
            ("MarketingAutomation/ci-deploy", 4),
            ("OrganizationAccountAccessRole/ci-deploy", 9)
        ]
    );
    // Each engineer's sessions begin at an Identity Center sign-in.
    for person in ["alice", "bob", "carol", "dave"] {
        let filter = format!("principal:*{person}@example.com");
        let rows = query::parse(&filter)
            .expect("filter")
            .rows(&store, &Session::default());
        let sessions = rows
            .iter()
            .filter(|&&r| store.get(Col::AccessKey, r as usize).starts_with("ASIA"));
        for &row in sessions {
            let chain = store.provenance().chain(&store, row as usize);
            let names: Vec<&str> = chain[1..]
                .iter()
                .map(|&r| store.get(Col::Name, r as usize))
                .collect();
            assert_eq!(
                names,
                ["AssumeRoleWithSAML", "GetRoleCredentials"],
                "{person}"
            );
        }
        assert_eq!(
            count(&store, &format!("origin:{person}@example.com")),
            rows.len()
        );
    }
}
