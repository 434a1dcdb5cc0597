//! Reliability: units of work cancelled at every await point, transactions a failed statement
//! aborted, commits whose caller went away. Nothing is ever left half-done or reported wrongly.

use std::time::{Duration, Instant};

use futures_util::FutureExt;
use orm::prelude::*;

use crate::models::*;
use crate::transactions::count_from_outside;
use crate::{Target, TestDb, backend_tests};

/// Wait until the world sees `expected` users (a commit finishing in the background).
async fn await_outside_count(t: &TestDb, expected: i64) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let seen = match count_from_outside(t).await? {
            Some(seen) => seen,
            None => User::query().count(&t.db).await?,
        };
        if seen == expected {
            return Ok(());
        }
        assert!(
            Instant::now() < deadline,
            "saw {seen} users, expected {expected}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The work a cancellation test interrupts.
#[derive(Debug, Clone, Copy)]
enum Unit {
    /// `begin`, an insert, then waiting forever (never committed).
    Transaction,
    /// `insert_many` of enough rows for several statements on a held connection: one
    /// transaction of its own that commits at the end.
    HeldConnection,
}

fn rows(from: usize, count: usize) -> Vec<NewUser> {
    (from..from + count).map(new_user).collect()
}

/// Rows in one `insert_many` of [`Unit::HeldConnection`]: more than one statement's worth on
/// both backends (SQLite binds 32 766 values a statement, PostgreSQL 65 535).
const BULK: usize = 20_000;

/// Run `unit` once as user number `n`.., returning the rows it commits when not cancelled.
async fn run_unit(db: &Database, unit: Unit, n: usize) -> Result<i64> {
    match unit {
        Unit::Transaction => {
            let tx = db.begin().await?;
            new_user(n).insert(&tx).await?;
            std::future::pending::<()>().await;
            Ok(0)
        }
        Unit::HeldConnection => {
            let conn = db.acquire().await?;
            let written = NewUser::insert_many(&conn, &rows(n, BULK)).await?;
            // The same connection goes on in autocommit mode.
            new_user(n + BULK).insert(&conn).await?;
            Ok(i64::try_from(written).expect("small") + 1)
        }
    }
}

/// Cancel `unit` at points spread over its whole run, from inside `BEGIN` to after its last
/// statement, on a pool of one connection. After each cancellation the next user of the pool
/// must get a connection outside any transaction: its autocommit write is visible from
/// outside, its own `BEGIN` works, and what the cancelled unit left is all or nothing.
async fn cancellation_never_leaks_an_open_transaction(t: Option<TestDb>, unit: Unit) {
    let Some(t) = t else {
        return;
    };
    let db = &t.db;
    db.create_all(&blog_schema()).await.expect("schema");
    // How long the unit takes when it runs to its end (the transaction unit never ends: its
    // insert is what matters).
    let started = Instant::now();
    let full = match unit {
        Unit::Transaction => Duration::from_millis(5),
        Unit::HeldConnection => {
            run_unit(db, unit, 1_000_000)
                .await
                .expect("uncancelled run");
            started.elapsed()
        }
    };
    User::delete().all_rows().exec(db).await.expect("clean");
    let mut expected = 0_i64;
    let steps = 30_u32;
    for step in 0..steps {
        let n = 100_000 * (usize::try_from(step).expect("small") + 1);
        // Deadlines from 0 (cancelled inside BEGIN) to past the end walk the cancellation
        // point along the unit.
        let deadline = full * step / (steps - 4);
        let outcome = tokio::time::timeout(deadline, run_unit(db, unit, n)).await;
        if let Ok(result) = outcome {
            expected += result.expect("a unit that was not cancelled succeeds");
        }

        // The next user of the pool: an autocommit write...
        new_user(n + 2 * BULK)
            .insert(db)
            .await
            .expect("insert after cancel");
        expected += 1;
        // ...that the world can see (it would be invisible inside a leaked transaction)...
        let seen = User::query().count(db).await.expect("count");
        let bulk = i64::try_from(BULK).expect("small");
        // A cancelled bulk insert is all or nothing (its autocommit follow-up may have run).
        let partial = seen - expected;
        assert!(
            [0, 1, bulk, bulk + 1].contains(&partial),
            "step {step}: {partial} rows of a cancelled unit survived"
        );
        expected = seen;
        if let Some(outside) = count_from_outside(&t).await.expect("outside count") {
            assert_eq!(
                outside, expected,
                "step {step}: a write after cancellation was not committed"
            );
        }
        // ...and a transaction of its own, which fails inside a leaked one on SQLite.
        let tx = db.begin().await.expect("begin after cancel");
        tx.commit().await.expect("commit");
    }
    assert_eq!(User::query().count(db).await.expect("count"), expected);
}

/// The savepoint unit [`savepoint_cancelled_at_every_point_keeps_its_transaction`] cancels:
/// a savepoint holding a bulk insert (several statements) and a nested savepoint with one
/// more row, released at the end. Returns the rows it wrote.
async fn savepoint_unit(tx: &Transaction, n: usize) -> Result<i64> {
    tx.savepoint(async |sp| {
        let written = NewUser::insert_many(sp, &rows(n, BULK)).await?;
        sp.savepoint(async |inner| new_user(n + BULK).insert(inner).await)
            .await?;
        Ok(i64::try_from(written).expect("small") + 1)
    })
    .await
}

/// Cancel a savepoint at points spread over its whole run (inside `SAVEPOINT`, between and
/// inside its statements, inside the nested savepoint, inside `RELEASE`). Whatever the point,
/// the transaction around it carries on: its own write before and after the savepoint
/// commit, and the savepoint's rows are all there or none.
async fn savepoint_cancelled_at_every_point_keeps_its_transaction(t: Option<TestDb>) {
    let Some(t) = t else {
        return;
    };
    let db = &t.db;
    db.create_all(&blog_schema()).await.expect("schema");
    let started = Instant::now();
    let tx = db.begin().await.expect("begin");
    savepoint_unit(&tx, 1_000_000)
        .await
        .expect("uncancelled run");
    tx.rollback().await.expect("rollback");
    let full = started.elapsed();
    let bulk = i64::try_from(BULK).expect("small") + 1;
    let mut expected = 0_i64;
    let (mut cancelled, mut released) = (0, 0);
    let steps = 30_u32;
    for step in 0..steps {
        let n = 100_000 * (usize::try_from(step).expect("small") + 1);
        let tx = db.begin().await.expect("begin");
        new_user(n + 2 * BULK)
            .insert(&tx)
            .await
            .expect("write before");
        // Spread over the whole run; the last step gets all the time it needs (under load a
        // run can take longer than the timed one, and one must reach its release).
        let deadline = if step + 1 == steps {
            full * 50
        } else {
            full * step / (steps - 4)
        };
        let outcome = tokio::time::timeout(deadline, savepoint_unit(&tx, n)).await;
        let completed = match outcome {
            Ok(result) => {
                released += 1;
                result.expect("a savepoint that was not cancelled succeeds")
            }
            Err(_) => {
                cancelled += 1;
                0
            }
        };
        // The transaction is usable after the cancelled savepoint...
        new_user(n + 3 * BULK)
            .insert(&tx)
            .await
            .expect("write after");
        let inside = User::query().count(&tx).await.expect("count inside");
        // ...a new savepoint works in it...
        tx.savepoint(async |sp| User::query().count(sp).await)
            .await
            .expect("savepoint after cancel");
        tx.commit()
            .await
            .expect("commit after a cancelled savepoint");
        let seen = User::query().count(db).await.expect("count");
        assert_eq!(
            seen, inside,
            "step {step}: the commit kept what the transaction saw"
        );
        // ...and the savepoint's rows are all or nothing.
        let from_savepoint = seen - expected - 2;
        assert!(
            [0, bulk].contains(&from_savepoint),
            "step {step}: {from_savepoint} rows of a cancelled savepoint survived"
        );
        if completed > 0 {
            assert_eq!(
                from_savepoint, bulk,
                "step {step}: a released savepoint was lost"
            );
        }
        expected = seen;
    }
    assert!(
        cancelled > 1 && released > 0,
        "{cancelled} cancelled, {released} released"
    );
}

fn one_connection() -> DatabaseOptions {
    DatabaseOptions::new().max_connections(1)
}

macro_rules! cancellation_tests {
    ($($name:ident: $open:expr, $unit:ident;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            cancellation_never_leaks_an_open_transaction($open.await, Unit::$unit).await;
        }
    )*};
}

