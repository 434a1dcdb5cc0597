//! Migrations for orm: Alembic's job, on SQLite and PostgreSQL.
//!
//! - [`introspect()`] reads a live database into a [`Snapshot`];
//!   [`Snapshot::from_schema`] reads the models.
//! - [`inspect()`] writes `#[derive(Model)]` source for an existing database.
//! - [`diff()`] compares two snapshots into ordered [`Operation`]s, each with its inverse.
//! - [`render`] turns operations into SQL for a dialect (SQLite's table rebuild included).
//! - [`Revision`]s are TOML files holding operations; [`Migrations`] is their graph.
//! - [`Migrator`] applies and undoes them, one transaction per revision, recording each in
//!   a history table with its checksum.
//! - [`lint`] reviews the models ([`lint_models`]) and pending migrations
//!   ([`lint_operations`]) for what hurts in production; `migrate lint` runs it.

pub mod cli;
pub mod diff;
mod history;
pub mod inspect;
pub mod introspect;
pub mod lint;
pub mod operation;
pub mod render;
pub mod revision;
pub mod runner;
pub mod snapshot;

pub use diff::{Diff, PossibleRename, Renames, diff};
pub use history::Applied;
pub use inspect::{inspect, models_source};
pub use introspect::introspect;
pub use lint::{Finding, lint_models, lint_operations, lint_pending, lint_revision};
pub use operation::Operation;
pub use orm_core::meta::ReferentialAction;
pub use orm_core::schema_def::{
    CheckDef, ColumnDef, ColumnType, DefaultValue, EnumDef, ForeignKeyDef, IndexDef, KeyDef,
    TableDef,
};
pub use orm_core::value::SqlType;
pub use render::{Step, render_all};
pub use revision::{Allow, Migrations, Revision};
pub use runner::{DowngradeTo, Migrator, Progress, Target, UpgradeTo};
pub use snapshot::Snapshot;
