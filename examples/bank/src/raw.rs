//! [`RawBank`]: the bank's reads and transfers written by hand on sqlx, the baseline of the
//! load benchmark (`src/bin/bank-load.rs`).
//!
//! A transfer takes the same steps as [`crate::Bank`]'s (see [`crate::bank`]): in one
//! transaction (`BEGIN IMMEDIATE` on SQLite; `BEGIN`, or `BEGIN ISOLATION LEVEL SERIALIZABLE`
//! under [`Strategy::Serializable`], on PostgreSQL) it looks the idempotency key up, reads
//! both accounts in id order, checks the funds, writes both balances in id order (each at
//! the version it was read at under [`Strategy::Optimistic`]: no row updated is a stale
//! account), and inserts the transfer under its key. It is run again, after the same
//! back-off, on a stale account or on contention the database reports, up to
//! [`MAX_ATTEMPTS`] times; a key taken by a concurrent request is answered with the stored
//! transfer. The rows are written exactly as orm writes them — SQLite amounts as integer
//! cents, timestamps as orm's ISO-8601 text, UUID v7 keys as 16-byte blobs, `version`
//! bumped and `updated_at` set by every write — so either side reads the other's rows.
//!
//! Statements are constant SQL with positional binds (one text for both backends: `$1` on
//! PostgreSQL, `?1` on SQLite), prepared and cached by sqlx; rows are decoded column by
//! column. Opening an account is not part of the baseline: it answers
//! [`AppError::MethodNotAllowed`] (405).

use std::hash::BuildHasher;
use std::sync::LazyLock;
use std::time::Duration;

use orm::TransactionError as _;
use orm::prelude::*;
use orm_loadgen::RawPool;
use orm_loadgen::raw::{orm_error, sqlite_sql};

use crate::bank::{
    FIRST_BACKOFF, Ledger, MAX_ATTEMPTS, MAX_BACKOFF, Outcome, Strategy, TransferRequest,
    new_balances, same_transfer,
};
use crate::domain::{Account, Transfer};
use crate::error::AppError;

/// The name of the UNIQUE constraint of the idempotency key (the migration's).
const KEY_CONSTRAINT: &str = "transfers_idempotency_key_18a43bf3_key";

/// The statements of one backend.
struct Statements {
    /// Begin a transfer's transaction under each strategy.
    begin_optimistic: &'static str,
    begin_serializable: &'static str,
    account: String,
    two_accounts: String,
    transfer: String,
    transfer_by_key: String,
    update_versioned: String,
    update: String,
    insert_transfer: String,
}

impl Statements {
    /// The statements, written with PostgreSQL's placeholders and passed through `dialect`.
    fn new(
        dialect: fn(&str) -> String,
        begin_optimistic: &'static str,
        begin_serializable: &'static str,
    ) -> Self {
        const ACCOUNT: &str = "SELECT id, owner, balance, version, created_at, updated_at \
                               FROM accounts";
        const TRANSFER: &str = "SELECT id, idempotency_key, from_account_id, to_account_id, \
                                amount, created_at FROM transfers";
        Statements {
            begin_optimistic,
            begin_serializable,
            account: dialect(&format!("{ACCOUNT} WHERE id = $1")),
            two_accounts: dialect(&format!("{ACCOUNT} WHERE id IN ($1, $2) ORDER BY id")),
            transfer: dialect(&format!("{TRANSFER} WHERE id = $1")),
            transfer_by_key: dialect(&format!("{TRANSFER} WHERE idempotency_key = $1")),
            update_versioned: dialect(
                "UPDATE accounts SET balance = $1, updated_at = $2, version = version + 1 \
                 WHERE id = $3 AND version = $4",
            ),
            update: dialect(
                "UPDATE accounts SET balance = $1, updated_at = $2, version = version + 1 \
                 WHERE id = $3",
            ),
            insert_transfer: dialect(
                "INSERT INTO transfers (id, idempotency_key, from_account_id, to_account_id, \
                 amount, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, \
                 idempotency_key, from_account_id, to_account_id, amount, created_at",
            ),
        }
    }
}

static POSTGRES: LazyLock<Statements> =
    LazyLock::new(|| Statements::new(str::to_owned, "BEGIN", "BEGIN ISOLATION LEVEL SERIALIZABLE"));
