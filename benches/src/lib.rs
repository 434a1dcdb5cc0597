//! Benchmarks of orm against hand-written raw sqlx, run side by side in one process on the
//! same databases: `cargo bench -p orm-benches --features bench` (see `README.md`).
//!
//! Without the `bench` feature this library is empty, so workspace builds and tests pay
//! nothing for it.

#[cfg(feature = "bench")]
pub mod blog;
#[cfg(feature = "bench")]
pub mod model;
#[cfg(feature = "bench")]
pub mod raw;
#[cfg(feature = "bench")]
pub mod report;
