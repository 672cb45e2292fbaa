//! Splits filter text into tokens with their 1-based character columns.

use super::QueryError;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Open,
    Close,
    Or,
    /// `and`, `AND` or `&&`: what juxtaposition already means.
    And,
    /// `-` directly before a term, or the word `not`.
    Not,
    Phrase(String),
    Word(String),
    Term {
        field: String,
        fuzzy: bool,
        value: String,
        value_column: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: Kind,
    pub column: usize,
}

pub fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let kind = match c {
            '(' => {
                i += 1;
                Kind::Open
            }
            ')' => {
                i += 1;
                Kind::Close
            }
            '-' => {
                i += 1;
                Kind::Not
            }
            '"' => {
                let (phrase, next) = quoted(&chars, i)?;
                i = next;
                Kind::Phrase(phrase)
            }
            _ => {
                let (kind, next) = word(&chars, i)?;
                i = next;
                kind
            }
        };
        tokens.push(Token { kind, column });
    }
    Ok(tokens)
}

/// A `"..."` starting at `start`; `\"` and `\\` escape. Returns the text and the index after.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), QueryError> {
    let mut out = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((out, i + 1)),
            '\\' if matches!(chars.get(i + 1), Some('"' | '\\')) => {
                out.push(chars[i + 1]);
                i += 2;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Err(QueryError::new(start + 1, "unclosed quote: expected `\"`"))
}

/// `YYYY-MM-DD`.
fn is_date(chars: &[char]) -> bool {
    chars.len() == 10
        && chars.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == '-',
            _ => c.is_ascii_digit(),
        })
}

/// Where a ` HH:MM` or ` HH:MM:SS` (with a fraction) that starts at `at` ends, when one
/// does and a word ends with it.
fn time_after(chars: &[char], at: usize) -> Option<usize> {
    if chars.get(at) != Some(&' ') {
        return None;
    }
    let start = at + 1;
    let mut end = start;
    while end < chars.len() && !ends_word(chars[end]) {
        end += 1;
    }
    let time: String = chars[start..end].iter().collect();
    let shaped = chrono::NaiveTime::parse_from_str(&time, "%H:%M").is_ok()
        || chrono::NaiveTime::parse_from_str(&time, "%H:%M:%S%.f").is_ok();
    shaped.then_some(end)
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')'
}

fn word(chars: &[char], start: usize) -> Result<(Kind, usize), QueryError> {
    let mut i = start;
    while i < chars.len() && !ends_word(chars[i]) && chars[i] != ':' && chars[i] != '~' {
        if chars[i] == '"' {
            return Err(QueryError::new(
                i + 1,
                "a quote inside a word: quote the whole value, as field:\"a b\"",
            ));
        }
        i += 1;
    }
    let head: String = chars[start..i].iter().collect();
    match chars.get(i) {
        Some(&op @ (':' | '~')) if i > start => {
            let value_start = i + 1;
            let (value, next) = if chars.get(value_start) == Some(&'"') {
                quoted(chars, value_start)?
            } else {
                let mut j = value_start;
                while j < chars.len() && !ends_word(chars[j]) {
                    j += 1;
                }
                // A date and the time after one space, as the timeline prints them
                // (`after:2017-06-01 07:40`), are one value.
                if is_date(&chars[value_start..j]) {
                    if let Some(end) = time_after(chars, j) {
                        j = end;
                    }
                }
                (chars[value_start..j].iter().collect(), j)
            };
            Ok((
                Kind::Term {
                    field: head,
                    fuzzy: op == '~',
                    value,
                    value_column: value_start + 1,
                },
                next,
            ))
        }
        Some(':' | '~') => Err(QueryError::new(
            start + 1,
            format!("expected a field name before `{}`", chars[i]),
        )),
        _ => {
            let kind = match head.to_ascii_lowercase().as_str() {
                "or" | "||" => Kind::Or,
                "and" | "&&" => Kind::And,
                "not" => Kind::Not,
                _ => Kind::Word(head),
            };
            Ok((kind, i))
        }
    }
}
