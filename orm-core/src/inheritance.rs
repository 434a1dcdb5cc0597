//! Single-table inheritance: one table holds the rows of several models, told apart by a
//! discriminator column; a Rust enum whose variants are those models reads them all.
//!
//! ```text
//! #[derive(Model, Debug)]
//! #[orm(table = "staff", discriminator = "kind")]
//! enum Staff {
//!     Engineer(Engineer),
//!     #[orm(value = "boss")]
//!     Manager(Manager),
//! }
//!
//! #[derive(Model, Debug)]
//! #[orm(table = "staff", inherits = Staff)]
//! struct Engineer {
//!     #[orm(primary_key)]
//!     id: i64,
//!     name: String,
//!     language: String,
//! }
//! ```
//!
//! The enum's table ([`Model::TABLE`]) is the union of its variants' columns plus the
//! discriminator: a column of every variant keeps its nullability, a column of some
//! variants only is NULL-able in the table (and required within its variant by the Rust
//! type). Built at compile time by the `const fn`s below from the variants' own tables, so
//! the enum's derive need not see the variants' fields. `Staff::query()` reads every row as
//! the variant its discriminator names; `Engineer::query()`, `Engineer::get`, joins and
//! relationship loads read the engineers only; `NewEngineer` inserts write the
//! discriminator; `Engineer::update()` / `delete()` and writes by key change engineers only.

use crate::error::{Error, Result};
use crate::meta::{
    CheckMeta, ColumnMeta, Discriminator, ForeignKeyMeta, IndexMeta, LintAllow, ReferentialAction,
    TableMeta,
};
use crate::model::Model;
use crate::relation::{RelationKind, RelationMeta};
use crate::types::RowReader;
use crate::value::{ArrayElement, SqlType, Value};

/// The base of a single-table inheritance: the enum of its variants. Implemented by
/// `#[derive(Model)]` on the enum.
pub trait Inheritance: Model {
    /// The shared table.
    const TABLE_NAME: &'static str;
    /// The discriminator column.
    const DISCRIMINATOR: &'static str;
}

/// A variant of a single-table inheritance (`#[orm(inherits = Base)]`). Implemented by the
/// base enum's `#[derive(Model)]` for each of its variants' models.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a variant of the inheritance it names",
    label = "`inherits` names an enum that does not list `{Self}`",
    note = "list it in the base enum, which derives Model: `Variant({Self})`"
)]
pub trait Variant: Model {
    /// The enum of all the variants.
    type Base: Inheritance;
    /// This variant's value in the discriminator column.
    const VALUE: &'static str;
    /// The variant in `base`, if `base` holds this variant.
    fn of_base_mut(base: &mut Self::Base) -> Option<&mut Self>;
}

/// True when two strings are equal (in a `const` context).
pub const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// True when two optional strings are equal (in a `const` context).
pub const fn same_option(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_str(a, b),
        (None, None) => true,
        _ => false,
    }
}

const fn element_code(element: ArrayElement) -> u32 {
    match element {
        ArrayElement::Bool => 0,
        ArrayElement::SmallInt => 1,
        ArrayElement::Int => 2,
        ArrayElement::BigInt => 3,
        ArrayElement::Double => 4,
        ArrayElement::Text => 5,
        ArrayElement::Uuid => 6,
    }
}

/// True when two column types are the same (in a `const` context).
pub const fn same_type(a: SqlType, b: SqlType) -> bool {
    use SqlType as T;
    match (a, b) {
        (T::Varchar(a), T::Varchar(b)) => a == b,
        (
            T::Numeric {
                precision: p,
                scale: s,
            },
            T::Numeric {
                precision: q,
                scale: t,
            },
        ) => p == q && s == t,
        (T::Array(a), T::Array(b)) => element_code(a) == element_code(b),
        (T::Enum(a), T::Enum(b)) => same_str(a.name, b.name),
        (T::Bool, T::Bool)
        | (T::SmallInt, T::SmallInt)
        | (T::Int, T::Int)
        | (T::BigInt, T::BigInt)
        | (T::Real, T::Real)
        | (T::Double, T::Double)
        | (T::Text, T::Text)
        | (T::Bytes, T::Bytes)
        | (T::TimestampTz, T::TimestampTz)
        | (T::Timestamp, T::Timestamp)
        | (T::Date, T::Date)
        | (T::Time, T::Time)
        | (T::Uuid, T::Uuid)
        | (T::Json, T::Json)
        | (T::Jsonb, T::Jsonb) => true,
        _ => false,
    }
}

