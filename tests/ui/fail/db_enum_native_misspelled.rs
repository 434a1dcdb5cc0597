use orm::prelude::*;

#[derive(DbEnum, Debug, Clone, Copy)]
#[orm(postgres_enum)]
pub enum Status {
    Todo,
    Done,
}

fn main() {}
