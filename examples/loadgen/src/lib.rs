//! What the load benchmarks of the example services (`tasks-load` in `examples/tasks-api`,
//! `bank-load` in `examples/bank`) share, so that each benchmark is only its data and its
//! requests:
//!
//! - [`target`]: the database of a run (a temporary SQLite file, or a database of its own on
//!   a PostgreSQL server) and `ANALYZE`;
//! - [`http`]: a service started in-process on an ephemeral port, and a keep-alive client;
//! - [`rng`]: SplitMix64, seeded independently for every client;
//! - [`run`]: the command-line options, N concurrent clients driving an endpoint for a time
//!   slice, orm and raw slices interleaved after a warm-up, requests/s, p50, p99, and the
//!   markdown table of orm/raw ratios;
//! - [`raw`]: the raw-sqlx sides' pool (opened as orm opens its own), SQL and errors.
//!
//! A benchmark starts the service twice over the same database — once on orm, once on the
//! hand-written sqlx implementation of the same trait — and compares them in the same run:
//!
//! ```no_run
//! # async fn run(orm_app: axum::Router, raw_app: axum::Router, args: orm_loadgen::LoadArgs)
//! # -> Result<(), orm_loadgen::BoxError> {
//! use orm_loadgen::{Bench, Call, Endpoint, Side, serve, table};
//!
//! let orm = Side { name: "orm", base: serve(orm_app).await? };
//! let raw = Side { name: "raw", base: serve(raw_app).await? };
//! let detail = Endpoint::new("detail", |rng| Call::get(format!("/tasks/{}", rng.between(1, 5000))));
//! let mut bench = Bench::new(args, orm, raw);
//! bench.warm_up(std::slice::from_ref(&detail)).await;
//! let results = vec![bench.measure(&detail).await];
//! println!("{}", table(&results));
//! # Ok(()) }
//! ```

pub mod http;
pub mod raw;
pub mod rng;
pub mod run;
pub mod target;

pub use crate::http::{Call, Http, Reply, serve};
pub use crate::raw::RawPool;
pub use crate::rng::Rng;
pub use crate::run::{
    Bench, Comparison, Endpoint, LoadArgs, Side, Stats, compare, load_average, print_report, table,
};
pub use crate::target::{Backend, Target};

/// Any error of a benchmark's set-up.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
