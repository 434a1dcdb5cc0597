//! Naming the constraint a failed write violated, the same way on every backend.
//!
//! Backends report different halves of a violation: PostgreSQL names the table and the
//! constraint, SQLite the table and columns of a unique or NOT NULL failure, only the name of
//! a check, and nothing at all of a foreign-key failure. orm completes the report from the
//! model metadata the statement was built from ([`WriteTarget`]) and the tables the database
//! knows ([`Tables`]): every unique, foreign-key, NOT NULL and check violation names its
//! table, constraint, columns and Rust fields.
//!
//! - **Unique**: a constraint name maps to its columns (the primary key, a column's unique
//!   constraint, a unique index); columns map to the constraint over exactly them (the
//!   primary key first, then a single column's unique constraint, then a unique index).
//! - **NOT NULL**: the reported column, its field; `constraint` is `None` (NOT NULL is a
//!   column's property, not a named constraint, on both backends).
//! - **Check**: the reported name, its table (the statement's table first), and the columns
//!   its expression reads when orm can read them ([`check_columns`]), else `None`.
//! - **Foreign key**, when the backend does not name it (SQLite): the statement's table and
//!   what it writes give the candidates ([`describe`]). One candidate is the one. Several
//!   are told apart by looking up, on the same connection and only on this error path,
//!   which referenced row is missing or which referencing row remains (see `orm-sqlite`);
//!   [`settle`] picks the first that failed, in the order PostgreSQL checks them (row by
//!   row, each row's foreign keys in declaration order). What cannot be looked up (an
//!   `INSERT .. SELECT`, a value computed by an expression, a cascade's further
//!   dependents) is not guessed: when more than one candidate remains, `constraint` is
//!   `None` and [`ConstraintInfo::candidates`] lists them.

use crate::error::{ConstraintInfo, ErrorKind};
use crate::meta::{ForeignKeyMeta, ReferentialAction, TableMeta};
use crate::statement::{WriteAction, WriteTarget};

/// The model tables a failed statement may involve: its own, those registered with the
/// database (`create_all`, `Database::register`), and those its table reaches through
/// foreign keys and relationships.
#[derive(Debug, Clone)]
pub struct Tables<'a> {
    target: Option<&'a WriteTarget>,
    known: Vec<&'static TableMeta>,
}

/// No schema is larger than this; it bounds the walk through relationships.
const MAX_TABLES: usize = 10_000;

impl<'a> Tables<'a> {
    /// The tables of a statement that wrote `target`, with the `registered` tables (in
    /// creation order: the order PostgreSQL created their constraints in).
    pub fn new(target: Option<&'a WriteTarget>, registered: &[&'static TableMeta]) -> Self {
        let mut known: Vec<&'static TableMeta> = Vec::new();
        let add = |table: &'static TableMeta, known: &mut Vec<&'static TableMeta>| {
            if known.len() < MAX_TABLES && !known.iter().any(|t| t.name == table.name) {
                known.push(table);
            }
        };
        if let Some(target) = target {
            add(target.table, &mut known);
        }
        for table in registered {
            add(table, &mut known);
        }
        // Walk foreign keys and relationships from what is known.
        let mut next = 0;
        while next < known.len() {
            let table = known[next];
            next += 1;
            for fk in table.foreign_keys {
                add(fk.target(), &mut known);
            }
            for relation in table.relations {
                add((relation.parent)(), &mut known);
                add((relation.target)(), &mut known);
                if let Some(through) = relation.through {
                    add(through(), &mut known);
                }
            }
        }
        Tables { target, known }
    }

    /// The statement's own table, if orm built it.
    pub fn target(&self) -> Option<&'a WriteTarget> {
        self.target
    }

    /// The model of table `name`: the statement's own first, then registered ones, then
    /// reachable ones.
    pub fn find(&self, name: &str) -> Option<&'static TableMeta> {
        self.known.iter().copied().find(|t| t.name == name)
    }

    /// Every known table, the statement's first.
    pub fn all(&self) -> &[&'static TableMeta] {
        &self.known
    }

    /// The statement's table when it is `name` (or `name` is unknown), else the table
    /// called `name`; otherwise the first table `matches`.
    fn locate(
        &self,
        name: Option<&str>,
        matches: impl Fn(&'static TableMeta) -> bool,
    ) -> Option<&'static TableMeta> {
        match name {
            Some(name) => self.find(name).filter(|t| matches(t)),
            None => self.known.iter().copied().find(|t| matches(t)),
        }
    }
}

