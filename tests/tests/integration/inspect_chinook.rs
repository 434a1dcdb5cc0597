//! `inspect` round trip on the public Chinook database, on SQLite and PostgreSQL: load it,
//! inspect it, and
//!
//! 1. the source equals the committed models (`inspected_chinook_sqlite.rs`,
//!    `inspected_chinook_postgres.rs`, modules of this binary, so they compile); run with
//!    `ORM_BLESS=1` to write them again;
//! 2. `check` of the committed models' `schema()` against the database finds no operation;
//! 3. rows read through the committed models.
//!
//! Chinook comes from `ORM_CHINOOK_DIR`, else from `shared/datasets/chinook` beside the
//! repository, else from [`DEFAULT_CHINOOK_DIR`].

use std::path::{Path, PathBuf};

use orm::migrate::{Migrations, Migrator, Renames};
use orm::prelude::*;
use sqlx::{AssertSqlSafe, Connection, Executor as _, PgConnection};

use crate::inspected_chinook_postgres as pg;
use crate::inspected_chinook_sqlite as lite;

/// Where the Chinook files are read from when neither `ORM_CHINOOK_DIR` nor a `shared/`
/// beside the repository has them.
const DEFAULT_CHINOOK_DIR: &str = "/work/shared/datasets/chinook";

fn chinook_file(name: &str) -> PathBuf {
    if let Ok(dir) = std::env::var("ORM_CHINOOK_DIR") {
        return Path::new(&dir).join(name);
    }
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets/chinook");
    let dir = if beside.join(name).exists() {
        beside
    } else {
        PathBuf::from(DEFAULT_CHINOOK_DIR)
    };
    dir.join(name)
}

/// A copy of a file that is removed (with SQLite's side files) when dropped.
struct TempCopy(PathBuf);

