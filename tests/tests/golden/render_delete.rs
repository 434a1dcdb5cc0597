//! `DELETE`: filters and the unfiltered-mutation guard.

use orm::prelude::*;
use orm::{Error, Value};

use crate::models::{Membership, Post, User, Weird};
use crate::{PG, SQLITE, golden};

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
    golden(
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
                    statement: "delete"
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
