//! `trailscope sql` against a real engine: DuckDB (through Python) counts the events each
//! compiled filter selects in the demo trail, and the count must be trailscope's own. Also:
//! no filter text can leave its string literal, and Athena gets its partition predicate.

use std::path::Path;
use std::process::Command;

use trailscope::load::{LoadOptions, Progress};
use trailscope::query;
use trailscope::sql::{compile, Dialect, Options};
use trailscope::store::{Session, Store};

/// Whether `command` runs (a Python package, Java); otherwise a loud skip of `test`, and a
/// failure under CI=true, where .ci/run installs `what`.
fn available(test: &str, what: &str, commands: &[&[&str]]) -> bool {
    let ok = commands.iter().all(|c| {
        Command::new(c[0])
            .args(&c[1..])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is required in CI (CI is set): `{test}` cannot run; .ci/run installs it"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!("\n*** SKIPPED `{test}`: {what} missing. Install it to run the test; under CI=true this is a failure. ***\n").as_bytes(),
        );
    }
    ok
}

fn duckdb_available(test: &str) -> bool {
    available(
        test,
        "DuckDB (pip install duckdb sqlglot)",
        &[&["python3", "-c", "import duckdb, sqlglot"]],
    )
}

fn spark_available(test: &str) -> bool {
    available(
        test,
        "PySpark and Java 17 (pip install pyspark)",
        &[&["python3", "-c", "import pyspark"], &["java", "-version"]],
    )
}

/// The demo, and compile options that read table `events` and know its eventNames.
fn demo_and_options() -> (Store, Options) {
    let store = demo();
    let options = Options {
        table: Some("events".into()),
        names: Some(trailscope::sql::event_names(&store)),
        ..Options::default()
    };
    (store, options)
}

/// Runs each query in one DuckDB session over the demo's files (loaded once into table
/// `events`, into `cloudtrail_logs` in Athena's layout and `lake_eds` in Lake's): a `duckdb`
/// query as it is, an `athena` or `lake` one after sqlglot transpiles it from Trino, a
/// `parse` one only parsed by
/// sqlglot's Trino parser (its count is 0). Returns the counts; prints the versions.
fn engine_counts(queries: &[(&str, String)]) -> Vec<u64> {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("queries.json");
    std::fs::write(&list, serde_json::to_string(queries).expect("json")).expect("write");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo = root.join("assets/demo/**/*.json.gz");
    let layout = root.join("tests/sql/athena_layout.sql");
    let lake_layout = root.join("tests/sql/lake_layout.sql");
    let script = format!(
        r#"
import duckdb, json, sqlglot, sys
print("duckdb", duckdb.__version__, "sqlglot", sqlglot.__version__, file=sys.stderr)
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("CREATE TABLE events AS SELECT unnest(json_extract(json, '$.Records[*]')) AS e FROM read_json_objects(?, format = 'auto', maximum_object_size = 1073741824)", [{demo:?}])
con.execute(open({layout:?}).read())
con.execute(open({lake_layout:?}).read())
out = []
for kind, q in json.load(open({list:?})):
    if kind == "parse":
        sqlglot.parse_one(q, read="trino")
        out.append(0)
        continue
    if kind in ("athena", "lake"):
        q = sqlglot.transpile(q, read="trino", write="duckdb")[0]
    out.append(con.execute("SELECT count(*) FROM (" + q + ")").fetchall()[0][0])
print(json.dumps(out))
"#,
        demo = demo.display().to_string(),
        layout = layout.display().to_string(),
        lake_layout = lake_layout.display().to_string(),
        list = list.display().to_string(),
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3");
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}");
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or(""))
        .unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn demo() -> Store {
    Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    )
    .0
}

