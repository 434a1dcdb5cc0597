//! How a transaction runs: [`TxOptions`] (isolation, read-only, timeouts, retries) and the
//! errors a retried transaction can tell apart ([`TransactionError`]).

use std::borrow::Cow;
use std::hash::BuildHasher;
use std::time::Duration;

use orm_core::error::{Error, ErrorKind};

use crate::Backend;

/// The isolation level of a transaction.
///
/// PostgreSQL runs each level as documented. SQLite transactions are always serializable
/// (one writer at a time, readers see one snapshot), which is at least as strict as any
/// level asked for, so every level is accepted there and runs as [`Serializable`].
///
/// [`Serializable`]: IsolationLevel::Serializable
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IsolationLevel {
    /// Each statement sees what was committed before it started (PostgreSQL's default).
    ReadCommitted,
    /// The whole transaction sees one snapshot; a write to a row another transaction
    /// changed since fails with [`ErrorKind::SerializationFailure`](crate::ErrorKind).
    RepeatableRead,
    /// The transaction behaves as if it ran alone; one that could not fails with
    /// [`ErrorKind::SerializationFailure`](crate::ErrorKind) (run it again:
    /// [`TxOptions::retry`]).
    Serializable,
}

impl IsolationLevel {
    fn sql(self) -> &'static str {
        match self {
            IsolationLevel::ReadCommitted => "READ COMMITTED",
            IsolationLevel::RepeatableRead => "REPEATABLE READ",
            IsolationLevel::Serializable => "SERIALIZABLE",
        }
    }
}

/// When a SQLite transaction takes its locks (`BEGIN DEFERRED | IMMEDIATE | EXCLUSIVE`).
/// PostgreSQL, whose rows are locked one by one as they are written, has no such choice and
/// ignores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqliteBegin {
    /// Lock nothing until the first read, take the write lock at the first write. Two
    /// deferred transactions that both read and then write can fail with
    /// [`ErrorKind::Busy`](crate::ErrorKind) without waiting: use it for read-only work.
    Deferred,
    /// Take the write lock at `BEGIN` (waiting up to the busy or lock timeout): writers
    /// queue instead of failing midway. orm's default for transactions that may write.
    Immediate,
    /// As `Immediate`; outside WAL mode, also keep readers out.
    Exclusive,
}

/// How [`Database::transaction_with`](crate::Database::transaction_with) and
/// [`Database::begin_with`](crate::Database::begin_with) run a transaction.
///
/// The default is what [`Database::transaction`](crate::Database::transaction) does: the
/// database's default isolation (read committed on PostgreSQL), `BEGIN IMMEDIATE` on
/// SQLite, read-write, no timeouts of its own, no retries.
///
/// ```
/// use std::time::Duration;
/// use orm::{IsolationLevel, TxOptions};
///
/// let options = TxOptions::new()
///     .isolation(IsolationLevel::Serializable)
///     .statement_timeout(Duration::from_secs(2))
///     .retry(5);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxOptions {
    isolation: Option<IsolationLevel>,
    sqlite_begin: Option<SqliteBegin>,
    read_only: bool,
    deferrable: bool,
    statement_timeout: Option<Duration>,
    lock_timeout: Option<Duration>,
    retries: u32,
    retry_kinds: Vec<ErrorKind>,
    first_backoff: Duration,
    max_backoff: Duration,
    schema_change: bool,
}

impl Default for TxOptions {
    fn default() -> Self {
        TxOptions {
            isolation: None,
            sqlite_begin: None,
            read_only: false,
            deferrable: false,
            statement_timeout: None,
            lock_timeout: None,
            retries: 0,
            retry_kinds: Vec::new(),
            first_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(500),
            schema_change: false,
        }
    }
}

/// What starting a transaction sends, and what undoes its connection-wide settings.
pub(crate) struct BeginPlan {
    /// `BEGIN ..` with the statements that set the transaction up.
    pub(crate) sql: Cow<'static, str>,
    /// Run once the transaction has ended (SQLite pragmas that outlive a transaction).
    pub(crate) restore: Option<String>,
    /// SQLite's statement timeout, kept by orm (see `orm_sqlite::StatementDeadline`).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) statement_timeout: Option<Duration>,
}

impl BeginPlan {
    /// A plain `sql` with nothing to set or undo.
    pub(crate) const fn plain(sql: &'static str) -> BeginPlan {
        BeginPlan {
            sql: Cow::Borrowed(sql),
            restore: None,
            statement_timeout: None,
        }
    }
}

