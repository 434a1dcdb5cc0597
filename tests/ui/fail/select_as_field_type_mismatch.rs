use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub age: i32,
}

#[derive(FromRow)]
#[orm(model = User)]
pub struct UserEmail {
    pub id: i64,
    pub email: i64,
}

fn main() {
    let _query = User::query().select_as::<UserEmail>();
}
