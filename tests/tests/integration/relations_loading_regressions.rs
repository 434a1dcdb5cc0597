//! Regression tests for eager-loading defects found while writing the suite (each fixed;
//! the comments say what failed before):
//!
//! - A belongs_to joined by default (`.with(Post::author)`) is joined when `.with` is called;
//!   a `.union_all(..)`, `.group_by(..)` or `.for_update()` added afterwards still renders
//!   the join, giving SQL the database rejects (then: refused; now: loaded by key).
//! - A has_one loaded `.joined()` multiplies the parent rows when several children match
//!   (and a parent `.limit(n)` then returns fewer distinct parents).
//! - Statements sent by `.stream(..)` are not recorded by `orm::guard` scopes.
//! - Statements sent in a nested guard scope are not recorded by the enclosing scope.

use futures_util::StreamExt;
use orm::prelude::*;

use crate::relation_models::*;
use crate::relations_seed::*;
use crate::{Target, backend_tests};

/// The rows of `result` must be `expected_rows` posts by alice with their author loaded by
/// key: the parent query and one more statement.
fn loaded_by_key(
    result: Result<Vec<Post>>,
    log: &orm::guard::StatementLog,
    expected_rows: usize,
) -> Result<()> {
    let rows = result?;
    assert_eq!(rows.len(), expected_rows, "{log}");
    log.assert_count(2);
    for row in &rows {
        assert_eq!(row.author.get()?.id, row.user_id, "{log}");
    }
    Ok(())
}

backend_tests! {
    async fn joined_belongs_to_then_union_all(t: &TestDb) -> Result<()> {
        // Fails on all backends: `SELECT posts.*, author.* .. UNION ALL SELECT posts.* ..`
        // (the join is rendered into the first branch only: column counts differ).
        let db = &t.db;
        let blog = blog(db).await?;
        let p1 = blog.posts[0].id;
        let (rows, log) = orm::guard::count_statements(
            Post::query()
                .filter(Post::id.eq(p1))
                .with(Post::author)
                .union_all(Post::query().filter(Post::id.eq(p1)))
                .all(db),
        )
        .await;
        loaded_by_key(rows, &log, 2)
    }

    async fn joined_belongs_to_then_group_by(t: &TestDb) -> Result<()> {
        // Fails on PostgreSQL: the joined author's columns are neither grouped nor
        // aggregated (42803). SQLite accepts the bare columns.
        let db = &t.db;
        blog(db).await?;
        let (rows, log) = orm::guard::count_statements(
            Post::query().with(Post::author).group_by(Post::id).all(db),
        )
        .await;
        loaded_by_key(rows, &log, 5)
    }

    async fn joined_belongs_to_with_for_update(t: &TestDb) -> Result<()> {
        // Fails on PostgreSQL: `.. LEFT JOIN rel_users AS rel_posts__author .. FOR UPDATE` is
        // "FOR UPDATE cannot be applied to the nullable side of an outer join" (0A000), in
        // either order of `.with` and `.for_update`. Locking only the parent
        // (`FOR UPDATE OF "rel_posts"`) or loading the author by key would work.
        let db = &t.db;
        blog(db).await?;
        if t.target != Target::Postgres {
            // SQLite has no row locks.
            let err = Post::query()
                .with(Post::author)
                .for_update()
                .all(db)
                .await
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Unsupported, "{err}");
            return Ok(());
        }
        let tx = db.begin().await?;
        let (rows, log) =
            orm::guard::count_statements(Post::query().with(Post::author).for_update().all(&tx))
                .await;
        loaded_by_key(rows, &log, 5)?;
        let (rows, log) =
            orm::guard::count_statements(Post::query().for_update().with(Post::author).all(&tx))
                .await;
        loaded_by_key(rows, &log, 5)?;
        tx.rollback().await
    }

    async fn joined_has_one_keeps_one_row_per_parent(t: &TestDb) -> Result<()> {
        // Fails on all backends: thread `a` has 3 replies, so `LEFT JOIN rel_replies` returns
        // it 3 times; with `.limit(2)` the result is [a, a] and thread `b` is missing. Loaded
        // by key (the default) each thread comes once with its first reply.
        let db = &t.db;
        db.create_all(&key_types_schema()).await?;
        let a = NewThread { title: "a".into() }.insert(db).await?;
        let b = NewThread { title: "b".into() }.insert(db).await?;
        for score in [1, 2, 3] {
            NewReply {
                thread_id: a.id,
                score,
            }
            .insert(db)
            .await?;
        }
        let query = || Thread::query().order_by(Thread::id);
        let by_key = query().with(Thread::top_reply).all(db).await?;
        assert_eq!(
            by_key.iter().map(|t| t.id).collect::<Vec<_>>(),
            vec![a.id, b.id]
        );
        // A join would repeat the thread once per reply: `.joined()` is refused for has_one
        // before anything is sent.
        let (joined, log) =
            orm::guard::count_statements(query().with(Thread::top_reply.joined()).all(db)).await;
        assert_eq!(joined.unwrap_err().kind(), ErrorKind::InvalidStatement);
        log.assert_count(0);
        Ok(())
    }

    async fn streamed_statements_are_counted(t: &TestDb) -> Result<()> {
        // Fails on all backends: `count_statements` logs 0 statements for a stream
        // (orm/src/backend.rs: the `stream` op never calls `guard::record_statement`,
        // unlike `run`).
        let db = &t.db;
        blog(db).await?;
        let (names, log) = orm::guard::count_statements(async {
            let mut stream = Post::query()
                .order_by(Post::id)
                .with(Post::author)
                .stream(db);
            let mut names = Vec::new();
            while let Some(post) = stream.next().await {
                names.push(post?.author.get()?.name.clone());
            }
            Ok::<_, orm::Error>(names)
        })
        .await;
        assert_eq!(names?, vec!["alice", "alice", "bob", "carol", "bob"]);
        log.assert_count(1);
        assert!(log.statements()[0].contains("LEFT JOIN"), "{log}");
        Ok(())
    }

    async fn nested_guard_scopes_record_in_the_outer_scope(t: &TestDb) -> Result<()> {
        // Fails on all backends: the inner scope shadows the outer one (a task-local), so a
        // test counting around code that itself uses `watch` sees 0 statements.
        let db = &t.db;
        blog(db).await?;
        let ((posts, inner), outer) = orm::guard::count_statements(orm::guard::watch(
            orm::guard::Watch::new(),
            Post::query().with(Post::comments).all(db),
        ))
        .await;
        posts?;
        inner.assert_count(2);
        outer.assert_count(2);
        Ok(())
    }
}
