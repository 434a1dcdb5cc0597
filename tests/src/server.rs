//! The local PostgreSQL binaries, and the throwaway server behind
//! [`pg_base_url`](crate::pg_base_url) when `ORM_TEST_PG_URL` is not set.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Child;

use crate::process::{
    Lifeline, blocking, command, free_port, run, running_as_root, scratch_dir, spawn_supervised,
    wait_until_ready,
};

/// How many times a server start is attempted (a free port can be taken by
/// someone else between probing for it and the server binding it).
pub(crate) const START_ATTEMPTS: usize = 3;

/// Finds a directory holding both `initdb` and `postgres`: the newest
/// `/usr/lib/postgresql/<version>/bin`, or else the directory of `initdb` on
/// `PATH`.
pub(crate) fn find_pg_bin_dir() -> Option<PathBuf> {
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

/// Initialises a cluster in `data` (trust authentication, superuser
/// `postgres`, UTF-8, no sync to disk), run from `cwd`, in the `C.UTF-8` locale:
/// code-point order (as SQLite's) with Unicode case mapping (`upper('ã')` is `Ã`, as on
/// the servers the suite is run against); plain `C` where that locale is missing.
pub(crate) fn initdb(
    bin_dir: &Path,
    cwd: &Path,
    data: &Path,
    as_postgres: bool,
) -> Result<(), String> {
    let init = |locale: &str| {
        run(command(as_postgres, bin_dir.join("initdb"))
            .current_dir(cwd)
            .arg("-D")
            .arg(data)
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8"])
            .arg(format!("--locale={locale}"))
            .arg("--no-sync"))
        .map(drop)
    };
    init("C.UTF-8").or_else(|_| {
        let _ = std::fs::remove_dir_all(data);
        init("C")
    })
}

/// Starts a throwaway PostgreSQL server from the binaries in `bin_dir` and
/// returns its URL once it accepts connections; panics if it cannot.
pub(crate) async fn start_throwaway_server(bin_dir: PathBuf) -> String {
    let mut failures = Vec::new();
    for _ in 0..START_ATTEMPTS {
        let bin = bin_dir.clone();
        let started = blocking(move || spawn_throwaway_server(&bin)).await;
        let (mut child, dir, url) = match started {
            Ok(started) => started,
            Err(e) => panic!("cannot start a throwaway PostgreSQL server: {e}"),
        };

        let ready = wait_until_ready(Some(&mut child), &url, &dir.join("server.log")).await;
        // Dropping `child` neither kills nor waits for the wrapper; dropping
        // the lifeline makes the wrapper stop the server (if it still runs)
        // and remove its directory.
        let lifeline = Lifeline::take(&mut child);
        match ready {
            Ok(()) => {
                lifeline.keep_until_exit();
                return url;
            }
            Err(e) => failures.push(e),
        }
    }
    panic!(
        "cannot start a throwaway PostgreSQL server from {}:\n{}",
        bin_dir.display(),
        failures.join("\n---\n")
    );
}

/// Initialises a data directory and spawns the wrapper running the server on
/// it, on a free port. Returns the wrapper process, its scratch directory and
/// the server URL.
fn spawn_throwaway_server(bin_dir: &Path) -> Result<(Child, PathBuf, String), String> {
    let as_postgres = running_as_root();
    let dir = scratch_dir("orm-pg", as_postgres)?;
    match init_and_spawn(bin_dir, &dir, as_postgres) {
        Ok((child, url)) => Ok((child, dir, url)),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            Err(e)
        }
    }
}

/// The part of [`spawn_throwaway_server`] after `dir` is created.
fn init_and_spawn(
    bin_dir: &Path,
    dir: &Path,
    as_postgres: bool,
) -> Result<(Child, String), String> {
    let data = dir.join("data");
    initdb(bin_dir, dir, &data, as_postgres)?;

    let port = free_port()?.to_string();
    let args: [&OsStr; 16] = [
        "-D".as_ref(),
        data.as_os_str(),
        "-k".as_ref(),
        dir.as_os_str(),
        "-h".as_ref(),
        "127.0.0.1".as_ref(),
        "-p".as_ref(),
        port.as_ref(),
        "-c".as_ref(),
        "fsync=off".as_ref(),
        "-c".as_ref(),
        "synchronous_commit=off".as_ref(),
        "-c".as_ref(),
        "full_page_writes=off".as_ref(),
        "-c".as_ref(),
        "max_connections=200".as_ref(),
    ];
    let child = spawn_supervised(
        as_postgres,
        dir,
        &dir.join("server.log"),
        "INT",
        &bin_dir.join("postgres"),
        &args,
    )?;
    Ok((
        child,
        format!("postgres://postgres@127.0.0.1:{port}/postgres"),
    ))
}
