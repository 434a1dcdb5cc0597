use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primry_key)]
    pub id: i64,
    pub name: String,
}

fn main() {}
