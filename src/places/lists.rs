//! The address lists a user saves: AWS's published ranges (`ip-ranges.json`, as
//! <https://ip-ranges.amazonaws.com/ip-ranges.json> serves it) and Tor exits (the bulk list,
//! an address a line, or the `exit-addresses` format with its `ExitAddress` lines).

use std::net::IpAddr;
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

/// A list file larger than this is refused (AWS's own is about 2 MB).
const MAX_LIST_BYTES: u64 = 256 << 20;

/// `(path, what is wrong)`.
type Problem = (String, String);

/// A list read from text: the list, and the first flaw left out of it; `Err` when nothing
/// in the text is usable.
type Parse<T> = fn(&str) -> Result<(T, Option<String>), String>;

/// Reads and parses the list at `path`, and the problem to tell if any: nothing when a
/// default file is absent. A parse leaves out what it cannot read and says where the first
/// such line is; the rest is used.
pub(super) fn read<T>(
    path: &Path,
    explicit: bool,
    parse: Parse<T>,
) -> (Option<T>, Option<Problem>) {
    let problem = |what: String| Some((path.display().to_string(), what));
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(_) if !explicit => return (None, None),
        Err(e) => return (None, problem(format!("cannot read: {e}"))),
    };
    if size > MAX_LIST_BYTES {
        return (
            None,
            problem(format!("larger than {MAX_LIST_BYTES} bytes; not used")),
        );
    }
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) => return (None, problem(format!("cannot read: {e}"))),
    };
    match parse(&String::from_utf8_lossy(&text)) {
        Ok((list, flaw)) => (Some(list), flaw.and_then(problem)),
        Err(what) => (None, problem(what)),
    }
}

/// `(prefix length, network)` of an address in one space: IPv4 as IPv4-mapped IPv6.
fn key(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

fn masked(address: u128, bits: u8) -> u128 {
    address & u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0)
}

/// AWS's published address blocks, each with the service and region it lists.
#[derive(Debug, Default)]
pub(super) struct AwsRanges {
    blocks: FxHashMap<(u8, u128), u32>,
    /// Prefix lengths present, longest first.
    lengths: Vec<u8>,
    labels: Vec<String>,
}

#[derive(serde::Deserialize)]
struct RangesFile {
    prefixes: Option<Vec<Prefix>>,
    ipv6_prefixes: Option<Vec<Prefix>>,
}

#[derive(serde::Deserialize)]
struct Prefix {
    #[serde(alias = "ipv6_prefix")]
    ip_prefix: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    service: String,
}

impl AwsRanges {
    pub(super) fn parse(text: &str) -> Result<(AwsRanges, Option<String>), String> {
        let file: RangesFile = serde_json::from_str(text).map_err(|e| {
            format!(
                "{}:{}: not an AWS ip-ranges.json: {e}",
                e.line(),
                e.column()
            )
        })?;
        if file.prefixes.is_none() && file.ipv6_prefixes.is_none() {
            return Err("not an AWS ip-ranges.json: no `prefixes` or `ipv6_prefixes`".into());
        }
        let mut ranges = AwsRanges::default();
        let mut label_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut flaw = None;
        let lists = [
            ("prefixes", file.prefixes),
            ("ipv6_prefixes", file.ipv6_prefixes),
        ];
        for (list, prefixes) in lists {
            for (i, prefix) in prefixes.unwrap_or_default().into_iter().enumerate() {
                let Some((net, bits)) = cidr(&prefix.ip_prefix) else {
                    flaw.get_or_insert_with(|| {
                        format!(
                            "{list}[{i}]: `{}` is not an address block; left out",
                            crate::text::sanitize(&prefix.ip_prefix)
                        )
                    });
                    continue;
                };
                let label = crate::text::sanitize(&format!("{} {}", prefix.service, prefix.region))
                    .trim()
                    .to_string();
                let next = ranges.labels.len() as u32;
                let id = *label_ids.entry(label.clone()).or_insert_with(|| {
                    ranges.labels.push(label);
                    next
                });
                // `AMAZON` lists every block; the service a block also names says more.
                let generic = prefix.service == "AMAZON";
                ranges
                    .blocks
                    .entry((bits, net))
                    .and_modify(|old| {
                        if !generic {
                            *old = id;
                        }
                    })
                    .or_insert(id);
                if !ranges.lengths.contains(&bits) {
                    ranges.lengths.push(bits);
                }
            }
        }
        ranges.lengths.sort_unstable_by(|a, b| b.cmp(a));
        Ok((ranges, flaw))
    }

    pub(super) fn describe(&self) -> String {
        crate::text::count(self.blocks.len(), "address block")
    }

    /// The service and region of the most specific block holding `ip`.
    pub(super) fn find(&self, ip: IpAddr) -> Option<String> {
        let address = key(ip);
        self.lengths.iter().find_map(|&bits| {
            self.blocks
                .get(&(bits, masked(address, bits)))
                .and_then(|&id| self.labels.get(id as usize).cloned())
        })
    }
}

