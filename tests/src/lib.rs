//! Test harness shared by the backend-neutral integration suite of `orm`.
//!
//! It hands out database URLs for tests:
//!
//! * [`pg_base_url`] finds a PostgreSQL server: the one named by
//!   `ORM_TEST_PG_URL`, or else a throwaway server started from the local
//!   PostgreSQL binaries, which lives exactly as long as the test process.
//! * [`pg_isolated_url`] gives each test its own fresh schema on that server.
//! * [`pgbouncer_database`] gives each test its own fresh database on that
//!   server, reached through a PgBouncer in transaction pooling mode.
//! * [`replica_pair`] gives a primary server with a streaming hot-standby
//!   replica, both started from the local PostgreSQL binaries.
//! * [`sqlite_file_url`] and [`sqlite_memory_url`] give SQLite databases.
//! * [`init_tracing`] routes `tracing` output (filtered by `RUST_LOG`) to the
//!   test output capture.
//!
//! Environment variables:
//!
//! * `ORM_TEST_PG_URL`: URL of the PostgreSQL server to test against. When it
//!   is set but the server cannot be reached, the tests panic instead of
//!   being skipped.
//! * `ORM_REQUIRE_PG=1`: panic instead of skipping when no PostgreSQL server
//!   (or PgBouncer, or local binaries for the replica pair) is available
//!   (used by CI).
//!
//! Every server the harness starts lives exactly as long as the test
//! process: it is run by a shell wrapper reading a pipe from the process,
//! which stops the server and removes its directory when the pipe closes.

mod pgbouncer;
mod process;
pub mod relationship_chain;
mod replica;
mod server;

use std::sync::Once;
use std::time::Duration;

use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use tokio::sync::OnceCell;

pub use pgbouncer::{PgBouncerDatabase, pgbouncer_database};
pub use replica::{ReplicaPair, replica_pair};

/// The PostgreSQL URL every test shares, computed once per process.
static PG_BASE_URL: OnceCell<Option<String>> = OnceCell::const_new();

/// Returns the URL of a PostgreSQL server for tests, or `None` when there is
/// none (the tests that need one should then return early).
///
/// The answer is computed once per process:
///
/// 1. If `ORM_TEST_PG_URL` is set and non-empty, that URL is used. If the
///    server cannot be connected to, this panics rather than skip.
/// 2. Otherwise, if PostgreSQL binaries are found (in
///    `/usr/lib/postgresql/*/bin`, or `initdb` on `PATH`), a throwaway
///    server is initialised in a fresh temporary directory and started on a
///    free port of 127.0.0.1, with durability turned off for speed and trust
///    authentication. When running as root, it runs as the `postgres` user.
///    It is stopped and its directory removed when the test process exits.
///    The URL is `postgres://postgres@127.0.0.1:PORT/postgres`. If it cannot
///    be started, this panics.
/// 3. Otherwise this returns `None` after printing a note to standard error,
///    or panics when `ORM_REQUIRE_PG=1`.
///
/// Tests that create tables should use [`pg_isolated_url`] instead, so that
/// they do not see each other's tables.
pub async fn pg_base_url() -> Option<String> {
    PG_BASE_URL.get_or_init(resolve_pg_base_url).await.clone()
}

/// Returns a URL for one test: the [`pg_base_url`] server, with the session
/// `search_path` set to a schema created for this call only (named
/// `orm_t_<uuid>`), so that unqualified table names are private to the test.
///
/// Returns `None` when [`pg_base_url`] does. The schemas are not dropped.
///
/// # Panics
///
/// Panics if the schema cannot be created.
pub async fn pg_isolated_url() -> Option<String> {
    let base = pg_base_url().await?;
    let schema = format!("orm_t_{}", uuid::Uuid::new_v4().simple());

    let mut conn = PgConnection::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL at {base}: {e}"));
    conn.execute(AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\"")))
        .await
        .unwrap_or_else(|e| panic!("cannot create schema {schema}: {e}"));
    // Closing politely is a nicety; a failure here is irrelevant to the test.
    let _ = conn.close().await;

    Some(with_search_path(&base, &schema))
}

/// Returns `url` with the connection parameter that sets the session
/// `search_path` to `schema` (`-c search_path=<schema>`, URL-encoded).
fn with_search_path(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-c%20search_path%3D{schema}")
}

/// Returns the URL of a fresh SQLite database file
/// (`<temp dir>/orm-tests-<uuid>.db`), created on first connection
/// (`mode=rwc`). The file is not removed afterwards.
pub fn sqlite_file_url() -> String {
    let path = std::env::temp_dir().join(format!("orm-tests-{}.db", uuid::Uuid::new_v4()));
    format!("sqlite://{}?mode=rwc", path.display())
}

/// Returns the URL of a private in-memory SQLite database
/// (`sqlite::memory:`).
///
/// Each connection opened with it gets its own, empty database, so pools
/// using it should hold a single connection.
pub fn sqlite_memory_url() -> &'static str {
    "sqlite::memory:"
}

