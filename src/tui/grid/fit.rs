//! Fitting the timeline's columns to the pane: each column's width measured over the whole
//! index, and the widths a frame draws at, from what its visible rows hold (see the module
//! above for the rules).

use crate::schema::{self};
use crate::store::{Col, Store};
use crate::text;

use super::{field_col, shown, Column};
use crate::tui::columns::ValueCounts;

/// The columns kept to the last, in the order they give way last.
const FIRST: [&str; 4] = ["time", "name", "principal", "ip"];

/// Columns whose values are shown whole or not at all: an address, a time, an account.
const WHOLE: [&str; 5] = ["time", "ip", "region", "account", "key"];

/// The narrowest a cut column is shown (with its gap).
const FLOOR: usize = 12;

/// The widest a column measured over the whole index keeps when paging: a rare long value
/// widens it only while it is on screen.
const CAP: usize = 48;

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
}
