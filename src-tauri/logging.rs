//! Structured logs: to stderr, and to a daily-rotating file in the app's log folder (7 days
//! kept). Tokens never reach a log line: they are `Sensitive` and print as `<redacted>`.

use std::path::{Path, PathBuf};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

/// Keeps the file writer flushing; hold it until the process ends.
pub struct LogGuard(#[allow(dead_code)] Option<tracing_appender::non_blocking::WorkerGuard>);

pub const LOG_PREFIX: &str = "tickwarden";

/// Starts logging; `RUST_LOG` sets the level (default `default_level`, e.g. "info"). If the
/// log folder cannot be created the app still runs, logging to stderr only, and says so.
pub fn init(log_dir: &Path, default_level: &str) -> LogGuard {
    let filter = || {
        EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| EnvFilter::new(format!("{default_level},sqlx=warn")))
    };
    let file = std::fs::create_dir_all(log_dir)
        .map_err(|e| e.to_string())
        .and_then(|_| {
            tracing_appender::rolling::Builder::new()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix(LOG_PREFIX)
                .filename_suffix("log")
                .max_log_files(7)
                .build(log_dir)
                .map_err(|e| e.to_string())
        });
    let stderr = fmt::layer().with_writer(std::io::stderr);
    match file {
        Ok(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let file_layer = fmt::layer().with_ansi(false).with_writer(writer);
            let _ = tracing_subscriber::registry()
                .with(filter())
                .with(stderr)
                .with(file_layer)
                .try_init();
            LogGuard(Some(guard))
        }
        Err(e) => {
            let _ = tracing_subscriber::registry()
                .with(filter())
                .with(stderr)
                .try_init();
            tracing::warn!(
                "logging to stderr only: cannot write logs to {}: {e}",
                log_dir.display()
            );
            LogGuard(None)
        }
    }
}

/// Where logs go: `DATA_DIR/logs` when a data folder is given, else the OS log folder
/// (the one Tauri's `app_log_dir` names).
pub fn log_dir(data_dir: Option<&Path>) -> PathBuf {
    if let Some(d) = data_dir {
        return d.join("logs");
    }
    #[cfg(target_os = "macos")]
    {
        if let Some(home) = dirs::home_dir() {
            return home.join("Library/Logs").join(crate::cli::APP_ID);
        }
    }
    dirs::data_local_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join(crate::cli::APP_ID)
        .join("logs")
}
