//! [`Database`]: a pool of connections to SQLite or PostgreSQL, chosen from the URL.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex as SyncMutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use orm_core::error::{Error, ErrorKind, Result};
use orm_core::executor::DynExecutor;
use orm_core::meta::TableMeta;
use orm_core::{Dialect, Executor, RowDecoder, Schema, Statement};

use crate::backend::Prepared;
use crate::connection::{Connection, Held};
use crate::transaction::Transaction;
use crate::tx_options::{TransactionError, TxOptions};

/// Which backend a [`Database`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// SQLite (file or memory).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Backend {
    /// The typed [`Error`] orm gives for `error`, an error sqlx returned on this backend: for
    /// code that runs hand-written sqlx beside orm and wants one error type — constraint
    /// violations typed with what the database names, contention retryable, a lost
    /// connection [`ErrorKind::Connection`], as orm's own statements report them.
    ///
    /// ```
    /// use orm::{Backend, ErrorKind};
    ///
    /// let error = Backend::Sqlite.error_from_sqlx(sqlx::Error::PoolTimedOut);
    /// assert_eq!(error.kind(), ErrorKind::Pool);
    /// ```
    pub fn error_from_sqlx(self, error: sqlx::Error) -> Error {
        match self {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => crate::backend::sqlite::classify_error(error),
            #[cfg(feature = "postgres")]
            Backend::Postgres => crate::backend::postgres::classify_error(error),
            #[allow(unreachable_patterns)]
            _ => Error::Database {
                code: None,
                message: error.to_string(),
                source: Box::new(error),
            },
        }
    }
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

/// How statements are sent on a database's connections.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnSettings {
    /// Statements are named prepared statements, cached per connection.
    pub(crate) persistent: bool,
    /// Behind a transaction pooler: a statement outside a transaction gets one of its own.
    pub(crate) pooled_transactions: bool,
    /// SQLite's busy timeout, restored after a transaction with a lock timeout of its own.
    pub(crate) busy_timeout: Duration,
}

/// Pool settings for [`Database::connect_with`].
///
/// Defaults, chosen on purpose: connections are **not** pinged when handed out
/// (`test_before_acquire(false)`: the ping costs a full round trip per statement), except a
/// PostgreSQL connection that sat idle for a second or more, or any connection while the pool
/// has just seen one die (see [`DatabaseOptions::ping_after_idle`]); PostgreSQL pools hold up
/// to 10 connections, SQLite file pools up to 4 (one writer at a time in WAL mode); an
/// in-memory SQLite database is exactly one connection that is never closed, so every user
/// sees the same database.
///
/// A statement run through `&Database` keeps its connection for the next statement when it
/// finished cleanly (no transaction open, nothing interrupted), for up to `ping_after_idle`:
/// sqlx pings every connection given back to its pool, which made a pooled one-row statement
/// cost about twice one on a held connection. A kept connection goes back to the pool at once
/// when a task is waiting for one, and after `ping_after_idle` or while the database suspects
/// its connections (so the pool's checks still find a dead one).
#[derive(Debug, Clone)]
pub struct DatabaseOptions {
    max_connections: Option<u32>,
    min_connections: u32,
    acquire_timeout: Duration,
    busy_timeout: Duration,
    test_before_acquire: bool,
    ping_after_idle: Duration,
    transaction_pooling: bool,
    replicas: Vec<String>,
    replica_timeout: Duration,
}

