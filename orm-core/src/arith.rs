//! Arithmetic on numeric expressions: `+ - * /` on columns and typed expressions
//! (`Account::balance - amount`).

use crate::expr::{ArithOp, Column, Expr, Expression, TypedExpr};
use crate::types::IntoOperand;
use crate::value::{DecimalScale, SqlType, Value};

/// Numeric types, which take `+ - * /`.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs a numeric expression, not `{Self}`",
    label = "not a number"
)]
pub trait NumericType {}
macro_rules! numeric_types {
    ($($ty:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl NumericType for $ty {}
        #[diagnostic::do_not_recommend]
        impl NumericType for Option<$ty> {}
    )*};
}
numeric_types!(i16, i32, i64, f32, f64, rust_decimal::Decimal);

/// The scale PostgreSQL gives a decimal operand: a column's or expression's declared scale,
/// a literal's own.
fn operand_scale(expr: &Expr, ty: SqlType) -> Option<DecimalScale> {
    match expr {
        Expr::Value(Value::Decimal(Some(d), _)) => Some(DecimalScale::Fixed(
            u8::try_from(d.scale()).unwrap_or(u8::MAX),
        )),
        _ => ty.decimal_scale(),
    }
}

/// The type of `lhs op rhs`: PostgreSQL's `numeric` rules for decimals (a sum or difference
/// at the larger scale, a product at the sum of the scales, a quotient at the scale picked
/// from the values), the operands' type otherwise.
fn result_type(op: ArithOp, lhs: &Expr, lhs_ty: SqlType, rhs: &Expr, rhs_ty: SqlType) -> SqlType {
    let (Some(l), Some(r)) = (operand_scale(lhs, lhs_ty), operand_scale(rhs, rhs_ty)) else {
        return lhs_ty;
    };
    match (op, l, r) {
        (ArithOp::Div, ..) | (_, DecimalScale::Exact, _) | (_, _, DecimalScale::Exact) => {
            SqlType::EXACT_DECIMAL
        }
        (ArithOp::Add | ArithOp::Sub, DecimalScale::Fixed(l), DecimalScale::Fixed(r)) => {
            SqlType::computed_decimal(l.max(r))
        }
        (ArithOp::Mul, DecimalScale::Fixed(l), DecimalScale::Fixed(r)) => {
            match l.checked_add(r).filter(|s| *s <= 28) {
                Some(scale) => SqlType::computed_decimal(scale),
                None => SqlType::EXACT_DECIMAL,
            }
        }
    }
}

fn arith<T>(op: ArithOp, lhs: Expr, lhs_ty: SqlType, rhs: Expr, rhs_ty: SqlType) -> TypedExpr<T> {
    let ty = result_type(op, &lhs, lhs_ty, &rhs, rhs_ty);
    TypedExpr::new(
        Expr::Arith {
            op,
            lhs: Box::new(Expr::typed(lhs, lhs_ty)),
            rhs: Box::new(Expr::typed(rhs, rhs_ty)),
            ty,
        },
        ty,
    )
}

/// The right side of `+ - * /` on a `T` expression: a value or expression of type `T`.
#[diagnostic::on_unimplemented(
    message = "a `{T}` expression cannot be added to, subtracted from, multiplied or divided by `{Self}`",
    label = "expected a `{T}` value or expression here",
    note = "both sides of arithmetic have one type: convert this side with `.cast::<{T}>()` (or a Rust conversion of the value)"
)]
pub trait ArithOperand<T>: IntoOperand<T> {}

#[diagnostic::do_not_recommend]
impl<T, R: IntoOperand<T>> ArithOperand<T> for R {}

macro_rules! arith_ops {
    ($($trait:ident $method:ident $op:ident),*) => {$(
        impl<M, T: NumericType, R: ArithOperand<T>> std::ops::$trait<R> for Column<M, T> {
            type Output = TypedExpr<T>;
            fn $method(self, rhs: R) -> TypedExpr<T> {
                let ty = self.sql_type();
                let rhs_ty = rhs.operand_type(ty);
                arith(ArithOp::$op, self.into_expr(), ty, rhs.into_operand(ty), rhs_ty)
            }
        }
        impl<T: NumericType, R: ArithOperand<T>> std::ops::$trait<R> for TypedExpr<T> {
            type Output = TypedExpr<T>;
            fn $method(self, rhs: R) -> TypedExpr<T> {
                let ty = self.sql_type();
                let rhs_ty = rhs.operand_type(ty);
                arith(ArithOp::$op, self.into_expr(), ty, rhs.into_operand(ty), rhs_ty)
            }
        }
    )*};
}
arith_ops!(Add add Add, Sub sub Sub, Mul mul Mul, Div div Div);
