//! The objects of one model in a unit of work (pending, loaded, deleted), its identity map,
//! and the type-erased interface ([`Store`]) through which a flush reads and writes them.

use std::any::Any;
use std::collections::HashMap;

use super::batch::{Matching, correlate, insert_chunks};
use super::identity::IdentityKey;
use crate::crud;
use crate::error::{Error, Result};
use crate::executor::{BoxFuture, DynExecutor, Executor};
use crate::meta::TableMeta;
use crate::model::Model;
use crate::relation::{KeyValue, RelationMeta};
use crate::select::model_columns;
use crate::selection::ModelDecoder;
use crate::value::{SqlType, Value};

/// Where an object is: its table's index in the unit of work and its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Place {
    pub(super) table: usize,
    pub(super) index: usize,
}

/// A model boxed for the trip through the type-erased flush.
pub(super) type AnyModel = Box<dyn Any + Send + Sync>;

/// A child added through its parent: its foreign key is set from the parent's key at flush.
pub(super) struct ParentLink {
    pub(super) parent: Place,
    /// The foreign key's position among the row's columns, and its type.
    pub(super) column: usize,
    pub(super) ty: SqlType,
    pub(super) relation: &'static RelationMeta,
    /// The parent's matched key (the relationship's `parent_key`, on the parent model).
    pub(super) parent_key: ParentKey,
}

/// A relationship's `parent_key` function, on a type-erased parent.
pub(super) type ParentKey = Box<dyn Fn(&dyn Any) -> Option<KeyValue> + Send + Sync>;

/// An added object, not inserted yet: the values its `New<Model>` gave.
pub(super) struct Pending {
    pub(super) columns: Vec<&'static str>,
    pub(super) values: Vec<Value>,
    pub(super) link: Option<ParentLink>,
    /// For a model with hooks: the values after `before_insert`, which runs on the row as
    /// added each time a flush inserts it (an error fails that flush).
    pub(super) hook: Option<InsertHook>,
}

/// Run `before_insert` on an added row: its values as the hook leaves them.
pub(super) type InsertHook = Box<dyn Fn() -> Result<Vec<Value>> + Send + Sync>;

/// An object read from the database (or flushed), with its column values as stored.
pub(super) struct Loaded<M> {
    pub(super) model: M,
    pub(super) snapshot: Vec<Value>,
    pub(super) key: IdentityKey,
    /// Marked for deletion by the next flush.
    pub(super) doomed: bool,
}

/// One object of a table, by its state.
pub(super) enum Slot<M> {
    Pending(Pending),
    Loaded(Loaded<M>),
    /// Deleted (flushed), or removed before it was ever inserted.
    Deleted,
}

/// What an object is, as the flush planner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Pending,
    Loaded,
    Deleted,
}

/// The objects of one model.
pub(super) struct Table<M> {
    pub(super) slots: Vec<Slot<M>>,
    pub(super) identity: HashMap<IdentityKey, usize>,
}

impl<M: Model> Table<M> {
    pub(super) fn new() -> Self {
        Table {
            slots: Vec::new(),
            identity: HashMap::new(),
        }
    }

    pub(super) fn loaded(&self, index: usize) -> Option<&Loaded<M>> {
        match self.slots.get(index) {
            Some(Slot::Loaded(loaded)) if !loaded.doomed => Some(loaded),
            _ => None,
        }
    }

    /// The stored object `model`: a new slot, or `index` refreshed.
    pub(super) fn store(&mut self, index: Option<usize>, model: M) -> usize {
        let snapshot = model.column_values();
        let key = IdentityKey::new(&M::key_values(&model.key()));
        let index = index.unwrap_or(self.slots.len());
        self.identity.insert(key.clone(), index);
        let slot = Slot::Loaded(Loaded {
            model,
            snapshot,
            key,
            doomed: false,
        });
        match self.slots.get_mut(index) {
            Some(existing) => *existing = slot,
            None => self.slots.push(slot),
        }
        index
    }
}

