use orm::prelude::*;

#[derive(DbEnum, Debug, Clone, Copy)]
#[orm(native = "")]
pub enum Status {
    Todo,
    Done,
}

fn main() {}
