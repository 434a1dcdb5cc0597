//! The query language's expressions: arithmetic, text operators, `CASE`, `CAST`, aggregates,
//! scalar and window functions, and the mistakes refused before anything is sent.

use orm::functions::{aggregate_func, arg, func};
use orm::prelude::*;
use orm::{Statement, Value};

use crate::models::{Item, Post, Product, Reading, User};
use crate::{PG, SQLITE, assert_statement, golden, golden_compared, golden_split};

const ITEMS_SQL: &str =
    r#"SELECT "items"."id", "items"."name", "items"."note", "items"."qty" FROM "items""#;

fn int(n: i64) -> Value {
    Value::I64(Some(n))
}

fn int32(n: i32) -> Value {
    Value::I32(Some(n))
}

fn text(s: &str) -> Value {
    Value::String(Some(s.into()))
}

/// A `Post::price` (`numeric(10, 2)`) bind.
fn price(units: i64, scale: u32) -> Value {
    Value::Decimal(Some(Decimal::new(units, scale)), Some((10, 2)))
}

/// Assert `Error::Unsupported` for SQLite.
#[track_caller]
fn assert_unsupported_on_sqlite(result: orm::Result<Statement>) {
    match result {
        Err(Error::Unsupported { backend, .. }) => assert_eq!(backend, "sqlite"),
        other => panic!("expected Error::Unsupported on SQLite, got {other:?}"),
    }
}

/// Assert `Error::InvalidStatement` whose message contains `needle`.
#[track_caller]
fn assert_invalid(result: orm::Result<Statement>, needle: &str) {
    match result {
        Err(Error::InvalidStatement { message }) => assert!(
            message.contains(needle),
            "message {message:?} does not contain {needle:?}"
        ),
        other => panic!("expected Error::InvalidStatement, got {other:?}"),
    }
}

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
fn arithmetic_with_values() {
    golden(
        |d| {
            Item::query()
                .select((
                    Item::id + 1_i64,
                    Item::id - 2_i64,
                    Item::id * 3_i64,
                    Item::id / 4_i64,
                ))
                .to_sql(d)
        },
        r#"SELECT ("items"."id" + ?), ("items"."id" - ?), ("items"."id" * ?), ("items"."id" / ?) FROM "items""#,
        r#"SELECT ("items"."id" + $1), ("items"."id" - $2), ("items"."id" * $3), ("items"."id" / $4) FROM "items""#,
        &[int(1), int(2), int(3), int(4)],
    );
}

#[test]
fn arithmetic_nests_with_parentheses_and_columns() {
    item_filter(
        ((Item::qty + Item::qty) * 2_i32).gt(10_i32),
        r#"(("items"."qty" + "items"."qty") * ?) > ?"#,
        r#"(("items"."qty" + "items"."qty") * $1) > $2"#,
        &[int32(2), int32(10)],
    );
    // a - (b - c) keeps its meaning.
    item_filter(
        (Item::id - (Item::id - 1_i64)).eq(1_i64),
        r#"("items"."id" - ("items"."id" - ?)) = ?"#,
        r#"("items"."id" - ("items"."id" - $1)) = $2"#,
        &[int(1), int(1)],
    );
}

#[test]
fn arithmetic_on_floats() {
    golden(
        |d| {
            Reading::query()
                .select(Reading::precise * 1.5_f64)
                .filter((Reading::value / 2.0_f32).lt(1.0_f32))
                .to_sql(d)
        },
        r#"SELECT ("readings"."precise" * ?) FROM "readings" WHERE ("readings"."value" / ?) < ?"#,
        r#"SELECT ("readings"."precise" * $1) FROM "readings" WHERE ("readings"."value" / $2) < $3"#,
        &[
            Value::F64(Some(1.5)),
            Value::F32(Some(2.0)),
            Value::F32(Some(1.0)),
        ],
    );
}

