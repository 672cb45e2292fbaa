//! What `trailscope detect` prints: per rule its level, hits, first and last hit, title,
//! author and id (table, JSON, CSV), or one line per event hit with its rules (JSON Lines,
//! a timeline ready for Timesketch).

use std::io::{self, Write};

use super::{Level, RuleHits, RuleSet};
use crate::event::format_time;
use crate::store::{Store, Verdict};
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
                        l.routine.into(),
                        l.new.into(),
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

/// `detect --by origin`: the suspects, most suspicious first.
pub struct Suspects<'a>(pub &'a [super::suspects::Suspect]);

impl crate::output::Report for Suspects<'_> {
    fn records(&self) -> crate::output::Records {
        crate::output::Records {
            columns: ["score", "origin", "account", "events", "reasons"]
                .iter()
                .map(|n| n.to_string())
                .collect(),
            rows: self
                .0
                .iter()
                .map(|s| {
                    vec![
                        s.score.into(),
                        s.origin.clone().into(),
                        s.account.clone().into(),
                        s.events.into(),
                        s.reasons.join("; ").into(),
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
        (format == crate::output::Format::Table).then(|| suspects_table(out, self.0))
    }
}

/// A header line, then one origin a line.
fn suspects_table(out: &mut dyn Write, suspects: &[super::suspects::Suspect]) -> io::Result<()> {
    let origin_width = suspects
        .iter()
        .map(|s| width(&sanitize(&s.origin)))
        .max()
        .unwrap_or(6)
        .clamp(6, 48);
    writeln!(
        out,
        "{:>5}  {:<origin_width$}  {:<12}  {:>7}  REASONS",
        "SCORE", "ORIGIN", "ACCOUNT", "EVENTS"
    )?;
    for s in suspects {
        let origin = crate::text::truncate(&sanitize(&s.origin), origin_width).into_owned();
        let pad = origin_width.saturating_sub(width(&origin));
        writeln!(
            out,
            "{:>5}  {origin}{}  {:<12}  {:>7}  {}",
            s.score,
            " ".repeat(pad),
            sanitize(&s.account),
            s.events,
            sanitize(&s.reasons.join("; "))
        )?;
    }
    Ok(())
}

/// The columns of the records and the CSV.
const COLUMNS: [&str; 10] = [
    "level",
    "rule_level",
    "hits",
    "routine",
    "new",
    "first",
    "last",
    "title",
    "author",
    "id",
];

/// One rule's line of the summary.
pub struct Line<'a> {
    /// The highest effective level of its hits (tuned, routine lowered, new raised), and
    /// the level its author gave it.
    pub level: Level,
    pub own_level: Level,
    pub hits: usize,
    /// Of its hits, how many are routine and how many new.
    pub routine: usize,
    pub new: usize,
    pub first: String,
    pub last: String,
    pub title: &'a str,
    pub author: &'a str,
    pub id: &'a str,
    /// A correlation's firings: the group, its events, first and last.
    pub firings: Vec<(String, usize, String, String)>,
}

/// The rules with a hit at `min_level` or above (effective), most severe first, then most
/// hits.
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
        .filter(|h| h.top(set.rules[h.rule].level) >= min_level as u8)
        .map(|h| {
            let rule = &set.rules[h.rule];
            let count = |routine: bool| {
                h.verdicts
                    .iter()
                    .filter(|v| match v {
                        Verdict::Routine { .. } => routine,
                        Verdict::New { .. } => !routine,
                        Verdict::Plain => false,
                    })
                    .count()
            };
            Line {
                level: Level::from_u8(h.top(rule.level)).unwrap_or(rule.level),
                own_level: rule.own_level,
                hits: h.rows.len(),
                routine: count(true),
                new: count(false),
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
        "{:<13}  {:<13}  {:>6}  {:>7}  {:>5}  {:<20}  {:<20}  {:<title_width$}  AUTHOR",
        "LEVEL", "RULE'S LEVEL", "HITS", "ROUTINE", "NEW", "FIRST", "LAST", "TITLE"
    )?;
    for l in lines {
        let title = crate::text::truncate(&sanitize(l.title), title_width).into_owned();
        let pad = title_width.saturating_sub(width(&title));
        writeln!(
            out,
            "{:<13}  {:<13}  {:>6}  {:>7}  {:>5}  {:<20}  {:<20}  {title}{}  {}",
            l.level.name(),
            l.own_level.name(),
            l.hits,
            l.routine,
            l.new,
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
                "routine": l.routine,
                "new": l.new,
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
            &l.routine.to_string(),
            &l.new.to_string(),
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
    // Per event hit: the rule's place in `found`, its hit's verdict and effective level.
    let mut per_row: Vec<(u32, usize, Verdict, u8)> = Vec::new();
    for (i, h) in found.iter().enumerate() {
        let level = set.rules[h.rule].level;
        for (at, &row) in h.rows.iter().enumerate() {
            let verdict = h.verdicts.get(at).copied().unwrap_or_default();
            per_row.push((row, i, verdict, verdict.effective(level as u8)));
        }
    }
    per_row.sort_unstable_by_key(|&(row, i, _, _)| (row, i));
    for group in per_row.chunk_by(|a, b| a.0 == b.0) {
        let row = group[0].0 as usize;
        let top = group.iter().map(|g| g.3).max().unwrap_or(0);
        if top < min_level as u8 {
            continue;
        }
        let top = Level::from_u8(top).unwrap_or(Level::Informational);
        let rules: Vec<(&super::Rule, Verdict, u8)> = group
            .iter()
            .map(|&(_, i, verdict, level)| (&set.rules[found[i].rule], verdict, level))
            .collect();
        let event: serde_json::Value =
            serde_json::from_str(&store.event_json(row)).unwrap_or(serde_json::Value::Null);
        let titles: Vec<&str> = rules.iter().map(|(r, _, _)| r.title.as_str()).collect();
        let line = serde_json::json!({
            "datetime": store.time(row).map(format_time),
            "timestamp_desc": "Event Recorded",
            "message": format!("[{}] {}", top.name(), titles.join("; ")),
            "level": top.name(),
            "rules": rules.iter().map(|(r, verdict, level)| serde_json::json!({
                "title": r.title, "id": r.id,
                "level": Level::from_u8(*level).map(Level::name),
                "rule_level": r.own_level.name(),
                "verdict": verdict_name(*verdict),
                "tactics": r.tactics, "techniques": r.techniques,
                "author": r.author,
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

/// A verdict as `detect` writes it: `routine`, `new` or `null`.
fn verdict_name(verdict: Verdict) -> Option<&'static str> {
    match verdict {
        Verdict::Plain => None,
        Verdict::Routine { .. } => Some("routine"),
        Verdict::New { .. } => Some("new"),
    }
}
