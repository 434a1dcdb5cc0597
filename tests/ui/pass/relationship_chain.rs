//! Forty models in a relationship chain, each also linked to its grandparent, compile with no
//! `recursion_limit` attribute (proving `Send` of a model used to walk the whole chain: ten
//! models overflowed). Generated: m(i) belongs to m(i-1) and (optionally) m(i-2), and has many
//! of m(i+1) and m(i+2).

use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "m0")]
pub struct M0 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(has_many(foreign_key = "m0_ref"))]
    pub grandchildren: HasMany<M2>,
    #[orm(has_many(foreign_key = "m0_id"))]
    pub children: HasMany<M1>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m1")]
pub struct M1 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m0_id: i64,
    #[orm(belongs_to(foreign_key = "m0_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M0>,
    #[orm(has_many(foreign_key = "m1_ref"))]
    pub grandchildren: HasMany<M3>,
    #[orm(has_many(foreign_key = "m1_id"))]
    pub children: HasMany<M2>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m2")]
pub struct M2 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m1_id: i64,
    #[orm(belongs_to(foreign_key = "m1_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M1>,
    pub m0_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m0_ref"))]
    pub grandparent: BelongsTo<Option<M0>>,
    #[orm(has_many(foreign_key = "m2_ref"))]
    pub grandchildren: HasMany<M4>,
    #[orm(has_many(foreign_key = "m2_id"))]
    pub children: HasMany<M3>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m3")]
pub struct M3 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m2_id: i64,
    #[orm(belongs_to(foreign_key = "m2_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M2>,
    pub m1_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m1_ref"))]
    pub grandparent: BelongsTo<Option<M1>>,
    #[orm(has_many(foreign_key = "m3_ref"))]
    pub grandchildren: HasMany<M5>,
    #[orm(has_many(foreign_key = "m3_id"))]
    pub children: HasMany<M4>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m4")]
pub struct M4 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m3_id: i64,
    #[orm(belongs_to(foreign_key = "m3_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M3>,
    pub m2_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m2_ref"))]
    pub grandparent: BelongsTo<Option<M2>>,
    #[orm(has_many(foreign_key = "m4_ref"))]
    pub grandchildren: HasMany<M6>,
    #[orm(has_many(foreign_key = "m4_id"))]
    pub children: HasMany<M5>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m5")]
pub struct M5 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m4_id: i64,
    #[orm(belongs_to(foreign_key = "m4_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M4>,
    pub m3_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m3_ref"))]
    pub grandparent: BelongsTo<Option<M3>>,
    #[orm(has_many(foreign_key = "m5_ref"))]
    pub grandchildren: HasMany<M7>,
    #[orm(has_many(foreign_key = "m5_id"))]
    pub children: HasMany<M6>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m6")]
pub struct M6 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m5_id: i64,
    #[orm(belongs_to(foreign_key = "m5_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M5>,
    pub m4_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m4_ref"))]
    pub grandparent: BelongsTo<Option<M4>>,
    #[orm(has_many(foreign_key = "m6_ref"))]
    pub grandchildren: HasMany<M8>,
    #[orm(has_many(foreign_key = "m6_id"))]
    pub children: HasMany<M7>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m7")]
pub struct M7 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m6_id: i64,
    #[orm(belongs_to(foreign_key = "m6_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M6>,
    pub m5_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m5_ref"))]
    pub grandparent: BelongsTo<Option<M5>>,
    #[orm(has_many(foreign_key = "m7_ref"))]
    pub grandchildren: HasMany<M9>,
    #[orm(has_many(foreign_key = "m7_id"))]
    pub children: HasMany<M8>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m8")]
pub struct M8 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m7_id: i64,
    #[orm(belongs_to(foreign_key = "m7_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M7>,
    pub m6_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m6_ref"))]
    pub grandparent: BelongsTo<Option<M6>>,
    #[orm(has_many(foreign_key = "m8_ref"))]
    pub grandchildren: HasMany<M10>,
    #[orm(has_many(foreign_key = "m8_id"))]
    pub children: HasMany<M9>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m9")]
pub struct M9 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m8_id: i64,
    #[orm(belongs_to(foreign_key = "m8_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M8>,
    pub m7_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m7_ref"))]
    pub grandparent: BelongsTo<Option<M7>>,
    #[orm(has_many(foreign_key = "m9_ref"))]
    pub grandchildren: HasMany<M11>,
    #[orm(has_many(foreign_key = "m9_id"))]
    pub children: HasMany<M10>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m10")]
