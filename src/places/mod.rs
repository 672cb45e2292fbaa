//! Who owns an address and where it is, offline, from files the user already has: the kind
//! of address (private, an AWS service's, in AWS's published ranges, a Tor exit, public),
//! and from MaxMind databases its autonomous system, country and city. Each distinct
//! address is looked up once ([`Places::place`]); the index keeps the answers as columns.
//!
//! The files are found under `$XDG_DATA_HOME/trailscope/` (`geoip/*.mmdb`,
//! `ip-ranges.json`, `tor-exits.txt`) or given (`--geoip`, `--ip-ranges`, `--tor-exits`).
//! A missing file costs nothing; a broken one is a problem that names it, and is not used.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod geoip;
mod lists;

/// The kinds of address `iptype:` tells apart, in the order an address is tested.
pub const KINDS: [&str; 7] = [
    "aws-service",
    "private",
    "reserved",
    "tor",
    "aws",
    "public",
    "other",
];

/// Speed above which two consecutive calls of one principal are impossible travel, and the
/// distance below which places are too near to tell apart (a city's geolocation is rough).
pub const TRAVEL_KMH: f64 = 1000.0;
pub const TRAVEL_MIN_KM: f64 = 500.0;

/// What is known of one `sourceIPAddress`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Place {
    /// One of [`KINDS`]; empty for an empty address.
    pub kind: &'static str,
    /// From `ip-ranges.json`: the service and region AWS lists (`EC2 us-east-1`).
    pub aws: Option<String>,
    /// From an ASN database: `AS15169` and its organisation.
    pub asn: Option<String>,
    pub org: Option<String>,
    /// From a City or Country database: the ISO country code and the city's English name.
    pub country: Option<String>,
    pub city: Option<String>,
    /// Latitude and longitude (City databases).
    pub at: Option<(f64, f64)>,
}

/// The files given on the command line; `None` looks in the default place.
#[derive(Debug, Default, Clone)]
pub struct Given {
    pub geoip: Option<PathBuf>,
    pub ip_ranges: Option<PathBuf>,
    pub tor_exits: Option<PathBuf>,
}

/// The lookup files, read on a thread of their own from [`Places::open`] on (so reading
/// tens of megabytes of databases overlaps the load), and the problems met with them.
#[derive(Default)]
pub struct Places {
    read: std::sync::OnceLock<Read>,
    reading: Mutex<Option<Reading>>,
    /// `(path, what is wrong)`, each said once.
    problems: Mutex<Vec<(String, String)>>,
}

/// `(path, what is wrong)`.
type Problem = (String, String);

/// The thread reading the files.
type Reading = std::thread::JoinHandle<(Read, Vec<Problem>)>;

/// The files as read.
#[derive(Default)]
struct Read {
    databases: Vec<geoip::Database>,
    ranges: Option<(PathBuf, lists::AwsRanges)>,
    tor: Option<(PathBuf, lists::TorExits)>,
}

impl std::fmt::Debug for Places {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.sources()).finish()
    }
}

impl Read {
    /// Reads the GeoIP path, the ip-ranges file and the Tor list, each `(path, given)`.
    fn files(files: [Option<(PathBuf, bool)>; 3]) -> (Read, Vec<Problem>) {
        let [geoip, ranges, tor] = files;
        let mut read = Read::default();
        let mut problems = Vec::new();
        if let Some((path, explicit)) = geoip {
            match geoip::Database::open_all(&path, explicit) {
                Ok((databases, mut found)) => {
                    read.databases = databases;
                    problems.append(&mut found);
                }
                Err(problem) => problems.push(problem),
            }
        }
        if let Some((path, explicit)) = ranges {
            let (list, problem) = lists::read(&path, explicit, lists::AwsRanges::parse);
            read.ranges = list.map(|list| (path, list));
            problems.extend(problem);
        }
        if let Some((path, explicit)) = tor {
            let (list, problem) = lists::read(&path, explicit, lists::TorExits::parse);
            read.tor = list.map(|list| (path, list));
            problems.extend(problem);
        }
        (read, problems)
    }
}

