//! The unit of work behind `orm::Session`: an identity map of loaded objects, the objects
//! added, changed and deleted since the last flush, and the flush that writes them in
//! foreign-key order with multi-row inserts.
//!
//! - [`work`]: [`UnitOfWork`], its objects' API, and planning and running a flush.
//! - [`handle`]: [`Handle`]s to objects; [`ChildRelation`], what children are added through.
//! - `objects`: the objects of one model (pending, loaded, deleted) and its identity map.
//! - [`order`]: the order tables and rows are written in (pure).
//! - [`batch`]: multi-row inserts and matching their returned rows to the objects (pure).
//! - [`identity`]: the hashable keys of the identity map.

pub mod batch;
pub mod handle;
pub mod identity;
mod objects;
pub mod order;
pub mod work;

pub use handle::{ChildRelation, Handle};
pub use identity::IdentityKey;
pub use work::{Cached, FlushPlan, Flushed, UnitOfWork};
