//! orm against hand-written raw sqlx, side by side in one process on the same databases.
//!
//! Run with `cargo bench -p orm-benches --features bench`; `benches/README.md` describes the
//! method and holds the last full run. PostgreSQL comes from `ORM_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`) and is skipped, with a notice, when unreachable.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use criterion::{Criterion, SamplingMode};
use orm::prelude::*;
use orm_benches::blog::{self, UserShape};
use orm_benches::model::{
    JOIN_GROUPS, JOIN_MAX_ID, JOIN_MIN_POSTS, NewPost, NewUser, NewUserRow, Post, PostStats,
    SEED_ROWS, User, UserRow, expected_post_stats, new_user, new_user_row, posts_of,
};
use orm_benches::raw;
use orm_benches::report::{self, Comparison, Medians};
use sqlx::pool::{PoolConnection, PoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};
use tokio::runtime::Runtime;

/// orm's default acquire timeout, given to the raw pools as well.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);
/// orm's default SQLite busy timeout, given to the raw pool as well.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Pool sizes, the same for both sides (orm's defaults for a SQLite file and PostgreSQL).
const SQLITE_POOL_SIZE: u32 = 4;
const PG_POOL_SIZE: u32 = 10;
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

const SAMPLE_SIZE: usize = 30;
const HEAVY_SAMPLE_SIZE: usize = 10;
const WARM_UP: Duration = Duration::from_secs(1);
const MEASUREMENT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Copy)]
enum Workload {
    Fetch1,
    Find1,
    Fetch100,
    Fetch10k,
    Insert1,
    Insert1000,
    JoinAggregate,
    UsersPostsComments,
}

impl Workload {
    const ALL: [Workload; 8] = [
        Workload::Fetch1,
        Workload::Find1,
        Workload::Fetch100,
        Workload::Fetch10k,
        Workload::Insert1,
        Workload::Insert1000,
        Workload::JoinAggregate,
        Workload::UsersPostsComments,
    ];

    /// Part of the criterion group id.
    fn id(self) -> &'static str {
        match self {
            Workload::Fetch1 => "fetch_1",
            Workload::Find1 => "find_1",
            Workload::Fetch100 => "fetch_100",
            Workload::Fetch10k => "fetch_10000",
            Workload::Insert1 => "insert_1",
            Workload::Insert1000 => "insert_1000",
            Workload::JoinAggregate => "join_aggregate",
            Workload::UsersPostsComments => "users_posts_comments",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Workload::Fetch1 => "fetch 1 row by id",
            Workload::Find1 => "find 1 row by a filter, `.optional()`",
            Workload::Fetch100 => "fetch 100 rows",
            Workload::Fetch10k => "fetch 10 000 rows",
            Workload::Insert1 => "insert 1 row, RETURNING",
            Workload::Insert1000 => "insert 1 000 rows",
            Workload::JoinAggregate => "join + group by + having, 100 groups",
            Workload::UsersPostsComments => "load users → posts → comments, 100 × 10 × 10",
        }
    }

    /// Milliseconds per iteration: fewer samples, flat sampling.
    fn heavy(self) -> bool {
        matches!(
            self,
            Workload::Fetch10k | Workload::Insert1000 | Workload::UsersPostsComments
        )
    }

    /// Iterations per side and round in the interleaved cross-check (a few ms each).
    fn round_iterations(self) -> u64 {
        match self {
            Workload::Fetch1 | Workload::Find1 | Workload::Insert1 => 100,
            Workload::Fetch100 | Workload::JoinAggregate => 20,
            Workload::Fetch10k | Workload::Insert1000 | Workload::UsersPostsComments => 2,
        }
    }
}

/// One side of a comparison on one kind of connection. Both sides decode whole rows and
/// return them, so dropping them is measured on both.
trait Side {
    type New;
    type Row;
    fn new_row(n: u64) -> Self::New;
    async fn get(&mut self, id: i64) -> Self::Row;
    /// One row found by a filter that may match none (orm: `.optional()`, which binds its
    /// `LIMIT`; raw sqlx: `fetch_optional` of the key lookup).
    async fn find(&mut self, id: i64) -> Option<Self::Row>;
    async fn range(&mut self, max_id: i64) -> Vec<Self::Row>;
    async fn insert(&mut self, row: &Self::New) -> Self::Row;
    async fn insert_many(&mut self, rows: &[Self::New]) -> u64;
    /// The join + aggregate workload: `(name, published posts, summed amount)` of every
    /// active user with `id <= max_id` and at least `min_posts` published posts, by id.
    async fn post_stats(&mut self, max_id: i64, min_posts: i64) -> Vec<PostStats>;
    /// A blog user with its posts and their comments, as this side returns it.
    type Blog;
    /// The eager-loading workload: every blog user in id order, each with its posts, each
    /// post with its comments, every list in id order.
    async fn users_posts_comments(&mut self) -> Vec<Self::Blog>;
    /// The loaded tree in a form both sides share, for the equality check.
    fn blog_tree(users: &[Self::Blog]) -> Vec<UserShape>;
}

