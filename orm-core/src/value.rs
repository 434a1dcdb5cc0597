//! SQL column types ([`SqlType`]) and bound values ([`Value`]).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

/// The SQL type of a column, independent of backend; each dialect maps it to its own type name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SqlType {
    /// `BOOLEAN`.
    Bool,
    /// 16-bit integer.
    SmallInt,
    /// 32-bit integer.
    Int,
    /// 64-bit integer.
    BigInt,
    /// 32-bit float.
    Real,
    /// 64-bit float.
    Double,
    /// Unbounded text.
    Text,
    /// Text of at most `n` characters.
    Varchar(u32),
    /// Binary data.
    Bytes,
    /// Exact decimal with `precision` digits, `scale` of them after the point.
    /// `precision == 0` means "not yet declared" and is rejected by the derive.
    Numeric {
        /// Total digits.
        precision: u8,
        /// Digits after the decimal point.
        scale: u8,
    },
    /// Timestamp with time zone (UTC).
    TimestampTz,
    /// Timestamp without time zone.
    Timestamp,
    /// Calendar date.
    Date,
    /// Time of day.
    Time,
    /// UUID.
    Uuid,
    /// JSON stored as text (`JSON` on PostgreSQL).
    Json,
    /// Binary JSON (`JSONB` on PostgreSQL; text on SQLite).
    Jsonb,
    /// An array of one scalar type (`BIGINT[]` on PostgreSQL; a JSON array as text on
    /// SQLite).
    Array(ArrayElement),
}

/// The element type of an [`SqlType::Array`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArrayElement {
    /// `bool`.
    Bool,
    /// `i16`.
    SmallInt,
    /// `i32`.
    Int,
    /// `i64`.
    BigInt,
    /// `f64`.
    Double,
    /// `String`.
    Text,
    /// `Uuid`.
    Uuid,
}

impl ArrayElement {
    /// The element's own column type.
    pub const fn sql_type(self) -> SqlType {
        match self {
            ArrayElement::Bool => SqlType::Bool,
            ArrayElement::SmallInt => SqlType::SmallInt,
            ArrayElement::Int => SqlType::Int,
            ArrayElement::BigInt => SqlType::BigInt,
            ArrayElement::Double => SqlType::Double,
            ArrayElement::Text => SqlType::Text,
            ArrayElement::Uuid => SqlType::Uuid,
        }
    }

    /// The element type of a value, if arrays of it exist.
    pub fn of_value(value: &Value) -> Option<ArrayElement> {
        Some(match value {
            Value::Bool(_) => ArrayElement::Bool,
            Value::I16(_) => ArrayElement::SmallInt,
            Value::I32(_) => ArrayElement::Int,
            Value::I64(_) => ArrayElement::BigInt,
            Value::F64(_) => ArrayElement::Double,
            Value::String(_) => ArrayElement::Text,
            Value::Uuid(_) => ArrayElement::Uuid,
            _ => return None,
        })
    }

    /// The element type of a column type, if arrays of it exist.
    pub const fn of(ty: SqlType) -> Option<ArrayElement> {
        Some(match ty {
            SqlType::Bool => ArrayElement::Bool,
            SqlType::SmallInt => ArrayElement::SmallInt,
            SqlType::Int => ArrayElement::Int,
            SqlType::BigInt => ArrayElement::BigInt,
            SqlType::Double => ArrayElement::Double,
            SqlType::Text => ArrayElement::Text,
            SqlType::Uuid => ArrayElement::Uuid,
            _ => return None,
        })
    }
}

impl SqlType {
    /// Apply a `max_length = n` attribute to a text type. The derive checks at compile time
    /// (with [`crate::types::TextField`]) that the field is text; other types are unchanged.
    pub const fn with_max_length(self, n: u32) -> SqlType {
        match self {
            SqlType::Text | SqlType::Varchar(_) => SqlType::Varchar(n),
            other => other,
        }
    }

    /// Apply a `numeric(p, s)` attribute to a decimal type (checked by the derive with
    /// [`crate::types::DecimalField`]); other types are unchanged.
    pub const fn with_numeric(self, precision: u8, scale: u8) -> SqlType {
        match self {
            SqlType::Numeric { .. } => SqlType::Numeric { precision, scale },
            other => other,
        }
    }

    /// A computed decimal whose scale depends on the values, as PostgreSQL picks it for a
    /// quotient or an average; SQLite carries it as exact decimal text.
    pub const EXACT_DECIMAL: SqlType = SqlType::Numeric {
        precision: 0,
        scale: u8::MAX,
    };

    /// A computed decimal (not a column) with a fixed `scale`: a sum, a product, a rounded
    /// value.
    pub const fn computed_decimal(scale: u8) -> SqlType {
        SqlType::Numeric {
            precision: 0,
            scale,
        }
    }

