use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "docs")]
pub struct Doc {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(version)]
    pub version: String,
}

fn main() {}
