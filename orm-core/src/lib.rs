//! Backend-neutral core of orm.
//!
//! - [`meta`]: runtime metadata of models (tables, columns, keys, indexes, foreign keys).
//! - [`value`] and [`types`]: SQL types, bound values, and the Rust ↔ SQL field mapping.
//! - [`expr`]: typed expressions and column handles.
//! - [`functions`]: aggregates, scalar and window functions.
//! - [`select`], [`mod@insert`], [`mutation`], [`crud`]: query builders and single-row operations;
//!   [`selection`] types what they return, [`source`] what they read from; [`mod@raw`] is the
//!   hand-written SQL escape hatch.
//! - [`statement`] and [`render`]: the statement AST and the one renderer, writing through a
//!   [`Dialect`].
//! - [`executor`]: the seam through which statements run on a backend.
//! - [`unit_of_work`]: the identity map and flush behind `orm::Session`.
//! - [`error`]: the one error type; [`constraint`] names the constraint a failed write
//!   violated from the model metadata, the same on every backend.
//!
//! Users depend on the `orm` facade, which re-exports what they need.

mod arith;
pub mod array;
pub mod constraint;
pub mod crud;
pub mod ddl;
pub mod dialect;
pub mod error;
pub mod executor;
pub mod expr;
pub mod faithful;
pub mod functions;
pub mod guard;
pub mod inheritance;
pub mod insert;
pub mod json;
mod keyset;
pub mod meta;
pub mod model;
pub mod mutation;
pub mod newtype;
mod ordering;
pub mod raw;
pub mod relation;
pub mod render;
mod row_write;
pub mod schema;
pub mod schema_def;
pub mod select;
mod select_rules;
pub mod selection;
mod soft_delete;
pub mod source;
pub mod statement;
pub mod types;
pub mod unit_of_work;
pub mod validation;
pub mod value;

pub use crud::Tracked;
pub use dialect::{Capabilities, Dialect};
pub use error::{ConstraintInfo, Error, ErrorKind, OptionalExtension, Result};
pub use executor::{Executor, RowDecoder};
pub use expr::{
    Column, Condition, DatePart, DateUnit, Expr, Expression, ExpressionExt, FrameBound, Ordering,
    Sorted, TypedExpr,
};
pub use insert::{Insert, insert, insert_select};
pub use model::{GeneratedKey, Hooks, Model, NewModel, SoftDelete, StatementCache, WithKey};
pub use mutation::{Delete, Update};
pub use newtype::DbType;
pub use raw::{Raw, raw};
pub use relation::{BelongsTo, HasMany, HasOne, ManyToMany, Relation};
pub use schema::Schema;
pub use select::{RowStream, Select, select_from};
pub use selection::{FromRow, SelectAs, Selection, model_row};
pub use source::{Alias, Cte, Derived, NamedColumns, alias, cte, recursive_cte};
pub use statement::{Statement, WriteAction, WriteTarget, WrittenValues};
pub use types::{IntoOperand, Json, NonNullField, RowReader, SqlField};
pub use value::{ArrayElement, DecimalScale, NativeEnum, SqlType, Value};
