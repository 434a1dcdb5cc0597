use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub name: String,
}

fn main() {
    let _new = NewUser {
        email: "alice@example.com".into(),
    };
}
