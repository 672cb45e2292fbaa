//! The writers of `query -o`: jsonl (original events, one per line), json (one Records
//! document that loads again), csv (safe against spreadsheet formulas) and table (aligned,
//! with every control character escaped).

use std::io::{self, Write};

use crate::event::format_time;
use crate::store::{Col, Store};
use crate::text::{sanitize, truncate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Json,
    Csv,
    Table,
}

/// Writes `rows` of `store` in `format`.
pub fn write(out: &mut dyn Write, store: &Store, rows: &[u32], format: Format) -> io::Result<()> {
    match format {
        Format::Jsonl => {
            for &row in rows {
                let json = store.event_json(row as usize);
                out.write_all(minify(&json).as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
        Format::Json => {
            out.write_all(b"{\"Records\":[")?;
            for (i, &row) in rows.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",\n")?;
                } else {
                    out.write_all(b"\n")?;
                }
                out.write_all(minify(&store.event_json(row as usize)).as_bytes())?;
            }
            out.write_all(b"\n]}\n")?;
        }
        Format::Csv => write_csv(out, store, rows)?,
        Format::Table => write_table(out, store, rows)?,
    }
    out.flush()
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

pub const CSV_HEADER: [&str; 12] = [
    "eventTime",
    "eventName",
    "eventSource",
    "awsRegion",
    "sourceIPAddress",
    "principal",
    "userIdentity.type",
    "accessKeyId",
    "errorCode",
    "readOnly",
    "recipientAccountId",
    "eventID",
];

fn time_text(store: &Store, row: usize) -> String {
    store.time(row).map_or_else(String::new, format_time)
}

fn write_csv(out: &mut dyn Write, store: &Store, rows: &[u32]) -> io::Result<()> {
    writeln!(out, "{}", CSV_HEADER.join(","))?;
    for &row in rows {
        let row = row as usize;
        let read_only = match store.read_only(row) {
            Some(true) => "true",
            Some(false) => "false",
            None => "",
        };
        let cells = [
            time_text(store, row).as_str(),
            store.get(Col::Name, row),
            store.get(Col::Source, row),
            store.get(Col::Region, row),
            store.get(Col::Ip, row),
            store.get(Col::Principal, row),
            store.get(Col::IdentityType, row),
            store.get(Col::AccessKey, row),
            store.get(Col::ErrorCode, row),
            read_only,
            store.get(Col::RecipientAccount, row),
            store.event_id(row),
        ]
        .map(csv_cell);
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// One CSV cell: a leading `= + - @`, tab or CR is defused with `'` (OWASP's advice), and
/// the cell is quoted when it holds a separator, quote or line break.
pub fn csv_cell(value: &str) -> String {
    let defused = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    };
    // Then no control character reaches a terminal the CSV is printed on.
    let defused = sanitize(&defused).into_owned();
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

const TABLE_COLUMNS: [(&str, usize); 8] = [
    ("TIME", 20),
    ("EVENT", 40),
    ("SOURCE", 32),
    ("REGION", 14),
    ("IP", 39),
    ("PRINCIPAL", 48),
    ("ERROR", 32),
    ("ACCOUNT", 12),
];

fn write_table(out: &mut dyn Write, store: &Store, rows: &[u32]) -> io::Result<()> {
    let lines: Vec<[String; 8]> = rows
        .iter()
        .map(|&row| {
            let row = row as usize;
            let time = store.time(row).map_or_else(|| "-".into(), format_time);
            [
                time,
                store.get(Col::Name, row).to_string(),
                store.get(Col::Source, row).to_string(),
                store.get(Col::Region, row).to_string(),
                store.get(Col::Ip, row).to_string(),
                store.get(Col::Principal, row).to_string(),
                store.get(Col::ErrorCode, row).to_string(),
                store.get(Col::RecipientAccount, row).to_string(),
            ]
            .map(|cell| {
                let cell = sanitize(&cell).into_owned();
                if cell.is_empty() {
                    "-".into()
                } else {
                    cell
                }
            })
        })
        .collect();
    let mut widths: Vec<usize> = TABLE_COLUMNS.iter().map(|(h, _)| h.len()).collect();
    for line in &lines {
        for (i, cell) in line.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count().min(TABLE_COLUMNS[i].1));
        }
    }
    let print = |out: &mut dyn Write, cells: &[&str]| -> io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let cell = truncate(cell, widths[i]);
            if i + 1 == cells.len() {
                text.push_str(&cell);
            } else {
                text.push_str(&format!("{:<w$}  ", cell, w = widths[i]));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    let header: Vec<&str> = TABLE_COLUMNS.iter().map(|(h, _)| *h).collect();
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
    }
}
