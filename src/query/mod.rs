//! The filter language of docs/DESIGN.md, shared by the explorer's filter bar and `--where`:
//! [`parse`] turns text into an [`Expr`] (every error carries its 1-based column), and
//! [`Expr::evaluate`] runs it over a [`Store`](crate::store::Store) into a [`RowSet`].
//!
//! Grammar (terms are ANDed by juxtaposition; `or` binds looser than AND):
//! ```text
//! expr  := and ("or" and)*
//! and   := unary+
//! unary := ("-" | "not") unary | "(" expr ")" | term
//! term  := FIELD ":" VALUE | FIELD "~" VALUE | "quoted phrase" | bare-word
//! ```

mod caseless;
mod eval;
pub mod fuzzy;
mod glob;
mod lexer;
mod pasted;

use crate::jsonpath::JsonPath;
use crate::schema::{self, Col, FieldDef, Matching, Storage};

pub use eval::RowSet;
pub use glob::Glob;
pub use pasted::where_words_occur;
use pasted::{address, ip_term, is_arn, pasted, Address};

/// A parse error: what was wrong and the 1-based column (in characters) where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct QueryError {
    pub column: usize,
    pub message: String,
}

impl QueryError {
    fn new(column: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            column,
            message: message.into(),
        }
    }
}

/// What a term names: a named field of the schema, a stored column reached by its JSON
/// path (`userIdentity.sessionContext.sessionIssuer.userName`), or any other JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Named(&'static FieldDef),
    Column(Col),
    Path(JsonPath),
}

impl Field {
    /// Looks a field up by name (case-insensitive); a name with a dot is a JSON path. The
    /// path of a field that is stored as its own value (`resources.ARN`, a column) reads it.
    pub fn from_name(name: &str) -> Option<Field> {
        if let Some(def) = schema::named(name) {
            return Some(Field::Named(def));
        }
        if !name.contains('.') {
            return None;
        }
        if let Some(col) = Col::of_path(name) {
            return Some(Field::Column(col));
        }
        if let Some(def) = schema::pivot_of(name).filter(|d| d.storage == Storage::Resources) {
            return Some(Field::Named(def));
        }
        JsonPath::parse(name).map(Field::Path)
    }

    /// The field's storage, for named fields and columns.
    pub fn storage(&self) -> Option<Storage> {
        match self {
            Field::Named(def) => Some(def.storage),
            Field::Column(_) | Field::Path(_) => None,
        }
    }

    pub fn known_list() -> String {
        schema::known_list()
    }
}

/// A point in time, as `after:` / `before:` take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeBound {
    /// Milliseconds since the epoch.
    At(i64),
    /// Milliseconds before the newest loaded event.
    BeforeNewest(i64),
}

/// How a term compares.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// Whole-value, case-insensitive, `*` wildcards.
    Glob(Glob),
    /// The fuzzy scorer of bare words.
    Fuzzy(String),
    /// `ip:` with a CIDR block.
    Cidr(Cidr),
    Time(TimeBound),
    Bool(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub network: std::net::IpAddr,
    pub prefix: u8,
}

impl Cidr {
    /// `10.0.0.0/8`, `2001:db8::/32`.
    pub fn parse(text: &str) -> Option<Cidr> {
        parse_cidr(text)
    }

    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let shift = 32 - u32::from(self.prefix);
                shift >= 32 || (u32::from(net) >> shift) == (u32::from(ip) >> shift)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let shift = 128 - u32::from(self.prefix);
                shift >= 128 || (u128::from(net) >> shift) == (u128::from(ip) >> shift)
            }
            _ => false,
        }
    }
}

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// The empty filter.
    All,
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `field:value` or `field~value`.
    Term {
        field: Field,
        matcher: Matcher,
    },
    /// A bare word: fuzzy match on eventName.
    Word(String),
    /// A quoted phrase: case-insensitive substring of the event's JSON.
    Phrase(String),
}

impl Expr {
    /// The quoted phrases the expression looks for (not under a negation): what the detail
    /// pane highlights.
    pub fn phrases(&self) -> Vec<&str> {
        match self {
            Expr::And(list) | Expr::Or(list) => list.iter().flat_map(Expr::phrases).collect(),
            Expr::Phrase(text) => vec![text.as_str()],
            _ => Vec::new(),
        }
    }

