//! Where text enters the SQL: string literals (quotes doubled), LIKE patterns (with their
//! escape character), quoted JSON paths, and table names cut to a safe alphabet. Nothing
//! from a filter reaches a statement any other way.

/// `$."a"."b"`: a JSON path whose keys are quoted (any key is safe).
pub(super) fn json_path(path: &str) -> String {
    let mut out = String::from("$");
    for key in path.split('.') {
        out.push_str(&format!(
            ".\"{}\"",
            key.replace('\\', "\\\\").replace('"', "\\\"")
        ));
    }
    out
}

/// The escape character of every LIKE pattern (`ESCAPE '!'`): one no engine's string
/// literals treat specially (a backslash is one in Spark's).
pub(super) const LIKE_ESCAPE: char = '!';

/// A LIKE pattern for glob parts: `%` between them; `%`, `_` and the escape character
/// itself escaped with [`LIKE_ESCAPE`], as the `ESCAPE '!'` the patterns declare says.
pub(super) fn like_pattern(parts: &[String]) -> String {
    let escape = |c: char| format!("{LIKE_ESCAPE}{c}");
    parts
        .iter()
        .map(|p| {
            p.replace(LIKE_ESCAPE, &escape(LIKE_ESCAPE))
                .replace('%', &escape('%'))
                .replace('_', &escape('_'))
        })
        .collect::<Vec<_>>()
        .join("%")
}

/// A SQL string literal: single quotes doubled; nothing else is special in standard SQL.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A table name: letters, digits, `_`, `.`, `-` only (quoted when it has a `-`).
pub(super) fn identifier(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .collect();
    if clean.contains('-') {
        format!("\"{clean}\"")
    } else {
        clean
    }
}
