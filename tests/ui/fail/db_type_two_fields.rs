use orm::prelude::*;

#[derive(DbType)]
pub struct Point(i64, i64);

#[derive(DbType)]
pub struct MaybeId(Option<i64>);

fn main() {}
