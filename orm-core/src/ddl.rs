//! DDL rendering from [`TableDef`]s: `CREATE TABLE` with every constraint, `CREATE INDEX`,
//! `DROP TABLE`, and the column and constraint clauses that migrations reuse.

use rust_decimal::Decimal;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::meta::{AutoTimestamp, ColumnMeta, Generated, TableMeta};
use crate::schema_def::{
    CheckDef, ColumnDef, ColumnType, DefaultValue, EnumDef, ForeignKeyDef, IndexDef, KeyDef,
    TableDef,
};
use crate::statement::Statement;
use crate::value::{DecimalScale, SqlType};

/// Write `text` as an SQL string literal (`'it''s'`).
pub fn push_literal_string(out: &mut String, text: &str) {
    out.push('\'');
    for ch in text.chars() {
        if ch == '\'' {
            out.push('\'');
        }
        out.push(ch);
    }
    out.push('\'');
}

/// `text` as an SQL string literal (`'it''s'`).
pub fn literal_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_literal_string(&mut out, text);
    out
}

/// Write `('a', 'b')`: string literals in parentheses.
pub(crate) fn push_literal_list<S: AsRef<str>>(out: &mut String, values: &[S]) {
    out.push('(');
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_literal_string(out, value.as_ref());
    }
    out.push(')');
}

/// Write `names` as a parenthesised list of quoted identifiers.
pub fn push_idents(dialect: &dyn Dialect, sql: &mut String, names: &[String]) {
    sql.push_str(" (");
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        dialect.write_ident(sql, name);
    }
    sql.push(')');
}

/// The type of `column` in `dialect`, identity clause included.
pub fn column_type_sql(dialect: &dyn Dialect, column: &ColumnDef) -> Result<String> {
    match &column.ty {
        ColumnType::Raw(raw) => Ok(raw.clone()),
        ColumnType::Enum(def) if dialect.native_enums() => {
            let mut sql = String::new();
            dialect.write_ident(&mut sql, &def.name);
            Ok(sql)
        }
        ColumnType::Enum(_) => Ok("TEXT".to_owned()),
        ColumnType::Sql(ty) => {
            let meta = ColumnMeta {
                name: "",
                field: "",
                ty: *ty,
                nullable: column.nullable,
                primary_key: false,
                unique: None,
                generated: if column.identity {
                    Generated::AutoIncrement
                } else {
                    Generated::No
                },
                default: None,
                auto_timestamp: AutoTimestamp::No,
                values: &[],
                rules: &[],
            };
            if let SqlType::Numeric { precision: 0, .. } = ty {
                return Err(Error::InvalidStatement {
                    message: format!(
                        "the Decimal column `{}` needs #[orm(numeric(precision, scale))]",
                        column.name
                    ),
                });
            }
            dialect.column_type(&meta)
        }
    }
}

/// The `DEFAULT` expression of `column` in `dialect`, if it has one. Where decimals are
/// scaled integers (SQLite) the literal `9.99` of a `NUMERIC(p, 2)` is written `999`, and a
/// default that is not a decimal number (an SQL expression) is refused: it would compute
/// with the scaled integers.
pub fn default_sql(dialect: &dyn Dialect, column: &ColumnDef) -> Result<Option<String>> {
    let Some(default) = &column.default else {
        return Ok(None);
    };
    let ty = match &column.ty {
        ColumnType::Sql(ty) => Some(*ty),
        ColumnType::Raw(_) | ColumnType::Enum(_) => None,
    };
    if let Some(scaled) = scaled_decimal_default(dialect, column, ty, default)? {
        return Ok(Some(scaled));
    }
    let mut sql = String::new();
    match default {
        DefaultValue::Bool(b) => sql.push_str(dialect.bool_literal(*b)),
        DefaultValue::Int(n) => sql.push_str(&n.to_string()),
        DefaultValue::Float(x) => sql.push_str(&format!("{x:?}")),
        DefaultValue::Str(s) => push_literal_string(&mut sql, s),
        DefaultValue::Sql(raw) => {
            sql.push('(');
            sql.push_str(raw);
            sql.push(')');
        }
        DefaultValue::CurrentTimestamp => {
            sql.push('(');
            sql.push_str(dialect.current_timestamp(ty.unwrap_or(SqlType::TimestampTz)));
            sql.push(')');
        }
    }
    Ok(Some(sql))
}

