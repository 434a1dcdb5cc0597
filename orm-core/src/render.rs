//! The one renderer: walks the statement AST once, writing SQL text through
//! [`SqlWriter::push_sql`], [`SqlWriter::push_ident`] and [`SqlWriter::push_bind`]; the
//! [`Dialect`] supplies what differs.
//!
//! While rendering it checks that every column belongs to a table in scope (the query's
//! `FROM` and joins, or an enclosing query's for a correlated subquery), so a column of a
//! table the query never mentions is an [`Error::InvalidStatement`] before anything is sent.

use crate::array::ArrayOp;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::expr::{BinaryOp, Expr, FrameBound, Nulls, Ordering, WindowSpec};
use crate::statement::{
    DeleteStatement, DeletedRows, InsertStatement, LockStrength, LockWait, SelectStatement, Source,
    Statement, UpdateStatement,
};
use crate::value::{ArrayElement, NativeEnum, SqlType, Value};

pub use crate::ddl::{create_table, drop_table};

mod numeric;

thread_local! {
    /// The text buffer of the last statement rendered on this thread, kept for the next one:
    /// a statement then allocates only its own text (once, at its final size).
    static SPARE_BUFFER: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// The largest buffer kept for the next statement (a bulk insert's is not).
const SPARE_BUFFER_LIMIT: usize = 16 * 1024;

/// The longest `IN` list bound one value per parameter (`IN ($1, $2)`); longer lists are one
/// parameter. Each length up to this one is a statement text of its own.
const SHORT_LIST: usize = 8;

/// Accumulates SQL text and binds for one statement.
pub struct SqlWriter<'d> {
    dialect: &'d dyn Dialect,
    sql: String,
    binds: Vec<Value>,
    /// Names columns may be qualified with, innermost query last.
    scopes: Vec<Vec<&'static str>>,
    /// Write columns without their table (RETURNING, conflict targets).
    bare_columns: bool,
    /// The statement is a plain read (see [`Statement::read_only`]).
    read_only: bool,
    /// Write values as SQL literals (DDL takes no parameters).
    inline_values: bool,
    /// Inside an order (`<`, `BETWEEN`, `ORDER BY`): native enum operands are written as
    /// text, which orders alike on every backend (PostgreSQL orders its enums by
    /// declaration).
    enum_as_text: bool,
    /// The dialect has native enum types ([`Dialect::native_enums`], asked once).
    native_enums: bool,
    /// Writing the columns the statement returns (not a subquery's): native enums in them
    /// are read as text, so the driver never meets the type (see [`SqlWriter::push_placeholder`]).
    result_list: bool,
    error: Option<Error>,
}

fn unsupported(dialect: &dyn Dialect, feature: &'static str, reason: &'static str) -> Error {
    Error::Unsupported {
        feature,
        backend: dialect.name(),
        reason,
    }
}

fn invalid(message: String) -> Error {
    Error::InvalidStatement { message }
}

impl<'d> SqlWriter<'d> {
    /// An empty writer for `dialect`.
    pub fn new(dialect: &'d dyn Dialect) -> Self {
        let mut sql = SPARE_BUFFER.take();
        sql.clear();
        sql.reserve(256);
        SqlWriter {
            dialect,
            sql,
            binds: Vec::new(),
            scopes: Vec::new(),
            bare_columns: false,
            read_only: false,
            inline_values: false,
            enum_as_text: false,
            native_enums: dialect.native_enums(),
            result_list: false,
            error: None,
        }
    }

    /// Run `write` inside an order: native enum operands written in it order as text.
    fn in_text_order(&mut self, write: impl FnOnce(&mut Self)) {
        if !self.native_enums {
            return write(self);
        }
        let outer = std::mem::replace(&mut self.enum_as_text, true);
        write(self);
        self.enum_as_text = outer;
    }

    /// Append raw SQL (keywords and punctuation written by orm itself).
    pub fn push_sql(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    /// Append a quoted identifier.
    pub fn push_ident(&mut self, ident: &str) {
        self.dialect.write_ident(&mut self.sql, ident);
    }

    /// Append a placeholder and remember its value.
    pub fn push_bind(&mut self, value: Value) {
        if self.inline_values {
            return self.push_literal(&value);
        }
        let native = self.native_enum_of(&value);
        self.binds.push(value);
        self.push_placeholder(self.binds.len(), native);
    }

    /// The enum type a value is cast to where it is bound: a native enum's label, where the
    /// dialect has the type, outside an order (which compares labels as text).
    fn native_enum_of(&self, value: &Value) -> Option<&'static NativeEnum> {
        match value {
            Value::Enum(_, native) if self.native_enums && !self.enum_as_text => Some(native),
            _ => None,
        }
    }

    /// The placeholder of bind `index`, cast to `native` when given: labels travel as text
    /// (no type the driver must look up, nothing a dropped and re-created type leaves stale).
    fn push_placeholder(&mut self, index: usize, native: Option<&NativeEnum>) {
        if let Some(native) = native {
            self.push_sql("CAST(");
            self.dialect.write_placeholder(&mut self.sql, index);
            self.push_sql(" AS ");
            self.push_ident(native.name);
            self.push_sql(")");
        } else {
            self.dialect.write_placeholder(&mut self.sql, index);
        }
    }

    /// Record an error; rendering goes on but [`SqlWriter::finish`] returns the first one.
    pub fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// The finished statement, or the first error met while rendering (a statement with more
    /// binds than the backend takes is one).
    pub fn finish(self) -> Result<Statement> {
        let max_binds = self.dialect.capabilities().max_binds;
        if self.error.is_none() && self.binds.len() > max_binds {
            return Err(invalid(format!(
                "this statement binds {} values, more than {}'s limit of {max_binds}: split \
                 it (several statements, a transaction), or filter with in_list, which binds \
                 a whole list as one value (except floating-point lists on SQLite)",
                self.binds.len(),
                self.dialect.name(),
            )));
        }
        match self.error {
            Some(error) => Err(error),
            None => Ok(Statement {
                sql: {
                    let sql = std::sync::Arc::from(self.sql.as_str());
                    if self.sql.capacity() <= SPARE_BUFFER_LIMIT {
                        SPARE_BUFFER.set(self.sql);
                    }
                    sql
                },
                binds: self.binds,
                read_only: self.read_only,
                target: None,
            }),
        }
    }

    fn push_idents(&mut self, idents: &[&str]) {
        for (i, ident) in idents.iter().enumerate() {
            if i > 0 {
                self.push_sql(", ");
            }
            self.push_ident(ident);
        }
    }

