//! `INSERT`: one row with `RETURNING`, client-generated keys, `DEFAULT VALUES`, and multi-row
//! inserts split under each backend's bind limit.

use orm::__private::crud;
use orm::prelude::*;
use orm::{Dialect, Statement, Value};

use crate::models::{NewDocument, NewEvent, NewItem, NewMembership, NewProduct, NewTick, NewUser};
use crate::{PG, SQLITE, golden};

#[test]
fn insert_one_returns_the_stored_row() {
    let row = NewUser {
        email: "alice@example.com".into(),
        name: "Alice".into(),
        bio: Some("hi".into()),
        is_active: false,
        age: Some(30),
    };
    golden(
        |d| crud::insert_statement(d, &row).unwrap(),
        r#"INSERT INTO "users" ("email", "name", "bio", "is_active", "age") VALUES (?, ?, ?, ?, ?) RETURNING "id", "email", "name", "bio", "is_active", "age", "created_at", "updated_at""#,
        r#"INSERT INTO "users" ("email", "name", "bio", "is_active", "age") VALUES ($1, $2, $3, $4, $5) RETURNING "id", "email", "name", "bio", "is_active", "age", "created_at", "updated_at""#,
        &[
            Value::String(Some("alice@example.com".into())),
            Value::String(Some("Alice".into())),
            Value::String(Some("hi".into())),
            Value::Bool(Some(false)),
            Value::I32(Some(30)),
        ],
    );
}

#[test]
fn insert_with_defaults_binds_typed_nulls_and_literal_defaults() {
    let row = NewUser {
        email: "bob@example.com".into(),
        name: "Bob".into(),
        ..Default::default()
    };
    golden(
        |d| crud::insert_statement(d, &row).unwrap(),
        r#"INSERT INTO "users" ("email", "name", "bio", "is_active", "age") VALUES (?, ?, ?, ?, ?) RETURNING "id", "email", "name", "bio", "is_active", "age", "created_at", "updated_at""#,
        r#"INSERT INTO "users" ("email", "name", "bio", "is_active", "age") VALUES ($1, $2, $3, $4, $5) RETURNING "id", "email", "name", "bio", "is_active", "age", "created_at", "updated_at""#,
        &[
            Value::String(Some("bob@example.com".into())),
            Value::String(Some("Bob".into())),
            Value::String(None),
            Value::Bool(Some(true)),
            Value::I32(None),
        ],
    );
}

#[test]
fn insert_every_attribute_model() {
    // Left out of the insert: the autoincrement key, the server default, both timestamps and
    // the skipped field.
    let row = NewProduct::default();
    golden(
        |d| crud::insert_statement(d, &row).unwrap(),
        r#"INSERT INTO "products" ("owner_id", "reviewer_id", "sku", "display_name", "description", "price", "discount", "stock", "rank", "weight", "status", "archived", "attributes", "tags", "extra", "image", "release_date", "opens_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id", "owner_id", "reviewer_id", "sku", "display_name", "description", "price", "discount", "stock", "rank", "weight", "status", "archived", "code", "attributes", "tags", "extra", "image", "release_date", "opens_at", "created_at", "updated_at""#,
        r#"INSERT INTO "products" ("owner_id", "reviewer_id", "sku", "display_name", "description", "price", "discount", "stock", "rank", "weight", "status", "archived", "attributes", "tags", "extra", "image", "release_date", "opens_at") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING "id", "owner_id", "reviewer_id", "sku", "display_name", "description", "price", "discount", "stock", "rank", "weight", "status", "archived", "code", "attributes", "tags", "extra", "image", "release_date", "opens_at", "created_at", "updated_at""#,
        &[
            Value::I64(Some(0)),
            Value::I64(None),
            Value::String(Some(String::new())),
            Value::String(Some(String::new())),
            Value::String(None),
            Value::Decimal(Some(Decimal::ZERO), Some((10, 2))),
            Value::Decimal(None, Some((5, 4))),
            // Literal defaults of the attributes.
            Value::I32(Some(0)),
            Value::I16(Some(-1)),
            Value::F64(Some(1.5)),
            Value::String(Some("it's new".into())),
            Value::Bool(Some(false)),
            Value::Json(Some(serde_json::Value::Null), false),
            Value::Json(None, true),
            Value::Json(None, true),
            Value::Bytes(None),
            Value::Date(None),
            Value::Time(None),
        ],
    );
}

#[test]
fn insert_binds_conform_decimals_and_json() {
    let row = NewProduct {
        owner_id: 1,
        sku: "SKU-1".into(),
        title: "Lamp".into(),
        price: Decimal::new(1999, 2),
        discount: Some(Decimal::new(15, 2)),
        attributes: serde_json::json!({"watts": 40}),
        tags: Some(Json(vec!["light".into()])),
        release_date: NaiveDate::from_ymd_opt(2024, 2, 29),
        ..Default::default()
    };
    let binds = crud::insert_statement(SQLITE, &row).unwrap().binds;
    assert_eq!(
        binds[5],
        Value::Decimal(Some(Decimal::new(1999, 2)), Some((10, 2)))
    );
    assert_eq!(
        binds[6],
        Value::Decimal(Some(Decimal::new(15, 2)), Some((5, 4)))
    );
    assert_eq!(
        binds[12],
        Value::Json(Some(serde_json::json!({"watts": 40})), false)
    );
    assert_eq!(
        binds[13],
        Value::Json(Some(serde_json::json!(["light"])), true)
    );
    assert_eq!(binds[16], Value::Date(NaiveDate::from_ymd_opt(2024, 2, 29)));
    assert_eq!(crud::insert_statement(PG, &row).unwrap().binds, binds);
}

