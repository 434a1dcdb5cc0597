//! The bank's operations: open an account, read one, move money — the last in one
//! transaction, run under the [`Strategy`] chosen at start-up.
//!
//! A transfer, whatever the strategy:
//!
//! 1. looks its idempotency key up: a transfer stored under it is the answer (nothing
//!    moves again);
//! 2. reads both accounts (404 for an unknown one) and checks the source holds the amount
//!    (422 `insufficient_funds`, nothing written);
//! 3. writes both balances, in account-id order (two opposite transfers never wait on each
//!    other in a cycle: no deadlocks on PostgreSQL);
//! 4. inserts the transfer row under its idempotency key, in the same transaction.
//!
//! Two requests with one key that race both pass step 1; the UNIQUE constraint on the key
//! lets one insert commit and makes the other's transaction fail, rolling back its balance
//! writes. The loser then reads the winner's transfer (after its failed transaction, so it
//! sees the committed row) and answers with it: money moves once.

use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use orm::prelude::*;
use orm::{IsolationLevel, TxOptions};

use crate::domain::{Account, NewAccount, NewTransfer, Transfer};
use crate::error::AppError;

/// How a transfer's transaction guards against concurrent transfers of the same accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// Optimistic locking: the transaction runs at the database's default isolation (read
    /// committed on PostgreSQL), and each account is written only at the version it was read
    /// at (`#[orm(version)]`). A write that finds the version changed fails with
    /// `StaleObject`, and the whole transaction runs again after a short random wait, a
    /// bounded number of times ([`TxOptions::retry_on`]).
    #[default]
    Optimistic,
    /// `SERIALIZABLE` isolation: the database fails a transaction that could not have run
    /// alone (PostgreSQL `40001`, `ErrorKind::SerializationFailure`), and
    /// [`Database::transaction_with`] with [`TxOptions::retry`] runs it again, with
    /// exponential backoff and jitter. The balances are written without a version check.
    Serializable,
}

impl Strategy {
    /// The name `BANK_STRATEGY` takes.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Optimistic => "optimistic",
            Strategy::Serializable => "serializable",
        }
    }
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Strategy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "optimistic" => Ok(Strategy::Optimistic),
            "serializable" => Ok(Strategy::Serializable),
            other => Err(format!(
                "unknown strategy `{other}`: use `optimistic` or `serializable`"
            )),
        }
    }
}

/// How many times a transfer's transaction runs at most before the request fails with 503.
pub const MAX_ATTEMPTS: u32 = 25;
/// The wait before the first retry (doubled each retry, up to [`MAX_BACKOFF`], with jitter).
pub const FIRST_BACKOFF: Duration = Duration::from_millis(2);
/// The longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_millis(100);

/// A transfer to make: validated ([`crate::http`] checks the amount, key and accounts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRequest {
    /// The client's idempotency key.
    pub idempotency_key: String,
    /// The source account.
    pub from: i64,
    /// The destination account.
    pub to: i64,
    /// A positive amount with at most two decimal places.
    pub amount: Decimal,
}

/// What a transfer request did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The money moved now (201).
    Created(Transfer),
    /// The key was used before: this is the transfer it made, and nothing moved now (200).
    Replayed(Transfer),
}

/// What the HTTP layer asks of a bank: implemented by [`Bank`] (on orm) and by
/// [`crate::raw::RawBank`] (hand-written sqlx, the load benchmark's baseline), so that one
/// router serves either. The methods return `impl Future + Send`, as axum's handlers need.
pub trait Ledger: Clone + Send + Sync + 'static {
    /// Open an account with `initial_balance` (validated: not negative, two decimals).
    fn open_account(
        &self,
        owner: String,
        initial_balance: Decimal,
    ) -> impl Future<Output = Result<Account, AppError>> + Send;

    /// The account `id`.
    fn account(&self, id: i64) -> impl Future<Output = Result<Account, AppError>> + Send;

    /// The transfer `id`.
    fn transfer_by_id(&self, id: Uuid) -> impl Future<Output = Result<Transfer, AppError>> + Send;

    /// Move `request.amount` from `request.from` to `request.to`, once per idempotency key.
    fn transfer(
        &self,
        request: &TransferRequest,
    ) -> impl Future<Output = Result<Outcome, AppError>> + Send;
}