/// Filters over every field and operator the SQL dialects compile.
const FILTERS: &[&str] = &[
    "name:CreateUser",
    "name:Create*",
    "name:*AccessKey*",
    "source:iam",
    "source:iam.amazonaws.com",
    "source:s*",
    "region:eu-west-1",
    "account:444455556666",
    "ip:185.220.101.47",
    "ip:10.0.0.0/8",
    "ip:81.2.69.140/30",
    "ip:2001:db8:1f::2a",
    "agent:*kali*",
    "error:*",
    "-error:*",
    "error:AccessDenied",
    "msg:*not authorized*",
    "type:AssumedRole",
    "type:IAMUser",
    "principal:ci-deploy",
    "principal:*@example.com",
    "principal:AWSReservedSSO_PowerUserAccess_1f2e3d4c5b6a7980/carol@example.com",
    "principal:autoscaling.amazonaws.com",
    "principal:9067642ac7-*",
    "identity:ci-deploy",
    "identity:*dave*",
    "arn:*:user/*",
    "key:AKIA*",
    "key:ASIAV3XQ7L2MNP4RTYZE",
    "id:996a54a0-cab8-842c-c810-e5947e00df77",
    "request:*a*",
    "readonly:true",
    "readonly:false",
    "category:Management",
    "eventtype:AwsConsoleSignIn",
    "resource:*",
    "credential:long-term",
    "credential:temporary",
    "credential:console",
    "credential:service",
    "time:2024-05-02T14*",
    "after:2024-05-02T14:00:00Z before:2024-05-02T15:00:00Z",
    "after:2024-05-03",
    "requestParameters.userName:svc-backup-sync",
    "responseElements.credentials.accessKeyId:ASIA*",
    "userIdentity.sessionContext.sessionIssuer.userName:OrganizationAccountAccessRole",
    "crtacc",
    "name~stoplog",
    "(source:iam or source:sts) -error:* readonly:false",
    "not (region:us-east-1 or region:us-west-2)",
    "principal:ci-deploy (name:Create* or name:Attach*)",
    "-principal:*",
    "sourceidentity:*",
    "vpcendpoint:*",
    "sharedeventid:*",
    "\"AdministratorAccess\"",
    // Every character LIKE or a literal treats specially, in patterns.
    "name:a_*",
    "name:*_*",
    "name:wow!*",
    "name:*!",
    "name:*%*",
    "name:*\\\\*",
    "agent:*'*",
    "principal:AWSReservedSSO_Power*",
    "agent:*x86_64*",
];

#[test]
fn engines_count_what_trailscope_counts() {
    if !duckdb_available("engines_count_what_trailscope_counts") {
        return;
    }
    let (store, options) = demo_and_options();
    // (kind, SQL) for the engine, and beside each what trailscope counts.
    let mut queries: Vec<(&str, String)> = Vec::new();
    let mut wanted: Vec<(&str, u64)> = Vec::new();
    let mut selecting = 0;
    let mut athena = 0;
    for filter in FILTERS {
        let expr = query::parse(filter).expect("filter");
        let count = expr.rows(&store, &Session::default()).len() as u64;
        selecting += usize::from(count > 0);
        let mut push = |kind, sql| {
            queries.push((kind, sql));
            wanted.push((filter, count));
        };
        push(
            "duckdb",
            compile(&expr, Dialect::DuckDb, &options)
                .expect("compiles")
                .sql,
        );
        // Athena and Lake: Trino syntax, for every filter.
        let trino = |dialect| {
            let options = Options {
                table: Some("cloudtrail_logs".into()),
                ..options.clone()
            };
            compile(&expr, dialect, &options).expect("compiles").sql
        };
        push("parse", trino(Dialect::Athena));
        push("parse", trino(Dialect::Lake));
        // Athena semantics, run on DuckDB over the Athena layout: all but what DuckDB has
        // no function for (an IP address type; lambdas over struct arrays) and phrases
        // (they read the whole event, which the table does not keep as it was).
        if !filter.contains('/') && !filter.starts_with("resource") && !filter.contains('"') {
            athena += 1;
            push("athena", trino(Dialect::Athena));
            let options = Options {
                table: Some("lake_eds".into()),
                ..options.clone()
            };
            push(
                "lake",
                compile(&expr, Dialect::Lake, &options)
                    .expect("compiles")
                    .sql,
            );
        }
    }
    assert!(
        FILTERS.len() >= 40 && athena >= 40,
        "{} filters, {athena} on Athena",
        FILTERS.len()
    );
    let counts = engine_counts(&queries);
    let mismatched: Vec<String> = counts
        .iter()
        .zip(queries.iter().zip(&wanted))
        .filter(|(_, ((kind, _), _))| *kind != "parse")
        .filter(|(got, (_, (_, want)))| *got != want)
        .map(|(got, ((kind, _), (filter, want)))| {
            format!("{filter}: {kind} {got}, trailscope {want}")
        })
        .collect();
    assert!(mismatched.is_empty(), "{}", mismatched.join("\n"));
    // Most of these select something: the comparison is not between empty sets.
    assert!(selecting >= 45, "{selecting}");
}

