//! Every command's output, in the one [`Format`] enum: events (`query -o`, the explorer's
//! `:write`) as jsonl (original events, one per line), json (one Records document that loads
//! again), csv (safe against spreadsheet formulas), table (aligned, with every control
//! character escaped) and Timesketch's two; and the other commands' results as [`Records`]
//! (`stats`, `summary`, `detect`), which every format writes. A new format is one variant
//! here and its writers here.

use std::io::{self, Write};

use crate::schema::{self, FieldDef, Storage};
use crate::stats::display_value;
use crate::store::{Session, Store};
use crate::text::{self, fit, sanitize, truncate};

mod records;
pub use records::{counts, pairs, write_report, Records, Report};

/// The formats every command writes in (clap reads `-o` into this enum directly), and the
/// explorer's `:write`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line: an event as logged, or a record.
    Jsonl,
    /// Events: one `{"Records":[...]}` document every CloudTrail tool loads again; records:
    /// one JSON array.
    Json,
    /// Comma-separated, with a header, safe against formula injection.
    Csv,
    /// Events in aligned columns, long values cut with … on a terminal and whole in a file or
    /// a pipe; records one per line.
    Table,
    /// Events as Timesketch's JSON Lines: `message`, `datetime` (ISO 8601),
    /// `timestamp_desc`, then the fields of `csv`.
    Timesketch,
    /// Events as Timesketch's CSV: the same columns.
    TimesketchCsv,
}

impl Format {
    /// The format a file name asks for: `.json` Records, `.jsonl` JSON Lines, `.csv`,
    /// `.timesketch.jsonl`, `.timesketch.csv`.
    pub fn of_file_name(name: &str) -> Option<Format> {
        let name = name.to_ascii_lowercase();
        [
            (".timesketch.jsonl", Format::Timesketch),
            (".timesketch.csv", Format::TimesketchCsv),
            (".jsonl", Format::Jsonl),
            (".json", Format::Json),
            (".csv", Format::Csv),
        ]
        .into_iter()
        .find(|(ext, _)| name.ends_with(ext))
        .map(|(_, f)| f)
    }
}

/// Where events are written: a table is cut to a terminal's reading width, and never in a
/// file or a pipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Terminal,
    File,
}

/// Writes `rows` of `store` in `format`; `columns` chooses the fields of `csv` and `table`
/// (empty: the default ones).
pub fn write(
    out: &mut dyn Write,
    store: &Store,
    session: &Session,
    rows: &[u32],
    (format, to): (Format, Destination),
    columns: &Columns,
) -> io::Result<()> {
    write_events(out, (store, session), rows, (format, to), columns, None)
}

/// Marked events with the investigator's notes: CSV and the table gain a `note` column,
/// JSON and JSON Lines a `trailscopeNote` member after the event's own (the event is
/// otherwise as logged, and loads again), Timesketch a `note` attribute.
pub fn write_with_notes(
    out: &mut dyn Write,
    store: &Store,
    session: &Session,
    rows: &[u32],
    (format, to): (Format, Destination),
) -> io::Result<()> {
    let notes = session.marks();
    let note_of = |row: u32| notes.get(&row).map_or("", String::as_str);
    let defaults_of = match format {
        Format::Table => &schema::TABLE_DEFAULT[..],
        _ => &schema::CSV_DEFAULT[..],
    };
    let columns: Vec<&FieldDef> = defaults(defaults_of)
        .into_iter()
        .chain(schema::named("note"))
        .collect();
    write_events(
        out,
        (store, session),
        rows,
        (format, to),
        &columns,
        Some(&note_of),
    )
}

fn write_events(
    out: &mut dyn Write,
    (store, session): (&Store, &Session),
    rows: &[u32],
    (format, to): (Format, Destination),
    columns: &Columns,
    notes: NoteOf<'_>,
) -> io::Result<()> {
    let cut = to == Destination::Terminal;
    let noted = |row: u32, json: String| match notes {
        Some(of) => with_note(&json, of(row)),
        None => json,
    };
    match format {
        Format::Jsonl => each_event(store, rows, &mut |_, row, json| {
            out.write_all(noted(row, json).as_bytes())?;
            out.write_all(b"\n")
        })?,
        Format::Json => {
            out.write_all(b"{\"Records\":[")?;
            each_event(store, rows, &mut |i, row, json| {
                out.write_all(if i > 0 { b",\n" } else { b"\n" })?;
                out.write_all(noted(row, json).as_bytes())
            })?;
            out.write_all(b"\n]}\n")?;
        }
        Format::Csv if columns.is_empty() => {
            write_csv(out, store, session, rows, &defaults(&schema::CSV_DEFAULT))?
        }
        Format::Csv => write_csv(out, store, session, rows, columns)?,
        Format::Table if columns.is_empty() => {
            let columns = defaults(&schema::TABLE_DEFAULT);
            write_table(out, (store, session), rows, &columns, cut)?
        }
        Format::Table => write_table(out, (store, session), rows, columns, cut)?,
        Format::Timesketch => write_timesketch(out, store, session, rows, notes)?,
        Format::TimesketchCsv => write_timesketch_csv(out, store, session, rows, notes)?,
    }
    out.flush()
}

