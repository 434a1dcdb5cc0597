//! Reliability of the connections a database keeps between statements through `&Database`
//! (instead of giving each back to sqlx's pool, which pings it): one never keeps a task
//! waiting for the pool, it serves the next statement, and `close` does not wait for it.

use std::time::Duration;

use orm::prelude::*;

use crate::{Target, TestDb};

/// A statement that keeps its connection busy for a while.
fn slow(target: Target) -> orm::Raw {
    match target {
        Target::Postgres => orm::raw("SELECT pg_sleep(0.6)"),
        _ => orm::raw(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) \
             SELECT count(*) FROM c",
        ),
    }
}

/// One connection: a task waits for it while a statement runs on it. When the statement
/// ends, the connection must reach the waiter, though the task that ran it does nothing
/// more (kept for that task's next statement instead, the waiter would time out).
async fn a_kept_connection_goes_to_a_waiting_task(target: Target) {
    let options = DatabaseOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(4))
        .ping_after_idle(Duration::from_secs(60));
    let Some(t) = TestDb::open_with(target, options).await else {
        return;
    };
    let db = t.db.clone();
    orm::raw("SELECT 1").execute(&db).await.expect("warm up");
    let runner = tokio::spawn({
        let db = db.clone();
        async move { slow(target).execute(&db).await }
    });
    // Wait for the pool while the slow statement holds the connection.
    tokio::time::sleep(Duration::from_millis(150)).await;
    let waiter = db.acquire().await.expect("the waiter gets the connection");
    runner.await.expect("runner").expect("slow statement");
    let answer: Vec<i64> = orm::raw("SELECT CAST(41 + 1 AS BIGINT)")
        .fetch_as(&waiter)
        .await
        .expect("a statement on it");
    assert_eq!(answer, [42]);
    drop(waiter);
    // Back in the pool for the next statement through the database, and close() does not
    // wait for a connection kept between statements.
    let again: Vec<i64> = orm::raw("SELECT CAST(7 AS BIGINT)")
        .fetch_as(&db)
        .await
        .expect("again");
    assert_eq!(again, [7]);
    tokio::time::timeout(Duration::from_secs(5), db.close())
        .await
        .expect("close does not wait for a kept connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_connection_goes_to_a_waiting_task_sqlite_file() {
    a_kept_connection_goes_to_a_waiting_task(Target::SqliteFile).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_connection_goes_to_a_waiting_task_postgres() {
    a_kept_connection_goes_to_a_waiting_task(Target::Postgres).await;
}

/// Statements one after another through the database reuse one server session (the kept
/// connection), where giving it back would let the pool hand out another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statements_in_a_row_keep_their_connection_postgres() {
    let options = DatabaseOptions::new().max_connections(4);
    let Some(t) = TestDb::open_with(Target::Postgres, options).await else {
        return;
    };
    let db = &t.db;
    // Four connections in the pool first, so another one would be at hand.
    let held: Vec<_> = futures_util::future::join_all((0..4).map(|_| db.acquire())).await;
    drop(held);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut pids = Vec::new();
    for _ in 0..20 {
        let pid: Vec<i32> = orm::raw("SELECT pg_backend_pid()")
            .fetch_as(db)
            .await
            .expect("pid");
        pids.push(pid[0]);
    }
    pids.dedup();
    assert_eq!(pids.len(), 1, "one session served them all: {pids:?}");
}
