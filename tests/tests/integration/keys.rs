//! Keys: generated keys given explicitly (`with_key`) with the sequence moved past them,
//! keys the caller always gives (`auto = false`), natural string keys end to end, and the
//! `New<Model>` struct as a serde input type with `Json` fields.

use std::collections::BTreeSet;
use std::time::Duration;

use orm::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{Target, backend_tests};

/// A database-generated `i64` key.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "key_people")]
pub struct Person {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
}

/// A database-generated `i32` key, the target of rows copied with `INSERT .. SELECT`.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "key_archive")]
pub struct Archived {
    #[orm(primary_key)]
    pub id: i32,
    pub name: String,
}

/// An integer key the caller always gives.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "key_imports")]
pub struct Import {
    #[orm(primary_key, auto = false)]
    pub id: i64,
    pub source: String,
}

/// A UUID key orm generates, which may be given explicitly too.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "key_tokens")]
pub struct Token {
    #[orm(primary_key)]
    pub id: Uuid,
    pub label: String,
}

/// A natural string key, parent of [`City`].
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "key_countries")]
pub struct Country {
    #[orm(primary_key, max_length = 2)]
    pub code: String,
    pub name: String,
    #[orm(has_many(foreign_key = "country_code"))]
    pub cities: HasMany<City>,
}

/// A generated key and a foreign key to a string key.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "key_cities")]
pub struct City {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 2)]
    pub country_code: String,
    pub name: String,
    #[orm(belongs_to(foreign_key = "country_code", on_delete = "cascade"))]
    pub country: BelongsTo<Country>,
}

/// Stored in a `Json` column.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Preferences {
    pub theme: String,
    pub font_size: u8,
}

fn yes() -> bool {
    true
}

/// A model that is an API's response body, and whose `NewProfile` is its request body.
#[derive(Model, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[orm(
    table = "key_profiles",
    new_derive(Serialize, Deserialize, PartialEq),
    new_attr(serde(deny_unknown_fields))
)]
pub struct Profile {
    #[orm(primary_key)]
    pub id: i64,
    /// The name shown to others.
    #[serde(rename = "handle")]
    #[orm(unique, max_length = 50)]
    pub user_name: String,
    pub preferences: Json<Preferences>,
    pub motto: Option<String>,
    #[orm(default = true, new_attr(serde(default = "yes")))]
    pub visible: bool,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
}

pub fn key_schema() -> Schema {
    schema![Person, Archived, Import, Token, Country, City, Profile]
}

fn person(name: impl Into<String>) -> NewPerson {
    NewPerson { name: name.into() }
}

async fn names_by_id(db: &Database) -> Result<Vec<(i64, String)>> {
    Person::query()
        .order_by(Person::id.asc())
        .select((Person::id, Person::name))
        .all(db)
        .await
}

/// A deterministic shuffle of `keys` (a linear congruential generator; no dependency).
fn shuffled(mut keys: Vec<i64>, seed: u64) -> Vec<i64> {
    let mut state = seed;
    for i in (1..keys.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from(state >> 33).unwrap_or(0) % (i + 1);
        keys.swap(i, j);
    }
    keys
}

