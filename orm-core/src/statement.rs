//! The statement AST: plain data built by the query builders and walked by the renderer.

use std::sync::Arc;

use crate::expr::{Expr, Ordering};
use crate::value::Value;

/// Something rows come from: a table (optionally aliased), a common table expression by
/// name, or a subquery with an alias (a derived table).
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A table or a CTE, `"name" [AS "alias"]`.
    Table {
        /// Table (or CTE) name.
        name: &'static str,
        /// Alias, for self-joins.
        alias: Option<&'static str>,
    },
    /// `(SELECT ..) AS "alias"`.
    Subquery {
        /// The derived table's query.
        query: Box<SelectStatement>,
        /// Its alias (required).
        alias: &'static str,
    },
}

impl Source {
    /// The name columns of this source are qualified with.
    pub fn scope_name(&self) -> &'static str {
        match self {
            Source::Table { name, alias } => alias.unwrap_or(name),
            Source::Subquery { alias, .. } => alias,
        }
    }
}

/// Join kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `INNER JOIN`.
    Inner,
    /// `LEFT JOIN`: the joined side may be NULL.
    Left,
    /// `RIGHT JOIN`: the sides joined before may be NULL.
    Right,
    /// `FULL JOIN`: every side may be NULL.
    Full,
}

impl JoinKind {
    /// The SQL keyword.
    pub fn sql(self) -> &'static str {
        match self {
            JoinKind::Inner => " INNER JOIN ",
            JoinKind::Left => " LEFT JOIN ",
            JoinKind::Right => " RIGHT JOIN ",
            JoinKind::Full => " FULL JOIN ",
        }
    }
}

/// One join.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// Kind.
    pub kind: JoinKind,
    /// What is joined.
    pub source: Source,
    /// The `ON` condition.
    pub on: Expr,
}

/// A common table expression of a `WITH` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct CommonTable {
    /// The name queries refer to it by.
    pub name: &'static str,
    /// True for `WITH RECURSIVE` (the query refers to itself).
    pub recursive: bool,
    /// Its query.
    pub query: SelectStatement,
}

/// Set operations combining selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    /// `UNION` (duplicates removed).
    Union,
    /// `UNION ALL`.
    UnionAll,
    /// `INTERSECT`.
    Intersect,
    /// `EXCEPT`.
    Except,
}

impl SetOp {
    /// The SQL keyword.
    pub fn sql(self) -> &'static str {
        match self {
            SetOp::Union => " UNION ",
            SetOp::UnionAll => " UNION ALL ",
            SetOp::Intersect => " INTERSECT ",
            SetOp::Except => " EXCEPT ",
        }
    }
}

/// Row lock strength (`FOR UPDATE` / `FOR SHARE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockStrength {
    /// `FOR UPDATE`.
    Update,
    /// `FOR NO KEY UPDATE`.
    NoKeyUpdate,
    /// `FOR SHARE`.
    Share,
}

/// What a row lock does when a row is already locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockWait {
    /// Wait for it.
    Wait,
    /// `NOWAIT`: fail at once.
    NoWait,
    /// `SKIP LOCKED`: leave locked rows out.
    SkipLocked,
}

/// A row lock clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lock {
    /// Strength.
    pub strength: LockStrength,
    /// Behaviour on conflict.
    pub wait: LockWait,
}

/// A `SELECT`.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectStatement {
    /// `WITH` clause.
    pub with: Vec<CommonTable>,
    /// `DISTINCT` when `Some(empty)`, `DISTINCT ON (..)` when `Some(exprs)`.
    pub distinct: Option<Vec<Expr>>,
    /// The select list; empty renders `SELECT 1` (for `EXISTS`).
    pub columns: Vec<Expr>,
    /// `FROM`.
    pub from: Source,
    /// Joins, in order.
    pub joins: Vec<Join>,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// `GROUP BY`.
    pub group_by: Vec<Expr>,
    /// `HAVING`.
    pub having: Option<Expr>,
    /// Selects combined with this one (`UNION` ..); order, limit and offset then apply to the
    /// combination.
    pub compound: Vec<(SetOp, SelectStatement)>,
    /// `ORDER BY`.
    pub order_by: Vec<Ordering>,
    /// `LIMIT` (bound).
    pub limit: Option<u64>,
    /// `OFFSET` (bound).
    pub offset: Option<u64>,
    /// `FOR UPDATE` and friends.
    pub lock: Option<Lock>,
}

