//! A Sigma condition: `and`, `or`, `not`, parentheses, selection names, and the quantifiers
//! `1 of X*`, `all of X*`, `1 of them`, `all of them`, resolved to selection indices when
//! parsed.

/// A parsed condition over a rule's selections (by index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    Sel(usize),
    Not(Box<Cond>),
    /// Every one of these (a chain of `and`, flat: 20,000 terms are a list, not 20,000
    /// levels of a tree that evaluation would recurse through).
    And(Vec<Cond>),
    /// Any one of these, likewise flat.
    Or(Vec<Cond>),
    /// `1 of ...` (any) and `all of ...` over these selections.
    Any(Vec<usize>),
    All(Vec<usize>),
}

impl Cond {
    /// Evaluates with `sel` deciding each selection.
    pub fn eval(&self, sel: &mut dyn FnMut(usize) -> bool) -> bool {
        match self {
            Cond::Sel(i) => sel(*i),
            Cond::Not(c) => !c.eval(sel),
            Cond::And(list) => list.iter().all(|c| c.eval(sel)),
            Cond::Or(list) => list.iter().any(|c| c.eval(sel)),
            Cond::Any(list) => list.iter().any(|&i| sel(i)),
            Cond::All(list) => list.iter().all(|&i| sel(i)),
        }
    }
}

/// Parses `text` for a rule whose selections are `names`.
pub fn parse(text: &str, names: &[&str]) -> Result<Cond, String> {
    let tokens = lex(text);
    let mut parser = Parser {
        tokens,
        pos: 0,
        names,
        depth: 0,
    };
    let cond = parser.or()?;
    match parser.tokens.get(parser.pos) {
        None => Ok(cond),
        Some(t) => Err(format!("unexpected `{t}`")),
    }
}

fn lex(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        match c {
            '(' | ')' => {
                if !word.is_empty() {
                    tokens.push(std::mem::take(&mut word));
                }
                tokens.push(c.to_string());
            }
            c if c.is_whitespace() => {
                if !word.is_empty() {
                    tokens.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

/// Conditions nest no deeper than this (a hostile rule must not exhaust the stack).
const MAX_DEPTH: usize = 64;

struct Parser<'n> {
    tokens: Vec<String>,
    pos: usize,
    names: &'n [&'n str],
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn keyword(&self, word: &str) -> bool {
        self.peek().is_some_and(|t| t.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Result<Cond, String> {
        let mut list = vec![self.and()?];
        while self.keyword("or") {
            self.pos += 1;
            list.push(self.and()?);
        }
        Ok(if list.len() == 1 {
            list.remove(0)
        } else {
            Cond::Or(list)
        })
    }

    fn and(&mut self) -> Result<Cond, String> {
        let mut list = vec![self.not()?];
        while self.keyword("and") {
            self.pos += 1;
            list.push(self.not()?);
        }
        Ok(if list.len() == 1 {
            list.remove(0)
        } else {
            Cond::And(list)
        })
    }

    fn not(&mut self) -> Result<Cond, String> {
        if self.keyword("not") {
            self.pos += 1;
            self.enter()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Cond::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("nested deeper than {MAX_DEPTH}"));
        }
        Ok(())
    }

    fn primary(&mut self) -> Result<Cond, String> {
        let Some(token) = self.peek().map(str::to_string) else {
            return Err("ends where a selection was expected".into());
        };
        self.pos += 1;
        if token == "(" {
            self.enter()?;
            let inner = self.or()?;
            self.depth -= 1;
            if self.peek() != Some(")") {
                return Err("a `(` without its `)`".into());
            }
            self.pos += 1;
            return Ok(inner);
        }
        let quantifier =
            token.eq_ignore_ascii_case("all") || token == "1" || token.eq_ignore_ascii_case("any");
        if quantifier && self.keyword("of") {
            self.pos += 1;
            let Some(target) = self.peek().map(str::to_string) else {
                return Err(format!("`{token} of` without selections"));
            };
            self.pos += 1;
            let chosen: Vec<usize> = self
                .names
                .iter()
                .enumerate()
                .filter(|(_, name)| {
                    if target.eq_ignore_ascii_case("them") {
                        !name.starts_with('_')
                    } else {
                        name_matches(&target, name)
                    }
                })
                .map(|(i, _)| i)
                .collect();
            if chosen.is_empty() {
                return Err(format!("`{token} of {target}` names no selection"));
            }
            return Ok(if token.eq_ignore_ascii_case("all") {
                Cond::All(chosen)
            } else {
                Cond::Any(chosen)
            });
        }
        match self.names.iter().position(|n| *n == token) {
            Some(i) => Ok(Cond::Sel(i)),
            None => Err(format!("no selection named `{token}`")),
        }
    }
}

/// `selection*` against a selection name (`*` anywhere).
fn name_matches(pattern: &str, name: &str) -> bool {
    crate::detect::value::SigmaGlob::parse(pattern, true, true).matches(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 4] = ["selection", "filter_a", "filter_b", "_hidden"];

    fn eval(text: &str, truth: [bool; 4]) -> bool {
        parse(text, &NAMES).expect("parses").eval(&mut |i| truth[i])
    }

    #[test]
    fn precedence_parentheses_and_quantifiers() {
        assert!(eval(
            "selection and not filter_a",
            [true, false, true, false]
        ));
        assert!(!eval(
            "selection and not filter_a",
            [true, true, false, false]
        ));
        assert!(eval(
            "selection and not (filter_a or filter_b)",
            [true, false, false, false]
        ));
        assert!(!eval(
            "selection and not 1 of filter*",
            [true, false, true, false]
        ));
        assert!(eval(
            "selection or filter_a and filter_b",
            [true, false, false, false]
        ));
        assert!(eval("all of filter*", [false, true, true, false]));
        assert!(!eval("all of filter*", [false, true, false, false]));
        assert!(eval("1 of them", [false, false, true, false]));
        // `them` leaves out selections starting with `_`.
        assert!(!eval("1 of them", [false, false, false, true]));
        assert!(eval("all of them", [true, true, true, false]));
        assert!(eval("NOT selection", [false, true, true, true]));
    }

    #[test]
    fn errors_name_what_is_wrong() {
        assert_eq!(
            parse("selection and", &NAMES).expect_err("an error"),
            "ends where a selection was expected"
        );
        assert_eq!(
            parse("nope", &NAMES).expect_err("an error"),
            "no selection named `nope`"
        );
        assert_eq!(
            parse("(selection", &NAMES).expect_err("an error"),
            "a `(` without its `)`"
        );
        assert_eq!(
            parse("1 of x*", &NAMES).expect_err("an error"),
            "`1 of x*` names no selection"
        );
        let deep = format!("{}selection{}", "(".repeat(100), ")".repeat(100));
        assert!(parse(&deep, &NAMES)
            .expect_err("an error")
            .starts_with("nested deeper"));
    }
}
