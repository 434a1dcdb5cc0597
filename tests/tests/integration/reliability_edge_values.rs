//! Reliability: edge values of every type. Each one is either stored and read back exactly
//! (and found again by equality) or refused with `Encode` before anything is sent, on both
//! backends with the same classification where the types allow; timestamps and times are
//! stored at microsecond precision (rounded half up, the same way on both).

use chrono::{TimeZone, Timelike};
use orm::prelude::*;

use crate::{Target, TestDb, backend_tests};

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "edges")]
pub struct Edge {
    #[orm(primary_key)]
    pub id: i64,
    pub f64_value: Option<f64>,
    pub f32_value: Option<f32>,
    pub i64_value: Option<i64>,
    pub i32_value: Option<i32>,
    pub i16_value: Option<i16>,
    pub text: Option<String>,
    pub bytes: Option<Vec<u8>>,
    #[orm(numeric(18, 4))]
    pub decimal: Option<Decimal>,
    pub timestamp: Option<DateTime<Utc>>,
    pub naive: Option<NaiveDateTime>,
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    pub uuid: Option<Uuid>,
    #[orm(json)]
    pub json: Option<serde_json::Value>,
    pub jsonb: Option<serde_json::Value>,
}

/// What a backend does with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Stored and read back exactly.
    Exact,
    /// Stored as the type's precision rounds it (microseconds): read back as `expected`.
    Rounded,
    /// Refused with `Encode` before anything was sent.
    Refused,
}
use Outcome::*;

struct Case {
    name: &'static str,
    row: NewEdge,
    sqlite: Outcome,
    postgres: Outcome,
    /// For `Rounded`: the value read back.
    expected: Option<NewEdge>,
}

fn case(name: &'static str, row: NewEdge, sqlite: Outcome, postgres: Outcome) -> Case {
    Case {
        name,
        row,
        sqlite,
        postgres,
        expected: None,
    }
}

fn both(name: &'static str, row: NewEdge, outcome: Outcome) -> Case {
    case(name, row, outcome, outcome)
}

fn rounded(name: &'static str, row: NewEdge, expected: NewEdge) -> Case {
    Case {
        name,
        row,
        sqlite: Rounded,
        postgres: Rounded,
        expected: Some(expected),
    }
}

fn nested(depth: usize) -> serde_json::Value {
    let mut value = serde_json::json!("leaf");
    for _ in 0..depth {
        value = serde_json::json!([value]);
    }
    value
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid date")
}