#[test]
fn insert_composite_key_sends_both_key_columns() {
    let row = NewMembership {
        user_id: 7,
        group_id: 3,
        role: "owner".into(),
    };
    golden(
        |d| crud::insert_statement(d, &row).unwrap(),
        r#"INSERT INTO "memberships" ("user_id", "group_id", "role") VALUES (?, ?, ?) RETURNING "user_id", "group_id", "role", "updated_at""#,
        r#"INSERT INTO "memberships" ("user_id", "group_id", "role") VALUES ($1, $2, $3) RETURNING "user_id", "group_id", "role", "updated_at""#,
        &[
            Value::I64(Some(7)),
            Value::I32(Some(3)),
            Value::String(Some("owner".into())),
        ],
    );
}

/// The key is not a field of `NewDocument`: orm generates a UUID v7 for every insert.
#[test]
fn insert_client_generated_uuid_key() {
    let row = NewDocument {
        title: "spec".into(),
        owner_id: None,
    };
    let mut keys = Vec::new();
    for (d, sql) in [
        (
            SQLITE,
            r#"INSERT INTO "documents" ("id", "title", "owner_id") VALUES (?, ?, ?) RETURNING "id", "title", "owner_id""#,
        ),
        (
            PG,
            r#"INSERT INTO "documents" ("id", "title", "owner_id") VALUES ($1, $2, $3) RETURNING "id", "title", "owner_id""#,
        ),
    ] {
        for _ in 0..2 {
            let statement = crud::insert_statement(d, &row).unwrap();
            assert_eq!(&*statement.sql, sql);
            let [key, title, owner] = <[Value; 3]>::try_from(statement.binds).unwrap();
            let Value::Uuid(Some(key)) = key else {
                panic!("the key bind is not a UUID: {key:?}");
            };
            assert_eq!(key.get_version_num(), 7, "{key} is not a UUID v7");
            assert_eq!(title, Value::String(Some("spec".into())));
            assert_eq!(owner, Value::I64(None));
            keys.push(key);
        }
    }
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 4, "every insert gets a fresh key");
}

#[test]
fn insert_with_every_column_generated_sends_default_values() {
    golden(
        |d| crud::insert_statement(d, &NewTick {}).unwrap(),
        r#"INSERT INTO "ticks" DEFAULT VALUES RETURNING "id", "created_at""#,
        r#"INSERT INTO "ticks" DEFAULT VALUES RETURNING "id", "created_at""#,
        &[],
    );
}

fn item(n: i32) -> NewItem {
    NewItem {
        name: format!("item {n}"),
        note: (n % 2 == 0).then(|| "even".to_owned()),
        qty: Some(n),
    }
}

#[test]
fn insert_many_in_one_statement_without_returning() {
    let rows: Vec<NewItem> = (1..=3).map(item).collect();
    let one = |d: &dyn Dialect| -> Statement {
        let mut statements = crud::insert_many_statements(d, &rows).unwrap();
        assert_eq!(statements.len(), 1);
        statements.remove(0)
    };
    golden(
        one,
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)"#,
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8, $9)"#,
        &[
            Value::String(Some("item 1".into())),
            Value::String(None),
            Value::I32(Some(1)),
            Value::String(Some("item 2".into())),
            Value::String(Some("even".into())),
            Value::I32(Some(2)),
            Value::String(Some("item 3".into())),
            Value::String(None),
            Value::I32(Some(3)),
        ],
    );
}

/// The SQL of a multi-row insert is kept per shape (columns, number of rows, dialect): each
/// shape gets its own text, asked again in any order, with its own rows' binds.
#[test]
fn insert_many_keeps_the_sql_of_each_shape() {
    for sizes in [[2, 5, 2, 1], [1, 2, 5, 5]] {
        for n in sizes {
            for d in [SQLITE, PG] {
                let rows: Vec<NewItem> = (1..=n).map(item).collect();
                let statements = crud::insert_many_statements(d, &rows).unwrap();
                let [statement] = &statements[..] else {
                    panic!("one statement for {n} rows");
                };
                let expected = crud::insert_many_statements(d, &rows[..1])
                    .unwrap()
                    .remove(0);
                let row = expected.sql.split_once("VALUES ").unwrap().1.to_owned();
                let mut values = row.clone();
                for i in 1..n {
                    let next = if d.name() == PG.name() {
                        let offset = 3 * usize::try_from(i).unwrap();
                        format!("(${}, ${}, ${})", offset + 1, offset + 2, offset + 3)
                    } else {
                        row.clone()
                    };
                    values.push_str(&format!(", {next}"));
                }
                assert_eq!(
                    statement.sql.split_once("VALUES ").unwrap().1,
                    values,
                    "{n} rows on {}",
                    d.name()
                );
                assert_eq!(statement.binds.len(), 3 * rows.len());
                assert_eq!(statement.binds[0], Value::String(Some("item 1".into())));
                assert_eq!(
                    statement.binds.last(),
                    Some(&Value::I32(Some(n))),
                    "the binds are this call's rows"
                );
            }
        }
    }
}