pub struct M10 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m9_id: i64,
    #[orm(belongs_to(foreign_key = "m9_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M9>,
    pub m8_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m8_ref"))]
    pub grandparent: BelongsTo<Option<M8>>,
    #[orm(has_many(foreign_key = "m10_ref"))]
    pub grandchildren: HasMany<M12>,
    #[orm(has_many(foreign_key = "m10_id"))]
    pub children: HasMany<M11>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m11")]
pub struct M11 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m10_id: i64,
    #[orm(belongs_to(foreign_key = "m10_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M10>,
    pub m9_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m9_ref"))]
    pub grandparent: BelongsTo<Option<M9>>,
    #[orm(has_many(foreign_key = "m11_ref"))]
    pub grandchildren: HasMany<M13>,
    #[orm(has_many(foreign_key = "m11_id"))]
    pub children: HasMany<M12>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m12")]
pub struct M12 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m11_id: i64,
    #[orm(belongs_to(foreign_key = "m11_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M11>,
    pub m10_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m10_ref"))]
    pub grandparent: BelongsTo<Option<M10>>,
    #[orm(has_many(foreign_key = "m12_ref"))]
    pub grandchildren: HasMany<M14>,
    #[orm(has_many(foreign_key = "m12_id"))]
    pub children: HasMany<M13>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m13")]
pub struct M13 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m12_id: i64,
    #[orm(belongs_to(foreign_key = "m12_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M12>,
    pub m11_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m11_ref"))]
    pub grandparent: BelongsTo<Option<M11>>,
    #[orm(has_many(foreign_key = "m13_ref"))]
    pub grandchildren: HasMany<M15>,
    #[orm(has_many(foreign_key = "m13_id"))]
    pub children: HasMany<M14>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m14")]
pub struct M14 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m13_id: i64,
    #[orm(belongs_to(foreign_key = "m13_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M13>,
    pub m12_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m12_ref"))]
    pub grandparent: BelongsTo<Option<M12>>,
    #[orm(has_many(foreign_key = "m14_ref"))]
    pub grandchildren: HasMany<M16>,
    #[orm(has_many(foreign_key = "m14_id"))]
    pub children: HasMany<M15>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m15")]
pub struct M15 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m14_id: i64,
    #[orm(belongs_to(foreign_key = "m14_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M14>,
    pub m13_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m13_ref"))]
    pub grandparent: BelongsTo<Option<M13>>,
    #[orm(has_many(foreign_key = "m15_ref"))]
    pub grandchildren: HasMany<M17>,
    #[orm(has_many(foreign_key = "m15_id"))]
    pub children: HasMany<M16>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m16")]
pub struct M16 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m15_id: i64,
    #[orm(belongs_to(foreign_key = "m15_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M15>,
    pub m14_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m14_ref"))]
    pub grandparent: BelongsTo<Option<M14>>,
    #[orm(has_many(foreign_key = "m16_ref"))]
    pub grandchildren: HasMany<M18>,
    #[orm(has_many(foreign_key = "m16_id"))]
    pub children: HasMany<M17>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m17")]
pub struct M17 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m16_id: i64,
    #[orm(belongs_to(foreign_key = "m16_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M16>,
    pub m15_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m15_ref"))]
    pub grandparent: BelongsTo<Option<M15>>,
    #[orm(has_many(foreign_key = "m17_ref"))]
    pub grandchildren: HasMany<M19>,
    #[orm(has_many(foreign_key = "m17_id"))]
    pub children: HasMany<M18>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m18")]
pub struct M18 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m17_id: i64,
    #[orm(belongs_to(foreign_key = "m17_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M17>,
    pub m16_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m16_ref"))]
    pub grandparent: BelongsTo<Option<M16>>,
    #[orm(has_many(foreign_key = "m18_ref"))]
    pub grandchildren: HasMany<M20>,
    #[orm(has_many(foreign_key = "m18_id"))]
    pub children: HasMany<M19>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m19")]
pub struct M19 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m18_id: i64,
    #[orm(belongs_to(foreign_key = "m18_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M18>,
    pub m17_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m17_ref"))]
    pub grandparent: BelongsTo<Option<M17>>,
    #[orm(has_many(foreign_key = "m19_ref"))]
    pub grandchildren: HasMany<M21>,
    #[orm(has_many(foreign_key = "m19_id"))]
    pub children: HasMany<M20>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m20")]
pub struct M20 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m19_id: i64,
    #[orm(belongs_to(foreign_key = "m19_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M19>,
    pub m18_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m18_ref"))]
    pub grandparent: BelongsTo<Option<M18>>,
    #[orm(has_many(foreign_key = "m20_ref"))]
    pub grandchildren: HasMany<M22>,
    #[orm(has_many(foreign_key = "m20_id"))]
    pub children: HasMany<M21>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m21")]
