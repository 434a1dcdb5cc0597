//! Introspection and the diff agree with the derive: every model set of the suite, created
//! with `create_all`, reads back from the database as exactly what the models declare
//! (`check` finds no operation), on both backends.

use orm::migrate::{Migrations, Migrator, Renames};
use orm::prelude::*;

use crate::backend_tests;

fn schemas() -> Vec<(&'static str, Schema)> {
    vec![
        ("blog", crate::models::blog_schema()),
        ("integrity", crate::integrity_models::integrity_schema()),
        ("keys", crate::keys::key_schema()),
        ("shop", crate::differential_seed::shop_schema()),
        ("chinook", crate::parity_seed::chinook_schema()),
        ("decimal ddl", crate::parity_seed::decimal_ddl_schema()),
        ("relations", crate::relation_models::schema()),
        ("key types", crate::relation_models::key_types_schema()),
        ("session", crate::session_models::schema()),
        ("bookings", crate::errors::booking_schema()),
        ("capped", schema![crate::decimals::Capped]),
    ]
}

backend_tests! {
    async fn every_model_set_reads_back_as_declared(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let migrator = Migrator::new(Migrations::default());
        for (name, schema) in schemas() {
            db.create_all(&schema).await?;
            let found = migrator.check(db, &schema, &Renames::default()).await?;
            let described: Vec<String> =
                found.operations.iter().map(|op| format!("{op:?}")).collect();
            assert!(
                found.is_empty(),
                "{name}: the database differs from the models that created it:\n{}",
                described.join("\n")
            );
            db.drop_all(&schema).await?;
        }
        Ok(())
    }
}
