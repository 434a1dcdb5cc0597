//! JSON read as PostgreSQL's `jsonb` reads it, for orm's SQLite functions `orm_json_get`,
//! `orm_json_text` and `orm_json_contains`: the same values, text and containment answers as
//! `->`, `->>` and `@>` on PostgreSQL, where SQLite's own `->` differs (it keeps the first of
//! duplicate keys, writes `true` as `1` under `->>`, keeps a number's text as written and
//! has no containment).
//!
//! `jsonb`'s rules: an object keeps the last of duplicate keys and orders its keys by length,
//! then bytes; a number is a `numeric` (`1e2` is `100`, `1.50` stays `1.50`) and equal
//! numbers are equal whatever their scale; text output separates items with `", "` and keys
//! from values with `": "`.

use std::collections::BTreeMap;
use std::fmt::{self, Write};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::decimal::Failure;

/// The most digits a number may expand to (PostgreSQL's `numeric` holds 131072 before the
/// point and 16383 after).
const MAX_DIGITS: usize = 131_072 + 16_383;

/// A JSON value as `jsonb` holds it.
#[derive(Debug, PartialEq)]
pub(crate) enum Jsonb {
    Null,
    Bool(bool),
    /// `numeric`'s text: no exponent, no leading zeros, the scale the input implies.
    Number(String),
    String(String),
    Array(Vec<Jsonb>),
    /// Keys in `jsonb` order (length, then bytes), each once.
    Object(Vec<(String, Jsonb)>),
}

/// One step of a path: an object's key or an array's index.
pub(crate) enum PathStep<'a> {
    Key(&'a str),
    Index(i64),
}

impl Jsonb {
    /// Parse JSON text.
    pub(crate) fn parse(text: &str) -> Result<Jsonb, Failure> {
        let raw: &RawValue =
            serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        Jsonb::from_raw(raw)
    }

