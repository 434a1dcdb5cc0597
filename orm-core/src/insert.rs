//! The `INSERT` builder: many rows (chunked under the bind limit), `INSERT .. SELECT`, upserts
//! (`ON CONFLICT .. DO UPDATE / DO NOTHING`) and `RETURNING`.

use std::marker::PhantomData;
use std::ops::Range;

use crate::dialect::{Dialect, SequencePast};
use crate::error::{Error, Result};
use crate::executor::{Executor, RowDecoder};
use crate::expr::{Column, Expr, Expression, Subquery};
use crate::meta::TableMeta;
use crate::model::{Model, NewModel};
use crate::render;
use crate::select::and_filter;
use crate::selection::{ModelDecoder, SelectList, Selection, SelectionDecoder};
use crate::statement::{InsertStatement, OnConflict, Statement, WriteTarget};
use crate::types::IntoOperand;
use crate::value::Value;

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
    /// How many rows `statement.values` holds (rows of no column hold no value).
    rows: usize,
    /// Rows that give their database-generated key, with the key column first, when other
    /// rows do not: inserted before the statement's own rows.
    keyed: Option<(Vec<&'static str>, Vec<Value>)>,
    /// How far the key's sequence must move: before the rows (explicit keys), or after them
    /// (`INSERT .. SELECT` into the key column).
    sequence: Option<SequencePast>,
    decoder: D,
    awaiting_action: bool,
    _model: PhantomData<fn() -> M>,
}

