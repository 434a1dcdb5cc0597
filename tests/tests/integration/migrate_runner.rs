//! The runner's guarantees: a failing migration leaves schema and history as they were, an
//! applied revision whose file changed is refused, two heads are refused until merged, `sql`
//! runs nothing, `stamp` records without running, and two processes upgrading one database
//! at once apply each revision exactly once.

use orm::migrate::{
    ColumnDef, ColumnType, DowngradeTo, KeyDef, Migrations, Migrator, Operation, Revision, SqlType,
    TableDef, UpgradeTo, introspect,
};
use orm::prelude::*;

use crate::{Target, backend_tests};

fn column(name: &str, ty: SqlType, nullable: bool) -> ColumnDef {
    ColumnDef {
        name: name.into(),
        ty: ColumnType::Sql(ty),
        nullable,
        default: None,
        identity: false,
    }
}

fn create(table: &str) -> Operation {
    Operation::CreateTable {
        table: TableDef {
            name: table.into(),
            columns: vec![
                column("id", SqlType::BigInt, false),
                column("note", SqlType::Text, true),
            ],
            primary_key: Some(KeyDef {
                name: Some(format!("{table}_pkey")),
                columns: vec!["id".into()],
            }),
            uniques: vec![],
            foreign_keys: vec![],
            checks: vec![],
            indexes: vec![],
        },
    }
}

fn revision(id: &str, parents: &[&str], upgrade: Vec<Operation>) -> Revision {
    let downgrade = Operation::inverse_all(&upgrade).unwrap_or_default();
    let parents = parents.iter().map(|p| (*p).to_owned()).collect();
    let mut revision = Revision::new(&format!("revision {id}"), parents, upgrade, downgrade);
    revision.id = id.into();
    revision
}

fn execute(sql: &str) -> Operation {
    Operation::Execute {
        sql: Some(sql.into()),
        sqlite: None,
        postgresql: None,
    }
}

async fn table_names(db: &Database) -> Result<Vec<String>> {
    Ok(introspect(db, &[])
        .await?
        .tables
        .into_iter()
        .map(|t| t.name)
        .collect())
}

fn message(error: &Error) -> String {
    match error {
        Error::Migration { message } => message.clone(),
        other => panic!("expected a migration error, got {other:?}"),
    }
}

