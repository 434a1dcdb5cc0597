//! The statement AST: plain data built by the query builders and walked by the renderer.

use std::sync::Arc;

use crate::expr::{Expr, Ordering};
use crate::meta::TableMeta;
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
        /// The soft-delete column of a model table (`#[orm(soft_delete)]`): rows where it is
        /// set are hidden as the select's [`DeletedRows`] says. `None` for other tables, and
        /// for a table whose deleted rows a load asked for.
        soft_delete: Option<&'static str>,
        /// The discriminator of a single-table inheritance variant: only the rows holding
        /// its value are read (whatever [`DeletedRows`] says).
        discriminator: Option<crate::meta::Discriminator>,
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
            Source::Table { name, alias, .. } => alias.unwrap_or(name),
            Source::Subquery { alias, .. } => alias,
        }
    }

    /// A plain table or CTE, with no soft-delete column.
    pub fn table(name: &'static str) -> Source {
        Source::Table {
            name,
            alias: None,
            soft_delete: None,
            discriminator: None,
        }
    }

    /// A model's table under `alias` (or its own name), hiding its soft-deleted rows.
    pub fn model(table: &'static TableMeta, alias: Option<&'static str>) -> Source {
        Source::Table {
            name: table.name,
            alias,
            soft_delete: table.soft_delete,
            discriminator: table.discriminator,
        }
    }
}

/// Which soft-deleted rows a select reads, for model tables with an `#[orm(soft_delete)]`
/// column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeletedRows {
    /// Rows not deleted only, from every table (the default).
    #[default]
    Hidden,
    /// Every row, deleted or not, from every table read by the select itself (`FROM` and
    /// joins; subqueries and relationship loads decide for themselves).
    Included,
    /// The deleted rows of the `FROM` table only; joined tables still hide theirs.
    Only,
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
    /// Which soft-deleted rows are read.
    pub deleted: DeletedRows,
}

impl SelectStatement {
    /// `SELECT columns FROM table` with nothing else (a table that is not a model's, or
    /// whose soft-deleted rows all count).
    pub fn new(table: &'static str, columns: Vec<Expr>) -> Self {
        Self::from_source(Source::table(table), columns)
    }

    /// `SELECT columns FROM <model table>`, hiding its soft-deleted rows.
    pub fn of_model(table: &'static TableMeta, columns: Vec<Expr>) -> Self {
        Self::from_source(Source::model(table, None), columns)
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
            deleted: DeletedRows::Hidden,
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
    /// The predicate of a partial unique index the target names (`WHERE deleted_at IS
    /// NULL` of a unique index that ignores soft-deleted rows), so the database finds it.
    pub target_filter: Option<Expr>,
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
    /// The model table a write built by orm changes, and how: what a constraint violation
    /// is named from (see [`crate::constraint`]). `None` for reads and hand-written SQL.
    pub target: Option<Box<WriteTarget>>,
}

impl Statement {
    /// A statement with no binds (not known to be read-only).
    pub fn new(sql: impl Into<Arc<str>>) -> Self {
        Statement {
            sql: sql.into(),
            binds: Vec::new(),
            read_only: false,
            target: None,
        }
    }

    /// This statement, known to write `target`.
    #[must_use]
    pub fn writing(mut self, target: WriteTarget) -> Self {
        self.target = Some(Box::new(target));
        self
    }
}

/// What a write statement does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteAction {
    /// `INSERT` (an upsert included).
    Insert,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
}

/// The values a write statement stores in its columns, as far as orm knows them without
/// running it.
#[derive(Debug, Clone, PartialEq)]
pub enum WrittenValues {
    /// Not known (an `INSERT .. SELECT`, a `DELETE`).
    Unknown,
    /// An `INSERT .. VALUES`: the statement's first `rows * width` binds are the rows'
    /// values, row after row, in the order of the first `width` of
    /// [`WriteTarget::columns`] (the renderer moves them there; see
    /// [`crate::render::insert`]).
    LeadingBinds {
        /// How many rows.
        rows: usize,
        /// How many columns each row has values for.
        width: usize,
    },
    /// Copies of some columns' values, row after row (`values.len()` is a multiple of
    /// `columns.len()`): an update's plain-value assignments, or the foreign-key columns of
    /// an insert taken from its binds before they were sent.
    Rows {
        /// The columns, in the order of each row's values.
        columns: Vec<&'static str>,
        /// The values.
        values: Vec<Value>,
    },
}

