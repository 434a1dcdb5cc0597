//! The one error type of orm, classified by [`ErrorKind`].

use std::error::Error as StdError;
use std::fmt;

/// A boxed error from the driver (an `sqlx::Error` for the shipped backends), kept as `source()`.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// `Result` with [`Error`] as the error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of failure an [`Error`] is, without its details: match on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A query that must return a row returned none.
    NotFound,
    /// A versioned row changed since it was loaded (optimistic locking): the write was not
    /// made.
    StaleObject,
    /// A unique or primary-key constraint was violated.
    UniqueViolation,
    /// A foreign-key constraint was violated.
    ForeignKeyViolation,
    /// A NOT NULL constraint was violated.
    NotNullViolation,
    /// A CHECK constraint was violated.
    CheckViolation,
    /// An UPDATE or DELETE without a filter was refused.
    UnfilteredMutation,
    /// A column value could not be decoded into the Rust type.
    Decode,
    /// A Rust value could not be encoded for the database.
    Encode,
    /// The backend lacks a feature the statement needs.
    Unsupported,
    /// The connection failed or was lost.
    Connection,
    /// The pool could not hand out a connection in time, or is closed.
    Pool,
    /// The statement was built wrongly (for example an insert with no rows).
    InvalidStatement,
    /// The connection URL or options are invalid.
    Configuration,
    /// Any other error reported by the database.
    Database,
    /// A relationship was read before it was loaded.
    NotLoaded,
    /// The N+1 guard refused a statement: a relationship loaded row by row in a loop.
    NPlusOne,
    /// Model declarations do not fit together (a relationship without its foreign key, ..).
    InvalidSchema,
    /// Values break the validation declared on their fields: nothing was sent.
    Validation,
    /// Migrations cannot run as asked: two heads, a changed applied file, an unknown revision,
    /// a failed step (the message says which and what to do).
    Migration,
    /// The transaction can no longer commit: a statement in it failed at the database or was
    /// cancelled midway. It was rolled back; nothing in it was committed.
    TransactionAborted,
    /// The connection was lost while `COMMIT` was in flight: the transaction may or may not
    /// have committed.
    CommitUnknown,
    /// Two transactions could not both commit as if run one after the other (PostgreSQL
    /// 40001): run the whole transaction again.
    SerializationFailure,
    /// The database broke a deadlock by failing this statement (PostgreSQL 40P01): run the
    /// whole transaction again.
    Deadlock,
    /// A row lock was not free (PostgreSQL 55P03: `NOWAIT`, or `lock_timeout` passed).
    LockNotAvailable,
    /// The statement was cancelled, by a statement timeout or a cancel request (PostgreSQL
    /// 57014).
    QueryCanceled,
    /// The database was locked by another connection for longer than the busy timeout
    /// (SQLite `SQLITE_BUSY` / `SQLITE_LOCKED`).
    Busy,
    /// `&db` was used where the only connection of an in-memory SQLite database is held by
    /// the transaction (or held connection) the code runs in: it would wait forever.
    ConnectionHeld,
    /// A write in a read-only transaction (PostgreSQL 25006, SQLite `SQLITE_READONLY`).
    ReadOnly,
    /// The savepoint can no longer be released: a statement in it failed at the database or
    /// was cancelled midway. It was rolled back; the transaction around it is still usable.
    SavepointAborted,
}

/// Which constraint failed: what the database reported, completed from the model metadata
/// the statement was built from (see [`crate::constraint`]), the same on every backend for
/// the same violation.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ConstraintInfo {
    /// The table the constraint belongs to. For a foreign key that is the referencing table,
    /// also when what failed is the delete (or key update) of a referenced row.
    pub table: Option<String>,
    /// The constraint's name: the primary key's, a unique constraint's, a unique index's, a
    /// foreign key's or a check's. `None` for a NOT NULL violation (NOT NULL is a column's
    /// property, not a named constraint, on every backend), and when orm could not tell
    /// which of several constraints failed (they are in [`ConstraintInfo::candidates`]).
    pub constraint: Option<String>,
    /// The constraint's columns, in the constraint's order; `None` when unknown (a check
    /// whose expression orm cannot read, or a table no model describes).
    pub columns: Option<Vec<String>>,
    /// The Rust fields of those columns, in the same order; `None` when unknown.
    pub fields: Option<Vec<String>>,
    /// When the database's report fits several constraints and orm could not tell which
    /// one failed: their names (then `constraint`, `columns` and `fields` are `None`).
    pub candidates: Vec<String>,
    /// The database's own message.
    pub message: String,
}

