//! Validation declared on model fields (`#[orm(validate(length(max = 40), email))]`, and the
//! `max_length` of a text column), checked on every write orm builds from a model: inserts
//! (one row, many, upserts, the session's flush), updates of a loaded row and bulk updates
//! that assign plain values. Checked just before a statement is sent, so every backend
//! refuses the same values; [`crate::Error::Validation`] lists every failing field of every
//! row at once.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::error::{Error, Result};
use crate::meta::{ColumnMeta, TableMeta};
use crate::statement::{WriteTarget, WrittenValues};
use crate::value::{SqlType, Value};

/// A `custom = path` validator, wrapped by the derive: reads the field's value back as its
/// Rust type and calls the function (`fn(&T) -> Result<(), String>`).
pub type CustomCheck = fn(&Value) -> std::result::Result<(), String>;

/// One rule on a field's value. `None` of an `Option` field passes every rule.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Text length in characters (bytes for `Vec<u8>`), bounds included.
    Length {
        /// At least.
        min: Option<u32>,
        /// At most.
        max: Option<u32>,
    },
    /// A number within bounds (written as decimal literals), bounds included.
    Range {
        /// At least.
        min: Option<&'static str>,
        /// At most.
        max: Option<&'static str>,
    },
    /// An e-mail address: one `@` between a non-empty local part and a domain with a dot,
    /// no blanks.
    Email,
    /// One of these texts.
    OneOf(&'static [&'static str]),
    /// The author's function (`custom = path::to::check`); its `Err` text is the message.
    Custom(CustomCheck),
}

/// Rules compare by kind and bounds; custom ones by the function they call.
impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Rule::Length { min, max }, Rule::Length { min: a, max: b }) => min == a && max == b,
            (Rule::Range { min, max }, Rule::Range { min: a, max: b }) => min == a && max == b,
            (Rule::Email, Rule::Email) => true,
            (Rule::OneOf(a), Rule::OneOf(b)) => a == b,
            (Rule::Custom(a), Rule::Custom(b)) => std::ptr::fn_addr_eq(*a, *b),
            _ => false,
        }
    }
}

impl Eq for Rule {}

/// A field type a `custom` validator reads back from the value written: every column type
/// whose value carries it (text, numbers, bool, bytes, decimal, UUID, dates and times,
/// JSON), and `#[derive(DbEnum)]` enums.
pub trait FromValue: Sized {
    /// The value as `Self`; `None` for NULL or another type.
    fn from_value(value: &Value) -> Option<Self>;
}

macro_rules! from_value {
    ($($ty:ty => $variant:ident),* $(,)?) => {$(
        impl FromValue for $ty {
            fn from_value(value: &Value) -> Option<Self> {
                match value {
                    Value::$variant(Some(v)) => Some(v.clone()),
                    _ => None,
                }
            }
        }
    )*};
}
from_value!(
    bool => Bool,
    i16 => I16,
    i32 => I32,
    i64 => I64,
    f32 => F32,
    f64 => F64,
    String => String,
    Vec<u8> => Bytes,
    uuid::Uuid => Uuid,
    chrono::DateTime<chrono::Utc> => DateTimeUtc,
    chrono::NaiveDateTime => NaiveDateTime,
    chrono::NaiveDate => Date,
    chrono::NaiveTime => Time,
);

impl FromValue for Decimal {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Decimal(Some(d), _) => Some(*d),
            _ => None,
        }
    }
}

/// Call a `custom` validator of a text field (`fn(&str) -> Result<(), String>`) on a written
/// value (NULL passes).
pub fn run_custom_str(
    value: &Value,
    check: fn(&str) -> std::result::Result<(), String>,
) -> std::result::Result<(), String> {
    match value {
        Value::String(Some(text)) => check(text),
        _ => Ok(()),
    }
}

/// Call a `custom` validator on a written value (`None`, NULL or another type, passes).
pub fn run_custom<T: FromValue>(
    value: &Value,
    check: fn(&T) -> std::result::Result<(), String>,
) -> std::result::Result<(), String> {
    match T::from_value(value) {
        Some(typed) => check(&typed),
        None => Ok(()),
    }
}

/// One failing field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The row of a multi-row insert (0-based); `None` for a one-row write.
    pub row: Option<usize>,
    /// The Rust field.
    pub field: &'static str,
    /// The rule it breaks: `length`, `range`, `email`, `one_of` or `custom`.
    pub rule: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.row {
            Some(row) => write!(f, "row {row}: `{}` {}", self.field, self.message),
            None => write!(f, "`{}` {}", self.field, self.message),
        }
    }
}

/// The rules of `column`: its declared ones, and the length limit of a `VARCHAR(n)`
/// (SQLite does not enforce it; checking it here makes both backends refuse the same text).
fn rules(column: &ColumnMeta) -> impl Iterator<Item = Rule> + '_ {
    let limit = match column.ty {
        SqlType::Varchar(n) => Some(Rule::Length {
            min: None,
            max: Some(n),
        }),
        _ => None,
    };
    limit.into_iter().chain(column.rules.iter().copied())
}

fn has_rules(column: &ColumnMeta) -> bool {
    matches!(column.ty, SqlType::Varchar(_)) || !column.rules.is_empty()
}

fn number(value: &Value) -> Option<Decimal> {
    match value {
        Value::I16(Some(n)) => Some(Decimal::from(*n)),
        Value::I32(Some(n)) => Some(Decimal::from(*n)),
        Value::I64(Some(n)) => Some(Decimal::from(*n)),
        Value::F32(Some(x)) => Decimal::from_f32(*x),
        Value::F64(Some(x)) => Decimal::from_f64(*x),
        Value::Decimal(Some(d), _) => Some(*d),
        _ => None,
    }
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !text.chars().any(char::is_whitespace)
        && domain
            .split_once('.')
            .is_some_and(|(host, rest)| !host.is_empty() && !rest.is_empty())
        && !domain.ends_with('.')
}

