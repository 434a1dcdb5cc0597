//! The backend-neutral integration suite: every test is written once and runs on in-memory
//! SQLite, file SQLite and PostgreSQL (see `orm_tests` for where PostgreSQL comes from).

mod arrays;
mod bad_input;
mod composite_keys;
mod contention;
mod crud;
mod decimals;
mod differential;
mod differential_seed;
mod enums;
mod errors;
mod hooks;
mod index_forms;
mod inheritance;
mod inspect_chinook;
mod inspect_features;
mod json_paths;
// Written by `inspect` (ORM_BLESS=1) and compared byte for byte, so not reformatted; the suite
// reads some of their relationship fields, not all.
#[rustfmt::skip]
#[allow(dead_code)]
mod inspected_chinook_postgres;
#[rustfmt::skip]
#[allow(dead_code)]
mod inspected_chinook_sqlite;
#[rustfmt::skip]
#[allow(dead_code)]
mod inspected_features_postgres;
#[rustfmt::skip]
#[allow(dead_code)]
mod inspected_features_sqlite;
mod integrity_models;
mod keys;
mod logging;
mod migrate_roundtrip;
mod migrate_runner;
mod migrate_versions;
mod mixins;
mod models;
mod native_enums;
mod newtypes;
mod optimistic_locking;
mod parity;
mod parity_json;
mod parity_seed;
mod queries;
mod query_features;
mod relation_models;
mod relations_loading;
mod relations_loading_edge;
mod relations_loading_graphs;
mod relations_loading_large;
mod relations_loading_regressions;
mod relations_loading_specs;
mod relations_seed;
mod relations_smoke;
mod reliability_bind_limits;
mod reliability_concurrency;
mod reliability_connections;
mod reliability_edge_values;
mod reliability_hostile;
mod reliability_parked;
mod reliability_replicas;
mod reliability_transactions;
mod savepoints;
mod schema;
mod session;
mod session_models;
mod soft_delete;
mod transaction_options;
mod transactions;
mod types;
mod validation;

use orm::{Database, DatabaseOptions};

/// Which database a test instance runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `sqlite::memory:`.
    SqliteMemory,
    /// A fresh SQLite file.
    SqliteFile,
    /// A fresh schema on PostgreSQL (or a fresh database behind PgBouncer, see
    /// [`TestDb::through_pgbouncer`]).
    Postgres,
}

/// A fresh, isolated database for one test, with its URL (for opening side connections).
pub struct TestDb {
    /// The database under test.
    pub db: Database,
    /// Its URL, for side connections (open them with [`TestDb::reconnect`]).
    pub url: String,
    /// Which backend.
    pub target: Target,
    /// PostgreSQL reached through a PgBouncer in transaction pooling mode.
    pub through_pgbouncer: bool,
    options: DatabaseOptions,
    /// The database behind PgBouncer, dropped with the test.
    bouncer: Option<orm_tests::PgBouncerDatabase>,
}

impl TestDb {
    /// Connect with default options; `None` when PostgreSQL is not available (skipped).
    pub async fn open(target: Target) -> Option<TestDb> {
        Self::open_with(target, DatabaseOptions::new()).await
    }

    /// Connect with explicit pool options.
    pub async fn open_with(target: Target, options: DatabaseOptions) -> Option<TestDb> {
        orm_tests::init_tracing();
        let url = match target {
            Target::SqliteMemory => orm_tests::sqlite_memory_url().to_owned(),
            Target::SqliteFile => orm_tests::sqlite_file_url(),
            Target::Postgres => orm_tests::pg_isolated_url().await?,
        };
        Some(Self::open_url(target, url, options).await)
    }

    /// Connect to `url`, a fresh database of `target`.
    pub async fn open_url(target: Target, url: String, options: DatabaseOptions) -> TestDb {
        let db = options
            .clone()
            .connect(&url)
            .await
            .expect("connect to the test database");
        TestDb {
            db,
            url,
            target,
            through_pgbouncer: false,
            options,
            bouncer: None,
        }
    }

    /// A fresh PostgreSQL database reached through PgBouncer (transaction pooling), with
    /// the option it needs; `None` when there is no PostgreSQL or PgBouncer (skipped).
    pub async fn open_pgbouncer(options: DatabaseOptions) -> Option<TestDb> {
        orm_tests::init_tracing();
        let bouncer = orm_tests::pgbouncer_database().await?;
        let options = options.transaction_pooling(true);
        let db = options
            .clone()
            .connect(&bouncer.url)
            .await
            .expect("connect through PgBouncer");
        Some(TestDb {
            db,
            url: bouncer.url.clone(),
            target: Target::Postgres,
            through_pgbouncer: true,
            options,
            bouncer: Some(bouncer),
        })
    }

    /// Open the target again as [`open`](Self::open) did (the same options): a side
    /// connection that sees what the rest of the world sees.
    pub async fn reconnect(&self) -> orm::Result<Database> {
        self.options.clone().connect(&self.url).await
    }

    /// The URL straight to the database (PostgreSQL without PgBouncer), for inspecting it
    /// with raw sqlx.
    pub fn direct_url(&self) -> String {
        match &self.bouncer {
            Some(bouncer) => bouncer.direct_url(),
            None => self.url.clone(),
        }
    }
}

impl Drop for TestDb {
    /// Remove a SQLite test file with its WAL and shared-memory files.
    fn drop(&mut self) {
        if self.target != Target::SqliteFile {
            return;
        }
        let path = self.url.trim_start_matches("sqlite://");
        let path = path.split('?').next().unwrap_or(path);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
}

/// Instantiate each test for every backend: `sqlite_memory`, `sqlite_file`, `postgres` and
/// `postgres_pgbouncer`. Each test is `async fn name(t: &TestDb) -> orm::Result<()>`.
#[macro_export]
macro_rules! backend_tests {
    ($(
        $(#[$meta:meta])*
        async fn $name:ident($t:ident: &TestDb) -> Result<()> $body:block
    )*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($t: &$crate::TestDb) -> orm::Result<()> $body

                async fn on(t: Option<$crate::TestDb>) {
                    let Some(t) = t else { return };
                    if let Err(error) = run(&t).await {
                        panic!("{:?}{}: {error}\n{error:?}", t.target, if t.through_pgbouncer { " through PgBouncer" } else { "" });
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite_memory() {
                    on($crate::TestDb::open($crate::Target::SqliteMemory).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite_file() {
                    on($crate::TestDb::open($crate::Target::SqliteFile).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    on($crate::TestDb::open($crate::Target::Postgres).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres_pgbouncer() {
                    on($crate::TestDb::open_pgbouncer(orm::DatabaseOptions::new()).await).await
                }
            }
        )*
    };
}
