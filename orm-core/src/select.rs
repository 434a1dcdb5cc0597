//! The `SELECT` builder: [`Select`] for whole models, chosen columns, DTOs, joins, grouping,
//! subqueries, CTEs, set operations, row locks and keyset pagination.

use std::marker::PhantomData;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::executor::{DynExecutor, Executor, RowDecoder};
use crate::expr::{BinaryOp, Expr, Expression, Ordering, Subquery, ToNullable, TypedExpr};
use crate::meta::TableMeta;
use crate::model::{Model, SoftDelete};
use crate::relation::{Eager, WithClause};
use crate::render;
use crate::selection::{
    ModelDecoder, NeedsSelect, ScalarDecoder, SelectAs, SelectAsDecoder, SelectList, Selection,
    SelectionDecoder,
};
use crate::source::{Derived, JoinTarget};
use crate::statement::{
    DeletedRows, Join, JoinKind, Lock, LockStrength, LockWait, SelectStatement, SetOp, Statement,
};
use crate::value::SqlType;

pub use crate::keyset::Keyset;
use crate::keyset::{keyset_filter, step_never};
use crate::relation::run_loaders;
use crate::select_rules::{
    check_outer_join_nullability, check_ungrouped_columns, foreign_key_condition,
};
pub use crate::selection::model_row;

/// The select list of every column of `M`, in declaration order.
pub fn model_columns<M: Model>() -> Vec<Expr> {
    let table = M::TABLE;
    table
        .columns
        .iter()
        .map(|c| Expr::column_of(table.name, c.name, c.ty))
        .collect()
}

/// AND a condition onto an optional filter.
pub(crate) fn and_filter(filter: Option<Expr>, condition: Expr) -> Option<Expr> {
    Some(match filter {
        None => condition,
        Some(existing) => Expr::binary(BinaryOp::And, existing, condition),
    })
}

/// The rows of [`Select::stream`]: a boxed (so `Unpin`) stream of decoded rows; use it with
/// `futures::StreamExt::next` or `TryStreamExt::try_next`.
pub type RowStream<'e, T> =
    std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<T>> + Send + 'e>>;

/// Two row types that a set operation can combine: the same type.
#[diagnostic::on_unimplemented(
    message = "both sides of a union / intersect / except must select the same row type",
    label = "this side's rows are `{Self}`, the first side's are `{T}`"
)]
pub trait SameRow<T> {}
impl<T> SameRow<T> for T {}

/// Grouping state of a [`Select`]: no `GROUP BY` yet.
pub struct Ungrouped;
/// Grouping state of a [`Select`]: `GROUP BY` given, so `having` is allowed.
pub struct Grouped;

/// Implemented by [`Grouped`] only: `having` needs a `group_by` first.
#[diagnostic::on_unimplemented(
    message = "`having` filters groups, but this query has no `group_by`",
    label = "call .group_by(..) before .having(..), or use .filter(..) to filter rows"
)]
pub trait IsGrouped {}
#[diagnostic::do_not_recommend]
impl IsGrouped for Grouped {}

/// Expressions for `group_by` / `distinct_on`: one expression or a tuple of them.
pub trait ExprList {
    /// Append the expressions.
    fn push_into(self, out: &mut Vec<Expr>);
}

impl<E: Expression> ExprList for E {
    fn push_into(self, out: &mut Vec<Expr>) {
        out.push(self.into_expr());
    }
}

macro_rules! tuple_expr_list {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: Expression),+> ExprList for ($($name,)+) {
            fn push_into(self, out: &mut Vec<Expr>) {
                $(out.push(self.$idx.into_expr());)+
            }
        }
    };
}
tuple_expr_list!(A 0);
tuple_expr_list!(A 0, B 1);
tuple_expr_list!(A 0, B 1, C 2);
tuple_expr_list!(A 0, B 1, C 2, D 3);
tuple_expr_list!(A 0, B 1, C 2, D 3, E 4);
tuple_expr_list!(A 0, B 1, C 2, D 3, E 4, F 5);

