//! Methods on models and `New<Model>` structs, for every model at once.

use orm_core::error::Result;
use orm_core::{Executor, GeneratedKey, Model, NewModel, WithKey, crud};

/// Methods on a loaded model: `user.save(&db)`, `user.delete(&db)`.
pub trait ModelExt: Model {
    /// Write every column of this row (by key), bump `updated_at`, and refresh `self` from
    /// the stored row. `Error::NotFound` when the row no longer exists.
    fn save<E: Executor>(&mut self, db: E) -> impl Future<Output = Result<()>> + Send {
        crud::save(db, self)
    }

    /// Delete this row (by key). `Error::NotFound` when it does not exist.
    fn delete<E: Executor>(&self, db: E) -> impl Future<Output = Result<()>> + Send {
        crud::delete(db, self)
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
