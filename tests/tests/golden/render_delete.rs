//! `DELETE`: filters and the unfiltered-mutation guard.

use orm::prelude::*;
use orm::{Error, Value};

use crate::models::{Membership, Post, User, Weird};
use crate::{PG, SQLITE, golden, golden_compared};

#[test]
fn delete_with_filter() {
    golden(
        |d| User::delete().filter(User::id.eq(1)).to_sql(d).unwrap(),
        r#"DELETE FROM "users" WHERE "users"."id" = ?"#,
        r#"DELETE FROM "users" WHERE "users"."id" = $1"#,
        &[Value::I64(Some(1))],
    );
}

#[test]
fn delete_with_several_filters() {
    golden_compared(
        |d| {
            Post::delete()
                .filter(Post::published_at.is_null())
                .filter(
                    Post::price
                        .lt(Decimal::new(1, 0))
                        .or(Post::title.like("draft%")),
                )
                .to_sql(d)
                .unwrap()
        },
        r#"DELETE FROM "posts" WHERE ("posts"."published_at" IS NULL AND ("posts"."price" < ? OR "posts"."title" LIKE ? ESCAPE '\'))"#,
        r#"DELETE FROM "posts" WHERE ("posts"."published_at" IS NULL AND ("posts"."price" < $1 OR "posts"."title" LIKE $2 ESCAPE '\'))"#,
        &[
            Value::Decimal(Some(Decimal::new(1, 0)), Some((10, 2))),
            Value::String(Some("draft%".into())),
        ],
    );
}

#[test]
fn delete_by_composite_key() {
    golden(
        |d| {
            Membership::delete()
                .filter(Membership::user_id.eq(7).and(Membership::group_id.eq(3)))
                .to_sql(d)
                .unwrap()
        },
        r#"DELETE FROM "memberships" WHERE ("memberships"."user_id" = ? AND "memberships"."group_id" = ?)"#,
        r#"DELETE FROM "memberships" WHERE ("memberships"."user_id" = $1 AND "memberships"."group_id" = $2)"#,
        &[Value::I64(Some(7)), Value::I32(Some(3))],
    );
}

#[test]
fn delete_with_an_empty_list_filter_is_still_filtered() {
    golden(
        |d| {
            User::delete()
                .filter(User::id.in_list(Vec::<i64>::new()))
                .to_sql(d)
                .unwrap()
        },
        r#"DELETE FROM "users" WHERE (1 = 0)"#,
        r#"DELETE FROM "users" WHERE (1 = 0)"#,
        &[],
    );
}

#[test]
fn delete_quotes_identifiers() {
    golden(
        |d| {
            Weird::delete()
                .filter(Weird::select.ne("keep"))
                .to_sql(d)
                .unwrap()
        },
        r#"DELETE FROM "we""ird" WHERE "we""ird"."select" <> ?"#,
        r#"DELETE FROM "we""ird" WHERE "we""ird"."select" <> $1"#,
        &[Value::String(Some("keep".into()))],
    );
}

#[test]
fn delete_without_filter_is_refused() {
    for d in [SQLITE, PG] {
        let error = Post::delete().to_sql(d).unwrap_err();
        assert!(
            matches!(
                error,
                Error::UnfilteredMutation {
                    table: "posts",
                    statement: "delete",
                    keeps_every_row: false
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.kind(), ErrorKind::UnfilteredMutation);
        assert_eq!(
            error.to_string(),
            "refused to delete every row of `posts`: add .filter(..), or call .all_rows() if you mean all of them"
        );
    }
}

#[test]
fn delete_all_rows_is_allowed_when_asked() {
    golden(
        |d| Post::delete().all_rows().to_sql(d).unwrap(),
        r#"DELETE FROM "posts""#,
        r#"DELETE FROM "posts""#,
        &[],
    );
    // `all_rows` does not drop a filter given as well.
    golden(
        |d| {
            Post::delete()
                .all_rows()
                .filter(Post::id.gt(5))
                .to_sql(d)
                .unwrap()
        },
        r#"DELETE FROM "posts" WHERE "posts"."id" > ?"#,
        r#"DELETE FROM "posts" WHERE "posts"."id" > $1"#,
        &[Value::I64(Some(5))],
    );
}

/// Filters the renderer can see keep every row count as no filter: `UnfilteredMutation`
/// unless `.all_rows()`, for delete and update alike.
#[test]
fn filters_that_keep_every_row_are_refused() {
    let keep_every_row: Vec<(&str, Condition)> = vec![
        ("empty not_in", User::id.not_in(Vec::<i64>::new())),
        ("literal true", value(true)),
        ("contains(\"\")", User::name.contains("")),
        ("starts_with(\"\")", User::name.starts_with("")),
        ("ends_with(\"\")", User::name.ends_with("")),
        ("like(\"%\")", User::name.like("%")),
        ("like(\"%%%\")", User::name.like("%%%")),
        ("ilike(\"%\")", User::email.ilike("%")),
        ("not(false)", not(value(false))),
        ("not(not_like(%))", not(User::name.not_like("%"))),
        ("true and true", value(true).and(User::name.contains(""))),
        (
            "anything or true",
            User::id.eq(1).or(User::name.contains("")),
        ),
        ("a column equal to itself", User::id.eq(User::id)),
        ("a value equal to itself", value(1).eq(1)),
        (
            "NULL compared with NULL (IS NULL)",
            value(None::<i64>).eq(None::<i64>),
        ),
        (
            "empty not_in twice",
            User::id
                .not_in(Vec::<i64>::new())
                .and(User::email.not_in(Vec::<String>::new())),
        ),
    ];
    for (what, filter) in keep_every_row {
        for d in [SQLITE, PG] {
            let delete = User::delete().filter(filter.clone()).to_sql(d).unwrap_err();
            assert!(
                matches!(
                    delete,
                    Error::UnfilteredMutation {
                        keeps_every_row: true,
                        ..
                    }
                ),
                "{what}: {delete:?}"
            );
            assert!(
                delete.to_string().contains("its filter keeps every row"),
                "{delete}"
            );
            let update = User::update()
                .filter(filter.clone())
                .set(User::bio, None)
                .to_sql(d);
            assert_eq!(
                update.unwrap_err().kind(),
                ErrorKind::UnfilteredMutation,
                "{what}"
            );
            User::delete()
                .filter(filter.clone())
                .all_rows()
                .to_sql(d)
                .unwrap();
        }
    }
}

/// Filters that may narrow the rows run as they are, constant ones included.
#[test]
fn filters_that_may_narrow_run() {
    let narrowing: Vec<(&str, Condition)> = vec![
        ("contains(\"a\")", User::name.contains("a")),
        ("like(\"\")", User::name.like("")),
        ("like(\"_%\")", User::name.like("_%")),
        ("like(\"\\\\%\")", User::name.like("\\%")),
        ("empty in_list", User::id.in_list(Vec::<i64>::new())),
        ("literal false", value(false)),
        ("true and a filter", value(true).and(User::id.eq(1))),
        (
            "a column against another",
            User::age.eq(User::age).and(User::id.eq(2)),
        ),
        ("not_like(%)", User::name.not_like("%")),
    ];
    for (what, filter) in narrowing {
        for d in [SQLITE, PG] {
            let delete = User::delete().filter(filter.clone()).to_sql(d);
            assert!(delete.is_ok(), "{what}: {delete:?}");
        }
    }
}
