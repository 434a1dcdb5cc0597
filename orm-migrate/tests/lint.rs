//! `migrate lint`: every rule has a case that triggers it and one that does not.

// The models' relationship fields are declared for their metadata and never read.
#![allow(dead_code)]

use orm::prelude::*;
use orm_core::meta::LintAllow;
use orm_core::schema_def::{
    ColumnDef, ColumnType, DefaultValue, EnumDef, ForeignKeyDef, IndexDef, KeyDef, TableDef,
};
use orm_core::value::SqlType;
use orm_migrate::{
    Finding, Migrations, Migrator, Operation, Revision, Snapshot, lint_models, lint_operations,
    lint_pending, lint_revision,
};

// ---------------------------------------------------------------------------------------
// Models. `User`, `Post`, `Tag` and `PostTag` pass every check; the others each break one
// rule (or keep to it in a way the rule must accept).

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
struct User {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique)]
    pub email: String,
    #[orm(max_length = 2000)]
    pub bio: String,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "posts")]
struct Post {
    #[orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[orm(belongs_to(foreign_key = "user_id", on_delete = "cascade"))]
    pub user: BelongsTo<User>,
    pub body: String,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "tags")]
struct Tag {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 40)]
    pub name: String,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

/// A junction: only key columns, so no timestamps needed; `post_id` leads the primary key
/// and `tag_id` has its own index.
#[derive(Model, Debug, Clone)]
#[orm(table = "post_tags", primary_key(post_id, tag_id))]
struct PostTag {
    #[orm(references = Post, on_delete = "cascade")]
    pub post_id: i64,
    #[orm(references = Tag, on_delete = "cascade", index)]
    pub tag_id: i64,
}

fn clean() -> Schema {
    schema![User, Post, Tag, PostTag]
}

/// (model, field) of each finding with `code`.
fn found(findings: &[Finding], code: &str) -> Vec<(String, Option<String>)> {
    findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| (f.model.clone(), f.field.clone()))
        .collect()
}

fn at(model: &str, field: &str) -> (String, Option<String>) {
    (model.to_owned(), Some(field.to_owned()))
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

#[test]
fn clean_models_have_no_findings() {
    let findings = lint_models(&clean());
    assert!(findings.is_empty(), "{findings:#?}");
}

// L101 -----------------------------------------------------------------------------------

#[derive(Model, Debug, Clone)]
#[orm(table = "comments")]
struct UnindexedComment {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Post, on_delete = "cascade")]
    pub post_id: i64,
    pub user_id: i64,
    #[orm(belongs_to(foreign_key = "user_id", on_delete = "cascade", index = false))]
    pub user: BelongsTo<User>,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

/// `post_id` is indexed only second in a composite index, and `user_id` only by a partial
/// (`ignore_deleted`) index: neither serves the foreign key's lookups.
#[derive(Model, Debug, Clone)]
#[orm(
    table = "comments",
    index(columns = ["created_at", "post_id"]),
    index(columns = ["user_id"], ignore_deleted)
)]
struct BadlyIndexedComment {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Post, on_delete = "cascade")]
    pub post_id: i64,
    #[orm(references = User, on_delete = "cascade")]
    pub user_id: i64,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

/// `post_id` leads a composite index, `user_id` has its own, `parent_id` is unique.
#[derive(Model, Debug, Clone)]
#[orm(table = "comments", index(columns = ["post_id", "created_at"]))]
struct IndexedComment {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Post, on_delete = "cascade")]
    pub post_id: i64,
    #[orm(references = User, on_delete = "cascade", index)]
    pub user_id: i64,
    #[orm(references = IndexedComment, on_delete = "cascade", unique)]
    pub parent_id: Option<i64>,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[test]
fn l101_foreign_key_without_index() {
    let findings = lint_models(&schema![UnindexedComment, BadlyIndexedComment]);
    assert_eq!(
        found(&findings, "L101"),
        [
            at("UnindexedComment", "post_id"),
            at("UnindexedComment", "user_id"),
            at("BadlyIndexedComment", "post_id"),
            at("BadlyIndexedComment", "user_id"),
        ]
    );
    assert_eq!(codes(&findings), ["L101"; 4], "{findings:#?}");
    let fix = &findings[1].fix;
    assert!(fix.contains("index = false"), "{fix}");
    assert!(findings[0].fix.contains("#[orm(index)] to `post_id`"));

    let findings = lint_models(&schema![IndexedComment]);
    assert!(findings.is_empty(), "{findings:#?}");
}

