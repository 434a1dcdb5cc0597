use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique(ignore_deleted))]
    pub email: String,
}

fn main() {}
