//! The full-text phrase search: ASCII case-insensitive, over every input's text once per
//! filter, so its speed is the scan's speed.
//!
//! A phrase without ASCII letters (an IP address, most of an account id) has one case:
//! memchr's `memmem`. A phrase with letters is found by two of its bytes, the rarest by
//! memchr's ranking, compared with their case folded 16 positions at a time (SSE2, which
//! every x86-64 processor has), each candidate then checked whole; elsewhere by
//! aho-corasick. Measured on 341 MB of the 1M set's text: `AdministratorAccess` 40 ms,
//! against 201 ms for aho-corasick's case-insensitive search.

#[cfg(not(target_arch = "x86_64"))]
use aho_corasick::AhoCorasick;
use memchr::arch::all::packedpair::Pair;
use memchr::memmem;

/// A phrase to find, ignoring ASCII case.
pub(crate) enum Caseless {
    /// Nothing to fold.
    Exact(Box<memmem::Finder<'static>>),
    /// The phrase lowercased and the positions of its two rarest bytes.
    Folded {
        phrase: Vec<u8>,
        rare: (usize, usize),
        #[cfg(not(target_arch = "x86_64"))]
        fallback: AhoCorasick,
    },
}

impl Caseless {
    /// `None` for an empty phrase.
    pub(crate) fn new(phrase: &str) -> Option<Caseless> {
        let phrase = phrase.as_bytes().to_ascii_lowercase();
        if phrase.is_empty() {
            return None;
        }
        if !phrase.iter().any(u8::is_ascii_alphabetic) {
            return Some(Caseless::Exact(Box::new(
                memmem::Finder::new(&phrase).into_owned(),
            )));
        }
        let rare = Pair::new(&phrase).map_or((0, phrase.len() - 1), |pair| {
            (usize::from(pair.index1()), usize::from(pair.index2()))
        });
        Some(Caseless::Folded {
            #[cfg(not(target_arch = "x86_64"))]
            fallback: AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build([&phrase])
                .ok()?,
            phrase,
            rare,
        })
    }

    /// Calls `found(start, end)` for each match in `text`, left to right, not overlapping.
    pub(crate) fn each(&self, text: &[u8], mut found: impl FnMut(usize, usize)) {
        match self {
            Caseless::Exact(finder) => {
                for start in finder.find_iter(text) {
                    found(start, start + finder.needle().len());
                }
            }
            #[cfg(target_arch = "x86_64")]
            Caseless::Folded { phrase, rare } => folded(text, phrase, *rare, &mut found),
            #[cfg(not(target_arch = "x86_64"))]
            Caseless::Folded { fallback, .. } => {
                for m in fallback.find_iter(text) {
                    found(m.start(), m.end());
                }
            }
        }
    }
}

/// Whether `text` holds `phrase` (lowercase) at `at`, ignoring ASCII case.
fn holds(text: &[u8], at: usize, phrase: &[u8]) -> bool {
    text.get(at..at + phrase.len())
        .is_some_and(|t| t.eq_ignore_ascii_case(phrase))
}

/// The byte `b` ORs with so that both its cases compare equal to its lowercase.
fn fold(b: u8) -> u8 {
    if b.is_ascii_alphabetic() {
        0x20
    } else {
        0
    }
}

#[cfg(target_arch = "x86_64")]
fn folded(text: &[u8], phrase: &[u8], rare: (usize, usize), found: &mut impl FnMut(usize, usize)) {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    let (i1, i2) = rare;
    let (b1, b2) = (phrase[i1], phrase[i2]);
    let len = phrase.len();
    let mut next = 0;
    let mut pos = 0;
    let mut report = |at: usize, next: &mut usize| {
        if at >= *next && holds(text, at, phrase) {
            found(at, at + len);
            *next = at + len;
        }
    };
    // SAFETY: SSE2 is part of x86-64. Every load reads 16 bytes from `pos + i1` or
    // `pos + i2`, both below `len`, and the loop runs while `pos + len + 16 <= text.len()`,
    // so each load lies inside `text`.
    unsafe {
        let (want1, fold1) = (_mm_set1_epi8(b1 as i8), _mm_set1_epi8(fold(b1) as i8));
        let (want2, fold2) = (_mm_set1_epi8(b2 as i8), _mm_set1_epi8(fold(b2) as i8));
        while pos + len + 16 <= text.len() {
            let x = _mm_loadu_si128(text.as_ptr().add(pos + i1).cast::<__m128i>());
            let y = _mm_loadu_si128(text.as_ptr().add(pos + i2).cast::<__m128i>());
            let both = _mm_and_si128(
                _mm_cmpeq_epi8(_mm_or_si128(x, fold1), want1),
                _mm_cmpeq_epi8(_mm_or_si128(y, fold2), want2),
            );
            let mut mask = _mm_movemask_epi8(both) as u32;
            while mask != 0 {
                report(pos + mask.trailing_zeros() as usize, &mut next);
                mask &= mask - 1;
            }
            pos += 16;
        }
    }
    // The last positions, fewer than 16 + len bytes from the end, one by one.
    while pos + len <= text.len() {
        report(pos, &mut next);
        pos += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    fn matches(phrase: &str, text: &[u8]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        if let Some(c) = Caseless::new(phrase) {
            c.each(text, |s, e| out.push((s, e)));
        }
        out
    }

    /// aho-corasick's case-insensitive, non-overlapping search: the reference.
    fn reference(phrase: &str, text: &[u8]) -> Vec<(usize, usize)> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([phrase])
            .expect("builds");
        ac.find_iter(text).map(|m| (m.start(), m.end())).collect()
    }

    #[test]
    fn agrees_with_aho_corasick_everywhere_in_the_text() {
        let phrases = [
            "AdministratorAccess",
            "203.0.113.9",
            "a",
            "aa",
            "AKIA",
            "évil",
            "x\"y",
            "Z",
        ];
        // Matches at every offset near the start, the 16-byte seams and the end.
        for phrase in phrases {
            for len in [0, 1, 5, 15, 16, 17, 31, 32, 33, 40, 64, 100] {
                for at in 0..len {
                    let mut text = vec![b'.'; len];
                    let upper = phrase.to_ascii_uppercase();
                    let bytes = if at % 2 == 0 {
                        phrase.as_bytes()
                    } else {
                        upper.as_bytes()
                    };
                    if at + bytes.len() <= len {
                        text[at..at + bytes.len()].copy_from_slice(bytes);
                    }
                    assert_eq!(
                        matches(phrase, &text),
                        reference(phrase, &text),
                        "{phrase} {len} {at}"
                    );
                }
            }
        }
    }

    #[test]
    fn overlapping_and_repeated_matches_follow_the_reference() {
        let text = b"aaaaAAAAaaaaAAAAaaaaAAAAaaaaAAAAaaaaAAAAaaaa-AaAa-aAa";
        for phrase in ["aa", "aaa", "AAAAA", "a-a", "-AAA"] {
            assert_eq!(matches(phrase, text), reference(phrase, text), "{phrase}");
        }
        let log = br#"{"policyArn":"arn:aws:iam::aws:policy/AdministratorAccess","x":"administratoraccess"}"#;
        assert_eq!(matches("administratorACCESS", log), [(38, 57), (64, 83)]);
        assert!(matches("", log).is_empty());
    }
}
