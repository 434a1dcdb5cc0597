//! The migration checklist (`L2xx`): steps of pending migrations that fail on, or lock, a
//! live database.

use orm_core::error::Result;
use orm_core::schema_def::{ColumnType, ForeignKeyDef};
use orm_core::value::SqlType;
use orm_core::{Executor, Schema, raw};

use super::Finding;
use crate::introspect::introspect;
use crate::operation::{Operation, labels_only_added};
use crate::revision::Revision;
use crate::runner::{HISTORY_TABLE, Migrator, UpgradeTo};
use crate::snapshot::Snapshot;

/// A table as the steps go: its name now, and its name in the database before them (`None`
/// for a table the steps create).
struct Tracked {
    name: String,
    original: Option<String>,
}

/// The tables through a list of steps: which existed before them, under which name.
struct Tables {
    tables: Vec<Tracked>,
}

impl Tables {
    fn new(before: &Snapshot) -> Tables {
        Tables {
            tables: before
                .tables
                .iter()
                .map(|t| Tracked {
                    name: t.name.clone(),
                    original: Some(t.name.clone()),
                })
                .collect(),
        }
    }

    /// The name `table` had before the steps, when it existed then.
    fn original(&self, table: &str) -> Option<&str> {
        self.tables
            .iter()
            .find(|t| t.name == table)
            .and_then(|t| t.original.as_deref())
    }

    fn follow(&mut self, operation: &Operation) {
        match operation {
            Operation::CreateTable { table } => {
                self.tables.retain(|t| t.name != table.name);
                self.tables.push(Tracked {
                    name: table.name.clone(),
                    original: None,
                });
            }
            Operation::DropTable { table } => self.tables.retain(|t| t.name != table.name),
            Operation::RenameTable { from, to } => {
                for tracked in self.tables.iter_mut().filter(|t| t.name == *from) {
                    tracked.name = to.clone();
                }
            }
            _ => {}
        }
    }
}

/// True when PostgreSQL changes a column from `from` to `to` without rewriting the table:
/// a longer (or unbounded) varchar, or a numeric with more precision and the same scale.
fn changes_in_place(from: &ColumnType, to: &ColumnType) -> bool {
    match (from, to) {
        (ColumnType::Sql(SqlType::Varchar(n)), ColumnType::Sql(SqlType::Varchar(m))) => m >= n,
        (ColumnType::Sql(SqlType::Varchar(_)), ColumnType::Sql(SqlType::Text)) => true,
        (
            ColumnType::Sql(SqlType::Numeric {
                precision: p,
                scale: s,
            }),
            ColumnType::Sql(SqlType::Numeric {
                precision: q,
                scale: t,
            }),
        ) => s == t && q >= p,
        _ => from == to,
    }
}

fn foreign_key_name(table: &str, foreign_key: &ForeignKeyDef) -> String {
    foreign_key
        .name
        .clone()
        .unwrap_or_else(|| format!("{table}_{}_fkey", foreign_key.columns.join("_")))
}

fn finding(code: &'static str, table: &str, column: &str, message: String, fix: String) -> Finding {
    Finding {
        code,
        model: table.to_owned(),
        field: Some(column.to_owned()),
        message,
        fix,
    }
}

/// The columns of `before` of the native enum type `name`, as (table, column).
fn enum_columns<'a>(
    before: &'a Snapshot,
    name: &'a str,
) -> impl Iterator<Item = (&'a str, &'a str)> {
    before.tables.iter().flat_map(move |table| {
        table
            .columns
            .iter()
            .filter_map(move |column| match &column.ty {
                ColumnType::Enum(def) if def.name == name => {
                    Some((table.name.as_str(), column.name.as_str()))
                }
                _ => None,
            })
    })
}

/// The model and field that read `table.column`, when the models have that column.
fn reader(models: Option<&Schema>, table: &str, column: &str) -> Option<(String, String)> {
    let model = models?.tables().iter().find(|t| t.name == table)?;
    let column = model.column(column)?;
    Some((model.model.to_owned(), column.field.to_owned()))
}

