use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "countries")]
pub struct Country {
    #[orm(primary_key)]
    pub code: String,
    pub name: String,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "imports")]
pub struct Import {
    #[orm(primary_key, auto = false)]
    pub id: i64,
    pub source: String,
}

fn main() {
    // Neither key is generated: it is a field of the New struct already.
    let _ = NewCountry { code: "NL".into(), name: "Netherlands".into() }.with_key(String::from("NL"));
    let _ = NewImport { id: 1, source: "legacy".into() }.with_key(1);
}
