//! Eager loading with load options (filter, order, per-parent limit), has_one choosing among
//! several children, has_one joined vs by key, and key types other than `i64` (32-bit
//! integers, text, UUID).

use orm::prelude::*;

use crate::backend_tests;
use crate::relation_models::*;
use crate::relations_seed::*;

/// `(parent, child)` pairs in load order: parents in the given order, each parent's children
/// in the order they were loaded.
fn ordered_pairs<P>(
    parents: &[P],
    parent_id: impl Fn(&P) -> i64,
    children: impl Fn(&P) -> Result<Vec<i64>>,
) -> Result<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    for parent in parents {
        out.extend(
            children(parent)?
                .into_iter()
                .map(|c| (parent_id(parent), c)),
        );
    }
    Ok(out)
}

/// Hand-written pairs in the SQL's own order (no sorting).
async fn pairs_in_order(db: &Database, sql: &str) -> Result<Vec<(i64, i64)>> {
    orm::raw(sql).fetch_as::<(i64, i64)>(db).await
}

fn comment_ids(post: &Post) -> Result<Vec<i64>> {
    Ok(post.comments.get()?.iter().map(|c| c.id).collect())
}

backend_tests! {
    async fn filtered_ordered_limited_has_many_per_parent(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let blog = blog(db).await?;
        let query = || Post::query().order_by(Post::id);

        // Each post's top 2 comments scoring above 1, best first.
        let (posts, log) = orm::guard::count_statements(
            query()
                .with(
                    Post::comments
                        .filter(Comment::score.gt(1))
                        .order_by(Comment::score.desc())
                        .order_by(Comment::id)
                        .limit(2),
                )
                .all(db),
        )
        .await;
        let posts = posts?;
        log.assert_count(2);
        assert!(log.statements()[1].contains("ROW_NUMBER()"), "{log}");
        let expected = pairs_in_order(
            db,
            "SELECT post_id, id FROM (SELECT post_id, id, \
             ROW_NUMBER() OVER (PARTITION BY post_id ORDER BY score DESC, id) AS rn \
             FROM rel_comments WHERE score > 1) ranked WHERE rn <= 2 ORDER BY post_id, rn",
        )
        .await?;
        assert_eq!(ordered_pairs(&posts, |p| p.id, comment_ids)?, expected);
        // p1: scores 5, 3 (not 2, not 1); p5's comments are all filtered out: an empty list.
        let p1_scores: Vec<i32> = posts[0].comments.get()?.iter().map(|c| c.score).collect();
        assert_eq!(p1_scores, vec![5, 3]);
        assert!(posts[4].comments.get()?.is_empty());
        assert!(posts[3].comments.get()?.is_empty());
        assert_eq!(posts[4].id, blog.posts[4].id);

        // Filter and order without a limit.
        let posts = counted(
            2,
            query()
                .with(
                    Post::comments
                        .filter(Comment::score.gt(1))
                        .order_by(Comment::score.desc()),
                )
                .all(db),
        )
        .await?;
        let expected = pairs_in_order(
            db,
            "SELECT post_id, id FROM rel_comments WHERE score > 1 ORDER BY post_id, score DESC",
        )
        .await?;
        assert_eq!(ordered_pairs(&posts, |p| p.id, comment_ids)?, expected);

        // A limit with the default order (by key): each post's first comment.
        let posts = counted(2, query().with(Post::comments.limit(1)).all(db)).await?;
        assert_eq!(
            ordered_pairs(&posts, |p| p.id, comment_ids)?,
            pairs_in_order(
                db,
                "SELECT post_id, MIN(id) FROM rel_comments GROUP BY post_id ORDER BY post_id"
            )
            .await?
        );

        // A limited load with a nested load under it: the nested level sees only the kept rows.
        let posts = counted(
            2,
            query()
                .with(
                    Post::comments
                        .order_by(Comment::score.desc())
                        .limit(1)
                        .with(Comment::author),
                )
                .all(db),
        )
        .await?;
        let top = &posts[0].comments.get()?[0];
        assert_eq!(top.score, 5);
        assert_eq!(top.author.get()?, None, "p1's best comment is anonymous");
        let top = &posts[1].comments.get()?[0];
        assert_eq!(
            (top.score, top.author.get()?.map(|u| u.name.as_str())),
            (4, Some("bob"))
        );
        let posts = counted(
            3,
            query()
                .with(
                    Post::comments
                        .order_by(Comment::score.desc())
                        .limit(1)
                        .with(Comment::author.select_in()),
                )
                .all(db),
        )
        .await?;
        assert_eq!(
            posts[1].comments.get()?[0]
                .author
                .get()?
                .map(|u| u.name.as_str()),
            Some("bob")
        );

        // load_for takes the same options.
        let mut posts = query().all(db).await?;
        counted(
            1,
            Post::comments
                .filter(Comment::score.gt(1))
                .order_by(Comment::score.desc())
                .order_by(Comment::id)
                .limit(2)
                .load_for(&mut posts, db),
        )
        .await?;
        assert_eq!(
            posts[0]
                .comments
                .get()?
                .iter()
                .map(|c| c.score)
                .collect::<Vec<_>>(),
            vec![5, 3]
        );
        Ok(())
    }

    async fn limited_many_to_many_per_parent(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        let posts = counted(
            2,
            Post::query()
                .order_by(Post::id)
                .with(Post::tags.order_by(Tag::name).limit(2))
                .all(db),
        )
        .await?;
        let expected = pairs_in_order(
            db,
            "SELECT post_id, tag_id FROM (SELECT pt.post_id, t.id AS tag_id, \
             ROW_NUMBER() OVER (PARTITION BY pt.post_id ORDER BY t.name) AS rn \
             FROM rel_post_tags pt JOIN rel_tags t ON t.id = pt.tag_id) ranked \
             WHERE rn <= 2 ORDER BY post_id, rn",
        )
        .await?;
        let tag_ids =
            |p: &Post| -> Result<Vec<i64>> { Ok(p.tags.get()?.iter().map(|t| t.id).collect()) };
        assert_eq!(ordered_pairs(&posts, |p| p.id, tag_ids)?, expected);
        let names: Vec<&str> = posts[0]
            .tags
            .get()?
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(names, vec!["async", "rust"]);

        // The other direction, limited to 1 post per tag, latest first.
        let tags = counted(
            2,
            Tag::query()
                .order_by(Tag::id)
                .with(Tag::posts.order_by(Post::id.desc()).limit(1))
                .all(db),
        )
        .await?;
        let post_ids =
            |t: &Tag| -> Result<Vec<i64>> { Ok(t.posts.get()?.iter().map(|p| p.id).collect()) };
        assert_eq!(
            ordered_pairs(&tags, |t| t.id, post_ids)?,
            pairs_in_order(
                db,
                "SELECT tag_id, MAX(post_id) FROM rel_post_tags GROUP BY tag_id ORDER BY tag_id"
            )
            .await?
        );
        assert!(tags[3].posts.get()?.is_empty());

        // A filter on the target, and a nested load under a limited many-to-many.
        let posts = counted(
            3,
            Post::query()
                .order_by(Post::id)
                .with(
                    Post::tags
                        .filter(Tag::name.ne("sql"))
                        .limit(5)
                        .with(Tag::posts),
                )
                .all(db),
        )
        .await?;
        assert_eq!(
            {
                let mut got = ordered_pairs(&posts, |p| p.id, tag_ids)?;
                got.sort_unstable();
                got
            },
            pairs(
                db,
                "SELECT pt.post_id, pt.tag_id FROM rel_post_tags pt \
                 JOIN rel_tags t ON t.id = pt.tag_id WHERE t.name <> 'sql'",
            )
            .await?
        );
        for post in &posts {
            for tag in post.tags.get()? {
                assert!(
                    tag.posts.get()?.iter().any(|p| p.id == post.id),
                    "tag {} lists post {}",
                    tag.name,
                    post.id
                );
            }
        }
        Ok(())
    }

    async fn has_one_picks_the_first_in_the_given_order(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_types_schema()).await?;
        let mut threads = Vec::new();
        for title in ["t1", "t2", "t3"] {
            threads.push(
                NewThread {
                    title: title.into(),
                }
                .insert(db)
                .await?,
            );
        }
        for (thread, score) in [(0, 3), (0, 9), (0, 5), (1, 2)] {
            NewReply {
                thread_id: threads[thread].id,
                score,
            }
            .insert(db)
            .await?;
        }
        let query = || Thread::query().order_by(Thread::id);
        let top_score =
            |t: &Thread| -> Result<Option<i32>> { Ok(t.top_reply.get()?.map(|r| r.score)) };

        let loaded = counted(
            2,
            query()
                .with(Thread::top_reply.order_by(Reply::score.desc()))
                .all(db),
        )
        .await?;
        let scores: Vec<Option<i32>> = loaded.iter().map(top_score).collect::<Result<_>>()?;
        assert_eq!(scores, vec![Some(9), Some(2), None]);

        // Default order: by the target's key, so the first inserted.
        let loaded = counted(2, query().with(Thread::top_reply).all(db)).await?;
        let scores: Vec<Option<i32>> = loaded.iter().map(top_score).collect::<Result<_>>()?;
        assert_eq!(scores, vec![Some(3), Some(2), None]);

        // Filtered: the best reply under 9; t2's only reply is kept.
        let loaded = counted(
            2,
            query()
                .with(
                    Thread::top_reply
                        .filter(Reply::score.lt(9))
                        .order_by(Reply::score.desc()),
                )
                .all(db),
        )
        .await?;
        let scores: Vec<Option<i32>> = loaded.iter().map(top_score).collect::<Result<_>>()?;
        assert_eq!(scores, vec![Some(5), Some(2), None]);

        // 32-bit keys load has_many and belongs_to like 64-bit ones.
        let loaded = counted(
            2,
            query().with(Thread::replies.order_by(Reply::score)).all(db),
        )
        .await?;
        let got = ordered_pairs(
            &loaded,
            |t| i64::from(t.id),
            |t| Ok(t.replies.get()?.iter().map(|r| r.id).collect()),
        )?;
        assert_eq!(
            got,
            pairs_in_order(
                db,
                "SELECT CAST(thread_id AS BIGINT), id FROM rel_replies ORDER BY thread_id, score"
            )
            .await?
        );
        let joined = counted(
            1,
            Reply::query()
                .order_by(Reply::id)
                .with(Reply::thread)
                .all(db),
        )
        .await?;
        let by_key = counted(
            2,
            Reply::query()
                .order_by(Reply::id)
                .with(Reply::thread.select_in())
                .all(db),
        )
        .await?;
        assert_eq!(joined, by_key);
        assert!(
            joined
                .iter()
                .all(|r| r.thread.get().map(|t| t.id == r.thread_id).unwrap_or(false))
        );

        // A has_one cannot be joined with an order (it would need a per-parent limit).
        let (result, log) = orm::guard::count_statements(
            query()
                .with(Thread::top_reply.order_by(Reply::score.desc()).joined())
                .all(db),
        )
        .await;
        assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidStatement);
        log.assert_count(0);
        Ok(())
    }

    async fn has_one_joined_and_by_key_agree(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        let query = || User::query().order_by(User::id);
        // has_one is never joined (a join would repeat the parent per child): refused.
        let refused = query().with(User::profile.joined()).all(db).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::InvalidStatement, "{refused}");
        let by_key = counted(2, query().with(User::profile).all(db)).await?;
        let bios: Vec<Option<&str>> = by_key
            .iter()
            .map(|u| u.profile.get().map(|p| p.map(|p| p.bio.as_str())))
            .collect::<Result<_>>()?;
        assert_eq!(
            bios,
            vec![Some("alice's bio"), Some("bob's bio"), None, None]
        );
        // And back: the profile's owner.
        let profiles = counted(
            1,
            Profile::query()
                .order_by(Profile::id)
                .with(Profile::user)
                .all(db),
        )
        .await?;
        assert_eq!(
            profiles
                .iter()
                .map(|p| Ok((p.id, p.user.get()?.id)))
                .collect::<Result<Vec<_>>>()?,
            pairs(db, "SELECT id, user_id FROM rel_profiles").await?
        );
        Ok(())
    }

    async fn text_and_uuid_keys(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_types_schema()).await?;
        for (code, name) in [("fr", "France"), ("jp", "Japan"), ("nz", "New Zealand")] {
            NewCountry {
                code: code.into(),
                name: name.into(),
            }
            .insert(db)
            .await?;
        }
        for (code, name) in [
            (Some("fr"), "Paris"),
            (Some("jp"), "Tokyo"),
            (Some("fr"), "Lyon"),
            (None, "Atlantis"),
        ] {
            NewCity {
                country_code: code.map(Into::into),
                name: name.into(),
            }
            .insert(db)
            .await?;
        }
        let countries = counted(
            2,
            Country::query()
                .order_by(Country::code)
                .with(Country::cities.order_by(City::name))
                .all(db),
        )
        .await?;
        let got: Vec<(&str, Vec<&str>)> = countries
            .iter()
            .map(|c| {
                Ok((
                    c.code.as_str(),
                    c.cities.get()?.iter().map(|x| x.name.as_str()).collect(),
                ))
            })
            .collect::<Result<_>>()?;
        assert_eq!(
            got,
            vec![
                ("fr", vec!["Lyon", "Paris"]),
                ("jp", vec!["Tokyo"]),
                ("nz", vec![])
            ]
        );

        let joined = counted(
            1,
            City::query().order_by(City::id).with(City::country).all(db),
        )
        .await?;
        let by_key = counted(
            2,
            City::query()
                .order_by(City::id)
                .with(City::country.select_in())
                .all(db),
        )
        .await?;
        assert_eq!(joined, by_key);
        let got: Vec<Option<&str>> = joined
            .iter()
            .map(|c| c.country.get().map(|k| k.map(|k| k.name.as_str())))
            .collect::<Result<_>>()?;
        assert_eq!(
            got,
            vec![Some("France"), Some("Japan"), Some("France"), None]
        );

        let mut wallets = Vec::new();
        for owner in ["w1", "w2", "w3"] {
            wallets.push(
                NewWallet {
                    owner: owner.into(),
                }
                .insert(db)
                .await?,
            );
        }
        for (wallet, amount) in [(0, 10), (1, 20), (0, 30)] {
            NewPayment {
                wallet_id: wallets[wallet].id,
                amount,
            }
            .insert(db)
            .await?;
        }
        let loaded = counted(
            2,
            Wallet::query()
                .order_by(Wallet::owner)
                .with(Wallet::payments)
                .all(db),
        )
        .await?;
        let got: Vec<(&str, Vec<i64>)> = loaded
            .iter()
            .map(|w| {
                Ok((
                    w.owner.as_str(),
                    w.payments.get()?.iter().map(|p| p.amount).collect(),
                ))
            })
            .collect::<Result<_>>()?;
        assert_eq!(
            got,
            vec![("w1", vec![10, 30]), ("w2", vec![20]), ("w3", vec![])]
        );
        let payments = counted(
            2,
            Payment::query()
                .order_by(Payment::id)
                .with(Payment::wallet.select_in())
                .all(db),
        )
        .await?;
        let owners: Vec<&str> = payments
            .iter()
            .map(|p| Ok(p.wallet.get()?.owner.as_str()))
            .collect::<Result<_>>()?;
        assert_eq!(owners, vec!["w1", "w2", "w1"]);
        Ok(())
    }
}
