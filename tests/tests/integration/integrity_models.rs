//! Models of the integrity suite (issue 12): versioned rows, and a soft-deletable graph
//! (members → notes → remarks, a soft-deletable profile that does not cascade, groups through
//! a junction), with real foreign keys.

use orm::prelude::*;

/// A versioned row without soft delete.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "docs")]
pub struct Doc {
    #[orm(primary_key)]
    pub id: i64,
    pub title: String,
    #[orm(default = 0)]
    pub hits: i64,
    #[orm(version)]
    pub version: i64,
    #[orm(updated_at)]
    pub updated_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "members")]
pub struct Member {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(unique(ignore_deleted), max_length = 255)]
    pub email: String,
    pub name: String,
    #[orm(version)]
    pub version: i64,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
    #[orm(has_many(foreign_key = "member_id"))]
    pub notes: HasMany<Note>,
    #[orm(has_one(foreign_key = "member_id"))]
    pub profile: HasOne<Profile>,
    #[orm(many_to_many(through = Membership))]
    pub groups: ManyToMany<Team>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "notes")]
pub struct Note {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Member, on_delete = "cascade", index)]
    pub member_id: i64,
    pub title: String,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
    #[orm(belongs_to(foreign_key = "member_id"))]
    pub member: BelongsTo<Member>,
    #[orm(has_many(foreign_key = "note_id"))]
    pub remarks: HasMany<Remark>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "remarks")]
pub struct Remark {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Note, on_delete = "cascade", index)]
    pub note_id: i64,
    pub body: String,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Soft-deletable, but its foreign key does not cascade: a member's soft delete leaves it.
#[derive(Model, Debug, Clone)]
#[orm(table = "profiles")]
pub struct Profile {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Member, index)]
    pub member_id: i64,
    pub bio: String,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
    #[orm(belongs_to(foreign_key = "member_id"))]
    pub member: BelongsTo<Member>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "teams")]
pub struct Team {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "memberships", primary_key(member_id, team_id))]
pub struct Membership {
    #[orm(references = Member, on_delete = "cascade")]
    pub member_id: i64,
    #[orm(references = Team, on_delete = "cascade")]
    pub team_id: i64,
}

/// A thread of replies: a self-referencing cascade, with another table below it.
#[derive(Model, Debug, Clone)]
#[orm(table = "replies")]
pub struct Reply {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Reply, on_delete = "cascade", index)]
    pub parent_id: Option<i64>,
    pub body: String,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
    #[orm(has_many(foreign_key = "parent_id"))]
    pub replies: HasMany<Reply>,
    #[orm(has_many(foreign_key = "reply_id"))]
    pub likes: HasMany<Like>,
}

#[derive(Model, Debug, Clone)]
#[orm(table = "likes")]
pub struct Like {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(references = Reply, on_delete = "cascade", index)]
    pub reply_id: i64,
    #[orm(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

pub fn integrity_schema() -> Schema {
    schema![
        Doc, Member, Note, Remark, Profile, Team, Membership, Reply, Like
    ]
}
