//! The one renderer: walks the statement AST once, writing SQL text through
//! [`SqlWriter::push_sql`], [`SqlWriter::push_ident`] and [`SqlWriter::push_bind`]; the
//! [`Dialect`] supplies what differs.

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::expr::{BinaryOp, Expr};
use crate::meta::{ColumnDefault, Generated, TableMeta};
use crate::statement::{
    DeleteStatement, InsertStatement, SelectStatement, Statement, UpdateStatement,
};
use crate::value::Value;

/// Accumulates SQL text and binds for one statement.
pub struct SqlWriter<'d> {
    dialect: &'d dyn Dialect,
    sql: String,
    binds: Vec<Value>,
}

impl<'d> SqlWriter<'d> {
    /// An empty writer for `dialect`.
    pub fn new(dialect: &'d dyn Dialect) -> Self {
        SqlWriter {
            dialect,
            sql: String::with_capacity(128),
            binds: Vec::new(),
        }
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
        self.binds.push(value);
        self.dialect
            .write_placeholder(&mut self.sql, self.binds.len());
    }

    /// The finished statement.
    pub fn finish(self) -> Statement {
        Statement {
            sql: self.sql.into(),
            binds: self.binds,
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

    /// Append an expression.
    pub fn push_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Column { table, name } => {
                self.push_ident(table);
                self.push_sql(".");
                self.push_ident(name);
            }
            Expr::Value(value) => self.push_bind(value.clone()),
            Expr::Binary { op, lhs, rhs } => {
                let parens = matches!(op, BinaryOp::And | BinaryOp::Or);
                if parens {
                    self.push_sql("(");
                }
                self.push_expr(lhs);
                self.push_sql(" ");
                self.push_sql(op.sql());
                self.push_sql(" ");
                self.push_expr(rhs);
                if parens {
                    self.push_sql(")");
                }
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
            } => {
                self.push_expr(expr);
                self.push_sql(if *negated { " NOT LIKE " } else { " LIKE " });
                self.push_expr(pattern);
                self.push_sql(" ESCAPE '\\'");
            }
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
                self.push_expr(expr);
                self.push_sql(if *negated { " NOT IN (" } else { " IN (" });
                for (i, item) in list.iter().enumerate() {
                    if i > 0 {
                        self.push_sql(", ");
                    }
                    self.push_expr(item);
                }
                self.push_sql(")");
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
            Expr::CurrentTimestamp(ty) => {
                let now = self.dialect.current_timestamp(*ty);
                self.push_sql(now);
            }
        }
    }

    fn push_filter(&mut self, filter: Option<&Expr>) {
        if let Some(filter) = filter {
            self.push_sql(" WHERE ");
            self.push_expr(filter);
        }
    }

    fn push_returning(&mut self, returning: &[&str]) -> Result<()> {
        if returning.is_empty() {
            return Ok(());
        }
        if !self.dialect.capabilities().returning {
            return Err(Error::Unsupported {
                feature: "RETURNING",
                backend: self.dialect.name(),
            });
        }
        self.push_sql(" RETURNING ");
        self.push_idents(returning);
        Ok(())
    }

