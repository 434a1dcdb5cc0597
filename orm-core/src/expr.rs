//! Expressions: the untyped [`Expr`] tree the renderer walks, and the typed layer over it
//! ([`Column`], [`TypedExpr`], [`ExpressionExt`]) that makes type mistakes fail to compile.

use std::borrow::Cow;
use std::marker::PhantomData;

pub use crate::arith::{ArithOperand, NumericType};
pub use crate::array::{ArrayItem, ArrayType};
pub use crate::json::{Contains, JsonStep, JsonType};
pub use crate::ordering::{Nulls, Ordering, Sorted};
use crate::statement::SelectStatement;
use crate::types::{IntoOperand, NonNullField, SqlField};
use crate::value::{SqlType, Value};

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `AND`
    And,
    /// `OR`
    Or,
    /// `||` (string concatenation).
    Concat,
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl ArithOp {
    /// The SQL operator.
    pub fn sql(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

impl BinaryOp {
    /// The SQL operator.
    pub fn sql(self) -> &'static str {
        match self {
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "<>",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::And => "AND",
            BinaryOp::Or => "OR",
            BinaryOp::Concat => "||",
        }
    }
}

/// An untyped SQL expression. Values are always bound as parameters.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Expr {
    /// A column, qualified by its table.
    Column {
        /// Table name.
        table: &'static str,
        /// Column name.
        name: &'static str,
    },
    /// A bound value.
    Value(Value),
    /// `lhs op rhs`.
    Binary {
        /// Operator.
        op: BinaryOp,
        /// Left side.
        lhs: Box<Expr>,
        /// Right side.
        rhs: Box<Expr>,
    },
    /// `NOT expr`.
    Not(Box<Expr>),
    /// `expr IS [NOT] NULL`.
    IsNull {
        /// Tested expression.
        expr: Box<Expr>,
        /// `IS NOT NULL` when true.
        negated: bool,
    },
    /// `expr [NOT] LIKE pattern ESCAPE '\'` (`ILIKE` when case-insensitive; SQLite lowers
    /// both sides instead).
    Like {
        /// Tested expression.
        expr: Box<Expr>,
        /// The pattern.
        pattern: Box<Expr>,
        /// `NOT LIKE` when true.
        negated: bool,
        /// `ILIKE` when true.
        case_insensitive: bool,
    },
    /// `expr [NOT] IN (list)`; an empty list renders as a constant truth value, never `IN ()`.
    InList {
        /// Tested expression.
        expr: Box<Expr>,
        /// The candidates.
        list: Vec<Expr>,
        /// `NOT IN` when true.
        negated: bool,
    },
    /// `expr [NOT] BETWEEN low AND high`.
    Between {
        /// Tested expression.
        expr: Box<Expr>,
        /// Lower bound.
        low: Box<Expr>,
        /// Upper bound.
        high: Box<Expr>,
        /// `NOT BETWEEN` when true.
        negated: bool,
    },
    /// `COUNT(*)`.
    CountStar,
    /// A text constant of the schema written into the SQL as a quoted literal (a single-table
    /// inheritance variant's discriminator value, declared on the model): it names rows of
    /// one variant the way a table name names rows of one table, so statements whose SQL is
    /// cached stay the same. Never user data, which is always bound.
    SchemaText(&'static str),
    /// `table.column + 1`, the literal one written in the SQL (not bound): what an
    /// `#[orm(version)]` column becomes on every write, so that statements whose SQL is
    /// cached bind only the values the caller gives.
    Increment {
        /// Table name.
        table: &'static str,
        /// Column name.
        name: &'static str,
    },
    /// The current timestamp in the storage format of a column type.
    CurrentTimestamp(SqlType),
    /// A column of the row proposed for insertion, in `ON CONFLICT DO UPDATE`.
    Excluded(&'static str),
    /// `lhs op rhs` on numbers; `ty` is the operands' SQL type.
    Arith {
        /// Operator.
        op: ArithOp,
        /// Left side.
        lhs: Box<Expr>,
        /// Right side.
        rhs: Box<Expr>,
        /// SQL type of the result (for decimals, the scale PostgreSQL gives it).
        ty: SqlType,
    },
    /// `name(args)`; `name` must be a plain identifier (checked when rendering).
    Function {
        /// Function name.
        name: Cow<'static, str>,
        /// Arguments.
        args: Vec<Expr>,
        /// `name(DISTINCT args)`.
        distinct: bool,
        /// True for aggregate functions.
        aggregate: bool,
    },
    /// `CAST(expr AS type)`.
    Cast {
        /// Converted expression.
        expr: Box<Expr>,
        /// Its type before the cast.
        from: SqlType,
        /// Target type.
        ty: SqlType,
    },
    /// An expression that cannot be rendered; rendering fails with this message.
    Invalid(Cow<'static, str>),
    /// `CASE WHEN .. THEN .. [ELSE ..] END`.
    Case {
        /// `(condition, result)` pairs.
        whens: Vec<(Expr, Expr)>,
        /// `ELSE` result.
        otherwise: Option<Box<Expr>>,
    },
    /// A scalar subquery `(SELECT ..)`.
    Subquery(Box<SelectStatement>),
    /// `[NOT] EXISTS (SELECT ..)`.
    Exists {
        /// The probed query.
        query: Box<SelectStatement>,
        /// `NOT EXISTS` when true.
        negated: bool,
    },
    /// `expr [NOT] IN (SELECT ..)`.
    InSubquery {
        /// Tested expression.
        expr: Box<Expr>,
        /// The query giving the candidates.
        query: Box<SelectStatement>,
        /// `NOT IN` when true.
        negated: bool,
    },
    /// `function OVER (window)`.
    Window {
        /// The window or aggregate function.
        function: Box<Expr>,
        /// The window.
        window: Box<WindowSpec>,
    },
    /// `expr AS "name"` in a select list (names columns of CTEs and derived tables).
    Label {
        /// The expression.
        expr: Box<Expr>,
        /// Its output name.
        name: &'static str,
    },
    /// An operand of a decimal or JSON comparison or computation, with its SQL type: SQLite,
    /// storing decimals as scaled integers, needs the scale to compute exactly; PostgreSQL
    /// compares `json` as `jsonb`. Elsewhere the expression is written as it is.
    Typed {
        /// The operand.
        expr: Box<Expr>,
        /// Its SQL type.
        ty: SqlType,
    },
    /// A numeric function that each dialect writes its own way so that both give the
    /// same, exact answer (see [`NumericFunction`]).
    Numeric {
        /// The function.
        function: NumericFunction,
        /// Its argument.
        arg: Box<Expr>,
        /// The argument's SQL type.
        arg_ty: SqlType,
    },
    /// A part of a date or timestamp of type `ty`, as an integer (the epoch: a decimal).
    DatePart {
        /// The part.
        part: DatePart,
        /// The date or timestamp.
        expr: Box<Expr>,
        /// Its SQL type.
        ty: SqlType,
    },
    /// The value at a path inside a JSON document, with `jsonb`'s rules on every backend:
    /// `doc -> 'a' -> 0` on PostgreSQL (`->>` for the last step when `text`), orm's
    /// `orm_json_get` / `orm_json_text` on SQLite (see [`crate::json`]).
    JsonPath {
        /// The document (typed, so that a `json` one is read as `jsonb`).
        doc: Box<Expr>,
        /// Object keys (text) and array indexes (integers): bound values.
        steps: Vec<Expr>,
        /// The value as text (`->>`) rather than JSON.
        text: bool,
    },
    /// An array operator (see [`crate::array`]): PostgreSQL's `@>`, `&&` and `= ANY(..)`,
    /// orm's JSON functions over SQLite's stored JSON arrays.
    Array {
        /// The operator.
        op: crate::array::ArrayOp,
        /// The array.
        array: Box<Expr>,
        /// The other array, or the element for `ANY`.
        operand: Box<Expr>,
    },
    /// `doc @> value`: `jsonb` containment (orm's `orm_json_contains` on SQLite).
    JsonContains {
        /// The document (typed).
        doc: Box<Expr>,
        /// The JSON it must contain.
        value: Box<Expr>,
    },
    /// A timestamp truncated to `unit`, in the storage format of `ty`.
    DateTrunc {
        /// Truncation unit.
        unit: DateUnit,
        /// The timestamp.
        expr: Box<Expr>,
        /// Its SQL type.
        ty: SqlType,
    },
}

/// Numeric functions with one meaning on every backend: PostgreSQL's `numeric` rules for
/// decimals (exact sums, averages with PostgreSQL's scale, rounding half away from zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericFunction {
    /// `SUM` of decimals.
    Sum,
    /// `AVG` of decimals or integers: an exact decimal.
    Avg,
    /// `MIN` of decimals.
    Min,
    /// `MAX` of decimals.
    Max,
    /// `round(x, places)`, half away from zero.
    Round(i32),
    /// `ceil(x)`.
    Ceil,
    /// `floor(x)`.
    Floor,
    /// `abs(x)`.
    Abs,
}

impl NumericFunction {
    /// True for the aggregates.
    pub fn is_aggregate(self) -> bool {
        matches!(
            self,
            NumericFunction::Sum
                | NumericFunction::Avg
                | NumericFunction::Min
                | NumericFunction::Max
        )
    }
}

/// Parts of [`crate::functions::date_part`] (and [`crate::functions::epoch`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    /// The year.
    Year,
    /// The month, 1 to 12.
    Month,
    /// The day of the month, 1 to 31.
    Day,
    /// The hour, 0 to 23.
    Hour,
    /// The minute, 0 to 59.
    Minute,
    /// The day of the week, 0 (Sunday) to 6.
    DayOfWeek,
    /// Seconds since 1970-01-01 00:00:00 UTC ([`crate::functions::epoch`]).
    Epoch,
}

impl DatePart {
    /// PostgreSQL's name for the part.
    pub fn name(self) -> &'static str {
        match self {
            DatePart::Year => "YEAR",
            DatePart::Month => "MONTH",
            DatePart::Day => "DAY",
            DatePart::Hour => "HOUR",
            DatePart::Minute => "MINUTE",
            DatePart::DayOfWeek => "DOW",
            DatePart::Epoch => "EPOCH",
        }
    }
}