/// A `SELECT` whose rows decode with `D` (whole `M` models by default). `G` tracks whether
/// `group_by` was called, so that `having` without it does not compile.
///
/// Built by `User::query()` (or [`select_from`]); run with [`Select::all`], [`Select::one`],
/// [`Select::optional`], [`Select::first`], [`Select::count`], [`Select::exists`],
/// [`Select::stream`] or [`Select::explain`].
pub struct Select<M, D = ModelDecoder<M>, G = Ungrouped> {
    statement: SelectStatement,
    decoder: D,
    /// Per selected expression, true when NULL would fail to decode; empty for the whole row
    /// of the root model.
    not_null: Vec<bool>,
    /// Scope names of model tables in the query, for joins through foreign keys.
    tables: Vec<(&'static str, &'static TableMeta)>,
    /// The first mistake met while building, reported when the query is rendered.
    error: Option<String>,
    /// Relationships were attached with `.with(..)`.
    eager: bool,
    /// A relationship was joined into this query by `.with(..)`.
    eager_join: bool,
    /// Turns relationships joined by `.with(..)` into loads by key (see `unjoin_eager`).
    unjoin: Option<fn(&mut D, &mut SelectStatement) -> bool>,
    _marker: PhantomData<fn() -> (M, G)>,
}

impl<M: Model> Select<M> {
    /// Every row of `M`, every column.
    pub fn new() -> Self {
        let columns = model_columns::<M>();
        Select {
            statement: SelectStatement::of_model(M::TABLE, columns),
            decoder: ModelDecoder::new(),
            // The whole row of the root model: derived from its metadata when a join needs it.
            not_null: Vec::new(),
            tables: vec![(M::TABLE.name, M::TABLE)],
            error: None,
            eager: false,
            eager_join: false,
            unjoin: None,
            _marker: PhantomData,
        }
    }
}

impl<M, G> Select<M, ModelDecoder<M>, G> {
    /// Let a relationship attach itself to this query (`.with(..)`).
    pub(crate) fn attach_eager(
        &mut self,
        attach: impl FnOnce(&mut SelectStatement, &mut Eager<M>) -> Result<(), String>,
    ) {
        self.eager = true;
        let joins = self.statement.joins.len();
        if let Err(message) = attach(&mut self.statement, self.decoder.eager_mut()) {
            self.fail(message);
        }
        self.eager_join |= self.statement.joins.len() > joins;
        self.unjoin = Some(|decoder, statement| decoder.eager_mut().unjoin(statement));
    }
}

impl<M, D> WithClause<M, D> for &crate::source::Cte {
    fn add_to<G>(self, select: &mut Select<M, D, G>) {
        select.add_cte(self);
    }
}

impl<M: Model> Default for Select<M> {
    fn default() -> Self {
        Self::new()
    }
}

/// A query reading from a CTE, a derived table or an aliased model table; give it a select
/// list with `.select(..)`.
pub fn select_from<T: JoinTarget>(source: T) -> Select<(), NeedsSelect> {
    let mut statement = SelectStatement::from_source(source.source(), Vec::new());
    statement.with.extend(source.common_table());
    let tables = source
        .table_meta()
        .map(|meta| vec![(statement.from.scope_name(), meta)])
        .unwrap_or_default();
    Select {
        statement,
        decoder: NeedsSelect,
        not_null: Vec::new(),
        tables,
        error: None,
        eager: false,
        eager_join: false,
        unjoin: None,
        _marker: PhantomData,
    }
}

