//! [`UnitOfWork`]: the objects of a session, its changes, and planning, running and applying
//! a flush.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

use super::handle::{ChildRelation, Handle, model_name};
use super::identity::IdentityKey;
use super::objects::{
    AnyModel, InsertHook, Loaded, ParentLink, Pending, Place, Slot, State, Store, Table,
};
use super::order::{self, RowDeps, RowValues};
use crate::crud;
use crate::error::{Error, Result};
use crate::executor::{DynExecutor, Executor};
use crate::meta::TableMeta;
use crate::model::{Model, NewModel};
use crate::relation::Relation;
use crate::select::Select;
use crate::selection::ModelDecoder;
use crate::value::{SqlType, Value};

/// The key values of a stored row (its column values `snapshot`), in primary-key order.
fn stored_key<M: Model>(snapshot: &[Value]) -> Vec<Value> {
    M::TABLE
        .primary_key
        .iter()
        .filter_map(|key| M::TABLE.columns.iter().position(|c| c.name == *key))
        .map(|index| snapshot[index].clone())
        .collect()
}

/// Pending rows of one table with the same columns, inserted together.
struct InsertGroup<'a> {
    columns: &'a [&'static str],
    places: Vec<Place>,
    rows: Vec<Vec<Value>>,
}

/// What a key lookup in the identity map found.
#[derive(Debug)]
pub enum Cached<M: Model> {
    /// The object with that key.
    Loaded(Handle<M>),
    /// The object with that key is marked for deletion.
    Deleted,
    /// No object with that key.
    Absent,
}

/// What a flush will do, in order: computed (and checked) before anything is sent.
#[derive(Debug, Clone)]
pub struct FlushPlan {
    /// Pending objects, in batches of one table (indexes into `pending`).
    inserts: Vec<order::Batch>,
    pending: Vec<Place>,
    updates: Vec<Place>,
    deletes: Vec<Place>,
}

impl FlushPlan {
    /// True when the flush sends nothing.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.updates.is_empty() && self.deletes.is_empty()
    }
}

/// The results of a flush that wrote everything, to [`UnitOfWork::apply`] once the
/// savepoint around it is released.
pub struct Flushed {
    stored: Vec<(Place, AnyModel)>,
    deleted: Vec<Place>,
}

impl fmt::Debug for Flushed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Flushed")
            .field("stored", &self.stored.len())
            .field("deleted", &self.deleted.len())
            .finish()
    }
}

static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

fn invalid(message: String) -> Error {
    Error::InvalidStatement { message }
}

/// The objects of a session and their changes: the backend-neutral part of `orm::Session`
/// (which adds the transaction). See `orm::Session` for the rules.
pub struct UnitOfWork {
    session: u64,
    /// Bumped when the session forgets its objects (a rollback): older handles are refused.
    epoch: u64,
    tables: Vec<Box<dyn Store>>,
    by_type: HashMap<TypeId, usize>,
}

impl Default for UnitOfWork {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for UnitOfWork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tables: Vec<&str> = self.tables.iter().map(|t| t.meta().name).collect();
        f.debug_struct("UnitOfWork")
            .field("session", &self.session)
            .field("tables", &tables)
            .finish()
    }
}

impl UnitOfWork {
    /// An empty unit of work, with an id no other has.
    pub fn new() -> Self {
        UnitOfWork {
            session: NEXT_SESSION.fetch_add(1, Ordering::Relaxed),
            epoch: 0,
            tables: Vec::new(),
            by_type: HashMap::new(),
        }
    }

    fn table<M: Model>(&self) -> Option<(usize, &Table<M>)> {
        let index = *self.by_type.get(&TypeId::of::<M>())?;
        let store: &dyn Any = &*self.tables[index];
        store.downcast_ref::<Table<M>>().map(|table| (index, table))
    }

    fn table_mut<M: Model>(&mut self) -> (usize, &mut Table<M>) {
        let index = *self.by_type.entry(TypeId::of::<M>()).or_insert_with(|| {
            self.tables.push(Box::new(Table::<M>::new()));
            self.tables.len() - 1
        });
        let store: &mut dyn Any = &mut *self.tables[index];
        match store.downcast_mut::<Table<M>>() {
            Some(table) => (index, table),
            None => unreachable!("the table of a TypeId holds that type"),
        }
    }

