//! Jumps: along a credential chain (`o` to the issuing event, `P` to everything its root
//! did) and back and forth through the places the explorer has been (Ctrl-O / Ctrl-I).

use super::app::{App, Request};
use super::jumps::Place;
use super::timeline::Follow;
use crate::query::term_text;
use crate::store::Col;
use crate::text::sanitize;

impl App {
    /// The filter applied and the event selected.
    pub(super) fn here(&self) -> Place {
        Place {
            filter: self.filter.applied.clone(),
            row: self.selected_row(),
        }
    }

    /// Remembers where the explorer is, before a jump.
    pub(super) fn remember(&mut self) {
        let here = self.here();
        self.jumps.push(here);
    }

    /// `P`: the filter becomes `origin:ROOT`, the principal the selected event's chain
    /// began with (its ARN, or its key, when another account's principal has the same
    /// name); `]` / `[` then step through everyone in the chain.
    pub(super) fn filter_origin(&mut self) -> Option<Request> {
        let row = self.selected_row()? as usize;
        let root = self.store.provenance().root(&self.store, row) as usize;
        let by = if self.store.principal_name_is_shared(root) {
            [Col::Arn, Col::AccessKey, Col::Principal]
        } else {
            [Col::Principal, Col::AccessKey, Col::Arn]
        };
        let origin = by
            .iter()
            .map(|&c| self.store.get(c, root))
            .find(|v| !v.is_empty())
            .map(str::to_string);
        let Some(origin) = origin else {
            self.message = Some("this event has no principal or key to follow".into());
            return None;
        };
        self.follow = Follow::Origin;
        self.replace_filter(term_text("origin", &origin))
    }

    /// `o`: selects the event that issued the selected event's key (clearing the filter
    /// when it hides that event; Ctrl-O comes back).
    pub(super) fn go_to_issuer(&mut self) -> Option<Request> {
        let row = self.selected_row()? as usize;
        let Some(issuer) = self.store.provenance().issuer_of(&self.store, row) else {
            let key = self.store.get(Col::AccessKey, row);
            self.message = Some(if key.starts_with("ASIA") {
                format!("{} was issued outside these logs", sanitize(key))
            } else if key.is_empty() {
                "this event names no access key".into()
            } else {
                format!("{} is a long-term key: no event issued it", sanitize(key))
            });
            return None;
        };
        let what = format!(
            "{} by {}",
            sanitize(self.store.get(Col::Name, issuer as usize)),
            sanitize(self.store.get(Col::Principal, issuer as usize))
        );
        self.remember();
        if let Some(index) = self.timeline.index_of(issuer) {
            self.timeline.jump(index);
            self.message = Some(format!("the issuing event: {what} (Ctrl-O goes back)"));
            return None;
        }
        self.message = Some(format!(
            "the issuing event: {what}, outside the filter: showing every event (Ctrl-O goes back)"
        ));
        self.go_to(Place {
            filter: String::new(),
            row: Some(issuer),
        })
    }

    /// Ctrl-O: back to the place before the last jump.
    pub(super) fn jump_back(&mut self) -> Option<Request> {
        let here = self.here();
        match self.jumps.back(here) {
            Some(place) => self.go_to(place),
            None => {
                self.message = Some("no earlier place (Ctrl-O)".into());
                None
            }
        }
    }

    /// Ctrl-I: forward again after Ctrl-O.
    pub(super) fn jump_forward(&mut self) -> Option<Request> {
        match self.jumps.forward() {
            Some(place) => self.go_to(place),
            None => {
                self.message = Some("no later place (Ctrl-I)".into());
                None
            }
        }
    }

    /// Shows `place`: its filter (when it differs) and its event.
    fn go_to(&mut self, place: Place) -> Option<Request> {
        if place.filter != self.filter.applied {
            self.pending_select = place.row;
            self.filter.set_input(place.filter.clone());
            return self.set_filter(place.filter);
        }
        if let Some(index) = place.row.and_then(|row| self.timeline.index_of(row)) {
            self.timeline.jump(index);
        }
        None
    }

    /// A click: on a timeline row, selects it; on a histogram bucket, selects the first
    /// event of the result in it (or after it, when it is empty).
    pub(super) fn click(&mut self, column: u16, row: u16) {
        if let Some(index) = self.geometry.row_at(row, self.timeline.offset) {
            if index < self.timeline.rows.len() {
                self.focus = super::app::Focus::Timeline;
                self.timeline.select(index);
            }
            return;
        }
        let Some(bucket) = self.geometry.bucket_at(column, row) else {
            return;
        };
        let Some((_, _, hist)) = &self.timeline.histogram else {
            return;
        };
        let from = hist.start + hist.bucket_ms * bucket as i64;
        let to = from + hist.bucket_ms;
        let rows = std::sync::Arc::clone(&self.timeline.rows);
        let time = |r: &u32| self.store.time(*r as usize).unwrap_or(i64::MIN);
        let index = rows.partition_point(|r| time(r) < from);
        let Some(first) = rows.get(index) else {
            return;
        };
        self.message = Some(format!(
            "{} {} (Ctrl-O goes back)",
            if time(first) < to {
                "the bucket's first event:"
            } else {
                "no event in that bucket; the next:"
            },
            crate::event::display_time(time(first))
        ));
        self.remember();
        self.timeline.jump(index);
    }
}
