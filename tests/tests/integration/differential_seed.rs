//! Models and seed data of the differential suite (`differential.rs`): a small shop with a
//! category tree, customers, orders, order items, products and employees with managers.
//!
//! The data is chosen to exercise the corners: NULLs in optional columns, ties (equal prices,
//! scores, salaries and timestamps), duplicate values (cities, prices), parents without children
//! (customers without orders, categories without products or subcategories, an order without
//! items), products without a category and `%` / `_` inside text.
//!
//! It also holds the helpers that let one hand-written SQL text run on both backends.

use orm::prelude::*;

use crate::{Target, TestDb};

/// A product category; categories form a tree through `parent_id`.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "categories")]
pub struct Category {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Category, on_delete = "cascade")]
    pub parent_id: Option<i64>,
    #[orm(max_length = 100)]
    pub name: String,
}

/// A customer; some have no email, no city, no orders.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "customers")]
pub struct Customer {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 100)]
    pub name: String,
    pub email: Option<String>,
    pub city: Option<String>,
    pub score: i32,
    pub vip: bool,
    pub joined_at: DateTime<Utc>,
}

/// A product; some have no category, no discount, no weight.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "products")]
pub struct Product {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique, max_length = 50)]
    pub sku: String,
    #[orm(max_length = 100)]
    pub name: String,
    #[orm(references = Category, on_delete = "set null")]
    pub category_id: Option<i64>,
    #[orm(numeric(10, 2))]
    pub price: Decimal,
    #[orm(numeric(10, 2))]
    pub discount: Option<Decimal>,
    pub stock: i32,
    pub weight: Option<f64>,
}

/// An order of a customer.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "orders")]
pub struct Order {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Customer, on_delete = "cascade", index)]
    pub customer_id: i64,
    #[orm(max_length = 20)]
    pub status: String,
    pub placed_at: DateTime<Utc>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    #[orm(numeric(10, 2))]
    pub total: Decimal,
}

/// One line of an order.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "order_items")]
pub struct OrderItem {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Order, on_delete = "cascade", index)]
    pub order_id: i64,
    #[orm(references = Product, index)]
    pub product_id: i64,
    pub quantity: i32,
    #[orm(numeric(10, 2))]
    pub unit_price: Decimal,
}

/// An employee and their manager (a self-reference).
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "employees")]
pub struct Employee {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 100)]
    pub name: String,
    #[orm(references = Employee, on_delete = "set null")]
    pub manager_id: Option<i64>,
    pub dept: Option<String>,
    pub salary: i64,
    pub hired_at: DateTime<Utc>,
}

/// The target of `INSERT .. SELECT`: archived orders.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "order_archive")]
pub struct OrderArchive {
    #[orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    #[orm(numeric(10, 2))]
    pub total: Decimal,
    pub note: Option<String>,
}

/// Every table of the suite, parents first.
pub fn shop_schema() -> Schema {
    schema![
        Category,
        Customer,
        Product,
        Order,
        OrderItem,
        Employee,
        OrderArchive
    ]
}

/// `YYYY-MM-DD hh:mm:ss` UTC.
pub fn ts(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|date| date.and_hms_opt(h, mi, s))
        .expect("valid timestamp")
        .and_utc()
}

/// A decimal with two places from its cents: `money(3999)` is 39.99.
pub fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// The keys of the seeded rows, in insertion order.
#[derive(Debug, Clone)]
pub struct Seed {
    pub categories: Vec<i64>,
    pub customers: Vec<i64>,
    pub products: Vec<i64>,
    pub orders: Vec<i64>,
    pub items: Vec<i64>,
    pub employees: Vec<i64>,
}

