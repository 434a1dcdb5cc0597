//! SQL functions with typed results: aggregates (`count`, `sum`, `avg`, `min`, `max`),
//! scalar functions (`lower`, `coalesce`, `date_trunc`, ..), `CASE`, window functions, and
//! [`func`] for any other function.
//!
//! Result types follow what the backends return: `count` is `i64`; `sum` of `i16`/`i32`/`i64`
//! is `Option<i64>` (NULL over no rows); `sum` of a `Decimal` is an `Option<Decimal>`; `avg`
//! of integers and decimals is an exact `Option<Decimal>` (PostgreSQL's `numeric`), of floats
//! an `Option<f64>`; `min`/`max` are the nullable form of their argument.

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::expr::{
    DateUnit, Expr, Expression, Frame, FrameBound, NumericFunction, Ordering, Subquery, ToNullable,
    TypedExpr, WindowSpec,
};
use crate::types::{IntoOperand, NonNullField, SqlField};

mod portable;
use crate::value::{DecimalScale, SqlType};
pub use portable::{
    Temporal, current_date, date_part, epoch, greatest, least, nullif, replace, substr, trim,
};

fn call<T>(name: &'static str, args: Vec<Expr>, aggregate: bool, ty: SqlType) -> TypedExpr<T> {
    TypedExpr::new(
        Expr::Function {
            name: Cow::Borrowed(name),
            args,
            distinct: false,
            aggregate,
        },
        ty,
    )
}

/// `COUNT(*)`, an `i64`.
pub fn count_star() -> TypedExpr<i64> {
    TypedExpr::new(Expr::CountStar, SqlType::BigInt)
}

/// `COUNT(expr)`: the number of non-NULL values.
pub fn count<E: Expression>(expr: E) -> TypedExpr<i64> {
    call("COUNT", vec![expr.into_expr()], true, SqlType::BigInt)
}

/// `COUNT(DISTINCT expr)`.
pub fn count_distinct<E: Expression>(expr: E) -> TypedExpr<i64> {
    TypedExpr::new(
        Expr::Function {
            name: Cow::Borrowed("COUNT"),
            args: vec![expr.into_expr()],
            distinct: true,
            aggregate: true,
        },
        SqlType::BigInt,
    )
}

/// The result type of `SUM` over a column type.
#[diagnostic::on_unimplemented(
    message = "`sum` needs a numeric expression, not `{Self}`",
    label = "not a number"
)]
pub trait Summable {
    /// What the sum decodes to.
    type Sum: SqlField;
    /// The sum's SQL type, given the argument's.
    fn sum_type(arg: SqlType) -> SqlType;
}

/// The result type of `AVG` over a column type.
#[diagnostic::on_unimplemented(
    message = "`avg` needs a numeric expression, not `{Self}`",
    label = "not a number"
)]
pub trait Averageable {
    /// What the average decodes to.
    type Avg: SqlField;
    /// The average's SQL type, given the argument's.
    fn avg_type(arg: SqlType) -> SqlType;
}

macro_rules! numeric_aggregates {
    ($($ty:ty => $sum:ty, $sum_ty:expr, $avg:ty, $avg_ty:expr;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl Summable for $ty {
            type Sum = $sum;
            fn sum_type(arg: SqlType) -> SqlType {
                ($sum_ty)(arg)
            }
        }
        #[diagnostic::do_not_recommend]
        impl Summable for Option<$ty> {
            type Sum = $sum;
            fn sum_type(arg: SqlType) -> SqlType {
                <$ty as Summable>::sum_type(arg)
            }
        }
        #[diagnostic::do_not_recommend]
        impl Averageable for $ty {
            type Avg = $avg;
            fn avg_type(arg: SqlType) -> SqlType {
                ($avg_ty)(arg)
            }
        }
        #[diagnostic::do_not_recommend]
        impl Averageable for Option<$ty> {
            type Avg = $avg;
            fn avg_type(arg: SqlType) -> SqlType {
                <$ty as Averageable>::avg_type(arg)
            }
        }
    )*};
}

/// A sum of decimals keeps its argument's scale (PostgreSQL's rule), as a computed decimal.
fn decimal_sum(arg: SqlType) -> SqlType {
    match arg.decimal_scale() {
        Some(DecimalScale::Fixed(scale)) => SqlType::computed_decimal(scale),
        _ => SqlType::EXACT_DECIMAL,
    }
}

