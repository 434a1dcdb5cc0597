//! Behaviour of the query language beyond single results: streaming, `EXPLAIN`, the raw escape
//! hatch, row locks, errors raised before anything is sent, upserts, chunked bulk inserts,
//! `HAVING` and `select_as`.

use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use orm::prelude::*;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

use crate::backend_tests;
use crate::differential::CustomerCard;
use crate::differential_seed::{Category, Customer, Order, Product, seed, sql};
use crate::{Target, TestDb};

/// One sensor reading; the streaming tests fill the table with SQL so that the test process
/// never holds the rows.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "readings")]
pub struct Reading {
    #[orm(primary_key)]
    pub id: i64,
    pub sensor: i32,
    pub value: i64,
    pub label: String,
}

/// A job queue row, for row locks.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "jobs")]
pub struct Job {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 50)]
    pub name: String,
    pub done: bool,
}

/// A rating, unique per (user, item): the conflict target of upserts.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "ratings", index(columns = ["user_key", "item_key"], unique))]
pub struct Rating {
    #[orm(primary_key)]
    pub id: i64,
    pub user_key: i64,
    pub item_key: i64,
    pub stars: i32,
}

/// Three inserted columns per row, one of them unique: the bulk-insert target.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "bulk_rows")]
pub struct Bulk {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique, max_length = 40)]
    pub code: String,
    pub n: i32,
    pub note: Option<String>,
}

/// A row of `readings` decoded by position from raw SQL.
#[derive(FromRow, Debug, Clone, PartialEq)]
pub struct ReadingLine {
    pub id: i64,
    pub label: String,
    pub value: i64,
    pub note: Option<String>,
}

/// Counts the `orm::sql` statement events of the current thread while installed.
#[derive(Clone, Default)]
struct SentStatements(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> Layer<S> for SentStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() == "orm::sql" {
            struct Sql(String);
            impl tracing::field::Visit for Sql {
                fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
                    if field.name() == "sql" {
                        self.0 = value.to_owned();
                    }
                }
                fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
            }
            let mut sql = Sql(String::new());
            event.record(&mut sql);
            self.0.lock().expect("capture").push(sql.0);
        }
    }
}

impl SentStatements {
    /// The statements sent, without transaction control (behind PgBouncer every statement
    /// runs in a transaction of its own).
    fn sent(&self) -> Vec<String> {
        let sent = self.0.lock().expect("capture");
        sent.iter()
            .filter(|sql| !matches!(sql.as_str(), "BEGIN" | "COMMIT" | "ROLLBACK"))
            .cloned()
            .collect()
    }
}

/// Fill `readings` with `n` rows inside the database: id 1..=n, sensor id % 7, value id * 3,
/// label 'r<id>'.
async fn fill_readings(t: &TestDb, n: i64) -> Result<()> {
    t.db.create_all(&schema![Reading]).await?;
    let statement = if t.target == Target::Postgres {
        format!(
            "INSERT INTO readings (id, sensor, value, label) \
             SELECT n, n % 7, n * 3, 'r' || n FROM generate_series(1, {n}) AS n"
        )
    } else {
        format!(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n}) \
             INSERT INTO readings (id, sensor, value, label) SELECT n, n % 7, n * 3, 'r' || n FROM s"
        )
    };
    let inserted = orm::raw(statement).execute(&t.db).await?;
    assert_eq!(inserted, u64::try_from(n).expect("positive"));
    Ok(())
}

fn new_bulk(range: std::ops::Range<i32>) -> Vec<NewBulk> {
    range
        .map(|i| NewBulk {
            code: format!("c{i:06}"),
            n: i,
            note: (i % 10 == 0).then(|| format!("note {i}")),
        })
        .collect()
}

