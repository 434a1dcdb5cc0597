//! What the hand-written raw-sqlx sides of the examples share: a plain sqlx pool opened with
//! the options orm gives its own ([`RawPool`]), their SQL written once ([`sqlite_sql`]), and
//! their errors put in orm's error type by orm's own classification ([`orm_error`]), so that
//! the service's one error mapping answers both sides alike (a busy database is 503 on both).

use std::str::FromStr;
use std::time::Duration;

use orm::Backend;
use sqlx::pool::PoolOptions;
use sqlx::postgres::PgDatabaseError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};

/// orm's default acquire timeout.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);
/// orm's default SQLite busy timeout.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// orm's default pool size for a SQLite file.
pub const SQLITE_POOL_SIZE: u32 = 4;
/// orm's default pool size for PostgreSQL.
pub const PG_POOL_SIZE: u32 = 10;

/// A plain sqlx pool, on either backend.
#[derive(Debug, Clone)]
pub enum RawPool {
    /// A SQLite file.
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

impl RawPool {
    /// Open a pool on `url` (`sqlite://..` or `postgres://..`) with the settings orm gives
    /// its pool by default: the same size, timeouts and `test_before_acquire` off, and on
    /// SQLite the same pragmas (foreign keys, WAL, `synchronous = NORMAL`, busy timeout,
    /// `case_sensitive_like`). Not orm's own additions: its SQL functions, its query-plan
    /// stability setting and its parking of idle connections (which spares sqlx's
    /// check of each connection given back).
    pub async fn connect(url: &str) -> Result<RawPool, sqlx::Error> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .foreign_keys(true)
                .busy_timeout(BUSY_TIMEOUT)
                .pragma("case_sensitive_like", "ON")
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal);
            let pool = PoolOptions::<Sqlite>::new()
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .test_before_acquire(false)
                .max_connections(SQLITE_POOL_SIZE)
                .min_connections(0)
                .connect_with(options)
                .await?;
            Ok(RawPool::Sqlite(pool))
        } else {
            let pool = PoolOptions::<Postgres>::new()
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .test_before_acquire(false)
                .max_connections(PG_POOL_SIZE)
                .min_connections(0)
                .connect(url)
                .await?;
            Ok(RawPool::Postgres(pool))
        }
    }

    /// Close every connection.
    pub async fn close(&self) {
        match self {
            RawPool::Sqlite(pool) => pool.close().await,
            RawPool::Postgres(pool) => pool.close().await,
        }
    }
}

/// A statement written with PostgreSQL's placeholders (`$1`, `$2`, ..) in SQLite's numbered
/// form (`?1`, `?2`, ..): the SQL of both backends written once. The text must have no other
/// `$`.
pub fn sqlite_sql(postgres_sql: &str) -> String {
    postgres_sql.replace('$', "?")
}

/// The `orm::Error` orm reports for `error` ([`orm::Backend::error_from_sqlx`]), so that the
/// service's one error mapping answers both sides alike (contention is retryable: 503). The
/// backend is the one whose database error it is; other sqlx errors read the same on both.
pub fn orm_error(error: sqlx::Error) -> orm::Error {
    let backend = match &error {
        sqlx::Error::Database(db) if db.try_downcast_ref::<PgDatabaseError>().is_some() => {
            Backend::Postgres
        }
        _ => Backend::Sqlite,
    };
    backend.error_from_sqlx(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_numbered_question_marks() {
        assert_eq!(
            sqlite_sql("SELECT a FROM t WHERE b = $1 AND c > $2 LIMIT $3"),
            "SELECT a FROM t WHERE b = ?1 AND c > ?2 LIMIT ?3"
        );
    }
}
