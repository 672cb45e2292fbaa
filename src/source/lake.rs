//! CloudTrail Lake query results as `aws cloudtrail get-query-results` writes them — a
//! JSON document whose `QueryResultRows` hold one list per event of one-key maps, every
//! value a string — read back as CloudTrail events. Structs, maps and arrays come as JSON
//! text (what `trailscope sql --dialect lake` asks for), timestamps as SQL text, booleans
//! as `"true"`; each row becomes the event it was made from, plus `trailscopeSource`. Pages
//! saved one after another in the same file are read in turn.

use serde_json::{Map, Value};

use super::athena::{convert, Flavor, SOURCE_KEY, TOP};

/// Whether `text` reads as saved Lake query results: a JSON object naming
/// `QueryResultRows` near its start.
pub fn looks_like_results(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(64 * 1024)];
    text.trim_start().starts_with('{')
        && memchr::memmem::find(head, b"\"QueryResultRows\"").is_some()
}

/// The rows as CloudTrail events, one JSON per line; `None` when the text does not read
/// as results (the reader then names the problem in the user's own text). A row that is
/// not a list of one-key maps stays its own line as it was, which the reader names: one bad
/// row costs that row. A page without rows (the status-only page the last call of a
/// paginated query returns) adds nothing.
pub fn to_cloudtrail(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for page in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        let Ok(Value::Object(mut page)) = page else {
            return None;
        };
        let Some(Value::Array(rows)) = page.remove("QueryResultRows") else {
            continue;
        };
        for row in rows {
            match fields_of(&row) {
                Some(fields) => {
                    let mut event = convert(fields, TOP, Flavor::Lake);
                    event.insert(
                        SOURCE_KEY.into(),
                        Value::String(
                            "CloudTrail Lake query results, names and types restored".into(),
                        ),
                    );
                    out.push_str(&Value::Object(event).to_string());
                }
                None => out.push_str(&row.to_string()),
            }
            out.push('\n');
        }
    }
    Some(out)
}

/// A row's columns as one map, when it is a list of maps.
fn fields_of(row: &Value) -> Option<Map<String, Value>> {
    let Value::Array(columns) = row else {
        return None;
    };
    let mut fields = Map::new();
    for column in columns {
        let Value::Object(column) = column else {
            return None;
        };
        fields.extend(column.clone());
    }
    Some(fields)
}
