//! A primary PostgreSQL server with a streaming hot-standby replica, both of
//! our own, for tests of reads routed to a replica.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use tokio::sync::{Mutex, OnceCell, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::process::{
    Lifeline, blocking, command, free_port, run, running_as_root, scratch_dir, skip_or_panic,
    spawn_guard, wait_until_ready,
};
use crate::server::{START_ATTEMPTS, find_pg_bin_dir, initdb};

/// The pair every test of the process shares, started on first use; `None`
/// when there are no local PostgreSQL binaries.
static PAIR: OnceCell<Option<ReplicaPair>> = OnceCell::const_new();

/// How long [`ReplicaPair::wait_for_replay`] waits for the replica.
const REPLAY_TIMEOUT: Duration = Duration::from_secs(30);

/// The clean-up run when the test process exits (`$1` the PostgreSQL `bin`
/// directory, `$2` the pair's scratch directory): stop both servers, which
/// `pg_ctl` started in the background, before the directory is removed.
const CLEANUP_SCRIPT: &str = r#"
"$1/pg_ctl" stop -D "$2/replica" -m immediate -w
"$1/pg_ctl" stop -D "$2/primary" -m immediate -w
"#;

/// The replication slot the replica streams from, so that the primary keeps
/// the WAL the replica has not received while it is stopped.
const SLOT: &str = "orm_replica";

/// A primary PostgreSQL server and a hot-standby replica streaming from it,
/// both clusters of our own (whatever `ORM_TEST_PG_URL` says), shared by the
/// tests of one process.
///
/// Returned by [`replica_pair`].
///
/// # Sharing the replica
///
/// Since tests run concurrently, a test that stops the replica
/// ([`stop_replica`](Self::stop_replica)) must hold the exclusive
/// [`replica_down_lock`](Self::replica_down_lock) from before stopping it
/// until after it started it again; every other test that uses the replica
/// (including through [`isolated_schema`](Self::isolated_schema) and
/// [`wait_for_replay`](Self::wait_for_replay)) holds the shared
/// [`replica_up_lock`](Self::replica_up_lock) for as long as it does. The
/// lock is not re-entrant: do not take one while holding the other. A
/// replica left stopped by a test that failed halfway is started again by
/// the next taker of either lock.
#[derive(Debug)]
pub struct ReplicaPair {
    /// The PostgreSQL `bin` directory.
    bin_dir: PathBuf,
    /// The scratch directory: `primary/`, `replica/`, their logs and Unix
    /// sockets.
    dir: PathBuf,
    /// Whether the servers run as the `postgres` user.
    as_postgres: bool,
    /// The primary's port on 127.0.0.1.
    primary_port: u16,
    /// The replica's port on 127.0.0.1.
    replica_port: u16,
    /// Shared while tests need the replica up, exclusive while one stops it.
    lock: RwLock<()>,
    /// Whether [`ReplicaPair::stop_replica`] left the replica stopped.
    stopped: AtomicBool,
    /// Serialises the restart of a replica left stopped.
    restart: Mutex<()>,
}

/// Returns the primary/replica pair, started on first use (once per
/// process), or `None` when there are no local PostgreSQL binaries (after
/// printing a notice, or panicking when `ORM_REQUIRE_PG=1`).
///
/// From the binaries [`pg_base_url`](crate::pg_base_url) would use (including
/// `pg_ctl` and `pg_basebackup`), a fresh primary is initialised in a
/// temporary directory (`wal_level = replica`, `max_wal_senders = 5`,
/// `hot_standby = on`, no `fsync`, trust authentication, replication
/// connections allowed from 127.0.0.1) and started on a free port; the
/// replica is made from it with `pg_basebackup -R -X stream` (streaming from
/// a replication slot) and started on another free port. Both run as the
/// `postgres` user when we are root, are stopped when the test process exits,
/// and their directory is removed then.
///
/// This does not depend on `ORM_TEST_PG_URL`.
///
/// # Panics
///
/// Panics if the binaries are there but the pair cannot be started.
pub async fn replica_pair() -> Option<&'static ReplicaPair> {
    PAIR.get_or_init(start_pair).await.as_ref()
}

