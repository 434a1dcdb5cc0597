//! The runner: [`Migrator`] applies and undoes revisions on a database, one transaction per
//! revision, and tells models from database apart.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use orm_core::Schema;
use orm_core::dialect::Dialect;
use orm_core::error::{Error, Result};
use orm_core::{Executor, raw};

use crate::diff::{Diff, Renames, diff};
use crate::history::{self, Applied};
use crate::introspect::introspect;
use crate::operation::Operation;
use crate::render::{Step, render};
use crate::revision::{Migrations, Revision, migration_error};
use crate::snapshot::Snapshot;

/// The history table's default name.
pub const HISTORY_TABLE: &str = "orm_migrations";

/// The key of the PostgreSQL advisory lock each migration transaction takes first, so that
/// two instances starting at once apply each revision once.
pub const ADVISORY_LOCK_KEY: i64 = 0x006f_726d_5f6d_6967;

/// What the runner needs from a database; orm's `Database` implements it (facade feature
/// `migrate`).
pub trait Target: Sync {
    /// A transaction that may change the schema.
    type Tx: Send + Sync;
    /// Statements outside a transaction.
    fn executor(&self) -> impl Executor + '_;
    /// Begin a transaction for one migration. On SQLite foreign key enforcement is off inside
    /// it (a table rebuild drops the old table, which must not cascade to its children) and
    /// back on after it, however it ends; the runner checks every foreign key before it
    /// commits a rebuild.
    fn begin_migration(&self) -> impl Future<Output = Result<Self::Tx>> + Send;
    /// Statements inside the transaction.
    fn in_migration(tx: &Self::Tx) -> impl Executor + '_;
    /// Commit the transaction (dropping it rolls back).
    fn commit(tx: Self::Tx) -> impl Future<Output = Result<()>> + Send;
}

/// What the runner reports as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A revision starts (`upgrade` true) or is being undone.
    Revision {
        /// Its id.
        id: String,
        /// Its message.
        message: String,
        /// Up or down.
        upgrade: bool,
    },
    /// One operation of the revision ran.
    Step {
        /// What it did.
        description: String,
        /// How long it took.
        millis: u128,
    },
    /// The revision was applied by another process meanwhile and is skipped.
    Skipped {
        /// Its id.
        id: String,
    },
}

type ProgressSink = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How far to upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpgradeTo {
    /// The one head.
    Head,
    /// The next `n` pending revisions.
    Steps(usize),
    /// This revision (and what it follows).
    Revision(String),
}

/// How far to downgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DowngradeTo {
    /// Undo the last `n` applied revisions.
    Steps(usize),
    /// Undo every revision that this one does not follow.
    Revision(String),
    /// Undo everything.
    Base,
}

/// Applies and undoes [`Migrations`] on a database.
#[derive(Clone)]
pub struct Migrator {
    migrations: Migrations,
    history_table: String,
    progress: Option<ProgressSink>,
}

impl std::fmt::Debug for Migrator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migrator")
            .field("revisions", &self.migrations.revisions().len())
            .field("history_table", &self.history_table)
            .finish()
    }
}