impl Default for DatabaseOptions {
    fn default() -> Self {
        DatabaseOptions {
            max_connections: None,
            min_connections: 0,
            acquire_timeout: Duration::from_secs(30),
            busy_timeout: Duration::from_secs(5),
            test_before_acquire: false,
            ping_after_idle: Duration::from_secs(1),
            transaction_pooling: false,
            replicas: Vec::new(),
            replica_timeout: Duration::from_millis(500),
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

    /// PostgreSQL: ping a pooled connection before handing it out when it sat idle this long
    /// (default 1 s), so that one the server closed meanwhile (a restart, an idle timeout, a
    /// killed backend) is replaced instead of failing a statement. Connections in steady use
    /// are never pinged. After a connection is found dead, every checkout pings for a few
    /// seconds, and a read (a plain `SELECT`) that meets a dead connection runs again on
    /// another one.
    pub fn ping_after_idle(mut self, idle: Duration) -> Self {
        self.ping_after_idle = idle;
        self
    }

    /// PostgreSQL behind a transaction-pooling proxy (PgBouncer `pool_mode = transaction`,
    /// which hands each transaction to any server connection): statements are unnamed (no
    /// prepared statement outlives its transaction) and a statement outside a transaction
    /// runs in one of its own, so that its prepare and execute reach the same server. Costs
    /// two round trips per such statement; session state (`SET`, advisory locks, `LISTEN`)
    /// does not survive between transactions there.
    ///
    /// ```no_run
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let db = orm::DatabaseOptions::new()
    ///     .transaction_pooling(true)
    ///     .connect("postgres://app@pgbouncer:6432/shop")
    ///     .await?;
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub fn transaction_pooling(mut self, on: bool) -> Self {
        self.transaction_pooling = on;
        self
    }

    /// A read replica (PostgreSQL): plain reads through `&db` go to a replica, writes,
    /// transactions, held connections and row locks to the primary. A replica that cannot
    /// be reached is skipped for a few seconds (reads go to the primary). Replicas lag:
    /// a read through `&db` right after a write may not see it; read your own writes in a
    /// transaction, on a held connection, or through [`Database::primary`].
    ///
    /// ```no_run
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use orm::DatabaseOptions;
    /// let db = DatabaseOptions::new()
    ///     .replica("postgres://app@replica-1/shop")
    ///     .replica("postgres://app@replica-2/shop")
    ///     .connect("postgres://app@primary/shop")
    ///     .await?;
    /// let fresh = db.primary(); // reads here see every committed write
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub fn replica(mut self, url: impl Into<String>) -> Self {
        self.replicas.push(url.into());
        self
    }

    /// How long a read waits for a replica connection before it goes to the primary
    /// (default 500 ms).
    pub fn replica_timeout(mut self, timeout: Duration) -> Self {
        self.replica_timeout = timeout;
        self
    }

    /// Connect with these options; see [`Database::connect`].
    pub async fn connect(self, url: &str) -> Result<Database> {
        Database::connect_with(url, self).await
    }
}

/// What a database has seen of its connections' health, shared by its clones.
#[derive(Debug)]
struct Health {
    started: Instant,
    /// Until this many milliseconds after `started`, every checkout pings.
    suspect_until: AtomicU64,
}

impl Health {
    fn new() -> Arc<Health> {
        Arc::new(Health {
            started: Instant::now(),
            suspect_until: AtomicU64::new(0),
        })
    }

    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// A connection was found dead: for a while, check every one before use.
    fn suspect(&self) {
        self.suspect_until
            .store(self.now() + SUSPECT_FOR_MS, AtomicOrdering::Relaxed);
    }

    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    fn is_suspect(&self) -> bool {
        self.suspect_until.load(AtomicOrdering::Relaxed) > self.now()
    }
}

/// How long a database pings every checkout after it found a dead connection, and how long
/// an unreachable replica is skipped.
const SUSPECT_FOR_MS: u64 = 5_000;

/// How many connections a statement tries when each one it gets turns out dead.
const RETRY_ATTEMPTS: usize = 3;

/// The models a database knows of, registered by [`Database::create_all`] and
/// [`Database::register`] in creation order: with the statement's own model, what names the
/// table, constraint, columns and fields of a constraint a statement violated (see
/// [`orm_core::constraint`]), also for tables no statement wrote (the child that blocks a
/// parent's delete).
#[derive(Debug, Default)]
pub(crate) struct Registry {
    tables: RwLock<Vec<&'static TableMeta>>,
}

impl Registry {
    fn add(&self, schema: &Schema) {
        let mut tables = self.tables.write().unwrap_or_else(PoisonError::into_inner);
        for table in schema.creation_order() {
            if !tables.iter().any(|known| known.name == table.name) {
                tables.push(table);
            }
        }
    }

    /// The registered tables (read on the error path only).
    pub(crate) fn tables(&self) -> Vec<&'static TableMeta> {
        self.tables
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Where code runs: in a tokio task, or outside any (a runtime's `block_on`, which keeps its
/// future on the calling thread, a thread running one `block_on` at a time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Task(tokio::task::Id),
    Thread(std::thread::ThreadId),
}

impl Context {
    fn current() -> Context {
        match tokio::task::try_id() {
            Some(id) => Context::Task(id),
            None => Context::Thread(std::thread::current().id()),
        }
    }
}

tokio::task_local! {
    /// The `db.transaction(..)` closures of in-memory databases being polled, innermost
    /// last: (the database's [`SingleConnection`], the transaction's claim).
    static UNITS: Vec<(usize, u64)>;
}

/// What holds the single connection of an in-memory SQLite database for longer than one
/// statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    /// A [`Transaction`].
    Transaction,
    /// A [`Connection`] from [`Database::acquire`].
    Connection,
}

/// Whose the holder is, for telling a statement that could only wait forever for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// The work of a `db.transaction(..)` closure: statements polled inside it.
    Closure,
    /// A value a task holds (`db.begin()`, `db.acquire()`): statements of that task.
    Task(Context),
}

/// How a transaction claims the single connection of an in-memory database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claiming {
    /// For a `db.transaction(..)` closure.
    Closure,
    /// For the task that called `db.begin()`.
    Task,
    /// orm's own unit of several statements (`execute_atomic` on `&db`): it finishes
    /// without waiting on anything else, so statements may wait their turn.
    Nothing,
}

