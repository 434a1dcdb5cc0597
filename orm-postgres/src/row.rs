use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use orm_core::error::{Error, Result};
use orm_core::{ArrayElement, DecimalScale, RowReader, SqlType, Value};
use rust_decimal::Decimal;
use sqlx::postgres::PgRow;
use sqlx::{Column, Row};
use uuid::Uuid;

/// PostgreSQL's first OID for objects users create (`FirstNormalObjectId`): built-in types
/// have smaller ones.
const FIRST_USER_OID: u32 = 16384;

/// Reads columns of a sqlx PostgreSQL row for generated decoders.
pub struct PgRowReader<'r>(pub &'r PgRow);

impl PgRowReader<'_> {
    /// sqlx's `error` reading column `index`, as orm's decode error naming the column.
    fn decode_error(&self, index: usize, error: sqlx::Error) -> Error {
        Error::decode_source(self.column_name(index), error)
    }

    #[inline]
    fn get<T>(&self, index: usize) -> Result<Option<T>>
    where
        T: for<'a> sqlx::Decode<'a, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    {
        self.0
            .try_get::<Option<T>, _>(index)
            .map_err(|error| self.decode_error(index, error))
    }
}

impl RowReader for PgRowReader<'_> {
    fn as_dyn(&self) -> &dyn RowReader {
        self
    }
    fn is_null(&self, index: usize) -> Result<bool> {
        use sqlx::ValueRef;
        self.0
            .try_get_raw(index)
            .map(|raw| raw.is_null())
            .map_err(|error| self.decode_error(index, error))
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
    /// A native enum's value is its label's bytes, which sqlx reads as text only unchecked
    /// (it knows the type's OID, not that it is an enum); the label is then checked against
    /// the Rust enum's variants. Columns of built-in types are read checked.
    fn read_label(&self, index: usize) -> Result<Option<String>> {
        let custom = self
            .0
            .columns()
            .get(index)
            .and_then(|column| column.type_info().oid())
            .is_some_and(|oid| oid.0 >= FIRST_USER_OID);
        if !custom {
            return self.get(index);
        }
        self.0
            .try_get_unchecked::<Option<String>, _>(index)
            .map_err(|error| self.decode_error(index, error))
    }
    fn read_bytes(&self, index: usize) -> Result<Option<Vec<u8>>> {
        self.get(index)
    }
    fn read_decimal(&self, index: usize, ty: SqlType) -> Result<Option<Decimal>> {
        let value: Option<Decimal> = self.get(index)?;
        // sqlx decodes every zero `numeric` as a scale-0 zero; PostgreSQL's value has the
        // expression's scale (`0.00` of a `NUMERIC(10, 2)`), and so does SQLite's.
        Ok(value.map(|mut d| {
            if let (true, Some(DecimalScale::Fixed(scale))) = (d.is_zero(), ty.decimal_scale()) {
                d.rescale(u32::from(scale));
            }
            d
        }))
    }
    fn read_datetime_utc(&self, index: usize) -> Result<Option<DateTime<Utc>>> {
        self.get(index)
    }
    fn read_naive_datetime(&self, index: usize) -> Result<Option<NaiveDateTime>> {
        self.get(index)
    }
    fn read_date(&self, index: usize) -> Result<Option<NaiveDate>> {
        self.get(index)
    }
    fn read_time(&self, index: usize) -> Result<Option<NaiveTime>> {
        self.get(index)
    }
    fn read_uuid(&self, index: usize) -> Result<Option<Uuid>> {
        self.get(index)
    }
    fn read_json(&self, index: usize) -> Result<Option<serde_json::Value>> {
        self.get(index)
    }
    fn read_array(&self, index: usize, element: ArrayElement) -> Result<Option<Vec<Value>>> {
        macro_rules! typed {
            ($variant:ident, $ty:ty) => {
                self.get::<Vec<Option<$ty>>>(index)?
                    .map(|items| items.into_iter().map(Value::$variant).collect())
            };
        }
        Ok(orm_core::for_array_element!(element, typed))
    }
}
