//! The raw-sqlx baselines: the statements a careful engineer writes by hand for each
//! workload, one module per backend (they differ only in placeholders).
//!
//! Every statement is a persistent (prepared and cached) query, like orm's; rows decode with
//! `#[derive(sqlx::FromRow)]` (a tuple for the join + aggregate); the bulk insert is one
//! multi-row `INSERT` built with `QueryBuilder::push_values`. The users → posts → comments
//! load is three statements (rows by key: one array bind `= ANY($1)` on PostgreSQL, an
//! `IN (?, ..)` list built with `QueryBuilder` on SQLite) stitched by [`stitch`].

use std::collections::HashMap;

use crate::blog::{CommentRow, PostRow, UserRow};

/// Start of the bulk insert; `QueryBuilder::push_values` appends `VALUES (..), (..)`.
pub const INSERT_MANY_PREFIX: &str =
    "INSERT INTO bench_users (email, name, active, score, created_at) ";

macro_rules! raw_queries {
    (
        $(#[$doc:meta])*
        $module:ident, $db:ty,
        get: $get:literal,
        range: $range:literal,
        insert: $insert:literal,
        join: $join:literal,
        blog_users: $blog_users:literal,
        blog_posts: $blog_posts:literal,
        blog_comments: $blog_comments:literal,
        by_keys: $by_keys:ident $(,)?
    ) => {
        $(#[$doc])*
        pub mod $module {
            use sqlx::{Executor, QueryBuilder};

            use crate::blog::{CommentRow, PostRow, UserRow as BlogUserRow};
            use crate::model::{NewUserRow, PostStats, UserRow};
            use crate::raw::INSERT_MANY_PREFIX;

            /// One row by primary key.
            pub const GET: &str = $get;
            /// Every row up to an id, in id order.
            pub const RANGE: &str = $range;
            /// One row, returning it as stored.
            pub const INSERT: &str = $insert;
            /// Active users up to an id joined to their published posts, grouped, filtered on
            /// the post count, in id order.
            pub const JOIN: &str = $join;
            /// Every blog user, in id order.
            pub const BLOG_USERS: &str = $blog_users;
            /// The posts of a list of users, in id order (the whole statement on PostgreSQL,
            /// the part before the key list on SQLite).
            pub const BLOG_POSTS: &str = $blog_posts;
            /// The comments of a list of posts, in id order (as [`BLOG_POSTS`]).
            pub const BLOG_COMMENTS: &str = $blog_comments;

            /// Every blog user, in id order (posts not filled in).
            pub async fn blog_users<'e, E>(executor: E) -> sqlx::Result<Vec<BlogUserRow>>
            where
                E: Executor<'e, Database = $db>,
            {
                sqlx::query_as::<_, BlogUserRow>(BLOG_USERS)
                    .fetch_all(executor)
                    .await
            }

            /// The posts of these users, in id order (comments not filled in).
            pub async fn blog_posts<'e, E>(executor: E, user_ids: &[i64]) -> sqlx::Result<Vec<PostRow>>
            where
                E: Executor<'e, Database = $db>,
            {
                by_keys!($by_keys, $db, PostRow, executor, BLOG_POSTS, user_ids)
            }

            /// The comments of these posts, in id order.
            pub async fn blog_comments<'e, E>(
                executor: E,
                post_ids: &[i64],
            ) -> sqlx::Result<Vec<CommentRow>>
            where
                E: Executor<'e, Database = $db>,
            {
                by_keys!($by_keys, $db, CommentRow, executor, BLOG_COMMENTS, post_ids)
            }

            /// The posts statement for `user_ids`, as sent (for the SQL listing).
            pub fn blog_posts_sql(user_ids: &[i64]) -> String {
                by_keys!(@sql $by_keys, $db, BLOG_POSTS, user_ids)
            }

            /// The comments statement for `post_ids`, as sent (for the SQL listing).
            pub fn blog_comments_sql(post_ids: &[i64]) -> String {
                by_keys!(@sql $by_keys, $db, BLOG_COMMENTS, post_ids)
            }

            /// Fetch the row with this id.
            pub async fn get<'e, E>(executor: E, id: i64) -> sqlx::Result<UserRow>
            where
                E: Executor<'e, Database = $db>,
            {
                sqlx::query_as::<_, UserRow>(GET)
                    .bind(id)
                    .fetch_one(executor)
                    .await
            }

            /// The row with `id`, if there is one.
            pub async fn find<'e, E>(executor: E, id: i64) -> sqlx::Result<Option<UserRow>>
            where
                E: Executor<'e, Database = $db>,
            {
                sqlx::query_as::<_, UserRow>(GET)
                    .bind(id)
                    .fetch_optional(executor)
                    .await
            }

            /// Fetch every row with `id <= max_id`, in id order.
            pub async fn range<'e, E>(executor: E, max_id: i64) -> sqlx::Result<Vec<UserRow>>
            where
                E: Executor<'e, Database = $db>,
            {
                sqlx::query_as::<_, UserRow>(RANGE)
                    .bind(max_id)
                    .fetch_all(executor)
                    .await
            }

            /// Insert one row and return it as stored.
            pub async fn insert<'e, E>(executor: E, row: &NewUserRow) -> sqlx::Result<UserRow>
            where
                E: Executor<'e, Database = $db>,
            {
                sqlx::query_as::<_, UserRow>(INSERT)
                    .bind(&row.email)
                    .bind(&row.name)
                    .bind(row.active)
                    .bind(row.score)
                    .bind(row.created_at)
                    .fetch_one(executor)
                    .await
            }

            /// For every active user with `id <= max_id` and at least `min_posts` published
            /// posts, in id order: its name, the number of those posts and their summed amount.
            pub async fn post_stats<'e, E>(
                executor: E,
                max_id: i64,
                min_posts: i64,
            ) -> sqlx::Result<Vec<PostStats>>
            where
                E: Executor<'e, Database = $db>,
            {
                sqlx::query_as::<_, PostStats>(JOIN)
                    .bind(max_id)
                    .bind(min_posts)
                    .fetch_all(executor)
                    .await
            }

            /// The multi-row `INSERT` of `rows`: `INSERT INTO .. VALUES (..), (..), ..`.
            pub fn insert_many_query(rows: &[NewUserRow]) -> QueryBuilder<$db> {
                let mut builder = QueryBuilder::<$db>::new(INSERT_MANY_PREFIX);
                builder.push_values(rows, |mut values, row| {
                    values
                        .push_bind(&row.email)
                        .push_bind(&row.name)
                        .push_bind(row.active)
                        .push_bind(row.score)
                        .push_bind(row.created_at);
                });
                builder
            }

            /// Insert all rows in one multi-row `INSERT`; returns the rows affected.
            pub async fn insert_many<'e, E>(executor: E, rows: &[NewUserRow]) -> sqlx::Result<u64>
            where
                E: Executor<'e, Database = $db>,
            {
                let done = insert_many_query(rows).build().execute(executor).await?;
                Ok(done.rows_affected())
            }
        }
    };
}