numeric_aggregates! {
    i16 => Option<i64>, |_| SqlType::BigInt, Option<Decimal>, |_| SqlType::EXACT_DECIMAL;
    i32 => Option<i64>, |_| SqlType::BigInt, Option<Decimal>, |_| SqlType::EXACT_DECIMAL;
    i64 => Option<i64>, |_| SqlType::BigInt, Option<Decimal>, |_| SqlType::EXACT_DECIMAL;
    f32 => Option<f64>, |_| SqlType::Double, Option<f64>, |_| SqlType::Double;
    f64 => Option<f64>, |_| SqlType::Double, Option<f64>, |_| SqlType::Double;
    Decimal => Option<Decimal>, decimal_sum, Option<Decimal>, |_| SqlType::EXACT_DECIMAL;
}

fn numeric<T>(function: NumericFunction, arg: Expr, arg_ty: SqlType, ty: SqlType) -> TypedExpr<T> {
    TypedExpr::new(
        Expr::Numeric {
            function,
            arg: Box::new(arg),
            arg_ty,
        },
        ty,
    )
}

/// `SUM(expr)`; NULL (`None`) over no rows. Integer sums are `BIGINT` on both backends (a
/// PostgreSQL `SUM(bigint)` is cast back from `NUMERIC`), float sums `DOUBLE`, decimal sums
/// exact at the argument's scale (an overflow is an error on every backend).
pub fn sum<E, T>(expr: E) -> TypedExpr<T::Sum>
where
    E: Expression<Output = T>,
    T: Summable,
{
    let ty = T::sum_type(expr.sql_type());
    let arg = expr.sql_type();
    if arg.decimal_scale().is_some() {
        return numeric(NumericFunction::Sum, expr.into_expr(), arg, ty);
    }
    let sum = Expr::Function {
        name: Cow::Borrowed("SUM"),
        args: vec![expr.into_expr()],
        distinct: false,
        aggregate: true,
    };
    // PostgreSQL widens SUM(bigint) to NUMERIC and SUM(real) stays REAL: cast both to the
    // declared result so every backend returns the same type.
    let sum = match (arg, ty) {
        (SqlType::BigInt | SqlType::Real, _) => Expr::Cast {
            expr: Box::new(sum),
            from: arg,
            ty,
        },
        _ => sum,
    };
    TypedExpr::new(sum, ty)
}

/// `AVG(expr)`; NULL over no rows. The average of integers or decimals is an exact
/// `Decimal` with the scale PostgreSQL gives it (at least 16 significant digits, e.g.
/// `avg(1, 2) = 1.5000000000000000`), on every backend; of floats an `f64`.
pub fn avg<E, T>(expr: E) -> TypedExpr<T::Avg>
where
    E: Expression<Output = T>,
    T: Averageable,
{
    let ty = T::avg_type(expr.sql_type());
    let arg = expr.sql_type();
    if ty == SqlType::EXACT_DECIMAL {
        return numeric(NumericFunction::Avg, expr.into_expr(), arg, ty);
    }
    let avg = Expr::Function {
        name: Cow::Borrowed("AVG"),
        args: vec![expr.into_expr()],
        distinct: false,
        aggregate: true,
    };
    TypedExpr::new(
        Expr::Cast {
            expr: Box::new(avg),
            from: arg,
            ty,
        },
        ty,
    )
}

/// `MIN(expr)`; NULL over no rows.
pub fn min<E, T>(expr: E) -> TypedExpr<T::Nullable>
where
    E: Expression<Output = T>,
    T: ToNullable,
{
    let ty = expr.sql_type();
    if ty.decimal_scale().is_some() {
        return numeric(NumericFunction::Min, expr.into_expr(), ty, ty);
    }
    call("MIN", vec![Expr::typed(expr.into_expr(), ty)], true, ty)
}

/// `MAX(expr)`; NULL over no rows.
pub fn max<E, T>(expr: E) -> TypedExpr<T::Nullable>
where
    E: Expression<Output = T>,
    T: ToNullable,
{
    let ty = expr.sql_type();
    if ty.decimal_scale().is_some() {
        return numeric(NumericFunction::Max, expr.into_expr(), ty, ty);
    }
    call("MAX", vec![Expr::typed(expr.into_expr(), ty)], true, ty)
}