/// orm's join + aggregate query, written once for the benchmark and for the SQL listing.
/// `COUNT(*)` like the raw side (`count(Post::id)` would send `COUNT("bench_posts"."id")`);
/// the boolean columns are conditions themselves, so no boolean is bound.
macro_rules! orm_post_stats {
    ($max_id:expr, $min_posts:expr) => {
        User::query()
            .join(Post::TABLE)
            .filter(User::id.le($max_id))
            .filter(User::active)
            .filter(Post::published)
            .group_by((User::id, User::name))
            .having(count_star().ge($min_posts))
            .order_by(User::id)
            .select((User::name, count_star(), sum(Post::amount)))
    };
}

/// orm's eager load of the blog tree, written once for the benchmark and for the SQL listing.
macro_rules! orm_users_posts_comments {
    () => {
        blog::User::query()
            .order_by(blog::User::id)
            .with(blog::User::posts.with(blog::Post::comments))
    };
}

/// orm through any executor: `&Database` (pool) or `&orm::Connection` (held connection).
struct Orm<E>(E);

impl<E: orm::Executor> Side for Orm<E> {
    type New = NewUser;
    type Row = User;

    fn new_row(n: u64) -> NewUser {
        new_user(n)
    }

    async fn get(&mut self, id: i64) -> User {
        User::get(self.0, id).await.expect("orm: get")
    }

    async fn find(&mut self, id: i64) -> Option<User> {
        User::query()
            .filter(User::id.eq(id))
            .optional(self.0)
            .await
            .expect("orm: find")
    }

    async fn range(&mut self, max_id: i64) -> Vec<User> {
        User::query()
            .filter(User::id.le(max_id))
            .order_by(User::id)
            .all(self.0)
            .await
            .expect("orm: range")
    }

    async fn insert(&mut self, row: &NewUser) -> User {
        row.insert(self.0).await.expect("orm: insert")
    }

    async fn insert_many(&mut self, rows: &[NewUser]) -> u64 {
        NewUser::insert_many(self.0, rows)
            .await
            .expect("orm: insert_many")
    }

    async fn post_stats(&mut self, max_id: i64, min_posts: i64) -> Vec<PostStats> {
        orm_post_stats!(max_id, min_posts)
            .all(self.0)
            .await
            .expect("orm: post_stats")
    }

    type Blog = blog::User;

    async fn users_posts_comments(&mut self) -> Vec<blog::User> {
        orm_users_posts_comments!()
            .all(self.0)
            .await
            .expect("orm: users_posts_comments")
    }

    fn blog_tree(users: &[blog::User]) -> Vec<UserShape> {
        blog::orm_tree(users)
    }
}

/// Raw sqlx on a pool (`&pool` as the executor).
struct RawPool<DB: sqlx::Database>(sqlx::Pool<DB>);

/// Raw sqlx on a connection held out of the pool (`&mut *conn` as the executor).
struct RawConnection<DB: sqlx::Database>(PoolConnection<DB>);

macro_rules! raw_side {
    ($ty:ty, $queries:ident, $this:ident => $executor:expr) => {
        impl Side for $ty {
            type New = NewUserRow;
            type Row = UserRow;

            fn new_row(n: u64) -> NewUserRow {
                new_user_row(n)
            }

            async fn get(&mut $this, id: i64) -> UserRow {
                raw::$queries::get($executor, id).await.expect("raw: get")
            }

            async fn find(&mut $this, id: i64) -> Option<UserRow> {
                raw::$queries::find($executor, id).await.expect("raw: find")
            }

            async fn range(&mut $this, max_id: i64) -> Vec<UserRow> {
                raw::$queries::range($executor, max_id)
                    .await
                    .expect("raw: range")
            }

            async fn insert(&mut $this, row: &NewUserRow) -> UserRow {
                raw::$queries::insert($executor, row)
                    .await
                    .expect("raw: insert")
            }

            async fn insert_many(&mut $this, rows: &[NewUserRow]) -> u64 {
                raw::$queries::insert_many($executor, rows)
                    .await
                    .expect("raw: insert_many")
            }

            async fn post_stats(&mut $this, max_id: i64, min_posts: i64) -> Vec<PostStats> {
                raw::$queries::post_stats($executor, max_id, min_posts)
                    .await
                    .expect("raw: post_stats")
            }

            type Blog = blog::UserRow;

            async fn users_posts_comments(&mut $this) -> Vec<blog::UserRow> {
                let users = raw::$queries::blog_users($executor)
                    .await
                    .expect("raw: blog users");
                let user_ids: Vec<i64> = users.iter().map(|user| user.id).collect();
                let posts = raw::$queries::blog_posts($executor, &user_ids)
                    .await
                    .expect("raw: blog posts");
                let post_ids: Vec<i64> = posts.iter().map(|post| post.id).collect();
                let comments = raw::$queries::blog_comments($executor, &post_ids)
                    .await
                    .expect("raw: blog comments");
                raw::stitch(users, posts, comments)
            }

            fn blog_tree(users: &[blog::UserRow]) -> Vec<UserShape> {
                blog::raw_tree(users)
            }
        }
    };
}

