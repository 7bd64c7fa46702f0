//! The Tickwarden app: command-line entry, headless mode, and the Tauri shell. Only
//! `shell` imports `tauri`; everything else lives in the engine crates.

pub mod cli;
pub mod headless;
pub mod shell;

use clap::Parser;

/// Runs the command line and returns the process exit code.
pub fn main_entry() -> i32 {
    let cli = cli::Cli::parse();
    match cli.command {
        Some(cli::Command::Headless(args)) => headless::run(cli.gui, args),
        None => shell::run(cli.gui),
    }
}