/// Rows whose events are read together: each input holding some of them is inflated once
/// for them, on all cores (in time order, the rows of a stretch come from few inputs).
const EVENTS_AT_ONCE: usize = 16_384;

/// Calls `each(index, row, minified JSON)` for each of `rows`, in their order. A stretch of
/// rows at a time is read input by input, so an input is not inflated again for every
/// event of it that another input's event follows.
fn each_event(
    store: &Store,
    rows: &[u32],
    each: &mut dyn FnMut(usize, u32, String) -> io::Result<()>,
) -> io::Result<()> {
    for (n, stretch) in rows.chunks(EVENTS_AT_ONCE).enumerate() {
        let read = store.scan_rows(stretch, Vec::new, |found, row, json| {
            found.push((row, minify(json)))
        });
        let mut by_row: rustc_hash::FxHashMap<u32, String> = read.into_iter().flatten().collect();
        for (i, &row) in stretch.iter().enumerate() {
            // Not read with the others (its file changed since the load, or it has no JSON
            // of its own): read alone, for the reason.
            let json = match by_row.remove(&row) {
                Some(json) => json,
                None => minify(&store.event_text(row as usize).map_err(io::Error::other)?),
            };
            each(n * EVENTS_AT_ONCE + i, row, json)?;
        }
    }
    Ok(())
}

/// An event's minified JSON with `"trailscopeNote"` added as its last member.
fn with_note(event: &str, note: &str) -> String {
    match event.strip_suffix('}') {
        Some(body) if !note.is_empty() => {
            let separator = if body.trim_end().ends_with('{') {
                ""
            } else {
                ","
            };
            let value = serde_json::Value::String(note.to_string()).to_string();
            format!("{body}{separator}\"trailscopeNote\":{}}}", minify(&value))
        }
        _ => event.to_string(),
    }
}

/// What Timesketch shows for an event: `CreateUser by ci-deploy from 185.220.101.47`, and
/// the error when the call failed.
fn message(store: &Store, row: usize) -> String {
    use crate::schema::Col;
    let mut text = format!(
        "{} by {} from {}",
        store.get(Col::Name, row),
        store.get(Col::Principal, row),
        store.get(Col::Ip, row)
    );
    let error = store.get(Col::Error, row);
    if !error.is_empty() {
        text.push_str(&format!(" ({error})"));
    }
    text
}

/// The ISO 8601 time Timesketch reads (`2024-05-02T14:05:05+00:00`).
fn datetime(store: &Store, row: usize) -> String {
    store
        .time(row)
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_default()
}

/// The note of a marked row, for the writers that carry notes.
type NoteOf<'a> = Option<&'a dyn Fn(u32) -> &'a str>;

fn write_timesketch(
    out: &mut dyn Write,
    store: &Store,
    session: &Session,
    rows: &[u32],
    notes: NoteOf<'_>,
) -> io::Result<()> {
    let columns = defaults(&schema::CSV_DEFAULT);
    for &row in rows {
        let note = notes.map(|of| of(row));
        let row = row as usize;
        let mut line = serde_json::Map::new();
        line.insert("message".into(), message(store, row).into());
        line.insert("datetime".into(), datetime(store, row).into());
        line.insert("timestamp_desc".into(), "Event Recorded".into());
        for def in &columns {
            line.insert(def.csv.into(), cell(store, session, def, row).into());
        }
        if let Some(note) = note {
            line.insert("note".into(), note.into());
        }
        let json = serde_json::Value::Object(line).to_string();
        writeln!(out, "{}", minify(&json))?;
    }
    Ok(())
}

fn write_timesketch_csv(
    out: &mut dyn Write,
    store: &Store,
    session: &Session,
    rows: &[u32],
    notes: NoteOf<'_>,
) -> io::Result<()> {
    let columns = defaults(&schema::CSV_DEFAULT);
    let mut csv = csv_writer(out);
    let mut header = vec!["message", "datetime", "timestamp_desc"];
    header.extend(columns.iter().map(|def| def.csv));
    if notes.is_some() {
        header.push("note");
    }
    csv.write_record(&header)?;
    for &row in rows {
        let note = notes.map(|of| of(row));
        let row = row as usize;
        let mut record = vec![
            csv_safe(&message(store, row)),
            datetime(store, row),
            "Event Recorded".to_string(),
        ];
        record.extend(
            columns
                .iter()
                .map(|def| csv_safe(&cell(store, session, def, row))),
        );
        record.extend(note.map(csv_safe));
        csv.write_record(&record)?;
    }
    csv.flush()
}

/// JSON with the whitespace between tokens removed; key order, numbers and string values
/// are kept. Characters that could drive a terminal (DEL, C1 controls, bidi overrides), which
/// JSON allows raw inside strings, are written as `\uXXXX` escapes: the same value, safe to
/// print. (C0 controls are always escaped in valid JSON.)
pub fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            if !escaped && crate::text::is_unsafe(c) {
                out.push_str(&format!("\\u{:04x}", c as u32));
                continue;
            }
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\n' | '\r' | '\t') {
            out.push(c);
        }
    }
    out
}

