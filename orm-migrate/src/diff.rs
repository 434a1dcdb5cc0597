//! The schema diff: the ordered operations that turn one [`Snapshot`] into another.
//!
//! Pure: it reads two snapshots and a dialect (to compare types and defaults the way that
//! backend stores them) and touches no database. A rename is never guessed: a column dropped
//! and another of the same type added in one table is reported as a [`PossibleRename`] with
//! the flag that makes it one.

use orm_core::ddl::{column_type_sql, default_sql};
use orm_core::dialect::Dialect;
use orm_core::error::Result;
use orm_core::schema_def::{
    CheckDef, ColumnDef, ColumnType, EnumDef, ForeignKeyDef, IndexDef, TableDef, values_check,
};
use orm_core::value::SqlType;

use crate::operation::Operation;
use crate::snapshot::Snapshot;

/// Renames the user asked for (`--rename users.name=full_name`, `--rename old_table=new`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// `(from, to)` table renames.
    pub tables: Vec<(String, String)>,
    /// `(table, from, to)` column renames; `table` is the table's new name.
    pub columns: Vec<(String, String, String)>,
}

impl Renames {
    /// Read one `--rename` value: `table.from=to` renames a column, `from=to` a table.
    pub fn add(&mut self, flag: &str) -> std::result::Result<(), String> {
        let (left, to) = flag
            .split_once('=')
            .ok_or_else(|| format!("`{flag}` is not a rename: write table.old=new or old=new"))?;
        let to = to.trim().to_owned();
        match left.trim().split_once('.') {
            Some((table, from)) => self.columns.push((table.to_owned(), from.to_owned(), to)),
            None => self.tables.push((left.trim().to_owned(), to)),
        }
        Ok(())
    }
}

/// A column (or table) dropped while another of the same shape is added: maybe a rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleRename {
    /// What is dropped (`users.name`, or a table name).
    pub dropped: String,
    /// What is added.
    pub added: String,
    /// The flag that turns the drop and add into a rename.
    pub flag: String,
}

/// The result of [`diff`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    /// The operations, in an order that applies: foreign keys dropped before what they
    /// reference, tables created before what references them.
    pub operations: Vec<Operation>,
    /// Drops and adds that may be renames; the diff treats them as drops and adds.
    pub possible_renames: Vec<PossibleRename>,
}

impl Diff {
    /// True when the two snapshots are the same schema.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }
}

/// Two foreign keys are the same when they join the same columns the same way (SQLite does
/// not keep constraint names, so names are not compared).
pub(crate) fn same_foreign_key(a: &ForeignKeyDef, b: &ForeignKeyDef) -> bool {
    a.columns == b.columns
        && a.references == b.references
        && a.referenced_columns == b.referenced_columns
        && a.on_delete == b.on_delete
        && a.on_update == b.on_update
}

/// SQL text reduced to what a backend's own rewriting keeps: no identifier quotes, no
/// blanks, no enclosing parentheses, no `::type` casts after a literal (PostgreSQL writes a
/// default of `'x'` back as `'x'::text`), lower case outside string literals.
pub fn normalize_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                out.push('\'');
                while let Some(c) = chars.next() {
                    out.push(c);
                    if c == '\'' {
                        if chars.peek() == Some(&'\'') {
                            out.push(chars.next().unwrap_or('\''));
                        } else {
                            break;
                        }
                    }
                }
            }
            '"' => {}
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                skip_cast_type(&mut chars);
            }
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    strip_parentheses(&out).replace(' ', "")
}

/// Skip the type name of a `::type` cast: a word, the words of a multi-word type
/// (`character varying`, `timestamp with time zone`, `double precision`), a parenthesised
/// modifier and array brackets.
fn skip_cast_type(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    const CONTINUATIONS: [&str; 6] = ["varying", "with", "without", "time", "zone", "precision"];
    let word = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_alphanumeric() || c == '_' || c == '"' {
                word.push(c);
                chars.next();
            } else {
                break;
            }
        }
        word
    };
    word(chars);
    loop {
        let mut ahead = chars.clone();
        if ahead.next() != Some(' ') {
            break;
        }
        let next = word(&mut ahead);
        if CONTINUATIONS.contains(&next.to_ascii_lowercase().as_str()) {
            *chars = ahead;
        } else {
            break;
        }
    }
    if chars.peek() == Some(&'(') {
        for c in chars.by_ref() {
            if c == ')' {
                break;
            }
        }
    }
    while chars.peek() == Some(&'[') || chars.peek() == Some(&']') {
        chars.next();
    }
}

