use chrono::{Datelike, DurationRound, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};
use orm_core::Value;
use orm_core::error::{Error, Result};
use rust_decimal::{Decimal, RoundingStrategy};
use sqlx::Arguments;
use sqlx::sqlite::SqliteArguments;

fn encode_error(error: impl std::fmt::Display) -> Error {
    Error::Encode {
        message: error.to_string(),
    }
}

/// A decimal as the integer `value * 10^scale`, rounded half away from zero like PostgreSQL,
/// refused (like PostgreSQL's "numeric field overflow") when it has more than `precision`
/// digits.
fn scaled_decimal(value: Decimal, precision: u8, scale: u8) -> Result<i64> {
    let mut rounded =
        value.round_dp_with_strategy(u32::from(scale), RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(u32::from(scale));
    if rounded.scale() != u32::from(scale) {
        return Err(encode_error(format!(
            "decimal {value} cannot be stored with scale {scale}"
        )));
    }
    let overflow = || {
        encode_error(format!(
            "numeric field overflow: {value} does not fit NUMERIC({precision}, {scale})"
        ))
    };
    let mantissa = i64::try_from(rounded.mantissa()).map_err(|_| overflow())?;
    let limit = 10_i64.checked_pow(u32::from(precision)).unwrap_or(i64::MAX);
    if mantissa.unsigned_abs() >= limit.unsigned_abs() {
        return Err(overflow());
    }
    Ok(mantissa)
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

/// `HH:MM:SS.ffffff`, the text of [`crate::dialect::TIME_FORMAT`] (a leap second keeps
/// `.999999`).
fn time_text(time: NaiveTime) -> impl std::fmt::Display {
    struct Text(NaiveTime);
    impl std::fmt::Display for Text {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let t = self.0;
            let micros = (t.nanosecond() / 1_000).min(999_999);
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

/// The fixed-width text a timestamp is stored as (formatted directly: this runs for every
/// bound timestamp, and chrono's `format` parses its pattern each time).
fn timestamp_text(t: NaiveDateTime, suffix: &str) -> String {
    format!("{}T{}{suffix}", date_text(t.date()), time_text(t.time()))
}

/// Bind orm values as SQLite arguments, in order.
pub fn sqlite_arguments(values: Vec<Value>) -> Result<SqliteArguments> {
    let mut args = SqliteArguments::default();
    let step = TimeDelta::microseconds(1);
    for value in values {
        let added = match value {
            Value::Bool(v) => args.add(v),
            Value::I16(v) => args.add(v),
            Value::I32(v) => args.add(v),
            Value::I64(v) => args.add(v),
            Value::F32(v) => args.add(v),
            Value::F64(v) => args.add(v),
            Value::String(v) => args.add(v),
            Value::Bytes(v) => args.add(v),
            Value::Decimal(v, Some((precision, scale))) => {
                args.add(v.map(|d| scaled_decimal(d, precision, scale)).transpose()?)
            }
            Value::Decimal(v, None) => args.add(v.map(|d| d.to_string())),
            Value::DateTimeUtc(v) => args.add(
                v.map(|t| {
                    t.duration_round(step)
                        .map(|t| timestamp_text(t.naive_utc(), "Z"))
                })
                .transpose()
                .map_err(encode_error)?,
            ),
            Value::NaiveDateTime(v) => args.add(
                v.map(|t| t.duration_round(step).map(|t| timestamp_text(t, "")))
                    .transpose()
                    .map_err(encode_error)?,
            ),
            Value::Date(v) => args.add(v.map(|d| date_text(d).to_string())),
            Value::Time(v) => args.add(v.map(|t| time_text(t).to_string())),
            Value::Uuid(v) => args.add(v.map(|u| u.as_bytes().to_vec())),
            Value::Json(v, _) => args.add(v.map(|j| j.to_string())),
            Value::Unencodable(message) => return Err(Error::Encode { message }),
            _ => {
                return Err(encode_error(
                    "a value type the SQLite backend does not know",
                ));
            }
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
            assert_eq!(
                timestamp_text(t, ""),
                t.format(NAIVE_DATETIME_FORMAT).to_string()
            );
            assert_eq!(
                timestamp_text(t, "Z"),
                t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
            );
        }
    }
}
