use orm_core::error::{ConstraintInfo, ErrorKind};
use sqlx::error::DatabaseError;
use sqlx::postgres::PgDatabaseError;

/// Classify a PostgreSQL database error by SQLSTATE: the constraint kind and the table,
/// constraint and column the server reports, or `None` when it is not a constraint violation.
/// orm completes the rest from the models (see `orm_core::constraint`).
pub fn classify_pg_error(error: &dyn DatabaseError) -> Option<(ErrorKind, ConstraintInfo)> {
    let kind = match error.code()?.as_ref() {
        "23505" => ErrorKind::UniqueViolation,
        "23503" => ErrorKind::ForeignKeyViolation,
        "23502" => ErrorKind::NotNullViolation,
        "23514" => ErrorKind::CheckViolation,
        _ => return None,
    };
    let pg = error.try_downcast_ref::<PgDatabaseError>();
    let info = ConstraintInfo {
        table: pg.and_then(PgDatabaseError::table).map(str::to_owned),
        constraint: error.constraint().map(str::to_owned),
        columns: pg
            .and_then(PgDatabaseError::column)
            .map(|column| vec![column.to_owned()]),
        message: error.message().to_owned(),
        ..ConstraintInfo::default()
    };
    Some((kind, info))
}

/// The kind of a SQLSTATE that is neither a constraint violation nor a lost connection:
/// `40001` serialization failure, `40P01` deadlock, `55P03` lock not available, `57014`
/// query canceled (a statement timeout), `25006` a write in a read-only transaction.
pub fn code_kind(code: &str) -> Option<ErrorKind> {
    Some(match code {
        "40001" => ErrorKind::SerializationFailure,
        "40P01" => ErrorKind::Deadlock,
        "55P03" => ErrorKind::LockNotAvailable,
        "57014" => ErrorKind::QueryCanceled,
        "25006" => ErrorKind::ReadOnly,
        _ => return None,
    })
}

/// True for the SQLSTATEs that mean the connection is gone: the server shut the session
/// down (`57P01` admin shutdown, `57P02` crash shutdown, `57P03` cannot connect now) or the
/// connection failed (class `08`).
pub fn is_connection_lost(code: &str) -> bool {
    matches!(code, "57P01" | "57P02" | "57P03") || code.starts_with("08")
}