/// `duration` in whole milliseconds, at least 1 (0 would mean "no timeout" to PostgreSQL).
fn millis(duration: Duration) -> u128 {
    duration.as_millis().max(1)
}

impl TxOptions {
    /// The default options (see [`TxOptions`]).
    pub fn new() -> Self {
        TxOptions::default()
    }

    /// Run at `level` (see [`IsolationLevel`] for what SQLite does).
    #[must_use]
    pub fn isolation(mut self, level: IsolationLevel) -> Self {
        self.isolation = Some(level);
        self
    }

    /// On SQLite, begin with `mode` (see [`SqliteBegin`]); PostgreSQL ignores it.
    #[must_use]
    pub fn sqlite_begin(mut self, mode: SqliteBegin) -> Self {
        self.sqlite_begin = Some(mode);
        self
    }

    /// Refuse every write: a statement that writes fails with
    /// [`ErrorKind::ReadOnly`](crate::ErrorKind) and aborts the transaction (PostgreSQL
    /// `READ ONLY`; SQLite `PRAGMA query_only` for the transaction's length, begun
    /// `DEFERRED` unless [`TxOptions::sqlite_begin`] says otherwise, so it takes no write
    /// lock).
    #[must_use]
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    /// PostgreSQL `DEFERRABLE`: a `SERIALIZABLE READ ONLY` transaction waits at its start for
    /// a snapshot that cannot fail with a serialization failure (for long reports). It has
    /// no effect on other transactions, nor on SQLite, whose readers never fail that way.
    #[must_use]
    pub fn deferrable(mut self) -> Self {
        self.deferrable = true;
        self
    }

    /// Cancel any statement of the transaction that runs longer than `timeout` (rounded up
    /// to whole milliseconds): it fails with [`ErrorKind::QueryCanceled`](crate::ErrorKind)
    /// and aborts the transaction. PostgreSQL `SET LOCAL statement_timeout`; on SQLite orm
    /// interrupts the statement (SQLite then rolls back the whole transaction itself).
    #[must_use]
    pub fn statement_timeout(mut self, timeout: Duration) -> Self {
        self.statement_timeout = Some(timeout);
        self
    }

