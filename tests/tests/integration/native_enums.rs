//! `#[derive(DbEnum)] #[orm(native)]`: a PostgreSQL `ENUM` type (created and dropped with
//! the tables), text with a CHECK on SQLite, and one answer on both: filters, `in_list`,
//! writes through every path (insert, update, save, upsert, session flush), and every order
//! (`ORDER BY`, `<`, `BETWEEN`, `MIN` / `MAX`, keyset pages, windows) over the labels as
//! text — the declaration order PostgreSQL would use otherwise differs on purpose here.

use orm::functions::{count_star, greatest, max, min, row_number, window};
use orm::migrate::{DowngradeTo, Migrations, Migrator, Operation, Renames, Revision};
use orm::prelude::*;

use crate::{Target, backend_tests};

/// Declared `open, waiting, closed, archived`; as text `archived < closed < open < waiting`.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[orm(native)]
pub enum TicketState {
    Open,
    Waiting,
    Closed,
    Archived,
}

/// A type of another name, labels upper case, one renamed with a quote in it.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[orm(native = "ne level", rename_all = "UPPERCASE")]
pub enum Level {
    Low,
    High,
    #[orm(rename = "it's urgent")]
    Urgent,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "ne_tickets")]
pub struct Ticket {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique)]
    pub title: String,
    pub state: TicketState,
    pub level: Option<Level>,
    #[orm(has_many(foreign_key = "ticket_id"))]
    pub events: HasMany<Event>,
}

/// A second table using the same type.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "ne_events")]
pub struct Event {
    #[orm(primary_key)]
    pub id: i64,
    pub ticket_id: i64,
    pub to_state: TicketState,
    pub from_state: Option<TicketState>,
    #[orm(belongs_to(foreign_key = "ticket_id", on_delete = "cascade"))]
    pub ticket: BelongsTo<Ticket>,
}

mod widened {
    use orm::prelude::*;

    /// `TicketState` with a label added between two others.
    #[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
    #[orm(native = "ticket_state")]
    pub enum TicketState {
        Open,
        Blocked,
        Waiting,
        Closed,
        Archived,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[orm(table = "ne_tickets")]
    pub struct Ticket {
        #[orm(primary_key)]
        pub id: i64,
        #[orm(unique)]
        pub title: String,
        pub state: TicketState,
        pub level: Option<super::Level>,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[orm(table = "ne_events")]
    pub struct Event {
        #[orm(primary_key)]
        pub id: i64,
        pub ticket_id: i64,
        pub to_state: TicketState,
        pub from_state: Option<TicketState>,
        #[orm(belongs_to(foreign_key = "ticket_id", on_delete = "cascade"))]
        pub ticket: BelongsTo<Ticket>,
    }
}

mod textual {
    use orm::prelude::*;

