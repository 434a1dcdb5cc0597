use orm::prelude::*;

#[derive(Model)]
pub struct Trip {
    #[orm(primary_key)]
    pub id: i64,
    pub stops: Vec<NaiveDate>,
}

fn main() {}
