//! `#[derive(DbEnum)]`: enums stored as text on both backends, with the CHECK that lists
//! their values, typed filters, NULL through `Option`, a decode error that names an unknown
//! value, and a changed list of values that the migration diff sees.

use orm::migrate::{Operation, Renames, Snapshot, diff};
use orm::prelude::*;

use crate::backend_tests;

/// Stored in `snake_case` by default; one variant renamed.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Todo,
    InProgress,
    #[orm(rename = "finished")]
    Done,
}

/// Stored in upper case.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[orm(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Priority {
    Low,
    VeryHigh,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "enum_tasks")]
pub struct Task {
    #[orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub priority: Option<Priority>,
}

mod widened {
    use orm::prelude::*;

    /// `Status` with one more value.
    #[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Status {
        Todo,
        InProgress,
        #[orm(rename = "finished")]
        Done,
        Blocked,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[orm(table = "enum_tasks")]
    pub struct Task {
        #[orm(primary_key)]
        pub id: i64,
        pub title: String,
        pub status: Status,
        pub priority: Option<super::Priority>,
    }
}

async fn seed(db: &Database) -> Result<Vec<Task>> {
    db.create_all(&schema![Task]).await?;
    let mut tasks = Vec::new();
    for (title, status, priority) in [
        ("a", Status::Todo, Some(Priority::Low)),
        ("b", Status::InProgress, Some(Priority::VeryHigh)),
        ("c", Status::Done, None),
    ] {
        let new = NewTask {
            title: title.into(),
            status,
            priority,
        };
        tasks.push(new.insert(db).await?);
    }
    Ok(tasks)
}

backend_tests! {
    async fn enums_round_trip_and_filter(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let tasks = seed(db).await?;
        let all = Task::query().order_by(Task::id.asc()).all(db).await?;
        assert_eq!(all, tasks);
        let open = Task::query()
            .filter(Task::status.in_list([Status::Todo, Status::InProgress]))
            .order_by(Task::id.asc())
            .all(db)
            .await?;
        assert_eq!(open.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        let done = Task::query().filter(Task::status.eq(Status::Done)).one(db).await?;
        assert_eq!(done.title, "c");
        let urgent = Task::query()
            .filter(Task::priority.eq(Priority::VeryHigh))
            .one(db)
            .await?;
        assert_eq!(urgent.title, "b");
        let unprioritized = Task::query().filter(Task::priority.is_null()).count(db).await?;
        assert_eq!(unprioritized, 1);
        // Stored as the text each variant maps to.
        let stored: Vec<(String, Option<String>)> =
            orm::raw("SELECT status, priority FROM enum_tasks ORDER BY id").fetch_as(db).await?;
        assert_eq!(
            stored,
            [
                ("todo".to_owned(), Some("LOW".to_owned())),
                ("in_progress".to_owned(), Some("VERY_HIGH".to_owned())),
                ("finished".to_owned(), None),
            ]
        );
        Ok(())
    }

    async fn a_value_outside_the_enum_is_refused_and_named(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let refused = orm::raw(
            "INSERT INTO enum_tasks (title, status) VALUES ('x', 'someday')",
        )
        .execute(db)
        .await
        .expect_err("the CHECK refuses it");
        assert_eq!(refused.kind(), ErrorKind::CheckViolation, "{refused}");
        assert_eq!(Task::query().count(db).await?, 3, "nothing written");
        // Read from elsewhere, an unknown value is a decode error that names it.
        let error = orm::raw("SELECT 'someday'")
            .fetch_as::<(Status,)>(db)
            .await
            .expect_err("not a Status");
        let text = error.to_string();
        assert!(text.contains("someday") && text.contains("todo, in_progress, finished"), "{text}");
        Ok(())
    }

    async fn a_changed_list_of_values_is_a_changed_check(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Task]).await?;
        let migrator = orm::migrate::Migrator::new(orm::migrate::Migrations::default());
        assert!(migrator.check(db, &schema![Task], &Renames::default()).await?.is_empty());
        let found = migrator
            .check(db, &schema![widened::Task], &Renames::default())
            .await?;
        let kinds: Vec<&str> = found
            .operations
            .iter()
            .map(|op| match op {
                Operation::DropCheck { .. } => "drop check",
                Operation::AddCheck { .. } => "add check",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["drop check", "add check"], "{:?}", found.operations);
        // The models alone say the same.
        let before = Snapshot::from_schema(&schema![Task], &[db.dialect()])?;
        let after = Snapshot::from_schema(&schema![widened::Task], &[db.dialect()])?;
        assert_eq!(diff(&before, &after, db.dialect(), &Renames::default())?.operations.len(), 2);
        Ok(())
    }
}