    fn push_select_body(&mut self, select: &SelectStatement) {
        self.push_sql("SELECT ");
        if select.columns.is_empty() {
            self.push_sql("1");
        }
        for (i, column) in select.columns.iter().enumerate() {
            if i > 0 {
                self.push_sql(", ");
            }
            self.push_expr(column);
        }
        self.push_sql(" FROM ");
        self.push_ident(select.table);
        self.push_filter(select.filter.as_ref());
        for (i, order) in select.order_by.iter().enumerate() {
            self.push_sql(if i == 0 { " ORDER BY " } else { ", " });
            self.push_expr(&order.expr);
            if order.descending {
                self.push_sql(" DESC");
            }
        }
        let limit = select.limit.map(|n| self.placeholder_for(n));
        let offset = select.offset.map(|n| self.placeholder_for(n));
        self.dialect
            .write_limit_offset(&mut self.sql, limit.as_deref(), offset.as_deref());
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

/// Render a `SELECT`.
pub fn select(dialect: &dyn Dialect, select: &SelectStatement) -> Statement {
    let mut w = SqlWriter::new(dialect);
    w.push_select_body(select);
    w.finish()
}

/// Render `SELECT COUNT(*)` over the rows `select` would return.
pub fn count(dialect: &dyn Dialect, select: &SelectStatement) -> Statement {
    let mut w = SqlWriter::new(dialect);
    if select.limit.is_some() || select.offset.is_some() {
        w.push_sql("SELECT COUNT(*) FROM (");
        w.push_select_body(select);
        w.push_sql(") AS ");
        w.push_ident("counted");
    } else {
        w.push_sql("SELECT COUNT(*) FROM ");
        w.push_ident(select.table);
        w.push_filter(select.filter.as_ref());
    }
    w.finish()
}

/// Render `SELECT EXISTS (...)` over `select`.
pub fn exists(dialect: &dyn Dialect, select: &SelectStatement) -> Statement {
    let mut w = SqlWriter::new(dialect);
    w.push_sql("SELECT EXISTS (");
    w.push_select_body(select);
    w.push_sql(")");
    w.finish()
}

/// Render an `INSERT` of one or more rows, moving the row values into the binds.
pub fn insert(dialect: &dyn Dialect, insert: InsertStatement) -> Result<Statement> {
    let mut w = SqlWriter::new(dialect);
    w.push_sql("INSERT INTO ");
    w.push_ident(insert.table);
    let width = insert.columns.len();
    if width == 0 {
        w.push_sql(" DEFAULT VALUES");
    } else {
        if insert.values.is_empty() || !insert.values.len().is_multiple_of(width) {
            return Err(Error::InvalidStatement {
                message: format!(
                    "insert into `{}`: {} values do not make whole rows of {width} columns",
                    insert.table,
                    insert.values.len()
                ),
            });
        }
        w.push_sql(" (");
        w.push_idents(&insert.columns);
        w.push_sql(") VALUES ");
        // Placeholders by position, then the row values become the binds in one move (a bulk
        // insert has tens of thousands of them).
        let first = w.binds.len();
        w.sql.reserve(insert.values.len() * 6);
        for i in 0..insert.values.len() {
            w.push_sql(match (i, i % width) {
                (0, _) => "(",
                (_, 0) => "), (",
                _ => ", ",
            });
            w.dialect.write_placeholder(&mut w.sql, first + i + 1);
        }
        w.binds.extend(insert.values);
        w.push_sql(")");
    }
    w.push_returning(&insert.returning)?;
    Ok(w.finish())
}

/// Render an `UPDATE`.
pub fn update(dialect: &dyn Dialect, update: &UpdateStatement) -> Result<Statement> {
    if update.assignments.is_empty() {
        return Err(Error::InvalidStatement {
            message: format!("update of `{}` sets no column; call .set(..)", update.table),
        });
    }
    let mut w = SqlWriter::new(dialect);
    w.push_sql("UPDATE ");
    w.push_ident(update.table);
    w.push_sql(" SET ");
    for (i, (column, value)) in update.assignments.iter().enumerate() {
        if i > 0 {
            w.push_sql(", ");
        }
        w.push_ident(column);
        w.push_sql(" = ");
        w.push_expr(value);
    }
    w.push_filter(update.filter.as_ref());
    w.push_returning(&update.returning)?;
    Ok(w.finish())
}

/// Render a `DELETE`.
pub fn delete(dialect: &dyn Dialect, delete: &DeleteStatement) -> Result<Statement> {
    let mut w = SqlWriter::new(dialect);
    w.push_sql("DELETE FROM ");
    w.push_ident(delete.table);
    w.push_filter(delete.filter.as_ref());
    w.push_returning(&delete.returning)?;
    Ok(w.finish())
}

fn push_literal_string(out: &mut String, text: &str) {
    out.push('\'');
    for ch in text.chars() {
        if ch == '\'' {
            out.push('\'');
        }
        out.push(ch);
    }
    out.push('\'');
}

/// Render `CREATE TABLE IF NOT EXISTS` and the `CREATE INDEX` statements for `table`.
pub fn create_table(dialect: &dyn Dialect, table: &TableMeta) -> Result<Vec<Statement>> {
    let mut sql = String::from("CREATE TABLE IF NOT EXISTS ");
    dialect.write_ident(&mut sql, table.name);
    sql.push_str(" (");
    let inline_key = dialect.inline_autoincrement_key() && table.has_autoincrement_key();
    for (i, column) in table.columns.iter().enumerate() {
        sql.push_str(if i == 0 { "\n  " } else { ",\n  " });
        dialect.write_ident(&mut sql, column.name);
        sql.push(' ');
        sql.push_str(&dialect.column_type(column)?);
        if column.generated == Generated::AutoIncrement && inline_key {
            continue;
        }
        if !column.nullable {
            sql.push_str(" NOT NULL");
        }
        if let Some(default) = &column.default {
            sql.push_str(" DEFAULT ");
            match default {
                ColumnDefault::Bool(b) => sql.push_str(dialect.bool_literal(*b)),
                ColumnDefault::Int(n) => sql.push_str(&n.to_string()),
                ColumnDefault::Float(x) => sql.push_str(&format!("{x:?}")),
                ColumnDefault::Str(s) => push_literal_string(&mut sql, s),
                ColumnDefault::Sql(raw) => {
                    sql.push('(');
                    sql.push_str(raw);
                    sql.push(')');
                }
                ColumnDefault::CurrentTimestamp => {
                    sql.push('(');
                    sql.push_str(dialect.current_timestamp(column.ty));
                    sql.push(')');
                }
            }
        }
    }
    let constraint = |sql: &mut String, name: &str| {
        sql.push_str(",\n  CONSTRAINT ");
        dialect.write_ident(sql, name);
    };
    let idents = |sql: &mut String, names: &[&str]| {
        sql.push_str(" (");
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            dialect.write_ident(sql, name);
        }
        sql.push(')');
    };
    if !inline_key && !table.primary_key.is_empty() {
        constraint(&mut sql, &format!("{}_pkey", table.name));
        sql.push_str(" PRIMARY KEY");
        idents(&mut sql, table.primary_key);
    }
    for column in table.columns.iter().filter(|c| c.unique) {
        constraint(&mut sql, &format!("{}_{}_key", table.name, column.name));
        sql.push_str(" UNIQUE");
        idents(&mut sql, &[column.name]);
    }
    for fk in table.foreign_keys {
        constraint(&mut sql, fk.name);
        sql.push_str(" FOREIGN KEY");
        idents(&mut sql, fk.columns);
        sql.push_str(" REFERENCES ");
        dialect.write_ident(&mut sql, fk.target().name);
        idents(&mut sql, fk.target_columns());
        sql.push_str(" ON DELETE ");
        sql.push_str(fk.on_delete.sql());
        sql.push_str(" ON UPDATE ");
        sql.push_str(fk.on_update.sql());
    }
    for check in table.checks {
        constraint(&mut sql, check.name);
        sql.push_str(" CHECK (");
        sql.push_str(check.expr);
        sql.push(')');
    }
    sql.push_str("\n)");
    let mut statements = vec![Statement::new(sql)];
    for index in table.indexes {
        let mut sql = String::from(if index.unique {
            "CREATE UNIQUE INDEX IF NOT EXISTS "
        } else {
            "CREATE INDEX IF NOT EXISTS "
        });
        dialect.write_ident(&mut sql, index.name);
        sql.push_str(" ON ");
        dialect.write_ident(&mut sql, table.name);
        idents(&mut sql, index.columns);
        statements.push(Statement::new(sql));
    }
    Ok(statements)
}

/// Render `DROP TABLE IF EXISTS`.
pub fn drop_table(dialect: &dyn Dialect, table: &TableMeta) -> Statement {
    let mut sql = String::from("DROP TABLE IF EXISTS ");
    dialect.write_ident(&mut sql, table.name);
    Statement::new(sql)
}
