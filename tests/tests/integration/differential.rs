//! Differential tests of the query language: every test runs an orm query and the equivalent
//! hand-written SQL (through `orm::raw`) on the same seeded shop (`differential_seed.rs`) and
//! asserts that both return the same rows (in the same order when the query orders them,
//! compared sorted otherwise).
//!
//! Storage differs between backends, so the hand-written side reads around it:
//!
//! * SQLite stores `numeric(10, 2)` decimals as integers scaled by 100. Hand-written SQL reads
//!   every decimal as a number of cents ([`cents`]: the stored integer on SQLite, `x * 100` cast
//!   to `BIGINT` on PostgreSQL) and writes decimal constants in storage form ([`lit_money`]);
//!   the orm side is decoded into `Decimal` and compared with `money(cents)`.
//! * SQLite stores `DateTime<Utc>` as fixed-width ISO-8601 text; hand-written timestamps are
//!   decoded by orm's `FromRow` for `DateTime<Utc>` (which parses that text) and constants are
//!   written in storage form ([`lit_ts`]).
//! * PostgreSQL types are strict, so hand-written aggregates are cast to the types orm
//!   documents (`SUM(bigint)` to `BIGINT`, `AVG` to `DOUBLE PRECISION`).
//!
//! Placeholders are written `?` and renumbered to `$n` on PostgreSQL ([`sql`]); where the value
//! is a constant of the test it is written into the hand-written text instead, while the orm
//! side always binds.

// Row types are spelled out as tuples on purpose: they are what both sides decode into.
#![allow(clippy::type_complexity)]

use orm::prelude::*;
use rust_decimal::prelude::ToPrimitive;

use crate::backend_tests;
use crate::differential_seed::*;
use crate::{Target, TestDb};

fn sorted<T: Ord>(mut rows: Vec<T>) -> Vec<T> {
    rows.sort();
    rows
}

fn is_pg(t: &TestDb) -> bool {
    t.target == Target::Postgres
}

/// Ids of `products` rows matching a hand-written `WHERE`, in id order.
async fn product_ids_where(t: &TestDb, condition: &str) -> Result<Vec<i64>> {
    orm::raw(format!(
        "SELECT id FROM products WHERE {condition} ORDER BY id"
    ))
    .fetch_as(&t.db)
    .await
}

/// A customer's contact card, selecting its own columns of `Customer`.
#[derive(FromRow, Debug, Clone, PartialEq)]
#[orm(model = Customer)]
pub struct CustomerCard {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub vip: bool,
}

/// A price tag, selecting decimals of `Product`.
#[derive(FromRow, Debug, Clone, PartialEq)]
#[orm(model = Product)]
pub struct PriceTag {
    pub sku: String,
    pub price: Decimal,
    pub discount: Option<Decimal>,
}