backend_tests! {
    async fn embedded_hand_written_revisions_apply_and_undo(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let migrations = orm::migrate::embed_migrations!("migrations_fixture")?;
        assert_eq!(migrations.revisions().len(), 2);
        let migrator = Migrator::new(migrations);
        assert_eq!(migrator.upgrade(db).await?, vec!["001_create_gadgets", "002_gadget_price"]);
        let live = introspect(db, &[]).await?;
        let gadgets = live.table("fx_gadgets").expect("created");
        assert!(gadgets.column("price").is_some_and(|c| c.nullable));
        assert!(gadgets.column("label").is_some_and(|c| !c.nullable));
        migrator.downgrade(db, DowngradeTo::Base).await?;
        assert!(introspect(db, &[]).await?.table("fx_gadgets").is_none());
        Ok(())
    }

    async fn a_failing_migration_leaves_schema_and_history_as_they_were(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let good = revision("001", &[], vec![create("mr_first")]);
        let bad = revision(
            "002",
            &["001"],
            vec![
                create("mr_second"),
                Operation::AddColumn {
                    table: "mr_first".into(),
                    column: column("extra", SqlType::Int, true),
                },
                execute("INSERT INTO mr_missing_table VALUES (1)"),
            ],
        );
        let migrator = Migrator::new(Migrations::new(vec![good, bad])?);
        let error = migrator.upgrade(db).await.expect_err("the third step fails");
        let text = message(&error);
        assert!(text.contains("002") && text.contains("step 3"), "{text}");
        // 001 is applied and kept; nothing of 002 is.
        let applied: Vec<String> =
            migrator.applied(db).await?.into_iter().map(|a| a.revision).collect();
        assert_eq!(applied, vec!["001"]);
        let live = introspect(db, &[]).await?;
        assert!(live.table("mr_second").is_none());
        let first = live.table("mr_first").expect("001 applied");
        assert!(first.column("extra").is_none(), "the added column was rolled back");
        Ok(())
    }

    async fn an_applied_revision_whose_file_changed_is_refused(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let original = revision("001", &[], vec![create("mr_changed")]);
        Migrator::new(Migrations::new(vec![original.clone()])?).upgrade(db).await?;
        let mut edited = original;
        edited.upgrade.push(Operation::AddColumn {
            table: "mr_changed".into(),
            column: column("sneaky", SqlType::Int, true),
        });
        let next = revision("002", &["001"], vec![create("mr_next")]);
        let migrator = Migrator::new(Migrations::new(vec![edited.clone(), next])?);
        let text = message(&migrator.upgrade(db).await.expect_err("changed file"));
        assert!(text.contains("001") && text.contains("changed after it was applied"), "{text}");
        assert!(!table_names(db).await?.contains(&"mr_next".to_owned()));
        // Comments and formatting are not part of the checksum: the same steps parse to the
        // same revision.
        let reparsed = Revision::parse(&edited.to_toml()?.replace("# ", "#  "), "edited")?;
        assert_eq!(reparsed.checksum(), edited.checksum());
        Ok(())
    }

    async fn two_heads_are_refused_until_merged(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let base = revision("001_base", &[], vec![create("mr_base")]);
        let left = revision("002_left", &["001_base"], vec![create("mr_left")]);
        let right = revision("002_right", &["001_base"], vec![create("mr_right")]);
        let migrator =
            Migrator::new(Migrations::new(vec![base.clone(), left.clone(), right.clone()])?);
        let text = message(&migrator.upgrade(db).await.expect_err("two heads"));
        assert!(
            text.contains("002_left") && text.contains("002_right") && text.contains("merge"),
            "{text}"
        );
        assert!(table_names(db).await?.iter().all(|t| !t.starts_with("mr_")));
        let merge = revision("003_merge", &["002_left", "002_right"], vec![]);
        let migrator = Migrator::new(Migrations::new(vec![base, left, right, merge])?);
        assert_eq!(migrator.upgrade(db).await?.len(), 4);
        let names = table_names(db).await?;
        for table in ["mr_base", "mr_left", "mr_right"] {
            assert!(names.contains(&table.to_owned()), "{table} in {names:?}");
        }
        // Downgrading to one branch's revision undoes the other branch and the merge.
        let undone = migrator.downgrade(db, DowngradeTo::Revision("002_left".into())).await?;
        assert_eq!(undone, vec!["003_merge", "002_right"]);
        assert!(!table_names(db).await?.contains(&"mr_right".to_owned()));
        Ok(())
    }

    async fn sql_runs_nothing_and_stamp_runs_no_step(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let first = revision("001", &[], vec![create("mr_sql")]);
        let second = revision(
            "002",
            &["001"],
            vec![Operation::AddColumn {
                table: "mr_sql".into(),
                column: column("score", SqlType::Int, true),
            }],
        );
        let migrator = Migrator::new(Migrations::new(vec![first, second])?);
        let sql = migrator.sql(db, &UpgradeTo::Head).await?;
        assert!(sql.contains("CREATE TABLE \"mr_sql\""), "{sql}");
        assert!(sql.contains("ADD COLUMN \"score\""), "{sql}");
        assert!(table_names(db).await?.is_empty(), "sql ran something");
        migrator.upgrade_to(db, UpgradeTo::Steps(1)).await?;
        assert_eq!(migrator.pending(db, &UpgradeTo::Head).await?.len(), 1);
        migrator.stamp(db, Some("002")).await?;
        assert!(migrator.pending(db, &UpgradeTo::Head).await?.is_empty());
        let live = introspect(db, &[]).await?;
        assert!(live.table("mr_sql").and_then(|t| t.column("score")).is_none(), "stamp ran a step");
        migrator.stamp(db, None).await?;
        assert!(migrator.applied(db).await?.is_empty());
        Ok(())
    }

    async fn two_processes_upgrading_at_once_apply_each_revision_once(t: &TestDb) -> Result<()> {
        if t.target == Target::SqliteMemory {
            return Ok(()); // a second connection would be a second database
        }
        let mut revisions = Vec::new();
        let mut parent: Vec<String> = Vec::new();
        for n in 0..8 {
            let id = format!("{n:03}");
            let parents: Vec<&str> = parent.iter().map(String::as_str).collect();
            revisions.push(revision(&id, &parents, vec![create(&format!("mr_race_{n}"))]));
            parent = vec![id];
        }
        let migrations = Migrations::new(revisions)?;
        let mut tasks = Vec::new();
        for _ in 0..2 {
            let db = t.reconnect().await?;
            let migrator = Migrator::new(migrations.clone());
            tasks.push(tokio::spawn(async move { migrator.upgrade(&db).await }));
        }
        let mut applied = Vec::new();
        for task in tasks {
            applied.extend(task.await.expect("upgrade task")?);
        }
        applied.sort();
        let expected: Vec<String> = (0..8).map(|n| format!("{n:03}")).collect();
        assert_eq!(applied, expected, "each revision applied by exactly one process");
        let migrator = Migrator::new(migrations);
        assert_eq!(migrator.applied(&t.db).await?.len(), 8);
        Ok(())
    }

    async fn a_sqlite_rebuild_keeps_children_ids_and_references(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let mut parent = match create("mr_parents") {
            Operation::CreateTable { table } => table,
            _ => unreachable!(),
        };
        parent.columns[0].identity = true;
        let mut child = match create("mr_children") {
            Operation::CreateTable { table } => table,
            _ => unreachable!(),
        };
        child.columns.push(column("parent_id", SqlType::BigInt, true));
        child.foreign_keys.push(orm::migrate::ForeignKeyDef {
            name: Some("mr_children_parent_fkey".into()),
            columns: vec!["parent_id".into()],
            references: "mr_parents".into(),
            referenced_columns: vec!["id".into()],
            on_delete: orm::migrate::ReferentialAction::Cascade,
            on_update: orm::migrate::ReferentialAction::NoAction,
        });
        let first = revision(
            "001",
            &[],
            vec![
                Operation::CreateTable { table: parent.clone() },
                Operation::CreateTable { table: child },
            ],
        );
        // A change SQLite's ALTER TABLE cannot make: the parent table is rebuilt.
        let second = revision(
            "002",
            &["001"],
            vec![Operation::AlterColumn {
                table: "mr_parents".into(),
                from: parent.columns[1].clone(),
                to: ColumnDef {
                    default: Some(orm::migrate::DefaultValue::Str("none".into())),
                    ..parent.columns[1].clone()
                },
            }],
        );
        let migrator = Migrator::new(Migrations::new(vec![first, second])?);
        migrator.upgrade_to(db, UpgradeTo::Steps(1)).await?;
        for note in ["a", "b", "c"] {
            orm::raw(format!("INSERT INTO mr_parents (note) VALUES ('{note}')")).execute(db).await?;
        }
        orm::raw("INSERT INTO mr_children (id, parent_id) VALUES (1, 1)").execute(db).await?;
        orm::raw("DELETE FROM mr_parents WHERE id = 3").execute(db).await?;
        migrator.upgrade(db).await?;
        // The child survived the drop of its parent's old table (no cascade).
        let (children,): (i64,) = orm::raw("SELECT COUNT(*) FROM mr_children")
            .fetch_optional(db)
            .await?
            .expect("a count");
        assert_eq!(children, 1);
        // The id of the deleted newest row is not handed out again.
        orm::raw("INSERT INTO mr_parents (note) VALUES ('d')").execute(db).await?;
        let (max,): (i64,) = orm::raw("SELECT MAX(id) FROM mr_parents")
            .fetch_optional(db)
            .await?
            .expect("a max");
        assert_eq!(max, 4, "a new row takes a fresh id, not the deleted row's");
        Ok(())
    }

    async fn a_change_that_breaks_a_reference_is_refused_whole(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let first = revision("001", &[], vec![create("mr_owners"), create("mr_items")]);
        let fk = orm::migrate::ForeignKeyDef {
            name: Some("mr_items_owner_fkey".into()),
            columns: vec!["owner_id".into()],
            references: "mr_owners".into(),
            referenced_columns: vec!["id".into()],
            on_delete: orm::migrate::ReferentialAction::NoAction,
            on_update: orm::migrate::ReferentialAction::NoAction,
        };
        let second = revision(
            "002",
            &["001"],
            vec![
                Operation::AddColumn {
                    table: "mr_items".into(),
                    column: column("owner_id", SqlType::BigInt, true),
                },
                execute("UPDATE mr_items SET owner_id = 99"),
                Operation::AddForeignKey {
                    table: "mr_items".into(),
                    foreign_key: fk,
                },
            ],
        );
        let migrator = Migrator::new(Migrations::new(vec![first, second])?);
        migrator.upgrade_to(db, UpgradeTo::Steps(1)).await?;
        orm::raw("INSERT INTO mr_items (id) VALUES (1)").execute(db).await?;
        let error = migrator.upgrade(db).await.expect_err("row 1 references no owner");
        let text = message(&error);
        assert!(text.contains("002") && text.contains("step 3"), "{text}");
        let live = introspect(db, &[]).await?;
        let items = live.table("mr_items").expect("kept");
        assert!(items.column("owner_id").is_none() && items.foreign_keys.is_empty());
        assert_eq!(migrator.applied(db).await?.len(), 1);
        Ok(())
    }

    async fn expression_and_partial_indexes_and_checks_read_back_as_written(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let upgrade = vec![
            create("mr_indexed"),
            Operation::CreateIndex {
                table: "mr_indexed".into(),
                index: orm::migrate::IndexDef {
                    name: "mr_indexed_lower_note".into(),
                    columns: vec!["(lower(\"note\"))".into(), "id".into()],
                    unique: true,
                    predicate: Some("\"note\" IS NOT NULL AND \"id\" > 10".into()),
                    ..Default::default()
                },
            },
            Operation::AddCheck {
                table: "mr_indexed".into(),
                check: orm::migrate::CheckDef {
                    name: "mr_indexed_note_short".into(),
                    sql: Some("length(\"note\") < 100".into()),
                    sqlite: None,
                    postgresql: None,
                    native_enum: None,
                },
            },
        ];
        let mut expected = orm::migrate::Snapshot::default();
        for operation in &upgrade {
            expected.apply(operation)?;
        }
        let migrator = Migrator::new(Migrations::new(vec![revision("001", &[], upgrade)])?);
        migrator.upgrade(db).await?;
        let live = introspect(db, &["orm_migrations"]).await?;
        let found = orm::migrate::diff(
            &live,
            &expected,
            db.dialect(),
            &orm::migrate::Renames::default(),
        )?;
        assert!(found.is_empty(), "read back differently: {:?}\nlive: {live:?}", found.operations);
        // The unique expression index is enforced as written.
        orm::raw("INSERT INTO mr_indexed (id, note) VALUES (11, 'Abc')").execute(db).await?;
        let duplicate = orm::raw("INSERT INTO mr_indexed (id, note) VALUES (11, 'aBC')")
            .execute(db)
            .await;
        assert!(duplicate.is_err());
        Ok(())
    }

    async fn a_revision_outside_a_transaction_builds_an_index_concurrently(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let concurrently = Operation::Execute {
            sql: None,
            sqlite: Some("CREATE INDEX IF NOT EXISTS mr_big_note ON mr_big (note)".into()),
            postgresql: Some(
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS mr_big_note ON mr_big (note)".into(),
            ),
        };
        let first = revision("001", &[], vec![create("mr_big")]);
        let mut second = revision("002", &["001"], vec![concurrently]);
        // In the revision's transaction PostgreSQL refuses it.
        let migrator = Migrator::new(Migrations::new(vec![first.clone(), second.clone()])?);
        let refused = migrator.upgrade(db).await;
        if t.target == Target::Postgres {
            let text = message(&refused.expect_err("CONCURRENTLY in a transaction"));
            assert!(text.contains("transaction block"), "{text}");
            assert_eq!(migrator.applied(db).await?.len(), 1);
        } else {
            refused?;
            migrator.downgrade(db, DowngradeTo::Steps(1)).await?;
            orm::raw("DROP INDEX mr_big_note").execute(db).await?;
        }
        second.transaction = false;
        let text = second.to_toml()?;
        assert!(text.contains("transaction = false"), "{text}");
        let second = Revision::parse(&text, "002")?;
        let migrator = Migrator::new(Migrations::new(vec![first, second])?);
        if t.through_pgbouncer {
            // Behind a transaction pooler every statement gets a transaction of its own:
            // such revisions run over a direct connection.
            let text = message(&migrator.upgrade(db).await.expect_err("wrapped"));
            assert!(text.contains("transaction block"), "{text}");
            return Ok(());
        }
        assert_eq!(migrator.upgrade(db).await?, vec!["002"]);
        let live = introspect(db, &[]).await?;
        let big = live.table("mr_big").expect("created");
        assert!(big.indexes.iter().any(|i| i.name == "mr_big_note"), "{big:?}");
        Ok(())
    }
}
