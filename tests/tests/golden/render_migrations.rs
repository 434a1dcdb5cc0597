//! Migration operations: every operation and its inverse rendered for SQLite and PostgreSQL
//! (SQLite's table rebuilds included), compared with the reviewed text in
//! `render_migrations.sql`. After an intended change, regenerate it with
//! `ORM_BLESS=1 cargo test -p orm-tests --test golden render_migrations` and review the diff.

use orm::migrate::{
    CheckDef, ColumnDef, ColumnType, DefaultValue, EnumDef, ForeignKeyDef, IndexDef, KeyDef,
    Operation, ReferentialAction, Snapshot, SqlType, TableDef, render_all,
};

use crate::{PG, SQLITE};

fn column(name: &str, ty: SqlType, nullable: bool) -> ColumnDef {
    ColumnDef {
        name: name.into(),
        ty: ColumnType::Sql(ty),
        nullable,
        default: None,
        identity: false,
    }
}

fn owners() -> TableDef {
    TableDef {
        name: "owners".into(),
        columns: vec![
            ColumnDef {
                identity: true,
                ..column("id", SqlType::BigInt, false)
            },
            column("name", SqlType::Text, false),
        ],
        primary_key: Some(KeyDef {
            name: Some("owners_pkey".into()),
            columns: vec!["id".into()],
        }),
        uniques: vec![],
        foreign_keys: vec![],
        checks: vec![],
        indexes: vec![],
    }
}

fn owner_fk(on_delete: ReferentialAction) -> ForeignKeyDef {
    ForeignKeyDef {
        name: Some("accounts_owner_id_fkey".into()),
        columns: vec!["owner_id".into()],
        references: "owners".into(),
        referenced_columns: vec!["id".into()],
        on_delete,
        on_update: ReferentialAction::NoAction,
    }
}

fn email_unique() -> KeyDef {
    KeyDef {
        name: Some("accounts_email_key".into()),
        columns: vec!["email".into()],
    }
}

fn positive() -> CheckDef {
    CheckDef {
        name: "accounts_balance_positive".into(),
        sql: None,
        sqlite: Some("\"balance\" >= 0".into()),
        postgresql: Some("\"balance\" >= 0.00".into()),
        native_enum: None,
    }
}

fn by_owner() -> IndexDef {
    IndexDef {
        name: "accounts_owner_idx".into(),
        columns: vec!["owner_id".into()],
        unique: false,
        predicate: None,
        ..Default::default()
    }
}

fn accounts() -> TableDef {
    TableDef {
        name: "accounts".into(),
        columns: vec![
            ColumnDef {
                identity: true,
                ..column("id", SqlType::BigInt, false)
            },
            column("email", SqlType::Varchar(255), false),
            column("nickname", SqlType::Text, true),
            ColumnDef {
                default: Some(DefaultValue::Sql("0".into())),
                ..column(
                    "balance",
                    SqlType::Numeric {
                        precision: 10,
                        scale: 2,
                    },
                    false,
                )
            },
            column("owner_id", SqlType::BigInt, false),
        ],
        primary_key: Some(KeyDef {
            name: Some("accounts_pkey".into()),
            columns: vec!["id".into()],
        }),
        uniques: vec![email_unique()],
        foreign_keys: vec![owner_fk(ReferentialAction::Cascade)],
        checks: vec![positive()],
        indexes: vec![by_owner()],
    }
}

