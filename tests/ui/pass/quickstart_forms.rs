//! The normal forms of the API compile (and run, on an in-memory SQLite database).

use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique, max_length = 255)]
    pub email: String,
    #[orm(max_length = 100)]
    pub name: String,
    pub bio: Option<String>,
    pub age: Option<i32>,
    #[orm(default = true)]
    pub is_active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "posts")]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = User, on_delete = "cascade", index)]
    pub user_id: i64,
    pub title: String,
    #[orm(numeric(10, 2))]
    pub price: Decimal,
    #[orm(jsonb)]
    pub tags: Option<Json<Vec<String>>>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "memberships", primary_key(user_id, group_id))]
pub struct Membership {
    #[orm(references = User)]
    pub user_id: i64,
    pub group_id: i32,
    pub role: String,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "documents")]
pub struct Document {
    #[orm(primary_key)]
    pub id: Uuid,
    pub title: String,
}

async fn forms(db: &Database) -> orm::Result<()> {
    db.create_all(&schema![Post, User, Membership, Document])
        .await?;

    // Inserts: required fields plus `..Default::default()`.
    let alice = NewUser {
        email: "alice@example.com".into(),
        name: "Alice".into(),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let inserted = NewPost::insert_many(
        db,
        &[NewPost {
            user_id: alice.id,
            title: "Hello".into(),
            price: Decimal::new(1999, 2),
            tags: Some(Json(vec!["intro".to_owned()])),
        }],
    )
    .await?;
    assert_eq!(inserted, 1);
    let document = NewDocument {
        title: "spec".into(),
    }
    .insert(db)
    .await?;
    let _same: Document = Document::get(db, document.id).await?;

    // Filters: `&str` on a String column, a plain value on an Option column, nesting.
    let found: User = User::query()
        .filter(User::email.eq("alice@example.com"))
        .filter(User::age.lt(30).or(User::age.is_null()))
        .filter(User::name.like("A%").and(not(User::email.eq("x"))))
        .filter(User::id.in_list([alice.id]))
        .order_by(User::name)
        .order_by(User::id.desc())
        .one(db)
        .await?;
    let _maybe: Option<User> = User::find(found.id).optional(db).await?;
    let _first: Option<User> = User::query().first(db).await?;
    let _count: i64 = User::query()
        .filter(User::is_active.eq(true))
        .count(db)
        .await?;
    let _exists: bool = User::query()
        .filter(User::id.eq(alice.id))
        .exists(db)
        .await?;

    // Select tuples and single columns.
    let rows: Vec<(String, DateTime<Utc>, Option<String>)> = User::query()
        .select((User::name, User::created_at, User::bio))
        .limit(10)
        .offset(0)
        .all(db)
        .await?;
    assert_eq!(rows.len(), 1);
    let prices: Vec<Decimal> = Post::query()
        .filter(Post::price.between(Decimal::new(1, 0), Decimal::new(100, 0)))
        .select(Post::price)
        .all(db)
        .await?;
    assert_eq!(prices, [Decimal::new(1999, 2)]);
    let _total: Vec<(i64, String)> = Post::query()
        .select((count_star(), Post::title))
        .all(db)
        .await
        .unwrap_or_default();

    // Updates: a value, None on an Option column, another column.
    let changed = User::update()
        .filter(User::id.eq(alice.id))
        .set(User::bio, None)
        .set(User::age, 31)
        .set(User::name, User::email)
        .exec(db)
        .await?;
    assert_eq!(changed, 1);

    // Composite keys.
    NewMembership {
        user_id: alice.id,
        group_id: 7,
        role: "admin".into(),
    }
    .insert(db)
    .await?;
    let membership = Membership::get(db, (alice.id, 7)).await?;
    let _again = Membership::find((membership.user_id, membership.group_id))
        .one(db)
        .await?;

    // Change tracking.
    let mut tracked = Tracked::new(User::get(db, alice.id).await?);
    tracked.name = "Alicia".into();
    tracked.save(db).await?;
    let mut user = tracked.into_inner();
    user.bio = Some("hi".into());
    user.save(db).await?;

    // A transaction through a closure.
    db.transaction(async |tx| {
        User::update()
            .filter(User::id.eq(alice.id))
            .set(User::is_active, false)
            .exec(tx)
            .await?;
        Post::delete()
            .filter(Post::user_id.eq(alice.id))
            .exec(tx)
            .await?;
        Ok::<_, orm::Error>(())
    })
    .await?;

    // A transaction inside a spawned task: the futures are Send.
    let shared = db.clone();
    let task = tokio::spawn(async move {
        shared
            .transaction(async |tx| {
                let bob = NewUser {
                    email: "bob@example.com".into(),
                    name: "Bob".into(),
                    bio: Some("db".into()),
                    age: None,
                    is_active: false,
                }
                .insert(tx)
                .await?;
                User::delete().filter(User::id.eq(bob.id)).exec(tx).await?;
                Ok::<_, orm::Error>(bob.id)
            })
            .await
    });
    let _bob_id: i64 = task.await.expect("task panicked")?;

    membership.delete(db).await?;
    Membership::delete().all_rows().exec(db).await?;
    db.drop_all(&schema![Post, User, Membership, Document])
        .await?;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> orm::Result<()> {
    let db = Database::connect("sqlite::memory:").await?;
    forms(&db).await
}
