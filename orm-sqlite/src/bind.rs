use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Timelike};
use orm_core::Value;
use orm_core::error::{Error, Result};
use orm_core::faithful;
use rust_decimal::Decimal;
use sqlx::Arguments;
use sqlx::sqlite::SqliteArguments;

fn encode_error(error: impl std::fmt::Display) -> Error {
    Error::Encode {
        message: error.to_string(),
    }
}

/// A decimal as the integer `value * 10^scale` SQLite stores, rounded and checked as every
/// backend stores it ([`faithful::stored_decimal`]).
fn scaled_decimal(value: Decimal, precision: u8, scale: u8) -> Result<i64> {
    let mut rounded = faithful::stored_decimal(value, precision, scale)?;
    rounded.rescale(u32::from(scale));
    if rounded.scale() != u32::from(scale) {
        return Err(encode_error(format!(
            "decimal {value} cannot be stored with scale {scale}"
        )));
    }
    i64::try_from(rounded.mantissa()).map_err(|_| {
        encode_error(format!(
            "numeric field overflow: {value} does not fit NUMERIC({precision}, {scale})"
        ))
    })
}

/// `YYYY-MM-DD`, the text of [`crate::dialect::DATE_FORMAT`].
fn date_text(date: NaiveDate) -> impl std::fmt::Display {
    struct Text(NaiveDate);
    impl std::fmt::Display for Text {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let d = self.0;
            write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
        }
    }
    Text(date)
}

/// `HH:MM:SS.ffffff`, the text of [`crate::dialect::TIME_FORMAT`] (of a time already
/// rounded to microseconds).
fn time_text(time: NaiveTime) -> impl std::fmt::Display {
    struct Text(NaiveTime);
    impl std::fmt::Display for Text {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let t = self.0;
            let micros = t.nanosecond() / 1_000;
            write!(
                f,
                "{:02}:{:02}:{:02}.{micros:06}",
                t.hour(),
                t.minute(),
                t.second()
            )
        }
    }
    Text(time)
}

/// The fixed-width text a timestamp is stored as, rounded to microseconds as on every
/// backend ([`faithful::timestamp_micros`]), with a `Z` for `DateTime<Utc>`. This runs for
/// every bound timestamp, so it uses chrono's RFC 3339 writer rather than `format`, which
/// parses its pattern on each call.
fn timestamp_text(t: NaiveDateTime, zulu: bool) -> Result<String> {
    let t = faithful::timestamp_micros(t)?;
    check_year(t.year())?;
    let mut text = t.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true);
    if !zulu {
        text.pop();
    }
    Ok(text)
}

/// Dates and timestamps are stored as text that sorts and compares by its characters: only
/// four-digit years do.
fn check_year(year: i32) -> Result<()> {
    if (1..=9999).contains(&year) {
        return Ok(());
    }
    Err(encode_error(format!(
        "year {year} cannot be stored on SQLite: dates are stored as text, which sorts and \
         compares correctly only for years 0001 to 9999"
    )))
}

/// SQLite keeps neither NaN (it becomes NULL) nor the sign of zero (-0.0 reads back as 0.0).
fn check_real(value: f64) -> Result<f64> {
    if value.is_nan() {
        return Err(encode_error(
            "NaN cannot be stored on SQLite (it would read back as NULL)",
        ));
    }
    if value == 0.0 && value.is_sign_negative() {
        return Err(encode_error(
            "-0.0 cannot be stored on SQLite (it would read back as 0.0); store 0.0",
        ));
    }
    Ok(value)
}

