//! The portable functions: each backend's SQL for the same typed call, so that both give the
//! same answer (the parity suite checks the answers).

use orm::Value;
use orm::prelude::*;

use crate::models::{Post, Reading, User};
use crate::{golden, golden_split};

fn text(s: &str) -> Value {
    Value::String(Some(s.to_owned()))
}

fn int32(n: i32) -> Value {
    Value::I32(Some(n))
}

#[test]
fn date_parts_are_integers_in_utc() {
    golden(
        |d| {
            Post::query()
                .select((
                    date_part(DatePart::Year, Post::published_at),
                    date_part(DatePart::DayOfWeek, Post::published_at),
                ))
                .to_sql(d)
        },
        r#"SELECT CAST(strftime('%Y', "posts"."published_at") AS INTEGER), CAST(strftime('%w', "posts"."published_at") AS INTEGER) FROM "posts""#,
        r#"SELECT CAST(EXTRACT(YEAR FROM ("posts"."published_at" AT TIME ZONE 'UTC')) AS INTEGER), CAST(EXTRACT(DOW FROM ("posts"."published_at" AT TIME ZONE 'UTC')) AS INTEGER) FROM "posts""#,
        &[],
    );
    // A zone-less timestamp is UTC already.
    golden(
        |d| {
            Reading::query()
                .select(date_part(DatePart::Hour, Reading::taken_at))
                .to_sql(d)
        },
        r#"SELECT CAST(strftime('%H', "readings"."taken_at") AS INTEGER) FROM "readings""#,
        r#"SELECT CAST(EXTRACT(HOUR FROM "readings"."taken_at") AS INTEGER) FROM "readings""#,
        &[],
    );
}

#[test]
fn epoch_is_an_exact_decimal_with_microseconds() {
    golden(
        |d| User::query().select(epoch(User::created_at)).to_sql(d),
        r#"SELECT (CAST(strftime('%s', "users"."created_at") AS INTEGER) * 1000000 + CAST(substr("users"."created_at", 21, 6) AS INTEGER)) FROM "users""#,
        r#"SELECT EXTRACT(EPOCH FROM "users"."created_at") FROM "users""#,
        &[],
    );
}

#[test]
fn text_functions() {
    golden(
        |d| {
            User::query()
                .select((
                    trim(User::name),
                    substr(User::name, 2, 3),
                    replace(User::name, "a", "b"),
                ))
                .to_sql(d)
        },
        r#"SELECT TRIM("users"."name"), SUBSTR("users"."name", ?, ?), REPLACE("users"."name", ?, ?) FROM "users""#,
        r#"SELECT TRIM("users"."name"), SUBSTR("users"."name", $1, $2), REPLACE("users"."name", $3, $4) FROM "users""#,
        &[int32(2), int32(3), text("a"), text("b")],
    );
}

#[test]
fn greatest_and_least_ignore_nulls_on_sqlite() {
    // SQLite's two-argument max / min are NULL when either side is: each side is coalesced
    // with the other, so a NULL is ignored as PostgreSQL ignores it (the value binds twice).
    golden_split(
        |d| {
            User::query()
                .select((greatest(User::age, Some(18)), least(User::bio, User::bio)))
                .to_sql(d)
        },
        (
            r#"SELECT MAX(COALESCE("users"."age", ?), COALESCE(?, "users"."age")), MIN(COALESCE("users"."bio", "users"."bio"), COALESCE("users"."bio", "users"."bio")) FROM "users""#,
            &[int32(18), int32(18)],
        ),
        (
            r#"SELECT GREATEST("users"."age", $1), LEAST("users"."bio", "users"."bio") FROM "users""#,
            &[int32(18)],
        ),
    );
}

#[test]
fn nullif_and_current_date() {
    golden(
        |d| {
            User::query()
                .select((nullif(User::name, ""), current_date()))
                .to_sql(d)
        },
        r#"SELECT NULLIF("users"."name", ?), orm_now(3) FROM "users""#,
        r#"SELECT NULLIF("users"."name", $1), (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date FROM "users""#,
        &[text("")],
    );
}

#[test]
fn casts_to_text_give_one_text() {
    golden(
        |d| {
            User::query()
                .select((
                    User::created_at.cast::<String>(),
                    User::is_active.cast::<String>(),
                ))
                .to_sql(d)
        },
        r#"SELECT "users"."created_at", (CASE "users"."is_active" WHEN 1 THEN 'true' WHEN 0 THEN 'false' END) FROM "users""#,
        r#"SELECT to_char("users"."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), CAST("users"."is_active" AS TEXT) FROM "users""#,
        &[],
    );
    golden(
        |d| {
            Reading::query()
                .select(Reading::precise.cast::<String>())
                .to_sql(d)
        },
        r#"SELECT orm_real_text("readings"."precise", 15) FROM "readings""#,
        r#"SELECT CAST("readings"."precise" AS TEXT) FROM "readings""#,
        &[],
    );
}

#[test]
fn rounding_floats_and_decimals() {
    golden_split(
        |d| {
            Reading::query()
                .select((round(Reading::precise, 2), ceil(Reading::precise)))
                .to_sql(d)
        },
        (
            r#"SELECT orm_real_round("readings"."precise", 2, 15), orm_real_ceil("readings"."precise") FROM "readings""#,
            &[],
        ),
        (
            r#"SELECT CAST(ROUND(CAST("readings"."precise" AS NUMERIC), 2) AS DOUBLE PRECISION), CEIL("readings"."precise") FROM "readings""#,
            &[],
        ),
    );
    golden(
        |d| {
            Post::query()
                .select((round(Post::price, 1), floor(Post::price), abs(Post::price)))
                .to_sql(d)
        },
        r#"SELECT orm_dec_round("posts"."price", 2, 1, 1), orm_dec_floor("posts"."price", 2, 0), ABS("posts"."price") FROM "posts""#,
        r#"SELECT ROUND("posts"."price", 1), FLOOR("posts"."price"), ABS("posts"."price") FROM "posts""#,
        &[],
    );
}
