//! One pooled connection for the statements of one query: the query and its relationship
//! loads (`.with(..)`) run on the connection the query's first statement checked out, which
//! goes back to the pool once, when the query is done.
//!
//! Checking a connection out per statement costs little when the pool has connections to
//! spare, but under load each checkout waits in the pool's queue and each return pings the
//! connection: a task detail loaded with its tags and comments (three statements) paid that
//! three times where hand-written code pays it once. Every statement keeps the pool's rules:
//! a read that met a dead connection before its first row runs again on another one, and a
//! connection goes back to the slot only after a statement that finished cleanly.

use std::sync::{Mutex, PoisonError};

use orm_core::error::Result;
use orm_core::executor::{BoxFuture, DynExecutor, RowSink};
use orm_core::{Dialect, Executor, Statement};

use super::{Database, Pool, Replica};
use crate::connection::Held;

/// The connection one query keeps between its statements, with where it came from.
pub(super) struct Kept<'d> {
    slot: Mutex<Option<Taken<'d>>>,
}

/// A kept connection, its pool and, for a replica's, the replica.
type Taken<'d> = (Held, &'d Pool, Option<&'d Replica>);

impl<'d> Kept<'d> {
    /// The kept connection, when there is one a statement may use: any for a read, the
    /// primary's for a write.
    pub(super) fn take(&self, read_only: bool) -> Option<Taken<'d>> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some((_, _, replica)) if read_only || replica.is_none() => slot.take(),
            _ => None,
        }
    }

    /// Keep `held` for the next statement (a connection kept before goes back to the pool).
    pub(super) fn keep(&self, held: Held, pool: &'d Pool, replica: Option<&'d Replica>) {
        let previous = self
            .slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .replace((held, pool, replica));
        drop(previous);
    }
}

/// `&Database` for one query's statements: see the module's documentation.
pub(super) struct OneConnection<'d> {
    db: &'d Database,
    kept: Kept<'d>,
}

impl<'d> OneConnection<'d> {
    pub(super) fn new(db: &'d Database) -> Self {
        OneConnection {
            db,
            kept: Kept {
                slot: Mutex::new(None),
            },
        }
    }

    /// Give the kept connection back, as a statement through `&Database` does.
    fn give_back(&self) {
        let taken = self
            .kept
            .slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some((held, pool, _)) = taken {
            self.db.release(pool, held);
        }
    }
}

impl Drop for OneConnection<'_> {
    fn drop(&mut self) {
        self.give_back();
    }
}

impl DynExecutor for OneConnection<'_> {
    fn dialect_dyn(&self) -> &'static dyn Dialect {
        self.db.dialect
    }

    fn execute_dyn(&self, statement: Statement) -> BoxFuture<'_, Result<u64>> {
        Box::pin(self.db.execute_on(Some(&self.kept), statement))
    }

    fn execute_atomic_dyn(&self, statements: Vec<Statement>) -> BoxFuture<'_, Result<Vec<u64>>> {
        // A transaction of its own, on a connection of its own: the kept one goes back first,
        // so that a pool of one connection does not wait for itself.
        self.give_back();
        Box::pin(self.db.execute_atomic(statements))
    }

    fn fetch_each_dyn<'a>(
        &'a self,
        statement: Statement,
        each: RowSink<'a>,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.db.fetch_each_on(Some(&self.kept), statement, each))
    }
}