/// Lint pending migration steps: `operations` run in order on a database whose schema is
/// `before`, with rows in `tables_with_rows` (names as in `before`), on the backend
/// `dialect_name` (`"postgresql"`, `"sqlite"`: `Dialect::name`). `models`, when given, are
/// the models the application will run with; renaming or dropping a column they read is a
/// finding. Findings name the table and the column.
pub fn lint_operations(
    operations: &[Operation],
    before: &Snapshot,
    models: Option<&Schema>,
    tables_with_rows: &[String],
    dialect_name: &str,
) -> Vec<Finding> {
    let postgres = dialect_name == "postgresql";
    let mut tables = Tables::new(before);
    let mut findings = Vec::new();
    for operation in operations {
        let existing = operation
            .table()
            .and_then(|t| tables.original(t))
            .map(str::to_owned);
        let has_rows = existing
            .as_ref()
            .is_some_and(|t| tables_with_rows.contains(t));
        match operation {
            Operation::AddColumn { table, column }
                if has_rows && !column.nullable && column.default.is_none() && !column.identity =>
            {
                findings.push(finding(
                    "L201",
                    table,
                    &column.name,
                    format!(
                        "`{table}.{}` is added NOT NULL without a default, and `{table}` has \
                         rows: the step fails (the existing rows would hold NULL)",
                        column.name
                    ),
                    format!(
                        "add `{}` as nullable (or with a server_default), fill it with an \
                         `op = \"execute\"` step (UPDATE {table} SET {} = ..), then make it NOT \
                         NULL with an alter_column step",
                        column.name, column.name
                    ),
                ));
            }
            Operation::CreateIndex { table, index } if postgres && existing.is_some() => {
                let unique = if index.unique { "UNIQUE " } else { "" };
                findings.push(finding(
                    "L202",
                    table,
                    index.columns.first().map_or("", String::as_str),
                    format!(
                        "`CREATE {unique}INDEX {}` on the existing table `{table}` blocks \
                         writes to it until the index is built",
                        index.name
                    ),
                    format!(
                        "build it without blocking writes: replace this step with an `op = \
                         \"execute\"` step, postgresql = \"CREATE {unique}INDEX CONCURRENTLY {} \
                         ON {table} ({})\", in a revision with `transaction = false` \
                         (CONCURRENTLY cannot run inside a transaction)",
                        index.name,
                        index.columns.join(", ")
                    ),
                ));
            }
            Operation::AlterColumn { table, from, to }
                if postgres && existing.is_some() && !changes_in_place(&from.ty, &to.ty) =>
            {
                findings.push(finding(
                    "L203",
                    table,
                    &to.name,
                    format!(
                        "changing `{table}.{}` from {} to {} rewrites the whole table under an \
                         ACCESS EXCLUSIVE lock: reads and writes wait until it is done",
                        to.name,
                        from.ty.name(),
                        to.ty.name()
                    ),
                    format!(
                        "expand and contract: add a new column of type {}, write both and \
                         backfill it in batches, switch the models to it, then drop `{}` in a \
                         later revision",
                        to.ty.name(),
                        from.name
                    ),
                ));
            }
            Operation::AlterEnum { from, to } if postgres && !labels_only_added(from, to) => {
                for (table, column) in enum_columns(before, &from.name) {
                    findings.push(finding(
                        "L203",
                        table,
                        column,
                        format!(
                            "changing the labels of `{}` other than by adding them makes the \
                             type again and rewrites `{table}.{column}` under an ACCESS \
                             EXCLUSIVE lock: reads and writes wait until it is done",
                            to.name
                        ),
                        format!(
                            "keep the old labels in their order and only add new ones (they go \
                             in place); to retire a label, stop writing it and leave it in the \
                             type, or move `{table}.{column}` to a new type by expand and \
                             contract"
                        ),
                    ));
                }
            }
            Operation::RenameColumn { table, from, to } => {
                if let Some((model, field)) = reader(models, table, from) {
                    findings.push(finding(
                        "L204",
                        table,
                        from,
                        format!(
                            "`{table}.{from}` is renamed to `{to}` but the models still read it \
                             (`{model}.{field}`): the running application fails as soon as \
                             the step runs"
                        ),
                        format!(
                            "expand and contract: add `{to}`, write both columns and backfill \
                             `{to}`, move `{model}.{field}` to `{to}` and deploy, then drop \
                             `{from}` in a later revision"
                        ),
                    ));
                }
            }
            Operation::DropColumn { table, column } => {
                if let Some((model, field)) = reader(models, table, &column.name) {
                    findings.push(finding(
                        "L204",
                        table,
                        &column.name,
                        format!(
                            "`{table}.{}` is dropped but the models still read it \
                             (`{model}.{field}`): their queries fail as soon as the step runs",
                            column.name
                        ),
                        format!(
                            "contract in two deploys: remove `{model}.{field}` from the models \
                             (or mark it #[orm(skip)]) and deploy, then drop the column in a \
                             later revision"
                        ),
                    ));
                }
            }
            Operation::AddForeignKey { table, foreign_key } if postgres && existing.is_some() => {
                let name = foreign_key_name(table, foreign_key);
                let referenced = if foreign_key.referenced_columns.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", foreign_key.referenced_columns.join(", "))
                };
                findings.push(finding(
                    "L205",
                    table,
                    foreign_key.columns.first().map_or("", String::as_str),
                    format!(
                        "adding the foreign key `{name}` to the existing table `{table}` checks \
                         every row while blocking writes to `{table}` and `{}`",
                        foreign_key.references
                    ),
                    format!(
                        "add it in two `op = \"execute\"` steps: postgresql = \"ALTER TABLE \
                         {table} ADD CONSTRAINT {name} FOREIGN KEY ({}) REFERENCES {}{referenced} \
                         NOT VALID\" (new rows are checked at once), then \"ALTER TABLE {table} \
                         VALIDATE CONSTRAINT {name}\" (checks the existing rows without blocking \
                         writes), in a revision with `transaction = false` so that the \
                         validation does not hold the first step's lock",
                        foreign_key.columns.join(", "),
                        foreign_key.references
                    ),
                ));
            }
            _ => {}
        }
        tables.follow(operation);
    }
    findings
}

