//! `UPDATE` and `DELETE` builders. Both refuse to run without a filter unless told
//! `.all_rows()`.

use std::marker::PhantomData;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::executor::{Executor, RowDecoder};
use crate::expr::{Column, Expr, Expression};
use crate::insert::NoReturning;
use crate::meta::{AutoTimestamp, TableMeta};
use crate::model::Model;
use crate::render;
use crate::select::and_filter;
use crate::selection::{ModelDecoder, SelectList, Selection, SelectionDecoder};
use crate::statement::{DeleteStatement, Statement, UpdateStatement};
use crate::types::IntoOperand;

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

/// `Error::UnfilteredMutation` unless the statement is filtered or the caller said
/// `.all_rows()`.
fn refuse_unfiltered<M: Model>(allowed: bool, statement: &'static str) -> Result<()> {
    if allowed {
        Ok(())
    } else {
        Err(Error::UnfilteredMutation {
            table: M::TABLE.name,
            statement,
        })
    }
}

/// An `UPDATE` of rows of `M`, built by `User::update()`.
///
/// Columns marked `#[orm(updated_at)]` are set to the current time unless set explicitly.
pub struct Update<M, D = NoReturning> {
    statement: UpdateStatement,
    all_rows: bool,
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
            decoder: ModelDecoder::new(),
            _model: PhantomData,
        }
    }

    /// `SET column = value`; the value may be an expression such as `Account::balance`.
    pub fn set<T, V: IntoOperand<T>>(mut self, column: Column<M, T>, value: V) -> Self {
        let expr = value.into_operand(column.sql_type());
        self.statement.assignments.push((column.name(), expr));
        self
    }

    /// Allow the update to touch every row (no filter).
    pub fn all_rows(mut self) -> Self {
        self.all_rows = true;
        self
    }

    /// The SQL and binds this update sends on `dialect`.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Statement> {
        refuse_unfiltered::<M>(self.statement.filter.is_some() || self.all_rows, "update")?;
        if self.statement.assignments.is_empty() {
            return Err(Error::InvalidStatement {
                message: format!(
                    "update of `{}` sets no column; call .set(..)",
                    M::TABLE.name
                ),
            });
        }
        let mut statement = self.statement.clone();
        bump_updated_at(M::TABLE, &mut statement.assignments);
        render::update(dialect, &statement)
    }

    /// Run the update; returns the number of rows changed.
    pub async fn exec<E: Executor>(self, db: E) -> Result<u64> {
        let statement = self.to_sql(db.dialect())?;
        db.execute(statement).await
    }
}

impl<M: Model, D: RowDecoder> Update<M, D> {
    /// Run the update and decode the `RETURNING` row of each updated row.
    pub async fn all<E: Executor>(self, db: E) -> Result<Vec<D::Output>> {
        let statement = self.to_sql(db.dialect())?;
        db.fetch_all(statement, self.decoder).await
    }
}

/// A `DELETE` of rows of `M`, built by `User::delete()`.
pub struct Delete<M, D = NoReturning> {
    statement: DeleteStatement,
    all_rows: bool,
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
            decoder: SelectionDecoder(selection),
            _model: PhantomData,
        }
    }

    /// Allow the delete to remove every row (no filter).
    pub fn all_rows(mut self) -> Self {
        self.all_rows = true;
        self
    }

    /// The SQL and binds this delete sends on `dialect`.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Statement> {
        refuse_unfiltered::<M>(self.statement.filter.is_some() || self.all_rows, "delete")?;
        render::delete(dialect, &self.statement)
    }

    /// Run the delete; returns the number of rows removed. Junction rows of the model's
    /// many-to-many relationships go first, in the same transaction, where the junction's
    /// foreign key does not cascade.
    pub async fn exec<E: Executor>(self, db: E) -> Result<u64> {
        let dialect = db.dialect();
        let statement = self.to_sql(dialect)?;
        let mut statements =
            crate::relation::junction_cleanup::<M>(dialect, self.statement.filter.as_ref())?;
        if statements.is_empty() {
            return db.execute(statement).await;
        }
        statements.push(statement);
        let counts = db.execute_atomic(statements).await?;
        Ok(counts.last().copied().unwrap_or(0))
    }
}

impl<M: Model, D: RowDecoder> Delete<M, D> {
    /// Run the delete and decode the `RETURNING` row of each deleted row.
    pub async fn all<E: Executor>(self, db: E) -> Result<Vec<D::Output>> {
        let statement = self.to_sql(db.dialect())?;
        db.fetch_all(statement, self.decoder).await
    }
}