/// A loaded object whose key field changed cannot be written by key.
fn key_unchanged<M: Model>(loaded: &Loaded<M>) -> Result<()> {
    if IdentityKey::new(&M::key_values(&loaded.model.key())) == loaded.key {
        return Ok(());
    }
    Err(Error::InvalidStatement {
        message: format!(
            "the key of a `{}` object of the session changed; keys cannot be changed \
             through a session (delete the object and add a new one)",
            M::TABLE.name
        ),
    })
}

/// The objects of one model, type-erased so that a flush can walk every model.
pub(super) trait Store: Any + Send + Sync {
    fn meta(&self) -> &'static TableMeta;
    fn state(&self, index: usize) -> State;
    fn pending(&self) -> Vec<(usize, &Pending)>;
    fn pending_row(&self, index: usize) -> Option<&Pending>;
    fn doomed(&self) -> Result<Vec<(usize, &[Value])>>;
    fn changed(&self) -> Result<Vec<usize>>;
    fn has_changes(&self) -> bool;
    /// The loaded model at `index`, for a child's parent key.
    fn model(&self, index: usize) -> Option<&(dyn Any + Send + Sync)>;
    /// Insert `rows` of `columns`; the stored models, in the order of `rows`.
    fn insert<'a>(
        &'a self,
        db: &'a dyn DynExecutor,
        columns: &'a [&'static str],
        rows: Vec<Vec<Value>>,
    ) -> BoxFuture<'a, Result<Vec<AnyModel>>>;
    /// Write the changed columns of the object at `index`; the stored model.
    fn update<'a>(
        &'a self,
        db: &'a dyn DynExecutor,
        index: usize,
    ) -> BoxFuture<'a, Result<Option<AnyModel>>>;
    fn delete<'a>(&'a self, db: &'a dyn DynExecutor, index: usize) -> BoxFuture<'a, Result<()>>;
    /// After a flush: the object at `index` is `model` as stored.
    fn stored(&mut self, index: usize, model: AnyModel);
    /// After a flush: the object at `index` was deleted.
    fn deleted(&mut self, index: usize);
}

impl<M: Model> Store for Table<M> {
    fn meta(&self) -> &'static TableMeta {
        M::TABLE
    }

    fn state(&self, index: usize) -> State {
        match self.slots.get(index) {
            Some(Slot::Pending(_)) => State::Pending,
            Some(Slot::Loaded(loaded)) if !loaded.doomed => State::Loaded,
            _ => State::Deleted,
        }
    }

    fn pending(&self) -> Vec<(usize, &Pending)> {
        let pending = self.slots.iter().enumerate();
        pending
            .filter_map(|(i, slot)| match slot {
                Slot::Pending(pending) => Some((i, pending)),
                _ => None,
            })
            .collect()
    }

    fn pending_row(&self, index: usize) -> Option<&Pending> {
        match self.slots.get(index) {
            Some(Slot::Pending(pending)) => Some(pending),
            _ => None,
        }
    }

    fn doomed(&self) -> Result<Vec<(usize, &[Value])>> {
        let mut out = Vec::new();
        for (i, slot) in self.slots.iter().enumerate() {
            if let Slot::Loaded(loaded) = slot
                && loaded.doomed
            {
                key_unchanged(loaded)?;
                out.push((i, &loaded.snapshot[..]));
            }
        }
        Ok(out)
    }

    fn changed(&self) -> Result<Vec<usize>> {
        let mut out = Vec::new();
        for index in 0..self.slots.len() {
            if let Some(loaded) = self.loaded(index)
                && loaded.model.column_values() != loaded.snapshot
            {
                key_unchanged(loaded)?;
                out.push(index);
            }
        }
        Ok(out)
    }

    fn has_changes(&self) -> bool {
        self.slots.iter().any(|slot| match slot {
            Slot::Pending(_) => true,
            Slot::Loaded(loaded) => {
                loaded.doomed || loaded.model.column_values() != loaded.snapshot
            }
            Slot::Deleted => false,
        })
    }

    fn model(&self, index: usize) -> Option<&(dyn Any + Send + Sync)> {
        self.loaded(index)
            .map(|loaded| &loaded.model as &(dyn Any + Send + Sync))
    }

    fn insert<'a>(
        &'a self,
        db: &'a dyn DynExecutor,
        columns: &'a [&'static str],
        rows: Vec<Vec<Value>>,
    ) -> BoxFuture<'a, Result<Vec<AnyModel>>> {
        Box::pin(async move {
            let models = insert_rows::<M>(db, columns, rows).await?;
            Ok(models
                .into_iter()
                .map(|model| Box::new(model) as AnyModel)
                .collect())
        })
    }

    fn update<'a>(
        &'a self,
        db: &'a dyn DynExecutor,
        index: usize,
    ) -> BoxFuture<'a, Result<Option<AnyModel>>> {
        Box::pin(update_row(db, self.loaded(index)))
    }

    fn delete<'a>(&'a self, db: &'a dyn DynExecutor, index: usize) -> BoxFuture<'a, Result<()>> {
        let doomed = match self.slots.get(index) {
            Some(Slot::Loaded(loaded)) => Some(&loaded.model),
            _ => None,
        };
        Box::pin(delete_row(db, doomed))
    }

    fn stored(&mut self, index: usize, model: AnyModel) {
        if let Ok(model) = model.downcast::<M>() {
            self.store(Some(index), *model);
        }
    }

    fn deleted(&mut self, index: usize) {
        if let Some(slot) = self.slots.get_mut(index) {
            if let Slot::Loaded(loaded) = slot
                && self.identity.get(&loaded.key) == Some(&index)
            {
                self.identity.remove(&loaded.key);
            }
            *slot = Slot::Deleted;
        }
    }
}