pub struct M21 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m20_id: i64,
    #[orm(belongs_to(foreign_key = "m20_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M20>,
    pub m19_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m19_ref"))]
    pub grandparent: BelongsTo<Option<M19>>,
    #[orm(has_many(foreign_key = "m21_ref"))]
    pub grandchildren: HasMany<M23>,
    #[orm(has_many(foreign_key = "m21_id"))]
    pub children: HasMany<M22>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m22")]
pub struct M22 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m21_id: i64,
    #[orm(belongs_to(foreign_key = "m21_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M21>,
    pub m20_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m20_ref"))]
    pub grandparent: BelongsTo<Option<M20>>,
    #[orm(has_many(foreign_key = "m22_ref"))]
    pub grandchildren: HasMany<M24>,
    #[orm(has_many(foreign_key = "m22_id"))]
    pub children: HasMany<M23>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m23")]
pub struct M23 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m22_id: i64,
    #[orm(belongs_to(foreign_key = "m22_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M22>,
    pub m21_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m21_ref"))]
    pub grandparent: BelongsTo<Option<M21>>,
    #[orm(has_many(foreign_key = "m23_ref"))]
    pub grandchildren: HasMany<M25>,
    #[orm(has_many(foreign_key = "m23_id"))]
    pub children: HasMany<M24>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m24")]
pub struct M24 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m23_id: i64,
    #[orm(belongs_to(foreign_key = "m23_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M23>,
    pub m22_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m22_ref"))]
    pub grandparent: BelongsTo<Option<M22>>,
    #[orm(has_many(foreign_key = "m24_ref"))]
    pub grandchildren: HasMany<M26>,
    #[orm(has_many(foreign_key = "m24_id"))]
    pub children: HasMany<M25>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m25")]
pub struct M25 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m24_id: i64,
    #[orm(belongs_to(foreign_key = "m24_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M24>,
    pub m23_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m23_ref"))]
    pub grandparent: BelongsTo<Option<M23>>,
    #[orm(has_many(foreign_key = "m25_ref"))]
    pub grandchildren: HasMany<M27>,
    #[orm(has_many(foreign_key = "m25_id"))]
    pub children: HasMany<M26>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m26")]
pub struct M26 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m25_id: i64,
    #[orm(belongs_to(foreign_key = "m25_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M25>,
    pub m24_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m24_ref"))]
    pub grandparent: BelongsTo<Option<M24>>,
    #[orm(has_many(foreign_key = "m26_ref"))]
    pub grandchildren: HasMany<M28>,
    #[orm(has_many(foreign_key = "m26_id"))]
    pub children: HasMany<M27>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m27")]
pub struct M27 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m26_id: i64,
    #[orm(belongs_to(foreign_key = "m26_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M26>,
    pub m25_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m25_ref"))]
    pub grandparent: BelongsTo<Option<M25>>,
    #[orm(has_many(foreign_key = "m27_ref"))]
    pub grandchildren: HasMany<M29>,
    #[orm(has_many(foreign_key = "m27_id"))]
    pub children: HasMany<M28>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m28")]
pub struct M28 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m27_id: i64,
    #[orm(belongs_to(foreign_key = "m27_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M27>,
    pub m26_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m26_ref"))]
    pub grandparent: BelongsTo<Option<M26>>,
    #[orm(has_many(foreign_key = "m28_ref"))]
    pub grandchildren: HasMany<M30>,
    #[orm(has_many(foreign_key = "m28_id"))]
    pub children: HasMany<M29>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m29")]
pub struct M29 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m28_id: i64,
    #[orm(belongs_to(foreign_key = "m28_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M28>,
    pub m27_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m27_ref"))]
    pub grandparent: BelongsTo<Option<M27>>,
    #[orm(has_many(foreign_key = "m29_ref"))]
    pub grandchildren: HasMany<M31>,
    #[orm(has_many(foreign_key = "m29_id"))]
    pub children: HasMany<M30>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m30")]
pub struct M30 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m29_id: i64,
    #[orm(belongs_to(foreign_key = "m29_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M29>,
    pub m28_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m28_ref"))]
    pub grandparent: BelongsTo<Option<M28>>,
    #[orm(has_many(foreign_key = "m30_ref"))]
    pub grandchildren: HasMany<M32>,
    #[orm(has_many(foreign_key = "m30_id"))]
    pub children: HasMany<M31>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m31")]
