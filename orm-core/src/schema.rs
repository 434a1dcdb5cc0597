//! A set of tables ([`Schema`]) in foreign-key order, and the DDL that creates or drops it.

use crate::ddl;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::meta::TableMeta;
use crate::render;
use crate::schema_def::EnumDef;
use crate::statement::Statement;
use crate::value::{NativeEnum, SqlType};

/// The tables of an application, built with `schema![User, Post, ..]`.
#[derive(Debug, Clone)]
pub struct Schema {
    tables: Vec<&'static TableMeta>,
}

impl Schema {
    /// A schema of these tables, in any order.
    pub fn new(tables: Vec<&'static TableMeta>) -> Self {
        Schema { tables }
    }

    /// The tables as given.
    pub fn tables(&self) -> &[&'static TableMeta] {
        &self.tables
    }

    /// The tables ordered so that each comes after the tables it references (self-references
    /// and cycles do not block; tables in a cycle keep their given order).
    pub fn creation_order(&self) -> Vec<&'static TableMeta> {
        dependency_order(
            &self.tables,
            |t| t.name,
            |t| t.foreign_keys.iter().map(|fk| fk.target().name).collect(),
        )
    }

    /// The native enum types the tables' columns use, each once, in first-use order.
    pub fn native_enums(&self) -> Vec<&'static NativeEnum> {
        let mut enums: Vec<&'static NativeEnum> = Vec::new();
        for column in self.tables.iter().flat_map(|table| table.columns.iter()) {
            if let SqlType::Enum(native) = column.ty
                && !enums.contains(&native)
            {
                enums.push(native);
            }
        }
        enums
    }

    /// Check that the models' declarations fit together: every relationship's columns exist
    /// and the foreign key it follows is declared (a `has_many` needs the child's foreign key
    /// to reference the parent; a `many_to_many` needs one foreign key from its junction to
    /// each side, or named columns). Reports every problem at once.
    pub fn check(&self) -> Result<()> {
        let mut problems: Vec<String> = self
            .tables
            .iter()
            .flat_map(|table| table.relations.iter())
            .filter_map(|relation| relation.check().err())
            .map(|error| match error {
                Error::InvalidSchema { message } => message,
                other => other.to_string(),
            })
            .collect();
        let enums = self.native_enums();
        for (i, native) in enums.iter().enumerate() {
            if enums[..i].iter().any(|other| other.name == native.name) {
                problems.push(format!(
                    "two native enums are named `{}` with different values: give one \
                     #[orm(native = \"..\")] with another name",
                    native.name
                ));
            }
        }
        for table in &self.tables {
            if table.discriminator.is_some() {
                problems.push(format!(
                    "`{}` is a variant of a single-table inheritance: list its base enum in \
                     the schema, whose table holds every variant's columns",
                    table.model
                ));
            }
            problems.extend(
                table
                    .foreign_keys
                    .iter()
                    .filter_map(|fk| foreign_key_problem(table, fk)),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidSchema {
                message: problems.join("; "),
            })
        }
    }

    /// `CREATE TABLE` and `CREATE INDEX` statements in creation order, after
    /// [`Schema::check`].
    pub fn create_statements(&self, dialect: &dyn Dialect) -> Result<Vec<Statement>> {
        self.check()?;
        let mut statements = Vec::new();
        if dialect.native_enums() {
            // PostgreSQL has no CREATE TYPE IF NOT EXISTS; an existing type is kept, as an
            // existing table is.
            for native in self.native_enums() {
                let create = ddl::create_enum_sql(dialect, &EnumDef::from_native(native));
                statements.push(Statement::new(format!(
                    "DO $$ BEGIN {create}; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
                )));
            }
        }
        for table in self.creation_order() {
            statements.extend(render::create_table(dialect, table)?);
        }
        Ok(statements)
    }

    /// `DROP TABLE` statements, dependents first, then `DROP TYPE` of their native enums.
    pub fn drop_statements(&self, dialect: &dyn Dialect) -> Vec<Statement> {
        let mut statements: Vec<Statement> = self
            .creation_order()
            .into_iter()
            .rev()
            .map(|table| render::drop_table(dialect, table))
            .collect();
        if dialect.native_enums() {
            for native in self.native_enums() {
                let mut sql = String::from("DROP TYPE IF EXISTS ");
                dialect.write_ident(&mut sql, native.name);
                statements.push(Statement::new(sql));
            }
        }
        statements
    }
}

/// What is wrong with a foreign key's referenced columns: they must be columns of the
/// target that form its primary key or one of its unique constraints, as many as the
/// foreign key has.
fn foreign_key_problem(table: &TableMeta, fk: &crate::meta::ForeignKeyMeta) -> Option<String> {
    let target = fk.target();
    let referenced = fk.target_columns();
    let describe = || {
        format!(
            "the foreign key `{}` of `{}` ({}) -> `{}` ({})",
            fk.name,
            table.name,
            fk.columns.join(", "),
            target.name,
            referenced.join(", ")
        )
    };
    if referenced.len() != fk.columns.len() {
        return Some(format!(
            "{}: {} columns reference {} (give referenced_columns)",
            describe(),
            fk.columns.len(),
            referenced.len()
        ));
    }
    if let Some(missing) = referenced.iter().find(|c| target.column(c).is_none()) {
        return Some(format!(
            "{}: `{missing}` is not a column of `{}`",
            describe(),
            target.name
        ));
    }
    let same =
        |key: &[&str]| key.len() == referenced.len() && referenced.iter().all(|c| key.contains(c));
    let unique = same(target.primary_key)
        || target
            .indexes
            .iter()
            .any(|i| i.unique && !i.ignore_deleted && i.predicate.is_none() && same(i.columns))
        || target
            .columns
            .iter()
            .any(|c| c.unique.is_some() && same(&[c.name]));
    (!unique).then(|| {
        format!(
            "{}: the referenced columns are neither the primary key nor a unique constraint of \
             `{}`, which both backends require",
            describe(),
            target.name
        )
    })
}

/// `items` ordered so that each comes after the items (of the list) whose names it
/// `references`; a self-reference or a reference outside the list does not block, and items
/// in a cycle keep their given order.
pub fn dependency_order<'a, T: ?Sized>(
    items: &[&'a T],
    name: impl Fn(&T) -> &str,
    references: impl Fn(&T) -> Vec<&str>,
) -> Vec<&'a T> {
    let mut ordered: Vec<&'a T> = Vec::with_capacity(items.len());
    let mut pending: Vec<&'a T> = items.to_vec();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|item| {
            let ready = references(item).into_iter().all(|target| {
                target == name(item)
                    || ordered.iter().any(|t| name(t) == target)
                    || !items.iter().any(|t| name(t) == target)
            });
            if ready {
                ordered.push(item);
            }
            !ready
        });
        if pending.len() == before {
            ordered.append(&mut pending);
        }
    }
    ordered
}
