//! Report functions with one answer on every backend: date parts and epochs of timestamps
//! stored as text on SQLite, text functions whose edge cases differ between backends, and
//! `greatest` / `least`, which ignore NULLs as PostgreSQL does.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;

use super::{Textual, call};
use crate::expr::{DatePart, Expr, Expression, ToNullable, TypedExpr};
use crate::types::{IntoOperand, SqlField};
use crate::value::{SqlType, Value};

/// Dates and timestamps, which [`date_part`] and [`epoch`] take.
#[diagnostic::on_unimplemented(
    message = "`date_part` and `epoch` need a date or timestamp expression, not `{Self}`",
    label = "not a DateTime<Utc>, NaiveDateTime or NaiveDate"
)]
pub trait Temporal {
    /// A date part: `i32`, or `Option<i32>` of a nullable date.
    type Part: SqlField;
    /// Seconds since 1970-01-01 00:00:00 UTC: a `Decimal` (microseconds for timestamps).
    type Epoch: SqlField;
    /// The scale of the epoch: 6 for timestamps, 0 for dates.
    const EPOCH_SCALE: u8;
}

macro_rules! temporal {
    ($($ty:ty => $scale:expr;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl Temporal for $ty {
            type Part = i32;
            type Epoch = Decimal;
            const EPOCH_SCALE: u8 = $scale;
        }
        #[diagnostic::do_not_recommend]
        impl Temporal for Option<$ty> {
            type Part = Option<i32>;
            type Epoch = Option<Decimal>;
            const EPOCH_SCALE: u8 = $scale;
        }
    )*};
}
temporal! {
    DateTime<Utc> => 6;
    NaiveDateTime => 6;
    NaiveDate => 0;
}

/// A part of a date or timestamp as an integer, in UTC on every backend:
/// `date_part(DatePart::Month, Invoice::invoice_date)`. `DayOfWeek` is 0 for Sunday, as
/// PostgreSQL's `EXTRACT(DOW ..)`.
pub fn date_part<E: Expression>(part: DatePart, expr: E) -> TypedExpr<<E::Output as Temporal>::Part>
where
    E::Output: Temporal,
{
    let ty = expr.sql_type();
    TypedExpr::new(
        Expr::DatePart {
            part,
            expr: Box::new(expr.into_expr()),
            ty,
        },
        SqlType::Int,
    )
}

/// Seconds since 1970-01-01 00:00:00 UTC, exactly: a `Decimal` with the microseconds of a
/// timestamp (scale 6), or whole seconds of a date (scale 0), as PostgreSQL's
/// `EXTRACT(EPOCH ..)`.
pub fn epoch<E: Expression>(expr: E) -> TypedExpr<<E::Output as Temporal>::Epoch>
where
    E::Output: Temporal,
{
    let ty = expr.sql_type();
    TypedExpr::new(
        Expr::DatePart {
            part: DatePart::Epoch,
            expr: Box::new(expr.into_expr()),
            ty,
        },
        SqlType::computed_decimal(<E::Output as Temporal>::EPOCH_SCALE),
    )
}

/// Today's date in UTC.
pub fn current_date() -> TypedExpr<NaiveDate> {
    TypedExpr::new(Expr::CurrentTimestamp(SqlType::Date), SqlType::Date)
}

/// `TRIM(expr)`: spaces removed from both ends.
pub fn trim<E: Expression>(expr: E) -> TypedExpr<E::Output>
where
    E::Output: Textual,
{
    let ty = expr.sql_type();
    call("TRIM", vec![expr.into_expr()], false, ty)
}

/// `SUBSTR(expr, start, length)`: `length` characters from the `start`-th (1-based; a start
/// of 0 is taken as 1, since the backends disagree before the first character).
pub fn substr<E: Expression>(expr: E, start: u32, length: u32) -> TypedExpr<E::Output>
where
    E::Output: Textual,
{
    let ty = expr.sql_type();
    let int = |n: u32| Expr::Value(Value::I32(Some(i32::try_from(n).unwrap_or(i32::MAX))));
    call(
        "SUBSTR",
        vec![expr.into_expr(), int(start.max(1)), int(length)],
        false,
        ty,
    )
}

/// `REPLACE(expr, from, to)`: every occurrence of `from` replaced (case-sensitive).
pub fn replace<E, F, T>(expr: E, from: F, to: T) -> TypedExpr<E::Output>
where
    E: Expression,
    E::Output: Textual,
    F: IntoOperand<String>,
    T: IntoOperand<String>,
{
    let ty = expr.sql_type();
    call(
        "REPLACE",
        vec![
            expr.into_expr(),
            from.into_operand(SqlType::Text),
            to.into_operand(SqlType::Text),
        ],
        false,
        ty,
    )
}

/// `NULLIF(expr, other)`: NULL where `expr` equals `other`, `expr` otherwise.
pub fn nullif<E, R>(expr: E, other: R) -> TypedExpr<<E::Output as ToNullable>::Nullable>
where
    E: Expression,
    E::Output: ToNullable,
    R: IntoOperand<E::Output>,
{
    let ty = expr.sql_type();
    call(
        "NULLIF",
        vec![expr.into_expr(), other.into_operand(ty)],
        false,
        ty,
    )
}

/// `GREATEST(a, b)`: the larger, ignoring a NULL (NULL only when both are), on every backend
/// (SQLite's two-argument `max` would be NULL when either is).
pub fn greatest<E, R>(a: E, b: R) -> TypedExpr<E::Output>
where
    E: Expression,
    R: IntoOperand<E::Output>,
{
    extreme("GREATEST", a, b)
}

/// `LEAST(a, b)`: the smaller, ignoring a NULL (NULL only when both are), on every backend.
pub fn least<E, R>(a: E, b: R) -> TypedExpr<E::Output>
where
    E: Expression,
    R: IntoOperand<E::Output>,
{
    extreme("LEAST", a, b)
}

fn extreme<E, R>(name: &'static str, a: E, b: R) -> TypedExpr<E::Output>
where
    E: Expression,
    R: IntoOperand<E::Output>,
{
    let ty = a.sql_type();
    let b_ty = b.operand_type(ty);
    let args = vec![
        Expr::typed(a.into_expr(), ty),
        Expr::typed(b.into_operand(ty), b_ty),
    ];
    call(name, args, false, ty)
}
