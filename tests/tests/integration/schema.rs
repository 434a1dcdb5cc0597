//! `create_all` / `drop_all`: foreign-key order, idempotence, and every declared constraint
//! and index present in the database.

use orm::prelude::*;

use crate::models::*;
use crate::{Target, TestDb, backend_tests};

/// Index names of `table`, read from the database's catalog.
async fn index_names(t: &TestDb, table: &str) -> Vec<String> {
    let mut names: Vec<String> = match t.target {
        Target::Postgres => {
            let pool = sqlx::PgPool::connect(&t.direct_url()).await.expect("pg");
            sqlx::query_scalar("SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1")
                .bind(table)
                .fetch_all(&pool)
                .await
                .expect("indexes")
        }
        _ => {
            // The in-memory database is only reachable through `db`; read the file directly
            // otherwise. For memory, use a file copy of the same schema instead.
            let url = if t.target == Target::SqliteMemory {
                return Vec::new();
            } else {
                t.url.clone()
            };
            let pool = sqlx::SqlitePool::connect(&url).await.expect("sqlite");
            sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
            )
            .bind(table)
            .fetch_all(&pool)
            .await
            .expect("indexes")
        }
    };
    names.sort();
    names
}

backend_tests! {
    async fn create_all_orders_tables_and_is_idempotent(t: &TestDb) -> Result<()> {
        let db = &t.db;
        // Given in the wrong order: posts reference users, post_tags reference both.
        let schema = schema![PostTag, Post, Account, Tag, User];
        db.create_all(&schema).await?;
        db.create_all(&schema).await?;
        let user = new_user(1).insert(db).await?;
        NewPost { user_id: user.id, title: "t".into(), body: String::new(), price: Decimal::ONE, published_at: None }.insert(db).await?;
        db.drop_all(&schema).await?;
        db.drop_all(&schema).await?;
        assert!(User::query().count(db).await.is_err(), "tables are gone");
        db.create_all(&schema).await?;
        assert_eq!(User::query().count(db).await?, 0);
        Ok(())
    }

    async fn indexes_and_constraints_exist(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let names = index_names(t, "posts").await;
        if t.target != Target::SqliteMemory {
            for index in Post::TABLE.indexes {
                assert!(names.contains(&index.name.to_owned()), "{} in {names:?}", index.name);
            }
            assert_eq!(Post::TABLE.indexes.len(), 2);
        }
        let user_indexes = index_names(t, "users").await;
        if t.target == Target::Postgres {
            let unique = User::TABLE.column("email").and_then(|c| c.unique).expect("unique email");
            assert!(user_indexes.contains(&unique.to_owned()), "{user_indexes:?}");
            assert!(user_indexes.contains(&"users_pkey".to_owned()), "{user_indexes:?}");
        }
        Ok(())
    }
}

/// Every pooled SQLite connection gets orm's pragmas: foreign keys on, WAL for files, a busy
/// timeout, case-sensitive LIKE.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_file_connections_use_wal_and_foreign_keys() {
    let Some(t) = TestDb::open(Target::SqliteFile).await else {
        return;
    };
    t.db.create_all(&blog_schema()).await.expect("schema");
    new_user(1).insert(&t.db).await.expect("insert");
    let path = t
        .url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .expect("path")
        .to_owned();
    assert!(
        std::path::Path::new(&format!("{path}-wal")).exists(),
        "a write-ahead log exists next to {path}"
    );
    // Several connections at once, each with foreign keys enforced.
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let db = t.db.clone();
            tokio::spawn(async move {
                let orphan = NewPost {
                    user_id: 999,
                    title: "orphan".into(),
                    body: String::new(),
                    price: Decimal::ONE,
                    published_at: None,
                };
                orphan.insert(&db).await
            })
        })
        .collect();
    for task in tasks {
        let error = task.await.expect("task").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ForeignKeyViolation);
    }
}

/// Names that read alike: `pa_b` unique on `c` and `pa` unique on `b_c` both used to get
/// `pa_b_c_key`.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "pa_b")]
pub struct PaB {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique, index)]
    pub c: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "pa")]
pub struct Pa {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique, index)]
    pub b_c: String,
}

/// A table name of exactly 63 bytes, PostgreSQL's limit: its `_pkey` would be cut to the
/// table's own name.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "t23456789_123456789_123456789_123456789_123456789_123456789_123")]
pub struct LongestName {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(
        unique,
        column = "c23456789_123456789_123456789_123456789_123456789_123456789_123"
    )]
    pub longest_column: String,
    #[orm(references = LongestName, index)]
    pub parent_id: Option<i64>,
}

backend_tests! {
    async fn generated_names_are_unique_and_fit(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let schema = schema![PaB, Pa, LongestName];
        db.create_all(&schema).await?;
        db.create_all(&schema).await?;
        assert_eq!(LongestName::TABLE.name.len(), 63);
        // Every generated name fits, and no two are alike.
        let mut names = Vec::new();
        for table in [PaB::TABLE, Pa::TABLE, LongestName::TABLE] {
            names.push(table.name);
            names.push(table.primary_key_name);
            names.extend(table.columns.iter().filter_map(|c| c.unique));
            names.extend(table.indexes.iter().map(|i| i.name));
            names.extend(table.foreign_keys.iter().map(|f| f.name));
        }
        assert!(names.iter().all(|n| n.len() <= 63), "{names:?}");
        let mut distinct = names.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), names.len(), "{names:?}");
        // Each unique constraint works and is reported under its own name.
        NewPaB { c: "x".into() }.insert(db).await?;
        NewPa { b_c: "x".into() }.insert(db).await?;
        let error = NewPa { b_c: "x".into() }.insert(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation);
        if t.target == Target::Postgres {
            assert_eq!(error.constraint().and_then(|i| i.constraint.as_deref()), Pa::TABLE.column("b_c").and_then(|c| c.unique));
            let indexes = index_names(t, LongestName::TABLE.name).await;
            assert!(indexes.contains(&LongestName::TABLE.primary_key_name.to_owned()), "{indexes:?}");
        }
        let root = NewLongestName { longest_column: "root".into(), parent_id: None }.insert(db).await?;
        NewLongestName { longest_column: "child".into(), parent_id: Some(root.id) }.insert(db).await?;
        let orphan = NewLongestName { longest_column: "orphan".into(), parent_id: Some(-1) }.insert(db).await.unwrap_err();
        assert_eq!(orphan.kind(), ErrorKind::ForeignKeyViolation);
        assert_eq!(LongestName::query().filter(LongestName::longest_column.eq("child")).count(db).await?, 1);
        db.drop_all(&schema).await?;
        Ok(())
    }
}
