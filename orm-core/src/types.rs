//! The mapping between Rust field types and SQL: [`SqlField`], and [`RowReader`], the narrow
//! interface through which backends hand column values to generated decoders.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::value::{SqlType, Value};

/// Reads one column of the current row by position. Each method returns `None` for NULL.
///
/// Implemented by each backend over its sqlx row type; decoding goes straight from the sqlx row
/// into the field, with no intermediate map.
#[allow(missing_docs)]
pub trait RowReader {
    /// This reader as a trait object (for relationship decoders stored as trait objects).
    fn as_dyn(&self) -> &dyn RowReader;
    /// The column's name, for error messages.
    fn column_name(&self, index: usize) -> String;
    /// True when the column is NULL.
    fn is_null(&self, index: usize) -> Result<bool>;
    fn read_bool(&self, index: usize) -> Result<Option<bool>>;
    fn read_i16(&self, index: usize) -> Result<Option<i16>>;
    fn read_i32(&self, index: usize) -> Result<Option<i32>>;
    fn read_i64(&self, index: usize) -> Result<Option<i64>>;
    fn read_f32(&self, index: usize) -> Result<Option<f32>>;
    fn read_f64(&self, index: usize) -> Result<Option<f64>>;
    fn read_string(&self, index: usize) -> Result<Option<String>>;
    /// An enum's label: text, or a native enum column's value read as its label.
    fn read_label(&self, index: usize) -> Result<Option<String>> {
        self.read_string(index)
    }
    fn read_bytes(&self, index: usize) -> Result<Option<Vec<u8>>>;
    /// `ty` is the column's declared type (SQLite needs the scale of a `NUMERIC(p, s)`).
    fn read_decimal(&self, index: usize, ty: SqlType) -> Result<Option<Decimal>>;
    fn read_datetime_utc(&self, index: usize) -> Result<Option<DateTime<Utc>>>;
    fn read_naive_datetime(&self, index: usize) -> Result<Option<NaiveDateTime>>;
    fn read_date(&self, index: usize) -> Result<Option<NaiveDate>>;
    fn read_time(&self, index: usize) -> Result<Option<NaiveTime>>;
    fn read_uuid(&self, index: usize) -> Result<Option<Uuid>>;
    fn read_json(&self, index: usize) -> Result<Option<serde_json::Value>>;
    /// An array column's elements, each a non-NULL value of `element`'s type; `None` for NULL.
    fn read_array(
        &self,
        index: usize,
        element: crate::value::ArrayElement,
    ) -> Result<Option<Vec<Value>>>;
}

/// A Rust type that can be stored in a column.
///
/// Implemented for `bool`, `i16`, `i32`, `i64`, `f32`, `f64`, `String`, `Vec<u8>`, chrono
/// `DateTime<Utc>`, `NaiveDateTime`, `NaiveDate`, `NaiveTime`, `rust_decimal::Decimal`,
/// `uuid::Uuid`, `serde_json::Value`, [`Json<T>`], arrays `Vec<T>` of `bool`, `i16`, `i32`,
/// `i64`, `f64`, `String` or `Uuid` ([`crate::array`]), enums with `#[derive(DbEnum)]`,
/// newtypes with `#[derive(DbType)]`, and `Option<T>` of each.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored in a database column",
    label = "no SQL mapping for this type",
    note = "supported: bool, i16, i32, i64, f32, f64, String, Vec<u8>, chrono DateTime<Utc>/NaiveDateTime/NaiveDate/NaiveTime, Decimal, Uuid, serde_json::Value, orm::Json<T>, arrays Vec<T> of bool/i16/i32/i64/f64/String/Uuid, and Option of these",
    note = "derive DbEnum for an enum of plain variants or DbType for a newtype, wrap a serde type in orm::Json<T>, or mark the field #[orm(skip)]"
)]
pub trait SqlField: Sized + Send + Sync + Unpin + 'static {
    /// The column type this Rust type maps to before attributes refine it.
    const SQL_TYPE: SqlType;
    /// True for `Option<T>`: the column is NULL-able.
    const NULLABLE: bool;
    /// The only values the column may hold, as stored (a `#[derive(DbEnum)]`'s variants,
    /// rendered as a CHECK); empty for any value of the type.
    const VALUES: &'static [&'static str] = &[];
    /// The value to bind.
    fn to_value(&self) -> Value;
    /// Read the field from column `index` of a row; `ty` is the column's declared type.
    fn decode<R: RowReader + ?Sized>(row: &R, index: usize, ty: SqlType) -> Result<Self>;
}

