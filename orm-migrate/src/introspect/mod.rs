//! Reading a live database's schema into a [`Snapshot`]: tables, columns (type, nullability,
//! default, identity), primary keys, unique constraints, foreign keys with their actions,
//! checks and indexes (partial and expression ones included).

mod postgres;
mod sql_text;
mod sqlite;

use orm_core::Executor;
use orm_core::dialect::Dialect;
use orm_core::error::{Error, Result};
use orm_core::schema_def::{ColumnType, DefaultValue};
use orm_core::value::SqlType;
use rust_decimal::Decimal;

use crate::diff::normalize_sql;
use crate::snapshot::Snapshot;

/// Read every table of the database `db` reaches (on PostgreSQL, of its current schema),
/// except the tables named in `skip` (the migration history).
pub async fn introspect(db: impl Executor, skip: &[&str]) -> Result<Snapshot> {
    let mut snapshot = match db.dialect().name() {
        "sqlite" => sqlite::introspect(db).await?,
        "postgresql" => postgres::introspect(db).await?,
        other => {
            return Err(Error::Unsupported {
                feature: "introspection",
                backend: if other == "mysql" {
                    "mysql"
                } else {
                    "this backend"
                },
                reason: "orm reads SQLite and PostgreSQL schemas",
            });
        }
    };
    snapshot.tables.retain(|t| !skip.contains(&t.name.as_str()));
    Ok(snapshot)
}

/// A declared type as orm maps it: SQLite's declared type names and PostgreSQL's
/// `format_type` names (`character varying(40)`, `timestamp with time zone`).
pub(crate) fn parse_type(declared: &str) -> ColumnType {
    let text = declared.trim();
    // PostgreSQL's arrays: `bigint[]`, `double precision[]`.
    if let Some(element) = text.strip_suffix("[]") {
        return match parse_type(element) {
            ColumnType::Sql(ty) => ColumnType::parse(&format!("{}[]", ColumnType::Sql(ty).name()))
                .unwrap_or_else(|_| ColumnType::Raw(text.to_owned())),
            ColumnType::Raw(_) | ColumnType::Enum(_) => ColumnType::Raw(text.to_owned()),
        };
    }
    let lower = text.to_ascii_lowercase();
    let (base, args) = match lower.split_once('(') {
        Some((base, rest)) => (base.trim(), format!("({rest}")),
        None => (lower.as_str(), String::new()),
    };
    // The backends' names of orm's types, as orm's neutral names (see ColumnType::parse).
    let neutral = match base {
        "boolean" => "bool",
        "integer" | "int4" => "int",
        "int2" => "smallint",
        "int8" => "bigint",
        "float4" => "real",
        "double precision" | "float8" => "double",
        "character varying" | "nvarchar" | "nchar varying" => "varchar",
        "blob" | "bytea" => "bytes",
        "decimal" => "numeric",
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" | "datetime" => "timestamp",
        "time without time zone" => "time",
        "bytes" => return ColumnType::Raw(text.to_owned()),
        other => other,
    };
    ColumnType::parse(&format!("{neutral}{args}"))
        .ok()
        .filter(|ty| !matches!(ty, ColumnType::Raw(_)))
        .unwrap_or_else(|| ColumnType::Raw(text.to_owned()))
}

