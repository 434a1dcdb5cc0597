use std::borrow::Cow;

use orm_core::dialect::{JsonFunctions, undeclared_numeric};
use orm_core::error::{Error, Result};
use orm_core::expr::{DatePart, DateUnit};
use orm_core::meta::{ColumnMeta, Generated};
use orm_core::{Capabilities, Dialect, SqlType, Value};

/// SQLite's SQL dialect.
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteDialect;

static CAPABILITIES: Capabilities = Capabilities {
    returning: true,
    max_binds: 32_766,
    max_numeric_precision: 18,
    ilike: false,
    distinct_on: false,
    row_locks: false,
    native_decimals: false,
    writable_cte: false,
    index_methods: false,
};

/// chrono formats of the text orm stores for zone-less timestamps, dates and times (a
/// `DateTime<Utc>` is the timestamp text followed by `Z`).
pub(crate) const NAIVE_DATETIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6f";
pub(crate) const DATE_FORMAT: &str = "%Y-%m-%d";
pub(crate) const TIME_FORMAT: &str = "%H:%M:%S%.6f";

impl Dialect for SqliteDialect {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn id(&self) -> usize {
        0
    }

    fn capabilities(&self) -> &'static Capabilities {
        &CAPABILITIES
    }

    /// A list binds as one JSON array read back with `json_each` (blobs as hex, turned back
    /// with `unhex`), except floating-point values, which JSON text cannot carry exactly
    /// through SQLite's number parser: those bind one by one.
    fn list_parameter(
        &self,
        element: &Value,
        negated: bool,
    ) -> Option<(&'static str, &'static str)> {
        let blob = match element {
            Value::F32(_) | Value::F64(_) | Value::List(_) | Value::Unencodable(_) => {
                return None;
            }
            Value::Bytes(_) | Value::Uuid(_) => true,
            _ => false,
        };
        Some(match (negated, blob) {
            (false, false) => (" IN (SELECT value FROM json_each(", "))"),
            (true, false) => (" NOT IN (SELECT value FROM json_each(", "))"),
            (false, true) => (" IN (SELECT unhex(value) FROM json_each(", "))"),
            (true, true) => (" NOT IN (SELECT unhex(value) FROM json_each(", "))"),
        })
    }

    fn write_placeholder(&self, out: &mut String, _index: usize) {
        out.push('?');
    }

    fn column_type(&self, column: &ColumnMeta) -> Result<String> {
        if column.generated == Generated::AutoIncrement {
            return Ok("INTEGER PRIMARY KEY AUTOINCREMENT".to_owned());
        }
        Ok(match column.ty {
            SqlType::Bool => "BOOLEAN".into(),
            SqlType::SmallInt => "SMALLINT".into(),
            SqlType::Int => "INTEGER".into(),
            SqlType::BigInt => "BIGINT".into(),
            SqlType::Real => "REAL".into(),
            SqlType::Double => "DOUBLE".into(),
            SqlType::Text => "TEXT".into(),
            SqlType::Varchar(n) => format!("VARCHAR({n})"),
            SqlType::Bytes => "BLOB".into(),
            SqlType::Numeric { precision: 0, .. } => return Err(undeclared_numeric(column)),
            SqlType::Numeric { precision, scale } => {
                if precision > CAPABILITIES.max_numeric_precision {
                    return Err(Error::Unsupported {
                        feature: "a NUMERIC precision above 18",
                        backend: "sqlite",
                        reason: "decimals are stored there as scaled 64-bit integers, which \
                                 hold 18 digits",
                    });
                }
                format!("NUMERIC({precision}, {scale})")
            }
            SqlType::TimestampTz => "TIMESTAMPTZ".into(),
            SqlType::Timestamp => "TIMESTAMP".into(),
            SqlType::Date => "DATE".into(),
            SqlType::Time => "TIME".into(),
            SqlType::Uuid => "BLOB".into(),
            // An array is a JSON array, read with orm's JSON functions.
            SqlType::Json | SqlType::Jsonb | SqlType::Array(_) => "TEXT".into(),
            _ => {
                return Err(Error::Unsupported {
                    feature: "this column type",
                    backend: "sqlite",
                    reason: "orm has no storage for it there",
                });
            }
        })
    }

    fn inline_autoincrement_key(&self) -> bool {
        true
    }

    fn bool_literal(&self, value: bool) -> &'static str {
        if value { "1" } else { "0" }
    }

    /// The statement's time from orm's clock (`orm_now`, with microseconds, as PostgreSQL
    /// keeps them), in the text orm stores for the type.
    fn current_timestamp(&self, ty: SqlType) -> &'static str {
        match ty {
            SqlType::Timestamp => "orm_now(1)",
            SqlType::Time => "orm_now(2)",
            SqlType::Date => "orm_now(3)",
            _ => "orm_now(0)",
        }
    }

    fn cast_type(&self, ty: SqlType) -> Result<Cow<'static, str>> {
        Ok(Cow::Borrowed(match ty {
            SqlType::Bool | SqlType::SmallInt | SqlType::Int | SqlType::BigInt => "INTEGER",
            SqlType::Real | SqlType::Double => "REAL",
            SqlType::Text | SqlType::Varchar(_) | SqlType::Json | SqlType::Jsonb => "TEXT",
            SqlType::Bytes => "BLOB",
            _ => {
                return Err(Error::Unsupported {
                    feature: "this CAST",
                    backend: "sqlite",
                    reason: "orm stores timestamps, dates, times, UUIDs and decimals in its own \
                             formats there, which a plain CAST cannot produce; convert in Rust",
                });
            }
        }))
    }

    fn date_trunc(&self, unit: DateUnit, ty: SqlType) -> Result<(String, &'static str)> {
        let format = match unit {
            DateUnit::Year => "%Y-01-01T00:00:00.000000",
            DateUnit::Month => "%Y-%m-01T00:00:00.000000",
            DateUnit::Day => "%Y-%m-%dT00:00:00.000000",
            DateUnit::Hour => "%Y-%m-%dT%H:00:00.000000",
            DateUnit::Minute => "%Y-%m-%dT%H:%M:00.000000",
        };
        let zone = match ty {
            SqlType::TimestampTz => "Z",
            SqlType::Timestamp => "",
            _ => {
                return Err(Error::Unsupported {
                    feature: "date_trunc on anything but a timestamp",
                    backend: "sqlite",
                    reason: "it truncates timestamps only",
                });
            }
        };
        Ok((format!("strftime('{format}{zone}', "), ")"))
    }

    /// `strftime` over the stored ISO-8601 text (UTC); the epoch of a timestamp is the
    /// decimal of scale 6 as a scaled integer: whole seconds times 10^6 plus the stored
    /// microseconds.
    fn date_part(&self, part: DatePart, ty: SqlType) -> Result<String> {
        let timestamp = match ty {
            SqlType::TimestampTz | SqlType::Timestamp => true,
            SqlType::Date => false,
            _ => {
                return Err(Error::Unsupported {
                    feature: "date_part on anything but a date or timestamp",
                    backend: "sqlite",
                    reason: "it reads dates and timestamps only",
                });
            }
        };
        let format = match part {
            DatePart::Year => "%Y",
            DatePart::Month => "%m",
            DatePart::Day => "%d",
            DatePart::Hour => "%H",
            DatePart::Minute => "%M",
            DatePart::DayOfWeek => "%w",
            DatePart::Epoch if timestamp => {
                return Ok("(CAST(strftime('%s', {}) AS INTEGER) * 1000000 \
                           + CAST(substr({}, 21, 6) AS INTEGER))"
                    .to_owned());
            }
            DatePart::Epoch => "%s",
        };
        Ok(format!("CAST(strftime('{format}', {{}}) AS INTEGER)"))
    }

    /// Casts to text as PostgreSQL writes them: timestamps, dates and times are stored as
    /// that text already; booleans are `true` / `false`; floats in PostgreSQL's shortest
    /// form (orm's function). UUIDs (stored as blobs) and JSON (PostgreSQL re-formats
    /// `jsonb`) are refused.
    fn cast_template(&self, from: SqlType, to: SqlType) -> Result<Option<String>> {
        if !matches!(to, SqlType::Text | SqlType::Varchar(_)) {
            return Ok(None);
        }
        Ok(Some(match from {
            SqlType::TimestampTz | SqlType::Timestamp | SqlType::Date | SqlType::Time => {
                "{}".to_owned()
            }
            SqlType::Bool => "(CASE {} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)".to_owned(),
            SqlType::Double => "orm_real_text({}, 15)".to_owned(),
            SqlType::Real => "orm_real_text({}, 6)".to_owned(),
            SqlType::Uuid | SqlType::Json | SqlType::Jsonb | SqlType::Bytes => {
                return Err(Error::Unsupported {
                    feature: "casting a UUID, JSON or bytes to text",
                    backend: "sqlite",
                    reason: "it stores them differently from PostgreSQL's text form, so the \
                             two would disagree; convert in Rust",
                });
            }
            _ => return Ok(None),
        }))
    }

    fn extreme_function(&self, greatest: bool) -> Option<&'static str> {
        Some(if greatest { "MAX" } else { "MIN" })
    }

    /// SQLite's own `->` keeps the first of duplicate keys, writes `true` as `1` under `->>`
    /// and has no containment: orm's functions read JSON as `jsonb` does.
    fn json_functions(&self) -> Option<&'static JsonFunctions> {
        const FUNCTIONS: JsonFunctions = JsonFunctions {
            get: "orm_json_get",
            text: "orm_json_text",
            contains: "orm_json_contains",
            overlaps: "orm_json_overlaps",
        };
        Some(&FUNCTIONS)
    }

    /// SQLite's own `lower` / `upper` fold ASCII letters only: orm's functions fold Unicode.
    fn case_function(&self, upper: bool) -> &'static str {
        if upper { "orm_upper" } else { "orm_lower" }
    }

    fn explain(&self) -> (&'static str, usize) {
        ("EXPLAIN QUERY PLAN ", 3)
    }

    fn write_limit_offset(&self, out: &mut String, limit: Option<&str>, offset: Option<&str>) {
        match (limit, offset) {
            (None, None) => {}
            (limit, offset) => {
                out.push_str(" LIMIT ");
                out.push_str(limit.unwrap_or("-1"));
                if let Some(offset) = offset {
                    out.push_str(" OFFSET ");
                    out.push_str(offset);
                }
            }
        }
    }
}
