//! An event's JSON re-indented into the detail pane's lines: keys in their original order (no
//! `serde_json::Value` round trip), each line with its syntax-coloured pieces, its JSON path,
//! and whether it belongs to `userIdentity`. A string that holds JSON (an IAM policy
//! document) is decoded unless the raw view is asked for; an event nested too deep, or a
//! notice, is cut into raw lines.

use crate::text::{self, sanitize};

/// Which document of an event: its row, and whether JSON in strings is decoded.
pub type DocKey = (u32, bool);

/// What a piece of a line is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Punct,
    Key,
    Str,
    Number,
    Literal,
    /// A remark of the explorer's own, not part of the event.
    Note,
}

/// One line of the pretty-printed event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub depth: usize,
    /// Pieces in order; text is already safe to show.
    pub pieces: Vec<(Token, String)>,
    /// Dotted path of the value on this line (`userIdentity.userName`); array indices are
    /// left out, so `resources.ARN` stands for every resource's ARN.
    pub path: String,
    /// The scalar value on this line, unescaped, if the line holds one.
    pub value: Option<String>,
    /// Inside the `userIdentity` block (its braces included).
    pub identity: bool,
    /// Part of JSON decoded from a string value: its path is the string's, its value none.
    pub decoded: bool,
}

impl Line {
    /// The line as pieces, indentation included.
    pub fn pieces_indented(&self) -> Vec<(Token, String)> {
        let mut pieces = Vec::with_capacity(self.pieces.len() + 1);
        pieces.push((Token::Punct, "  ".repeat(self.depth)));
        pieces.extend(self.pieces.iter().cloned());
        pieces
    }

    /// The columns the line takes unwrapped, indentation included.
    pub fn width(&self) -> usize {
        self.pieces_indented()
            .iter()
            .map(|(_, t)| crate::text::width(t))
            .sum()
    }

    /// The line in rows of `width` columns: wrapped (continuations indented one level past
    /// the line), or one row seen from column `skip`.
    pub fn rows(&self, width: usize, wrap: bool, skip: usize) -> Vec<Vec<(Token, String)>> {
        let pieces = self.pieces_indented();
        if wrap {
            text::wrap_marked(
                &pieces,
                width,
                self.depth * 2 + 4,
                Token::Punct,
                Some((Token::Note, '↪')),
            )
        } else {
            vec![text::window(&pieces, skip, width)]
        }
    }
}

/// Deeper than this, an event is shown as raw text cut into lines (the printer recurses).
const MAX_DEPTH: usize = 96;

/// The most of one piece of a line the pane shows: a value of megabytes (a 50 MB string in
/// an event) is cut, said so, rather than wrapped into a million rows on every frame. The
/// line's value stays whole: `y` copies it, `f` filters on it.
pub const MAX_SHOWN: usize = 16 * 1024;

/// `text` as the pane shows it: whole, or its first [`MAX_SHOWN`] bytes and what is left.
fn shown(text: &str) -> String {
    let head = text::head(text, MAX_SHOWN);
    if head.len() == text.len() {
        return text.to_string();
    }
    format!(
        "{head}… ({} more bytes; y copies the whole value)",
        text::thousands(text.len() - head.len())
    )
}

/// Re-indents `json` (already known to be valid) into lines; with `decode`, a string that
/// holds a JSON object or array is shown decoded.
pub fn pretty(json: &str, decode: bool) -> Vec<Line> {
    if nesting(json) > MAX_DEPTH {
        return raw_lines(json);
    }
    let mut lines = Vec::new();
    let mut printer = Printer {
        chars: json.char_indices().peekable(),
        text: json,
        lines: &mut lines,
        path: Vec::new(),
        decode,
        decoded: false,
    };
    printer.value(0, None);
    lines
}

/// Whether a string value holds a JSON object or array worth showing decoded.
fn holds_json(value: &str) -> bool {
    let trimmed = value.trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('['))
        && nesting(value) <= MAX_DEPTH / 2
        && serde_json::from_str::<serde::de::IgnoredAny>(value).is_ok()
}

