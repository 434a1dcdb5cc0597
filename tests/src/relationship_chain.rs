//! A hundred and forty models in a relationship chain, cross-linked, each queried with its
//! relationships: a library of them must build with no `recursion_limit` attribute. The
//! relationships' metadata used to reach their tables through closures, whose `call_once`
//! shim is one generic function instantiated once per model along the chain; a library (all
//! of whose public items are built) met the compiler's limit of 128 nested instantiations
//! ("reached the recursion limit while instantiating"). Written by
//! `cargo run -p orm-benches --bin build_time -- --source 140`; run by
//! `integration/relations_smoke.rs`.
#![allow(missing_docs)] // generated models, documented here as a whole

use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "m0")]
pub struct M0 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M1>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m1")]
pub struct M1 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M0>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M2>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m2")]
pub struct M2 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M1>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M1>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M3>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m3")]
pub struct M3 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M2>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M1>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M4>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m4")]
pub struct M4 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M3>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M2>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M5>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m5")]
pub struct M5 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M4>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M2>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M6>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m6")]
pub struct M6 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M5>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M3>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M7>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m7")]
pub struct M7 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M6>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M3>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M8>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m8")]
pub struct M8 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M7>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M4>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M9>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m9")]
pub struct M9 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M8>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M4>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M10>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m10")]
pub struct M10 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M9>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M5>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M11>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m11")]
pub struct M11 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M10>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M5>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M12>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m12")]
pub struct M12 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M11>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M6>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M13>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m13")]
pub struct M13 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M12>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M6>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M14>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m14")]
pub struct M14 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M13>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M7>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M15>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m15")]
pub struct M15 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M14>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M7>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M16>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m16")]
pub struct M16 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M15>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M8>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M17>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m17")]
pub struct M17 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M16>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M8>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M18>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m18")]
pub struct M18 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M17>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M9>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M19>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m19")]
pub struct M19 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M18>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M9>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M20>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m20")]
pub struct M20 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M19>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M10>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M21>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m21")]
pub struct M21 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M20>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M10>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M22>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m22")]
pub struct M22 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M21>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M11>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M23>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m23")]
pub struct M23 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M22>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M11>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M24>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m24")]
pub struct M24 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M23>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M12>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M25>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m25")]
pub struct M25 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M24>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M12>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M26>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m26")]
pub struct M26 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M25>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M13>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M27>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m27")]
pub struct M27 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M26>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M13>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M28>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m28")]
pub struct M28 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M27>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M14>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M29>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m29")]
pub struct M29 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M28>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M14>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M30>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m30")]
pub struct M30 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M29>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M15>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M31>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m31")]
pub struct M31 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M30>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M15>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M32>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m32")]
pub struct M32 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M31>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M16>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M33>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m33")]
pub struct M33 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M32>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M16>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M34>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m34")]
pub struct M34 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M33>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M17>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M35>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m35")]
pub struct M35 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M34>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M17>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M36>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m36")]
pub struct M36 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M35>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M18>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M37>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m37")]
pub struct M37 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M36>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M18>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M38>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m38")]
pub struct M38 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M37>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M19>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M39>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m39")]
pub struct M39 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M38>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M19>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M40>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m40")]
pub struct M40 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M39>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M20>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M41>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m41")]
pub struct M41 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M40>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M20>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M42>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m42")]
pub struct M42 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M41>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M21>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M43>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m43")]
pub struct M43 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M42>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M21>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M44>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m44")]
pub struct M44 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M43>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M22>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M45>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m45")]
pub struct M45 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M44>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M22>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M46>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m46")]
pub struct M46 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M45>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M23>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M47>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m47")]
pub struct M47 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M46>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M23>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M48>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m48")]
pub struct M48 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M47>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M24>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M49>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m49")]
pub struct M49 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M48>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M24>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M50>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m50")]
pub struct M50 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M49>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M25>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M51>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m51")]
pub struct M51 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M50>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M25>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M52>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m52")]
pub struct M52 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M51>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M26>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M53>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m53")]
pub struct M53 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M52>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M26>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M54>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m54")]
pub struct M54 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M53>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M27>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M55>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m55")]
pub struct M55 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M54>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M27>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M56>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m56")]
pub struct M56 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M55>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M28>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M57>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m57")]
pub struct M57 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M56>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M28>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M58>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m58")]
pub struct M58 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M57>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M29>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M59>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m59")]
pub struct M59 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M58>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M29>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M60>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m60")]
pub struct M60 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M59>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M30>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M61>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m61")]
pub struct M61 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M60>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M30>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M62>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m62")]
pub struct M62 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M61>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M31>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M63>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m63")]
pub struct M63 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M62>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M31>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M64>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m64")]
pub struct M64 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M63>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M32>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M65>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m65")]
pub struct M65 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M64>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M32>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M66>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m66")]
pub struct M66 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M65>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M33>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M67>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m67")]
pub struct M67 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M66>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M33>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M68>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m68")]
pub struct M68 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M67>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M34>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M69>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m69")]
pub struct M69 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M68>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M34>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M70>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m70")]
pub struct M70 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M69>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M35>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M71>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m71")]
pub struct M71 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M70>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M35>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M72>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m72")]
pub struct M72 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M71>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M36>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M73>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m73")]
pub struct M73 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M72>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M36>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M74>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m74")]
pub struct M74 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M73>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M37>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M75>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m75")]
pub struct M75 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M74>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M37>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M76>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m76")]
pub struct M76 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M75>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M38>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M77>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m77")]
pub struct M77 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M76>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M38>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M78>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m78")]
pub struct M78 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M77>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M39>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M79>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m79")]
pub struct M79 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M78>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M39>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M80>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m80")]
pub struct M80 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M79>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M40>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M81>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m81")]
pub struct M81 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M80>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M40>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M82>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m82")]
pub struct M82 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M81>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M41>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M83>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m83")]
pub struct M83 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M82>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M41>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M84>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m84")]
pub struct M84 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M83>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M42>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M85>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m85")]
pub struct M85 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M84>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M42>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M86>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m86")]
pub struct M86 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M85>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M43>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M87>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m87")]
pub struct M87 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M86>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M43>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M88>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m88")]
pub struct M88 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M87>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M44>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M89>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m89")]
pub struct M89 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M88>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M44>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M90>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m90")]
pub struct M90 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M89>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M45>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M91>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m91")]
pub struct M91 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M90>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M45>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M92>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m92")]
pub struct M92 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M91>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M46>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M93>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m93")]
pub struct M93 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M92>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M46>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M94>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m94")]
pub struct M94 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M93>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M47>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M95>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m95")]
pub struct M95 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M94>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M47>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M96>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m96")]
pub struct M96 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M95>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M48>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M97>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m97")]
pub struct M97 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M96>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M48>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M98>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m98")]
pub struct M98 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M97>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M49>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M99>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m99")]
pub struct M99 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M98>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M49>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M100>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m100")]
pub struct M100 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M99>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M50>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M101>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m101")]
pub struct M101 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M100>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M50>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M102>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m102")]
pub struct M102 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M101>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M51>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M103>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m103")]
pub struct M103 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M102>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M51>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M104>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m104")]
pub struct M104 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M103>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M52>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M105>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m105")]
pub struct M105 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M104>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M52>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M106>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m106")]
pub struct M106 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M105>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M53>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M107>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m107")]
pub struct M107 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M106>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M53>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M108>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m108")]
pub struct M108 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M107>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M54>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M109>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m109")]
pub struct M109 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M108>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M54>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M110>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m110")]
pub struct M110 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M109>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M55>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M111>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m111")]
pub struct M111 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M110>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M55>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M112>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m112")]
pub struct M112 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M111>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M56>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M113>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m113")]
pub struct M113 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M112>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M56>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M114>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m114")]
pub struct M114 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M113>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M57>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M115>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m115")]
pub struct M115 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M114>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M57>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M116>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m116")]
pub struct M116 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M115>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M58>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M117>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m117")]
pub struct M117 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M116>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M58>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M118>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m118")]
pub struct M118 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M117>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M59>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M119>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m119")]
pub struct M119 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M118>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M59>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M120>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m120")]
pub struct M120 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M119>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M60>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M121>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m121")]
pub struct M121 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M120>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M60>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M122>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m122")]
pub struct M122 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M121>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M61>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M123>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m123")]
pub struct M123 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M122>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M61>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M124>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m124")]
pub struct M124 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M123>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M62>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M125>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m125")]
pub struct M125 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M124>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M62>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M126>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m126")]
pub struct M126 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M125>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M63>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M127>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m127")]
pub struct M127 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M126>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M63>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M128>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m128")]
pub struct M128 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M127>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M64>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M129>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m129")]
pub struct M129 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M128>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M64>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M130>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m130")]
pub struct M130 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M129>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M65>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M131>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m131")]
pub struct M131 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M130>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M65>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M132>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m132")]
pub struct M132 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M131>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M66>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M133>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m133")]
pub struct M133 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M132>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M66>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M134>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m134")]
pub struct M134 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M133>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M67>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M135>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m135")]
pub struct M135 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M134>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M67>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M136>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m136")]
pub struct M136 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M135>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M68>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M137>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m137")]
pub struct M137 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M136>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M68>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M138>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m138")]
pub struct M138 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M137>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M69>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub children: HasMany<M139>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m139")]
pub struct M139 {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 80)]
    pub name: String,
    pub score: Option<f64>,
    pub active: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    pub parent_id: i64,
    #[orm(belongs_to(foreign_key = "parent_id"))]
    pub parent: BelongsTo<M138>,
    pub link_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "link_id"))]
    pub link: BelongsTo<Option<M69>>,
}