impl ReplicaPair {
    /// URL of the primary: `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub fn primary_url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/postgres",
            self.primary_port
        )
    }

    /// URL of the replica: `postgres://postgres@127.0.0.1:PORT/postgres`.
    /// Its transactions are read-only.
    pub fn replica_url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/postgres",
            self.replica_port
        )
    }

    /// Takes the lock shared by the tests that need the replica running
    /// (see [the type's documentation](Self#sharing-the-replica)); the
    /// replica is not stopped while the guard lives.
    ///
    /// If a test that stopped the replica released
    /// [`replica_down_lock`](Self::replica_down_lock) without starting it
    /// again (it failed halfway, say), the replica is started here first.
    pub async fn replica_up_lock(&self) -> RwLockReadGuard<'_, ()> {
        let guard = self.lock.read().await;
        self.start_if_left_stopped().await;
        guard
    }

    /// Takes the lock exclusively, for a test that stops the replica: no
    /// other test uses the replica while the guard lives. Start the replica
    /// again before dropping it.
    ///
    /// Like [`replica_up_lock`](Self::replica_up_lock), it first starts a
    /// replica left stopped, so the replica is running when this returns.
    pub async fn replica_down_lock(&self) -> RwLockWriteGuard<'_, ()> {
        let guard = self.lock.write().await;
        self.start_if_left_stopped().await;
        guard
    }

    /// Starts the replica if a test stopped it and released the lock without
    /// starting it again. Called with the lock held (shared or exclusive), so
    /// nobody stops it meanwhile.
    async fn start_if_left_stopped(&self) {
        if self.stopped.load(Ordering::SeqCst) {
            let _restart = self.restart.lock().await;
            if self.stopped.load(Ordering::SeqCst) {
                tracing::warn!(
                    target: "orm_tests",
                    "the replica was left stopped by a test; starting it again"
                );
                self.start_replica().await;
            }
        }
    }

    /// Waits until the replica has replayed everything the primary has
    /// written so far (`pg_last_wal_replay_lsn()` on the replica reaches
    /// `pg_current_wal_lsn()` of the primary), so that what committed on the
    /// primary before this call is visible on the replica.
    ///
    /// # Panics
    ///
    /// Panics if the primary cannot be queried, or the replica has not caught
    /// up within 30 seconds (for example because it is stopped).
    pub async fn wait_for_replay(&self) {
        let primary_url = self.primary_url();
        let mut primary = PgConnection::connect(&primary_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the primary at {primary_url}: {e}"));
        let target: String = sqlx::query_scalar("SELECT pg_current_wal_lsn()::text")
            .fetch_one(&mut primary)
            .await
            .unwrap_or_else(|e| panic!("cannot read the primary's WAL position: {e}"));
        let _ = primary.close().await;

        let replica_url = self.replica_url();
        let deadline = Instant::now() + REPLAY_TIMEOUT;
        let mut replica: Option<PgConnection> = None;
        let mut last_seen = String::from("(no answer from the replica)");
        loop {
            if replica.is_none() {
                match PgConnection::connect(&replica_url).await {
                    Ok(conn) => replica = Some(conn),
                    Err(e) => last_seen = format!("cannot connect: {e}"),
                }
            }
            if let Some(conn) = replica.as_mut() {
                let replayed: Result<(Option<String>, Option<bool>), _> = sqlx::query_as(
                    "SELECT pg_last_wal_replay_lsn()::text, pg_last_wal_replay_lsn() >= $1::pg_lsn",
                )
                .bind(&target)
                .fetch_one(&mut *conn)
                .await;
                match replayed {
                    Ok((_, Some(true))) => break,
                    Ok((lsn, _)) => last_seen = format!("replayed up to {lsn:?}"),
                    Err(e) => {
                        last_seen = format!("cannot query: {e}");
                        replica = None;
                    }
                }
            }
            if Instant::now() >= deadline {
                panic!(
                    "the replica at {replica_url} did not replay the primary's WAL up to {target} \
                     within {REPLAY_TIMEOUT:?}: {last_seen} (is it stopped? tests that stop it \
                     hold replica_down_lock, the others replica_up_lock)"
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if let Some(conn) = replica {
            let _ = conn.close().await;
        }
    }

    /// Stops the replica (`pg_ctl stop -m fast`, which disconnects its
    /// clients), for tests of a replica that is down.
    ///
    /// # Panics
    ///
    /// Panics if the replica cannot be stopped, or if nobody holds
    /// [`replica_down_lock`](Self::replica_down_lock) (the caller must).
    pub async fn stop_replica(&self) {
        assert!(
            self.lock.try_read().is_err(),
            "hold ReplicaPair::replica_down_lock() while the replica is stopped"
        );
        let (pg_ctl, data, as_postgres) = (self.pg_ctl(), self.replica_dir(), self.as_postgres);
        blocking(move || {
            run(command(as_postgres, pg_ctl)
                .arg("stop")
                .arg("-D")
                .arg(data)
                .args(["-m", "fast", "-w", "-s"]))
        })
        .await
        .unwrap_or_else(|e| panic!("cannot stop the replica: {e}"));
        self.stopped.store(true, Ordering::SeqCst);
    }

    /// Starts the replica again after [`stop_replica`](Self::stop_replica),
    /// on the same port, and waits until it accepts connections. It then
    /// catches up with the primary by itself (see
    /// [`wait_for_replay`](Self::wait_for_replay)).
    ///
    /// # Panics
    ///
    /// Panics if the replica does not start.
    pub async fn start_replica(&self) {
        let (pg_ctl, data, as_postgres) = (self.pg_ctl(), self.replica_dir(), self.as_postgres);
        let log = self.dir.join("replica.log");
        let started = blocking(move || pg_ctl_start(as_postgres, &pg_ctl, &data, &log)).await;
        if let Err(e) = started {
            panic!("cannot start the replica again: {e}");
        }
        if let Err(e) =
            wait_until_ready(None, &self.replica_url(), &self.dir.join("replica.log")).await
        {
            panic!("the replica was started again but does not answer: {e}");
        }
        self.stopped.store(false, Ordering::SeqCst);
    }

    /// Creates a fresh schema `orm_r_<uuid>` on the primary, waits until the
    /// replica has it, and returns the URLs of the primary and of the replica
    /// with the session `search_path` set to it, so that unqualified table
    /// names are private to the test. The schemas are not dropped.
    ///
    /// Hold [`replica_up_lock`](Self::replica_up_lock) while calling it.
    ///
    /// # Panics
    ///
    /// Panics if the schema cannot be created or does not reach the replica.
    pub async fn isolated_schema(&self) -> (String, String) {
        let schema = format!("orm_r_{}", uuid::Uuid::new_v4().simple());
        let primary_url = self.primary_url();
        let mut conn = PgConnection::connect(&primary_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the primary at {primary_url}: {e}"));
        conn.execute(AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\"")))
            .await
            .unwrap_or_else(|e| panic!("cannot create schema {schema}: {e}"));
        let _ = conn.close().await;
        self.wait_for_replay().await;
        (
            crate::with_search_path(&primary_url, &schema),
            crate::with_search_path(&self.replica_url(), &schema),
        )
    }

    /// The `pg_ctl` binary.
    fn pg_ctl(&self) -> PathBuf {
        self.bin_dir.join("pg_ctl")
    }

    /// The replica's data directory.
    fn replica_dir(&self) -> PathBuf {
        self.dir.join("replica")
    }
}

/// Starts the pair; `None` after a notice when there are no binaries.
async fn start_pair() -> Option<ReplicaPair> {
    let Some(bin_dir) = find_pg_bin_dir()
        .filter(|bin| bin.join("pg_ctl").is_file() && bin.join("pg_basebackup").is_file())
    else {
        skip_or_panic(
            "no local PostgreSQL binaries (initdb, postgres, pg_ctl, pg_basebackup) for the replica pair",
        );
        return None;
    };

    let started = Instant::now();
    let bin = bin_dir.clone();
    let (pair, lifeline) = blocking(move || set_up_pair(bin))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "cannot start a primary and replica from {}: {e}",
                bin_dir.display()
            )
        });
    for (url, log) in [
        (pair.primary_url(), "primary.log"),
        (pair.replica_url(), "replica.log"),
    ] {
        if let Err(e) = wait_until_ready(None, &url, &pair.dir.join(log)).await {
            // Dropping `lifeline` stops both servers and removes the directory.
            drop(lifeline);
            panic!("the replica pair was started but does not answer: {e}");
        }
    }
    lifeline.keep_until_exit();
    tracing::info!(
        target: "orm_tests",
        "primary on 127.0.0.1:{} and replica on 127.0.0.1:{} ready in {:?}",
        pair.primary_port,
        pair.replica_port,
        started.elapsed()
    );
    Some(pair)
}

