//! Repairs that let the events around a flaw load: serde_json refuses a whole document for
//! a lone UTF-16 surrogate escape (`"\ud800"`) or a number out of range (`1e999`), which
//! would silently cost every event after it. The loader re-reads such a document after
//! these repairs, and reports each one as a warning with its position.

use crate::error::Error;

/// `text` with every lone surrogate escape replaced by `\ufffd` (the same length, so every
/// other offset stays), and the offsets of the replaced escapes. `None` when there is none.
pub fn lone_surrogates(text: &str) -> Option<(String, Vec<usize>)> {
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', &bytes[i..]) {
        let at = i + at;
        match bytes.get(at + 1) {
            Some(b'u') => {
                let unit = hex4(bytes, at + 2);
                match unit {
                    Some(0xD800..=0xDBFF) => {
                        let low = (bytes.get(at + 6) == Some(&b'\\')
                            && bytes.get(at + 7) == Some(&b'u'))
                        .then(|| hex4(bytes, at + 8))
                        .flatten();
                        if matches!(low, Some(0xDC00..=0xDFFF)) {
                            i = at + 12;
                            continue;
                        }
                        found.push(at);
                    }
                    Some(0xDC00..=0xDFFF) => found.push(at),
                    _ => {}
                }
                if found.last() == Some(&at) {
                    let buf = out.get_or_insert_with(|| bytes.to_vec());
                    buf[at..at + 6].copy_from_slice(b"\\ufffd");
                }
                i = at + 2;
            }
            Some(_) => i = at + 2,
            None => break,
        }
    }
    let out = out?;
    // Only ASCII was replaced by ASCII: still UTF-8.
    String::from_utf8(out).ok().map(|text| (text, found))
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    let text = std::str::from_utf8(digits).ok()?;
    u32::from_str_radix(text, 16).ok()
}

/// `text` with the number token that covers `offset` written as a string (`1e999` →
/// `"1e999"`), and where the token started: the value's text is kept, the document reads.
/// `None` when no number is there.
pub fn quote_number(text: &str, offset: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let is_number = |b: u8| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E');
    let mut start = offset.min(bytes.len());
    while start > 0 && is_number(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = start;
    while end < bytes.len() && is_number(bytes[end]) {
        end += 1;
    }
    if end == start || !bytes[start..end].iter().any(u8::is_ascii_digit) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push_str(&text[..start]);
    out.push('"');
    out.push_str(&text[start..end]);
    out.push('"');
    out.push_str(&text[end..]);
    Some((out, start))
}

/// Documents read again after repairs, at most, per input.
pub const MAX_REPAIRS: usize = 32;

/// A document repaired to be read again.
pub struct Fix {
    pub text: String,
    /// Where each repair was made, and what it was.
    pub repairs: Vec<(usize, &'static str)>,
    /// Where two bytes were inserted, if they were.
    pub inserted: Option<usize>,
}

/// The text with the first repairable flaw among `problems` repaired: every lone surrogate
/// at once (same length), or one number out of range (put in quotes).
pub fn repair(text: &str, problems: &[Error]) -> Option<Fix> {
    for problem in problems {
        let Error::Json { at, message, .. } = problem else {
            continue;
        };
        if message.contains("hex escape") || message.contains("surrogate") {
            if let Some((fixed, at)) = lone_surrogates(text) {
                let what = "a lone surrogate escape replaced with U+FFFD";
                return Some(Fix {
                    text: fixed,
                    repairs: at.into_iter().map(|a| (a, what)).collect(),
                    inserted: None,
                });
            }
        }
        if message.contains("number out of range") {
            let offset = super::shape::offset_of_position(text, *at);
            if let Some((fixed, start)) = quote_number(text, offset) {
                return Some(Fix {
                    text: fixed,
                    repairs: vec![(start, "a number out of range kept as text")],
                    inserted: Some(start),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let text = r#"{"a":"x\ud800y","b":"\ud83d\ude00","c":"\\ud800","d":"\udc00"}"#;
        let (fixed, at) = lone_surrogates(text).expect("repaired");
        assert_eq!(
            fixed,
            r#"{"a":"x\ufffdy","b":"\ud83d\ude00","c":"\\ud800","d":"\ufffd"}"#
        );
        assert_eq!(at.len(), 2);
        let value: serde_json::Value = serde_json::from_str(&fixed).expect("valid now");
        assert_eq!(value["a"], "x\u{fffd}y");
        assert_eq!(value["b"], "\u{1f600}");
        assert!(lone_surrogates(r#"{"a":"\u00e9"}"#).is_none());
    }

    #[test]
    fn numbers_out_of_range_keep_their_text() {
        let text = r#"{"a":1e999,"b":2}"#;
        let (fixed, start) = quote_number(text, 8).expect("a number");
        assert_eq!(fixed, r#"{"a":"1e999","b":2}"#);
        assert_eq!(start, 5);
        assert!(quote_number(r#"{"a":"x"}"#, 6).is_none());
    }
}