/// Units of [`crate::functions::date_trunc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateUnit {
    /// Start of the year.
    Year,
    /// Start of the month.
    Month,
    /// Start of the day.
    Day,
    /// Start of the hour.
    Hour,
    /// Start of the minute.
    Minute,
}

impl DateUnit {
    /// PostgreSQL's name for the unit.
    pub fn name(self) -> &'static str {
        match self {
            DateUnit::Year => "year",
            DateUnit::Month => "month",
            DateUnit::Day => "day",
            DateUnit::Hour => "hour",
            DateUnit::Minute => "minute",
        }
    }
}

/// The `OVER (..)` of a window function; build it with [`crate::functions::window`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WindowSpec {
    /// `PARTITION BY`.
    pub partition_by: Vec<Expr>,
    /// `ORDER BY`.
    pub order_by: Vec<Ordering>,
    /// `ROWS/RANGE BETWEEN ..`.
    pub frame: Option<Frame>,
}

/// A window frame: `ROWS|RANGE BETWEEN start AND end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    /// `ROWS` when true, `RANGE` otherwise.
    pub rows: bool,
    /// Start bound.
    pub start: FrameBound,
    /// End bound.
    pub end: FrameBound,
}

/// A bound of a window frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameBound {
    /// `UNBOUNDED PRECEDING`.
    UnboundedPreceding,
    /// `n PRECEDING`.
    Preceding(u32),
    /// `CURRENT ROW`.
    CurrentRow,
    /// `n FOLLOWING`.
    Following(u32),
    /// `UNBOUNDED FOLLOWING`.
    UnboundedFollowing,
}