fn edge_cases() -> Vec<Case> {
    let e = NewEdge::default;
    let at = |date: NaiveDate, h, m, s, nano| date.and_hms_nano_opt(h, m, s, nano).expect("time");
    let utc = |t: NaiveDateTime| Utc.from_utc_datetime(&t);
    vec![
        // Floating point.
        both(
            "f64 zero",
            NewEdge {
                f64_value: Some(0.0),
                ..e()
            },
            Exact,
        ),
        case(
            "f64 -0.0",
            NewEdge {
                f64_value: Some(-0.0),
                ..e()
            },
            Refused,
            Exact,
        ),
        case(
            "f64 NaN",
            NewEdge {
                f64_value: Some(f64::NAN),
                ..e()
            },
            Refused,
            Exact,
        ),
        case(
            "f32 NaN",
            NewEdge {
                f32_value: Some(f32::NAN),
                ..e()
            },
            Refused,
            Exact,
        ),
        case(
            "f32 -0.0",
            NewEdge {
                f32_value: Some(-0.0),
                ..e()
            },
            Refused,
            Exact,
        ),
        both(
            "f64 infinity",
            NewEdge {
                f64_value: Some(f64::INFINITY),
                ..e()
            },
            Exact,
        ),
        both(
            "f64 -infinity",
            NewEdge {
                f64_value: Some(f64::NEG_INFINITY),
                ..e()
            },
            Exact,
        ),
        both(
            "f32 infinity",
            NewEdge {
                f32_value: Some(f32::INFINITY),
                ..e()
            },
            Exact,
        ),
        both(
            "f64 max",
            NewEdge {
                f64_value: Some(f64::MAX),
                ..e()
            },
            Exact,
        ),
        both(
            "f64 min",
            NewEdge {
                f64_value: Some(f64::MIN),
                ..e()
            },
            Exact,
        ),
        both(
            "f64 smallest normal",
            NewEdge {
                f64_value: Some(f64::MIN_POSITIVE),
                ..e()
            },
            Exact,
        ),
        both(
            "f64 subnormal",
            NewEdge {
                f64_value: Some(5e-324),
                ..e()
            },
            Exact,
        ),
        both(
            "f64 0.1",
            NewEdge {
                f64_value: Some(0.1),
                ..e()
            },
            Exact,
        ),
        both(
            "f64 1/3",
            NewEdge {
                f64_value: Some(1.0 / 3.0),
                ..e()
            },
            Exact,
        ),
        both(
            "f64 2^53 + 2",
            NewEdge {
                f64_value: Some(9_007_199_254_740_994.0),
                ..e()
            },
            Exact,
        ),
        both(
            "f64 an integer value",
            NewEdge {
                f64_value: Some(42.0),
                ..e()
            },
            Exact,
        ),
        both(
            "f32 max",
            NewEdge {
                f32_value: Some(f32::MAX),
                ..e()
            },
            Exact,
        ),
        both(
            "f32 subnormal",
            NewEdge {
                f32_value: Some(1e-45),
                ..e()
            },
            Exact,
        ),
        both(
            "f32 0.1",
            NewEdge {
                f32_value: Some(0.1),
                ..e()
            },
            Exact,
        ),
        // Integers.
        both(
            "i64 min",
            NewEdge {
                i64_value: Some(i64::MIN),
                ..e()
            },
            Exact,
        ),
        both(
            "i64 max",
            NewEdge {
                i64_value: Some(i64::MAX),
                ..e()
            },
            Exact,
        ),
        both(
            "i32 min",
            NewEdge {
                i32_value: Some(i32::MIN),
                ..e()
            },
            Exact,
        ),
        both(
            "i32 max",
            NewEdge {
                i32_value: Some(i32::MAX),
                ..e()
            },
            Exact,
        ),
        both(
            "i16 min",
            NewEdge {
                i16_value: Some(i16::MIN),
                ..e()
            },
            Exact,
        ),
        both(
            "i16 max",
            NewEdge {
                i16_value: Some(i16::MAX),
                ..e()
            },
            Exact,
        ),
        // Text.
        both(
            "empty text",
            NewEdge {
                text: Some(String::new()),
                ..e()
            },
            Exact,
        ),
        both(
            "text with NUL",
            NewEdge {
                text: Some("a\0b".into()),
                ..e()
            },
            Refused,
        ),
        both(
            "only NUL",
            NewEdge {
                text: Some("\0".into()),
                ..e()
            },
            Refused,
        ),
        both(
            "highest code point",
            NewEdge {
                text: Some("\u{10FFFF}".into()),
                ..e()
            },
            Exact,
        ),
        both(
            "BOM and zero-width",
            NewEdge {
                text: Some("\u{FEFF}a\u{200B}b".into()),
                ..e()
            },
            Exact,
        ),
        both(
            "DEL and controls",
            NewEdge {
                text: Some("\u{7f}\u{1}\u{1b}[0m".into()),
                ..e()
            },
            Exact,
        ),
        both(
            "100 000 characters",
            NewEdge {
                text: Some("ü".repeat(100_000)),
                ..e()
            },
            Exact,
        ),
        // Bytes.
        both(
            "empty bytes",
            NewEdge {
                bytes: Some(Vec::new()),
                ..e()
            },
            Exact,
        ),
        both(
            "every byte",
            NewEdge {
                bytes: Some((0..=255).collect()),
                ..e()
            },
            Exact,
        ),
        both(
            "a megabyte of zeros",
            NewEdge {
                bytes: Some(vec![0; 1 << 20]),
                ..e()
            },
            Exact,
        ),
        // Decimals within NUMERIC(18, 4).
        both(
            "decimal max",
            NewEdge {
                decimal: Some(Decimal::new(999_999_999_999_999_999, 4)),
                ..e()
            },
            Exact,
        ),
        both(
            "decimal min",
            NewEdge {
                decimal: Some(Decimal::new(-999_999_999_999_999_999, 4)),
                ..e()
            },
            Exact,
        ),
        both(
            "decimal smallest step",
            NewEdge {
                decimal: Some(Decimal::new(-1, 4)),
                ..e()
            },
            Exact,
        ),
        // Timestamps.
        both(
            "epoch",
            NewEdge {
                timestamp: Some(DateTime::<Utc>::UNIX_EPOCH),
                ..e()
            },
            Exact,
        ),
        both(
            "year 1",
            NewEdge {
                timestamp: Some(utc(at(ymd(1, 1, 1), 0, 0, 0, 0))),
                ..e()
            },
            Exact,
        ),
        both(
            "year 9999 last microsecond",
            NewEdge {
                timestamp: Some(utc(at(ymd(9999, 12, 31), 23, 59, 59, 999_999_000))),
                ..e()
            },
            Exact,
        ),
        case(
            "year 10000",
            NewEdge {
                timestamp: Some(utc(at(ymd(10_000, 1, 1), 0, 0, 0, 0))),
                ..e()
            },
            Refused,
            Exact,
        ),
        case(
            "year 0 (1 BC)",
            NewEdge {
                naive: Some(at(ymd(0, 6, 1), 12, 0, 0, 0)),
                ..e()
            },
            Refused,
            Exact,
        ),
        case(
            "4714 BC, PostgreSQL's first day",
            NewEdge {
                naive: Some(at(ymd(-4713, 11, 24), 0, 0, 0, 0)),
                ..e()
            },
            Refused,
            Exact,
        ),
        both(
            "before 4714 BC",
            NewEdge {
                naive: Some(at(ymd(-4713, 11, 23), 0, 0, 0, 0)),
                ..e()
            },
            Refused,
        ),
        case(
            "year 100 000",
            NewEdge {
                naive: Some(at(ymd(100_000, 1, 1), 0, 0, 0, 0)),
                ..e()
            },
            Refused,
            Exact,
        ),
        both(
            "leap second",
            NewEdge {
                timestamp: Some(utc(at(ymd(2016, 12, 31), 23, 59, 59, 1_500_000_000))),
                ..e()
            },
            Refused,
        ),
        both(
            "leap second, naive",
            NewEdge {
                naive: Some(at(ymd(2016, 12, 31), 23, 59, 59, 1_000_000_000)),
                ..e()
            },
            Refused,
        ),
        rounded(
            "nanoseconds after 2262",
            NewEdge {
                timestamp: Some(utc(at(ymd(3000, 1, 1), 0, 0, 0, 1_500))),
                ..e()
            },
            NewEdge {
                timestamp: Some(utc(at(ymd(3000, 1, 1), 0, 0, 0, 2_000))),
                ..e()
            },
        ),
        rounded(
            "nanoseconds before 1970",
            NewEdge {
                naive: Some(at(ymd(1900, 1, 1), 0, 0, 0, 499)),
                ..e()
            },
            NewEdge {
                naive: Some(at(ymd(1900, 1, 1), 0, 0, 0, 0)),
                ..e()
            },
        ),
        rounded(
            "rounding into the next day",
            NewEdge {
                naive: Some(at(ymd(2026, 12, 31), 23, 59, 59, 999_999_500)),
                ..e()
            },
            NewEdge {
                naive: Some(at(ymd(2027, 1, 1), 0, 0, 0, 0)),
                ..e()
            },
        ),
        // Dates and times.
        both(
            "date year 1",
            NewEdge {
                date: Some(ymd(1, 1, 1)),
                ..e()
            },
            Exact,
        ),
        both(
            "date 9999-12-31",
            NewEdge {
                date: Some(ymd(9999, 12, 31)),
                ..e()
            },
            Exact,
        ),
        case(
            "date year 0",
            NewEdge {
                date: Some(ymd(0, 1, 1)),
                ..e()
            },
            Refused,
            Exact,
        ),
        case(
            "date year 20 000",
            NewEdge {
                date: Some(ymd(20_000, 1, 1)),
                ..e()
            },
            Refused,
            Exact,
        ),
        both(
            "date before 4714 BC",
            NewEdge {
                date: Some(ymd(-5000, 1, 1)),
                ..e()
            },
            Refused,
        ),
        both(
            "midnight",
            NewEdge {
                time: Some(NaiveTime::MIN),
                ..e()
            },
            Exact,
        ),
        both(
            "last microsecond of the day",
            NewEdge {
                time: NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999),
                ..e()
            },
            Exact,
        ),
        both(
            "time rounding to 24:00",
            NewEdge {
                time: NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_600),
                ..e()
            },
            Refused,
        ),
        both(
            "leap second time",
            NewEdge {
                time: NaiveTime::from_hms_nano_opt(23, 59, 59, 1_000_000_000),
                ..e()
            },
            Refused,
        ),
        rounded(
            "time with nanoseconds",
            NewEdge {
                time: NaiveTime::from_hms_nano_opt(1, 2, 3, 4_567_890),
                ..e()
            },
            NewEdge {
                time: NaiveTime::from_hms_micro_opt(1, 2, 3, 4_568),
                ..e()
            },
        ),
        // UUIDs.
        both(
            "nil uuid",
            NewEdge {
                uuid: Some(Uuid::nil()),
                ..e()
            },
            Exact,
        ),
        both(
            "max uuid",
            NewEdge {
                uuid: Some(Uuid::max()),
                ..e()
            },
            Exact,
        ),
        // JSON.
        both(
            "json 127 levels deep",
            NewEdge {
                json: Some(nested(127)),
                jsonb: Some(nested(127)),
                ..e()
            },
            Exact,
        ),
        both(
            "json 128 levels deep",
            NewEdge {
                json: Some(nested(128)),
                ..e()
            },
            Refused,
        ),
        both(
            "jsonb 200 levels deep",
            NewEdge {
                jsonb: Some(nested(200)),
                ..e()
            },
            Refused,
        ),
        both(
            "json with \\u0000",
            NewEdge {
                json: Some(serde_json::json!({"k": "a\u{0}b"})),
                ..e()
            },
            Refused,
        ),
        both(
            "jsonb with \\u0000",
            NewEdge {
                jsonb: Some(serde_json::json!({"k": "a\u{0}b"})),
                ..e()
            },
            Refused,
        ),
        both(
            "jsonb key with \\u0000",
            NewEdge {
                jsonb: Some(serde_json::json!({"a\u{0}": 1})),
                ..e()
            },
            Refused,
        ),
        both(
            "json numbers at the edges",
            NewEdge {
                jsonb: Some(serde_json::json!([u64::MAX, i64::MIN, 1e308, 5e-324, 0.1])),
                ..e()
            },
            Exact,
        ),
        both(
            "json unicode and escapes",
            NewEdge {
                jsonb: Some(serde_json::json!({"\u{10FFFF}": "\"\\\n\t</script>"})),
                ..e()
            },
            Exact,
        ),
    ]
}

