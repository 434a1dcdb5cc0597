//! A task tracker's REST API on orm: axum handlers over a repository trait, an orm
//! implementation of it, migrations embedded in the binary and applied at start-up, and one
//! mapping of every error to an HTTP response. See the README for the endpoints.
//!
//! - [`domain`]: the models (validation, a DbEnum status, optimistic locking, soft delete,
//!   many-to-many tags);
//! - [`repository`]: the [`repository::TaskRepository`] trait and
//!   [`repository::OrmTaskRepository`];
//! - [`http`]: the routes, generic over the repository;
//! - [`raw`]: [`raw::RawTaskRepository`], the read side of the trait on hand-written sqlx:
//!   the baseline of the load benchmark (`tasks-load`);
//! - [`error`]: [`error::AppError`] and its mapping to status codes and JSON bodies.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let app = orm_tasks_api::app("sqlite://tasks.db?mode=rwc").await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```

pub mod domain;
pub mod error;
pub mod http;
pub mod raw;
pub mod repository;

use orm::Database;
use orm::migrate::{Migrations, Migrator};

use crate::repository::OrmTaskRepository;

/// The revision files of `migrations/`, compiled into the binary.
pub fn migrations() -> orm::Result<Migrations> {
    orm::migrate::embed_migrations!("migrations")
}

/// Connect to `database_url` (`sqlite://..` or `postgres://..`), apply the migrations not
/// applied yet, and tell the database about the models (so that a constraint violation
/// names the Rust fields).
pub async fn connect(database_url: &str) -> orm::Result<Database> {
    let db = Database::connect(database_url).await?;
    let applied = Migrator::new(migrations()?).upgrade(&db).await?;
    for revision in &applied {
        tracing::info!(%revision, "migration applied");
    }
    db.register(&domain::schema());
    Ok(db)
}

/// The whole service on `database_url`: connected, migrated, routed.
pub async fn app(database_url: &str) -> orm::Result<axum::Router> {
    let db = connect(database_url).await?;
    Ok(http::router(OrmTaskRepository::new(db)))
}
