//! Helper processes whose lifetime is tied to the test process.
//!
//! Every server the harness starts (the throwaway PostgreSQL server,
//! PgBouncer, the replica pair) is run by a small shell wrapper whose
//! standard input is a pipe from the test process. The harness never writes
//! to that pipe: it only keeps the write end open (see [`Lifeline`]). When the
//! test process exits, however it exits, the kernel closes the write end, the
//! wrapper reads end-of-file, stops what it looks after and removes its
//! scratch directory.
//!
//! When the harness runs as root, the wrappers (and so the servers) run as the
//! `postgres` user, since PostgreSQL and PgBouncer refuse to run as root.

use std::io::Read;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor, PgConnection};

/// How long a server gets to start accepting connections.
pub(crate) const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// The write ends of the pipes feeding the wrappers of the servers that live
/// as long as the test process. Never written to, never closed: the kernel
/// closes them when the process exits.
static LIFELINES: Mutex<Vec<ChildStdin>> = Mutex::new(Vec::new());

/// Shell wrapper running one server in the foreground and tying its lifetime
/// to the pipe on the wrapper's standard input.
///
/// Arguments: `$1` the scratch directory (removed once the server is gone),
/// `$2` the log file the server's output goes to, `$3` the signal that stops
/// the server, then the server's command line.
///
/// A watcher subshell blocks reading the pipe (saved as fd 3, since
/// background jobs get `/dev/null` as standard input, and closed for the
/// server itself); on end-of-file it sends the signal. If the server exits
/// with an error (for example, its port was taken) its log goes to standard
/// error, where the harness reads it.
const SUPERVISE_SCRIPT: &str = r#"
dir=$1 log=$2 signal=$3
shift 3
trap '' INT
exec 3<&0 </dev/null
"$@" >"$log" 2>&1 3<&- &
pid=$!
( read _ <&3; kill -"$signal" "$pid" 2>/dev/null ) >/dev/null 2>&1 &
watcher=$!
exec 3<&-
wait "$pid"
status=$?
kill "$watcher" 2>/dev/null
if [ "$status" -ne 0 ]; then
    cat "$log" >&2
fi
rm -rf "$dir"
exit "$status"
"#;

/// Shell wrapper that only waits: when the pipe on its standard input reaches
/// end-of-file it runs a clean-up script and removes the scratch directory.
///
/// Arguments: `$1` the scratch directory, `$2` the clean-up script, then the
/// arguments of the clean-up script. Used for servers managed by `pg_ctl`,
/// which may be stopped and started again while the test process runs.
const GUARD_SCRIPT: &str = r#"
dir=$1 cleanup=$2
shift 2
trap '' INT
read _
sh -c "$cleanup" sh "$@" >/dev/null 2>&1 </dev/null
rm -rf "$dir"
"#;

/// The write end of the pipe feeding a wrapper started by [`spawn_supervised`]
/// or [`spawn_guard`].
///
/// Dropping it closes the pipe, which makes the wrapper clean up now (use
/// that when a start-up fails); [`Lifeline::keep_until_exit`] keeps it open
/// until the test process exits.
pub(crate) struct Lifeline(ChildStdin);

impl Lifeline {
    /// Takes the write end of the pipe on `child`'s standard input.
    pub(crate) fn take(child: &mut Child) -> Lifeline {
        Lifeline(child.stdin.take().expect("the wrapper's stdin is piped"))
    }

    /// Keeps the pipe open for as long as the test process lives.
    pub(crate) fn keep_until_exit(self) {
        LIFELINES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(self.0);
    }
}

/// Whether `ORM_REQUIRE_PG=1` asks for a panic instead of a skipped test.
pub(crate) fn pg_required() -> bool {
    std::env::var("ORM_REQUIRE_PG").is_ok_and(|v| v.trim() == "1")
}

/// Prints that tests are skipped because of `reason`, or panics with it when
/// `ORM_REQUIRE_PG=1`.
pub(crate) fn skip_or_panic(reason: &str) {
    if pg_required() {
        panic!("ORM_REQUIRE_PG=1 but {reason}");
    }
    eprintln!("tests skipped: {reason}");
}

/// Whether this process runs as root, where PostgreSQL and PgBouncer refuse
/// to run and must be run as the `postgres` user instead.
pub(crate) fn running_as_root() -> bool {
    static ROOT: OnceLock<bool> = OnceLock::new();
    *ROOT.get_or_init(|| {
        Command::new("id").arg("-u").output().is_ok_and(|out| {
            out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "0"
        })
    })
}