/// Each operation, applied to [`before`]'s schema.
fn operations() -> Vec<Operation> {
    let nickname = column("nickname", SqlType::Text, true);
    vec![
        Operation::CreateTable {
            table: TableDef {
                name: "audits".into(),
                columns: vec![
                    column("id", SqlType::Uuid, false),
                    ColumnDef {
                        default: Some(DefaultValue::CurrentTimestamp),
                        ..column("at", SqlType::TimestampTz, false)
                    },
                    column("account_id", SqlType::BigInt, true),
                ],
                primary_key: Some(KeyDef {
                    name: Some("audits_pkey".into()),
                    columns: vec!["id".into()],
                }),
                uniques: vec![],
                foreign_keys: vec![ForeignKeyDef {
                    name: Some("audits_account_id_fkey".into()),
                    on_delete: ReferentialAction::SetNull,
                    columns: vec!["account_id".into()],
                    references: "accounts".into(),
                    referenced_columns: vec!["id".into()],
                    on_update: ReferentialAction::NoAction,
                }],
                checks: vec![],
                indexes: vec![IndexDef {
                    name: "audits_recent_idx".into(),
                    columns: vec!["at".into(), "(lower(CAST(\"id\" AS TEXT)))".into()],
                    unique: false,
                    predicate: Some("\"account_id\" IS NOT NULL".into()),
                    ..Default::default()
                }],
            },
        },
        Operation::DropTable { table: owners() },
        Operation::RenameTable {
            from: "accounts".into(),
            to: "wallets".into(),
        },
        Operation::AddColumn {
            table: "accounts".into(),
            column: ColumnDef {
                default: Some(DefaultValue::Int(0)),
                ..column("score", SqlType::Int, false)
            },
        },
        Operation::AddColumn {
            table: "accounts".into(),
            column: ColumnDef {
                default: Some(DefaultValue::CurrentTimestamp),
                ..column("created_at", SqlType::TimestampTz, false)
            },
        },
        Operation::DropColumn {
            table: "accounts".into(),
            column: nickname.clone(),
        },
        Operation::RenameColumn {
            table: "accounts".into(),
            from: "nickname".into(),
            to: "handle".into(),
        },
        Operation::AlterColumn {
            table: "accounts".into(),
            from: nickname.clone(),
            to: ColumnDef {
                default: Some(DefaultValue::Str("anon".into())),
                ..column("nickname", SqlType::Varchar(40), false)
            },
        },
        Operation::AlterPrimaryKey {
            table: "tags".into(),
            from: tags().primary_key,
            to: Some(KeyDef {
                name: Some("tags_pkey".into()),
                columns: vec!["name".into(), "label".into()],
            }),
        },
        Operation::CreateIndex {
            table: "accounts".into(),
            index: IndexDef {
                name: "accounts_live_email_idx".into(),
                columns: vec!["email".into()],
                unique: true,
                predicate: Some("\"nickname\" IS NULL".into()),
                ..Default::default()
            },
        },
        Operation::DropIndex {
            table: "accounts".into(),
            index: by_owner(),
        },
        Operation::AddUnique {
            table: "accounts".into(),
            unique: KeyDef {
                name: Some("accounts_owner_nickname_key".into()),
                columns: vec!["owner_id".into(), "nickname".into()],
            },
        },
        Operation::DropUnique {
            table: "accounts".into(),
            unique: email_unique(),
        },
        Operation::AddForeignKey {
            table: "owners".into(),
            foreign_key: ForeignKeyDef {
                name: Some("owners_id_fkey".into()),
                columns: vec!["id".into()],
                references: "owners".into(),
                referenced_columns: vec!["id".into()],
                on_delete: ReferentialAction::Restrict,
                on_update: ReferentialAction::Cascade,
            },
        },
        Operation::DropForeignKey {
            table: "accounts".into(),
            foreign_key: owner_fk(ReferentialAction::Cascade),
        },
        Operation::AddCheck {
            table: "owners".into(),
            check: CheckDef {
                name: "owners_name_not_empty".into(),
                sql: Some("\"name\" <> ''".into()),
                sqlite: None,
                postgresql: None,
                native_enum: None,
            },
        },
        Operation::DropCheck {
            table: "accounts".into(),
            check: positive(),
        },
        Operation::Execute {
            sql: Some("UPDATE \"accounts\" SET \"balance\" = 0".into()),
            sqlite: None,
            postgresql: Some("UPDATE \"accounts\" SET \"balance\" = 0.00".into()),
        },
    ]
}

/// A table keyed by text, without a generated key.
fn tags() -> TableDef {
    TableDef {
        name: "tags".into(),
        columns: vec![
            column("name", SqlType::Text, false),
            column("label", SqlType::Text, false),
        ],
        primary_key: Some(KeyDef {
            name: Some("tags_pkey".into()),
            columns: vec!["name".into()],
        }),
        uniques: vec![],
        foreign_keys: vec![],
        checks: vec![],
        indexes: vec![],
    }
}

fn ticket_state(values: &[&str]) -> EnumDef {
    EnumDef {
        name: "ticket_state".into(),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
    }
}

/// The check a native enum column has where the enum is text (SQLite only).
fn state_labels(values: &[&str]) -> CheckDef {
    let labels: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    CheckDef {
        name: format!("tickets_state_{}", values.len()),
        sql: Some(format!("\"state\" IN ({})", labels.join(", "))),
        sqlite: None,
        postgresql: None,
        native_enum: Some("ticket_state".into()),
    }
}