/// SQLite computes decimals with orm's exact functions, each operand followed by its scale
/// (255 for exact text: a literal is never rounded to the column's scale), the result scale
/// last; PostgreSQL natively.
#[test]
fn decimal_add_and_sub_are_exact() {
    golden_split(
        |d| {
            Post::query()
                .select((
                    Post::price + Decimal::new(150, 2),
                    Post::price - Post::price,
                ))
                .to_sql(d)
        },
        (
            r#"SELECT orm_dec_add("posts"."price", 2, ?, 255, 2), orm_dec_sub("posts"."price", 2, "posts"."price", 2, 2) FROM "posts""#,
            &[Value::String(Some("1.50".into()))],
        ),
        (
            r#"SELECT ("posts"."price" + $1), ("posts"."price" - "posts"."price") FROM "posts""#,
            &[price(150, 2)],
        ),
    );
    // A literal with more decimals than the column sets the result's scale (1.99 + 0.005).
    golden_split(
        |d| {
            Post::query()
                .select(Post::price + Decimal::new(5, 3))
                .to_sql(d)
        },
        (
            r#"SELECT orm_dec_add("posts"."price", 2, ?, 255, 3) FROM "posts""#,
            &[Value::String(Some("0.005".into()))],
        ),
        (
            r#"SELECT ("posts"."price" + $1) FROM "posts""#,
            &[price(5, 3)],
        ),
    );
}

/// A product has the scale of its operands added; a quotient's scale comes from the values
/// (text on SQLite), so comparing it goes through `orm_dec_cmp`.
#[test]
fn decimal_mul_and_div_are_exact() {
    golden_split(
        |d| {
            Post::query()
                .select(Post::price * Decimal::new(2, 0))
                .to_sql(d)
        },
        (
            r#"SELECT orm_dec_mul("posts"."price", 2, ?, 255, 2) FROM "posts""#,
            &[Value::String(Some("2".into()))],
        ),
        (
            r#"SELECT ("posts"."price" * $1) FROM "posts""#,
            &[price(2, 0)],
        ),
    );
    golden_split(
        |d| {
            Post::query()
                .select(Post::id)
                .filter((Post::price / Decimal::new(2, 0)).gt(Decimal::new(1, 0)))
                .to_sql(d)
        },
        (
            r#"SELECT "posts"."id" FROM "posts" WHERE orm_dec_cmp(orm_dec_div("posts"."price", 2, ?, 255), 255, ?, 255) > 0"#,
            &[
                Value::String(Some("2".into())),
                Value::String(Some("1".into())),
            ],
        ),
        (
            r#"SELECT "posts"."id" FROM "posts" WHERE ("posts"."price" / $1) > $2"#,
            &[
                price(2, 0),
                Value::Decimal(Some(Decimal::new(1, 0)), Some((0, 255))),
            ],
        ),
    );
}

#[test]
fn concat() {
    golden(
        |d| {
            User::query()
                .select(User::name.concat(" <").concat(User::email).concat(">"))
                .to_sql(d)
        },
        r#"SELECT ((("users"."name" || ?) || "users"."email") || ?) FROM "users""#,
        r#"SELECT ((("users"."name" || $1) || "users"."email") || $2) FROM "users""#,
        &[text(" <"), text(">")],
    );
    item_filter(
        Item::note.concat("!").eq("hi!"),
        r#"("items"."note" || ?) = ?"#,
        r#"("items"."note" || $1) = $2"#,
        &[text("!"), text("hi!")],
    );
}

#[test]
fn ilike_is_native_on_postgres_and_folded_with_unicode_on_sqlite() {
    item_filter(
        Item::name.ilike("WID%"),
        r#"orm_lower("items"."name") LIKE orm_lower(?) ESCAPE '\'"#,
        r#""items"."name" ILIKE $1 ESCAPE '\'"#,
        &[text("WID%")],
    );
    item_filter(
        Item::note.ilike(Item::name),
        r#"orm_lower("items"."note") LIKE orm_lower("items"."name") ESCAPE '\'"#,
        r#""items"."note" ILIKE "items"."name" ESCAPE '\'"#,
        &[],
    );
}