/// Decimals and floats, which [`round`], [`ceil`] and [`floor`] take.
#[diagnostic::on_unimplemented(
    message = "`round`, `ceil` and `floor` need a Decimal or float expression, not `{Self}`",
    label = "not a Decimal or float",
    note = "an integer is already whole; for an average of integers, which is a Decimal, round that"
)]
pub trait Roundable {}
#[diagnostic::do_not_recommend]
impl Roundable for Decimal {}
#[diagnostic::do_not_recommend]
impl Roundable for Option<Decimal> {}
#[diagnostic::do_not_recommend]
impl Roundable for f64 {}
#[diagnostic::do_not_recommend]
impl Roundable for Option<f64> {}
#[diagnostic::do_not_recommend]
impl Roundable for f32 {}
#[diagnostic::do_not_recommend]
impl Roundable for Option<f32> {}

/// `round(expr, places)`: rounded half away from zero to `places` decimals (negative: to
/// tens, hundreds, ..), on every backend. A decimal result has scale `max(places, 0)`
/// (`round(1.99, 3) = 1.990`, as PostgreSQL); a float is rounded as PostgreSQL rounds it
/// (through its 15-significant-digit decimal form), then stays a float.
///
/// ```
/// # use orm_core::functions::{round, avg};
/// # use orm_core::expr::Column;
/// # use orm_core::SqlType;
/// # struct Track;
/// # let unit_price: Column<Track, rust_decimal::Decimal> =
/// #     Column::new("track", "unit_price", SqlType::Numeric { precision: 10, scale: 2 });
/// let average_price = round(avg(unit_price), 2);
/// ```
pub fn round<E: Expression>(expr: E, places: i32) -> TypedExpr<E::Output>
where
    E::Output: Roundable,
{
    let arg = expr.sql_type();
    let ty = match arg.decimal_scale() {
        Some(_) => SqlType::computed_decimal(u8::try_from(places.clamp(0, 28)).unwrap_or(0)),
        None => arg,
    };
    numeric(NumericFunction::Round(places), expr.into_expr(), arg, ty)
}

/// `ceil(expr)`: the smallest whole number not below it (a decimal of scale 0, or a float).
pub fn ceil<E: Expression>(expr: E) -> TypedExpr<E::Output>
where
    E::Output: Roundable,
{
    whole(NumericFunction::Ceil, expr)
}

/// `floor(expr)`: the largest whole number not above it (a decimal of scale 0, or a float).
pub fn floor<E: Expression>(expr: E) -> TypedExpr<E::Output>
where
    E::Output: Roundable,
{
    whole(NumericFunction::Floor, expr)
}

fn whole<E: Expression>(function: NumericFunction, expr: E) -> TypedExpr<E::Output> {
    let arg = expr.sql_type();
    let ty = match arg.decimal_scale() {
        Some(_) => SqlType::computed_decimal(0),
        None => arg,
    };
    numeric(function, expr.into_expr(), arg, ty)
}

/// `abs(expr)` of any number (an overflow of the most negative integer is an error).
pub fn abs<E: Expression>(expr: E) -> TypedExpr<E::Output>
where
    E::Output: crate::arith::NumericType,
{
    let ty = expr.sql_type();
    numeric(NumericFunction::Abs, expr.into_expr(), ty, ty)
}

/// Text types, which the string functions take.
#[diagnostic::on_unimplemented(
    message = "this string function needs a text expression, not `{Self}`",
    label = "not a String"
)]
pub trait Textual {}
#[diagnostic::do_not_recommend]
impl Textual for String {}
#[diagnostic::do_not_recommend]
impl Textual for Option<String> {}

/// `LOWER(expr)`: every Unicode letter lower-cased, on every backend (orm's own function
/// on SQLite, whose `lower` folds ASCII only).
pub fn lower<E: Expression>(expr: E) -> TypedExpr<E::Output>
where
    E::Output: Textual,
{
    let ty = expr.sql_type();
    call("LOWER", vec![expr.into_expr()], false, ty)
}

/// `UPPER(expr)`: every Unicode letter upper-cased, on every backend (orm's own function
/// on SQLite, whose `upper` folds ASCII only).
pub fn upper<E: Expression>(expr: E) -> TypedExpr<E::Output>
where
    E::Output: Textual,
{
    let ty = expr.sql_type();
    call("UPPER", vec![expr.into_expr()], false, ty)
}

/// `LENGTH(expr)` in characters; `Option<i32>` because a NULL text has no length.
pub fn length<E: Expression>(expr: E) -> TypedExpr<Option<i32>>
where
    E::Output: Textual,
{
    call("LENGTH", vec![expr.into_expr()], false, SqlType::Int)
}

