//! Sigma rules read from YAML: metadata, detection selections with their field tests, the
//! condition, and correlation blocks. What the engine cannot run is an error naming the
//! reason; nothing is dropped silently.

use yaml_rust2::{Yaml, YamlLoader};

use super::condition::{self, Cond};
use super::value::{FieldTest, Pattern, SigmaGlob};
use crate::query::Cidr;

/// How serious a rule says its hits are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Informational = 1,
    Low = 2,
    Medium = 3,
    High = 4,
    Critical = 5,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Informational,
        Level::Low,
        Level::Medium,
        Level::High,
        Level::Critical,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Level::Informational => "informational",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    /// `high`, also `info` for informational.
    pub fn parse(text: &str) -> Option<Level> {
        let text = text.to_ascii_lowercase();
        Level::ALL
            .into_iter()
            .find(|l| l.name() == text || (text == "info" && *l == Level::Informational))
    }

    pub fn from_u8(v: u8) -> Option<Level> {
        Level::ALL.into_iter().find(|l| *l as u8 == v)
    }
}

/// One selection: a map of field tests (all must hold), or a list of such maps (any).
#[derive(Debug, Clone)]
pub struct Selection {
    pub name: String,
    pub any_of: Vec<Vec<FieldTest>>,
}

/// A `correlation:` block (Sigma v2).
#[derive(Debug, Clone)]
pub struct Correlation {
    pub kind: CorrelationKind,
    /// The rules it refers to, by name, id or title.
    pub rules: Vec<String>,
    pub group_by: Vec<String>,
    /// Milliseconds.
    pub timespan: i64,
    /// Whether the rules it refers to report their own hits too.
    pub generate: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CorrelationKind {
    /// At least / at most / ... `n` events per group in the timespan.
    EventCount(Threshold),
    /// Distinct values of `field` per group in the timespan.
    ValueCount { field: String, threshold: Threshold },
    /// The referred rules hit in the given order within the timespan.
    TemporalOrdered,
}

/// `gte: 10` and its kin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    pub op: Op,
    pub value: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
}

impl Threshold {
    pub fn holds(&self, n: u64) -> bool {
        match self.op {
            Op::Gt => n > self.value,
            Op::Gte => n >= self.value,
            Op::Lt => n < self.value,
            Op::Lte => n <= self.value,
            Op::Eq => n == self.value,
        }
    }
}

/// A rule: what it is, and either a detection or a correlation.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The file it came from (`sigmahq/aws_cloudtrail_disable_logging.yml`), and the
    /// document's position in it (0 for the first).
    pub file: String,
    pub document: usize,
    pub title: String,
    pub id: String,
    pub name: String,
    /// The level it is shown at (its own, unless a level tuning changed it).
    pub level: Level,
    /// The level its author gave it.
    pub own_level: Level,
    pub author: String,
    pub description: String,
    /// The ATT&CK tactics its tags name (`defense-evasion`), in kill-chain order.
    pub tactics: Vec<&'static str>,
    /// The ATT&CK techniques its tags name (`T1562.008`).
    pub techniques: Vec<String>,
    pub selections: Vec<Selection>,
    pub condition: Option<Cond>,
    pub correlation: Option<Correlation>,
}

impl Rule {
    /// Whether `reference` (from a correlation's `rules:`) names this rule.
    pub fn answers_to(&self, reference: &str) -> bool {
        [&self.name, &self.id, &self.title]
            .iter()
            .any(|n| !n.is_empty() && n.as_str() == reference)
    }
}

/// A rule the engine cannot run, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: rule {what} cannot be used: {reason}")]
pub struct RuleError {
    pub file: String,
    /// The rule's id or title, or its document number.
    pub what: String,
    pub reason: String,
}

/// The most nodes a rule file may stand for once its aliases are expanded (the largest
/// shipped rule has a few hundred): a file of aliases of aliases (a "billion laughs") is
/// refused before the tree is built, which would copy each alias in full.
const MAX_NODES: u64 = 100_000;

