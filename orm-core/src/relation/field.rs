//! The relationship field types models declare, and their loaded state.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use super::RelationMeta;
use super::key::KeyValue;
use super::load::fetch_for_one;
use super::shared::Shared;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::model::Model;

/// What a relationship field knows about its row: which relationship it is and the key it
/// matches by. Filled in by the derive when the row is decoded.
#[derive(Clone, Default)]
pub struct Link {
    meta: Option<&'static RelationMeta>,
    key: Option<KeyValue>,
}

impl Link {
    /// The relationship `meta` of a row whose matched column holds `key`.
    pub fn new(meta: &'static RelationMeta, key: Option<KeyValue>) -> Self {
        Link {
            meta: Some(meta),
            key,
        }
    }

    /// The relationship, when the field came from a decoded row.
    pub fn meta(&self) -> Option<&'static RelationMeta> {
        self.meta
    }

    /// The key the relationship matches by (`None` for a NULL foreign key).
    pub fn key(&self) -> Option<&KeyValue> {
        self.key.as_ref()
    }

    pub(crate) fn set_key(&mut self, key: Option<KeyValue>) {
        self.key = key;
    }

    pub(crate) fn require_meta(&self) -> Result<&'static RelationMeta> {
        self.meta.ok_or_else(|| Error::InvalidStatement {
            message: "this relationship field was not read from the database, so it does not \
                      know its row; fetch the row through orm first"
                .into(),
        })
    }

    fn not_loaded(&self) -> Error {
        match self.meta {
            Some(meta) => meta.not_loaded(),
            None => Error::NotLoaded {
                relationship: "(a relationship of a row built by hand)".into(),
                fix: ".with(Model::relationship)".into(),
            },
        }
    }
}

/// What a loader hands a relationship field.
pub enum Loaded<T> {
    /// The children of a to-many relationship.
    Many(Arc<Vec<T>>),
    /// The target of a to-one relationship (`None`: there is none).
    One(Option<Arc<T>>),
}

/// A relationship field: the loader writes into it. Implemented by [`ToMany`] and [`ToOne`].
pub trait RelationField: Send + Sync + 'static {
    /// The related model.
    type Target: Model;
    /// The link to its row.
    fn row_link(&self) -> &Link;
    /// Store loaded data (and the key it was matched by).
    fn fill(&mut self, key: Option<KeyValue>, loaded: Loaded<Self::Target>);
}

/// Marker of [`HasMany`].
pub enum HasManyKind {}
/// Marker of [`ManyToMany`].
pub enum ManyToManyKind {}
/// Marker of [`HasOne`].
pub enum HasOneKind {}
/// Marker of [`BelongsTo`].
pub enum BelongsToKind {}

/// A to-many relationship field; use it as [`HasMany<T>`] or [`ManyToMany<T>`].
pub struct ToMany<T, K> {
    link: Link,
    items: Option<Shared<Vec<T>>>,
    _kind: PhantomData<fn() -> K>,
}

/// The rows of `T` whose foreign key references this row: `#[orm(has_many(foreign_key =
/// "user_id"))] posts: HasMany<Post>`. Read with [`ToMany::get`] after loading.
pub type HasMany<T> = ToMany<T, HasManyKind>;

/// The rows of `T` linked to this row through a junction model: `#[orm(many_to_many(through
/// = PostTag))] tags: ManyToMany<Tag>`.
pub type ManyToMany<T> = ToMany<T, ManyToManyKind>;

impl<T: Model, K> ToMany<T, K> {
    /// An unloaded field of the relationship `meta` for a row whose key is `key`.
    pub fn unloaded(meta: &'static RelationMeta, key: Option<KeyValue>) -> Self {
        ToMany {
            link: Link::new(meta, key),
            items: None,
            _kind: PhantomData,
        }
    }

    /// The loaded rows; [`Error::NotLoaded`] naming the `.with(..)` to add when the query did
    /// not load them.
    pub fn get(&self) -> Result<&[T]> {
        self.loaded()
            .map(Vec::as_slice)
            .ok_or_else(|| self.link.not_loaded())
    }

    /// True once loaded.
    pub fn is_loaded(&self) -> bool {
        self.items.is_some()
    }

    fn loaded(&self) -> Option<&Vec<T>> {
        self.items.as_ref().map(Shared::get)
    }

    /// The loaded rows as a shared list (cheap to clone), `None` when not loaded.
    pub fn shared(&self) -> Option<Arc<Vec<T>>> {
        self.items.as_ref().map(Shared::arc)
    }

    /// The link to the row this field belongs to.
    pub fn row_link(&self) -> &Link {
        &self.link
    }

