//! The history table: which revisions a database has applied, with checksum, applied time
//! and duration.

use orm_core::Executor;
use orm_core::error::Result;
use orm_core::raw;

/// One applied revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The revision id.
    pub revision: String,
    /// Its checksum when it was applied.
    pub checksum: String,
    /// When (RFC 3339, UTC).
    pub applied_at: String,
    /// How long its steps took.
    pub duration_ms: i64,
    /// Order of application.
    pub seq: i64,
}

fn quoted(db: impl Executor, table: &str) -> String {
    let mut out = String::new();
    db.dialect().write_ident(&mut out, table);
    out
}

fn placeholders(db: impl Executor, n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            let mut out = String::new();
            db.dialect().write_placeholder(&mut out, i);
            out
        })
        .collect()
}

/// True when the history table exists.
pub(crate) async fn exists(db: impl Executor, table: &str) -> Result<bool> {
    let sql = match db.dialect().name() {
        "sqlite" => "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
        _ => {
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relname = $1"
        }
    };
    let found: Option<(String,)> = raw(sql).bind(table).fetch_optional(db).await?;
    Ok(found.is_some())
}

/// Create the history table if it is missing.
pub(crate) async fn ensure(db: impl Executor, table: &str) -> Result<()> {
    raw(format!(
        "CREATE TABLE IF NOT EXISTS {} (\"revision\" VARCHAR(255) NOT NULL PRIMARY KEY, \
         \"checksum\" VARCHAR(64) NOT NULL, \"applied_at\" VARCHAR(40) NOT NULL, \
         \"duration_ms\" BIGINT NOT NULL, \"seq\" BIGINT NOT NULL)",
        quoted(db, table)
    ))
    .execute(db)
    .await?;
    Ok(())
}

/// The applied revisions in order (none when the table does not exist).
pub(crate) async fn read(db: impl Executor, table: &str) -> Result<Vec<Applied>> {
    if !exists(db, table).await? {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String, String, i64, i64)> = raw(format!(
        "SELECT \"revision\", \"checksum\", \"applied_at\", \"duration_ms\", \"seq\" FROM {} \
         ORDER BY \"seq\"",
        quoted(db, table)
    ))
    .fetch_as(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(revision, checksum, applied_at, duration_ms, seq)| Applied {
                revision,
                checksum,
                applied_at,
                duration_ms,
                seq,
            },
        )
        .collect())
}

/// Record `revision` as applied.
pub(crate) async fn insert(
    db: impl Executor,
    table: &str,
    revision: &str,
    checksum: &str,
    duration_ms: i64,
) -> Result<()> {
    let p = placeholders(db, 4);
    let table = quoted(db, table);
    raw(format!(
        "INSERT INTO {table} (\"revision\", \"checksum\", \"applied_at\", \"duration_ms\", \"seq\") \
         VALUES ({}, {}, {}, {}, (SELECT COALESCE(MAX(\"seq\"), 0) + 1 FROM {table}))",
        p[0], p[1], p[2], p[3]
    ))
    .bind(revision)
    .bind(checksum)
    .bind(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true).as_str())
    .bind(duration_ms)
    .execute(db)
    .await?;
    Ok(())
}

/// Forget that `revision` was applied.
pub(crate) async fn delete(db: impl Executor, table: &str, revision: &str) -> Result<()> {
    let p = placeholders(db, 1);
    raw(format!(
        "DELETE FROM {} WHERE \"revision\" = {}",
        quoted(db, table),
        p[0]
    ))
    .bind(revision)
    .execute(db)
    .await?;
    Ok(())
}
