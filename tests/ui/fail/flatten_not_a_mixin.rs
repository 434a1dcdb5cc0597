use orm::prelude::*;

pub struct Extra {
    pub note: String,
}

#[derive(Model)]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(flatten)]
    pub extra: Extra,
}

fn main() {}