impl Expr {
    /// Call `f` on each direct sub-expression, not descending into subqueries (which are
    /// separate statements) or window specifications.
    pub fn for_each_operand(&self, f: &mut dyn FnMut(&Expr)) {
        match self {
            Expr::Binary { lhs, rhs, .. } | Expr::Arith { lhs, rhs, .. } => {
                f(lhs);
                f(rhs);
            }
            Expr::Not(e)
            | Expr::Cast { expr: e, .. }
            | Expr::Label { expr: e, .. }
            | Expr::IsNull { expr: e, .. }
            | Expr::DateTrunc { expr: e, .. }
            | Expr::DatePart { expr: e, .. }
            | Expr::Typed { expr: e, .. }
            | Expr::Numeric { arg: e, .. }
            | Expr::InSubquery { expr: e, .. }
            | Expr::Window { function: e, .. } => f(e),
            Expr::Like { expr, pattern, .. } => {
                f(expr);
                f(pattern);
            }
            Expr::JsonPath { doc, steps, .. } => {
                f(doc);
                steps.iter().for_each(f);
            }
            Expr::JsonContains { doc, value } => {
                f(doc);
                f(value);
            }
            Expr::Array { array, operand, .. } => {
                f(array);
                f(operand);
            }
            Expr::InList { expr, list, .. } => {
                f(expr);
                list.iter().for_each(f);
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                f(expr);
                f(low);
                f(high);
            }
            Expr::Function { args, .. } => args.iter().for_each(f),
            Expr::Case { whens, otherwise } => {
                for (condition, result) in whens {
                    f(condition);
                    f(result);
                }
                if let Some(otherwise) = otherwise {
                    f(otherwise);
                }
            }
            _ => {}
        }
    }

    /// True when `pred` holds for a direct sub-expression.
    pub fn any_operand(&self, pred: impl Fn(&Expr) -> bool) -> bool {
        let mut found = false;
        self.for_each_operand(&mut |e| found = found || pred(e));
        found
    }

    /// True when the expression is an aggregate call (outside a window) or contains one.
    pub fn has_aggregate(&self) -> bool {
        match self {
            Expr::CountStar
            | Expr::Function {
                aggregate: true, ..
            } => true,
            Expr::Numeric { function, .. } if function.is_aggregate() => true,
            Expr::Window { .. } => false,
            other => other.any_operand(Expr::has_aggregate),
        }
    }

