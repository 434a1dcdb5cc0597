//! What a [`crate::Select`] checks before it is sent: join conditions from foreign keys,
//! outer-join columns read as non-`Option` types, and plain columns next to aggregates without
//! `GROUP BY`.

use crate::error::{Error, Result};
use crate::expr::{BinaryOp, Expr};
use crate::meta::TableMeta;
use crate::select::and_filter;
use crate::statement::{JoinKind, SelectStatement};

/// The `ON` condition of a join through a foreign key between `target` and a table already
/// in the query.
pub(crate) fn foreign_key_condition(
    tables: &[(&'static str, &'static TableMeta)],
    target_scope: &'static str,
    target: Option<&'static TableMeta>,
) -> std::result::Result<Expr, String> {
    let Some(target) = target else {
        return Err(format!(
            "`{target_scope}` is not a model table, so no foreign key says how to join it; \
             use .join_on(target, condition)"
        ));
    };
    let mut found = Vec::new();
    for (scope, table) in tables {
        // target.fk -> table, and table.fk -> target.
        for (from_scope, from, to_scope, to) in [
            (target_scope, target, *scope, *table),
            (*scope, *table, target_scope, target),
        ] {
            for fk in from
                .foreign_keys
                .iter()
                .filter(|fk| fk.target().name == to.name)
            {
                let mut on = None;
                for (column, referenced) in fk.columns.iter().zip(fk.target_columns()) {
                    let eq = Expr::binary(
                        BinaryOp::Eq,
                        Expr::Column {
                            table: from_scope,
                            name: column,
                        },
                        Expr::Column {
                            table: to_scope,
                            name: referenced,
                        },
                    );
                    on = and_filter(on, eq);
                }
                found.extend(on);
            }
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!(
            "no foreign key links `{target_scope}` to the tables of this query; use \
             .join_on(target, condition)"
        )),
        _ => Err(format!(
            "several foreign keys link `{target_scope}` to this query; say which with \
             .join_on(target, condition)"
        )),
    }
}

/// Scope names whose columns may be NULL because of an outer join.
fn nullable_scopes(statement: &SelectStatement) -> Vec<&'static str> {
    let mut nullable = Vec::new();
    let mut before = vec![statement.from.scope_name()];
    for join in &statement.joins {
        let scope = join.source.scope_name();
        match join.kind {
            JoinKind::Inner => {}
            JoinKind::Left => nullable.push(scope),
            JoinKind::Right => nullable.extend(before.iter().copied()),
            JoinKind::Full => {
                nullable.extend(before.iter().copied());
                nullable.push(scope);
            }
        }
        before.push(scope);
    }
    nullable
}

/// A column from the nullable side of an outer join selected into a non-`Option` type would
/// fail to decode on the first unmatched row: refuse it before sending.
pub(crate) fn check_outer_join_nullability(
    statement: &SelectStatement,
    not_null: &[bool],
) -> Result<()> {
    if statement.joins.is_empty() {
        return Ok(());
    }
    let nullable = nullable_scopes(statement);
    for (expr, not_null) in statement.columns.iter().zip(not_null) {
        if let (Expr::Column { table, name }, true) = (expr, not_null)
            && nullable.contains(table)
        {
            return Err(Error::InvalidStatement {
                message: format!(
                    "`{table}.{name}` comes from the nullable side of an outer join, so it can \
                     be NULL: select it with .nullable() to read an Option (or \
                     model_row::<M>().nullable() for a whole row)"
                ),
            });
        }
    }
    Ok(())
}

fn has_bare_column(expr: &Expr) -> bool {
    match expr {
        Expr::Column { .. } => true,
        Expr::Function {
            aggregate: true, ..
        }
        | Expr::CountStar
        | Expr::Window { .. } => false,
        Expr::Numeric { function, .. } if function.is_aggregate() => false,
        other => other.any_operand(has_bare_column),
    }
}

/// An aggregate next to a plain column with no `GROUP BY` is an error on PostgreSQL and an
/// arbitrary row's value on SQLite: refuse it on both.
pub(crate) fn check_ungrouped_columns(statement: &SelectStatement) -> Result<()> {
    if !statement.group_by.is_empty() || !statement.columns.iter().any(Expr::has_aggregate) {
        return Ok(());
    }
    match statement.columns.iter().find(|c| has_bare_column(c)) {
        Some(column) => Err(Error::InvalidStatement {
            message: format!(
                "{} is selected next to an aggregate without group_by: add .group_by(..) \
                 with it, or aggregate it too",
                describe(column)
            ),
        }),
        None => Ok(()),
    }
}

fn describe(expr: &Expr) -> String {
    match expr {
        Expr::Column { table, name } => format!("`{table}.{name}`"),
        _ => "an expression over a column".to_owned(),
    }
}