raw_side!(RawPool<Sqlite>, sqlite, self => &self.0);
raw_side!(RawConnection<Sqlite>, sqlite, self => &mut *self.0);
raw_side!(RawPool<Postgres>, postgres, self => &self.0);
raw_side!(RawConnection<Postgres>, postgres, self => &mut *self.0);

/// Puts the table back to its seeded rows after an insert sample, outside the timing.
enum Admin {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Admin {
    async fn reset(&self) {
        match self {
            Admin::Sqlite(pool) => {
                sqlx::query("DELETE FROM bench_users WHERE id > ?")
                    .bind(SEED_ROWS)
                    .execute(pool)
                    .await
                    .expect("delete inserted rows");
            }
            Admin::Postgres(pool) => {
                sqlx::query("DELETE FROM bench_users WHERE id > $1")
                    .bind(SEED_ROWS)
                    .execute(pool)
                    .await
                    .expect("delete inserted rows");
                // Keep dead tuples from piling up between samples (and between raw and orm).
                sqlx::raw_sql("VACUUM bench_users")
                    .execute(pool)
                    .await
                    .expect("vacuum");
            }
        }
    }
}

/// Numbers for inserted rows, so that every email is unique.
static NEXT_ROW: AtomicU64 = AtomicU64::new(1_000_000);

fn fresh_rows<S: Side>(count: u64) -> Vec<S::New> {
    (0..count)
        .map(|_| S::new_row(NEXT_ROW.fetch_add(1, Ordering::Relaxed)))
        .collect()
}

/// The id fetched by iteration `i`: spread over the seeded rows, the same sequence on both
/// sides.
fn key(i: u64) -> i64 {
    let seeded = SEED_ROWS.unsigned_abs();
    i64::try_from(i.wrapping_mul(7_919) % seeded).unwrap_or(0) + 1
}

/// Run `iters` iterations of `workload` on `side`; only the loop is timed (rows to insert are
/// built before, inserted rows deleted after).
fn measure<S: Side>(
    rt: &Runtime,
    admin: &Admin,
    side: &mut S,
    workload: Workload,
    iters: u64,
) -> Duration {
    match workload {
        Workload::Fetch1 => rt.block_on(async {
            let start = Instant::now();
            for i in 0..iters {
                black_box(side.get(key(i)).await);
            }
            start.elapsed()
        }),
        Workload::Find1 => rt.block_on(async {
            let start = Instant::now();
            for i in 0..iters {
                assert!(black_box(side.find(key(i)).await).is_some());
            }
            start.elapsed()
        }),
        Workload::Fetch100 | Workload::Fetch10k => {
            let (max_id, expected) = if matches!(workload, Workload::Fetch100) {
                (100, 100)
            } else {
                (10_000, 10_000)
            };
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let rows = side.range(max_id).await;
                    assert_eq!(rows.len(), expected);
                    black_box(rows);
                }
                start.elapsed()
            })
        }
        Workload::Insert1 => {
            let rows = fresh_rows::<S>(iters);
            let elapsed = rt.block_on(async {
                let start = Instant::now();
                for row in &rows {
                    black_box(side.insert(row).await);
                }
                start.elapsed()
            });
            rt.block_on(admin.reset());
            elapsed
        }
        Workload::Insert1000 => {
            let batches: Vec<Vec<S::New>> = (0..iters).map(|_| fresh_rows::<S>(1_000)).collect();
            let elapsed = rt.block_on(async {
                let start = Instant::now();
                for batch in &batches {
                    assert_eq!(side.insert_many(batch).await, 1_000);
                }
                start.elapsed()
            });
            rt.block_on(admin.reset());
            elapsed
        }
        Workload::JoinAggregate => rt.block_on(async {
            let start = Instant::now();
            for _ in 0..iters {
                let rows = side.post_stats(JOIN_MAX_ID, JOIN_MIN_POSTS).await;
                assert_eq!(rows.len(), JOIN_GROUPS);
                black_box(rows);
            }
            start.elapsed()
        }),
        Workload::UsersPostsComments => rt.block_on(async {
            let start = Instant::now();
            for _ in 0..iters {
                let users = side.users_posts_comments().await;
                assert_eq!(users.len(), blog::USERS);
                black_box(users);
            }
            start.elapsed()
        }),
    }
}

