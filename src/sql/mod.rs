//! `trailscope sql`: the filter language compiled to one SQL `SELECT` for the engines a trail
//! outgrows this machine into — Athena (the standard CloudTrail table), CloudTrail Lake,
//! Spark SQL and DuckDB — from the same parsed expression and the one field schema.
//!
//! Every term becomes a condition that is never NULL (`coalesce(…, FALSE)`), so `-error:*`
//! keeps the successes as it does here. Values compare as trailscope compares them: the
//! whole value, case-insensitive (`lower(…) LIKE …` with `%` `_` `\` escaped), `*` as `%`.
//! String literals are written with their quotes doubled and never spliced otherwise: no
//! filter text reaches the SQL outside a literal.

use crate::query::{Cidr, Expr, Field, Matcher, TimeBound};
use crate::schema::{Col, FieldDef, Matching, Storage};

mod engines;
mod identity;
mod lexical;
pub use engines::{athena_ddl, athena_unload, spark_script};
use engines::{athena_path, lake_path, spark_json_path};
pub use lexical::literal;
use lexical::{identifier, json_path, like_pattern, LIKE_ESCAPE};

/// The engine the SQL is for (clap reads `sql --dialect` into it directly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    /// Athena (Trino) over the standard CloudTrail table of AWS's Athena guide.
    Athena,
    /// CloudTrail Lake (Trino) over an event data store.
    Lake,
    /// Spark SQL over each event kept as a JSON string.
    Spark,
    /// DuckDB over each event read as JSON.
    #[value(name = "duckdb")]
    DuckDb,
}

/// What the compiled statement reads and how it resolves relative times.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A table or view the user has (for DuckDB and Spark: one JSON event per row, column
    /// `e`); else `location` is read.
    pub table: Option<String>,
    /// Files to read (a path or glob; DuckDB and Spark).
    pub location: Option<String>,
    /// Bounds on eventTime (ms), also written as Athena's partition predicate.
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// What `after:-2h` counts back from.
    pub now: Option<i64>,
    /// The eventNames of the trail at hand: a fuzzy word expands to those it matches.
    pub names: Option<Vec<String>>,
}

/// The statement, and what the user should know about it (said on stderr).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    pub sql: String,
    pub notes: Vec<String>,
}

/// A filter that has no SQL form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SqlError(pub String);

/// The eventNames of a loaded trail, for [`Options::names`].
pub fn event_names(store: &crate::store::Store) -> Vec<String> {
    store
        .strings(Col::Name)
        .values()
        .filter(|(id, _)| *id != 0)
        .map(|(_, name)| name.to_string())
        .collect()
}

/// Compiles `expr` to one `SELECT` of the matching events.
pub fn compile(expr: &Expr, dialect: Dialect, options: &Options) -> Result<Compiled, SqlError> {
    let mut c = Compiler {
        dialect,
        options,
        notes: Vec::new(),
    };
    let mut conditions = vec![c.expr(expr)?];
    if let Some(from) = options.from {
        conditions.push(c.time_compare(">=", from));
    }
    if let Some(to) = options.to {
        conditions.push(c.time_compare("<", to));
    }
    if dialect == Dialect::Athena {
        // The partition column `timestamp` ('yyyy/MM/dd'): what keeps Athena from reading
        // every day of the trail. The filter's own `after:` / `before:` (at its top level)
        // bound it as --from / --to do.
        let (after, before) = top_level_bounds(expr, options.now);
        let from = options.from.into_iter().chain(after).max();
        let to = options.to.into_iter().chain(before).min();
        if let Some(from) = from {
            conditions.push(format!("\"timestamp\" >= {}", literal(&day(from))));
        }
        if let Some(to) = to {
            conditions.push(format!("\"timestamp\" <= {}", literal(&day(to))));
        }
    }
    let conditions: Vec<String> = conditions.into_iter().filter(|c| c != "TRUE").collect();
    let wher = if conditions.is_empty() {
        String::new()
    } else {
        format!("\nWHERE {}", conditions.join("\n  AND "))
    };
    let sql = match dialect {
        Dialect::DuckDb => {
            let source = match (&options.table, &options.location) {
                (Some(table), _) => format!("SELECT e FROM {}", identifier(table)),
                (None, Some(location)) => format!(
                    "SELECT unnest(json_extract(json, '$.Records[*]')) AS e FROM read_json_objects({}, format = 'auto', maximum_object_size = 1073741824)",
                    literal(location)
                ),
                (None, None) => return Err(SqlError("duckdb: give --location PATH_OR_GLOB or --table NAME".into())),
            };
            format!("WITH events AS ({source})\nSELECT e FROM events{wher}")
        }
        Dialect::Spark => {
            let source = match (&options.table, &options.location) {
                (Some(table), _) => format!("SELECT e FROM {}", identifier(table)),
                (None, Some(location)) => format!(
                    "SELECT explode(from_json(value, 'struct<Records:array<string>>').Records) AS e FROM text.`{}`",
                    location.replace('`', "")
                ),
                (None, None) => return Err(SqlError("spark: give --location PATH_OR_GLOB or --table NAME".into())),
            };
            format!("WITH events AS ({source})\nSELECT e FROM events{wher}")
        }
        Dialect::Athena => format!(
            "SELECT *\nFROM {}{wher}",
            identifier(options.table.as_deref().unwrap_or("cloudtrail_logs"))
        ),
        Dialect::Lake => {
            let Some(table) = &options.table else {
                return Err(SqlError(
                    "lake: give the event data store id as --table".into(),
                ));
            };
            format!(
                "SELECT {}\nFROM {}{wher}",
                engines::LAKE_COLUMNS,
                identifier(table)
            )
        }
    };
    Ok(Compiled {
        sql,
        notes: c.notes,
    })
}

