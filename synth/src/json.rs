//! The JSON writer of the generator: a builder that keeps keys in the order they are given
//! (CloudTrail's order), serialized by serde_json.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// One value being built.
#[derive(Debug)]
enum Node {
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Str(String),
    /// JSON text written as it is (numbers, booleans, null, pre-built bodies).
    Raw(Box<RawValue>),
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            Node::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Str(text) => serializer.serialize_str(text),
            Node::Raw(raw) => raw.serialize(serializer),
        }
    }
}

/// Builds JSON documents member by member: `open` / `close` nest, `str` and `raw` add
/// members, `finish` writes every finished document, one after the other.
#[derive(Debug, Default)]
pub struct JsonOut {
    /// Open containers, innermost last, each with the key it will have in its parent.
    open: Vec<(Option<String>, Node)>,
    done: Vec<Node>,
}

impl JsonOut {
    pub fn new() -> JsonOut {
        JsonOut::default()
    }

    fn add(&mut self, key: Option<&str>, node: Node) {
        match self.open.last_mut() {
            Some((_, Node::Object(members))) => {
                members.push((key.unwrap_or_default().to_string(), node));
            }
            Some((_, Node::Array(items))) => items.push(node),
            Some(_) | None => self.done.push(node),
        }
    }

    fn push(&mut self, key: Option<&str>, node: Node) -> &mut JsonOut {
        self.open.push((key.map(str::to_string), node));
        self
    }

    fn pop(&mut self) -> &mut JsonOut {
        if let Some((key, node)) = self.open.pop() {
            self.add(key.as_deref(), node);
        }
        self
    }

    pub fn open(&mut self, key: &str) -> &mut JsonOut {
        self.push(Some(key), Node::Object(Vec::new()))
    }

    pub fn open_root(&mut self) -> &mut JsonOut {
        self.push(None, Node::Object(Vec::new()))
    }

    pub fn open_array(&mut self, key: &str) -> &mut JsonOut {
        self.push(Some(key), Node::Array(Vec::new()))
    }

    /// Opens an object as the next element of the open array.
    pub fn open_element(&mut self) -> &mut JsonOut {
        self.open_root()
    }

    pub fn close(&mut self) -> &mut JsonOut {
        self.pop()
    }

    pub fn close_array(&mut self) -> &mut JsonOut {
        self.pop()
    }

    pub fn str(&mut self, key: &str, value: &str) -> &mut JsonOut {
        self.add(Some(key), Node::Str(value.to_string()));
        self
    }

    pub fn str_element(&mut self, value: &str) -> &mut JsonOut {
        self.add(None, Node::Str(value.to_string()));
        self
    }

    /// A value written as is (numbers, booleans, null, a pre-built JSON body). Text that is
    /// not JSON is written as a string.
    pub fn raw(&mut self, key: &str, value: &str) -> &mut JsonOut {
        let node = match RawValue::from_string(value.to_string()) {
            Ok(raw) => Node::Raw(raw),
            Err(_) => Node::Str(value.to_string()),
        };
        self.add(Some(key), node);
        self
    }

    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.pop();
        }
        self.done
            .iter()
            .map(|node| serde_json::to_string(node).unwrap_or_default())
            .collect()
    }
}

/// `{"Records":[...]}` around events that are already JSON text.
pub fn records_document(records: &[String]) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        #[serde(rename = "Records")]
        records: Vec<&'a RawValue>,
    }
    let records = records
        .iter()
        .filter_map(|r| serde_json::from_str::<&RawValue>(r).ok())
        .collect();
    serde_json::to_string(&Document { records }).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_order_and_strings_are_escaped() {
        let mut j = JsonOut::new();
        j.open_root()
            .str("b", "x\"y\n")
            .raw("a", "1")
            .open("c")
            .open_array("list")
            .str_element("z")
            .open_element()
            .raw("n", "null")
            .close()
            .close_array()
            .close()
            .close();
        assert_eq!(
            j.finish(),
            r#"{"b":"x\"y\n","a":1,"c":{"list":["z",{"n":null}]}}"#
        );
        assert_eq!(
            records_document(&["{\"a\":1}".into(), "{\"b\":2}".into()]),
            r#"{"Records":[{"a":1},{"b":2}]}"#
        );
    }
}
