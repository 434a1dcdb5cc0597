//! The load benchmark of the tasks API: requests/s, p50 and p99 of the read endpoints under
//! N concurrent clients, served by orm ([`OrmTaskRepository`]) and by hand-written sqlx
//! ([`RawTaskRepository`]) — the same router and handlers, two servers in this process over
//! the same database — measured in interleaved slices of the same run.
//!
//! ```sh
//! cargo run --release -p orm-tasks-api --bin tasks-load                  # a temporary SQLite file
//! cargo run --release -p orm-tasks-api --bin tasks-load -- \
//!     --database-url postgres://postgres@127.0.0.1:5432/test             # database orm_load_tasks there
//! ```
//!
//! 1. seeds, through orm's models: users, projects, tags, `--tasks` tasks (each with up to
//!    four tags; 2 % of them soft-deleted) and `--comments` comments;
//! 2. starts both servers on ephemeral ports and checks that they answer a sample of detail
//!    and list requests with the same status and the same body, byte for byte (else it
//!    fails before measuring anything);
//! 3. warms every endpoint up on both sides, runs `ANALYZE`, and measures each endpoint.

use std::error::Error;
use std::sync::Arc;

use clap::Parser;
use orm::Database;
use orm::prelude::*;
use orm_loadgen::{
    Bench, Call, Endpoint, LoadArgs, RawPool, Rng, Side, Target, compare, load_average, serve,
};
use orm_tasks_api::domain::{
    NewComment, NewProject, NewTag, NewTask, NewTaskTag, NewUser, Project, Status, Tag, Task, User,
};
use orm_tasks_api::http::{encode_cursor, router};
use orm_tasks_api::raw::RawTaskRepository;
use orm_tasks_api::repository::{OrmTaskRepository, TaskRepository};
use tracing_subscriber::EnvFilter;

/// The tasks API under load: orm against hand-written sqlx, same handlers, same database.
#[derive(Debug, Parser)]
#[command(name = "tasks-load")]
struct Cli {
    #[command(flatten)]
    load: LoadArgs,
    /// Tasks to seed.
    #[arg(long, default_value_t = 5_000)]
    tasks: usize,
    /// Comments to seed.
    #[arg(long, default_value_t = 25_000)]
    comments: usize,
    /// Tasks per page of the list endpoints.
    #[arg(long, default_value_t = 50)]
    page: u64,
}

const USERS: usize = 50;
const PROJECTS: usize = 50;
const TAGS: usize = 30;
const STATUSES: [Status; 3] = [Status::Todo, Status::Doing, Status::Done];

/// What the seed wrote that the requests draw from.
struct Seeded {
    /// Live task ids.
    live: Vec<i64>,
    /// Soft-deleted task ids.
    deleted: Vec<i64>,
    /// Project ids.
    projects: Vec<i64>,
}

/// Seed the database through orm (multi-row inserts, a few soft deletes).
async fn seed(
    db: &Database,
    cli: &Cli,
    rng: &mut Rng,
) -> Result<Seeded, Box<dyn Error + Send + Sync>> {
    let users: Vec<NewUser> = (0..USERS)
        .map(|i| NewUser {
            email: format!("user{i}@example.com"),
            name: format!("User {i}"),
        })
        .collect();
    NewUser::insert_many(db, &users).await?;
    let user_ids: Vec<i64> = User::query().select(User::id).all(db).await?;
    let projects: Vec<NewProject> = (0..PROJECTS)
        .map(|i| NewProject {
            owner_id: *rng.pick(&user_ids),
            name: format!("Project {i}"),
        })
        .collect();
    NewProject::insert_many(db, &projects).await?;
    let project_ids: Vec<i64> = Project::query().select(Project::id).all(db).await?;
    let tags: Vec<NewTag> = (0..TAGS)
        .map(|i| NewTag {
            name: format!("tag-{i:02}"),
        })
        .collect();
    NewTag::insert_many(db, &tags).await?;
    let tag_ids: Vec<i64> = Tag::query().select(Tag::id).all(db).await?;

    let tasks: Vec<NewTask> = (0..cli.tasks)
        .map(|i| NewTask {
            project_id: *rng.pick(&project_ids),
            title: format!("Task {i}: {}", "make it work ".repeat(1 + rng.index(4))),
            status: *rng.pick(&STATUSES),
            priority: i32::try_from(rng.between(1, 5)).unwrap_or(3),
            due: rng
                .chance(1, 2)
                .then(|| NaiveDate::from_ymd_opt(2030, 1, 1))
                .flatten()
                .and_then(|day| day.checked_add_days(chrono::Days::new(rng.below(365)))),
        })
        .collect();
    NewTask::insert_many(db, &tasks).await?;
    let task_ids: Vec<i64> = Task::query()
        .select(Task::id)
        .order_by(Task::id)
        .all(db)
        .await?;

    let mut links = Vec::new();
    for &task_id in &task_ids {
        let mut picked: Vec<i64> = (0..rng.index(5)).map(|_| *rng.pick(&tag_ids)).collect();
        picked.sort_unstable();
        picked.dedup();
        links.extend(
            picked
                .into_iter()
                .map(|tag_id| NewTaskTag { task_id, tag_id }),
        );
    }
    NewTaskTag::insert_many(db, &links).await?;
    let comments: Vec<NewComment> = (0..cli.comments)
        .map(|i| NewComment {
            task_id: *rng.pick(&task_ids),
            author_id: *rng.pick(&user_ids),
            body: format!("Comment {i}: {}", "looks good, ".repeat(1 + rng.index(8))),
        })
        .collect();
    NewComment::insert_many(db, &comments).await?;

    // 2 % soft-deleted, through the service's own repository.
    let repo = OrmTaskRepository::new(db.clone());
    let mut deleted = Vec::new();
    for &id in &task_ids {
        if rng.chance(1, 50) {
            repo.delete_task(id, None).await?;
            deleted.push(id);
        }
    }
    let live = task_ids
        .iter()
        .copied()
        .filter(|id| deleted.binary_search(id).is_err())
        .collect();
    eprintln!(
        "seeded {USERS} users, {PROJECTS} projects, {TAGS} tags, {} tasks ({} deleted), {} tag links, {} comments",
        task_ids.len(),
        deleted.len(),
        links.len(),
        comments.len()
    );
    Ok(Seeded {
        live,
        deleted,
        projects: project_ids,
    })
}

