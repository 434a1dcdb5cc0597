//! Operations rendered as SQL for one dialect.
//!
//! PostgreSQL does every operation with `ALTER TABLE`. SQLite's `ALTER TABLE` renames tables
//! and columns and adds plain columns; everything else (changing or dropping a column,
//! adding or dropping a constraint) is done by the table rebuild SQLite documents
//! (<https://www.sqlite.org/lang_altertable.html#otheralter>): create the new table under a
//! temporary name, copy the rows, drop the old table, rename the new one, create its
//! indexes, then check every foreign key. The runner does this with foreign key enforcement
//! off (so dropping the old table does not cascade to its children) inside the migration's
//! transaction.

use orm_core::ddl::{
    check_sql, column_sql, column_type_sql, create_enum_sql, create_index, create_table_def,
    create_table_sql, default_sql, foreign_key_sql, literal_string, primary_key_sql, push_idents,
    unique_sql,
};
use orm_core::dialect::Dialect;
use orm_core::error::{Error, Result};
use orm_core::schema_def::{ColumnDef, ColumnType, DefaultValue, EnumDef, TableDef};

use crate::operation::Operation;
use crate::snapshot::Snapshot;

/// One step of a rendered migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A statement to run.
    Sql(String),
    /// Check every foreign key (SQLite, after a table rebuild): a violation fails the
    /// migration.
    ForeignKeyCheck,
}

impl Step {
    /// The step as SQL text (the foreign key check as the pragma SQLite runs).
    pub fn text(&self) -> &str {
        match self {
            Step::Sql(sql) => sql,
            Step::ForeignKeyCheck => "PRAGMA foreign_key_check",
        }
    }
}

/// The prefix of the temporary table of a SQLite rebuild.
pub const REBUILD_PREFIX: &str = "_orm_rebuild_";

/// Render `operations` for `dialect`, starting from the schema `before` (SQLite rebuilds a
/// table from its current definition). Returns the steps and the schema after them.
pub fn render_all(
    dialect: &dyn Dialect,
    operations: &[Operation],
    before: &Snapshot,
) -> Result<(Vec<Step>, Snapshot)> {
    let mut schema = before.clone();
    let mut steps = Vec::new();
    let mut rebuilt = false;
    for operation in operations {
        let rendered = render(dialect, operation, &schema)?;
        rebuilt |= rendered.contains(&Step::ForeignKeyCheck);
        steps.extend(rendered.into_iter().filter(|s| *s != Step::ForeignKeyCheck));
        schema.apply(operation)?;
    }
    if rebuilt {
        steps.push(Step::ForeignKeyCheck);
    }
    Ok((steps, schema))
}

/// Render one operation for `dialect` against the schema `before` it.
pub fn render(
    dialect: &dyn Dialect,
    operation: &Operation,
    before: &Snapshot,
) -> Result<Vec<Step>> {
    if let Some(steps) = native_enum_steps(dialect, operation, before)? {
        return Ok(steps);
    }
    if dialect.inline_autoincrement_key() {
        sqlite(dialect, operation, before)
    } else {
        postgres(dialect, operation)
    }
}

/// Native enum types and the checks that stand in for them: PostgreSQL has the types (and
/// no such checks), SQLite the checks (and no types).
fn native_enum_steps(
    dialect: &dyn Dialect,
    operation: &Operation,
    before: &Snapshot,
) -> Result<Option<Vec<Step>>> {
    use Operation::*;
    Ok(Some(match operation {
        AddCheck { check, .. } | DropCheck { check, .. } if !check.exists_on(dialect) => Vec::new(),
        CreateEnum { .. } | DropEnum { .. } | AlterEnum { .. } if !dialect.native_enums() => {
            Vec::new()
        }
        CreateEnum { definition } => vec![Step::Sql(create_enum_sql(dialect, definition))],
        DropEnum { definition } => vec![Step::Sql(format!(
            "DROP TYPE {}",
            ident(dialect, &definition.name)
        ))],
        AlterEnum { from, to } => alter_enum(dialect, from, to, before)?,
        _ => return Ok(None),
    }))
}

