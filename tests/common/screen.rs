//! Reading a drawn screen as text, for the explorer's tests.
#![allow(dead_code)]

use ratatui::buffer::Buffer;

/// Each row of `buffer`, trailing spaces trimmed, one per line.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let line: String = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
