//! The escape hatch: hand-written SQL with bound parameters and typed decoding.
//!
//! Placeholders are the backend's own: `?` on SQLite, `$1`.. on PostgreSQL. See the `orm`
//! crate's documentation for an example.

use crate::error::Result;
use crate::executor::Executor;
use crate::selection::{FromRow, FromRowDecoder};
use crate::statement::Statement;
use crate::types::SqlField;
use crate::value::Value;

/// A value [`Raw::bind`] accepts: any column type, or a `&str`.
pub trait RawBind {
    /// The bound value.
    fn into_value(self) -> Value;
}

impl<T: SqlField> RawBind for T {
    fn into_value(self) -> Value {
        self.to_value()
    }
}

impl RawBind for &str {
    fn into_value(self) -> Value {
        Value::String(Some(self.to_owned()))
    }
}

/// A hand-written statement: [`raw`]`(sql).bind(..)`. Values are always bound, never
/// spliced into the text.
#[derive(Debug, Clone)]
pub struct Raw {
    sql: String,
    binds: Vec<Value>,
}

/// Start a hand-written statement. Use the backend's placeholder syntax (`?` on SQLite,
/// `$1`.. on PostgreSQL) and [`Raw::bind`] a value for each.
pub fn raw(sql: impl Into<String>) -> Raw {
    Raw {
        sql: sql.into(),
        binds: Vec::new(),
    }
}

impl Raw {
    /// Bind the next parameter: any column type, or a `&str`.
    pub fn bind<T: RawBind>(mut self, value: T) -> Self {
        self.binds.push(value.into_value());
        self
    }

    fn statement(self) -> Statement {
        Statement {
            sql: self.sql.into(),
            binds: self.binds,
            read_only: false,
            target: None,
        }
    }

    /// Run and decode every row into `T` by position: a tuple, a single column type, or a
    /// `#[derive(FromRow)]` struct (fields in select order).
    pub async fn fetch_as<T: FromRow>(self, db: impl Executor) -> Result<Vec<T>> {
        db.fetch_all(self.statement(), FromRowDecoder::<T>::new())
            .await
    }

    /// Run and decode the first row, if any.
    pub async fn fetch_optional<T: FromRow>(self, db: impl Executor) -> Result<Option<T>> {
        db.fetch_optional(self.statement(), FromRowDecoder::<T>::new())
            .await
    }

    /// Run a statement that returns no rows; returns the number of rows affected.
    pub async fn execute(self, db: impl Executor) -> Result<u64> {
        db.execute(self.statement()).await
    }
}