fn scaled_decimal_default(
    dialect: &dyn Dialect,
    column: &ColumnDef,
    ty: Option<SqlType>,
    default: &DefaultValue,
) -> Result<Option<String>> {
    let (Some(DecimalScale::Fixed(scale)), false) = (
        ty.and_then(SqlType::decimal_scale),
        dialect.capabilities().native_decimals,
    ) else {
        return Ok(None);
    };
    let literal = match default {
        DefaultValue::Int(n) => Decimal::from(*n),
        DefaultValue::Sql(raw) => {
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

/// `"name" TYPE [NOT NULL] [DEFAULT ..]`: a column of `CREATE TABLE` or `ADD COLUMN`. An
/// identity key inlined in its type (SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT`) takes
/// nothing after it.
pub fn column_sql(dialect: &dyn Dialect, column: &ColumnDef) -> Result<String> {
    let mut sql = String::new();
    dialect.write_ident(&mut sql, &column.name);
    sql.push(' ');
    sql.push_str(&column_type_sql(dialect, column)?);
    if column.identity && dialect.inline_autoincrement_key() {
        return Ok(sql);
    }
    if !column.nullable {
        sql.push_str(" NOT NULL");
    }
    if let Some(default) = default_sql(dialect, column)? {
        sql.push_str(" DEFAULT ");
        sql.push_str(&default);
    }
    Ok(sql)
}

/// `CREATE TYPE "name" AS ENUM ('a', 'b')`.
pub fn create_enum_sql(dialect: &dyn Dialect, def: &EnumDef) -> String {
    let mut sql = String::from("CREATE TYPE ");
    dialect.write_ident(&mut sql, &def.name);
    sql.push_str(" AS ENUM ");
    push_literal_list(&mut sql, &def.values);
    sql
}

fn push_constraint_name(dialect: &dyn Dialect, sql: &mut String, name: Option<&str>) {
    if let Some(name) = name {
        sql.push_str("CONSTRAINT ");
        dialect.write_ident(sql, name);
        sql.push(' ');
    }
}

/// `CONSTRAINT "name" PRIMARY KEY (..)`.
pub fn primary_key_sql(dialect: &dyn Dialect, key: &KeyDef) -> String {
    let mut sql = String::new();
    push_constraint_name(dialect, &mut sql, key.name.as_deref());
    sql.push_str("PRIMARY KEY");
    push_idents(dialect, &mut sql, &key.columns);
    sql
}

/// `CONSTRAINT "name" UNIQUE (..)`.
pub fn unique_sql(dialect: &dyn Dialect, key: &KeyDef) -> String {
    let mut sql = String::new();
    push_constraint_name(dialect, &mut sql, key.name.as_deref());
    sql.push_str("UNIQUE");
    push_idents(dialect, &mut sql, &key.columns);
    sql
}

/// `CONSTRAINT "name" FOREIGN KEY (..) REFERENCES "t" (..) ON DELETE .. ON UPDATE ..`.
pub fn foreign_key_sql(dialect: &dyn Dialect, fk: &ForeignKeyDef) -> String {
    let mut sql = String::new();
    push_constraint_name(dialect, &mut sql, fk.name.as_deref());
    sql.push_str("FOREIGN KEY");
    push_idents(dialect, &mut sql, &fk.columns);
    sql.push_str(" REFERENCES ");
    dialect.write_ident(&mut sql, &fk.references);
    push_idents(dialect, &mut sql, &fk.referenced_columns);
    sql.push_str(" ON DELETE ");
    sql.push_str(fk.on_delete.sql());
    sql.push_str(" ON UPDATE ");
    sql.push_str(fk.on_update.sql());
    sql
}

/// `CONSTRAINT "name" CHECK (..)`.
pub fn check_sql(dialect: &dyn Dialect, check: &CheckDef) -> Result<String> {
    let mut sql = String::new();
    push_constraint_name(dialect, &mut sql, Some(&check.name));
    sql.push_str("CHECK (");
    sql.push_str(check.sql_for(dialect)?);
    sql.push(')');
    Ok(sql)
}

/// An index key as written: a column (quoted), or an expression in parentheses (as
/// written), with its ` DESC` / ` ASC` if any.
fn push_index_key(dialect: &dyn Dialect, sql: &mut String, key: &str) {
    let (body, order) = split_key_order(key);
    if body.starts_with('(') {
        sql.push_str(body);
    } else {
        dialect.write_ident(sql, body);
    }
    if let Some(order) = order {
        sql.push(' ');
        sql.push_str(order);
    }
}

/// An index key and its direction: `("created_at", Some("DESC"))`.
pub fn split_key_order(key: &str) -> (&str, Option<&'static str>) {
    let trimmed = key.trim();
    for (suffix, order) in [
        (" DESC", "DESC"),
        (" desc", "DESC"),
        (" ASC", "ASC"),
        (" asc", "ASC"),
    ] {
        if let Some(body) = trimmed.strip_suffix(suffix) {
            return (body.trim_end(), Some(order));
        }
    }
    (trimmed, None)
}

/// `CREATE [UNIQUE] INDEX "name" ON "table" [USING method] (..) [INCLUDE (..)] [WHERE ..]`
/// (the method and `INCLUDE` where the dialect has them: elsewhere a B-tree of the keys).
pub fn create_index(
    dialect: &dyn Dialect,
    table: &str,
    index: &IndexDef,
    if_not_exists: bool,
) -> Statement {
    let mut sql = String::from(if index.unique {
        "CREATE UNIQUE INDEX "
    } else {
        "CREATE INDEX "
    });
    if if_not_exists {
        sql.push_str("IF NOT EXISTS ");
    }
    dialect.write_ident(&mut sql, &index.name);
    sql.push_str(" ON ");
    dialect.write_ident(&mut sql, table);
    let methods = dialect.capabilities().index_methods;
    if let Some(method) = index.method.as_deref().filter(|_| methods) {
        sql.push_str(" USING ");
        sql.push_str(method);
    }
    sql.push_str(" (");
    for (i, key) in index.columns.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        push_index_key(dialect, &mut sql, key);
    }
    sql.push(')');
    if methods && !index.include.is_empty() {
        sql.push_str(" INCLUDE");
        push_idents(dialect, &mut sql, &index.include);
    }
    if let Some(predicate) = &index.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(predicate);
    }
    Statement::new(sql)
}

/// `CREATE TABLE` with every column and constraint of `table` (without its indexes).
pub fn create_table_sql(
    dialect: &dyn Dialect,
    table: &TableDef,
    if_not_exists: bool,
) -> Result<String> {
    let mut sql = String::from(if if_not_exists {
        "CREATE TABLE IF NOT EXISTS "
    } else {
        "CREATE TABLE "
    });
    dialect.write_ident(&mut sql, &table.name);
    sql.push_str(" (");
    let mut parts = Vec::new();
    for column in &table.columns {
        parts.push(column_sql(dialect, column)?);
    }
    let identity = table.columns.iter().find(|c| c.identity);
    let inline_key = dialect.inline_autoincrement_key() && identity.is_some();
    if let (true, Some(identity)) = (inline_key, identity) {
        let key = table.primary_key.as_ref().map(|k| k.columns.as_slice());
        if key != Some(std::slice::from_ref(&identity.name)) {
            return Err(Error::Unsupported {
                feature: "a generated key column that is not the whole primary key",
                backend: dialect.name(),
                reason: "a generated integer key is the table's one-column INTEGER PRIMARY \
                         KEY there",
            });
        }
    }
    if let Some(key) = table.primary_key.as_ref().filter(|_| !inline_key) {
        parts.push(primary_key_sql(dialect, key));
    }
    parts.extend(table.uniques.iter().map(|key| unique_sql(dialect, key)));
    parts.extend(
        table
            .foreign_keys
            .iter()
            .map(|fk| foreign_key_sql(dialect, fk)),
    );
    for check in table.checks.iter().filter(|c| c.exists_on(dialect)) {
        parts.push(check_sql(dialect, check)?);
    }
    for (i, part) in parts.iter().enumerate() {
        sql.push_str(if i == 0 { "\n  " } else { ",\n  " });
        sql.push_str(part);
    }
    sql.push_str("\n)");
    Ok(sql)
}

/// `CREATE TABLE` then its `CREATE INDEX` statements.
pub fn create_table_def(
    dialect: &dyn Dialect,
    table: &TableDef,
    if_not_exists: bool,
) -> Result<Vec<Statement>> {
    let mut statements = vec![Statement::new(create_table_sql(
        dialect,
        table,
        if_not_exists,
    )?)];
    statements.extend(
        table
            .indexes
            .iter()
            .map(|index| create_index(dialect, &table.name, index, if_not_exists)),
    );
    Ok(statements)
}

/// Render `CREATE TABLE IF NOT EXISTS` and the `CREATE INDEX IF NOT EXISTS` statements for a
/// model's table.
pub fn create_table(dialect: &dyn Dialect, table: &TableMeta) -> Result<Vec<Statement>> {
    create_table_def(dialect, &TableDef::from_meta(table, &[dialect])?, true)
}

/// Render `DROP TABLE IF EXISTS`.
pub fn drop_table(dialect: &dyn Dialect, table: &TableMeta) -> Statement {
    let mut sql = String::from("DROP TABLE IF EXISTS ");
    dialect.write_ident(&mut sql, table.name);
    Statement::new(sql)
}
