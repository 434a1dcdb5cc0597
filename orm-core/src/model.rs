//! The traits `#[derive(Model)]` implements, and the per-model statement cache.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::error::Result;
use crate::meta::TableMeta;
use crate::types::{RowReader, SqlField};
use crate::value::Value;

/// A table-backed struct. Implemented by `#[derive(Model)]`; not meant to be written by hand.
pub trait Model: Sized + Send + Sync + Unpin + 'static {
    /// The table's metadata.
    const TABLE: &'static TableMeta;
    /// The primary key: one value, or a tuple for a composite key.
    type Key: Send + Sync;
    /// The insert struct (`New<Model>`).
    type New;
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

    /// Runs [`Hooks::before_update`] for a model with `#[orm(hooks)]`; nothing otherwise.
    #[doc(hidden)]
    fn hook_before_update(&mut self) -> Result<()> {
        Ok(())
    }

    /// A copy of the model after [`Hooks::before_update`] for a model with `#[orm(hooks)]`
    /// (the session writes the copy, so that a failed flush leaves its object as it was);
    /// `None` otherwise.
    #[doc(hidden)]
    fn hook_updated_copy(&self) -> Result<Option<Self>> {
        Ok(None)
    }

    /// Runs [`Hooks::before_delete`] for a model with `#[orm(hooks)]`; nothing otherwise.
    #[doc(hidden)]
    fn hook_before_delete(&self) -> Result<()> {
        Ok(())
    }
}

/// Lifecycle hooks of a model whose derive says `#[orm(hooks)]`: normalise a value, fill a
/// slug, refuse a delete. They run on single-row operations: `before_insert` on `insert`, on
/// every row of `insert_many` and on a child created through a relationship, `before_update` on `save` and `Tracked::save`,
/// `before_delete` on `delete` and `force_delete`, `after_load` on every row decoded
/// (queries, `get`, relationship loads). Bulk statements (`orm::insert(..)` of many rows,
/// `Model::update()`, `Model::delete()`) do not run them: they write rows orm does not hold
/// as models. The session runs `after_load` and, on flush, `before_insert` (on each added
/// row), `before_update` and `before_delete`. A model with hooks must be `Clone` (the session
/// runs `before_update` on a copy, so that a failed flush leaves its object as it was). A hook's error stops the operation before
/// anything is sent; validation runs after `before_insert` / `before_update`, on what they
/// left.
///
/// ```text
/// use orm::prelude::*;
///
/// #[derive(Model, Debug, Clone)]
/// #[orm(table = "tags", hooks)]
/// struct Tag {
///     #[orm(primary_key)]
///     id: i64,
///     name: String,
/// }
///
/// impl orm::Hooks for Tag {
///     fn before_insert(row: &mut NewTag) -> orm::Result<()> {
///         row.name = row.name.trim().to_lowercase();
///         Ok(())
///     }
/// }
/// ```
pub trait Hooks: Model {
    /// Before a row is inserted: change it, or refuse with an error.
    fn before_insert(row: &mut Self::New) -> Result<()> {
        let _ = row;
        Ok(())
    }
    /// Before a loaded row is written back.
    fn before_update(&mut self) -> Result<()> {
        Ok(())
    }
    /// Before a loaded row is deleted: an error refuses the delete.
    fn before_delete(&self) -> Result<()> {
        Ok(())
    }
    /// After a row is decoded.
    fn after_load(&mut self) -> Result<()> {
        Ok(())
    }
}

/// A model with an `#[orm(soft_delete)]` column: deleting sets it, reads hide the rows where
/// it is set, and the row can be restored. Implemented by `#[derive(Model)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no soft-delete column",
    label = "`{Self}` rows are removed when deleted: there is nothing to restore or list as deleted",
    note = "add #[orm(soft_delete)] to a `deleted_at: Option<DateTime<Utc>>` field of `{Self}`"
)]
pub trait SoftDelete: Model {}

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

    /// The value this row gives for a key the database would generate (an identity /
    /// autoincrement integer key, which [`NewModel::COLUMNS`] leave out), if it gives one.
    /// Such a row is inserted with the key column before [`NewModel::COLUMNS`], and on
    /// PostgreSQL the key's sequence is first moved past it.
    ///
    /// `None` for the generated structs; [`WithKey`] returns its key.
    fn explicit_key(&self) -> Option<Value> {
        None
    }

    /// True for a model with `#[orm(hooks)]`, whose [`NewModel::hook_before_insert`] may
    /// change or refuse the row.
    #[doc(hidden)]
    const HOOKED: bool = false;

    /// The row after [`Hooks::before_insert`] for a model with `#[orm(hooks)]`; `None`
    /// (the row as it is) otherwise.
    #[doc(hidden)]
    fn hook_before_insert(&self) -> Result<Option<Self>>
    where
        Self: Sized,
    {
        Ok(None)
    }
}

/// A `New<Model>` whose model has a single generated key — an integer the database
/// generates, or a UUID orm generates — that a row may give explicitly instead, with
/// `.with_key(..)` ([`WithKey`]). Implemented by `#[derive(Model)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no generated key that could be given explicitly",
    label = "the model's key is not generated",
    note = "a key that is not generated (a String or other natural key, a key marked `auto = false`, a composite key) is a field of `{Self}`: set it there"
)]
pub trait GeneratedKey: NewModel {
    /// The key's Rust type (`i64`, `i32`, `i16`, `Uuid`).
    type Key: SqlField + Clone + std::fmt::Debug + PartialEq;

