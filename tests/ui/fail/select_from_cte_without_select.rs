use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub age: i32,
}

async fn adults(db: &Database) -> orm::Result<()> {
    let grown = cte(
        "adults",
        User::query().filter(User::age.ge(18)).select(User::id),
    );
    let rows = select_from(&grown).all(db).await?;
    drop(rows);
    Ok(())
}

fn main() {
    drop(adults);
}