impl Ledger for Bank {
    fn open_account(
        &self,
        owner: String,
        initial_balance: Decimal,
    ) -> impl Future<Output = Result<Account, AppError>> + Send {
        Bank::open_account(self, owner, initial_balance)
    }

    fn account(&self, id: i64) -> impl Future<Output = Result<Account, AppError>> + Send {
        Bank::account(self, id)
    }

    fn transfer_by_id(&self, id: Uuid) -> impl Future<Output = Result<Transfer, AppError>> + Send {
        Bank::transfer_by_id(self, id)
    }

    fn transfer(
        &self,
        request: &TransferRequest,
    ) -> impl Future<Output = Result<Outcome, AppError>> + Send {
        Bank::transfer(self, request)
    }
}

/// The bank: a database and the strategy its transfers run under. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Bank {
    db: Database,
    strategy: Strategy,
}

impl Bank {
    /// A bank on `db` (migrated) whose transfers run under `strategy`.
    pub fn new(db: Database, strategy: Strategy) -> Self {
        Bank { db, strategy }
    }

    /// The database.
    pub fn db(&self) -> &Database {
        &self.db
    }

    /// The strategy transfers run under.
    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    /// Open an account with `initial_balance` (validated: not negative, two decimals).
    pub async fn open_account(
        &self,
        owner: String,
        initial_balance: Decimal,
    ) -> Result<Account, AppError> {
        Ok(NewAccount {
            owner,
            balance: initial_balance,
        }
        .insert(&self.db)
        .await?)
    }

    /// The account `id`.
    pub async fn account(&self, id: i64) -> Result<Account, AppError> {
        Account::find(id)
            .optional(&self.db)
            .await?
            .ok_or_else(|| AppError::account_not_found(id))
    }

    /// The transfer `id`.
    pub async fn transfer_by_id(&self, id: Uuid) -> Result<Transfer, AppError> {
        Transfer::find(id)
            .optional(&self.db)
            .await?
            .ok_or_else(|| AppError::transfer_not_found(id))
    }