/// The request of a page: the tasks of a project (`project`), or of a status after a cursor
/// (`status`, `after`).
fn page_call(page: u64, project: Option<i64>, status: Option<Status>, after: Option<i64>) -> Call {
    let mut path = format!("/tasks?limit={page}");
    if let Some(project) = project {
        path.push_str(&format!("&project_id={project}"));
    }
    if let Some(status) = status {
        path.push_str(&format!("&status={}", status.as_str()));
    }
    if let Some(after) = after {
        path.push_str(&format!("&cursor={}", encode_cursor(after)));
    }
    Call::get(path)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error + Send + Sync>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    let load_before = load_average();
    let target = Target::prepare(cli.load.database_url.as_deref(), "tasks").await?;
    let database = target.describe().await?;
    eprintln!("{database}: {}", target.url);

    let db = orm_tasks_api::connect(&target.url).await?;
    let mut rng = Rng::new(cli.load.seed);
    let seeded = seed(&db, &cli, &mut rng).await?;
    let raw_pool = RawPool::connect(&target.url).await?;
    let orm = Side {
        name: "orm",
        base: serve(router(OrmTaskRepository::new(db.clone()))).await?,
    };
    let raw = Side {
        name: "raw",
        base: serve(router(RawTaskRepository::new(raw_pool.clone()))).await?,
    };

    // The two sides must give the same answers before their speed means anything.
    let mut sample = vec![
        Call::get("/tasks/0"),
        Call::get(format!("/tasks/{}", i64::MAX)),
    ];
    sample.extend(
        seeded
            .deleted
            .iter()
            .take(20)
            .map(|id| Call::get(format!("/tasks/{id}"))),
    );
    for _ in 0..300 {
        sample.push(Call::get(format!("/tasks/{}", rng.pick(&seeded.live))));
    }
    for _ in 0..100 {
        let project = *rng.pick(&seeded.projects);
        let status = *rng.pick(&STATUSES);
        let after = *rng.pick(&seeded.live);
        sample.push(page_call(cli.page, Some(project), None, None));
        sample.push(page_call(cli.page, None, Some(status), Some(after)));
        sample.push(page_call(
            cli.page,
            Some(project),
            Some(status),
            Some(after),
        ));
        sample.push(page_call(cli.page, None, None, Some(after)));
    }
    let agreed = compare(&orm, &raw, &sample).await?;
    eprintln!("the two sides gave the same {agreed} answers, byte for byte");

    let (live, projects, page) = (Arc::new(seeded.live), Arc::new(seeded.projects), cli.page);
    let endpoints = {
        let live_for_detail = Arc::clone(&live);
        let live_for_cursor = Arc::clone(&live);
        [
            Endpoint::new("`GET /tasks/{id}` (task + tags + comments)", move |rng| {
                Call::get(format!("/tasks/{}", rng.pick(&live_for_detail)))
            }),
            Endpoint::new(
                format!("`GET /tasks?project_id=&limit={page}` (a project's first page)"),
                move |rng| page_call(page, Some(*rng.pick(&projects)), None, None),
            ),
            Endpoint::new(
                format!("`GET /tasks?status=&cursor=&limit={page}` (a filtered keyset page)"),
                move |rng| {
                    let status = *rng.pick(&STATUSES);
                    page_call(page, None, Some(status), Some(*rng.pick(&live_for_cursor)))
                },
            ),
        ]
    };
    Bench::new(cli.load.clone(), orm, raw)
        .run(
            &endpoints,
            &target,
            "tasks-api: orm against raw sqlx",
            &database,
            &load_before,
        )
        .await?;
    raw_pool.close().await;
    db.close().await;
    Ok(())
}
