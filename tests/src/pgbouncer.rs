//! A PgBouncer in transaction pooling mode in front of the test server, and
//! a fresh database behind it for each test.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use tokio::sync::OnceCell;

use crate::process::{
    Lifeline, blocking, chown_to_postgres, free_port, run, running_as_root, scratch_dir,
    skip_or_panic, spawn_supervised, wait_until_ready,
};
use crate::server::START_ATTEMPTS;

/// The PgBouncer every test of the process shares, started on first use;
/// `None` when it cannot be had.
static BOUNCER: OnceCell<Option<Bouncer>> = OnceCell::const_new();

/// How long dropping a test's database may take before it is given up.
const DROP_TIMEOUT: Duration = Duration::from_secs(30);

/// The lock file serialising `apt-get` runs of concurrently running test
/// processes.
const APT_LOCK: &str = "/tmp/orm-tests-apt.lock";

/// Installs the `pgbouncer` package unless another process did meanwhile
/// (run under `flock` on [`APT_LOCK`]).
///
/// The package's `postinst` would start its own PgBouncer service (on
/// `localhost:6432`, configured by `/etc/pgbouncer/pgbouncer.ini`) through
/// `invoke-rc.d`; a `policy-rc.d` that answers 101 ("action forbidden")
/// keeps it from starting. If the machine has none, a temporary one is put
/// in place for the install and removed afterwards. Should a service be
/// running all the same, it is stopped; either way it is kept from starting
/// at boot (`update-rc.d disable`, or `systemctl disable` under systemd).
const APT_INSTALL_SCRIPT: &str = r#"
set -e
if command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ]; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if [ ! -e /usr/sbin/policy-rc.d ]; then
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
fi
apt-get update -q
apt-get install -y -q --no-install-recommends pgbouncer
if [ -x /etc/init.d/pgbouncer ]; then
    /etc/init.d/pgbouncer stop >/dev/null 2>&1 || true
    update-rc.d pgbouncer disable >/dev/null 2>&1 || true
fi
if [ -d /run/systemd/system ]; then
    systemctl disable --now pgbouncer.service >/dev/null 2>&1 || true
fi
"#;

/// The shared PgBouncer.
#[derive(Debug)]
struct Bouncer {
    /// Its port on 127.0.0.1.
    port: u16,
    /// The user name clients give (PgBouncer logs in to the server as it).
    user: String,
}

/// A database of its own for one test, created on the
/// [`pg_base_url`](crate::pg_base_url) server and reached through the shared
/// PgBouncer. Dropping it drops the database.
///
/// Returned by [`pgbouncer_database`].
#[derive(Debug)]
pub struct PgBouncerDatabase {
    /// URL of the database through PgBouncer in transaction pooling mode:
    /// `postgres://USER@127.0.0.1:PORT/orm_b_<uuid>`.
    ///
    /// Consecutive transactions (and statements outside a transaction) of
    /// one connection may run on different server connections, and named
    /// prepared statements do not survive that (PgBouncer 1.18 does not
    /// track them). The `options` startup parameter is ignored, so a
    /// `search_path` set through it has no effect.
    pub url: String,
    /// The database name, `orm_b_<uuid>`.
    name: String,
    /// URL of the server's own database the harness connects to for
    /// `CREATE DATABASE` and `DROP DATABASE` (the `pg_base_url`).
    server_url: String,
}

impl PgBouncerDatabase {
    /// The name of the database (`orm_b_<uuid>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// URL of the same database straight on the server, bypassing PgBouncer
    /// (for looking from outside: session state, catalogs, backends).
    pub fn direct_url(&self) -> String {
        with_database(&self.server_url, &self.name)
    }
}

