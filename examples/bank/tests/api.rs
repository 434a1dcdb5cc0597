//! End-to-end tests of every answer of the API, over HTTP, on SQLite and PostgreSQL: the
//! success paths, every error status, idempotent retries (sequential and raced), and that a
//! refused transfer writes nothing.

mod common;

use std::collections::HashSet;

use axum::response::IntoResponse;
use futures_util::future::join_all;
use hyper::{Method, StatusCode};
use orm::ErrorKind;
use orm::prelude::*;
use orm_bank::domain::{Account, Transfer};
use orm_bank::error::AppError;
use serde_json::{Value, json};

use crate::common::{Api, dec};

/// Open an account over HTTP; its id.
async fn open(api: &Api, owner: &str, balance: &str) -> i64 {
    let reply = api
        .post(
            "/accounts",
            &json!({"owner": owner, "initial_balance": balance}),
        )
        .await;
    reply.expect(StatusCode::CREATED)["id"]
        .as_i64()
        .expect("an id")
}

/// An account's balance, read over HTTP.
async fn balance(api: &Api, id: i64) -> String {
    let reply = api.get(&format!("/accounts/{id}")).await;
    reply.expect(StatusCode::OK)["balance"]
        .as_str()
        .expect("the balance is a string")
        .to_owned()
}

fn transfer(key: &str, from: i64, to: i64, amount: Value) -> Value {
    json!({"idempotency_key": key, "from": from, "to": to, "amount": amount})
}

async fn accounts_open_and_read(api: &Api) {
    let reply = api
        .post(
            "/accounts",
            &json!({"owner": "Alice", "initial_balance": "100.5"}),
        )
        .await;
    let created = reply.expect(StatusCode::CREATED).clone();
    assert_eq!(created["owner"], "Alice");
    assert_eq!(created["balance"], "100.50", "two decimals, as a string");
    assert_eq!(created["version"], 1);
    assert!(created["created_at"].is_string(), "{created}");
    let id = created["id"].as_i64().expect("an id");
    let read = api.get(&format!("/accounts/{id}")).await;
    assert_eq!(
        read.expect(StatusCode::OK),
        &created,
        "GET returns what POST did"
    );

    // A JSON number is read back exactly from its text; an integer too.
    let id = open(api, "Bob", "0").await;
    assert_eq!(balance(api, id).await, "0.00");
    let reply = api
        .post(
            "/accounts",
            &json!({"owner": "Carol", "initial_balance": 19.99}),
        )
        .await;
    assert_eq!(reply.expect(StatusCode::CREATED)["balance"], "19.99");
    let reply = api
        .post(
            "/accounts",
            &json!({"owner": "Dan", "initial_balance": "9999999999999999.99"}),
        )
        .await;
    assert_eq!(
        reply.expect(StatusCode::CREATED)["balance"],
        "9999999999999999.99",
        "the largest NUMERIC(18, 2), exact on both backends"
    );
}

