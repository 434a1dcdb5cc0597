//! The load test: 32 concurrent clients send 5 000 random transfers among 10 accounts over
//! HTTP — some sent again with their idempotency key (often while the first is still in
//! flight), some that would overdraw — on SQLite and PostgreSQL, under both strategies.
//! Afterwards the books must balance:
//!
//! - the sum of the balances is what it was, and no balance is negative;
//! - every idempotency key that got a 201 is stored exactly once, with the transfer id
//!   every answer for that key gave; a key that only got 422s is not stored;
//! - each balance is its initial balance plus what the stored transfers brought in minus
//!   what they took out, and its version counts exactly the transfers that touched it.
//!
//! The four runs take turns (a lock), so that each one's time is its own.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hyper::StatusCode;
use orm::prelude::*;
use orm_bank::domain::{Account, Transfer};
use serde_json::json;

use crate::common::{Api, dec};

/// How many clients send at once.
const CLIENTS: usize = 32;
/// How many requests they send in all (repeats included).
const REQUESTS: usize = 5_000;
/// How many accounts the money moves between.
const ACCOUNTS: usize = 10;
/// How many times a client sends a request again after a 503 (same key).
const CLIENT_RETRIES: usize = 10;

/// One run at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// SplitMix64: a small deterministic generator, so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).expect("small")).expect("below n")
    }

    /// Cents in `low..=high`, as a decimal.
    fn cents(&mut self, low: i64, high: i64) -> Decimal {
        let span = u64::try_from(high - low + 1).expect("a range");
        let cents = low + i64::try_from(self.next() % span).expect("small");
        Decimal::new(cents, 2)
    }
}

/// A transfer the clients send (maybe more than once).
#[derive(Debug, Clone)]
struct Planned {
    key: String,
    /// Indexes into the accounts.
    from: usize,
    to: usize,
    amount: Decimal,
}

/// What a client got for one request (after its own retries of 503s).
#[derive(Debug)]
struct Answer {
    /// Index into the plan.
    planned: usize,
    status: StatusCode,
    code: Option<String>,
    transfer_id: Option<String>,
}

/// The requests: mostly new transfers; about 1 in 8 a transfer sent again (one of the last
/// few, so the copies often race); about 1 in 20 an amount no account can hold.
fn plan(rng: &mut Rng) -> (Vec<Planned>, Vec<usize>) {
    let mut planned: Vec<Planned> = Vec::new();
    let mut sends = Vec::with_capacity(REQUESTS);
    while sends.len() < REQUESTS {
        if !planned.is_empty() && rng.below(8) == 0 {
            let back = rng.below(planned.len().min(40));
            sends.push(planned.len() - 1 - back);
            continue;
        }
        let from = rng.below(ACCOUNTS);
        let to = (from + 1 + rng.below(ACCOUNTS - 1)) % ACCOUNTS;
        let amount = if rng.below(20) == 0 {
            dec("1000000.00")
        } else {
            rng.cents(1, 30_000)
        };
        planned.push(Planned {
            // Random, as clients make them (a UUID, say): sequential keys would share
            // index pages, which PostgreSQL's SERIALIZABLE tracks reads by.
            key: format!("load-{:016x}", rng.next()),
            from,
            to,
            amount,
        });
        sends.push(planned.len() - 1);
    }
    (planned, sends)
}

