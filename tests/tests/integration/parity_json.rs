//! JSON paths and containment on SQLite and PostgreSQL compared with each other, exactly (the
//! parity harness of `parity.rs`): documents written as raw text (duplicate keys, numbers in
//! exponent form and with trailing zeros, escapes, non-ASCII, scalars and arrays at the top,
//! JSON `null`), read back through many paths as text and as JSON, and probed with `contains`.

use orm::expr::TypedExpr;
use orm::prelude::*;
use serde_json::{Value, json};

use crate::parity::{Case, case, open_pair, rows, run_cases, seed_both};

#[derive(Model, Debug, Clone)]
#[orm(table = "jp_docs")]
pub struct JDoc {
    #[orm(primary_key, auto = false)]
    pub id: i64,
    /// `json` on PostgreSQL, which keeps the text as written (read as `jsonb`).
    #[orm(json)]
    pub doc: Option<Value>,
}

const DOCS: &[&str] = &[
    r#"{"a":1,"a":2,"b":{"c":[1,2,{"d":"x"}]}}"#,
    r#"{"n":1e2,"m":1.50,"z":-0,"s":"1.50","e":1.5e-3,"big":123456789012345678901234567890,"neg":-2.50E+1}"#,
    r#"{"u":"é\u0001\n\"q\"\\","emoji":"😀","ctl":"\u001f","tab":"a\tb"}"#,
    r#"[1,"two",[3,[4]],{"k":null},true,false,null]"#,
    r#""just a string""#,
    "42",
    "null",
    r#"{"tags":["a","b","a"],"nested":{"x":{"y":{"z":[]}}},"empty":{},"bb":1,"a":0}"#,
    r#"{"":"empty key","a.b":1,"$":2,"we\"ird":3,"it's":4}"#,
    "[]",
    r#"{"k":[{"a":1,"b":2},{"a":3}],"num":1.0,"arr":[1.0,2.00]}"#,
];

#[derive(Debug, Clone, Copy)]
enum S {
    K(&'static str),
    I(i32),
}

fn get(steps: &[S]) -> TypedExpr<Option<Value>> {
    let step = |expr: TypedExpr<Option<Value>>, s: &S| match *s {
        S::K(key) => expr.get(key),
        S::I(index) => expr.get(index),
    };
    let first = match steps[0] {
        S::K(key) => JDoc::doc.get(key),
        S::I(index) => JDoc::doc.get(index),
    };
    steps[1..].iter().fold(first, step)
}

fn paths() -> Vec<Vec<S>> {
    use S::{I, K};
    vec![
        vec![K("a")],
        vec![K("b")],
        vec![K("b"), K("c")],
        vec![K("b"), K("c"), I(2), K("d")],
        vec![K("b"), K("c"), I(-1)],
        vec![K("b"), K("c"), I(-3)],
        vec![K("b"), K("c"), I(-4)],
        vec![K("b"), K("c"), K("0")],
        vec![I(0)],
        vec![I(2), I(1), I(0)],
        vec![I(-1)],
        vec![I(3), K("k")],
        vec![K("n")],
        vec![K("m")],
        vec![K("z")],
        vec![K("s")],
        vec![K("e")],
        vec![K("big")],
        vec![K("neg")],
        vec![K("u")],
        vec![K("emoji")],
        vec![K("ctl")],
        vec![K("tab")],
        vec![K("tags")],
        vec![K("tags"), I(1)],
        vec![K("nested")],
        vec![K("nested"), K("x"), K("y")],
        vec![K("empty")],
        vec![K("")],
        vec![K("a.b")],
        vec![K("$")],
        vec![K("we\"ird")],
        vec![K("it's")],
        vec![K("k")],
        vec![K("k"), I(1), K("a")],
        vec![K("num")],
        vec![K("arr")],
        vec![K("missing"), K("deeper")],
    ]
}

fn probes() -> Vec<Value> {
    vec![
        json!({"a": 2}),
        json!({"a": 1}),
        json!({"b": {"c": [{"d": "x"}]}}),
        json!({"b": {"c": [2, 1]}}),
        json!({"b": {"c": 1}}),
        json!({"n": 100}),
        json!({"m": 1.5}),
        json!({"z": 0}),
        json!({"neg": -25}),
        json!({"big": 123456789012345678901234567890.0_f64}),
        json!([1]),
        json!([[4]]),
        json!([[3, [4]]]),
        json!([{"k": null}]),
        json!([true, null]),
        json!("two"),
        json!("just a string"),
        json!(42),
        json!(42.0),
        json!(null),
        json!({}),
        json!([]),
        json!({"tags": ["a"]}),
        json!({"tags": "a"}),
        json!({"nested": {"x": {}}}),
        json!({"nested": {"x": {"y": {"z": []}}}}),
        json!({"k": [{"a": 3}]}),
        json!({"k": [{"a": 1, "b": 3}]}),
        json!({"arr": [2]}),
        json!({"num": 1}),
        json!({"": "empty key"}),
        json!({"u": "é\u{1}\n\"q\"\\"}),
    ]
}

fn json_cases() -> Vec<Case> {
    let mut cases = vec![case!("whole document as text", |db| rows(
        JDoc::query()
            .order_by(JDoc::id)
            .select((JDoc::id, JDoc::doc.as_text()))
            .all(db)
            .await
    ))];
    // Each case's closure runs once per backend: the inputs live for the test.
    for path in paths() {
        let name = format!("{path:?}");
        let path: &'static [S] = Vec::leak(path);
        cases.push(case!(format!("text at {name}"), |db| rows(
            JDoc::query()
                .order_by(JDoc::id)
                .select((JDoc::id, get(path).as_text()))
                .all(db)
                .await
        )));
        cases.push(case!(format!("JSON at {name}"), |db| rows(
            JDoc::query()
                .order_by(JDoc::id)
                .select((JDoc::id, get(path)))
                .all(db)
                .await
        )));
    }
    for probe in probes() {
        let probe: &'static Value = Box::leak(Box::new(probe));
        cases.push(case!(format!("contains {probe}"), |db| rows(
            JDoc::query()
                .filter(JDoc::doc.contains(probe.clone()))
                .order_by(JDoc::id)
                .select(JDoc::id)
                .all(db)
                .await
        )));
    }
    cases
}

async fn seed_docs(db: &Database) -> Result<usize> {
    db.create_all(&schema![JDoc]).await?;
    let insert = match db.backend() {
        orm::Backend::Sqlite => "INSERT INTO jp_docs (id, doc) VALUES (?, ?)",
        _ => "INSERT INTO jp_docs (id, doc) VALUES ($1, CAST($2 AS json))",
    };
    for (id, doc) in (1..).zip(DOCS) {
        orm::raw(insert).bind(id).bind(*doc).execute(db).await?;
    }
    NewJDoc { id: 0, doc: None }.insert(db).await?;
    Ok(DOCS.len())
}

/// JSON paths and containment give the same answers on both backends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parity_json() {
    let suite = "parity_json";
    let Some(pair) = open_pair(suite).await else {
        return;
    };
    seed_both(&pair, "JSON documents", seed_docs).await;
    run_cases(suite, &pair, json_cases()).await;
}
