//! [`Database`]: a pool of connections to SQLite or PostgreSQL, chosen from the URL.

use std::time::Duration;

use orm_core::error::{Error, Result};
use orm_core::{Dialect, Executor, RowDecoder, RowStream, Schema, Statement};

use crate::connection::{Connection, Held, Transaction};

/// Which backend a [`Database`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// SQLite (file or memory).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
}

/// Run `$body` with `$p` bound to the backend's pool and `$ops` to its statement functions.
macro_rules! on_pool {
    ($pool:expr, $ops:ident, $p:ident => $body:expr) => {
        match $pool {
            #[cfg(feature = "sqlite")]
            crate::database::Pool::Sqlite($p) => {
                #[allow(unused_imports)]
                use crate::backend::sqlite as $ops;
                $body
            }
            #[cfg(feature = "postgres")]
            crate::database::Pool::Postgres($p) => {
                #[allow(unused_imports)]
                use crate::backend::postgres as $ops;
                $body
            }
        }
    };
}
pub(crate) use on_pool;

/// Pool settings for [`Database::connect_with`].
///
/// Defaults, chosen on purpose: connections are **not** pinged when handed out
/// (`test_before_acquire(false)`: the ping costs a full round trip per statement, and sqlx
/// still checks each connection when it is returned); PostgreSQL pools hold up to 10
/// connections, SQLite file pools up to 4 (one writer at a time in WAL mode); an in-memory
/// SQLite database is exactly one connection that is never closed, so every user sees the
/// same database.
#[derive(Debug, Clone)]
pub struct DatabaseOptions {
    max_connections: Option<u32>,
    min_connections: u32,
    acquire_timeout: Duration,
    busy_timeout: Duration,
    test_before_acquire: bool,
}

impl Default for DatabaseOptions {
    fn default() -> Self {
        DatabaseOptions {
            max_connections: None,
            min_connections: 0,
            acquire_timeout: Duration::from_secs(30),
            busy_timeout: Duration::from_secs(5),
            test_before_acquire: false,
        }
    }
}

impl DatabaseOptions {
    /// The defaults described above.
    pub fn new() -> Self {
        Self::default()
    }

    /// Largest number of pooled connections (ignored for in-memory SQLite, which has one).
    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = Some(n);
        self
    }

    /// Connections kept open even when idle.
    pub fn min_connections(mut self, n: u32) -> Self {
        self.min_connections = n;
        self
    }

    /// How long to wait for a free connection before `Error::Pool`.
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = timeout;
        self
    }

    /// How long SQLite waits on a locked database before `SQLITE_BUSY`.
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// Ping each connection before handing it out (one extra round trip per checkout).
    pub fn test_before_acquire(mut self, test: bool) -> Self {
        self.test_before_acquire = test;
        self
    }

    /// Connect with these options; see [`Database::connect`].
    pub async fn connect(self, url: &str) -> Result<Database> {
        Database::connect_with(url, self).await
    }
}

/// A pool of connections to one database. Cheap to clone; pass `&db` to run statements.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let db = orm::Database::connect("sqlite::memory:").await?;
/// assert_eq!(db.backend(), orm::Backend::Sqlite);
/// # Ok::<(), orm::Error>(()) }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Database {
    pub(crate) pool: Pool,
    dialect: &'static dyn Dialect,
}

fn config_error(message: String) -> Error {
    Error::Configuration { message }
}

impl Database {
    /// Connect to `url`: `sqlite:` URLs (`sqlite::memory:`, `sqlite://app.db?mode=rwc`) open
    /// SQLite, `postgres://` / `postgresql://` URLs open PostgreSQL.
    pub async fn connect(url: &str) -> Result<Database> {
        Self::connect_with(url, DatabaseOptions::default()).await
    }

    /// Connect with explicit pool options.
    pub async fn connect_with(url: &str, options: DatabaseOptions) -> Result<Database> {
        if url.starts_with("sqlite:") {
            return Self::connect_sqlite(url, options).await;
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Self::connect_postgres(url, options).await;
        }
        Err(config_error(format!(
            "cannot tell the backend from `{url}`: use a sqlite: or postgres:// URL"
        )))
    }

    #[cfg(feature = "sqlite")]
    async fn connect_sqlite(url: &str, options: DatabaseOptions) -> Result<Database> {
        let config = orm_sqlite::sqlite_config(url, options.busy_timeout)?;
        let mut pool = sqlx::pool::PoolOptions::<sqlx::Sqlite>::new()
            .acquire_timeout(options.acquire_timeout)
            .test_before_acquire(options.test_before_acquire);
        pool = if config.in_memory {
            pool.max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            pool.max_connections(options.max_connections.unwrap_or(4))
                .min_connections(options.min_connections)
        };
        let pool = pool
            .connect_with(config.options)
            .await
            .map_err(crate::backend::sqlite::classify_error)?;
        Ok(Database {
            pool: Pool::Sqlite(pool),
            dialect: &orm_sqlite::SqliteDialect,
        })
    }

    #[cfg(not(feature = "sqlite"))]
    async fn connect_sqlite(_url: &str, _options: DatabaseOptions) -> Result<Database> {
        Err(config_error(
            "SQLite support is off: enable the `sqlite` feature of orm".into(),
        ))
    }

