//! The `migrate` command line of the bank's models: writes and applies the revision files
//! of `migrations/` (which the server embeds and applies at start-up).
//!
//! ```sh
//! cd examples/bank
//! export DATABASE_URL=sqlite:///tmp/bank-dev.db?mode=rwc
//! cargo run -p orm-bank --bin bank-migrate -- upgrade
//! # change the models, then:
//! cargo run -p orm-bank --bin bank-migrate -- revision --autogenerate -m "what changed"
//! cargo run -p orm-bank --bin bank-migrate -- lint
//! ```

fn main() -> std::process::ExitCode {
    orm::migrate::cli(orm_bank::domain::schema())
}
