//! What the hand-written raw-sqlx sides of the examples share: a plain sqlx pool opened with
//! the options orm gives its own ([`RawPool`]), their SQL written once ([`sqlite_sql`]), and
//! their errors put in orm's error type ([`orm_error`]), so that the service's one error
//! mapping answers both sides alike (a busy database is 503 on both).

use std::str::FromStr;
use std::time::Duration;

use orm::ErrorKind;
use sqlx::pool::PoolOptions;
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

/// The `orm::Error` orm would report for `error`, as far as the service's answers go:
/// contention (PostgreSQL `40001`, `40P01`, `55P03`; SQLite `BUSY`, `LOCKED`) is
/// [`orm::Error::Contention`] (retryable: 503), a connection or pool failure is
/// [`orm::Error::Connection`] / [`orm::Error::Pool`], anything else
/// [`orm::Error::Database`] (500).
pub fn orm_error(error: sqlx::Error) -> orm::Error {
    match error {
        sqlx::Error::Database(db) => {
            let code = db.code().map(|code| code.into_owned());
            let message = db.message().to_owned();
            let kind = match code.as_deref() {
                Some("40001") => Some(ErrorKind::SerializationFailure),
                Some("40P01") => Some(ErrorKind::Deadlock),
                Some("55P03") => Some(ErrorKind::LockNotAvailable),
                // SQLite's extended codes keep the primary one in the low byte.
                Some(other) => match other.parse::<i32>().map(|code| code & 0xff) {
                    Ok(5 | 6) => Some(ErrorKind::Busy),
                    _ => None,
                },
                None => None,
            };
            let source: Box<dyn std::error::Error + Send + Sync> =
                Box::new(sqlx::Error::Database(db));
            match kind {
                Some(kind) => orm::Error::Contention {
                    kind,
                    code,
                    message,
                    source,
                },
                None => orm::Error::Database {
                    code,
                    message,
                    source,
                },
            }
        }
        error @ (sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed) => orm::Error::Pool {
            message: error.to_string(),
            source: Box::new(error),
        },
        error @ (sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_)) => {
            orm::Error::Connection {
                message: error.to_string(),
                source: Box::new(error),
            }
        }
        error => orm::Error::Database {
            code: None,
            message: error.to_string(),
            source: Box::new(error),
        },
    }
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
