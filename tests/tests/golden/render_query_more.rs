//! The query language's statements: joins, aliases, grouping, subqueries, derived tables,
//! CTEs, set operations, keyset pagination, row locks, DTOs, counts, and the insert / upsert /
//! update / delete forms with `RETURNING`.

use orm::prelude::*;
use orm::{Statement, Value};

use crate::models::{
    Archive, Category, Employee, Item, Membership, NewItem, NewMembership, NewUser, Post, Product,
    User,
};
use crate::{PG, SQLITE, assert_statement, golden, golden_compared, golden_split};

fn int(n: i64) -> Value {
    Value::I64(Some(n))
}

fn int32(n: i32) -> Value {
    Value::I32(Some(n))
}

fn text(s: &str) -> Value {
    Value::String(Some(s.into()))
}

fn yes() -> Value {
    Value::Bool(Some(true))
}

/// A `Post::price` (`numeric(10, 2)`) bind.
fn price(units: i64, scale: u32) -> Value {
    Value::Decimal(Some(Decimal::new(units, scale)), Some((10, 2)))
}

/// Assert `Error::Unsupported` for SQLite.
#[track_caller]
fn assert_unsupported_on_sqlite<T: std::fmt::Debug>(result: orm::Result<T>) {
    match result {
        Err(Error::Unsupported { backend, .. }) => assert_eq!(backend, "sqlite"),
        other => panic!("expected Error::Unsupported on SQLite, got {other:?}"),
    }
}

/// Assert `Error::InvalidStatement` whose message contains `needle`.
#[track_caller]
fn assert_invalid<T: std::fmt::Debug>(result: orm::Result<T>, needle: &str) {
    match result {
        Err(Error::InvalidStatement { message }) => assert!(
            message.contains(needle),
            "message {message:?} does not contain {needle:?}"
        ),
        other => panic!("expected Error::InvalidStatement, got {other:?}"),
    }
}

/// The one statement of an insert.
#[track_caller]
fn single(statements: orm::Result<Vec<Statement>>) -> Statement {
    let mut statements = statements.unwrap();
    assert_eq!(statements.len(), 1, "{statements:?}");
    statements.remove(0)
}

const USER_COLUMNS: &str = r#""users"."id", "users"."email", "users"."name", "users"."bio", "users"."is_active", "users"."age", "users"."created_at", "users"."updated_at""#;
const POST_COLUMNS: &str = r#""posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."price", "posts"."published_at""#;

// ---------------------------------------------------------------------------------------------
// Joins and aliases

#[test]
fn join_through_the_foreign_key() {
    golden(
        |d| {
            User::query()
                .join(Post::TABLE)
                .select((User::name, Post::title))
                .to_sql(d)
        },
        r#"SELECT "users"."name", "posts"."title" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id""#,
        r#"SELECT "users"."name", "posts"."title" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id""#,
        &[],
    );
    // From the referencing side: the same key.
    golden(
        |d| {
            Post::query()
                .join(User::TABLE)
                .select((Post::title, User::name))
                .to_sql(d)
        },
        r#"SELECT "posts"."title", "users"."name" FROM "posts" INNER JOIN "users" ON "posts"."user_id" = "users"."id""#,
        r#"SELECT "posts"."title", "users"."name" FROM "posts" INNER JOIN "users" ON "posts"."user_id" = "users"."id""#,
        &[],
    );
}

#[test]
fn outer_joins_through_the_foreign_key() {
    golden(
        |d| {
            User::query()
                .left_join(Post::TABLE)
                .select((User::name, Post::title.nullable()))
                .to_sql(d)
        },
        r#"SELECT "users"."name", "posts"."title" FROM "users" LEFT JOIN "posts" ON "posts"."user_id" = "users"."id""#,
        r#"SELECT "users"."name", "posts"."title" FROM "users" LEFT JOIN "posts" ON "posts"."user_id" = "users"."id""#,
        &[],
    );
    golden(
        |d| {
            User::query()
                .right_join(Post::TABLE)
                .select((User::name.nullable(), Post::title))
                .to_sql(d)
        },
        r#"SELECT "users"."name", "posts"."title" FROM "users" RIGHT JOIN "posts" ON "posts"."user_id" = "users"."id""#,
        r#"SELECT "users"."name", "posts"."title" FROM "users" RIGHT JOIN "posts" ON "posts"."user_id" = "users"."id""#,
        &[],
    );
    golden(
        |d| {
            User::query()
                .full_join(Post::TABLE)
                .select((User::name.nullable(), Post::title.nullable()))
                .to_sql(d)
        },
        r#"SELECT "users"."name", "posts"."title" FROM "users" FULL JOIN "posts" ON "posts"."user_id" = "users"."id""#,
        r#"SELECT "users"."name", "posts"."title" FROM "users" FULL JOIN "posts" ON "posts"."user_id" = "users"."id""#,
        &[],
    );
}

#[test]
fn left_join_selecting_whole_rows() {
    let sql = format!(
        r#"SELECT {USER_COLUMNS}, {POST_COLUMNS} FROM "users" LEFT JOIN "posts" ON "posts"."user_id" = "users"."id""#
    );
    golden(
        |d| {
            User::query()
                .left_join(Post::TABLE)
                .select((model_row::<User>(), model_row::<Post>().nullable()))
                .to_sql(d)
        },
        &sql,
        &sql,
        &[],
    );
}

#[test]
fn joins_on_explicit_conditions() {
    let on = || {
        Post::user_id
            .eq(User::id)
            .and(Post::price.gt(Decimal::new(500, 2)))
    };
    let on_sql = r#"ON ("posts"."user_id" = "users"."id" AND "posts"."price" > ?)"#;
    let on_pg = r#"ON ("posts"."user_id" = "users"."id" AND "posts"."price" > $1)"#;
    golden_compared(
        |d| {
            User::query()
                .join_on(Post::TABLE, on())
                .select((User::name, Post::title))
                .filter(User::is_active.eq(true))
                .to_sql(d)
        },
        &format!(
            r#"SELECT "users"."name", "posts"."title" FROM "users" INNER JOIN "posts" {on_sql} WHERE "users"."is_active" = ?"#
        ),
        &format!(
            r#"SELECT "users"."name", "posts"."title" FROM "users" INNER JOIN "posts" {on_pg} WHERE "users"."is_active" = $2"#
        ),
        &[price(500, 2), yes()],
    );
    golden_compared(
        |d| {
            User::query()
                .left_join_on(Post::TABLE, on())
                .select((User::name, Post::title.nullable()))
                .to_sql(d)
        },
        &format!(
            r#"SELECT "users"."name", "posts"."title" FROM "users" LEFT JOIN "posts" {on_sql}"#
        ),
        &format!(
            r#"SELECT "users"."name", "posts"."title" FROM "users" LEFT JOIN "posts" {on_pg}"#
        ),
        &[price(500, 2)],
    );
    golden_compared(
        |d| {
            User::query()
                .right_join_on(Post::TABLE, on())
                .select((User::name.nullable(), Post::title))
                .to_sql(d)
        },
        &format!(
            r#"SELECT "users"."name", "posts"."title" FROM "users" RIGHT JOIN "posts" {on_sql}"#
        ),
        &format!(
            r#"SELECT "users"."name", "posts"."title" FROM "users" RIGHT JOIN "posts" {on_pg}"#
        ),
        &[price(500, 2)],
    );
    golden_compared(
        |d| {
            User::query()
                .full_join_on(Post::TABLE, on())
                .select((User::name.nullable(), Post::title.nullable()))
                .to_sql(d)
        },
        &format!(
            r#"SELECT "users"."name", "posts"."title" FROM "users" FULL JOIN "posts" {on_sql}"#
        ),
        &format!(
            r#"SELECT "users"."name", "posts"."title" FROM "users" FULL JOIN "posts" {on_pg}"#
        ),
        &[price(500, 2)],
    );
}

