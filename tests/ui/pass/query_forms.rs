//! The normal forms of the query language compile: joins, grouping, aggregates, windows,
//! CTEs, set operations, upserts, RETURNING, keyset pagination, DTOs, streams, EXPLAIN and
//! raw SQL. Compiled only (some forms are PostgreSQL-only), never run.

use orm::dialects::PgDialect;
use orm::functions::{arg, func};
use orm::prelude::*;

#[derive(Model, Debug, Clone)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique)]
    pub email: String,
    pub name: String,
    pub age: Option<i32>,
    #[orm(created_at)]
    pub created_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "posts")]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = User)]
    pub user_id: i64,
    pub title: String,
    pub views: i32,
    #[orm(numeric(10, 2))]
    pub price: Decimal,
    pub published_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "employees")]
pub struct Employee {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(references = Employee)]
    pub manager_id: Option<i64>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "categories")]
pub struct Category {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(references = Category)]
    pub parent_id: Option<i64>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "archived_posts")]
pub struct Archive {
    #[orm(primary_key)]
    pub id: i64,
    pub title: String,
}

/// A DTO selecting its own columns of `User`.
#[derive(FromRow, Debug)]
#[orm(model = User)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
}

/// A positional row for raw SQL.
#[derive(FromRow, Debug)]
pub struct IdTitle {
    pub id: i64,
    pub title: String,
}

async fn joins(db: &Database) -> orm::Result<()> {
    // Through the foreign key.
    let _rows: Vec<(String, String)> = User::query()
        .join(Post::TABLE)
        .filter(Post::views.gt(10))
        .select((User::name, Post::title))
        .all(db)
        .await?;
    // Outer joins: the nullable side read as Option.
    let _rows: Vec<(User, Option<Post>)> = User::query()
        .left_join(Post::TABLE)
        .select((model_row::<User>(), model_row::<Post>().nullable()))
        .all(db)
        .await?;
    let _rows: Vec<(i64, Option<String>)> = User::query()
        .left_join_on(
            Post::TABLE,
            Post::user_id.eq(User::id).and(Post::views.ge(1)),
        )
        .select((User::id, Post::title.nullable()))
        .all(db)
        .await?;
    // A self-join through an alias.
    let manager = alias::<Employee>("manager");
    let _rows: Vec<(String, Option<String>)> = Employee::query()
        .left_join_on(manager, Employee::manager_id.eq(manager.col(Employee::id)))
        .select((Employee::name, manager.col(Employee::name).nullable()))
        .order_by(Employee::name)
        .all(db)
        .await?;
    let _pairs: Vec<(Employee, Employee)> = Employee::query()
        .join_on(manager, Employee::manager_id.eq(manager.col(Employee::id)))
        .select((model_row::<Employee>(), manager.row()))
        .all(db)
        .await?;
    Ok(())
}

async fn aggregates(db: &Database) -> orm::Result<()> {
    let _per_user: Vec<(i64, i64, Option<i64>, Option<Decimal>)> = Post::query()
        .group_by(Post::user_id)
        .having(count_star().gt(1))
        .select((
            Post::user_id,
            count(Post::id),
            sum(Post::views),
            sum(Post::price),
        ))
        .order_by(Post::user_id)
        .all(db)
        .await?;
    let _stats: (
        i64,
        Option<Decimal>,
        Option<Decimal>,
        Option<i32>,
        Option<String>,
    ) = Post::query()
        .select((
            count_distinct(Post::user_id),
            avg(Post::views),
            avg(Post::price),
            max(Post::views),
            min(Post::title),
        ))
        .one(db)
        .await?;
    let _by_month: Vec<(DateTime<Utc>, i64)> = Post::query()
        .group_by(date_trunc(DateUnit::Month, Post::published_at))
        .select((
            date_trunc(DateUnit::Month, Post::published_at),
            count_star(),
        ))
        .all(db)
        .await?;
    let _labels: Vec<(String, i32, Option<i32>, i32)> = User::query()
        .select((
            case_when(User::age.ge(18), "adult").otherwise("minor"),
            coalesce(User::age, 0),
            length(lower(User::name)),
            func::<i32>("abs", vec![arg(coalesce(User::age, 0))]),
        ))
        .all(db)
        .await?;
    Ok(())
}

async fn windows(db: &Database) -> orm::Result<()> {
    let by_user = window()
        .partition_by(Post::user_id)
        .order_by(Post::published_at.desc());
    let _ranked: Vec<(i64, i64, i64, Option<i32>, Option<i64>)> = Post::query()
        .select((
            Post::id,
            row_number().over(by_user.clone()),
            dense_rank().over(by_user.clone()),
            lag(Post::views, 1).over(by_user),
            sum(Post::views).over(
                window()
                    .order_by(Post::id)
                    .rows_between(FrameBound::UnboundedPreceding, FrameBound::CurrentRow),
            ),
        ))
        .all(db)
        .await?;
    Ok(())
}

