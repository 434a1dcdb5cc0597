//! The models the golden tests render statements for.

use orm::prelude::*;

/// The quickstart's user: autoincrement key, unique email, an optional column, a literal
/// default and both maintained timestamps.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique, max_length = 255)]
    pub email: String,
    #[orm(max_length = 100)]
    pub name: String,
    pub bio: Option<String>,
    #[orm(default = true)]
    pub is_active: bool,
    pub age: Option<i32>,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

/// A post of a user, with a decimal price; no maintained timestamps.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "posts", index(columns = ["user_id", "published_at"]))]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = User, on_delete = "cascade", index)]
    pub user_id: i64,
    #[orm(max_length = 200)]
    pub title: String,
    pub body: String,
    #[orm(numeric(10, 2))]
    pub price: Decimal,
    pub published_at: Option<DateTime<Utc>>,
}

/// A small model, so that filter goldens stay readable.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "items")]
pub struct Item {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub note: Option<String>,
    pub qty: Option<i32>,
}

/// Every attribute the derive knows.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(
    table = "products",
    index(columns = ["owner_id", "sku"]),
    index(columns = ["display_name"], unique, name = "ux_products_name"),
    check(name = "price_positive", condition = Product::price.gt(Decimal::new(1, 2))),
    check(name = "stock_not_negative", expr = "stock >= 0")
)]
pub struct Product {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = User, on_delete = "cascade", on_update = "restrict", index)]
    pub owner_id: i64,
    #[orm(references = User, on_delete = "set null")]
    pub reviewer_id: Option<i64>,
    #[orm(unique, max_length = 64)]
    pub sku: String,
    #[orm(column = "display_name", max_length = 120)]
    pub title: String,
    pub description: Option<String>,
    #[orm(numeric(10, 2))]
    pub price: Decimal,
    #[orm(numeric(5, 4))]
    pub discount: Option<Decimal>,
    #[orm(default = 0)]
    pub stock: i32,
    #[orm(default = -1)]
    pub rank: i16,
    #[orm(default = 1.5)]
    pub weight: f64,
    #[orm(default = "it's new")]
    pub status: String,
    #[orm(default = false)]
    pub archived: bool,
    #[orm(server_default = "lower('ABC')")]
    pub code: String,
    #[orm(json)]
    pub attributes: serde_json::Value,
    #[orm(jsonb)]
    pub tags: Option<Json<Vec<String>>>,
    pub extra: Option<serde_json::Value>,
    pub image: Option<Vec<u8>>,
    pub release_date: Option<NaiveDate>,
    pub opens_at: Option<NaiveTime>,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: NaiveDateTime,
    #[orm(skip)]
    pub cached_score: Option<f32>,
}

/// A composite primary key declared on the struct.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "memberships", primary_key(user_id, group_id))]
pub struct Membership {
    #[orm(references = User)]
    pub user_id: i64,
    pub group_id: i32,
    pub role: String,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

/// A client-generated UUID key.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "documents")]
pub struct Document {
    #[orm(primary_key)]
    pub id: Uuid,
    pub title: String,
    pub owner_id: Option<i64>,
}

/// Identifiers that need quoting: a double quote in the table name, a keyword as a column.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "we\"ird")]
pub struct Weird {
    #[orm(primary_key, column = "order")]
    pub id: i64,
    pub select: String,
    #[orm(column = "quo\"ted")]
    pub quoted: Option<String>,
}

/// Three columns, for insert chunking.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "events")]
pub struct Event {
    #[orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub payload: i64,
    pub seen: bool,
}

/// A composite key declared in an order other than the fields'.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "grants", primary_key(scope, user_id))]
pub struct Grant {
    pub user_id: i64,
    pub scope: String,
    pub level: i32,
}

/// Every column generated: inserts send `DEFAULT VALUES`.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "ticks")]
pub struct Tick {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
}

/// An employee and their manager: a foreign key to its own table, for aliases and self-joins.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "employees")]
pub struct Employee {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(references = Employee)]
    pub manager_id: Option<i64>,
    pub salary: i64,
}

/// A tree of categories, for recursive common table expressions.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "categories")]
pub struct Category {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Category)]
    pub parent_id: Option<i64>,
    pub name: String,
}

/// Where `INSERT .. SELECT` copies posts to.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "archives")]
pub struct Archive {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique)]
    pub title: String,
}

/// Float, small-integer and zone-less timestamp columns, for aggregates and `date_trunc`.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "readings")]
pub struct Reading {
    #[orm(primary_key)]
    pub id: i64,
    pub sensor: String,
    pub value: f32,
    pub precise: f64,
    pub level: i16,
    pub taken_at: NaiveDateTime,
}
