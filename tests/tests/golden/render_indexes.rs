//! Index forms: partial, expression and descending keys, PostgreSQL methods and `INCLUDE`
//! (a plain B-tree of the keys on SQLite), with `ignore_deleted` joining a `where`.

use orm::prelude::*;

use crate::{PG, SQLITE};

#[derive(Model, Debug, Clone)]
#[orm(
    table = "ixg_items",
    index(columns = ["sku"], unique, where = "\"active\"", ignore_deleted),
    index(columns = ["(lower(\"sku\"))", "rank DESC"], name = "ixg_items_lower_sku"),
    index(columns = ["rank"], method = "brin", include = ["sku"])
)]
pub struct Item {
    #[orm(primary_key)]
    pub id: i64,
    pub sku: String,
    pub rank: i32,
    pub active: bool,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

fn indexes(dialect: &dyn orm::Dialect) -> Vec<String> {
    schema![Item]
        .create_statements(dialect)
        .expect("renders")
        .into_iter()
        .skip(1)
        .map(|s| s.sql.to_string())
        .collect()
}

#[test]
fn index_forms_on_both_dialects() {
    assert_eq!(
        indexes(PG),
        [
            r#"CREATE UNIQUE INDEX IF NOT EXISTS "ixg_items_sku_1821535c_key" ON "ixg_items" ("sku") WHERE ("active") AND "deleted_at" IS NULL"#,
            r#"CREATE INDEX IF NOT EXISTS "ixg_items_lower_sku" ON "ixg_items" ((lower("sku")), "rank" DESC)"#,
            r#"CREATE INDEX IF NOT EXISTS "ixg_items_rank_688017d9_idx" ON "ixg_items" USING brin ("rank") INCLUDE ("sku")"#,
        ]
    );
    assert_eq!(
        indexes(SQLITE),
        [
            r#"CREATE UNIQUE INDEX IF NOT EXISTS "ixg_items_sku_1821535c_key" ON "ixg_items" ("sku") WHERE ("active") AND "deleted_at" IS NULL"#,
            r#"CREATE INDEX IF NOT EXISTS "ixg_items_lower_sku" ON "ixg_items" ((lower("sku")), "rank" DESC)"#,
            r#"CREATE INDEX IF NOT EXISTS "ixg_items_rank_688017d9_idx" ON "ixg_items" ("rank")"#,
        ]
    );
}
