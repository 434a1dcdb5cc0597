//! `.stream(&db)` over 1 000 000 rows keeps memory flat. Its own test binary, so that the
//! process's resident memory is this test's alone; each backend runs in turn.

use futures_util::StreamExt;
use orm::prelude::*;

/// A wide-ish row, so that collecting a million of them would take well over 100 MB.
#[derive(Model, Debug, Clone)]
#[orm(table = "stream_rows")]
pub struct StreamRow {
    /// Key, 1..=1 000 000.
    #[orm(primary_key)]
    pub id: i64,
    /// 100 bytes of text.
    pub payload: String,
}

const ROWS: i64 = 1_000_000;
/// What collecting the rows would cost at least: 1 000 000 × (8 + 24 + 100 bytes).
const COLLECTED_BYTES: u64 = 132_000_000;

/// Resident memory of this process (Linux `/proc/self/statm`), in bytes.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Fill the table inside the database (a recursive CTE), so the test process never holds the rows.
async fn fill(db: &Database, postgres: bool) -> Result<()> {
    db.create_all(&schema![StreamRow]).await?;
    let sql = if postgres {
        "INSERT INTO stream_rows (id, payload) SELECT n, repeat('x', 100) FROM generate_series(1, 1000000) AS n"
    } else {
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000) \
         INSERT INTO stream_rows (id, payload) SELECT x, printf('%.100c', 'x') FROM n"
    };
    orm::raw(sql).execute(db).await?;
    Ok(())
}

async fn stream_all(db: &Database) -> Result<u64> {
    let before = resident_bytes();
    let mut rows = StreamRow::query().order_by(StreamRow::id).stream(db);
    let mut count = 0_i64;
    let mut peak = before.unwrap_or(0);
    while let Some(row) = rows.next().await {
        let row = row?;
        count += 1;
        assert_eq!(row.id, count, "rows arrive in order");
        assert_eq!(row.payload.len(), 100);
        if count % 50_000 == 0 {
            peak = peak.max(resident_bytes().unwrap_or(0));
        }
    }
    assert_eq!(count, ROWS);
    Ok(peak.saturating_sub(before.unwrap_or(peak)))
}

async fn check(url: &str, postgres: bool, options: DatabaseOptions) -> Result<()> {
    let db = options.connect(url).await?;
    fill(&db, postgres).await?;
    let growth = stream_all(&db).await?;
    eprintln!("streaming 1 000 000 rows on {url}: resident memory grew by {growth} bytes");
    // Flat: a small fraction of what collecting would take (sqlx buffers and allocator slack only).
    assert!(
        growth < COLLECTED_BYTES / 4,
        "streaming grew resident memory by {growth} bytes"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_a_million_rows_with_flat_memory() -> Result<()> {
    orm_tests::init_tracing();
    check(
        orm_tests::sqlite_memory_url(),
        false,
        DatabaseOptions::new(),
    )
    .await?;
    if let Some(url) = orm_tests::pg_isolated_url().await {
        check(&url, true, DatabaseOptions::new()).await?;
    }
    // Behind PgBouncer the stream runs in a transaction of its own.
    if let Some(bouncer) = orm_tests::pgbouncer_database().await {
        check(
            &bouncer.url,
            true,
            DatabaseOptions::new().transaction_pooling(true),
        )
        .await?;
    }
    Ok(())
}