impl Drop for PgBouncerDatabase {
    /// Drops the database (`DROP DATABASE IF EXISTS .. WITH (FORCE)`, which
    /// also ends PgBouncer's server connections to it) over a direct
    /// connection. Runs on a thread of its own with its own runtime, since
    /// drop is synchronous and usually runs inside an async test; a failure
    /// (or no answer within 30 seconds) is printed, never raised.
    fn drop(&mut self) {
        let server_url = self.server_url.clone();
        let name = self.name.clone();
        let dropper = std::thread::Builder::new()
            .name("orm-tests-drop-database".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        eprintln!("cannot drop database {name}: no runtime: {e}");
                        return;
                    }
                };
                let started = Instant::now();
                let dropped = runtime.block_on(async {
                    tokio::time::timeout(DROP_TIMEOUT, drop_database(&server_url, &name))
                        .await
                        .unwrap_or_else(|_| Err(format!("no answer within {DROP_TIMEOUT:?}")))
                });
                match dropped {
                    Ok(()) => tracing::debug!(
                        target: "orm_tests",
                        "dropped database {name} in {:?}",
                        started.elapsed()
                    ),
                    Err(e) => eprintln!("cannot drop database {name}: {e}"),
                }
            });
        match dropper {
            Ok(dropper) => {
                let _ = dropper.join();
            }
            Err(e) => eprintln!("cannot drop database {}: no thread: {e}", self.name),
        }
    }
}

/// Returns a fresh database behind a PgBouncer in transaction pooling mode,
/// or `None` when there is no [`pg_base_url`](crate::pg_base_url) server, or
/// PgBouncer is not installed and cannot be (then after printing a notice,
/// or panicking when `ORM_REQUIRE_PG=1`).
///
/// The PgBouncer is started on first use, once per test process, on a free
/// port of 127.0.0.1, in front of the `pg_base_url` server (parsed for its
/// host, port, user and password). It runs as the `postgres` user when we are
/// root, with its configuration and log in a temporary directory; when the
/// test process exits it stops and the directory is removed. Its
/// configuration: `pool_mode = transaction`, `auth_type = any` (any client
/// user is let in; PgBouncer logs in to the server as the `pg_base_url`
/// user), a fallback database `*` mapping every database name to the one of
/// the same name on the server, `ignore_startup_parameters =
/// extra_float_digits,options`, `max_client_conn = 1000`,
/// `default_pool_size = 20`, no `server_reset_query`, and the admin console
/// (database `pgbouncer`) open to that user.
///
/// If the `pgbouncer` binary is missing and we are root, the Debian package
/// is installed (`apt-get update`, then `apt-get install -y pgbouncer`),
/// serialised across test processes with `flock` on
/// `/tmp/orm-tests-apt.lock`, with the package's own service kept from
/// starting.
///
/// Each call creates a new database `orm_b_<uuid>` on the server (over a
/// direct connection); see [`PgBouncerDatabase`].
///
/// # Panics
///
/// Panics if PgBouncer is there but does not start, or the database cannot
/// be created.
pub async fn pgbouncer_database() -> Option<PgBouncerDatabase> {
    let server_url = crate::pg_base_url().await?;
    let bouncer = BOUNCER
        .get_or_init(|| start_bouncer(server_url.clone()))
        .await
        .as_ref()?;

    let name = format!("orm_b_{}", uuid::Uuid::new_v4().simple());
    let started = Instant::now();
    let mut conn = PgConnection::connect(&server_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL at {server_url}: {e}"));
    conn.execute(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .await
        .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
    let _ = conn.close().await;
    tracing::debug!(
        target: "orm_tests",
        "created database {name} in {:?}",
        started.elapsed()
    );

    Some(PgBouncerDatabase {
        url: format!(
            "postgres://{}@127.0.0.1:{}/{name}",
            encode_userinfo(&bouncer.user),
            bouncer.port
        ),
        name,
        server_url,
    })
}

/// Drops database `name` on the server of `server_url`.
async fn drop_database(server_url: &str, name: &str) -> Result<(), String> {
    let mut conn = PgConnection::connect(server_url)
        .await
        .map_err(|e| format!("cannot connect to {server_url}: {e}"))?;
    let dropped = conn
        .execute(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
        )))
        .await;
    let _ = conn.close().await;
    dropped.map(drop).map_err(|e| e.to_string())
}

