//! The `INSERT` builder: many rows (chunked under the bind limit), `INSERT .. SELECT`, upserts
//! (`ON CONFLICT .. DO UPDATE / DO NOTHING`) and `RETURNING`.

use std::marker::PhantomData;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::executor::{Executor, RowDecoder};
use crate::expr::{Column, Expr, Expression, Subquery};
use crate::model::{Model, NewModel};
use crate::render;
use crate::select::and_filter;
use crate::selection::{ModelDecoder, SelectList, Selection, SelectionDecoder};
use crate::statement::{InsertStatement, OnConflict, Statement, WriteTarget};
use crate::types::IntoOperand;

/// Columns of `M` naming an insert's columns or a conflict target: one column or a tuple.
pub trait ColumnList<M> {
    /// The Rust values of the columns, as a select feeding them must produce.
    type Values;
    /// The column names.
    fn names(&self) -> Vec<&'static str>;
}

impl<M, T> ColumnList<M> for Column<M, T> {
    type Values = T;
    fn names(&self) -> Vec<&'static str> {
        vec![self.name()]
    }
}

macro_rules! tuple_column_list {
    ($($name:ident $idx:tt),+) => {
        impl<M, $($name),+> ColumnList<M> for ($(Column<M, $name>,)+) {
            type Values = ($($name,)+);
            fn names(&self) -> Vec<&'static str> {
                vec![$(self.$idx.name()),+]
            }
        }
    };
}
tuple_column_list!(A 0);
tuple_column_list!(A 0, B 1);
tuple_column_list!(A 0, B 1, C 2);
tuple_column_list!(A 0, B 1, C 2, D 3);
tuple_column_list!(A 0, B 1, C 2, D 3, E 4);
tuple_column_list!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_column_list!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_column_list!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// Marks an insert without `RETURNING`.
pub struct NoReturning;

/// An `INSERT` into the table of `M`; `D` decodes its `RETURNING` rows.
///
/// Built by [`insert`] (rows of `New<Model>`) or [`insert_select`].
pub struct Insert<M, D = NoReturning> {
    statement: InsertStatement,
    decoder: D,
    awaiting_action: bool,
    _model: PhantomData<fn() -> M>,
}

/// `INSERT INTO table (columns) VALUES (..), (..)` of `New<Model>` rows: run with
/// `.exec(&db)`, or add `.on_conflict(..)`, `.returning(..)`.
pub fn insert<N: NewModel>(rows: impl IntoIterator<Item = N>) -> Insert<N::Model> {
    let mut values = Vec::new();
    for row in rows {
        row.push_values(&mut values);
    }
    Insert {
        statement: InsertStatement::new(N::Model::TABLE.name, N::COLUMNS.to_vec(), values),
        decoder: NoReturning,
        awaiting_action: false,
        _model: PhantomData,
    }
}

/// `INSERT INTO table (columns) SELECT ..`: the query's row type must match the columns'.
pub fn insert_select<M, C, Q>(columns: C, query: Q) -> Insert<M>
where
    M: Model,
    C: ColumnList<M>,
    Q: Subquery<Output = C::Values>,
{
    let mut statement = InsertStatement::new(M::TABLE.name, columns.names(), Vec::new());
    statement.select = Some(Box::new(query.into_statement()));
    Insert {
        statement,
        decoder: NoReturning,
        awaiting_action: false,
        _model: PhantomData,
    }
}

impl<M: Model, D> Insert<M, D> {
    /// `ON CONFLICT (columns)`: follow with [`Insert::do_nothing`] or [`Insert::do_update`].
    /// The columns must carry a unique constraint or index.
    pub fn on_conflict(mut self, target: impl ColumnList<M>) -> Self {
        self.statement.on_conflict = Some(OnConflict {
            target: target.names(),
            assignments: Vec::new(),
            filter: None,
        });
        self.awaiting_action = true;
        self
    }

    /// `DO NOTHING`: rows that conflict are skipped.
    pub fn do_nothing(mut self) -> Self {
        self.awaiting_action = false;
        self
    }

    /// `DO UPDATE SET column = value` (call again for more columns); `excluded(col)` is the
    /// value the conflicting row proposed, `col` the stored one.
    pub fn do_update<T, V: IntoOperand<T>>(mut self, column: Column<M, T>, value: V) -> Self {
        let expr = value.into_operand(column.sql_type());
        match &mut self.statement.on_conflict {
            Some(conflict) => {
                conflict.assignments.push((column.name(), expr));
                self.awaiting_action = false;
            }
            None => self.awaiting_action = true,
        }
        self
    }

