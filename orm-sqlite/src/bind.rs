use chrono::{
    Datelike, DurationRound, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeDelta,
    Timelike,
};
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
    // Precision 0 marks a computed value (an aggregate's type): only the scale applies.
    let limit = match precision {
        0 => i64::MAX,
        p => 10_i64.checked_pow(u32::from(p)).unwrap_or(i64::MAX),
    };
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

/// The fixed-width text a timestamp is stored as, rounded to microseconds (as PostgreSQL
/// does), with a `Z` for `DateTime<Utc>`. This runs for every bound timestamp, so it uses
/// chrono's RFC 3339 writer rather than `format`, which parses its pattern on each call.
fn timestamp_text(t: NaiveDateTime, zulu: bool) -> Result<String> {
    let t = if t.nanosecond().is_multiple_of(1_000) {
        t
    } else {
        t.duration_round(TimeDelta::microseconds(1))
            .map_err(encode_error)?
    };
    let mut text = t.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true);
    if !zulu {
        text.pop();
    }
    Ok(text)
}

/// Bind orm values as SQLite arguments, in order.
pub fn sqlite_arguments(values: Vec<Value>) -> Result<SqliteArguments> {
    let mut args = SqliteArguments::default();
    args.reserve(values.len(), 0);
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
            Value::DateTimeUtc(v) => {
                args.add(v.map(|t| timestamp_text(t.naive_utc(), true)).transpose()?)
            }
            Value::NaiveDateTime(v) => args.add(v.map(|t| timestamp_text(t, false)).transpose()?),
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