/// The non-NULL types: each can be wrapped in `Option`.
pub trait NonNullField: SqlField {
    /// Read the field, `None` for NULL.
    fn decode_nullable<R: RowReader + ?Sized>(
        row: &R,
        index: usize,
        ty: SqlType,
    ) -> Result<Option<Self>>;
    /// A typed NULL for this type.
    fn null_value() -> Value;
}

/// A field `validate(range(..))` applies to: an integer, a float or a decimal, or an
/// `Option` of one.
#[diagnostic::on_unimplemented(
    message = "`range(..)` validates numbers, not `{Self}`",
    label = "not a number",
    note = "for text use length(..), email or one_of(..)"
)]
pub trait RangeField {}
macro_rules! range_fields {
    ($($ty:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl RangeField for $ty {}
        #[diagnostic::do_not_recommend]
        impl RangeField for Option<$ty> {}
    )*};
}
range_fields!(i16, i32, i64, f32, f64, Decimal);

/// A Rust enum stored as text, one value per variant: `#[derive(DbEnum)]` implements it
/// (with [`SqlField`]), so the enum works as a column type, in filters and in `in_list`, and
/// its columns get a CHECK listing the values.
pub trait DbEnum: Sized + Copy + 'static {
    /// The stored values, in variant order.
    const VALUES: &'static [&'static str];
    /// The value stored for this variant.
    fn as_str(&self) -> &'static str;
    /// The variant stored as `text`, if any.
    fn from_str(text: &str) -> Option<Self>;
}

/// Decode a [`DbEnum`] from column `index`: `None` for NULL, an error naming the value and
/// the enum's values when the text is none of them.
pub fn decode_enum<E: DbEnum, R: RowReader + ?Sized>(
    row: &R,
    index: usize,
    enum_name: &str,
) -> Result<Option<E>> {
    let Some(text) = row.read_label(index)? else {
        return Ok(None);
    };
    E::from_str(&text).map(Some).ok_or_else(|| {
        Error::decode(
            row.column_name(index),
            format!(
                "`{text}` is not a value of the enum `{enum_name}` (its values: {})",
                E::VALUES.join(", ")
            ),
        )
    })
}

/// The error for a NULL read into a non-`Option` field.
pub fn unexpected_null<R: RowReader + ?Sized>(row: &R, index: usize) -> Error {
    Error::decode(
        row.column_name(index),
        "unexpected NULL; declare the field as Option<T>",
    )
}

macro_rules! sql_field {
    ($ty:ty, $sql:expr, $read:ident, $variant:ident) => {
        sql_field!(
            $ty,
            $sql,
            |row, index, _ty| row.$read(index),
            |v: &$ty| Value::$variant(Some(v.clone())),
            Value::$variant(None)
        );
    };
    ($ty:ty, $sql:expr, |$row:ident, $index:ident, $tyv:ident| $read:expr, |$v:ident: &$vt:ty| $to:expr, $null:expr) => {
        #[diagnostic::do_not_recommend]
        impl SqlField for $ty {
            const SQL_TYPE: SqlType = $sql;
            const NULLABLE: bool = false;
            #[inline]
            fn to_value(&self) -> Value {
                let $v: &$vt = self;
                $to
            }
            #[inline]
            fn decode<R: RowReader + ?Sized>(row: &R, index: usize, ty: SqlType) -> Result<Self> {
                Self::decode_nullable(row, index, ty)?.ok_or_else(|| unexpected_null(row, index))
            }
        }
        impl NonNullField for $ty {
            #[inline]
            fn decode_nullable<R: RowReader + ?Sized>(
                $row: &R,
                $index: usize,
                $tyv: SqlType,
            ) -> Result<Option<Self>> {
                $read
            }
            #[inline]
            fn null_value() -> Value {
                $null
            }
        }
    };
}

sql_field!(bool, SqlType::Bool, read_bool, Bool);
sql_field!(i16, SqlType::SmallInt, read_i16, I16);
sql_field!(i32, SqlType::Int, read_i32, I32);
sql_field!(i64, SqlType::BigInt, read_i64, I64);
sql_field!(f32, SqlType::Real, read_f32, F32);
sql_field!(f64, SqlType::Double, read_f64, F64);
sql_field!(String, SqlType::Text, read_string, String);
sql_field!(Vec<u8>, SqlType::Bytes, read_bytes, Bytes);
sql_field!(
    DateTime<Utc>,
    SqlType::TimestampTz,
    read_datetime_utc,
    DateTimeUtc
);
sql_field!(
    NaiveDateTime,
    SqlType::Timestamp,
    read_naive_datetime,
    NaiveDateTime
);
sql_field!(NaiveDate, SqlType::Date, read_date, Date);
sql_field!(NaiveTime, SqlType::Time, read_time, Time);
sql_field!(Uuid, SqlType::Uuid, read_uuid, Uuid);
sql_field!(
    Decimal,
    SqlType::Numeric {
        precision: 0,
        scale: 0
    },
    |row, index, ty| row.read_decimal(index, ty),
    |v: &Decimal| Value::Decimal(Some(*v), None),
    Value::Decimal(None, None)
);
sql_field!(
    serde_json::Value,
    SqlType::Jsonb,
    |row, index, _ty| row.read_json(index),
    |v: &serde_json::Value| Value::Json(Some(v.clone()), true),
    Value::Json(None, true)
);

