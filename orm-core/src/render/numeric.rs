//! Numbers with one meaning on every backend. PostgreSQL computes decimals natively; SQLite
//! stores a `NUMERIC(p, s)` as the integer `value * 10^s`, so where a decimal expression
//! mixes scales, multiplies, divides, averages or rounds, the renderer writes calls to the
//! exact functions orm registers on every SQLite connection (`orm_dec_*`, see
//! `orm-sqlite/src/functions.rs`), each decimal argument followed by its scale (`255` for a
//! decimal carried as exact text). Comparisons with literals stay native (and use indexes):
//! the literal is converted exactly to the column's scale, rounding toward the side that
//! keeps the comparison's meaning.

use rust_decimal::Decimal;

use super::SqlWriter;
use crate::expr::{ArithOp, BinaryOp, Expr, NumericFunction};
use crate::value::{DecimalScale, SqlType, Value};

/// The scale argument that marks a decimal carried as exact text (`orm_sqlite::EXACT`).
const EXACT: &str = "255";

/// An operand and its type, when it carries one ([`Expr::Typed`]).
fn split(operand: &Expr) -> (&Expr, Option<SqlType>) {
    match operand {
        Expr::Typed { expr, ty } => (expr, Some(*ty)),
        other => (other, None),
    }
}

fn scale_of(ty: Option<SqlType>) -> Option<DecimalScale> {
    ty.and_then(SqlType::decimal_scale)
}

/// The scale argument of a decimal operand of type `ty` (integers are decimals of scale 0).
fn scale_argument(ty: Option<SqlType>) -> String {
    match scale_of(ty) {
        Some(DecimalScale::Fixed(scale)) => scale.to_string(),
        Some(DecimalScale::Exact) => EXACT.to_owned(),
        None => "0".to_owned(),
    }
}

/// Where a decimal literal falls at scale `scale`: the integers just below and above
/// `literal * 10^scale` (equal when it is exact), clamped to 64 bits.
struct Bounds {
    floor: i64,
    ceil: i64,
    exact: bool,
}

fn bounds(literal: Decimal, scale: u8) -> Bounds {
    let mantissa = literal.mantissa();
    let own = literal.scale();
    let scale = u32::from(scale);
    let clamp = |n: i128| i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX });
    if own <= scale {
        let widened = 10_i128
            .checked_pow(scale - own)
            .and_then(|factor| mantissa.checked_mul(factor));
        return match widened {
            Some(n) => Bounds {
                floor: clamp(n),
                ceil: clamp(n),
                exact: i64::try_from(n).is_ok(),
            },
            None => {
                let n = if mantissa < 0 { i64::MIN } else { i64::MAX };
                Bounds {
                    floor: n,
                    ceil: n,
                    exact: false,
                }
            }
        };
    }
    let divisor = 10_i128.pow(own - scale);
    let floor = mantissa.div_euclid(divisor);
    let exact = mantissa.rem_euclid(divisor) == 0;
    Bounds {
        floor: clamp(floor),
        ceil: clamp(if exact { floor } else { floor + 1 }),
        exact: exact && i64::try_from(floor).is_ok(),
    }
}

/// True for a decimal operand (see [`Expr::Typed`]).
pub(super) fn is_decimal(operand: &Expr) -> bool {
    scale_of(split(operand).1).is_some()
}

/// True when either side of a comparison is a decimal operand.
pub(super) fn is_decimal_operand(lhs: &Expr, rhs: &Expr) -> bool {
    is_decimal(lhs) || is_decimal(rhs)
}