/// The position of the column named `name` in `columns`, if any.
pub const fn position(columns: &[ColumnMeta], name: &str) -> Option<usize> {
    let mut i = 0;
    while i < columns.len() {
        if same_str(columns[i].name, name) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The number of the shared table's columns: every variant's, once, and the discriminator.
pub const fn union_len(variants: &[&TableMeta]) -> usize {
    let mut count = 1;
    let mut v = 0;
    while v < variants.len() {
        let columns = variants[v].columns;
        let mut c = 0;
        while c < columns.len() {
            if first_with(variants, v, columns[c].name) {
                count += 1;
            }
            c += 1;
        }
        v += 1;
    }
    count
}

/// True when no variant before `v` has a column named `name`.
const fn first_with(variants: &[&TableMeta], v: usize, name: &str) -> bool {
    let mut before = 0;
    while before < v {
        if position(variants[before].columns, name).is_some() {
            return false;
        }
        before += 1;
    }
    true
}

/// The shared table's columns: the first variant's (the discriminator after its leading
/// key columns), then each later variant's columns the earlier ones do not have. A column
/// some variant lacks is NULL-able; a column of every variant is NULL-able where any
/// variant's is. Fails to compile when two variants give one column different types or
/// keys, or when the discriminator is also a variant's field.
pub const fn union_columns<const N: usize>(
    table_name: &str,
    variants: &[&TableMeta],
    discriminator: ColumnMeta,
) -> [ColumnMeta; N] {
    if variants.is_empty() {
        panic!("an inheritance needs at least one variant");
    }
    let mut out = [discriminator; N];
    let mut len = 0;
    let mut placed = false;
    let mut v = 0;
    while v < variants.len() {
        let table = variants[v];
        if table.model.is_empty() {
            // A variant whose derive failed: its error is reported there.
            v += 1;
            continue;
        }
        if !same_str(table.name, table_name) {
            panic!("every variant of an inheritance names the base's table: #[orm(table = ..)]");
        }
        if table.primary_key.len() != variants[0].primary_key.len() {
            panic!("every variant of an inheritance has the same primary key");
        }
        let mut k = 0;
        while k < table.primary_key.len() {
            if !same_str(table.primary_key[k], variants[0].primary_key[k]) {
                panic!("every variant of an inheritance has the same primary key");
            }
            k += 1;
        }
        if !same_option(table.soft_delete, variants[0].soft_delete)
            || !same_option(table.version, variants[0].version)
        {
            panic!("every variant of an inheritance has the same soft_delete and version columns");
        }
        let columns = table.columns;
        let mut c = 0;
        while c < columns.len() {
            let column = columns[c];
            if same_str(column.name, discriminator.name) {
                panic!(
                    "the discriminator column of an inheritance is orm's: no variant has a field of that name"
                );
            }
            if v == 0 && !placed && !column.primary_key {
                out[len] = discriminator;
                len += 1;
                placed = true;
            }
            if first_with(variants, v, column.name) {
                let mut merged = column;
                let mut other = 0;
                while other < variants.len() {
                    match position(variants[other].columns, column.name) {
                        Some(i) => {
                            let theirs = variants[other].columns[i];
                            if !same_type(theirs.ty, column.ty)
                                || theirs.primary_key != column.primary_key
                            {
                                panic!(
                                    "two variants of an inheritance have a column of one name with different types: rename one, or give both the same type"
                                );
                            }
                            merged.nullable = merged.nullable || theirs.nullable;
                        }
                        None => merged.nullable = true,
                    }
                    other += 1;
                }
                out[len] = merged;
                len += 1;
            }
            c += 1;
        }
        v += 1;
    }
    if !placed {
        out[len] = discriminator;
        len += 1;
    }
    if len != N {
        panic!("orm: the inheritance's column count is wrong");
    }
    out
}

/// Where each of a variant's columns is among the shared table's (`N`: the variant's
/// column count).
pub const fn index_map<const N: usize>(variant: &[ColumnMeta], table: &[ColumnMeta]) -> [usize; N] {
    let mut map = [0; N];
    let mut c = 0;
    while c < N {
        map[c] = match position(table, variant[c].name) {
            Some(i) => i,
            None => panic!("orm: a variant's column is missing from the shared table"),
        };
        c += 1;
    }
    map
}

/// `*_len` / `union_*`: the named items of every variant (indexes, foreign keys, checks,
/// relationships), each name once, the first variant's first.
macro_rules! named_union {
    ($len:ident, $union:ident, $before:ident, $ty:ty, $field:ident, $what:literal, $seed:expr) => {
        /// True when an item named as item `i` of variant `v` comes earlier (an earlier
        /// variant's, or an earlier one of `v`'s).
        const fn $before(variants: &[&TableMeta], v: usize, i: usize) -> bool {
            let wanted = variants[v].$field[i].name;
            let mut w = 0;
            while w <= v {
                let end = if w == v { i } else { variants[w].$field.len() };
                let mut j = 0;
                while j < end {
                    if same_str(variants[w].$field[j].name, wanted) {
                        return true;
                    }
                    j += 1;
                }
                w += 1;
            }
            false
        }

        #[doc = concat!("The number of distinct ", $what, " of the variants.")]
        pub const fn $len(variants: &[&TableMeta]) -> usize {
            let mut count = 0;
            let mut v = 0;
            while v < variants.len() {
                let mut i = 0;
                while i < variants[v].$field.len() {
                    if !$before(variants, v, i) {
                        count += 1;
                    }
                    i += 1;
                }
                v += 1;
            }
            count
        }

        #[doc = concat!("The ", $what, " of the shared table: every variant's, each name once.")]
        pub const fn $union<const N: usize>(variants: &[&TableMeta]) -> [$ty; N] {
            let mut out = [$seed; N];
            let mut len = 0;
            let mut v = 0;
            while v < variants.len() {
                let items = variants[v].$field;
                let mut i = 0;
                while i < items.len() {
                    if !$before(variants, v, i) {
                        out[len] = items[i];
                        len += 1;
                    }
                    i += 1;
                }
                v += 1;
            }
            out
        }
    };
}

/// The table a placeholder item refers to (never read: placeholders are overwritten).
fn no_table() -> &'static TableMeta {
    &NO_TABLE
}

const NO_TABLE: TableMeta = TableMeta::empty("", "");

named_union!(
    indexes_len,
    union_indexes,
    index_before,
    IndexMeta,
    indexes,
    "indexes",
    IndexMeta {
        name: "",
        columns: &[],
        unique: false,
        ignore_deleted: false,
        predicate: None,
        method: None,
        include: &[],
    }
);
named_union!(
    foreign_keys_len,
    union_foreign_keys,
    foreign_key_before,
    ForeignKeyMeta,
    foreign_keys,
    "foreign keys",
    ForeignKeyMeta {
        name: "",
        columns: &[],
        references: no_table,
        referenced_columns: &[],
        on_delete: ReferentialAction::NoAction,
        on_update: ReferentialAction::NoAction,
        on_delete_declared: false,
    }
);
named_union!(
    checks_len,
    union_checks,
    check_before,
    CheckMeta,
    checks,
    "checks",
    CheckMeta {
        name: "",
        expr: "",
        condition: None,
    }
);
named_union!(
    relations_len,
    union_relations,
    relation_before,
    RelationMeta,
    relations,
    "relationships",
    RelationMeta {
        model: "",
        name: "",
        kind: RelationKind::BelongsTo,
        optional: false,
        parent: no_table,
        target: no_table,
        parent_column: "",
        target_column: "",
        through: None,
        through_columns: ("", ""),
        join_alias: "",
    }
);

/// The number of lint allowances of the variants.
pub const fn lint_allows_len(variants: &[&TableMeta]) -> usize {
    let mut count = 0;
    let mut v = 0;
    while v < variants.len() {
        count += variants[v].lint_allows.len();
        v += 1;
    }
    count
}

/// Every variant's lint allowances.
pub const fn union_lint_allows<const N: usize>(variants: &[&TableMeta]) -> [LintAllow; N] {
    let mut out = [LintAllow {
        code: "",
        field: None,
        reason: "",
    }; N];
    let mut len = 0;
    let mut v = 0;
    while v < variants.len() {
        let mut i = 0;
        while i < variants[v].lint_allows.len() {
            out[len] = variants[v].lint_allows[i];
            len += 1;
            i += 1;
        }
        v += 1;
    }
    out
}

/// The number of columns `variant` requires (not NULL-able in it) that the shared table's
/// `columns` let be NULL: the ones its required-columns check covers.
pub const fn required_len(variant: &TableMeta, columns: &[ColumnMeta]) -> usize {
    let mut count = 0;
    let mut c = 0;
    while c < variant.columns.len() {
        let column = variant.columns[c];
        if let Some(i) = position(columns, column.name)
            && !column.nullable
            && columns[i].nullable
        {
            count += 1;
        }
        c += 1;
    }
    count
}

/// `checks` and those of `required` whose flag is set (`N`: how many that is in all).
pub const fn with_required<const N: usize>(
    checks: &[CheckMeta],
    required: &[(bool, CheckMeta)],
) -> [CheckMeta; N] {
    let mut out = [CheckMeta {
        name: "",
        expr: "",
        condition: None,
    }; N];
    let mut len = 0;
    while len < checks.len() {
        out[len] = checks[len];
        len += 1;
    }
    let mut r = 0;
    while r < required.len() {
        if required[r].0 {
            out[len] = required[r].1;
            len += 1;
        }
        r += 1;
    }
    out
}

/// The number of set flags.
pub const fn count_required(required: &[(bool, CheckMeta)]) -> usize {
    let (mut count, mut r) = (0, 0);
    while r < required.len() {
        if required[r].0 {
            count += 1;
        }
        r += 1;
    }
    count
}

/// `kind <> 'engineer' OR (language IS NOT NULL AND ..)`: the columns `variant` requires hold
/// a value in each of its rows of `table` (where they are NULL-able for the other variants).
pub fn required_condition(
    table: &'static TableMeta,
    variant: &'static TableMeta,
) -> crate::expr::Condition {
    use crate::expr::{BinaryOp, Expr};
    let discriminator = variant
        .discriminator
        .expect("a variant of an inheritance has a discriminator");
    let column = |name| Expr::Column {
        table: table.name,
        name,
    };
    let mut present: Option<Expr> = None;
    for own in variant.columns.iter().filter(|c| !c.nullable) {
        if table.column(own.name).is_some_and(|c| c.nullable) {
            let not_null = Expr::IsNull {
                expr: Box::new(column(own.name)),
                negated: true,
            };
            present = crate::select::and_filter(present, not_null);
        }
    }
    let other = Expr::binary(
        BinaryOp::Ne,
        column(discriminator.column),
        Expr::SchemaText(discriminator.value),
    );
    let condition = match present {
        Some(present) => Expr::binary(BinaryOp::Or, other, present),
        None => other,
    };
    crate::expr::TypedExpr::new(condition, SqlType::Bool)
}

/// The discriminator of variant `V` of `B`: `B`'s column, `V`'s value (a compile-time error,
/// at `inherits = B`, unless `B` lists `V`).
pub const fn discriminator<V: Variant<Base = B>, B: Inheritance>() -> Discriminator {
    Discriminator {
        column: B::DISCRIMINATOR,
        value: V::VALUE,
    }
}

/// Append the discriminator value of a variant's `table` to the values of a row to insert.
pub fn push_discriminator(table: &TableMeta, out: &mut Vec<Value>) {
    if let Some(discriminator) = table.discriminator {
        out.push(Value::String(Some(discriminator.value.to_owned())));
    }
}

/// Assert at compile time that two variants have one key type.
pub const fn assert_same_key<A: Model, B: Model<Key = A::Key>>() {}

/// A row of the shared table read as one variant's row: the variant's column `i` is the
/// table's column `map[i]`.
pub struct VariantRow<'a> {
    row: &'a dyn RowReader,
    map: &'a [usize],
}