/// Write the changed columns of `loaded` (through [`crud::save_changes`], which checks
/// versions); the stored row.
async fn update_row<M: Model>(
    db: &dyn DynExecutor,
    loaded: Option<&Loaded<M>>,
) -> Result<Option<AnyModel>> {
    let Some(loaded) = loaded else {
        return Ok(None);
    };
    let hooked = loaded.model.hook_updated_copy()?;
    let model = hooked.as_ref().unwrap_or(&loaded.model);
    let stored = crud::save_changes(db, &loaded.snapshot, model).await?;
    Ok(stored.map(|model| Box::new(model) as AnyModel))
}

/// Delete `model`'s row (through [`crud::delete`]).
async fn delete_row<M: Model>(db: &dyn DynExecutor, model: Option<&M>) -> Result<()> {
    match model {
        Some(model) => crud::delete(db, model).await,
        None => Ok(()),
    }
}

/// Insert `rows` (values of `columns`) of `M` in multi-row statements and return the stored
/// models in the order of `rows` (see [`super::batch`]).
async fn insert_rows<M: Model>(
    db: &dyn DynExecutor,
    columns: &[&'static str],
    rows: Vec<Vec<Value>>,
) -> Result<Vec<M>> {
    let dialect = db.dialect();
    // Rows that give their database-generated key: on PostgreSQL the key's sequence first
    // moves past them.
    let key_position = M::TABLE
        .database_generated_key()
        .and_then(|key| columns.iter().position(|c| *c == key.name));
    if let Some(position) = key_position
        && let Some(advance) =
            crud::advance_past_keys::<M>(dialect, rows.iter().map(|row| &row[position]))
    {
        db.execute(advance).await?;
    }
    let matching = Matching::of(M::TABLE, columns);
    let chunks = insert_chunks(dialect, M::TABLE, columns, &rows, &model_columns::<M>())?;
    let mut out: Vec<Option<M>> = (0..rows.len()).map(|_| None).collect();
    for chunk in chunks {
        let returned = db
            .fetch_all(chunk.statement, ModelDecoder::<M>::new())
            .await?;
        let keys: Vec<Vec<Value>> = returned.iter().map(|m| M::key_values(&m.key())).collect();
        let order = correlate(M::TABLE, &matching, &rows[chunk.rows.clone()], &keys)?;
        let mut returned: Vec<Option<M>> = returned.into_iter().map(Some).collect();
        for (given, at) in chunk.rows.zip(order) {
            out[given] = returned[at].take();
        }
    }
    out.into_iter()
        .collect::<Option<Vec<M>>>()
        .ok_or_else(|| Error::InvalidStatement {
            message: format!("insert into `{}`: a row was not returned", M::TABLE.name),
        })
}