fn flipped(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

impl SqlWriter<'_> {
    /// True when decimals are scaled integers that orm computes with (SQLite).
    pub(super) fn emulates_decimals(&self) -> bool {
        !self.dialect.capabilities().native_decimals
    }

    /// A decimal argument of an `orm_dec_*` function: the value and its scale. A literal is
    /// bound as exact text, so it is never rounded to anyone's scale.
    fn push_decimal_argument(&mut self, operand: &Expr) {
        let (expr, ty) = split(operand);
        if let Expr::Value(Value::Decimal(literal, _)) = expr {
            self.push_bind(Value::String(literal.map(|d| d.to_string())));
            self.push_sql(", ");
            self.push_sql(EXACT);
            return;
        }
        self.push_expr(expr);
        self.push_sql(", ");
        self.push_sql(&scale_argument(ty));
    }

    fn push_decimal_call(&mut self, name: &str, operands: &[&Expr], extra: &[&str]) {
        self.push_sql(name);
        self.push_sql("(");
        for (i, operand) in operands.iter().enumerate() {
            if i > 0 {
                self.push_sql(", ");
            }
            self.push_decimal_argument(operand);
        }
        for arg in extra {
            self.push_sql(", ");
            self.push_sql(arg);
        }
        self.push_sql(")");
    }

    /// `lhs op rhs` where an operand is a decimal ([`is_decimal_operand`]), on SQLite.
    pub(super) fn push_decimal_comparison(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr) {
        let (l, lty) = split(lhs);
        let (r, rty) = split(rhs);
        let (ls, rs) = (scale_of(lty), scale_of(rty));
        match (l, ls, r, rs) {
            (x, Some(DecimalScale::Fixed(s)), Expr::Value(Value::Decimal(Some(d), _)), _) => {
                self.push_literal_comparison(x, op, *d, s);
            }
            (Expr::Value(Value::Decimal(Some(d), _)), _, x, Some(DecimalScale::Fixed(s))) => {
                self.push_literal_comparison(x, flipped(op), *d, s);
            }
            (_, Some(DecimalScale::Fixed(a)), _, Some(DecimalScale::Fixed(b))) if a == b => {
                self.push_operand(l, true);
                self.push_sql(" ");
                self.push_sql(op.sql());
                self.push_sql(" ");
                self.push_operand(r, true);
            }
            _ => {
                self.push_decimal_call("orm_dec_cmp", &[lhs, rhs], &[]);
                self.push_sql(" ");
                self.push_sql(op.sql());
                self.push_sql(" 0");
            }
        }
    }

    /// `x op literal` for `x` a decimal of scale `scale`: the literal becomes the scaled
    /// integer that gives the same answer (`x > 0.985` at scale 2 is `x > 98`, `x = 0.994`
    /// is never true), so the comparison stays native and can use an index.
    fn push_literal_comparison(&mut self, x: &Expr, op: BinaryOp, literal: Decimal, scale: u8) {
        let b = bounds(literal, scale);
        let (sql_op, bound) = match op {
            BinaryOp::Eq | BinaryOp::Ne if !b.exact => {
                // Never equal: false (or NULL for a NULL x), as PostgreSQL answers.
                self.push_sql("(");
                self.push_expr(x);
                self.push_sql(if op == BinaryOp::Eq { " <> " } else { " = " });
                self.push_expr(x);
                self.push_sql(")");
                return;
            }
            BinaryOp::Gt | BinaryOp::Le => (op.sql(), b.floor),
            BinaryOp::Ge | BinaryOp::Lt => (op.sql(), b.ceil),
            other => (other.sql(), b.floor),
        };
        self.push_operand(x, true);
        self.push_sql(" ");
        self.push_sql(sql_op);
        self.push_sql(" ");
        self.push_bind(Value::I64(Some(bound)));
    }

    /// `x [NOT] BETWEEN low AND high` for a decimal `x`, on SQLite.
    pub(super) fn push_decimal_between(
        &mut self,
        x: &Expr,
        low: &Expr,
        high: &Expr,
        negated: bool,
    ) {
        self.push_sql(if negated { "NOT (" } else { "(" });
        self.push_decimal_comparison(BinaryOp::Ge, x, low);
        self.push_sql(" AND ");
        self.push_decimal_comparison(BinaryOp::Le, x, high);
        self.push_sql(")");
    }

    /// `x [NOT] IN (list)` for a decimal `x`, on SQLite: literals become scaled integers
    /// (one that no value of `x`'s scale can equal is left out), anything else is compared
    /// one by one.
    pub(super) fn push_decimal_in_list(&mut self, x: &Expr, list: &[Expr], negated: bool) {
        let (inner, ty) = split(x);
        if let Some(DecimalScale::Fixed(scale)) = scale_of(ty) {
            let literals: Option<Vec<Option<Expr>>> = list
                .iter()
                .map(|item| match item {
                    Expr::Value(Value::Decimal(Some(d), _)) => {
                        let b = bounds(*d, scale);
                        Some(b.exact.then_some(Expr::Value(Value::I64(Some(b.floor)))))
                    }
                    _ => None,
                })
                .collect();
            if let Some(literals) = literals {
                let list: Vec<Expr> = literals.into_iter().flatten().collect();
                if list.is_empty() {
                    self.push_sql("(");
                    self.push_expr(inner);
                    self.push_sql(if negated { " = " } else { " <> " });
                    self.push_expr(inner);
                    self.push_sql(")");
                    return;
                }
                self.push_expr(&Expr::InList {
                    expr: Box::new(inner.clone()),
                    list,
                    negated,
                });
                return;
            }
        }
        self.push_sql(if negated { "NOT (" } else { "(" });
        for (i, item) in list.iter().enumerate() {
            if i > 0 {
                self.push_sql(" OR ");
            }
            let item = Expr::typed(item.clone(), ty.unwrap_or(SqlType::EXACT_DECIMAL));
            self.push_decimal_comparison(BinaryOp::Eq, x, &item);
        }
        self.push_sql(")");
    }

    /// `lhs op rhs` with a decimal result, on SQLite: exact, and an error on overflow.
    pub(super) fn push_decimal_arith(&mut self, op: ArithOp, lhs: &Expr, rhs: &Expr, ty: SqlType) {
        let name = match op {
            ArithOp::Add => "orm_dec_add",
            ArithOp::Sub => "orm_dec_sub",
            ArithOp::Mul => "orm_dec_mul",
            ArithOp::Div => return self.push_decimal_call("orm_dec_div", &[lhs, rhs], &[]),
        };
        let scale = scale_argument(Some(ty));
        self.push_decimal_call(name, &[lhs, rhs], &[&scale]);
    }

    /// A [`NumericFunction`], written so that every backend gives PostgreSQL's answer.
    pub(super) fn push_numeric(&mut self, function: NumericFunction, arg: &Expr, arg_ty: SqlType) {
        let decimal = arg_ty.decimal_scale();
        let float_digits = match arg_ty {
            SqlType::Double => Some("15"),
            SqlType::Real => Some("6"),
            _ => None,
        };
        if !self.emulates_decimals() {
            return self.push_native_numeric(function, arg, float_digits.is_some(), arg_ty);
        }
        let operand = Expr::typed(arg.clone(), arg_ty);
        let fixed = matches!(decimal, Some(DecimalScale::Fixed(_)));
        let plain = |w: &mut Self, name: &str| {
            w.push_sql(name);
            w.push_sql("(");
            w.push_expr(arg);
            w.push_sql(")");
        };
        match function {
            NumericFunction::Sum if fixed => plain(self, "SUM"),
            NumericFunction::Sum => self.push_decimal_call("orm_dec_sum", &[&operand], &[EXACT]),
            NumericFunction::Avg => self.push_decimal_call("orm_dec_avg", &[&operand], &[]),
            NumericFunction::Min | NumericFunction::Max if fixed || decimal.is_none() => plain(
                self,
                if function == NumericFunction::Min {
                    "MIN"
                } else {
                    "MAX"
                },
            ),
            NumericFunction::Min => self.push_decimal_call("orm_dec_min", &[&operand], &[]),
            NumericFunction::Max => self.push_decimal_call("orm_dec_max", &[&operand], &[]),
            NumericFunction::Abs if fixed || decimal.is_none() => plain(self, "ABS"),
            NumericFunction::Abs => self.push_decimal_call("orm_dec_abs", &[&operand], &[EXACT]),
            NumericFunction::Round(places) => match float_digits {
                Some(digits) => {
                    self.push_sql("orm_real_round(");
                    self.push_expr(arg);
                    self.push_sql(&format!(", {places}, {digits})"));
                }
                None => {
                    let (places, scale) = (places.to_string(), places.clamp(0, 28).to_string());
                    self.push_decimal_call("orm_dec_round", &[&operand], &[&places, &scale]);
                }
            },
            NumericFunction::Ceil | NumericFunction::Floor => {
                let up = function == NumericFunction::Ceil;
                match float_digits {
                    Some(_) => plain(
                        self,
                        if up {
                            "orm_real_ceil"
                        } else {
                            "orm_real_floor"
                        },
                    ),
                    None => {
                        let name = if up { "orm_dec_ceil" } else { "orm_dec_floor" };
                        self.push_decimal_call(name, &[&operand], &["0"]);
                    }
                }
            }
        }
    }

    fn push_native_numeric(
        &mut self,
        function: NumericFunction,
        arg: &Expr,
        float: bool,
        arg_ty: SqlType,
    ) {
        let name = match function {
            NumericFunction::Sum => "SUM",
            NumericFunction::Avg => "AVG",
            NumericFunction::Min => "MIN",
            NumericFunction::Max => "MAX",
            NumericFunction::Ceil => "CEIL",
            NumericFunction::Floor => "FLOOR",
            NumericFunction::Abs => "ABS",
            NumericFunction::Round(places) if float => {
                // PostgreSQL has no round(double precision, int): round the number's decimal
                // form (15 significant digits), then return to the float type.
                let back = match self.dialect.cast_type(arg_ty) {
                    Ok(name) => name,
                    Err(error) => return self.fail(error),
                };
                self.push_sql("CAST(ROUND(CAST(");
                self.push_expr(arg);
                self.push_sql(&format!(" AS NUMERIC), {places}) AS {back})"));
                return;
            }
            NumericFunction::Round(places) => {
                self.push_sql("ROUND(");
                self.push_expr(arg);
                self.push_sql(&format!(", {places})"));
                return;
            }
        };
        self.push_sql(name);
        self.push_sql("(");
        self.push_expr(arg);
        self.push_sql(")");
    }

    /// `CAST(x AS ty)` of a decimal on SQLite, with PostgreSQL's results: to a float the
    /// nearest value, to an integer rounded half away from zero, to text with every decimal
    /// of its scale, to a decimal of another scale rounded to it.
    pub(super) fn push_decimal_cast(&mut self, expr: &Expr, from: SqlType, ty: SqlType) {
        let operand = Expr::typed(expr.clone(), from);
        match ty {
            SqlType::Numeric { scale, precision } => {
                if precision == 0 || Some(DecimalScale::Fixed(scale)) == from.decimal_scale() {
                    return self.push_expr(expr);
                }
                let scale = scale.to_string();
                self.push_decimal_call("orm_dec_round", &[&operand], &[&scale, &scale]);
            }
            SqlType::Double | SqlType::Real => {
                self.push_decimal_call("orm_dec_real", &[&operand], &[]);
            }
            SqlType::SmallInt | SqlType::Int | SqlType::BigInt => {
                self.push_decimal_call("orm_dec_round", &[&operand], &["0", "0"]);
            }
            SqlType::Text | SqlType::Varchar(_) => {
                self.push_decimal_call("orm_dec_text", &[&operand], &[]);
            }
            _ => self.fail(crate::error::Error::Unsupported {
                feature: "casting a Decimal to this type",
                backend: self.dialect.name(),
                reason: "a Decimal casts to a number, an integer, text or another Decimal",
            }),
        }
    }

    /// An `ORDER BY` term: a decimal carried as exact text sorts by its numeric order key.
    pub(super) fn push_order_term(&mut self, expr: &Expr) {
        match expr {
            Expr::Typed { ty, .. }
                if self.emulates_decimals() && ty.decimal_scale() == Some(DecimalScale::Exact) =>
            {
                self.push_decimal_call("orm_dec_key", &[expr], &[]);
            }
            other => self.push_expr(other),
        }
    }

    /// A decimal literal in any other position (`coalesce(x, 0.005)`, a `CASE` result) is
    /// stored at the scale of the expression it stands beside; on SQLite one with more
    /// decimals would be rounded, so it is refused before anything is sent.
    pub(super) fn check_decimal_literal(&mut self, value: &Value) {
        let Value::Decimal(Some(d), Some((_, scale))) = value else {
            return;
        };
        if *scale == u8::MAX || d.normalize().scale() <= u32::from(*scale) {
            return;
        }
        self.fail(crate::error::Error::InvalidStatement {
            message: format!(
                "the decimal {d} has more decimals than the scale-{scale} expression it is \
                 used with, and SQLite would round it: round it to {scale} decimals first, or \
                 use it in a comparison or arithmetic, which keep every decimal"
            ),
        });
    }
}
