use orm::prelude::*;

#[derive(DbEnum, Debug, Clone, Copy)]
pub enum Shape {
    Point,
    Circle(u32),
}

fn main() {}
