//! Arithmetic between a decimal column and an integer is refused at compile time, with a
//! message about arithmetic (not about comparing) that says how to convert.

use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "items")]
pub struct Item {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(numeric(10, 2))]
    pub price: Decimal,
    pub quantity: i32,
}

fn main() {
    let _line_amount = Item::query().select(Item::price * Item::quantity);
}