/// The model table a write statement changes and what it writes there: carried with the
/// rendered statement, so that a constraint it violates can be named from the model's
/// metadata on every backend (see [`crate::constraint`]).
#[derive(Debug, Clone, PartialEq)]
pub struct WriteTarget {
    /// The table's metadata (the model the statement was built from).
    pub table: &'static TableMeta,
    /// Insert, update or delete.
    pub action: WriteAction,
    /// The columns it writes: an insert's columns and its upsert's `DO UPDATE` columns, an
    /// update's `SET` columns; empty for a delete.
    pub columns: Vec<&'static str>,
    /// Written columns whose values an expression computes in the database (`SET balance =
    /// balance - 1`, an upsert's `DO UPDATE` other than `excluded(..)` of the same column,
    /// every column of an `INSERT .. SELECT`).
    pub computed: Vec<&'static str>,
    /// The written values orm knows.
    pub values: WrittenValues,
    /// The `WHERE` of an update or delete (`None`: every row): which rows it changes.
    pub filter: Option<Expr>,
    /// An update's plain values of columns with validation rules (checked before sending,
    /// see [`crate::validation`]).
    pub assigned: Vec<(&'static str, Value)>,
}

impl WriteTarget {
    /// An `INSERT .. VALUES` of `rows` rows of `columns` into `table`, whose values lead the
    /// binds; `updates` are its upsert's `DO UPDATE` assignments.
    pub fn insert(
        table: &'static TableMeta,
        columns: &[&'static str],
        rows: usize,
        updates: &[(&'static str, Expr)],
    ) -> Self {
        let mut target = WriteTarget {
            table,
            action: WriteAction::Insert,
            columns: columns.to_vec(),
            computed: Vec::new(),
            values: WrittenValues::LeadingBinds {
                rows,
                width: columns.len(),
            },
            filter: None,
            assigned: Vec::new(),
        };
        for (column, value) in updates {
            if !target.columns.contains(column) {
                target.columns.push(column);
            }
            if !matches!(value, Expr::Excluded(excluded) if excluded == column) {
                target.computed.push(column);
            }
        }
        target
    }

    /// An `INSERT .. SELECT` into `columns` of `table` (values unknown).
    pub fn insert_select(
        table: &'static TableMeta,
        columns: &[&'static str],
        updates: &[(&'static str, Expr)],
    ) -> Self {
        let mut target = Self::insert(table, columns, 0, updates);
        target.values = WrittenValues::Unknown;
        target.computed = target.columns.clone();
        target
    }

    /// An `UPDATE` of `table` with these assignments and filter.
    pub fn update(
        table: &'static TableMeta,
        assignments: &[(&'static str, Expr)],
        filter: Option<Expr>,
    ) -> Self {
        let row: Vec<(&'static str, Option<&Value>)> = assignments
            .iter()
            .map(|(column, value)| match value {
                Expr::Value(value) => (*column, Some(value)),
                _ => (*column, None),
            })
            .collect();
        Self::update_row(table, &row, filter)
    }

    /// An `UPDATE` of `table` setting each column of `row` to its value (`None`: an
    /// expression computes it), with this filter. The values of foreign-key columns are
    /// copied when two or more foreign keys are written (all that naming the one a failure
    /// violated may need; a single one needs none).
    pub fn update_row(
        table: &'static TableMeta,
        row: &[(&'static str, Option<&Value>)],
        filter: Option<Expr>,
    ) -> Self {
        let columns: Vec<&'static str> = row.iter().map(|(column, _)| *column).collect();
        let computed = row
            .iter()
            .filter(|(_, value)| value.is_none())
            .map(|(column, _)| *column)
            .collect();
        let mut target = WriteTarget {
            table,
            action: WriteAction::Update,
            columns,
            computed,
            values: WrittenValues::Unknown,
            filter,
            assigned: crate::validation::assigned_to_check(table, row),
        };
        if target.written_foreign_keys().count() >= 2 {
            let (columns, values) = row
                .iter()
                .filter(|(column, _)| {
                    table
                        .foreign_keys
                        .iter()
                        .any(|fk| fk.columns.contains(column))
                })
                .filter_map(|(column, value)| value.map(|value| (*column, value.clone())))
                .unzip();
            target.values = WrittenValues::Rows { columns, values };
        }
        target
    }

    /// A `DELETE` from `table` of the rows matching `filter`.
    pub fn delete(table: &'static TableMeta, filter: Option<Expr>) -> Self {
        WriteTarget {
            table,
            action: WriteAction::Delete,
            columns: Vec::new(),
            computed: Vec::new(),
            values: WrittenValues::Unknown,
            filter,
            assigned: Vec::new(),
        }
    }

    /// The foreign keys of the table whose columns the statement writes.
    pub fn written_foreign_keys(
        &self,
    ) -> impl Iterator<Item = &'static crate::meta::ForeignKeyMeta> + '_ {
        self.table
            .foreign_keys
            .iter()
            .filter(|fk| fk.columns.iter().any(|c| self.columns.contains(c)))
    }

    /// For an insert whose values lead `binds` and that writes two or more foreign keys:
    /// copy the values of the foreign-key columns out of `binds` (before they are sent), so
    /// that a foreign-key failure can be traced to the key whose referenced row is missing.
    /// Does nothing otherwise. Only backends that do not name the failed foreign key need it.
    pub fn keep_foreign_key_values(&mut self, binds: &[Value]) {
        let WrittenValues::LeadingBinds { rows, width } = self.values else {
            return;
        };
        if self.written_foreign_keys().count() < 2 {
            return;
        }
        let positions: Vec<usize> = (0..width)
            .filter(|&i| {
                self.table
                    .foreign_keys
                    .iter()
                    .any(|fk| fk.columns.contains(&self.columns[i]))
            })
            .collect();
        if width == 0 || binds.len() < rows * width {
            return;
        }
        let mut values = Vec::with_capacity(rows * positions.len());
        for row in binds[..rows * width].chunks(width) {
            values.extend(positions.iter().map(|&i| row[i].clone()));
        }
        self.values = WrittenValues::Rows {
            columns: positions.iter().map(|&i| self.columns[i]).collect(),
            values,
        };
    }
}