async fn five_thousand_transfers_keep_the_books(api: &Api) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut rng = Rng(0x00C0_FFEE);
    let initial: Vec<Decimal> = (0..ACCOUNTS).map(|_| rng.cents(20_000, 200_000)).collect();
    let mut ids = Vec::new();
    for (n, balance) in initial.iter().enumerate() {
        let reply = api
            .post(
                "/accounts",
                &json!({"owner": format!("owner {n}"), "initial_balance": balance.to_string()}),
            )
            .await;
        ids.push(
            reply.expect(StatusCode::CREATED)["id"]
                .as_i64()
                .expect("an id"),
        );
    }
    let (planned, sends) = plan(&mut rng);
    let planned = Arc::new(planned);
    let sends = Arc::new(sends);
    let ids = Arc::new(ids);

    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let retried_503 = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (http, planned, sends, ids, next, retried_503) = (
            api.http().clone(),
            Arc::clone(&planned),
            Arc::clone(&sends),
            Arc::clone(&ids),
            Arc::clone(&next),
            Arc::clone(&retried_503),
        );
        clients.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let Some(&index) = sends.get(n) else { break };
                let p = &planned[index];
                let body = json!({
                    "idempotency_key": p.key,
                    "from": ids[p.from],
                    "to": ids[p.to],
                    "amount": p.amount.to_string(),
                });
                let mut reply = http.post("/transfers", &body).await;
                for _ in 0..CLIENT_RETRIES {
                    if reply.status != StatusCode::SERVICE_UNAVAILABLE {
                        break;
                    }
                    assert!(reply.retry_after, "a 503 says when to come back");
                    retried_503.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    reply = http.post("/transfers", &body).await;
                }
                answers.push(Answer {
                    planned: index,
                    status: reply.status,
                    code: reply.error_code().map(str::to_owned),
                    transfer_id: reply.json["id"].as_str().map(str::to_owned),
                });
            }
            answers
        }));
    }
    let mut answers = Vec::new();
    for client in clients {
        answers.extend(client.await.expect("a client"));
    }
    let elapsed = started.elapsed();
    assert_eq!(answers.len(), REQUESTS, "every request was answered");

    // Every answer is a success, a replay, or insufficient funds.
    let mut by_key: HashMap<usize, Vec<&Answer>> = HashMap::new();
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for answer in &answers {
        let label = match (answer.status, answer.code.as_deref()) {
            (StatusCode::CREATED, None) => "201 created",
            (StatusCode::OK, None) => "200 replayed",
            (StatusCode::UNPROCESSABLE_ENTITY, Some("insufficient_funds")) => {
                "422 insufficient_funds"
            }
            (status, code) => panic!(
                "request for {:?}: unexpected {status} {code:?}",
                planned[answer.planned]
            ),
        };
        *tally.entry(label.to_owned()).or_default() += 1;
        by_key.entry(answer.planned).or_default().push(answer);
    }
    // Per key: at most one 201; a 200 only with it; one transfer id across its answers.
    let mut expected_ids: HashMap<&str, &str> = HashMap::new();
    for (&index, answers) in &by_key {
        let key = planned[index].key.as_str();
        let created = answers
            .iter()
            .filter(|a| a.status == StatusCode::CREATED)
            .count();
        let ids: HashSet<&str> = answers
            .iter()
            .filter_map(|a| a.transfer_id.as_deref())
            .collect();
        assert!(created <= 1, "{key}: {created} answers of 201");
        assert_eq!(
            ids.len(),
            created,
            "{key}: one transfer id if the key moved money, none otherwise: {answers:?}"
        );
        if let Some(id) = ids.into_iter().next() {
            expected_ids.insert(key, id);
        }
    }

    // The stored transfers: each key once, exactly the keys that got a 201, as answered.
    let db = api.db().await;
    let transfers = Transfer::query().all(&db).await.expect("transfers");
    let stored_keys: HashSet<&str> = transfers
        .iter()
        .map(|t| t.idempotency_key.as_str())
        .collect();
    assert_eq!(stored_keys.len(), transfers.len(), "a key stored twice");
    assert_eq!(
        transfers.len(),
        expected_ids.len(),
        "stored vs answered 201"
    );
    let by_name: HashMap<&str, &Planned> = planned.iter().map(|p| (p.key.as_str(), p)).collect();
    for transfer in &transfers {
        let key = transfer.idempotency_key.as_str();
        assert_eq!(
            expected_ids.get(key).copied(),
            Some(transfer.id.to_string().as_str()),
            "{key}: the stored transfer is the one the API answered with"
        );
        let p = by_name[key];
        assert_eq!(
            (
                transfer.from_account_id,
                transfer.to_account_id,
                transfer.amount
            ),
            (ids[p.from], ids[p.to], p.amount),
            "{key}"
        );
    }

    // The books: the total is unchanged, no balance is negative, and each balance and
    // version is what the stored transfers say.
    let accounts = Account::query()
        .order_by(Account::id)
        .all(&db)
        .await
        .expect("accounts");
    assert_eq!(accounts.len(), ACCOUNTS);
    let total_before: Decimal = initial.iter().copied().sum();
    let total_after: Decimal = accounts.iter().map(|a| a.balance).sum();
    assert_eq!(total_after, total_before, "money was created or destroyed");
    for (n, account) in accounts.iter().enumerate() {
        assert_eq!(account.id, ids[n]);
        assert!(account.balance >= Decimal::ZERO, "{account:?}");
        let incoming: Decimal = transfers
            .iter()
            .filter(|t| t.to_account_id == account.id)
            .map(|t| t.amount)
            .sum();
        let outgoing: Decimal = transfers
            .iter()
            .filter(|t| t.from_account_id == account.id)
            .map(|t| t.amount)
            .sum();
        assert_eq!(
            account.balance,
            initial[n] + incoming - outgoing,
            "account {}: initial {} + in {incoming} - out {outgoing}",
            account.id,
            initial[n]
        );
        let touched = transfers
            .iter()
            .filter(|t| t.from_account_id == account.id || t.to_account_id == account.id)
            .count();
        assert_eq!(
            account.version,
            1 + i64::try_from(touched).expect("small"),
            "account {}: one write per transfer that touched it",
            account.id
        );
        let reply = api.get(&format!("/accounts/{}", account.id)).await;
        let served: Decimal = reply.expect(StatusCode::OK)["balance"]
            .as_str()
            .and_then(|b| b.parse().ok())
            .expect("a balance");
        assert_eq!(served, account.balance, "the API serves the stored balance");
    }

    // The run exercised what it is meant to.
    let count = |label: &str| tally.get(label).copied().unwrap_or(0);
    assert!(count("201 created") > REQUESTS / 2, "{tally:?}");
    assert!(count("200 replayed") > 100, "{tally:?}");
    assert!(count("422 insufficient_funds") > 100, "{tally:?}");
    eprintln!(
        "load test on {:?} with {}: {REQUESTS} requests from {CLIENTS} clients in {:.1} s \
         ({:.0} requests/s); {tally:?}; {} client retries after 503; {} transfers stored",
        api.backend,
        api.strategy,
        elapsed.as_secs_f64(),
        f64::from(u32::try_from(REQUESTS).expect("small")) / elapsed.as_secs_f64(),
        retried_503.load(Ordering::Relaxed),
        transfers.len(),
    );
}

on_every_backend!(every_strategy; five_thousand_transfers_keep_the_books);