impl<'a> VariantRow<'a> {
    /// `row` read through `map`.
    pub fn new(row: &'a dyn RowReader, map: &'a [usize]) -> Self {
        VariantRow { row, map }
    }
}

macro_rules! read_through {
    ($($name:ident -> $ty:ty),* $(,)?) => {
        $(
            fn $name(&self, index: usize) -> Result<Option<$ty>> {
                self.row.$name(self.map[index])
            }
        )*
    };
}

impl RowReader for VariantRow<'_> {
    fn as_dyn(&self) -> &dyn RowReader {
        self
    }
    fn column_name(&self, index: usize) -> String {
        self.row.column_name(self.map[index])
    }
    fn is_null(&self, index: usize) -> Result<bool> {
        self.row.is_null(self.map[index])
    }
    read_through!(
        read_bool -> bool,
        read_i16 -> i16,
        read_i32 -> i32,
        read_i64 -> i64,
        read_f32 -> f32,
        read_f64 -> f64,
        read_string -> String,
        read_label -> String,
        read_bytes -> Vec<u8>,
        read_datetime_utc -> chrono::DateTime<chrono::Utc>,
        read_naive_datetime -> chrono::NaiveDateTime,
        read_date -> chrono::NaiveDate,
        read_time -> chrono::NaiveTime,
        read_uuid -> uuid::Uuid,
        read_json -> serde_json::Value,
    );
    fn read_decimal(&self, index: usize, ty: SqlType) -> Result<Option<rust_decimal::Decimal>> {
        self.row.read_decimal(self.map[index], ty)
    }
    fn read_array(&self, index: usize, element: ArrayElement) -> Result<Option<Vec<Value>>> {
        self.row.read_array(self.map[index], element)
    }
}