/// Lint a revision's upgrade steps ([`lint_operations`]), leaving out the findings its
/// `[[allow]]` tables silence (an allow with an empty reason silences nothing).
pub fn lint_revision(
    revision: &Revision,
    before: &Snapshot,
    models: Option<&Schema>,
    tables_with_rows: &[String],
    dialect_name: &str,
) -> Vec<Finding> {
    lint_operations(
        &revision.upgrade,
        before,
        models,
        tables_with_rows,
        dialect_name,
    )
    .into_iter()
    .filter(|finding| {
        !revision
            .allow
            .iter()
            .any(|allow| allow.code == finding.code && !allow.reason.trim().is_empty())
    })
    .collect()
}

/// True when `table` has at least one row.
async fn has_rows(db: impl Executor, table: &str) -> Result<bool> {
    let mut sql = String::from("SELECT COUNT(*) FROM (SELECT 1 FROM ");
    db.dialect().write_ident(&mut sql, table);
    sql.push_str(" LIMIT 1) AS probe");
    let count: Vec<i64> = raw(sql).fetch_as(db).await?;
    Ok(count.first().is_some_and(|n| *n > 0))
}

/// Lint the revisions `migrator` would apply to reach the head, each from the schema the
/// database will have when it runs (the live schema, then each earlier revision applied),
/// and with the tables that have rows now. Returns each pending revision's id with its
/// unsilenced findings, in the order they apply.
pub async fn lint_pending(
    migrator: &Migrator,
    db: impl Executor,
    models: Option<&Schema>,
) -> Result<Vec<(String, Vec<Finding>)>> {
    let mut schema = introspect(db, &[HISTORY_TABLE]).await?;
    let mut with_rows = Vec::new();
    for table in &schema.tables {
        if has_rows(db, &table.name).await? {
            with_rows.push(table.name.clone());
        }
    }
    let dialect = db.dialect().name();
    let mut out = Vec::new();
    for revision in migrator.pending(db, &UpgradeTo::Head).await? {
        let findings = lint_revision(revision, &schema, models, &with_rows, dialect);
        out.push((revision.id.clone(), findings));
        for operation in &revision.upgrade {
            match operation {
                Operation::RenameTable { from, to } => {
                    for name in with_rows.iter_mut().filter(|n| *n == from) {
                        *name = to.clone();
                    }
                }
                Operation::DropTable { table } => with_rows.retain(|n| *n != table.name),
                _ => {}
            }
            schema.apply(operation)?;
        }
    }
    Ok(out)
}
