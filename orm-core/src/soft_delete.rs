//! Soft delete: deleting rows of a model with an `#[orm(soft_delete)]` column sets that
//! column (and bumps `updated_at` and the version) instead of removing the rows, and reads
//! hide the rows where it is set (see [`crate::statement::DeletedRows`]).
//!
//! Cascades follow the relationships the model declares: where a `has_many` / `has_one`
//! child's foreign key says `on_delete = "cascade"` and the child is soft-deletable too, its
//! rows are soft-deleted with their parent, children before parents, in the same unit.

use crate::error::{Error, Result};
use crate::expr::BinaryOp;
use crate::expr::Expr;
use crate::meta::{ReferentialAction, TableMeta};
use crate::relation::{RelationKind, RelationMeta};
use crate::render;
use crate::row_write::{bump_version, column, is_null};
use crate::select::and_filter;
use crate::statement::{
    CommonTable, Join, JoinKind, SelectStatement, SetOp, Source, Statement, UpdateStatement,
    WriteTarget,
};

/// `SET deleted_at = now` (with `updated_at = now` and `version = version + 1` where the
/// table has them): what soft-deleting a row of `table` writes.
pub(crate) fn deleting(
    table: &'static TableMeta,
    deleted_at: &'static str,
) -> Vec<(&'static str, Expr)> {
    marking(table, deleted_at, Expr::CurrentTimestamp)
}

/// `SET deleted_at = NULL` (with `updated_at` and the version bumped): restoring a row.
pub(crate) fn restoring(
    table: &'static TableMeta,
    deleted_at: &'static str,
) -> Vec<(&'static str, Expr)> {
    marking(table, deleted_at, |ty| {
        Expr::Value(crate::Value::DateTimeUtc(None).conform(ty))
    })
}

/// `SET deleted_at = value(its type)`, `updated_at` and the version bumped.
fn marking(
    table: &'static TableMeta,
    deleted_at: &'static str,
    value: impl FnOnce(crate::SqlType) -> Expr,
) -> Vec<(&'static str, Expr)> {
    let ty = table
        .column(deleted_at)
        .map_or(crate::SqlType::TimestampTz, |c| c.ty);
    let mut assignments = vec![(deleted_at, value(ty))];
    crate::mutation::bump_updated_at(table, &mut assignments);
    bump_version(table, &mut assignments);
    assignments
}

/// `filter AND deleted_at IS NULL`: the rows of `filter` a soft delete applies to (a row
/// deleted already keeps its deletion time).
pub(crate) fn live_rows(
    table: &'static TableMeta,
    deleted_at: &'static str,
    filter: Option<Expr>,
) -> Expr {
    and_filter(filter, is_null(table, deleted_at, false)).expect("a condition was added")
}

/// The statements soft-deleting the rows that cascade from the live rows of `table` matching
/// `parents`, deepest first, so each runs before the rows its filter reads are deleted.
pub(crate) fn cascade(
    dialect: &dyn crate::Dialect,
    table: &'static TableMeta,
    parents: &Expr,
) -> Result<Vec<Statement>> {
    let mut statements = Vec::new();
    let mut path = vec![table.name];
    push_cascade(dialect, table, parents, false, &mut path, &mut statements)?;
    Ok(statements)
}

/// Names in the recursive query of a self-referencing cascade.
const TREE: &str = "orm_tree";
const NODE: &str = "orm_node";

/// `key IN (WITH RECURSIVE orm_tree AS (..) SELECT key FROM orm_tree)`: the live descendants,
/// through the self-referencing `relation` of `table`, of the rows matching `parents` (not
/// those rows themselves).
fn descendants(table: &'static TableMeta, relation: &RelationMeta, parents: &Expr) -> Expr {
    let (key, foreign_key) = (relation.parent_column, relation.target_column());
    let node = |name| Expr::Column { table: NODE, name };
    let mut roots = SelectStatement::new(table.name, vec![column(table, key)]);
    roots.filter = Some(parents.clone());
    // The live children of the roots...
    let mut base = SelectStatement::from_source(Source::model(table, Some(NODE)), vec![node(key)]);
    base.filter = Some(Expr::InSubquery {
        expr: Box::new(node(foreign_key)),
        query: Box::new(roots),
        negated: false,
    });
    // ...and the live children of those, to any depth (UNION stops at a cycle in the data).
    let mut step = SelectStatement::from_source(Source::model(table, Some(NODE)), vec![node(key)]);
    step.joins.push(Join {
        kind: JoinKind::Inner,
        source: Source::table(TREE),
        on: Expr::binary(
            BinaryOp::Eq,
            node(foreign_key),
            Expr::Column {
                table: TREE,
                name: key,
            },
        ),
    });
    base.compound.push((SetOp::Union, step));
    let mut tree = SelectStatement::new(
        TREE,
        vec![Expr::Column {
            table: TREE,
            name: key,
        }],
    );
    tree.with.push(CommonTable {
        name: TREE,
        recursive: true,
        query: base,
    });
    Expr::InSubquery {
        expr: Box::new(column(table, key)),
        query: Box::new(tree),
        negated: false,
    }
}

/// See [`cascade`]; `in_tree`: `parents` are the descendants of a self-referencing cascade
/// already (whose own self-reference is covered).
fn push_cascade(
    dialect: &dyn crate::Dialect,
    table: &'static TableMeta,
    parents: &Expr,
    in_tree: bool,
    path: &mut Vec<&'static str>,
    out: &mut Vec<Statement>,
) -> Result<()> {
    for relation in table.relations {
        if !matches!(relation.kind, RelationKind::HasMany | RelationKind::HasOne) {
            continue;
        }
        let child = (relation.target)();
        let Some(deleted_at) = child.soft_delete else {
            continue;
        };
        let foreign_key = relation.target_column();
        let cascades = child.foreign_keys.iter().any(|fk| {
            fk.columns == [foreign_key]
                && fk.target().name == table.name
                && fk.on_delete == ReferentialAction::Cascade
        });
        if !cascades {
            continue;
        }
        let (children, tree) = if child.name == table.name {
            if in_tree {
                continue;
            }
            (descendants(table, relation, parents), true)
        } else if path.contains(&child.name) {
            return Err(Error::Unsupported {
                feature: "a soft-delete cascade that leads back to a table it started from",
                backend: dialect.name(),
                reason: "only a table referencing itself is followed to any depth: soft-delete \
                         the rows of the other tables first (Model::delete().filter(..)), or \
                         make one of those foreign keys not cascade",
            });
        } else {
            let mut keys =
                SelectStatement::new(table.name, vec![column(table, relation.parent_column)]);
            keys.filter = Some(parents.clone());
            let of_parents = Expr::InSubquery {
                expr: Box::new(column(child, foreign_key)),
                query: Box::new(keys),
                negated: false,
            };
            (of_parents, false)
        };
        let children = live_rows(child, deleted_at, child.variant_rows(Some(children)));
        path.push(child.name);
        push_cascade(dialect, child, &children, in_tree || tree, path, out)?;
        path.pop();
        let update = UpdateStatement {
            table: child.name,
            assignments: deleting(child, deleted_at),
            filter: Some(children),
            returning: Vec::new(),
        };
        let target = WriteTarget::update(child, &update.assignments, update.filter.clone());
        out.push(render::update(dialect, &update)?.writing(target));
    }
    Ok(())
}
