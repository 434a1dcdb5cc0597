use orm::prelude::*;

use crate::backend_tests;
use crate::relation_models::*;

backend_tests! {
    async fn smoke_loads_three_levels(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let alice = NewUser { name: "alice".into() }.insert(db).await?;
        let bob = NewUser { name: "bob".into() }.insert(db).await?;
        let p1 = NewPost { user_id: alice.id, title: "one".into() }.insert(db).await?;
        let _p2 = NewPost { user_id: alice.id, title: "two".into() }.insert(db).await?;
        NewComment { post_id: p1.id, user_id: Some(bob.id), body: "hi".into(), score: 1 }.insert(db).await?;
        NewComment { post_id: p1.id, user_id: None, body: "anon".into(), score: 2 }.insert(db).await?;
        let rust = NewTag { name: "rust".into() }.insert(db).await?;
        NewPostTag { post_id: p1.id, tag_id: rust.id }.insert(db).await?;

        let (users, log) = orm::guard::count_statements(
            User::query()
                .order_by(User::id)
                .with(User::posts.with(Post::comments.with(Comment::author)).with(Post::tags))
                .all(db),
        )
        .await;
        let users = users?;
        println!("{log}");
        log.assert_count(4);
        let posts = users[0].posts.get()?;
        assert_eq!(posts.len(), 2);
        let comments = posts[0].comments.get()?;
        assert_eq!(comments.len(), 2);
        assert_eq!(comments[0].author.get()?.map(|u| u.name.as_str()), Some("bob"));
        assert_eq!(comments[1].author.get()?, None);
        assert_eq!(posts[0].tags.get()?.len(), 1);
        assert!(users[1].posts.get()?.is_empty());
        let err = users[0].profile.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotLoaded);
        println!("{err}");

        let (posts, log) = orm::guard::count_statements(
            Post::query().with(Post::author).with(Post::comments.order_by(Comment::score.desc()).limit(1)).all(db),
        )
        .await;
        let posts = posts?;
        println!("{log}");
        log.assert_count(2);
        assert_eq!(posts[0].author.get()?.name, "alice");
        assert_eq!(posts[0].comments.get()?.len(), 1);
        assert_eq!(posts[0].comments.get()?[0].body, "anon");
        Ok(())
    }
}
