//! Keyset pagination: the [`Keyset`] of ordering keys and cursor values, and the filter that
//! selects the rows after a cursor.

use crate::expr::{BinaryOp, Expr, Ordering, Sorted};
use crate::select::and_filter;
use crate::types::SqlField;

/// The ordering keys of keyset pagination and the cursor type they take: one [`Sorted`] or a
/// tuple of them (`(Post::published_at.desc(), Post::id.desc())` takes `(DateTime<Utc>, i64)`).
pub trait Keyset {
    /// The values of the last row of the previous page, one per key.
    type Cursor;
    /// The `ORDER BY` terms, with the cursor's values as expressions.
    fn split(self, cursor: Option<Self::Cursor>) -> (Vec<Ordering>, Vec<Expr>);
}

impl<T: SqlField> Keyset for Sorted<T> {
    type Cursor = T;
    fn split(self, cursor: Option<T>) -> (Vec<Ordering>, Vec<Expr>) {
        let values = cursor
            .map(|c| vec![Expr::Value(c.to_value().conform(self.sql_type()))])
            .unwrap_or_default();
        (vec![self.into()], values)
    }
}

macro_rules! tuple_keyset {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: SqlField),+> Keyset for ($(Sorted<$name>,)+) {
            type Cursor = ($($name,)+);
            fn split(self, cursor: Option<Self::Cursor>) -> (Vec<Ordering>, Vec<Expr>) {
                let values = match cursor {
                    Some(c) => vec![$(Expr::Value(c.$idx.to_value().conform(self.$idx.sql_type())),)+],
                    None => Vec::new(),
                };
                (vec![$(self.$idx.into(),)+], values)
            }
        }
    };
}
tuple_keyset!(A 0);
tuple_keyset!(A 0, B 1);
tuple_keyset!(A 0, B 1, C 2);
tuple_keyset!(A 0, B 1, C 2, D 3);

/// `(k1 > c1) OR (k1 = c1 AND k2 > c2) OR ..`, with `<` for descending keys: the rows after
/// the cursor in the given order. Works with mixed directions on every backend.
pub(crate) fn keyset_filter(orderings: &[Ordering], values: Vec<Expr>) -> Expr {
    let mut alternatives: Option<Expr> = None;
    for i in 0..orderings.len() {
        let mut term: Option<Expr> = None;
        for (order, value) in orderings.iter().zip(&values).take(i) {
            let eq = Expr::binary(BinaryOp::Eq, order.expr.clone(), value.clone());
            term = and_filter(term, eq);
        }
        let op = if orderings[i].descending {
            BinaryOp::Lt
        } else {
            BinaryOp::Gt
        };
        let step = Expr::binary(op, orderings[i].expr.clone(), values[i].clone());
        let term = and_filter(term, step).unwrap_or(step_never());
        alternatives = Some(match alternatives {
            None => term,
            Some(previous) => Expr::binary(BinaryOp::Or, previous, term),
        });
    }
    alternatives.unwrap_or_else(step_never)
}

pub(crate) fn step_never() -> Expr {
    Expr::InList {
        expr: Box::new(Expr::Value(crate::value::Value::I32(Some(1)))),
        list: Vec::new(),
        negated: false,
    }
}
