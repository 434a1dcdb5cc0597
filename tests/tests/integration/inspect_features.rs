//! `inspect` of a database orm created: models using most of what the derive declares
//! (identity and UUID keys, a composite key, every column type, literal and SQL defaults,
//! `created_at`, unique columns, field and struct indexes, raw and typed checks, a native enum, foreign keys
//! with actions, nullable and self-referencing ones, a one-to-one key, a column named `type`)
//! are created with `create_all` on a fresh database of each backend, with one table made by
//! hand as other tools make them (a serial or rowid key), inspected, and
//!
//! 1. `check` of the models that created it finds no operation (as `migrate_roundtrip`);
//! 2. the source equals the committed `inspected_features_sqlite.rs` /
//!    `inspected_features_postgres.rs` (`ORM_BLESS=1` writes them);
//! 3. `check` of the inspected models' `schema()` against the database finds no operation.
//!
//! What the inspected models cannot get back is what the database does not hold: field
//! names chosen apart from their columns, `i64` for a SQLite `INTEGER`, `Uuid` and JSON on
//! SQLite (stored as BLOB and TEXT), arrays on SQLite (JSON text), `server_default` written as the literal the database
//! keeps, and relationships the models did not declare.

use orm::migrate::{Migrations, Migrator, Renames};

use crate::backend_tests;

/// The models `create_all` builds the database from (relationship fields are not read).
#[allow(dead_code)]
pub mod source {
    use orm::prelude::*;

    /// A native enum type (PostgreSQL's `ENUM`, checked text on SQLite).
    #[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
    #[orm(native = "if_stage")]
    pub enum Stage {
        Draft,
        InReview,
        #[orm(rename = "out now!")]
        Published,
    }

    /// An author: identity key, defaults of every literal kind, a self-reference.
    #[derive(Model, Debug, Clone)]
    #[orm(
        table = "if_authors",
        index(columns = ["last_name", "first_name"], unique),
        index(columns = ["born_on"], name = "if_authors_by_birth"),
        check(name = "if_authors_name_not_blank", expr = "length(first_name) > 0")
    )]
    pub struct Author {
        #[orm(primary_key)]
        pub id: i64,
        #[orm(max_length = 40)]
        pub first_name: String,
        #[orm(max_length = 40)]
        pub last_name: String,
        #[orm(unique, max_length = 255)]
        pub email: String,
        #[orm(default = true)]
        pub active: bool,
        #[orm(default = -1)]
        pub rank: i32,
        #[orm(default = 7)]
        pub level: i16,
        #[orm(default = 0.5)]
        pub score: f64,
        pub rating: Option<f32>,
        #[orm(default = "it's new")]
        pub note: String,
        #[orm(created_at)]
        pub created_at: DateTime<Utc>,
        pub born_on: Option<NaiveDate>,
        pub wakes_at: Option<NaiveTime>,
        #[orm(index)]
        pub last_seen: Option<NaiveDateTime>,
        pub stage: Option<Stage>,
        /// An array: `TEXT[]` on PostgreSQL, a JSON array (TEXT) on SQLite.
        pub tags: Vec<String>,
        pub lucky: Option<Vec<i32>>,
        #[orm(references = Author, on_delete = "set null", index)]
        pub mentor_id: Option<i64>,
    }

    /// One profile per author: the foreign key is unique.
    #[derive(Model, Debug, Clone)]
    #[orm(table = "if_profiles")]
    pub struct Profile {
        #[orm(primary_key)]
        pub id: i64,
        #[orm(unique, references = Author, on_delete = "cascade", on_update = "cascade")]
        pub author_id: i64,
        pub bio: Option<String>,
        #[orm(json)]
        pub raw: Option<serde_json::Value>,
        pub settings: serde_json::Value,
        pub avatar: Option<Vec<u8>>,
        #[orm(server_default = "CURRENT_TIMESTAMP")]
        pub stamped: String,
    }

    /// A book: a natural text key, a decimal with a server default, a typed and a raw check.
    #[derive(Model, Debug, Clone)]
    #[orm(
        table = "if_books",
        check(name = "if_books_pages_positive", expr = "pages > 0"),
        check(name = "if_books_pages_cap", condition = Book::pages.le(100_000))
    )]
    pub struct Book {
        #[orm(primary_key, max_length = 13)]
        pub isbn: String,
        #[orm(column = "type", max_length = 20, server_default = "'novel'")]
        pub kind: String,
        #[orm(numeric(10, 2), server_default = "9.99")]
        pub price: Decimal,
        pub pages: i32,
        pub author_id: i64,
        #[orm(belongs_to(foreign_key = "author_id", on_delete = "restrict"))]
        pub author: BelongsTo<Author>,
    }

    /// A UUID key.
    #[derive(Model, Debug, Clone)]
    #[orm(table = "if_shelves")]
    pub struct Shelf {
        #[orm(primary_key)]
        pub id: Uuid,
        #[orm(max_length = 60)]
        pub label: String,
    }

    /// A junction with a composite key.
    #[derive(Model, Debug, Clone)]
    #[orm(table = "if_shelf_books", primary_key(shelf_id, isbn))]
    pub struct ShelfBook {
        #[orm(references = Shelf, on_delete = "cascade")]
        pub shelf_id: Uuid,
        #[orm(references = Book, on_delete = "cascade", index, max_length = 13)]
        pub isbn: String,
        pub position: i64,
    }

    /// The models.
    pub fn schema() -> Schema {
        schema![Author, Profile, Book, Shelf, ShelfBook]
    }
}

backend_tests! {
    async fn inspecting_what_create_all_made_reads_back_the_same_schema(t: &TestDb) -> Result<()> {
        if t.through_pgbouncer || t.target == crate::Target::SqliteMemory {
            // One database per backend is enough; in-memory SQLite is the file's twin.
            return Ok(());
        }
        let db = &t.db;
        db.create_all(&source::schema()).await?;
        let migrator = Migrator::new(Migrations::default());
        let found = migrator.check(db, &source::schema(), &Renames::default()).await?;
        let described: Vec<String> = found.operations.iter().map(|op| op.describe()).collect();
        assert!(
            found.is_empty(),
            "the database differs from the models that created it:\n{}",
            described.join("\n")
        );
        // A table as databases made without orm have them: a serial key on PostgreSQL, a
        // rowid key on SQLite, defaults written by hand.
        let legacy = match t.target {
            crate::Target::Postgres => {
                "CREATE TABLE if_legacy (id serial PRIMARY KEY, name varchar(80) NOT NULL \
                 DEFAULT '', hits bigint NOT NULL DEFAULT 0, created timestamp DEFAULT now())"
            }
            _ => {
                "CREATE TABLE if_legacy (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL \
                 DEFAULT '', hits BIGINT NOT NULL DEFAULT 0, created TEXT DEFAULT \
                 CURRENT_TIMESTAMP)"
            }
        };
        orm::raw(legacy).execute(db).await?;
        let (file, schema) = match t.target {
            crate::Target::Postgres => (
                "inspected_features_postgres.rs",
                crate::inspected_features_postgres::schema(),
            ),
            _ => (
                "inspected_features_sqlite.rs",
                crate::inspected_features_sqlite::schema(),
            ),
        };
        let source = orm::migrate::inspect(db).await?;
        crate::inspect_chinook::assert_golden(file, &source);
        let found = migrator.check(db, &schema, &Renames::default()).await?;
        let described: Vec<String> = found.operations.iter().map(|op| op.describe()).collect();
        assert!(
            found.is_empty(),
            "{file}: the database differs from the inspected models:\n{}",
            described.join("\n")
        );
        Ok(())
    }
}