/// The message of `value` breaking `rule`, `None` when it passes.
fn broken(rule: Rule, value: &Value) -> Option<(&'static str, String)> {
    match rule {
        Rule::Length { min, max } => {
            let length = match value {
                Value::String(Some(text)) => text.chars().count(),
                Value::Bytes(Some(bytes)) => bytes.len(),
                _ => return None,
            };
            let length = u32::try_from(length).unwrap_or(u32::MAX);
            match (min, max) {
                (Some(min), _) if length < min => Some((
                    "length",
                    format!("must be at least {min} characters long (is {length})"),
                )),
                (_, Some(max)) if length > max => Some((
                    "length",
                    format!("must be at most {max} characters long (is {length})"),
                )),
                _ => None,
            }
        }
        Rule::Range { min, max } => {
            let n = number(value)?;
            let bound = |text: &str| Decimal::from_str_exact(text).ok();
            match (min.and_then(bound), max.and_then(bound)) {
                (Some(min), _) if n < min => {
                    Some(("range", format!("must be at least {min} (is {n})")))
                }
                (_, Some(max)) if n > max => {
                    Some(("range", format!("must be at most {max} (is {n})")))
                }
                _ => None,
            }
        }
        Rule::Email => match value {
            Value::String(Some(text)) if !is_email(text) => {
                Some(("email", "is not an e-mail address".to_owned()))
            }
            _ => None,
        },
        Rule::OneOf(allowed) => match value {
            Value::String(Some(text)) if !allowed.contains(&text.as_str()) => Some((
                "one_of",
                format!("must be one of {} (is `{text}`)", allowed.join(", ")),
            )),
            _ => None,
        },
        Rule::Custom(check) => check(value).err().map(|message| ("custom", message)),
    }
}

fn check_value(
    column: &ColumnMeta,
    value: &Value,
    row: Option<usize>,
    errors: &mut Vec<FieldError>,
) {
    for rule in rules(column) {
        if let Some((rule, message)) = broken(rule, value) {
            errors.push(FieldError {
                row,
                field: column.field,
                rule,
                message,
            });
        }
    }
}

fn finish(table: &TableMeta, errors: Vec<FieldError>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation {
            table: table.name,
            errors,
        })
    }
}

/// Check the values a write statement sends for `target`'s table: an insert's rows (the
/// leading `binds`) and an update's plain-value assignments.
pub fn check_write(target: &WriteTarget, binds: &[Value]) -> Result<()> {
    let table = target.table;
    if !table.columns.iter().any(has_rules) {
        return Ok(());
    }
    let mut errors = Vec::new();
    match &target.values {
        WrittenValues::LeadingBinds { rows, width } if *width > 0 => {
            let columns: Vec<Option<&ColumnMeta>> = target.columns[..*width]
                .iter()
                .map(|name| table.column(name).filter(|c| has_rules(c)))
                .collect();
            for (r, row) in binds.chunks(*width).take(*rows).enumerate() {
                let at = (*rows > 1).then_some(r);
                for (column, value) in columns.iter().zip(row) {
                    if let Some(column) = column {
                        check_value(column, value, at, &mut errors);
                    }
                }
            }
        }
        _ => {}
    }
    for (name, value) in &target.assigned {
        if let Some(column) = table.column(name) {
            check_value(column, value, None, &mut errors);
        }
    }
    finish(table, errors)
}

/// The assignments of an update worth keeping for [`check_write`]: plain values of columns
/// that have rules.
pub fn assigned_to_check(
    table: &TableMeta,
    row: &[(&'static str, Option<&Value>)],
) -> Vec<(&'static str, Value)> {
    if !table.columns.iter().any(has_rules) {
        return Vec::new();
    }
    row.iter()
        .filter_map(|(name, value)| {
            let column = table.column(name).filter(|c| has_rules(c))?;
            value.map(|value| (column.name, value.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in ["a@b.co", "first.last+tag@example.org"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "", "a", "@b.co", "a@", "a@b", "a@b.", "a b@c.d", "a@b@c.d", "a@.co",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn rules_break_at_their_bounds() {
        let length = Rule::Length {
            min: Some(2),
            max: Some(3),
        };
        let text = |t: &str| Value::String(Some(t.to_owned()));
        assert!(broken(length, &text("ab")).is_none());
        assert!(broken(length, &text("abc")).is_none());
        assert!(broken(length, &text("a")).is_some());
        assert!(broken(length, &text("abcd")).is_some());
        assert!(
            broken(length, &text("äöü")).is_none(),
            "characters, not bytes"
        );
        assert!(
            broken(length, &Value::String(None)).is_none(),
            "NULL passes"
        );
        let range = Rule::Range {
            min: Some("0"),
            max: Some("9.5"),
        };
        assert!(broken(range, &Value::I64(Some(0))).is_none());
        assert!(broken(range, &Value::I64(Some(-1))).is_some());
        assert!(broken(range, &Value::Decimal(Some(Decimal::new(95, 1)), None)).is_none());
        assert!(broken(range, &Value::F64(Some(9.51))).is_some());
        let one_of = Rule::OneOf(&["a", "b"]);
        assert!(broken(one_of, &text("a")).is_none());
        assert!(broken(one_of, &text("c")).is_some());
    }
}