/// Create the schema and insert the shop.
pub async fn seed(db: &Database) -> Result<Seed> {
    db.create_all(&shop_schema()).await?;

    // Categories: All > {Books > Rust > Async, Tech, Empty}; Orphans is a second root.
    let mut categories = Vec::new();
    let all = NewCategory {
        parent_id: None,
        name: "All".into(),
    }
    .insert(db)
    .await?;
    categories.push(all.id);
    for (parent, name) in [
        (Some(0usize), "Books"),
        (Some(0), "Tech"),
        (Some(1), "Rust"),
        (Some(3), "Async"),
        (Some(0), "Empty"),
        (None, "Orphans"),
    ] {
        let row = NewCategory {
            parent_id: parent.map(|p| categories[p]),
            name: name.into(),
        }
        .insert(db)
        .await?;
        categories.push(row.id);
    }
    let [_, books, tech, rust, asynk, ..] = categories[..] else {
        unreachable!()
    };

    // Customers: ties on score (85, 70), a duplicate city, NULL emails and cities; Linus and
    // Margaret have no orders.
    let mut customers = Vec::new();
    for (name, email, city, score, vip, joined) in [
        (
            "Ada",
            Some("ada@example.com"),
            Some("London"),
            90,
            true,
            ts(2023, 1, 5, 8, 0, 0),
        ),
        (
            "Grace",
            Some("grace@example.com"),
            Some("New York"),
            85,
            false,
            ts(2023, 3, 9, 12, 30, 0),
        ),
        (
            "Edsger",
            None,
            Some("Austin"),
            85,
            false,
            ts(2023, 3, 9, 12, 30, 0),
        ),
        (
            "Barbara",
            Some("barbara@example.org"),
            None,
            70,
            true,
            ts(2023, 6, 1, 0, 0, 0),
        ),
        ("Linus", None, None, 70, false, ts(2023, 11, 30, 23, 59, 59)),
        (
            "Margaret",
            Some("margaret@example.com"),
            Some("London"),
            95,
            false,
            ts(2024, 2, 29, 6, 15, 0),
        ),
    ] {
        let row = NewCustomer {
            name: name.into(),
            email: email.map(Into::into),
            city: city.map(Into::into),
            score,
            vip,
            joined_at: joined,
        }
        .insert(db)
        .await?;
        customers.push(row.id);
    }

    // Products: equal prices (39.99 twice, 25.00 twice), no category for two, `%` and `_` in
    // names; the last two are never ordered.
    let mut products = Vec::new();
    for (sku, name, category, cents, discount, stock, weight) in [
        (
            "BK-001",
            "The Book",
            Some(rust),
            3999,
            Some(500),
            10,
            Some(0.75),
        ),
        (
            "BK-002",
            "Async Rust",
            Some(asynk),
            4550,
            None,
            0,
            Some(0.5),
        ),
        ("TC-001", "Keyboard", Some(tech), 8900, Some(1000), 25, None),
        ("TC-002", "Monitor", Some(tech), 24900, None, 5, Some(4.5)),
        ("BK-003", "SQL 100% Guide", Some(books), 3999, None, 7, None),
        (
            "MX-001",
            "under_score item",
            None,
            500,
            Some(50),
            100,
            Some(0.125),
        ),
        ("MX-002", "Gift card", None, 2500, None, 0, None),
        ("TC-003", "Mouse", Some(tech), 2500, None, 40, Some(0.25)),
    ] {
        let row = NewProduct {
            sku: sku.into(),
            name: name.into(),
            category_id: category,
            price: money(cents),
            discount: discount.map(money),
            stock,
            weight,
        }
        .insert(db)
        .await?;
        products.push(row.id);
    }

    // Orders: o2 and o3 were placed at the same instant; o6 has no items.
    let mut orders = Vec::new();
    for (customer, status, placed, shipped, note, cents) in [
        (
            0usize,
            "shipped",
            ts(2024, 1, 10, 9, 0, 0),
            Some(ts(2024, 1, 12, 10, 0, 0)),
            None,
            8499,
        ),
        (
            0,
            "shipped",
            ts(2024, 2, 3, 14, 30, 0),
            Some(ts(2024, 2, 5, 8, 0, 0)),
            Some("gift wrap"),
            17800,
        ),
        (
            1,
            "pending",
            ts(2024, 2, 3, 14, 30, 0),
            None,
            Some("call before"),
            41897,
        ),
        (1, "cancelled", ts(2024, 3, 15, 18, 45, 0), None, None, 3999),
        (
            2,
            "shipped",
            ts(2024, 3, 20, 7, 5, 0),
            Some(ts(2024, 3, 28, 16, 0, 0)),
            Some("leave at door"),
            17600,
        ),
        (3, "pending", ts(2024, 4, 1, 0, 0, 0), None, None, 0),
        (
            0,
            "shipped",
            ts(2024, 4, 18, 23, 59, 59),
            Some(ts(2024, 4, 19, 9, 0, 0)),
            None,
            26700,
        ),
        (
            2,
            "pending",
            ts(2024, 5, 2, 11, 11, 11),
            None,
            Some("50% off_code"),
            3999,
        ),
    ] {
        let row = NewOrder {
            customer_id: customers[customer],
            status: status.into(),
            placed_at: placed,
            shipped_at: shipped,
            note: note.map(Into::into),
            total: money(cents),
        }
        .insert(db)
        .await?;
        orders.push(row.id);
    }

    // Order items: (order, product, quantity, unit cents).
    let mut items = Vec::new();
    for (order, product, quantity, cents) in [
        (0usize, 0usize, 1, 3999),
        (0, 1, 1, 4500),
        (1, 2, 2, 8900),
        (2, 0, 3, 3999),
        (2, 3, 1, 24900),
        (2, 5, 10, 500),
        (3, 4, 1, 3999),
        (4, 1, 2, 4550),
        (4, 2, 1, 8500),
        (6, 3, 1, 24900),
        (6, 5, 4, 450),
        (7, 0, 1, 3999),
    ] {
        let row = NewOrderItem {
            order_id: orders[order],
            product_id: products[product],
            quantity,
            unit_price: money(cents),
        }
        .insert(db)
        .await?;
        items.push(row.id);
    }

    // Employees: Alice and Grace have no manager; salaries tie (150, 90); Grace has no
    // department and no reports.
    let mut employees: Vec<i64> = Vec::new();
    for (name, manager, dept, salary, hired) in [
        ("Alice", None, Some("Eng"), 200, ts(2015, 4, 1, 9, 0, 0)),
        (
            "Bob",
            Some(0usize),
            Some("Eng"),
            150,
            ts(2017, 6, 15, 9, 0, 0),
        ),
        ("Carol", Some(0), Some("Eng"), 150, ts(2018, 1, 8, 9, 0, 0)),
        ("Dave", Some(1), Some("Eng"), 120, ts(2020, 9, 1, 9, 0, 0)),
        ("Eve", Some(0), Some("Sales"), 130, ts(2016, 2, 29, 9, 0, 0)),
        (
            "Frank",
            Some(4),
            Some("Sales"),
            90,
            ts(2021, 11, 11, 9, 0, 0),
        ),
        ("Grace", None, None, 100, ts(2019, 7, 7, 9, 0, 0)),
        ("Heidi", Some(4), Some("Sales"), 90, ts(2022, 3, 3, 9, 0, 0)),
    ] {
        let row = NewEmployee {
            name: name.into(),
            manager_id: manager.map(|m| employees[m]),
            dept: dept.map(Into::into),
            salary,
            hired_at: hired,
        }
        .insert(db)
        .await?;
        employees.push(row.id);
    }

    Ok(Seed {
        categories,
        customers,
        products,
        orders,
        items,
        employees,
    })
}

