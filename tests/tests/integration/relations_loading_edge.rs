//! Eager loading at the edges: repeated parents, no parents, relationships read without being
//! loaded, misuse rejected before sending, on-demand loads and the N+1 guard.

use futures_util::StreamExt;
use orm::guard::{NPlusOne, Watch};
use orm::prelude::*;

use crate::relation_models::*;
use crate::relations_seed::*;
use crate::{Target, backend_tests};

fn comment_ids(post: &Post) -> Result<Vec<i64>> {
    Ok(post.comments.get()?.iter().map(|c| c.id).collect())
}

/// Run `work`, which must fail with `InvalidStatement` before sending anything; its error.
async fn refused<T>(what: &str, work: impl std::future::Future<Output = Result<T>>) -> orm::Error {
    let (result, log) = orm::guard::count_statements(work).await;
    let Err(err) = result else {
        panic!("{what}: not refused; sent:\n{log}")
    };
    assert_eq!(err.kind(), ErrorKind::InvalidStatement, "{what}: {err}");
    assert!(log.is_empty(), "{what} sent:\n{log}");
    err
}

backend_tests! {
    async fn repeated_parents_get_the_same_children(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let blog = blog(db).await?;
        let p1 = Post::query()
            .filter(Post::id.eq(blog.posts[0].id))
            .one(db)
            .await?;
        let p3 = Post::query()
            .filter(Post::id.eq(blog.posts[2].id))
            .one(db)
            .await?;
        let mut posts = vec![p1.clone(), p3.clone(), p1.clone()];
        let (loaded, log) =
            orm::guard::count_statements(Post::comments.load_for(&mut posts, db)).await;
        loaded?;
        log.assert_count(1);
        // Each distinct key is sent once.
        assert_eq!(log.values_bound(), [2], "{log}");
        assert_eq!(comment_ids(&posts[0])?.len(), 4);
        assert_eq!(comment_ids(&posts[0])?, comment_ids(&posts[2])?);
        assert_eq!(comment_ids(&posts[1])?.len(), 1);

        // A query whose rows repeat a parent: p1 once per comment through a join.
        let repeated = counted(
            2,
            Post::query()
                .join(Comment::TABLE)
                .filter(Post::id.eq(p1.id))
                .with(Post::tags)
                .all(db),
        )
        .await?;
        assert_eq!(repeated.len(), 4);
        let first: Vec<i64> = repeated[0].tags.get()?.iter().map(|t| t.id).collect();
        assert_eq!(first.len(), 3);
        for post in &repeated {
            assert_eq!(
                post.tags.get()?.iter().map(|t| t.id).collect::<Vec<_>>(),
                first
            );
        }

        // Repeated through UNION ALL, relationships attached after the union.
        let twice = counted(
            3,
            Post::query()
                .filter(Post::id.eq(p1.id))
                .union_all(Post::query().filter(Post::id.eq(p1.id)))
                .with(Post::comments)
                .with(Post::author)
                .all(db),
        )
        .await?;
        assert_eq!(twice.len(), 2);
        assert_eq!(twice[0], twice[1]);
        assert_eq!(comment_ids(&twice[0])?.len(), 4);
        assert_eq!(twice[0].author.get()?.name, "alice");

        // A belongs_to whose targets repeat: each distinct author is sent and loaded once.
        let mut comments = Comment::query().order_by(Comment::id).all(db).await?;
        counted(1, Comment::author.load_for(&mut comments, db)).await?;
        let bobs: Vec<_> = comments
            .iter()
            .filter(|c| c.user_id == Some(blog.users[1].id))
            .map(|c| c.author.shared().expect("bob"))
            .collect();
        assert_eq!(bobs.len(), 2);
        assert!(std::sync::Arc::ptr_eq(&bobs[0], &bobs[1]));
        Ok(())
    }

    async fn no_parents_and_all_children_filtered_out(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        let mut none: Vec<Post> = Vec::new();
        counted(0, Post::comments.load_for(&mut none, db)).await?;
        counted(0, Post::tags.with(Tag::posts).load_for(&mut none, db)).await?;
        counted(0, Post::author.load_for(&mut none, db)).await?;
        counted(0, Post::comments.load_for(&mut [], db)).await?;

        // A query with no rows: only the query itself.
        let users = counted(
            1,
            User::query()
                .filter(User::id.lt(0))
                .with(User::posts.with(Post::comments.with(Comment::author.select_in())))
                .with(User::profile)
                .all(db),
        )
        .await?;
        assert!(users.is_empty());

        // Children all filtered out: loaded, empty lists (or None), not errors.
        let posts = counted(
            2,
            Post::query()
                .with(Post::comments.filter(Comment::score.gt(100)))
                .all(db),
        )
        .await?;
        assert_eq!(posts.len(), 5);
        for post in &posts {
            assert!(post.comments.is_loaded());
            assert!(post.comments.get()?.is_empty());
        }
        let posts = counted(
            2,
            Post::query()
                .with(Post::tags.filter(Tag::name.eq("nope")).limit(1))
                .all(db),
        )
        .await?;
        assert!(
            posts
                .iter()
                .all(|p| p.tags.get().map(|t| t.is_empty()).unwrap_or(false))
        );
        let users = counted(
            2,
            User::query()
                .with(User::profile.filter(Profile::bio.eq("nope")))
                .all(db),
        )
        .await?;
        for user in &users {
            assert_eq!(user.profile.get()?, None);
        }

        // Only NULL foreign keys: nothing to look up, nothing sent; each gets None.
        let mut anonymous = Comment::query()
            .filter(Comment::user_id.is_null())
            .all(db)
            .await?;
        assert_eq!(anonymous.len(), 3);
        counted(0, Comment::author.load_for(&mut anonymous, db)).await?;
        for comment in &anonymous {
            assert!(comment.author.is_loaded());
            assert_eq!(comment.author.get()?, None);
        }
        // Nested levels under parents without children send nothing more.
        let dave = counted(
            2,
            User::query()
                .filter(User::name.eq("dave"))
                .with(
                    User::posts
                        .with(Post::comments.with(Comment::author.select_in()))
                        .with(Post::tags),
                )
                .all(db),
        )
        .await?;
        assert!(dave[0].posts.get()?.is_empty());
        Ok(())
    }

    async fn reading_an_unloaded_relationship_names_the_fix(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        let posts = Post::query().order_by(Post::id).all(db).await?;
        let err = posts[0].comments.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotLoaded);
        let message = err.to_string();
        assert!(message.contains(".with(Post::comments)"), "{message}");
        assert!(message.contains("Post.comments"), "{message}");
        let err = posts[0].author.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotLoaded);
        assert!(err.to_string().contains(".with(Post::author)"), "{err}");
        let err = posts[0].tags.get().unwrap_err();
        assert!(err.to_string().contains(".with(Post::tags)"), "{err}");
        assert!(!posts[0].comments.is_loaded());

        // Loading one relationship leaves the others unloaded.
        let posts = Post::query().with(Post::comments).all(db).await?;
        assert!(posts[0].comments.get().is_ok());
        assert_eq!(
            posts[0].tags.get().unwrap_err().kind(),
            ErrorKind::NotLoaded
        );
        assert_eq!(
            posts[0].author.get().unwrap_err().kind(),
            ErrorKind::NotLoaded
        );
        // Nested levels not asked for are not loaded either.
        let comment = &posts[0].comments.get()?[0];
        let err = comment.author.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotLoaded);
        assert!(err.to_string().contains(".with(Comment::author)"), "{err}");
        let users = User::query().with(User::posts).all(db).await?;
        let err = users[0].profile.get().unwrap_err();
        assert!(err.to_string().contains(".with(User::profile)"), "{err}");
        let err = users[0].posts.get()?[0].comments.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotLoaded);
        // A row built by hand knows no relationship: NotLoaded too.
        let by_hand = Post {
            id: 1,
            user_id: 1,
            title: "x".into(),
            author: Default::default(),
            comments: Default::default(),
            tags: Default::default(),
        };
        assert_eq!(
            by_hand.comments.get().unwrap_err().kind(),
            ErrorKind::NotLoaded
        );
        // .. and cannot be loaded on demand: refused before sending.
        let mut by_hand = by_hand;
        let (result, log) =
            orm::guard::count_statements(async { by_hand.comments.load(db).await.map(<[_]>::len) })
                .await;
        assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidStatement);
        log.assert_count(0);
        Ok(())
    }

    async fn misuse_is_rejected_before_sending(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        refused(
            ".with(to-many).select(..)",
            Post::query()
                .with(Post::comments)
                .select(Post::id)
                .all(db),
        )
        .await;
        refused(
            ".with(joined).select(..)",
            Post::query()
                .with(Post::author)
                .select((Post::id, Post::title))
                .all(db),
        )
        .await;
        refused(
            ".with(..).select(..).first()",
            Post::query()
                .with(Post::comments)
                .select(Post::id)
                .first(db),
        )
        .await;

        // Options that do not fit the relationship's kind.
        refused(
            "to-many .joined()",
            Post::query()
                .with(Post::comments.joined())
                .all(db),
        )
        .await;
        refused(
            "belongs_to .order_by",
            Comment::query()
                .with(Comment::author.order_by(User::name))
                .all(db),
        )
        .await;
        refused(
            "belongs_to .limit",
            Comment::query()
                .with(Comment::post.limit(1))
                .all(db),
        )
        .await;
        refused(
            "joined with nested",
            Comment::query()
                .with(Comment::post.with(Post::comments).joined())
                .all(db),
        )
        .await;
        let mut comments = Comment::query().all(db).await?;
        refused(
            "load_for belongs_to .order_by",
            Comment::author
                .order_by(User::name)
                .load_for(&mut comments, db),
        )
        .await;
        // Nested misuse is caught too.
        refused(
            "nested to-many .joined()",
            User::query()
                .with(User::posts.with(Post::comments.joined()))
                .all(db),
        )
        .await;
        refused(
            "belongs_to .limit two levels down",
            User::query()
                .with(User::posts.with(Post::comments.with(Comment::post.limit(1))))
                .all(db),
        )
        .await;

        // A filter or order reading a table the load does not read (outside a subquery).
        let err = refused(
            "filter on another table",
            User::query()
                .with(User::posts.filter(Comment::body.eq("x")))
                .all(db),
        )
        .await;
        assert!(
            err.to_string().contains("rel_comments.body") && err.to_string().contains("rel_posts"),
            "{err}"
        );
        refused(
            "nested order_by on another table",
            User::query()
                .with(User::posts.with(Post::comments.order_by(User::name)))
                .all(db),
        )
        .await;
        let mut users = User::query().all(db).await?;
        refused(
            "load_for filter on another table",
            User::posts
                .filter(Tag::name.eq("rust"))
                .load_for(&mut users, db),
        )
        .await;

        // Streaming cannot load by key; joined relationships stream fine.
        refused("stream with a to-many .with", async {
            let mut stream = Post::query().with(Post::comments).stream(db);
            stream.next().await.transpose()
        })
        .await;
        let mut stream = Post::query()
            .order_by(Post::id)
            .with(Post::author)
            .stream(db);
        let mut names = Vec::new();
        while let Some(post) = stream.next().await {
            names.push(post?.author.get()?.name.clone());
        }
        assert_eq!(names, vec!["alice", "alice", "bob", "carol", "bob"]);
        Ok(())
    }

    async fn to_one_with_around_group_by_distinct_union_or_lock_loads_by_key(t: &TestDb) -> Result<()> {
        // A to-one `.with(..)` cannot be joined into a query with group_by / distinct / union /
        // a row lock: given after them, or before them (the join it made is taken back out),
        // it loads by key (one more statement) instead.
        let db = &t.db;
        blog(db).await?;
        let check = |posts: &[Post], expected: usize| -> Result<()> {
            assert_eq!(posts.len(), expected);
            for post in posts {
                assert_eq!(post.author.get()?.id, post.user_id);
            }
            Ok(())
        };
        let grouped = counted(
            2,
            Post::query().group_by(Post::id).with(Post::author).all(db),
        )
        .await?;
        check(&grouped, 5)?;
        let distinct = counted(2, Post::query().distinct().with(Post::author).all(db)).await?;
        check(&distinct, 5)?;
        let combined = counted(
            2,
            Post::query()
                .union_all(Post::query())
                .with(Post::author)
                .all(db),
        )
        .await?;
        check(&combined, 10)?;
        let grouped = counted(
            2,
            Post::query().with(Post::author).group_by(Post::id).all(db),
        )
        .await?;
        check(&grouped, 5)?;
        let distinct = counted(2, Post::query().with(Post::author).distinct().all(db)).await?;
        check(&distinct, 5)?;
        let sql = Post::query()
            .with(Post::author)
            .distinct()
            .to_sql(db.dialect())?
            .sql;
        assert!(!sql.contains("JOIN"), "{sql}");
        // The parents, their authors, their comments.
        let combined = counted(
            3,
            Post::query()
                .with(Post::author)
                .with(Post::comments)
                .union_all(Post::query())
                .all(db),
        )
        .await?;
        check(&combined, 10)?;
        if t.target == Target::Postgres {
            let tx = db.begin().await?;
            let locked = counted(2, Post::query().for_update().with(Post::author).all(&tx)).await?;
            check(&locked, 5)?;
            let locked = counted(2, Post::query().with(Post::author).for_update().all(&tx)).await?;
            check(&locked, 5)?;
            tx.rollback().await?;
        }
        // Asked for by name, the join is not taken back out: refused before sending.
        let err = refused(
            ".joined() then distinct",
            Post::query()
                .with(Post::author.joined())
                .distinct()
                .all(db),
        )
        .await;
        assert!(err.to_string().contains(".joined()"), "{err}");
        // Also when the same relationship was joined on its own first.
        refused(
            ".with(auto).with(.joined()) then distinct",
            Post::query()
                .with(Post::author)
                .with(Post::author.joined())
                .distinct()
                .all(db),
        )
        .await;
        Ok(())
    }

    async fn the_same_plain_with_twice_loads_once(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        let posts = counted(
            3,
            Post::query()
                .order_by(Post::id)
                .with(Post::comments)
                .with(Post::author.select_in())
                .with(Post::comments)
                .with(Post::author.select_in())
                .all(db),
        )
        .await?;
        for post in &posts {
            assert_eq!(post.author.get()?.id, post.user_id);
            assert!(post.comments.get()?.iter().all(|c| c.post_id == post.id));
        }
        // With options the specs may differ: each loads.
        counted(
            3,
            Post::query()
                .with(Post::comments)
                .with(Post::comments.limit(1))
                .all(db),
        )
        .await?;
        Ok(())
    }

    async fn on_demand_loads_and_the_n_plus_one_guard(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        let eager = Post::query()
            .order_by(Post::id)
            .with(Post::comments)
            .with(Post::author)
            .all(db)
            .await?;
        let mut posts = Post::query().order_by(Post::id).all(db).await?;

        // One load of each relationship: fine, one statement each.
        let (result, log) = orm::guard::count_statements(async {
            let ids: Vec<i64> = posts[0]
                .comments
                .load(db)
                .await?
                .iter()
                .map(|c| c.id)
                .collect();
            let author = posts[0].author.load(db).await?.name.clone();
            let tags = posts[0].tags.load(db).await?.len();
            Ok::<_, orm::Error>((ids, author, tags))
        })
        .await;
        let (ids, author, tags) = result?;
        log.assert_count(3);
        assert_eq!(ids, comment_ids(&eager[0])?);
        assert_eq!(author, "alice");
        assert_eq!(tags, 3);
        assert_eq!(posts[0].comments.get()?, eager[0].comments.get()?);

        // A loop: the second single-parent load of Post.comments fails before sending.
        let (result, log) = orm::guard::count_statements(async {
            for post in posts.iter_mut() {
                post.comments.load(db).await?;
            }
            Ok::<_, orm::Error>(())
        })
        .await;
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NPlusOne);
        let message = err.to_string();
        assert!(message.contains(".with(Post::comments)"), "{message}");
        assert!(
            message.contains("Post::comments.load_for(&mut rows, &db)"),
            "{message}"
        );
        log.assert_count(1);

        // An allowance of 5 single loads: the loop over 5 posts passes.
        let mut posts = Post::query().order_by(Post::id).all(db).await?;
        let (result, log) = orm::guard::watch(Watch::new().allow_single_loads(5), async {
            for post in posts.iter_mut() {
                post.comments.load(db).await?;
            }
            Ok::<_, orm::Error>(())
        })
        .await;
        result?;
        log.assert_count(5);
        for (post, eager) in posts.iter().zip(&eager) {
            assert_eq!(comment_ids(post)?, comment_ids(eager)?);
        }
        // The allowance with failing: the 3rd load fails.
        let (result, log) = orm::guard::watch(Watch::new().allow_single_loads(2).fail(), async {
            for post in posts.iter_mut() {
                post.comments.load(db).await?;
            }
            Ok::<_, orm::Error>(())
        })
        .await;
        assert_eq!(result.unwrap_err().kind(), ErrorKind::NPlusOne);
        log.assert_count(2);
        // Warn (the default) and Allow do not fail.
        for watch in [Watch::new(), Watch::new().on_n_plus_one(NPlusOne::Allow)] {
            let (result, log) = orm::guard::watch(watch, async {
                for post in posts.iter_mut() {
                    post.author.load(db).await?;
                }
                Ok::<_, orm::Error>(())
            })
            .await;
            result?;
            log.assert_count(5);
        }
        // Outside any scope nothing is watched.
        for post in posts.iter_mut() {
            post.tags.load(db).await?;
        }
        // Different relationships are counted apart; a NULL key loads None without a statement.
        let mut comments = Comment::query().order_by(Comment::id).all(db).await?;
        let anonymous = comments
            .iter()
            .position(|c| c.user_id.is_none())
            .expect("an anonymous comment");
        let (result, log) = orm::guard::count_statements(async {
            let none = comments[anonymous].author.load(db).await?.is_none();
            let post = comments[anonymous].post.load(db).await?.id;
            Ok::<_, orm::Error>((none, post))
        })
        .await;
        let (none, post) = result?;
        assert!(none);
        assert_eq!(post, comments[anonymous].post_id);
        log.assert_count(1);
        Ok(())
    }
}
