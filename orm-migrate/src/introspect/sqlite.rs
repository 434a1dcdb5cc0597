//! SQLite: the `pragma_*` table-valued functions, and the stored `CREATE` text for what no
//! pragma tells (check constraints, index conditions and expression keys, AUTOINCREMENT).

use orm_core::Executor;
use orm_core::error::Result;
use orm_core::meta::ReferentialAction;
use orm_core::raw;
use orm_core::schema_def::{CheckDef, ColumnDef, ForeignKeyDef, IndexDef, KeyDef, TableDef};

use super::sql_text::{
    find_top_level_keyword, first_word, parenthesised, split_top_level, starts_with_keyword,
    unquote,
};
use super::{parse_default, parse_type};
use crate::render::REBUILD_PREFIX;
use crate::snapshot::Snapshot;

pub(super) async fn introspect(db: impl Executor) -> Result<Snapshot> {
    let tables: Vec<(String, Option<String>)> =
        raw("SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        .fetch_as(db)
        .await?;
    let mut snapshot = Snapshot::default();
    for (name, sql) in tables {
        if name.starts_with(REBUILD_PREFIX) {
            continue;
        }
        snapshot
            .tables
            .push(table(db, name, sql.unwrap_or_default()).await?);
    }
    // A foreign key without referenced columns references the target's primary key.
    let keys: Vec<(String, Vec<String>)> = snapshot
        .tables
        .iter()
        .filter_map(|t| {
            t.primary_key
                .as_ref()
                .map(|k| (t.name.clone(), k.columns.clone()))
        })
        .collect();
    for table in &mut snapshot.tables {
        for fk in &mut table.foreign_keys {
            if fk.referenced_columns.iter().all(String::is_empty)
                && let Some((_, key)) = keys.iter().find(|(t, _)| *t == fk.references)
            {
                fk.referenced_columns = key.clone();
            }
        }
    }
    Ok(snapshot)
}

async fn table(db: impl Executor, name: String, sql: String) -> Result<TableDef> {
    let dialect = db.dialect();
    let columns: Vec<(String, String, i64, Option<String>, i64)> = raw(
        "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
    )
    .bind(name.as_str())
    .fetch_as(db)
    .await?;
    let items = parenthesised(&sql, 0)
        .map(|(body, _)| split_top_level(body))
        .unwrap_or_default();
    // AUTOINCREMENT is a keyword of a column's definition, outside its quotes and
    // parentheses (not a word inside a string or a CHECK).
    let autoincrement = items
        .iter()
        .any(|item| find_top_level_keyword(item, "AUTOINCREMENT").is_some());
    let mut key: Vec<(i64, String)> = columns
        .iter()
        .filter(|c| c.4 > 0)
        .map(|c| (c.4, c.0.clone()))
        .collect();
    key.sort();
    let mut defs = Vec::with_capacity(columns.len());
    for (column, declared, not_null, default, pk) in &columns {
        let ty = parse_type(declared);
        let identity = autoincrement && *pk > 0 && key.len() == 1;
        defs.push(ColumnDef {
            name: column.clone(),
            default: default
                .as_deref()
                .and_then(|d| parse_default(dialect, d, &ty)),
            ty,
            nullable: *not_null == 0 && *pk == 0,
            identity,
        });
    }

    /// id, seq, target table, from, to (NULL: the target's key), on_update, on_delete.
    type ForeignKeyRow = (i64, i64, String, String, Option<String>, String, String);
    let fk_rows: Vec<ForeignKeyRow> = raw(
        "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete \
         FROM pragma_foreign_key_list(?) ORDER BY id, seq",
    )
    .bind(name.as_str())
    .fetch_as(db)
    .await?;
    let mut foreign_keys: Vec<(i64, ForeignKeyDef)> = Vec::new();
    for (id, _seq, target, from, to, on_update, on_delete) in fk_rows {
        match foreign_keys.iter_mut().find(|(i, _)| *i == id) {
            Some((_, fk)) => {
                fk.columns.push(from);
                fk.referenced_columns.push(to.unwrap_or_default());
            }
            None => foreign_keys.push((
                id,
                ForeignKeyDef {
                    name: None,
                    columns: vec![from],
                    references: target,
                    referenced_columns: vec![to.unwrap_or_default()],
                    on_delete: action(&on_delete),
                    on_update: action(&on_update),
                },
            )),
        }
    }
    // pragma_foreign_key_list lists the last declared key first.
    foreign_keys.sort_by_key(|(id, _)| std::cmp::Reverse(*id));

    let index_rows: Vec<(String, i64, String)> =
        raw("SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY seq")
            .bind(name.as_str())
            .fetch_as(db)
            .await?;
    let mut uniques = Vec::new();
    let mut indexes = Vec::new();
    for (index, unique, origin) in index_rows.into_iter().rev() {
        match origin.as_str() {
            "u" => {
                let columns: Vec<(String,)> =
                    raw("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                        .bind(index.as_str())
                        .fetch_as(db)
                        .await?;
                uniques.push(KeyDef {
                    name: None,
                    columns: columns.into_iter().map(|(c,)| c).collect(),
                });
            }
            "c" => {
                let text: Option<(Option<String>,)> =
                    raw("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
                        .bind(index.as_str())
                        .fetch_optional(db)
                        .await?;
                let text = text.and_then(|(sql,)| sql).unwrap_or_default();
                indexes.push(index_from_sql(index, unique != 0, &text));
            }
            _ => {}
        }
    }
    uniques.sort_by_key(|u| unique_position(&items, &u.columns));
    for unique in &mut uniques {
        unique.name = constraint_name_of(&items, "UNIQUE", &unique.columns);
    }
    Ok(TableDef {
        primary_key: (!key.is_empty()).then(|| KeyDef {
            name: constraint_name_of(&items, "PRIMARY", &[]),
            columns: key.into_iter().map(|(_, c)| c).collect(),
        }),
        name,
        columns: defs,
        uniques,
        foreign_keys: foreign_keys
            .into_iter()
            .map(|(_, mut fk)| {
                fk.name = constraint_name_of(&items, "FOREIGN", &fk.columns);
                fk
            })
            .collect(),
        checks: checks(&items),
        indexes,
    })
}

fn action(text: &str) -> ReferentialAction {
    match text.to_ascii_uppercase().as_str() {
        "CASCADE" => ReferentialAction::Cascade,
        "RESTRICT" => ReferentialAction::Restrict,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// A table constraint item split into its name (if `CONSTRAINT name` leads it) and the rest.
fn constraint_item(item: &str) -> (Option<String>, &str) {
    if starts_with_keyword(item, "CONSTRAINT") {
        let (name, rest) = first_word(&item.trim_start()["CONSTRAINT".len()..]);
        (Some(unquote(name)), rest.trim_start())
    } else {
        (None, item.trim_start())
    }
}

/// The columns a `PRIMARY KEY (..)`, `UNIQUE (..)` or `FOREIGN KEY (..)` item lists.
fn item_columns(body: &str) -> Vec<String> {
    parenthesised(body, 0)
        .map(|(list, _)| {
            split_top_level(list)
                .iter()
                .map(|c| unquote(first_word(c).0))
                .collect()
        })
        .unwrap_or_default()
}

/// The name of the table constraint of `kind` over `columns` (any columns when empty).
fn constraint_name_of(items: &[String], kind: &str, columns: &[String]) -> Option<String> {
    items.iter().find_map(|item| {
        let (name, rest) = constraint_item(item);
        (starts_with_keyword(rest, kind) && (columns.is_empty() || item_columns(rest) == columns))
            .then_some(name)
            .flatten()
    })
}

fn unique_position(items: &[String], columns: &[String]) -> usize {
    items
        .iter()
        .position(|item| {
            let (_, rest) = constraint_item(item);
            starts_with_keyword(rest, "UNIQUE") && item_columns(rest) == columns
        })
        .unwrap_or(usize::MAX)
}

/// The CHECK constraints among a table's items (table constraints; an unnamed one is named
/// after its position).
fn checks(items: &[String]) -> Vec<CheckDef> {
    let mut checks = Vec::new();
    for item in items {
        let (name, rest) = constraint_item(item);
        if !starts_with_keyword(rest, "CHECK") {
            continue;
        }
        let Some((expr, _)) = parenthesised(rest, 0) else {
            continue;
        };
        checks.push(CheckDef {
            name: name.unwrap_or_else(|| format!("check_{}", checks.len() + 1)),
            sql: Some(expr.trim().to_owned()),
            sqlite: None,
            postgresql: None,
            native_enum: None,
        });
    }
    checks
}

/// An index from its `CREATE INDEX` text: keys (columns, or expressions in parentheses) and
/// the condition of a partial index.
fn index_from_sql(name: String, unique: bool, sql: &str) -> IndexDef {
    let on = find_top_level_keyword(sql, "ON").unwrap_or(0);
    let (keys, after) = parenthesised(sql, on).unwrap_or(("", ""));
    let columns = split_top_level(keys)
        .iter()
        .map(|key| {
            let (key, order) = orm_core::ddl::split_key_order(key);
            let (word, rest) = first_word(key);
            let body = if rest.trim().is_empty() && !word.contains('(') {
                unquote(word)
            } else if key.starts_with('(') {
                key.to_owned()
            } else {
                format!("({key})")
            };
            match order {
                Some("DESC") => format!("{body} DESC"),
                _ => body,
            }
        })
        .collect();
    let predicate = find_top_level_keyword(after, "WHERE")
        .map(|at| after[at + "WHERE".len()..].trim().to_owned());
    IndexDef {
        name,
        columns,
        unique,
        predicate,
        ..Default::default()
    }
}