/// The hand-written SQL `sql` for this backend: `?` placeholders become `$1`, `$2`.. on
/// PostgreSQL. (No `?` may appear inside string literals of the suite's SQL.)
pub fn sql(t: &TestDb, sql: &str) -> String {
    if t.target != Target::Postgres {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for ch in sql.chars() {
        if ch == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(ch);
        }
    }
    out
}

/// Picks the SQLite or the PostgreSQL text of a hand-written fragment.
pub fn pick<'a>(t: &TestDb, sqlite: &'a str, postgres: &'a str) -> &'a str {
    if t.target == Target::Postgres {
        postgres
    } else {
        sqlite
    }
}

/// A hand-written decimal expression as an integer number of cents.
///
/// SQLite stores `numeric(10, 2)` as integers scaled by 100, so the stored value already is
/// the cents; PostgreSQL stores a real `NUMERIC`, which is scaled and cast here. Hand-written
/// queries read decimals through this and compare with `money(cents)`.
pub fn cents(t: &TestDb, expr: &str) -> String {
    match t.target {
        Target::Postgres => format!("CAST(({expr}) * 100 AS BIGINT)"),
        _ => format!("({expr})"),
    }
}

/// A decimal constant in hand-written SQL, in the storage format of the backend
/// (`lit_money(t, 3999)` is `3999` on SQLite and `39.99` on PostgreSQL).
pub fn lit_money(t: &TestDb, cents: i64) -> String {
    match t.target {
        Target::Postgres => money(cents).to_string(),
        _ => cents.to_string(),
    }
}

/// A timestamp constant in hand-written SQL, in the storage format of the backend (orm stores
/// `DateTime<Utc>` on SQLite as fixed-width ISO-8601 text ending in `Z`).
pub fn lit_ts(t: &TestDb, at: DateTime<Utc>) -> String {
    match t.target {
        Target::Postgres => format!("TIMESTAMPTZ '{}'", at.format("%Y-%m-%d %H:%M:%S%.6f+00")),
        _ => format!("'{}'", at.format("%Y-%m-%dT%H:%M:%S%.6fZ")),
    }
}

/// Hand-written decimals as read through [`cents`], back to `Decimal`.
pub fn from_cents(cents: Option<i64>) -> Option<Decimal> {
    cents.map(money)
}
