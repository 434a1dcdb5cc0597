//! Statement timeouts on SQLite, which has no `statement_timeout` setting: a progress
//! handler interrupts a statement that runs past its deadline, and SQLite fails it with
//! `SQLITE_INTERRUPT` (classified as a cancelled statement, as PostgreSQL's 57014 is).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteConnection;

/// SQLite virtual-machine steps between two looks at the clock (a few microseconds).
const STEPS_BETWEEN_CHECKS: i32 = 1000;

/// Microseconds since the first deadline of the process (never 0: 0 means "no deadline").
fn now_us() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    let epoch = *EPOCH.get_or_init(Instant::now);
    u64::try_from(epoch.elapsed().as_micros()).unwrap_or(u64::MAX) + 1
}

/// The statement timeout of one transaction on one connection: armed before each statement,
/// disarmed after it.
#[derive(Debug, Clone)]
pub struct StatementDeadline {
    timeout: Duration,
    /// When the running statement must stop ([`now_us`] units), 0 when none is running.
    at: Arc<AtomicU64>,
}

impl StatementDeadline {
    /// A deadline of `timeout` per statement.
    pub fn new(timeout: Duration) -> Self {
        StatementDeadline {
            timeout,
            at: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Start the clock of the statement about to be sent.
    pub fn arm(&self) {
        let timeout = u64::try_from(self.timeout.as_micros()).unwrap_or(u64::MAX);
        self.at
            .store(now_us().saturating_add(timeout), Ordering::Relaxed);
    }

    /// Stop the clock: no statement of this transaction is running.
    pub fn disarm(&self) {
        self.at.store(0, Ordering::Relaxed);
    }

    /// Install the handler that interrupts a statement past the deadline on `conn`.
    pub async fn install(&self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        let at = Arc::clone(&self.at);
        conn.lock_handle()
            .await?
            .set_progress_handler(STEPS_BETWEEN_CHECKS, move || {
                let deadline = at.load(Ordering::Relaxed);
                deadline == 0 || now_us() < deadline
            });
        Ok(())
    }

    /// Remove the handler from `conn` (the transaction ended).
    pub async fn uninstall(&self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        self.disarm();
        conn.lock_handle().await?.remove_progress_handler();
        Ok(())
    }
}