#[test]
fn join_without_a_foreign_key_is_refused() {
    for d in [SQLITE, PG] {
        assert_invalid(
            Item::query().join(User::TABLE).to_sql(d),
            "no foreign key links `users` to the tables of this query",
        );
        let tree = cte("tree", Item::query().select(Item::id));
        assert_invalid(
            Item::query().join(&tree).to_sql(d),
            "`tree` is not a model table",
        );
    }
}

#[test]
fn join_through_one_of_several_foreign_keys_is_refused() {
    for d in [SQLITE, PG] {
        // products.owner_id and products.reviewer_id both reference users.
        assert_invalid(
            Product::query()
                .join(User::TABLE)
                .select(Product::id)
                .to_sql(d),
            "several foreign keys link `users` to this query",
        );
        // A self-reference links an alias both ways.
        let manager = alias::<Employee>("manager");
        assert_invalid(
            Employee::query()
                .join(manager)
                .select(Employee::id)
                .to_sql(d),
            "several foreign keys link `manager` to this query",
        );
    }
}

#[test]
fn self_join_with_an_alias() {
    let manager = alias::<Employee>("manager");
    golden(
        |d| {
            Employee::query()
                .left_join_on(manager, Employee::manager_id.eq(manager.col(Employee::id)))
                .select((Employee::name, manager.col(Employee::name).nullable()))
                .to_sql(d)
        },
        r#"SELECT "employees"."name", "manager"."name" FROM "employees" LEFT JOIN "employees" AS "manager" ON "employees"."manager_id" = "manager"."id""#,
        r#"SELECT "employees"."name", "manager"."name" FROM "employees" LEFT JOIN "employees" AS "manager" ON "employees"."manager_id" = "manager"."id""#,
        &[],
    );
    // A whole aliased row.
    golden(
        |d| {
            Employee::query()
                .join_on(manager, Employee::manager_id.eq(manager.col(Employee::id)))
                .select((Employee::id, manager.row()))
                .to_sql(d)
        },
        r#"SELECT "employees"."id", "manager"."id", "manager"."name", "manager"."manager_id", "manager"."salary" FROM "employees" INNER JOIN "employees" AS "manager" ON "employees"."manager_id" = "manager"."id""#,
        r#"SELECT "employees"."id", "manager"."id", "manager"."name", "manager"."manager_id", "manager"."salary" FROM "employees" INNER JOIN "employees" AS "manager" ON "employees"."manager_id" = "manager"."id""#,
        &[],
    );
}

