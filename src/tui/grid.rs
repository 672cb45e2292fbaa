//! The timeline's columns: which fields show, in what order and how wide.
//!
//! Widths follow what the visible rows hold. When every column fits at the width measured
//! over the whole index, that width is kept, so paging never shifts a column. When not,
//! each column is only as wide as its widest visible value, so no column carries padding
//! while another's value is cut; the time, the event, the principal and the address come
//! first and are shown whole if they can be, the others join in [`DEFAULT`]'s order while
//! they fit, and what is left goes to what is still cut.

use crate::schema::{self, FieldDef, Matching, Storage};
use crate::store::{Col, Store};
use crate::text;

use super::columns::ValueCounts;

/// The columns when none were chosen, in the order they are shown. The screen shows as
/// many as fit: the time, event, principal and address first, then the others in this
/// order (source, region, error, account, message, tool, bucket, object key).
pub const DEFAULT: [&str; 12] = [
    "time",
    "name",
    "source",
    "principal",
    "ip",
    "region",
    "error",
    "account",
    "msg",
    "tool",
    "bucket",
    "object",
];

/// The columns kept to the last, in the order they give way last.
const FIRST: [&str; 4] = ["time", "name", "principal", "ip"];

/// Columns whose values are shown whole or not at all: an address, a time, an account.
const WHOLE: [&str; 5] = ["time", "ip", "region", "account", "key"];

/// The narrowest a cut column is shown (with its gap).
const FLOOR: usize = 12;

/// The widest a column measured over the whole index keeps when paging: a rare long value
/// widens it only while it is on screen.
const CAP: usize = 48;

/// The widest a column may be set to.
pub const MAX_WIDTH: usize = 200;

/// One chosen column: its field and, when set by hand, its width (with the gap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub field: &'static FieldDef,
    pub width: Option<usize>,
}

impl Column {
    pub fn of(field: &'static FieldDef) -> Column {
        Column { field, width: None }
    }

    /// How the case file and `:columns` write it: `name` or `name=30`.
    pub fn spec(&self) -> String {
        match self.width {
            Some(w) => format!("{}={w}", self.field.name),
            None => self.field.name.to_string(),
        }
    }
}

/// The order of the timeline when not by time: a column's values, ascending or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub field: &'static FieldDef,
    pub descending: bool,
}

impl Sort {
    /// How the case file and the status say it: `principal` or `-principal`.
    pub fn spec(&self) -> String {
        let sign = if self.descending { "-" } else { "" };
        format!("{sign}{}", self.field.name)
    }

    /// Reads `principal` or `-principal`: a sort by an indexed column.
    pub fn parse(spec: &str) -> Result<Sort, String> {
        let (descending, name) = match spec.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, spec),
        };
        match schema::named(name) {
            Some(field) if field_col(field).is_some() => Ok(Sort { field, descending }),
            _ => Err(format!("{name}: the timeline sorts by an indexed column")),
        }
    }

    /// `rows` in this order, time order kept among equal values.
    pub fn apply(&self, store: &Store, rows: &mut [u32]) {
        let Some(col) = field_col(self.field) else {
            return;
        };
        // Each value's place among the column's values, then a stable sort by it.
        let strings = store.strings(col);
        let mut values: Vec<(u32, &str)> = strings.values().collect();
        values.sort_by(|a, b| {
            a.1.to_lowercase()
                .cmp(&b.1.to_lowercase())
                .then(a.1.cmp(b.1))
        });
        let mut rank = vec![0u32; strings.len()];
        for (place, (id, _)) in values.iter().enumerate() {
            if let Some(r) = rank.get_mut(*id as usize) {
                *r = place as u32;
            }
        }
        let ids = store.ids(col);
        let key = |r: &u32| rank.get(ids[*r as usize] as usize).copied().unwrap_or(0);
        if self.descending {
            rows.sort_by_key(|r| std::cmp::Reverse(key(r)));
        } else {
            rows.sort_by_key(key);
        }
    }
}

/// What a key does in the columns list (`c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnEdit {
    /// The cursor, by rows.
    Move(isize),
    /// Shown or not.
    Toggle,
    /// The column earlier or later in the row.
    Shift(isize),
    /// Narrower or wider, by screen columns.
    Resize(isize),
    /// Its width back to what its values need.
    Auto,
    /// Sort by it: ascending, descending, time order again.
    Sort,
    /// The default columns in time order.
    Reset,
}