    /// True when the expression is a condition whose operator binds more loosely than a
    /// comparison (so it needs parentheses as an operand of `=`, `<`, `||`, ..).
    pub fn is_predicate(&self) -> bool {
        matches!(
            self,
            Expr::Binary { .. }
                | Expr::Like { .. }
                | Expr::InList { .. }
                | Expr::Between { .. }
                | Expr::IsNull { .. }
                | Expr::InSubquery { .. }
                | Expr::JsonContains { .. }
                | Expr::Array { .. }
                | Expr::Not(_)
        )
    }

    /// True when a bound value occurs in the expression (outside subqueries).
    pub fn has_value(&self) -> bool {
        self.value_count() > 0
    }

    /// How many bound values the expression holds (outside subqueries).
    pub fn value_count(&self) -> usize {
        match self {
            Expr::Value(_) => 1,
            other => {
                let mut count = 0;
                other.for_each_operand(&mut |e| count += e.value_count());
                count
            }
        }
    }

    /// The expression without a top-level label.
    pub fn unlabeled(&self) -> &Expr {
        match self {
            Expr::Label { expr, .. } => expr,
            other => other,
        }
    }

    /// True for the expressions that order their operands: `<`, `<=`, `>`, `>=`, `BETWEEN`,
    /// and `MIN`, `MAX`, `GREATEST`, `LEAST`.
    pub fn orders_operands(&self) -> bool {
        match self {
            Expr::Binary { op, .. } => {
                matches!(
                    op,
                    BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
                )
            }
            Expr::Between { .. } => true,
            Expr::Function { name, .. } => {
                matches!(&**name, "MIN" | "MAX" | "GREATEST" | "LEAST")
            }
            _ => false,
        }
    }

    /// The expression without a top-level [`Expr::Typed`] annotation.
    pub fn untyped(&self) -> &Expr {
        match self {
            Expr::Typed { expr, .. } => expr,
            other => other,
        }
    }

    /// `expr` as an operand of type `ty`: decimal operands carry their type (see
    /// [`Expr::Typed`]), and so do JSON ones (PostgreSQL compares `jsonb` only) and arrays
    /// (whose order SQLite, storing them as text, cannot give), and native enums (ordered as
    /// text); others are unchanged.
    pub fn typed(expr: Expr, ty: SqlType) -> Expr {
        if matches!(&expr, Expr::Typed { ty: own, .. } if *own == ty) {
            return expr;
        }
        match ty {
            SqlType::Numeric { .. }
            | SqlType::Json
            | SqlType::Jsonb
            | SqlType::Array(_)
            | SqlType::Enum(_) => Expr::Typed {
                expr: Box::new(expr),
                ty,
            },
            _ => expr,
        }
    }

    /// `table.name`, typed when it is a native enum (whose values a statement returns as
    /// text, see [`SqlType::Enum`]).
    pub fn column_of(table: &'static str, name: &'static str, ty: SqlType) -> Expr {
        Expr::of_type(Expr::Column { table, name }, ty)
    }

    /// `expr` of type `ty`, typed when that is a native enum (a bound value needs no type:
    /// its label knows its enum).
    pub fn of_type(expr: Expr, ty: SqlType) -> Expr {
        match (ty, &expr) {
            (SqlType::Enum(_), Expr::Value(_) | Expr::Typed { .. }) => expr,
            (SqlType::Enum(_), _) => Expr::Typed {
                expr: Box::new(expr),
                ty,
            },
            _ => expr,
        }
    }

    /// `lhs op rhs`.
    pub fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
        Expr::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        }
    }
}

/// Something that renders as an SQL expression of Rust type `Output`.
pub trait Expression: Sized {
    /// The Rust type the expression evaluates to.
    type Output;
    /// The expression tree.
    fn into_expr(self) -> Expr;
    /// The SQL type of the expression (used to conform bound values and to decode).
    fn sql_type(&self) -> SqlType;
}

/// A typed column handle: `User::email` is a `Column<User, String>`.
pub struct Column<M, T> {
    table: &'static str,
    name: &'static str,
    ty: SqlType,
    _marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Column<M, T> {
    /// A handle for column `name` of `table` with SQL type `ty` (used by the derive).
    pub const fn new(table: &'static str, name: &'static str, ty: SqlType) -> Self {
        Column {
            table,
            name,
            ty,
            _marker: PhantomData,
        }
    }

    /// The column name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The table name.
    pub const fn table(&self) -> &'static str {
        self.table
    }
}

impl<M, T> Clone for Column<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, T> Copy for Column<M, T> {}

impl<M, T> std::fmt::Debug for Column<M, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.table, self.name)
    }
}

impl<M, T> Expression for Column<M, T> {
    type Output = T;
    fn into_expr(self) -> Expr {
        Expr::column_of(self.table, self.name, self.ty)
    }
    fn sql_type(&self) -> SqlType {
        self.ty
    }
}

/// An expression with a known Rust type; conditions are `TypedExpr<bool>`.
pub struct TypedExpr<T> {
    expr: Expr,
    ty: SqlType,
    _marker: PhantomData<fn() -> T>,
}

