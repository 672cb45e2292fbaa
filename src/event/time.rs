//! Event times: eventTime parsed into milliseconds since the Unix epoch (CloudTrail's own
//! form on a fast path, other RFC 3339 forms and log platforms' exports through chrono), and
//! times written back as CloudTrail and the explorer show them.

/// Parses an eventTime into milliseconds since the Unix epoch. CloudTrail writes
/// `2024-05-03T14:02:11Z`; other RFC 3339 forms are accepted through chrono.
pub fn parse_time(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() == 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[19] == b'Z' {
        let num = |range: std::ops::Range<usize>| -> Option<i64> {
            let mut v = 0i64;
            for &c in &b[range] {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + i64::from(c - b'0');
            }
            Some(v)
        };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if (1..=12).contains(&mo) && (1..=days_in_month(y, mo)).contains(&d) && h < 24 && mi < 60 {
            let days = days_from_civil(y, mo, d);
            let minute = ((days * 24 + h) * 60 + mi) * 60_000;
            return match s {
                0..=59 => Some(minute + s * 1000),
                // A leap second stays in its minute: the last instant of second 59.
                60 if h == 23 && mi == 59 => Some(minute + 59_999),
                _ => None,
            };
        }
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
        .or_else(|| {
            // As log platforms export it: a space for the `T`, no zone (UTC), any fraction
            // of a second (`2025-01-21 17:49:47.000000000`).
            let text = text.strip_suffix('Z').unwrap_or(text);
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc().timestamp_millis())
        })
}

/// A time as exports write it: RFC 3339, or a number of seconds (Splunk's `_time`, with a
/// fraction) or milliseconds (above 10^11, which as seconds would be past the year 5000).
pub(super) fn parse_time_or_epoch(text: &str) -> Option<i64> {
    if let Some(t) = parse_time(text) {
        return Some(t);
    }
    let number: f64 = text.parse().ok()?;
    if !number.is_finite() || number < 0.0 {
        return None;
    }
    let millis = if number >= 1e11 {
        number
    } else {
        number * 1000.0
    };
    (millis < 1e15).then_some(millis as i64)
}

/// Days in month `m` (1-12) of year `y`: 2024-02-30 is not a date, never silently 03-01.
fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats milliseconds since the epoch as CloudTrail does (`2024-05-03T14:02:11Z`).
pub fn format_time(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| "-".into())
}

/// An eventTime as the explorer shows it, in UTC: `2024-05-01 14:02:11`.
pub fn display_time(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "-".into())
}
