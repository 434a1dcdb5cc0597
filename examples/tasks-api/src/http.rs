//! The REST API: routes, handlers and the extractors that turn bad input into the JSON
//! errors of [`crate::error`]. Handlers know the [`TaskRepository`] trait only.
//!
//! Every response carries `X-Db-Statements`: how many statements the request sent to the
//! database (counted by orm's statement guard, which also logs relationships loaded one
//! row at a time, the N+1 pattern).

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use tower_http::trace::TraceLayer;

use crate::domain::{Comment, NewProject, NewTag, NewUser, Project, Status, Tag, Task, User};
use crate::error::AppError;
use crate::repository::{CreateComment, CreateTask, TaskFilter, TaskPatch, TaskRepository};

/// The response header that counts the statements a request sent.
pub const DB_STATEMENTS: HeaderName = HeaderName::from_static("x-db-statements");

/// The page size of `GET /tasks` when `limit` is not given.
pub const DEFAULT_PAGE: u64 = 50;
/// The largest `limit` of `GET /tasks`.
pub const MAX_PAGE: u64 = 100;

/// What every handler shares: the repository (cheap to clone: a pool handle).
#[derive(Debug, Clone)]
pub struct AppState<R> {
    /// The storage.
    pub repo: R,
}

/// A JSON body; a body that is not JSON, or not of the expected shape, is an [`AppError`].
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct AppJson<T>(pub T);

/// A query string; one that does not parse is an [`AppError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct AppQuery<T>(pub T);

/// Path parameters; ones that do not parse (`/tasks/abc`) are an [`AppError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct AppPath<T>(pub T);

/// The routes of the service over `repo`.
pub fn router<R: TaskRepository>(repo: R) -> Router {
    Router::new()
        .route("/users", post(create_user::<R>))
        .route("/projects", post(create_project::<R>))
        .route("/tags", post(create_tag::<R>))
        .route("/tasks", post(create_task::<R>).get(list_tasks::<R>))
        .route(
            "/tasks/{id}",
            get(task_detail::<R>)
                .patch(update_task::<R>)
                .delete(delete_task::<R>),
        )
        .route("/tasks/{id}/restore", post(restore_task::<R>))
        .route("/tasks/{id}/comments", post(add_comment::<R>))
        .fallback(|| async { AppError::NoRoute })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .with_state(AppState { repo })
        .layer(middleware::from_fn(count_statements))
        .layer(TraceLayer::new_for_http())
}

/// Run the request in an orm statement-counting scope and report the count.
async fn count_statements(request: Request, next: Next) -> Response {
    let (mut response, log) = orm::guard::watch(orm::guard::Watch::new(), next.run(request)).await;
    response
        .headers_mut()
        .insert(DB_STATEMENTS, HeaderValue::from(log.len()));
    response
}

/// A task as a response: its body, its `ETag` (the version) and, for a created task, its
/// `Location`.
struct TaskResponse {
    status: StatusCode,
    task: Task,
}

impl IntoResponse for TaskResponse {
    fn into_response(self) -> Response {
        let etag = etag(self.task.version);
        let location = (self.status == StatusCode::CREATED)
            .then(|| HeaderValue::try_from(format!("/tasks/{}", self.task.id)).ok())
            .flatten();
        let mut response = (self.status, Json(self.task)).into_response();
        response.headers_mut().insert(header::ETAG, etag);
        if let Some(location) = location {
            response.headers_mut().insert(header::LOCATION, location);
        }
        response
    }
}

/// The strong entity tag of a version: `"3"`.
fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// The version an `If-Match` header names: `"3"` (the ETag as sent) or `3`.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, AppError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let bad = || AppError::BadRequest {
        code: "bad_header",
        message: "`If-Match` must be the task's version as its ETag gives it, such as \"3\"".into(),
    };
    let text = value.to_str().map_err(|_| bad())?.trim();
    let unquoted = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    unquoted.parse::<i64>().map(Some).map_err(|_| bad())
}

/// An opaque page cursor: the last id of the page, encoded (what `next_cursor` holds).
pub fn encode_cursor(after: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1:{after}"))
}

