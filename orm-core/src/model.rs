//! The traits `#[derive(Model)]` implements, and the per-model statement cache.

use std::sync::{Arc, OnceLock};

use crate::error::Result;
use crate::meta::TableMeta;
use crate::types::RowReader;
use crate::value::Value;

/// A table-backed struct. Implemented by `#[derive(Model)]`; not meant to be written by hand.
pub trait Model: Sized + Send + Sync + Unpin + 'static {
    /// The table's metadata.
    const TABLE: &'static TableMeta;
    /// The primary key: one value, or a tuple for a composite key.
    type Key: Send + Sync;
    /// Decode a full row whose columns are in [`TableMeta::columns`] order.
    fn decode_row<R: RowReader + ?Sized>(row: &R) -> Result<Self>;
    /// The key's values, in [`TableMeta::primary_key`] order.
    fn key_values(key: &Self::Key) -> Vec<Value>;
    /// This row's key.
    fn key(&self) -> Self::Key;
    /// Every column's value, in [`TableMeta::columns`] order.
    fn column_values(&self) -> Vec<Value>;
    /// This model's cache of statements that do not change shape.
    fn statement_cache() -> &'static StatementCache;
}

/// The generated `New<Model>` insert struct: the columns a caller supplies.
pub trait NewModel: Send + Sync {
    /// The model a row of this becomes.
    type Model: Model;
    /// The inserted columns, in the order of [`NewModel::values`].
    const COLUMNS: &'static [&'static str];
    /// Append the values to insert, in [`NewModel::COLUMNS`] order (client-generated keys
    /// are generated here).
    fn push_values(&self, out: &mut Vec<Value>);

    /// The values to insert, in [`NewModel::COLUMNS`] order.
    fn values(&self) -> Vec<Value> {
        let mut values = Vec::with_capacity(Self::COLUMNS.len());
        self.push_values(&mut values);
        values
    }
}

/// Statements whose SQL text never changes for a model, rendered once per dialect.
pub struct StatementCache {
    slots: [OnceLock<Arc<str>>; StatementKind::COUNT * MAX_DIALECTS],
}

/// How many dialects a cache has room for (dialect ids are `0..MAX_DIALECTS`).
pub const MAX_DIALECTS: usize = 4;

/// The cached statement shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// `SELECT * FROM t WHERE key = ..`.
    GetByKey,
    /// `INSERT INTO t (new columns) VALUES (..) RETURNING *`.
    InsertReturning,
    /// `UPDATE t SET every non-key column WHERE key = .. RETURNING *`.
    SaveByKey,
    /// `DELETE FROM t WHERE key = ..`.
    DeleteByKey,
}

impl StatementKind {
    const COUNT: usize = 4;
}

impl StatementCache {
    /// An empty cache.
    pub const fn new() -> Self {
        StatementCache {
            slots: [const { OnceLock::new() }; StatementKind::COUNT * MAX_DIALECTS],
        }
    }

    /// The SQL for `kind` on dialect `dialect_id`, rendering it on first use.
    pub fn get_or_render(
        &self,
        kind: StatementKind,
        dialect_id: usize,
        render: impl FnOnce() -> Result<Arc<str>>,
    ) -> Result<Arc<str>> {
        let slot = &self.slots[kind as usize * MAX_DIALECTS + dialect_id % MAX_DIALECTS];
        if let Some(sql) = slot.get() {
            return Ok(sql.clone());
        }
        let sql = render()?;
        Ok(slot.get_or_init(|| sql).clone())
    }
}

impl Default for StatementCache {
    fn default() -> Self {
        Self::new()
    }
}
