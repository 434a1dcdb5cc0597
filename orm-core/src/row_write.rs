//! Writes of one row by key (`save`, `Tracked::save`, `delete`, `force_delete`, `restore`)
//! and what it means when such a write touches no row: the row is gone
//! ([`Error::NotFound`]) or, for a model with an `#[orm(version)]` column, it changed since
//! it was loaded ([`Error::StaleObject`]).
//!
//! Where the backend has writable CTEs (PostgreSQL) one statement writes and tells which
//! ([`crate::render::probed_write`]); elsewhere a second statement looks the row up, only
//! when the write touched nothing.

use crate::error::{Error, Result};
use crate::executor::{Executor, RowDecoder};
use crate::expr::{BinaryOp, Expr};
use crate::meta::TableMeta;
use crate::render;
use crate::selection::ScalarDecoder;
use crate::statement::{SelectStatement, Statement};
use crate::types::RowReader;
use crate::value::{SqlType, Value};

/// `table.column`.
pub(crate) fn column(table: &'static TableMeta, name: &'static str) -> Expr {
    Expr::Column {
        table: table.name,
        name,
    }
}

/// `column IS [NOT] NULL`.
pub(crate) fn is_null(table: &'static TableMeta, name: &'static str, negated: bool) -> Expr {
    Expr::IsNull {
        expr: Box::new(column(table, name)),
        negated,
    }
}

/// The position of `M`'s version column among its columns.
fn version_index(table: &TableMeta) -> Option<usize> {
    let name = table.version?;
    table.columns.iter().position(|c| c.name == name)
}

/// The version a model's column values (in [`TableMeta::columns`] order) hold, when the
/// model is versioned.
pub(crate) fn version_in(table: &TableMeta, values: &[Value]) -> Option<Value> {
    version_index(table).and_then(|index| values.get(index).cloned())
}

/// `version = version + 1` for a versioned table, unless `assignments` set it already.
pub(crate) fn bump_version(table: &'static TableMeta, assignments: &mut Vec<(&'static str, Expr)>) {
    let Some(name) = table.version else { return };
    if assignments.iter().any(|(assigned, _)| *assigned == name) {
        return;
    }
    assignments.push((
        name,
        Expr::Increment {
            table: table.name,
            name,
        },
    ));
}

/// `filter AND version = <version>` for a versioned write, else `filter`.
pub(crate) fn with_version(
    table: &'static TableMeta,
    filter: Expr,
    version: Option<Value>,
) -> Expr {
    match (table.version, version) {
        (Some(name), Some(version)) => Expr::binary(
            BinaryOp::And,
            filter,
            Expr::binary(BinaryOp::Eq, column(table, name), Expr::Value(version)),
        ),
        _ => filter,
    }
}

/// How to tell, once a write of one row touched nothing, whether the row exists.
pub(crate) struct RowCheck {
    /// The row's table.
    pub(crate) table: &'static TableMeta,
    /// Its key values, for the error message.
    pub(crate) key: Vec<Value>,
    /// The version the write expected; `None` for a model without one (nothing to tell:
    /// the row is missing).
    pub(crate) version: Option<Value>,
    /// The write's filter without the version condition: a row it matches exists but is at
    /// another version.
    pub(crate) probe: Expr,
}

impl RowCheck {
    /// The error of a write that touched nothing, given whether [`RowCheck::probe`] matched
    /// a row.
    fn error(&self, existed: bool) -> Error {
        match &self.version {
            Some(version) if existed => Error::StaleObject {
                table: self.table.name,
                key: key_text(&self.key),
                version: version_number(version),
            },
            _ => Error::NotFound {
                table: self.table.name,
            },
        }
    }

    /// Look the row up (on backends where the write could not say): the error to report.
    pub(crate) async fn explain<E: Executor>(&self, db: E) -> Error {
        if self.version.is_none() {
            return self.error(false);
        }
        match row_exists(db, self.table, self.probe.clone()).await {
            Ok(existed) => self.error(existed),
            Err(error) => error,
        }
    }

    /// True when the write should be sent probed ([`render::probed_write`]).
    pub(crate) fn probes(&self, dialect: &dyn crate::Dialect) -> bool {
        self.version.is_some() && dialect.capabilities().writable_cte
    }
}

