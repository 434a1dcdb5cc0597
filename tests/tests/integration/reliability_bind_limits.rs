//! Reliability: lists and bulk writes far past the backends' bind limits (SQLite 32 766
//! values a statement, PostgreSQL 65 535) give the same answers on both, or a typed error
//! before anything is sent.

use std::collections::HashSet;

use orm::prelude::*;

use crate::models::*;
use crate::types::sample;
use crate::{Target, backend_tests};

async fn users(db: &Database, count: usize) -> Result<Vec<User>> {
    NewUser::insert_many(db, &(0..count).map(new_user).collect::<Vec<_>>()).await?;
    User::query().order_by(User::id).all(db).await
}

backend_tests! {
    async fn in_lists_of_a_hundred_thousand_values(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let stored = users(db, 1_000).await?;
        let real: Vec<i64> = stored.iter().map(|u| u.id).collect();
        let missing: Vec<i64> = (1..=99_000).map(|n| -n).collect();
        let all: Vec<i64> = real.iter().copied().chain(missing.iter().copied()).collect();
        assert_eq!(all.len(), 100_000);
        assert_eq!(User::query().filter(User::id.in_list(all.clone())).count(db).await?, 1_000);
        assert_eq!(User::query().filter(User::id.not_in(all)).count(db).await?, 0);
        assert_eq!(User::query().filter(User::id.in_list(missing.clone())).count(db).await?, 0);
        assert_eq!(User::query().filter(User::id.not_in(missing)).count(db).await?, 1_000);
        let emails: Vec<String> = (0..100_000).map(|n| new_user(n).email).collect();
        let found = User::query().filter(User::email.in_list(emails)).order_by(User::id).all(db).await?;
        assert_eq!(found, stored);
        Ok(())
    }

    async fn two_lists_of_twenty_thousand_in_one_filter(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let stored = users(db, 500).await?;
        let ids: Vec<i64> = stored.iter().map(|u| u.id).chain((1..=19_500).map(|n| -n)).collect();
        // Every other user's email is excluded.
        let excluded: Vec<String> = (0..20_000).filter(|n| n % 2 == 0).map(|n| new_user(n).email).chain((0..10_000).map(|n| format!("nobody{n}@x"))).collect();
        assert_eq!((ids.len(), excluded.len()), (20_000, 20_000));
        let filter = User::id.in_list(ids).and(User::email.not_in(excluded));
        assert_eq!(User::query().filter(filter.clone()).count(db).await?, 250);
        // The same filter updates and deletes exactly those rows.
        let updated = User::update().filter(filter.clone()).set(User::karma, 7).exec(db).await?;
        assert_eq!(updated, 250);
        assert_eq!(User::query().filter(User::karma.eq(7)).count(db).await?, 250);
        let deleted = User::delete().filter(filter).exec(db).await?;
        assert_eq!(deleted, 250);
        assert_eq!(User::query().count(db).await?, 250);
        assert_eq!(User::query().filter(User::karma.eq(7)).count(db).await?, 0);
        Ok(())
    }

    async fn update_and_delete_with_forty_thousand_values(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let stored = users(db, 2_000).await?;
        let odd: Vec<i64> = stored.iter().map(|u| u.id).filter(|id| id % 2 == 1).chain((1..=39_000).map(|n| -n)).collect();
        assert!(odd.len() >= 40_000);
        let changed = User::update().filter(User::id.in_list(odd.clone())).set(User::bio, Some("odd".to_string())).exec(db).await?;
        assert_eq!(changed, 1_000);
        let gone = User::delete().filter(User::id.not_in(odd)).exec(db).await?;
        assert_eq!(gone, 1_000);
        assert_eq!(User::query().filter(User::bio.eq("odd")).count(db).await?, 1_000);
        assert_eq!(User::query().count(db).await?, 1_000);
        Ok(())
    }

    async fn a_hundred_thousand_row_insert_is_all_or_nothing(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let mut rows: Vec<NewUser> = (0..100_000).map(new_user).collect();
        assert_eq!(NewUser::insert_many(db, &rows).await?, 100_000);
        assert_eq!(User::query().count(db).await?, 100_000);
        User::delete().all_rows().exec(db).await?;
        // The last row repeats the first: the statements before it must not survive.
        rows.push(new_user(0));
        let error = NewUser::insert_many(db, &rows).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation, "{error:?}");
        assert_eq!(User::query().count(db).await?, 0);
        Ok(())
    }

    /// An `in_list` over a column of every type (NULL items included) keeps exactly the rows
    /// whose value is in the list, as equality would: blobs, timestamps, decimals and JSON
    /// travel in the one list parameter in each backend's storage form.
    async fn lists_of_every_type_keep_the_rows_equality_keeps(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![AllTypes]).await?;
        let mut sent = Vec::new();
        for n in 0..12 {
            let mut row = sample(n);
            if n % 3 == 0 {
                row.o_i32 = None;
                row.o_text = None;
                row.o_uuid = None;
                row.o_date = None;
            } else {
                row.o_i32 = Some(i32::try_from(n).expect("small"));
                row.o_text = Some(format!("o{n}"));
                row.o_uuid = Some(Uuid::from_u128(u128::try_from(n).expect("small")));
                row.o_date = NaiveDate::from_ymd_opt(1990, 1, 1 + u32::try_from(n).expect("small"));
            }
            sent.push(row);
        }
        NewAllTypes::insert_many(db, &sent).await?;
        let rows = AllTypes::query().order_by(AllTypes::id).all(db).await?;
        // Pick every third row's values, plus values no row has.
        let picked: Vec<&AllTypes> = rows.iter().step_by(3).collect();
        macro_rules! check {
            ($column:ident, $extra:expr) => {{
                let mut list: Vec<_> = picked.iter().map(|r| r.$column.clone()).collect();
                list.push($extra);
                let expected: Vec<i64> = rows.iter().filter(|r| list.contains(&r.$column)).map(|r| r.id).collect();
                let found: Vec<i64> = AllTypes::query().filter(AllTypes::$column.in_list(list.clone())).order_by(AllTypes::id).select(AllTypes::id).all(db).await?;
                assert_eq!(found, expected, "in_list on {}", stringify!($column));
                let not_expected: Vec<i64> = rows.iter().filter(|r| !list.contains(&r.$column)).map(|r| r.id).collect();
                let found: Vec<i64> = AllTypes::query().filter(AllTypes::$column.not_in(list)).order_by(AllTypes::id).select(AllTypes::id).all(db).await?;
                assert_eq!(found, not_expected, "not_in on {}", stringify!($column));
            }};
        }
        check!(a_bool, true);
        check!(a_i16, 3);
        check!(a_i32, -3);
        check!(a_i64, 0);
        check!(a_f32, 2.5);
        check!(a_f64, -2.5);
        check!(a_text, "none".to_string());
        check!(a_varchar, "none".to_string());
        check!(a_bytes, vec![9, 9]);
        check!(a_decimal, Decimal::new(1, 4));
        check!(a_datetime, DateTime::<Utc>::UNIX_EPOCH);
        check!(a_naive_datetime, DateTime::<Utc>::UNIX_EPOCH.naive_utc());
        check!(a_date, NaiveDate::from_ymd_opt(1, 1, 1).expect("a date"));
        check!(a_time, NaiveTime::MIN);
        check!(a_uuid, Uuid::max());
        check!(a_json, serde_json::json!({"other": true}));
        check!(o_i64, Some(5));
        // NULL items: IN never keeps a NULL row, NOT IN with a NULL item keeps none.
        let with_null = vec![Some(1_i32), None];
        let found = AllTypes::query().filter(AllTypes::o_i32.in_list(with_null.clone())).count(db).await?;
        assert_eq!(found, 1);
        assert_eq!(AllTypes::query().filter(AllTypes::o_i32.not_in(with_null)).count(db).await?, 0);
        assert_eq!(AllTypes::query().filter(AllTypes::o_text.in_list([Some("o1".to_string()), None])).count(db).await?, 1);
        assert_eq!(AllTypes::query().filter(AllTypes::o_uuid.in_list([Some(Uuid::from_u128(2)), None])).count(db).await?, 1);
        assert_eq!(AllTypes::query().filter(AllTypes::o_date.not_in([None::<NaiveDate>])).count(db).await?, 0);
        Ok(())
    }

    async fn large_lists_of_uuids_and_dates(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let accounts: Vec<NewAccount> = (0..300).map(|n| NewAccount { owner: format!("o{n}"), balance: n }).collect();
        NewAccount::insert_many(db, &accounts).await?;
        let stored: Vec<Uuid> = Account::query().select(Account::id).all(db).await?;
        let wanted: HashSet<Uuid> = stored.iter().copied().step_by(2).collect();
        let list: Vec<Uuid> = wanted.iter().copied().chain((0..50_000).map(|n| Uuid::from_u128(n + 1))).collect();
        let found: HashSet<Uuid> = Account::query().filter(Account::id.in_list(list)).select(Account::id).all(db).await?.into_iter().collect();
        assert_eq!(found, wanted);
        Ok(())
    }

    /// Floating-point lists bind one value at a time on SQLite (JSON text would not carry
    /// them exactly): past its bind limit that is a typed error before sending. PostgreSQL
    /// binds them as one array.
    async fn float_lists_past_the_sqlite_limit(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![AllTypes]).await?;
        NewAllTypes::insert_many(db, &[sample(1), sample(2)]).await?;
        let floats: Vec<f64> = (0..40_000).map(|n| std::f64::consts::PI * f64::from(n + 1)).collect();
        let result = AllTypes::query().filter(AllTypes::a_f64.in_list(floats)).count(db).await;
        match t.target {
            Target::Postgres => assert_eq!(result?, 2),
            _ => {
                let error = result.unwrap_err();
                assert_eq!(error.kind(), ErrorKind::InvalidStatement, "{error:?}");
                assert!(error.to_string().contains("limit of 32766"), "{error}");
            }
        }
        Ok(())
    }
}
