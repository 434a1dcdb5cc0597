//! Reliability: concurrent money transfers between accounts, under each way of keeping them
//! correct. Whatever interleaving and whatever fails (an overdraft the CHECK refuses, a
//! serialization failure, SQLite's busy lock), the total never changes and every account ends
//! at its starting balance plus exactly the transfers that reported success.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use orm::prelude::*;

use crate::models::*;
use crate::{Target, TestDb, backend_tests};

const ACCOUNTS: usize = 16;
const START: i64 = 1_000;
const WORKERS: usize = 8;
const TRANSFERS: usize = 40;

/// How a transfer keeps concurrent transfers from losing updates.
#[derive(Debug, Clone, Copy)]
enum Strategy {
    /// `balance = balance - amount`: the database computes from the current row.
    RelativeUpdate,
    /// Read, compute in Rust, write back, with the rows locked first (`FOR UPDATE` on
    /// PostgreSQL; on SQLite the transaction holds the write lock from `BEGIN IMMEDIATE`).
    LockedReadModifyWrite,
    /// Read, compute in Rust, write back under SERIALIZABLE isolation (PostgreSQL; SQLite's
    /// `BEGIN IMMEDIATE` is serial already), the whole transaction run again on a
    /// serialization failure.
    Serializable,
}

/// A tiny deterministic generator, so that each worker's transfers are reproducible.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

async fn transfer(t: &TestDb, strategy: Strategy, from: Uuid, to: Uuid, amount: i64) -> Result<()> {
    let db = &t.db;
    db.transaction(async |tx| {
        match strategy {
            Strategy::RelativeUpdate => {
                Account::update()
                    .filter(Account::id.eq(from))
                    .set(Account::balance, Account::balance - amount)
                    .exec(tx)
                    .await?;
                Account::update()
                    .filter(Account::id.eq(to))
                    .set(Account::balance, Account::balance + amount)
                    .exec(tx)
                    .await?;
            }
            Strategy::LockedReadModifyWrite | Strategy::Serializable => {
                if matches!(strategy, Strategy::Serializable) && t.target == Target::Postgres {
                    raw("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                        .execute(tx)
                        .await?;
                }
                let lock = matches!(strategy, Strategy::LockedReadModifyWrite)
                    && t.target == Target::Postgres;
                // Lock in key order so two transfers never wait on each other in a cycle.
                let mut ids = [from, to];
                ids.sort();
                let query = Account::query()
                    .filter(Account::id.in_list(ids))
                    .order_by(Account::id);
                let rows = if lock {
                    query.for_update().all(tx).await?
                } else {
                    query.all(tx).await?
                };
                let balance: HashMap<Uuid, i64> = rows.iter().map(|a| (a.id, a.balance)).collect();
                Account::update()
                    .filter(Account::id.eq(from))
                    .set(Account::balance, balance[&from] - amount)
                    .exec(tx)
                    .await?;
                Account::update()
                    .filter(Account::id.eq(to))
                    .set(Account::balance, balance[&to] + amount)
                    .exec(tx)
                    .await?;
            }
        }
        Ok::<_, Error>(())
    })
    .await
}

/// True for failures that say "nothing happened, try again later": serialization failures,
/// deadlocks, SQLite's busy lock, a transaction they aborted — typed, no SQLSTATE matching.
fn transient(error: &Error) -> bool {
    error.is_retryable() && error.kind() != ErrorKind::Connection
}

async fn concurrent_transfers(t: &TestDb, strategy: Strategy) -> Result<()> {
    let db = &t.db;
    db.create_all(&schema![Account]).await?;
    let accounts: Vec<NewAccount> = (0..ACCOUNTS)
        .map(|n| NewAccount {
            owner: format!("a{n}"),
            balance: START,
        })
        .collect();
    NewAccount::insert_many(db, &accounts).await?;
    let ids: Vec<Uuid> = Account::query()
        .order_by(Account::id)
        .select(Account::id)
        .all(db)
        .await?;
    let ledger: Arc<Mutex<HashMap<Uuid, i64>>> =
        Arc::new(Mutex::new(ids.iter().map(|id| (*id, START)).collect()));
    let mut outcomes = (0, 0, 0); // (applied, refused by the check, gave up)
    let results = futures_util::future::join_all((0..WORKERS).map(|worker| {
        let ids = ids.clone();
        let ledger = Arc::clone(&ledger);
        async move {
            let mut seed = 0x9e37_79b9_7f4a_7c15_u64 ^ (u64::try_from(worker).expect("small") + 1);
            let mut counts = (0, 0, 0);
            for _ in 0..TRANSFERS {
                let pick = |seed: &mut u64| {
                    usize::try_from(next(seed) % u64::try_from(ACCOUNTS).expect("small"))
                        .expect("small")
                };
                let from = ids[pick(&mut seed)];
                let mut to = ids[pick(&mut seed)];
                if to == from {
                    to =
                        ids[(ids.iter().position(|id| *id == from).expect("known") + 1) % ACCOUNTS];
                }
                let amount = i64::try_from(next(&mut seed) % 400).expect("small") + 1;
                let mut attempts = 0;
                loop {
                    attempts += 1;
                    match transfer(t, strategy, from, to, amount).await {
                        Ok(()) => {
                            let mut ledger = ledger.lock().expect("ledger");
                            *ledger.get_mut(&from).expect("from") -= amount;
                            *ledger.get_mut(&to).expect("to") += amount;
                            counts.0 += 1;
                        }
                        Err(error)
                            if error.kind() == ErrorKind::CheckViolation
                                || (error.kind() == ErrorKind::TransactionAborted
                                    && error.to_string().contains("check constraint")) =>
                        {
                            counts.1 += 1
                        }
                        Err(error) if transient(&error) && attempts < 50 => {
                            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                            continue;
                        }
                        Err(error) if transient(&error) => counts.2 += 1,
                        Err(error) => return Err(error),
                    }
                    break;
                }
            }
            Ok::<_, Error>(counts)
        }
    }))
    .await;
    for result in results {
        let (applied, refused, gave_up) = result?;
        outcomes.0 += applied;
        outcomes.1 += refused;
        outcomes.2 += gave_up;
    }
    let stored: HashMap<Uuid, i64> = Account::query()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.balance))
        .collect();
    let total: i64 = stored.values().sum();
    assert_eq!(
        total,
        START * i64::try_from(ACCOUNTS).expect("small"),
        "{strategy:?}: money appeared or vanished"
    );
    assert_eq!(
        stored,
        *ledger.lock().expect("ledger"),
        "{strategy:?}: a balance differs from the transfers that reported success"
    );
    assert!(stored.values().all(|b| *b >= 0));
    assert!(
        outcomes.0 > 0,
        "{strategy:?}: no transfer went through: {outcomes:?}"
    );
    Ok(())
}

backend_tests! {
    async fn concurrent_transfers_with_relative_updates(t: &TestDb) -> Result<()> {
        concurrent_transfers(t, Strategy::RelativeUpdate).await
    }

    async fn concurrent_transfers_with_locked_reads(t: &TestDb) -> Result<()> {
        concurrent_transfers(t, Strategy::LockedReadModifyWrite).await
    }

    async fn concurrent_transfers_serializable_with_retry(t: &TestDb) -> Result<()> {
        concurrent_transfers(t, Strategy::Serializable).await
    }
}