/// The only connection of an in-memory SQLite database, and what holds it checked out
/// beyond one statement (shared by the database's clones).
///
/// A statement through `&db` that could only wait forever for the connection fails at once
/// with [`Error::ConnectionHeld`]: one polled inside the `db.transaction(..)` closure whose
/// transaction has it (the closure waits on the statement, the transaction on the closure),
/// or one in the task that holds the transaction of `db.begin()` or the connection of
/// `db.acquire()` (that task would have to finish it first). Any other statement waits as
/// usual: its wait ends when the holder finishes. Plain statements, which hold the
/// connection only while they run, claim nothing, so concurrent statements from several
/// tasks, or joined in one, wait their turn; so do concurrent `db.transaction(..)` closures
/// joined in one task. Concurrent `db.begin()` units joined in one task are refused: that
/// task owns the open one; use `db.transaction(..)` or separate tasks for them.
#[derive(Debug, Default)]
pub(crate) struct SingleConnection {
    holder: SyncMutex<Option<(u64, Owner, Holder)>>,
    next_claim: AtomicU64,
}

/// A claim on the single connection of an in-memory SQLite database by a transaction or
/// held connection: taken right after the connection was checked out (with no await point
/// between), given up when the holder is dropped, committed or rolled back.
#[derive(Debug)]
pub(crate) struct Claim {
    single: Arc<SingleConnection>,
    id: u64,
}

impl Claim {
    /// This claim's number.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let mut holder = self
            .single
            .holder
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // A later holder's claim is not ours to clear.
        if holder.is_some_and(|(id, _, _)| id == self.id) {
            *holder = None;
        }
    }
}

impl SingleConnection {
    /// This database's key in [`UNITS`].
    fn key(self: &Arc<Self>) -> usize {
        Arc::as_ptr(self) as usize
    }

    /// Record that `holder` of `owner` has the connection.
    fn claim(self: &Arc<Self>, owner: Owner, holder: Holder) -> Claim {
        let id = self.next_claim.fetch_add(1, AtomicOrdering::Relaxed);
        *self.holder.lock().unwrap_or_else(PoisonError::into_inner) = Some((id, owner, holder));
        Claim {
            single: Arc::clone(self),
            id,
        }
    }

    /// [`Error::ConnectionHeld`] when the statement about to wait for the connection is one
    /// its holder waits on (see [`SingleConnection`]). Race-free: such a holder cannot let
    /// go of the connection while the statement is being asked for (its closure, or its
    /// task, is busy asking), and any other holder's state does not change the answer.
    fn refuse_own_holder(self: &Arc<Self>) -> Result<()> {
        let holder = *self.holder.lock().unwrap_or_else(PoisonError::into_inner);
        let Some((id, owner, holder)) = holder else {
            return Ok(());
        };
        let waits_on_itself = match owner {
            Owner::Closure => UNITS
                .try_with(|units| units.contains(&(self.key(), id)))
                .unwrap_or(false),
            Owner::Task(context) => context == Context::current(),
        };
        if !waits_on_itself {
            return Ok(());
        }
        Err(match holder {
            Holder::Transaction => Error::ConnectionHeld {
                holder: "transaction",
                fix: "&tx",
            },
            Holder::Connection => Error::ConnectionHeld {
                holder: "connection",
                fix: "&conn",
            },
        })
    }
}