/// A value in the storage class SQLite keeps it in, after every check: what one bind sends,
/// and what each item of a JSON list parameter stands for.
enum Stored {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<Option<Stored>> for Stored {
    fn from(value: Option<Stored>) -> Self {
        value.unwrap_or(Stored::Null)
    }
}

/// `value` as SQLite stores it, or `Error::Encode` when it would not read back exactly.
fn stored(value: Value) -> Result<Stored> {
    Ok(match value {
        Value::Bool(v) => v.map(|b| Stored::Int(i64::from(b))).into(),
        Value::I16(v) => v.map(|n| Stored::Int(i64::from(n))).into(),
        Value::I32(v) => v.map(|n| Stored::Int(i64::from(n))).into(),
        Value::I64(v) => v.map(Stored::Int).into(),
        Value::F32(v) => v
            .map(|x| check_real(f64::from(x)).map(Stored::Real))
            .transpose()?
            .into(),
        Value::F64(v) => v
            .map(|x| check_real(x).map(Stored::Real))
            .transpose()?
            .into(),
        Value::String(v) => v
            .map(|text| faithful::check_text(&text).map(|()| Stored::Text(text)))
            .transpose()?
            .into(),
        Value::Enum(v, _) => v
            .map(|label| faithful::check_text(label).map(|()| Stored::Text(label.to_owned())))
            .transpose()?
            .into(),
        Value::Bytes(v) => v.map(Stored::Blob).into(),
        // A decimal beside one whose scale comes from the values (an average) is exact text.
        Value::Decimal(v, Some((_, u8::MAX))) => v.map(|d| Stored::Text(d.to_string())).into(),
        Value::Decimal(v, Some((precision, scale))) => v
            .map(|d| scaled_decimal(d, precision, scale).map(Stored::Int))
            .transpose()?
            .into(),
        Value::Decimal(v, None) => v.map(|d| Stored::Text(d.to_string())).into(),
        Value::DateTimeUtc(v) => v
            .map(|t| timestamp_text(t.naive_utc(), true).map(Stored::Text))
            .transpose()?
            .into(),
        Value::NaiveDateTime(v) => v
            .map(|t| timestamp_text(t, false).map(Stored::Text))
            .transpose()?
            .into(),
        Value::Date(v) => v
            .map(|d| check_year(d.year()).map(|()| Stored::Text(date_text(d).to_string())))
            .transpose()?
            .into(),
        Value::Time(v) => v
            .map(|t| faithful::time_micros(t).map(|t| Stored::Text(time_text(t).to_string())))
            .transpose()?
            .into(),
        Value::Uuid(v) => v.map(|u| Stored::Blob(u.as_bytes().to_vec())).into(),
        Value::Json(v, _) => v
            .map(|j| faithful::check_json(&j).map(|()| Stored::Text(j.to_string())))
            .transpose()?
            .into(),
        Value::List(items) => Stored::Text(json_list(items)?),
        Value::Array(items, _) => items
            .map(|items| json_array(items).map(Stored::Text))
            .transpose()?
            .into(),
        Value::Unencodable(message) => return Err(Error::Encode { message }),
        _ => {
            return Err(encode_error(
                "a value type the SQLite backend does not know",
            ));
        }
    })
}

/// The items of a list parameter as the JSON array `json_each` reads: integers and text as
/// themselves, blobs as hex (the SQL turns them back with `unhex`), NULL as null.
fn json_list(items: Vec<Value>) -> Result<String> {
    let mut json = Vec::with_capacity(items.len());
    for item in items {
        json.push(match stored(item)? {
            Stored::Null => serde_json::Value::Null,
            Stored::Int(n) => serde_json::Value::from(n),
            Stored::Text(text) => serde_json::Value::String(text),
            Stored::Blob(bytes) => serde_json::Value::String(hex(&bytes)),
            Stored::Real(_) => {
                return Err(encode_error(
                    "floating-point values cannot travel in a JSON list parameter exactly",
                ));
            }
        });
    }
    Ok(serde_json::Value::Array(json).to_string())
}

/// An array column's value as the JSON array SQLite stores: booleans, numbers and strings
/// as themselves (text checked as a text bind is), UUIDs as their hyphenated text.
pub(crate) fn json_array(items: Vec<Value>) -> Result<String> {
    let mut json = Vec::with_capacity(items.len());
    for item in items {
        json.push(match item {
            Value::Bool(Some(b)) => serde_json::Value::Bool(b),
            Value::I16(Some(n)) => n.into(),
            Value::I32(Some(n)) => n.into(),
            Value::I64(Some(n)) => n.into(),
            Value::F64(Some(x)) => serde_json::Number::from_f64(x)
                .map(serde_json::Value::Number)
                .ok_or_else(|| {
                    encode_error("NaN and infinities cannot be stored in an array on SQLite (JSON has no such numbers)")
                })?,
            Value::String(Some(text)) => {
                faithful::check_text(&text)?;
                serde_json::Value::String(text)
            }
            Value::Uuid(Some(uuid)) => serde_json::Value::String(uuid.hyphenated().to_string()),
            _ => return Err(encode_error("an array element that is NULL or of a type arrays do not hold")),
        });
    }
    Ok(serde_json::Value::Array(json).to_string())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Bind orm values as SQLite arguments, in order.
pub fn sqlite_arguments(values: Vec<Value>) -> Result<SqliteArguments> {
    let mut args = SqliteArguments::default();
    args.reserve(values.len(), 0);
    for value in values {
        let added = match stored(value)? {
            Stored::Null => args.add(None::<i64>),
            Stored::Int(n) => args.add(n),
            Stored::Real(x) => args.add(x),
            Stored::Text(text) => args.add(text),
            Stored::Blob(bytes) => args.add(bytes),
        };
        added.map_err(encode_error)?;
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveDateTime};

    use super::timestamp_text;
    use crate::dialect::NAIVE_DATETIME_FORMAT;

    #[test]
    fn timestamp_text_is_the_fixed_width_format() {
        let day = NaiveDate::from_ymd_opt(987, 6, 5).unwrap();
        let samples: Vec<NaiveDateTime> = vec![
            day.and_hms_micro_opt(0, 0, 0, 0).unwrap(),
            day.and_hms_micro_opt(23, 59, 59, 999_999).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 21)
                .unwrap()
                .and_hms_micro_opt(9, 8, 7, 60)
                .unwrap(),
        ];
        for t in samples {
            let naive = t.format(NAIVE_DATETIME_FORMAT).to_string();
            assert_eq!(timestamp_text(t, false).unwrap(), naive);
            assert_eq!(timestamp_text(t, true).unwrap(), format!("{naive}Z"));
        }
    }

    #[test]
    fn sub_microseconds_round_half_up_like_postgres() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let t = day.and_hms_nano_opt(0, 0, 0, 1_500).unwrap();
        assert_eq!(
            timestamp_text(t, true).unwrap(),
            "2026-01-01T00:00:00.000002Z"
        );
        let t = day.and_hms_nano_opt(23, 59, 59, 999_999_600).unwrap();
        assert_eq!(
            timestamp_text(t, false).unwrap(),
            "2026-01-02T00:00:00.000000"
        );
    }
}
