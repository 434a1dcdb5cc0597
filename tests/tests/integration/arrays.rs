//! Array columns (`Vec<T>`): native arrays on PostgreSQL, JSON arrays on SQLite, with the same
//! values read back and the same answers from `contains` (`@>`), `overlaps` (`&&`) and `any`
//! (`= ANY(..)`), NULL arrays included; a GIN index on PostgreSQL; the migration tooling
//! reading the columns back as declared.

use orm::migrate::{Migrations, Migrator, Renames};
use orm::prelude::*;

use crate::backend_tests;

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "ar_posts", index(columns = ["tags"], method = "gin"))]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub tags: Vec<String>,
    pub scores: Vec<i32>,
    pub small: Vec<i16>,
    pub big: Vec<i64>,
    pub weights: Option<Vec<f64>>,
    pub flags: Vec<bool>,
    pub refs: Vec<Uuid>,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn post(title: &str, tags: &[&str], scores: &[i32], weights: Option<Vec<f64>>) -> NewPost {
    NewPost {
        title: title.into(),
        tags: strings(tags),
        scores: scores.to_vec(),
        small: vec![i16::MIN, 0, i16::MAX],
        big: vec![i64::MIN, -1, i64::MAX],
        weights,
        flags: vec![true, false],
        refs: vec![
            Uuid::nil(),
            Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
        ],
    }
}

async fn seed(db: &Database) -> Result<Vec<Post>> {
    db.create_all(&schema![Post]).await?;
    let mut posts = Vec::new();
    for new in [
        post(
            "a",
            &["rust", "db", "it's \"quoted\""],
            &[1, 2, 3],
            Some(vec![0.1, 1e300, -2.5]),
        ),
        post("b", &["go", "db"], &[3, 4], None),
        post("c", &[], &[], Some(vec![])),
        post("d", &["Rust", "ünïcödé", ""], &[-1], Some(vec![1.5])),
    ] {
        posts.push(new.insert(db).await?);
    }
    Ok(posts)
}

async fn titles(db: &Database, filter: Condition) -> Result<Vec<String>> {
    Post::query()
        .filter(filter)
        .order_by(Post::title)
        .select(Post::title)
        .all(db)
        .await
}