/// The discriminator value of a row of the shared table (column `index`).
pub fn discriminator_of<R: RowReader + ?Sized>(row: &R, index: usize) -> Result<String> {
    row.read_string(index)?
        .ok_or_else(|| crate::types::unexpected_null(row, index))
}

/// The error for a row whose discriminator names no variant of `base`.
pub fn unknown_variant<R: RowReader + ?Sized>(
    row: &R,
    index: usize,
    base: &str,
    value: &str,
    values: &[&str],
) -> Error {
    Error::decode(
        row.column_name(index),
        format!(
            "`{value}` names no variant of `{base}` (its discriminator values: {})",
            values.join(", ")
        ),
    )
}

/// A variant's row as a row of the shared table, in [`TableMeta::columns`] order: the
/// variant's `values` where `map` puts them, the discriminator `value` at `discriminator`,
/// NULL in the other variants' columns.
pub fn union_values(
    table: &TableMeta,
    map: &[usize],
    values: Vec<Value>,
    discriminator: usize,
    value: &'static str,
) -> Vec<Value> {
    let mut row: Vec<Value> = table.columns.iter().map(|c| Value::null(c.ty)).collect();
    for (value, &i) in values.into_iter().zip(map) {
        row[i] = value;
    }
    row[discriminator] = Value::String(Some(value.to_owned()));
    row
}
