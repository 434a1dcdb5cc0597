//! Constraint violations and other failures map to typed errors on every backend, with the
//! driver's error as `source()`.

use std::error::Error as _;

use orm::prelude::*;

use crate::models::*;
use crate::{Target, backend_tests};

fn assert_sqlx_source(error: &Error) {
    let source = error.source().expect("a source");
    assert!(
        source.downcast_ref::<sqlx::Error>().is_some(),
        "source is the sqlx error: {source:?}"
    );
}

backend_tests! {
    async fn unique_violation(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        new_user(1).insert(db).await?;
        let error = new_user(1).insert(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation, "{error:?}");
        let info = error.constraint().expect("constraint info");
        assert_eq!(info.table.as_deref(), Some("users"));
        match t.target {
            Target::Postgres => assert_eq!(info.constraint.as_deref(), User::TABLE.column("email").and_then(|c| c.unique)),
            _ => assert_eq!(info.column.as_deref(), Some("email")),
        }
        assert_sqlx_source(&error);
        assert!(error.to_string().contains("unique"), "{error}");
        // A duplicate composite key is a unique violation too.
        let tag = NewTag { label: "x".into() }.insert(db).await?;
        let user = User::query().one(db).await?;
        let post = NewPost { user_id: user.id, title: "t".into(), body: String::new(), price: Decimal::ONE, published_at: None }.insert(db).await?;
        NewPostTag { post_id: post.id, tag_id: tag.id, weight: 1 }.insert(db).await?;
        let dup = NewPostTag { post_id: post.id, tag_id: tag.id, weight: 2 }.insert(db).await.unwrap_err();
        assert_eq!(dup.kind(), ErrorKind::UniqueViolation);
        Ok(())
    }

    async fn foreign_key_violation(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let error = NewPost { user_id: 777, title: "orphan".into(), body: String::new(), price: Decimal::ONE, published_at: None }
            .insert(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ForeignKeyViolation, "{error:?}");
        if t.target == Target::Postgres {
            let info = error.constraint().expect("info");
            assert_eq!(info.constraint.as_deref(), Some(Post::TABLE.foreign_keys[0].name));
            assert_eq!(info.table.as_deref(), Some("posts"));
        }
        assert_sqlx_source(&error);
        assert_eq!(Post::query().count(db).await?, 0);

        // ON DELETE RESTRICT refuses; ON DELETE CASCADE removes dependents.
        let user = new_user(1).insert(db).await?;
        let post = NewPost { user_id: user.id, title: "t".into(), body: String::new(), price: Decimal::ONE, published_at: None }.insert(db).await?;
        let tag = NewTag { label: "x".into() }.insert(db).await?;
        NewPostTag { post_id: post.id, tag_id: tag.id, weight: 1 }.insert(db).await?;
        let restricted = tag.delete(db).await.unwrap_err();
        assert_eq!(restricted.kind(), ErrorKind::ForeignKeyViolation, "{restricted:?}");
        user.delete(db).await?;
        assert_eq!(Post::query().count(db).await?, 0);
        assert_eq!(PostTag::query().count(db).await?, 0);
        tag.delete(db).await?;
        Ok(())
    }

    async fn not_null_violation(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Strict]).await?;
        let error = NewLoose { name: None, code: Some("c".into()) }.insert(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotNullViolation, "{error:?}");
        let info = error.constraint().expect("info");
        assert_eq!(info.column.as_deref(), Some("name"));
        assert_eq!(info.table.as_deref(), Some("strict_things"));
        assert_sqlx_source(&error);
        Ok(())
    }

    async fn check_violation(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let account = NewAccount { owner: "o".into(), balance: 5 }.insert(db).await?;
        let error = Account::update().filter(Account::id.eq(account.id)).set(Account::balance, -1).exec(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::CheckViolation, "{error:?}");
        assert_eq!(error.constraint().and_then(|i| i.constraint.as_deref()), Some("balance_not_negative"));
        assert_sqlx_source(&error);
        assert_eq!(Account::get(db, account.id).await?.balance, 5);
        Ok(())
    }

    async fn decode_error_names_the_column(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Strict]).await?;
        NewStrict { name: "n".into(), code: "not a number".into() }.insert(db).await?;
        let error = Misread::query().all(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
        assert!(error.to_string().contains("code"), "{error}");
        assert!(
            matches!(&error, Error::Decode { table: Some("strict_things"), column, .. } if column == "code"),
            "{error:?}"
        );
        Ok(())
    }

    async fn unexpected_null_says_to_use_option(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&schema![Loose]).await?; // nullable columns
        NewLoose { name: Some("n".into()), code: None }.insert(db).await?;
        let error = Strict::query().all(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
        let message = error.to_string();
        assert!(message.contains("code") && message.contains("Option"), "{message}");
        Ok(())
    }

    async fn unsupported_before_anything_is_sent(t: &TestDb) -> Result<()> {
        #[derive(Model, Debug)]
        #[orm(table = "wide_numbers")]
        struct Wide {
            #[orm(primary_key)]
            id: i64,
            #[orm(numeric(30, 10))]
            amount: Decimal,
        }
        let db = &t.db;
        let result = db.create_all(&schema![Wide]).await;
        if t.target == Target::Postgres {
            result?;
            let amount: Decimal = "12345678901234567890.01234567".parse().unwrap();
            let stored = NewWide { amount }.insert(db).await?;
            assert_eq!(stored.amount, amount);
        } else {
            let error = result.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Unsupported, "{error:?}");
            assert!(matches!(error, Error::Unsupported { backend: "sqlite", .. }));
            // Nothing was created: the table does not exist.
            assert!(Wide::query().count(db).await.is_err());
        }
        Ok(())
    }

    async fn decimal_overflow_is_an_error_not_a_wrong_value(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let user = new_user(1).insert(db).await?;
        let error = NewPost { user_id: user.id, title: "t".into(), body: String::new(), price: "123456789012.5".parse().unwrap(), published_at: None }
            .insert(db).await.unwrap_err();
        // PostgreSQL: numeric field overflow (22003); SQLite: encoding refuses the same value.
        assert!(matches!(error.kind(), ErrorKind::Database | ErrorKind::Encode), "{error:?}");
        assert!(error.to_string().contains("numeric field overflow"), "{error}");
        assert_eq!(Post::query().count(db).await?, 0);
        Ok(())
    }
}

#[tokio::test]
async fn bad_urls_are_typed_errors() {
    let error = Database::connect("mysql://localhost/x").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Configuration);
    assert!(
        error.to_string().contains("sqlite: or postgres://"),
        "{error}"
    );
    let error = DatabaseOptions::new()
        .acquire_timeout(std::time::Duration::from_secs(2))
        .connect("postgres://postgres@127.0.0.1:1/none")
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Connection | ErrorKind::Pool),
        "{error:?}"
    );
    let error = Database::connect("sqlite:///nonexistent-dir/x.db")
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Connection | ErrorKind::Database),
        "{error:?}"
    );
}
