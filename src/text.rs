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

/// The columns `s` takes on a terminal (wide characters take two, combining marks none).
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Shortens `s` to at most `width` terminal columns, marking the cut with `…`.
pub fn truncate(s: &str, width: usize) -> Cow<'_, str> {
    if self::width(s) <= width {
        return Cow::Borrowed(s);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// `s` cut to `width` columns if longer, then padded with spaces to exactly `width`.
pub fn fit(s: &str, width: usize) -> String {
    let cut = truncate(s, width);
    let pad = width.saturating_sub(self::width(&cut));
    format!("{cut}{}", " ".repeat(pad))
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
        assert_eq!(
            sanitize("Create\u{200b}AccessKey"),
            "Create\\u{200b}AccessKey"
        );
    }

    #[test]
    fn widths_are_terminal_columns() {
        assert_eq!(width("東京"), 4);
        assert_eq!(truncate("東京都庁", 5), "東京…");
        assert_eq!(fit("東京", 6), "東京  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(width(&fit("e\u{301}x", 3)), 3);
    }
}