/// Finds (or installs) PgBouncer and starts it in front of `server_url`;
/// `None` after a notice when it cannot be had.
async fn start_bouncer(server_url: String) -> Option<Bouncer> {
    let binary = match blocking(find_or_install_pgbouncer).await {
        Ok(binary) => binary,
        Err(e) => {
            skip_or_panic(&format!("no PgBouncer: {e}"));
            return None;
        }
    };
    let server = ServerAddress::parse(&server_url)
        .unwrap_or_else(|e| panic!("cannot put PgBouncer in front of {server_url}: {e}"));

    let mut failures = Vec::new();
    for _ in 0..START_ATTEMPTS {
        let started = Instant::now();
        let (spawn_binary, spawn_server) = (binary.clone(), server.clone());
        let spawned = blocking(move || spawn_bouncer(&spawn_binary, &spawn_server)).await;
        let (mut child, dir, port) =
            spawned.unwrap_or_else(|e| panic!("cannot start PgBouncer: {e}"));

        let probe_url = format!(
            "postgres://{}@127.0.0.1:{port}/{}",
            encode_userinfo(&server.user),
            server.database
        );
        let ready =
            wait_until_ready(Some(&mut child), &probe_url, &dir.join("pgbouncer.log")).await;
        let lifeline = Lifeline::take(&mut child);
        match ready {
            Ok(()) => {
                lifeline.keep_until_exit();
                let version = pgbouncer_version(&binary);
                tracing::info!(
                    target: "orm_tests",
                    "{version} in transaction pooling mode on 127.0.0.1:{port}, in front of \
                     {}:{}, ready in {:?}",
                    server.host,
                    server.port,
                    started.elapsed()
                );
                return Some(Bouncer {
                    port,
                    user: server.user.clone(),
                });
            }
            // Dropping the lifeline stops PgBouncer and removes `dir`.
            Err(e) => failures.push(e),
        }
    }
    panic!(
        "cannot start PgBouncer ({}) in front of {server_url}:\n{}",
        binary.display(),
        failures.join("\n---\n")
    );
}

/// The first line of `pgbouncer --version` (for example `PgBouncer 1.18.0`).
fn pgbouncer_version(binary: &Path) -> String {
    run(Command::new(binary).arg("--version"))
        .ok()
        .and_then(|out| out.lines().next().map(str::to_owned))
        .unwrap_or_else(|| "PgBouncer (unknown version)".to_owned())
}

/// Returns the path of the `pgbouncer` binary, installing the Debian package
/// first when it is missing and we are root.
fn find_or_install_pgbouncer() -> Result<PathBuf, String> {
    if let Some(binary) = find_pgbouncer() {
        return Ok(binary);
    }
    if !running_as_root() {
        return Err(
            "the pgbouncer binary is not installed (and we are not root to install it)".to_owned(),
        );
    }
    let started = Instant::now();
    run(Command::new("flock")
        .args([APT_LOCK, "sh", "-c", APT_INSTALL_SCRIPT])
        .env(
            "PATH",
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ))
    .map_err(|e| format!("cannot install the pgbouncer package: {e}"))?;
    let binary = find_pgbouncer()
        .ok_or_else(|| "the pgbouncer package is installed, but no pgbouncer binary".to_owned())?;
    tracing::info!(
        target: "orm_tests",
        "installed the pgbouncer package in {:?}",
        started.elapsed()
    );
    Ok(binary)
}

/// The `pgbouncer` binary: Debian's `/usr/sbin/pgbouncer`, or one on `PATH`.
fn find_pgbouncer() -> Option<PathBuf> {
    let debian = PathBuf::from("/usr/sbin/pgbouncer");
    if debian.is_file() {
        return Some(debian);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("pgbouncer"))
        .find(|binary| binary.is_file())
}

