//! Models shared by the integration tests.

use orm::prelude::*;
use serde::{Deserialize, Serialize};

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
    #[orm(default = 0)]
    pub karma: i32,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

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

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "tags")]
pub struct Tag {
    #[orm(primary_key)]
    pub id: i32,
    #[orm(unique)]
    pub label: String,
}

/// A junction table with a composite key and restrictive foreign keys.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "post_tags", primary_key(post_id, tag_id))]
pub struct PostTag {
    #[orm(references = Post, on_delete = "cascade")]
    pub post_id: i64,
    #[orm(references = Tag, on_delete = "restrict")]
    pub tag_id: i32,
    #[orm(default = 1)]
    pub weight: i16,
}

/// A check constraint and a UUID key generated on the client.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(
    table = "accounts",
    check(name = "balance_not_negative", expr = "balance >= 0")
)]
pub struct Account {
    #[orm(primary_key)]
    pub id: Uuid,
    #[orm(max_length = 50)]
    pub owner: String,
    pub balance: i64,
    #[orm(skip)]
    pub cached_note: String,
}

/// A serde type stored as JSON.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Settings {
    pub theme: String,
    pub font_size: u8,
}

/// Every supported type, required and optional.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "all_types")]
pub struct AllTypes {
    #[orm(primary_key)]
    pub id: i64,
    pub a_bool: bool,
    pub a_i16: i16,
    pub a_i32: i32,
    pub a_i64: i64,
    pub a_f32: f32,
    pub a_f64: f64,
    pub a_text: String,
    #[orm(max_length = 20)]
    pub a_varchar: String,
    pub a_bytes: Vec<u8>,
    #[orm(numeric(18, 4))]
    pub a_decimal: Decimal,
    pub a_datetime: DateTime<Utc>,
    pub a_naive_datetime: NaiveDateTime,
    pub a_date: NaiveDate,
    pub a_time: NaiveTime,
    pub a_uuid: Uuid,
    pub a_json: serde_json::Value,
    #[orm(json)]
    pub a_plain_json: serde_json::Value,
    pub a_settings: Json<Settings>,
    pub o_bool: Option<bool>,
    pub o_i16: Option<i16>,
    pub o_i32: Option<i32>,
    pub o_i64: Option<i64>,
    pub o_f32: Option<f32>,
    pub o_f64: Option<f64>,
    pub o_text: Option<String>,
    pub o_bytes: Option<Vec<u8>>,
    #[orm(numeric(10, 2))]
    pub o_decimal: Option<Decimal>,
    pub o_datetime: Option<DateTime<Utc>>,
    pub o_naive_datetime: Option<NaiveDateTime>,
    pub o_date: Option<NaiveDate>,
    pub o_time: Option<NaiveTime>,
    pub o_uuid: Option<Uuid>,
    pub o_json: Option<serde_json::Value>,
    pub o_settings: Option<Json<Settings>>,
}

/// Names that need quoting: a reserved word, an embedded quote, a space.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "order \"items\"")]
pub struct Awkward {
    #[orm(primary_key, column = "select")]
    pub id: i64,
    #[orm(column = "from \"x\"")]
    pub from_x: String,
    #[orm(column = "group", unique)]
    pub group_name: String,
}

/// Two models over one table: `Strict` creates it with NOT NULL, `Loose` can send NULL.
#[derive(Model, Debug, Clone)]
#[orm(table = "strict_things")]
pub struct Strict {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub code: String,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "strict_things")]
pub struct Loose {
    #[orm(primary_key)]
    pub id: i64,
    pub name: Option<String>,
    pub code: Option<String>,
}

/// Reads `strict_things.code` as an integer, to provoke a decode error.
#[derive(Model, Debug, Clone)]
#[orm(table = "strict_things")]
pub struct Misread {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub code: i64,
}

/// Generated code must compile where common names are shadowed.
#[allow(dead_code, non_camel_case_types)]
pub mod hygiene {
    type Result<T> = ::std::result::Result<T, ()>;
    struct Vec;
    struct Send;
    struct Box;
    struct Some;
    struct None;
    struct Ok;
    struct Err;
    struct Default;
    struct Clone;
    struct Debug;
    mod core {}
    mod std {}
    mod orm {}

    #[derive(::orm::Model, ::std::fmt::Debug, ::std::clone::Clone)]
    #[orm(table = "hygienic")]
    pub struct Hygienic {
        #[orm(primary_key)]
        pub id: i64,
        #[orm(default = "x", max_length = 10)]
        pub name: ::std::string::String,
        pub note: ::std::option::Option<::std::string::String>,
    }
}

/// A column filled by a server-side default.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "drafts")]
pub struct Draft {
    #[orm(primary_key)]
    pub id: i64,
    pub title: String,
    #[orm(server_default = "'draft'", max_length = 20)]
    pub status: String,
    #[orm(server_default = "42")]
    pub priority: i32,
}

pub fn blog_schema() -> Schema {
    schema![User, Post, Tag, PostTag, Account]
}

pub fn new_user(n: usize) -> NewUser {
    NewUser {
        email: format!("user{n}@example.com"),
        name: format!("User {n}"),
        ..Default::default()
    }
}
