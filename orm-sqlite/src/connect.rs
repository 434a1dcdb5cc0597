use std::str::FromStr;
use std::time::Duration;

use orm_core::error::{Error, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

/// Connection options for a SQLite URL, and whether it names an in-memory database.
#[derive(Debug, Clone)]
pub struct SqliteConfig {
    /// Options every pooled connection is opened with.
    pub options: SqliteConnectOptions,
    /// True for `sqlite::memory:` and `mode=memory`: the pool must hold exactly one
    /// connection, never closed, so that every user sees the same database.
    pub in_memory: bool,
}

/// Parse a `sqlite:` URL and apply orm's pragmas: foreign keys on, WAL for files, a busy
/// timeout, case-sensitive `LIKE` (as on PostgreSQL).
pub fn sqlite_config(url: &str, busy_timeout: Duration) -> Result<SqliteConfig> {
    let options = SqliteConnectOptions::from_str(url).map_err(|error| Error::Configuration {
        message: format!("invalid SQLite URL `{url}`: {error}"),
    })?;
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let mut options = options
        .foreign_keys(true)
        .busy_timeout(busy_timeout)
        .pragma("case_sensitive_like", "ON");
    if !in_memory {
        options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
    }
    Ok(SqliteConfig { options, in_memory })
}