#[diagnostic::do_not_recommend]
impl<T: NonNullField> SqlField for Option<T> {
    const SQL_TYPE: SqlType = T::SQL_TYPE;
    const NULLABLE: bool = true;
    const VALUES: &'static [&'static str] = T::VALUES;
    #[inline]
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => T::null_value(),
        }
    }
    #[inline]
    fn decode<R: RowReader + ?Sized>(row: &R, index: usize, ty: SqlType) -> Result<Self> {
        T::decode_nullable(row, index, ty)
    }
}

/// A serde type stored as a JSON document (`JSONB` on PostgreSQL unless the field says
/// `#[orm(json)]`, text on SQLite).
///
/// `Json<T>` is itself `Serialize` / `Deserialize` when `T` is, transparently (as `T`, with
/// no wrapper), so a model or `New<Model>` with a `Json` field can derive them and read and
/// write the same JSON as `T` does.
///
/// ```
/// use orm_core::Json;
/// #[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
/// struct Settings { theme: String }
/// let field = Json(Settings { theme: "dark".into() });
/// assert_eq!(field.0.theme, "dark");
/// assert_eq!(serde_json::to_string(&field).unwrap(), r#"{"theme":"dark"}"#);
/// let back: Json<Settings> = serde_json::from_str(r#"{"theme":"dark"}"#).unwrap();
/// assert_eq!(back, field);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Json<T>(pub T);

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

#[diagnostic::do_not_recommend]
impl<T> SqlField for Json<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + Unpin + 'static,
{
    const SQL_TYPE: SqlType = SqlType::Jsonb;
    const NULLABLE: bool = false;
    fn to_value(&self) -> Value {
        match serde_json::to_value(&self.0) {
            Ok(json) => Value::Json(Some(json), true),
            Err(error) => Value::Unencodable(format!("JSON serialization failed: {error}")),
        }
    }
    fn decode<R: RowReader + ?Sized>(row: &R, index: usize, ty: SqlType) -> Result<Self> {
        Self::decode_nullable(row, index, ty)?.ok_or_else(|| unexpected_null(row, index))
    }
}

impl<T> NonNullField for Json<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + Unpin + 'static,
{
    fn decode_nullable<R: RowReader + ?Sized>(
        row: &R,
        index: usize,
        _ty: SqlType,
    ) -> Result<Option<Self>> {
        match row.read_json(index)? {
            None => Ok(None),
            Some(json) => serde_json::from_value(json)
                .map(|v| Some(Json(v)))
                .map_err(|error| {
                    Error::decode(
                        row.column_name(index),
                        format!("JSON does not match the Rust type: {error}"),
                    )
                }),
        }
    }
    fn null_value() -> Value {
        Value::Json(None, true)
    }
}

/// A value that can stand on the right of a comparison with, or be assigned to, a column of
/// type `T`: a value of that type (`&str` for `String`, `T` for `Option<T>`) or an expression
/// of that type.
#[diagnostic::on_unimplemented(
    message = "a `{T}` column cannot be compared with or set to `{Self}`",
    label = "expected a `{T}` value or expression here",
    note = "convert the value to `{T}` first, or compare with a column of the same type",
    note = "if the other side may be NULL (a scalar subquery, `avg`, `max`, a left-joined column), compare the nullable form of this side: `.nullable().gt(..)`"
)]
pub trait IntoOperand<T> {
    /// The expression for this operand, conformed to the column type `ty`.
    fn into_operand(self, ty: SqlType) -> crate::expr::Expr;
    /// The operand's own SQL type next to a `ty` expression (a bound value takes `ty`; a
    /// column or expression keeps its own, which may differ in a decimal's scale).
    fn operand_type(&self, ty: SqlType) -> SqlType {
        ty
    }
}

#[diagnostic::do_not_recommend]
impl<T: SqlField> IntoOperand<T> for T {
    #[inline]
    fn into_operand(self, ty: SqlType) -> crate::expr::Expr {
        crate::expr::Expr::Value(self.to_value().conform(ty))
    }
}

