//! What the detail pane's summary says about an event, above its JSON: when, what, where,
//! who with which credential, from where, and the outcome. Lines of tagged text that wrap
//! to the pane (never cut); the layout counts their rows, drawing styles the tags.

use super::pretty as detail;
use crate::event::display_time;
use crate::store::{Col, Link, Session, Store};
use crate::text::{self, sanitize};

/// What a piece of the summary is, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Label,
    Time,
    Name,
    Muted,
    Plain,
    Principal,
    Success,
    Error,
    /// A detection level (`Level as u8`).
    Level(u8),
}

/// Columns of the labels (`who    `), and of the indent of a wrapped line.
const LABEL: usize = 7;

/// The summary of the event at `row`, one entry per line; `doc` is its document once
/// built (the MFA flag is read from it).
/// `describe`: each rule's fields and description under it (left out where the rules would not all
/// fit; every rule's level, title, author and the fields it tests always are).
pub fn lines(
    store: &Store,
    session: &Session,
    row: usize,
    doc: Option<&[detail::Line]>,
    describe: bool,
) -> Vec<Vec<(Part, String)>> {
    let get = |col| sanitize(store.get(col, row)).into_owned();
    let label = |text: &str| (Part::Label, format!("{text:<LABEL$}"));
    let time = store.time(row).map_or_else(
        || "no eventTime".to_string(),
        |t| format!("{} UTC", display_time(t)),
    );
    let mfa = mfa(&get(Col::MfaUsed), doc);
    let mut who = match get(Col::Principal) {
        p if p.is_empty() => "(no principal)".to_string(),
        p => p,
    };
    let kind = get(Col::IdentityType);
    if !kind.is_empty() {
        who.push_str(&format!(" ({kind})"));
    }
    let mut credential = store.credential(row).label().to_string();
    let key = get(Col::AccessKey);
    if !key.is_empty() {
        credential.push_str(&format!(" {key}"));
    }
    let account = match get(Col::RecipientAccount) {
        a if a.is_empty() => get(Col::IdentityAccount),
        a => a,
    };
    let error = get(Col::Error);
    let message = get(Col::ErrorMessage);
    let outcome = if error.is_empty() {
        vec![label("result"), (Part::Success, "success".into())]
    } else if message.is_empty() || message == error {
        vec![label("error"), (Part::Error, error)]
    } else {
        vec![label("error"), (Part::Error, format!("{error}: {message}"))]
    };
    vec![
        vec![
            (Part::Time, time),
            (Part::Plain, "  ".into()),
            (
                Part::Name,
                match get(Col::Name) {
                    name if name.is_empty() && !get(Col::Insight).is_empty() => {
                        format!("Insight {}", get(Col::Insight))
                    }
                    name => name,
                },
            ),
            (Part::Muted, format!(" · {}", get(Col::Source))),
        ],
        mark_line(session, row, &label),
        vec![
            label("where"),
            (
                Part::Plain,
                format!("{} · account {account}", get(Col::Region)),
            ),
        ],
        vec![label("who"), (Part::Principal, who)],
        vec![
            label("cred"),
            (Part::Plain, format!("{credential} · {mfa}")),
        ],
        chain_line(store, row),
        vec![label("from"), (Part::Plain, from(&get))],
        travel_line(store, row, &label),
        outcome,
        insight_line(store, row, doc, &label),
        object_line(store, row, &label),
    ]
    .into_iter()
    .filter(|line| !line.is_empty())
    .chain(hit_lines(store, session, row, doc, describe))
    .collect()
}