impl<T> TypedExpr<T> {
    /// Wrap an untyped expression, asserting its type (used by the derive and by functions).
    pub fn new(expr: Expr, ty: SqlType) -> Self {
        TypedExpr {
            expr: Expr::of_type(expr, ty),
            ty,
            _marker: PhantomData,
        }
    }

    /// The expression tree.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Its type as an operand next to a `ty` expression: a bound value takes that type.
    fn operand_type_or(&self, ty: SqlType) -> SqlType {
        match self.expr {
            Expr::Value(_) => ty,
            _ => self.ty,
        }
    }

    /// The tree as an operand of a `ty` column: a bound value takes the column's type.
    fn conformed(self, ty: SqlType) -> Expr {
        match self.expr {
            Expr::Value(value) => Expr::Value(value.conform(ty)),
            expr => expr,
        }
    }
}

impl<T> Clone for TypedExpr<T> {
    fn clone(&self) -> Self {
        TypedExpr::new(self.expr.clone(), self.ty)
    }
}

impl<T> std::fmt::Debug for TypedExpr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.fmt(f)
    }
}

impl<T> Expression for TypedExpr<T> {
    type Output = T;
    fn into_expr(self) -> Expr {
        self.expr
    }
    fn sql_type(&self) -> SqlType {
        self.ty
    }
}

#[diagnostic::do_not_recommend]
impl<M, T> IntoOperand<T> for Column<M, T> {
    fn into_operand(self, _ty: SqlType) -> Expr {
        self.into_expr()
    }
    fn operand_type(&self, _ty: SqlType) -> SqlType {
        self.ty
    }
}

#[diagnostic::do_not_recommend]
impl<M, T> IntoOperand<Option<T>> for Column<M, T> {
    fn into_operand(self, _ty: SqlType) -> Expr {
        self.into_expr()
    }
    fn operand_type(&self, _ty: SqlType) -> SqlType {
        self.ty
    }
}

#[diagnostic::do_not_recommend]
impl<T> IntoOperand<T> for TypedExpr<T> {
    fn into_operand(self, ty: SqlType) -> Expr {
        self.conformed(ty)
    }
    fn operand_type(&self, ty: SqlType) -> SqlType {
        self.operand_type_or(ty)
    }
}

#[diagnostic::do_not_recommend]
impl<T: NonNullField> IntoOperand<Option<T>> for TypedExpr<T> {
    fn into_operand(self, ty: SqlType) -> Expr {
        self.conformed(ty)
    }
    fn operand_type(&self, ty: SqlType) -> SqlType {
        self.operand_type_or(ty)
    }
}

/// A condition: a boolean expression usable in `filter`.
pub type Condition = TypedExpr<bool>;

fn condition(expr: Expr) -> Condition {
    TypedExpr::new(expr, SqlType::Bool)
}

/// Marker for text types, which `like` accepts.
#[diagnostic::on_unimplemented(
    message = "`like` needs a text column, not `{Self}`",
    label = "not a String column"
)]
pub trait TextType {}
#[diagnostic::do_not_recommend]
impl TextType for String {}
#[diagnostic::do_not_recommend]
impl TextType for Option<String> {}

/// Marker for `Option<T>` types, which `is_null` accepts.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not nullable, so `is_null` would always be false",
    label = "this column is never NULL",
    note = "for a column of a left-joined table (NULL where nothing joined), test `.nullable().is_null()`",
    note = "to store NULL in it, declare the field as `Option<T>`"
)]
pub trait Nullable {}
#[diagnostic::do_not_recommend]
impl<T> Nullable for Option<T> {}

