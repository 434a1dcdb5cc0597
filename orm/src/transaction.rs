//! [`Transaction`] and the [`Savepoint`]s nested in it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use orm_core::error::{Error, Result};
use orm_core::{Dialect, Executor, RowDecoder, Statement};
use tokio::sync::{Mutex, MutexGuard};

use crate::connection::{Held, held_executor};
use crate::database::Claim;
use crate::tx_options::BeginPlan;

/// A database transaction; pass `&tx` to run statements in it.
///
/// Finish it with [`Transaction::commit`] or [`Transaction::rollback`]. Dropped unfinished —
/// by an early return, a panic, or a cancelled future — it is rolled back before its
/// connection goes back to the pool (and the connection is closed if that fails).
///
/// A statement the database refuses (a constraint violation, an error in the SQL) aborts
/// the transaction, as PostgreSQL does, on every backend: later statements in it fail with
/// [`ErrorKind::TransactionAborted`](crate::ErrorKind) before they are sent, and `commit`
/// rolls back and returns that error. A statement that may write and whose future is
/// dropped midway (a timeout around one insert) aborts it too, since what it wrote is
/// unknown. To let part of a transaction fail and carry on, run that part in a
/// [`Savepoint`] ([`Transaction::savepoint`]).
pub struct Transaction {
    /// The in-memory database's single connection is this one's (dropped first).
    claim: Option<Claim>,
    held: Mutex<Held>,
    dialect: &'static dyn Dialect,
}

impl Transaction {
    pub(crate) async fn start(
        held: Held,
        dialect: &'static dyn Dialect,
        claim: Option<Claim>,
        plan: BeginPlan,
    ) -> Result<Transaction> {
        // Own the connection before BEGIN is sent: if this future is dropped while BEGIN is in
        // flight, dropping the connection still rolls back (the case sqlx issue #4385 gets
        // wrong).
        let tx = Transaction {
            claim,
            held: Mutex::new(held),
            dialect,
        };
        tx.held.lock().await.begin(plan).await?;
        Ok(tx)
    }

    /// The claim on an in-memory database's single connection this transaction holds.
    pub(crate) fn claim_id(&self) -> Option<u64> {
        self.claim.as_ref().map(Claim::id)
    }

    /// The connection, unless the transaction was aborted or a savepoint is open in it.
    async fn ready(&self) -> Result<MutexGuard<'_, Held>> {
        let mut held = self.held.lock().await;
        held.refuse_at(0, None).await?;
        Ok(held)
    }

    /// Commit and give the connection back to the pool.
    ///
    /// Once called, the commit runs to its end even if this future is dropped (it finishes in
    /// the background), so a cancelled caller can rely on the transaction having committed
    /// unless the database refused it. A transaction that was aborted (see [`Transaction`])
    /// is rolled back instead, with [`ErrorKind::TransactionAborted`](crate::ErrorKind); a
    /// connection lost while COMMIT was in flight is
    /// [`ErrorKind::CommitUnknown`](crate::ErrorKind). Savepoints dropped unfinished are
    /// rolled back before the commit.
    pub async fn commit(self) -> Result<()> {
        let mut held = {
            let mut guard = self.held.lock().await;
            let released = guard.released();
            std::mem::replace(&mut *guard, released)
        };
        let commit = async move { held.commit().await };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => match runtime.spawn(commit).await {
                Ok(result) => result,
                Err(join) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
                Err(join) => Err(Error::CommitUnknown {
                    message: "the runtime shut down while COMMIT was in flight".into(),
                    source: Box::new(join),
                }),
            },
            Err(_) => commit.await,
        }
    }

    /// Roll back and give the connection back to the pool.
    pub async fn rollback(self) -> Result<()> {
        let mut held = self.held.lock().await;
        held.end("ROLLBACK").await?;
        *held = held.released();
        Ok(())
    }

    /// Run `work` in a savepoint of this transaction: when it returns `Ok` the savepoint is
    /// released (its writes become the transaction's); when it returns `Err`, panics, or its
    /// future is dropped, everything it did is rolled back and the transaction carries on
    /// as it was before. A statement that fails inside `work` aborts only the savepoint.
    /// Savepoints nest to any depth ([`Savepoint::savepoint`]).
    ///
    /// While `work` runs, statements go through `sp`; one sent through `&tx` meanwhile is
    /// refused with [`ErrorKind::InvalidStatement`](crate::ErrorKind).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let db = orm::Database::connect("sqlite::memory:").await?;
    /// orm::raw("CREATE TABLE t (id INTEGER PRIMARY KEY)").execute(&db).await?;
    /// db.transaction(async |tx| {
    ///     orm::raw("INSERT INTO t VALUES (1)").execute(tx).await?;
    ///     // The duplicate key fails inside the savepoint only.
    ///     let duplicate = tx
    ///         .savepoint(async |sp| orm::raw("INSERT INTO t VALUES (1)").execute(sp).await)
    ///         .await;
    ///     assert_eq!(duplicate.unwrap_err().kind(), orm::ErrorKind::UniqueViolation);
    ///     orm::raw("INSERT INTO t VALUES (2)").execute(tx).await
    /// })
    /// .await?;
    /// let ids: Vec<(i64,)> = orm::raw("SELECT id FROM t ORDER BY id").fetch_as(&db).await?;
    /// assert_eq!(ids, [(1,), (2,)]);
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub async fn savepoint<T, E, F>(&self, work: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Savepoint<'_>) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        run_savepoint(self.begin().await?, work).await
    }

    /// Set a savepoint and return its guard: a transaction nested in this one, as a nested
    /// `begin` is in sqlx and Diesel. Finish it with [`Savepoint::commit`] (release) or
    /// [`Savepoint::rollback`]; dropped unfinished, it is rolled back before the
    /// transaction runs its next statement.
    pub async fn begin(&self) -> Result<Savepoint<'_>> {
        open_savepoint(&self.held, 0, None, self.dialect).await
    }

    async fn run_in_transaction(&self, statements: Vec<Statement>) -> Result<Vec<u64>> {
        run_all(self.ready().await?, statements).await
    }
}

