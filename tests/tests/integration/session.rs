//! `Session`: the identity map, adding a graph of new objects through relationships, flush
//! order and statement counts, updates of changed columns only, failed flushes, commit,
//! rollback, drop, and misuse of handles.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::task::Poll;

use orm::Select;
use orm::guard::{StatementLog, count_statements};
use orm::prelude::*;

use crate::session_models::*;
use crate::{Target, TestDb, backend_tests};

/// How many `INSERT` statements the log holds.
fn inserts(log: &StatementLog) -> usize {
    log.statements()
        .iter()
        .filter(|sql| sql.starts_with("INSERT"))
        .count()
}

/// The tables of the `DELETE` statements of the log, in order.
fn deleted_tables(log: &StatementLog) -> Vec<&'static str> {
    let tables = [
        "session_remarks",
        "session_articles",
        "session_authors",
        "session_folders",
    ];
    log.statements()
        .iter()
        .filter(|sql| sql.starts_with("DELETE"))
        .map(|sql| {
            tables
                .into_iter()
                .find(|table| sql.starts_with(&format!("DELETE FROM \"{table}\"")))
                .unwrap_or("?")
        })
        .collect()
}

/// The `SET` list of an `UPDATE`.
fn set_clause(sql: &str) -> &str {
    let start = sql.find(" SET ").map_or(0, |i| i + 5);
    let end = sql.find(" WHERE ").unwrap_or(sql.len());
    &sql[start..end]
}

/// The message of the panic `work` raises.
fn panic_message(work: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(work)).expect_err("it should panic");
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map_or_else(String::new, |s| s.to_string()),
    }
}

/// Rows of `M` as the session's transaction sees them.
async fn count_in<M: Model>(s: &mut Session) -> Result<i64> {
    Select::<M>::new().count(s.transaction().await?).await
}

/// Rows of `M` through a new connection (file and PostgreSQL databases), or `db` (in-memory).
async fn count_outside<M: Model>(t: &TestDb) -> Result<i64> {
    if t.target == Target::SqliteMemory {
        return Select::<M>::new().count(&t.db).await;
    }
    let other = t.reconnect().await?;
    let count = Select::<M>::new().count(&other).await;
    other.close().await;
    count
}

/// Poll `work` until it has waited `waits` times, then drop it: `Some` of its output when it
/// finished first.
async fn cancel_after<F: Future>(work: F, waits: usize) -> Option<F::Output> {
    let mut work = pin!(work);
    let mut waited = 0;
    std::future::poll_fn(|cx| match work.as_mut().poll(cx) {
        Poll::Ready(output) => Poll::Ready(Some(output)),
        Poll::Pending if waited == waits => Poll::Ready(None),
        Poll::Pending => {
            waited += 1;
            Poll::Pending
        }
    })
    .await
}

/// Change a task's title behind the session's back (a bulk update, which bumps the version,
/// in the session's transaction).
async fn retitle_behind(s: &mut Session, id: i64, title: &str) -> Result<()> {
    Task::update()
        .filter(Task::id.eq(id))
        .set(Task::title, title.to_string())
        .exec(s.transaction().await?)
        .await?;
    Ok(())
}

fn assert_invalid(result: Result<impl std::fmt::Debug>, needle: &str) {
    let error = result.expect_err("misuse must be refused");
    assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error}");
    assert!(
        error.to_string().contains(needle),
        "`{needle}` not in: {error}"
    );
}