    /// How a decimal expression of this type is carried, `None` for other types.
    pub const fn decimal_scale(self) -> Option<DecimalScale> {
        match self {
            SqlType::Numeric { scale: u8::MAX, .. } => Some(DecimalScale::Exact),
            SqlType::Numeric { scale, .. } => Some(DecimalScale::Fixed(scale)),
            _ => None,
        }
    }

    /// Apply a `json` / `jsonb` attribute to a JSON type (checked by the derive with
    /// [`crate::types::JsonField`]); other types are unchanged.
    pub const fn with_json(self, binary: bool) -> SqlType {
        match self {
            SqlType::Json | SqlType::Jsonb if binary => SqlType::Jsonb,
            SqlType::Json | SqlType::Jsonb => SqlType::Json,
            other => other,
        }
    }
}

/// The scale of a decimal expression, which SQLite (storing decimals as scaled integers)
/// must know to compute with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalScale {
    /// Known when the query is built: a column's declared scale, or the scale PostgreSQL's
    /// rules give a sum, a difference, a product or a rounded value.
    Fixed(u8),
    /// Picked from the values, as PostgreSQL does for a quotient or an average.
    Exact,
}

/// A value bound as a statement parameter. Every variant is nullable so that a NULL still
/// carries its SQL type (PostgreSQL needs it to type the parameter).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// Boolean.
    Bool(Option<bool>),
    /// 16-bit integer.
    I16(Option<i16>),
    /// 32-bit integer.
    I32(Option<i32>),
    /// 64-bit integer.
    I64(Option<i64>),
    /// 32-bit float.
    F32(Option<f32>),
    /// 64-bit float.
    F64(Option<f64>),
    /// Text.
    String(Option<String>),
    /// Binary data.
    Bytes(Option<Vec<u8>>),
    /// Exact decimal, with the `(precision, scale)` of the column it is bound against when
    /// known (SQLite stores decimals as integers scaled by `10^scale` and checks the precision
    /// itself, as PostgreSQL does).
    Decimal(Option<Decimal>, Option<(u8, u8)>),
    /// Timestamp with time zone.
    DateTimeUtc(Option<DateTime<Utc>>),
    /// Timestamp without time zone.
    NaiveDateTime(Option<NaiveDateTime>),
    /// Date.
    Date(Option<NaiveDate>),
    /// Time of day.
    Time(Option<NaiveTime>),
    /// UUID.
    Uuid(Option<Uuid>),
    /// JSON document; `binary` selects JSONB on PostgreSQL.
    Json(Option<serde_json::Value>, bool),
    /// An array column's value: elements of one type, each a non-NULL value of that type.
    Array(Option<Vec<Value>>, ArrayElement),
    /// The values of an `IN` list bound as one parameter (a typed array on PostgreSQL, a
    /// JSON array read with `json_each` on SQLite), so the list's length neither changes the
    /// SQL text nor meets the bind limit. Built by the renderer from an `IN` list whose values
    /// are all of one type, never by hand.
    List(Vec<Value>),
    /// A value that could not be encoded; binding it fails with [`crate::Error::Encode`].
    Unencodable(String),
}

impl Value {
    /// True when the value is SQL NULL.
    #[inline]
    pub fn is_null(&self) -> bool {
        match self {
            Value::Bool(v) => v.is_none(),
            Value::I16(v) => v.is_none(),
            Value::I32(v) => v.is_none(),
            Value::I64(v) => v.is_none(),
            Value::F32(v) => v.is_none(),
            Value::F64(v) => v.is_none(),
            Value::String(v) => v.is_none(),
            Value::Bytes(v) => v.is_none(),
            Value::Decimal(v, _) => v.is_none(),
            Value::DateTimeUtc(v) => v.is_none(),
            Value::NaiveDateTime(v) => v.is_none(),
            Value::Date(v) => v.is_none(),
            Value::Time(v) => v.is_none(),
            Value::Uuid(v) => v.is_none(),
            Value::Json(v, _) => v.is_none(),
            Value::Array(v, _) => v.is_none(),
            Value::List(_) | Value::Unencodable(_) => false,
        }
    }

    /// Adapt the value to the column type it is compared with or assigned to: decimals take
    /// the column's scale, JSON takes its storage kind.
    #[must_use]
    #[inline]
    pub fn conform(self, ty: SqlType) -> Value {
        match (self, ty) {
            (Value::Decimal(d, _), SqlType::Numeric { precision, scale }) => {
                Value::Decimal(d, Some((precision, scale)))
            }
            (Value::Json(j, _), SqlType::Json) => Value::Json(j, false),
            (Value::Json(j, _), SqlType::Jsonb) => Value::Json(j, true),
            (v, _) => v,
        }
    }
}
