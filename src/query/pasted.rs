//! Values a responder pastes into the filter (an address, a key id, an ARN, an account, an
//! `@`-address), read as terms of the fields they live in; addresses as addresses; and,
//! when bare words match nothing, where they occur instead.

use super::{Cidr, Expr, Field, Glob, Matcher, QueryError};
use crate::schema::{self, Storage};
use crate::store::Session;

/// A bare value a responder pastes, read as a term of the field it lives in: an IP
/// address or CIDR block (`ip`), an access key id (`key`), an ARN (`arn` or `resource`), a
/// 12-digit account (`account`), an `@`-address (`identity`). `None`: an eventName word.
/// An address that cannot be (`999.1.1.1`) is an error at `column`.
pub(super) fn pasted(word: &str, column: usize) -> Result<Option<(Expr, String)>, QueryError> {
    let named = |name: &str| schema::named(name).map(Field::Named);
    let glob_term = |name: &str, value: &str| -> Option<Expr> {
        Some(Expr::Term {
            field: named(name)?,
            matcher: Matcher::Glob(Glob::new(&Glob::escape(value))),
        })
    };
    let reading = |expr: Option<Expr>, text: String| {
        Ok(expr.map(|e| (e, format!("{word} searched as {text}"))))
    };
    if let Some(address) = address(word, column)? {
        let expr = match address {
            Address::One(ip) => ip_term(ip, word),
            Address::Block(cidr) => named("ip").map(|field| Expr::Term {
                field,
                matcher: Matcher::Cidr(cidr),
            }),
        };
        return reading(expr, format!("ip:{word}"));
    }
    let upper = word.as_bytes();
    let key_id = upper.len() == 20
        && (word.starts_with("AKIA") || word.starts_with("ASIA"))
        && upper
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if key_id {
        return reading(glob_term("key", word), format!("key:{word}"));
    }
    if is_arn(word) {
        let expr = glob_term("arn", word)
            .zip(glob_term("resource", word))
            .map(|(a, r)| Expr::Or(vec![a, r]));
        return reading(expr, format!("arn:{word} or resource:{word}"));
    }
    if upper.len() == 12 && upper.iter().all(u8::is_ascii_digit) {
        return reading(glob_term("account", word), format!("account:{word}"));
    }
    if word.contains('@') && !word.starts_with('@') && !word.ends_with('@') {
        return reading(glob_term("identity", word), format!("identity:{word}"));
    }
    Ok(None)
}

pub(super) fn is_arn(text: &str) -> bool {
    text.strip_prefix("arn:")
        .is_some_and(|rest| rest.starts_with("aws:") || rest.starts_with("aws-"))
}

/// An address as a filter value: one, or a block.
pub(super) enum Address {
    One(std::net::IpAddr),
    Block(Cidr),
}

/// Reads `text` as an IP address or CIDR block when it looks like one: four dot-separated
/// decimal numbers (leading zeros are decimal, never octal), or IPv6 in any spelling.
/// Something that looks like an address and cannot be one is an error; anything else is
/// `None`.
pub(super) fn address(text: &str, column: usize) -> Result<Option<Address>, QueryError> {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let parts: Vec<&str> = addr.split('.').collect();
    let dotted = parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let ip: std::net::IpAddr = if dotted {
        let mut octets = [0u8; 4];
        for (octet, part) in octets.iter_mut().zip(&parts) {
            *octet = part
                .trim_start_matches('0')
                .parse::<u8>()
                .or_else(|e| {
                    if part.bytes().all(|b| b == b'0') {
                        Ok(0)
                    } else {
                        Err(e)
                    }
                })
                .map_err(|_| {
                    QueryError::new(
                        column,
                        format!("`{addr}` is not an IPv4 address: {part} is over 255"),
                    )
                })?;
        }
        std::net::Ipv4Addr::from(octets).into()
    } else if addr.contains(':')
        && addr
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
    {
        match addr.parse::<std::net::Ipv6Addr>() {
            Ok(ip) => ip.into(),
            Err(_) if addr.matches(':').count() >= 2 => {
                return Err(QueryError::new(
                    column,
                    format!("`{addr}` is not an IPv6 address"),
                ))
            }
            Err(_) => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    match prefix {
        None => Ok(Some(Address::One(ip))),
        Some(p) => {
            let max = if ip.is_ipv4() { 32 } else { 128 };
            match p.parse::<u8>() {
                Ok(prefix) if prefix <= max => Ok(Some(Address::Block(Cidr {
                    network: ip,
                    prefix,
                }))),
                _ => Err(QueryError::new(
                    column,
                    format!("`{text}`: a CIDR prefix is 0 to {max}"),
                )),
            }
        }
    }
}

/// `ip:` one address: IPv4 as it was written (`text`: a log may keep leading zeros, and
/// the value is then found as it was logged); IPv6 compared as an address, so every
/// spelling of it (`2001:db8:1f::2a`, `2001:db8:1f:0:0:0:0:2a`) matches.
pub(super) fn ip_term(ip: std::net::IpAddr, text: &str) -> Option<Expr> {
    let field = schema::named("ip").map(Field::Named)?;
    let matcher = match ip {
        std::net::IpAddr::V4(_) => Matcher::Glob(Glob::new(text)),
        std::net::IpAddr::V6(_) => Matcher::Cidr(Cidr {
            network: ip,
            prefix: 128,
        }),
    };
    Some(Expr::Term { field, matcher })
}

/// Where the bare words of a filter that matched nothing occur instead, with counts: a
/// word is read as an eventName, and `ci-deploy` is none, but a principal's name.
/// `None` when the filter has no bare word.
pub fn where_words_occur(store: &crate::store::Store, expr: &Expr) -> Option<String> {
    let mut said = Vec::new();
    for word in expr.words() {
        // Each indexed field, as `field:word` selects it.
        let mut found: Vec<(usize, String)> = schema::FIELDS
            .iter()
            .filter(|d| d.name != "name" && matches!(d.storage, Storage::Columns(_)))
            .filter_map(|def| {
                let term = Expr::Term {
                    field: Field::Named(def),
                    matcher: Matcher::Glob(Glob::new(&Glob::escape(word))),
                };
                // A column term reads nothing of a session.
                let count = term.evaluate(store, &Session::default()).count();
                (count > 0).then(|| (count, format!("{}:{word} ({count})", def.name)))
            })
            .collect();
        if found.is_empty() {
            said.push(format!(
                "`{word}` is no eventName, nor a value of any field"
            ));
            continue;
        }
        found.sort_by_key(|f| std::cmp::Reverse(f.0));
        let fields: Vec<String> = found.into_iter().take(3).map(|(_, f)| f).collect();
        said.push(format!(
            "`{word}` is no eventName; it is in {}",
            fields.join(", ")
        ));
    }
    (!said.is_empty()).then(|| crate::text::sanitize(&said.join("; ")).into_owned())
}
