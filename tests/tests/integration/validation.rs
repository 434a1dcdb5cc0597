//! Validation declared on fields, checked before anything is sent on every write path
//! (insert, insert_many, save, bulk update, the session's flush), the same on both backends
//! (`max_length` included, which SQLite would not enforce), every failing field listed.

use orm::prelude::*;

use crate::backend_tests;

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "val_signups")]
pub struct Signup {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 10)]
    pub name: String,
    #[orm(max_length = 255, validate(email))]
    pub email: String,
    #[orm(validate(range(min = 0, max = 150)))]
    pub age: Option<i32>,
    #[orm(validate(one_of("free", "pro")))]
    pub plan: String,
    #[orm(validate(length(min = 3), custom = no_spaces))]
    pub handle: String,
    #[orm(validate(custom = even))]
    pub seats: Option<i64>,
    #[orm(numeric(10, 2), validate(range(min = 0, max = 1000.5)))]
    pub balance: Decimal,
}

fn no_spaces(handle: &str) -> std::result::Result<(), String> {
    if handle.contains(' ') {
        Err("must not contain spaces".into())
    } else {
        Ok(())
    }
}

fn even(seats: &i64) -> std::result::Result<(), String> {
    if seats % 2 == 0 {
        Ok(())
    } else {
        Err(format!("must be even (is {seats})"))
    }
}

fn valid(n: usize) -> NewSignup {
    NewSignup {
        name: format!("ann{n}"),
        email: format!("ann{n}@example.com"),
        age: None,
        plan: "free".into(),
        handle: format!("ann{n}"),
        seats: Some(2),
        balance: Decimal::new(100050, 2),
    }
}

/// The fields a validation error names, in order.
fn failing(error: &Error) -> Vec<(Option<usize>, &'static str, &'static str)> {
    match error {
        Error::Validation { errors, .. } => {
            errors.iter().map(|e| (e.row, e.field, e.rule)).collect()
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

backend_tests! {
    async fn an_insert_lists_every_failing_field_and_writes_nothing(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Signup]).await?;
        valid(1).insert(db).await?;
        let bad = NewSignup {
            name: "a name that is too long".into(),
            email: "not-an-address".into(),
            age: Some(151),
            plan: "gold".into(),
            handle: "a b".into(),
            seats: Some(3),
            balance: Decimal::new(-1, 2),
        };
        let error = bad.insert(db).await.expect_err("invalid");
        assert_eq!(error.kind(), ErrorKind::Validation);
        assert_eq!(
            failing(&error),
            [
                (None, "name", "length"),
                (None, "email", "email"),
                (None, "age", "range"),
                (None, "plan", "one_of"),
                (None, "handle", "custom"),
                (None, "seats", "custom"),
                (None, "balance", "range"),
            ]
        );
        let text = error.to_string();
        assert!(text.contains("at most 10 characters") && text.contains("`gold`"), "{text}");
        assert!(text.contains("must not contain spaces") && text.contains("must be even (is 3)"), "{text}");
        assert_eq!(Signup::query().count(db).await?, 1, "nothing written");
        // NULL passes, bounds are included.
        let edge = NewSignup {
            age: Some(150),
            seats: None,
            balance: Decimal::new(10005, 1),
            name: "ten chars!".into(),
            ..valid(2)
        };
        edge.insert(db).await?;
        Ok(())
    }

    async fn insert_many_names_the_failing_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Signup]).await?;
        let mut rows = vec![valid(1), valid(2), valid(3)];
        rows[1].email = "nope".into();
        rows[2].plan = "team".into();
        let error = NewSignup::insert_many(db, &rows).await.expect_err("invalid rows");
        assert_eq!(failing(&error), [(Some(1), "email", "email"), (Some(2), "plan", "one_of")]);
        assert_eq!(Signup::query().count(db).await?, 0);
        Ok(())
    }

    async fn save_and_bulk_update_are_checked_too(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Signup]).await?;
        let mut row = valid(1).insert(db).await?;
        row.handle = "x".into();
        let error = row.save(db).await.expect_err("invalid save");
        assert_eq!(failing(&error), [(None, "handle", "length")]);
        let error = Signup::update()
            .filter(Signup::id.eq(row.id))
            .set(Signup::plan, "gold")
            .exec(db)
            .await
            .expect_err("invalid update");
        assert_eq!(failing(&error), [(None, "plan", "one_of")]);
        let stored = Signup::get(db, row.id).await?;
        assert_eq!((stored.handle.as_str(), stored.plan.as_str()), ("ann1", "free"));
        Ok(())
    }

    async fn a_session_flush_is_checked_before_it_writes(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Signup]).await?;
        let mut s = db.session().await?;
        s.add(valid(1));
        s.add(NewSignup {
            email: "broken".into(),
            ..valid(2)
        });
        let error = s.flush().await.expect_err("invalid object");
        assert_eq!(failing(&error), [(Some(1), "email", "email")]);
        drop(s);
        assert_eq!(Signup::query().count(db).await?, 0);
        Ok(())
    }
}
