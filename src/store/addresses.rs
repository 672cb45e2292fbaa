//! The index's address columns: each distinct `sourceIPAddress` looked up once in the
//! user's files ([`crate::places`]), the answers spread over the rows by address id, and
//! the principals' impossible travel.

use super::{Interner, Principals, Store};
use crate::places::{self, Place, Places};
use crate::schema::Col;

/// An impossible trip: the row marked, and the principal's call before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trip {
    pub row: u32,
    pub from: u32,
    pub km: f64,
}

/// What a column reads of a [`Place`].
type Read = fn(&Place) -> Option<&str>;

/// The address columns and what each reads of a [`Place`].
const COLUMNS: [(Col, Read); 5] = [
    (Col::IpType, |p| Some(p.kind)),
    (Col::Asn, |p| p.asn.as_deref()),
    (Col::Org, |p| p.org.as_deref()),
    (Col::Country, |p| p.country.as_deref()),
    (Col::City, |p| p.city.as_deref()),
];

/// Kinds of address whose place says nothing of where a person is.
const NOT_A_PLACE: [&str; 4] = ["aws-service", "aws", "private", "reserved"];

impl Store {
    /// Fills the address columns from `places` (replacing what a saved index held), and
    /// marks impossible travel when a database gives coordinates.
    pub fn enrich(&mut self, places: &Places) {
        let found: Vec<Place> = self
            .strings(Col::Ip)
            .values()
            .map(|(_, address)| places.place(address))
            .collect();
        let len = self.len();
        let ip = self.ids(Col::Ip);
        let of_row = |row: usize| ip.get(row).copied().unwrap_or(0) as usize;
        let mut filled = Vec::new();
        for (col, read) in COLUMNS {
            let mut strings = Interner::default();
            let table: Vec<u32> = found
                .iter()
                .map(|p| {
                    read(p)
                        .filter(|v| !v.is_empty())
                        .map_or(0, |v| strings.intern(v))
                })
                .collect();
            let ids: Vec<u32> = (0..len).map(|row| table[of_row(row)]).collect();
            filled.push((col, strings, ids));
        }
        let trips = if places.locates() {
            trips(self, &found)
        } else {
            Vec::new()
        };
        let mut travel = Interner::default();
        let impossible = travel.intern("impossible");
        let mut travel_ids = vec![0; len];
        for trip in &trips {
            travel_ids[trip.row as usize] = impossible;
        }
        filled.push((Col::Travel, travel, travel_ids));
        for (col, strings, ids) in filled {
            self.cols.strings[col as usize] = strings;
            self.cols.ids[col as usize] = ids;
        }
        self.trips = trips;
    }

    /// The impossible trip that ends at `row`, if any.
    pub fn trip(&self, row: usize) -> Option<Trip> {
        let at = self
            .trips
            .binary_search_by_key(&(row as u32), |t| t.row)
            .ok()?;
        self.trips.get(at).copied()
    }
}

/// Per principal (an identity: [`Principals`]), in time order: a call from a place more
/// than [`places::TRAVEL_MIN_KM`] from the previous call's, faster than
/// [`places::TRAVEL_KMH`] would allow. Addresses of AWS and private ones are not places.
fn trips(store: &Store, found: &[Place]) -> Vec<Trip> {
    let principals = Principals::of(store);
    let ip = store.ids(Col::Ip);
    // Per identity: the time, place and row of its last located call.
    type Last = (i64, (f64, f64), u32);
    let mut last: rustc_hash::FxHashMap<(u32, u64), Last> = rustc_hash::FxHashMap::default();
    let mut trips = Vec::new();
    for row in 0..store.len() {
        let principal = principals.principal(row);
        let (Some(time), Some(place)) = (
            store.time(row),
            ip.get(row).and_then(|&id| found.get(id as usize)),
        ) else {
            continue;
        };
        let Some(at) = place.at.filter(|_| !NOT_A_PLACE.contains(&place.kind)) else {
            continue;
        };
        if principal == 0 {
            continue;
        }
        let key = (principal, principals.account(row));
        if let Some(&(then, there, from)) = last.get(&key) {
            let km = places::distance_km(there, at);
            // Times are milliseconds; at the same second, any distance is too fast.
            let hours = (time - then) as f64 / 3_600_000.0;
            if km > places::TRAVEL_MIN_KM && km > places::TRAVEL_KMH * hours {
                trips.push(Trip {
                    row: row as u32,
                    from,
                    km,
                });
            }
        }
        last.insert(key, (time, at, row as u32));
    }
    trips
}
