use orm::prelude::*;

#[derive(DbType, Debug, Clone, PartialEq)]
pub struct Sku(String);

#[derive(Model)]
pub struct Product {
    #[orm(primary_key, auto)]
    pub sku: Sku,
}

fn main() {}
