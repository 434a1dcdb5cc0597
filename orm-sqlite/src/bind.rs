use chrono::{DurationRound, TimeDelta};
use orm_core::Value;
use orm_core::error::{Error, Result};
use rust_decimal::{Decimal, RoundingStrategy};
use sqlx::Arguments;
use sqlx::sqlite::SqliteArguments;

use crate::dialect::{DATE_FORMAT, NAIVE_DATETIME_FORMAT, TIME_FORMAT, UTC_FORMAT};

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
                        .map(|t| t.format(UTC_FORMAT).to_string())
                })
                .transpose()
                .map_err(encode_error)?,
            ),
            Value::NaiveDateTime(v) => args.add(
                v.map(|t| {
                    t.duration_round(step)
                        .map(|t| t.format(NAIVE_DATETIME_FORMAT).to_string())
                })
                .transpose()
                .map_err(encode_error)?,
            ),
            Value::Date(v) => args.add(v.map(|d| d.format(DATE_FORMAT).to_string())),
            Value::Time(v) => args.add(v.map(|t| t.format(TIME_FORMAT).to_string())),
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
