//! Bad input refused with a clear error; identifiers that need quoting work (the hostile-string
//! corpus is in `reliability_hostile`).

use orm::prelude::*;

use crate::backend_tests;
use crate::models::*;

backend_tests! {
    async fn nul_in_text_is_refused_on_every_backend(t: &TestDb) -> Result<()> {
        // PostgreSQL cannot store NUL in text and SQLite's LIKE stops at it: refused before
        // sending on both, in writes and in filters alike.
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let mut user = new_user(1);
        user.bio = Some("before\0after".into());
        let error = user.insert(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Encode, "{error:?}");
        assert!(error.to_string().contains("NUL"), "{error}");
        assert_eq!(User::query().count(db).await?, 0);
        let stored = new_user(2).insert(db).await?;
        let filters = [
            User::name.eq("a\0b"),
            User::name.in_list(["x", "a\0b"]),
            User::name.not_in(["a\0b"]),
            User::name.contains("\0"),
            User::name.starts_with("User\0"),
            User::name.like("%\0%"),
        ];
        for filter in filters {
            let error = User::query().filter(filter.clone()).count(db).await.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Encode, "{error:?}");
            let error = User::delete().filter(filter).exec(db).await.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Encode, "{error:?}");
        }
        assert_eq!(User::get(db, stored.id).await?, stored);
        // Bytes keep NUL everywhere.
        #[derive(Model, Debug)]
        #[orm(table = "blobs")]
        struct Blob {
            #[orm(primary_key)]
            id: i64,
            data: Vec<u8>,
        }
        db.create_all(&schema![Blob]).await?;
        let blob = NewBlob { data: b"\0\x01\0'\"--;".to_vec() }.insert(db).await?;
        assert_eq!(Blob::get(db, blob.id).await?.data, b"\0\x01\0'\"--;");
        Ok(())
    }

    async fn identifiers_that_need_quoting(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let schema = schema![Awkward];
        db.create_all(&schema).await?;
        let row = NewAwkward { from_x: "x".into(), group_name: "g".into() }.insert(db).await?;
        assert_eq!(Awkward::get(db, row.id).await?, row);
        assert_eq!(Awkward::query().filter(Awkward::group_name.eq("g")).select(Awkward::from_x).one(db).await?, "x");
        let error = NewAwkward { from_x: "y".into(), group_name: "g".into() }.insert(db).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UniqueViolation);
        Awkward::update().filter(Awkward::id.eq(row.id)).set(Awkward::from_x, "z").exec(db).await?;
        row.delete(db).await?;
        db.drop_all(&schema).await?;
        Ok(())
    }
}
