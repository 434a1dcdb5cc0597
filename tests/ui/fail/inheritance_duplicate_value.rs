use orm::prelude::*;

#[derive(Model)]
#[orm(table = "staff")]
pub enum Staff { Engineer(Engineer), #[orm(value = "engineer")] Lead(Lead) }

#[derive(Model)]
#[orm(table = "staff", inherits = Staff)]
pub struct Engineer { #[orm(primary_key)] pub id: i64 }

#[derive(Model)]
#[orm(table = "staff", inherits = Staff)]
pub struct Lead { #[orm(primary_key)] pub id: i64 }

fn main() {}
