//! Constraint violations and other failures map to typed errors on every backend, with the
//! driver's error as `source()`.

use std::error::Error as _;

use orm::prelude::*;

use crate::models::*;
use crate::{Target, backend_tests};

/// What a constraint violation names, without the database's own message (the one part that
/// differs by backend).
#[derive(Debug, PartialEq)]
struct Named {
    table: Option<String>,
    constraint: Option<String>,
    columns: Option<Vec<String>>,
    fields: Option<Vec<String>>,
    candidates: Vec<String>,
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// A violation of `constraint` of `table` over `columns`, whose Rust fields are `fields`.
fn named(table: &str, constraint: Option<&str>, columns: &[&str], fields: &[&str]) -> Named {
    Named {
        table: Some(table.to_owned()),
        constraint: constraint.map(str::to_owned),
        columns: Some(strings(columns)),
        fields: Some(strings(fields)),
        candidates: Vec::new(),
    }
}

/// Assert that `error` is a `kind` violation naming exactly `expected` (every field), and
/// that its message mentions each Rust field.
fn assert_names(error: &Error, kind: ErrorKind, expected: &Named) {
    assert_eq!(error.kind(), kind, "{error:?}");
    let info = error.constraint().expect("constraint info");
    let actual = Named {
        table: info.table.clone(),
        constraint: info.constraint.clone(),
        columns: info.columns.clone(),
        fields: info.fields.clone(),
        candidates: info.candidates.clone(),
    };
    assert_eq!(&actual, expected, "{error}");
    let message = error.to_string();
    for field in expected.fields.iter().flatten() {
        assert!(message.contains(&format!("`{field}`")), "{message}");
    }
    assert!(!info.message.is_empty(), "the database's message is kept");
    assert_sqlx_source(error);
}

fn assert_sqlx_source(error: &Error) {
    let source = error.source().expect("a source");
    assert!(
        source.downcast_ref::<sqlx::Error>().is_some(),
        "source is the sqlx error: {source:?}"
    );
}

/// A member with a unique login whose column is named differently from its field.
#[derive(Model, Debug, Clone)]
#[orm(table = "err_members")]
pub struct Member {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique, column = "login_name", max_length = 40)]
    pub login: String,
    pub display: Option<String>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "err_venues")]
pub struct Venue {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 40)]
    pub name: String,
}

/// Three foreign keys (two to the same table), a composite unique index, a check whose
/// columns orm reads and one it cannot (a table-qualified column).
#[derive(Model, Debug, Clone)]
#[orm(
    table = "err_bookings",
    index(columns = ["venue_id", "seat_row", "seat"], unique),
    check(name = "err_bookings_seat_positive", expr = "seat > 0 AND seat_row <> ''"),
    check(name = "err_bookings_row_known", expr = "err_bookings.seat_row <> 'ZZ'")
)]
pub struct Booking {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Member, column = "member_ref")]
    pub member_id: i64,
    #[orm(references = Member)]
    pub guest_id: Option<i64>,
    #[orm(references = Venue, on_delete = "restrict")]
    pub venue_id: i64,
    #[orm(max_length = 2)]
    pub seat_row: String,
    pub seat: i32,
}

/// `err_bookings` seen by a model that can send NULL (the table is `Booking`'s).
#[derive(Model, Debug, Clone)]
#[orm(table = "err_bookings")]
pub struct LooseBooking {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(column = "member_ref")]
    pub member_id: Option<i64>,
    pub guest_id: Option<i64>,
    pub venue_id: Option<i64>,
    #[orm(max_length = 2)]
    pub seat_row: Option<String>,
    pub seat: Option<i32>,
}

pub fn booking_schema() -> Schema {
    schema![Member, Venue, Booking]
}

fn booking(member: &Member, venue: i64, seat_row: &str, seat: i32) -> NewBooking {
    NewBooking {
        member_id: member.id,
        guest_id: None,
        venue_id: venue,
        seat_row: seat_row.into(),
        seat,
    }
}

