//! [`Snapshot`]: the tables of a schema at one point in time, from models, from a live
//! database, or from applying operations to another snapshot.

use orm_core::Schema;
use orm_core::dialect::Dialect;
use orm_core::error::{Error, Result};
use orm_core::schema_def::{ColumnType, EnumDef, TableDef};

use crate::operation::Operation;

/// The tables of a schema, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// The tables.
    pub tables: Vec<TableDef>,
}

fn invalid(message: String) -> Error {
    Error::InvalidSchema { message }
}

impl Snapshot {
    /// The tables of `schema`'s models, with typed checks rendered for each of `dialects`.
    pub fn from_schema(schema: &Schema, dialects: &[&dyn Dialect]) -> Result<Snapshot> {
        schema.check()?;
        let tables = schema
            .creation_order()
            .into_iter()
            .map(|table| TableDef::from_meta(table, dialects))
            .collect::<Result<_>>()?;
        Ok(Snapshot { tables })
    }

    /// The table named `name`.
    pub fn table(&self, name: &str) -> Option<&TableDef> {
        self.tables.iter().find(|t| t.name == name)
    }

    fn table_mut(&mut self, name: &str) -> Result<&mut TableDef> {
        self.tables
            .iter_mut()
            .find(|t| t.name == name)
            .ok_or_else(|| invalid(format!("there is no table `{name}`")))
    }

    /// The native enum types the columns use, each once (by name), in first-use order.
    pub fn enums(&self) -> Vec<&EnumDef> {
        let mut enums: Vec<&EnumDef> = Vec::new();
        for column in self.tables.iter().flat_map(|t| &t.columns) {
            if let ColumnType::Enum(def) = &column.ty
                && !enums.iter().any(|e| e.name == def.name)
            {
                enums.push(def);
            }
        }
        enums
    }

