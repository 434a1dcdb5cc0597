//! Every supported type round-trips exactly, NULLs included, and orders correctly.

use chrono::TimeZone;
use orm::prelude::*;

use crate::backend_tests;
use crate::models::*;

pub(crate) fn sample(n: i64) -> NewAllTypes {
    let n32 = i32::try_from(n).expect("small");
    NewAllTypes {
        a_bool: n % 2 == 0,
        a_i16: i16::MIN + i16::try_from(n).expect("small"),
        a_i32: i32::MAX - n32,
        a_i64: i64::MIN + n,
        a_f32: 1.5e-7_f32 * (n32 as f32 + 1.0),
        a_f64: std::f64::consts::PI * (n as f64 + 1.0),
        a_text: format!("héllo wörld ✓ {n} 🦀"),
        a_varchar: format!("v{n}"),
        a_bytes: vec![0, 1, 2, 255, 0, u8::try_from(n).expect("small")],
        a_decimal: Decimal::new(-123_456_789_012_345_678 + n, 4),
        a_datetime: Utc.with_ymd_and_hms(2026, 2, 28, 23, 59, 59).unwrap()
            + chrono::Duration::microseconds(123_456 + n),
        a_naive_datetime: NaiveDate::from_ymd_opt(1999, 12, 31)
            .unwrap()
            .and_hms_micro_opt(23, 59, 58, 999_999)
            .unwrap(),
        a_date: NaiveDate::from_ymd_opt(2000, 2, 29).unwrap(),
        a_time: NaiveTime::from_hms_micro_opt(12, 34, 56, 789_012).unwrap(),
        a_uuid: Uuid::from_u128(
            0x0123_4567_89ab_cdef_0123_4567_89ab_cdef + u128::try_from(n).expect("positive"),
        ),
        a_json: serde_json::json!({"a": [1, 2.5, null, true], "b": {"c": "d"}, "n": n}),
        a_plain_json: serde_json::json!(["x", 1]),
        a_settings: Json(Settings {
            theme: "dark".into(),
            font_size: 14,
        }),
        o_bool: Some(false),
        o_i16: Some(-1),
        o_i32: Some(0),
        o_i64: Some(i64::MAX),
        o_f32: Some(-0.25),
        o_f64: Some(1e300),
        o_text: Some(String::new()),
        o_bytes: Some(Vec::new()),
        o_decimal: Some(Decimal::new(-1, 2)),
        o_datetime: Some(Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap()),
        o_naive_datetime: Some(
            NaiveDate::from_ymd_opt(2038, 1, 19)
                .unwrap()
                .and_hms_opt(3, 14, 8)
                .unwrap(),
        ),
        o_date: Some(NaiveDate::from_ymd_opt(1, 1, 1).unwrap()),
        o_time: Some(NaiveTime::from_hms_opt(0, 0, 0).unwrap()),
        o_uuid: Some(Uuid::nil()),
        o_json: Some(serde_json::Value::Null),
        o_settings: Some(Json(Settings::default())),
    }
}

fn assert_matches(stored: &AllTypes, sent: &NewAllTypes) {
    let expected = AllTypes {
        id: stored.id,
        a_bool: sent.a_bool,
        a_i16: sent.a_i16,
        a_i32: sent.a_i32,
        a_i64: sent.a_i64,
        a_f32: sent.a_f32,
        a_f64: sent.a_f64,
        a_text: sent.a_text.clone(),
        a_varchar: sent.a_varchar.clone(),
        a_bytes: sent.a_bytes.clone(),
        a_decimal: sent.a_decimal,
        a_datetime: sent.a_datetime,
        a_naive_datetime: sent.a_naive_datetime,
        a_date: sent.a_date,
        a_time: sent.a_time,
        a_uuid: sent.a_uuid,
        a_json: sent.a_json.clone(),
        a_plain_json: sent.a_plain_json.clone(),
        a_settings: sent.a_settings.clone(),
        o_bool: sent.o_bool,
        o_i16: sent.o_i16,
        o_i32: sent.o_i32,
        o_i64: sent.o_i64,
        o_f32: sent.o_f32,
        o_f64: sent.o_f64,
        o_text: sent.o_text.clone(),
        o_bytes: sent.o_bytes.clone(),
        o_decimal: sent.o_decimal,
        o_datetime: sent.o_datetime,
        o_naive_datetime: sent.o_naive_datetime,
        o_date: sent.o_date,
        o_time: sent.o_time,
        o_uuid: sent.o_uuid,
        o_json: sent.o_json.clone(),
        o_settings: sent.o_settings.clone(),
    };
    assert_eq!(stored, &expected);
}