/// Before the join + aggregate workload is timed (once per suite, outside the timing): raw
/// and orm return the same rows, and those are the rows computed from the seed data, so
/// neither side can be fast by returning something else.
fn check_post_stats<R: Side, O: Side>(rt: &Runtime, raw: &mut R, orm: &mut O) {
    let (raw_rows, orm_rows) = rt.block_on(async {
        let raw_rows = raw.post_stats(JOIN_MAX_ID, JOIN_MIN_POSTS).await;
        (raw_rows, orm.post_stats(JOIN_MAX_ID, JOIN_MIN_POSTS).await)
    });
    assert_eq!(raw_rows, orm_rows, "raw and orm return different rows");
    let expected = expected_post_stats(JOIN_MAX_ID, JOIN_MIN_POSTS);
    assert_eq!(expected.len(), JOIN_GROUPS);
    assert_eq!(
        raw_rows, expected,
        "the join + aggregate result differs from the seed data"
    );
}

/// Before the eager-loading workload is timed (once per suite, outside the timing): raw and orm
/// return the same tree (same users, the same post ids per user, the same comment ids per
/// post, in the same order, with the same columns), and that tree is the seed data.
fn check_users_posts_comments<R: Side, O: Side>(rt: &Runtime, raw: &mut R, orm: &mut O) {
    let (raw_users, orm_users) = rt.block_on(async {
        let raw_users = raw.users_posts_comments().await;
        (raw_users, orm.users_posts_comments().await)
    });
    let (raw_tree, orm_tree) = (R::blog_tree(&raw_users), O::blog_tree(&orm_users));
    assert!(raw_tree == orm_tree, "raw and orm load different trees");
    blog::check_tree(&raw_tree);
}

/// The interleaved cross-check: `rounds` rounds of a few milliseconds per side, alternating
/// which side goes first; returns the median time per iteration of each side and the median
/// of the per-round orm / raw ratios (robust to drift in machine load).
fn interleave<R: Side, O: Side>(
    rt: &Runtime,
    admin: &Admin,
    raw: &mut R,
    orm: &mut O,
    workload: Workload,
    rounds: usize,
) -> (Medians, f64) {
    let iters = workload.round_iterations();
    let per_iteration = |elapsed: Duration| elapsed.as_nanos() as f64 / iters as f64;
    // Warm up both sides (statement caches, connections, page caches).
    for _ in 0..3 {
        measure(rt, admin, raw, workload, iters);
        measure(rt, admin, orm, workload, iters);
    }
    let (mut raw_times, mut orm_times, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (r, o) = if round % 2 == 0 {
            let r = measure(rt, admin, raw, workload, iters);
            (r, measure(rt, admin, orm, workload, iters))
        } else {
            let o = measure(rt, admin, orm, workload, iters);
            (measure(rt, admin, raw, workload, iters), o)
        };
        let (r, o) = (per_iteration(r), per_iteration(o));
        raw_times.push(r);
        orm_times.push(o);
        ratios.push(o / r);
    }
    let medians = Medians {
        raw: median(&mut raw_times),
        orm: median(&mut orm_times),
    };
    (medians, median(&mut ratios))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The run: criterion, the runtime, and what ran (for the report).
struct Bench<'a> {
    criterion: &'a mut Criterion,
    rt: &'a Runtime,
    comparisons: Vec<Comparison>,
    /// Markdown: database versions and the SQL each side sends.
    details: String,
    /// `ORM_BENCH_INTERLEAVED=<rounds>`: skip criterion and run the interleaved cross-check.
    interleaved_rounds: Option<usize>,
    /// Results of the cross-check: medians per iteration and the median per-round ratio.
    interleaved: Vec<(Comparison, Medians, f64)>,
    /// The plain (non-option) command-line arguments: in the cross-check, only groups whose id
    /// contains one of them run (criterion applies its own filter to its runs).
    filters: Vec<String>,
}

