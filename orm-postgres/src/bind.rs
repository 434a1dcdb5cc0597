use chrono::{NaiveDate, NaiveDateTime};
use orm_core::error::{Error, Result};
use orm_core::faithful;
use orm_core::{ArrayElement, Value};
use sqlx::Arguments;
use sqlx::postgres::PgArguments;

fn encode_error(error: impl std::fmt::Display) -> Error {
    Error::Encode {
        message: error.to_string(),
    }
}

/// The earliest date PostgreSQL stores: 4714-11-24 BC (Julian day 0), year -4713 in chrono.
fn check_date(date: NaiveDate) -> Result<NaiveDate> {
    let earliest = NaiveDate::from_ymd_opt(-4713, 11, 24).expect("a valid date");
    if date < earliest {
        return Err(encode_error(format!(
            "{date} cannot be stored on PostgreSQL: its dates begin at 4714-11-24 BC"
        )));
    }
    Ok(date)
}

fn timestamp(t: NaiveDateTime) -> Result<NaiveDateTime> {
    check_date(t.date())?;
    faithful::timestamp_micros(t)
}

/// `value` as it will be stored, after the checks every value gets, alone or as a list item:
/// text without NUL, timestamps and times rounded to microseconds, dates PostgreSQL holds,
/// JSON that reads back.
fn checked(value: Value) -> Result<Value> {
    Ok(match value {
        Value::String(Some(text)) => {
            faithful::check_text(&text)?;
            Value::String(Some(text))
        }
        Value::DateTimeUtc(Some(t)) => {
            Value::DateTimeUtc(Some(timestamp(t.naive_utc())?.and_utc()))
        }
        Value::NaiveDateTime(Some(t)) => Value::NaiveDateTime(Some(timestamp(t)?)),
        Value::Date(Some(d)) => Value::Date(Some(check_date(d)?)),
        Value::Time(Some(t)) => Value::Time(Some(faithful::time_micros(t)?)),
        Value::Json(Some(document), binary) => {
            faithful::check_json(&document)?;
            Value::Json(Some(document), binary)
        }
        Value::Unencodable(message) => return Err(Error::Encode { message }),
        other => other,
    })
}

/// An array column's value as a typed PostgreSQL array (`BIGINT[]`), each element checked
/// as a single bind would be.
fn add_array(
    args: &mut PgArguments,
    items: Option<Vec<Value>>,
    element: ArrayElement,
) -> Result<()> {
    macro_rules! typed {
        ($variant:ident, $ty:ty) => {{
            let array: Option<Vec<$ty>> = match items {
                None => None,
                Some(items) => Some(
                    items
                        .into_iter()
                        .map(|item| match checked(item)? {
                            Value::$variant(Some(v)) => Ok(v),
                            _ => Err(encode_error(
                                "an array element that is NULL or of another type",
                            )),
                        })
                        .collect::<Result<_>>()?,
                ),
            };
            args.add(array)
        }};
    }
    orm_core::for_array_element!(element, typed).map_err(encode_error)
}

/// The items of a list parameter as one typed PostgreSQL array (NULL items kept), each
/// checked as a single bind would be.
fn add_list(args: &mut PgArguments, items: Vec<Value>) -> Result<()> {
    let Some(first) = items.first() else {
        return Err(encode_error("an empty list parameter"));
    };
    let mixed = || encode_error("a list parameter mixes value types");
    macro_rules! array {
        ($pattern:pat => $item:expr) => {{
            let mut array = Vec::with_capacity(items.len());
            for item in items {
                match checked(item)? {
                    $pattern => array.push($item),
                    _ => return Err(mixed()),
                }
            }
            args.add(array)
        }};
    }
    let added = match first {
        Value::Bool(_) => array!(Value::Bool(v) => v),
        Value::I16(_) => array!(Value::I16(v) => v),
        Value::I32(_) => array!(Value::I32(v) => v),
        Value::I64(_) => array!(Value::I64(v) => v),
        Value::F32(_) => array!(Value::F32(v) => v),
        Value::F64(_) => array!(Value::F64(v) => v),
        Value::String(_) => array!(Value::String(v) => v),
        Value::Bytes(_) => array!(Value::Bytes(v) => v),
        Value::Decimal(..) => array!(Value::Decimal(v, _) => v),
        Value::DateTimeUtc(_) => array!(Value::DateTimeUtc(v) => v),
        Value::NaiveDateTime(_) => array!(Value::NaiveDateTime(v) => v),
        Value::Date(_) => array!(Value::Date(v) => v),
        Value::Time(_) => array!(Value::Time(v) => v),
        Value::Uuid(_) => array!(Value::Uuid(v) => v),
        Value::Json(..) => array!(Value::Json(v, _) => v.map(sqlx::types::Json)),
        _ => {
            return Err(encode_error(
                "a list parameter of a type PostgreSQL does not bind as an array",
            ));
        }
    };
    added.map_err(encode_error)
}

/// Bind orm values as PostgreSQL arguments, in order, each with its own type (a NULL keeps
/// its type so PostgreSQL can infer the parameter).
pub fn pg_arguments(values: Vec<Value>) -> Result<PgArguments> {
    let mut args = PgArguments::default();
    args.reserve(values.len(), values.len() * 8);
    for value in values {
        let added = match value {
            Value::List(items) => {
                add_list(&mut args, items)?;
                continue;
            }
            Value::Array(items, element) => {
                add_array(&mut args, items, element)?;
                continue;
            }
            value => match checked(value)? {
                Value::Bool(v) => args.add(v),
                Value::I16(v) => args.add(v),
                Value::I32(v) => args.add(v),
                Value::I64(v) => args.add(v),
                Value::F32(v) => args.add(v),
                Value::F64(v) => args.add(v),
                Value::String(v) => args.add(v),
                Value::Bytes(v) => args.add(v),
                Value::Decimal(v, _) => args.add(v),
                Value::DateTimeUtc(v) => args.add(v),
                Value::NaiveDateTime(v) => args.add(v),
                Value::Date(v) => args.add(v),
                Value::Time(v) => args.add(v),
                Value::Uuid(v) => args.add(v),
                Value::Json(v, _) => args.add(v.map(sqlx::types::Json)),
                Value::Enum(v, _) => args.add(v),
                _ => {
                    return Err(encode_error(
                        "a value type the PostgreSQL backend does not know",
                    ));
                }
            },
        };
        added.map_err(encode_error)?;
    }
    Ok(args)
}