impl ConstraintInfo {
    /// The single column of the constraint, when it has exactly one.
    pub fn column(&self) -> Option<&str> {
        match self.columns.as_deref() {
            Some([column]) => Some(column),
            _ => None,
        }
    }

    /// The single Rust field of the constraint, when it has exactly one.
    pub fn field(&self) -> Option<&str> {
        match self.fields.as_deref() {
            Some([field]) => Some(field),
            _ => None,
        }
    }
}

/// `` `a`, `b` `` with `one` or `many` before it.
fn name_list(one: &str, many: &str, names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!(
        "{} {}",
        if names.len() == 1 { one } else { many },
        quoted.join(", ")
    )
}

impl fmt::Display for ConstraintInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(constraint) = &self.constraint {
            parts.push(format!("constraint `{constraint}`"));
        }
        if let Some(table) = &self.table {
            parts.push(format!("table `{table}`"));
        }
        match (&self.fields, &self.columns) {
            (Some(fields), Some(columns)) if fields == columns => {
                parts.push(name_list("field", "fields", fields));
            }
            (Some(fields), Some(columns)) => parts.push(format!(
                "{} ({})",
                name_list("field", "fields", fields),
                name_list("column", "columns", columns)
            )),
            (None, Some(columns)) => parts.push(name_list("column", "columns", columns)),
            (Some(fields), None) => parts.push(name_list("field", "fields", fields)),
            (None, None) => {}
        }
        if !self.candidates.is_empty() {
            parts.push(format!(
                "{} (the database does not say which)",
                name_list("constraint", "one of the constraints", &self.candidates)
            ));
        }
        if parts.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} ({})", parts.join(", "), self.message)
        }
    }
}