/// Remove grouping parentheses (those that do not follow a function name): PostgreSQL
/// writes `a IS NOT NULL AND b > 1` back as `((a IS NOT NULL) AND (b > 1))`. Grouping alone
/// is therefore not compared: `(a OR b) AND c` and `a OR (b AND c)` read the same here.
fn strip_parentheses(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut keep = vec![true; chars.len()];
    // For each open parenthesis: whether it is a grouping one.
    let mut open: Vec<bool> = Vec::new();
    let mut in_string = false;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\'' => in_string = !in_string,
            '(' if !in_string => {
                let call = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
                open.push(!call);
                keep[i] = call;
            }
            ')' if !in_string => keep[i] = !open.pop().unwrap_or(false),
            _ => {}
        }
    }
    chars
        .iter()
        .zip(keep)
        .filter_map(|(c, keep)| keep.then_some(*c))
        .collect()
}

/// The type of `column` as `dialect` stores it, for comparing.
fn stored_type(dialect: &dyn Dialect, column: &ColumnDef) -> Result<String> {
    let ty = column_type_sql(dialect, column)?;
    Ok(ty
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase())
}

fn stored_default(dialect: &dyn Dialect, column: &ColumnDef) -> Result<Option<String>> {
    Ok(default_sql(dialect, column)?.map(|sql| normalize_sql(&sql)))
}

/// True when the two columns are stored the same way by `dialect`.
pub fn same_column(dialect: &dyn Dialect, a: &ColumnDef, b: &ColumnDef) -> Result<bool> {
    if a.identity != b.identity || stored_type(dialect, a)? != stored_type(dialect, b)? {
        return Ok(false);
    }
    if a.identity && dialect.inline_autoincrement_key() {
        return Ok(true);
    }
    Ok(a.nullable == b.nullable && stored_default(dialect, a)? == stored_default(dialect, b)?)
}

/// True when two indexes are the same for `dialect`: the same keys (ascending written or
/// not), uniqueness and condition, and, where the dialect has them, method and `INCLUDE`.
fn same_index(dialect: &dyn Dialect, a: &IndexDef, b: &IndexDef) -> bool {
    let keys = |i: &IndexDef| {
        i.columns
            .iter()
            .map(|key| match orm_core::ddl::split_key_order(key) {
                (body, Some("DESC")) => format!("{} desc", normalize_sql(body)),
                (body, _) => normalize_sql(body),
            })
            .collect::<Vec<_>>()
    };
    let methods = dialect.capabilities().index_methods;
    let method = |i: &IndexDef| i.method.clone().filter(|m| methods && m != "btree");
    let include = |i: &IndexDef| {
        if methods {
            i.include.clone()
        } else {
            Vec::new()
        }
    };
    a.unique == b.unique
        && keys(a) == keys(b)
        && method(a) == method(b)
        && include(a) == include(b)
        && a.predicate.as_deref().map(normalize_sql) == b.predicate.as_deref().map(normalize_sql)
}