impl Bench<'_> {
    /// Both connection kinds of one backend: pool against pool, then a connection held out of
    /// each pool against the other.
    fn pool_and_connection<DB: sqlx::Database>(
        &mut self,
        admin: &Admin,
        backend: &'static str,
        pool: &sqlx::Pool<DB>,
        db: &Database,
    ) where
        RawPool<DB>: Side,
        RawConnection<DB>: Side,
    {
        let rt = self.rt;
        self.suite(
            admin,
            backend,
            "pool",
            &mut RawPool(pool.clone()),
            &mut Orm(db),
        );
        let orm_connection = rt.block_on(db.acquire()).expect("orm: acquire");
        let raw_connection = rt.block_on(pool.acquire()).expect("raw: acquire");
        self.suite(
            admin,
            backend,
            "connection",
            &mut RawConnection(raw_connection),
            &mut Orm(&orm_connection),
        );
    }

    /// Every workload, raw then orm in one criterion group each.
    fn suite<R: Side, O: Side>(
        &mut self,
        admin: &Admin,
        backend: &'static str,
        connection: &'static str,
        raw: &mut R,
        orm: &mut O,
    ) {
        let rt = self.rt;
        for workload in Workload::ALL {
            let group_id = format!("{backend}-{connection}-{}", workload.id());
            let comparison = Comparison {
                backend,
                connection,
                workload: workload.label(),
                group: group_id.clone(),
            };
            if matches!(workload, Workload::JoinAggregate) {
                check_post_stats(rt, raw, orm);
            }
            if matches!(workload, Workload::UsersPostsComments) {
                check_users_posts_comments(rt, raw, orm);
            }
            if let Some(rounds) = self.interleaved_rounds {
                if !self.filters.is_empty() && !self.filters.iter().any(|f| group_id.contains(f)) {
                    continue;
                }
                let result = interleave(rt, admin, raw, orm, workload, rounds);
                println!(
                    "{group_id}: raw {} orm {} per-round ratio {:.3}",
                    report::format_ns(result.0.raw),
                    report::format_ns(result.0.orm),
                    result.1
                );
                self.interleaved.push((comparison, result.0, result.1));
                continue;
            }
            let mut group = self.criterion.benchmark_group(group_id.clone());
            if workload.heavy() {
                group
                    .sample_size(HEAVY_SAMPLE_SIZE)
                    .sampling_mode(SamplingMode::Flat);
            }
            group.bench_function("raw", |b| {
                b.iter_custom(|iters| measure(rt, admin, raw, workload, iters));
            });
            group.bench_function("orm", |b| {
                b.iter_custom(|iters| measure(rt, admin, orm, workload, iters));
            });
            group.finish();
            self.comparisons.push(comparison);
        }
    }

    /// Record the statements of the eager-loading workload on `db`'s backend: orm's as sent
    /// (captured with `orm::guard::count_statements`), raw's as given (`raw`: users, posts,
    /// comments), key lists cut short.
    fn describe_blog_sql(&mut self, db: &Database, raw: [String; 3]) {
        let (users, log) = self.rt.block_on(orm::guard::count_statements(
            orm_users_posts_comments!().all(db),
        ));
        let users = users.expect("orm: users_posts_comments");
        assert_eq!(users.len(), blog::USERS);
        log.assert_count(3);
        let out = &mut self.details;
        let _ = writeln!(
            out,
            "- load users → posts → comments (3 statements per side: {} users, then the posts of \
             {} user ids, then the comments of {} post ids)",
            blog::USERS,
            blog::USERS,
            thousands(blog::USERS * blog::POSTS_PER_USER)
        );
        for sql in &raw {
            let _ = writeln!(out, "  - raw: `{}`", short_key_list(sql));
        }
        for sql in log.statements() {
            let _ = writeln!(out, "  - orm: `{}`", short_key_list(sql));
        }
    }

    /// Record the SQL both sides send on `db`'s backend, for the README.
    fn describe_sql(
        &mut self,
        title: &str,
        db: &Database,
        raw_sql: [&str; 4],
        raw_insert_many: &str,
    ) {
        let dialect = db.dialect();
        let orm_get = orm::__private::crud::get_statement::<User>(dialect, &1)
            .expect("render get")
            .sql;
        let orm_range = User::query()
            .filter(User::id.le(100))
            .order_by(User::id)
            .to_sql(dialect)
            .expect("render range")
            .sql;
        let orm_join = orm_post_stats!(JOIN_MAX_ID, JOIN_MIN_POSTS)
            .to_sql(dialect)
            .expect("render join")
            .sql;
        let orm_insert = orm::__private::crud::insert_statement(dialect, &new_user(0))
            .expect("render insert")
            .sql;
        let rows: Vec<NewUser> = (0..1_000).map(new_user).collect();
        let orm_many = orm::__private::crud::insert_many_statements(dialect, &rows)
            .expect("render insert_many");
        let out = &mut self.details;
        let _ = writeln!(out, "\n#### {title}\n");
        for (workload, raw, orm) in [
            ("fetch 1 row by id", raw_sql[0], &*orm_get),
            ("fetch 100 / 10 000 rows", raw_sql[1], &*orm_range),
            ("insert 1 row", raw_sql[2], &*orm_insert),
        ] {
            let _ = writeln!(out, "- {workload}\n  - raw: `{raw}`\n  - orm: `{orm}`");
        }
        let _ = writeln!(
            out,
            "- insert 1 000 rows\n  - raw: `{}` (1 statement)\n  - orm: `{}` ({} statement(s))",
            first_tuple(raw_insert_many),
            first_tuple(&orm_many[0].sql),
            orm_many.len()
        );
        let _ = writeln!(
            out,
            "- join + group by + having\n  - raw: `{}`\n  - orm: `{orm_join}`",
            raw_sql[3]
        );
    }
}