/// Initialises and starts the primary, makes the replica from it and starts
/// it. Returns the pair and the lifeline of the guard that stops both at exit
/// (dropped, so cleaning up at once, on failure).
fn set_up_pair(bin_dir: PathBuf) -> Result<(ReplicaPair, Lifeline), String> {
    let as_postgres = running_as_root();
    let dir = scratch_dir("orm-replica", as_postgres)?;
    let mut guard = match spawn_guard(
        as_postgres,
        &dir,
        CLEANUP_SCRIPT,
        &[bin_dir.as_os_str(), dir.as_os_str()],
    ) {
        Ok(guard) => guard,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
    };
    // From here on, an early return drops the lifeline: the guard stops
    // whatever was started and removes the directory.
    let lifeline = Lifeline::take(&mut guard);
    let mut step = Instant::now();
    let mut took = |what: &str| {
        tracing::debug!(target: "orm_tests", "replica pair: {what} in {:?}", step.elapsed());
        step = Instant::now();
    };

    let primary = dir.join("primary");
    let replica = dir.join("replica");
    let pg_ctl = bin_dir.join("pg_ctl");

    initdb(&bin_dir, &dir, &primary, as_postgres)?;
    took("initdb of the primary");
    let socket_dir = dir
        .to_str()
        .ok_or_else(|| format!("{} is not UTF-8", dir.display()))?;
    append(
        &primary.join("postgresql.conf"),
        &format!(
            "\n# orm-tests replica pair\n\
             listen_addresses = '127.0.0.1'\n\
             unix_socket_directories = '{socket_dir}'\n\
             max_connections = 100\n\
             wal_level = replica\n\
             max_wal_senders = 5\n\
             max_replication_slots = 5\n\
             hot_standby = on\n\
             hot_standby_feedback = on\n\
             wal_receiver_status_interval = 1s\n\
             fsync = off\n\
             full_page_writes = off\n"
        ),
    )?;
    std::fs::write(
        primary.join("pg_hba.conf"),
        "local all all trust\n\
         host all all 127.0.0.1/32 trust\n\
         local replication all trust\n\
         host replication all 127.0.0.1/32 trust\n",
    )
    .map_err(|e| format!("cannot write pg_hba.conf: {e}"))?;
    let primary_port =
        start_on_free_port(as_postgres, &pg_ctl, &primary, &dir.join("primary.log"))?;
    took("start of the primary");

    run(command(as_postgres, bin_dir.join("pg_basebackup"))
        .current_dir(&dir)
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &primary_port.to_string(),
            "-U",
            "postgres",
        ])
        .arg("-D")
        .arg(&replica)
        .args([
            "-R",
            "-X",
            "stream",
            "-C",
            "-S",
            SLOT,
            "-c",
            "fast",
            "--no-sync",
        ]))?;
    took("pg_basebackup");
    let replica_port =
        start_on_free_port(as_postgres, &pg_ctl, &replica, &dir.join("replica.log"))?;
    took("start of the replica");

    Ok((
        ReplicaPair {
            bin_dir,
            dir,
            as_postgres,
            primary_port,
            replica_port,
            lock: RwLock::new(()),
            stopped: AtomicBool::new(false),
            restart: Mutex::new(()),
        },
        lifeline,
    ))
}

