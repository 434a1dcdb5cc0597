//! The service's one error type, and the one place errors become HTTP responses.
//!
//! Every error body is `{"error": {"code": "..", "message": "..", "fields": {..}}}`, with
//! `fields` (field name → messages) when the error is about fields:
//!
//! | what | status | `code` |
//! | --- | --- | --- |
//! | orm's validation failed (`Error::Validation`): every failing field listed | 422 | `validation_failed` |
//! | a unique constraint (`UniqueViolation`): its fields named | 409 | `already_exists` |
//! | a foreign key (`ForeignKeyViolation`): a reference to a row that does not exist | 422 | `unknown_reference` |
//! | a CHECK or NOT NULL constraint, a value the database cannot store | 422 | `invalid_value` |
//! | no such row, or it is soft-deleted (`NotFound`) | 404 | `not_found` |
//! | `If-Match` names an older version (`StaleObject`) | 412 | `version_mismatch` |
//! | a write that needs `If-Match` came without it | 428 | `precondition_required` |
//! | a body that is not JSON, a bad query string, path or header | 400 | `malformed_json`, `bad_query`, `bad_path`, `bad_header`, `bad_cursor` |
//! | JSON of the wrong shape (a missing or unknown field, a wrong type), or a parameter out of range | 422 | `invalid_body`, `invalid_parameter` |
//! | a body without `Content-Type: application/json` | 415 | `unsupported_media_type` |
//! | the request conflicts with the resource's state (restoring a live task) | 409 | `not_deleted` |
//! | no such route / method | 404 / 405 | `no_route` / `method_not_allowed` |
//! | the database is busy or unreachable (retryable) | 503 | `unavailable` |
//! | anything else (logged, never shown) | 500 | `internal` |

use std::collections::BTreeMap;
use std::fmt;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use orm::ErrorKind;
use serde::Serialize;