/// `n` with a space between groups of three digits, as the README writes numbers.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(digit);
    }
    out
}

/// A key list `IN (?, ?, ?, ..)` cut after its first two placeholders.
fn short_key_list(sql: &str) -> String {
    let Some(start) = sql.find(" IN (").map(|i| i + " IN (".len()) else {
        return sql.to_owned();
    };
    let Some(length) = sql[start..].find(')') else {
        return sql.to_owned();
    };
    let items: Vec<&str> = sql[start..start + length].split(", ").collect();
    if items.len() <= 2 {
        return sql.to_owned();
    }
    format!(
        "{}{}, {}, …{}",
        &sql[..start],
        items[0],
        items[1],
        &sql[start + length..]
    )
}

/// A multi-row insert cut after its first tuple.
fn first_tuple(sql: &str) -> String {
    match sql.find("), (") {
        Some(end) => format!("{}), …", &sql[..end]),
        None => sql.to_owned(),
    }
}

/// Drop and create `bench_users` and `bench_posts`, insert the seed users (ids
/// `1..=SEED_ROWS`) and their posts (about ten each); then the blog tables of the
/// eager-loading workload (see `blog::seed`).
async fn seed(db: &Database) {
    let schema = schema![User, Post];
    db.drop_all(&schema).await.expect("drop the tables");
    db.create_all(&schema).await.expect("create the tables");
    let rows: Vec<NewUser> = (1..=SEED_ROWS.unsigned_abs()).map(new_user).collect();
    let inserted = NewUser::insert_many(db, &rows).await.expect("seed rows");
    assert_eq!(inserted, SEED_ROWS.unsigned_abs());
    let last = User::get(db, SEED_ROWS)
        .await
        .expect("seeded ids start at 1");
    assert_eq!(last.email, new_user(SEED_ROWS.unsigned_abs()).email);
    let posts: Vec<NewPost> = (1..=SEED_ROWS.unsigned_abs()).flat_map(posts_of).collect();
    let inserted = NewPost::insert_many(db, &posts).await.expect("seed posts");
    assert_eq!(inserted, u64::try_from(posts.len()).unwrap_or(u64::MAX));
    blog::seed(db).await.expect("seed the blog tables");
}

