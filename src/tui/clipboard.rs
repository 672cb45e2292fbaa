//! The clipboard: text sent to the terminal with OSC 52, which no terminal confirms. So
//! the text also goes where it surely arrives: under tmux its paste buffer (`tmux
//! load-buffer -w`, which a tmux with `set-clipboard external` — its default — fills and
//! passes on to the outer terminal), elsewhere a private file the status line names.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The OSC 52 sequence that puts `text` on the terminal's clipboard: only base64 between
/// the introducer and the terminator, so no text can end it early or smuggle a sequence.
pub fn osc52(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    let mut out = b"\x1b]52;c;".to_vec();
    out.extend(
        base64::engine::general_purpose::STANDARD
            .encode(text)
            .as_bytes(),
    );
    out.push(0x07);
    out
}

/// Where a copy went besides OSC 52.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Also {
    /// tmux's paste buffer (prefix-] pastes it).
    Tmux,
    /// This file (the status line names it).
    File(PathBuf),
    /// Nowhere else: tmux and the file both failed (said why).
    Nowhere(String),
}

impl Also {
    /// How the status line says where the text is.
    pub fn said(&self) -> String {
        match self {
            Also::Tmux => "to the clipboard (OSC 52) and tmux's paste buffer".into(),
            Also::File(path) => format!(
                "to the clipboard (OSC 52; the terminal may not allow it) and {}",
                crate::text::sanitize(&path.display().to_string())
            ),
            Also::Nowhere(why) => format!(
                "to the clipboard by OSC 52 only, which the terminal may not allow ({})",
                crate::text::sanitize(why)
            ),
        }
    }
}

/// Copies `text`: OSC 52 to `terminal`, and tmux's buffer under tmux (`$TMUX`), else the
/// file `clipboard` in trailscope's data folder.
pub fn copy(text: &str, terminal: &mut impl Write) -> io::Result<Also> {
    terminal.write_all(&osc52(text))?;
    terminal.flush()?;
    if std::env::var_os("TMUX").is_some() {
        match to_tmux(text) {
            Ok(()) => return Ok(Also::Tmux),
            Err(e) => {
                return Ok(
                    to_file(text).unwrap_or_else(|f| Also::Nowhere(format!("tmux: {e}; {f}")))
                )
            }
        }
    }
    Ok(to_file(text).unwrap_or_else(Also::Nowhere))
}

/// `tmux load-buffer -w -`: the text into tmux's paste buffer (and, from tmux 3.2, on to
/// the outer terminal's clipboard).
fn to_tmux(text: &str) -> io::Result<()> {
    let mut child = Command::new("tmux")
        .args(["load-buffer", "-w", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes())?;
    }
    let status = child.wait()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!("tmux load-buffer: {status}")))
    }
}

/// The text into `clipboard` in trailscope's data folder (private, replaced whole).
fn to_file(text: &str) -> Result<Also, String> {
    let dir = crate::files::user_dir("XDG_DATA_HOME", ".local/share")
        .ok_or("no home folder for the clipboard file")?;
    crate::files::create_private_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join("clipboard");
    crate::files::write_whole(&path, |f| f, |f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Also::File(path))
}
