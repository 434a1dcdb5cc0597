//! Methods on models and `New<Model>` structs, for every model at once.

use orm_core::error::Result;
use orm_core::executor::BoxFuture;
use orm_core::{Executor, GeneratedKey, Model, NewModel, SoftDelete, WithKey, crud};

/// Methods on a loaded model: `user.save(&db)`, `user.delete(&db)`.
///
/// On a model with an `#[orm(version)]` column each of them expects the row at the version
/// `self` holds and bumps it: a row someone else changed meanwhile is
/// `Error::StaleObject`, and nothing is written.
pub trait ModelExt: Model {
    /// Write every column of this row (by key), bump `updated_at` (and the version), and
    /// refresh `self` from the stored row. `Error::NotFound` when the row no longer exists.
    /// The soft-delete column is left alone (`delete` / `restore` set it).
    ///
    /// ```
    /// use orm::prelude::*;
    ///
    /// #[derive(Model, Debug, Clone)]
    /// pub struct Page {
    ///     #[orm(primary_key)]
    ///     pub id: i64,
    ///     pub text: String,
    ///     #[orm(version)]
    ///     pub version: i64,
    /// }
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let db = Database::connect("sqlite::memory:").await?;
    /// db.create_all(&schema![Page]).await?;
    /// let page = NewPage { text: "v1".into() }.insert(&db).await?;
    /// let (mut mine, mut theirs) = (page.clone(), page);
    /// theirs.text = "their edit".into();
    /// theirs.save(&db).await?;
    /// assert_eq!(theirs.version, 2);
    /// mine.text = "my edit".into();
    /// let lost = mine.save(&db).await.unwrap_err();
    /// assert_eq!(lost.kind(), ErrorKind::StaleObject); // nothing written
    /// assert_eq!(Page::get(&db, mine.id).await?.text, "their edit");
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    fn save<E: Executor>(&mut self, db: E) -> impl Future<Output = Result<()>> + Send {
        crud::save(db, self)
    }

    /// Delete this row (by key): on a model with an `#[orm(soft_delete)]` column, set that
    /// column (with the children its relationships cascade to), so reads hide the row;
    /// otherwise remove it. `Error::NotFound` when there is no such (live) row.
    fn delete<E: Executor>(&self, db: E) -> impl Future<Output = Result<()>> + Send {
        crud::delete(db, self)
    }

    /// Remove this row, even on a model that soft-deletes (deleted or not).
    /// `Error::NotFound` when it does not exist.
    fn force_delete<E: Executor>(&self, db: E) -> impl Future<Output = Result<()>> + Send {
        crud::force_delete(db, self)
    }

    /// Clear this soft-deleted row's soft-delete column so reads see it again, and refresh
    /// `self` from the stored row (children soft-deleted with it stay deleted).
    ///
    /// ```
    /// use orm::prelude::*;
    ///
    /// #[derive(Model, Debug, Clone)]
    /// pub struct Note {
    ///     #[orm(primary_key)]
    ///     pub id: i64,
    ///     pub text: String,
    ///     #[orm(soft_delete)]
    ///     pub deleted_at: Option<DateTime<Utc>>,
    /// }
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let db = Database::connect("sqlite::memory:").await?;
    /// db.create_all(&schema![Note]).await?;
    /// let mut note = NewNote { text: "draft".into() }.insert(&db).await?;
    /// note.delete(&db).await?;
    /// assert_eq!(Note::query().count(&db).await?, 0, "hidden");
    /// assert_eq!(Note::query().only_deleted().count(&db).await?, 1, "in the trash");
    /// note.restore(&db).await?;
    /// assert!(note.deleted_at.is_none());
    /// assert_eq!(Note::query().count(&db).await?, 1);
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    // Boxed so that calling it on a model without a soft-delete column is one error (an
    // opaque future would repeat it at the call, the future and the `.await`).
    fn restore<'a, E: Executor + 'a>(&'a mut self, db: E) -> BoxFuture<'a, Result<()>>
    where
        Self: SoftDelete,
    {
        Box::pin(crud::restore(db, self))
    }
}

impl<M: Model> ModelExt for M {}

/// Methods on generated `New<Model>` structs: `new_user.insert(&db)`.
pub trait NewModelExt: NewModel + Sized {
    /// Insert this row and return it as stored (generated keys and defaults filled in).
    fn insert<E: Executor>(&self, db: E) -> impl Future<Output = Result<Self::Model>> + Send {
        crud::insert(db, self)
    }

    /// Insert many rows in multi-row statements under the backend's bind limit, all or
    /// nothing; returns how many rows were inserted.
    fn insert_many<E: Executor>(db: E, rows: &[Self]) -> impl Future<Output = Result<u64>> + Send {
        crud::insert_many(db, rows)
    }

    /// This row with its generated key given explicitly — `Some(key)` or just `key` — or
    /// not (`None`: generated as usual), for loading fixtures, restoring a backup or copying
    /// rows from another system. Insert it like any `New<Model>`; on PostgreSQL the key's
    /// sequence first moves past it, so keys generated later do not collide.
    ///
    /// Only for models whose key is generated (a single `i16`/`i32`/`i64` key not marked
    /// `auto = false`, or a `Uuid` key); other keys are fields of `New<Model>` already.
    ///
    /// ```
    /// use orm::prelude::*;
    ///
    /// #[derive(Model, Debug, Clone)]
    /// #[orm(table = "users")]
    /// pub struct User {
    ///     #[orm(primary_key)]
    ///     pub id: i64,
    ///     pub name: String,
    /// }
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let db = Database::connect("sqlite::memory:").await?;
    /// db.create_all(&schema![User]).await?;
    /// let old = NewUser { name: "from the backup".into() }.with_key(1000).insert(&db).await?;
    /// assert_eq!(old.id, 1000);
    /// let next = NewUser { name: "new".into() }.insert(&db).await?;
    /// assert!(next.id > 1000, "generated keys move past explicit ones");
    ///
    /// // One bulk insert may mix rows with and without keys.
    /// let rows = vec![
    ///     NewUser { name: "a".into() }.with_key(5000),
    ///     NewUser { name: "b".into() }.with_key(None),
    /// ];
    /// assert_eq!(WithKey::insert_many(&db, &rows).await?, 2);
    /// # Ok::<(), orm::Error>(()) }).unwrap();
    /// ```
    fn with_key(self, key: impl Into<Option<<Self as GeneratedKey>::Key>>) -> WithKey<Self>
    where
        Self: GeneratedKey,
    {
        WithKey::new(self, key)
    }
}

impl<N: NewModel> NewModelExt for N {}
