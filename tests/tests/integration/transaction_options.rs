//! Transaction options and retries (issue 12): isolation, read-only, statement and lock
//! timeouts, each undone when its transaction ends; `retry(n)` running write skew, lock
//! waits and busy databases to a correct end; money moved by concurrent transfers adds up.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use orm::prelude::*;
use orm::{IsolationLevel, SqliteBegin, TxOptions};

use crate::contention::{Counter, NewCounter};
use crate::integrity_models::{Doc, NewDoc};
use crate::{Target, backend_tests};

/// Rows a recursive count produces: long enough (on SQLite) to outlast a short timeout.
fn slow_count(rows: i64) -> orm::Raw {
    orm::raw(format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) \
         SELECT count(*) FROM n"
    ))
}

async fn counters(db: &Database, values: &[i64]) -> Result<Vec<i64>> {
    db.create_all(&schema![Counter]).await?;
    let mut ids = Vec::new();
    for &value in values {
        ids.push(NewCounter { value }.insert(db).await?.id);
    }
    Ok(ids)
}

async fn total(db: &Database) -> Result<i64> {
    let sum: Option<i64> = Counter::query().select(sum(Counter::value)).one(db).await?;
    Ok(sum.unwrap_or(0))
}

/// The options under which two transactions that each read both counters and then write
/// one cannot both commit: PostgreSQL's SERIALIZABLE (a serialization failure), SQLite's
/// deferred transactions (the second writer's snapshot is stale: busy).
fn write_skew_options() -> TxOptions {
    TxOptions::new()
        .isolation(IsolationLevel::Serializable)
        .sqlite_begin(SqliteBegin::Deferred)
}

