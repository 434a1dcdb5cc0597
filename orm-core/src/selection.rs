//! What a query returns and how rows decode: [`Selection`] (columns, expressions, tuples and
//! whole models, typed), [`FromRow`] (positional decoding for raw SQL and DTOs) and
//! [`SelectAs`] (a DTO that selects its own columns of a model).

use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::error::Result;
use crate::executor::RowDecoder;
use crate::expr::{Column, Expr, Expression, TypedExpr};
use crate::model::Model;
use crate::relation::{Eager, Loader};
use crate::types::{Json, NonNullField, RowReader, SqlField};
use crate::value::SqlType;

/// The select list being built: expressions, and for each whether the Rust type it decodes
/// into cannot hold NULL.
#[derive(Debug, Default, Clone)]
pub struct SelectList {
    /// The expressions.
    pub exprs: Vec<Expr>,
    /// Per expression: true when a NULL would fail to decode.
    pub not_null: Vec<bool>,
}

impl SelectList {
    /// Add an expression.
    pub fn push(&mut self, expr: Expr, not_null: bool) {
        self.exprs.push(expr);
        self.not_null.push(not_null);
    }
}

/// A typed select list: a column, an expression, a whole model, or a tuple of them. Its
/// `Output` is what a row decodes into, so a mismatched tuple type fails to compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected",
    label = "select a column, an expression, model_row::<M>(), or a tuple of up to 8 of them"
)]
pub trait Selection: Send + Sync + 'static {
    /// The Rust value of one row.
    type Output: Send + Unpin;
    /// Append the select-list expressions.
    fn push_exprs(&self, out: &mut SelectList);
    /// Decode starting at column `*index`, advancing it past the columns read.
    fn decode_at<R: RowReader + ?Sized>(&self, row: &R, index: &mut usize) -> Result<Self::Output>;
}

/// Decode one column of type `ty` at `*index` as a `T`, advancing the index: the
/// [`FromRow`] of every single column type.
pub fn decode_one<T: SqlField, R: RowReader + ?Sized>(
    row: &R,
    index: &mut usize,
    ty: SqlType,
) -> Result<T> {
    let value = T::decode(row, *index, ty)?;
    *index += 1;
    Ok(value)
}

impl<M: 'static, T: SqlField> Selection for Column<M, T> {
    type Output = T;
    fn push_exprs(&self, out: &mut SelectList) {
        out.push(self.into_expr(), !T::NULLABLE);
    }
    fn decode_at<R: RowReader + ?Sized>(&self, row: &R, index: &mut usize) -> Result<T> {
        decode_one(row, index, self.sql_type())
    }
}

impl<T: SqlField> Selection for TypedExpr<T> {
    type Output = T;
    fn push_exprs(&self, out: &mut SelectList) {
        out.push(self.clone().into_expr(), !T::NULLABLE);
    }
    fn decode_at<R: RowReader + ?Sized>(&self, row: &R, index: &mut usize) -> Result<T> {
        decode_one(row, index, self.sql_type())
    }
}

macro_rules! tuple_selection {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: Selection),+> Selection for ($($name,)+) {
            type Output = ($($name::Output,)+);
            fn push_exprs(&self, out: &mut SelectList) {
                $(self.$idx.push_exprs(out);)+
            }
            fn decode_at<R: RowReader + ?Sized>(&self, row: &R, index: &mut usize) -> Result<Self::Output> {
                Ok(($(self.$idx.decode_at(row, index)?,)+))
            }
        }
        impl<$($name: FromRow),+> FromRow for ($($name,)+) {
            fn decode_at<R: RowReader + ?Sized>(row: &R, index: &mut usize) -> Result<Self> {
                Ok(($($name::decode_at(row, index)?,)+))
            }
        }
    };
}
tuple_selection!(A 0);
tuple_selection!(A 0, B 1);
tuple_selection!(A 0, B 1, C 2);
tuple_selection!(A 0, B 1, C 2, D 3);
tuple_selection!(A 0, B 1, C 2, D 3, E 4);
tuple_selection!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_selection!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_selection!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// A [`RowReader`] whose column 0 is column `base` of another row: decodes a model that sits
/// after other columns in a select list.
pub(crate) struct Shifted<'a, R: ?Sized> {
    pub(crate) row: &'a R,
    pub(crate) base: usize,
}

macro_rules! shifted_reads {
    ($($method:ident -> $ty:ty),*) => {
        $(fn $method(&self, index: usize) -> Result<Option<$ty>> {
            self.row.$method(self.base + index)
        })*
    };
}

