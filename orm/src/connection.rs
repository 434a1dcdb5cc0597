//! Connections held outside the pool: [`Connection`] (one checkout for many statements) and
//! [`Transaction`].
//!
//! Neither ever hands the pool a connection inside a transaction, whatever await point the
//! owner's future is dropped at: [`Held`] knows when a transaction is open on it, rolls it
//! back before the connection is used again, and rolls it back (or closes the connection) in
//! the background when it is dropped with one open.

use orm_core::error::{Error, ErrorKind, Result};
use orm_core::{Dialect, Executor, RowDecoder, RowStream, Statement};
use std::sync::Arc;
use tokio::sync::{Mutex, MutexGuard};

use crate::backend::Prepared;
use crate::database::{Claim, Pool, Registry, Session};

/// The backend connection of a [`Held`].
pub(crate) enum Conn {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
    /// Given back (after commit or rollback).
    Released,
}

/// Run `$body` with `$c` bound to the backend connection and `$ops` to its functions.
macro_rules! on_conn {
    ($conn:expr, $ops:ident, $c:ident => $body:expr) => {
        match $conn {
            #[cfg(feature = "sqlite")]
            Conn::Sqlite($c) => {
                use crate::backend::sqlite as $ops;
                $body
            }
            #[cfg(feature = "postgres")]
            Conn::Postgres($c) => {
                use crate::backend::postgres as $ops;
                $body
            }
            Conn::Released => Err(released()),
        }
    };
}

/// A connection taken out of the pool, and what its owner left unfinished on it.
pub(crate) struct Held {
    conn: Conn,
    session: Session,
    /// The database's models, for naming a violated constraint.
    registry: Arc<Registry>,
    /// `BEGIN` was (or may have been) sent and neither `COMMIT` nor `ROLLBACK` completed.
    in_transaction: bool,
    /// A statement that may write was sent and its future dropped before the answer came.
    interrupted: bool,
    /// The first statement inside the transaction that the database refused, and its kind
    /// (`None` for a cancelled statement).
    failure: Option<(String, Option<ErrorKind>)>,
}

/// Run one prepared statement on a [`Held`]: `$body` runs with `$c` bound to the backend
/// connection, `$p` to the encoded statement and `$persistent` to whether statements are
/// named. Behind a transaction pooler, a statement outside a transaction gets one of its own
/// (PgBouncer may hand the next message to another server once a transaction ends).
macro_rules! held_statement {
    ($held:expr, $prepared:expr, $ops:ident, $c:ident, $p:ident, $persistent:ident => $body:expr) => {{
        let held: &mut Held = $held;
        let prepared: &mut Prepared = $prepared;
        let wrap = held.needs_wrap();
        if wrap {
            held.begin("BEGIN").await?;
        }
        // A statement that may write, dropped midway, leaves its effect unknown.
        held.interrupted = !prepared.read_only();
        let $persistent = held.session.persistent;
        // A constraint violation is named from the models before anything else runs on the
        // connection (SQLite may look rows up to tell which foreign key failed).
        #[allow(unreachable_patterns)]
        let result = match (&mut held.conn, prepared) {
            #[cfg(feature = "sqlite")]
            (Conn::Sqlite($c), Prepared::Sqlite($p)) => {
                use crate::backend::sqlite as $ops;
                match $body.await {
                    Err(error) if error.constraint().is_some() => {
                        let registered = held.registry.tables();
                        Err($ops::name_violation(&mut **$c, $p, &registered, error).await)
                    }
                    result => result,
                }
            }
            #[cfg(feature = "postgres")]
            (Conn::Postgres($c), Prepared::Postgres($p)) => {
                use crate::backend::postgres as $ops;
                match $body.await {
                    Err(error) if error.constraint().is_some() => {
                        let registered = held.registry.tables();
                        Err($ops::name_violation(&mut **$c, $p, &registered, error).await)
                    }
                    result => result,
                }
            }
            (Conn::Released, _) => Err(released()),
            _ => Err(Error::InvalidStatement {
                message: "a statement prepared for another backend".into(),
            }),
        };
        held.finish(&result);
        if wrap {
            let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
            held.end(end).await?;
            held.failure = None;
        }
        result
    }};
}

