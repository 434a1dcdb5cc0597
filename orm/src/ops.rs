//! Methods on models and `New<Model>` structs, for every model at once.

use orm_core::error::Result;
use orm_core::{Executor, Model, NewModel, crud};

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
}

impl<N: NewModel> NewModelExt for N {}