/// How many nodes `text` stands for with every alias expanded, counted on the parser's
/// events without building anything; `Err` past `limit` (or when it is not YAML).
fn expanded_nodes(text: &str, limit: u64) -> Result<u64, String> {
    use yaml_rust2::parser::{Event, Parser};
    // Per collection still open: its anchor and its nodes so far (an alias of it copies
    // that many).
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut anchors: std::collections::HashMap<usize, u64> = std::collections::HashMap::new();
    // Every node the tree would hold, aliases copied.
    let mut counted: u64 = 0;
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, _) = parser.next_token().map_err(|e| e.to_string())?;
        let finished = match event {
            Event::StreamEnd => return Ok(counted),
            Event::Scalar(_, _, anchor, _) => Some((anchor, 1)),
            Event::Alias(anchor) => Some((0, anchors.get(&anchor).copied().unwrap_or(1))),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                counted = counted.saturating_add(1);
                open.push((anchor, 1));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                // Its nodes were counted as they came; it is added to its parent whole.
                let (anchor, size) = open.pop().unwrap_or((0, 1));
                if anchor != 0 {
                    anchors.insert(anchor, size);
                }
                if let Some((_, parent)) = open.last_mut() {
                    *parent = parent.saturating_add(size);
                }
                None
            }
            _ => None,
        };
        if let Some((anchor, size)) = finished {
            counted = counted.saturating_add(size);
            if anchor != 0 {
                anchors.insert(anchor, size);
            }
            if let Some((_, parent)) = open.last_mut() {
                *parent = parent.saturating_add(size);
            }
        }
        if counted > limit {
            return Err(format!(
                "its aliases expand to more than {limit} nodes (a rule has a few hundred)"
            ));
        }
    }
}

/// Reads every YAML document of one file.
pub fn parse_file(file: &str, text: &str) -> Vec<Result<Rule, RuleError>> {
    if let Err(reason) = expanded_nodes(text, MAX_NODES) {
        return vec![Err(RuleError {
            file: file.to_string(),
            what: "(file)".into(),
            reason: if reason.contains("expand") {
                reason
            } else {
                format!("not YAML: {reason}")
            },
        })];
    }
    let docs = match YamlLoader::load_from_str(text) {
        Ok(docs) => docs,
        Err(err) => {
            return vec![Err(RuleError {
                file: file.to_string(),
                what: "(file)".into(),
                reason: format!("not YAML: {err}"),
            })]
        }
    };
    docs.iter()
        .enumerate()
        .filter(|(_, doc)| !matches!(doc, Yaml::Null))
        .map(|(i, doc)| parse_rule(file, i, doc))
        .collect()
}

fn text(doc: &Yaml, key: &str) -> String {
    scalar_text(&doc[key]).unwrap_or_default()
}

/// A scalar as Sigma compares it: its text (numbers and booleans too).
fn scalar_text(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

pub use crate::store::TACTICS;

/// The tactics (kill-chain order) and techniques (`T1098.001`) of Sigma tags
/// (`attack.persistence`, `attack.t1098.001`); other tags are left out.
pub fn attack<'t>(tags: impl Iterator<Item = &'t str>) -> (Vec<&'static str>, Vec<String>) {
    let (mut tactics, mut techniques) = (Vec::new(), Vec::new());
    for tag in tags {
        let Some(name) = tag.trim().strip_prefix("attack.") else {
            continue;
        };
        let name = name.to_ascii_lowercase().replace('_', "-");
        if let Some(tactic) = TACTICS.iter().find(|t| **t == name) {
            tactics.push(*tactic);
        } else if let Some(number) = name.strip_prefix('t') {
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let whole = match number.split_once('.') {
                Some((main, sub)) => digits(main) && digits(sub),
                None => digits(number),
            };
            if whole {
                techniques.push(format!("T{number}"));
            }
        }
    }
    tactics.sort_by_key(|t| TACTICS.iter().position(|x| x == t));
    tactics.dedup();
    techniques.sort();
    techniques.dedup();
    (tactics, techniques)
}

