//! Sigma value tests: wildcards with escapes, case rules, regular expressions, CIDR blocks,
//! `exists`, `null` and field references, applied to one text value or to one event.

use serde_json::Value;

use crate::jsonpath::JsonPath;
use crate::query::Cidr;

/// A Sigma string value: literal pieces and `*` / `?` wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigmaGlob {
    tokens: Vec<Token>,
    cased: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Lit(String),
    Any,
    One,
}

impl SigmaGlob {
    /// `\*`, `\?` and `\\` are the literal characters; a backslash before anything else is
    /// itself. Without `wildcards` (a number or boolean) the text is literal. Unless
    /// `cased`, matching ignores case.
    pub fn parse(text: &str, wildcards: bool, cased: bool) -> SigmaGlob {
        let fold = |s: &str| {
            if cased {
                s.to_string()
            } else {
                s.to_lowercase()
            }
        };
        if !wildcards {
            return SigmaGlob {
                tokens: vec![Token::Lit(fold(text))],
                cased,
            };
        }
        let mut tokens = Vec::new();
        let mut lit = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.peek() {
                    Some(&next @ ('*' | '?' | '\\')) => {
                        lit.push(next);
                        chars.next();
                    }
                    _ => lit.push('\\'),
                },
                '*' | '?' => {
                    if !lit.is_empty() {
                        tokens.push(Token::Lit(fold(&std::mem::take(&mut lit))));
                    }
                    tokens.push(if c == '*' { Token::Any } else { Token::One });
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() || tokens.is_empty() {
            tokens.push(Token::Lit(fold(&lit)));
        }
        SigmaGlob { tokens, cased }
    }

    pub fn matches(&self, value: &str) -> bool {
        if self.cased {
            self.matches_folded(value)
        } else {
            self.matches_folded(&value.to_lowercase())
        }
    }

    /// The text that matches exactly this (ignoring case unless cased), when there is no
    /// wildcard: such a value can be looked up instead of tested.
    pub fn literal(&self) -> Option<&str> {
        match self.tokens.as_slice() {
            [Token::Lit(l)] if !self.cased => Some(l),
            _ => None,
        }
    }

    pub fn cased(&self) -> bool {
        self.cased
    }

    /// [`SigmaGlob::matches`] for a value already lowercased (when not cased).
    pub fn matches_folded(&self, value: &str) -> bool {
        match self.tokens.as_slice() {
            [Token::Lit(l)] => value == l,
            [Token::Any, Token::Lit(l), Token::Any] => value.contains(l.as_str()),
            [Token::Lit(l), Token::Any] => value.starts_with(l.as_str()),
            [Token::Any, Token::Lit(l)] => value.ends_with(l.as_str()),
            tokens => glob_match(tokens, value),
        }
    }
}

/// Wildcard matching with backtracking to the last `*` (linear in practice, never
/// exponential).
fn glob_match(tokens: &[Token], value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    let (mut t, mut v) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    // Literal tokens are compared char by char: expand them once.
    let flat: Vec<Option<Option<char>>> = tokens
        .iter()
        .flat_map(|tok| match tok {
            Token::Lit(l) => l.chars().map(|c| Some(Some(c))).collect::<Vec<_>>(),
            Token::One => vec![Some(None)],
            Token::Any => vec![None],
        })
        .collect();
    while v < chars.len() {
        match flat.get(t) {
            Some(Some(Some(c))) if *c == chars[v] => {
                t += 1;
                v += 1;
            }
            Some(Some(None)) => {
                t += 1;
                v += 1;
            }
            Some(None) => {
                star = Some((t, v));
                t += 1;
            }
            _ => match star {
                Some((st, sv)) => {
                    t = st + 1;
                    v = sv + 1;
                    star = Some((st, sv + 1));
                }
                None => return false,
            },
        }
    }
    flat[t..].iter().all(Option::is_none)
}

/// One value a field is tested against.
#[derive(Debug, Clone)]
pub enum Pattern {
    /// `field: null`: the field is absent or null.
    Null,
    Text(SigmaGlob),
    Re(regex::Regex),
    Cidr(Cidr),
    Exists(bool),
    /// The value equals the value of another field of the same event.
    FieldRef(String),
}

impl Pattern {
    /// [`Pattern::matches_text`] given also the value lowercased.
    pub fn matches_text_folded(&self, value: &str, folded: &str) -> bool {
        match self {
            Pattern::Text(glob) if !glob.cased() => glob.matches_folded(folded),
            p => p.matches_text(value),
        }
    }

    /// Whether one present value matches (not for `Null`, `Exists`, `FieldRef`, which look
    /// at the event).
    pub fn matches_text(&self, value: &str) -> bool {
        match self {
            Pattern::Text(glob) => glob.matches(value),
            Pattern::Re(re) => re.is_match(value),
            Pattern::Cidr(cidr) => value
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| cidr.contains(ip)),
            Pattern::Null | Pattern::Exists(_) | Pattern::FieldRef(_) => false,
        }
    }
}

