//! A money-transfer service on orm: accounts, idempotent transfers that never overdraw and
//! never move money twice, under concurrent requests, on SQLite and PostgreSQL. See the
//! README for the endpoints and the discussion of the two concurrency strategies.
//!
//! - [`domain`]: the models and the constraints the database enforces (a balance never
//!   negative, a positive amount, a unique idempotency key, foreign keys);
//! - [`bank`]: the operations, and the [`Strategy`] a transfer's transaction runs under
//!   (optimistic locking or `SERIALIZABLE`, with bounded retries);
//! - [`http`]: the axum routes and the checks of request bodies, over any [`Ledger`];
//! - [`raw`]: [`raw::RawBank`], the reads and transfers on hand-written sqlx: the baseline
//!   of the load benchmark (`bank-load`);
//! - [`error`]: [`error::AppError`] and its one mapping to status codes and JSON bodies.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use orm_bank::Strategy;
//!
//! let app = orm_bank::app("sqlite://bank.db?mode=rwc", Strategy::Optimistic).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3001").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```

pub mod bank;
pub mod domain;
pub mod error;
pub mod http;
pub mod raw;

use orm::Database;
use orm::migrate::{Migrations, Migrator};

pub use crate::bank::{Bank, Ledger, Strategy};

/// The revision files of `migrations/`, compiled into the binary.
pub fn migrations() -> orm::Result<Migrations> {
    orm::migrate::embed_migrations!("migrations")
}

/// Connect to `database_url` (`sqlite://..` or `postgres://..`), apply the migrations not
/// applied yet, and tell the database about the models (so that a constraint violation
/// names the table, constraint and Rust fields).
pub async fn connect(database_url: &str) -> orm::Result<Database> {
    let db = Database::connect(database_url).await?;
    let applied = Migrator::new(migrations()?).upgrade(&db).await?;
    for revision in &applied {
        tracing::info!(%revision, "migration applied");
    }
    db.register(&domain::schema());
    Ok(db)
}

/// The whole service on `database_url`, its transfers run under `strategy`: connected,
/// migrated, routed.
pub async fn app(database_url: &str, strategy: Strategy) -> orm::Result<axum::Router> {
    let db = connect(database_url).await?;
    Ok(http::router(Bank::new(db, strategy)))
}
