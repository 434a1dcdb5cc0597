//! Transactions and locks that get in each other's way come back as typed errors that say
//! whether running again may succeed (issue 12): a deadlock, a serialization failure, a
//! lock not available, a cancelled statement (PostgreSQL), a busy database (SQLite file).

use std::time::Duration;

use orm::prelude::*;

use crate::Target;
use crate::backend_tests;

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "contended_counters")]
pub struct Counter {
    #[orm(primary_key)]
    pub id: i64,
    pub value: i64,
}

async fn two_counters(db: &Database) -> Result<(i64, i64)> {
    db.create_all(&schema![Counter]).await?;
    let a = NewCounter { value: 0 }.insert(db).await?.id;
    let b = NewCounter { value: 0 }.insert(db).await?.id;
    Ok((a, b))
}

fn bump(id: i64) -> orm::Update<Counter> {
    Counter::update()
        .filter(Counter::id.eq(id))
        .set(Counter::value, Counter::value + 1)
}

/// A transaction that failed stays aborted; its commit says so, and keeps the kind that
/// caused it.
async fn assert_aborted_by(tx: Transaction, cause: ErrorKind, retryable: bool) {
    let error = tx.commit().await.expect_err("the transaction was aborted");
    assert_eq!(error.kind(), ErrorKind::TransactionAborted, "{error}");
    assert!(
        matches!(&error, Error::TransactionAborted { cause: Some(c), .. } if *c == cause),
        "{error:?}"
    );
    assert_eq!(error.is_retryable(), retryable, "{error}");
}

backend_tests! {
    async fn a_deadlock_is_typed_and_retryable(t: &TestDb) -> Result<()> {
        if t.target != Target::Postgres {
            return Ok(());
        }
        let db = &t.db;
        let (a, b) = two_counters(db).await?;
        let first = db.begin().await?;
        let second = db.begin().await?;
        bump(a).exec(&first).await?;
        bump(b).exec(&second).await?;
        // Each now waits for the other's row: PostgreSQL fails one of them.
        let cross = async |tx: Transaction, id: i64| {
            let result = bump(id).exec(&tx).await;
            (tx, result)
        };
        let ((first, r1), (second, r2)) = tokio::join!(
            async {
                let (tx, result) = cross(first, b).await;
                // The victim rolls back at once, so that the other can go on.
                match result {
                    Err(error) => {
                        assert_aborted_by(tx, error.kind(), true).await;
                        (None, Err(error))
                    }
                    Ok(n) => (Some(tx), Ok(n)),
                }
            },
            async {
                let (tx, result) = cross(second, a).await;
                match result {
                    Err(error) => {
                        assert_aborted_by(tx, error.kind(), true).await;
                        (None, Err(error))
                    }
                    Ok(n) => (Some(tx), Ok(n)),
                }
            }
        );
        let errors: Vec<&Error> = [&r1, &r2].into_iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errors.len(), 1, "exactly one deadlock victim: {r1:?} {r2:?}");
        let victim = errors[0];
        assert_eq!(victim.kind(), ErrorKind::Deadlock, "{victim}");
        assert!(victim.is_retryable(), "{victim}");
        assert!(victim.to_string().contains("run the whole transaction again"), "{victim}");
        for tx in [first, second].into_iter().flatten() {
            tx.commit().await?;
        }
        Ok(())
    }

    async fn a_serialization_failure_is_typed_and_retryable(t: &TestDb) -> Result<()> {
        if t.target != Target::Postgres {
            return Ok(());
        }
        let db = &t.db;
        let (a, b) = two_counters(db).await?;
        let serializable = async || -> Result<Transaction> {
            let tx = db.begin().await?;
            orm::raw("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE").execute(&tx).await?;
            let total: Option<i64> = Counter::query().select(sum(Counter::value)).one(&tx).await?;
            assert_eq!(total, Some(0));
            Ok(tx)
        };
        // Write skew: each reads both rows, then writes a different one.
        let first = serializable().await?;
        let second = serializable().await?;
        bump(a).exec(&first).await?;
        bump(b).exec(&second).await?;
        first.commit().await?;
        match second.commit().await {
            Err(error) => {
                assert_eq!(error.kind(), ErrorKind::SerializationFailure, "{error}");
                assert!(error.is_retryable(), "{error}");
            }
            Ok(()) => panic!("PostgreSQL let write skew commit under SERIALIZABLE"),
        }
        Ok(())
    }

    async fn a_lock_not_available_is_typed(t: &TestDb) -> Result<()> {
        if t.target != Target::Postgres {
            return Ok(());
        }
        let db = &t.db;
        let (a, _) = two_counters(db).await?;
        let holder = db.begin().await?;
        Counter::query().filter(Counter::id.eq(a)).for_update().all(&holder).await?;
        let waiter = db.begin().await?;
        let error = Counter::query()
            .filter(Counter::id.eq(a))
            .for_update()
            .nowait()
            .all(&waiter)
            .await
            .expect_err("the row is locked");
        assert_eq!(error.kind(), ErrorKind::LockNotAvailable, "{error}");
        assert!(error.is_retryable(), "{error}");
        assert_aborted_by(waiter, ErrorKind::LockNotAvailable, true).await;
        holder.commit().await?;
        Ok(())
    }

    async fn a_statement_timeout_is_typed_and_not_retryable(t: &TestDb) -> Result<()> {
        if t.target != Target::Postgres {
            return Ok(());
        }
        let db = &t.db;
        let tx = db.begin().await?;
        orm::raw("SET LOCAL statement_timeout = 50").execute(&tx).await?;
        let error = orm::raw("SELECT pg_sleep(5)").execute(&tx).await.expect_err("cancelled");
        assert_eq!(error.kind(), ErrorKind::QueryCanceled, "{error}");
        assert!(!error.is_retryable(), "a timeout would cancel it again: {error}");
        assert_aborted_by(tx, ErrorKind::QueryCanceled, false).await;
        Ok(())
    }

    async fn a_busy_sqlite_database_is_typed_and_retryable(t: &TestDb) -> Result<()> {
        if t.target != Target::SqliteFile {
            return Ok(());
        }
        let db = &t.db;
        db.create_all(&schema![Counter]).await?;
        let impatient = orm::DatabaseOptions::new()
            .busy_timeout(Duration::from_millis(50))
            .connect(&t.url)
            .await?;
        // BEGIN IMMEDIATE: this transaction holds the write lock.
        let holder = db.begin().await?;
        NewCounter { value: 1 }.insert(&holder).await?;
        let error = NewCounter { value: 2 }.insert(&impatient).await.expect_err("locked");
        assert_eq!(error.kind(), ErrorKind::Busy, "{error}");
        assert!(error.is_retryable(), "{error}");
        holder.commit().await?;
        // Once the lock is free the same insert goes through.
        NewCounter { value: 2 }.insert(&impatient).await?;
        assert_eq!(Counter::query().count(db).await?, 2);
        Ok(())
    }
}
