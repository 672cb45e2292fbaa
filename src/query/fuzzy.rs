//! The fuzzy matcher of bare words and `field~value`, on nucleo's scorer (the matcher of
//! the helix editor), with a ranking an investigator expects: an exact name first, then
//! names that start with the word, then matches on word starts and CamelCase initials
//! (`cak` → CreateAccessKey), then weaker subsequences; matches too scattered to mean
//! anything (`crtacc` in DescribeStackResources) are cut off.

use std::cell::RefCell;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

thread_local! {
    /// nucleo's matcher holds scratch space; one per thread, reused.
    static MATCHER: RefCell<Matcher> = RefCell::new(Matcher::new(Config::DEFAULT));
    /// The last word's compiled pattern: a term scores every distinct value with one word.
    static PATTERN: RefCell<Option<(String, Pattern)>> = const { RefCell::new(None) };
}

const EXACT: u32 = 3_000_000;
const PREFIX: u32 = 2_000_000;
const INITIALS: u32 = 1_000_000;

/// How well `value` matches the fuzzy `word`; `None` when it does not (or too weakly).
/// Higher is better.
pub fn score(word: &str, value: &str) -> Option<u32> {
    if word.is_empty() {
        return None;
    }
    if value.eq_ignore_ascii_case(word) {
        return Some(EXACT);
    }
    let nucleo = raw_score(word, value)?;
    let is_prefix = value
        .get(..word.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(word));
    if is_prefix {
        return Some(PREFIX + nucleo);
    }
    if initials(value).starts_with(&word.to_ascii_lowercase()) {
        return Some(INITIALS + nucleo);
    }
    (nucleo >= cutoff(word)).then_some(nucleo)
}

/// The CamelCase and word initials of a name, lower-cased: `CreateAccessKey` → `cak`,
/// `ListFunctions20150331` → `lf2`.
fn initials(value: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in value.chars() {
        let starts_word = match previous {
            None => c.is_alphanumeric(),
            Some(p) => {
                (c.is_uppercase() && !p.is_uppercase())
                    || (c.is_ascii_digit() && !p.is_ascii_digit())
                    || (c.is_alphanumeric() && !p.is_alphanumeric())
            }
        };
        if starts_word {
            out.extend(c.to_lowercase());
        }
        previous = Some(c);
    }
    out
}

/// nucleo's score of `value` for `word`, case-insensitive.
pub fn raw_score(word: &str, value: &str) -> Option<u32> {
    PATTERN.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.as_ref().is_none_or(|(w, _)| w != word) {
            let pattern = Pattern::new(
                word,
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
            );
            *cached = Some((word.to_string(), pattern));
        }
        let (_, pattern) = cached.as_ref()?;
        MATCHER.with(|matcher| {
            let mut buf = Vec::new();
            let haystack = Utf32Str::new(value, &mut buf);
            pattern.score(haystack, &mut matcher.borrow_mut())
        })
    })
}

/// The weakest score still shown for `word`: most of its letters must land on word starts
/// or run on from one another.
fn cutoff(word: &str) -> u32 {
    let n = word.chars().count() as u32;
    n * 16 + n * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_then_prefix_then_word_starts_and_weak_matches_cut() {
        assert_eq!(score("assumerole", "AssumeRole"), Some(EXACT));
        assert!(score("assumerole", "AssumeRoleWithSAML") < score("assumerole", "AssumeRole"));
        assert!(score("assumerole", "AssumeRoleWithSAML").is_some_and(|s| s > PREFIX));
        assert!(score("crtacc", "CreateAccessKey").is_some());
        assert!(score("crtacc", "CreateAccount").is_some());
        assert_eq!(score("crtacc", "DescribeStackResources"), None);
        assert!(score("cak", "CreateAccessKey").is_some());
        assert_eq!(score("cak", "DescribeStackResources"), None);
        assert_eq!(score("xyz", "CreateAccessKey"), None);
        assert_eq!(score("", "CreateAccessKey"), None);
        assert!(score("cak", "CreateAccessKey") > score("cak", "CreateKey"));
        assert_eq!(initials("CreateAccessKey"), "cak");
        assert_eq!(initials("ListFunctions20150331"), "lf2");
        assert_eq!(initials("s3:GetObject"), "s3go");
    }
}
