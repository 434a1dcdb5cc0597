//! What a query can read from and join: model tables (`User::TABLE`), aliases for
//! self-joins ([`alias`]), common table expressions ([`cte`], [`recursive_cte`]) and derived
//! tables ([`crate::Select::derived`]).

use std::marker::PhantomData;

use crate::expr::{Column, Expr, Subquery, TypedExpr};
use crate::meta::TableMeta;
use crate::model::Model;
use crate::selection::ModelRow;
use crate::statement::{CommonTable, SelectStatement, SetOp, Source};
use crate::types::SqlField;

/// The joins a relationship target stands for: each source with its table and `ON`
/// condition, or why it cannot be joined.
pub type JoinPath = Result<Vec<(Source, &'static TableMeta, Expr)>, String>;

/// Something a query can join (or select from).
pub trait JoinTarget {
    /// The `FROM` / `JOIN` item.
    fn source(&self) -> Source;
    /// The model table behind it, for joins whose condition comes from a foreign key.
    fn table_meta(&self) -> Option<&'static TableMeta>;
    /// The CTE to attach to the query's `WITH`, when the target is one.
    fn common_table(&self) -> Option<CommonTable> {
        None
    }
    /// The joins a relationship stands for (`User::posts`: the related table, through the
    /// junction for many-to-many), each with its `ON` condition; `None` for plain targets.
    fn join_path(&self) -> Option<JoinPath> {
        None
    }
}

impl JoinTarget for &'static TableMeta {
    fn source(&self) -> Source {
        Source::model(self, None)
    }
    fn table_meta(&self) -> Option<&'static TableMeta> {
        Some(self)
    }
}

/// A model's table under another name, for self-joins: `let manager = alias::<Employee>("manager")`.
pub struct Alias<M> {
    name: &'static str,
    _model: PhantomData<fn() -> M>,
}

/// The table of `M` under the alias `name`.
pub fn alias<M: Model>(name: &'static str) -> Alias<M> {
    Alias {
        name,
        _model: PhantomData,
    }
}

impl<M> Clone for Alias<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M> Copy for Alias<M> {}

impl<M: Model> Alias<M> {
    /// The alias.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// A column of the aliased table: `manager.col(Employee::name)`.
    pub fn col<T>(&self, column: Column<M, T>) -> Column<M, T> {
        Column::new(
            self.name,
            column.name(),
            crate::Expression::sql_type(&column),
        )
    }

    /// Every column of the aliased table, decoding into `M`.
    pub fn row(&self) -> ModelRow<M> {
        ModelRow::qualified(self.name)
    }
}

impl<M: Model> JoinTarget for Alias<M> {
    fn source(&self) -> Source {
        Source::model(M::TABLE, Some(self.name))
    }
    fn table_meta(&self) -> Option<&'static TableMeta> {
        Some(M::TABLE)
    }
}

/// Columns of a CTE or derived table, by name.
pub trait NamedColumns {
    /// The name columns are qualified with.
    fn qualifier(&self) -> &'static str;

    /// A column the query selected from a model column: `tree.col(Category::id)`.
    fn col<M, T>(&self, column: Column<M, T>) -> Column<M, T> {
        Column::new(
            self.qualifier(),
            column.name(),
            crate::Expression::sql_type(&column),
        )
    }

    /// The column a labelled expression of the query became: `let spent =
    /// sum(Order::total).label("spent")` selected in the query, then `derived.get(&spent)`
    /// reads it with the expression's exact type (a decimal keeps its scale).
    fn get<T>(&self, labelled: &TypedExpr<T>) -> TypedExpr<T> {
        let ty = crate::Expression::sql_type(labelled);
        let expr = match labelled.expr() {
            Expr::Label { name, .. } => Expr::Column {
                table: self.qualifier(),
                name,
            },
            _ => Expr::Invalid(
                "get(..) needs a labelled expression: select it with .label(\"name\")".into(),
            ),
        };
        TypedExpr::new(expr, ty)
    }

    /// A column the query selected under a label (`expr.label("depth")`), read as `T`.
    fn field<T: SqlField>(&self, name: &'static str) -> TypedExpr<T> {
        TypedExpr::new(
            Expr::Column {
                table: self.qualifier(),
                name,
            },
            T::SQL_TYPE,
        )
    }
}

/// A common table expression: a named query a statement can read from (`WITH name AS (..)`).
/// Build with [`cte`] or [`recursive_cte`]; queries that use it get it through
/// `.with(&cte)`, `select_from(&cte)` or a join.
#[derive(Debug, Clone)]
pub struct Cte {
    table: CommonTable,
}

/// `WITH name AS (query)`.
pub fn cte<Q: Subquery>(name: &'static str, query: Q) -> Cte {
    Cte {
        table: CommonTable {
            name,
            recursive: false,
            query: query.into_statement(),
        },
    }
}

/// The name of a recursive CTE inside its own definition (see [`recursive_cte`]).
#[derive(Debug, Clone, Copy)]
pub struct CteName(&'static str);

impl NamedColumns for CteName {
    fn qualifier(&self) -> &'static str {
        self.0
    }
}

impl JoinTarget for CteName {
    fn source(&self) -> Source {
        Source::table(self.0)
    }
    fn table_meta(&self) -> Option<&'static TableMeta> {
        None
    }
}

/// `WITH RECURSIVE name AS (base UNION ALL step)`: `step` is built from the CTE's own name,
/// which it joins or selects from.
///
/// See the `orm` crate's documentation for a runnable example (a category tree with depth).
pub fn recursive_cte<B, S>(name: &'static str, base: B, step: impl FnOnce(CteName) -> S) -> Cte
where
    B: Subquery,
    S: Subquery<Output = B::Output>,
{
    let mut query = base.into_statement();
    query
        .compound
        .push((SetOp::UnionAll, step(CteName(name)).into_statement()));
    Cte {
        table: CommonTable {
            name,
            recursive: true,
            query,
        },
    }
}

impl Cte {
    /// The CTE's name.
    pub fn name(&self) -> &'static str {
        self.table.name
    }

    /// The `WITH` entry.
    pub fn definition(&self) -> &CommonTable {
        &self.table
    }
}

impl NamedColumns for Cte {
    fn qualifier(&self) -> &'static str {
        self.table.name
    }
}

impl JoinTarget for &Cte {
    fn source(&self) -> Source {
        Source::table(self.table.name)
    }
    fn table_meta(&self) -> Option<&'static TableMeta> {
        None
    }
    fn common_table(&self) -> Option<CommonTable> {
        Some(self.table.clone())
    }
}

/// A subquery in `FROM` or a join, under an alias: built by `query.derived("alias")`.
#[derive(Debug, Clone)]
pub struct Derived {
    query: SelectStatement,
    alias: &'static str,
}

impl Derived {
    /// A derived table of `query` named `alias`.
    pub fn new(query: SelectStatement, alias: &'static str) -> Self {
        Derived { query, alias }
    }
}

impl NamedColumns for Derived {
    fn qualifier(&self) -> &'static str {
        self.alias
    }
}

impl JoinTarget for &Derived {
    fn source(&self) -> Source {
        Source::Subquery {
            query: Box::new(self.query.clone()),
            alias: self.alias,
        }
    }
    fn table_meta(&self) -> Option<&'static TableMeta> {
        None
    }
}