struct Printer<'a, 'l> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
    lines: &'l mut Vec<Line>,
    path: Vec<String>,
    decode: bool,
    /// This printer prints JSON decoded from a string.
    decoded: bool,
}

impl Printer<'_, '_> {
    fn skip_ws(&mut self) {
        while let Some((_, c)) = self.chars.peek() {
            if c.is_whitespace() {
                self.chars.next();
            } else {
                break;
            }
        }
    }

    fn in_identity(&self) -> bool {
        self.path.first().is_some_and(|k| k == "userIdentity")
    }

    fn dotted(&self) -> String {
        self.path.join(".")
    }

    /// A JSON string literal starting at the current `"`: (raw text, unescaped).
    fn string(&mut self) -> (String, String) {
        let Some((start, _)) = self.chars.next() else {
            return (String::new(), String::new());
        };
        let mut end = start + 1;
        let mut escaped = false;
        for (i, c) in self.chars.by_ref() {
            end = i + c.len_utf8();
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                break;
            }
        }
        let raw = &self.text[start..end];
        let unescaped = serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string());
        (raw.to_string(), unescaped)
    }

    fn scalar(&mut self) -> (Token, String, String) {
        match self.chars.peek().map(|&(_, c)| c) {
            Some('"') => {
                let (raw, value) = self.string();
                (Token::Str, raw, value)
            }
            _ => {
                let mut text = String::new();
                while let Some(&(_, c)) = self.chars.peek() {
                    if c == ',' || c == '}' || c == ']' || c.is_whitespace() {
                        break;
                    }
                    text.push(c);
                    self.chars.next();
                }
                let token = if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
                    Token::Number
                } else {
                    Token::Literal
                };
                (token, text.clone(), text)
            }
        }
    }

    fn push(
        &mut self,
        depth: usize,
        pieces: Vec<(Token, String)>,
        value: Option<String>,
        identity: bool,
    ) {
        let pieces = pieces
            .into_iter()
            .map(|(t, s)| (t, shown(&sanitize(&s))))
            .collect();
        self.lines.push(Line {
            depth,
            pieces,
            path: self.dotted(),
            value: if self.decoded { None } else { value },
            identity,
            decoded: self.decoded,
        });
    }

    /// Writes the value at the cursor; `key` is its member name. A comma that follows is
    /// added to the last line by the caller once it has seen it.
    fn value(&mut self, depth: usize, key: Option<String>) {
        self.skip_ws();
        let mut prefix: Vec<(Token, String)> = Vec::new();
        if let Some(k) = &key {
            prefix.push((Token::Key, k.clone()));
            prefix.push((Token::Punct, ": ".into()));
        }
        let identity = self.in_identity();
        match self.chars.peek().map(|&(_, c)| c) {
            Some(open @ ('{' | '[')) => {
                self.chars.next();
                let close = if open == '{' { '}' } else { ']' };
                self.skip_ws();
                if self.chars.peek().map(|&(_, c)| c) == Some(close) {
                    self.chars.next();
                    prefix.push((Token::Punct, format!("{open}{close}")));
                    self.push(depth, prefix, None, identity);
                    return;
                }
                prefix.push((Token::Punct, open.to_string()));
                self.push(depth, prefix, None, identity);
                loop {
                    self.skip_ws();
                    let member_key = if open == '{' {
                        let (raw, name) = self.string();
                        self.skip_ws();
                        self.chars.next(); // ':'
                        self.path.push(name);
                        Some(raw)
                    } else {
                        None
                    };
                    self.value(depth + 1, member_key);
                    if open == '{' {
                        self.path.pop();
                    }
                    self.skip_ws();
                    match self.chars.next().map(|(_, c)| c) {
                        Some(',') => {
                            if let Some(last) = self.lines.last_mut() {
                                last.pieces.push((Token::Punct, ",".into()));
                            }
                        }
                        _ => break,
                    }
                }
                self.push(
                    depth,
                    vec![(Token::Punct, close.to_string())],
                    None,
                    identity,
                );
            }
            Some(_) => {
                let (token, raw, value) = self.scalar();
                if token == Token::Str && self.decode && holds_json(&value) {
                    self.decoded_string(depth, key, &value);
                    return;
                }
                prefix.push((token, raw));
                let value = (token != Token::Literal || value != "null").then_some(value);
                self.push(depth, prefix, value, identity);
            }
            None => {}
        }
    }
}