/// A default as the database wrote it back, read into the value orm would declare: a
/// literal, the current time, or raw SQL. On SQLite a decimal default is stored scaled
/// (`999` for 9.99 in a scale-2 column) and is read back unscaled.
pub(crate) fn parse_default(
    dialect: &dyn Dialect,
    text: &str,
    ty: &ColumnType,
) -> Option<DefaultValue> {
    let trimmed = text.trim();
    let sql_type = match ty {
        ColumnType::Sql(ty) => Some(*ty),
        ColumnType::Raw(_) | ColumnType::Enum(_) => None,
    };
    let normalized = normalize_sql(trimmed);
    if normalized == "null" {
        return None;
    }
    // The current time as orm writes it for the type. `now()` and `CURRENT_TIMESTAMP` are
    // that too where orm writes `CURRENT_TIMESTAMP` (PostgreSQL's timestamptz); on SQLite
    // orm writes its own clock (`orm_now(..)`, with microseconds), and `CURRENT_TIMESTAMP`
    // (whole seconds) is another default, kept as written.
    let now = normalize_sql(dialect.current_timestamp(sql_type.unwrap_or(SqlType::TimestampTz)));
    if normalized == now
        || (now == "current_timestamp"
            && (normalized == "current_timestamp" || normalized == "now()"))
    {
        return Some(DefaultValue::CurrentTimestamp);
    }
    if let (Some(SqlType::Numeric { scale, .. }), false) =
        (sql_type, dialect.capabilities().native_decimals)
        && let Ok(stored) = normalized.parse::<i64>()
    {
        return Some(DefaultValue::Sql(
            Decimal::new(stored, u32::from(scale)).to_string(),
        ));
    }
    if let Some(text) = string_literal(trimmed) {
        // PostgreSQL writes a negative number back quoted and cast (`-1` as `'-1'::integer`,
        // `-1.5` as `'-1.5'::numeric`): on a numeric column, that is the number.
        if trimmed.contains("::") {
            match sql_type {
                Some(SqlType::SmallInt | SqlType::Int | SqlType::BigInt) => {
                    if let Ok(n) = text.parse::<i64>() {
                        return Some(DefaultValue::Int(n));
                    }
                }
                Some(SqlType::Real | SqlType::Double | SqlType::Numeric { .. })
                    if text.parse::<f64>().is_ok_and(f64::is_finite) =>
                {
                    return Some(DefaultValue::Sql(text));
                }
                _ => {}
            }
        }
        return Some(DefaultValue::Str(text));
    }
    match (sql_type, normalized.as_str()) {
        (_, "true") => return Some(DefaultValue::Bool(true)),
        (_, "false") => return Some(DefaultValue::Bool(false)),
        (Some(SqlType::Bool), "1") => return Some(DefaultValue::Bool(true)),
        (Some(SqlType::Bool), "0") => return Some(DefaultValue::Bool(false)),
        _ => {}
    }
    let integer = matches!(
        sql_type,
        Some(SqlType::SmallInt | SqlType::Int | SqlType::BigInt)
    );
    if integer && let Ok(n) = normalized.parse::<i64>() {
        return Some(DefaultValue::Int(n));
    }
    let unwrapped = trimmed
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(trimmed);
    Some(DefaultValue::Sql(unwrapped.to_owned()))
}

/// The text of a string literal, `'it''s'` (with a PostgreSQL cast after it) read as
/// `it's`; `None` for anything else.
fn string_literal(text: &str) -> Option<String> {
    let rest = text.strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            if chars.peek() == Some(&'\'') {
                chars.next();
                out.push('\'');
                continue;
            }
            let tail: String = chars.collect();
            let tail = tail.trim();
            return (tail.is_empty() || tail.starts_with("::")).then_some(out);
        }
        out.push(c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_negative_numbers_read_as_numbers_on_numeric_columns() {
        let pg = &orm_postgres::PgDialect;
        let ty = |ty: SqlType| ColumnType::Sql(ty);
        let numeric = ty(SqlType::Numeric {
            precision: 10,
            scale: 2,
        });
        let cases = [
            ("'-1'::integer", ty(SqlType::Int), DefaultValue::Int(-1)),
            ("'-5'::integer", ty(SqlType::BigInt), DefaultValue::Int(-5)),
            ("'-1.5'::numeric", numeric, DefaultValue::Sql("-1.5".into())),
            (
                "'-2.5'::numeric",
                ty(SqlType::Double),
                DefaultValue::Sql("-2.5".into()),
            ),
            (
                "'-1'::text",
                ty(SqlType::Text),
                DefaultValue::Str("-1".into()),
            ),
            (
                "'x'::character varying",
                ty(SqlType::Varchar(3)),
                DefaultValue::Str("x".into()),
            ),
            (
                "'NaN'::numeric",
                ty(SqlType::Double),
                DefaultValue::Str("NaN".into()),
            ),
            ("3", ty(SqlType::SmallInt), DefaultValue::Int(3)),
        ];
        for (text, ty, expected) in cases {
            assert_eq!(parse_default(pg, text, &ty), Some(expected), "{text}");
        }
    }

    #[test]
    fn the_current_time_is_orms_only_where_orm_writes_it_so() {
        let (pg, sqlite) = (&orm_postgres::PgDialect, &orm_sqlite::SqliteDialect);
        let ty = |ty: SqlType| ColumnType::Sql(ty);
        let now = Some(DefaultValue::CurrentTimestamp);
        let tz = ty(SqlType::TimestampTz);
        assert_eq!(parse_default(pg, "now()", &tz), now);
        assert_eq!(parse_default(pg, "CURRENT_TIMESTAMP", &tz), now);
        assert_eq!(
            parse_default(
                pg,
                "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC'::text)",
                &ty(SqlType::Timestamp)
            ),
            now
        );
        assert_eq!(parse_default(sqlite, "orm_now(0)", &tz), now);
        assert_eq!(
            parse_default(sqlite, "(orm_now(1))", &ty(SqlType::Timestamp)),
            now
        );
        assert_eq!(
            parse_default(sqlite, "CURRENT_TIMESTAMP", &ty(SqlType::Timestamp)),
            Some(DefaultValue::Sql("CURRENT_TIMESTAMP".into()))
        );
        assert_eq!(
            parse_default(sqlite, "(CURRENT_TIMESTAMP)", &ty(SqlType::Text)),
            Some(DefaultValue::Sql("CURRENT_TIMESTAMP".into()))
        );
    }
}
