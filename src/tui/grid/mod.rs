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

mod fit;

pub use fit::{first_whole, fit, natural_widths, Need};

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

#[cfg(test)]
mod tests {
    use super::*;

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
