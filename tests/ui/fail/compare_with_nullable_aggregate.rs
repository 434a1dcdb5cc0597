//! Comparing a non-null column with a nullable expression (`max` over no rows is NULL) is
//! refused, and the message names the fix: `.nullable()` on the column.

use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "items")]
pub struct Item {
    #[orm(primary_key)]
    pub id: i64,
    pub quantity: i32,
}

fn main() {
    let _largest = Item::query().filter(Item::quantity.eq(Item::query().select(max(Item::quantity)).scalar()));
}