impl<M, D, G> Select<M, D, G> {
    fn with_decoder<D2, G2>(self, decoder: D2, list: Option<SelectList>) -> Select<M, D2, G2> {
        let mut statement = self.statement;
        let mut not_null = self.not_null;
        let mut error = self.error;
        if let Some(list) = list {
            statement.columns = list.exprs;
            not_null = list.not_null;
            if self.eager {
                error.get_or_insert_with(|| {
                    "`.with(..)` loads relationships into whole models: it cannot be combined \
                     with `.select(..)` / `.select_as(..)`"
                        .to_owned()
                });
            }
        }
        Select {
            statement,
            decoder,
            not_null,
            tables: self.tables,
            error,
            eager: self.eager,
            eager_join: self.eager_join,
            unjoin: None,
            _marker: PhantomData,
        }
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// The query is no longer a plain select of rows (grouped, distinct, combined, locked):
    /// relationships that `.with(..)` joined in on its own load by key instead. Joins asked
    /// for with `.joined()` stay, and `validate` refuses them.
    fn unjoin_eager(&mut self) {
        if self.eager_join
            && let Some(unjoin) = self.unjoin
            && unjoin(&mut self.decoder, &mut self.statement)
        {
            self.eager_join = false;
        }
    }

    fn built(&self) -> Result<()> {
        match &self.error {
            Some(message) => Err(Error::InvalidStatement {
                message: message.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Select chosen columns or expressions instead of the whole model; rows decode into the
    /// selection's type (a value or a tuple).
    pub fn select<S: Selection>(self, selection: S) -> Select<M, SelectionDecoder<S>, G> {
        let mut list = SelectList::default();
        selection.push_exprs(&mut list);
        self.with_decoder(SelectionDecoder(selection), Some(list))
    }

    /// Select exactly the columns of a `#[derive(FromRow)] #[orm(model = M)]` struct and
    /// decode rows into it.
    pub fn select_as<T: SelectAs<M>>(self) -> Select<M, SelectAsDecoder<T, M>, G> {
        let mut list = SelectList::default();
        T::push_exprs(&mut list);
        self.with_decoder(SelectAsDecoder::new(), Some(list))
    }

    /// Keep rows matching `condition` (several filters are ANDed).
    pub fn filter(mut self, condition: impl Expression<Output = bool>) -> Self {
        self.statement.filter = and_filter(self.statement.filter.take(), condition.into_expr());
        self
    }

    /// Order by a column (ascending) or an ordering (`col.desc().nulls_last()`); call again
    /// for more keys.
    pub fn order_by(mut self, order: impl Into<Ordering>) -> Self {
        self.statement.order_by.push(order.into());
        self
    }

    /// Return at most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.statement.limit = Some(n);
        self
    }

    /// Skip the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.statement.offset = Some(n);
        self
    }

    /// Keyset pagination: order by `keys` and, given the last row's values of the previous
    /// page, return only the rows after it. Stable under inserts, unlike `offset`; the keys
    /// should end with a unique column (`(Post::published_at.desc(), Post::id.desc())`).
    pub fn keyset<K: Keyset>(mut self, keys: K, after: Option<K::Cursor>) -> Self {
        let (orderings, values) = keys.split(after);
        if values
            .iter()
            .any(|value| matches!(value, Expr::Value(v) if v.is_null()))
        {
            self.fail(
                "keyset pagination needs non-NULL key values: order by non-null columns (end \
                 with the primary key), or coalesce a nullable key"
                    .to_owned(),
            );
        }
        if !values.is_empty() {
            let filter = keyset_filter(&orderings, values);
            self.statement.filter = and_filter(self.statement.filter.take(), filter);
        }
        self.statement.order_by.extend(orderings);
        self
    }

    /// Keyset pagination after `cursor`: `keyset(keys, Some(cursor))`.
    pub fn after<K: Keyset>(self, keys: K, cursor: K::Cursor) -> Self {
        self.keyset(keys, Some(cursor))
    }

    /// Read soft-deleted rows too, of the queried model and of the tables this query joins
    /// (models with `#[orm(soft_delete)]` hide them otherwise). Subqueries and relationships
    /// loaded with `.with(..)` decide for themselves (`Relation::with_deleted`).
    pub fn with_deleted(mut self) -> Self {
        self.statement.deleted = DeletedRows::Included;
        self
    }

    /// Read only the soft-deleted rows of the queried model (joined tables still hide
    /// theirs): the trash.
    pub fn only_deleted(mut self) -> Self
    where
        M: SoftDelete,
    {
        self.statement.deleted = DeletedRows::Only;
        self
    }

    /// `SELECT DISTINCT`.
    pub fn distinct(mut self) -> Self {
        self.unjoin_eager();
        self.statement.distinct = Some(Vec::new());
        self
    }

    /// `SELECT DISTINCT ON (exprs)` (PostgreSQL; `Unsupported` on SQLite): the first row of
    /// each group of equal `exprs`, in the query's order.
    pub fn distinct_on(mut self, exprs: impl ExprList) -> Self {
        self.unjoin_eager();
        let mut on = Vec::new();
        exprs.push_into(&mut on);
        self.statement.distinct = Some(on);
        self
    }

    /// `GROUP BY exprs`: one expression or a tuple. Enables `having`.
    pub fn group_by(mut self, exprs: impl ExprList) -> Select<M, D, Grouped> {
        self.unjoin_eager();
        exprs.push_into(&mut self.statement.group_by);
        Select {
            statement: self.statement,
            decoder: self.decoder,
            not_null: self.not_null,
            tables: self.tables,
            error: self.error,
            eager: self.eager,
            eager_join: self.eager_join,
            unjoin: self.unjoin,
            _marker: PhantomData,
        }
    }

    /// `HAVING condition`: filter groups (after `group_by`).
    pub fn having(mut self, condition: impl Expression<Output = bool>) -> Self
    where
        G: IsGrouped,
    {
        self.statement.having = and_filter(self.statement.having.take(), condition.into_expr());
        self
    }

    /// Load a relationship with the rows (`.with(Post::comments)`, nested:
    /// `.with(User::posts.with(Post::comments))`): one extra statement per level whatever the
    /// number of rows, or none for a to-one relationship joined into this query. Given a
    /// `&Cte`, attach the CTE to this query's `WITH` clause (for use in subqueries or joins).
    pub fn with<W: WithClause<M, D>>(mut self, item: W) -> Self {
        item.add_to(&mut self);
        self
    }

    /// Attach a CTE to the `WITH` clause.
    pub(crate) fn add_cte(&mut self, cte: &crate::source::Cte) {
        if !self
            .statement
            .with
            .iter()
            .any(|existing| existing.name == cte.name())
        {
            self.statement.with.push(cte.definition().clone());
        }
    }

    fn push_join<T: JoinTarget>(mut self, kind: JoinKind, target: T, on: Option<Expr>) -> Self {
        if on.is_none()
            && let Some(path) = target.join_path()
        {
            match path {
                Ok(path) => {
                    for (source, meta, on) in path {
                        self.tables.push((source.scope_name(), meta));
                        self.statement.joins.push(Join { kind, source, on });
                    }
                }
                Err(message) => self.fail(message),
            }
            return self;
        }
        let source = target.source();
        let scope = source.scope_name();
        let on = match on {
            Some(on) => on,
            None => match foreign_key_condition(&self.tables, scope, target.table_meta()) {
                Ok(on) => on,
                Err(message) => {
                    self.fail(message);
                    step_never()
                }
            },
        };
        if let Some(cte) = target.common_table()
            && !self.statement.with.iter().any(|c| c.name == cte.name)
        {
            self.statement.with.push(cte);
        }
        if let Some(meta) = target.table_meta() {
            self.tables.push((scope, meta));
        }
        self.statement.joins.push(Join { kind, source, on });
        self
    }

    /// `INNER JOIN` a model table (`Post::TABLE`) or alias, on the foreign key between it and
    /// a table already in the query (an error before sending when there is none or several).
    pub fn join<T: JoinTarget>(self, target: T) -> Self {
        self.push_join(JoinKind::Inner, target, None)
    }

    /// `LEFT JOIN` through a foreign key; select the joined side's columns with
    /// `.nullable()` (they are NULL where nothing matched).
    pub fn left_join<T: JoinTarget>(self, target: T) -> Self {
        self.push_join(JoinKind::Left, target, None)
    }

    /// `RIGHT JOIN` through a foreign key.
    pub fn right_join<T: JoinTarget>(self, target: T) -> Self {
        self.push_join(JoinKind::Right, target, None)
    }

    /// `FULL JOIN` through a foreign key.
    pub fn full_join<T: JoinTarget>(self, target: T) -> Self {
        self.push_join(JoinKind::Full, target, None)
    }

    /// `INNER JOIN target ON condition`.
    pub fn join_on<T: JoinTarget>(self, target: T, on: impl Expression<Output = bool>) -> Self {
        self.push_join(JoinKind::Inner, target, Some(on.into_expr()))
    }

    /// `LEFT JOIN target ON condition`.
    pub fn left_join_on<T: JoinTarget>(
        self,
        target: T,
        on: impl Expression<Output = bool>,
    ) -> Self {
        self.push_join(JoinKind::Left, target, Some(on.into_expr()))
    }

    /// `RIGHT JOIN target ON condition`.
    pub fn right_join_on<T: JoinTarget>(
        self,
        target: T,
        on: impl Expression<Output = bool>,
    ) -> Self {
        self.push_join(JoinKind::Right, target, Some(on.into_expr()))
    }

    /// `FULL JOIN target ON condition`.
    pub fn full_join_on<T: JoinTarget>(
        self,
        target: T,
        on: impl Expression<Output = bool>,
    ) -> Self {
        self.push_join(JoinKind::Full, target, Some(on.into_expr()))
    }

    fn lock(mut self, strength: LockStrength) -> Self {
        self.unjoin_eager();
        let wait = self.statement.lock.map_or(LockWait::Wait, |l| l.wait);
        self.statement.lock = Some(Lock { strength, wait });
        self
    }

    fn lock_wait(mut self, wait: LockWait) -> Self {
        self.unjoin_eager();
        let strength = self
            .statement
            .lock
            .map_or(LockStrength::Update, |l| l.strength);
        self.statement.lock = Some(Lock { strength, wait });
        self
    }

    /// `FOR UPDATE` (PostgreSQL; `Unsupported` on SQLite, whose write transactions lock the
    /// whole database).
    pub fn for_update(self) -> Self {
        self.lock(LockStrength::Update)
    }

    /// `FOR NO KEY UPDATE` (PostgreSQL).
    pub fn for_no_key_update(self) -> Self {
        self.lock(LockStrength::NoKeyUpdate)
    }

    /// `FOR SHARE` (PostgreSQL).
    pub fn for_share(self) -> Self {
        self.lock(LockStrength::Share)
    }

    /// `SKIP LOCKED`: leave rows locked by others out (implies `FOR UPDATE` if no lock was
    /// chosen). The usual job-queue pattern.
    pub fn skip_locked(self) -> Self {
        self.lock_wait(LockWait::SkipLocked)
    }

    /// `NOWAIT`: fail at once if a row is locked (implies `FOR UPDATE` if no lock was chosen).
    pub fn nowait(self) -> Self {
        self.lock_wait(LockWait::NoWait)
    }

    /// The statement AST.
    pub fn statement(&self) -> &SelectStatement {
        &self.statement
    }

    /// This query as a derived table named `alias`, for `select_from` or a join.
    pub fn derived(self, alias: &'static str) -> Derived {
        Derived::new(self.statement, alias)
    }

    /// Check what can only be checked once the query is complete.
    fn validate(&self) -> Result<()> {
        self.built()?;
        let statement = &self.statement;
        if self.eager_join
            && (!statement.group_by.is_empty()
                || statement.distinct.is_some()
                || !statement.compound.is_empty()
                || statement.lock.is_some())
        {
            return Err(Error::InvalidStatement {
                message: "a relationship loaded with .joined() cannot join into a query with \
                          group_by / distinct / union / row locks: drop .joined() to load it by \
                          key"
                .into(),
            });
        }
        if !self.statement.joins.is_empty() {
            let root_row: Vec<bool>;
            let not_null = match (self.not_null.is_empty(), self.tables.first()) {
                (true, Some((_, root))) => {
                    root_row = root.columns.iter().map(|c| !c.nullable).collect();
                    &root_row
                }
                _ => &self.not_null,
            };
            check_outer_join_nullability(&self.statement, not_null)?;
        }
        check_ungrouped_columns(&self.statement)
    }

    /// The SQL and binds this query sends on `dialect`.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Statement> {
        self.validate()?;
        render::select(dialect, &self.statement)
    }

    /// The SQL and binds [`Select::count`] sends on `dialect`.
    pub fn count_sql(&self, dialect: &dyn Dialect) -> Result<Statement> {
        self.built()?;
        render::count(dialect, &self.statement)
    }

    /// The SQL and binds [`Select::exists`] sends on `dialect`: the query without its select
    /// list and order, inside `EXISTS`.
    pub fn exists_sql(&self, dialect: &dyn Dialect) -> Result<Statement> {
        self.built()?;
        let mut probe = self.statement.clone();
        if probe.compound.is_empty()
            && probe.group_by.is_empty()
            && probe.distinct.is_none()
            && !probe.columns.iter().any(Expr::has_aggregate)
        {
            probe.columns = Vec::new();
            probe.order_by = Vec::new();
        }
        render::exists(dialect, &probe)
    }

    /// The number of rows the query would return.
    pub async fn count<E: Executor>(self, db: E) -> Result<i64> {
        let statement = self.count_sql(db.dialect())?;
        let decoder = ScalarDecoder::<i64>::new(SqlType::BigInt, 0);
        let count = db.fetch_optional(statement, decoder).await?;
        Ok(count.unwrap_or(0))
    }

    /// True when the query matches at least one row.
    pub async fn exists<E: Executor>(self, db: E) -> Result<bool> {
        let statement = self.exists_sql(db.dialect())?;
        let decoder = ScalarDecoder::<bool>::new(SqlType::Bool, 0);
        Ok(db
            .fetch_optional(statement, decoder)
            .await?
            .unwrap_or(false))
    }

    /// The backend's plan for this query (`EXPLAIN` on PostgreSQL, `EXPLAIN QUERY PLAN` on
    /// SQLite), one line per plan row.
    pub async fn explain<E: Executor>(self, db: E) -> Result<String> {
        let dialect = db.dialect();
        let statement = render::explain(dialect, self.to_sql(dialect)?);
        let decoder = ScalarDecoder::<String>::new(SqlType::Text, dialect.explain().1);
        Ok(db.fetch_all(statement, decoder).await?.join("\n"))
    }
}

impl<M, D: RowDecoder, G> Select<M, D, G> {
    fn combine<M2, D2, G2>(mut self, op: SetOp, other: Select<M2, D2, G2>) -> Self
    where
        D2::Output: SameRow<D::Output>,
        D2: RowDecoder,
    {
        if self.statement.compound.is_empty() && self.statement.has_order_or_limit() {
            self.fail(
                "order_by / limit / offset before a union apply to the whole combination: \
                 call them after union / intersect / except"
                    .to_owned(),
            );
        }
        if let Some(error) = other.error {
            self.fail(error);
        }
        self.unjoin_eager();
        self.statement.compound.push((op, other.statement));
        self
    }

    /// `self UNION other` (duplicates removed); `order_by` / `limit` afterwards apply to the
    /// combination. Both sides must decode into the same row type.
    pub fn union<M2, D2, G2>(self, other: Select<M2, D2, G2>) -> Self
    where
        D2::Output: SameRow<D::Output>,
        D2: RowDecoder,
    {
        self.combine(SetOp::Union, other)
    }

    /// `self UNION ALL other`.
    pub fn union_all<M2, D2, G2>(self, other: Select<M2, D2, G2>) -> Self
    where
        D2::Output: SameRow<D::Output>,
        D2: RowDecoder,
    {
        self.combine(SetOp::UnionAll, other)
    }

    /// `self INTERSECT other`.
    pub fn intersect<M2, D2, G2>(self, other: Select<M2, D2, G2>) -> Self
    where
        D2::Output: SameRow<D::Output>,
        D2: RowDecoder,
    {
        self.combine(SetOp::Intersect, other)
    }

    /// `self EXCEPT other`.
    pub fn except<M2, D2, G2>(self, other: Select<M2, D2, G2>) -> Self
    where
        D2::Output: SameRow<D::Output>,
        D2: RowDecoder,
    {
        self.combine(SetOp::Except, other)
    }

    /// Every matching row (with the relationships given to `.with(..)` loaded).
    pub async fn all<E: Executor>(mut self, db: E) -> Result<Vec<D::Output>> {
        let statement = self.to_sql(db.dialect())?;
        let followups = self.decoder.take_followups();
        if followups.is_empty() {
            return db.fetch_all(statement, &self.decoder).await;
        }
        // The query and its loads on one connection (checked out once from a pool).
        let one = db.one_connection();
        let db: &dyn DynExecutor = one.as_deref().unwrap_or(&db);
        let mut rows = db.fetch_all(statement, &self.decoder).await?;
        run_loaders(followups, &mut rows, db).await?;
        Ok(rows)
    }

    /// Exactly one row: `Error::NotFound` when none, `Error::InvalidStatement` when several.
    pub async fn one<E: Executor>(self, db: E) -> Result<D::Output> {
        let table = self.statement.from.scope_name();
        self.optional(db).await?.ok_or(Error::NotFound { table })
    }

    /// At most one row: `None` when none, `Error::InvalidStatement` when several.
    pub async fn optional<E: Executor>(mut self, db: E) -> Result<Option<D::Output>> {
        let table = self.statement.from.scope_name();
        self.statement.limit = Some(2);
        let mut rows = self.all(db).await?;
        if rows.len() > 1 {
            return Err(Error::InvalidStatement {
                message: format!(
                    "expected at most one row of `{table}`, found several; use .first() or a tighter filter"
                ),
            });
        }
        Ok(rows.pop())
    }

    /// The first row, if any (adds `LIMIT 1`).
    pub async fn first<E: Executor>(mut self, db: E) -> Result<Option<D::Output>> {
        self.statement.limit = Some(1);
        let statement = self.to_sql(db.dialect())?;
        let followups = self.decoder.take_followups();
        if followups.is_empty() {
            return db.fetch_optional(statement, &self.decoder).await;
        }
        let one = db.one_connection();
        let db: &dyn DynExecutor = one.as_deref().unwrap_or(&db);
        let mut row = db.fetch_optional(statement, &self.decoder).await?;
        if let Some(row) = &mut row {
            run_loaders(followups, std::slice::from_mut(row), db).await?;
        }
        Ok(row)
    }

    /// The rows one at a time as they arrive, without collecting them: memory stays flat
    /// however many rows there are. The stream holds its connection until dropped.
    /// Relationships loaded by key (`.with(..)` of a to-many relationship) need the rows
    /// collected: use `all`, pages with `keyset`, or `load_for` on batches.
    pub fn stream<'e, E: Executor + 'e>(mut self, db: E) -> RowStream<'e, D::Output>
    where
        D: 'static,
    {
        let statement = if self.decoder.take_followups().is_empty() {
            self.to_sql(db.dialect())
        } else {
            Err(Error::InvalidStatement {
                message: "`.with(..)` of a relationship loaded by key needs the rows collected: \
                          use .all(..), or stream and call load_for(..) on batches"
                    .into(),
            })
        };
        Box::pin(db.fetch_stream(statement, self.decoder))
    }
}

impl<M, D: RowDecoder, G> Subquery for Select<M, D, G> {
    type Output = D::Output;
    fn into_statement(self) -> SelectStatement {
        self.statement
    }
}

impl<M, S: Selection + Expression, G> Select<M, SelectionDecoder<S>, G> {
    /// This one-expression query as a scalar subquery (`(SELECT ..)`), NULL when it returns
    /// no row.
    pub fn scalar(self) -> TypedExpr<<<S as Selection>::Output as ToNullable>::Nullable>
    where
        <S as Selection>::Output: ToNullable,
    {
        let ty = self.decoder.0.sql_type();
        TypedExpr::new(Expr::Subquery(Box::new(self.statement)), ty)
    }
}