static SQLITE: LazyLock<Statements> =
    LazyLock::new(|| Statements::new(sqlite_sql, "BEGIN IMMEDIATE", "BEGIN IMMEDIATE"));

/// Values as SQLite stores them (orm's storage: cents, ISO-8601 text).
mod sqlite_values {
    use super::*;

    /// An amount as the integer of cents a `NUMERIC(18, 2)` column holds on SQLite.
    pub(super) fn money(amount: Decimal) -> Result<i64, AppError> {
        let mut cents = amount;
        cents.rescale(2);
        i64::try_from(cents.mantissa()).map_err(|_| {
            AppError::invalid("invalid_amount", "the amount does not fit NUMERIC(18, 2)")
        })
    }

    /// The amount in column `index`.
    pub(super) fn read_money(row: &sqlx::sqlite::SqliteRow, index: usize) -> sqlx::Result<Decimal> {
        use sqlx::Row as _;
        Ok(Decimal::new(row.try_get(index)?, 2))
    }

    /// Now, as orm stores a `DateTime<Utc>`: `2026-01-31T12:34:56.123456Z`.
    pub(super) fn now() -> String {
        Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    }
}

/// Values as PostgreSQL stores them (`NUMERIC`, `TIMESTAMPTZ`).
mod postgres_values {
    use super::*;

    /// An amount, as it is.
    pub(super) fn money(amount: Decimal) -> Result<Decimal, AppError> {
        Ok(amount)
    }

    /// The amount in column `index`.
    pub(super) fn read_money(row: &sqlx::postgres::PgRow, index: usize) -> sqlx::Result<Decimal> {
        use sqlx::Row as _;
        row.try_get(index)
    }

    /// Now.
    pub(super) fn now() -> DateTime<Utc> {
        Utc::now()
    }
}

/// Why an attempt at a transfer failed.
enum Failed {
    /// The idempotency key was taken by a request that committed first.
    KeyTaken,
    /// Anything else.
    App(AppError),
}

impl From<AppError> for Failed {
    fn from(error: AppError) -> Self {
        Failed::App(error)
    }
}

impl From<sqlx::Error> for Failed {
    fn from(error: sqlx::Error) -> Self {
        let key_taken = matches!(&error, sqlx::Error::Database(db) if db.is_unique_violation()
            && (db.constraint() == Some(KEY_CONSTRAINT)
                || db.message().contains("transfers.idempotency_key")));
        if key_taken {
            Failed::KeyTaken
        } else {
            Failed::App(AppError::Db(orm_error(error)))
        }
    }
}

/// A raw sqlx error as the service's error.
fn app_error(error: sqlx::Error) -> AppError {
    AppError::Db(orm_error(error))
}

/// The bank's reads and transfers on hand-written sqlx (see the module documentation).
#[derive(Debug, Clone)]
pub struct RawBank {
    pool: RawPool,
    strategy: Strategy,
}

impl RawBank {
    /// A bank on `pool` (a database the orm bank migrated) whose transfers run under
    /// `strategy`.
    pub fn new(pool: RawPool, strategy: Strategy) -> Self {
        RawBank { pool, strategy }
    }

    /// One attempt at `request`, on this bank's backend.
    async fn attempt(&self, request: &TransferRequest) -> Result<Outcome, Failed> {
        match &self.pool {
            RawPool::Sqlite(pool) => sqlite::attempt(pool, request, self.strategy).await,
            RawPool::Postgres(pool) => postgres::attempt(pool, request, self.strategy).await,
        }
    }

    /// The transfer stored under `key`.
    async fn transfer_by_key(&self, key: &str) -> Result<Option<Transfer>, sqlx::Error> {
        match &self.pool {
            RawPool::Sqlite(pool) => sqlite::transfer_by_key(pool, key).await,
            RawPool::Postgres(pool) => postgres::transfer_by_key(pool, key).await,
        }
    }
}

