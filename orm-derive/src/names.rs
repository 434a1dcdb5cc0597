//! Generated constraint and index names: unique, stable (a function of the table, columns and
//! kind alone, so migrations can compare them) and at most 63 bytes (PostgreSQL's identifier
//! limit; the same names are used on every backend).
//!
//! A primary key is `{table}_pkey`. Every other generated name is
//! `{table}_{columns}_{hash}_{suffix}`: the hash (8 hex digits of FNV-1a over the table,
//! the columns and the kind) keeps `pa_b` + `c` apart from `pa` + `b_c`, and the readable
//! part is cut where the whole would pass 63 bytes.

/// PostgreSQL truncates identifiers longer than this (in bytes).
pub const MAX_IDENTIFIER: usize = 63;

/// 8 hex digits of a 32-bit FNV-1a hash over `parts`, each ended by a NUL byte (which no
/// identifier contains), so that different part lists never hash the same input.
fn hash(parts: &[&str]) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    format!("{hash:08x}")
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The name of the primary key of `table`.
pub fn primary_key(table: &str) -> String {
    let name = format!("{table}_pkey");
    if name.len() <= MAX_IDENTIFIER {
        return name;
    }
    let hash = hash(&[table, "pkey"]);
    format!(
        "{}_{hash}_pkey",
        cut(table, MAX_IDENTIFIER - hash.len() - 6)
    )
}

/// The name of a constraint or index of kind `suffix` (`key`, `fkey`, `idx`) over `columns`
/// of `table`.
pub fn generated(table: &str, columns: &[String], suffix: &str) -> String {
    let mut parts = vec![table];
    parts.extend(columns.iter().map(String::as_str));
    parts.push(suffix);
    let hash = hash(&parts);
    let readable = format!("{table}_{}", columns.join("_"));
    let room = MAX_IDENTIFIER - hash.len() - suffix.len() - 2;
    format!("{}_{hash}_{suffix}", cut(&readable, room))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn names_that_read_alike_differ() {
        let a = generated("pa_b", &cols(&["c"]), "key");
        let b = generated("pa", &cols(&["b_c"]), "key");
        assert!(
            a.starts_with("pa_b_c_") && b.starts_with("pa_b_c_"),
            "{a} {b}"
        );
        assert_ne!(a, b);
        assert_ne!(
            generated("t", &cols(&["a"]), "key"),
            generated("t", &cols(&["a"]), "idx")
        );
    }

    #[test]
    fn long_names_fit_and_stay_distinct() {
        let table = "t".repeat(70);
        let pkey = primary_key(&table);
        assert!(pkey.len() <= MAX_IDENTIFIER, "{pkey}");
        assert_ne!(pkey, cut(&table, MAX_IDENTIFIER));
        assert_eq!(primary_key("users"), "users_pkey");
        let long = generated(&table, &cols(&["éééééééééé"]), "fkey");
        assert!(
            long.len() <= MAX_IDENTIFIER && long.ends_with("_fkey"),
            "{long}"
        );
        let other = generated(&table, &cols(&["éééééééééf"]), "fkey");
        assert_ne!(
            long, other,
            "cut to the same readable part, told apart by the hash"
        );
    }

    #[test]
    fn names_are_stable() {
        // Migrations compare these: the same input always gives the same name (the FNV-1a
        // of "users\0email\0key\0", computed independently).
        assert_eq!(
            generated("users", &cols(&["email"]), "key"),
            "users_email_52312658_key"
        );
    }
}