    fn handle<M>(&self, index: usize) -> Handle<M> {
        Handle {
            session: self.session,
            epoch: self.epoch,
            index,
            _model: PhantomData,
        }
    }

    /// The slot of `handle`, or why the handle cannot be used here.
    fn locate<M: Model>(&self, handle: Handle<M>) -> Result<(Place, &Slot<M>)> {
        let name = model_name::<M>();
        if handle.session != self.session {
            return Err(invalid(format!(
                "this Handle<{name}> belongs to another session; a handle works only with the \
                 session that returned it"
            )));
        }
        if handle.epoch != self.epoch {
            return Err(invalid(format!(
                "this Handle<{name}> is from before the session was rolled back; the rollback \
                 forgot every object of the session: load it again"
            )));
        }
        self.table::<M>()
            .and_then(|(table, store)| {
                let slot = store.slots.get(handle.index)?;
                Some((
                    Place {
                        table,
                        index: handle.index,
                    },
                    slot,
                ))
            })
            .ok_or_else(|| invalid(format!("this Handle<{name}> is not of this session")))
    }

    fn pending_error<M: Model>() -> Error {
        invalid(format!(
            "this {} object is pending (added, not inserted yet): call flush() first, which \
             inserts it and reads it back with its generated key and defaults",
            model_name::<M>()
        ))
    }

    fn deleted_error<M: Model>() -> Error {
        invalid(format!(
            "this {} object was deleted in this session",
            model_name::<M>()
        ))
    }

    /// The object of `handle`: [`Error::InvalidStatement`] when it is pending (not flushed
    /// yet), deleted, or the handle is not of this session.
    pub fn read<M: Model>(&self, handle: Handle<M>) -> Result<&M> {
        match self.locate(handle)?.1 {
            Slot::Loaded(loaded) if !loaded.doomed => Ok(&loaded.model),
            Slot::Pending(_) => Err(Self::pending_error::<M>()),
            _ => Err(Self::deleted_error::<M>()),
        }
    }

    /// The object of `handle`, to change: the next flush writes the columns that changed.
    /// Errors as [`UnitOfWork::read`].
    pub fn write<M: Model>(&mut self, handle: Handle<M>) -> Result<&mut M> {
        self.locate(handle)?;
        let (_, table) = self.table_mut::<M>();
        match &mut table.slots[handle.index] {
            Slot::Loaded(loaded) if !loaded.doomed => Ok(&mut loaded.model),
            Slot::Pending(_) => Err(Self::pending_error::<M>()),
            _ => Err(Self::deleted_error::<M>()),
        }
    }

    /// True while the object of `handle` is pending (added and not flushed yet).
    pub fn is_pending<M: Model>(&self, handle: Handle<M>) -> Result<bool> {
        Ok(matches!(self.locate(handle)?.1, Slot::Pending(_)))
    }

    /// The object of `M` with `key`, as far as this unit of work knows it.
    pub fn lookup<M: Model>(&self, key: &M::Key) -> Cached<M> {
        let Some((_, table)) = self.table::<M>() else {
            return Cached::Absent;
        };
        match table.identity.get(&IdentityKey::new(&M::key_values(key))) {
            Some(&index) if table.loaded(index).is_some() => Cached::Loaded(self.handle(index)),
            Some(_) => Cached::Deleted,
            None => Cached::Absent,
        }
    }

    /// Take in `model`, read from the database: its handle (the existing object's when one
    /// has its key, which keeps its state and `model` is dropped), or `None` when the object
    /// with its key is marked for deletion.
    pub fn merge<M: Model>(&mut self, model: M) -> Option<Handle<M>> {
        let key = IdentityKey::new(&M::key_values(&model.key()));
        let (_, table) = self.table_mut::<M>();
        let index = match table.identity.get(&key) {
            Some(&index) => table.loaded(index).map(|_| index)?,
            None => table.store(None, model),
        };
        Some(self.handle(index))
    }