fn released() -> Error {
    Error::InvalidStatement {
        message: "the transaction has already been committed or rolled back".into(),
    }
}

impl Held {
    pub(crate) async fn acquire(
        pool: &Pool,
        session: Session,
        registry: &Arc<Registry>,
    ) -> Result<Held> {
        crate::database::on_pool!(pool, ops, pool => {
            let connection = pool.acquire().await.map_err(ops::classify_error)?;
            Ok(Held::new(connection.into(), session, Arc::clone(registry)))
        })
    }

    fn new(conn: Conn, session: Session, registry: Arc<Registry>) -> Held {
        Held {
            conn,
            session,
            registry,
            in_transaction: false,
            interrupted: false,
            failure: None,
        }
    }

    fn released(&self) -> Held {
        Held::new(Conn::Released, self.session, Arc::clone(&self.registry))
    }

    /// Note a statement's answer: a refusal by the database aborts the transaction (as
    /// PostgreSQL does; orm holds SQLite to the same rule), and so does a lost connection.
    fn finish<T>(&mut self, result: &Result<T>) {
        self.interrupted = false;
        if let Err(error) = result
            && (error.is_reported_by_database() || error.kind() == ErrorKind::Connection)
        {
            self.failure
                .get_or_insert_with(|| (error.to_string(), Some(error.kind())));
        }
    }

    /// Encode `statement` for this connection's backend; `keep`: it may be sent again.
    pub(crate) fn prepare(&self, statement: Statement, keep: bool) -> Result<Prepared> {
        let backend = match &self.conn {
            #[cfg(feature = "sqlite")]
            Conn::Sqlite(_) => crate::Backend::Sqlite,
            #[cfg(feature = "postgres")]
            Conn::Postgres(_) => crate::Backend::Postgres,
            Conn::Released => return Err(released()),
        };
        Prepared::new(backend, statement, keep)
    }

    pub(crate) async fn execute(&mut self, prepared: &mut Prepared) -> Result<u64> {
        held_statement!(self, prepared, ops, c, p, persistent => ops::execute(&mut **c, p, persistent))
    }

    pub(crate) async fn fetch_all<D: RowDecoder>(
        &mut self,
        prepared: &mut Prepared,
        decoder: &D,
    ) -> Result<Vec<D::Output>> {
        held_statement!(self, prepared, ops, c, p, persistent => ops::fetch_all(&mut **c, p, persistent, decoder))
    }

    pub(crate) async fn fetch_optional<D: RowDecoder>(
        &mut self,
        prepared: &mut Prepared,
        decoder: &D,
    ) -> Result<Option<D::Output>> {
        held_statement!(self, prepared, ops, c, p, persistent => ops::fetch_optional(&mut **c, p, persistent, decoder))
    }

    pub(crate) async fn fetch_each<F>(&mut self, prepared: &mut Prepared, mut each: F) -> Result<()>
    where
        F: FnMut(&dyn orm_core::RowReader) -> Result<()> + Send,
    {
        held_statement!(self, prepared, ops, c, p, persistent => ops::fetch_each(&mut **c, p, persistent, &mut each))
    }

    /// Run one statement, encoded here.
    pub(crate) async fn run_statement(&mut self, statement: Statement) -> Result<u64> {
        let mut prepared = self.prepare(statement, false)?;
        self.execute(&mut prepared).await
    }