/// Writes PgBouncer's configuration into a fresh scratch directory and
/// spawns the wrapper running it on a free port. Returns the wrapper, the
/// directory and the port.
fn spawn_bouncer(
    binary: &Path,
    server: &ServerAddress,
) -> Result<(std::process::Child, PathBuf, u16), String> {
    let as_postgres = running_as_root();
    let dir = scratch_dir("orm-pgbouncer", as_postgres)?;
    let spawned = (|| {
        let port = free_port()?;
        let ini = dir.join("pgbouncer.ini");
        std::fs::write(&ini, config(server, port, &dir)?)
            .map_err(|e| format!("cannot write {}: {e}", ini.display()))?;
        if as_postgres {
            chown_to_postgres(&dir)?;
        }
        let child = spawn_supervised(
            as_postgres,
            &dir,
            &dir.join("pgbouncer.log"),
            // Immediate shutdown: the clients are gone with the test process.
            "TERM",
            binary,
            &[ini.as_os_str()],
        )?;
        Ok((child, port))
    })();
    match spawned {
        Ok((child, port)) => Ok((child, dir, port)),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            Err(e)
        }
    }
}

/// The `pgbouncer.ini` of a PgBouncer on 127.0.0.1:`port` in front of
/// `server`, with its Unix socket in `dir`.
fn config(server: &ServerAddress, port: u16, dir: &Path) -> Result<String, String> {
    let mut target = format!(
        "host={} port={} user={}",
        connstr_value("host", &server.host)?,
        server.port,
        connstr_value("user", &server.user)?
    );
    if let Some(password) = &server.password {
        let _ = write!(target, " password={}", connstr_value("password", password)?);
    }
    let dir = dir
        .to_str()
        .ok_or_else(|| format!("{} is not UTF-8", dir.display()))?;
    Ok(format!(
        "[databases]\n\
         * = {target}\n\
         \n\
         [pgbouncer]\n\
         listen_addr = 127.0.0.1\n\
         listen_port = {port}\n\
         unix_socket_dir = {dir}\n\
         auth_type = any\n\
         admin_users = {user}\n\
         pool_mode = transaction\n\
         max_client_conn = 1000\n\
         default_pool_size = 20\n\
         server_reset_query =\n\
         ignore_startup_parameters = extra_float_digits,options\n",
        user = server.user
    ))
}

/// `value` as a PgBouncer connection string value; only plain values are
/// supported (no white space, quotes or backslashes).
fn connstr_value<'a>(key: &str, value: &'a str) -> Result<&'a str, String> {
    if value.is_empty()
        || value
            .chars()
            .any(|c| c.is_whitespace() || c == '\'' || c == '"' || c == '\\')
    {
        Err(format!(
            "the server {key} {value:?} is empty or has white space, quotes or backslashes, \
             which the harness does not pass on to PgBouncer"
        ))
    } else {
        Ok(value)
    }
}

/// Where PgBouncer finds the server, taken from its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ServerAddress {
    /// The host name or address, or the Unix socket directory.
    host: String,
    /// The port.
    port: u16,
    /// The user name PgBouncer logs in as.
    user: String,
    /// The password of `user`, if the URL has one.
    password: Option<String>,
    /// The database the URL names (the default is the user name), which the
    /// readiness check connects to through PgBouncer.
    database: String,
}

impl ServerAddress {
    /// Parses a `postgres://` URL.
    fn parse(url: &str) -> Result<ServerAddress, String> {
        let options = PgConnectOptions::from_str(url).map_err(|e| e.to_string())?;
        let host = match options.get_socket() {
            Some(socket) => socket
                .to_str()
                .ok_or_else(|| format!("{} is not UTF-8", socket.display()))?
                .to_owned(),
            None => options.get_host().to_owned(),
        };
        let user = options.get_username().to_owned();
        let database = options.get_database().unwrap_or(&user).to_owned();
        Ok(ServerAddress {
            host,
            port: options.get_port(),
            password: url_password(url),
            user,
            database,
        })
    }
}

/// The percent-decoded password of a `scheme://user:password@host/..` URL.
fn url_password(url: &str) -> Option<String> {
    let rest = &url[url.find("://")? + 3..];
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let userinfo = &authority[..authority.rfind('@')?];
    let password = &userinfo[userinfo.find(':')? + 1..];
    Some(percent_decode(password))
}