backend_tests! {
    async fn a_read_only_transaction_refuses_writes_and_leaves_the_connection_writable(t: &TestDb) -> Result<()> {
        let db = &t.db;
        counters(db, &[5]).await?;
        let tx = db.begin_with(TxOptions::new().read_only()).await?;
        assert_eq!(Counter::query().count(&tx).await?, 1, "reads run");
        let error = NewCounter { value: 1 }.insert(&tx).await.expect_err("read-only");
        assert_eq!(error.kind(), ErrorKind::ReadOnly, "{error}");
        let error = tx.commit().await.expect_err("aborted by the refused write");
        assert!(
            matches!(&error, Error::TransactionAborted { cause: Some(ErrorKind::ReadOnly), .. }),
            "{error:?}"
        );
        // Every connection of the pool writes again (SQLite's query_only was undone).
        for value in 0..6 {
            NewCounter { value }.insert(db).await?;
        }
        db.transaction(async |tx| NewCounter { value: 0 }.insert(tx).await.map(|_| ())).await?;
        assert_eq!(Counter::query().count(db).await?, 8);
        Ok(())
    }

    async fn a_statement_timeout_cancels_only_its_transactions_statements(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let options = TxOptions::new().statement_timeout(Duration::from_millis(50));
        let long = if t.target == Target::Postgres {
            orm::raw("SELECT pg_sleep(3)")
        } else {
            slow_count(200_000_000)
        };
        let tx = db.begin_with(options.clone()).await?;
        let started = Instant::now();
        let error = long.execute(&tx).await.expect_err("cancelled by the timeout");
        assert_eq!(error.kind(), ErrorKind::QueryCanceled, "{error}");
        assert!(started.elapsed() < Duration::from_secs(2), "cancelled late: {:?}", started.elapsed());
        let error = tx.commit().await.expect_err("aborted");
        assert!(
            matches!(&error, Error::TransactionAborted { cause: Some(ErrorKind::QueryCanceled), .. }),
            "{error:?}"
        );
        // Short statements under the same timeout run.
        let tx = db.begin_with(options).await?;
        let rows: Vec<(i64,)> = slow_count(1_000).fetch_as(&tx).await?;
        assert_eq!(rows, [(1_000,)]);
        tx.commit().await?;
        // Outside those transactions, nothing is cancelled (a statement longer than 50 ms).
        let slow = if t.target == Target::Postgres {
            orm::raw("SELECT pg_sleep(0.2)")
        } else {
            slow_count(2_000_000)
        };
        let conn_started = Instant::now();
        slow.execute(db).await?;
        let tx = db.begin().await?;
        let rows: Vec<(i64,)> = slow_count(2_000_000).fetch_as(&tx).await?;
        assert_eq!(rows, [(2_000_000,)]);
        tx.commit().await?;
        assert!(conn_started.elapsed() > Duration::from_millis(50), "the check ran long statements");
        Ok(())
    }

    async fn a_lock_timeout_bounds_the_wait_for_a_lock(t: &TestDb) -> Result<()> {
        if t.target == Target::SqliteMemory {
            return Ok(()); // one connection: nothing else can hold a lock
        }
        let db = &t.db;
        let ids = counters(db, &[0]).await?;
        let holder = db.begin().await?;
        Counter::update()
            .filter(Counter::id.eq(ids[0]))
            .set(Counter::value, 1)
            .exec(&holder)
            .await?;
        let options = TxOptions::new().lock_timeout(Duration::from_millis(50));
        let started = Instant::now();
        let error = db
            .transaction_with(options, async |tx| {
                Counter::update()
                    .filter(Counter::id.eq(ids[0]))
                    .set(Counter::value, 2)
                    .exec(tx)
                    .await
            })
            .await
            .expect_err("the lock is held");
        let expected = if t.target == Target::Postgres { ErrorKind::LockNotAvailable } else { ErrorKind::Busy };
        assert_eq!(error.kind(), expected, "{error}");
        assert!(started.elapsed() < Duration::from_secs(3), "waited {:?}", started.elapsed());
        holder.commit().await?;
        if t.target == Target::SqliteFile {
            // The busy timeout of the connection went back to the database's own.
            let timeouts: Vec<(i64,)> = orm::raw("PRAGMA busy_timeout").fetch_as(db).await?;
            assert_eq!(timeouts, [(5_000,)]);
        }
        assert_eq!(total(db).await?, 1);
        Ok(())
    }

    async fn retry_runs_write_skew_to_a_correct_end(t: &TestDb) -> Result<()> {
        if t.target == Target::SqliteMemory {
            return Ok(()); // one connection: transactions cannot overlap
        }
        let db = &t.db;
        // Two on-call counters; a transaction may take one off call only if both are on.
        let ids = counters(db, &[1, 1]).await?;
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let attempts = Arc::new(AtomicU32::new(0));
        let go_off_call = |id: i64| {
            let (db, barrier, attempts) = (db.clone(), Arc::clone(&barrier), Arc::clone(&attempts));
            async move {
                let first = AtomicU32::new(0);
                db.transaction_with(write_skew_options().retry(5), async |tx| {
                    attempts.fetch_add(1, Ordering::Relaxed);
                    let on_call: Option<i64> = Counter::query().select(sum(Counter::value)).one(tx).await?;
                    // Both first attempts read before either writes.
                    if first.fetch_add(1, Ordering::Relaxed) == 0 {
                        barrier.wait().await;
                    }
                    if on_call == Some(2) {
                        Counter::update()
                            .filter(Counter::id.eq(id))
                            .set(Counter::value, 0)
                            .exec(tx)
                            .await?;
                        return Ok::<_, Error>(true);
                    }
                    Ok(false)
                })
                .await
            }
        };
        let (a, b) = tokio::join!(
            tokio::spawn(go_off_call(ids[0])),
            tokio::spawn(go_off_call(ids[1]))
        );
        let (a, b) = (a.expect("task")?, b.expect("task")?);
        assert!(a ^ b, "exactly one goes off call: {a} {b}");
        assert_eq!(total(db).await?, 1, "the invariant holds");
        assert!(attempts.load(Ordering::Relaxed) >= 3, "the loser ran again");
        Ok(())
    }

    /// Two transactions lock two rows in opposite orders: PostgreSQL breaks the deadlock by
    /// failing one, `retry` runs it again, and both increments land.
    async fn retry_recovers_from_a_deadlock(t: &TestDb) -> Result<()> {
        if t.target != Target::Postgres {
            return Ok(()); // SQLite's writers queue at BEGIN IMMEDIATE: no deadlock to break
        }
        let db = &t.db;
        let ids = counters(db, &[0, 0]).await?;
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let attempts = Arc::new(AtomicU32::new(0));
        let crossed = |first: i64, second: i64| {
            let (db, barrier, attempts) = (db.clone(), Arc::clone(&barrier), Arc::clone(&attempts));
            tokio::spawn(async move {
                let once = AtomicU32::new(0);
                db.transaction_with(TxOptions::new().retry(3), async |tx| {
                    attempts.fetch_add(1, Ordering::Relaxed);
                    for (step, id) in [first, second].into_iter().enumerate() {
                        Counter::update().filter(Counter::id.eq(id)).set(Counter::value, Counter::value + 1).exec(tx).await?;
                        // Both first attempts hold their first row before taking the second.
                        if step == 0 && once.fetch_add(1, Ordering::Relaxed) == 0 {
                            barrier.wait().await;
                        }
                    }
                    Ok::<_, Error>(())
                })
                .await
            })
        };
        let (a, b) = tokio::join!(crossed(ids[0], ids[1]), crossed(ids[1], ids[0]));
        a.expect("task")?;
        b.expect("task")?;
        let values: Vec<i64> = Counter::query().order_by(Counter::id).select(Counter::value).all(db).await?;
        assert_eq!(values, [2, 2], "both transactions committed once");
        assert!(attempts.load(Ordering::Relaxed) >= 3, "the deadlock victim ran again");
        Ok(())
    }

    async fn retries_that_never_succeed_say_how_many_attempts_ran(t: &TestDb) -> Result<()> {
        if t.target == Target::SqliteMemory {
            return Ok(());
        }
        let db = &t.db;
        let ids = counters(db, &[0]).await?;
        let holder = db.begin().await?;
        Counter::update().filter(Counter::id.eq(ids[0])).set(Counter::value, 1).exec(&holder).await?;
        let runs = AtomicU32::new(0);
        let options = TxOptions::new()
            .lock_timeout(Duration::from_millis(20))
            .retry(2)
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(5));
        let error = db
            .transaction_with(options, async |tx| {
                runs.fetch_add(1, Ordering::Relaxed);
                Counter::update().filter(Counter::id.eq(ids[0])).set(Counter::value, 2).exec(tx).await
            })
            .await
            .expect_err("the lock is never free");
        let expected = if t.target == Target::Postgres { ErrorKind::LockNotAvailable } else { ErrorKind::Busy };
        assert_eq!(error.kind(), expected, "{error}");
        assert!(matches!(error, Error::RetriesExhausted { attempts: 3, .. }), "{error:?}");
        assert!(error.to_string().contains("gave up after 3 attempts"), "{error}");
        // SQLite fails at BEGIN IMMEDIATE, before the closure runs.
        let ran = runs.load(Ordering::Relaxed);
        assert!(if t.target == Target::Postgres { ran == 3 } else { ran == 0 }, "ran {ran} times");
        holder.commit().await?;
        // An error that is not retryable is returned at once, unchanged.
        let runs = AtomicU32::new(0);
        let error = db
            .transaction_with(TxOptions::new().retry(5), async |tx| {
                runs.fetch_add(1, Ordering::Relaxed);
                Counter::update().filter(Counter::id.eq(ids[0])).set(Counter::value, 3).exec(tx).await?;
                Err::<(), _>(Error::InvalidStatement { message: "no".into() })
            })
            .await
            .expect_err("the closure fails");
        assert_eq!(error.kind(), ErrorKind::InvalidStatement);
        assert_eq!(runs.load(Ordering::Relaxed), 1);
        assert_eq!(total(db).await?, 1, "the failed attempt's write was rolled back");
        Ok(())
    }

    async fn retry_on_runs_a_stale_optimistic_write_again(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Doc]).await?;
        let id = NewDoc { title: "a".into(), hits: 0 }.insert(db).await?.id;
        let bump = if t.target == Target::Postgres {
            "UPDATE docs SET version = version + 1 WHERE id = $1"
        } else {
            "UPDATE docs SET version = version + 1 WHERE id = ?"
        };
        // Read the row, let another write move its version on (the first run only), then
        // write it at the version read: StaleObject the first time.
        let runs = AtomicU32::new(0);
        let read_and_count = async |tx: &Transaction| {
            let mut doc = Tracked::new(Doc::get(tx, id).await?);
            if runs.fetch_add(1, Ordering::Relaxed) == 0 {
                orm::raw(bump).bind(id).execute(tx).await?;
            }
            doc.hits += 1;
            doc.save(tx).await
        };
        let quick = |options: TxOptions| options.retry_backoff(Duration::from_millis(1), Duration::from_millis(2));
        // Not a retryable error by itself: returned at once.
        let error = db
            .transaction_with(quick(TxOptions::new().retry(3)), read_and_count)
            .await
            .expect_err("stale");
        assert_eq!(error.kind(), ErrorKind::StaleObject, "{error}");
        assert_eq!(runs.swap(0, Ordering::Relaxed), 1);
        assert_eq!(Doc::get(db, id).await?.hits, 0, "nothing written");
        // retry_on(StaleObject): run again, reading the row again, and written once.
        let options = quick(TxOptions::new().retry(3).retry_on(ErrorKind::StaleObject));
        db.transaction_with(options, read_and_count).await?;
        assert_eq!(runs.load(Ordering::Relaxed), 2);
        let stored = Doc::get(db, id).await?;
        // The failed runs' bumps were rolled back with them: one save, from version 1 to 2.
        assert_eq!((stored.hits, stored.version), (1, 2));
        // CommitUnknown is never retried, whatever retry_on is given.
        let refused = TxOptions::new().retry_on(ErrorKind::CommitUnknown);
        assert_eq!(refused, TxOptions::new());
        Ok(())
    }

    async fn concurrent_transfers_keep_the_total(t: &TestDb) -> Result<()> {
        if t.target == Target::SqliteMemory {
            return Ok(());
        }
        let db = &t.db;
        const ACCOUNTS: usize = 5;
        const TASKS: usize = 8;
        const TRANSFERS: usize = 25;
        let ids = counters(db, &[1_000; ACCOUNTS]).await?;
        let options = if t.target == Target::Postgres {
            TxOptions::new().isolation(IsolationLevel::Serializable).retry(30)
        } else {
            TxOptions::new().sqlite_begin(SqliteBegin::Immediate).retry(30)
        };
        let attempts = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for task in 0..TASKS {
            let (db, ids, options, attempts) = (db.clone(), ids.clone(), options.clone(), Arc::clone(&attempts));
            tasks.push(tokio::spawn(async move {
                for n in 0..TRANSFERS {
                    let from = ids[(task * 7 + n * 3) % ACCOUNTS];
                    let to = ids[(task * 5 + n * 2 + 1) % ACCOUNTS];
                    if from == to {
                        continue;
                    }
                    let amount = i64::try_from(1 + (task + n) % 9).expect("small");
                    db.transaction_with(options.clone(), async |tx| {
                        attempts.fetch_add(1, Ordering::Relaxed);
                        let balance = Counter::get(tx, from).await?.value;
                        Counter::update().filter(Counter::id.eq(from)).set(Counter::value, balance - amount).exec(tx).await?;
                        let balance = Counter::get(tx, to).await?.value;
                        Counter::update().filter(Counter::id.eq(to)).set(Counter::value, balance + amount).exec(tx).await?;
                        Ok::<_, Error>(())
                    })
                    .await?;
                }
                Ok::<_, Error>(())
            }));
        }
        for task in tasks {
            task.await.expect("task")?;
        }
        assert_eq!(total(db).await?, 1_000 * i64::try_from(ACCOUNTS).expect("small"), "money was created or lost");
        let attempts = attempts.load(Ordering::Relaxed);
        eprintln!("{:?}: {} transfers took {attempts} attempts", t.target, TASKS * TRANSFERS);
        Ok(())
    }
}
