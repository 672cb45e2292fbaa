//! Regenerates `screenshots/*.png` from the real renderer: the explorer is driven on the
//! built-in demo with the same actions a user's keys make, drawn on ratatui's TestBackend,
//! and each cell of the buffer is painted with DejaVu Sans Mono (assets/fonts).
//! `cargo run --release --example screenshots`.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

use trailscope::detect::RuleSet;
use trailscope::load::{LoadOptions, Progress};
use trailscope::store::Store;
use trailscope::tui::app::{Action, App};
use trailscope::tui::line_editor::Edit;
use trailscope::tui::render;

const COLS: u16 = 160;
const ROWS: u16 = 45;
const FONT_PX: f32 = 15.0;
const CELL_W: usize = 9;
const CELL_H: usize = 19;
const BACKGROUND: [u8; 3] = [0x1c, 0x1f, 0x26];
const FOREGROUND: [u8; 3] = [0xd8, 0xdc, 0xe2];

fn apply(app: &mut App, action: Action) {
    app.apply(action);
    app.prepare(Rect::new(0, 0, COLS, ROWS));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        apply(app, Action::FilterChar(c));
    }
}

/// The xterm 256-colour palette, and the 16 named colours as a dark theme shows them.
fn rgb(color: Color, default: [u8; 3]) -> [u8; 3] {
    const NAMED: [[u8; 3]; 16] = [
        [0x1c, 0x1f, 0x26],
        [0xe0, 0x6c, 0x75],
        [0x98, 0xc3, 0x79],
        [0xe5, 0xc0, 0x7b],
        [0x61, 0xaf, 0xef],
        [0xc6, 0x78, 0xdd],
        [0x56, 0xb6, 0xc2],
        [0xd8, 0xdc, 0xe2],
        [0x6b, 0x72, 0x80],
        [0xff, 0x7b, 0x85],
        [0xb5, 0xe8, 0x90],
        [0xff, 0xd8, 0x8a],
        [0x82, 0xc4, 0xff],
        [0xe0, 0x9e, 0xf5],
        [0x7f, 0xd8, 0xe4],
        [0xff, 0xff, 0xff],
    ];
    match color {
        Color::Reset => default,
        Color::Black => NAMED[0],
        Color::Red => NAMED[1],
        Color::Green => NAMED[2],
        Color::Yellow => NAMED[3],
        Color::Blue => NAMED[4],
        Color::Magenta => NAMED[5],
        Color::Cyan => NAMED[6],
        Color::Gray => NAMED[7],
        Color::DarkGray => NAMED[8],
        Color::LightRed => NAMED[9],
        Color::LightGreen => NAMED[10],
        Color::LightYellow => NAMED[11],
        Color::LightBlue => NAMED[12],
        Color::LightMagenta => NAMED[13],
        Color::LightCyan => NAMED[14],
        Color::White => NAMED[15],
        Color::Rgb(r, g, b) => [r, g, b],
        Color::Indexed(i) if i < 16 => NAMED[i as usize],
        Color::Indexed(i) if i >= 232 => {
            let v = 8 + (i - 232) * 10;
            [v, v, v]
        }
        Color::Indexed(i) => {
            let i = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            [level(i / 36), level((i / 6) % 6), level(i % 6)]
        }
    }
}

struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    fn fill(&mut self, x: usize, y: usize, w: usize, h: usize, color: [u8; 3]) {
        for yy in y..(y + h).min(self.height) {
            for xx in x..(x + w).min(self.width) {
                let i = (yy * self.width + xx) * 3;
                self.pixels[i..i + 3].copy_from_slice(&color);
            }
        }
    }

    fn blend(&mut self, x: usize, y: usize, color: [u8; 3], alpha: u8) {
        if x >= self.width || y >= self.height {
            return;
        }
        let i = (y * self.width + x) * 3;
        let a = u16::from(alpha);
        for (pixel, &c) in self.pixels[i..i + 3].iter_mut().zip(&color) {
            *pixel = ((u16::from(c) * a + u16::from(*pixel) * (255 - a)) / 255) as u8;
        }
    }
}

