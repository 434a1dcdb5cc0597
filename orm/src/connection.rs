//! Connections held outside the pool: [`Connection`] (one checkout for many statements), and
//! [`Held`], the connection under a [`Connection`] or a [`crate::Transaction`].
//!
//! Neither ever hands the pool a connection inside a transaction, whatever await point the
//! owner's future is dropped at: [`Held`] knows when a transaction is open on it, rolls it
//! back before the connection is used again, and rolls it back (or closes the connection) in
//! the background when it is dropped with one open.

use orm_core::error::{Error, ErrorKind, Result};
use orm_core::{Dialect, Executor, RowDecoder, RowStream, Statement};
use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::{Mutex, MutexGuard};

use crate::backend::Prepared;
use crate::database::{Claim, ConnSettings, Pool, Registry};
use crate::tx_options::BeginPlan;

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

/// One savepoint open in a transaction.
struct Level {
    /// Its name is `orm_sp_{id}` (unique on the connection, so a savepoint that was never
    /// set cannot be confused with another).
    id: u64,
    /// Roll back to it before the connection is used again: its guard was dropped
    /// unfinished, or `SAVEPOINT` has not answered yet (it may not have run).
    abandoned: Arc<AtomicBool>,
}

/// A connection taken out of the pool, and what its owner left unfinished on it.
pub(crate) struct Held {
    conn: Conn,
    settings: ConnSettings,
    /// The database's models, for naming a violated constraint.
    registry: Arc<Registry>,
    /// `BEGIN` was (or may have been) sent and neither `COMMIT` nor `ROLLBACK` completed.
    in_transaction: bool,
    /// A statement that may write was sent and its future dropped before the answer came.
    interrupted: bool,
    /// The first statement inside the transaction (or its innermost savepoint: only the
    /// innermost level runs statements) that the database refused, and its kind (`None` for
    /// a cancelled statement).
    failure: Option<(String, Option<ErrorKind>)>,
    /// The savepoints open in the transaction, innermost last.
    savepoints: Vec<Level>,
    next_savepoint: u64,
    /// Undoes the transaction's connection-wide settings once it has ended.
    restore: Option<String>,
    /// The statement timeout orm keeps for a SQLite transaction.
    #[cfg(feature = "sqlite")]
    deadline: Option<orm_sqlite::StatementDeadline>,
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
            held.begin(BeginPlan::plain("BEGIN")).await?;
        }
        // A statement that may write, dropped midway, leaves its effect unknown.
        held.interrupted = !prepared.read_only();
        let $persistent = held.settings.persistent;
        held.arm_deadline();
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
        held.disarm_deadline();
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
        settings: ConnSettings,
        registry: &Arc<Registry>,
    ) -> Result<Held> {
        crate::database::on_pool!(pool, ops, pool => {
            let connection = pool.acquire().await.map_err(ops::classify_error)?;
            Ok(Held::new(connection.into(), settings, Arc::clone(registry)))
        })
    }

    fn new(conn: Conn, settings: ConnSettings, registry: Arc<Registry>) -> Held {
        Held {
            conn,
            settings,
            registry,
            in_transaction: false,
            interrupted: false,
            failure: None,
            savepoints: Vec::new(),
            next_savepoint: 0,
            restore: None,
            #[cfg(feature = "sqlite")]
            deadline: None,
        }
    }

    /// True when nothing is left open or unknown on the connection (no transaction, no
    /// statement interrupted, no failure noted, no setting to undo): it may serve another
    /// statement as it is.
    pub(crate) fn reusable(&self) -> bool {
        !self.in_transaction
            && !self.interrupted
            && self.failure.is_none()
            && self.savepoints.is_empty()
            && self.restore.is_none()
            && !matches!(self.conn, Conn::Released)
    }

    /// A stand-in for this connection once it has been given back.
    pub(crate) fn released(&self) -> Held {
        Held::new(Conn::Released, self.settings, Arc::clone(&self.registry))
    }

    /// Start the statement timeout's clock (SQLite; PostgreSQL keeps its own).
    fn arm_deadline(&self) {
        #[cfg(feature = "sqlite")]
        if let Some(deadline) = &self.deadline {
            deadline.arm();
        }
    }

    fn disarm_deadline(&self) {
        #[cfg(feature = "sqlite")]
        if let Some(deadline) = &self.deadline {
            deadline.disarm();
        }
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
    pub(crate) fn stream<D: RowDecoder + 'static>(
        &mut self,
        statement: Statement,
        decoder: D,
    ) -> Result<RowStream<'_, D::Output>> {
        let persistent = self.settings.persistent;
        self.arm_deadline();
        on_conn!(&mut self.conn, ops, c => {
            let prepared = ops::prepare(statement, false)?;
            Ok(Box::pin(ops::stream(&mut **c, prepared, persistent, decoder)))
        })
    }

    /// True when a statement outside a transaction needs one of its own (behind a
    /// transaction pooler).
    pub(crate) fn needs_wrap(&self) -> bool {
        self.settings.pooled_transactions && !self.in_transaction
    }

    async fn control(&mut self, sql: impl Into<Cow<'static, str>>) -> Result<()> {
        let sql = sql.into();
        on_conn!(&mut self.conn, ops, c => ops::control(c, sql).await)
    }

    /// Send `BEGIN` as `plan` says; from here on, dropping this connection rolls back.
    pub(crate) async fn begin(&mut self, plan: BeginPlan) -> Result<()> {
        self.in_transaction = true;
        self.failure = None;
        self.savepoints.clear();
        // Known before anything is sent, so that every way the transaction ends undoes it.
        self.restore = plan.restore;
        #[cfg(feature = "sqlite")]
        if let (Some(timeout), Conn::Sqlite(c)) = (plan.statement_timeout, &mut self.conn) {
            let deadline = orm_sqlite::StatementDeadline::new(timeout);
            self.deadline = Some(deadline.clone());
            deadline
                .install(c)
                .await
                .map_err(crate::backend::sqlite::classify_error)?;
        }
        self.control(plan.sql).await
    }

    /// The transaction has ended: undo its connection-wide settings.
    async fn ended(&mut self) {
        self.in_transaction = false;
        self.savepoints.clear();
        if let Some(restore) = self.restore.take()
            && let Err(error) = self.control(restore).await
        {
            tracing::warn!(target: "orm::sql", %error, "restoring the connection's settings after a transaction failed");
        }
        #[cfg(feature = "sqlite")]
        if let (Some(deadline), Conn::Sqlite(c)) = (self.deadline.take(), &mut self.conn)
            && let Err(error) = deadline.uninstall(c).await
        {
            tracing::warn!(target: "orm::sql", %error, "removing a statement timeout failed");
        }
    }

    /// The error for a statement on a transaction (`depth` 0) or a savepoint (`depth` n)
    /// that cannot run: a savepoint is open inside it, or a statement in it failed. Rolls
    /// back to the savepoints whose guards were dropped first.
    pub(crate) async fn refuse_at(&mut self, depth: usize, id: Option<u64>) -> Result<()> {
        self.unwind_abandoned().await;
        if self.interrupted {
            self.interrupted = false;
            self.failure
                .get_or_insert_with(|| (cancelled_statement(), None));
        }
        if self.savepoints.len() > depth {
            return Err(Error::InvalidStatement {
                message: "a savepoint is open inside this transaction: run statements on the savepoint until it is committed or rolled back".into(),
            });
        }
        if id.is_some() && self.savepoints.get(depth.wrapping_sub(1)).map(|l| l.id) != id {
            return Err(Error::InvalidStatement {
                message: "the savepoint has already been committed or rolled back".into(),
            });
        }
        match &self.failure {
            Some((reason, cause)) if depth == 0 => Err(Error::TransactionAborted {
                reason: reason.clone(),
                cause: *cause,
            }),
            Some((reason, cause)) => Err(Error::SavepointAborted {
                reason: reason.clone(),
                cause: *cause,
            }),
            None => Ok(()),
        }
    }

    /// Set a savepoint; returns its id and the flag its guard raises when dropped.
    pub(crate) async fn open_savepoint(&mut self) -> Result<(u64, Arc<AtomicBool>)> {
        let id = self.next_savepoint;
        self.next_savepoint += 1;
        let abandoned = Arc::new(AtomicBool::new(true));
        self.savepoints.push(Level {
            id,
            abandoned: Arc::clone(&abandoned),
        });
        let result = self.control(format!("SAVEPOINT orm_sp_{id}")).await;
        self.finish(&result);
        match result {
            Ok(()) => {
                abandoned.store(false, Ordering::Relaxed);
                Ok((id, abandoned))
            }
            Err(error) => {
                self.savepoints.pop();
                Err(error)
            }
        }
    }

    /// Release the innermost savepoint (`id`): what ran in it becomes part of the level
    /// around it. A savepoint a statement failed in is rolled back instead, with
    /// [`Error::SavepointAborted`].
    pub(crate) async fn release_savepoint(&mut self, id: u64) -> Result<()> {
        if let Some((reason, cause)) = self.failure.clone() {
            self.rollback_savepoint(id).await?;
            return Err(Error::SavepointAborted { reason, cause });
        }
        // Popped before RELEASE is sent: released or not, what ran in it is the outer
        // level's now (a savepoint left open is released by COMMIT and undone by ROLLBACK).
        self.savepoints.pop();
        let result = self.control(format!("RELEASE SAVEPOINT orm_sp_{id}")).await;
        self.finish(&result);
        result
    }

    /// Roll back to the innermost savepoint (`id`) and release it.
    pub(crate) async fn rollback_savepoint(&mut self, id: u64) -> Result<()> {
        // Savepoints nested in it whose guards were dropped go first.
        if let Some(error) = self.unwind_abandoned().await {
            return Err(error);
        }
        match self.savepoints.last() {
            Some(level) if level.id == id => level.abandoned.store(true, Ordering::Relaxed),
            _ => {
                return Err(Error::InvalidStatement {
                    message: "the savepoint has already been committed or rolled back".into(),
                });
            }
        }
        match self.unwind_abandoned().await {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Roll back to each savepoint on top whose guard was dropped, innermost first; the
    /// first error, if any. A level stays until its rollback has answered, so a rollback
    /// cancelled midway is sent again. When the database refuses the rollback (the whole
    /// transaction is lost), the failure stays for the level around it.
    async fn unwind_abandoned(&mut self) -> Option<Error> {
        let mut first_error = None;
        while let Some(level) = self.savepoints.last() {
            if !level.abandoned.load(Ordering::Relaxed) {
                break;
            }
            let id = level.id;
            let result = self
                .control(format!(
                    "ROLLBACK TO SAVEPOINT orm_sp_{id}; RELEASE SAVEPOINT orm_sp_{id}"
                ))
                .await;
            self.savepoints.pop();
            self.interrupted = false;
            match result {
                Ok(()) => self.failure = None,
                Err(error) => {
                    self.failure.get_or_insert_with(|| {
                        (
                            format!("rolling back to a savepoint failed: {error}"),
                            Some(error.kind()),
                        )
                    });
                    first_error.get_or_insert(error);
                }
            }
        }
        first_error
    }

    /// Send `COMMIT` or `ROLLBACK`. A failed `COMMIT` is followed by a `ROLLBACK` (SQLite
    /// keeps a transaction open when its COMMIT fails); a lost connection during `COMMIT` is
    /// [`Error::CommitUnknown`].
    pub(crate) async fn end(&mut self, sql: &'static str) -> Result<()> {
        match self.control(sql).await {
            Ok(()) => {
                self.ended().await;
                Ok(())
            }
            Err(error) if sql == "COMMIT" => {
                if error.kind() == ErrorKind::Connection {
                    return Err(commit_unknown(error));
                }
                if self.control("ROLLBACK").await.is_ok() {
                    self.ended().await;
                }
                Err(error)
            }
            Err(error) => Err(error),
        }
    }

    /// Commit the transaction unless a statement in it failed or was cancelled, in which case
    /// it is rolled back and the error says why. Savepoints whose guards were dropped are
    /// rolled back first.
    pub(crate) async fn commit(&mut self) -> Result<()> {
        self.unwind_abandoned().await;
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
    fn rollback_detached(&mut self) {
        let conn = std::mem::replace(&mut self.conn, Conn::Released);
        // Only SQLite transactions change connection-wide settings.
        #[cfg(feature = "sqlite")]
        let (restore, deadline) = (self.restore.take(), self.deadline.take());
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
                    use crate::backend::sqlite::control;
                    let _ = control(&mut c, "ROLLBACK".into()).await;
                    if let Some(restore) = restore
                        && let Err(error) = control(&mut c, restore.into()).await
                    {
                        tracing::warn!(target: "orm::sql", %error, "restoring the connection's settings after a transaction failed");
                    }
                    if let Some(deadline) = deadline {
                        let _ = deadline.uninstall(&mut c).await;
                    }
                }
                #[cfg(feature = "postgres")]
                Conn::Postgres(mut c) => {
                    if crate::backend::postgres::control(&mut c, "ROLLBACK".into())
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
            self.rollback_detached();
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
                        held.begin(BeginPlan::plain("BEGIN")).await?;
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
        held.begin(BeginPlan::plain(begin_sql(self.dialect)))
            .await?;
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

pub(crate) use held_executor;

held_executor!(Connection, atomic: run_atomic);

/// `BEGIN` for orm's own units of several statements.
fn begin_sql(dialect: &dyn Dialect) -> &'static str {
    // SQLite: take the write lock up front so two transactions cannot deadlock upgrading.
    if dialect.name() == "sqlite" {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN"
    }
}