/// The id a cursor encodes.
fn decode_cursor(cursor: &str) -> Result<i64, AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("v1:")?.parse().ok())
        .ok_or_else(|| AppError::BadRequest {
            code: "bad_cursor",
            message: "`cursor` is not a cursor this service gave: pass `next_cursor` as it is"
                .into(),
        })
}

async fn create_user<R: TaskRepository>(
    State(state): State<AppState<R>>,
    AppJson(new): AppJson<NewUser>,
) -> Result<(StatusCode, Json<User>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.repo.create_user(new).await?),
    ))
}

async fn create_project<R: TaskRepository>(
    State(state): State<AppState<R>>,
    AppJson(new): AppJson<NewProject>,
) -> Result<(StatusCode, Json<Project>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.repo.create_project(new).await?),
    ))
}

async fn create_tag<R: TaskRepository>(
    State(state): State<AppState<R>>,
    AppJson(new): AppJson<NewTag>,
) -> Result<(StatusCode, Json<Tag>), AppError> {
    Ok((StatusCode::CREATED, Json(state.repo.create_tag(new).await?)))
}

async fn create_task<R: TaskRepository>(
    State(state): State<AppState<R>>,
    AppJson(new): AppJson<CreateTask>,
) -> Result<TaskResponse, AppError> {
    let task = state.repo.create_task(new).await?;
    Ok(TaskResponse {
        status: StatusCode::CREATED,
        task,
    })
}

async fn task_detail<R: TaskRepository>(
    State(state): State<AppState<R>>,
    AppPath(id): AppPath<i64>,
) -> Result<TaskResponse, AppError> {
    let task = state.repo.task_detail(id).await?;
    Ok(TaskResponse {
        status: StatusCode::OK,
        task,
    })
}

/// The query string of `GET /tasks`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    project_id: Option<i64>,
    status: Option<Status>,
    limit: Option<u64>,
    cursor: Option<String>,
}

/// A page of `GET /tasks`.
#[derive(Debug, Serialize)]
struct TaskList {
    tasks: Vec<Task>,
    /// The `cursor` of the next page; `null` on the last one.
    next_cursor: Option<String>,
}

async fn list_tasks<R: TaskRepository>(
    State(state): State<AppState<R>>,
    AppQuery(params): AppQuery<ListParams>,
) -> Result<Json<TaskList>, AppError> {
    let limit = params.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::invalid_parameter(
            "limit",
            format!("must be between 1 and {MAX_PAGE}"),
        ));
    }
    let after = params.cursor.as_deref().map(decode_cursor).transpose()?;
    let page = state
        .repo
        .list_tasks(TaskFilter {
            project_id: params.project_id,
            status: params.status,
            after,
            limit,
        })
        .await?;
    Ok(Json(TaskList {
        tasks: page.tasks,
        next_cursor: page.next_after.map(encode_cursor),
    }))
}

async fn update_task<R: TaskRepository>(
    State(state): State<AppState<R>>,
    AppPath(id): AppPath<i64>,
    headers: HeaderMap,
    AppJson(patch): AppJson<TaskPatch>,
) -> Result<TaskResponse, AppError> {
    let version = if_match(&headers)?.ok_or(AppError::PreconditionRequired)?;
    let task = state.repo.update_task(id, version, patch).await?;
    Ok(TaskResponse {
        status: StatusCode::OK,
        task,
    })
}

async fn delete_task<R: TaskRepository>(
    State(state): State<AppState<R>>,
    AppPath(id): AppPath<i64>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    state.repo.delete_task(id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn restore_task<R: TaskRepository>(
    State(state): State<AppState<R>>,
    AppPath(id): AppPath<i64>,
) -> Result<TaskResponse, AppError> {
    let task = state.repo.restore_task(id).await?;
    Ok(TaskResponse {
        status: StatusCode::OK,
        task,
    })
}

async fn add_comment<R: TaskRepository>(
    State(state): State<AppState<R>>,
    AppPath(task_id): AppPath<i64>,
    AppJson(new): AppJson<CreateComment>,
) -> Result<(StatusCode, Json<Comment>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(state.repo.add_comment(task_id, new).await?),
    ))
}
