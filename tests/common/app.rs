//! Driving the explorer's `App` by actions at a 160×45 screen: shared by the tests of
//! credential chains and of the investigator's verbs.
#![allow(dead_code)]

use ratatui::layout::Rect;
use trailscope::load::{LoadOptions, LoadReport, Progress};
use trailscope::store::Store;
use trailscope::tui::app::{Action, App};
use trailscope::tui::line_editor::Edit;

pub const AREA: Rect = Rect::new(0, 0, 160, 45);

/// Applies `action` and lays the screen out, as a frame of the explorer would.
pub fn act(app: &mut App, action: Action) {
    app.apply(action);
    app.prepare(AREA);
}

/// An explorer on a loaded index.
pub fn open(store: Store, report: LoadReport, demo: bool) -> App {
    let mut app = App::new(String::new(), demo);
    act(&mut app, Action::loaded(store, report));
    app
}

/// An explorer on the built-in demo.
pub fn demo() -> App {
    let (store, report) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    open(store, report, true)
}

/// Replaces the filter with `text`, typed and kept as a user would.
pub fn filter(app: &mut App, text: &str) {
    act(app, Action::EditFilter);
    act(app, Action::FilterEdit(Edit::DeleteToStart));
    for c in text.chars() {
        app.apply(Action::FilterChar(c));
    }
    act(app, Action::FilterAccept);
}

/// The demo opened with `case` as its case file, the case restored.
pub fn demo_with_case(case: &std::path::Path) -> App {
    let (store, report) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), true).with_case(case.to_path_buf(), vec!["demo".into()]);
    act(&mut app, Action::loaded(store, report));
    app
}
