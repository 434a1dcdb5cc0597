//! `UPDATE`: assignments, the automatic `updated_at`, the unfiltered-mutation guard, and
//! change-tracked updates of single rows.

use orm::prelude::*;
use orm::{Error, Value};

use crate::models::{Grant, Item, Membership, Post, Product, User};
use crate::{PG, SQLITE, golden, golden_split};

fn alice() -> User {
    let at = "2024-01-02T03:04:05Z".parse::<DateTime<Utc>>().unwrap();
    User {
        id: 3,
        email: "alice@example.com".into(),
        name: "Alice".into(),
        bio: None,
        is_active: true,
        age: Some(30),
        created_at: at,
        updated_at: at,
    }
}

#[test]
fn set_value_column_and_none_bumps_updated_at() {
    golden(
        |d| {
            User::update()
                .filter(User::id.eq(1))
                .set(User::name, "Alicia")
                .set(User::email, User::name)
                .set(User::bio, None)
                .set(User::age, 31)
                .to_sql(d)
                .unwrap()
        },
        r#"UPDATE "users" SET "name" = ?, "email" = "users"."name", "bio" = ?, "age" = ?, "updated_at" = orm_now(0) WHERE "users"."id" = ?"#,
        r#"UPDATE "users" SET "name" = $1, "email" = "users"."name", "bio" = $2, "age" = $3, "updated_at" = CURRENT_TIMESTAMP WHERE "users"."id" = $4"#,
        &[
            Value::String(Some("Alicia".into())),
            Value::String(None),
            Value::I32(Some(31)),
            Value::I64(Some(1)),
        ],
    );
}

#[test]
fn explicit_updated_at_is_not_overridden() {
    let at = "2030-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
    golden(
        |d| {
            User::update()
                .filter(User::id.eq(1))
                .set(User::updated_at, at)
                .to_sql(d)
                .unwrap()
        },
        r#"UPDATE "users" SET "updated_at" = ? WHERE "users"."id" = ?"#,
        r#"UPDATE "users" SET "updated_at" = $1 WHERE "users"."id" = $2"#,
        &[Value::DateTimeUtc(Some(at)), Value::I64(Some(1))],
    );
}

#[test]
fn updated_at_without_time_zone() {
    golden(
        |d| {
            Product::update()
                .filter(Product::sku.eq("A-1"))
                .set(Product::stock, 0)
                .to_sql(d)
                .unwrap()
        },
        r#"UPDATE "products" SET "stock" = ?, "updated_at" = orm_now(1) WHERE "products"."sku" = ?"#,
        r#"UPDATE "products" SET "stock" = $1, "updated_at" = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC') WHERE "products"."sku" = $2"#,
        &[Value::I32(Some(0)), Value::String(Some("A-1".into()))],
    );
}

#[test]
fn model_without_updated_at_sets_only_what_is_asked() {
    golden(
        |d| {
            Post::update()
                .filter(Post::user_id.eq(2))
                .filter(Post::published_at.is_null())
                .set(Post::price, Decimal::new(5, 1))
                .set(Post::title, Post::body)
                .to_sql(d)
                .unwrap()
        },
        r#"UPDATE "posts" SET "price" = ?, "title" = "posts"."body" WHERE ("posts"."user_id" = ? AND "posts"."published_at" IS NULL)"#,
        r#"UPDATE "posts" SET "price" = $1, "title" = "posts"."body" WHERE ("posts"."user_id" = $2 AND "posts"."published_at" IS NULL)"#,
        &[
            Value::Decimal(Some(Decimal::new(5, 1)), Some((10, 2))),
            Value::I64(Some(2)),
        ],
    );
}

