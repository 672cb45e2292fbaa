//! The overview of a result: its time span, event and error counts, and per field the
//! values seen most with their counts, error share, first and last time. Counted over the
//! interned columns (one pass per field over the rows, no JSON), for the explorer's `O`
//! overlay and `trailscope summary`.

use crate::schema::Col;
use crate::store::Store;

/// The fields an overview lists, by their filter names.
pub const FIELDS: [(&str, Source); 15] = [
    ("principal", Source::Column(Col::Principal)),
    ("origin", Source::Origin),
    ("key", Source::Column(Col::AccessKey)),
    ("ip", Source::Column(Col::Ip)),
    ("iptype", Source::Column(Col::IpType)),
    ("asn", Source::Column(Col::Asn)),
    ("country", Source::Column(Col::Country)),
    ("city", Source::Column(Col::City)),
    ("agent", Source::Column(Col::Agent)),
    ("tool", Source::Column(Col::Tool)),
    ("source", Source::Column(Col::Source)),
    ("name", Source::Column(Col::Name)),
    ("region", Source::Column(Col::Region)),
    ("account", Source::Column(Col::RecipientAccount)),
    ("error", Source::Column(Col::Error)),
];

/// Where a field's values come from.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    Column(Col),
    /// The principal at the root of the event's credential chain.
    Origin,
}

/// The overview of a set of rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub events: usize,
    pub errors: usize,
    /// Times (ms) of the first and last event.
    pub span: Option<(i64, i64)>,
    pub fields: Vec<FieldSummary>,
}

/// One field of an overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSummary {
    /// The filter field's name.
    pub field: &'static str,
    /// How many different values the rows have.
    pub distinct: usize,
    /// Rows without a value.
    pub absent: usize,
    /// The most frequent values, most frequent first (ties by value).
    pub top: Vec<ValueSummary>,
}

/// One value of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSummary {
    pub value: String,
    /// A principal (or origin) whose name another account's principal shares here: its
    /// account, which tells the two apart.
    pub account: Option<String>,
    /// The filter that selects exactly this value's events, where `field:value` would not
    /// (a shared name): `principal:bob account:111122223333`, `origin:ARN`.
    pub term: Option<String>,
    pub count: usize,
    /// Events with this value that failed (an errorCode).
    pub errors: usize,
    /// Times (ms) of its first and last event.
    pub first: Option<i64>,
    pub last: Option<i64>,
}

impl ValueSummary {
    /// The value as shown: with its account where that tells it apart.
    pub fn label(&self) -> String {
        match &self.account {
            Some(account) => format!("{} · {account}", self.value),
            None => self.value.clone(),
        }
    }
}

/// Values the explorer's summary lists per field.
pub const TOP: usize = 5;

/// The overview of `rows` with [`TOP`] values per field, and every value of the field
/// `every_value_of` (the explorer's `… N more values`).
pub fn overview_listing(store: &Store, rows: &[u32], every_value_of: Option<&str>) -> Overview {
    let Some(field) = every_value_of else {
        return overview(store, rows, TOP);
    };
    let mut data = overview(store, rows, usize::MAX);
    for f in &mut data.fields {
        if f.field != field {
            f.top.truncate(TOP);
        }
    }
    data
}

/// The overview of `rows` (in time order), with the `top` most frequent values per field.
pub fn overview(store: &Store, rows: &[u32], top: usize) -> Overview {
    let failed = store.ids(Col::Error);
    let errors = rows.iter().filter(|&&r| failed[r as usize] != 0).count();
    let span = match (rows.first(), rows.last()) {
        (Some(&a), Some(&b)) => store.time(a as usize).zip(store.time(b as usize)),
        _ => None,
    };
    let roots = FIELDS
        .iter()
        .any(|(_, s)| matches!(s, Source::Origin))
        .then(|| store.provenance().roots(store));
    // A lookup file's field is left out when no file gave it a value.
    let looked_up = |s: &Source| match s {
        Source::Column(col @ (Col::Asn | Col::Country | Col::City)) => {
            store.strings(*col).len() > 1
        }
        _ => true,
    };
    let fields = FIELDS
        .iter()
        .filter(|(_, s)| looked_up(s))
        .map(|&(field, source)| match source {
            Source::Column(Col::Principal) => {
                let by = Identities::of(store, rows, |row| row);
                by.summarize(store, rows, field, failed, top)
            }
            Source::Column(col) => {
                let (ids, strings) = (store.ids(col), store.strings(col));
                let labels = Labels {
                    count: strings.len(),
                    label: &|id| (strings.get(id).to_string(), None, None),
                };
                summarize(
                    store,
                    rows,
                    field,
                    &labels,
                    &|row| ids[row as usize],
                    failed,
                    top,
                )
            }
            Source::Origin => match &roots {
                Some(roots) => {
                    let by = Identities::of(store, rows, |row| roots[row as usize]);
                    by.summarize(store, rows, field, failed, top)
                }
                None => summarize(
                    store,
                    rows,
                    field,
                    &Labels {
                        count: 1,
                        label: &|_| (String::new(), None, None),
                    },
                    &|_| 0,
                    failed,
                    top,
                ),
            },
        })
        .collect();
    Overview {
        events: rows.len(),
        errors,
        span,
        fields,
    }
}

