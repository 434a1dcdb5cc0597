use orm::prelude::*;

#[derive(DbEnum, Debug, Clone, Copy)]
#[orm(rename_all = "snake")]
pub enum Status {
    Todo,
    Done,
}

fn main() {}