/// How a failed statement meets a foreign key that may be the one it violated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The statement writes the foreign key's columns (an insert, an update setting them):
    /// the row they reference may be missing.
    Referencing,
    /// The statement deletes rows of the referenced table, or changes their referenced
    /// columns: a row referencing them may remain.
    Referenced,
    /// Rows the statement's cascade deletes are referenced through it (not looked up).
    Cascaded,
}

/// A foreign key a failed statement may have violated.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// The referencing table, whose foreign key it is.
    pub table: &'static TableMeta,
    /// The foreign key.
    pub foreign_key: &'static ForeignKeyMeta,
    /// How the statement meets it.
    pub side: Side,
}

/// What looking a candidate up found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// It fails: for [`Side::Referencing`], first at this row of the statement (0 for the
    /// other sides).
    Violated {
        /// The first failing row.
        row: usize,
    },
    /// It holds for every row.
    Holds,
    /// It was not (or could not be) looked up.
    Unknown,
}

/// How to look a [`Candidate`] up: already known, or by running these statements on the
/// connection the failed statement ran on, in order, until one returns a row (its one
/// integer column is the first failing row of the statement, see [`Lookup::Violated`]);
/// none returning a row means [`Lookup::Holds`].
#[derive(Debug, Clone)]
pub enum LookupPlan {
    /// No statement needed.
    Known(Lookup),
    /// Run these.
    Query(Vec<crate::statement::Statement>),
}

/// Fill `info` with `table`'s constraint `constraint` over `columns`, and their fields.
fn name(
    info: &mut ConstraintInfo,
    table: &'static TableMeta,
    constraint: Option<&str>,
    columns: Option<&[&str]>,
) {
    info.table = Some(table.name.to_owned());
    info.constraint = constraint.map(str::to_owned);
    info.columns = columns.map(|columns| columns.iter().map(|c| (*c).to_owned()).collect());
    info.fields = columns.and_then(|columns| {
        columns
            .iter()
            .map(|c| table.column(c).map(|meta| meta.field.to_owned()))
            .collect()
    });
    info.candidates.clear();
}

/// The columns of `table`'s unique constraint or unique index called `constraint`.
pub fn unique_columns(table: &TableMeta, constraint: &str) -> Option<Vec<&'static str>> {
    if constraint == table.primary_key_name && !table.primary_key.is_empty() {
        return Some(table.primary_key.to_vec());
    }
    if let Some(column) = table.columns.iter().find(|c| c.unique == Some(constraint)) {
        return Some(vec![column.name]);
    }
    table
        .indexes
        .iter()
        .find(|index| index.unique && index.name == constraint)
        .map(|index| index.columns.to_vec())
}

/// The unique constraint of `table` over exactly `columns` (in any order): the primary key,
/// then a single column's unique constraint, then a unique index (one in the same column
/// order first). Returns its name and its columns in its own order.
pub fn unique_over(
    table: &TableMeta,
    columns: &[&str],
) -> Option<(&'static str, Vec<&'static str>)> {
    let same_set =
        |other: &[&str]| other.len() == columns.len() && columns.iter().all(|c| other.contains(c));
    if !table.primary_key.is_empty() && same_set(table.primary_key) {
        return Some((table.primary_key_name, table.primary_key.to_vec()));
    }
    if let [column] = columns
        && let Some(meta) = table.column(column)
        && let Some(unique) = meta.unique
    {
        return Some((unique, vec![meta.name]));
    }
    let unique = || table.indexes.iter().filter(|index| index.unique);
    unique()
        .find(|index| index.columns == columns)
        .or_else(|| unique().find(|index| same_set(index.columns)))
        .map(|index| (index.name, index.columns.to_vec()))
}

