//! The `migrate` command line, built by the application from its own models:
//! `fn main() { orm::migrate::cli(schema![User, Post]) }`.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use orm_core::Schema;
use orm_core::error::Result;

use crate::diff::{Diff, Renames};
use crate::revision::{Migrations, Revision, migration_error};
use crate::runner::{DowngradeTo, Migrator, Progress, Target, UpgradeTo};

/// Migrations for this application's models.
#[derive(Debug, Parser)]
#[command(name = "migrate", version, about)]
pub struct Cli {
    /// The database: `sqlite://app.db`, `sqlite::memory:`, `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// The directory of revision files.
    #[arg(long, default_value = "migrations", global = true)]
    pub dir: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a revision file (empty, or with `--autogenerate` the diff of the models
    /// against the database).
    Revision {
        /// What the revision does.
        #[arg(short, long)]
        message: String,
        /// Fill it with the operations that bring the database to the models.
        #[arg(long)]
        autogenerate: bool,
        /// Treat a drop and an add as a rename: `table.old=new` (a column) or `old=new` (a
        /// table). Repeat as needed.
        #[arg(long = "rename", value_name = "FROM=TO")]
        renames: Vec<String>,
    },
    /// Create the revision that joins two heads.
    Merge {
        /// What the merge says.
        #[arg(short, long, default_value = "merge")]
        message: String,
    },
    /// Apply revisions: `head` (default), `+N`, or a revision id.
    Upgrade {
        /// How far.
        #[arg(default_value = "head")]
        target: String,
    },
    /// Undo revisions: `-N`, a revision id (undo what follows it), or `base`.
    Downgrade {
        /// How far.
        #[arg(allow_hyphen_values = true)]
        target: String,
    },
    /// The revisions the database has applied.
    Current,
    /// Every revision, oldest first, with what is applied.
    History,
    /// Record a revision (and what it follows) as applied without running it; `base`
    /// records none.
    Stamp {
        /// The revision, or `base`.
        target: String,
    },
    /// Print the SQL `upgrade` would run, without running it.
    Sql {
        /// How far: `head` (default), `+N`, or a revision id.
        #[arg(default_value = "head")]
        target: String,
    },
    /// Exit non-zero when the models and the database differ (for CI).
    Check {
        /// As for `revision --rename`.
        #[arg(long = "rename", value_name = "FROM=TO")]
        renames: Vec<String>,
    },
    /// Review the models (no database needed) and, with a database, the pending revisions;
    /// exit non-zero on any finding that is not silenced. See the codes in `orm_migrate::lint`.
    Lint,
    /// Write `#[derive(Model)]` structs declaring the database's tables as they are.
    Inspect {
        /// The file to write the models to (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn renames(flags: &[String]) -> Result<Renames> {
    let mut renames = Renames::default();
    for flag in flags {
        renames.add(flag).map_err(migration_error)?;
    }
    Ok(renames)
}

fn upgrade_target(text: &str) -> Result<UpgradeTo> {
    Ok(match text {
        "head" | "heads" => UpgradeTo::Head,
        _ => match text.strip_prefix('+') {
            Some(n) => UpgradeTo::Steps(
                n.parse()
                    .map_err(|_| migration_error(format!("`{text}`: write +N, e.g. +1")))?,
            ),
            None => UpgradeTo::Revision(text.to_owned()),
        },
    })
}

fn downgrade_target(text: &str) -> Result<DowngradeTo> {
    Ok(match text {
        "base" => DowngradeTo::Base,
        _ => match text.strip_prefix('-') {
            Some(n) => DowngradeTo::Steps(
                n.parse()
                    .map_err(|_| migration_error(format!("`{text}`: write -N, e.g. -1")))?,
            ),
            None => DowngradeTo::Revision(text.to_owned()),
        },
    })
}

fn write_revision(dir: &Path, revision: &Revision) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .map_err(|e| migration_error(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join(format!("{}.toml", revision.id));
    if path.exists() {
        return Err(migration_error(format!(
            "{} exists already",
            path.display()
        )));
    }
    std::fs::write(&path, revision.to_toml()?)
        .map_err(|e| migration_error(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

fn print_diff(found: &Diff) {
    for operation in &found.operations {
        println!("  {}", operation.describe());
    }
    for rename in &found.possible_renames {
        println!(
            "  note: {} is dropped and {} added with the same type; if it is a rename, run \
             again with {}",
            rename.dropped, rename.added, rename.flag
        );
    }
}

/// Print each revision and step as it runs (what the CLI shows).
pub fn print_progress(progress: &Progress) {
    match progress {
        Progress::Revision {
            id,
            message,
            upgrade,
        } => {
            println!(
                "{} {id}: {message}",
                if *upgrade { "upgrade" } else { "downgrade" }
            );
        }
        Progress::Step {
            description,
            millis,
        } => println!("  {description} ({millis} ms)"),
        Progress::Skipped { id } => println!("{id}: already done by another process"),
    }
}

/// Run the command line: parse the arguments, connect with `connect`, do the command.
/// Returns the process exit code: 0 done, 1 failed or (for `check`) models and database
/// differ.
pub fn run<T, F, Fut>(schema: Schema, args: Cli, connect: F) -> ExitCode
where
    T: Target,
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(schema, args, connect)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn execute<T, F, Fut>(schema: Schema, args: Cli, connect: F) -> Result<ExitCode>
where
    T: Target,
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let migrations = Migrations::from_dir(&args.dir)?;
    let migrator = Migrator::new(migrations.clone()).on_progress(print_progress);
    if let Command::Merge { message } = &args.command {
        let heads: Vec<String> = migrations.heads().iter().map(|r| r.id.clone()).collect();
        if heads.len() < 2 {
            return Err(migration_error("there is one head; nothing to merge"));
        }
        let revision = Revision::new(message, heads, Vec::new(), Vec::new());
        println!(
            "created {}",
            write_revision(&args.dir, &revision)?.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Revision {
        message,
        autogenerate: false,
        ..
    } = &args.command
    {
        let parents = migrations
            .head()?
            .map(|r| r.id.clone())
            .into_iter()
            .collect();
        let revision = Revision::new(message, parents, Vec::new(), Vec::new());
        println!(
            "created {}",
            write_revision(&args.dir, &revision)?.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if matches!(args.command, Command::Lint) && args.database_url.is_none() {
        return Ok(crate::lint::report(&crate::lint::lint_models(&schema), &[]));
    }
    let url = args
        .database_url
        .clone()
        .ok_or_else(|| migration_error("no database: pass --database-url or set DATABASE_URL"))?;
    let db = connect(url).await?;
    let ex = db.executor();
    match args.command {
        Command::Revision {
            message,
            renames: flags,
            ..
        } => {
            let (revision, found) = migrator
                .autogenerate(ex, &schema, &message, &renames(&flags)?)
                .await?;
            if found.is_empty() {
                println!("the models and the database match: no revision written");
                print_diff(&found);
                return Ok(ExitCode::SUCCESS);
            }
            let path = write_revision(&args.dir, &revision)?;
            println!("created {}:", path.display());
            print_diff(&found);
        }
        Command::Upgrade { target } => {
            let done = migrator.upgrade_to(&db, upgrade_target(&target)?).await?;
            println!("{} revision(s) applied", done.len());
        }
        Command::Downgrade { target } => {
            let done = migrator.downgrade(&db, downgrade_target(&target)?).await?;
            println!("{} revision(s) undone", done.len());
        }
        Command::Current => {
            let applied = migrator.applied(ex).await?;
            let heads: Vec<&str> = applied
                .iter()
                .filter(|a| {
                    !applied.iter().any(|o| {
                        migrations
                            .get(&o.revision)
                            .is_some_and(|r| r.parents.contains(&a.revision))
                    })
                })
                .map(|a| a.revision.as_str())
                .collect();
            if heads.is_empty() {
                println!("base (nothing applied)");
            }
            for head in heads {
                let at_head = migrations
                    .head()
                    .ok()
                    .flatten()
                    .is_some_and(|h| h.id == head);
                println!("{head}{}", if at_head { " (head)" } else { "" });
            }
        }
        Command::History => {
            let applied = migrator.applied(ex).await?;
            let all: Vec<String> = migrations
                .revisions()
                .iter()
                .map(|r| r.id.clone())
                .collect();
            for revision in migrations.ordered(&all)? {
                let row = applied.iter().find(|a| a.revision == revision.id);
                let state = row.map_or_else(
                    || "pending".to_owned(),
                    |a| format!("applied {} in {} ms", a.applied_at, a.duration_ms),
                );
                println!("{} {} [{state}]", revision.id, revision.message);
            }
        }
        Command::Stamp { target } => {
            let to = (target != "base").then_some(target.as_str());
            migrator.stamp(&db, to).await?;
            println!("stamped {target}");
        }
        Command::Sql { target } => print!("{}", migrator.sql(ex, &upgrade_target(&target)?).await?),
        Command::Check { renames: flags } => {
            let found = migrator.check(ex, &schema, &renames(&flags)?).await?;
            if !found.is_empty() {
                println!("the database differs from the models:");
                print_diff(&found);
                return Ok(ExitCode::FAILURE);
            }
            println!("the database matches the models");
        }
        Command::Lint => {
            let pending = crate::lint::lint_pending(&migrator, ex, Some(&schema)).await?;
            return Ok(crate::lint::report(
                &crate::lint::lint_models(&schema),
                &pending,
            ));
        }
        Command::Inspect { out } => {
            let source = crate::inspect::inspect(ex).await?;
            match out {
                None => print!("{source}"),
                Some(path) => {
                    std::fs::write(&path, source).map_err(|e| {
                        migration_error(format!("cannot write {}: {e}", path.display()))
                    })?;
                    println!("wrote {}", path.display());
                }
            }
        }
        Command::Merge { .. } => unreachable!("handled before connecting"),
    }
    Ok(ExitCode::SUCCESS)
}