// L102 -----------------------------------------------------------------------------------

/// An alias hides the `Option` from the derive (it reads the type's structure), so the
/// relationship is declared required over a nullable column: only the metadata tells.
type MaybeId = Option<i64>;

#[derive(Model, Debug, Clone)]
#[orm(table = "articles")]
struct AliasedArticle {
    #[orm(primary_key)]
    pub id: i64,
    pub author_id: MaybeId,
    #[orm(belongs_to(foreign_key = "author_id", on_delete = "cascade"))]
    pub author: BelongsTo<User>,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "articles")]
struct OptionalArticle {
    #[orm(primary_key)]
    pub id: i64,
    pub author_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "author_id", on_delete = "set null"))]
    pub author: BelongsTo<Option<User>>,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[test]
fn l102_required_relationship_over_a_nullable_key() {
    let findings = lint_models(&schema![AliasedArticle]);
    assert_eq!(codes(&findings), ["L102"], "{findings:#?}");
    assert_eq!(
        found(&findings, "L102"),
        [at("AliasedArticle", "author_id")]
    );
    assert!(findings[0].message.contains("AliasedArticle.author"));
    assert!(findings[0].fix.contains("BelongsTo<Option<User>>"));

    // Optional over nullable, and required over NOT NULL (`Post`), are both fine.
    let findings = lint_models(&schema![OptionalArticle, Post]);
    assert!(findings.is_empty(), "{findings:#?}");
}

// L103 -----------------------------------------------------------------------------------

#[derive(Model, Debug, Clone)]
#[orm(table = "products")]
struct FloatProduct {
    #[orm(primary_key)]
    pub id: i64,
    pub price: f64,
    pub unit_cost: f32,
    pub weight_kg: f64,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "products")]
struct DecimalProduct {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(numeric(12, 2))]
    pub price: Decimal,
    pub total_orders: i64,
    pub weight_kg: f64,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[test]
fn l103_money_in_a_float() {
    let findings = lint_models(&schema![FloatProduct]);
    assert_eq!(
        found(&findings, "L103"),
        [at("FloatProduct", "price"), at("FloatProduct", "unit_cost")]
    );
    assert_eq!(codes(&findings), ["L103", "L103"]);
    assert!(
        findings[0].fix.contains("numeric(12, 2)"),
        "{}",
        findings[0].fix
    );

    let findings = lint_models(&schema![DecimalProduct]);
    assert!(findings.is_empty(), "{findings:#?}");
}

// L104 -----------------------------------------------------------------------------------

#[derive(Model, Debug, Clone)]
#[orm(table = "profiles")]
struct ShortProfile {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 255)]
    pub description: String,
    #[orm(max_length = 200)]
    pub short_bio: String,
    #[orm(max_length = 100)]
    pub title: String,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "profiles")]
struct LongProfile {
    #[orm(primary_key)]
    pub id: i64,
    pub description: String,
    #[orm(max_length = 1000)]
    pub short_bio: String,
    #[orm(max_length = 100)]
    pub title: String,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[test]
fn l104_short_max_length_on_long_text() {
    let findings = lint_models(&schema![ShortProfile]);
    assert_eq!(
        found(&findings, "L104"),
        [
            at("ShortProfile", "description"),
            at("ShortProfile", "short_bio")
        ]
    );
    assert_eq!(codes(&findings), ["L104", "L104"]);
    assert!(findings[0].message.contains("255"));

    let findings = lint_models(&schema![LongProfile]);
    assert!(findings.is_empty(), "{findings:#?}");
}

// L105 -----------------------------------------------------------------------------------

/// `slug` is unique only together with `user_id`: not unique on its own.
#[derive(Model, Debug, Clone)]
#[orm(table = "accounts", index(columns = ["user_id", "slug"], unique))]
struct LooseAccount {
    #[orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub username: String,
    #[orm(references = User, on_delete = "cascade")]
    pub user_id: i64,
    pub slug: String,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "accounts", index(columns = ["username"], unique))]