    /// A value written into the SQL text, for DDL: numbers, text, booleans and NULL.
    fn push_literal(&mut self, value: &Value) {
        match value {
            value if value.is_null() => self.push_sql("NULL"),
            Value::Bool(Some(b)) => self.push_sql(self.dialect.bool_literal(*b)),
            Value::I16(Some(n)) => self.push_sql(&n.to_string()),
            Value::I32(Some(n)) => self.push_sql(&n.to_string()),
            Value::I64(Some(n)) => self.push_sql(&n.to_string()),
            Value::F64(Some(x)) if x.is_finite() => self.push_sql(&format!("{x:?}")),
            Value::F32(Some(x)) if x.is_finite() => self.push_sql(&format!("{x:?}")),
            Value::Decimal(Some(d), _) => self.push_sql(&d.to_string()),
            Value::String(Some(text)) => {
                if let Err(error) = crate::faithful::check_text(text) {
                    return self.fail(error);
                }
                crate::ddl::push_literal_string(&mut self.sql, text);
            }
            Value::Enum(Some(label), _) => crate::ddl::push_literal_string(&mut self.sql, label),
            _ => self.fail(invalid(
                "a typed check constraint can compare with numbers, text, booleans and NULL \
                 only; write other values in a raw check (expr = \"..\")"
                    .to_owned(),
            )),
        }
    }

    /// Write the ` IN (list)` after its operand as one parameter holding the whole list when
    /// the list is longer than [`SHORT_LIST`], every item is a bound value of one type and
    /// the dialect reads such lists from one parameter; a list of one such value as `= $1`.
    /// False when the caller writes the list item by item.
    fn push_list_parameter(&mut self, list: &[Expr], negated: bool) -> bool {
        if self.inline_values {
            return false;
        }
        let Some(Expr::Value(first)) = list.first() else {
            return false;
        };
        let same_type = |expr: &Expr| {
            matches!(expr, Expr::Value(value)
                if std::mem::discriminant(value) == std::mem::discriminant(first))
        };
        if !list.iter().all(same_type) {
            return false;
        }
        let Some((before, after)) = self.dialect.list_parameter(first, negated) else {
            return false;
        };
        if list.len() <= SHORT_LIST && !matches!(first, Value::Json(..)) {
            // A short list (a relationship loaded for a few parents, the two accounts of a
            // transfer): one bind per value, which PostgreSQL can plan once for every
            // execution (it never picks a generic plan for `= ANY($1)`) and SQLite looks up
            // without unpacking a JSON array. One value is `= $1`.
            if let [Expr::Value(only)] = list {
                self.push_sql(if negated { " <> " } else { " = " });
                self.push_bind(only.clone());
                return true;
            }
            return false;
        }
        let values = list
            .iter()
            .map(|expr| match expr {
                Expr::Value(value) => value.clone(),
                _ => unreachable!("checked above: every item is a value"),
            })
            .collect();
        self.push_sql(before);
        self.push_bind(Value::List(values));
        self.push_sql(after);
        true
    }

    fn push_list(&mut self, exprs: &[Expr]) {
        for (i, expr) in exprs.iter().enumerate() {
            if i > 0 {
                self.push_sql(", ");
            }
            self.push_expr(expr);
        }
    }

    fn check_scope(&mut self, table: &str, name: &str) {
        if self.scopes.is_empty() || self.scopes.iter().any(|s| s.contains(&table)) {
            return;
        }
        let in_scope: Vec<&str> = self.scopes.iter().flatten().copied().collect();
        self.fail(invalid(format!(
            "column `{table}.{name}` is used, but `{table}` is not in this query (it has {}); \
             add it with .join(..) / .join_on(..), or use a subquery",
            in_scope.join(", ")
        )));
    }