/// The columns `-o csv` and `-o table` write: named fields of the schema.
pub type Columns = [&'static FieldDef];

/// The named fields of `names`, or the first name that is not one (or that is a time bound,
/// which has no value of its own).
pub fn columns(names: &[&str]) -> Result<Vec<&'static FieldDef>, String> {
    names
        .iter()
        .map(|name| {
            schema::named(name.trim())
                .filter(|def| !matches!(def.storage, Storage::TimeBound(_)))
                .ok_or_else(|| name.trim().to_string())
        })
        .collect()
}

fn defaults(names: &[&str]) -> Vec<&'static FieldDef> {
    names.iter().filter_map(|n| schema::named(n)).collect()
}

fn cell(store: &Store, session: &Session, def: &FieldDef, row: usize) -> String {
    display_value(store, session, def.storage, row)
}

fn write_csv(
    out: &mut dyn Write,
    store: &Store,
    session: &Session,
    rows: &[u32],
    columns: &Columns,
) -> io::Result<()> {
    let mut csv = csv_writer(out);
    let header: Vec<&str> = columns.iter().map(|def| def.csv).collect();
    csv.write_record(&header)?;
    for &row in rows {
        csv.write_record(
            columns
                .iter()
                .map(|def| csv_safe(&cell(store, session, def, row as usize))),
        )?;
    }
    csv.flush()
}

/// A CSV writer as RFC 4180 has it (fields quoted when they hold a separator, a quote or a
/// line break; line breaks kept inside quotes), with `\n` between records.
pub fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// A CSV cell's text, safe to open in a spreadsheet and to print: a formula (`= + - @`
/// first, also after leading spaces or no-break spaces, or a leading tab or CR) is defused
/// with `'` (OWASP's advice), and every control character but line breaks (which quoting
/// keeps, as RFC 4180 does) is escaped.
pub fn csv_safe(value: &str) -> String {
    let first = value.trim_start_matches([' ', '\u{a0}']).chars().next();
    let formula = matches!(first, Some('=' | '+' | '-' | '@')) || value.starts_with(['\t', '\r']);
    let defused = if formula {
        format!("'{value}")
    } else {
        value.to_string()
    };
    defused
        .split('\n')
        .map(|line| sanitize(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The widest a table cell grows before it is cut on a terminal; IPs and principals are
/// never cut.
fn table_cap(def: &FieldDef) -> usize {
    match def.name {
        "ip" | "principal" | "arn" | "resource" | "key" | "id" | "request" => usize::MAX,
        "name" | "msg" | "agent" => 40,
        _ => 32,
    }
}

/// Events in aligned columns; with `cut` (a terminal) long cells end in `…`, else every
/// value is whole.
fn write_table(
    out: &mut dyn Write,
    (store, session): (&Store, &Session),
    rows: &[u32],
    columns: &Columns,
    cut: bool,
) -> io::Result<()> {
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|&row| {
            columns
                .iter()
                .map(|def| {
                    let value = sanitize(&cell(store, session, def, row as usize)).into_owned();
                    if value.is_empty() {
                        "-".into()
                    } else {
                        value
                    }
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = columns.iter().map(|def| def.header.len()).collect();
    for line in &lines {
        for (i, cell) in line.iter().enumerate() {
            let cap = if cut {
                table_cap(columns[i])
            } else {
                usize::MAX
            };
            widths[i] = widths[i].max(text::width(cell).min(cap));
        }
    }
    let print = |out: &mut dyn Write, cells: &[&str]| -> io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() && cut {
                text.push_str(&truncate(cell, widths[i]));
            } else if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(&fit(cell, widths[i]));
                text.push_str("  ");
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    let header: Vec<&str> = columns.iter().map(|def| def.header).collect();
    print(out, &header)?;
    for line in &lines {
        let cells: Vec<&str> = line.iter().map(String::as_str).collect();
        print(out, &cells)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minify_keeps_strings_and_order() {
        assert_eq!(
            minify("{ \"b\" : [1, 2],\n \"a\": \"x y\\\" z\" }"),
            "{\"b\":[1,2],\"a\":\"x y\\\" z\"}"
        );
    }

    /// One CSV record of one cell, as the writer makes it.
    fn csv_cell(value: &str) -> String {
        let mut out = Vec::new();
        let mut csv = csv_writer(&mut out);
        csv.write_record([csv_safe(value)]).expect("write");
        drop(csv);
        String::from_utf8(out)
            .expect("utf-8")
            .trim_end_matches('\n')
            .to_string()
    }

    #[test]
    fn csv_defuses_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\\tx");
        assert_eq!(csv_cell("\rx"), "'\\rx");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("CreateUser"), "CreateUser");
        assert_eq!(csv_cell("  =1+1"), "'  =1+1");
        assert_eq!(csv_cell("\u{a0}@x"), "'\u{a0}@x");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("bell\u{7}\u{1b}[2J"), "bell\\x07\\x1b[2J");
    }
}
