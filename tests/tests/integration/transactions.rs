//! Transactions: commit, rollback, drop, closures and panics (cancellation at every await
//! point is in `reliability_transactions`).

use std::time::Duration;

use orm::prelude::*;

use crate::models::*;
use crate::{Target, TestDb, backend_tests};

/// Count users through a separate connection pool (for file and PostgreSQL databases): what a
/// committed write looks like to the rest of the world.
pub(crate) async fn count_from_outside(t: &TestDb) -> Result<Option<i64>> {
    if t.target == Target::SqliteMemory {
        return Ok(None);
    }
    let other = t.reconnect().await?;
    let count = User::query().count(&other).await?;
    other.close().await;
    Ok(Some(count))
}

backend_tests! {
    async fn commit_and_rollback(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let tx = db.begin().await?;
        new_user(1).insert(&tx).await?;
        new_user(2).insert(&tx).await?;
        assert_eq!(User::query().count(&tx).await?, 2, "visible inside the transaction");
        tx.commit().await?;
        assert_eq!(User::query().count(db).await?, 2);
        assert_eq!(count_from_outside(t).await?.unwrap_or(2), 2);

        let tx = db.begin().await?;
        new_user(3).insert(&tx).await?;
        User::delete().filter(User::id.gt(0)).exec(&tx).await?;
        tx.rollback().await?;
        assert_eq!(User::query().count(db).await?, 2);
        Ok(())
    }

    async fn dropped_transaction_rolls_back(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        {
            let tx = db.begin().await?;
            new_user(1).insert(&tx).await?;
            // dropped without commit
        }
        assert_eq!(User::query().count(db).await?, 0);
        new_user(2).insert(db).await?;
        assert_eq!(count_from_outside(t).await?.unwrap_or(1), 1, "the pool's connections are clean");
        Ok(())
    }

    async fn transaction_closure_commits_on_ok_and_rolls_back_on_err(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let a = NewAccount { owner: "a".into(), balance: 100 }.insert(db).await?;
        let b = NewAccount { owner: "b".into(), balance: 0 }.insert(db).await?;
        let moved = db.transaction(async |tx| {
            Account::update().filter(Account::id.eq(a.id)).set(Account::balance, 60).exec(tx).await?;
            Account::update().filter(Account::id.eq(b.id)).set(Account::balance, 40).exec(tx).await?;
            Ok::<_, Error>(40)
        }).await?;
        assert_eq!(moved, 40);
        assert_eq!(Account::get(db, b.id).await?.balance, 40);

        // The second update violates the check: the first must not survive.
        let error = db.transaction(async |tx| {
            Account::update().filter(Account::id.eq(b.id)).set(Account::balance, 1_000).exec(tx).await?;
            Account::update().filter(Account::id.eq(a.id)).set(Account::balance, -900).exec(tx).await?;
            Ok::<_, Error>(())
        }).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::CheckViolation);
        assert_eq!(Account::get(db, a.id).await?.balance, 60);
        assert_eq!(Account::get(db, b.id).await?.balance, 40);

        // An application error type works too.
        #[derive(Debug)]
        enum AppError { #[allow(dead_code)] Orm(Error), Insufficient }
        impl From<Error> for AppError { fn from(e: Error) -> Self { AppError::Orm(e) } }
        let result: std::result::Result<(), AppError> = db.transaction(async |tx| {
            Account::update().filter(Account::id.eq(a.id)).set(Account::balance, 0).exec(tx).await?;
            Err(AppError::Insufficient)
        }).await;
        assert!(matches!(result, Err(AppError::Insufficient)));
        assert!(!matches!(result, Err(AppError::Orm(_))));
        assert_eq!(Account::get(db, a.id).await?.balance, 60);
        Ok(())
    }

    async fn panic_in_transaction_rolls_back(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let task_db = db.clone();
        let outcome = tokio::spawn(async move {
            task_db.transaction(async |tx| {
                new_user(1).insert(tx).await?;
                if User::query().count(tx).await? == 1 {
                    panic!("boom");
                }
                Ok::<_, Error>(())
            }).await
        }).await;
        assert!(outcome.unwrap_err().is_panic());
        assert_eq!(User::query().count(db).await?, 0);
        new_user(2).insert(db).await?;
        assert_eq!(count_from_outside(t).await?.unwrap_or(1), 1);
        Ok(())
    }

    async fn statements_in_a_transaction_can_run_concurrently(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let tx = db.begin().await?;
        let (first, second) = (new_user(1), new_user(2));
        let (a, b) = tokio::join!(first.insert(&tx), second.insert(&tx));
        a?;
        b?;
        tx.commit().await?;
        assert_eq!(User::query().count(db).await?, 2);
        Ok(())
    }
}

