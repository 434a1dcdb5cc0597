//! The `migrate` command line of the service's models: writes and applies the revision
//! files of `migrations/` (which the server embeds and applies at start-up).
//!
//! ```sh
//! cd examples/tasks-api
//! export DATABASE_URL=sqlite:///tmp/tasks-dev.db?mode=rwc
//! cargo run -p orm-tasks-api --bin tasks-migrate -- upgrade
//! # change the models, then:
//! cargo run -p orm-tasks-api --bin tasks-migrate -- revision --autogenerate -m "what changed"
//! cargo run -p orm-tasks-api --bin tasks-migrate -- lint
//! ```

fn main() -> std::process::ExitCode {
    orm::migrate::cli(orm_tasks_api::domain::schema())
}