/// Box-drawing and block characters are painted as shapes, so lines join across cells.
fn shape(canvas: &mut Canvas, c: char, x: usize, y: usize, fg: [u8; 3]) -> bool {
    let (mx, my) = (x + CELL_W / 2, y + CELL_H / 2);
    let h = |canvas: &mut Canvas, from: usize, to: usize| canvas.fill(from, my, to - from, 1, fg);
    let v = |canvas: &mut Canvas, from: usize, to: usize| canvas.fill(mx, from, 1, to - from, fg);
    let (right, bottom) = (x + CELL_W, y + CELL_H);
    match c {
        '─' => h(canvas, x, right),
        '│' => v(canvas, y, bottom),
        '┌' => {
            h(canvas, mx, right);
            v(canvas, my, bottom);
        }
        '┐' => {
            h(canvas, x, mx + 1);
            v(canvas, my, bottom);
        }
        '└' => {
            h(canvas, mx, right);
            v(canvas, y, my + 1);
        }
        '┘' => {
            h(canvas, x, mx + 1);
            v(canvas, y, my + 1);
        }
        '█' => canvas.fill(x, y, CELL_W, CELL_H, fg),
        '▌' => canvas.fill(x, y, CELL_W / 2, CELL_H, fg),
        '▁'..='▇' => {
            let eighths = c as usize - '▁' as usize + 1;
            let height = CELL_H * eighths / 8;
            canvas.fill(x, bottom - height, CELL_W, height, fg);
        }
        _ => return false,
    }
    true
}

