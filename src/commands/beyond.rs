//! The commands that reach past one loaded index: `sql` (the filter for other engines),
//! `verify` (the evidence against its digests), `summary`, and `stats --by A,B`.

use anyhow::{bail, Context};

use super::{load, open_inputs, parse_filter, require_paths, to_stdout, Status, Usage};
use crate::cli::{
    CacheArgs, LoadArgs, SqlArgs, SqlDialect, StatsArgs, StatsFormat, SummaryArgs, SummaryFormat,
    VerifyArgs,
};
use trailscope::output;
use trailscope::query::{Expr, Field};
use trailscope::stats;
use trailscope::text::sanitize;

/// `sql`: the filter as SQL for another engine; notes on stderr.
pub(super) fn sql(args: SqlArgs, load_args: &LoadArgs) -> anyhow::Result<Status> {
    use trailscope::sql::{self, Dialect};
    let time = |flag: &str, text: &Option<String>| -> anyhow::Result<Option<i64>> {
        match text {
            None => Ok(None),
            Some(t) => match trailscope::query::parse_time_bound(t) {
                Some(trailscope::query::TimeBound::At(at)) => Ok(Some(at)),
                _ => bail!(
                    "--{flag} {}: expected a date or an RFC 3339 time",
                    sanitize(t)
                ),
            },
        }
    };
    if args.ddl {
        let Some(location) = &args.location else {
            bail!("--ddl needs --location s3://bucket/AWSLogs/ACCOUNT/CloudTrail/");
        };
        let ddl = sql::athena_ddl(args.table.as_deref().unwrap_or("cloudtrail_logs"), location)
            .map_err(|e| anyhow::anyhow!("{}", sanitize(&e.0)))?;
        to_stdout(|out| write!(out, "{ddl}"))?;
        return Ok(Status::Ok);
    }
    let expr = parse_filter(args.selection.filter.as_deref())?;
    let mut options = sql::Options {
        table: args.table.clone(),
        location: args.location.clone(),
        from: time("from", &args.from)?,
        to: time("to", &args.to)?,
        now: time("now", &args.now)?,
        names: None,
    };
    let mut status = Status::Ok;
    if !args.selection.paths.is_empty() || load_args.demo {
        let loaded = load(&args.selection.paths, load_args);
        status = loaded.report_problems();
        options.names = Some(sql::event_names(&loaded.store));
    }
    let dialect = match args.dialect {
        SqlDialect::Athena => Dialect::Athena,
        SqlDialect::Lake => Dialect::Lake,
        SqlDialect::Spark => Dialect::Spark,
        SqlDialect::Duckdb => Dialect::DuckDb,
    };
    let compiled = sql::compile(&expr, dialect, &options)?;
    for note in &compiled.notes {
        eprintln!("trailscope: {}", sanitize(note));
    }
    if let Some(prefix) = &args.unload {
        if dialect != Dialect::Athena {
            bail!("--unload is for --dialect athena");
        }
        to_stdout(|out| writeln!(out, "{}", sql::athena_unload(&compiled.sql, prefix)))?;
        return Ok(status);
    }
    if args.script {
        if dialect != Dialect::Spark {
            bail!("--script is for --dialect spark");
        }
        to_stdout(|out| write!(out, "{}", sql::spark_script(&compiled.sql)))?;
    } else {
        to_stdout(|out| writeln!(out, "{}", compiled.sql))?;
    }
    Ok(status)
}

