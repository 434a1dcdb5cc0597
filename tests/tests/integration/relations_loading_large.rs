//! Eager loading for many parents: one statement per level for 10 000 parents on every
//! backend, and parent lists past SQLite's 32 766-bind limit (split in two statements there,
//! one array on PostgreSQL).

use orm::prelude::*;

use crate::relation_models::*;
use crate::relations_seed::*;
use crate::{Target, backend_tests};

/// Insert `n` users named `u0`.. in bulk, and a post for each user whose index passes
/// `has_post`; returns the users' ids in order.
async fn many_users(db: &Database, n: usize, has_post: impl Fn(usize) -> bool) -> Result<Vec<i64>> {
    db.create_all(&schema()).await?;
    orm::insert((0..n).map(|i| NewUser {
        name: format!("u{i}"),
    }))
    .exec(db)
    .await?;
    let ids: Vec<i64> = orm::raw("SELECT id FROM rel_users ORDER BY id")
        .fetch_as::<i64>(db)
        .await?;
    assert_eq!(ids.len(), n);
    let posts = ids.iter().enumerate().filter(|(i, _)| has_post(*i));
    orm::insert(posts.map(|(_, &user_id)| NewPost {
        user_id,
        title: format!("by {user_id}"),
    }))
    .exec(db)
    .await?;
    Ok(ids)
}

backend_tests! {
    async fn ten_thousand_parents_in_two_statements(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let ids = many_users(db, 10_000, |i| i % 100 == 0).await?;
        let (users, log) = orm::guard::count_statements(
            User::query().order_by(User::id).with(User::posts).all(db),
        )
        .await;
        let users = users?;
        log.assert_count(2);
        // One list parameter however many keys: a typed array on PostgreSQL, a JSON array on
        // SQLite.
        let keys = &log.statements()[1];
        let list = if t.target == Target::Postgres { "= ANY($1)" } else { "json_each(?)" };
        assert!(keys.contains(list) && !keys.contains("$2"), "{keys}");
        assert_eq!(log.values_bound()[1], 10_000);
        assert_eq!(users.len(), 10_000);
        let loaded = loaded_pairs(
            &users,
            |u| u.id,
            |u| Ok(u.posts.get()?.iter().map(|p| p.id).collect()),
        )?;
        assert_eq!(loaded.len(), 100);
        assert_eq!(
            loaded,
            pairs(db, "SELECT user_id, id FROM rel_posts").await?
        );
        for (i, user) in users.iter().enumerate() {
            assert_eq!(user.id, ids[i]);
            assert_eq!(
                user.posts.get()?.len(),
                usize::from(i % 100 == 0),
                "user {i}"
            );
        }
        // The belongs_to side with 100 posts over 100 distinct users, by key.
        let posts = counted(2, Post::query().with(Post::author.select_in()).all(db)).await?;
        assert!(
            posts
                .iter()
                .all(|p| p.author.get().map(|a| a.id == p.user_id).unwrap_or(false))
        );
        Ok(())
    }

    async fn more_keys_than_sqlite_binds(t: &TestDb) -> Result<()> {
        // 40 000 parents, more than SQLite's 32 766 binds a statement: the keys are one list
        // parameter on both backends, so the level is still one statement.
        let db = &t.db;
        let ids = many_users(db, 40_000, |i| i % 7 != 0).await?;
        let mut users = User::query().order_by(User::id).all(db).await?;
        let (loaded, log) =
            orm::guard::count_statements(User::posts.load_for(&mut users, db)).await;
        loaded?;
        log.assert_count(1);
        assert_eq!(log.values_bound(), [40_000], "every key is sent once");
        let expected = pairs(db, "SELECT user_id, id FROM rel_posts").await?;
        assert_eq!(expected.len(), 40_000 - 40_000usize.div_ceil(7));
        assert_eq!(
            loaded_pairs(
                &users,
                |u| u.id,
                |u| Ok(u.posts.get()?.iter().map(|p| p.id).collect())
            )?,
            expected
        );
        assert_eq!(users.last().map(|u| u.id), ids.last().copied());
        assert!(users.iter().all(|u| u.posts.is_loaded()));

        // Through a query, with a per-parent limit and a nested belongs_to (joined).
        let users = counted(
            2,
            User::query()
                .order_by(User::id)
                .with(
                    User::posts
                        .order_by(Post::id.desc())
                        .limit(1)
                        .with(Post::author),
                )
                .all(db),
        )
        .await?;
        let with_posts = users
            .iter()
            .filter(|u| !u.posts.get().map(|p| p.is_empty()).unwrap_or(true))
            .count();
        assert_eq!(with_posts, expected.len());
        for user in &users {
            for post in user.posts.get()? {
                assert_eq!(post.author.get()?.id, user.id);
            }
        }
        // The belongs_to by key with more distinct targets than SQLite's binds, and each
        // parent listed twice (the keys are sent once).
        let mut posts: Vec<Post> = Post::query().order_by(Post::id).all(db).await?;
        assert!(posts.len() > 32_766);
        let copies = posts.clone();
        posts.extend(copies);
        counted(1, Post::author.load_for(&mut posts, db)).await?;
        assert!(
            posts
                .iter()
                .all(|p| p.author.get().map(|a| a.id == p.user_id).unwrap_or(false))
        );
        Ok(())
    }
}