    /// The rows of a query, streamed over this connection. A stream dropped early leaves
    /// nothing unknown (its statement ran whole), so it is not tracked as interrupted. Behind
    /// a transaction pooler the caller wraps it in a transaction (see [`Held::needs_wrap`]).
    fn stream<D: RowDecoder + 'static>(
        &mut self,
        statement: Statement,
        decoder: D,
    ) -> Result<RowStream<'_, D::Output>> {
        let persistent = self.session.persistent;
        on_conn!(&mut self.conn, ops, c => {
            let prepared = ops::prepare(statement, false)?;
            Ok(Box::pin(ops::stream(&mut **c, prepared, persistent, decoder)))
        })
    }

    /// True when a statement outside a transaction needs one of its own (behind a
    /// transaction pooler).
    fn needs_wrap(&self) -> bool {
        self.session.pooled_transactions && !self.in_transaction
    }

    async fn control(&mut self, sql: &'static str) -> Result<()> {
        on_conn!(&mut self.conn, ops, c => ops::control(c, sql).await)
    }

    /// Send `BEGIN`; from here on, dropping this connection rolls back.
    async fn begin(&mut self, sql: &'static str) -> Result<()> {
        self.in_transaction = true;
        self.failure = None;
        self.control(sql).await
    }

    /// Send `COMMIT` or `ROLLBACK`. A failed `COMMIT` is followed by a `ROLLBACK` (SQLite
    /// keeps a transaction open when its COMMIT fails); a lost connection during `COMMIT` is
    /// [`Error::CommitUnknown`].
    async fn end(&mut self, sql: &'static str) -> Result<()> {
        match self.control(sql).await {
            Ok(()) => {
                self.in_transaction = false;
                Ok(())
            }
            Err(error) if sql == "COMMIT" => {
                if error.kind() == ErrorKind::Connection {
                    return Err(commit_unknown(error));
                }
                if self.control("ROLLBACK").await.is_ok() {
                    self.in_transaction = false;
                }
                Err(error)
            }
            Err(error) => Err(error),
        }
    }

    /// Commit the transaction unless a statement in it failed or was cancelled, in which case
    /// it is rolled back and the error says why.
    async fn commit(&mut self) -> Result<()> {
        if self.interrupted {
            self.failure
                .get_or_insert_with(|| (cancelled_statement(), None));
        }
        match self.failure.take() {
            Some((reason, cause)) => {
                // A rollback that fails (the connection is gone) still ends the transaction:
                // the server rolls back what it never saw committed.
                if let Err(error) = self.end("ROLLBACK").await {
                    tracing::debug!(target: "orm::sql", %error, "rollback of an aborted transaction failed");
                }
                Err(Error::TransactionAborted { reason, cause })
            }
            None => self.end("COMMIT").await,
        }
    }

    /// Roll back in the background: the owner was dropped with a transaction open. A
    /// connection whose rollback fails is closed instead of going back to the pool.
    fn rollback_detached(conn: Conn) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // No runtime to roll back on: close the connection; the server rolls back.
            match conn {
                #[cfg(feature = "sqlite")]
                Conn::Sqlite(c) => drop(c.detach()),
                #[cfg(feature = "postgres")]
                Conn::Postgres(c) => drop(c.detach()),
                Conn::Released => {}
            }
            return;
        };
        runtime.spawn(async move {
            match conn {
                // SQLite refuses ROLLBACK only when no transaction is open (BEGIN never ran),
                // which is the state we want; never close it, it may be an in-memory database.
                #[cfg(feature = "sqlite")]
                Conn::Sqlite(mut c) => {
                    let _ = crate::backend::sqlite::control(&mut c, "ROLLBACK").await;
                }
                #[cfg(feature = "postgres")]
                Conn::Postgres(mut c) => {
                    if crate::backend::postgres::control(&mut c, "ROLLBACK")
                        .await
                        .is_err()
                    {
                        c.close_on_drop();
                    }
                }
                Conn::Released => {}
            }
        });
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.in_transaction {
            Held::rollback_detached(std::mem::replace(&mut self.conn, Conn::Released));
        }
    }
}

fn cancelled_statement() -> String {
    "a statement in it was cancelled before it finished, so what it wrote is unknown".into()
}

fn commit_unknown(error: Error) -> Error {
    Error::CommitUnknown {
        message: error.to_string(),
        source: Box::new(error),
    }
}

#[cfg(feature = "sqlite")]
impl From<sqlx::pool::PoolConnection<sqlx::Sqlite>> for Conn {
    fn from(c: sqlx::pool::PoolConnection<sqlx::Sqlite>) -> Self {
        Conn::Sqlite(c)
    }
}

