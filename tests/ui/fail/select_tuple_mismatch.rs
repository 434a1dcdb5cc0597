use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
}

async fn names(db: &Database) -> orm::Result<()> {
    let rows: Vec<(String, i64)> = User::query()
        .select((User::name, User::created_at))
        .all(db)
        .await?;
    drop(rows);
    Ok(())
}

fn main() {
    drop(names);
}
