//! Values no backend can store and read back exactly, refused with [`Error::Encode`] before
//! anything is sent: text with NUL characters (in JSON strings too), leap seconds, JSON
//! nested deeper than it can be read back. Timestamps and times are rounded to microseconds (the
//! precision both backends store) here, the same way for both. Each backend adds its own
//! limits in its bind module (SQLite: NaN, `-0.0`, years outside 0001–9999).

use chrono::{NaiveDateTime, NaiveTime, TimeDelta, Timelike};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{Error, Result};
use crate::value::Value;

fn refuse(message: impl Into<String>) -> Error {
    Error::Encode {
        message: message.into(),
    }
}

/// Deepest nesting of JSON arrays and objects that reads back: serde_json refuses to parse
/// deeper documents, so a deeper one would be written and then fail to load.
pub const MAX_JSON_DEPTH: usize = 127;

/// Text must not contain NUL: PostgreSQL cannot store it, and SQLite's `LIKE` stops at it.
pub fn check_text(text: &str) -> Result<()> {
    if text.contains('\0') {
        return Err(refuse(
            "text cannot contain NUL (\\0) characters (PostgreSQL cannot store them and \
             SQLite's LIKE stops at them); store such data as Vec<u8>",
        ));
    }
    Ok(())
}

/// A JSON document must read back: at most [`MAX_JSON_DEPTH`] levels deep, and no NUL in its
/// strings or keys (PostgreSQL refuses `\u0000`: orm binds JSON as `jsonb`, which a `json`
/// column takes too).
pub fn check_json(document: &serde_json::Value) -> Result<()> {
    let mut pending = vec![(document, 1_usize)];
    while let Some((value, depth)) = pending.pop() {
        let children: Box<dyn Iterator<Item = &serde_json::Value>> = match value {
            serde_json::Value::Array(items) => Box::new(items.iter()),
            serde_json::Value::Object(entries) => {
                for key in entries.keys() {
                    check_json_text(key)?;
                }
                Box::new(entries.values())
            }
            serde_json::Value::String(text) => {
                check_json_text(text)?;
                continue;
            }
            _ => continue,
        };
        if depth > MAX_JSON_DEPTH {
            return Err(refuse(format!(
                "a JSON document nested more than {MAX_JSON_DEPTH} levels deep cannot be read \
                 back"
            )));
        }
        pending.extend(children.map(|child| (child, depth + 1)));
    }
    Ok(())
}

fn check_json_text(text: &str) -> Result<()> {
    if text.contains('\0') {
        return Err(refuse(
            "JSON cannot hold NUL (\\u0000) in its strings or keys (PostgreSQL refuses it)",
        ));
    }
    Ok(())
}

/// Refuse a leap second (chrono's second 60, which no backend keeps) and round the rest to
/// microseconds, half up; `None` when rounding leaves the range of the type.
fn micros(nanosecond: u32) -> Result<(u32, bool)> {
    if nanosecond >= 1_000_000_000 {
        return Err(refuse(
            "a leap second (second 60) cannot be stored: no backend keeps it",
        ));
    }
    Ok((nanosecond - nanosecond % 1_000, nanosecond % 1_000 >= 500))
}

/// The timestamp rounded to microseconds (half up), as it is stored; a leap second is
/// refused.
pub fn timestamp_micros(t: NaiveDateTime) -> Result<NaiveDateTime> {
    let (truncated, round_up) = micros(t.nanosecond())?;
    if truncated == t.nanosecond() && !round_up {
        return Ok(t);
    }
    let base = t
        .with_nanosecond(truncated)
        .expect("a smaller nanosecond is valid");
    if !round_up {
        return Ok(base);
    }
    base.checked_add_signed(TimeDelta::microseconds(1))
        .ok_or_else(|| refuse(format!("{t} rounded to microseconds is out of range")))
}

/// The time of day rounded to microseconds (half up), as it is stored; a leap second, or a
/// time that would round to 24:00:00, is refused.
pub fn time_micros(t: NaiveTime) -> Result<NaiveTime> {
    let (truncated, round_up) = micros(t.nanosecond())?;
    let base = t
        .with_nanosecond(truncated)
        .expect("a smaller nanosecond is valid");
    if !round_up {
        return Ok(base);
    }
    let (rounded, wrapped) = base.overflowing_add_signed(TimeDelta::microseconds(1));
    if wrapped != 0 {
        return Err(refuse(format!(
            "{t} rounds to 24:00:00, which a time cannot hold"
        )));
    }
    Ok(rounded)
}

/// A decimal as a `NUMERIC(precision, scale)` column stores it: rounded half away from zero
/// to `scale` decimals, as PostgreSQL rounds on assignment, and refused (PostgreSQL's
/// "numeric field overflow") when it needs more than `precision` digits. Precision 0 marks a
/// computed type, where only the scale applies.
pub fn stored_decimal(value: Decimal, precision: u8, scale: u8) -> Result<Decimal> {
    let rounded =
        value.round_dp_with_strategy(u32::from(scale), RoundingStrategy::MidpointAwayFromZero);
    // Digits before the point, against the `precision - scale` the column leaves them.
    let whole = rounded.trunc().abs().mantissa().unsigned_abs();
    let whole_digits = if whole == 0 { 0 } else { whole.ilog10() + 1 };
    if precision > 0 && whole_digits > u32::from(precision.saturating_sub(scale)) {
        return Err(refuse(format!(
            "numeric field overflow: {value} does not fit NUMERIC({precision}, {scale})"
        )));
    }
    Ok(rounded)
}

/// Check a value about to be stored in its column (an inserted or assigned value), the same
/// way for every backend: a decimal must fit its column's precision.
pub fn check_stored(value: &Value) -> Result<()> {
    match value {
        Value::Decimal(Some(d), Some((precision, scale))) if *scale != u8::MAX => {
            stored_decimal(*d, *precision, *scale).map(drop)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde_json::json;

    use super::*;

    #[test]
    fn json_depth_is_counted_per_level() {
        let mut deep = json!(1);
        for _ in 0..MAX_JSON_DEPTH {
            deep = json!([deep]);
        }
        check_json(&deep).unwrap();
        let text = deep.to_string();
        serde_json::from_str::<serde_json::Value>(&text).expect("the deepest accepted reads back");
        let deeper = json!({ "a": deep });
        assert!(check_json(&deeper).is_err());
        assert!(serde_json::from_str::<serde_json::Value>(&deeper.to_string()).is_err());
    }

    #[test]
    fn json_refuses_nul_in_keys_and_strings() {
        assert!(check_json(&json!({"a\u{0}": 1})).is_err());
        assert!(check_json(&json!(["x\u{0}"])).is_err());
        check_json(&json!({"a": ["x"]})).unwrap();
    }

    #[test]
    fn timestamps_round_half_up_past_2262() {
        let t = NaiveDate::from_ymd_opt(9999, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 999_999_499)
            .unwrap();
        assert_eq!(timestamp_micros(t).unwrap().nanosecond(), 999_999_000);
        let t = NaiveDate::from_ymd_opt(3000, 1, 1)
            .unwrap()
            .and_hms_nano_opt(0, 0, 0, 1_500)
            .unwrap();
        assert_eq!(timestamp_micros(t).unwrap().nanosecond(), 2_000);
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_000_000_000)
            .unwrap();
        assert!(timestamp_micros(leap).is_err());
        let late = NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_700).unwrap();
        assert!(time_micros(late).is_err());
    }
}