/// Whether a row of `table` matches `filter` (soft-deleted rows included): one
/// `SELECT EXISTS (..)`.
pub(crate) async fn row_exists<E: Executor>(
    db: E,
    table: &'static TableMeta,
    filter: Expr,
) -> Result<bool> {
    let mut probe = SelectStatement::new(table.name, Vec::new());
    probe.filter = Some(filter);
    let statement = render::exists(db.dialect(), &probe)?;
    let decoder = ScalarDecoder::<bool>::new(SqlType::Bool, 0);
    Ok(db.fetch_optional(statement, decoder).await? == Some(true))
}

/// `42`, or `(1, "a")` for a composite key.
fn key_text(key: &[Value]) -> String {
    let parts: Vec<String> = key
        .iter()
        .map(|value| match value {
            Value::I16(Some(v)) => v.to_string(),
            Value::I32(Some(v)) => v.to_string(),
            Value::I64(Some(v)) => v.to_string(),
            Value::String(Some(v)) => format!("{v:?}"),
            Value::Uuid(Some(v)) => v.to_string(),
            other => format!("{other:?}"),
        })
        .collect();
    match parts.as_slice() {
        [one] => one.clone(),
        _ => format!("({})", parts.join(", ")),
    }
}

fn version_number(version: &Value) -> i64 {
    match version {
        Value::I64(Some(v)) => *v,
        Value::I32(Some(v)) => i64::from(*v),
        Value::I16(Some(v)) => i64::from(*v),
        _ => 0,
    }
}

/// Decodes the row of a [`render::probed_write`]: the written row's returned columns with
/// `inner` (only when a row was written), then the two flags at `flags`.
struct Probed<D> {
    inner: D,
    flags: usize,
}

impl<D: RowDecoder> RowDecoder for Probed<D> {
    type Output = (Option<D::Output>, bool);

    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<Self::Output> {
        let written = row.read_bool(self.flags)?.unwrap_or(false);
        let existed = row.read_bool(self.flags + 1)?.unwrap_or(false);
        let output = if written {
            Some(self.inner.decode(row)?)
        } else {
            None
        };
        Ok((output, existed))
    }
}

/// Decodes nothing (a probed delete returns its key only to tell it wrote).
pub(crate) struct NoColumns;

impl RowDecoder for NoColumns {
    type Output = ();
    fn decode<R: RowReader + ?Sized>(&self, _: &R) -> Result<()> {
        Ok(())
    }
}

/// Send `statement`, a write of one row whose `RETURNING` row (`returned` columns) decodes
/// with `decoder`: sent as a [`render::probed_write`] when `probed`, else as a plain write
/// looked into with [`RowCheck::explain`] when it returns nothing.
pub(crate) async fn write_returning<D: RowDecoder, E: Executor>(
    db: E,
    statement: Statement,
    returned: usize,
    probed: bool,
    decoder: D,
    check: &RowCheck,
) -> Result<D::Output> {
    if probed {
        let probed = Probed {
            inner: decoder,
            flags: returned,
        };
        return match db.fetch_optional(statement, probed).await? {
            Some((Some(output), _)) => Ok(output),
            Some((None, existed)) => Err(check.error(existed)),
            None => Err(check.error(false)),
        };
    }
    match db.fetch_optional(statement, decoder).await? {
        Some(output) => Ok(output),
        None => Err(check.explain(db).await),
    }
}

/// The statement of a write of one row: `write` probed with `check.probe` on backends with
/// writable CTEs when the model is versioned, else `write` alone. Returns it with whether
/// it is probed.
pub(crate) fn row_write_statement(
    dialect: &dyn crate::Dialect,
    write: render::RowWrite<'_>,
    check: &RowCheck,
) -> Result<(Statement, bool)> {
    if check.probes(dialect) {
        Ok((render::probed_write(dialect, write, &check.probe)?, true))
    } else {
        let statement = match write {
            render::RowWrite::Update(update) => render::update(dialect, update)?,
            render::RowWrite::Delete(delete) => render::delete(dialect, delete)?,
        };
        Ok((statement, false))
    }
}
