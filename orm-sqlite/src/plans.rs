//! Prepared statements that stay prepared: orm binds `LIMIT` / `OFFSET` (and every value) as
//! parameters so that one statement serves every call, but SQLite, by default, lets the
//! planner read some bound values (an integer `LIMIT`, a `LIKE` pattern) and then expires the
//! statement whenever such a parameter is bound again, re-preparing it on the next step
//! (`sqlite3Reprepare`: ~41 k instructions for a point lookup, more than the lookup itself).
//! The query planner stability guarantee (`SQLITE_DBCONFIG_ENABLE_QPSG`) makes plans
//! independent of bound values, so a statement is prepared once per connection.

use std::ffi::c_int;

use libsqlite3_sys as ffi;
use sqlx::sqlite::SqliteConnection;

/// Turn on the query planner stability guarantee on `db`.
///
/// # Safety
/// `db` must be an open connection handle, used by no other thread during the call.
pub(crate) unsafe fn keep_plans(db: *mut ffi::sqlite3) -> c_int {
    // SAFETY: the caller guarantees `db`; QPSG takes an int and an optional `int*` out.
    unsafe {
        ffi::sqlite3_db_config(
            db,
            ffi::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as c_int,
            std::ptr::null_mut::<c_int>(),
        )
    }
}

/// How many times the statements prepared on `conn` (sqlx keeps them cached) were
/// re-prepared: 0 when binding never expires a plan. A diagnostic for tests and benchmarks.
pub async fn reprepare_count(conn: &mut SqliteConnection) -> Result<u64, sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    let mut total = 0_u64;
    // SAFETY: the handle is locked for the loop; `sqlite3_next_stmt` walks the statements
    // of this connection, which stay alive while it is locked.
    unsafe {
        let mut stmt = ffi::sqlite3_next_stmt(db, std::ptr::null_mut());
        while !stmt.is_null() {
            let count = ffi::sqlite3_stmt_status(stmt, ffi::SQLITE_STMTSTATUS_REPREPARE, 0);
            total += u64::try_from(count).unwrap_or(0);
            stmt = ffi::sqlite3_next_stmt(db, stmt);
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use sqlx::{Connection, Executor};

    use super::reprepare_count;

    /// A `LIMIT` bound again re-prepares the statement on a plain connection, never on one
    /// orm set up.
    #[tokio::test]
    async fn rebinding_a_limit_keeps_the_plan() {
        for orm_setup in [false, true] {
            let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
                .await
                .unwrap();
            if orm_setup {
                crate::register_functions(&mut conn).await.unwrap();
            }
            conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
                .await
                .unwrap();
            conn.execute("INSERT INTO t (name) VALUES ('a'), ('b'), ('c')")
                .await
                .unwrap();
            for limit in [1_i64, 2, 1, 3, 1, 2] {
                let rows = sqlx::query("SELECT id FROM t WHERE name LIKE ? ORDER BY id LIMIT ?")
                    .bind("%")
                    .bind(limit)
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
                assert_eq!(rows.len(), usize::try_from(limit).unwrap());
            }
            let reprepared = reprepare_count(&mut conn).await.unwrap();
            if orm_setup {
                assert_eq!(reprepared, 0, "orm's connections keep their plans");
            } else {
                assert!(reprepared > 0, "the test would see a re-prepare");
            }
        }
    }
}
