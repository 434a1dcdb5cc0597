//! Reliability: a corpus of hostile strings (injection attempts, quotes, comments,
//! placeholders, LIKE wildcards and escapes, control characters, Unicode edge cases, NUL)
//! through every write and filter path. Every value is stored and found exactly, or refused
//! with `Encode` before sending (NUL, on both backends); nothing leaks into the SQL.

use orm::prelude::*;

use crate::backend_tests;
use crate::models::*;

/// At least 80 strings: hand-picked ones, then every ASCII punctuation character alone and
/// doubled.
fn corpus() -> Vec<String> {
    let picked = [
        "",
        " ",
        "O'Brien",
        "''",
        "'",
        "\"",
        "`",
        "'; DROP TABLE users; --",
        "\"; DROP TABLE \"users\"; --",
        "1' OR '1'='1",
        "1 OR 1=1",
        "admin'--",
        "' UNION SELECT email, name FROM users --",
        "'); DELETE FROM users WHERE ('a' = 'a",
        "/* comment */",
        "*/ SELECT 1 /*",
        "-- trailing comment",
        "#hash comment",
        "$1",
        "$$ dollar $$",
        "$tag$ quoted $tag$",
        "?",
        "?1 ?2 ??",
        ":name @p1 %s {0}",
        "%",
        "%%",
        "_",
        "__",
        "%_%",
        "50% off_now",
        "\\",
        "\\\\",
        "\\%",
        "\\_",
        "back\\slash \\' \\\"",
        "E'\\x41'",
        "\\x00\\x41",
        "line\nbreak",
        "\r\n\r\n",
        "\ttab\tseparated\t",
        "\u{7}\u{8}\u{b}\u{c}\u{1b}[31mred\u{1b}[0m",
        "\u{7f}",
        "ünïcødé",
        "Ελληνικά",
        "日本語テキスト",
        "emoji 🦀👩‍👩‍👧🏳️‍🌈",
        "\u{200b}zero\u{200d}width\u{200c}",
        "\u{feff}BOM first",
        "RTL \u{202e}desrever\u{202c} text",
        "combining e\u{301} vs é",
        "\u{10ffff}",
        "\u{fffd} replacement",
        "Ω ≈ ç √ ∫ ≤ ≥ ÷",
        "<script>alert(1)</script>",
        "<!-- html -->",
        "{\"json\": [1, 2, {\"a\": null}]}",
        "null",
        "NULL",
        "true",
        "0",
        "-0",
        "1e309",
        "NaN",
        "%00",
        "%27%20OR%201%3D1",
        "${HOME} $(rm -rf /) `id`",
        "a\u{0}b",
        "\u{0}",
        "trailing space ",
        " leading space",
        "ALL CAPS SELECT FROM WHERE",
        "semicolon;; ;",
    ];
    let mut strings: Vec<String> = picked.iter().map(|s| (*s).to_owned()).collect();
    strings.push("x".repeat(10_000));
    strings.push("'".repeat(1_000));
    for punctuation in (0x21_u8..0x7f).filter(u8::is_ascii_punctuation) {
        let c = char::from(punctuation);
        strings.push(c.to_string());
        strings.push(format!("{c}{c}"));
    }
    strings.sort();
    strings.dedup();
    strings
}

/// The name column holds at most 100 characters.
fn short(text: &str) -> String {
    text.chars().take(100).collect()
}

