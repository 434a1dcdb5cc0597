//! Runtime metadata of models: tables, columns, keys, indexes, foreign keys and checks.
//!
//! The derive builds one `&'static` [`TableMeta`] per model; the renderer, `create_all` and
//! later the migration autogenerator read it.

use crate::value::SqlType;

/// How a column gets its value when a row is inserted without it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColumnDefault {
    /// A literal boolean (`#[orm(default = true)]`).
    Bool(bool),
    /// A literal integer.
    Int(i64),
    /// A literal float.
    Float(f64),
    /// A literal string.
    Str(&'static str),
    /// Raw SQL from `#[orm(server_default = "..")]`, written by the model author.
    Sql(&'static str),
    /// The current timestamp (`created_at` / `updated_at`).
    CurrentTimestamp,
}

/// Who generates a column's value when a `New<Model>` is inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// The caller supplies it.
    No,
    /// The database (an identity / autoincrement integer key).
    AutoIncrement,
    /// orm, on the client (a UUID key: v7, time-ordered).
    ClientUuid,
    /// The database default (`created_at`, `updated_at`, `server_default`).
    ServerDefault,
}

/// A timestamp column that orm maintains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoTimestamp {
    /// Not maintained.
    No,
    /// Set on insert.
    CreatedAt,
    /// Set on insert and bumped on every update.
    UpdatedAt,
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnMeta {
    /// Column name in the database.
    pub name: &'static str,
    /// Field name in the Rust struct.
    pub field: &'static str,
    /// SQL type.
    pub ty: SqlType,
    /// NULL allowed (the field is an `Option`).
    pub nullable: bool,
    /// Part of the primary key.
    pub primary_key: bool,
    /// The name of its single-column UNIQUE constraint, if it has one.
    pub unique: Option<&'static str>,
    /// Who generates the value on insert.
    pub generated: Generated,
    /// The database default.
    pub default: Option<ColumnDefault>,
    /// Timestamp maintenance.
    pub auto_timestamp: AutoTimestamp,
    /// The only values the column may hold (a `#[derive(DbEnum)]`'s variants, as stored):
    /// a CHECK lists them. Empty for any value of the type.
    pub values: &'static [&'static str],
    /// Validation declared on the field (`validate(..)`), checked before every write.
    pub rules: &'static [crate::validation::Rule],
}

/// What a foreign key does when the referenced row is deleted or its key updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferentialAction {
    /// `NO ACTION` (the default).
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl ReferentialAction {
    /// The SQL keywords.
    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// A foreign key from columns of this table to the key of another.
#[derive(Debug, Clone, Copy)]
pub struct ForeignKeyMeta {
    /// Constraint name.
    pub name: &'static str,
    /// Columns of this table.
    pub columns: &'static [&'static str],
    /// The referenced table (resolved lazily so models may reference each other).
    pub references: fn() -> &'static TableMeta,
    /// The referenced columns; empty means the referenced table's primary key.
    pub referenced_columns: &'static [&'static str],
    /// `ON DELETE`.
    pub on_delete: ReferentialAction,
    /// `ON UPDATE`.
    pub on_update: ReferentialAction,
    /// `on_delete` was written by the model author (`on_delete = ".."`), rather than left
    /// at its `NO ACTION` default: the model linter asks for a decision. Not part of the
    /// schema, so not compared.
    pub on_delete_declared: bool,
}

impl PartialEq for ForeignKeyMeta {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.columns == other.columns
            && self.target().name == other.target().name
            && self.target_columns() == other.target_columns()
            && self.on_delete == other.on_delete
            && self.on_update == other.on_update
    }
}

impl ForeignKeyMeta {
    /// The referenced table.
    pub fn target(&self) -> &'static TableMeta {
        (self.references)()
    }

    /// The referenced columns, defaulting to the target's primary key.
    pub fn target_columns(&self) -> &'static [&'static str] {
        if self.referenced_columns.is_empty() {
            self.target().primary_key
        } else {
            self.referenced_columns
        }
    }
}

/// An index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexMeta {
    /// Index name.
    pub name: &'static str,
    /// Indexed columns in order.
    pub columns: &'static [&'static str],
    /// UNIQUE index.
    pub unique: bool,
    /// Only rows that are not soft-deleted are indexed (`WHERE deleted_at IS NULL`, over the
    /// model's `#[orm(soft_delete)]` column): a unique index then lets a deleted row's values
    /// be used again.
    pub ignore_deleted: bool,
    /// The condition of a partial index (`where = ".."`, raw SQL), besides `ignore_deleted`.
    pub predicate: Option<&'static str>,
    /// The PostgreSQL index method (`gin`, `gist`, `brin`, `hash`); a B-tree elsewhere.
    pub method: Option<&'static str>,
    /// Columns stored in the index without being keys (PostgreSQL `INCLUDE`).
    pub include: &'static [&'static str],
}

