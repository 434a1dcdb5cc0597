//! Scale-out: a real streaming replica (a second PostgreSQL cluster made with
//! `pg_basebackup`, started by the harness). Plain reads through `&db` go to the replica;
//! writes, transactions, held connections and row locks go to the primary; a replica that
//! is down costs no read. Replay is paused on the replica to make lag visible on purpose:
//! only a read through `&db` may see the replica's older data, as documented.

use std::time::{Duration, Instant};

use orm::prelude::*;

use crate::models::*;

/// Pause or resume WAL replay on the replica: while paused, it keeps the data it had.
async fn replay(replica_url: &str, pause: bool) {
    let replica = Database::connect(replica_url).await.expect("replica");
    let sql = if pause {
        "SELECT pg_wal_replay_pause()"
    } else {
        "SELECT pg_wal_replay_resume()"
    };
    raw(sql).execute(&replica).await.expect("replay control");
    replica.close().await;
}

async fn setup() -> Option<(&'static orm_tests::ReplicaPair, Database, String, String)> {
    orm_tests::init_tracing();
    let pair = orm_tests::replica_pair().await?;
    let (primary, replica) = pair.isolated_schema().await;
    let db = DatabaseOptions::new()
        .replica(replica.clone())
        .connect(&primary)
        .await
        .expect("connect with a replica");
    db.create_all(&blog_schema())
        .await
        .expect("schema on the primary");
    pair.wait_for_replay().await;
    Some((pair, db, primary, replica))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_go_to_the_replica_and_everything_else_to_the_primary() {
    let Some((pair, db, _, replica)) = setup().await else {
        return;
    };
    // Exclusive: pausing replay would stall other users of the pair.
    let _exclusive = pair.replica_down_lock().await;
    new_user(1).insert(&db).await.expect("write");
    pair.wait_for_replay().await;
    assert_eq!(User::query().count(&db).await.expect("read"), 1);

    replay(&replica, false).await;
    replay(&replica, true).await;
    let second = new_user(2)
        .insert(&db)
        .await
        .expect("a write goes to the primary");
    // A plain read through the pool goes to the replica, which has not replayed it.
    assert_eq!(
        User::query().count(&db).await.expect("read"),
        1,
        "the read ran on the replica"
    );
    assert!(
        User::find(second.id)
            .optional(&db)
            .await
            .expect("read")
            .is_none()
    );
    // Reads that must see the primary's data do.
    assert_eq!(
        User::query().count(&db.primary()).await.expect("primary"),
        2
    );
    let conn = db.acquire().await.expect("held");
    assert_eq!(User::query().count(&conn).await.expect("held read"), 2);
    drop(conn);
    let tx = db.begin().await.expect("begin");
    new_user(3)
        .insert(&tx)
        .await
        .expect("write in a transaction");
    assert_eq!(
        User::query()
            .count(&tx)
            .await
            .expect("reads its own writes"),
        3
    );
    tx.commit().await.expect("commit");
    let locked = User::query()
        .for_update()
        .all(&db)
        .await
        .expect("a locking read");
    assert_eq!(locked.len(), 3, "FOR UPDATE runs on the primary");
    // Writes with RETURNING through the pool go to the primary too.
    let updated = User::update()
        .filter(User::id.eq(second.id))
        .set(User::karma, 5)
        .returning(User::karma)
        .all(&db)
        .await
        .expect("update returning");
    assert_eq!(updated, [5]);

    replay(&replica, false).await;
    pair.wait_for_replay().await;
    assert_eq!(
        User::query().count(&db).await.expect("read after replay"),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_that_is_down_costs_no_read() {
    let Some((pair, db, _, replica)) = setup().await else {
        return;
    };
    let _exclusive = pair.replica_down_lock().await;
    new_user(1).insert(&db).await.expect("write");
    pair.wait_for_replay().await;
    assert_eq!(
        User::query()
            .count(&db)
            .await
            .expect("read from the replica"),
        1
    );

    pair.stop_replica().await;
    // Every read still answers, from the primary, with current data.
    for n in 2..8 {
        new_user(n).insert(&db).await.expect("write");
        let count = User::query()
            .count(&db)
            .await
            .expect("read while the replica is down");
        assert_eq!(count, i64::try_from(n).expect("small"));
        let mut rows = User::query().stream(&db);
        let mut streamed = 0;
        while let Some(row) = futures_util::StreamExt::next(&mut rows).await {
            row.expect("a streamed row");
            streamed += 1;
        }
        assert_eq!(streamed, n, "a stream while the replica is down");
    }

    // Once it is back, reads return to it (after the few seconds it is skipped for).
    pair.start_replica().await;
    pair.wait_for_replay().await;
    replay(&replica, true).await;
    new_user(100).insert(&db).await.expect("write");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if User::query().count(&db).await.expect("read") == 7 {
            break; // the replica, paused before the last write, answered
        }
        assert!(
            Instant::now() < deadline,
            "reads never went back to the replica"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    replay(&replica, false).await;
}
