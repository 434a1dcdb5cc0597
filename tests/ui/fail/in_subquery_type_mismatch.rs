use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub age: i32,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "posts")]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = User)]
    pub user_id: i64,
    pub title: String,
}

fn main() {
    let _query = User::query().filter(User::id.in_subquery(Post::query().select(Post::title)));
}
