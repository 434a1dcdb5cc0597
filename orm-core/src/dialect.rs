//! The narrow seam between the one renderer and each backend's SQL.

use std::borrow::Cow;

use crate::error::Result;
use crate::expr::{DatePart, DateUnit};
use crate::meta::ColumnMeta;
use crate::statement::Statement;
use crate::value::SqlType;

/// Write `ident` in double quotes, doubling any quote inside: the SQL standard's quoting,
/// which every supported backend reads.
pub fn quote_ident(out: &mut String, ident: &str) {
    out.reserve(ident.len() + 2);
    out.push('"');
    // Identifiers are written for every column of every statement: copy them whole unless
    // they hold a quote (rare).
    if ident.bytes().any(|b| b == b'"') {
        out.push_str(&ident.replace('"', "\"\""));
    } else {
        out.push_str(ident);
    }
    out.push('"');
}

/// The error for a `Decimal` column whose type reached DDL without `numeric(p, s)` (the derive
/// rejects `Decimal` fields without it; a type alias can slip past that check).
pub fn undeclared_numeric(column: &ColumnMeta) -> crate::Error {
    crate::Error::InvalidStatement {
        message: format!(
            "the Decimal column `{}` needs #[orm(numeric(precision, scale))]",
            column.name
        ),
    }
}

/// How far [`Dialect::advance_key_sequence`] moves the sequence of a generated key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequencePast {
    /// Past this key, the largest of the explicit keys about to be inserted.
    Key(i64),
    /// Past the largest key stored in the table (after an `INSERT .. SELECT` that wrote the
    /// key column).
    StoredKeys,
}

/// What a backend can do; checked before rendering so a missing feature is a typed
/// [`crate::Error::Unsupported`], never dropped SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// `INSERT/UPDATE/DELETE ... RETURNING`.
    pub returning: bool,
    /// Largest number of bind parameters in one statement.
    pub max_binds: usize,
    /// Largest `NUMERIC` precision that is stored exactly.
    pub max_numeric_precision: u8,
    /// `ILIKE` (otherwise both sides are lowered).
    pub ilike: bool,
    /// `SELECT DISTINCT ON (..)`.
    pub distinct_on: bool,
    /// `FOR UPDATE` / `FOR SHARE` with `NOWAIT` / `SKIP LOCKED`.
    pub row_locks: bool,
    /// Decimals are stored as `NUMERIC` (so `*`, `/` and casts of decimals work in SQL);
    /// false where they are scaled integers.
    pub native_decimals: bool,
    /// `WITH w AS (UPDATE .. RETURNING ..) SELECT ..`: a write inside a CTE, so one statement
    /// can write a row and say whether it existed.
    pub writable_cte: bool,
    /// Index methods (`USING gin`) and `INCLUDE` columns; elsewhere every index is a B-tree
    /// of its keys (the same answers, another speed).
    pub index_methods: bool,
}

/// Names of the functions a dialect reads JSON with (see [`Dialect::json_functions`]): each
/// takes the document first, then the path's steps.
#[derive(Debug)]
pub struct JsonFunctions {
    /// The value at a path, as JSON text (`->`).
    pub get: &'static str,
    /// The value at a path, as text (`->>`).
    pub text: &'static str,
    /// `doc @> value`, 1 or 0.
    pub contains: &'static str,
    /// True when two JSON arrays share an element (`&&` of arrays), 1 or 0.
    pub overlaps: &'static str,
}