backend_tests! {
    async fn stream_yields_rows_in_order(t: &TestDb) -> Result<()> {
        let db = &t.db;
        fill_readings(t, 500).await?;
        let query = || Reading::query().filter(Reading::sensor.lt(3)).order_by(Reading::value.desc());
        let mut streamed = Vec::new();
        let mut stream = Box::pin(query().stream(db));
        while let Some(row) = stream.next().await {
            streamed.push(row?);
        }
        drop(stream);
        let collected = query().all(db).await?;
        assert_eq!(streamed, collected);
        assert_eq!(streamed.len(), 215, "sensors 0, 1 and 2 of ids 1..=500");
        assert!(streamed.windows(2).all(|w| w[0].value > w[1].value));

        // A typed selection streams too, and an empty result ends at once.
        let mut stream = Box::pin(Reading::query().filter(Reading::id.le(3)).order_by(Reading::id).select((Reading::id, Reading::label)).stream(db));
        let mut pairs = Vec::new();
        while let Some(row) = stream.next().await {
            pairs.push(row?);
        }
        drop(stream);
        assert_eq!(pairs, [(1, "r1".to_owned()), (2, "r2".to_owned()), (3, "r3".to_owned())]);
        let mut empty = Box::pin(Reading::query().filter(Reading::id.gt(10_000)).stream(db));
        assert!(empty.next().await.is_none());
        Ok(())
    }

    async fn stream_counts_many_rows_without_collecting(t: &TestDb) -> Result<()> {
        let db = &t.db;
        const ROWS: i64 = 200_000;
        fill_readings(t, ROWS).await?;
        let mut stream = Box::pin(Reading::query().order_by(Reading::id).select((Reading::id, Reading::value)).stream(db));
        let (mut count, mut last, mut total) = (0_i64, 0_i64, 0_i64);
        while let Some(row) = stream.next().await {
            let (id, value) = row?;
            assert_eq!(id, last + 1, "rows arrive in order, none skipped");
            assert_eq!(value, id * 3);
            last = id;
            count += 1;
            total += value;
        }
        drop(stream);
        assert_eq!(count, ROWS);
        assert_eq!(total, 3 * ROWS * (ROWS + 1) / 2);
        // The connection is usable again once the stream is gone.
        assert_eq!(Reading::query().count(db).await?, ROWS);
        Ok(())
    }

    async fn stream_errors_surface_as_err_items(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        // Built wrongly: the error is the stream's first item, and nothing follows it.
        let mut stream = Box::pin(Customer::query().filter(Order::status.eq("shipped")).stream(db));
        let first = stream.next().await.expect("an item");
        assert_eq!(first.unwrap_err().kind(), ErrorKind::InvalidStatement);
        assert!(stream.next().await.is_none());
        drop(stream);

        // Rejected by the database: the table was never created.
        let mut stream = Box::pin(Reading::query().stream(db));
        let first = stream.next().await.expect("an item");
        assert_eq!(first.unwrap_err().kind(), ErrorKind::Database);
        assert!(stream.next().await.is_none());
        drop(stream);

        // Unsupported on the backend.
        let mut stream = Box::pin(Customer::query().order_by(Customer::city).order_by(Customer::id).distinct_on(Customer::city).stream(db));
        let first = stream.next().await.expect("an item");
        if t.target == Target::Postgres {
            assert!(first.is_ok());
        } else {
            assert_eq!(first.unwrap_err().kind(), ErrorKind::Unsupported);
        }
        drop(stream);

        // A decode error on a row: text read as an integer.
        let mut stream = Box::pin(
            Customer::query().order_by(Customer::id).select(orm::functions::func::<i64>("lower", vec![orm::functions::arg(Customer::name)])).stream(db)
        );
        let first = stream.next().await.expect("an item");
        assert_eq!(first.unwrap_err().kind(), ErrorKind::Decode);
        Ok(())
    }

    async fn explain_returns_the_plan(t: &TestDb) -> Result<()> {
        let db = &t.db;
        fill_readings(t, 100).await?;
        let plan = Reading::query().filter(Reading::sensor.eq(3)).order_by(Reading::value).explain(db).await?;
        assert!(!plan.trim().is_empty());
        assert!(plan.contains("readings"), "{plan}");
        seed(db).await?;
        let plan = Order::query().join(Customer::TABLE).filter(Customer::vip).select((Order::id, Customer::name)).explain(db).await?;
        assert!(plan.contains("orders") && plan.contains("customers"), "{plan}");
        // A query that cannot be built is not explained either.
        let error = Customer::query().filter(Order::id.eq(1)).explain(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidStatement);
        Ok(())
    }

    async fn raw_sql_binds_and_decodes(t: &TestDb) -> Result<()> {
        let db = &t.db;
        fill_readings(t, 50).await?;
        let rows: Vec<(i64, String, i64)> = orm::raw(sql(t, "SELECT id, label, value FROM readings WHERE sensor = ? AND label LIKE ? ORDER BY id"))
            .bind(2)
            .bind("r1%")
            .fetch_as(db)
            .await?;
        let expected: Vec<(i64, String, i64)> = Reading::query()
            .filter(Reading::sensor.eq(2).and(Reading::label.like("r1%")))
            .order_by(Reading::id)
            .select((Reading::id, Reading::label, Reading::value))
            .all(db)
            .await?;
        assert_eq!(rows, expected);
        assert_eq!(rows, [(16, "r16".to_owned(), 48)]);

        // A FromRow struct, by position, with a NULL into an Option.
        let lines: Vec<ReadingLine> = orm::raw(sql(t, "SELECT id, label, value, CASE WHEN id = ? THEN label END FROM readings WHERE id <= ? ORDER BY id"))
            .bind(2_i64)
            .bind(3_i64)
            .fetch_as(db)
            .await?;
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1], ReadingLine { id: 2, label: "r2".into(), value: 6, note: Some("r2".into()) });
        assert_eq!(lines[0].note, None);

        // fetch_optional and execute.
        let none: Option<(i64,)> = orm::raw(sql(t, "SELECT id FROM readings WHERE id = ?")).bind(9_999_i64).fetch_optional(db).await?;
        assert_eq!(none, None);
        let one: Option<i64> = orm::raw(sql(t, "SELECT value FROM readings WHERE id = ?")).bind(7_i64).fetch_optional(db).await?;
        assert_eq!(one, Some(21));
        let changed = orm::raw(sql(t, "UPDATE readings SET label = ? WHERE sensor = ?")).bind("x").bind(0).execute(db).await?;
        assert_eq!(changed, 7);

        // Decoding into the wrong type is a Decode error, not a panic or a silent conversion.
        let error = orm::raw("SELECT label FROM readings").fetch_as::<i64>(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
        let error = orm::raw("SELECT id FROM readings").fetch_as::<(i64, String)>(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode, "a missing column: {error}");
        let error = orm::raw("SELECT label FROM readings WHERE id = 1").fetch_as::<ReadingLine>(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
        // A syntax error is the database's.
        let error = orm::raw("SELEKT 1").execute(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Database, "{error}");
        Ok(())
    }

    async fn row_locks_skip_locked_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Job]).await?;
        let mut ids = Vec::new();
        for n in 0..5 {
            ids.push(NewJob { name: format!("job {n}"), done: false }.insert(db).await?.id);
        }
        if t.target != Target::Postgres {
            for query in [
                Job::query().for_update(),
                Job::query().skip_locked(),
                Job::query().for_share().nowait(),
                Job::query().for_no_key_update(),
            ] {
                let error = query.all(db).await.unwrap_err();
                assert_eq!(error.kind(), ErrorKind::Unsupported, "{error}");
            }
            let tx = db.begin().await?;
            let error = Job::query().for_update().skip_locked().all(&tx).await.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Unsupported, "{error}");
            tx.rollback().await?;
            return Ok(());
        }
        let sql = Job::query().skip_locked().to_sql(db.dialect())?.sql;
        assert!(sql.ends_with(" FOR UPDATE SKIP LOCKED"), "{sql}");

        let tx1 = db.begin().await?;
        let mine: Vec<i64> = Job::query().filter(Job::id.in_list([ids[0], ids[1]])).order_by(Job::id).for_update().select(Job::id).all(&tx1).await?;
        assert_eq!(mine, ids[..2]);

        // A second transaction sees only the rows nobody holds.
        let tx2 = db.begin().await?;
        let next: Option<Job> = Job::query().filter(Job::done.eq(false)).order_by(Job::id).limit(1).for_update().skip_locked().first(&tx2).await?;
        assert_eq!(next.map(|j| j.id), Some(ids[2]));
        let tx3 = db.begin().await?;
        let free: Vec<i64> = Job::query().order_by(Job::id).for_update().skip_locked().select(Job::id).all(&tx3).await?;
        assert_eq!(free, ids[3..]);
        // NOWAIT fails at once on a held row.
        let tx4 = db.begin().await?;
        let error = Job::query().filter(Job::id.eq(ids[0])).for_update().nowait().all(&tx4).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::LockNotAvailable, "{error}");
        tx4.rollback().await?;

        // Once the first transaction ends its rows are free again.
        tx1.rollback().await?;
        let tx5 = db.begin().await?;
        let free: Vec<i64> = Job::query().order_by(Job::id).skip_locked().select(Job::id).all(&tx5).await?;
        assert_eq!(free, ids[..2]);
        // Shared locks do not exclude each other.
        let tx6 = db.begin().await?;
        let shared = Job::query().filter(Job::id.eq(ids[3])).for_share().nowait().select(Job::id).all(&tx6).await;
        assert!(shared.is_err(), "tx3 holds ids[3] FOR UPDATE");
        tx6.rollback().await?;
        tx3.rollback().await?;
        let tx7 = db.begin().await?;
        let tx8 = db.begin().await?;
        let a: Vec<i64> = Job::query().filter(Job::id.eq(ids[3])).for_share().select(Job::id).all(&tx7).await?;
        let b: Vec<i64> = Job::query().filter(Job::id.eq(ids[3])).for_share().nowait().select(Job::id).all(&tx8).await?;
        assert_eq!((a, b), (vec![ids[3]], vec![ids[3]]));
        for tx in [tx2, tx5, tx7, tx8] {
            tx.rollback().await?;
        }
        Ok(())
    }

    async fn wrong_queries_fail_before_anything_is_sent(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let capture = SentStatements::default();
        let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));

        // A column of a table the query does not read.
        let error = Customer::query().filter(Order::status.eq("shipped")).all(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidStatement);
        assert!(error.to_string().contains("orders"), "{error}");
        for error in [
            Customer::query().filter(Order::status.eq("x")).count(db).await.unwrap_err(),
            Customer::query().filter(Order::status.eq("x")).exists(db).await.unwrap_err(),
            Customer::query().order_by(Order::id).first(db).await.unwrap_err(),
            Customer::query().select((Customer::id, Product::sku)).all(db).await.map(|_| ()).unwrap_err(),
            Customer::update().filter(Order::id.eq(1)).set(Customer::score, 1).exec(db).await.map(|_| ()).unwrap_err(),
            Customer::delete().filter(Order::id.eq(1)).exec(db).await.map(|_| ()).unwrap_err(),
        ] {
            assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error}");
        }

        // Columns of the nullable side of outer joins, selected as non-Option types.
        for error in [
            Customer::query().left_join(Order::TABLE).select((Customer::name, Order::status)).all(db).await.map(|_| ()).unwrap_err(),
            Order::query().right_join(Customer::TABLE).select((Order::id, Customer::name)).all(db).await.map(|_| ()).unwrap_err(),
            Product::query().full_join(Category::TABLE).select(Product::sku).all(db).await.map(|_| ()).unwrap_err(),
            Customer::query().left_join(Order::TABLE).select((model_row::<Customer>(), model_row::<Order>())).all(db).await.map(|_| ()).unwrap_err(),
        ] {
            assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error}");
            assert!(error.to_string().contains("nullable"), "{error}");
        }

        // No foreign key to join through, or an aggregate next to a bare column.
        let error = Customer::query().join(Product::TABLE).all(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error}");
        let error = Customer::query().select((Customer::name, count_star())).all(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error}");
        // An upsert without its action.
        let error = orm::insert(vec![NewRating { user_key: 1, item_key: 1, stars: 1 }]).on_conflict(Rating::user_key).exec(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error}");

        assert_eq!(capture.sent(), Vec::<String>::new(), "nothing reached the database");

        // With .nullable() the same outer join runs and decodes NULL as None.
        let rows: Vec<(String, Option<String>)> = Customer::query()
            .left_join(Order::TABLE)
            .filter(Order::id.nullable().is_null())
            .order_by(Customer::id)
            .select((Customer::name, Order::status.nullable()))
            .all(db)
            .await?;
        assert_eq!(rows, [("Linus".to_owned(), None), ("Margaret".to_owned(), None)]);
        let rows: Vec<(Customer, Option<Order>)> = Customer::query()
            .left_join(Order::TABLE)
            .filter(Customer::name.eq("Linus"))
            .select((model_row::<Customer>(), model_row::<Order>().nullable()))
            .all(db)
            .await?;
        assert_eq!(rows.len(), 1);
        assert!(rows[0].1.is_none());
        assert_eq!(capture.sent().len(), 2, "{:?}", capture.sent());
        drop(guard);
        Ok(())
    }

    async fn upsert_semantics(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Rating]).await?;
        let inserted = orm::insert(vec![
            NewRating { user_key: 1, item_key: 1, stars: 3 },
            NewRating { user_key: 1, item_key: 2, stars: 4 },
        ]).exec(db).await?;
        assert_eq!(inserted, 2);
        let first = Rating::query().filter(Rating::item_key.eq(1)).one(db).await?;

        // A conflict updates the stored row (keeping its key); RETURNING gives the stored rows.
        let returned: Vec<Rating> = orm::insert(vec![
            NewRating { user_key: 1, item_key: 1, stars: 5 },
            NewRating { user_key: 2, item_key: 1, stars: 2 },
        ])
        .on_conflict((Rating::user_key, Rating::item_key))
        .do_update(Rating::stars, excluded(Rating::stars))
        .returning_model()
        .all(db)
        .await?;
        assert_eq!(returned.len(), 2);
        for row in &returned {
            assert_eq!(Rating::get(db, row.id).await?, *row);
        }
        let updated = returned.iter().find(|r| r.user_key == 1).expect("the updated row");
        assert_eq!((updated.id, updated.stars), (first.id, 5));
        assert_eq!(Rating::query().count(db).await?, 3);

        // DO NOTHING skips the conflicting row: not counted, not returned, not changed.
        let count = orm::insert(vec![
            NewRating { user_key: 1, item_key: 1, stars: 1 },
            NewRating { user_key: 3, item_key: 1, stars: 1 },
        ]).on_conflict((Rating::user_key, Rating::item_key)).do_nothing().exec(db).await?;
        assert_eq!(count, 1);
        assert_eq!(Rating::get(db, first.id).await?.stars, 5);
        let returned: Vec<(i64, i64)> = orm::insert(vec![NewRating { user_key: 1, item_key: 2, stars: 1 }])
            .on_conflict((Rating::user_key, Rating::item_key))
            .do_nothing()
            .returning((Rating::user_key, Rating::item_key))
            .all(db)
            .await?;
        assert!(returned.is_empty());

        // An update from the stored and the proposed values, only where a condition holds.
        let returned: Vec<(i64, i32)> = orm::insert(vec![
            NewRating { user_key: 1, item_key: 1, stars: 2 },
            NewRating { user_key: 1, item_key: 2, stars: 9 },
        ])
        .on_conflict((Rating::user_key, Rating::item_key))
        .do_update(Rating::stars, Rating::stars + excluded(Rating::stars))
        .do_update_where(Rating::stars.lt(excluded(Rating::stars)))
        .returning((Rating::item_key, Rating::stars))
        .all(db)
        .await?;
        assert_eq!(returned, [(2, 13)], "only the row whose stored stars were lower is updated");
        let stored: Vec<(i64, i64, i32)> = Rating::query().order_by(Rating::user_key).order_by(Rating::item_key).select((Rating::user_key, Rating::item_key, Rating::stars)).all(db).await?;
        assert_eq!(stored, [(1, 1, 5), (1, 2, 13), (2, 1, 2), (3, 1, 1)]);

        // A conflict without ON CONFLICT is a unique violation.
        let error = orm::insert(vec![NewRating { user_key: 3, item_key: 1, stars: 1 }]).exec(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation, "{error}");
        Ok(())
    }

    async fn bulk_insert_is_chunked_under_the_bind_limit(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Bulk]).await?;
        const ROWS: i32 = 50_000;
        let statements = orm::insert(new_bulk(0..ROWS)).to_sql(db.dialect())?;
        let limit = if t.target == Target::Postgres { 65_535 } else { 32_766 };
        assert!(statements.len() > 1, "150 000 binds need several statements");
        assert!(statements.iter().all(|s| s.binds.len() <= limit && s.binds.len() % 3 == 0));
        assert_eq!(statements.iter().map(|s| s.binds.len()).sum::<usize>(), 3 * 50_000);

        let inserted = orm::insert(new_bulk(0..ROWS)).exec(db).await?;
        assert_eq!(inserted, 50_000);
        assert_eq!(Bulk::query().count(db).await?, 50_000);
        let (total, notes, low, high): (Option<i64>, i64, Option<String>, Option<String>) = Bulk::query()
            .select((sum(Bulk::n), count(Bulk::note), min(Bulk::code), max(Bulk::code)))
            .one(db)
            .await?;
        assert_eq!(total, Some(i64::from(ROWS) * i64::from(ROWS - 1) / 2));
        assert_eq!(notes, 5_000);
        assert_eq!((low.as_deref(), high.as_deref()), (Some("c000000"), Some("c049999")));

        // All chunks or none: a conflict in the last chunk leaves nothing of the batch behind.
        let mut rows = new_bulk(ROWS..2 * ROWS);
        rows.last_mut().expect("rows").code = "c000000".into();
        let error = orm::insert(rows).exec(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation, "{error}");
        assert_eq!(Bulk::query().count(db).await?, 50_000);

        // RETURNING needs the rows in one statement.
        let error = orm::insert(new_bulk(ROWS..2 * ROWS)).returning(Bulk::id).all(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error}");
        assert_eq!(Bulk::query().count(db).await?, 50_000);
        // Upserts are chunked too.
        let updated = orm::insert(new_bulk(0..ROWS)).on_conflict(Bulk::code).do_update(Bulk::n, excluded(Bulk::n) + 1).exec(db).await?;
        assert_eq!(updated, 50_000);
        let total: Option<i64> = Bulk::query().select(sum(Bulk::n)).one(db).await?;
        assert_eq!(total, Some(i64::from(ROWS) * i64::from(ROWS - 1) / 2 + 50_000));
        Ok(())
    }

    async fn having_filters_groups(t: &TestDb) -> Result<()> {
        let db = &t.db;
        fill_readings(t, 100).await?;
        // Sensors 0..6; ids 1..=100, value = 3 * id.
        let rows: Vec<(i32, i64, Option<i64>)> = Reading::query()
            .group_by(Reading::sensor)
            .having(count_star().ge(15).and(sum(Reading::value).gt(750_i64)))
            .order_by(Reading::sensor)
            .select((Reading::sensor, count_star(), sum(Reading::value)))
            .all(db)
            .await?;
        let mut expected = Vec::new();
        for sensor in 0..7 {
            let ids: Vec<i64> = (1..=100).filter(|id| id % 7 == sensor).collect();
            let total: i64 = ids.iter().map(|id| id * 3).sum();
            let n = i64::try_from(ids.len()).expect("small");
            if n >= 15 && total > 750 {
                expected.push((i32::try_from(sensor).expect("small"), n, Some(total)));
            }
        }
        assert_eq!(rows, expected);
        assert_eq!(rows.len(), 2, "sensors 1 and 2 have 15 readings");

        // HAVING on an aggregate that is not selected, and on the group key.
        let sensors: Vec<i32> = Reading::query()
            .group_by(Reading::sensor)
            .having(max(Reading::value).lt(Some(297_i64)).or(Reading::sensor.eq(0)))
            .order_by(Reading::sensor.desc())
            .select(Reading::sensor)
            .all(db)
            .await?;
        assert_eq!(sensors, [6, 5, 4, 3, 0]);
        // Groups that every row is filtered out of do not appear at all.
        let none: Vec<i32> = Reading::query().filter(Reading::id.gt(1000)).group_by(Reading::sensor).having(count_star().ge(0)).select(Reading::sensor).all(db).await?;
        assert!(none.is_empty());
        Ok(())
    }

    async fn select_as_selects_only_its_columns(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let statement = Customer::query().filter(Customer::vip).select_as::<CustomerCard>().to_sql(db.dialect())?;
        let select_list = statement.sql.split(" FROM ").next().expect("a select list");
        assert_eq!(select_list, r#"SELECT "customers"."id", "customers"."name", "customers"."email", "customers"."vip""#);
        for other in ["score", "city", "joined_at"] {
            assert!(!statement.sql.contains(other), "{}", statement.sql);
        }
        for dialect in [&orm::dialects::SqliteDialect as &dyn orm::Dialect, &orm::dialects::PgDialect] {
            let sql = Customer::query().select_as::<CustomerCard>().to_sql(dialect)?.sql;
            assert_eq!(&*sql, r#"SELECT "customers"."id", "customers"."name", "customers"."email", "customers"."vip" FROM "customers""#);
        }
        let cards = Customer::query().filter(Customer::vip).order_by(Customer::id).select_as::<CustomerCard>().all(db).await?;
        let names: Vec<&str> = cards.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Ada", "Barbara"]);
        Ok(())
    }
}