/// Field name → what is wrong with it (a field may break several rules).
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Everything that can go wrong in a request.
#[derive(Debug)]
pub enum AppError {
    /// An error of the database layer, mapped by its [`ErrorKind`].
    Db(orm::Error),
    /// The request could not be read: malformed JSON, a bad query string, path or header.
    BadRequest {
        /// The error's `code`.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The request was read, but its values are not acceptable.
    Invalid {
        /// The error's `code`.
        code: &'static str,
        /// What is wrong.
        message: String,
        /// Which fields, when known.
        fields: FieldErrors,
    },
    /// A body that is not declared as JSON.
    UnsupportedMediaType(String),
    /// A write that must name the version it changes came without `If-Match`.
    PreconditionRequired,
    /// The request conflicts with the resource's state.
    Conflict {
        /// The error's `code`.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// No route matches the path.
    NoRoute,
    /// The route does not take this method.
    MethodNotAllowed,
}

impl AppError {
    /// A parameter outside what the service accepts (422, `invalid_parameter`).
    pub fn invalid_parameter(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::Invalid {
            code: "invalid_parameter",
            message: format!("`{field}` {message}"),
            fields: BTreeMap::from([(field.to_owned(), vec![message])]),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self.body();
        write!(f, "{} {}: {}", body.status, body.code, body.message)
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AppError::Db(error) => Some(error),
            _ => None,
        }
    }
}

impl From<orm::Error> for AppError {
    fn from(error: orm::Error) -> Self {
        AppError::Db(error)
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(error) => AppError::Invalid {
                code: "invalid_body",
                message: error.body_text(),
                fields: FieldErrors::new(),
            },
            JsonRejection::MissingJsonContentType(error) => {
                AppError::UnsupportedMediaType(error.body_text())
            }
            other => AppError::BadRequest {
                code: "malformed_json",
                message: other.body_text(),
            },
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::BadRequest {
            code: "bad_query",
            message: rejection.body_text(),
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::BadRequest {
            code: "bad_path",
            message: rejection.body_text(),
        }
    }
}

/// The JSON error body, and the status it goes with.
#[derive(Serialize)]
struct ErrorBody {
    #[serde(skip)]
    status: StatusCode,
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<FieldErrors>,
}

impl ErrorBody {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ErrorBody {
            status,
            code,
            message: message.into(),
            fields: None,
        }
    }

    fn with_fields(mut self, fields: FieldErrors) -> Self {
        if !fields.is_empty() {
            self.fields = Some(fields);
        }
        self
    }
}

/// The constrained fields of a constraint violation, each with `message`.
fn constraint_fields(error: &orm::Error, message: &str) -> FieldErrors {
    error
        .constraint()
        .and_then(|info| info.fields.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|field| (field, vec![message.to_owned()]))
        .collect()
}

/// `` `a`, `b` `` of the constrained fields, or what the database said when orm could not
/// tell which constraint failed.
fn constraint_names(error: &orm::Error) -> String {
    match error.constraint() {
        Some(info) => match &info.fields {
            Some(fields) => fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", "),
            None => info
                .constraint
                .clone()
                .unwrap_or_else(|| info.candidates.join(" or ")),
        },
        None => String::new(),
    }
}

/// A table's name as one of its rows: `tasks` → `task`.
fn row_noun(table: &str) -> &str {
    table.strip_suffix('s').unwrap_or(table)
}

/// The response of a database error, by kind.
fn db_body(error: &orm::Error) -> ErrorBody {
    match (error.kind(), error) {
        (ErrorKind::Validation, orm::Error::Validation { errors, .. }) => {
            let mut fields = FieldErrors::new();
            for failure in errors {
                fields
                    .entry(failure.field.to_owned())
                    .or_default()
                    .push(failure.message.clone());
            }
            let names: Vec<String> = fields.keys().map(|f| format!("`{f}`")).collect();
            ErrorBody::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                format!("invalid values: {}", names.join(", ")),
            )
            .with_fields(fields)
        }
        (ErrorKind::UniqueViolation, _) => ErrorBody::new(
            StatusCode::CONFLICT,
            "already_exists",
            format!("a row with this {} already exists", constraint_names(error)),
        )
        .with_fields(constraint_fields(error, "is already taken")),
        (ErrorKind::ForeignKeyViolation, _) => ErrorBody::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_reference",
            format!(
                "{} refers to a row that does not exist",
                constraint_names(error)
            ),
        )
        .with_fields(constraint_fields(
            error,
            "refers to a row that does not exist",
        )),
        (ErrorKind::CheckViolation | ErrorKind::NotNullViolation, _) => ErrorBody::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_value",
            format!("{} is not an allowed value", constraint_names(error)),
        )
        .with_fields(constraint_fields(error, "is not an allowed value")),
        (ErrorKind::Encode, _) => ErrorBody::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_value",
            error.to_string(),
        ),
        (ErrorKind::NotFound, orm::Error::NotFound { table }) => ErrorBody::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {}", row_noun(table)),
        ),
        (ErrorKind::StaleObject, orm::Error::StaleObject { table, version, .. }) => ErrorBody::new(
            StatusCode::PRECONDITION_FAILED,
            "version_mismatch",
            format!(
                "the {} is no longer at version {version}: read it again and reapply the change",
                row_noun(table)
            ),
        ),
        _ if error.is_retryable() => {
            tracing::warn!(%error, "database unavailable");
            ErrorBody::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is busy or unreachable; try again",
            )
        }
        _ => {
            tracing::error!(%error, "request failed");
            ErrorBody::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
        }
    }
}

impl AppError {
    fn body(&self) -> ErrorBody {
        match self {
            AppError::Db(error) => db_body(error),
            AppError::BadRequest { code, message } => {
                ErrorBody::new(StatusCode::BAD_REQUEST, code, message.clone())
            }
            AppError::Invalid {
                code,
                message,
                fields,
            } => ErrorBody::new(StatusCode::UNPROCESSABLE_ENTITY, code, message.clone())
                .with_fields(fields.clone()),
            AppError::UnsupportedMediaType(message) => ErrorBody::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                message.clone(),
            ),
            AppError::PreconditionRequired => ErrorBody::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                "send `If-Match: <version>` with the version you read (the ETag)",
            ),
            AppError::Conflict { code, message } => {
                ErrorBody::new(StatusCode::CONFLICT, code, message.clone())
            }
            AppError::NoRoute => ErrorBody::new(StatusCode::NOT_FOUND, "no_route", "no such route"),
            AppError::MethodNotAllowed => ErrorBody::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not take that method",
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Envelope {
            error: ErrorBody,
        }
        let body = self.body();
        let status = body.status;
        let mut response = (status, Json(Envelope { error: body })).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
