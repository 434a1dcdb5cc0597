//! The SQLite backend of orm: dialect, binds, row decoding, error classification and
//! connection options, over sqlx.
//!
//! Storage choices, made so every type round-trips exactly and orders correctly:
//! `Decimal` is an INTEGER scaled by `10^scale` of its `NUMERIC(p, s)` (p ≤ 18);
//! timestamps are fixed-width ISO-8601 text with microseconds (`Z`-suffixed for
//! `DateTime<Utc>`); UUIDs are 16-byte BLOBs; JSON is text; arrays are JSON arrays.

mod bind;
mod connect;
mod decimal;
mod dialect;
mod error;
#[allow(unsafe_code)]
mod functions;
mod json;
mod lookup;
#[allow(unsafe_code)]
pub mod plans;
mod row;
mod timeout;

pub use bind::sqlite_arguments;
pub use connect::{SqliteConfig, sqlite_config};
pub use dialect::SqliteDialect;
pub use error::{classify_sqlite_error, code_kind};
pub use functions::{EXACT, register_functions};
pub use lookup::foreign_key_lookups;
pub use row::SqliteRowReader;
pub use timeout::StatementDeadline;