/// The operations that turn `from` (a database) into `to` (the models), for `dialect`.
pub fn diff(
    from: &Snapshot,
    to: &Snapshot,
    dialect: &dyn Dialect,
    renames: &Renames,
) -> Result<Diff> {
    let mut phases = Phases::default();
    let mut from = from.clone();
    for (old, new) in &renames.tables {
        let op = Operation::RenameTable {
            from: old.clone(),
            to: new.clone(),
        };
        from.apply(&op)?;
        phases.renames.push(op);
    }
    for (table, old, new) in &renames.columns {
        let op = Operation::RenameColumn {
            table: table.clone(),
            from: old.clone(),
            to: new.clone(),
        };
        from.apply(&op)?;
        phases.renames.push(op);
    }
    let mut possible_renames = Vec::new();

    let dropped: Vec<&TableDef> = from
        .tables
        .iter()
        .filter(|t| to.table(&t.name).is_none())
        .collect();
    let created: Vec<&TableDef> = to
        .tables
        .iter()
        .filter(|t| from.table(&t.name).is_none())
        .collect();
    for old in &dropped {
        for new in &created {
            let shape = |t: &TableDef| -> Result<Vec<(String, String)>> {
                t.columns
                    .iter()
                    .map(|c| Ok((c.name.clone(), stored_type(dialect, c)?)))
                    .collect()
            };
            if shape(old)? == shape(new)? {
                possible_renames.push(PossibleRename {
                    dropped: old.name.clone(),
                    added: new.name.clone(),
                    flag: format!("--rename {}={}", old.name, new.name),
                });
            }
        }
    }

    // Dropped tables: foreign keys into them from tables that stay go first (they are not in
    // the models any more, so the table diff below drops them), then dependents before what
    // they reference.
    for table in order_by_references(&dropped).into_iter().rev() {
        phases.drop_tables.push(Operation::DropTable {
            table: table.clone(),
        });
    }

    // Created tables, each after the tables it references; a foreign key to a table created
    // later (a cycle) is added once both exist.
    let mut made: Vec<String> = Vec::new();
    for table in order_by_references(&created) {
        let mut def = table.clone();
        let (now, later): (Vec<_>, Vec<_>) = def.foreign_keys.drain(..).partition(|fk| {
            fk.references == def.name
                || made.contains(&fk.references)
                || from.table(&fk.references).is_some()
                || !created.iter().any(|t| t.name == fk.references)
        });
        def.foreign_keys = now;
        for fk in later {
            phases.add_foreign_keys.push(Operation::AddForeignKey {
                table: def.name.clone(),
                foreign_key: fk,
            });
        }
        made.push(def.name.clone());
        phases
            .create_tables
            .push(Operation::CreateTable { table: def });
    }

    if !dialect.native_enums() {
        lift_text_enums(&mut from, to);
    }
    diff_enums(&from, to, &mut phases);
    for old in &from.tables {
        if let Some(new) = to.table(&old.name) {
            diff_table(dialect, old, new, &mut phases, &mut possible_renames)?;
        }
    }
    Ok(Diff {
        operations: phases.into_operations(),
        possible_renames,
    })
}

/// Where enums are text (SQLite) the database keeps no enum types, but each native enum
/// column keeps the check of its labels: a text column the models declare as a native enum,
/// with the labels check orm writes for it, is read as that enum with the labels the check
/// lists. So a revision generated there creates and changes the types as one generated on
/// PostgreSQL does (it cannot tell a type no model uses any more, which it leaves).
fn lift_text_enums(from: &mut Snapshot, to: &Snapshot) {
    for target in &to.tables {
        let Some(live) = from.tables.iter_mut().find(|t| t.name == target.name) else {
            continue;
        };
        for column in &target.columns {
            let ColumnType::Enum(def) = &column.ty else {
                continue;
            };
            let table = live.name.clone();
            let Some((check, labels)) = live.checks.iter_mut().find_map(|check| {
                labels_of(&table, &column.name, check).map(|labels| (check, labels))
            }) else {
                continue;
            };
            let Some(live_column) = live
                .columns
                .iter_mut()
                .find(|c| c.name == column.name && matches!(c.ty, ColumnType::Sql(SqlType::Text)))
            else {
                continue;
            };
            // The check is the enum's: it exists only where the enum is text.
            check.native_enum = Some(def.name.clone());
            live_column.ty = ColumnType::Enum(EnumDef {
                name: def.name.clone(),
                values: labels,
            });
        }
    }
}

/// The labels `check` lists when it is the labels check of `table.column` as orm writes it
/// (`"state" IN ('open', 'closed')`, named from the labels).
fn labels_of(table: &str, column: &str, check: &CheckDef) -> Option<Vec<String>> {
    let (_, list) = check.sql.as_deref()?.split_once(" IN (")?;
    let labels = string_literals(list)?;
    let names: Vec<&str> = labels.iter().map(String::as_str).collect();
    (values_check(table, column, &names).name == check.name).then_some(labels)
}

