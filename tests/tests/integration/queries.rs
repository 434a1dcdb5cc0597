//! The query core: filters, ordering, paging, terminal methods and typed selections.

use orm::prelude::*;

use crate::backend_tests;
use crate::models::*;

async fn seed(db: &Database) -> Result<Vec<User>> {
    db.create_all(&blog_schema()).await?;
    let mut users = Vec::new();
    for (n, name) in ["Ada", "Grace", "alan", "Edsger", "Barbara"]
        .iter()
        .enumerate()
    {
        let mut user = new_user(n);
        user.name = (*name).to_owned();
        user.karma = i32::try_from(n).expect("small") * 10;
        user.bio = (n % 2 == 0).then(|| format!("bio of {name}"));
        users.push(user.insert(db).await?);
    }
    Ok(users)
}

fn names(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.name.as_str()).collect()
}

backend_tests! {
    async fn comparisons_and_boolean_logic(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let q = || User::query().order_by(User::id);
        assert_eq!(names(&q().filter(User::karma.gt(20)).all(db).await?), ["Edsger", "Barbara"]);
        assert_eq!(names(&q().filter(User::karma.ge(20)).all(db).await?), ["alan", "Edsger", "Barbara"]);
        assert_eq!(names(&q().filter(User::karma.lt(10)).all(db).await?), ["Ada"]);
        assert_eq!(names(&q().filter(User::karma.le(10)).all(db).await?), ["Ada", "Grace"]);
        assert_eq!(q().filter(User::karma.ne(10)).count(db).await?, 4);
        assert_eq!(names(&q().filter(User::karma.between(10, 30)).all(db).await?), ["Grace", "alan", "Edsger"]);
        assert_eq!(
            names(&q().filter(User::karma.eq(0).or(User::karma.eq(40))).all(db).await?),
            ["Ada", "Barbara"]
        );
        assert_eq!(
            names(&q().filter(User::karma.gt(0).and(User::karma.lt(40)).not()).all(db).await?),
            ["Ada", "Barbara"]
        );
        assert_eq!(names(&q().filter(not(User::is_active)).all(db).await?), Vec::<&str>::new());
        // Several filters are ANDed.
        assert_eq!(names(&q().filter(User::karma.gt(0)).filter(User::bio.is_not_null()).all(db).await?), ["alan", "Barbara"]);
        assert_eq!(q().filter(User::bio.is_null()).count(db).await?, 2);
        // An Option column compared with a plain value; a column compared with a column.
        assert_eq!(q().filter(User::bio.eq("bio of Ada")).count(db).await?, 1);
        assert_eq!(q().filter(User::created_at.eq(User::updated_at)).count(db).await?, 5);
        Ok(())
    }

    async fn in_list_including_empty(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let users = seed(db).await?;
        let ids = [users[1].id, users[3].id, 999_999];
        assert_eq!(names(&User::query().filter(User::id.in_list(ids)).order_by(User::id).all(db).await?), ["Grace", "Edsger"]);
        assert_eq!(User::query().filter(User::id.not_in(ids)).count(db).await?, 3);
        let none: [i64; 0] = [];
        assert_eq!(User::query().filter(User::id.in_list(none)).count(db).await?, 0);
        assert_eq!(User::query().filter(User::id.not_in(none)).count(db).await?, 5);
        assert_eq!(User::query().filter(User::name.in_list(["Ada", "alan"])).count(db).await?, 2);
        Ok(())
    }

    async fn like_is_case_sensitive_on_every_backend(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        assert_eq!(names(&User::query().filter(User::name.like("A%")).all(db).await?), ["Ada"]);
        assert_eq!(names(&User::query().filter(User::name.like("a%")).all(db).await?), ["alan"]);
        assert_eq!(User::query().filter(User::name.not_like("%a%")).count(db).await?, 1); // "Edsger"
        assert_eq!(User::query().filter(User::name.like("_race")).count(db).await?, 1);
        // `\` escapes wildcards.
        new_user(50).insert(db).await.map(|_| ())?;
        User::update().filter(User::email.eq("user50@example.com")).set(User::name, "100%_sure").exec(db).await?;
        assert_eq!(User::query().filter(User::name.like("100\\%\\_sure")).count(db).await?, 1);
        assert_eq!(User::query().filter(User::name.like("1000\\%")).count(db).await?, 0);
        Ok(())
    }

    async fn order_limit_offset(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        // (Mixed-case ordering depends on the database's collation, so "alan" stays out.)
        let by_name = User::query().filter(User::name.ne("alan")).order_by(User::name).all(db).await?;
        assert_eq!(names(&by_name), ["Ada", "Barbara", "Edsger", "Grace"]);
        let page = User::query().order_by(User::karma.desc()).limit(2).offset(1).all(db).await?;
        assert_eq!(names(&page), ["Edsger", "alan"]);
        let tail = User::query().order_by(User::karma).offset(3).all(db).await?;
        assert_eq!(names(&tail), ["Edsger", "Barbara"]);
        let two_keys = User::query().order_by(User::is_active).order_by(User::name.desc()).limit(1).all(db).await?;
        assert_eq!(names(&two_keys), ["alan"]);
        assert_eq!(User::query().order_by(User::id).limit(2).count(db).await?, 2);
        assert_eq!(User::query().offset(4).count(db).await?, 1);
        Ok(())
    }

    async fn terminal_methods(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        assert!(User::query().filter(User::name.eq("Grace")).exists(db).await?);
        assert!(!User::query().filter(User::name.eq("Linus")).exists(db).await?);
        assert_eq!(User::query().filter(User::name.eq("Grace")).one(db).await?.karma, 10);
        assert_eq!(User::query().filter(User::name.eq("Linus")).one(db).await.unwrap_err().kind(), ErrorKind::NotFound);
        assert!(User::query().filter(User::name.eq("Linus")).optional(db).await?.is_none());
        let several = User::query().optional(db).await.unwrap_err();
        assert_eq!(several.kind(), ErrorKind::InvalidStatement);
        assert!(several.to_string().contains(".first()"), "{several}");
        let first = User::query().order_by(User::karma.desc()).first(db).await?.expect("a row");
        assert_eq!(first.name, "Barbara");
        assert!(User::query().filter(User::karma.gt(1000)).first(db).await?.is_none());
        assert_eq!(User::query().count(db).await?, 5);
        Ok(())
    }

    async fn typed_selections(t: &TestDb) -> Result<()> {
        let db = &t.db;
        seed(db).await?;
        let rows: Vec<(String, i32, Option<String>)> = User::query()
            .order_by(User::id)
            .limit(2)
            .select((User::name, User::karma, User::bio))
            .all(db)
            .await?;
        assert_eq!(rows, vec![("Ada".into(), 0, Some("bio of Ada".into())), ("Grace".into(), 10, None)]);
        let emails: Vec<String> = User::query().filter(User::karma.ge(30)).order_by(User::id).select(User::email).all(db).await?;
        assert_eq!(emails, ["user3@example.com", "user4@example.com"]);
        let one: Option<(i64, bool)> = User::query().filter(User::name.eq("alan")).select((User::id, User::is_active)).first(db).await?;
        assert!(one.expect("alan").1);
        let count: i64 = User::query().select(count_star()).one(db).await?;
        assert_eq!(count, 5);
        Ok(())
    }

    async fn memory_database_is_shared_by_concurrent_users(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&blog_schema()).await?;
        let mut tasks = Vec::new();
        for n in 0..16 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move { new_user(n).insert(&db).await }));
        }
        for task in tasks {
            task.await.expect("task")?;
        }
        assert_eq!(User::query().count(db).await?, 16);
        Ok(())
    }
}
