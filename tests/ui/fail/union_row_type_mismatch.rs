use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub age: i32,
}

fn main() {
    let _query = User::query()
        .select(User::id)
        .union(User::query().select(User::email));
}
