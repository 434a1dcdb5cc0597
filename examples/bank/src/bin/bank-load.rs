//! The load benchmark of the bank: requests/s, p50 and p99 of transfers and balance reads
//! under N concurrent clients, served by orm ([`Bank`]) and by hand-written sqlx
//! ([`RawBank`]) — the same router and handlers, two servers in this process over the same
//! database — measured in interleaved slices of the same run.
//!
//! ```sh
//! cargo run --release -p orm-bank --bin bank-load                    # a temporary SQLite file
//! cargo run --release -p orm-bank --bin bank-load -- \
//!     --database-url postgres://postgres@127.0.0.1:5432/test         # database orm_load_bank there
//! ```
//!
//! 1. opens `--accounts` accounts through orm, each with `--initial-balance`;
//! 2. starts both servers on ephemeral ports and checks that they give the same answers,
//!    byte for byte: balances, unknown ids, a transfer made by either side replayed on both
//!    (200), its key reused for another amount (409), an overdraft (422);
//! 3. warms both endpoints up on both sides, runs `ANALYZE`, and measures: transfers between
//!    random pairs of accounts (a fresh idempotency key each, 0.01 to 5.00: nothing
//!    overdraws), and balance reads of random accounts;
//! 4. checks the books: the total is what it was, and every balance is its initial balance
//!    plus what the stored transfers brought in minus what they took out, at a version
//!    counting exactly the transfers that touched it — whichever side wrote them.

use std::collections::HashMap;
use std::error::Error;
use std::sync::Arc;

use axum::http::StatusCode;
use clap::Parser;
use orm::prelude::*;
use orm_bank::domain::{Account, NewAccount, Transfer};
use orm_bank::raw::RawBank;
use orm_bank::{Bank, Strategy, http::router};
use orm_loadgen::{
    Bench, Call, Endpoint, Http, LoadArgs, RawPool, Rng, Side, Target, compare, load_average, serve,
};
use serde_json::{Value, json};
use tracing_subscriber::EnvFilter;

type BoxError = Box<dyn Error + Send + Sync>;

/// The bank under load: orm against hand-written sqlx, same handlers, same database.
#[derive(Debug, Parser)]
#[command(name = "bank-load")]
struct Cli {
    #[command(flatten)]
    load: LoadArgs,
    /// Accounts to open.
    #[arg(long, default_value_t = 1_000)]
    accounts: usize,
    /// The balance each account opens with.
    #[arg(long, default_value = "1000.00")]
    initial_balance: Decimal,
    /// `optimistic` or `serializable`: how both sides run a transfer's transaction.
    #[arg(long, default_value = "optimistic")]
    strategy: Strategy,
}

/// A transfer request's body.
fn transfer_body(key: &str, from: i64, to: i64, amount: Decimal) -> String {
    json!({"idempotency_key": key, "from": from, "to": to, "amount": amount.to_string()})
        .to_string()
}

/// A random transfer between two different accounts, under a fresh key.
fn random_transfer(rng: &mut Rng, accounts: &[i64]) -> Call {
    let from = rng.index(accounts.len());
    let to = (from + 1 + rng.index(accounts.len() - 1)) % accounts.len();
    let key = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
    let amount = Decimal::new(rng.between(1, 500), 2);
    Call::post_json(
        "/transfers",
        transfer_body(&key, accounts[from], accounts[to], amount),
    )
}

/// Transfers made by `maker` (one side), then sent again to both sides: replays (200), a
/// key reused for another amount (409), the stored transfer by id; plus an overdraft (422).
async fn replay_checks(
    maker: &Side,
    accounts: &[i64],
    rng: &mut Rng,
) -> Result<Vec<Call>, BoxError> {
    let http = Http::new();
    let mut calls = Vec::new();
    for i in 0..5 {
        let key = format!("check-{}-{i}", maker.name);
        let (from, to) = (accounts[i], accounts[i + 1]);
        let amount = Decimal::new(rng.between(1, 500), 2);
        let create = Call::post_json("/transfers", transfer_body(&key, from, to, amount));
        let reply = http
            .expect(&maker.base, &create, StatusCode::CREATED)
            .await?;
        let stored: Value = serde_json::from_slice(&reply.body)?;
        let id = stored["id"].as_str().ok_or("a transfer without an id")?;
        calls.push(create);
        calls.push(Call::post_json(
            "/transfers",
            transfer_body(&key, from, to, amount + Decimal::ONE),
        ));
        calls.push(Call::get(format!("/transfers/{id}")));
    }
    calls.push(Call::post_json(
        "/transfers",
        transfer_body(
            "overdraft",
            accounts[0],
            accounts[1],
            Decimal::from(1_000_000),
        ),
    ));
    Ok(calls)
}

