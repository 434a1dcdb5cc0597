//! Test harness shared by the backend-neutral integration suite of `orm`.
//!
//! It hands out database URLs for tests:
//!
//! * [`pg_base_url`] finds a PostgreSQL server: the one named by
//!   `ORM_TEST_PG_URL`, or else a throwaway server started from the local
//!   PostgreSQL binaries, which lives exactly as long as the test process.
//! * [`pg_isolated_url`] gives each test its own fresh schema on that server.
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
//!   is available (used by CI).

use std::io::Read;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use tokio::sync::OnceCell;

/// The PostgreSQL URL every test shares, computed once per process.
static PG_BASE_URL: OnceCell<Option<String>> = OnceCell::const_new();

/// The write end of the pipe feeding the throwaway server's wrapper shell.
///
/// It is never written to: it only has to stay open for as long as the test
/// process lives. When the process exits the kernel closes it, the wrapper
/// sees end-of-file, stops the server and removes its directory.
static THROWAWAY_SERVER_LIFELINE: OnceLock<ChildStdin> = OnceLock::new();

/// How long a PostgreSQL server gets to start accepting connections.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// How many times a throwaway server start is attempted (a free port can be
/// taken by someone else between probing for it and the server binding it).
const START_ATTEMPTS: usize = 3;

/// Shell wrapper that runs the throwaway server and ties its lifetime to the
/// pipe on its standard input.
///
/// Arguments: `$1` the PostgreSQL `bin` directory, `$2` the scratch directory
/// (holding `data/`, the Unix socket and the server log), `$3` the TCP port.
///
/// A watcher subshell blocks reading the pipe (saved as fd 3, since
/// background jobs get `/dev/null` as standard input); on end-of-file it asks
/// the server for a fast shutdown (SIGINT, which also disconnects clients).
/// Once the server is gone the directory is removed. If the server exits with
/// an error (for example, the port was taken) its log goes to standard
/// error, where the harness reads it.
const WRAPPER_SCRIPT: &str = r#"
bin=$1 dir=$2 port=$3
trap '' INT
exec 3<&0 </dev/null
"$bin/postgres" -D "$dir/data" -k "$dir" -h 127.0.0.1 -p "$port" \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c max_connections=200 >"$dir/server.log" 2>&1 3<&- &
pid=$!
( read _ <&3; kill -INT "$pid" 2>/dev/null ) >/dev/null 2>&1 &
watcher=$!
exec 3<&-
wait "$pid"
status=$?
kill "$watcher" 2>/dev/null
if [ "$status" -ne 0 ]; then
    cat "$dir/server.log" >&2
fi
rm -rf "$dir"
exit "$status"
"#;

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
        if let Err(e) = connect_once(&url, Duration::from_secs(10)).await {
            panic!("ORM_TEST_PG_URL is set to {url}, but connecting to it failed: {e}");
        }
        return Some(url);
    }

    if let Some(bin_dir) = find_pg_bin_dir() {
        return Some(start_throwaway_server(bin_dir).await);
    }

    if std::env::var("ORM_REQUIRE_PG").is_ok_and(|v| v.trim() == "1") {
        panic!("ORM_REQUIRE_PG=1 but no PostgreSQL: set ORM_TEST_PG_URL or install PostgreSQL");
    }
    eprintln!("PostgreSQL tests skipped: set ORM_TEST_PG_URL or install PostgreSQL binaries");
    None
}

/// Connects to `url` once and closes the connection, failing after `timeout`.
async fn connect_once(url: &str, timeout: Duration) -> Result<(), String> {
    match tokio::time::timeout(timeout, PgConnection::connect(url)).await {
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {timeout:?}")),
    }
}

/// Finds a directory holding both `initdb` and `postgres`: the newest
/// `/usr/lib/postgresql/<version>/bin`, or else the directory of `initdb` on
/// `PATH`.
fn find_pg_bin_dir() -> Option<PathBuf> {
    let has_binaries = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();

    let mut versioned: Vec<(Vec<u64>, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let version = name
                .split('.')
                .map(|part| part.parse::<u64>().ok())
                .collect::<Option<Vec<_>>>()?;
            let bin = entry.path().join("bin");
            has_binaries(&bin).then_some((version, bin))
        })
        .collect();
    versioned.sort();
    if let Some((_, bin)) = versioned.pop() {
        return Some(bin);
    }

    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|dir| has_binaries(dir))
}

