use orm::prelude::*;

// A String key is never generated, so `auto` (either way) is a misunderstanding.
#[derive(Model, Debug, Clone)]
#[orm(table = "countries")]
pub struct Country {
    #[orm(primary_key, auto = false)]
    pub code: String,
    pub name: String,
}

fn main() {}