#[test]
fn contains_starts_with_ends_with_escape_the_term() {
    item_filter(
        Item::name.contains("50%_off"),
        r#""items"."name" LIKE ? ESCAPE '\'"#,
        r#""items"."name" LIKE $1 ESCAPE '\'"#,
        &[text(r"%50\%\_off%")],
    );
    item_filter(
        Item::name.starts_with(r"C:\tmp"),
        r#""items"."name" LIKE ? ESCAPE '\'"#,
        r#""items"."name" LIKE $1 ESCAPE '\'"#,
        &[text(r"C:\\tmp%")],
    );
    item_filter(
        Item::note.ends_with("_x"),
        r#""items"."note" LIKE ? ESCAPE '\'"#,
        r#""items"."note" LIKE $1 ESCAPE '\'"#,
        &[text(r"%\_x")],
    );
}

#[test]
fn coalesce() {
    golden(
        |d| {
            Item::query()
                .select(orm::functions::coalesce(Item::qty, 0_i32))
                .filter(orm::functions::coalesce(Item::note, "none").ne("x"))
                .to_sql(d)
        },
        r#"SELECT COALESCE("items"."qty", ?) FROM "items" WHERE COALESCE("items"."note", ?) <> ?"#,
        r#"SELECT COALESCE("items"."qty", $1) FROM "items" WHERE COALESCE("items"."note", $2) <> $3"#,
        &[int32(0), text("none"), text("x")],
    );
    golden(
        |d| {
            User::query()
                .select(orm::functions::coalesce(User::bio, User::name))
                .to_sql(d)
        },
        r#"SELECT COALESCE("users"."bio", "users"."name") FROM "users""#,
        r#"SELECT COALESCE("users"."bio", "users"."name") FROM "users""#,
        &[],
    );
}

#[test]
fn case_when_with_else() {
    let size = case_when::<String, _, _>(Item::qty.gt(10_i32), "many")
        .when(Item::qty.gt(0_i32), "some")
        .otherwise("none");
    golden(
        |d| Item::query().select((Item::id, size.clone())).to_sql(d),
        r#"SELECT "items"."id", CASE WHEN "items"."qty" > ? THEN ? WHEN "items"."qty" > ? THEN ? ELSE ? END FROM "items""#,
        r#"SELECT "items"."id", CASE WHEN "items"."qty" > $1 THEN $2 WHEN "items"."qty" > $3 THEN $4 ELSE $5 END FROM "items""#,
        &[
            int32(10),
            text("many"),
            int32(0),
            text("some"),
            text("none"),
        ],
    );
}

#[test]
fn case_when_without_else() {
    let flag = case_when::<i32, _, _>(Item::note.is_null(), 0_i32).end();
    golden(
        |d| Item::query().select(flag.clone()).to_sql(d),
        r#"SELECT CASE WHEN "items"."note" IS NULL THEN ? END FROM "items""#,
        r#"SELECT CASE WHEN "items"."note" IS NULL THEN $1 END FROM "items""#,
        &[int32(0)],
    );
    // A CASE compared in a filter.
    item_filter(
        case_when::<i32, _, _>(Item::note.is_null(), 0_i32)
            .end()
            .eq(Some(0)),
        r#"CASE WHEN "items"."note" IS NULL THEN ? END = ?"#,
        r#"CASE WHEN "items"."note" IS NULL THEN $1 END = $2"#,
        &[int32(0), int32(0)],
    );
}

