//! Savepoints (issue 12): nested transactions that roll back alone, in the closure and the
//! guard form, to any depth, with a failed statement aborting only its savepoint.

use orm::prelude::*;

use crate::backend_tests;
use crate::models::*;

async fn user_names(db: &Database) -> Result<Vec<String>> {
    Ok(User::query()
        .order_by(User::id.asc())
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.name)
        .collect())
}

backend_tests! {
    async fn a_savepoint_that_fails_keeps_the_outer_writes(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let tx = db.begin().await?;
        new_user(1).insert(&tx).await?;
        let result: Result<()> = tx
            .savepoint(async |sp| {
                new_user(2).insert(sp).await?;
                assert_eq!(User::query().count(sp).await?, 2, "visible inside the savepoint");
                Err(Error::InvalidStatement { message: "the application changed its mind".into() })
            })
            .await;
        assert!(result.is_err());
        assert_eq!(User::query().count(&tx).await?, 1, "the savepoint's insert was undone");
        new_user(3).insert(&tx).await?;
        tx.commit().await?;
        assert_eq!(user_names(db).await?, [new_user(1).name, new_user(3).name]);
        Ok(())
    }

    async fn a_failed_statement_aborts_only_its_savepoint(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let kept = db
            .transaction(async |tx| {
                new_user(1).insert(tx).await?;
                let outcome: Result<()> = tx
                    .savepoint(async |sp| {
                        new_user(2).insert(sp).await?;
                        let duplicate = new_user(1).insert(sp).await.expect_err("duplicate email");
                        assert_eq!(duplicate.kind(), ErrorKind::UniqueViolation);
                        // The savepoint is aborted: nothing more is sent in it.
                        let refused = User::query().count(sp).await.expect_err("aborted");
                        assert_eq!(refused.kind(), ErrorKind::SavepointAborted, "{refused}");
                        // Returning Ok anyway: the release rolls it back and says so.
                        Ok(())
                    })
                    .await;
                let error = outcome.expect_err("an aborted savepoint does not release");
                assert_eq!(error.kind(), ErrorKind::SavepointAborted, "{error}");
                assert!(
                    matches!(&error, Error::SavepointAborted { cause: Some(ErrorKind::UniqueViolation), .. }),
                    "{error:?}"
                );
                // The transaction goes on.
                new_user(3).insert(tx).await?;
                User::query().count(tx).await
            })
            .await?;
        assert_eq!(kept, 2);
        assert_eq!(user_names(db).await?, [new_user(1).name, new_user(3).name]);
        Ok(())
    }

    async fn savepoints_nest_in_the_guard_form(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let tx = db.begin().await?;
        new_user(1).insert(&tx).await?;
        let one = tx.begin().await?;
        new_user(2).insert(&one).await?;
        let two = one.begin().await?;
        new_user(3).insert(&two).await?;
        let three = two.begin().await?;
        new_user(4).insert(&three).await?;
        three.commit().await?;
        // Rolling back `two` undoes `three` too, which was released into it.
        two.rollback().await?;
        let dropped = one.begin().await?;
        new_user(5).insert(&dropped).await?;
        drop(dropped);
        new_user(6).insert(&one).await?;
        one.commit().await?;
        let abandoned = tx.begin().await?;
        new_user(7).insert(&abandoned).await?;
        drop(abandoned);
        // Dropped savepoints are rolled back before the commit.
        tx.commit().await?;
        let names = user_names(db).await?;
        let expected: Vec<String> = [1, 2, 6].into_iter().map(|n| new_user(n).name).collect();
        assert_eq!(names, expected);
        Ok(())
    }

    async fn the_transaction_waits_while_a_savepoint_is_open(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let tx = db.begin().await?;
        let sp = tx.begin().await?;
        let refused = new_user(1).insert(&tx).await.expect_err("a savepoint is open");
        assert_eq!(refused.kind(), ErrorKind::InvalidStatement, "{refused}");
        assert!(refused.to_string().contains("savepoint is open"), "{refused}");
        new_user(2).insert(&sp).await?;
        sp.commit().await?;
        // The refusal sent nothing: the transaction is not aborted.
        new_user(3).insert(&tx).await?;
        tx.commit().await?;
        assert_eq!(user_names(db).await?, [new_user(2).name, new_user(3).name]);
        Ok(())
    }

    async fn a_transaction_aborted_outside_its_savepoints_stays_aborted(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let tx = db.begin().await?;
        new_user(1).insert(&tx).await?;
        new_user(1).insert(&tx).await.expect_err("duplicate");
        let error = tx.begin().await.err().expect("no savepoint in an aborted transaction");
        assert_eq!(error.kind(), ErrorKind::TransactionAborted, "{error}");
        let error = tx.commit().await.expect_err("aborted");
        assert_eq!(error.kind(), ErrorKind::TransactionAborted, "{error}");
        assert_eq!(User::query().count(db).await?, 0);
        Ok(())
    }
}