/// `INSERT INTO table (columns) VALUES (..), (..)` of `New<Model>` rows: run with
/// `.exec(&db)`, or add `.on_conflict(..)`, `.returning(..)`.
///
/// Rows may give their generated key ([`crate::model::WithKey`]): those rows are inserted
/// first, with the key column, after the key's sequence has moved past them (PostgreSQL).
pub fn insert<N: NewModel>(rows: impl IntoIterator<Item = N>) -> Insert<N::Model> {
    let key_column = N::Model::TABLE.database_generated_key();
    let (mut values, mut plain_rows) = (Vec::new(), 0);
    let (mut keyed, mut keyed_rows, mut largest) = (Vec::new(), 0, None);
    for row in rows {
        match key_column.and(row.explicit_key()) {
            Some(key) => {
                largest = largest.max(crate::crud::integer_key(&key));
                keyed.push(key);
                row.push_values(&mut keyed);
                keyed_rows += 1;
            }
            None => {
                row.push_values(&mut values);
                plain_rows += 1;
            }
        }
    }
    let table = N::Model::TABLE.name;
    let mut statement = InsertStatement::new(table, N::COLUMNS.to_vec(), values);
    let mut rows = plain_rows;
    let mut keyed_group = None;
    if let (Some(column), true) = (key_column, keyed_rows > 0) {
        let columns = crate::crud::with_key_column(column, N::COLUMNS);
        if plain_rows == 0 {
            // Every row gives its key: one group, with the key column.
            (statement.columns, statement.values, rows) = (columns, keyed, keyed_rows);
        } else {
            keyed_group = Some((columns, keyed));
        }
    }
    Insert {
        statement,
        rows,
        keyed: keyed_group,
        sequence: largest.map(SequencePast::Key),
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
    let names = columns.names();
    // Keys written by the select: the key's sequence moves past the stored keys afterwards.
    let sequence = M::TABLE
        .database_generated_key()
        .filter(|key| names.contains(&key.name))
        .map(|_| SequencePast::StoredKeys);
    let mut statement = InsertStatement::new(M::TABLE.name, names, Vec::new());
    statement.select = Some(Box::new(query.into_statement()));
    Insert {
        statement,
        rows: 0,
        keyed: None,
        sequence,
        decoder: NoReturning,
        awaiting_action: false,
        _model: PhantomData,
    }
}

impl<M: Model, D> Insert<M, D> {
    /// `ON CONFLICT (columns)`: follow with [`Insert::do_nothing`] or [`Insert::do_update`].
    /// The columns must carry a unique constraint or index.
    pub fn on_conflict(mut self, target: impl ColumnList<M>) -> Self {
        let target = target.names();
        let target_filter = partial_unique_filter(M::TABLE, &target);
        self.statement.on_conflict = Some(OnConflict {
            target,
            target_filter,
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
            rows: self.rows,
            keyed: self.keyed,
            sequence: self.sequence,
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
    /// more binds than one statement allows, when some rows give their generated key and
    /// others do not, or when a key sequence must move (PostgreSQL, rows that give their
    /// key: before them; `INSERT .. SELECT` into the key column: after it).
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Vec<Statement>> {
        Ok(self.parts(dialect)?.0)
    }

    /// The statements, and which of them insert (the others move a key sequence).
    fn parts(&self, dialect: &dyn Dialect) -> Result<(Vec<Statement>, Range<usize>)> {
        self.check()?;
        let mut statement = self.statement.clone();
        if let Some(conflict) = &mut statement.on_conflict
            && !conflict.assignments.is_empty()
        {
            // An upsert's update bumps `updated_at` and the version like any update, and a
            // variant's updates only its own rows (a row of another variant in the way is
            // left as it is, as with DO NOTHING).
            crate::mutation::bump_updated_at(M::TABLE, &mut conflict.assignments);
            crate::row_write::bump_version(M::TABLE, &mut conflict.assignments);
            conflict.filter = M::TABLE.variant_rows(conflict.filter.take());
        }
        let advance = self.sequence.and_then(|past| {
            let key = M::TABLE.database_generated_key()?;
            dialect.advance_key_sequence(M::TABLE.name, key.name, past)
        });
        let after = self.sequence == Some(SequencePast::StoredKeys);
        let mut out = Vec::new();
        if !after {
            out.extend(advance.clone());
        }
        let start = out.len();
        if statement.select.is_some() {
            let updates = statement
                .on_conflict
                .as_ref()
                .map_or(&[][..], |c| c.assignments.as_slice());
            let target = WriteTarget::insert_select(M::TABLE, &statement.columns, updates);
            out.push(render::insert(dialect, statement.clone())?.writing(target));
        } else {
            // The rows' values are moved into the chunks, never copied again.
            let values = std::mem::take(&mut statement.values);
            if let Some((columns, keyed_values)) = &self.keyed {
                let keyed = InsertStatement {
                    columns: columns.clone(),
                    values: keyed_values.clone(),
                    ..statement.clone()
                };
                push_chunks(dialect, M::TABLE, keyed, self.keyed_rows(), &mut out)?;
            }
            statement.values = values;
            push_chunks(dialect, M::TABLE, statement, self.rows, &mut out)?;
        }
        let end = out.len();
        if after {
            out.extend(advance);
        }
        Ok((out, start..end))
    }

    fn keyed_rows(&self) -> usize {
        self.keyed
            .as_ref()
            .map_or(0, |(columns, values)| values.len() / columns.len().max(1))
    }

    /// Run the insert (all chunks or none); returns the number of rows inserted or updated.
    pub async fn exec<E: Executor>(self, db: E) -> Result<u64> {
        let (statements, inserts) = self.parts(db.dialect())?;
        if statements.is_empty() {
            return Ok(0);
        }
        let counts = db.execute_atomic(statements).await?;
        Ok(counts.get(inserts).map_or(0, |counts| counts.iter().sum()))
    }
}

/// Multi-row statements of `rows` rows of `statement` (its values, row after row), each under
/// the dialect's bind limit, appended to `out`. Rows of no column are one `DEFAULT VALUES`
/// statement each.
fn push_chunks(
    dialect: &dyn Dialect,
    table: &'static TableMeta,
    mut statement: InsertStatement,
    rows: usize,
    out: &mut Vec<Statement>,
) -> Result<()> {
    let values = std::mem::take(&mut statement.values);
    let width = statement.columns.len();
    let updates = statement
        .on_conflict
        .as_ref()
        .map_or(&[][..], |c| c.assignments.as_slice());
    if width == 0 {
        for _ in 0..rows {
            let target = WriteTarget::insert(table, &[], 1, updates);
            out.push(render::insert(dialect, statement.clone())?.writing(target));
        }
        return Ok(());
    }
    let conflict_binds = updates
        .iter()
        .map(|(_, value)| value.value_count())
        .chain(
            statement
                .on_conflict
                .iter()
                .flat_map(|c| c.filter.iter().map(Expr::value_count)),
        )
        .sum::<usize>();
    let rows_per_statement = (dialect
        .capabilities()
        .max_binds
        .saturating_sub(conflict_binds)
        / width)
        .max(1);
    let mut values = values.into_iter();
    loop {
        let chunk: Vec<Value> = values.by_ref().take(rows_per_statement * width).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        let target = WriteTarget::insert(table, &statement.columns, chunk.len() / width, updates);
        let part = InsertStatement {
            values: chunk,
            ..statement.clone()
        };
        out.push(render::insert(dialect, part)?.writing(target));
    }
}

impl<M: Model, D: RowDecoder> Insert<M, D> {
    /// Run the insert and decode the `RETURNING` rows. The rows must fit one statement (the
    /// bind limit); insert more in batches inside a transaction.
    ///
    /// When a key sequence must move (see [`Insert::to_sql`]) that statement runs on its own,
    /// before the insert (explicit keys) or after it (`INSERT .. SELECT` into the key column).
    pub async fn all<E: Executor>(self, db: E) -> Result<Vec<D::Output>> {
        let (mut statements, inserts) = self.parts(db.dialect())?;
        if inserts.len() > 1 {
            return Err(Error::InvalidStatement {
                message: format!(
                    "insert into `{}` with RETURNING needs {} statements (the bind limit, or \
                     rows with and without explicit keys); insert in batches inside a \
                     transaction",
                    M::TABLE.name,
                    inserts.len()
                ),
            });
        }
        if inserts.is_empty() {
            return Ok(Vec::new());
        }
        let after = statements.split_off(inserts.end);
        let insert = statements.pop();
        for advance in statements {
            db.execute(advance).await?;
        }
        let rows = match insert {
            Some(statement) => db.fetch_all(statement, self.decoder).await?,
            None => Vec::new(),
        };
        for advance in after {
            db.execute(advance).await?;
        }
        Ok(rows)
    }
}

/// `deleted_at IS NULL` when the only unique constraint over exactly `target` is a unique
/// index that ignores soft-deleted rows: `ON CONFLICT` must repeat a partial index's
/// predicate for the database to use it.
fn partial_unique_filter(table: &'static TableMeta, target: &[&'static str]) -> Option<Expr> {
    let same = |columns: &[&'static str]| {
        columns.len() == target.len() && columns.iter().all(|c| target.contains(c))
    };
    let whole = same(table.primary_key)
        || table
            .columns
            .iter()
            .any(|c| c.unique.is_some() && same(&[c.name]))
        || table
            .indexes
            .iter()
            .any(|index| index.unique && !index.ignore_deleted && same(index.columns));
    let partial = table
        .indexes
        .iter()
        .any(|index| index.unique && index.ignore_deleted && same(index.columns));
    match (whole, partial, table.soft_delete) {
        (false, true, Some(deleted_at)) => {
            Some(crate::row_write::is_null(table, deleted_at, false))
        }
        _ => None,
    }
}
