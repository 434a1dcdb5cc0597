use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "a_table_name_that_is_much_longer_than_postgresql_lets_an_identifier_be")]
pub struct TooLong {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(column = "and_a_column_name_that_is_much_longer_than_postgresql_allows_too")]
    pub value: String,
}

fn main() {}
