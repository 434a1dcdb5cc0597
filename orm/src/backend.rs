//! Running rendered statements over sqlx, once per backend: binding, executing, decoding rows
//! straight from sqlx rows, classifying errors, and logging every statement through `tracing`.

use std::sync::Arc;
use std::time::Instant;

use orm_core::WriteTarget;
#[cfg(feature = "postgres")]
use orm_core::constraint::Lookup;
use orm_core::constraint::{Candidate, LookupPlan};
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

/// How a backend tells its errors apart: constraint violations, and codes that mean the
/// connection is gone; and how it tells apart the foreign keys a failure may have violated
/// when it does not name the one (see [`orm_core::constraint`]).
pub(crate) struct Classifier {
    pub(crate) constraint:
        fn(&dyn sqlx::error::DatabaseError) -> Option<(ErrorKind, ConstraintInfo)>,
    pub(crate) connection_lost: fn(&str) -> bool,
    /// The kind of an error code that is no constraint violation: contention (serialization
    /// failure, deadlock, busy, a cancelled statement) or a write in a read-only transaction.
    pub(crate) code_kind: fn(&str) -> Option<ErrorKind>,
    /// Keep the values of an insert's foreign-key columns (before the binds are sent) for
    /// `foreign_key_lookups`: the backend does not name the foreign key that failed.
    pub(crate) keeps_foreign_key_values: bool,
    pub(crate) foreign_key_lookups: fn(&WriteTarget, &[Candidate]) -> Vec<LookupPlan>,
}

/// For a backend that names every foreign key that fails: nothing to look up.
#[cfg(feature = "postgres")]
fn no_lookups(_: &WriteTarget, candidates: &[Candidate]) -> Vec<LookupPlan> {
    candidates
        .iter()
        .map(|_| LookupPlan::Known(Lookup::Unknown))
        .collect()
}

