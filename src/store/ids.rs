//! eventID and requestID: a string per row, almost all distinct and most of them UUIDs.
//! A lowercase UUID is kept as its 16 bytes, any other string as text beside it: 20 bytes
//! a row instead of 40, which is a tenth of the index's memory.

use std::fmt;
use std::ops::Deref;

use super::StrColumn;

/// The ids of every row.
#[derive(Debug, Clone, Default)]
pub struct IdColumn {
    /// Per row, the UUID's bytes; all zero when the row's id is in `text` (or absent).
    pub(crate) uuids: Vec<[u8; 16]>,
    /// Per row, an id that is not a lowercase UUID; empty for a UUID.
    pub(crate) text: StrColumn,
}

/// One row's id as text.
#[derive(Clone, Copy)]
pub enum Id<'a> {
    Uuid([u8; 36]),
    Text(&'a str),
}

/// One row's id to compare and hash without making its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKey<'a> {
    Uuid([u8; 16]),
    Text(&'a str),
}

const NIL: [u8; 16] = [0; 16];

/// The bytes of a lowercase `8-4-4-4-12` UUID; `None` for anything else, and for the nil
/// UUID (all zero bytes mean "not a UUID").
fn parse(text: &str) -> Option<[u8; 16]> {
    let b = text.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    // Where each byte's two hex digits start.
    const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
    // Each byte's value as a lowercase hex digit, 0x10 for any other byte: one lookup and
    // no branch per digit (random hex digits defeat a branch predictor).
    const DIGIT: [u8; 256] = {
        let mut table = [0x10u8; 256];
        let mut i = 0;
        while i < 16 {
            table[b"0123456789abcdef"[i] as usize] = i as u8;
            i += 1;
        }
        table
    };
    let mut out = [0u8; 16];
    let mut bad = 0;
    for (byte, at) in out.iter_mut().zip(AT) {
        let (high, low) = (DIGIT[usize::from(b[at])], DIGIT[usize::from(b[at + 1])]);
        bad |= high | low;
        *byte = high << 4 | low;
    }
    if bad & 0x10 != 0 {
        return None;
    }
    (out != NIL).then_some(out)
}

fn format(uuid: &[u8; 16]) -> [u8; 36] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [b'-'; 36];
    let mut at = 0;
    for (i, byte) in uuid.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1;
        }
        out[at] = HEX[usize::from(byte >> 4)];
        out[at + 1] = HEX[usize::from(byte & 15)];
        at += 2;
    }
    out
}

impl IdColumn {
    pub(crate) fn push(&mut self, value: &str) {
        match parse(value) {
            Some(uuid) => {
                self.uuids.push(uuid);
                self.text.push("");
            }
            None => {
                self.uuids.push(NIL);
                self.text.push(value);
            }
        }
    }

    pub fn get(&self, row: usize) -> Id<'_> {
        match self.uuids.get(row) {
            Some(uuid) if *uuid != NIL => Id::Uuid(format(uuid)),
            _ => Id::Text(self.text.get(row)),
        }
    }

    pub fn key(&self, row: usize) -> IdKey<'_> {
        match self.uuids.get(row) {
            Some(uuid) if *uuid != NIL => IdKey::Uuid(*uuid),
            _ => IdKey::Text(self.text.get(row)),
        }
    }

    pub fn len(&self) -> usize {
        self.uuids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.uuids.is_empty()
    }

    pub(crate) fn permuted(self, order: &[u32]) -> IdColumn {
        let uuids = order.iter().map(|&r| self.uuids[r as usize]).collect();
        drop(self.uuids);
        IdColumn {
            uuids,
            text: self.text.permuted(order),
        }
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.uuids.truncate(len);
        self.text.truncate(len);
    }

    pub(crate) fn append(&mut self, other: IdColumn) {
        self.uuids.extend(other.uuids);
        self.text.append(other.text);
    }
}

impl Deref for Id<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            // Hex digits and dashes: always text.
            Id::Uuid(bytes) => std::str::from_utf8(bytes).unwrap_or(""),
            Id::Text(text) => text,
        }
    }
}

impl PartialEq for Id<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl PartialEq<str> for Id<'_> {
    fn eq(&self, other: &str) -> bool {
        &**self == other
    }
}

impl PartialEq<&str> for Id<'_> {
    fn eq(&self, other: &&str) -> bool {
        &**self == *other
    }
}

impl PartialEq<String> for Id<'_> {
    fn eq(&self, other: &String) -> bool {
        **self == **other
    }
}

impl fmt::Display for Id<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for Id<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_reads_back_as_it_was_given() {
        let ids = [
            "3038ebd2-c98a-4c65-9b6e-e22506292313",
            "3038EBD2-C98A-4C65-9B6E-E22506292313",
            "00000000-0000-0000-0000-000000000000",
            "00000000-0000-0000-0000-000000000001",
            "C3D13FE58DE4C810",
            "3038ebd2-c98a-4c65-9b6e-e2250629231",
            "3038ebd2-c98a-4c65-9b6e-e225062923130",
            "3038ebd2xc98a-4c65-9b6e-e22506292313",
            "3038ebd2-c98a-4c65-9b6e-e2250629231g",
            "",
            "ü8ebd2-c98a-4c65-9b6e-e225062923135",
        ];
        let mut column = IdColumn::default();
        for id in ids {
            column.push(id);
        }
        let back: Vec<String> = (0..ids.len()).map(|r| column.get(r).to_string()).collect();
        assert_eq!(back, ids);
        // Only the lowercase, non-nil UUIDs are kept as bytes.
        let packed: Vec<bool> = column.uuids.iter().map(|u| *u != NIL).collect();
        assert_eq!(
            packed,
            [true, false, false, true, false, false, false, false, false, false, false]
        );
        assert_eq!(column.key(0), IdKey::Uuid(parse(ids[0]).expect("uuid")));
        assert_eq!(column.key(4), IdKey::Text("C3D13FE58DE4C810"));
        let reordered = column.permuted(&[4, 0]);
        assert_eq!(&*reordered.get(0), "C3D13FE58DE4C810");
        assert_eq!(&*reordered.get(1), ids[0]);
    }
}
