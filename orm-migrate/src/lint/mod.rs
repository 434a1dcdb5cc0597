//! `migrate lint`: the model-review checklist over the models ([`lint_models`]) and the
//! steps of pending migrations that hurt a live database ([`lint_operations`],
//! [`lint_revision`], [`lint_pending`]). Each [`Finding`] has a stable code, names the model
//! (or table) and field, and says what to do.
//!
//! | code | what | silence it |
//! | --- | --- | --- |
//! | `L101` | a foreign key without an index (an index or key whose leading columns are the foreign key's) | field |
//! | `L102` | a required relationship (`BelongsTo<T>`, not `Option`) whose foreign-key column is nullable | field (the key or the relationship) |
//! | `L103` | money in a float column (`price`, `amount`, `cost`, `total`, `balance`, `salary`, `fee`, ..) | field |
//! | `L104` | a short `max_length` (under 1000) on long text (`content`, `body`, `description`, `bio`, `comment`, ..) | field |
//! | `L105` | `email`, `username` or `slug` without a unique constraint | field |
//! | `L106` | a foreign key with no `on_delete` declared (the `NO ACTION` default) | field (the key or the relationship) |
//! | `L107` | a table without `created_at` and `updated_at` timestamps (junction tables excepted) | struct |
//! | `L201` | a `NOT NULL` column without a default added to a table that has rows | revision |
//! | `L202` | an index created without `CONCURRENTLY` on an existing table (PostgreSQL) | revision |
//! | `L203` | a column type change that rewrites the table, or native enum labels changed other than by adding (PostgreSQL) | revision |
//! | `L204` | a rename or drop of a column the models still read | revision |
//! | `L205` | a foreign key added to an existing table without `NOT VALID` + `VALIDATE` (PostgreSQL) | revision |
//!
//! Model findings (`L1xx`) are silenced where the model is declared, with a reason (an empty
//! or missing reason does not compile):
//!
//! ```text
//! #[derive(Model)]
//! #[orm(allow_lint(code = "L107", reason = "an append-only log: `logged_at` is its time"))]
//! pub struct AuditEntry {
//!     #[orm(primary_key)]
//!     pub id: i64,
//!     #[orm(allow_lint(code = "L103", reason = "an estimate shown rounded; never summed"))]
//!     pub estimated_cost: f64,
//!     // ..
//! }
//! ```
//!
//! An `allow_lint` on a field silences that code for the field (on a `belongs_to` field, for
//! its foreign-key column too); on the struct, for the whole model.
//!
//! Migration findings (`L2xx`) are silenced in the revision file, for that revision:
//!
//! ```toml
//! [[allow]]
//! code = "L202"
//! reason = "the table holds a few hundred rows: the lock is brief"
//! ```

mod migrations;
mod models;

use std::fmt;
use std::process::ExitCode;

pub use migrations::{lint_operations, lint_pending, lint_revision};
pub use models::lint_models;

/// One problem the linter found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The stable code (`"L101"`): see the table in [the module documentation](self).
    pub code: &'static str,
    /// The Rust model name for a model finding (`"Post"`); the table name for a migration
    /// finding (`"posts"`).
    pub model: String,
    /// The Rust field (model findings) or the column (migration findings), when the finding
    /// is about one.
    pub field: Option<String>,
    /// What is wrong and why it matters.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl Finding {
    /// `Post.user_id`, or `Post` when the finding is about the whole model.
    pub fn location(&self) -> String {
        match &self.field {
            Some(field) => format!("{}.{field}", self.model),
            None => self.model.clone(),
        }
    }
}

/// `L101 Post.user_id: <message>` then `  fix: <fix>` on a second line.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}\n  fix: {}",
            self.code,
            self.location(),
            self.message,
            self.fix
        )
    }
}

/// Print model findings and, per pending revision, migration findings; the exit code is a
/// failure when there is any.
pub(crate) fn report(models: &[Finding], revisions: &[(String, Vec<Finding>)]) -> ExitCode {
    for finding in models {
        println!("{finding}");
    }
    for (revision, findings) in revisions.iter().filter(|(_, f)| !f.is_empty()) {
        println!("revision {revision}:");
        for finding in findings {
            println!("{finding}");
        }
    }
    let count = models.len() + revisions.iter().map(|(_, f)| f.len()).sum::<usize>();
    if count == 0 {
        println!("lint: no findings");
        ExitCode::SUCCESS
    } else {
        println!(
            "lint: {count} finding(s); fix them, or silence one with a reason \
             (allow_lint(code = .., reason = ..) on the model, [[allow]] in a revision file)"
        );
        ExitCode::FAILURE
    }
}
