//! Bulk insert of many rows on PostgreSQL: orm's `insert_many` against raw sqlx's multi-row
//! `INSERT` (same chunking: 65 535 binds at most per statement) and against `COPY .. FROM
//! STDIN` (text format), each in one transaction, in one process run:
//!
//! ```sh
//! ORM_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo run --release -p orm-benches --features bench --bin bulk -- 100000 5
//! ```
//!
//! Prints the median wall time of each side over the rounds (interleaved: one of each per
//! round, the table emptied before each) and the ratios. Every side starts from the same
//! prepared rows; building the COPY text is part of its time, as encoding binds is part of
//! the others'.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use orm::prelude::*;
use orm_benches::model::{NewUser, NewUserRow, User, new_user, new_user_row};
use orm_benches::raw;
use sqlx::{Connection, Executor, PgConnection};

/// PostgreSQL's limit of binds per statement.
const MAX_BINDS: usize = 65_535;
/// The columns of `bench_users` both bulk statements write.
const WIDTH: usize = 5;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: u64 = args
        .get(1)
        .map_or(Ok(100_000), |n| n.parse())
        .expect("a row count");
    let rounds: usize = args
        .get(2)
        .map_or(Ok(5), |n| n.parse())
        .expect("a round count");
    let url = std::env::var("ORM_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run(&url, rows, rounds));
}

async fn run(url: &str, count: u64, rounds: usize) {
    let mut raw_conn = PgConnection::connect(url).await.expect("sqlx connects");
    raw_conn
        .execute("DROP TABLE IF EXISTS bench_users CASCADE")
        .await
        .expect("drop");
    let db = Database::connect(url).await.expect("orm connects");
    db.create_all(&schema![User]).await.expect("the table");
    let orm_rows: Vec<NewUser> = (0..count).map(new_user).collect();
    let raw_rows: Vec<NewUserRow> = (0..count).map(new_user_row).collect();

    let mut times: [Vec<Duration>; 3] = Default::default();
    for _ in 0..rounds {
        for (side, time) in times.iter_mut().enumerate() {
            raw_conn
                .execute("TRUNCATE bench_users")
                .await
                .expect("empty");
            let start = Instant::now();
            let inserted = match side {
                0 => NewUser::insert_many(&db, &orm_rows).await.expect("orm"),
                1 => raw_insert_many(&mut raw_conn, &raw_rows).await,
                _ => copy_in(&mut raw_conn, &raw_rows).await,
            };
            time.push(start.elapsed());
            assert_eq!(inserted, count);
        }
    }
    let [orm, raw, copy] = times.map(|mut t| {
        t.sort();
        t[t.len() / 2]
    });
    println!("PostgreSQL, {count} rows, median of {rounds} rounds");
    println!("| side | time | against raw sqlx | against COPY |");
    println!("|---|---:|---:|---:|");
    for (side, time) in [
        ("orm insert_many", orm),
        ("raw sqlx multi-row INSERT", raw),
        ("COPY FROM STDIN (text)", copy),
    ] {
        println!(
            "| {side} | {:.1} ms | {:.2}x | {:.2}x |",
            time.as_secs_f64() * 1e3,
            time.as_secs_f64() / raw.as_secs_f64(),
            time.as_secs_f64() / copy.as_secs_f64(),
        );
    }
    raw_conn
        .execute("DROP TABLE bench_users")
        .await
        .expect("drop");
    db.close().await;
}

/// The rows through multi-row INSERTs of as many rows as the bind limit allows, in one
/// transaction.
async fn raw_insert_many(conn: &mut PgConnection, rows: &[NewUserRow]) -> u64 {
    let mut tx = conn.begin().await.expect("begin");
    let mut inserted = 0;
    for chunk in rows.chunks(MAX_BINDS / WIDTH) {
        inserted += raw::postgres::insert_many(&mut *tx, chunk)
            .await
            .expect("raw");
    }
    tx.commit().await.expect("commit");
    inserted
}

/// The rows through `COPY .. FROM STDIN` in text format, in one transaction.
async fn copy_in(conn: &mut PgConnection, rows: &[NewUserRow]) -> u64 {
    let mut tx = conn.begin().await.expect("begin");
    let mut copy = tx
        .copy_in_raw("COPY bench_users (email, name, active, score, created_at) FROM STDIN")
        .await
        .expect("copy");
    let mut text = String::with_capacity(1 << 20);
    for row in rows {
        push_field(&mut text, &row.email);
        text.push('\t');
        push_field(&mut text, &row.name);
        let active = if row.active { 't' } else { 'f' };
        let created = row
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        writeln!(text, "\t{active}\t{}\t{created}", row.score).expect("a String takes text");
        if text.len() > 1 << 20 {
            copy.send(std::mem::take(&mut text).into_bytes())
                .await
                .expect("send");
        }
    }
    copy.send(text.into_bytes()).await.expect("send");
    let copied = copy.finish().await.expect("finish");
    tx.commit().await.expect("commit");
    copied
}

/// A text field of COPY's text format: backslash, tab and line breaks escaped.
fn push_field(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
}
