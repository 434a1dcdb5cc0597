//! **orm**: a typed ORM and query builder on sqlx, for SQLite and PostgreSQL.
//!
//! Where things are:
//! - [`Model`] (derive it), [`NewModel`], column handles and [`Tracked`]: the model layer.
//! - [`Database`], [`Transaction`], [`Connection`]: where statements run; all three are
//!   [`Executor`]s, passed by reference (`&db`, `&tx`).
//! - [`Session`]: a unit of work with an identity map ([`Handle`]s to its objects), flushed
//!   in foreign-key order with multi-row inserts.
//! - [`expr`]: typed expressions (`User::email.eq(..)`), [`Select`], [`Update`], [`Delete`].
//! - [`Schema`] and [`schema!`]: `create_all` / `drop_all`.
//! - [`Error`] and [`ErrorKind`]: one classified error type.
//! - [`prelude`]: everything an application needs, in one `use`.
//!
//! ```
//! use orm::prelude::*;
//!
//! #[derive(Model, Debug, Clone)]
//! #[orm(table = "users")]
//! pub struct User {
//!     #[orm(primary_key)]
//!     pub id: i64,
//!     #[orm(unique, max_length = 255)]
//!     pub email: String,
//!     pub bio: Option<String>,
//! }
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let db = Database::connect("sqlite::memory:").await?;
//! db.create_all(&schema![User]).await?;
//! let alice = NewUser { email: "alice@example.com".into(), bio: None }.insert(&db).await?;
//! let found = User::query().filter(User::email.eq("alice@example.com")).one(&db).await?;
//! assert_eq!(found.id, alice.id);
//! # Ok::<(), orm::Error>(()) }).unwrap();
//! ```

//! Hand-written SQL, with bound parameters and typed decoding ([`raw()`]):
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! # let db = orm::Database::connect("sqlite::memory:").await?;
//! // Placeholders are the backend's own: `?` on SQLite, `$1` on PostgreSQL.
//! let rows: Vec<(i64, String)> = orm::raw("SELECT ? + 1, ? || '!'")
//!     .bind(41i64)
//!     .bind("hi")
//!     .fetch_as(&db)
//!     .await?;
//! assert_eq!(rows, vec![(42, "hi!".to_string())]);
//! # Ok::<(), orm::Error>(()) }).unwrap();
//! ```

//! A recursive CTE walking a tree ([`recursive_cte`]), read with [`select_from`]:
//!
//! ```
//! use orm::prelude::*;
//!
//! #[derive(Model, Debug, Clone)]
//! #[orm(table = "categories")]
//! pub struct Category {
//!     #[orm(primary_key)]
//!     pub id: i64,
//!     #[orm(references = Category)]
//!     pub parent_id: Option<i64>,
//!     pub name: String,
//! }
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let db = Database::connect("sqlite::memory:").await?;
//! db.create_all(&schema![Category]).await?;
//! let root = NewCategory { parent_id: None, name: "root".into() }.insert(&db).await?;
//! let child = NewCategory { parent_id: Some(root.id), name: "child".into() }.insert(&db).await?;
//! NewCategory { parent_id: Some(child.id), name: "grandchild".into() }.insert(&db).await?;
//!
//! let tree = recursive_cte(
//!     "tree",
//!     Category::query()
//!         .filter(Category::parent_id.is_null())
//!         .select((Category::id, Category::name, value(0_i32).label("depth"))),
//!     |tree| {
//!         Category::query()
//!             .join_on(tree, Category::parent_id.eq(tree.col(Category::id)))
//!             .select((Category::id, Category::name, (tree.field::<i32>("depth") + 1).label("depth")))
//!     },
//! );
//! let rows: Vec<(String, i32)> = select_from(&tree)
//!     .order_by(tree.field::<i32>("depth"))
//!     .select((tree.col(Category::name), tree.field::<i32>("depth")))
//!     .all(&db)
//!     .await?;
//! assert_eq!(rows, [("root".into(), 0), ("child".into(), 1), ("grandchild".into(), 2)]);
//! # Ok::<(), orm::Error>(()) }).unwrap();
//! ```

