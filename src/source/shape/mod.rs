//! Recognising the content shapes of docs/DESIGN.md "Inputs" and handing each event, with the
//! byte span of its original JSON, to a [`Sink`].
//!
//! The common case, a `{"Records":[...]}` delivery file, is read element by element, and each
//! element once, straight into the borrowed [`RawEvent`] (by [`crate::event::fast`] where it
//! is sure, else by serde): no intermediate value. Everything else (lookup-events output,
//! EventBridge envelopes, string-wrapped events, digests) goes through `wrappers`. A syntax
//! error ends the document it is in, never the events before it; in JSON Lines, loading
//! resumes at the next line that starts an object.

mod position;
mod wrappers;

use std::fmt;

use serde_json::value::RawValue;

use crate::error::Error;
use crate::event::RawEvent;
use position::{offset_of, strip_position, Lines};
pub use position::{offset_of_position, position};

/// Where an event's original JSON sits in the decompressed text of its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
    /// The span is a JSON string literal whose content is the event (lookup-events output,
    /// `_raw` / `message` wrappers); showing the event means unescaping it.
    pub escaped: bool,
}

/// Receives what a document holds, in document order.
pub trait Sink {
    fn event(&mut self, event: &RawEvent<'_>, span: Span);
    fn digest(&mut self);
    fn problem(&mut self, problem: Error);
}

/// The content shapes an input can hold; one input may show several (JSON Lines of
/// Records documents, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    Records,
    Array,
    Event,
    Lines,
    LookupEvents,
    EventBridge,
    Wrapped,
    Digest,
    /// Athena's JSON export of the CloudTrail table, read back as events.
    AthenaExport,
    /// CloudTrail Lake's query results (`get-query-results`), read back as events.
    LakeResults,
}

impl Shape {
    pub fn label(self) -> &'static str {
        match self {
            Shape::Records => "Records document",
            Shape::Array => "array of events",
            Shape::Event => "single event",
            Shape::Lines => "JSON Lines",
            Shape::LookupEvents => "lookup-events output",
            Shape::EventBridge => "EventBridge envelope",
            Shape::Wrapped => "string-wrapped event",
            Shape::Digest => "digest",
            Shape::AthenaExport => "Athena export",
            Shape::LakeResults => "Lake query results",
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What reading one input's text found, beside what went to the sink.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub shapes: Vec<Shape>,
    /// The text is empty or only whitespace.
    pub empty: bool,
}

impl Outcome {
    fn saw(&mut self, shape: Shape) {
        if !self.shapes.contains(&shape) {
            self.shapes.push(shape);
        }
    }
}

/// How deep wrappers (a Records document inside a Records document, an EventBridge `detail`,
/// a lookup-events `CloudTrailEvent`) may nest inside each other. Real exports nest two at
/// most; deeper is reported and skipped, so hostile nesting can neither exhaust the stack
/// nor make each level re-read the rest of the input.
pub const MAX_WRAPPER_DEPTH: usize = 8;

/// Reads one input's text.
pub fn parse(name: &str, text: &str, sink: &mut dyn Sink) -> Outcome {
    let mut reader = Reader {
        name,
        text,
        sink,
        outcome: Outcome::default(),
        events: 0,
        wrapper: None,
        depth: 0,
        lines: Lines::default(),
    };
    reader.document();
    reader.outcome
}

struct Reader<'t, 's> {
    name: &'t str,
    text: &'t str,
    sink: &'s mut dyn Sink,
    outcome: Outcome,
    /// Events handed to the sink so far.
    events: usize,
    /// The container shape of the value being read, if it is not a bare event.
    wrapper: Option<Shape>,
    /// Wrappers entered around the value being read.
    depth: usize,
    lines: Lines,
}

/// A syntax error that ends the current value, at an absolute byte offset.
struct Broken {
    offset: usize,
    message: String,
}

impl<'t> Reader<'t, '_> {
    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    fn skip_ws(&self, mut pos: usize) -> usize {
        let bytes = self.bytes();
        while pos < bytes.len() && matches!(bytes[pos], b' ' | b'\t' | b'\n' | b'\r') {
            pos += 1;
        }
        pos
    }

