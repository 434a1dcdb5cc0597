use orm::prelude::*;

#[derive(Model)]
#[orm(table = "staff")]
pub enum Staff { Engineer(Engineer), Manager(Manager) }

#[derive(Model)]
#[orm(table = "staff", inherits = Staff)]
pub struct Engineer { #[orm(primary_key)] pub id: i64, pub level: String }

#[derive(Model)]
#[orm(table = "staff", inherits = Staff)]
pub struct Manager { #[orm(primary_key)] pub id: i64, pub level: i32 }

fn main() {}
