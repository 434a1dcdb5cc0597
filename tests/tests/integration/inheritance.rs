//! Single-table inheritance: `Staff` is an enum whose variants `Engineer` and `Manager` are
//! models stored in one table, `sti_staff`, told apart by its `kind` column. The enum reads
//! every row as its variant; a variant reads, writes and deletes its own rows only, whatever
//! path it takes (queries, `get`, writes by key, bulk update and delete, joins, relationship
//! loads in both directions).

use orm::migrate::{Migrations, Migrator, Renames};
use orm::prelude::*;

use crate::{Target, backend_tests};

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "sti_departments")]
pub struct Department {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(has_many(foreign_key = "department_id"))]
    pub engineers: HasMany<Engineer>,
    #[orm(has_many(foreign_key = "department_id"))]
    pub managers: HasMany<Manager>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "sti_staff", discriminator = "kind")]
pub enum Staff {
    Engineer(Engineer),
    #[orm(value = "boss")]
    Manager(Manager),
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "sti_staff", inherits = Staff)]
pub struct Engineer {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(references = Department, on_delete = "set null")]
    pub department_id: Option<i64>,
    /// Only engineers have one; required of every engineer.
    #[orm(index)]
    pub language: String,
    #[orm(belongs_to(foreign_key = "department_id"))]
    pub department: BelongsTo<Option<Department>>,
    #[orm(has_many(foreign_key = "assignee_id"))]
    pub tasks: HasMany<Task>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "sti_staff", inherits = Staff)]
pub struct Manager {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(references = Department, on_delete = "set null")]
    pub department_id: Option<i64>,
    pub reports: i32,
    #[orm(numeric(12, 2))]
    pub budget: Option<Decimal>,
    #[orm(belongs_to(foreign_key = "department_id"))]
    pub department: BelongsTo<Option<Department>>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "sti_tasks")]
pub struct Task {
    #[orm(primary_key)]
    pub id: i64,
    pub title: String,
    #[orm(references = Staff, on_delete = "cascade")]
    pub assignee_id: i64,
    #[orm(belongs_to(foreign_key = "assignee_id"))]
    pub assignee: BelongsTo<Staff>,
}

/// An inheritance whose variants soft-delete (the column shared) and keep a version.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "sti_pets")]
pub enum Pet {
    Dog(Dog),
    Cat(Cat),
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "sti_pets", inherits = Pet)]
pub struct Dog {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub good: bool,
    #[orm(version)]
    pub version: i64,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "sti_pets", inherits = Pet)]