/// A backend's SQL dialect: quoting, placeholders, type names and the few constructs that
/// differ. The renderer ([`crate::render`]) does everything else.
///
/// Contract: identifiers written by [`Dialect::write_ident`] must be quoted with embedded
/// quotes escaped; placeholders are numbered from 1 in the order binds are pushed.
pub trait Dialect: std::fmt::Debug + Send + Sync + 'static {
    /// Backend name for messages (`"sqlite"`, `"postgresql"`).
    fn name(&self) -> &'static str;
    /// A small dense number identifying the dialect, used to index statement caches.
    fn id(&self) -> usize;
    /// The backend's capabilities.
    fn capabilities(&self) -> &'static Capabilities;
    /// Write the placeholder of the `index`-th bind (1-based).
    fn write_placeholder(&self, out: &mut String, index: usize);
    /// How `expr [NOT] IN (list)` reads the whole list from one parameter holding a
    /// [`crate::Value::List`] of values like `element`: the SQL written after `expr` and
    /// before the placeholder, and after it. `None` when values of this type are bound one
    /// by one (the default).
    fn list_parameter(
        &self,
        element: &crate::Value,
        negated: bool,
    ) -> Option<(&'static str, &'static str)> {
        let _ = (element, negated);
        None
    }
    /// Write a quoted identifier, escaping embedded quotes.
    fn write_ident(&self, out: &mut String, ident: &str) {
        quote_ident(out, ident);
    }
    /// The column's type in `CREATE TABLE`, including identity/autoincrement clauses for a
    /// generated integer key. `Err(Unsupported)` when the backend cannot store it exactly.
    fn column_type(&self, column: &ColumnMeta) -> Result<String>;
    /// The statement that moves the sequence behind the database-generated key `column` of
    /// `table` past `past` — forward only — so that keys generated later do not collide with
    /// keys given explicitly. `None` where the backend does this by itself (SQLite's
    /// `AUTOINCREMENT` always moves past the largest key inserted), the default.
    fn advance_key_sequence(
        &self,
        table: &'static str,
        column: &'static str,
        past: SequencePast,
    ) -> Option<Statement> {
        let _ = (table, column, past);
        None
    }
    /// True when an autoincrement key must be declared inline (`INTEGER PRIMARY KEY
    /// AUTOINCREMENT` on SQLite) instead of in a table-level `PRIMARY KEY` constraint.
    fn inline_autoincrement_key(&self) -> bool;
    /// A boolean literal in DDL.
    fn bool_literal(&self, value: bool) -> &'static str;
    /// SQL for "now", in the storage format of `ty`.
    fn current_timestamp(&self, ty: SqlType) -> &'static str;
    /// The type name in `CAST(x AS type)`; `Err(Unsupported)` where the backend's storage
    /// cannot express the conversion.
    fn cast_type(&self, ty: SqlType) -> Result<Cow<'static, str>>;
    /// SQL around an expression that truncates a timestamp of type `ty` to `unit`, in the
    /// stored format: `(prefix, suffix)`.
    fn date_trunc(&self, unit: DateUnit, ty: SqlType) -> Result<(String, &'static str)>;
    /// The prefix that asks for a query plan, and the result column holding the plan text.
    fn explain(&self) -> (&'static str, usize);

    /// The SQL of a date part of a `ty` expression, with `{}` where the expression goes (it
    /// may go there more than once): an integer, or for [`DatePart::Epoch`] a decimal
    /// (scaled, where decimals are scaled integers).
    fn date_part(&self, part: DatePart, ty: SqlType) -> Result<String>;

    /// How a cast from `from` to `to` is written where a plain `CAST` would give a different
    /// answer on another backend, with `{}` where the expression goes; `None` for `CAST`.
    /// Casts to text give one text everywhere: timestamps as ISO 8601 with microseconds (the
    /// form SQLite stores), booleans as `true` / `false`, floats in PostgreSQL's shortest form.
    fn cast_template(&self, from: SqlType, to: SqlType) -> Result<Option<String>> {
        let _ = (from, to);
        Ok(None)
    }

    /// `GREATEST` / `LEAST` of two values, ignoring NULLs: `None` where the dialect has them,
    /// or its two-argument `max` / `min` (which the renderer makes ignore NULLs).
    fn extreme_function(&self, greatest: bool) -> Option<&'static str> {
        let _ = greatest;
        None
    }

    /// The type `json` values are cast to for comparison, where `json` itself has no
    /// equality (PostgreSQL: `jsonb`, which compares by value).
    fn json_comparison_cast(&self) -> Option<&'static str> {
        None
    }

    /// The functions that read JSON by `jsonb`'s rules where the backend has no `jsonb`
    /// operators; `None` for PostgreSQL's `->`, `->>` and `@>` (the default).
    fn json_functions(&self) -> Option<&'static JsonFunctions> {
        None
    }

    /// True where a native enum column ([`SqlType::Enum`]) has the database's own enum type
    /// (PostgreSQL); elsewhere it is text with a CHECK listing the values.
    fn native_enums(&self) -> bool {
        false
    }

    /// The function that lower-cases (or, with `upper`, upper-cases) text as PostgreSQL does,
    /// for all of Unicode.
    fn case_function(&self, upper: bool) -> &'static str {
        if upper { "UPPER" } else { "LOWER" }
    }
    /// Write `LIMIT`/`OFFSET`; `limit` and `offset` are already-rendered placeholders.
    fn write_limit_offset(&self, out: &mut String, limit: Option<&str>, offset: Option<&str>) {
        if let Some(limit) = limit {
            out.push_str(" LIMIT ");
            out.push_str(limit);
        }
        if let Some(offset) = offset {
            out.push_str(" OFFSET ");
            out.push_str(offset);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::quote_ident;

    fn quoted(ident: &str) -> String {
        let mut out = String::new();
        quote_ident(&mut out, ident);
        out
    }

    #[test]
    fn every_double_quote_is_doubled() {
        assert_eq!(quoted("users"), r#""users""#);
        assert_eq!(quoted(""), r#""""#);
        assert_eq!(quoted(r#"a"b"#), r#""a""b""#);
        assert_eq!(quoted(r#""x""#), r#""""x""""#);
        assert_eq!(quoted(r#"é"""ü"#), r#""é""""""ü""#);
    }
}
