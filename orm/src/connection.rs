//! Connections held outside the pool: [`Connection`] (one checkout for many statements) and
//! [`Transaction`], which never returns a connection to the pool with a transaction open.

use orm_core::error::{Error, Result};
use orm_core::{Dialect, Executor, RowDecoder, RowStream, Statement};
use tokio::sync::Mutex;

use crate::database::Pool;

/// A connection taken out of the pool.
pub(crate) enum Held {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
    /// Given back (after commit or rollback).
    Released,
}

/// Run `$body` with `$c` bound to the held backend connection and `$ops` to its functions.
macro_rules! on_held {
    ($held:expr, $ops:ident, $c:ident => $body:expr) => {
        match $held {
            #[cfg(feature = "sqlite")]
            Held::Sqlite($c) => {
                use crate::backend::sqlite as $ops;
                $body
            }
            #[cfg(feature = "postgres")]
            Held::Postgres($c) => {
                use crate::backend::postgres as $ops;
                $body
            }
            Held::Released => Err(Error::InvalidStatement {
                message: "the transaction has already been committed or rolled back".into(),
            }),
        }
    };
}

impl Held {
    pub(crate) async fn acquire(pool: &Pool) -> Result<Held> {
        crate::database::on_pool!(pool, ops, pool => {
            let connection = pool.acquire().await.map_err(ops::classify_error)?;
            Ok(connection.into())
        })
    }

    async fn execute(&mut self, statement: Statement) -> Result<u64> {
        on_held!(self, ops, c => ops::execute(&mut **c, statement).await)
    }

    /// The rows of a query, streamed over this connection.
    fn stream<D: RowDecoder + 'static>(
        &mut self,
        statement: Statement,
        decoder: D,
    ) -> Result<RowStream<'_, D::Output>> {
        on_held!(self, ops, c => Ok(Box::pin(ops::stream(&mut **c, statement, decoder))))
    }

    async fn control(&mut self, sql: &'static str) -> Result<()> {
        on_held!(self, ops, c => ops::control(c, sql).await)
    }

    /// Roll back in the background after the owner was dropped without finishing. A
    /// connection whose rollback fails is closed instead of going back to the pool.
    fn rollback_detached(self) {
        if matches!(self, Held::Released) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // No runtime to roll back on: close the connection; the server rolls back.
            match self {
                #[cfg(feature = "sqlite")]
                Held::Sqlite(c) => drop(c.detach()),
                #[cfg(feature = "postgres")]
                Held::Postgres(c) => drop(c.detach()),
                Held::Released => {}
            }
            return;
        };
        runtime.spawn(async move {
            match self {
                // SQLite refuses ROLLBACK only when no transaction is open (BEGIN never ran),
                // which is the state we want; never close it, it may be an in-memory database.
                #[cfg(feature = "sqlite")]
                Held::Sqlite(mut c) => {
                    let _ = crate::backend::sqlite::control(&mut c, "ROLLBACK").await;
                }
                #[cfg(feature = "postgres")]
                Held::Postgres(mut c) => {
                    if crate::backend::postgres::control(&mut c, "ROLLBACK")
                        .await
                        .is_err()
                    {
                        c.close_on_drop();
                    }
                }
                Held::Released => {}
            }
        });
    }
}

#[cfg(feature = "sqlite")]
impl From<sqlx::pool::PoolConnection<sqlx::Sqlite>> for Held {
    fn from(c: sqlx::pool::PoolConnection<sqlx::Sqlite>) -> Self {
        Held::Sqlite(c)
    }
}

#[cfg(feature = "postgres")]
impl From<sqlx::pool::PoolConnection<sqlx::Postgres>> for Held {
    fn from(c: sqlx::pool::PoolConnection<sqlx::Postgres>) -> Self {
        Held::Postgres(c)
    }
}

