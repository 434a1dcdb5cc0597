//! Array columns: `Vec<T>` of a scalar `T` (`bool`, `i16`, `i32`, `i64`, `f64`, `String`,
//! `Uuid`), a native array on PostgreSQL (`BIGINT[]`) and a JSON array as text on SQLite, with
//! PostgreSQL's operators and the same answers on both: `contains` (`@>`, every given element
//! is in the array), `overlaps` (`&&`, some element is shared) and `any` (`value = ANY(..)`,
//! the array holds the value).
//!
//! ```
//! # use orm_core::expr::{Column, ExpressionExt};
//! # struct Post;
//! # let tags: Column<Post, Vec<String>> = Column::new("posts", "tags", orm_core::SqlType::Array(orm_core::ArrayElement::Text));
//! let rusty = tags.any("rust");
//! let both = tags.contains(vec!["rust".to_owned(), "db".to_owned()]);
//! let either = tags.overlaps(vec!["go".to_owned(), "zig".to_owned()]);
//! ```

use uuid::Uuid;

use crate::error::{Error, Result};
use crate::expr::{Condition, Expr, TypedExpr};
use crate::json::Contains;
use crate::selection::{FromRow, decode_one};
use crate::types::{NonNullField, RowReader, SqlField, unexpected_null};
use crate::value::{ArrayElement, SqlType, Value};

/// Run `$typed!(Variant, RustType)` for an [`ArrayElement`]: the `Value` variant and the
/// Rust type of its elements (for backends binding and reading typed arrays).
#[doc(hidden)]
#[macro_export]
macro_rules! for_array_element {
    ($element:expr, $typed:ident) => {
        match $element {
            $crate::ArrayElement::Bool => $typed!(Bool, bool),
            $crate::ArrayElement::SmallInt => $typed!(I16, i16),
            $crate::ArrayElement::Int => $typed!(I32, i32),
            $crate::ArrayElement::BigInt => $typed!(I64, i64),
            $crate::ArrayElement::Double => $typed!(F64, f64),
            $crate::ArrayElement::Text => $typed!(String, String),
            $crate::ArrayElement::Uuid => $typed!(Uuid, ::uuid::Uuid),
        }
    };
}

/// A scalar type arrays hold: `bool`, `i16`, `i32`, `i64`, `f64`, `String`, `Uuid`.
#[diagnostic::on_unimplemented(
    message = "`Vec<{Self}>` is not an array column",
    label = "arrays hold bool, i16, i32, i64, f64, String or Uuid",
    note = "store other shapes as JSON with orm::Json<Vec<T>>"
)]
pub trait ArrayItem: NonNullField + Clone {
    /// The element type.
    const ELEMENT: ArrayElement;
    /// The element as the value bound for it.
    fn item_value(&self) -> Value;
    /// The element read back, `None` for a value of another type.
    fn from_item(value: Value) -> Option<Self>;
}

macro_rules! array_items {
    ($($ty:ty => $element:ident, $variant:ident;)*) => {$(
        impl ArrayItem for $ty {
            const ELEMENT: ArrayElement = ArrayElement::$element;
            fn item_value(&self) -> Value {
                Value::$variant(Some(self.clone()))
            }
            fn from_item(value: Value) -> Option<Self> {
                match value {
                    Value::$variant(v) => v,
                    _ => None,
                }
            }
        }
    )*};
}
array_items! {
    bool => Bool, Bool;
    i16 => SmallInt, I16;
    i32 => Int, I32;
    i64 => BigInt, I64;
    f64 => Double, F64;
    String => Text, String;
    Uuid => Uuid, Uuid;
}

/// Read an array of `T` from column `index`; `None` for NULL.
fn read_array<T: ArrayItem, R: RowReader + ?Sized>(
    row: &R,
    index: usize,
) -> Result<Option<Vec<T>>> {
    let Some(items) = row.read_array(index, T::ELEMENT)? else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|item| {
            T::from_item(item).ok_or_else(|| {
                Error::decode(
                    row.column_name(index),
                    format!("an array element is not a {:?} (or is NULL)", T::ELEMENT),
                )
            })
        })
        .collect::<Result<Vec<T>>>()
        .map(Some)
}

#[diagnostic::do_not_recommend]
impl<T: ArrayItem> SqlField for Vec<T> {
    const SQL_TYPE: SqlType = SqlType::Array(T::ELEMENT);
    const NULLABLE: bool = false;
    fn to_value(&self) -> Value {
        Value::Array(
            Some(self.iter().map(ArrayItem::item_value).collect()),
            T::ELEMENT,
        )
    }
    fn decode<R: RowReader + ?Sized>(row: &R, index: usize, _ty: SqlType) -> Result<Self> {
        read_array(row, index)?.ok_or_else(|| unexpected_null(row, index))
    }
}

impl<T: ArrayItem> NonNullField for Vec<T> {
    fn decode_nullable<R: RowReader + ?Sized>(
        row: &R,
        index: usize,
        _ty: SqlType,
    ) -> Result<Option<Self>> {
        read_array(row, index)
    }
    fn null_value() -> Value {
        Value::Array(None, T::ELEMENT)
    }
}

impl<T: ArrayItem> FromRow for Vec<T> {
    fn decode_at<R: RowReader + ?Sized>(row: &R, index: &mut usize) -> Result<Self> {
        decode_one(row, index, <Self as SqlField>::SQL_TYPE)
    }
}

/// Array column types (`Vec<T>`, `Option<Vec<T>>`), which `overlaps` and `any` take.
#[diagnostic::on_unimplemented(
    message = "`overlaps` and `any` need an array expression, not `{Self}`",
    label = "not a Vec<T> column"
)]
pub trait ArrayType {
    /// The element type.
    type Item: ArrayItem;
}
#[diagnostic::do_not_recommend]
impl<T: ArrayItem> ArrayType for Vec<T> {
    type Item = T;
}
#[diagnostic::do_not_recommend]
impl<T: ArrayItem> ArrayType for Option<Vec<T>> {
    type Item = T;
}

/// What an array operator asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayOp {
    /// `lhs @> rhs`: every element of `rhs` is in `lhs`.
    Contains,
    /// `lhs && rhs`: some element is in both.
    Overlaps,
    /// `rhs = ANY(lhs)`: `lhs` holds the value `rhs`.
    Any,
}

fn array_condition(op: ArrayOp, array: Expr, operand: Value) -> Condition {
    TypedExpr::new(
        Expr::Array {
            op,
            array: Box::new(array),
            operand: Box::new(Expr::Value(operand)),
        },
        SqlType::Bool,
    )
}

fn array_value<T: ArrayItem>(items: &[T]) -> Value {
    Value::Array(
        Some(items.iter().map(ArrayItem::item_value).collect()),
        T::ELEMENT,
    )
}

#[diagnostic::do_not_recommend]
impl<A: ArrayType> Contains<Vec<A::Item>> for A {
    fn contains(expr: Expr, _ty: SqlType, term: Vec<A::Item>) -> Condition {
        array_condition(ArrayOp::Contains, expr, array_value(&term))
    }
}

/// `array && items`.
pub(crate) fn overlaps<T: ArrayItem>(array: Expr, items: &[T]) -> Condition {
    array_condition(ArrayOp::Overlaps, array, array_value(items))
}

/// `item = ANY(array)`.
pub(crate) fn any<T: ArrayItem>(array: Expr, item: &T) -> Condition {
    array_condition(ArrayOp::Any, array, item.item_value())
}
