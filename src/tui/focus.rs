//! Where the keys go: the pane that has the keyboard, and the overlay drawn over the panes
//! (each with its own key bindings in the key table).

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
    /// The rules that fired, this one selected.
    Detections {
        selected: usize,
    },
    /// The overview of the result (`App::overview`), this value selected.
    Overview {
        selected: usize,
    },
    /// The marked events, this one selected.
    Marks {
        selected: usize,
    },
}
