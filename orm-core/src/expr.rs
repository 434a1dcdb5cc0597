//! Expressions: the untyped [`Expr`] tree the renderer walks, and the typed layer over it
//! ([`Column`], [`TypedExpr`], [`ExpressionExt`]) that makes type mistakes fail to compile.

use std::marker::PhantomData;

use crate::types::{IntoOperand, SqlField};
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
    /// `expr [NOT] LIKE pattern ESCAPE '\'`.
    Like {
        /// Tested expression.
        expr: Box<Expr>,
        /// The pattern.
        pattern: Box<Expr>,
        /// `NOT LIKE` when true.
        negated: bool,
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
    /// The current timestamp in the storage format of a column type.
    CurrentTimestamp(SqlType),
}

impl Expr {
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
        Expr::Column {
            table: self.table,
            name: self.name,
        }
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
            expr,
            ty,
            _marker: PhantomData,
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
}

#[diagnostic::do_not_recommend]
impl<M, T> IntoOperand<Option<T>> for Column<M, T> {
    fn into_operand(self, _ty: SqlType) -> Expr {
        self.into_expr()
    }
}

#[diagnostic::do_not_recommend]
impl<T> IntoOperand<T> for TypedExpr<T> {
    fn into_operand(self, ty: SqlType) -> Expr {
        match self.expr {
            Expr::Value(value) => Expr::Value(value.conform(ty)),
            expr => expr,
        }
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
    label = "declare the field as Option<T> to store NULL"
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
        condition(Expr::Between {
            expr: Box::new(self.into_expr()),
            low: Box::new(low.into_operand(ty)),
            high: Box::new(high.into_operand(ty)),
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
    /// Ascending order on this expression.
    fn asc(self) -> Ordering {
        Ordering {
            expr: self.into_expr(),
            descending: false,
        }
    }
    /// Descending order on this expression.
    fn desc(self) -> Ordering {
        Ordering {
            expr: self.into_expr(),
            descending: true,
        }
    }
}

impl<E: Expression> ExpressionExt for E {}

fn compare<E: Expression, R: IntoOperand<E::Output>>(lhs: E, op: BinaryOp, rhs: R) -> Condition {
    let ty = lhs.sql_type();
    let lhs = lhs.into_expr();
    match (op, rhs.into_operand(ty)) {
        // `= NULL` is never true: comparing with None means IS [NOT] NULL, as in SQLAlchemy.
        (BinaryOp::Eq | BinaryOp::Ne, Expr::Value(value)) if value.is_null() => {
            condition(Expr::IsNull {
                expr: Box::new(lhs),
                negated: op == BinaryOp::Ne,
            })
        }
        (op, rhs) => condition(Expr::binary(op, lhs, rhs)),
    }
}

fn like<E: Expression, R: IntoOperand<String>>(lhs: E, pattern: R, negated: bool) -> Condition {
    let ty = lhs.sql_type();
    condition(Expr::Like {
        expr: Box::new(lhs.into_expr()),
        pattern: Box::new(pattern.into_operand(ty)),
        negated,
    })
}

fn in_list<E, I, R>(lhs: E, values: I, negated: bool) -> Condition
where
    E: Expression,
    I: IntoIterator<Item = R>,
    R: IntoOperand<E::Output>,
{
    let ty = lhs.sql_type();
    condition(Expr::InList {
        expr: Box::new(lhs.into_expr()),
        list: values.into_iter().map(|v| v.into_operand(ty)).collect(),
        negated,
    })
}

impl Condition {
    /// `self AND other`.
    pub fn and(self, other: impl Expression<Output = bool>) -> Condition {
        condition(Expr::binary(BinaryOp::And, self.expr, other.into_expr()))
    }
    /// `self OR other`.
    pub fn or(self, other: impl Expression<Output = bool>) -> Condition {
        condition(Expr::binary(BinaryOp::Or, self.expr, other.into_expr()))
    }
    /// `NOT self`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Condition {
        condition(Expr::Not(Box::new(self.expr)))
    }
}

/// `NOT condition` as a free function.
pub fn not(condition: impl Expression<Output = bool>) -> Condition {
    TypedExpr::new(Expr::Not(Box::new(condition.into_expr())), SqlType::Bool)
}

/// `COUNT(*)`, an `i64`.
pub fn count_star() -> TypedExpr<i64> {
    TypedExpr::new(Expr::CountStar, SqlType::BigInt)
}

/// A value as a typed expression (bound as a parameter).
pub fn value<T: SqlField>(value: T) -> TypedExpr<T> {
    TypedExpr::new(Expr::Value(value.to_value()), T::SQL_TYPE)
}

/// One `ORDER BY` term.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordering {
    /// The ordered expression.
    pub expr: Expr,
    /// `DESC` when true.
    pub descending: bool,
}

impl<M, T> From<Column<M, T>> for Ordering {
    fn from(column: Column<M, T>) -> Self {
        column.asc()
    }
}