    /// Apply `operation` to the snapshot, as the database would: the snapshot after a
    /// migration is the snapshot before it with each operation applied. An operation that
    /// does not fit (a column that does not exist, a table that already does) is an error
    /// naming it. [`Operation::Execute`] changes no structure.
    pub fn apply(&mut self, operation: &Operation) -> Result<()> {
        use Operation::*;
        match operation {
            CreateTable { table } => {
                if self.table(&table.name).is_some() {
                    return Err(invalid(format!(
                        "the table `{}` exists already",
                        table.name
                    )));
                }
                self.tables.push(table.clone());
            }
            DropTable { table } => {
                self.table_mut(&table.name)?;
                self.tables.retain(|t| t.name != table.name);
            }
            RenameTable { from, to } => {
                if self.table(to).is_some() {
                    return Err(invalid(format!("the table `{to}` exists already")));
                }
                self.table_mut(from)?.name = to.clone();
                for table in &mut self.tables {
                    for fk in &mut table.foreign_keys {
                        if fk.references == *from {
                            fk.references = to.clone();
                        }
                    }
                }
            }
            AddColumn { table, column } => {
                let t = self.table_mut(table)?;
                if t.column(&column.name).is_some() {
                    return Err(invalid(format!(
                        "the column `{table}.{}` exists already",
                        column.name
                    )));
                }
                t.columns.push(column.clone());
            }
            DropColumn { table, column } => {
                let t = self.table_mut(table)?;
                column_index(t, &column.name)?;
                t.columns.retain(|c| c.name != column.name);
                let name = &column.name;
                t.indexes.retain(|i| !i.columns.contains(name));
                t.uniques.retain(|u| !u.columns.contains(name));
                t.foreign_keys.retain(|f| !f.columns.contains(name));
            }
            RenameColumn { table, from, to } => {
                let t = self.table_mut(table)?;
                if t.column(to).is_some() {
                    return Err(invalid(format!("the column `{table}.{to}` exists already")));
                }
                let i = column_index(t, from)?;
                t.columns[i].name = to.clone();
                let rename = |names: &mut Vec<String>| {
                    for name in names.iter_mut().filter(|n| *n == from) {
                        *name = to.clone();
                    }
                };
                if let Some(key) = &mut t.primary_key {
                    rename(&mut key.columns);
                }
                t.uniques.iter_mut().for_each(|u| rename(&mut u.columns));
                t.indexes.iter_mut().for_each(|i| rename(&mut i.columns));
                t.foreign_keys
                    .iter_mut()
                    .for_each(|f| rename(&mut f.columns));
                let table = table.clone();
                for other in &mut self.tables {
                    for fk in other
                        .foreign_keys
                        .iter_mut()
                        .filter(|f| f.references == table)
                    {
                        rename(&mut fk.referenced_columns);
                    }
                }
            }
            AlterColumn { table, from, to } => {
                let t = self.table_mut(table)?;
                let i = column_index(t, &from.name)?;
                t.columns[i] = to.clone();
            }
            // A native enum type is known by the columns that use it.
            CreateEnum { .. } | DropEnum { .. } => {}
            AlterEnum { from, to } => {
                for column in self.tables.iter_mut().flat_map(|t| t.columns.iter_mut()) {
                    if matches!(&column.ty, ColumnType::Enum(def) if def.name == from.name) {
                        column.ty = ColumnType::Enum(to.clone());
                    }
                }
            }
            AlterPrimaryKey { table, to, .. } => self.table_mut(table)?.primary_key = to.clone(),
            CreateIndex { table, index } => {
                let exists = self
                    .tables
                    .iter()
                    .flat_map(|t| &t.indexes)
                    .any(|i| i.name == index.name);
                if exists {
                    return Err(invalid(format!(
                        "the index `{}` exists already",
                        index.name
                    )));
                }
                self.table_mut(table)?.indexes.push(index.clone());
            }
            DropIndex { table, index } => {
                let t = self.table_mut(table)?;
                let before = t.indexes.len();
                t.indexes.retain(|i| i.name != index.name);
                if t.indexes.len() == before {
                    return Err(invalid(format!(
                        "there is no index `{}` on `{table}`",
                        index.name
                    )));
                }
            }
            AddUnique { table, unique } => self.table_mut(table)?.uniques.push(unique.clone()),
            DropUnique { table, unique } => {
                let t = self.table_mut(table)?;
                let at = t
                    .uniques
                    .iter()
                    .position(|u| u.columns == unique.columns)
                    .ok_or_else(|| {
                        invalid(format!(
                            "there is no unique constraint on `{table}` ({})",
                            unique.columns.join(", ")
                        ))
                    })?;
                t.uniques.remove(at);
            }
            AddForeignKey { table, foreign_key } => {
                self.table_mut(table)?
                    .foreign_keys
                    .push(foreign_key.clone());
            }
            DropForeignKey { table, foreign_key } => {
                let t = self.table_mut(table)?;
                let at = t
                    .foreign_keys
                    .iter()
                    .position(|f| crate::diff::same_foreign_key(f, foreign_key))
                    .ok_or_else(|| {
                        invalid(format!(
                            "there is no foreign key on `{table}` ({}) -> {}",
                            foreign_key.columns.join(", "),
                            foreign_key.references
                        ))
                    })?;
                t.foreign_keys.remove(at);
            }
            AddCheck { table, check } => self.table_mut(table)?.checks.push(check.clone()),
            DropCheck { table, check } => {
                let t = self.table_mut(table)?;
                let before = t.checks.len();
                t.checks.retain(|c| c.name != check.name);
                if t.checks.len() == before {
                    return Err(invalid(format!(
                        "there is no check `{}` on `{table}`",
                        check.name
                    )));
                }
            }
            Execute { .. } => {}
        }
        Ok(())
    }
}

fn column_index(table: &TableDef, name: &str) -> Result<usize> {
    table
        .columns
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| invalid(format!("there is no column `{}.{name}`", table.name)))
}
