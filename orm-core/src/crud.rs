//! Operations on single rows by key, inserts, and [`Tracked`] change tracking. Statements whose
//! shape never changes are rendered once per model and dialect ([`crate::StatementCache`]).

use std::borrow::Borrow;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::dialect::{Dialect, SequencePast};
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::expr::{BinaryOp, Expr};
use crate::meta::{AutoTimestamp, ColumnMeta, TableMeta};
use crate::model::{Model, NewModel, StatementKind};
use crate::render::{self, RowWrite};
use crate::row_write::{
    NoColumns, RowCheck, bump_version, row_exists, row_write_statement, version_in, with_version,
    write_returning,
};
use crate::select::model_columns;
use crate::selection::ModelDecoder;
use crate::statement::{
    DeleteStatement, InsertStatement, SelectStatement, Statement, UpdateStatement, WriteTarget,
};
use crate::value::{SqlType, Value};

/// `key1 = ? AND key2 = ?` over the primary key, with the given values: the row a write by
/// key changes (only if it is of the model's variant, for a single-table inheritance).
pub(crate) fn key_filter<M: Model>(values: Vec<Value>) -> Expr {
    let key = key_equality::<M>(values);
    M::TABLE
        .variant_rows(Some(key))
        .expect("a filter was given")
}

/// `key1 = ? AND key2 = ?` over the primary key: a read by key (whose `FROM` limits a
/// variant's rows itself).
fn key_equality<M: Model>(values: Vec<Value>) -> Expr {
    let table = M::TABLE;
    let mut filter: Option<Expr> = None;
    for (name, value) in table.primary_key.iter().zip(values) {
        let eq = Expr::binary(
            BinaryOp::Eq,
            Expr::Column {
                table: table.name,
                name,
            },
            Expr::Value(value),
        );
        filter = Some(match filter {
            None => eq,
            Some(f) => Expr::binary(BinaryOp::And, f, eq),
        });
    }
    filter.unwrap_or(Expr::Value(Value::Bool(Some(false))))
}

fn placeholder_key<M: Model>() -> Vec<Value> {
    M::TABLE
        .primary_key
        .iter()
        .map(|name| match M::TABLE.column(name) {
            Some(column) => placeholder(column),
            None => Value::I64(Some(0)),
        })
        .collect()
}

/// A stand-in for a value of `column` in a statement whose SQL is cached (the binds are
/// replaced): what renders as that column's values do (a native enum's label is cast).
fn placeholder(column: &ColumnMeta) -> Value {
    match column.ty {
        SqlType::Enum(native) => Value::Enum(None, native),
        _ => Value::I64(Some(0)),
    }
}

fn cached<M: Model>(
    dialect: &dyn Dialect,
    kind: StatementKind,
    render: impl FnOnce() -> Result<Statement>,
) -> Result<Arc<str>> {
    M::statement_cache().get_or_render(kind, dialect.id(), || Ok(render()?.sql))
}

/// A query for the row with primary key `key` (run it with `.one`, `.optional`, ..).
pub fn find<M: Model>(key: &M::Key) -> crate::select::Select<M> {
    let filter = key_equality::<M>(M::key_values(key));
    crate::select::Select::new().filter(crate::expr::TypedExpr::<bool>::new(
        filter,
        crate::value::SqlType::Bool,
    ))
}

/// The statement `M::get` runs.
pub fn get_statement<M: Model>(dialect: &dyn Dialect, key: &M::Key) -> Result<Statement> {
    let sql = cached::<M>(dialect, StatementKind::GetByKey, || {
        let mut select = SelectStatement::of_model(M::TABLE, model_columns::<M>());
        select.filter = Some(key_equality::<M>(placeholder_key::<M>()));
        render::select(dialect, &select)
    })?;
    Ok(Statement {
        sql,
        binds: M::key_values(key),
        read_only: true,
        target: None,
    })
}