async fn account_errors(api: &Api) {
    for (body, code) in [
        (
            json!({"owner": "", "initial_balance": "1"}),
            "invalid_owner",
        ),
        (
            json!({"owner": "   ", "initial_balance": "1"}),
            "invalid_owner",
        ),
        (
            json!({"owner": "x".repeat(201), "initial_balance": "1"}),
            "invalid_owner",
        ),
        (
            json!({"owner": "Eve", "initial_balance": "-0.01"}),
            "invalid_amount",
        ),
        (
            json!({"owner": "Eve", "initial_balance": "1.001"}),
            "invalid_amount",
        ),
        (
            json!({"owner": "Eve", "initial_balance": "lots"}),
            "invalid_amount",
        ),
        (
            json!({"owner": "Eve", "initial_balance": null}),
            "invalid_amount",
        ),
        (
            json!({"owner": "Eve", "initial_balance": "10000000000000000"}),
            "invalid_amount",
        ),
        (
            json!({"owner": "Eve", "initial_balance": 1e20}),
            "invalid_amount",
        ),
        (json!({"owner": "Eve"}), "invalid_body"),
        (json!({"owner": 5, "initial_balance": "1"}), "invalid_body"),
        (
            json!({"owner": "Eve", "initial_balance": "1", "admin": true}),
            "invalid_body",
        ),
        (json!(["Eve", "1"]), "invalid_body"),
    ] {
        let reply = api.post("/accounts", &body).await;
        reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    // Not JSON at all, or cut short: 400.
    for text in ["{\"owner\": ", "owner=Eve", "", "{\"owner\": \"Eve\", }"] {
        let reply = api
            .send(
                Method::POST,
                "/accounts",
                Some(("application/json", text.to_owned())),
            )
            .await;
        reply.expect_error(StatusCode::BAD_REQUEST, "malformed_json");
    }
    // JSON without saying so: 415.
    let reply = api
        .send(
            Method::POST,
            "/accounts",
            Some((
                "text/plain",
                json!({"owner": "Eve", "initial_balance": "1"}).to_string(),
            )),
        )
        .await;
    reply.expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    // Nothing of the above was stored.
    let db = api.db().await;
    assert_eq!(Account::query().count(&db).await.expect("count"), 0);

    // Unknown accounts, and paths that cannot name one: 404.
    for path in [
        "/accounts/999999",
        "/accounts/abc",
        "/accounts/-1",
        "/accounts/99999999999999999999",
    ] {
        api.get(path)
            .await
            .expect_error(StatusCode::NOT_FOUND, "account_not_found");
    }
    // Routes and methods.
    api.get("/nowhere")
        .await
        .expect_error(StatusCode::NOT_FOUND, "no_route");
    api.send(Method::DELETE, "/accounts/1", None)
        .await
        .expect_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    api.get("/transfers")
        .await
        .expect_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

async fn a_transfer_moves_money_once(api: &Api) {
    let alice = open(api, "Alice", "100.00").await;
    let bob = open(api, "Bob", "5.00").await;
    let body = transfer("pay-bob-1", alice, bob, json!("25.50"));
    let first = api.post("/transfers", &body).await;
    let created = first.expect(StatusCode::CREATED).clone();
    assert_eq!(created["idempotency_key"], "pay-bob-1");
    assert_eq!(created["from_account_id"], alice);
    assert_eq!(created["to_account_id"], bob);
    assert_eq!(created["amount"], "25.50");
    let id = created["id"].as_str().expect("a UUID").to_owned();
    assert!(id.parse::<Uuid>().is_ok(), "{id}");
    assert_eq!(balance(api, alice).await, "74.50");
    assert_eq!(balance(api, bob).await, "30.50");

    // The same request again: the first transfer, 200, and no money moves.
    for _ in 0..3 {
        let again = api.post("/transfers", &body).await;
        assert_eq!(again.expect(StatusCode::OK), &created, "the FIRST result");
    }
    // The same amount written differently is the same transfer.
    let again = api
        .post(
            "/transfers",
            &transfer("pay-bob-1", alice, bob, json!(25.5)),
        )
        .await;
    assert_eq!(again.expect(StatusCode::OK)["id"], id.as_str());
    assert_eq!(balance(api, alice).await, "74.50");
    assert_eq!(balance(api, bob).await, "30.50");

    // The key with another amount or other accounts: refused, nothing moves.
    for other in [
        transfer("pay-bob-1", alice, bob, json!("25.51")),
        transfer("pay-bob-1", bob, alice, json!("25.50")),
    ] {
        api.post("/transfers", &other)
            .await
            .expect_error(StatusCode::CONFLICT, "idempotency_key_reused");
    }
    assert_eq!(balance(api, alice).await, "74.50");

    // The transfer can be read back; an unknown one is 404.
    let read = api.get(&format!("/transfers/{id}")).await;
    assert_eq!(read.expect(StatusCode::OK), &created);
    api.get(&format!("/transfers/{}", Uuid::new_v4()))
        .await
        .expect_error(StatusCode::NOT_FOUND, "transfer_not_found");
    api.get("/transfers/not-a-uuid")
        .await
        .expect_error(StatusCode::NOT_FOUND, "transfer_not_found");

    // A second key moves money again; the exact balance may go to zero.
    let reply = api
        .post(
            "/transfers",
            &transfer("pay-bob-2", alice, bob, json!("74.50")),
        )
        .await;
    reply.expect(StatusCode::CREATED);
    assert_eq!(balance(api, alice).await, "0.00");
    assert_eq!(balance(api, bob).await, "105.00");

    let db = api.db().await;
    assert_eq!(Transfer::query().count(&db).await.expect("count"), 2);
    let account = Account::get(&db, alice).await.expect("alice");
    assert_eq!(account.version, 3, "two writes bumped the version twice");
}

async fn insufficient_funds_writes_nothing(api: &Api) {
    let alice = open(api, "Alice", "10.00").await;
    let bob = open(api, "Bob", "0").await;
    let db = api.db().await;
    let before: Vec<Account> = Account::query()
        .order_by(Account::id)
        .all(&db)
        .await
        .expect("accounts");
    let reply = api
        .post(
            "/transfers",
            &transfer("too-much", alice, bob, json!("10.01")),
        )
        .await;
    reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "insufficient_funds");
    let after: Vec<Account> = Account::query()
        .order_by(Account::id)
        .all(&db)
        .await
        .expect("accounts");
    assert_eq!(before, after, "balances and versions untouched");
    assert_eq!(Transfer::query().count(&db).await.expect("count"), 0);

    // The key was not used up: once the money is there, the same key goes through.
    api.post("/transfers", &transfer("top-up", bob, alice, json!("1")))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "insufficient_funds");
    let carol = open(api, "Carol", "0.01").await;
    api.post("/transfers", &transfer("gift", carol, alice, json!("0.01")))
        .await
        .expect(StatusCode::CREATED);
    let reply = api
        .post(
            "/transfers",
            &transfer("too-much", alice, bob, json!("10.01")),
        )
        .await;
    assert_eq!(reply.expect(StatusCode::CREATED)["amount"], "10.01");
    assert_eq!(balance(api, alice).await, "0.00");
    assert_eq!(balance(api, bob).await, "10.01");
    assert_eq!(balance(api, carol).await, "0.00");

    // The database's CHECK is the backstop: a negative balance written past the service is
    // refused there, and the service answers that error as insufficient funds.
    let error = Account::update()
        .filter(Account::id.eq(alice))
        .set(Account::balance, dec("-0.01"))
        .exec(&db)
        .await
        .expect_err("the CHECK refuses a negative balance");
    assert_eq!(error.kind(), ErrorKind::CheckViolation, "{error}");
    assert_eq!(
        error.constraint().and_then(|c| c.constraint.as_deref()),
        Some("accounts_balance_not_negative"),
        "{error}"
    );
    let response = AppError::from(error).into_response();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    let body: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(body["error"]["code"], "insufficient_funds", "{body}");
    assert_eq!(balance(api, alice).await, "0.00");
}

