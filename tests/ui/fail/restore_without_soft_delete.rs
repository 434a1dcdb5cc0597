use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub email: String,
}

async fn undelete(db: &Database, mut user: User) -> orm::Result<()> {
    user.restore(db).await
}

fn main() {}
