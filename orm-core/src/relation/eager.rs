//! What a query carries to load relationships: parts decoded from joined columns of each row,
//! and loaders that run after the rows are fetched.

use crate::error::Result;
use crate::executor::{BoxFuture, DynExecutor};
use crate::types::RowReader;

/// Loads one relationship for a batch of parent rows with a fixed number of statements.
pub trait Loader<P>: Send + Sync {
    /// Load into `parents`.
    fn load<'a>(
        self: Box<Self>,
        parents: Vec<&'a mut P>,
        db: &'a dyn DynExecutor,
    ) -> BoxFuture<'a, Result<()>>;
}

/// Decodes a joined relationship from extra columns of the parent's row.
pub trait JoinedPart<P>: Send + Sync {
    /// Decode into `parent` from `row`.
    fn decode(&self, parent: &mut P, row: &dyn RowReader) -> Result<()>;
}

/// The relationship work attached to a query of `P` rows.
pub struct Eager<P> {
    pub(crate) joined: Vec<Box<dyn JoinedPart<P>>>,
    pub(crate) loaders: Vec<Box<dyn Loader<P>>>,
}

impl<P> Default for Eager<P> {
    fn default() -> Self {
        Eager {
            joined: Vec::new(),
            loaders: Vec::new(),
        }
    }
}

impl<P> Eager<P> {
    /// Decode the joined relationships of one row.
    pub(crate) fn decode_joined(&self, parent: &mut P, row: &dyn RowReader) -> Result<()> {
        for part in &self.joined {
            part.decode(parent, row)?;
        }
        Ok(())
    }
}

/// Run loaders one after another over the same rows.
pub(crate) async fn run_loaders<P>(
    loaders: Vec<Box<dyn Loader<P>>>,
    rows: &mut [P],
    db: &dyn DynExecutor,
) -> Result<()> {
    for loader in loaders {
        loader.load(rows.iter_mut().collect(), db).await?;
    }
    Ok(())
}
