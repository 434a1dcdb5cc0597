//! Derive macros for orm. Use them through the `orm` crate: `#[derive(orm::Model)]`.
//!
//! The work happens on `proc_macro2` in three steps: `attr` parses `#[orm(..)]` attributes
//! into typed structs, collecting every error with its span; `ast` normalizes them into a
//! model (names resolved, keys and generated columns decided, cross-field checks); `expand`
//! writes the code, which refers only to `::orm::__private`.

mod ast;
mod attr;
mod db_enum;
mod db_type;
mod expand;
mod from_row;
mod inheritance;
mod mixin;
mod names;

use proc_macro::TokenStream;

/// Derive `orm::Model` for a struct with named fields: table metadata, typed column handles
/// (`User::email`), the `NewUser` insert struct, row decoding, and query entry points; or
/// for an enum of models, the base of a [single-table inheritance](#single-table-inheritance).
///
/// Every attribute is checked when the crate compiles, with an error at the attribute: an
/// unknown key (with a "did you mean"), an attribute on a field of the wrong type
/// (`max_length` on an `i64`), a name longer than 63 bytes.
///
/// # Struct attributes
///
/// | attribute | meaning |
/// | --- | --- |
/// | `table = "users"` | the table name (default: the struct name in snake case, pluralised: `BlogPost` is `blog_posts`) |
/// | `primary_key(a, b)` | a composite primary key of fields `a` and `b` |
/// | `index(columns = ["user_id", "created_at"])` | an index; add `unique` for a unique one, `name = ".."` to name it, `ignore_deleted` to index only rows that are not soft-deleted (see [Versions and soft delete](#versions-and-soft-delete)), `where = ".."` for a partial index (raw SQL), `method = "gin"` and `include = [..]` (PostgreSQL; a B-tree of the keys on SQLite); a key written `"score DESC"` is descending, one in parentheses (`"(lower(email))"`) an expression |
/// | `hooks` | call the model's `impl orm::Hooks` (`before_insert`, `before_update`, `before_delete`, `after_load`) on single-row operations |
/// | `foreign_key(columns = ["region", "number"], references = Order)` | a foreign key over several columns, to the target's primary key or to `referenced_columns = [..]` (a unique constraint of it), with `on_delete` / `on_update` as on a field |
/// | `check(name = "..", condition = <Rust expression>)` | a typed CHECK constraint: a `Condition` over the model's columns, rendered for each backend so that it means the same on both (decimals included) |
/// | `check(name = "..", expr = "<SQL>")` | a raw SQL CHECK constraint, written into `CREATE TABLE` as is; refused on SQLite when it names a `Decimal` column (SQLite stores the scaled integer) |
/// | `new_derive(Serialize, ..)` | more derives on `NewUser` (see below) |
/// | `new_attr(..)` | more attributes on `NewUser` (see below) |
/// | `allow_lint(code = "L107", reason = "..")` | silence a `migrate lint` finding (`L101`..`L107`) for the whole model, saying why (the reason is required) |
/// | `inherits = Base` | the model is a variant of the single-table inheritance `Base` (see [Single-table inheritance](#single-table-inheritance)); `table` must name `Base`'s table |
///
/// ```ignore
/// #[derive(Model)]
/// #[orm(
///     table = "accounts",
///     index(columns = ["owner", "opened_at"]),
///     index(columns = ["iban"], unique, name = "accounts_iban_key"),
///     check(name = "balance_not_negative", condition = Account::balance.ge(Decimal::ZERO)),
///     check(name = "owner_not_blank", expr = "length(owner) > 0"),
/// )]
/// pub struct Account { /* .. */ }
/// ```
///
/// # Field attributes
///
/// | attribute | meaning | example |
/// | --- | --- | --- |
/// | `primary_key` | the key (see [Keys](#keys)) | `#[orm(primary_key)] id: i64` |
/// | `auto = false` | an integer or UUID key the caller always gives | `#[orm(primary_key, auto = false)] id: i64` |
/// | `column = ".."` | the column name (default: the field name) | `#[orm(column = "display_name")] title: String` |
/// | `unique` | a single-column UNIQUE constraint | `#[orm(unique)] email: String` |
/// | `unique(ignore_deleted)` | unique among the rows that are not soft-deleted: a partial unique index | `#[orm(unique(ignore_deleted))] email: String` |
/// | `index` | a single-column index | `#[orm(index)] created_by: i64` |
/// | `max_length = n` | `VARCHAR(n)` for a `String`, checked before every write on both backends (SQLite does not enforce it) | `#[orm(max_length = 120)] name: String` |
/// | `validate(..)` | rules checked before every write (insert, insert_many, save, bulk update, session flush); `Error::Validation` lists every failing field: `length(min = .., max = ..)`, `email`, `one_of("a", "b")` on text, `range(min = .., max = ..)` on numbers, `custom = path::to::check` (`fn(&str)` for text, `fn(&T)` otherwise, returning `Result<(), String>`) | `#[orm(validate(email, length(max = 80)))] email: String` |
/// | `numeric(p, s)` | `NUMERIC(p, s)` for a `Decimal` (required on every `Decimal`) | `#[orm(numeric(10, 2))] price: Decimal` |
/// | `default = <literal>` | a column default and the value of the field in `NewUser::default()` | `#[orm(default = true)] active: bool` |
/// | `server_default = "<SQL>"` | a default the database computes; the field is left out of `NewUser` and read back after insert. On a `Decimal` column it must be a number (`"9.99"`) | `#[orm(server_default = "lower('ABC')")] code: String` |
/// | `created_at` | a timestamp the database sets on insert (left out of `NewUser`) | `#[orm(created_at)] created_at: DateTime<Utc>` |
/// | `updated_at` | a timestamp set on insert and on every update and save | `#[orm(updated_at)] updated_at: NaiveDateTime` |
/// | `version` | the optimistic-locking counter (`i64` or `i32`, starts at 1, left out of `NewUser`) | `#[orm(version)] version: i64` |
/// | `soft_delete` | the soft-delete timestamp (`Option<DateTime<Utc>>`, NULL while the row is live, left out of `NewUser`) | `#[orm(soft_delete)] deleted_at: Option<DateTime<Utc>>` |
/// | `references = Model` | a foreign key to `Model`'s key; with `on_delete = ".."` / `on_update = ".."` (`"cascade"`, `"restrict"`, `"set null"`, `"set default"`, `"no action"`) | `#[orm(references = User, on_delete = "cascade", index)] user_id: i64` |
/// | `json` / `jsonb` | JSON storage for `serde_json::Value` or `orm::Json<T>` (`jsonb` is the default; `json` keeps the text as written on PostgreSQL) | `#[orm(json)] raw: serde_json::Value` |
/// | `skip` | not a column: filled with `Default::default()` when read | `#[orm(skip)] cached: String` |
/// | `flatten` | the fields of a `#[derive(Mixin)]` struct become columns of this model (handles `Post::created_at`, fields of `NewPost`) | `#[orm(flatten)] stamps: Timestamps` |
/// | `new_attr(..)` | attributes for this field of `NewUser` | `#[orm(new_attr(serde(default)))] tags: Vec<String>` |
/// | `belongs_to(foreign_key = "..")` | a relationship field `BelongsTo<Parent>`; also creates the foreign key (`on_delete`, `on_update`, `index` accepted) | `#[orm(belongs_to(foreign_key = "user_id"))] author: BelongsTo<User>` |
/// | `has_many(foreign_key = "..")` | `HasMany<Child>`: the children whose `foreign_key` is this row's key | `#[orm(has_many(foreign_key = "post_id"))] comments: HasMany<Comment>` |
/// | `has_one(foreign_key = "..")` | `HasOne<Child>`: at most one child | `#[orm(has_one(foreign_key = "user_id"))] profile: HasOne<Profile>` |
/// | `many_to_many(through = Junction)` | `ManyToMany<Other>` through a junction model with a foreign key to each side (`from = ".."`, `to = ".."` name them when ambiguous) | `#[orm(many_to_many(through = PostTag))] tags: ManyToMany<Tag>` |
/// | `allow_lint(code = "..", reason = "..")` | silence a `migrate lint` finding (`L101`..`L106`) about this field, saying why; on a `belongs_to` field it covers the foreign-key field too | `#[orm(allow_lint(code = "L103", reason = "an estimate, never summed"))] cost: f64` |
///
/// Field types: `bool`, `i16`, `i32`, `i64`, `f32`, `f64`, `String`, `Vec<u8>`,
/// `rust_decimal::Decimal`, chrono's `DateTime<Utc>`, `NaiveDateTime`, `NaiveDate` and
/// `NaiveTime`, `uuid::Uuid`, `serde_json::Value`, `orm::Json<T>` (JSON: typed paths with
/// `get` / `as_text` and `contains`), arrays `Vec<T>` of `bool`, `i16`, `i32`, `i64`, `f64`,
/// `String` or `Uuid` (`contains`, `overlaps`, `any`), enums with `#[derive(DbEnum)]`,
/// newtypes with `#[derive(DbType)]`, and `Option` of each for a nullable column. A
/// `#[derive(Mixin)]` struct is not a column but a group of them (`#[orm(flatten)]`).
///
/// # Keys
///
/// Mark the key field `#[orm(primary_key)]`, or name several fields on the struct with
/// `#[orm(primary_key(a, b))]` for a composite key. Who gives the key on insert depends on
/// its type:
///
/// | key | generated by | in `New<Model>` |
/// | --- | --- | --- |
/// | one `i16` / `i32` / `i64` field | the database (identity on PostgreSQL, `AUTOINCREMENT` on SQLite) | no; give it anyway with `.with_key(..)` |
/// | one `Uuid` field | orm, on the client (UUID v7) | no; give it anyway with `.with_key(..)` |
/// | one integer or `Uuid` field with `#[orm(primary_key, auto = false)]` | nobody: the caller always gives it | yes, a plain field |
/// | a `#[derive(DbType)]` newtype of an integer or `Uuid` with `#[orm(primary_key, auto)]` | as for its inner type | no; give it anyway with `.with_key(..)` |
/// | any other type (`String`, a newtype, ..), or a composite key | nobody: natural keys | yes, plain fields |
///
/// `.with_key(key)` (from `orm::NewModelExt`) turns a `New<Model>` into an
/// `orm::WithKey<New<Model>>` that inserts `key` instead of generating one — to load
/// fixtures, restore a backup or copy rows from another system — and `.with_key(None)`
/// generates it as usual, so one bulk insert can mix both. On PostgreSQL the key's sequence
/// is moved past the largest explicit key first (forward only, under an advisory lock held
/// to the end of the transaction), so keys generated later never collide with them; SQLite's
/// `AUTOINCREMENT` does this by itself. `auto` on a key orm does not generate is a compile
/// error, and so is `.with_key(..)` on a model whose key is not generated.
///
/// ```ignore
/// #[derive(Model)]
/// pub struct User {
///     #[orm(primary_key)]
///     pub id: i64,                  // generated: NewUser has no `id`
///     pub name: String,
/// }
/// let restored = NewUser { name: "Ann".into() }.with_key(1000).insert(&db).await?;
///
/// #[derive(Model)]
/// pub struct Import {
///     #[orm(primary_key, auto = false)]
///     pub id: i64,                  // always given: NewImport { id, source }
///     pub source: String,
/// }
///
/// #[derive(Model)]
/// pub struct Country {
///     #[orm(primary_key, max_length = 2)]
///     pub code: String,             // a natural key: NewCountry { code, name }
///     pub name: String,
/// }
/// ```
///
/// # Versions and soft delete
///
/// A `#[orm(version)]` field makes every write of one row through the model (`save`,
/// `Tracked::save`, `delete`, `restore`, a session's flush) expect the version the model
/// holds and bump it: a row someone changed since it was loaded fails with
/// `Error::StaleObject` and nothing is written (one statement on PostgreSQL tells a stale row
/// from a missing one; SQLite looks the row up when the write touched nothing). Bulk updates
/// and upserts bump it too. To check a version a client sent (`If-Match`), set the field
/// before saving.
///
/// A `#[orm(soft_delete)]` field makes deleting set it (with `updated_at` and the version)
/// instead of removing the row, and every read path hides the rows where it is set: queries,
/// `get`, `find`, `count`, `exists`, joins, subqueries, every `.with(..)` load, `any()` and
/// `count()` over relationships. `.with_deleted()` (on a query, or on a relationship load)
/// and `.only_deleted()` opt out; `force_delete` removes a row, `restore` clears the column.
/// Deleting a row soft-deletes the children of its `has_many` / `has_one` relationships
/// whose foreign key says `on_delete = "cascade"` and that are soft-deletable too, to any
/// depth (a table referencing itself included). `unique(ignore_deleted)` lets a deleted
/// row's value be used again (a partial unique index, `WHERE deleted_at IS NULL`, on both
/// backends; an upsert on that column names the index's condition for the database).
///
/// ```ignore
/// #[derive(Model)]
/// pub struct Account {
///     #[orm(primary_key)]
///     pub id: i64,
///     #[orm(unique(ignore_deleted), max_length = 255)]
///     pub email: String,                 // reusable once the account is deleted
///     #[orm(version)]
///     pub version: i64,
///     #[orm(soft_delete)]
///     pub deleted_at: Option<DateTime<Utc>>,
///     #[orm(has_many(foreign_key = "account_id"))]
///     pub sessions: HasMany<LoginSession>, // soft-deleted with the account when its
/// }                                        // foreign key cascades
/// ```
///
/// # The `New<Model>` struct
///
/// `NewUser` has every column except those the database or orm generate (the generated key,
/// `created_at` / `updated_at`, `server_default` columns) and skipped fields. It derives
/// `Debug` and `Clone` and implements `Default` with the `default = ..` literals, so every
/// field type must implement `Default`. Each field repeats the model field's doc comments.
///
/// To make it an input type — a web API's request body — give it more attributes:
///
/// - `#[orm(new_derive(Serialize, Deserialize, PartialEq))]` on the model struct derives
///   those traits for `NewUser` (not `Debug`, `Clone` or `Default`: it has them already).
/// - `#[orm(new_attr(..))]` on the model struct puts each attribute inside it on `NewUser`:
///   `new_attr(serde(deny_unknown_fields), derive(utoipa::ToSchema))`.
/// - `#[orm(new_attr(..))]` on a field puts those attributes on that field of `NewUser`:
///   `#[orm(default = true, new_attr(serde(default = "yes")))]`.
/// - When `NewUser` derives `Serialize` or `Deserialize`, its fields also repeat the model
///   fields' own `#[serde(..)]` attributes, so `#[serde(rename = "handle")]` names the field
///   the same in the response (the model) and the request (`NewUser`). Container attributes
///   (`#[serde(rename_all = ..)]` on the model) are not repeated: give them with
///   `new_attr(serde(..))`.
///
/// ```ignore
/// #[derive(Model, Serialize, Deserialize)]
/// #[orm(new_derive(Serialize, Deserialize), new_attr(serde(deny_unknown_fields)))]
/// pub struct Profile {
///     #[orm(primary_key)]
///     pub id: i64,
///     #[serde(rename = "handle")]      // on NewProfile too
///     pub user_name: String,
///     pub preferences: Json<Preferences>, // (de)serializes as the Preferences itself
/// }
/// let new: NewProfile = serde_json::from_str(r#"{"handle": "ann", "preferences": {..}}"#)?;
/// let stored: Profile = new.insert(&db).await?;
/// ```
///
/// # Single-table inheritance
///
/// On an enum whose variants each hold one model, the derive makes the enum a model of the
/// variants' shared table, with a discriminator column telling them apart. Enum attributes:
/// `table = ".."` (required) and `discriminator = ".."` (the column; default `kind`); a
/// variant takes `value = ".."`, its stored value (default: the variant's name in snake
/// case). Each variant's struct says `#[orm(table = "..", inherits = Base)]`.
///
/// ```ignore
/// #[derive(Model)]
/// #[orm(table = "staff", discriminator = "kind")]
/// pub enum Staff {
///     Engineer(Engineer),
///     #[orm(value = "boss")]
///     Manager(Manager),
/// }
///
/// #[derive(Model)]
/// #[orm(table = "staff", inherits = Staff)]
/// pub struct Engineer {
///     #[orm(primary_key)]
///     pub id: i64,
///     pub name: String,
///     pub language: String, // required of engineers, NULL-able in the table
/// }
/// ```
///
/// The table has every variant's columns once and the discriminator (with a CHECK of its
/// values, and per variant a CHECK that the columns it requires are set in its rows).
/// `Staff::query()` / `get` / `find` read each row as its variant; a variant's queries,
/// joins, relationship loads, inserts, bulk updates and deletes and writes by key are
/// limited to its own rows. The enum derives no column handles: filter it with its
/// variants' (`Staff::query().filter(Engineer::language.eq("rust"))`), and load a variant's
/// relationships on it with `.with(Engineer::tasks.on_variant())`. Compile errors: two
/// variants with one column name of two types, variants with different keys, a variant
/// naming another table, a struct whose `inherits` enum does not list it.
#[proc_macro_derive(Model, attributes(orm))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    expand::model(input.into()).into()
}