    /// The value at `path` in the document `text`, `None` where there is none (a missing key,
    /// an index out of range, a key into an array or an index into an object; as in `jsonb`,
    /// a scalar is its own element 0 and -1). The document is checked whole, but only the
    /// values on the path are read, not every value of the document.
    pub(crate) fn at(text: &str, path: &[PathStep<'_>]) -> Result<Option<Jsonb>, Failure> {
        let invalid = |e: serde_json::Error| format!("invalid JSON: {e}");
        let mut raw: &RawValue = serde_json::from_str(text).map_err(invalid)?;
        for step in path {
            let value = raw.get().trim();
            raw = match (value.as_bytes().first(), step) {
                (Some(b'{'), PathStep::Key(key)) => {
                    let Entries(entries) = serde_json::from_str(value).map_err(invalid)?;
                    // The last of duplicate keys, as `jsonb` keeps it.
                    match entries.into_iter().rev().find(|(k, _)| k == key) {
                        Some((_, found)) => found,
                        None => return Ok(None),
                    }
                }
                (Some(b'['), PathStep::Index(index)) => {
                    let items: Vec<&RawValue> = serde_json::from_str(value).map_err(invalid)?;
                    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                    let position = if *index < 0 { len + index } else { *index };
                    match usize::try_from(position).ok().and_then(|p| items.get(p)) {
                        Some(found) => found,
                        None => return Ok(None),
                    }
                }
                (Some(b'{' | b'['), _) => return Ok(None),
                (_, PathStep::Index(0 | -1)) => raw,
                _ => return Ok(None),
            };
        }
        Jsonb::from_raw(raw).map(Some)
    }

    fn from_raw(raw: &RawValue) -> Result<Jsonb, Failure> {
        let text = raw.get().trim();
        let invalid = |e: serde_json::Error| format!("invalid JSON: {e}");
        Ok(match text.as_bytes().first() {
            Some(b'{') => {
                let Entries(entries) = serde_json::from_str(text).map_err(invalid)?;
                let mut keyed = BTreeMap::new();
                for (key, value) in entries {
                    // The last of duplicate keys wins, as `jsonb` keeps it.
                    keyed.insert((key.len(), key), Jsonb::from_raw(value)?);
                }
                Jsonb::Object(keyed.into_iter().map(|((_, k), v)| (k, v)).collect())
            }
            Some(b'[') => {
                let items: Vec<&RawValue> = serde_json::from_str(text).map_err(invalid)?;
                Jsonb::Array(
                    items
                        .into_iter()
                        .map(Jsonb::from_raw)
                        .collect::<Result<_, _>>()?,
                )
            }
            Some(b'"') => Jsonb::String(serde_json::from_str(text).map_err(invalid)?),
            Some(b't') => Jsonb::Bool(true),
            Some(b'f') => Jsonb::Bool(false),
            Some(b'n') => Jsonb::Null,
            _ => Jsonb::Number(numeric_text(text)?),
        })
    }

    /// `->`: the value as orm writes JSON on SQLite (serde_json's compact text, keys sorted),
    /// so that it compares with a bound JSON value as stored documents do.
    pub(crate) fn json_text(&self) -> String {
        self.to_serde().to_string()
    }

    fn to_serde(&self) -> serde_json::Value {
        match self {
            Jsonb::Null => serde_json::Value::Null,
            Jsonb::Bool(b) => serde_json::Value::Bool(*b),
            // `numeric` text is a JSON number.
            Jsonb::Number(n) => serde_json::from_str(n).unwrap_or(serde_json::Value::Null),
            Jsonb::String(s) => serde_json::Value::String(s.clone()),
            Jsonb::Array(items) => items.iter().map(Jsonb::to_serde).collect(),
            Jsonb::Object(entries) => entries
                .iter()
                .map(|(k, v)| (k.clone(), v.to_serde()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }

    /// `->>`: a string's text, NULL for `null`, the `jsonb` text of anything else.
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Jsonb::Null => None,
            Jsonb::String(text) => Some(text.clone()),
            other => Some(other.to_string()),
        }
    }

    /// `self @> other`, with `jsonb`'s rules: an object contains an object whose every key
    /// it has with a containing value; an array contains an array whose every element it
    /// contains (an equal scalar, or a containing container), in any order; at the top
    /// level an array also contains a scalar it holds; scalars contain equal scalars.
    pub(crate) fn contains(&self, other: &Jsonb) -> bool {
        match (self, other) {
            (Jsonb::Array(items), scalar) if scalar.is_scalar() => {
                items.iter().any(|item| item.scalar_eq(scalar))
            }
            _ => self.deep_contains(other),
        }
    }

    /// Two arrays share an element (PostgreSQL's `&&` of arrays): equal scalars, or equal
    /// containers (each containing the other).
    pub(crate) fn overlaps(&self, other: &Jsonb) -> bool {
        let (Jsonb::Array(a), Jsonb::Array(b)) = (self, other) else {
            return false;
        };
        a.iter().any(|x| {
            b.iter().any(|y| {
                if x.is_scalar() {
                    x.scalar_eq(y)
                } else {
                    x.deep_contains(y) && y.deep_contains(x)
                }
            })
        })
    }

    fn deep_contains(&self, other: &Jsonb) -> bool {
        match (self, other) {
            (Jsonb::Object(entries), Jsonb::Object(wanted)) => wanted.iter().all(|(key, value)| {
                entries
                    .iter()
                    .find(|(k, _)| k == key)
                    .is_some_and(|(_, have)| have.deep_contains(value))
            }),
            (Jsonb::Array(items), Jsonb::Array(wanted)) => wanted.iter().all(|value| {
                if value.is_scalar() {
                    items.iter().any(|item| item.scalar_eq(value))
                } else {
                    items.iter().any(|item| item.deep_contains(value))
                }
            }),
            (a, b) => a.scalar_eq(b),
        }
    }

    fn is_scalar(&self) -> bool {
        !matches!(self, Jsonb::Array(_) | Jsonb::Object(_))
    }

    /// Equal scalars: numbers by value (`1.0` equals `1`), the rest exactly.
    fn scalar_eq(&self, other: &Jsonb) -> bool {
        match (self, other) {
            (Jsonb::Null, Jsonb::Null) => true,
            (Jsonb::Bool(a), Jsonb::Bool(b)) => a == b,
            (Jsonb::String(a), Jsonb::String(b)) => a == b,
            (Jsonb::Number(a), Jsonb::Number(b)) => numeric_value(a) == numeric_value(b),
            _ => false,
        }
    }
}

/// `jsonb`'s text output.
impl fmt::Display for Jsonb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Jsonb::Null => f.write_str("null"),
            Jsonb::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Jsonb::Number(n) => f.write_str(n),
            Jsonb::String(s) => write_string(f, s),
            Jsonb::Array(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_char(']')
            }
            Jsonb::Object(entries) => {
                f.write_char('{')?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_string(f, key)?;
                    write!(f, ": {value}")?;
                }
                f.write_char('}')
            }
        }
    }
}

