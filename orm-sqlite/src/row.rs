use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use orm_core::error::{Error, Result};
use orm_core::{ArrayElement, RowReader, SqlType, Value};
use rust_decimal::Decimal;
use sqlx::sqlite::SqliteRow;
use sqlx::{Column, Row, TypeInfo, ValueRef};
use uuid::Uuid;

use crate::dialect::{DATE_FORMAT, NAIVE_DATETIME_FORMAT, TIME_FORMAT};

/// Reads columns of a sqlx SQLite row for generated decoders.
pub struct SqliteRowReader<'r>(pub &'r SqliteRow);

impl SqliteRowReader<'_> {
    fn get<'r, T>(&'r self, index: usize) -> Result<Option<T>>
    where
        T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
    {
        // What `try_get::<Option<T>>` checks, with the value's type read twice, not three times.
        let value = self
            .0
            .try_get_raw(index)
            .map_err(|error| self.decode_error(index, error))?;
        if value.is_null() {
            return Ok(None);
        }
        let column_decode = |source| {
            let error = sqlx::Error::ColumnDecode {
                index: index.to_string(),
                source,
            };
            self.decode_error(index, error)
        };
        let ty = value.type_info();
        if !T::compatible(&ty) {
            let source = sqlx::error::mismatched_types::<sqlx::Sqlite, T>(&ty);
            return Err(column_decode(source));
        }
        T::decode(value).map(Some).map_err(column_decode)
    }

    fn decode_error(&self, index: usize, error: sqlx::Error) -> Error {
        Error::decode_source(self.column_name(index), error)
    }

    fn text<T>(
        &self,
        index: usize,
        parse: impl FnOnce(&str) -> Option<T>,
        what: &str,
    ) -> Result<Option<T>> {
        // Parsed from the row's own text: no String is allocated per value.
        match self.get::<&str>(index)? {
            None => Ok(None),
            Some(text) => parse(text).map(Some).ok_or_else(|| {
                Error::decode(
                    self.column_name(index),
                    format!("`{text}` is not a valid {what}"),
                )
            }),
        }
    }

    fn storage_class(&self, index: usize) -> Result<Option<String>> {
        let raw = self
            .0
            .try_get_raw(index)
            .map_err(|error| self.decode_error(index, error))?;
        if raw.is_null() {
            return Ok(None);
        }
        Ok(Some(raw.type_info().name().to_owned()))
    }
}

fn parse_naive_datetime(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, NAIVE_DATETIME_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()
}

fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| parse_naive_datetime(text.trim_end_matches('Z')).map(|t| t.and_utc()))
}

