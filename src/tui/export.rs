//! `:write FILE` and `:write-marks FILE`, run on a worker: the result (or the marked events,
//! with their notes) to FILE in the format its name asks for. An existing file is replaced
//! only when asked (`:write!`), and a loaded input never: the evidence is not overwritten.
//! The file is written beside itself and renamed into place, so a failed write leaves what
//! was there.

use std::path::{Path, PathBuf};

use crate::output::Destination::File;
use crate::output::Format;
use crate::store::{Session, Store};
use crate::text::sanitize;

/// What to write, and where.
#[derive(Debug, Clone)]
pub struct Export {
    /// The file as typed (`~/` is the home folder).
    pub file: String,
    /// The events: the result's rows, or the marked ones with their notes.
    pub rows: Vec<u32>,
    pub marks: bool,
    /// `:write!`: an existing file is replaced.
    pub replace: bool,
    /// The loaded inputs' names: never written over.
    pub inputs: Vec<String>,
}

/// Writes the export; what the status line says about it.
pub fn run(store: &Store, session: &Session, export: &Export) -> String {
    let Export {
        file,
        rows,
        marks,
        replace,
        inputs,
    } = export;
    let Some(format) = Format::of_file_name(file) else {
        return "name the file .json (Records), .jsonl, .csv, .timesketch.jsonl or .timesketch.csv"
            .into();
    };
    if rows.is_empty() {
        return if *marks {
            "no marked events"
        } else {
            "no events to write"
        }
        .into();
    }
    let path = expand_home(file);
    let bang = if *marks { ":write-marks!" } else { ":write!" };
    if let Ok(meta) = std::fs::metadata(&path) {
        if is_loaded_input(&meta, inputs) {
            return format!(
                "{} is one of the loaded inputs: the evidence is never written over",
                sanitize(file)
            );
        }
        if !replace {
            return format!(
                "{} exists: {bang} {} replaces it",
                sanitize(file),
                sanitize(file)
            );
        }
    }
    let written = crate::files::write_whole(&path, std::io::BufWriter::new, |out| {
        if *marks {
            crate::output::write_with_notes(out, store, session, rows, (format, File))
        } else {
            crate::output::write(out, store, session, rows, (format, File), &[])
        }
    });
    match written {
        Ok(()) => format!(
            "wrote {} to {}",
            crate::text::count(rows.len(), "event"),
            sanitize(&path.display().to_string())
        ),
        Err(e) => format!("cannot write {}: {e}", sanitize(file)),
    }
}

/// `~/x` as the home folder's `x`, as a shell would read it.
fn expand_home(file: &str) -> PathBuf {
    match (file.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ if file == "~" => std::env::var_os("HOME").map_or_else(|| file.into(), Into::into),
        _ => file.into(),
    }
}

/// Whether the file `meta` describes is one of the loaded inputs (the same file, whatever
/// the path it is reached by; a member `a.zip!x.json` counts as its archive).
fn is_loaded_input(meta: &std::fs::Metadata, inputs: &[String]) -> bool {
    use std::os::unix::fs::MetadataExt;
    inputs.iter().any(|name| {
        let file = name
            .split_once('!')
            .map_or(name.as_str(), |(archive, _)| archive);
        std::fs::metadata(file).is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino())
    })
}
#[cfg(test)]
mod tests {
    use super::expand_home;

    #[test]
    fn a_leading_tilde_is_the_home_folder() {
        let Some(home) = std::env::var_os("HOME") else {
            return;
        };
        let home = std::path::PathBuf::from(home);
        assert_eq!(expand_home("~/cases/x.csv"), home.join("cases/x.csv"));
        assert_eq!(expand_home("~"), home);
        assert_eq!(
            expand_home("a~/x.csv"),
            std::path::PathBuf::from("a~/x.csv")
        );
        assert_eq!(
            expand_home("~user/x.csv"),
            std::path::PathBuf::from("~user/x.csv")
        );
    }
}