#[test]
fn cast() {
    golden(
        |d| {
            Item::query()
                .select((
                    Item::id.cast::<String>(),
                    Item::qty.cast::<Option<i64>>(),
                    Item::id.cast::<f64>(),
                    Item::qty.cast::<Option<bool>>(),
                ))
                .to_sql(d)
        },
        r#"SELECT CAST("items"."id" AS TEXT), CAST("items"."qty" AS INTEGER), CAST("items"."id" AS REAL), CAST("items"."qty" AS INTEGER) FROM "items""#,
        r#"SELECT CAST("items"."id" AS TEXT), CAST("items"."qty" AS BIGINT), CAST("items"."id" AS DOUBLE PRECISION), CAST("items"."qty" AS BOOLEAN) FROM "items""#,
        &[],
    );
}

#[test]
fn cast_to_decimal_timestamp_or_uuid_is_unsupported_on_sqlite() {
    #[track_caller]
    fn check<D, G>(query: orm::__private::Select<Item, D, G>, pg: &str) {
        assert_unsupported_on_sqlite(query.to_sql(SQLITE));
        assert_statement(&query.to_sql(PG).unwrap(), pg, &[]);
    }
    check(
        Item::query().select(Item::name.cast::<Decimal>()),
        r#"SELECT CAST("items"."name" AS NUMERIC) FROM "items""#,
    );
    check(
        Item::query().select(Item::name.cast::<DateTime<Utc>>()),
        r#"SELECT CAST("items"."name" AS TIMESTAMPTZ) FROM "items""#,
    );
    check(
        Item::query().select(Item::name.cast::<Uuid>()),
        r#"SELECT CAST("items"."name" AS UUID) FROM "items""#,
    );
}

#[test]
fn count_count_distinct_count_star() {
    golden(
        |d| {
            Post::query()
                .select((
                    count(Post::published_at),
                    count_distinct(Post::user_id),
                    count_star(),
                ))
                .to_sql(d)
        },
        r#"SELECT COUNT("posts"."published_at"), COUNT(DISTINCT "posts"."user_id"), COUNT(*) FROM "posts""#,
        r#"SELECT COUNT("posts"."published_at"), COUNT(DISTINCT "posts"."user_id"), COUNT(*) FROM "posts""#,
        &[],
    );
}

#[test]
fn sum_casts_bigint_and_real_sums_to_the_declared_type() {
    // SUM(bigint) is NUMERIC on PostgreSQL and SUM(real) stays REAL: both are cast back.
    golden(
        |d| {
            Reading::query()
                .select((
                    sum(Reading::id),
                    sum(Reading::level),
                    sum(Reading::value),
                    sum(Reading::precise),
                ))
                .to_sql(d)
        },
        r#"SELECT CAST(SUM("readings"."id") AS INTEGER), SUM("readings"."level"), CAST(SUM("readings"."value") AS REAL), SUM("readings"."precise") FROM "readings""#,
        r#"SELECT CAST(SUM("readings"."id") AS BIGINT), SUM("readings"."level"), CAST(SUM("readings"."value") AS DOUBLE PRECISION), SUM("readings"."precise") FROM "readings""#,
        &[],
    );
    golden(
        |d| {
            Product::query()
                .select((sum(Product::stock), sum(Product::price)))
                .to_sql(d)
        },
        r#"SELECT SUM("products"."stock"), SUM("products"."price") FROM "products""#,
        r#"SELECT SUM("products"."stock"), SUM("products"."price") FROM "products""#,
        &[],
    );
}

#[test]
fn avg_of_integers_and_decimals_is_exact() {
    golden(
        |d| {
            Reading::query()
                .select((avg(Reading::level), avg(Reading::precise)))
                .to_sql(d)
        },
        r#"SELECT orm_dec_avg("readings"."level", 0), CAST(AVG("readings"."precise") AS REAL) FROM "readings""#,
        r#"SELECT AVG("readings"."level"), CAST(AVG("readings"."precise") AS DOUBLE PRECISION) FROM "readings""#,
        &[],
    );
    golden(
        |d| Post::query().select(avg(Post::price)).to_sql(d),
        r#"SELECT orm_dec_avg("posts"."price", 2) FROM "posts""#,
        r#"SELECT AVG("posts"."price") FROM "posts""#,
        &[],
    );
}

