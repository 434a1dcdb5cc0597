use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(has_many(foreign_key = "owner_id"))]
    pub posts: HasMany<Post>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "posts")]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = User)]
    pub user_id: i64,
}

fn main() {}