impl<R: RowReader + ?Sized> RowReader for Shifted<'_, R> {
    fn as_dyn(&self) -> &dyn RowReader {
        self
    }
    fn column_name(&self, index: usize) -> String {
        self.row.column_name(self.base + index)
    }
    fn is_null(&self, index: usize) -> Result<bool> {
        self.row.is_null(self.base + index)
    }
    fn read_decimal(&self, index: usize, ty: SqlType) -> Result<Option<Decimal>> {
        self.row.read_decimal(self.base + index, ty)
    }
    fn read_array(
        &self,
        index: usize,
        element: crate::value::ArrayElement,
    ) -> Result<Option<Vec<crate::value::Value>>> {
        self.row.read_array(self.base + index, element)
    }
    shifted_reads!(
        read_bool -> bool, read_i16 -> i16, read_i32 -> i32, read_i64 -> i64,
        read_f32 -> f32, read_f64 -> f64, read_string -> String, read_bytes -> Vec<u8>,
        read_datetime_utc -> DateTime<Utc>, read_naive_datetime -> NaiveDateTime,
        read_date -> NaiveDate, read_time -> NaiveTime, read_uuid -> Uuid,
        read_json -> serde_json::Value
    );
}

/// Every column of a model, as the select list of a join: `model_row::<User>()`, or
/// `alias.row()` for an aliased table.
pub struct ModelRow<M> {
    table: &'static str,
    _model: PhantomData<fn() -> M>,
}

/// Every column of `M`; decodes into `M`.
pub fn model_row<M: Model>() -> ModelRow<M> {
    ModelRow::qualified(M::TABLE.name)
}

impl<M: Model> ModelRow<M> {
    /// The columns of `M` qualified by `table` (an alias).
    pub fn qualified(table: &'static str) -> Self {
        ModelRow {
            table,
            _model: PhantomData,
        }
    }

    /// Decode `None` when the row's key is NULL: for the nullable side of an outer join.
    pub fn nullable(self) -> NullableModelRow<M> {
        NullableModelRow(self)
    }

    fn push(&self, out: &mut SelectList, not_null: bool) {
        for column in M::TABLE.columns {
            out.push(
                Expr::column_of(self.table, column.name, column.ty),
                not_null && !column.nullable,
            );
        }
    }

    fn decode<R: RowReader + ?Sized>(row: &R, index: &mut usize) -> Result<M> {
        let model = M::decode_row(&Shifted { row, base: *index })
            .map_err(|error| error.in_table(M::TABLE.name))?;
        *index += M::TABLE.columns.len();
        Ok(model)
    }
}

impl<M: Model> Selection for ModelRow<M> {
    type Output = M;
    fn push_exprs(&self, out: &mut SelectList) {
        self.push(out, true);
    }
    fn decode_at<R: RowReader + ?Sized>(&self, row: &R, index: &mut usize) -> Result<M> {
        Self::decode(row, index)
    }
}

/// [`ModelRow`] that decodes `None` when the row's primary key is NULL.
pub struct NullableModelRow<M>(ModelRow<M>);

impl<M: Model> Selection for NullableModelRow<M> {
    type Output = Option<M>;
    fn push_exprs(&self, out: &mut SelectList) {
        self.0.push(out, false);
    }
    fn decode_at<R: RowReader + ?Sized>(&self, row: &R, index: &mut usize) -> Result<Option<M>> {
        let table = M::TABLE;
        let key = table
            .columns
            .iter()
            .position(|c| c.primary_key)
            .unwrap_or(0);
        if row.is_null(*index + key)? {
            *index += table.columns.len();
            return Ok(None);
        }
        ModelRow::<M>::decode(row, index).map(Some)
    }
}

/// A row type decoded by position: tuples, single values, and `#[derive(FromRow)]` structs.
/// Used by [`crate::raw()`] queries.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be decoded from a row",
    label = "use a tuple of column types, a single column type, or #[derive(FromRow)]"
)]
pub trait FromRow: Sized + Send + Unpin + 'static {
    /// Decode starting at column `*index`, advancing it past the columns read.
    fn decode_at<R: RowReader + ?Sized>(row: &R, index: &mut usize) -> Result<Self>;
}

macro_rules! scalar_from_row {
    ($($ty:ty),*) => {$(
        impl FromRow for $ty {
            fn decode_at<R: RowReader + ?Sized>(row: &R, index: &mut usize) -> Result<Self> {
                decode_one(row, index, <$ty as SqlField>::SQL_TYPE)
            }
        }
    )*};
}
scalar_from_row!(
    bool,
    i16,
    i32,
    i64,
    f32,
    f64,
    String,
    Vec<u8>,
    DateTime<Utc>,
    NaiveDateTime,
    NaiveDate,
    NaiveTime,
    Decimal,
    Uuid,
    serde_json::Value
);

impl<T: NonNullField> FromRow for Option<T> {
    fn decode_at<R: RowReader + ?Sized>(row: &R, index: &mut usize) -> Result<Self> {
        decode_one(row, index, T::SQL_TYPE)
    }
}

impl<T> FromRow for Json<T>
where
    Json<T>: SqlField,
{
    fn decode_at<R: RowReader + ?Sized>(row: &R, index: &mut usize) -> Result<Self> {
        decode_one(row, index, SqlType::Jsonb)
    }
}

