use orm::prelude::*;

#[derive(Model)]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    pub title: String,
}

fn main() {
    let _ = Post::query().filter(Post::title.overlaps(vec!["a".to_owned()]));
}
