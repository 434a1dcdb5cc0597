//! The raw-sqlx baselines: the statements a careful engineer writes by hand for each
//! workload, one module per backend (they differ only in placeholders).
//!
//! Every statement is a persistent (prepared and cached) query, like orm's; rows decode with
//! `#[derive(sqlx::FromRow)]` (a tuple for the join + aggregate); the bulk insert is one
//! multi-row `INSERT` built with `QueryBuilder::push_values`.

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
        join: $join:literal $(,)?
    ) => {
        $(#[$doc])*
        pub mod $module {
            use sqlx::{Executor, QueryBuilder};

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
);