fn parse_rule(file: &str, document: usize, doc: &Yaml) -> Result<Rule, RuleError> {
    let title = text(doc, "title");
    let id = text(doc, "id");
    let fail = |reason: String| RuleError {
        file: file.to_string(),
        what: if !id.is_empty() {
            id.clone()
        } else if !title.is_empty() {
            format!("\"{title}\"")
        } else {
            format!("#{}", document + 1)
        },
        reason,
    };
    let level = match doc["level"].as_str() {
        Some(l) => Level::parse(l).ok_or_else(|| fail(format!("unknown level `{l}`")))?,
        None => Level::Medium,
    };
    let mut rule = Rule {
        file: file.to_string(),
        document,
        title: title.clone(),
        id: id.clone(),
        name: text(doc, "name"),
        level,
        own_level: level,
        author: text(doc, "author"),
        description: text(doc, "description").trim().to_string(),
        tactics: Vec::new(),
        techniques: Vec::new(),
        selections: Vec::new(),
        condition: None,
        correlation: None,
    };
    if let Yaml::Array(tags) = &doc["tags"] {
        (rule.tactics, rule.techniques) = attack(tags.iter().filter_map(Yaml::as_str));
    }
    if let Yaml::Hash(_) = &doc["correlation"] {
        rule.correlation = Some(parse_correlation(&doc["correlation"]).map_err(fail)?);
        return Ok(rule);
    }
    let Yaml::Hash(detection) = &doc["detection"] else {
        return Err(fail("no `detection` or `correlation`".into()));
    };
    let mut conditions = Vec::new();
    for (key, value) in detection {
        let Some(key) = key.as_str() else {
            return Err(fail("a detection key that is not text".into()));
        };
        if key == "condition" {
            match value {
                Yaml::Array(list) => {
                    for c in list {
                        conditions.push(c.as_str().unwrap_or_default().to_string());
                    }
                }
                other => conditions.push(scalar_text(other).unwrap_or_default()),
            }
            continue;
        }
        if key == "timeframe" {
            return Err(fail(
                "`timeframe` (Sigma v1 aggregation) is not supported".into(),
            ));
        }
        let selection = parse_selection(key, value).map_err(&fail)?;
        rule.selections.push(selection);
    }
    if conditions.is_empty() {
        return Err(fail("no `condition`".into()));
    }
    let names: Vec<&str> = rule.selections.iter().map(|s| s.name.as_str()).collect();
    let mut parsed = Vec::new();
    for c in &conditions {
        parsed
            .push(condition::parse(c, &names).map_err(|e| fail(format!("condition `{c}`: {e}")))?);
    }
    // Several conditions: any of them.
    rule.condition = Some(match parsed.len() {
        0 => return Err(fail("no `condition`".into())),
        1 => parsed.remove(0),
        _ => Cond::Or(parsed),
    });
    Ok(rule)
}

fn parse_selection(name: &str, value: &Yaml) -> Result<Selection, String> {
    let maps: Vec<&Yaml> = match value {
        Yaml::Hash(_) => vec![value],
        Yaml::Array(items) if items.iter().all(|i| matches!(i, Yaml::Hash(_))) => {
            items.iter().collect()
        }
        Yaml::Array(_) | Yaml::String(_) => {
            return Err(format!(
                "selection `{name}` is a keyword search (values without a field)"
            ))
        }
        _ => {
            return Err(format!(
                "selection `{name}` is neither a map nor a list of maps"
            ))
        }
    };
    let mut any_of = Vec::new();
    for map in maps {
        let Yaml::Hash(hash) = map else { continue };
        let mut tests = Vec::new();
        for (key, values) in hash {
            let key = key
                .as_str()
                .ok_or_else(|| format!("selection `{name}` has a field name that is not text"))?;
            tests.push(parse_field_test(key, values)?);
        }
        any_of.push(tests);
    }
    Ok(Selection {
        name: name.to_string(),
        any_of,
    })
}