#[test]
fn insert_many_of_nothing_is_no_statement() {
    for d in [SQLITE, PG] {
        assert!(
            crud::insert_many_statements::<NewItem>(d, &[])
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn insert_many_uuid_keys_are_distinct() {
    let rows = vec![
        NewDocument {
            title: "a".into(),
            owner_id: Some(1),
        };
        3
    ];
    let statements = crud::insert_many_statements(PG, &rows).unwrap();
    assert_eq!(statements.len(), 1);
    assert_eq!(
        &*statements[0].sql,
        r#"INSERT INTO "documents" ("id", "title", "owner_id") VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8, $9)"#
    );
    let mut keys: Vec<Uuid> = statements[0]
        .binds
        .iter()
        .step_by(3)
        .map(|v| match v {
            Value::Uuid(Some(key)) => *key,
            other => panic!("not a UUID: {other:?}"),
        })
        .collect();
    keys.dedup();
    assert_eq!(keys.len(), 3);
}

/// 40 000 rows of 3 columns are 120 000 binds: more than SQLite's 32 766 and PostgreSQL's
/// 65 535 per statement.
#[test]
fn insert_many_splits_under_the_bind_limit() {
    const ROWS: usize = 40_000;
    let rows: Vec<NewEvent> = (0..ROWS)
        .map(|n| NewEvent {
            kind: "click".into(),
            payload: i64::try_from(n).unwrap(),
            seen: n % 3 == 0,
        })
        .collect();
    // SQLite: 32 766 / 3 = 10 922 rows per statement; PostgreSQL: 65 535 / 3 = 21 845.
    for (d, max_binds, expected_rows) in [
        (SQLITE, 32_766, &[10_922, 10_922, 10_922, 7_234][..]),
        (PG, 65_535, &[21_845, 18_155][..]),
    ] {
        let statements = crud::insert_many_statements(d, &rows).unwrap();
        let per_statement: Vec<usize> = statements.iter().map(|s| s.binds.len() / 3).collect();
        assert_eq!(per_statement, expected_rows, "{}", d.name());
        let mut next_payload = 0_i64;
        for statement in &statements {
            let row_count = statement.binds.len() / 3;
            assert!(statement.binds.len() <= max_binds);
            assert_eq!(statement.binds.len() % 3, 0);
            assert!(
                statement
                    .sql
                    .starts_with(r#"INSERT INTO "events" ("kind", "payload", "seen") VALUES ("#),
                "{}",
                &statement.sql[..80]
            );
            assert_eq!(statement.sql.matches("), (").count(), row_count - 1);
            assert!(!statement.sql.contains("RETURNING"));
            // Rows stay in order across statements.
            for row in statement.binds.chunks(3) {
                let payload = next_payload;
                assert_eq!(row[1], Value::I64(Some(payload)));
                assert_eq!(row[2], Value::Bool(Some(payload % 3 == 0)));
                next_payload += 1;
            }
        }
        assert_eq!(next_payload, i64::try_from(ROWS).unwrap());
    }
    // Placeholders: SQLite's are all `?`; PostgreSQL's restart at $1 in each statement and
    // reach exactly $65535 in a full one.
    let sqlite = crud::insert_many_statements(SQLITE, &rows).unwrap();
    assert_eq!(sqlite[0].sql.matches('?').count(), 32_766);
    assert!(sqlite[0].sql.ends_with("(?, ?, ?)"));
    let pg = crud::insert_many_statements(PG, &rows).unwrap();
    assert!(pg[0].sql.starts_with(
        r#"INSERT INTO "events" ("kind", "payload", "seen") VALUES ($1, $2, $3), ($4, $5, $6)"#
    ));
    assert!(pg[0].sql.ends_with("($65533, $65534, $65535)"));
    assert!(
        pg[1].sql.starts_with(
            r#"INSERT INTO "events" ("kind", "payload", "seen") VALUES ($1, $2, $3), "#
        )
    );
    assert!(pg[1].sql.ends_with("($54463, $54464, $54465)"));
}

#[test]
fn insert_many_of_all_default_rows_is_one_default_values_statement_each() {
    for dialect in [crate::SQLITE, crate::PG] {
        let statements =
            crud::insert_many_statements(dialect, &[NewTick {}, NewTick {}, NewTick {}]).unwrap();
        let sql: Vec<&str> = statements.iter().map(|s| &*s.sql).collect();
        assert_eq!(sql, [r#"INSERT INTO "ticks" DEFAULT VALUES"#; 3]);
    }
}
