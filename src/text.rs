//! Making untrusted log text safe to show: every control character (C0, DEL, C1) and every
//! bidirectional override or isolate is replaced by a visible escape, so an event can never
//! move the cursor, ring the bell, retitle the window or reorder what is shown.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal raw: controls, bidirectional marks, overrides
/// and isolates, line and paragraph separators, and every character Unicode calls default
/// ignorable (DerivedCoreProperties.txt, Default_Ignorable_Code_Point: zero-width spaces
/// and joiners, the soft hyphen, the Arabic letter mark, Hangul fillers, variation
/// selectors, tag characters…) or an interlinear annotation mark: invisible, yet they
/// change what text says, so `Stop\u{ad}Logging` never passes for StopLogging.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
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

/// The first `max` bytes of `s` at most, cut at a character's start: what a pane can show
/// of a text of megabytes, taken before anything walks the whole of it.
pub fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut cut = max;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    &s[..cut]
}

/// `1234567` as `1,234,567`.
/// `n` of a thing, with thousands separators: `1 input`, `2,345 inputs`.
pub fn count(n: usize, one: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{} {one}s", thousands(n)),
    }
}

pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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

/// Shortens `s` to at most `width` columns by cutting its middle, keeping what follows its
/// last `/` whole when that fits: `AWSReservedSSO_Pow…/alice`, never `AWSReservedSSO_Power…`.
pub fn truncate_middle(s: &str, width: usize) -> Cow<'_, str> {
    if self::width(s) <= width {
        return Cow::Borrowed(s);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let tail_at = s.rfind('/').unwrap_or(s.len());
    let tail = &s[tail_at..];
    let tail_width = self::width(tail);
    if tail.is_empty() {
        return truncate(s, width);
    }
    if tail_width + 2 > width {
        // Not even the tail fits: a little of the head, and the start of the tail.
        let head = truncate(&s[..tail_at], (width / 4).max(2));
        let rest = width.saturating_sub(self::width(&head));
        return Cow::Owned(format!("{head}{}", truncate(tail, rest)));
    }
    let head = truncate(&s[..tail_at], width - tail_width);
    Cow::Owned(format!("{head}{tail}"))
}

