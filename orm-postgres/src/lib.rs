//! The PostgreSQL backend of orm: dialect, binds, row decoding and SQLSTATE classification,
//! over sqlx.

mod bind;
mod dialect;
mod error;
mod row;

pub use bind::pg_arguments;
pub use dialect::{PgDialect, SEQUENCE_LOCK_SPACE};
pub use error::{classify_pg_error, code_kind, is_connection_lost};
pub use row::PgRowReader;
