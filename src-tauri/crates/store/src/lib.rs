//! Tickwarden's store: the only code that speaks SQL.
//!
//! One SQLite file (`tickwarden.db`) in the data folder holds candles, rules, alerts,
//! watchlists and settings. Readers share a small pool; candle updates from the live feeds go
//! through one batching writer task ([`CandleWriter`]). The schema is a set of SQL migrations
//! applied at open, and a database written by a newer Tickwarden is refused rather than
//! guessed at.

mod alert_history;
mod alerts;
mod candles;
mod delivery_state;
mod error;
mod fundamentals;
mod holdings;
mod maintenance;
mod open;
mod rule_state;
mod rules;
mod settings;
mod stocks;
mod watchlist_admin;
mod watchlists;
mod writer;

pub use alert_history::iso_utc;
pub use delivery_state::RulePauseRow;
pub use error::{Result, StoreError};
pub use maintenance::{DbInfo, IntervalInfo, PruneReport, Retention};
pub use rule_state::RuleStateRow;
pub use stocks::StockSymbol;
pub use writer::{CandleWriter, WriterHealth};

use sqlx::SqlitePool;
use std::path::Path;
use std::sync::Arc;

/// File name of the database inside the data folder.
pub const DB_FILE: &str = "tickwarden.db";

/// A handle on the database. Cloning is cheap: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    path: Arc<Path>,
}

impl Store {
    /// Opens (creating if needed) `data_dir/tickwarden.db` and brings its schema up to date.
    pub async fn open(data_dir: &Path) -> Result<Store> {
        let (pool, path) = open::open(data_dir).await?;
        Ok(Store {
            pool,
            path: path.into(),
        })
    }

    /// A throw-away database in memory (see [`Store::is_in_memory`]).
    pub async fn open_memory() -> Result<Store> {
        let (pool, path) = open::open_memory().await?;
        Ok(Store {
            pool,
            path: path.into(),
        })
    }

    /// True for a database that is not saved anywhere.
    pub fn is_in_memory(&self) -> bool {
        self.path.as_os_str() == ":memory:"
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes every connection; later calls on any clone fail.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub(crate) fn corrupt(&self, what: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(format!(
            "the database at {} is damaged: {what}",
            self.path.display()
        ))
    }
}