pub struct Cat {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub lives: i16,
    #[orm(version)]
    pub version: i64,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

fn schema() -> Schema {
    schema![Department, Staff, Task]
}

/// A department with an engineer and a manager of the same name, and a task for each.
struct Seed {
    department: Department,
    engineer: Engineer,
    manager: Manager,
}

async fn seed(db: &Database) -> Result<Seed> {
    db.create_all(&schema()).await?;
    let department = NewDepartment {
        name: "core".into(),
    }
    .insert(db)
    .await?;
    let engineer = NewEngineer {
        name: "Ada".into(),
        department_id: Some(department.id),
        language: "rust".into(),
    }
    .insert(db)
    .await?;
    let manager = NewManager {
        name: "Ada".into(),
        department_id: Some(department.id),
        reports: 3,
        budget: Some(Decimal::new(125_050, 2)),
    }
    .insert(db)
    .await?;
    for (title, assignee) in [("build", engineer.id), ("plan", manager.id)] {
        NewTask {
            title: title.into(),
            assignee_id: assignee,
        }
        .insert(db)
        .await?;
    }
    Ok(Seed {
        department,
        engineer,
        manager,
    })
}

backend_tests! {
    async fn inheritance_reads_each_row_as_its_variant(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let Seed { engineer, manager, .. } = seed(db).await?;
        assert_eq!(engineer.language, "rust");
        assert_eq!(manager.reports, 3);

        let everyone = Staff::query().order_by(Engineer::id).all(db).await?;
        assert_eq!(
            everyone,
            vec![Staff::Engineer(engineer.clone()), Staff::Manager(manager.clone())]
        );
        assert_eq!(everyone[1].discriminator(), "boss");
        assert_eq!(Staff::get(db, manager.id).await?, Staff::Manager(manager.clone()));
        assert_eq!(Staff::find(engineer.id).one(db).await?, Staff::Engineer(engineer.clone()));

        // A variant sees its own rows only, by every read path.
        assert_eq!(Engineer::query().all(db).await?, vec![engineer.clone()]);
        assert_eq!(Manager::query().count(db).await?, 1);
        let err = Engineer::get(db, manager.id).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(Manager::find(engineer.id).optional(db).await?, None);
        let named = Engineer::query().filter(Engineer::name.eq("Ada")).all(db).await?;
        assert_eq!(named, vec![engineer.clone()]);

        // The enum's query takes any variant's columns.
        let big = Staff::query().filter(Manager::reports.gt(2)).all(db).await?;
        assert_eq!(big, vec![Staff::Manager(manager.clone())]);
        let rustaceans = Staff::query().filter(Engineer::language.eq("rust")).all(db).await?;
        assert_eq!(rustaceans, vec![Staff::Engineer(engineer.clone())]);

        // The enum converts to and from its variants.
        assert_eq!(Staff::from(engineer.clone()), everyone[0]);
        assert_eq!(Manager::try_from(everyone[1].clone()), Ok(manager.clone()));
        assert!(Manager::try_from(everyone[0].clone()).is_err());
        Ok(())
    }

    async fn inheritance_writes_change_one_variant(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let Seed { mut engineer, manager, .. } = seed(db).await?;

        // Bulk update and delete of a variant leave the other variant's rows alone, though
        // both match the filter.
        let renamed = Engineer::update()
            .filter(Engineer::name.eq("Ada"))
            .set(Engineer::name, "Ada L.")
            .exec(db)
            .await?;
        assert_eq!(renamed, 1);
        assert_eq!(Manager::get(db, manager.id).await?.name, "Ada");

        // Writes by key: a variant's key filter names its value too.
        engineer.language = "ocaml".into();
        engineer.save(db).await?;
        assert_eq!(Engineer::get(db, engineer.id).await?.language, "ocaml");
        let mut impostor = engineer.clone();
        impostor.id = manager.id;
        let err = impostor.save(db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        let err = impostor.delete(db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(Manager::get(db, manager.id).await?, manager);

        // The enum writes through whichever variant it holds.
        let mut boss = Staff::get(db, manager.id).await?;
        if let Staff::Manager(m) = &mut boss {
            m.reports = 5;
        }
        boss.save(db).await?;
        assert_eq!(Manager::get(db, manager.id).await?.reports, 5);
        assert_eq!(Staff::query().count(db).await?, 2);

        // An upsert of a variant updates a row in its way only if the row is of the variant.
        let upsert = |id: i64| {
            orm::insert([NewEngineer {
                name: "Upserted".into(),
                department_id: None,
                language: "go".into(),
            }
            .with_key(id)])
            .on_conflict(Engineer::id)
            .do_update(Engineer::name, orm::expr::excluded(Engineer::name))
        };
        assert_eq!(upsert(manager.id).exec(db).await?, 0);
        assert_eq!(Manager::get(db, manager.id).await?.name, "Ada");
        assert_eq!(upsert(engineer.id).exec(db).await?, 1);
        assert_eq!(Engineer::get(db, engineer.id).await?.name, "Upserted");

        let removed = Manager::delete().filter(Manager::name.like("Ada%")).exec(db).await?;
        assert_eq!(removed, 1);
        assert_eq!(Staff::query().all(db).await?.len(), 1);
        assert_eq!(Engineer::query().count(db).await?, 1);

        // Many rows of a variant at once write its discriminator too.
        NewEngineer::insert_many(
            db,
            &[
                NewEngineer { name: "Grace".into(), department_id: None, language: "cobol".into() },
                NewEngineer { name: "Linus".into(), department_id: None, language: "c".into() },
            ],
        )
        .await?;
        assert_eq!(Engineer::query().count(db).await?, 3);
        let everyone = Staff::query().all(db).await?;
        assert!(everyone.iter().all(|s| matches!(s, Staff::Engineer(_))));
        Ok(())
    }

    async fn inheritance_relationships_load_variants(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let Seed { department, engineer, manager } = seed(db).await?;

        // belongs_to the enum (joined in the same statement): each task's assignee as its
        // variant.
        let (tasks, log) = orm::guard::count_statements(
            Task::query().order_by(Task::id).with(Task::assignee).all(db),
        )
        .await;
        log.assert_count(1);
        let tasks = tasks?;
        assert_eq!(tasks[0].assignee.get()?, &Staff::Engineer(engineer.clone()));
        assert_eq!(tasks[1].assignee.get()?, &Staff::Manager(manager.clone()));

        // has_many to variants: the same foreign key, each relationship its variant's rows.
        let (departments, log) = orm::guard::count_statements(
            Department::query().with(Department::engineers).with(Department::managers).all(db),
        )
        .await;
        log.assert_count(3);
        let departments = departments?;
        assert_eq!(departments[0].id, department.id);
        assert_eq!(departments[0].engineers.get()?, &[engineer.clone()][..]);
        assert_eq!(departments[0].managers.get()?, &[manager.clone()][..]);

        // A variant's own relationships, both ways.
        let engineers = Engineer::query()
            .with(Engineer::tasks)
            .with(Engineer::department)
            .all(db)
            .await?;
        assert_eq!(engineers[0].tasks.get()?.len(), 1);
        assert_eq!(engineers[0].tasks.get()?[0].title, "build");
        assert_eq!(engineers[0].department.get()?.map(|d| d.id), Some(department.id));

        // A variant's relationship loaded on a query of the enum: its rows get it, in one
        // statement; the other variant's rows are left alone.
        let (everyone, log) = orm::guard::count_statements(
            Staff::query()
                .order_by(Engineer::id)
                .with(Engineer::tasks.on_variant())
                .with(Manager::department.on_variant())
                .all(db),
        )
        .await;
        log.assert_count(3);
        let everyone = everyone?;
        let (Staff::Engineer(ada), Staff::Manager(boss)) = (&everyone[0], &everyone[1]) else {
            panic!("an engineer then a manager: {everyone:?}");
        };
        assert_eq!(ada.tasks.get()?.len(), 1);
        assert_eq!(ada.tasks.get()?[0].title, "build");
        assert_eq!(ada.department.get().unwrap_err().kind(), ErrorKind::NotLoaded);
        assert_eq!(boss.department.get()?.map(|d| d.id), Some(department.id));

                // A join to a variant keeps the other variant's rows out.
        let titles: Vec<Task> = Task::query()
            .join(Task::assignee)
            .filter(Engineer::language.eq("rust"))
            .all(db)
            .await?;
        assert_eq!(titles.len(), 1);
        let joined = Task::query().join(Engineer::TABLE).select(Task::title).all(db).await?;
        assert_eq!(joined, ["build".to_string()]);
        let joined = Task::query().left_join(Manager::TABLE).filter(Manager::id.nullable().is_null());
        assert_eq!(joined.select(Task::title).all(db).await?, ["build".to_string()]);
        Ok(())
    }

    async fn inheritance_variants_and_the_enum_go_through_a_session(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let Seed { engineer, .. } = seed(db).await?;
        let mut s = db.session().await?;
        let grace = s.add(NewManager {
            name: "Grace".into(),
            department_id: None,
            reports: 1,
            budget: None,
        });
        s.flush().await?;
        s[grace].reports = 2;
        let ada = s.get::<Staff>(engineer.id).await?;
        if let Staff::Engineer(e) = &mut s[ada] {
            e.language = "zig".into();
        }
        s.flush().await?;
        s.commit().await?;
        let managers = Manager::query().filter(Manager::name.eq("Grace")).all(db).await?;
        assert_eq!(managers.len(), 1);
        assert_eq!(managers[0].reports, 2);
        assert_eq!(Engineer::get(db, engineer.id).await?.language, "zig");
        Ok(())
    }

    async fn inheritance_variants_soft_delete_and_lock_optimistically(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Pet]).await?;
        let rex = NewDog { name: "Rex".into(), good: true }.insert(db).await?;
        let tom = NewCat { name: "Tom".into(), lives: 9 }.insert(db).await?;
        rex.delete(db).await?;
        assert_eq!(Pet::query().all(db).await?, vec![Pet::Cat(tom.clone())]);
        assert_eq!(Dog::query().count(db).await?, 0);
        let trash = Pet::query().only_deleted().all(db).await?;
        assert!(matches!(&trash[..], [Pet::Dog(d)] if d.id == rex.id && d.deleted_at.is_some()));
        let mut back = trash[0].clone();
        back.restore(db).await?;
        assert_eq!(Dog::get(db, rex.id).await?.deleted_at, None);
        assert_eq!(Pet::query().with_deleted().count(db).await?, 2);
        // A stale copy of a variant is refused, through the variant and through the enum.
        let mut stale = Pet::Cat(tom.clone());
        let mut fresh = Cat::get(db, tom.id).await?;
        fresh.lives = 8;
        fresh.save(db).await?;
        if let Pet::Cat(c) = &mut stale {
            c.lives = 7;
        }
        assert_eq!(stale.save(db).await.unwrap_err().kind(), ErrorKind::StaleObject);
        assert_eq!(Cat::get(db, tom.id).await?.lives, 8);
        Ok(())
    }

    async fn inheritance_schema_is_the_enums(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        // The discriminator's values are checked by the database.
        let err = orm::raw("UPDATE sti_staff SET kind = 'intern'")
            .execute(db)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CheckViolation);
        // A variant's columns are required in its rows, though the table lets them be NULL.
        let err = orm::raw("UPDATE sti_staff SET reports = NULL WHERE kind = 'boss'")
            .execute(db)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CheckViolation);
        orm::raw("UPDATE sti_staff SET reports = NULL WHERE kind = 'engineer'").execute(db).await?;
        // The table as created is the table the models describe.
        let found = Migrator::new(Migrations::default())
            .check(db, &schema(), &Renames::default())
            .await?;
        assert!(found.is_empty(), "read back differently: {:?}", found.operations);
        // A row whose discriminator names no variant (written past the checks) is a decode
        // error naming the value and the variants'.
        let tx = db.begin().await?;
        if t.target == Target::Postgres {
            orm::raw(
                "DO $$ DECLARE c text; BEGIN FOR c IN SELECT conname FROM pg_constraint \
                 WHERE conrelid = 'sti_staff'::regclass AND contype = 'c' LOOP \
                 EXECUTE format('ALTER TABLE sti_staff DROP CONSTRAINT %I', c); END LOOP; END $$",
            )
            .execute(&tx)
            .await?;
        } else {
            orm::raw("PRAGMA ignore_check_constraints = ON").execute(&tx).await?;
        }
        orm::raw("UPDATE sti_staff SET kind = 'intern' WHERE kind = 'engineer'").execute(&tx).await?;
        let err = Staff::query().all(&tx).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        let text = err.to_string();
        assert!(text.contains("`intern`") && text.contains("engineer, boss"), "{text}");
        tx.rollback().await?;
        // A variant is not a table of its own.
        let err = db.create_all(&schema![Engineer]).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidSchema);
        Ok(())
    }
}