backend_tests! {
    async fn arrays_round_trip(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let posts = seed(db).await?;
        let schema = schema![Post];
        let found = Migrator::new(Migrations::default())
            .check(db, &schema, &Renames::default())
            .await?;
        assert!(found.is_empty(), "read back differently: {:?}", found.operations);
        let stored = Post::query().order_by(Post::id).all(db).await?;
        assert_eq!(stored, posts);
        assert_eq!(stored[0].tags, strings(&["rust", "db", "it's \"quoted\""]));
        assert_eq!(stored[0].weights, Some(vec![0.1, 1e300, -2.5]));
        assert_eq!(stored[1].weights, None);
        assert_eq!(stored[2].tags, Vec::<String>::new());
        let tags: Vec<Vec<String>> =
            Post::query().order_by(Post::id).select(Post::tags).all(db).await?;
        assert_eq!(tags[3], strings(&["Rust", "ünïcödé", ""]));

        Post::update()
            .filter(Post::title.eq("c"))
            .set(Post::tags, strings(&["new"]))
            .exec(db)
            .await?;
        let mut c = Post::query().filter(Post::title.eq("c")).one(db).await?;
        assert_eq!(c.tags, ["new"]);
        c.scores = vec![7, 7];
        c.weights = None;
        c.save(db).await?;
        assert_eq!(Post::get(db, c.id).await?, c);
        Ok(())
    }

    async fn array_operators_agree(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        assert_eq!(titles(db, Post::tags.contains(strings(&["db"]))).await?, ["a", "b"]);
        assert_eq!(titles(db, Post::tags.contains(strings(&["db", "rust"]))).await?, ["a"]);
        assert_eq!(titles(db, Post::tags.contains(strings(&["rust", "rust"]))).await?, ["a"]);
        assert_eq!(titles(db, Post::tags.contains(Vec::new())).await?, ["a", "b", "c", "d"]);
        assert_eq!(titles(db, Post::tags.any("Rust")).await?, ["d"]);
        assert_eq!(titles(db, Post::tags.any("")).await?, ["d"]);
        assert_eq!(titles(db, Post::tags.any("it's \"quoted\"")).await?, ["a"]);
        assert_eq!(titles(db, Post::tags.overlaps(strings(&["go", "rust"]))).await?, ["a", "b"]);
        assert!(titles(db, Post::tags.overlaps(Vec::new())).await?.is_empty());
        assert_eq!(titles(db, Post::scores.any(3)).await?, ["a", "b"]);
        assert_eq!(titles(db, Post::scores.contains(vec![3, 1])).await?, ["a"]);
        assert_eq!(titles(db, Post::big.any(i64::MAX)).await?, ["a", "b", "c", "d"]);
        assert_eq!(titles(db, Post::small.contains(vec![i16::MIN])).await?.len(), 4);
        assert_eq!(titles(db, Post::flags.contains(vec![false])).await?.len(), 4);
        assert_eq!(titles(db, Post::refs.any(Uuid::nil())).await?.len(), 4);
        // Floats by value; a NULL array answers NULL (neither it nor its negation holds).
        assert_eq!(titles(db, Post::weights.any(1.5)).await?, ["d"]);
        assert_eq!(titles(db, Post::weights.contains(vec![1e300, 0.1])).await?, ["a"]);
        assert_eq!(titles(db, not(Post::weights.contains(vec![1.5]))).await?, ["a", "c"]);
        assert_eq!(titles(db, Post::weights.is_null()).await?, ["b"]);
        // SQLite stores arrays as text, whose order is not the arrays': ordering by them is
        // refused there before anything is sent; PostgreSQL orders arrays element by element.
        let ordered = Post::query().order_by(Post::scores).select(Post::title).all(db).await;
        let compared = titles(db, Post::scores.gt(vec![2])).await;
        // MAX orders too.
        let largest: Result<Option<Vec<i32>>> =
            Post::query().select(orm::functions::max(Post::scores)).one(db).await;
        if t.target == crate::Target::Postgres {
            assert_eq!(ordered?, ["c", "d", "a", "b"]);
            assert_eq!(compared?, ["b"]);
            let by_order = Post::query().order_by(Post::scores.desc()).select(Post::scores).first(db).await?;
            assert_eq!(largest?, by_order);
        } else {
            for refused in [ordered.unwrap_err(), compared.unwrap_err(), largest.unwrap_err()] {
                assert_eq!(refused.kind(), ErrorKind::Unsupported, "{refused}");
            }
        }
        Ok(())
    }
}

backend_tests! {
    async fn the_session_writes_changed_arrays(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let posts = seed(db).await?;
        let mut s = db.session().await?;
        let a = s.get::<Post>(posts[0].id).await?;
        let b = s.get::<Post>(posts[1].id).await?;
        s[a].tags.push("new".into());
        s[b].weights = Some(vec![2.5]);
        s.add(post("e", &["x"], &[9], None));
        s.commit().await?;
        let stored = Post::get(db, posts[0].id).await?;
        assert_eq!(stored.tags, strings(&["rust", "db", "it's \"quoted\"", "new"]));
        assert_eq!(Post::get(db, posts[1].id).await?.weights, Some(vec![2.5]));
        assert_eq!(titles(db, Post::tags.any("x")).await?, ["e"]);
        Ok(())
    }

    async fn arrays_refuse_what_they_cannot_store(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Post]).await?;
        // Text no backend stores exactly is refused everywhere, inside arrays too.
        let nul = post("nul", &["a\0b"], &[], None).insert(db).await.expect_err("NUL in text");
        assert_eq!(nul.kind(), ErrorKind::Encode, "{nul}");
        let result = post("nan", &[], &[], Some(vec![f64::NAN])).insert(db).await;
        if t.target == crate::Target::Postgres {
            let stored = result?;
            assert!(stored.weights.is_some_and(|w| w[0].is_nan()), "PostgreSQL stores NaN");
        } else {
            let error = result.expect_err("JSON has no NaN");
            assert_eq!(error.kind(), ErrorKind::Encode, "{error}");
            assert_eq!(Post::query().count(db).await?, 0, "nothing was sent");
        }
        Ok(())
    }
}
