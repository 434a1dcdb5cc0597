//! Optimistic locking and soft delete: the DDL of a versioned, soft-deletable model (a
//! partial unique index), the writes that check and bump the version (probed in one
//! statement on PostgreSQL), and the conditions that hide deleted rows.

use orm::prelude::*;
use orm::{Dialect, Tracked, Value};

use crate::{PG, SQLITE};

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "tickets", index(columns = ["title"], unique, ignore_deleted))]
pub struct Ticket {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique(ignore_deleted))]
    pub code: String,
    pub title: String,
    #[orm(version)]
    pub version: i64,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
    #[orm(has_many(foreign_key = "ticket_id"))]
    pub notes: HasMany<TicketNote>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "ticket_notes")]
pub struct TicketNote {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Ticket, on_delete = "cascade")]
    pub ticket_id: i64,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

fn ticket() -> Ticket {
    Ticket {
        id: 7,
        code: "T-7".into(),
        title: "Printer".into(),
        version: 3,
        deleted_at: None,
        notes: Default::default(),
    }
}

#[test]
fn ddl_has_the_version_default_and_partial_unique_indexes() {
    for d in [SQLITE, PG] {
        let statements = schema![Ticket].create_statements(d).unwrap();
        assert!(
            statements[0]
                .sql
                .contains(r#""version" BIGINT NOT NULL DEFAULT 1,"#),
            "{}",
            statements[0].sql
        );
        assert!(
            !statements[0].sql.contains("UNIQUE"),
            "no table-wide unique constraint"
        );
        let indexes: Vec<&str> = statements[1..].iter().map(|s| &*s.sql).collect();
        assert_eq!(
            indexes,
            [
                r#"CREATE UNIQUE INDEX IF NOT EXISTS "tickets_code_52712358_key" ON "tickets" ("code") WHERE "deleted_at" IS NULL"#,
                r#"CREATE UNIQUE INDEX IF NOT EXISTS "tickets_title_2c8acafd_key" ON "tickets" ("title") WHERE "deleted_at" IS NULL"#,
            ]
        );
    }
}

#[test]
fn a_versioned_update_expects_and_bumps_the_version() {
    let mut t = Tracked::new(ticket());
    t.title = "Scanner".into();
    golden(
        |d| t.update_statement(d).unwrap().unwrap(),
        r#"UPDATE "tickets" SET "title" = ?, "version" = "tickets"."version" + 1 WHERE ("tickets"."id" = ? AND "tickets"."version" = ?) RETURNING "id", "code", "title", "version", "deleted_at""#,
        // One statement writes and says whether the row exists at another version.
        r#"WITH "orm_written" AS (UPDATE "tickets" SET "title" = $1, "version" = "tickets"."version" + 1 WHERE ("tickets"."id" = $2 AND "tickets"."version" = $3) RETURNING "id", "code", "title", "version", "deleted_at") SELECT "orm_written"."id", "orm_written"."code", "orm_written"."title", "orm_written"."version", "orm_written"."deleted_at", EXISTS (SELECT 1 FROM "orm_written"), CASE WHEN EXISTS (SELECT 1 FROM "orm_written") THEN TRUE ELSE EXISTS (SELECT 1 FROM "tickets" WHERE "tickets"."id" = $4) END FROM (SELECT 1) AS "orm_one" LEFT JOIN "orm_written" ON TRUE"#,
        &[],
        |d| {
            let mut binds = vec![
                Value::String(Some("Scanner".into())),
                Value::I64(Some(7)),
                Value::I64(Some(3)),
            ];
            if d.name() == "postgresql" {
                binds.push(Value::I64(Some(7)));
            }
            binds
        },
    );
    golden(
        |d| {
            Ticket::update()
                .filter(Ticket::id.eq(7))
                .set(Ticket::title, "x")
                .to_sql(d)
                .unwrap()
        },
        r#"UPDATE "tickets" SET "title" = ?, "version" = "tickets"."version" + 1 WHERE ("tickets"."id" = ? AND "tickets"."deleted_at" IS NULL)"#,
        r#"UPDATE "tickets" SET "title" = $1, "version" = "tickets"."version" + 1 WHERE ("tickets"."id" = $2 AND "tickets"."deleted_at" IS NULL)"#,
        &[Value::String(Some("x".into())), Value::I64(Some(7))],
        |_| Vec::new(),
    );
}

#[test]
fn deleting_sets_the_column_unless_forced() {
    golden(
        |d| Ticket::delete().filter(Ticket::id.eq(7)).to_sql(d).unwrap(),
        r#"UPDATE "tickets" SET "deleted_at" = orm_now(0), "version" = "tickets"."version" + 1 WHERE ("tickets"."id" = ? AND "tickets"."deleted_at" IS NULL)"#,
        r#"UPDATE "tickets" SET "deleted_at" = CURRENT_TIMESTAMP, "version" = "tickets"."version" + 1 WHERE ("tickets"."id" = $1 AND "tickets"."deleted_at" IS NULL)"#,
        &[Value::I64(Some(7))],
        |_| Vec::new(),
    );
    golden(
        |d| {
            Ticket::delete()
                .force()
                .filter(Ticket::id.eq(7))
                .to_sql(d)
                .unwrap()
        },
        r#"DELETE FROM "tickets" WHERE "tickets"."id" = ?"#,
        r#"DELETE FROM "tickets" WHERE "tickets"."id" = $1"#,
        &[Value::I64(Some(7))],
        |_| Vec::new(),
    );
}

#[test]
fn reads_hide_deleted_rows() {
    golden(
        |d| {
            Ticket::query()
                .filter(Ticket::title.eq("a").or(Ticket::title.eq("b")))
                .select(Ticket::id)
                .to_sql(d)
                .unwrap()
        },
        r#"SELECT "tickets"."id" FROM "tickets" WHERE (("tickets"."title" = ? OR "tickets"."title" = ?)) AND "tickets"."deleted_at" IS NULL"#,
        r#"SELECT "tickets"."id" FROM "tickets" WHERE (("tickets"."title" = $1 OR "tickets"."title" = $2)) AND "tickets"."deleted_at" IS NULL"#,
        &[
            Value::String(Some("a".into())),
            Value::String(Some("b".into())),
        ],
        |_| Vec::new(),
    );
    golden(
        |d| Ticket::query().count_sql(d).unwrap(),
        r#"SELECT COUNT(*) FROM "tickets" WHERE "tickets"."deleted_at" IS NULL"#,
        r#"SELECT COUNT(*) FROM "tickets" WHERE "tickets"."deleted_at" IS NULL"#,
        &[],
        |_| Vec::new(),
    );
    golden(
        |d| {
            Ticket::query()
                .only_deleted()
                .select(Ticket::id)
                .to_sql(d)
                .unwrap()
        },
        r#"SELECT "tickets"."id" FROM "tickets" WHERE "tickets"."deleted_at" IS NOT NULL"#,
        r#"SELECT "tickets"."id" FROM "tickets" WHERE "tickets"."deleted_at" IS NOT NULL"#,
        &[],
        |_| Vec::new(),
    );
    golden(
        |d| {
            Ticket::query()
                .join(Ticket::notes)
                .select(TicketNote::id)
                .to_sql(d)
                .unwrap()
        },
        r#"SELECT "ticket_notes"."id" FROM "tickets" INNER JOIN "ticket_notes" ON ("ticket_notes"."ticket_id" = "tickets"."id") AND "ticket_notes"."deleted_at" IS NULL WHERE "tickets"."deleted_at" IS NULL"#,
        r#"SELECT "ticket_notes"."id" FROM "tickets" INNER JOIN "ticket_notes" ON ("ticket_notes"."ticket_id" = "tickets"."id") AND "ticket_notes"."deleted_at" IS NULL WHERE "tickets"."deleted_at" IS NULL"#,
        &[],
        |_| Vec::new(),
    );
    golden(
        |d| {
            Ticket::query()
                .with_deleted()
                .join(Ticket::notes)
                .select(TicketNote::id)
                .to_sql(d)
                .unwrap()
        },
        r#"SELECT "ticket_notes"."id" FROM "tickets" INNER JOIN "ticket_notes" ON "ticket_notes"."ticket_id" = "tickets"."id""#,
        r#"SELECT "ticket_notes"."id" FROM "tickets" INNER JOIN "ticket_notes" ON "ticket_notes"."ticket_id" = "tickets"."id""#,
        &[],
        |_| Vec::new(),
    );
}

#[test]
fn an_upsert_names_the_partial_index() {
    let insert = || {
        orm::insert([NewTicket {
            code: "c".into(),
            title: "t".into(),
        }])
        .on_conflict(Ticket::code)
        .do_update(Ticket::title, excluded(Ticket::title))
    };
    golden(
        |d| insert().to_sql(d).unwrap().remove(0),
        r#"INSERT INTO "tickets" ("code", "title") VALUES (?, ?) ON CONFLICT ("code") WHERE "deleted_at" IS NULL DO UPDATE SET "title" = EXCLUDED."title", "version" = "tickets"."version" + 1"#,
        r#"INSERT INTO "tickets" ("code", "title") VALUES ($1, $2) ON CONFLICT ("code") WHERE "deleted_at" IS NULL DO UPDATE SET "title" = EXCLUDED."title", "version" = "tickets"."version" + 1"#,
        &[
            Value::String(Some("c".into())),
            Value::String(Some("t".into())),
        ],
        |_| Vec::new(),
    );
}

/// Compare a statement on both dialects; `binds` plus what `extra` adds per dialect.
#[track_caller]
fn golden(
    render: impl Fn(&dyn Dialect) -> orm::Statement,
    sqlite: &str,
    pg: &str,
    binds: &[Value],
    extra: impl Fn(&dyn Dialect) -> Vec<Value>,
) {
    for (d, sql) in [(SQLITE, sqlite), (PG, pg)] {
        let mut expected = binds.to_vec();
        expected.extend(extra(d));
        crate::assert_statement(&render(d), sql, &expected);
    }
}