/// Decodes `%XX` escapes (leaving malformed ones as they are).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a user name for the user-info part of a URL.
fn encode_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Returns `url` with its database (the path) replaced by `database`,
/// keeping the query string.
fn with_database(url: &str, database: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[after_scheme..]
        .find(['/', '?'])
        .map_or(url.len(), |i| after_scheme + i);
    let query_start = url[authority_end..]
        .find('?')
        .map_or(url.len(), |i| authority_end + i);
    format!(
        "{}/{database}{}",
        &url[..authority_end],
        &url[query_start..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    /// `SELECT pg_backend_pid()` over the simple query protocol.
    async fn backend_pid(conn: &mut PgConnection) -> i32 {
        let row = sqlx::raw_sql("SELECT pg_backend_pid()")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        row.try_get(0).unwrap()
    }

    /// Whether database `name` exists on the server of `server_url`.
    async fn database_exists(server_url: &str, name: &str) -> bool {
        let mut conn = PgConnection::connect(server_url).await.unwrap();
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(name)
                .fetch_one(&mut conn)
                .await
                .unwrap();
        conn.close().await.unwrap();
        exists
    }

    #[tokio::test]
    async fn queries_run_through_the_bouncer() {
        crate::init_tracing();
        let Some(db) = pgbouncer_database().await else {
            return;
        };
        assert!(db.url.starts_with("postgres://"), "{}", db.url);
        assert!(db.url.ends_with(db.name()), "{}", db.url);

        let mut conn = PgConnection::connect(&db.url).await.unwrap();
        let row = sqlx::raw_sql("SELECT current_database()")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let name: String = row.try_get(0).unwrap();
        assert_eq!(name, db.name());

        // A transaction is the unit PgBouncer keeps on one server connection.
        let mut tx = conn.begin().await.unwrap();
        tx.execute("CREATE TABLE widget (id INT PRIMARY KEY)")
            .await
            .unwrap();
        tx.execute("INSERT INTO widget (id) VALUES (1), (2)")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let row = sqlx::raw_sql("SELECT count(*) FROM widget")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(row.try_get::<i64, _>(0).unwrap(), 2);
        conn.close().await.unwrap();

        // The same table, seen straight on the server.
        let mut direct = PgConnection::connect(&db.direct_url()).await.unwrap();
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM widget")
            .fetch_one(&mut direct)
            .await
            .unwrap();
        assert_eq!(count, 2);
        direct.close().await.unwrap();
    }

    #[tokio::test]
    async fn each_call_gets_its_own_database() {
        crate::init_tracing();
        let (Some(a), Some(b)) = (pgbouncer_database().await, pgbouncer_database().await) else {
            return;
        };
        assert_ne!(a.name(), b.name());
        assert_ne!(a.url, b.url);
        assert!(a.name().starts_with("orm_b_"), "{}", a.name());

        let mut conn_a = PgConnection::connect(&a.url).await.unwrap();
        conn_a
            .execute("CREATE TABLE widget (id INT PRIMARY KEY)")
            .await
            .unwrap();
        let mut conn_b = PgConnection::connect(&b.url).await.unwrap();
        let row = sqlx::raw_sql("SELECT to_regclass('widget')::text")
            .fetch_one(&mut conn_b)
            .await
            .unwrap();
        assert_eq!(row.try_get::<Option<String>, _>(0).unwrap(), None);
        conn_a.close().await.unwrap();
        conn_b.close().await.unwrap();
    }

    #[tokio::test]
    async fn the_admin_console_reports_transaction_pooling() {
        crate::init_tracing();
        let Some(db) = pgbouncer_database().await else {
            return;
        };
        let admin_url = with_database(&db.url, "pgbouncer");
        let mut admin = PgConnection::connect(&admin_url).await.unwrap();
        let rows = sqlx::raw_sql("SHOW CONFIG")
            .fetch_all(&mut admin)
            .await
            .unwrap();
        let setting = |key: &str| {
            rows.iter()
                .find(|row| row.try_get::<String, _>("key").unwrap() == key)
                .map(|row| row.try_get::<String, _>("value").unwrap())
        };
        assert_eq!(setting("pool_mode").as_deref(), Some("transaction"));
        assert_eq!(setting("auth_type").as_deref(), Some("any"));
        let _ = admin.close().await;
    }

    #[tokio::test]
    async fn two_clients_share_one_server_backend() {
        crate::init_tracing();
        let Some(db) = pgbouncer_database().await else {
            return;
        };
        // Both clients stay connected. In session pooling each would hold a
        // server connection of its own; in transaction pooling the server
        // connection goes back to the pool after each transaction, and the
        // second client's statement runs on the one the first just used.
        let mut first = PgConnection::connect(&db.url).await.unwrap();
        let mut second = PgConnection::connect(&db.url).await.unwrap();
        let pid_first = backend_pid(&mut first).await;
        let pid_second = backend_pid(&mut second).await;
        assert_eq!(pid_first, pid_second);

        // While a client is inside a transaction, its server connection is
        // its own: another client gets a different one.
        let mut tx = first.begin().await.unwrap();
        let pid_in_tx = backend_pid(&mut tx).await;
        let pid_other = backend_pid(&mut second).await;
        assert_ne!(pid_in_tx, pid_other);
        tx.rollback().await.unwrap();

        first.close().await.unwrap();
        second.close().await.unwrap();
    }

    #[tokio::test]
    async fn dropping_the_handle_drops_the_database() {
        crate::init_tracing();
        let Some(db) = pgbouncer_database().await else {
            return;
        };
        let server_url = db.server_url.clone();
        let name = db.name().to_owned();
        assert!(database_exists(&server_url, &name).await);

        // An open client connection does not keep the database alive.
        let mut conn = PgConnection::connect(&db.url).await.unwrap();
        conn.execute("SELECT 1").await.unwrap();
        drop(db);
        assert!(!database_exists(&server_url, &name).await);
        drop(conn);
    }

    #[test]
    fn server_addresses_are_parsed_from_urls() {
        assert_eq!(
            ServerAddress::parse("postgres://postgres@127.0.0.1:5432/test").unwrap(),
            ServerAddress {
                host: "127.0.0.1".to_owned(),
                port: 5432,
                user: "postgres".to_owned(),
                password: None,
                database: "test".to_owned(),
            }
        );
        let parsed = ServerAddress::parse("postgres://app:p%40ss@db.example:6000").unwrap();
        assert_eq!(parsed.host, "db.example");
        assert_eq!(parsed.port, 6000);
        assert_eq!(parsed.user, "app");
        assert_eq!(parsed.password.as_deref(), Some("p@ss"));
        assert_eq!(parsed.database, "app");
    }

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            with_database("postgres://u@h:1/postgres", "orm_b_x"),
            "postgres://u@h:1/orm_b_x"
        );
        assert_eq!(
            with_database("postgres://u@h:1/test?sslmode=disable", "orm_b_x"),
            "postgres://u@h:1/orm_b_x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h:1?sslmode=disable", "orm_b_x"),
            "postgres://u@h:1/orm_b_x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h:1", "d"), "postgres://u@h:1/d");
    }

    #[test]
    fn the_config_maps_every_database_to_the_server() {
        let server = ServerAddress::parse("postgres://postgres@127.0.0.1:5432/test").unwrap();
        let ini = config(&server, 7000, Path::new("/tmp/x")).unwrap();
        assert!(
            ini.contains("* = host=127.0.0.1 port=5432 user=postgres\n"),
            "{ini}"
        );
        assert!(ini.contains("pool_mode = transaction\n"), "{ini}");
        assert!(ini.contains("listen_port = 7000\n"), "{ini}");
        assert!(
            config(
                &ServerAddress::parse("postgres://u:a%20b@h/d").unwrap(),
                7000,
                Path::new("/tmp/x")
            )
            .is_err()
        );
    }
}