/// Debug text shows every field, floats with their sign and NaN: equal text, same value.
fn fields(row: &NewEdge) -> String {
    format!("{row:?}")
}

fn as_new(row: &Edge) -> NewEdge {
    NewEdge {
        f64_value: row.f64_value,
        f32_value: row.f32_value,
        i64_value: row.i64_value,
        i32_value: row.i32_value,
        i16_value: row.i16_value,
        text: row.text.clone(),
        bytes: row.bytes.clone(),
        decimal: row.decimal,
        timestamp: row.timestamp,
        naive: row.naive,
        date: row.date,
        time: row.time,
        uuid: row.uuid,
        json: row.json.clone(),
        jsonb: row.jsonb.clone(),
    }
}

/// The row found again by an equality filter on its one set scalar column, where equality
/// is meaningful (not NaN, not JSON).
async fn found_by_equality(t: &TestDb, row: &NewEdge) -> Result<Option<bool>> {
    let db = &t.db;
    let query = Edge::query();
    let query = match row {
        NewEdge {
            f64_value: Some(x), ..
        } if !x.is_nan() => query.filter(Edge::f64_value.eq(*x)),
        NewEdge {
            f32_value: Some(x), ..
        } if !x.is_nan() => query.filter(Edge::f32_value.eq(*x)),
        NewEdge {
            i64_value: Some(x), ..
        } => query.filter(Edge::i64_value.eq(*x)),
        NewEdge { text: Some(x), .. } => query.filter(Edge::text.eq(x.as_str())),
        NewEdge { bytes: Some(x), .. } => query.filter(Edge::bytes.eq(x.clone())),
        NewEdge {
            decimal: Some(x), ..
        } => query.filter(Edge::decimal.eq(*x)),
        NewEdge {
            timestamp: Some(x), ..
        } => query.filter(Edge::timestamp.eq(*x)),
        NewEdge { naive: Some(x), .. } => query.filter(Edge::naive.eq(*x)),
        NewEdge { date: Some(x), .. } => query.filter(Edge::date.eq(*x)),
        NewEdge { time: Some(x), .. } => query.filter(Edge::time.eq(*x)),
        NewEdge { uuid: Some(x), .. } => query.filter(Edge::uuid.eq(*x)),
        _ => return Ok(None),
    };
    Ok(Some(query.count(db).await? == 1))
}