/// Run `steps`, in order, on `db`, checking foreign keys where a step says so.
async fn run_steps(db: impl Executor, steps: &[Step]) -> Result<()> {
    for step in steps {
        match step {
            Step::Sql(sql) => {
                raw(sql.clone()).execute(db).await?;
            }
            Step::ForeignKeyCheck => {
                let violations: Vec<(String, Option<i64>, String, i64)> =
                    raw("PRAGMA foreign_key_check").fetch_as(db).await?;
                if let Some((table, rowid, parent, _)) = violations.first() {
                    return Err(migration_error(format!(
                        "{} row(s) break a foreign key after the change, e.g. row {} of `{table}` \
                         references a missing row of `{parent}`",
                        violations.len(),
                        rowid.map_or_else(|| "?".to_owned(), |r| r.to_string())
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The dialects typed checks are rendered for: every backend compiled in, and `dialect`.
pub(crate) fn dialects(dialect: &'static dyn Dialect) -> Vec<&'static dyn Dialect> {
    #[allow(unused_mut)]
    let mut all: Vec<&'static dyn Dialect> = vec![dialect];
    #[cfg(feature = "sqlite")]
    if dialect.name() != "sqlite" {
        all.push(&orm_sqlite::SqliteDialect);
    }
    #[cfg(feature = "postgres")]
    if dialect.name() != "postgresql" {
        all.push(&orm_postgres::PgDialect);
    }
    all
}

impl Migrator {
    /// A runner for `migrations`, recording them in `orm_migrations`.
    pub fn new(migrations: Migrations) -> Migrator {
        Migrator {
            migrations,
            history_table: HISTORY_TABLE.to_owned(),
            progress: None,
        }
    }

    /// Record applied revisions in `table` instead.
    pub fn history_table(mut self, table: impl Into<String>) -> Migrator {
        self.history_table = table.into();
        self
    }

    /// Call `sink` as revisions and their steps run (the CLI prints them).
    pub fn on_progress(mut self, sink: impl Fn(&Progress) + Send + Sync + 'static) -> Migrator {
        self.progress = Some(Arc::new(sink));
        self
    }

    /// The migrations.
    pub fn migrations(&self) -> &Migrations {
        &self.migrations
    }

    fn report(&self, progress: Progress) {
        match &progress {
            Progress::Revision {
                id,
                message,
                upgrade,
            } => {
                tracing::info!(target: "orm::migrate", revision = %id, %message, upgrade, "migrating");
            }
            Progress::Step {
                description,
                millis,
            } => {
                tracing::info!(target: "orm::migrate", step = %description, millis = u64::try_from(*millis).unwrap_or(u64::MAX), "step done");
            }
            Progress::Skipped { id } => {
                tracing::info!(target: "orm::migrate", revision = %id, "applied by another process meanwhile");
            }
        }
        if let Some(sink) = &self.progress {
            sink(&progress);
        }
    }

    /// The revisions the database has applied, in order, after checking that each is one of
    /// the migrations and unchanged since it was applied.
    pub async fn applied(&self, db: impl Executor) -> Result<Vec<Applied>> {
        let applied = history::read(db, &self.history_table).await?;
        self.verify(&applied)?;
        Ok(applied)
    }

    fn verify(&self, applied: &[Applied]) -> Result<()> {
        for row in applied {
            let Some(revision) = self.migrations.get(&row.revision) else {
                return Err(migration_error(format!(
                    "the database has applied revision {}, which is not among the migrations \
                     (a migration from another branch, or a deleted file)",
                    row.revision
                )));
            };
            if revision.checksum() != row.checksum {
                return Err(migration_error(format!(
                    "revision {} changed after it was applied (checksum {} recorded, {} now): \
                     an applied migration must not be edited; write a new revision instead, or \
                     restore the file",
                    row.revision,
                    &row.checksum[..row.checksum.len().min(12)],
                    &revision.checksum()[..12]
                )));
            }
        }
        Ok(())
    }

    /// The revisions `to` asks for that are not applied yet, in the order they apply.
    pub async fn pending(&self, db: impl Executor, to: &UpgradeTo) -> Result<Vec<&Revision>> {
        let applied = self.applied(db).await?;
        let target = match to {
            UpgradeTo::Revision(id) => Some(self.migrations.resolve(id)?),
            _ => self.migrations.head()?,
        };
        let Some(target) = target else {
            return Ok(Vec::new());
        };
        let wanted = self.migrations.ancestors(&target.id);
        let mut pending: Vec<&Revision> = self
            .migrations
            .ordered(&wanted)?
            .into_iter()
            .filter(|r| !applied.iter().any(|a| a.revision == r.id))
            .collect();
        if let UpgradeTo::Steps(n) = to {
            pending.truncate(*n);
        }
        Ok(pending)
    }

    /// Apply pending revisions up to `to`; returns the ids applied (by this call).
    pub async fn upgrade_to<T: Target>(&self, db: &T, to: UpgradeTo) -> Result<Vec<String>> {
        let pending: Vec<Revision> = self
            .pending(db.executor(), &to)
            .await?
            .into_iter()
            .cloned()
            .collect();
        let mut done = Vec::new();
        for revision in &pending {
            if self.run_revision(db, revision, true).await? {
                done.push(revision.id.clone());
            }
        }
        Ok(done)
    }

    /// Apply every pending revision (to the one head).
    pub async fn upgrade<T: Target>(&self, db: &T) -> Result<Vec<String>> {
        self.upgrade_to(db, UpgradeTo::Head).await
    }

    /// Undo applied revisions as `to` says; returns the ids undone.
    pub async fn downgrade<T: Target>(&self, db: &T, to: DowngradeTo) -> Result<Vec<String>> {
        let applied = self.applied(db.executor()).await?;
        let undo: Vec<&Applied> = match &to {
            DowngradeTo::Steps(n) => applied.iter().rev().take(*n).collect(),
            DowngradeTo::Base => applied.iter().rev().collect(),
            DowngradeTo::Revision(id) => {
                let keep = self.migrations.ancestors(&self.migrations.resolve(id)?.id);
                applied
                    .iter()
                    .rev()
                    .filter(|a| !keep.contains(&a.revision))
                    .collect()
            }
        };
        let mut done = Vec::new();
        for row in undo {
            let revision = self
                .migrations
                .get(&row.revision)
                .cloned()
                .ok_or_else(|| migration_error(format!("unknown revision {}", row.revision)))?;
            if self.run_revision(db, &revision, false).await? {
                done.push(revision.id.clone());
            }
        }
        Ok(done)
    }

    /// Run one revision up or down in a transaction of its own; false when another process
    /// did it meanwhile.
    async fn run_revision<T: Target>(
        &self,
        db: &T,
        revision: &Revision,
        upgrade: bool,
    ) -> Result<bool> {
        let tx = db.begin_migration().await?;
        let ex = T::in_migration(&tx);
        if ex.dialect().name() == "postgresql" {
            raw(format!("SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})"))
                .execute(ex)
                .await?;
        }
        history::ensure(ex, &self.history_table).await?;
        let applied = self.applied(ex).await?;
        let is_applied = applied.iter().any(|a| a.revision == revision.id);
        if is_applied == upgrade {
            self.report(Progress::Skipped {
                id: revision.id.clone(),
            });
            return Ok(false);
        }
        if upgrade {
            for parent in &revision.parents {
                if !applied.iter().any(|a| a.revision == *parent) {
                    return Err(migration_error(format!(
                        "revision {} follows {parent}, which is not applied",
                        revision.id
                    )));
                }
            }
        }
        self.report(Progress::Revision {
            id: revision.id.clone(),
            message: revision.message.clone(),
            upgrade,
        });
        let started = Instant::now();
        let operations = if upgrade {
            &revision.upgrade
        } else {
            &revision.downgrade
        };
        // Outside a transaction each step commits on its own (PostgreSQL only); this
        // transaction still holds the lock and records the revision.
        let outside = !revision.transaction && ex.dialect().name() == "postgresql";
        let mut schema = introspect(ex, &[&self.history_table]).await?;
        for (n, operation) in operations.iter().enumerate() {
            let step_started = Instant::now();
            let context = |error: Error| {
                let kept = if outside && n > 0 {
                    format!(
                        "steps 1 to {n} stayed applied (the revision runs outside a \
                         transaction) and the revision is not recorded"
                    )
                } else {
                    "nothing of it was applied".to_owned()
                };
                migration_error(format!(
                    "revision {} failed at step {} ({}): {error}; {kept}",
                    revision.id,
                    n + 1,
                    operation.describe()
                ))
            };
            let steps = render(ex.dialect(), operation, &schema).map_err(context)?;
            if outside {
                run_steps(db.executor(), &steps).await.map_err(context)?;
            } else {
                run_steps(ex, &steps).await.map_err(context)?;
            }
            if matches!(operation, Operation::Execute { .. }) {
                schema = introspect(ex, &[&self.history_table]).await?;
            } else {
                schema.apply(operation).map_err(context)?;
            }
            self.report(Progress::Step {
                description: operation.describe(),
                millis: step_started.elapsed().as_millis(),
            });
        }
        if upgrade {
            let millis = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
            history::insert(
                ex,
                &self.history_table,
                &revision.id,
                &revision.checksum(),
                millis,
            )
            .await?;
        } else {
            history::delete(ex, &self.history_table, &revision.id).await?;
        }
        T::commit(tx).await?;
        Ok(true)
    }

    /// Record `to` (and what it follows) as applied, and nothing else, without running any
    /// step: for a database whose schema was made otherwise. `None` empties the history.
    pub async fn stamp<T: Target>(&self, db: &T, to: Option<&str>) -> Result<()> {
        let keep = match to {
            Some(id) => self.migrations.ancestors(&self.migrations.resolve(id)?.id),
            None => Vec::new(),
        };
        let tx = db.begin_migration().await?;
        let ex = T::in_migration(&tx);
        history::ensure(ex, &self.history_table).await?;
        let applied = history::read(ex, &self.history_table).await?;
        for row in &applied {
            if !keep.contains(&row.revision) {
                history::delete(ex, &self.history_table, &row.revision).await?;
            }
        }
        for revision in self.migrations.ordered(&keep)? {
            if !applied.iter().any(|a| a.revision == revision.id) {
                history::insert(
                    ex,
                    &self.history_table,
                    &revision.id,
                    &revision.checksum(),
                    0,
                )
                .await?;
            }
        }
        T::commit(tx).await
    }

    /// The SQL that [`Migrator::upgrade_to`] would run, without running it, starting from
    /// the database's current schema.
    pub async fn sql(&self, db: impl Executor, to: &UpgradeTo) -> Result<String> {
        let mut schema = introspect(db, &[&self.history_table]).await?;
        let mut out = String::new();
        for revision in self.pending(db, to).await? {
            out.push_str(&format!("-- {}: {}\n", revision.id, revision.message));
            for operation in &revision.upgrade {
                out.push_str(&format!("-- {}\n", operation.describe()));
                for step in render(db.dialect(), operation, &schema)? {
                    out.push_str(step.text());
                    out.push_str(";\n");
                }
                schema.apply(operation)?;
            }
            out.push('\n');
        }
        Ok(out)
    }

    /// The operations that would bring the database to the models (empty when they match).
    pub async fn check(
        &self,
        db: impl Executor,
        schema: &Schema,
        renames: &Renames,
    ) -> Result<Diff> {
        let live = introspect(db, &[&self.history_table]).await?;
        let models = Snapshot::from_schema(schema, &dialects(db.dialect()))?;
        diff(&live, &models, db.dialect(), renames)
    }

    /// A new revision holding what [`Migrator::check`] finds, following the head; the
    /// database must be at the head (autogenerate diffs against it).
    pub async fn autogenerate(
        &self,
        db: impl Executor,
        schema: &Schema,
        message: &str,
        renames: &Renames,
    ) -> Result<(Revision, Diff)> {
        let head = self.migrations.head()?.map(|r| r.id.clone());
        if !self.pending(db, &UpgradeTo::Head).await?.is_empty() {
            return Err(migration_error(
                "the database is not at the head revision: run `upgrade head` first, then \
                 autogenerate (the new revision is diffed against the database)",
            ));
        }
        let found = self.check(db, schema, renames).await?;
        let downgrade = Operation::inverse_all(&found.operations).unwrap_or_default();
        let revision = Revision::new(
            message,
            head.into_iter().collect(),
            found.operations.clone(),
            downgrade,
        );
        Ok((revision, found))
    }
}