/// Every error orm returns. Use [`Error::kind`] to branch; `source()` holds the driver's error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No row matched a query that needs one.
    #[error("no row of `{table}` matched; use `.optional()` to get `None` instead of an error")]
    NotFound {
        /// The table that was queried.
        table: &'static str,
    },
    /// A write of one row of a versioned model (`#[orm(version)]`) found the row at another
    /// version than the one it was loaded at: someone else changed (or deleted and
    /// recreated) it meanwhile. Nothing was written.
    #[error(
        "the row of `{table}` with key {key} changed since it was loaded (it is no longer at version {version}), so nothing was written: load it again and reapply the change"
    )]
    StaleObject {
        /// The table.
        table: &'static str,
        /// The row's key, as text.
        key: String,
        /// The version the write expected.
        version: i64,
    },
    /// A unique or primary-key constraint was violated.
    #[error("unique constraint violated: {info}; the value already exists")]
    UniqueViolation {
        /// Which constraint.
        info: Box<ConstraintInfo>,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A foreign-key constraint was violated.
    #[error("foreign key violated: {info}; the referenced row is missing or still referenced")]
    ForeignKeyViolation {
        /// Which constraint.
        info: Box<ConstraintInfo>,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A NOT NULL constraint was violated.
    #[error("NOT NULL violated: {info}; give the field a value")]
    NotNullViolation {
        /// Which constraint.
        info: Box<ConstraintInfo>,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A CHECK constraint was violated.
    #[error("check constraint violated: {info}")]
    CheckViolation {
        /// Which constraint.
        info: Box<ConstraintInfo>,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// An UPDATE or DELETE had no filter.
    #[error(
        "refused to {statement} every row of `{table}`{}: add .filter(..), or call .all_rows() if you mean all of them",
        if *keeps_every_row { " (its filter keeps every row: an empty not_in list, a literal true, or a LIKE pattern of only `%` such as contains(\"\"))" } else { "" }
    )]
    UnfilteredMutation {
        /// The table.
        table: &'static str,
        /// `update` or `delete`.
        statement: &'static str,
        /// True when there was a filter, but one that keeps every row.
        keeps_every_row: bool,
    },
    /// A column could not be decoded into its Rust type.
    #[error("cannot decode column `{column}`{}: {message}", table.map(|t| format!(" of `{t}`")).unwrap_or_default())]
    Decode {
        /// The table, when known.
        table: Option<&'static str>,
        /// The column name or position.
        column: String,
        /// What went wrong.
        message: String,
        /// The driver's error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// Values break the validation declared on their fields (`validate(..)`, `max_length`):
    /// refused before anything was sent, every failing field listed.
    #[error("invalid values for `{table}`: {}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Validation {
        /// The model's table.
        table: &'static str,
        /// Every failing field.
        errors: Vec<crate::validation::FieldError>,
    },
    /// A value could not be encoded for the database.
    #[error("cannot encode a value for the database: {message}")]
    Encode {
        /// What went wrong.
        message: String,
    },
    /// The backend lacks a feature: refused before anything is sent.
    #[error(
        "{feature} is not supported on {}: {reason}",
        backend_display_name(backend)
    )]
    Unsupported {
        /// The missing feature, a noun phrase (`"locking rows (FOR UPDATE / FOR SHARE)"`).
        feature: &'static str,
        /// The backend's name (its dialect's `name()`).
        backend: &'static str,
        /// Why, and what to do instead.
        reason: &'static str,
    },
    /// The connection failed.
    #[error("database connection failed: {message}")]
    Connection {
        /// What went wrong.
        message: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// The pool could not hand out a connection.
    #[error("no database connection available: {message}; raise the pool size or acquire timeout")]
    Pool {
        /// What went wrong.
        message: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// The statement was built wrongly.
    #[error("invalid statement: {message}")]
    InvalidStatement {
        /// What is wrong.
        message: String,
    },
    /// The URL or options are invalid.
    #[error("invalid database configuration: {message}")]
    Configuration {
        /// What is wrong.
        message: String,
    },
    /// A relationship was read before it was loaded.
    #[error(
        "the relationship `{relationship}` was not loaded: add `{fix}` to the query, or load it with `.load(&db).await`"
    )]
    NotLoaded {
        /// `Model.field`.
        relationship: String,
        /// The `.with(..)` that loads it (`.with(Post::comments)`).
        fix: String,
    },
    /// The N+1 guard refused to run a statement.
    #[error(
        "N+1 query: `{relationship}` was loaded one parent at a time {count} times in this scope; load it for all parents at once with `{fix}` on the query or `{fix_loaded}`"
    )]
    NPlusOne {
        /// `Model.field`.
        relationship: String,
        /// How many single-parent loads ran.
        count: usize,
        /// The `.with(..)` that loads it with the query.
        fix: String,
        /// The `load_for(..)` that loads it for fetched parents.
        fix_loaded: String,
    },
    /// Model declarations do not fit together.
    #[error("invalid schema: {message}")]
    InvalidSchema {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Migrations cannot run as asked (see [`ErrorKind::Migration`]).
    #[error("migration: {message}")]
    Migration {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Transactions or locks got in each other's way: a serialization failure, a deadlock, a
    /// lock not available, a cancelled statement, a busy database (`kind` says which).
    #[error("{message} ({})", contention_advice(*kind))]
    Contention {
        /// [`ErrorKind::SerializationFailure`], [`ErrorKind::Deadlock`],
        /// [`ErrorKind::LockNotAvailable`], [`ErrorKind::QueryCanceled`] or
        /// [`ErrorKind::Busy`].
        kind: ErrorKind,
        /// SQLSTATE (PostgreSQL) or extended result code (SQLite).
        code: Option<String>,
        /// The database's message.
        message: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// The transaction can no longer commit; it was rolled back.
    #[error(
        "the transaction was rolled back and nothing in it was committed: {reason}; run the whole transaction again"
    )]
    TransactionAborted {
        /// Why: the first statement that failed, or the cancellation.
        reason: String,
        /// The kind of that first failure (`None` for a cancellation): a retryable one
        /// (a deadlock, a serialization failure) makes this error retryable too.
        cause: Option<ErrorKind>,
    },
    /// The savepoint can no longer be released; it was rolled back (or will be, before the
    /// transaction's next statement), and the transaction around it carries on.
    #[error(
        "the savepoint is aborted, so what ran in it is rolled back: {reason}; the transaction around it is still usable"
    )]
    SavepointAborted {
        /// Why: the first statement in it that failed, or the cancellation.
        reason: String,
        /// The kind of that first failure (`None` for a cancellation).
        cause: Option<ErrorKind>,
    },
    /// The connection was lost while `COMMIT` was in flight.
    #[error(
        "the connection was lost during COMMIT, so the transaction may or may not have committed ({message}); check for its effect (for example by an idempotency key) before running it again"
    )]
    CommitUnknown {
        /// What went wrong.
        message: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// `&db` was used where the only connection of an in-memory SQLite database is held by
    /// the transaction (or held connection) the code runs in — inside a `db.transaction(..)`
    /// closure, or in the task holding a `db.begin()` transaction or a `db.acquire()`
    /// connection — so waiting for a connection would never end. Refused at once instead of
    /// after the acquire timeout.
    #[error(
        "the in-memory SQLite database has a single connection and the {holder} this code runs in holds it, so a statement through `&db` would wait for it forever: pass the {holder} (`{fix}`) instead of `&db`, or finish the {holder} first"
    )]
    ConnectionHeld {
        /// What holds the connection: `transaction` or `connection`.
        holder: &'static str,
        /// What to pass instead of `&db`: `&tx` or `&conn`.
        fix: &'static str,
    },
    /// A statement that writes was sent in a read-only transaction (`TxOptions::read_only`);
    /// nothing was written.
    #[error("{message}: the transaction is read-only, so nothing was written")]
    ReadOnly {
        /// SQLSTATE (PostgreSQL) or extended result code (SQLite).
        code: Option<String>,
        /// The database's message.
        message: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A transaction run with retries failed with a retryable error on every attempt; `last`
    /// is the error of the last one. Its [`Error::kind`] is the last error's kind.
    #[error("{last} (gave up after {attempts} attempts)")]
    RetriesExhausted {
        /// How many times the transaction ran.
        attempts: u32,
        /// The error of the last attempt.
        #[source]
        last: Box<Error>,
    },
    /// Any other database error.
    #[error("database error{}: {message}", code.as_ref().map(|c| format!(" [{c}]")).unwrap_or_default())]
    Database {
        /// SQLSTATE (PostgreSQL) or extended result code (SQLite).
        code: Option<String>,
        /// The database's message.
        message: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
}

/// Kinds where running the same thing again (the whole transaction, for a transaction) may
/// succeed: a lost connection, and transactions or locks that got in each other's way. A
/// cancelled statement is not: its timeout would cancel it again.
fn retryable_kind(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Connection
            | ErrorKind::SerializationFailure
            | ErrorKind::Deadlock
            | ErrorKind::LockNotAvailable
            | ErrorKind::Busy
    )
}