    fn document(&mut self) {
        let start = self.skip_ws(skip_bom(self.bytes()));
        if start >= self.bytes().len() {
            self.outcome.empty = true;
            return;
        }
        let mut pos = start;
        let mut values = 0usize;
        loop {
            pos = self.skip_ws(pos);
            if pos >= self.bytes().len() {
                break;
            }
            values += 1;
            if values == 2 {
                self.outcome.saw(Shape::Lines);
            }
            let result = match self.bytes()[pos] {
                b'[' => {
                    self.outcome.saw(Shape::Array);
                    self.array(pos)
                }
                b'{' => match self.records_fast_path(pos) {
                    Some(result) => result,
                    None => self.top_level_object(pos),
                },
                _ => Err(Broken {
                    offset: pos,
                    message: "expected `{` or `[`".into(),
                }),
            };
            match result {
                Ok(end) => pos = end,
                Err(broken) => {
                    // Resume at the next line after the start of the broken value: in JSON
                    // Lines the parser may have run on into the following (good) line, and
                    // then the problem is that line's, not where the parser gave up.
                    let next = self.next_line_starting_an_object(pos);
                    match next {
                        Some(next) if next <= broken.offset => self.report_broken(&Broken {
                            offset: next - 1,
                            message: format!(
                                "incomplete value at the end of the line ({})",
                                broken.message
                            ),
                        }),
                        _ => self.report_broken(&broken),
                    }
                    match next {
                        Some(next) => pos = next,
                        None => break,
                    }
                }
            }
        }
    }

    fn report_broken(&mut self, broken: &Broken) {
        let at = self.lines.position(self.text, broken.offset);
        self.sink.problem(Error::Json {
            path: self.name.to_string(),
            at,
            message: broken.message.clone(),
        });
    }

    fn not_cloudtrail(&mut self, offset: usize, what: impl Into<String>) {
        let at = self.lines.position(self.text, offset);
        self.sink.problem(Error::NotCloudTrail {
            path: self.name.to_string(),
            at,
            what: what.into(),
        });
    }

    /// After a syntax error in JSON Lines, where the next line's value starts: the first
    /// `{` or `[` of a following line, after any indentation.
    fn next_line_starting_an_object(&self, from: usize) -> Option<usize> {
        let bytes = self.bytes();
        let mut pos = from;
        while let Some(nl) = memchr::memchr(b'\n', bytes.get(pos..)?) {
            pos += nl + 1;
            let mut start = pos;
            while matches!(bytes.get(start), Some(b' ' | b'\t' | b'\r')) {
                start += 1;
            }
            if matches!(bytes.get(start), Some(b'{' | b'[')) {
                return Some(start);
            }
        }
        None
    }

    /// `{"Records":[` read by hand so its elements are parsed one at a time.
    fn records_fast_path(&mut self, pos: usize) -> Option<Result<usize, Broken>> {
        let bytes = self.bytes();
        let mut p = self.skip_ws(pos + 1);
        if !bytes.get(p..)?.starts_with(b"\"Records\"") {
            return None;
        }
        p = self.skip_ws(p + "\"Records\"".len());
        if bytes.get(p) != Some(&b':') {
            return None;
        }
        p = self.skip_ws(p + 1);
        if bytes.get(p) != Some(&b'[') {
            return None;
        }
        self.outcome.saw(Shape::Records);
        self.wrapper = Some(Shape::Records);
        // The document is the first wrapper level.
        self.depth += 1;
        let result = self.array(p).and_then(|end| self.rest_of_object(end));
        self.depth -= 1;
        Some(result)
    }

    /// Skips the members after the ones already read, up to and past the closing `}`.
    fn rest_of_object(&mut self, mut pos: usize) -> Result<usize, Broken> {
        loop {
            pos = self.skip_ws(pos);
            match self.bytes().get(pos) {
                Some(b'}') => return Ok(pos + 1),
                Some(b',') => {
                    let key_start = self.skip_ws(pos + 1);
                    let (key, key_end) = self.raw_value(key_start)?;
                    let colon = self.skip_ws(key_end);
                    if self.bytes().get(colon) != Some(&b':') {
                        return Err(self.expected(colon, "`:`"));
                    }
                    let value_start = self.skip_ws(colon + 1);
                    if key.get() == "\"Records\"" && self.bytes().get(value_start) == Some(&b'[') {
                        // jq and Python would keep only the last; a decoy must not hide
                        // either, so both are loaded, and the user told.
                        let at = self.lines.position(self.text, key_start);
                        self.sink.problem(Error::Repaired {
                            path: self.name.to_string(),
                            at,
                            what: "a second `Records` member: the events of both are loaded",
                        });
                        pos = self.array(value_start)?;
                        continue;
                    }
                    let (_, value_end) = self.raw_value(value_start)?;
                    pos = value_end;
                }
                _ => return Err(self.expected(pos, "`,` or `}`")),
            }
        }
    }