//! Relationships loaded with the query, one statement per level ([`relation`]); the
//! statements a block sends are counted with [`guard::count_statements`]:
//!
//! ```
//! use orm::prelude::*;
//!
//! #[derive(Model, Debug, Clone)]
//! #[orm(table = "authors")]
//! pub struct Author {
//!     #[orm(primary_key)]
//!     pub id: i64,
//!     pub name: String,
//!     #[orm(has_many(foreign_key = "author_id"))]
//!     pub books: HasMany<Book>,
//! }
//!
//! #[derive(Model, Debug, Clone)]
//! #[orm(table = "books")]
//! pub struct Book {
//!     #[orm(primary_key)]
//!     pub id: i64,
//!     pub author_id: i64,
//!     pub title: String,
//!     #[orm(belongs_to(foreign_key = "author_id", on_delete = "cascade"))]
//!     pub author: BelongsTo<Author>,
//! }
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let db = Database::connect("sqlite::memory:").await?;
//! db.create_all(&schema![Author, Book]).await?;
//! let none = Author::query().with(Author::books).first(&db).await?;
//! assert!(none.is_none());
//! let ann = NewAuthor { name: "Ann".into() }.insert(&db).await?;
//! NewBook { author_id: ann.id, title: "One".into() }.insert(&db).await?;
//! NewBook { author_id: ann.id, title: "Two".into() }.insert(&db).await?;
//!
//! let (authors, log) = orm::guard::count_statements(
//!     Author::query().with(Author::books.with(Book::author)).all(&db),
//! )
//! .await;
//! let authors = authors?;
//! log.assert_count(2); // authors, then their books with each book's author joined
//! let books = authors[0].books.get()?;
//! assert_eq!(books.len(), 2);
//! assert_eq!(books[1].author.get()?.name, "Ann");
//! # Ok::<(), orm::Error>(()) }).unwrap();
//! ```

#[cfg(not(any(feature = "sqlite", feature = "postgres")))]
compile_error!("enable at least one backend feature of orm: `sqlite` or `postgres`");

mod backend;
mod connection;
mod database;
#[cfg(feature = "migrate")]
pub mod migrate;
mod ops;
mod parked;
mod session;
mod transaction;
mod tx_options;

pub use connection::Connection;
pub use database::{Backend, Database, DatabaseOptions};
pub use ops::{ModelExt, NewModelExt};
pub use orm_core::inheritance::{Inheritance, Variant};
pub use orm_core::newtype::DbType;
pub use orm_core::types::DbEnum;
pub use orm_core::unit_of_work::{ChildRelation, Handle};
pub use orm_core::{
    Alias, ArrayElement, Column, Condition, ConstraintInfo, Cte, DatePart, DateUnit, Delete,
    Derived, Dialect, Error, ErrorKind, Executor, Expression, ExpressionExt, FrameBound, FromRow,
    Insert, Json, Model, NamedColumns, NewModel, OptionalExtension, Raw, Result, RowStream, Schema,
    Select, SelectAs, Selection, SqlField, SqlType, Statement, Tracked, Update, Value, alias, cte,
    insert_select, model_row, raw, recursive_cte, select_from,
};
pub use orm_core::{BelongsTo, HasMany, HasOne, ManyToMany, Relation};
pub use orm_core::{GeneratedKey, Hooks, SoftDelete, WithKey};
pub use orm_core::{expr, functions, guard, inheritance, insert, relation, selection, source};
pub use orm_derive::{DbEnum, DbType, FromRow, Mixin, Model};
pub use session::Session;
pub use transaction::{Savepoint, Transaction};
pub use tx_options::{IsolationLevel, SqliteBegin, TransactionError, TxOptions};

/// The dialects, for rendering statements without a database (golden tests, logging).
pub mod dialects {
    #[cfg(feature = "postgres")]
    pub use orm_postgres::PgDialect;
    #[cfg(feature = "sqlite")]
    pub use orm_sqlite::SqliteDialect;
}

/// A [`Schema`] of the given models: `schema![User, Post]`.
#[macro_export]
macro_rules! schema {
    ($($model:ty),* $(,)?) => {
        $crate::Schema::new(::std::vec![$(<$model as $crate::Model>::TABLE),*])
    };
}

/// Everything an application needs: `use orm::prelude::*;`.
pub mod prelude {
    pub use crate::expr::{escape_like, excluded, not, value};
    pub use crate::functions::{
        abs, avg, case_when, ceil, coalesce, count, count_distinct, count_star, current_date,
        date_part, date_trunc, dense_rank, epoch, exists, floor, greatest, lag, lead, least,
        length, lower, max, min, not_exists, now, nullif, rank, replace, round, row_number, substr,
        sum, trim, upper, window,
    };
    pub use crate::{
        BelongsTo, Column, Condition, Database, DatabaseOptions, DatePart, DateUnit, DbEnum,
        DbType, Error, ErrorKind, Executor, Expression, ExpressionExt, FrameBound, FromRow,
        HasMany, HasOne, IsolationLevel, Json, ManyToMany, Mixin, Model, ModelExt, NamedColumns,
        NewModel, NewModelExt, OptionalExtension, Relation, Result, Savepoint, Schema, SqliteBegin,
        Tracked, Transaction, TxOptions, WithKey, alias, cte, insert, insert_select, model_row,
        raw, recursive_cte, schema, select_from,
    };
    pub use crate::{Handle, Session};
    pub use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
    pub use rust_decimal::Decimal;
    pub use uuid::Uuid;
}