/// A table with a native enum column that has a default.
fn tickets() -> TableDef {
    TableDef {
        name: "tickets".into(),
        columns: vec![
            column("id", SqlType::BigInt, false),
            ColumnDef {
                name: "state".into(),
                ty: ColumnType::Enum(ticket_state(&["open", "closed"])),
                nullable: false,
                default: Some(DefaultValue::Str("open".into())),
                identity: false,
            },
        ],
        primary_key: Some(KeyDef {
            name: Some("tickets_pkey".into()),
            columns: vec!["id".into()],
        }),
        uniques: vec![],
        foreign_keys: vec![],
        checks: vec![state_labels(&["open", "closed"])],
        indexes: vec![],
    }
}

/// Native enum types: created, dropped, given a label in place (before an old one, and at
/// the end), made again for any other change; their labels' checks exist on SQLite only.
fn enum_operations() -> Vec<Operation> {
    vec![
        Operation::CreateEnum {
            definition: EnumDef {
                name: "ticket level".into(),
                values: vec!["low".into(), "it's high".into()],
            },
        },
        Operation::AlterEnum {
            from: ticket_state(&["open", "closed"]),
            to: ticket_state(&["new", "open", "waiting", "closed", "archived"]),
        },
        Operation::AlterEnum {
            from: ticket_state(&["open", "closed"]),
            to: ticket_state(&["closed", "open"]),
        },
        Operation::AddCheck {
            table: "tickets".into(),
            check: state_labels(&["open", "closed", "waiting"]),
        },
    ]
}

fn before() -> Snapshot {
    Snapshot {
        tables: vec![owners(), accounts(), tags(), tickets()],
    }
}

fn rendered() -> String {
    let mut out = String::new();
    for operation in operations().into_iter().chain(enum_operations()) {
        let mut after = before();
        after.apply(&operation).expect("the operation applies");
        let inverse = operation.inverse();
        for (name, dialect) in [("sqlite", SQLITE), ("postgresql", PG)] {
            out.push_str(&format!("-- {} [{name}]\n", operation.describe()));
            let (steps, _) =
                render_all(dialect, std::slice::from_ref(&operation), &before()).expect("renders");
            for step in steps {
                out.push_str(step.text());
                out.push_str(";\n");
            }
            if let Some(inverse) = &inverse {
                out.push_str(&format!("-- inverse: {} [{name}]\n", inverse.describe()));
                let (steps, undone) = render_all(dialect, std::slice::from_ref(inverse), &after)
                    .expect("the inverse renders");
                for step in steps {
                    out.push_str(step.text());
                    out.push_str(";\n");
                }
                assert_eq!(
                    undone.tables.len(),
                    before().tables.len(),
                    "the inverse of {} restores the tables",
                    operation.describe()
                );
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn every_operation_and_its_inverse_on_both_dialects() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/render_migrations.sql"
    );
    let actual = rendered();
    if std::env::var_os("ORM_BLESS").is_some() {
        std::fs::write(path, &actual).expect("write the golden file");
    }
    let expected = std::fs::read_to_string(path).expect("the golden file exists");
    assert!(
        actual == expected,
        "rendered migrations differ from {path}; if the change is intended, regenerate with \
         ORM_BLESS=1 and review the diff\n{actual}"
    );
}

#[test]
fn sqlite_refuses_a_generated_key_that_is_not_the_whole_primary_key() {
    let operation = Operation::AlterPrimaryKey {
        table: "owners".into(),
        from: owners().primary_key,
        to: Some(KeyDef {
            name: Some("owners_pkey".into()),
            columns: vec!["id".into(), "name".into()],
        }),
    };
    let error =
        render_all(SQLITE, std::slice::from_ref(&operation), &before()).expect_err("refused");
    assert!(error.to_string().contains("generated key"), "{error}");
    assert!(render_all(PG, &[operation], &before()).is_ok());
}

#[test]
fn each_inverse_undoes_its_operation() {
    for operation in operations() {
        let Some(inverse) = operation.inverse() else {
            continue;
        };
        let mut schema = before();
        schema.apply(&operation).expect("applies");
        schema.apply(&inverse).expect("the inverse applies");
        let mut expected = before();
        expected.tables.sort_by(|a, b| a.name.cmp(&b.name));
        schema.tables.sort_by(|a, b| a.name.cmp(&b.name));
        for (table, original) in schema.tables.iter().zip(&expected.tables) {
            let mut columns: Vec<_> = table.columns.iter().map(|c| &c.name).collect();
            let mut original_columns: Vec<_> = original.columns.iter().map(|c| &c.name).collect();
            columns.sort();
            original_columns.sort();
            assert_eq!(columns, original_columns, "{}", operation.describe());
        }
        assert_eq!(
            schema.tables.len(),
            expected.tables.len(),
            "{}",
            operation.describe()
        );
    }
}