/// A JSON string as PostgreSQL writes it: `"`, `\` and control characters escaped (`\n`,
/// `\u001f`), everything else as it is.
fn write_string(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in text.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\u{8}' => f.write_str("\\b")?,
            '\u{c}' => f.write_str("\\f")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c < ' ' => write!(f, "\\u{:04x}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

/// An object's entries in document order, duplicates included.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Entries<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// A JSON number as PostgreSQL's `numeric` writes it: `1e2` → `100`, `1.50` → `1.50`,
/// `1.5e-3` → `0.0015`, `-0` → `0` (the scale is the fraction's digits less the exponent).
fn numeric_text(number: &str) -> Result<String, Failure> {
    let (negative, rest) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (
            &rest[..at],
            rest[at + 1..]
                .parse::<i64>()
                .map_err(|_| format!("number out of range: {number}"))?,
        ),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = [int, frac].concat();
    let frac_len = i64::try_from(frac.len()).map_err(|_| "number too long".to_owned())?;
    let scale = (frac_len - exponent).max(0);
    // The position of the decimal point within `digits`.
    let point = i64::try_from(int.len()).map_err(|_| "number too long".to_owned())? + exponent;
    let width = point.max(0) + scale;
    if usize::try_from(width).map_or(true, |w| w > MAX_DIGITS) {
        return Err(format!("number out of numeric's range: {number}"));
    }
    let digit_at = |i: i64| -> char {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.as_bytes().get(i))
            .map_or('0', |d| char::from(*d))
    };
    let mut int_part: String = (0..point.max(0)).map(digit_at).collect();
    let trimmed = int_part.trim_start_matches('0');
    int_part = if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    };
    let frac_part: String = (point..point + scale).map(digit_at).collect();
    let zero = int_part == "0" && frac_part.bytes().all(|d| d == b'0');
    let mut out = String::with_capacity(int_part.len() + frac_part.len() + 2);
    if negative && !zero {
        out.push('-');
    }
    out.push_str(&int_part);
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(&frac_part);
    }
    Ok(out)
}

