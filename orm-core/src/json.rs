//! Typed access into JSON columns: paths (`Post::meta.get("author").get(0)`), values as
//! text (`.as_text()`), and containment (`Post::meta.contains(json!({"draft": false}))`).
//!
//! One meaning on every backend, `jsonb`'s: a `json` column is read as `jsonb` on PostgreSQL
//! (so duplicate keys resolve to the last one and numbers compare by value), and SQLite runs
//! orm's own functions, which implement the same rules (`orm_json_get`, `orm_json_text`,
//! `orm_json_contains`). Keys and indexes are bound as parameters.
//!
//! ```
//! # use orm_core::expr::{Column, ExpressionExt};
//! # struct Post;
//! # let meta: Column<Post, serde_json::Value> = Column::new("posts", "meta", orm_core::SqlType::Jsonb);
//! let by_ann = meta.get("author").get("name").as_text().eq("ann");
//! let first_tag = meta.get("tags").get(0).as_text();
//! let drafts = meta.contains(serde_json::json!({"draft": true}));
//! ```

use crate::expr::{Condition, Expr, TextType, TypedExpr, escape_like, like_expr};
use crate::types::{IntoOperand, Json};
use crate::value::{SqlType, Value};

/// JSON types, which `get`, `as_text` and JSON `contains` take: `serde_json::Value`,
/// [`Json<T>`], and `Option` of each.
#[diagnostic::on_unimplemented(
    message = "`get` and `as_text` read into JSON, not `{Self}`",
    label = "not a JSON expression",
    note = "JSON columns are serde_json::Value or orm::Json<T> fields"
)]
pub trait JsonType {}
#[diagnostic::do_not_recommend]
impl JsonType for serde_json::Value {}
#[diagnostic::do_not_recommend]
impl JsonType for Option<serde_json::Value> {}
#[diagnostic::do_not_recommend]
impl<T> JsonType for Json<T> {}
#[diagnostic::do_not_recommend]
impl<T> JsonType for Option<Json<T>> {}

/// One step of a JSON path: an object's key (`&str`, `String`) or an array's index (`i32`,
/// counting from 0; negative counts from the end).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a step of a JSON path",
    label = "a key (&str or String) or an array index (i32)"
)]
pub trait JsonStep {
    /// The step as the value bound for it.
    fn into_step(self) -> Value;
}

impl JsonStep for &str {
    fn into_step(self) -> Value {
        Value::String(Some(self.to_owned()))
    }
}

impl JsonStep for String {
    fn into_step(self) -> Value {
        Value::String(Some(self))
    }
}

impl JsonStep for i32 {
    fn into_step(self) -> Value {
        Value::I32(Some(self))
    }
}

/// What `contains` means for a column type: a text column contains a `&str` literally
/// (`LIKE '%term%'`), a JSON column contains a JSON value as `jsonb`'s `@>` says, an array
/// column contains every element of a `Vec` (see [`crate::array`]).
#[diagnostic::on_unimplemented(
    message = "`contains` on a `{Self}` expression does not take `{R}`",
    label = "`contains` takes a &str on text, a serde_json::Value on JSON, a Vec of the elements on an array"
)]
pub trait Contains<R> {
    /// The condition that `expr` (of SQL type `ty`) contains `term`.
    fn contains(expr: Expr, ty: SqlType, term: R) -> Condition;
}

/// Text contains text: a `&str`, `&String` or `String`.
macro_rules! text_contains {
    ($($term:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl<'a, T: TextType> Contains<$term> for T {
            fn contains(expr: Expr, ty: SqlType, term: $term) -> Condition {
                text_contains(expr, ty, &term)
            }
        }
    )*};
}
text_contains!(&'a str, &'a String, String);

/// `expr LIKE '%term%'`, with `%` and `_` in `term` matched literally.
fn text_contains(expr: Expr, ty: SqlType, term: &str) -> Condition {
    let pattern = format!("%{}%", escape_like(term));
    like_expr(
        expr,
        IntoOperand::<String>::into_operand(pattern, ty),
        false,
    )
}

#[diagnostic::do_not_recommend]
impl<T: JsonType> Contains<serde_json::Value> for T {
    fn contains(expr: Expr, ty: SqlType, term: serde_json::Value) -> Condition {
        TypedExpr::new(
            Expr::JsonContains {
                doc: Box::new(Expr::typed(expr, ty)),
                value: Box::new(Expr::Value(Value::Json(Some(term), true))),
            },
            SqlType::Bool,
        )
    }
}

/// `doc -> step`, extending the path when `doc` is already a path into a document.
pub(crate) fn get(doc: Expr, ty: SqlType, step: Value) -> TypedExpr<Option<serde_json::Value>> {
    let expr = match doc {
        Expr::JsonPath {
            doc,
            mut steps,
            text: false,
        } => {
            steps.push(Expr::Value(step));
            Expr::JsonPath {
                doc,
                steps,
                text: false,
            }
        }
        doc => Expr::JsonPath {
            doc: Box::new(Expr::typed(doc, ty)),
            steps: vec![Expr::Value(step)],
            text: false,
        },
    };
    TypedExpr::new(expr, SqlType::Jsonb)
}

/// The JSON value `doc` as text (`->>` for its last step).
pub(crate) fn as_text(doc: Expr, ty: SqlType) -> TypedExpr<Option<String>> {
    let expr = match doc {
        Expr::JsonPath {
            doc,
            steps,
            text: false,
        } => Expr::JsonPath {
            doc,
            steps,
            text: true,
        },
        doc => Expr::JsonPath {
            doc: Box::new(Expr::typed(doc, ty)),
            steps: Vec::new(),
            text: true,
        },
    };
    TypedExpr::new(expr, SqlType::Text)
}