struct Compiler<'a> {
    dialect: Dialect,
    options: &'a Options,
    notes: Vec<String>,
}

impl Compiler<'_> {
    /// A string literal as this dialect reads one: Spark SQL treats a backslash as an
    /// escape and takes `\'` for a quote; the others double the quote.
    fn lit(&self, text: &str) -> String {
        match self.dialect {
            Dialect::Spark => format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'")),
            _ => literal(text),
        }
    }

    /// A JSON path as this dialect's JSON functions read one.
    fn json_path(&self, path: &str) -> Result<String, SqlError> {
        match self.dialect {
            Dialect::Spark => spark_json_path(path),
            _ => Ok(json_path(path)),
        }
    }

    fn expr(&mut self, expr: &Expr) -> Result<String, SqlError> {
        Ok(match expr {
            Expr::All => "TRUE".into(),
            Expr::And(list) => self.join(list, " AND ")?,
            Expr::Or(list) => self.join(list, " OR ")?,
            Expr::Not(inner) => format!("NOT ({})", self.expr(inner)?),
            Expr::Word(word) => {
                let name = self.path("eventName")?;
                self.fuzzy(&name, word)
            }
            Expr::Phrase(text) => {
                self.notes.push(format!(
                    "\"{text}\": a substring of the event's JSON as the engine writes it back (escapes and spacing may differ from the file)"
                ));
                let whole = self.whole_event();
                let needle = self.lit(&text.to_lowercase());
                match self.dialect {
                    Dialect::Spark => {
                        format!("coalesce(instr(lower({whole}), {needle}) > 0, FALSE)")
                    }
                    _ => format!("coalesce(strpos(lower({whole}), {needle}) > 0, FALSE)"),
                }
            }
            Expr::Term { field, matcher } => self.term(field, matcher)?,
        })
    }

    fn join(&mut self, list: &[Expr], op: &str) -> Result<String, SqlError> {
        let parts: Result<Vec<String>, SqlError> = list.iter().map(|e| self.expr(e)).collect();
        Ok(format!("({})", parts?.join(op)))
    }

    fn term(&mut self, field: &Field, matcher: &Matcher) -> Result<String, SqlError> {
        let (def, storage): (Option<&FieldDef>, Storage) = match field {
            Field::Named(def) => (Some(def), def.storage),
            Field::Column(col) => {
                let value = self.column(*col)?;
                return Ok(self.matches(&value, matcher, false));
            }
            Field::Path(path) => {
                let value = self.path(&path.to_string())?;
                return Ok(self.matches(&value, matcher, false));
            }
        };
        let name = def.map_or("field", |d| d.name);
        let refuse = |why: &str| {
            Err(SqlError(format!(
                "`{name}:` {why}; filter the engine's result in trailscope instead"
            )))
        };
        Ok(match storage {
            Storage::Columns(cols) => {
                let service = def.is_some_and(|d| d.matching == Matching::Service);
                let mut parts = Vec::new();
                for &col in cols {
                    let value = self.column(col)?;
                    parts.push(self.matches(&value, matcher, service));
                }
                format!("({})", parts.join(" OR "))
            }
            Storage::Row(text) => {
                let path = match text {
                    crate::schema::RowText::EventId => "eventID",
                    crate::schema::RowText::RequestId => "requestID",
                };
                let value = self.path(path)?;
                self.matches(&value, matcher, false)
            }
            Storage::Time => {
                let value = self.path("eventTime")?;
                self.matches(&value, matcher, false)
            }
            Storage::TimeBound(bound) => {
                let Matcher::Time(time) = matcher else {
                    return refuse("takes a time");
                };
                let at = match time {
                    TimeBound::At(t) => *t,
                    TimeBound::BeforeNewest(ms) => match self.options.now {
                        Some(now) => now - ms,
                        None => {
                            return Err(SqlError(format!(
                                "`{name}:` relative to the newest event needs --now (an RFC 3339 time) in SQL: the engine does not know which event is the newest"
                            )))
                        }
                    },
                };
                let op = match bound {
                    crate::schema::Bound::After => ">=",
                    crate::schema::Bound::Before => "<",
                };
                self.time_compare(op, at)
            }
            Storage::Flag => {
                let Matcher::Bool(want) = matcher else {
                    return refuse("takes true or false");
                };
                let value = self.path("readOnly")?;
                format!(
                    "coalesce(lower({value}) = {}, FALSE)",
                    self.lit(if *want { "true" } else { "false" })
                )
            }
            Storage::Credential => {
                let value = self.credential()?;
                self.matches(&value, matcher, false)
            }
            Storage::Resources => self.resources(matcher)?,
            Storage::Duplicate
            | Storage::Rule
            | Storage::Level
            | Storage::Tactic
            | Storage::Technique
            | Storage::Origin
            | Storage::FirstSeen
            | Storage::Mark
            | Storage::Note => {
                return refuse(
                    "is known to trailscope's index only (detections, chains, marks, copies)",
                );
            }
        })
    }

    /// `value` (VARCHAR, maybe NULL) tested as trailscope tests it; never NULL.
    fn matches(&mut self, value: &str, matcher: &Matcher, service: bool) -> String {
        let test = match matcher {
            Matcher::Glob(glob) => {
                let pattern = like_pattern(glob.parts());
                // Without a wildcard, an equality (Spark's LIKE simplification forgets the
                // escape character when it turns a pattern without one into `=`).
                let mut test = match glob.literal() {
                    Some(text) => format!("lower({value}) = {}", self.lit(text)),
                    None => format!(
                        "lower({value}) LIKE {} ESCAPE '{LIKE_ESCAPE}'",
                        self.lit(&pattern)
                    ),
                };
                if service {
                    let long = match glob.literal() {
                        Some(text) => format!(
                            "lower({value}) = {}",
                            self.lit(&format!("{text}.amazonaws.com"))
                        ),
                        None => format!(
                            "lower({value}) LIKE {} ESCAPE '{LIKE_ESCAPE}'",
                            self.lit(&format!("{pattern}.amazonaws.com"))
                        ),
                    };
                    test = format!("({test} OR {long})");
                }
                // An absent or empty value matches nothing, as in the index.
                format!("({value} <> '' AND {test})")
            }
            Matcher::Fuzzy(word) => return self.fuzzy(value, word),
            Matcher::Cidr(cidr) => self.cidr(value, cidr),
            Matcher::Time(_) | Matcher::Bool(_) => "FALSE".into(),
        };
        format!("coalesce({test}, FALSE)")
    }

    /// A fuzzy word: the exact eventNames it matches in the trail at hand, or a looser
    /// regular expression (its letters in order).
    fn fuzzy(&mut self, value: &str, word: &str) -> String {
        if let Some(names) = &self.options.names {
            let mut hits: Vec<String> = names
                .iter()
                .filter(|n| crate::query::fuzzy::score(word, n).is_some())
                .map(|n| self.lit(&n.to_lowercase()))
                .collect();
            hits.sort();
            hits.dedup();
            self.notes.push(format!(
                "`{word}` (fuzzy) is the {} eventNames it matches in the given trail",
                hits.len()
            ));
            if hits.is_empty() {
                return "FALSE".into();
            }
            return format!("coalesce(lower({value}) IN ({}), FALSE)", hits.join(", "));
        }
        let letters: Vec<String> = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .map(|c| c.to_lowercase().to_string())
            .collect();
        let regex = letters.join(".*");
        self.notes.push(format!(
            "`{word}` (fuzzy) compiles to the looser regular expression '{regex}' on eventName (give the trail as PATH to list the exact names instead)"
        ));
        let test = match self.dialect {
            Dialect::DuckDb => format!("regexp_matches(lower({value}), {})", self.lit(&regex)),
            Dialect::Spark => format!("lower({value}) RLIKE {}", self.lit(&regex)),
            Dialect::Athena | Dialect::Lake => {
                format!("regexp_like(lower({value}), {})", self.lit(&regex))
            }
        };
        format!("coalesce({test}, FALSE)")
    }

    fn cidr(&mut self, value: &str, cidr: &Cidr) -> String {
        let block = format!("{}/{}", cidr.network, cidr.prefix);
        match (self.dialect, cidr.network) {
            // One IPv6 address: CloudTrail writes the canonical (RFC 5952) spelling.
            (_, std::net::IpAddr::V6(ip)) if cidr.prefix == 128 => {
                format!("coalesce(lower({value}) = {}, FALSE)", self.lit(&ip.to_string()))
            }
            (Dialect::Athena | Dialect::Lake, _) => format!(
                "(regexp_like({value}, '^[0-9a-fA-F:.]+$') AND contains({}, CAST({value} AS IPADDRESS)))",
                self.lit(&block)
            ),
            (_, std::net::IpAddr::V4(network)) => {
                let base = u32::from(network) as u64;
                let size = 1u64 << (32 - u32::from(cidr.prefix.min(32)));
                let (lo, hi) = (base & !(size - 1), (base & !(size - 1)) + size - 1);
                let octet = |i: usize| format!("TRY_CAST(split_part({value}, '.', {i}) AS BIGINT)");
                let regex_test = match self.dialect {
                    Dialect::Spark => format!("{value} RLIKE '^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$'"),
                    _ => format!("regexp_matches({value}, '^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$')"),
                };
                format!(
                    "({regex_test} AND ({} * 16777216 + {} * 65536 + {} * 256 + {}) BETWEEN {lo} AND {hi})",
                    octet(1),
                    octet(2),
                    octet(3),
                    octet(4)
                )
            }
            (_, std::net::IpAddr::V6(_)) => {
                self.notes.push(format!("{block}: IPv6 blocks compile for Athena and Lake only; here nothing matches"));
                "FALSE".into()
            }
        }
    }

    fn time_compare(&mut self, op: &str, at: i64) -> String {
        let text = crate::event::format_time(at);
        match self.dialect {
            Dialect::DuckDb => {
                let value = self.path("eventTime").unwrap_or_default();
                format!("coalesce(CAST({value} AS TIMESTAMP) {op} TIMESTAMP {}, FALSE)", self.lit(text.replace(['T', 'Z'], " ").trim()))
            }
            Dialect::Spark => {
                let value = self.path("eventTime").unwrap_or_default();
                format!("coalesce(to_timestamp({value}) {op} to_timestamp({}), FALSE)", self.lit(&text))
            }
            Dialect::Athena => format!("coalesce(from_iso8601_timestamp(eventtime) {op} from_iso8601_timestamp({}), FALSE)", self.lit(&text)),
            Dialect::Lake => format!("coalesce(eventTime {op} from_iso8601_timestamp({}), FALSE)", self.lit(&text)),
        }
    }

    /// The value of a stored column as a VARCHAR expression.
    fn column(&mut self, col: Col) -> Result<String, SqlError> {
        match col {
            Col::Principal => self.principal(),
            Col::SessionName => {
                let principal = self.principal()?;
                let kind = self.path("userIdentity.type")?;
                let session = self.regexp(&principal, "^.*/([^/]*)$");
                Ok(format!(
                    "CASE WHEN {kind} = 'AssumedRole' THEN {session} END"
                ))
            }
            Col::Tool | Col::Os => Err(SqlError(
                "`tool:` and `os:` are classified from userAgent by trailscope only; filter on userAgent".into(),
            )),
            Col::IpType
            | Col::AwsRange
            | Col::Asn
            | Col::Org
            | Col::Country
            | Col::City
            | Col::Travel => {
                Err(SqlError(
                    "`iptype:`, `asn:`, `org:`, `country:`, `city:` and `travel:` are looked up in your address lists and MaxMind databases by trailscope only; filter on sourceIPAddress".into(),
                ))
            }
            Col::Insight => Err(SqlError(
                "`insight:` is read from insightDetails by trailscope only; filter on insightDetails.insightType".into(),
            )),
            Col::Error => {
                let code = self.path("errorCode")?;
                let message = self.path("errorMessage")?;
                let mut failed = Vec::new();
                for member in crate::event::OUTCOME_MEMBERS {
                    failed.push(format!("{} = 'Failure'", self.path(member)?));
                }
                Ok(format!(
                    "coalesce(nullif({code}, ''), nullif({message}, ''), CASE WHEN {} THEN 'Failure' END)",
                    failed.join(" OR ")
                ))
            }
            col => self.path(col.path().unwrap_or("")),
        }
    }

    fn resources(&mut self, matcher: &Matcher) -> Result<String, SqlError> {
        let test = |c: &mut Self, v: &str| c.matches(v, matcher, false);
        Ok(match self.dialect {
            Dialect::DuckDb => {
                let t = test(self, "r.v");
                format!("coalesce((SELECT bool_or({t}) FROM (SELECT unnest(json_extract_string(e, '$.resources[*].ARN')) AS v) r), FALSE)")
            }
            Dialect::Spark => {
                let t = test(self, "r");
                format!("coalesce(exists(from_json(get_json_object(e, '$.resources'), 'array<struct<ARN:string>>').ARN, r -> {t}), FALSE)")
            }
            Dialect::Athena => {
                let t = test(self, "r.arn");
                format!("coalesce(any_match(resources, r -> {t}), FALSE)")
            }
            Dialect::Lake => {
                let t = test(self, "r.arn");
                format!("coalesce(any_match(resources, r -> {t}), FALSE)")
            }
        })
    }

    /// The whole event as text, for phrases.
    fn whole_event(&self) -> String {
        match self.dialect {
            Dialect::DuckDb => "CAST(e AS VARCHAR)".into(),
            Dialect::Spark => "e".into(),
            Dialect::Athena => "concat_ws(' ', eventname, eventsource, json_format(CAST(useridentity AS JSON)), requestparameters, responseelements, additionaleventdata, errorcode, errormessage)".into(),
            Dialect::Lake => "concat_ws(' ', eventName, eventSource, json_format(CAST(userIdentity AS JSON)), json_format(CAST(requestParameters AS JSON)), json_format(CAST(responseElements AS JSON)), errorCode, errorMessage)".into(),
        }
    }

    /// Whether the event has the object at `path`.
    fn path_exists(&self, path: &str) -> Result<String, SqlError> {
        Ok(match self.dialect {
            Dialect::DuckDb => {
                let jp = self.lit(&self.json_path(path)?);
                format!("(json_extract(e, {jp}) IS NOT NULL AND json_type(json_extract(e, {jp})) = 'OBJECT')")
            }
            Dialect::Spark => format!(
                "(get_json_object(e, {}) IS NOT NULL)",
                self.lit(&self.json_path(path)?)
            ),
            Dialect::Athena => "(useridentity IS NOT NULL)".into(),
            Dialect::Lake => "(userIdentity IS NOT NULL)".into(),
        })
    }

    /// The value at a CloudTrail JSON path as a VARCHAR (NULL when absent).
    fn path(&mut self, path: &str) -> Result<String, SqlError> {
        let jp = self.lit(&self.json_path(path)?);
        Ok(match self.dialect {
            Dialect::DuckDb => format!("json_extract_string(e, {jp})"),
            Dialect::Spark => format!("get_json_object(e, {jp})"),
            Dialect::Athena => athena_path(path)?,
            Dialect::Lake => lake_path(path)?,
        })
    }
}