/// Rows by a list of keys. `any_array`: the statement is constant and binds the keys as one
/// array (PostgreSQL). `in_list`: the statement is the part before the list; the list of
/// placeholders, one bound key each, and `) ORDER BY id` are appended with `QueryBuilder`
/// (SQLite). Both are persistent statements: sqlx caches one per distinct SQL text.
macro_rules! by_keys {
    (any_array, $db:ty, $row:ty, $executor:expr, $sql:expr, $keys:expr) => {
        sqlx::query_as::<_, $row>($sql)
            .bind($keys)
            .fetch_all($executor)
            .await
    };
    (in_list, $db:ty, $row:ty, $executor:expr, $sql:expr, $keys:expr) => {{
        let mut builder = in_list_query!($db, $sql, $keys);
        builder.build_query_as::<$row>().fetch_all($executor).await
    }};
    (@sql any_array, $db:ty, $sql:expr, $keys:expr) => {{
        let _ = $keys;
        $sql.to_owned()
    }};
    (@sql in_list, $db:ty, $sql:expr, $keys:expr) => {
        in_list_query!($db, $sql, $keys).into_string()
    };
}

macro_rules! in_list_query {
    ($db:ty, $sql:expr, $keys:expr) => {{
        let mut builder = QueryBuilder::<$db>::new($sql);
        let mut list = builder.separated(", ");
        for key in $keys {
            list.push_bind(*key);
        }
        list.push_unseparated(") ORDER BY id");
        builder
    }};
}

