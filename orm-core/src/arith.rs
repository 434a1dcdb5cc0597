//! Arithmetic on numeric expressions: `+ - * /` on columns and typed expressions
//! (`Account::balance - amount`).

use crate::expr::{ArithOp, Column, Expr, Expression, TypedExpr};
use crate::types::IntoOperand;
use crate::value::SqlType;

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

fn arith<T>(op: ArithOp, lhs: Expr, ty: SqlType, rhs: Expr) -> TypedExpr<T> {
    TypedExpr::new(
        Expr::Arith {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
            ty,
        },
        ty,
    )
}

macro_rules! arith_ops {
    ($($trait:ident $method:ident $op:ident),*) => {$(
        impl<M, T: NumericType, R: IntoOperand<T>> std::ops::$trait<R> for Column<M, T> {
            type Output = TypedExpr<T>;
            fn $method(self, rhs: R) -> TypedExpr<T> {
                let ty = self.sql_type();
                arith(ArithOp::$op, self.into_expr(), ty, rhs.into_operand(ty))
            }
        }
        impl<T: NumericType, R: IntoOperand<T>> std::ops::$trait<R> for TypedExpr<T> {
            type Output = TypedExpr<T>;
            fn $method(self, rhs: R) -> TypedExpr<T> {
                let ty = self.sql_type();
                arith(ArithOp::$op, self.into_expr(), ty, rhs.into_operand(ty))
            }
        }
    )*};
}
arith_ops!(Add add Add, Sub sub Sub, Mul mul Mul, Div div Div);
