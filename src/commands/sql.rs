//! `trailscope sql`: the filter as one SQL statement for another engine; notes on stderr.

use anyhow::bail;

use super::{load, parse_filter, to_stdout, Status};
use crate::cli::{LoadArgs, SqlArgs};
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
    let dialect = args.dialect;
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
