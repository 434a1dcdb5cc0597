//! Reading pieces of SQL text that SQLite keeps only as the `CREATE` statement: the items of
//! a `CREATE TABLE`, the keys and condition of a `CREATE INDEX`.

/// Split `text` at the commas that are outside parentheses, quotes and brackets.
pub(crate) fn split_top_level(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        if let Some(close) = quote {
            current.push(c);
            if c == close {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => {
                quote = Some(c);
                current.push(c);
            }
            '[' => {
                quote = Some(']');
                current.push(c);
            }
            '(' => {
                depth += 1;
                current.push(c);
            }
            ')' => {
                depth = depth.saturating_sub(1);
                current.push(c);
            }
            ',' if depth == 0 => items.push(std::mem::take(&mut current).trim().to_owned()),
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        items.push(current.trim().to_owned());
    }
    items
}

/// The text inside the first top-level parentheses of `sql` (after `from`), and what
/// follows them.
pub(crate) fn parenthesised(sql: &str, from: usize) -> Option<(&str, &str)> {
    let start = from + sql[from..].find('(')?;
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in sql[start..].char_indices() {
        if let Some(close) = quote {
            if c == close {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '[' => quote = Some(']'),
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    let end = start + i;
                    return Some((&sql[start + 1..end], &sql[end + 1..]));
                }
            }
            _ => {}
        }
    }
    None
}

/// An identifier without its quotes (`"a""b"`, `[x]`, `` `y` ``, or bare).
pub(crate) fn unquote(ident: &str) -> String {
    let ident = ident.trim();
    let mut chars = ident.chars();
    match (chars.next(), ident.chars().last()) {
        (Some('"'), Some('"')) if ident.len() >= 2 => {
            ident[1..ident.len() - 1].replace("\"\"", "\"")
        }
        (Some('`'), Some('`')) if ident.len() >= 2 => ident[1..ident.len() - 1].replace("``", "`"),
        (Some('['), Some(']')) if ident.len() >= 2 => ident[1..ident.len() - 1].to_owned(),
        _ => ident.to_owned(),
    }
}

/// The first word of `text` (an identifier, quoted or not) and the rest.
pub(crate) fn first_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    let close = match text.chars().next() {
        Some('"') => Some('"'),
        Some('`') => Some('`'),
        Some('[') => Some(']'),
        _ => None,
    };
    let end = match close {
        Some(close) => text[1..].find(close).map_or(text.len(), |i| i + 2),
        None => text
            .find(|c: char| c.is_whitespace() || c == '(')
            .unwrap_or(text.len()),
    };
    (&text[..end], &text[end..])
}

/// True when `text` starts with the keyword `word`, in any case.
pub(crate) fn starts_with_keyword(text: &str, word: &str) -> bool {
    let text = text.trim_start();
    text.len() >= word.len()
        && text[..word.len()].eq_ignore_ascii_case(word)
        && text[word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}

/// The position of the keyword `word` in `text` outside parentheses and quotes.
pub(crate) fn find_top_level_keyword(text: &str, word: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for (n, &(i, c)) in bytes.iter().enumerate() {
        if let Some(close) = quote {
            if c == close {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '[' => quote = Some(']'),
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => {
                let boundary = n == 0 || {
                    let p = bytes[n - 1].1;
                    !(p.is_alphanumeric() || p == '_')
                };
                if boundary && starts_with_keyword(&text[i..], word) {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}