/// Turn a sqlx error into an orm error.
pub(crate) fn classify(error: sqlx::Error, classifier: &Classifier) -> Error {
    match error {
        sqlx::Error::Database(db_error) => {
            let code = db_error.code().map(|c| c.into_owned());
            if code.as_deref().is_some_and(classifier.connection_lost) {
                return Error::Connection {
                    message: db_error.message().to_owned(),
                    source: Box::new(sqlx::Error::Database(db_error)),
                };
            }
            if let Some(kind) = code.as_deref().and_then(classifier.code_kind) {
                if kind == ErrorKind::ReadOnly {
                    return Error::ReadOnly {
                        code,
                        message: db_error.message().to_owned(),
                        source: Box::new(sqlx::Error::Database(db_error)),
                    };
                }
                return Error::Contention {
                    kind,
                    code,
                    message: db_error.message().to_owned(),
                    source: Box::new(sqlx::Error::Database(db_error)),
                };
            }
            match (classifier.constraint)(db_error.as_ref()) {
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
        // I/O (broken pipe, reset, end of file), TLS and protocol errors: the connection.
        other => Error::Connection {
            message: other.to_string(),
            source: Box::new(other),
        },
    }
}

/// A statement with its values encoded for one backend, ready to send (and to send again
/// when it is retried on another connection).
pub(crate) struct Encoded<A> {
    sql: Arc<str>,
    arguments: A,
    binds: usize,
    read_only: bool,
    /// Keep the arguments after sending (the statement may be retried).
    keep: bool,
    /// The model table it writes, for naming a constraint it violates.
    target: Option<Box<WriteTarget>>,
}

/// A statement encoded for the backend it will run on.
pub(crate) enum Prepared {
    #[cfg(feature = "sqlite")]
    Sqlite(Encoded<sqlx::sqlite::SqliteArguments>),
    #[cfg(feature = "postgres")]
    Postgres(Encoded<sqlx::postgres::PgArguments>),
}

impl Prepared {
    /// Encode `statement` for `backend` (the errors a value gives come here, before anything
    /// is sent). `keep` its values when it may be sent more than once.
    pub(crate) fn new(
        backend: crate::Backend,
        statement: orm_core::Statement,
        keep: bool,
    ) -> orm_core::Result<Prepared> {
        match backend {
            #[cfg(feature = "sqlite")]
            crate::Backend::Sqlite => sqlite::prepare(statement, keep).map(Prepared::Sqlite),
            #[cfg(feature = "postgres")]
            crate::Backend::Postgres => postgres::prepare(statement, keep).map(Prepared::Postgres),
            #[allow(unreachable_patterns)]
            _ => Err(Error::Configuration {
                message: "this backend's feature of orm is off".into(),
            }),
        }
    }

    /// See [`orm_core::Statement::read_only`].
    pub(crate) fn read_only(&self) -> bool {
        match self {
            #[cfg(feature = "sqlite")]
            Prepared::Sqlite(encoded) => encoded.read_only,
            #[cfg(feature = "postgres")]
            Prepared::Postgres(encoded) => encoded.read_only,
        }
    }
}

/// True when a connection error proves the statement did not run: PostgreSQL terminated
/// the session (`57P01`, `pg_terminate_backend` or a fast shutdown) before it committed,
/// which it only does between statements or by aborting the running one. Such a statement
/// can be sent again on another connection, a write included.
pub(crate) fn never_ran(error: &Error) -> bool {
    let Error::Connection { source, .. } = error else {
        return false;
    };
    match source.downcast_ref::<sqlx::Error>() {
        Some(sqlx::Error::Database(db_error)) => db_error.code().as_deref() == Some("57P01"),
        _ => false,
    }
}

impl<A: Clone + Default> Encoded<A> {
    /// The arguments for one send: a copy while the statement may be sent again.
    fn arguments(&mut self) -> A {
        if self.keep {
            self.arguments.clone()
        } else {
            std::mem::take(&mut self.arguments)
        }
    }
}

/// Generate the execute / fetch functions for one backend. Written once; instantiated per
/// backend because each has its own argument, row and error types.
macro_rules! backend_ops {
    ($module:ident, $db:ty, $arguments:path, $reader:path, $classifier:expr) => {
        pub(crate) mod $module {
            use std::time::Instant;

            use futures_util::TryStreamExt;
            use orm_core::constraint::{self, Lookup, LookupPlan, Tables};
            use orm_core::error::{Error, Result};
            use orm_core::meta::TableMeta;
            use orm_core::selection::FromRowDecoder;
            use orm_core::{RowDecoder, Statement};
            use sqlx::AssertSqlSafe;

            use crate::backend::{Classifier, Encoded, classify, log_statement};

            type Arguments = <$db as sqlx::Database>::Arguments;
            type Query = sqlx::query::Query<'static, $db, Arguments>;

            const CLASSIFIER: Classifier = $classifier;

            pub(crate) fn classify_error(error: sqlx::Error) -> Error {
                classify(error, &CLASSIFIER)
            }

            /// Encode a statement's values (the errors a value gives come here, before
            /// anything is sent) and record it in the statement log. `keep`: the statement
            /// may be sent more than once.
            pub(crate) fn prepare(statement: Statement, keep: bool) -> Result<Encoded<Arguments>> {
                if let Some(target) = &statement.target {
                    orm_core::validation::check_write(target, &statement.binds)?;
                }
                orm_core::guard::record_statement(&statement);
                encode(statement, keep)
            }

            /// Encode a statement's values (without recording it).
            fn encode(statement: Statement, keep: bool) -> Result<Encoded<Arguments>> {
                let binds = statement.binds.len();
                let mut target = statement.target;
                if CLASSIFIER.keeps_foreign_key_values
                    && let Some(target) = &mut target
                {
                    target.keep_foreign_key_values(&statement.binds);
                }
                Ok(Encoded {
                    sql: statement.sql,
                    arguments: $arguments(statement.binds)?,
                    binds,
                    read_only: statement.read_only,
                    keep,
                    target,
                })
            }

            /// Complete the details of a constraint violation `error` that `prepared` met,
            /// from the models (its own table's, and the `registered` ones): table,
            /// constraint, columns and fields (see [`orm_core::constraint`]). A foreign-key
            /// failure the backend does not name is traced, when several foreign keys could
            /// have failed, by looking their rows up on `connection` (only on this path).
            pub(crate) async fn name_violation(
                connection: &mut <$db as sqlx::Database>::Connection,
                prepared: &Encoded<Arguments>,
                registered: &[&'static TableMeta],
                mut error: Error,
            ) -> Error {
                let kind = error.kind();
                let target = prepared.target.as_deref();
                let Some(info) = error.constraint_mut() else {
                    return error;
                };
                let tables = Tables::new(target, registered);
                let candidates = constraint::describe(kind, info, &tables);
                let Some(target) = target.filter(|_| !candidates.is_empty()) else {
                    return error;
                };
                let mut lookups = Vec::with_capacity(candidates.len());
                for plan in (CLASSIFIER.foreign_key_lookups)(target, &candidates) {
                    lookups.push(match plan {
                        LookupPlan::Known(lookup) => lookup,
                        LookupPlan::Query(statements) => look_up(connection, statements).await,
                    });
                }
                constraint::settle(info, &candidates, &lookups);
                error
            }

            /// Run a lookup's statements until one returns the first failing row.
            async fn look_up(
                connection: &mut <$db as sqlx::Database>::Connection,
                statements: Vec<Statement>,
            ) -> Lookup {
                for statement in statements {
                    let Ok(mut encoded) = encode(statement, false) else {
                        return Lookup::Unknown;
                    };
                    let decoder = FromRowDecoder::<i64>::new();
                    match fetch_optional(&mut *connection, &mut encoded, false, &decoder).await {
                        Ok(Some(row)) => {
                            return Lookup::Violated {
                                row: usize::try_from(row).unwrap_or(0),
                            };
                        }
                        Ok(None) => {}
                        Err(_) => return Lookup::Unknown,
                    }
                }
                Lookup::Holds
            }

            /// The steps every statement shares: build the query, send it (through `send`),
            /// log it. `persistent`: as a named prepared statement, cached per connection.
            async fn run<T, F>(
                prepared: &mut Encoded<Arguments>,
                persistent: bool,
                send: impl FnOnce(Query) -> F,
            ) -> Result<T>
            where
                F: Future<Output = Result<T>>,
            {
                let started = Instant::now();
                let query = sqlx::query_with(AssertSqlSafe(prepared.sql.clone()), prepared.arguments())
                    .persistent(persistent);
                let result = send(query).await;
                log_statement(&prepared.sql, prepared.binds, started, result.is_err());
                result
            }

            pub(crate) async fn execute<'e, E>(
                executor: E,
                prepared: &mut Encoded<Arguments>,
                persistent: bool,
            ) -> Result<u64>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                run(prepared, persistent, |query| async move {
                    let done = query.execute(executor).await.map_err(classify_error)?;
                    Ok(done.rows_affected())
                })
                .await
            }

            /// Rows are decoded straight off sqlx's row stream, as `query_as` does (no
            /// intermediate `try_map` stage).
            pub(crate) async fn fetch_all<'e, E, D>(
                executor: E,
                prepared: &mut Encoded<Arguments>,
                persistent: bool,
                decoder: &D,
            ) -> Result<Vec<D::Output>>
            where
                E: sqlx::Executor<'e, Database = $db>,
                D: RowDecoder,
            {
                run(prepared, persistent, |query| async move {
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
                prepared: &mut Encoded<Arguments>,
                persistent: bool,
                each: &mut F,
            ) -> Result<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
                F: FnMut(&dyn orm_core::RowReader) -> Result<()> + Send,
            {
                run(prepared, persistent, |query| async move {
                    let mut rows = executor.fetch(query);
                    while let Some(row) = rows.try_next().await.map_err(classify_error)? {
                        each(&$reader(&row))?;
                    }
                    Ok(())
                })
                .await
            }

            pub(crate) async fn fetch_optional<'e, E, D>(
                executor: E,
                prepared: &mut Encoded<Arguments>,
                persistent: bool,
                decoder: &D,
            ) -> Result<Option<D::Output>>
            where
                E: sqlx::Executor<'e, Database = $db>,
                D: RowDecoder,
            {
                run(prepared, persistent, |query| async move {
                    let row = executor
                        .fetch_optional(query)
                        .await
                        .map_err(classify_error)?;
                    row.map(|row| decoder.decode(&$reader(&row))).transpose()
                })
                .await
            }

            /// Rows one at a time, decoded as they arrive off sqlx's stream.
            pub(crate) fn stream<'e, E, D>(
                executor: E,
                mut prepared: Encoded<Arguments>,
                persistent: bool,
                decoder: D,
            ) -> impl futures_core::Stream<Item = Result<D::Output>> + Send + 'e
            where
                E: sqlx::Executor<'e, Database = $db> + 'e,
                D: RowDecoder + 'e,
            {
                async_stream::try_stream! {
                    let started = Instant::now();
                    let query = sqlx::query_with(AssertSqlSafe(prepared.sql.clone()), prepared.arguments())
                        .persistent(persistent);
                    let mut rows = executor.fetch(query);
                    loop {
                        match rows.try_next().await {
                            Ok(Some(row)) => yield decoder.decode(&$reader(&row))?,
                            Ok(None) => break,
                            Err(error) => {
                                log_statement(&prepared.sql, prepared.binds, started, true);
                                Err(classify_error(error))?;
                            }
                        }
                    }
                    log_statement(&prepared.sql, prepared.binds, started, false);
                }
            }

            /// Run transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`, savepoints, the
            /// settings of a transaction) over the simple protocol. `sql` is built by orm from
            /// keywords and numbers only.
            pub(crate) async fn control(
                connection: &mut <$db as sqlx::Database>::Connection,
                sql: std::borrow::Cow<'static, str>,
            ) -> Result<()> {
                let started = Instant::now();
                let logged = sql.clone();
                let result = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(connection).await;
                log_statement(&logged, 0, started, result.is_err());
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
    Classifier {
        constraint: orm_sqlite::classify_sqlite_error,
        connection_lost: |_| false,
        code_kind: orm_sqlite::code_kind,
        keeps_foreign_key_values: true,
        foreign_key_lookups: orm_sqlite::foreign_key_lookups,
    }
);

#[cfg(feature = "postgres")]
backend_ops!(
    postgres,
    sqlx::Postgres,
    orm_postgres::pg_arguments,
    orm_postgres::PgRowReader,
    Classifier {
        constraint: orm_postgres::classify_pg_error,
        connection_lost: orm_postgres::is_connection_lost,
        code_kind: orm_postgres::code_kind,
        keeps_foreign_key_values: false,
        foreign_key_lookups: crate::backend::no_lookups,
    }
);