/// Impossible travel: where the principal's call before this one came from, and when.
fn travel_line(
    store: &Store,
    row: usize,
    label: &dyn Fn(&str) -> (Part, String),
) -> Vec<(Part, String)> {
    let Some(trip) = store.trip(row) else {
        return Vec::new();
    };
    let from = trip.from as usize;
    let place = |row: usize| {
        let city = store.get(Col::City, row);
        let country = store.get(Col::Country, row);
        let at = [city, country]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>();
        sanitize(&format!("{} ({})", at.join(" "), store.get(Col::Ip, row))).into_owned()
    };
    let minutes = match (store.time(row), store.time(from)) {
        (Some(now), Some(then)) => (now - then) / 60_000,
        _ => 0,
    };
    vec![
        label("travel"),
        (
            Part::Error,
            format!(
                "impossible: {} km from {} at {} to {} in {}h {:02}m",
                crate::text::thousands(trip.km.round() as usize),
                place(from),
                store.time(from).map(display_time).unwrap_or_default(),
                place(row),
                minutes / 60,
                minutes % 60
            ),
        ),
    ]
}

/// An Insights event's rate against its baseline (from the document, once built).
fn insight_line(
    store: &Store,
    row: usize,
    doc: Option<&[detail::Line]>,
    label: &dyn Fn(&str) -> (Part, String),
) -> Vec<(Part, String)> {
    let insight = store.get(Col::Insight, row);
    if insight.is_empty() {
        return Vec::new();
    }
    let value = |path: &str| {
        doc.unwrap_or_default()
            .iter()
            .find(|l| l.path == path)
            .and_then(|l| l.value.clone())
    };
    let statistics = "insightDetails.insightContext.statistics";
    match (
        value(&format!("{statistics}.baseline.average")),
        value(&format!("{statistics}.insight.average")),
    ) {
        (Some(baseline), Some(now)) => vec![
            label("rate"),
            (
                Part::Plain,
                format!(
                    "{} a minute against a baseline of {}",
                    sanitize(&now),
                    sanitize(&baseline)
                ),
            ),
        ],
        _ => Vec::new(),
    }
}

/// An S3 data event's `bucket/key`.
fn object_line(
    store: &Store,
    row: usize,
    label: &dyn Fn(&str) -> (Part, String),
) -> Vec<(Part, String)> {
    let (bucket, key) = (store.get(Col::Bucket, row), store.get(Col::ObjectKey, row));
    match (bucket.is_empty(), key.is_empty()) {
        (true, true) => Vec::new(),
        (false, true) => vec![
            label("bucket"),
            (Part::Plain, sanitize(bucket).into_owned()),
        ],
        _ => vec![
            label("object"),
            (
                Part::Plain,
                sanitize(&format!("{bucket}/{key}")).into_owned(),
            ),
        ],
    }
}

/// Whether MFA was used: a console sign-in says so in `additionalEventData.MFAUsed`
/// (`mfa_used`), any other call in its session's `mfaAuthenticated` (read from `doc`, the
/// event's document once built).
fn mfa(mfa_used: &str, doc: Option<&[detail::Line]>) -> &'static str {
    let flag = if mfa_used.is_empty() {
        doc.unwrap_or_default()
            .iter()
            .find(|l| l.path == "userIdentity.sessionContext.attributes.mfaAuthenticated")
            .and_then(|l| l.value.as_deref())
            .map(|v| v.eq_ignore_ascii_case("true"))
    } else {
        Some(mfa_used.eq_ignore_ascii_case("yes"))
    };
    match flag {
        None => "MFA -",
        Some(true) => "MFA yes",
        Some(false) => "MFA no",
    }
}

