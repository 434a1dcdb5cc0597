//! Newtype columns: [`DbType`], which `#[derive(DbType)]` implements for a one-field struct
//! (`struct UserId(i64);`), and the impls that let the newtype go wherever its inner type
//! goes: keys and foreign keys of relationships, `like` and the string functions on a text
//! newtype, arithmetic and aggregates on a numeric one, `max_length`, `numeric(p, s)` and
//! validation rules, `custom` validators.
//!
//! A newtype is its own type in queries: `Post::author_id.eq(UserId(7))` compiles,
//! `Post::author_id.eq(7)` and `Post::author_id.eq(Post::id)` do not (when `id` is a
//! `PostId`). It is stored exactly as its inner type.

use crate::arith::NumericType;
use crate::expr::TextType;
use crate::functions::{Averageable, Roundable, Summable, Temporal, Textual, Timestamp};
use crate::types::{DecimalField, NonNullField, RangeField, TextField};
use crate::value::SqlType;

/// The traits `#[derive(DbType)]` gives a newtype when its inner type has them, by these
/// names (support for generated code).
#[doc(hidden)]
pub mod markers {
    pub use crate::arith::NumericType;
    pub use crate::expr::TextType;
    pub use crate::functions::{Averageable, Roundable, Summable, Temporal, Textual, Timestamp};
    pub use crate::relation::{KeyValue, RelationKey};
    pub use crate::types::{AutoKey, DecimalField, RangeField, TextField};
    pub use crate::validation::FromValue;
}

/// A column type that wraps another: `#[derive(DbType)] struct UserId(i64);`.
///
/// The derive implements this with [`crate::SqlField`] and [`NonNullField`] (stored and read
/// as `Inner`), [`crate::FromRow`] (selected on its own), and each marker trait of the query
/// language (text, numeric, decimal, temporal, key) that `Inner` has; `Option<Newtype>` gets
/// them here.
pub trait DbType: Sized + Send + Sync + Unpin + 'static {
    /// The wrapped column type.
    type Inner: NonNullField;
    /// Wrap a value read from the database.
    fn from_inner(inner: Self::Inner) -> Self;
    /// The wrapped value, to bind.
    fn inner(&self) -> &Self::Inner;
}

/// The marker traits of an `Option` of a newtype: those the newtype has (the derive gives the
/// newtype those its inner type has; an impl for `Option<Newtype>` must live here).
macro_rules! option_markers {
    ($($marker:path),* $(,)?) => {$(
        #[diagnostic::do_not_recommend]
        impl<T: DbType + $marker> $marker for Option<T> {}
    )*};
}
option_markers!(
    TextField,
    DecimalField,
    RangeField,
    TextType,
    Textual,
    NumericType,
    Roundable,
    Timestamp,
);

#[diagnostic::do_not_recommend]
impl<T: DbType + Summable> Summable for Option<T>
where
    Option<T::Inner>: Summable,
{
    type Sum = <Option<T::Inner> as Summable>::Sum;
    fn sum_type(arg: SqlType) -> SqlType {
        <Option<T::Inner>>::sum_type(arg)
    }
}

#[diagnostic::do_not_recommend]
impl<T: DbType + Averageable> Averageable for Option<T>
where
    Option<T::Inner>: Averageable,
{
    type Avg = <Option<T::Inner> as Averageable>::Avg;
    fn avg_type(arg: SqlType) -> SqlType {
        <Option<T::Inner>>::avg_type(arg)
    }
}

#[diagnostic::do_not_recommend]
impl<T: DbType + Temporal> Temporal for Option<T>
where
    Option<T::Inner>: Temporal,
{
    type Part = <Option<T::Inner> as Temporal>::Part;
    type Epoch = <Option<T::Inner> as Temporal>::Epoch;
    const EPOCH_SCALE: u8 = <Option<T::Inner> as Temporal>::EPOCH_SCALE;
}
