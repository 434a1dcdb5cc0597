//! `SELECT` builders: [`Select`] for whole models and chosen columns, and the
//! [`Selection`] trait that types the select list.

use std::marker::PhantomData;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::executor::{Executor, RowDecoder};
use crate::expr::{BinaryOp, Column, Expr, Expression, Ordering, TypedExpr};
use crate::model::Model;
use crate::render;
use crate::statement::{SelectStatement, Statement};
use crate::types::{RowReader, SqlField};
use crate::value::SqlType;

/// A typed select list: a column, an expression, or a tuple of them. Its `Output` is what a
/// row decodes into, so a mismatched tuple type fails to compile.
pub trait Selection: Send + Sync + 'static {
    /// The Rust value of one row.
    type Output: Send + Unpin;
    /// Append the select-list expressions.
    fn push_exprs(&self, out: &mut Vec<Expr>);
    /// Decode starting at column `*index`, advancing it past the columns read.
    fn decode_at<R: RowReader + ?Sized>(&self, row: &R, index: &mut usize) -> Result<Self::Output>;
}

impl<M: 'static, T: SqlField> Selection for Column<M, T> {
    type Output = T;
    fn push_exprs(&self, out: &mut Vec<Expr>) {
        out.push(self.into_expr());
    }
    fn decode_at<R: RowReader + ?Sized>(&self, row: &R, index: &mut usize) -> Result<T> {
        let value = T::decode(row, *index, self.sql_type())?;
        *index += 1;
        Ok(value)
    }
}

impl<T: SqlField> Selection for TypedExpr<T> {
    type Output = T;
    fn push_exprs(&self, out: &mut Vec<Expr>) {
        out.push(self.clone().into_expr());
    }
    fn decode_at<R: RowReader + ?Sized>(&self, row: &R, index: &mut usize) -> Result<T> {
        let value = T::decode(row, *index, self.sql_type())?;
        *index += 1;
        Ok(value)
    }
}

macro_rules! tuple_selection {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: Selection),+> Selection for ($($name,)+) {
            type Output = ($($name::Output,)+);
            fn push_exprs(&self, out: &mut Vec<Expr>) {
                $(self.$idx.push_exprs(out);)+
            }
            fn decode_at<R: RowReader + ?Sized>(&self, row: &R, index: &mut usize) -> Result<Self::Output> {
                Ok(($(self.$idx.decode_at(row, index)?,)+))
            }
        }
    };
}
tuple_selection!(A 0);
tuple_selection!(A 0, B 1);
tuple_selection!(A 0, B 1, C 2);
tuple_selection!(A 0, B 1, C 2, D 3);
tuple_selection!(A 0, B 1, C 2, D 3, E 4);
tuple_selection!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_selection!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_selection!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// Decodes whole model rows.
pub struct ModelDecoder<M>(PhantomData<fn() -> M>);

impl<M> ModelDecoder<M> {
    /// The decoder.
    pub const fn new() -> Self {
        ModelDecoder(PhantomData)
    }
}

impl<M> Default for ModelDecoder<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: Model> RowDecoder for ModelDecoder<M> {
    type Output = M;
    #[inline]
    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<M> {
        M::decode_row(row).map_err(|error| error.in_table(M::TABLE.name))
    }
}

/// Decodes rows of a [`Selection`].
pub struct SelectionDecoder<S>(S);

impl<S: Selection> RowDecoder for SelectionDecoder<S> {
    type Output = S::Output;
    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<S::Output> {
        let mut index = 0;
        self.0.decode_at(row, &mut index)
    }
}

/// Decodes a single scalar of type `T` from column 0.
pub struct ScalarDecoder<T>(pub SqlType, pub PhantomData<fn() -> T>);

impl<T: SqlField> RowDecoder for ScalarDecoder<T> {
    type Output = T;
    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<T> {
        T::decode(row, 0, self.0)
    }
}

/// The select list of every column of `M`, in declaration order.
pub fn model_columns<M: Model>() -> Vec<Expr> {
    let table = M::TABLE;
    table
        .columns
        .iter()
        .map(|c| Expr::Column {
            table: table.name,
            name: c.name,
        })
        .collect()
}

/// AND a condition onto an optional filter.
pub(crate) fn and_filter(filter: Option<Expr>, condition: Expr) -> Option<Expr> {
    Some(match filter {
        None => condition,
        Some(existing) => Expr::binary(BinaryOp::And, existing, condition),
    })
}

