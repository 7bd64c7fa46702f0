//! What can go wrong in the store, in words a user can act on.

use std::borrow::Cow;
use std::path::PathBuf;

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(thiserror::Error, Debug)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),

    #[error("could not update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    #[error("cannot use the data folder {}: {}", .0.display(), .1)]
    Io(PathBuf, #[source] std::io::Error),

    #[error("could not open the database at {}: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: sqlx::Error,
    },

    #[error(
        "the database at {} was written by a newer Tickwarden (schema {db_version}, this version \
         knows {binary_version}); update the app",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        db_version: i64,
        binary_version: i64,
    },

    #[error("{0} does not exist")]
    NotFound(String),

    /// The file or a row in it is not what this app wrote; the message names the file.
    #[error("{0}")]
    Corrupt(String),

    /// A batch of candles could not be committed; the writer keeps it and retries.
    #[error("could not save candles (will retry): {0}")]
    Write(String),

    #[error("the candle writer has stopped")]
    WriterGone,
}

// SQLite primary result codes (https://sqlite.org/rescode.html) that we branch on.
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_IOERR: i32 = 10;
const SQLITE_CORRUPT: i32 = 11;
const SQLITE_FULL: i32 = 13;
const SQLITE_NOTADB: i32 = 26;

/// The primary SQLite result code of a database error, if it is one.
pub(crate) fn sqlite_code(e: &sqlx::Error) -> Option<i32> {
    let code: Cow<'_, str> = e.as_database_error()?.code()?;
    // Extended codes carry the primary code in their low byte.
    code.parse::<i32>().ok().map(|c| c & 0xff)
}

pub(crate) fn is_not_a_database(e: &sqlx::Error) -> bool {
    matches!(sqlite_code(e), Some(SQLITE_NOTADB | SQLITE_CORRUPT))
}

fn sqlx_is_retryable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) => true,
        _ => matches!(
            sqlite_code(e),
            Some(SQLITE_BUSY | SQLITE_LOCKED | SQLITE_IOERR | SQLITE_FULL)
        ),
    }
}

impl StoreError {
    /// True when trying the same thing again later may work (a busy or full disk, a lock),
    /// false when it never will as things stand (bad file, newer schema, missing row).
    pub fn is_retryable(&self) -> bool {
        match self {
            StoreError::Sqlx(e) => sqlx_is_retryable(e),
            StoreError::Write(_) => true,
            StoreError::Io(_, e) => matches!(
                e.kind(),
                std::io::ErrorKind::Interrupted
                    | std::io::ErrorKind::WouldBlock
                    | std::io::ErrorKind::TimedOut
            ),
            StoreError::Open { source, .. } => sqlx_is_retryable(source),
            StoreError::Migrate(_)
            | StoreError::TooNew { .. }
            | StoreError::NotFound(_)
            | StoreError::Corrupt(_)
            | StoreError::WriterGone => false,
        }
    }
}
