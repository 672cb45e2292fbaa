//! What `trailscope detect` prints: per rule its level, hits, first and last hit, title,
//! author and id (table, JSON, CSV), or one line per event hit with its rules (JSON Lines,
//! a timeline ready for Timesketch).

use std::io::{self, Write};

use super::{Level, RuleHits, RuleSet};
use crate::event::format_time;
use crate::store::Store;
use crate::text::{sanitize, width};

/// What `detect` writes: a line per rule (`lines`), or in JSON Lines one per event hit.
pub struct Detections<'a> {
    pub lines: &'a [Line<'a>],
    pub store: &'a Store,
    pub set: &'a RuleSet,
    pub found: &'a [RuleHits],
    pub min_level: Level,
}

impl crate::output::Report for Detections<'_> {
    fn records(&self) -> crate::output::Records {
        crate::output::Records {
            columns: COLUMNS.iter().map(|n| n.to_string()).collect(),
            rows: self
                .lines
                .iter()
                .map(|l| {
                    vec![
                        l.level.name().into(),
                        l.own_level.name().into(),
                        l.hits.into(),
                        l.first.clone().into(),
                        l.last.clone().into(),
                        l.title.into(),
                        l.author.into(),
                        l.id.into(),
                    ]
                })
                .collect(),
        }
    }

    fn write_as(
        &self,
        out: &mut dyn Write,
        format: crate::output::Format,
    ) -> Option<io::Result<()>> {
        use crate::output::Format;
        Some(match format {
            Format::Table => table(out, self.lines),
            Format::Json => json(out, self.lines),
            Format::Csv => csv(out, self.lines),
            Format::Jsonl => events(out, self.store, self.set, self.found, self.min_level),
            // Every other format writes the records.
            _ => return None,
        })
    }
}

/// The columns of the records and the CSV.
const COLUMNS: [&str; 8] = [
    "level",
    "rule_level",
    "hits",
    "first",
    "last",
    "title",
    "author",
    "id",
];

/// One rule's line of the summary.
pub struct Line<'a> {
    /// The level shown (tuned), and the rule's own.
    pub level: Level,
    pub own_level: Level,
    pub hits: usize,
    pub first: String,
    pub last: String,
    pub title: &'a str,
    pub author: &'a str,
    pub id: &'a str,
    /// A correlation's firings: the group, its events, first and last.
    pub firings: Vec<(String, usize, String, String)>,
}

/// The rules that hit at `min_level` or above, most severe first, then most hits.
pub fn lines<'a>(
    store: &Store,
    set: &'a RuleSet,
    found: &[RuleHits],
    min_level: Level,
) -> Vec<Line<'a>> {
    let time = |row: Option<&u32>| {
        row.and_then(|&r| store.time(r as usize))
            .map(format_time)
            .unwrap_or_default()
    };
    let mut lines: Vec<Line> = found
        .iter()
        .filter(|h| set.rules[h.rule].level >= min_level)
        .map(|h| {
            let rule = &set.rules[h.rule];
            Line {
                level: rule.level,
                own_level: rule.own_level,
                hits: h.rows.len(),
                first: time(h.rows.first()),
                last: time(h.rows.last()),
                title: &rule.title,
                author: &rule.author,
                id: &rule.id,
                firings: h
                    .firings
                    .iter()
                    .map(|f| {
                        (
                            f.group.clone(),
                            f.rows.len(),
                            time(f.rows.first()),
                            time(f.rows.last()),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then(b.hits.cmp(&a.hits))
            .then(a.title.cmp(b.title))
    });
    lines
}

pub fn table(out: &mut dyn Write, lines: &[Line]) -> io::Result<()> {
    let title_width = lines
        .iter()
        .map(|l| width(&sanitize(l.title)))
        .max()
        .unwrap_or(5)
        .clamp(5, 60);
    writeln!(
        out,
        "{:<13}  {:<13}  {:>6}  {:<20}  {:<20}  {:<title_width$}  AUTHOR",
        "LEVEL", "RULE'S LEVEL", "HITS", "FIRST", "LAST", "TITLE"
    )?;
    for l in lines {
        let title = crate::text::truncate(&sanitize(l.title), title_width).into_owned();
        let pad = title_width.saturating_sub(width(&title));
        writeln!(
            out,
            "{:<13}  {:<13}  {:>6}  {:<20}  {:<20}  {title}{}  {}",
            l.level.name(),
            l.own_level.name(),
            l.hits,
            l.first,
            l.last,
            " ".repeat(pad),
            sanitize(l.author)
        )?;
    }
    Ok(())
}

pub fn json(out: &mut dyn Write, lines: &[Line]) -> io::Result<()> {
    let list: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| {
            serde_json::json!({
                "id": l.id,
                "title": l.title,
                "level": l.level.name(),
                "rule_level": l.own_level.name(),
                "author": l.author,
                "hits": l.hits,
                "firings": l.firings.iter().map(|(group, events, first, last)| serde_json::json!({
                    "group": group, "events": events, "first": first, "last": last,
                })).collect::<Vec<_>>(),
                "first": l.first,
                "last": l.last,
            })
        })
        .collect();
    // Escaped like every JSON the product prints: nothing in a rule drives the terminal.
    writeln!(
        out,
        "{}",
        crate::output::minify(&serde_json::to_string(&list)?)
    )
}

pub fn csv(out: &mut dyn Write, lines: &[Line]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    for l in lines {
        writer.write_record([
            l.level.name(),
            l.own_level.name(),
            &l.hits.to_string(),
            &l.first,
            &l.last,
            &crate::output::csv_safe(l.title),
            &crate::output::csv_safe(l.author),
            &crate::output::csv_safe(l.id),
        ])?;
    }
    writer.flush()
}

/// One line per event hit (at `min_level` or above), in time order: Timesketch's
/// `message`, `datetime`, `timestamp_desc`, the rules, and the event itself.
pub fn events(
    out: &mut dyn Write,
    store: &Store,
    set: &RuleSet,
    found: &[RuleHits],
    min_level: Level,
) -> io::Result<()> {
    let mut per_row: Vec<(u32, usize)> = found
        .iter()
        .enumerate()
        .filter(|(_, h)| set.rules[h.rule].level >= min_level)
        .flat_map(|(i, h)| h.rows.iter().map(move |&r| (r, i)))
        .collect();
    per_row.sort_unstable();
    for group in per_row.chunk_by(|a, b| a.0 == b.0) {
        let row = group[0].0 as usize;
        let rules: Vec<&super::Rule> = group
            .iter()
            .map(|(_, i)| &set.rules[found[*i].rule])
            .collect();
        let top = rules
            .iter()
            .map(|r| r.level)
            .max()
            .unwrap_or(Level::Informational);
        let event: serde_json::Value =
            serde_json::from_str(&store.event_json(row)).unwrap_or(serde_json::Value::Null);
        let titles: Vec<&str> = rules.iter().map(|r| r.title.as_str()).collect();
        let line = serde_json::json!({
            "datetime": store.time(row).map(format_time),
            "timestamp_desc": "Event Recorded",
            "message": format!("[{}] {}", top.name(), titles.join("; ")),
            "level": top.name(),
            "rules": rules.iter().map(|r| serde_json::json!({
                "title": r.title, "id": r.id, "level": r.level.name(), "author": r.author,
            })).collect::<Vec<_>>(),
            "event": event,
        });
        writeln!(
            out,
            "{}",
            crate::output::minify(&serde_json::to_string(&line)?)
        )?;
    }
    Ok(())
}
