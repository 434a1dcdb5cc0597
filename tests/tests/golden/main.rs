//! Golden SQL: every statement shape rendered on SQLite and PostgreSQL, compared character for
//! character with the expected SQL and value for value with the expected binds. No database.

mod diff_migrations;
mod models;
mod render_ddl;
mod render_delete;
mod render_enums;
mod render_functions;
mod render_indexes;
mod render_inheritance;
mod render_insert;
mod render_integrity;
mod render_keys;
mod render_migrations;
mod render_modelling;
mod render_query;
mod render_query_more;
mod render_select;
mod render_update;

use orm::dialects::{PgDialect, SqliteDialect};
use orm::{Dialect, Statement, Value};

/// The SQLite dialect.
pub const SQLITE: &dyn Dialect = &SqliteDialect;
/// The PostgreSQL dialect.
pub const PG: &dyn Dialect = &PgDialect;

/// Assert one rendered statement: its SQL text, then its binds.
#[track_caller]
pub fn assert_statement(actual: &Statement, sql: &str, binds: &[Value]) {
    assert_eq!(&*actual.sql, sql, "SQL text differs");
    assert_eq!(actual.binds, binds, "binds differ for {sql}");
}

/// What a render closure returns: a statement, or a statement that may fail to render.
pub trait Rendered {
    /// The statement; panics with the error when rendering failed.
    fn statement(self) -> Statement;
}

impl Rendered for Statement {
    fn statement(self) -> Statement {
        self
    }
}

impl Rendered for orm::Result<Statement> {
    #[track_caller]
    fn statement(self) -> Statement {
        self.unwrap_or_else(|error| panic!("rendering failed: {error}"))
    }
}

/// Render with `render` on both dialects and compare each with its expected SQL; the binds are
/// the same on both.
#[track_caller]
pub fn golden<R: Rendered>(
    render: impl Fn(&dyn Dialect) -> R,
    sqlite: &str,
    pg: &str,
    binds: &[Value],
) {
    assert_statement(&render(SQLITE).statement(), sqlite, binds);
    assert_statement(&render(PG).statement(), pg, binds);
}

/// Like [`golden`], for a statement that compares decimal columns with decimal literals:
/// SQLite binds each as the scaled integer it stands for ([`sqlite_comparison_binds`]).
#[track_caller]
pub fn golden_compared<R: Rendered>(
    render: impl Fn(&dyn Dialect) -> R,
    sqlite: &str,
    pg: &str,
    binds: &[Value],
) {
    let sqlite_binds = sqlite_comparison_binds(binds);
    assert_statement(&render(SQLITE).statement(), sqlite, &sqlite_binds);
    assert_statement(&render(PG).statement(), pg, binds);
}

/// The binds SQLite sends for a statement whose decimal binds (`Value::Decimal` with the
/// column's `(precision, scale)`) are compared with decimal columns: each becomes the scaled
/// integer it stands for (`1.00` of a `NUMERIC(10, 2)` is `100`). Statements that compute
/// with decimals bind them as text instead: test those with [`golden_split`].
pub fn sqlite_comparison_binds(binds: &[Value]) -> Vec<Value> {
    binds
        .iter()
        .map(|value| match value {
            Value::Decimal(Some(d), Some((_, scale))) => {
                let mut scaled = *d;
                scaled.rescale(u32::from(*scale));
                assert_eq!(scaled, *d, "{d} is not exact at scale {scale}");
                Value::I64(Some(
                    i64::try_from(scaled.mantissa()).expect("fits 64 bits"),
                ))
            }
            Value::List(items) => Value::List(sqlite_comparison_binds(items)),
            other => other.clone(),
        })
        .collect()
}

/// Like [`golden`], for statements whose binds differ by dialect (PostgreSQL binds an `IN`
/// list of keys as one array).
#[track_caller]
pub fn golden_split<R: Rendered>(
    render: impl Fn(&dyn Dialect) -> R,
    sqlite: (&str, &[Value]),
    pg: (&str, &[Value]),
) {
    assert_statement(&render(SQLITE).statement(), sqlite.0, sqlite.1);
    assert_statement(&render(PG).statement(), pg.0, pg.1);
}

/// Render several statements (DDL) on one dialect and compare their SQL; none has binds.
#[track_caller]
pub fn assert_ddl(actual: &[Statement], expected: &[&str]) {
    let sql: Vec<&str> = actual.iter().map(|s| &*s.sql).collect();
    assert_eq!(sql, expected);
    for statement in actual {
        assert!(statement.binds.is_empty(), "DDL has binds: {statement:?}");
    }
}