backend_tests! {
    async fn explicit_keys_then_generated_keys_do_not_collide(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        let first = person("generated").insert(db).await?;
        let restored = person("restored").with_key(1000).insert(db).await?;
        assert_eq!(restored.id, 1000, "the explicit key is stored");
        assert_eq!(Person::get(db, 1000).await?.name, "restored");
        let next = person("after").insert(db).await?;
        assert!(next.id > 1000, "the next generated key {} moved past the explicit 1000", next.id);
        assert_ne!(next.id, first.id);

        // A key below the sequence is fine and does not move it back.
        let low = person("low").with_key(first.id + 1).insert(db).await?;
        assert_eq!(low.id, first.id + 1);
        let later = person("later").insert(db).await?;
        assert!(later.id > next.id, "{} after {}", later.id, next.id);

        // `with_key(None)` is an ordinary generated insert.
        let none = person("none").with_key(None).insert(db).await?;
        assert!(none.id > later.id);

        // A key that is taken is a unique violation, nothing written.
        let taken = person("taken").with_key(1000).insert(db).await.unwrap_err();
        assert_eq!(taken.kind(), ErrorKind::UniqueViolation, "{taken}");
        assert_eq!(Person::query().count(db).await?, 6);
        let ids: BTreeSet<i64> = names_by_id(db).await?.into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), 6, "every key distinct: {ids:?}");
        Ok(())
    }

    async fn bulk_insert_with_explicit_keys(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        let rows: Vec<_> = [30, 10, 20].into_iter().map(|id| person(format!("p{id}")).with_key(id)).collect();
        assert_eq!(WithKey::insert_many(db, &rows).await?, 3);
        assert_eq!(
            names_by_id(db).await?,
            [(10, "p10".to_owned()), (20, "p20".to_owned()), (30, "p30".to_owned())]
        );
        let next = person("next").insert(db).await?;
        assert!(next.id > 30, "generated {} after explicit keys up to 30", next.id);

        // More rows than one statement binds: several statements, one unit, the sequence
        // moved past the largest key of all of them.
        let many: Vec<_> = (0..20_000_i64).map(|n| person(format!("m{n}")).with_key(100_000 + n)).collect();
        let statements = orm::__private::crud::insert_many_statements(db.dialect(), &many)?;
        let inserts = statements.iter().filter(|s| s.sql.starts_with("INSERT")).count();
        assert!(inserts >= 2 || t.target == Target::Postgres, "split under SQLite's bind limit: {inserts}");
        let advances = statements.len() - inserts;
        assert_eq!(advances, usize::from(t.target == Target::Postgres), "PostgreSQL moves the sequence once");
        assert_eq!(WithKey::insert_many(db, &many).await?, 20_000);
        let after = person("after").insert(db).await?;
        assert!(after.id > 119_999, "generated {} after explicit keys up to 119999", after.id);

        // The insert builder: all rows with keys, with RETURNING.
        let returned = orm::insert(vec![person("r1").with_key(200_001), person("r2").with_key(200_000)])
            .returning_model()
            .all(db)
            .await?;
        let mut ids: Vec<i64> = returned.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        assert_eq!(ids, [200_000, 200_001]);
        assert!(person("last").insert(db).await?.id > 200_001);
        assert_eq!(Person::query().count(db).await?, 20_008);
        Ok(())
    }

    async fn mixed_rows_with_and_without_keys(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        let rows = vec![
            person("g1").with_key(None),
            person("k100").with_key(100),
            person("g2").with_key(None),
            person("k50").with_key(Some(50)),
            person("g3").with_key(None),
        ];
        assert_eq!(WithKey::insert_many(db, &rows).await?, 5);
        let stored = names_by_id(db).await?;
        assert!(stored.contains(&(50, "k50".into())) && stored.contains(&(100, "k100".into())), "{stored:?}");
        let generated: Vec<&(i64, String)> = stored.iter().filter(|(_, name)| name.starts_with('g')).collect();
        assert_eq!(generated.len(), 3);
        assert!(generated.iter().all(|(id, _)| *id > 100), "generated keys past every explicit one: {stored:?}");
        let in_order: Vec<&str> = generated.iter().map(|(_, name)| name.as_str()).collect();
        assert_eq!(in_order, ["g1", "g2", "g3"], "generated rows keep their order");

        // The same through the insert builder, with an upsert on the key.
        let more = vec![
            person("g4").with_key(None),
            person("k100 again").with_key(100),
            person("k300").with_key(300),
        ];
        let written = orm::insert(more.clone())
            .on_conflict(Person::id)
            .do_update(Person::name, excluded(Person::name))
            .exec(db)
            .await?;
        assert_eq!(written, 3);
        assert_eq!(Person::get(db, 100).await?.name, "k100 again");
        let g4 = Person::query().filter(Person::name.eq("g4")).one(db).await?;
        assert!(g4.id > 300, "{}", g4.id);

        // RETURNING needs one statement, which mixed rows are not.
        let refused = orm::insert(more).returning_model().all(db).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::InvalidStatement, "{refused}");
        assert!(refused.to_string().contains("explicit keys"), "{refused}");
        assert_eq!(Person::query().count(db).await?, 7, "nothing written by the refused insert");
        Ok(())
    }

    async fn explicit_keys_in_transactions(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        // Rolled back: the row is gone; its key can be given again and nothing collides.
        let rolled_back: Result<()> = db.transaction(async |tx| {
            person("doomed").with_key(500).insert(tx).await?;
            Err(Error::InvalidStatement { message: "roll back".into() })
        }).await;
        assert!(rolled_back.is_err());
        assert!(Person::find(500).optional(db).await?.is_none());
        let generated = person("generated").insert(db).await?;
        assert_ne!(generated.id, 500);
        person("again").with_key(500).insert(db).await?;

        // Committed, with generated rows in the same transaction after the explicit ones.
        db.transaction(async |tx| {
            WithKey::insert_many(tx, &[person("k700").with_key(700), person("k600").with_key(600)]).await?;
            let inside = person("inside").insert(tx).await?;
            assert!(inside.id > 700, "{}", inside.id);
            Ok::<_, Error>(())
        }).await?;
        assert!(person("outside").insert(db).await?.id > 700);
        assert_eq!(Person::query().count(db).await?, 6);
        Ok(())
    }

    async fn concurrent_explicit_and_generated_inserts(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        // Explicit keys 1..=400 in a random order from four tasks, generated inserts from
        // four others, at once: a generated insert never meets a taken key; an explicit one
        // may find its key taken by a generated row (a unique violation), never otherwise.
        let keys = shuffled((1..=400).collect(), 7);
        let mut explicit = Vec::new();
        for (n, chunk) in keys.chunks(100).enumerate() {
            let (db, chunk) = (db.clone(), chunk.to_vec());
            explicit.push(tokio::spawn(async move {
                let mut refused = Vec::new();
                let (singles, bulk) = chunk.split_at(60);
                for &key in singles {
                    match person(format!("e{key}")).with_key(key).insert(&db).await {
                        Ok(row) => assert_eq!(row.id, key),
                        Err(error) if error.kind() == ErrorKind::UniqueViolation => refused.push(key),
                        Err(error) => return Err(error),
                    }
                }
                // Bulk rows one by one if the batch meets a taken key (all or nothing).
                let rows: Vec<_> = bulk.iter().map(|&key| person(format!("e{key}")).with_key(key)).collect();
                if let Err(error) = WithKey::insert_many(&db, &rows).await {
                    assert_eq!(error.kind(), ErrorKind::UniqueViolation, "task {n}: {error}");
                    for row in rows {
                        let key = row.key.unwrap_or_default();
                        match row.insert(&db).await {
                            Ok(_) => {}
                            Err(error) if error.kind() == ErrorKind::UniqueViolation => refused.push(key),
                            Err(error) => return Err(error),
                        }
                    }
                }
                Ok::<_, Error>(refused)
            }));
        }
        let mut generated = Vec::new();
        for n in 0..4 {
            let db = db.clone();
            generated.push(tokio::spawn(async move {
                for i in 0..60 {
                    person(format!("g{n}-{i}")).insert(&db).await?;
                }
                Ok::<_, Error>(())
            }));
        }
        for task in generated {
            task.await.expect("a generated-insert task panicked")?;
        }
        let mut refused = Vec::new();
        for task in explicit {
            refused.extend(task.await.expect("an explicit-insert task panicked")?);
        }
        let stored = names_by_id(db).await?;
        assert_eq!(stored.len(), 240 + 400 - refused.len(), "refused: {refused:?}");
        for key in &refused {
            let holder = stored.iter().find(|(id, _)| id == key).map(|(_, name)| name.as_str());
            assert!(holder.is_some_and(|name| name.starts_with('g')), "key {key} refused, held by {holder:?}");
        }
        let max = stored.iter().map(|(id, _)| *id).max().unwrap_or_default();
        assert!(person("last").insert(db).await?.id > max);
        Ok(())
    }

    async fn sequence_advances_take_turns(t: &TestDb) -> Result<()> {
        // PostgreSQL's advisory lock, held to the end of the transaction that moved the
        // sequence (SQLite serializes every writer anyway).
        if t.target != Target::Postgres {
            return Ok(());
        }
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        let tx = db.begin().await?;
        person("first").with_key(1000).insert(&tx).await?;
        let other = db.clone();
        let waiting = tokio::spawn(async move { person("second").with_key(500).insert(&other).await });
        // Ordinary inserts do not take the lock.
        let plain = tokio::time::timeout(Duration::from_secs(10), person("plain").insert(db)).await;
        let plain = plain.expect("a generated insert is not blocked")?;
        assert!(plain.id > 1000, "{}", plain.id);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!waiting.is_finished(), "the second advance waits for the first transaction");
        tx.commit().await?;
        let second = tokio::time::timeout(Duration::from_secs(10), waiting).await;
        let second = second.expect("it goes on after the commit").expect("no panic")?;
        assert_eq!(second.id, 500);
        assert!(person("after").insert(db).await?.id > plain.id);
        Ok(())
    }

    async fn insert_select_with_keys_moves_the_sequence(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        WithKey::insert_many(db, &[person("a").with_key(40), person("b").with_key(41)]).await?;
        let copied = orm::insert_select(
            (Archived::id, Archived::name),
            Person::query().select((Person::id.cast::<i32>(), Person::name)),
        )
        .exec(db)
        .await?;
        assert_eq!(copied, 2, "the rows copied, not the sequence statement");
        let next = NewArchived { name: "new".into() }.insert(db).await?;
        assert!(next.id > 41, "generated {} after copied keys up to 41", next.id);

        // With RETURNING.
        Person::delete().all_rows().exec(db).await?;
        person("c").with_key(90).insert(db).await?;
        let returned: Vec<i32> = orm::insert_select(
            (Archived::id, Archived::name),
            Person::query().select((Person::id.cast::<i32>(), Person::name)),
        )
        .returning(Archived::id)
        .all(db)
        .await?;
        assert_eq!(returned, [90]);
        assert!(NewArchived { name: "newer".into() }.insert(db).await?.id > 90);
        Ok(())
    }

    async fn auto_false_key_is_always_given(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        let row = NewImport { id: 42, source: "legacy".into() }.insert(db).await?;
        assert_eq!(row, Import { id: 42, source: "legacy".into() });
        assert_eq!(Import::get(db, 42).await?.source, "legacy");
        NewImport::insert_many(db, &[NewImport { id: 7, source: "a".into() }, NewImport { id: 8, source: "b".into() }]).await?;
        assert_eq!(Import::query().count(db).await?, 3);
        let duplicate = NewImport { id: 42, source: "again".into() }.insert(db).await.unwrap_err();
        assert_eq!(duplicate.kind(), ErrorKind::UniqueViolation, "{duplicate}");
        // The database generates nothing: a row without the key is refused.
        let keyless = orm::raw("INSERT INTO key_imports (source) VALUES ('no key')").execute(db).await.unwrap_err();
        assert_eq!(keyless.kind(), ErrorKind::NotNullViolation, "{keyless}");
        Ok(())
    }

    async fn uuid_key_given_explicitly(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        let known = Uuid::parse_str("0b2a7c1e-4f4e-4a8e-9d35-1c3f0f5e8a61").map_err(|e| Error::InvalidStatement { message: e.to_string() })?;
        let token = NewToken { label: "known".into() }.with_key(known).insert(db).await?;
        assert_eq!(token.id, known);
        assert_eq!(Token::get(db, known).await?.label, "known");
        let fresh = NewToken { label: "fresh".into() }.with_key(None).insert(db).await?;
        assert_eq!(fresh.id.get_version_num(), 7, "generated as usual");
        let nil = NewToken { label: "nil".into() }.with_key(Uuid::nil());
        assert_eq!(WithKey::insert_many(db, &[nil.clone(), NewToken { label: "bulk".into() }.with_key(None)]).await?, 2);
        assert_eq!(Token::get(db, Uuid::nil()).await?.label, "nil");
        assert_eq!(nil.insert(db).await.unwrap_err().kind(), ErrorKind::UniqueViolation);
        assert_eq!(Token::query().count(db).await?, 4);
        Ok(())
    }

    async fn string_natural_key_end_to_end(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        let nl = NewCountry { code: "NL".into(), name: "Netherlands".into() }.insert(db).await?;
        assert_eq!(nl.code, "NL");
        NewCountry::insert_many(db, &[
            NewCountry { code: "BE".into(), name: "Belgium".into() },
            NewCountry { code: "FR".into(), name: "France".into() },
        ]).await?;
        assert_eq!(Country::get(db, "BE".to_owned()).await?.name, "Belgium");
        assert!(Country::find("DE".to_owned()).optional(db).await?.is_none());
        assert_eq!(Country::get(db, "DE".to_owned()).await.unwrap_err().kind(), ErrorKind::NotFound);
        let duplicate = NewCountry { code: "NL".into(), name: "again".into() }.insert(db).await.unwrap_err();
        assert_eq!(duplicate.kind(), ErrorKind::UniqueViolation);

        // Save and tracked save by the string key.
        let mut fr = Country::get(db, "FR".to_owned()).await?;
        fr.name = "République française".into();
        fr.save(db).await?;
        assert_eq!(Country::get(db, "FR".to_owned()).await?.name, "République française");
        let mut tracked = Tracked::new(Country::get(db, "BE".to_owned()).await?);
        tracked.name = "België".into();
        tracked.save(db).await?;
        assert_eq!(Country::get(db, "BE".to_owned()).await?.name, "België");
        let changed = Country::update().filter(Country::code.eq("NL")).set(Country::name, "Nederland").exec(db).await?;
        assert_eq!(changed, 1);

        // Upsert on the key.
        orm::insert(vec![NewCountry { code: "NL".into(), name: "Holland".into() }])
            .on_conflict(Country::code)
            .do_update(Country::name, excluded(Country::name))
            .exec(db)
            .await?;
        assert_eq!(Country::get(db, "NL".to_owned()).await?.name, "Holland");

        // Relationships keyed by the string: create through the parent, load both ways.
        let mut nl = Country::query().filter(Country::code.eq("NL")).with(Country::cities).one(db).await?;
        assert!(nl.cities.get()?.is_empty());
        nl.cities.create(db, NewCity { country_code: "??".into(), name: "Amsterdam".into() }).await?;
        nl.cities.create(db, NewCity { country_code: String::new(), name: "Utrecht".into() }.with_key(77)).await?;
        NewCity { country_code: "BE".into(), name: "Gent".into() }.insert(db).await?;
        assert_eq!(nl.cities.get()?.len(), 2, "created children join the loaded list");
        let countries = Country::query().order_by(Country::code.asc()).with(Country::cities).all(db).await?;
        let cities: Vec<(String, Vec<String>)> = countries
            .iter()
            .map(|c| Ok((c.code.clone(), c.cities.get()?.iter().map(|city| city.name.clone()).collect())))
            .collect::<Result<_>>()?;
        assert_eq!(cities, [
            ("BE".to_owned(), vec!["Gent".to_owned()]),
            ("FR".to_owned(), vec![]),
            ("NL".to_owned(), vec!["Amsterdam".to_owned(), "Utrecht".to_owned()]),
        ]);
        let utrecht = City::query().filter(City::id.eq(77)).with(City::country).one(db).await?;
        assert_eq!(utrecht.country_code, "NL");
        assert_eq!(utrecht.country.get()?.name, "Holland");
        let joined: Vec<(String, String)> = City::query()
            .join(City::country)
            .filter(Country::code.eq("NL"))
            .order_by(City::name.asc())
            .select((City::name, Country::name))
            .all(db)
            .await?;
        assert_eq!(joined, [("Amsterdam".to_owned(), "Holland".to_owned()), ("Utrecht".to_owned(), "Holland".to_owned())]);
        let orphan = NewCity { country_code: "XX".into(), name: "Nowhere".into() }.insert(db).await.unwrap_err();
        assert_eq!(orphan.kind(), ErrorKind::ForeignKeyViolation, "{orphan}");

        // Delete by the key cascades to the cities.
        nl.delete(db).await?;
        assert_eq!(nl.delete(db).await.unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(City::query().count(db).await?, 1);
        assert_eq!(Country::delete().filter(Country::code.in_list(["BE", "FR"])).exec(db).await?, 2);
        assert_eq!(Country::query().count(db).await?, 0);
        Ok(())
    }

    async fn new_struct_is_a_request_body(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&key_schema()).await?;
        let json = |e: serde_json::Error| Error::InvalidStatement { message: e.to_string() };
        // What a client posts: the model's renamed field, no `visible` (orm's default applies).
        let body = r#"{"handle": "ann", "preferences": {"theme": "dark", "font_size": 14}, "motto": null}"#;
        let new: NewProfile = serde_json::from_str(body).map_err(json)?;
        assert_eq!(new, NewProfile {
            user_name: "ann".into(),
            preferences: Json(Preferences { theme: "dark".into(), font_size: 14 }),
            motto: None,
            visible: true,
        });
        // It serializes back to the same shape and round-trips.
        let value = serde_json::to_value(&new).map_err(json)?;
        assert_eq!(value, serde_json::json!({
            "handle": "ann",
            "preferences": {"theme": "dark", "font_size": 14},
            "motto": null,
            "visible": true,
        }));
        assert_eq!(serde_json::from_value::<NewProfile>(value).map_err(json)?, new);
        // Columns the database generates cannot be smuggled in.
        let smuggled = serde_json::from_str::<NewProfile>(r#"{"id": 1, "handle": "x", "preferences": {"theme": "", "font_size": 0}}"#);
        assert!(smuggled.unwrap_err().to_string().contains("unknown field `id`"));

        // Insert the body and answer with the stored row: `Json` serializes as its content.
        let stored = new.insert(db).await?;
        let response = serde_json::to_value(&stored).map_err(json)?;
        assert_eq!(response["id"], serde_json::json!(stored.id));
        assert_eq!(response["handle"], "ann");
        assert_eq!(response["preferences"], serde_json::json!({"theme": "dark", "font_size": 14}));
        assert_eq!(response["visible"], true);
        let back: Profile = serde_json::from_value(response).map_err(json)?;
        assert_eq!(back, stored);
        assert_eq!(Profile::get(db, stored.id).await?, stored);
        Ok(())
    }
}