/// A pool with no free connection fails with `Error::Pool` after the acquire timeout, and
/// works again once the connection is back.
fn small_pool() -> DatabaseOptions {
    DatabaseOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_millis(300))
}

async fn exhausted_pool_is_a_pool_error(t: Option<TestDb>) {
    let Some(t) = t else {
        return;
    };
    let db = &t.db;
    db.create_all(&blog_schema()).await.expect("schema");
    let held = db.acquire().await.expect("the only connection");
    let error = User::query().count(db).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Pool, "{error:?}");
    assert!(
        error.to_string().contains("pool size or acquire timeout"),
        "{error}"
    );
    assert_eq!(
        User::query()
            .count(&held)
            .await
            .expect("count on the held connection"),
        0
    );
    drop(held);
    assert_eq!(
        User::query().count(db).await.expect("count after release"),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exhausted_pool_is_a_pool_error_sqlite_file() {
    exhausted_pool_is_a_pool_error(TestDb::open_with(Target::SqliteFile, small_pool()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exhausted_pool_is_a_pool_error_postgres() {
    exhausted_pool_is_a_pool_error(TestDb::open_with(Target::Postgres, small_pool()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exhausted_pool_is_a_pool_error_postgres_pgbouncer() {
    exhausted_pool_is_a_pool_error(TestDb::open_pgbouncer(small_pool()).await).await;
}

/// An in-memory database's pool is its one connection; a long acquire timeout shows that the
/// misuse below fails at once instead of waiting it out.
const LONG_WAIT: Duration = Duration::from_secs(600);

async fn memory_db() -> TestDb {
    let options = DatabaseOptions::new().acquire_timeout(LONG_WAIT);
    let t = TestDb::open_with(Target::SqliteMemory, options)
        .await
        .expect("SQLite is always there");
    t.db.create_all(&blog_schema()).await.expect("schema");
    t
}

/// Run `work`, which must return well before the acquire timeout (it would otherwise wait
/// for a connection its own task holds).
async fn at_once<T>(work: impl Future<Output = T>) -> T {
    tokio::time::timeout(LONG_WAIT, work)
        .await
        .expect("returned before the acquire timeout")
}

fn assert_connection_held(error: &Error, fix: &str) {
    assert_eq!(error.kind(), ErrorKind::ConnectionHeld, "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("single connection")
            && message.contains(&format!("(`{fix}`) instead of `&db`")),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_memory_db_used_inside_its_own_transaction_fails_at_once() {
    let t = memory_db().await;
    let db = &t.db;

    // The closure form: `&db` instead of `tx` is refused at once, and sent nothing, so the
    // transaction goes on and commits.
    let refused = at_once(db.transaction(async |tx| {
        new_user(1).insert(tx).await?;
        let error = User::query().count(db).await.unwrap_err();
        assert_eq!(User::query().count(tx).await?, 1, "`tx` works");
        Ok::<_, Error>(error)
    }))
    .await
    .expect("the transaction commits");
    assert_connection_held(&refused, "&tx");
    assert!(refused.to_string().contains("transaction"), "{refused}");
    assert_eq!(User::query().count(db).await.expect("committed"), 1);

    // `begin()`: every kind of use of `&db` is refused while the transaction is open, a
    // second `begin()` too; once it is committed, `&db` works again.
    let tx = db.begin().await.expect("begin");
    let error = at_once(new_user(2).insert(db)).await.unwrap_err();
    assert_connection_held(&error, "&tx");
    let error = at_once(User::get(db, 1)).await.unwrap_err();
    assert_connection_held(&error, "&tx");
    let error = at_once(db.begin())
        .await
        .err()
        .expect("a second transaction is refused");
    assert_connection_held(&error, "&tx");
    new_user(2).insert(&tx).await.expect("insert through tx");
    tx.commit().await.expect("commit");
    assert_eq!(User::query().count(db).await.expect("count"), 2);

    // A held connection: the fix is `&conn`.
    let conn = db.acquire().await.expect("acquire");
    let error = at_once(User::query().count(db)).await.unwrap_err();
    assert_connection_held(&error, "&conn");
    assert_eq!(User::query().count(&conn).await.expect("count on conn"), 2);
    drop(conn);
    assert_eq!(User::query().count(db).await.expect("count"), 2);

    // A transaction dropped, or cancelled midway, gives the connection back: `&db` waits
    // for its rollback and works.
    drop(db.begin().await.expect("begin"));
    assert_eq!(
        User::query()
            .count(db)
            .await
            .expect("after a dropped transaction"),
        2
    );
    let cancelled = tokio::time::timeout(
        Duration::from_millis(50),
        db.transaction(async |tx| {
            new_user(3).insert(tx).await?;
            tokio::time::sleep(LONG_WAIT).await;
            Ok::<_, Error>(())
        }),
    )
    .await;
    assert!(cancelled.is_err(), "the transaction was cancelled");
    assert_eq!(
        User::query()
            .count(db)
            .await
            .expect("after a cancelled transaction"),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_memory_db_from_other_tasks_waits_its_turn() {
    let t = memory_db().await;
    let db = &t.db;

    // Another task's `&db` waits for this task's transaction, then sees its commit.
    let tx = db.begin().await.expect("begin");
    new_user(1).insert(&tx).await.expect("insert");
    let other = db.clone();
    let waiting = tokio::spawn(async move { User::query().count(&other).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        !waiting.is_finished(),
        "the other task waits for the connection"
    );
    tx.commit().await.expect("commit");
    assert_eq!(
        waiting
            .await
            .expect("task")
            .expect("count after the commit"),
        1
    );

    // Two tasks using `&db` at once, each statement waiting while the other runs.
    let tasks: Vec<_> = (0..2)
        .map(|task| {
            let db = db.clone();
            tokio::spawn(async move {
                for i in 0..25 {
                    new_user(100 + task * 100 + i).insert(&db).await?;
                    User::query().count(&db).await?;
                }
                Ok::<_, Error>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("every statement succeeds");
    }
    assert_eq!(User::query().count(db).await.expect("count"), 51);

    // Two transactions joined in one task: each closure waits for the other's transaction.
    let (a, b) = tokio::join!(
        db.transaction(async |tx| {
            new_user(500).insert(tx).await?;
            tokio::task::yield_now().await;
            User::query().count(tx).await
        }),
        db.transaction(async |tx| {
            new_user(501).insert(tx).await?;
            User::query().count(tx).await
        }),
    );
    let (a, b) = (
        a.expect("first transaction"),
        b.expect("second transaction"),
    );
    assert!(
        (a, b) == (52, 53) || (a, b) == (53, 52),
        "one after the other: {a} {b}"
    );

    // Statements joined in one task, one of them orm's own unit of several statements (a
    // bulk insert over several chunks, in a transaction of its own): they take turns.
    let rows: Vec<NewUser> = (1_000..21_000).map(new_user).collect();
    let (inserted, counted) =
        tokio::join!(NewUser::insert_many(db, &rows), User::query().count(db));
    assert_eq!(inserted.expect("bulk insert"), 20_000);
    let counted = counted.expect("count");
    assert!(
        counted == 53 || counted == 20_053,
        "all or nothing: {counted}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_db_used_inside_its_own_transaction_still_waits_for_a_free_connection() {
    // A file database has several connections: `&db` inside a transaction takes another one
    // (it does not see the transaction's writes), as before.
    let t = TestDb::open(Target::SqliteFile).await.expect("SQLite");
    let db = &t.db;
    db.create_all(&blog_schema()).await.expect("schema");
    let seen = db
        .transaction(async |tx| {
            new_user(1).insert(tx).await?;
            User::query().count(db).await
        })
        .await
        .expect("a second connection answers");
    assert_eq!(seen, 0, "outside the uncommitted transaction");
    assert_eq!(User::query().count(db).await.expect("count"), 1);
}
