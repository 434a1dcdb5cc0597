//! A `migrate` command line built from an application's models, as every application on
//! orm builds its own:
//!
//! ```sh
//! export DATABASE_URL=sqlite://app.db?mode=rwc
//! cargo run -p orm-examples --bin migrate -- revision --autogenerate -m "create tables"
//! cargo run -p orm-examples --bin migrate -- upgrade head
//! cargo run -p orm-examples --bin migrate -- check      # exit 1 when models and database differ
//! cargo run -p orm-examples --bin migrate -- history
//! cargo run -p orm-examples --bin migrate -- downgrade -1
//! ```

use orm::prelude::*;

/// An author.
#[derive(Model, Debug, Clone)]
#[orm(table = "cli_authors")]
struct Author {
    #[orm(primary_key)]
    id: i64,
    #[orm(max_length = 255, unique)]
    email: String,
    #[orm(created_at)]
    created_at: DateTime<Utc>,
    #[orm(updated_at)]
    updated_at: DateTime<Utc>,
}

/// A note an author wrote.
#[derive(Model, Debug, Clone)]
#[orm(table = "cli_notes")]
struct Note {
    #[orm(primary_key)]
    id: i64,
    #[orm(references = Author, on_delete = "cascade", index)]
    author_id: i64,
    body: String,
    #[orm(created_at)]
    created_at: DateTime<Utc>,
    #[orm(updated_at)]
    updated_at: DateTime<Utc>,
}

fn main() -> std::process::ExitCode {
    orm::migrate::cli(schema![Author, Note])
}
