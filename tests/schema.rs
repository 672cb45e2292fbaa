//! The one field schema, proven on real data: `stats --by P` and `-w 'P:value'` agree for
//! every value over every fixture folder, and every named field of the schema can be
//! filtered, counted, pivoted to and exported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use trailscope::load::{LoadOptions, Progress};
use trailscope::output::{self, Format};
use trailscope::query::{self, term_text, Field};
use trailscope::schema::{self, pivot_field, Storage, FIELDS};
use trailscope::stats::count_by;
use trailscope::store::{Session, Store};

fn fixture_folders() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut folders = vec![root.join("seeds")];
    let mut real: Vec<PathBuf> = std::fs::read_dir(root.join("real"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    real.sort();
    folders.extend(real);
    folders
}

/// An index and its session (the shipped rules' hits, marks a test adds).
struct Index {
    store: Store,
    session: Session,
}

impl std::ops::Deref for Index {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// Loads `path` with the shipped rules' hits attached (for `rule:`, `level:`).
fn load(path: &Path) -> Index {
    let store = Store::load_paths(
        &[path.to_path_buf()],
        &LoadOptions::default(),
        &Progress::default(),
    )
    .0;
    let rules = trailscope::detect::RuleSet::load(true, &[]);
    let found = trailscope::detect::run(&store, &rules);
    let hits = trailscope::detect::to_hits(&store, &rules, &found);
    Index {
        session: Session::default().with_hits(hits),
        store,
    }
}

fn count(index: &Index, filter: &str) -> usize {
    query::parse(filter)
        .unwrap_or_else(|e| panic!("{filter}: {e}"))
        .rows(&index.store, &index.session)
        .len()
}

/// For every value `stats --by field` reports, the filter `field:value` selects as many
/// events (values that differ only in case are one value to the filter; a `*` in a value
/// is escaped); the events with no value are those `field:*` leaves out. Returns how many
/// values were compared.
fn assert_agree(store: &Index, field: &str, folder: &Path) -> usize {
    let all: Vec<u32> = (0..store.len() as u32).collect();
    let parsed = Field::from_name(field).expect("field");
    let counts = count_by(store, &store.session, &all, &parsed).expect("countable");
    let mut by_folded: BTreeMap<String, usize> = BTreeMap::new();
    for (value, n) in &counts {
        if let Some(value) = value {
            *by_folded.entry(value.to_ascii_lowercase()).or_default() += n;
        }
    }
    let mut compared = 0;
    for (value, n) in &counts {
        let Some(value) = value else {
            let with_value = count(store, &format!("{field}:*"));
            assert_eq!(
                store.len() - with_value,
                *n,
                "{}: {field} absent",
                folder.display()
            );
            continue;
        };
        if value.is_empty() {
            continue; // an empty value cannot be written as a term
        }
        let filter = term_text(field, value);
        assert_eq!(
            count(store, &filter),
            by_folded[&value.to_ascii_lowercase()],
            "{}: `{filter}` against stats --by {field} ({n})",
            folder.display()
        );
        compared += 1;
    }
    compared
}

#[test]
fn stats_and_filters_agree_on_every_fixture() {
    let fields = [
        "resources.ARN",
        "requestParameters.bucketName",
        "userIdentity.sessionContext.sessionIssuer.userName",
        "tlsDetails.tlsVersion",
        "name",
        "principal",
        "ip",
    ];
    let mut compared: BTreeMap<&str, usize> = BTreeMap::new();
    for folder in fixture_folders() {
        let store = load(&folder);
        assert!(!store.is_empty(), "{}", folder.display());
        for field in fields {
            *compared.entry(field).or_default() += assert_agree(&store, field, &folder);
        }
    }
    // Every field was compared on real values, not vacuously.
    for field in fields {
        assert!(compared[field] > 0, "{field}: no value compared");
    }
}

#[test]
fn stratus_resources_agree_by_name_and_by_path() {
    let folder = fixture_folders()
        .into_iter()
        .find(|f| f.ends_with("stratus-red-team"))
        .expect("stratus fixtures");
    let store = load(&folder);
    let all: Vec<u32> = (0..store.len() as u32).collect();
    let by_path = count_by(
        &store,
        &store.session,
        &all,
        &Field::from_name("resources.ARN").expect("path"),
    );
    let by_name = count_by(
        &store,
        &store.session,
        &all,
        &Field::from_name("resource").expect("name"),
    );
    assert_eq!(by_path, by_name);
    let with_arn: usize = count(&store, "resources.ARN:arn*");
    let absent = by_path
        .expect("countable")
        .iter()
        .find(|(v, _)| v.is_none())
        .map_or(0, |(_, n)| *n);
    assert_eq!(with_arn + absent, store.len());
}

/// A value of `def` at some row of `store`, to filter on.
fn some_value(store: &Index, def: &'static schema::FieldDef) -> Option<String> {
    let all: Vec<u32> = (0..store.len() as u32).collect();
    let counts = count_by(store, &store.session, &all, &Field::Named(def)).ok()?;
    counts.into_iter().find_map(|(v, _)| v)
}

#[test]
fn every_named_field_filters_counts_pivots_and_exports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut store = load(&root);
    let all: Vec<u32> = (0..store.len() as u32).collect();
    // An investigator's mark with a note, for the `mark` and `note` fields.
    store.session.marks_mut().insert(0, "first look".into());
    for def in FIELDS {
        let field = Field::from_name(def.name).expect("named");
        assert_eq!(field, Field::Named(def));
        match def.storage {
            Storage::TimeBound(_) => {
                // A bound filters by time and has no value of its own to count.
                assert!(count(&store, &format!("{}:2017-01-01", def.name)) > 0);
                assert!(count_by(&store, &store.session, &all, &field).is_err());
                assert!(output::columns(&[def.name]).is_err());
                continue;
            }
            _ => {
                let counts = count_by(&store, &store.session, &all, &field).expect("countable");
                assert!(
                    counts.iter().map(|(_, n)| n).sum::<usize>() >= store.len(),
                    "{}: every event is counted once at least",
                    def.name
                );
            }
        }
        // Filterable: a value seen in the data selects at least one event.
        if let Some(value) = some_value(&store, def) {
            let filter = match def.storage {
                Storage::Flag => format!("{}:{value}", def.name),
                _ => term_text(def.name, &value),
            };
            assert!(count(&store, &filter) > 0, "{filter}");
        } else {
            assert!(
                // The address fields that lookup files fill: tests/places.rs.
                [
                    "vpcendpoint",
                    "sourceidentity",
                    "asn",
                    "org",
                    "country",
                    "city",
                    "travel"
                ]
                .contains(&def.name),
                "{}: no value in the fixtures",
                def.name
            );
        }
        // Pivotable: every path it reads pivots to it.
        for path in def.paths {
            assert_eq!(pivot_field(path), def.name, "{path}");
        }
        // Exported: its header heads its column in csv and table.
        let columns = output::columns(&[def.name]).expect("a column");
        for (format, header) in [(Format::Csv, def.csv), (Format::Table, def.header)] {
            let mut out = Vec::new();
            output::write(
                &mut out,
                &store,
                &store.session,
                &all[..1],
                (format, output::Destination::File),
                &columns,
            )
            .expect("write");
            let text = String::from_utf8(out).expect("utf-8");
            assert_eq!(text.lines().next(), Some(header), "{}", def.name);
        }
    }
}

#[test]
fn new_fields_read_their_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("e.json");
    std::fs::write(
        &path,
        r#"{"Records":[{"eventVersion":"1.09","eventTime":"2024-05-03T14:02:11Z","eventName":"GetObject","eventID":"e1","sharedEventID":"s-1","vpcEndpointId":"vpce-0a1b","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","sessionContext":{"sourceIdentity":"alice@example.com"}}},
        {"eventVersion":"1.09","eventTime":"2024-05-03T14:02:12Z","eventName":"ListBuckets","eventID":"e2"}]}"#,
    )
    .expect("write");
    let store = load(&path);
    assert_eq!(count(&store, "sharedeventid:s-1"), 1);
    assert_eq!(count(&store, "vpcendpoint:vpce-*"), 1);
    assert_eq!(count(&store, "sourceidentity:alice@*"), 1);
    assert_eq!(
        count(
            &store,
            "userIdentity.sessionContext.sourceIdentity:alice@example.com"
        ),
        1
    );
    assert_eq!(count(&store, "-sharedeventid:*"), 1);
    let all: Vec<u32> = (0..store.len() as u32).collect();
    let counts = count_by(
        &store,
        &store.session,
        &all,
        &Field::from_name("vpcendpoint").expect("field"),
    );
    assert_eq!(
        counts,
        Ok(vec![(None, 1), (Some("vpce-0a1b".to_string()), 1)])
    );
    assert_eq!(
        pivot_field("userIdentity.sessionContext.sourceIdentity"),
        "sourceidentity"
    );
}