    /// Whether the expression reads the marks of a case (`mark:`, `note:`).
    pub fn uses_marks(&self) -> bool {
        match self {
            Expr::And(list) | Expr::Or(list) => list.iter().any(Expr::uses_marks),
            Expr::Not(inner) => inner.uses_marks(),
            Expr::Term { field, .. } => {
                matches!(field.storage(), Some(Storage::Mark | Storage::Note))
            }
            Expr::All | Expr::Word(_) | Expr::Phrase(_) => false,
        }
    }

    /// Whether the expression reads detection hits (`rule:`, `detection:`, `level:`).
    pub fn uses_detections(&self) -> bool {
        match self {
            Expr::And(list) | Expr::Or(list) => list.iter().any(Expr::uses_detections),
            Expr::Not(inner) => inner.uses_detections(),
            Expr::Term { field, .. } => field.uses_detections(),
            Expr::All | Expr::Word(_) | Expr::Phrase(_) => false,
        }
    }
}

impl Field {
    /// Whether the field is one of detection hits.
    pub fn uses_detections(&self) -> bool {
        self.storage().is_some_and(Storage::reads_detections)
    }
}

impl Expr {
    /// The bare eventName words of the expression, not under a negation.
    pub fn words(&self) -> Vec<&str> {
        match self {
            Expr::And(list) | Expr::Or(list) => list.iter().flat_map(Expr::words).collect(),
            Expr::Word(word) => vec![word.as_str()],
            _ => Vec::new(),
        }
    }
}

/// Parses a filter expression. The empty string (or only spaces) is [`Expr::All`].
pub fn parse(text: &str) -> Result<Expr, QueryError> {
    parse_explained(text).map(|(expr, _)| expr)
}

/// [`parse`], and how each pasted value was read (`185.220.101.47 searched as
/// ip:185.220.101.47`): a bare word that is an address, an access key id, an ARN, an
/// account or an `@`-address searches the field such a value lives in.
pub fn parse_explained(text: &str) -> Result<(Expr, Vec<String>), QueryError> {
    let tokens = lexer::lex(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        end_column: text.chars().count() + 1,
        depth: 0,
        readings: Vec::new(),
    };
    if parser.tokens.is_empty() {
        return Ok((Expr::All, Vec::new()));
    }
    let expr = parser.or()?;
    if let Some(token) = parser.tokens.get(parser.pos) {
        return Err(match token.kind {
            lexer::Kind::Close => {
                QueryError::new(token.column, "unexpected `)` with no `(` before it")
            }
            _ => QueryError::new(token.column, "unexpected token"),
        });
    }
    Ok((expr, parser.readings))
}

/// How deep parentheses and negations may nest: the parser recurses once per level, and
/// no real filter comes near this.
const MAX_NESTING: usize = 100;

struct Parser {
    tokens: Vec<lexer::Token>,
    pos: usize,
    end_column: usize,
    /// Parentheses and negations open around the current token.
    depth: usize,
    /// How pasted values were read, for the status line.
    readings: Vec<String>,
}

impl Parser {
    fn peek(&self) -> Option<&lexer::Token> {
        self.tokens.get(self.pos)
    }

