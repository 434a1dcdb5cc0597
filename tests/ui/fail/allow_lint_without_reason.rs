use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "products")]
pub struct Product {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(allow_lint(code = "L103"))]
    pub price: f64,
}

fn main() {}