#[cfg(feature = "postgres")]
impl From<sqlx::pool::PoolConnection<sqlx::Postgres>> for Conn {
    fn from(c: sqlx::pool::PoolConnection<sqlx::Postgres>) -> Self {
        Conn::Postgres(c)
    }
}

/// Implement [`Executor`] for `&$ty`, which has `ready()` (its [`Held`], checked) and
/// `$atomic` (its `execute_atomic`).
macro_rules! held_executor {
    ($ty:ty, atomic: $atomic:ident) => {
        impl Executor for &$ty {
            fn dialect(self) -> &'static dyn Dialect {
                self.dialect
            }

            async fn execute(self, statement: Statement) -> Result<u64> {
                self.ready().await?.run_statement(statement).await
            }

            async fn execute_atomic(self, statements: Vec<Statement>) -> Result<Vec<u64>> {
                self.$atomic(statements).await
            }

            async fn fetch_all<D: RowDecoder>(
                self,
                statement: Statement,
                decoder: D,
            ) -> Result<Vec<D::Output>> {
                let mut held = self.ready().await?;
                let mut prepared = held.prepare(statement, false)?;
                held.fetch_all(&mut prepared, &decoder).await
            }

            async fn fetch_optional<D: RowDecoder>(
                self,
                statement: Statement,
                decoder: D,
            ) -> Result<Option<D::Output>> {
                let mut held = self.ready().await?;
                let mut prepared = held.prepare(statement, false)?;
                held.fetch_optional(&mut prepared, &decoder).await
            }

            async fn fetch_each<F>(self, statement: Statement, each: F) -> Result<()>
            where
                F: FnMut(&dyn orm_core::RowReader) -> Result<()> + Send,
            {
                let mut held = self.ready().await?;
                let mut prepared = held.prepare(statement, false)?;
                held.fetch_each(&mut prepared, each).await
            }

            fn fetch_stream<'e, D: RowDecoder + 'static>(
                self,
                statement: Result<Statement>,
                decoder: D,
            ) -> impl futures_core::Stream<Item = Result<D::Output>> + Send + 'e
            where
                Self: 'e,
            {
                async_stream::try_stream! {
                    let statement = statement?;
                    let mut held = self.ready().await?;
                    let wrap = held.needs_wrap();
                    if wrap {
                        held.begin("BEGIN").await?;
                    }
                    let mut rows = held.stream(statement, decoder)?;
                    while let Some(row) = futures_util::StreamExt::next(&mut rows).await {
                        yield row?;
                    }
                    drop(rows);
                    if wrap {
                        held.end("COMMIT").await?;
                    }
                }
            }
        }
    };
}

/// A connection held out of the pool; pass `&conn` to run statements without a checkout per
/// statement. Returned to the pool on drop.
///
/// Statements on it run one at a time, each committed on its own; the few operations that
/// run several statements as a unit ([`Executor::execute_atomic`]: a chunked `insert_many`,
/// `create_all`) wrap them in a transaction of their own, which is rolled back if the
/// operation's future is dropped before it finishes.
pub struct Connection {
    /// The in-memory database's single connection is this one's (dropped first).
    _claim: Option<Claim>,
    held: Mutex<Held>,
    dialect: &'static dyn Dialect,
}

impl Connection {
    pub(crate) fn new(held: Held, dialect: &'static dyn Dialect, claim: Option<Claim>) -> Self {
        Connection {
            _claim: claim,
            held: Mutex::new(held),
            dialect,
        }
    }

