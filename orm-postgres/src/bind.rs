use orm_core::Value;
use orm_core::error::{Error, Result};
use orm_core::value::ArrayValue;
use sqlx::Arguments;
use sqlx::postgres::PgArguments;

fn encode_error(error: impl std::fmt::Display) -> Error {
    Error::Encode {
        message: error.to_string(),
    }
}

/// Bind orm values as PostgreSQL arguments, in order, each with its own type (a NULL keeps
/// its type so PostgreSQL can infer the parameter).
pub fn pg_arguments(values: Vec<Value>) -> Result<PgArguments> {
    let mut args = PgArguments::default();
    args.reserve(values.len(), values.len() * 8);
    for value in values {
        let added = match value {
            Value::Bool(v) => args.add(v),
            Value::I16(v) => args.add(v),
            Value::I32(v) => args.add(v),
            Value::I64(v) => args.add(v),
            Value::F32(v) => args.add(v),
            Value::F64(v) => args.add(v),
            Value::String(v) => {
                if v.as_deref().is_some_and(|s| s.contains('\0')) {
                    return Err(Error::Encode {
                        message: "PostgreSQL text cannot contain NUL (\\0) characters; store such data as Vec<u8> (BYTEA)".into(),
                    });
                }
                args.add(v)
            }
            Value::Bytes(v) => args.add(v),
            Value::Decimal(v, _) => args.add(v),
            Value::DateTimeUtc(v) => args.add(v),
            Value::NaiveDateTime(v) => args.add(v),
            Value::Date(v) => args.add(v),
            Value::Time(v) => args.add(v),
            Value::Uuid(v) => args.add(v),
            Value::Json(v, _) => args.add(v.map(sqlx::types::Json)),
            Value::Array(array) => match array {
                ArrayValue::I16(v) => args.add(v),
                ArrayValue::I32(v) => args.add(v),
                ArrayValue::I64(v) => args.add(v),
                ArrayValue::String(v) => args.add(v),
                ArrayValue::Uuid(v) => args.add(v),
                _ => {
                    return Err(encode_error(
                        "an array type the PostgreSQL backend does not know",
                    ));
                }
            },
            Value::Unencodable(message) => return Err(Error::Encode { message }),
            _ => {
                return Err(encode_error(
                    "a value type the PostgreSQL backend does not know",
                ));
            }
        };
        added.map_err(encode_error)?;
    }
    Ok(args)
}