fn member_fk() -> Named {
    named(
        "err_bookings",
        Some(Booking::TABLE.foreign_keys[0].name),
        &["member_ref"],
        &["member_id"],
    )
}

fn guest_fk() -> Named {
    named(
        "err_bookings",
        Some(Booking::TABLE.foreign_keys[1].name),
        &["guest_id"],
        &["guest_id"],
    )
}

fn venue_fk() -> Named {
    named(
        "err_bookings",
        Some(Booking::TABLE.foreign_keys[2].name),
        &["venue_id"],
        &["venue_id"],
    )
}

fn seat_index() -> Named {
    let index = Booking::TABLE
        .indexes
        .iter()
        .find(|i| i.unique)
        .expect("the unique index");
    let columns = ["venue_id", "seat_row", "seat"];
    named("err_bookings", Some(index.name), &columns, &columns)
}

async fn seed(db: &Database) -> Result<(Member, Member, Venue)> {
    db.create_all(&booking_schema()).await?;
    let ann = NewMember {
        login: "ann".into(),
        display: None,
    }
    .insert(db)
    .await?;
    let bob = NewMember {
        login: "bob".into(),
        display: None,
    }
    .insert(db)
    .await?;
    let hall = NewVenue {
        name: "hall".into(),
    }
    .insert(db)
    .await?;
    Ok((ann, bob, hall))
}