    fn expected(&self, pos: usize, what: &str) -> Broken {
        let message = match self.bytes().get(pos) {
            None => format!("unexpected end of input, expected {what}"),
            Some(_) => format!("expected {what}"),
        };
        Broken {
            offset: pos,
            message,
        }
    }

    /// Reads the array opening at `pos`; each element is an event or an envelope.
    fn array(&mut self, pos: usize) -> Result<usize, Broken> {
        let mut p = self.skip_ws(pos + 1);
        if self.bytes().get(p) == Some(&b']') {
            return Ok(p + 1);
        }
        loop {
            p = self.element(p)?;
            p = self.skip_ws(p);
            match self.bytes().get(p) {
                Some(b',') => p = self.skip_ws(p + 1),
                Some(b']') => return Ok(p + 1),
                _ => return Err(self.expected(p, "`,` or `]`")),
            }
        }
    }

    /// One value that should be an event: parsed straight into a [`RawEvent`] where it is
    /// one, through [`Envelope`] otherwise.
    fn element(&mut self, pos: usize) -> Result<usize, Broken> {
        // The common event, read in one pass; what it is unsure of, serde reads.
        if let Some((event, end)) = crate::event::fast::read(self.text, pos) {
            if event.is_event() {
                let span = Span {
                    offset: pos,
                    len: end - pos,
                    escaped: false,
                };
                self.emit(&event, span);
                return Ok(end);
            }
        }
        let mut stream =
            serde_json::Deserializer::from_str(&self.text[pos..]).into_iter::<RawEvent>();
        match stream.next() {
            Some(Ok(event)) if event.is_event() => {
                let end = pos + stream.byte_offset();
                self.emit(
                    &event,
                    Span {
                        offset: pos,
                        len: end - pos,
                        escaped: false,
                    },
                );
                Ok(end)
            }
            Some(Err(err)) if !err.is_data() => Err(self.broken_at(pos, &err)),
            None => Err(self.expected(pos, "a value")),
            // Not an event, or a value whose types defeat the fast path: read it generically.
            Some(_) => {
                let (raw, end) = self.raw_value(pos)?;
                self.generic(raw, pos);
                Ok(end)
            }
        }
    }

    /// A top-level object: an event, an envelope, a digest.
    fn top_level_object(&mut self, pos: usize) -> Result<usize, Broken> {
        self.wrapper = None;
        let events_before = self.events;
        let end = self.element(pos)?;
        if self.wrapper.is_none() && self.events > events_before {
            self.outcome.saw(Shape::Event);
        }
        Ok(end)
    }

    fn emit(&mut self, event: &RawEvent<'_>, span: Span) {
        self.events += 1;
        self.sink.event(event, span);
    }

    fn raw_value(&self, pos: usize) -> Result<(&'t RawValue, usize), Broken> {
        let text: &'t str = self.text;
        let mut stream = serde_json::Deserializer::from_str(&text[pos..]).into_iter::<&RawValue>();
        match stream.next() {
            Some(Ok(raw)) => Ok((raw, pos + stream.byte_offset())),
            Some(Err(err)) => Err(self.broken_at(pos, &err)),
            None => Err(self.expected(pos, "a value")),
        }
    }

    fn broken_at(&self, pos: usize, err: &serde_json::Error) -> Broken {
        let offset = pos + offset_of(&self.text[pos..], err.line(), err.column());
        Broken {
            offset,
            message: strip_position(&err.to_string()),
        }
    }

    fn offset_in_text(&self, raw: &RawValue) -> usize {
        raw.get().as_ptr() as usize - self.text.as_ptr() as usize
    }
}

/// Whether `bytes` (after a byte-order mark and whitespace) start like JSON — or are empty.
/// Loading asks this first, so a README among the logs is told apart before anything else.
pub fn looks_like_json(bytes: &[u8]) -> bool {
    bytes[skip_bom(bytes)..]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_none_or(|&b| b == b'{' || b == b'[')
}

fn skip_bom(bytes: &[u8]) -> usize {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    }
}

fn json_kind(text: &str) -> &'static str {
    match text.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    }
}
