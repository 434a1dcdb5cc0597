//! Owned, backend-neutral table definitions ([`TableDef`]): what a table *is*, whether it
//! comes from a model's `&'static` [`TableMeta`], from reading a live database, or from a
//! migration file. `create_all` renders models through them, and the migration tooling
//! diffs, stores and renders them.
//!
//! Every part that can differ per backend stays neutral here: a column's type is a
//! [`SqlType`] (each dialect names it), a default is a [`DefaultValue`] (each dialect writes
//! it), and a check carries its SQL per dialect when it was written as a typed condition.

use serde::{Deserialize, Serialize};

use crate::constraint::check_columns;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::meta::{ColumnDefault, Generated, ReferentialAction, TableMeta};
use crate::value::{ArrayElement, SqlType};

/// One table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableDef {
    /// Table name.
    pub name: String,
    /// Columns in order.
    pub columns: Vec<ColumnDef>,
    /// The primary key, if the table has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<KeyDef>,
    /// UNIQUE constraints (unique indexes are [`IndexDef`]s with `unique`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<KeyDef>,
    /// Foreign keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKeyDef>,
    /// CHECK constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckDef>,
    /// Indexes, created after the table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<IndexDef>,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnDef {
    /// Column name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// NULL allowed.
    #[serde(default)]
    pub nullable: bool,
    /// The database default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<DefaultValue>,
    /// An integer key the database generates (PostgreSQL identity, SQLite
    /// `INTEGER PRIMARY KEY AUTOINCREMENT`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub identity: bool,
}

/// A column type: one orm knows on every backend, or a backend's own type, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// A type orm maps on every backend.
    Sql(SqlType),
    /// A native enum: PostgreSQL's own `ENUM` type, text with a CHECK listing the values on
    /// SQLite.
    Enum(EnumDef),
    /// A type orm has no mapping for (read from a live database), rendered as written.
    Raw(String),
}

/// A native enum type (`CREATE TYPE "name" AS ENUM (..)` on PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EnumDef {
    /// The type's name.
    #[serde(rename = "enum")]
    pub name: String,
    /// Its labels, in order.
    pub values: Vec<String>,
}

impl EnumDef {
    /// The definition of a model's native enum.
    pub fn from_native(native: &crate::value::NativeEnum) -> EnumDef {
        EnumDef {
            name: native.name.to_owned(),
            values: owned(native.values),
        }
    }
}

impl ColumnType {
    /// The column type of a model's column.
    pub fn of(ty: SqlType) -> ColumnType {
        match ty {
            SqlType::Enum(native) => ColumnType::Enum(EnumDef::from_native(native)),
            ty => ColumnType::Sql(ty),
        }
    }
}

/// A column default, written by each dialect in its own way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultValue {
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A string literal.
    Str(String),
    /// The current time, in the column's type.
    CurrentTimestamp,
    /// Raw SQL, the same on every backend.
    Sql(String),
}

/// A primary key or UNIQUE constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDef {
    /// Constraint name; SQLite does not keep the names of unique constraints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Columns in key order.
    pub columns: Vec<String>,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKeyDef {
    /// Constraint name; SQLite does not keep foreign key names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Columns of this table.
    pub columns: Vec<String>,
    /// The referenced table.
    pub references: String,
    /// The referenced columns.
    pub referenced_columns: Vec<String>,
    /// `ON DELETE`.
    #[serde(default = "no_action", skip_serializing_if = "is_no_action")]
    pub on_delete: ReferentialAction,
    /// `ON UPDATE`.
    #[serde(default = "no_action", skip_serializing_if = "is_no_action")]
    pub on_update: ReferentialAction,
}

fn no_action() -> ReferentialAction {
    ReferentialAction::NoAction
}

fn is_no_action(action: &ReferentialAction) -> bool {
    *action == ReferentialAction::NoAction
}

/// A CHECK constraint: SQL for every backend, or per backend (a typed check's rendering).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckDef {
    /// Constraint name.
    pub name: String,
    /// The boolean expression, the same on every backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// The expression on SQLite, where it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqlite: Option<String>,
    /// The expression on PostgreSQL, where it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgresql: Option<String>,
    /// Set on the check that keeps a column of this native enum type to its labels: it
    /// exists only where the enum is text (SQLite), since PostgreSQL's type keeps them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_enum: Option<String>,
}

impl CheckDef {
    /// True when the check exists on `dialect` (see [`CheckDef::native_enum`]).
    pub fn exists_on(&self, dialect: &dyn Dialect) -> bool {
        self.native_enum.is_none() || !dialect.native_enums()
    }

