//! The service's one error type, and the one place errors become HTTP responses.
//!
//! Every error body is `{"error": {"code": "..", "message": ".."}}`:
//!
//! | what | status | `code` |
//! | --- | --- | --- |
//! | a body that is not JSON | 400 | `malformed_json` |
//! | JSON of the wrong shape (a missing or unknown field, a wrong type) | 422 | `invalid_body` |
//! | an amount or balance that is not a decimal number, not positive (amounts), negative (balances), with more than 2 decimal places, or too large | 422 | `invalid_amount` |
//! | a blank or too long owner or idempotency key | 422 | `invalid_owner`, `invalid_idempotency_key` |
//! | a transfer from an account to itself | 422 | `same_account` |
//! | the source account's balance is below the amount (also the database's CHECK, as a backstop) | 422 | `insufficient_funds` |
//! | the destination's balance would exceed `NUMERIC(18, 2)` | 422 | `balance_too_large` |
//! | an idempotency key used before for another transfer | 409 | `idempotency_key_reused` |
//! | another unique constraint (none today) | 409 | `conflict` |
//! | no such account / transfer (also a path that is not an id) | 404 | `account_not_found` / `transfer_not_found` |
//! | a body without `Content-Type: application/json` | 415 | `unsupported_media_type` |
//! | a body over the size limit | 413 | `body_too_large` |
//! | no such route / method | 404 / 405 | `no_route` / `method_not_allowed` |
//! | contention outlasted every retry (stale versions, serialization failures, a busy database), the database is unreachable, or a commit's outcome is unknown: send the same request again (same idempotency key) | 503 | `unavailable` |
//! | anything else (logged, never shown) | 500 | `internal` |
//!
//! orm's typed errors are mapped by their [`ErrorKind`] in one function of this module, so a
//! constraint the database enforces gets the same answer as the check in the code that
//! should have caught it first (a race, or a bug).

use std::fmt;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use orm::ErrorKind;
use serde::Serialize;

/// Everything that can go wrong in a request.
#[derive(Debug)]
pub enum AppError {
    /// An error of the database layer, mapped by its [`ErrorKind`].
    Db(orm::Error),
    /// The request could not be read (400, or the rejection's own status).
    BadRequest {
        /// The status.
        status: StatusCode,
        /// The error's `code`.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The request was read, but a value in it is not acceptable (422).
    Invalid {
        /// The error's `code`.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The source account holds less than the amount (422).
    InsufficientFunds {
        /// The source account.
        account: i64,
    },
    /// No such row (404).
    NotFound {
        /// The error's `code`.
        code: &'static str,
        /// What is missing.
        message: String,
    },
    /// The idempotency key names a transfer with other accounts or another amount (409).
    KeyReused {
        /// The key.
        key: String,
    },
    /// A body that is not declared as JSON (415).
    UnsupportedMediaType(String),
    /// No route matches the path (404).
    NoRoute,
    /// The route does not take this method (405).
    MethodNotAllowed,
}

impl AppError {
    /// A value the service does not accept (422).
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            code,
            message: message.into(),
        }
    }

    /// No account `id` (404).
    pub fn account_not_found(id: impl fmt::Display) -> Self {
        AppError::NotFound {
            code: "account_not_found",
            message: format!("there is no account {id}"),
        }
    }

    /// No transfer `id` (404).
    pub fn transfer_not_found(id: impl fmt::Display) -> Self {
        AppError::NotFound {
            code: "transfer_not_found",
            message: format!("there is no transfer {id}"),
        }
    }

    /// The orm error inside, if any.
    pub fn as_orm(&self) -> Option<&orm::Error> {
        match self {
            AppError::Db(error) => Some(error),
            _ => None,
        }
    }

