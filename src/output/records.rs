//! The results of `stats`, `summary`, `detect` and `check` as [`Records`]: named columns,
//! a value each, which every [`Format`] writes from one writer per format here.

use std::io::{self, Write};

use super::{csv_safe, csv_writer, minify, Format};
use crate::text::sanitize;

/// A command's result as records: named columns, and per record one value per column
/// (`null` where it has none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Records {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// A result a command writes: its records, which every format writes, and its own way of
/// writing some formats (the summary's sections, the detections' table).
pub trait Report {
    fn records(&self) -> Records;

    /// This result written in `format` its own way; `None`: as its records.
    fn write_as(&self, out: &mut dyn Write, format: Format) -> Option<io::Result<()>> {
        let _ = (out, format);
        None
    }
}

impl Report for Records {
    fn records(&self) -> Records {
        self.clone()
    }
}

/// Writes `report` in `format`.
pub fn write_report(out: &mut dyn Write, report: &dyn Report, format: Format) -> io::Result<()> {
    if let Some(written) = report.write_as(out, format) {
        return written;
    }
    let records = report.records();
    let object = |row: &[serde_json::Value]| {
        let map: serde_json::Map<String, serde_json::Value> = records
            .columns
            .iter()
            .cloned()
            .zip(row.iter().cloned())
            .collect();
        serde_json::Value::Object(map)
    };
    match format {
        Format::Table => {
            for row in &records.rows {
                let cells: Vec<String> = row.iter().map(table_cell).collect();
                writeln!(out, "{}", cells.join("\t"))?;
            }
        }
        // The same JSON policy as events: characters that could drive a terminal are
        // written as \u escapes.
        Format::Json => {
            let list: Vec<serde_json::Value> = records.rows.iter().map(|r| object(r)).collect();
            writeln!(
                out,
                "{}",
                minify(&serde_json::Value::Array(list).to_string())
            )?;
        }
        Format::Jsonl => {
            for row in &records.rows {
                writeln!(out, "{}", minify(&object(row).to_string()))?;
            }
        }
        Format::Csv => {
            let mut csv = csv_writer(out);
            csv.write_record(&records.columns)?;
            for row in &records.rows {
                csv.write_record(row.iter().map(csv_cell))?;
            }
            csv.flush()?;
        }
        Format::Timesketch | Format::TimesketchCsv => {
            return Err(io::Error::other(
                "Timesketch formats take events: trailscope query -o timesketch",
            ))
        }
    }
    out.flush()
}

/// `stats --by FIELD`: a record per value (`null` for events without one) and its events.
pub fn counts(counts: &[crate::stats::Counted]) -> Records {
    Records {
        columns: vec!["value".into(), "count".into()],
        rows: counts
            .iter()
            .map(|(value, n)| vec![value.clone().into(), (*n).into()])
            .collect(),
    }
}

/// `stats --by A,B`: a record per pair of values, its events, and the time of its first and
/// last.
pub fn pairs(names: [&str; 2], pairs: &[crate::stats::Pair]) -> Records {
    let when = |t: Option<i64>| t.map(crate::event::format_time).unwrap_or_default();
    Records {
        columns: vec![
            names[0].into(),
            names[1].into(),
            "count".into(),
            "first".into(),
            "last".into(),
        ],
        rows: pairs
            .iter()
            .map(|p| {
                vec![
                    p.values[0].clone().into(),
                    p.values[1].clone().into(),
                    p.count.into(),
                    when(p.first).into(),
                    when(p.last).into(),
                ]
            })
            .collect(),
    }
}

/// A record's value in a table: [`crate::stats::ABSENT`] for none, text made safe.
fn table_cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => crate::stats::ABSENT.to_string(),
        serde_json::Value::String(text) => {
            sanitize(&crate::stats::table_label(Some(text))).into_owned()
        }
        other => sanitize(&other.to_string()).into_owned(),
    }
}

/// A record's value in CSV: empty for none, text safe against formulas.
fn csv_cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(text) => csv_safe(text),
        other => other.to_string(),
    }
}