    /// Append an expression.
    pub fn push_expr(&mut self, expr: &Expr) {
        if !self.enum_as_text && self.native_enums && expr.orders_operands() {
            return self.in_text_order(|w| w.push_expr(expr));
        }
        match expr {
            Expr::Column { table, name } => {
                self.check_scope(table, name);
                if !self.bare_columns {
                    self.push_ident(table);
                    self.push_sql(".");
                }
                self.push_ident(name);
            }
            Expr::Excluded(name) => {
                self.push_sql("EXCLUDED.");
                self.push_ident(name);
            }
            Expr::Value(value) => {
                if self.emulates_decimals() {
                    self.check_decimal_literal(value);
                }
                self.push_bind(value.clone());
            }
            Expr::Typed {
                expr,
                ty: SqlType::Enum(_),
            } if self.enum_as_text && !matches!(**expr, Expr::Value(_)) => {
                self.push_sql("CAST(");
                self.push_expr(expr);
                self.push_sql(" AS TEXT)");
            }
            Expr::Typed { expr, ty } => match (ty, self.dialect.json_comparison_cast()) {
                (SqlType::Json, Some(comparable)) => {
                    self.push_sql("CAST(");
                    self.push_expr(expr);
                    self.push_sql(" AS ");
                    self.push_sql(comparable);
                    self.push_sql(")");
                }
                _ => self.push_expr(expr),
            },
            Expr::Numeric {
                function,
                arg,
                arg_ty,
            } => self.push_numeric(*function, arg, *arg_ty),
            Expr::Binary { op, lhs, rhs }
                if self.emulates_decimals()
                    && !matches!(op, BinaryOp::And | BinaryOp::Or | BinaryOp::Concat)
                    && numeric::is_decimal_operand(lhs, rhs) =>
            {
                self.push_decimal_comparison(*op, lhs, rhs);
            }
            Expr::Binary {
                op: BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge,
                lhs,
                rhs,
            } if self.orders_as_text(lhs) || self.orders_as_text(rhs) => self.refuse_text_order(),
            Expr::Binary { op, lhs, rhs } => {
                let logical = matches!(op, BinaryOp::And | BinaryOp::Or);
                let parens = logical || *op == BinaryOp::Concat;
                if parens {
                    self.push_sql("(");
                }
                self.push_operand(lhs, !logical);
                self.push_sql(" ");
                self.push_sql(op.sql());
                self.push_sql(" ");
                self.push_operand(rhs, !logical);
                if parens {
                    self.push_sql(")");
                }
            }
            Expr::Arith { op, lhs, rhs, ty }
                if self.emulates_decimals() && ty.decimal_scale().is_some() =>
            {
                self.push_decimal_arith(*op, lhs, rhs, *ty);
            }
            Expr::Arith { op, lhs, rhs, .. } => {
                self.push_sql("(");
                self.push_expr(lhs);
                self.push_sql(" ");
                self.push_sql(op.sql());
                self.push_sql(" ");
                self.push_expr(rhs);
                self.push_sql(")");
            }
            Expr::Not(inner) => {
                self.push_sql("NOT (");
                self.push_expr(inner);
                self.push_sql(")");
            }
            Expr::IsNull { expr, negated } => {
                self.push_expr(expr);
                self.push_sql(if *negated { " IS NOT NULL" } else { " IS NULL" });
            }
            Expr::Like {
                expr,
                pattern,
                negated,
                case_insensitive,
            } => self.push_like(expr, pattern, *negated, *case_insensitive),
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                if list.is_empty() {
                    // `x IN ()` is invalid SQL: an empty list is a constant.
                    self.push_sql(if *negated { "(1 = 1)" } else { "(1 = 0)" });
                    return;
                }
                if self.emulates_decimals() && numeric::is_decimal(expr) {
                    return self.push_decimal_in_list(expr, list, *negated);
                }
                self.push_expr(expr);
                // One parameter for a long list: the SQL text does not change with the
                // list's length (the prepared statement is reused) and no bind limit applies.
                if self.push_list_parameter(list, *negated) {
                    return;
                }
                self.push_sql(if *negated { " NOT IN (" } else { " IN (" });
                self.push_list(list);
                self.push_sql(")");
            }
            Expr::Between { expr, .. } if self.orders_as_text(expr) => self.refuse_text_order(),
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } if self.emulates_decimals() && numeric::is_decimal(expr) => {
                self.push_decimal_between(expr, low, high, *negated);
            }
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => {
                self.push_expr(expr);
                self.push_sql(if *negated {
                    " NOT BETWEEN "
                } else {
                    " BETWEEN "
                });
                self.push_expr(low);
                self.push_sql(" AND ");
                self.push_expr(high);
            }
            Expr::CountStar => self.push_sql("COUNT(*)"),
            Expr::SchemaText(text) => crate::ddl::push_literal_string(&mut self.sql, text),
            Expr::Increment { table, name } => {
                self.push_expr(&Expr::Column { table, name });
                self.push_sql(" + 1");
            }
            Expr::CurrentTimestamp(ty) => {
                let now = self.dialect.current_timestamp(*ty);
                self.push_sql(now);
            }
            Expr::Function {
                name,
                args,
                distinct,
                ..
            } => {
                if !is_function_name(name) {
                    self.fail(invalid(format!(
                        "`{name}` is not a function name: use letters, digits and `_` only"
                    )));
                    return;
                }
                if expr.orders_operands() && args.iter().any(|arg| self.orders_as_text(arg)) {
                    return self.refuse_text_order();
                }
                if let ("GREATEST" | "LEAST", [a, b]) = (&**name, &args[..])
                    && let Some(function) = self.dialect.extreme_function(name == "GREATEST")
                {
                    return self.push_extreme(function, a, b);
                }
                match &**name {
                    "LOWER" => self.push_sql(self.dialect.case_function(false)),
                    "UPPER" => self.push_sql(self.dialect.case_function(true)),
                    name => self.push_sql(name),
                }
                self.push_sql(if *distinct { "(DISTINCT " } else { "(" });
                self.push_list(args);
                self.push_sql(")");
            }
            Expr::Cast { expr, from, ty }
                if self.emulates_decimals() && from.decimal_scale().is_some() =>
            {
                self.push_decimal_cast(expr, *from, *ty);
            }
            // An integer is a decimal of scale 0 as SQLite stores decimals.
            Expr::Cast { expr, from, ty }
                if self.emulates_decimals()
                    && ty.decimal_scale().is_some()
                    && matches!(from, SqlType::SmallInt | SqlType::Int | SqlType::BigInt) =>
            {
                self.push_expr(expr);
            }
            Expr::Invalid(message) => self.fail(invalid(message.to_string())),
            Expr::Cast { expr, from, ty } => match self.dialect.cast_template(*from, *ty) {
                Ok(Some(template)) => self.push_template(&template, expr),
                Ok(None) => match self.dialect.cast_type(*ty) {
                    Ok(name) => {
                        self.push_sql("CAST(");
                        self.push_expr(expr);
                        self.push_sql(" AS ");
                        self.push_sql(&name);
                        self.push_sql(")");
                    }
                    Err(error) => self.fail(error),
                },
                Err(error) => self.fail(error),
            },
            Expr::Case { whens, otherwise } => {
                self.push_sql("CASE");
                for (condition, result) in whens {
                    self.push_sql(" WHEN ");
                    self.push_expr(condition);
                    self.push_sql(" THEN ");
                    self.push_expr(result);
                }
                if let Some(otherwise) = otherwise {
                    self.push_sql(" ELSE ");
                    self.push_expr(otherwise);
                }
                self.push_sql(" END");
            }
            Expr::Subquery(query) => {
                self.push_sql("(");
                self.push_select(query);
                self.push_sql(")");
            }
            Expr::Exists { query, negated } => {
                self.push_sql(if *negated { "NOT EXISTS (" } else { "EXISTS (" });
                self.push_select(query);
                self.push_sql(")");
            }
            Expr::InSubquery {
                expr,
                query,
                negated,
            } => {
                self.push_expr(expr);
                self.push_sql(if *negated { " NOT IN (" } else { " IN (" });
                self.push_select(query);
                self.push_sql(")");
            }
            Expr::Window { function, window } => {
                self.push_expr(function);
                self.push_sql(" OVER (");
                self.push_window(window);
                self.push_sql(")");
            }
            // A label names a select-list item (see `push_select_list`); anywhere else the
            // expression stands for itself.
            Expr::Label { expr, .. } => self.push_expr(expr),
            Expr::JsonPath { doc, steps, text } => self.push_json_path(doc, steps, *text),
            Expr::Array { op, array, operand } => self.push_array_op(*op, array, operand),
            Expr::JsonContains { doc, value } => match self.dialect.json_functions() {
                Some(functions) => {
                    self.push_sql(functions.contains);
                    self.push_sql("(");
                    self.push_expr(doc);
                    self.push_sql(", ");
                    self.push_expr(value);
                    self.push_sql(")");
                }
                None => {
                    self.push_sql("(");
                    self.push_expr(doc);
                    self.push_sql(" @> ");
                    self.push_expr(value);
                    self.push_sql(")");
                }
            },
            Expr::DatePart { part, expr, ty } => match self.dialect.date_part(*part, *ty) {
                Ok(template) => self.push_template(&template, expr),
                Err(error) => self.fail(error),
            },
            Expr::DateTrunc { unit, expr, ty } => match self.dialect.date_trunc(*unit, *ty) {
                Ok((prefix, suffix)) => {
                    self.push_sql(&prefix);
                    self.push_expr(expr);
                    self.push_sql(suffix);
                }
                Err(error) => self.fail(error),
            },
        }
    }

    /// The value at a path in a JSON document: the dialect's functions, or `->` for each
    /// step (`->>` for the last when `text`; `#>> '{}'` for the whole document as text).
    fn push_json_path(&mut self, doc: &Expr, steps: &[Expr], text: bool) {
        match self.dialect.json_functions() {
            Some(functions) => {
                self.push_sql(if text { functions.text } else { functions.get });
                self.push_sql("(");
                self.push_expr(doc);
                for step in steps {
                    self.push_sql(", ");
                    self.push_expr(step);
                }
                self.push_sql(")");
            }
            None => {
                self.push_sql("(");
                self.push_expr(doc);
                if steps.is_empty() && text {
                    self.push_sql(" #>> '{}'");
                }
                for (i, step) in steps.iter().enumerate() {
                    let last = i + 1 == steps.len();
                    self.push_sql(if text && last { " ->> " } else { " -> " });
                    // The SQL says which operator (key or index) each step takes, so that a
                    // statement prepared for keys is never reused with an index bound.
                    let index = matches!(step, Expr::Value(Value::I32(_)));
                    self.push_sql("CAST(");
                    self.push_expr(step);
                    self.push_sql(if index { " AS INTEGER)" } else { " AS TEXT)" });
                }
                self.push_sql(")");
            }
        }
    }

    /// An array operator: PostgreSQL's, or the dialect's JSON functions over arrays stored
    /// as JSON (`any` as containment of a one-element array).
    fn push_array_op(&mut self, op: ArrayOp, array: &Expr, operand: &Expr) {
        let Some(functions) = self.dialect.json_functions() else {
            self.push_sql("(");
            if op == ArrayOp::Any {
                self.push_expr(operand);
                self.push_sql(" = ANY(");
                self.push_expr(array);
                self.push_sql("))");
                return;
            }
            self.push_expr(array);
            self.push_sql(if op == ArrayOp::Contains {
                " @> "
            } else {
                " && "
            });
            self.push_expr(operand);
            self.push_sql(")");
            return;
        };
        self.push_sql(if op == ArrayOp::Overlaps {
            functions.overlaps
        } else {
            functions.contains
        });
        self.push_sql("(");
        self.push_expr(array);
        self.push_sql(", ");
        match (op, operand) {
            (ArrayOp::Any, Expr::Value(item)) => match ArrayElement::of_value(item) {
                Some(element) => self.push_bind(Value::Array(Some(vec![item.clone()]), element)),
                None => self.fail(invalid(
                    "an array element of a type arrays do not hold".into(),
                )),
            },
            _ => self.push_expr(operand),
        }
        self.push_sql(")");
    }

    /// SQL from a dialect's template, with `expr` at each `{}`.
    fn push_template(&mut self, template: &str, expr: &Expr) {
        for (i, piece) in template.split("{}").enumerate() {
            if i > 0 {
                self.push_expr(expr);
            }
            self.push_sql(piece);
        }
    }

    /// `GREATEST(a, b)` / `LEAST(a, b)` with a two-argument `function` (`max` / `min`) that
    /// is NULL when either is: `max(coalesce(a, b), coalesce(b, a))` ignores a NULL as
    /// PostgreSQL does.
    fn push_extreme(&mut self, function: &str, a: &Expr, b: &Expr) {
        if let (Expr::Typed { ty: a_ty, .. }, Expr::Typed { ty: b_ty, .. }) = (a, b)
            && a_ty.decimal_scale() != b_ty.decimal_scale()
        {
            return self.fail(unsupported(
                self.dialect,
                "greatest / least of decimals of different scales",
                "it compares the stored scaled integers; cast one side to the other's scale \
                 first",
            ));
        }
        self.push_sql(function);
        self.push_sql("(COALESCE(");
        self.push_expr(a);
        self.push_sql(", ");
        self.push_expr(b);
        self.push_sql("), COALESCE(");
        self.push_expr(b);
        self.push_sql(", ");
        self.push_expr(a);
        self.push_sql("))");
    }

    /// An operand of a comparison: conditions are parenthesised (`(a > 1) = (b > 2)`).
    fn push_operand(&mut self, expr: &Expr, parenthesise_predicates: bool) {
        if parenthesise_predicates
            && expr.is_predicate()
            && !matches!(
                expr,
                Expr::Binary {
                    op: BinaryOp::And | BinaryOp::Or | BinaryOp::Concat,
                    ..
                }
            )
        {
            self.push_sql("(");
            self.push_expr(expr);
            self.push_sql(")");
        } else {
            self.push_expr(expr);
        }
    }

    /// A select list or RETURNING list: top-level labels become `AS "name"`.
    fn push_select_list(&mut self, exprs: &[Expr]) {
        let result = std::mem::replace(&mut self.result_list, false) && self.native_enums;
        for (i, expr) in exprs.iter().enumerate() {
            if i > 0 {
                self.push_sql(", ");
            }
            // (MIN, MAX, GREATEST and LEAST of a native enum give text already.)
            if result
                && let Expr::Typed {
                    expr: inner,
                    ty: SqlType::Enum(_),
                } = expr.unlabeled()
                && !inner.orders_operands()
            {
                self.push_sql("CAST(");
                self.push_expr(expr.unlabeled());
                self.push_sql(" AS TEXT)");
                if let Expr::Label { name, .. } = expr {
                    self.push_sql(" AS ");
                    self.push_ident(name);
                }
                continue;
            }
            match expr {
                Expr::Label { expr, name } => {
                    self.push_expr(expr);
                    self.push_sql(" AS ");
                    self.push_ident(name);
                }
                other => self.push_expr(other),
            }
        }
    }

    /// GROUP BY / ORDER BY terms: an expression with bound values that is also selected is
    /// written as its position, because PostgreSQL sees `$1` and `$2` as different
    /// expressions even when they carry the same value.
    fn push_grouping_term(&mut self, expr: &Expr, select_list: &[Expr]) {
        let expr = expr.unlabeled();
        if expr.has_value()
            && let Some(index) = select_list.iter().position(|c| c.unlabeled() == expr)
        {
            self.push_sql(&(index + 1).to_string());
            return;
        }
        self.push_expr(expr);
    }

    fn push_like(&mut self, expr: &Expr, pattern: &Expr, negated: bool, case_insensitive: bool) {
        let keyword = if negated { " NOT LIKE " } else { " LIKE " };
        if case_insensitive && self.dialect.capabilities().ilike {
            self.push_expr(expr);
            self.push_sql(if negated { " NOT ILIKE " } else { " ILIKE " });
            self.push_expr(pattern);
        } else if case_insensitive {
            let lower = self.dialect.case_function(false);
            self.push_sql(lower);
            self.push_sql("(");
            self.push_expr(expr);
            self.push_sql(")");
            self.push_sql(keyword);
            self.push_sql(lower);
            self.push_sql("(");
            self.push_expr(pattern);
            self.push_sql(")");
        } else {
            self.push_expr(expr);
            self.push_sql(keyword);
            self.push_expr(pattern);
        }
        self.push_sql(" ESCAPE '\\'");
    }

    /// True for a JSON or array operand where the dialect stores those as text (SQLite): its
    /// text's order is not `jsonb`'s or the array's, so ordering by it is refused.
    fn orders_as_text(&self, expr: &Expr) -> bool {
        self.dialect.json_functions().is_some()
            && matches!(
                expr,
                Expr::Typed {
                    ty: SqlType::Json | SqlType::Jsonb | SqlType::Array(_),
                    ..
                }
            )
    }

    fn refuse_text_order(&mut self) {
        self.fail(unsupported(
            self.dialect,
            "ordering or comparing JSON or array values (< > BETWEEN, ORDER BY, MIN / MAX, GREATEST / LEAST)",
            "they are stored as text there, which orders otherwise than PostgreSQL's jsonb and \
             arrays: order by a typed part (a JSON path's as_text(), a cast, an element)",
        ));
    }

    fn push_orderings(&mut self, keyword: &str, orderings: &[Ordering]) {
        for (i, order) in orderings.iter().enumerate() {
            self.push_sql(if i == 0 { keyword } else { ", " });
            self.in_text_order(|w| w.push_order_term(&order.expr));
            self.push_order_suffix(order);
        }
    }

    /// ` DESC NULLS ..` of a term: every ORDER BY term (of a query, a window, a compound
    /// select) ends here, so this is where an order SQLite cannot give is refused.
    fn push_order_suffix(&mut self, order: &Ordering) {
        if self.orders_as_text(&order.expr) {
            self.refuse_text_order();
        }
        if order.descending {
            self.push_sql(" DESC");
        }
        match order.nulls {
            Some(Nulls::First) => self.push_sql(" NULLS FIRST"),
            Some(Nulls::Last) => self.push_sql(" NULLS LAST"),
            None => {}
        }
    }

    fn push_window(&mut self, window: &WindowSpec) {
        let mut space = "";
        if !window.partition_by.is_empty() {
            self.push_sql("PARTITION BY ");
            self.push_list(&window.partition_by);
            space = " ";
        }
        if !window.order_by.is_empty() {
            self.push_sql(space);
            self.push_orderings("ORDER BY ", &window.order_by);
            space = " ";
        }
        if let Some(frame) = window.frame {
            self.push_sql(space);
            self.push_sql(if frame.rows { "ROWS" } else { "RANGE" });
            self.push_sql(" BETWEEN ");
            self.push_frame_bound(frame.start);
            self.push_sql(" AND ");
            self.push_frame_bound(frame.end);
        }
    }

    fn push_frame_bound(&mut self, bound: FrameBound) {
        match bound {
            FrameBound::UnboundedPreceding => self.push_sql("UNBOUNDED PRECEDING"),
            FrameBound::Preceding(n) => self.push_sql(&format!("{n} PRECEDING")),
            FrameBound::CurrentRow => self.push_sql("CURRENT ROW"),
            FrameBound::Following(n) => self.push_sql(&format!("{n} FOLLOWING")),
            FrameBound::UnboundedFollowing => self.push_sql("UNBOUNDED FOLLOWING"),
        }
    }

    fn push_filter(&mut self, filter: Option<&Expr>) {
        if let Some(filter) = filter {
            self.push_sql(" WHERE ");
            self.push_expr(filter);
        }
    }

    fn push_returning(&mut self, returning: &[Expr]) {
        if returning.is_empty() {
            return;
        }
        if !self.dialect.capabilities().returning {
            self.fail(unsupported(
                self.dialect,
                "RETURNING",
                "run a select after the write instead",
            ));
        }
        self.push_sql(" RETURNING ");
        self.bare_columns = true;
        self.result_list = true;
        self.push_select_list(returning);
        self.bare_columns = false;
    }

    fn push_source(&mut self, source: &Source) {
        match source {
            Source::Table { name, alias, .. } => {
                self.push_ident(name);
                if let Some(alias) = alias {
                    self.push_sql(" AS ");
                    self.push_ident(alias);
                }
            }
            Source::Subquery { query, alias } => {
                self.push_sql("(");
                self.push_select(query);
                self.push_sql(") AS ");
                self.push_ident(alias);
            }
        }
    }

    /// A whole `SELECT`: its `WITH`, the core, compound members, order, limit and lock.
    pub fn push_select(&mut self, select: &SelectStatement) {
        self.push_select_forcing_where(select, false);
    }

    /// [`SqlWriter::push_select`]; with `force_where`, the last core gets a `WHERE` even
    /// without a filter (SQLite needs one before `ON CONFLICT` in `INSERT .. SELECT`).
    fn push_select_forcing_where(&mut self, select: &SelectStatement, force_where: bool) {
        // Columns of a subquery keep their table, even inside RETURNING.
        let bare_columns = std::mem::replace(&mut self.bare_columns, false);
        // The select lists of this select's cores (compound members included) are what it
        // returns; nothing else in it is.
        let result = std::mem::replace(&mut self.result_list, false);
        if !select.with.is_empty() {
            let recursive = select.with.iter().any(|cte| cte.recursive);
            self.push_sql(if recursive {
                "WITH RECURSIVE "
            } else {
                "WITH "
            });
            for (i, cte) in select.with.iter().enumerate() {
                if i > 0 {
                    self.push_sql(", ");
                }
                self.push_ident(cte.name);
                self.push_sql(" AS (");
                self.push_select(&cte.query);
                self.push_sql(")");
            }
            self.push_sql(" ");
        }
        let force_where = force_where && !select.has_order_or_limit();
        let start = self.sql.len();
        self.result_list = result;
        self.push_select_core(select, force_where && select.compound.is_empty());
        for (i, (op, member)) in select.compound.iter().enumerate() {
            // Mixed set operations are grouped left to right on every backend (PostgreSQL
            // would bind INTERSECT tighter than UNION).
            if i > 0 && select.compound[i - 1].0 != *op {
                self.sql.insert_str(start, "SELECT * FROM (");
                self.push_sql(") AS ");
                self.push_ident("compound_group");
            }
            self.push_sql(op.sql());
            let last = i + 1 == select.compound.len();
            if member.has_order_or_limit() || !member.compound.is_empty() || !member.with.is_empty()
            {
                // SQLite allows no WITH / ORDER BY / LIMIT inside a compound member: wrap it.
                self.push_sql("SELECT * FROM (");
                self.result_list = result;
                self.push_select(member);
                self.push_sql(") AS ");
                self.push_ident("compound_member");
                if force_where && last {
                    self.push_sql(" WHERE 1 = 1");
                }
            } else {
                self.result_list = result;
                self.push_select_core(member, force_where && last);
            }
        }
        if select.compound.is_empty() {
            self.scopes.push(scope_of(select));
            for (i, order) in select.order_by.iter().enumerate() {
                self.push_sql(if i == 0 { " ORDER BY " } else { ", " });
                self.in_text_order(|w| w.push_grouping_term(&order.expr, &select.columns));
                self.push_order_suffix(order);
            }
            self.scopes.pop();
        } else {
            self.push_compound_order(select);
        }
        let limit = select.limit.map(|n| self.placeholder_for(n));
        let offset = select.offset.map(|n| self.placeholder_for(n));
        self.dialect
            .write_limit_offset(&mut self.sql, limit.as_deref(), offset.as_deref());
        if let Some(lock) = select.lock {
            if !self.dialect.capabilities().row_locks {
                self.fail(unsupported(
                    self.dialect,
                    "locking rows (FOR UPDATE / FOR SHARE)",
                    "it locks the whole database for a write transaction instead; a \
                     transaction (db.begin(), which is BEGIN IMMEDIATE) is enough",
                ));
            }
            self.push_sql(match lock.strength {
                LockStrength::Update => " FOR UPDATE",
                LockStrength::NoKeyUpdate => " FOR NO KEY UPDATE",
                LockStrength::Share => " FOR SHARE",
            });
            self.push_sql(match lock.wait {
                LockWait::Wait => "",
                LockWait::NoWait => " NOWAIT",
                LockWait::SkipLocked => " SKIP LOCKED",
            });
        }
        self.bare_columns = bare_columns;
    }

    /// ORDER BY of a compound select: by position in the select list, which both backends
    /// accept after `UNION`.
    fn push_compound_order(&mut self, select: &SelectStatement) {
        for (i, order) in select.order_by.iter().enumerate() {
            self.push_sql(if i == 0 { " ORDER BY " } else { ", " });
            if self.native_enums
                && matches!(
                    order.expr,
                    Expr::Typed {
                        ty: SqlType::Enum(_),
                        ..
                    }
                )
            {
                self.fail(unsupported(
                    self.dialect,
                    "ordering a union / intersect / except by a native enum",
                    "such an order is by position, where the enum orders by declaration instead \
                     of as text: select the value cast to text and order by that",
                ));
            }
            let term = order.expr.untyped();
            let position = select.columns.iter().position(|column| {
                column.untyped() == term
                    || matches!(column, Expr::Label { expr, .. } if expr.untyped() == term)
            });
            match position {
                Some(index) => self.push_sql(&(index + 1).to_string()),
                None => self.fail(invalid(
                    "order_by on a union / intersect / except must name one of the selected \
                     expressions"
                        .to_owned(),
                )),
            }
            self.push_order_suffix(order);
        }
    }

    /// `SELECT [DISTINCT] list FROM .. JOIN .. WHERE .. GROUP BY .. HAVING ..`.
    fn push_select_core(&mut self, select: &SelectStatement, force_where: bool) {
        self.scopes.push(scope_of(select));
        self.push_sql("SELECT ");
        match &select.distinct {
            None => {}
            Some(on) if on.is_empty() => self.push_sql("DISTINCT "),
            Some(on) => {
                if !self.dialect.capabilities().distinct_on {
                    self.fail(unsupported(
                        self.dialect,
                        "DISTINCT ON",
                        "select the first row per group with a window function \
                         (row_number() over a partition) instead",
                    ));
                }
                self.push_sql("DISTINCT ON (");
                // Written as the ORDER BY it must match is (native enums as text).
                self.in_text_order(|w| w.push_list(on));
                self.push_sql(") ");
            }
        }
        if select.columns.is_empty() {
            self.push_sql("1");
        }
        self.push_select_list(&select.columns);
        self.push_sql(" FROM ");
        self.push_source(&select.from);
        for join in &select.joins {
            self.push_sql(join.kind.sql());
            self.push_source(&join.source);
            self.push_sql(" ON ");
            match hidden_rows(&join.source, select.deleted, false) {
                Some(hidden) => {
                    self.push_sql("(");
                    self.push_expr(&join.on);
                    self.push_sql(") AND ");
                    self.push_expr(&hidden);
                }
                None => self.push_expr(&join.on),
            }
        }
        self.push_select_where(select, force_where);
        for (i, term) in select.group_by.iter().enumerate() {
            self.push_sql(if i == 0 { " GROUP BY " } else { ", " });
            self.push_grouping_term(term, &select.columns);
        }
        if let Some(having) = &select.having {
            self.push_sql(" HAVING ");
            self.push_expr(having);
        }
        self.scopes.pop();
    }

    /// The `WHERE` of a select core: its filter, and the condition that hides the soft-deleted
    /// rows of its `FROM` table; with `force_where`, `WHERE 1 = 1` when there is neither.
    fn push_select_where(&mut self, select: &SelectStatement, force_where: bool) {
        match (
            &select.filter,
            hidden_rows(&select.from, select.deleted, true),
        ) {
            (None, None) if force_where => self.push_sql(" WHERE 1 = 1"),
            (filter, None) => self.push_filter(filter.as_ref()),
            (None, Some(hidden)) => self.push_filter(Some(&hidden)),
            (Some(filter), Some(hidden)) => {
                self.push_sql(" WHERE (");
                self.push_expr(filter);
                self.push_sql(") AND ");
                self.push_expr(&hidden);
            }
        }
    }

    fn placeholder_for(&mut self, n: u64) -> String {
        self.binds
            .push(Value::I64(Some(i64::try_from(n).unwrap_or(i64::MAX))));
        let mut placeholder = String::new();
        self.dialect
            .write_placeholder(&mut placeholder, self.binds.len());
        placeholder
    }
}

