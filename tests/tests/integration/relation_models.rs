//! Models with every relationship kind, shared by the relationship tests: a blog (users,
//! profiles, posts, comments, tags through a junction), an association object with extra
//! columns (enrollments with a grade), and self-references (employees and managers,
//! categories and their parents).

use orm::prelude::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_users")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 100)]
    pub name: String,
    #[orm(has_many(foreign_key = "user_id"))]
    pub posts: HasMany<Post>,
    #[orm(has_one(foreign_key = "user_id"))]
    pub profile: HasOne<Profile>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_profiles")]
pub struct Profile {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique)]
    pub user_id: i64,
    pub bio: String,
    #[orm(belongs_to(foreign_key = "user_id", on_delete = "cascade"))]
    pub user: BelongsTo<User>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_posts")]
pub struct Post {
    #[orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[orm(max_length = 200)]
    pub title: String,
    #[orm(belongs_to(foreign_key = "user_id", on_delete = "cascade"))]
    pub author: BelongsTo<User>,
    #[orm(has_many(foreign_key = "post_id"))]
    pub comments: HasMany<Comment>,
    #[orm(many_to_many(through = PostTag))]
    pub tags: ManyToMany<Tag>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_comments")]
pub struct Comment {
    #[orm(primary_key)]
    pub id: i64,
    pub post_id: i64,
    /// NULL for anonymous comments.
    pub user_id: Option<i64>,
    pub body: String,
    pub score: i32,
    #[orm(belongs_to(foreign_key = "post_id", on_delete = "cascade"))]
    pub post: BelongsTo<Post>,
    #[orm(belongs_to(foreign_key = "user_id", on_delete = "set null"))]
    pub author: BelongsTo<Option<User>>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_tags")]
pub struct Tag {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique, max_length = 50)]
    pub name: String,
    #[orm(many_to_many(through = PostTag))]
    pub posts: ManyToMany<Post>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_post_tags", primary_key(post_id, tag_id))]
pub struct PostTag {
    #[orm(references = Post, on_delete = "cascade")]
    pub post_id: i64,
    #[orm(references = Tag, on_delete = "cascade", index)]
    pub tag_id: i64,
}

/// Self-reference: an employee's manager and reports.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_employees")]
pub struct Employee {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 100)]
    pub name: String,
    pub manager_id: Option<i64>,
    #[orm(belongs_to(foreign_key = "manager_id", on_delete = "set null"))]
    pub manager: BelongsTo<Option<Employee>>,
    #[orm(has_many(foreign_key = "manager_id"))]
    pub reports: HasMany<Employee>,
}

/// Association object: students and courses through enrollments that carry a grade.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_students")]
pub struct Student {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 100)]
    pub name: String,
    #[orm(has_many(foreign_key = "student_id"))]
    pub enrollments: HasMany<Enrollment>,
    #[orm(many_to_many(through = Enrollment))]
    pub courses: ManyToMany<Course>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_courses")]
pub struct Course {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 100)]
    pub title: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_enrollments")]
pub struct Enrollment {
    #[orm(primary_key)]
    pub id: i64,
    pub student_id: i64,
    pub course_id: i64,
    pub grade: Option<i32>,
    #[orm(belongs_to(foreign_key = "student_id", on_delete = "cascade"))]
    pub student: BelongsTo<Student>,
    #[orm(belongs_to(foreign_key = "course_id", on_delete = "cascade"))]
    pub course: BelongsTo<Course>,
}

/// Every relationship model, in dependency order.
pub fn schema() -> Schema {
    schema![
        User, Profile, Post, Comment, Tag, PostTag, Employee, Student, Course, Enrollment
    ]
}

/// 32-bit integer keys, and a has_one whose foreign key is not unique (several candidates per
/// parent: the load's order picks one).
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_threads")]
pub struct Thread {
    #[orm(primary_key)]
    pub id: i32,
    #[orm(max_length = 100)]
    pub title: String,
    #[orm(has_many(foreign_key = "thread_id"))]
    pub replies: HasMany<Reply>,
    #[orm(has_one(foreign_key = "thread_id"))]
    pub top_reply: HasOne<Reply>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_replies")]
pub struct Reply {
    #[orm(primary_key)]
    pub id: i64,
    pub thread_id: i32,
    pub score: i32,
    #[orm(belongs_to(foreign_key = "thread_id", on_delete = "cascade"))]
    pub thread: BelongsTo<Thread>,
}

/// Text keys (a natural key given by the application), with a nullable foreign key.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_countries")]
pub struct Country {
    #[orm(primary_key, max_length = 8)]
    pub code: String,
    #[orm(max_length = 100)]
    pub name: String,
    #[orm(has_many(foreign_key = "country_code"))]
    pub cities: HasMany<City>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_cities")]
pub struct City {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(max_length = 8)]
    pub country_code: Option<String>,
    #[orm(max_length = 100)]
    pub name: String,
    #[orm(belongs_to(foreign_key = "country_code", on_delete = "set null"))]
    pub country: BelongsTo<Option<Country>>,
}

/// UUID keys generated on the client.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_wallets")]
pub struct Wallet {
    #[orm(primary_key)]
    pub id: Uuid,
    #[orm(max_length = 100)]
    pub owner: String,
    #[orm(has_many(foreign_key = "wallet_id"))]
    pub payments: HasMany<Payment>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "rel_payments")]
pub struct Payment {
    #[orm(primary_key)]
    pub id: i64,
    pub wallet_id: Uuid,
    pub amount: i64,
    #[orm(belongs_to(foreign_key = "wallet_id", on_delete = "cascade"))]
    pub wallet: BelongsTo<Wallet>,
}

/// The models with non-`i64` keys, in dependency order.
pub fn key_types_schema() -> Schema {
    schema![Thread, Reply, Country, City, Wallet, Payment]
}