#[test]
fn min_and_max() {
    golden(
        |d| {
            Post::query()
                .select((min(Post::price), max(Post::published_at)))
                .to_sql(d)
        },
        r#"SELECT MIN("posts"."price"), MAX("posts"."published_at") FROM "posts""#,
        r#"SELECT MIN("posts"."price"), MAX("posts"."published_at") FROM "posts""#,
        &[],
    );
}

#[test]
fn aggregate_compared_with_a_decimal_binds_the_scale() {
    golden_compared(
        |d| {
            Post::query()
                .group_by(Post::user_id)
                .having(sum(Post::price).gt(Decimal::new(10_000, 2)))
                .select(Post::user_id)
                .to_sql(d)
        },
        r#"SELECT "posts"."user_id" FROM "posts" GROUP BY "posts"."user_id" HAVING SUM("posts"."price") > ?"#,
        r#"SELECT "posts"."user_id" FROM "posts" GROUP BY "posts"."user_id" HAVING SUM("posts"."price") > $1"#,
        &[Value::Decimal(Some(Decimal::new(10_000, 2)), Some((0, 2)))],
    );
}

#[test]
fn lower_upper_length() {
    golden(
        |d| {
            User::query()
                .select((lower(User::name), upper(User::email), length(User::bio)))
                .filter(lower(User::email).eq("a@example.com"))
                .to_sql(d)
        },
        r#"SELECT orm_lower("users"."name"), orm_upper("users"."email"), LENGTH("users"."bio") FROM "users" WHERE orm_lower("users"."email") = ?"#,
        r#"SELECT LOWER("users"."name"), UPPER("users"."email"), LENGTH("users"."bio") FROM "users" WHERE LOWER("users"."email") = $1"#,
        &[text("a@example.com")],
    );
}

#[test]
fn now_in_the_stored_format() {
    golden(
        |d| {
            User::query()
                .select((User::id, now()))
                .filter(User::created_at.lt(now()))
                .to_sql(d)
        },
        r#"SELECT "users"."id", orm_now(0) FROM "users" WHERE "users"."created_at" < orm_now(0)"#,
        r#"SELECT "users"."id", CURRENT_TIMESTAMP FROM "users" WHERE "users"."created_at" < CURRENT_TIMESTAMP"#,
        &[],
    );
}

