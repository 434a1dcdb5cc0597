//! Seed data for the relationship loading tests, shaped to hit the edge cases: users without
//! posts, posts without comments or tags, anonymous comments (NULL `user_id`), a tag on no
//! post, a management chain with a root, enrollments with NULL grades, and helpers that read
//! the expected answer with hand-written SQL.

use orm::prelude::*;

use crate::relation_models::*;
use crate::{Target, TestDb};

/// The blog: 4 users, 5 posts, 9 comments, 4 tags.
///
/// - alice: posts p1, p2; profile. bob: posts p3, p5; profile. carol: post p4; no profile.
///   dave: no post, no profile.
/// - p1: 4 comments (scores 1, 5, 3, 2; one anonymous), tags rust, sql, async.
/// - p2: 2 comments (scores 4, 0; one anonymous), tag rust.
/// - p3: 1 comment (score 7), tags sql, rust.
/// - p4: no comments, tag async.
/// - p5: 2 comments (scores 1, 0: none above 1), no tags.
/// - tag `unused` is on no post.
pub struct Blog {
    /// alice, bob, carol, dave.
    pub users: Vec<User>,
    /// p1..p5.
    pub posts: Vec<Post>,
    /// In insertion order.
    pub comments: Vec<Comment>,
    /// rust, sql, async, unused.
    pub tags: Vec<Tag>,
}

/// Create the relationship tables and seed the blog.
pub async fn blog(db: &Database) -> Result<Blog> {
    db.create_all(&schema()).await?;
    let mut users = Vec::new();
    for name in ["alice", "bob", "carol", "dave"] {
        users.push(NewUser { name: name.into() }.insert(db).await?);
    }
    for (user, bio) in [(0, "alice's bio"), (1, "bob's bio")] {
        NewProfile {
            user_id: users[user].id,
            bio: bio.into(),
        }
        .insert(db)
        .await?;
    }
    let mut posts = Vec::new();
    for (user, title) in [(0, "p1"), (0, "p2"), (1, "p3"), (2, "p4"), (1, "p5")] {
        posts.push(
            NewPost {
                user_id: users[user].id,
                title: title.into(),
            }
            .insert(db)
            .await?,
        );
    }
    // (post, author, score)
    let comment_rows: [(usize, Option<usize>, i32); 9] = [
        (0, Some(1), 1),
        (0, None, 5),
        (0, Some(2), 3),
        (0, Some(0), 2),
        (1, Some(1), 4),
        (1, None, 0),
        (2, Some(0), 7),
        (4, None, 1),
        (4, Some(3), 0),
    ];
    let mut comments = Vec::new();
    for (i, (post, author, score)) in comment_rows.into_iter().enumerate() {
        comments.push(
            NewComment {
                post_id: posts[post].id,
                user_id: author.map(|a| users[a].id),
                body: format!("c{i}"),
                score,
            }
            .insert(db)
            .await?,
        );
    }
    let mut tags = Vec::new();
    for name in ["rust", "sql", "async", "unused"] {
        tags.push(NewTag { name: name.into() }.insert(db).await?);
    }
    for (post, tag) in [(0, 0), (0, 1), (0, 2), (1, 0), (2, 1), (2, 0), (3, 2)] {
        NewPostTag {
            post_id: posts[post].id,
            tag_id: tags[tag].id,
        }
        .insert(db)
        .await?;
    }
    Ok(Blog {
        users,
        posts,
        comments,
        tags,
    })
}

/// Create the relationship tables and seed the organisation chart (in insertion order):
/// ceo (no manager) -> vp1 -> e1 -> e4; ceo -> vp2 -> e3; vp1 -> e2; and `loner`, who has
/// no manager and no reports.
pub async fn org(db: &Database) -> Result<Vec<Employee>> {
    db.create_all(&schema()).await?;
    let mut employees: Vec<Employee> = Vec::new();
    // (name, index of the manager)
    let rows: [(&str, Option<usize>); 8] = [
        ("ceo", None),
        ("vp1", Some(0)),
        ("vp2", Some(0)),
        ("e1", Some(1)),
        ("e2", Some(1)),
        ("e3", Some(2)),
        ("e4", Some(3)),
        ("loner", None),
    ];
    for (name, manager) in rows {
        let manager_id = manager.map(|m| employees[m].id);
        employees.push(
            NewEmployee {
                name: name.into(),
                manager_id,
            }
            .insert(db)
            .await?,
        );
    }
    Ok(employees)
}

/// Students s1..s3 and courses math, physics, art (in insertion order). Enrollments: s1 in
/// math (90) and physics (NULL grade); s2 in math (NULL) and physics (70); s3 in nothing; art
/// has nobody.
pub async fn school(db: &Database) -> Result<(Vec<Student>, Vec<Course>)> {
    db.create_all(&schema()).await?;
    let mut students = Vec::new();
    for name in ["s1", "s2", "s3"] {
        students.push(NewStudent { name: name.into() }.insert(db).await?);
    }
    let mut courses = Vec::new();
    for title in ["math", "physics", "art"] {
        courses.push(
            NewCourse {
                title: title.into(),
            }
            .insert(db)
            .await?,
        );
    }
    for (student, course, grade) in [
        (0, 0, Some(90)),
        (0, 1, None),
        (1, 0, None),
        (1, 1, Some(70)),
    ] {
        NewEnrollment {
            student_id: students[student].id,
            course_id: courses[course].id,
            grade,
        }
        .insert(db)
        .await?;
    }
    Ok((students, courses))
}

/// The `n`th placeholder (1-based) of the backend: `?` on SQLite, `$n` on PostgreSQL.
pub fn ph(t: &TestDb, n: usize) -> String {
    if t.target == Target::Postgres {
        format!("${n}")
    } else {
        "?".to_owned()
    }
}

/// Pairs of integers read with hand-written SQL, sorted.
pub async fn pairs(db: &Database, sql: &str) -> Result<Vec<(i64, i64)>> {
    let mut rows = orm::raw(sql).fetch_as::<(i64, i64)>(db).await?;
    rows.sort_unstable();
    Ok(rows)
}

/// Sorted pairs `(parent key, child key)` built from loaded parents: `children` lists the
/// keys of one parent's loaded children.
pub fn loaded_pairs<P>(
    parents: &[P],
    parent_id: impl Fn(&P) -> i64,
    children: impl Fn(&P) -> Result<Vec<i64>>,
) -> Result<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    for parent in parents {
        for child in children(parent)? {
            out.push((parent_id(parent), child));
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// Run `work`, assert it sent exactly `expected` statements, and return its output (the
/// statement log is printed when the work fails, for diagnosis).
#[track_caller]
pub fn counted<T, F: std::future::Future<Output = Result<T>>>(
    expected: usize,
    work: F,
) -> impl std::future::Future<Output = Result<T>> {
    let caller = std::panic::Location::caller();
    async move {
        let (output, log) = orm::guard::count_statements(work).await;
        match output {
            Ok(output) => {
                assert!(
                    log.len() == expected,
                    "{caller}: expected {expected} statements, {} were sent:\n{log}",
                    log.len()
                );
                Ok(output)
            }
            Err(error) => {
                eprintln!("{caller}: failed after these statements:\n{log}");
                Err(error)
            }
        }
    }
}

/// How a short key list (two to eight keys) renders: one bind per key, `IN ($1, $2)` on
/// PostgreSQL, `IN (?, ?)` on SQLite.
pub fn key_list_marker(t: &TestDb) -> &'static str {
    if t.target == Target::Postgres {
        " IN ($1, $2"
    } else {
        " IN (?, ?"
    }
}
