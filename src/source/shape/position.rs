//! Positions: 1-based line and column (in bytes) of offsets into an input's text, and back.

use crate::error::Position;

/// Line numbers of offsets, counted incrementally: problems come in document order, so
/// each is counted from the previous one, never again from the start of the input.
#[derive(Debug, Default)]
pub(super) struct Lines {
    offset: usize,
    line: usize,
    line_start: usize,
}

impl Lines {
    pub(super) fn position(&mut self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        if offset < self.offset {
            *self = Lines::default();
        }
        let bytes = &text.as_bytes()[self.offset..offset];
        self.line += memchr::memchr_iter(b'\n', bytes).count();
        if let Some(nl) = memchr::memrchr(b'\n', bytes) {
            self.line_start = self.offset + nl + 1;
        }
        self.offset = offset;
        Position {
            line: self.line + 1,
            column: offset - self.line_start + 1,
        }
    }
}

/// serde_json appends " at line L column C"; we report positions ourselves.
pub(super) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The byte offset of serde_json's 1-based (line, column) within `text`. serde_json counts
/// columns in bytes and reports column 0 for an error right after a newline.
pub(super) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = 0;
    for _ in 1..line {
        match memchr::memchr(b'\n', &bytes[start..]) {
            Some(nl) => start += nl + 1,
            None => break,
        }
    }
    (start + column.saturating_sub(1)).min(bytes.len())
}

/// The absolute offset of a 1-based line and column (in bytes).
pub fn offset_of_position(text: &str, at: Position) -> usize {
    offset_of(text, at.line, at.column)
}

/// 1-based line and column (in bytes) of an absolute offset.
pub fn position(text: &str, offset: usize) -> Position {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let line = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let line_start = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
    Position {
        line,
        column: bytes.len() - line_start + 1,
    }
}