/// Comparisons, pattern matching and ordering on any typed expression.
///
/// The right-hand side must be a value or expression of the same type ([`IntoOperand`]), so
/// `User::id.eq("x")` does not compile.
pub trait ExpressionExt: Expression {
    /// `self = rhs`.
    fn eq<R: IntoOperand<Self::Output>>(self, rhs: R) -> Condition {
        compare(self, BinaryOp::Eq, rhs)
    }
    /// `self <> rhs`.
    fn ne<R: IntoOperand<Self::Output>>(self, rhs: R) -> Condition {
        compare(self, BinaryOp::Ne, rhs)
    }
    /// `self < rhs`.
    fn lt<R: IntoOperand<Self::Output>>(self, rhs: R) -> Condition {
        compare(self, BinaryOp::Lt, rhs)
    }
    /// `self <= rhs`.
    fn le<R: IntoOperand<Self::Output>>(self, rhs: R) -> Condition {
        compare(self, BinaryOp::Le, rhs)
    }
    /// `self > rhs`.
    fn gt<R: IntoOperand<Self::Output>>(self, rhs: R) -> Condition {
        compare(self, BinaryOp::Gt, rhs)
    }
    /// `self >= rhs`.
    fn ge<R: IntoOperand<Self::Output>>(self, rhs: R) -> Condition {
        compare(self, BinaryOp::Ge, rhs)
    }
    /// `self LIKE pattern` (case-sensitive on both backends; `\` escapes `%` and `_`).
    fn like<R: IntoOperand<String>>(self, pattern: R) -> Condition
    where
        Self::Output: TextType,
    {
        like(self, pattern, false)
    }
    /// `self NOT LIKE pattern`.
    fn not_like<R: IntoOperand<String>>(self, pattern: R) -> Condition
    where
        Self::Output: TextType,
    {
        like(self, pattern, true)
    }
    /// Case-insensitive `LIKE`: `ILIKE` on PostgreSQL, both sides lower-cased (all of Unicode,
    /// with orm's own function) on SQLite.
    fn ilike<R: IntoOperand<String>>(self, pattern: R) -> Condition
    where
        Self::Output: TextType,
    {
        let ty = self.sql_type();
        condition(Expr::Like {
            expr: Box::new(self.into_expr()),
            pattern: Box::new(pattern.into_operand(ty)),
            negated: false,
            case_insensitive: true,
        })
    }
    /// True when the text contains `term` literally (`%` and `_` in it are escaped); on a
    /// JSON column, when the document contains the JSON `term` as `jsonb`'s `@>` says
    /// (`Post::meta.contains(json!({"tags": ["rust"]}))`), on every backend.
    fn contains<R>(self, term: R) -> Condition
    where
        Self::Output: Contains<R>,
    {
        let ty = self.sql_type();
        <Self::Output as Contains<R>>::contains(self.into_expr(), ty, term)
    }
    /// True when the array shares an element with `items` (PostgreSQL's `&&`), on every
    /// backend.
    fn overlaps(self, items: Vec<<Self::Output as ArrayType>::Item>) -> Condition
    where
        Self::Output: ArrayType,
    {
        crate::array::overlaps(self.into_expr(), &items)
    }
    /// True when the array holds `item` (`item = ANY(array)`), on every backend.
    fn any(self, item: impl Into<<Self::Output as ArrayType>::Item>) -> Condition
    where
        Self::Output: ArrayType,
    {
        crate::array::any(self.into_expr(), &item.into())
    }
    /// The value under `step` of a JSON document: an object's key (`"name"`) or an array's
    /// index (`0`; negative counts from the end); JSON, or NULL where there is none. Steps
    /// chain: `Post::meta.get("author").get("name").as_text().eq("ann")`.
    fn get<K: JsonStep>(self, step: K) -> TypedExpr<Option<serde_json::Value>>
    where
        Self::Output: JsonType,
    {
        let ty = self.sql_type();
        crate::json::get(self.into_expr(), ty, step.into_step())
    }
    /// A JSON value as text (PostgreSQL's `->>`): a string without its quotes, a number or
    /// boolean as `jsonb` writes it, NULL for JSON `null` or no value, an object or array as
    /// its `jsonb` text. The same text on every backend.
    // Named as SQLAlchemy's `as_string()` and the `->>` it writes; builders are consumed.
    #[allow(clippy::wrong_self_convention)]
    fn as_text(self) -> TypedExpr<Option<String>>
    where
        Self::Output: JsonType,
    {
        let ty = self.sql_type();
        crate::json::as_text(self.into_expr(), ty)
    }
    /// True when the text starts with `term` literally.
    fn starts_with(self, term: &str) -> Condition
    where
        Self::Output: TextType,
    {
        like(self, format!("{}%", escape_like(term)), false)
    }
    /// True when the text ends with `term` literally.
    fn ends_with(self, term: &str) -> Condition
    where
        Self::Output: TextType,
    {
        like(self, format!("%{}", escape_like(term)), false)
    }
    /// `self || rhs`: string concatenation.
    fn concat<R: IntoOperand<String>>(self, rhs: R) -> TypedExpr<Self::Output>
    where
        Self::Output: TextType,
    {
        let ty = self.sql_type();
        TypedExpr::new(
            Expr::binary(BinaryOp::Concat, self.into_expr(), rhs.into_operand(ty)),
            ty,
        )
    }
    /// `self IN (SELECT ..)`: the subquery must select one expression of the same type.
    fn in_subquery<Q: SubqueryOf<Self::Output>>(self, query: Q) -> Condition {
        in_subquery(self, query.into_statement(), false)
    }
    /// `self NOT IN (SELECT ..)`.
    fn not_in_subquery<Q: SubqueryOf<Self::Output>>(self, query: Q) -> Condition {
        in_subquery(self, query.into_statement(), true)
    }
    /// Read this expression as `Option<T>`: for columns of the nullable side of an outer join.
    fn nullable(self) -> TypedExpr<<Self::Output as ToNullable>::Nullable>
    where
        Self::Output: ToNullable,
    {
        let ty = self.sql_type();
        TypedExpr::new(self.into_expr(), ty)
    }
    /// Name the expression in the select list (`expr AS "name"`), so a CTE or derived table
    /// built on the query can refer to it.
    fn label(self, name: &'static str) -> TypedExpr<Self::Output> {
        let ty = self.sql_type();
        TypedExpr::new(
            Expr::Label {
                expr: Box::new(self.into_expr()),
                name,
            },
            ty,
        )
    }
    /// `CAST(self AS <type of U>)`.
    fn cast<U: SqlField>(self) -> TypedExpr<U> {
        let from = self.sql_type();
        // A decimal cast to `Decimal` keeps its scale, as PostgreSQL's `CAST(x AS NUMERIC)`.
        let ty = match (from, U::SQL_TYPE) {
            (SqlType::Numeric { .. }, SqlType::Numeric { precision: 0, .. }) => from,
            (_, ty) => ty,
        };
        TypedExpr::new(
            Expr::Cast {
                expr: Box::new(self.into_expr()),
                from,
                ty,
            },
            ty,
        )
    }
    /// This aggregate or window function computed over a window:
    /// `sum(Post::price).over(window().partition_by(Post::user_id))`.
    fn over(self, window: crate::functions::Window) -> TypedExpr<Self::Output> {
        let ty = self.sql_type();
        let window = Box::new(window.into_spec());
        let expr = match self.into_expr() {
            // `sum` and `avg` cast their result: the window goes inside the cast.
            Expr::Cast { expr, from, ty } => Expr::Cast {
                expr: Box::new(Expr::Window {
                    function: expr,
                    window,
                }),
                from,
                ty,
            },
            function => Expr::Window {
                function: Box::new(function),
                window,
            },
        };
        TypedExpr::new(expr, ty)
    }
    /// `self IN (..)`; an empty list matches nothing (no `IN ()` is sent).
    fn in_list<I, R>(self, values: I) -> Condition
    where
        I: IntoIterator<Item = R>,
        R: IntoOperand<Self::Output>,
    {
        in_list(self, values, false)
    }
    /// `self NOT IN (..)`; an empty list matches everything.
    fn not_in<I, R>(self, values: I) -> Condition
    where
        I: IntoIterator<Item = R>,
        R: IntoOperand<Self::Output>,
    {
        in_list(self, values, true)
    }
    /// `self BETWEEN low AND high` (both inclusive).
    fn between<L, H>(self, low: L, high: H) -> Condition
    where
        L: IntoOperand<Self::Output>,
        H: IntoOperand<Self::Output>,
    {
        let ty = self.sql_type();
        let (low_ty, high_ty) = (low.operand_type(ty), high.operand_type(ty));
        condition(Expr::Between {
            expr: Box::new(Expr::typed(self.into_expr(), ty)),
            low: Box::new(Expr::typed(low.into_operand(ty), low_ty)),
            high: Box::new(Expr::typed(high.into_operand(ty), high_ty)),
            negated: false,
        })
    }
    /// `self IS NULL`.
    #[allow(clippy::wrong_self_convention)]
    fn is_null(self) -> Condition
    where
        Self::Output: Nullable,
    {
        condition(Expr::IsNull {
            expr: Box::new(self.into_expr()),
            negated: false,
        })
    }
    /// `self IS NOT NULL`.
    #[allow(clippy::wrong_self_convention)]
    fn is_not_null(self) -> Condition
    where
        Self::Output: Nullable,
    {
        condition(Expr::IsNull {
            expr: Box::new(self.into_expr()),
            negated: true,
        })
    }
    /// `self AND other`, for any boolean expression (a condition or a bool column).
    fn and(self, other: impl Expression<Output = bool>) -> Condition
    where
        Self: Expression<Output = bool>,
    {
        condition(Expr::binary(
            BinaryOp::And,
            self.into_expr(),
            other.into_expr(),
        ))
    }
    /// `self OR other`.
    fn or(self, other: impl Expression<Output = bool>) -> Condition
    where
        Self: Expression<Output = bool>,
    {
        condition(Expr::binary(
            BinaryOp::Or,
            self.into_expr(),
            other.into_expr(),
        ))
    }
    /// `NOT self`.
    fn not(self) -> Condition
    where
        Self: Expression<Output = bool>,
    {
        condition(Expr::Not(Box::new(self.into_expr())))
    }
    /// Ascending order on this expression; NULLs sort last (as on PostgreSQL, on every
    /// backend) unless [`Sorted::nulls_first`] says otherwise.
    fn asc(self) -> Sorted<Self::Output>
    where
        Self::Output: SqlField,
    {
        let ty = self.sql_type();
        Sorted::new(self.into_expr(), false, ty, Self::Output::NULLABLE)
    }
    /// Descending order on this expression; NULLs sort first (as on PostgreSQL, on every
    /// backend) unless [`Sorted::nulls_last`] says otherwise.
    fn desc(self) -> Sorted<Self::Output>
    where
        Self::Output: SqlField,
    {
        let ty = self.sql_type();
        Sorted::new(self.into_expr(), true, ty, Self::Output::NULLABLE)
    }
}

