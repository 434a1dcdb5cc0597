//! What the HTTP layer asks of storage ([`TaskRepository`]), and its implementation on orm
//! ([`OrmTaskRepository`]).
//!
//! The trait speaks in the domain's models and the commands below; the handlers are generic
//! over it, so another implementation (an in-memory fake, a caching decorator) drops in
//! without touching them. Its methods return `impl Future + Send`, so that the handlers'
//! futures are `Send` as axum needs, and an implementation writes them as `async fn`.

use std::future::Future;

use orm::prelude::*;
use serde::{Deserialize, Deserializer};

use crate::domain::{
    Comment, DEFAULT_PRIORITY, NewComment, NewProject, NewTag, NewTask, NewTaskTag, NewUser,
    Project, Status, Tag, Task, User,
};
use crate::error::AppError;

/// A task to create, with the tags to put on it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTask {
    /// The project it belongs to.
    pub project_id: i64,
    /// Not blank, at most 200 characters.
    pub title: String,
    /// Default `todo`.
    #[serde(default)]
    pub status: Option<Status>,
    /// 1 to 5, default 3.
    #[serde(default)]
    pub priority: Option<i32>,
    /// When it is due.
    #[serde(default)]
    pub due: Option<NaiveDate>,
    /// Tags to put on it (each once, whatever the list repeats).
    #[serde(default)]
    pub tag_ids: Vec<i64>,
}

/// A partial update of a task: what is absent stays as it is; `"due": null` clears the
/// due date.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskPatch {
    /// A new title.
    #[serde(default)]
    pub title: Option<String>,
    /// A new status.
    #[serde(default)]
    pub status: Option<Status>,
    /// A new priority.
    #[serde(default)]
    pub priority: Option<i32>,
    /// `Some(None)` clears the due date, `Some(Some(date))` sets it, `None` leaves it.
    #[serde(default, deserialize_with = "present")]
    pub due: Option<Option<NaiveDate>>,
}

/// A field that may be `null`: present (`null` or a value) is `Some`, absent is `None`
/// (with `#[serde(default)]`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A comment to add to a task.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateComment {
    /// The user who writes it.
    pub author_id: i64,
    /// Not blank, at most 2000 characters.
    pub body: String,
}

/// Which tasks to list, and which page.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Only this project's.
    pub project_id: Option<i64>,
    /// Only tasks in this status.
    pub status: Option<Status>,
    /// The page after the task with this id (`None`: the first page).
    pub after: Option<i64>,
    /// At most this many tasks.
    pub limit: u64,
}

/// A page of tasks, in id order.
#[derive(Debug, Clone)]
pub struct TaskPage {
    /// The tasks.
    pub tasks: Vec<Task>,
    /// The `after` of the next page; `None` on the last page.
    pub next_after: Option<i64>,
}

/// Storage for the service. Every method is one unit of work: what it writes is all written
/// or not at all.
pub trait TaskRepository: Clone + Send + Sync + 'static {
    /// Create a user.
    fn create_user(&self, new: NewUser) -> impl Future<Output = Result<User, AppError>> + Send;

    /// Create a project.
    fn create_project(
        &self,
        new: NewProject,
    ) -> impl Future<Output = Result<Project, AppError>> + Send;

    /// Create a tag.
    fn create_tag(&self, new: NewTag) -> impl Future<Output = Result<Tag, AppError>> + Send;

    /// Create a task and its tags, in one transaction; returns it as [`Self::task_detail`]
    /// does.
    fn create_task(&self, new: CreateTask) -> impl Future<Output = Result<Task, AppError>> + Send;

    /// A live task with its tags (by name) and comments (oldest first) loaded.
    fn task_detail(&self, id: i64) -> impl Future<Output = Result<Task, AppError>> + Send;

    /// A page of live tasks.
    fn list_tasks(
        &self,
        filter: TaskFilter,
    ) -> impl Future<Output = Result<TaskPage, AppError>> + Send;

    /// Apply `patch` to the task if it is still at `version`; returns it as stored.
    fn update_task(
        &self,
        id: i64,
        version: i64,
        patch: TaskPatch,
    ) -> impl Future<Output = Result<Task, AppError>> + Send;

    /// Soft-delete the task (if it is still at `version`, when given).
    fn delete_task(
        &self,
        id: i64,
        version: Option<i64>,
    ) -> impl Future<Output = Result<(), AppError>> + Send;

    /// Bring a soft-deleted task back; returns it as stored.
    fn restore_task(&self, id: i64) -> impl Future<Output = Result<Task, AppError>> + Send;

    /// Add a comment to a live task.
    fn add_comment(
        &self,
        task_id: i64,
        new: CreateComment,
    ) -> impl Future<Output = Result<Comment, AppError>> + Send;
}

/// [`TaskRepository`] on orm: one [`Database`] (a pool; cloning it is cheap) for the whole
/// application.
#[derive(Debug, Clone)]
pub struct OrmTaskRepository {
    db: Database,
}

impl OrmTaskRepository {
    /// The repository over `db`.
    pub fn new(db: Database) -> Self {
        OrmTaskRepository { db }
    }