backend_tests! {
    async fn hostile_strings_through_every_write_and_filter(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let corpus = corpus();
        assert!(corpus.len() >= 80, "{} strings", corpus.len());
        let (refused, accepted): (Vec<&String>, Vec<&String>) = corpus.iter().partition(|s| s.contains('\0'));
        // NUL is refused before sending, on every write path and in every filter.
        for text in &refused {
            let mut user = new_user(0);
            user.bio = Some((*text).clone());
            assert_eq!(user.insert(db).await.unwrap_err().kind(), ErrorKind::Encode);
            assert_eq!(NewUser::insert_many(db, &[user]).await.unwrap_err().kind(), ErrorKind::Encode);
            let filtered = User::query().filter(User::bio.eq(text.as_str())).count(db).await;
            assert_eq!(filtered.unwrap_err().kind(), ErrorKind::Encode);
        }
        assert_eq!(User::query().count(db).await?, 0);

        // Single inserts, one bulk insert, updates and upserts.
        let mut ids = Vec::new();
        for (n, text) in accepted.iter().enumerate() {
            let mut user = new_user(n);
            user.name = short(text);
            user.bio = Some((*text).clone());
            let stored = if n % 2 == 0 {
                user.insert(db).await?
            } else {
                NewUser::insert_many(db, std::slice::from_ref(&user)).await?;
                User::query().filter(User::email.eq(user.email.as_str())).one(db).await?
            };
            assert_eq!(stored.bio.as_deref(), Some(text.as_str()), "insert");
            assert_eq!(stored.name, short(text));
            ids.push(stored.id);
        }
        assert_eq!(User::query().count(db).await?, i64::try_from(accepted.len()).expect("small"), "no statement was injected");

        for (n, (text, id)) in accepted.iter().zip(&ids).enumerate() {
            let text = text.as_str();
            // Equality, IN and NOT IN find exactly this row.
            assert_eq!(User::query().filter(User::bio.eq(text)).select(User::id).all(db).await?, [*id], "eq {text:?}");
            assert_eq!(User::query().filter(User::bio.in_list([text, "\u{1}never"])).select(User::id).all(db).await?, [*id], "in_list {text:?}");
            assert_eq!(User::query().filter(User::bio.not_in([text])).count(db).await?, i64::try_from(accepted.len() - 1).expect("small"), "not_in {text:?}");
            assert_eq!(User::query().filter(User::name.eq(short(text).as_str())).count(db).await?, i64::try_from(accepted.iter().filter(|s| short(s) == short(text)).count()).expect("small"));
            // Literal search: the same rows Rust finds.
            let expect = |keep: &dyn Fn(&str) -> bool| -> Vec<i64> {
                accepted.iter().zip(&ids).filter(|(s, _)| keep(s)).map(|(_, id)| *id).collect()
            };
            let found = |filter: Condition| async move {
                User::query().filter(filter).order_by(User::id).select(User::id).all(db).await
            };
            assert_eq!(found(User::bio.contains(text)).await?, expect(&|s| s.contains(text)), "contains {text:?}");
            assert_eq!(found(User::bio.starts_with(text)).await?, expect(&|s| s.starts_with(text)), "starts_with {text:?}");
            assert_eq!(found(User::bio.ends_with(text)).await?, expect(&|s| s.ends_with(text)), "ends_with {text:?}");
            assert_eq!(found(User::bio.like(escape_like(text))).await?, [*id], "like of the escaped text {text:?}");
            // Updates write it back exactly, by filter on the hostile value itself.
            let changed = User::update().filter(User::bio.eq(text)).set(User::bio, Some(format!("{text}!"))).exec(db).await?;
            assert_eq!(changed, 1, "update {text:?}");
            let returned: Vec<Option<String>> = User::update().filter(User::id.eq(*id)).set(User::bio, Some(text.to_owned())).returning(User::bio).all(db).await?;
            assert_eq!(returned, [Some(text.to_owned())]);
            // An upsert keyed by the email takes the hostile value as the new name.
            let mut again = new_user(n);
            again.name = short(&format!("{text}?"));
            orm::insert(vec![again]).on_conflict(User::email).do_update(User::name, excluded(User::name)).exec(db).await?;
            assert_eq!(User::get(db, *id).await?.name, short(&format!("{text}?")), "upsert {text:?}");
            User::update().filter(User::id.eq(*id)).set(User::name, short(text)).exec(db).await?;
            // Raw SQL binds it as a value too.
            let sql = match t.target {
                crate::Target::Postgres => "SELECT count(*) FROM users WHERE bio = $1",
                _ => "SELECT count(*) FROM users WHERE bio = ?",
            };
            let counted: Vec<(i64,)> = raw(sql).bind(text).fetch_as(db).await?;
            assert_eq!(counted, [(1,)], "raw {text:?}");
        }
        // Nothing else changed: every row is there with its value.
        for (text, id) in accepted.iter().zip(&ids) {
            assert_eq!(User::get(db, *id).await?.bio.as_deref(), Some(text.as_str()));
        }
        assert_eq!(User::query().count(db).await?, i64::try_from(accepted.len()).expect("small"));
        Ok(())
    }
}