#[test]
fn date_trunc_of_utc_and_naive_timestamps() {
    let units = [
        (DateUnit::Year, "%Y-01-01T00:00:00.000000", "year"),
        (DateUnit::Month, "%Y-%m-01T00:00:00.000000", "month"),
        (DateUnit::Day, "%Y-%m-%dT00:00:00.000000", "day"),
        (DateUnit::Hour, "%Y-%m-%dT%H:00:00.000000", "hour"),
        (DateUnit::Minute, "%Y-%m-%dT%H:%M:00.000000", "minute"),
    ];
    for (unit, format, name) in units {
        // DateTime<Utc>: truncated in UTC on PostgreSQL, `Z` kept on SQLite.
        golden(
            |d| {
                Post::query()
                    .select(date_trunc(unit, Post::published_at))
                    .to_sql(d)
            },
            &format!(r#"SELECT strftime('{format}Z', "posts"."published_at") FROM "posts""#),
            &format!(r#"SELECT date_trunc('{name}', "posts"."published_at", 'UTC') FROM "posts""#),
            &[],
        );
        // NaiveDateTime.
        golden(
            |d| {
                Reading::query()
                    .select(date_trunc(unit, Reading::taken_at))
                    .to_sql(d)
            },
            &format!(r#"SELECT strftime('{format}', "readings"."taken_at") FROM "readings""#),
            &format!(r#"SELECT date_trunc('{name}', "readings"."taken_at") FROM "readings""#),
            &[],
        );
    }
}

#[test]
fn group_by_an_expression() {
    let month = || date_trunc(DateUnit::Month, Post::published_at);
    golden(
        |d| {
            Post::query()
                .group_by(month())
                .select((month(), count_star()))
                .order_by(month())
                .to_sql(d)
        },
        r#"SELECT strftime('%Y-%m-01T00:00:00.000000Z', "posts"."published_at"), COUNT(*) FROM "posts" GROUP BY strftime('%Y-%m-01T00:00:00.000000Z', "posts"."published_at") ORDER BY strftime('%Y-%m-01T00:00:00.000000Z', "posts"."published_at") NULLS LAST"#,
        r#"SELECT date_trunc('month', "posts"."published_at", 'UTC'), COUNT(*) FROM "posts" GROUP BY date_trunc('month', "posts"."published_at", 'UTC') ORDER BY date_trunc('month', "posts"."published_at", 'UTC') NULLS LAST"#,
        &[],
    );
}

#[test]
fn func_escape_hatch() {
    golden(
        |d| {
            User::query()
                .select(func::<String>(
                    "replace",
                    vec![
                        arg(User::name),
                        arg(value(String::from("a"))),
                        arg(value(String::from("b"))),
                    ],
                ))
                .filter(func::<i64>("abs", vec![arg(User::id)]).gt(3_i64))
                .to_sql(d)
        },
        r#"SELECT replace("users"."name", ?, ?) FROM "users" WHERE abs("users"."id") > ?"#,
        r#"SELECT replace("users"."name", $1, $2) FROM "users" WHERE abs("users"."id") > $3"#,
        &[text("a"), text("b"), int(3)],
    );
    // A schema-qualified name is a plain identifier too (PostgreSQL's catalog here).
    assert_statement(
        &User::query()
            .select(func::<String>("pg_catalog.lower", vec![arg(User::name)]))
            .to_sql(PG)
            .unwrap(),
        r#"SELECT pg_catalog.lower("users"."name") FROM "users""#,
        &[],
    );
}

#[test]
fn aggregate_func_escape_hatch_groups_like_an_aggregate() {
    golden(
        |d| {
            User::query()
                .group_by(User::is_active)
                .select((
                    User::is_active,
                    aggregate_func::<Option<i32>>("max", vec![arg(User::age)]),
                ))
                .to_sql(d)
        },
        r#"SELECT "users"."is_active", max("users"."age") FROM "users" GROUP BY "users"."is_active""#,
        r#"SELECT "users"."is_active", max("users"."age") FROM "users" GROUP BY "users"."is_active""#,
        &[],
    );
    // Without group_by it counts as an aggregate next to a bare column.
    for d in [SQLITE, PG] {
        assert_invalid(
            User::query()
                .select((
                    User::name,
                    aggregate_func::<Option<i32>>("max", vec![arg(User::age)]),
                ))
                .to_sql(d),
            "`users.name` is selected next to an aggregate without group_by",
        );
    }
}

#[test]
fn func_with_a_name_that_is_not_an_identifier_is_rejected() {
    for name in [
        "abs(1); DROP TABLE users; --",
        "lower\"",
        "",
        "1abs",
        "my func",
    ] {
        for d in [SQLITE, PG] {
            assert_invalid(
                User::query()
                    .select(func::<i64>(name.to_owned(), vec![arg(User::id)]))
                    .to_sql(d),
                "is not a function name",
            );
        }
    }
}

#[test]
fn row_number_rank_dense_rank() {
    golden(
        |d| {
            Post::query()
                .select((
                    Post::id,
                    row_number().over(
                        window()
                            .partition_by(Post::user_id)
                            .order_by(Post::published_at.desc()),
                    ),
                    rank().over(window().order_by(Post::price.desc())),
                    dense_rank().over(
                        window()
                            .partition_by(Post::user_id)
                            .partition_by(Post::title)
                            .order_by(Post::price)
                            .order_by(Post::id.desc()),
                    ),
                ))
                .to_sql(d)
        },
        r#"SELECT "posts"."id", ROW_NUMBER() OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."published_at" DESC NULLS FIRST), RANK() OVER (ORDER BY "posts"."price" DESC), DENSE_RANK() OVER (PARTITION BY "posts"."user_id", "posts"."title" ORDER BY "posts"."price", "posts"."id" DESC) FROM "posts""#,
        r#"SELECT "posts"."id", ROW_NUMBER() OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."published_at" DESC NULLS FIRST), RANK() OVER (ORDER BY "posts"."price" DESC), DENSE_RANK() OVER (PARTITION BY "posts"."user_id", "posts"."title" ORDER BY "posts"."price", "posts"."id" DESC) FROM "posts""#,
        &[],
    );
}

#[test]
fn lag_and_lead_bind_their_offset() {
    golden(
        |d| {
            Post::query()
                .select((
                    lag(Post::price, 1).over(window().order_by(Post::id)),
                    lead(Post::title, 2)
                        .over(window().partition_by(Post::user_id).order_by(Post::id)),
                ))
                .to_sql(d)
        },
        r#"SELECT LAG("posts"."price", ?) OVER (ORDER BY "posts"."id"), LEAD("posts"."title", ?) OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id") FROM "posts""#,
        r#"SELECT LAG("posts"."price", $1) OVER (ORDER BY "posts"."id"), LEAD("posts"."title", $2) OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id") FROM "posts""#,
        &[int32(1), int32(2)],
    );
}

#[test]
fn sum_over_a_window_with_partition_order_and_frame() {
    golden(
        |d| {
            Post::query()
                .select((
                    Post::id,
                    sum(Post::price).over(
                        window()
                            .partition_by(Post::user_id)
                            .order_by(Post::id)
                            .rows_between(FrameBound::UnboundedPreceding, FrameBound::CurrentRow),
                    ),
                    count_star().over(window()),
                    sum(Post::price).over(
                        window()
                            .order_by(Post::id)
                            .range_between(FrameBound::Preceding(3), FrameBound::Following(1)),
                    ),
                ))
                .to_sql(d)
        },
        r#"SELECT "posts"."id", SUM("posts"."price") OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), COUNT(*) OVER (), SUM("posts"."price") OVER (ORDER BY "posts"."id" RANGE BETWEEN 3 PRECEDING AND 1 FOLLOWING) FROM "posts""#,
        r#"SELECT "posts"."id", SUM("posts"."price") OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), COUNT(*) OVER (), SUM("posts"."price") OVER (ORDER BY "posts"."id" RANGE BETWEEN 3 PRECEDING AND 1 FOLLOWING) FROM "posts""#,
        &[],
    );
}

/// `sum` of a bigint and `avg` wrap the aggregate in a CAST; over a window the OVER clause
/// must stay on the aggregate (`CAST(SUM(x) OVER (..) AS ..)`): `CAST(SUM(x) AS ..) OVER (..)`
/// is a syntax error on both backends.
#[test]
fn sum_and_avg_over_a_window_keep_over_inside_the_cast() {
    golden(
        |d| {
            Post::query()
                .select((
                    Post::id,
                    sum(Post::id).over(window().partition_by(Post::user_id)),
                    avg(Post::user_id).over(window().partition_by(Post::user_id)),
                ))
                .to_sql(d)
        },
        r#"SELECT "posts"."id", CAST(SUM("posts"."id") OVER (PARTITION BY "posts"."user_id") AS INTEGER), orm_dec_avg("posts"."user_id", 0) OVER (PARTITION BY "posts"."user_id") FROM "posts""#,
        r#"SELECT "posts"."id", CAST(SUM("posts"."id") OVER (PARTITION BY "posts"."user_id") AS BIGINT), AVG("posts"."user_id") OVER (PARTITION BY "posts"."user_id") FROM "posts""#,
        &[],
    );
}

/// Comparison operators are non-associative on PostgreSQL (`a > b = c` is a syntax error), and
/// on SQLite `<`/`>` bind tighter than `=`: a condition compared with another must be
/// parenthesised.
#[test]
fn comparing_conditions_parenthesises_them() {
    item_filter(
        Item::qty.gt(0_i32).eq(Item::id.gt(5_i64)),
        r#"("items"."qty" > ?) = ("items"."id" > ?)"#,
        r#"("items"."qty" > $1) = ("items"."id" > $2)"#,
        &[int32(0), int(5)],
    );
    item_filter(
        Item::id.eq(1_i64).ne(true),
        r#"("items"."id" = ?) <> ?"#,
        r#"("items"."id" = $1) <> $2"#,
        &[int(1), Value::Bool(Some(true))],
    );
}

#[test]
fn column_of_a_table_not_in_the_query_is_refused() {
    for d in [SQLITE, PG] {
        assert_invalid(
            Item::query().filter(User::id.eq(1_i64)).to_sql(d),
            "`users` is not in this query",
        );
        assert_invalid(
            Item::query().select((Item::id, User::name)).to_sql(d),
            "column `users.name` is used",
        );
        assert_invalid(
            Item::query().select(Item::id).order_by(Post::id).to_sql(d),
            "`posts` is not in this query",
        );
        // The same column is fine once its table is joined.
        assert!(
            Post::query()
                .join(User::TABLE)
                .select(Post::id)
                .filter(User::id.eq(1_i64))
                .to_sql(d)
                .is_ok()
        );
    }
}

#[test]
fn outer_joined_column_into_a_non_option_type_is_refused() {
    for d in [SQLITE, PG] {
        assert_invalid(
            User::query()
                .left_join(Post::TABLE)
                .select((User::id, Post::title))
                .to_sql(d),
            "`posts.title` comes from the nullable side of an outer join",
        );
        // RIGHT JOIN: the tables before it are the nullable side.
        assert_invalid(
            User::query()
                .right_join(Post::TABLE)
                .select((User::name, Post::title))
                .to_sql(d),
            "`users.name` comes from the nullable side of an outer join",
        );
        // FULL JOIN: both sides.
        assert_invalid(
            User::query()
                .full_join(Post::TABLE)
                .select((User::name.nullable(), Post::title))
                .to_sql(d),
            "`posts.title` comes from the nullable side of an outer join",
        );
        // Every column of the model when the query's own table is on the nullable side.
        assert_invalid(
            User::query().right_join(Post::TABLE).to_sql(d),
            "`users.id` comes from the nullable side of an outer join",
        );
        // Nullable columns need no `.nullable()`, and `.nullable()` makes the rest fine.
        assert!(
            User::query()
                .left_join(Post::TABLE)
                .select((User::id, Post::published_at, Post::title.nullable()))
                .to_sql(d)
                .is_ok()
        );
    }
}

#[test]
fn aggregate_next_to_an_ungrouped_column_is_refused() {
    for d in [SQLITE, PG] {
        assert_invalid(
            Item::query().select((Item::name, count_star())).to_sql(d),
            "`items.name` is selected next to an aggregate without group_by",
        );
        assert_invalid(
            Item::query()
                .select((lower(Item::name), max(Item::qty)))
                .to_sql(d),
            "an expression over a column is selected next to an aggregate without group_by",
        );
        // Aggregates alone, or with group_by, are fine.
        assert!(
            Item::query()
                .select((count_star(), max(Item::qty)))
                .to_sql(d)
                .is_ok()
        );
        assert!(
            Item::query()
                .group_by(Item::name)
                .select((Item::name, count_star()))
                .to_sql(d)
                .is_ok()
        );
    }
}