/// SQL words a CHECK expression may hold that are not column names.
const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "null",
    "is",
    "in",
    "between",
    "like",
    "ilike",
    "glob",
    "regexp",
    "match",
    "escape",
    "true",
    "false",
    "case",
    "when",
    "then",
    "else",
    "end",
    "distinct",
    "from",
    "similar",
    "to",
    "any",
    "all",
    "some",
    "array",
    "unknown",
    "isnull",
    "notnull",
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
];

/// The columns a typed check's condition reads, in order of first use.
fn condition_columns(condition: &crate::expr::Expr) -> Vec<&'static str> {
    fn walk(expr: &crate::expr::Expr, out: &mut Vec<&'static str>) {
        if let crate::expr::Expr::Column { name, .. } = expr {
            if !out.contains(name) {
                out.push(name);
            }
            return;
        }
        expr.for_each_operand(&mut |operand| walk(operand, out));
    }
    let mut columns = Vec::new();
    walk(condition, &mut columns);
    columns
}

/// The columns of `table` that the CHECK expression `expr` reads, in order of first
/// appearance; `None` when orm cannot tell: the expression holds a word that is neither one
/// of the table's columns, a function name, a type name (after `AS` or `::`), a collation
/// (after `COLLATE`) nor an SQL keyword it knows; or a comment or dollar-quoted text; or no
/// column at all.
pub fn check_columns(table: &TableMeta, expr: &str) -> Option<Vec<&'static str>> {
    let names: Vec<&'static str> = table.columns.iter().map(|c| c.name).collect();
    expression_columns(&names, expr)
}

/// [`check_columns`] over a list of column names: those of `names` that `expr` reads.
pub fn expression_columns<'a>(names: &[&'a str], expr: &str) -> Option<Vec<&'a str>> {
    let bytes = expr.as_bytes();
    let mut columns: Vec<&'a str> = Vec::new();
    let mut push = |column: &'a str| {
        if !columns.contains(&column) {
            columns.push(column);
        }
    };
    // The previous word (lowercased) or symbol, to recognise `AS type`, `::type`, `COLLATE x`.
    let mut previous = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'\'' => {
                // A string literal, '' escaping a quote.
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return None,
                        Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                        Some(b'\'') => break,
                        Some(_) => i += 1,
                    }
                }
                i += 1;
                previous = "'".into();
            }
            b'"' | b'`' | b'[' => {
                let close = match c {
                    b'[' => b']',
                    other => other,
                };
                let mut ident = Vec::new();
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return None,
                        Some(&b) if b == close && c != b'[' && bytes.get(i + 1) == Some(&close) => {
                            ident.push(close);
                            i += 2;
                        }
                        Some(&b) if b == close => break,
                        Some(&b) => {
                            ident.push(b);
                            i += 1;
                        }
                    }
                }
                i += 1;
                let ident = String::from_utf8(ident).ok()?;
                if !is_type_position(&previous) {
                    match names.iter().find(|name| **name == ident) {
                        Some(column) => push(column),
                        None if followed_by_paren(bytes, i) => {}
                        None => return None,
                    }
                }
                previous = ident.to_lowercase();
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => return None,
            b'/' if bytes.get(i + 1) == Some(&b'*') => return None,
            b'$' => return None,
            b':' if bytes.get(i + 1) == Some(&b':') => {
                i += 2;
                previous = "::".into();
            }
            b'0'..=b'9' | b'.' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                    i += 1;
                }
                previous = "0".into();
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || bytes[i] == b'_'
                        || bytes[i] == b'$'
                        || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                let word = &expr[start..i];
                let lower = word.to_lowercase();
                if is_type_position(&previous) || followed_by_paren(bytes, i) {
                    // A type, a collation or a function name.
                } else if let Some(column) =
                    names.iter().find(|name| name.eq_ignore_ascii_case(word))
                {
                    push(column);
                } else if !KEYWORDS.contains(&lower.as_str()) && lower != "as" && lower != "collate"
                {
                    return None;
                }
                previous = lower;
            }
            _ => {
                i += 1;
                previous = (c as char).to_string();
            }
        }
    }
    (!columns.is_empty()).then_some(columns)
}

