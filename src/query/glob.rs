//! Whole-value, ASCII-case-insensitive matching with `*` wildcards (`\*` for a star).

/// A compiled `field:value` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    /// The pattern split at `*`, lowercased.
    parts: Vec<String>,
}

impl Glob {
    /// `*` matches any run of characters; `\*` is a literal star and `\\` a literal
    /// backslash (so any value can be written as a pattern that matches only itself).
    pub fn new(pattern: &str) -> Glob {
        let mut parts = vec![String::new()];
        let mut chars = pattern.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '*' => parts.push(String::new()),
                '\\' if matches!(chars.peek(), Some('*' | '\\')) => {
                    if let (Some(last), Some(next)) = (parts.last_mut(), chars.next()) {
                        last.push(next);
                    }
                }
                c => {
                    if let Some(last) = parts.last_mut() {
                        last.push(c.to_ascii_lowercase());
                    }
                }
            }
        }
        Glob { parts }
    }

    /// The pattern's text (lowercased) when it has no wildcard.
    pub fn literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// The pattern's literal pieces between wildcards (lowercased): `a*b` is `["a", "b"]`.
    pub fn parts(&self) -> &[String] {
        &self.parts
    }

    /// `value` written as a pattern that matches only itself.
    pub fn escape(value: &str) -> String {
        value.replace('\\', "\\\\").replace('*', "\\*")
    }

    pub fn matches(&self, value: &str) -> bool {
        let value = value.as_bytes();
        let parts = &self.parts;
        if parts.len() == 1 {
            return value.eq_ignore_ascii_case(parts[0].as_bytes());
        }
        let first = parts[0].as_bytes();
        let last = parts[parts.len() - 1].as_bytes();
        if value.len() < first.len() + last.len()
            || !value[..first.len()].eq_ignore_ascii_case(first)
            || !value[value.len() - last.len()..].eq_ignore_ascii_case(last)
        {
            return false;
        }
        let mut rest = &value[first.len()..value.len() - last.len()];
        for part in &parts[1..parts.len() - 1] {
            let part = part.as_bytes();
            if part.is_empty() {
                continue;
            }
            match find_ignore_case(rest, part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
        true
    }
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn whole_value_case_insensitive_with_wildcards() {
        assert!(Glob::new("createaccesskey").matches("CreateAccessKey"));
        assert!(!Glob::new("create").matches("CreateAccessKey"));
        assert!(Glob::new("create*").matches("CreateAccessKey"));
        assert!(Glob::new("*key").matches("CreateAccessKey"));
        assert!(Glob::new("*access*").matches("CreateAccessKey"));
        assert!(Glob::new("c*a*k*y").matches("CreateAccessKey"));
        assert!(!Glob::new("c*z*y").matches("CreateAccessKey"));
        assert!(Glob::new("*").matches("x"));
        assert!(Glob::new("aws-cli/2*").matches("aws-cli/2.15.0 Python/3.11"));
        assert!(!Glob::new("ab*ba").matches("aba"));
    }
}