    /// The object with primary key `key`: from the identity map when it holds it (no
    /// statement), else read through `db` and added to the map. `None` when there is no such
    /// row, or its object is marked for deletion.
    pub async fn find<M: Model, E: Executor>(
        &mut self,
        db: E,
        key: M::Key,
    ) -> Result<Option<Handle<M>>> {
        match self.lookup::<M>(&key) {
            Cached::Loaded(handle) => return Ok(Some(handle)),
            Cached::Deleted => return Ok(None),
            Cached::Absent => {}
        }
        let statement = crud::get_statement::<M>(db.dialect(), &key)?;
        let row = db
            .fetch_optional(statement, ModelDecoder::<M>::new())
            .await?;
        Ok(row.and_then(|model| self.merge(model)))
    }

    /// Run `query` through `db` and take in its rows (see [`UnitOfWork::merge`]): a row whose
    /// key is already here gives the existing object, with its state in this unit of work;
    /// rows of objects marked for deletion are left out.
    pub async fn load<M: Model, G, E: Executor>(
        &mut self,
        db: E,
        query: Select<M, ModelDecoder<M>, G>,
    ) -> Result<Vec<Handle<M>>> {
        let rows = query.all(db).await?;
        Ok(rows.into_iter().filter_map(|row| self.merge(row)).collect())
    }

    /// Read the object of `handle` again through `db`, dropping its changes not flushed yet
    /// (to start over after [`crate::ErrorKind::StaleObject`]). When its row is gone (or
    /// hidden: soft-deleted), the object leaves the session and the error is
    /// [`Error::NotFound`].
    pub async fn refresh<M: Model, E: Executor>(&mut self, db: E, handle: Handle<M>) -> Result<()> {
        let key = match self.locate(handle)?.1 {
            Slot::Loaded(loaded) if !loaded.doomed => stored_key::<M>(&loaded.snapshot),
            Slot::Pending(_) => return Err(Self::pending_error::<M>()),
            _ => return Err(Self::deleted_error::<M>()),
        };
        let query = Select::<M>::new().filter(crate::expr::TypedExpr::<bool>::new(
            crud::key_filter::<M>(key),
            SqlType::Bool,
        ));
        let row = query.optional(db).await?;
        let (_, table) = self.table_mut::<M>();
        match row {
            Some(model) => {
                table.store(Some(handle.index), model);
                Ok(())
            }
            None => {
                table.deleted(handle.index);
                Err(Error::NotFound {
                    table: M::TABLE.name,
                })
            }
        }
    }

    fn push_pending<M: Model>(&mut self, pending: Pending) -> Handle<M> {
        let (_, table) = self.table_mut::<M>();
        table.slots.push(Slot::Pending(pending));
        let index = table.slots.len() - 1;
        self.handle(index)
    }