#[test]
fn no_filter_text_leaves_its_literal() {
    // Quotes, backslashes, comments and statement ends in values, paths and phrases.
    let hostile = [
        r#"name:"x' OR 1=1 --""#,
        r#"name:"a\\'b""#,
        r#""'; DROP TABLE events; --""#,
        r#"requestParameters.bucketName:"x'); DELETE FROM t; --""#,
        "agent:*';*",
    ];
    for filter in hostile {
        let expr = query::parse(filter).expect("filter");
        for dialect in [
            Dialect::Athena,
            Dialect::Lake,
            Dialect::Spark,
            Dialect::DuckDb,
        ] {
            let options = Options {
                table: Some("events".into()),
                ..Options::default()
            };
            let sql = compile(&expr, dialect, &options).expect("compiles").sql;
            // Outside string literals only the compiler's own text remains: strip every
            // literal and no quote, comment or second statement is left.
            let outside = strip_literals(&sql, dialect == Dialect::Spark);
            for bad in ["--", ";", "DROP", "DELETE", "1=1"] {
                assert!(
                    !outside.contains(bad),
                    "{dialect:?} {filter}: {bad} in {outside}"
                );
            }
        }
    }
    // A key Spark's JSON paths cannot write is refused by name, never read as another key.
    let expr = query::parse(r#"requestParameters.it's]\x:1"#).expect("filter");
    let options = Options {
        table: Some("events".into()),
        ..Options::default()
    };
    let err = compile(&expr, Dialect::Spark, &options).expect_err("refused");
    assert_eq!(
        err.0,
        r#"`requestParameters.it's]\x`: Spark's JSON paths cannot name a key holding ', ] or \"#
    );
    assert!(compile(&expr, Dialect::DuckDb, &options).is_ok());
}

/// The SQL with every '…' literal removed: quotes doubled inside, or (Spark) a backslash
/// escaping the next character.
fn strip_literals(sql: &str, backslash: bool) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut inside = false;
    while let Some(c) = chars.next() {
        match (inside, c) {
            (true, '\\') if backslash => {
                chars.next();
            }
            (false, '\'') => inside = true,
            (true, '\'') if chars.peek() == Some(&'\'') => {
                chars.next();
            }
            (true, '\'') => inside = false,
            (false, c) => out.push(c),
            (true, _) => {}
        }
    }
    assert!(!inside, "an unterminated literal in {sql}");
    out
}

#[test]
fn athena_prunes_partitions_for_a_time_bounded_query() {
    let expr = query::parse("principal:ci-deploy").expect("filter");
    let options = Options {
        from: trailscope::event::parse_time("2024-05-02T00:00:00Z"),
        to: trailscope::event::parse_time("2024-05-03T12:00:00Z"),
        ..Options::default()
    };
    let sql = compile(&expr, Dialect::Athena, &options)
        .expect("compiles")
        .sql;
    assert!(sql.contains("\"timestamp\" >= '2024/05/02'"), "{sql}");
    assert!(sql.contains("\"timestamp\" <= '2024/05/03'"), "{sql}");
    assert!(
        sql.starts_with("SELECT *\nFROM cloudtrail_logs\nWHERE"),
        "{sql}"
    );
    // The filter's own bounds prune the same partitions, as the explorer's filter is typed.
    let typed = query::parse("principal:ci-deploy after:2024-05-02 before:2024-05-03T12:00")
        .expect("filter");
    let typed_sql = compile(&typed, Dialect::Athena, &Options::default())
        .expect("compiles")
        .sql;
    assert!(
        typed_sql.ends_with(
            "\n  AND \"timestamp\" >= '2024/05/02'\n  AND \"timestamp\" <= '2024/05/03'"
        ),
        "{typed_sql}"
    );
    // A bound under `or` bounds nothing: no partition predicate.
    let either = query::parse("after:2024-05-02 or name:x").expect("filter");
    let either_sql = compile(&either, Dialect::Athena, &Options::default())
        .expect("compiles")
        .sql;
    assert!(!either_sql.contains("\"timestamp\""), "{either_sql}");
    // A relative time needs --now.
    let relative = query::parse("after:-2h").expect("filter");
    let err = compile(&relative, Dialect::Athena, &Options::default()).expect_err("refused");
    assert!(err.0.contains("needs --now"), "{err}");
    // What only the index knows is refused by name.
    let origin = query::parse("origin:ci-deploy").expect("filter");
    let err = compile(&origin, Dialect::DuckDb, &Options::default()).expect_err("refused");
    assert!(
        err.0
            .starts_with("`origin:` is known to trailscope's index only"),
        "{err}"
    );
}

