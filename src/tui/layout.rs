//! Where everything is on screen for a terminal size: computed once per frame, used by
//! drawing and by mouse hits alike. Depends on nothing else of the explorer.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Block;

/// Rows of the histogram (bars + axis).
pub const HISTOGRAM_ROWS: u16 = 5;

/// From this width the timeline and the detail pane are side by side; on a narrower
/// terminal the focused one takes the width (Tab switches).
pub const SIDE_BY_SIDE: u16 = 100;

/// The smallest terminal the explorer draws in; below it the screen says so.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// The detail pane's width beside the timeline on a screen `width` wide: `set` by hand
/// (`<` `>`), else what the widest line of the events shown so far needs, between a third
/// and three eighths of the screen (`fitted`: the width so far on this screen, kept so that
/// the timeline's columns do not shift from event to event).
pub fn detail_width(width: u16, set: Option<u16>, content: usize, fitted: &mut (u16, u16)) -> u16 {
    if let Some(set) = set {
        return set.clamp(MIN_DETAIL, width.saturating_sub(MIN_DETAIL).max(MIN_DETAIL));
    }
    let (least, most) = (width / 3, width * 3 / 8);
    if fitted.0 != width {
        *fitted = (width, least);
    }
    let want = (content.min(usize::from(u16::MAX)) as u16).saturating_add(3);
    fitted.1 = fitted.1.max(want.clamp(least, most));
    fitted.1
}

/// The narrowest either pane is made by hand.
pub const MIN_DETAIL: u16 = 30;

/// Where everything is on screen for a given terminal size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Geometry {
    pub banner: Rect,
    pub filter: Rect,
    pub timeline: Rect,
    pub histogram: Rect,
    /// The column headers above the list.
    pub header: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub summary: Rect,
    pub json: Rect,
    pub status: Rect,
}

impl Geometry {
    /// `<` `>` (`n` columns) and `=` (0): the detail pane's width set by hand (`None`: fitted
    /// to the events again), and what to say.
    pub fn resized(&self, n: i16) -> (Option<u16>, String) {
        let set = match n {
            0 => None,
            n => Some(self.detail.width.saturating_add_signed(n).max(MIN_DETAIL)),
        };
        let said = match set {
            _ if self.timeline.width == 0 || self.detail.width == 0 => {
                "one pane at a time below 100 columns (Tab switches)".to_string()
            }
            Some(w) => format!("detail pane {w} wide (= fits it to the events again)"),
            None => "the detail pane fits the events".to_string(),
        };
        (set, said)
    }

    /// `banner`: whether the demo banner takes the top row; `summary_rows`: the rows of
    /// the detail pane's summary, above the JSON; `detail`: whether the detail pane has the
    /// focus; `detail_width`: its width beside the timeline. Below [`SIDE_BY_SIDE`] columns
    /// one pane is shown at a time, the focused one. Too small an `area` gets an empty
    /// geometry: nothing is drawn and nothing is hit.
    pub fn of(
        area: Rect,
        banner: bool,
        summary_rows: u16,
        detail: bool,
        detail_width: u16,
    ) -> Geometry {
        if Geometry::too_small(area) {
            return Geometry::default();
        }
        let banner_rows = u16::from(banner);
        let [banner, filter, main, status] = Layout::vertical([
            Constraint::Length(banner_rows),
            Constraint::Length(3),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        let detail_width = match (area.width < SIDE_BY_SIDE, detail) {
            (false, _) => detail_width.min(area.width / 2),
            (true, false) => 0,
            (true, true) => area.width,
        };
        let [timeline, detail] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(detail_width)]).areas(main);
        let inner = Block::bordered().inner(timeline);
        let [histogram, header, list] = Layout::vertical([
            Constraint::Length(HISTOGRAM_ROWS),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
        let detail_inner = Block::bordered().inner(detail);
        let [summary, json] =
            Layout::vertical([Constraint::Length(summary_rows), Constraint::Min(0)])
                .areas(detail_inner);
        Geometry {
            banner,
            filter,
            timeline,
            histogram,
            header,
            list,
            detail,
            summary,
            json,
            status,
        }
    }

    /// Whether `area` is too small to draw the explorer in.
    pub fn too_small(area: Rect) -> bool {
        area.width < MIN_WIDTH || area.height < MIN_HEIGHT
    }

    pub fn list_height(&self) -> usize {
        self.list.height as usize
    }

    pub fn detail_height(&self) -> usize {
        self.json.height as usize
    }

    pub fn histogram_width(&self) -> usize {
        self.histogram.width as usize
    }

    /// The index into the result of the list row at screen line `y`.
    pub fn row_at(&self, y: u16, offset: usize) -> Option<usize> {
        (y >= self.list.y && y < self.list.y + self.list.height)
            .then(|| offset + (y - self.list.y) as usize)
    }

    /// The histogram column (bucket) at screen position (`x`, `y`), if it is over the bars.
    pub fn bucket_at(&self, x: u16, y: u16) -> Option<usize> {
        let h = self.histogram;
        (x >= h.x && x < h.x + h.width && y >= h.y && y < h.y + h.height)
            .then(|| (x - h.x) as usize)
    }

    pub fn in_detail(&self, x: u16) -> bool {
        x >= self.detail.x && self.detail.width > 0
    }
}
