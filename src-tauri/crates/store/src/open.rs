//! Opening the file: pragmas, the "newer than this binary" guard, migrations.

use crate::error::{is_not_a_database, Result, StoreError};
use crate::DB_FILE;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteAutoVacuum, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::SqlitePool;
use std::path::{Path, PathBuf};
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// A few readers plus the writer task; SQLite serialises writes anyway.
const MAX_CONNECTIONS: u32 = 4;

pub(crate) async fn open(data_dir: &Path) -> Result<(SqlitePool, PathBuf)> {
    std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Io(data_dir.to_path_buf(), e))?;
    let path = data_dir.join(DB_FILE);

    let options = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        // WAL lets the UI read while the writer commits; NORMAL is durable enough under WAL
        // (a power cut can lose the last commits, never corrupt the file).
        // Set before the first table is created, so pruning can hand pages back with
        // `PRAGMA incremental_vacuum` (an older file keeps its mode until a full VACUUM).
        .auto_vacuum(SqliteAutoVacuum::Incremental)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));

    let pool = SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .connect_with(options)
        .await
        .map_err(|e| open_error(&path, e))?;

    if let Err(e) = migrate(&pool, &path).await {
        pool.close().await;
        return Err(e);
    }
    tracing::info!(path = %path.display(), "store opened");
    Ok((pool, path))
}

/// A database that lives only in memory: what the engine falls back to when the file cannot
/// be used (read-only folder, corrupt or locked file), so feeds and alerts keep working
/// while the user is told that nothing new is saved.
pub(crate) async fn open_memory() -> Result<(SqlitePool, PathBuf)> {
    let path = PathBuf::from(":memory:");
    let options = SqliteConnectOptions::new()
        .in_memory(true)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    // One connection that never closes: each in-memory connection is its own database.
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await
        .map_err(|e| open_error(&path, e))?;
    migrate(&pool, &path).await?;
    Ok((pool, path))
}

async fn migrate(pool: &SqlitePool, path: &Path) -> Result<()> {
    refuse_newer_schema(pool, path).await?;
    MIGRATOR.run(pool).await.map_err(|e| match e {
        sqlx::migrate::MigrateError::Execute(e) => open_error(path, e),
        e => StoreError::Migrate(e),
    })
}

/// The highest schema version this binary embeds.
pub(crate) fn binary_schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

// Checked before migrating: running our migrations over a newer schema could damage data a
// newer app relies on, and sqlx would only report an unhelpful "missing migration".
async fn refuse_newer_schema(pool: &SqlitePool, path: &Path) -> Result<()> {
    let has_table: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_optional(pool)
    .await
    .map_err(|e| open_error(path, e))?;
    if has_table.is_none() {
        return Ok(());
    }
    let db_version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(pool)
        .await
        .map_err(|e| open_error(path, e))?;
    let binary_version = binary_schema_version();
    match db_version {
        Some(db_version) if db_version > binary_version => Err(StoreError::TooNew {
            path: path.to_path_buf(),
            db_version,
            binary_version,
        }),
        _ => Ok(()),
    }
}

fn open_error(path: &Path, e: sqlx::Error) -> StoreError {
    if is_not_a_database(&e) {
        StoreError::Corrupt(format!(
            "{} is not a Tickwarden database (not SQLite, or damaged): {e}; move it aside to \
             start afresh",
            path.display()
        ))
    } else {
        StoreError::Open {
            path: path.to_path_buf(),
            source: e,
        }
    }
}
