//! Eager loading over graph shapes: a self-referencing table (managers and reports), an
//! association object with extra columns next to the many-to-many through it, and a
//! non-optional belongs_to loaded joined, by key and with `load_for`.

use orm::prelude::*;

use crate::backend_tests;
use crate::relation_models::*;
use crate::relations_seed::*;

backend_tests! {
    async fn non_optional_belongs_to_joined_and_by_key_are_identical(t: &TestDb) -> Result<()> {
        let db = &t.db;
        blog(db).await?;
        let query = || Post::query().order_by(Post::id);
        let joined = counted(1, query().with(Post::author.joined()).all(db)).await?;
        let by_key = counted(2, query().with(Post::author.select_in()).all(db)).await?;
        let mut loaded = query().all(db).await?;
        counted(1, Post::author.load_for(&mut loaded, db)).await?;
        assert_eq!(joined, by_key);
        assert_eq!(joined, loaded);
        for post in &joined {
            let author = post.author.get()?;
            assert_eq!(author.id, post.user_id);
            // The joined target is a whole row, decoded like a queried one.
            assert_eq!(author, &User::get(db, post.user_id).await?);
        }
        // Posts sharing an author share one loaded row when loaded by key.
        let a = by_key[0].author.shared().expect("loaded");
        let b = by_key[1].author.shared().expect("loaded");
        assert!(std::sync::Arc::ptr_eq(&a, &b), "p1 and p2 share alice");
        // Joined into a filtered, ordered, limited parent query.
        let page = counted(
            1,
            Post::query()
                .filter(Post::user_id.ne(0))
                .order_by(Post::id.desc())
                .limit(2)
                .with(Post::author)
                .all(db),
        )
        .await?;
        assert_eq!(page.len(), 2);
        assert_eq!(page[0].author.get()?.name, "bob");
        assert_eq!(page[1].author.get()?.name, "carol");
        Ok(())
    }

    async fn self_reference_manager_and_reports(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let staff = org(db).await?;
        let (ceo, vp1, vp2, e1, e4, loner) = (
            &staff[0], &staff[1], &staff[2], &staff[3], &staff[6], &staff[7],
        );

        let (employees, log) = orm::guard::count_statements(
            Employee::query()
                .order_by(Employee::id)
                .with(Employee::manager)
                .with(Employee::reports)
                .all(db),
        )
        .await;
        let employees = employees?;
        log.assert_count(2);
        let manager_pairs = pairs(
            db,
            "SELECT e.id, m.id FROM rel_employees e JOIN rel_employees m ON m.id = e.manager_id",
        )
        .await?;
        assert_eq!(
            loaded_pairs(
                &employees,
                |e| e.id,
                |e| Ok(e.manager.get()?.map(|m| m.id).into_iter().collect())
            )?,
            manager_pairs
        );
        assert_eq!(
            loaded_pairs(
                &employees,
                |e| e.id,
                |e| Ok(e.reports.get()?.iter().map(|r| r.id).collect())
            )?,
            pairs(
                db,
                "SELECT manager_id, id FROM rel_employees WHERE manager_id IS NOT NULL"
            )
            .await?
        );
        assert_eq!(employees[0].id, ceo.id);
        assert_eq!(employees[0].manager.get()?, None, "the root has no manager");
        assert_eq!(employees[7].id, loner.id);
        assert_eq!(employees[7].manager.get()?, None);
        assert!(employees[7].reports.get()?.is_empty());
        // The joined manager is the manager's own row (not the employee's, despite the
        // self-join).
        assert_eq!(
            employees[6].manager.get()?.map(|m| m.name.as_str()),
            Some("e1")
        );

        // Two levels of reports from the roots.
        let roots = counted(
            3,
            Employee::query()
                .filter(Employee::manager_id.is_null())
                .order_by(Employee::id)
                .with(Employee::reports.with(Employee::reports))
                .all(db),
        )
        .await?;
        assert_eq!(roots.len(), 2);
        let mut chains = Vec::new();
        for root in &roots {
            for report in root.reports.get()? {
                assert_eq!(report.manager_id, Some(root.id));
                for grand in report.reports.get()? {
                    chains.push((root.id, grand.id));
                }
            }
        }
        chains.sort_unstable();
        assert_eq!(
            chains,
            pairs(
                db,
                "SELECT g.id, c.id FROM rel_employees g \
                 JOIN rel_employees p ON p.manager_id = g.id \
                 JOIN rel_employees c ON c.manager_id = p.id WHERE g.manager_id IS NULL",
            )
            .await?
        );
        let vp1_reports: Vec<&str> = roots[0].reports.get()?[0]
            .reports
            .get()?
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(vp1_reports, vec!["e1", "e2"]);
        assert!(roots[1].reports.get()?.is_empty());

        // The manager's manager: e4 -> e1 -> vp1; vp1 -> ceo -> none. The outer manager is
        // nested, so loaded by key; the inner one is joined into that statement.
        let chain = counted(
            2,
            Employee::query()
                .filter(Employee::id.in_list([e4.id, vp1.id]))
                .order_by(Employee::id)
                .with(Employee::manager.with(Employee::manager))
                .all(db),
        )
        .await?;
        let vp1_row = &chain[0];
        let manager = vp1_row.manager.get()?.expect("vp1 has a manager");
        assert_eq!(manager.id, ceo.id);
        assert_eq!(manager.manager.get()?, None);
        let e4_row = &chain[1];
        let manager = e4_row.manager.get()?.expect("e4 has a manager");
        assert_eq!(manager.id, e1.id);
        assert_eq!(manager.manager.get()?.map(|m| m.id), Some(vp1.id));

        // Reports with their manager joined into the reports' statement: each report's
        // manager is the parent.
        let managers = counted(
            2,
            Employee::query()
                .order_by(Employee::id)
                .with(Employee::reports.with(Employee::manager))
                .all(db),
        )
        .await?;
        for manager in &managers {
            for report in manager.reports.get()? {
                assert_eq!(report.manager.get()?.map(|m| m.id), Some(manager.id));
            }
        }
        assert_eq!(managers[2].id, vp2.id);
        assert_eq!(managers[2].reports.get()?.len(), 1);
        Ok(())
    }

    async fn association_object_and_many_to_many_agree(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let (students, courses) = school(db).await?;
        let loaded = counted(
            3,
            Student::query()
                .order_by(Student::id)
                .with(Student::enrollments.with(Enrollment::course))
                .with(Student::courses)
                .all(db),
        )
        .await?;
        assert_eq!(loaded.len(), 3);
        for student in &loaded {
            let mut via_enrollments: Vec<i64> = student
                .enrollments
                .get()?
                .iter()
                .map(|e| e.course.get().map(|c| c.id))
                .collect::<Result<_>>()?;
            via_enrollments.sort_unstable();
            let mut direct: Vec<i64> = student.courses.get()?.iter().map(|c| c.id).collect();
            direct.sort_unstable();
            assert_eq!(via_enrollments, direct, "student {}", student.name);
        }
        assert!(loaded[2].courses.get()?.is_empty());
        assert!(loaded[2].enrollments.get()?.is_empty());
        assert_eq!(
            loaded_pairs(
                &loaded,
                |s| s.id,
                |s| Ok(s.courses.get()?.iter().map(|c| c.id).collect())
            )?,
            pairs(db, "SELECT student_id, course_id FROM rel_enrollments").await?
        );
        // Grades (NULL included) come with the association rows.
        let mut grades: Vec<(i64, i64, Option<i32>)> = Vec::new();
        for student in &loaded {
            for e in student.enrollments.get()? {
                grades.push((student.id, e.course.get()?.id, e.grade));
            }
        }
        grades.sort_unstable();
        let mut expected = orm::raw("SELECT student_id, course_id, grade FROM rel_enrollments")
            .fetch_as::<(i64, i64, Option<i32>)>(db)
            .await?;
        expected.sort_unstable();
        assert_eq!(grades, expected);
        assert_eq!(grades.iter().filter(|g| g.2.is_none()).count(), 2);
        assert_eq!(loaded[0].id, students[0].id);
        assert_eq!(
            loaded[0]
                .courses
                .get()?
                .iter()
                .map(|c| c.title.as_str())
                .collect::<Vec<_>>(),
            vec!["math", "physics"]
        );

        // Only graded enrollments, with both ends joined.
        let graded = counted(
            1,
            Enrollment::query()
                .filter(Enrollment::grade.is_not_null())
                .order_by(Enrollment::id)
                .with(Enrollment::student)
                .with(Enrollment::course)
                .all(db),
        )
        .await?;
        let got: Vec<(&str, &str)> = graded
            .iter()
            .map(|e| {
                Ok((
                    e.student.get()?.name.as_str(),
                    e.course.get()?.title.as_str(),
                ))
            })
            .collect::<Result<_>>()?;
        assert_eq!(got, vec![("s1", "math"), ("s2", "physics")]);
        assert_eq!(courses.len(), 3);
        Ok(())
    }
}