struct UniqueAccount {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique)]
    pub email: String,
    pub username: String,
    #[orm(unique(ignore_deleted))]
    pub slug: String,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[test]
fn l105_identifying_field_without_unique() {
    let findings = lint_models(&schema![LooseAccount]);
    assert_eq!(
        found(&findings, "L105"),
        [
            at("LooseAccount", "email"),
            at("LooseAccount", "username"),
            at("LooseAccount", "slug"),
        ]
    );
    assert_eq!(codes(&findings), ["L105"; 3], "{findings:#?}");
    assert!(findings[0].fix.contains("#[orm(unique)]"));

    let findings = lint_models(&schema![UniqueAccount]);
    assert!(findings.is_empty(), "{findings:#?}");
}

// L106 -----------------------------------------------------------------------------------

#[derive(Model, Debug, Clone)]
#[orm(table = "orders")]
struct UndecidedOrder {
    #[orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[orm(belongs_to(foreign_key = "user_id"))]
    pub user: BelongsTo<User>,
    #[orm(references = Post, index)]
    pub post_id: i64,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

/// `no action` written out is a decision, even though it is the default.
#[derive(Model, Debug, Clone)]
#[orm(table = "orders")]
struct DecidedOrder {
    #[orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[orm(belongs_to(foreign_key = "user_id", on_delete = "no action"))]
    pub user: BelongsTo<User>,
    #[orm(references = Post, on_delete = "restrict", index)]
    pub post_id: i64,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[test]
fn l106_foreign_key_without_on_delete() {
    let findings = lint_models(&schema![UndecidedOrder]);
    assert_eq!(
        found(&findings, "L106"),
        [
            at("UndecidedOrder", "user_id"),
            at("UndecidedOrder", "post_id")
        ]
    );
    assert_eq!(codes(&findings), ["L106", "L106"], "{findings:#?}");
    assert!(
        findings[0].fix.contains("belongs_to of `user`"),
        "{}",
        findings[0].fix
    );
    assert!(
        findings[1].fix.contains("references = Post"),
        "{}",
        findings[1].fix
    );

    let findings = lint_models(&schema![DecidedOrder]);
    assert!(findings.is_empty(), "{findings:#?}");
}

// L107 -----------------------------------------------------------------------------------

#[derive(Model, Debug, Clone)]
#[orm(table = "settings")]
struct Setting {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 40)]
    pub name: String,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "events")]
struct Event {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
}

/// A junction with a column of its own is not pure: it needs timestamps.
#[derive(Model, Debug, Clone)]
#[orm(table = "memberships", primary_key(user_id, tag_id))]
struct Membership {
    #[orm(references = User, on_delete = "cascade")]
    pub user_id: i64,
    #[orm(references = Tag, on_delete = "cascade", index)]
    pub tag_id: i64,
    pub role: String,
}

#[test]
fn l107_table_without_timestamps() {
    let findings = lint_models(&schema![Setting, Event, Membership]);
    assert_eq!(codes(&findings), ["L107"; 3], "{findings:#?}");
    assert_eq!(
        found(&findings, "L107"),
        [
            ("Setting".to_owned(), None),
            ("Event".to_owned(), None),
            ("Membership".to_owned(), None),
        ]
    );
    assert!(findings[0].message.contains("created_at or updated_at"));
    assert!(
        !findings[1].message.contains("created_at"),
        "{}",
        findings[1].message
    );
    assert!(findings[1].fix.contains("#[orm(updated_at)]"));

    // Both timestamps, and a pure junction.
    let findings = lint_models(&schema![User, PostTag]);
    assert!(findings.is_empty(), "{findings:#?}");
}

// Silencing ------------------------------------------------------------------------------