/// Whether this process runs as root, where `initdb` and `postgres` refuse to
/// run and must be run as the `postgres` user instead.
fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// Builds a command running `program` as the `postgres` user when `as_postgres`
/// is set, or as ourselves otherwise.
fn command(as_postgres: bool, program: impl AsRef<std::ffi::OsStr>) -> Command {
    if as_postgres {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

/// Starts a throwaway PostgreSQL server from the binaries in `bin_dir` and
/// returns its URL once it accepts connections; panics if it cannot.
async fn start_throwaway_server(bin_dir: PathBuf) -> String {
    let mut failures = Vec::new();
    for _ in 0..START_ATTEMPTS {
        let bin = bin_dir.clone();
        let started = tokio::task::spawn_blocking(move || spawn_throwaway_server(&bin))
            .await
            .expect("the throwaway PostgreSQL start-up task panicked");
        let (mut child, url) = match started {
            Ok(started) => started,
            Err(e) => panic!("cannot start a throwaway PostgreSQL server: {e}"),
        };

        match wait_until_ready(&mut child, &url).await {
            Ok(()) => {
                let lifeline = child.stdin.take().expect("the wrapper's stdin is piped");
                THROWAWAY_SERVER_LIFELINE
                    .set(lifeline)
                    .expect("only one throwaway PostgreSQL server is started");
                // Dropping `child` neither kills nor waits for the wrapper.
                return url;
            }
            Err(e) => {
                // Closing the pipe makes the wrapper stop the server (if it
                // still runs) and remove its directory.
                drop(child.stdin.take());
                failures.push(e);
            }
        }
    }
    panic!(
        "cannot start a throwaway PostgreSQL server from {}:\n{}",
        bin_dir.display(),
        failures.join("\n---\n")
    );
}

/// Initialises a data directory and spawns the wrapper running the server on
/// it, on a free port. Returns the wrapper process and the server URL.
fn spawn_throwaway_server(bin_dir: &Path) -> Result<(Child, String), String> {
    let as_postgres = running_as_root();
    // The `postgres` user must be able to reach the directory, which rules
    // out a root-only `TMPDIR`.
    let parent = if as_postgres {
        PathBuf::from("/tmp")
    } else {
        std::env::temp_dir()
    };
    let dir = parent.join(format!("orm-pg-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    let result = init_and_spawn(bin_dir, &dir, as_postgres);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

/// The part of [`spawn_throwaway_server`] after `dir` is created.
fn init_and_spawn(
    bin_dir: &Path,
    dir: &Path,
    as_postgres: bool,
) -> Result<(Child, String), String> {
    if as_postgres {
        run(Command::new("chown").arg("postgres:").arg(dir))?;
    }
    run(command(as_postgres, bin_dir.join("initdb"))
        .current_dir(dir)
        .arg("-D")
        .arg(dir.join("data"))
        .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C"])
        .arg("--no-sync"))?;

    let port = free_port()?;
    let child = command(as_postgres, "sh")
        .current_dir(dir)
        .arg("-c")
        .arg(WRAPPER_SCRIPT)
        .arg("sh")
        .arg(bin_dir)
        .arg(dir)
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot spawn the PostgreSQL wrapper: {e}"))?;
    Ok((
        child,
        format!("postgres://postgres@127.0.0.1:{port}/postgres"),
    ))
}

/// Runs `cmd` to completion, turning a failure into a message with its output.
fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Returns a TCP port of 127.0.0.1 that is free right now.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// Waits until the server at `url` accepts connections, giving up if the
/// wrapper `child` exits (the server failed) or after [`READY_TIMEOUT`].
async fn wait_until_ready(child: &mut Child, url: &str) -> Result<(), String> {
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let mut log = String::new();
                if let Some(mut stderr) = child.stderr.take() {
                    let _ = stderr.read_to_string(&mut log);
                }
                return Err(format!("the server exited ({status}):\n{log}"));
            }
            Ok(None) => {}
            Err(e) => return Err(format!("cannot check on the server: {e}")),
        }
        let last_error = match connect_once(url, Duration::from_secs(2)).await {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        if Instant::now() >= deadline {
            return Err(format!(
                "the server at {url} did not accept connections within {READY_TIMEOUT:?}: \
                 {last_error}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