    /// The loaded rows, to change (cloned first when other rows share them).
    pub(crate) fn items_mut(&mut self) -> Option<&mut Vec<T>>
    where
        T: Clone,
    {
        self.items.as_mut().map(Shared::make_mut)
    }
}

impl<T: Model, K: 'static> RelationField for ToMany<T, K> {
    type Target = T;
    fn row_link(&self) -> &Link {
        &self.link
    }
    fn fill(&mut self, key: Option<KeyValue>, loaded: Loaded<T>) {
        self.link.set_key(key);
        // Loaders hand a to-many field a list; a single target becomes a one-row list.
        self.items = Some(Shared::new(match loaded {
            Loaded::Many(items) => items,
            Loaded::One(item) => Arc::new(
                item.and_then(|one| Arc::try_unwrap(one).ok())
                    .into_iter()
                    .collect(),
            ),
        }));
    }
}

/// What a to-one field points at: a model `T` (the foreign key is NOT NULL) or `Option<T>`
/// (it may be NULL).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a model a to-one relationship can point at",
    label = "use BelongsTo<Model>, or BelongsTo<Option<Model>> for a nullable foreign key"
)]
pub trait OneTarget: Send + Sync + 'static {
    /// The model.
    type Model: Model;
    /// What [`ToOne::get`] returns.
    type Ref<'a>;
    /// The view of the loaded target.
    fn view<'a>(found: Option<&'a Self::Model>, link: &Link) -> Result<Self::Ref<'a>>;
}

impl<M: Model> OneTarget for M {
    type Model = M;
    type Ref<'a> = &'a M;
    fn view<'a>(found: Option<&'a M>, link: &Link) -> Result<&'a M> {
        found.ok_or_else(|| match link.meta() {
            Some(meta) if link.key().is_none() => Error::InvalidStatement {
                message: format!(
                    "`{}` is NULL but declared BelongsTo<{}>: declare it BelongsTo<Option<..>>",
                    meta.qualified_name(),
                    M::TABLE.name
                ),
            },
            _ => Error::NotFound {
                table: M::TABLE.name,
            },
        })
    }
}

impl<M: Model> OneTarget for Option<M> {
    type Model = M;
    type Ref<'a> = Option<&'a M>;
    fn view<'a>(found: Option<&'a M>, _: &Link) -> Result<Option<&'a M>> {
        Ok(found)
    }
}

/// A relationship whose loads take a `.filter(..)`: to-many ones, and to-one ones that may
/// have no target (`HasOne<T>`, `BelongsTo<Option<T>>`). A filtered `BelongsTo<T>` load would
/// leave rows without the target their field promises.
#[diagnostic::on_unimplemented(
    message = "`.filter(..)` cannot apply to `{Self}`: every row has its target",
    label = "a filter would leave rows without the target this BelongsTo promises",
    note = "filter the parent rows instead: .filter(Model::relationship.any(condition))"
)]
pub trait Filterable: RelationField {}

#[diagnostic::do_not_recommend]
impl<T: Model, K: 'static> Filterable for ToMany<T, K> {}

#[diagnostic::do_not_recommend]
impl<T: Model, K: 'static> Filterable for ToOne<Option<T>, K> {}

/// A to-one relationship field; use it as [`BelongsTo<T>`] or [`HasOne<T>`].
pub struct ToOne<T: OneTarget, K> {
    link: Link,
    item: Option<Option<Shared<T::Model>>>,
    _kind: PhantomData<fn() -> K>,
}

/// The row this row's foreign key references: `#[orm(belongs_to(foreign_key = "user_id"))]
/// author: BelongsTo<User>`; `BelongsTo<Option<User>>` when the foreign key is nullable.
pub type BelongsTo<T> = ToOne<T, BelongsToKind>;

/// The one row of `T` whose foreign key references this row, if any: `#[orm(has_one(
/// foreign_key = "user_id"))] profile: HasOne<Profile>`.
pub type HasOne<T> = ToOne<Option<T>, HasOneKind>;

impl<T: OneTarget, K> ToOne<T, K> {
    /// An unloaded field of the relationship `meta` for a row whose matched key is `key`.
    pub fn unloaded(meta: &'static RelationMeta, key: Option<KeyValue>) -> Self {
        ToOne {
            link: Link::new(meta, key),
            item: None,
            _kind: PhantomData,
        }
    }

