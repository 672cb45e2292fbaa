//! The explorer on 1M events: a keystroke in the filter bar to the redrawn screen with the
//! new result, and scrolling a page, rendered on ratatui's TestBackend at 160×45.
//! `cargo bench --bench explorer` (see BENCHMARKS.md).

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use trailscope::load::LoadReport;
use trailscope::tui::app::{Action, App};
use trailscope::tui::draw;
use trailscope::tui::line_editor::Edit;

mod common;

fn frame(terminal: &mut Terminal<TestBackend>, app: &mut App) {
    terminal
        .draw(|f| {
            app.prepare(f.area());
            draw::draw(f, app);
        })
        .expect("draw");
}

fn explorer(c: &mut Criterion) {
    let store = common::store();
    let mut app = App::new(String::new(), false);
    app.apply(Action::loaded(store, LoadReport::default()));
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
    frame(&mut terminal, &mut app);

    let mut group = c.benchmark_group("explorer_1m");
    // The last keystroke of a filter: the bar holds all but its last character.
    for (label, typed, last) in [
        (
            "keystroke to screen: field name:CreateAccessKe|y",
            "name:CreateAccessKe",
            'y',
        ),
        ("keystroke to screen: fuzzy crtacck|y", "crtacck", 'y'),
    ] {
        app.apply(Action::EditFilter);
        for c in typed.chars() {
            app.apply(Action::FilterChar(c));
        }
        // Only the keystroke and the frame are timed; undoing it is not.
        group.bench_function(label, |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    app.apply(Action::FilterChar(last));
                    frame(&mut terminal, &mut app);
                    timed += start.elapsed();
                    app.apply(Action::FilterEdit(Edit::Backspace));
                }
                timed
            })
        });
        app.apply(Action::FilterCancel);
    }
    app.apply(Action::FilterCancel);
    // Baseline in the same run: redrawing the screen with nothing changed.
    group.bench_function("baseline: redraw an unchanged screen", |b| {
        b.iter(|| frame(&mut terminal, &mut app))
    });
    group.bench_function("scroll a page and redraw", |b| {
        let mut down = true;
        b.iter(|| {
            if app.timeline.selected + 2 * app.timeline.page >= app.timeline.rows.len() {
                down = false;
            } else if app.timeline.selected < app.timeline.page {
                down = true;
            }
            app.apply(Action::Page(if down { 1 } else { -1 }));
            frame(&mut terminal, &mut app);
        })
    });
    group.finish();
}

criterion_group!(benches, explorer);
criterion_main!(benches);
