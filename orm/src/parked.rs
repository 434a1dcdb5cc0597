//! Connections kept between statements run through `&Database`.
//!
//! sqlx pings every connection given back to its pool (a round trip, in a task it spawns),
//! so a short statement through the pool cost about twice one on a held connection, and the
//! next statement often waited for that ping to give the connection back. A connection
//! whose statement just finished cleanly is alive and in a known state, so instead of giving
//! it back, the database parks it here for its next statement:
//!
//! - only after a statement that completed, with no transaction open, nothing interrupted
//!   and no failure noted (anything else goes back to sqlx, which pings it);
//! - for at most the idle time after which the pool pings a connection before use
//!   (`DatabaseOptions::ping_after_idle`), and never while the database suspects its
//!   connections (after one was found dead): then parked connections go back to the pool,
//!   whose checks apply, so a dead connection is still found as before;
//! - never while a task waits for sqlx's pool: every checkout counts itself waiting before it
//!   looks here, and a connection parked while someone waits goes back to the pool at once,
//!   so a parked connection never leaves a waiter waiting.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::connection::Held;

/// The parked connections of one pool, newest last.
pub(crate) struct Parked {
    held: Mutex<Vec<(Held, Instant)>>,
    /// Checkouts between their look here and their connection from the pool.
    waiting: AtomicUsize,
    /// How long a connection may stay parked.
    ttl: Duration,
}

impl std::fmt::Debug for Parked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parked = self.held.lock().map_or(0, |held| held.len());
        f.debug_struct("Parked")
            .field("parked", &parked)
            .field("ttl", &self.ttl)
            .finish()
    }
}

impl Parked {
    pub(crate) fn new(ttl: Duration) -> Parked {
        Parked {
            held: Mutex::new(Vec::new()),
            waiting: AtomicUsize::new(0),
            ttl,
        }
    }

    /// A parked connection, newest first; `None` when there is none young enough (older ones
    /// go back to the pool). `suspect`: connections are suspected dead, so none is taken and
    /// all go back to the pool. The caller has counted itself waiting ([`Parked::wait`]).
    pub(crate) fn take(&self, suspect: bool) -> Option<Held> {
        let (taken, stale) = {
            let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
            if suspect {
                (None, std::mem::take(&mut *held))
            } else {
                let now = Instant::now();
                let young =
                    held.partition_point(|(_, since)| now.duration_since(*since) > self.ttl);
                let stale: Vec<_> = held.drain(..young).collect();
                (held.pop().map(|(held, _)| held), stale)
            }
        };
        // Given back to sqlx outside the lock (dropping starts its return).
        drop(stale);
        taken
    }

    /// Count a checkout as waiting for a connection until the guard drops: a connection
    /// parked meanwhile goes back to the pool for it.
    pub(crate) fn wait(&self) -> Waiting<'_> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        Waiting(self)
    }

    /// Keep `held` for the next statement if it is clean; else (or when a checkout waits for
    /// the pool) give it back to the pool.
    pub(crate) fn park(&self, held: Held) {
        if !held.reusable() {
            return;
        }
        let mut parked = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        parked.push((held, Instant::now()));
        if self.waiting.load(Ordering::SeqCst) > 0 {
            let back = parked.pop();
            drop(parked);
            drop(back);
        }
    }

    /// Give every parked connection back to the pool (before it closes).
    pub(crate) fn clear(&self) {
        let all = std::mem::take(&mut *self.held.lock().unwrap_or_else(PoisonError::into_inner));
        drop(all);
    }
}

/// A checkout waiting for a connection (see [`Parked::wait`]).
pub(crate) struct Waiting<'a>(&'a Parked);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}