    /// Wait at most `timeout` for a lock: PostgreSQL `SET LOCAL lock_timeout` (a row or table
    /// lock not granted in time fails with [`ErrorKind::LockNotAvailable`](crate::ErrorKind));
    /// on SQLite, the busy timeout of this transaction, `BEGIN` included (the database's
    /// lock not granted in time fails with [`ErrorKind::Busy`](crate::ErrorKind)).
    #[must_use]
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = Some(timeout);
        self
    }

    /// Run the whole transaction again, up to `retries` more times, when it fails with an
    /// error for which [`Error::is_retryable`] holds (a serialization failure, a deadlock, a
    /// lock not available, a busy database, a lost connection; never a commit whose outcome
    /// is unknown), or of a kind given to [`TxOptions::retry_on`]. Between attempts it waits with exponential backoff and jitter (see
    /// [`TxOptions::retry_backoff`]) and emits a `tracing` warning (target `orm::tx`) naming
    /// the attempt and the error. When every attempt failed, the error is
    /// [`Error::RetriesExhausted`], which says how many attempts ran and has the last error's
    /// kind. Only [`Database::transaction_with`](crate::Database::transaction_with) retries:
    /// the closure must be safe to run again (it runs from the start each time).
    #[must_use]
    pub fn retry(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// Also run the transaction again, within [`TxOptions::retry`]'s count, when it fails
    /// with an error of `kind` — for example [`ErrorKind::StaleObject`], for a transaction
    /// whose optimistic-locking write met a row changed since the transaction read it
    /// (running it again reads the row again). Never [`ErrorKind::CommitUnknown`]: a
    /// transaction whose commit may have happened is not run twice.
    ///
    /// ```
    /// use orm::{ErrorKind, TxOptions};
    ///
    /// let options = TxOptions::new().retry(10).retry_on(ErrorKind::StaleObject);
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn retry_on(mut self, kind: ErrorKind) -> Self {
        if kind != ErrorKind::CommitUnknown && !self.retry_kinds.contains(&kind) {
            self.retry_kinds.push(kind);
        }
        self
    }

    /// True when a transaction that failed with `error` runs again (retries allowing).
    pub(crate) fn retries_after(&self, error: &Error) -> bool {
        error.is_retryable() || self.retry_kinds.contains(&error.kind())
    }

    /// The wait before retry number `n` (from 1) is drawn between half and all of
    /// `first · 2^(n-1)`, capped at `max`. Defaults: 5 ms and 500 ms.
    #[must_use]
    pub fn retry_backoff(mut self, first: Duration, max: Duration) -> Self {
        self.first_backoff = first;
        self.max_backoff = max.max(first);
        self
    }

    /// How many times a failing transaction is run again.
    pub(crate) fn retries(&self) -> u32 {
        self.retries
    }

    /// How long to wait before retry number `retry` (from 1).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let doubled = self
            .first_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        let ceiling = doubled.min(self.max_backoff);
        // Jitter: a uniform draw from [ceiling / 2, ceiling], from std's random hash keys.
        let draw = std::collections::hash_map::RandomState::new().hash_one(retry);
        let half = ceiling / 2;
        let spread = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(draw.checked_rem(spread + 1).unwrap_or(0))
    }

    /// A transaction that changes the schema (migrations): on SQLite, foreign key
    /// enforcement is off inside it and back on after it, however it ends, so that a table
    /// rebuild (drop the old table, rename the new one) does not cascade to the rows that
    /// reference it. Whoever uses it checks the foreign keys (`PRAGMA foreign_key_check`)
    /// before committing. No effect on PostgreSQL.
    pub fn schema_change(mut self) -> Self {
        self.schema_change = true;
        self
    }

    /// What beginning a transaction with these options sends on `backend`;
    /// `busy_timeout` is the database's own SQLite busy timeout, restored afterwards.
    pub(crate) fn plan(&self, backend: Backend, busy_timeout: Duration) -> BeginPlan {
        match backend {
            Backend::Postgres => self.postgres_plan(),
            Backend::Sqlite => self.sqlite_plan(busy_timeout),
        }
    }

    fn postgres_plan(&self) -> BeginPlan {
        let mut sql = String::from("BEGIN");
        if let Some(level) = self.isolation {
            sql.push_str(" ISOLATION LEVEL ");
            sql.push_str(level.sql());
        }
        if self.read_only {
            sql.push_str(" READ ONLY");
        }
        if self.deferrable {
            sql.push_str(" DEFERRABLE");
        }
        if let Some(timeout) = self.statement_timeout {
            sql.push_str(&format!(
                "; SET LOCAL statement_timeout = {}",
                millis(timeout)
            ));
        }
        if let Some(timeout) = self.lock_timeout {
            sql.push_str(&format!("; SET LOCAL lock_timeout = {}", millis(timeout)));
        }
        BeginPlan {
            sql: if sql == "BEGIN" {
                Cow::Borrowed("BEGIN")
            } else {
                Cow::Owned(sql)
            },
            restore: None,
            statement_timeout: None,
        }
    }

    fn sqlite_plan(&self, busy_timeout: Duration) -> BeginPlan {
        let mode = self.sqlite_begin.unwrap_or(if self.read_only {
            SqliteBegin::Deferred
        } else {
            SqliteBegin::Immediate
        });
        let begin = match mode {
            SqliteBegin::Deferred => "BEGIN DEFERRED",
            SqliteBegin::Immediate => "BEGIN IMMEDIATE",
            SqliteBegin::Exclusive => "BEGIN EXCLUSIVE",
        };
        let mut before = Vec::new();
        let mut after = Vec::new();
        let mut restore = Vec::new();
        if let Some(timeout) = self.lock_timeout {
            before.push(format!("PRAGMA busy_timeout = {}", millis(timeout)));
            restore.push(format!(
                "PRAGMA busy_timeout = {}",
                busy_timeout.as_millis()
            ));
        }
        if self.schema_change {
            // A no-op inside a transaction, so it goes before BEGIN.
            before.push("PRAGMA foreign_keys = OFF".to_owned());
            restore.push("PRAGMA foreign_keys = ON".to_owned());
        }
        if self.read_only {
            after.push("PRAGMA query_only = 1".to_owned());
            restore.push("PRAGMA query_only = 0".to_owned());
        }
        let sql = if before.is_empty() && after.is_empty() {
            Cow::Borrowed(begin)
        } else {
            let mut all = before;
            all.push(begin.to_owned());
            all.extend(after);
            Cow::Owned(all.join("; "))
        };
        BeginPlan {
            sql,
            restore: (!restore.is_empty()).then(|| restore.join("; ")),
            statement_timeout: self.statement_timeout,
        }
    }
}

