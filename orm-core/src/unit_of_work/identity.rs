//! Hashable primary keys for the identity map.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::value::Value;

/// A primary key (one value, or several for a composite key) that can key a hash map: two
/// keys are equal when the database would compare their values as equal — integers of every
/// width are one kind (`5_i32` and `5_i64` are the same key), decimals compare by value
/// (`1.50` and `1.5`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdentityKey(Box<[KeyPart]>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyPart {
    Null,
    Bool(bool),
    Int(i64),
    /// A float's bits (keys should not be floats; this keeps them hashable anyway).
    Float(u64),
    Text(String),
    Bytes(Vec<u8>),
    Decimal(Decimal),
    DateTimeUtc(DateTime<Utc>),
    NaiveDateTime(NaiveDateTime),
    Date(NaiveDate),
    Time(NaiveTime),
    Uuid(Uuid),
    /// JSON text, and values no key holds (lists, unencodable values), by their debug form.
    Other(String),
}

impl KeyPart {
    fn of(value: &Value) -> KeyPart {
        fn or_null<T>(value: Option<T>, part: impl FnOnce(T) -> KeyPart) -> KeyPart {
            value.map_or(KeyPart::Null, part)
        }
        match value {
            Value::Bool(v) => or_null(*v, KeyPart::Bool),
            Value::I16(v) => or_null(*v, |v| KeyPart::Int(v.into())),
            Value::I32(v) => or_null(*v, |v| KeyPart::Int(v.into())),
            Value::I64(v) => or_null(*v, KeyPart::Int),
            Value::F32(v) => or_null(*v, |v| KeyPart::Float(f64::from(v).to_bits())),
            Value::F64(v) => or_null(*v, |v| KeyPart::Float(v.to_bits())),
            Value::String(v) => or_null(v.clone(), KeyPart::Text),
            Value::Enum(v, _) => or_null(*v, |v| KeyPart::Text(v.to_owned())),
            Value::Bytes(v) => or_null(v.clone(), KeyPart::Bytes),
            Value::Decimal(v, _) => or_null(*v, |v| KeyPart::Decimal(v.normalize())),
            Value::DateTimeUtc(v) => or_null(*v, KeyPart::DateTimeUtc),
            Value::NaiveDateTime(v) => or_null(*v, KeyPart::NaiveDateTime),
            Value::Date(v) => or_null(*v, KeyPart::Date),
            Value::Time(v) => or_null(*v, KeyPart::Time),
            Value::Uuid(v) => or_null(*v, KeyPart::Uuid),
            Value::Json(v, _) => or_null(v.as_ref(), |v| KeyPart::Other(v.to_string())),
            other => KeyPart::Other(format!("{other:?}")),
        }
    }
}

impl IdentityKey {
    /// The key holding `values` (a model's [`crate::Model::key_values`], in primary-key
    /// order).
    pub fn new(values: &[Value]) -> IdentityKey {
        IdentityKey(values.iter().map(KeyPart::of).collect())
    }

    /// The key of `values` at `positions` (a row's key columns picked out of its values).
    pub fn at(values: &[Value], positions: &[usize]) -> IdentityKey {
        IdentityKey(positions.iter().map(|&i| KeyPart::of(&values[i])).collect())
    }

    /// True when a part is NULL (no row is keyed by it; a NULL foreign key references none).
    pub fn has_null(&self) -> bool {
        self.0.contains(&KeyPart::Null)
    }

    /// The integer of a single-column integer key.
    pub fn as_integer(&self) -> Option<i64> {
        match &*self.0 {
            [KeyPart::Int(i)] => Some(*i),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_of_every_width_are_one_key() {
        let narrow = IdentityKey::new(&[Value::I32(Some(5))]);
        let wide = IdentityKey::new(&[Value::I64(Some(5))]);
        assert_eq!(narrow, wide);
        assert_eq!(wide.as_integer(), Some(5));
        assert_ne!(wide, IdentityKey::new(&[Value::I64(Some(6))]));
    }

    #[test]
    fn decimals_compare_by_value() {
        let a = IdentityKey::new(&[Value::Decimal(Some(Decimal::new(150, 2)), None)]);
        let b = IdentityKey::new(&[Value::Decimal(Some(Decimal::new(15, 1)), Some((10, 1)))]);
        assert_eq!(a, b);
    }

    #[test]
    fn composite_keys_compare_every_part_in_order() {
        let key = |a: i64, b: &str| {
            IdentityKey::new(&[Value::I64(Some(a)), Value::String(Some(b.into()))])
        };
        assert_eq!(key(1, "x"), key(1, "x"));
        assert_ne!(key(1, "x"), key(1, "y"));
        assert_ne!(key(1, "x"), IdentityKey::new(&[Value::I64(Some(1))]));
        assert_eq!(key(1, "x").as_integer(), None);
    }

    #[test]
    fn null_parts_are_seen() {
        let key = IdentityKey::at(&[Value::I64(None), Value::I64(Some(1))], &[1]);
        assert!(!key.has_null());
        assert!(IdentityKey::at(&[Value::I64(None)], &[0]).has_null());
        // Text and integers are different keys even when they read alike.
        assert_ne!(
            IdentityKey::new(&[Value::String(Some("1".into()))]),
            IdentityKey::new(&[Value::I64(Some(1))])
        );
    }
}
