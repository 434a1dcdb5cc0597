//! `SELECT`: filters, ordering, paging, chosen columns, `COUNT`, `EXISTS` and loads by key.

use orm::__private::crud;
use orm::prelude::*;
use orm::{Statement, Value};
use orm_core::render;

use crate::models::{Document, Grant, Item, Membership, Post, Product, Reading, User, Weird};
use crate::{PG, SQLITE, golden, golden_compared, golden_split};

const ITEMS_SQL: &str =
    r#"SELECT "items"."id", "items"."name", "items"."note", "items"."qty" FROM "items""#;

/// `SELECT <every column of items> FROM "items" WHERE <filter>`, on both dialects.
#[track_caller]
fn item_filter(condition: Condition, sqlite_where: &str, pg_where: &str, binds: &[Value]) {
    golden(
        |d| Item::query().filter(condition.clone()).to_sql(d),
        &format!("{ITEMS_SQL} WHERE {sqlite_where}"),
        &format!("{ITEMS_SQL} WHERE {pg_where}"),
        binds,
    );
}

#[test]
fn select_every_column() {
    golden(
        |d| User::query().to_sql(d),
        r#"SELECT "users"."id", "users"."email", "users"."name", "users"."bio", "users"."is_active", "users"."age", "users"."created_at", "users"."updated_at" FROM "users""#,
        r#"SELECT "users"."id", "users"."email", "users"."name", "users"."bio", "users"."is_active", "users"."age", "users"."created_at", "users"."updated_at" FROM "users""#,
        &[],
    );
    golden(
        |d| Item::query().to_sql(d),
        r#"SELECT "items"."id", "items"."name", "items"."note", "items"."qty" FROM "items""#,
        r#"SELECT "items"."id", "items"."name", "items"."note", "items"."qty" FROM "items""#,
        &[],
    );
}

#[test]
fn select_uses_column_names_not_field_names() {
    golden(
        |d| {
            Product::query()
                .select((Product::id, Product::title))
                .to_sql(d)
        },
        r#"SELECT "products"."id", "products"."display_name" FROM "products""#,
        r#"SELECT "products"."id", "products"."display_name" FROM "products""#,
        &[],
    );
}

