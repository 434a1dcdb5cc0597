//! The routes, and the checks that turn a request body into a valid operation.
//!
//! | method and path | body | answer |
//! | --- | --- | --- |
//! | `POST /accounts` | `{"owner": "..", "initial_balance": "100.00"}` | 201 and the account |
//! | `GET /accounts/{id}` | | 200 and the account (its balance) |
//! | `POST /transfers` | `{"idempotency_key": "..", "from": 1, "to": 2, "amount": "25.50"}` | 201 and the transfer; 200 and the same transfer when the key was used before |
//! | `GET /transfers/{id}` | | 200 and the transfer |
//!
//! Amounts and balances are decimal numbers, sent as JSON strings (`"25.50"`, exact) or
//! numbers (`25.5`), answered as strings with two decimals. See [`crate::error`] for every
//! error answer.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use orm::prelude::{Decimal, Uuid};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tower_http::trace::TraceLayer;

use crate::bank::{Ledger, Outcome, TransferRequest};
use crate::domain::MONEY_SCALE;
use crate::error::AppError;

/// The largest amount or balance a `NUMERIC(18, 2)` column holds.
pub const MAX_MONEY: Decimal = Decimal::from_parts(2_808_348_671, 232_830_643, 0, false, 2);

/// The longest owner name and idempotency key (the columns' `max_length`).
pub const MAX_TEXT: usize = 200;

/// The service's routes over `bank`: a [`crate::Bank`] (orm), or any other [`Ledger`].
pub fn router<L: Ledger>(bank: L) -> Router {
    Router::new()
        .route("/accounts", post(open_account::<L>))
        .route("/accounts/{id}", get(get_account::<L>))
        .route("/transfers", post(create_transfer::<L>))
        .route("/transfers/{id}", get(get_transfer::<L>))
        .fallback(async || AppError::NoRoute)
        .method_not_allowed_fallback(async || AppError::MethodNotAllowed)
        .layer(TraceLayer::new_for_http())
        .with_state(bank)
}

/// `POST /accounts`'s body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenAccount {
    owner: String,
    /// A decimal number: checked by [`money`].
    initial_balance: Value,
}

/// `POST /transfers`'s body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateTransfer {
    idempotency_key: String,
    from: i64,
    to: i64,
    /// A decimal number: checked by [`money`].
    amount: Value,
}

/// The body as a `T`: JSON (else 400 `malformed_json`, or 415 without the JSON content
/// type), an object (serde would also take an array of the fields in order), of `T`'s shape
/// (else 422 `invalid_body`).
fn read_body<T: DeserializeOwned>(body: Result<Json<Value>, JsonRejection>) -> Result<T, AppError> {
    let Json(value) = body?;
    if !value.is_object() {
        return Err(AppError::invalid(
            "invalid_body",
            "the body must be a JSON object",
        ));
    }
    serde_json::from_value(value)
        .map_err(|error| AppError::invalid("invalid_body", error.to_string()))
}

async fn open_account<L: Ledger>(
    State(bank): State<L>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Response, AppError> {
    let body: OpenAccount = read_body(body)?;
    let owner = body.owner.trim();
    if owner.is_empty() || owner.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(
            "invalid_owner",
            format!("`owner` must be 1 to {MAX_TEXT} characters, not only blanks"),
        ));
    }
    let balance = money("initial_balance", &body.initial_balance)?;
    if balance.is_sign_negative() && !balance.is_zero() {
        return Err(AppError::invalid(
            "invalid_amount",
            "`initial_balance` must not be negative",
        ));
    }
    let account = bank.open_account(owner.to_owned(), balance).await?;
    Ok((StatusCode::CREATED, Json(account)).into_response())
}

