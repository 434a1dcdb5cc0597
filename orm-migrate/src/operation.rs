//! Schema operations: the steps of a migration, each with its inverse.

use orm_core::schema_def::{
    CheckDef, ColumnDef, EnumDef, ForeignKeyDef, IndexDef, KeyDef, TableDef,
};
use serde::{Deserialize, Serialize};

/// One step of a migration. Written to revision files as a TOML table whose `op` names the
/// variant (`op = "add_column"`); every variant but [`Operation::Execute`] carries what its
/// inverse needs, so a downgrade is generated, not hand-written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// `CREATE TABLE` with its constraints and indexes.
    CreateTable {
        /// The new table.
        table: TableDef,
    },
    /// `DROP TABLE`; carries the whole table so that the inverse can create it again.
    DropTable {
        /// The dropped table, as it was.
        table: TableDef,
    },
    /// `ALTER TABLE .. RENAME TO`.
    RenameTable {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// `ALTER TABLE .. ADD COLUMN`.
    AddColumn {
        /// The table.
        table: String,
        /// The new column.
        column: ColumnDef,
    },
    /// `ALTER TABLE .. DROP COLUMN`.
    DropColumn {
        /// The table.
        table: String,
        /// The dropped column, as it was.
        column: ColumnDef,
    },
    /// `ALTER TABLE .. RENAME COLUMN`.
    RenameColumn {
        /// The table.
        table: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A change of type, nullability, default or identity of one column.
    AlterColumn {
        /// The table.
        table: String,
        /// The column as it was.
        from: ColumnDef,
        /// The column as it becomes (same name).
        to: ColumnDef,
    },
    /// `ALTER TABLE .. ADD/DROP PRIMARY KEY`.
    AlterPrimaryKey {
        /// The table.
        table: String,
        /// The key as it was.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<KeyDef>,
        /// The key as it becomes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<KeyDef>,
    },
    /// `CREATE INDEX`.
    CreateIndex {
        /// The table.
        table: String,
        /// The index.
        index: IndexDef,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// The table.
        table: String,
        /// The index, as it was.
        index: IndexDef,
    },
    /// `ADD CONSTRAINT .. UNIQUE`.
    AddUnique {
        /// The table.
        table: String,
        /// The constraint.
        unique: KeyDef,
    },
    /// `DROP CONSTRAINT` of a UNIQUE constraint.
    DropUnique {
        /// The table.
        table: String,
        /// The constraint, as it was.
        unique: KeyDef,
    },
    /// `ADD CONSTRAINT .. FOREIGN KEY`.
    AddForeignKey {
        /// The table.
        table: String,
        /// The foreign key.
        foreign_key: ForeignKeyDef,
    },
    /// `DROP CONSTRAINT` of a foreign key.
    DropForeignKey {
        /// The table.
        table: String,
        /// The foreign key, as it was.
        foreign_key: ForeignKeyDef,
    },
    /// `ADD CONSTRAINT .. CHECK`.
    AddCheck {
        /// The table.
        table: String,
        /// The check.
        check: CheckDef,
    },
    /// `DROP CONSTRAINT` of a check.
    DropCheck {
        /// The table.
        table: String,
        /// The check, as it was.
        check: CheckDef,
    },
    /// `CREATE TYPE .. AS ENUM` of a native enum (PostgreSQL; nothing on SQLite, where the
    /// enum is text and its columns' checks keep the labels).
    CreateEnum {
        /// The type.
        definition: EnumDef,
    },
    /// `DROP TYPE` of a native enum no column uses any more (nothing on SQLite).
    DropEnum {
        /// The type, as it was.
        definition: EnumDef,
    },
    /// A native enum's labels change (nothing on SQLite): PostgreSQL adds labels in place
    /// (`ALTER TYPE .. ADD VALUE`), and for any other change creates the type again and
    /// converts its columns through text (a row holding a removed label fails the step).
    AlterEnum {
        /// The type as it was.
        from: EnumDef,
        /// The type as it becomes (same name).
        to: EnumDef,
    },
    /// Hand-written SQL: a data step (a backfill) or anything the operations do not cover.
    /// `sql` runs on every backend unless the backend has its own text.
    Execute {
        /// SQL for every backend.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sql: Option<String>,
        /// SQL for SQLite only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sqlite: Option<String>,
        /// SQL for PostgreSQL only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        postgresql: Option<String>,
    },
}

/// True when `to` keeps `from`'s labels in their order and only adds others: PostgreSQL then
/// adds them in place (`ALTER TYPE .. ADD VALUE`), where any other change makes the type again
/// and rewrites the columns using it.
pub fn labels_only_added(from: &EnumDef, to: &EnumDef) -> bool {
    let kept = to.values.iter().filter(|v| from.values.contains(v));
    kept.eq(from.values.iter())
}

impl Operation {
    /// The operation that undoes this one; `None` for [`Operation::Execute`], whose undoing
    /// only its author knows.
    pub fn inverse(&self) -> Option<Operation> {
        use Operation::*;
        let table_of = |table: &String| table.clone();
        Some(match self {
            CreateTable { table } => DropTable {
                table: table.clone(),
            },
            DropTable { table } => CreateTable {
                table: table.clone(),
            },
            RenameTable { from, to } => RenameTable {
                from: to.clone(),
                to: from.clone(),
            },
            AddColumn { table, column } => DropColumn {
                table: table_of(table),
                column: column.clone(),
            },
            DropColumn { table, column } => AddColumn {
                table: table_of(table),
                column: column.clone(),
            },
            RenameColumn { table, from, to } => RenameColumn {
                table: table_of(table),
                from: to.clone(),
                to: from.clone(),
            },
            AlterColumn { table, from, to } => AlterColumn {
                table: table_of(table),
                from: to.clone(),
                to: from.clone(),
            },
            AlterPrimaryKey { table, from, to } => AlterPrimaryKey {
                table: table_of(table),
                from: to.clone(),
                to: from.clone(),
            },
            CreateIndex { table, index } => DropIndex {
                table: table_of(table),
                index: index.clone(),
            },
            DropIndex { table, index } => CreateIndex {
                table: table_of(table),
                index: index.clone(),
            },
            AddUnique { table, unique } => DropUnique {
                table: table_of(table),
                unique: unique.clone(),
            },
            DropUnique { table, unique } => AddUnique {
                table: table_of(table),
                unique: unique.clone(),
            },
            AddForeignKey { table, foreign_key } => DropForeignKey {
                table: table_of(table),
                foreign_key: foreign_key.clone(),
            },
            DropForeignKey { table, foreign_key } => AddForeignKey {
                table: table_of(table),
                foreign_key: foreign_key.clone(),
            },
            AddCheck { table, check } => DropCheck {
                table: table_of(table),
                check: check.clone(),
            },
            DropCheck { table, check } => AddCheck {
                table: table_of(table),
                check: check.clone(),
            },
            CreateEnum { definition } => DropEnum {
                definition: definition.clone(),
            },
            DropEnum { definition } => CreateEnum {
                definition: definition.clone(),
            },
            AlterEnum { from, to } => AlterEnum {
                from: to.clone(),
                to: from.clone(),
            },
            Execute { .. } => return None,
        })
    }

    /// The operations that undo `operations`, in the order that undoes them (last first).
    pub fn inverse_all(operations: &[Operation]) -> Option<Vec<Operation>> {
        operations.iter().rev().map(Operation::inverse).collect()
    }

    /// The table the operation changes (`None` for hand-written SQL and enum types).
    pub fn table(&self) -> Option<&str> {
        use Operation::*;
        match self {
            CreateTable { table } | DropTable { table } => Some(&table.name),
            RenameTable { from, .. } => Some(from),
            AddColumn { table, .. }
            | DropColumn { table, .. }
            | RenameColumn { table, .. }
            | AlterColumn { table, .. }
            | AlterPrimaryKey { table, .. }
            | CreateIndex { table, .. }
            | DropIndex { table, .. }
            | AddUnique { table, .. }
            | DropUnique { table, .. }
            | AddForeignKey { table, .. }
            | DropForeignKey { table, .. }
            | AddCheck { table, .. }
            | DropCheck { table, .. } => Some(table),
            CreateEnum { .. } | DropEnum { .. } | AlterEnum { .. } | Execute { .. } => None,
        }
    }

    /// One line saying what the operation does (`add column users.score`).
    pub fn describe(&self) -> String {
        use Operation::*;
        match self {
            CreateTable { table } => format!("create table {}", table.name),
            DropTable { table } => format!("drop table {}", table.name),
            RenameTable { from, to } => format!("rename table {from} to {to}"),
            AddColumn { table, column } => format!("add column {table}.{}", column.name),
            DropColumn { table, column } => format!("drop column {table}.{}", column.name),
            RenameColumn { table, from, to } => format!("rename column {table}.{from} to {to}"),
            AlterColumn { table, from, to } => {
                let mut changes = Vec::new();
                if from.ty != to.ty {
                    changes.push(format!("type {} -> {}", from.ty.name(), to.ty.name()));
                }
                if from.nullable != to.nullable {
                    changes.push(
                        if to.nullable {
                            "drop not null"
                        } else {
                            "set not null"
                        }
                        .into(),
                    );
                }
                if from.default != to.default {
                    changes.push("default".into());
                }
                if from.identity != to.identity {
                    changes.push("identity".into());
                }
                format!("alter column {table}.{} ({})", to.name, changes.join(", "))
            }
            AlterPrimaryKey { table, .. } => format!("alter primary key of {table}"),
            CreateIndex { table, index } => format!("create index {} on {table}", index.name),
            DropIndex { table, index } => format!("drop index {} on {table}", index.name),
            AddUnique { table, unique } => {
                format!("add unique ({}) on {table}", unique.columns.join(", "))
            }
            DropUnique { table, unique } => {
                format!("drop unique ({}) on {table}", unique.columns.join(", "))
            }
            AddForeignKey { table, foreign_key } => format!(
                "add foreign key {table} ({}) -> {}",
                foreign_key.columns.join(", "),
                foreign_key.references
            ),
            DropForeignKey { table, foreign_key } => format!(
                "drop foreign key {table} ({}) -> {}",
                foreign_key.columns.join(", "),
                foreign_key.references
            ),
            AddCheck { table, check } => format!("add check {} on {table}", check.name),
            DropCheck { table, check } => format!("drop check {} on {table}", check.name),
            CreateEnum { definition } => format!("create enum {}", definition.name),
            DropEnum { definition } => format!("drop enum {}", definition.name),
            AlterEnum { from, to } => format!(
                "alter enum {} ({} -> {})",
                to.name,
                from.values.join(", "),
                to.values.join(", ")
            ),
            Execute { .. } => "execute SQL".into(),
        }
    }
}