#[derive(Model, Debug, Clone)]
#[orm(table = "ledger")]
#[orm(allow_lint(code = "L107", reason = "append-only; `logged_at` is its time"))]
struct Ledger {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(allow_lint(code = "L103", reason = "an estimate, shown rounded, never summed"))]
    pub estimated_cost: f64,
    /// Silenced for another code only: its L103 is still reported.
    #[orm(allow_lint(code = "L104", reason = "not the finding at hand"))]
    pub fee: f64,
    pub user_id: i64,
    #[orm(allow_lint(code = "L106", reason = "users are never deleted"))]
    #[orm(belongs_to(foreign_key = "user_id"))]
    pub user: BelongsTo<User>,
    pub logged_at: DateTime<Utc>,
}

#[test]
fn silenced_findings_are_not_reported() {
    let findings = lint_models(&schema![Ledger]);
    assert_eq!(found(&findings, "L103"), [at("Ledger", "fee")]);
    assert_eq!(codes(&findings), ["L103"], "{findings:#?}");

    let allows = <Ledger as orm::Model>::TABLE.lint_allows;
    assert_eq!(allows.len(), 4);
    assert_eq!(
        allows[0],
        LintAllow {
            code: "L107",
            field: None,
            reason: "append-only; `logged_at` is its time"
        }
    );
    assert_eq!(allows[3].field, Some("user"));
}

#[test]
fn a_finding_displays_code_model_field_and_fix() {
    let findings = lint_models(&schema![FloatProduct]);
    let text = findings[0].to_string();
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    assert!(first.starts_with("L103 FloatProduct.price: "), "{text}");
    assert!(
        lines.next().unwrap().starts_with("  fix: declare `price`"),
        "{text}"
    );
    assert_eq!(lines.next(), None);
}

// ---------------------------------------------------------------------------------------
// Migration steps.

fn column(name: &str, ty: SqlType, nullable: bool) -> ColumnDef {
    ColumnDef {
        name: name.to_owned(),
        ty: ColumnType::Sql(ty),
        nullable,
        default: None,
        identity: false,
    }
}

fn table(name: &str, columns: Vec<ColumnDef>) -> TableDef {
    TableDef {
        name: name.to_owned(),
        columns,
        primary_key: Some(KeyDef {
            name: None,
            columns: vec!["id".to_owned()],
        }),
        uniques: Vec::new(),
        foreign_keys: Vec::new(),
        checks: Vec::new(),
        indexes: Vec::new(),
    }
}

/// `users (id, email)` and `posts (id, user_id, title, views)`.
fn before() -> Snapshot {
    Snapshot {
        tables: vec![
            table(
                "users",
                vec![
                    column("id", SqlType::BigInt, false),
                    column("email", SqlType::Text, false),
                ],
            ),
            table(
                "posts",
                vec![
                    column("id", SqlType::BigInt, false),
                    column("user_id", SqlType::BigInt, false),
                    column("title", SqlType::Varchar(100), false),
                    column("views", SqlType::Int, false),
                    column(
                        "price",
                        SqlType::Numeric {
                            precision: 10,
                            scale: 2,
                        },
                        false,
                    ),
                ],
            ),
        ],
    }
}

fn rows(tables: &[&str]) -> Vec<String> {
    tables.iter().map(|t| (*t).to_owned()).collect()
}

fn add_column(table: &str, column: ColumnDef) -> Operation {
    Operation::AddColumn {
        table: table.to_owned(),
        column,
    }
}

const PG: &str = "postgresql";
const SQLITE: &str = "sqlite";

