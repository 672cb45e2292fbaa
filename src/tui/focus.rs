//! Where the keys go: the pane that has the keyboard, and the overlay drawn over the panes
//! (each with its own key bindings in the key table).

use super::layout::Geometry;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Timeline,
    Detail,
    Filter,
    /// The one-line prompt (a note, a search, a command).
    Prompt,
}

/// What is drawn over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    /// Every key, from this line on.
    Help {
        offset: usize,
    },
    /// The problems of the load, from this line on.
    Problems {
        offset: usize,
    },
    /// The rules that fired (the detections' view).
    Detections,
    /// The credential chains' origins, most suspicious first (`S`).
    Suspects,
    /// The overview of the result.
    Overview,
    /// The marked events.
    Marks,
    /// The timeline's columns (`c`).
    Columns,
}

/// What the screen shows: the pane with the keyboard, the overlay, and where everything
/// is (worked out for each frame's size; drawing and mouse hits share it).
#[derive(Debug, Clone)]
pub struct Screen {
    pub focus: Focus,
    /// The focus to return to when the filter bar is left.
    pub focus_before_filter: Focus,
    pub overlay: Overlay,
    pub geometry: Geometry,
    /// A count being typed before a motion (`5` of `5j`).
    pub count: Option<u32>,
    /// The text `/` finds in a list over the panes (lowercase).
    pub overlay_find: Option<String>,
    /// `z` was pressed in the detail pane: the next key folds (`zc`, `zo`, `zM`, `zR`).
    pub fold_prefix: bool,
    /// The detail pane's width set by hand (`<` `>`, the case).
    pub detail_set: Option<u16>,
    /// The detail pane's width fitted to the events shown, per screen width.
    pub detail_fitted: (u16, u16),
}

/// The largest count before a motion (`99999j`).
const MAX_COUNT: u32 = 99_999;

impl Screen {
    /// A digit typed before a motion: the count so far.
    pub fn count_digit(&mut self, digit: u8) -> u32 {
        let count = (self.count.unwrap_or(0) * 10 + u32::from(digit)).min(MAX_COUNT);
        self.count = Some(count);
        count
    }
}

impl Default for Screen {
    fn default() -> Self {
        Screen {
            focus: Focus::Timeline,
            focus_before_filter: Focus::Timeline,
            overlay: Overlay::None,
            geometry: Geometry::default(),
            count: None,
            fold_prefix: false,
            overlay_find: None,
            detail_set: None,
            detail_fitted: (0, 0),
        }
    }
}