    /// `TicketState` stored as text (no `native`), under the same labels.
    #[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TicketState {
        Open,
        Waiting,
        Closed,
        Archived,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[orm(table = "ne_tickets")]
    pub struct Ticket {
        #[orm(primary_key)]
        pub id: i64,
        #[orm(unique)]
        pub title: String,
        pub state: TicketState,
        pub level: Option<super::Level>,
    }
}

fn schema() -> Schema {
    schema![Ticket, Event]
}

async fn ticket(
    db: &Database,
    title: &str,
    state: TicketState,
    level: Option<Level>,
) -> Result<Ticket> {
    NewTicket {
        title: title.into(),
        state,
        level,
    }
    .insert(db)
    .await
}

/// Four tickets, one per state, inserted in declaration order.
async fn seed(db: &Database) -> Result<Vec<Ticket>> {
    db.create_all(&schema()).await?;
    Ok(vec![
        ticket(db, "a", TicketState::Open, Some(Level::Low)).await?,
        ticket(db, "b", TicketState::Waiting, Some(Level::Urgent)).await?,
        ticket(db, "c", TicketState::Closed, None).await?,
        ticket(db, "d", TicketState::Archived, Some(Level::High)).await?,
    ])
}

fn titles(tickets: &[Ticket]) -> Vec<&str> {
    tickets.iter().map(|t| t.title.as_str()).collect()
}

backend_tests! {
    async fn native_enums_round_trip_filter_and_write(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let tickets = seed(db).await?;
        assert_eq!(Ticket::query().order_by(Ticket::id).all(db).await?, tickets);
        assert_eq!(Ticket::get(db, tickets[1].id).await?.level, Some(Level::Urgent));

        let waiting = Ticket::query().filter(Ticket::state.eq(TicketState::Waiting)).one(db).await?;
        assert_eq!(waiting.title, "b");
        let live = Ticket::query()
            .filter(Ticket::state.in_list([TicketState::Open, TicketState::Waiting]))
            .order_by(Ticket::id)
            .all(db)
            .await?;
        assert_eq!(titles(&live), ["a", "b"]);
        let rest = Ticket::query()
            .filter(Ticket::state.not_in([TicketState::Open, TicketState::Waiting]))
            .filter(Ticket::state.ne(TicketState::Closed))
            .all(db)
            .await?;
        assert_eq!(titles(&rest), ["d"]);
        assert_eq!(Ticket::query().filter(Ticket::level.is_null()).count(db).await?, 1);
        assert_eq!(Ticket::query().filter(Ticket::level.eq(Level::Urgent)).count(db).await?, 1);

        // Stored as the type on PostgreSQL, as text on SQLite.
        let stored: Vec<(String, String)> = if t.target == Target::Postgres {
            orm::raw("SELECT pg_typeof(state)::text, state::text FROM ne_tickets ORDER BY id LIMIT 1")
                .fetch_as(db)
                .await?
        } else {
            orm::raw("SELECT typeof(state), state FROM ne_tickets ORDER BY id LIMIT 1").fetch_as(db).await?
        };
        let expected_type = if t.target == Target::Postgres { "ticket_state" } else { "text" };
        assert_eq!(stored, [(expected_type.to_owned(), "open".to_owned())]);

        // Every write path binds labels the column takes.
        let changed = Ticket::update()
            .filter(Ticket::state.eq(TicketState::Open))
            .set(Ticket::state, TicketState::Closed)
            .set(Ticket::level, None::<Level>)
            .exec(db)
            .await?;
        assert_eq!(changed, 1);
        let mut a = Ticket::get(db, tickets[0].id).await?;
        assert_eq!((a.state, a.level), (TicketState::Closed, None));
        a.state = TicketState::Waiting;
        a.level = Some(Level::High);
        a.save(db).await?;
        assert_eq!(Ticket::get(db, a.id).await?, a);

        let returned: Vec<(String, TicketState)> = orm::insert(vec![
            NewTicket { title: "a".into(), state: TicketState::Archived, level: None },
            NewTicket { title: "e".into(), state: TicketState::Open, level: Some(Level::Low) },
        ])
        .on_conflict(Ticket::title)
        .do_update(Ticket::state, excluded(Ticket::state))
        .returning((Ticket::title, Ticket::state))
        .all(db)
        .await?;
        let mut returned = returned;
        returned.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(returned, [("a".to_owned(), TicketState::Archived), ("e".to_owned(), TicketState::Open)]);

        let mut s = db.session().await?;
        let held = s.get::<Ticket>(tickets[1].id).await?;
        s[held].state = TicketState::Archived;
        s.add(NewEvent { ticket_id: tickets[1].id, to_state: TicketState::Archived, from_state: Some(TicketState::Waiting) });
        s.commit().await?;
        assert_eq!(Ticket::get(db, tickets[1].id).await?.state, TicketState::Archived);
        let event = Event::query().with(Event::ticket).one(db).await?;
        assert_eq!((event.to_state, event.from_state), (TicketState::Archived, Some(TicketState::Waiting)));
        assert_eq!(event.ticket.get()?.title, "b");

        let states: Vec<TicketState> = Ticket::query().order_by(Ticket::id).select(Ticket::state).all(db).await?;
        assert_eq!(
            states,
            [TicketState::Archived, TicketState::Archived, TicketState::Closed, TicketState::Archived, TicketState::Open],
            "a: upserted, b: flushed, c, d, e: inserted"
        );
        let per_state: Vec<(TicketState, i64)> = Ticket::query()
            .group_by(Ticket::state)
            .order_by(Ticket::state)
            .select((Ticket::state, count_star()))
            .all(db)
            .await?;
        assert_eq!(
            per_state,
            [(TicketState::Archived, 3), (TicketState::Closed, 1), (TicketState::Open, 1)]
        );
        Ok(())
    }

    async fn native_enums_order_as_text_on_every_backend(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let by_state = Ticket::query().order_by(Ticket::state).all(db).await?;
        assert_eq!(titles(&by_state), ["d", "c", "a", "b"], "archived, closed, open, waiting");
        let down = Ticket::query().order_by(Ticket::state.desc()).all(db).await?;
        assert_eq!(titles(&down), ["b", "a", "c", "d"]);
        let before_open = Ticket::query()
            .filter(Ticket::state.lt(TicketState::Open))
            .order_by(Ticket::id)
            .all(db)
            .await?;
        assert_eq!(titles(&before_open), ["c", "d"]);
        let from_closed = Ticket::query()
            .filter(Ticket::state.ge(TicketState::Closed))
            .filter(Ticket::state.le(TicketState::Open))
            .order_by(Ticket::id)
            .all(db)
            .await?;
        assert_eq!(titles(&from_closed), ["a", "c"]);
        let between = Ticket::query()
            .filter(Ticket::state.between(TicketState::Closed, TicketState::Waiting))
            .order_by(Ticket::id)
            .all(db)
            .await?;
        assert_eq!(titles(&between), ["a", "b", "c"]);
        let levels = Ticket::query()
            .filter(Ticket::level.gt(Level::High))
            .order_by(Ticket::id)
            .all(db)
            .await?;
        assert_eq!(titles(&levels), ["a", "b"], "LOW and it's urgent sort after HIGH");

        let (low, high): (Option<TicketState>, Option<TicketState>) = Ticket::query()
            .select((min(Ticket::state), max(Ticket::state)))
            .one(db)
            .await?;
        assert_eq!((low, high), (Some(TicketState::Archived), Some(TicketState::Waiting)));
        let raised: Vec<TicketState> = Ticket::query()
            .order_by(Ticket::id)
            .select(greatest(Ticket::state, TicketState::Closed))
            .all(db)
            .await?;
        assert_eq!(raised, [TicketState::Open, TicketState::Waiting, TicketState::Closed, TicketState::Closed]);
        let ranked: Vec<(String, i64)> = Ticket::query()
            .order_by(Ticket::id)
            .select((Ticket::title, row_number().over(window().order_by(Ticket::state))))
            .all(db)
            .await?;
        assert_eq!(
            ranked,
            [("a".to_owned(), 3), ("b".to_owned(), 4), ("c".to_owned(), 2), ("d".to_owned(), 1)]
        );

        for extra in ["e", "f", "g"] {
            ticket(db, extra, TicketState::Closed, None).await?;
        }
        // DISTINCT ON must match the ORDER BY, which orders the labels as text.
        let first_per_state = Ticket::query()
            .distinct_on(Ticket::state)
            .order_by(Ticket::state)
            .order_by(Ticket::id.desc())
            .select((Ticket::state, Ticket::title))
            .all(db)
            .await;
        if t.target == Target::Postgres {
            assert_eq!(
                first_per_state?,
                [
                    (TicketState::Archived, "d".to_owned()),
                    (TicketState::Closed, "g".to_owned()),
                    (TicketState::Open, "a".to_owned()),
                    (TicketState::Waiting, "b".to_owned()),
                ]
            );
        } else {
            assert_eq!(first_per_state.unwrap_err().kind(), ErrorKind::Unsupported);
        }
        // A union returns the labels as text; ordered by one, it is refused where the order
        // by position would be the enum's declaration order.
        let both: Vec<TicketState> = Ticket::query()
            .filter(Ticket::title.eq("a"))
            .select(Ticket::state)
            .union(Event::query().select(Event::to_state))
            .all(db)
            .await?;
        assert_eq!(both, [TicketState::Open]);
        let ordered = Ticket::query()
            .select(Ticket::state)
            .union(Event::query().select(Event::to_state))
            .order_by(Ticket::state)
            .all(db)
            .await;
        if t.target == Target::Postgres {
            assert_eq!(ordered.unwrap_err().kind(), ErrorKind::Unsupported);
        } else {
            assert_eq!(
                ordered?,
                [TicketState::Archived, TicketState::Closed, TicketState::Open, TicketState::Waiting]
            );
        }
        let mut walked = Vec::new();
        let mut cursor: Option<(TicketState, i64)> = None;
        loop {
            let page = Ticket::query()
                .keyset((Ticket::state.asc(), Ticket::id.asc()), cursor)
                .limit(2)
                .all(db)
                .await?;
            let Some(last) = page.last() else { break };
            cursor = Some((last.state, last.id));
            walked.extend(page.into_iter().map(|t| t.title));
            assert!(walked.len() <= 7, "keyset pagination does not terminate");
        }
        assert_eq!(walked, ["d", "c", "e", "f", "g", "a", "b"]);
        Ok(())
    }

    async fn a_label_outside_a_native_enum_is_refused_and_named(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        orm::raw("INSERT INTO ne_tickets (title, state) VALUES ('x', 'someday')")
            .execute(db)
            .await
            .expect_err("neither the type nor the CHECK takes it");
        assert_eq!(Ticket::query().count(db).await?, 4, "nothing written");
        let error = orm::raw("SELECT 'someday'")
            .fetch_as::<(TicketState,)>(db)
            .await
            .expect_err("not a TicketState");
        let text = error.to_string();
        assert!(text.contains("someday") && text.contains("open, waiting, closed, archived"), "{text}");
        Ok(())
    }

    async fn native_enum_types_are_created_and_dropped_with_the_schema(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        db.create_all(&schema()).await?;
        assert_eq!(Ticket::query().count(db).await?, 4, "created again: nothing changed");
        let found = Migrator::new(Migrations::default()).check(db, &schema(), &Renames::default()).await?;
        assert!(found.is_empty(), "read back differently: {:?}", found.operations);
        let types = || async {
            let names: Vec<String> = orm::raw(
                "SELECT typname::text FROM pg_type WHERE typtype = 'e' \
                 AND typnamespace = current_schema()::regnamespace ORDER BY typname",
            )
            .fetch_as(db)
            .await?;
            Ok::<_, orm::Error>(names)
        };
        if t.target == Target::Postgres {
            assert_eq!(types().await?, ["ne level", "ticket_state"]);
        }
        db.drop_all(&schema()).await?;
        if t.target == Target::Postgres {
            assert!(types().await?.is_empty(), "the types went with the tables");
        }
        seed(db).await?;
        assert_eq!(Ticket::query().count(db).await?, 4);
        Ok(())
    }

    async fn a_text_enum_column_becomes_native_and_back(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![textual::Ticket]).await?;
        for (title, state) in [("a", textual::TicketState::Open), ("b", textual::TicketState::Archived)] {
            textual::NewTicket { title: title.into(), state, level: Some(Level::Low) }.insert(db).await?;
        }
        let native = schema![Ticket];
        let migrator = Migrator::new(Migrations::default());
        let (revision, found) = migrator.autogenerate(db, &native, "native", &Renames::default()).await?;
        let described: Vec<String> = found.operations.iter().map(Operation::describe).collect();
        if t.target == Target::Postgres {
            // The type exists before the column is converted to it.
            let created = described.iter().position(|d| d.starts_with("create enum ticket_state"));
            let altered = described.iter().position(|d| d.starts_with("alter column ne_tickets.state"));
            assert!(created.is_some() && created < altered, "{described:?}");
        }
        // Through its file, as `migrate revision` writes it and the runner reads it.
        let file = Revision::parse(&revision.to_toml()?, "native.toml")?;
        assert_eq!((&file.upgrade, &file.downgrade), (&revision.upgrade, &revision.downgrade));
        let migrator = Migrator::new(Migrations::new(vec![file])?);
        migrator.upgrade(db).await?;
        assert!(migrator.check(db, &native, &Renames::default()).await?.is_empty());
        let states: Vec<TicketState> = Ticket::query().order_by(Ticket::id).select(Ticket::state).all(db).await?;
        assert_eq!(states, [TicketState::Open, TicketState::Archived], "the rows came along");
        let refused = orm::raw("UPDATE ne_tickets SET state = 'someday'").execute(db).await;
        assert!(refused.is_err(), "the labels are still kept");
        ticket(db, "c", TicketState::Waiting, None).await?;

        migrator.downgrade(db, DowngradeTo::Base).await?;
        let back = Migrator::new(Migrations::default()).check(db, &schema![textual::Ticket], &Renames::default()).await?;
        assert!(back.is_empty(), "text again: {:?}", back.operations);
        let states: Vec<textual::TicketState> =
            textual::Ticket::query().order_by(textual::Ticket::id).select(textual::Ticket::state).all(db).await?;
        assert_eq!(states, [textual::TicketState::Open, textual::TicketState::Archived, textual::TicketState::Waiting]);
        if t.target == Target::Postgres {
            let left: Vec<(i64,)> =
                orm::raw("SELECT count(*) FROM pg_type WHERE typname = 'ticket_state' AND typnamespace = current_schema()::regnamespace")
                    .fetch_as(db)
                    .await?;
            assert_eq!(left, [(0,)], "the downgrade dropped the type");
        }
        Ok(())
    }