    fn column(&self) -> usize {
        self.peek().map_or(self.end_column, |t| t.column)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut list = vec![self.and()?];
        while let Some(lexer::Kind::Or) = self.peek().map(|t| &t.kind) {
            let or_column = self.column();
            self.pos += 1;
            if matches!(
                self.peek().map(|t| &t.kind),
                None | Some(lexer::Kind::Close)
            ) {
                return Err(QueryError::new(or_column, "expected a term after `or`"));
            }
            list.push(self.and()?);
        }
        Ok(if list.len() == 1 {
            list.remove(0)
        } else {
            Expr::Or(list)
        })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut list = Vec::new();
        while let Some(token) = self.peek() {
            match token.kind {
                lexer::Kind::Or => {
                    if list.is_empty() {
                        return Err(QueryError::new(token.column, "expected a term before `or`"));
                    }
                    break;
                }
                lexer::Kind::Close => break,
                lexer::Kind::And => {
                    let column = token.column;
                    if list.is_empty() {
                        return Err(QueryError::new(column, "expected a term before `and`"));
                    }
                    self.pos += 1;
                    if matches!(
                        self.peek().map(|t| &t.kind),
                        None | Some(lexer::Kind::Close | lexer::Kind::Or | lexer::Kind::And)
                    ) {
                        return Err(QueryError::new(column, "expected a term after `and`"));
                    }
                }
                _ => list.push(self.unary()?),
            }
        }
        match list.len() {
            0 => Err(QueryError::new(self.column(), "expected a term")),
            1 => Ok(list.remove(0)),
            _ => Ok(Expr::And(list)),
        }
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        let Some(token) = self.peek().cloned() else {
            return Err(QueryError::new(self.end_column, "expected a term"));
        };
        if matches!(token.kind, lexer::Kind::Not | lexer::Kind::Open) {
            if self.depth >= MAX_NESTING {
                return Err(QueryError::new(
                    token.column,
                    format!("parentheses and negations nested deeper than {MAX_NESTING}"),
                ));
            }
            self.depth += 1;
            let result = self.nested(token);
            self.depth -= 1;
            return result;
        }
        self.nested(token)
    }

    /// The rest of [`Parser::unary`], once the nesting is counted.
    fn nested(&mut self, token: lexer::Token) -> Result<Expr, QueryError> {
        self.pos += 1;
        match token.kind {
            lexer::Kind::Not => {
                if matches!(
                    self.peek().map(|t| &t.kind),
                    None | Some(lexer::Kind::Close | lexer::Kind::Or)
                ) {
                    return Err(QueryError::new(
                        token.column,
                        "expected a term after negation",
                    ));
                }
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            lexer::Kind::Open => {
                if let Some(lexer::Kind::Close) = self.peek().map(|t| &t.kind) {
                    return Err(QueryError::new(
                        self.column(),
                        "expected a term inside `( )`",
                    ));
                }
                let inner = self.or()?;
                match self.peek().map(|t| &t.kind) {
                    Some(lexer::Kind::Close) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err(QueryError::new(
                        self.column(),
                        format!("expected `)` to close the `(` at column {}", token.column),
                    )),
                }
            }
            lexer::Kind::Close => Err(QueryError::new(token.column, "unexpected `)`")),
            lexer::Kind::Or => Err(QueryError::new(token.column, "expected a term before `or`")),
            lexer::Kind::And => Err(QueryError::new(
                token.column,
                "expected a term before `and`",
            )),
            lexer::Kind::Phrase(text) => Ok(Expr::Phrase(text)),
            lexer::Kind::Word(word) => match pasted(&word, token.column)? {
                Some((expr, reading)) => {
                    self.readings.push(reading);
                    Ok(expr)
                }
                None => Ok(Expr::Word(word)),
            },
            lexer::Kind::Term {
                field,
                fuzzy,
                value,
                value_column,
            } => {
                // A pasted IPv6 address or ARN lexes as `field:value`: read it whole.
                let whole = format!("{field}:{value}");
                let unknown = schema::named(&field).is_none() && !field.contains('.');
                if !fuzzy && (unknown || is_arn(&whole)) {
                    if let Some((expr, reading)) = pasted(&whole, token.column)? {
                        self.readings.push(reading);
                        return Ok(expr);
                    }
                }
                term(&field, token.column, fuzzy, value, value_column)
            }
        }
    }
}

fn term(
    field_name: &str,
    column: usize,
    fuzzy: bool,
    value: String,
    value_column: usize,
) -> Result<Expr, QueryError> {
    let Some(field) = Field::from_name(field_name) else {
        let nearest = match schema::nearest(field_name) {
            Some(name) => format!("did you mean `{name}`? "),
            None => String::new(),
        };
        return Err(QueryError::new(
            column,
            format!(
                "unknown field `{field_name}`; {nearest}known fields: {}",
                Field::known_list()
            ),
        ));
    };
    let op = if fuzzy { '~' } else { ':' };
    if value.is_empty() {
        return Err(QueryError::new(
            value_column,
            format!("expected a value after `{field_name}{op}`"),
        ));
    }
    let matching = match &field {
        Field::Named(def) => def.matching,
        Field::Column(_) | Field::Path(_) => Matching::Glob,
    };
    let matcher = match (matching, fuzzy) {
        (Matching::Time | Matching::Bool | Matching::FieldName, true) => {
            return Err(QueryError::new(
                column,
                format!("`{field_name}` takes `:`, not `~`"),
            ));
        }
        (_, true) => Matcher::Fuzzy(value),
        (Matching::Time, false) => Matcher::Time(parse_time_bound(&value).ok_or_else(|| {
            QueryError::new(
                value_column,
                format!(
                    "expected a time (2024-05-03, 2024-05-03T14:02:11Z or -2h), found `{value}`"
                ),
            )
        })?),
        (Matching::Bool, false) => match value.to_ascii_lowercase().as_str() {
            "true" => Matcher::Bool(true),
            "false" => Matcher::Bool(false),
            _ => {
                return Err(QueryError::new(
                    value_column,
                    format!("expected true or false, found `{value}`"),
                ))
            }
        },
        (Matching::Address, false) if value.contains('/') => match address(&value, value_column)? {
            Some(Address::Block(cidr)) => Matcher::Cidr(cidr),
            _ => {
                return Err(QueryError::new(
                    value_column,
                    format!("expected a CIDR block like 10.0.0.0/8, found `{value}`"),
                ))
            }
        },
        (Matching::Address, false) if !value.contains('*') => {
            match address(&value, value_column)? {
                Some(Address::One(ip)) => match ip_term(ip, &value) {
                    Some(Expr::Term { matcher, .. }) => matcher,
                    _ => Matcher::Glob(Glob::new(&value)),
                },
                _ => Matcher::Glob(Glob::new(&value)),
            }
        }
        (Matching::FieldName, false) => {
            let glob = Glob::new(&value);
            if !crate::schema::FIRST_SEEN
                .iter()
                .any(|(name, _)| glob.matches(name))
            {
                let names: Vec<&str> = crate::schema::FIRST_SEEN.iter().map(|f| f.0).collect();
                return Err(QueryError::new(
                    value_column,
                    format!("`new:` takes {}, found `{value}`", names.join(", ")),
                ));
            }
            Matcher::Glob(glob)
        }
        _ => Matcher::Glob(Glob::new(&value)),
    };
    Ok(Expr::Term { field, matcher })
}

/// The filter text `field:value` that matches exactly `value`: wildcards escaped, and
/// the value quoted when it needs to be.
pub fn term_text(field: &str, value: &str) -> String {
    let value = &Glob::escape(value);
    let needs_quotes = value.is_empty()
        || value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '"' | '\\'));
    if needs_quotes {
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
        format!("{field}:\"{escaped}\"")
    } else {
        format!("{field}:{value}")
    }
}

