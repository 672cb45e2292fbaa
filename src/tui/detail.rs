//! The detail pane's document: an event's original JSON re-indented into lines, each with
//! its syntax-coloured pieces, its JSON path, and whether it belongs to `userIdentity`.
//! Keys keep their original order (no `serde_json::Value` round trip).

use crate::text::sanitize;

/// What a piece of a line is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Punct,
    Key,
    Str,
    Number,
    Literal,
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
}

/// The detail pane's state: the document of the event shown, and the line cursor.
#[derive(Debug)]
pub struct DetailPane {
    /// The document of the shown event, and its row.
    pub doc: Option<(u32, Vec<Line>)>,
    /// The row whose document was asked of the worker.
    pub requested: Option<u32>,
    pub cursor: usize,
    pub offset: usize,
    /// Lines the pane shows (from the terminal size).
    pub page: usize,
}

impl Default for DetailPane {
    fn default() -> Self {
        DetailPane {
            doc: None,
            requested: None,
            cursor: 0,
            offset: 0,
            page: 20,
        }
    }
}

impl DetailPane {
    /// Moves the line cursor, keeping it in view.
    pub fn move_by(&mut self, n: isize) {
        let len = self.doc.as_ref().map_or(0, |(_, lines)| lines.len());
        if len == 0 {
            return;
        }
        self.cursor = (self.cursor as isize + n).clamp(0, len as isize - 1) as usize;
        let page = self.page.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + page {
            self.offset = self.cursor + 1 - page;
        }
    }

    /// The row whose document must be built to show `row`, unless shown or asked for.
    pub fn needed(&mut self, row: Option<u32>) -> Option<u32> {
        let row = row?;
        if self.doc.as_ref().map(|(r, _)| *r) == Some(row) || self.requested == Some(row) {
            return None;
        }
        self.requested = Some(row);
        Some(row)
    }

    /// Shows the document of `row`; a new event opens at its top.
    pub fn show(&mut self, row: u32, lines: Vec<Line>) {
        if self.requested == Some(row) {
            self.requested = None;
        }
        self.doc = Some((row, lines));
        self.cursor = 0;
        self.offset = 0;
    }

    /// The line under the cursor.
    pub fn line(&self) -> Option<&Line> {
        self.doc.as_ref()?.1.get(self.cursor)
    }
}

/// Deeper than this, an event is shown as raw text cut into lines (the printer recurses).
const MAX_DEPTH: usize = 96;

/// Re-indents `json` (already known to be valid) into lines.
pub fn pretty(json: &str) -> Vec<Line> {
    if nesting(json) > MAX_DEPTH {
        return raw_lines(json);
    }
    let mut lines = Vec::new();
    let mut printer = Printer {
        chars: json.char_indices().peekable(),
        text: json,
        lines: &mut lines,
        path: Vec::new(),
    };
    printer.value(0, None);
    lines
}

struct Printer<'a, 'l> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
    lines: &'l mut Vec<Line>,
    path: Vec<String>,
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
            .map(|(t, s)| (t, sanitize(&s).into_owned()))
            .collect();
        self.lines.push(Line {
            depth,
            pieces,
            path: self.dotted(),
            value,
            identity,
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
                prefix.push((token, raw));
                let value = (token != Token::Literal || value != "null").then_some(value);
                self.push(depth, prefix, value, identity);
            }
            None => {}
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
        })
        .collect()
}

pub use crate::schema::pivot_field;

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
    fn pivot_terms() {
        assert_eq!(pivot_field("sourceIPAddress"), "ip");
        assert_eq!(
            pivot_field("requestParameters.bucketName"),
            "requestParameters.bucketName"
        );
    }
}