/// The condition a select reading a model table from `source` adds (`from`: its `FROM`
/// table, else a join): on the soft-delete column, `deleted_at IS NULL` to hide the deleted
/// rows, `IS NOT NULL` for the `FROM` table of [`DeletedRows::Only`], nothing when the select
/// includes them; and for a single-table inheritance variant, its discriminator value
/// (always). `None` when neither applies.
fn hidden_rows(source: &Source, deleted: DeletedRows, from: bool) -> Option<Expr> {
    let Source::Table {
        soft_delete,
        discriminator,
        ..
    } = source
    else {
        return None;
    };
    let table = source.scope_name();
    let variant = discriminator.map(|d| d.condition(table));
    let negated = match deleted {
        DeletedRows::Included => return variant,
        DeletedRows::Only => from,
        DeletedRows::Hidden => false,
    };
    let hidden = soft_delete.map(|name| Expr::IsNull {
        expr: Box::new(Expr::Column { table, name }),
        negated,
    });
    match hidden {
        Some(hidden) => crate::select::and_filter(variant, hidden),
        None => variant,
    }
}

/// The names columns of `select` may be qualified with.
fn scope_of(select: &SelectStatement) -> Vec<&'static str> {
    let mut scope = Vec::with_capacity(1 + select.joins.len());
    scope.push(select.from.scope_name());
    scope.extend(select.joins.iter().map(|join| join.source.scope_name()));
    scope
}