/// Derive `orm::FromRow`: decode rows by position (for `orm::raw(..).fetch_as`). With
/// `#[orm(model = User)]` the struct is also a DTO of `User` whose fields name its columns:
/// `User::query().select_as::<Dto>()` selects exactly those columns.
#[proc_macro_derive(FromRow, attributes(orm))]
pub fn derive_from_row(input: TokenStream) -> TokenStream {
    from_row::from_row(input.into()).into()
}

/// Derive `orm::DbEnum` (and the column-type traits) for an enum whose variants carry no
/// data: it is stored as text, one value per variant (`snake_case` of the variant's name
/// unless `#[orm(rename_all = "..")]` on the enum or `#[orm(rename = "..")]` on a variant
/// says otherwise), every column of it gets a CHECK listing the values, and it filters like
/// any column type. It also implements `Default` (the first variant, or the one marked
/// `#[orm(default)]`: what `New<Model>::default()` fills in), so do not derive `Default`
/// too.
///
/// `#[orm(native)]` (or `#[orm(native = "type_name")]`, by default the enum's name in
/// `snake_case`) stores it as a PostgreSQL `ENUM` type instead, created and dropped with the
/// tables that use it (text with the CHECK on SQLite); its values still compare and order as
/// text on both backends.
///
/// ```text
/// #[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
/// enum Status { Todo, InProgress, #[orm(rename = "finished")] Done }
///
/// #[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
/// #[orm(native = "ticket_state")]
/// enum TicketState { Open, Closed }
///
/// let open = Task::query().filter(Task::status.in_list([Status::Todo, Status::InProgress]));
/// ```
#[proc_macro_derive(DbEnum, attributes(orm))]
pub fn derive_db_enum(input: TokenStream) -> TokenStream {
    db_enum::db_enum(input.into()).into()
}