/// `$XDG_DATA_HOME/trailscope/` (else `~/.local/share/trailscope/`).
pub fn default_dir() -> Option<PathBuf> {
    crate::files::user_dir("XDG_DATA_HOME", ".local/share")
}

impl Places {
    /// No lookup files: only what an address says of itself.
    pub fn none() -> Places {
        Places::default()
    }

    /// The files given, else those in [`default_dir`] (quietly absent there).
    pub fn open(given: &Given) -> Places {
        Places::open_in(given, default_dir().as_deref())
    }

    /// The files given, else those in `dir` (quietly absent there), else none.
    pub fn open_in(given: &Given, dir: Option<&Path>) -> Places {
        let pick = |given: &Option<PathBuf>, default: &str| match given {
            Some(path) => Some((path.clone(), true)),
            None => dir.as_ref().map(|d| (d.join(default), false)),
        };
        let files = [
            pick(&given.geoip, "geoip"),
            pick(&given.ip_ranges, "ip-ranges.json"),
            pick(&given.tor_exits, "tor-exits.txt"),
        ];
        let places = Places::default();
        if files.iter().any(Option::is_some) {
            let reading = std::thread::spawn(move || Read::files(files));
            if let Ok(mut slot) = places.reading.lock() {
                *slot = Some(reading);
            }
        }
        places
    }

    /// The files, once read (waiting for the reader if need be).
    fn read(&self) -> &Read {
        self.read.get_or_init(|| {
            let reading = self.reading.lock().ok().and_then(|mut r| r.take());
            let (read, problems) = match reading.map(std::thread::JoinHandle::join) {
                Some(Ok((read, problems))) => (read, problems),
                _ => Default::default(),
            };
            if let Ok(mut mine) = self.problems.lock() {
                mine.splice(0..0, problems);
            }
            read
        })
    }

    /// What was read, a line each (`check` lists them).
    pub fn sources(&self) -> Vec<String> {
        let read = self.read();
        let mut lines: Vec<String> = read.databases.iter().map(|d| d.describe()).collect();
        if let Some((path, ranges)) = &read.ranges {
            lines.push(format!(
                "{}: AWS ip-ranges, {}",
                path.display(),
                ranges.describe()
            ));
        }
        if let Some((path, tor)) = &read.tor {
            lines.push(format!("{}: Tor exits, {}", path.display(), tor.describe()));
        }
        lines
    }

    /// Whether a database gives places with coordinates (what impossible travel needs).
    pub fn locates(&self) -> bool {
        self.read().databases.iter().any(geoip::Database::locates)
    }

    /// Which fields the files can fill: `asn`, `country`, `city`.
    pub fn gives(&self, field: &str) -> bool {
        self.read().databases.iter().any(|d| d.gives(field))
    }

    /// The problems met so far, `(path, what is wrong)`.
    pub fn problems(&self) -> Vec<(String, String)> {
        self.read();
        self.problems.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// Checks every database through (slow on large files: `check` only).
    pub fn verify(&self) -> Vec<(String, String)> {
        self.read()
            .databases
            .iter()
            .filter_map(geoip::Database::verify)
            .collect()
    }

    /// What is known of each address, in order; the addresses split among the cores.
    pub fn places(&self, addresses: &[&str]) -> Vec<Place> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let share = addresses.len().div_ceil(threads).max(1024);
        std::thread::scope(|scope| {
            let parts: Vec<_> = addresses
                .chunks(share)
                .map(|part| scope.spawn(move || part.iter().map(|a| self.place(a)).collect()))
                .collect();
            parts
                .into_iter()
                .flat_map(|part| part.join().unwrap_or_else(|_| Vec::new()))
                .collect()
        })
    }

    /// What is known of `address` (a `sourceIPAddress` as logged).
    pub fn place(&self, address: &str) -> Place {
        let Some(ip) = parse(address) else {
            return Place {
                kind: if address.is_empty() {
                    ""
                } else if is_aws_service(address) {
                    "aws-service"
                } else {
                    "other"
                },
                ..Place::default()
            };
        };
        let read = self.read();
        let mut place = Place::default();
        let mut tor = read.tor.as_ref().is_some_and(|(_, t)| t.contains(ip));
        for database in &read.databases {
            if let Err(detail) = database.look_up(ip, &mut place, &mut tor) {
                self.problem(database.path(), detail);
            }
        }
        place.aws = read.ranges.as_ref().and_then(|(_, r)| r.find(ip));
        place.kind = match ip {
            _ if is_private(ip) => "private",
            _ if is_reserved(ip) => "reserved",
            _ if tor => "tor",
            _ if place.aws.is_some() => "aws",
            _ => "public",
        };
        place
    }