backend_tests! {
    async fn unique_violations_name_constraint_columns_and_fields(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let (ann, bob, hall) = seed(db).await?;
        let login = named("err_members", Member::TABLE.column("login_name").and_then(|c| c.unique), &["login_name"], &["login"]);

        // A single column's unique constraint, its field named differently.
        let error = NewMember { login: "ann".into(), display: None }.insert(db).await.unwrap_err();
        assert_names(&error, ErrorKind::UniqueViolation, &login);
        assert!(error.to_string().contains("field `login` (column `login_name`)"), "{error}");

        // The composite unique index, through one insert, a bulk insert and an update.
        booking(&ann, hall.id, "A", 1).insert(db).await?;
        let error = booking(&bob, hall.id, "A", 1).insert(db).await.unwrap_err();
        assert_names(&error, ErrorKind::UniqueViolation, &seat_index());
        let rows = [booking(&ann, hall.id, "B", 1), booking(&ann, hall.id, "B", 2), booking(&bob, hall.id, "B", 2)];
        let error = NewBooking::insert_many(db, &rows).await.unwrap_err();
        assert_names(&error, ErrorKind::UniqueViolation, &seat_index());
        assert_eq!(Booking::query().count(db).await?, 1, "the bulk insert wrote nothing");
        let second = booking(&bob, hall.id, "A", 2).insert(db).await?;
        let error = Booking::update().filter(Booking::id.eq(second.id)).set(Booking::seat, 1).exec(db).await.unwrap_err();
        assert_names(&error, ErrorKind::UniqueViolation, &seat_index());

        // An update and an upsert whose update takes a login that exists.
        let error = Member::update().filter(Member::id.eq(bob.id)).set(Member::login, "ann").exec(db).await.unwrap_err();
        assert_names(&error, ErrorKind::UniqueViolation, &login);
        let error = orm::insert([NewMember { login: "bob".into(), display: None }])
            .on_conflict(Member::login)
            .do_update(Member::login, "ann")
            .exec(db)
            .await
            .unwrap_err();
        assert_names(&error, ErrorKind::UniqueViolation, &login);

        // The same, from hand-written SQL: the table's registered model names it.
        let sql = match t.target {
            Target::Postgres => "INSERT INTO err_members (login_name) VALUES ($1)",
            _ => "INSERT INTO err_members (login_name) VALUES (?)",
        };
        let error = orm::raw(sql).bind("ann").execute(db).await.unwrap_err();
        assert_names(&error, ErrorKind::UniqueViolation, &login);
        Ok(())
    }

    async fn hand_written_sqlx_errors_get_orm_typed_errors(t: &TestDb) -> Result<()> {
        use sqlx::Connection as _;
        // A side connection sees the same database (not an in-memory one's).
        if t.target == Target::SqliteMemory {
            return Ok(());
        }
        let db = &t.db;
        seed(db).await?;
        let (sql, raw_error) = if t.target == Target::Postgres {
            let sql = "INSERT INTO err_members (login_name) VALUES ($1)";
            let mut conn = sqlx::PgConnection::connect(&t.direct_url()).await.expect("sqlx connects");
            (sql, sqlx::query(sql).bind("ann").execute(&mut conn).await.unwrap_err())
        } else {
            let sql = "INSERT INTO err_members (login_name) VALUES (?)";
            let mut conn = sqlx::SqliteConnection::connect(&t.url).await.expect("sqlx connects");
            (sql, sqlx::query(sql).bind("ann").execute(&mut conn).await.unwrap_err())
        };
        let error = db.backend().error_from_sqlx(raw_error);
        let orm_error = orm::raw(sql).bind("ann").execute(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation, "{error}");
        assert_eq!(error.kind(), orm_error.kind());
        let info = error.constraint().expect("constraint info");
        assert_eq!(info.table.as_deref(), Some("err_members"), "{info:?}");
        assert_sqlx_source(&error);
        Ok(())
    }

    async fn foreign_key_violations_name_the_key_that_failed(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let (ann, bob, hall) = seed(db).await?;
        let missing = 9_999;
        let ghost = Member { id: missing, login: "ghost".into(), display: None };

        // Three foreign keys: each insert names the one whose row is missing.
        let error = booking(&ann, missing, "A", 1).insert(db).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &venue_fk());
        let error = booking(&ghost, hall.id, "A", 1).insert(db).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &member_fk());
        let error = NewBooking { guest_id: Some(missing), ..booking(&ann, hall.id, "A", 1) }.insert(db).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &guest_fk());
        // Both the member and the venue missing: either key is a true answer. orm traces
        // SQLite's failure in declared order; PostgreSQL fires a row's foreign-key triggers
        // in the order of their names (`RI_ConstraintTrigger_c_<oid>`), which stops being the
        // order of declaration once the OIDs cross a power of ten (99998 and 100003).
        let error = booking(&ghost, missing, "A", 1).insert(db).await.unwrap_err();
        let failed = error.constraint().and_then(|info| info.constraint.clone());
        let expected = if t.target == Target::Postgres && failed == venue_fk().constraint { venue_fk() } else { member_fk() };
        assert_names(&error, ErrorKind::ForeignKeyViolation, &expected);

        // A bulk insert whose fourth row references a missing venue.
        let mut rows: Vec<NewBooking> = (1..=5).map(|seat| booking(&ann, hall.id, "C", seat)).collect();
        rows[3].venue_id = missing;
        let error = NewBooking::insert_many(db, &rows).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &venue_fk());
        // A bulk insert whose second row has a missing guest, a later one a missing member.
        rows[3].venue_id = hall.id;
        rows[1].guest_id = Some(missing);
        rows[4].member_id = missing;
        let error = NewBooking::insert_many(db, &rows).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &guest_fk());
        assert_eq!(Booking::query().count(db).await?, 0);

        // Updates: one key set (one candidate), two keys set (looked up), an expression.
        let stored = booking(&ann, hall.id, "A", 1).insert(db).await?;
        let error = Booking::update().filter(Booking::id.eq(stored.id)).set(Booking::venue_id, missing).exec(db).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &venue_fk());
        let error = Booking::update()
            .filter(Booking::id.eq(stored.id))
            .set(Booking::member_id, bob.id)
            .set(Booking::venue_id, missing)
            .exec(db)
            .await
            .unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &venue_fk());
        let error = Booking::update()
            .filter(Booking::id.eq(stored.id))
            .set(Booking::member_id, Booking::member_id + missing)
            .set(Booking::venue_id, hall.id)
            .exec(db)
            .await
            .unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &member_fk());
        let mut tracked = Tracked::new(stored.clone());
        tracked.guest_id = Some(missing);
        let error = tracked.save(db).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &guest_fk());

        // An upsert whose update points the row at a missing venue.
        let error = orm::insert([booking(&bob, hall.id, "A", 1)])
            .on_conflict((Booking::venue_id, Booking::seat_row, Booking::seat))
            .do_update(Booking::venue_id, missing)
            .exec(db)
            .await
            .unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &venue_fk());

        // Deletes and key changes of referenced rows: the key that still references them.
        NewBooking { guest_id: Some(bob.id), ..booking(&ann, hall.id, "A", 2) }.insert(db).await?;
        let error = bob.delete(db).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &guest_fk());
        let error = Member::delete().filter(Member::login.eq("ann")).exec(db).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &member_fk());
        let error = Member::update().filter(Member::id.eq(bob.id)).set(Member::id, 77).exec(db).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &guest_fk());
        let error = hall.delete(db).await.unwrap_err();
        assert_names(&error, ErrorKind::ForeignKeyViolation, &venue_fk());

        // Inside a transaction: rows it inserted count, and the error aborts it.
        let result = db.transaction(async |tx| {
            let carl = NewMember { login: "carl".into(), display: None }.insert(tx).await?;
            booking(&carl, hall.id, "D", 1).insert(tx).await?;
            booking(&carl, missing, "D", 2).insert(tx).await.map(|_| ())
        }).await;
        assert_names(&result.unwrap_err(), ErrorKind::ForeignKeyViolation, &venue_fk());
        assert_eq!(Member::query().filter(Member::login.eq("carl")).count(db).await?, 0);
        Ok(())
    }

    async fn foreign_key_failures_orm_cannot_trace_list_the_candidates(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let (ann, _, hall) = seed(db).await?;
        booking(&ann, hall.id, "A", 1).insert(db).await?;
        // The rows come from a query: orm does not know their values, so on SQLite (which
        // does not say which key failed) it names the candidates instead of guessing.
        let error = orm::insert_select::<Booking, _, _>(
            (Booking::member_id, Booking::venue_id, Booking::seat_row, Booking::seat),
            Booking::query().select((Booking::member_id, Booking::venue_id + 9_999, Booking::seat_row, Booking::seat + 1)),
        )
        .exec(db)
        .await
        .unwrap_err();
        if t.target == Target::Postgres {
            assert_names(&error, ErrorKind::ForeignKeyViolation, &venue_fk());
        } else {
            let candidates = vec![Booking::TABLE.foreign_keys[0].name.to_owned(), Booking::TABLE.foreign_keys[2].name.to_owned()];
            let undecided = Named { table: Some("err_bookings".into()), constraint: None, columns: None, fields: None, candidates };
            assert_names(&error, ErrorKind::ForeignKeyViolation, &undecided);
            assert!(error.to_string().contains("does not say which"), "{error}");
        }
        Ok(())
    }

    async fn not_null_violations_name_the_field(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let (ann, _, hall) = seed(db).await?;
        let loose = NewLooseBooking { member_id: Some(ann.id), guest_id: None, venue_id: Some(hall.id), seat_row: Some("A".into()), seat: Some(1) };
        let error = NewLooseBooking { member_id: None, ..loose.clone() }.insert(db).await.unwrap_err();
        assert_names(&error, ErrorKind::NotNullViolation, &named("err_bookings", None, &["member_ref"], &["member_id"]));
        assert!(error.to_string().contains("field `member_id` (column `member_ref`)"), "{error}");
        let rows = [loose.clone(), NewLooseBooking { seat_row: None, seat: Some(2), ..loose.clone() }];
        let error = NewLooseBooking::insert_many(db, &rows).await.unwrap_err();
        assert_names(&error, ErrorKind::NotNullViolation, &named("err_bookings", None, &["seat_row"], &["seat_row"]));
        let stored = loose.insert(db).await?;
        let error = LooseBooking::update().filter(LooseBooking::id.eq(stored.id)).set(LooseBooking::seat, None).exec(db).await.unwrap_err();
        assert_names(&error, ErrorKind::NotNullViolation, &named("err_bookings", None, &["seat"], &["seat"]));
        Ok(())
    }

    async fn check_violations_name_the_columns_they_can(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let (ann, _, hall) = seed(db).await?;
        let positive = named("err_bookings", Some("err_bookings_seat_positive"), &["seat", "seat_row"], &["seat", "seat_row"]);
        let error = booking(&ann, hall.id, "A", 0).insert(db).await.unwrap_err();
        assert_names(&error, ErrorKind::CheckViolation, &positive);
        let rows = [booking(&ann, hall.id, "A", 1), booking(&ann, hall.id, "", 2)];
        let error = NewBooking::insert_many(db, &rows).await.unwrap_err();
        assert_names(&error, ErrorKind::CheckViolation, &positive);
        let stored = booking(&ann, hall.id, "A", 1).insert(db).await?;
        let error = Booking::update().filter(Booking::id.eq(stored.id)).set(Booking::seat, Booking::seat - 1).exec(db).await.unwrap_err();
        assert_names(&error, ErrorKind::CheckViolation, &positive);
        // A check orm cannot read (a table-qualified column): its columns are unknown, not
        // guessed.
        let error = booking(&ann, hall.id, "ZZ", 5).insert(db).await.unwrap_err();
        let unknown = Named { table: Some("err_bookings".into()), constraint: Some("err_bookings_row_known".into()), columns: None, fields: None, candidates: Vec::new() };
        assert_names(&error, ErrorKind::CheckViolation, &unknown);
        Ok(())
    }

    async fn unique_violation(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        new_user(1).insert(db).await?;
        let error = new_user(1).insert(db).await.unwrap_err();
        let email = User::TABLE.column("email").and_then(|c| c.unique);
        assert_names(&error, ErrorKind::UniqueViolation, &named("users", email, &["email"], &["email"]));
        assert!(error.to_string().contains("unique"), "{error}");
        // A duplicate composite key is a unique violation of the primary key.
        let tag = NewTag { label: "x".into() }.insert(db).await?;
        let user = User::query().one(db).await?;
        let post = NewPost { user_id: user.id, title: "t".into(), body: String::new(), price: Decimal::ONE, published_at: None }.insert(db).await?;
        NewPostTag { post_id: post.id, tag_id: tag.id, weight: 1 }.insert(db).await?;
        let dup = NewPostTag { post_id: post.id, tag_id: tag.id, weight: 2 }.insert(db).await.unwrap_err();
        let key = ["post_id", "tag_id"];
        assert_names(&dup, ErrorKind::UniqueViolation, &named("post_tags", Some(PostTag::TABLE.primary_key_name), &key, &key));
        Ok(())
    }

    async fn foreign_key_violation(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let error = NewPost { user_id: 777, title: "orphan".into(), body: String::new(), price: Decimal::ONE, published_at: None }
            .insert(db).await.unwrap_err();
        let user_fk = Some(Post::TABLE.foreign_keys[0].name);
        assert_names(&error, ErrorKind::ForeignKeyViolation, &named("posts", user_fk, &["user_id"], &["user_id"]));
        assert_eq!(Post::query().count(db).await?, 0);

        // ON DELETE RESTRICT refuses; ON DELETE CASCADE removes dependents.
        let user = new_user(1).insert(db).await?;
        let post = NewPost { user_id: user.id, title: "t".into(), body: String::new(), price: Decimal::ONE, published_at: None }.insert(db).await?;
        let tag = NewTag { label: "x".into() }.insert(db).await?;
        NewPostTag { post_id: post.id, tag_id: tag.id, weight: 1 }.insert(db).await?;
        let restricted = tag.delete(db).await.unwrap_err();
        let tag_fk = Some(PostTag::TABLE.foreign_keys[1].name);
        assert_names(&restricted, ErrorKind::ForeignKeyViolation, &named("post_tags", tag_fk, &["tag_id"], &["tag_id"]));
        user.delete(db).await?;
        assert_eq!(Post::query().count(db).await?, 0);
        assert_eq!(PostTag::query().count(db).await?, 0);
        tag.delete(db).await?;
        Ok(())
    }

    async fn not_null_violation(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Strict]).await?;
        let error = NewLoose { name: None, code: Some("c".into()) }.insert(db).await.unwrap_err();
        assert_names(&error, ErrorKind::NotNullViolation, &named("strict_things", None, &["name"], &["name"]));
        Ok(())
    }

    async fn check_violation(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let account = NewAccount { owner: "o".into(), balance: 5 }.insert(db).await?;
        let error = Account::update().filter(Account::id.eq(account.id)).set(Account::balance, -1).exec(db).await.unwrap_err();
        assert_names(&error, ErrorKind::CheckViolation, &named("accounts", Some("balance_not_negative"), &["balance"], &["balance"]));
        assert_eq!(Account::get(db, account.id).await?.balance, 5);
        Ok(())
    }

    async fn decode_error_names_the_column(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Strict]).await?;
        NewStrict { name: "n".into(), code: "not a number".into() }.insert(db).await?;
        let error = Misread::query().all(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
        assert!(error.to_string().contains("code"), "{error}");
        assert!(
            matches!(&error, Error::Decode { table: Some("strict_things"), column, .. } if column == "code"),
            "{error:?}"
        );
        Ok(())
    }

    async fn unexpected_null_says_to_use_option(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Loose]).await?; // nullable columns
        NewLoose { name: Some("n".into()), code: None }.insert(db).await?;
        let error = Strict::query().all(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
        let message = error.to_string();
        assert!(message.contains("code") && message.contains("Option"), "{message}");
        Ok(())
    }

    async fn unsupported_before_anything_is_sent(t: &TestDb) -> Result<()> {
        #[derive(Model, Debug)]
        #[orm(table = "wide_numbers")]
        struct Wide {
            #[orm(primary_key)]
            id: i64,
            #[orm(numeric(30, 10))]
            amount: Decimal,
        }
        let db = &t.db;
        let result = db.create_all(&schema![Wide]).await;
        if t.target == Target::Postgres {
            result?;
            let amount: Decimal = "12345678901234567890.01234567".parse().unwrap();
            let stored = NewWide { amount }.insert(db).await?;
            assert_eq!(stored.amount, amount);
        } else {
            let error = result.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Unsupported, "{error:?}");
            assert!(matches!(error, Error::Unsupported { backend: "sqlite", .. }));
            // Nothing was created: the table does not exist.
            assert!(Wide::query().count(db).await.is_err());
        }
        Ok(())
    }

    async fn decimal_overflow_is_an_error_not_a_wrong_value(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let user = new_user(1).insert(db).await?;
        let error = NewPost { user_id: user.id, title: "t".into(), body: String::new(), price: "123456789012.5".parse().unwrap(), published_at: None }
            .insert(db).await.unwrap_err();
        // PostgreSQL: numeric field overflow (22003); SQLite: encoding refuses the same value.
        assert!(matches!(error.kind(), ErrorKind::Database | ErrorKind::Encode), "{error:?}");
        assert!(error.to_string().contains("numeric field overflow"), "{error}");
        assert_eq!(Post::query().count(db).await?, 0);
        Ok(())
    }
}

#[tokio::test]
async fn bad_urls_are_typed_errors() {
    let error = Database::connect("mysql://localhost/x").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Configuration);
    assert!(
        error.to_string().contains("sqlite: or postgres://"),
        "{error}"
    );
    let error = DatabaseOptions::new()
        .acquire_timeout(std::time::Duration::from_secs(2))
        .connect("postgres://postgres@127.0.0.1:1/none")
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Connection | ErrorKind::Pool),
        "{error:?}"
    );
    let error = Database::connect("sqlite:///nonexistent-dir/x.db")
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Connection | ErrorKind::Database),
        "{error:?}"
    );
}