    /// Add a new object: inserted by the next flush (which runs its model's `before_insert`
    /// hook on it first).
    pub fn add<N: NewModel + 'static>(&mut self, new: N) -> Handle<N::Model> {
        self.push_pending(pending_row(new))
    }

    /// Add a new object as a child of `parent` through `relation` (a `has_many` or `has_one`
    /// of the parent): its foreign key is set from the parent's key when the flush inserts
    /// it, after the parent (whatever `new` held there).
    pub fn add_child<P, F, N>(
        &mut self,
        parent: Handle<P>,
        relation: Relation<P, F>,
        new: N,
    ) -> Result<Handle<F::Target>>
    where
        P: Model,
        F: ChildRelation,
        N: NewModel<Model = F::Target> + 'static,
    {
        let (place, slot) = self.locate(parent)?;
        if let Slot::Deleted | Slot::Loaded(Loaded { doomed: true, .. }) = slot {
            return Err(Self::deleted_error::<P>());
        }
        let meta = relation.meta;
        let foreign_key = meta.target_column();
        let row = pending_row(new);
        let Some(column) = row.columns.iter().position(|c| *c == foreign_key) else {
            return Err(invalid(format!(
                "{}: `{foreign_key}` is not a column the new {} row inserts",
                meta.qualified_name(),
                model_name::<F::Target>()
            )));
        };
        let ty = F::Target::TABLE
            .column(foreign_key)
            .map_or(SqlType::BigInt, |c| c.ty);
        let parent_key = relation.parent_key;
        Ok(self.push_pending(Pending {
            link: Some(ParentLink {
                parent: place,
                column,
                ty,
                relation: meta,
                parent_key: Box::new(move |model: &dyn Any| {
                    model.downcast_ref::<P>().and_then(parent_key)
                }),
            }),
            ..row
        }))
    }

    /// Delete the object of `handle`: a pending one is dropped at once (it was never
    /// inserted), a loaded one is deleted by the next flush. Either way the handle then reads
    /// as deleted. Deleting twice is harmless.
    pub fn delete<M: Model>(&mut self, handle: Handle<M>) -> Result<()> {
        self.locate(handle)?;
        let (_, table) = self.table_mut::<M>();
        let slot = &mut table.slots[handle.index];
        match slot {
            Slot::Pending(_) => *slot = Slot::Deleted,
            Slot::Loaded(loaded) => loaded.doomed = true,
            Slot::Deleted => {}
        }
        Ok(())
    }

    /// True when a flush would send something: pending objects, changed ones, deleted ones.
    pub fn has_changes(&self) -> bool {
        self.tables.iter().any(|table| table.has_changes())
    }

    /// Forget every object: their handles are refused from now on.
    pub fn clear(&mut self) {
        self.tables.clear();
        self.by_type.clear();
        self.epoch += 1;
    }

    /// Plan the next flush, checking everything that can be checked before sending:
    /// values that cannot be stored, children whose parent was deleted, changed keys.
    pub fn plan(&self) -> Result<FlushPlan> {
        let metas: Vec<&'static TableMeta> = self.tables.iter().map(|t| t.meta()).collect();
        let positions = order::table_positions(&metas);

        // Inserts: a child added through a pending parent comes after it.
        let mut pending = Vec::new();
        for (table, store) in self.tables.iter().enumerate() {
            for (index, row) in store.pending() {
                row.values
                    .iter()
                    .try_for_each(crate::faithful::check_stored)?;
                pending.push((Place { table, index }, row));
            }
        }
        let rows: HashMap<Place, usize> = pending
            .iter()
            .enumerate()
            .map(|(i, (place, _))| (*place, i))
            .collect();
        let mut deps = Vec::with_capacity(pending.len());
        for &(place, row) in &pending {
            let mut parents = Vec::new();
            if let Some(link) = &row.link {
                match self.tables[link.parent.table].state(link.parent.index) {
                    State::Pending => parents.extend(rows.get(&link.parent).copied()),
                    State::Loaded => {}
                    State::Deleted => return Err(self.orphan_error(place, link)),
                }
            }
            deps.push(RowDeps {
                table: place.table,
                parents,
            });
        }
        let inserts = order::batches(&positions, &deps);

        // Updates, parents' tables first.
        let mut by_position: Vec<usize> = (0..self.tables.len()).collect();
        by_position.sort_by_key(|&t| positions[t]);
        let mut updates = Vec::new();
        for &table in &by_position {
            for index in self.tables[table].changed()? {
                updates.push(Place { table, index });
            }
        }

        // Deletes, children first: the rows their foreign keys reference among the deleted
        // ones go after them.
        let column_names: Vec<Vec<&'static str>> = metas
            .iter()
            .map(|meta| meta.columns.iter().map(|c| c.name).collect())
            .collect();
        let mut doomed = Vec::new();
        for (table, store) in self.tables.iter().enumerate() {
            for (index, snapshot) in store.doomed()? {
                doomed.push((Place { table, index }, snapshot));
            }
        }
        let values: Vec<RowValues<'_>> = doomed
            .iter()
            .map(|&(place, values)| RowValues {
                table: place.table,
                columns: &column_names[place.table],
                values,
            })
            .collect();
        let references = order::references(&metas, &values);
        let deletes = order::batches(&positions, &references)
            .into_iter()
            .rev()
            .flat_map(|batch| batch.rows.into_iter().rev())
            .map(|row| doomed[row].0)
            .collect();

        Ok(FlushPlan {
            inserts,
            pending: pending.into_iter().map(|(place, _)| place).collect(),
            updates,
            deletes,
        })
    }

    fn orphan_error(&self, child: Place, link: &ParentLink) -> Error {
        invalid(format!(
            "a pending {} object (object {}) was added through {} to a {} object (object {}) \
             that is deleted in this session: delete the child too, or keep its parent",
            self.tables[child.table].meta().name,
            child.index,
            link.relation.qualified_name(),
            self.tables[link.parent.table].meta().name,
            link.parent.index
        ))
    }

    /// The values of the pending `row`, its foreign key set from its parent (found
    /// among `stored`, or loaded).
    fn row_values(&self, row: &Pending, stored: &HashMap<Place, AnyModel>) -> Result<Vec<Value>> {
        let mut values = match &row.hook {
            Some(hook) => hook()?,
            None => row.values.clone(),
        };
        if let Some(link) = &row.link {
            let parent = match stored.get(&link.parent) {
                Some(model) => Some(&**model),
                None => self.tables[link.parent.table].model(link.parent.index),
            };
            let key = parent
                .and_then(|model| (link.parent_key)(model))
                .ok_or_else(|| {
                    invalid(format!(
                        "{}: the parent row has no key",
                        link.relation.qualified_name()
                    ))
                })?;
            values[link.column] = key.to_value(link.ty).conform(link.ty);
        }
        Ok(values)
    }

    /// Run `plan` through `db` (which should be a savepoint: a failure leaves partial
    /// writes) and return the stored rows, for [`UnitOfWork::apply`]. Nothing here changes
    /// until then, so a flush that fails leaves every object as it was.
    pub async fn execute<E: Executor>(&self, plan: &FlushPlan, db: E) -> Result<Flushed> {
        let db: &dyn DynExecutor = &db;
        let mut stored: HashMap<Place, AnyModel> = HashMap::new();
        for batch in &plan.inserts {
            // One statement (or chunks) per column list: rows that give their generated key
            // insert that column too.
            let mut groups: Vec<InsertGroup<'_>> = Vec::new();
            for &row in &batch.rows {
                let place = plan.pending[row];
                let pending = self.tables[place.table]
                    .pending_row(place.index)
                    .ok_or_else(|| invalid("a planned object is no longer pending".into()))?;
                let values = self.row_values(pending, &stored)?;
                let columns = &pending.columns[..];
                match groups.iter_mut().find(|group| group.columns == columns) {
                    Some(group) => {
                        group.places.push(place);
                        group.rows.push(values);
                    }
                    None => groups.push(InsertGroup {
                        columns,
                        places: vec![place],
                        rows: vec![values],
                    }),
                }
            }
            for group in groups {
                let table = &self.tables[batch.table];
                let models = table.insert(db, group.columns, group.rows).await?;
                stored.extend(group.places.into_iter().zip(models));
            }
        }
        let mut flushed = Flushed {
            stored: stored.into_iter().collect(),
            deleted: Vec::new(),
        };
        for &place in &plan.updates {
            if let Some(model) = self.tables[place.table].update(db, place.index).await? {
                flushed.stored.push((place, model));
            }
        }
        for &place in &plan.deletes {
            self.tables[place.table].delete(db, place.index).await?;
            flushed.deleted.push(place);
        }
        Ok(flushed)
    }

    /// Take in what a flush stored: pending objects become loaded with the values the
    /// database gave them, changed ones take the stored row, deleted ones leave.
    pub fn apply(&mut self, flushed: Flushed) {
        for place in flushed.deleted {
            self.tables[place.table].deleted(place.index);
        }
        for (place, model) in flushed.stored {
            self.tables[place.table].stored(place.index, model);
        }
    }
}

/// An added row: its columns and values, and for a model with hooks, `before_insert` to run
/// when it is inserted.
fn pending_row<N: NewModel + 'static>(new: N) -> Pending {
    let (columns, values) = crud::row_columns_values(&new);
    let hook = N::HOOKED.then(|| {
        Box::new(move || {
            let hooked = new.hook_before_insert()?;
            Ok(crud::row_columns_values(hooked.as_ref().unwrap_or(&new)).1)
        }) as InsertHook
    });
    Pending {
        columns,
        values,
        link: None,
        hook,
    }
}