/// A `SELECT` on the table of `M` whose rows decode with `D` (whole models by default).
///
/// Built by `User::query()`; run with [`Select::all`], [`Select::one`], [`Select::optional`],
/// [`Select::first`], [`Select::count`] or [`Select::exists`].
pub struct Select<M, D = ModelDecoder<M>> {
    statement: SelectStatement,
    decoder: D,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Select<M> {
    /// Every row of `M`, every column.
    pub fn new() -> Self {
        Select {
            statement: SelectStatement::new(M::TABLE.name, model_columns::<M>()),
            decoder: ModelDecoder::new(),
            _model: PhantomData,
        }
    }

    /// Select chosen columns or expressions instead of the whole model; rows decode into the
    /// selection's type (a value or a tuple).
    pub fn select<S: Selection>(self, selection: S) -> Select<M, SelectionDecoder<S>> {
        let mut columns = Vec::new();
        selection.push_exprs(&mut columns);
        Select {
            statement: SelectStatement {
                columns,
                ..self.statement
            },
            decoder: SelectionDecoder(selection),
            _model: PhantomData,
        }
    }
}

impl<M: Model> Default for Select<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: Model, D: RowDecoder> Select<M, D> {
    /// Keep rows matching `condition` (several filters are ANDed).
    pub fn filter(mut self, condition: impl Expression<Output = bool>) -> Self {
        self.statement.filter = and_filter(self.statement.filter.take(), condition.into_expr());
        self
    }

    /// Order by a column (ascending) or an ordering (`col.desc()`); call again for more keys.
    pub fn order_by(mut self, order: impl Into<Ordering>) -> Self {
        self.statement.order_by.push(order.into());
        self
    }

    /// Return at most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.statement.limit = Some(n);
        self
    }

    /// Skip the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.statement.offset = Some(n);
        self
    }

    /// The statement AST.
    pub fn statement(&self) -> &SelectStatement {
        &self.statement
    }

    /// The SQL and binds this query sends on `dialect`.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Statement {
        render::select(dialect, &self.statement)
    }

    /// Every matching row.
    pub async fn all<E: Executor>(self, db: E) -> Result<Vec<D::Output>> {
        let statement = render::select(db.dialect(), &self.statement);
        db.fetch_all(statement, self.decoder).await
    }

    /// Exactly one row: `Error::NotFound` when none, `Error::InvalidStatement` when several.
    pub async fn one<E: Executor>(self, db: E) -> Result<D::Output> {
        self.optional(db).await?.ok_or(Error::NotFound {
            table: M::TABLE.name,
        })
    }

    /// At most one row: `None` when none, `Error::InvalidStatement` when several.
    pub async fn optional<E: Executor>(mut self, db: E) -> Result<Option<D::Output>> {
        self.statement.limit = Some(2);
        let mut rows = self.all(db).await?;
        if rows.len() > 1 {
            return Err(Error::InvalidStatement {
                message: format!(
                    "expected at most one row of `{}`, found several; use .first() or a tighter filter",
                    M::TABLE.name
                ),
            });
        }
        Ok(rows.pop())
    }

    /// The first row, if any (adds `LIMIT 1`).
    pub async fn first<E: Executor>(mut self, db: E) -> Result<Option<D::Output>> {
        self.statement.limit = Some(1);
        let statement = render::select(db.dialect(), &self.statement);
        db.fetch_optional(statement, self.decoder).await
    }

    /// The SQL and binds [`Select::count`] sends on `dialect`.
    pub fn count_sql(&self, dialect: &dyn Dialect) -> Statement {
        render::count(dialect, &self.statement)
    }

    /// The SQL and binds [`Select::exists`] sends on `dialect`: the query without its select
    /// list and order, inside `EXISTS`.
    pub fn exists_sql(&self, dialect: &dyn Dialect) -> Statement {
        let probe = SelectStatement {
            columns: Vec::new(),
            order_by: Vec::new(),
            ..self.statement.clone()
        };
        render::exists(dialect, &probe)
    }

    /// The number of rows the query would return.
    pub async fn count<E: Executor>(self, db: E) -> Result<i64> {
        let statement = self.count_sql(db.dialect());
        let decoder = ScalarDecoder::<i64>(SqlType::BigInt, PhantomData);
        let count = db.fetch_optional(statement, decoder).await?;
        Ok(count.unwrap_or(0))
    }

    /// True when the query matches at least one row.
    pub async fn exists<E: Executor>(self, db: E) -> Result<bool> {
        let statement = self.exists_sql(db.dialect());
        let decoder = ScalarDecoder::<bool>(SqlType::Bool, PhantomData);
        Ok(db
            .fetch_optional(statement, decoder)
            .await?
            .unwrap_or(false))
    }
}