    #[cfg(feature = "postgres")]
    async fn connect_postgres(url: &str, options: DatabaseOptions) -> Result<Database> {
        let pool = sqlx::pool::PoolOptions::<sqlx::Postgres>::new()
            .acquire_timeout(options.acquire_timeout)
            .test_before_acquire(options.test_before_acquire)
            .max_connections(options.max_connections.unwrap_or(10))
            .min_connections(options.min_connections)
            .connect(url)
            .await
            .map_err(crate::backend::postgres::classify_error)?;
        Ok(Database {
            pool: Pool::Postgres(pool),
            dialect: &orm_postgres::PgDialect,
        })
    }

    #[cfg(not(feature = "postgres"))]
    async fn connect_postgres(_url: &str, _options: DatabaseOptions) -> Result<Database> {
        Err(config_error(
            "PostgreSQL support is off: enable the `postgres` feature of orm".into(),
        ))
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        match &self.pool {
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The SQL dialect of the backend.
    pub fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }

    /// Take a connection out of the pool and hold it: statements run on `&conn` skip the
    /// pool checkout. It returns to the pool when dropped.
    pub async fn acquire(&self) -> Result<Connection> {
        let held = Held::acquire(&self.pool).await?;
        Ok(Connection::new(held, self.dialect))
    }

    /// Begin a transaction (`BEGIN IMMEDIATE` on SQLite). It rolls back when dropped without
    /// [`Transaction::commit`] — also when the future using it is dropped midway.
    pub async fn begin(&self) -> Result<Transaction> {
        let held = Held::acquire(&self.pool).await?;
        Transaction::begin(held, self.dialect).await
    }

    /// Run `work` in a transaction: commit when it returns `Ok`, roll back when it returns
    /// `Err` or panics.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let db = orm::Database::connect("sqlite::memory:").await?;
    /// let answer = db.transaction(async |_tx| Ok::<_, orm::Error>(42)).await?;
    /// assert_eq!(answer, 42);
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub async fn transaction<T, E, F>(&self, work: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Transaction) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        let tx = self.begin().await?;
        match work(&tx).await {
            Ok(value) => {
                tx.commit().await?;
                Ok(value)
            }
            Err(error) => {
                if let Err(rollback_error) = tx.rollback().await {
                    tracing::warn!(target: "orm::sql", %rollback_error, "rollback failed");
                }
                Err(error)
            }
        }
    }

    /// Create every table, index and constraint of `schema` that does not exist yet, in
    /// foreign-key order, in one transaction.
    pub async fn create_all(&self, schema: &Schema) -> Result<()> {
        let statements = schema.create_statements(self.dialect)?;
        self.execute_atomic(statements).await.map(|_| ())
    }

    /// Drop every table of `schema` that exists, dependents first, in one transaction.
    pub async fn drop_all(&self, schema: &Schema) -> Result<()> {
        let statements = schema.drop_statements(self.dialect);
        self.execute_atomic(statements).await.map(|_| ())
    }

    /// Close every connection; later statements fail with `Error::Pool`.
    pub async fn close(&self) {
        on_pool!(&self.pool, _ops, pool => pool.close().await)
    }
}

impl Executor for &Database {
    fn dialect(self) -> &'static dyn Dialect {
        self.dialect
    }

    async fn execute(self, statement: Statement) -> Result<u64> {
        on_pool!(&self.pool, ops, pool => ops::execute(pool, statement).await)
    }

    async fn execute_atomic(self, statements: Vec<Statement>) -> Result<Vec<u64>> {
        if statements.len() == 1 {
            let statement = statements.into_iter().next().expect("one statement");
            return Ok(vec![self.execute(statement).await?]);
        }
        let tx = self.begin().await?;
        let affected = (&tx).execute_atomic(statements).await?;
        tx.commit().await?;
        Ok(affected)
    }

    async fn fetch_all<D: RowDecoder>(
        self,
        statement: Statement,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        on_pool!(&self.pool, ops, pool => ops::fetch_all(pool, statement, &decoder).await)
    }

    async fn fetch_optional<D: RowDecoder>(
        self,
        statement: Statement,
        decoder: D,
    ) -> Result<Option<D::Output>> {
        on_pool!(&self.pool, ops, pool => ops::fetch_optional(pool, statement, &decoder).await)
    }

    async fn fetch_each<F>(self, statement: Statement, each: F) -> Result<()>
    where
        F: FnMut(&dyn orm_core::RowReader) -> Result<()> + Send,
    {
        on_pool!(&self.pool, ops, pool => ops::fetch_each(pool, statement, each).await)
    }

    fn fetch_stream<'e, D: RowDecoder + 'static>(
        self,
        statement: Result<Statement>,
        decoder: D,
    ) -> impl futures_core::Stream<Item = Result<D::Output>> + Send + 'e
    where
        Self: 'e,
    {
        let rows: RowStream<'e, D::Output> = match statement {
            Err(error) => Box::pin(futures_util::stream::once(async move { Err(error) })),
            Ok(statement) => {
                on_pool!(&self.pool, ops, pool => Box::pin(ops::stream(pool, statement, decoder)))
            }
        };
        rows
    }
}