#[diagnostic::do_not_recommend]
impl<T: NonNullField> IntoOperand<Option<T>> for T {
    #[inline]
    fn into_operand(self, ty: SqlType) -> crate::expr::Expr {
        crate::expr::Expr::Value(self.to_value().conform(ty))
    }
}

#[diagnostic::do_not_recommend]
impl IntoOperand<String> for &str {
    #[inline]
    fn into_operand(self, _ty: SqlType) -> crate::expr::Expr {
        crate::expr::Expr::Value(Value::String(Some(self.to_owned())))
    }
}

#[diagnostic::do_not_recommend]
impl IntoOperand<Option<String>> for &str {
    #[inline]
    fn into_operand(self, _ty: SqlType) -> crate::expr::Expr {
        crate::expr::Expr::Value(Value::String(Some(self.to_owned())))
    }
}

#[diagnostic::do_not_recommend]
impl IntoOperand<Vec<u8>> for &[u8] {
    #[inline]
    fn into_operand(self, _ty: SqlType) -> crate::expr::Expr {
        crate::expr::Expr::Value(Value::Bytes(Some(self.to_vec())))
    }
}

/// Field types `#[orm(max_length = n)]` applies to.
#[diagnostic::on_unimplemented(
    message = "`max_length` applies only to String fields, not `{Self}`",
    label = "not a String",
    note = "remove max_length, or make the field a String"
)]
pub trait TextField {}
#[diagnostic::do_not_recommend]
impl TextField for String {}
#[diagnostic::do_not_recommend]
impl TextField for Option<String> {}

/// Field types `#[orm(numeric(p, s))]` applies to.
#[diagnostic::on_unimplemented(
    message = "`numeric(p, s)` applies only to rust_decimal::Decimal fields, not `{Self}`",
    label = "not a Decimal",
    note = "remove numeric(..), or make the field a Decimal"
)]
pub trait DecimalField {}
#[diagnostic::do_not_recommend]
impl DecimalField for Decimal {}
#[diagnostic::do_not_recommend]
impl DecimalField for Option<Decimal> {}

/// Field types `#[orm(json)]` / `#[orm(jsonb)]` apply to.
#[diagnostic::on_unimplemented(
    message = "`json` / `jsonb` apply only to serde_json::Value or orm::Json<T> fields, not `{Self}`",
    label = "not a JSON type",
    note = "wrap a serde type in orm::Json<T>"
)]
pub trait JsonField {}
#[diagnostic::do_not_recommend]
impl JsonField for serde_json::Value {}
#[diagnostic::do_not_recommend]
impl JsonField for Option<serde_json::Value> {}
#[diagnostic::do_not_recommend]
impl<T> JsonField for Json<T> {}
#[diagnostic::do_not_recommend]
impl<T> JsonField for Option<Json<T>> {}

/// Key types orm generates: integers (the database counts) and `Uuid` (orm, on the client).
/// `#[orm(primary_key, auto)]` asks for it on a key orm does not recognise by name: a
/// `#[derive(DbType)]` newtype of one of them.
#[diagnostic::on_unimplemented(
    message = "`auto` generates a `{Self}` key, which needs an integer or Uuid type",
    label = "not a key type orm generates",
    note = "orm generates i16, i32, i64 and Uuid keys (and #[derive(DbType)] newtypes of them); give other keys in the New struct: remove auto"
)]
pub trait AutoKey {}
#[diagnostic::do_not_recommend]
impl AutoKey for i16 {}
#[diagnostic::do_not_recommend]
impl AutoKey for i32 {}
#[diagnostic::do_not_recommend]
impl AutoKey for i64 {}
#[diagnostic::do_not_recommend]
impl AutoKey for Uuid {}

/// Field types `#[orm(version)]` applies to.
#[diagnostic::on_unimplemented(
    message = "`version` applies only to i64 or i32 fields, not `{Self}`",
    label = "not an integer version counter",
    note = "declare the field `version: i64`"
)]
pub trait VersionField {}
#[diagnostic::do_not_recommend]
impl VersionField for i64 {}
#[diagnostic::do_not_recommend]
impl VersionField for i32 {}

/// Field types `#[orm(soft_delete)]` applies to.
#[diagnostic::on_unimplemented(
    message = "`soft_delete` applies only to `Option<DateTime<Utc>>` fields, not `{Self}`",
    label = "not an optional timestamp",
    note = "declare the field `deleted_at: Option<DateTime<Utc>>` (NULL while the row is live)"
)]
pub trait SoftDeleteField {}
#[diagnostic::do_not_recommend]
impl SoftDeleteField for Option<chrono::DateTime<chrono::Utc>> {}