/// An error type a transaction closure can return to
/// [`Database::transaction_with`](crate::Database::transaction_with): built from an orm
/// [`Error`], and showing the orm error inside it, so that a retryable one is retried.
///
/// Implemented for [`Error`] and for `Box<dyn std::error::Error + Send + Sync>`; an
/// application error type implements it in a few lines:
///
/// ```
/// #[derive(Debug)]
/// enum AppError {
///     Db(orm::Error),
///     InsufficientFunds,
/// }
///
/// impl From<orm::Error> for AppError {
///     fn from(error: orm::Error) -> Self {
///         AppError::Db(error)
///     }
/// }
///
/// impl orm::TransactionError for AppError {
///     fn orm_error(&self) -> Option<&orm::Error> {
///         match self {
///             AppError::Db(error) => Some(error),
///             AppError::InsufficientFunds => None,
///         }
///     }
///
///     fn retries_exhausted(self, attempts: u32) -> Self {
///         match self {
///             AppError::Db(error) => AppError::Db(error.retries_exhausted(attempts)),
///             other => other,
///         }
///     }
/// }
/// ```
pub trait TransactionError: From<Error> {
    /// The orm error this error is, or wraps; `None` for the application's own errors
    /// (which are never retried).
    fn orm_error(&self) -> Option<&Error>;

    /// This error, the last of `attempts` attempts that all failed with retryable errors.
    /// The default returns it unchanged; [`Error`] becomes [`Error::RetriesExhausted`].
    #[must_use]
    fn retries_exhausted(self, attempts: u32) -> Self
    where
        Self: Sized,
    {
        let _ = attempts;
        self
    }
}

impl TransactionError for Error {
    fn orm_error(&self) -> Option<&Error> {
        Some(self)
    }

    fn retries_exhausted(self, attempts: u32) -> Self {
        match self {
            Error::RetriesExhausted { last, .. } => Error::RetriesExhausted { attempts, last },
            last => Error::RetriesExhausted {
                attempts,
                last: Box::new(last),
            },
        }
    }
}

impl TransactionError for Box<dyn std::error::Error + Send + Sync> {
    fn orm_error(&self) -> Option<&Error> {
        self.downcast_ref::<Error>()
    }

    fn retries_exhausted(self, attempts: u32) -> Self {
        match self.downcast::<Error>() {
            Ok(error) => Box::new((*error).retries_exhausted(attempts)),
            Err(other) => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_its_bounds() {
        let options = TxOptions::new()
            .retry(10)
            .retry_backoff(Duration::from_millis(10), Duration::from_millis(100));
        for retry in 1..=10 {
            let ceiling = Duration::from_millis((10u64 << (retry - 1)).min(100));
            let wait = options.backoff(retry);
            assert!(
                wait >= ceiling / 2 && wait <= ceiling,
                "retry {retry}: {wait:?} outside [{:?}, {ceiling:?}]",
                ceiling / 2
            );
        }
    }

    #[test]
    fn plans_name_each_option() {
        let options = TxOptions::new()
            .isolation(IsolationLevel::Serializable)
            .read_only()
            .deferrable()
            .statement_timeout(Duration::from_micros(1500))
            .lock_timeout(Duration::ZERO);
        let pg = options.plan(Backend::Postgres, Duration::from_secs(5));
        assert_eq!(
            pg.sql,
            "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE; \
             SET LOCAL statement_timeout = 1; SET LOCAL lock_timeout = 1"
        );
        assert!(pg.restore.is_none());
        let sqlite = options.plan(Backend::Sqlite, Duration::from_secs(5));
        assert_eq!(
            sqlite.sql,
            "PRAGMA busy_timeout = 1; BEGIN DEFERRED; PRAGMA query_only = 1"
        );
        assert_eq!(
            sqlite.restore.as_deref(),
            Some("PRAGMA busy_timeout = 5000; PRAGMA query_only = 0")
        );
        assert_eq!(sqlite.statement_timeout, Some(Duration::from_micros(1500)));
        let default = TxOptions::new();
        assert_eq!(default.plan(Backend::Postgres, Duration::ZERO).sql, "BEGIN");
        assert_eq!(
            default.plan(Backend::Sqlite, Duration::ZERO).sql,
            "BEGIN IMMEDIATE"
        );
    }
}