/// PostgreSQL: labels added with the old ones kept in their order go in place (`ADD VALUE ..
/// BEFORE` the next old label); any other change makes the type again under its name and
/// converts each column using it through text.
fn alter_enum(
    dialect: &dyn Dialect,
    from: &EnumDef,
    to: &EnumDef,
    before: &Snapshot,
) -> Result<Vec<Step>> {
    let name = ident(dialect, &to.name);
    if crate::operation::labels_only_added(from, to) {
        let mut steps = Vec::new();
        for (i, value) in to.values.iter().enumerate() {
            if from.values.contains(value) {
                continue;
            }
            let mut sql = format!("ALTER TYPE {name} ADD VALUE {}", literal_string(value));
            if let Some(next) = to.values[i + 1..].iter().find(|v| from.values.contains(v)) {
                sql.push_str(" BEFORE ");
                sql.push_str(&literal_string(next));
            }
            steps.push(Step::Sql(sql));
        }
        return Ok(steps);
    }
    let old = format!("{}_orm_old", to.name);
    let mut steps = vec![
        Step::Sql(format!(
            "ALTER TYPE {name} RENAME TO {}",
            ident(dialect, &old)
        )),
        Step::Sql(create_enum_sql(dialect, to)),
    ];
    for table in &before.tables {
        for column in &table.columns {
            if !matches!(&column.ty, ColumnType::Enum(def) if def.name == from.name) {
                continue;
            }
            let target = ident(dialect, &column.name);
            let default = default_sql(dialect, column)?;
            if default.is_some() {
                steps.push(alter(
                    dialect,
                    &table.name,
                    &format!("ALTER COLUMN {target} DROP DEFAULT"),
                ));
            }
            steps.push(alter(
                dialect,
                &table.name,
                &format!("ALTER COLUMN {target} TYPE {name} USING {target}::text::{name}"),
            ));
            if let Some(default) = default {
                steps.push(alter(
                    dialect,
                    &table.name,
                    &format!("ALTER COLUMN {target} SET DEFAULT {default}"),
                ));
            }
        }
    }
    steps.push(Step::Sql(format!("DROP TYPE {}", ident(dialect, &old))));
    Ok(steps)
}

fn ident(dialect: &dyn Dialect, name: &str) -> String {
    let mut out = String::new();
    dialect.write_ident(&mut out, name);
    out
}

fn alter(dialect: &dyn Dialect, table: &str, rest: &str) -> Step {
    Step::Sql(format!("ALTER TABLE {} {rest}", ident(dialect, table)))
}

fn constraint_name<'a>(name: Option<&'a str>, what: &str, table: &str) -> Result<&'a str> {
    name.ok_or_else(|| Error::InvalidSchema {
        message: format!(
            "dropping the {what} of `{table}` needs its constraint name: give it `name` in \
             the migration"
        ),
    })
}

fn execute(dialect: &dyn Dialect, operation: &Operation) -> Result<Vec<Step>> {
    let Operation::Execute {
        sql,
        sqlite,
        postgresql,
    } = operation
    else {
        unreachable!("execute() is only called for Operation::Execute");
    };
    let own = match dialect.name() {
        "sqlite" => sqlite.as_ref(),
        "postgresql" => postgresql.as_ref(),
        _ => None,
    };
    match own.or(sql.as_ref()) {
        Some(sql) => Ok(vec![Step::Sql(sql.clone())]),
        // A step written for another backend only.
        None if sqlite.is_some() || postgresql.is_some() => Ok(Vec::new()),
        None => Err(Error::InvalidSchema {
            message: "an execute step needs `sql`, `sqlite` or `postgresql`".into(),
        }),
    }
}

/// The statements both dialects write the same way; `None` for the others.
fn common(dialect: &dyn Dialect, operation: &Operation) -> Result<Option<Vec<Step>>> {
    use Operation::*;
    let q = |name: &str| ident(dialect, name);
    Ok(Some(match operation {
        CreateTable { table } => create_table_def(dialect, table, false)?
            .into_iter()
            .map(|s| Step::Sql(s.sql.to_string()))
            .collect(),
        DropTable { table } => vec![Step::Sql(format!("DROP TABLE {}", q(&table.name)))],
        RenameTable { from, to } => vec![alter(dialect, from, &format!("RENAME TO {}", q(to)))],
        RenameColumn { table, from, to } => vec![alter(
            dialect,
            table,
            &format!("RENAME COLUMN {} TO {}", q(from), q(to)),
        )],
        CreateIndex { table, index } => {
            vec![Step::Sql(
                create_index(dialect, table, index, false).sql.to_string(),
            )]
        }
        DropIndex { index, .. } => vec![Step::Sql(format!("DROP INDEX {}", q(&index.name)))],
        Execute { .. } => execute(dialect, operation)?,
        _ => return Ok(None),
    }))
}

