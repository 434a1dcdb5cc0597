//! Migrations (feature `migrate`): everything of [`orm_migrate`], the runner's
//! [`Target`] for [`Database`], and [`cli()`], the `migrate` command line an application builds
//! from its models.
//!
//! ```no_run
//! use orm::prelude::*;
//!
//! #[derive(Model, Debug, Clone)]
//! #[orm(table = "users")]
//! struct User {
//!     #[orm(primary_key)]
//!     id: i64,
//!     name: String,
//! }
//!
//! // src/bin/migrate.rs
//! fn main() -> std::process::ExitCode {
//!     orm::migrate::cli(schema![User])
//! }
//! ```

pub use orm_derive::embed_migrations;
pub use orm_migrate::*;

use std::process::ExitCode;

use clap::Parser;

use crate::{Database, Executor, Result, Schema, Transaction, TxOptions};

impl Target for Database {
    type Tx = Transaction;

    fn executor(&self) -> impl Executor + '_ {
        self
    }

    async fn begin_migration(&self) -> Result<Transaction> {
        self.begin_with(TxOptions::new().schema_change()).await
    }

    fn in_migration(tx: &Transaction) -> impl Executor + '_ {
        tx
    }

    async fn commit(tx: Transaction) -> Result<()> {
        tx.commit().await
    }
}

/// The `migrate` command line for `schema`'s models: `revision [--autogenerate] -m`,
/// `upgrade`, `downgrade`, `current`, `history`, `stamp`, `sql`, `check`, `merge`. The
/// database comes from `--database-url` or `DATABASE_URL`, revision files from `--dir`
/// (default `migrations`). Returns the exit code for `main` to return.
pub fn cli(schema: Schema) -> ExitCode {
    orm_migrate::cli::run(
        schema,
        orm_migrate::cli::Cli::parse(),
        |url: String| async move { Database::connect(&url).await },
    )
}
