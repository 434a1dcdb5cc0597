use orm::prelude::*;

use crate::backend_tests;
use crate::relation_models::*;

backend_tests! {
    async fn a_chain_of_140_models_is_created_and_loaded(t: &TestDb) -> Result<()> {
        use orm_tests::relationship_chain::{NewM0, NewM1, load_all, schema};
        let db = &t.db;
        db.create_all(&schema()).await?;
        let root = NewM0 { name: "root".into(), score: None, active: true }.insert(db).await?;
        NewM1 { name: "one".into(), score: Some(1.5), active: true, parent_id: root.id }
            .insert(db)
            .await?;
        // Each model queried with its relationships: the root and its child are active.
        assert_eq!(load_all(db).await?, 2);
        Ok(())
    }

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

backend_tests! {
    async fn has_one_created_through_its_parent(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        NewUser { name: "alice".into() }.insert(db).await?;
        let bob = NewUser { name: "bob".into() }.insert(db).await?;
        let mut bob = User::query().filter(User::id.eq(bob.id)).one(db).await?;
        assert!(!bob.profile.is_loaded());
        // The foreign key is the parent's, whatever the new row held.
        let profile = bob.profile.create(db, NewProfile { user_id: 0, bio: "hi".into() }).await?;
        assert_eq!(profile.user_id, bob.id);
        assert_eq!(bob.profile.get()?, Some(&profile));
        let stored = User::query().filter(User::id.eq(bob.id)).with(User::profile).one(db).await?;
        assert_eq!(stored.profile.get()?.map(|p| p.bio.as_str()), Some("hi"));
        // `user_id` is unique: a second profile is refused and nothing changes.
        let error = bob
            .profile
            .create(db, NewProfile { user_id: 0, bio: "again".into() })
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation, "{error}");
        assert_eq!(bob.profile.get()?, Some(&profile));
        assert_eq!(Profile::query().count(db).await?, 1);
        Ok(())
    }

    async fn smoke_writes_and_queries(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema()).await?;
        let alice = NewUser { name: "alice".into() }.insert(db).await?;
        NewUser { name: "bob".into() }.insert(db).await?;
        let mut alice = User::query().filter(User::id.eq(alice.id)).with(User::posts).one(db).await?;
        let post = alice.posts.create(db, NewPost { user_id: 0, title: "rust tips".into() }).await?;
        assert_eq!(post.user_id, alice.id);
        assert_eq!(alice.posts.get()?.len(), 1);
        let rust = NewTag { name: "rust".into() }.insert(db).await?;
        let db_tag = NewTag { name: "db".into() }.insert(db).await?;
        let mut post = Post::query().with(Post::tags).one(db).await?;
        post.tags.link(db, &rust).await?;
        post.tags.link(db, &db_tag).await?;
        assert_eq!(post.tags.get()?.len(), 2);
        assert!(post.tags.unlink(db, &db_tag).await?);
        assert!(!post.tags.unlink(db, &db_tag).await?);
        assert_eq!(post.tags.get()?.len(), 1);
        let fresh = Post::query().with(Post::tags).one(db).await?;
        assert_eq!(fresh.tags.get()?.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["rust"]);

        let with_rust: Vec<String> = User::query()
            .filter(User::posts.any(Post::title.like("%rust%")))
            .select(User::name)
            .all(db)
            .await?;
        assert_eq!(with_rust, ["alice"]);
        let counts: Vec<(String, i64)> = User::query()
            .order_by(User::name)
            .select((User::name, User::posts.count()))
            .all(db)
            .await?;
        assert_eq!(counts, [("alice".to_string(), 1), ("bob".to_string(), 0)]);
        let joined: Vec<(String, String)> = User::query()
            .join(User::posts)
            .select((User::name, Post::title))
            .all(db)
            .await?;
        assert_eq!(joined, [("alice".to_string(), "rust tips".to_string())]);
        let tagged: Vec<String> = Post::query().join(Post::tags).select(Tag::name).all(db).await?;
        assert_eq!(tagged, ["rust"]);
        let tag_posts: Vec<i64> = Tag::query().filter(Tag::posts.exists()).select(Tag::id).all(db).await?;
        assert_eq!(tag_posts, [rust.id]);

        // Deleting a tag removes its junction rows (the junction cascades on both sides here;
        // Post delete relies on the cascade too).
        Tag::delete().filter(Tag::id.eq(rust.id)).exec(db).await?;
        let left: Vec<i64> = PostTag::query().select(PostTag::post_id).all(db).await?;
        assert!(left.is_empty());
        Ok(())
    }
}

/// A many-to-many whose junction does not cascade: orm removes the junction rows itself.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_readers")]
pub struct Reader {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(many_to_many(through = Shelf))]
    pub books: ManyToMany<Book>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_books")]
pub struct Book {
    #[orm(primary_key)]
    pub id: i64,
    pub title: String,
    #[orm(many_to_many(through = Shelf))]
    pub readers: ManyToMany<Reader>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_shelves", primary_key(reader_id, book_id))]
pub struct Shelf {
    #[orm(references = Reader)]
    pub reader_id: i64,
    #[orm(references = Book, index)]
    pub book_id: i64,
}

backend_tests! {
    async fn deleting_either_side_removes_junction_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Reader, Book, Shelf]).await?;
        let ann = NewReader { name: "ann".into() }.insert(db).await?;
        let ben = NewReader { name: "ben".into() }.insert(db).await?;
        let dune = NewBook { title: "dune".into() }.insert(db).await?;
        let emma = NewBook { title: "emma".into() }.insert(db).await?;
        for (reader, book) in [(ann.id, dune.id), (ann.id, emma.id), (ben.id, dune.id)] {
            NewShelf { reader_id: reader, book_id: book }.insert(db).await?;
        }
        // Without the cleanup the database refuses: the junction still references the row.
        let (deleted, log) = orm::guard::count_statements(
            Reader::delete().filter(Reader::id.eq(ann.id)).exec(db),
        )
        .await;
        assert_eq!(deleted?, 1);
        log.assert_count(2);
        let pairs: Vec<(i64, i64)> = Shelf::query().select((Shelf::reader_id, Shelf::book_id)).all(db).await?;
        assert_eq!(pairs, [(ben.id, dune.id)]);
        dune.delete(db).await?;
        assert_eq!(Shelf::query().count(db).await?, 0);
        let books = Book::query().with(Book::readers).all(db).await?;
        assert_eq!(books.len(), 1);
        assert!(books[0].readers.get()?.is_empty());
        Ok(())
    }
}
