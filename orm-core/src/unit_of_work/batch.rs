//! Multi-row inserts of pending rows, and matching the rows they return to the rows given.
//! Pure functions: statements are built here and run by the flush.
//!
//! `RETURNING` does not promise an order (SQLite documents it as arbitrary), so returned rows
//! are matched without relying on it:
//! - when every key column is inserted (client-generated UUID keys, natural keys, keys given
//!   with `with_key`), by key;
//! - when the database generates the single integer key, by sorting the returned rows by key:
//!   identity / autoincrement values are assigned in `VALUES` order within one statement on
//!   both backends, so the smallest key belongs to the first row given;
//! - otherwise (a key from a `server_default`), each row is inserted by a statement of its own.

use std::collections::HashMap;
use std::ops::Range;

use super::identity::IdentityKey;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::meta::TableMeta;
use crate::render;
use crate::statement::{InsertStatement, Statement, WriteTarget};
use crate::value::Value;

/// How the rows an insert returns are matched to the rows it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matching {
    /// By key: every key column is inserted; these are their positions among the inserted
    /// columns, in primary-key order.
    ByKey(Vec<usize>),
    /// By order of the database-generated integer key.
    ByGeneratedKey,
    /// One row per statement.
    OneRow,
}

impl Matching {
    /// How rows inserted into `columns` of `table` are matched.
    pub fn of(table: &TableMeta, columns: &[&'static str]) -> Matching {
        let positions = table
            .primary_key
            .iter()
            .map(|key| columns.iter().position(|c| c == key))
            .collect::<Option<Vec<usize>>>();
        match (positions, table.database_generated_key()) {
            (Some(positions), _) if !positions.is_empty() => Matching::ByKey(positions),
            (_, Some(key)) if table.primary_key == [key.name] => Matching::ByGeneratedKey,
            _ => Matching::OneRow,
        }
    }

    /// How many rows of `width` values one statement takes under `max_binds`.
    pub fn rows_per_statement(&self, max_binds: usize, width: usize) -> usize {
        match (self, width) {
            // No column: each row is its own `INSERT .. DEFAULT VALUES`.
            (Matching::OneRow, _) | (_, 0) => 1,
            _ => (max_binds / width).max(1),
        }
    }
}

/// One multi-row `INSERT` and the rows (indexes into the rows given) it inserts.
#[derive(Debug, Clone)]
pub struct InsertChunk {
    /// `INSERT INTO table (columns) VALUES (..), (..) RETURNING returning`.
    pub statement: Statement,
    /// The rows it holds.
    pub rows: Range<usize>,
}

/// The statements inserting `rows` (each a value per column of `columns`) into `table`,
/// returning `returning` (the model's columns), chunked under the dialect's bind limit and
/// as `matching` needs.
pub fn insert_chunks(
    dialect: &dyn Dialect,
    table: &'static TableMeta,
    columns: &[&'static str],
    rows: &[Vec<Value>],
    returning: &[Expr],
) -> Result<Vec<InsertChunk>> {
    let per_statement = Matching::of(table, columns)
        .rows_per_statement(dialect.capabilities().max_binds, columns.len());
    let mut out = Vec::with_capacity(rows.len().div_ceil(per_statement));
    for start in (0..rows.len()).step_by(per_statement) {
        let end = (start + per_statement).min(rows.len());
        let values: Vec<Value> = rows[start..end].iter().flatten().cloned().collect();
        let statement = render::insert(
            dialect,
            InsertStatement {
                returning: returning.to_vec(),
                ..InsertStatement::new(table.name, columns.to_vec(), values)
            },
        )?
        .writing(WriteTarget::insert(table, columns, end - start, &[]));
        out.push(InsertChunk {
            statement,
            rows: start..end,
        });
    }
    Ok(out)
}

fn unmatched(table: &TableMeta, what: impl std::fmt::Display) -> Error {
    Error::InvalidStatement {
        message: format!(
            "insert into `{}`: the rows it returned could not be matched to the rows given \
             ({what})",
            table.name
        ),
    }
}

/// For each of `given` (the inserted rows' values), the index of its row in `returned`
/// (each returned row's [`crate::Model::key_values`]).
pub fn correlate(
    table: &TableMeta,
    matching: &Matching,
    given: &[Vec<Value>],
    returned: &[Vec<Value>],
) -> Result<Vec<usize>> {
    if given.len() != returned.len() {
        return Err(unmatched(
            table,
            format!("{} given, {} returned", given.len(), returned.len()),
        ));
    }
    match matching {
        Matching::OneRow => Ok((0..given.len()).collect()),
        Matching::ByGeneratedKey => {
            let mut keyed = returned
                .iter()
                .enumerate()
                .map(|(i, key)| Some((IdentityKey::new(key).as_integer()?, i)))
                .collect::<Option<Vec<(i64, usize)>>>()
                .ok_or_else(|| unmatched(table, "a returned key is not an integer"))?;
            keyed.sort_unstable();
            if keyed.windows(2).any(|pair| pair[0].0 == pair[1].0) {
                return Err(unmatched(table, "two returned rows have the same key"));
            }
            Ok(keyed.into_iter().map(|(_, i)| i).collect())
        }
        Matching::ByKey(positions) => {
            let mut by_key: HashMap<IdentityKey, usize> = returned
                .iter()
                .enumerate()
                .map(|(i, key)| (IdentityKey::new(key), i))
                .collect();
            given
                .iter()
                .map(|row| {
                    by_key
                        .remove(&IdentityKey::at(row, positions))
                        .ok_or_else(|| unmatched(table, "a given key was not returned"))
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{AutoTimestamp, ColumnMeta, Generated};
    use crate::value::SqlType;

    const fn column(name: &'static str, primary_key: bool, generated: Generated) -> ColumnMeta {
        ColumnMeta {
            name,
            field: name,
            ty: SqlType::BigInt,
            nullable: false,
            primary_key,
            unique: None,
            generated,
            default: None,
            auto_timestamp: AutoTimestamp::No,
            values: &[],
            rules: &[],
        }
    }

    const fn table(
        columns: &'static [ColumnMeta],
        primary_key: &'static [&'static str],
    ) -> TableMeta {
        TableMeta {
            columns,
            primary_key,
            primary_key_name: "t_pkey",
            ..TableMeta::empty("T", "t")
        }
    }

    static GENERATED: TableMeta = table(
        &[
            column("id", true, Generated::AutoIncrement),
            column("a", false, Generated::No),
        ],
        &["id"],
    );
    static COMPOSITE: TableMeta = table(
        &[
            column("a", true, Generated::No),
            column("b", true, Generated::No),
        ],
        &["b", "a"],
    );
    static SERVER_KEY: TableMeta = table(
        &[
            column("id", true, Generated::ServerDefault),
            column("a", false, Generated::No),
        ],
        &["id"],
    );

    fn int(i: i64) -> Value {
        Value::I64(Some(i))
    }

    #[test]
    fn matching_follows_which_key_columns_are_inserted() {
        assert_eq!(Matching::of(&GENERATED, &["a"]), Matching::ByGeneratedKey);
        assert_eq!(
            Matching::of(&GENERATED, &["id", "a"]),
            Matching::ByKey(vec![0])
        );
        // Primary-key order, not column order.
        assert_eq!(
            Matching::of(&COMPOSITE, &["a", "b"]),
            Matching::ByKey(vec![1, 0])
        );
        assert_eq!(Matching::of(&COMPOSITE, &["a"]), Matching::OneRow);
        assert_eq!(Matching::of(&SERVER_KEY, &["a"]), Matching::OneRow);
    }

    #[test]
    fn rows_per_statement_stay_under_the_bind_limit() {
        let by_key = Matching::ByGeneratedKey;
        assert_eq!(by_key.rows_per_statement(32_766, 3), 10_922);
        assert!(by_key.rows_per_statement(32_766, 3) * 3 <= 32_766);
        assert_eq!(
            by_key.rows_per_statement(2, 3),
            1,
            "a row too wide still goes alone"
        );
        assert_eq!(by_key.rows_per_statement(100, 0), 1);
        assert_eq!(Matching::OneRow.rows_per_statement(100, 2), 1);
    }

    #[test]
    fn generated_keys_match_in_ascending_order_whatever_the_returned_order() {
        let given = vec![vec![int(0)], vec![int(0)], vec![int(0)]];
        // Returned out of order: keys 12, 10, 11.
        let returned = vec![vec![int(12)], vec![int(10)], vec![int(11)]];
        let order = correlate(&GENERATED, &Matching::ByGeneratedKey, &given, &returned).unwrap();
        assert_eq!(order, [1, 2, 0]);
    }

    #[test]
    fn given_keys_match_by_value() {
        let given = vec![vec![int(1), int(20)], vec![int(2), int(10)]];
        // COMPOSITE's key is (b, a): the returned keys are in that order.
        let returned = vec![vec![int(10), int(2)], vec![int(20), int(1)]];
        let matching = Matching::of(&COMPOSITE, &["a", "b"]);
        assert_eq!(
            correlate(&COMPOSITE, &matching, &given, &returned).unwrap(),
            [1, 0]
        );
        // Integers of another width are the same key.
        let narrow = vec![
            vec![Value::I32(Some(20)), int(1)],
            vec![int(10), Value::I16(Some(2))],
        ];
        assert_eq!(
            correlate(&COMPOSITE, &matching, &given, &narrow).unwrap(),
            [0, 1]
        );
    }

    #[test]
    fn rows_that_do_not_match_are_an_error() {
        let given = vec![vec![int(1), int(1)], vec![int(2), int(2)]];
        let matching = Matching::of(&COMPOSITE, &["a", "b"]);
        let missing = vec![vec![int(1), int(1)], vec![int(3), int(3)]];
        let error = correlate(&COMPOSITE, &matching, &given, &missing).unwrap_err();
        assert!(
            error.to_string().contains("a given key was not returned"),
            "{error}"
        );
        let short = vec![vec![int(1), int(1)]];
        assert!(correlate(&COMPOSITE, &matching, &given, &short).is_err());
        let twice = vec![vec![int(5)], vec![int(5)]];
        assert!(correlate(&GENERATED, &Matching::ByGeneratedKey, &given, &twice).is_err());
        let text = vec![vec![Value::String(Some("5".into()))], vec![int(6)]];
        assert!(correlate(&GENERATED, &Matching::ByGeneratedKey, &given, &text).is_err());
    }
}
