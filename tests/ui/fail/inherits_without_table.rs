use orm::prelude::*;

#[derive(Model)]
#[orm(table = "staff")]
pub enum Staff { Engineer(Engineer) }

#[derive(Model)]
#[orm(inherits = Staff)]
pub struct Engineer { #[orm(primary_key)] pub id: i64 }

fn main() {}
