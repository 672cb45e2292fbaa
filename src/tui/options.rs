//! The explorer's options (`:set`, `:columns`, `:sort`, and the view the case keeps): read
//! from text that may come from a hand-edited case file, and written back for the case.

use std::collections::BTreeMap;

use super::grid::{self, Column, Sort};
use super::layout::MIN_DETAIL;
use super::theme::Theme;

/// One option, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// The timeline's columns, in order.
    Columns(Vec<Column>),
    /// The timeline's order: a column's, or time order.
    Sort(Option<Sort>),
    /// The detail pane's width set by hand.
    Detail(u16),
    /// Long lines of the detail pane wrap.
    Wrap(bool),
    Theme(Theme),
    /// The rules muted in this case.
    Mute(Vec<Mute>),
}

/// A rule muted in this case (like lnav's filter-out): its hits keep the rule but lose their
/// level, for every principal or for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mute {
    /// The rule's id (its title when it has none).
    pub rule: String,
    pub principal: Option<String>,
}

impl Mute {
    /// `RULE` or `RULE for PRINCIPAL`.
    pub fn spec(&self) -> String {
        match &self.principal {
            Some(p) => format!("{} for {p}", self.rule),
            None => self.rule.clone(),
        }
    }

    /// Reads `RULE[ for PRINCIPAL];…` (principals' names hold no space).
    pub fn parse_list(text: &str) -> Vec<Mute> {
        text.split(';')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(|m| match m.rsplit_once(" for ") {
                Some((rule, principal)) if !principal.contains(' ') => Mute {
                    rule: rule.trim().to_string(),
                    principal: Some(principal.to_string()),
                },
                _ => Mute {
                    rule: m.to_string(),
                    principal: None,
                },
            })
            .collect()
    }

    pub fn spec_list(muted: &[Mute]) -> String {
        muted.iter().map(Mute::spec).collect::<Vec<_>>().join(";")
    }
}

/// Reads `name` = `value`: the setting, or what is wrong with it.
pub fn parse(name: &str, value: &str) -> Result<Setting, String> {
    Ok(match (name, value) {
        ("columns", spec) => Setting::Columns(grid::parse(spec)?),
        ("sort", "" | "time") => Setting::Sort(None),
        ("sort", spec) => Setting::Sort(Some(Sort::parse(spec)?)),
        ("detail", width) => Setting::Detail(
            width
                .parse::<u16>()
                .map_err(|_| format!("detail: a width in columns, not `{width}`"))?
                .clamp(MIN_DETAIL, 1000),
        ),
        ("wrap", "" | "on") => Setting::Wrap(true),
        ("wrap", "off") => Setting::Wrap(false),
        ("theme", "dark") => Setting::Theme(Theme::Dark),
        ("theme", "light") => Setting::Theme(Theme::Light),
        ("theme", "mono") => Setting::Theme(Theme::Mono),
        ("theme", _) => return Err("theme: dark, light or mono".into()),
        ("mute", list) => Setting::Mute(Mute::parse_list(list)),
        (name, _) => {
            return Err(format!(
            "unknown option `{name}`: wrap, nowrap, theme=dark|light|mono, columns=…, sort=FIELD, mute=RULE[ for PRINCIPAL];…"
        ))
        }
    })
}

/// What the case keeps of the view: the columns unless the default, the sort, the detail
/// pane's width set by hand.
pub fn view(
    columns: &[Column],
    sort: Option<Sort>,
    detail: Option<u16>,
) -> BTreeMap<String, String> {
    let mut view = BTreeMap::new();
    if columns != grid::default_columns() {
        let specs: Vec<String> = columns.iter().map(Column::spec).collect();
        view.insert("columns".to_string(), specs.join(","));
    }
    if let Some(sort) = sort {
        view.insert("sort".to_string(), sort.spec());
    }
    if let Some(width) = detail {
        view.insert("detail".to_string(), width.to_string());
    }
    view
}

/// The options of the case's view that are set when it is restored.
pub const KEPT: [&str; 4] = ["columns", "sort", "detail", "mute"];
