//! What a query carries to load relationships: parts decoded from joined columns of each row,
//! and loaders that run after the rows are fetched.

use super::RelationMeta;
use crate::error::Result;
use crate::executor::{BoxFuture, DynExecutor};
use crate::statement::SelectStatement;
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
    /// The relationship it loads.
    fn meta(&self) -> &'static RelationMeta;
    /// Where its columns start in the parent query's select list.
    fn offset(&self) -> usize;
    /// The load by key that replaces the join.
    fn into_loader(self: Box<Self>) -> Box<dyn Loader<P>>;
}

/// The relationship work attached to a query of `P` rows.
pub struct Eager<P> {
    pub(crate) joined: Vec<Box<dyn JoinedPart<P>>>,
    pub(crate) loaders: Vec<Box<dyn Loader<P>>>,
    /// Relationships loaded by key without options: a second plain `.with(..)` of one adds
    /// nothing.
    pub(crate) plain_loads: Vec<&'static RelationMeta>,
    /// A join was asked for by name (`.joined()`), so the joins may not turn into loads by
    /// key.
    pub(crate) insisted_join: bool,
}

impl<P> Default for Eager<P> {
    fn default() -> Self {
        Eager {
            joined: Vec::new(),
            loaders: Vec::new(),
            plain_loads: Vec::new(),
            insisted_join: false,
        }
    }
}

impl<P> Eager<P> {
    /// Add a plain load by key of `meta` unless one is there already.
    pub(crate) fn add_plain_load(
        &mut self,
        meta: &'static RelationMeta,
        loader: impl FnOnce() -> Box<dyn Loader<P>>,
    ) {
        if !self.plain_loads.contains(&meta) {
            self.plain_loads.push(meta);
            self.loaders.push(loader());
        }
    }

    /// The query stopped being one a join fits (grouped, distinct, combined, locked): turn
    /// the relationships joined into it into loads by key, removing their joins and columns
    /// from `statement`. False, with nothing changed, when one was joined on request
    /// (`.joined()`).
    pub(crate) fn unjoin(&mut self, statement: &mut SelectStatement) -> bool {
        if self.insisted_join {
            return false;
        }
        let Some(offset) = self.joined.iter().map(|part| part.offset()).min() else {
            return true;
        };
        statement.columns.truncate(offset);
        let aliases: Vec<&str> = self.joined.iter().map(|p| p.meta().join_alias).collect();
        statement
            .joins
            .retain(|join| !aliases.contains(&join.source.scope_name()));
        for part in std::mem::take(&mut self.joined) {
            self.add_plain_load(part.meta(), || part.into_loader());
        }
        true
    }

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
