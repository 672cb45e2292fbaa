//! MaxMind databases (GeoLite2 / GeoIP2 ASN, City, Country, Anonymous-IP, and their kin in
//! the same format): found, opened, and asked about one address at a time.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use maxminddb::{geoip2, Reader};

/// The part of a City or Country record read: decoding only these skips the names in
/// other languages, subdivisions and postal codes (half the time of the whole record).
#[derive(serde::Deserialize)]
struct CityRecord<'a> {
    #[serde(borrow, default)]
    country: IsoCode<'a>,
    #[serde(borrow, default)]
    city: Named<'a>,
    #[serde(default)]
    location: Location,
}

#[derive(serde::Deserialize, Default)]
struct IsoCode<'a> {
    #[serde(borrow)]
    iso_code: Option<&'a str>,
}

#[derive(serde::Deserialize, Default)]
struct Named<'a> {
    #[serde(borrow, default)]
    names: English<'a>,
}

#[derive(serde::Deserialize, Default)]
struct English<'a> {
    #[serde(borrow)]
    en: Option<&'a str>,
}

#[derive(serde::Deserialize, Default)]
struct Location {
    latitude: Option<f64>,
    longitude: Option<f64>,
}

/// What a database answers, by its metadata's `database_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Asn,
    City,
    Country,
    Anonymous,
}

impl Kind {
    fn of(database_type: &str) -> Option<Kind> {
        let has = |word: &str| database_type.contains(word);
        Some(if has("ASN") || has("ISP") {
            Kind::Asn
        } else if has("City") || has("Enterprise") {
            Kind::City
        } else if has("Country") {
            Kind::Country
        } else if has("Anonymous-IP") {
            Kind::Anonymous
        } else {
            return None;
        })
    }
}

pub(super) struct Database {
    path: PathBuf,
    kind: Kind,
    database_type: String,
    ipv4_only: bool,
    reader: Reader<Vec<u8>>,
}

/// `(path, what is wrong)`.
type Problem = (String, String);

fn problem(path: &Path, what: impl std::fmt::Display) -> Problem {
    (path.display().to_string(), what.to_string())
}

impl Database {
    /// The `.mmdb` files of a folder (sorted), or one file. An absent default folder is no
    /// problem; an absent given path is.
    pub(super) fn open_all(
        path: &Path,
        explicit: bool,
    ) -> Result<(Vec<Database>, Vec<Problem>), Problem> {
        let files: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut files: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "mmdb") && p.is_file())
                    .collect();
                files.sort();
                if files.is_empty() && explicit {
                    return Err(problem(path, "no .mmdb file in this folder"));
                }
                files
            }
            Err(_) if path.is_file() => vec![path.to_path_buf()],
            Err(_) if !explicit => return Ok((Vec::new(), Vec::new())),
            Err(e) => return Err(problem(path, format_args!("cannot read: {e}"))),
        };
        let mut databases = Vec::new();
        let mut problems = Vec::new();
        for file in files {
            match Database::open(&file) {
                Ok(database) => databases.push(database),
                Err(p) => problems.push(p),
            }
        }
        Ok((databases, problems))
    }

    fn open(path: &Path) -> Result<Database, Problem> {
        let reader = Reader::open_readfile(path).map_err(|e| match e {
            maxminddb::MaxMindDbError::Io(e) => problem(path, format_args!("cannot read: {e}")),
            e => problem(path, format_args!("not a MaxMind database ({e})")),
        })?;
        let database_type = reader.metadata().database_type.clone();
        let Some(kind) = Kind::of(&database_type) else {
            // Not one we read; a broken file is told as broken all the same.
            return Err(match reader.verify() {
                Err(e) => problem(
                    path,
                    format_args!("a broken MaxMind database, not used: {e}"),
                ),
                Ok(()) => problem(
                    path,
                    format_args!(
                        "a MaxMind database of type `{}`, not an ASN, City, Country or \
                         Anonymous-IP one; not used",
                        crate::text::sanitize(&database_type)
                    ),
                ),
            });
        };
        Ok(Database {
            path: path.to_path_buf(),
            kind,
            ipv4_only: reader.metadata().ip_version == 4,
            database_type,
            reader,
        })
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn describe(&self) -> String {
        format!(
            "{}: {}",
            self.path.display(),
            crate::text::sanitize(&self.database_type)
        )
    }

    pub(super) fn locates(&self) -> bool {
        self.kind == Kind::City
    }

    pub(super) fn gives(&self, field: &str) -> bool {
        matches!(
            (self.kind, field),
            (Kind::Asn, "asn" | "org")
                | (Kind::City, "country" | "city")
                | (Kind::Country, "country")
                | (Kind::Anonymous, "tor")
        )
    }

    /// The whole file checked (`check`): `None` when it is sound.
    pub(super) fn verify(&self) -> Option<Problem> {
        self.reader.verify().err().map(|e| {
            problem(
                &self.path,
                format_args!("a broken MaxMind database, not used: {e}"),
            )
        })
    }

    /// Fills what this database knows of `ip` into `place` (a City database's country
    /// wins over a Country database's); `Err` says the database is broken.
    pub(super) fn look_up(
        &self,
        ip: IpAddr,
        place: &mut super::Place,
        tor: &mut bool,
    ) -> Result<(), String> {
        if self.ipv4_only && ip.is_ipv6() {
            return Ok(());
        }
        let broken = |e: maxminddb::MaxMindDbError| format!("a broken MaxMind database: {e}");
        let found = self.reader.lookup(ip).map_err(broken)?;
        let owned = |s: Option<&str>| {
            s.filter(|s| !s.is_empty())
                .map(|s| crate::text::sanitize(s).into_owned())
        };
        match self.kind {
            Kind::Asn => {
                if let Some(asn) = found.decode::<geoip2::Asn>().map_err(broken)? {
                    place.asn = asn.autonomous_system_number.map(|n| format!("AS{n}"));
                    place.org = owned(asn.autonomous_system_organization);
                }
            }
            Kind::City => {
                if let Some(city) = found.decode::<CityRecord>().map_err(broken)? {
                    place.country = owned(city.country.iso_code).or(place.country.take());
                    place.city = owned(city.city.names.en);
                    place.at = city.location.latitude.zip(city.location.longitude);
                }
            }
            Kind::Country => {
                if let Some(country) = found.decode::<CityRecord>().map_err(broken)? {
                    if place.country.is_none() {
                        place.country = owned(country.country.iso_code);
                    }
                }
            }
            Kind::Anonymous => {
                if let Some(anonymous) = found.decode::<geoip2::AnonymousIp>().map_err(broken)? {
                    *tor |= anonymous.is_tor_exit_node == Some(true);
                }
            }
        }
        Ok(())
    }
}