backend_tests! {
    async fn every_type_round_trips(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![AllTypes]).await?;
        for n in 0..3 {
            let sent = sample(n);
            let stored = sent.insert(db).await?;
            assert_matches(&stored, &sent);
            assert_matches(&AllTypes::get(db, stored.id).await?, &sent);
        }
        Ok(())
    }

    async fn nulls_round_trip(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![AllTypes]).await?;
        let mut sent = sample(1);
        sent.o_bool = None;
        sent.o_i16 = None;
        sent.o_i32 = None;
        sent.o_i64 = None;
        sent.o_f32 = None;
        sent.o_f64 = None;
        sent.o_text = None;
        sent.o_bytes = None;
        sent.o_decimal = None;
        sent.o_datetime = None;
        sent.o_naive_datetime = None;
        sent.o_date = None;
        sent.o_time = None;
        sent.o_uuid = None;
        sent.o_json = None;
        sent.o_settings = None;
        let stored = sent.insert(db).await?;
        assert_matches(&stored, &sent);
        assert_eq!(AllTypes::query().filter(AllTypes::o_uuid.is_null()).count(db).await?, 1);
        Ok(())
    }

    async fn filters_on_every_type_match_the_stored_value(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![AllTypes]).await?;
        let sent = sample(2);
        let stored = sent.insert(db).await?;
        sample(0).insert(db).await?;
        let q = || AllTypes::query().filter(AllTypes::id.eq(stored.id));
        assert_eq!(q().filter(AllTypes::a_decimal.eq(sent.a_decimal)).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::a_datetime.eq(sent.a_datetime)).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::a_naive_datetime.eq(sent.a_naive_datetime)).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::a_date.eq(sent.a_date)).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::a_time.eq(sent.a_time)).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::a_uuid.eq(sent.a_uuid)).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::a_bytes.eq(sent.a_bytes.clone())).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::a_i64.eq(sent.a_i64)).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::o_decimal.eq(Decimal::new(-1, 2))).count(db).await?, 1);
        // JSON compares by value on both backends (`json` as `jsonb` on PostgreSQL, which has
        // no `json = json`), for `json` and `jsonb` columns alike.
        assert_eq!(q().filter(AllTypes::a_plain_json.eq(sent.a_plain_json.clone())).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::a_plain_json.ne(serde_json::json!(["x", 2]))).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::a_json.eq(sent.a_json.clone())).count(db).await?, 1);
        assert_eq!(AllTypes::query().filter(AllTypes::a_plain_json.eq(serde_json::json!(["x", 9]))).count(db).await?, 0);
        let listed = [serde_json::json!(["x", 9]), sent.a_plain_json.clone()];
        assert_eq!(q().filter(AllTypes::a_plain_json.in_list(listed.clone())).count(db).await?, 1);
        assert_eq!(q().filter(AllTypes::a_plain_json.not_in(listed)).count(db).await?, 0);
        assert_eq!(q().filter(AllTypes::a_json.in_list([sent.a_json.clone()])).count(db).await?, 1);
        Ok(())
    }

    async fn decimals_and_timestamps_order_correctly(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let user = new_user(1).insert(db).await?;
        let prices = ["10.5", "9.99", "-3.25", "100", "0.01", "-100.75", "9.9"];
        let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        for (n, price) in prices.iter().enumerate() {
            NewPost {
                user_id: user.id,
                title: (*price).into(),
                body: String::new(),
                price: price.parse().expect("decimal"),
                // Sub-second differences and one whole second: text storage must order them.
                published_at: Some(base + chrono::Duration::microseconds(i64::try_from(n).unwrap() * 250_000)),
            }
            .insert(db)
            .await?;
        }
        let by_price: Vec<Decimal> = Post::query().order_by(Post::price).select(Post::price).all(db).await?;
        let mut expected: Vec<Decimal> = prices.iter().map(|p| p.parse().unwrap()).collect();
        expected.sort();
        assert_eq!(by_price, expected);
        let cheap = Post::query().filter(Post::price.lt("9.99".parse::<Decimal>().unwrap())).count(db).await?;
        assert_eq!(cheap, 4);
        let between = Post::query().filter(Post::price.between(Decimal::new(-325, 2), Decimal::new(999, 2))).count(db).await?;
        assert_eq!(between, 4);
        let by_time: Vec<String> = Post::query().order_by(Post::published_at.desc()).select(Post::title).all(db).await?;
        let mut expected_titles: Vec<String> = prices.iter().map(|p| (*p).to_owned()).collect();
        expected_titles.reverse();
        assert_eq!(by_time, expected_titles);
        let after = Post::query().filter(Post::published_at.gt(base + chrono::Duration::milliseconds(500))).count(db).await?;
        assert_eq!(after, 4);
        // A stored server timestamp compares correctly with a bound one.
        assert_eq!(User::query().filter(User::created_at.le(Utc::now() + chrono::Duration::seconds(1))).count(db).await?, 1);
        assert_eq!(User::query().filter(User::created_at.gt(Utc::now() + chrono::Duration::seconds(1))).count(db).await?, 0);
        Ok(())
    }

    async fn decimals_round_to_the_column_scale(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let user = new_user(1).insert(db).await?;
        let post = NewPost { user_id: user.id, title: "t".into(), body: String::new(), price: "2.345".parse().unwrap(), published_at: None }
            .insert(db).await?;
        assert_eq!(post.price, "2.35".parse::<Decimal>().unwrap(), "rounded half away from zero, like PostgreSQL");
        Ok(())
    }
}

