//! Operations on single rows by key, inserts, and [`Tracked`] change tracking. Statements whose
//! shape never changes are rendered once per model and dialect ([`crate::StatementCache`]).

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::expr::{BinaryOp, Expr};
use crate::meta::{AutoTimestamp, ColumnMeta};
use crate::model::{Model, NewModel, StatementKind};
use crate::render;
use crate::select::model_columns;
use crate::selection::ModelDecoder;
use crate::statement::{
    DeleteStatement, InsertStatement, SelectStatement, Statement, UpdateStatement, WriteTarget,
};
use crate::value::Value;

/// `key1 = ? AND key2 = ?` over the primary key, with the given values.
pub(crate) fn key_filter<M: Model>(values: Vec<Value>) -> Expr {
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
        .map(|_| Value::I64(Some(0)))
        .collect()
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
    let filter = key_filter::<M>(M::key_values(key));
    crate::select::Select::new().filter(crate::expr::TypedExpr::<bool>::new(
        filter,
        crate::value::SqlType::Bool,
    ))
}

/// The statement `M::get` runs.
pub fn get_statement<M: Model>(dialect: &dyn Dialect, key: &M::Key) -> Result<Statement> {
    let sql = cached::<M>(dialect, StatementKind::GetByKey, || {
        let mut select = SelectStatement::new(M::TABLE.name, model_columns::<M>());
        select.filter = Some(key_filter::<M>(placeholder_key::<M>()));
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

/// The statement inserting one `N` and returning the whole row.
pub fn insert_statement<N: NewModel>(dialect: &dyn Dialect, row: &N) -> Result<Statement> {
    let values = row.values();
    let sql = cached::<N::Model>(dialect, StatementKind::InsertReturning, || {
        render::insert(
            dialect,
            InsertStatement {
                returning: model_columns::<N::Model>(),
                ..InsertStatement::new(N::Model::TABLE.name, N::COLUMNS.to_vec(), values.clone())
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
pub async fn insert<N: NewModel, E: Executor>(db: E, row: &N) -> Result<N::Model> {
    let statement = insert_statement(db.dialect(), row)?;
    db.fetch_optional(statement, ModelDecoder::<N::Model>::new())
        .await?
        .ok_or(Error::NotFound {
            table: N::Model::TABLE.name,
        })
}

/// The multi-row statements inserting `rows`, each under the dialect's bind limit.
pub fn insert_many_statements<N: NewModel>(
    dialect: &dyn Dialect,
    rows: &[N],
) -> Result<Vec<Statement>> {
    // With no insertable column each row is its own `INSERT .. DEFAULT VALUES`.
    let per_statement = match N::COLUMNS.len() {
        0 => 1,
        width => (dialect.capabilities().max_binds / width).max(1),
    };
    let mut statements = Vec::with_capacity(rows.len().div_ceil(per_statement));
    for chunk in rows.chunks(per_statement) {
        let mut values = Vec::with_capacity(chunk.len() * N::COLUMNS.len());
        for row in chunk {
            row.push_values(&mut values);
        }
        statements.push(
            render::insert(
                dialect,
                InsertStatement::new(N::Model::TABLE.name, N::COLUMNS.to_vec(), values),
            )?
            .writing(WriteTarget::insert(
                N::Model::TABLE,
                N::COLUMNS,
                chunk.len(),
                &[],
            )),
        );
    }
    Ok(statements)
}

/// Insert many rows in multi-row statements that stay under the backend's bind limit, all or
/// nothing. Returns the number of rows inserted.
pub async fn insert_many<N: NewModel, E: Executor>(db: E, rows: &[N]) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let statements = insert_many_statements(db.dialect(), rows)?;
    Ok(db.execute_atomic(statements).await?.iter().sum())
}

/// Columns `save` writes from the model's values: all but the key and the maintained
/// timestamps (`created_at` is kept, `updated_at` is set to now).
fn saved_by_value(column: &ColumnMeta) -> bool {
    !column.primary_key && column.auto_timestamp == AutoTimestamp::No
}

/// `SET` of `save`: a placeholder per column saved by value, then `updated_at = now`.
fn save_assignments<M: Model>() -> Vec<(&'static str, Expr)> {
    let mut assignments: Vec<(&'static str, Expr)> = M::TABLE
        .columns
        .iter()
        .filter(|column| saved_by_value(column))
        .map(|column| (column.name, Expr::Value(Value::I64(Some(0)))))
        .collect();
    crate::mutation::bump_updated_at(M::TABLE, &mut assignments);
    assignments
}

/// Write every column of `model` to its row (by key), bump `updated_at`, and refresh `model`
/// from the stored row. [`Error::NotFound`] when the row no longer exists.
pub async fn save<M: Model, E: Executor>(db: E, model: &mut M) -> Result<()> {
    let dialect = db.dialect();
    let sql = cached::<M>(dialect, StatementKind::SaveByKey, || {
        render::update(
            dialect,
            &UpdateStatement {
                table: M::TABLE.name,
                assignments: save_assignments::<M>(),
                filter: Some(key_filter::<M>(placeholder_key::<M>())),
                returning: model_columns::<M>(),
            },
        )
    })?;
    let saved: Vec<(&'static ColumnMeta, Value)> = M::TABLE
        .columns
        .iter()
        .zip(model.column_values())
        .filter(|(column, _)| saved_by_value(column))
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
    let target = WriteTarget::update_row(
        M::TABLE,
        &written,
        Some(key_filter::<M>(M::key_values(&model.key()))),
    );
    let mut binds: Vec<Value> = saved.into_iter().map(|(_, v)| v).collect();
    binds.extend(M::key_values(&model.key()));
    let updated = db
        .fetch_optional(
            Statement {
                sql,
                binds,
                read_only: false,
                target: None,
            }
            .writing(target),
            ModelDecoder::<M>::new(),
        )
        .await?
        .ok_or(Error::NotFound {
            table: M::TABLE.name,
        })?;
    *model = updated;
    Ok(())
}

/// Delete the row with `model`'s key; [`Error::NotFound`] when it does not exist.
pub async fn delete<M: Model, E: Executor>(db: E, model: &M) -> Result<()> {
    let dialect = db.dialect();
    let sql = cached::<M>(dialect, StatementKind::DeleteByKey, || {
        render::delete(
            dialect,
            &DeleteStatement {
                table: M::TABLE.name,
                filter: Some(key_filter::<M>(placeholder_key::<M>())),
                returning: Vec::new(),
            },
        )
    })?;
    let binds = M::key_values(&model.key());
    let delete = Statement {
        sql,
        binds,
        read_only: false,
        target: None,
    }
    .writing(WriteTarget::delete(
        M::TABLE,
        Some(key_filter::<M>(M::key_values(&model.key()))),
    ));
    let mut statements = crate::relation::junction_cleanup::<M>(
        dialect,
        Some(&key_filter::<M>(M::key_values(&model.key()))),
    )?;
    let deleted = if statements.is_empty() {
        db.execute(delete).await?
    } else {
        statements.push(delete);
        db.execute_atomic(statements)
            .await?
            .last()
            .copied()
            .unwrap_or(0)
    };
    match deleted {
        0 => Err(Error::NotFound {
            table: M::TABLE.name,
        }),
        _ => Ok(()),
    }
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

    /// Each column whose value changed since loading or the last save, with its new value.
    fn changes(&self) -> impl Iterator<Item = (&'static ColumnMeta, Value)> + '_ {
        M::TABLE
            .columns
            .iter()
            .zip(self.model.column_values().into_iter().zip(&self.original))
            .filter(|(_, (now, before))| now != *before)
            .map(|(column, (now, _))| (column, now))
    }

    /// The names of the columns whose values changed since loading or the last save.
    pub fn changed_columns(&self) -> Vec<&'static str> {
        self.changes().map(|(column, _)| column.name).collect()
    }

    /// The `UPDATE` that [`Tracked::save`] would send, or `None` when nothing changed.
    pub fn update_statement(&self, dialect: &dyn Dialect) -> Result<Option<Statement>> {
        let mut assignments = Vec::new();
        for (column, now) in self.changes() {
            if column.primary_key {
                return Err(Error::InvalidStatement {
                    message: format!(
                        "the key column `{}` of `{}` changed; keys cannot be changed through save()",
                        column.name,
                        M::TABLE.name
                    ),
                });
            }
            assignments.push((column.name, Expr::Value(now)));
        }
        if assignments.is_empty() {
            return Ok(None);
        }
        crate::mutation::bump_updated_at(M::TABLE, &mut assignments);
        // In primary-key order (which may differ from field order), as `key_filter` expects.
        let key_values = M::TABLE
            .primary_key
            .iter()
            .filter_map(|key| M::TABLE.columns.iter().position(|c| c.name == *key))
            .map(|index| self.original[index].clone())
            .collect();
        let update = UpdateStatement {
            table: M::TABLE.name,
            assignments,
            filter: Some(key_filter::<M>(key_values)),
            returning: model_columns::<M>(),
        };
        let statement = render::update(dialect, &update)?;
        let target = WriteTarget::update(M::TABLE, &update.assignments, update.filter);
        Ok(Some(statement.writing(target)))
    }

    /// Write the changed columns; does nothing (and sends nothing) when nothing changed.
    /// The model is refreshed from the stored row.
    pub async fn save<E: Executor>(&mut self, db: E) -> Result<()> {
        let Some(statement) = self.update_statement(db.dialect())? else {
            return Ok(());
        };
        let updated = db
            .fetch_optional(statement, ModelDecoder::<M>::new())
            .await?
            .ok_or(Error::NotFound {
                table: M::TABLE.name,
            })?;
        self.original = updated.column_values();
        self.model = updated;
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
