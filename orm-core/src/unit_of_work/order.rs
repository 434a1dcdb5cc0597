//! The order a flush writes in: tables in foreign-key order, and rows in batches that come
//! after the batches of the rows they reference. Pure functions over metadata and values.
//!
//! Tables are sorted so that a table comes after the tables its foreign keys reference
//! (self-references are left to the row batches). When tables reference each other in a
//! cycle, the table met first in the list given (for a session: the model it saw first)
//! goes first.
//!
//! Rows are grouped in batches of one table each, ordered so that every batch comes after
//! the batches holding the rows it references ("parents"): a row goes in the batch of its
//! table in the same round as its latest parent when its table comes after the parent's,
//! and in the next round otherwise (a self-reference, or a table earlier in a cycle). With
//! no self-references and no cycles there is one round, so one batch per table. Rows in a
//! cycle of references among themselves are placed in list order, each after what it
//! references outside the cycle.

use std::collections::{HashMap, VecDeque};

use super::identity::IdentityKey;
use crate::meta::TableMeta;
use crate::value::Value;

/// The position of each of `tables` in foreign-key order (parents first): `positions[i]`
/// is where `tables[i]` goes. See the module documentation for cycles.
pub fn table_positions(tables: &[&'static TableMeta]) -> Vec<usize> {
    let depends = |child: usize, parent: usize| {
        child != parent
            && tables[child]
                .foreign_keys
                .iter()
                .any(|fk| fk.target().name == tables[parent].name)
    };
    let mut positions = vec![usize::MAX; tables.len()];
    for position in 0..tables.len() {
        let unplaced = |i: &usize| positions[*i] == usize::MAX;
        let ready = (0..tables.len())
            .filter(unplaced)
            .find(|&i| (0..tables.len()).filter(unplaced).all(|p| !depends(i, p)));
        // A cycle: the first table left goes next.
        if let Some(next) = ready.or_else(|| (0..tables.len()).find(unplaced)) {
            positions[next] = position;
        }
    }
    positions
}

/// One row to order: the index of its table (in the list [`table_positions`] was given) and
/// the rows (indexes in the same list of rows) it references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowDeps {
    /// Its table.
    pub table: usize,
    /// The rows it references, which must be written before it.
    pub parents: Vec<usize>,
}

/// Rows of one table that can be written together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The table.
    pub table: usize,
    /// The rows, in list order.
    pub rows: Vec<usize>,
}

/// `rows` in batches, parents' batches first (see the module documentation); `positions`
/// are the tables' [`table_positions`].
pub fn batches(positions: &[usize], rows: &[RowDeps]) -> Vec<Batch> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    let mut waiting: Vec<usize> = vec![0; rows.len()];
    for (child, row) in rows.iter().enumerate() {
        for &parent in &row.parents {
            if parent != child && parent < rows.len() {
                children[parent].push(child);
                waiting[child] += 1;
            }
        }
    }
    let mut round: Vec<Option<usize>> = vec![None; rows.len()];
    let mut queue: VecDeque<usize> = (0..rows.len()).filter(|&i| waiting[i] == 0).collect();
    let mut next_unplaced = 0;
    loop {
        while let Some(row) = queue.pop_front() {
            let position = positions[rows[row].table];
            let placed = rows[row]
                .parents
                .iter()
                .filter_map(|&p| Some((p, round.get(p).copied().flatten()?)))
                .filter(|&(p, _)| p != row)
                .map(|(p, r)| r + usize::from(positions[rows[p].table] >= position))
                .max()
                .unwrap_or(0);
            round[row] = Some(placed);
            for &child in &children[row] {
                // A row released from a cycle is already placed or queued (waiting 0).
                if round[child].is_none() && waiting[child] > 0 {
                    waiting[child] -= 1;
                    if waiting[child] == 0 {
                        queue.push_back(child);
                    }
                }
            }
        }
        // Rows left wait on each other (a cycle): release the first of them.
        while next_unplaced < rows.len() && round[next_unplaced].is_some() {
            next_unplaced += 1;
        }
        if next_unplaced == rows.len() {
            break;
        }
        waiting[next_unplaced] = 0;
        queue.push_back(next_unplaced);
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let place = |i: usize| (round[i].unwrap_or(0), positions[rows[i].table]);
    order.sort_by_key(|&i| (place(i), i));
    let mut out: Vec<Batch> = Vec::new();
    for (i, row) in order.into_iter().enumerate() {
        let same = i > 0
            && out
                .last()
                .and_then(|batch| batch.rows.last())
                .is_some_and(|&last| place(last) == place(row));
        match out.last_mut() {
            Some(batch) if same => batch.rows.push(row),
            _ => out.push(Batch {
                table: rows[row].table,
                rows: vec![row],
            }),
        }
    }
    out
}