/// Starts the server of `data` on a free port (appended to its
/// `postgresql.conf`, where the last setting wins), trying again on another
/// port if that one was taken meanwhile.
fn start_on_free_port(
    as_postgres: bool,
    pg_ctl: &Path,
    data: &Path,
    log: &Path,
) -> Result<u16, String> {
    let mut failures = Vec::new();
    for _ in 0..START_ATTEMPTS {
        let port = free_port()?;
        append(&data.join("postgresql.conf"), &format!("port = {port}\n"))?;
        match pg_ctl_start(as_postgres, pg_ctl, data, log) {
            Ok(()) => return Ok(port),
            Err(e) => failures.push(e),
        }
    }
    Err(failures.join("\n---\n"))
}

/// `pg_ctl start` on `data`, waiting until it accepts connections; the error
/// carries the server log.
fn pg_ctl_start(as_postgres: bool, pg_ctl: &Path, data: &Path, log: &Path) -> Result<(), String> {
    run(command(as_postgres, pg_ctl)
        .arg("start")
        .arg("-D")
        .arg(data)
        .arg("-l")
        .arg(log)
        .args(["-w", "-t", "60", "-s"]))
    .map(drop)
    .map_err(|e| {
        let log_text = std::fs::read_to_string(log).unwrap_or_default();
        format!("{e}\n{}:\n{log_text}", log.display())
    })
}