#[test]
fn select_from_two_aliases_of_one_table() {
    let e = alias::<Employee>("e");
    let m = alias::<Employee>("m");
    golden(
        |d| {
            select_from(e)
                .join_on(m, e.col(Employee::manager_id).eq(m.col(Employee::id)))
                .select((e.col(Employee::name), m.col(Employee::name)))
                .filter(e.col(Employee::salary).gt(m.col(Employee::salary)))
                .to_sql(d)
        },
        r#"SELECT "e"."name", "m"."name" FROM "employees" AS "e" INNER JOIN "employees" AS "m" ON "e"."manager_id" = "m"."id" WHERE "e"."salary" > "m"."salary""#,
        r#"SELECT "e"."name", "m"."name" FROM "employees" AS "e" INNER JOIN "employees" AS "m" ON "e"."manager_id" = "m"."id" WHERE "e"."salary" > "m"."salary""#,
        &[],
    );
    // The unaliased table is not in that query.
    for d in [SQLITE, PG] {
        assert_invalid(
            select_from(e).select(Employee::name).to_sql(d),
            "`employees` is not in this query",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Grouping, distinct, ordering

#[test]
fn group_by_and_having() {
    golden_compared(
        |d| {
            User::query()
                .join(Post::TABLE)
                .filter(Post::published_at.is_not_null())
                .group_by((User::id, User::name))
                .having(count_star().gt(2_i64))
                .having(max(Post::price).lt(Decimal::new(10_000, 2)))
                .select((User::id, User::name, count_star()))
                .order_by(count_star().desc())
                .to_sql(d)
        },
        r#"SELECT "users"."id", "users"."name", COUNT(*) FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."published_at" IS NOT NULL GROUP BY "users"."id", "users"."name" HAVING (COUNT(*) > ? AND MAX("posts"."price") < ?) ORDER BY COUNT(*) DESC"#,
        r#"SELECT "users"."id", "users"."name", COUNT(*) FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."published_at" IS NOT NULL GROUP BY "users"."id", "users"."name" HAVING (COUNT(*) > $1 AND MAX("posts"."price") < $2) ORDER BY COUNT(*) DESC"#,
        &[int(2), price(10_000, 2)],
    );
}

/// PostgreSQL matches GROUP BY expressions structurally, and `$1` and `$2` are different
/// expressions, so grouping by an expression with a bound value must reuse the select list's
/// placeholder (or group by position): `.. GROUP BY COALESCE("items"."qty", $2)` fails with
/// "column items.qty must appear in the GROUP BY clause".
#[test]
fn group_by_an_expression_with_a_bound_value() {
    let qty = || coalesce(Item::qty, 0_i32);
    let query = Item::query().group_by(qty()).select((qty(), count_star()));
    let pg = query.to_sql(PG).unwrap();
    assert!(
        [
            r#"SELECT COALESCE("items"."qty", $1), COUNT(*) FROM "items" GROUP BY COALESCE("items"."qty", $1)"#,
            r#"SELECT COALESCE("items"."qty", $1), COUNT(*) FROM "items" GROUP BY 1"#,
        ]
        .contains(&&*pg.sql),
        "GROUP BY does not match the select list on PostgreSQL: {}",
        pg.sql
    );
    assert_eq!(pg.binds, [int32(0)]);
}

/// A labelled select-list expression reused in ORDER BY / GROUP BY must not carry its
/// `AS "label"` there (a syntax error on both backends).
#[test]
fn labelled_expression_in_order_by_and_group_by() {
    let month = || date_trunc(DateUnit::Month, Post::published_at).label("month");
    let n = || count_star().label("n");
    golden(
        |d| {
            Post::query()
                .group_by(month())
                .select((month(), n()))
                .order_by(n().desc())
                .to_sql(d)
        },
        r#"SELECT strftime('%Y-%m-01T00:00:00.000000Z', "posts"."published_at") AS "month", COUNT(*) AS "n" FROM "posts" GROUP BY strftime('%Y-%m-01T00:00:00.000000Z', "posts"."published_at") ORDER BY COUNT(*) DESC"#,
        r#"SELECT date_trunc('month', "posts"."published_at", 'UTC') AS "month", COUNT(*) AS "n" FROM "posts" GROUP BY date_trunc('month', "posts"."published_at", 'UTC') ORDER BY COUNT(*) DESC"#,
        &[],
    );
}

#[test]
fn select_distinct() {
    golden(
        |d| {
            Post::query()
                .select(Post::user_id)
                .distinct()
                .order_by(Post::user_id)
                .to_sql(d)
        },
        r#"SELECT DISTINCT "posts"."user_id" FROM "posts" ORDER BY "posts"."user_id""#,
        r#"SELECT DISTINCT "posts"."user_id" FROM "posts" ORDER BY "posts"."user_id""#,
        &[],
    );
}

#[test]
fn distinct_on_is_postgres_only() {
    let latest = Post::query()
        .select((Post::user_id, Post::title))
        .distinct_on(Post::user_id)
        .order_by(Post::user_id)
        .order_by(Post::published_at.desc());
    assert_unsupported_on_sqlite(latest.to_sql(SQLITE));
    assert_statement(
        &latest.to_sql(PG).unwrap(),
        r#"SELECT DISTINCT ON ("posts"."user_id") "posts"."user_id", "posts"."title" FROM "posts" ORDER BY "posts"."user_id", "posts"."published_at" DESC NULLS FIRST"#,
        &[],
    );
    let several = Post::query()
        .select(Post::id)
        .distinct_on((Post::user_id, Post::title))
        .order_by(Post::user_id)
        .order_by(Post::title);
    assert_unsupported_on_sqlite(several.to_sql(SQLITE));
    assert_statement(
        &several.to_sql(PG).unwrap(),
        r#"SELECT DISTINCT ON ("posts"."user_id", "posts"."title") "posts"."id" FROM "posts" ORDER BY "posts"."user_id", "posts"."title""#,
        &[],
    );
}

#[test]
fn nulls_first_and_last() {
    golden(
        |d| {
            Post::query()
                .select(Post::id)
                .order_by(Post::published_at.desc().nulls_last())
                .order_by(Post::published_at.asc().nulls_first())
                .to_sql(d)
        },
        r#"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."published_at" DESC NULLS LAST, "posts"."published_at" NULLS FIRST"#,
        r#"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."published_at" DESC NULLS LAST, "posts"."published_at" NULLS FIRST"#,
        &[],
    );
}

// ---------------------------------------------------------------------------------------------
// Subqueries, derived tables, CTEs

#[test]
fn in_subquery_and_not_in_subquery() {
    golden_compared(
        |d| {
            User::query()
                .select(User::id)
                .filter(
                    User::id.in_subquery(
                        Post::query()
                            .select(Post::user_id)
                            .filter(Post::price.gt(Decimal::new(1000, 2))),
                    ),
                )
                .filter(User::is_active.eq(true))
                .to_sql(d)
        },
        r#"SELECT "users"."id" FROM "users" WHERE ("users"."id" IN (SELECT "posts"."user_id" FROM "posts" WHERE "posts"."price" > ?) AND "users"."is_active" = ?)"#,
        r#"SELECT "users"."id" FROM "users" WHERE ("users"."id" IN (SELECT "posts"."user_id" FROM "posts" WHERE "posts"."price" > $1) AND "users"."is_active" = $2)"#,
        &[price(1000, 2), yes()],
    );
    golden_compared(
        |d| {
            User::query()
                .select(User::id)
                .filter(User::id.not_in_subquery(Post::query().select(Post::user_id)))
                .to_sql(d)
        },
        r#"SELECT "users"."id" FROM "users" WHERE "users"."id" NOT IN (SELECT "posts"."user_id" FROM "posts")"#,
        r#"SELECT "users"."id" FROM "users" WHERE "users"."id" NOT IN (SELECT "posts"."user_id" FROM "posts")"#,
        &[],
    );
}

#[test]
fn correlated_exists_and_not_exists() {
    let posts_of_user = || {
        Post::query()
            .select(Post::id)
            .filter(Post::user_id.eq(User::id))
            .filter(Post::price.gt(Decimal::new(1, 0)))
    };
    golden_compared(
        |d| {
            User::query()
                .select(User::id)
                .filter(User::is_active.eq(true))
                .filter(exists(posts_of_user()))
                .to_sql(d)
        },
        r#"SELECT "users"."id" FROM "users" WHERE ("users"."is_active" = ? AND EXISTS (SELECT "posts"."id" FROM "posts" WHERE ("posts"."user_id" = "users"."id" AND "posts"."price" > ?)))"#,
        r#"SELECT "users"."id" FROM "users" WHERE ("users"."is_active" = $1 AND EXISTS (SELECT "posts"."id" FROM "posts" WHERE ("posts"."user_id" = "users"."id" AND "posts"."price" > $2)))"#,
        &[yes(), price(1, 0)],
    );
    golden_compared(
        |d| {
            User::query()
                .select(User::id)
                .filter(not_exists(posts_of_user()))
                .to_sql(d)
        },
        r#"SELECT "users"."id" FROM "users" WHERE NOT EXISTS (SELECT "posts"."id" FROM "posts" WHERE ("posts"."user_id" = "users"."id" AND "posts"."price" > ?))"#,
        r#"SELECT "users"."id" FROM "users" WHERE NOT EXISTS (SELECT "posts"."id" FROM "posts" WHERE ("posts"."user_id" = "users"."id" AND "posts"."price" > $1))"#,
        &[price(1, 0)],
    );
    // A subquery may see the enclosing query's tables, not others.
    for d in [SQLITE, PG] {
        assert_invalid(
            User::query()
                .filter(exists(Post::query().filter(Post::user_id.eq(Item::id))))
                .to_sql(d),
            "`items` is not in this query",
        );
    }
}

#[test]
fn scalar_subquery_in_select() {
    let post_count = Post::query()
        .select(count_star())
        .filter(Post::user_id.eq(User::id))
        .scalar();
    let latest_title = Post::query()
        .select(Post::title)
        .filter(Post::user_id.eq(User::id))
        .order_by(Post::id.desc())
        .limit(1)
        .scalar();
    golden(
        |d| {
            User::query()
                .select((User::id, post_count.clone(), latest_title.clone()))
                .to_sql(d)
        },
        r#"SELECT "users"."id", (SELECT COUNT(*) FROM "posts" WHERE "posts"."user_id" = "users"."id"), (SELECT "posts"."title" FROM "posts" WHERE "posts"."user_id" = "users"."id" ORDER BY "posts"."id" DESC LIMIT ?) FROM "users""#,
        r#"SELECT "users"."id", (SELECT COUNT(*) FROM "posts" WHERE "posts"."user_id" = "users"."id"), (SELECT "posts"."title" FROM "posts" WHERE "posts"."user_id" = "users"."id" ORDER BY "posts"."id" DESC LIMIT $1) FROM "users""#,
        &[int(1)],
    );
}

#[test]
fn scalar_subquery_in_filter() {
    golden(
        |d| {
            User::query()
                .select(User::id)
                .filter(User::age.gt(Item::query().select(max(Item::qty)).scalar()))
                .to_sql(d)
        },
        r#"SELECT "users"."id" FROM "users" WHERE "users"."age" > (SELECT MAX("items"."qty") FROM "items")"#,
        r#"SELECT "users"."id" FROM "users" WHERE "users"."age" > (SELECT MAX("items"."qty") FROM "items")"#,
        &[],
    );
}

fn post_totals() -> orm::Derived {
    Post::query()
        .filter(Post::price.gt(Decimal::new(0, 0)))
        .group_by(Post::user_id)
        .select((Post::user_id, count_star().label("n")))
        .derived("totals")
}

const TOTALS_SQLITE: &str = r#"(SELECT "posts"."user_id", COUNT(*) AS "n" FROM "posts" WHERE "posts"."price" > ? GROUP BY "posts"."user_id") AS "totals""#;
const TOTALS_PG: &str = r#"(SELECT "posts"."user_id", COUNT(*) AS "n" FROM "posts" WHERE "posts"."price" > $1 GROUP BY "posts"."user_id") AS "totals""#;

#[test]
fn derived_table_in_from() {
    let totals = post_totals();
    golden_compared(
        |d| {
            select_from(&totals)
                .select((totals.col(Post::user_id), totals.field::<i64>("n")))
                .filter(totals.field::<i64>("n").gt(1_i64))
                .to_sql(d)
        },
        &format!(
            r#"SELECT "totals"."user_id", "totals"."n" FROM {TOTALS_SQLITE} WHERE "totals"."n" > ?"#
        ),
        &format!(
            r#"SELECT "totals"."user_id", "totals"."n" FROM {TOTALS_PG} WHERE "totals"."n" > $2"#
        ),
        &[price(0, 0), int(1)],
    );
}

#[test]
fn derived_table_joined() {
    let totals = post_totals();
    golden_compared(
        |d| {
            User::query()
                .join_on(&totals, totals.col(Post::user_id).eq(User::id))
                .select((User::name, totals.field::<i64>("n")))
                .order_by(totals.field::<i64>("n").desc())
                .to_sql(d)
        },
        &format!(
            r#"SELECT "users"."name", "totals"."n" FROM "users" INNER JOIN {TOTALS_SQLITE} ON "totals"."user_id" = "users"."id" ORDER BY "totals"."n" DESC"#
        ),
        &format!(
            r#"SELECT "users"."name", "totals"."n" FROM "users" INNER JOIN {TOTALS_PG} ON "totals"."user_id" = "users"."id" ORDER BY "totals"."n" DESC"#
        ),
        &[price(0, 0)],
    );
}

#[test]
fn cte_in_from() {
    let recent = orm::cte(
        "recent",
        Post::query()
            .filter(Post::published_at.is_not_null())
            .select((Post::id, Post::user_id)),
    );
    golden(
        |d| {
            select_from(&recent)
                .select(recent.col(Post::id))
                .filter(recent.col(Post::user_id).eq(3_i64))
                .to_sql(d)
        },
        r#"WITH "recent" AS (SELECT "posts"."id", "posts"."user_id" FROM "posts" WHERE "posts"."published_at" IS NOT NULL) SELECT "recent"."id" FROM "recent" WHERE "recent"."user_id" = ?"#,
        r#"WITH "recent" AS (SELECT "posts"."id", "posts"."user_id" FROM "posts" WHERE "posts"."published_at" IS NOT NULL) SELECT "recent"."id" FROM "recent" WHERE "recent"."user_id" = $1"#,
        &[int(3)],
    );
}

#[test]
fn several_ctes() {
    let recent = orm::cte(
        "recent",
        Post::query()
            .filter(Post::price.gt(Decimal::new(100, 2)))
            .select((Post::id, Post::user_id)),
    );
    let active = orm::cte(
        "active",
        User::query()
            .filter(User::is_active.eq(true))
            .select((User::id, User::name)),
    );
    golden_compared(
        |d| {
            select_from(&recent)
                .join_on(&active, active.col(User::id).eq(recent.col(Post::user_id)))
                .select((recent.col(Post::id), active.col(User::name)))
                .to_sql(d)
        },
        r#"WITH "recent" AS (SELECT "posts"."id", "posts"."user_id" FROM "posts" WHERE "posts"."price" > ?), "active" AS (SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."is_active" = ?) SELECT "recent"."id", "active"."name" FROM "recent" INNER JOIN "active" ON "active"."id" = "recent"."user_id""#,
        r#"WITH "recent" AS (SELECT "posts"."id", "posts"."user_id" FROM "posts" WHERE "posts"."price" > $1), "active" AS (SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."is_active" = $2) SELECT "recent"."id", "active"."name" FROM "recent" INNER JOIN "active" ON "active"."id" = "recent"."user_id""#,
        &[price(100, 2), yes()],
    );
}

/// `.with(&cte)` puts the CTE in the outer `WITH`; `select_from(&cte)` in the subquery brings
/// its own, so the subquery repeats it (valid on both backends, if redundant).
#[test]
fn cte_attached_with_with_for_a_subquery() {
    let recent = orm::cte(
        "recent",
        Post::query()
            .filter(Post::published_at.is_not_null())
            .select(Post::user_id),
    );
    golden(
        |d| {
            User::query()
                .with(&recent)
                .select(User::id)
                .filter(
                    User::id.in_subquery(select_from(&recent).select(recent.col(Post::user_id))),
                )
                .to_sql(d)
        },
        r#"WITH "recent" AS (SELECT "posts"."user_id" FROM "posts" WHERE "posts"."published_at" IS NOT NULL) SELECT "users"."id" FROM "users" WHERE "users"."id" IN (WITH "recent" AS (SELECT "posts"."user_id" FROM "posts" WHERE "posts"."published_at" IS NOT NULL) SELECT "recent"."user_id" FROM "recent")"#,
        r#"WITH "recent" AS (SELECT "posts"."user_id" FROM "posts" WHERE "posts"."published_at" IS NOT NULL) SELECT "users"."id" FROM "users" WHERE "users"."id" IN (WITH "recent" AS (SELECT "posts"."user_id" FROM "posts" WHERE "posts"."published_at" IS NOT NULL) SELECT "recent"."user_id" FROM "recent")"#,
        &[],
    );
}

#[test]
fn recursive_cte_walks_a_tree() {
    let tree = recursive_cte(
        "tree",
        Category::query()
            .filter(Category::parent_id.is_null())
            .select((Category::id, Category::name, value(0_i32).label("depth"))),
        |tree| {
            Category::query()
                .join_on(tree, Category::parent_id.eq(tree.col(Category::id)))
                .select((
                    Category::id,
                    Category::name,
                    (tree.field::<i32>("depth") + 1_i32).label("depth"),
                ))
        },
    );
    golden(
        |d| {
            select_from(&tree)
                .select((tree.col(Category::name), tree.field::<i32>("depth")))
                .order_by(tree.field::<i32>("depth"))
                .to_sql(d)
        },
        r#"WITH RECURSIVE "tree" AS (SELECT "categories"."id", "categories"."name", ? AS "depth" FROM "categories" WHERE "categories"."parent_id" IS NULL UNION ALL SELECT "categories"."id", "categories"."name", ("tree"."depth" + ?) AS "depth" FROM "categories" INNER JOIN "tree" ON "categories"."parent_id" = "tree"."id") SELECT "tree"."name", "tree"."depth" FROM "tree" ORDER BY "tree"."depth""#,
        r#"WITH RECURSIVE "tree" AS (SELECT "categories"."id", "categories"."name", $1 AS "depth" FROM "categories" WHERE "categories"."parent_id" IS NULL UNION ALL SELECT "categories"."id", "categories"."name", ("tree"."depth" + $2) AS "depth" FROM "categories" INNER JOIN "tree" ON "categories"."parent_id" = "tree"."id") SELECT "tree"."name", "tree"."depth" FROM "tree" ORDER BY "tree"."depth""#,
        &[int32(0), int32(1)],
    );
}

// ---------------------------------------------------------------------------------------------
// Set operations

const ACTIVE_SQLITE: &str =
    r#"SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."is_active" = ?"#;
const ACTIVE_PG: &str =
    r#"SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."is_active" = $1"#;
const STAFF_SQL: &str = r#"SELECT "employees"."id", "employees"."name" FROM "employees""#;

#[test]
fn union_with_order_by_as_ordinals_and_limit() {
    let active = || {
        User::query()
            .select((User::id, User::name))
            .filter(User::is_active.eq(true))
    };
    let staff = || Employee::query().select((Employee::id, Employee::name));
    golden(
        |d| {
            active()
                .union(staff())
                .order_by(User::name.desc())
                .order_by(User::id)
                .limit(10)
                .to_sql(d)
        },
        &format!("{ACTIVE_SQLITE} UNION {STAFF_SQL} ORDER BY 2 DESC, 1 LIMIT ?"),
        &format!("{ACTIVE_PG} UNION {STAFF_SQL} ORDER BY 2 DESC, 1 LIMIT $2"),
        &[yes(), int(10)],
    );
}

#[test]
fn union_all_intersect_except() {
    let active = || {
        User::query()
            .select((User::id, User::name))
            .filter(User::is_active.eq(true))
    };
    let staff = || Employee::query().select((Employee::id, Employee::name));
    golden(
        |d| active().union_all(staff()).to_sql(d),
        &format!("{ACTIVE_SQLITE} UNION ALL {STAFF_SQL}"),
        &format!("{ACTIVE_PG} UNION ALL {STAFF_SQL}"),
        &[yes()],
    );
    golden(
        |d| active().intersect(staff()).to_sql(d),
        &format!("{ACTIVE_SQLITE} INTERSECT {STAFF_SQL}"),
        &format!("{ACTIVE_PG} INTERSECT {STAFF_SQL}"),
        &[yes()],
    );
    golden(
        |d| {
            active()
                .except(staff())
                .order_by(User::id)
                .offset(5)
                .to_sql(d)
        },
        &format!("{ACTIVE_SQLITE} EXCEPT {STAFF_SQL} ORDER BY 1 LIMIT -1 OFFSET ?"),
        &format!("{ACTIVE_PG} EXCEPT {STAFF_SQL} ORDER BY 1 OFFSET $2"),
        &[yes(), int(5)],
    );
}

#[test]
fn union_orders_by_a_labelled_column() {
    golden(
        |d| {
            User::query()
                .select((User::id, User::name.label("who")))
                .union(Employee::query().select((Employee::id, Employee::name)))
                .order_by(User::name)
                .to_sql(d)
        },
        &format!(
            r#"SELECT "users"."id", "users"."name" AS "who" FROM "users" UNION {STAFF_SQL} ORDER BY 2"#
        ),
        &format!(
            r#"SELECT "users"."id", "users"."name" AS "who" FROM "users" UNION {STAFF_SQL} ORDER BY 2"#
        ),
        &[],
    );
}

#[test]
fn compound_member_with_its_own_order_and_limit_is_wrapped() {
    let active = || {
        User::query()
            .select((User::id, User::name))
            .filter(User::is_active.eq(true))
    };
    golden(
        |d| {
            active()
                .union_all(
                    Employee::query()
                        .select((Employee::id, Employee::name))
                        .order_by(Employee::salary.desc())
                        .limit(3),
                )
                .limit(20)
                .to_sql(d)
        },
        &format!(
            r#"{ACTIVE_SQLITE} UNION ALL SELECT * FROM ({STAFF_SQL} ORDER BY "employees"."salary" DESC LIMIT ?) AS "compound_member" LIMIT ?"#
        ),
        &format!(
            r#"{ACTIVE_PG} UNION ALL SELECT * FROM ({STAFF_SQL} ORDER BY "employees"."salary" DESC LIMIT $2) AS "compound_member" LIMIT $3"#
        ),
        &[yes(), int(3), int(20)],
    );
}

/// `a.union(b).intersect(c)` means `(a UNION b) INTERSECT c`. SQLite evaluates compound
/// operators left to right, but PostgreSQL binds INTERSECT tighter than UNION, so the flat
/// `a UNION b INTERSECT c` is `a UNION (b INTERSECT c)` there: the left part must be grouped.
#[test]
fn chained_set_operations_keep_their_order_on_both_backends() {
    let active = || {
        User::query()
            .select((User::id, User::name))
            .filter(User::is_active.eq(true))
    };
    let staff = || Employee::query().select((Employee::id, Employee::name));
    golden(
        |d| active().union(staff()).intersect(staff()).to_sql(d),
        &format!(
            r#"SELECT * FROM ({ACTIVE_SQLITE} UNION {STAFF_SQL}) AS "compound_group" INTERSECT {STAFF_SQL}"#
        ),
        &format!(
            r#"SELECT * FROM ({ACTIVE_PG} UNION {STAFF_SQL}) AS "compound_group" INTERSECT {STAFF_SQL}"#
        ),
        &[yes()],
    );
}

/// A compound member that reads from a CTE needs the CTE's definition somewhere in the
/// statement; it must not be dropped.
#[test]
fn compound_member_reading_a_cte_keeps_its_definition() {
    let recent = orm::cte(
        "recent",
        Post::query()
            .filter(Post::published_at.is_not_null())
            .select((Post::id, Post::title)),
    );
    for d in [SQLITE, PG] {
        let statement = Post::query()
            .select((Post::id, Post::title))
            .filter(Post::price.lt(Decimal::new(0, 0)))
            .union(select_from(&recent).select((recent.col(Post::id), recent.col(Post::title))))
            .to_sql(d)
            .unwrap();
        assert!(
            statement.sql.contains(r#""recent" AS ("#),
            "the CTE `recent` is read but never defined: {}",
            statement.sql
        );
    }
}

#[test]
fn union_mistakes_are_refused() {
    let active = || {
        User::query()
            .select((User::id, User::name))
            .filter(User::is_active.eq(true))
    };
    let staff = || Employee::query().select((Employee::id, Employee::name));
    for d in [SQLITE, PG] {
        assert_invalid(
            active().order_by(User::name).union(staff()).to_sql(d),
            "call them after union / intersect / except",
        );
        assert_invalid(
            active().union(staff()).order_by(User::email).to_sql(d),
            "must name one of the selected expressions",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Keyset pagination, row locks, DTOs, counts

#[test]
fn keyset_on_one_key() {
    golden(
        |d| {
            Post::query()
                .select(Post::id)
                .keyset(Post::id.asc(), None)
                .limit(20)
                .to_sql(d)
        },
        r#"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."id" LIMIT ?"#,
        r#"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."id" LIMIT $1"#,
        &[int(20)],
    );
    golden(
        |d| {
            Post::query()
                .select(Post::id)
                .keyset(Post::id.asc(), Some(40))
                .limit(20)
                .to_sql(d)
        },
        r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."id" > ? ORDER BY "posts"."id" LIMIT ?"#,
        r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."id" > $1 ORDER BY "posts"."id" LIMIT $2"#,
        &[int(40), int(20)],
    );
    golden(
        |d| {
            Post::query()
                .select(Post::id)
                .after(Post::id.desc(), 40)
                .to_sql(d)
        },
        r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."id" < ? ORDER BY "posts"."id" DESC"#,
        r#"SELECT "posts"."id" FROM "posts" WHERE "posts"."id" < $1 ORDER BY "posts"."id" DESC"#,
        &[int(40)],
    );
}

#[test]
fn keyset_on_two_keys_with_mixed_directions() {
    golden(
        |d| {
            Post::query()
                .select(Post::id)
                .filter(Post::user_id.eq(3_i64))
                .keyset(
                    (Post::price.desc(), Post::id.asc()),
                    Some((Decimal::new(999, 2), 7)),
                )
                .limit(10)
                .to_sql(d)
        },
        r#"SELECT "posts"."id" FROM "posts" WHERE ("posts"."user_id" = ? AND ("posts"."price" < ? OR ("posts"."price" = ? AND "posts"."id" > ?))) ORDER BY "posts"."price" DESC, "posts"."id" LIMIT ?"#,
        r#"SELECT "posts"."id" FROM "posts" WHERE ("posts"."user_id" = $1 AND ("posts"."price" < $2 OR ("posts"."price" = $3 AND "posts"."id" > $4))) ORDER BY "posts"."price" DESC, "posts"."id" LIMIT $5"#,
        &[int(3), price(999, 2), price(999, 2), int(7), int(10)],
    );
}

/// A cursor whose key is NULL cannot be compared with `<` / `=` (never true, so the next page
/// would always be empty): the query is refused before anything is sent.
#[test]
fn keyset_cursor_with_a_null_key_is_refused() {
    for d in [SQLITE, PG] {
        let error = Post::query()
            .select(Post::id)
            .after((Post::published_at.desc(), Post::id.desc()), (None, 9))
            .to_sql(d)
            .unwrap_err();
        assert!(
            matches!(&error, orm::Error::InvalidStatement { message } if message.contains("non-NULL")),
            "{error}"
        );
    }
}

#[test]
fn row_locks_on_postgres() {
    let base = || {
        Item::query()
            .select(Item::id)
            .filter(Item::qty.gt(0_i32))
            .limit(1)
    };
    let cases = [
        (base().for_update(), "FOR UPDATE"),
        (base().for_no_key_update(), "FOR NO KEY UPDATE"),
        (base().for_share(), "FOR SHARE"),
        (base().for_update().skip_locked(), "FOR UPDATE SKIP LOCKED"),
        (base().skip_locked(), "FOR UPDATE SKIP LOCKED"),
        (base().for_share().nowait(), "FOR SHARE NOWAIT"),
        (base().nowait().for_share(), "FOR SHARE NOWAIT"),
    ];
    for (query, lock) in cases {
        assert_statement(
            &query.to_sql(PG).unwrap(),
            &format!(
                r#"SELECT "items"."id" FROM "items" WHERE "items"."qty" > $1 LIMIT $2 {lock}"#
            ),
            &[int32(0), int(1)],
        );
        assert_unsupported_on_sqlite(query.to_sql(SQLITE));
    }
    // The refusal reads as a sentence that says why and what to do.
    let message = base().for_update().to_sql(SQLITE).unwrap_err().to_string();
    assert_eq!(
        message,
        "locking rows (FOR UPDATE / FOR SHARE) is not supported on SQLite: it locks the whole \
         database for a write transaction instead; a transaction (db.begin(), which is BEGIN \
         IMMEDIATE) is enough"
    );
}

#[derive(FromRow, Debug)]
#[orm(model = User)]
#[allow(dead_code)]
struct UserCard {
    id: i64,
    email: String,
    bio: Option<String>,
}

#[test]
fn select_as_a_dto() {
    golden_compared(
        |d| {
            User::query()
                .filter(User::is_active.eq(true))
                .select_as::<UserCard>()
                .to_sql(d)
        },
        r#"SELECT "users"."id", "users"."email", "users"."bio" FROM "users" WHERE "users"."is_active" = ?"#,
        r#"SELECT "users"."id", "users"."email", "users"."bio" FROM "users" WHERE "users"."is_active" = $1"#,
        &[yes()],
    );
    golden_compared(
        |d| {
            User::query()
                .join(Post::TABLE)
                .filter(Post::price.gt(Decimal::new(1, 0)))
                .distinct()
                .select_as::<UserCard>()
                .to_sql(d)
        },
        r#"SELECT DISTINCT "users"."id", "users"."email", "users"."bio" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."price" > ?"#,
        r#"SELECT DISTINCT "users"."id", "users"."email", "users"."bio" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."price" > $1"#,
        &[price(1, 0)],
    );
}

#[test]
fn count_sql_of_a_joined_and_grouped_query_counts_a_subquery() {
    golden_compared(
        |d| {
            User::query()
                .join(Post::TABLE)
                .group_by(User::id)
                .having(count_star().gt(1_i64))
                .select((User::id, count_star()))
                .order_by(User::id)
                .count_sql(d)
        },
        r#"SELECT COUNT(*) FROM (SELECT "users"."id", COUNT(*) FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" GROUP BY "users"."id" HAVING COUNT(*) > ? ORDER BY "users"."id") AS "counted""#,
        r#"SELECT COUNT(*) FROM (SELECT "users"."id", COUNT(*) FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" GROUP BY "users"."id" HAVING COUNT(*) > $1 ORDER BY "users"."id") AS "counted""#,
        &[int(1)],
    );
    golden_compared(
        |d| {
            User::query()
                .join(Post::TABLE)
                .filter(Post::price.gt(Decimal::new(1, 0)))
                .count_sql(d)
        },
        &format!(
            r#"SELECT COUNT(*) FROM (SELECT {USER_COLUMNS} FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."price" > ?) AS "counted""#
        ),
        &format!(
            r#"SELECT COUNT(*) FROM (SELECT {USER_COLUMNS} FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."price" > $1) AS "counted""#
        ),
        &[price(1, 0)],
    );
}

#[test]
fn count_sql_of_distinct_union_and_cte_queries_counts_a_subquery() {
    golden(
        |d| Post::query().select(Post::user_id).distinct().count_sql(d),
        r#"SELECT COUNT(*) FROM (SELECT DISTINCT "posts"."user_id" FROM "posts") AS "counted""#,
        r#"SELECT COUNT(*) FROM (SELECT DISTINCT "posts"."user_id" FROM "posts") AS "counted""#,
        &[],
    );
    golden(
        |d| {
            User::query()
                .select((User::id, User::name))
                .union(Employee::query().select((Employee::id, Employee::name)))
                .count_sql(d)
        },
        &format!(
            r#"SELECT COUNT(*) FROM (SELECT "users"."id", "users"."name" FROM "users" UNION {STAFF_SQL}) AS "counted""#
        ),
        &format!(
            r#"SELECT COUNT(*) FROM (SELECT "users"."id", "users"."name" FROM "users" UNION {STAFF_SQL}) AS "counted""#
        ),
        &[],
    );
    let recent = orm::cte("recent", Post::query().select(Post::id));
    golden(
        |d| {
            select_from(&recent)
                .select(recent.col(Post::id))
                .count_sql(d)
        },
        r#"SELECT COUNT(*) FROM (WITH "recent" AS (SELECT "posts"."id" FROM "posts") SELECT "recent"."id" FROM "recent") AS "counted""#,
        r#"SELECT COUNT(*) FROM (WITH "recent" AS (SELECT "posts"."id" FROM "posts") SELECT "recent"."id" FROM "recent") AS "counted""#,
        &[],
    );
}

/// A query selecting only aggregates returns one row whatever the table holds: its count is
/// 1, not the number of rows of the table.
#[test]
fn count_sql_of_an_aggregate_query_counts_its_one_row() {
    golden(
        |d| Item::query().select(max(Item::qty)).count_sql(d),
        r#"SELECT COUNT(*) FROM (SELECT MAX("items"."qty") FROM "items") AS "counted""#,
        r#"SELECT COUNT(*) FROM (SELECT MAX("items"."qty") FROM "items") AS "counted""#,
        &[],
    );
}

/// Likewise `exists` of an aggregate query is always true (it returns its one row even over
/// an empty table); dropping the select list turns it into a test of the table's rows.
#[test]
fn exists_sql_of_an_aggregate_query_keeps_the_aggregate() {
    golden(
        |d| Item::query().select(count_star()).exists_sql(d),
        r#"SELECT EXISTS (SELECT COUNT(*) FROM "items")"#,
        r#"SELECT EXISTS (SELECT COUNT(*) FROM "items")"#,
        &[],
    );
}

// ---------------------------------------------------------------------------------------------
// Insert, upsert, update, delete, RETURNING

fn new_items() -> Vec<NewItem> {
    vec![
        NewItem {
            name: "a".into(),
            note: None,
            qty: Some(1),
        },
        NewItem {
            name: "b".into(),
            note: Some("n".into()),
            qty: None,
        },
    ]
}

fn new_items_binds() -> Vec<Value> {
    vec![
        text("a"),
        Value::String(None),
        int32(1),
        text("b"),
        text("n"),
        Value::I32(None),
    ]
}

#[test]
fn insert_many() {
    golden(
        |d| single(orm::insert(new_items()).to_sql(d)),
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES (?, ?, ?), (?, ?, ?)"#,
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES ($1, $2, $3), ($4, $5, $6)"#,
        &new_items_binds(),
    );
}

#[test]
fn insert_returning() {
    golden(
        |d| {
            single(
                orm::insert(new_items())
                    .returning((Item::id, Item::name))
                    .to_sql(d),
            )
        },
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES (?, ?, ?), (?, ?, ?) RETURNING "id", "name""#,
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES ($1, $2, $3), ($4, $5, $6) RETURNING "id", "name""#,
        &new_items_binds(),
    );
    golden(
        |d| single(orm::insert(new_items()).returning_model().to_sql(d)),
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES (?, ?, ?), (?, ?, ?) RETURNING "id", "name", "note", "qty""#,
        r#"INSERT INTO "items" ("name", "note", "qty") VALUES ($1, $2, $3), ($4, $5, $6) RETURNING "id", "name", "note", "qty""#,
        &new_items_binds(),
    );
}

fn archive_posts() -> orm::insert::Insert<Archive> {
    orm::insert_select::<Archive, _, _>(
        (Archive::id, Archive::title),
        Post::query().select((Post::id, Post::title)),
    )
}

const ARCHIVE_SQL: &str =
    r#"INSERT INTO "archives" ("id", "title") SELECT "posts"."id", "posts"."title" FROM "posts""#;

/// The insert of an `INSERT .. SELECT` into the archive's generated key: one statement on
/// SQLite; on PostgreSQL the key's sequence then moves past the copied keys (`render_keys`).
fn copied(statements: orm::Result<Vec<Statement>>) -> Statement {
    let mut statements = statements.unwrap();
    if statements.len() == 2 {
        assert!(
            statements[1].sql.starts_with("SELECT setval("),
            "{statements:?}"
        );
        statements.pop();
    }
    single(Ok(statements))
}

#[test]
fn insert_select_copies_a_query() {
    golden_compared(
        |d| {
            copied(
                orm::insert_select::<Archive, _, _>(
                    (Archive::id, Archive::title),
                    Post::query()
                        .select((Post::id, Post::title))
                        .filter(Post::price.gt(Decimal::new(0, 0))),
                )
                .to_sql(d),
            )
        },
        &format!(r#"{ARCHIVE_SQL} WHERE "posts"."price" > ?"#),
        &format!(r#"{ARCHIVE_SQL} WHERE "posts"."price" > $1"#),
        &[price(0, 0)],
    );
    golden(
        |d| copied(archive_posts().to_sql(d)),
        ARCHIVE_SQL,
        ARCHIVE_SQL,
        &[],
    );
}

/// SQLite cannot tell the upsert's `ON` from a join's `ON` after `INSERT .. SELECT .. FROM t`:
/// the select needs a WHERE clause.
#[test]
fn insert_select_with_on_conflict_has_a_where_clause() {
    golden(
        |d| {
            copied(
                archive_posts()
                    .on_conflict(Archive::id)
                    .do_nothing()
                    .to_sql(d),
            )
        },
        &format!(r#"{ARCHIVE_SQL} WHERE 1 = 1 ON CONFLICT ("id") DO NOTHING"#),
        &format!(r#"{ARCHIVE_SQL} WHERE 1 = 1 ON CONFLICT ("id") DO NOTHING"#),
        &[],
    );
    golden(
        |d| {
            copied(
                orm::insert_select::<Archive, _, _>(
                    (Archive::id, Archive::title),
                    Post::query()
                        .select((Post::id, Post::title))
                        .filter(Post::user_id.eq(2_i64)),
                )
                .on_conflict(Archive::id)
                .do_update(Archive::title, excluded(Archive::title))
                .to_sql(d),
            )
        },
        &format!(
            r#"{ARCHIVE_SQL} WHERE "posts"."user_id" = ? ON CONFLICT ("id") DO UPDATE SET "title" = EXCLUDED."title""#
        ),
        &format!(
            r#"{ARCHIVE_SQL} WHERE "posts"."user_id" = $1 ON CONFLICT ("id") DO UPDATE SET "title" = EXCLUDED."title""#
        ),
        &[int(2)],
    );
}

/// The select of an `INSERT .. SELECT .. ON CONFLICT` reading from a CTE keeps its `WITH`.
#[test]
fn insert_select_from_a_cte_with_on_conflict_keeps_the_cte() {
    let recent = orm::cte(
        "recent",
        Post::query()
            .filter(Post::published_at.is_not_null())
            .select((Post::id, Post::title)),
    );
    golden(
        |d| {
            copied(
                orm::insert_select::<Archive, _, _>(
                    (Archive::id, Archive::title),
                    select_from(&recent).select((recent.col(Post::id), recent.col(Post::title))),
                )
                .on_conflict(Archive::id)
                .do_nothing()
                .to_sql(d),
            )
        },
        r#"INSERT INTO "archives" ("id", "title") WITH "recent" AS (SELECT "posts"."id", "posts"."title" FROM "posts" WHERE "posts"."published_at" IS NOT NULL) SELECT "recent"."id", "recent"."title" FROM "recent" WHERE 1 = 1 ON CONFLICT ("id") DO NOTHING"#,
        r#"INSERT INTO "archives" ("id", "title") WITH "recent" AS (SELECT "posts"."id", "posts"."title" FROM "posts" WHERE "posts"."published_at" IS NOT NULL) SELECT "recent"."id", "recent"."title" FROM "recent" WHERE 1 = 1 ON CONFLICT ("id") DO NOTHING"#,
        &[],
    );
}

/// A union feeding an upsert: its last member ends in `FROM "employees"` right before
/// `ON CONFLICT`, which SQLite cannot parse; that member needs a WHERE clause too.
#[test]
fn insert_select_of_a_union_with_on_conflict_has_a_where_clause() {
    golden(
        |d| {
            copied(
                orm::insert_select::<Archive, _, _>(
                    (Archive::id, Archive::title),
                    Post::query()
                        .select((Post::id, Post::title))
                        .union(Employee::query().select((Employee::id, Employee::name))),
                )
                .on_conflict(Archive::id)
                .do_nothing()
                .to_sql(d),
            )
        },
        &format!(r#"{ARCHIVE_SQL} UNION {STAFF_SQL} WHERE 1 = 1 ON CONFLICT ("id") DO NOTHING"#),
        &format!(r#"{ARCHIVE_SQL} UNION {STAFF_SQL} WHERE 1 = 1 ON CONFLICT ("id") DO NOTHING"#),
        &[],
    );
}

fn new_user() -> NewUser {
    NewUser {
        email: "a@example.com".into(),
        name: "A".into(),
        ..Default::default()
    }
}

const NEW_USER_SQLITE: &str =
    r#"INSERT INTO "users" ("email", "name", "bio", "is_active", "age") VALUES (?, ?, ?, ?, ?)"#;
const NEW_USER_PG: &str = r#"INSERT INTO "users" ("email", "name", "bio", "is_active", "age") VALUES ($1, $2, $3, $4, $5)"#;

fn new_user_binds() -> Vec<Value> {
    vec![
        text("a@example.com"),
        text("A"),
        Value::String(None),
        yes(),
        Value::I32(None),
    ]
}

#[test]
fn upsert_do_update_with_excluded() {
    golden(
        |d| {
            single(
                orm::insert(vec![new_user()])
                    .on_conflict(User::email)
                    .do_update(User::name, excluded(User::name))
                    .do_update(User::age, excluded(User::age))
                    .to_sql(d),
            )
        },
        &format!(
            r#"{NEW_USER_SQLITE} ON CONFLICT ("email") DO UPDATE SET "name" = EXCLUDED."name", "age" = EXCLUDED."age", "updated_at" = orm_now(0)"#
        ),
        &format!(
            r#"{NEW_USER_PG} ON CONFLICT ("email") DO UPDATE SET "name" = EXCLUDED."name", "age" = EXCLUDED."age", "updated_at" = CURRENT_TIMESTAMP"#
        ),
        &new_user_binds(),
    );
}

#[test]
fn upsert_do_update_with_expressions_of_the_stored_row() {
    let mut binds = new_user_binds();
    binds.push(int32(1));
    golden(
        |d| {
            single(
                orm::insert(vec![new_user()])
                    .on_conflict(User::email)
                    .do_update(User::age, User::age + 1_i32)
                    .do_update(User::name, User::name.concat(excluded(User::name)))
                    .to_sql(d),
            )
        },
        &format!(
            r#"{NEW_USER_SQLITE} ON CONFLICT ("email") DO UPDATE SET "age" = ("users"."age" + ?), "name" = ("users"."name" || EXCLUDED."name"), "updated_at" = orm_now(0)"#
        ),
        &format!(
            r#"{NEW_USER_PG} ON CONFLICT ("email") DO UPDATE SET "age" = ("users"."age" + $6), "name" = ("users"."name" || EXCLUDED."name"), "updated_at" = CURRENT_TIMESTAMP"#
        ),
        &binds,
    );
}

#[test]
fn upsert_do_update_where() {
    let mut binds = new_user_binds();
    binds.push(yes());
    golden(
        |d| {
            single(
                orm::insert(vec![new_user()])
                    .on_conflict(User::email)
                    .do_update(User::name, excluded(User::name))
                    .do_update_where(User::is_active.eq(true))
                    .do_update_where(excluded(User::age).is_not_null())
                    .returning(User::id)
                    .to_sql(d),
            )
        },
        &format!(
            r#"{NEW_USER_SQLITE} ON CONFLICT ("email") DO UPDATE SET "name" = EXCLUDED."name", "updated_at" = orm_now(0) WHERE ("users"."is_active" = ? AND EXCLUDED."age" IS NOT NULL) RETURNING "id""#
        ),
        &format!(
            r#"{NEW_USER_PG} ON CONFLICT ("email") DO UPDATE SET "name" = EXCLUDED."name", "updated_at" = CURRENT_TIMESTAMP WHERE ("users"."is_active" = $6 AND EXCLUDED."age" IS NOT NULL) RETURNING "id""#
        ),
        &binds,
    );
}

#[test]
fn upsert_do_nothing() {
    golden(
        |d| {
            single(
                orm::insert(vec![new_user()])
                    .on_conflict(User::email)
                    .do_nothing()
                    .to_sql(d),
            )
        },
        &format!(r#"{NEW_USER_SQLITE} ON CONFLICT ("email") DO NOTHING"#),
        &format!(r#"{NEW_USER_PG} ON CONFLICT ("email") DO NOTHING"#),
        &new_user_binds(),
    );
    // A composite conflict target.
    golden(
        |d| {
            single(
                orm::insert(vec![NewMembership {
                    user_id: 7,
                    group_id: 3,
                    role: "owner".into(),
                }])
                .on_conflict((Membership::user_id, Membership::group_id))
                .do_nothing()
                .to_sql(d),
            )
        },
        r#"INSERT INTO "memberships" ("user_id", "group_id", "role") VALUES (?, ?, ?) ON CONFLICT ("user_id", "group_id") DO NOTHING"#,
        r#"INSERT INTO "memberships" ("user_id", "group_id", "role") VALUES ($1, $2, $3) ON CONFLICT ("user_id", "group_id") DO NOTHING"#,
        &[int(7), int32(3), text("owner")],
    );
}

#[test]
fn upsert_without_an_action_is_refused() {
    for d in [SQLITE, PG] {
        assert_invalid(
            orm::insert(vec![new_user()])
                .on_conflict(User::email)
                .to_sql(d),
            "on_conflict(..) needs .do_nothing() or .do_update(..)",
        );
        assert_invalid(
            orm::insert(vec![new_user()])
                .do_update(User::name, excluded(User::name))
                .to_sql(d),
            "do_update needs on_conflict first",
        );
    }
}

#[test]
fn update_from_an_expression() {
    golden(
        |d| {
            Item::update()
                .filter(Item::id.eq(1_i64))
                .set(Item::qty, Item::qty + 1_i32)
                .set(Item::name, Item::name.concat("!"))
                .to_sql(d)
        },
        r#"UPDATE "items" SET "qty" = ("items"."qty" + ?), "name" = ("items"."name" || ?) WHERE "items"."id" = ?"#,
        r#"UPDATE "items" SET "qty" = ("items"."qty" + $1), "name" = ("items"."name" || $2) WHERE "items"."id" = $3"#,
        &[int32(1), text("!"), int(1)],
    );
    // A scalar subquery as the new value.
    golden(
        |d| {
            Item::update()
                .filter(Item::qty.is_null())
                .set(
                    Item::qty,
                    Post::query()
                        .select(count_star().cast::<i32>())
                        .filter(Post::title.eq(Item::name))
                        .scalar(),
                )
                .to_sql(d)
        },
        r#"UPDATE "items" SET "qty" = (SELECT CAST(COUNT(*) AS INTEGER) FROM "posts" WHERE "posts"."title" = "items"."name") WHERE "items"."qty" IS NULL"#,
        r#"UPDATE "items" SET "qty" = (SELECT CAST(COUNT(*) AS INTEGER) FROM "posts" WHERE "posts"."title" = "items"."name") WHERE "items"."qty" IS NULL"#,
        &[],
    );
}

#[test]
fn update_with_decimal_mul_rounds_to_the_column_scale() {
    // `price * 1.1` has scale 3; stored in a scale-2 column it is rounded half away from zero,
    // as PostgreSQL's assignment rounds it.
    golden_split(
        |d| {
            Post::update()
                .filter(Post::id.eq(1_i64))
                .set(Post::price, Post::price * Decimal::new(11, 1))
                .to_sql(d)
        },
        (
            r#"UPDATE "posts" SET "price" = orm_dec_round(orm_dec_mul("posts"."price", 2, ?, 255, 3), 3, 2, 2) WHERE "posts"."id" = ?"#,
            &[Value::String(Some("1.1".into())), int(1)],
        ),
        (
            r#"UPDATE "posts" SET "price" = CAST(("posts"."price" * $1) AS NUMERIC(10, 2)) WHERE "posts"."id" = $2"#,
            &[price(11, 1), int(1)],
        ),
    );
}

#[test]
fn update_returning() {
    golden(
        |d| {
            Item::update()
                .filter(Item::id.eq(1_i64))
                .set(Item::qty, Item::qty - 1_i32)
                .returning((Item::id, Item::qty, Item::qty * 2_i32))
                .to_sql(d)
        },
        r#"UPDATE "items" SET "qty" = ("items"."qty" - ?) WHERE "items"."id" = ? RETURNING "id", "qty", ("qty" * ?)"#,
        r#"UPDATE "items" SET "qty" = ("items"."qty" - $1) WHERE "items"."id" = $2 RETURNING "id", "qty", ("qty" * $3)"#,
        &[int32(1), int(1), int32(2)],
    );
    golden(
        |d| {
            Item::update()
                .filter(Item::id.eq(1_i64))
                .set(Item::note, None)
                .returning_model()
                .to_sql(d)
        },
        r#"UPDATE "items" SET "note" = ? WHERE "items"."id" = ? RETURNING "id", "name", "note", "qty""#,
        r#"UPDATE "items" SET "note" = $1 WHERE "items"."id" = $2 RETURNING "id", "name", "note", "qty""#,
        &[Value::String(None), int(1)],
    );
}

#[test]
fn delete_returning() {
    golden(
        |d| {
            Item::delete()
                .filter(Item::qty.is_null())
                .filter(Item::id.in_subquery(Post::query().select(Post::user_id)))
                .returning((Item::id, Item::name))
                .to_sql(d)
        },
        r#"DELETE FROM "items" WHERE ("items"."qty" IS NULL AND "items"."id" IN (SELECT "posts"."user_id" FROM "posts")) RETURNING "id", "name""#,
        r#"DELETE FROM "items" WHERE ("items"."qty" IS NULL AND "items"."id" IN (SELECT "posts"."user_id" FROM "posts")) RETURNING "id", "name""#,
        &[],
    );
}

/// RETURNING writes its columns unqualified, but a subquery in it must keep its qualified
/// columns: unqualified `"id"` inside `(SELECT .. FROM "posts" ..)` means `posts.id`.
#[test]
fn returning_a_correlated_subquery_keeps_its_columns_qualified() {
    golden(
        |d| {
            User::update()
                .filter(User::id.eq(1_i64))
                .set(User::name, "B")
                .returning((
                    User::id,
                    Post::query()
                        .select(count_star())
                        .filter(Post::user_id.eq(User::id))
                        .scalar(),
                ))
                .to_sql(d)
        },
        r#"UPDATE "users" SET "name" = ?, "updated_at" = orm_now(0) WHERE "users"."id" = ? RETURNING "id", (SELECT COUNT(*) FROM "posts" WHERE "posts"."user_id" = "users"."id")"#,
        r#"UPDATE "users" SET "name" = $1, "updated_at" = CURRENT_TIMESTAMP WHERE "users"."id" = $2 RETURNING "id", (SELECT COUNT(*) FROM "posts" WHERE "posts"."user_id" = "users"."id")"#,
        &[text("B"), int(1)],
    );
}

/// A bulk upsert is chunked so that every statement, rows plus the binds of its `DO UPDATE`
/// clause, stays under the backend's bind limit.
#[test]
fn bulk_upsert_chunks_count_the_conflict_clause_binds() {
    for d in [SQLITE, PG] {
        let max = d.capabilities().max_binds;
        // Five columns a row, three binds in the update: one row more than fits beside them.
        let rows = (max - 3) / 5 + 1;
        let statements = orm::insert((0..rows).map(|_| new_user()))
            .on_conflict(User::email)
            .do_update(
                User::age,
                case_when::<i32, _, _>(User::age.gt(1), 2).otherwise(3),
            )
            .to_sql(d)
            .unwrap();
        assert_eq!(statements.len(), 2, "{} rows need two statements", rows);
        for statement in &statements {
            assert!(
                statement.binds.len() <= max,
                "{} binds",
                statement.binds.len()
            );
        }
        let row_binds: usize = statements.iter().map(|s| s.binds.len() - 3).sum();
        assert_eq!(row_binds, rows * 5);
    }
}