/// A named CHECK constraint: raw SQL, or a typed condition over the model's columns.
#[derive(Debug, Clone, Copy)]
pub struct CheckMeta {
    /// Constraint name.
    pub name: &'static str,
    /// The SQL boolean expression, written by the model author (`check(expr = "..")`);
    /// empty for a typed check.
    pub expr: &'static str,
    /// The typed condition (`check(condition = Account::balance.ge(0))`), rendered for each
    /// dialect, so that it means the same on every backend.
    pub condition: Option<fn() -> crate::expr::Condition>,
}

impl PartialEq for CheckMeta {
    /// Typed checks are equal when their conditions are the same expression.
    fn eq(&self, other: &Self) -> bool {
        let condition = |c: &CheckMeta| c.condition.map(|f| f().expr().clone());
        self.name == other.name && self.expr == other.expr && condition(self) == condition(other)
    }
}

/// A model-lint finding its author silenced, with the reason
/// (`#[orm(allow_lint(code = "L105", reason = ".."))]` on a field or on the struct).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LintAllow {
    /// The finding's code (`"L105"`).
    pub code: &'static str,
    /// The Rust field it is declared on; `None` on the struct (the whole model).
    pub field: Option<&'static str>,
    /// Why the finding does not apply.
    pub reason: &'static str,
}

/// A table: the metadata of one model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TableMeta {
    /// The Rust name of the model (`"BlogPost"`).
    pub model: &'static str,
    /// Table name.
    pub name: &'static str,
    /// Columns in declaration order (the order rows are selected and decoded in).
    pub columns: &'static [ColumnMeta],
    /// Primary-key column names in key order.
    pub primary_key: &'static [&'static str],
    /// The primary key constraint's name.
    pub primary_key_name: &'static str,
    /// Indexes (single-column `index` fields and struct-level `index(..)`).
    pub indexes: &'static [IndexMeta],
    /// Foreign keys.
    pub foreign_keys: &'static [ForeignKeyMeta],
    /// CHECK constraints.
    pub checks: &'static [CheckMeta],
    /// Relationships declared on the model.
    pub relations: &'static [crate::relation::RelationMeta],
    /// The `#[orm(version)]` column: optimistic locking (updates and deletes of one row
    /// check the version they loaded and bump it).
    pub version: Option<&'static str>,
    /// The `#[orm(soft_delete)]` column: deleting sets it, and reads hide rows where it is
    /// set.
    pub soft_delete: Option<&'static str>,
    /// Model-lint findings silenced by the model's author, each with its reason.
    pub lint_allows: &'static [LintAllow],
    /// For a variant of a single-table inheritance (`#[orm(inherits = Base)]`): the
    /// discriminator column of the shared table and this variant's value in it. Every read,
    /// write and key lookup of the variant is limited to the rows holding that value, and
    /// every insert writes it. `None` for other models (and for the base enum itself).
    pub discriminator: Option<Discriminator>,
}

/// The discriminator of a single-table inheritance variant: rows of the shared table whose
/// `column` holds `value` are this variant's (see [`crate::inheritance`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Discriminator {
    /// The discriminator column of the shared table.
    pub column: &'static str,
    /// This variant's value in it.
    pub value: &'static str,
}

impl Discriminator {
    /// `"table"."column" = 'value'`: the rows of this variant, in `table` (the shared table's
    /// name or its alias).
    pub fn condition(&self, table: &'static str) -> crate::expr::Expr {
        crate::expr::Expr::binary(
            crate::expr::BinaryOp::Eq,
            crate::expr::Expr::Column {
                table,
                name: self.column,
            },
            crate::expr::Expr::SchemaText(self.value),
        )
    }
}

impl TableMeta {
    /// Table `name` of model `model` with no columns, keys or constraints: the start of a
    /// table written by hand (`TableMeta { columns, ..TableMeta::empty("Row", "rows") }`).
    pub const fn empty(model: &'static str, name: &'static str) -> TableMeta {
        TableMeta {
            model,
            name,
            columns: &[],
            primary_key: &[],
            primary_key_name: "",
            indexes: &[],
            foreign_keys: &[],
            checks: &[],
            relations: &[],
            version: None,
            soft_delete: None,
            lint_allows: &[],
            discriminator: None,
        }
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&'static ColumnMeta> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The columns of the primary key.
    pub fn key_columns(&self) -> impl Iterator<Item = &'static ColumnMeta> + '_ {
        self.primary_key.iter().filter_map(|name| self.column(name))
    }

    /// True when a single integer key is generated by the database.
    pub fn has_autoincrement_key(&self) -> bool {
        self.columns
            .iter()
            .any(|c| c.generated == Generated::AutoIncrement)
    }

    /// `filter` limited to this variant's rows (`AND kind = 'engineer'`) for a single-table
    /// inheritance variant; `filter` as it is for any other model.
    pub fn variant_rows(&self, filter: Option<crate::expr::Expr>) -> Option<crate::expr::Expr> {
        match self.discriminator {
            Some(discriminator) => {
                crate::select::and_filter(filter, discriminator.condition(self.name))
            }
            None => filter,
        }
    }

    /// The key column the database generates (an identity / autoincrement integer), if any.
    pub fn database_generated_key(&self) -> Option<&'static ColumnMeta> {
        self.columns
            .iter()
            .find(|c| c.generated == Generated::AutoIncrement)
    }
}
