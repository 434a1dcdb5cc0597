//! The parity suite (issue 11, "one model, two backends that agree"): every query runs on
//! in-memory SQLite *and* PostgreSQL, seeded identically through orm, and the two results
//! are compared with each other, exactly.
//!
//! Exactness: every result is rendered to text before comparing, a row to its `Debug` form.
//! That keeps a `Decimal`'s value *and* scale (`1.50` is not `1.5`, `1.985` is not `1.99`:
//! `Debug` of `Decimal` is its `to_string()`, checked in [`check_rendering`]), an `f64` to its
//! shortest round-tripping digits (equal text means equal bits, `-0.0` included; NaN
//! payloads aside), strings byte for byte (escaped), timestamps to the nanosecond. Every
//! multi-row query orders by a unique tie-breaker, and row order is compared too; only
//! `RETURNING` lists, which have no order, are compared sorted ([`Case::unordered`]).
//!
//! An error is a result like any other: `Err(<kind>)` on one backend and rows on the other
//! is a mismatch, and so are two different error kinds. Both backends failing with the same
//! kind passes only for a case marked [`Case::fails`] (a case that fails everywhere by
//! accident tests nothing). Every test function runs a table of named cases and reports all
//! mismatching cases at once.
//!
//! The suites:
//!
//! * `parity_expressions`: every expression kind of the differential suite
//!   (`differential.rs`) on its shop (`differential_seed.rs`), plus queries on the Chinook
//!   subset (`parity_seed.rs`);
//! * `parity_mutations`: upserts, `UPDATE .. RETURNING`, `DELETE .. RETURNING`,
//!   `INSERT .. SELECT`, each followed by a read-back;
//! * `parity_decimals`: decimal comparisons, arithmetic and aggregates on Chinook data and
//!   decimal DDL (a raw CHECK, a server default);
//! * `parity_text_unicode`: text functions on the non-ASCII names of Chinook.
//!
//! `ORM_PARITY_SHOW=1` prints the results of every case, agreeing or not.
//!
//! Left out: `distinct_on`, which is PostgreSQL-only by design (a typed `Unsupported` on
//! SQLite, checked by the differential suite).
//!
//! A parity test needs both databases: without PostgreSQL it prints a notice and passes, unless
//! `ORM_REQUIRE_PG=1`, where it panics (as the rest of the harness does).

// Row types are spelled out as tuples on purpose: they are what both backends decode into.
#![allow(clippy::type_complexity)]

use std::fmt::{Debug, Write as _};
use std::future::Future;
use std::pin::Pin;

use orm::prelude::*;

use crate::differential_seed::*;
use crate::parity_seed::*;
use crate::{Target, TestDb};

// ---------------------------------------------------------------------------------------------
// The harness.

/// An error as compared: its kind. The message (which names the backend) is kept for the
/// report only.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    kind: ErrorKind,
    message: String,
}

impl PartialEq for Failure {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

impl From<orm::Error> for Failure {
    fn from(error: orm::Error) -> Self {
        Failure {
            kind: error.kind(),
            message: error.to_string(),
        }
    }
}

/// What one backend answered: the rendered rows, or the error.
pub(crate) type Rendered = std::result::Result<Vec<String>, Failure>;

pub(crate) type BoxFut<'a> = Pin<Box<dyn Future<Output = Rendered> + 'a>>;

/// Rows, each rendered to its `Debug` text.
pub(crate) fn rows<T: Debug>(result: Result<Vec<T>>) -> Rendered {
    result
        .map(|rows| rows.iter().map(|row| format!("{row:?}")).collect())
        .map_err(Failure::from)
}

/// One value (a row, a count) rendered to its `Debug` text.
fn one<T: Debug>(result: Result<T>) -> Rendered {
    result
        .map(|value| vec![format!("{value:?}")])
        .map_err(Failure::from)
}

/// A named query run on both backends.
pub(crate) struct Case {
    name: String,
    /// Compare the rendered rows sorted (a `RETURNING` list has no order).
    unordered: bool,
    /// Both backends are expected to fail (with the same kind).
    fails: bool,
    run: Box<dyn for<'a> Fn(&'a Database) -> BoxFut<'a>>,
}

impl Case {
    pub(crate) fn new<F>(name: impl Into<String>, run: F) -> Case
    where
        F: for<'a> Fn(&'a Database) -> BoxFut<'a> + 'static,
    {
        Case {
            name: name.into(),
            unordered: false,
            fails: false,
            run: Box::new(run),
        }
    }

    /// Compare the rows as sets (sorted), for statements without an order.
    fn unordered(mut self) -> Case {
        self.unordered = true;
        self
    }

    /// Both backends must fail, with the same error kind.
    fn fails(mut self) -> Case {
        self.fails = true;
        self
    }
}

/// `case!("name", |db| <expression of type Rendered using db>)`.
macro_rules! case {
    ($name:expr, |$db:ident| $body:expr) => {
        Case::new($name, move |$db: &Database| Box::pin(async move { $body }))
    };
}
pub(crate) use case;

/// The two databases of a parity test.
pub(crate) struct Pair {
    sqlite: TestDb,
    postgres: TestDb,
}

fn pg_required() -> bool {
    std::env::var("ORM_REQUIRE_PG").is_ok_and(|v| v.trim() == "1")
}

/// Open in-memory SQLite and a fresh PostgreSQL schema; `None` (after a notice) when there is
/// no PostgreSQL, a panic then under `ORM_REQUIRE_PG=1`.
pub(crate) async fn open_pair(suite: &str) -> Option<Pair> {
    let sqlite = TestDb::open(Target::SqliteMemory)
        .await
        .expect("in-memory SQLite is always available");
    let Some(postgres) = TestDb::open(Target::Postgres).await else {
        assert!(
            !pg_required(),
            "ORM_REQUIRE_PG=1 but no PostgreSQL for the parity suite"
        );
        eprintln!(
            "{suite} skipped: a parity test needs PostgreSQL (set ORM_TEST_PG_URL; ORM_REQUIRE_PG=1 makes this a failure)"
        );
        return None;
    };
    Some(Pair { sqlite, postgres })
}

/// Seed the same data on both backends with `seed`; the two must return the same thing.
pub(crate) async fn seed_both<T, F>(pair: &Pair, what: &str, seed: F) -> T
where
    T: Debug,
    F: AsyncFn(&Database) -> Result<T>,
{
    let on_sqlite = seed(&pair.sqlite.db)
        .await
        .unwrap_or_else(|e| panic!("seeding {what} on SQLite: {e}\n{e:?}"));
    let on_postgres = seed(&pair.postgres.db)
        .await
        .unwrap_or_else(|e| panic!("seeding {what} on PostgreSQL: {e}\n{e:?}"));
    assert_eq!(
        format!("{on_sqlite:?}"),
        format!("{on_postgres:?}"),
        "seeding {what} gave different keys on SQLite and PostgreSQL"
    );
    on_sqlite
}

/// `Debug` of a `Decimal` is its `to_string()`, scale included: what the exact comparison
/// relies on.
fn check_rendering() {
    assert_eq!(format!("{:?}", Decimal::new(150, 2)), "1.50");
    assert_eq!(format!("{:?}", Decimal::new(15, 1)), "1.5");
    assert_eq!(format!("{:?}", Some(Decimal::new(1985, 3))), "Some(1.985)");
    assert_ne!(format!("{:?}", 0.1_f64 + 0.2), format!("{:?}", 0.3_f64));
    assert_ne!(format!("{:?}", -0.0_f64), format!("{:?}", 0.0_f64));
}

fn show(result: &Rendered) -> String {
    match result {
        Ok(rows) => format!("{} row(s)", rows.len()),
        Err(failure) => format!("Err({:?}): {}", failure.kind, failure.message),
    }
}

/// The rows of both sides, in full when short, else around the first difference.
fn describe_rows(out: &mut String, sqlite: &[String], postgres: &[String]) {
    const FULL: usize = 12;
    if sqlite.len().max(postgres.len()) <= FULL {
        let _ = writeln!(out, "    sqlite:   {sqlite:?}");
        let _ = writeln!(out, "    postgres: {postgres:?}");
        return;
    }
    let first = sqlite
        .iter()
        .zip(postgres)
        .position(|(a, b)| a != b)
        .unwrap_or(sqlite.len().min(postgres.len()));
    let differing = sqlite.iter().zip(postgres).filter(|(a, b)| a != b).count()
        + sqlite.len().abs_diff(postgres.len());
    let _ = writeln!(
        out,
        "    {differing} row(s) differ; first at row {first}; rows {}..:",
        first.saturating_sub(2)
    );
    let from = first.saturating_sub(2);
    let to = first + 4;
    let pick = |rows: &[String]| -> Vec<String> {
        rows.iter().skip(from).take(to - from).cloned().collect()
    };
    let _ = writeln!(out, "    sqlite:   {:?}", pick(sqlite));
    let _ = writeln!(out, "    postgres: {:?}", pick(postgres));
}

/// `ORM_PARITY_SHOW=1` prints every case's results, agreeing or not.
fn show_all() -> bool {
    std::env::var("ORM_PARITY_SHOW").is_ok_and(|v| v.trim() == "1")
}

/// Run every case on both backends (SQLite first, then PostgreSQL) and panic with every
/// mismatching case.
pub(crate) async fn run_cases(suite: &str, pair: &Pair, cases: Vec<Case>) {
    check_rendering();
    let mut names = std::collections::HashSet::new();
    for case in &cases {
        assert!(
            names.insert(case.name.clone()),
            "{suite}: duplicate case name {}",
            case.name
        );
    }
    let started = std::time::Instant::now();
    let mut report = String::new();
    let mut failed = 0;
    for case in &cases {
        let mut sqlite = (case.run)(&pair.sqlite.db).await;
        let mut postgres = (case.run)(&pair.postgres.db).await;
        if case.unordered {
            for rows in [&mut sqlite, &mut postgres].into_iter().flatten() {
                rows.sort();
            }
        }
        if show_all() {
            eprintln!(
                "[{}]\n  sqlite:   {sqlite:?}\n  postgres: {postgres:?}",
                case.name
            );
        }
        let problem = match (&sqlite, &postgres) {
            _ if sqlite != postgres => "results differ",
            (Err(_), Err(_)) if !case.fails => "both backends failed (the case tests nothing)",
            (Ok(_), Ok(_)) if case.fails => "both backends succeeded, a failure was expected",
            _ => continue,
        };
        failed += 1;
        let _ = writeln!(report, "\n  [{}] {problem}", case.name);
        let _ = writeln!(report, "    sqlite:   {}", show(&sqlite));
        let _ = writeln!(report, "    postgres: {}", show(&postgres));
        if let (Ok(a), Ok(b)) = (&sqlite, &postgres) {
            describe_rows(&mut report, a, b);
        }
    }
    let elapsed = started.elapsed();
    if failed > 0 {
        panic!(
            "{suite}: {failed} of {} cases disagree between SQLite and PostgreSQL ({elapsed:.2?}):\n{report}",
            cases.len()
        );
    }
    eprintln!(
        "{suite}: all {} cases agree on SQLite and PostgreSQL ({elapsed:.2?})",
        cases.len()
    );
}