fn postgres(dialect: &dyn Dialect, operation: &Operation) -> Result<Vec<Step>> {
    use Operation::*;
    if let Some(steps) = common(dialect, operation)? {
        return Ok(steps);
    }
    let q = |name: &str| ident(dialect, name);
    let drop_constraint = |table: &str, name: Option<&str>, what: &str| -> Result<Step> {
        let name = constraint_name(name, what, table)?;
        Ok(alter(
            dialect,
            table,
            &format!("DROP CONSTRAINT {}", q(name)),
        ))
    };
    Ok(match operation {
        AddColumn { table, column } => {
            vec![alter(
                dialect,
                table,
                &format!("ADD COLUMN {}", column_sql(dialect, column)?),
            )]
        }
        DropColumn { table, column } => {
            vec![alter(
                dialect,
                table,
                &format!("DROP COLUMN {}", q(&column.name)),
            )]
        }
        AlterColumn { table, from, to } => alter_column_postgres(dialect, table, from, to)?,
        AlterPrimaryKey { table, from, to } => {
            let mut steps = Vec::new();
            if let Some(key) = from {
                steps.push(drop_constraint(table, key.name.as_deref(), "primary key")?);
            }
            if let Some(key) = to {
                steps.push(alter(
                    dialect,
                    table,
                    &format!("ADD {}", primary_key_sql(dialect, key)),
                ));
            }
            steps
        }
        AddUnique { table, unique } => {
            vec![alter(
                dialect,
                table,
                &format!("ADD {}", unique_sql(dialect, unique)),
            )]
        }
        DropUnique { table, unique } => {
            vec![drop_constraint(
                table,
                unique.name.as_deref(),
                "unique constraint",
            )?]
        }
        AddForeignKey { table, foreign_key } => {
            vec![alter(
                dialect,
                table,
                &format!("ADD {}", foreign_key_sql(dialect, foreign_key)),
            )]
        }
        DropForeignKey { table, foreign_key } => {
            vec![drop_constraint(
                table,
                foreign_key.name.as_deref(),
                "foreign key",
            )?]
        }
        AddCheck { table, check } => {
            vec![alter(
                dialect,
                table,
                &format!("ADD {}", check_sql(dialect, check)?),
            )]
        }
        DropCheck { table, check } => vec![drop_constraint(table, Some(&check.name), "check")?],
        _ => unreachable!("common() renders the other operations"),
    })
}

fn alter_column_postgres(
    dialect: &dyn Dialect,
    table: &str,
    from: &ColumnDef,
    to: &ColumnDef,
) -> Result<Vec<Step>> {
    let column = format!("ALTER COLUMN {}", ident(dialect, &to.name));
    let mut steps = Vec::new();
    if from.identity && !to.identity {
        steps.push(alter(dialect, table, &format!("{column} DROP IDENTITY")));
    }
    let plain = |c: &ColumnDef| ColumnDef {
        identity: false,
        ..c.clone()
    };
    let (old_type, new_type) = (
        column_type_sql(dialect, &plain(from))?,
        column_type_sql(dialect, &plain(to))?,
    );
    let (old_default, new_default) = (default_sql(dialect, from)?, default_sql(dialect, to)?);
    if old_type != new_type {
        // The old default may not convert to the new type: set it again after.
        if old_default.is_some() {
            steps.push(alter(dialect, table, &format!("{column} DROP DEFAULT")));
        }
        steps.push(alter(
            dialect,
            table,
            &format!(
                "{column} TYPE {new_type} USING {}::{new_type}",
                ident(dialect, &to.name)
            ),
        ));
    }
    if old_default != new_default || (old_type != new_type && new_default.is_some()) {
        steps.push(match new_default {
            Some(default) => alter(dialect, table, &format!("{column} SET DEFAULT {default}")),
            None if old_type == new_type => {
                alter(dialect, table, &format!("{column} DROP DEFAULT"))
            }
            None => return Ok(finish_nullability(dialect, table, &column, from, to, steps)),
        });
    }
    Ok(finish_nullability(dialect, table, &column, from, to, steps))
}