impl Drop for TempCopy {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// The committed file is the inspected source; `ORM_BLESS=1` writes it instead.
pub(crate) fn assert_golden(file: &str, source: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/integration")
        .join(file);
    if std::env::var("ORM_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let committed =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if committed != source {
        let first = committed
            .lines()
            .zip(source.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(source.lines().count()));
        panic!(
            "{} differs from what inspect writes now, from line {}:\n  committed: {:?}\n  \
             inspected: {:?}\nrun with ORM_BLESS=1 to write it again, then review the diff\n\
             --- inspected ---\n{source}",
            path.display(),
            first + 1,
            committed.lines().nth(first),
            source.lines().nth(first),
        );
    }
}

/// Inspect `db` against the golden `file`, then check the committed `schema` against `db`.
async fn round_trip(db: &Database, file: &str, schema: &Schema) -> Result<()> {
    let source = orm::migrate::inspect(db).await?;
    assert_golden(file, &source);
    let found = Migrator::new(Migrations::default())
        .check(db, schema, &Renames::default())
        .await?;
    let described: Vec<String> = found.operations.iter().map(|op| op.describe()).collect();
    assert!(
        found.is_empty(),
        "{file}: the database differs from the inspected models:\n{}",
        described.join("\n")
    );
    Ok(())
}

fn midnight(year: i32, month: u32, day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("a date")
}

/// Rows of the SQLite file through the inspected models: keys, text, `DATETIME` text
/// (`1962-02-18 00:00:00`) as `NaiveDateTime`, and relationships both ways.
///
/// Chinook's SQLite file keeps its `NUMERIC(10,2)` money as REAL (`0.99`), while orm keeps
/// decimals on SQLite as scaled integers and refuses to read a float as a decimal: the models
/// are right about the schema, but their decimal columns cannot be read from this file's
/// rows. Pinned here so that a change of that rule shows.
async fn read_sqlite(db: &Database) -> Result<()> {
    assert_eq!(lite::Album::query().count(db).await?, 347);
    assert_eq!(lite::PlaylistTrack::query().count(db).await?, 8715);
    let album = lite::Album::query()
        .with(lite::Album::artist)
        .order_by(lite::Album::album_id)
        .first(db)
        .await?
        .expect("an album");
    assert_eq!(album.title, "For Those About To Rock We Salute You");
    assert_eq!(album.artist.get()?.name.as_deref(), Some("AC/DC"));
    let artist = lite::Artist::query()
        .with(lite::Artist::albums)
        .order_by(lite::Artist::artist_id)
        .first(db)
        .await?
        .expect("an artist");
    let mut albums: Vec<i32> = artist.albums.get()?.iter().map(|a| a.album_id).collect();
    albums.sort_unstable();
    assert_eq!(albums, [1, 4]);
    let adams = lite::Employee::query()
        .with(lite::Employee::employees)
        .order_by(lite::Employee::employee_id)
        .first(db)
        .await?
        .expect("an employee");
    assert_eq!(adams.birth_date, Some(midnight(1962, 2, 18)));
    assert_eq!(adams.reports_to, None);
    let mut reports: Vec<i32> = adams
        .employees
        .get()?
        .iter()
        .map(|e| e.employee_id)
        .collect();
    reports.sort_unstable();
    assert_eq!(reports, [2, 6]);

    let error = lite::Track::query()
        .first(db)
        .await
        .expect_err("a REAL read as a decimal");
    assert!(
        matches!(&error, Error::Decode { column, message, .. }
            if column == "UnitPrice" && message.contains("REAL")),
        "{error:?}"
    );
    Ok(())
}

/// Rows of the PostgreSQL script through the inspected models: decimals, timestamps,
/// nullable and self-referencing foreign keys, and relationships both ways.
async fn read_postgres(db: &Database) -> Result<()> {
    assert_eq!(pg::Track::query().count(db).await?, 3503);
    assert_eq!(pg::PlaylistTrack::query().count(db).await?, 8715);
    let invoice = pg::Invoice::query()
        .with(pg::Invoice::customer)
        .with(pg::Invoice::invoice_lines)
        .order_by(pg::Invoice::invoice_id)
        .first(db)
        .await?
        .expect("an invoice");
    assert_eq!(invoice.total, Decimal::new(198, 2));
    assert_eq!(invoice.invoice_date, midnight(2021, 1, 1));
    assert_eq!(invoice.customer.get()?.first_name, "Leonie");
    let mut lines: Vec<(i32, Decimal)> = invoice
        .invoice_lines
        .get()?
        .iter()
        .map(|l| (l.track_id, l.unit_price))
        .collect();
    lines.sort_unstable();
    assert_eq!(lines, [(2, Decimal::new(99, 2)), (4, Decimal::new(99, 2))]);
    let track = pg::Track::query()
        .with(pg::Track::album)
        .with(pg::Track::genre)
        .order_by(pg::Track::track_id)
        .first(db)
        .await?
        .expect("a track");
    assert_eq!(track.unit_price, Decimal::new(99, 2));
    assert_eq!(track.bytes, Some(11_170_334));
    let album = track.album.get()?.expect("track 1 has an album");
    assert_eq!(album.title, "For Those About To Rock We Salute You");
    assert_eq!(
        track.genre.get()?.and_then(|g| g.name.as_deref()),
        Some("Rock")
    );
    let peacock = pg::Employee::query()
        .with(pg::Employee::reports_to_employee)
        .with(pg::Employee::customers)
        .filter(pg::Employee::employee_id.eq(3))
        .one(db)
        .await?;
    assert_eq!(peacock.hire_date, Some(midnight(2002, 4, 1)));
    let boss = peacock
        .reports_to_employee
        .get()?
        .expect("employee 3 reports to someone");
    assert_eq!(boss.employee_id, 2);
    assert_eq!(peacock.customers.get()?.len(), 21);
    Ok(())
}

/// The PostgreSQL script without what makes and enters its own database (`DROP DATABASE`,
/// `CREATE DATABASE`, `\c`): tables, foreign keys, indexes and rows, in the current schema.
fn postgres_script() -> String {
    let path = chinook_file("Chinook_PostgreSql.sql");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|line| {
            let line = line.trim_start();
            !(line.starts_with("DROP DATABASE")
                || line.starts_with("CREATE DATABASE")
                || line.starts_with("\\c"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A fresh copy of Chinook's SQLite file, and its URL.
fn sqlite_copy() -> (TempCopy, String) {
    let source = chinook_file("Chinook_Sqlite.sqlite");
    let copy = TempCopy(std::env::temp_dir().join(format!(
        "orm-inspect-chinook-{}.sqlite",
        uuid::Uuid::new_v4().simple()
    )));
    // Written anew rather than copied: the shared file is read-only, and a copy keeps that.
    let bytes = std::fs::read(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    std::fs::write(&copy.0, bytes).expect("write the copy of Chinook");
    let url = format!("sqlite://{}?mode=rw", copy.0.display());
    (copy, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    orm_tests::init_tracing();
    let (_copy, url) = sqlite_copy();
    let db = Database::connect(&url)
        .await
        .expect("open the copy of Chinook");
    round_trip(&db, "inspected_chinook_sqlite.rs", &lite::schema())
        .await
        .expect("sqlite round trip");
    read_sqlite(&db).await.expect("sqlite reads");
    db.close().await;
}

/// `migrate inspect --out FILE` writes what `inspect` returns.
#[test]
fn cli_writes_the_models_to_a_file() {
    use orm::migrate::cli::{Cli, Command};
    let (_copy, url) = sqlite_copy();
    let out = TempCopy(
        std::env::temp_dir().join(format!("orm-inspect-{}.rs", uuid::Uuid::new_v4().simple())),
    );
    let args = Cli {
        database_url: Some(url),
        dir: out.0.with_extension("migrations"),
        command: Command::Inspect {
            out: Some(out.0.clone()),
        },
    };
    let code = orm::migrate::cli::run(schema![], args, |url: String| async move {
        Database::connect(&url).await
    });
    assert_eq!(
        format!("{code:?}"),
        format!("{:?}", std::process::ExitCode::SUCCESS)
    );
    let written = std::fs::read_to_string(&out.0).expect("the written models");
    let committed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/inspected_chinook_sqlite.rs");
    assert_eq!(
        written,
        std::fs::read_to_string(committed).expect("committed")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    orm_tests::init_tracing();
    let Some(url) = orm_tests::pg_isolated_url().await else {
        return;
    };
    let mut conn = PgConnection::connect(&url).await.expect("connect");
    conn.execute(AssertSqlSafe(postgres_script()))
        .await
        .expect("load Chinook");
    conn.close().await.expect("close");
    let db = Database::connect(&url).await.expect("connect");
    round_trip(&db, "inspected_chinook_postgres.rs", &pg::schema())
        .await
        .expect("postgres round trip");
    read_postgres(&db).await.expect("postgres reads");
    db.close().await;
}