/// The books after the run: an error unless the money is all there, and every balance and
/// version is what the stored transfers say.
async fn check_books(db: &Database, initial: Decimal, accounts: usize) -> Result<String, BoxError> {
    let stored = Account::query().order_by(Account::id).all(db).await?;
    let transfers = Transfer::query().all(db).await?;
    let mut expected: HashMap<i64, (Decimal, i64)> = stored
        .iter()
        .map(|account| (account.id, (initial, 1)))
        .collect();
    for transfer in &transfers {
        for (id, delta) in [
            (transfer.from_account_id, -transfer.amount),
            (transfer.to_account_id, transfer.amount),
        ] {
            let entry = expected
                .get_mut(&id)
                .ok_or("a transfer of an unknown account")?;
            entry.0 += delta;
            entry.1 += 1;
        }
    }
    let total: Decimal = stored.iter().map(|account| account.balance).sum();
    let opened = initial * Decimal::from(u64::try_from(accounts)?);
    if total != opened {
        return Err(
            format!("money was created or lost: the total is {total}, not {opened}").into(),
        );
    }
    for account in &stored {
        let (balance, version) = expected[&account.id];
        if account.balance != balance
            || account.version != version
            || account.balance < Decimal::ZERO
        {
            return Err(format!(
                "account {}: balance {} at version {}, but its transfers say {balance} at version {version}",
                account.id, account.balance, account.version
            )
            .into());
        }
    }
    Ok(format!(
        "the books balance: {} transfers, total {total} in {} accounts, every balance and version as its transfers say",
        transfers.len(),
        stored.len()
    ))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    if cli.accounts < 7 {
        return Err("--accounts must be at least 7".into());
    }
    let load_before = load_average();
    let target = Target::prepare(cli.load.database_url.as_deref(), "bank").await?;
    let database = target.describe().await?;
    eprintln!("{database}: {}", target.url);

    let db = orm_bank::connect(&target.url).await?;
    let opened: Vec<NewAccount> = (0..cli.accounts)
        .map(|i| NewAccount {
            owner: format!("Owner {i}"),
            balance: cli.initial_balance,
        })
        .collect();
    NewAccount::insert_many(&db, &opened).await?;
    let accounts: Vec<i64> = Account::query()
        .select(Account::id)
        .order_by(Account::id)
        .all(&db)
        .await?;
    eprintln!(
        "opened {} accounts of {} each",
        accounts.len(),
        cli.initial_balance
    );

    let raw_pool = RawPool::connect(&target.url).await?;
    let orm = Side {
        name: "orm",
        base: serve(router(Bank::new(db.clone(), cli.strategy))).await?,
    };
    let raw = Side {
        name: "raw",
        base: serve(router(RawBank::new(raw_pool.clone(), cli.strategy))).await?,
    };

    // The two sides must give the same answers before their speed means anything.
    let mut rng = Rng::new(cli.load.seed);
    let mut sample = vec![
        Call::get("/accounts/0"),
        Call::get(format!("/transfers/{}", Uuid::nil())),
        Call::post_json(
            "/transfers",
            transfer_body("no-such", 0, accounts[0], Decimal::ONE),
        ),
    ];
    sample.extend(replay_checks(&orm, &accounts, &mut rng).await?);
    sample.extend(replay_checks(&raw, &accounts, &mut rng).await?);
    for _ in 0..200 {
        sample.push(Call::get(format!("/accounts/{}", rng.pick(&accounts))));
    }
    let agreed = compare(&orm, &raw, &sample).await?;
    eprintln!("the two sides gave the same {agreed} answers, byte for byte");

    let accounts = Arc::new(accounts);
    let for_reads = Arc::clone(&accounts);
    let endpoints = [
        Endpoint::new("`POST /transfers` (a new transfer)", move |rng| {
            random_transfer(rng, &accounts)
        })
        .accepting(|status| status == StatusCode::CREATED),
        Endpoint::new("`GET /accounts/{id}` (a balance)", move |rng| {
            Call::get(format!("/accounts/{}", rng.pick(&for_reads)))
        }),
    ];
    Bench::new(cli.load.clone(), orm, raw)
        .run(
            &endpoints,
            &target,
            &format!("bank: orm against raw sqlx ({} strategy)", cli.strategy),
            &database,
            &load_before,
        )
        .await?;
    let books = check_books(&db, cli.initial_balance, cli.accounts).await?;
    println!("{books}.");
    raw_pool.close().await;
    db.close().await;
    Ok(())
}
