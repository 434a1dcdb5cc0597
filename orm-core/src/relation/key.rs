//! Key values that relationships match parents and children by.

use uuid::Uuid;

use crate::error::Result;
use crate::types::RowReader;
use crate::value::{SqlType, Value};

/// The value of a key or foreign-key column, hashable so that children can be matched to
/// their parents. Integer keys of every width are one variant, so an `i32` foreign key
/// matches an `i64` key holding the same number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValue {
    /// An integer key.
    Int(i64),
    /// A text key.
    Text(String),
    /// A UUID key.
    Uuid(Uuid),
}

/// Hashes only the value (one write for integer keys, the common case); equality still
/// tells the variants apart.
impl std::hash::Hash for KeyValue {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            KeyValue::Int(i) => state.write_i64(*i),
            KeyValue::Text(s) => s.hash(state),
            KeyValue::Uuid(u) => u.hash(state),
        }
    }
}

impl KeyValue {
    /// The value to bind against a column of type `ty`.
    pub fn to_value(&self, ty: SqlType) -> Value {
        match (self, ty) {
            (KeyValue::Int(i), SqlType::SmallInt) => {
                i16::try_from(*i).map_or_else(|_| out_of_range(*i, ty), |v| Value::I16(Some(v)))
            }
            (KeyValue::Int(i), SqlType::Int) => {
                i32::try_from(*i).map_or_else(|_| out_of_range(*i, ty), |v| Value::I32(Some(v)))
            }
            (KeyValue::Int(i), _) => Value::I64(Some(*i)),
            (KeyValue::Text(s), _) => Value::String(Some(s.clone())),
            (KeyValue::Uuid(u), _) => Value::Uuid(Some(*u)),
        }
    }

    /// Read a key column of type `ty`; `None` when it is NULL.
    pub fn read<R: RowReader + ?Sized>(
        row: &R,
        index: usize,
        ty: SqlType,
    ) -> Result<Option<KeyValue>> {
        Ok(match ty {
            SqlType::SmallInt => row.read_i16(index)?.map(|v| KeyValue::Int(v.into())),
            SqlType::Int => row.read_i32(index)?.map(|v| KeyValue::Int(v.into())),
            SqlType::Uuid => row.read_uuid(index)?.map(KeyValue::Uuid),
            SqlType::Text | SqlType::Varchar(_) => row.read_string(index)?.map(KeyValue::Text),
            _ => row.read_i64(index)?.map(KeyValue::Int),
        })
    }
}

fn out_of_range(value: i64, ty: SqlType) -> Value {
    Value::Unencodable(format!("key {value} does not fit a {ty:?} column"))
}

/// A field type that can be a key or foreign key of a relationship: `i16`, `i32`, `i64`,
/// `String`, `Uuid`, or `Option` of one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the key of a relationship",
    label = "relationships match keys of type i16, i32, i64, String or Uuid (or Option of one)",
    note = "a model with a composite primary key cannot be the target of a relationship yet"
)]
pub trait RelationKey {
    /// The key, `None` when the value is NULL.
    fn relation_key(&self) -> Option<KeyValue>;
}

macro_rules! int_key {
    ($($ty:ty),*) => {$(
        impl RelationKey for $ty {
            #[inline]
            fn relation_key(&self) -> Option<KeyValue> {
                Some(KeyValue::Int(i64::from(*self)))
            }
        }
    )*};
}
int_key!(i16, i32, i64);

impl RelationKey for String {
    fn relation_key(&self) -> Option<KeyValue> {
        Some(KeyValue::Text(self.clone()))
    }
}

impl RelationKey for Uuid {
    fn relation_key(&self) -> Option<KeyValue> {
        Some(KeyValue::Uuid(*self))
    }
}

impl<T: RelationKey> RelationKey for Option<T> {
    #[inline]
    fn relation_key(&self) -> Option<KeyValue> {
        self.as_ref().and_then(RelationKey::relation_key)
    }
}