impl<E: Expression> ExpressionExt for E {}

fn compare<E: Expression, R: IntoOperand<E::Output>>(lhs: E, op: BinaryOp, rhs: R) -> Condition {
    let ty = lhs.sql_type();
    let rhs_ty = rhs.operand_type(ty);
    let lhs = lhs.into_expr();
    match (op, rhs.into_operand(ty)) {
        // `= NULL` is never true: comparing with None means IS [NOT] NULL, as in SQLAlchemy.
        (BinaryOp::Eq | BinaryOp::Ne, Expr::Value(value)) if value.is_null() => {
            condition(Expr::IsNull {
                expr: Box::new(lhs),
                negated: op == BinaryOp::Ne,
            })
        }
        (op, rhs) => condition(Expr::binary(
            op,
            Expr::typed(lhs, ty),
            Expr::typed(rhs, rhs_ty),
        )),
    }
}

fn like<E: Expression, R: IntoOperand<String>>(lhs: E, pattern: R, negated: bool) -> Condition {
    let ty = lhs.sql_type();
    like_expr(lhs.into_expr(), pattern.into_operand(ty), negated)
}

/// `expr [NOT] LIKE pattern`, case-sensitive.
pub(crate) fn like_expr(expr: Expr, pattern: Expr, negated: bool) -> Condition {
    condition(Expr::Like {
        expr: Box::new(expr),
        pattern: Box::new(pattern),
        negated,
        case_insensitive: false,
    })
}

