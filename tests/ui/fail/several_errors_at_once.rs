use orm::prelude::*;

#[derive(Model)]
#[orm(tabel = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 0)]
    pub name: String,
    #[orm(on_delete = "cascade")]
    pub team_id: i64,
    #[orm(default = some_function())]
    pub score: i32,
}

fn main() {}