/// The `c` list: the columns shown, in order, then every other field.
pub fn picker(columns: &[Column]) -> Vec<&'static FieldDef> {
    let mut rows: Vec<&'static FieldDef> = columns.iter().map(|c| c.field).collect();
    rows.extend(available().filter(|f| !columns.iter().any(|c| c.field.name == f.name)));
    rows
}

/// Applies `edit` at `cursor` of the `c` list; what to say, if anything.
pub fn edit(
    columns: &mut Vec<Column>,
    sort: &mut Option<Sort>,
    cursor: &mut usize,
    edit: ColumnEdit,
) -> Option<String> {
    let list = picker(columns);
    let field = *list.get(*cursor)?;
    let at = columns.iter().position(|c| c.field.name == field.name);
    match (edit, at) {
        (ColumnEdit::Move(n), _) => {
            *cursor = (*cursor as isize + n).clamp(0, list.len() as isize - 1) as usize;
        }
        (ColumnEdit::Toggle, Some(at)) if columns.len() > 1 => {
            columns.remove(at);
            *cursor = (*cursor).min(list.len() - 1);
        }
        (ColumnEdit::Toggle, Some(_)) => return Some("the timeline keeps one column".into()),
        (ColumnEdit::Toggle, None) => {
            columns.push(Column::of(field));
            *cursor = columns.len() - 1;
        }
        (ColumnEdit::Shift(n), Some(at)) => {
            let to = (at as isize + n).clamp(0, columns.len() as isize - 1) as usize;
            let column = columns.remove(at);
            columns.insert(to, column);
            *cursor = to;
        }
        (ColumnEdit::Resize(n), Some(at)) => {
            let now = columns[at].width.unwrap_or(text::width(field.header) + 12);
            let width = (now as isize + n).clamp(2, MAX_WIDTH as isize) as usize;
            columns[at].width = Some(width);
            return Some(format!(
                "{} {} wide (= back to what its values need)",
                field.header,
                width - 1
            ));
        }
        (ColumnEdit::Auto, Some(at)) => columns[at].width = None,
        (ColumnEdit::Sort, _) if field_col(field).is_none() => {
            return Some(format!(
                "{}: the timeline sorts by an indexed column",
                field.name
            ));
        }
        (ColumnEdit::Sort, _) => {
            *sort = match *sort {
                Some(s) if s.field.name == field.name && !s.descending => Some(Sort {
                    field,
                    descending: true,
                }),
                Some(s) if s.field.name == field.name => None,
                _ => Some(Sort {
                    field,
                    descending: false,
                }),
            };
            return Some(match sort {
                Some(s) => format!(
                    "sorted by {} (s again: the other way, then time order)",
                    s.spec()
                ),
                None => "in time order".into(),
            });
        }
        (ColumnEdit::Reset, _) => {
            *columns = default_columns();
            *sort = None;
            *cursor = 0;
            return Some("the default columns, in time order".into());
        }
        (_, None) => return Some(format!("{} is not shown (Space shows it)", field.header)),
    }
    None
}

/// The fields a column can show: every field with a value per event.
pub fn available() -> impl Iterator<Item = &'static FieldDef> {
    schema::FIELDS.iter().filter(|f| {
        !matches!(
            f.storage,
            Storage::TimeBound(_) | Storage::FirstSeen | Storage::Level
        ) && f.name != "identity"
    })
}

/// The default columns.
pub fn default_columns() -> Vec<Column> {
    DEFAULT
        .iter()
        .filter_map(|name| schema::named(name))
        .map(Column::of)
        .collect()
}

/// Reads `name,principal=30,ip` (`:columns`, the case file): the columns, or what is wrong.
pub fn parse(spec: &str) -> Result<Vec<Column>, String> {
    let mut columns: Vec<Column> = Vec::new();
    for part in spec.split([',', ' ']).filter(|p| !p.is_empty()) {
        let (name, width) = match part.split_once('=') {
            Some((name, width)) => match width.parse::<usize>() {
                Ok(w) if (2..=MAX_WIDTH).contains(&w) => (name, Some(w)),
                _ => return Err(format!("{part}: a width is 2 to {MAX_WIDTH}")),
            },
            None => (part, None),
        };
        let Some(field) = available().find(|f| f.name.eq_ignore_ascii_case(name)) else {
            return Err(format!("{name}: not a column (c lists them)"));
        };
        if columns.iter().any(|c| c.field.name == field.name) {
            return Err(format!("{name}: named twice"));
        }
        columns.push(Column { field, width });
    }
    if columns.is_empty() {
        return Err("no columns named".into());
    }
    Ok(columns)
}