fn sqlite_benches(bench: &mut Bench<'_>) {
    let rt = bench.rt;
    let dir = std::env::temp_dir().join(format!("orm-benches-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());

    let db = rt
        .block_on(Database::connect_with(
            &url,
            DatabaseOptions::new().max_connections(SQLITE_POOL_SIZE),
        ))
        .expect("orm: open SQLite");
    rt.block_on(seed(&db));

    // The raw pool gets the options orm gives its pool: the same pragmas, the same pool
    // settings (test_before_acquire off, same size and timeouts).
    let options = SqliteConnectOptions::from_str(&url)
        .expect("SQLite URL")
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        .pragma("case_sensitive_like", "ON")
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal);
    let pool = rt
        .block_on(
            PoolOptions::<Sqlite>::new()
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .test_before_acquire(false)
                .max_connections(SQLITE_POOL_SIZE)
                .min_connections(0)
                .connect_with(options),
        )
        .expect("raw: open SQLite");
    let version: String = rt
        .block_on(sqlx::query_scalar("SELECT sqlite_version()").fetch_one(&pool))
        .expect("SQLite version");
    let raw_many =
        raw::sqlite::insert_many_query(&(0..2).map(new_user_row).collect::<Vec<_>>()).into_string();
    bench.describe_sql(
        &format!("SQLite {version} (temp file, WAL, synchronous=NORMAL)"),
        &db,
        [
            raw::sqlite::GET,
            raw::sqlite::RANGE,
            raw::sqlite::INSERT,
            raw::sqlite::JOIN,
        ],
        &raw_many,
    );
    let (users, posts): (Vec<i64>, Vec<i64>) = ((1..=3).collect(), (1..=3).collect());
    bench.describe_blog_sql(
        &db,
        [
            raw::sqlite::BLOG_USERS.to_owned(),
            raw::sqlite::blog_posts_sql(&users),
            raw::sqlite::blog_comments_sql(&posts),
        ],
    );

    let admin = Admin::Sqlite(pool.clone());
    bench.pool_and_connection(&admin, "sqlite", &pool, &db);
    rt.block_on(async {
        pool.close().await;
        db.close().await;
    });
    let _ = std::fs::remove_dir_all(&dir);
}

fn postgres_benches(bench: &mut Bench<'_>) {
    let rt = bench.rt;
    let url = std::env::var("ORM_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_owned());
    let probe = rt.block_on(async {
        use sqlx::Connection as _;
        match tokio::time::timeout(Duration::from_secs(5), sqlx::PgConnection::connect(&url)).await
        {
            Ok(Ok(connection)) => connection.close().await.map_err(|e| e.to_string()),
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err("timed out after 5 s".to_owned()),
        }
    });
    if let Err(error) = probe {
        let notice = format!(
            "PostgreSQL (ORM_TEST_PG_URL, default {DEFAULT_PG_URL}) is unreachable ({error}): \
             running the SQLite benchmarks only."
        );
        eprintln!("\nnotice: {notice}\n");
        let _ = writeln!(bench.details, "\n{notice}");
        return;
    }

    let db = rt
        .block_on(Database::connect_with(
            &url,
            DatabaseOptions::new().max_connections(PG_POOL_SIZE),
        ))
        .expect("orm: connect to PostgreSQL");
    rt.block_on(seed(&db));
    let pool = rt
        .block_on(
            PoolOptions::<Postgres>::new()
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .test_before_acquire(false)
                .max_connections(PG_POOL_SIZE)
                .min_connections(0)
                .connect(&url),
        )
        .expect("raw: connect to PostgreSQL");
    rt.block_on(
        sqlx::raw_sql(
            "ANALYZE bench_users, bench_posts, bench_blog_users, bench_blog_posts, \
             bench_blog_comments",
        )
        .execute(&pool),
    )
    .expect("analyze");
    let version: String = rt
        .block_on(sqlx::query_scalar("SHOW server_version").fetch_one(&pool))
        .expect("PostgreSQL version");
    let raw_many = raw::postgres::insert_many_query(&(0..2).map(new_user_row).collect::<Vec<_>>())
        .into_string();
    bench.describe_sql(
        &format!("PostgreSQL {version} (TCP, localhost)"),
        &db,
        [
            raw::postgres::GET,
            raw::postgres::RANGE,
            raw::postgres::INSERT,
            raw::postgres::JOIN,
        ],
        &raw_many,
    );
    bench.describe_blog_sql(
        &db,
        [
            raw::postgres::BLOG_USERS.to_owned(),
            raw::postgres::blog_posts_sql(&[]),
            raw::postgres::blog_comments_sql(&[]),
        ],
    );

    let admin = Admin::Postgres(pool.clone());
    bench.pool_and_connection(&admin, "postgres", &pool, &db);
    rt.block_on(async {
        let _ = sqlx::raw_sql(
            "DROP TABLE IF EXISTS bench_blog_comments, bench_blog_posts, bench_blog_users, \
             bench_posts, bench_users",
        )
        .execute(&pool)
        .await;
        pool.close().await;
        db.close().await;
    });
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| {
            let fields: Vec<&str> = text.split_whitespace().take(3).collect();
            (fields.len() == 3).then(|| fields.join(" "))
        })
        .unwrap_or_else(|| "n/a".to_owned())
}

/// The commit of the orm sources measured, and whether they had uncommitted changes.
fn orm_revision() -> String {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(&workspace)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let Some(commit) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown".to_owned();
    };
    let sources = [
        "orm",
        "orm-core",
        "orm-derive",
        "orm-sqlite",
        "orm-postgres",
    ];
    let mut status = vec!["status", "--porcelain", "--"];
    status.extend(sources);
    match git(&status) {
        Some(changes) if changes.is_empty() => format!("`{commit}`"),
        Some(_) => format!("`{commit}` plus uncommitted changes"),
        None => format!("`{commit}`"),
    }
}