#[test]
fn binds_in_set_come_before_binds_in_where() {
    golden_split(
        |d| {
            Item::update()
                .filter(Item::name.in_list(["a", "b"]))
                .set(Item::note, "bulk")
                .set(Item::qty, Some(4))
                .to_sql(d)
                .unwrap()
        },
        (
            r#"UPDATE "items" SET "note" = ?, "qty" = ? WHERE "items"."name" IN (?, ?)"#,
            &[
                Value::String(Some("bulk".into())),
                Value::I32(Some(4)),
                Value::String(Some("a".into())),
                Value::String(Some("b".into())),
            ],
        ),
        (
            r#"UPDATE "items" SET "note" = $1, "qty" = $2 WHERE "items"."name" IN ($3, $4)"#,
            &[
                Value::String(Some("bulk".into())),
                Value::I32(Some(4)),
                Value::String(Some("a".into())),
                Value::String(Some("b".into())),
            ],
        ),
    );
}

#[test]
fn update_without_filter_is_refused() {
    for d in [SQLITE, PG] {
        let error = User::update().set(User::name, "x").to_sql(d).unwrap_err();
        assert!(
            matches!(
                error,
                Error::UnfilteredMutation {
                    table: "users",
                    statement: "update",
                    keeps_every_row: false
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.kind(), ErrorKind::UnfilteredMutation);
        assert_eq!(
            error.to_string(),
            "refused to update every row of `users`: add .filter(..), or call .all_rows() if you mean all of them"
        );
    }
}

#[test]
fn update_all_rows_is_allowed_when_asked() {
    golden(
        |d| {
            User::update()
                .all_rows()
                .set(User::is_active, false)
                .to_sql(d)
                .unwrap()
        },
        r#"UPDATE "users" SET "is_active" = ?, "updated_at" = orm_now(0)"#,
        r#"UPDATE "users" SET "is_active" = $1, "updated_at" = CURRENT_TIMESTAMP"#,
        &[Value::Bool(Some(false))],
    );
}

#[test]
fn update_setting_nothing_is_invalid() {
    for d in [SQLITE, PG] {
        let error = Post::update().filter(Post::id.eq(1)).to_sql(d).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error:?}");
    }
}

#[test]
fn tracked_update_touches_only_changed_columns() {
    let mut user = Tracked::new(alice());
    for d in [SQLITE, PG] {
        assert_eq!(user.update_statement(d).unwrap(), None, "nothing changed");
    }
    user.name = "Alicia".into();
    user.bio = Some("hello".into());
    assert_eq!(user.changed_columns(), ["name", "bio"]);
    golden(
        |d| user.update_statement(d).unwrap().unwrap(),
        r#"UPDATE "users" SET "name" = ?, "bio" = ?, "updated_at" = orm_now(0) WHERE "users"."id" = ? RETURNING "id", "email", "name", "bio", "is_active", "age", "created_at", "updated_at""#,
        r#"UPDATE "users" SET "name" = $1, "bio" = $2, "updated_at" = CURRENT_TIMESTAMP WHERE "users"."id" = $3 RETURNING "id", "email", "name", "bio", "is_active", "age", "created_at", "updated_at""#,
        &[
            Value::String(Some("Alicia".into())),
            Value::String(Some("hello".into())),
            Value::I64(Some(3)),
        ],
    );
    // Back to Some → None: the NULL keeps its type.
    let mut user = Tracked::new(alice());
    user.age = None;
    golden(
        |d| user.update_statement(d).unwrap().unwrap(),
        r#"UPDATE "users" SET "age" = ?, "updated_at" = orm_now(0) WHERE "users"."id" = ? RETURNING "id", "email", "name", "bio", "is_active", "age", "created_at", "updated_at""#,
        r#"UPDATE "users" SET "age" = $1, "updated_at" = CURRENT_TIMESTAMP WHERE "users"."id" = $2 RETURNING "id", "email", "name", "bio", "is_active", "age", "created_at", "updated_at""#,
        &[Value::I32(None), Value::I64(Some(3))],
    );
}

#[test]
fn tracked_update_of_updated_at_itself_is_not_bumped() {
    let mut user = Tracked::new(alice());
    let at = "2031-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
    user.updated_at = at;
    golden(
        |d| user.update_statement(d).unwrap().unwrap(),
        r#"UPDATE "users" SET "updated_at" = ? WHERE "users"."id" = ? RETURNING "id", "email", "name", "bio", "is_active", "age", "created_at", "updated_at""#,
        r#"UPDATE "users" SET "updated_at" = $1 WHERE "users"."id" = $2 RETURNING "id", "email", "name", "bio", "is_active", "age", "created_at", "updated_at""#,
        &[Value::DateTimeUtc(Some(at)), Value::I64(Some(3))],
    );
}

#[test]
fn tracked_update_with_composite_key() {
    let at = "2024-01-02T03:04:05Z".parse::<DateTime<Utc>>().unwrap();
    let mut membership = Tracked::new(Membership {
        user_id: 7,
        group_id: 3,
        role: "member".into(),
        updated_at: at,
    });
    membership.role = "owner".into();
    golden(
        |d| membership.update_statement(d).unwrap().unwrap(),
        r#"UPDATE "memberships" SET "role" = ?, "updated_at" = orm_now(0) WHERE ("memberships"."user_id" = ? AND "memberships"."group_id" = ?) RETURNING "user_id", "group_id", "role", "updated_at""#,
        r#"UPDATE "memberships" SET "role" = $1, "updated_at" = CURRENT_TIMESTAMP WHERE ("memberships"."user_id" = $2 AND "memberships"."group_id" = $3) RETURNING "user_id", "group_id", "role", "updated_at""#,
        &[
            Value::String(Some("owner".into())),
            Value::I64(Some(7)),
            Value::I32(Some(3)),
        ],
    );
}

/// `Grant` declares `primary_key(scope, user_id)` but its fields in the order user_id, scope.
/// `Tracked::update_statement` collects the key values in field order while the WHERE clause
/// is in key order, so the binds are swapped: `scope = 5 AND user_id = 'admin'`.
/// Reported; un-ignore once fixed.
#[test]
fn tracked_update_with_composite_key_in_another_order() {
    let mut grant = Tracked::new(Grant {
        user_id: 5,
        scope: "admin".into(),
        level: 1,
    });
    grant.level = 2;
    golden(
        |d| grant.update_statement(d).unwrap().unwrap(),
        r#"UPDATE "grants" SET "level" = ? WHERE ("grants"."scope" = ? AND "grants"."user_id" = ?) RETURNING "user_id", "scope", "level""#,
        r#"UPDATE "grants" SET "level" = $1 WHERE ("grants"."scope" = $2 AND "grants"."user_id" = $3) RETURNING "user_id", "scope", "level""#,
        &[
            Value::I32(Some(2)),
            Value::String(Some("admin".into())),
            Value::I64(Some(5)),
        ],
    );
}

#[test]
fn tracked_update_conforms_decimals() {
    let mut post = Tracked::new(Post {
        id: 9,
        user_id: 1,
        title: "t".into(),
        body: "b".into(),
        price: Decimal::new(100, 2),
        published_at: None,
    });
    post.price = Decimal::new(125, 2);
    golden(
        |d| post.update_statement(d).unwrap().unwrap(),
        r#"UPDATE "posts" SET "price" = ? WHERE "posts"."id" = ? RETURNING "id", "user_id", "title", "body", "price", "published_at""#,
        r#"UPDATE "posts" SET "price" = $1 WHERE "posts"."id" = $2 RETURNING "id", "user_id", "title", "body", "price", "published_at""#,
        &[
            Value::Decimal(Some(Decimal::new(125, 2)), Some((10, 2))),
            Value::I64(Some(9)),
        ],
    );
}

#[test]
fn tracked_key_change_is_refused() {
    let mut user = Tracked::new(alice());
    user.id = 4;
    for d in [SQLITE, PG] {
        let error = user.update_statement(d).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error:?}");
        assert!(
            error
                .to_string()
                .contains("key column `id` of `users` changed"),
            "{error}"
        );
    }
}

#[test]
fn update_that_sets_nothing_is_refused_even_with_updated_at() {
    for dialect in [crate::SQLITE, crate::PG] {
        let error = User::update()
            .filter(User::id.eq(1))
            .to_sql(dialect)
            .unwrap_err();
        assert_eq!(error.kind(), orm::ErrorKind::InvalidStatement);
        assert!(error.to_string().contains(".set("), "{error}");
    }
}
