//! Optimistic locking (issue 12): `#[orm(version)]` rows are written only at the version they
//! were loaded at, every write bumps it, and a lost race is `StaleObject`, told from a
//! missing row, with nothing written.

use std::sync::Arc;

use orm::prelude::*;

use crate::integrity_models::*;
use crate::{Target, backend_tests};

async fn doc(db: &Database, title: &str) -> Result<Doc> {
    NewDoc {
        title: title.into(),
        hits: 0,
    }
    .insert(db)
    .await
}

fn assert_stale(error: &Error, id: i64, version: i64) {
    assert_eq!(error.kind(), ErrorKind::StaleObject, "{error:?}");
    assert!(
        matches!(error, Error::StaleObject { table: "docs", key, version: v } if *key == id.to_string() && *v == version),
        "{error:?}"
    );
    assert!(error.to_string().contains("load it again"), "{error}");
}

backend_tests! {
    async fn every_write_bumps_the_version(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&integrity_schema()).await?;
        let mut d = doc(db, "a").await?;
        assert_eq!(d.version, 1, "a new row starts at version 1");
        d.title = "b".into();
        d.save(db).await?;
        assert_eq!(d.version, 2, "save");
        let mut tracked = Tracked::new(Doc::get(db, d.id).await?);
        tracked.hits = 5;
        tracked.save(db).await?;
        assert_eq!(tracked.version, 3, "Tracked::save");
        Doc::update().filter(Doc::id.eq(d.id)).set(Doc::hits, Doc::hits + 1).exec(db).await?;
        assert_eq!(Doc::get(db, d.id).await?.version, 4, "a bulk update");
        orm::insert([NewDoc { title: "b".into(), hits: 0 }.with_key(d.id)])
            .on_conflict(Doc::id)
            .do_update(Doc::hits, 100)
            .exec(db)
            .await?;
        let stored = Doc::get(db, d.id).await?;
        assert_eq!((stored.hits, stored.version), (100, 5), "an upsert's update");
        // A Tracked with nothing changed sends nothing and keeps the version.
        let mut unchanged = Tracked::new(stored);
        unchanged.save(db).await?;
        assert_eq!(Doc::get(db, d.id).await?.version, 5);
        Ok(())
    }

    async fn a_stale_save_writes_nothing(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&integrity_schema()).await?;
        let d = doc(db, "original").await?;
        let (mut first, mut second) = (d.clone(), d.clone());
        first.title = "first".into();
        first.save(db).await?;
        second.title = "second".into();
        let error = second.save(db).await.expect_err("stale");
        assert_stale(&error, d.id, 1);
        assert_eq!(second.title, "second", "the caller's copy is left as it was");
        let stored = Doc::get(db, d.id).await?;
        assert_eq!((stored.title.as_str(), stored.version), ("first", 2));

        // Tracked: the same, and the version the caller sets is the one expected (If-Match).
        let mut tracked = Tracked::new(stored.clone());
        tracked.version = 1;
        tracked.title = "from an old form".into();
        let error = tracked.save(db).await.expect_err("stale");
        assert_stale(&error, d.id, 1);
        tracked.version = 2;
        tracked.save(db).await?;
        assert_eq!(tracked.version, 3);
        // A stale delete deletes nothing.
        let error = stored.delete(db).await.expect_err("stale");
        assert_stale(&error, d.id, 2);
        assert!(Doc::find(d.id).optional(db).await?.is_some());
        Ok(())
    }

    /// An `If-Match` version set by hand is checked even when nothing else changed: a PATCH
    /// that repeats the stored values with an old version is refused, not a silent success.
    async fn a_stale_version_with_nothing_changed_is_refused(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&integrity_schema()).await?;
        let mut d = doc(db, "a").await?;
        d.title = "b".into();
        d.save(db).await?;
        let stored = Doc::get(db, d.id).await?;
        assert_eq!(stored.version, 2);

        let mut tracked = Tracked::new(stored.clone());
        tracked.version = 1;
        tracked.title = "b".into();
        assert!(tracked.changed_columns().is_empty());
        let error = tracked.save(db).await.expect_err("stale");
        assert_stale(&error, d.id, 1);

        // The version the row is at, set on a copy loaded earlier: nothing to write, no error.
        let mut old_copy = Tracked::new(Doc { version: 1, ..stored.clone() });
        old_copy.version = 2;
        let (saved, log) = orm::guard::count_statements(old_copy.save(db)).await;
        saved?;
        log.assert_count(1);
        assert_eq!(Doc::get(db, d.id).await?.version, 2, "nothing written");
        // The version as loaded: nothing sent at all.
        let mut unchanged = Tracked::new(stored.clone());
        let (saved, log) = orm::guard::count_statements(unchanged.save(db)).await;
        saved?;
        log.assert_count(0);

        // The session checks it the same way.
        let mut s = db.session().await?;
        let handle = s.get::<Doc>(d.id).await?;
        s.write(handle)?.version = 1;
        let error = s.flush().await.expect_err("stale");
        assert_stale(&error, d.id, 1);
        s.rollback().await?;

        // A row gone is NotFound, as for any save.
        stored.clone().delete(db).await?;
        let mut gone = Tracked::new(stored);
        gone.version = 7;
        assert_eq!(gone.save(db).await.expect_err("gone").kind(), ErrorKind::NotFound);
        let stored = Doc::find(d.id).optional(db).await?;
        assert!(stored.is_none());
        Ok(())
    }

    async fn a_missing_row_is_not_found_not_stale(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&integrity_schema()).await?;
        let mut d = doc(db, "gone").await?;
        d.clone().delete(db).await?;
        assert_eq!(d.save(db).await.expect_err("gone").kind(), ErrorKind::NotFound);
        let mut tracked = Tracked::new(d.clone());
        tracked.title = "x".into();
        assert_eq!(tracked.save(db).await.expect_err("gone").kind(), ErrorKind::NotFound);
        assert_eq!(d.delete(db).await.expect_err("gone").kind(), ErrorKind::NotFound);
        Ok(())
    }

    /// PostgreSQL tells a stale row from a missing one in the write itself; SQLite looks
    /// the row up only when the write touched nothing.
    async fn a_conflict_costs_one_statement_on_postgres(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&integrity_schema()).await?;
        let d = doc(db, "x").await?;
        let mut stale = d.clone();
        let mut fresh = d.clone();
        fresh.save(db).await?;
        let (result, log) = orm::guard::count_statements(stale.save(db)).await;
        assert_eq!(result.expect_err("stale").kind(), ErrorKind::StaleObject);
        let expected = if t.target == Target::Postgres { 1 } else { 2 };
        assert_eq!(log.len(), expected, "{:?}", log.statements());
        // A save that wins costs one statement everywhere.
        let (result, log) = orm::guard::count_statements(fresh.save(db)).await;
        result?;
        assert_eq!(log.len(), 1, "{:?}", log.statements());
        Ok(())
    }

    /// Two transactions load the same row and both write it: exactly one wins, the other
    /// is `StaleObject` and its transaction writes nothing.
    async fn two_transactions_one_stale(t: &TestDb) -> Result<()> {
        if t.target == Target::SqliteMemory {
            return Ok(()); // one connection: the two transactions cannot overlap
        }
        let db = &t.db;
        db.create_all(&integrity_schema()).await?;
        let d = doc(db, "shared").await?;
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let writer = |title: &'static str| {
            let (db, barrier, mut loaded) = (db.clone(), Arc::clone(&barrier), d.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let tx = db.begin().await?;
                loaded.title = title.into();
                match loaded.save(&tx).await {
                    Ok(()) => tx.commit().await.map(|()| true),
                    Err(error) if error.kind() == ErrorKind::StaleObject => {
                        tx.rollback().await?;
                        Ok(false)
                    }
                    Err(error) => Err(error),
                }
            })
        };
        let (a, b) = tokio::join!(writer("a"), writer("b"));
        let (a, b) = (a.expect("task")?, b.expect("task")?);
        assert!(a ^ b, "exactly one write wins: {a} {b}");
        let stored = Doc::get(db, d.id).await?;
        assert_eq!(stored.version, 2);
        assert_eq!(stored.title, if a { "a" } else { "b" });
        Ok(())
    }

    /// Many writers increment one counter by load, change, save, retrying on `StaleObject`:
    /// no increment is lost.
    async fn concurrent_writers_never_lose_an_update(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&integrity_schema()).await?;
        let d = doc(db, "counter").await?;
        const WRITERS: i64 = 6;
        const EACH: i64 = 10;
        let mut tasks = Vec::new();
        for _ in 0..WRITERS {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut conflicts = 0;
                for _ in 0..EACH {
                    loop {
                        let mut current = Tracked::new(Doc::get(&db, d.id).await?);
                        current.hits += 1;
                        match current.save(&db).await {
                            Ok(()) => break,
                            Err(error) if error.kind() == ErrorKind::StaleObject => conflicts += 1,
                            Err(error) => return Err(error),
                        }
                    }
                }
                Ok::<_, Error>(conflicts)
            }));
        }
        let mut conflicts = 0;
        for task in tasks {
            conflicts += task.await.expect("task")?;
        }
        let stored = Doc::get(db, d.id).await?;
        assert_eq!(stored.hits, WRITERS * EACH, "an update was lost");
        assert_eq!(stored.version, 1 + WRITERS * EACH);
        eprintln!("{:?}: {} increments, {conflicts} conflicts retried", t.target, WRITERS * EACH);
        Ok(())
    }
}
