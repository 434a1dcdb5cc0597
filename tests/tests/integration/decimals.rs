//! Decimals mean the same on every backend: typed check constraints, defaults, overflow and
//! division by zero, rounding on assignment, and what SQLite refuses rather than answer
//! differently (a raw CHECK over a decimal column, which would compare the scaled integer it
//! stores). The parity suite (`parity.rs`) compares query results across backends; these
//! tests pin the behaviour of each backend on its own.

use orm::prelude::*;

use crate::Target;
use crate::backend_tests;

/// Typed checks: one compares with a literal, one computes with a literal of another scale.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(
    table = "capped_accounts",
    check(name = "capped_balance_cap", condition = Capped::balance.le(Decimal::new(100, 0))),
    check(name = "capped_balance_not_negative", condition = Capped::balance.ge(Decimal::ZERO)),
    check(
        name = "capped_fee_share",
        condition = (Capped::balance * Decimal::new(5, 3)).le(Decimal::new(5, 1))
    )
)]
pub struct Capped {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(numeric(10, 2))]
    pub balance: Decimal,
    #[orm(numeric(10, 2), server_default = "9.99")]
    pub fee: Decimal,
}

/// A raw SQL check over a decimal column.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(
    table = "raw_capped_accounts",
    check(name = "raw_balance_cap", expr = "\"balance\" <= 100")
)]
pub struct RawCapped {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(numeric(10, 2))]
    pub balance: Decimal,
}

fn dec(text: &str) -> Decimal {
    text.parse().expect("a decimal literal")
}

backend_tests! {
    async fn typed_checks_hold_the_same_values_everywhere(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Capped]).await?;
        // 50.00 is within the cap (SQLite stores 5000: the check compares at scale 2).
        for balance in ["50.00", "100.00", "0.00", "1.005"] {
            NewCapped { balance: dec(balance) }.insert(db).await?;
        }
        for (balance, constraint) in [("100.01", "capped_balance_cap"), ("-0.01", "capped_balance_not_negative")] {
            let error = NewCapped { balance: dec(balance) }.insert(db).await.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::CheckViolation, "{balance}: {error}");
            assert!(error.to_string().contains(constraint), "{balance}: {error}");
        }
        let stored: Vec<(Decimal, Decimal)> = Capped::query()
            .order_by(Capped::id)
            .select((Capped::balance, Capped::fee))
            .all(db)
            .await?;
        let text: Vec<(String, String)> = stored.iter().map(|(b, f)| (b.to_string(), f.to_string())).collect();
        // 1.005 is rounded half away from zero on assignment, as PostgreSQL does; the server
        // default is the decimal 9.99 on both backends.
        assert_eq!(
            text,
            [("50.00", "9.99"), ("100.00", "9.99"), ("0.00", "9.99"), ("1.01", "9.99")]
                .map(|(b, f)| (b.to_owned(), f.to_owned()))
        );
        assert_eq!(Capped::query().filter(Capped::fee.eq(dec("9.99"))).count(db).await?, 4);
        Ok(())
    }

    async fn a_raw_check_on_a_decimal_column_is_refused_on_sqlite(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let created = db.create_all(&schema![RawCapped]).await;
        if t.target == Target::Postgres {
            created?;
            NewRawCapped { balance: dec("50.00") }.insert(db).await?;
            return Ok(());
        }
        let error = created.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidSchema, "{error}");
        let message = error.to_string();
        assert!(message.contains("raw_balance_cap") && message.contains("balance"), "{message}");
        assert!(message.contains("condition ="), "names the typed form: {message}");
        Ok(())
    }

    async fn overflow_is_refused_before_sending_on_every_backend(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Capped]).await?;
        let error = NewCapped { balance: dec("123456789.00") }.insert(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Encode, "{error}");
        assert!(error.to_string().contains("NUMERIC(10, 2)"), "{error}");
        assert_eq!(Capped::query().count(db).await?, 0, "nothing was written");
        Ok(())
    }

    async fn computed_decimals_fail_loudly_not_silently(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Capped]).await?;
        NewCapped { balance: dec("10.00") }.insert(db).await?;
        // Division by zero is an error on both backends (SQLite's own `/` would give NULL).
        let divided = Capped::query()
            .select(Capped::balance / Decimal::ZERO)
            .one(db)
            .await;
        assert!(divided.is_err(), "{divided:?}");
        // A product too large for exact arithmetic is an error, never a float.
        let product = Capped::query()
            .select(Capped::balance * dec("99999999999999999.99"))
            .one(db)
            .await;
        match t.target {
            // PostgreSQL's numeric is unbounded.
            Target::Postgres => assert_eq!(product?.to_string(), "999999999999999999.9000"),
            // On SQLite a decimal computation's scaled value must fit 64 bits (README).
            _ => {
                let error = product.unwrap_err();
                assert!(error.to_string().contains("overflow"), "{error}");
            }
        }
        Ok(())
    }

    async fn assignments_round_to_the_column_scale(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Capped]).await?;
        let account = NewCapped { balance: dec("10.00") }.insert(db).await?;
        // 10.00 * 1.055 = 10.55000: rounds to 10.55; then 10.55 - 0.005 = 10.545: to 10.55.
        Capped::update()
            .filter(Capped::id.eq(account.id))
            .set(Capped::balance, Capped::balance * dec("1.055"))
            .exec(db)
            .await?;
        Capped::update()
            .filter(Capped::id.eq(account.id))
            .set(Capped::balance, Capped::balance - dec("0.005"))
            .exec(db)
            .await?;
        let balance: Decimal = Capped::query().select(Capped::balance).one(db).await?;
        assert_eq!(balance.to_string(), "10.55");
        Ok(())
    }

    async fn averages_and_rounding_follow_postgres(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Capped]).await?;
        for balance in ["1.99", "0.99", "2.00"] {
            NewCapped { balance: dec(balance) }.insert(db).await?;
        }
        type Five = (Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<Decimal>);
        let (average, rounded, ceiling, floor_, absolute): Five =
            Capped::query()
                .select((
                    avg(Capped::balance),
                    round(avg(Capped::balance), 1),
                    ceil(avg(Capped::balance)),
                    floor(avg(Capped::balance)),
                    abs(min(Capped::balance - dec("5"))),
                ))
                .one(db)
                .await?;
        // PostgreSQL: avg = 4.98 / 3 at 16 significant digits.
        assert_eq!(average.map(|d| d.to_string()).as_deref(), Some("1.6600000000000000"));
        assert_eq!(rounded.map(|d| d.to_string()).as_deref(), Some("1.7"));
        assert_eq!(ceiling.map(|d| d.to_string()).as_deref(), Some("2"));
        assert_eq!(floor_.map(|d| d.to_string()).as_deref(), Some("1"));
        assert_eq!(absolute.map(|d| d.to_string()).as_deref(), Some("4.01"));
        // An average in a HAVING and an ORDER BY compares numerically on every backend.
        let over: Vec<i64> = Capped::query()
            .group_by(Capped::id)
            .having(avg(Capped::balance).gt(dec("1.5")))
            .order_by(avg(Capped::balance).desc())
            .select(Capped::id)
            .all(db)
            .await?;
        assert_eq!(over, [3, 1]);
        // Floats round as PostgreSQL rounds them (through 15 significant digits).
        let half: f64 = Capped::query()
            .filter(Capped::id.eq(1))
            .select(round(Capped::balance.cast::<f64>() + 0.685_f64, 2))
            .one(db)
            .await?;
        assert_eq!(half, 2.68);
        Ok(())
    }
}