async fn transfer_errors(api: &Api) {
    let alice = open(api, "Alice", "50.00").await;
    let bob = open(api, "Bob", "50.00").await;
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            transfer("k1", alice, 999_999, json!("1")),
            StatusCode::NOT_FOUND,
            "account_not_found",
        ),
        (
            transfer("k2", 999_999, bob, json!("1")),
            StatusCode::NOT_FOUND,
            "account_not_found",
        ),
        (
            transfer("k3", alice, alice, json!("1")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "same_account",
        ),
        (
            transfer("k4", alice, bob, json!("0")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k5", alice, bob, json!("0.00")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k6", alice, bob, json!("-5")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k7", alice, bob, json!(-0.5)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k8", alice, bob, json!("1.001")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k9", alice, bob, json!(0.001)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k10", alice, bob, json!("ten")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k11", alice, bob, json!("1e2")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k12", alice, bob, json!("NaN")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k13", alice, bob, json!(true)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k14", alice, bob, json!({"cents": 100})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k15", alice, bob, json!("10000000000000000.00")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k16", alice, bob, json!(1e300)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
        ),
        (
            transfer("k17", alice, bob, json!("50.01")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "insufficient_funds",
        ),
        (
            transfer("", alice, bob, json!("1")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_idempotency_key",
        ),
        (
            transfer(" ", alice, bob, json!("1")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_idempotency_key",
        ),
        (
            transfer(&"k".repeat(201), alice, bob, json!("1")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_idempotency_key",
        ),
        (
            json!({"idempotency_key": "k18", "from": alice, "to": bob}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!({"idempotency_key": "k19", "from": "alice", "to": bob, "amount": "1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!({"idempotency_key": "k20", "from": 1.5, "to": bob, "amount": "1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!({"idempotency_key": 7, "from": alice, "to": bob, "amount": "1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!({"idempotency_key": "k21", "from": alice, "to": bob, "amount": "1", "memo": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!(null),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
    ];
    for (body, status, code) in cases {
        let reply = api.post("/transfers", &body).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.json);
        reply.expect_error(status, code);
    }
    for text in ["{", "{\"amount\": 1,}", "not json", "\u{0}"] {
        api.send(
            Method::POST,
            "/transfers",
            Some(("application/json", text.to_owned())),
        )
        .await
        .expect_error(StatusCode::BAD_REQUEST, "malformed_json");
    }
    api.send(Method::POST, "/transfers", None)
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    // A body over the size limit is refused before it is read.
    let huge = format!(
        "{{\"idempotency_key\": \"{}\", \"from\": 1, \"to\": 2, \"amount\": \"1\"}}",
        "k".repeat(3 << 20)
    );
    api.send(Method::POST, "/transfers", Some(("application/json", huge)))
        .await
        .expect_error(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");

    // None of it wrote anything.
    assert_eq!(balance(api, alice).await, "50.00");
    assert_eq!(balance(api, bob).await, "50.00");
    let db = api.db().await;
    assert_eq!(Transfer::query().count(&db).await.expect("count"), 0);
    let versions: Vec<i64> = Account::query()
        .select(Account::version)
        .all(&db)
        .await
        .expect("versions");
    assert_eq!(versions, [1, 1]);

    // A destination that would overflow NUMERIC(18, 2): refused, nothing written.
    let rich = open(api, "Rich", "9999999999999999.99").await;
    api.post(
        "/transfers",
        &transfer("overflow", alice, rich, json!("0.01")),
    )
    .await
    .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "balance_too_large");
    assert_eq!(balance(api, alice).await, "50.00");
    assert_eq!(Transfer::query().count(&db).await.expect("count"), 0);
}

/// Many copies of one request, sent at once: one 201, the rest 200 with the same transfer,
/// and the money moved once — round after round.
async fn raced_retries_move_money_once(api: &Api) {
    const COPIES: usize = 8;
    const ROUNDS: usize = 10;
    let alice = open(api, "Alice", "1000.00").await;
    let bob = open(api, "Bob", "0").await;
    for round in 0..ROUNDS {
        let body = transfer(&format!("race-{round}"), alice, bob, json!("1.25"));
        let replies = join_all((0..COPIES).map(|_| api.post("/transfers", &body))).await;
        let created: Vec<_> = replies
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .collect();
        assert_eq!(created.len(), 1, "round {round}: exactly one 201");
        let ids: HashSet<&str> = replies
            .iter()
            .map(|reply| {
                assert!(
                    reply.status == StatusCode::CREATED || reply.status == StatusCode::OK,
                    "round {round}: {} {}",
                    reply.status,
                    reply.json
                );
                reply.json["id"].as_str().expect("a transfer id")
            })
            .collect();
        assert_eq!(
            ids.len(),
            1,
            "round {round}: one transfer for every copy: {ids:?}"
        );
    }
    let moved = dec("1.25") * Decimal::from(ROUNDS);
    assert_eq!(balance(api, bob).await.parse::<Decimal>().ok(), Some(moved));
    assert_eq!(
        balance(api, alice).await.parse::<Decimal>().ok(),
        Some(dec("1000.00") - moved)
    );
    let db = api.db().await;
    let count = Transfer::query().count(&db).await.expect("count");
    assert_eq!(count, i64::try_from(ROUNDS).expect("small"));
}

/// Copies of one key with different transfers (disjoint accounts), sent at once: one moves
/// money, every other is refused as a reused key — on PostgreSQL's read committed through
/// the unique violation of the key and a read of the winner's transfer — round after round.
async fn a_key_raced_with_different_transfers_moves_money_once(api: &Api) {
    const COPIES: usize = 6;
    const ROUNDS: usize = 8;
    let mut pairs = Vec::new();
    for n in 0..COPIES {
        let from = open(api, &format!("payer {n}"), "100.00").await;
        let to = open(api, &format!("payee {n}"), "0").await;
        pairs.push((from, to));
    }
    for round in 0..ROUNDS {
        let key = format!("contested-{round}");
        let bodies: Vec<Value> = pairs
            .iter()
            .map(|&(from, to)| transfer(&key, from, to, json!("1")))
            .collect();
        let replies = join_all(bodies.iter().map(|body| api.post("/transfers", body))).await;
        let mut created = 0;
        for reply in &replies {
            if reply.status == StatusCode::CREATED {
                created += 1;
            } else {
                reply.expect_error(StatusCode::CONFLICT, "idempotency_key_reused");
            }
        }
        assert_eq!(created, 1, "round {round}: exactly one transfer");
    }
    let db = api.db().await;
    let transfers = Transfer::query().all(&db).await.expect("transfers");
    assert_eq!(transfers.len(), ROUNDS);
    let accounts = Account::query().all(&db).await.expect("accounts");
    let total: Decimal = accounts.iter().map(|a| a.balance).sum();
    assert_eq!(
        total,
        dec("100") * Decimal::from(COPIES),
        "money is conserved"
    );
    for account in &accounts {
        let moved: Decimal = transfers
            .iter()
            .filter(|t| t.from_account_id == account.id)
            .map(|t| t.amount)
            .sum::<Decimal>()
            - transfers
                .iter()
                .filter(|t| t.to_account_id == account.id)
                .map(|t| t.amount)
                .sum::<Decimal>();
        let initial = if pairs.iter().any(|&(from, _)| from == account.id) {
            dec("100")
        } else {
            Decimal::ZERO
        };
        assert_eq!(account.balance, initial - moved, "{account:?}");
    }
}

/// The unique violation of a duplicate key is told apart from any other by the constraint
/// orm names (table and column), on both backends.
async fn a_duplicate_key_is_recognised(api: &Api) {
    let alice = open(api, "Alice", "10").await;
    let bob = open(api, "Bob", "0").await;
    api.post("/transfers", &transfer("once", alice, bob, json!("1")))
        .await
        .expect(StatusCode::CREATED);
    let db = api.db().await;
    let error = orm_bank::domain::NewTransfer {
        idempotency_key: "once".into(),
        from_account_id: bob,
        to_account_id: alice,
        amount: dec("1"),
    }
    .insert(&db)
    .await
    .expect_err("the key is unique");
    assert_eq!(error.kind(), ErrorKind::UniqueViolation, "{error}");
    assert!(orm_bank::bank::is_key_violation(&error), "{error:?}");
    // Another constraint is not mistaken for it.
    let error = orm_bank::domain::NewTransfer {
        idempotency_key: "twice".into(),
        from_account_id: bob,
        to_account_id: 999_999,
        amount: dec("1"),
    }
    .insert(&db)
    .await
    .expect_err("the account does not exist");
    assert_eq!(error.kind(), ErrorKind::ForeignKeyViolation, "{error}");
    assert!(!orm_bank::bank::is_key_violation(&error));
}

on_every_backend!(default;
    a_duplicate_key_is_recognised,
    accounts_open_and_read,
    account_errors,
    a_transfer_moves_money_once,
    insufficient_funds_writes_nothing,
    transfer_errors,
);

on_every_backend!(every_strategy;
    raced_retries_move_money_once,
    a_key_raced_with_different_transfers_moves_money_once,
);