/// `3.5.140.0/22`, `2600:1f14::/35` as a network in the one space and its prefix length.
fn cidr(text: &str) -> Option<(u128, u8)> {
    let (address, bits) = text.trim().split_once('/')?;
    let ip: IpAddr = address.parse().ok()?;
    let bits: u8 = bits.parse().ok()?;
    let bits = match ip {
        IpAddr::V4(_) if bits <= 32 => bits + 96,
        IpAddr::V6(_) if bits <= 128 => bits,
        _ => return None,
    };
    Some((masked(key(ip), bits), bits))
}

/// The addresses of Tor exit relays.
#[derive(Debug, Default)]
pub(super) struct TorExits(FxHashSet<IpAddr>);

impl TorExits {
    pub(super) fn parse(text: &str) -> Result<(TorExits, Option<String>), String> {
        let mut exits = FxHashSet::default();
        let mut flaw = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            let mut words = line.split_whitespace();
            let address = match words.next() {
                None => continue,
                Some(word) if word.starts_with('#') => continue,
                Some("ExitAddress") => words.next().unwrap_or(""),
                // The other lines of an `exit-addresses` entry.
                Some("ExitNode" | "Published" | "LastStatus") => continue,
                Some(word) => word,
            };
            match super::parse(address) {
                Some(ip) => {
                    exits.insert(ip);
                }
                None => {
                    flaw.get_or_insert_with(|| {
                        format!(
                            "line {}: `{}` is not an address; left out",
                            n + 1,
                            crate::text::sanitize(line)
                        )
                    });
                }
            }
        }
        if exits.is_empty() {
            return Err(flaw.unwrap_or_else(|| "no address in the list".into()));
        }
        Ok((TorExits(exits), flaw))
    }

    pub(super) fn describe(&self) -> String {
        match self.0.len() {
            1 => "1 address".to_string(),
            n => format!("{} addresses", crate::text::thousands(n)),
        }
    }

    pub(super) fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RANGES: &str = r#"{
      "syncToken": "1700000000", "createDate": "2023-11-14-22-13-09",
      "prefixes": [
        {"ip_prefix": "3.5.140.0/22", "region": "ap-northeast-2", "service": "AMAZON", "network_border_group": "ap-northeast-2"},
        {"ip_prefix": "3.5.140.0/22", "region": "ap-northeast-2", "service": "S3", "network_border_group": "ap-northeast-2"},
        {"ip_prefix": "52.94.0.0/16", "region": "us-east-1", "service": "AMAZON", "network_border_group": "us-east-1"},
        {"ip_prefix": "52.94.76.0/22", "region": "us-west-2", "service": "AMAZON", "network_border_group": "us-west-2"}
      ],
      "ipv6_prefixes": [
        {"ipv6_prefix": "2600:1f14::/35", "region": "us-west-2", "service": "EC2", "network_border_group": "us-west-2"}
      ]
    }"#;

    #[test]
    fn the_most_specific_block_and_its_service_win() {
        let (ranges, flaw) = AwsRanges::parse(RANGES).expect("parses");
        assert_eq!(flaw, None);
        let find = |a: &str| ranges.find(a.parse().expect("address"));
        assert_eq!(find("3.5.141.7").as_deref(), Some("S3 ap-northeast-2"));
        assert_eq!(find("52.94.77.1").as_deref(), Some("AMAZON us-west-2"));
        assert_eq!(find("52.94.1.1").as_deref(), Some("AMAZON us-east-1"));
        assert_eq!(find("2600:1f14:1::9").as_deref(), Some("EC2 us-west-2"));
        assert_eq!(find("2600:1f18::1"), None);
        assert_eq!(find("8.8.8.8"), None);
    }

    #[test]
    fn a_bad_block_is_left_out_and_told() {
        let text = r#"{"prefixes": [{"ip_prefix": "3.5.140.0/40", "region": "x", "service": "S3"},
                                     {"ip_prefix": "3.5.0.0/16", "region": "x", "service": "S3"}]}"#;
        let (ranges, flaw) = AwsRanges::parse(text).expect("parses");
        assert_eq!(
            flaw.as_deref(),
            Some("prefixes[0]: `3.5.140.0/40` is not an address block; left out")
        );
        assert_eq!(ranges.blocks.len(), 1);
        let err = AwsRanges::parse("{\"prefixes\": [").expect_err("refused");
        assert!(err.starts_with("1:14: not an AWS ip-ranges.json"), "{err}");
        assert!(AwsRanges::parse("{}").is_err());
    }

    #[test]
    fn tor_lists_in_both_formats() {
        let bulk = "185.220.101.47\n# comment\n2a0b:f4c2::1\n\n";
        let (exits, flaw) = TorExits::parse(bulk).expect("parses");
        assert_eq!((exits.0.len(), flaw), (2, None));
        let detailed = "ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\n\
                        Published 2024-05-01 09:02:29\n\
                        LastStatus 2024-05-01 10:00:00\n\
                        ExitAddress 162.247.74.201 2024-05-01 10:05:51\n\
                        nonsense here\n";
        let (exits, flaw) = TorExits::parse(detailed).expect("parses");
        assert!(exits.contains("162.247.74.201".parse().expect("address")));
        assert_eq!(exits.0.len(), 1);
        assert_eq!(
            flaw.as_deref(),
            Some("line 5: `nonsense here` is not an address; left out")
        );
    }
}
