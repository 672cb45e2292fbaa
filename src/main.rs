//! The `trailscope` binary: parses arguments, dispatches to one function per mode, and turns
//! the outcome into an exit status (0 ok, 1 fatal, 2 usage, 3 some inputs skipped).

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            // Paths and filter text come from the user's files and shell: never raw.
            eprintln!(
                "trailscope: {}",
                trailscope::text::sanitize(&format!("{err:#}"))
            );
            if err.downcast_ref::<commands::Usage>().is_some() {
                commands::Status::Usage.into()
            } else {
                commands::Status::Fatal.into()
            }
        }
    }
}
