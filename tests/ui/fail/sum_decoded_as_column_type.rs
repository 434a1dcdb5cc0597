use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub age: i32,
}

async fn ages(db: &Database) -> orm::Result<()> {
    let totals: Vec<i32> = User::query()
        .group_by(User::email)
        .select(sum(User::age))
        .all(db)
        .await?;
    drop(totals);
    Ok(())
}

fn main() {
    drop(ages);
}