#[test]
fn spark_counts_what_trailscope_counts() {
    if !spark_available("spark_counts_what_trailscope_counts") {
        return;
    }
    let (store, options) = demo_and_options();
    let mut queries = Vec::new();
    let mut expected = Vec::new();
    for filter in FILTERS {
        let expr = query::parse(filter).expect("filter");
        expected.push(expr.rows(&store, &Session::default()).len() as u64);
        queries.push(
            compile(&expr, Dialect::Spark, &options)
                .expect("compiles")
                .sql,
        );
    }
    // The view the queries read: every event of the demo as a JSON string, built by the
    // compiled `--location` source itself.
    let location = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz");
    let source = compile(
        &query::parse("").expect("empty"),
        Dialect::Spark,
        &Options {
            location: Some(location.display().to_string()),
            ..Options::default()
        },
    )
    .expect("compiles")
    .sql;
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("queries.json");
    std::fs::write(&list, serde_json::to_string(&queries).expect("json")).expect("write");
    let script = format!(
        r#"
import json, sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.master("local[2]").appName("trailscope-test").config("spark.ui.enabled", "false").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
print("spark", spark.version, file=sys.stderr)
spark.sql({source}).createOrReplaceTempView("events")
spark.sql("CACHE TABLE events")
out = [spark.sql("SELECT count(*) FROM (" + q + ")").collect()[0][0] for q in json.load(open({list:?}))]
print(json.dumps(out))
"#,
        source = serde_json::Value::String(source),
        list = list.display().to_string(),
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let version: Vec<&str> = stderr.lines().filter(|l| l.starts_with("spark ")).collect();
    eprintln!("{}", version.join("\n"));
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let counts: Vec<u64> = serde_json::from_str(stdout.lines().last().unwrap_or(""))
        .unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let mismatched: Vec<String> = FILTERS
        .iter()
        .zip(counts.iter().zip(&expected))
        .filter(|(_, (got, want))| got != want)
        .map(|(f, (got, want))| format!("{f}: spark {got}, trailscope {want}"))
        .collect();
    assert!(mismatched.is_empty(), "{}", mismatched.join("\n"));
}

/// The PySpark program `sql --script` prints runs as it is, and what it writes is the events
/// trailscope selects itself, read back as events.
#[test]
fn the_spark_script_writes_events_trailscope_reads() {
    if !spark_available("the_spark_script_writes_events_trailscope_reads") {
        return;
    }
    let filter = "principal:ci-deploy ip:185.220.101.47";
    let location = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz");
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args([
            "sql",
            "-w",
            filter,
            "--dialect",
            "spark",
            "--script",
            "--location",
        ])
        .arg(&location)
        .output()
        .expect("trailscope sql");
    assert!(out.status.success());
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("job.py");
    std::fs::write(&script, &out.stdout).expect("write");
    let result = dir.path().join("result");
    let run = Command::new("python3")
        .arg(&script)
        .arg(&result)
        .output()
        .expect("python3");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (read, report) =
        Store::load_paths(&[result], &LoadOptions::default(), &Progress::default());
    assert!(
        !report.has_problems(),
        "{:?}",
        report.problems().collect::<Vec<_>>()
    );
    let mut got: Vec<String> = (0..read.len())
        .map(|r| read.event_id(r).to_string())
        .collect();
    got.sort();
    let store = demo();
    let mut want: Vec<String> = query::parse(filter)
        .expect("filter")
        .rows(&store, &Session::default())
        .iter()
        .map(|&r| store.event_id(r as usize).to_string())
        .collect();
    want.sort();
    assert_eq!(want.len(), 25);
    assert_eq!(got, want);
}

#[test]
fn a_ddl_location_hive_cannot_quote_is_refused() {
    for location in ["s3://bucket/x\\'y/", "s3://bucket/it's/"] {
        let err = trailscope::sql::athena_ddl("t", location).expect_err("refused");
        assert!(err.0.contains("cannot hold a ' or a \\"), "{err}");
    }
    let ddl = trailscope::sql::athena_ddl("t", "s3://bucket/AWSLogs/111122223333/CloudTrail/")
        .expect("a plain S3 prefix");
    assert!(
        ddl.contains("LOCATION 's3://bucket/AWSLogs/111122223333/CloudTrail/'"),
        "{ddl}"
    );
}
