use orm::prelude::*;

#[derive(Model, Debug)]
#[orm(table = "tags", hooks)]
pub struct Tag {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
}

impl orm::Hooks for Tag {}

fn main() {}