fn paint(buffer: &Buffer, fonts: &[fontdue::Font; 2], path: &Path) {
    let mut canvas = Canvas {
        width: COLS as usize * CELL_W,
        height: ROWS as usize * CELL_H,
        pixels: vec![0; COLS as usize * CELL_W * ROWS as usize * CELL_H * 3],
    };
    let mut glyphs: HashMap<(char, usize), (fontdue::Metrics, Vec<u8>)> = HashMap::new();
    let ascent = fonts[0]
        .horizontal_line_metrics(FONT_PX)
        .map_or(12.0, |m| m.ascent);
    let colours = |cell: &ratatui::buffer::Cell| {
        let mut fg = rgb(cell.fg, FOREGROUND);
        let mut bg = rgb(cell.bg, BACKGROUND);
        if cell.modifier.contains(Modifier::REVERSED) {
            std::mem::swap(&mut fg, &mut bg);
        }
        (fg, bg)
    };
    // Backgrounds first, so a glyph reaching below its cell (`_`) is not painted over.
    for row in 0..ROWS {
        for col in 0..COLS {
            let (_, bg) = colours(&buffer[(col, row)]);
            canvas.fill(
                col as usize * CELL_W,
                row as usize * CELL_H,
                CELL_W,
                CELL_H,
                bg,
            );
        }
    }
    for row in 0..ROWS {
        for col in 0..COLS {
            let cell = &buffer[(col, row)];
            let (fg, _) = colours(cell);
            let (x, y) = (col as usize * CELL_W, row as usize * CELL_H);
            let Some(c) = cell.symbol().chars().next() else {
                continue;
            };
            if c == ' ' || shape(&mut canvas, c, x, y, fg) {
                continue;
            }
            let bold = usize::from(cell.modifier.contains(Modifier::BOLD));
            let (metrics, bitmap) = glyphs
                .entry((c, bold))
                .or_insert_with(|| fonts[bold].rasterize(c, FONT_PX));
            let top =
                y as i64 + ascent.round() as i64 + 2 - metrics.height as i64 - metrics.ymin as i64;
            let left = x as i64 + metrics.xmin as i64;
            for gy in 0..metrics.height {
                for gx in 0..metrics.width {
                    let alpha = bitmap[gy * metrics.width + gx];
                    let (px, py) = (left + gx as i64, top + gy as i64);
                    if alpha > 0 && px >= 0 && py >= 0 {
                        canvas.blend(px as usize, py as usize, fg, alpha);
                    }
                }
            }
        }
    }
    let file = fs::File::create(path).expect("create png");
    let mut encoder = png::Encoder::new(file, canvas.width as u32, canvas.height as u32);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(&canvas.pixels).expect("png data");
    eprintln!("wrote {}", path.display());
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let font = |name: &str| {
        let bytes = fs::read(root.join("assets/fonts").join(name)).expect("font file");
        fontdue::Font::from_bytes(bytes, fontdue::FontSettings::default()).expect("font")
    };
    let fonts = [font("DejaVuSansMono.ttf"), font("DejaVuSansMono-Bold.ttf")];
    let out = root.join("screenshots");
    fs::create_dir_all(&out).expect("screenshots dir");
    let (store, report) = Store::load(
        &trailscope::demo::inputs(),
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), true).with_rules(RuleSet::shipped());
    apply(&mut app, Action::loaded(store, report));

    // What the shipped Sigma rules found: the attack's calls lead the list.
    apply(&mut app, Action::ToggleDetections);
    paint(
        &render(&mut app, COLS, ROWS),
        &fonts,
        &out.join("detections.png"),
    );
    apply(&mut app, Action::ToggleDetections);

    // The timeline as it opens, a little way into the second day.
    apply(&mut app, Action::Page(40));
    paint(
        &render(&mut app, COLS, ROWS),
        &fonts,
        &out.join("timeline.png"),
    );

    // Typing a fuzzy eventName: suggestions with counts.
    apply(&mut app, Action::EditFilter);
    type_text(&mut app, "crtacc");
    paint(
        &render(&mut app, COLS, ROWS),
        &fonts,
        &out.join("filter-suggestions.png"),
    );
    apply(&mut app, Action::FilterCancel);

    // The attack found: the policy an attacker wants, one event, read in the detail pane
    // with the key and the address in the summary and userIdentity highlighted.
    apply(&mut app, Action::EditFilter);
    type_text(&mut app, "\"policy/AdministratorAccess\"");
    apply(&mut app, Action::FilterAccept);
    apply(&mut app, Action::ToggleFocus);
    paint(
        &render(&mut app, COLS, ROWS),
        &fonts,
        &out.join("detail.png"),
    );
    apply(&mut app, Action::ToggleFocus);

    // p, then stepping back through the CI user's calls from the attacker's address.
    apply(&mut app, Action::FilterPrincipal);
    apply(&mut app, Action::EditFilter);
    type_text(&mut app, " ip:185.220.101.47");
    apply(&mut app, Action::FilterAccept);
    for _ in 0..4 {
        apply(&mut app, Action::StepPrincipal(-1));
    }
    paint(
        &render(&mut app, COLS, ROWS),
        &fonts,
        &out.join("stepping.png"),
    );

    // Which addresses the CI user called from: values suggested after `ip:`, counted in
    // the events shown.
    apply(&mut app, Action::EditFilter);
    apply(&mut app, Action::FilterEdit(Edit::DeleteToStart));
    type_text(&mut app, "principal:ci-deploy");
    apply(&mut app, Action::FilterAccept);
    apply(&mut app, Action::EditFilter);
    type_text(&mut app, " ip:");
    paint(
        &render(&mut app, COLS, ROWS),
        &fonts,
        &out.join("value-suggestions.png"),
    );
    apply(&mut app, Action::FilterCancel);

    // A credential chain: the attacker's chained role session in the dev account, its
    // chain shown root first in the detail pane.
    apply(&mut app, Action::EditFilter);
    apply(&mut app, Action::FilterEdit(Edit::DeleteToStart));
    type_text(&mut app, "principal:MarketingAutomation/ci-deploy");
    apply(&mut app, Action::FilterAccept);
    paint(
        &render(&mut app, COLS, ROWS),
        &fonts,
        &out.join("chain.png"),
    );

    // P: everything the chain's origin did; s: the summary of it, on the attacker's address.
    apply(&mut app, Action::FilterOrigin);
    apply(&mut app, Action::ToggleOverview);
    apply(&mut app, Action::OverviewMove(9));
    paint(
        &render(&mut app, COLS, ROWS),
        &fonts,
        &out.join("summary.png"),
    );
    apply(&mut app, Action::ToggleOverview);

    // Every key.
    apply(&mut app, Action::ToggleHelp);
    paint(&render(&mut app, COLS, ROWS), &fonts, &out.join("help.png"));
    apply(&mut app, Action::ToggleHelp);

    // Inputs with problems: AWS's documentation examples, two of them malformed as
    // published. The problems list names each with line and column.
    let (store, report) = Store::load_paths(
        &[root.join("tests/fixtures/seeds")],
        &LoadOptions::default(),
        &Progress::default(),
    );
    let mut app = App::new(String::new(), false);
    apply(&mut app, Action::loaded(store, report));
    apply(&mut app, Action::ToggleProblems);
    paint(
        &render(&mut app, COLS, ROWS),
        &fonts,
        &out.join("problems.png"),
    );
}
