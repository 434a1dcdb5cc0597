//! Reading pieces of SQL text that SQLite keeps only as the `CREATE` statement: the items of
//! a `CREATE TABLE`, the keys and condition of a `CREATE INDEX`.

/// A character of SQL text with where it stands: inside a quoted literal or identifier
/// (`'..'`, `".."`, `` `..` ``, `[..]`, the quotes included), and how many parentheses
/// enclose it (an opening parenthesis counts itself, a closing one does not).
#[derive(Debug, Clone, Copy)]
struct Scanned {
    at: usize,
    ch: char,
    quoted: bool,
    depth: usize,
}

/// Walk `text` character by character, tracking quotes and parentheses.
fn scan(text: &str) -> impl Iterator<Item = Scanned> + '_ {
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    text.char_indices().map(move |(at, ch)| {
        if let Some(close) = quote {
            if ch == close {
                quote = None;
            }
            return Scanned {
                at,
                ch,
                quoted: true,
                depth,
            };
        }
        match ch {
            '\'' | '"' | '`' => quote = Some(ch),
            '[' => quote = Some(']'),
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        Scanned {
            at,
            ch,
            quoted: quote.is_some(),
            depth,
        }
    })
}

/// Split `text` at the commas that are outside parentheses, quotes and brackets.
pub(crate) fn split_top_level(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut start = 0;
    for c in scan(text) {
        if c.ch == ',' && !c.quoted && c.depth == 0 {
            items.push(text[start..c.at].trim().to_owned());
            start = c.at + 1;
        }
    }
    if !text[start..].trim().is_empty() {
        items.push(text[start..].trim().to_owned());
    }
    items
}

/// The text inside the first top-level parentheses of `sql` (after `from`), and what
/// follows them.
pub(crate) fn parenthesised(sql: &str, from: usize) -> Option<(&str, &str)> {
    let rest = &sql[from..];
    let mut open = None;
    for c in scan(rest) {
        if c.quoted {
            continue;
        }
        match (c.ch, open) {
            ('(', None) => open = Some(c.at),
            (')', Some(start)) if c.depth == 0 => {
                return Some((&rest[start + 1..c.at], &rest[c.at + 1..]));
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
    let mut previous: Option<char> = None;
    for c in scan(text) {
        let boundary = previous.is_none_or(|p| !(p.is_alphanumeric() || p == '_'));
        previous = Some(c.ch);
        if !c.quoted
            && c.depth == 0
            && !c.ch.is_whitespace()
            && c.ch != '('
            && boundary
            && starts_with_keyword(&text[c.at..], word)
        {
            return Some(c.at);
        }
    }
    None
}
