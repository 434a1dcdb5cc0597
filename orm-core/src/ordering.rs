//! `ORDER BY` terms: the untyped [`Ordering`] the renderer writes, and the typed [`Sorted`]
//! that `asc()` / `desc()` return.

use std::marker::PhantomData;

use crate::expr::{Column, Expr, ExpressionExt, TypedExpr};
use crate::types::SqlField;
use crate::value::SqlType;

/// Where NULLs sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// `NULLS FIRST`.
    First,
    /// `NULLS LAST`.
    Last,
}

/// One `ORDER BY` term.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordering {
    /// The ordered expression.
    pub expr: Expr,
    /// `DESC` when true.
    pub descending: bool,
    /// `NULLS FIRST/LAST`; the backend's default when `None`.
    pub nulls: Option<Nulls>,
}

/// A typed `ORDER BY` term (`Post::id.desc()`); the type lets keyset pagination check the
/// cursor values.
pub struct Sorted<T> {
    ordering: Ordering,
    ty: SqlType,
    _marker: PhantomData<fn() -> T>,
}

impl<T> Sorted<T> {
    /// NULLs of a `nullable` expression sort as PostgreSQL sorts them by default (as
    /// larger than every value): written out, so SQLite (which sorts them as smaller) agrees.
    /// Orderings of non-NULL expressions stay bare, so SQLite can still walk an index.
    pub(crate) fn new(expr: Expr, descending: bool, ty: SqlType, nullable: bool) -> Self {
        // A decimal whose scale comes from the values (an average) sorts by its numeric
        // order on SQLite, which carries it as text: the term keeps its type.
        // JSON and arrays keep theirs too: SQLite, storing them as text, cannot order them;
        // and native enums, which PostgreSQL orders as text (as SQLite does).
        let expr = match ty {
            SqlType::EXACT_DECIMAL
            | SqlType::Json
            | SqlType::Jsonb
            | SqlType::Array(_)
            | SqlType::Enum(_) => Expr::typed(expr, ty),
            _ => expr,
        };
        Sorted {
            ordering: Ordering {
                expr,
                descending,
                nulls: nullable.then_some(if descending {
                    Nulls::First
                } else {
                    Nulls::Last
                }),
            },
            ty,
            _marker: PhantomData,
        }
    }

    /// The SQL type of the ordered expression.
    pub fn sql_type(&self) -> SqlType {
        self.ty
    }

    /// `NULLS FIRST`.
    pub fn nulls_first(mut self) -> Self {
        self.ordering.nulls = Some(Nulls::First);
        self
    }

    /// `NULLS LAST`.
    pub fn nulls_last(mut self) -> Self {
        self.ordering.nulls = Some(Nulls::Last);
        self
    }

    /// The untyped ordering.
    pub fn ordering(&self) -> &Ordering {
        &self.ordering
    }
}

impl<T> Clone for Sorted<T> {
    fn clone(&self) -> Self {
        Sorted {
            ordering: self.ordering.clone(),
            ty: self.ty,
            _marker: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Sorted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.ordering.fmt(f)
    }
}

impl<T> From<Sorted<T>> for Ordering {
    fn from(sorted: Sorted<T>) -> Self {
        sorted.ordering
    }
}

impl<M, T: SqlField> From<Column<M, T>> for Ordering {
    fn from(column: Column<M, T>) -> Self {
        column.asc().ordering
    }
}

impl<T: SqlField> From<TypedExpr<T>> for Ordering {
    fn from(expr: TypedExpr<T>) -> Self {
        expr.asc().ordering
    }
}