backend_tests! {
    async fn edge_values_are_exact_or_refused_before_sending(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Edge]).await?;
        let mut wrong = Vec::new();
        for case in edge_cases() {
            let expected = if t.target == Target::Postgres { case.postgres } else { case.sqlite };
            let outcome = match case.row.insert(db).await {
                Err(error) if error.kind() == ErrorKind::Encode => Refused,
                Err(error) => {
                    wrong.push(format!("{}: {error}", case.name));
                    continue;
                }
                Ok(stored) => {
                    let read = Edge::get(db, stored.id).await?;
                    let want = case.expected.as_ref().unwrap_or(&case.row);
                    if fields(&as_new(&stored)) != fields(want) || fields(&as_new(&read)) != fields(want) {
                        wrong.push(format!("{}: sent {:?}, read back {:?}", case.name, case.row, as_new(&read)));
                    }
                    if found_by_equality(t, want).await? == Some(false) {
                        wrong.push(format!("{}: not found again by equality", case.name));
                    }
                    Edge::delete().filter(Edge::id.eq(stored.id)).exec(db).await?;
                    if case.expected.is_some() { Rounded } else { Exact }
                }
            };
            if outcome != expected {
                wrong.push(format!("{}: {outcome:?}, expected {expected:?}", case.name));
            }
            // A refused value wrote nothing; an accepted one was removed above.
            assert_eq!(Edge::query().count(db).await?, 0, "{}", case.name);
        }
        assert!(wrong.is_empty(), "{} edge values went wrong:\n{}", wrong.len(), wrong.join("\n"));
        Ok(())
    }

    /// An insert never reports an error for a row it wrote: a value whose RETURNING row could
    /// not be decoded (a year past SQLite's, JSON deeper than serde reads) is refused before.
    async fn an_insert_never_fails_after_writing(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Edge]).await?;
        let deep = NewEdge { jsonb: Some(nested(200)), ..Default::default() };
        assert_eq!(deep.insert(db).await.unwrap_err().kind(), ErrorKind::Encode);
        let far = NewEdge { date: Some(ymd(10_000, 1, 1)), ..Default::default() };
        match (t.target, far.insert(db).await) {
            (Target::Postgres, Ok(row)) => assert_eq!(Edge::get(db, row.id).await?.date, far.date),
            (Target::Postgres, Err(error)) => panic!("PostgreSQL stores year 10000: {error}"),
            (_, result) => assert_eq!(result.unwrap_err().kind(), ErrorKind::Encode),
        }
        let rows = Edge::query().count(db).await?;
        assert_eq!(rows, i64::from(t.target == Target::Postgres));
        // The same holds in a bulk insert: nothing of it is written.
        let bulk = vec![NewEdge { i64_value: Some(1), ..Default::default() }, deep];
        assert_eq!(NewEdge::insert_many(db, &bulk).await.unwrap_err().kind(), ErrorKind::Encode);
        assert_eq!(Edge::query().count(db).await?, rows);
        // A timestamp rounds the same way whatever its year.
        let t2 = Utc.from_utc_datetime(&ymd(2500, 5, 5).and_hms_nano_opt(1, 1, 1, 999_999_999).expect("time"));
        let stored = NewEdge { timestamp: Some(t2), ..Default::default() }.insert(db).await?;
        assert_eq!(stored.timestamp.map(|t| t.nanosecond()), Some(0));
        Ok(())
    }
}