/// True when the word after `previous` names a type or a collation, not a column.
fn is_type_position(previous: &str) -> bool {
    matches!(previous, "as" | "::" | "collate")
}

/// True when the next non-blank character from `at` is `(`.
fn followed_by_paren(bytes: &[u8], at: usize) -> bool {
    bytes[at..]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'(')
}

/// The foreign keys a failed statement may have violated, in the order PostgreSQL checks
/// them: those its own rows reference through (declaration order), then those referencing
/// the rows it deletes or re-keys (the order the tables were created in), then those
/// referencing rows its cascades delete.
pub fn foreign_key_candidates(tables: &Tables<'_>) -> Vec<Candidate> {
    let Some(target) = tables.target() else {
        return Vec::new();
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    let add = |candidate: Candidate, candidates: &mut Vec<Candidate>| {
        if !candidates.iter().any(|c| {
            c.table.name == candidate.table.name && c.foreign_key.name == candidate.foreign_key.name
        }) {
            candidates.push(candidate);
        }
    };
    let fails = |action: ReferentialAction| {
        matches!(
            action,
            ReferentialAction::NoAction
                | ReferentialAction::Restrict
                | ReferentialAction::SetDefault
        )
    };
    if target.action != WriteAction::Delete {
        for foreign_key in target.written_foreign_keys() {
            add(
                Candidate {
                    table: target.table,
                    foreign_key,
                    side: Side::Referencing,
                },
                &mut candidates,
            );
        }
    }
    if target.action == WriteAction::Insert {
        return candidates;
    }
    // Foreign keys referencing the rows the statement deletes or re-keys, and through
    // cascades, the rows those deletes reach.
    let mut deleted: Vec<(&'static TableMeta, Side)> = vec![(target.table, Side::Referenced)];
    let mut next = 0;
    while next < deleted.len() {
        let (parent, side) = deleted[next];
        next += 1;
        for table in tables.all() {
            for foreign_key in table.foreign_keys {
                if foreign_key.target().name != parent.name {
                    continue;
                }
                let action = if target.action == WriteAction::Update && side == Side::Referenced {
                    if !foreign_key
                        .target_columns()
                        .iter()
                        .any(|c| target.columns.contains(c))
                    {
                        continue;
                    }
                    foreign_key.on_update
                } else {
                    foreign_key.on_delete
                };
                if fails(action) {
                    add(
                        Candidate {
                            table,
                            foreign_key,
                            side,
                        },
                        &mut candidates,
                    );
                } else if action == ReferentialAction::Cascade
                    && (target.action == WriteAction::Delete || side == Side::Cascaded)
                    && !deleted.iter().any(|(t, _)| t.name == table.name)
                {
                    deleted.push((table, Side::Cascaded));
                }
            }
        }
    }
    candidates
}

/// Complete `info`, the backend's report of a `kind` violation, from the model metadata.
/// Returns the foreign keys still to tell apart when the report fits several (an SQLite
/// foreign-key failure): look them up, then call [`settle`]. Otherwise `info` is final.
pub fn describe(kind: ErrorKind, info: &mut ConstraintInfo, tables: &Tables<'_>) -> Vec<Candidate> {
    match kind {
        ErrorKind::UniqueViolation => describe_unique(info, tables),
        ErrorKind::NotNullViolation => describe_not_null(info, tables),
        ErrorKind::CheckViolation => describe_check(info, tables),
        ErrorKind::ForeignKeyViolation => return describe_foreign_key(info, tables),
        _ => {}
    }
    Vec::new()
}

fn describe_unique(info: &mut ConstraintInfo, tables: &Tables<'_>) {
    if let Some(constraint) = info.constraint.clone() {
        let table = tables.locate(info.table.as_deref(), |t| {
            unique_columns(t, &constraint).is_some()
        });
        if let Some(table) = table
            && let Some(columns) = unique_columns(table, &constraint)
        {
            name(info, table, Some(&constraint), Some(&columns));
        }
        return;
    }
    let Some(columns) = info.columns.clone() else {
        return;
    };
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    if let Some(table) = info.table.as_deref().and_then(|t| tables.find(t))
        && let Some((constraint, ordered)) = unique_over(table, &columns)
    {
        name(info, table, Some(constraint), Some(&ordered));
    }
}

fn describe_not_null(info: &mut ConstraintInfo, tables: &Tables<'_>) {
    let Some(column) = info.column().map(str::to_owned) else {
        return;
    };
    let table = tables.locate(info.table.as_deref(), |t| t.column(&column).is_some());
    if let Some(table) = table {
        name(info, table, None, Some(&[column.as_str()]));
    }
}

fn describe_check(info: &mut ConstraintInfo, tables: &Tables<'_>) {
    let Some(constraint) = info.constraint.clone() else {
        return;
    };
    let has_check = |t: &'static TableMeta| t.checks.iter().any(|c| c.name == constraint);
    let Some(table) = tables.locate(info.table.as_deref(), has_check) else {
        return;
    };
    let Some(check) = table.checks.iter().find(|c| c.name == constraint) else {
        return;
    };
    let columns = match check.condition {
        Some(condition) => Some(condition_columns(condition().expr())),
        None => check_columns(table, check.expr),
    };
    name(info, table, Some(&constraint), columns.as_deref());
}

fn describe_foreign_key(info: &mut ConstraintInfo, tables: &Tables<'_>) -> Vec<Candidate> {
    if let Some(constraint) = info.constraint.clone() {
        let has_key = |t: &'static TableMeta| t.foreign_keys.iter().any(|fk| fk.name == constraint);
        if let Some(table) = tables.locate(info.table.as_deref(), has_key)
            && let Some(fk) = table.foreign_keys.iter().find(|fk| fk.name == constraint)
        {
            name(info, table, Some(&constraint), Some(fk.columns));
        }
        return Vec::new();
    }
    let candidates = foreign_key_candidates(tables);
    match candidates.as_slice() {
        [] => Vec::new(),
        [only] => {
            name_foreign_key(info, only);
            Vec::new()
        }
        several => {
            undecided(info, several);
            candidates
        }
    }
}

fn name_foreign_key(info: &mut ConstraintInfo, candidate: &Candidate) {
    name(
        info,
        candidate.table,
        Some(candidate.foreign_key.name),
        Some(candidate.foreign_key.columns),
    );
}

/// Several foreign keys remain: name their table when they share one, and list them.
fn undecided(info: &mut ConstraintInfo, candidates: &[Candidate]) {
    let first = candidates[0].table.name;
    info.table = candidates
        .iter()
        .all(|c| c.table.name == first)
        .then(|| first.to_owned());
    info.constraint = None;
    info.columns = None;
    info.fields = None;
    info.candidates = candidates
        .iter()
        .map(|c| c.foreign_key.name.to_owned())
        .collect();
}

/// Finish a foreign-key report that fitted several `candidates`, from what looking each
/// up found (`lookups[i]` for `candidates[i]`): the one violated at the earliest row (the
/// first in candidate order at that row) is the one; when none was found violated, a
/// single candidate that could not be looked up is; otherwise `info` lists those that
/// remain possible.
pub fn settle(info: &mut ConstraintInfo, candidates: &[Candidate], lookups: &[Lookup]) {
    let violated = candidates
        .iter()
        .zip(lookups)
        .filter_map(|(candidate, lookup)| match lookup {
            Lookup::Violated { row } => Some((*row, candidate)),
            _ => None,
        })
        .min_by_key(|(row, _)| *row);
    if let Some((_, candidate)) = violated {
        name_foreign_key(info, candidate);
        return;
    }
    let unknown: Vec<Candidate> = candidates
        .iter()
        .zip(lookups)
        .filter(|(_, lookup)| **lookup == Lookup::Unknown)
        .map(|(candidate, _)| *candidate)
        .collect();
    match unknown.as_slice() {
        [only] => name_foreign_key(info, only),
        [] => undecided(info, candidates),
        several => undecided(info, several),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{AutoTimestamp, CheckMeta, ColumnMeta, Generated, IndexMeta};
    use crate::value::SqlType;

    const fn column(name: &'static str, field: &'static str) -> ColumnMeta {
        ColumnMeta {
            name,
            field,
            ty: SqlType::BigInt,
            nullable: false,
            primary_key: false,
            unique: None,
            generated: Generated::No,
            default: None,
            auto_timestamp: AutoTimestamp::No,
            values: &[],
            rules: &[],
        }
    }

    static ITEMS: TableMeta = TableMeta {
        columns: &[
            ColumnMeta {
                primary_key: true,
                ..column("id", "id")
            },
            ColumnMeta {
                unique: Some("items_code_key"),
                ..column("code", "code")
            },
            column("low", "low"),
            column("high", "high"),
            column("select", "selected"),
        ],
        primary_key: &["id"],
        primary_key_name: "items_pkey",
        indexes: &[
            IndexMeta {
                name: "items_low_high_idx",
                columns: &["low", "high"],
                unique: true,
                ignore_deleted: false,
                predicate: None,
                method: None,
                include: &[],
            },
            IndexMeta {
                name: "items_high_idx",
                columns: &["high"],
                unique: false,
                ignore_deleted: false,
                predicate: None,
                method: None,
                include: &[],
            },
        ],
        checks: &[CheckMeta {
            name: "ordered",
            expr: "low <= high",
            condition: None,
        }],
        ..TableMeta::empty("Item", "items")
    };

    #[test]
    fn unique_constraints_map_both_ways() {
        assert_eq!(unique_columns(&ITEMS, "items_pkey"), Some(vec!["id"]));
        assert_eq!(unique_columns(&ITEMS, "items_code_key"), Some(vec!["code"]));
        assert_eq!(
            unique_columns(&ITEMS, "items_low_high_idx"),
            Some(vec!["low", "high"])
        );
        assert_eq!(unique_columns(&ITEMS, "items_high_idx"), None, "not unique");
        assert_eq!(
            unique_over(&ITEMS, &["id"]).map(|u| u.0),
            Some("items_pkey")
        );
        assert_eq!(
            unique_over(&ITEMS, &["code"]).map(|u| u.0),
            Some("items_code_key")
        );
        assert_eq!(
            unique_over(&ITEMS, &["high", "low"]),
            Some(("items_low_high_idx", vec!["low", "high"]))
        );
        assert_eq!(unique_over(&ITEMS, &["high"]), None);
    }

    #[test]
    fn check_columns_are_read_or_unknown() {
        let read = |expr| check_columns(&ITEMS, expr);
        assert_eq!(read("low <= high"), Some(vec!["low", "high"]));
        assert_eq!(
            read("LOW IS NOT NULL AND length(code) > 0"),
            Some(vec!["low", "code"])
        );
        assert_eq!(
            read("\"select\" IN (1, 2) OR high BETWEEN 0 AND 10"),
            Some(vec!["select", "high"])
        );
        assert_eq!(
            read("cast(low AS integer) > 0 AND high::bigint < 9"),
            Some(vec!["low", "high"])
        );
        assert_eq!(read("code <> 'low and high'"), Some(vec!["code"]));
        // A word that is not a column, a keyword or a function: orm cannot tell.
        assert_eq!(read("extract(year from low) > 2000"), None);
        assert_eq!(read("other_column > 0"), None);
        assert_eq!(read("low > 0 -- comment"), None);
        assert_eq!(read("1 = 1"), None);
    }
}