/// Every model.
pub fn schema() -> Schema {
    schema![
        M0, M1, M2, M3, M4, M5, M6, M7, M8, M9, M10, M11, M12, M13, M14, M15, M16, M17, M18, M19,
        M20, M21, M22, M23, M24, M25, M26, M27, M28, M29, M30, M31, M32, M33, M34, M35, M36, M37,
        M38, M39, M40, M41, M42, M43, M44, M45, M46, M47, M48, M49, M50, M51, M52, M53, M54, M55,
        M56, M57, M58, M59, M60, M61, M62, M63, M64, M65, M66, M67, M68, M69, M70, M71, M72, M73,
        M74, M75, M76, M77, M78, M79, M80, M81, M82, M83, M84, M85, M86, M87, M88, M89, M90, M91,
        M92, M93, M94, M95, M96, M97, M98, M99, M100, M101, M102, M103, M104, M105, M106, M107,
        M108, M109, M110, M111, M112, M113, M114, M115, M116, M117, M118, M119, M120, M121, M122,
        M123, M124, M125, M126, M127, M128, M129, M130, M131, M132, M133, M134, M135, M136, M137,
        M138, M139
    ]
}

/// Every model queried with its relationships.
pub async fn load_all(db: &Database) -> Result<usize> {
    let mut rows = 0;
    rows += M0::query()
        .filter(M0::active.eq(true))
        .with(M0::children)
        .all(db)
        .await?
        .len();
    rows += M1::query()
        .filter(M1::active.eq(true))
        .with(M1::children)
        .with(M1::parent)
        .all(db)
        .await?
        .len();
    rows += M2::query()
        .filter(M2::active.eq(true))
        .with(M2::children)
        .with(M2::parent)
        .all(db)
        .await?
        .len();
    rows += M3::query()
        .filter(M3::active.eq(true))
        .with(M3::children)
        .with(M3::parent)
        .all(db)
        .await?
        .len();
    rows += M4::query()
        .filter(M4::active.eq(true))
        .with(M4::children)
        .with(M4::parent)
        .all(db)
        .await?
        .len();
    rows += M5::query()
        .filter(M5::active.eq(true))
        .with(M5::children)
        .with(M5::parent)
        .all(db)
        .await?
        .len();
    rows += M6::query()
        .filter(M6::active.eq(true))
        .with(M6::children)
        .with(M6::parent)
        .all(db)
        .await?
        .len();
    rows += M7::query()
        .filter(M7::active.eq(true))
        .with(M7::children)
        .with(M7::parent)
        .all(db)
        .await?
        .len();
    rows += M8::query()
        .filter(M8::active.eq(true))
        .with(M8::children)
        .with(M8::parent)
        .all(db)
        .await?
        .len();
    rows += M9::query()
        .filter(M9::active.eq(true))
        .with(M9::children)
        .with(M9::parent)
        .all(db)
        .await?
        .len();
    rows += M10::query()
        .filter(M10::active.eq(true))
        .with(M10::children)
        .with(M10::parent)
        .all(db)
        .await?
        .len();
    rows += M11::query()
        .filter(M11::active.eq(true))
        .with(M11::children)
        .with(M11::parent)
        .all(db)
        .await?
        .len();
    rows += M12::query()
        .filter(M12::active.eq(true))
        .with(M12::children)
        .with(M12::parent)
        .all(db)
        .await?
        .len();
    rows += M13::query()
        .filter(M13::active.eq(true))
        .with(M13::children)
        .with(M13::parent)
        .all(db)
        .await?
        .len();
    rows += M14::query()
        .filter(M14::active.eq(true))
        .with(M14::children)
        .with(M14::parent)
        .all(db)
        .await?
        .len();
    rows += M15::query()
        .filter(M15::active.eq(true))
        .with(M15::children)
        .with(M15::parent)
        .all(db)
        .await?
        .len();
    rows += M16::query()
        .filter(M16::active.eq(true))
        .with(M16::children)
        .with(M16::parent)
        .all(db)
        .await?
        .len();
    rows += M17::query()
        .filter(M17::active.eq(true))
        .with(M17::children)
        .with(M17::parent)
        .all(db)
        .await?
        .len();
    rows += M18::query()
        .filter(M18::active.eq(true))
        .with(M18::children)
        .with(M18::parent)
        .all(db)
        .await?
        .len();
    rows += M19::query()
        .filter(M19::active.eq(true))
        .with(M19::children)
        .with(M19::parent)
        .all(db)
        .await?
        .len();
    rows += M20::query()
        .filter(M20::active.eq(true))
        .with(M20::children)
        .with(M20::parent)
        .all(db)
        .await?
        .len();
    rows += M21::query()
        .filter(M21::active.eq(true))
        .with(M21::children)
        .with(M21::parent)
        .all(db)
        .await?
        .len();
    rows += M22::query()
        .filter(M22::active.eq(true))
        .with(M22::children)
        .with(M22::parent)
        .all(db)
        .await?
        .len();
    rows += M23::query()
        .filter(M23::active.eq(true))
        .with(M23::children)
        .with(M23::parent)
        .all(db)
        .await?
        .len();
    rows += M24::query()
        .filter(M24::active.eq(true))
        .with(M24::children)
        .with(M24::parent)
        .all(db)
        .await?
        .len();
    rows += M25::query()
        .filter(M25::active.eq(true))
        .with(M25::children)
        .with(M25::parent)
        .all(db)
        .await?
        .len();
    rows += M26::query()
        .filter(M26::active.eq(true))
        .with(M26::children)
        .with(M26::parent)
        .all(db)
        .await?
        .len();
    rows += M27::query()
        .filter(M27::active.eq(true))
        .with(M27::children)
        .with(M27::parent)
        .all(db)
        .await?
        .len();
    rows += M28::query()
        .filter(M28::active.eq(true))
        .with(M28::children)
        .with(M28::parent)
        .all(db)
        .await?
        .len();
    rows += M29::query()
        .filter(M29::active.eq(true))
        .with(M29::children)
        .with(M29::parent)
        .all(db)
        .await?
        .len();
    rows += M30::query()
        .filter(M30::active.eq(true))
        .with(M30::children)
        .with(M30::parent)
        .all(db)
        .await?
        .len();
    rows += M31::query()
        .filter(M31::active.eq(true))
        .with(M31::children)
        .with(M31::parent)
        .all(db)
        .await?
        .len();
    rows += M32::query()
        .filter(M32::active.eq(true))
        .with(M32::children)
        .with(M32::parent)
        .all(db)
        .await?
        .len();
    rows += M33::query()
        .filter(M33::active.eq(true))
        .with(M33::children)
        .with(M33::parent)
        .all(db)
        .await?
        .len();
    rows += M34::query()
        .filter(M34::active.eq(true))
        .with(M34::children)
        .with(M34::parent)
        .all(db)
        .await?
        .len();
    rows += M35::query()
        .filter(M35::active.eq(true))
        .with(M35::children)
        .with(M35::parent)
        .all(db)
        .await?
        .len();
    rows += M36::query()
        .filter(M36::active.eq(true))
        .with(M36::children)
        .with(M36::parent)
        .all(db)
        .await?
        .len();
    rows += M37::query()
        .filter(M37::active.eq(true))
        .with(M37::children)
        .with(M37::parent)
        .all(db)
        .await?
        .len();
    rows += M38::query()
        .filter(M38::active.eq(true))
        .with(M38::children)
        .with(M38::parent)
        .all(db)
        .await?
        .len();
    rows += M39::query()
        .filter(M39::active.eq(true))
        .with(M39::children)
        .with(M39::parent)
        .all(db)
        .await?
        .len();
    rows += M40::query()
        .filter(M40::active.eq(true))
        .with(M40::children)
        .with(M40::parent)
        .all(db)
        .await?
        .len();
    rows += M41::query()
        .filter(M41::active.eq(true))
        .with(M41::children)
        .with(M41::parent)
        .all(db)
        .await?
        .len();
    rows += M42::query()
        .filter(M42::active.eq(true))
        .with(M42::children)
        .with(M42::parent)
        .all(db)
        .await?
        .len();
    rows += M43::query()
        .filter(M43::active.eq(true))
        .with(M43::children)
        .with(M43::parent)
        .all(db)
        .await?
        .len();
    rows += M44::query()
        .filter(M44::active.eq(true))
        .with(M44::children)
        .with(M44::parent)
        .all(db)
        .await?
        .len();
    rows += M45::query()
        .filter(M45::active.eq(true))
        .with(M45::children)
        .with(M45::parent)
        .all(db)
        .await?
        .len();
    rows += M46::query()
        .filter(M46::active.eq(true))
        .with(M46::children)
        .with(M46::parent)
        .all(db)
        .await?
        .len();
    rows += M47::query()
        .filter(M47::active.eq(true))
        .with(M47::children)
        .with(M47::parent)
        .all(db)
        .await?
        .len();
    rows += M48::query()
        .filter(M48::active.eq(true))
        .with(M48::children)
        .with(M48::parent)
        .all(db)
        .await?
        .len();
    rows += M49::query()
        .filter(M49::active.eq(true))
        .with(M49::children)
        .with(M49::parent)
        .all(db)
        .await?
        .len();
    rows += M50::query()
        .filter(M50::active.eq(true))
        .with(M50::children)
        .with(M50::parent)
        .all(db)
        .await?
        .len();
    rows += M51::query()
        .filter(M51::active.eq(true))
        .with(M51::children)
        .with(M51::parent)
        .all(db)
        .await?
        .len();
    rows += M52::query()
        .filter(M52::active.eq(true))
        .with(M52::children)
        .with(M52::parent)
        .all(db)
        .await?
        .len();
    rows += M53::query()
        .filter(M53::active.eq(true))
        .with(M53::children)
        .with(M53::parent)
        .all(db)
        .await?
        .len();
    rows += M54::query()
        .filter(M54::active.eq(true))
        .with(M54::children)
        .with(M54::parent)
        .all(db)
        .await?
        .len();
    rows += M55::query()
        .filter(M55::active.eq(true))
        .with(M55::children)
        .with(M55::parent)
        .all(db)
        .await?
        .len();
    rows += M56::query()
        .filter(M56::active.eq(true))
        .with(M56::children)
        .with(M56::parent)
        .all(db)
        .await?
        .len();
    rows += M57::query()
        .filter(M57::active.eq(true))
        .with(M57::children)
        .with(M57::parent)
        .all(db)
        .await?
        .len();
    rows += M58::query()
        .filter(M58::active.eq(true))
        .with(M58::children)
        .with(M58::parent)
        .all(db)
        .await?
        .len();
    rows += M59::query()
        .filter(M59::active.eq(true))
        .with(M59::children)
        .with(M59::parent)
        .all(db)
        .await?
        .len();
    rows += M60::query()
        .filter(M60::active.eq(true))
        .with(M60::children)
        .with(M60::parent)
        .all(db)
        .await?
        .len();
    rows += M61::query()
        .filter(M61::active.eq(true))
        .with(M61::children)
        .with(M61::parent)
        .all(db)
        .await?
        .len();
    rows += M62::query()
        .filter(M62::active.eq(true))
        .with(M62::children)
        .with(M62::parent)
        .all(db)
        .await?
        .len();
    rows += M63::query()
        .filter(M63::active.eq(true))
        .with(M63::children)
        .with(M63::parent)
        .all(db)
        .await?
        .len();
    rows += M64::query()
        .filter(M64::active.eq(true))
        .with(M64::children)
        .with(M64::parent)
        .all(db)
        .await?
        .len();
    rows += M65::query()
        .filter(M65::active.eq(true))
        .with(M65::children)
        .with(M65::parent)
        .all(db)
        .await?
        .len();
    rows += M66::query()
        .filter(M66::active.eq(true))
        .with(M66::children)
        .with(M66::parent)
        .all(db)
        .await?
        .len();
    rows += M67::query()
        .filter(M67::active.eq(true))
        .with(M67::children)
        .with(M67::parent)
        .all(db)
        .await?
        .len();
    rows += M68::query()
        .filter(M68::active.eq(true))
        .with(M68::children)
        .with(M68::parent)
        .all(db)
        .await?
        .len();
    rows += M69::query()
        .filter(M69::active.eq(true))
        .with(M69::children)
        .with(M69::parent)
        .all(db)
        .await?
        .len();
    rows += M70::query()
        .filter(M70::active.eq(true))
        .with(M70::children)
        .with(M70::parent)
        .all(db)
        .await?
        .len();
    rows += M71::query()
        .filter(M71::active.eq(true))
        .with(M71::children)
        .with(M71::parent)
        .all(db)
        .await?
        .len();
    rows += M72::query()
        .filter(M72::active.eq(true))
        .with(M72::children)
        .with(M72::parent)
        .all(db)
        .await?
        .len();
    rows += M73::query()
        .filter(M73::active.eq(true))
        .with(M73::children)
        .with(M73::parent)
        .all(db)
        .await?
        .len();
    rows += M74::query()
        .filter(M74::active.eq(true))
        .with(M74::children)
        .with(M74::parent)
        .all(db)
        .await?
        .len();
    rows += M75::query()
        .filter(M75::active.eq(true))
        .with(M75::children)
        .with(M75::parent)
        .all(db)
        .await?
        .len();
    rows += M76::query()
        .filter(M76::active.eq(true))
        .with(M76::children)
        .with(M76::parent)
        .all(db)
        .await?
        .len();
    rows += M77::query()
        .filter(M77::active.eq(true))
        .with(M77::children)
        .with(M77::parent)
        .all(db)
        .await?
        .len();
    rows += M78::query()
        .filter(M78::active.eq(true))
        .with(M78::children)
        .with(M78::parent)
        .all(db)
        .await?
        .len();
    rows += M79::query()
        .filter(M79::active.eq(true))
        .with(M79::children)
        .with(M79::parent)
        .all(db)
        .await?
        .len();
    rows += M80::query()
        .filter(M80::active.eq(true))
        .with(M80::children)
        .with(M80::parent)
        .all(db)
        .await?
        .len();
    rows += M81::query()
        .filter(M81::active.eq(true))
        .with(M81::children)
        .with(M81::parent)
        .all(db)
        .await?
        .len();
    rows += M82::query()
        .filter(M82::active.eq(true))
        .with(M82::children)
        .with(M82::parent)
        .all(db)
        .await?
        .len();
    rows += M83::query()
        .filter(M83::active.eq(true))
        .with(M83::children)
        .with(M83::parent)
        .all(db)
        .await?
        .len();
    rows += M84::query()
        .filter(M84::active.eq(true))
        .with(M84::children)
        .with(M84::parent)
        .all(db)
        .await?
        .len();
    rows += M85::query()
        .filter(M85::active.eq(true))
        .with(M85::children)
        .with(M85::parent)
        .all(db)
        .await?
        .len();
    rows += M86::query()
        .filter(M86::active.eq(true))
        .with(M86::children)
        .with(M86::parent)
        .all(db)
        .await?
        .len();
    rows += M87::query()
        .filter(M87::active.eq(true))
        .with(M87::children)
        .with(M87::parent)
        .all(db)
        .await?
        .len();
    rows += M88::query()
        .filter(M88::active.eq(true))
        .with(M88::children)
        .with(M88::parent)
        .all(db)
        .await?
        .len();
    rows += M89::query()
        .filter(M89::active.eq(true))
        .with(M89::children)
        .with(M89::parent)
        .all(db)
        .await?
        .len();
    rows += M90::query()
        .filter(M90::active.eq(true))
        .with(M90::children)
        .with(M90::parent)
        .all(db)
        .await?
        .len();
    rows += M91::query()
        .filter(M91::active.eq(true))
        .with(M91::children)
        .with(M91::parent)
        .all(db)
        .await?
        .len();
    rows += M92::query()
        .filter(M92::active.eq(true))
        .with(M92::children)
        .with(M92::parent)
        .all(db)
        .await?
        .len();
    rows += M93::query()
        .filter(M93::active.eq(true))
        .with(M93::children)
        .with(M93::parent)
        .all(db)
        .await?
        .len();
    rows += M94::query()
        .filter(M94::active.eq(true))
        .with(M94::children)
        .with(M94::parent)
        .all(db)
        .await?
        .len();
    rows += M95::query()
        .filter(M95::active.eq(true))
        .with(M95::children)
        .with(M95::parent)
        .all(db)
        .await?
        .len();
    rows += M96::query()
        .filter(M96::active.eq(true))
        .with(M96::children)
        .with(M96::parent)
        .all(db)
        .await?
        .len();
    rows += M97::query()
        .filter(M97::active.eq(true))
        .with(M97::children)
        .with(M97::parent)
        .all(db)
        .await?
        .len();
    rows += M98::query()
        .filter(M98::active.eq(true))
        .with(M98::children)
        .with(M98::parent)
        .all(db)
        .await?
        .len();
    rows += M99::query()
        .filter(M99::active.eq(true))
        .with(M99::children)
        .with(M99::parent)
        .all(db)
        .await?
        .len();
    rows += M100::query()
        .filter(M100::active.eq(true))
        .with(M100::children)
        .with(M100::parent)
        .all(db)
        .await?
        .len();
    rows += M101::query()
        .filter(M101::active.eq(true))
        .with(M101::children)
        .with(M101::parent)
        .all(db)
        .await?
        .len();
    rows += M102::query()
        .filter(M102::active.eq(true))
        .with(M102::children)
        .with(M102::parent)
        .all(db)
        .await?
        .len();
    rows += M103::query()
        .filter(M103::active.eq(true))
        .with(M103::children)
        .with(M103::parent)
        .all(db)
        .await?
        .len();
    rows += M104::query()
        .filter(M104::active.eq(true))
        .with(M104::children)
        .with(M104::parent)
        .all(db)
        .await?
        .len();
    rows += M105::query()
        .filter(M105::active.eq(true))
        .with(M105::children)
        .with(M105::parent)
        .all(db)
        .await?
        .len();
    rows += M106::query()
        .filter(M106::active.eq(true))
        .with(M106::children)
        .with(M106::parent)
        .all(db)
        .await?
        .len();
    rows += M107::query()
        .filter(M107::active.eq(true))
        .with(M107::children)
        .with(M107::parent)
        .all(db)
        .await?
        .len();
    rows += M108::query()
        .filter(M108::active.eq(true))
        .with(M108::children)
        .with(M108::parent)
        .all(db)
        .await?
        .len();
    rows += M109::query()
        .filter(M109::active.eq(true))
        .with(M109::children)
        .with(M109::parent)
        .all(db)
        .await?
        .len();
    rows += M110::query()
        .filter(M110::active.eq(true))
        .with(M110::children)
        .with(M110::parent)
        .all(db)
        .await?
        .len();
    rows += M111::query()
        .filter(M111::active.eq(true))
        .with(M111::children)
        .with(M111::parent)
        .all(db)
        .await?
        .len();
    rows += M112::query()
        .filter(M112::active.eq(true))
        .with(M112::children)
        .with(M112::parent)
        .all(db)
        .await?
        .len();
    rows += M113::query()
        .filter(M113::active.eq(true))
        .with(M113::children)
        .with(M113::parent)
        .all(db)
        .await?
        .len();
    rows += M114::query()
        .filter(M114::active.eq(true))
        .with(M114::children)
        .with(M114::parent)
        .all(db)
        .await?
        .len();
    rows += M115::query()
        .filter(M115::active.eq(true))
        .with(M115::children)
        .with(M115::parent)
        .all(db)
        .await?
        .len();
    rows += M116::query()
        .filter(M116::active.eq(true))
        .with(M116::children)
        .with(M116::parent)
        .all(db)
        .await?
        .len();
    rows += M117::query()
        .filter(M117::active.eq(true))
        .with(M117::children)
        .with(M117::parent)
        .all(db)
        .await?
        .len();
    rows += M118::query()
        .filter(M118::active.eq(true))
        .with(M118::children)
        .with(M118::parent)
        .all(db)
        .await?
        .len();
    rows += M119::query()
        .filter(M119::active.eq(true))
        .with(M119::children)
        .with(M119::parent)
        .all(db)
        .await?
        .len();
    rows += M120::query()
        .filter(M120::active.eq(true))
        .with(M120::children)
        .with(M120::parent)
        .all(db)
        .await?
        .len();
    rows += M121::query()
        .filter(M121::active.eq(true))
        .with(M121::children)
        .with(M121::parent)
        .all(db)
        .await?
        .len();
    rows += M122::query()
        .filter(M122::active.eq(true))
        .with(M122::children)
        .with(M122::parent)
        .all(db)
        .await?
        .len();
    rows += M123::query()
        .filter(M123::active.eq(true))
        .with(M123::children)
        .with(M123::parent)
        .all(db)
        .await?
        .len();
    rows += M124::query()
        .filter(M124::active.eq(true))
        .with(M124::children)
        .with(M124::parent)
        .all(db)
        .await?
        .len();
    rows += M125::query()
        .filter(M125::active.eq(true))
        .with(M125::children)
        .with(M125::parent)
        .all(db)
        .await?
        .len();
    rows += M126::query()
        .filter(M126::active.eq(true))
        .with(M126::children)
        .with(M126::parent)
        .all(db)
        .await?
        .len();
    rows += M127::query()
        .filter(M127::active.eq(true))
        .with(M127::children)
        .with(M127::parent)
        .all(db)
        .await?
        .len();
    rows += M128::query()
        .filter(M128::active.eq(true))
        .with(M128::children)
        .with(M128::parent)
        .all(db)
        .await?
        .len();
    rows += M129::query()
        .filter(M129::active.eq(true))
        .with(M129::children)
        .with(M129::parent)
        .all(db)
        .await?
        .len();
    rows += M130::query()
        .filter(M130::active.eq(true))
        .with(M130::children)
        .with(M130::parent)
        .all(db)
        .await?
        .len();
    rows += M131::query()
        .filter(M131::active.eq(true))
        .with(M131::children)
        .with(M131::parent)
        .all(db)
        .await?
        .len();
    rows += M132::query()
        .filter(M132::active.eq(true))
        .with(M132::children)
        .with(M132::parent)
        .all(db)
        .await?
        .len();
    rows += M133::query()
        .filter(M133::active.eq(true))
        .with(M133::children)
        .with(M133::parent)
        .all(db)
        .await?
        .len();
    rows += M134::query()
        .filter(M134::active.eq(true))
        .with(M134::children)
        .with(M134::parent)
        .all(db)
        .await?
        .len();
    rows += M135::query()
        .filter(M135::active.eq(true))
        .with(M135::children)
        .with(M135::parent)
        .all(db)
        .await?
        .len();
    rows += M136::query()
        .filter(M136::active.eq(true))
        .with(M136::children)
        .with(M136::parent)
        .all(db)
        .await?
        .len();
    rows += M137::query()
        .filter(M137::active.eq(true))
        .with(M137::children)
        .with(M137::parent)
        .all(db)
        .await?
        .len();
    rows += M138::query()
        .filter(M138::active.eq(true))
        .with(M138::children)
        .with(M138::parent)
        .all(db)
        .await?
        .len();
    rows += M139::query()
        .filter(M139::active.eq(true))
        .with(M139::parent)
        .all(db)
        .await?
        .len();
    Ok(rows)
}
