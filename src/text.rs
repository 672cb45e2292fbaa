//! Making untrusted log text safe to show: every control character (C0, DEL, C1) and every
//! bidirectional override or isolate is replaced by a visible escape, so an event can never
//! move the cursor, ring the bell, retitle the window or reorder what is shown.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal raw: controls, bidirectional marks, overrides
/// and isolates, and the characters that are invisible yet change what text says
/// (zero-width spaces and joiners, word joiner, byte-order mark, line and paragraph
/// separators), so `Create\u{200b}AccessKey` never passes for CreateAccessKey.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `s` with every unsafe character written as `\xNN` or `\u{NNNN}`.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            let _ = match c {
                '\n' => out.write_str("\\n"),
                '\r' => out.write_str("\\r"),
                '\t' => out.write_str("\\t"),
                c if (c as u32) < 0x100 => write!(out, "\\x{:02x}", c as u32),
                c => write!(out, "\\u{{{:x}}}", c as u32),
            };
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Shortens `s` to at most `width` characters, marking the cut with `…`.
pub fn truncate(s: &str, width: usize) -> Cow<'_, str> {
    if s.chars().count() <= width {
        return Cow::Borrowed(s);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi() {
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(
            sanitize("a\u{1b}[31mb\u{7}c\r\u{8}\0"),
            "a\\x1b[31mb\\x07c\\r\\x08\\x00"
        );
        assert_eq!(sanitize("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        assert_eq!(sanitize("\u{9b}2J"), "\\x9b2J");
        assert!(!sanitize("\u{1b}]0;title\u{7}").chars().any(is_unsafe));
    }
}
