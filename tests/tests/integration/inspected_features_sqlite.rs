//! Models of a sqlite database, written by orm's `inspect`: one `#[derive(Model)]` struct
//! per table, and `schema()` listing them all.

use orm::prelude::*;

/// A row of `if_authors`.
#[derive(Model, Debug, Clone)]
#[orm(table = "if_authors")]
#[orm(index(columns = ["last_name", "first_name"], unique))]
#[orm(index(columns = ["born_on"], name = "if_authors_by_birth"))]
#[orm(check(name = "if_authors_name_not_blank", expr = "length(first_name) > 0"))]
#[orm(check(name = "if_authors_stage_values_fcbeec9f", expr = "\"stage\" IN ('draft', 'in_review', 'out now!')"))]
pub struct IfAuthor {
    /// `id`: int.
    #[orm(primary_key)]
    pub id: i64,
    /// `first_name`: varchar(40).
    #[orm(max_length = 40)]
    pub first_name: String,
    /// `last_name`: varchar(40).
    #[orm(max_length = 40)]
    pub last_name: String,
    /// `email`: varchar(255).
    #[orm(unique, max_length = 255)]
    pub email: String,
    /// `active`: bool.
    #[orm(default = true)]
    pub active: bool,
    /// `rank`: int.
    #[orm(default = -1)]
    pub rank: i32,
    /// `level`: smallint.
    #[orm(default = 7)]
    pub level: i16,
    /// `score`: double.
    #[orm(default = 0.5)]
    pub score: f64,
    /// `rating`: real.
    pub rating: Option<f32>,
    /// `note`: text.
    #[orm(default = "it's new")]
    pub note: String,
    /// `created_at`: timestamptz.
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    /// `born_on`: date.
    pub born_on: Option<NaiveDate>,
    /// `wakes_at`: time.
    pub wakes_at: Option<NaiveTime>,
    /// `last_seen`: timestamp.
    #[orm(index)]
    pub last_seen: Option<NaiveDateTime>,
    /// `stage`: text.
    pub stage: Option<String>,
    /// `tags`: text.
    pub tags: String,
    /// `lucky`: text.
    pub lucky: Option<String>,
    /// `mentor_id`: bigint.
    #[orm(index)]
    pub mentor_id: Option<i64>,
    /// The `if_authors` row `mentor_id` points to.
    #[orm(belongs_to(foreign_key = "mentor_id", on_delete = "set null"))]
    pub mentor: BelongsTo<Option<IfAuthor>>,
    /// The `if_authors` rows whose `mentor_id` points to this row.
    #[orm(has_many(foreign_key = "mentor_id"))]
    pub if_authors: HasMany<IfAuthor>,
    /// The `if_books` rows whose `author_id` points to this row.
    #[orm(has_many(foreign_key = "author_id"))]
    pub if_books: HasMany<IfBook>,
    /// The `if_profiles` row, if any, whose `author_id` points to this row.
    #[orm(has_one(foreign_key = "author_id"))]
    pub if_profile: HasOne<IfProfile>,
}

/// A row of `if_books`.
#[derive(Model, Debug, Clone)]
#[orm(table = "if_books")]
#[orm(check(name = "if_books_pages_positive", expr = "pages > 0"))]
#[orm(check(name = "if_books_pages_cap", expr = "\"pages\" <= 100000"))]
pub struct IfBook {
    /// `isbn`: varchar(13).
    #[orm(primary_key, max_length = 13)]
    pub isbn: String,
    /// `type`: varchar(20).
    #[orm(column = "type", max_length = 20, default = "novel")]
    pub type_: String,
    /// `price`: numeric(10, 2).
    #[orm(numeric(10, 2), server_default = "9.99")]
    pub price: Decimal,
    /// `pages`: int.
    pub pages: i32,
    /// `author_id`: bigint.
    #[orm(index)]
    pub author_id: i64,
    /// The `if_authors` row `author_id` points to.
    #[orm(belongs_to(foreign_key = "author_id", on_delete = "restrict"))]
    pub author: BelongsTo<IfAuthor>,
    /// The `if_shelf_books` rows whose `isbn` points to this row.
    #[orm(has_many(foreign_key = "isbn"))]
    pub if_shelf_books: HasMany<IfShelfBook>,
}

/// A row of `if_legacy`.
#[derive(Model, Debug, Clone)]
#[orm(table = "if_legacy")]
pub struct IfLegacy {
    /// `id`: int.
    #[orm(primary_key, auto = false)]
    pub id: i32,
    /// `name`: varchar(80).
    #[orm(max_length = 80, default = "")]
    pub name: String,
    /// `hits`: bigint.
    #[orm(default = 0)]
    pub hits: i64,
    /// `created`: text.
    #[orm(server_default = "CURRENT_TIMESTAMP")]
    pub created: Option<String>,
}

/// A row of `if_profiles`.
#[derive(Model, Debug, Clone)]
#[orm(table = "if_profiles")]
pub struct IfProfile {
    /// `id`: int.
    #[orm(primary_key)]
    pub id: i64,
    /// `author_id`: bigint.
    #[orm(unique)]
    pub author_id: i64,
    /// `bio`: text.
    pub bio: Option<String>,
    /// `raw`: text.
    pub raw: Option<String>,
    /// `settings`: text.
    pub settings: String,
    /// `avatar`: bytes.
    pub avatar: Option<Vec<u8>>,
    /// `stamped`: text.
    #[orm(server_default = "CURRENT_TIMESTAMP")]
    pub stamped: String,
    /// The `if_authors` row `author_id` points to.
    #[orm(belongs_to(foreign_key = "author_id", on_delete = "cascade", on_update = "cascade", index = false))]
    pub author: BelongsTo<IfAuthor>,
}

/// A row of `if_shelf_books`.
#[derive(Model, Debug, Clone)]
#[orm(table = "if_shelf_books")]
#[orm(primary_key(shelf_id, isbn))]
pub struct IfShelfBook {
    /// `shelf_id`: bytes.
    #[orm(references = IfShelve, on_delete = "cascade")]
    pub shelf_id: Vec<u8>,
    /// `isbn`: varchar(13).
    #[orm(index, max_length = 13)]
    pub isbn: String,
    /// `position`: bigint.
    pub position: i64,
    /// The `if_books` row `isbn` points to.
    #[orm(belongs_to(foreign_key = "isbn", on_delete = "cascade"))]
    pub isbn_if_book: BelongsTo<IfBook>,
}

/// A row of `if_shelves`.
#[derive(Model, Debug, Clone)]
#[orm(table = "if_shelves")]
pub struct IfShelve {
    /// `id`: bytes.
    #[orm(primary_key)]
    pub id: Vec<u8>,
    /// `label`: varchar(60).
    #[orm(max_length = 60)]
    pub label: String,
}

/// Every model of this module.
pub fn schema() -> Schema {
    schema![IfAuthor, IfBook, IfLegacy, IfProfile, IfShelfBook, IfShelve]
}