    fn problem(&self, path: &Path, detail: String) {
        let path = path.display().to_string();
        if let Ok(mut problems) = self.problems.lock() {
            if !problems.iter().any(|(p, _)| *p == path) {
                problems.push((path, detail));
            }
        }
    }
}

/// An address as logged: IPv4, IPv6 (an IPv4-mapped one as IPv4), never a host name.
pub fn parse(address: &str) -> Option<IpAddr> {
    match address.trim().parse::<IpAddr>().ok()? {
        IpAddr::V6(v6) => Some(v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4)),
        v4 => Some(v4),
    }
}

/// `ec2.amazonaws.com`, `AWS Internal`: a call an AWS service made.
fn is_aws_service(address: &str) -> bool {
    address.eq_ignore_ascii_case("AWS Internal")
        || address
            .to_ascii_lowercase()
            .strip_suffix(".amazonaws.com")
            .is_some_and(|s| !s.is_empty())
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], bits: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
    u32::from(ip) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn in_v6(ip: Ipv6Addr, net: u128, bits: u32) -> bool {
    let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
    u128::from(ip) & mask == net & mask
}

/// RFC 1918, loopback, link-local, shared (CGNAT), IPv6 unique-local and link-local (the
/// standard library's tests, and the shared range it does not stabilise yet).
fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || in_v4(v4, [100, 64, 0, 0], 10)
        }
        IpAddr::V6(v6) => v6.is_loopback() || v6.is_unique_local() || v6.is_unicast_link_local(),
    }
}

/// Addresses that route nowhere on the internet: documentation and benchmark ranges,
/// multicast, "this network", the reserved class E (what std does not stabilise is listed).
fn is_reserved(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_documentation()
                || v4.is_multicast()
                || v4.is_broadcast()
                || [
                    ([0, 0, 0, 0], 8),
                    ([198, 18, 0, 0], 15),
                    ([240, 0, 0, 0], 4),
                ]
                .iter()
                .any(|&(net, bits)| in_v4(v4, net, bits))
        }
        IpAddr::V6(v6) => {
            v6.is_unspecified() || v6.is_multicast() || in_v6(v6, 0x2001_0db8 << 96, 32)
        }
    }
}

/// Great-circle distance in kilometres (haversine, mean Earth radius).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_says_what_it_can_of_itself() {
        let places = Places::none();
        let kind = |a: &str| places.place(a).kind;
        assert_eq!(kind("10.1.2.3"), "private");
        assert_eq!(kind("172.31.255.1"), "private");
        assert_eq!(kind("172.32.0.1"), "public");
        assert_eq!(kind("fd00::1"), "private");
        assert_eq!(kind("fe80::1"), "private");
        assert_eq!(kind("::ffff:192.168.1.1"), "private");
        assert_eq!(kind("203.0.113.9"), "reserved");
        assert_eq!(kind("2001:db8::5"), "reserved");
        assert_eq!(kind("ec2.amazonaws.com"), "aws-service");
        assert_eq!(kind("AWS Internal"), "aws-service");
        assert_eq!(kind(".amazonaws.com"), "other");
        assert_eq!(kind("example.com"), "other");
        assert_eq!(kind("8.8.8.8"), "public");
        assert_eq!(kind("2600:1f18::1"), "public");
        assert_eq!(kind(""), "");
    }

    #[test]
    fn distances_are_great_circles() {
        let london = (51.5142, -0.0931);
        let san_diego = (32.7203, -117.1552);
        assert_eq!(distance_km(london, london), 0.0);
        let d = distance_km(london, san_diego);
        assert!((8780.0..8830.0).contains(&d), "{d}");
    }
}