    /// The status, code and message this error is answered with.
    fn body(&self) -> ErrorBody {
        let (status, code, message) = match self {
            AppError::Db(error) => return db_error_body(error),
            AppError::BadRequest {
                status,
                code,
                message,
            } => (*status, *code, message.clone()),
            AppError::Invalid { code, message } => {
                (StatusCode::UNPROCESSABLE_ENTITY, *code, message.clone())
            }
            AppError::InsufficientFunds { account } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "insufficient_funds",
                format!("account {account} holds less than the amount; nothing was moved"),
            ),
            AppError::NotFound { code, message } => (StatusCode::NOT_FOUND, *code, message.clone()),
            AppError::KeyReused { key } => (
                StatusCode::CONFLICT,
                "idempotency_key_reused",
                format!(
                    "the idempotency key `{key}` was used for a transfer with other accounts or \
                     another amount; use a new key for a new transfer"
                ),
            ),
            AppError::UnsupportedMediaType(message) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                message.clone(),
            ),
            AppError::NoRoute => (
                StatusCode::NOT_FOUND,
                "no_route",
                "no such route".to_owned(),
            ),
            AppError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "the route does not take this method".to_owned(),
            ),
        };
        ErrorBody {
            status,
            code,
            message,
        }
    }
}

/// What an orm error is answered with: by its kind, and for a constraint, by its name.
fn db_error_body(error: &orm::Error) -> ErrorBody {
    let unavailable = |message: &str| ErrorBody {
        status: StatusCode::SERVICE_UNAVAILABLE,
        code: "unavailable",
        message: format!("{message}; send the same request again (same idempotency key)"),
    };
    let constraint = error
        .constraint()
        .and_then(|info| info.constraint.as_deref());
    let (status, code, message) = match error.kind() {
        ErrorKind::NotFound => match error {
            orm::Error::NotFound {
                table: "transfers", ..
            } => (
                StatusCode::NOT_FOUND,
                "transfer_not_found",
                "no such transfer",
            ),
            _ => (
                StatusCode::NOT_FOUND,
                "account_not_found",
                "no such account",
            ),
        },
        ErrorKind::CheckViolation => match constraint {
            Some("accounts_balance_not_negative") => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "insufficient_funds",
                "the balance would become negative; nothing was moved",
            ),
            Some("transfers_distinct_accounts") => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "same_account",
                "a transfer needs two different accounts",
            ),
            _ => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_amount",
                "the amount is not acceptable",
            ),
        },
        // The only foreign keys are a transfer's two accounts.
        ErrorKind::ForeignKeyViolation => (
            StatusCode::NOT_FOUND,
            "account_not_found",
            "no such account",
        ),
        // The idempotency key's is answered by `Bank::transfer` (the stored transfer, or
        // `idempotency_key_reused`); no other unique constraint can fail.
        ErrorKind::UniqueViolation => (
            StatusCode::CONFLICT,
            "conflict",
            "the row conflicts with one that exists",
        ),
        ErrorKind::Validation | ErrorKind::NotNullViolation => {
            return ErrorBody {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid_body",
                message: error.to_string(),
            };
        }
        // A value the column cannot hold (orm refuses it before sending).
        ErrorKind::Encode => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_amount",
            "the amount does not fit NUMERIC(18, 2)",
        ),
        ErrorKind::StaleObject => {
            return unavailable("the accounts kept changing under this transfer");
        }
        ErrorKind::SerializationFailure
        | ErrorKind::Deadlock
        | ErrorKind::Busy
        | ErrorKind::LockNotAvailable
        | ErrorKind::Connection
        | ErrorKind::Pool => return unavailable("the database is busy or unreachable"),
        ErrorKind::CommitUnknown => {
            return unavailable("the connection was lost while the transfer committed");
        }
        ErrorKind::TransactionAborted if error.is_retryable() => {
            return unavailable("the transaction was rolled back");
        }
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        ),
    };
    ErrorBody {
        status,
        code,
        message: message.to_owned(),
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Db(error) => write!(f, "{error}"),
            other => {
                let body = other.body();
                write!(f, "{} {}: {}", body.status, body.code, body.message)
            }
        }
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.as_orm().map(|error| error as _)
    }
}

impl From<orm::Error> for AppError {
    fn from(error: orm::Error) -> Self {
        AppError::Db(error)
    }
}

