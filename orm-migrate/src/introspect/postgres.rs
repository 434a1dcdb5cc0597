//! PostgreSQL: the catalogs of the current schema, three statements for the whole database.

use orm_core::Executor;
use orm_core::error::{Error, Result};
use orm_core::meta::ReferentialAction;
use orm_core::raw;
use orm_core::schema_def::{
    CheckDef, ColumnDef, ColumnType, EnumDef, ForeignKeyDef, IndexDef, KeyDef, TableDef,
    values_check,
};

use super::{parse_default, parse_type};
use crate::snapshot::Snapshot;

const COLUMNS: &str = "\
SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
       pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, t.typname::text, \
       (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)::text FROM pg_enum e \
        WHERE e.enumtypid = t.oid) \
FROM pg_class c \
JOIN pg_namespace n ON n.oid = c.relnamespace \
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
JOIN pg_type t ON t.oid = a.atttypid \
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') \
ORDER BY c.relname, a.attnum";

/// Columns as JSON arrays of names, in key order.
const CONSTRAINTS: &str = "\
SELECT c.relname::text, con.conname::text, con.contype::text, pg_get_constraintdef(con.oid), \
       (SELECT json_agg(a.attname ORDER BY k.ord)::text FROM unnest(con.conkey) \
          WITH ORDINALITY AS k(num, ord) \
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num), \
       f.relname::text, \
       (SELECT json_agg(a.attname ORDER BY k.ord)::text FROM unnest(con.confkey) \
          WITH ORDINALITY AS k(num, ord) \
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num), \
       con.confdeltype::text || con.confupdtype::text \
FROM pg_constraint con \
JOIN pg_class c ON c.oid = con.conrelid \
JOIN pg_namespace n ON n.oid = c.relnamespace \
LEFT JOIN pg_class f ON f.oid = con.confrelid \
WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'f', 'c') \
ORDER BY c.relname, con.contype, con.conname";

/// Indexes that back no constraint; keys as a JSON array of column names or `(expression)`.
const INDEXES: &str = "\
SELECT t.relname::text, i.relname::text, ix.indisunique, pg_get_expr(ix.indpred, ix.indrelid), \
       (SELECT json_agg(CASE WHEN ix.indkey[k - 1] = 0 \
            THEN '(' || pg_get_indexdef(ix.indexrelid, k, true) || ')' \
            ELSE (SELECT a.attname::text FROM pg_attribute a \
                  WHERE a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k - 1]) END \
            || CASE WHEN (ix.indoption[k - 1] & 1) = 1 THEN ' DESC' ELSE '' END \
          ORDER BY k)::text \
        FROM generate_series(1, ix.indnkeyatts) AS k), \
       (SELECT json_agg(a.attname ORDER BY k)::text \
        FROM generate_series(ix.indnkeyatts + 1, ix.indnatts) AS k \
        JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k - 1]), \
       am.amname::text \
FROM pg_index ix \
JOIN pg_class i ON i.oid = ix.indexrelid \
JOIN pg_am am ON am.oid = i.relam \
JOIN pg_class t ON t.oid = ix.indrelid \
JOIN pg_namespace n ON n.oid = t.relnamespace \
WHERE n.nspname = current_schema() \
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid \
                  AND con.contype IN ('p', 'u', 'x')) \
ORDER BY t.relname, i.relname";

fn names(json: Option<String>) -> Result<Vec<String>> {
    match json {
        None => Ok(Vec::new()),
        Some(text) => serde_json::from_str(&text).map_err(|e| Error::InvalidSchema {
            message: format!("unreadable column list from the catalog: {e}"),
        }),
    }
}