/// `verify`: each finding on a line, then what was verified and what could not be checked.
pub(super) fn verify(args: VerifyArgs) -> anyhow::Result<Status> {
    use trailscope::verify::Finding;
    if args.paths.is_empty() {
        return Err(anyhow::Error::new(Usage(
            "verify needs the folder of the trail (log files and digests)",
        )));
    }
    let report = trailscope::verify::verify(&args.paths, args.public_keys.as_deref());
    to_stdout(|out| {
        for finding in &report.findings {
            let (kind, text) = match finding {
                Finding::Modified { file, digest } => (
                    "MODIFIED",
                    format!("{file} (its hash is not the one {digest} lists)"),
                ),
                Finding::Missing { file, digest } => {
                    ("MISSING", format!("{file} (listed by {digest})"))
                }
                Finding::DigestModified { digest, next } => (
                    "DIGEST MODIFIED",
                    format!("{digest} (its hash is not the one {next} lists)"),
                ),
                Finding::ChainBreak { digest, previous } => (
                    "CHAIN BREAK",
                    format!("{previous} is absent ({digest} follows it): a digest was deleted"),
                ),
                Finding::BadSignature { digest } => ("BAD SIGNATURE", digest.clone()),
                Finding::UnknownKey {
                    digest,
                    fingerprint,
                } => (
                    "UNKNOWN KEY",
                    format!("{digest} (fingerprint {fingerprint} is not in the keys given)"),
                ),
                Finding::NotCovered {
                    file,
                    after_last_digest: true,
                } => (
                    "NOT COVERED",
                    format!("{file} (delivered after the newest digest: the digest that would list it is not among the inputs)"),
                ),
                Finding::NotCovered { file, .. } => {
                    ("NOT COVERED", format!("{file} (no digest lists it)"))
                }
                Finding::Unreadable { file, reason } => ("UNREADABLE", format!("{file}: {reason}")),
            };
            writeln!(out, "{kind:<16} {}", sanitize(&text))?;
        }
        if report.digests == 0 {
            writeln!(
                out,
                "NOT VERIFIED: nothing could be verified: no digest files among the {} files",
                report.log_files
            )?;
        } else {
            let backfill = match report.backfill_digests {
                0 => String::new(),
                n => format!(" ({n} backfill)"),
            };
            writeln!(
                out,
                "{}: {} of {} log files and {} of {} digests{backfill} verified, {} signatures checked",
                if report.ok() {
                    "verified"
                } else {
                    "NOT VERIFIED"
                },
                report.verified_files,
                report.log_files,
                report.verified_digests,
                report.digests,
                report.signatures_checked
            )?;
        }
        for what in &report.not_checked {
            writeln!(out, "not checked: {}", sanitize(what))?;
        }
        Ok(())
    })?;
    Ok(if report.ok() {
        Status::Ok
    } else {
        Status::Unverified
    })
}

pub(super) fn summary(args: SummaryArgs, load_args: &LoadArgs) -> anyhow::Result<Status> {
    require_paths(&args.selection.paths, load_args)?;
    let expr = parse_filter(args.selection.filter.as_deref())?;
    let (loaded, status) = open_inputs(&args.selection.paths, load_args, expr.uses_detections())?;
    let rows = expr.rows(&loaded.store);
    let overview = trailscope::overview::overview(&loaded.store, &rows, args.top);
    to_stdout(|out| match args.output {
        SummaryFormat::Table => trailscope::overview::table(out, &overview),
        SummaryFormat::Json => trailscope::overview::json(out, &overview),
    })?;
    Ok(status)
}

