//! Eager loading: the number of statements each loading path sends (one per level, none for a
//! joined belongs_to), and what it loads compared with hand-written SQL over the same data.

use orm::prelude::*;

use crate::relation_models::*;
use crate::relations_seed::*;
use crate::{Target, backend_tests};

fn ids<T>(rows: &[T], id: impl Fn(&T) -> i64) -> Vec<i64> {
    rows.iter().map(id).collect()
}

backend_tests! {
    async fn loads_has_many_has_one_and_many_to_many_in_two_statements(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let blog = blog(db).await?;

        let users = counted(
            2,
            User::query().order_by(User::id).with(User::posts).all(db),
        )
        .await?;
        assert_eq!(users.len(), 4);
        assert_eq!(
            loaded_pairs(&users, |u| u.id, |u| Ok(ids(u.posts.get()?, |p| p.id)))?,
            pairs(db, "SELECT user_id, id FROM rel_posts").await?
        );
        assert!(users[3].posts.get()?.is_empty(), "dave has no posts");
        // Children come in key order by default.
        assert_eq!(
            ids(users[0].posts.get()?, |p| p.id),
            vec![blog.posts[0].id, blog.posts[1].id]
        );

        let users = counted(
            2,
            User::query().order_by(User::id).with(User::profile).all(db),
        )
        .await?;
        let loaded: Vec<(i64, i64)> = users
            .iter()
            .filter_map(|u| u.profile.get().map(|p| p.map(|p| (u.id, p.id))).transpose())
            .collect::<Result<_>>()?;
        assert_eq!(
            loaded,
            pairs(db, "SELECT user_id, id FROM rel_profiles").await?
        );
        assert_eq!(
            users[0].profile.get()?.map(|p| p.bio.as_str()),
            Some("alice's bio")
        );
        assert_eq!(users[2].profile.get()?, None, "carol has no profile");

        let posts = counted(2, Post::query().order_by(Post::id).with(Post::tags).all(db)).await?;
        assert_eq!(
            loaded_pairs(&posts, |p| p.id, |p| Ok(ids(p.tags.get()?, |t| t.id)))?,
            pairs(db, "SELECT post_id, tag_id FROM rel_post_tags").await?
        );
        assert!(posts[4].tags.get()?.is_empty(), "p5 has no tags");

        let (tags, log) =
            orm::guard::count_statements(Tag::query().order_by(Tag::id).with(Tag::posts).all(db))
                .await;
        let tags = tags?;
        log.assert_count(2);
        assert!(log.statements()[1].contains(key_list_marker(t)), "{log}");
        assert_eq!(
            loaded_pairs(&tags, |t| t.id, |t| Ok(ids(t.posts.get()?, |p| p.id)))?,
            pairs(db, "SELECT tag_id, post_id FROM rel_post_tags").await?
        );
        assert!(
            tags[3].posts.get()?.is_empty(),
            "tag `unused` is on no post"
        );
        // The same target row reached from several parents is loaded for each.
        assert_eq!(tags[0].posts.get()?.len(), 3);
        Ok(())
    }

    async fn belongs_to_joins_by_default_and_loads_by_key_on_request(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        let expected = pairs(
            db,
            "SELECT c.id, u.id FROM rel_comments c JOIN rel_users u ON u.id = c.user_id",
        )
        .await?;
        let author_pairs = |comments: &[Comment]| -> Result<Vec<(i64, i64)>> {
            loaded_pairs(
                comments,
                |c| c.id,
                |c| Ok(c.author.get()?.map(|u| u.id).into_iter().collect()),
            )
        };

        let (joined, log) = orm::guard::count_statements(
            Comment::query()
                .order_by(Comment::id)
                .with(Comment::author)
                .all(db),
        )
        .await;
        let joined = joined?;
        log.assert_count(1);
        assert!(log.statements()[0].contains("LEFT JOIN"), "{log}");
        assert_eq!(author_pairs(&joined)?, expected);
        let anonymous = joined.iter().filter(|c| c.user_id.is_none()).count();
        assert_eq!(anonymous, 3);
        for comment in joined.iter().filter(|c| c.user_id.is_none()) {
            assert_eq!(comment.author.get()?, None);
            assert!(comment.author.is_loaded());
        }

        let (by_key, log) = orm::guard::count_statements(
            Comment::query()
                .order_by(Comment::id)
                .with(Comment::author.select_in())
                .all(db),
        )
        .await;
        let by_key = by_key?;
        log.assert_count(2);
        assert!(!log.statements()[0].contains("JOIN"), "{log}");
        assert!(log.statements()[1].contains(key_list_marker(t)), "{log}");
        assert_eq!(by_key, joined);

        let explicit = counted(
            1,
            Comment::query()
                .order_by(Comment::id)
                .with(Comment::author.joined())
                .all(db),
        )
        .await?;
        assert_eq!(explicit, joined);

        // Non-optional belongs_to, both ways.
        let joined = counted(
            1,
            Comment::query()
                .order_by(Comment::id)
                .with(Comment::post)
                .all(db),
        )
        .await?;
        let by_key = counted(
            2,
            Comment::query()
                .order_by(Comment::id)
                .with(Comment::post.select_in())
                .all(db),
        )
        .await?;
        assert_eq!(joined, by_key);
        assert_eq!(
            loaded_pairs(&joined, |c| c.id, |c| Ok(vec![c.post.get()?.id]))?,
            pairs(db, "SELECT id, post_id FROM rel_comments").await?
        );
        Ok(())
    }

    async fn nested_levels_send_one_statement_each(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        // users -> posts -> comments -> author (by key): 4 statements.
        let users = counted(
            4,
            User::query()
                .order_by(User::id)
                .with(User::posts.with(Post::comments.with(Comment::author.select_in())))
                .all(db),
        )
        .await?;
        // The same with the author joined into the comments' statement: 3.
        let joined = counted(
            3,
            User::query()
                .order_by(User::id)
                .with(User::posts.with(Post::comments.with(Comment::author)))
                .all(db),
        )
        .await?;
        assert_eq!(users, joined);

        let mut triples = Vec::new();
        let mut authors = Vec::new();
        for user in &users {
            for post in user.posts.get()? {
                assert_eq!(post.user_id, user.id);
                for comment in post.comments.get()? {
                    triples.push((user.id, post.id, comment.id));
                    if let Some(author) = comment.author.get()? {
                        authors.push((comment.id, author.id));
                    }
                }
            }
        }
        triples.sort_unstable();
        authors.sort_unstable();
        let mut expected_triples = orm::raw(
            "SELECT p.user_id, p.id, c.id FROM rel_posts p JOIN rel_comments c ON c.post_id = p.id",
        )
        .fetch_as::<(i64, i64, i64)>(db)
        .await?;
        expected_triples.sort_unstable();
        assert_eq!(triples, expected_triples);
        assert_eq!(
            authors,
            pairs(
                db,
                "SELECT c.id, u.id FROM rel_comments c JOIN rel_users u ON u.id = c.user_id"
            )
            .await?
        );

        // Several relationships at each level: posts (author joined), comments, tags, and
        // the users' profiles: 1 + posts + comments + tags + profiles.
        let users = counted(
            5,
            User::query()
                .order_by(User::id)
                .with(
                    User::posts
                        .with(Post::comments.with(Comment::author))
                        .with(Post::tags)
                        .with(Post::author),
                )
                .with(User::profile)
                .all(db),
        )
        .await?;
        for user in &users {
            user.profile.get()?;
            for post in user.posts.get()? {
                assert_eq!(post.author.get()?.id, user.id);
                post.tags.get()?;
                for comment in post.comments.get()? {
                    comment.author.get()?;
                }
            }
        }
        assert_eq!(
            loaded_pairs(
                &users,
                |u| u.id,
                |u| {
                    let mut tags = Vec::new();
                    for post in u.posts.get()? {
                        tags.extend(ids(post.tags.get()?, |t| t.id));
                    }
                    Ok(tags)
                }
            )?,
            pairs(
                db,
                "SELECT p.user_id, pt.tag_id FROM rel_posts p \
                 JOIN rel_post_tags pt ON pt.post_id = p.id",
            )
            .await?
        );
        Ok(())
    }

    async fn several_with_on_one_level(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        let query = || Post::query().order_by(Post::id);
        let all = counted(
            3,
            query()
                .with(Post::author)
                .with(Post::comments)
                .with(Post::tags)
                .all(db),
        )
        .await?;
        let by_key = counted(
            4,
            query()
                .with(Post::author.select_in())
                .with(Post::comments)
                .with(Post::tags)
                .all(db),
        )
        .await?;
        assert_eq!(all, by_key);
        // The same relationship twice is joined once.
        let twice = counted(1, query().with(Post::author).with(Post::author).all(db)).await?;
        for (a, b) in twice.iter().zip(&all) {
            assert_eq!(a.author.get()?, b.author.get()?);
        }
        assert_eq!(
            loaded_pairs(&all, |p| p.id, |p| Ok(ids(p.comments.get()?, |c| c.id)))?,
            pairs(db, "SELECT post_id, id FROM rel_comments").await?
        );
        assert_eq!(
            loaded_pairs(&all, |p| p.id, |p| Ok(vec![p.author.get()?.id]))?,
            pairs(db, "SELECT id, user_id FROM rel_posts").await?
        );
        Ok(())
    }

    async fn load_for_rows_already_fetched(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let blog = blog(db).await?;
        let mut posts = Post::query().order_by(Post::id).all(db).await?;
        assert!(!posts[0].comments.is_loaded());
        counted(1, Post::comments.load_for(&mut posts, db)).await?;
        // The loaded children are the rows as inserted (every column).
        for post in &posts {
            let seeded: Vec<&Comment> = blog
                .comments
                .iter()
                .filter(|c| c.post_id == post.id)
                .collect();
            let loaded: Vec<&Comment> = post.comments.get()?.iter().collect();
            assert_eq!(loaded, seeded, "post {}", post.title);
        }
        assert_eq!(
            loaded_pairs(&posts, |p| p.id, |p| Ok(ids(p.comments.get()?, |c| c.id)))?,
            pairs(db, "SELECT post_id, id FROM rel_comments").await?
        );
        counted(1, Post::tags.load_for(&mut posts, db)).await?;
        counted(1, Post::author.load_for(&mut posts, db)).await?;
        assert_eq!(
            loaded_pairs(&posts, |p| p.id, |p| Ok(ids(p.tags.get()?, |t| t.id)))?,
            pairs(db, "SELECT post_id, tag_id FROM rel_post_tags").await?
        );
        assert_eq!(posts[0].tags.get()?, &blog.tags[..3]);
        assert_eq!(posts[0].author.get()?, &blog.users[0]);
        assert_eq!(
            loaded_pairs(&posts, |p| p.id, |p| Ok(vec![p.author.get()?.id]))?,
            pairs(db, "SELECT id, user_id FROM rel_posts").await?
        );

        // Nested: one statement per level, the nested belongs_to joined into its level.
        let mut fresh = Post::query().order_by(Post::id).all(db).await?;
        counted(
            1,
            Post::comments
                .with(Comment::author)
                .load_for(&mut fresh, db),
        )
        .await?;
        let mut fresh2 = Post::query().order_by(Post::id).all(db).await?;
        counted(
            2,
            Post::comments
                .with(Comment::author.select_in())
                .load_for(&mut fresh2, db),
        )
        .await?;
        assert_eq!(fresh, fresh2);
        let mut authors = Vec::new();
        for post in &fresh {
            for comment in post.comments.get()? {
                if let Some(author) = comment.author.get()? {
                    authors.push((comment.id, author.id));
                }
            }
        }
        authors.sort_unstable();
        assert_eq!(
            authors,
            pairs(
                db,
                "SELECT c.id, u.id FROM rel_comments c JOIN rel_users u ON u.id = c.user_id"
            )
            .await?
        );

        // A belongs_to with nullable keys, by key.
        let mut comments = Comment::query().order_by(Comment::id).all(db).await?;
        counted(1, Comment::author.load_for(&mut comments, db)).await?;
        assert_eq!(
            loaded_pairs(
                &comments,
                |c| c.id,
                |c| Ok(c.author.get()?.map(|u| u.id).into_iter().collect())
            )?,
            pairs(
                db,
                "SELECT c.id, u.id FROM rel_comments c JOIN rel_users u ON u.id = c.user_id"
            )
            .await?
        );
        Ok(())
    }

    async fn first_one_and_optional_load_with_the_row(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let blog = blog(db).await?;
        let p1 = blog.posts[0].id;
        let by_id = || Post::query().filter(Post::id.eq(p1));
        let expected_comments: Vec<i64> = orm::raw(format!(
            "SELECT id FROM rel_comments WHERE post_id = {} ORDER BY id",
            ph(t, 1)
        ))
        .bind(p1)
        .fetch_as::<i64>(db)
        .await?;
        assert_eq!(expected_comments.len(), 4);

        let first = counted(2, by_id().with(Post::comments).with(Post::author).first(db)).await?;
        let first = first.expect("p1 exists");
        assert_eq!(ids(first.comments.get()?, |c| c.id), expected_comments);
        assert_eq!(first.author.get()?.name, "alice");

        // One parent: its key is compared with `=` (`post_id = $1`), not sent as a list of one.
        let (single, log) =
            orm::guard::count_statements(by_id().with(Post::comments).with(Post::tags).first(db))
                .await;
        let single = single?.expect("p1 exists");
        log.assert_count(3);
        for children in &log.statements()[1..] {
            let compared = children.contains(&format!(" = {}", ph(t, 1)));
            assert!(compared && !children.contains(key_list_marker(t)), "{log}");
        }
        assert_eq!(ids(single.comments.get()?, |c| c.id), expected_comments);
        let expected_tags: Vec<i64> = orm::raw(format!(
            "SELECT tag_id FROM rel_post_tags WHERE post_id = {} ORDER BY tag_id",
            ph(t, 1)
        ))
        .bind(p1)
        .fetch_as::<i64>(db)
        .await?;
        assert_eq!(ids(single.tags.get()?, |tag| tag.id), expected_tags);
        assert!(!expected_tags.is_empty());

        let one = counted(2, by_id().with(Post::comments).with(Post::author).one(db)).await?;
        assert_eq!(one, first);
        let optional = counted(
            2,
            by_id().with(Post::comments).with(Post::author).optional(db),
        )
        .await?;
        assert_eq!(optional.as_ref(), Some(&first));

        // The parent's LIMIT 1 does not limit the children; the last post has 2 comments.
        let last = counted(
            2,
            Post::query()
                .order_by(Post::id.desc())
                .with(Post::comments)
                .first(db),
        )
        .await?
        .expect("there are posts");
        assert_eq!(last.id, blog.posts[4].id);
        assert_eq!(last.comments.get()?.len(), 2);
        assert!(last.comments.get()?.iter().all(|c| c.post_id == last.id));

        // No row: the loaders have nothing to do and send nothing.
        let none = Post::query().filter(Post::id.eq(-1));
        assert_eq!(counted(1, none.with(Post::comments).first(db)).await?, None);
        let none = Post::query().filter(Post::id.eq(-1));
        assert_eq!(
            counted(1, none.with(Post::comments).optional(db)).await?,
            None
        );
        let err = Post::query()
            .filter(Post::id.eq(-1))
            .with(Post::tags)
            .one(db)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);

        // Several rows for .one(): an error, whatever was attached.
        let err = Post::query()
            .with(Post::comments)
            .one(db)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidStatement);
        Ok(())
    }

    async fn a_query_and_its_loads_run_on_one_pooled_connection(t: &TestDb) -> Result<()> {
        // PostgreSQL names each statement's connection (`pg_backend_pid()`); behind
        // PgBouncer every statement may meet another server connection.
        if t.target != Target::Postgres || t.through_pgbouncer {
            return Ok(());
        }
        blog(&t.db).await?;
        orm::raw("CREATE TABLE pid_log (query BIGINT NOT NULL, pid INT NOT NULL)").execute(&t.db).await?;
        orm::raw(
            "CREATE FUNCTION note_pid(query BIGINT) RETURNS BOOLEAN VOLATILE LANGUAGE sql \
             AS 'INSERT INTO pid_log VALUES (query, pg_backend_pid()); SELECT TRUE'",
        )
        .execute(&t.db)
        .await?;
        let noted = |query: i64| orm::functions::func::<bool>("note_pid", vec![orm::functions::arg(orm::expr::value(query))]);
        // A small pool kept busy by other tasks: a connection given back between two
        // statements is soon someone else's.
        let db = DatabaseOptions::new().max_connections(3).connect(&t.url).await?;
        let busy = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let hammers: Vec<_> = (0..6)
            .map(|_| {
                let (db, busy) = (db.clone(), busy.clone());
                tokio::spawn(async move {
                    while busy.load(std::sync::atomic::Ordering::Relaxed) {
                        User::query().count(&db).await?;
                    }
                    Ok::<_, orm::Error>(())
                })
            })
            .collect();
        for query in 0..30 {
            let posts = Post::query()
                .filter(noted(query))
                .with(Post::comments.filter(noted(query)))
                .with(Post::tags.filter(noted(query)))
                .all(&db)
                .await?;
            assert_eq!(posts.len(), 5);
            let mut post = Post::query()
                .order_by(Post::id)
                .filter(noted(1000 + query))
                .with(Post::tags.filter(noted(1000 + query)))
                .first(&db)
                .await?
                .expect("a post");
            // Rows already fetched: the levels of one load_for on one connection.
            Post::comments
                .filter(noted(2000 + query))
                .with(Comment::author.select_in().filter(noted(2000 + query)))
                .load_for(std::slice::from_mut(&mut post), &db)
                .await?;
        }
        busy.store(false, std::sync::atomic::Ordering::Relaxed);
        for hammer in hammers {
            hammer.await.expect("no panic")?;
        }
        let spread: Vec<(i64, i64, i64)> = orm::raw(
            "SELECT query, COUNT(*), COUNT(DISTINCT pid) FROM pid_log GROUP BY query ORDER BY query",
        )
        .fetch_as(&t.db)
        .await?;
        assert_eq!(spread.len(), 90, "every query noted its statements");
        for (query, noted, connections) in spread {
            assert!(noted >= 2, "query {query}: {noted} notes");
            assert_eq!(connections, 1, "query {query} ran on {connections} connections");
        }
        db.close().await;
        Ok(())
    }

    async fn eager_loading_inside_a_transaction(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let blog = blog(db).await?;
        let tx = db.begin().await?;
        NewComment {
            post_id: blog.posts[3].id,
            user_id: None,
            body: "in tx".into(),
            score: 9,
        }
        .insert(&tx)
        .await?;
        let posts = counted(
            2,
            Post::query()
                .order_by(Post::id)
                .with(Post::comments)
                .with(Post::author)
                .all(&tx),
        )
        .await?;
        // The loaders ran on the transaction: they see its uncommitted row.
        assert_eq!(posts[3].comments.get()?.len(), 1);
        assert_eq!(posts[3].comments.get()?[0].body, "in tx");
        let mut again = Post::query().order_by(Post::id).all(&tx).await?;
        counted(1, Post::comments.load_for(&mut again, &tx)).await?;
        assert_eq!(again[3].comments.get()?.len(), 1);
        tx.rollback().await?;
        let posts = Post::query()
            .order_by(Post::id)
            .with(Post::comments)
            .all(db)
            .await?;
        assert!(posts[3].comments.get()?.is_empty());
        Ok(())
    }
}