macro_rules! savepoint_cancellation_tests {
    ($($name:ident: $open:expr;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            savepoint_cancelled_at_every_point_keeps_its_transaction($open.await).await;
        }
    )*};
}

savepoint_cancellation_tests! {
    cancelled_savepoint_sqlite_memory: TestDb::open_with(Target::SqliteMemory, one_connection());
    cancelled_savepoint_sqlite_file: TestDb::open_with(Target::SqliteFile, one_connection());
    cancelled_savepoint_postgres: TestDb::open_with(Target::Postgres, one_connection());
    cancelled_savepoint_postgres_pgbouncer: TestDb::open_pgbouncer(one_connection());
}

cancellation_tests! {
    cancelled_transaction_sqlite_memory: TestDb::open_with(Target::SqliteMemory, one_connection()), Transaction;
    cancelled_transaction_sqlite_file: TestDb::open_with(Target::SqliteFile, one_connection()), Transaction;
    cancelled_transaction_postgres: TestDb::open_with(Target::Postgres, one_connection()), Transaction;
    cancelled_transaction_postgres_pgbouncer: TestDb::open_pgbouncer(one_connection()), Transaction;
    cancelled_held_connection_unit_sqlite_memory: TestDb::open_with(Target::SqliteMemory, one_connection()), HeldConnection;
    cancelled_held_connection_unit_sqlite_file: TestDb::open_with(Target::SqliteFile, one_connection()), HeldConnection;
    cancelled_held_connection_unit_postgres: TestDb::open_with(Target::Postgres, one_connection()), HeldConnection;
    cancelled_held_connection_unit_postgres_pgbouncer: TestDb::open_pgbouncer(one_connection()), HeldConnection;
}