/// `stats --by A,B`: events per pair of values, with the first and last time of each.
pub(super) fn stats_pairs(
    args: &StatsArgs,
    names: [&str; 2],
    expr: &Expr,
    load_args: &LoadArgs,
) -> anyhow::Result<Status> {
    let mut fields = Vec::new();
    for name in names {
        match Field::from_name(name.trim()) {
            Some(Field::Path(_)) => bail!(
                "--by {}: a pair takes named fields, not JSON paths",
                sanitize(&args.by)
            ),
            Some(field) => fields.push(field),
            None => bail!(
                "unknown field `{}` for --by; known fields: {}",
                sanitize(name),
                Field::known_list()
            ),
        }
    }
    let detections = expr.uses_detections() || fields.iter().any(|f| f.uses_detections());
    let (loaded, status) = open_inputs(&args.selection.paths, load_args, detections)?;
    let rows = expr.rows(&loaded.store);
    let mut pairs = stats::count_pairs(&loaded.store, &rows, [&fields[0], &fields[1]])?;
    if let Some(top) = args.top {
        pairs.truncate(top);
    }
    let when = |t: Option<i64>| t.map(trailscope::event::format_time).unwrap_or_default();
    to_stdout(|out| match args.output {
        StatsFormat::Table => {
            for p in &pairs {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    sanitize(&p.values[0]),
                    sanitize(&p.values[1]),
                    p.count,
                    when(p.first),
                    when(p.last)
                )?;
            }
            Ok(())
        }
        StatsFormat::Json => {
            let list: Vec<serde_json::Value> = pairs
                .iter()
                .map(|p| {
                    serde_json::json!({
                        names[0].trim(): p.values[0], names[1].trim(): p.values[1],
                        "count": p.count, "first": when(p.first), "last": when(p.last),
                    })
                })
                .collect();
            let json = serde_json::Value::Array(list).to_string();
            writeln!(out, "{}", output::minify(&json))
        }
        StatsFormat::Csv => {
            let mut csv = output::csv_writer(out);
            csv.write_record([names[0].trim(), names[1].trim(), "count", "first", "last"])?;
            for p in &pairs {
                csv.write_record([
                    output::csv_safe(&p.values[0]),
                    output::csv_safe(&p.values[1]),
                    p.count.to_string(),
                    when(p.first),
                    when(p.last),
                ])?;
            }
            csv.flush()
        }
    })?;
    Ok(status)
}

/// `trailscope cache`: the saved indexes, newest first, each with the folder of its trail;
/// `--clear` removes them.
pub(super) fn cache(args: CacheArgs, load: &LoadArgs) -> anyhow::Result<Status> {
    use trailscope::load::cache;
    let Some(dir) = load.index_dir() else {
        bail!("saved indexes are off (--no-index-cache)");
    };
    let found = cache::list(&dir);
    let mib = |bytes: u64| format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64);
    let shown = sanitize(&dir.display().to_string()).into_owned();
    if args.clear {
        for (path, _, _) in &found {
            std::fs::remove_file(path)
                .with_context(|| format!("removing {}", sanitize(&path.display().to_string())))?;
        }
        let total = found.iter().map(|f| f.1).sum();
        println!(
            "removed {} saved {} ({}) from {shown}",
            found.len(),
            indexes(found.len()),
            mib(total)
        );
        return Ok(Status::Ok);
    }
    println!(
        "saved indexes in {shown} (at most {} GiB, the oldest go first):",
        cache::MAX_BYTES >> 30
    );
    for (path, size, used) in &found {
        let trail = match cache::inputs_of(path) {
            Ok(entries) => {
                let folder = common_folder(entries.iter().map(|e| e.path.as_path()));
                format!(
                    "{} ({} files)",
                    sanitize(&folder.display().to_string()),
                    trailscope::text::thousands(entries.len())
                )
            }
            Err(e) => format!("unreadable: {e}"),
        };
        let used = chrono::DateTime::<chrono::Utc>::from(*used).format("%Y-%m-%d %H:%M");
        println!("  {:>10}  last used {used}  {trail}", mib(*size));
    }
    let total = found.iter().map(|f| f.1).sum();
    println!(
        "{} in {} {}; `trailscope cache --clear` removes them",
        mib(total),
        found.len(),
        indexes(found.len())
    );
    Ok(Status::Ok)
}

fn indexes(n: usize) -> &'static str {
    if n == 1 {
        "index"
    } else {
        "indexes"
    }
}

/// The deepest folder holding every one of `paths`.
fn common_folder<'a>(paths: impl Iterator<Item = &'a std::path::Path>) -> std::path::PathBuf {
    let mut common: Option<std::path::PathBuf> = None;
    for path in paths {
        let folder = path.parent().unwrap_or(path);
        common = Some(match common {
            None => folder.to_path_buf(),
            Some(c) => c
                .ancestors()
                .find(|a| folder.starts_with(a))
                .unwrap_or(std::path::Path::new("/"))
                .to_path_buf(),
        });
    }
    common.unwrap_or_default()
}
