//! One workload, run a given number of times, for instruction counts under callgrind (which
//! do not move with machine load, unlike wall time):
//!
//! ```sh
//! cargo build --release -p orm-benches --features bench --bin ops
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/ops insert_100 orm 20
//! ```
//!
//! Run it twice with two counts and divide the difference of the totals by the difference of
//! the counts: what setup costs cancels out. `benches/README.md` has the script and the
//! numbers. SQLite, a file in a temporary directory, one connection held; both sides read
//! and write the same `bench_users` table.

use orm::prelude::*;
use orm_benches::model::{NewUser, User, new_user, new_user_row};
use orm_benches::raw;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, workload, side, count] = &args[..] else {
        eprintln!("usage: ops <insert_100|get_1|select_1> <orm|raw> <count>");
        std::process::exit(2);
    };
    let count: u64 = count.parse().expect("a count");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run(workload, side, count));
}

async fn run(workload: &str, side: &str, count: u64) {
    let dir = std::env::temp_dir().join(format!("orm-ops-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let url = format!("sqlite://{}/ops.db?mode=rwc", dir.display());
    let db = Database::connect(&url).await.expect("orm connects");
    db.create_all(&schema![User]).await.expect("the table");
    let seed: Vec<NewUser> = (0..10).map(new_user).collect();
    NewUser::insert_many(&db, &seed).await.expect("seed");
    let conn = db.acquire().await.expect("a connection");
    let pool = sqlx::SqlitePool::connect(&url)
        .await
        .expect("sqlx connects");
    let mut raw_conn = pool.acquire().await.expect("a raw connection");
    let mut next = 1_000;
    for _ in 0..count {
        match (workload, side) {
            ("insert_100", "orm") => {
                let rows: Vec<NewUser> = (next..next + 100).map(new_user).collect();
                NewUser::insert_many(&conn, &rows).await.expect("insert");
            }
            ("insert_100", "raw") => {
                let rows: Vec<_> = (next..next + 100).map(new_user_row).collect();
                raw::sqlite::insert_many(&mut *raw_conn, &rows)
                    .await
                    .expect("insert");
            }
            ("get_1", "orm") => {
                User::get(&conn, 3).await.expect("get");
            }
            ("get_1", "raw") => {
                raw::sqlite::get(&mut *raw_conn, 3).await.expect("get");
            }
            ("select_1", "orm") => {
                User::query()
                    .filter(User::id.eq(3))
                    .one(&conn)
                    .await
                    .expect("select");
            }
            ("select_1", "raw") => {
                raw::sqlite::get(&mut *raw_conn, 3).await.expect("select");
            }
            _ => panic!("unknown workload or side: {workload} {side}"),
        }
        next += 100;
    }
    drop(raw_conn);
    pool.close().await;
    drop(conn);
    db.close().await;
    std::fs::remove_dir_all(&dir).ok();
}