/// One row's column values, for finding the rows it references by value.
#[derive(Debug, Clone, Copy)]
pub struct RowValues<'a> {
    /// Its table (an index into the tables given to [`references`]).
    pub table: usize,
    /// The columns `values` are for.
    pub columns: &'a [&'static str],
    /// The values.
    pub values: &'a [Value],
}

impl RowValues<'_> {
    /// The key made of this row's values of `columns`; `None` when one is missing or NULL.
    fn key(&self, columns: &[&'static str]) -> Option<IdentityKey> {
        let positions = columns
            .iter()
            .map(|c| self.columns.iter().position(|own| own == c))
            .collect::<Option<Vec<usize>>>()?;
        Some(IdentityKey::at(self.values, &positions)).filter(|key| !key.has_null())
    }
}

/// For each of `rows`, the other rows its foreign-key values point at (the rows whose
/// referenced columns hold those values), as [`RowDeps`].
pub fn references(tables: &[&'static TableMeta], rows: &[RowValues<'_>]) -> Vec<RowDeps> {
    // (target table, referenced columns) -> referenced values -> row.
    type Lookup = HashMap<IdentityKey, usize>;
    let mut lookups: HashMap<(usize, &'static [&'static str]), Lookup> = HashMap::new();
    let mut out: Vec<RowDeps> = rows
        .iter()
        .map(|row| RowDeps {
            table: row.table,
            parents: Vec::new(),
        })
        .collect();
    for (index, row) in rows.iter().enumerate() {
        for fk in tables[row.table].foreign_keys {
            let Some(values) = row.key(fk.columns) else {
                continue;
            };
            let target_name = fk.target().name;
            let target_columns = fk.target_columns();
            for (target, meta) in tables.iter().enumerate() {
                if meta.name != target_name {
                    continue;
                }
                let lookup = lookups.entry((target, target_columns)).or_insert_with(|| {
                    rows.iter()
                        .enumerate()
                        .filter(|(_, r)| r.table == target)
                        .filter_map(|(i, r)| Some((r.key(target_columns)?, i)))
                        .collect()
                });
                if let Some(&parent) = lookup.get(&values)
                    && parent != index
                {
                    out[index].parents.push(parent);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{ColumnMeta, ForeignKeyMeta, Generated, ReferentialAction};
    use crate::value::SqlType;

    const fn column(name: &'static str) -> ColumnMeta {
        ColumnMeta {
            name,
            field: name,
            ty: SqlType::BigInt,
            nullable: true,
            primary_key: false,
            unique: None,
            generated: Generated::No,
            default: None,
            auto_timestamp: crate::meta::AutoTimestamp::No,
            values: &[],
            rules: &[],
        }
    }

    const fn fk(column: &'static [&'static str], to: fn() -> &'static TableMeta) -> ForeignKeyMeta {
        ForeignKeyMeta {
            name: "fk",
            columns: column,
            references: to,
            referenced_columns: &[],
            on_delete: ReferentialAction::NoAction,
            on_update: ReferentialAction::NoAction,
            on_delete_declared: false,
        }
    }

    const fn table(
        name: &'static str,
        columns: &'static [ColumnMeta],
        foreign_keys: &'static [ForeignKeyMeta],
    ) -> TableMeta {
        TableMeta {
            columns,
            primary_key: &["id"],
            primary_key_name: "pk",
            foreign_keys,
            ..TableMeta::empty("Row", name)
        }
    }

    static USERS: TableMeta = table("users", &[column("id")], &[]);
    static POSTS: TableMeta = table(
        "posts",
        &[column("id"), column("user_id")],
        &[fk(&["user_id"], || &USERS)],
    );
    static COMMENTS: TableMeta = table(
        "comments",
        &[column("id"), column("post_id")],
        &[fk(&["post_id"], || &POSTS)],
    );
    /// Self-referencing: an employee's manager.
    static EMPLOYEES: TableMeta = table(
        "employees",
        &[column("id"), column("manager_id")],
        &[fk(&["manager_id"], || &EMPLOYEES)],
    );
    /// A cycle: a references b, b references a.
    static A: TableMeta = table(
        "a",
        &[column("id"), column("b_id")],
        &[fk(&["b_id"], || &B)],
    );
    static B: TableMeta = table(
        "b",
        &[column("id"), column("a_id")],
        &[fk(&["a_id"], || &A)],
    );

    fn row(table: usize, parents: &[usize]) -> RowDeps {
        RowDeps {
            table,
            parents: parents.to_vec(),
        }
    }

    #[test]
    fn tables_come_after_the_tables_they_reference() {
        // Given children first, unrelated tables kept in list order.
        let positions = table_positions(&[&COMMENTS, &EMPLOYEES, &POSTS, &USERS]);
        assert_eq!(positions, [3, 0, 2, 1]);
        assert_eq!(table_positions(&[&USERS, &POSTS]), [0, 1]);
        assert_eq!(table_positions(&[]), Vec::<usize>::new());
    }

    #[test]
    fn a_cycle_between_tables_keeps_list_order() {
        // posts (its users are not in the list) and comments first, then b before a.
        assert_eq!(table_positions(&[&B, &A, &COMMENTS, &POSTS]), [2, 3, 1, 0]);
        assert_eq!(table_positions(&[&A, &B]), [0, 1]);
    }

    #[test]
    fn one_batch_per_table_without_self_references() {
        // users 0, 1; posts 2 (of 0), 3 (of 1); comments 4 (of 2), 5 (of 3); listed mixed.
        let positions = table_positions(&[&COMMENTS, &USERS, &POSTS]);
        let rows = [
            row(0, &[4]),
            row(1, &[]),
            row(2, &[1]),
            row(0, &[2]),
            row(2, &[5]),
            row(1, &[]),
        ];
        let batches = batches(&positions, &rows);
        assert_eq!(
            batches,
            [
                Batch {
                    table: 1,
                    rows: vec![1, 5]
                },
                Batch {
                    table: 2,
                    rows: vec![2, 4]
                },
                Batch {
                    table: 0,
                    rows: vec![0, 3]
                },
            ]
        );
    }

    #[test]
    fn self_references_take_a_round_per_level() {
        // A chain 0 <- 1 <- 2 of employees, 3 with no manager, and a user 4 listed last.
        let positions = table_positions(&[&EMPLOYEES, &USERS]);
        let rows = [
            row(0, &[]),
            row(0, &[0]),
            row(0, &[1]),
            row(0, &[]),
            row(1, &[]),
        ];
        assert_eq!(
            batches(&positions, &rows),
            [
                Batch {
                    table: 0,
                    rows: vec![0, 3]
                },
                Batch {
                    table: 1,
                    rows: vec![4]
                },
                Batch {
                    table: 0,
                    rows: vec![1]
                },
                Batch {
                    table: 0,
                    rows: vec![2]
                },
            ]
        );
    }

    #[test]
    fn rows_across_a_table_cycle_come_after_their_parents() {
        let positions = table_positions(&[&A, &B]);
        // b row 0; a row 1 references it (a comes before b, so a later round); b row 2
        // references a row 1.
        let rows = [row(1, &[]), row(0, &[0]), row(1, &[1])];
        let order: Vec<Vec<usize>> = batches(&positions, &rows)
            .into_iter()
            .map(|b| b.rows)
            .collect();
        assert_eq!(order, [vec![0], vec![1], vec![2]]);
    }

    #[test]
    fn a_cycle_of_rows_is_broken_in_list_order() {
        let positions = table_positions(&[&EMPLOYEES]);
        // 0 and 1 reference each other; 2 references 1; a self-reference of 3 is ignored.
        // 0 is released first (list order), then 1 after it and 2 after 1.
        let rows = [row(0, &[1]), row(0, &[0]), row(0, &[1]), row(0, &[3])];
        let order: Vec<Vec<usize>> = batches(&positions, &rows)
            .into_iter()
            .map(|b| b.rows)
            .collect();
        assert_eq!(order, [vec![0, 3], vec![1], vec![2]]);
    }

    #[test]
    fn references_follow_foreign_key_values() {
        let tables = [&USERS, &POSTS, &EMPLOYEES];
        let int = |i: i64| Value::I64(Some(i));
        let users = [[int(1)], [int(2)]];
        let posts = [
            [int(10), int(2)],
            [int(11), Value::I64(None)],
            [int(12), int(3)],
        ];
        let employees = [
            [int(1), int(2)],
            [int(2), Value::I64(None)],
            [int(3), int(3)],
        ];
        let mut rows = Vec::new();
        for values in &users {
            rows.push(RowValues {
                table: 0,
                columns: &["id"],
                values,
            });
        }
        for values in &posts {
            rows.push(RowValues {
                table: 1,
                columns: &["id", "user_id"],
                values,
            });
        }
        for values in &employees {
            rows.push(RowValues {
                table: 2,
                columns: &["id", "manager_id"],
                values,
            });
        }
        let parents: Vec<Vec<usize>> = references(&tables, &rows)
            .into_iter()
            .map(|r| r.parents)
            .collect();
        assert_eq!(
            parents,
            [
                vec![],
                vec![],
                vec![1], // post 10 -> user 2
                vec![],  // NULL references nothing
                vec![],  // user 3 is not among the rows
                vec![6], // employee 1 -> employee 2
                vec![],
                vec![], // a row referencing itself
            ]
        );
    }

    #[test]
    fn references_need_every_referenced_column() {
        let tables = [&USERS, &POSTS];
        let values = [Value::I64(Some(1))];
        let rows = [
            RowValues {
                table: 0,
                columns: &["id"],
                values: &values,
            },
            // The post's values lack user_id.
            RowValues {
                table: 1,
                columns: &["id"],
                values: &values,
            },
        ];
        assert!(
            references(&tables, &rows)
                .iter()
                .all(|r| r.parents.is_empty())
        );
    }
}
