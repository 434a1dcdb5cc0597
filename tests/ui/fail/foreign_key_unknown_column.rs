use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "orders", primary_key(region, number))]
pub struct Order {
    pub region: String,
    pub number: i64,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "lines", foreign_key(columns = ["region", "numbr"], references = Order))]
pub struct Line {
    #[orm(primary_key)]
    pub id: i64,
    pub region: String,
    pub number: i64,
}

fn main() {}