impl Printer<'_, '_> {
    /// Prints the JSON held in a string value, its first line marked as decoded.
    fn decoded_string(&mut self, depth: usize, key: Option<String>, json: &str) {
        let first = self.lines.len();
        let mut inner = Printer {
            chars: json.char_indices().peekable(),
            text: json,
            lines: &mut *self.lines,
            path: self.path.clone(),
            decode: false,
            decoded: true,
        };
        inner.value(depth, key);
        if let Some(line) = self.lines.get_mut(first) {
            line.pieces
                .push((Token::Note, "  ← JSON in a string (r: raw)".into()));
        }
    }
}

/// The deepest nesting of brackets outside strings, counted without recursion.
fn nesting(json: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in json.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A message in place of the event (its file changed since the load), made safe to show.
pub fn notice(text: &str) -> Vec<Line> {
    raw_lines(text)
}

fn raw_lines(json: &str) -> Vec<Line> {
    let chars: Vec<char> = json.chars().collect();
    chars
        .chunks(100)
        .map(|chunk| Line {
            depth: 0,
            pieces: vec![(
                Token::Punct,
                sanitize(&chunk.iter().collect::<String>()).into_owned(),
            )],
            path: String::new(),
            value: None,
            identity: false,
            decoded: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        let body: String = line.pieces.iter().map(|(_, s)| s.as_str()).collect();
        format!("{}{}", "  ".repeat(line.depth), body)
    }

    #[test]
    fn pretty_keeps_order_and_marks_identity() {
        let lines = pretty(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"a\u001bb"},"x":[1,{"y":null}],"e":{}}"#,
            false,
        );
        let rendered: Vec<String> = lines.iter().map(text).collect();
        assert_eq!(
            rendered,
            [
                "{",
                "  \"eventVersion\": \"1.08\",",
                "  \"userIdentity\": {",
                "    \"type\": \"IAMUser\",",
                "    \"userName\": \"a\\u001bb\"",
                "  },",
                "  \"x\": [",
                "    1,",
                "    {",
                "      \"y\": null",
                "    }",
                "  ],",
                "  \"e\": {}",
                "}",
            ]
        );
        let identity: Vec<bool> = lines.iter().map(|l| l.identity).collect();
        assert_eq!(
            identity,
            [
                false, false, true, true, true, true, false, false, false, false, false, false,
                false, false
            ]
        );
        assert_eq!(lines[4].path, "userIdentity.userName");
        assert_eq!(lines[4].value.as_deref(), Some("a\u{1b}b"));
        assert_eq!(lines[9].value, None);
        assert_eq!(lines[7].path, "x");
    }

    #[test]
    fn a_string_holding_json_is_decoded_unless_raw_is_asked() {
        let json = r#"{"requestParameters":{"policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"}]}","n":"{x"}}"#;
        let decoded: Vec<String> = pretty(json, true).iter().map(text).collect();
        assert_eq!(
            decoded,
            [
                "{",
                "  \"requestParameters\": {",
                "    \"policyDocument\": {  ← JSON in a string (r: raw)",
                "      \"Version\": \"2012-10-17\",",
                "      \"Statement\": [",
                "        {",
                "          \"Effect\": \"Allow\"",
                "        }",
                "      ]",
                "    },",
                "    \"n\": \"{x\"",
                "  }",
                "}",
            ]
        );
        let lines = pretty(json, true);
        assert!(lines[6].decoded && lines[6].value.is_none());
        assert_eq!(
            lines[6].path,
            "requestParameters.policyDocument.Statement.Effect"
        );
        assert_eq!(lines[10].value.as_deref(), Some("{x"));
        let raw = pretty(json, false);
        assert_eq!(raw.len(), 6);
        assert_eq!(
            raw[2].value.as_deref(),
            Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}"#)
        );
    }
}
