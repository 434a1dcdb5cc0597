//! DDL rendering: `CREATE TABLE` with every constraint and index, and `DROP TABLE`.

use crate::dialect::Dialect;
use crate::error::Result;
use crate::meta::{ColumnDefault, Generated, TableMeta};
use crate::statement::Statement;

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
