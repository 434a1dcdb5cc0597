//! The schema diff, without a database: renames are never guessed but reported with their
//! flag, operations come in foreign-key order (cycles included), and each kind of column
//! change is found.

use orm::migrate::{
    ColumnDef, ColumnType, DefaultValue, ForeignKeyDef, KeyDef, Operation, ReferentialAction,
    Renames, Snapshot, SqlType, TableDef, diff,
};

use crate::{PG, SQLITE};

fn column(name: &str, ty: SqlType) -> ColumnDef {
    ColumnDef {
        name: name.into(),
        ty: ColumnType::Sql(ty),
        nullable: false,
        default: None,
        identity: false,
    }
}

fn table(name: &str, columns: Vec<ColumnDef>, references: &[&str]) -> TableDef {
    TableDef {
        name: name.into(),
        primary_key: Some(KeyDef {
            name: Some(format!("{name}_pkey")),
            columns: vec![columns[0].name.clone()],
        }),
        columns,
        uniques: vec![],
        foreign_keys: references
            .iter()
            .map(|target| ForeignKeyDef {
                name: Some(format!("{name}_{target}_fkey")),
                columns: vec![format!("{target}_id")],
                references: (*target).into(),
                referenced_columns: vec!["id".into()],
                on_delete: ReferentialAction::NoAction,
                on_update: ReferentialAction::NoAction,
            })
            .collect(),
        checks: vec![],
        indexes: vec![],
    }
}

fn users(extra: ColumnDef) -> Snapshot {
    Snapshot {
        tables: vec![table(
            "users",
            vec![column("id", SqlType::BigInt), extra],
            &[],
        )],
    }
}

fn names(operations: &[Operation]) -> Vec<String> {
    operations.iter().map(Operation::describe).collect()
}

#[test]
fn a_drop_and_add_of_the_same_type_is_reported_with_the_rename_flag() {
    let before = users(column("name", SqlType::Text));
    let after = users(column("full_name", SqlType::Text));
    for dialect in [SQLITE, PG] {
        let found = diff(&before, &after, dialect, &Renames::default()).expect("diff");
        assert_eq!(
            names(&found.operations),
            ["add column users.full_name", "drop column users.name"]
        );
        assert_eq!(found.possible_renames.len(), 1);
        assert_eq!(
            found.possible_renames[0].flag,
            "--rename users.name=full_name"
        );

        let mut renames = Renames::default();
        renames
            .add(&found.possible_renames[0].flag["--rename ".len()..])
            .expect("flag");
        let renamed = diff(&before, &after, dialect, &renames).expect("diff");
        assert_eq!(
            names(&renamed.operations),
            ["rename column users.name to full_name"]
        );
        assert!(renamed.possible_renames.is_empty());
    }
    // Another type is no rename candidate.
    let after = users(column("full_name", SqlType::BigInt));
    let found = diff(&before, &after, SQLITE, &Renames::default()).expect("diff");
    assert!(found.possible_renames.is_empty());
}

#[test]
fn a_table_of_the_same_shape_under_another_name_is_a_possible_rename() {
    let before = users(column("name", SqlType::Text));
    let mut after = before.clone();
    after.tables[0].name = "members".into();
    let found = diff(&before, &after, PG, &Renames::default()).expect("diff");
    assert_eq!(
        names(&found.operations),
        ["drop table users", "create table members"]
    );
    assert_eq!(found.possible_renames[0].flag, "--rename users=members");
    let mut renames = Renames::default();
    renames.add("users=members").expect("flag");
    let renamed = diff(&before, &after, PG, &renames).expect("diff");
    assert_eq!(
        names(&renamed.operations),
        ["rename table users to members"]
    );
}

#[test]
fn tables_are_created_parents_first_and_dropped_children_first() {
    let id = || column("id", SqlType::BigInt);
    let full = Snapshot {
        tables: vec![
            table(
                "comments",
                vec![id(), column("posts_id", SqlType::BigInt)],
                &["posts"],
            ),
            table(
                "posts",
                vec![id(), column("users_id", SqlType::BigInt)],
                &["users"],
            ),
            table("users", vec![id()], &[]),
        ],
    };
    let empty = Snapshot::default();
    let created = diff(&empty, &full, SQLITE, &Renames::default()).expect("diff");
    assert_eq!(
        names(&created.operations),
        [
            "create table users",
            "create table posts",
            "create table comments"
        ]
    );
    let dropped = diff(&full, &empty, SQLITE, &Renames::default()).expect("diff");
    assert_eq!(
        names(&dropped.operations),
        [
            "drop table comments",
            "drop table posts",
            "drop table users"
        ]
    );
}

#[test]
fn a_cycle_of_new_tables_adds_the_closing_foreign_key_last() {
    let id = || column("id", SqlType::BigInt);
    let cycle = Snapshot {
        tables: vec![
            table("a", vec![id(), column("b_id", SqlType::BigInt)], &["b"]),
            table("b", vec![id(), column("a_id", SqlType::BigInt)], &["a"]),
        ],
    };
    let found = diff(&Snapshot::default(), &cycle, PG, &Renames::default()).expect("diff");
    assert_eq!(
        names(&found.operations),
        [
            "create table a",
            "create table b",
            "add foreign key a (b_id) -> b"
        ]
    );
}

#[test]
fn each_column_change_is_found_and_nothing_else() {
    let base = column("score", SqlType::Int);
    let changes = [
        ColumnDef {
            ty: ColumnType::Sql(SqlType::BigInt),
            ..base.clone()
        },
        ColumnDef {
            nullable: true,
            ..base.clone()
        },
        ColumnDef {
            default: Some(DefaultValue::Int(7)),
            ..base.clone()
        },
    ];
    for dialect in [SQLITE, PG] {
        let same = diff(
            &users(base.clone()),
            &users(base.clone()),
            dialect,
            &Renames::default(),
        )
        .expect("diff");
        assert!(same.is_empty());
        for changed in &changes {
            let found = diff(
                &users(base.clone()),
                &users(changed.clone()),
                dialect,
                &Renames::default(),
            )
            .expect("diff");
            assert_eq!(found.operations.len(), 1, "{changed:?}");
            assert!(
                matches!(&found.operations[0], Operation::AlterColumn { to, .. } if to == changed),
                "{:?}",
                found.operations
            );
        }
    }
}
