//! Reliability: PostgreSQL connections killed by the server (`pg_terminate_backend`) while
//! idle in the pool or inside a transaction. A dead idle connection costs no statement; a
//! transaction whose connection dies reports it and commits nothing; connection loss is
//! `ErrorKind::Connection` and retryable.

use std::time::Duration;

use orm::prelude::*;

use crate::models::*;
use crate::{Target, TestDb};

/// Whose server sessions a test kills.
enum Victim {
    /// Connections made with this application name (straight to PostgreSQL).
    Application(String),
    /// Every session of this database: behind PgBouncer, the server connections PgBouncer
    /// holds for it (orm's connections to PgBouncer stay up).
    Database(String),
}

/// A PostgreSQL test database whose server sessions a side connection can find and kill:
/// straight to the server (its own application name), or behind PgBouncer (its own
/// database).
async fn open_killable(
    options: DatabaseOptions,
    through_pgbouncer: bool,
) -> Option<(TestDb, Victim)> {
    orm_tests::init_tracing();
    if through_pgbouncer {
        let t = TestDb::open_pgbouncer(options).await?;
        let database = t
            .url
            .rsplit('/')
            .next()
            .expect("a database name")
            .to_owned();
        return Some((t, Victim::Database(database)));
    }
    let name = format!("orm_kill_{}", uuid::Uuid::new_v4().simple());
    let url = format!(
        "{}&application_name={name}",
        orm_tests::pg_isolated_url().await?
    );
    Some((
        TestDb::open_url(Target::Postgres, url, options).await,
        Victim::Application(name),
    ))
}

/// Terminate the victim's sessions from a side connection; returns how many died.
async fn kill(victim: &Victim) -> i64 {
    let base = orm_tests::pg_base_url().await.expect("PostgreSQL");
    let side = Database::connect(&base).await.expect("side connection");
    let (column, value) = match victim {
        Victim::Application(name) => ("application_name", name),
        Victim::Database(name) => ("datname", name),
    };
    let sql = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {column} = $1 AND pid <> pg_backend_pid()"
    );
    let killed: Vec<bool> = raw(sql)
        .bind(value.as_str())
        .fetch_as(&side)
        .await
        .expect("kill");
    side.close().await;
    // The server needs a moment to tear the sessions down.
    tokio::time::sleep(Duration::from_millis(100)).await;
    i64::try_from(killed.iter().filter(|k| **k).count()).expect("small")
}

/// Open `n` connections at once so the pool holds that many idle ones.
async fn fill_pool(db: &Database, n: usize) {
    let held: Vec<_> = futures_util::future::join_all((0..n).map(|_| db.acquire())).await;
    for conn in held {
        User::query()
            .count(&conn.expect("acquire"))
            .await
            .expect("warm");
    }
}

async fn killed_idle_connections_cost_no_statement(through_pgbouncer: bool) {
    let options = DatabaseOptions::new().max_connections(4);
    let Some((t, name)) = open_killable(options, through_pgbouncer).await else {
        return;
    };
    let db = &t.db;
    db.create_all(&blog_schema()).await.expect("schema");
    for round in 0..3 {
        fill_pool(db, 4).await;
        assert!(
            kill(&name).await >= 1,
            "round {round}: idle connections killed"
        );
        // Right away (no idle time for a ping to catch it): reads and writes, one after
        // another, every one on a dead connection first.
        for n in 0..6 {
            let user = new_user(round * 100 + n)
                .insert(db)
                .await
                .unwrap_or_else(|e| panic!("round {round}, write {n} after the kill: {e:?}"));
            let found = User::get(db, user.id)
                .await
                .unwrap_or_else(|e| panic!("round {round}, read {n} after the kill: {e:?}"));
            assert_eq!(found, user);
        }
    }
    assert_eq!(
        User::query().count(db).await.expect("count"),
        18,
        "every write ran exactly once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_idle_connections_cost_no_statement_postgres() {
    killed_idle_connections_cost_no_statement(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_idle_connections_cost_no_statement_postgres_pgbouncer() {
    killed_idle_connections_cost_no_statement(true).await;
}

async fn a_transaction_whose_connection_is_killed_commits_nothing(through_pgbouncer: bool) {
    let options = DatabaseOptions::new().max_connections(2);
    let Some((t, name)) = open_killable(options, through_pgbouncer).await else {
        return;
    };
    let db = &t.db;
    db.create_all(&blog_schema()).await.expect("schema");
    let tx = db.begin().await.expect("begin");
    new_user(1).insert(&tx).await.expect("insert");
    assert!(kill(&name).await >= 1);
    let error = new_user(2).insert(&tx).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connection, "{error:?}");
    assert!(error.is_retryable(), "{error:?}");
    // The outcome is known: the commit refuses, nothing was committed.
    let commit = tx.commit().await.unwrap_err();
    assert_eq!(commit.kind(), ErrorKind::TransactionAborted, "{commit:?}");
    assert_eq!(User::query().count(db).await.expect("count"), 0);
    // The pool goes on with new connections; a retried transaction works.
    let tx = db.begin().await.expect("begin again");
    new_user(1).insert(&tx).await.expect("insert again");
    new_user(2).insert(&tx).await.expect("insert again");
    tx.commit().await.expect("commit");
    assert_eq!(User::query().count(db).await.expect("count"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_whose_connection_is_killed_commits_nothing_postgres() {
    a_transaction_whose_connection_is_killed_commits_nothing(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_whose_connection_is_killed_commits_nothing_postgres_pgbouncer() {
    a_transaction_whose_connection_is_killed_commits_nothing(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_connection_killed_while_idle_reports_connection() {
    let Some((t, name)) = open_killable(DatabaseOptions::new().max_connections(2), false).await
    else {
        return;
    };
    let db = &t.db;
    db.create_all(&blog_schema()).await.expect("schema");
    let conn = db.acquire().await.expect("acquire");
    User::query().count(&conn).await.expect("count");
    kill(&name).await;
    let error = User::query().count(&conn).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connection, "{error:?}");
    assert!(error.is_retryable());
    assert!(error.to_string().contains("connection"), "{error}");
    drop(conn);
    // The dead connection does not go back to the pool.
    for _ in 0..4 {
        assert_eq!(User::query().count(db).await.expect("count after"), 0);
    }
}

/// Connections that sat idle past `ping_after_idle` are checked before use: no statement
/// ever meets a dead one, even with every retry disabled by a held connection's own errors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_pinged_before_use() {
    let options = DatabaseOptions::new()
        .max_connections(3)
        .ping_after_idle(Duration::from_millis(200));
    let Some((t, name)) = open_killable(options, false).await else {
        return;
    };
    let db = &t.db;
    db.create_all(&blog_schema()).await.expect("schema");
    fill_pool(db, 3).await;
    kill(&name).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Held connections and transactions are never retried: the ping is what saves them.
    let conn = db.acquire().await.expect("acquire");
    assert_eq!(
        User::query()
            .count(&conn)
            .await
            .expect("count on a pinged connection"),
        0
    );
    let tx = db.begin().await.expect("begin");
    new_user(1)
        .insert(&tx)
        .await
        .expect("insert in a fresh transaction");
    tx.commit().await.expect("commit");
    drop(conn);
}