/// A struct that selects its own columns from a query on `M`: `#[derive(FromRow)]` with
/// `#[orm(model = M)]`, used by `M::query().select_as::<Dto>()`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row type of `{M}`",
    label = "select_as needs a DTO of this query's model",
    note = "put #[derive(FromRow)] and #[orm(model = {M})] on `{Self}`; its fields name columns of `{M}`"
)]
pub trait SelectAs<M>: Send + Unpin + Sized + 'static {
    /// The columns the DTO selects.
    fn push_exprs(out: &mut SelectList);
    /// Decode a row of exactly those columns.
    fn decode_selected<R: RowReader + ?Sized>(row: &R) -> Result<Self>;
}

/// A column whose values a DTO field of type `F` can hold: a column of type `F`.
#[diagnostic::on_unimplemented(
    message = "a `{F}` field cannot read this column: `{Self}`",
    label = "the field's type differs from the column's",
    note = "declare the field with the column's type"
)]
pub trait ColumnFor<F> {
    /// The column's SQL type.
    fn column_type(&self) -> SqlType;
}

#[diagnostic::do_not_recommend]
impl<M, T> ColumnFor<T> for Column<M, T> {
    fn column_type(&self) -> SqlType {
        self.sql_type()
    }
}

/// Read the next column of a row into a DTO field of type `F`, as `column` declares it (used
/// by `#[derive(FromRow)]`; the field's type must equal the column's).
#[inline]
pub fn decode_column<F: SqlField, C: ColumnFor<F>, R: RowReader + ?Sized>(
    row: &R,
    index: &mut usize,
    column: C,
) -> Result<F> {
    decode_one(row, index, column.column_type())
}

/// Decoders that are pure type markers: a struct over `PhantomData`, `new()` and `Default`.
macro_rules! marker_decoder {
    ($(#[$doc:meta] $name:ident<$($param:ident),+>;)*) => {$(
        #[$doc]
        pub struct $name<$($param),+>(PhantomData<fn() -> ($($param,)+)>);

        impl<$($param),+> $name<$($param),+> {
            /// The decoder.
            pub const fn new() -> Self {
                $name(PhantomData)
            }
        }

        impl<$($param),+> Default for $name<$($param),+> {
            fn default() -> Self {
                Self::new()
            }
        }
    )*};
}

/// Decodes whole model rows, and the relationships joined into them (`.with(..)`).
pub struct ModelDecoder<M> {
    eager: Option<Box<Eager<M>>>,
}

impl<M> ModelDecoder<M> {
    /// The decoder.
    pub const fn new() -> Self {
        ModelDecoder { eager: None }
    }

    /// The relationship work attached to the query.
    pub(crate) fn eager_mut(&mut self) -> &mut Eager<M> {
        self.eager.get_or_insert_with(Box::default)
    }
}

impl<M> Default for ModelDecoder<M> {
    fn default() -> Self {
        Self::new()
    }
}

marker_decoder! {
    /// Decodes rows into a [`SelectAs`] DTO.
    SelectAsDecoder<T, M>;
    /// Decodes rows into a [`FromRow`] type by position.
    FromRowDecoder<T>;
}

impl<M: Model> RowDecoder for ModelDecoder<M> {
    type Output = M;
    #[inline]
    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<M> {
        let mut model = M::decode_row(row).map_err(|error| error.in_table(M::TABLE.name))?;
        if let Some(eager) = &self.eager {
            eager.decode_joined(&mut model, row.as_dyn())?;
        }
        Ok(model)
    }

    fn take_followups(&mut self) -> Vec<Box<dyn Loader<M>>> {
        self.eager
            .as_mut()
            .map(|eager| std::mem::take(&mut eager.loaders))
            .unwrap_or_default()
    }
}

/// Decodes rows of a [`Selection`].
pub struct SelectionDecoder<S>(pub S);

impl<S: Selection> RowDecoder for SelectionDecoder<S> {
    type Output = S::Output;
    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<S::Output> {
        let mut index = 0;
        self.0.decode_at(row, &mut index)
    }
}

impl<T: SelectAs<M>, M> RowDecoder for SelectAsDecoder<T, M> {
    type Output = T;
    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<T> {
        T::decode_selected(row)
    }
}

impl<T: FromRow> RowDecoder for FromRowDecoder<T> {
    type Output = T;
    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<T> {
        let mut index = 0;
        T::decode_at(row, &mut index)
    }
}

/// Decodes a single scalar of type `T` from column `index`.
pub struct ScalarDecoder<T> {
    ty: SqlType,
    index: usize,
    _marker: PhantomData<fn() -> T>,
}

impl<T> ScalarDecoder<T> {
    /// Decode column `index` as `ty`.
    pub const fn new(ty: SqlType, index: usize) -> Self {
        ScalarDecoder {
            ty,
            index,
            _marker: PhantomData,
        }
    }
}

impl<T: SqlField> RowDecoder for ScalarDecoder<T> {
    type Output = T;
    fn decode<R: RowReader + ?Sized>(&self, row: &R) -> Result<T> {
        T::decode(row, self.index, self.ty)
    }
}

/// Marks a query with no select list yet ([`crate::select::select_from`]): it cannot run
/// until `.select(..)` gives it one.
pub struct NeedsSelect;