/// The SQL string literals of `'a', 'it''s')`, up to the closing parenthesis.
fn string_literals(text: &str) -> Option<Vec<String>> {
    let mut labels = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        match chars.next()? {
            ' ' | ',' => {}
            ')' => return Some(labels),
            '\'' => {
                let mut label = String::new();
                loop {
                    match chars.next()? {
                        '\'' if chars.peek() == Some(&'\'') => {
                            chars.next();
                            label.push('\'');
                        }
                        '\'' => break,
                        ch => label.push(ch),
                    }
                }
                labels.push(label);
            }
            _ => return None,
        }
    }
}

/// Native enum types, known by the columns that use them: created before any column uses
/// them, changed before columns change, dropped once no column does.
fn diff_enums(from: &Snapshot, to: &Snapshot, phases: &mut Phases) {
    let old = from.enums();
    for new in to.enums() {
        match old.iter().find(|o| o.name == new.name) {
            None => phases.create_enums.push(Operation::CreateEnum {
                definition: new.clone(),
            }),
            Some(old) if old.values != new.values => {
                phases.alter_enums.push(Operation::AlterEnum {
                    from: (*old).clone(),
                    to: new.clone(),
                })
            }
            Some(_) => {}
        }
    }
    let new = to.enums();
    for old in old {
        if !new.iter().any(|n| n.name == old.name) {
            phases.drop_enums.push(Operation::DropEnum {
                definition: old.clone(),
            });
        }
    }
}

/// Two checks are one when they have one name and, where native enums have their own type,
/// are both, or both not, a native enum's (which exists only where the enum is text).
fn same_check(dialect: &dyn Dialect, a: &CheckDef, b: &CheckDef) -> bool {
    a.name == b.name
        && (!dialect.native_enums() || a.native_enum.is_some() == b.native_enum.is_some())
}

fn diff_table(
    dialect: &dyn Dialect,
    old: &TableDef,
    new: &TableDef,
    phases: &mut Phases,
    possible_renames: &mut Vec<PossibleRename>,
) -> Result<()> {
    let table = || new.name.clone();
    let mut dropped_columns = Vec::new();
    for column in &old.columns {
        match new.column(&column.name) {
            None => dropped_columns.push(column),
            Some(target) => {
                if !same_column(dialect, column, target)? {
                    phases.alter_columns.push(Operation::AlterColumn {
                        table: table(),
                        from: column.clone(),
                        to: target.clone(),
                    });
                }
            }
        }
    }
    let added_columns: Vec<&ColumnDef> = new
        .columns
        .iter()
        .filter(|c| old.column(&c.name).is_none())
        .collect();
    for dropped in &dropped_columns {
        for added in &added_columns {
            if stored_type(dialect, dropped)? == stored_type(dialect, added)? {
                possible_renames.push(PossibleRename {
                    dropped: format!("{}.{}", new.name, dropped.name),
                    added: format!("{}.{}", new.name, added.name),
                    flag: format!("--rename {}.{}={}", new.name, dropped.name, added.name),
                });
            }
        }
    }
    for column in added_columns {
        phases.add_columns.push(Operation::AddColumn {
            table: table(),
            column: column.clone(),
        });
    }
    for column in dropped_columns {
        phases.drop_columns.push(Operation::DropColumn {
            table: table(),
            column: column.clone(),
        });
    }

    let key_columns = |t: &TableDef| t.primary_key.as_ref().map(|k| k.columns.clone());
    if key_columns(old) != key_columns(new) {
        phases.alter_primary_keys.push(Operation::AlterPrimaryKey {
            table: table(),
            from: old.primary_key.clone(),
            to: new.primary_key.clone(),
        });
    }

    for unique in &old.uniques {
        if !new.uniques.iter().any(|u| u.columns == unique.columns) {
            phases.drop_constraints.push(Operation::DropUnique {
                table: table(),
                unique: unique.clone(),
            });
        }
    }
    for unique in &new.uniques {
        if !old.uniques.iter().any(|u| u.columns == unique.columns) {
            phases.add_constraints.push(Operation::AddUnique {
                table: table(),
                unique: unique.clone(),
            });
        }
    }
    for check in &old.checks {
        if !new.checks.iter().any(|c| same_check(dialect, c, check)) {
            phases.drop_constraints.push(Operation::DropCheck {
                table: table(),
                check: check.clone(),
            });
        }
    }
    for check in &new.checks {
        if !old.checks.iter().any(|c| same_check(dialect, c, check)) {
            phases.add_constraints.push(Operation::AddCheck {
                table: table(),
                check: check.clone(),
            });
        }
    }
    for index in &old.indexes {
        if !new
            .indexes
            .iter()
            .any(|i| i.name == index.name && same_index(dialect, i, index))
        {
            phases.drop_indexes.push(Operation::DropIndex {
                table: table(),
                index: index.clone(),
            });
        }
    }
    for index in &new.indexes {
        if !old
            .indexes
            .iter()
            .any(|i| i.name == index.name && same_index(dialect, i, index))
        {
            phases.create_indexes.push(Operation::CreateIndex {
                table: table(),
                index: index.clone(),
            });
        }
    }
    for fk in &old.foreign_keys {
        if !new.foreign_keys.iter().any(|f| same_foreign_key(f, fk)) {
            phases.drop_foreign_keys.push(Operation::DropForeignKey {
                table: table(),
                foreign_key: fk.clone(),
            });
        }
    }
    for fk in &new.foreign_keys {
        if !old.foreign_keys.iter().any(|f| same_foreign_key(f, fk)) {
            phases.add_foreign_keys.push(Operation::AddForeignKey {
                table: table(),
                foreign_key: fk.clone(),
            });
        }
    }
    Ok(())
}

