//! A model whose insert struct cannot have a `Default` (a JSON field of a type without one)
//! still derives: `NewProfile` simply has no `default()`.

use orm::prelude::*;

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Settings {
    pub theme: String,
}

#[derive(Model, Debug, Clone)]
pub struct Profile {
    #[orm(primary_key)]
    pub id: i64,
    pub settings: Json<Settings>,
    #[orm(default = 3)]
    pub level: i32,
}

fn main() {
    let new = NewProfile {
        settings: Json(Settings { theme: "dark".into() }),
        level: 1,
    };
    let _ = new.settings.theme.len();
}