    /// The loaded target (`&T`, or `Option<&T>` where there may be none);
    /// [`Error::NotLoaded`] naming the `.with(..)` to add when it was not loaded.
    pub fn get(&self) -> Result<T::Ref<'_>> {
        match self.loaded() {
            Some(found) => T::view(found, &self.link),
            None => Err(self.link.not_loaded()),
        }
    }

    /// `None` when not loaded, `Some(None)` when loaded without a target.
    fn loaded(&self) -> Option<Option<&T::Model>> {
        self.item
            .as_ref()
            .map(|item| item.as_ref().map(Shared::get))
    }

    /// True once loaded.
    pub fn is_loaded(&self) -> bool {
        self.item.is_some()
    }

    /// The loaded target, shared (several rows pointing at one target share it).
    pub fn shared(&self) -> Option<Arc<T::Model>> {
        self.item.as_ref()?.as_ref().map(Shared::arc)
    }

    /// The link to the row this field belongs to.
    pub fn row_link(&self) -> &Link {
        &self.link
    }
}

impl<T: OneTarget, K: 'static> RelationField for ToOne<T, K> {
    type Target = T::Model;
    fn row_link(&self) -> &Link {
        &self.link
    }
    fn fill(&mut self, key: Option<KeyValue>, loaded: Loaded<T::Model>) {
        self.link.set_key(key);
        // Loaders hand a to-one field its target; a list (never handed here) counts as none.
        self.item = Some(match loaded {
            Loaded::One(item) => item.map(Shared::new),
            Loaded::Many(_) => None,
        });
    }
}

impl<T, K> Default for ToMany<T, K> {
    fn default() -> Self {
        ToMany {
            link: Link::default(),
            items: None,
            _kind: PhantomData,
        }
    }
}

impl<T: OneTarget, K> Default for ToOne<T, K> {
    fn default() -> Self {
        ToOne {
            link: Link::default(),
            item: None,
            _kind: PhantomData,
        }
    }
}

impl<T, K> Clone for ToMany<T, K> {
    fn clone(&self) -> Self {
        ToMany {
            link: self.link.clone(),
            items: self.items.clone(),
            _kind: PhantomData,
        }
    }
}

impl<T: OneTarget, K> Clone for ToOne<T, K> {
    fn clone(&self) -> Self {
        ToOne {
            link: self.link.clone(),
            item: self.item.clone(),
            _kind: PhantomData,
        }
    }
}

impl<T: Model + fmt::Debug, K> fmt::Debug for ToMany<T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.loaded() {
            Some(items) => f.debug_list().entries(items).finish(),
            None => f.write_str("<not loaded>"),
        }
    }
}

impl<T: OneTarget, K> fmt::Debug for ToOne<T, K>
where
    T::Model: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.loaded() {
            Some(Some(item)) => item.fmt(f),
            Some(None) => f.write_str("None"),
            None => f.write_str("<not loaded>"),
        }
    }
}

/// Loaded fields compare by their rows; an unloaded field equals only another unloaded one.
impl<T: Model + PartialEq, K> PartialEq for ToMany<T, K> {
    fn eq(&self, other: &Self) -> bool {
        self.loaded() == other.loaded()
    }
}

impl<T: OneTarget, K> PartialEq for ToOne<T, K>
where
    T::Model: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.loaded() == other.loaded()
    }
}

/// Serialized as the loaded rows, or `null` when not loaded.
impl<T: Model + serde::Serialize, K> serde::Serialize for ToMany<T, K> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.loaded().serialize(serializer)
    }
}

/// Serialized as the loaded target, or `null` when there is none or it was not loaded.
impl<T: OneTarget, K> serde::Serialize for ToOne<T, K>
where
    T::Model: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.loaded().flatten().serialize(serializer)
    }
}

impl<T: Model, K: 'static> ToMany<T, K> {
    /// Load the related rows of this one row now, and return them. Loading in a loop over
    /// many rows is the N+1 pattern: load for all of them at once with `.with(..)` on the
    /// query or `Model::relation.load_for(&mut rows, &db)`.
    pub async fn load<E: Executor>(&mut self, db: E) -> Result<&[T]> {
        let meta = self.link.require_meta()?;
        let rows = fetch_for_one::<T>(meta, self.link.key(), &db).await?;
        self.items = Some(Shared::new(Arc::new(rows)));
        self.get()
    }
}

impl<T: OneTarget, K: 'static> ToOne<T, K> {
    /// Load the related row of this one row now, and return it (see [`ToMany::load`] about
    /// loops).
    pub async fn load<E: Executor>(&mut self, db: E) -> Result<T::Ref<'_>> {
        let meta = self.link.require_meta()?;
        let rows = fetch_for_one::<T::Model>(meta, self.link.key(), &db).await?;
        self.item = Some(
            rows.into_iter()
                .next()
                .map(|row| Shared::new(Arc::new(row))),
        );
        self.get()
    }
}
