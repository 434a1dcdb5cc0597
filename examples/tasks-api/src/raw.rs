//! [`RawTaskRepository`]: the read side of [`TaskRepository`] written by hand on sqlx, the
//! baseline of the load benchmark (`src/bin/tasks-load.rs`).
//!
//! It is what a careful engineer writes without an ORM: constant SQL with positional binds
//! (one text for both backends, `$1` on PostgreSQL and `?1` on SQLite), statements prepared
//! and cached by sqlx, the same three statements for a task's detail as orm sends (the task,
//! its tags through the junction, its comments; on one connection taken from the pool once),
//! one statement for a page (its conditions and `LIMIT` bound, built with sqlx's
//! `QueryBuilder`), and rows decoded column by column. The values come back exactly as orm stores them (SQLite timestamps are
//! ISO-8601 text, dates `YYYY-MM-DD`, the status its label), so the same handlers serve both
//! implementations and their responses are the same bytes (the benchmark checks that first).
//!
//! The loaded tags and comments are handed to the model's relationship fields through orm's
//! public [`RelationField::fill`], only so that the response type is shared; no orm query,
//! binding or decoding runs on this side.
//!
//! Writes are not part of the baseline: every write method answers
//! [`AppError::MethodNotAllowed`] (405).

use std::sync::{Arc, LazyLock};

use orm::prelude::*;
use orm::relation::{KeyValue, Loaded, RelationField};
use orm_loadgen::RawPool;
use orm_loadgen::raw::{orm_error, sqlite_sql};

use crate::domain::{Comment, NewProject, NewTag, NewUser, Project, Status, Tag, Task, User};
use crate::error::AppError;
use crate::repository::{
    CreateComment, CreateTask, TaskFilter, TaskPage, TaskPatch, TaskRepository,
};

/// The columns of a task, in the order the task decoder reads them.
const TASK_COLUMNS: &str = "id, project_id, title, status, priority, due, version, deleted_at, \
                            created_at, updated_at";

/// The statements of the detail, in one backend's placeholders.
struct Statements {
    /// The live task with an id.
    task: String,
    /// Its tags, by name, through the junction.
    tags: String,
    /// Its comments, oldest first.
    comments: String,
}

impl Statements {
    /// The statements, written with PostgreSQL's placeholders and passed through `dialect`.
    fn new(dialect: fn(&str) -> String) -> Self {
        Statements {
            task: dialect(&format!(
                "SELECT {TASK_COLUMNS} FROM tasks WHERE id = $1 AND deleted_at IS NULL"
            )),
            tags: dialect(
                "SELECT tags.id, tags.name, tags.created_at, tags.updated_at FROM task_tags \
                 JOIN tags ON tags.id = task_tags.tag_id WHERE task_tags.task_id = $1 \
                 ORDER BY tags.name",
            ),
            comments: dialect(
                "SELECT id, task_id, author_id, body, created_at, updated_at FROM comments \
                 WHERE task_id = $1 ORDER BY id",
            ),
        }
    }
}

static POSTGRES: LazyLock<Statements> = LazyLock::new(|| Statements::new(str::to_owned));
static SQLITE: LazyLock<Statements> = LazyLock::new(|| Statements::new(sqlite_sql));

/// The label a status is stored as.
fn label(status: Status) -> &'static str {
    match status {
        Status::Todo => "todo",
        Status::Doing => "doing",
        Status::Done => "done",
    }
}

/// The status a label stands for.
fn status(label: &str) -> Result<Status, sqlx::Error> {
    match label {
        "todo" => Ok(Status::Todo),
        "doing" => Ok(Status::Doing),
        "done" => Ok(Status::Done),
        other => Err(sqlx::Error::Decode(
            format!("`{other}` is not a task status").into(),
        )),
    }
}

/// The read side of [`TaskRepository`] on hand-written sqlx (see the module documentation).
#[derive(Debug, Clone)]
pub struct RawTaskRepository {
    pool: RawPool,
}

impl RawTaskRepository {
    /// The repository over `pool`.
    pub fn new(pool: RawPool) -> Self {
        RawTaskRepository { pool }
    }
}