/// The per-backend functions: the same code for [`sqlx::Sqlite`] and [`sqlx::Postgres`],
/// with that backend's statements and stored values.
macro_rules! backend {
    ($module:ident, $db:ty, $statements:ident, $values:ident) => {
        mod $module {
            use super::*;

            type Row = <$db as sqlx::Database>::Row;

            fn decode_account(row: &Row) -> sqlx::Result<Account> {
                use sqlx::Row as _;
                Ok(Account {
                    id: row.try_get(0)?,
                    owner: row.try_get(1)?,
                    balance: $values::read_money(row, 2)?,
                    version: row.try_get(3)?,
                    created_at: row.try_get(4)?,
                    updated_at: row.try_get(5)?,
                })
            }

            fn decode_transfer(row: &Row) -> sqlx::Result<Transfer> {
                use sqlx::Row as _;
                Ok(Transfer {
                    id: row.try_get(0)?,
                    idempotency_key: row.try_get(1)?,
                    from_account_id: row.try_get(2)?,
                    to_account_id: row.try_get(3)?,
                    amount: $values::read_money(row, 4)?,
                    created_at: row.try_get(5)?,
                })
            }

            pub(super) async fn account(
                pool: &sqlx::Pool<$db>,
                id: i64,
            ) -> sqlx::Result<Option<Account>> {
                let row = sqlx::query($statements.account.as_str())
                    .bind(id)
                    .fetch_optional(pool)
                    .await?;
                row.as_ref().map(decode_account).transpose()
            }

            pub(super) async fn transfer(
                pool: &sqlx::Pool<$db>,
                id: Uuid,
            ) -> sqlx::Result<Option<Transfer>> {
                let row = sqlx::query($statements.transfer.as_str())
                    .bind(id)
                    .fetch_optional(pool)
                    .await?;
                row.as_ref().map(decode_transfer).transpose()
            }

            pub(super) async fn transfer_by_key(
                pool: &sqlx::Pool<$db>,
                key: &str,
            ) -> sqlx::Result<Option<Transfer>> {
                let row = sqlx::query($statements.transfer_by_key.as_str())
                    .bind(key)
                    .fetch_optional(pool)
                    .await?;
                row.as_ref().map(decode_transfer).transpose()
            }

            /// One attempt at a transfer, in one transaction (committed on success, rolled
            /// back when dropped on an error).
            pub(super) async fn attempt(
                pool: &sqlx::Pool<$db>,
                request: &TransferRequest,
                strategy: Strategy,
            ) -> Result<Outcome, Failed> {
                let sql = &*$statements;
                let begin = match strategy {
                    Strategy::Optimistic => sql.begin_optimistic,
                    Strategy::Serializable => sql.begin_serializable,
                };
                let mut tx = pool.begin_with(begin).await?;
                // 1. A transfer stored under the key is the answer.
                if let Some(row) = sqlx::query(sql.transfer_by_key.as_str())
                    .bind(request.idempotency_key.as_str())
                    .fetch_optional(&mut *tx)
                    .await?
                {
                    let stored = decode_transfer(&row)?;
                    tx.commit().await?;
                    return Ok(Outcome::Replayed(stored));
                }
                // 2. Both accounts, in id order; the funds.
                let accounts = sqlx::query(sql.two_accounts.as_str())
                    .bind(request.from.min(request.to))
                    .bind(request.from.max(request.to))
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(decode_account)
                    .collect::<sqlx::Result<Vec<_>>>()?;
                let (from, debited, credited) = new_balances(&accounts, request)?;
                // 3. Both balances, in id order.
                let now = $values::now();
                for account in &accounts {
                    let balance = if account.id == from {
                        debited
                    } else {
                        credited
                    };
                    let balance = $values::money(balance)?;
                    let done = match strategy {
                        Strategy::Optimistic => {
                            sqlx::query(sql.update_versioned.as_str())
                                .bind(balance)
                                .bind(&now)
                                .bind(account.id)
                                .bind(account.version)
                                .execute(&mut *tx)
                                .await?
                        }
                        Strategy::Serializable => {
                            sqlx::query(sql.update.as_str())
                                .bind(balance)
                                .bind(&now)
                                .bind(account.id)
                                .execute(&mut *tx)
                                .await?
                        }
                    };
                    if done.rows_affected() == 0 {
                        return Err(AppError::Db(orm::Error::StaleObject {
                            table: "accounts",
                            key: account.id.to_string(),
                            version: account.version,
                        })
                        .into());
                    }
                }
                // 4. The transfer, under its key.
                let row = sqlx::query(sql.insert_transfer.as_str())
                    .bind(Uuid::now_v7())
                    .bind(request.idempotency_key.as_str())
                    .bind(request.from)
                    .bind(request.to)
                    .bind($values::money(request.amount)?)
                    .bind(&now)
                    .fetch_one(&mut *tx)
                    .await?;
                let transfer = decode_transfer(&row)?;
                tx.commit().await?;
                Ok(Outcome::Created(transfer))
            }
        }
    };
}

