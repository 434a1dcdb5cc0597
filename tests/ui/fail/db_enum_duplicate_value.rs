use orm::prelude::*;

#[derive(DbEnum, Debug, Clone, Copy)]
pub enum Status {
    Todo,
    #[orm(rename = "todo")]
    Later,
}

fn main() {}
