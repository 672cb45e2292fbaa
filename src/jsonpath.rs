//! The one JSON-path lookup of the product, used by filters, `stats --by`, pivots and
//! anything else that names a value inside an event by a dotted path.
//!
//! Rules:
//! - A key matches exactly, else the first key equal to it without ASCII case
//!   (`requestparameters.bucketname` finds `requestParameters.bucketName`).
//! - A list met on the way, or at the end, fans out: every element is followed.
//! - A string leaf is its text; a number or boolean its JSON text; an object its compact JSON
//!   text (keys sorted); `null` and a missing key are no value.

use serde_json::Value;

/// A parsed dotted path (`requestParameters.bucketName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    keys: Vec<String>,
}

impl JsonPath {
    /// A path of one or more non-empty keys separated by dots.
    pub fn parse(text: &str) -> Option<JsonPath> {
        let keys: Vec<String> = text.split('.').map(str::to_string).collect();
        keys.iter()
            .all(|k| !k.is_empty())
            .then_some(JsonPath { keys })
    }

    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Calls `each` with every value at the path in `event`, in document order.
    pub fn for_each(&self, event: &Value, each: &mut dyn FnMut(&str)) {
        visit(event, &self.keys, each);
    }

    /// Whether any value at the path satisfies `test`.
    pub fn any(&self, event: &Value, test: &dyn Fn(&str) -> bool) -> bool {
        let mut found = false;
        self.for_each(event, &mut |v| found = found || test(v));
        found
    }

    /// The distinct values at the path, in document order.
    pub fn values(&self, event: &Value) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        self.for_each(event, &mut |v| {
            if !out.iter().any(|o| o == v) {
                out.push(v.to_string());
            }
        });
        out
    }
}

impl std::fmt::Display for JsonPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.keys.join("."))
    }
}

/// The member `key` of `map`: exact first, then without ASCII case.
pub fn member<'v>(map: &'v serde_json::Map<String, Value>, key: &str) -> Option<&'v Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

// The depth of the walk is bounded by the path's length plus the nesting of lists, and
// serde_json refuses documents nested deeper than 128, so the recursion is bounded.
fn visit(value: &Value, keys: &[String], each: &mut dyn FnMut(&str)) {
    match (value, keys.split_first()) {
        (Value::Array(items), _) => items.iter().for_each(|v| visit(v, keys, each)),
        (Value::Object(map), Some((key, rest))) => {
            if let Some(v) = member(map, key) {
                visit(v, rest, each);
            }
        }
        (_, Some(_)) | (Value::Null, None) => {}
        (Value::String(s), None) => each(s),
        (other, None) => each(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(json: &str, path: &str) -> Vec<String> {
        let event: Value = serde_json::from_str(json).expect("json");
        JsonPath::parse(path).expect("path").values(&event)
    }

    #[test]
    fn case_rule_fan_out_and_objects() {
        let event = r#"{"resources":[{"ARN":"arn:a"},{"ARN":"arn:b"},{"ARN":"arn:a"}],
            "requestParameters":{"bucketName":"logs","n":3,"ok":true,"z":null,
            "policy":{"b":1,"a":[2]}},"list":[["x"],"y"]}"#;
        assert_eq!(values(event, "resources.ARN"), ["arn:a", "arn:b"]);
        assert_eq!(values(event, "resources.arn"), ["arn:a", "arn:b"]);
        assert_eq!(values(event, "requestparameters.BUCKETNAME"), ["logs"]);
        assert_eq!(values(event, "requestParameters.n"), ["3"]);
        assert_eq!(values(event, "requestParameters.ok"), ["true"]);
        assert!(values(event, "requestParameters.z").is_empty());
        assert!(values(event, "requestParameters.missing").is_empty());
        assert_eq!(
            values(event, "requestParameters.policy"),
            [r#"{"a":[2],"b":1}"#]
        );
        assert_eq!(values(event, "list"), ["x", "y"]);
        assert!(values(event, "requestParameters.bucketName.x").is_empty());
    }

    #[test]
    fn exact_key_wins_over_other_case() {
        assert_eq!(values(r#"{"Key":"upper","key":"lower"}"#, "key"), ["lower"]);
        assert_eq!(values(r#"{"Key":"upper","key":"lower"}"#, "KEY"), ["upper"]);
    }

    #[test]
    fn empty_keys_are_not_paths() {
        assert!(JsonPath::parse("a..b").is_none());
        assert!(JsonPath::parse(".a").is_none());
        assert_eq!(
            JsonPath::parse("a.b").map(|p| p.to_string()),
            Some("a.b".into())
        );
    }
}