    /// The expression for `dialect`.
    pub fn sql_for(&self, dialect: &dyn Dialect) -> Result<&str> {
        let own = match dialect.name() {
            "sqlite" => self.sqlite.as_deref(),
            "postgresql" => self.postgresql.as_deref(),
            _ => None,
        };
        own.or(self.sql.as_deref())
            .ok_or_else(|| Error::InvalidSchema {
                message: format!(
                    "the check `{}` has no SQL for {}: give it `sql` or `{}`",
                    self.name,
                    dialect.name(),
                    dialect.name()
                ),
            })
    }
}

/// An index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDef {
    /// Index name.
    pub name: String,
    /// Keys in order: column names, or expressions in parentheses (`(lower(email))`), each
    /// followed by ` DESC` when descending.
    pub columns: Vec<String>,
    /// UNIQUE index.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// The condition of a partial index (`"deleted_at" IS NULL`).
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// The PostgreSQL index method (`gin`, `gist`, `brin`, `hash`); `None` for a B-tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Columns stored without being keys (PostgreSQL `INCLUDE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
}

impl TableDef {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The definition of a model's table. Typed checks are rendered for each of `dialects`
    /// (the backends the definition will be used on; the first is the one it is for, where
    /// a raw check over a decimal column is refused if decimals are scaled integers there).
    pub fn from_meta(table: &TableMeta, dialects: &[&dyn Dialect]) -> Result<TableDef> {
        let columns = table
            .columns
            .iter()
            .map(|column| ColumnDef {
                name: column.name.to_owned(),
                ty: ColumnType::of(column.ty),
                nullable: column.nullable,
                default: column.default.map(DefaultValue::from),
                identity: column.generated == Generated::AutoIncrement,
            })
            .collect();
        let primary_key = (!table.primary_key.is_empty()).then(|| KeyDef {
            name: Some(table.primary_key_name.to_owned()),
            columns: owned(table.primary_key),
        });
        let uniques = table
            .columns
            .iter()
            .filter_map(|column| {
                column.unique.map(|name| KeyDef {
                    name: Some(name.to_owned()),
                    columns: vec![column.name.to_owned()],
                })
            })
            .collect();
        let foreign_keys = table
            .foreign_keys
            .iter()
            .map(|fk| ForeignKeyDef {
                name: Some(fk.name.to_owned()),
                columns: owned(fk.columns),
                references: fk.target().name.to_owned(),
                referenced_columns: owned(fk.target_columns()),
                on_delete: fk.on_delete,
                on_update: fk.on_update,
            })
            .collect();
        let mut checks = Vec::with_capacity(table.checks.len());
        for check in table.checks {
            let mut def = CheckDef {
                name: check.name.to_owned(),
                sql: None,
                sqlite: None,
                postgresql: None,
                native_enum: None,
            };
            match check.condition {
                None => {
                    // Refused for the backend the definition is for (the first); a raw check
                    // is the author's SQL, the same text everywhere.
                    if let Some(dialect) = dialects.first() {
                        refuse_raw_decimal_check(*dialect, table, check.name, check.expr)?;
                    }
                    def.sql = Some(check.expr.to_owned());
                }
                Some(condition) => {
                    for dialect in dialects {
                        let sql = crate::render::check_condition(*dialect, condition().expr())?;
                        match dialect.name() {
                            "sqlite" => def.sqlite = Some(sql),
                            "postgresql" => def.postgresql = Some(sql),
                            _ => def.sql = Some(sql),
                        }
                    }
                }
            }
            checks.push(def);
        }
        for column in table.columns.iter().filter(|c| !c.values.is_empty()) {
            checks.push(values_check(table.name, column.name, column.values));
        }
        for column in table.columns {
            if let SqlType::Enum(native) = column.ty {
                checks.push(CheckDef {
                    native_enum: Some(native.name.to_owned()),
                    ..values_check(table.name, column.name, native.values)
                });
            }
        }
        let mut indexes = Vec::with_capacity(table.indexes.len());
        for index in table.indexes {
            let deleted = if index.ignore_deleted {
                let Some(deleted_at) = table.soft_delete else {
                    return Err(Error::InvalidSchema {
                        message: format!(
                            "the index `{}` of `{}` ignores deleted rows, but the table has no \
                             soft-delete column",
                            index.name, table.name
                        ),
                    });
                };
                let mut sql = String::new();
                crate::dialect::quote_ident(&mut sql, deleted_at);
                sql.push_str(" IS NULL");
                Some(sql)
            } else {
                None
            };
            let predicate = match (index.predicate, deleted) {
                (Some(own), Some(deleted)) => Some(format!("({own}) AND {deleted}")),
                (Some(own), None) => Some(own.to_owned()),
                (None, deleted) => deleted,
            };
            indexes.push(IndexDef {
                name: index.name.to_owned(),
                columns: owned(index.columns),
                unique: index.unique,
                predicate,
                method: index.method.map(str::to_owned),
                include: owned(index.include),
            });
        }
        Ok(TableDef {
            name: table.name.to_owned(),
            columns,
            primary_key,
            uniques,
            foreign_keys,
            checks,
            indexes,
        })
    }
}

