//! DDL rendering: `CREATE TABLE` with every constraint and index, and `DROP TABLE`.

use crate::dialect::Dialect;
use rust_decimal::Decimal;

use crate::constraint::check_columns;
use crate::error::{Error, Result};
use crate::meta::{ColumnDefault, ColumnMeta, Generated, TableMeta};
use crate::statement::Statement;
use crate::value::DecimalScale;

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

fn push_default(
    sql: &mut String,
    dialect: &dyn Dialect,
    column: &ColumnMeta,
    default: &ColumnDefault,
) {
    match default {
        ColumnDefault::Bool(b) => sql.push_str(dialect.bool_literal(*b)),
        ColumnDefault::Int(n) => sql.push_str(&n.to_string()),
        ColumnDefault::Float(x) => sql.push_str(&format!("{x:?}")),
        ColumnDefault::Str(s) => push_literal_string(sql, s),
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

/// The default of a decimal column where decimals are scaled integers (SQLite): the literal
/// `9.99` of a `NUMERIC(p, 2)` is stored as `999`. A default that is not a decimal number
/// (an SQL expression) is refused there: it would compute with the scaled integers.
fn scaled_decimal_default(dialect: &dyn Dialect, column: &ColumnMeta) -> Result<Option<String>> {
    let (Some(DecimalScale::Fixed(scale)), false) = (
        column.ty.decimal_scale(),
        dialect.capabilities().native_decimals,
    ) else {
        return Ok(None);
    };
    let literal = match column.default {
        Some(ColumnDefault::Int(n)) => Decimal::from(n),
        Some(ColumnDefault::Sql(raw)) => {
            Decimal::from_str_exact(raw.trim()).map_err(|_| Error::Unsupported {
                feature: "a server_default that is an SQL expression on a Decimal column",
                backend: dialect.name(),
                reason: "decimals are stored as scaled integers there; give the default as a \
                         number, e.g. server_default = \"9.99\"",
            })?
        }
        _ => return Ok(None),
    };
    let mut scaled = literal;
    scaled.rescale(u32::from(scale));
    if scaled != literal {
        return Err(Error::InvalidSchema {
            message: format!(
                "the default {literal} of `{}` has more decimals than its scale {scale}",
                column.name
            ),
        });
    }
    Ok(Some(scaled.mantissa().to_string()))
}

/// Where decimals are scaled integers (SQLite), raw SQL over a decimal column computes with
/// the stored integer (`balance <= 100` would compare `5000` for 50.00): refused, pointing
/// to the typed check, which is rendered with the dialect's decimal rules. An expression
/// whose columns orm cannot read ([`check_columns`] says `None`) is refused too on a table
/// with decimal columns, since it may use one.
fn refuse_raw_decimal_check(
    dialect: &dyn Dialect,
    table: &TableMeta,
    name: &str,
    expr: &str,
) -> Result<()> {
    if dialect.capabilities().native_decimals {
        return Ok(());
    }
    let is_decimal = |column: &ColumnMeta| column.ty.decimal_scale().is_some();
    let decimal = match check_columns(table, expr) {
        Some(columns) => columns
            .iter()
            .find_map(|c| table.column(c).filter(|column| is_decimal(column))),
        None => table.columns.iter().find(|column| is_decimal(column)),
    };
    match decimal {
        None => Ok(()),
        Some(column) => Err(Error::InvalidSchema {
            message: format!(
                "the raw check `{name}` of `{}` may use the Decimal column `{}`, which {} \
                 stores as a scaled integer, so the raw SQL would compare the stored integer: \
                 write it as a typed check, e.g. check(name = \"{name}\", condition = \
                 Model::{}.ge(Decimal::ZERO)), which means the same on every backend",
                table.name,
                column.name,
                dialect.name(),
                column.field,
            ),
        }),
    }
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
            match scaled_decimal_default(dialect, column)? {
                Some(scaled) => sql.push_str(&scaled),
                None => push_default(&mut sql, dialect, column, default),
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
        constraint(&mut sql, table.primary_key_name);
        sql.push_str(" PRIMARY KEY");
        idents(&mut sql, table.primary_key);
    }
    for column in table.columns {
        let Some(name) = column.unique else { continue };
        constraint(&mut sql, name);
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
        match check.condition {
            Some(condition) => {
                sql.push_str(&crate::render::check_condition(
                    dialect,
                    condition().expr(),
                )?);
            }
            None => {
                refuse_raw_decimal_check(dialect, table, check.name, check.expr)?;
                sql.push_str(check.expr);
            }
        }
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
        if index.ignore_deleted {
            let Some(deleted_at) = table.soft_delete else {
                return Err(Error::InvalidSchema {
                    message: format!(
                        "the index `{}` of `{}` ignores deleted rows, but the table has no \
                         soft-delete column",
                        index.name, table.name
                    ),
                });
            };
            sql.push_str(" WHERE ");
            dialect.write_ident(&mut sql, deleted_at);
            sql.push_str(" IS NULL");
        }
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