    /// Move `request.amount` from `request.from` to `request.to`, once per idempotency key
    /// (see the module documentation).
    pub async fn transfer(&self, request: &TransferRequest) -> Result<Outcome, AppError> {
        let result = self.run_transfer(request).await;
        let outcome = match result {
            Err(AppError::Db(error)) if is_key_violation(&error) => {
                // Another request with this key committed first; its transfer is the answer.
                tracing::debug!(
                    key = %request.idempotency_key,
                    "the key was taken by a concurrent request"
                );
                let stored = Transfer::query()
                    .filter(Transfer::idempotency_key.eq(request.idempotency_key.as_str()))
                    .one(&self.db)
                    .await?;
                Outcome::Replayed(stored)
            }
            other => other?,
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

    /// Run the transfer's transaction, and again (after a short random wait, up to
    /// [`MAX_ATTEMPTS`] times in all) when it failed with contention the database reported
    /// (a serialization failure, a deadlock, a busy SQLite database) or, under the
    /// optimistic strategy, with `StaleObject`: an account written since the transaction
    /// read it. Each run reads the accounts again.
    async fn run_transfer(&self, request: &TransferRequest) -> Result<Outcome, AppError> {
        let retrying = TxOptions::new()
            .retry(MAX_ATTEMPTS - 1)
            .retry_backoff(FIRST_BACKOFF, MAX_BACKOFF);
        let options = match self.strategy {
            Strategy::Optimistic => retrying.retry_on(ErrorKind::StaleObject),
            Strategy::Serializable => retrying.isolation(IsolationLevel::Serializable),
        };
        let strategy = self.strategy;
        self.db
            .transaction_with(options, async |tx| {
                attempt_transfer(tx, request, strategy).await
            })
            .await
    }
}

/// One attempt at a transfer, in `tx` (steps 1 to 4 of the module documentation).
async fn attempt_transfer(
    tx: &Transaction,
    request: &TransferRequest,
    strategy: Strategy,
) -> Result<Outcome, AppError> {
    if let Some(stored) = Transfer::query()
        .filter(Transfer::idempotency_key.eq(request.idempotency_key.as_str()))
        .optional(tx)
        .await?
    {
        return Ok(Outcome::Replayed(stored));
    }
    let accounts = Account::query()
        .filter(Account::id.in_list([request.from, request.to]))
        .order_by(Account::id)
        .all(tx)
        .await?;
    let (from, debited, credited) = new_balances(&accounts, request)?;
    // `accounts` is in id order: every transfer locks its two rows in the same order.
    for account in &accounts {
        let balance = if account.id == from {
            debited
        } else {
            credited
        };
        match strategy {
            Strategy::Optimistic => {
                // UPDATE .. SET balance, version = version + 1 WHERE id = .. AND version = ..:
                // `StaleObject` when another transfer wrote the account since it was read.
                let mut tracked = Tracked::new(account.clone());
                tracked.balance = balance;
                tracked.save(tx).await?;
            }
            Strategy::Serializable => {
                // No version check: SERIALIZABLE fails the transaction instead.
                Account::update()
                    .filter(Account::id.eq(account.id))
                    .set(Account::balance, balance)
                    .exec(tx)
                    .await?;
            }
        }
    }
    let transfer = NewTransfer {
        idempotency_key: request.idempotency_key.clone(),
        from_account_id: request.from,
        to_account_id: request.to,
        amount: request.amount,
    }
    .insert(tx)
    .await?;
    Ok(Outcome::Created(transfer))
}

/// True for the unique violation of the idempotency key (another request with the key
/// committed first), also as the cause of a transaction orm gave up retrying: orm names the
/// table and column of the violated constraint the same way on both backends.
pub fn is_key_violation(error: &orm::Error) -> bool {
    error.kind() == ErrorKind::UniqueViolation
        && error.constraint().is_some_and(|info| {
            info.table.as_deref() == Some("transfers") && info.column() == Some("idempotency_key")
        })
}

/// The balances `request` leaves its two accounts with (`accounts`: both, as read in the
/// transfer's transaction): the id of the account it debits, its new balance, and the
/// credited account's; or why the transfer cannot happen (an account missing, not enough
/// funds, a balance the column cannot hold).
pub(crate) fn new_balances(
    accounts: &[Account],
    request: &TransferRequest,
) -> Result<(i64, Decimal, Decimal), AppError> {
    let find = |id: i64| {
        accounts
            .iter()
            .find(|account| account.id == id)
            .ok_or_else(|| AppError::account_not_found(id))
    };
    let (from, to) = (find(request.from)?, find(request.to)?);
    if from.balance < request.amount {
        return Err(AppError::InsufficientFunds { account: from.id });
    }
    let credited = to
        .balance
        .checked_add(request.amount)
        .filter(|balance| *balance <= crate::http::MAX_MONEY)
        .ok_or_else(|| {
            AppError::invalid(
                "balance_too_large",
                format!(
                    "account {} cannot hold more than {}",
                    to.id,
                    crate::http::MAX_MONEY
                ),
            )
        })?;
    Ok((from.id, from.balance - request.amount, credited))
}

/// True when the stored transfer is the one `request` asks for (same accounts, same amount).
pub(crate) fn same_transfer(stored: &Transfer, request: &TransferRequest) -> bool {
    stored.from_account_id == request.from
        && stored.to_account_id == request.to
        && stored.amount == request.amount
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategies_parse_by_name() {
        assert_eq!("optimistic".parse(), Ok(Strategy::Optimistic));
        assert_eq!(" Serializable ".parse(), Ok(Strategy::Serializable));
        assert!("pessimistic".parse::<Strategy>().is_err());
        assert_eq!(Strategy::default(), Strategy::Optimistic);
    }
}