// ---------------------------------------------------------------------------------------------
// DTOs.

/// A customer's contact card, selecting its own columns of `Customer`.
#[derive(FromRow, Debug, Clone, PartialEq)]
#[orm(model = Customer)]
pub struct ParityCard {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub vip: bool,
}

/// A price tag, selecting decimals of `Product`.
#[derive(FromRow, Debug, Clone, PartialEq)]
#[orm(model = Product)]
pub struct ParityPriceTag {
    pub sku: String,
    pub price: Decimal,
    pub discount: Option<Decimal>,
}

// ---------------------------------------------------------------------------------------------
// The cases.

/// Every expression kind of the differential suite, on the shop.
fn shop_expression_cases(s: &Seed) -> Vec<Case> {
    let mut cases = Vec::new();
    let [_, books, tech, ..] = s.categories[..] else {
        unreachable!()
    };
    let (p1, p3) = (s.products[1], s.products[3]);
    let alice = s.employees[0];
    let order = s.orders[1];
    // o2 and o3 tie on placed_at; the cursor sits on o3.
    let order_in_tie = s.orders[2];

    // Comparisons and boolean logic.
    cases.push(case!("shop/and-or-not over products", |db| rows(
        Product::query()
            .filter(
                Product::price
                    .gt(money(3000))
                    .and(Product::stock.gt(0))
                    .or(Product::category_id
                        .is_null()
                        .and(not(Product::stock.eq(0)))),
            )
            .filter(Product::price.ne(money(24900)))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/score ranges", |db| rows(
        Customer::query()
            .filter(
                Customer::score
                    .ge(85)
                    .and(Customer::score.lt(95))
                    .or(Customer::score.le(70).and(Customer::vip)),
            )
            .order_by(Customer::id)
            .select((Customer::id, Customer::score))
            .all(db)
            .await
    )));
    cases.push(case!("shop/not over a comparison with nulls", |db| rows(
        Customer::query()
            .filter(Customer::city.eq("London").not())
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/timestamp column vs column", |db| rows(
        Order::query()
            .filter(Order::shipped_at.gt(Order::placed_at))
            .order_by(Order::id)
            .select(Order::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/decimal column vs column across a join", |db| {
        rows(
            OrderItem::query()
                .join(Product::TABLE)
                .filter(OrderItem::unit_price.lt(Product::price))
                .order_by(OrderItem::id)
                .select((OrderItem::id, Product::sku))
                .all(db)
                .await,
        )
    }));

    // Arithmetic.
    cases.push(case!("shop/integer arithmetic", |db| rows(
        Product::query()
            .order_by(Product::id)
            .select((
                Product::id,
                Product::stock * 2 + 1,
                Product::stock - 3,
                Product::stock / 4,
                Product::stock + Product::stock,
                (Product::stock - 7) / 4,
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/bigint arithmetic", |db| rows(
        Employee::query()
            .order_by(Employee::id)
            .select((
                Employee::id,
                Employee::salary * 3 - 7,
                Employee::salary / 7,
                (Employee::salary - 1000) / 7
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/float arithmetic", |db| rows(
        Product::query()
            .order_by(Product::id)
            .select((
                Product::id,
                Product::weight * 2.0,
                Product::weight / 3.0,
                Product::weight + 0.1,
                Product::weight - 1.0,
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/integer arithmetic in a filter", |db| rows(
        Product::query()
            .filter((Product::stock - 5).gt(Product::stock / 2))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/decimal add and subtract (scale 2)", |db| rows(
        Product::query()
            .order_by(Product::id)
            .select((
                Product::id,
                Product::price - coalesce(Product::discount, money(0)),
                Product::price + money(100),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/decimal arithmetic in a filter", |db| rows(
        Product::query()
            .filter((Product::price - coalesce(Product::discount, money(0))).lt(money(4000)))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));

    // Text.
    cases.push(case!("shop/concat", |db| rows(
        Customer::query()
            .order_by(Customer::id)
            .select((
                Customer::id,
                Customer::name
                    .concat(" <")
                    .concat(coalesce(Customer::email, "none"))
                    .concat(">"),
                Customer::city.concat("!"),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/concat in a filter", |db| rows(
        Customer::query()
            .filter(Customer::name.concat("!").eq("Ada!"))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    for pattern in ["%o%", "_ouse", "%O%", "BK-00_", "%_%"] {
        cases.push(case!(format!("shop/like {pattern}"), |db| rows(
            Product::query()
                .filter(Product::name.like(pattern).or(Product::sku.like(pattern)))
                .order_by(Product::id)
                .select(Product::id)
                .all(db)
                .await
        )));
        cases.push(case!(format!("shop/not like {pattern}"), |db| rows(
            Product::query()
                .filter(Product::name.not_like(pattern))
                .order_by(Product::id)
                .select(Product::id)
                .all(db)
                .await
        )));
    }
    for term in ["100%", "%", "_", "-00", "0% G"] {
        cases.push(case!(format!("shop/contains {term}"), |db| rows(
            Product::query()
                .filter(Product::name.contains(term).or(Product::sku.contains(term)))
                .order_by(Product::id)
                .select(Product::id)
                .all(db)
                .await
        )));
    }
    cases.push(case!("shop/starts_with and ends_with", |db| rows(
        Product::query()
            .filter(
                Product::name
                    .starts_with("Mo")
                    .or(Product::name.ends_with("Rust"))
                    .or(Product::name.starts_with("under_"))
                    .or(Product::name.ends_with("% Guide")),
            )
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/contains on a nullable column", |db| rows(
        Order::query()
            .filter(
                Order::note
                    .contains("50% off_")
                    .or(Order::note.contains("50%_off")),
            )
            .order_by(Order::id)
            .select(Order::id)
            .all(db)
            .await
    )));
    for pattern in ["%BOOK%", "%rust", "m%", "%X%", "%O_S%", "%EXAMPLE.COM"] {
        cases.push(case!(format!("shop/ilike {pattern}"), |db| rows(
            Product::query()
                .filter(Product::name.ilike(pattern))
                .order_by(Product::id)
                .select(Product::id)
                .all(db)
                .await
        )));
        cases.push(case!(
            format!("shop/ilike on a nullable column {pattern}"),
            |db| {
                rows(
                    Customer::query()
                        .filter(Customer::email.ilike(pattern))
                        .order_by(Customer::id)
                        .select(Customer::id)
                        .all(db)
                        .await,
                )
            }
        ));
    }
    cases.push(case!("shop/ilike with escaped user input", |db| rows(
        Product::query()
            .filter(
                Product::name
                    .ilike(format!("%{}%", escape_like("sql 100%")))
                    .or(Product::name.ilike(format!("%{}%", escape_like("O_S")))),
            )
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));

    // Lists and ranges.
    let ids = [p1, p3, 999_999];
    cases.push(case!("shop/in_list of keys", |db| rows(
        Product::query()
            .filter(Product::id.in_list(ids))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/not_in of keys", |db| rows(
        Product::query()
            .filter(Product::id.not_in(ids))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/in_list empty", |db| {
        let none: [i64; 0] = [];
        rows(
            Product::query()
                .filter(Product::id.in_list(none))
                .order_by(Product::id)
                .select(Product::id)
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/not_in empty", |db| {
        let none: [i64; 0] = [];
        rows(
            Product::query()
                .filter(Product::id.not_in(none))
                .order_by(Product::id)
                .select(Product::id)
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/in_list of text", |db| rows(
        Customer::query()
            .filter(Customer::city.in_list(["London", "Austin"]))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/not_in of text over nulls", |db| rows(
        Customer::query()
            .filter(Customer::city.not_in(["London"]))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/in_list of decimals (scale 2)", |db| rows(
        Product::query()
            .filter(Product::price.in_list([money(3999), money(2500)]))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/between decimals (scale 2)", |db| rows(
        Product::query()
            .filter(Product::price.between(money(2500), money(4550)))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/between timestamps", |db| rows(
        Order::query()
            .filter(Order::placed_at.between(ts(2024, 2, 3, 14, 30, 0), ts(2024, 3, 20, 7, 5, 0)),)
            .order_by(Order::id)
            .select(Order::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/not between integers", |db| rows(
        Customer::query()
            .filter(Customer::score.between(70, 85).not())
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));

    // NULLs.
    let null_conditions: Vec<(&str, fn() -> Condition)> = vec![
        ("email is null", || Customer::email.is_null()),
        ("city is not null", || Customer::city.is_not_null()),
        ("email = None", || Customer::email.eq(None::<String>)),
        ("email <> None", || Customer::email.ne(None::<String>)),
        ("email and city null", || {
            Customer::email.is_null().and(Customer::city.is_null())
        }),
        ("email or city null", || {
            Customer::email.is_null().or(Customer::city.is_null())
        }),
    ];
    for (label, condition) in null_conditions {
        cases.push(case!(format!("shop/{label}"), |db| rows(
            Customer::query()
                .filter(condition())
                .order_by(Customer::id)
                .select(Customer::id)
                .all(db)
                .await
        )));
    }
    cases.push(case!("shop/is_null and is_not_null on orders", |db| rows(
        Order::query()
            .filter(Order::shipped_at.is_null().and(Order::note.is_not_null()))
            .order_by(Order::id)
            .select(Order::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/coalesce text", |db| rows(
        Customer::query()
            .order_by(Customer::id)
            .select((
                Customer::id,
                coalesce(Customer::city, "unknown"),
                coalesce(Customer::email, Customer::name),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/coalesce decimal (scale 2) and float", |db| {
        rows(
            Product::query()
                .order_by(Product::id)
                .select((
                    Product::id,
                    coalesce(Product::discount, money(0)),
                    coalesce(Product::weight, 0.0),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/coalesce in a filter", |db| rows(
        Product::query()
            .filter(coalesce(Product::discount, money(0)).gt(money(100)))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));

    // CASE and CAST.
    fn bucket() -> orm::expr::TypedExpr<String> {
        case_when::<String, _, _>(Product::price.lt(money(3000)), "cheap")
            .when(Product::price.lt(money(10000)), "mid")
            .otherwise("premium")
    }
    cases.push(case!("shop/case_when", |db| rows(
        Product::query()
            .order_by(Product::id)
            .select((
                Product::id,
                bucket(),
                case_when::<i32, _, _>(Product::stock.eq(0), 1).end(),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/order by case_when", |db| rows(
        Product::query()
            .order_by(bucket().desc())
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/cast integers", |db| rows(
        Product::query()
            .order_by(Product::id)
            .select((
                Product::id,
                Product::stock.cast::<i64>(),
                Product::stock.cast::<String>(),
                Product::stock.cast::<f64>() / 4.0,
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/cast in a filter", |db| rows(
        Product::query()
            .filter(Product::stock.cast::<String>().eq("100"))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));

    // Aggregates.
    cases.push(case!("shop/counts", |db| one(Customer::query()
        .select((
            count_star(),
            count(Customer::email),
            count_distinct(Customer::city),
            count_distinct(Customer::score),
        ))
        .one(db)
        .await)));
    cases.push(case!("shop/query count", |db| one(Order::query()
        .filter(Order::status.eq("shipped"))
        .count(db)
        .await)));
    cases.push(case!("shop/count of distinct", |db| one(Customer::query()
        .distinct()
        .select(Customer::city)
        .count(db)
        .await)));
    cases.push(case!("shop/count over a join", |db| one(Order::query()
        .join(Customer::TABLE)
        .filter(Customer::vip)
        .count(db)
        .await)));
    cases.push(case!("shop/sums", |db| one(OrderItem::query()
        .select((
            sum(OrderItem::quantity),
            sum(OrderItem::unit_price),
            count_star(),
        ))
        .one(db)
        .await)));
    cases.push(case!("shop/sum of bigint", |db| one(Employee::query()
        .select(sum(Employee::salary))
        .one(db)
        .await)));
    cases.push(case!("shop/grouped sums", |db| rows(
        OrderItem::query()
            .group_by(OrderItem::order_id)
            .order_by(OrderItem::order_id)
            .select((
                OrderItem::order_id,
                sum(OrderItem::quantity),
                sum(OrderItem::unit_price),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/aggregates over no rows", |db| one(
        OrderItem::query()
            .filter(OrderItem::quantity.gt(1000))
            .select((
                sum(OrderItem::quantity),
                sum(OrderItem::unit_price),
                count_star(),
                max(OrderItem::unit_price),
                avg(OrderItem::quantity),
            ))
            .one(db)
            .await
    )));
    cases.push(case!("shop/avg min max over products", |db| one(
        Product::query()
            .select((
                avg(Product::stock),
                min(Product::price),
                max(Product::price),
                min(Product::name),
                max(Product::weight),
            ))
            .one(db)
            .await
    )));
    cases.push(case!("shop/min max of timestamps, avg of a key", |db| one(
        Order::query()
            .select((
                min(Order::placed_at),
                max(Order::shipped_at),
                avg(Order::customer_id),
            ))
            .one(db)
            .await
    )));
    cases.push(case!("shop/avg min max of bigint", |db| one(
        Employee::query()
            .select((
                avg(Employee::salary),
                min(Employee::salary),
                max(Employee::salary),
            ))
            .one(db)
            .await
    )));

    // Functions.
    cases.push(case!("shop/lower upper length", |db| rows(
        Customer::query()
            .order_by(Customer::id)
            .select((
                Customer::id,
                lower(Customer::name),
                upper(Customer::name),
                length(Customer::name),
                length(Customer::email),
                upper(Customer::city),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/lower and length in a filter", |db| rows(
        Customer::query()
            .filter(
                lower(Customer::name)
                    .eq("ada")
                    .or(length(Customer::name).gt(6))
            )
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/date_trunc month groups", |db| {
        let month = date_trunc(DateUnit::Month, Order::placed_at);
        rows(
            Order::query()
                .group_by(month.clone())
                .order_by(month.clone())
                .select((month, count_star(), sum(Order::total)))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/date_trunc day hour minute", |db| rows(
        Order::query()
            .order_by(Order::id)
            .select((
                Order::id,
                date_trunc(DateUnit::Day, Order::placed_at),
                date_trunc(DateUnit::Hour, Order::shipped_at),
                date_trunc(DateUnit::Minute, Order::placed_at),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/date_trunc year groups", |db| rows(
        Employee::query()
            .group_by(date_trunc(DateUnit::Year, Employee::hired_at))
            .order_by(date_trunc(DateUnit::Year, Employee::hired_at).desc())
            .select((date_trunc(DateUnit::Year, Employee::hired_at), count_star()))
            .all(db)
            .await
    )));

    // Joins.
    cases.push(case!("shop/inner join", |db| rows(
        Order::query()
            .join(Customer::TABLE)
            .order_by(Order::id)
            .select((Order::id, Customer::name, Order::status))
            .all(db)
            .await
    )));
    cases.push(case!("shop/three joins", |db| rows(
        OrderItem::query()
            .join(Product::TABLE)
            .join(Order::TABLE)
            .join(Customer::TABLE)
            .filter(Order::status.eq("shipped"))
            .order_by(OrderItem::id)
            .select((
                OrderItem::id,
                Product::sku,
                Customer::name,
                OrderItem::quantity
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/join from the parent side", |db| rows(
        Customer::query()
            .join(Order::TABLE)
            .order_by(Customer::id)
            .order_by(Order::id)
            .select((Customer::id, Order::id))
            .all(db)
            .await
    )));
    cases.push(case!("shop/join_on with a condition", |db| rows(
        Customer::query()
            .join_on(
                Order::TABLE,
                Order::customer_id
                    .eq(Customer::id)
                    .and(Order::status.eq("pending")),
            )
            .order_by(Order::id)
            .select((Customer::name, Order::id, Order::placed_at))
            .all(db)
            .await
    )));
    cases.push(case!("shop/join_on excluding a key", |db| rows(
        Product::query()
            .join_on(
                Category::TABLE,
                Product::category_id
                    .eq(Category::id)
                    .and(Category::id.ne(tech)),
            )
            .order_by(Product::id)
            .select((Product::sku, Category::name))
            .all(db)
            .await
    )));
    cases.push(case!("shop/non-equi self join on an alias", |db| {
        let twin = alias::<Product>("twin");
        rows(
            Product::query()
                .join_on(
                    twin,
                    twin.col(Product::price)
                        .eq(Product::price)
                        .and(twin.col(Product::id).gt(Product::id)),
                )
                .order_by(Product::id)
                .order_by(twin.col(Product::id))
                .select((Product::id, twin.col(Product::id)))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/left join", |db| rows(
        Customer::query()
            .left_join(Order::TABLE)
            .order_by(Customer::id)
            .order_by(Order::id)
            .select((
                Customer::id,
                Customer::name,
                Order::id.nullable(),
                Order::status.nullable(),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/left join of whole model rows", |db| rows(
        Customer::query()
            .left_join(Order::TABLE)
            .order_by(Customer::id)
            .order_by(Order::id)
            .select((model_row::<Customer>(), model_row::<Order>().nullable()))
            .all(db)
            .await
    )));
    cases.push(case!("shop/anti-join", |db| rows(
        Customer::query()
            .left_join(Order::TABLE)
            .filter(Order::id.nullable().is_null())
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/left join categories to products", |db| rows(
        Category::query()
            .left_join(Product::TABLE)
            .order_by(Category::id)
            .order_by(Product::id)
            .select((Category::name, Product::sku.nullable()))
            .all(db)
            .await
    )));
    cases.push(case!("shop/left join groups", |db| rows(
        Customer::query()
            .left_join(Order::TABLE)
            .group_by((Customer::id, Customer::name))
            .order_by(Customer::id)
            .select((
                Customer::name,
                count(Order::id),
                sum(Order::total),
                max(Order::placed_at),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/left join groups of items", |db| rows(
        Order::query()
            .left_join(OrderItem::TABLE)
            .group_by(Order::id)
            .order_by(Order::id)
            .select((Order::id, count(OrderItem::id), sum(OrderItem::quantity)))
            .all(db)
            .await
    )));
    cases.push(case!("shop/right join", |db| rows(
        Order::query()
            .right_join(Customer::TABLE)
            .order_by(Customer::id)
            .order_by(Order::id.nullable().asc().nulls_last())
            .select((Order::id.nullable(), Customer::name))
            .all(db)
            .await
    )));
    cases.push(case!("shop/full join", |db| rows(
        Product::query()
            .full_join(Category::TABLE)
            .order_by(Product::id.nullable().asc().nulls_last())
            .order_by(Category::id.nullable().asc().nulls_last())
            .select((Product::sku.nullable(), Category::name.nullable()))
            .all(db)
            .await
    )));
    cases.push(case!("shop/self join employee to manager", |db| {
        let m = alias::<Employee>("m");
        rows(
            Employee::query()
                .left_join_on(m, Employee::manager_id.eq(m.col(Employee::id)))
                .order_by(Employee::id)
                .select((Employee::name, m.col(Employee::name).nullable()))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/self join grouped: reports per manager", |db| {
        let r = alias::<Employee>("r");
        rows(
            Employee::query()
                .join_on(r, r.col(Employee::manager_id).eq(Employee::id))
                .group_by((Employee::id, Employee::name))
                .order_by(Employee::id)
                .select((
                    Employee::name,
                    count(r.col(Employee::id)),
                    sum(r.col(Employee::salary)),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/self join filtered on one manager", |db| {
        let r = alias::<Employee>("r");
        rows(
            Employee::query()
                .join_on(r, r.col(Employee::manager_id).eq(Employee::id))
                .filter(Employee::id.eq(alice))
                .order_by(r.col(Employee::id))
                .select(r.col(Employee::id))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/two-level aliases", |db| {
        let m = alias::<Employee>("m");
        let g = alias::<Employee>("g");
        rows(
            Employee::query()
                .left_join_on(m, Employee::manager_id.eq(m.col(Employee::id)))
                .left_join_on(g, m.col(Employee::manager_id).eq(g.col(Employee::id)))
                .order_by(Employee::id)
                .select((
                    Employee::name,
                    m.col(Employee::name).nullable(),
                    g.col(Employee::name).nullable(),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/alias model rows", |db| {
        let m = alias::<Employee>("m");
        rows(
            Employee::query()
                .left_join_on(m, Employee::manager_id.eq(m.col(Employee::id)))
                .order_by(Employee::id)
                .select((model_row::<Employee>(), m.row().nullable()))
                .all(db)
                .await,
        )
    }));

    // Grouping.
    cases.push(case!("shop/group by having count", |db| rows(
        Order::query()
            .join(Customer::TABLE)
            .group_by((Customer::id, Customer::name))
            .having(count_star().ge(2))
            .order_by(Customer::name)
            .order_by(Customer::id)
            .select((
                Customer::name,
                count_star(),
                sum(Order::total),
                max(Order::placed_at),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/having on a sum and a column", |db| rows(
        OrderItem::query()
            .join(Product::TABLE)
            .group_by((Product::id, Product::sku))
            .having(
                sum(OrderItem::quantity)
                    .gt(2_i64)
                    .and(Product::sku.ne("TC-002")),
            )
            .order_by(Product::sku)
            .select((
                Product::sku,
                sum(OrderItem::quantity),
                count_distinct(OrderItem::order_id),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("shop/having on a decimal sum", |db| rows(
        Order::query()
            .group_by(Order::customer_id)
            .having(sum(Order::total).gt(money(20000)))
            .order_by(Order::customer_id)
            .select((Order::customer_id, sum(Order::total)))
            .all(db)
            .await
    )));
    cases.push(case!("shop/group by coalesce", |db| {
        let city = || coalesce(Customer::city, "unknown");
        rows(
            Customer::query()
                .group_by(city())
                .order_by(city())
                .select((city(), count_star()))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/group by case_when", |db| rows(
        Product::query()
            .group_by(bucket())
            .order_by(bucket())
            .select((bucket(), count_star(), sum(Product::stock)))
            .all(db)
            .await
    )));

    // DISTINCT and ORDER BY.
    cases.push(case!("shop/distinct with nulls ordered first", |db| rows(
        Customer::query()
            .distinct()
            .order_by(Customer::city.asc().nulls_first())
            .select(Customer::city)
            .all(db)
            .await
    )));
    cases.push(case!("shop/distinct ordered", |db| rows(
        Order::query()
            .distinct()
            .order_by(Order::status)
            .select(Order::status)
            .all(db)
            .await
    )));
    cases.push(case!("shop/distinct pairs", |db| rows(
        Customer::query()
            .distinct()
            .order_by(Customer::city.asc().nulls_last())
            .order_by(Customer::vip)
            .select((Customer::city, Customer::vip))
            .all(db)
            .await
    )));
    cases.push(case!("shop/distinct decimals", |db| rows(
        OrderItem::query()
            .distinct()
            .order_by(OrderItem::unit_price)
            .select(OrderItem::unit_price)
            .all(db)
            .await
    )));
    let sorts: Vec<(&str, fn() -> orm::expr::Sorted<Option<String>>)> = vec![
        ("asc nulls first", || Customer::city.asc().nulls_first()),
        ("asc nulls last", || Customer::city.asc().nulls_last()),
        ("desc nulls first", || Customer::city.desc().nulls_first()),
        ("desc nulls last", || Customer::city.desc().nulls_last()),
        ("asc, nulls where the backend puts them", || {
            Customer::city.asc()
        }),
        ("desc, nulls where the backend puts them", || {
            Customer::city.desc()
        }),
    ];
    for (label, sort) in sorts {
        cases.push(case!(format!("shop/order by city {label}"), |db| rows(
            Customer::query()
                .order_by(sort())
                .order_by(Customer::id)
                .select((Customer::id, Customer::city))
                .all(db)
                .await
        )));
    }
    cases.push(case!("shop/order by a decimal desc nulls last", |db| rows(
        Product::query()
            .order_by(Product::discount.desc().nulls_last())
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!(
        "shop/order by a nullable column, nulls unplaced",
        |db| rows(
            Product::query()
                .order_by(Product::discount)
                .order_by(Product::id)
                .select((Product::id, Product::discount))
                .all(db)
                .await
        )
    ));
    cases.push(case!("shop/limit and offset", |db| rows(
        Product::query()
            .order_by(Product::price.desc())
            .order_by(Product::id)
            .limit(3)
            .offset(2)
            .select((Product::id, Product::price))
            .all(db)
            .await
    )));
    cases.push(case!("shop/offset past the end", |db| rows(
        Product::query()
            .order_by(Product::id)
            .limit(3)
            .offset(100)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/whole models", |db| rows(
        Customer::query().order_by(Customer::id).all(db).await
    )));
    cases.push(case!("shop/whole models with decimals and floats", |db| {
        rows(Product::query().order_by(Product::id).all(db).await)
    }));
    cases.push(case!("shop/get by key", |db| one(
        Order::get(db, order).await
    )));

    // Subqueries.
    let pending = || {
        Order::query()
            .filter(Order::status.eq("pending"))
            .select(Order::customer_id)
    };
    cases.push(case!("shop/in_subquery", |db| rows(
        Customer::query()
            .filter(Customer::id.in_subquery(pending()))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/not_in_subquery", |db| rows(
        Customer::query()
            .filter(Customer::id.not_in_subquery(pending()))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/not_in_subquery never ordered", |db| rows(
        Product::query()
            .filter(Product::id.not_in_subquery(OrderItem::query().select(OrderItem::product_id)))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/not_in_subquery yielding null", |db| rows(
        Category::query()
            .filter(Category::id.not_in_subquery(Category::query().select(Category::parent_id)))
            .order_by(Category::id)
            .select(Category::id)
            .all(db)
            .await
    )));
    cases.push(case!(
        "shop/not_in_subquery of non-null parents",
        |db| rows(
            Category::query()
                .filter(
                    Category::id.not_in_subquery(
                        Category::query()
                            .filter(Category::parent_id.is_not_null())
                            .select(Category::parent_id),
                    ),
                )
                .order_by(Category::id)
                .select(Category::id)
                .all(db)
                .await
        )
    ));
    cases.push(case!("shop/nullable column in_subquery", |db| rows(
        Product::query()
            .filter(
                Product::category_id.in_subquery(
                    Category::query()
                        .filter(Category::name.like("%s%"))
                        .select(Category::id),
                ),
            )
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/exists correlated", |db| rows(
        Customer::query()
            .filter(exists(
                Order::query()
                    .filter(Order::customer_id.eq(Customer::id))
                    .filter(Order::status.eq("shipped")),
            ))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/not_exists correlated", |db| rows(
        Customer::query()
            .filter(not_exists(
                Order::query().filter(Order::customer_id.eq(Customer::id)),
            ))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/exists through joins", |db| rows(
        Customer::query()
            .filter(exists(
                OrderItem::query()
                    .join(Order::TABLE)
                    .join(Product::TABLE)
                    .filter(Order::customer_id.eq(Customer::id))
                    .filter(Product::category_id.eq(tech)),
            ))
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/products never ordered by not_exists", |db| {
        rows(
            Product::query()
                .filter(not_exists(
                    OrderItem::query().filter(OrderItem::product_id.eq(Product::id)),
                ))
                .order_by(Product::id)
                .select(Product::id)
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/scalar subqueries in select", |db| {
        let of_customer = || Order::query().filter(Order::customer_id.eq(Customer::id));
        rows(
            Customer::query()
                .order_by(Customer::id)
                .select((
                    Customer::name,
                    of_customer().select(count_star()).scalar(),
                    of_customer().select(max(Order::placed_at)).scalar(),
                    of_customer().select(sum(Order::total)).scalar(),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!(
        "shop/scalar subquery: above the average price",
        |db| rows(
            Product::query()
                .filter(
                    Product::price
                        .nullable()
                        .ge(Product::query().select(avg(Product::price)).scalar()),
                )
                .order_by(Product::id)
                .select(Product::id)
                .all(db)
                .await
        )
    ));
    cases.push(case!("shop/scalar subquery: the largest total", |db| rows(
        Order::query()
            .filter(
                Order::total
                    .nullable()
                    .eq(Order::query().select(max(Order::total)).scalar()),
            )
            .order_by(Order::id)
            .select(Order::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/scalar subquery: min over a filter", |db| rows(
        Customer::query()
            .filter(
                Customer::score.nullable().gt(Customer::query()
                    .filter(Customer::vip)
                    .select(min(Customer::score))
                    .scalar(),),
            )
            .order_by(Customer::id)
            .select(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!(
        "shop/correlated scalar subquery over an alias",
        |db| {
            let peer = alias::<Employee>("peer");
            rows(
                Employee::query()
                    .filter(
                        Employee::salary
                            .cast::<Decimal>()
                            .nullable()
                            .gt(select_from(peer)
                                .filter(peer.col(Employee::dept).eq(Employee::dept))
                                .select(avg(peer.col(Employee::salary)))
                                .scalar()),
                    )
                    .order_by(Employee::id)
                    .select((Employee::id, Employee::name))
                    .all(db)
                    .await,
            )
        }
    ));
    cases.push(case!("shop/derived table joined", |db| {
        let per = Order::query()
            .group_by(Order::customer_id)
            .select((
                Order::customer_id,
                count_star().label("n"),
                sum(Order::total).label("total"),
            ))
            .derived("per_customer");
        rows(
            Customer::query()
                .join_on(&per, per.col(Order::customer_id).eq(Customer::id))
                .filter(per.field::<i64>("n").ge(2))
                .order_by(Customer::id)
                .select((Customer::name, per.field::<i64>("n"), per.col(Order::total)))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/select from a derived table", |db| {
        let per = Order::query()
            .group_by(Order::customer_id)
            .select((Order::customer_id, count_star().label("n")))
            .derived("per_customer");
        rows(
            select_from(&per)
                .filter(per.field::<i64>("n").eq(1))
                .order_by(per.col(Order::customer_id))
                .select((per.col(Order::customer_id), per.field::<i64>("n")))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/derived table decimal field", |db| {
        let spent = sum(Order::total).label("spent");
        let per = Order::query()
            .group_by(Order::customer_id)
            .select((Order::customer_id, spent.clone()))
            .derived("per_customer");
        rows(
            select_from(&per)
                .order_by(per.col(Order::customer_id))
                .select((per.col(Order::customer_id), per.get(&spent)))
                .all(db)
                .await,
        )
    }));

    // CTEs.
    let big = || {
        cte(
            "big_orders",
            Order::query()
                .filter(Order::total.ge(money(10000)))
                .select((Order::id, Order::customer_id, Order::total)),
        )
    };
    cases.push(case!("shop/cte selected from", |db| {
        let big = big();
        rows(
            select_from(&big)
                .order_by(big.col(Order::id))
                .select((
                    big.col(Order::id),
                    big.col(Order::customer_id),
                    big.col(Order::total),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/cte joined", |db| {
        let big = big();
        rows(
            Customer::query()
                .join_on(&big, big.col(Order::customer_id).eq(Customer::id))
                .order_by(big.col(Order::id))
                .select((Customer::name, big.col(Order::id)))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/cte in a subquery", |db| {
        let big = big();
        rows(
            Customer::query()
                .with(&big)
                .filter(
                    Customer::id.in_subquery(select_from(&big).select(big.col(Order::customer_id))),
                )
                .order_by(Customer::id)
                .select(Customer::id)
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/several ctes", |db| {
        let spend = cte(
            "spend",
            Order::query()
                .group_by(Order::customer_id)
                .select((Order::customer_id, sum(Order::total).label("total"))),
        );
        let qty = cte(
            "qty",
            OrderItem::query()
                .join(Order::TABLE)
                .group_by(Order::customer_id)
                .select((
                    Order::customer_id,
                    sum(OrderItem::quantity).label("quantity"),
                )),
        );
        rows(
            select_from(&spend)
                .left_join_on(
                    &qty,
                    qty.col(Order::customer_id)
                        .eq(spend.col(Order::customer_id)),
                )
                .order_by(spend.col(Order::customer_id))
                .select((
                    spend.col(Order::customer_id),
                    spend.col(Order::total),
                    qty.field::<Option<i64>>("quantity"),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/recursive cte over the category tree", |db| {
        let tree = recursive_cte(
            "tree",
            Category::query()
                .filter(Category::parent_id.is_null())
                .select((
                    Category::id,
                    Category::parent_id,
                    value(0_i32).label("depth"),
                )),
            |tree| {
                Category::query()
                    .join_on(tree, Category::parent_id.eq(tree.col(Category::id)))
                    .select((
                        Category::id,
                        Category::parent_id,
                        (tree.field::<i32>("depth") + 1).label("depth"),
                    ))
            },
        );
        rows(
            select_from(&tree)
                .order_by(tree.field::<i32>("depth"))
                .order_by(tree.col(Category::id))
                .select((
                    tree.col(Category::id),
                    tree.col(Category::parent_id),
                    tree.field::<i32>("depth"),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/recursive cte: a subtree", |db| {
        let sub = recursive_cte(
            "sub",
            Category::query()
                .filter(Category::id.eq(books))
                .select((Category::id, value(0_i32).label("depth"))),
            |sub| {
                Category::query()
                    .join_on(sub, Category::parent_id.eq(sub.col(Category::id)))
                    .select((Category::id, (sub.field::<i32>("depth") + 1).label("depth")))
            },
        );
        rows(
            select_from(&sub)
                .order_by(sub.col(Category::id))
                .select((sub.col(Category::id), sub.field::<i32>("depth")))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/recursive cte building paths", |db| {
        let tree = recursive_cte(
            "tree",
            Category::query()
                .filter(Category::parent_id.is_null())
                .select((
                    Category::id,
                    Category::name.cast::<String>().label("path"),
                    value(0_i32).label("depth"),
                )),
            |tree| {
                Category::query()
                    .join_on(tree, Category::parent_id.eq(tree.field::<i64>("id")))
                    .select((
                        Category::id,
                        tree.field::<String>("path")
                            .concat(" > ")
                            .concat(Category::name),
                        (tree.field::<i32>("depth") + 1).label("depth"),
                    ))
            },
        );
        rows(
            select_from(&tree)
                .order_by(tree.field::<String>("path"))
                .select((tree.field::<String>("path"), tree.field::<i32>("depth")))
                .all(db)
                .await,
        )
    }));

    // Windows.
    cases.push(case!("shop/row_number rank dense_rank", |db| {
        let by_score = || window().order_by(Customer::score.desc());
        rows(
            Customer::query()
                .order_by(Customer::id)
                .select((
                    Customer::id,
                    row_number().over(by_score().order_by(Customer::id)),
                    rank().over(by_score()),
                    dense_rank().over(by_score()),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/partitioned rank over a nullable key", |db| {
        rows(
            Employee::query()
                .order_by(Employee::id)
                .select((
                    Employee::id,
                    rank().over(
                        window()
                            .partition_by(Employee::dept)
                            .order_by(Employee::salary.desc()),
                    ),
                    row_number().over(
                        window()
                            .partition_by(Employee::dept)
                            .order_by(Employee::salary.desc())
                            .order_by(Employee::id),
                    ),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/lag lead count over", |db| {
        let w = || {
            window()
                .partition_by(Order::customer_id)
                .order_by(Order::placed_at)
                .order_by(Order::id)
        };
        rows(
            Order::query()
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
                .await,
        )
    }));
    cases.push(case!("shop/running sums with frames", |db| {
        let running = || {
            window()
                .partition_by(OrderItem::order_id)
                .order_by(OrderItem::id)
                .rows_between(FrameBound::UnboundedPreceding, FrameBound::CurrentRow)
        };
        rows(
            OrderItem::query()
                .order_by(OrderItem::id)
                .select((
                    OrderItem::id,
                    sum(OrderItem::quantity).over(running()),
                    sum(OrderItem::unit_price).over(running()),
                    max(OrderItem::quantity).over(
                        window()
                            .order_by(OrderItem::id)
                            .rows_between(FrameBound::Preceding(1), FrameBound::Following(1)),
                    ),
                    sum(OrderItem::quantity).over(
                        window()
                            .order_by(OrderItem::order_id)
                            .range_between(FrameBound::UnboundedPreceding, FrameBound::CurrentRow),
                    ),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("shop/sum and avg of bigint over windows", |db| rows(
        Employee::query()
            .order_by(Employee::id)
            .select((
                Employee::id,
                sum(Employee::salary).over(
                    window()
                        .partition_by(Employee::dept)
                        .order_by(Employee::hired_at)
                        .rows_between(FrameBound::UnboundedPreceding, FrameBound::CurrentRow),
                ),
                avg(Employee::salary).over(window().partition_by(Employee::dept)),
            ))
            .all(db)
            .await
    )));

    // Set operations.
    let places = || {
        Customer::query()
            .filter(Customer::city.is_not_null())
            .select(Customer::city)
            .union(Employee::query().select(Employee::dept))
    };
    cases.push(case!("shop/union ordered with limit", |db| rows(
        places()
            .order_by(Customer::city.asc().nulls_first())
            .limit(4)
            .all(db)
            .await
    )));
    cases.push(case!("shop/union desc with limit and offset", |db| rows(
        places()
            .order_by(Customer::city.desc().nulls_last())
            .limit(10)
            .offset(1)
            .all(db)
            .await
    )));
    let with_status = |status: &'static str| {
        Order::query()
            .filter(Order::status.eq(status))
            .select(Order::customer_id)
    };
    cases.push(case!("shop/union all", |db| rows(
        with_status("shipped")
            .union_all(with_status("pending"))
            .order_by(Order::customer_id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/intersect", |db| rows(
        with_status("shipped")
            .intersect(with_status("pending"))
            .order_by(Order::customer_id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/except", |db| rows(
        Customer::query()
            .select(Customer::id)
            .except(Order::query().select(Order::customer_id))
            .order_by(Customer::id)
            .all(db)
            .await
    )));
    cases.push(case!("shop/three unions paged", |db| rows(
        with_status("shipped")
            .union(with_status("pending"))
            .union(with_status("cancelled"))
            .order_by(Order::customer_id.desc())
            .limit(2)
            .offset(1)
            .all(db)
            .await
    )));
    cases.push(case!("shop/mixed set operators left to right", |db| rows(
        with_status("shipped")
            .union(with_status("pending"))
            .intersect(with_status("cancelled"))
            .order_by(Order::customer_id)
            .all(db)
            .await
    )));
    cases.push(case!(
        "shop/union member with its own order and limit",
        |db| rows(
            Order::query()
                .filter(Order::status.eq("cancelled"))
                .select(Order::id)
                .union_all(
                    Order::query()
                        .order_by(Order::total.desc())
                        .order_by(Order::id)
                        .limit(2)
                        .select(Order::id),
                )
                .order_by(Order::id)
                .all(db)
                .await
        )
    ));

    // Keyset pagination and DTOs.
    cases.push(case!("shop/keyset pagination descending", |db| {
        let keys = || (Order::placed_at.desc(), Order::id.desc());
        let mut cursor: Option<(DateTime<Utc>, i64)> = None;
        let mut walked = Vec::new();
        loop {
            let page: Vec<(i64, DateTime<Utc>)> = match Order::query()
                .keyset(keys(), cursor)
                .limit(3)
                .select((Order::id, Order::placed_at))
                .all(db)
                .await
            {
                Ok(page) => page,
                Err(e) => return Err(e.into()),
            };
            let Some(last) = page.last() else { break };
            cursor = Some((last.1, last.0));
            walked.push(format!("{page:?}"));
            if walked.len() > 10 {
                break;
            }
        }
        Ok(walked)
    }));
    cases.push(case!(
        "shop/keyset pagination ascending on a decimal",
        |db| {
            let keys = || (Product::price.asc(), Product::id.asc());
            let mut cursor: Option<(Decimal, i64)> = None;
            let mut walked = Vec::new();
            loop {
                let page: Vec<(i64, Decimal)> = match Product::query()
                    .keyset(keys(), cursor)
                    .limit(2)
                    .select((Product::id, Product::price))
                    .all(db)
                    .await
                {
                    Ok(page) => page,
                    Err(e) => return Err(e.into()),
                };
                let Some(last) = page.last() else { break };
                cursor = Some((last.1, last.0));
                walked.push(format!("{page:?}"));
                if walked.len() > 10 {
                    break;
                }
            }
            Ok(walked)
        }
    ));
    cases.push(case!(
        "shop/keyset page after a cursor inside a tie",
        |db| {
            let keys = (Order::placed_at.desc(), Order::id.desc());
            rows(
                Order::query()
                    .after(keys, (ts(2024, 2, 3, 14, 30, 0), order_in_tie))
                    .limit(3)
                    .select(Order::id)
                    .all(db)
                    .await,
            )
        }
    ));
    cases.push(case!(
        "shop/keyset pagination with mixed directions",
        |db| {
            let keys = || (Product::price.desc(), Product::sku.asc());
            let mut cursor: Option<(Decimal, String)> = None;
            let mut walked = Vec::new();
            loop {
                let page: Vec<(String, Decimal)> = match Product::query()
                    .keyset(keys(), cursor.clone())
                    .limit(3)
                    .select((Product::sku, Product::price))
                    .all(db)
                    .await
                {
                    Ok(page) => page,
                    Err(e) => return Err(e.into()),
                };
                let Some(last) = page.last() else { break };
                cursor = Some((last.1, last.0.clone()));
                walked.push(format!("{page:?}"));
                if walked.len() > 10 {
                    break;
                }
            }
            Ok(walked)
        }
    ));
    cases.push(case!("shop/select_as a DTO", |db| rows(
        Customer::query()
            .filter(Customer::vip.eq(false))
            .order_by(Customer::id)
            .select_as::<ParityCard>()
            .all(db)
            .await
    )));
    cases.push(case!("shop/select_as a DTO with decimals", |db| rows(
        Product::query()
            .order_by(Product::sku)
            .select_as::<ParityPriceTag>()
            .all(db)
            .await
    )));
    cases.push(case!("shop/select_as next to a join", |db| rows(
        Customer::query()
            .join(Order::TABLE)
            .filter(Order::status.eq("pending"))
            .order_by(Order::id)
            .select_as::<ParityCard>()
            .all(db)
            .await
    )));
    cases
}

/// Queries on the real Chinook rows that involve no decimal edge (the decimal ones are in
/// [`chinook_decimal_cases`]).
fn chinook_expression_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    cases.push(case!("chinook/tracks per genre", |db| rows(
        Track::query()
            .join(Genre::TABLE)
            .group_by((Genre::id, Genre::name))
            .order_by(count_star().desc())
            .order_by(Genre::id)
            .select((Genre::name, count_star(), sum(Track::milliseconds)))
            .all(db)
            .await
    )));
    cases.push(case!("chinook/invoices per country, paged", |db| rows(
        Invoice::query()
            .group_by(Invoice::billing_country)
            .order_by(count_star().desc())
            .order_by(Invoice::billing_country)
            .limit(5)
            .offset(1)
            .select((Invoice::billing_country, count_star(), sum(Invoice::total)))
            .all(db)
            .await
    )));
    cases.push(case!("chinook/invoices per year", |db| {
        let year = || date_trunc(DateUnit::Year, Invoice::invoice_date);
        rows(
            Invoice::query()
                .group_by(year())
                .order_by(year())
                .select((
                    year(),
                    count_star(),
                    sum(Invoice::total),
                    max(Invoice::total),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("chinook/invoices per month of 2022", |db| {
        let month = || date_trunc(DateUnit::Month, Invoice::invoice_date);
        rows(
            Invoice::query()
                .filter(
                    Invoice::invoice_date
                        .between(ts(2022, 1, 1, 0, 0, 0), ts(2022, 12, 31, 23, 59, 59)),
                )
                .group_by(month())
                .order_by(month().desc())
                .select((month(), count_star()))
                .all(db)
                .await,
        )
    }));
    for pattern in ["%Love%", "The %", "%(Live)", "%love%", "_____"] {
        cases.push(case!(format!("chinook/track names like {pattern}"), |db| {
            rows(
                Track::query()
                    .filter(Track::name.like(pattern))
                    .order_by(Track::id)
                    .select(Track::id)
                    .all(db)
                    .await,
            )
        }));
    }
    cases.push(case!("chinook/lines per genre through two joins", |db| {
        rows(
            InvoiceLine::query()
                .join(Track::TABLE)
                .join(Genre::TABLE)
                .group_by((Genre::id, Genre::name))
                .having(count_star().gt(10))
                .order_by(Genre::id)
                .select((Genre::name, count_star(), sum(InvoiceLine::quantity)))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("chinook/tracks never sold", |db| one(Track::query()
        .filter(not_exists(
            InvoiceLine::query().filter(InvoiceLine::track_id.eq(Track::id)),
        ))
        .count(db)
        .await)));
    cases.push(case!("chinook/invoices with a rock track", |db| rows(
        Invoice::query()
            .filter(
                Invoice::id.in_subquery(
                    InvoiceLine::query()
                        .join(Track::TABLE)
                        .filter(Track::genre_id.eq(1_i64))
                        .select(InvoiceLine::invoice_id),
                ),
            )
            .filter(Invoice::billing_country.eq("Brazil"))
            .order_by(Invoice::id)
            .select(Invoice::id)
            .all(db)
            .await
    )));
    cases.push(case!("chinook/track lengths per genre", |db| rows(
        Track::query()
            .group_by(Track::genre_id)
            .order_by(Track::genre_id)
            .select((
                Track::genre_id,
                min(Track::milliseconds),
                max(Track::milliseconds),
                max(Track::bytes),
                count(Track::composer),
            ))
            .all(db)
            .await
    )));
    cases.push(case!(
        "chinook/integer arithmetic on big values",
        |db| rows(
            Track::query()
                .filter(Track::id.le(20))
                .order_by(Track::id)
                .select((
                    Track::id,
                    Track::milliseconds / 1000,
                    Track::milliseconds.cast::<i64>() * 1000,
                    Track::bytes.cast::<Option<f64>>() / 1_048_576.0,
                ))
                .all(db)
                .await
        )
    ));
    cases.push(case!("chinook/null states", |db| rows(
        Invoice::query()
            .group_by(coalesce(Invoice::billing_state, "n/a"))
            .order_by(count_star().desc())
            .order_by(coalesce(Invoice::billing_state, "n/a"))
            .select((coalesce(Invoice::billing_state, "n/a"), count_star()))
            .all(db)
            .await
    )));
    cases.push(case!("chinook/case_when buckets of track lengths", |db| {
        let bucket = || {
            case_when::<String, _, _>(Track::milliseconds.lt(180_000), "short")
                .when(Track::milliseconds.lt(360_000), "medium")
                .otherwise("long")
        };
        rows(
            Track::query()
                .group_by(bucket())
                .order_by(bucket())
                .select((bucket(), count_star(), min(Track::milliseconds)))
                .all(db)
                .await,
        )
    }));
    cases.push(case!(
        "chinook/first and ranked invoices per country",
        |db| rows(
            Invoice::query()
                .order_by(Invoice::id)
                .select((
                    Invoice::id,
                    row_number().over(
                        window()
                            .partition_by(Invoice::billing_country)
                            .order_by(Invoice::invoice_date)
                            .order_by(Invoice::id),
                    ),
                    rank().over(
                        window()
                            .partition_by(Invoice::billing_country)
                            .order_by(Invoice::total.desc()),
                    ),
                    sum(Invoice::total).over(
                        window()
                            .partition_by(Invoice::customer_id)
                            .order_by(Invoice::invoice_date)
                            .order_by(Invoice::id)
                            .rows_between(FrameBound::UnboundedPreceding, FrameBound::CurrentRow),
                    ),
                ))
                .all(db)
                .await
        )
    ));
    cases.push(case!("chinook/top customers by a cte", |db| {
        let spent = sum(Invoice::total).label("spent");
        let spend = cte(
            "spend",
            Invoice::query()
                .group_by(Invoice::customer_id)
                .select((Invoice::customer_id, spent.clone())),
        );
        rows(
            select_from(&spend)
                .order_by(spend.get(&spent).desc())
                .order_by(spend.col(Invoice::customer_id))
                .limit(5)
                .select((spend.col(Invoice::customer_id), spend.get(&spent)))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("chinook/distinct countries", |db| rows(
        Invoice::query()
            .distinct()
            .order_by(Invoice::billing_country)
            .select(Invoice::billing_country)
            .all(db)
            .await
    )));
    cases.push(case!("chinook/invoice lines of one invoice", |db| rows(
        InvoiceLine::query()
            .filter(InvoiceLine::invoice_id.in_list([1_i64, 98, 412]))
            .order_by(InvoiceLine::id)
            .all(db)
            .await
    )));
    cases.push(case!("chinook/whole invoices", |db| rows(
        Invoice::query()
            .filter(Invoice::id.between(100_i64, 110))
            .order_by(Invoice::id)
            .all(db)
            .await
    )));
    cases
}

/// The products as the mutation cases read them back (by sku: keys may differ, see
/// [`shop_mutation_cases`]).
async fn read_products(db: &Database) -> Rendered {
    rows(
        Product::query()
            .order_by(Product::sku)
            .select((Product::sku, Product::name, Product::stock, Product::price))
            .all(db)
            .await,
    )
}

/// Upserts, `RETURNING`, `UPDATE`/`DELETE .. RETURNING` and `INSERT .. SELECT` on the shop,
/// each followed by a read-back. They run in order on both backends, so both stay identical
/// as long as every case agrees. The generated keys of upserted rows are compared last, on
/// their own: a row that conflicts may use up a key (it does on PostgreSQL, where the
/// sequence value is taken before the conflict is found).
fn shop_mutation_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    cases.push(
        case!("mutation/update with expressions returning", |db| rows(
            Product::update()
                .filter(Product::stock.gt(0))
                .set(Product::stock, Product::stock - 1)
                .set(Product::price, Product::price + money(100))
                .returning((Product::id, Product::stock, Product::price))
                .all(db)
                .await
        ))
        .unordered(),
    );
    cases.push(case!("mutation/read back the update", |db| read_products(
        db
    )
    .await));
    cases.push(case!("mutation/update without returning", |db| one(
        Customer::update()
            .filter(Customer::city.is_null())
            .set(Customer::city, Some("Nowhere".to_owned()))
            .exec(db)
            .await
    )));
    cases.push(case!("mutation/read back customers", |db| rows(
        Customer::query()
            .order_by(Customer::id)
            .select((Customer::id, Customer::city))
            .all(db)
            .await
    )));
    cases.push(
        case!("mutation/delete returning", |db| rows(
            OrderItem::delete()
                .filter(OrderItem::quantity.ge(2))
                .returning((
                    OrderItem::id,
                    OrderItem::order_id,
                    OrderItem::quantity,
                    OrderItem::unit_price,
                ))
                .all(db)
                .await
        ))
        .unordered(),
    );
    cases.push(case!("mutation/read back the delete", |db| rows(
        OrderItem::query().order_by(OrderItem::id).all(db).await
    )));
    cases.push(case!("mutation/insert select", |db| one(
        orm::insert_select::<OrderArchive, _, _>(
            (
                OrderArchive::id,
                OrderArchive::customer_id,
                OrderArchive::total,
                OrderArchive::note,
            ),
            Order::query().filter(Order::status.eq("shipped")).select((
                Order::id,
                Order::customer_id,
                Order::total,
                Order::note
            )),
        )
        .exec(db)
        .await
    )));
    cases.push(case!("mutation/read back the insert select", |db| rows(
        OrderArchive::query()
            .order_by(OrderArchive::id)
            .all(db)
            .await
    )));
    cases.push(case!("mutation/delete all rows", |db| one(
        OrderArchive::delete().all_rows().exec(db).await
    )));
    cases.push(case!(
        "mutation/insert select from a join, computed",
        |db| one(orm::insert_select::<OrderArchive, _, _>(
            (
                OrderArchive::id,
                OrderArchive::customer_id,
                OrderArchive::total,
                OrderArchive::note,
            ),
            Order::query()
                .join(Customer::TABLE)
                .filter(Customer::vip)
                .select((
                    Order::id,
                    Order::customer_id,
                    Order::total + money(100),
                    Customer::name.nullable(),
                )),
        )
        .exec(db)
        .await)
    ));
    cases.push(case!(
        "mutation/read back the computed insert select",
        |db| rows(
            OrderArchive::query()
                .order_by(OrderArchive::id)
                .all(db)
                .await
        )
    ));
    cases.push(case!("mutation/insert returning the stored row", |db| one(
        NewCustomer {
            name: "Katherine".into(),
            email: Some("kj@example.com".into()),
            city: None,
            score: 99,
            vip: true,
            joined_at: ts(2024, 6, 1, 12, 0, 0),
        }
        .insert(db)
        .await
    )));
    cases.push(case!("mutation/insert many then count", |db| {
        let tags: Vec<NewCategory> = (0..50)
            .map(|n| NewCategory {
                parent_id: None,
                name: format!("bulk {n:02}"),
            })
            .collect();
        match NewCategory::insert_many(db, &tags).await {
            Ok(n) => one(Category::query()
                .filter(Category::name.starts_with("bulk "))
                .select((count_star(), min(Category::name), max(Category::name)))
                .one(db)
                .await
                .map(|r| (n, r))),
            Err(e) => Err(e.into()),
        }
    }));
    cases.push(
        case!("mutation/upsert do update returning", |db| rows(
            orm::insert(vec![
                NewProduct {
                    sku: "BK-001".into(),
                    name: "The Book, 2nd ed.".into(),
                    category_id: None,
                    price: money(4499),
                    discount: None,
                    stock: 5,
                    weight: None,
                },
                NewProduct {
                    sku: "NEW-001".into(),
                    name: "Fresh".into(),
                    category_id: None,
                    price: money(1000),
                    discount: Some(money(100)),
                    stock: 3,
                    weight: Some(1.0),
                },
            ])
            .on_conflict(Product::sku)
            .do_update(Product::stock, Product::stock + excluded(Product::stock))
            .do_update(Product::name, excluded(Product::name))
            .returning((Product::sku, Product::name, Product::stock, Product::price))
            .all(db)
            .await
        ))
        .unordered(),
    );
    cases.push(case!("mutation/read back the upsert", |db| read_products(
        db
    )
    .await));
    cases.push(
        case!("mutation/upsert do nothing returning", |db| rows(
            orm::insert(vec![
                NewProduct {
                    sku: "BK-002".into(),
                    name: "Ignored".into(),
                    category_id: None,
                    price: money(1),
                    discount: None,
                    stock: 99,
                    weight: None,
                },
                NewProduct {
                    sku: "NEW-002".into(),
                    name: "Kept".into(),
                    category_id: None,
                    price: money(250),
                    discount: None,
                    stock: 1,
                    weight: None,
                },
            ])
            .on_conflict(Product::sku)
            .do_nothing()
            .returning((Product::sku, Product::name, Product::price))
            .all(db)
            .await
        ))
        .unordered(),
    );
    cases.push(case!("mutation/read back the upsert do nothing", |db| {
        read_products(db).await
    }));
    cases.push(case!(
        "mutation/generated keys of upserted rows",
        |db| rows(
            Product::query()
                .filter(Product::sku.starts_with("NEW-"))
                .order_by(Product::sku)
                .select((Product::sku, Product::id))
                .all(db)
                .await
        )
    ));
    cases
}

/// Decimal comparisons, arithmetic and aggregates on Chinook: today several of these answer
/// differently on SQLite (decimals stored as integers scaled by the column's scale, bound
/// values rounded to it, averages in floating point) and PostgreSQL (exact `NUMERIC`).
fn chinook_decimal_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    fn d(n: i64, scale: u32) -> Decimal {
        Decimal::new(n, scale)
    }
    let comparisons: Vec<(&str, fn() -> Condition)> = vec![
        ("= 0.994", || InvoiceLine::unit_price.eq(d(994, 3))),
        ("<> 0.994", || InvoiceLine::unit_price.ne(d(994, 3))),
        ("> 0.985", || InvoiceLine::unit_price.gt(d(985, 3))),
        (">= 0.99", || InvoiceLine::unit_price.ge(d(99, 2))),
        ("< 0.995", || InvoiceLine::unit_price.lt(d(995, 3))),
        ("<= 0.985", || InvoiceLine::unit_price.le(d(985, 3))),
        ("between 0.985 and 0.995", || {
            InvoiceLine::unit_price.between(d(985, 3), d(995, 3))
        }),
        ("between 0.991 and 0.994", || {
            InvoiceLine::unit_price.between(d(991, 3), d(994, 3))
        }),
        ("in [0.99, 0.994, 1.99]", || {
            InvoiceLine::unit_price.in_list([d(99, 2), d(994, 3), d(199, 2)])
        }),
        ("in [0.994, 1.985]", || {
            InvoiceLine::unit_price.in_list([d(994, 3), d(1985, 3)])
        }),
        ("not in [0.994]", || {
            InvoiceLine::unit_price.not_in([d(994, 3)])
        }),
        ("= 0.990 (the same value at scale 3)", || {
            InvoiceLine::unit_price.eq(d(990, 3))
        }),
        ("+ 0.005 > 1.99", || {
            (InvoiceLine::unit_price + d(5, 3)).gt(d(199, 2))
        }),
        ("+ 0.005 = 1.00", || {
            (InvoiceLine::unit_price + d(5, 3)).eq(d(100, 2))
        }),
    ];
    for (label, condition) in comparisons {
        cases.push(case!(
            format!("decimal/count of lines with unit_price {label}"),
            |db| one(InvoiceLine::query().filter(condition()).count(db).await)
        ));
    }
    cases.push(case!(
        "decimal/count of tracks with unit_price = 0.994",
        |db| one(Track::query()
            .filter(Track::unit_price.eq(Decimal::new(994, 3)))
            .count(db)
            .await)
    ));
    cases.push(case!("decimal/invoice total + 0.005", |db| rows(
        Invoice::query()
            .filter(Invoice::id.le(6))
            .order_by(Invoice::id)
            .select((
                Invoice::id,
                Invoice::total,
                Invoice::total + Decimal::new(5, 3)
            ))
            .all(db)
            .await
    )));
    cases.push(case!(
        "decimal/invoice total - 0.001 and + 1 (scale 0)",
        |db| rows(
            Invoice::query()
                .filter(Invoice::id.le(6))
                .order_by(Invoice::id)
                .select((
                    Invoice::id,
                    Invoice::total - Decimal::new(1, 3),
                    Invoice::total + Decimal::new(1, 0),
                ))
                .all(db)
                .await
        )
    ));
    cases.push(case!("decimal/sum of unit prices", |db| one(
        InvoiceLine::query()
            .select(sum(InvoiceLine::unit_price))
            .one(db)
            .await
    )));
    cases.push(case!("decimal/sum of invoice totals", |db| one(
        Invoice::query().select(sum(Invoice::total)).one(db).await
    )));
    cases.push(case!("decimal/sum of unit_price * quantity", |db| one(
        InvoiceLine::query()
            .select(sum(
                InvoiceLine::unit_price * InvoiceLine::quantity.cast::<Decimal>()
            ))
            .one(db)
            .await
    )));
    cases.push(case!(
        "decimal/line sums per invoice next to the total",
        |db| rows(
            Invoice::query()
                .join(InvoiceLine::TABLE)
                .filter(Invoice::id.le(12))
                .group_by((Invoice::id, Invoice::total))
                .order_by(Invoice::id)
                .select((
                    Invoice::id,
                    Invoice::total,
                    sum(InvoiceLine::unit_price * InvoiceLine::quantity.cast::<Decimal>()),
                ))
                .all(db)
                .await
        )
    ));
    cases.push(case!(
        "decimal/invoices whose lines do not add up to the total",
        |db| one(Invoice::query()
            .join(InvoiceLine::TABLE)
            .group_by((Invoice::id, Invoice::total))
            .having(
                sum(InvoiceLine::unit_price * InvoiceLine::quantity.cast::<Decimal>())
                    .ne(Invoice::total.nullable()),
            )
            .select(Invoice::id)
            .count(db)
            .await)
    ));
    cases.push(case!("decimal/avg of invoice totals", |db| one(
        Invoice::query().select(avg(Invoice::total)).one(db).await
    )));
    cases.push(case!("decimal/avg track price per genre", |db| rows(
        Track::query()
            .group_by(Track::genre_id)
            .order_by(Track::genre_id)
            .select((Track::genre_id, avg(Track::unit_price), count_star()))
            .all(db)
            .await
    )));
    cases.push(case!("decimal/min and max of decimals", |db| one(
        Invoice::query()
            .select((min(Invoice::total), max(Invoice::total)))
            .one(db)
            .await
    )));
    cases.push(case!("decimal/min and max track price per genre", |db| {
        rows(
            Track::query()
                .group_by(Track::genre_id)
                .order_by(Track::genre_id)
                .select((
                    Track::genre_id,
                    min(Track::unit_price),
                    max(Track::unit_price),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("decimal/avg of an integer column", |db| one(
        Track::query()
            .select(avg(Track::milliseconds))
            .one(db)
            .await
    )));
    cases.push(case!("decimal/avg of an integer column per genre", |db| {
        rows(
            Track::query()
                .group_by(Track::genre_id)
                .order_by(Track::genre_id)
                .select((Track::genre_id, avg(Track::milliseconds), avg(Track::bytes)))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("decimal/avg over a window", |db| rows(
        Invoice::query()
            .filter(Invoice::id.le(12))
            .order_by(Invoice::id)
            .select((
                Invoice::id,
                avg(Invoice::total).over(window().partition_by(Invoice::billing_country)),
            ))
            .all(db)
            .await
    )));
    cases
}

/// Decimal cases on the shop: fallbacks and constants of another scale, decimal averages,
/// products and casts.
fn shop_decimal_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    cases.push(case!(
        "decimal/shop coalesce(discount, Decimal::ZERO)",
        |db| rows(
            Product::query()
                .order_by(Product::id)
                .select((Product::id, coalesce(Product::discount, Decimal::ZERO)))
                .all(db)
                .await
        )
    ));
    cases.push(case!("decimal/shop avg of prices", |db| one(
        Product::query().select(avg(Product::price)).one(db).await
    )));
    cases.push(case!("decimal/shop price * 2", |db| rows(
        Product::query()
            .order_by(Product::id)
            .select((Product::id, Product::price * Decimal::from(2)))
            .all(db)
            .await
    )));
    cases.push(case!("decimal/shop cast of an integer to decimal", |db| {
        rows(
            Product::query()
                .order_by(Product::id)
                .select((Product::id, Product::stock.cast::<Decimal>()))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("decimal/shop cast of a decimal to text", |db| rows(
        Product::query()
            .order_by(Product::id)
            .select((Product::id, Product::price.cast::<String>()))
            .all(db)
            .await
    )));
    cases.push(case!("decimal/shop a stored 0.00 read back", |db| rows(
        Order::query()
            .filter(Order::total.eq(money(0)))
            .order_by(Order::id)
            .select((Order::id, Order::total))
            .all(db)
            .await
    )));
    cases.push(case!("decimal/shop a sum that is 0.00", |db| one(
        Order::query()
            .filter(Order::total.lt(money(1)))
            .select(sum(Order::total))
            .one(db)
            .await
    )));
    cases.push(case!("decimal/shop price = 39.990 (scale 3)", |db| rows(
        Product::query()
            .filter(Product::price.eq(Decimal::new(39990, 3)))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases.push(case!("decimal/shop price > 39.985", |db| rows(
        Product::query()
            .filter(Product::price.gt(Decimal::new(39985, 3)))
            .order_by(Product::id)
            .select(Product::id)
            .all(db)
            .await
    )));
    cases
}

/// Decimal DDL: a raw CHECK over a decimal column and a decimal server default, then
/// values that need rounding or overflow the column.
fn decimal_ddl_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let wallet = |owner: &'static str, balance: Decimal| {
        case!(
            format!("decimal/check balance <= 100: insert {balance} ({owner})"),
            |db| one(NewWallet {
                owner: owner.into(),
                balance,
            }
            .insert(db)
            .await
            .map(|w| (w.owner, w.balance)))
        )
    };
    cases.push(wallet("fifty", Decimal::new(5000, 2)));
    cases.push(wallet("one", Decimal::new(100, 2)));
    cases.push(wallet("hundred", Decimal::new(10000, 2)));
    cases.push(wallet("over", Decimal::new(15000, 2)).fails());
    cases.push(wallet("rounded", Decimal::new(1005, 3)));
    cases.push(wallet("overflow", Decimal::new(12_345_678_900, 2)).fails());
    cases.push(case!("decimal/read back the wallets", |db| rows(
        Wallet::query()
            .order_by(Wallet::owner)
            .select((Wallet::owner, Wallet::balance))
            .all(db)
            .await
    )));
    cases.push(case!("decimal/server default 9.99: insert", |db| one(
        NewFee {
            label: "standard".into()
        }
        .insert(db)
        .await
        .map(|f| (f.label, f.amount))
    )));
    cases.push(case!("decimal/server default 9.99: read back", |db| rows(
        Fee::query()
            .order_by(Fee::label)
            .select((Fee::label, Fee::amount))
            .all(db)
            .await
    )));
    cases.push(case!("decimal/server default 9.99: compared", |db| one(
        Fee::query()
            .filter(Fee::amount.eq(Decimal::new(999, 2)))
            .count(db)
            .await
    )));
    cases
}

/// Text functions and case-insensitive matching on Chinook's non-ASCII names (the shop's
/// text, and every other case, is ASCII).
fn unicode_text_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let non_ascii = || {
        Track::name
            .like("%ç%")
            .or(Track::name.like("%é%"))
            .or(Track::name.like("%ã%"))
            .or(Track::name.like("%Á%"))
    };
    cases.push(case!("unicode/non-ASCII names matched by like", |db| rows(
        Track::query()
            .filter(non_ascii())
            .order_by(Track::id)
            .select((Track::id, Track::name))
            .all(db)
            .await
    )));
    cases.push(case!("unicode/length of non-ASCII names", |db| rows(
        Track::query()
            .filter(non_ascii())
            .order_by(Track::id)
            .select((Track::id, length(Track::name)))
            .all(db)
            .await
    )));
    cases.push(case!("unicode/lower and upper of non-ASCII names", |db| {
        rows(
            Track::query()
                .filter(non_ascii())
                .order_by(Track::id)
                .select((Track::id, lower(Track::name), upper(Track::name)))
                .all(db)
                .await,
        )
    }));
    cases.push(case!("unicode/ilike with a non-ASCII pattern", |db| rows(
        Track::query()
            .filter(Track::name.ilike("%CORAÇÃO%"))
            .order_by(Track::id)
            .select(Track::id)
            .all(db)
            .await
    )));
    cases.push(case!("unicode/order by non-ASCII text", |db| rows(
        Track::query()
            .filter(non_ascii())
            .order_by(Track::name.desc())
            .order_by(Track::id)
            .limit(15)
            .select(Track::name)
            .all(db)
            .await
    )));
    cases.push(case!("unicode/non-ASCII cities", |db| rows(
        Invoice::query()
            .distinct()
            .filter(Invoice::billing_city.like("%_%"))
            .order_by(Invoice::billing_city)
            .select(Invoice::billing_city)
            .all(db)
            .await
    )));
    cases
}

/// The portable report functions on Chinook and the shop: date parts, epochs, rounding,
/// text functions, `nullif`, `greatest` / `least`, casts to text.
fn function_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let month = || date_part(DatePart::Month, Invoice::invoice_date);
    let year = || date_part(DatePart::Year, Invoice::invoice_date);
    cases.push(case!("functions/revenue by year and month", |db| rows(
        Invoice::query()
            .group_by((year(), month()))
            .order_by(year())
            .order_by(month())
            .select((
                year(),
                month(),
                sum(Invoice::total),
                round(avg(Invoice::total), 2),
                count_star()
            ))
            .all(db)
            .await
    )));
    cases.push(case!("functions/every date part and the epoch", |db| rows(
        Invoice::query()
            .order_by(Invoice::id)
            .limit(40)
            .select((
                Invoice::id,
                date_part(DatePart::Day, Invoice::invoice_date),
                date_part(DatePart::Hour, Invoice::invoice_date),
                date_part(DatePart::Minute, Invoice::invoice_date),
                date_part(DatePart::DayOfWeek, Invoice::invoice_date),
                epoch(Invoice::invoice_date),
            ))
            .all(db)
            .await
    )));
    cases.push(case!(
        "functions/date parts of the shop's nullable timestamps",
        |db| rows(
            Order::query()
                .order_by(Order::id)
                .select((
                    Order::id,
                    date_part(DatePart::Month, Order::shipped_at),
                    epoch(Order::shipped_at),
                    epoch(Order::placed_at) - epoch(Order::placed_at),
                ))
                .all(db)
                .await
        )
    ));
    cases.push(case!("functions/filter by a date part", |db| rows(
        Invoice::query()
            .filter(date_part(DatePart::DayOfWeek, Invoice::invoice_date).eq(0))
            .order_by(Invoice::id)
            .select(Invoice::id)
            .all(db)
            .await
    )));
    cases.push(case!("functions/round ceil floor abs of decimals", |db| {
        rows(
            Track::query()
                .order_by(Track::id)
                .limit(30)
                .select((
                    Track::id,
                    round(Track::unit_price * Decimal::new(333, 3), 2),
                    round(Track::unit_price, -1),
                    ceil(Track::unit_price),
                    floor(Track::unit_price - Decimal::new(5, 1)),
                    abs(Track::unit_price - Decimal::new(150, 2)),
                ))
                .all(db)
                .await,
        )
    }));
    cases.push(case!(
        "functions/round of floats, as PostgreSQL rounds",
        |db| rows(
            Track::query()
                .order_by(Track::id)
                .limit(30)
                .select((
                    Track::id,
                    round(Track::milliseconds.cast::<f64>() / 1000.0_f64, 1),
                    round(Track::milliseconds.cast::<f64>() / 7.0_f64, 3),
                    ceil(Track::milliseconds.cast::<f64>() / 1000.0_f64),
                    floor(Track::milliseconds.cast::<f64>() / 1000.0_f64),
                ))
                .all(db)
                .await
        )
    ));
    cases.push(case!(
        "functions/avg of integers is an exact decimal",
        |db| rows(
            Track::query()
                .group_by(Track::genre_id)
                .order_by(Track::genre_id)
                .select((
                    Track::genre_id,
                    avg(Track::milliseconds),
                    round(avg(Track::bytes), 0)
                ))
                .all(db)
                .await
        )
    ));
    cases.push(case!("functions/trim substr replace", |db| rows(
        Track::query()
            .order_by(Track::id)
            .limit(40)
            .select((
                Track::id,
                trim(Track::name.concat("  ")),
                substr(Track::name, 2, 5),
                substr(Track::name, 0, 3),
                replace(Track::name, "a", "4"),
                replace(Track::name, "", "x"),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("functions/nullif greatest least", |db| rows(
        Track::query()
            .order_by(Track::id)
            .limit(40)
            .select((
                Track::id,
                nullif(Track::unit_price, Decimal::new(99, 2)),
                greatest(Track::bytes, Track::milliseconds.nullable()),
                least(Track::bytes, Some(5_000_000)),
                greatest(Track::composer, Some("M".to_owned())),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("functions/greatest and least with NULLs", |db| rows(
        Order::query()
            .order_by(Order::id)
            .select((
                Order::id,
                greatest(Order::shipped_at, Order::placed_at.nullable()),
                least(Order::note, None::<String>),
            ))
            .all(db)
            .await
    )));
    cases.push(case!("functions/casts to text", |db| rows(
        Track::query()
            .order_by(Track::id)
            .limit(20)
            .select((
                Track::id,
                Track::id.cast::<String>(),
                Track::unit_price.cast::<String>(),
                (Track::unit_price * Decimal::new(10, 1)).cast::<String>(),
                Track::milliseconds.cast::<String>(),
            ))
            .all(db)
            .await
    )));
    cases.push(case!(
        "functions/timestamps, floats and booleans cast to text",
        |db| rows(
            Order::query()
                .order_by(Order::id)
                .select((
                    Order::placed_at.cast::<String>(),
                    Order::shipped_at.cast::<Option<String>>(),
                    date_trunc(DateUnit::Month, Order::placed_at).cast::<String>(),
                    (Order::id.cast::<f64>() / 3.0_f64).cast::<String>(),
                    (Order::id.cast::<f64>() * 1e19_f64).cast::<String>(),
                    Order::note.is_null().cast::<String>(),
                ))
                .all(db)
                .await
        )
    ));
    cases.push(case!(
        "functions/min, max and sum of quotients over windows",
        |db| rows(
            Invoice::query()
                .filter(Invoice::id.le(60))
                .order_by(Invoice::id)
                .select((
                    Invoice::id,
                    min(Invoice::total / Decimal::new(3, 0))
                        .over(window().partition_by(Invoice::customer_id)),
                    max(Invoice::total / Decimal::new(7, 0)).over(
                        window()
                            .order_by(Invoice::id)
                            .rows_between(FrameBound::Preceding(2), FrameBound::CurrentRow),
                    ),
                    sum(Invoice::total / Decimal::new(3, 0)).over(
                        window()
                            .order_by(Invoice::id)
                            .rows_between(FrameBound::Preceding(1), FrameBound::CurrentRow),
                    ),
                ))
                .all(db)
                .await
        )
    ));
    cases.push(case!(
        "functions/min and max of quotients per group",
        |db| rows(
            Invoice::query()
                .group_by(Invoice::billing_country)
                .order_by(Invoice::billing_country)
                .select((
                    Invoice::billing_country,
                    min(Invoice::total / Decimal::new(3, 0)),
                    max(Invoice::total / Decimal::new(3, 0)),
                ))
                .all(db)
                .await
        )
    ));
    cases.push(case!(
        "functions/timestamps below a microsecond: one rule",
        |db| {
            let customer: i64 = Customer::query()
                .order_by(Customer::id)
                .select(Customer::id)
                .first(db)
                .await?
                .expect("a customer");
            let at = |nanos: u32| {
                chrono::NaiveDate::from_ymd_opt(2024, 12, 31)
                    .and_then(|d| d.and_hms_nano_opt(23, 59, 59, nanos))
                    .expect("a valid time")
                    .and_utc()
            };
            let order = NewOrder {
                customer_id: customer,
                status: "sub-micro".into(),
                placed_at: at(999_999_499),
                shipped_at: Some(at(999_999_500)),
                note: None,
                total: Decimal::new(1, 2),
            }
            .insert(db)
            .await?;
            rows(
                Order::query()
                    .filter(Order::id.eq(order.id))
                    .select((
                        Order::placed_at,
                        Order::shipped_at,
                        Order::placed_at.eq(at(999_999_000)),
                    ))
                    .all(db)
                    .await,
            )
        }
    ));
    cases.push(case!("functions/current_date is today in UTC", |db| one(
        Invoice::query()
            .select(current_date().eq(chrono::Utc::now().date_naive()))
            .first(db)
            .await
    )));
    cases
}

// ---------------------------------------------------------------------------------------------
// The tests.

/// Every expression kind of the differential suite on the shop, plus queries on Chinook.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parity_expressions() {
    let suite = "parity_expressions";
    let Some(pair) = open_pair(suite).await else {
        return;
    };
    let seed = seed_both(&pair, "the shop", async |db: &Database| seed(db).await).await;
    seed_both(&pair, "Chinook", async |db: &Database| {
        seed_chinook(db).await
    })
    .await;
    let mut cases = shop_expression_cases(&seed);
    cases.extend(chinook_expression_cases());
    run_cases(suite, &pair, cases).await;
}

/// Upserts, `RETURNING` and `INSERT .. SELECT` on the shop, each read back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parity_mutations() {
    let suite = "parity_mutations";
    let Some(pair) = open_pair(suite).await else {
        return;
    };
    seed_both(&pair, "the shop", async |db: &Database| seed(db).await).await;
    run_cases(suite, &pair, shop_mutation_cases()).await;
}

/// Decimal comparisons, arithmetic and aggregates on Chinook and the shop, and decimal DDL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parity_decimals() {
    let suite = "parity_decimals";
    let Some(pair) = open_pair(suite).await else {
        return;
    };
    seed_both(&pair, "the shop", async |db: &Database| seed(db).await).await;
    seed_both(&pair, "Chinook", async |db: &Database| {
        seed_chinook(db).await
    })
    .await;
    seed_both(&pair, "the decimal DDL tables", async |db: &Database| {
        db.create_all(&decimal_ddl_schema()).await
    })
    .await;
    let mut cases = chinook_decimal_cases();
    cases.extend(shop_decimal_cases());
    cases.extend(decimal_ddl_cases());
    run_cases(suite, &pair, cases).await;
}

/// Text functions on non-ASCII data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parity_text_unicode() {
    let suite = "parity_text_unicode";
    let Some(pair) = open_pair(suite).await else {
        return;
    };
    seed_both(&pair, "Chinook", async |db: &Database| {
        seed_chinook(db).await
    })
    .await;
    run_cases(suite, &pair, unicode_text_cases()).await;
}

/// The portable report functions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parity_functions() {
    let suite = "parity_functions";
    let Some(pair) = open_pair(suite).await else {
        return;
    };
    seed_both(&pair, "the shop", async |db: &Database| seed(db).await).await;
    seed_both(&pair, "Chinook", async |db: &Database| {
        seed_chinook(db).await
    })
    .await;
    run_cases(suite, &pair, function_cases()).await;
}