/// Database-generated timestamps keep microseconds on every backend, and one statement
/// stamps one time.
mod generated_timestamps {
    use chrono::Timelike;
    use orm::prelude::*;

    use crate::backend_tests;
    use crate::models::{NewUser, User};

    backend_tests! {
        async fn created_at_and_updated_at_keep_microseconds(t: &TestDb) -> Result<()> {
            let db = &t.db;
            db.create_all(&orm::schema![User]).await?;
            let mut sub_millisecond = false;
            for n in 0..5 {
                let user = NewUser {
                    email: format!("u{n}@example.com"),
                    name: format!("u{n}"),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                // One insert, one time: both columns come from the same statement clock.
                assert_eq!(user.created_at, user.updated_at, "{user:?}");
                sub_millisecond |= user.created_at.nanosecond() % 1_000_000 != 0;
                let stored: (DateTime<Utc>, DateTime<Utc>) = User::query()
                    .filter(User::id.eq(user.id))
                    .select((User::created_at, User::updated_at))
                    .one(db)
                    .await?;
                assert_eq!(stored, (user.created_at, user.updated_at));
            }
            // Five stamps all on a whole millisecond would mean milliseconds are all that is
            // kept (one chance in 10^15 otherwise).
            assert!(sub_millisecond, "timestamps are stored with microseconds");
            // `now()` in a query is the same clock.
            let recent = User::query().filter(User::created_at.le(now())).count(db).await?;
            assert_eq!(recent, 5);
            Ok(())
        }
    }
}
