//! Foreign keys over several columns (`foreign_key(columns = [..], references = ..)`): created
//! on both backends, enforced (a typed foreign-key violation), cascading, read back by the
//! migration tooling as declared; referenced columns that are not a key are refused.

use orm::migrate::{Migrations, Migrator, Renames};
use orm::prelude::*;

use crate::backend_tests;

#[derive(Model, Debug, Clone)]
#[orm(table = "ck_orders", primary_key(region, number))]
pub struct Order {
    pub region: String,
    pub number: i64,
    pub note: String,
}

#[derive(Model, Debug, Clone)]
#[orm(
    table = "ck_lines",
    index(columns = ["region", "number"]),
    foreign_key(columns = ["region", "number"], references = Order, on_delete = "cascade")
)]
pub struct Line {
    #[orm(primary_key)]
    pub id: i64,
    pub region: String,
    pub number: i64,
    pub sku: String,
}

/// References two columns of `Order` that are no key of it.
#[derive(Model, Debug, Clone)]
#[orm(
    table = "ck_bad_refs",
    foreign_key(columns = ["a", "b"], references = Order, referenced_columns = ["number", "note"])
)]
pub struct BadRef {
    #[orm(primary_key)]
    pub id: i64,
    pub a: i64,
    pub b: String,
}

fn order(region: &str, number: i64) -> NewOrder {
    NewOrder {
        region: region.into(),
        number,
        note: String::new(),
    }
}

fn line(region: &str, number: i64) -> NewLine {
    NewLine {
        region: region.into(),
        number,
        sku: "x".into(),
    }
}

backend_tests! {
    async fn composite_foreign_keys_are_enforced_and_read_back(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let schema = schema![Order, Line];
        db.create_all(&schema).await?;
        let found = Migrator::new(Migrations::default())
            .check(db, &schema, &Renames::default())
            .await?;
        assert!(found.is_empty(), "read back differently: {:?}", found.operations);
        order("eu", 1).insert(db).await?;
        order("us", 1).insert(db).await?;
        line("eu", 1).insert(db).await?;
        line("us", 1).insert(db).await?;
        let orphan = line("eu", 2).insert(db).await.expect_err("no order eu/2");
        assert_eq!(orphan.kind(), ErrorKind::ForeignKeyViolation, "{orphan}");
        Order::delete().filter(Order::region.eq("eu")).exec(db).await?;
        let left: Vec<String> = Line::query().all(db).await?.into_iter().map(|l| l.region).collect();
        assert_eq!(left, ["us"], "the eu line went with its order");
        let refused = db.create_all(&schema![Order, BadRef]).await.expect_err("not a key");
        assert_eq!(refused.kind(), ErrorKind::InvalidSchema);
        assert!(refused.to_string().contains("neither the primary key nor a unique"), "{refused}");
        Ok(())
    }
}
