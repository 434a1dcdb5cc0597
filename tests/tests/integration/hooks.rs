//! Lifecycle hooks (`#[orm(hooks)]` + `impl orm::Hooks`): `before_insert` normalises and
//! fills a row (before validation sees it), `before_update` runs on `save` and
//! `Tracked::save`, `before_delete` refuses a delete, `after_load` runs on every decoded row;
//! the session runs them all on flush; bulk statements do not run them.

use orm::prelude::*;

use crate::backend_tests;

/// A parent whose children are created through its relationship.
#[derive(Model, Debug, Clone)]
#[orm(table = "hk_boards")]
pub struct Board {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(has_many(foreign_key = "board_id"))]
    pub tags: HasMany<Tag>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "hk_tags", hooks)]
pub struct Tag {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Board, on_delete = "cascade", index)]
    pub board_id: Option<i64>,
    #[orm(max_length = 20)]
    pub name: String,
    #[orm(validate(length(min = 1)))]
    pub slug: String,
    pub edits: i32,
    /// Not stored: set by `after_load`.
    #[orm(skip)]
    pub loaded: bool,
}

impl orm::Hooks for Tag {
    fn before_insert(row: &mut NewTag) -> orm::Result<()> {
        if row.name == "forbidden" {
            return Err(orm::Error::InvalidStatement {
                message: "no forbidden tags".into(),
            });
        }
        row.name = row.name.trim().to_lowercase();
        if row.slug.is_empty() {
            row.slug = row.name.replace(' ', "-");
        }
        Ok(())
    }

    fn before_update(&mut self) -> orm::Result<()> {
        self.edits += 1;
        Ok(())
    }

    fn before_delete(&self) -> orm::Result<()> {
        if self.name == "protected" {
            return Err(orm::Error::InvalidStatement {
                message: "the protected tag stays".into(),
            });
        }
        Ok(())
    }

    fn after_load(&mut self) -> orm::Result<()> {
        self.loaded = true;
        Ok(())
    }
}

fn tag(name: &str) -> NewTag {
    NewTag {
        board_id: None,
        name: name.into(),
        slug: String::new(),
        edits: 0,
    }
}

backend_tests! {
    async fn hooks_run_on_single_row_operations(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Board, Tag]).await?;
        // before_insert runs first, then validation on what it left: 22 characters trimmed
        // to 18 pass the max_length of 20, and the empty slug is filled.
        let mut rust = tag("   Rust Programming   ").insert(db).await?;
        assert_eq!((rust.name.as_str(), rust.slug.as_str()), ("rust programming", "rust-programming"));
        assert!(rust.loaded, "after_load ran on the returned row");
        NewTag::insert_many(db, &[tag(" A "), tag("B")]).await?;
        let names: Vec<String> = Tag::query()
            .order_by(Tag::id.asc())
            .all(db)
            .await?
            .into_iter()
            .inspect(|t| assert!(t.loaded))
            .map(|t| t.name)
            .collect();
        assert_eq!(names, ["rust programming", "a", "b"]);

        rust.save(db).await?;
        assert_eq!(rust.edits, 1);
        let mut tracked = orm::Tracked::new(Tag::get(db, rust.id).await?);
        tracked.slug = "rust".into();
        tracked.save(db).await?;
        let stored = Tag::get(db, rust.id).await?;
        assert_eq!((stored.edits, stored.slug.as_str()), (2, "rust"));

        // A child created through a relationship goes through before_insert too.
        let mut board = NewBoard {}.insert(db).await?;
        let child = board.tags.create(db, tag(" Child Tag ")).await?;
        assert_eq!((child.name.as_str(), child.slug.as_str()), ("child tag", "child-tag"));

        let protected = tag("Protected").insert(db).await?;
        let refused = protected.delete(db).await.expect_err("refused by the hook");
        assert!(refused.to_string().contains("protected tag stays"), "{refused}");
        assert!(Tag::get(db, protected.id).await.is_ok(), "still there");
        Ok(())
    }

    async fn bulk_statements_do_not_run_hooks(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Board, Tag]).await?;
        // No before_insert: the slug stays empty, and validation refuses it.
        let refused = orm::insert([tag(" Raw ")]).exec(db).await.expect_err("empty slug");
        assert_eq!(refused.kind(), ErrorKind::Validation);
        orm::insert([NewTag { slug: "raw".into(), ..tag(" Raw ") }]).exec(db).await?;
        let raw = Tag::query().one(db).await?;
        assert_eq!(raw.name, " Raw ", "the builder inserts rows as given");
        Tag::update().all_rows().set(Tag::name, "protected").exec(db).await?;
        Tag::delete().all_rows().exec(db).await?;
        assert_eq!(Tag::query().count(db).await?, 0, "a bulk delete runs no before_delete");
        Ok(())
    }

    async fn the_session_runs_after_load_before_update_and_before_delete(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Board, Tag]).await?;
        let protected = tag("protected").insert(db).await?;
        let other = tag("other").insert(db).await?;
        let mut s = db.session().await?;
        let edited = s.get::<Tag>(other.id).await?;
        s[edited].slug = "renamed".into();
        s.flush().await?;
        let held = s[edited].edits;
        s.commit().await?;
        assert_eq!(Tag::get(db, other.id).await?.edits, 1, "before_update ran on the flush");
        assert_eq!(held, 1, "the session holds the row written");
        let mut s = db.session().await?;
        let handle = s.get::<Tag>(protected.id).await?;
        assert!(s[handle].loaded);
        s.delete(handle)?;
        let refused = s.flush().await.expect_err("before_delete refuses");
        assert!(refused.to_string().contains("protected tag stays"), "{refused}");
        drop(s);
        assert!(Tag::get(db, protected.id).await.is_ok());
        Ok(())
    }

    async fn the_session_runs_before_insert_on_each_flush(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Board, Tag]).await?;
        let mut s = db.session().await?;
        let board = s.add(NewBoard {});
        let idea = s.add(tag("  Big Idea "));
        let child = s.add_child(board, Board::tags, tag(" Child"))?;
        let forbidden = s.add(tag("forbidden"));
        let refused = s.flush().await.expect_err("before_insert refuses one row");
        assert!(refused.to_string().contains("no forbidden tags"), "{refused}");
        assert!(s.is_pending(idea)? && s.is_pending(child)?, "nothing was inserted");
        s.delete(forbidden)?;
        s.flush().await?;
        assert_eq!((s[idea].name.as_str(), s[idea].slug.as_str()), ("big idea", "big-idea"));
        assert_eq!(s[child].name, "child");
        assert_eq!(s[child].board_id, Some(s[board].id));
        s.commit().await?;
        let mut names: Vec<String> = Tag::query().select(Tag::name).all(db).await?;
        names.sort();
        assert_eq!(names, ["big idea", "child"]);
        Ok(())
    }
}