/// `field|mod|mod: value(s)`.
fn parse_field_test(key: &str, values: &Yaml) -> Result<FieldTest, String> {
    let mut parts = key.split('|');
    let path = parts.next().unwrap_or_default().to_string();
    let mut modifiers: Vec<&str> = parts.collect();
    let mut all = false;
    let mut cased = false;
    modifiers.retain(|m| match *m {
        "all" => {
            all = true;
            false
        }
        "cased" => {
            cased = true;
            false
        }
        _ => true,
    });
    let list: Vec<&Yaml> = match values {
        Yaml::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut patterns = Vec::new();
    let kind = modifiers.first().copied().unwrap_or("");
    let flags: Vec<&str> = modifiers.iter().skip(1).copied().collect();
    if kind != "re" && !flags.is_empty() {
        return Err(format!(
            "field `{key}`: modifiers `{}` together are not supported",
            modifiers.join("|")
        ));
    }
    for value in list {
        let text = scalar_text(value);
        let pattern = match (kind, value) {
            ("exists", Yaml::Boolean(b)) => Pattern::Exists(*b),
            ("exists", _) => return Err(format!("field `{key}`: `exists` takes true or false")),
            (_, Yaml::Null) if kind.is_empty() => Pattern::Null,
            ("", _) => Pattern::Text(SigmaGlob::parse(
                &needs(text, key)?,
                value_is_string(value),
                cased,
            )),
            ("contains", _) => Pattern::Text(SigmaGlob::parse(
                &format!("*{}*", needs(text, key)?),
                true,
                cased,
            )),
            ("startswith", _) => Pattern::Text(SigmaGlob::parse(
                &format!("{}*", needs(text, key)?),
                true,
                cased,
            )),
            ("endswith", _) => Pattern::Text(SigmaGlob::parse(
                &format!("*{}", needs(text, key)?),
                true,
                cased,
            )),
            ("re", _) => {
                let mut builder = regex::RegexBuilder::new(&needs(text, key)?);
                for flag in &flags {
                    match *flag {
                        "i" => builder.case_insensitive(true),
                        "m" => builder.multi_line(true),
                        "s" => builder.dot_matches_new_line(true),
                        other => {
                            return Err(format!(
                                "field `{key}`: regular expression flag `{other}` is not supported"
                            ))
                        }
                    };
                }
                Pattern::Re(builder.build().map_err(|e| format!("field `{key}`: {e}"))?)
            }
            ("cidr", _) => {
                let text = needs(text, key)?;
                Pattern::Cidr(
                    Cidr::parse(&text)
                        .ok_or_else(|| format!("field `{key}`: `{text}` is not a CIDR block"))?,
                )
            }
            ("fieldref", _) => Pattern::FieldRef(needs(text, key)?),
            (other, _) => {
                return Err(format!(
                    "field `{key}`: modifier `{other}` is not supported"
                ))
            }
        };
        patterns.push(pattern);
    }
    if patterns.is_empty() {
        return Err(format!("field `{key}` has an empty list of values"));
    }
    Ok(FieldTest {
        path,
        patterns,
        all,
    })
}

fn value_is_string(value: &Yaml) -> bool {
    matches!(value, Yaml::String(_))
}

fn needs(text: Option<String>, key: &str) -> Result<String, String> {
    text.ok_or_else(|| format!("field `{key}`: a value that is not a scalar"))
}

fn parse_correlation(block: &Yaml) -> Result<Correlation, String> {
    let kind_name = block["type"].as_str().unwrap_or_default();
    let rules: Vec<String> = match &block["rules"] {
        Yaml::Array(items) => items.iter().filter_map(scalar_text).collect(),
        other => scalar_text(other).into_iter().collect(),
    };
    if rules.is_empty() {
        return Err("a correlation without `rules`".into());
    }
    let group_by: Vec<String> = match &block["group-by"] {
        Yaml::Array(items) => items.iter().filter_map(scalar_text).collect(),
        Yaml::BadValue | Yaml::Null => Vec::new(),
        other => scalar_text(other).into_iter().collect(),
    };
    let timespan = parse_timespan(&text(block, "timespan"))
        .ok_or_else(|| format!("timespan `{}` is not a duration", text(block, "timespan")))?;
    let generate = block["generate"].as_bool().unwrap_or(false);
    let threshold = |condition: &Yaml| -> Result<Threshold, String> {
        let Yaml::Hash(map) = condition else {
            return Err("a correlation without a `condition`".into());
        };
        for (key, value) in map {
            let op = match key.as_str().unwrap_or_default() {
                "gt" => Op::Gt,
                "gte" => Op::Gte,
                "lt" => Op::Lt,
                "lte" => Op::Lte,
                "eq" => Op::Eq,
                _ => continue,
            };
            let value = value
                .as_i64()
                .and_then(|v| u64::try_from(v).ok())
                .ok_or("a correlation threshold that is not a count")?;
            return Ok(Threshold { op, value });
        }
        Err("a correlation condition without gt, gte, lt, lte or eq".into())
    };
    let kind = match kind_name {
        "event_count" => CorrelationKind::EventCount(threshold(&block["condition"])?),
        "value_count" => CorrelationKind::ValueCount {
            field: text(&block["condition"], "field"),
            threshold: threshold(&block["condition"])?,
        },
        "temporal_ordered" => CorrelationKind::TemporalOrdered,
        other => return Err(format!("correlation type `{other}` is not supported")),
    };
    Ok(Correlation {
        kind,
        rules,
        group_by,
        timespan,
        generate,
    })
}

/// `10m`, `1h`, `30s`, `2d`.
fn parse_timespan(text: &str) -> Option<i64> {
    let unit_at = text.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = text.split_at(unit_at);
    let n: i64 = n.parse().ok()?;
    let ms = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        _ => return None,
    };
    n.checked_mul(ms)
}
