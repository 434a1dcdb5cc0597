//! Relationships inside queries: joining through them, `EXISTS` over related rows, and
//! counting related rows.

use super::field::RelationField;
use super::spec::Relation;
use super::{RelationKind, RelationMeta};
use crate::expr::{BinaryOp, Expr, Expression, TypedExpr};
use crate::meta::TableMeta;
use crate::model::Model;
use crate::select::and_filter;
use crate::source::{JoinPath, JoinTarget};
use crate::statement::{Join, JoinKind, SelectStatement, Source};
use crate::value::SqlType;

fn column(table: &'static str, name: &'static str) -> Expr {
    Expr::Column { table, name }
}

fn eq(lhs: Expr, rhs: Expr) -> Expr {
    Expr::binary(BinaryOp::Eq, lhs, rhs)
}

impl RelationMeta {
    fn self_referential(&self) -> bool {
        (self.parent)().name == (self.target)().name
    }

    /// The related rows of the current parent row, correlated to the enclosing query
    /// (`FROM target [JOIN junction] WHERE .. = parent.key`).
    fn correlated(&self, columns: Vec<Expr>, condition: Option<Expr>) -> Expr {
        if self.self_referential() {
            return Expr::Invalid(
                format!(
                    "{}: a self-referential relationship cannot be used in any() / count(): the \
                 inner and outer tables have one name; write exists(..) over an alias::<Model>(..)",
                    self.qualified_name()
                )
                .into(),
            );
        }
        let (parent, target) = ((self.parent)(), (self.target)());
        let mut query = SelectStatement::of_model(target, columns);
        let correlation = match self.kind {
            RelationKind::ManyToMany => match self.junction() {
                Ok(junction) => {
                    query.joins.push(Join {
                        kind: JoinKind::Inner,
                        source: Source::model(junction.table, None),
                        on: eq(
                            column(junction.table.name, junction.target_column),
                            column(target.name, self.target_column()),
                        ),
                    });
                    eq(
                        column(junction.table.name, junction.parent_column),
                        column(parent.name, self.parent_column),
                    )
                }
                Err(error) => return Expr::Invalid(error.to_string().into()),
            },
            _ => eq(
                column(target.name, self.target_column()),
                column(parent.name, self.parent_column),
            ),
        };
        query.filter = match condition {
            Some(condition) => and_filter(Some(correlation), condition),
            None => Some(correlation),
        };
        Expr::Subquery(Box::new(query))
    }
}

impl<P: Model, F: RelationField> Relation<P, F> {
    /// True when some related row matches `condition`: `EXISTS (SELECT 1 FROM posts WHERE
    /// posts.user_id = users.id AND ..)`. Use it in `filter`: `User::query().filter(
    /// User::posts.any(Post::title.like("%rust%")))`.
    pub fn any(self, condition: impl Expression<Output = bool>) -> TypedExpr<bool> {
        self.exists_where(Some(condition.into_expr()))
    }

    /// True when the row has at least one related row.
    pub fn exists(self) -> TypedExpr<bool> {
        self.exists_where(None)
    }

    fn exists_where(self, condition: Option<Expr>) -> TypedExpr<bool> {
        let expr = match self.meta.correlated(Vec::new(), condition) {
            Expr::Subquery(query) => Expr::Exists {
                query,
                negated: false,
            },
            invalid => invalid,
        };
        TypedExpr::new(expr, SqlType::Bool)
    }

    /// The number of related rows: a correlated `(SELECT COUNT(*) ..)`, for `select`,
    /// `filter` or `order_by`.
    pub fn count(self) -> TypedExpr<i64> {
        TypedExpr::new(
            self.meta.correlated(vec![Expr::CountStar], None),
            SqlType::BigInt,
        )
    }
}

/// `User::query().join(User::posts)`: joins the related table on the relationship's keys
/// (through the junction for many-to-many).
impl<P: Model, F: RelationField> JoinTarget for Relation<P, F> {
    fn source(&self) -> Source {
        Source::model(F::Target::TABLE, None)
    }

    fn table_meta(&self) -> Option<&'static TableMeta> {
        Some(F::Target::TABLE)
    }

    fn join_path(&self) -> Option<JoinPath> {
        let meta = self.meta;
        if meta.self_referential() {
            return Some(Err(format!(
                "{}: a self-referential relationship joins the table to itself; use \
                 join_on(alias::<Model>(\"..\"), ..)",
                meta.qualified_name()
            )));
        }
        let (parent, target) = (P::TABLE, F::Target::TABLE);
        let target_source = self.source();
        Some(Ok(match meta.kind {
            RelationKind::ManyToMany => match meta.junction() {
                Ok(junction) => vec![
                    (
                        Source::model(junction.table, None),
                        junction.table,
                        eq(
                            column(junction.table.name, junction.parent_column),
                            column(parent.name, meta.parent_column),
                        ),
                    ),
                    (
                        target_source,
                        target,
                        eq(
                            column(target.name, meta.target_column()),
                            column(junction.table.name, junction.target_column),
                        ),
                    ),
                ],
                Err(error) => return Some(Err(error.to_string())),
            },
            _ => vec![(
                target_source,
                target,
                eq(
                    column(target.name, meta.target_column()),
                    column(parent.name, meta.parent_column),
                ),
            )],
        }))
    }
}