    /// Append the values to insert for a row that gives `key`, in [`NewModel::COLUMNS`]
    /// order: a UUID key orm would generate takes `key` instead; a key the database generates
    /// is not among the columns (it goes through [`NewModel::explicit_key`]), so this is
    /// [`NewModel::push_values`].
    fn push_values_with_key(&self, key: &Self::Key, out: &mut Vec<Value>);
}

/// A `New<Model>` row with its generated key given explicitly — to load fixtures, restore a
/// backup or copy rows from another system — or not (`key: None` generates it as usual).
///
/// Made by `new_row.with_key(42)` (`orm::NewModelExt::with_key`); a `WithKey` is itself a
/// [`NewModel`], so it inserts with `.insert(&db)`, `insert_many` and `orm::insert(..)`,
/// and one bulk insert may mix rows with and without keys.
///
/// On PostgreSQL the key's identity sequence is moved past the largest explicit key before
/// the rows are inserted, so later generated keys do not collide with them; SQLite's
/// `AUTOINCREMENT` moves past every inserted key by itself.
pub struct WithKey<N: GeneratedKey> {
    /// The key to insert; `None` lets it be generated.
    pub key: Option<N::Key>,
    /// The row.
    pub row: N,
}

impl<N: GeneratedKey> WithKey<N> {
    /// `row` with `key` (`None`: generated as usual).
    pub fn new(row: N, key: impl Into<Option<N::Key>>) -> Self {
        WithKey {
            key: key.into(),
            row,
        }
    }
}

impl<N: GeneratedKey + Clone> Clone for WithKey<N> {
    fn clone(&self) -> Self {
        WithKey {
            key: self.key.clone(),
            row: self.row.clone(),
        }
    }
}

impl<N: GeneratedKey + std::fmt::Debug> std::fmt::Debug for WithKey<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithKey")
            .field("key", &self.key)
            .field("row", &self.row)
            .finish()
    }
}

impl<N: GeneratedKey> NewModel for WithKey<N> {
    type Model = N::Model;
    const COLUMNS: &'static [&'static str] = N::COLUMNS;

    fn push_values(&self, out: &mut Vec<Value>) {
        match &self.key {
            Some(key) => self.row.push_values_with_key(key, out),
            None => self.row.push_values(out),
        }
    }

    const HOOKED: bool = N::HOOKED;

    fn hook_before_insert(&self) -> Result<Option<Self>> {
        Ok(self.row.hook_before_insert()?.map(|row| WithKey {
            key: self.key.clone(),
            row,
        }))
    }

    fn explicit_key(&self) -> Option<Value> {
        let column = <N::Model as Model>::TABLE.database_generated_key()?;
        self.key
            .as_ref()
            .map(|key| key.to_value().conform(column.ty))
    }
}

/// Statements whose SQL text never changes for a model, rendered once per dialect; and the
/// text of the multi-row inserts of the last few shapes (`insert_many`: the same columns and
/// number of rows give the same SQL, only the binds change).
pub struct StatementCache {
    slots: [OnceLock<Arc<str>>; StatementKind::COUNT * MAX_DIALECTS],
    inserts: Mutex<Vec<InsertShape>>,
}

/// A multi-row insert's SQL by what it depends on.
struct InsertShape {
    dialect_id: usize,
    columns: Vec<&'static str>,
    rows: usize,
    sql: Arc<str>,
}

/// How many multi-row insert shapes a model keeps (the oldest goes first): a bulk load
/// repeats its full chunk and ends with one shorter one.
const INSERT_SHAPES: usize = 8;

/// How many dialects a cache has room for (dialect ids are `0..MAX_DIALECTS`).
pub const MAX_DIALECTS: usize = 4;

/// The cached statement shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// `SELECT * FROM t WHERE key = ..`.
    GetByKey,
    /// `INSERT INTO t (new columns) VALUES (..) RETURNING *`.
    InsertReturning,
    /// The same with the generated key given explicitly: `INSERT INTO t (key, new columns)`.
    InsertWithKeyReturning,
    /// `UPDATE t SET every non-key column WHERE key = .. RETURNING *`.
    SaveByKey,
    /// `DELETE FROM t WHERE key = ..`.
    DeleteByKey,
}

impl StatementKind {
    const COUNT: usize = 5;
}

impl StatementCache {
    /// An empty cache.
    pub const fn new() -> Self {
        StatementCache {
            slots: [const { OnceLock::new() }; StatementKind::COUNT * MAX_DIALECTS],
            inserts: Mutex::new(Vec::new()),
        }
    }

    /// The SQL of a multi-row insert of `rows` rows into `columns` on dialect `dialect_id`,
    /// rendering it (`render`) when this shape is not kept.
    pub fn insert_sql(
        &self,
        dialect_id: usize,
        columns: &[&'static str],
        rows: usize,
        render: impl FnOnce() -> Result<Arc<str>>,
    ) -> Result<Arc<str>> {
        let lock = || self.inserts.lock().unwrap_or_else(PoisonError::into_inner);
        let found = lock()
            .iter()
            .find(|shape| {
                shape.dialect_id == dialect_id && shape.rows == rows && shape.columns == columns
            })
            .map(|shape| shape.sql.clone());
        if let Some(sql) = found {
            return Ok(sql);
        }
        let sql = render()?;
        let mut shapes = lock();
        if shapes.len() == INSERT_SHAPES {
            shapes.remove(0);
        }
        shapes.push(InsertShape {
            dialect_id,
            columns: columns.to_vec(),
            rows,
            sql: sql.clone(),
        });
        Ok(sql)
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