/// Derive `orm::DbType` (and the column-type traits) for a struct of one field: a newtype
/// column such as `struct UserId(i64);` or `struct Email(String);`. It is stored and read
/// exactly as its field, and works wherever the field's type does (primary and foreign keys
/// of relationships, `Option<UserId>` columns, `like` on a text newtype, arithmetic and
/// aggregates on a numeric one, `max_length` and validation rules) while staying its own
/// type in queries: `Post::author_id.eq(UserId(7))` compiles, `.eq(7)` does not. It also
/// implements `Default` (the inner type's: what `New<Model>::default()` fills in), so do not
/// derive `Default` too; derive `Clone`, `PartialEq`, `Hash` or serde's traits
/// (`#[serde(transparent)]`) as the models using it need.
///
/// A newtype key is generated as its inner type is (an integer by the database, a `Uuid` by
/// orm) when the field says so: `#[orm(primary_key, auto)] id: UserId` (orm recognises
/// `i16`/`i32`/`i64`/`Uuid` keys by name, so a newtype key is given by the caller unless it is
/// marked `auto`).
///
/// ```text
/// #[derive(DbType, Debug, Clone, Copy, PartialEq, Eq, Hash)]
/// struct UserId(i64);
///
/// #[derive(Model)]
/// struct User {
///     #[orm(primary_key, auto)]
///     id: UserId,
///     name: String,
/// }
///
/// #[derive(Model)]
/// struct Post {
///     #[orm(primary_key)]
///     id: i64,
///     author_id: UserId,
///     #[orm(belongs_to(foreign_key = "author_id"))]
///     author: BelongsTo<User>,
/// }
/// let mine = Post::query().filter(Post::author_id.eq(user.id));
/// ```
#[proc_macro_derive(DbType, attributes(orm))]
pub fn derive_db_type(input: TokenStream) -> TokenStream {
    db_type::db_type(input.into()).into()
}