/// A read replica and when it may be tried again.
#[derive(Debug)]
struct Replica {
    pool: Pool,
    down_until: AtomicU64,
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
    replicas: Arc<[Replica]>,
    next_replica: Arc<AtomicUsize>,
    health: Arc<Health>,
    settings: ConnSettings,
    dialect: &'static dyn Dialect,
    /// The models of its tables, for naming violated constraints.
    registry: Arc<Registry>,
    /// Set for an in-memory SQLite database: its one connection.
    single: Option<Arc<SingleConnection>>,
    /// Connections of the primary pool kept between statements (not for an in-memory
    /// SQLite database, whose one connection has rules of its own).
    parked: Option<Arc<crate::parked::Parked>>,
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
            if !options.replicas.is_empty() || options.transaction_pooling {
                return Err(config_error(
                    "read replicas and transaction pooling are PostgreSQL options".into(),
                ));
            }
            return Self::connect_sqlite(url, options).await;
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Self::connect_postgres(url, options).await;
        }
        Err(config_error(format!(
            "cannot tell the backend from `{url}`: use a sqlite: or postgres:// URL"
        )))
    }

    fn new(
        pool: Pool,
        replicas: Vec<Pool>,
        settings: ConnSettings,
        health: Arc<Health>,
        single_connection: bool,
        ping_after_idle: Duration,
    ) -> Database {
        let dialect: &'static dyn Dialect = match &pool {
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(_) => &orm_sqlite::SqliteDialect,
            #[cfg(feature = "postgres")]
            Pool::Postgres(_) => &orm_postgres::PgDialect,
        };
        Database {
            pool,
            replicas: replicas
                .into_iter()
                .map(|pool| Replica {
                    pool,
                    down_until: AtomicU64::new(0),
                })
                .collect(),
            next_replica: Arc::new(AtomicUsize::new(0)),
            health,
            settings,
            dialect,
            registry: Arc::default(),
            single: single_connection.then(Arc::default),
            parked: (!single_connection)
                .then(|| Arc::new(crate::parked::Parked::new(ping_after_idle))),
        }
    }

    #[cfg(feature = "sqlite")]
    async fn connect_sqlite(url: &str, options: DatabaseOptions) -> Result<Database> {
        let config = orm_sqlite::sqlite_config(url, options.busy_timeout)?;
        let mut pool = sqlx::pool::PoolOptions::<sqlx::Sqlite>::new()
            .acquire_timeout(options.acquire_timeout)
            .test_before_acquire(options.test_before_acquire)
            // orm's exact decimal arithmetic runs in functions of its own.
            .after_connect(|conn, _| Box::pin(orm_sqlite::register_functions(conn)));
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
        let settings = ConnSettings {
            persistent: true,
            pooled_transactions: false,
            busy_timeout: options.busy_timeout,
        };
        Ok(Database::new(
            Pool::Sqlite(pool),
            Vec::new(),
            settings,
            Health::new(),
            config.in_memory,
            options.ping_after_idle,
        ))
    }

    #[cfg(not(feature = "sqlite"))]
    async fn connect_sqlite(_url: &str, _options: DatabaseOptions) -> Result<Database> {
        Err(config_error(
            "SQLite support is off: enable the `sqlite` feature of orm".into(),
        ))
    }

    #[cfg(feature = "postgres")]
    async fn connect_postgres(url: &str, options: DatabaseOptions) -> Result<Database> {
        let health = Health::new();
        let pool_options = |acquire_timeout: Duration| {
            let health = Arc::clone(&health);
            let ping_after_idle = options.ping_after_idle;
            sqlx::pool::PoolOptions::<sqlx::Postgres>::new()
                .acquire_timeout(acquire_timeout)
                .test_before_acquire(options.test_before_acquire)
                .max_connections(options.max_connections.unwrap_or(10))
                .min_connections(options.min_connections)
                .before_acquire(move |conn, meta| {
                    let ping = meta.idle_for >= ping_after_idle || health.is_suspect();
                    Box::pin(async move {
                        if ping {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
        };
        let connect_options = |url: &str| -> Result<sqlx::postgres::PgConnectOptions> {
            let parsed: sqlx::postgres::PgConnectOptions = url.parse().map_err(|error| {
                config_error(format!("invalid PostgreSQL URL `{url}`: {error}"))
            })?;
            // Behind a transaction pooler no prepared statement may outlive its transaction.
            Ok(if options.transaction_pooling {
                parsed.statement_cache_capacity(0)
            } else {
                parsed
            })
        };
        let pool = pool_options(options.acquire_timeout)
            .connect_with(connect_options(url)?)
            .await
            .map_err(crate::backend::postgres::classify_error)?;
        // Replicas connect on first use: one that is down does not stop the application.
        let mut replicas = Vec::new();
        for replica in &options.replicas {
            let replica_pool = pool_options(options.replica_timeout.min(options.acquire_timeout))
                .connect_lazy_with(connect_options(replica)?);
            replicas.push(Pool::Postgres(replica_pool));
        }
        let settings = ConnSettings {
            persistent: !options.transaction_pooling,
            pooled_transactions: options.transaction_pooling,
            busy_timeout: options.busy_timeout,
        };
        Ok(Database::new(
            Pool::Postgres(pool),
            replicas,
            settings,
            health,
            false,
            options.ping_after_idle,
        ))
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

    /// This database without its read replicas: every statement through it goes to the
    /// primary, so a read sees the writes before it.
    pub fn primary(&self) -> Database {
        Database {
            replicas: Arc::from(Vec::new()),
            ..self.clone()
        }
    }

    /// Check a connection out of `pool` for a statement or unit of work of this database.
    /// An in-memory SQLite database refuses at once ([`Error::ConnectionHeld`]) when the
    /// caller could only wait forever for its one connection (see [`SingleConnection`]).
    async fn checkout(&self, pool: &Pool) -> Result<Held> {
        if let Some(single) = &self.single {
            single.refuse_own_holder()?;
        }
        let parked = self.parked_for(pool);
        // Counted as waiting from before the look until the pool answers (see `parked`).
        let _waiting = parked.map(crate::parked::Parked::wait);
        if let Some(held) = parked.and_then(|p| p.take(self.health.is_suspect())) {
            return Ok(held);
        }
        Held::acquire(pool, self.settings, &self.registry).await
    }

    /// The parked connections of `pool`: the primary's (replicas give theirs back).
    fn parked_for(&self, pool: &Pool) -> Option<&crate::parked::Parked> {
        self.parked
            .as_deref()
            .filter(|_| std::ptr::eq(pool, &self.pool))
    }

    /// A statement through `&self` finished on `held`, from `pool`: keep the connection for
    /// the next one when it is clean (see [`crate::parked`]), else give it back.
    fn release(&self, pool: &Pool, held: Held) {
        if let Some(parked) = self.parked_for(pool) {
            parked.park(held);
        }
    }

    /// Claim the single connection of an in-memory database (just checked out) for `holder`
    /// of `owner`.
    fn claim(&self, owner: Owner, holder: Holder) -> Option<Claim> {
        self.single
            .as_ref()
            .map(|single| single.claim(owner, holder))
    }

    /// Take a connection out of the pool and hold it: statements run on `&conn` skip the
    /// pool checkout. It returns to the pool when dropped. Always on the primary.
    ///
    /// An in-memory SQLite database has one connection: while `conn` holds it, statements
    /// through `&db` in the same task fail at once with [`ErrorKind::ConnectionHeld`]
    /// (pass `&conn`); other tasks wait for it.
    pub async fn acquire(&self) -> Result<Connection> {
        let held = self.checkout(&self.pool).await?;
        let claim = self.claim(Owner::Task(Context::current()), Holder::Connection);
        Ok(Connection::new(held, self.dialect, claim))
    }

    /// Begin a transaction (`BEGIN IMMEDIATE` on SQLite), on the primary. It rolls back when
    /// dropped without [`Transaction::commit`] — also when the future using it is dropped
    /// midway. A connection that turns out dead at `BEGIN` is replaced (nothing ran on it).
    ///
    /// An in-memory SQLite database has one connection: while the transaction holds it,
    /// statements through `&db` in the task that began it fail at once with
    /// [`ErrorKind::ConnectionHeld`] (pass `&tx`); other tasks wait for it.
    pub async fn begin(&self) -> Result<Transaction> {
        self.begin_claiming(Claiming::Task, &TxOptions::default())
            .await
    }

    /// Begin a transaction run as `options` say (isolation, read-only, timeouts; see
    /// [`TxOptions`]), as [`Database::begin`] does. Retries are for
    /// [`Database::transaction_with`], which can run the work again: here they are ignored.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use orm::{ErrorKind, TxOptions};
    /// let db = orm::Database::connect("sqlite::memory:").await?;
    /// orm::raw("CREATE TABLE t (id INTEGER PRIMARY KEY)").execute(&db).await?;
    /// let tx = db.begin_with(TxOptions::new().read_only()).await?;
    /// let refused = orm::raw("INSERT INTO t VALUES (1)").execute(&tx).await;
    /// assert_eq!(refused.unwrap_err().kind(), ErrorKind::ReadOnly);
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub async fn begin_with(&self, options: TxOptions) -> Result<Transaction> {
        self.begin_claiming(Claiming::Task, &options).await
    }

    /// Begin a transaction that claims the single connection of an in-memory database as
    /// `claiming` says (see [`SingleConnection`]).
    async fn begin_claiming(&self, claiming: Claiming, options: &TxOptions) -> Result<Transaction> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let held = self.checkout(&self.pool).await?;
            let claim = match claiming {
                Claiming::Closure => self.claim(Owner::Closure, Holder::Transaction),
                Claiming::Task => self.claim(Owner::Task(Context::current()), Holder::Transaction),
                Claiming::Nothing => None,
            };
            let plan = options.plan(self.backend(), self.settings.busy_timeout);
            match Transaction::start(held, self.dialect, claim, plan).await {
                Err(error) if error.kind() == ErrorKind::Connection && attempt < RETRY_ATTEMPTS => {
                    self.health.suspect();
                }
                result => return result,
            }
        }
    }

    /// Where a statement runs: a plain read goes to a replica that is up (in turn), anything
    /// else to the primary.
    fn route(&self, read_only: bool) -> (&Pool, Option<&Replica>) {
        if read_only && !self.replicas.is_empty() {
            let now = self.health.now();
            let start = self.next_replica.fetch_add(1, AtomicOrdering::Relaxed);
            for i in 0..self.replicas.len() {
                let replica = &self.replicas[(start + i) % self.replicas.len()];
                if replica.down_until.load(AtomicOrdering::Relaxed) <= now {
                    return (&replica.pool, Some(replica));
                }
            }
        }
        (&self.pool, None)
    }

    /// Encode a statement for this database's backend; `keep` it when it may be retried
    /// (PostgreSQL, whose connections can die while idle).
    fn prepare(&self, statement: Statement) -> Result<Prepared> {
        let backend = self.backend();
        Prepared::new(backend, statement, backend == Backend::Postgres)
    }

    /// Decide what to do after a pooled statement failed on attempt number `attempt`: true
    /// to send it again. A statement the server never ran (its session was terminated) runs
    /// again, a read that met a dead connection too (the pool now pings before handing out
    /// connections); a replica that cannot be reached is skipped for a while and the read
    /// goes elsewhere.
    fn retry_after(
        &self,
        error: &Error,
        replica: Option<&Replica>,
        read_only: bool,
        attempt: usize,
    ) -> bool {
        let lost = error.kind() == ErrorKind::Connection;
        if lost {
            self.health.suspect();
        }
        if let Some(replica) = replica
            && (lost || error.kind() == ErrorKind::Pool)
        {
            replica
                .down_until
                .store(self.health.now() + SUSPECT_FOR_MS, AtomicOrdering::Relaxed);
            tracing::warn!(target: "orm::sql", %error, "read replica unreachable; reading elsewhere");
            return true;
        }
        let again =
            attempt < RETRY_ATTEMPTS && (crate::backend::never_ran(error) || (lost && read_only));
        if again {
            tracing::info!(target: "orm::sql", %error, "connection lost before the statement ran; sending it again");
        }
        again
    }

    /// Run `work` in a transaction: commit when it returns `Ok`, roll back when it returns
    /// `Err` or panics.
    ///
    /// Run its statements on the transaction (`tx`). On an in-memory SQLite database, whose
    /// one connection the transaction holds, a statement through `&db` inside `work` fails
    /// at once with [`ErrorKind::ConnectionHeld`] (it could only wait for `work` to end);
    /// other tasks, and other closures joined in the same task, wait their turn.
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
        self.transaction_once(&TxOptions::default(), work).await
    }

    /// Run `work` in a transaction run as `options` say, as [`Database::transaction`] does;
    /// with [`TxOptions::retry`], run it again from the start (in a new transaction) while it
    /// fails with a retryable error, waiting a little longer each time.
    ///
    /// `work` may run several times: it must not do anything outside the database that it
    /// cannot do twice, and it returns an error type that shows the orm error inside
    /// ([`TransactionError`]: [`Error`] does, and your own error type can). Each attempt runs
    /// a clone of `work`, so it is `Clone`, as a closure that captures references and
    /// cloneable values is (an `AsyncFnMut` bound instead would make the future `!Send` in
    /// spawned tasks, a limit of today's compiler).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use orm::{IsolationLevel, TxOptions};
    /// let db = orm::Database::connect("sqlite::memory:").await?;
    /// let options = TxOptions::new().isolation(IsolationLevel::Serializable).retry(5);
    /// let total = db
    ///     .transaction_with(options, async |tx| {
    ///         let rows: Vec<(i64,)> = orm::raw("SELECT 40 + 2").fetch_as(tx).await?;
    ///         Ok::<_, orm::Error>(rows[0].0)
    ///     })
    ///     .await?;
    /// assert_eq!(total, 42);
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    pub async fn transaction_with<T, E, F>(
        &self,
        options: TxOptions,
        work: F,
    ) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Transaction) -> std::result::Result<T, E> + Clone,
        E: TransactionError,
    {
        let mut attempt: u32 = 1;
        loop {
            let error = match self.transaction_once(&options, work.clone()).await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let retryable = error
                .orm_error()
                .is_some_and(|error| options.retries_after(error));
            if !retryable || options.retries() == 0 {
                return Err(error);
            }
            if attempt > options.retries() {
                return Err(error.retries_exhausted(attempt));
            }
            let wait = options.backoff(attempt);
            if let Some(orm_error) = error.orm_error() {
                tracing::warn!(
                    target: "orm::tx",
                    attempt,
                    retries = options.retries(),
                    wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    kind = ?orm_error.kind(),
                    error = %orm_error,
                    "transaction failed with a retryable error; running it again"
                );
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Run `work` once in a transaction begun with `options`.
    async fn transaction_once<T, E, F>(
        &self,
        options: &TxOptions,
        work: F,
    ) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Transaction) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        let tx = self.begin_claiming(Claiming::Closure, options).await?;
        let result = match (&self.single, tx.claim_id()) {
            (Some(single), Some(claim)) => {
                // Statements polled inside `work` know it holds the connection.
                let mut units = UNITS.try_with(Vec::clone).unwrap_or_default();
                units.push((single.key(), claim));
                UNITS.scope(units, work(&tx)).await
            }
            _ => work(&tx).await,
        };
        match result {
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
    /// foreign-key order, in one transaction. Registers the schema (see
    /// [`Database::register`]).
    pub async fn create_all(&self, schema: &Schema) -> Result<()> {
        let statements = schema.create_statements(self.dialect)?;
        self.register(schema);
        self.execute_atomic(statements).await.map(|_| ())
    }

    /// Tell this database (and its clones) which models its tables are, when the schema is
    /// not created through [`Database::create_all`] (migrations). A constraint violation
    /// names the table, constraint, columns and Rust fields from the model of the statement
    /// that failed and the models it reaches through foreign keys and relationships; a
    /// registered schema adds the rest, such as the table whose rows still reference a row
    /// a delete removes. Registering a schema again, or overlapping ones, is harmless.
    pub fn register(&self, schema: &Schema) {
        self.registry.add(schema);
    }

    /// Drop every table of `schema` that exists, dependents first, in one transaction.
    pub async fn drop_all(&self, schema: &Schema) -> Result<()> {
        let statements = schema.drop_statements(self.dialect);
        self.execute_atomic(statements).await.map(|_| ())
    }

    /// Close every connection; later statements fail with `Error::Pool`.
    pub async fn close(&self) {
        if let Some(parked) = &self.parked {
            parked.clear();
        }
        on_pool!(&self.pool, _ops, pool => pool.close().await)
    }
}

/// Run one statement on a pooled connection: `$body` runs with `$held` bound to the
/// connection and `$p` to the prepared statement. A statement that met a dead connection or
/// an unreachable replica runs again (see [`Database::retry_after`]), unless `$final` says
/// it has gone too far to (rows were handed out).
///
/// With `kept: slot` ([`one_connection::Kept`]) the statement runs on the connection the
/// slot keeps, when it has one that fits, and a connection that finished cleanly goes back
/// to the slot instead of the pool.
macro_rules! pooled {
    ($db:expr, $statement:expr, $held:ident, $p:ident => $body:expr) => {
        pooled!($db, $statement, $held, $p => $body, unless: false, kept: None)
    };
    (
        $db:expr, $statement:expr, $held:ident, $p:ident => $body:expr,
        unless: $final:expr, kept: $kept:expr
    ) => {{
        let db: &Database = $db;
        let kept: Option<&one_connection::Kept<'_>> = $kept;
        let mut prepared = db.prepare($statement)?;
        let read_only = prepared.read_only();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let taken = kept.and_then(|kept| kept.take(read_only));
            let (pool, replica, checked_out) = match taken {
                Some((held, pool, replica)) => (pool, replica, Ok(held)),
                None => {
                    let (pool, replica) = db.route(read_only);
                    (pool, replica, db.checkout(pool).await)
                }
            };
            let result = match checked_out {
                Ok(mut $held) => {
                    let $p = &mut prepared;
                    let result = $body.await;
                    if result.is_ok() {
                        match kept {
                            Some(kept) => kept.keep($held, pool, replica),
                            None => db.release(pool, $held),
                        }
                    }
                    result
                }
                Err(error) => Err(error),
            };
            match result {
                Err(error) if !$final && db.retry_after(&error, replica, read_only, attempt) => {}
                result => break result,
            }
        }
    }};
}

mod one_connection;

impl Database {
    /// Run `statement` through the pool, or on the connection `kept` keeps.
    async fn execute_on<'d>(
        &'d self,
        kept: Option<&one_connection::Kept<'d>>,
        statement: Statement,
    ) -> Result<u64> {
        pooled!(self, statement, held, p => held.execute(p), unless: false, kept: kept)
    }

    /// Run a query through the pool, or on the connection `kept` keeps, and hand every row
    /// to `each`.
    async fn fetch_each_on<'d>(
        &'d self,
        kept: Option<&one_connection::Kept<'d>>,
        statement: Statement,
        each: orm_core::executor::RowSink<'_>,
    ) -> Result<()> {
        // Rows handed out cannot be taken back: a read runs again only before its first row.
        let delivered = AtomicBool::new(false);
        let mut counted = |row: &dyn orm_core::RowReader| {
            delivered.store(true, AtomicOrdering::Relaxed);
            each(row)
        };
        pooled!(
            self, statement, held, p => held.fetch_each(p, &mut counted),
            unless: delivered.load(AtomicOrdering::Relaxed), kept: kept
        )
    }
}

impl Executor for &Database {
    fn dialect(self) -> &'static dyn Dialect {
        self.dialect
    }

    fn one_connection<'s>(self) -> Option<Box<dyn DynExecutor + 's>>
    where
        Self: 's,
    {
        Some(Box::new(one_connection::OneConnection::new(self)))
    }

    async fn execute(self, statement: Statement) -> Result<u64> {
        self.execute_on(None, statement).await
    }

    async fn execute_atomic(self, statements: Vec<Statement>) -> Result<Vec<u64>> {
        if statements.len() == 1 {
            let statement = statements.into_iter().next().expect("one statement");
            return Ok(vec![self.execute(statement).await?]);
        }
        let tx = self
            .begin_claiming(Claiming::Nothing, &TxOptions::default())
            .await?;
        let affected = (&tx).execute_atomic(statements).await?;
        tx.commit().await?;
        Ok(affected)
    }

    async fn fetch_all<D: RowDecoder>(
        self,
        statement: Statement,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        pooled!(self, statement, held, p => held.fetch_all(p, &decoder))
    }

    async fn fetch_optional<D: RowDecoder>(
        self,
        statement: Statement,
        decoder: D,
    ) -> Result<Option<D::Output>> {
        pooled!(self, statement, held, p => held.fetch_optional(p, &decoder))
    }

    async fn fetch_each<F>(self, statement: Statement, mut each: F) -> Result<()>
    where
        F: FnMut(&dyn orm_core::RowReader) -> Result<()> + Send,
    {
        self.fetch_each_on(None, statement, &mut each).await
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
            let (pool, replica) = self.route(statement.read_only);
            let held = match self.checkout(pool).await {
                Ok(held) => held,
                // A replica that cannot be reached is skipped for a while; the primary streams.
                Err(error) if replica.is_some() && self.retry_after(&error, replica, true, 1) => {
                    self.checkout(&self.pool).await?
                }
                Err(error) => Err(error)?,
            };
            let conn = Connection::new(held, self.dialect, None);
            let mut rows = std::pin::pin!((&conn).fetch_stream(Ok(statement), decoder));
            while let Some(row) = futures_util::StreamExt::next(&mut rows).await {
                yield row?;
            }
        }
    }
}