#[test]
fn l201_not_null_column_without_default_on_a_table_with_rows() {
    let step = add_column("users", column("score", SqlType::Int, false));
    let findings = lint_operations(
        std::slice::from_ref(&step),
        &before(),
        None,
        &rows(&["users"]),
        SQLITE,
    );
    assert_eq!(found(&findings, "L201"), [at("users", "score")]);
    assert_eq!(codes(&findings), ["L201"]);
    assert!(findings[0].fix.contains("nullable"));

    // Followed through a rename: `members` is the `users` that has rows.
    let renamed = [
        Operation::RenameTable {
            from: "users".to_owned(),
            to: "members".to_owned(),
        },
        add_column("members", column("score", SqlType::Int, false)),
    ];
    let findings = lint_operations(&renamed, &before(), None, &rows(&["users"]), PG);
    assert_eq!(found(&findings, "L201"), [at("members", "score")]);

    // No rows; nullable; with a default; on a table created by the same steps.
    assert!(lint_operations(&[step], &before(), None, &rows(&["posts"]), PG).is_empty());
    let nullable = add_column("users", column("score", SqlType::Int, true));
    let defaulted = add_column(
        "users",
        ColumnDef {
            default: Some(DefaultValue::Int(0)),
            ..column("score", SqlType::Int, false)
        },
    );
    let created = [
        Operation::CreateTable {
            table: table("audit", vec![column("id", SqlType::BigInt, false)]),
        },
        add_column("audit", column("score", SqlType::Int, false)),
    ];
    let with_rows = rows(&["users", "audit"]);
    for steps in [&[nullable][..], &[defaulted], &created] {
        let findings = lint_operations(steps, &before(), None, &with_rows, PG);
        assert!(findings.is_empty(), "{findings:#?}");
    }
}

fn create_index(table: &str, name: &str, columns: &[&str]) -> Operation {
    Operation::CreateIndex {
        table: table.to_owned(),
        index: IndexDef {
            name: name.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            unique: false,
            predicate: None,
            ..Default::default()
        },
    }
}

#[test]
fn l202_index_without_concurrently_on_an_existing_table() {
    let step = create_index("posts", "posts_user_id_idx", &["user_id"]);
    let findings = lint_operations(std::slice::from_ref(&step), &before(), None, &[], PG);
    assert_eq!(found(&findings, "L202"), [at("posts", "user_id")]);
    assert_eq!(codes(&findings), ["L202"]);
    assert!(
        findings[0]
            .fix
            .contains("CREATE INDEX CONCURRENTLY posts_user_id_idx ON posts (user_id)"),
        "{}",
        findings[0].fix
    );
    assert!(findings[0].fix.contains("transaction = false"));

    // SQLite has no such lock; a table created by the same steps has no readers yet.
    assert!(lint_operations(&[step], &before(), None, &[], SQLITE).is_empty());
    let created = [
        Operation::CreateTable {
            table: table("audit", vec![column("id", SqlType::BigInt, false)]),
        },
        create_index("audit", "audit_id_idx", &["id"]),
    ];
    assert!(lint_operations(&created, &before(), None, &[], PG).is_empty());
}

fn alter_type(table: &str, name: &str, from: SqlType, to: SqlType) -> Operation {
    Operation::AlterColumn {
        table: table.to_owned(),
        from: column(name, from, false),
        to: column(name, to, false),
    }
}

#[test]
fn l203_type_change_that_rewrites_the_table() {
    let numeric = |precision, scale| SqlType::Numeric { precision, scale };
    let rewrites = [
        alter_type("posts", "views", SqlType::Int, SqlType::BigInt),
        alter_type(
            "posts",
            "title",
            SqlType::Varchar(100),
            SqlType::Varchar(50),
        ),
        alter_type("posts", "title", SqlType::Varchar(100), SqlType::Int),
        alter_type("posts", "price", numeric(10, 2), numeric(12, 3)),
        alter_type("posts", "price", numeric(10, 2), numeric(8, 2)),
    ];
    let findings = lint_operations(&rewrites, &before(), None, &[], PG);
    assert_eq!(
        found(&findings, "L203"),
        [
            at("posts", "views"),
            at("posts", "title"),
            at("posts", "title"),
            at("posts", "price"),
            at("posts", "price"),
        ]
    );
    assert_eq!(codes(&findings), ["L203"; 5]);
    assert!(
        findings[0].message.contains("from int to bigint"),
        "{}",
        findings[0].message
    );
    assert!(findings[0].fix.contains("expand and contract"));

    let in_place = [
        alter_type(
            "posts",
            "title",
            SqlType::Varchar(100),
            SqlType::Varchar(200),
        ),
        alter_type("posts", "title", SqlType::Varchar(200), SqlType::Text),
        alter_type("posts", "price", numeric(10, 2), numeric(14, 2)),
        // Nullability only: not a type change.
        Operation::AlterColumn {
            table: "posts".to_owned(),
            from: column("views", SqlType::Int, false),
            to: column("views", SqlType::Int, true),
        },
    ];
    let findings = lint_operations(&in_place, &before(), None, &[], PG);
    assert!(findings.is_empty(), "{findings:#?}");
    // SQLite rebuilds tables its own way; the rule is PostgreSQL's.
    assert!(lint_operations(&rewrites, &before(), None, &[], SQLITE).is_empty());
}