impl SelectStatement {
    /// `SELECT columns FROM table` with nothing else.
    pub fn new(table: &'static str, columns: Vec<Expr>) -> Self {
        Self::from_source(
            Source::Table {
                name: table,
                alias: None,
            },
            columns,
        )
    }

    /// `SELECT columns FROM source` with nothing else.
    pub fn from_source(from: Source, columns: Vec<Expr>) -> Self {
        SelectStatement {
            with: Vec::new(),
            distinct: None,
            columns,
            from,
            joins: Vec::new(),
            filter: None,
            group_by: Vec::new(),
            having: None,
            compound: Vec::new(),
            order_by: Vec::new(),
            limit: None,
            offset: None,
            lock: None,
        }
    }

    /// True when ORDER BY, LIMIT or OFFSET is set (such a select must be wrapped to take part
    /// in a compound).
    pub fn has_order_or_limit(&self) -> bool {
        !self.order_by.is_empty() || self.limit.is_some() || self.offset.is_some()
    }
}

/// `ON CONFLICT (..) DO ..` of an insert.
#[derive(Debug, Clone, PartialEq)]
pub struct OnConflict {
    /// The conflict target: columns of a unique constraint or index.
    pub target: Vec<&'static str>,
    /// `DO UPDATE SET` pairs; empty means `DO NOTHING`.
    pub assignments: Vec<(&'static str, Expr)>,
    /// `WHERE` of `DO UPDATE`.
    pub filter: Option<Expr>,
}

/// An `INSERT` of one or more rows, or of a select's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct InsertStatement {
    /// Target table.
    pub table: &'static str,
    /// Columns given for every row; empty inserts one row of defaults (`DEFAULT VALUES`).
    pub columns: Vec<&'static str>,
    /// The values of every row, row after row (`columns.len()` values a row).
    pub values: Vec<Value>,
    /// `INSERT .. SELECT`: rows come from this query instead of `values`.
    pub select: Option<Box<SelectStatement>>,
    /// Upsert clause.
    pub on_conflict: Option<OnConflict>,
    /// Expressions to return (columns of the target table).
    pub returning: Vec<Expr>,
}

impl InsertStatement {
    /// An insert of `values` into `columns` of `table`, nothing else.
    pub fn new(table: &'static str, columns: Vec<&'static str>, values: Vec<Value>) -> Self {
        InsertStatement {
            table,
            columns,
            values,
            select: None,
            on_conflict: None,
            returning: Vec::new(),
        }
    }
}

/// An `UPDATE`.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateStatement {
    /// Target table.
    pub table: &'static str,
    /// `SET column = expr` pairs.
    pub assignments: Vec<(&'static str, Expr)>,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// Expressions to return.
    pub returning: Vec<Expr>,
}

/// A `DELETE`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteStatement {
    /// Target table.
    pub table: &'static str,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// Expressions to return.
    pub returning: Vec<Expr>,
}

/// Rendered SQL text and its bind values, ready for a backend to execute.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// SQL text; shared so that cached statements are not copied.
    pub sql: Arc<str>,
    /// Values for the placeholders, in order.
    pub binds: Vec<Value>,
    /// True for a plain `SELECT` (no row lock): it writes nothing, so it may run on a read
    /// replica, and cancelling it leaves nothing unknown. False when unsure.
    pub read_only: bool,
}

impl Statement {
    /// A statement with no binds (not known to be read-only).
    pub fn new(sql: impl Into<Arc<str>>) -> Self {
        Statement {
            sql: sql.into(),
            binds: Vec::new(),
            read_only: false,
        }
    }
}