#[test]
fn comparison_operators() {
    let cases = [
        (Item::id.eq(7), "="),
        (Item::id.ne(7), "<>"),
        (Item::id.lt(7), "<"),
        (Item::id.le(7), "<="),
        (Item::id.gt(7), ">"),
        (Item::id.ge(7), ">="),
    ];
    for (condition, op) in cases {
        item_filter(
            condition,
            &format!(r#""items"."id" {op} ?"#),
            &format!(r#""items"."id" {op} $1"#),
            &[Value::I64(Some(7))],
        );
    }
}

#[test]
fn comparison_with_str_and_string() {
    item_filter(
        Item::name.eq("widget"),
        r#""items"."name" = ?"#,
        r#""items"."name" = $1"#,
        &[Value::String(Some("widget".into()))],
    );
    item_filter(
        Item::name.ne(String::from("gadget")),
        r#""items"."name" <> ?"#,
        r#""items"."name" <> $1"#,
        &[Value::String(Some("gadget".into()))],
    );
}

#[test]
fn option_column_compared_with_plain_value() {
    item_filter(
        Item::qty.ge(3),
        r#""items"."qty" >= ?"#,
        r#""items"."qty" >= $1"#,
        &[Value::I32(Some(3))],
    );
    item_filter(
        Item::note.eq("fragile"),
        r#""items"."note" = ?"#,
        r#""items"."note" = $1"#,
        &[Value::String(Some("fragile".into()))],
    );
    item_filter(
        Item::qty.lt(Some(9)),
        r#""items"."qty" < ?"#,
        r#""items"."qty" < $1"#,
        &[Value::I32(Some(9))],
    );
}

#[test]
fn column_compared_with_column() {
    golden(
        |d| {
            User::query()
                .select(User::id)
                .filter(User::email.eq(User::name))
                .filter(User::updated_at.gt(User::created_at))
                .to_sql(d)
        },
        r#"SELECT "users"."id" FROM "users" WHERE ("users"."email" = "users"."name" AND "users"."updated_at" > "users"."created_at")"#,
        r#"SELECT "users"."id" FROM "users" WHERE ("users"."email" = "users"."name" AND "users"."updated_at" > "users"."created_at")"#,
        &[],
    );
}

#[test]
fn like_and_not_like_escape_with_backslash() {
    item_filter(
        Item::name.like("wid%"),
        r#""items"."name" LIKE ? ESCAPE '\'"#,
        r#""items"."name" LIKE $1 ESCAPE '\'"#,
        &[Value::String(Some("wid%".into()))],
    );
    item_filter(
        Item::note.not_like(r"100\%%"),
        r#""items"."note" NOT LIKE ? ESCAPE '\'"#,
        r#""items"."note" NOT LIKE $1 ESCAPE '\'"#,
        &[Value::String(Some(r"100\%%".into()))],
    );
}

#[test]
fn in_list_and_not_in() {
    // A list longer than eight values is one parameter on both backends (PostgreSQL: a
    // typed array; SQLite: a JSON array read by json_each), so the statement text is the same
    // for any number of values and no list meets the bind limit.
    let list = |values: Vec<Value>| vec![Value::List(values)];
    let ids: Vec<i64> = (1..=9).collect();
    item_filter(
        Item::id.in_list(ids.clone()),
        r#""items"."id" IN (SELECT value FROM json_each(?))"#,
        r#""items"."id" = ANY($1)"#,
        &list(ids.iter().map(|id| Value::I64(Some(*id))).collect()),
    );
    let names: Vec<String> = (1..=9).map(|n| format!("n{n}")).collect();
    item_filter(
        Item::name.not_in(names.clone()),
        r#""items"."name" NOT IN (SELECT value FROM json_each(?))"#,
        r#""items"."name" <> ALL($1)"#,
        &list(
            names
                .iter()
                .map(|n| Value::String(Some(n.clone())))
                .collect(),
        ),
    );
    // A NULL item keeps IN's meaning on both (`= ANY` of an array holding NULL is NULL, not
    // false, where nothing matches).
    let mut notes: Vec<Option<String>> = names.iter().cloned().map(Some).collect();
    notes[4] = None;
    item_filter(
        Item::note.in_list(notes.clone()),
        r#""items"."note" IN (SELECT value FROM json_each(?))"#,
        r#""items"."note" = ANY($1)"#,
        &list(notes.iter().map(|n| Value::String(n.clone())).collect()),
    );
    // Up to eight values bind one each (PostgreSQL plans `IN ($1, $2)` once for every
    // execution, never `= ANY($1)`; SQLite need not unpack a JSON array); one value is
    // compared with `=` / `<>`.
    item_filter(
        Item::id.in_list(ids[..8].to_vec()),
        r#""items"."id" IN (?, ?, ?, ?, ?, ?, ?, ?)"#,
        r#""items"."id" IN ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        &ids[..8]
            .iter()
            .map(|id| Value::I64(Some(*id)))
            .collect::<Vec<_>>(),
    );
    item_filter(
        Item::note.not_in([Some(String::from("x")), None]),
        r#""items"."note" NOT IN (?, ?)"#,
        r#""items"."note" NOT IN ($1, $2)"#,
        &[Value::String(Some("x".into())), Value::String(None)],
    );
    item_filter(
        Item::qty.in_list(vec![5]),
        r#""items"."qty" = ?"#,
        r#""items"."qty" = $1"#,
        &[Value::I32(Some(5))],
    );
    item_filter(
        Item::name.not_in(["a"]),
        r#""items"."name" <> ?"#,
        r#""items"."name" <> $1"#,
        &[Value::String(Some("a".into()))],
    );
}

/// Blobs travel in the JSON list as hex and are turned back with unhex; floats, which
/// SQLite's number parser would not read back exactly, bind one by one there.
#[test]
fn in_list_of_blobs_and_floats() {
    let ids: Vec<Uuid> = (0..9_u128)
        .map(|n| Uuid::from_u128(0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10 + n))
        .collect();
    golden(
        |d| {
            Document::query()
                .filter(Document::id.in_list(ids.clone()))
                .select(Document::id)
                .to_sql(d)
                .unwrap()
        },
        r#"SELECT "documents"."id" FROM "documents" WHERE "documents"."id" IN (SELECT unhex(value) FROM json_each(?))"#,
        r#"SELECT "documents"."id" FROM "documents" WHERE "documents"."id" = ANY($1)"#,
        &[Value::List(
            ids.iter().map(|id| Value::Uuid(Some(*id))).collect(),
        )],
    );
    // Nine floats: one bind each on SQLite whatever the length, one array on PostgreSQL.
    let floats: Vec<f64> = (0..9).map(|n| f64::from(n) + 0.5).collect();
    let binds: Vec<Value> = floats.iter().map(|f| Value::F64(Some(*f))).collect();
    golden_split(
        |d| {
            Reading::query()
                .filter(Reading::precise.not_in(floats.clone()))
                .select(Reading::id)
                .to_sql(d)
        },
        (
            r#"SELECT "readings"."id" FROM "readings" WHERE "readings"."precise" NOT IN (?, ?, ?, ?, ?, ?, ?, ?, ?)"#,
            &binds,
        ),
        (
            r#"SELECT "readings"."id" FROM "readings" WHERE "readings"."precise" <> ALL($1)"#,
            &[Value::List(binds.clone())],
        ),
    );
}

/// More binds than a backend takes are refused before sending, with what to do instead.
#[test]
fn too_many_binds_are_refused_before_sending() {
    let many: Vec<f64> = (0..40_000).map(f64::from).collect();
    let error = Reading::query()
        .filter(Reading::precise.in_list(many.clone()))
        .to_sql(SQLITE)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error:?}");
    assert!(
        error
            .to_string()
            .contains("more than sqlite's limit of 32766"),
        "{error}"
    );
    let statement = Reading::query()
        .filter(Reading::precise.in_list(many))
        .to_sql(PG)
        .unwrap();
    assert_eq!(statement.binds.len(), 1);
}

#[test]
fn empty_in_list_is_a_constant_never_in_parens() {
    item_filter(
        Item::id.in_list(Vec::<i64>::new()),
        "(1 = 0)",
        "(1 = 0)",
        &[],
    );
    item_filter(
        Item::id.not_in(Vec::<i64>::new()),
        "(1 = 1)",
        "(1 = 1)",
        &[],
    );
    // Binds after an empty list are still numbered from 1.
    item_filter(
        Item::name.in_list(Vec::<String>::new()).or(Item::id.eq(4)),
        r#"((1 = 0) OR "items"."id" = ?)"#,
        r#"((1 = 0) OR "items"."id" = $1)"#,
        &[Value::I64(Some(4))],
    );
}

#[test]
fn between() {
    item_filter(
        Item::id.between(10, 20),
        r#""items"."id" BETWEEN ? AND ?"#,
        r#""items"."id" BETWEEN $1 AND $2"#,
        &[Value::I64(Some(10)), Value::I64(Some(20))],
    );
}

#[test]
fn decimal_binds_carry_the_column_scale() {
    // SQLite writes a decimal BETWEEN as two comparisons, each with its exact bound.
    golden_compared(
        |d| {
            Post::query()
                .select(Post::id)
                .filter(Post::price.between(Decimal::new(100, 2), Decimal::new(1999, 2)))
                .filter(Post::price.ne(Decimal::new(5, 0)))
                .to_sql(d)
        },
        r#"SELECT "posts"."id" FROM "posts" WHERE (("posts"."price" >= ? AND "posts"."price" <= ?) AND "posts"."price" <> ?)"#,
        r#"SELECT "posts"."id" FROM "posts" WHERE ("posts"."price" BETWEEN $1 AND $2 AND "posts"."price" <> $3)"#,
        &[
            Value::Decimal(Some(Decimal::new(100, 2)), Some((10, 2))),
            Value::Decimal(Some(Decimal::new(1999, 2)), Some((10, 2))),
            Value::Decimal(Some(Decimal::new(5, 0)), Some((10, 2))),
        ],
    );
    // An Option<Decimal> column with numeric(5, 4), compared with a plain Decimal and a list.
    golden_compared(
        |d| {
            Product::query()
                .select(Product::id)
                .filter(Product::discount.gt(Decimal::new(1, 1)))
                .filter(Product::discount.in_list([Decimal::new(25, 2), Decimal::new(5, 1)]))
                .to_sql(d)
        },
        r#"SELECT "products"."id" FROM "products" WHERE ("products"."discount" > ? AND "products"."discount" IN (?, ?))"#,
        r#"SELECT "products"."id" FROM "products" WHERE ("products"."discount" > $1 AND "products"."discount" IN ($2, $3))"#,
        &[
            Value::Decimal(Some(Decimal::new(1, 1)), Some((5, 4))),
            Value::Decimal(Some(Decimal::new(25, 2)), Some((5, 4))),
            Value::Decimal(Some(Decimal::new(5, 1)), Some((5, 4))),
        ],
    );
    // A longer list is one parameter, in storage form on SQLite.
    let discounts: Vec<Decimal> = (1..=9).map(|n| Decimal::new(n, 2)).collect();
    golden_compared(
        |d| {
            Product::query()
                .select(Product::id)
                .filter(Product::discount.in_list(discounts.clone()))
                .to_sql(d)
        },
        r#"SELECT "products"."id" FROM "products" WHERE "products"."discount" IN (SELECT value FROM json_each(?))"#,
        r#"SELECT "products"."id" FROM "products" WHERE "products"."discount" = ANY($1)"#,
        &[Value::List(
            discounts
                .iter()
                .map(|d| Value::Decimal(Some(*d), Some((5, 4))))
                .collect(),
        )],
    );
}

/// A decimal wrapped in `value(..)` keeps `scale: None`, so SQLite binds it as text
/// (`'0.5'`), which never equals the scaled integer (`50`) stored in a `NUMERIC(10, 2)`
/// column. Reported; un-ignore once `TypedExpr` operands are conformed to the column type.
#[test]
fn decimal_value_expression_carries_the_column_scale() {
    golden_compared(
        |d| {
            Post::query()
                .select(Post::id)
                .filter(Post::price.eq(value(Decimal::new(5, 1))))
                .to_sql(d)
        },
        r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."price" = ?"#,
        r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."price" = $1"#,
        &[Value::Decimal(Some(Decimal::new(5, 1)), Some((10, 2)))],
    );
}

#[test]
fn json_binds_follow_the_column_kind() {
    let doc = serde_json::json!({"color": "red"});
    golden(
        |d| {
            Product::query()
                .select(Product::id)
                .filter(Product::attributes.eq(doc.clone()))
                .filter(Product::extra.eq(doc.clone()))
                .to_sql(d)
        },
        r#"SELECT "products"."id" FROM "products" WHERE ("products"."attributes" = ? AND "products"."extra" = ?)"#,
        // PostgreSQL has no `json = json`: a `json` column compares as `jsonb`.
        r#"SELECT "products"."id" FROM "products" WHERE (CAST("products"."attributes" AS JSONB) = CAST($1 AS JSONB) AND "products"."extra" = $2)"#,
        &[
            Value::Json(Some(doc.clone()), false),
            Value::Json(Some(doc.clone()), true),
        ],
    );
}

#[test]
fn other_value_types_bind_as_themselves() {
    let at = "2024-05-06T07:08:09.123456Z"
        .parse::<DateTime<Utc>>()
        .unwrap();
    let id = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
    golden(
        |d| {
            User::query()
                .select(User::id)
                .filter(User::created_at.lt(at))
                .filter(User::is_active.eq(true))
                .to_sql(d)
        },
        r#"SELECT "users"."id" FROM "users" WHERE ("users"."created_at" < ? AND "users"."is_active" = ?)"#,
        r#"SELECT "users"."id" FROM "users" WHERE ("users"."created_at" < $1 AND "users"."is_active" = $2)"#,
        &[Value::DateTimeUtc(Some(at)), Value::Bool(Some(true))],
    );
    golden(
        |d| {
            Document::query()
                .select(Document::title)
                .filter(Document::id.eq(id))
                .to_sql(d)
        },
        r#"SELECT "documents"."title" FROM "documents" WHERE "documents"."id" = ?"#,
        r#"SELECT "documents"."title" FROM "documents" WHERE "documents"."id" = $1"#,
        &[Value::Uuid(Some(id))],
    );
}

#[test]
fn is_null_and_is_not_null() {
    item_filter(
        Item::note.is_null(),
        r#""items"."note" IS NULL"#,
        r#""items"."note" IS NULL"#,
        &[],
    );
    item_filter(
        Item::qty.is_not_null(),
        r#""items"."qty" IS NOT NULL"#,
        r#""items"."qty" IS NOT NULL"#,
        &[],
    );
}

#[test]
fn and_or_not_nesting() {
    item_filter(
        Item::id
            .eq(1)
            .and(Item::name.eq("a"))
            .or(Item::qty.is_null().and(Item::id.gt(2))),
        r#"(("items"."id" = ? AND "items"."name" = ?) OR ("items"."qty" IS NULL AND "items"."id" > ?))"#,
        r#"(("items"."id" = $1 AND "items"."name" = $2) OR ("items"."qty" IS NULL AND "items"."id" > $3))"#,
        &[
            Value::I64(Some(1)),
            Value::String(Some("a".into())),
            Value::I64(Some(2)),
        ],
    );
    item_filter(
        Item::id
            .eq(1)
            .and(Item::name.eq("a").or(Item::name.eq("b"))),
        r#"("items"."id" = ? AND ("items"."name" = ? OR "items"."name" = ?))"#,
        r#"("items"."id" = $1 AND ("items"."name" = $2 OR "items"."name" = $3))"#,
        &[
            Value::I64(Some(1)),
            Value::String(Some("a".into())),
            Value::String(Some("b".into())),
        ],
    );
    item_filter(
        not(Item::id.eq(1).or(Item::note.is_null())),
        r#"NOT (("items"."id" = ? OR "items"."note" IS NULL))"#,
        r#"NOT (("items"."id" = $1 OR "items"."note" IS NULL))"#,
        &[Value::I64(Some(1))],
    );
    item_filter(
        Item::qty.gt(0).not().and(not(Item::name.like("x%"))),
        r#"(NOT ("items"."qty" > ?) AND NOT ("items"."name" LIKE ? ESCAPE '\'))"#,
        r#"(NOT ("items"."qty" > $1) AND NOT ("items"."name" LIKE $2 ESCAPE '\'))"#,
        &[Value::I32(Some(0)), Value::String(Some("x%".into()))],
    );
}

#[test]
fn several_filters_are_anded_in_order() {
    golden(
        |d| {
            Item::query()
                .filter(Item::id.gt(1))
                .filter(Item::name.ne("x"))
                .filter(Item::qty.is_not_null())
                .to_sql(d)
        },
        &format!(
            r#"{ITEMS_SQL} WHERE (("items"."id" > ? AND "items"."name" <> ?) AND "items"."qty" IS NOT NULL)"#
        ),
        &format!(
            r#"{ITEMS_SQL} WHERE (("items"."id" > $1 AND "items"."name" <> $2) AND "items"."qty" IS NOT NULL)"#
        ),
        &[Value::I64(Some(1)), Value::String(Some("x".into()))],
    );
}

#[test]
fn order_by_several_keys() {
    golden(
        |d| {
            Item::query()
                .order_by(Item::name)
                .order_by(Item::qty.desc())
                .order_by(Item::id.asc())
                .to_sql(d)
        },
        &format!(
            r#"{ITEMS_SQL} ORDER BY "items"."name", "items"."qty" DESC NULLS FIRST, "items"."id""#
        ),
        &format!(
            r#"{ITEMS_SQL} ORDER BY "items"."name", "items"."qty" DESC NULLS FIRST, "items"."id""#
        ),
        &[],
    );
}

#[test]
fn limit_and_offset() {
    golden(
        |d| Item::query().limit(10).to_sql(d),
        &format!("{ITEMS_SQL} LIMIT ?"),
        &format!("{ITEMS_SQL} LIMIT $1"),
        &[Value::I64(Some(10))],
    );
    golden(
        |d| Item::query().limit(10).offset(20).to_sql(d),
        &format!("{ITEMS_SQL} LIMIT ? OFFSET ?"),
        &format!("{ITEMS_SQL} LIMIT $1 OFFSET $2"),
        &[Value::I64(Some(10)), Value::I64(Some(20))],
    );
    // The order of the builder calls does not matter.
    golden(
        |d| Item::query().offset(20).limit(10).to_sql(d),
        &format!("{ITEMS_SQL} LIMIT ? OFFSET ?"),
        &format!("{ITEMS_SQL} LIMIT $1 OFFSET $2"),
        &[Value::I64(Some(10)), Value::I64(Some(20))],
    );
    // SQLite has no OFFSET without LIMIT: it renders `LIMIT -1`.
    golden(
        |d| Item::query().offset(20).to_sql(d),
        &format!("{ITEMS_SQL} LIMIT -1 OFFSET ?"),
        &format!("{ITEMS_SQL} OFFSET $1"),
        &[Value::I64(Some(20))],
    );
    // A limit beyond i64 saturates.
    golden(
        |d| Item::query().limit(u64::MAX).to_sql(d),
        &format!("{ITEMS_SQL} LIMIT ?"),
        &format!("{ITEMS_SQL} LIMIT $1"),
        &[Value::I64(Some(i64::MAX))],
    );
}

#[test]
fn filter_order_limit_offset_together() {
    golden(
        |d| {
            Item::query()
                .filter(Item::name.like("a%"))
                .order_by(Item::id.desc())
                .limit(5)
                .offset(15)
                .to_sql(d)
        },
        &format!(
            r#"{ITEMS_SQL} WHERE "items"."name" LIKE ? ESCAPE '\' ORDER BY "items"."id" DESC LIMIT ? OFFSET ?"#
        ),
        &format!(
            r#"{ITEMS_SQL} WHERE "items"."name" LIKE $1 ESCAPE '\' ORDER BY "items"."id" DESC LIMIT $2 OFFSET $3"#
        ),
        &[
            Value::String(Some("a%".into())),
            Value::I64(Some(5)),
            Value::I64(Some(15)),
        ],
    );
}

#[test]
fn select_columns_and_tuples() {
    golden(
        |d| User::query().select(User::email).to_sql(d),
        r#"SELECT "users"."email" FROM "users""#,
        r#"SELECT "users"."email" FROM "users""#,
        &[],
    );
    golden(
        |d| {
            User::query()
                .select((User::name, User::created_at, User::bio))
                .filter(User::id.eq(1))
                .order_by(User::name)
                .to_sql(d)
        },
        r#"SELECT "users"."name", "users"."created_at", "users"."bio" FROM "users" WHERE "users"."id" = ? ORDER BY "users"."name""#,
        r#"SELECT "users"."name", "users"."created_at", "users"."bio" FROM "users" WHERE "users"."id" = $1 ORDER BY "users"."name""#,
        &[Value::I64(Some(1))],
    );
    // Nested tuples flatten; expressions select as themselves.
    golden(
        |d| {
            Item::query()
                .group_by((Item::id, Item::name))
                .select((Item::id, (Item::name, count_star()), value(3_i32)))
                .to_sql(d)
        },
        r#"SELECT "items"."id", "items"."name", COUNT(*), ? FROM "items" GROUP BY "items"."id", "items"."name""#,
        r#"SELECT "items"."id", "items"."name", COUNT(*), $1 FROM "items" GROUP BY "items"."id", "items"."name""#,
        &[Value::I32(Some(3))],
    );
    // Binds in the select list come before binds in WHERE.
    golden(
        |d| {
            Item::query()
                .filter(Item::id.eq(9))
                .select(value(String::from("tag")))
                .to_sql(d)
        },
        r#"SELECT ? FROM "items" WHERE "items"."id" = ?"#,
        r#"SELECT $1 FROM "items" WHERE "items"."id" = $2"#,
        &[Value::String(Some("tag".into())), Value::I64(Some(9))],
    );
}

#[test]
fn count_without_limit_drops_order_by() {
    let query = Item::query().filter(Item::qty.gt(2)).order_by(Item::name);
    let count = |d: &dyn orm::Dialect| render::count(d, query.statement());
    golden(
        count,
        r#"SELECT COUNT(*) FROM "items" WHERE "items"."qty" > ?"#,
        r#"SELECT COUNT(*) FROM "items" WHERE "items"."qty" > $1"#,
        &[Value::I32(Some(2))],
    );
    golden(
        |d| render::count(d, Item::query().statement()),
        r#"SELECT COUNT(*) FROM "items""#,
        r#"SELECT COUNT(*) FROM "items""#,
        &[],
    );
}

#[test]
fn count_with_limit_counts_a_subquery() {
    let query = Item::query()
        .filter(Item::qty.gt(2))
        .order_by(Item::name)
        .limit(5)
        .offset(10);
    golden(
        |d| render::count(d, query.statement()),
        &format!(
            r#"SELECT COUNT(*) FROM ({ITEMS_SQL} WHERE "items"."qty" > ? ORDER BY "items"."name" LIMIT ? OFFSET ?) AS "counted""#
        ),
        &format!(
            r#"SELECT COUNT(*) FROM ({ITEMS_SQL} WHERE "items"."qty" > $1 ORDER BY "items"."name" LIMIT $2 OFFSET $3) AS "counted""#
        ),
        &[
            Value::I32(Some(2)),
            Value::I64(Some(5)),
            Value::I64(Some(10)),
        ],
    );
    let offset_only = Item::query().select(Item::id).offset(3);
    golden(
        |d| render::count(d, offset_only.statement()),
        r#"SELECT COUNT(*) FROM (SELECT "items"."id" FROM "items" LIMIT -1 OFFSET ?) AS "counted""#,
        r#"SELECT COUNT(*) FROM (SELECT "items"."id" FROM "items" OFFSET $1) AS "counted""#,
        &[Value::I64(Some(3))],
    );
}

#[test]
fn exists() {
    let query = Item::query().filter(Item::name.eq("a"));
    golden(
        |d| render::exists(d, query.statement()),
        &format!(r#"SELECT EXISTS ({ITEMS_SQL} WHERE "items"."name" = ?)"#),
        &format!(r#"SELECT EXISTS ({ITEMS_SQL} WHERE "items"."name" = $1)"#),
        &[Value::String(Some("a".into()))],
    );
    // What `Select::exists` sends: `SELECT 1`, no order, the filter and limit kept.
    let probe = Item::query()
        .filter(Item::qty.is_null())
        .order_by(Item::name)
        .limit(1);
    golden(
        |d| probe.exists_sql(d),
        r#"SELECT EXISTS (SELECT 1 FROM "items" WHERE "items"."qty" IS NULL LIMIT ?)"#,
        r#"SELECT EXISTS (SELECT 1 FROM "items" WHERE "items"."qty" IS NULL LIMIT $1)"#,
        &[Value::I64(Some(1))],
    );
}

#[test]
fn get_by_key() {
    golden(
        |d| crud::get_statement::<Item>(d, &42).unwrap(),
        &format!(r#"{ITEMS_SQL} WHERE "items"."id" = ?"#),
        &format!(r#"{ITEMS_SQL} WHERE "items"."id" = $1"#),
        &[Value::I64(Some(42))],
    );
    // Rendered once and cached: another key changes only the binds.
    golden(
        |d| crud::get_statement::<Item>(d, &43).unwrap(),
        &format!(r#"{ITEMS_SQL} WHERE "items"."id" = ?"#),
        &format!(r#"{ITEMS_SQL} WHERE "items"."id" = $1"#),
        &[Value::I64(Some(43))],
    );
    // `find` builds the same statement as a query.
    golden(
        |d| Item::find(42).to_sql(d),
        &format!(r#"{ITEMS_SQL} WHERE "items"."id" = ?"#),
        &format!(r#"{ITEMS_SQL} WHERE "items"."id" = $1"#),
        &[Value::I64(Some(42))],
    );
}

#[test]
fn get_by_uuid_key() {
    let id = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_00ff);
    golden(
        |d| crud::get_statement::<Document>(d, &id).unwrap(),
        r#"SELECT "documents"."id", "documents"."title", "documents"."owner_id" FROM "documents" WHERE "documents"."id" = ?"#,
        r#"SELECT "documents"."id", "documents"."title", "documents"."owner_id" FROM "documents" WHERE "documents"."id" = $1"#,
        &[Value::Uuid(Some(id))],
    );
}

#[test]
fn get_by_composite_key() {
    golden(
        |d| crud::get_statement::<Membership>(d, &(7, 3)).unwrap(),
        r#"SELECT "memberships"."user_id", "memberships"."group_id", "memberships"."role", "memberships"."updated_at" FROM "memberships" WHERE ("memberships"."user_id" = ? AND "memberships"."group_id" = ?)"#,
        r#"SELECT "memberships"."user_id", "memberships"."group_id", "memberships"."role", "memberships"."updated_at" FROM "memberships" WHERE ("memberships"."user_id" = $1 AND "memberships"."group_id" = $2)"#,
        &[Value::I64(Some(7)), Value::I32(Some(3))],
    );
    golden(
        |d| Membership::find((7, 3)).select(Membership::role).to_sql(d),
        r#"SELECT "memberships"."role" FROM "memberships" WHERE ("memberships"."user_id" = ? AND "memberships"."group_id" = ?)"#,
        r#"SELECT "memberships"."role" FROM "memberships" WHERE ("memberships"."user_id" = $1 AND "memberships"."group_id" = $2)"#,
        &[Value::I64(Some(7)), Value::I32(Some(3))],
    );
    // A key declared as primary_key(scope, user_id) follows the declared key order.
    golden(
        |d| crud::get_statement::<Grant>(d, &("admin".to_owned(), 5)).unwrap(),
        r#"SELECT "grants"."user_id", "grants"."scope", "grants"."level" FROM "grants" WHERE ("grants"."scope" = ? AND "grants"."user_id" = ?)"#,
        r#"SELECT "grants"."user_id", "grants"."scope", "grants"."level" FROM "grants" WHERE ("grants"."scope" = $1 AND "grants"."user_id" = $2)"#,
        &[Value::String(Some("admin".into())), Value::I64(Some(5))],
    );
}

#[test]
fn identifiers_are_quoted_and_escaped() {
    golden(
        |d| {
            Weird::query()
                .filter(Weird::select.eq("x").and(Weird::quoted.is_null()))
                .order_by(Weird::id.desc())
                .to_sql(d)
        },
        r#"SELECT "we""ird"."order", "we""ird"."select", "we""ird"."quo""ted" FROM "we""ird" WHERE ("we""ird"."select" = ? AND "we""ird"."quo""ted" IS NULL) ORDER BY "we""ird"."order" DESC"#,
        r#"SELECT "we""ird"."order", "we""ird"."select", "we""ird"."quo""ted" FROM "we""ird" WHERE ("we""ird"."select" = $1 AND "we""ird"."quo""ted" IS NULL) ORDER BY "we""ird"."order" DESC"#,
        &[Value::String(Some("x".into()))],
    );
}

#[test]
fn statements_are_plain_data() {
    let statement: Statement = Item::query().filter(Item::id.eq(1)).to_sql(SQLITE).unwrap();
    assert_eq!(statement.clone(), statement);
    assert_ne!(
        statement,
        Item::query().filter(Item::id.eq(1)).to_sql(PG).unwrap()
    );
}

#[test]
fn comparing_with_none_is_a_null_test() {
    golden(
        |d| Item::query().filter(Item::qty.eq(None)).to_sql(d),
        &format!(r#"{ITEMS_SQL} WHERE "items"."qty" IS NULL"#),
        &format!(r#"{ITEMS_SQL} WHERE "items"."qty" IS NULL"#),
        &[],
    );
    golden(
        |d| Item::query().filter(Item::qty.ne(None)).to_sql(d),
        &format!(r#"{ITEMS_SQL} WHERE "items"."qty" IS NOT NULL"#),
        &format!(r#"{ITEMS_SQL} WHERE "items"."qty" IS NOT NULL"#),
        &[],
    );
}