fn in_subquery<E: Expression>(lhs: E, query: SelectStatement, negated: bool) -> Condition {
    condition(Expr::InSubquery {
        expr: Box::new(lhs.into_expr()),
        query: Box::new(query),
        negated,
    })
}

/// Escape `\`, `%` and `_` in user input so that it matches literally inside a `LIKE`
/// pattern (orm renders every `LIKE` with `ESCAPE '\'`).
///
/// ```
/// assert_eq!(orm_core::expr::escape_like("50%_off"), "50\\%\\_off");
/// ```
pub fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    for ch in term.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A query usable as a subquery: a select of one expression whose rows are `Output`.
pub trait Subquery {
    /// The type of the selected expression.
    type Output;
    /// The query's AST.
    fn into_statement(self) -> SelectStatement;
}

/// A subquery whose one selected expression compares with `T`.
pub trait SubqueryOf<T>: Subquery {}
impl<T, Q: Subquery> SubqueryOf<T> for Q where Q::Output: Comparable<T> {}

/// Types that compare with `T` in SQL: `T` itself and its nullable / non-null forms.
#[diagnostic::on_unimplemented(
    message = "a subquery selecting `{Self}` cannot be compared with a `{T}` expression",
    label = "the subquery must select a `{T}`"
)]
pub trait Comparable<T> {}
#[diagnostic::do_not_recommend]
impl<T> Comparable<T> for T {}
#[diagnostic::do_not_recommend]
impl<T: NonNullField> Comparable<Option<T>> for T {}
#[diagnostic::do_not_recommend]
impl<T: NonNullField> Comparable<T> for Option<T> {}

/// The nullable form of a type: `T` becomes `Option<T>`, `Option<T>` stays.
pub trait ToNullable {
    /// `Option<T>`.
    type Nullable: SqlField;
}
impl<T: NonNullField> ToNullable for T {
    type Nullable = Option<T>;
}
impl<T: NonNullField> ToNullable for Option<T> {
    type Nullable = Option<T>;
}

fn in_list<E, I, R>(lhs: E, values: I, negated: bool) -> Condition
where
    E: Expression,
    I: IntoIterator<Item = R>,
    R: IntoOperand<E::Output>,
{
    let ty = lhs.sql_type();
    condition(Expr::InList {
        expr: Box::new(Expr::typed(lhs.into_expr(), ty)),
        list: values.into_iter().map(|v| v.into_operand(ty)).collect(),
        negated,
    })
}

/// `NOT condition` as a free function.
pub fn not(condition: impl Expression<Output = bool>) -> Condition {
    TypedExpr::new(Expr::Not(Box::new(condition.into_expr())), SqlType::Bool)
}

/// The value of column `column` in the row proposed for insertion (`EXCLUDED."column"`), for
/// `on_conflict(..).do_update(..)`.
pub fn excluded<M, T>(column: Column<M, T>) -> TypedExpr<T> {
    TypedExpr::new(Expr::Excluded(column.name), column.ty)
}

/// A value as a typed expression (bound as a parameter).
pub fn value<T: SqlField>(value: T) -> TypedExpr<T> {
    TypedExpr::new(Expr::Value(value.to_value()), T::SQL_TYPE)
}