#[test]
fn l203_native_enum_labels_changed_other_than_by_adding() {
    let state = |values: &[&str]| EnumDef {
        name: "post_state".into(),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
    };
    let mut schema = before();
    for table in &mut schema.tables {
        table.columns.push(ColumnDef {
            ty: ColumnType::Enum(state(&["draft", "live"])),
            ..column("state", SqlType::Text, false)
        });
    }
    let alter = |to: &[&str]| Operation::AlterEnum {
        from: state(&["draft", "live"]),
        to: state(to),
    };
    // Added in place: nothing to say.
    let added = [alter(&["new", "draft", "review", "live", "gone"])];
    assert!(lint_operations(&added, &schema, None, &[], PG).is_empty());
    // Removed, reordered: the type is made again and every column of it rewritten.
    for changed in [alter(&["draft"]), alter(&["live", "draft"])] {
        let findings = lint_operations(&[changed], &schema, None, &[], PG);
        assert_eq!(
            found(&findings, "L203"),
            [at("users", "state"), at("posts", "state")]
        );
        assert!(
            findings[0].fix.contains("only add new ones"),
            "{}",
            findings[0].fix
        );
        assert!(lint_operations(&[alter(&["draft"])], &schema, None, &[], SQLITE).is_empty());
    }
}

#[test]
fn l204_rename_or_drop_of_a_column_the_models_read() {
    let models = schema![User];
    let steps = [
        Operation::DropColumn {
            table: "users".to_owned(),
            column: column("email", SqlType::Text, false),
        },
        Operation::RenameColumn {
            table: "users".to_owned(),
            from: "bio".to_owned(),
            to: "about".to_owned(),
        },
    ];
    let findings = lint_operations(&steps, &before(), Some(&models), &[], SQLITE);
    assert_eq!(
        found(&findings, "L204"),
        [at("users", "email"), at("users", "bio")]
    );
    assert_eq!(codes(&findings), ["L204", "L204"]);
    assert!(
        findings[0].message.contains("User.email"),
        "{}",
        findings[0].message
    );
    assert!(findings[1].fix.contains("expand and contract"));

    // Without models there is nothing to compare with; columns the models do not read
    // may go.
    assert!(lint_operations(&steps, &before(), None, &[], SQLITE).is_empty());
    let unread = [
        Operation::DropColumn {
            table: "users".to_owned(),
            column: column("legacy_flag", SqlType::Bool, true),
        },
        Operation::RenameColumn {
            table: "posts".to_owned(),
            from: "title".to_owned(),
            to: "headline".to_owned(),
        },
    ];
    let findings = lint_operations(&unread, &before(), Some(&models), &[], PG);
    assert!(findings.is_empty(), "{findings:#?}");
}

fn add_foreign_key(table: &str, column: &str, references: &str) -> Operation {
    Operation::AddForeignKey {
        table: table.to_owned(),
        foreign_key: ForeignKeyDef {
            name: Some(format!("{table}_{column}_fkey")),
            columns: vec![column.to_owned()],
            references: references.to_owned(),
            referenced_columns: vec!["id".to_owned()],
            on_delete: orm_core::meta::ReferentialAction::Cascade,
            on_update: orm_core::meta::ReferentialAction::NoAction,
        },
    }
}

