//! Insert, get, save, tracked changes, delete, bulk update/delete, bulk insert.

use orm::prelude::*;

use crate::backend_tests;
use crate::models::*;

backend_tests! {
    async fn insert_returns_the_stored_row(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let before = Utc::now() - chrono::Duration::seconds(5);
        let alice = new_user(1).insert(db).await?;
        let bob = new_user(2).insert(db).await?;
        assert!(alice.id > 0);
        assert_eq!(bob.id, alice.id + 1, "keys come from the database sequence");
        assert_eq!(alice.email, "user1@example.com");
        assert!(alice.is_active, "default = true applies");
        assert_eq!(alice.karma, 0);
        assert!(alice.created_at > before && alice.created_at <= Utc::now() + chrono::Duration::seconds(5));
        assert_eq!(alice.created_at, alice.updated_at);
        assert_eq!(User::get(db, alice.id).await?, alice);
        Ok(())
    }

    async fn get_missing_row_is_not_found(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let error = User::get(db, 4242).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        assert!(error.to_string().contains("users"), "{error}");
        assert!(User::find(4242).optional(db).await?.is_none());
        assert!(User::get(db, 4242).await.optional()?.is_none());
        let alice = new_user(1).insert(db).await?;
        assert_eq!(User::find(alice.id).optional(db).await?, Some(alice));
        Ok(())
    }

    async fn composite_and_uuid_keys(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let user = new_user(1).insert(db).await?;
        let post = NewPost { user_id: user.id, title: "t".into(), body: "b".into(), price: Decimal::new(1, 0), published_at: None }
            .insert(db).await?;
        let tag = NewTag { label: "rust".into() }.insert(db).await?;
        let link = NewPostTag { post_id: post.id, tag_id: tag.id, weight: 3 }.insert(db).await?;
        assert_eq!(PostTag::get(db, (post.id, tag.id)).await?, link);
        assert_eq!(PostTag::get(db, (post.id, tag.id + 1)).await.unwrap_err().kind(), ErrorKind::NotFound);

        let a = NewAccount { owner: "a".into(), balance: 10 }.insert(db).await?;
        let b = NewAccount { owner: "b".into(), balance: 20 }.insert(db).await?;
        assert_ne!(a.id, b.id, "each insert generates a fresh UUID");
        assert_eq!(a.id.get_version_num(), 7);
        assert_eq!(Account::get(db, b.id).await?.balance, 20);
        assert_eq!(a.cached_note, "", "skipped fields take their default");
        Ok(())
    }

    async fn save_writes_every_column_and_bumps_updated_at(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let mut alice = new_user(1).insert(db).await?;
        let created = alice.created_at;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        alice.name = "Alicia".into();
        alice.bio = Some("hi".into());
        alice.save(db).await?;
        assert!(alice.updated_at > created, "updated_at bumped: {} vs {}", alice.updated_at, created);
        assert_eq!(alice.created_at, created, "created_at untouched");
        let stored = User::get(db, alice.id).await?;
        assert_eq!(stored, alice);

        let mut ghost = alice.clone();
        ghost.id += 100;
        assert_eq!(ghost.save(db).await.unwrap_err().kind(), ErrorKind::NotFound);
        Ok(())
    }

    async fn tracked_writes_only_changed_columns(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let alice = new_user(1).insert(db).await?;
        let mut tracked = Tracked::new(User::get(db, alice.id).await?);
        assert!(tracked.update_statement(db.dialect())?.is_none());
        tracked.save(db).await?; // nothing changed: nothing sent, nothing fails

        // Someone else changes the bio; our tracked copy changes only the name.
        User::update().filter(User::id.eq(alice.id)).set(User::bio, "from elsewhere").exec(db).await?;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        tracked.name = "Alicia".into();
        assert_eq!(tracked.changed_columns(), vec!["name"]);
        let statement = tracked.update_statement(db.dialect())?.expect("a change");
        let set_clause = statement.sql.split(" WHERE ").next().unwrap_or_default();
        assert!(set_clause.contains("\"name\" = ") && !set_clause.contains("\"bio\""), "{}", statement.sql);
        tracked.save(db).await?;
        let stored = User::get(db, alice.id).await?;
        assert_eq!(stored.name, "Alicia");
        assert_eq!(stored.bio.as_deref(), Some("from elsewhere"), "untouched columns are not overwritten");
        assert!(stored.updated_at > alice.updated_at);
        assert_eq!(tracked.bio.as_deref(), Some("from elsewhere"), "refreshed from the stored row");
        assert!(tracked.changed_columns().is_empty());

        tracked.id += 1;
        assert_eq!(tracked.save(db).await.unwrap_err().kind(), ErrorKind::InvalidStatement);
        Ok(())
    }

    async fn delete_one_and_many(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let users: Vec<User> = {
            let mut v = Vec::new();
            for n in 0..5 {
                v.push(new_user(n).insert(db).await?);
            }
            v
        };
        users[0].delete(db).await?;
        assert_eq!(users[0].delete(db).await.unwrap_err().kind(), ErrorKind::NotFound);
        let removed = User::delete().filter(User::id.in_list([users[1].id, users[2].id, 9999])).exec(db).await?;
        assert_eq!(removed, 2);
        assert_eq!(User::query().count(db).await?, 2);

        let refused = User::delete().exec(db).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::UnfilteredMutation);
        assert!(refused.to_string().contains(".all_rows()"), "{refused}");
        assert_eq!(User::query().count(db).await?, 2, "nothing was deleted");
        assert_eq!(User::delete().all_rows().exec(db).await?, 2);
        assert_eq!(User::query().count(db).await?, 0);
        Ok(())
    }

    async fn bulk_update_counts_rows_and_refuses_without_filter(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        for n in 0..4 {
            let mut user = new_user(n);
            user.is_active = n % 2 == 0;
            user.bio = Some(format!("bio {n}"));
            user.insert(db).await?;
        }
        let changed = User::update().filter(User::is_active.eq(false)).set(User::bio, None).exec(db).await?;
        assert_eq!(changed, 2);
        assert_eq!(User::query().filter(User::bio.is_null()).count(db).await?, 2);
        assert_eq!(User::query().filter(User::bio.is_null().and(User::is_active)).count(db).await?, 0);

        let refused = User::update().set(User::karma, 1).exec(db).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::UnfilteredMutation);
        assert_eq!(User::query().filter(User::karma.eq(1)).count(db).await?, 0);
        assert_eq!(User::update().set(User::karma, 7).all_rows().exec(db).await?, 4);
        // Column-to-column assignment.
        User::update().filter(User::id.gt(0)).set(User::name, User::email).exec(db).await?;
        let names: Vec<String> = User::query().order_by(User::id).select(User::name).all(db).await?;
        assert_eq!(names[0], "user0@example.com");
        Ok(())
    }

    async fn insert_many_splits_under_the_bind_limit(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        assert_eq!(NewTag::insert_many(db, &[]).await?, 0);
        // One column: 40 000 rows need 2 statements on SQLite (32 766 binds), 1 on PostgreSQL;
        // users have 5 columns: 14 000 rows = 70 000 binds, 2+ statements on both.
        let tags: Vec<NewTag> = (0..40_000).map(|n| NewTag { label: format!("tag-{n}") }).collect();
        assert_eq!(NewTag::insert_many(db, &tags).await?, 40_000);
        assert_eq!(Tag::query().count(db).await?, 40_000);
        let users: Vec<NewUser> = (0..14_000).map(new_user).collect();
        assert_eq!(NewUser::insert_many(db, &users).await?, 14_000);
        let last = User::query().order_by(User::id.desc()).first(db).await?.expect("rows");
        assert_eq!(last.email, "user13999@example.com");
        Ok(())
    }

    async fn server_defaults_and_hygienic_models(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Draft, hygiene::Hygienic]).await?;
        let draft = NewDraft { title: "t".into() }.insert(db).await?;
        assert_eq!((draft.status.as_str(), draft.priority), ("draft", 42));
        let row = hygiene::NewHygienic { note: None, ..Default::default() }.insert(db).await?;
        assert_eq!(row.name, "x", "the literal default fills New<Model>::default()");
        assert_eq!(hygiene::Hygienic::get(db, row.id).await?.note, None);
        Ok(())
    }

    async fn insert_many_is_all_or_nothing(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        // The duplicate sits in the last chunk: the earlier chunks must be rolled back too.
        let mut tags: Vec<NewTag> = (0..70_000).map(|n| NewTag { label: format!("tag-{n}") }).collect();
        tags.push(NewTag { label: "tag-0".into() });
        let error = NewTag::insert_many(db, &tags).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation, "{error}");
        assert_eq!(Tag::query().count(db).await?, 0, "no partial writes");
        Ok(())
    }
}
