use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "notes")]
pub struct Note {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(soft_delete)]
    pub deleted_at: DateTime<Utc>,
}

fn main() {}