/// Support for generated code. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use orm_core::crud;
    pub use orm_core::expr::{Column, Condition, Expr, TypedExpr};
    pub use orm_core::inheritance::{self, VariantRow};
    pub use orm_core::meta::{
        AutoTimestamp, CheckMeta, ColumnDefault, ColumnMeta, Discriminator, ForeignKeyMeta,
        Generated, IndexMeta, LintAllow, ReferentialAction, TableMeta,
    };
    pub use orm_core::model::{GeneratedKey, Hooks, Model, NewModel, SoftDelete, StatementCache};
    pub use orm_core::mutation::{Delete, Update};
    pub use orm_core::newtype::{DbType, markers as newtype};
    pub use orm_core::relation::{Relation, RelationKey, RelationKind, RelationMeta};
    pub use orm_core::select::Select;
    pub use orm_core::selection::{
        FromRow, SelectAs, SelectList, Selection, decode_column, decode_one,
    };
    pub use orm_core::types::{
        DbEnum, NonNullField, RowReader, SqlField, decode_enum, unexpected_null,
    };
    pub use orm_core::value::{NativeEnum, SqlType, Value};
    pub use orm_core::{Executor, Result};
    pub use std::future::Future;
    pub use std::vec;
    pub use std::vec::Vec;
    pub use uuid::Uuid;

    /// A fresh client-side key: UUID v7, time-ordered so that index inserts stay local.
    pub fn new_uuid() -> Uuid {
        Uuid::now_v7()
    }

    pub use orm_core::types::{
        AutoKey, DecimalField, JsonField, RangeField, SoftDeleteField, TextField, VersionField,
    };
    pub use orm_core::validation::{FromValue, Rule, run_custom, run_custom_str};

    /// Assert at compile time that a field's type fits its attributes (bounds spanned at the
    /// field, so each misuse is one error there).
    pub const fn assert_text<T: TextField>() {}
    /// See [`assert_text`].
    pub const fn assert_decimal<T: DecimalField>() {}
    /// See [`assert_text`].
    pub const fn assert_range<T: RangeField>() {}
    /// See [`assert_text`].
    pub const fn assert_auto_key<T: AutoKey>() {}

    pub use orm_derive::model_with_mixins;

    /// A `#[derive(Mixin)]` struct, which `#[orm(flatten)]` takes.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a mixin",
        label = "flatten takes a struct with #[derive(Mixin)]",
        note = "put #[derive(Mixin)] on `{Self}` (its fields become columns of the model)"
    )]
    pub trait Mixin {}
    /// Assert at compile time that a flattened field's type is a mixin.
    pub const fn assert_mixin<T: Mixin>() {}

    /// The type of field `I` of a mixin, named where the mixin is declared.
    pub trait MixinField<const I: usize> {
        /// The field's type.
        type Type;
    }

    /// `T` of an `Option<T>` field type.
    pub trait OptionInner {
        /// `T`.
        type Inner;
    }
    impl<T> OptionInner for Option<T> {
        type Inner = T;
    }

    /// A model with `#[orm(hooks)]` is `Clone` (the session runs `before_update` on a copy).
    #[diagnostic::on_unimplemented(
        message = "a model with #[orm(hooks)] must be Clone",
        label = "`{Self}` is not Clone",
        note = "add Clone to the model's derives: #[derive(Model, Clone, ..)]"
    )]
    pub trait HooksClone: Sized {
        /// A copy to run `before_update` on.
        fn hooks_copy(&self) -> Self;
    }
    impl<T: Clone> HooksClone for T {
        fn hooks_copy(&self) -> Self {
            self.clone()
        }
    }
    /// See [`assert_text`].
    pub const fn assert_json<T: JsonField>() {}
    /// See [`assert_text`].
    pub const fn assert_version<T: VersionField>() {}
    /// See [`assert_text`].
    pub const fn assert_soft_delete<T: SoftDeleteField>() {}

    /// A foreign-key field of type `Self` can hold a key of type `K`: `K` or `Option<K>`.
    #[diagnostic::on_unimplemented(
        message = "a `{Self}` field cannot reference a key of type `{K}`",
        label = "the referenced model's primary key is `{K}`",
        note = "declare the field as `{K}` (or `Option<{K}>` for an optional reference)"
    )]
    pub trait References<K> {}
    #[diagnostic::do_not_recommend]
    impl<K> References<K> for K {}
    #[diagnostic::do_not_recommend]
    impl<K> References<K> for Option<K> {}

    /// Assert at compile time that a foreign key's type matches the referenced key.
    pub const fn assert_references<F: References<K>, K>() {}

    /// The key a relationship references (`parent.id`); [`KeyOf::accepts`] asserts that a
    /// foreign-key field (`child.user_id`) fits it.
    pub struct KeyOf<'a, K>(pub &'a K);

    impl<K> KeyOf<'_, K> {
        /// Assert at compile time that a field of type `F` can hold this key.
        pub fn accepts<F: References<K>>(&self, _: &F) {}
    }
}
