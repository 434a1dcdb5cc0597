use orm::prelude::*;

#[derive(Mixin)]
pub struct Keyed {
    #[orm(primary_key)]
    pub id: i64,
    pub note: String,
}

fn main() {}
