//! Generated keys given explicitly (`with_key`): the key column joins the insert, rows with
//! keys come first, and on PostgreSQL one statement moves the key's sequence before them.

use orm::__private::crud;
use orm::prelude::*;
use orm::{Dialect, Statement, Value};

use crate::models::{Item, NewDocument, NewItem, NewTick};
use crate::{PG, SQLITE, assert_statement, golden};

fn item(name: &str) -> NewItem {
    NewItem {
        name: name.into(),
        note: None,
        qty: Some(1),
    }
}

/// The statement moving the sequence of `items.id` past `key` on PostgreSQL.
const PG_ADVANCE: &str = "SELECT setval(s.seq, $3) \
    FROM (SELECT pg_get_serial_sequence($1, $2)::regclass AS seq) AS s \
    WHERE CASE WHEN (SELECT TRUE FROM pg_advisory_xact_lock(7303789, $1::regclass::oid::int4)) \
    THEN CASE WHEN $3 > COALESCE(pg_sequence_last_value(s.seq), 0) \
    THEN $3 >= nextval(s.seq) ELSE FALSE END END";

fn pg_advance(key: i64) -> [Value; 3] {
    [
        Value::String(Some(r#""items""#.into())),
        Value::String(Some("id".into())),
        Value::I64(Some(key)),
    ]
}

#[test]
fn insert_one_with_its_key() {
    let row = item("a").with_key(42);
    golden(
        |d| crud::insert_statement(d, &row).unwrap(),
        r#"INSERT INTO "items" ("id", "name", "note", "qty") VALUES (?, ?, ?, ?) RETURNING "id", "name", "note", "qty""#,
        r#"INSERT INTO "items" ("id", "name", "note", "qty") VALUES ($1, $2, $3, $4) RETURNING "id", "name", "note", "qty""#,
        &[
            Value::I64(Some(42)),
            Value::String(Some("a".into())),
            Value::String(None),
            Value::I32(Some(1)),
        ],
    );
    // Without a key it is the usual insert (each shape has its own cached statement).
    golden(
        |d| crud::insert_statement(d, &item("b").with_key(None)).unwrap(),
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES (?, ?, ?) RETURNING "id", "name", "note", "qty""#,
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES ($1, $2, $3) RETURNING "id", "name", "note", "qty""#,
        &[
            Value::String(Some("b".into())),
            Value::String(None),
            Value::I32(Some(1)),
        ],
    );
}

#[test]
fn insert_many_mixed_rows_keyed_first_after_the_advance() {
    let rows = vec![
        item("g1").with_key(None),
        item("k7").with_key(7),
        item("g2").with_key(None),
        item("k9").with_key(9),
    ];
    let sqlite = crud::insert_many_statements(SQLITE, &rows).unwrap();
    let sql: Vec<&str> = sqlite.iter().map(|s| &*s.sql).collect();
    assert_eq!(
        sql,
        [
            r#"INSERT INTO "items" ("id", "name", "note", "qty") VALUES (?, ?, ?, ?), (?, ?, ?, ?)"#,
            r#"INSERT INTO "items" ("name", "note", "qty") VALUES (?, ?, ?), (?, ?, ?)"#,
        ],
        "SQLite's AUTOINCREMENT needs no statement of its own"
    );
    assert_eq!(sqlite[0].binds[0], Value::I64(Some(7)));
    assert_eq!(sqlite[0].binds[4], Value::I64(Some(9)));
    assert_eq!(sqlite[1].binds[0], Value::String(Some("g1".into())));

    let pg = crud::insert_many_statements(PG, &rows).unwrap();
    assert_eq!(pg.len(), 3);
    assert_statement(&pg[0], PG_ADVANCE, &pg_advance(9));
    assert!(
        !pg[0].read_only,
        "it writes the sequence: never on a replica"
    );
    assert_eq!(
        &*pg[1].sql,
        r#"INSERT INTO "items" ("id", "name", "note", "qty") VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)"#
    );
    assert_eq!(
        &*pg[2].sql,
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES ($1, $2, $3), ($4, $5, $6)"#
    );
}

#[test]
fn insert_builder_with_keys() {
    let upsert = |d: &dyn Dialect| -> Vec<Statement> {
        orm::insert(vec![item("k3").with_key(3), item("g").with_key(None)])
            .on_conflict(Item::id)
            .do_nothing()
            .to_sql(d)
            .unwrap()
    };
    let sql: Vec<String> = upsert(PG).iter().map(|s| s.sql.to_string()).collect();
    assert_eq!(
        sql,
        [
            PG_ADVANCE,
            r#"INSERT INTO "items" ("id", "name", "note", "qty") VALUES ($1, $2, $3, $4) ON CONFLICT ("id") DO NOTHING"#,
            r#"INSERT INTO "items" ("name", "note", "qty") VALUES ($1, $2, $3) ON CONFLICT ("id") DO NOTHING"#,
        ]
    );
    assert_eq!(upsert(SQLITE).len(), 2);
}

#[test]
fn insert_select_into_the_key_moves_the_sequence_after() {
    let copy = |d: &dyn Dialect| -> Vec<Statement> {
        orm::insert_select(
            (Item::id, Item::name),
            Item::query().select((Item::id + 1000, Item::name)),
        )
        .to_sql(d)
        .unwrap()
    };
    assert_eq!(copy(SQLITE).len(), 1);
    let pg = copy(PG);
    assert_eq!(pg.len(), 2);
    assert!(
        pg[0]
            .sql
            .starts_with(r#"INSERT INTO "items" ("id", "name") SELECT"#),
        "{}",
        pg[0].sql
    );
    assert_eq!(
        &*pg[1].sql,
        PG_ADVANCE.replace("$3", r#"(SELECT max("id") FROM "items")"#)
    );
    assert_eq!(pg[1].binds, pg_advance(0)[..2]);
    // Without the key column nothing moves.
    let other = orm::insert_select(Item::name, Item::query().select(Item::name));
    assert_eq!(other.to_sql(PG).unwrap().len(), 1);
}

#[test]
fn uuid_key_given_in_place_of_the_generated_one() {
    let key = Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
    let row = NewDocument {
        title: "t".into(),
        owner_id: None,
    }
    .with_key(key);
    golden(
        |d| crud::insert_statement(d, &row).unwrap(),
        r#"INSERT INTO "documents" ("id", "title", "owner_id") VALUES (?, ?, ?) RETURNING "id", "title", "owner_id""#,
        r#"INSERT INTO "documents" ("id", "title", "owner_id") VALUES ($1, $2, $3) RETURNING "id", "title", "owner_id""#,
        &[
            Value::Uuid(Some(key)),
            Value::String(Some("t".into())),
            Value::I64(None),
        ],
    );
    // No sequence to move: one statement on PostgreSQL too.
    assert_eq!(crud::insert_many_statements(PG, &[row]).unwrap().len(), 1);
}

#[test]
fn rows_of_only_a_key() {
    let rows = [NewTick {}.with_key(5), NewTick {}.with_key(None)];
    let sql: Vec<String> = orm::insert(rows)
        .to_sql(SQLITE)
        .unwrap()
        .iter()
        .map(|s| s.sql.to_string())
        .collect();
    assert_eq!(
        sql,
        [
            r#"INSERT INTO "ticks" ("id") VALUES (?)"#,
            r#"INSERT INTO "ticks" DEFAULT VALUES"#,
        ]
    );
    // Each row of no column is a statement of its own, as in insert_many.
    assert_eq!(
        orm::insert([NewTick {}, NewTick {}])
            .to_sql(SQLITE)
            .unwrap()
            .len(),
        2
    );
    assert!(
        orm::insert(Vec::<NewTick>::new())
            .to_sql(SQLITE)
            .unwrap()
            .is_empty()
    );
}
