//! The command line.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "tickwarden",
    version,
    about = "Tickwarden watches markets and tells you about unusual moves.",
    long_about = "Tickwarden watches markets and tells you about unusual moves.\n\nWithout a subcommand it opens the app window."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub gui: EngineArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the engine without a window; print every alert as one JSON line on stdout.
    Headless(HeadlessArgs),
}

#[derive(Args, Debug, Clone, Default)]
pub struct EngineArgs {
    /// Where the database lives (default: the OS app-data folder).
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Seed of the simulated demo market (default: chosen at the first start and kept).
    #[arg(long, value_name = "N", global = true)]
    pub seed: Option<u64>,
}

#[derive(Args, Debug, Clone)]
pub struct HeadlessArgs {
    /// Also show alerts as OS notifications.
    #[arg(long)]
    pub notify: bool,
}

impl EngineArgs {
    /// The engine's configuration for these options and a data folder.
    pub fn engine_config(&self, data_dir: PathBuf) -> tw_engine::EngineConfig {
        let mut cfg = tw_engine::EngineConfig::new(data_dir);
        if let Some(demo) = cfg.demo.as_mut() {
            // A new market each run unless a seed is given; a restart still continues from
            // the stored prices.
            demo.seed = self.seed.unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(7)
            });
        }
        cfg
    }
}

/// The OS app-data folder, the same one the window uses: `$XDG_DATA_HOME/app.tickwarden.desktop`
/// on Linux.
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("app.tickwarden.desktop")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed_and_parses_headless() {
        Cli::command().debug_assert();
        let c = Cli::parse_from([
            "tickwarden",
            "headless",
            "--data-dir",
            "/tmp/x",
            "--seed",
            "5",
        ]);
        assert!(matches!(c.command, Some(Command::Headless(_))));
        assert_eq!(c.gui.seed, Some(5));
        assert_eq!(
            c.gui.data_dir.as_deref(),
            Some(std::path::Path::new("/tmp/x"))
        );
        let c = Cli::parse_from(["tickwarden", "--data-dir", "/tmp/y"]);
        assert!(c.command.is_none());
    }
}