/// Derive a mixin: a group of columns declared once and flattened into many models with
/// `#[orm(flatten)]`. Its fields take the column attributes a model's fields take (not keys,
/// relationships or `skip`); each becomes a column of every model that flattens it, with its
/// handle on the model (`Post::created_at`) and its field in `New<Model>`. Use it within its
/// crate, from any module where the mixin's type is in scope.
///
/// ```text
/// #[derive(Mixin, Debug, Clone, PartialEq)]
/// pub struct Timestamps {
///     #[orm(created_at)]
///     pub created_at: DateTime<Utc>,
///     #[orm(updated_at)]
///     pub updated_at: DateTime<Utc>,
/// }
///
/// #[derive(Model, Debug, Clone)]
/// struct Post {
///     #[orm(primary_key)]
///     id: i64,
///     title: String,
///     #[orm(flatten)]
///     stamps: Timestamps,
/// }
///
/// let recent = Post::query().filter(Post::created_at.gt(yesterday));
/// ```
#[proc_macro_derive(Mixin, attributes(orm))]
pub fn derive_mixin(input: TokenStream) -> TokenStream {
    mixin::mixin(input.into()).into()
}

/// The model derive again, with the fields of its flattened mixins (called by the macro a
/// `#[derive(Mixin)]` leaves). Not a public API.
#[doc(hidden)]
#[proc_macro]
pub fn model_with_mixins(input: TokenStream) -> TokenStream {
    expand::model_with_mixins(input.into()).into()
}