/// `from`: the address, who owns it and where it is (as the lookup files say), its kind,
/// the caller's tool (on its system), the agent as logged.
fn from(get: &dyn Fn(Col) -> String) -> String {
    let tool = match (get(Col::Tool), get(Col::Os)) {
        (tool, _) if tool.is_empty() => String::new(),
        (tool, os) if os.is_empty() => format!("{tool} · "),
        (tool, os) => format!("{tool} on {os} · "),
    };
    let joined = |a: Col, b: Col| {
        [get(a), get(b)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    // `public` is what an address is unless a list says more: not repeated on every event.
    let kind = match get(Col::IpType) {
        kind if kind == "public" => String::new(),
        // An AWS address with the service and region ip-ranges.json lists for it.
        kind => [kind, get(Col::AwsRange)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    };
    let place: String = [
        joined(Col::Asn, Col::Org),
        joined(Col::Country, Col::City),
        kind,
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .map(|s| format!(" · {s}"))
    .collect();
    format!("{}{place} · {tool}{}", get(Col::Ip), get(Col::Agent))
}

/// The word after a rule's line when its hit's level is not the rule's.
fn verdict_word(rule: &crate::store::HitRule, row: usize, level: u8) -> &'static str {
    use crate::store::Verdict;
    match (level, rule.verdict(row as u32)) {
        (0, _) => " · muted",
        (_, Verdict::Routine { .. }) => " · routine",
        (_, Verdict::New { .. }) => " · new",
        (_, Verdict::Plain) => "",
    }
}

/// Why a hit's level is not its rule's: muted, routine or new; `None` when it is.
fn verdict_text(
    store: &Store,
    row: usize,
    rule: &crate::store::HitRule,
    level: u8,
) -> Option<String> {
    use crate::store::Verdict;
    let name = crate::tui::detections::level_name;
    if level == 0 {
        return Some("muted in this case (U lists the muted, to undo)".into());
    }
    match rule.verdict(row as u32) {
        Verdict::Plain => None,
        Verdict::Routine { days } => Some(format!(
            "routine: {days} earlier days from this address (rule's level {})",
            name(rule.level)
        )),
        Verdict::New { field } => {
            let (what, col) = crate::schema::FIRST_SEEN.get(field as usize)?;
            let value = sanitize(store.get(*col, row)).into_owned();
            let thing = match *what {
                "name" => value,
                "ip" => format!("use of address {value}"),
                "agent" => "use of this user agent".to_string(),
                "region" => format!("call in {value}"),
                "key" => format!("use of key {value}"),
                other => format!("{other} {value}"),
            };
            Some(format!(
                "new: first {thing} of this principal (rule's level {})",
                name(rule.level)
            ))
        }
    }
}

/// One line per detection rule the event hits, most severe first: level, title, author
/// (DRL 1.1: a message based on a rule's match carries the rule's author).
fn hit_lines(
    store: &Store,
    session: &Session,
    row: usize,
    doc: Option<&[detail::Line]>,
    describe: bool,
) -> Vec<Vec<(Part, String)>> {
    let Some(hits) = session.hits() else {
        return Vec::new();
    };
    let mut rules: Vec<(&crate::store::HitRule, u8)> = hits
        .levels_of_row(row)
        .filter_map(|(r, level)| Some((hits.rules.get(r as usize)?, level)))
        .collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.title.cmp(&b.0.title)));
    let indent = || (Part::Plain, " ".repeat(LABEL));
    let mut lines = Vec::new();
    for (rule, level) in rules {
        let shown = if level == 0 { rule.level } else { level };
        lines.push(vec![
            (Part::Label, format!("{:<LABEL$}", "rule")),
            (
                Part::Level(shown),
                crate::tui::detections::level_name(shown).to_string(),
            ),
            (Part::Plain, format!(" {}", sanitize(&rule.title))),
            (Part::Muted, format!(" · {}", sanitize(&rule.author))),
            (Part::Plain, verdict_word(rule, row, level).to_string()),
        ]);
        let why = verdict_text(store, row, rule, level);
        if let Some(why) = why.filter(|_| describe) {
            lines.push(vec![indent(), (Part::Plain, why)]);
        }
        if describe && (!rule.tactics.is_empty() || !rule.techniques.is_empty()) {
            let attack: Vec<&str> = rule
                .tactics
                .iter()
                .copied()
                .chain(rule.techniques.iter().map(String::as_str))
                .collect();
            lines.push(vec![
                indent(),
                (Part::Muted, format!("ATT&CK {}", attack.join(" · "))),
            ]);
        }
        // What it tests, with this event's values (from the index, else the event shown).
        let from_doc = |path: &str| {
            doc.unwrap_or_default()
                .iter()
                .find(|l| l.path == path && l.value.is_some())
                .and_then(|l| l.value.clone())
        };
        let fields: Vec<String> = rule
            .fields
            .iter()
            .map(
                |path| match crate::schema::Col::of_path(path).map(|c| store.get(c, row)) {
                    Some("") => format!("{path} absent"),
                    Some(value) => format!("{path}={}", sanitize(value)),
                    None => match from_doc(path) {
                        Some(value) => format!("{path}={}", sanitize(&value)),
                        None => path.clone(),
                    },
                },
            )
            .collect();
        if describe && !fields.is_empty() {
            lines.push(vec![indent(), (Part::Muted, fields.join(" · "))]);
        }
        if describe && !rule.summary.is_empty() {
            lines.push(vec![
                indent(),
                (Part::Muted, sanitize(&rule.summary).into_owned()),
            ]);
        }
    }
    lines
}

/// `mark   * the note` for a marked event; nothing otherwise.
fn mark_line(
    session: &Session,
    row: usize,
    label: &dyn Fn(&str) -> (Part, String),
) -> Vec<(Part, String)> {
    match session.marks().get(&(row as u32)) {
        None => Vec::new(),
        Some(note) if note.is_empty() => vec![label("mark"), (Part::Name, "* marked".into())],
        Some(note) => vec![
            label("note"),
            (
                Part::Name,
                format!(
                    "* {}",
                    crate::text::truncate(&sanitize(crate::text::head(note, 4096)), 1000)
                ),
            ),
        ],
    }
}

/// Where the event's credentials came from, root first: each call that issued the next
/// key (or signed the next principal in), then the event's own principal; empty for a
/// long-term key used directly.
fn chain_line(store: &Store, row: usize) -> Vec<(Part, String)> {
    let provenance = store.provenance();
    let chain = provenance.chain(store, row);
    let key = store.get(Col::AccessKey, row);
    let get = |col, r: u32| sanitize(store.get(col, r as usize)).into_owned();
    // "principal (type, key)": who made a call of the chain, and with what.
    let who = |r: u32, account: bool| {
        let mut what: Vec<String> = [Col::IdentityType, Col::AccessKey]
            .iter()
            .map(|&c| get(c, r))
            .filter(|v| !v.is_empty())
            .collect();
        if account {
            let account = match get(Col::RecipientAccount, r) {
                a if a.is_empty() => get(Col::IdentityAccount, r),
                a => a,
            };
            what.push(format!("account {account}"));
        }
        format!("{} ({})", get(Col::Principal, r), what.join(", "))
    };
    let mut text = String::new();
    if chain.len() == 1 {
        if !key.starts_with("ASIA") {
            return Vec::new();
        }
        text.push_str("issued outside these logs → ");
    }
    // A call on the event's own day is shown by its time of day.
    let day = |r: u32| store.time(r as usize).map(display_time).unwrap_or_default();
    let today = day(row as u32);
    let today = today.split(' ').next().unwrap_or("");
    for (i, &issuer) in chain.iter().enumerate().skip(1).rev() {
        let when = day(issuer);
        let when = match when.split_once(' ') {
            Some((date, time)) if date == today => time.to_string(),
            _ => when,
        };
        text.push_str(&format!(
            "{} → {} {when} from {}",
            who(issuer, false),
            get(Col::Name, issuer),
            get(Col::Ip, issuer),
        ));
        let below = chain[i - 1] as usize;
        text.push_str(match provenance.parent(store, below).map(|(_, l)| l) {
            Some(Link::IdentityCenter) => " (joined by role, account and time) → ",
            Some(Link::Copy) => " → this account's copy of that call: ",
            _ => " → ",
        });
    }
    text.push_str(&who(row as u32, true));
    vec![
        (Part::Label, format!("{:<LABEL$}", "chain")),
        (Part::Plain, text),
    ]
}

/// The summary laid out in rows of `width` columns, wrapped lines indented past the labels.
pub fn rows(lines: &[Vec<(Part, String)>], width: usize) -> Vec<Vec<(Part, String)>> {
    lines
        .iter()
        .filter(|line| !line.is_empty())
        .flat_map(|line| text::wrap(line, width, LABEL, Part::Plain))
        .collect()
}