/// The CHECK that a column holds one of `values` (a `DbEnum` column): `"status" IN ('todo',
/// 'done')`. Its name carries a hash of the values, so that a changed list is a changed
/// constraint to the migration diff (which compares checks by name).
pub fn values_check(table: &str, column: &str, values: &[&str]) -> CheckDef {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in values.join("\0").bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    let mut prefix = format!("{table}_{column}");
    // PostgreSQL keeps 63 bytes of a name.
    while prefix.len() > 45 {
        prefix.pop();
    }
    let mut sql = String::new();
    crate::dialect::quote_ident(&mut sql, column);
    sql.push_str(" IN ");
    crate::ddl::push_literal_list(&mut sql, values);
    CheckDef {
        name: format!("{prefix}_values_{hash:08x}"),
        sql: Some(sql),
        sqlite: None,
        postgresql: None,
        native_enum: None,
    }
}

fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

impl From<ColumnDefault> for DefaultValue {
    fn from(default: ColumnDefault) -> Self {
        match default {
            ColumnDefault::Bool(b) => DefaultValue::Bool(b),
            ColumnDefault::Int(n) => DefaultValue::Int(n),
            ColumnDefault::Float(x) => DefaultValue::Float(x),
            ColumnDefault::Str(s) => DefaultValue::Str(s.to_owned()),
            ColumnDefault::Sql(s) => DefaultValue::Sql(s.to_owned()),
            ColumnDefault::CurrentTimestamp => DefaultValue::CurrentTimestamp,
        }
    }
}

/// Where decimals are scaled integers (SQLite), raw SQL over a decimal column computes with
/// the stored integer (`balance <= 100` would compare `5000` for 50.00): refused, pointing
/// to the typed check, which is rendered with the dialect's decimal rules. An expression
/// whose columns orm cannot read ([`check_columns`] says `None`) is refused too on a table
/// with decimal columns, since it may use one.
fn refuse_raw_decimal_check(
    dialect: &dyn Dialect,
    table: &TableMeta,
    name: &str,
    expr: &str,
) -> Result<()> {
    if dialect.capabilities().native_decimals {
        return Ok(());
    }
    let is_decimal = |column: &crate::meta::ColumnMeta| column.ty.decimal_scale().is_some();
    let decimal = match check_columns(table, expr) {
        Some(columns) => columns
            .iter()
            .find_map(|c| table.column(c).filter(|column| is_decimal(column))),
        None => table.columns.iter().find(|column| is_decimal(column)),
    };
    match decimal {
        None => Ok(()),
        Some(column) => Err(Error::InvalidSchema {
            message: format!(
                "the raw check `{name}` of `{}` may use the Decimal column `{}`, which {} \
                 stores as a scaled integer, so the raw SQL would compare the stored integer: \
                 write it as a typed check, e.g. check(name = \"{name}\", condition = \
                 Model::{}.ge(Decimal::ZERO)), which means the same on every backend",
                table.name,
                column.name,
                dialect.name(),
                column.field,
            ),
        }),
    }
}

impl ColumnType {
    /// The neutral name of a type, as migration files write it (`bigint`, `varchar(40)`,
    /// `numeric(10, 2)`, `timestamptz`); a raw type is written `raw:<type>`.
    pub fn name(&self) -> String {
        let ty = match self {
            ColumnType::Raw(raw) => return format!("raw:{raw}"),
            ColumnType::Enum(def) => return format!("enum:{}", def.name),
            ColumnType::Sql(ty) => *ty,
        };
        match ty {
            SqlType::Bool => "bool".into(),
            SqlType::SmallInt => "smallint".into(),
            SqlType::Int => "int".into(),
            SqlType::BigInt => "bigint".into(),
            SqlType::Real => "real".into(),
            SqlType::Double => "double".into(),
            SqlType::Text => "text".into(),
            SqlType::Varchar(n) => format!("varchar({n})"),
            SqlType::Bytes => "bytes".into(),
            SqlType::Numeric { precision, scale } => format!("numeric({precision}, {scale})"),
            SqlType::TimestampTz => "timestamptz".into(),
            SqlType::Timestamp => "timestamp".into(),
            SqlType::Date => "date".into(),
            SqlType::Time => "time".into(),
            SqlType::Uuid => "uuid".into(),
            SqlType::Json => "json".into(),
            SqlType::Jsonb => "jsonb".into(),
            SqlType::Array(element) => {
                format!("{}[]", ColumnType::Sql(element.sql_type()).name())
            }
            SqlType::Enum(native) => format!("enum:{}", native.name),
        }
    }