/// The CPUs this process may run on (`taskset -c 1 cargo bench ..` shows up here).
fn cpu_affinity() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                line.strip_prefix("Cpus_allowed_list:")
                    .map(|cpus| cpus.trim().to_owned())
            })
        })
        .unwrap_or_else(|| "n/a".to_owned())
}

fn main() {
    let started = SystemTime::now();
    let load_before = load_average();
    // Before the long run, as close as possible to the build of this binary.
    let revision = orm_revision();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    // sqlx returns pooled connections from `Drop` by spawning; give it a runtime everywhere.
    let _runtime_context = rt.enter();
    let output = report::criterion_directory();
    let mut criterion = Criterion::default()
        .sample_size(SAMPLE_SIZE)
        .warm_up_time(WARM_UP)
        .measurement_time(MEASUREMENT)
        .without_plots()
        .output_directory(&output)
        .configure_from_args();

    let interleaved_rounds = std::env::var("ORM_BENCH_INTERLEAVED")
        .ok()
        .map(|rounds| rounds.parse().expect("ORM_BENCH_INTERLEAVED=<rounds>"));
    let mut bench = Bench {
        criterion: &mut criterion,
        rt: &rt,
        comparisons: Vec::new(),
        details: String::new(),
        interleaved_rounds,
        interleaved: Vec::new(),
        filters: std::env::args()
            .skip(1)
            .filter(|argument| !argument.starts_with('-'))
            .collect(),
    };
    sqlite_benches(&mut bench);
    postgres_benches(&mut bench);
    let Bench {
        comparisons,
        details,
        interleaved,
        ..
    } = bench;
    if interleaved_rounds.is_some() {
        print_interleaved(&interleaved);
        return;
    }
    criterion.final_summary();
    summarize(
        &output,
        (started, &load_before, &revision),
        &comparisons,
        &details,
    );
}

fn print_interleaved(results: &[(Comparison, Medians, f64)]) {
    println!(
        "\ninterleaved cross-check (not criterion)\n\n\
         | backend | connection | workload | raw median | orm median | median of per-round orm / raw |\n\
         |---|---|---|---:|---:|---:|"
    );
    for (c, m, ratio) in results {
        println!(
            "| {} | {} | {} | {} | {} | {ratio:.3} |",
            c.backend,
            c.connection,
            c.workload,
            report::format_ns(m.raw),
            report::format_ns(m.orm)
        );
    }
}

/// Print the table and, after a complete run, write it into the README.
fn summarize(
    output: &Path,
    (started, load_before, revision): (SystemTime, &str, &str),
    comparisons: &[Comparison],
    details: &str,
) {
    let mut results = Vec::new();
    let mut missing = 0;
    for comparison in comparisons {
        let raw = report::median_ns(output, &comparison.group, "raw", started);
        let orm = report::median_ns(output, &comparison.group, "orm", started);
        match (raw, orm) {
            (Some(raw), Some(orm)) => results.push((comparison.clone(), Medians { raw, orm })),
            _ => missing += 1,
        }
    }
    if results.is_empty() {
        println!("no fresh criterion results (filtered or --test run): nothing to report");
        return;
    }
    let table = report::markdown_table(&results);
    println!(
        "\nmedians per iteration (criterion, {})\n\n{table}",
        output.display()
    );
    if missing > 0 {
        println!("{missing} comparison(s) did not run (filter?): README.md not updated");
        return;
    }
    let elapsed = started.elapsed().unwrap_or_default().as_secs();
    // All CPUs of the machine (available_parallelism would count only the allowed ones).
    let cores = std::fs::read_to_string("/proc/cpuinfo").map_or(0, |info| {
        info.lines()
            .filter(|line| line.starts_with("processor"))
            .count()
    });
    let arguments: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let arguments = if arguments.is_empty() {
        "none".to_owned()
    } else {
        format!("`{}`", arguments.join(" "))
    };
    let mut section = String::new();
    let _ = writeln!(
        section,
        "Last full run: {} UTC, orm at {}, {cores} CPUs, bench process allowed on CPU(s) {}, \
         {}:{:02} min, criterion arguments: {arguments}; load average (1/5/15 min) {} before, {} after.\n\n\
         Medians per iteration; ⚠ marks orm / raw > 1.05.\n\n{table}\n### SQL sent\n{details}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        revision,
        cpu_affinity(),
        elapsed / 60,
        elapsed % 60,
        load_before,
        load_average(),
    );
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    match report::update_readme(&readme, &section) {
        Ok(()) => println!("wrote the table into {}", readme.display()),
        Err(error) => println!("could not update {}: {error}", readme.display()),
    }
}