/// Implement [`Executor`] for `&$ty`, whose `held` field is a `Mutex<Held>`.
macro_rules! held_executor {
    ($ty:ty, atomic: $atomic:ident) => {
        impl Executor for &$ty {
            fn dialect(self) -> &'static dyn Dialect {
                self.dialect
            }

            async fn execute(self, statement: Statement) -> Result<u64> {
                self.held.lock().await.execute(statement).await
            }

            async fn execute_atomic(self, statements: Vec<Statement>) -> Result<Vec<u64>> {
                self.$atomic(statements).await
            }

            async fn fetch_all<D: RowDecoder>(
                self,
                statement: Statement,
                decoder: D,
            ) -> Result<Vec<D::Output>> {
                let mut held = self.held.lock().await;
                on_held!(&mut *held, ops, c => ops::fetch_all(&mut **c, statement, &decoder).await)
            }

            async fn fetch_optional<D: RowDecoder>(
                self,
                statement: Statement,
                decoder: D,
            ) -> Result<Option<D::Output>> {
                let mut held = self.held.lock().await;
                on_held!(&mut *held, ops, c => ops::fetch_optional(&mut **c, statement, &decoder).await)
            }

            async fn fetch_each<F>(self, statement: Statement, each: F) -> Result<()>
            where
                F: FnMut(&dyn orm_core::RowReader) -> Result<()> + Send,
            {
                let mut held = self.held.lock().await;
                on_held!(&mut *held, ops, c => ops::fetch_each(&mut **c, statement, each).await)
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
                    let mut held = self.held.lock().await;
                    let mut rows = held.stream(statement, decoder)?;
                    while let Some(row) = futures_util::StreamExt::next(&mut rows).await {
                        yield row?;
                    }
                }
            }
        }
    };
}

/// A connection held out of the pool; pass `&conn` to run statements without a checkout per
/// statement. Returned to the pool on drop.
pub struct Connection {
    held: Mutex<Held>,
    dialect: &'static dyn Dialect,
}

impl Connection {
    pub(crate) fn new(held: Held, dialect: &'static dyn Dialect) -> Self {
        Connection {
            held: Mutex::new(held),
            dialect,
        }
    }

    /// Run statements in a transaction of their own, all or nothing (one statement is atomic
    /// by itself and runs alone).
    async fn run_atomic(&self, statements: Vec<Statement>) -> Result<Vec<u64>> {
        let mut held = self.held.lock().await;
        if statements.len() == 1 {
            let statement = statements.into_iter().next().expect("one statement");
            return Ok(vec![held.execute(statement).await?]);
        }
        held.control(begin_sql(self.dialect)).await?;
        let mut affected = Vec::with_capacity(statements.len());
        for statement in statements {
            match held.execute(statement).await {
                Ok(n) => affected.push(n),
                Err(error) => {
                    let _ = held.control("ROLLBACK").await;
                    return Err(error);
                }
            }
        }
        held.control("COMMIT").await?;
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
pub struct Transaction {
    held: Mutex<Held>,
    dialect: &'static dyn Dialect,
}

impl Transaction {
    pub(crate) async fn begin(held: Held, dialect: &'static dyn Dialect) -> Result<Transaction> {
        // Own the connection before BEGIN is sent: if this future is dropped while BEGIN is in
        // flight, `Drop` still rolls back (the case sqlx issue #4385 gets wrong).
        let tx = Transaction {
            held: Mutex::new(held),
            dialect,
        };
        tx.held.lock().await.control(begin_sql(dialect)).await?;
        Ok(tx)
    }

    /// Commit and give the connection back to the pool.
    pub async fn commit(self) -> Result<()> {
        self.finish("COMMIT").await
    }

    /// Roll back and give the connection back to the pool.
    pub async fn rollback(self) -> Result<()> {
        self.finish("ROLLBACK").await
    }

    async fn finish(self, sql: &'static str) -> Result<()> {
        let mut held = self.held.lock().await;
        held.control(sql).await?;
        *held = Held::Released;
        Ok(())
    }

    async fn run_in_transaction(&self, statements: Vec<Statement>) -> Result<Vec<u64>> {
        let mut held = self.held.lock().await;
        let mut affected = Vec::with_capacity(statements.len());
        for statement in statements {
            affected.push(held.execute(statement).await?);
        }
        Ok(affected)
    }
}

held_executor!(Transaction, atomic: run_in_transaction);

impl Drop for Transaction {
    fn drop(&mut self) {
        let held = std::mem::replace(self.held.get_mut(), Held::Released);
        held.rollback_detached();
    }
}
