//! The statement AST: plain data built by the query builders and walked by the renderer.

use std::sync::Arc;

use crate::expr::{Expr, Ordering};
use crate::value::Value;

/// A `SELECT`.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectStatement {
    /// The table in `FROM`.
    pub table: &'static str,
    /// The select list; empty renders `SELECT 1` (for `EXISTS`).
    pub columns: Vec<Expr>,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// `ORDER BY`.
    pub order_by: Vec<Ordering>,
    /// `LIMIT` (bound).
    pub limit: Option<u64>,
    /// `OFFSET` (bound).
    pub offset: Option<u64>,
}

impl SelectStatement {
    /// `SELECT columns FROM table` with nothing else.
    pub fn new(table: &'static str, columns: Vec<Expr>) -> Self {
        SelectStatement {
            table,
            columns,
            filter: None,
            order_by: Vec::new(),
            limit: None,
            offset: None,
        }
    }
}

/// An `INSERT` of one or more rows.
#[derive(Debug, Clone, PartialEq)]
pub struct InsertStatement {
    /// Target table.
    pub table: &'static str,
    /// Columns given for every row; empty inserts one row of defaults (`DEFAULT VALUES`).
    pub columns: Vec<&'static str>,
    /// The values of every row, row after row (`columns.len()` values a row).
    pub values: Vec<Value>,
    /// Columns to return.
    pub returning: Vec<&'static str>,
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
    /// Columns to return.
    pub returning: Vec<&'static str>,
}

/// A `DELETE`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteStatement {
    /// Target table.
    pub table: &'static str,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// Columns to return.
    pub returning: Vec<&'static str>,
}

/// Rendered SQL text and its bind values, ready for a backend to execute.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// SQL text; shared so that cached statements are not copied.
    pub sql: Arc<str>,
    /// Values for the placeholders, in order.
    pub binds: Vec<Value>,
}

impl Statement {
    /// A statement with no binds.
    pub fn new(sql: impl Into<Arc<str>>) -> Self {
        Statement {
            sql: sql.into(),
            binds: Vec::new(),
        }
    }
}