/// The column a field shows, when it is an indexed one.
pub fn field_col(def: &FieldDef) -> Option<Col> {
    match def.storage {
        Storage::Columns(cols) => cols.first().copied(),
        _ => None,
    }
}

/// An IAM Identity Center role as the console names it: `AWSReservedSSO_Admin_0123…/alice`
/// → `SSO:Admin/alice` (the permission set and the session, what tells people apart).
fn sso(principal: &str) -> Option<String> {
    let (role, session) = principal.split_once('/').unwrap_or((principal, ""));
    let rest = role.strip_prefix("AWSReservedSSO_")?;
    let set = match rest.rsplit_once('_') {
        Some((set, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => set,
        _ => rest,
    };
    Some(match session {
        "" => format!("SSO:{set}"),
        _ => format!("SSO:{set}/{session}"),
    })
}

/// A value as the timeline shows it: a service without `.amazonaws.com` (as the event
/// source, the caller's address or the principal), an Identity Center role by its
/// permission set; the detail pane shows each whole.
pub fn shown(def: &FieldDef, value: &str) -> String {
    if def.name == "principal" {
        if let Some(short) = sso(value) {
            return short;
        }
    }
    match def.matching {
        Matching::Service | Matching::Address => value
            .strip_suffix(".amazonaws.com")
            .unwrap_or(value)
            .to_string(),
        _ => value.to_string(),
    }
}

/// The share of events whose value a column shows whole at its measured width.
const SHOWN_WHOLE: f64 = 0.99;

/// The width each field's column would like (value plus one column of gap), by index into
/// [`schema::FIELDS`]: over the whole index, the 99th percentile by events within [`CAP`]
/// (the longest, for a column never cut); 0 for a field not measured.
pub fn natural_widths(store: &Store, counts: &ValueCounts) -> Vec<usize> {
    schema::FIELDS
        .iter()
        .map(|def| {
            let header = text::width(def.header) + 1;
            let Some(col) = field_col(def) else {
                return 0;
            };
            let per_id = counts.get(col);
            let mut lengths: Vec<(usize, usize)> = store
                .strings(col)
                .values()
                .filter(|(id, _)| *id != 0)
                .map(|(id, value)| {
                    let n = per_id.get(id as usize).copied().unwrap_or(1);
                    (text::width(&text::sanitize(&shown(def, value))) + 1, n)
                })
                .filter(|&(_, n)| n > 0)
                .collect();
            if def.name == "name" {
                // Insights events show what they are about where others show their eventName.
                lengths.extend(
                    store
                        .strings(Col::Insight)
                        .values()
                        .filter(|(id, _)| *id != 0)
                        .map(|(_, v)| (text::width(&text::sanitize(v)) + "Insight ".len() + 1, 1)),
                );
            }
            lengths.sort_unstable();
            let wanted = if WHOLE.contains(&def.name) {
                lengths.last().map_or(0, |(w, _)| *w)
            } else {
                let total: usize = lengths.iter().map(|(_, n)| n).sum();
                let threshold = (total as f64 * SHOWN_WHOLE).ceil() as usize;
                let mut seen = 0;
                lengths
                    .iter()
                    .find(|(_, n)| {
                        seen += n;
                        seen >= threshold
                    })
                    .map_or(0, |(w, _)| (*w).min(CAP))
            };
            wanted.max(header)
        })
        .collect()
}

/// What fitting needs of one column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// Its widest visible value or header, with the gap.
    pub visible: usize,
    /// The width of each visible value, with the gap.
    pub cells: Vec<usize>,
    /// Its width measured over the whole index (0: not measured).
    pub natural: usize,
    /// Shown whole or not at all.
    pub whole: bool,
    /// Set by hand.
    pub fixed: Option<usize>,
    /// Where it comes in giving way: lower is kept longer.
    pub rank: usize,
}

impl Need {
    /// The column's need for one chosen column: `visible` measured by the caller.
    pub fn of(column: &Column, position: usize, cells: Vec<usize>, natural: &[usize]) -> Need {
        let visible = cells.iter().copied().max().unwrap_or(0);
        let name = column.field.name;
        let index = schema::FIELDS
            .iter()
            .position(|f| f.name == name)
            .unwrap_or(0);
        let rank = FIRST
            .iter()
            .position(|f| *f == name)
            .unwrap_or(FIRST.len() + position);
        Need {
            visible: visible.max(text::width(column.field.header) + 1),
            cells,
            natural: natural.get(index).copied().unwrap_or(0),
            whole: WHOLE.contains(&name),
            fixed: column.width,
            rank,
        }
    }

    /// The width it takes when nothing is cut.
    fn want(&self) -> usize {
        self.fixed.unwrap_or(self.visible)
    }

    /// The width that shows nine in ten of its visible values whole (all, for the event
    /// name and a column never cut or set by hand).
    fn typical(&self) -> usize {
        if self.fixed.is_some() || self.whole || self.rank < 2 {
            return self.want();
        }
        let mut cells = self.cells.clone();
        cells.sort_unstable();
        let at = (cells.len() * 9).div_ceil(10).saturating_sub(1);
        cells.get(at).copied().unwrap_or(0).max(self.least())
    }

    /// The width it takes at least when shown.
    fn least(&self) -> usize {
        match (self.fixed, self.whole) {
            (Some(w), _) => w,
            (None, true) => self.visible,
            (None, false) => self.visible.min(FLOOR),
        }
    }
}

/// Whether `widths` show the event name, the principal and the address whole.
pub fn first_whole(needs: &[Need], widths: &[usize]) -> bool {
    needs
        .iter()
        .zip(widths)
        .all(|(n, &w)| n.rank >= FIRST.len() || w >= n.want())
}

/// The widths to draw `needs` at in `width` columns; a column not shown is 0 wide.
pub fn fit(needs: &[Need], width: usize) -> Vec<usize> {
    // Everything at its whole-index width: kept while paging.
    let stable: Vec<usize> = needs
        .iter()
        .map(|n| n.fixed.unwrap_or(n.visible.max(n.natural)))
        .collect();
    if stable.iter().sum::<usize>() <= width {
        return stable;
    }
    let want: Vec<usize> = needs.iter().map(Need::want).collect();
    let total: usize = want.iter().sum();
    if total <= width {
        // Everything whole; what is left brings columns back to their whole-index width.
        let mut widths = want;
        let mut room = width - total;
        let mut order: Vec<usize> = (0..needs.len()).collect();
        order.sort_by_key(|&i| needs[i].rank);
        for i in order {
            let more = stable[i].saturating_sub(widths[i]).min(room);
            widths[i] += more;
            room -= more;
        }
        return widths;
    }
    let mut order: Vec<usize> = (0..needs.len()).collect();
    order.sort_by_key(|&i| needs[i].rank);
    let mut widths = vec![0; needs.len()];
    // The first columns at least at their floor; the others only while every column
    // taken so far shows most of its visible values whole (a rare long one may be cut).
    let mut taken = 0;
    let mut wanted = 0;
    for &i in &order {
        let least = needs[i].least();
        let first = needs[i].rank < FIRST.len();
        let fits = if first {
            taken + least <= width
        } else {
            wanted + least <= width
        };
        if fits {
            widths[i] = least;
            taken += least;
            wanted += needs[i].typical();
        }
    }
    let mut room = width.saturating_sub(taken);
    // What is left goes to what is cut: the event's name whole first, then the first
    // columns, then the others; each time to the column where it makes the most visible
    // values whole per column given.
    for ranks in [2, FIRST.len(), usize::MAX] {
        room = widen(needs, &mut widths, room, ranks);
    }
    // Any room still left: to the columns kept longest, up to what they want.
    for &i in &order {
        if widths[i] > 0 {
            let more = want[i].saturating_sub(widths[i]).min(room);
            widths[i] += more;
            room -= more;
        }
    }
    widths
}

/// Gives `room` to the cut columns ranked below `ranks`, where it makes the most visible
/// values whole per column given; returns what is left.
fn widen(needs: &[Need], widths: &mut [usize], mut room: usize, ranks: usize) -> usize {
    loop {
        let mut best: Option<(usize, usize, f64)> = None;
        for (i, need) in needs.iter().enumerate() {
            let now = widths[i];
            if now == 0 || need.fixed.is_some() || need.rank >= ranks {
                continue;
            }
            for &to in need.cells.iter().filter(|&&w| w > now && w - now <= room) {
                let whole = need.cells.iter().filter(|&&w| w > now && w <= to).count();
                let gain = whole as f64 / (to - now) as f64;
                if best.is_none_or(|(_, _, g)| gain > g) {
                    best = Some((i, to, gain));
                }
            }
        }
        let Some((i, to, _)) = best else {
            return room;
        };
        room -= to - widths[i];
        widths[i] = to;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(visible: usize, whole: bool, rank: usize) -> Need {
        Need {
            visible,
            cells: vec![visible],
            natural: 0,
            whole,
            fixed: None,
            rank,
        }
    }

    #[test]
    fn everything_fits_at_the_whole_index_width() {
        let mut needs = [need(20, true, 0), need(18, false, 1), need(9, true, 2)];
        needs[1].natural = 30;
        assert_eq!(fit(&needs, 100), [20, 30, 9]);
        // Not room for the whole-index width: as wide as the visible values, then the rest.
        assert_eq!(fit(&needs, 50), [20, 21, 9]);
    }

    #[test]
    fn no_padding_beside_a_cut_value() {
        // time, name, principal, ip, then source and error.
        let needs = [
            need(20, true, 0),
            need(25, false, 1),
            need(40, false, 2),
            need(16, true, 3),
            need(15, false, 4),
            need(30, false, 5),
        ];
        let widths = fit(&needs, 90);
        assert_eq!(widths, [20, 25, 29, 16, 0, 0]);
        for (w, n) in widths.iter().zip(&needs) {
            assert!(*w <= n.visible);
        }
        // Room for the first four whole: the source whole, the error cut to the rest.
        assert_eq!(fit(&needs, 130), [20, 25, 40, 16, 15, 14]);
    }

    #[test]
    fn an_address_is_whole_or_not_shown() {
        let needs = [
            need(9, true, 0),
            need(20, false, 1),
            need(30, false, 2),
            need(40, true, 3),
        ];
        for width in 0..120 {
            let w = fit(&needs, width);
            assert!(w[3] == 0 || w[3] == 40, "{width}: {w:?}");
            assert!(
                w.iter().sum::<usize>() <= width.max(9 + 12 + 12),
                "{width}: {w:?}"
            );
        }
        assert_eq!(fit(&needs, 80), [9, 19, 12, 40]);
        assert_eq!(fit(&needs, 70), [9, 20, 30, 0]);
        assert_eq!(fit(&needs, 90), [9, 20, 21, 40]);
    }

    #[test]
    fn sso_roles_by_their_permission_set() {
        let principal = schema::named("principal").map(|d| {
            shown(
                d,
                "AWSReservedSSO_AdministratorAccess_7c1a5e3f2b9d4e61/carol@example.com",
            )
        });
        assert_eq!(
            principal.as_deref(),
            Some("SSO:AdministratorAccess/carol@example.com")
        );
        assert_eq!(
            sso("AWSReservedSSO_Read_Only/bob").as_deref(),
            Some("SSO:Read_Only/bob")
        );
        assert_eq!(sso("OrganizationAccountAccessRole/ci"), None);
    }

    #[test]
    fn columns_parse_and_say_what_is_wrong() {
        let columns = parse("name, principal=30,ip").unwrap_or_default();
        let specs: Vec<String> = columns.iter().map(Column::spec).collect();
        assert_eq!(specs, ["name", "principal=30", "ip"]);
        assert_eq!(
            parse("nme").err().as_deref(),
            Some("nme: not a column (c lists them)")
        );
        assert_eq!(parse("ip,ip").err().as_deref(), Some("ip: named twice"));
        assert_eq!(
            parse("ip=1").err().as_deref(),
            Some("ip=1: a width is 2 to 200")
        );
        assert_eq!(parse(" ").err().as_deref(), Some("no columns named"));
    }
}