    /// Only update conflicting rows matching `condition` (`DO UPDATE .. WHERE`).
    pub fn do_update_where(mut self, condition: impl Expression<Output = bool>) -> Self {
        if let Some(conflict) = &mut self.statement.on_conflict {
            conflict.filter = and_filter(conflict.filter.take(), condition.into_expr());
        }
        self
    }

    /// `RETURNING` these columns or expressions of each inserted (or updated) row.
    pub fn returning<S: Selection>(self, selection: S) -> Insert<M, SelectionDecoder<S>> {
        let mut list = SelectList::default();
        selection.push_exprs(&mut list);
        self.with_returning(list.exprs, SelectionDecoder(selection))
    }

    /// `RETURNING` every column, decoded into `M`.
    pub fn returning_model(self) -> Insert<M, ModelDecoder<M>> {
        let exprs = crate::select::model_columns::<M>();
        self.with_returning(exprs, ModelDecoder::new())
    }

    fn with_returning<D2>(mut self, returning: Vec<Expr>, decoder: D2) -> Insert<M, D2> {
        self.statement.returning = returning;
        Insert {
            statement: self.statement,
            decoder,
            awaiting_action: self.awaiting_action,
            _model: PhantomData,
        }
    }

    fn check(&self) -> Result<()> {
        if self.awaiting_action {
            return Err(Error::InvalidStatement {
                message: format!(
                    "insert into `{}`: on_conflict(..) needs .do_nothing() or .do_update(..), \
                     and do_update needs on_conflict first",
                    M::TABLE.name
                ),
            });
        }
        Ok(())
    }

    /// The statements this insert sends on `dialect`: one, or several when the rows need
    /// more binds than one statement allows.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Vec<Statement>> {
        self.check()?;
        let width = self.statement.columns.len();
        let mut statement = self.statement.clone();
        if let Some(conflict) = &mut statement.on_conflict
            && !conflict.assignments.is_empty()
        {
            // An upsert's update bumps `updated_at` like any update.
            crate::mutation::bump_updated_at(M::TABLE, &mut conflict.assignments);
        }
        let statement = &statement;
        let updates = statement
            .on_conflict
            .as_ref()
            .map_or(&[][..], |c| c.assignments.as_slice());
        if statement.select.is_some() {
            let target = WriteTarget::insert_select(M::TABLE, &statement.columns, updates);
            return Ok(vec![
                render::insert(dialect, statement.clone())?.writing(target),
            ]);
        }
        if width == 0 {
            let target = WriteTarget::insert(M::TABLE, &[], 1, updates);
            return Ok(vec![
                render::insert(dialect, statement.clone())?.writing(target),
            ]);
        }
        let conflict_binds = statement.on_conflict.as_ref().map_or(0, |c| {
            c.assignments
                .iter()
                .map(|(_, value)| value.value_count())
                .chain(c.filter.iter().map(Expr::value_count))
                .sum::<usize>()
        });
        let rows_per_statement = (dialect
            .capabilities()
            .max_binds
            .saturating_sub(conflict_binds)
            / width)
            .max(1);
        statement
            .values
            .chunks(rows_per_statement * width)
            .map(|chunk| {
                let mut part = InsertStatement {
                    values: Vec::new(),
                    ..statement.clone()
                };
                part.values = chunk.to_vec();
                let target =
                    WriteTarget::insert(M::TABLE, &statement.columns, chunk.len() / width, updates);
                Ok(render::insert(dialect, part)?.writing(target))
            })
            .collect()
    }

    /// Run the insert (all chunks or none); returns the number of rows inserted or updated.
    pub async fn exec<E: Executor>(self, db: E) -> Result<u64> {
        let statements = self.to_sql(db.dialect())?;
        if statements.is_empty() {
            return Ok(0);
        }
        Ok(db.execute_atomic(statements).await?.iter().sum())
    }
}

impl<M: Model, D: RowDecoder> Insert<M, D> {
    /// Run the insert and decode the `RETURNING` rows. The rows must fit one statement (the
    /// bind limit); insert more in batches inside a transaction.
    pub async fn all<E: Executor>(self, db: E) -> Result<Vec<D::Output>> {
        let mut statements = self.to_sql(db.dialect())?;
        if statements.len() > 1 {
            return Err(Error::InvalidStatement {
                message: format!(
                    "insert into `{}` with RETURNING needs {} statements (bind limit); insert \
                     in batches inside a transaction",
                    M::TABLE.name,
                    statements.len()
                ),
            });
        }
        match statements.pop() {
            Some(statement) => db.fetch_all(statement, self.decoder).await,
            None => Ok(Vec::new()),
        }
    }
}
