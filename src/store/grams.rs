//! A per-input summary for the full-text search: which six-byte sequences the input's text
//! holds at every second byte, ASCII case folded, as a Bloom filter of one hash. A phrase of
//! seven bytes or more can be in an input only if its sequences at even offsets, or those at
//! odd offsets, are all in the summary; so a search for a rare phrase (an address, a key id)
//! reads only the inputs that may hold it. The summary never says no to text that is there;
//! it says yes to some text that is not: on the 1M set, a random address is read in 0.3–2 %
//! of the files, an eventID in one (BENCHMARKS.md). The summaries are made as the saved index
//! is written, from each file read again, and kept in it.

use super::Store;
use crate::parallel::parallel;

/// The summary is made with one bit per byte of text (at most 2^[`MAX_LOG`] bits), then
/// halved while at most 30 % of its bits would be set: its size follows how many different
/// sequences the text holds, not its length. (At 42 %, half the size, a random address of
/// the 1M set was read in 22 % of the files.)
const MAX_LOG: u32 = 24;

/// The six-byte sequences of one input's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grams {
    bits: Box<[u64]>,
}

/// The summary holds the sequence at every `STRIDE`th position of the text: a phrase's
/// occurrence has one of its `STRIDE` sets of sequences there (those at offsets of one
/// remainder), whichever the position it starts at.
const STRIDE: usize = 2;

/// A phrase made ready to test summaries with: its sequences, folded, by the remainder of
/// their offset.
#[derive(Debug, Clone)]
pub struct Needle {
    classes: [Vec<u64>; STRIDE],
}

impl Store {
    /// [`Store::scan_until`] over the inputs whose text may hold `needle` (all of them
    /// without a needle, or when the index has no summary of an input's text).
    pub fn scan_for<S: Send>(
        &self,
        needle: Option<&Needle>,
        make: impl Fn() -> S + Sync,
        each: impl Fn(&mut S, &[u8], &[u32]) + Sync,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Vec<S> {
        let may_hold = |blob: usize| {
            let grams = self.grams.get().and_then(|all| all.get(blob));
            match (needle, grams) {
                (Some(needle), Some(Some(grams))) => grams.may_hold(needle),
                _ => true,
            }
        };
        self.scan_where(&may_hold, make, each, stop)
    }

    /// Each input's summary for the phrase search: the one the index holds, else made
    /// from its text (`None` when the text cannot be read), for the inputs `blobs`, on
    /// all cores.
    pub(crate) fn summaries(&self, blobs: std::ops::Range<usize>) -> Vec<Option<Grams>> {
        let first = blobs.start;
        let made = parallel(blobs.len(), 0, Vec::new, |made, i| {
            let blob = first + i;
            let grams = match self.grams.get().and_then(|all| all.get(blob)) {
                Some(Some(grams)) => Some(grams.clone()),
                _ => self
                    .inflate_blob(blob as u32)
                    .ok()
                    .map(|text| Grams::of(&text)),
            };
            made.push((blob, grams));
        });
        let mut all: Vec<(usize, Option<Grams>)> = made.into_iter().flatten().collect();
        all.sort_unstable_by_key(|(blob, _)| *blob);
        all.into_iter().map(|(_, grams)| grams).collect()
    }
}

/// Eight bytes with their ASCII capitals made small (as `u8::to_ascii_lowercase` does
/// byte by byte).
fn fold8(w: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let heptets = w & LOW7;
    // The high bit of each byte: its low seven bits are above `Z`; at least `A`.
    let above_z = heptets.wrapping_add(0x2525_2525_2525_2525);
    let from_a = heptets.wrapping_add(0x3f3f_3f3f_3f3f_3f3f);
    let capital = !w & (from_a ^ above_z) & !LOW7;
    w | (capital >> 2)
}

/// The bytes of a sequence.
const LEN: usize = 6;
const MASK: u64 = u64::MAX >> (64 - 8 * LEN);

/// Where a sequence falls among `bits` bits (a power of two): the low bits of a hash whose
/// every bit depends on every byte (two multiply-xorshift rounds), so that halving the
/// summary ORs its halves. The saved index holds summaries made with it: a change here is a
/// change of its format (`saved::VERSION`), which a test pins.
fn bit(gram: u64, bits: usize) -> usize {
    let h = gram.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let h = (h ^ (h >> 32)).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    ((h ^ (h >> 32)) as usize) & (bits - 1)
}

impl Grams {
    /// The summary of `text`.
    pub fn of(text: &[u8]) -> Grams {
        let log = text.len().max(64).next_power_of_two().trailing_zeros();
        let size = 1usize << log.min(MAX_LOG);
        let mut bits = vec![0u64; size / 64];
        let mut set = |gram: u64| {
            let b = bit(gram, size);
            bits[b / 64] |= 1 << (b % 64);
        };
        // Eight bytes read and folded at a time: the sequences that start in their first
        // half, at every `STRIDE`th byte.
        let mut at = 0;
        while at + 8 <= text.len() {
            let mut word = [0u8; 8];
            word.copy_from_slice(&text[at..at + 8]);
            let w = fold8(u64::from_le_bytes(word));
            for shift in (0..4).step_by(STRIDE) {
                set((w >> (8 * shift)) & MASK);
            }
            at += 4;
        }
        while at + LEN <= text.len() {
            set(gram_at(text, at));
            at += STRIDE;
        }
        while bits.len() > 1 {
            let half = bits.len() / 2;
            let ones: u32 = (0..half)
                .map(|i| (bits[i] | bits[half + i]).count_ones())
                .sum();
            if ones as usize * 10 > half * 64 * 3 {
                break;
            }
            for i in 0..half {
                bits[i] |= bits[half + i];
            }
            bits.truncate(half);
        }
        Grams {
            bits: bits.into_boxed_slice(),
        }
    }

