//! Where everything is on screen for a terminal size: computed once per frame, used by
//! drawing and by mouse hits alike. Depends on nothing else of the explorer.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Block;

/// Rows of the detail pane's summary, above the JSON.
pub const SUMMARY_ROWS: u16 = 6;
/// Rows of the histogram (bars + axis).
pub const HISTOGRAM_ROWS: u16 = 5;

/// Where everything is on screen for a given terminal size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Geometry {
    pub banner: Rect,
    pub filter: Rect,
    pub timeline: Rect,
    pub histogram: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub summary: Rect,
    pub json: Rect,
    pub status: Rect,
}

impl Geometry {
    /// `banner`: whether the demo banner takes the top row.
    pub fn of(area: Rect, banner: bool) -> Geometry {
        let banner_rows = u16::from(banner);
        let [banner, filter, main, status] = Layout::vertical([
            Constraint::Length(banner_rows),
            Constraint::Length(3),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        let [timeline, detail] =
            Layout::horizontal([Constraint::Percentage(56), Constraint::Percentage(44)])
                .areas(main);
        let inner = Block::bordered().inner(timeline);
        let [histogram, list] =
            Layout::vertical([Constraint::Length(HISTOGRAM_ROWS), Constraint::Min(0)]).areas(inner);
        let detail_inner = Block::bordered().inner(detail);
        let [summary, json] =
            Layout::vertical([Constraint::Length(SUMMARY_ROWS), Constraint::Min(0)])
                .areas(detail_inner);
        Geometry {
            banner,
            filter,
            timeline,
            histogram,
            list,
            detail,
            summary,
            json,
            status,
        }
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

    pub fn in_detail(&self, x: u16) -> bool {
        x >= self.detail.x && self.detail.width > 0
    }
}
