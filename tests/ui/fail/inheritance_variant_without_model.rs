use orm::prelude::*;

#[derive(Model)]
#[orm(table = "staff", discriminator = "kind")]
pub enum Staff {
    Engineer(Engineer),
    Manager { reports: i32 },
}

#[derive(Model)]
#[orm(table = "staff", inherits = Staff)]
pub struct Engineer { #[orm(primary_key)] pub id: i64 }

fn main() {}