/// The current time as a `DateTime<Utc>` (in the stored format on SQLite).
pub fn now() -> TypedExpr<chrono::DateTime<chrono::Utc>> {
    TypedExpr::new(
        Expr::CurrentTimestamp(SqlType::TimestampTz),
        SqlType::TimestampTz,
    )
}

/// Timestamp types, which [`date_trunc`] takes.
#[diagnostic::on_unimplemented(
    message = "`date_trunc` needs a timestamp expression, not `{Self}`",
    label = "not a DateTime<Utc> or NaiveDateTime"
)]
pub trait Timestamp {}
#[diagnostic::do_not_recommend]
impl Timestamp for chrono::DateTime<chrono::Utc> {}
#[diagnostic::do_not_recommend]
impl Timestamp for Option<chrono::DateTime<chrono::Utc>> {}
#[diagnostic::do_not_recommend]
impl Timestamp for chrono::NaiveDateTime {}
#[diagnostic::do_not_recommend]
impl Timestamp for Option<chrono::NaiveDateTime> {}

/// A timestamp truncated to the start of its year, month, day, hour or minute (UTC for
/// `DateTime<Utc>`): `date_trunc(DateUnit::Month, Post::published_at)`.
pub fn date_trunc<E: Expression>(unit: DateUnit, expr: E) -> TypedExpr<E::Output>
where
    E::Output: Timestamp,
{
    let ty = expr.sql_type();
    TypedExpr::new(
        Expr::DateTrunc {
            unit,
            expr: Box::new(expr.into_expr()),
            ty,
        },
        ty,
    )
}

/// `COALESCE(expr, fallback)`: `fallback` when `expr` is NULL; the result is not nullable
/// when the fallback is not.
pub fn coalesce<E, T, F>(expr: E, fallback: F) -> TypedExpr<T>
where
    E: Expression<Output = Option<T>>,
    T: NonNullField,
    F: IntoOperand<T>,
{
    let ty = expr.sql_type();
    call(
        "COALESCE",
        vec![expr.into_expr(), fallback.into_operand(ty)],
        false,
        ty,
    )
}

/// Any other SQL function, with a declared result type: `func::<f64>("round", [..])`.
///
/// `name` must be a plain identifier (letters, digits, `_`, and `.` for a schema); anything
/// else is an `InvalidStatement` error when the query is rendered.
pub fn func<T: SqlField>(name: impl Into<Cow<'static, str>>, args: Vec<Expr>) -> TypedExpr<T> {
    TypedExpr::new(
        Expr::Function {
            name: name.into(),
            args,
            distinct: false,
            aggregate: false,
        },
        T::SQL_TYPE,
    )
}

/// Any other aggregate function, with a declared result type (`string_agg`, `bool_and`, ..).
pub fn aggregate_func<T: SqlField>(
    name: impl Into<Cow<'static, str>>,
    args: Vec<Expr>,
) -> TypedExpr<T> {
    TypedExpr::new(
        Expr::Function {
            name: name.into(),
            args,
            distinct: false,
            aggregate: true,
        },
        T::SQL_TYPE,
    )
}

/// The untyped argument of [`func`]: `arg(User::name)`.
pub fn arg<E: Expression>(expr: E) -> Expr {
    expr.into_expr()
}

/// `CASE WHEN condition THEN result ...`: start with [`case_when`], add [`Case::when`], end
/// with [`Case::otherwise`] (or use it as is: no match gives NULL, so the type is an
/// `Option`).
pub struct Case<T> {
    whens: Vec<(Expr, Expr)>,
    ty: SqlType,
    _marker: std::marker::PhantomData<fn() -> T>,
}

/// Start a `CASE` expression: `case_when(Post::price.gt(d), "expensive").otherwise("cheap")`.
pub fn case_when<T: SqlField, C, R>(condition: C, result: R) -> Case<T>
where
    C: Expression<Output = bool>,
    R: IntoOperand<T>,
{
    Case {
        whens: vec![(condition.into_expr(), result.into_operand(T::SQL_TYPE))],
        ty: T::SQL_TYPE,
        _marker: std::marker::PhantomData,
    }
}

impl<T: SqlField> Case<T> {
    /// Another `WHEN condition THEN result`.
    pub fn when<C, R>(mut self, condition: C, result: R) -> Self
    where
        C: Expression<Output = bool>,
        R: IntoOperand<T>,
    {
        self.whens
            .push((condition.into_expr(), result.into_operand(self.ty)));
        self
    }