/// A `numeric` text without trailing fractional zeros: equal numbers, equal strings.
fn numeric_value(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jsonb(text: &str) -> String {
        Jsonb::parse(text).unwrap().to_string()
    }

    #[test]
    fn numbers_read_as_numeric() {
        for (input, expected) in [
            ("1", "1"),
            ("1.50", "1.50"),
            ("1e2", "100"),
            ("1.50e1", "15.0"),
            ("1.5e-3", "0.0015"),
            ("123e-1", "12.3"),
            ("-0", "0"),
            ("-0.0", "0.0"),
            ("-12.5", "-12.5"),
            ("0.000", "0.000"),
            ("1E+2", "100"),
        ] {
            assert_eq!(numeric_text(input).unwrap(), expected, "{input}");
        }
        assert!(numeric_text("1e999999999").is_err());
    }

    #[test]
    fn text_is_jsonb_text() {
        assert_eq!(
            jsonb(r#"{"bb":1,"a":[true,null,"x\ny"],"a":2, "c" : {"z":1e1}}"#),
            r#"{"a": 2, "c": {"z": 10}, "bb": 1}"#
        );
        assert_eq!(jsonb(r#""\u001f""#), r#""\u001f""#);
        // `->` gives the text JSON equality compares on SQLite: serde_json's, keys sorted.
        let doc = Jsonb::parse(r#"{"b":1.50,"a":[1e2],"a":[2]}"#).unwrap();
        assert_eq!(doc.json_text(), r#"{"a":[2],"b":1.5}"#);
        assert_eq!(jsonb("[]"), "[]");
        assert_eq!(jsonb(" {} "), "{}");
    }

    #[test]
    fn paths_follow_jsonb() {
        let doc = r#"{"a":[10,20,{"b":"x"}],"n":null,"d":1,"d":2}"#;
        let at = |path: &[PathStep<'_>]| Jsonb::at(doc, path).unwrap();
        let text = |path: &[PathStep<'_>]| at(path).and_then(|v| v.text());
        assert_eq!(
            text(&[PathStep::Key("a"), PathStep::Index(0)]).as_deref(),
            Some("10")
        );
        assert_eq!(
            text(&[PathStep::Key("a"), PathStep::Index(-1), PathStep::Key("b")]).as_deref(),
            Some("x")
        );
        assert_eq!(text(&[PathStep::Key("a"), PathStep::Index(3)]), None);
        assert_eq!(text(&[PathStep::Key("a"), PathStep::Index(-4)]), None);
        assert_eq!(text(&[PathStep::Key("n")]), None);
        assert_eq!(
            text(&[PathStep::Key("d")]).as_deref(),
            Some("2"),
            "the last duplicate"
        );
        assert!(at(&[PathStep::Key("n")]).is_some(), "JSON null is a value");
        assert!(
            at(&[PathStep::Index(0)]).is_none(),
            "an index into an object"
        );
        assert!(
            Jsonb::at("{\"a\":", &[]).is_err(),
            "the whole document is checked"
        );
        let scalar = || [PathStep::Key("a"), PathStep::Index(2), PathStep::Key("b")];
        let [a, b, c] = scalar();
        assert_eq!(text(&[a, b, c, PathStep::Index(-1)]).as_deref(), Some("x"));
        let [a, b, c] = scalar();
        assert!(at(&[a, b, c, PathStep::Index(1)]).is_none());
        assert!(
            at(&[PathStep::Key("a"), PathStep::Key("0")]).is_none(),
            "a key into an array"
        );
    }

    #[test]
    fn containment_follows_jsonb() {
        let holds = |a: &str, b: &str| Jsonb::parse(a).unwrap().contains(&Jsonb::parse(b).unwrap());
        assert!(holds(
            r#"{"a":1,"b":[1,2,{"c":3}]}"#,
            r#"{"b":[{"c":3},2]}"#
        ));
        assert!(holds(r#"{"a":1.0}"#, r#"{"a":1}"#));
        assert!(holds(r#"["x","y"]"#, r#""x""#));
        assert!(holds(r#"[1,[2,3]]"#, r#"[[3]]"#));
        assert!(holds(r#"{"a":1}"#, r#"{}"#));
        assert!(holds("[1,2]", "[]"));
        assert!(holds(r#""x""#, r#""x""#));
        assert!(!holds(r#""x""#, r#"["x"]"#));
        assert!(!holds(r#"{"a":["x"]}"#, r#"{"a":"x"}"#));
        assert!(!holds(r#"[["x"]]"#, r#"["x"]"#));
        assert!(!holds(r#"{"a":1}"#, r#"{"a":1,"b":2}"#));
        assert!(!holds(r#"{"a":{"b":1}}"#, r#"{"a":[1]}"#));
        assert!(!holds("1", "true"));
    }
}