    async fn revisions_generated_on_sqlite_make_the_types_on_postgresql(t: &TestDb) -> Result<()> {
        // SQLite keeps no enum types: its diff reads them back from the labels checks.
        let side = Database::connect("sqlite::memory:").await?;
        let (first, _) = Migrator::new(Migrations::default())
            .autogenerate(&side, &schema(), "first", &Renames::default())
            .await?;
        let described: Vec<String> = first.upgrade.iter().map(Operation::describe).collect();
        assert!(described.contains(&"create enum ticket_state".to_owned()), "{described:?}");
        assert!(described.contains(&"create enum ne level".to_owned()), "{described:?}");
        let created = described.iter().position(|d| d == "create enum ticket_state");
        let table = described.iter().position(|d| d == "create table ne_tickets");
        assert!(created < table, "{described:?}");
        Migrator::new(Migrations::new(vec![first.clone()])?).upgrade(&side).await?;
        let wide = schema![widened::Ticket, widened::Event];
        let (second, _) = Migrator::new(Migrations::new(vec![first.clone()])?)
            .autogenerate(&side, &wide, "blocked", &Renames::default())
            .await?;
        assert!(
            second.upgrade.iter().any(|op| matches!(op, Operation::AlterEnum { .. })),
            "{:?}",
            second.upgrade
        );
        let unchanged = Migrator::new(Migrations::new(vec![first.clone()])?)
            .check(&side, &schema(), &Renames::default())
            .await?;
        assert!(unchanged.is_empty(), "read back the same: {:?}", unchanged.operations);

        // Both revisions, on every backend.
        let db = &t.db;
        let migrator = Migrator::new(Migrations::new(vec![first, second])?);
        migrator.upgrade(db).await?;
        assert!(migrator.check(db, &wide, &Renames::default()).await?.is_empty());
        let blocked = widened::NewTicket {
            title: "z".into(),
            state: widened::TicketState::Blocked,
            level: Some(Level::Urgent),
        }
        .insert(db)
        .await?;
        assert_eq!(widened::Ticket::get(db, blocked.id).await?.level, Some(Level::Urgent));
        Ok(())
    }