fn parse_cidr(text: &str) -> Option<Cidr> {
    let (addr, prefix) = text.split_once('/')?;
    let network: std::net::IpAddr = addr.parse().ok()?;
    let prefix: u8 = prefix.parse().ok()?;
    let max = if network.is_ipv4() { 32 } else { 128 };
    (prefix <= max).then_some(Cidr { network, prefix })
}

/// `2024-05-03`, RFC 3339, or `-N` + s/m/h/d/w relative to the newest event.
pub fn parse_time_bound(text: &str) -> Option<TimeBound> {
    if let Some(rel) = text.strip_prefix('-') {
        let unit_at = rel.find(|c: char| !c.is_ascii_digit())?;
        let (num, unit) = rel.split_at(unit_at);
        let n: i64 = num.parse().ok()?;
        let ms = match unit {
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            _ => return None,
        };
        // At most ten thousand years back: any time further is none a log can hold, nor
        // one every engine can write.
        const LONGEST: i64 = 10_000 * 365 * 86_400_000;
        return n
            .checked_mul(ms)
            .filter(|span| *span <= LONGEST)
            .map(TimeBound::BeforeNewest);
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let t = date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis();
        return Some(TimeBound::At(t));
    }
    // Epoch seconds (10 digits and fewer) or milliseconds (13).
    if text.len() >= 9 && text.len() <= 13 && text.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text.parse().ok()?;
        return Some(TimeBound::At(if text.len() >= 12 { n } else { n * 1000 }));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Some(TimeBound::At(t.and_utc().timestamp_millis()));
        }
    }
    crate::event::parse_time(text).map(TimeBound::At)
}

#[cfg(test)]
mod tests;