    /// `ELSE result END`.
    pub fn otherwise<R: IntoOperand<T>>(self, result: R) -> TypedExpr<T> {
        TypedExpr::new(
            Expr::Case {
                whens: self.whens,
                otherwise: Some(Box::new(result.into_operand(self.ty))),
            },
            self.ty,
        )
    }

    /// `END` with no `ELSE`: rows matching no `WHEN` get NULL.
    pub fn end(self) -> TypedExpr<<T as ToNullable>::Nullable>
    where
        T: ToNullable,
    {
        TypedExpr::new(
            Expr::Case {
                whens: self.whens,
                otherwise: None,
            },
            self.ty,
        )
    }
}

/// `EXISTS (subquery)`.
pub fn exists<Q: Subquery>(query: Q) -> TypedExpr<bool> {
    TypedExpr::new(
        Expr::Exists {
            query: Box::new(query.into_statement()),
            negated: false,
        },
        SqlType::Bool,
    )
}

/// `NOT EXISTS (subquery)`.
pub fn not_exists<Q: Subquery>(query: Q) -> TypedExpr<bool> {
    TypedExpr::new(
        Expr::Exists {
            query: Box::new(query.into_statement()),
            negated: true,
        },
        SqlType::Bool,
    )
}

/// A window for [`crate::ExpressionExt::over`]: `window().partition_by(..).order_by(..)`.
#[derive(Debug, Clone, Default)]
pub struct Window {
    spec: WindowSpec,
}

/// An empty window (`OVER ()`): the whole result.
pub fn window() -> Window {
    Window::default()
}

impl Window {
    /// Add a `PARTITION BY` expression.
    pub fn partition_by<E: Expression>(mut self, expr: E) -> Self {
        self.spec.partition_by.push(expr.into_expr());
        self
    }

    /// Add an `ORDER BY` term.
    pub fn order_by(mut self, order: impl Into<Ordering>) -> Self {
        self.spec.order_by.push(order.into());
        self
    }

    /// `ROWS BETWEEN start AND end`.
    pub fn rows_between(mut self, start: FrameBound, end: FrameBound) -> Self {
        self.spec.frame = Some(Frame {
            rows: true,
            start,
            end,
        });
        self
    }

    /// `RANGE BETWEEN start AND end`.
    pub fn range_between(mut self, start: FrameBound, end: FrameBound) -> Self {
        self.spec.frame = Some(Frame {
            rows: false,
            start,
            end,
        });
        self
    }

    /// The window's AST.
    pub fn into_spec(self) -> WindowSpec {
        self.spec
    }
}

/// `ROW_NUMBER()`: 1, 2, 3.. within the window (use with `.over(..)`).
pub fn row_number() -> TypedExpr<i64> {
    call("ROW_NUMBER", Vec::new(), false, SqlType::BigInt)
}

/// `RANK()`: rank with gaps after ties (use with `.over(..)`).
pub fn rank() -> TypedExpr<i64> {
    call("RANK", Vec::new(), false, SqlType::BigInt)
}

/// `DENSE_RANK()`: rank without gaps (use with `.over(..)`).
pub fn dense_rank() -> TypedExpr<i64> {
    call("DENSE_RANK", Vec::new(), false, SqlType::BigInt)
}

fn offset_function<E, T>(name: &'static str, expr: E, offset: u32) -> TypedExpr<T::Nullable>
where
    E: Expression<Output = T>,
    T: ToNullable,
{
    let ty = expr.sql_type();
    call(
        name,
        vec![
            expr.into_expr(),
            Expr::Value(crate::value::Value::I32(Some(
                i32::try_from(offset).unwrap_or(i32::MAX),
            ))),
        ],
        false,
        ty,
    )
}

/// `LAG(expr, offset)`: the value `offset` rows before, NULL before the first.
pub fn lag<E, T>(expr: E, offset: u32) -> TypedExpr<T::Nullable>
where
    E: Expression<Output = T>,
    T: ToNullable,
{
    offset_function("LAG", expr, offset)
}

/// `LEAD(expr, offset)`: the value `offset` rows after, NULL after the last.
pub fn lead<E, T>(expr: E, offset: u32) -> TypedExpr<T::Nullable>
where
    E: Expression<Output = T>,
    T: ToNullable,
{
    offset_function("LEAD", expr, offset)
}