backend!(sqlite, sqlx::Sqlite, SQLITE, sqlite_values);
backend!(postgres, sqlx::Postgres, POSTGRES, postgres_values);

impl Ledger for RawBank {
    async fn open_account(&self, _: String, _: Decimal) -> Result<Account, AppError> {
        Err(AppError::MethodNotAllowed)
    }

    async fn account(&self, id: i64) -> Result<Account, AppError> {
        match &self.pool {
            RawPool::Sqlite(pool) => sqlite::account(pool, id).await,
            RawPool::Postgres(pool) => postgres::account(pool, id).await,
        }
        .map_err(app_error)?
        .ok_or_else(|| AppError::account_not_found(id))
    }

    async fn transfer_by_id(&self, id: Uuid) -> Result<Transfer, AppError> {
        match &self.pool {
            RawPool::Sqlite(pool) => sqlite::transfer(pool, id).await,
            RawPool::Postgres(pool) => postgres::transfer(pool, id).await,
        }
        .map_err(app_error)?
        .ok_or_else(|| AppError::transfer_not_found(id))
    }

    async fn transfer(&self, request: &TransferRequest) -> Result<Outcome, AppError> {
        let mut attempt = 1;
        let outcome = loop {
            match self.attempt(request).await {
                Ok(outcome) => break outcome,
                Err(Failed::KeyTaken) => {
                    // Another request with this key committed first; its transfer is the
                    // answer.
                    let stored = self
                        .transfer_by_key(&request.idempotency_key)
                        .await
                        .map_err(app_error)?
                        .ok_or(AppError::Db(orm::Error::NotFound { table: "transfers" }))?;
                    break Outcome::Replayed(stored);
                }
                Err(Failed::App(AppError::Db(error))) if worth_retrying(&error) => {
                    if attempt >= MAX_ATTEMPTS {
                        return Err(AppError::Db(error.retries_exhausted(attempt)));
                    }
                    tokio::time::sleep(backoff(attempt)).await;
                    attempt += 1;
                }
                Err(Failed::App(error)) => return Err(error),
            }
        };
        if let Outcome::Replayed(stored) = &outcome
            && !same_transfer(stored, request)
        {
            return Err(AppError::KeyReused {
                key: request.idempotency_key.clone(),
            });
        }
        Ok(outcome)
    }
}

/// True when the same transaction may succeed if run again (what orm's
/// `TxOptions::retry(..).retry_on(ErrorKind::StaleObject)` retries for [`crate::Bank`]): a stale account, or contention
/// the database reported (a deadlock, a busy SQLite database, a serialization failure).
fn worth_retrying(error: &orm::Error) -> bool {
    error.kind() == ErrorKind::StaleObject || error.is_retryable()
}

/// The wait before retry number `attempt` (from 1), as orm's `TxOptions::retry_backoff`: drawn between half and all of
/// `FIRST_BACKOFF · 2^(attempt-1)`, capped at [`MAX_BACKOFF`]. The jitter keeps two
/// transfers that collided from colliding again at once.
fn backoff(attempt: u32) -> Duration {
    let ceiling = FIRST_BACKOFF
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    let half = ceiling / 2;
    let spread = u64::try_from(half.as_micros()).unwrap_or(u64::MAX);
    // std's RandomState is seeded at random: a random draw without a dependency for it.
    let draw = std::collections::hash_map::RandomState::new().hash_one(attempt);
    half + Duration::from_micros(draw % (spread + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_within_bounds() {
        for attempt in 1..=MAX_ATTEMPTS {
            let ceiling = FIRST_BACKOFF
                .saturating_mul(1 << (attempt - 1).min(16))
                .min(MAX_BACKOFF);
            let wait = backoff(attempt);
            assert!(
                wait >= ceiling / 2 && wait <= ceiling,
                "{attempt}: {wait:?}"
            );
        }
    }
}