/// `tables` ordered so that each comes after the tables (of the list) it references.
fn order_by_references<'a>(tables: &[&'a TableDef]) -> Vec<&'a TableDef> {
    orm_core::schema::dependency_order(
        tables,
        |t| &t.name,
        |t| {
            t.foreign_keys
                .iter()
                .map(|fk| fk.references.as_str())
                .collect()
        },
    )
}

/// Operations grouped by when they can run.
#[derive(Default)]
struct Phases {
    drop_foreign_keys: Vec<Operation>,
    drop_indexes: Vec<Operation>,
    drop_constraints: Vec<Operation>,
    drop_tables: Vec<Operation>,
    renames: Vec<Operation>,
    create_enums: Vec<Operation>,
    alter_enums: Vec<Operation>,
    create_tables: Vec<Operation>,
    add_columns: Vec<Operation>,
    alter_columns: Vec<Operation>,
    alter_primary_keys: Vec<Operation>,
    drop_columns: Vec<Operation>,
    add_constraints: Vec<Operation>,
    create_indexes: Vec<Operation>,
    add_foreign_keys: Vec<Operation>,
    drop_enums: Vec<Operation>,
}

impl Phases {
    fn into_operations(self) -> Vec<Operation> {
        [
            self.renames,
            self.drop_foreign_keys,
            self.drop_indexes,
            self.drop_constraints,
            self.drop_tables,
            self.create_enums,
            self.alter_enums,
            self.create_tables,
            self.add_columns,
            self.alter_columns,
            self.alter_primary_keys,
            self.drop_columns,
            self.add_constraints,
            self.create_indexes,
            self.add_foreign_keys,
            self.drop_enums,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_labels_check_reads_back_its_labels() {
        let labels = ["open", "it's closed", "a, (b)"];
        let check = values_check("tickets", "state", &labels);
        assert_eq!(
            labels_of("tickets", "state", &check),
            Some(labels.iter().map(|l| (*l).to_owned()).collect())
        );
        // Another column's check, or one whose name does not match its labels, is not it.
        assert_eq!(labels_of("tickets", "level", &check), None);
        let renamed = CheckDef {
            name: "state_ok".into(),
            ..check.clone()
        };
        assert_eq!(labels_of("tickets", "state", &renamed), None);
        assert_eq!(
            string_literals("'a', 'b''c')"),
            Some(vec!["a".into(), "b'c".into()])
        );
        assert_eq!(string_literals("'a', b)"), None);
        assert_eq!(string_literals("'unterminated"), None);
    }
}
