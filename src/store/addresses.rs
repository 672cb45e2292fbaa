//! The index's address columns: each distinct `sourceIPAddress` looked up once in the
//! user's files ([`crate::places`]) when a field first needs them, the answers spread over
//! the rows by address id, and the principals' impossible travel.

use std::sync::{Arc, OnceLock};

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
const COLUMNS: [(Col, Read); 6] = [
    (Col::IpType, |p| Some(p.kind)),
    (Col::AwsRange, |p| p.aws.as_deref()),
    (Col::Asn, |p| p.asn.as_deref()),
    (Col::Org, |p| p.org.as_deref()),
    (Col::Country, |p| p.country.as_deref()),
    (Col::City, |p| p.city.as_deref()),
];

/// Kinds of address whose place says nothing of where a person is.
const NOT_A_PLACE: [&str; 4] = ["aws-service", "aws", "private", "reserved"];

impl Store {
    /// The lookup files the address columns are filled from, when first asked for
    /// (replacing what a saved index held): a load does not wait for them, and a command
    /// that reads none of these fields never looks an address up.
    pub fn enrich(&mut self, places: &Arc<Places>) {
        self.places = Arc::clone(places);
        self.addresses = OnceLock::new();
        self.travel = OnceLock::new();
    }

    /// Looks the addresses up now (the explorer does, on its loader thread, once the index
    /// is shown).
    pub fn look_up_addresses(&self) {
        self.addresses();
    }

    /// The address columns: each distinct address looked up once, on all cores, and the
    /// answers spread over the rows.
    pub(crate) fn addresses(&self) -> &Addresses {
        self.addresses.get_or_init(|| {
            let addresses: Vec<&str> = self.cols.strings[Col::Ip as usize]
                .values()
                .map(|(_, a)| a)
                .collect();
            let found = self.places.places(&addresses);
            let located = match self.places.locates() {
                true => found
                    .iter()
                    .map(|p| p.at.filter(|_| !NOT_A_PLACE.contains(&p.kind)))
                    .collect(),
                false => Vec::new(),
            };
            Addresses {
                columns: columns(self, &found),
                located,
            }
        })
    }

    /// The impossible trips, by row, and the `travel` column they make (found the first
    /// time they are asked for; nothing without a database that locates addresses).
    pub(crate) fn travel(&self) -> &Travel {
        self.travel.get_or_init(|| {
            let trips = trips(self, &self.addresses().located);
            let mut strings = Interner::default();
            let impossible = strings.intern("impossible");
            let mut ids = vec![0; self.len()];
            for trip in &trips {
                ids[trip.row as usize] = impossible;
            }
            Travel {
                trips,
                strings,
                ids,
            }
        })
    }

    /// The impossible trip that ends at `row`, if any.
    pub fn trip(&self, row: usize) -> Option<Trip> {
        let trips = &self.travel().trips;
        let at = trips.binary_search_by_key(&(row as u32), |t| t.row).ok()?;
        trips.get(at).copied()
    }
}

/// The address columns, filled: per column its strings and a row's id; and per address id
/// where it is, when a database says and it is a person's place.
#[derive(Debug, Default)]
pub(crate) struct Addresses {
    columns: Vec<(Col, Interner, Vec<u32>)>,
    located: Vec<Option<(f64, f64)>>,
}

impl Addresses {
    /// The strings and ids of an address column.
    pub(crate) fn column(&self, col: Col) -> Option<(&Interner, &[u32])> {
        self.columns
            .iter()
            .find(|(c, _, _)| *c == col)
            .map(|(_, strings, ids)| (strings, ids.as_slice()))
    }
}

/// Impossible travel: the trips in row order, and the `travel` column they make.
#[derive(Debug, Default)]
pub(crate) struct Travel {
    trips: Vec<Trip>,
    pub(crate) strings: Interner,
    pub(crate) ids: Vec<u32>,
}

/// The address columns: per column its strings and a row's id, in one pass over
/// the rows.
fn columns(store: &Store, found: &[Place]) -> Vec<(Col, Interner, Vec<u32>)> {
    let len = store.len();
    let mut tables = Vec::with_capacity(COLUMNS.len());
    let mut filled = Vec::with_capacity(COLUMNS.len());
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
        // A column no address has a value in stays zeroed memory never touched (see
        // `Columns::fill_absent`): without lookup files it costs nothing.
        if table.iter().any(|&id| id != 0) {
            tables.push((filled.len(), table));
        }
        filled.push((col, strings, vec![0u32; len]));
    }
    for (row, &address) in store.ids(Col::Ip).iter().enumerate() {
        for (at, table) in &tables {
            if let (Some(&id), Some(slot)) =
                (table.get(address as usize), filled[*at].2.get_mut(row))
            {
                *slot = id;
            }
        }
    }
    filled
}

/// Per principal (an identity: [`Principals`]), in time order: a call from a place more
/// than [`places::TRAVEL_MIN_KM`] from the previous call's, faster than
/// [`places::TRAVEL_KMH`] would allow. Addresses of AWS and private ones are not places.
fn trips(store: &Store, located: &[Option<(f64, f64)>]) -> Vec<Trip> {
    if located.is_empty() {
        return Vec::new();
    }
    let principals = Principals::of(store);
    let ip = store.ids(Col::Ip);
    // Per identity (principal id, account number): the time, place and row of its last
    // located call. A principal is nearly always in one account: its slot holds that one,
    // the map any other.
    type Last = (i64, (f64, f64), u32);
    let mut slots: Vec<Option<(u64, Last)>> = vec![None; store.strings(Col::Principal).len()];
    let mut others: rustc_hash::FxHashMap<(u32, u64), Last> = rustc_hash::FxHashMap::default();
    let mut trips = Vec::new();
    for (row, &address) in ip.iter().enumerate() {
        let Some(Some(at)) = located.get(address as usize) else {
            continue;
        };
        let (principal, Some(time)) = (principals.principal(row), store.time(row)) else {
            continue;
        };
        if principal == 0 {
            continue;
        }
        let account = principals.account(row);
        let now = (time, *at, row as u32);
        let before = match slots.get_mut(principal as usize) {
            Some(slot @ None) => {
                *slot = Some((account, now));
                None
            }
            Some(Some((mine, last))) if *mine == account => Some(std::mem::replace(last, now)),
            _ => others.insert((principal, account), now),
        };
        let Some(before) = before else {
            continue;
        };
        let (then, there, from) = before;
        let km = places::distance_km(there, *at);
        // Times are milliseconds; at the same moment, any distance is too fast.
        let hours = (time - then) as f64 / 3_600_000.0;
        if km > places::TRAVEL_MIN_KM && km > places::TRAVEL_KMH * hours {
            trips.push(Trip {
                row: row as u32,
                from,
                km,
            });
        }
    }
    trips
}