/// `s` cut to `width` columns if longer, then padded with spaces to exactly `width`.
pub fn fit(s: &str, width: usize) -> String {
    let cut = truncate(s, width);
    let pad = width.saturating_sub(self::width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

/// Where a long value may break: after a space, or a separator of ARNs, paths and URLs.
const BREAKS: [char; 9] = [' ', '/', ':', ',', '-', '.', '&', '?', '='];

/// Lays tagged pieces of text out in rows of at most `width` columns. A row breaks after
/// its last space when that is in the row's second half, else anywhere. A line's closing
/// comma stays with the value before it. Rows after the first begin with `indent` spaces
/// (tagged `pad`), the last two of them the continuation `mark` when one is given. Every
/// character keeps its piece's tag.
pub fn wrap<T: Copy + PartialEq>(
    pieces: &[(T, String)],
    width: usize,
    indent: usize,
    pad: T,
) -> Vec<Vec<(T, String)>> {
    wrap_at(pieces, width, indent, pad, None, &[' '])
}

/// [`wrap`] for values (JSON): a row may also break after a separator of ARNs, paths and
/// URLs, and each continuation row is marked with `mark` (a tag and a character).
pub fn wrap_marked<T: Copy + PartialEq>(
    pieces: &[(T, String)],
    width: usize,
    indent: usize,
    pad: T,
    mark: Option<(T, char)>,
) -> Vec<Vec<(T, String)>> {
    wrap_at(pieces, width, indent, pad, mark, &BREAKS)
}

fn wrap_at<T: Copy + PartialEq>(
    pieces: &[(T, String)],
    width: usize,
    indent: usize,
    pad: T,
    mark: Option<(T, char)>,
    breaks: &[char],
) -> Vec<Vec<(T, String)>> {
    let width = width.max(1);
    let indent = indent.min(width / 2);
    let char_width = |c: char| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    let columns = |row: &[(T, char)]| -> usize { row.iter().map(|(_, c)| char_width(*c)).sum() };
    let chars: Vec<(T, char)> = pieces
        .iter()
        .flat_map(|(tag, text)| text.chars().map(move |c| (*tag, c)))
        .collect();
    let mut rows: Vec<Vec<(T, char)>> = Vec::new();
    let mut row: Vec<(T, char)> = Vec::new();
    let mut used = 0;
    for (i, &(tag, c)) in chars.iter().enumerate() {
        let w = char_width(c);
        // The character before a line's closing comma needs room for both.
        let comma = usize::from(i + 2 == chars.len() && chars[i + 1].1 == ',');
        if used + w + comma > width && used > indent {
            let half = indent + (width - indent) / 2;
            let at = row
                .iter()
                .rposition(|&(_, c)| breaks.contains(&c))
                .filter(|&i| columns(&row[..=i]) >= half);
            let tail = match at {
                Some(i) => row.split_off(i + 1),
                // No separator: a few characters go along with the comma.
                None if comma == 1 => row.split_off(row.len() - 4.min(row.len() - indent)),
                None => Vec::new(),
            };
            rows.push(std::mem::take(&mut row));
            row.extend(std::iter::repeat_n((pad, ' '), indent));
            if let (Some((mark_tag, mark)), true) = (mark, indent >= 2) {
                row[indent - 2] = (mark_tag, mark);
            }
            row.extend(tail);
            used = columns(&row);
        }
        row.push((tag, c));
        used += w;
    }
    rows.push(row);
    rows.into_iter()
        .map(|row| {
            let mut grouped: Vec<(T, String)> = Vec::new();
            for (tag, c) in row {
                match grouped.last_mut() {
                    Some((t, s)) if *t == tag => s.push(c),
                    _ => grouped.push((tag, c.to_string())),
                }
            }
            grouped
        })
        .collect()
}

/// The row of tagged pieces seen through a window: `skip` columns scrolled off to the left,
/// at most `width` shown.
pub fn window<T: Copy>(pieces: &[(T, String)], skip: usize, width: usize) -> Vec<(T, String)> {
    let mut out: Vec<(T, String)> = Vec::new();
    let mut column = 0;
    for (tag, text) in pieces {
        let mut kept = String::new();
        for c in text.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if column >= skip && column + w <= skip + width {
                kept.push(c);
            }
            column += w;
        }
        if !kept.is_empty() {
            out.push((*tag, kept));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_say_one_thing_and_many_things() {
        assert_eq!(count(1, "input"), "1 input");
        assert_eq!(count(0, "rule"), "0 rules");
        assert_eq!(count(2345, "event"), "2,345 events");
    }

    #[test]
    fn a_middle_cut_keeps_the_session_name() {
        let sso = "AWSReservedSSO_PowerUserAccess_1f2e3d4c5b6a7980/alice@example.com";
        assert_eq!(truncate_middle(sso, 25), "AWSRes…/alice@example.com");
        assert_eq!(truncate_middle(sso, 14), "AW…/alice@exa…");
        assert_eq!(truncate_middle("ci-deploy", 20), "ci-deploy");
        assert_eq!(truncate_middle("a-very-long-user-name", 10), "a-very-lo…");
        assert_eq!(width(&truncate_middle(sso, 25)), 25);
    }

    #[test]
    fn wrapping_keeps_tags_and_indents_later_rows() {
        let pieces = [
            (1, "\"key\": ".to_string()),
            (2, "\"abcdefghij\"".to_string()),
        ];
        let rows = wrap(&pieces, 10, 2, 0);
        let text: Vec<String> = rows
            .iter()
            .map(|r| r.iter().map(|(_, s)| s.as_str()).collect())
            .collect();
        assert_eq!(text, ["\"key\": ", "  \"abcdefg", "  hij\""]);
        // An ARN breaks after a separator; the closing comma stays with its value.
        let arn = [(1, "\"arn:aws:iam::111122223333:role/deploy\",".to_string())];
        let arn_rows: Vec<String> = wrap_marked(&arn, 24, 4, 0, Some((2, '↪')))
            .iter()
            .map(|r| r.iter().map(|(_, s)| s.as_str()).collect())
            .collect();
        assert_eq!(
            arn_rows,
            ["\"arn:aws:iam::", "  ↪ 111122223333:role/", "  ↪ deploy\","]
        );
        let id = [(1, "\"0123456789abcdef\",".to_string())];
        let id_rows: Vec<String> = wrap(&id, 18, 2, 0)
            .iter()
            .map(|r| r.iter().map(|(_, s)| s.as_str()).collect())
            .collect();
        assert_eq!(id_rows, ["\"0123456789ab", "  cdef\","]);
        assert_eq!(
            rows[1],
            [(0, "  ".to_string()), (2, "\"abcdefg".to_string())]
        );
        // Words break at a space in the second half of the row.
        let words = [(1, "who    someone (AssumedRole)".to_string())];
        let rows: Vec<String> = wrap(&words, 20, 7, 0)
            .iter()
            .map(|r| r.iter().map(|(_, s)| s.as_str()).collect())
            .collect();
        assert_eq!(rows, ["who    someone ", "       (AssumedRole)"]);
        assert_eq!(
            window(&pieces, 3, 6),
            [(1, "y\": ".to_string()), (2, "\"a".to_string())]
        );
    }

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
    fn invisible_and_format_characters_show_as_escapes() {
        // Each of these once let a name pass for another, or broke a pane's border.
        for c in [
            '\u{ad}',
            '\u{61c}',
            '\u{3164}',
            '\u{180e}',
            '\u{34f}',
            '\u{fe0f}',
            '\u{115f}',
            '\u{17b4}',
            '\u{fff9}',
            '\u{e0041}',
            '\u{e0100}',
            '\u{ffa0}',
            '\u{1d173}',
        ] {
            let name = format!("Stop{c}Logging");
            let escape = if (c as u32) < 0x100 {
                format!("\\x{:02x}", c as u32)
            } else {
                format!("\\u{{{:x}}}", c as u32)
            };
            assert_eq!(
                sanitize(&name),
                format!("Stop{escape}Logging"),
                "U+{:04X}",
                c as u32
            );
        }
        // Visible text of other scripts is left as it is.
        assert_eq!(
            sanitize("Zugriff verweigert – 拒否"),
            "Zugriff verweigert – 拒否"
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
