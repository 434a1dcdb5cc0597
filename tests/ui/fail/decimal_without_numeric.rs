use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "products")]
pub struct Product {
    #[orm(primary_key)]
    pub id: i64,
    pub price: Decimal,
}

fn main() {}