backend_tests! {
    async fn comparisons_and_boolean_logic(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_ids: Vec<i64> = Product::query()
            .filter(
                Product::price.gt(money(3000)).and(Product::stock.gt(0))
                    .or(Product::category_id.is_null().and(not(Product::stock.eq(0)))),
            )
            .filter(Product::price.ne(money(24900)))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await?;
        let hand = product_ids_where(t, &format!(
            "((price > {} AND stock > 0) OR (category_id IS NULL AND NOT (stock = 0))) AND price <> {}",
            lit_money(t, 3000), lit_money(t, 24900)
        )).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 4, "The Book, Keyboard, SQL Guide, under_score item");

        let orm_rows: Vec<(i64, i32)> = Customer::query()
            .filter(Customer::score.ge(85).and(Customer::score.lt(95)).or(Customer::score.le(70).and(Customer::vip)))
            .order_by(Customer::id)
            .select((Customer::id, Customer::score))
            .all(db)
            .await?;
        let hand: Vec<(i64, i32)> = orm::raw(sql(t, "SELECT id, score FROM customers WHERE (score >= ? AND score < ?) OR (score <= ? AND vip) ORDER BY id"))
            .bind(85).bind(95).bind(70)
            .fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 4);

        // NOT over a comparison with NULLs: rows whose city is NULL match neither side.
        let orm_ids: Vec<i64> = Customer::query().filter(Customer::city.eq("London").not()).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw(sql(t, "SELECT id FROM customers WHERE NOT (city = ?) ORDER BY id")).bind("London").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2);
        Ok(())
    }

    async fn column_compared_with_column(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_ids: Vec<i64> = Order::query().filter(Order::shipped_at.gt(Order::placed_at)).order_by(Order::id).select(Order::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM orders WHERE shipped_at > placed_at ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 4);

        let orm_rows: Vec<(i64, String)> = OrderItem::query()
            .join(Product::TABLE)
            .filter(OrderItem::unit_price.lt(Product::price))
            .order_by(OrderItem::id)
            .select((OrderItem::id, Product::sku))
            .all(db)
            .await?;
        let hand: Vec<(i64, String)> = orm::raw(
            "SELECT i.id, p.sku FROM order_items i JOIN products p ON p.id = i.product_id \
             WHERE i.unit_price < p.price ORDER BY i.id",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 3, "three lines sold below the list price");
        Ok(())
    }

    async fn integer_and_float_arithmetic(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        type Row = (i64, i32, i32, i32, i32, Option<f64>);
        let orm_rows: Vec<Row> = Product::query()
            .order_by(Product::id)
            .select((
                Product::id,
                Product::stock * 2 + 1,
                Product::stock - 3,
                Product::stock / 4,
                Product::stock + Product::stock,
                Product::weight * 2.0,
            ))
            .all(db)
            .await?;
        let hand: Vec<Row> = orm::raw(
            "SELECT id, stock * 2 + 1, stock - 3, stock / 4, stock + stock, weight * 2 FROM products ORDER BY id",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[0], (orm_rows[0].0, 21, 7, 2, 20, Some(1.5)));

        let orm_ids: Vec<i64> = Product::query()
            .filter((Product::stock - 5).gt(Product::stock / 2))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await?;
        let hand = product_ids_where(t, "stock - 5 > stock / 2").await?;
        assert_eq!(orm_ids, hand);
        assert!(!orm_ids.is_empty());
        Ok(())
    }

    async fn decimal_arithmetic(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<(i64, Decimal, Decimal)> = Product::query()
            .order_by(Product::id)
            .select((
                Product::id,
                Product::price - coalesce(Product::discount, Decimal::ZERO),
                Product::price + money(100),
            ))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64, i64)> = orm::raw(format!(
            "SELECT id, {}, {} FROM products ORDER BY id",
            cents(t, "price - COALESCE(discount, 0)"),
            cents(t, &format!("price + {}", lit_money(t, 100))),
        )).fetch_as(db).await?;
        let hand: Vec<(i64, Decimal, Decimal)> = hand.into_iter().map(|(id, a, b)| (id, money(a), money(b))).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[0].1, money(3499));
        assert_eq!(orm_rows[0].2, money(4099));

        let orm_ids: Vec<i64> = Product::query()
            .filter((Product::price - coalesce(Product::discount, Decimal::ZERO)).lt(money(4000)))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await?;
        let hand = product_ids_where(t, &format!("price - COALESCE(discount, 0) < {}", lit_money(t, 4000))).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 5);

        // Multiplying decimals in SQL: exact on every backend (orm's functions on SQLite).
        let doubled: Vec<(i64, Decimal)> = Product::query()
            .order_by(Product::id)
            .select((Product::id, Product::price * Decimal::from(2)))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64)> = orm::raw(format!("SELECT id, {} FROM products ORDER BY id", cents(t, "price * 2"))).fetch_as(db).await?;
        let hand: Vec<(i64, Decimal)> = hand.into_iter().map(|(id, c)| (id, money(c))).collect();
        assert_eq!(doubled, hand);
        // The product has the scale of its operands added (2 + 0), as on PostgreSQL.
        assert!(doubled.iter().all(|(_, d)| d.scale() == 2), "{doubled:?}");
        Ok(())
    }

    async fn string_concatenation(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<(i64, String, Option<String>)> = Customer::query()
            .order_by(Customer::id)
            .select((
                Customer::id,
                Customer::name.concat(" <").concat(coalesce(Customer::email, "none")).concat(">"),
                Customer::city.concat("!"),
            ))
            .all(db)
            .await?;
        let hand: Vec<(i64, String, Option<String>)> = orm::raw(
            "SELECT id, name || ' <' || COALESCE(email, 'none') || '>', city || '!' FROM customers ORDER BY id",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[2].1, "Edsger <none>");
        assert_eq!(orm_rows[3].2, None, "NULL || text is NULL");

        let orm_ids: Vec<i64> = Customer::query().filter(Customer::name.concat("!").eq("Ada!")).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw(sql(t, "SELECT id FROM customers WHERE name || ? = ?")).bind("!").bind("Ada!").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 1);
        Ok(())
    }

    async fn like_patterns(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let cases: Vec<(Condition, &str, usize)> = vec![
            (Product::name.like("%o%"), "name LIKE '%o%'", 5),
            (Product::name.not_like("%o%"), "name NOT LIKE '%o%'", 3),
            (Product::name.like("_ouse"), "name LIKE '_ouse'", 1),
            (Product::name.like("%O%"), "name LIKE '%O%'", 0),
            (Product::name.starts_with("Mo"), "name LIKE 'Mo%'", 2),
            (Product::name.ends_with("Rust"), "name LIKE '%Rust'", 1),
            (Product::sku.like("BK-00_"), "sku LIKE 'BK-00_'", 3),
        ];
        for (condition, hand_condition, expected) in cases {
            let orm_ids: Vec<i64> = Product::query().filter(condition).order_by(Product::id).select(Product::id).all(db).await?;
            let hand = product_ids_where(t, hand_condition).await?;
            assert_eq!(orm_ids, hand, "{hand_condition}");
            assert_eq!(orm_ids.len(), expected, "{hand_condition}");
        }
        Ok(())
    }

    async fn contains_escapes_user_wildcards(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let cases: Vec<(Condition, &str, usize)> = vec![
            (Product::name.contains("100%"), "name LIKE '%100\\%%' ESCAPE '\\'", 1),
            (Product::name.contains("%"), "name LIKE '%\\%%' ESCAPE '\\'", 1),
            (Product::name.contains("_"), "name LIKE '%\\_%' ESCAPE '\\'", 1),
            (Product::name.starts_with("under_"), "name LIKE 'under\\_%' ESCAPE '\\'", 1),
            (Product::name.ends_with("% Guide"), "name LIKE '%\\% Guide' ESCAPE '\\'", 1),
            (Product::sku.contains("-00"), "sku LIKE '%-00%'", 8),
            // Unescaped wildcards in `like` stay wildcards.
            (Product::name.like("%_%"), "name LIKE '%_%'", 8),
            (Product::name.like(format!("%{}%", escape_like("0% G"))), "name LIKE '%0\\% G%' ESCAPE '\\'", 1),
        ];
        for (condition, hand_condition, expected) in cases {
            let orm_ids: Vec<i64> = Product::query().filter(condition).order_by(Product::id).select(Product::id).all(db).await?;
            let hand = product_ids_where(t, hand_condition).await?;
            assert_eq!(orm_ids, hand, "{hand_condition}");
            assert_eq!(orm_ids.len(), expected, "{hand_condition}");
        }
        // On a nullable column, with the pattern bound on the hand-written side too.
        let orm_ids: Vec<i64> = Order::query().filter(Order::note.contains("50% off_")).select(Order::id).all(db).await?;
        let hand: Vec<i64> = orm::raw(sql(t, "SELECT id FROM orders WHERE note LIKE ? ESCAPE '\\'")).bind("%50\\% off\\_%").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 1);
        let none: Vec<i64> = Order::query().filter(Order::note.contains("50%_off")).select(Order::id).all(db).await?;
        assert!(none.is_empty(), "`_` in user input is not a wildcard");
        Ok(())
    }

    async fn ilike_ignores_case(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let ci = |column: &str, pattern: &str| {
            if is_pg(t) {
                format!("{column} ILIKE '{pattern}'")
            } else {
                format!("upper({column}) LIKE upper('{pattern}')")
            }
        };
        for (pattern, expected) in [("%BOOK%", 1), ("%rust", 1), ("m%", 2), ("%X%", 0)] {
            let orm_ids: Vec<i64> = Product::query().filter(Product::name.ilike(pattern)).order_by(Product::id).select(Product::id).all(db).await?;
            let hand = product_ids_where(t, &ci("name", pattern)).await?;
            assert_eq!(orm_ids, hand, "{pattern}");
            assert_eq!(orm_ids.len(), expected, "{pattern}");
        }
        // User input with wildcards, escaped, matched without case.
        let pattern = format!("%{}%", escape_like("sql 100%"));
        let orm_ids: Vec<i64> = Product::query().filter(Product::name.ilike(pattern.as_str())).select(Product::id).all(db).await?;
        let hand = product_ids_where(t, &format!("{} ESCAPE '\\'", ci("name", &pattern))).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 1);
        let orm_ids: Vec<i64> = Product::query().filter(Product::name.ilike(format!("%{}%", escape_like("O_S")))).select(Product::id).all(db).await?;
        assert!(orm_ids.is_empty(), "`_` in user input is not a wildcard");
        let unescaped: Vec<i64> = Product::query().filter(Product::name.ilike("%O_S%")).select(Product::id).all(db).await?;
        assert_eq!(unescaped.len(), 1, "as a wildcard it matches Mouse");

        let orm_ids: Vec<i64> = Customer::query().filter(Customer::email.ilike("%EXAMPLE.COM")).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw(format!("SELECT id FROM customers WHERE {} ORDER BY id", ci("email", "%EXAMPLE.COM"))).fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 3);
        Ok(())
    }

    async fn in_list_and_not_in(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let ids = [s.products[1], s.products[3], 999_999];
        let orm_ids: Vec<i64> = Product::query().filter(Product::id.in_list(ids)).order_by(Product::id).select(Product::id).all(db).await?;
        let hand: Vec<i64> = orm::raw(sql(t, "SELECT id FROM products WHERE id IN (?, ?, ?) ORDER BY id"))
            .bind(ids[0]).bind(ids[1]).bind(ids[2]).fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2);
        let orm_ids: Vec<i64> = Product::query().filter(Product::id.not_in(ids)).order_by(Product::id).select(Product::id).all(db).await?;
        let hand: Vec<i64> = orm::raw(sql(t, "SELECT id FROM products WHERE id NOT IN (?, ?, ?) ORDER BY id"))
            .bind(ids[0]).bind(ids[1]).bind(ids[2]).fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 6);

        // Empty lists: IN () matches nothing, NOT IN () everything.
        let none: [i64; 0] = [];
        let all: Vec<i64> = orm::raw("SELECT id FROM products ORDER BY id").fetch_as(db).await?;
        // Nine or more items are one parameter (a typed array / a JSON array): the same rows.
        let long: Vec<i64> = [s.products[1], s.products[3]].into_iter().chain(900_000..900_010).collect();
        let orm_ids: Vec<i64> = Product::query().filter(Product::id.in_list(long.clone())).order_by(Product::id).select(Product::id).all(db).await?;
        assert_eq!(orm_ids, vec![s.products[1], s.products[3]]);
        let orm_ids: Vec<i64> = Product::query().filter(Product::id.not_in(long.clone())).order_by(Product::id).select(Product::id).all(db).await?;
        assert_eq!(orm_ids, all.iter().copied().filter(|id| !long.contains(id)).collect::<Vec<_>>());
        let cities: Vec<Option<String>> = ["London", "Austin"].into_iter().map(|c| Some(c.to_owned())).chain((0..8).map(|n| Some(format!("nowhere {n}")))).collect();
        let orm_ids: Vec<i64> = Customer::query().filter(Customer::city.in_list(cities.clone())).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM customers WHERE city IN ('London', 'Austin') ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        let orm_ids: Vec<i64> = Customer::query().filter(Customer::city.not_in(cities)).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM customers WHERE city NOT IN ('London', 'Austin') ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        // One item (rendered `= ?` / `<> ?`): the same rows as the list form.
        let one = [s.products[3]];
        let orm_ids: Vec<i64> = Product::query().filter(Product::id.in_list(one)).select(Product::id).all(db).await?;
        assert_eq!(orm_ids, one);
        let orm_ids: Vec<i64> = Product::query().filter(Product::id.not_in(one)).order_by(Product::id).select(Product::id).all(db).await?;
        assert_eq!(orm_ids, all.iter().copied().filter(|id| *id != one[0]).collect::<Vec<_>>());
        let orm_ids: Vec<i64> = Product::query().filter(Product::id.in_list(none)).select(Product::id).all(db).await?;
        assert!(orm_ids.is_empty());
        let orm_ids: Vec<i64> = Product::query().filter(Product::id.not_in(none)).order_by(Product::id).select(Product::id).all(db).await?;
        assert_eq!(orm_ids, all);

        // Text lists and NULLs: `city NOT IN ('London')` is unknown for NULL cities.
        let orm_ids: Vec<i64> = Customer::query().filter(Customer::city.in_list(["London", "Austin"])).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM customers WHERE city IN ('London', 'Austin') ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 3);
        let orm_ids: Vec<i64> = Customer::query().filter(Customer::city.not_in(["London"])).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM customers WHERE city NOT IN ('London') ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2);

        // Decimal lists are bound in storage form.
        let orm_ids: Vec<i64> = Product::query().filter(Product::price.in_list([money(3999), money(2500)])).order_by(Product::id).select(Product::id).all(db).await?;
        let hand = product_ids_where(t, &format!("price IN ({}, {})", lit_money(t, 3999), lit_money(t, 2500))).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 4);
        Ok(())
    }

    async fn between_bounds_are_inclusive(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_ids: Vec<i64> = Product::query().filter(Product::price.between(money(2500), money(4550))).order_by(Product::id).select(Product::id).all(db).await?;
        let hand = product_ids_where(t, &format!("price BETWEEN {} AND {}", lit_money(t, 2500), lit_money(t, 4550))).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 5);

        let (from, to) = (ts(2024, 2, 3, 14, 30, 0), ts(2024, 3, 20, 7, 5, 0));
        let orm_ids: Vec<i64> = Order::query().filter(Order::placed_at.between(from, to)).order_by(Order::id).select(Order::id).all(db).await?;
        let hand: Vec<i64> = orm::raw(format!("SELECT id FROM orders WHERE placed_at BETWEEN {} AND {} ORDER BY id", lit_ts(t, from), lit_ts(t, to))).fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 4);
        // The same with bound timestamps on the hand-written side.
        let hand: Vec<i64> = orm::raw(sql(t, "SELECT id FROM orders WHERE placed_at BETWEEN ? AND ? ORDER BY id")).bind(from).bind(to).fetch_as(db).await?;
        assert_eq!(orm_ids, hand);

        let orm_ids: Vec<i64> = Customer::query().filter(Customer::score.between(70, 85).not()).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM customers WHERE NOT (score BETWEEN 70 AND 85) ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2);
        Ok(())
    }

    async fn is_null_and_eq_none(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let cases: Vec<(Condition, &str, usize)> = vec![
            (Customer::email.is_null(), "email IS NULL", 2),
            (Customer::city.is_not_null(), "city IS NOT NULL", 4),
            (Customer::email.eq(None::<String>), "email IS NULL", 2),
            (Customer::email.ne(None::<String>), "email IS NOT NULL", 4),
            (Customer::email.is_null().and(Customer::city.is_null()), "email IS NULL AND city IS NULL", 1),
            (Customer::email.is_null().or(Customer::city.is_null()), "email IS NULL OR city IS NULL", 3),
        ];
        for (condition, hand_condition, expected) in cases {
            let orm_ids: Vec<i64> = Customer::query().filter(condition).order_by(Customer::id).select(Customer::id).all(db).await?;
            let hand: Vec<i64> = orm::raw(format!("SELECT id FROM customers WHERE {hand_condition} ORDER BY id")).fetch_as(db).await?;
            assert_eq!(orm_ids, hand, "{hand_condition}");
            assert_eq!(orm_ids.len(), expected, "{hand_condition}");
        }
        let orm_ids: Vec<i64> = Order::query().filter(Order::shipped_at.is_null().and(Order::note.is_not_null())).order_by(Order::id).select(Order::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM orders WHERE shipped_at IS NULL AND note IS NOT NULL ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2);
        Ok(())
    }

    async fn coalesce_fallbacks(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<(i64, String, String)> = Customer::query()
            .order_by(Customer::id)
            .select((Customer::id, coalesce(Customer::city, "unknown"), coalesce(Customer::email, Customer::name)))
            .all(db)
            .await?;
        let hand: Vec<(i64, String, String)> = orm::raw("SELECT id, COALESCE(city, 'unknown'), COALESCE(email, name) FROM customers ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[4].1, "unknown");
        assert_eq!(orm_rows[4].2, "Linus");

        let orm_rows: Vec<(i64, Decimal, f64)> = Product::query()
            .order_by(Product::id)
            .select((Product::id, coalesce(Product::discount, Decimal::ZERO), coalesce(Product::weight, 0.0)))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64, f64)> = orm::raw(format!("SELECT id, {}, COALESCE(weight, 0.0) FROM products ORDER BY id", cents(t, "COALESCE(discount, 0)"))).fetch_as(db).await?;
        let hand: Vec<(i64, Decimal, f64)> = hand.into_iter().map(|(id, d, w)| (id, money(d), w)).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[0].1, money(500));

        let orm_ids: Vec<i64> = Product::query().filter(coalesce(Product::discount, Decimal::ZERO).gt(money(100))).order_by(Product::id).select(Product::id).all(db).await?;
        let hand = product_ids_where(t, &format!("COALESCE(discount, 0) > {}", lit_money(t, 100))).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2);
        Ok(())
    }

    async fn case_when_buckets(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let bucket = || {
            case_when::<String, _, _>(Product::price.lt(money(3000)), "cheap")
                .when(Product::price.lt(money(10000)), "mid")
                .otherwise("premium")
        };
        let out_of_stock = case_when::<i32, _, _>(Product::stock.eq(0), 1).end();
        let orm_rows: Vec<(i64, String, Option<i32>)> = Product::query()
            .order_by(Product::id)
            .select((Product::id, bucket(), out_of_stock))
            .all(db)
            .await?;
        let hand_bucket = format!(
            "CASE WHEN price < {} THEN 'cheap' WHEN price < {} THEN 'mid' ELSE 'premium' END",
            lit_money(t, 3000), lit_money(t, 10000)
        );
        let hand: Vec<(i64, String, Option<i32>)> = orm::raw(format!("SELECT id, {hand_bucket}, CASE WHEN stock = 0 THEN 1 END FROM products ORDER BY id")).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.iter().filter(|r| r.1 == "premium").count(), 1);
        assert_eq!(orm_rows.iter().filter(|r| r.2.is_some()).count(), 2);

        // Ordered by the CASE expression, then id.
        let orm_ids: Vec<i64> = Product::query().order_by(bucket().desc()).order_by(Product::id).select(Product::id).all(db).await?;
        let hand: Vec<i64> = orm::raw(format!("SELECT id FROM products ORDER BY {hand_bucket} DESC, id")).fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        Ok(())
    }

    async fn cast_expressions(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<(i64, i64, String, f64)> = Product::query()
            .order_by(Product::id)
            .select((Product::id, Product::stock.cast::<i64>(), Product::stock.cast::<String>(), Product::stock.cast::<f64>() / 4.0))
            .all(db)
            .await?;
        let hand_sql = if is_pg(t) {
            "SELECT id, CAST(stock AS BIGINT), CAST(stock AS TEXT), CAST(stock AS DOUBLE PRECISION) / 4.0 FROM products ORDER BY id"
        } else {
            "SELECT id, CAST(stock AS INTEGER), CAST(stock AS TEXT), CAST(stock AS REAL) / 4.0 FROM products ORDER BY id"
        };
        let hand: Vec<(i64, i64, String, f64)> = orm::raw(hand_sql).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[0].2, "10");
        assert_eq!(orm_rows[0].3, 2.5);

        // Text compared after a cast.
        let orm_ids: Vec<i64> = Product::query().filter(Product::stock.cast::<String>().eq("100")).select(Product::id).all(db).await?;
        let hand = product_ids_where(t, "CAST(stock AS TEXT) = '100'").await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 1);

        // An integer to a decimal (of scale 0), on every backend.
        let as_decimal: Vec<Decimal> = Product::query().order_by(Product::id).select(Product::stock.cast::<Decimal>()).all(db).await?;
        let stocks: Vec<i32> = orm::raw("SELECT stock FROM products ORDER BY id").fetch_as(db).await?;
        let expected: Vec<Decimal> = stocks.into_iter().map(Decimal::from).collect();
        assert_eq!(as_decimal, expected);
        Ok(())
    }

    /// The same query must mean the same thing on every backend: a decimal cast to text is its
    /// decimal text with every decimal of its scale, never the storage integer.
    async fn cast_decimal_to_text_is_the_decimal(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let text = Product::query().filter(Product::id.eq(s.products[0])).select(Product::price.cast::<String>()).one(db).await?;
        assert_eq!(text, "39.99", "CAST(price AS TEXT) of 39.99");
        if is_pg(t) {
            let hand: Vec<String> = orm::raw(sql(t, "SELECT CAST(price AS TEXT) FROM products WHERE id = ?")).bind(s.products[0]).fetch_as(db).await?;
            assert_eq!(hand, [text]);
        }
        Ok(())
    }

    async fn counts(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_row: (i64, i64, i64, i64) = Customer::query()
            .select((count_star(), count(Customer::email), count_distinct(Customer::city), count_distinct(Customer::score)))
            .one(db)
            .await?;
        let hand: Vec<(i64, i64, i64, i64)> = orm::raw("SELECT COUNT(*), COUNT(email), COUNT(DISTINCT city), COUNT(DISTINCT score) FROM customers").fetch_as(db).await?;
        assert_eq!(vec![orm_row], hand);
        assert_eq!(orm_row, (6, 4, 3, 4));

        let orm_count = Order::query().filter(Order::status.eq("shipped")).count(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT COUNT(*) FROM orders WHERE status = 'shipped'").fetch_as(db).await?;
        assert_eq!(vec![orm_count], hand);
        assert_eq!(orm_count, 4);

        let orm_count = Customer::query().distinct().select(Customer::city).count(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT COUNT(*) FROM (SELECT DISTINCT city FROM customers) AS d").fetch_as(db).await?;
        assert_eq!(vec![orm_count], hand);
        assert_eq!(orm_count, 4, "three cities and NULL");

        let orm_count = Order::query().join(Customer::TABLE).filter(Customer::vip).count(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.vip").fetch_as(db).await?;
        assert_eq!(vec![orm_count], hand);
        assert_eq!(orm_count, 4);
        Ok(())
    }

    async fn sums_of_integers_and_decimals(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_row: (Option<i64>, Option<Decimal>, i64) = OrderItem::query()
            .select((sum(OrderItem::quantity), sum(OrderItem::unit_price), count_star()))
            .one(db)
            .await?;
        let hand: Vec<(Option<i64>, Option<i64>, i64)> = orm::raw(format!("SELECT SUM(quantity), {}, COUNT(*) FROM order_items", cents(t, "SUM(unit_price)"))).fetch_as(db).await?;
        assert_eq!(orm_row, (hand[0].0, from_cents(hand[0].1), hand[0].2));
        assert_eq!(orm_row.0, Some(28));

        let orm_salary: Option<i64> = Employee::query().select(sum(Employee::salary)).one(db).await?;
        let hand: Vec<Option<i64>> = orm::raw(pick(t, "SELECT SUM(salary) FROM employees", "SELECT CAST(SUM(salary) AS BIGINT) FROM employees")).fetch_as(db).await?;
        assert_eq!(vec![orm_salary], hand);
        assert_eq!(orm_salary, Some(1030));

        let orm_rows: Vec<(i64, Option<i64>, Option<Decimal>)> = OrderItem::query()
            .group_by(OrderItem::order_id)
            .order_by(OrderItem::order_id)
            .select((OrderItem::order_id, sum(OrderItem::quantity), sum(OrderItem::unit_price)))
            .all(db)
            .await?;
        let hand: Vec<(i64, Option<i64>, Option<i64>)> = orm::raw(format!(
            "SELECT order_id, SUM(quantity), {} FROM order_items GROUP BY order_id ORDER BY order_id",
            cents(t, "SUM(unit_price)")
        )).fetch_as(db).await?;
        let hand: Vec<(i64, Option<i64>, Option<Decimal>)> = hand.into_iter().map(|(o, q, p)| (o, q, from_cents(p))).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 7);
        Ok(())
    }

    async fn aggregates_over_no_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        type Row = (Option<i64>, Option<Decimal>, i64, Option<Decimal>, Option<Decimal>);
        let orm_row: Row = OrderItem::query()
            .filter(OrderItem::quantity.gt(1000))
            .select((sum(OrderItem::quantity), sum(OrderItem::unit_price), count_star(), max(OrderItem::unit_price), avg(OrderItem::quantity)))
            .one(db)
            .await?;
        let hand: Vec<(Option<i64>, Option<i64>, i64, Option<i64>, Option<f64>)> = orm::raw(format!(
            "SELECT SUM(quantity), {}, COUNT(*), {}, {} FROM order_items WHERE quantity > 1000",
            cents(t, "SUM(unit_price)"),
            cents(t, "MAX(unit_price)"),
            pick(t, "AVG(quantity)", "CAST(AVG(quantity) AS DOUBLE PRECISION)"),
        )).fetch_as(db).await?;
        let (a, b, c, d, e) = hand[0];
        assert_eq!(orm_row, (a, from_cents(b), c, from_cents(d), e.and_then(Decimal::from_f64_retain)));
        assert_eq!(orm_row, (None, None, 0, None, None));
        Ok(())
    }

    async fn avg_min_max(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        type Row = (Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<String>, Option<f64>);
        let orm_row: Row = Product::query()
            .select((avg(Product::stock), min(Product::price), max(Product::price), min(Product::name), max(Product::weight)))
            .one(db)
            .await?;
        let hand: Vec<(Option<f64>, Option<i64>, Option<i64>, Option<String>, Option<f64>)> = orm::raw(format!(
            "SELECT {}, {}, {}, MIN(name), MAX(weight) FROM products",
            pick(t, "AVG(stock)", "CAST(AVG(stock) AS DOUBLE PRECISION)"),
            cents(t, "MIN(price)"),
            cents(t, "MAX(price)"),
        )).fetch_as(db).await?;
        let (a, b, c, d, e) = hand[0].clone();
        assert_eq!(orm_row.0.and_then(|avg| avg.to_f64()), a);
        assert_eq!((orm_row.1, orm_row.2, orm_row.3.clone(), orm_row.4), (from_cents(b), from_cents(c), d, e));
        // An exact decimal with PostgreSQL's scale (16 significant digits) on every backend.
        assert_eq!(orm_row.0.map(|avg| avg.to_string()).as_deref(), Some("23.3750000000000000"));
        assert_eq!(orm_row.1, Some(money(500)));
        assert_eq!(orm_row.2, Some(money(24900)));

        let orm_row: (Option<DateTime<Utc>>, Option<DateTime<Utc>>, Option<Decimal>) = Order::query()
            .select((min(Order::placed_at), max(Order::shipped_at), avg(Order::customer_id)))
            .one(db)
            .await?;
        let orm_row = (orm_row.0, orm_row.1, orm_row.2.and_then(|avg| avg.to_f64()));
        let hand: Vec<(Option<DateTime<Utc>>, Option<DateTime<Utc>>, Option<f64>)> = orm::raw(pick(
            t,
            "SELECT MIN(placed_at), MAX(shipped_at), AVG(customer_id) FROM orders",
            "SELECT MIN(placed_at), MAX(shipped_at), CAST(AVG(customer_id) AS DOUBLE PRECISION) FROM orders",
        )).fetch_as(db).await?;
        assert_eq!(vec![orm_row], hand);
        assert_eq!(orm_row.0, Some(ts(2024, 1, 10, 9, 0, 0)));
        assert_eq!(orm_row.1, Some(ts(2024, 4, 19, 9, 0, 0)));

        let orm_row: (Option<Decimal>, Option<i64>, Option<i64>) = Employee::query().select((avg(Employee::salary), min(Employee::salary), max(Employee::salary))).one(db).await?;
        let orm_row = (orm_row.0.and_then(|avg| avg.to_f64()), orm_row.1, orm_row.2);
        let hand: Vec<(Option<f64>, Option<i64>, Option<i64>)> = orm::raw(pick(
            t,
            "SELECT AVG(salary), MIN(salary), MAX(salary) FROM employees",
            "SELECT CAST(AVG(salary) AS DOUBLE PRECISION), MIN(salary), MAX(salary) FROM employees",
        )).fetch_as(db).await?;
        assert_eq!(vec![orm_row], hand);
        assert_eq!(orm_row, (Some(128.75), Some(90), Some(200)));

        // The average of a decimal: exact on PostgreSQL, floating point on SQLite (documented),
        // so compared within a tolerance.
        let orm_avg: Option<Decimal> = Product::query().select(avg(Product::price)).one(db).await?;
        let hand: Vec<Option<f64>> = orm::raw(pick(t, "SELECT AVG(price) / 100.0 FROM products", "SELECT CAST(AVG(price) AS DOUBLE PRECISION) FROM products")).fetch_as(db).await?;
        let orm_avg = orm_avg.and_then(|d| d.to_f64()).expect("an average");
        let hand_avg = hand[0].expect("an average");
        assert!((orm_avg - hand_avg).abs() < 1e-9, "{orm_avg} vs {hand_avg}");
        assert!((orm_avg - 64.81).abs() < 1e-9, "{orm_avg}");
        Ok(())
    }

    async fn string_functions(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        type Row = (i64, String, String, Option<i32>, Option<i32>, Option<String>);
        let orm_rows: Vec<Row> = Customer::query()
            .order_by(Customer::id)
            .select((Customer::id, lower(Customer::name), upper(Customer::name), length(Customer::name), length(Customer::email), upper(Customer::city)))
            .all(db)
            .await?;
        let hand: Vec<Row> = orm::raw("SELECT id, LOWER(name), UPPER(name), LENGTH(name), LENGTH(email), UPPER(city) FROM customers ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[0].1, "ada");
        assert_eq!(orm_rows[2].4, None);

        let orm_ids: Vec<i64> = Customer::query()
            .filter(lower(Customer::name).eq("ada").or(length(Customer::name).gt(6)))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await?;
        let hand: Vec<i64> = orm::raw(sql(t, "SELECT id FROM customers WHERE LOWER(name) = ? OR LENGTH(name) > ? ORDER BY id")).bind("ada").bind(6).fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 3, "Ada, Barbara, Margaret");
        Ok(())
    }

    async fn date_trunc_groups(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let month = date_trunc(DateUnit::Month, Order::placed_at);
        let orm_rows: Vec<(DateTime<Utc>, i64, Option<Decimal>)> = Order::query()
            .group_by(month.clone())
            .order_by(month.clone())
            .select((month, count_star(), sum(Order::total)))
            .all(db)
            .await?;
        let hand_month = pick(t, "substr(placed_at, 1, 7) || '-01T00:00:00.000000Z'", "date_trunc('month', placed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'");
        let hand: Vec<(DateTime<Utc>, i64, Option<i64>)> = orm::raw(format!(
            "SELECT {hand_month}, COUNT(*), {} FROM orders GROUP BY 1 ORDER BY 1",
            cents(t, "SUM(total)")
        )).fetch_as(db).await?;
        let hand: Vec<(DateTime<Utc>, i64, Option<Decimal>)> = hand.into_iter().map(|(m, n, c)| (m, n, from_cents(c))).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 5);
        assert_eq!(orm_rows[0].0, ts(2024, 1, 1, 0, 0, 0));
        assert_eq!(orm_rows[1].1, 2, "two orders in February");

        type Row = (i64, DateTime<Utc>, Option<DateTime<Utc>>, DateTime<Utc>);
        let orm_rows: Vec<Row> = Order::query()
            .order_by(Order::id)
            .select((
                Order::id,
                date_trunc(DateUnit::Day, Order::placed_at),
                date_trunc(DateUnit::Hour, Order::shipped_at),
                date_trunc(DateUnit::Minute, Order::placed_at),
            ))
            .all(db)
            .await?;
        let hand_sql = if is_pg(t) {
            "SELECT id, date_trunc('day', placed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', \
             date_trunc('hour', shipped_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', \
             date_trunc('minute', placed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' FROM orders ORDER BY id"
        } else {
            "SELECT id, substr(placed_at, 1, 10) || 'T00:00:00.000000Z', \
             substr(shipped_at, 1, 13) || ':00:00.000000Z', \
             substr(placed_at, 1, 16) || ':00.000000Z' FROM orders ORDER BY id"
        };
        let hand: Vec<Row> = orm::raw(hand_sql).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[6].3, ts(2024, 4, 18, 23, 59, 0));

        let orm_years: Vec<(DateTime<Utc>, i64)> = Employee::query()
            .group_by(date_trunc(DateUnit::Year, Employee::hired_at))
            .order_by(date_trunc(DateUnit::Year, Employee::hired_at).desc())
            .select((date_trunc(DateUnit::Year, Employee::hired_at), count_star()))
            .all(db)
            .await?;
        let hand: Vec<(DateTime<Utc>, i64)> = orm::raw(pick(
            t,
            "SELECT substr(hired_at, 1, 4) || '-01-01T00:00:00.000000Z', COUNT(*) FROM employees GROUP BY 1 ORDER BY 1 DESC",
            "SELECT date_trunc('year', hired_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', COUNT(*) FROM employees GROUP BY 1 ORDER BY 1 DESC",
        )).fetch_as(db).await?;
        assert_eq!(orm_years, hand);
        assert_eq!(orm_years.len(), 8);
        Ok(())
    }

    async fn inner_join_through_foreign_keys(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<(i64, String, String)> = Order::query()
            .join(Customer::TABLE)
            .order_by(Order::id)
            .select((Order::id, Customer::name, Order::status))
            .all(db)
            .await?;
        let hand: Vec<(i64, String, String)> = orm::raw("SELECT o.id, c.name, o.status FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 8);

        // Three joins, each through its foreign key, from the child side.
        let orm_rows: Vec<(i64, String, String, i32)> = OrderItem::query()
            .join(Product::TABLE)
            .join(Order::TABLE)
            .join(Customer::TABLE)
            .filter(Order::status.eq("shipped"))
            .order_by(OrderItem::id)
            .select((OrderItem::id, Product::sku, Customer::name, OrderItem::quantity))
            .all(db)
            .await?;
        let hand: Vec<(i64, String, String, i32)> = orm::raw(
            "SELECT i.id, p.sku, c.name, i.quantity FROM order_items i \
             JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id \
             JOIN customers c ON c.id = o.customer_id WHERE o.status = 'shipped' ORDER BY i.id",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 7);

        // From the parent side.
        let orm_rows: Vec<(i64, i64)> = Customer::query().join(Order::TABLE).order_by(Customer::id).order_by(Order::id).select((Customer::id, Order::id)).all(db).await?;
        let hand: Vec<(i64, i64)> = orm::raw("SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY c.id, o.id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        Ok(())
    }

    async fn explicit_join_conditions(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let orm_rows: Vec<(String, i64, DateTime<Utc>)> = Customer::query()
            .join_on(Order::TABLE, Order::customer_id.eq(Customer::id).and(Order::status.eq("pending")))
            .order_by(Order::id)
            .select((Customer::name, Order::id, Order::placed_at))
            .all(db)
            .await?;
        let hand: Vec<(String, i64, DateTime<Utc>)> = orm::raw(sql(t, "SELECT c.name, o.id, o.placed_at FROM customers c JOIN orders o ON o.customer_id = c.id AND o.status = ? ORDER BY o.id")).bind("pending").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 3);

        let orm_rows: Vec<(String, String)> = Product::query()
            .join_on(Category::TABLE, Product::category_id.eq(Category::id).and(Category::id.ne(s.categories[2])))
            .order_by(Product::id)
            .select((Product::sku, Category::name))
            .all(db)
            .await?;
        let hand: Vec<(String, String)> = orm::raw(sql(t, "SELECT p.sku, c.name FROM products p JOIN categories c ON p.category_id = c.id AND c.id <> ? ORDER BY p.id")).bind(s.categories[2]).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 3);

        // A non-equi self join: pairs of products with the same price.
        let twin = alias::<Product>("twin");
        let orm_rows: Vec<(i64, i64)> = Product::query()
            .join_on(twin, twin.col(Product::price).eq(Product::price).and(twin.col(Product::id).gt(Product::id)))
            .order_by(Product::id)
            .select((Product::id, twin.col(Product::id)))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64)> = orm::raw("SELECT p.id, q.id FROM products p JOIN products q ON q.price = p.price AND q.id > p.id ORDER BY p.id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 2);
        Ok(())
    }

    async fn left_join_keeps_parents_without_children(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<(i64, String, Option<i64>, Option<String>)> = Customer::query()
            .left_join(Order::TABLE)
            .order_by(Customer::id)
            .order_by(Order::id)
            .select((Customer::id, Customer::name, Order::id.nullable(), Order::status.nullable()))
            .all(db)
            .await?;
        let hand: Vec<(i64, String, Option<i64>, Option<String>)> = orm::raw(
            "SELECT c.id, c.name, o.id, o.status FROM customers c LEFT JOIN orders o ON o.customer_id = c.id ORDER BY c.id, o.id",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 10);
        assert_eq!(orm_rows.iter().filter(|r| r.2.is_none()).count(), 2);

        // Whole rows, the joined one as an Option.
        let orm_rows: Vec<(Customer, Option<Order>)> = Customer::query()
            .left_join(Order::TABLE)
            .order_by(Customer::id)
            .order_by(Order::id)
            .select((model_row::<Customer>(), model_row::<Order>().nullable()))
            .all(db)
            .await?;
        let orm_keys: Vec<(i64, Option<i64>)> = orm_rows.iter().map(|(c, o)| (c.id, o.as_ref().map(|o| o.id))).collect();
        let hand_keys: Vec<(i64, Option<i64>)> = hand.iter().map(|r| (r.0, r.2)).collect();
        assert_eq!(orm_keys, hand_keys);
        for (customer, order) in &orm_rows {
            assert_eq!(Customer::get(db, customer.id).await?, *customer);
            if let Some(order) = order {
                assert_eq!(Order::get(db, order.id).await?, *order);
            }
        }

        // Anti-join: the parents without children.
        let orm_ids: Vec<i64> = Customer::query().left_join(Order::TABLE).filter(Order::id.nullable().is_null()).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT c.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL ORDER BY c.id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2);

        let orm_rows: Vec<(String, Option<String>)> = Category::query().left_join(Product::TABLE).order_by(Category::id).order_by(Product::id).select((Category::name, Product::sku.nullable())).all(db).await?;
        let hand: Vec<(String, Option<String>)> = orm::raw("SELECT c.name, p.sku FROM categories c LEFT JOIN products p ON p.category_id = c.id ORDER BY c.id, p.id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.iter().filter(|r| r.1.is_none()).count(), 3, "All, Empty, Orphans");
        Ok(())
    }

    async fn left_join_groups_count_empty_groups(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        type Row = (String, i64, Option<Decimal>, Option<DateTime<Utc>>);
        let orm_rows: Vec<Row> = Customer::query()
            .left_join(Order::TABLE)
            .group_by((Customer::id, Customer::name))
            .order_by(Customer::id)
            .select((Customer::name, count(Order::id), sum(Order::total), max(Order::placed_at)))
            .all(db)
            .await?;
        let hand: Vec<(String, i64, Option<i64>, Option<DateTime<Utc>>)> = orm::raw(format!(
            "SELECT c.name, COUNT(o.id), {}, MAX(o.placed_at) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name ORDER BY c.id",
            cents(t, "SUM(o.total)")
        )).fetch_as(db).await?;
        let hand: Vec<Row> = hand.into_iter().map(|(n, c, s, m)| (n, c, from_cents(s), m)).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[4], ("Linus".to_owned(), 0, None, None));

        let orm_rows: Vec<(i64, i64, Option<i64>)> = Order::query()
            .left_join(OrderItem::TABLE)
            .group_by(Order::id)
            .order_by(Order::id)
            .select((Order::id, count(OrderItem::id), sum(OrderItem::quantity)))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64, Option<i64>)> = orm::raw("SELECT o.id, COUNT(i.id), SUM(i.quantity) FROM orders o LEFT JOIN order_items i ON i.order_id = o.id GROUP BY o.id ORDER BY o.id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[5].1, 0, "the order without items");
        assert_eq!(orm_rows[5].2, None);
        Ok(())
    }

    async fn right_join(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<(Option<i64>, String)> = Order::query()
            .right_join(Customer::TABLE)
            .select((Order::id.nullable(), Customer::name))
            .all(db)
            .await?;
        let hand: Vec<(Option<i64>, String)> = orm::raw("SELECT o.id, c.name FROM orders o RIGHT JOIN customers c ON o.customer_id = c.id").fetch_as(db).await?;
        assert_eq!(sorted(orm_rows.clone()), sorted(hand));
        assert_eq!(orm_rows.len(), 10);

        let orm_rows: Vec<(Option<String>, String)> = Product::query()
            .right_join(Category::TABLE)
            .select((Product::sku.nullable(), Category::name))
            .all(db)
            .await?;
        let hand: Vec<(Option<String>, String)> = orm::raw("SELECT p.sku, c.name FROM products p RIGHT JOIN categories c ON p.category_id = c.id").fetch_as(db).await?;
        assert_eq!(sorted(orm_rows.clone()), sorted(hand));
        assert_eq!(orm_rows.len(), 9);
        Ok(())
    }

    async fn full_join(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<(Option<String>, Option<String>)> = Product::query()
            .full_join(Category::TABLE)
            .select((Product::sku.nullable(), Category::name.nullable()))
            .all(db)
            .await?;
        let hand: Vec<(Option<String>, Option<String>)> = orm::raw("SELECT p.sku, c.name FROM products p FULL JOIN categories c ON p.category_id = c.id").fetch_as(db).await?;
        assert_eq!(sorted(orm_rows.clone()), sorted(hand));
        assert_eq!(orm_rows.len(), 11);
        assert_eq!(orm_rows.iter().filter(|r| r.0.is_none()).count(), 3, "categories without products");
        assert_eq!(orm_rows.iter().filter(|r| r.1.is_none()).count(), 2, "products without a category");
        Ok(())
    }

    async fn self_join_employee_manager(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let m = alias::<Employee>("m");
        let orm_rows: Vec<(String, Option<String>)> = Employee::query()
            .left_join_on(m, Employee::manager_id.eq(m.col(Employee::id)))
            .order_by(Employee::id)
            .select((Employee::name, m.col(Employee::name).nullable()))
            .all(db)
            .await?;
        let hand: Vec<(String, Option<String>)> = orm::raw("SELECT e.name, m.name FROM employees e LEFT JOIN employees m ON e.manager_id = m.id ORDER BY e.id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[3], ("Dave".to_owned(), Some("Bob".to_owned())));
        assert_eq!(orm_rows[0].1, None);

        // Managers with their number of reports and the reports' payroll.
        let r = alias::<Employee>("r");
        let orm_rows: Vec<(String, i64, Option<i64>)> = Employee::query()
            .join_on(r, r.col(Employee::manager_id).eq(Employee::id))
            .group_by((Employee::id, Employee::name))
            .order_by(Employee::id)
            .select((Employee::name, count(r.col(Employee::id)), sum(r.col(Employee::salary))))
            .all(db)
            .await?;
        let hand: Vec<(String, i64, Option<i64>)> = orm::raw(pick(
            t,
            "SELECT e.name, COUNT(r.id), SUM(r.salary) FROM employees e JOIN employees r ON r.manager_id = e.id GROUP BY e.id, e.name ORDER BY e.id",
            "SELECT e.name, COUNT(r.id), CAST(SUM(r.salary) AS BIGINT) FROM employees e JOIN employees r ON r.manager_id = e.id GROUP BY e.id, e.name ORDER BY e.id",
        )).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 3, "Alice, Bob, Eve manage");
        assert_eq!(orm_rows[0], ("Alice".to_owned(), 3, Some(430)));
        let r_ids: Vec<i64> = Employee::query().join_on(r, r.col(Employee::manager_id).eq(Employee::id)).filter(Employee::id.eq(s.employees[0])).order_by(r.col(Employee::id)).select(r.col(Employee::id)).all(db).await?;
        assert_eq!(r_ids, [s.employees[1], s.employees[2], s.employees[4]]);
        Ok(())
    }

    async fn two_level_alias_and_alias_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let m = alias::<Employee>("m");
        let g = alias::<Employee>("g");
        let orm_rows: Vec<(String, Option<String>, Option<String>)> = Employee::query()
            .left_join_on(m, Employee::manager_id.eq(m.col(Employee::id)))
            .left_join_on(g, m.col(Employee::manager_id).eq(g.col(Employee::id)))
            .order_by(Employee::id)
            .select((Employee::name, m.col(Employee::name).nullable(), g.col(Employee::name).nullable()))
            .all(db)
            .await?;
        let hand: Vec<(String, Option<String>, Option<String>)> = orm::raw(
            "SELECT e.name, m.name, g.name FROM employees e LEFT JOIN employees m ON e.manager_id = m.id \
             LEFT JOIN employees g ON m.manager_id = g.id ORDER BY e.id",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[3].2.as_deref(), Some("Alice"), "Dave's manager's manager");

        let orm_rows: Vec<(Employee, Option<Employee>)> = Employee::query()
            .left_join_on(m, Employee::manager_id.eq(m.col(Employee::id)))
            .order_by(Employee::id)
            .select((model_row::<Employee>(), m.row().nullable()))
            .all(db)
            .await?;
        let orm_keys: Vec<(i64, String, Option<i64>, Option<i64>)> = orm_rows.iter().map(|(e, m)| (e.id, e.name.clone(), e.manager_id, m.as_ref().map(|m| m.id))).collect();
        let hand: Vec<(i64, String, Option<i64>, Option<i64>)> = orm::raw("SELECT e.id, e.name, e.manager_id, m.id FROM employees e LEFT JOIN employees m ON e.manager_id = m.id ORDER BY e.id").fetch_as(db).await?;
        assert_eq!(orm_keys, hand);
        for (employee, manager) in &orm_rows {
            if let Some(manager) = manager {
                assert_eq!(Employee::get(db, manager.id).await?, *manager);
                assert_eq!(employee.manager_id, Some(manager.id));
            }
        }
        Ok(())
    }

    async fn group_by_having(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        type Row = (String, i64, Option<Decimal>, Option<DateTime<Utc>>);
        let orm_rows: Vec<Row> = Order::query()
            .join(Customer::TABLE)
            .group_by((Customer::id, Customer::name))
            .having(count_star().ge(2))
            .order_by(Customer::name)
            .select((Customer::name, count_star(), sum(Order::total), max(Order::placed_at)))
            .all(db)
            .await?;
        let hand: Vec<(String, i64, Option<i64>, Option<DateTime<Utc>>)> = orm::raw(format!(
            "SELECT c.name, COUNT(*), {}, MAX(o.placed_at) FROM orders o JOIN customers c ON c.id = o.customer_id \
             GROUP BY c.id, c.name HAVING COUNT(*) >= 2 ORDER BY c.name",
            cents(t, "SUM(o.total)")
        )).fetch_as(db).await?;
        let hand: Vec<Row> = hand.into_iter().map(|(n, c, s, m)| (n, c, from_cents(s), m)).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 3);

        let orm_rows: Vec<(String, Option<i64>, i64)> = OrderItem::query()
            .join(Product::TABLE)
            .group_by((Product::id, Product::sku))
            .having(sum(OrderItem::quantity).gt(2_i64).and(Product::sku.ne("TC-002")))
            .order_by(Product::sku)
            .select((Product::sku, sum(OrderItem::quantity), count_distinct(OrderItem::order_id)))
            .all(db)
            .await?;
        let hand: Vec<(String, Option<i64>, i64)> = orm::raw(
            "SELECT p.sku, SUM(i.quantity), COUNT(DISTINCT i.order_id) FROM order_items i JOIN products p ON p.id = i.product_id \
             GROUP BY p.id, p.sku HAVING SUM(i.quantity) > 2 AND p.sku <> 'TC-002' ORDER BY p.sku",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 4);
        Ok(())
    }

    async fn having_on_a_decimal_sum(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<(i64, Option<Decimal>)> = Order::query()
            .group_by(Order::customer_id)
            .having(sum(Order::total).gt(money(20000)))
            .order_by(Order::customer_id)
            .select((Order::customer_id, sum(Order::total)))
            .all(db)
            .await?;
        let hand: Vec<(i64, Option<i64>)> = orm::raw(format!(
            "SELECT customer_id, {} FROM orders GROUP BY customer_id HAVING SUM(total) > {} ORDER BY customer_id",
            cents(t, "SUM(total)"),
            lit_money(t, 20000)
        )).fetch_as(db).await?;
        let hand: Vec<(i64, Option<Decimal>)> = hand.into_iter().map(|(c, s)| (c, from_cents(s))).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 3, "Ada, Grace and Edsger spent over 200.00");
        Ok(())
    }

    /// Grouping by an expression that contains a bound value (a COALESCE fallback, a CASE
    /// label): the select list and the GROUP BY must be recognised as the same expression.
    async fn group_by_expression_with_bound_values(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let city = || coalesce(Customer::city, "unknown");
        let orm_rows: Vec<(String, i64)> = Customer::query()
            .group_by(city())
            .order_by(city())
            .select((city(), count_star()))
            .all(db)
            .await?;
        let hand: Vec<(String, i64)> = orm::raw("SELECT COALESCE(city, 'unknown'), COUNT(*) FROM customers GROUP BY COALESCE(city, 'unknown') ORDER BY 1").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 4);

        let bucket = || {
            case_when::<String, _, _>(Product::price.lt(money(3000)), "cheap")
                .when(Product::price.lt(money(10000)), "mid")
                .otherwise("premium")
        };
        let orm_rows: Vec<(String, i64, Option<i64>)> = Product::query()
            .group_by(bucket())
            .order_by(bucket())
            .select((bucket(), count_star(), sum(Product::stock)))
            .all(db)
            .await?;
        let hand_bucket = format!(
            "CASE WHEN price < {} THEN 'cheap' WHEN price < {} THEN 'mid' ELSE 'premium' END",
            lit_money(t, 3000), lit_money(t, 10000)
        );
        let hand: Vec<(String, i64, Option<i64>)> = orm::raw(format!("SELECT {hand_bucket}, COUNT(*), SUM(stock) FROM products GROUP BY {hand_bucket} ORDER BY 1")).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 3);
        Ok(())
    }

    async fn distinct_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<Option<String>> = Customer::query().distinct().select(Customer::city).all(db).await?;
        let hand: Vec<Option<String>> = orm::raw("SELECT DISTINCT city FROM customers").fetch_as(db).await?;
        assert_eq!(sorted(orm_rows.clone()), sorted(hand));
        assert_eq!(orm_rows.len(), 4);

        let orm_rows: Vec<String> = Order::query().distinct().order_by(Order::status).select(Order::status).all(db).await?;
        let hand: Vec<String> = orm::raw("SELECT DISTINCT status FROM orders ORDER BY status").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows, ["cancelled", "pending", "shipped"]);

        let orm_rows: Vec<(Option<String>, bool)> = Customer::query().distinct().select((Customer::city, Customer::vip)).all(db).await?;
        let hand: Vec<(Option<String>, bool)> = orm::raw("SELECT DISTINCT city, vip FROM customers").fetch_as(db).await?;
        assert_eq!(sorted(orm_rows.clone()), sorted(hand));
        assert_eq!(orm_rows.len(), 6);

        let orm_rows: Vec<Decimal> = OrderItem::query().distinct().select(OrderItem::unit_price).all(db).await?;
        let hand: Vec<i64> = orm::raw(format!("SELECT DISTINCT {} FROM order_items", cents(t, "unit_price"))).fetch_as(db).await?;
        assert_eq!(sorted(orm_rows.clone()), sorted(hand.into_iter().map(money).collect()));
        assert_eq!(orm_rows.len(), 8);
        Ok(())
    }

    async fn distinct_on_is_postgres_only(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let latest = Order::query()
            .distinct_on(Order::customer_id)
            .order_by(Order::customer_id)
            .order_by(Order::placed_at.desc())
            .order_by(Order::id.desc())
            .select((Order::customer_id, Order::id, Order::placed_at))
            .all(db)
            .await;
        if is_pg(t) {
            let latest = latest?;
            let hand: Vec<(i64, i64, DateTime<Utc>)> = orm::raw("SELECT DISTINCT ON (customer_id) customer_id, id, placed_at FROM orders ORDER BY customer_id, placed_at DESC, id DESC").fetch_as(db).await?;
            assert_eq!(latest, hand);
            // The same as the first row per customer by a window function.
            let by_window: Vec<(i64, i64, DateTime<Utc>)> = orm::raw(
                "SELECT customer_id, id, placed_at FROM (SELECT customer_id, id, placed_at, \
                 ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY placed_at DESC, id DESC) AS n FROM orders) AS x \
                 WHERE n = 1 ORDER BY customer_id",
            ).fetch_as(db).await?;
            assert_eq!(latest, by_window);
            assert_eq!(latest.len(), 4);
        } else {
            let error = latest.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Unsupported, "{error}");
        }
        Ok(())
    }

    async fn nulls_first_and_last(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let cases: Vec<(orm::expr::Sorted<Option<String>>, &str, bool)> = vec![
            (Customer::city.asc().nulls_first(), "(city IS NULL) DESC, city ASC", true),
            (Customer::city.asc().nulls_last(), "(city IS NULL) ASC, city ASC", false),
            (Customer::city.desc().nulls_first(), "(city IS NULL) DESC, city DESC", true),
            (Customer::city.desc().nulls_last(), "(city IS NULL) ASC, city DESC", false),
        ];
        for (order, hand_order, nulls_first) in cases {
            let orm_rows: Vec<(i64, Option<String>)> = Customer::query().order_by(order).order_by(Customer::id).select((Customer::id, Customer::city)).all(db).await?;
            let hand: Vec<(i64, Option<String>)> = orm::raw(format!("SELECT id, city FROM customers ORDER BY {hand_order}, id")).fetch_as(db).await?;
            assert_eq!(orm_rows, hand, "{hand_order}");
            let edge = if nulls_first { orm_rows.first() } else { orm_rows.last() };
            assert_eq!(edge.and_then(|r| r.1.clone()), None, "{hand_order}");
        }
        let orm_rows: Vec<i64> = Product::query().order_by(Product::discount.desc().nulls_last()).order_by(Product::id).select(Product::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM products ORDER BY (discount IS NULL) ASC, discount DESC, id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        Ok(())
    }

    async fn in_subquery_and_not_in_subquery(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let pending = || Order::query().filter(Order::status.eq("pending")).select(Order::customer_id);
        let orm_ids: Vec<i64> = Customer::query().filter(Customer::id.in_subquery(pending())).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE status = 'pending') ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 3);
        let orm_ids: Vec<i64> = Customer::query().filter(Customer::id.not_in_subquery(pending())).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders WHERE status = 'pending') ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 3);

        let orm_ids: Vec<i64> = Product::query().filter(Product::id.not_in_subquery(OrderItem::query().select(OrderItem::product_id))).order_by(Product::id).select(Product::id).all(db).await?;
        let hand = product_ids_where(t, "id NOT IN (SELECT product_id FROM order_items)").await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2, "never ordered");

        // NOT IN over a subquery that yields NULL matches nothing, as in SQL.
        let orm_ids: Vec<i64> = Category::query().filter(Category::id.not_in_subquery(Category::query().select(Category::parent_id))).select(Category::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM categories WHERE id NOT IN (SELECT parent_id FROM categories)").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert!(orm_ids.is_empty());
        let orm_ids: Vec<i64> = Category::query()
            .filter(Category::id.not_in_subquery(Category::query().filter(Category::parent_id.is_not_null()).select(Category::parent_id)))
            .order_by(Category::id)
            .select(Category::id)
            .all(db)
            .await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM categories WHERE id NOT IN (SELECT parent_id FROM categories WHERE parent_id IS NOT NULL) ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 4, "the leaves");

        // A nullable column IN a subquery of non-null values.
        let orm_ids: Vec<i64> = Product::query().filter(Product::category_id.in_subquery(Category::query().filter(Category::name.like("%s%")).select(Category::id))).order_by(Product::id).select(Product::id).all(db).await?;
        let hand = product_ids_where(t, "category_id IN (SELECT id FROM categories WHERE name LIKE '%s%')").await?;
        assert_eq!(orm_ids, hand);
        assert!(!orm_ids.is_empty());
        Ok(())
    }

    async fn exists_and_not_exists_correlated(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let orm_ids: Vec<i64> = Customer::query()
            .filter(exists(Order::query().filter(Order::customer_id.eq(Customer::id)).filter(Order::status.eq("shipped"))))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await?;
        let hand: Vec<i64> = orm::raw("SELECT c.id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'shipped') ORDER BY c.id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2);

        let orm_ids: Vec<i64> = Customer::query().filter(not_exists(Order::query().filter(Order::customer_id.eq(Customer::id)))).order_by(Customer::id).select(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) ORDER BY c.id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids, [s.customers[4], s.customers[5]]);

        // Correlated through joins inside the subquery: customers who bought something in Tech.
        let orm_ids: Vec<i64> = Customer::query()
            .filter(exists(
                OrderItem::query()
                    .join(Order::TABLE)
                    .join(Product::TABLE)
                    .filter(Order::customer_id.eq(Customer::id))
                    .filter(Product::category_id.eq(s.categories[2])),
            ))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await?;
        let hand: Vec<i64> = orm::raw(sql(t, "SELECT c.id FROM customers c WHERE EXISTS (SELECT 1 FROM order_items i JOIN orders o ON o.id = i.order_id \
             JOIN products p ON p.id = i.product_id WHERE o.customer_id = c.id AND p.category_id = ?) ORDER BY c.id")).bind(s.categories[2]).fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 3);

        let orm_ids: Vec<i64> = Product::query().filter(not_exists(OrderItem::query().filter(OrderItem::product_id.eq(Product::id)))).order_by(Product::id).select(Product::id).all(db).await?;
        let hand = product_ids_where(t, "NOT EXISTS (SELECT 1 FROM order_items i WHERE i.product_id = products.id)").await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2);
        Ok(())
    }

    async fn scalar_subquery_in_select(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let of_customer = || Order::query().filter(Order::customer_id.eq(Customer::id));
        type Row = (String, Option<i64>, Option<DateTime<Utc>>, Option<Decimal>);
        let orm_rows: Vec<Row> = Customer::query()
            .order_by(Customer::id)
            .select((
                Customer::name,
                of_customer().select(count_star()).scalar(),
                of_customer().select(max(Order::placed_at)).scalar(),
                of_customer().select(sum(Order::total)).scalar(),
            ))
            .all(db)
            .await?;
        let hand: Vec<(String, Option<i64>, Option<DateTime<Utc>>, Option<i64>)> = orm::raw(format!(
            "SELECT c.name, (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id), \
             (SELECT MAX(o.placed_at) FROM orders o WHERE o.customer_id = c.id), \
             (SELECT {} FROM orders o WHERE o.customer_id = c.id) FROM customers c ORDER BY c.id",
            cents(t, "SUM(o.total)")
        )).fetch_as(db).await?;
        let hand: Vec<Row> = hand.into_iter().map(|(n, c, m, s)| (n, c, m, from_cents(s))).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[0].1, Some(3));
        assert_eq!(orm_rows[0].3, Some(money(8499 + 17800 + 26700)));
        assert_eq!(orm_rows[4], ("Linus".to_owned(), Some(0), None, None));
        Ok(())
    }

    async fn scalar_subquery_in_filter(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_ids: Vec<i64> = Product::query()
            .filter(Product::price.nullable().ge(Product::query().select(avg(Product::price)).scalar()))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await?;
        let hand = product_ids_where(t, "price >= (SELECT AVG(price) FROM products)").await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 2, "Keyboard and Monitor are above 64.81");

        let orm_ids: Vec<i64> = Order::query()
            .filter(Order::total.nullable().eq(Order::query().select(max(Order::total)).scalar()))
            .select(Order::id)
            .all(db)
            .await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM orders WHERE total = (SELECT MAX(total) FROM orders)").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 1);

        let orm_ids: Vec<i64> = Customer::query()
            .filter(Customer::score.nullable().gt(Customer::query().filter(Customer::vip).select(min(Customer::score)).scalar()))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM customers WHERE score > (SELECT MIN(score) FROM customers WHERE vip) ORDER BY id").fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 4);
        Ok(())
    }

    async fn correlated_scalar_subquery_over_an_alias(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let peer = alias::<Employee>("peer");
        let orm_rows: Vec<(i64, String)> = Employee::query()
            .filter(
                Employee::salary.cast::<Decimal>().nullable().gt(
                    select_from(peer)
                        .filter(peer.col(Employee::dept).eq(Employee::dept))
                        .select(avg(peer.col(Employee::salary)))
                        .scalar(),
                ),
            )
            .order_by(Employee::id)
            .select((Employee::id, Employee::name))
            .all(db)
            .await?;
        let hand: Vec<(i64, String)> = orm::raw(format!(
            "SELECT e.id, e.name FROM employees e WHERE CAST(e.salary AS {}) > \
             (SELECT AVG(p.salary) FROM employees p WHERE p.dept = e.dept) ORDER BY e.id",
            pick(t, "REAL", "DOUBLE PRECISION")
        )).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        let names: Vec<&str> = orm_rows.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(names, ["Alice", "Eve"]);
        Ok(())
    }

    async fn derived_table(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let per = Order::query()
            .group_by(Order::customer_id)
            .select((Order::customer_id, count_star().label("n"), sum(Order::total).label("total")))
            .derived("per_customer");
        let orm_rows: Vec<(String, i64, Decimal)> = Customer::query()
            .join_on(&per, per.col(Order::customer_id).eq(Customer::id))
            .filter(per.field::<i64>("n").ge(2))
            .order_by(Customer::id)
            .select((Customer::name, per.field::<i64>("n"), per.col(Order::total)))
            .all(db)
            .await?;
        let hand: Vec<(String, i64, i64)> = orm::raw(format!(
            "SELECT c.name, p.n, {} FROM customers c JOIN (SELECT customer_id, COUNT(*) AS n, SUM(total) AS total \
             FROM orders GROUP BY customer_id) AS p ON p.customer_id = c.id WHERE p.n >= 2 ORDER BY c.id",
            cents(t, "p.total")
        )).fetch_as(db).await?;
        let hand: Vec<(String, i64, Decimal)> = hand.into_iter().map(|(n, c, s)| (n, c, money(s))).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 3);

        let orm_rows: Vec<(i64, i64)> = select_from(&per)
            .filter(per.field::<i64>("n").eq(1))
            .order_by(per.col(Order::customer_id))
            .select((per.col(Order::customer_id), per.field::<i64>("n")))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64)> = orm::raw("SELECT customer_id, n FROM (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id) AS p WHERE n = 1 ORDER BY customer_id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 1);
        Ok(())
    }

    /// A decimal aggregate read back from a derived table by its label.
    async fn derived_table_decimal_field_keeps_its_value(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        // `get(&spent)` reads the labelled sum with its own type, so the decimal keeps the
        // column's scale (SQLite stores it scaled).
        let spent = sum(Order::total).label("spent");
        let per = Order::query()
            .group_by(Order::customer_id)
            .select((Order::customer_id, spent.clone()))
            .derived("per_customer");
        let orm_rows: Vec<(i64, Option<Decimal>)> = select_from(&per)
            .order_by(per.col(Order::customer_id))
            .select((per.col(Order::customer_id), per.get(&spent)))
            .all(db)
            .await?;
        let hand: Vec<(i64, Option<i64>)> = orm::raw(format!("SELECT customer_id, {} FROM orders GROUP BY customer_id ORDER BY customer_id", cents(t, "SUM(total)"))).fetch_as(db).await?;
        let hand: Vec<(i64, Option<Decimal>)> = hand.into_iter().map(|(c, s)| (c, from_cents(s))).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows[0], (s.customers[0], Some(money(8499 + 17800 + 26700))));
        Ok(())
    }

    async fn single_cte(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let big = cte("big_orders", Order::query().filter(Order::total.ge(money(10000))).select((Order::id, Order::customer_id, Order::total)));
        let orm_rows: Vec<(i64, i64, Decimal)> = select_from(&big)
            .order_by(big.col(Order::id))
            .select((big.col(Order::id), big.col(Order::customer_id), big.col(Order::total)))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64, i64)> = orm::raw(format!(
            "WITH big_orders AS (SELECT id, customer_id, total FROM orders WHERE total >= {}) \
             SELECT id, customer_id, {} FROM big_orders ORDER BY id",
            lit_money(t, 10000),
            cents(t, "total")
        )).fetch_as(db).await?;
        let hand: Vec<(i64, i64, Decimal)> = hand.into_iter().map(|(i, c, s)| (i, c, money(s))).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 4);

        let orm_rows: Vec<(String, i64)> = Customer::query()
            .join_on(&big, big.col(Order::customer_id).eq(Customer::id))
            .order_by(big.col(Order::id))
            .select((Customer::name, big.col(Order::id)))
            .all(db)
            .await?;
        let hand: Vec<(String, i64)> = orm::raw(format!(
            "WITH big_orders AS (SELECT id, customer_id FROM orders WHERE total >= {}) \
             SELECT c.name, b.id FROM customers c JOIN big_orders b ON b.customer_id = c.id ORDER BY b.id",
            lit_money(t, 10000)
        )).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);

        let orm_ids: Vec<i64> = Customer::query()
            .with(&big)
            .filter(Customer::id.in_subquery(select_from(&big).select(big.col(Order::customer_id))))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await?;
        let hand: Vec<i64> = orm::raw(format!(
            "WITH big_orders AS (SELECT id, customer_id FROM orders WHERE total >= {}) \
             SELECT id FROM customers WHERE id IN (SELECT customer_id FROM big_orders) ORDER BY id",
            lit_money(t, 10000)
        )).fetch_as(db).await?;
        assert_eq!(orm_ids, hand);
        assert_eq!(orm_ids.len(), 3);
        Ok(())
    }

    async fn several_ctes(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let spend = cte("spend", Order::query().group_by(Order::customer_id).select((Order::customer_id, sum(Order::total).label("total"))));
        let qty = cte(
            "qty",
            OrderItem::query().join(Order::TABLE).group_by(Order::customer_id).select((Order::customer_id, sum(OrderItem::quantity).label("quantity"))),
        );
        let orm_rows: Vec<(i64, Decimal, Option<i64>)> = select_from(&spend)
            .left_join_on(&qty, qty.col(Order::customer_id).eq(spend.col(Order::customer_id)))
            .order_by(spend.col(Order::customer_id))
            .select((spend.col(Order::customer_id), spend.col(Order::total), qty.field::<Option<i64>>("quantity")))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64, Option<i64>)> = orm::raw(format!(
            "WITH spend AS (SELECT customer_id, SUM(total) AS total FROM orders GROUP BY customer_id), \
             qty AS (SELECT o.customer_id, SUM(i.quantity) AS quantity FROM order_items i JOIN orders o ON o.id = i.order_id GROUP BY o.customer_id) \
             SELECT s.customer_id, {}, q.quantity FROM spend s LEFT JOIN qty q ON q.customer_id = s.customer_id ORDER BY s.customer_id",
            cents(t, "s.total")
        )).fetch_as(db).await?;
        let hand: Vec<(i64, Decimal, Option<i64>)> = hand.into_iter().map(|(c, s, q)| (c, money(s), q)).collect();
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 4);
        assert_eq!(orm_rows[3].2, None, "Barbara's only order has no items");
        Ok(())
    }

    async fn recursive_cte_walks_the_category_tree(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let tree = recursive_cte(
            "tree",
            Category::query().filter(Category::parent_id.is_null()).select((Category::id, Category::parent_id, value(0_i32).label("depth"))),
            |tree| {
                Category::query()
                    .join_on(tree, Category::parent_id.eq(tree.col(Category::id)))
                    .select((Category::id, Category::parent_id, (tree.field::<i32>("depth") + 1).label("depth")))
            },
        );
        let orm_rows: Vec<(i64, Option<i64>, i32)> = select_from(&tree)
            .order_by(tree.field::<i32>("depth"))
            .order_by(tree.col(Category::id))
            .select((tree.col(Category::id), tree.col(Category::parent_id), tree.field::<i32>("depth")))
            .all(db)
            .await?;
        let hand: Vec<(i64, Option<i64>, i32)> = orm::raw(
            "WITH RECURSIVE tree(id, parent_id, depth) AS (SELECT id, parent_id, 0 FROM categories WHERE parent_id IS NULL \
             UNION ALL SELECT c.id, c.parent_id, t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.id) \
             SELECT id, parent_id, depth FROM tree ORDER BY depth, id",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 7);
        assert_eq!(orm_rows.last().map(|r| (r.0, r.2)), Some((s.categories[4], 3)));

        // The subtree under Books, with the depth relative to it.
        let books = s.categories[1];
        let sub = recursive_cte(
            "sub",
            Category::query().filter(Category::id.eq(books)).select((Category::id, value(0_i32).label("depth"))),
            |sub| {
                Category::query()
                    .join_on(sub, Category::parent_id.eq(sub.col(Category::id)))
                    .select((Category::id, (sub.field::<i32>("depth") + 1).label("depth")))
            },
        );
        let orm_rows: Vec<(i64, i32)> = select_from(&sub).order_by(sub.col(Category::id)).select((sub.col(Category::id), sub.field::<i32>("depth"))).all(db).await?;
        let hand: Vec<(i64, i32)> = orm::raw(sql(t,
            "WITH RECURSIVE sub(id, depth) AS (SELECT id, 0 FROM categories WHERE id = ? \
             UNION ALL SELECT c.id, s.depth + 1 FROM categories c JOIN sub s ON c.parent_id = s.id) \
             SELECT id, depth FROM sub ORDER BY id",
        )).bind(books).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 3);
        Ok(())
    }

    /// The recursive CTE of the documentation: a text path built with `concat` over a
    /// `max_length` (VARCHAR) column.
    async fn recursive_cte_builds_paths(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let tree = recursive_cte(
            "tree",
            Category::query()
                .filter(Category::parent_id.is_null())
                // PostgreSQL needs both terms of a recursive CTE to have the same column types:
                // the path grows as TEXT, so the base term casts the VARCHAR name to TEXT (as
                // the hand-written SQL does).
                .select((Category::id, Category::name.cast::<String>().label("path"), value(0_i32).label("depth"))),
            |tree| {
                Category::query()
                    .join_on(tree, Category::parent_id.eq(tree.field::<i64>("id")))
                    .select((
                        Category::id,
                        tree.field::<String>("path").concat(" > ").concat(Category::name),
                        (tree.field::<i32>("depth") + 1).label("depth"),
                    ))
            },
        );
        let orm_rows: Vec<(String, i32)> = select_from(&tree)
            .order_by(tree.field::<String>("path"))
            .select((tree.field::<String>("path"), tree.field::<i32>("depth")))
            .all(db)
            .await?;
        let hand: Vec<(String, i32)> = orm::raw(pick(
            t,
            "WITH RECURSIVE tree(id, path, depth) AS (SELECT id, name, 0 FROM categories WHERE parent_id IS NULL \
             UNION ALL SELECT c.id, t.path || ' > ' || c.name, t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.id) \
             SELECT path, depth FROM tree ORDER BY path",
            "WITH RECURSIVE tree(id, path, depth) AS (SELECT id, CAST(name AS TEXT), 0 FROM categories WHERE parent_id IS NULL \
             UNION ALL SELECT c.id, t.path || ' > ' || c.name, t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.id) \
             SELECT path, depth FROM tree ORDER BY path",
        )).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert!(orm_rows.contains(&("All > Books > Rust > Async".to_owned(), 3)));
        Ok(())
    }

    async fn window_ranking(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let by_score = || window().order_by(Customer::score.desc());
        let orm_rows: Vec<(i64, i64, i64, i64)> = Customer::query()
            .order_by(Customer::id)
            .select((
                Customer::id,
                row_number().over(by_score().order_by(Customer::id)),
                rank().over(by_score()),
                dense_rank().over(by_score()),
            ))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64, i64, i64)> = orm::raw(
            "SELECT id, ROW_NUMBER() OVER (ORDER BY score DESC, id), RANK() OVER (ORDER BY score DESC), \
             DENSE_RANK() OVER (ORDER BY score DESC) FROM customers ORDER BY id",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        let ranks: Vec<(i64, i64)> = orm_rows.iter().map(|r| (r.2, r.3)).collect();
        assert_eq!(ranks, [(2, 2), (3, 3), (3, 3), (5, 4), (5, 4), (1, 1)]);

        // Partitioned: rank of salaries within each department (NULL department included).
        let orm_rows: Vec<(i64, i64, i64)> = Employee::query()
            .order_by(Employee::id)
            .select((
                Employee::id,
                rank().over(window().partition_by(Employee::dept).order_by(Employee::salary.desc())),
                row_number().over(window().partition_by(Employee::dept).order_by(Employee::salary.desc()).order_by(Employee::id)),
            ))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64, i64)> = orm::raw(
            "SELECT id, RANK() OVER (PARTITION BY dept ORDER BY salary DESC), \
             ROW_NUMBER() OVER (PARTITION BY dept ORDER BY salary DESC, id) FROM employees ORDER BY id",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        Ok(())
    }

    async fn window_partition_lag_lead(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let w = || window().partition_by(Order::customer_id).order_by(Order::placed_at).order_by(Order::id);
        type Row = (i64, i64, Option<DateTime<Utc>>, Option<i64>, Option<Decimal>, i64);
        let orm_rows: Vec<Row> = Order::query()
            .order_by(Order::id)
            .select((
                Order::id,
                row_number().over(w()),
                lag(Order::placed_at, 1).over(w()),
                lead(Order::id, 2).over(w()),
                lag(Order::total, 1).over(w()),
                count_star().over(window().partition_by(Order::customer_id)),
            ))
            .all(db)
            .await?;
        let hand: Vec<(i64, i64, Option<DateTime<Utc>>, Option<i64>, Option<i64>, i64)> = orm::raw(format!(
            "SELECT id, ROW_NUMBER() OVER w, LAG(placed_at, 1) OVER w, LEAD(id, 2) OVER w, {}, \
             COUNT(*) OVER (PARTITION BY customer_id) FROM orders \
             WINDOW w AS (PARTITION BY customer_id ORDER BY placed_at, id) ORDER BY id",
            cents(t, "LAG(total, 1) OVER w")
        )).fetch_as(db).await?;
        let hand: Vec<Row> = hand.into_iter().map(|(a, b, c, d, e, f)| (a, b, c, d, from_cents(e), f)).collect();
        assert_eq!(orm_rows, hand);
        // Ada's orders: o1, o2, o7.
        assert_eq!(orm_rows[0].3, Some(orm_rows[6].0));
        assert_eq!(orm_rows[1].4, Some(money(8499)));
        assert_eq!(orm_rows[0].5, 3);
        Ok(())
    }

    async fn window_running_sums_with_frames(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let running = || {
            window()
                .partition_by(OrderItem::order_id)
                .order_by(OrderItem::id)
                .rows_between(FrameBound::UnboundedPreceding, FrameBound::CurrentRow)
        };
        type Row = (i64, Option<i64>, Option<Decimal>, Option<i32>, Option<i64>);
        let orm_rows: Vec<Row> = OrderItem::query()
            .order_by(OrderItem::id)
            .select((
                OrderItem::id,
                sum(OrderItem::quantity).over(running()),
                sum(OrderItem::unit_price).over(running()),
                max(OrderItem::quantity).over(window().order_by(OrderItem::id).rows_between(FrameBound::Preceding(1), FrameBound::Following(1))),
                sum(OrderItem::quantity).over(window().order_by(OrderItem::order_id).range_between(FrameBound::UnboundedPreceding, FrameBound::CurrentRow)),
            ))
            .all(db)
            .await?;
        let hand: Vec<(i64, Option<i64>, Option<i64>, Option<i32>, Option<i64>)> = orm::raw(format!(
            "SELECT id, SUM(quantity) OVER (PARTITION BY order_id ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), \
             {}, \
             MAX(quantity) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), \
             SUM(quantity) OVER (ORDER BY order_id RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) \
             FROM order_items ORDER BY id",
            cents(t, "SUM(unit_price) OVER (PARTITION BY order_id ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)")
        )).fetch_as(db).await?;
        let hand: Vec<Row> = hand.into_iter().map(|(a, b, c, d, e)| (a, b, from_cents(c), d, e)).collect();
        assert_eq!(orm_rows, hand);
        // Order o3 has three lines: 3, 1, 10.
        assert_eq!(orm_rows[5].1, Some(14));
        assert_eq!(orm_rows.last().and_then(|r| r.4), Some(28));
        Ok(())
    }

    /// `sum` and `avg` over a window for the argument types whose aggregate orm casts
    /// (`SUM(bigint)`, every `AVG`).
    async fn window_sum_and_avg_of_bigint(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<(i64, Option<i64>, Option<Decimal>)> = Employee::query()
            .order_by(Employee::id)
            .select((
                Employee::id,
                sum(Employee::salary).over(
                    window().partition_by(Employee::dept).order_by(Employee::hired_at).rows_between(FrameBound::UnboundedPreceding, FrameBound::CurrentRow),
                ),
                avg(Employee::salary).over(window().partition_by(Employee::dept)),
            ))
            .all(db)
            .await?;
        let hand: Vec<(i64, Option<i64>, Option<f64>)> = orm::raw(pick(
            t,
            "SELECT id, SUM(salary) OVER (PARTITION BY dept ORDER BY hired_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), \
             AVG(salary) OVER (PARTITION BY dept) FROM employees ORDER BY id",
            "SELECT id, CAST(SUM(salary) OVER (PARTITION BY dept ORDER BY hired_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT), \
             CAST(AVG(salary) OVER (PARTITION BY dept) AS DOUBLE PRECISION) FROM employees ORDER BY id",
        )).fetch_as(db).await?;
        assert_eq!(orm_rows.len(), hand.len());
        for (o, h) in orm_rows.iter().zip(&hand) {
            assert_eq!((o.0, o.1), (h.0, h.1));
            let (a, b) = (o.2.and_then(|avg| avg.to_f64()).expect("avg"), h.2.expect("avg"));
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
        assert_eq!(orm_rows[0].1, Some(200), "Alice was hired first in Eng");
        Ok(())
    }

    async fn union_with_order_and_limit(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let places = || Customer::query().filter(Customer::city.is_not_null()).select(Customer::city).union(Employee::query().select(Employee::dept));
        let orm_rows: Vec<Option<String>> = places().order_by(Customer::city).limit(4).all(db).await?;
        let hand: Vec<Option<String>> = orm::raw("SELECT city FROM customers WHERE city IS NOT NULL UNION SELECT dept FROM employees ORDER BY 1 NULLS LAST LIMIT 4").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 4);

        let orm_rows: Vec<Option<String>> = places().order_by(Customer::city.desc()).limit(10).offset(1).all(db).await?;
        let hand: Vec<Option<String>> = orm::raw("SELECT city FROM customers WHERE city IS NOT NULL UNION SELECT dept FROM employees ORDER BY 1 DESC NULLS FIRST LIMIT 10 OFFSET 1").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 5, "six distinct values (NULL included), the first skipped");

        let all: Vec<Option<String>> = places().all(db).await?;
        let hand: Vec<Option<String>> = orm::raw("SELECT city FROM customers WHERE city IS NOT NULL UNION SELECT dept FROM employees").fetch_as(db).await?;
        assert_eq!(sorted(all), sorted(hand));
        Ok(())
    }

    async fn union_all_intersect_except(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let with_status = |status: &'static str| Order::query().filter(Order::status.eq(status)).select(Order::customer_id);
        let orm_rows: Vec<i64> = with_status("shipped").union_all(with_status("pending")).order_by(Order::customer_id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT customer_id FROM orders WHERE status = 'shipped' UNION ALL SELECT customer_id FROM orders WHERE status = 'pending' ORDER BY 1").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 7);

        let orm_rows: Vec<i64> = with_status("shipped").intersect(with_status("pending")).order_by(Order::customer_id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT customer_id FROM orders WHERE status = 'shipped' INTERSECT SELECT customer_id FROM orders WHERE status = 'pending' ORDER BY 1").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows, [s.customers[2]]);

        let orm_rows: Vec<i64> = Customer::query().select(Customer::id).except(Order::query().select(Order::customer_id)).order_by(Customer::id).all(db).await?;
        let hand: Vec<i64> = orm::raw("SELECT id FROM customers EXCEPT SELECT customer_id FROM orders ORDER BY 1").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows, [s.customers[4], s.customers[5]]);

        // Three members, descending, paged.
        let orm_rows: Vec<i64> = with_status("shipped")
            .union(with_status("pending"))
            .union(with_status("cancelled"))
            .order_by(Order::customer_id.desc())
            .limit(2)
            .offset(1)
            .all(db)
            .await?;
        let hand: Vec<i64> = orm::raw(
            "SELECT customer_id FROM orders WHERE status = 'shipped' UNION SELECT customer_id FROM orders WHERE status = 'pending' \
             UNION SELECT customer_id FROM orders WHERE status = 'cancelled' ORDER BY 1 DESC LIMIT 2 OFFSET 1",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 2);

        // Mixed operators apply left to right: (shipped UNION pending) INTERSECT cancelled,
        // although PostgreSQL would bind INTERSECT tighter in unparenthesised SQL.
        let orm_rows: Vec<i64> = with_status("shipped")
            .union(with_status("pending"))
            .intersect(with_status("cancelled"))
            .order_by(Order::customer_id)
            .all(db)
            .await?;
        let hand: Vec<i64> = orm::raw(
            "SELECT customer_id FROM (SELECT customer_id FROM orders WHERE status = 'shipped' UNION \
             SELECT customer_id FROM orders WHERE status = 'pending') AS u \
             INTERSECT SELECT customer_id FROM orders WHERE status = 'cancelled' ORDER BY 1",
        )
        .fetch_as(db)
        .await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows, [s.customers[1]]);

        // A member with its own order and limit; order and limit before a union are refused.
        let orm_rows: Vec<i64> = Order::query()
            .filter(Order::status.eq("cancelled"))
            .select(Order::id)
            .union_all(Order::query().order_by(Order::total.desc()).limit(2).select(Order::id))
            .order_by(Order::id)
            .all(db)
            .await?;
        let hand: Vec<i64> = orm::raw(
            "SELECT id FROM orders WHERE status = 'cancelled' UNION ALL \
             SELECT * FROM (SELECT id FROM orders ORDER BY total DESC LIMIT 2) AS m ORDER BY 1",
        ).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows, [s.orders[2], s.orders[3], s.orders[6]]);
        let misplaced = Order::query().order_by(Order::id).limit(1).select(Order::id).union(Order::query().select(Order::id)).all(db).await;
        assert_eq!(misplaced.unwrap_err().kind(), ErrorKind::InvalidStatement);
        Ok(())
    }

    async fn keyset_pagination_walks_every_row(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let keys = || (Order::placed_at.desc(), Order::id.desc());
        let mut cursor: Option<(DateTime<Utc>, i64)> = None;
        let mut walked = Vec::new();
        let mut pages = 0;
        loop {
            let page: Vec<(i64, DateTime<Utc>)> = Order::query().keyset(keys(), cursor).limit(3).select((Order::id, Order::placed_at)).all(db).await?;
            let Some(last) = page.last() else { break };
            cursor = Some((last.1, last.0));
            pages += 1;
            walked.extend(page);
            assert!(pages <= 10, "keyset pagination does not terminate");
        }
        let full: Vec<(i64, DateTime<Utc>)> = Order::query().order_by(Order::placed_at.desc()).order_by(Order::id.desc()).select((Order::id, Order::placed_at)).all(db).await?;
        let hand: Vec<(i64, DateTime<Utc>)> = orm::raw("SELECT id, placed_at FROM orders ORDER BY placed_at DESC, id DESC").fetch_as(db).await?;
        assert_eq!(full, hand);
        assert_eq!(walked, hand);
        assert_eq!(pages, 3);

        // One page after a cursor in the middle of a tie, hand-written as a row comparison.
        let (id, at) = hand[5];
        assert_eq!(at, ts(2024, 2, 3, 14, 30, 0));
        assert_eq!(hand[6].1, at, "o2 and o3 tie on placed_at");
        let orm_page: Vec<i64> = Order::query().after(keys(), (at, id)).limit(3).select(Order::id).all(db).await?;
        let hand_page: Vec<i64> = orm::raw(format!(
            "SELECT id FROM orders WHERE placed_at < {at} OR (placed_at = {at} AND id < {id}) ORDER BY placed_at DESC, id DESC LIMIT 3",
            at = lit_ts(t, at)
        )).fetch_as(db).await?;
        assert_eq!(orm_page, hand_page);
        assert_eq!(orm_page.len(), 2);
        Ok(())
    }

    async fn keyset_pagination_ascending_with_ties(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let keys = || (Product::price.asc(), Product::id.asc());
        let mut cursor: Option<(Decimal, i64)> = None;
        let mut walked = Vec::new();
        loop {
            let page: Vec<(i64, Decimal)> = Product::query().filter(Product::sku.ne("TC-002")).keyset(keys(), cursor).limit(2).select((Product::id, Product::price)).all(db).await?;
            let Some(last) = page.last() else { break };
            cursor = Some((last.1, last.0));
            walked.extend(page);
            assert!(walked.len() <= 20, "keyset pagination does not terminate");
        }
        let hand: Vec<(i64, i64)> = orm::raw(format!("SELECT id, {} FROM products WHERE sku <> 'TC-002' ORDER BY price, id", cents(t, "price"))).fetch_as(db).await?;
        let hand: Vec<(i64, Decimal)> = hand.into_iter().map(|(i, c)| (i, money(c))).collect();
        assert_eq!(walked, hand);
        assert_eq!(walked.len(), 7);

        // Mixed directions: price descending, sku ascending.
        let keys = || (Product::price.desc(), Product::sku.asc());
        let mut cursor: Option<(Decimal, String)> = None;
        let mut walked = Vec::new();
        loop {
            let page: Vec<(String, Decimal)> = Product::query().keyset(keys(), cursor.clone()).limit(3).select((Product::sku, Product::price)).all(db).await?;
            let Some(last) = page.last() else { break };
            cursor = Some((last.1, last.0.clone()));
            walked.extend(page);
            assert!(walked.len() <= 20, "keyset pagination does not terminate");
        }
        let hand: Vec<(String, i64)> = orm::raw(format!("SELECT sku, {} FROM products ORDER BY price DESC, sku ASC", cents(t, "price"))).fetch_as(db).await?;
        let hand: Vec<(String, Decimal)> = hand.into_iter().map(|(s, c)| (s, money(c))).collect();
        assert_eq!(walked, hand);
        assert_eq!(walked.len(), 8);
        Ok(())
    }

    async fn select_as_dto(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let orm_rows: Vec<CustomerCard> = Customer::query().filter(Customer::vip.eq(false)).order_by(Customer::id).select_as::<CustomerCard>().all(db).await?;
        let hand: Vec<CustomerCard> = orm::raw(sql(t, "SELECT id, name, email, vip FROM customers WHERE vip = ? ORDER BY id")).bind(false).fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 4);
        assert_eq!(orm_rows[1].email, None);

        let orm_rows: Vec<PriceTag> = Product::query().order_by(Product::sku).select_as::<PriceTag>().all(db).await?;
        let hand: Vec<(String, i64, Option<i64>)> = orm::raw(format!("SELECT sku, {}, {} FROM products ORDER BY sku", cents(t, "price"), cents(t, "discount"))).fetch_as(db).await?;
        let hand: Vec<PriceTag> = hand.into_iter().map(|(sku, p, d)| PriceTag { sku, price: money(p), discount: from_cents(d) }).collect();
        assert_eq!(orm_rows, hand);

        // A DTO of the query's model next to a join.
        let orm_rows: Vec<CustomerCard> = Customer::query().join(Order::TABLE).filter(Order::status.eq("pending")).order_by(Order::id).select_as::<CustomerCard>().all(db).await?;
        let hand: Vec<CustomerCard> = orm::raw("SELECT c.id, c.name, c.email, c.vip FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.status = 'pending' ORDER BY o.id").fetch_as(db).await?;
        assert_eq!(orm_rows, hand);
        assert_eq!(orm_rows.len(), 3);
        Ok(())
    }

    async fn insert_select_copies_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let copied = orm::insert_select::<OrderArchive, _, _>(
            (OrderArchive::id, OrderArchive::customer_id, OrderArchive::total, OrderArchive::note),
            Order::query().filter(Order::status.eq("shipped")).select((Order::id, Order::customer_id, Order::total, Order::note)),
        )
        .exec(db)
        .await?;
        let hand_count: Vec<i64> = orm::raw("SELECT COUNT(*) FROM orders WHERE status = 'shipped'").fetch_as(db).await?;
        assert_eq!(vec![i64::try_from(copied).expect("small")], hand_count);
        assert_eq!(copied, 4);

        let archived: Vec<OrderArchive> = OrderArchive::query().order_by(OrderArchive::id).all(db).await?;
        let archived: Vec<(i64, i64, Decimal, Option<String>)> = archived.into_iter().map(|a| (a.id, a.customer_id, a.total, a.note)).collect();
        let hand: Vec<(i64, i64, i64, Option<String>)> = orm::raw(format!("SELECT id, customer_id, {}, note FROM orders WHERE status = 'shipped' ORDER BY id", cents(t, "total"))).fetch_as(db).await?;
        let hand: Vec<(i64, i64, Decimal, Option<String>)> = hand.into_iter().map(|(i, c, s, n)| (i, c, money(s), n)).collect();
        assert_eq!(archived, hand);

        // From a join, with a computed column.
        OrderArchive::delete().all_rows().exec(db).await?;
        let copied = orm::insert_select::<OrderArchive, _, _>(
            (OrderArchive::id, OrderArchive::customer_id, OrderArchive::total, OrderArchive::note),
            Order::query().join(Customer::TABLE).filter(Customer::vip).select((Order::id, Order::customer_id, Order::total + money(100), Customer::name.nullable())),
        )
        .exec(db)
        .await?;
        assert_eq!(copied, 4);
        let archived: Vec<(i64, Decimal, Option<String>)> = OrderArchive::query().order_by(OrderArchive::id).select((OrderArchive::id, OrderArchive::total, OrderArchive::note)).all(db).await?;
        let hand: Vec<(i64, i64, Option<String>)> = orm::raw(format!(
            "SELECT o.id, {}, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.vip ORDER BY o.id",
            cents(t, &format!("o.total + {}", lit_money(t, 100)))
        )).fetch_as(db).await?;
        let hand: Vec<(i64, Decimal, Option<String>)> = hand.into_iter().map(|(i, s, n)| (i, money(s), n)).collect();
        assert_eq!(archived, hand);
        Ok(())
    }

    async fn upsert_do_update_returning(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let rows = vec![
            NewProduct { sku: "BK-001".into(), name: "The Book, 2nd ed.".into(), category_id: None, price: money(4499), discount: None, stock: 5, weight: None },
            NewProduct { sku: "NEW-001".into(), name: "Fresh".into(), category_id: None, price: money(1000), discount: Some(money(100)), stock: 3, weight: Some(1.0) },
        ];
        let returned: Vec<(String, String, i32, Decimal)> = orm::insert(rows)
            .on_conflict(Product::sku)
            .do_update(Product::stock, Product::stock + excluded(Product::stock))
            .do_update(Product::name, excluded(Product::name))
            .returning((Product::sku, Product::name, Product::stock, Product::price))
            .all(db)
            .await?;
        let hand: Vec<(String, String, i32, i64)> = orm::raw(format!("SELECT sku, name, stock, {} FROM products WHERE sku IN ('BK-001', 'NEW-001') ORDER BY sku", cents(t, "price"))).fetch_as(db).await?;
        let hand: Vec<(String, String, i32, Decimal)> = hand.into_iter().map(|(s, n, q, p)| (s, n, q, money(p))).collect();
        assert_eq!(sorted(returned.clone()), hand);
        assert_eq!(hand[0], ("BK-001".to_owned(), "The Book, 2nd ed.".to_owned(), 15, money(3999)), "stock added, price kept");
        assert_eq!(hand[1].2, 3);
        let count: Vec<i64> = orm::raw("SELECT COUNT(*) FROM products").fetch_as(db).await?;
        assert_eq!(count, [9]);
        Ok(())
    }

    async fn upsert_do_nothing_returning(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let before: Vec<(String, i32)> = orm::raw("SELECT name, stock FROM products WHERE sku = 'BK-002'").fetch_as(db).await?;
        let rows = vec![
            NewProduct { sku: "BK-002".into(), name: "Ignored".into(), category_id: None, price: money(1), discount: None, stock: 99, weight: None },
            NewProduct { sku: "NEW-002".into(), name: "Kept".into(), category_id: None, price: money(250), discount: None, stock: 1, weight: None },
        ];
        let returned: Vec<(i64, String)> = orm::insert(rows).on_conflict(Product::sku).do_nothing().returning((Product::id, Product::sku)).all(db).await?;
        let hand: Vec<(i64, String)> = orm::raw("SELECT id, sku FROM products WHERE sku = 'NEW-002'").fetch_as(db).await?;
        assert_eq!(returned, hand, "only the inserted row is returned");
        let after: Vec<(String, i32)> = orm::raw("SELECT name, stock FROM products WHERE sku = 'BK-002'").fetch_as(db).await?;
        assert_eq!(before, after, "the conflicting row is untouched");
        Ok(())
    }

    async fn update_with_expression_returning(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let expected: Vec<(i64, i32, i64)> = orm::raw(format!(
            "SELECT id, stock - 1, {} FROM products WHERE stock > 0 ORDER BY id",
            cents(t, &format!("price + {}", lit_money(t, 100)))
        )).fetch_as(db).await?;
        let returned: Vec<(i64, i32, Decimal)> = Product::update()
            .filter(Product::stock.gt(0))
            .set(Product::stock, Product::stock - 1)
            .set(Product::price, Product::price + money(100))
            .returning((Product::id, Product::stock, Product::price))
            .all(db)
            .await?;
        let expected: Vec<(i64, i32, Decimal)> = expected.into_iter().map(|(i, s, p)| (i, s, money(p))).collect();
        assert_eq!(sorted(returned.clone()), expected);
        assert_eq!(returned.len(), 6);
        let stored: Vec<(i64, i32, i64)> = orm::raw(format!("SELECT id, stock, {} FROM products ORDER BY id", cents(t, "price"))).fetch_as(db).await?;
        let stored: Vec<(i64, i32, Decimal)> = stored.into_iter().filter(|r| returned.iter().any(|x| x.0 == r.0)).map(|(i, s, p)| (i, s, money(p))).collect();
        assert_eq!(stored, expected);
        Ok(())
    }

    async fn delete_returning(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let expected: Vec<(i64, i64, i32, i64)> = orm::raw(format!("SELECT id, order_id, quantity, {} FROM order_items WHERE quantity >= 2 ORDER BY id", cents(t, "unit_price"))).fetch_as(db).await?;
        let deleted: Vec<(i64, i64, i32, Decimal)> = OrderItem::delete()
            .filter(OrderItem::quantity.ge(2))
            .returning((OrderItem::id, OrderItem::order_id, OrderItem::quantity, OrderItem::unit_price))
            .all(db)
            .await?;
        let expected: Vec<(i64, i64, i32, Decimal)> = expected.into_iter().map(|(i, o, q, p)| (i, o, q, money(p))).collect();
        assert_eq!(sorted(deleted.clone()), expected);
        assert!(deleted.iter().all(|d| s.items.contains(&d.0)));
        assert_eq!(expected.len(), 5);
        let left: Vec<i64> = orm::raw("SELECT COUNT(*) FROM order_items WHERE quantity >= 2").fetch_as(db).await?;
        assert_eq!(left, [0]);
        let left: Vec<i64> = orm::raw("SELECT COUNT(*) FROM order_items").fetch_as(db).await?;
        assert_eq!(left, [7]);
        Ok(())
    }
}