/// Fetch the row with primary key `key`: [`Error::NotFound`] when there is none.
pub async fn get<M: Model, E: Executor>(db: E, key: M::Key) -> Result<M> {
    let statement = get_statement::<M>(db.dialect(), &key)?;
    db.fetch_optional(statement, ModelDecoder::<M>::new())
        .await?
        .ok_or(Error::NotFound {
            table: M::TABLE.name,
        })
}

/// The integer value of an explicit key (the largest one bounds the key's sequence).
pub(crate) fn integer_key(value: &Value) -> Option<i64> {
    match value {
        Value::I64(key) => *key,
        Value::I32(key) => key.map(i64::from),
        Value::I16(key) => key.map(i64::from),
        _ => None,
    }
}

/// The statement that moves the sequence of `M`'s database-generated key past the largest of
/// `keys`, explicit keys about to be inserted; `None` when there are none or the backend
/// needs nothing (SQLite).
pub(crate) fn advance_past_keys<'a, M: Model>(
    dialect: &dyn Dialect,
    keys: impl IntoIterator<Item = &'a Value>,
) -> Option<Statement> {
    let column = M::TABLE.database_generated_key()?;
    let largest = keys.into_iter().filter_map(integer_key).max()?;
    dialect.advance_key_sequence(M::TABLE.name, column.name, SequencePast::Key(largest))
}