held_executor!(Transaction, atomic: run_in_transaction);

/// A savepoint in a [`Transaction`] (or in another savepoint): a transaction nested in it,
/// made with [`Transaction::savepoint`] or [`Transaction::begin`]; pass `&sp` to run
/// statements in it.
///
/// [`Savepoint::commit`] releases it (what ran in it becomes part of the transaction around
/// it, committed or rolled back with it); [`Savepoint::rollback`] undoes what ran in it and
/// leaves the transaction around it usable. Dropped unfinished — by an early return, a
/// panic, or a cancelled future — it is rolled back before the transaction runs its next
/// statement or commits.
///
/// As in a transaction, a statement the database refuses aborts the savepoint: later
/// statements in it fail with [`ErrorKind::SavepointAborted`](crate::ErrorKind) before they
/// are sent, and `commit` rolls it back and returns that error; the transaction around it
/// carries on.
pub struct Savepoint<'t> {
    held: &'t Mutex<Held>,
    dialect: &'static dyn Dialect,
    /// How many savepoints deep it is (1 directly in the transaction).
    depth: usize,
    id: u64,
    /// Raised when dropped, so the next user of the connection rolls back to it.
    abandoned: Arc<AtomicBool>,
}

impl Savepoint<'_> {
    /// The connection, unless the savepoint was aborted or another is open inside it.
    async fn ready(&self) -> Result<MutexGuard<'_, Held>> {
        let mut held = self.held.lock().await;
        held.refuse_at(self.depth, Some(self.id)).await?;
        Ok(held)
    }

    /// Release the savepoint: what ran in it becomes part of the transaction around it. A
    /// savepoint in which a statement failed is rolled back instead, with
    /// [`ErrorKind::SavepointAborted`](crate::ErrorKind).
    ///
    /// Once this future has been polled, what ran in the savepoint belongs to the transaction
    /// even if the future is dropped before `RELEASE` answers (a savepoint left open is
    /// released by `COMMIT`): code that mirrors the savepoint's writes in memory should treat
    /// a dropped release as done, or roll the transaction back.
    pub async fn commit(self) -> Result<()> {
        let mut held = self.held.lock().await;
        match held.refuse_at(self.depth, Some(self.id)).await {
            Err(error) if error.kind() != orm_core::error::ErrorKind::SavepointAborted => {
                return Err(error);
            }
            _ => {}
        }
        held.release_savepoint(self.id).await
    }

    /// Undo what ran in the savepoint and release it; the transaction around it carries on.
    pub async fn rollback(self) -> Result<()> {
        let mut held = self.held.lock().await;
        held.rollback_savepoint(self.id).await
    }

    /// Run `work` in a savepoint nested in this one (see [`Transaction::savepoint`]).
    pub async fn savepoint<T, E, F>(&self, work: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Savepoint<'_>) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        run_savepoint(self.begin().await?, work).await
    }

    /// Set a savepoint nested in this one and return its guard (see [`Transaction::begin`]).
    pub async fn begin(&self) -> Result<Savepoint<'_>> {
        open_savepoint(self.held, self.depth, Some(self.id), self.dialect).await
    }

    async fn run_in_savepoint(&self, statements: Vec<Statement>) -> Result<Vec<u64>> {
        run_all(self.ready().await?, statements).await
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        // Harmless once committed or rolled back: the connection has forgotten the level.
        self.abandoned.store(true, Ordering::Relaxed);
    }
}

held_executor!(Savepoint<'_>, atomic: run_in_savepoint);

/// Set a savepoint inside the level `depth` deep (0: the transaction; else the savepoint
/// `parent`).
async fn open_savepoint<'t>(
    held: &'t Mutex<Held>,
    depth: usize,
    parent: Option<u64>,
    dialect: &'static dyn Dialect,
) -> Result<Savepoint<'t>> {
    let mut guard = held.lock().await;
    guard.refuse_at(depth, parent).await?;
    let (id, abandoned) = guard.open_savepoint().await?;
    Ok(Savepoint {
        held,
        dialect,
        depth: depth + 1,
        id,
        abandoned,
    })
}

/// Run `work` in `savepoint`: release it on `Ok`, roll it back on `Err` (and, through its
/// guard, on a panic or a dropped future).
async fn run_savepoint<T, E, F>(savepoint: Savepoint<'_>, work: F) -> std::result::Result<T, E>
where
    F: AsyncFnOnce(&Savepoint<'_>) -> std::result::Result<T, E>,
    E: From<Error>,
{
    match work(&savepoint).await {
        Ok(value) => {
            savepoint.commit().await?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback_error) = savepoint.rollback().await {
                tracing::warn!(target: "orm::sql", %rollback_error, "rollback to a savepoint failed");
            }
            Err(error)
        }
    }
}

/// Run statements one after another on a transaction's connection.
async fn run_all(mut held: MutexGuard<'_, Held>, statements: Vec<Statement>) -> Result<Vec<u64>> {
    let mut affected = Vec::with_capacity(statements.len());
    for statement in statements {
        affected.push(held.run_statement(statement).await?);
    }
    Ok(affected)
}