/// A field's values by id: how many ids there are (0 is "absent"), and each one's value,
/// account and exact filter ([`ValueSummary`]).
struct Labels<'a> {
    count: usize,
    #[allow(clippy::type_complexity)]
    label: &'a dyn Fn(u32) -> (String, Option<String>, Option<String>),
}

/// The principals of a set of rows as identities: a name in an account. Where a name is
/// that of principals of several accounts, each is its own value, labelled with its account.
struct Identities {
    /// Per store row (of the rows counted): its identity, 0 for none.
    of_row: Vec<u32>,
    /// Per identity (from 1): the row that shows it (the principal's own event, or the
    /// chain root's), and whether its name is shared.
    shown_by: Vec<(u32, bool)>,
}

impl Identities {
    /// `who(row)`: the row whose principal counts for `row` (itself, or its chain root).
    /// A name no other account's principal has here is one identity, by its principal id;
    /// only the rows of shared names are told apart by account.
    fn of(store: &Store, rows: &[u32], who: impl Fn(u32) -> u32) -> Identities {
        let principals = crate::store::Principals::of(store);
        let names = store.strings(Col::Principal).len();
        let roots: Vec<u32> = rows.iter().map(|&r| who(r)).collect();
        let shared = principals.shared_names(Some(&roots), names);
        // Ids below `names` are principal ids; a shared name's accounts get ids after them.
        let mut shown_by: Vec<(u32, bool)> = vec![(0, false); names];
        let mut split: std::collections::HashMap<(u32, u64), u32> =
            std::collections::HashMap::new();
        let mut of_row = vec![0u32; store.len()];
        for (&row, &at) in rows.iter().zip(&roots) {
            let p = principals.principal(at as usize);
            if p == 0 {
                continue;
            }
            let id = if shared[p as usize] {
                let next = shown_by.len() as u32;
                *split
                    .entry((p, principals.account(at as usize)))
                    .or_insert_with(|| {
                        shown_by.push((at, true));
                        next
                    })
            } else {
                if shown_by[p as usize].0 == 0 {
                    shown_by[p as usize] = (at, false);
                }
                p
            };
            of_row[row as usize] = id;
        }
        Identities { of_row, shown_by }
    }

    fn summarize(
        &self,
        store: &Store,
        rows: &[u32],
        field: &'static str,
        failed: &[u32],
        top: usize,
    ) -> FieldSummary {
        let label = |id: u32| {
            let (at, shared) = self.shown_by[id as usize];
            let at = at as usize;
            let name = store.get(Col::Principal, at).to_string();
            if !shared {
                return (name, None, None);
            }
            let account = store.principal_account(at).to_string();
            let term = if field == "origin" {
                // The chain's root by its ARN, else its key.
                let root = [Col::Arn, Col::AccessKey]
                    .iter()
                    .map(|&c| store.get(c, at))
                    .find(|v| !v.is_empty())
                    .unwrap_or(&name);
                crate::query::term_text("origin", root)
            } else {
                format!(
                    "{} {}",
                    crate::query::term_text(field, &name),
                    crate::query::term_text("account", &account)
                )
            };
            (name, Some(account), Some(term))
        };
        let labels = Labels {
            count: self.shown_by.len(),
            label: &label,
        };
        summarize(
            store,
            rows,
            field,
            &labels,
            &|row| self.of_row[row as usize],
            failed,
            top,
        )
    }
}

fn summarize(
    store: &Store,
    rows: &[u32],
    field: &'static str,
    labels: &Labels<'_>,
    id_of: &dyn Fn(u32) -> u32,
    failed: &[u32],
    top: usize,
) -> FieldSummary {
    #[derive(Clone, Copy)]
    struct Tally {
        count: u32,
        errors: u32,
        first: u32,
        last: u32,
    }
    let mut tally = vec![
        Tally {
            count: 0,
            errors: 0,
            first: 0,
            last: 0,
        };
        labels.count
    ];
    for &row in rows {
        let t = &mut tally[id_of(row) as usize];
        if t.count == 0 {
            t.first = row;
        }
        t.count += 1;
        t.errors += u32::from(failed[row as usize] != 0);
        t.last = row;
    }
    let absent = tally[0].count as usize;
    let mut seen: Vec<u32> = (1..tally.len() as u32)
        .filter(|&id| tally[id as usize].count > 0)
        .collect();
    let distinct = seen.len();
    let label: Vec<_> = {
        // Labelled once each: the order compares them.
        let mut label = vec![None; tally.len()];
        for &id in &seen {
            label[id as usize] = Some((labels.label)(id));
        }
        label
    };
    let order = |a: &u32, b: &u32| {
        tally[*b as usize]
            .count
            .cmp(&tally[*a as usize].count)
            .then_with(|| label[*a as usize].cmp(&label[*b as usize]))
    };
    if seen.len() > top {
        seen.select_nth_unstable_by(top, order);
        seen.truncate(top);
    }
    seen.sort_unstable_by(order);
    let top = seen
        .into_iter()
        .map(|id| {
            let t = tally[id as usize];
            let (value, account, term) = label[id as usize].clone().unwrap_or_default();
            ValueSummary {
                value,
                account,
                term,
                count: t.count as usize,
                errors: t.errors as usize,
                first: store.time(t.first as usize),
                last: store.time(t.last as usize),
            }
        })
        .collect();
    FieldSummary {
        field,
        distinct,
        absent,
        top,
    }
}