impl RowReader for SqliteRowReader<'_> {
    fn as_dyn(&self) -> &dyn RowReader {
        self
    }
    fn is_null(&self, index: usize) -> Result<bool> {
        Ok(self.storage_class(index)?.is_none())
    }

    fn column_name(&self, index: usize) -> String {
        self.0
            .columns()
            .get(index)
            .map_or_else(|| format!("#{index}"), |c| c.name().to_owned())
    }

    fn read_bool(&self, index: usize) -> Result<Option<bool>> {
        self.get(index)
    }

    fn read_i16(&self, index: usize) -> Result<Option<i16>> {
        self.get(index)
    }

    fn read_i32(&self, index: usize) -> Result<Option<i32>> {
        self.get(index)
    }

    fn read_i64(&self, index: usize) -> Result<Option<i64>> {
        self.get(index)
    }

    fn read_f32(&self, index: usize) -> Result<Option<f32>> {
        self.get(index)
    }

    fn read_f64(&self, index: usize) -> Result<Option<f64>> {
        self.get(index)
    }

    fn read_string(&self, index: usize) -> Result<Option<String>> {
        self.get(index)
    }

    fn read_bytes(&self, index: usize) -> Result<Option<Vec<u8>>> {
        self.get(index)
    }

    fn read_decimal(&self, index: usize, ty: SqlType) -> Result<Option<Decimal>> {
        match self.storage_class(index)?.as_deref() {
            None => Ok(None),
            Some("INTEGER") => {
                let scale = match ty {
                    SqlType::Numeric { scale, .. } => u32::from(scale),
                    _ => 0,
                };
                Ok(self.get::<i64>(index)?.map(|n| Decimal::new(n, scale)))
            }
            Some("TEXT") => self.text(index, |t| t.parse().ok(), "decimal"),
            // Averages of decimals (scaled integers) are computed in floating point by SQLite;
            // only computed expressions (precision 0) accept them.
            Some("REAL") if matches!(ty, SqlType::Numeric { precision: 0, .. }) => {
                let scale = match ty {
                    SqlType::Numeric { scale, .. } => i32::from(scale),
                    _ => 0,
                };
                let scaled = self.get::<f64>(index)?;
                Ok(scaled.and_then(|v| Decimal::from_f64_retain(v / 10f64.powi(scale))))
            }
            Some(other) => Err(Error::decode(
                self.column_name(index),
                format!(
                    "a decimal cannot be read from {other} storage (floats would lose exactness)"
                ),
            )),
        }
    }

    fn read_datetime_utc(&self, index: usize) -> Result<Option<DateTime<Utc>>> {
        self.text(index, parse_utc, "timestamp")
    }

    fn read_naive_datetime(&self, index: usize) -> Result<Option<NaiveDateTime>> {
        self.text(index, parse_naive_datetime, "timestamp")
    }

    fn read_date(&self, index: usize) -> Result<Option<NaiveDate>> {
        self.text(
            index,
            |t| NaiveDate::parse_from_str(t, DATE_FORMAT).ok(),
            "date",
        )
    }

    fn read_time(&self, index: usize) -> Result<Option<NaiveTime>> {
        self.text(
            index,
            |t| NaiveTime::parse_from_str(t, TIME_FORMAT).ok(),
            "time",
        )
    }

    fn read_uuid(&self, index: usize) -> Result<Option<Uuid>> {
        match self.storage_class(index)?.as_deref() {
            None => Ok(None),
            Some("TEXT") => self.text(index, |t| Uuid::parse_str(t).ok(), "UUID"),
            Some(_) => match self.get::<Vec<u8>>(index)? {
                None => Ok(None),
                Some(bytes) => Uuid::from_slice(&bytes).map(Some).map_err(|error| {
                    Error::decode(
                        self.column_name(index),
                        format!("not a 16-byte UUID: {error}"),
                    )
                }),
            },
        }
    }

    fn read_json(&self, index: usize) -> Result<Option<serde_json::Value>> {
        match self.get::<&str>(index)? {
            None => Ok(None),
            Some(text) => serde_json::from_str(text).map(Some).map_err(|error| {
                Error::decode(self.column_name(index), format!("invalid JSON: {error}"))
            }),
        }
    }

    /// An array is stored as a JSON array (see `bind::json_array`).
    fn read_array(&self, index: usize, element: ArrayElement) -> Result<Option<Vec<Value>>> {
        let Some(text) = self.get::<&str>(index)? else {
            return Ok(None);
        };
        let invalid = |what: String| Error::decode(self.column_name(index), what);
        let items: Vec<serde_json::Value> = serde_json::from_str(text)
            .map_err(|error| invalid(format!("not a JSON array: {error}")))?;
        items
            .into_iter()
            .map(|item| {
                let value = match (element, &item) {
                    (ArrayElement::Bool, serde_json::Value::Bool(b)) => Some(Value::Bool(Some(*b))),
                    (ArrayElement::SmallInt, serde_json::Value::Number(n)) => n
                        .as_i64()
                        .and_then(|n| i16::try_from(n).ok())
                        .map(|n| Value::I16(Some(n))),
                    (ArrayElement::Int, serde_json::Value::Number(n)) => n
                        .as_i64()
                        .and_then(|n| i32::try_from(n).ok())
                        .map(|n| Value::I32(Some(n))),
                    (ArrayElement::BigInt, serde_json::Value::Number(n)) => {
                        n.as_i64().map(|n| Value::I64(Some(n)))
                    }
                    (ArrayElement::Double, serde_json::Value::Number(n)) => {
                        n.as_f64().map(|x| Value::F64(Some(x)))
                    }
                    (ArrayElement::Text, serde_json::Value::String(s)) => {
                        Some(Value::String(Some(s.clone())))
                    }
                    (ArrayElement::Uuid, serde_json::Value::String(s)) => {
                        s.parse().ok().map(|u| Value::Uuid(Some(u)))
                    }
                    _ => None,
                };
                value.ok_or_else(|| {
                    invalid(format!("the array element {item} is not a {element:?}"))
                })
            })
            .collect::<Result<Vec<Value>>>()
            .map(Some)
    }
}