/// The columns of a row that gives its database-generated key: the key, then `columns`.
pub(crate) fn with_key_column(key: &ColumnMeta, columns: &[&'static str]) -> Vec<&'static str> {
    let mut out = Vec::with_capacity(columns.len() + 1);
    out.push(key.name);
    out.extend_from_slice(columns);
    out
}

/// The columns and values one row inserts: [`NewModel::COLUMNS`], after the key when the row
/// gives a database-generated key explicitly.
pub(crate) fn row_columns_values<N: NewModel>(row: &N) -> (Vec<&'static str>, Vec<Value>) {
    let mut values = Vec::with_capacity(N::COLUMNS.len() + 1);
    match (row.explicit_key(), N::Model::TABLE.database_generated_key()) {
        (Some(key), Some(column)) => {
            values.push(key);
            row.push_values(&mut values);
            (with_key_column(column, N::COLUMNS), values)
        }
        _ => {
            row.push_values(&mut values);
            (N::COLUMNS.to_vec(), values)
        }
    }
}

/// The statement inserting one `N` and returning the whole row. For a row that gives its
/// database-generated key ([`crate::model::WithKey`]) this is the insert alone: on
/// PostgreSQL [`insert`] first moves the key's sequence past it.
pub fn insert_statement<N: NewModel>(dialect: &dyn Dialect, row: &N) -> Result<Statement> {
    let (columns, values) = row_columns_values(row);
    values.iter().try_for_each(crate::faithful::check_stored)?;
    let kind = if columns.len() == N::COLUMNS.len() {
        StatementKind::InsertReturning
    } else {
        StatementKind::InsertWithKeyReturning
    };
    let sql = cached::<N::Model>(dialect, kind, || {
        render::insert(
            dialect,
            InsertStatement {
                returning: model_columns::<N::Model>(),
                ..InsertStatement::new(N::Model::TABLE.name, columns, values.clone())
            },
        )
    })?;
    Ok(Statement {
        sql,
        binds: values,
        read_only: false,
        target: None,
    }
    .writing(WriteTarget::insert(N::Model::TABLE, N::COLUMNS, 1, &[])))
}

/// Insert one row and return it as stored, with database-generated values filled in.
///
/// A row that gives its database-generated key first moves the key's sequence past it (on
/// PostgreSQL; forward only, under a lock held to the end of the transaction), so keys
/// generated later do not collide with it.
pub async fn insert<N: NewModel, E: Executor>(db: E, row: &N) -> Result<N::Model> {
    let hooked = row.hook_before_insert()?;
    let row = hooked.as_ref().unwrap_or(row);
    let statement = insert_statement(db.dialect(), row)?;
    if let Some(advance) = advance_past_keys::<N::Model>(db.dialect(), &row.explicit_key()) {
        db.execute(advance).await?;
    }
    db.fetch_optional(statement, ModelDecoder::<N::Model>::new())
        .await?
        .ok_or(Error::NotFound {
            table: N::Model::TABLE.name,
        })
}

/// Multi-row inserts of `rows` into `columns`, each under the dialect's bind limit, appended
/// to `out`; `push` appends one row's values.
fn push_chunks<N: NewModel, T: Borrow<N>>(
    dialect: &dyn Dialect,
    columns: &[&'static str],
    rows: &[T],
    push: impl Fn(&N, &mut Vec<Value>),
    out: &mut Vec<Statement>,
) -> Result<()> {
    // With no insertable column each row is its own `INSERT .. DEFAULT VALUES`.
    let per_statement = match columns.len() {
        0 => 1,
        width => (dialect.capabilities().max_binds / width).max(1),
    };
    out.reserve(rows.len().div_ceil(per_statement));
    // The SQL depends on the columns and the number of rows only, unless a native enum's
    // label is cast by the value's type (then each chunk is rendered).
    let table = N::Model::TABLE;
    let cacheable = !columns.is_empty()
        && columns
            .iter()
            .all(|name| !matches!(table.column(name).map(|c| c.ty), Some(SqlType::Enum(_))));
    for chunk in rows.chunks(per_statement) {
        let mut values = Vec::with_capacity(chunk.len() * columns.len());
        for row in chunk {
            push(row.borrow(), &mut values);
        }
        let target = WriteTarget::insert(table, columns, chunk.len(), &[]);
        let insert = |values| InsertStatement::new(table.name, columns.to_vec(), values);
        if !cacheable || values.len() != chunk.len() * columns.len() {
            out.push(render::insert(dialect, insert(values))?.writing(target));
            continue;
        }
        let mut rendered = None;
        let sql =
            N::Model::statement_cache().insert_sql(dialect.id(), columns, chunk.len(), || {
                let statement = render::insert(dialect, insert(std::mem::take(&mut values)))?;
                let sql = statement.sql.clone();
                rendered = Some(statement);
                Ok(sql)
            })?;
        let statement = match rendered {
            Some(statement) => statement,
            None => {
                // What rendering checks of each value (an exact decimal), without writing
                // the SQL again.
                values.iter().try_for_each(crate::faithful::check_stored)?;
                Statement {
                    sql,
                    binds: values,
                    read_only: false,
                    target: None,
                }
            }
        };
        out.push(statement.writing(target));
    }
    Ok(())
}

/// The statements of [`insert_many`], and how many of them come before the inserts (moving
/// a key sequence).
fn insert_many_parts<N: NewModel>(
    dialect: &dyn Dialect,
    rows: &[N],
) -> Result<(usize, Vec<Statement>)> {
    let mut statements = Vec::new();
    let key_column = N::Model::TABLE
        .database_generated_key()
        .filter(|_| rows.iter().any(|row| row.explicit_key().is_some()));
    let Some(key_column) = key_column else {
        push_chunks(dialect, N::COLUMNS, rows, N::push_values, &mut statements)?;
        return Ok((0, statements));
    };
    // Rows that give their key first, then the others, each in their order. The sequence
    // moves first, so generated keys never meet the explicit ones whatever the order.
    let (keyed, generated): (Vec<&N>, Vec<&N>) =
        rows.iter().partition(|row| row.explicit_key().is_some());
    let keys: Vec<Value> = keyed.iter().filter_map(|row| row.explicit_key()).collect();
    statements.extend(advance_past_keys::<N::Model>(dialect, &keys));
    let before = statements.len();
    let push_keyed = |row: &N, out: &mut Vec<Value>| {
        out.extend(row.explicit_key());
        row.push_values(out);
    };
    let columns = with_key_column(key_column, N::COLUMNS);
    push_chunks(dialect, &columns, &keyed, push_keyed, &mut statements)?;
    push_chunks(
        dialect,
        N::COLUMNS,
        &generated,
        N::push_values,
        &mut statements,
    )?;
    Ok((before, statements))
}

/// The multi-row statements inserting `rows`, each under the dialect's bind limit. When rows
/// give their database-generated key ([`crate::model::WithKey`]), those rows come first in
/// statements of their own, after the statement moving the key's sequence past them (on
/// PostgreSQL).
pub fn insert_many_statements<N: NewModel>(
    dialect: &dyn Dialect,
    rows: &[N],
) -> Result<Vec<Statement>> {
    Ok(insert_many_parts(dialect, rows)?.1)
}

/// Insert many rows in multi-row statements that stay under the backend's bind limit, all or
/// nothing. Returns the number of rows inserted. Rows may give their generated key or not
/// ([`crate::model::WithKey`]); see [`insert_many_statements`].
pub async fn insert_many<N: NewModel, E: Executor>(db: E, rows: &[N]) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let hooked = rows
        .iter()
        .filter_map(|row| row.hook_before_insert().transpose())
        .collect::<Result<Vec<N>>>()?;
    let rows = if hooked.is_empty() { rows } else { &hooked };
    let (before, statements) = insert_many_parts(db.dialect(), rows)?;
    Ok(db
        .execute_atomic(statements)
        .await?
        .iter()
        .skip(before)
        .sum())
}

/// Columns `save` writes from the model's values: all but the key and the columns orm
/// maintains (`created_at` is kept, `updated_at` set to now, the version bumped, the
/// soft-delete column left to `delete` / `restore`).
fn saved_by_value(table: &TableMeta, column: &ColumnMeta) -> bool {
    !column.primary_key
        && column.auto_timestamp == AutoTimestamp::No
        && table.version != Some(column.name)
        && table.soft_delete != Some(column.name)
}

/// `SET` of `save`: a placeholder per column saved by value, then `updated_at = now` and
/// `version = version + 1`.
fn save_assignments<M: Model>() -> Vec<(&'static str, Expr)> {
    let mut assignments: Vec<(&'static str, Expr)> = M::TABLE
        .columns
        .iter()
        .filter(|column| saved_by_value(M::TABLE, column))
        .map(|column| (column.name, Expr::Value(placeholder(column))))
        .collect();
    crate::mutation::bump_updated_at(M::TABLE, &mut assignments);
    bump_version(M::TABLE, &mut assignments);
    assignments
}

/// The check of a write of `M`'s row with key `key` that expects `version`: `probe` is the
/// filter without the version condition.
fn row_check<M: Model>(key: Vec<Value>, version: Option<Value>, probe: Expr) -> RowCheck {
    RowCheck {
        table: M::TABLE,
        key,
        version,
        probe,
    }
}

/// The probe of a cached statement: its binds follow the write's (see [`row_write_binds`]).
fn placeholder_version<M: Model>() -> Option<Value> {
    M::TABLE.version.map(|_| Value::I64(Some(0)))
}

/// The binds of a cached single-row write after its `SET` values: the key, the version,
/// and the key again when the write is probed (its probe filters on the key).
fn row_write_binds(binds: &mut Vec<Value>, check: &RowCheck, probed: bool) {
    binds.extend(check.key.iter().cloned());
    binds.extend(check.version.iter().cloned());
    if probed {
        binds.extend(check.key.iter().cloned());
    }
}

/// Write every column of `model` to its row (by key), bump `updated_at`, and refresh `model`
/// from the stored row. [`Error::NotFound`] when the row no longer exists; for a versioned
/// model, the write expects the version `model` holds and bumps it, and a row at another
/// version is [`Error::StaleObject`] (nothing written).
pub async fn save<M: Model, E: Executor>(db: E, model: &mut M) -> Result<()> {
    model.hook_before_update()?;
    let dialect = db.dialect();
    let values = model.column_values();
    let key = M::key_values(&model.key());
    let check = row_check::<M>(
        key.clone(),
        version_in(M::TABLE, &values),
        key_filter::<M>(key),
    );
    let probed = check.probes(dialect);
    let sql = cached::<M>(dialect, StatementKind::SaveByKey, || {
        let update = UpdateStatement {
            table: M::TABLE.name,
            assignments: save_assignments::<M>(),
            filter: Some(with_version(
                M::TABLE,
                key_filter::<M>(placeholder_key::<M>()),
                placeholder_version::<M>(),
            )),
            returning: model_columns::<M>(),
        };
        let probe = key_filter::<M>(placeholder_key::<M>());
        let check = row_check::<M>(Vec::new(), placeholder_version::<M>(), probe);
        Ok(row_write_statement(dialect, RowWrite::Update(&update), &check)?.0)
    })?;
    let saved: Vec<(&'static ColumnMeta, Value)> = M::TABLE
        .columns
        .iter()
        .zip(values)
        .filter(|(column, _)| saved_by_value(M::TABLE, column))
        .collect();
    let mut written: Vec<(&'static str, Option<&Value>)> = saved
        .iter()
        .map(|(column, v)| (column.name, Some(v)))
        .collect();
    written.extend(
        M::TABLE
            .columns
            .iter()
            .filter(|column| column.auto_timestamp == AutoTimestamp::UpdatedAt)
            .map(|column| (column.name, None)),
    );
    let target = WriteTarget::update_row(M::TABLE, &written, Some(check.probe.clone()));
    let mut binds: Vec<Value> = saved.into_iter().map(|(_, v)| v).collect();
    binds.iter().try_for_each(crate::faithful::check_stored)?;
    row_write_binds(&mut binds, &check, probed);
    let statement = Statement {
        sql,
        binds,
        read_only: false,
        target: None,
    }
    .writing(target);
    *model = write_row::<M, E>(db, statement, probed, &check).await?;
    Ok(())
}

/// Send a write of one row of `M` returning the whole row (see [`write_returning`]).
async fn write_row<M: Model, E: Executor>(
    db: E,
    statement: Statement,
    probed: bool,
    check: &RowCheck,
) -> Result<M> {
    let columns = M::TABLE.columns.len();
    write_returning(
        db,
        statement,
        columns,
        probed,
        ModelDecoder::<M>::new(),
        check,
    )
    .await
}

/// Delete `model`'s row: for a model with an `#[orm(soft_delete)]` column, set that column
/// (the row stays, hidden from reads, with the children its relationships cascade to);
/// otherwise remove it ([`force_delete`]). [`Error::NotFound`] when there is no such (live)
/// row; for a versioned model, [`Error::StaleObject`] when the row is at another version
/// than `model`'s.
pub async fn delete<M: Model, E: Executor>(db: E, model: &M) -> Result<()> {
    model.hook_before_delete()?;
    match M::TABLE.soft_delete {
        Some(deleted_at) => soft_delete_row(db, model, deleted_at).await,
        None => remove_row(db, model).await,
    }
}

/// The columns a probed write returns to say it wrote: the key.
fn key_columns<M: Model>() -> Vec<Expr> {
    M::TABLE
        .primary_key
        .iter()
        .map(|name| Expr::Column {
            table: M::TABLE.name,
            name,
        })
        .collect()
}

/// Remove `model`'s row, soft-deleted or not (junction rows of its many-to-many
/// relationships first, where they do not cascade). [`Error::NotFound`] when it does not
/// exist; [`Error::StaleObject`] when a versioned row is at another version than `model`'s.
pub async fn force_delete<M: Model, E: Executor>(db: E, model: &M) -> Result<()> {
    model.hook_before_delete()?;
    remove_row(db, model).await
}

/// [`force_delete`] without the hook.
async fn remove_row<M: Model, E: Executor>(db: E, model: &M) -> Result<()> {
    let dialect = db.dialect();
    let key = M::key_values(&model.key());
    let version = version_in(M::TABLE, &model.column_values());
    let filter = with_version(M::TABLE, key_filter::<M>(key.clone()), version.clone());
    let check = row_check::<M>(key.clone(), version, key_filter::<M>(key));
    let cleanup = crate::relation::junction_cleanup::<M>(dialect, Some(&filter))?;
    let probed = cleanup.is_empty() && check.probes(dialect);
    let sql = cached::<M>(dialect, StatementKind::DeleteByKey, || {
        let delete = DeleteStatement {
            table: M::TABLE.name,
            filter: Some(with_version(
                M::TABLE,
                key_filter::<M>(placeholder_key::<M>()),
                placeholder_version::<M>(),
            )),
            returning: if probed {
                key_columns::<M>()
            } else {
                Vec::new()
            },
        };
        let probe = key_filter::<M>(placeholder_key::<M>());
        let check = row_check::<M>(Vec::new(), placeholder_version::<M>(), probe);
        let (statement, _) = if probed {
            row_write_statement(dialect, RowWrite::Delete(&delete), &check)?
        } else {
            (render::delete(dialect, &delete)?, false)
        };
        Ok(statement)
    })?;
    let mut binds = Vec::new();
    row_write_binds(&mut binds, &check, probed);
    let delete = Statement {
        sql,
        binds,
        read_only: false,
        target: None,
    }
    .writing(WriteTarget::delete(M::TABLE, Some(filter)));
    if probed {
        return write_returning(
            db,
            delete,
            M::TABLE.primary_key.len(),
            true,
            NoColumns,
            &check,
        )
        .await;
    }
    run_row_write(db, cleanup, delete, &check).await
}

/// Run `before`, then `write` (a write of one row), all or nothing; a write that touched no
/// row is explained by `check`.
async fn run_row_write<E: Executor>(
    db: E,
    mut before: Vec<Statement>,
    write: Statement,
    check: &RowCheck,
) -> Result<()> {
    let written = if before.is_empty() {
        db.execute(write).await?
    } else {
        before.push(write);
        db.execute_atomic(before)
            .await?
            .last()
            .copied()
            .unwrap_or(0)
    };
    match written {
        0 => Err(check.explain(db).await),
        _ => Ok(()),
    }
}

/// Soft-delete `model`'s row: set its `deleted_at` (and `updated_at`, and bump the
/// version), with the children its relationships cascade to; see [`delete`].
async fn soft_delete_row<M: Model, E: Executor>(
    db: E,
    model: &M,
    deleted_at: &'static str,
) -> Result<()> {
    let dialect = db.dialect();
    let key = M::key_values(&model.key());
    let version = version_in(M::TABLE, &model.column_values());
    let live =
        crate::soft_delete::live_rows(M::TABLE, deleted_at, Some(key_filter::<M>(key.clone())));
    let filter = with_version(M::TABLE, live.clone(), version.clone());
    let check = row_check::<M>(key, version, live);
    let cascade = crate::soft_delete::cascade(dialect, M::TABLE, &filter)?;
    let update = UpdateStatement {
        table: M::TABLE.name,
        assignments: crate::soft_delete::deleting(M::TABLE, deleted_at),
        filter: Some(filter),
        returning: if cascade.is_empty() {
            key_columns::<M>()
        } else {
            Vec::new()
        },
    };
    let target = WriteTarget::update(M::TABLE, &update.assignments, update.filter.clone());
    if cascade.is_empty() {
        let (statement, probed) = row_write_statement(dialect, RowWrite::Update(&update), &check)?;
        let returned = M::TABLE.primary_key.len();
        return write_returning(
            db,
            statement.writing(target),
            returned,
            probed,
            NoColumns,
            &check,
        )
        .await;
    }
    let statement = render::update(dialect, &update)?.writing(target);
    run_row_write(db, cascade, statement, &check).await
}

/// Clear `model`'s soft-delete column (and bump `updated_at` and the version), making the
/// row visible again, and refresh `model` from the stored row. Children soft-deleted with it
/// by a cascade stay deleted: restore them as needed. [`Error::NotFound`] when the row does
/// not exist; [`Error::StaleObject`] when a versioned row is at another version.
pub async fn restore<M: crate::model::SoftDelete, E: Executor>(db: E, model: &mut M) -> Result<()> {
    let Some(deleted_at) = M::TABLE.soft_delete else {
        return Err(Error::InvalidStatement {
            message: format!(
                "`{}` has no soft-delete column to restore: add #[orm(soft_delete)] to a \
                 `deleted_at: Option<DateTime<Utc>>` field",
                M::TABLE.name
            ),
        });
    };
    let dialect = db.dialect();
    let key = M::key_values(&model.key());
    let version = version_in(M::TABLE, &model.column_values());
    let filter = with_version(M::TABLE, key_filter::<M>(key.clone()), version.clone());
    let check = row_check::<M>(key.clone(), version, key_filter::<M>(key));
    let update = UpdateStatement {
        table: M::TABLE.name,
        assignments: crate::soft_delete::restoring(M::TABLE, deleted_at),
        filter: Some(filter),
        returning: model_columns::<M>(),
    };
    let target = WriteTarget::update(M::TABLE, &update.assignments, update.filter.clone());
    let (statement, probed) = row_write_statement(dialect, RowWrite::Update(&update), &check)?;
    *model = write_row::<M, E>(db, statement.writing(target), probed, &check).await?;
    Ok(())
}

/// Each column of `model` whose value differs from `original` (its column values as loaded,
/// in [`crate::meta::TableMeta::columns`] order), with its new value. The version column is
/// not a change: it is what the write expects (see [`changed_update_statement`]).
fn changes<'a, M: Model>(
    original: &'a [Value],
    model: &M,
) -> impl Iterator<Item = (&'static ColumnMeta, Value)> + 'a {
    M::TABLE
        .columns
        .iter()
        .zip(model.column_values().into_iter().zip(original))
        .filter(|(column, (now, before))| now != *before && M::TABLE.version != Some(column.name))
        .map(|(column, (now, _))| (column, now))
}

/// The key of the row whose loaded column values are `original`, in primary-key order (which
/// may differ from field order), as `key_filter` expects.
fn loaded_key<M: Model>(original: &[Value]) -> Vec<Value> {
    M::TABLE
        .primary_key
        .iter()
        .filter_map(|key| M::TABLE.columns.iter().position(|c| c.name == *key))
        .map(|index| original[index].clone())
        .collect()
}

/// With nothing to write, the version the caller set by hand (an `If-Match` from a client)
/// still has to be the stored one: a save expecting another version is
/// [`Error::StaleObject`] whether or not it changes anything. Sends nothing when the version
/// is the one loaded.
async fn check_expected_version<M: Model, E: Executor>(
    db: E,
    original: &[Value],
    model: &M,
) -> Result<()> {
    let version = version_in(M::TABLE, &model.column_values());
    if version.is_none() || version == version_in(M::TABLE, original) {
        return Ok(());
    }
    let key = loaded_key::<M>(original);
    let current = with_version(M::TABLE, key_filter::<M>(key.clone()), version.clone());
    if row_exists(db, M::TABLE, current).await? {
        return Ok(());
    }
    let check = row_check::<M>(key.clone(), version, key_filter::<M>(key));
    Err(check.explain(db).await)
}

/// A write of the changed columns of a row, and how to explain it touching nothing.
struct ChangedUpdate {
    statement: Statement,
    probed: bool,
    check: RowCheck,
}

fn changed_update<M: Model>(
    dialect: &dyn Dialect,
    original: &[Value],
    model: &M,
) -> Result<Option<ChangedUpdate>> {
    let mut assignments = Vec::new();
    for (column, now) in changes(original, model) {
        let refused = if column.primary_key {
            Some("key column `{}` of `{}` changed; keys cannot be changed through save()")
        } else if M::TABLE.soft_delete == Some(column.name) {
            Some(
                "soft-delete column `{}` of `{}` changed; it is set by delete() and cleared by \
                 restore()",
            )
        } else {
            None
        };
        if let Some(template) = refused {
            let message = template
                .replacen("{}", column.name, 1)
                .replacen("{}", M::TABLE.name, 1);
            return Err(Error::InvalidStatement {
                message: format!("the {message}"),
            });
        }
        assignments.push((column.name, Expr::Value(now)));
    }
    if assignments.is_empty() {
        return Ok(None);
    }
    crate::mutation::bump_updated_at(M::TABLE, &mut assignments);
    bump_version(M::TABLE, &mut assignments);
    let key = loaded_key::<M>(original);
    // The version the caller holds: as loaded, or as set (an `If-Match` from a client).
    let version = version_in(M::TABLE, &model.column_values());
    let filter = with_version(M::TABLE, key_filter::<M>(key.clone()), version.clone());
    let check = row_check::<M>(key.clone(), version, key_filter::<M>(key));
    let update = UpdateStatement {
        table: M::TABLE.name,
        assignments,
        filter: Some(filter),
        returning: model_columns::<M>(),
    };
    let (statement, probed) = row_write_statement(dialect, RowWrite::Update(&update), &check)?;
    let target = WriteTarget::update(M::TABLE, &update.assignments, update.filter);
    Ok(Some(ChangedUpdate {
        statement: statement.writing(target),
        probed,
        check,
    }))
}

/// The `UPDATE` writing the columns of `model` whose values differ from `original` (its
/// column values as loaded or last saved, in [`crate::meta::TableMeta::columns`] order) to
/// the row with the key in `original`, bumping `updated_at` and the version and returning
/// the stored row; `None` when nothing changed. A changed key or soft-delete column is
/// refused. For a versioned model the update expects the version `model` holds (as loaded,
/// or as the caller set it, e.g. from an `If-Match` header).
pub fn changed_update_statement<M: Model>(
    dialect: &dyn Dialect,
    original: &[Value],
    model: &M,
) -> Result<Option<Statement>> {
    Ok(changed_update(dialect, original, model)?.map(|update| update.statement))
}

/// Write the columns of `model` that differ from `original` (see
/// [`changed_update_statement`]) and return the row as stored; `Ok(None)` when nothing
/// changed (nothing sent, unless the caller set the version to another than the one loaded:
/// then the row is looked up to check it), [`Error::NotFound`] when the row no longer
/// exists, [`Error::StaleObject`] when a versioned row is at another version.
pub async fn save_changes<M: Model, E: Executor>(
    db: E,
    original: &[Value],
    model: &M,
) -> Result<Option<M>> {
    let Some(update) = changed_update(db.dialect(), original, model)? else {
        check_expected_version(db, original, model).await?;
        return Ok(None);
    };
    write_row::<M, E>(db, update.statement, update.probed, &update.check)
        .await
        .map(Some)
}

/// A model that remembers the values it was loaded with, so [`Tracked::save`] writes only
/// the columns that changed (and bumps `updated_at`).
///
/// It dereferences to the model: change fields as usual.
pub struct Tracked<M: Model> {
    model: M,
    original: Vec<Value>,
}

impl<M: Model> Tracked<M> {
    /// Start tracking a loaded model.
    pub fn new(model: M) -> Self {
        let original = model.column_values();
        Tracked { model, original }
    }

    /// The names of the columns whose values changed since loading or the last save.
    pub fn changed_columns(&self) -> Vec<&'static str> {
        changes(&self.original, &self.model)
            .map(|(column, _)| column.name)
            .collect()
    }

    /// The `UPDATE` that [`Tracked::save`] would send, or `None` when nothing changed.
    pub fn update_statement(&self, dialect: &dyn Dialect) -> Result<Option<Statement>> {
        changed_update_statement(dialect, &self.original, &self.model)
    }

    /// Write the changed columns; sends nothing when nothing changed (except to check a
    /// version set by hand: a stale one is [`Error::StaleObject`] either way). The model is
    /// refreshed from the stored row.
    pub async fn save<E: Executor>(&mut self, db: E) -> Result<()> {
        self.model.hook_before_update()?;
        if let Some(updated) = save_changes(db, &self.original, &self.model).await? {
            self.original = updated.column_values();
            self.model = updated;
        }
        Ok(())
    }

    /// Stop tracking and return the model.
    pub fn into_inner(self) -> M {
        self.model
    }
}

impl<M: Model> Deref for Tracked<M> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.model
    }
}

impl<M: Model> DerefMut for Tracked<M> {
    fn deref_mut(&mut self) -> &mut M {
        &mut self.model
    }
}
