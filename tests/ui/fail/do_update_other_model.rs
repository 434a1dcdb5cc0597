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
    let _insert = insert(vec![NewUser {
        email: "alice@example.com".into(),
        age: 30,
    }])
    .on_conflict(User::email)
    .do_update(Post::title, excluded(Post::title));
}