    /// Read a neutral type name (see [`ColumnType::name`]).
    pub fn parse(name: &str) -> Result<ColumnType> {
        let text = name.trim();
        if let Some(raw) = text.strip_prefix("raw:") {
            return Ok(ColumnType::Raw(raw.trim().to_owned()));
        }
        if let Some(element) = text.strip_suffix("[]") {
            return match ColumnType::parse(element)? {
                ColumnType::Sql(ty) => ArrayElement::of(ty)
                    .map(|e| ColumnType::Sql(SqlType::Array(e)))
                    .ok_or_else(|| bad_type(name)),
                ColumnType::Raw(_) | ColumnType::Enum(_) => Err(bad_type(name)),
            };
        }
        let lower = text.to_ascii_lowercase();
        let (base, args) = match lower.split_once('(') {
            Some((base, rest)) => {
                let args = rest.strip_suffix(')').ok_or_else(|| bad_type(name))?;
                let args = args
                    .split(',')
                    .map(|a| a.trim().parse::<u32>().map_err(|_| bad_type(name)))
                    .collect::<Result<Vec<u32>>>()?;
                (base.trim().to_owned(), args)
            }
            None => (lower.clone(), Vec::new()),
        };
        let ty = match (base.as_str(), args.as_slice()) {
            ("bool", []) => SqlType::Bool,
            ("smallint", []) => SqlType::SmallInt,
            ("int", []) => SqlType::Int,
            ("bigint", []) => SqlType::BigInt,
            ("real", []) => SqlType::Real,
            ("double", []) => SqlType::Double,
            ("text", []) => SqlType::Text,
            ("varchar", [n]) => SqlType::Varchar(*n),
            ("bytes", []) => SqlType::Bytes,
            ("numeric", [p, s]) => SqlType::Numeric {
                precision: u8::try_from(*p).map_err(|_| bad_type(name))?,
                scale: u8::try_from(*s).map_err(|_| bad_type(name))?,
            },
            ("timestamptz", []) => SqlType::TimestampTz,
            ("timestamp", []) => SqlType::Timestamp,
            ("date", []) => SqlType::Date,
            ("time", []) => SqlType::Time,
            ("uuid", []) => SqlType::Uuid,
            ("json", []) => SqlType::Json,
            ("jsonb", []) => SqlType::Jsonb,
            _ => return Err(bad_type(name)),
        };
        Ok(ColumnType::Sql(ty))
    }
}

fn bad_type(name: &str) -> Error {
    Error::InvalidSchema {
        message: format!(
            "unknown column type `{name}`: use bool, smallint, int, bigint, real, double, text, \
             varchar(n), bytes, numeric(p, s), timestamptz, timestamp, date, time, uuid, json, \
             jsonb, an array of bool, smallint, int, bigint, double, text or uuid (`bigint[]`), \
             or raw:<the backend's own type>"
        ),
    }
}

/// A type is written by its name (`"bigint"`), a native enum as `{"enum": name, "values": [..]}`.
impl Serialize for ColumnType {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        match self {
            ColumnType::Enum(def) => def.serialize(serializer),
            other => serializer.serialize_str(&other.name()),
        }
    }
}

impl<'de> Deserialize<'de> for ColumnType {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Name(String),
            Enum(EnumDef),
        }
        match Written::deserialize(deserializer)? {
            Written::Name(name) => ColumnType::parse(&name).map_err(serde::de::Error::custom),
            Written::Enum(def) => Ok(ColumnType::Enum(def)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_read_back() {
        for name in [
            "bool",
            "varchar(40)",
            "numeric(10, 2)",
            "timestamptz",
            "jsonb",
            "bigint[]",
            "text[]",
            "double[]",
            "uuid[]",
            "raw:tsvector",
            "raw:integer[]",
        ] {
            assert_eq!(ColumnType::parse(name).unwrap().name(), name);
        }
        assert_eq!(
            ColumnType::parse("bigint[]").unwrap(),
            ColumnType::Sql(SqlType::Array(ArrayElement::BigInt))
        );
        for bad in ["jsonb[]", "numeric(10, 2)[]", "bigint[][]"] {
            assert!(ColumnType::parse(bad).is_err(), "{bad}");
        }
    }
}
