use orm::prelude::*;

#[derive(DbEnum, Debug, Clone, Copy)]
#[orm(native)]
pub enum Status {
    Todo,
    #[orm(rename = "waiting for the other team to review and approve the change request")]
    Waiting,
}

fn main() {}