/// Builds a command running `program` as the `postgres` user when
/// `as_postgres` is set, or as ourselves otherwise.
pub(crate) fn command(as_postgres: bool, program: impl AsRef<std::ffi::OsStr>) -> Command {
    if as_postgres {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

/// Runs `cmd` to completion and returns its standard output, turning a
/// failure into a message with its output.
pub(crate) fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
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
pub(crate) fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// Creates a fresh scratch directory `<prefix>-<uuid>`, owned by `postgres`
/// when `as_postgres` is set.
///
/// It is made under `/tmp` when running as `postgres`, which must be able to
/// reach it (a root-only `TMPDIR` would not do), or else under the temporary
/// directory.
pub(crate) fn scratch_dir(prefix: &str, as_postgres: bool) -> Result<PathBuf, String> {
    let parent = if as_postgres {
        PathBuf::from("/tmp")
    } else {
        std::env::temp_dir()
    };
    let dir = parent.join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if as_postgres && let Err(e) = chown_to_postgres(&dir) {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(e);
    }
    Ok(dir)
}

/// Gives `path` (and everything under it) to the `postgres` user.
pub(crate) fn chown_to_postgres(path: &Path) -> Result<(), String> {
    run(Command::new("chown").args(["-R", "postgres:"]).arg(path)).map(drop)
}

/// Spawns [`SUPERVISE_SCRIPT`] running `program` with `args` in the
/// foreground, its output going to `log`, stopped with `signal` when the test
/// process exits, `dir` removed once it is gone.
///
/// The returned wrapper has its standard input piped (take it with
/// [`Lifeline::take`]) and its standard error piped (the server log when the
/// server failed).
pub(crate) fn spawn_supervised(
    as_postgres: bool,
    dir: &Path,
    log: &Path,
    signal: &str,
    program: &Path,
    args: &[&std::ffi::OsStr],
) -> Result<Child, String> {
    command(as_postgres, "sh")
        .current_dir(dir)
        .arg("-c")
        .arg(SUPERVISE_SCRIPT)
        .arg("sh")
        .arg(dir)
        .arg(log)
        .arg(signal)
        .arg(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot spawn the wrapper of {}: {e}", program.display()))
}

/// Spawns [`GUARD_SCRIPT`]: once the test process exits (or the returned
/// wrapper's [`Lifeline`] is dropped), it runs the shell script `cleanup`
/// with `args` as `$1`, `$2`, ... and then removes `dir`.
pub(crate) fn spawn_guard(
    as_postgres: bool,
    dir: &Path,
    cleanup: &str,
    args: &[&std::ffi::OsStr],
) -> Result<Child, String> {
    command(as_postgres, "sh")
        .current_dir(dir)
        .arg("-c")
        .arg(GUARD_SCRIPT)
        .arg("sh")
        .arg(dir)
        .arg(cleanup)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot spawn the guard of {}: {e}", dir.display()))
}

/// Connects to `url`, runs `SELECT 1` (over the simple query protocol, which
/// PgBouncer's transaction pooling handles like any other) and closes the
/// connection, failing after `timeout`.
pub(crate) async fn probe(url: &str, timeout: Duration) -> Result<(), String> {
    let attempt = async {
        let mut conn = PgConnection::connect(url)
            .await
            .map_err(|e| e.to_string())?;
        conn.execute("SELECT 1").await.map_err(|e| e.to_string())?;
        let _ = conn.close().await;
        Ok(())
    };
    match tokio::time::timeout(timeout, attempt).await {
        Ok(result) => result,
        Err(_) => Err(format!("no answer within {timeout:?}")),
    }
}

/// Waits until `url` answers [`probe`], giving up after [`READY_TIMEOUT`] or
/// as soon as the wrapper `child` (if any) exits, which means the server
/// failed. The error carries the server's log (`log`, or what the wrapper
/// printed when the server failed).
pub(crate) async fn wait_until_ready(
    mut child: Option<&mut Child>,
    url: &str,
    log: &Path,
) -> Result<(), String> {
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        if let Some(child) = child.as_deref_mut() {
            match child.try_wait() {
                Ok(Some(status)) => {
                    let mut output = String::new();
                    if let Some(mut stderr) = child.stderr.take() {
                        let _ = stderr.read_to_string(&mut output);
                    }
                    return Err(format!("the server exited ({status}):\n{output}"));
                }
                Ok(None) => {}
                Err(e) => return Err(format!("cannot check on the server: {e}")),
            }
        }
        let last_error = match probe(url, Duration::from_secs(2)).await {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        if Instant::now() >= deadline {
            let log_text = std::fs::read_to_string(log)
                .unwrap_or_else(|e| format!("(cannot read {}: {e})", log.display()));
            return Err(format!(
                "the server at {url} did not accept connections within {READY_TIMEOUT:?}: \
                 {last_error}\n{}:\n{log_text}",
                log.display()
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs the blocking `f` on tokio's blocking thread pool.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(f).await {
        Ok(value) => value,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("a blocking harness task did not finish: {e}"),
    }
}