/// `path|modifiers: values`: any value matches (all of them with `|all`).
#[derive(Debug, Clone)]
pub struct FieldTest {
    pub path: String,
    pub patterns: Vec<Pattern>,
    pub all: bool,
}

impl FieldTest {
    /// Whether the field of a single-valued column holding `value` (`None`: absent)
    /// passes. `FieldRef` cannot be decided from one column and answers `None`.
    pub fn on_value(&self, value: Option<&str>) -> Option<bool> {
        let folded = value.map(str::to_lowercase);
        self.on_value_folded(value.zip(folded.as_deref()))
    }

    /// [`FieldTest::on_value`] given the value and the value lowercased.
    pub fn on_value_folded(&self, value: Option<(&str, &str)>) -> Option<bool> {
        let one = |p: &Pattern| -> Option<bool> {
            Some(match p {
                Pattern::Null => value.is_none(),
                Pattern::Exists(wanted) => value.is_some() == *wanted,
                Pattern::FieldRef(_) => return None,
                p => value.is_some_and(|(v, f)| p.matches_text_folded(v, f)),
            })
        };
        let mut results = self.patterns.iter().map(one);
        if self.all {
            results.try_fold(true, |acc, r| r.map(|r| acc && r))
        } else {
            results.try_fold(false, |acc, r| r.map(|r| acc || r))
        }
    }

    /// Whether the field passes in `event` (the per-event path, for what the index does
    /// not hold).
    pub fn on_event(&self, event: &Value) -> bool {
        let values = JsonPath::parse(&self.path)
            .map(|p| p.values(event))
            .unwrap_or_default();
        let one = |p: &Pattern| match p {
            Pattern::Null => values.is_empty(),
            Pattern::Exists(wanted) => values.is_empty() != *wanted,
            Pattern::FieldRef(other) => {
                let others = JsonPath::parse(other)
                    .map(|p| p.values(event))
                    .unwrap_or_default();
                values.iter().any(|v| others.iter().any(|o| o == v))
            }
            p => values.iter().any(|v| p.matches_text(v)),
        };
        if self.all {
            self.patterns.iter().all(one)
        } else {
            self.patterns.iter().any(one)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_escapes_and_case() {
        let g = |t: &str| SigmaGlob::parse(t, true, false);
        assert!(g("Stop*").matches("StopLogging"));
        assert!(g("*logging").matches("StopLogging"));
        assert!(g("*OPLOG*").matches("StopLogging"));
        assert!(g("Stop?ogging").matches("stoplogging"));
        assert!(!g("Stop?ogging").matches("StopLLogging"));
        assert!(g("a*b*c").matches("aXXbYYc"));
        assert!(!g("a*b*c").matches("aXXbYY"));
        assert!(g(r"100\*").matches("100*"));
        assert!(!g(r"100\*").matches("1000"));
        assert!(g(r"what\?").matches("what?"));
        assert!(g(r"C:\\Windows").matches(r"C:\Windows"));
        assert!(g(r"C:\Windows").matches(r"C:\Windows"));
        let cased = SigmaGlob::parse("Stop*", true, true);
        assert!(!cased.matches("stoplogging"));
        // A number is literal text.
        assert!(SigmaGlob::parse("1*", false, false).matches("1*"));
        assert!(!SigmaGlob::parse("1*", false, false).matches("10"));
    }

    #[test]
    fn field_tests_on_one_event() {
        let event: Value = serde_json::from_str(
            r#"{"eventName":"X","sourceIPAddress":"10.1.2.3","a":"same","b":"same","errorCode":null,"tags":["x","y"]}"#,
        )
        .expect("json");
        let test = |path: &str, patterns: Vec<Pattern>, all: bool| {
            FieldTest {
                path: path.into(),
                patterns,
                all,
            }
            .on_event(&event)
        };
        let text = |t: &str| Pattern::Text(SigmaGlob::parse(t, true, false));
        assert!(test("errorCode", vec![Pattern::Null], false));
        assert!(test("errorCode", vec![Pattern::Exists(false)], false));
        assert!(test("eventName", vec![Pattern::Exists(true)], false));
        assert!(test(
            "sourceIPAddress",
            vec![Pattern::Cidr(Cidr::parse("10.0.0.0/8").expect("cidr"))],
            false
        ));
        assert!(!test(
            "sourceIPAddress",
            vec![Pattern::Cidr(Cidr::parse("192.168.0.0/16").expect("cidr"))],
            false
        ));
        assert!(test("a", vec![Pattern::FieldRef("b".into())], false));
        assert!(!test(
            "a",
            vec![Pattern::FieldRef("eventName".into())],
            false
        ));
        assert!(test("tags", vec![text("x"), text("y")], true));
        assert!(!test("tags", vec![text("x"), text("z")], true));
        assert!(test("tags", vec![text("x"), text("z")], false));
        assert!(test(
            "eventName",
            vec![Pattern::Re(regex::Regex::new("^X$").expect("re"))],
            false
        ));
    }
}
