//! `UPDATE` and `DELETE` builders. Both refuse to run without a filter unless told
//! `.all_rows()`.

use std::marker::PhantomData;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::executor::{Executor, RowDecoder};
use crate::expr::{BinaryOp, Column, Expr, Expression};
use crate::insert::NoReturning;
use crate::meta::{AutoTimestamp, TableMeta};
use crate::model::Model;
use crate::render;
use crate::row_write::bump_version;
use crate::select::and_filter;
use crate::selection::{ModelDecoder, SelectList, Selection, SelectionDecoder};
use crate::soft_delete::live_rows;
use crate::statement::{DeleteStatement, Statement, UpdateStatement, WriteTarget};
use crate::types::IntoOperand;
use crate::value::Value;

/// Add `updated_at = now` for each `#[orm(updated_at)]` column the assignments do not set.
pub(crate) fn bump_updated_at(table: &TableMeta, assignments: &mut Vec<(&'static str, Expr)>) {
    for column in table.columns {
        if column.auto_timestamp == AutoTimestamp::UpdatedAt
            && !assignments.iter().any(|(name, _)| *name == column.name)
        {
            assignments.push((column.name, Expr::CurrentTimestamp(column.ty)));
        }
    }
}

/// `Error::UnfilteredMutation` unless the statement has a filter that may narrow its rows or
/// the caller said `.all_rows()`. A filter the renderer can see keeps every row (an empty
/// `not_in`, `value(true)`, `contains("")`) counts as none.
fn refuse_unfiltered<M: Model>(
    filter: Option<&Expr>,
    all_rows: bool,
    statement: &'static str,
) -> Result<()> {
    let keeps_every_row = filter.is_some_and(|filter| constant_truth(filter) == Some(true));
    if all_rows || (filter.is_some() && !keeps_every_row) {
        return Ok(());
    }
    Err(Error::UnfilteredMutation {
        table: M::TABLE.name,
        statement,
        keeps_every_row,
    })
}

/// The truth of a condition where it does not depend on the row's values: `Some(true)` when
/// it keeps every row (NULLs aside: `x LIKE '%'` keeps every non-NULL `x`), `Some(false)`
/// when it keeps none, `None` when the rows decide.
fn constant_truth(condition: &Expr) -> Option<bool> {
    match condition {
        Expr::Value(Value::Bool(Some(truth))) => Some(*truth),
        // An empty list renders as a constant: `NOT IN ()` keeps every row.
        Expr::InList { list, negated, .. } if list.is_empty() => Some(*negated),
        Expr::Like {
            pattern, negated, ..
        } => match pattern.as_ref() {
            Expr::Value(Value::String(Some(pattern)))
                if !pattern.is_empty() && pattern.chars().all(|c| c == '%') =>
            {
                Some(!negated)
            }
            _ => None,
        },
        Expr::Not(inner) => constant_truth(inner).map(|truth| !truth),
        Expr::IsNull { expr, negated } => match expr.as_ref() {
            Expr::Value(value) => Some(value.is_null() != *negated),
            _ => None,
        },
        Expr::Binary { op, lhs, rhs } => match op {
            BinaryOp::And => match (constant_truth(lhs), constant_truth(rhs)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            BinaryOp::Or => match (constant_truth(lhs), constant_truth(rhs)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            // `x = x` holds for every row where `x` is not NULL.
            BinaryOp::Eq | BinaryOp::Le | BinaryOp::Ge if same_operand(lhs, rhs) => Some(true),
            BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Gt if same_operand(lhs, rhs) => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// True when both sides are the same column, or the same non-NULL value.
fn same_operand(lhs: &Expr, rhs: &Expr) -> bool {
    match (lhs.untyped(), rhs.untyped()) {
        (lhs @ Expr::Column { .. }, rhs @ Expr::Column { .. }) => lhs == rhs,
        (Expr::Value(a), Expr::Value(b)) => !a.is_null() && a == b,
        _ => false,
    }
}

/// An `UPDATE` of rows of `M`, built by `User::update()`.
///
/// Columns marked `#[orm(updated_at)]` are set to the current time unless set explicitly.
pub struct Update<M, D = NoReturning> {
    statement: UpdateStatement,
    all_rows: bool,
    /// Soft-deleted rows are updated too.
    with_deleted: bool,
    decoder: D,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Default for Update<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: Model> Update<M> {
    /// An update with nothing set yet.
    pub fn new() -> Self {
        Update {
            statement: UpdateStatement {
                table: M::TABLE.name,
                assignments: Vec::new(),
                filter: None,
                returning: Vec::new(),
            },
            all_rows: false,
            with_deleted: false,
            decoder: NoReturning,
            _model: PhantomData,
        }
    }
}

impl<M: Model, D> Update<M, D> {
    /// Restrict to rows matching `condition` (several filters are ANDed).
    pub fn filter(mut self, condition: impl Expression<Output = bool>) -> Self {
        self.statement.filter = and_filter(self.statement.filter.take(), condition.into_expr());
        self
    }

    /// `RETURNING` these columns or expressions of each updated row (as updated).
    pub fn returning<S: Selection>(mut self, selection: S) -> Update<M, SelectionDecoder<S>> {
        let mut list = SelectList::default();
        selection.push_exprs(&mut list);
        self.statement.returning = list.exprs;
        Update {
            statement: self.statement,
            all_rows: self.all_rows,
            with_deleted: self.with_deleted,
            decoder: SelectionDecoder(selection),
            _model: PhantomData,
        }
    }

    /// `RETURNING` every column of each updated row, decoded into `M`.
    pub fn returning_model(mut self) -> Update<M, ModelDecoder<M>> {
        self.statement.returning = crate::select::model_columns::<M>();
        Update {
            statement: self.statement,
            all_rows: self.all_rows,
            with_deleted: self.with_deleted,
            decoder: ModelDecoder::new(),
            _model: PhantomData,
        }
    }

    /// `SET column = value`; the value may be an expression such as `Account::balance`.
    pub fn set<T, V: IntoOperand<T>>(mut self, column: Column<M, T>, value: V) -> Self {
        let ty = column.sql_type();
        let value_ty = value.operand_type(ty);
        let expr = value.into_operand(ty);
        // A decimal computed at another scale (`balance - fee` with a finer fee) is stored
        // rounded to the column's scale, as PostgreSQL's assignment rounds it.
        let expr = match (&expr, ty.decimal_scale()) {
            (Expr::Value(_), _) | (_, None) => expr,
            _ if value_ty.decimal_scale() == ty.decimal_scale() => expr,
            _ => Expr::Cast {
                expr: Box::new(Expr::typed(expr, value_ty)),
                from: value_ty,
                ty,
            },
        };
        self.statement.assignments.push((column.name(), expr));
        self
    }

    /// Allow the update to touch every row (no filter).
    pub fn all_rows(mut self) -> Self {
        self.all_rows = true;
        self
    }

    /// Update soft-deleted rows too (a model with `#[orm(soft_delete)]` otherwise updates
    /// only the rows that are not deleted, as reads see them).
    pub fn with_deleted(mut self) -> Self {
        self.with_deleted = true;
        self
    }

    /// The SQL and binds this update sends on `dialect`.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Statement> {
        self.check()?;
        Self::render(dialect, self.statement.clone(), self.with_deleted)
    }

    fn check(&self) -> Result<()> {
        refuse_unfiltered::<M>(self.statement.filter.as_ref(), self.all_rows, "update")?;
        if self.statement.assignments.is_empty() {
            return Err(Error::InvalidStatement {
                message: format!(
                    "update of `{}` sets no column; call .set(..)",
                    M::TABLE.name
                ),
            });
        }
        Ok(())
    }

    /// Render `statement` (bumping `updated_at` and the version, leaving soft-deleted rows
    /// alone unless `with_deleted`), known to write `M`'s table.
    fn render(
        dialect: &dyn Dialect,
        mut statement: UpdateStatement,
        with_deleted: bool,
    ) -> Result<Statement> {
        bump_updated_at(M::TABLE, &mut statement.assignments);
        bump_version(M::TABLE, &mut statement.assignments);
        statement.filter = M::TABLE.variant_rows(statement.filter);
        if let (Some(deleted_at), false) = (M::TABLE.soft_delete, with_deleted) {
            statement.filter = Some(live_rows(M::TABLE, deleted_at, statement.filter));
        }
        let rendered = render::update(dialect, &statement)?;
        let target = WriteTarget::update(M::TABLE, &statement.assignments, statement.filter);
        Ok(rendered.writing(target))
    }

    /// The statement to send and the decoder of its rows, without copying the update.
    fn into_parts(self, dialect: &dyn Dialect) -> Result<(Statement, D)> {
        self.check()?;
        Ok((
            Self::render(dialect, self.statement, self.with_deleted)?,
            self.decoder,
        ))
    }

    /// Run the update; returns the number of rows changed.
    pub async fn exec<E: Executor>(self, db: E) -> Result<u64> {
        let (statement, _) = self.into_parts(db.dialect())?;
        db.execute(statement).await
    }
}

impl<M: Model, D: RowDecoder> Update<M, D> {
    /// Run the update and decode the `RETURNING` row of each updated row.
    pub async fn all<E: Executor>(self, db: E) -> Result<Vec<D::Output>> {
        let (statement, decoder) = self.into_parts(db.dialect())?;
        db.fetch_all(statement, decoder).await
    }
}

/// A `DELETE` of rows of `M`, built by `User::delete()`.
///
/// For a model with an `#[orm(soft_delete)]` column it soft-deletes: an `UPDATE` sets the
/// column (and `updated_at`, and bumps the version) on the matching rows not deleted yet,
/// after soft-deleting the child rows its relationships cascade to. [`Delete::force`]
/// removes the rows instead.
pub struct Delete<M, D = NoReturning> {
    statement: DeleteStatement,
    all_rows: bool,
    /// Remove the rows even where the model soft-deletes.
    force: bool,
    decoder: D,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Default for Delete<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: Model> Delete<M> {
    /// A delete with no filter yet.
    pub fn new() -> Self {
        Delete {
            statement: DeleteStatement {
                table: M::TABLE.name,
                filter: None,
                returning: Vec::new(),
            },
            all_rows: false,
            force: false,
            decoder: NoReturning,
            _model: PhantomData,
        }
    }
}

impl<M: Model, D> Delete<M, D> {
    /// Restrict to rows matching `condition` (several filters are ANDed).
    pub fn filter(mut self, condition: impl Expression<Output = bool>) -> Self {
        self.statement.filter = and_filter(self.statement.filter.take(), condition.into_expr());
        self
    }

    /// `RETURNING` these columns or expressions of each deleted row.
    pub fn returning<S: Selection>(mut self, selection: S) -> Delete<M, SelectionDecoder<S>> {
        let mut list = SelectList::default();
        selection.push_exprs(&mut list);
        self.statement.returning = list.exprs;
        Delete {
            statement: self.statement,
            all_rows: self.all_rows,
            force: self.force,
            decoder: SelectionDecoder(selection),
            _model: PhantomData,
        }
    }

    /// Allow the delete to remove every row (no filter).
    pub fn all_rows(mut self) -> Self {
        self.all_rows = true;
        self
    }

    /// Remove the rows even though the model soft-deletes (deleted or not): no cascade of
    /// soft deletes, the database's own `ON DELETE` actions apply.
    pub fn force(mut self) -> Self {
        self.force = true;
        self
    }

    /// The SQL and binds of the statement that deletes on `dialect`: the `DELETE`, or for a
    /// soft delete the `UPDATE` setting the soft-delete column (cascades, if any, run before
    /// it).
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Statement> {
        Ok(self.plan(dialect)?.1)
    }

    /// The statements that run before the delete (junction rows, or soft-delete cascades),
    /// and the delete.
    fn plan(&self, dialect: &dyn Dialect) -> Result<(Vec<Statement>, Statement)> {
        refuse_unfiltered::<M>(self.statement.filter.as_ref(), self.all_rows, "delete")?;
        let filter = M::TABLE.variant_rows(self.statement.filter.clone());
        if let (Some(deleted_at), false) = (M::TABLE.soft_delete, self.force) {
            let live = live_rows(M::TABLE, deleted_at, filter);
            let cascade = crate::soft_delete::cascade(dialect, M::TABLE, &live)?;
            let update = UpdateStatement {
                table: M::TABLE.name,
                assignments: crate::soft_delete::deleting(M::TABLE, deleted_at),
                filter: Some(live),
                returning: self.statement.returning.clone(),
            };
            let target = WriteTarget::update(M::TABLE, &update.assignments, update.filter.clone());
            return Ok((cascade, render::update(dialect, &update)?.writing(target)));
        }
        let before = crate::relation::junction_cleanup::<M>(dialect, filter.as_ref())?;
        let delete = DeleteStatement {
            table: self.statement.table,
            filter: filter.clone(),
            returning: self.statement.returning.clone(),
        };
        let statement =
            render::delete(dialect, &delete)?.writing(WriteTarget::delete(M::TABLE, filter));
        Ok((before, statement))
    }

    /// Run the delete; returns the number of rows removed (or soft-deleted). Junction rows
    /// of the model's many-to-many relationships go first, in the same transaction, where
    /// the junction's foreign key does not cascade; a soft delete's cascades go first the
    /// same way.
    pub async fn exec<E: Executor>(self, db: E) -> Result<u64> {
        let (mut statements, statement) = self.plan(db.dialect())?;
        if statements.is_empty() {
            return db.execute(statement).await;
        }
        statements.push(statement);
        let counts = db.execute_atomic(statements).await?;
        Ok(counts.last().copied().unwrap_or(0))
    }
}

impl<M: Model, D: RowDecoder> Delete<M, D> {
    /// Run the delete and decode the `RETURNING` row of each deleted row. A soft delete
    /// that cascades to other tables needs several statements and cannot return rows:
    /// [`Error::InvalidStatement`] before anything is sent (run it with `exec`, after
    /// selecting the rows in the same transaction).
    pub async fn all<E: Executor>(self, db: E) -> Result<Vec<D::Output>> {
        let (before, statement) = self.plan(db.dialect())?;
        if !before.is_empty() && M::TABLE.soft_delete.is_some() && !self.force {
            return Err(Error::InvalidStatement {
                message: format!(
                    "a soft delete of `{}` cascades to other tables, so it runs several \
                     statements and cannot return rows: call .exec(..), after selecting \
                     the rows in the same transaction",
                    M::TABLE.name
                ),
            });
        }
        // Junction rows are not removed first here (that would be a second statement, not
        // atomic with this one on a pool): a row that still has them fails as the database
        // says (a foreign-key violation), removing nothing.
        db.fetch_all(statement, self.decoder).await
    }
}