    /// The connection, after rolling back a unit of work that was cancelled midway.
    async fn ready(&self) -> Result<MutexGuard<'_, Held>> {
        let mut held = self.held.lock().await;
        if held.in_transaction {
            match held.end("ROLLBACK").await {
                Ok(()) => {}
                // The connection is gone: say so (dropping it closes it).
                Err(error) if error.kind() == ErrorKind::Connection => return Err(error),
                // SQLite refuses ROLLBACK when the cancelled unit's BEGIN never ran: no
                // transaction is open, which is the state wanted.
                Err(_) => held.in_transaction = false,
            }
        }
        held.interrupted = false;
        held.failure = None;
        Ok(held)
    }

    /// Run statements in a transaction of their own, all or nothing (one statement is atomic
    /// by itself and runs alone).
    async fn run_atomic(&self, statements: Vec<Statement>) -> Result<Vec<u64>> {
        let mut held = self.ready().await?;
        if statements.len() == 1 {
            let statement = statements.into_iter().next().expect("one statement");
            return Ok(vec![held.run_statement(statement).await?]);
        }
        held.begin(begin_sql(self.dialect)).await?;
        let mut affected = Vec::with_capacity(statements.len());
        for statement in statements {
            match held.run_statement(statement).await {
                Ok(n) => affected.push(n),
                Err(error) => {
                    let _ = held.end("ROLLBACK").await;
                    return Err(error);
                }
            }
        }
        held.end("COMMIT").await?;
        Ok(affected)
    }
}

held_executor!(Connection, atomic: run_atomic);

fn begin_sql(dialect: &dyn Dialect) -> &'static str {
    // SQLite: take the write lock up front so two transactions cannot deadlock upgrading.
    if dialect.name() == "sqlite" {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN"
    }
}

/// A database transaction; pass `&tx` to run statements in it.
///
/// Finish it with [`Transaction::commit`] or [`Transaction::rollback`]. Dropped unfinished —
/// by an early return, a panic, or a cancelled future — it is rolled back before its
/// connection goes back to the pool (and the connection is closed if that fails).
///
/// A statement the database refuses (a constraint violation, an error in the SQL) aborts
/// the transaction, as PostgreSQL does, on every backend: later statements in it fail with
/// [`ErrorKind::TransactionAborted`] before they are sent, and `commit` rolls back and
/// returns that error. A statement that may write and whose future is dropped midway
/// (a timeout around one insert) aborts it too, since what it wrote is unknown.
pub struct Transaction {
    /// The in-memory database's single connection is this one's (dropped first).
    claim: Option<Claim>,
    held: Mutex<Held>,
    dialect: &'static dyn Dialect,
}

impl Transaction {
    pub(crate) async fn begin(
        held: Held,
        dialect: &'static dyn Dialect,
        claim: Option<Claim>,
    ) -> Result<Transaction> {
        // Own the connection before BEGIN is sent: if this future is dropped while BEGIN is in
        // flight, dropping the connection still rolls back (the case sqlx issue #4385 gets
        // wrong).
        let tx = Transaction {
            claim,
            held: Mutex::new(held),
            dialect,
        };
        tx.held.lock().await.begin(begin_sql(dialect)).await?;
        Ok(tx)
    }

    /// The claim on an in-memory database's single connection this transaction holds.
    pub(crate) fn claim_id(&self) -> Option<u64> {
        self.claim.as_ref().map(Claim::id)
    }

    /// The connection, unless the transaction was aborted.
    async fn ready(&self) -> Result<MutexGuard<'_, Held>> {
        let mut held = self.held.lock().await;
        if held.interrupted {
            held.interrupted = false;
            held.failure
                .get_or_insert_with(|| (cancelled_statement(), None));
        }
        match &held.failure {
            Some((reason, cause)) => Err(Error::TransactionAborted {
                reason: reason.clone(),
                cause: *cause,
            }),
            None => Ok(held),
        }
    }

    /// Commit and give the connection back to the pool.
    ///
    /// Once called, the commit runs to its end even if this future is dropped (it finishes in
    /// the background), so a cancelled caller can rely on the transaction having committed
    /// unless the database refused it. A transaction that was aborted (see [`Transaction`])
    /// is rolled back instead, with [`ErrorKind::TransactionAborted`]; a connection lost
    /// while COMMIT was in flight is [`ErrorKind::CommitUnknown`].
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

    async fn run_in_transaction(&self, statements: Vec<Statement>) -> Result<Vec<u64>> {
        let mut held = self.ready().await?;
        let mut affected = Vec::with_capacity(statements.len());
        for statement in statements {
            affected.push(held.run_statement(statement).await?);
        }
        Ok(affected)
    }
}

held_executor!(Transaction, atomic: run_in_transaction);