backend_tests! {
    async fn session_identity_map_gives_one_handle_per_key(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let first = new_author(1).insert(db).await?;
        let second = new_author(2).insert(db).await?;

        let mut s = db.session().await?;
        let (a, log) = count_statements(s.get::<Author>(first.id)).await;
        let a = a?;
        log.assert_count(1);
        let (again, log) = count_statements(s.get::<Author>(first.id)).await;
        assert_eq!(again?, a, "the same key is the same object");
        log.assert_count(0);
        assert_eq!(s[a].email, first.email);
        assert!(s.find::<Author>(first.id + second.id + 100).await?.is_none());
        let missing = s.get::<Author>(-1).await.unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::NotFound);

        // A change the session has not flushed survives a query that reads the row again.
        s[a].name = "Renamed in the session".into();
        let (loaded, log) = count_statements(
            s.load(Author::query().order_by(Author::id.asc())),
        ).await;
        let loaded = loaded?;
        log.assert_count(1);
        assert_eq!(loaded.len(), 2);
        assert_eq!(loaded[0], a, "the loaded row is the object the session holds");
        assert_ne!(loaded[1], a);
        assert_eq!(s[loaded[0]].name, "Renamed in the session");
        assert_eq!(s[loaded[1]].name, second.name);
        let (b, log) = count_statements(s.get::<Author>(second.id)).await;
        assert_eq!(b?, loaded[1]);
        log.assert_count(0);
        // The database still has the old name until a flush.
        let stored: Vec<String> = Author::query()
            .filter(Author::id.eq(first.id))
            .select(Author::name)
            .all(s.transaction().await?)
            .await?;
        assert_eq!(stored, std::slice::from_ref(&first.name));
        s.flush().await?;
        let stored: Vec<String> = Author::query()
            .filter(Author::id.eq(first.id))
            .select(Author::name)
            .all(s.transaction().await?)
            .await?;
        assert_eq!(stored, ["Renamed in the session".to_string()]);
        Ok(())
    }

    async fn session_flushes_a_three_level_graph_and_deletes_it_children_first(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let started = Utc::now() - chrono::Duration::minutes(5);
        let mut s = db.session().await?;
        let author = s.add(new_author(1));
        let mut articles = Vec::new();
        let mut remarks = Vec::new();
        for a in 0..3 {
            let article = s.add_child(author, Author::articles, new_article(format!("article {a}")))?;
            articles.push(article);
            for r in 0..2 {
                let body = format!("remark {a}.{r}");
                remarks.push((article, s.add_child(article, Article::remarks, new_remark(body))?));
            }
        }
        assert!(s.is_pending(author)?);
        let (flushed, log) = count_statements(s.flush()).await;
        flushed?;
        assert_eq!(inserts(&log), 3, "one INSERT per table:\n{log}");
        log.assert_count(3);

        // Generated keys, database defaults and timestamps are in the objects.
        let stored_author = s.read(author)?.clone();
        assert!(!s.is_pending(author)?);
        assert!(stored_author.id > 0);
        assert_eq!(stored_author.karma, 0, "the server default");
        assert!(stored_author.created_at > started);
        assert_eq!(stored_author.created_at, stored_author.updated_at);
        for (a, &article) in articles.iter().enumerate() {
            assert_eq!(s[article].author_id, stored_author.id);
            assert_eq!(s[article].title, format!("article {a}"), "each object got its own row");
            assert_eq!(s[article].views, 0);
            assert!(s[article].created_at > started);
        }
        for (i, &(article, remark)) in remarks.iter().enumerate() {
            assert_eq!(s[remark].article_id, s[article].id);
            assert_eq!(s[remark].body, format!("remark {}.{}", i / 2, i % 2));
        }
        let ids: std::collections::HashSet<i64> = remarks.iter().map(|&(_, r)| s[r].id).collect();
        assert_eq!(ids.len(), 6);
        // The rows are in the database, linked the same way.
        let linked = Remark::query()
            .join(Article::TABLE)
            .filter(Article::author_id.eq(stored_author.id))
            .count(s.transaction().await?)
            .await?;
        assert_eq!(linked, 6);

        // The foreign keys are real: deleting the author alone fails, and changes nothing.
        s.delete(author)?;
        let error = s.flush().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ForeignKeyViolation, "{error}");
        assert_eq!(count_in::<Author>(&mut s).await?, 1);

        // Deleting the whole graph (parents named first) deletes children first.
        for &article in &articles {
            s.delete(article)?;
        }
        for &(_, remark) in &remarks {
            s.delete(remark)?;
        }
        let (deleted, log) = count_statements(s.flush()).await;
        deleted?;
        let mut expected = vec!["session_remarks"; 6];
        expected.extend(["session_articles"; 3]);
        expected.push("session_authors");
        assert_eq!(deleted_tables(&log), expected, "{log}");
        assert_eq!(count_in::<Remark>(&mut s).await?, 0);
        assert_eq!(count_in::<Article>(&mut s).await?, 0);
        assert_eq!(count_in::<Author>(&mut s).await?, 0);
        assert_invalid(s.read(author), "was deleted");
        assert_invalid(s.read(remarks[0].1), "was deleted");
        s.commit().await?;
        assert_eq!(count_outside::<Author>(t).await?, 0);
        Ok(())
    }

    async fn session_inserts_a_hundred_parents_with_ten_children_each_in_two_statements(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let mut s = db.session().await?;
        let mut graph = Vec::new();
        for u in 0..100 {
            let author = s.add(new_author(u));
            let articles = (0..10)
                .map(|p| s.add_child(author, Author::articles, new_article(format!("{u}/{p}"))))
                .collect::<Result<Vec<_>>>()?;
            graph.push((author, articles));
        }
        let (flushed, log) = count_statements(s.flush()).await;
        flushed?;
        assert_eq!(inserts(&log), 2, "{log}");
        log.assert_count(2);
        for (u, (author, articles)) in graph.iter().enumerate() {
            assert_eq!(s[*author].email, format!("author{u}@example.com"));
            for (p, &article) in articles.iter().enumerate() {
                assert_eq!(s[article].author_id, s[*author].id);
                assert_eq!(s[article].title, format!("{u}/{p}"));
            }
        }
        s.commit().await?;
        assert_eq!(count_outside::<Article>(t).await?, 1_000);
        let first = &graph[0];
        let stored = Article::query()
            .filter(Article::author_id.eq(s[first.0].id))
            .count(db)
            .await?;
        assert_eq!(stored, 10);
        Ok(())
    }

    async fn session_splits_inserts_only_past_the_bind_limit(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let author = new_author(0).insert(db).await?;
        let per_statement = db.dialect().capabilities().max_binds / NewArticle::COLUMNS.len();
        let mut s = db.session().await?;
        for rows in [per_statement, per_statement + 1] {
            let handles: Vec<Handle<Article>> = (0..rows)
                .map(|i| s.add(NewArticle { author_id: author.id, title: format!("{rows}:{i}") }))
                .collect();
            let (flushed, log) = count_statements(s.flush()).await;
            flushed?;
            assert_eq!(inserts(&log), rows.div_ceil(per_statement), "{rows} rows");
            // Rows of both statements are matched to their objects.
            for i in [0, rows / 2, per_statement - 1, rows - 1] {
                assert_eq!(s[handles[i]].title, format!("{rows}:{i}"));
            }
            let ids: std::collections::HashSet<i64> = handles.iter().map(|&h| s[h].id).collect();
            assert_eq!(ids.len(), rows);
        }
        assert_eq!(
            usize::try_from(count_in::<Article>(&mut s).await?).unwrap_or(0),
            2 * per_statement + 1
        );
        Ok(())
    }

    async fn session_updates_only_changed_columns(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let author = new_author(1).insert(db).await?;
        let article = NewArticle { author_id: author.id, title: "draft".into() }.insert(db).await?;

        let mut s = db.session().await?;
        let a = s.get::<Author>(author.id).await?;
        let p = s.get::<Article>(article.id).await?;
        let (nothing, log) = count_statements(s.flush()).await;
        nothing?;
        log.assert_count(0);
        assert!(!s.has_changes());

        s[a].bio = Some("writes things".into());
        assert!(s.has_changes());
        let (flushed, log) = count_statements(s.flush()).await;
        flushed?;
        log.assert_count(1);
        let set = set_clause(&log.statements()[0]);
        assert!(set.contains("\"bio\"") && set.contains("\"updated_at\""), "{set}");
        for column in ["\"name\"", "\"email\"", "\"karma\"", "\"created_at\""] {
            assert!(!set.contains(column), "{column} is not changed: {set}");
        }
        assert!(s[a].updated_at > author.updated_at, "the stored row is read back");
        assert_eq!(s[a].created_at, author.created_at);
        assert!(!s.has_changes(), "the flushed state is the new snapshot");

        // A model without updated_at: the one column.
        s[p].title = "final".into();
        s[p].views = 7;
        s[p].views = article.views; // changed back: not written
        let (flushed, log) = count_statements(s.flush()).await;
        flushed?;
        log.assert_count(1);
        assert_eq!(set_clause(&log.statements()[0]).matches('=').count(), 1, "{log}");
        assert!(set_clause(&log.statements()[0]).contains("\"title\""));
        s.commit().await?;
        assert_eq!(Article::get(db, article.id).await?.title, "final");
        let stored = Author::get(db, author.id).await?;
        assert_eq!(stored.bio.as_deref(), Some("writes things"));
        assert_eq!(stored.updated_at, s[a].updated_at);
        Ok(())
    }

    async fn session_failed_flush_leaves_database_transaction_and_objects_as_before(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let taken = new_author(1).insert(db).await?;
        let other = new_author(2).insert(db).await?;
        let blocking = NewArticle { author_id: taken.id, title: "blocks".into() }.insert(db).await?;

        // Inserts and an update that succeed, then a delete that fails: the author still
        // has an article.
        let mut s = db.session().await?;
        let existing = s.get::<Author>(other.id).await?;
        s[existing].bio = Some("changed in the failed flush".into());
        let fresh = s.add(new_author(3));
        let article = s.add_child(fresh, Author::articles, new_article("survives"))?;
        let doomed = s.get::<Author>(taken.id).await?;
        s.delete(doomed)?;
        let (failed, log) = count_statements(s.flush()).await;
        let error = failed.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ForeignKeyViolation, "{error}");
        assert_eq!(inserts(&log), 2, "{log}");
        assert!(log.statements()[2].starts_with("UPDATE"), "{log}");
        assert!(log.statements()[3].starts_with("DELETE"), "{log}");

        // Nothing of that flush is in the database, and the transaction still works.
        assert_eq!(count_in::<Author>(&mut s).await?, 2);
        assert_eq!(count_in::<Article>(&mut s).await?, 1);
        let bio: Vec<Option<String>> = Author::query()
            .filter(Author::id.eq(other.id))
            .select(Author::bio)
            .all(s.transaction().await?)
            .await?;
        assert_eq!(bio, [None], "the update before the failure was rolled back");
        // The objects are as they were: pending ones pending, changes still to write.
        assert!(s.is_pending(fresh)? && s.is_pending(article)?);
        assert_invalid(s.read(fresh), "flush()");
        assert_eq!(s[existing].bio.as_deref(), Some("changed in the failed flush"));
        assert!(s.has_changes());

        // Deleting what blocked the delete lets the same flush through.
        let blocker = s.get::<Article>(blocking.id).await?;
        s.delete(blocker)?;
        s.flush().await?;
        assert_eq!(s[article].author_id, s[fresh].id);
        assert_eq!(s[fresh].email, "author3@example.com");
        assert_eq!(count_in::<Author>(&mut s).await?, 2);

        // A unique violation is typed; dropping the offending object from the session fixes it.
        let duplicate = s.add(NewAuthor { email: s[fresh].email.clone(), ..new_author(4) });
        let error = s.flush().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation, "{error}");
        assert_eq!(error.constraint().and_then(|c| c.field()), Some("email"));
        assert!(s.is_pending(duplicate)?);
        s.delete(duplicate)?;
        s.flush().await?;

        // A loaded object changed to a taken value: fixing the object fixes the flush.
        s[existing].email = s[fresh].email.clone();
        assert_eq!(s.flush().await.unwrap_err().kind(), ErrorKind::UniqueViolation);
        assert_eq!(s[existing].email, "author3@example.com", "the object keeps its change");
        s[existing].email = "fixed@example.com".into();
        s.commit().await?;
        let stored = Author::get(db, other.id).await?;
        assert_eq!(stored.email, "fixed@example.com");
        assert_eq!(stored.bio.as_deref(), Some("changed in the failed flush"));
        assert_eq!(count_outside::<Author>(t).await?, 2);
        assert_eq!(count_outside::<Article>(t).await?, 1);
        Ok(())
    }

    async fn session_rollback_and_drop_persist_nothing(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let mut s = db.session().await?;
        let author = s.add(new_author(1));
        let article = s.add_child(author, Author::articles, new_article("gone"))?;
        s.flush().await?;
        assert_eq!(count_in::<Article>(&mut s).await?, 1);
        s.rollback().await?;
        assert_eq!(Author::query().count(db).await?, 0);
        assert_invalid(s.read(author), "rolled back");
        assert_invalid(s.read(article), "rolled back");
        assert_invalid(s.delete(article), "rolled back");

        // The session goes on in a new transaction.
        let kept = s.add(new_author(2));
        s.commit().await?;
        assert_eq!(count_outside::<Author>(t).await?, 1);
        assert_eq!(s[kept].name, "Author 2");

        {
            let mut dropped = db.session().await?;
            let author = dropped.add(new_author(3));
            dropped.add_child(author, Author::articles, new_article("dropped"))?;
            dropped.flush().await?;
            // Dropped without commit.
        }
        assert_eq!(Author::query().count(db).await?, 1);
        assert_eq!(count_outside::<Article>(t).await?, 0);
        Ok(())
    }

    async fn session_commit_persists_and_the_session_goes_on(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let mut s = db.session().await?;
        let author = s.add(new_author(1));
        s.add_child(author, Author::articles, new_article("kept"))?;
        s.commit().await?;
        assert_eq!(count_outside::<Author>(t).await?, 1);
        assert_eq!(count_outside::<Article>(t).await?, 1);
        let id = s[author].id;

        // After the commit the objects stay: a get is answered without a statement (and
        // without a transaction, so `&db` works here even on in-memory SQLite).
        let (again, log) = count_statements(s.get::<Author>(id)).await;
        assert_eq!(again?, author);
        log.assert_count(0);
        assert_eq!(Author::query().count(db).await?, 1);

        // The next change begins a new transaction.
        s[author].name = "Second transaction".into();
        s.add_child(author, Author::articles, new_article("added later"))?;
        s.commit().await?;
        assert_eq!(Author::get(db, id).await?.name, "Second transaction");
        assert_eq!(count_outside::<Article>(t).await?, 2);

        // A session and its futures move between tasks.
        let task_db = db.clone();
        let spawned = tokio::spawn(async move {
            let mut s = task_db.session().await?;
            let author = s.add(new_author(2));
            s.flush().await?;
            s.commit().await?;
            Ok::<_, Error>(s[author].id)
        });
        let spawned_id = spawned.await.expect("the task ran")?;
        assert_eq!(Author::get(db, spawned_id).await?.email, "author2@example.com");
        Ok(())
    }

    async fn session_refuses_misused_handles(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let stored = new_author(1).insert(db).await?;
        let mut s = db.session().await?;
        let loaded = s.get::<Author>(stored.id).await?;
        let pending = s.add(new_author(2));

        // Reading a pending object names the fix, through read and through indexing.
        assert_invalid(s.read(pending), "flush()");
        assert_invalid(s.write(pending), "flush()");
        let message = panic_message(|| {
            let _ = &s[pending].email;
        });
        assert!(message.contains("pending") && message.contains("flush()"), "{message}");

        // A handle of another session.
        s.commit().await?;
        let mut other = db.session().await?;
        assert_invalid(other.read(loaded), "another session");
        assert_invalid(other.delete(loaded), "another session");
        assert_invalid(other.add_child(loaded, Author::articles, new_article("x")), "another session");
        let message = panic_message(|| {
            let _ = &other[loaded].email;
        });
        assert!(message.contains("another session"), "{message}");
        let theirs = other.get::<Author>(stored.id).await?;
        assert_ne!(theirs, loaded, "each session has its own objects");
        other.rollback().await?;

        // Deleted objects: a pending one at once, a loaded one too (before and after flush).
        let dropped = s.add(new_author(3));
        s.delete(dropped)?;
        assert_invalid(s.read(dropped), "was deleted");
        s.delete(loaded)?;
        assert_invalid(s.read(loaded), "was deleted");
        assert!(matches!(s.get::<Author>(stored.id).await, Err(e) if e.kind() == ErrorKind::NotFound));
        assert!(s.load(Author::query()).await?.iter().all(|&h| h != loaded));
        assert_invalid(s.add_child(loaded, Author::articles, new_article("x")), "was deleted");
        s.flush().await?;
        assert_invalid(s.read(loaded), "was deleted");
        assert_invalid(s.write(loaded), "was deleted");

        // A pending child of a pending parent that was then deleted: the flush names both.
        let parent = s.add(new_author(4));
        let child = s.add_child(parent, Author::articles, new_article("orphan"))?;
        s.delete(parent)?;
        let error = s.flush().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidStatement);
        let message = error.to_string();
        assert!(message.contains("session_articles") && message.contains("session_authors"), "{message}");
        assert!(message.contains("Author.articles"), "{message}");
        // Deleting the child too resolves it.
        s.delete(child)?;
        s.commit().await?;
        assert_eq!(Author::query().count(db).await?, 1, "author 2 only");
        Ok(())
    }

    async fn session_self_reference_inserts_level_by_level_and_deletes_leaves_first(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let mut s = db.session().await?;
        let root = s.add(NewFolder { parent_id: None, name: "root".into() });
        let mut level = vec![root];
        let mut all = vec![root];
        for depth in 1..4 {
            let mut next = Vec::new();
            for &parent in &level {
                for i in 0..2 {
                    let name = format!("{depth}.{i}");
                    next.push(s.add_child(parent, Folder::children, NewFolder { parent_id: None, name })?);
                }
            }
            all.extend(&next);
            level = next;
        }
        let (flushed, log) = count_statements(s.flush()).await;
        flushed?;
        assert_eq!(inserts(&log), 4, "one statement per level:\n{log}");
        assert_eq!(s[root].parent_id, None);
        for &folder in &all[1..] {
            let parent = s[folder].parent_id.expect("a parent");
            assert!(all.iter().any(|&f| s[f].id == parent));
        }
        s.commit().await?;

        // Deleted in the order they were found (root first): leaves go first.
        let mut s = db.session().await?;
        let folders = s.load(Folder::query().order_by(Folder::id.asc())).await?;
        assert_eq!(folders.len(), 15);
        for &folder in &folders {
            s.delete(folder)?;
        }
        let (deleted, log) = count_statements(s.flush()).await;
        deleted?;
        assert_eq!(deleted_tables(&log).len(), 15);
        s.commit().await?;
        assert_eq!(Folder::query().count(db).await?, 0);
        Ok(())
    }

    async fn session_matches_returned_rows_by_given_keys(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let mut s = db.session().await?;
        // Explicit keys and generated ones in one flush: two statements for that table.
        let given = s.add(new_author(1).with_key(5_000));
        let generated = s.add(new_author(2));
        let badges: Vec<Handle<Badge>> = (0..50)
            .map(|i| s.add_child(given, Author::badges, NewBadge { author_id: 0, label: format!("badge {i}") }))
            .collect::<Result<_>>()?;
        let article = s.add_child(given, Author::articles, new_article("keyed"))?;
        let motto = "has one".to_string();
        let profile = s.add_child(given, Author::profile, NewProfile { author_id: 0, motto })?;
        let (flushed, log) = count_statements(s.flush()).await;
        flushed?;
        assert_eq!(inserts(&log), 5, "{log}");
        assert_eq!(s[profile].author_id, 5_000);
        assert_eq!(s[given].id, 5_000);
        assert_eq!(s[given].email, "author1@example.com");
        assert_eq!(s[generated].email, "author2@example.com");
        assert_ne!(s[generated].id, 5_000);
        assert_eq!(s[article].author_id, 5_000);
        for (i, &badge) in badges.iter().enumerate() {
            assert_eq!(s[badge].label, format!("badge {i}"));
            assert_eq!(s[badge].author_id, 5_000);
        }
        // The UUID keys orm generated are the identity map's keys.
        let id = s[badges[7]].id;
        let (found, log) = count_statements(s.get::<Badge>(id)).await;
        assert_eq!(found?, badges[7]);
        log.assert_count(0);
        // Keys generated later do not collide with the explicit one (PostgreSQL: the
        // sequence moved past it).
        let later = s.add(new_author(3));
        s.commit().await?;
        assert!(s[later].id > 5_000, "{}", s[later].id);
        Ok(())
    }

    async fn session_flush_cancelled_at_any_point_neither_duplicates_nor_loses_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let (mut kept, mut aborted) = (0_i64, 0_i64);
        // Where a wait falls depends on timing: walk the cancellation along the flush a few
        // times.
        for round in 0..10 {
            for waits in 0.. {
                assert!(waits < 10_000, "the flush never finished");
                let n = round * 10_000 + waits;
                let mut s = db.session().await?;
                let author = s.add(new_author(n));
                s.add_child(author, Author::articles, new_article(format!("{n}")))?;
                let finished = cancel_after(s.flush(), waits).await;
                let done = finished.is_some();
                if let Some(flushed) = finished {
                    flushed?;
                }
                // Cancelled before its savepoint was released, the flush did nothing and the
                // commit flushes again; cancelled during the release, the session cannot know
                // what the transaction holds, so it rolls back and says so.
                let email = format!("author{n}@example.com");
                let stored = match s.commit().await {
                    Ok(()) => {
                        kept += 1;
                        assert_eq!(s[author].email, email);
                        1
                    }
                    Err(error) if error.kind() == ErrorKind::TransactionAborted => {
                        aborted += 1;
                        assert_invalid(s.read(author), "rolled back");
                        0
                    }
                    Err(error) => return Err(error),
                };
                let authors = Author::query().filter(Author::email.eq(email)).count(db).await?;
                assert_eq!(authors, stored, "cancelled after {waits} waits");
                if done {
                    break;
                }
            }
        }
        println!("{:?}: {kept} flushes kept, {aborted} rolled back", t.target);
        assert_eq!(Author::query().count(db).await?, kept);
        assert_eq!(Article::query().count(db).await?, kept);
        Ok(())
    }

    async fn session_flush_checks_versions_and_soft_deletes(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let mut s = db.session().await?;
        let task = s.add(NewTask { title: "write".into() });
        s.flush().await?;
        assert_eq!(s[task].version, 1, "read back from the insert");
        s[task].title = "write more".into();
        s.flush().await?;
        assert_eq!(s[task].version, 2, "the update bumped it and the session read it back");

        // Someone else writes the row (here: a bulk update in the same transaction).
        let id = s[task].id;
        retitle_behind(&mut s, id, "theirs").await?;
        s[task].title = "mine".into();
        let error = s.flush().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::StaleObject, "{error}");
        assert_eq!((s[task].title.as_str(), s[task].version), ("mine", 2), "kept as it was");
        assert_eq!(s.flush().await.unwrap_err().kind(), ErrorKind::StaleObject, "still stale");
        // Start over from the stored row, and reapply the change.
        s.refresh(task).await?;
        assert_eq!((s[task].title.as_str(), s[task].version), ("theirs", 3));
        assert!(!s.has_changes());
        s[task].title = "mine".into();
        s.flush().await?;
        assert_eq!(s[task].version, 4);
        // Deleting a row someone changed is stale too.
        let other = s.add(NewTask { title: "other".into() });
        s.flush().await?;
        let other_id = s[other].id;
        retitle_behind(&mut s, other_id, "changed").await?;
        s.delete(other)?;
        assert_eq!(s.flush().await.unwrap_err().kind(), ErrorKind::StaleObject);
        s.rollback().await?;
        let stored = Task::get(db, id).await;
        assert_eq!(stored.unwrap_err().kind(), ErrorKind::NotFound, "rolled back");

        // A soft delete through the session: the row stays, marked, and reads hide it.
        let mut s = db.session().await?;
        let kept = s.add(NewTask { title: "to the trash".into() });
        s.commit().await?;
        let id = s[kept].id;
        s.delete(kept)?;
        s.flush().await?;
        assert_invalid(s.read(kept), "was deleted");
        assert!(s.find::<Task>(id).await?.is_none());
        assert_invalid(s.refresh(kept).await, "was deleted");
        let trash = Task::query()
            .only_deleted()
            .all(s.transaction().await?)
            .await?;
        assert_eq!(trash.len(), 1);
        assert!(trash[0].deleted_at.is_some());

        // Refreshing an object whose row is gone takes it out of the session.
        let gone = s.add(NewTask { title: "gone".into() });
        s.flush().await?;
        let gone_id = s[gone].id;
        Task::delete()
            .filter(Task::id.eq(gone_id))
            .force()
            .exec(s.transaction().await?)
            .await?;
        let error = s.refresh(gone).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        assert_invalid(s.read(gone), "was deleted");
        s.commit().await?;
        Ok(())
    }
}
