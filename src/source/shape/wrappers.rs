//! The shapes around events: Records documents found as values, lookup-events output,
//! EventBridge envelopes, string-wrapped events, digests, and events whose field types
//! defeat the fast path.

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::position::strip_position;
use super::{json_kind, Reader, Shape, Span, MAX_WRAPPER_DEPTH};
use crate::error::Error;
use crate::event::{RawEvent, Text};

impl<'t> Reader<'t, '_> {
    /// Classifies a well-formed value that did not read as an event directly.
    pub(super) fn generic(&mut self, raw: &'t RawValue, pos: usize) {
        let text = raw.get();
        if !text.starts_with('{') {
            self.not_cloudtrail(pos, format!("{}, not an event object", json_kind(text)));
            return;
        }
        if self.depth >= MAX_WRAPPER_DEPTH {
            self.not_cloudtrail(
                pos,
                format!("wrappers nested deeper than {MAX_WRAPPER_DEPTH}: skipped"),
            );
            return;
        }
        self.depth += 1;
        self.envelope(text, pos);
        self.depth -= 1;
    }

    /// A well-formed object that is not an event itself: which wrapper it is, and its events.
    fn envelope(&mut self, text: &'t str, pos: usize) {
        let envelope: Envelope = match serde_json::from_str(text) {
            Ok(envelope) => envelope,
            Err(err) => {
                self.not_cloudtrail(pos, strip_position(&err.to_string()));
                return;
            }
        };
        if envelope.digest_start_time.is_some() && envelope.log_files.is_some() {
            self.outcome.saw(Shape::Digest);
            self.wrapper = Some(Shape::Digest);
            self.sink.digest();
        } else if let Some(records) = envelope.records {
            let at = self.offset_in_text(records);
            match records.get().as_bytes().first() {
                Some(b'[') => {
                    self.outcome.saw(Shape::Records);
                    self.wrapper = Some(Shape::Records);
                    if let Err(broken) = self.array(at) {
                        self.report_broken(&broken);
                    }
                }
                _ => self.not_cloudtrail(
                    at,
                    format!("`Records` is {}, not an array", json_kind(records.get())),
                ),
            }
        } else if let Some(events) = envelope.events {
            self.lookup_events(events);
        } else if let Some(event) = envelope.cloud_trail_event {
            // One entry of lookup-events output on its own (`jq -c '.Events[]'`).
            self.outcome.saw(Shape::LookupEvents);
            self.wrapper = Some(Shape::LookupEvents);
            self.cloud_trail_event(Some(event), pos);
        } else if let Some(detail) = envelope
            .detail
            .filter(|_| envelope.detail_type.as_str().is_some())
        {
            self.outcome.saw(Shape::EventBridge);
            self.wrapper = Some(Shape::EventBridge);
            let at = self.offset_in_text(detail);
            if detail.get().starts_with('{') {
                if let Err(broken) = self.element(at) {
                    self.report_broken(&broken);
                }
            } else {
                self.not_cloudtrail(at, "EventBridge `detail` is not an object");
            }
        } else if let Some(wrapped) = envelope.raw.or(envelope.message) {
            self.outcome.saw(Shape::Wrapped);
            self.wrapper = Some(Shape::Wrapped);
            self.escaped_event(wrapped);
        } else {
            self.slow_event(text, pos);
        }
    }

    /// An event whose fields have unexpected types: parsed into a `Value` first.
    fn slow_event(&mut self, text: &str, pos: usize) {
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(err) => {
                self.not_cloudtrail(pos, strip_position(&err.to_string()));
                return;
            }
        };
        let event = RawEvent::from_value(&value);
        if event.is_event() {
            self.emit(
                &event,
                Span {
                    offset: pos,
                    len: text.len(),
                    escaped: false,
                },
            );
        } else {
            self.not_cloudtrail(
                pos,
                "an object with none of eventVersion, eventName, eventID, Records, Events, detail",
            );
        }
    }

    fn lookup_events(&mut self, events: &'t RawValue) {
        self.outcome.saw(Shape::LookupEvents);
        self.wrapper = Some(Shape::LookupEvents);
        let at = self.offset_in_text(events);
        let list: Vec<&'t RawValue> = match serde_json::from_str(events.get()) {
            Ok(list) => list,
            Err(err) => {
                self.not_cloudtrail(
                    at,
                    format!("`Events`: {}", strip_position(&err.to_string())),
                );
                return;
            }
        };
        for item in list {
            // One odd entry costs only itself.
            let entry: LookupEvent = match serde_json::from_str(item.get()) {
                Ok(entry) => entry,
                Err(_) => {
                    let pos = self.offset_in_text(item);
                    self.not_cloudtrail(
                        pos,
                        format!("an entry of `Events` is {}", json_kind(item.get())),
                    );
                    continue;
                }
            };
            // `lookup-events --event-category insight` lists the Insights events
            // themselves, with no `CloudTrailEvent` around them.
            if entry.cloud_trail_event.is_none()
                && serde_json::from_str::<RawEvent>(item.get()).is_ok_and(|e| e.is_event())
            {
                let pos = self.offset_in_text(item);
                if let Err(broken) = self.element(pos) {
                    self.report_broken(&broken);
                }
                continue;
            }
            self.cloud_trail_event(entry.cloud_trail_event, at);
        }
    }

    /// The `CloudTrailEvent` of a lookup-events entry: the event as a string, or as an
    /// object in some re-exports.
    fn cloud_trail_event(&mut self, event: Option<&'t RawValue>, at: usize) {
        match event {
            Some(raw) if raw.get().starts_with('"') => self.escaped_event(raw),
            Some(raw) if raw.get().starts_with('{') => {
                let pos = self.offset_in_text(raw);
                if let Err(broken) = self.element(pos) {
                    self.report_broken(&broken);
                }
            }
            _ => self.not_cloudtrail(at, "an entry of `Events` has no `CloudTrailEvent`"),
        }
    }

    /// An event held as a JSON string (`CloudTrailEvent`, `_raw`, `message`).
    fn escaped_event(&mut self, literal: &'t RawValue) {
        let pos = self.offset_in_text(literal);
        let inner: String = match serde_json::from_str(literal.get()) {
            Ok(inner) => inner,
            Err(_) => {
                self.not_cloudtrail(pos, "the wrapped event is not a string");
                return;
            }
        };
        let span = Span {
            offset: pos,
            len: literal.get().len(),
            escaped: true,
        };
        match serde_json::from_str::<RawEvent>(&inner) {
            Ok(event) if event.is_event() => self.emit(&event, span),
            Ok(_) => self.not_cloudtrail(pos, "the wrapped string is not a CloudTrail event"),
            Err(err) if err.is_data() => match serde_json::from_str::<serde_json::Value>(&inner) {
                Ok(value) if RawEvent::from_value(&value).is_event() => {
                    self.emit(&RawEvent::from_value(&value), span)
                }
                _ => self.not_cloudtrail(pos, "the wrapped string is not a CloudTrail event"),
            },
            Err(err) => self.sink.problem(Error::Json {
                path: self.name.to_string(),
                at: self.lines.position(self.text, pos),
                message: format!(
                    "in the wrapped event at its line {} column {}: {}",
                    err.line(),
                    err.column(),
                    strip_position(&err.to_string())
                ),
            }),
        }
    }
}

/// The keys that tell the non-event shapes apart.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Records", default, borrow, deserialize_with = "present")]
    records: Option<&'a RawValue>,
    #[serde(rename = "Events", default, borrow, deserialize_with = "present")]
    events: Option<&'a RawValue>,
    #[serde(rename = "CloudTrailEvent", default, borrow)]
    cloud_trail_event: Option<&'a RawValue>,
    #[serde(rename = "detail-type", default, borrow)]
    detail_type: Text<'a>,
    #[serde(default, borrow)]
    detail: Option<&'a RawValue>,
    #[serde(rename = "digestStartTime", default)]
    digest_start_time: Option<IgnoredAny>,
    #[serde(rename = "logFiles", default)]
    log_files: Option<IgnoredAny>,
    #[serde(rename = "_raw", default, borrow)]
    raw: Option<&'a RawValue>,
    #[serde(default, borrow)]
    message: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct LookupEvent<'a> {
    #[serde(rename = "CloudTrailEvent", default, borrow)]
    cloud_trail_event: Option<&'a RawValue>,
}

/// Keeps a present `null` as `Some("null")`, so `{"Records":null}` can be named.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}
