use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub age: i32,
}

async fn ids_and_emails(db: &Database) -> orm::Result<()> {
    let rows: Vec<(i64, i32)> = User::query()
        .select((User::id, User::email))
        .all(db)
        .await?;
    drop(rows);
    Ok(())
}

fn main() {
    drop(ids_and_emails);
}
