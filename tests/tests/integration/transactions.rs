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
