//! Index forms declared on models: partial (`where`), expression keys, descending keys,
//! PostgreSQL methods and `INCLUDE` (a B-tree of the keys on SQLite): created by
//! `create_all`, read back as declared by the migration tooling, and a unique partial index
//! enforced only where its condition holds.

use orm::migrate::{Migrations, Migrator, Renames};
use orm::prelude::*;

use crate::backend_tests;

#[derive(Model, Debug, Clone)]
#[orm(
    table = "ix_accounts",
    index(columns = ["email"], unique, where = "\"active\""),
    index(columns = ["(lower(\"handle\"))"], name = "ix_accounts_handle_lower"),
    index(columns = ["score DESC", "handle"]),
    index(columns = ["handle"], method = "hash"),
    index(columns = ["created_at"], method = "brin"),
    index(columns = ["score"], include = ["email"])
)]
pub struct Account {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 255)]
    pub email: String,
    pub handle: String,
    pub score: i32,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
}

fn account(email: &str, active: bool) -> NewAccount {
    NewAccount {
        email: email.into(),
        handle: email.into(),
        score: 1,
        active,
    }
}

backend_tests! {
    async fn index_forms_are_created_and_read_back_as_declared(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let schema = schema![Account];
        db.create_all(&schema).await?;
        let migrator = Migrator::new(Migrations::default());
        let found = migrator.check(db, &schema, &Renames::default()).await?;
        assert!(found.is_empty(), "read back differently: {:?}", found.operations);
        // Unique among active accounts only.
        account("a@x.io", true).insert(db).await?;
        account("a@x.io", false).insert(db).await?;
        account("a@x.io", false).insert(db).await?;
        let duplicate = account("a@x.io", true).insert(db).await.expect_err("unique when active");
        assert_eq!(duplicate.kind(), ErrorKind::UniqueViolation);
        Ok(())
    }
}