async fn ctes_and_subqueries(db: &Database) -> orm::Result<()> {
    let popular = cte(
        "popular",
        Post::query()
            .filter(Post::views.gt(100))
            .select((Post::id, Post::user_id)),
    );
    let _ids: Vec<i64> = select_from(&popular)
        .select(popular.col(Post::id))
        .all(db)
        .await?;
    let _authors: Vec<String> = User::query()
        .join_on(&popular, User::id.eq(popular.col(Post::user_id)))
        .select(User::name)
        .distinct()
        .all(db)
        .await?;

    let tree = recursive_cte(
        "tree",
        Category::query()
            .filter(Category::parent_id.is_null())
            .select((Category::id, Category::name, value(0i32).label("depth"))),
        |tree| {
            Category::query()
                .join_on(tree, Category::parent_id.eq(tree.col(Category::id)))
                .select((
                    Category::id,
                    Category::name,
                    (tree.field::<i32>("depth") + 1).label("depth"),
                ))
        },
    );
    let _tree: Vec<(String, i32)> = select_from(&tree)
        .select((tree.col(Category::name), tree.field::<i32>("depth")))
        .order_by(tree.field::<i32>("depth"))
        .all(db)
        .await?;

    let totals = Post::query()
        .group_by(Post::user_id)
        .select((Post::user_id, count_star().label("posts")))
        .derived("totals");
    let _busy: Vec<(String, i64)> = User::query()
        .join_on(&totals, User::id.eq(totals.col(Post::user_id)))
        .select((User::name, totals.field::<i64>("posts")))
        .all(db)
        .await?;

    let _writers: Vec<User> = User::query()
        .filter(User::id.in_subquery(Post::query().select(Post::user_id)))
        .filter(exists(
            Post::query()
                .filter(Post::user_id.eq(User::id))
                .select(Post::id),
        ))
        .all(db)
        .await?;
    let _latest: Vec<(String, Option<DateTime<Utc>>)> = User::query()
        .select((
            User::name,
            Post::query()
                .filter(Post::user_id.eq(User::id))
                .select(max(Post::published_at))
                .scalar(),
        ))
        .all(db)
        .await?;
    Ok(())
}

async fn set_operations(db: &Database) -> orm::Result<()> {
    let _texts: Vec<String> = User::query()
        .select(User::name)
        .union(Post::query().select(Post::title))
        .limit(10)
        .all(db)
        .await?;
    let _ids: Vec<i64> = User::query()
        .select(User::id)
        .except(Post::query().select(Post::user_id))
        .all(db)
        .await?;
    Ok(())
}

async fn writes(db: &Database) -> orm::Result<()> {
    let alice = NewUser {
        email: "alice@example.com".into(),
        name: "Alice".into(),
        age: Some(30),
    };
    let _upserted: Vec<(i64, String)> = insert(vec![alice.clone()])
        .on_conflict(User::email)
        .do_update(User::name, excluded(User::name))
        .do_update(User::age, User::age + 1)
        .do_update_where(User::age.is_not_null())
        .returning((User::id, User::name))
        .all(db)
        .await?;
    let _skipped: u64 = insert(vec![alice.clone()])
        .on_conflict(User::email)
        .do_nothing()
        .exec(db)
        .await?;
    let _users: Vec<User> = insert(vec![alice]).returning_model().all(db).await?;
    let _copied: u64 = insert_select::<Archive, _, _>(
        (Archive::id, Archive::title),
        Post::query().select((Post::id, Post::title)),
    )
    .exec(db)
    .await?;
    let _aged: Vec<(i64, Option<i32>)> = User::update()
        .filter(User::email.ends_with("@example.com"))
        .set(User::age, User::age + 1)
        .returning((User::id, User::age))
        .all(db)
        .await?;
    let _gone: Vec<i64> = Post::delete()
        .filter(Post::views.eq(0))
        .returning(Post::id)
        .all(db)
        .await?;
    Ok(())
}

async fn reading(db: &Database) -> orm::Result<()> {
    let keys = || (Post::published_at.desc(), Post::id.desc());
    let first_page: Vec<Post> = Post::query().keyset(keys(), None).limit(20).all(db).await?;
    if let Some(last) = first_page.last() {
        let _next: Vec<Post> = Post::query()
            .after(keys(), (last.published_at, last.id))
            .limit(20)
            .all(db)
            .await?;
    }
    let _summaries: Vec<UserSummary> = User::query()
        .filter(User::age.gt(18))
        .select_as::<UserSummary>()
        .all(db)
        .await?;
    // `contains` takes text as &str, &String or String.
    let term = String::from("50%");
    let _found: Vec<Post> = Post::query()
        .filter(Post::title.contains("x").and(Post::title.contains(&term)))
        .filter(Post::title.contains(term))
        .all(db)
        .await?;
    let stream = User::query().select(User::email).stream(db);
    drop(stream);
    let _plan: String = User::query().filter(User::id.eq(1)).explain(db).await?;
    let _raw: Vec<(i64, String)> = orm::raw("SELECT id, title FROM posts WHERE views > ?")
        .bind(10i32)
        .fetch_as(db)
        .await?;
    let _struct_rows: Option<IdTitle> = orm::raw("SELECT id, title FROM posts WHERE id = ?")
        .bind(1i64)
        .fetch_optional(db)
        .await?;
    Ok(())
}

/// Forms only PostgreSQL runs: rendered, not sent.
fn postgres_only() -> orm::Result<()> {
    let _jobs = Post::query()
        .filter(Post::views.eq(0))
        .for_update()
        .skip_locked()
        .limit(1)
        .to_sql(&PgDialect)?;
    let _latest = Post::query()
        .distinct_on(Post::user_id)
        .order_by(Post::user_id)
        .order_by(Post::published_at.desc().nulls_last())
        .to_sql(&PgDialect)?;
    Ok(())
}

fn require_send<F: std::future::Future + Send>(future: F) -> F {
    future
}

/// The futures are Send, so they can be spawned; never called.
fn all_forms(db: &Database) {
    drop(require_send(joins(db)));
    drop(require_send(aggregates(db)));
    drop(require_send(windows(db)));
    drop(require_send(ctes_and_subqueries(db)));
    drop(require_send(set_operations(db)));
    drop(require_send(writes(db)));
    drop(require_send(reading(db)));
}

fn main() {
    let _ = all_forms;
    postgres_only().expect("PostgreSQL-only forms render");
}