impl crate::output::Report for Overview {
    /// A record per value listed: its field, value, account, events, errors, first, last.
    fn records(&self) -> crate::output::Records {
        let when = |t: Option<i64>| {
            t.map(crate::event::format_time)
                .map_or(serde_json::Value::Null, Into::into)
        };
        let names = [
            "field", "value", "account", "events", "errors", "first", "last",
        ];
        crate::output::Records {
            columns: names.iter().map(|n| n.to_string()).collect(),
            rows: self
                .fields
                .iter()
                .flat_map(|f| {
                    f.top.iter().map(move |v| {
                        vec![
                            f.field.into(),
                            v.value.clone().into(),
                            v.account.clone().into(),
                            v.count.into(),
                            v.errors.into(),
                            when(v.first),
                            when(v.last),
                        ]
                    })
                })
                .collect(),
        }
    }

    fn write_as(
        &self,
        out: &mut dyn std::io::Write,
        format: crate::output::Format,
    ) -> Option<std::io::Result<()>> {
        match format {
            crate::output::Format::Table => Some(table(out, self)),
            crate::output::Format::Json => Some(json(out, self)),
            _ => None,
        }
    }
}

/// `summary -o table`: the totals, then per field its values in columns.
pub fn table(out: &mut dyn std::io::Write, o: &Overview) -> std::io::Result<()> {
    use crate::text::{sanitize, thousands};
    let when = |t: Option<i64>| t.map_or_else(|| "-".to_string(), crate::event::format_time);
    write!(
        out,
        "{} events, {} errors ({})",
        thousands(o.events),
        thousands(o.errors),
        share(o.errors, o.events)
    )?;
    match o.span {
        Some((a, b)) => writeln!(out, ", {} to {}", when(Some(a)), when(Some(b)))?,
        None => writeln!(out)?,
    }
    for f in &o.fields {
        let absent = if f.absent > 0 {
            format!(", {} without", thousands(f.absent))
        } else {
            String::new()
        };
        writeln!(
            out,
            "\n{} ({} distinct{absent})",
            f.field,
            thousands(f.distinct)
        )?;
        if f.top.is_empty() {
            continue;
        }
        writeln!(
            out,
            "  {:>9}  {:>6}  {:<20}  {:<20}  VALUE",
            "EVENTS", "ERRORS", "FIRST", "LAST"
        )?;
        for v in &f.top {
            writeln!(
                out,
                "  {:>9}  {:>6}  {:<20}  {:<20}  {}",
                thousands(v.count),
                share(v.errors, v.count),
                when(v.first),
                when(v.last),
                sanitize(&v.label())
            )?;
        }
        if f.distinct > f.top.len() {
            writeln!(
                out,
                "  … {} more {} (--top {} lists all)",
                thousands(f.distinct - f.top.len()),
                if f.distinct - f.top.len() == 1 {
                    "value"
                } else {
                    "values"
                },
                f.distinct
            )?;
        }
    }
    Ok(())
}

/// `summary -o json`: the same as one JSON object.
pub fn json(out: &mut dyn std::io::Write, o: &Overview) -> std::io::Result<()> {
    use serde_json::json;
    let when = |t: Option<i64>| t.map(crate::event::format_time);
    let fields: Vec<serde_json::Value> = o
        .fields
        .iter()
        .map(|f| {
            let top: Vec<serde_json::Value> = f
                .top
                .iter()
                .map(|v| {
                    let mut value = json!({
                        "value": v.value, "count": v.count, "errors": v.errors,
                        "first": when(v.first), "last": when(v.last),
                    });
                    if let (Some(account), Some(object)) = (&v.account, value.as_object_mut()) {
                        // A name several accounts' principals share: which one this is.
                        object.insert("account".into(), account.clone().into());
                    }
                    value
                })
                .collect();
            json!({ "field": f.field, "distinct": f.distinct, "absent": f.absent, "top": top })
        })
        .collect();
    let value = json!({
        "events": o.events,
        "errors": o.errors,
        "first": when(o.span.map(|s| s.0)),
        "last": when(o.span.map(|s| s.1)),
        "fields": fields,
    });
    writeln!(out, "{}", crate::output::minify(&value.to_string()))
}

/// `part` of `whole` as a percentage: `0%`, `<1%`, `4.2%`, `100%`.
pub fn share(part: usize, whole: usize) -> String {
    if part == 0 || whole == 0 {
        return "0%".into();
    }
    let percent = part as f64 * 100.0 / whole as f64;
    match percent {
        p if p < 1.0 => "<1%".into(),
        p if p >= 99.95 => "100%".into(),
        p if p < 10.0 => format!("{p:.1}%"),
        p => format!("{p:.0}%"),
    }
}