/// Embed the revision files (`*.toml`) of a directory, relative to the crate's
/// `Cargo.toml`, into the binary: `orm::migrate::embed_migrations!("migrations")` is an
/// expression of type `orm::Result<orm::migrate::Migrations>`, so that a deployed
/// application needs no files beside it. Each file is `include_str!`-ed, so editing one
/// rebuilds the crate; a build script with `cargo:rerun-if-changed=migrations` makes adding
/// one rebuild it too.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    let dir = syn::parse_macro_input!(input as syn::LitStr);
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let path = std::path::Path::new(&root).join(dir.value());
    let mut files: Vec<(String, String)> = Vec::new();
    match std::fs::read_dir(&path) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let file = entry.path();
                if file.extension().is_some_and(|e| e == "toml") {
                    let name = file
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    files.push((name, file.display().to_string()));
                }
            }
        }
        Err(error) => {
            let message = format!(
                "cannot read the migrations directory {}: {error}",
                path.display()
            );
            return syn::Error::new(dir.span(), message)
                .to_compile_error()
                .into();
        }
    }
    files.sort();
    let names = files.iter().map(|(name, _)| name);
    let paths = files.iter().map(|(_, path)| path);
    quote::quote! {
        ::orm::migrate::Migrations::from_files([
            #( (#names, ::core::include_str!(#paths)) ),*
        ])
    }
    .into()
}
