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
            assert!(names.contains(&"ix_posts_user_id".to_owned()), "{names:?}");
            assert!(names.contains(&"ix_posts_user_id_published_at".to_owned()), "{names:?}");
        }
        let user_indexes = index_names(t, "users").await;
        if t.target == Target::Postgres {
            assert!(user_indexes.contains(&"users_email_key".to_owned()), "{user_indexes:?}");
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