async fn get_account<L: Ledger>(
    State(bank): State<L>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, AppError> {
    let Path(id) = id.map_err(|_| AppError::account_not_found("with that id"))?;
    Ok(Json(bank.account(id).await?).into_response())
}

async fn create_transfer<L: Ledger>(
    State(bank): State<L>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Response, AppError> {
    let body: CreateTransfer = read_body(body)?;
    let amount = money("amount", &body.amount)?;
    if amount <= Decimal::ZERO {
        return Err(AppError::invalid(
            "invalid_amount",
            "`amount` must be positive",
        ));
    }
    let key = body.idempotency_key;
    if key.trim().is_empty() || key.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(
            "invalid_idempotency_key",
            format!("`idempotency_key` must be 1 to {MAX_TEXT} characters, not only blanks"),
        ));
    }
    if body.from == body.to {
        return Err(AppError::invalid(
            "same_account",
            "`from` and `to` must be different accounts",
        ));
    }
    let request = TransferRequest {
        idempotency_key: key,
        from: body.from,
        to: body.to,
        amount,
    };
    Ok(match bank.transfer(&request).await? {
        Outcome::Created(transfer) => (StatusCode::CREATED, Json(transfer)).into_response(),
        Outcome::Replayed(transfer) => (StatusCode::OK, Json(transfer)).into_response(),
    })
}

async fn get_transfer<L: Ledger>(
    State(bank): State<L>,
    id: Result<Path<Uuid>, PathRejection>,
) -> Result<Response, AppError> {
    let Path(id) = id.map_err(|_| AppError::transfer_not_found("with that id"))?;
    Ok(Json(bank.transfer_by_id(id).await?).into_response())
}

/// The decimal number `value` holds: a JSON string of plain decimal notation (`"12.34"`,
/// exact) or a JSON number (`12.34`, read back from its shortest form), with at most
/// [`MONEY_SCALE`] decimal places once trailing zeros are dropped, and at most
/// [`MAX_MONEY`] in size. Anything else is 422 `invalid_amount`.
pub fn money(field: &str, value: &Value) -> Result<Decimal, AppError> {
    let invalid = |why: &str| AppError::invalid("invalid_amount", format!("`{field}` {why}"));
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        _ => {
            return Err(invalid(
                "must be a decimal number, such as \"12.34\" or 12.34",
            ));
        }
    };
    let plain = {
        let digits = text.strip_prefix('-').unwrap_or(&text);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
        !whole.is_empty()
            && !fraction.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
    };
    let parsed = plain
        .then(|| text.parse::<Decimal>().ok())
        .flatten()
        .ok_or_else(|| invalid("must be a decimal number, such as \"12.34\" or 12.34"))?;
    let normalized = parsed.normalize();
    if normalized.scale() > MONEY_SCALE {
        return Err(invalid(&format!(
            "has more than {MONEY_SCALE} decimal places"
        )));
    }
    if normalized.abs() > MAX_MONEY {
        return Err(invalid(&format!("must be at most {MAX_MONEY}")));
    }
    Ok(normalized)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ok(value: Value) -> String {
        money("amount", &value)
            .unwrap_or_else(|e| panic!("{value}: {e}"))
            .to_string()
    }

    fn refused(value: Value) {
        let error = money("amount", &value).expect_err(&value.to_string());
        assert!(
            matches!(
                error,
                AppError::Invalid {
                    code: "invalid_amount",
                    ..
                }
            ),
            "{value}: {error:?}"
        );
    }

    #[test]
    fn max_money_is_the_largest_numeric_18_2() {
        assert_eq!(MAX_MONEY.to_string(), "9999999999999999.99");
    }

    #[test]
    fn amounts_are_exact_decimals_with_two_places_at_most() {
        assert_eq!(ok(json!("12.34")), "12.34");
        assert_eq!(ok(json!("12.340")), "12.34");
        assert_eq!(ok(json!(12.5)), "12.5");
        assert_eq!(ok(json!(7)), "7");
        assert_eq!(ok(json!("-3.10")), "-3.1");
        assert_eq!(ok(json!("9999999999999999.99")), "9999999999999999.99");
        for bad in [
            json!("12.345"),
            json!(0.001),
            json!("abc"),
            json!(""),
            json!("1e3"),
            json!(1e300),
            json!(".5"),
            json!("5."),
            json!(" 5"),
            json!("+5"),
            json!("10000000000000000"),
            json!("99999999999999999999999999999999999"),
            json!(true),
            json!(null),
            json!([1]),
            json!({"value": 1}),
        ] {
            refused(bad);
        }
    }
}