    /// A summary as saved; `None` when its size is not one [`Grams::of`] makes.
    pub fn from_words(words: Vec<u64>) -> Option<Grams> {
        words.len().is_power_of_two().then(|| Grams {
            bits: words.into_boxed_slice(),
        })
    }

    pub fn words(&self) -> &[u64] {
        &self.bits
    }

    /// Whether the text may hold the needle's phrase (`false`: it does not).
    pub fn may_hold(&self, needle: &Needle) -> bool {
        let size = self.bits.len() * 64;
        let held = |&gram: &u64| {
            let b = bit(gram, size);
            self.bits[b / 64] & (1 << (b % 64)) != 0
        };
        needle.classes.iter().any(|class| class.iter().all(held))
    }
}

/// The folded sequence at `at`, as [`Grams::of`] reads it.
fn gram_at(text: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    for (i, b) in bytes[..LEN].iter_mut().enumerate() {
        *b = text[at + i].to_ascii_lowercase();
    }
    u64::from_le_bytes(bytes)
}

impl Needle {
    /// `None` for a phrase too short to have a sequence at each remainder (under seven
    /// bytes: every input may hold it).
    pub fn new(phrase: &[u8]) -> Option<Needle> {
        let sequences = (phrase.len() + 1).saturating_sub(LEN);
        if sequences < STRIDE {
            return None;
        }
        let mut classes: [Vec<u64>; STRIDE] = Default::default();
        for at in 0..sequences {
            classes[at % STRIDE].push(gram_at(phrase, at));
        }
        Some(Needle { classes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_in_the_text_is_always_held_in_any_case() {
        let text = br#"{"sourceIPAddress":"203.0.113.7","accessKeyId":"AKIAIOSFODNN7EXAMPLE"}"#;
        let grams = Grams::of(text);
        for start in 0..text.len() {
            for end in start + 7..=text.len() {
                let needle = Needle::new(&text[start..end].to_ascii_uppercase()).expect("7 bytes");
                assert!(grams.may_hold(&needle), "{start}..{end}");
            }
        }
        assert!(Needle::new(b"abcdef").is_none());
    }

    /// The summary of a fixed text, as the saved index holds it: changing how summaries are
    /// made fails this test, and must change `saved::VERSION` with it.
    #[test]
    fn the_saved_form_is_pinned() {
        let text: Vec<u8> = (0..500u32)
            .flat_map(|i| {
                format!("{{\"sourceIPAddress\":\"198.51.100.{}\"}},", i % 256).into_bytes()
            })
            .collect();
        let grams = Grams::of(&text);
        let words = grams.words();
        let digest = words.iter().fold(0u64, |acc, w| {
            acc.rotate_left(5) ^ w.wrapping_mul(0x100_0000_01b3)
        });
        assert_eq!((words.len(), digest), (32, 7_035_504_450_935_780_490));
        assert_eq!(crate::store::saved::VERSION, 9);
    }

    #[test]
    fn eight_bytes_fold_as_each_byte_would() {
        for b in 0..=255u8 {
            let w = u64::from_le_bytes([b, b'Z', b'@', b'[', 0x80 | b'A', b, b'a', 0xff]);
            let want = u64::from_le_bytes(w.to_le_bytes().map(|x| x.to_ascii_lowercase()));
            assert_eq!(fold8(w), want, "{b}");
        }
    }

    #[test]
    fn a_phrase_foreign_to_a_large_text_is_told_apart() {
        let text: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("\"10.0.{}.{}\",", i % 256, i / 256).into_bytes())
            .collect();
        let grams = Grams::of(&text);
        let foreign = Needle::new(b"AKIAIOSFODNN7EXAMPLE").expect("needle");
        assert!(!grams.may_hold(&foreign));
        assert!(grams.may_hold(&Needle::new(b"10.0.255.77").expect("needle")));
    }
}