/// Function names are written unquoted, so only plain identifiers are accepted.
fn is_function_name(name: &str) -> bool {
    name.split('.').all(|part| {
        let mut chars = part.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Render a `SELECT`.
pub fn select(dialect: &dyn Dialect, select: &SelectStatement) -> Result<Statement> {
    let mut w = SqlWriter::new(dialect);
    w.read_only = select.lock.is_none();
    w.result_list = true;
    w.push_select(select);
    w.finish()
}

/// True when counting `select`'s rows needs it as a subquery (anything beyond a filter).
fn count_needs_subquery(select: &SelectStatement) -> bool {
    select.limit.is_some()
        || select.offset.is_some()
        || !select.joins.is_empty()
        || !select.group_by.is_empty()
        || select.distinct.is_some()
        || !select.compound.is_empty()
        || !select.with.is_empty()
        || !matches!(select.from, Source::Table { .. })
        || select.having.is_some()
        || select.columns.iter().any(Expr::has_aggregate)
}

/// Render `SELECT COUNT(*)` over the rows `select` would return.
pub fn count(dialect: &dyn Dialect, select: &SelectStatement) -> Result<Statement> {
    let mut w = SqlWriter::new(dialect);
    w.read_only = select.lock.is_none();
    if count_needs_subquery(select) {
        w.push_sql("SELECT COUNT(*) FROM (");
        w.push_select(select);
        w.push_sql(") AS ");
        w.push_ident("counted");
    } else {
        w.scopes.push(scope_of(select));
        w.push_sql("SELECT COUNT(*) FROM ");
        w.push_source(&select.from);
        w.push_select_where(select, false);
        w.scopes.pop();
    }
    w.finish()
}

/// The SQL of a typed check constraint's condition, for `CREATE TABLE`: bare column names
/// and values written as literals, with the dialect's own decimal rules.
pub fn check_condition(dialect: &dyn Dialect, condition: &Expr) -> Result<String> {
    let mut w = SqlWriter::new(dialect);
    w.bare_columns = true;
    w.inline_values = true;
    w.push_expr(condition);
    Ok(w.finish()?.sql.to_string())
}

/// Render `SELECT EXISTS (...)` over `select`.
pub fn exists(dialect: &dyn Dialect, select: &SelectStatement) -> Result<Statement> {
    let mut w = SqlWriter::new(dialect);
    w.read_only = select.lock.is_none();
    w.push_sql("SELECT EXISTS (");
    w.push_select(select);
    w.push_sql(")");
    w.finish()
}

/// Render `EXPLAIN` (PostgreSQL) or `EXPLAIN QUERY PLAN` (SQLite) of a statement.
pub fn explain(dialect: &dyn Dialect, statement: Statement) -> Statement {
    let mut sql = String::from(dialect.explain().0);
    sql.push_str(&statement.sql);
    Statement {
        sql: sql.into(),
        ..statement
    }
}

/// Render an `INSERT` of one or more rows (or of a select's rows), moving the row values into
/// the binds.
pub fn insert(dialect: &dyn Dialect, insert: InsertStatement) -> Result<Statement> {
    let mut w = SqlWriter::new(dialect);
    w.push_sql("INSERT INTO ");
    w.push_ident(insert.table);
    let width = insert.columns.len();
    if let Some(select) = &insert.select {
        w.push_sql(" (");
        w.push_idents(&insert.columns);
        w.push_sql(") ");
        // SQLite needs a WHERE before ON CONFLICT to parse `INSERT .. SELECT .. ON CONFLICT`.
        w.push_select_forcing_where(select, insert.on_conflict.is_some());
    } else if width == 0 {
        w.push_sql(" DEFAULT VALUES");
    } else {
        if insert.values.is_empty() || !insert.values.len().is_multiple_of(width) {
            return Err(invalid(format!(
                "insert into `{}`: {} values do not make whole rows of {width} columns",
                insert.table,
                insert.values.len()
            )));
        }
        w.push_sql(" (");
        w.push_idents(&insert.columns);
        w.push_sql(") VALUES ");
        // Placeholders by position, then the row values become the binds in one move (a bulk
        // insert has tens of thousands of them).
        let first = w.binds.len();
        w.sql.reserve(insert.values.len() * 6);
        for (i, value) in insert.values.iter().enumerate() {
            w.push_sql(match (i, i % width) {
                (0, _) => "(",
                (_, 0) => "), (",
                _ => ", ",
            });
            let native = w.native_enum_of(value);
            w.push_placeholder(first + i + 1, native);
        }
        for value in &insert.values {
            crate::faithful::check_stored(value)?;
        }
        w.binds.extend(insert.values);
        w.push_sql(")");
    }
    if let Some(conflict) = &insert.on_conflict {
        w.scopes.push(vec![insert.table]);
        w.push_sql(" ON CONFLICT (");
        w.push_idents(&conflict.target);
        w.push_sql(")");
        if let Some(predicate) = &conflict.target_filter {
            w.push_sql(" WHERE ");
            w.bare_columns = true;
            w.push_expr(predicate);
            w.bare_columns = false;
        }
        if conflict.assignments.is_empty() {
            w.push_sql(" DO NOTHING");
        } else {
            w.push_sql(" DO UPDATE SET ");
            w.push_assignments(&conflict.assignments);
            w.push_filter(conflict.filter.as_ref());
        }
        w.scopes.pop();
    }
    w.scopes.push(vec![insert.table]);
    w.push_returning(&insert.returning);
    w.finish()
}

impl SqlWriter<'_> {
    fn push_assignments(&mut self, assignments: &[(&'static str, Expr)]) {
        for (i, (column, value)) in assignments.iter().enumerate() {
            if i > 0 {
                self.push_sql(", ");
            }
            self.push_ident(column);
            self.push_sql(" = ");
            match value {
                // An assigned value is stored as the column stores it (a decimal rounded to
                // its scale, as PostgreSQL's assignment does).
                Expr::Value(value) => {
                    if let Err(error) = crate::faithful::check_stored(value) {
                        self.fail(error);
                    }
                    self.push_bind(value.clone());
                }
                other => self.push_expr(other),
            }
        }
    }
}

/// Render an `UPDATE`.
pub fn update(dialect: &dyn Dialect, update: &UpdateStatement) -> Result<Statement> {
    let mut w = SqlWriter::new(dialect);
    w.push_update(update);
    w.finish()
}

/// Render a `DELETE`.
pub fn delete(dialect: &dyn Dialect, delete: &DeleteStatement) -> Result<Statement> {
    let mut w = SqlWriter::new(dialect);
    w.push_delete(delete);
    w.finish()
}

/// The write of a [`probed_write`].
#[derive(Debug, Clone, Copy)]
pub enum RowWrite<'a> {
    /// An `UPDATE .. RETURNING`.
    Update(&'a UpdateStatement),
    /// A `DELETE .. RETURNING`.
    Delete(&'a DeleteStatement),
}

/// Name of the CTE holding a [`probed_write`]'s write.
const WRITTEN: &str = "orm_written";

/// A write of one row that also tells whether a row matching `probe` existed before it, in
/// one statement (dialects with [`crate::Capabilities::writable_cte`]):
///
/// `WITH "orm_written" AS (<write> RETURNING ..) SELECT "orm_written".<returned columns>,
/// EXISTS (SELECT 1 FROM "orm_written"), CASE WHEN EXISTS (SELECT 1 FROM "orm_written") THEN
/// TRUE ELSE EXISTS (SELECT 1 FROM <table> WHERE <probe>) END FROM (SELECT 1) AS "orm_one"
/// LEFT JOIN "orm_written" ON TRUE`
///
/// Its one row holds the written row's returned columns (NULL when nothing was written),
/// whether a row was written, and whether the probe found a row: the probe reads the table
/// as it was before the write (the statement's snapshot), so it tells a row the write's
/// filter did not match from a row that does not exist. It runs only when nothing was
/// written (PostgreSQL evaluates the `ELSE` branch's subquery only when it is reached). The write's `RETURNING` list must
/// be plain columns, and not empty.
pub fn probed_write(dialect: &dyn Dialect, write: RowWrite<'_>, probe: &Expr) -> Result<Statement> {
    let (table, returning) = match write {
        RowWrite::Update(update) => (update.table, &update.returning),
        RowWrite::Delete(delete) => (delete.table, &delete.returning),
    };
    let mut w = SqlWriter::new(dialect);
    if !dialect.capabilities().writable_cte {
        w.fail(unsupported(
            dialect,
            "a write inside a WITH clause",
            "run the write, then look the row up when it wrote nothing",
        ));
    }
    w.push_sql("WITH ");
    w.push_ident(WRITTEN);
    w.push_sql(" AS (");
    match write {
        RowWrite::Update(update) => w.push_update(update),
        RowWrite::Delete(delete) => w.push_delete(delete),
    }
    w.push_sql(") SELECT ");
    if returning.is_empty() {
        w.fail(invalid(
            "a probed write returns at least one column".to_owned(),
        ));
    }
    for expr in returning {
        match expr {
            Expr::Column { name, .. } => {
                w.push_ident(WRITTEN);
                w.push_sql(".");
                w.push_ident(name);
                w.push_sql(", ");
            }
            _ => w.fail(invalid(
                "a probed write returns plain columns only".to_owned(),
            )),
        }
    }
    // The probe only runs when nothing was written (a row written matched it).
    for i in 0..2 {
        w.push_sql(if i == 0 {
            "EXISTS (SELECT 1 FROM "
        } else {
            ", CASE WHEN EXISTS (SELECT 1 FROM "
        });
        w.push_ident(WRITTEN);
        w.push_sql(")");
    }
    w.push_sql(" THEN TRUE ELSE EXISTS (SELECT 1 FROM ");
    w.push_ident(table);
    w.scopes.push(vec![table]);
    w.push_filter(Some(probe));
    w.scopes.pop();
    w.push_sql(") END FROM (SELECT 1) AS ");
    w.push_ident("orm_one");
    w.push_sql(" LEFT JOIN ");
    w.push_ident(WRITTEN);
    w.push_sql(" ON TRUE");
    w.finish()
}

impl SqlWriter<'_> {
    fn push_update(&mut self, update: &UpdateStatement) {
        if update.assignments.is_empty() {
            self.fail(invalid(format!(
                "update of `{}` sets no column; call .set(..)",
                update.table
            )));
        }
        self.scopes.push(vec![update.table]);
        self.push_sql("UPDATE ");
        self.push_ident(update.table);
        self.push_sql(" SET ");
        self.push_assignments(&update.assignments);
        self.push_filter(update.filter.as_ref());
        self.push_returning(&update.returning);
        self.scopes.pop();
    }

    fn push_delete(&mut self, delete: &DeleteStatement) {
        self.scopes.push(vec![delete.table]);
        self.push_sql("DELETE FROM ");
        self.push_ident(delete.table);
        self.push_filter(delete.filter.as_ref());
        self.push_returning(&delete.returning);
        self.scopes.pop();
    }
}
