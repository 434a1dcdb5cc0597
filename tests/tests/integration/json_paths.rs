//! Typed access into JSON columns with `jsonb`'s answers on every backend: paths
//! (`get`), values as text (`as_text`), containment (`contains`, PostgreSQL's `@>`), on
//! `jsonb`, `json` and `Json<T>` columns, keys that are no valid path syntax, and a GIN index
//! on PostgreSQL (a B-tree on SQLite) that the migration tooling reads back.

use orm::migrate::{Migrations, Migrator, Renames};
use orm::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::backend_tests;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Prefs {
    pub theme: String,
    pub sizes: Vec<i32>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "js_docs", index(columns = ["meta"], method = "gin"))]
pub struct Doc {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub meta: Value,
    /// `json` on PostgreSQL: read as `jsonb`.
    #[orm(json)]
    pub plain: Option<Value>,
    pub prefs: Json<Prefs>,
}

async fn seed(db: &Database) -> Result<()> {
    db.create_all(&schema![Doc]).await?;
    let docs = [
        (
            "a",
            json!({"author": {"name": "ann", "age": 31}, "tags": ["rust", "db"], "score": 1.5,
                   "draft": false, "odd keys": {"a.b": 1, "we\"ird": 2, "$": 3, "it's": 4}}),
            Some(json!(["x", {"k": [1, 2]}])),
            "dark",
        ),
        (
            "b",
            json!({"author": {"name": "bob"}, "tags": ["go"], "score": 2, "draft": true,
                   "note": null}),
            None,
            "light",
        ),
        ("c", json!([1, "two", [3]]), Some(json!({"k": 1.0})), "dark"),
    ];
    for (name, meta, plain, theme) in docs {
        NewDoc {
            name: name.into(),
            meta,
            plain,
            prefs: Json(Prefs {
                theme: theme.into(),
                sizes: vec![1, 2],
            }),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn names(db: &Database, filter: Condition) -> Result<Vec<String>> {
    Doc::query()
        .filter(filter)
        .order_by(Doc::name)
        .select(Doc::name)
        .all(db)
        .await
}

backend_tests! {
    async fn json_paths_read_as_jsonb(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let texts = |expr: orm::expr::TypedExpr<Option<String>>| {
            Doc::query().order_by(Doc::name).select(expr).all(db)
        };
        assert_eq!(
            texts(Doc::meta.get("author").get("name").as_text()).await?,
            [Some("ann".to_owned()), Some("bob".to_owned()), None]
        );
        // Numbers and booleans as jsonb writes them; JSON null and missing values are NULL.
        assert_eq!(
            texts(Doc::meta.get("score").as_text()).await?,
            [Some("1.5".to_owned()), Some("2".to_owned()), None]
        );
        assert_eq!(
            texts(Doc::meta.get("draft").as_text()).await?,
            [Some("false".to_owned()), Some("true".to_owned()), None]
        );
        assert_eq!(texts(Doc::meta.get("note").as_text()).await?, [None, None, None]);
        // Objects and arrays as jsonb text: keys by length then bytes, ", " and ": ".
        assert_eq!(
            texts(Doc::meta.get("author").as_text()).await?,
            [
                Some(r#"{"age": 31, "name": "ann"}"#.to_owned()),
                Some(r#"{"name": "bob"}"#.to_owned()),
                None
            ]
        );
        assert_eq!(
            texts(Doc::meta.get(2).as_text()).await?,
            [None, None, Some("[3]".to_owned())]
        );
        // Indexes from the end; out of range, into an object or with a key into an array: NULL.
        assert_eq!(
            texts(Doc::meta.get("tags").get(-1).as_text()).await?,
            [Some("db".to_owned()), Some("go".to_owned()), None]
        );
        assert_eq!(texts(Doc::meta.get("tags").get(5).as_text()).await?, [None, None, None]);
        assert_eq!(
            texts(Doc::meta.get(1).as_text()).await?,
            [None, None, Some("two".to_owned())]
        );
        // The whole document as text.
        assert_eq!(
            texts(Doc::plain.as_text()).await?[..2],
            [Some(r#"["x", {"k": [1, 2]}]"#.to_owned()), None]
        );
        // Keys are bound, never path syntax.
        for (key, value) in [("a.b", "1"), ("we\"ird", "2"), ("$", "3"), ("it's", "4")] {
            let got = texts(Doc::meta.get("odd keys").get(key).as_text()).await?;
            assert_eq!(got[0].as_deref(), Some(value), "key {key}");
        }
        // JSON values come back as JSON.
        let authors: Vec<Option<Value>> =
            Doc::query().order_by(Doc::name).select(Doc::meta.get("author")).all(db).await?;
        assert_eq!(authors, [Some(json!({"name": "ann", "age": 31})), Some(json!({"name": "bob"})), None]);
        let note: Vec<Option<Value>> =
            Doc::query().order_by(Doc::name).select(Doc::meta.get("note")).all(db).await?;
        assert_eq!(note, [None, Some(Value::Null), None], "JSON null is a value, a missing key is not");
        Ok(())
    }

    async fn json_paths_filter(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        assert_eq!(names(db, Doc::meta.get("author").get("name").as_text().eq("bob")).await?, ["b"]);
        assert_eq!(names(db, Doc::meta.get("tags").get(0).as_text().like("r%")).await?, ["a"]);
        assert_eq!(names(db, Doc::meta.get("author").is_null()).await?, ["c"]);
        // A value inside a document compares with a JSON value by value.
        assert_eq!(
            names(db, Doc::meta.get("author").eq(json!({"name": "ann", "age": 31}))).await?,
            ["a"]
        );
        assert_eq!(names(db, Doc::meta.get("score").eq(json!(2))).await?, ["b"]);
        // JSON orders as jsonb on PostgreSQL; SQLite, storing text, refuses to order it.
        let ordered = Doc::query().order_by(Doc::meta.get("score")).select(Doc::name).all(db).await;
        if t.target == crate::Target::Postgres {
            assert_eq!(ordered?, ["a", "b", "c"]);
        } else {
            let refused = ordered.unwrap_err();
            assert_eq!(refused.kind(), ErrorKind::Unsupported, "{refused}");
        }
        assert_eq!(
            names(db, Doc::meta.get("score").as_text().is_not_null()).await?,
            ["a", "b"],
            "a typed part still filters"
        );
        assert_eq!(names(db, Doc::meta.get("tags").get(1).eq(json!("db"))).await?, ["a"]);
        assert_eq!(names(db, Doc::prefs.get("theme").as_text().eq("dark")).await?, ["a", "c"]);
        assert_eq!(names(db, Doc::plain.get(1).get("k").get(0).as_text().eq("1")).await?, ["a"]);
        assert_eq!(
            names(db, Doc::meta.get("author").get("name").as_text().in_list(["ann", "zed"])).await?,
            ["a"]
        );
        Ok(())
    }

    async fn json_containment_is_jsonb_containment(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let contains = |value: Value| names(db, Doc::meta.contains(value));
        assert_eq!(contains(json!({"tags": ["db"]})).await?, ["a"]);
        assert_eq!(contains(json!({"author": {"age": 31}})).await?, ["a"]);
        assert_eq!(contains(json!({"tags": []})).await?, ["a", "b"]);
        assert_eq!(contains(json!({})).await?, ["a", "b"]);
        // Numbers by value, whatever their scale.
        assert_eq!(contains(json!({"score": 2.0})).await?, ["b"]);
        assert_eq!(contains(json!({"score": 1.50})).await?, ["a"]);
        // A top-level array contains the scalars it holds; nested, only arrays contain arrays.
        assert_eq!(contains(json!("two")).await?, ["c"]);
        assert_eq!(contains(json!([[3]])).await?, ["c"]);
        assert!(contains(json!({"tags": "rust"})).await?.is_empty());
        assert!(contains(json!({"author": {"name": "ann", "age": 30}})).await?.is_empty());
        assert_eq!(contains(json!({"draft": false, "note": null})).await?, Vec::<String>::new());
        assert_eq!(contains(json!({"draft": true, "note": null})).await?, ["b"]);
        // On a `json` column (read as jsonb) and a Json<T> column; NULL contains nothing.
        assert_eq!(names(db, Doc::plain.contains(json!({"k": 1}))).await?, ["c"]);
        assert_eq!(names(db, Doc::plain.contains(json!([{"k": [2]}]))).await?, ["a"]);
        assert_eq!(names(db, Doc::prefs.contains(json!({"sizes": [2]}))).await?, ["a", "b", "c"]);
        assert_eq!(names(db, not(Doc::plain.contains(json!([])))).await?, ["c"]);
        Ok(())
    }

    async fn json_gin_index_reads_back(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let schema = schema![Doc];
        db.create_all(&schema).await?;
        let found = Migrator::new(Migrations::default())
            .check(db, &schema, &Renames::default())
            .await?;
        assert!(found.is_empty(), "read back differently: {:?}", found.operations);
        Ok(())
    }
}