backend_tests! {
    /// A statement the database refuses aborts the transaction on every backend (PostgreSQL's
    /// rule): later statements and the commit fail with `TransactionAborted`, nothing is
    /// committed, and the connection is clean afterwards.
    async fn a_refused_statement_aborts_the_transaction(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let tx = db.begin().await?;
        new_user(1).insert(&tx).await?;
        let duplicate = new_user(1).insert(&tx).await.unwrap_err();
        assert_eq!(duplicate.kind(), ErrorKind::UniqueViolation, "{duplicate:?}");
        // The caller ignores it and goes on.
        let next = new_user(2).insert(&tx).await.unwrap_err();
        assert_eq!(next.kind(), ErrorKind::TransactionAborted, "{next:?}");
        assert!(next.to_string().contains("unique constraint"), "{next}");
        let read = User::query().count(&tx).await.unwrap_err();
        assert_eq!(read.kind(), ErrorKind::TransactionAborted);
        let commit = tx.commit().await.unwrap_err();
        assert_eq!(commit.kind(), ErrorKind::TransactionAborted, "{commit:?}");
        assert!(commit.to_string().contains("nothing in it was committed"), "{commit}");
        assert_eq!(User::query().count(db).await?, 0);
        assert_eq!(count_from_outside(t).await?.unwrap_or(0), 0);

        // The closure form: an error swallowed inside still makes the transaction fail.
        let result = db.transaction(async |tx| {
            new_user(3).insert(tx).await?;
            let _ignored = new_user(3).insert(tx).await;
            Ok::<_, Error>(())
        }).await;
        assert_eq!(result.unwrap_err().kind(), ErrorKind::TransactionAborted);
        assert_eq!(User::query().count(db).await?, 0);

        // The pool's connection is clean: a new transaction commits.
        let tx = db.begin().await?;
        new_user(4).insert(&tx).await?;
        tx.commit().await?;
        assert_eq!(count_from_outside(t).await?.unwrap_or(1), 1);
        Ok(())
    }

    /// Errors that never reached the database (refused values, rendering errors) leave the
    /// transaction usable.
    async fn an_error_before_sending_keeps_the_transaction(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let tx = db.begin().await?;
        new_user(1).insert(&tx).await?;
        let unfiltered = User::delete().exec(&tx).await.unwrap_err();
        assert_eq!(unfiltered.kind(), ErrorKind::UnfilteredMutation);
        new_user(2).insert(&tx).await?;
        tx.commit().await?;
        assert_eq!(User::query().count(db).await?, 2);
        Ok(())
    }

    /// A write cancelled midway (a timeout around one insert) leaves the transaction's content
    /// unknown: it refuses to go on and rolls back. A cancelled read does not.
    async fn a_cancelled_write_aborts_the_transaction(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let tx = db.begin().await?;
        new_user(1).insert(&tx).await?;
        // Polled once and dropped: cancelled right after it was sent (or done, if it was
        // quick: either way the transaction goes on).
        let _ = User::query().all(&tx).now_or_never();
        assert_eq!(User::query().count(&tx).await?, 1, "a cancelled read leaves it usable");
        // A quick write could be answered within one poll. On PostgreSQL another connection
        // holds the table the insert writes to; on SQLite the write is a long one: either way
        // it is surely in flight when it is dropped.
        if t.target == Target::Postgres {
            let other = t.reconnect().await?;
            let holds = other.begin().await?;
            raw("LOCK TABLE tags IN ACCESS EXCLUSIVE MODE").execute(&holds).await?;
            let write = NewTag { label: "t".into() }.insert(&tx).now_or_never();
            assert!(write.is_none(), "the write was cancelled");
        } else {
            let write = NewUser::insert_many(&tx, &rows(10, BULK)).now_or_never();
            assert!(write.is_none(), "the write was cancelled");
        }
        let next = new_user(3).insert(&tx).await.unwrap_err();
        assert_eq!(next.kind(), ErrorKind::TransactionAborted, "{next:?}");
        assert!(next.to_string().contains("cancelled"), "{next}");
        assert_eq!(tx.commit().await.unwrap_err().kind(), ErrorKind::TransactionAborted);
        assert_eq!(User::query().count(db).await?, 0);
        assert_eq!(Tag::query().count(db).await?, 0);
        Ok(())
    }

    /// Once its future has been polled, a commit runs to its end even when the caller goes
    /// away: the outcome of a cancelled commit is "committed".
    async fn a_commit_whose_caller_goes_away_still_commits(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let mut cancelled = 0;
        for n in 0..5 {
            let tx = db.begin().await?;
            new_user(n).insert(&tx).await?;
            // Polled once and dropped (a commit that finished within that poll is fine too).
            match tx.commit().now_or_never() {
                None => cancelled += 1,
                Some(result) => result?,
            }
            await_outside_count(t, i64::try_from(n).expect("small") + 1).await?;
        }
        assert!(cancelled > 0, "no commit was still in flight after one poll");
        // A commit future dropped before it was ever polled commits nothing: the transaction
        // is dropped with it and rolls back.
        let tx = db.begin().await?;
        new_user(99).insert(&tx).await?;
        drop(tx.commit());
        await_outside_count(t, 5).await?;
        assert_eq!(User::query().count(db).await?, 5);
        Ok(())
    }

    /// A held connection runs each statement in autocommit; a failed one leaves it usable.
    async fn a_held_connection_goes_on_after_an_error(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let conn = db.acquire().await?;
        new_user(1).insert(&conn).await?;
        assert_eq!(new_user(1).insert(&conn).await.unwrap_err().kind(), ErrorKind::UniqueViolation);
        new_user(2).insert(&conn).await?;
        // An atomic unit with a failing statement rolls back whole and the connection goes on.
        let error = NewUser::insert_many(&conn, &[new_user(3), new_user(1)]).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation);
        new_user(4).insert(&conn).await?;
        drop(conn);
        assert_eq!(count_from_outside(t).await?.unwrap_or(3), 3);
        assert_eq!(User::query().count(db).await?, 3);
        Ok(())
    }
}
