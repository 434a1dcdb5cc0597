//! Soft delete: deleting rows of a model with an `#[orm(soft_delete)]` column sets that
//! column (and bumps `updated_at` and the version) instead of removing the rows, and reads
//! hide the rows where it is set (see [`crate::statement::DeletedRows`]).
//!
//! Cascades follow the relationships the model declares: where a `has_many` / `has_one`
//! child's foreign key says `on_delete = "cascade"` and the child is soft-deletable too, its
//! rows are soft-deleted with their parent, children before parents, in the same unit.

use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::meta::{ReferentialAction, TableMeta};
use crate::relation::RelationKind;
use crate::render;
use crate::row_write::{bump_version, column, is_null};
use crate::select::and_filter;
use crate::statement::{SelectStatement, Statement, UpdateStatement, WriteTarget};

/// `SET deleted_at = now` (with `updated_at = now` and `version = version + 1` where the
/// table has them): what soft-deleting a row of `table` writes.
pub(crate) fn deleting(
    table: &'static TableMeta,
    deleted_at: &'static str,
) -> Vec<(&'static str, Expr)> {
    let ty = table
        .column(deleted_at)
        .map_or(crate::SqlType::TimestampTz, |c| c.ty);
    let mut assignments = vec![(deleted_at, Expr::CurrentTimestamp(ty))];
    crate::mutation::bump_updated_at(table, &mut assignments);
    bump_version(table, &mut assignments);
    assignments
}

/// `SET deleted_at = NULL` (with `updated_at` and the version bumped): restoring a row.
pub(crate) fn restoring(
    table: &'static TableMeta,
    deleted_at: &'static str,
) -> Vec<(&'static str, Expr)> {
    let ty = table
        .column(deleted_at)
        .map_or(crate::SqlType::TimestampTz, |c| c.ty);
    let mut assignments = vec![(
        deleted_at,
        Expr::Value(crate::Value::DateTimeUtc(None).conform(ty)),
    )];
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
    push_cascade(dialect, table, parents, &mut path, &mut statements)?;
    Ok(statements)
}

fn push_cascade(
    dialect: &dyn crate::Dialect,
    table: &'static TableMeta,
    parents: &Expr,
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
        if path.contains(&child.name) {
            return Err(Error::Unsupported {
                feature: "a soft-delete cascade that leads back to a table it started from",
                backend: dialect.name(),
                reason: "the rows to delete would need a recursive query: soft-delete the \
                         descendants first (Model::delete().filter(..)), or make that foreign \
                         key not cascade",
            });
        }
        let mut keys =
            SelectStatement::new(table.name, vec![column(table, relation.parent_column)]);
        keys.filter = Some(parents.clone());
        let children = live_rows(
            child,
            deleted_at,
            Some(Expr::InSubquery {
                expr: Box::new(column(child, foreign_key)),
                query: Box::new(keys),
                negated: false,
            }),
        );
        path.push(child.name);
        push_cascade(dialect, child, &children, path, out)?;
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
