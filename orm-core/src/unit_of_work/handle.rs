//! [`Handle`]s to the objects of a unit of work, and the relationships children are added
//! through ([`ChildRelation`]).

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use crate::model::Model;
use crate::relation::{HasMany, HasOne, RelationField};

/// A typed reference to an object of a [`UnitOfWork`](super::UnitOfWork) (an
/// `orm::Session`): an index into the session's storage, cheap to copy, compare and hash.
/// Read and change the object through the session that returned it (`session.read(h)`,
/// `session.write(h)`, `session[h]`); a handle given to another session is refused with
/// [`Error::InvalidStatement`](crate::Error::InvalidStatement).
pub struct Handle<M> {
    pub(super) session: u64,
    pub(super) epoch: u64,
    pub(super) index: usize,
    pub(super) _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Handle<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for Handle<M> {}

impl<M> PartialEq for Handle<M> {
    fn eq(&self, other: &Self) -> bool {
        (self.session, self.epoch, self.index) == (other.session, other.epoch, other.index)
    }
}

impl<M> Eq for Handle<M> {}

impl<M> Hash for Handle<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.session, self.epoch, self.index).hash(state);
    }
}

impl<M: Model> fmt::Debug for Handle<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Handle<{}>(session {}, object {})",
            model_name::<M>(),
            self.session,
            self.index
        )
    }
}

/// The Rust name of `M`, without its path.
pub(super) fn model_name<M>() -> &'static str {
    let name = std::any::type_name::<M>();
    name.rsplit("::").next().unwrap_or(name)
}

/// A relationship whose related rows hold the parent's key: `has_many` and `has_one`, the
/// relationships [`UnitOfWork::add_child`](super::UnitOfWork::add_child) adds children
/// through.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a relationship whose rows reference their parent",
    label = "add_child takes a has_many or has_one relationship (`User::posts`)",
    note = "for a belongs_to, add the parent and then the child with add_child on the parent's has_many; many_to_many pairs are linked with .link(..)"
)]
pub trait ChildRelation: RelationField {}

impl<T: Model> ChildRelation for HasMany<T> {}
impl<T: Model> ChildRelation for HasOne<T> {}