/// Lets [`orm::Database::transaction_with`] retry a transaction that failed with a retryable
/// orm error (a serialization failure, a deadlock, a busy database), and never one that
/// failed for a reason of the bank's own (insufficient funds, an unknown account).
impl orm::TransactionError for AppError {
    fn orm_error(&self) -> Option<&orm::Error> {
        self.as_orm()
    }

    fn retries_exhausted(self, attempts: u32) -> Self {
        match self {
            AppError::Db(error) => AppError::Db(error.retries_exhausted(attempts)),
            other => other,
        }
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(error) => AppError::Invalid {
                code: "invalid_body",
                message: error.body_text(),
            },
            JsonRejection::MissingJsonContentType(error) => {
                AppError::UnsupportedMediaType(error.body_text())
            }
            JsonRejection::JsonSyntaxError(error) => AppError::BadRequest {
                status: StatusCode::BAD_REQUEST,
                code: "malformed_json",
                message: error.body_text(),
            },
            other => {
                let status = other.status();
                AppError::BadRequest {
                    status,
                    code: if status == StatusCode::PAYLOAD_TOO_LARGE {
                        "body_too_large"
                    } else {
                        "malformed_json"
                    },
                    message: other.body_text(),
                }
            }
        }
    }
}

/// The JSON error body, and the status it goes with.
struct ErrorBody {
    status: StatusCode,
    code: &'static str,
    message: String,
}

/// `{"error": {"code": .., "message": ..}}`.
#[derive(Serialize)]
struct Envelope<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = self.body();
        if body.status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %self, "internal error");
        } else if body.status.is_server_error() {
            tracing::warn!(status = %body.status, error = %self, "request failed");
        }
        let mut response = (
            body.status,
            Json(Envelope {
                error: Inner {
                    code: body.code,
                    message: &body.message,
                },
            }),
        )
            .into_response();
        if body.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use orm::TransactionError;

    use super::*;

    fn answer(error: AppError) -> (StatusCode, &'static str, bool) {
        let body = error.body();
        let response = error.into_response();
        let retry_after = response.headers().contains_key(header::RETRY_AFTER);
        (body.status, body.code, retry_after)
    }

    #[test]
    fn orm_errors_map_by_kind() {
        let stale = orm::Error::StaleObject {
            table: "accounts",
            key: "1".into(),
            version: 3,
        };
        assert_eq!(
            answer(stale.into()),
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable", true)
        );
        let exhausted = orm::Error::StaleObject {
            table: "accounts",
            key: "1".into(),
            version: 3,
        }
        .retries_exhausted(25);
        assert_eq!(
            answer(exhausted.into()),
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable", true)
        );
        let missing = orm::Error::NotFound { table: "transfers" };
        assert_eq!(
            answer(missing.into()),
            (StatusCode::NOT_FOUND, "transfer_not_found", false)
        );
        let missing = orm::Error::NotFound { table: "accounts" };
        assert_eq!(
            answer(missing.into()),
            (StatusCode::NOT_FOUND, "account_not_found", false)
        );
        let encode = orm::Error::Encode {
            message: "too large for NUMERIC(18, 2)".into(),
        };
        assert_eq!(
            answer(encode.into()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_amount", false)
        );
        let aborted = orm::Error::TransactionAborted {
            reason: "a deadlock".into(),
            cause: Some(ErrorKind::Deadlock),
        };
        assert_eq!(
            answer(aborted.into()),
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable", true)
        );
        let bug = orm::Error::InvalidStatement {
            message: "a bug".into(),
        };
        assert_eq!(
            answer(bug.into()),
            (StatusCode::INTERNAL_SERVER_ERROR, "internal", false)
        );
    }

    #[test]
    fn bank_errors_have_their_codes() {
        assert_eq!(
            answer(AppError::InsufficientFunds { account: 1 }),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "insufficient_funds",
                false
            )
        );
        assert_eq!(
            answer(AppError::KeyReused { key: "k".into() }),
            (StatusCode::CONFLICT, "idempotency_key_reused", false)
        );
        assert_eq!(
            answer(AppError::account_not_found(7)),
            (StatusCode::NOT_FOUND, "account_not_found", false)
        );
    }
}
