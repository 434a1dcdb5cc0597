use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub active: bool,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "posts")]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[orm(belongs_to(foreign_key = "user_id"))]
    pub author: BelongsTo<User>,
}

async fn load(db: &Database) -> orm::Result<Vec<Post>> {
    // Every post has its author: a filtered load would leave some without one.
    Post::query().with(Post::author.filter(User::active)).all(db).await
}

fn main() {}