/// The tightest `after:` and `before:` that every matching event must meet: those of the
/// top level of the filter (alone, or ANDed with the rest); relative ones from `now`.
fn top_level_bounds(expr: &Expr, now: Option<i64>) -> (Option<i64>, Option<i64>) {
    use crate::query::{Matcher, TimeBound};
    use crate::schema::{Bound, Storage};
    let terms: Vec<&Expr> = match expr {
        Expr::And(list) => list.iter().collect(),
        other => vec![other],
    };
    let (mut after, mut before): (Option<i64>, Option<i64>) = (None, None);
    for term in terms {
        let Expr::Term {
            field,
            matcher: Matcher::Time(bound),
        } = term
        else {
            continue;
        };
        let at = match *bound {
            TimeBound::At(t) => t,
            TimeBound::BeforeNewest(ms) => match now {
                Some(now) => now - ms,
                None => continue,
            },
        };
        match field.storage() {
            Some(Storage::TimeBound(Bound::After)) => after = Some(after.map_or(at, |a| a.max(at))),
            Some(Storage::TimeBound(Bound::Before)) => {
                before = Some(before.map_or(at, |b| b.min(at)))
            }
            _ => {}
        }
    }
    (after, before)
}

/// `yyyy/MM/dd` of a time: the Athena table's partition value.
fn day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y/%m/%d").to_string())
        .unwrap_or_default()
}
