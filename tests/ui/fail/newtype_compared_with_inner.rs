use orm::prelude::*;

#[derive(DbType, Debug, Clone, Copy, PartialEq)]
pub struct UserId(i64);

#[derive(Model)]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    pub author_id: UserId,
}

fn main() {
    let _ = Post::query().filter(Post::author_id.eq(7));
}
