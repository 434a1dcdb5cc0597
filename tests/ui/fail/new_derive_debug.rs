use orm::prelude::*;

// The New struct always implements Debug, Clone and Default.
#[derive(Model, Debug, Clone)]
#[orm(table = "users", new_derive(serde::Serialize, Debug))]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
}

fn main() {}
