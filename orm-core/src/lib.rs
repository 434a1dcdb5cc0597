//! Backend-neutral core of orm.
//!
//! - [`meta`]: runtime metadata of models (tables, columns, keys, indexes, foreign keys).
//! - [`value`] and [`types`]: SQL types, bound values, and the Rust ↔ SQL field mapping.
//! - [`expr`]: typed expressions and column handles.
//! - [`select`], [`mutation`], [`crud`]: query builders and single-row operations.
//! - [`statement`] and [`render`]: the statement AST and the one renderer, writing through a
//!   [`Dialect`].
//! - [`executor`]: the seam through which statements run on a backend.
//! - [`error`]: the one error type.
//!
//! Users depend on the `orm` facade, which re-exports what they need.

pub mod crud;
pub mod dialect;
pub mod error;
pub mod executor;
pub mod expr;
pub mod meta;
pub mod model;
pub mod mutation;
pub mod render;
pub mod schema;
pub mod select;
pub mod statement;
pub mod types;
pub mod value;

pub use crud::Tracked;
pub use dialect::{Capabilities, Dialect};
pub use error::{ConstraintInfo, Error, ErrorKind, OptionalExtension, Result};
pub use executor::{Executor, RowDecoder};
pub use expr::{Column, Condition, Expr, Expression, ExpressionExt, Ordering, TypedExpr};
pub use model::{Model, NewModel, StatementCache};
pub use mutation::{Delete, Update};
pub use schema::Schema;
pub use select::{Select, Selection};
pub use statement::Statement;
pub use types::{IntoOperand, Json, NonNullField, RowReader, SqlField};
pub use value::{SqlType, Value};