/// Installs a `tracing` subscriber that writes to the test output capture,
/// filtered by `RUST_LOG` (default: `warn`).
///
/// Safe to call from every test: only the first call does anything, and an
/// already installed global subscriber is left in place.
pub fn init_tracing() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    });
}

/// Works out the answer of [`pg_base_url`]; run once per process.
async fn resolve_pg_base_url() -> Option<String> {
    if let Some(url) = std::env::var("ORM_TEST_PG_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
    {
        if let Err(e) = process::probe(&url, Duration::from_secs(10)).await {
            panic!("ORM_TEST_PG_URL is set to {url}, but connecting to it failed: {e}");
        }
        return Some(url);
    }

    if let Some(bin_dir) = server::find_pg_bin_dir() {
        return Some(server::start_throwaway_server(bin_dir).await);
    }

    process::skip_or_panic("no PostgreSQL: set ORM_TEST_PG_URL or install PostgreSQL binaries");
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The schema a connection made with `url` works in.
    async fn current_schema(url: &str) -> String {
        let mut conn = PgConnection::connect(url).await.unwrap();
        let schema: String = sqlx::query_scalar("SELECT current_schema()")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        schema
    }

    #[tokio::test]
    async fn pg_base_url_is_computed_once() {
        let Some(first) = pg_base_url().await else {
            return;
        };
        assert_eq!(pg_base_url().await.as_deref(), Some(first.as_str()));
    }

    #[tokio::test]
    async fn pg_isolated_urls_use_distinct_schemas() {
        let (Some(a), Some(b)) = (pg_isolated_url().await, pg_isolated_url().await) else {
            return;
        };
        assert_ne!(a, b);

        let schema_a = current_schema(&a).await;
        let schema_b = current_schema(&b).await;
        assert!(schema_a.starts_with("orm_t_"), "{schema_a}");
        assert!(schema_b.starts_with("orm_t_"), "{schema_b}");
        assert_ne!(schema_a, schema_b);
        assert!(a.ends_with(&schema_a), "{a} should select {schema_a}");
        assert!(b.ends_with(&schema_b), "{b} should select {schema_b}");
    }

    #[tokio::test]
    async fn pg_isolated_tables_are_private() {
        let (Some(a), Some(b)) = (pg_isolated_url().await, pg_isolated_url().await) else {
            return;
        };
        let mut conn_a = PgConnection::connect(&a).await.unwrap();
        conn_a
            .execute("CREATE TABLE widget (id INT PRIMARY KEY)")
            .await
            .unwrap();
        conn_a
            .execute("INSERT INTO widget (id) VALUES (1)")
            .await
            .unwrap();

        // The same unqualified name is free in the other schema.
        let mut conn_b = PgConnection::connect(&b).await.unwrap();
        let visible: Option<String> = sqlx::query_scalar("SELECT to_regclass('widget')::text")
            .fetch_one(&mut conn_b)
            .await
            .unwrap();
        assert_eq!(visible, None);
        conn_b
            .execute("CREATE TABLE widget (id INT PRIMARY KEY)")
            .await
            .unwrap();
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM widget")
            .fetch_one(&mut conn_b)
            .await
            .unwrap();
        assert_eq!(count, 0);

        conn_a.close().await.unwrap();
        conn_b.close().await.unwrap();
    }

    #[test]
    fn search_path_is_appended_to_any_query_string() {
        assert_eq!(
            with_search_path("postgres://u@h:1/db", "orm_t_x"),
            "postgres://u@h:1/db?options=-c%20search_path%3Dorm_t_x"
        );
        assert_eq!(
            with_search_path("postgres://u@h:1/db?sslmode=disable", "orm_t_x"),
            "postgres://u@h:1/db?sslmode=disable&options=-c%20search_path%3Dorm_t_x"
        );
    }

    #[test]
    fn sqlite_urls_are_distinct() {
        let a = sqlite_file_url();
        let b = sqlite_file_url();
        assert_ne!(a, b);
        for url in [&a, &b] {
            assert!(url.starts_with("sqlite://"), "{url}");
            assert!(url.ends_with(".db?mode=rwc"), "{url}");
        }
        assert_eq!(sqlite_memory_url(), "sqlite::memory:");
    }

    #[tokio::test]
    async fn sqlite_file_url_opens_a_fresh_database() {
        let url = sqlite_file_url();
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        conn.execute("CREATE TABLE widget (id INTEGER PRIMARY KEY)")
            .await
            .unwrap();
        conn.close().await.unwrap();

        let path = url
            .strip_prefix("sqlite://")
            .and_then(|rest| rest.strip_suffix("?mode=rwc"))
            .unwrap();
        assert!(Path::new(path).is_file(), "{path} should exist");
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn init_tracing_is_idempotent() {
        init_tracing();
        init_tracing();
        tracing::warn!("tracing initialised twice without panicking");
    }
}