    async fn added_labels_are_migrated_in_place(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let migrator = Migrator::new(Migrations::default());
        let wide = schema![widened::Ticket, widened::Event];
        let found = migrator.check(db, &wide, &Renames::default()).await?;
        let described: Vec<String> = found.operations.iter().map(Operation::describe).collect();
        assert!(
            described.iter().any(|d| d.contains("ne_tickets_state_values")),
            "the labels' check changes (SQLite keeps it): {described:?}"
        );
        if t.target == Target::Postgres {
            assert!(
                found.operations.iter().any(|op| matches!(op, Operation::AlterEnum { .. })),
                "{described:?}"
            );
        }
        let (revision, _) = migrator.autogenerate(db, &wide, "blocked", &Renames::default()).await?;
        let file = Revision::parse(&revision.to_toml()?, "blocked.toml")?;
        assert_eq!((&file.upgrade, &file.downgrade), (&revision.upgrade, &revision.downgrade));
        let migrator = Migrator::new(Migrations::new(vec![file])?);
        migrator.upgrade(db).await?;
        assert!(migrator.check(db, &wide, &Renames::default()).await?.is_empty());
        let blocked = widened::NewTicket {
            title: "z".into(),
            state: widened::TicketState::Blocked,
            level: None,
        }
        .insert(db)
        .await?;
        assert_eq!(widened::Ticket::get(db, blocked.id).await?.state, widened::TicketState::Blocked);
        assert_eq!(Ticket::query().count(db).await?, 5, "the rows stayed");

        // Undoing it removes the label: a row holding it fails the step, nothing lost.
        let refused = migrator.downgrade(db, DowngradeTo::Base).await.expect_err("a row is blocked");
        let text = refused.to_string();
        assert!(text.contains("nothing of it was applied"), "{text}");
        assert_eq!(widened::Ticket::get(db, blocked.id).await?.state, widened::TicketState::Blocked);
        widened::Ticket::delete().filter(widened::Ticket::id.eq(blocked.id)).exec(db).await?;
        migrator.downgrade(db, DowngradeTo::Base).await?;
        let found = Migrator::new(Migrations::default()).check(db, &schema(), &Renames::default()).await?;
        assert!(found.is_empty(), "back to the first labels: {:?}", found.operations);
        let rows: Vec<(String, TicketState)> =
            Ticket::query().order_by(Ticket::id).select((Ticket::title, Ticket::state)).all(db).await?;
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[3], ("d".to_owned(), TicketState::Archived));
        ticket(db, "w", TicketState::Waiting, None).await?;
        Ok(())
    }
}