/// What a contention error means for the caller.
fn contention_advice(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::SerializationFailure => {
            "serialization failure: another transaction got in the way; run the whole transaction again"
        }
        ErrorKind::Deadlock => "deadlock: run the whole transaction again",
        ErrorKind::LockNotAvailable => "a lock was not available; try again later",
        ErrorKind::QueryCanceled => "the statement was cancelled (a statement timeout?)",
        _ => "the database is busy (locked by another connection); try again later",
    }
}

/// A backend's name as people write it.
fn backend_display_name(backend: &str) -> &str {
    match backend {
        "sqlite" => "SQLite",
        "postgresql" | "postgres" => "PostgreSQL",
        other => other,
    }
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::StaleObject { .. } => ErrorKind::StaleObject,
            Error::UniqueViolation { .. } => ErrorKind::UniqueViolation,
            Error::ForeignKeyViolation { .. } => ErrorKind::ForeignKeyViolation,
            Error::NotNullViolation { .. } => ErrorKind::NotNullViolation,
            Error::CheckViolation { .. } => ErrorKind::CheckViolation,
            Error::UnfilteredMutation { .. } => ErrorKind::UnfilteredMutation,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Encode { .. } => ErrorKind::Encode,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::Connection { .. } => ErrorKind::Connection,
            Error::Pool { .. } => ErrorKind::Pool,
            Error::InvalidStatement { .. } => ErrorKind::InvalidStatement,
            Error::Configuration { .. } => ErrorKind::Configuration,
            Error::Database { .. } => ErrorKind::Database,
            Error::NotLoaded { .. } => ErrorKind::NotLoaded,
            Error::NPlusOne { .. } => ErrorKind::NPlusOne,
            Error::InvalidSchema { .. } => ErrorKind::InvalidSchema,
            Error::Validation { .. } => ErrorKind::Validation,
            Error::Migration { .. } => ErrorKind::Migration,
            Error::TransactionAborted { .. } => ErrorKind::TransactionAborted,
            Error::Contention { kind, .. } => *kind,
            Error::CommitUnknown { .. } => ErrorKind::CommitUnknown,
            Error::ConnectionHeld { .. } => ErrorKind::ConnectionHeld,
            Error::ReadOnly { .. } => ErrorKind::ReadOnly,
            Error::SavepointAborted { .. } => ErrorKind::SavepointAborted,
            Error::RetriesExhausted { last, .. } => last.kind(),
        }
    }

    /// True when running the same operation again may succeed: the connection was lost
    /// ([`ErrorKind::Connection`]; the pool has already sent again what it could prove never
    /// ran, and a transaction that reports it committed nothing), or transactions and locks
    /// got in each other's way ([`ErrorKind::SerializationFailure`], [`ErrorKind::Deadlock`],
    /// [`ErrorKind::LockNotAvailable`], [`ErrorKind::Busy`]; also a
    /// [`ErrorKind::TransactionAborted`] that one of those caused: run the whole transaction
    /// again). Never true for [`Error::CommitUnknown`], whose transaction may have
    /// committed, for a cancelled statement, nor for errors the same input would repeat.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::TransactionAborted {
                cause: Some(cause), ..
            }
            | Error::SavepointAborted {
                cause: Some(cause), ..
            } => retryable_kind(*cause),
            Error::RetriesExhausted { last, .. } => last.is_retryable(),
            other => retryable_kind(other.kind()),
        }
    }

    /// True when the database itself reported the error (it ran the statement and refused
    /// it): inside a transaction, PostgreSQL then aborts the transaction, and orm treats
    /// SQLite the same way.
    pub fn is_reported_by_database(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::UniqueViolation
                | ErrorKind::ForeignKeyViolation
                | ErrorKind::NotNullViolation
                | ErrorKind::CheckViolation
                | ErrorKind::Database
                | ErrorKind::SerializationFailure
                | ErrorKind::Deadlock
                | ErrorKind::LockNotAvailable
                | ErrorKind::QueryCanceled
                | ErrorKind::Busy
                | ErrorKind::ReadOnly
        )
    }

    /// The constraint details of a constraint violation, `None` for other errors.
    pub fn constraint(&self) -> Option<&ConstraintInfo> {
        match self {
            Error::UniqueViolation { info, .. }
            | Error::ForeignKeyViolation { info, .. }
            | Error::NotNullViolation { info, .. }
            | Error::CheckViolation { info, .. } => Some(&**info),
            Error::RetriesExhausted { last, .. } => last.constraint(),
            _ => None,
        }
    }

    /// The constraint details of a constraint violation, to complete them.
    pub fn constraint_mut(&mut self) -> Option<&mut ConstraintInfo> {
        match self {
            Error::UniqueViolation { info, .. }
            | Error::ForeignKeyViolation { info, .. }
            | Error::NotNullViolation { info, .. }
            | Error::CheckViolation { info, .. } => Some(&mut **info),
            _ => None,
        }
    }

    /// A constraint violation of `kind` (one of the four constraint kinds) with its details;
    /// any other kind yields [`Error::Database`].
    pub fn constraint_violation(kind: ErrorKind, info: ConstraintInfo, source: BoxError) -> Self {
        let info = Box::new(info);
        match kind {
            ErrorKind::UniqueViolation => Error::UniqueViolation { info, source },
            ErrorKind::ForeignKeyViolation => Error::ForeignKeyViolation { info, source },
            ErrorKind::NotNullViolation => Error::NotNullViolation { info, source },
            ErrorKind::CheckViolation => Error::CheckViolation { info, source },
            _ => Error::Database {
                code: None,
                message: info.message,
                source,
            },
        }
    }

    /// Name the table of a [`Error::Decode`] that does not name one yet; other errors are
    /// returned unchanged.
    #[must_use]
    pub fn in_table(self, name: &'static str) -> Self {
        match self {
            Error::Decode {
                table: None,
                column,
                message,
                source,
            } => Error::Decode {
                table: Some(name),
                column,
                message,
                source,
            },
            other => other,
        }
    }

    /// A decode error for `column` with a message.
    pub fn decode(column: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Decode {
            table: None,
            column: column.into(),
            message: message.into(),
            source: None,
        }
    }

    /// A decode error of `column` the driver reported as `source` (its text the message).
    pub fn decode_source(
        column: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Decode {
            table: None,
            column: column.into(),
            message: source.to_string(),
            source: Some(Box::new(source)),
        }
    }
}

/// `.optional()` on a `Result<T>`: turns [`Error::NotFound`] into `Ok(None)`.
pub trait OptionalExtension<T> {
    /// `Ok(None)` when the error is `NotFound`, the value or other errors unchanged.
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }
}