fn action(code: Option<char>) -> ReferentialAction {
    match code {
        Some('r') => ReferentialAction::Restrict,
        Some('c') => ReferentialAction::Cascade,
        Some('n') => ReferentialAction::SetNull,
        Some('d') => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

pub(super) async fn introspect(db: impl Executor) -> Result<Snapshot> {
    let dialect = db.dialect();
    let mut snapshot = Snapshot::default();
    /// Table, column, type, NOT NULL, default, identity, type name, an enum's labels.
    type ColumnRow = (
        String,
        String,
        String,
        bool,
        Option<String>,
        String,
        String,
        Option<String>,
    );
    let rows: Vec<ColumnRow> = raw(COLUMNS).fetch_as(db).await?;
    for (table, column, ty, not_null, default, identity, type_name, labels) in rows {
        if snapshot.tables.last().is_none_or(|t| t.name != table) {
            snapshot.tables.push(TableDef {
                name: table,
                columns: Vec::new(),
                primary_key: None,
                uniques: Vec::new(),
                foreign_keys: Vec::new(),
                checks: Vec::new(),
                indexes: Vec::new(),
            });
        }
        let ty = match labels {
            Some(labels) => ColumnType::Enum(EnumDef {
                name: type_name,
                values: names(Some(labels))?,
            }),
            None => parse_type(&ty),
        };
        let def = ColumnDef {
            name: column,
            default: default
                .as_deref()
                .and_then(|d| parse_default(dialect, d, &ty)),
            ty,
            nullable: !not_null,
            identity: !identity.is_empty(),
        };
        if let Some(t) = snapshot.tables.last_mut() {
            // The check a native enum column has where the enum is text (SQLite): here the
            // type keeps the labels, and stands for it.
            if let ColumnType::Enum(native) = &def.ty {
                let labels: Vec<&str> = native.values.iter().map(String::as_str).collect();
                t.checks.push(CheckDef {
                    native_enum: Some(native.name.clone()),
                    ..values_check(&t.name, &def.name, &labels)
                });
            }
            t.columns.push(def);
        }
    }

    type ConstraintRow = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<ConstraintRow> = raw(CONSTRAINTS).fetch_as(db).await?;
    for (table, name, kind, definition, columns, target, target_columns, actions) in rows {
        let Some(t) = snapshot.tables.iter_mut().find(|t| t.name == table) else {
            continue;
        };
        let columns = names(columns)?;
        match kind.as_str() {
            "p" => {
                t.primary_key = Some(KeyDef {
                    name: Some(name),
                    columns,
                });
            }
            "u" => t.uniques.push(KeyDef {
                name: Some(name),
                columns,
            }),
            "f" => {
                let actions = actions.unwrap_or_default();
                let mut actions = actions.chars();
                let (on_delete, on_update) = (action(actions.next()), action(actions.next()));
                t.foreign_keys.push(ForeignKeyDef {
                    name: Some(name),
                    columns,
                    references: target.unwrap_or_default(),
                    referenced_columns: names(target_columns)?,
                    on_delete,
                    on_update,
                });
            }
            _ => {
                let expr = definition
                    .trim()
                    .strip_prefix("CHECK")
                    .unwrap_or(&definition)
                    .trim()
                    .trim_end_matches(" NOT VALID");
                let expr = expr
                    .strip_prefix('(')
                    .and_then(|e| e.strip_suffix(')'))
                    .unwrap_or(expr);
                t.checks.push(CheckDef {
                    name,
                    sql: Some(expr.to_owned()),
                    sqlite: None,
                    postgresql: None,
                    native_enum: None,
                });
            }
        }
    }

    type IndexRow = (
        String,
        String,
        bool,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    );
    let rows: Vec<IndexRow> = raw(INDEXES).fetch_as(db).await?;
    for (table, name, unique, predicate, keys, include, method) in rows {
        if let Some(t) = snapshot.tables.iter_mut().find(|t| t.name == table) {
            t.indexes.push(IndexDef {
                name,
                columns: names(keys)?,
                unique,
                predicate,
                method: (method != "btree").then_some(method),
                include: names(include)?,
            });
        }
    }
    Ok(snapshot)
}
