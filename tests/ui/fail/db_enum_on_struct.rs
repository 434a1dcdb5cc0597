use orm::prelude::*;

#[derive(DbEnum, Debug, Clone, Copy)]
pub struct Status {
    code: u8,
}

fn main() {}