pub struct M31 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m30_id: i64,
    #[orm(belongs_to(foreign_key = "m30_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M30>,
    pub m29_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m29_ref"))]
    pub grandparent: BelongsTo<Option<M29>>,
    #[orm(has_many(foreign_key = "m31_ref"))]
    pub grandchildren: HasMany<M33>,
    #[orm(has_many(foreign_key = "m31_id"))]
    pub children: HasMany<M32>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m32")]
pub struct M32 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m31_id: i64,
    #[orm(belongs_to(foreign_key = "m31_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M31>,
    pub m30_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m30_ref"))]
    pub grandparent: BelongsTo<Option<M30>>,
    #[orm(has_many(foreign_key = "m32_ref"))]
    pub grandchildren: HasMany<M34>,
    #[orm(has_many(foreign_key = "m32_id"))]
    pub children: HasMany<M33>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m33")]
pub struct M33 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m32_id: i64,
    #[orm(belongs_to(foreign_key = "m32_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M32>,
    pub m31_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m31_ref"))]
    pub grandparent: BelongsTo<Option<M31>>,
    #[orm(has_many(foreign_key = "m33_ref"))]
    pub grandchildren: HasMany<M35>,
    #[orm(has_many(foreign_key = "m33_id"))]
    pub children: HasMany<M34>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m34")]
pub struct M34 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m33_id: i64,
    #[orm(belongs_to(foreign_key = "m33_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M33>,
    pub m32_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m32_ref"))]
    pub grandparent: BelongsTo<Option<M32>>,
    #[orm(has_many(foreign_key = "m34_ref"))]
    pub grandchildren: HasMany<M36>,
    #[orm(has_many(foreign_key = "m34_id"))]
    pub children: HasMany<M35>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m35")]
pub struct M35 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m34_id: i64,
    #[orm(belongs_to(foreign_key = "m34_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M34>,
    pub m33_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m33_ref"))]
    pub grandparent: BelongsTo<Option<M33>>,
    #[orm(has_many(foreign_key = "m35_ref"))]
    pub grandchildren: HasMany<M37>,
    #[orm(has_many(foreign_key = "m35_id"))]
    pub children: HasMany<M36>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m36")]
pub struct M36 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m35_id: i64,
    #[orm(belongs_to(foreign_key = "m35_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M35>,
    pub m34_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m34_ref"))]
    pub grandparent: BelongsTo<Option<M34>>,
    #[orm(has_many(foreign_key = "m36_ref"))]
    pub grandchildren: HasMany<M38>,
    #[orm(has_many(foreign_key = "m36_id"))]
    pub children: HasMany<M37>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m37")]
pub struct M37 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m36_id: i64,
    #[orm(belongs_to(foreign_key = "m36_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M36>,
    pub m35_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m35_ref"))]
    pub grandparent: BelongsTo<Option<M35>>,
    #[orm(has_many(foreign_key = "m37_ref"))]
    pub grandchildren: HasMany<M39>,
    #[orm(has_many(foreign_key = "m37_id"))]
    pub children: HasMany<M38>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m38")]
pub struct M38 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m37_id: i64,
    #[orm(belongs_to(foreign_key = "m37_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M37>,
    pub m36_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m36_ref"))]
    pub grandparent: BelongsTo<Option<M36>>,
    #[orm(has_many(foreign_key = "m38_id"))]
    pub children: HasMany<M39>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "m39")]
pub struct M39 {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub m38_id: i64,
    #[orm(belongs_to(foreign_key = "m38_id", on_delete = "cascade"))]
    pub parent: BelongsTo<M38>,
    pub m37_ref: Option<i64>,
    #[orm(belongs_to(foreign_key = "m37_ref"))]
    pub grandparent: BelongsTo<Option<M37>>,
}

#[tokio::main]
async fn main() -> orm::Result<()> {
    let db = Database::connect("sqlite::memory:").await?;
    db.create_all(&schema![
        M0, M1, M2, M3, M4, M5, M6, M7, M8, M9, M10, M11, M12, M13, M14, M15, M16, M17, M18, M19,
        M20, M21, M22, M23, M24, M25, M26, M27, M28, M29, M30, M31, M32, M33, M34, M35, M36, M37,
        M38, M39
    ])
    .await?;
    let root = NewM0 {
        name: "root".into(),
    }
    .insert(&db)
    .await?;
    let _ = NewM1 {
        name: "one".into(),
        m0_id: root.id,
    }
    .insert(&db)
    .await?;
    let task_db = db.clone();
    let loaded = tokio::spawn(async move {
        M0::query()
            .with(M0::children.with(M1::parent))
            .all(&task_db)
            .await
    })
    .await
    .expect("task")?;
    assert_eq!(loaded[0].children.get()?.len(), 1);
    Ok(())
}