/// Nest the rows of the three statements: every comment into its post, every post into its
/// user, keeping the order of the rows (by id) within each list. Rows are moved, not cloned.
pub fn stitch(
    mut users: Vec<UserRow>,
    posts: Vec<PostRow>,
    comments: Vec<CommentRow>,
) -> Vec<UserRow> {
    let mut comments_of: HashMap<i64, Vec<CommentRow>> = HashMap::with_capacity(posts.len());
    for comment in comments {
        comments_of
            .entry(comment.post_id)
            .or_default()
            .push(comment);
    }
    let mut posts_of: HashMap<i64, Vec<PostRow>> = HashMap::with_capacity(users.len());
    for mut post in posts {
        post.comments = comments_of.remove(&post.id).unwrap_or_default();
        posts_of.entry(post.user_id).or_default().push(post);
    }
    for user in &mut users {
        user.posts = posts_of.remove(&user.id).unwrap_or_default();
    }
    users
}

raw_queries!(
    /// SQLite (`?` placeholders).
    sqlite,
    sqlx::Sqlite,
    get: "SELECT id, email, name, active, score, created_at FROM bench_users WHERE id = ?",
    range: "SELECT id, email, name, active, score, created_at FROM bench_users WHERE id <= ? ORDER BY id",
    insert: "INSERT INTO bench_users (email, name, active, score, created_at) VALUES (?, ?, ?, ?, ?) \
             RETURNING id, email, name, active, score, created_at",
    join: "SELECT u.name, COUNT(*), SUM(p.amount) FROM bench_users u \
           JOIN bench_posts p ON p.user_id = u.id \
           WHERE u.id <= ? AND u.active AND p.published \
           GROUP BY u.id, u.name HAVING COUNT(*) >= ? ORDER BY u.id",
    blog_users: "SELECT id, name FROM bench_blog_users ORDER BY id",
    blog_posts: "SELECT id, user_id, title FROM bench_blog_posts WHERE user_id IN (",
    blog_comments: "SELECT id, post_id, body FROM bench_blog_comments WHERE post_id IN (",
    by_keys: in_list,
);

raw_queries!(
    /// PostgreSQL (`$n` placeholders).
    postgres,
    sqlx::Postgres,
    get: "SELECT id, email, name, active, score, created_at FROM bench_users WHERE id = $1",
    range: "SELECT id, email, name, active, score, created_at FROM bench_users WHERE id <= $1 ORDER BY id",
    insert: "INSERT INTO bench_users (email, name, active, score, created_at) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id, email, name, active, score, created_at",
    join: "SELECT u.name, COUNT(*), SUM(p.amount) FROM bench_users u \
           JOIN bench_posts p ON p.user_id = u.id \
           WHERE u.id <= $1 AND u.active AND p.published \
           GROUP BY u.id, u.name HAVING COUNT(*) >= $2 ORDER BY u.id",
    blog_users: "SELECT id, name FROM bench_blog_users ORDER BY id",
    blog_posts: "SELECT id, user_id, title FROM bench_blog_posts WHERE user_id = ANY($1) ORDER BY id",
    blog_comments: "SELECT id, post_id, body FROM bench_blog_comments WHERE post_id = ANY($1) ORDER BY id",
    by_keys: any_array,
);
