//! Telling apart the foreign keys an SQLite foreign-key failure may have violated.
//!
//! SQLite reports only `FOREIGN KEY constraint failed`. With `PRAGMA foreign_keys = ON` and
//! immediate constraints (orm's), the failing statement is the one that just ran, and
//! `orm_core::constraint` lists the foreign keys it may have violated. When there are
//! several, these statements find the one that failed, on the same connection (inside the
//! same transaction, which sees the same rows; SQLite undid only the failed statement) and
//! only on that error path:
//!
//! - a key the statement writes ([`Side::Referencing`]): which of the statement's rows
//!   references a row that does not exist, one indexed probe per row of the statement
//!   (batched into as few statements as the bind limit allows), from the values orm kept
//!   of its foreign-key columns;
//! - a key referencing the rows the statement deletes or re-keys ([`Side::Referenced`]):
//!   whether any row still references a row the statement's filter matches.
//!
//! What no statement can tell is left [`Lookup::Unknown`]: values computed by an expression
//! or a select, rows reached through a cascade. A limitation worth knowing: a row that an
//! upsert turned into an update is looked up as if it had been inserted.

use orm_core::constraint::{Candidate, Lookup, LookupPlan, Side};
use orm_core::statement::{SelectStatement, Statement, WriteTarget, WrittenValues};
use orm_core::{Dialect, Expr, Value};

use crate::SqliteDialect;

/// SQLite's bind limit (orm's capability), which the probes of a bulk insert stay under.
const MAX_BINDS: usize = 32_766;

/// How to look each of `candidates` up after `target`'s statement failed a foreign key.
pub fn foreign_key_lookups(target: &WriteTarget, candidates: &[Candidate]) -> Vec<LookupPlan> {
    candidates
        .iter()
        .map(|candidate| match candidate.side {
            Side::Referencing => referencing(target, candidate),
            Side::Referenced => referenced(target, candidate),
            Side::Cascaded => LookupPlan::Known(Lookup::Unknown),
        })
        .collect()
}

fn ident(name: &str) -> String {
    let mut out = String::new();
    SqliteDialect.write_ident(&mut out, name);
    out
}

/// The first row of the statement whose values for the foreign key's columns (none NULL)
/// match no row of the referenced table.
fn referencing(target: &WriteTarget, candidate: &Candidate) -> LookupPlan {
    let fk = candidate.foreign_key;
    if fk.columns.iter().any(|c| target.computed.contains(c)) {
        return LookupPlan::Known(Lookup::Unknown);
    }
    let WrittenValues::Rows { columns, values } = &target.values else {
        return LookupPlan::Known(Lookup::Unknown);
    };
    let positions: Option<Vec<usize>> = fk
        .columns
        .iter()
        .map(|c| columns.iter().position(|written| written == c))
        .collect();
    let (Some(positions), width) = (positions, columns.len()) else {
        return LookupPlan::Known(Lookup::Unknown);
    };
    if width == 0 {
        return LookupPlan::Known(Lookup::Unknown);
    }
    // MATCH SIMPLE: a row with a NULL in the key references nothing.
    let rows: Vec<(usize, Vec<&Value>)> = values
        .chunks(width)
        .enumerate()
        .filter_map(|(index, row)| {
            let key: Vec<&Value> = positions.iter().map(|&p| &row[p]).collect();
            (!key.iter().any(|v| v.is_null())).then_some((index, key))
        })
        .collect();
    if rows.is_empty() {
        return LookupPlan::Known(Lookup::Holds);
    }
    let parent = ident(fk.target().name);
    let mut condition = String::new();
    for (i, column) in fk.target_columns().iter().enumerate() {
        if i > 0 {
            condition.push_str(" AND ");
        }
        condition.push_str(&format!(
            "{parent}.{} = \"orm_rows\".column{}",
            ident(column),
            i + 2
        ));
    }
    let per_statement = (MAX_BINDS / positions.len()).max(1);
    let statements = rows
        .chunks(per_statement)
        .map(|chunk| {
            let mut sql = String::from("SELECT \"orm_rows\".column1 FROM (VALUES ");
            let mut binds = Vec::with_capacity(chunk.len() * positions.len());
            for (i, (index, key)) in chunk.iter().enumerate() {
                sql.push_str(if i == 0 { "(" } else { ", (" });
                sql.push_str(&index.to_string());
                for value in key {
                    sql.push_str(", ?");
                    binds.push((*value).clone());
                }
                sql.push(')');
            }
            sql.push_str(&format!(
                ") AS \"orm_rows\" WHERE NOT EXISTS (SELECT 1 FROM {parent} WHERE {condition}) \
                 ORDER BY \"orm_rows\".column1 LIMIT 1"
            ));
            Statement {
                binds,
                read_only: true,
                ..Statement::new(sql)
            }
        })
        .collect();
    LookupPlan::Query(statements)
}

/// Whether a row of the referencing table references a row the statement's filter matches
/// (rows it deletes, or whose referenced columns it changes).
fn referenced(target: &WriteTarget, candidate: &Candidate) -> LookupPlan {
    let fk = candidate.foreign_key;
    let parent = target.table.name;
    let mut matched = SelectStatement::new(
        parent,
        fk.target_columns()
            .iter()
            .map(|name| Expr::Column {
                table: parent,
                name,
            })
            .collect(),
    );
    matched.filter = target.filter.clone();
    let Ok(matched) = orm_core::render::select(&SqliteDialect, &matched) else {
        return LookupPlan::Known(Lookup::Unknown);
    };
    let columns: Vec<String> = fk
        .columns
        .iter()
        .map(|c| format!("\"orm_referencing\".{}", ident(c)))
        .collect();
    let sql = format!(
        "SELECT 0 FROM {} AS \"orm_referencing\" WHERE ({}) IN ({}) LIMIT 1",
        ident(candidate.table.name),
        columns.join(", "),
        matched.sql
    );
    LookupPlan::Query(vec![Statement {
        binds: matched.binds,
        read_only: true,
        ..Statement::new(sql)
    }])
}
