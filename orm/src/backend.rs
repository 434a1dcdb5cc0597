//! Running rendered statements over sqlx, once per backend: binding, executing, decoding rows
//! straight from sqlx rows, classifying errors, and logging every statement through `tracing`.

use std::time::Instant;

use orm_core::error::{ConstraintInfo, Error, ErrorKind};

/// Log one statement: the SQL, how many values were bound and how long it took.
pub(crate) fn log_statement(sql: &str, binds: usize, started: Instant, failed: bool) {
    tracing::debug!(
        target: "orm::sql",
        sql,
        binds,
        elapsed_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        failed,
        "statement"
    );
}

/// Turn a sqlx error into an orm error; `classify` recognizes the backend's constraint codes.
pub(crate) fn classify(
    error: sqlx::Error,
    classify: fn(&dyn sqlx::error::DatabaseError) -> Option<(ErrorKind, ConstraintInfo)>,
) -> Error {
    match error {
        sqlx::Error::Database(db_error) => {
            let code = db_error.code().map(|c| c.into_owned());
            match classify(db_error.as_ref()) {
                Some((kind, info)) => Error::constraint_violation(
                    kind,
                    info,
                    Box::new(sqlx::Error::Database(db_error)),
                ),
                None => Error::Database {
                    code,
                    message: db_error.message().to_owned(),
                    source: Box::new(sqlx::Error::Database(db_error)),
                },
            }
        }
        sqlx::Error::Decode(inner) => Error::Decode {
            table: None,
            column: String::new(),
            message: inner.to_string(),
            source: Some(inner),
        },
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => Error::Pool {
            message: error.to_string(),
            source: Box::new(error),
        },
        sqlx::Error::Configuration(_) => Error::Configuration {
            message: error.to_string(),
        },
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::ColumnIndexOutOfBounds { .. } => Error::Decode {
            table: None,
            column: String::new(),
            message: error.to_string(),
            source: Some(Box::new(error)),
        },
        sqlx::Error::Encode(_) => Error::Encode {
            message: error.to_string(),
        },
        other => Error::Connection {
            message: other.to_string(),
            source: Box::new(other),
        },
    }
}

/// Generate the execute / fetch functions for one backend. Written once; instantiated per
/// backend because each has its own argument, row and error types.
macro_rules! backend_ops {
    ($module:ident, $db:ty, $arguments:path, $reader:path, $classify:path) => {
        pub(crate) mod $module {
            use std::time::Instant;

            use futures_util::TryStreamExt;
            use orm_core::error::{Error, Result};
            use orm_core::{RowDecoder, Statement};
            use sqlx::AssertSqlSafe;

            use crate::backend::{classify, log_statement};

            pub(crate) fn classify_error(error: sqlx::Error) -> Error {
                classify(error, $classify)
            }

            /// The steps every statement shares: bind, send (through `send`), log.
            async fn run<T, F>(
                statement: Statement,
                send: impl FnOnce(
                    sqlx::query::Query<'static, $db, <$db as sqlx::Database>::Arguments>,
                ) -> F,
            ) -> Result<T>
            where
                F: Future<Output = Result<T>>,
            {
                let started = Instant::now();
                orm_core::guard::record_statement(&statement);
                let binds = statement.binds.len();
                let arguments = $arguments(statement.binds)?;
                let query = sqlx::query_with(AssertSqlSafe(statement.sql.clone()), arguments);
                let result = send(query).await;
                log_statement(&statement.sql, binds, started, result.is_err());
                result
            }

            pub(crate) async fn execute<'e, E>(executor: E, statement: Statement) -> Result<u64>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                run(statement, |query| async move {
                    let done = query.execute(executor).await.map_err(classify_error)?;
                    Ok(done.rows_affected())
                })
                .await
            }

            /// Rows are decoded straight off sqlx's row stream, as `query_as` does (no
            /// intermediate `try_map` stage).
            pub(crate) async fn fetch_all<'e, E, D>(
                executor: E,
                statement: Statement,
                decoder: &D,
            ) -> Result<Vec<D::Output>>
            where
                E: sqlx::Executor<'e, Database = $db>,
                D: RowDecoder,
            {
                run(statement, |query| async move {
                    let mut rows = executor.fetch(query);
                    let mut decoded = Vec::new();
                    while let Some(row) = rows.try_next().await.map_err(classify_error)? {
                        decoded.push(decoder.decode(&$reader(&row))?);
                    }
                    Ok(decoded)
                })
                .await
            }

            /// Hand every row to `each` as it arrives.
            pub(crate) async fn fetch_each<'e, E, F>(
                executor: E,
                statement: Statement,
                mut each: F,
            ) -> Result<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
                F: FnMut(&dyn orm_core::RowReader) -> Result<()> + Send,
            {
                run(statement, |query| async move {
                    let mut rows = executor.fetch(query);
                    while let Some(row) = rows.try_next().await.map_err(classify_error)? {
                        each(&$reader(&row))?;
                    }
                    Ok(())
                })
                .await
            }

            /// Rows one at a time, decoded as they arrive off sqlx's stream.
            pub(crate) fn stream<'e, E, D>(
                executor: E,
                statement: Statement,
                decoder: D,
            ) -> impl futures_core::Stream<Item = Result<D::Output>> + Send + 'e
            where
                E: sqlx::Executor<'e, Database = $db> + 'e,
                D: RowDecoder + 'e,
            {
                async_stream::try_stream! {
                    let started = Instant::now();
                    orm_core::guard::record_statement(&statement);
                    let binds = statement.binds.len();
                    let arguments = $arguments(statement.binds)?;
                    let query = sqlx::query_with(AssertSqlSafe(statement.sql.clone()), arguments);
                    let mut rows = executor.fetch(query);
                    loop {
                        match rows.try_next().await {
                            Ok(Some(row)) => yield decoder.decode(&$reader(&row))?,
                            Ok(None) => break,
                            Err(error) => {
                                log_statement(&statement.sql, binds, started, true);
                                Err(classify_error(error))?;
                            }
                        }
                    }
                    log_statement(&statement.sql, binds, started, false);
                }
            }

            pub(crate) async fn fetch_optional<'e, E, D>(
                executor: E,
                statement: Statement,
                decoder: &D,
            ) -> Result<Option<D::Output>>
            where
                E: sqlx::Executor<'e, Database = $db>,
                D: RowDecoder,
            {
                run(statement, |query| async move {
                    let row = executor
                        .fetch_optional(query)
                        .await
                        .map_err(classify_error)?;
                    row.map(|row| decoder.decode(&$reader(&row))).transpose()
                })
                .await
            }

            /// Run transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`) over the simple protocol.
            pub(crate) async fn control(
                connection: &mut <$db as sqlx::Database>::Connection,
                sql: &'static str,
            ) -> Result<()> {
                let started = Instant::now();
                let result = sqlx::raw_sql(sql).execute(connection).await;
                log_statement(sql, 0, started, result.is_err());
                result.map(|_| ()).map_err(classify_error)
            }
        }
    };
}

#[cfg(feature = "sqlite")]
backend_ops!(
    sqlite,
    sqlx::Sqlite,
    orm_sqlite::sqlite_arguments,
    orm_sqlite::SqliteRowReader,
    orm_sqlite::classify_sqlite_error
);

#[cfg(feature = "postgres")]
backend_ops!(
    postgres,
    sqlx::Postgres,
    orm_postgres::pg_arguments,
    orm_postgres::PgRowReader,
    orm_postgres::classify_pg_error
);