fn finish_nullability(
    dialect: &dyn Dialect,
    table: &str,
    column: &str,
    from: &ColumnDef,
    to: &ColumnDef,
    mut steps: Vec<Step>,
) -> Vec<Step> {
    if from.nullable != to.nullable {
        let change = if to.nullable {
            "DROP NOT NULL"
        } else {
            "SET NOT NULL"
        };
        steps.push(alter(dialect, table, &format!("{column} {change}")));
    }
    if to.identity && !from.identity {
        steps.push(alter(
            dialect,
            table,
            &format!("{column} ADD GENERATED BY DEFAULT AS IDENTITY"),
        ));
    }
    steps
}

/// True when SQLite's `ALTER TABLE ADD COLUMN` can add `column`: no identity, and NULL or a
/// constant default for the rows already there.
fn sqlite_can_add(column: &ColumnDef) -> bool {
    !column.identity
        && match &column.default {
            None => column.nullable,
            Some(default) => matches!(
                default,
                DefaultValue::Bool(_)
                    | DefaultValue::Int(_)
                    | DefaultValue::Float(_)
                    | DefaultValue::Str(_)
            ),
        }
}

fn sqlite(dialect: &dyn Dialect, operation: &Operation, before: &Snapshot) -> Result<Vec<Step>> {
    use Operation::*;
    if let Some(steps) = common(dialect, operation)? {
        return Ok(steps);
    }
    if let AddColumn { table, column } = operation
        && sqlite_can_add(column)
    {
        return Ok(vec![alter(
            dialect,
            table,
            &format!("ADD COLUMN {}", column_sql(dialect, column)?),
        )]);
    }
    let name = operation.table().unwrap_or_default();
    let old = before.table(name).ok_or_else(|| Error::InvalidSchema {
        message: format!("there is no table `{name}` to change"),
    })?;
    let mut after = Snapshot {
        tables: vec![old.clone()],
    };
    after.apply(operation)?;
    rebuild(dialect, old, &after.tables[0])
}

/// SQLite's table rebuild from `old` to `new` (same name).
pub fn rebuild(dialect: &dyn Dialect, old: &TableDef, new: &TableDef) -> Result<Vec<Step>> {
    let temporary = format!("{REBUILD_PREFIX}{}", new.name);
    let staged = TableDef {
        name: temporary.clone(),
        indexes: Vec::new(),
        ..new.clone()
    };
    let mut steps = vec![Step::Sql(create_table_sql(dialect, &staged, false)?)];
    let shared: Vec<String> = new
        .columns
        .iter()
        .filter(|c| old.column(&c.name).is_some())
        .map(|c| c.name.clone())
        .collect();
    if !shared.is_empty() {
        let mut copy = format!("INSERT INTO {}", ident(dialect, &temporary));
        push_idents(dialect, &mut copy, &shared);
        copy.push_str(" SELECT ");
        copy.push_str(
            &shared
                .iter()
                .map(|c| ident(dialect, c))
                .collect::<Vec<_>>()
                .join(", "),
        );
        copy.push_str(" FROM ");
        copy.push_str(&ident(dialect, &old.name));
        steps.push(Step::Sql(copy));
    }
    let has_identity = |t: &TableDef| t.columns.iter().any(|c| c.identity);
    if has_identity(old) && has_identity(new) {
        // Keep the AUTOINCREMENT counter: the copy sets it to the largest id copied, which
        // is behind it when the newest rows were deleted; their ids must not come back.
        let literal = |text: &str| format!("'{}'", text.replace('\'', "''"));
        steps.push(Step::Sql(format!(
            "DELETE FROM sqlite_sequence WHERE name = {}",
            literal(&temporary)
        )));
        steps.push(Step::Sql(format!(
            "INSERT INTO sqlite_sequence (name, seq) SELECT {}, seq FROM sqlite_sequence \
             WHERE name = {}",
            literal(&temporary),
            literal(&old.name)
        )));
    }
    steps.push(Step::Sql(format!(
        "DROP TABLE {}",
        ident(dialect, &old.name)
    )));
    steps.push(alter(
        dialect,
        &temporary,
        &format!("RENAME TO {}", ident(dialect, &new.name)),
    ));
    steps.extend(new.indexes.iter().map(|index| {
        Step::Sql(
            create_index(dialect, &new.name, index, false)
                .sql
                .to_string(),
        )
    }));
    steps.push(Step::ForeignKeyCheck);
    Ok(steps)
}