#[test]
fn l205_foreign_key_without_not_valid_on_an_existing_table() {
    let step = add_foreign_key("posts", "user_id", "users");
    let findings = lint_operations(std::slice::from_ref(&step), &before(), None, &[], PG);
    assert_eq!(found(&findings, "L205"), [at("posts", "user_id")]);
    assert_eq!(codes(&findings), ["L205"]);
    assert!(findings[0].fix.contains("NOT VALID"), "{}", findings[0].fix);
    assert!(
        findings[0]
            .fix
            .contains("ALTER TABLE posts VALIDATE CONSTRAINT posts_user_id_fkey"),
        "{}",
        findings[0].fix
    );

    assert!(lint_operations(&[step], &before(), None, &[], SQLITE).is_empty());
    let created = [
        Operation::CreateTable {
            table: table(
                "audit",
                vec![
                    column("id", SqlType::BigInt, false),
                    column("user_id", SqlType::BigInt, false),
                ],
            ),
        },
        add_foreign_key("audit", "user_id", "users"),
    ];
    assert!(lint_operations(&created, &before(), None, &[], PG).is_empty());
}

// Revisions ------------------------------------------------------------------------------

const REVISION: &str = r#"
id = "20260101_000000_index_posts"
message = "index posts"

[[upgrade]]
op = "create_index"
table = "posts"
index = { name = "posts_user_id_idx", columns = ["user_id"] }

[[upgrade]]
op = "add_foreign_key"
table = "posts"
foreign_key = { name = "posts_user_id_fkey", columns = ["user_id"], references = "users", referenced_columns = ["id"] }

[[allow]]
code = "L202"
reason = "posts holds a few hundred rows: the lock is brief"
"#;

#[test]
fn a_revision_silences_its_findings_with_a_reason() {
    let revision = Revision::parse(REVISION, "test.toml").unwrap();
    assert_eq!(revision.allow.len(), 1);
    let findings = lint_revision(&revision, &before(), None, &[], PG);
    assert_eq!(codes(&findings), ["L205"], "{findings:#?}");

    // Without the allow, both are reported.
    let bare = Revision {
        allow: Vec::new(),
        transaction: true,
        ..revision.clone()
    };
    let findings = lint_revision(&bare, &before(), None, &[], PG);
    assert_eq!(codes(&findings), ["L202", "L205"]);

    // The allow survives writing the file again.
    let again = Revision::parse(&revision.to_toml().unwrap(), "again.toml").unwrap();
    assert_eq!(again.allow, revision.allow);
}

#[test]
fn a_revision_allow_needs_a_reason() {
    let empty = REVISION.replace(
        "reason = \"posts holds a few hundred rows: the lock is brief\"",
        "reason = \"  \"",
    );
    let error = Revision::parse(&empty, "empty.toml")
        .unwrap_err()
        .to_string();
    assert!(error.contains("reason of an [[allow]] is empty"), "{error}");

    let missing = REVISION.replace(
        "reason = \"posts holds a few hundred rows: the lock is brief\"",
        "",
    );
    let error = Revision::parse(&missing, "missing.toml")
        .unwrap_err()
        .to_string();
    assert!(error.contains("reason"), "{error}");
}

// Pending revisions on a live database ---------------------------------------------------

const ADD_SCORE: &str = r#"
id = "20260101_000000_score"
message = "score"

[[upgrade]]
op = "add_column"
table = "users"
column = { name = "score", type = "int" }

[[upgrade]]
op = "drop_column"
table = "users"
column = { name = "email", type = "text" }

[[downgrade]]
op = "add_column"
table = "users"
column = { name = "email", type = "text" }

[[downgrade]]
op = "drop_column"
table = "users"
column = { name = "score", type = "int" }
"#;

#[tokio::test]
async fn pending_revisions_are_linted_against_the_live_database() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    raw("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL)")
        .execute(&db)
        .await
        .unwrap();
    let migrator = Migrator::new(Migrations::from_files([("score.toml", ADD_SCORE)]).unwrap());
    let models = schema![User];

    // An empty table takes a NOT NULL column; the models still read `email`.
    let pending = lint_pending(&migrator, &db, Some(&models)).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].0, "20260101_000000_score");
    assert_eq!(codes(&pending[0].1), ["L204"], "{:#?}", pending[0].1);

    raw("INSERT INTO users (email) VALUES ('a@example.com')")
        .execute(&db)
        .await
        .unwrap();
    let pending = lint_pending(&migrator, &db, None).await.unwrap();
    assert_eq!(found(&pending[0].1, "L201"), [at("users", "score")]);
    assert_eq!(codes(&pending[0].1), ["L201"]);
}
