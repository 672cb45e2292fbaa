//! Credential chains: the event that issued each temporary key, followed back across role
//! hops to a long-term key, and the `origin:` filter over them.

mod common;

use std::fs;

use common::input::load;
use trailscope::load::{LoadOptions, Progress};
use trailscope::query;
use trailscope::store::{Col, Store};

fn count(store: &Store, filter: &str) -> usize {
    query::parse(filter).expect("filter").rows(store).len()
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

#[test]
fn on_the_demo_origin_follows_the_attacker_into_the_dev_account() {
    let (store, _) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    assert_eq!(count(&store, "principal:ci-deploy"), 929);
    assert_eq!(count(&store, "origin:ci-deploy"), 941);
    let hop = query::parse("origin:ci-deploy -principal:ci-deploy")
        .expect("filter")
        .rows(&store);
    assert_eq!(hop.len(), 12);
    for &row in &hop {
        let row = row as usize;
        assert_eq!(
            store.get(Col::Principal, row),
            "OrganizationAccountAccessRole/ci-deploy"
        );
        assert_eq!(store.get(Col::RecipientAccount, row), "444455556666");
        let chain = store.provenance().chain(&store, row);
        assert_eq!(chain.len(), 2);
        let issuer = chain[1] as usize;
        assert_eq!(store.get(Col::Name, issuer), "AssumeRole");
        assert_eq!(store.get(Col::Principal, issuer), "ci-deploy");
        assert_eq!(store.get(Col::Ip, issuer), "185.220.101.47");
    }
}