/// The per-backend functions: the same code for [`sqlx::Sqlite`] and [`sqlx::Postgres`],
/// with that backend's statements.
macro_rules! backend {
    ($module:ident, $db:ty, $statements:ident) => {
        mod $module {
            use super::*;

            type Row = <$db as sqlx::Database>::Row;

            /// A task row (the columns of `TASK_COLUMNS`), its relationships not loaded.
            fn decode_task(row: &Row) -> Result<Task, sqlx::Error> {
                use sqlx::Row as _;
                Ok(Task {
                    id: row.try_get(0)?,
                    project_id: row.try_get(1)?,
                    title: row.try_get(2)?,
                    status: status(row.try_get::<&str, _>(3)?)?,
                    priority: row.try_get(4)?,
                    due: row.try_get(5)?,
                    version: row.try_get(6)?,
                    deleted_at: row.try_get(7)?,
                    created_at: row.try_get(8)?,
                    updated_at: row.try_get(9)?,
                    tags: ManyToMany::default(),
                    comments: HasMany::default(),
                })
            }

            fn decode_tag(row: &Row) -> Result<Tag, sqlx::Error> {
                use sqlx::Row as _;
                Ok(Tag {
                    id: row.try_get(0)?,
                    name: row.try_get(1)?,
                    created_at: row.try_get(2)?,
                    updated_at: row.try_get(3)?,
                })
            }

            fn decode_comment(row: &Row) -> Result<Comment, sqlx::Error> {
                use sqlx::Row as _;
                Ok(Comment {
                    id: row.try_get(0)?,
                    task_id: row.try_get(1)?,
                    author_id: row.try_get(2)?,
                    body: row.try_get(3)?,
                    created_at: row.try_get(4)?,
                    updated_at: row.try_get(5)?,
                })
            }

            /// The live task `id` with its tags (by name) and comments (by id): three
            /// statements on one connection taken from the pool once, `None` when there is
            /// no such live task.
            pub(super) async fn task_detail(
                pool: &sqlx::Pool<$db>,
                id: i64,
            ) -> Result<Option<Task>, sqlx::Error> {
                let sql = &*$statements;
                let mut conn = pool.acquire().await?;
                let Some(row) = sqlx::query(sql.task.as_str())
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?
                else {
                    return Ok(None);
                };
                let mut task = decode_task(&row)?;
                let tags = sqlx::query(sql.tags.as_str())
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(decode_tag)
                    .collect::<Result<Vec<_>, _>>()?;
                let comments = sqlx::query(sql.comments.as_str())
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(decode_comment)
                    .collect::<Result<Vec<_>, _>>()?;
                drop(conn);
                task.tags
                    .fill(Some(KeyValue::Int(id)), Loaded::Many(Arc::new(tags)));
                task.comments
                    .fill(Some(KeyValue::Int(id)), Loaded::Many(Arc::new(comments)));
                Ok(Some(task))
            }

            /// Up to `limit` live tasks of the filter, in id order: one statement, its
            /// conditions those the filter sets.
            pub(super) async fn list_tasks(
                pool: &sqlx::Pool<$db>,
                filter: &TaskFilter,
                limit: i64,
            ) -> Result<Vec<Task>, sqlx::Error> {
                let mut sql = sqlx::QueryBuilder::<$db>::new("SELECT ");
                sql.push(TASK_COLUMNS)
                    .push(" FROM tasks WHERE deleted_at IS NULL");
                if let Some(project_id) = filter.project_id {
                    sql.push(" AND project_id = ").push_bind(project_id);
                }
                if let Some(status) = filter.status {
                    sql.push(" AND status = ").push_bind(label(status));
                }
                if let Some(after) = filter.after {
                    sql.push(" AND id > ").push_bind(after);
                }
                sql.push(" ORDER BY id LIMIT ").push_bind(limit);
                sql.build()
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(decode_task)
                    .collect()
            }
        }
    };
}

backend!(sqlite, sqlx::Sqlite, SQLITE);
backend!(postgres, sqlx::Postgres, POSTGRES);

impl TaskRepository for RawTaskRepository {
    async fn create_user(&self, _: NewUser) -> Result<User, AppError> {
        Err(AppError::MethodNotAllowed)
    }

    async fn create_project(&self, _: NewProject) -> Result<Project, AppError> {
        Err(AppError::MethodNotAllowed)
    }

    async fn create_tag(&self, _: NewTag) -> Result<Tag, AppError> {
        Err(AppError::MethodNotAllowed)
    }

    async fn create_task(&self, _: CreateTask) -> Result<Task, AppError> {
        Err(AppError::MethodNotAllowed)
    }

    async fn task_detail(&self, id: i64) -> Result<Task, AppError> {
        let found = match &self.pool {
            RawPool::Sqlite(pool) => sqlite::task_detail(pool, id).await,
            RawPool::Postgres(pool) => postgres::task_detail(pool, id).await,
        }
        .map_err(orm_error)?;
        found.ok_or(AppError::Db(orm::Error::NotFound { table: "tasks" }))
    }

    async fn list_tasks(&self, filter: TaskFilter) -> Result<TaskPage, AppError> {
        // One row more than the page tells whether there is a next page.
        let limit = i64::try_from(filter.limit.saturating_add(1)).unwrap_or(i64::MAX);
        let mut tasks = match &self.pool {
            RawPool::Sqlite(pool) => sqlite::list_tasks(pool, &filter, limit).await,
            RawPool::Postgres(pool) => postgres::list_tasks(pool, &filter, limit).await,
        }
        .map_err(orm_error)?;
        let page = usize::try_from(filter.limit).unwrap_or(usize::MAX);
        let next_after = if tasks.len() > page {
            tasks.truncate(page);
            tasks.last().map(|task| task.id)
        } else {
            None
        };
        Ok(TaskPage { tasks, next_after })
    }

    async fn update_task(&self, _: i64, _: i64, _: TaskPatch) -> Result<Task, AppError> {
        Err(AppError::MethodNotAllowed)
    }

    async fn delete_task(&self, _: i64, _: Option<i64>) -> Result<(), AppError> {
        Err(AppError::MethodNotAllowed)
    }

    async fn restore_task(&self, _: i64) -> Result<Task, AppError> {
        Err(AppError::MethodNotAllowed)
    }

    async fn add_comment(&self, _: i64, _: CreateComment) -> Result<Comment, AppError> {
        Err(AppError::MethodNotAllowed)
    }
}
