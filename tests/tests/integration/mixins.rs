//! Mixins (`#[derive(Mixin)]` + `#[orm(flatten)]`): one column group flattened into several
//! models, two mixins in one model, a mixin declared in another module whose field types are
//! not in scope where the model is; columns created, read back by the migration tooling,
//! filtered and ordered through the model's handles, filled by `created_at` / `updated_at`,
//! validated, and written back by `save`.

use orm::migrate::{Migrations, Migrator, Renames};
use orm::prelude::*;

use crate::backend_tests;

#[derive(Mixin, Debug, Clone, PartialEq)]
pub struct Timestamps {
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

/// Declared apart: `Origin` is not imported where the models are.
pub mod audit {
    use orm::prelude::*;

    #[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Origin {
        Web,
        Import,
    }

    /// Who wrote a row, and how.
    #[derive(Mixin, Debug, Clone, PartialEq)]
    pub struct Audit {
        #[orm(max_length = 20, validate(length(min = 1)), index)]
        pub created_by: String,
        pub origin: Origin,
        pub note: Option<String>,
    }
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "mx_articles")]
pub struct Article {
    #[orm(primary_key)]
    pub id: i64,
    pub title: String,
    #[orm(flatten)]
    pub stamps: Timestamps,
    #[orm(flatten)]
    pub audit: audit::Audit,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "mx_notes")]
pub struct Note {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(flatten)]
    pub stamps: Timestamps,
    pub body: String,
}

fn article(title: &str, by: &str) -> NewArticle {
    NewArticle {
        title: title.into(),
        created_by: by.into(),
        origin: audit::Origin::Web,
        note: None,
    }
}

backend_tests! {
    async fn mixin_columns_are_model_columns(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let schema = schema![Article, Note];
        db.create_all(&schema).await?;
        let found = Migrator::new(Migrations::default())
            .check(db, &schema, &Renames::default())
            .await?;
        assert!(found.is_empty(), "read back differently: {:?}", found.operations);
        let names: Vec<&str> = Article::TABLE.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, ["id", "title", "created_at", "updated_at", "created_by", "origin", "note"]);

        let before = Utc::now() - chrono::Duration::seconds(5);
        let first = article("one", "ann").insert(db).await?;
        assert!(first.stamps.created_at > before, "created_at filled");
        assert_eq!(first.stamps.created_at, first.stamps.updated_at);
        assert_eq!((first.audit.created_by.as_str(), first.audit.origin), ("ann", audit::Origin::Web));
        let mut second = NewArticle { note: Some("n".into()), origin: audit::Origin::Import, ..article("two", "bob") }
            .insert(db)
            .await?;
        let note = NewNote { body: "hi".into() }.insert(db).await?;
        assert!(note.stamps.created_at > before, "the mixin serves another model too");

        let by_bob = Article::query().filter(Article::created_by.eq("bob")).one(db).await?;
        assert_eq!(by_bob, second);
        let imported = Article::query()
            .filter(Article::origin.eq(audit::Origin::Import).and(Article::note.is_not_null()))
            .count(db)
            .await?;
        assert_eq!(imported, 1);
        let newest_first: Vec<String> = Article::query()
            .order_by(Article::created_at.desc())
            .order_by(Article::id.desc())
            .select(Article::title)
            .all(db)
            .await?;
        assert_eq!(newest_first, ["two", "one"]);

        // save writes the mixin's fields and bumps its updated_at.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        second.audit.note = None;
        second.save(db).await?;
        assert!(second.stamps.updated_at > second.stamps.created_at, "updated_at bumped");
        assert_eq!(Article::get(db, second.id).await?, second);
        Ok(())
    }

    async fn mixin_columns_are_validated(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Article, Note]).await?;
        let empty = article("x", "").insert(db).await.expect_err("created_by too short");
        assert_eq!(empty.kind(), ErrorKind::Validation, "{empty}");
        assert!(empty.to_string().contains("created_by"), "{empty}");
        let long = article("x", &"z".repeat(21)).insert(db).await.expect_err("too long");
        assert_eq!(long.kind(), ErrorKind::Validation, "{long}");
        assert_eq!(Article::query().count(db).await?, 0);
        Ok(())
    }
}