    /// The database it works on.
    pub fn database(&self) -> &Database {
        &self.db
    }
}

/// The live task `id` with its tags and comments: three statements (the task, its tags
/// through the junction, its comments), however many tags and comments it has.
async fn load_detail(db: impl Executor, id: i64) -> Result<Task, AppError> {
    Ok(Task::query()
        .filter(Task::id.eq(id))
        .with(Task::tags.order_by(Tag::name.asc()))
        .with(Task::comments.order_by(Comment::id.asc()))
        .one(db)
        .await?)
}

impl TaskRepository for OrmTaskRepository {
    async fn create_user(&self, new: NewUser) -> Result<User, AppError> {
        Ok(new.insert(&self.db).await?)
    }

    async fn create_project(&self, new: NewProject) -> Result<Project, AppError> {
        Ok(new.insert(&self.db).await?)
    }

    async fn create_tag(&self, new: NewTag) -> Result<Tag, AppError> {
        Ok(new.insert(&self.db).await?)
    }

    async fn create_task(&self, new: CreateTask) -> Result<Task, AppError> {
        let mut tag_ids = new.tag_ids.clone();
        tag_ids.sort_unstable();
        tag_ids.dedup();
        let row = NewTask {
            project_id: new.project_id,
            title: new.title,
            status: new.status.unwrap_or_default(),
            priority: new.priority.unwrap_or(DEFAULT_PRIORITY),
            due: new.due,
        };
        // The task and its junction rows are written together or not at all: an unknown
        // tag (a foreign-key violation) leaves no task behind.
        self.db
            .transaction(async |tx| {
                let task = row.insert(tx).await?;
                let links: Vec<NewTaskTag> = tag_ids
                    .iter()
                    .map(|&tag_id| NewTaskTag {
                        task_id: task.id,
                        tag_id,
                    })
                    .collect();
                if !links.is_empty() {
                    NewTaskTag::insert_many(tx, &links).await?;
                }
                load_detail(tx, task.id).await
            })
            .await
    }

    async fn task_detail(&self, id: i64) -> Result<Task, AppError> {
        load_detail(&self.db, id).await
    }

    async fn list_tasks(&self, filter: TaskFilter) -> Result<TaskPage, AppError> {
        let mut query = Task::query();
        if let Some(project_id) = filter.project_id {
            query = query.filter(Task::project_id.eq(project_id));
        }
        if let Some(status) = filter.status {
            query = query.filter(Task::status.eq(status));
        }
        // One row more than the page tells whether there is a next page.
        let mut tasks = query
            .keyset(Task::id.asc(), filter.after)
            .limit(filter.limit + 1)
            .all(&self.db)
            .await?;
        let limit = usize::try_from(filter.limit).unwrap_or(usize::MAX);
        let next_after = if tasks.len() > limit {
            tasks.truncate(limit);
            tasks.last().map(|task| task.id)
        } else {
            None
        };
        Ok(TaskPage { tasks, next_after })
    }

    async fn update_task(&self, id: i64, version: i64, patch: TaskPatch) -> Result<Task, AppError> {
        let mut task = Tracked::new(Task::get(&self.db, id).await?);
        // The version the client read (If-Match) is the one the write expects.
        task.version = version;
        if let Some(title) = patch.title {
            task.title = title;
        }
        if let Some(status) = patch.status {
            task.status = status;
        }
        if let Some(priority) = patch.priority {
            task.priority = priority;
        }
        if let Some(due) = patch.due {
            task.due = due;
        }
        // `UPDATE tasks SET <the changed columns>, version = version + 1 .. WHERE id = $1
        // AND version = $2`: a client that read an older version, or lost a race with
        // another writer, gets `StaleObject` and nothing is written. With nothing changed,
        // nothing is written, but a version other than the stored one is still refused.
        task.save(&self.db).await?;
        Ok(task.into_inner())
    }

    async fn delete_task(&self, id: i64, version: Option<i64>) -> Result<(), AppError> {
        let mut task = Task::get(&self.db, id).await?;
        if let Some(version) = version {
            task.version = version;
        }
        // Sets `deleted_at` and bumps the version, where the row is still at `task.version`.
        task.delete(&self.db).await?;
        Ok(())
    }

    async fn restore_task(&self, id: i64) -> Result<Task, AppError> {
        let mut task = Task::find(id).with_deleted().one(&self.db).await?;
        if task.deleted_at.is_none() {
            return Err(AppError::Conflict {
                code: "not_deleted",
                message: format!("task {id} is not deleted"),
            });
        }
        task.restore(&self.db).await?;
        Ok(task)
    }

    async fn add_comment(&self, task_id: i64, new: CreateComment) -> Result<Comment, AppError> {
        // A deleted or missing task is not found; the comment is created through the
        // task's relationship, which sets its `task_id`.
        let mut task = Task::get(&self.db, task_id).await?;
        let comment = NewComment {
            task_id,
            author_id: new.author_id,
            body: new.body,
        };
        Ok(task.comments.create(&self.db, comment).await?)
    }
}