/// Appends `text` to the file at `path` (keeping its owner).
fn append(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|e| format!("cannot append to {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `SELECT pg_is_in_recovery()` on `url`.
    async fn in_recovery(url: &str) -> bool {
        let mut conn = PgConnection::connect(url).await.unwrap();
        let recovering: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        recovering
    }

    /// The ids in table `widget` on `url`.
    async fn widget_ids(url: &str) -> Vec<i32> {
        let mut conn = PgConnection::connect(url).await.unwrap();
        let ids = sqlx::query_scalar("SELECT id FROM widget ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        ids
    }

    #[tokio::test]
    async fn the_replica_is_in_recovery_and_the_primary_is_not() {
        crate::init_tracing();
        let Some(pair) = replica_pair().await else {
            return;
        };
        let _up = pair.replica_up_lock().await;
        assert!(!in_recovery(&pair.primary_url()).await);
        assert!(in_recovery(&pair.replica_url()).await);
        assert_ne!(pair.primary_url(), pair.replica_url());
    }

    #[tokio::test]
    async fn writes_on_the_primary_reach_the_replica() {
        crate::init_tracing();
        let Some(pair) = replica_pair().await else {
            return;
        };
        let _up = pair.replica_up_lock().await;
        let (primary, replica) = pair.isolated_schema().await;

        let mut conn = PgConnection::connect(&primary).await.unwrap();
        conn.execute("CREATE TABLE widget (id INT PRIMARY KEY)")
            .await
            .unwrap();
        conn.execute("INSERT INTO widget (id) VALUES (1), (2)")
            .await
            .unwrap();
        conn.close().await.unwrap();

        pair.wait_for_replay().await;
        assert_eq!(widget_ids(&replica).await, [1, 2]);
    }

    #[tokio::test]
    async fn the_replica_refuses_writes() {
        crate::init_tracing();
        let Some(pair) = replica_pair().await else {
            return;
        };
        let _up = pair.replica_up_lock().await;
        let (_, replica) = pair.isolated_schema().await;
        let mut conn = PgConnection::connect(&replica).await.unwrap();
        let err = conn
            .execute("CREATE TABLE widget (id INT PRIMARY KEY)")
            .await
            .unwrap_err();
        let code = err.as_database_error().and_then(|e| e.code());
        // read_only_sql_transaction
        assert_eq!(code.as_deref(), Some("25006"), "{err}");
        conn.close().await.unwrap();
    }

    #[tokio::test]
    async fn the_replica_can_be_stopped_and_started() {
        crate::init_tracing();
        let Some(pair) = replica_pair().await else {
            return;
        };
        let (primary, replica) = {
            let _up = pair.replica_up_lock().await;
            pair.isolated_schema().await
        };

        let down = pair.replica_down_lock().await;
        pair.stop_replica().await;
        assert!(PgConnection::connect(&replica).await.is_err());

        // The primary goes on; the replica catches up once started again.
        let mut conn = PgConnection::connect(&primary).await.unwrap();
        conn.execute("CREATE TABLE widget (id INT PRIMARY KEY)")
            .await
            .unwrap();
        conn.execute("INSERT INTO widget (id) VALUES (7)")
            .await
            .unwrap();
        conn.close().await.unwrap();

        pair.start_replica().await;
        pair.wait_for_replay().await;
        assert_eq!(widget_ids(&replica).await, [7]);
        drop(down);
    }

    #[tokio::test]
    async fn a_replica_left_stopped_is_started_by_the_next_user() {
        crate::init_tracing();
        let Some(pair) = replica_pair().await else {
            return;
        };
        {
            let _down = pair.replica_down_lock().await;
            pair.stop_replica().await;
            // As if the test stopping it failed before starting it again.
        }
        let _up = pair.replica_up_lock().await;
        assert!(in_recovery(&pair.replica_url()).await);
    }
}
