//! The Tickwarden app: command-line entry, headless mode, and the Tauri shell. Only
//! `shell` imports `tauri`; everything else lives in the engine crates.

pub mod backtest_cli;
pub mod cli;
pub mod db_cli;
pub mod headless;
pub mod logging;
pub mod nab;
pub mod rules_cli;
pub mod scan;
pub mod shell;
pub mod token_cli;

use clap::Parser;

/// Runs the command line and returns the process exit code.
pub fn main_entry() -> i32 {
    let cli = cli::Cli::parse();
    // The engine logs what it does; one-shot commands only what went wrong.
    let level = match cli.command {
        None | Some(cli::Command::Headless(_)) => "info",
        _ => "warn",
    };
    let _logs = logging::init(&logging::log_dir(cli.gui.data_dir.as_deref()), level);
    match cli.command {
        Some(cli::Command::Headless(args)) => headless::run(cli.gui, args),
        Some(cli::Command::Db(args)) => db_cli::run(cli.gui, args),
        Some(cli::Command::Token(args)) => token_cli::run(cli.gui, args),
        Some(cli::Command::Rules(args)) => rules_cli::run(cli.gui, args),
        Some(cli::Command::Scan(args)) => scan::run(args),
        Some(cli::Command::Backtest(args)) => backtest_cli::run(cli.gui, args),
        Some(cli::Command::Nab(args)) => nab::run(args),
        None => shell::run(cli.gui),
    }
}
