//! Revision files and the revision graph.
//!
//! A revision is one TOML file: an `id`, its `parents` (none for the first, two for a
//! merge), a `message`, and `upgrade` / `downgrade` lists of [`Operation`]s. Operations are
//! backend-neutral (a column type is `bigint`, not `BIGINT GENERATED ..`), so one file
//! renders for SQLite and PostgreSQL; `op = "execute"` carries hand-written SQL, per
//! backend where needed, for data steps and anything else.

use std::path::Path;

use orm_core::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::operation::Operation;

/// One migration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// Unique id; also the file name without `.toml`.
    pub id: String,
    /// The revisions this one follows: none for the first, two or more for a merge.
    #[serde(default)]
    pub parents: Vec<String>,
    /// What the migration does, in a few words.
    pub message: String,
    /// Steps that migrate forward, in order.
    #[serde(default)]
    pub upgrade: Vec<Operation>,
    /// Steps that undo `upgrade`, in order.
    #[serde(default)]
    pub downgrade: Vec<Operation>,
    /// Migration-lint findings (`L2xx`) silenced for this revision, each with its reason
    /// (`[[allow]]` tables; see [`crate::lint`]). Not part of the checksum: they change what
    /// `lint` reports, not what the revision does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<Allow>,
    /// Run the steps in the revision's transaction (the default). `transaction = false` is
    /// for what PostgreSQL cannot do inside one, such as `CREATE INDEX CONCURRENTLY` in an
    /// `execute` step: each step then commits on its own while the revision's transaction
    /// holds the migration lock and records the revision at the end, so a failure leaves the
    /// steps before it applied and the revision unrecorded (write such steps to be re-run,
    /// `IF NOT EXISTS`). SQLite runs every revision in a transaction. Behind a transaction
    /// pooler (`DatabaseOptions::transaction_pooling`) every statement gets a transaction of
    /// its own, so run such revisions over a direct connection.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub transaction: bool,
}

fn yes() -> bool {
    true
}

fn is_yes(value: &bool) -> bool {
    *value
}

/// A migration-lint finding silenced in a revision file:
///
/// ```toml
/// [[allow]]
/// code = "L202"
/// reason = "the table holds a few hundred rows; the lock is brief"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allow {
    /// The finding's code (`"L202"`).
    pub code: String,
    /// Why the finding does not apply: required, and not empty.
    #[serde(deserialize_with = "non_empty_reason")]
    pub reason: String,
}

fn non_empty_reason<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<String, D::Error> {
    let reason = String::deserialize(deserializer)?;
    if reason.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "the reason of an [[allow]] is empty: say why the finding does not apply",
        ));
    }
    Ok(reason)
}

pub(crate) fn migration_error(message: impl Into<String>) -> Error {
    Error::Migration {
        message: message.into(),
    }
}

impl Revision {
    /// A new revision following `parents`; its id is the time (UTC, to the second) and a
    /// slug of the message: `20261207_153000_add_score`.
    pub fn new(
        message: &str,
        parents: Vec<String>,
        upgrade: Vec<Operation>,
        downgrade: Vec<Operation>,
    ) -> Revision {
        let slug: String = message
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect::<String>()
            .split('_')
            .filter(|part| !part.is_empty())
            .take(6)
            .collect::<Vec<_>>()
            .join("_");
        let time = chrono::Utc::now().format("%Y%m%d_%H%M%S");
        Revision {
            id: if slug.is_empty() {
                time.to_string()
            } else {
                format!("{time}_{slug}")
            },
            parents,
            message: message.to_owned(),
            upgrade,
            downgrade,
            allow: Vec::new(),
            transaction: true,
        }
    }

    /// Read a revision file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Revision> {
        toml::from_str(text).map_err(|e| migration_error(format!("{origin}: {e}")))
    }

    /// The file text: a comment saying what the file is, then the TOML.
    pub fn to_toml(&self) -> Result<String> {
        let body = toml::to_string(self)
            .map_err(|e| migration_error(format!("revision {}: {e}", self.id)))?;
        Ok(format!(
            "# orm migration: {}\n# Edit freely before it is applied; once applied, its checksum \
             is recorded and a changed file is refused.\n# Steps: {} (see the orm-migrate \
             documentation for every `op`).\n\n{body}",
            self.message,
            self.upgrade
                .iter()
                .map(Operation::describe)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    }

    /// A hash of what the revision does (id, parents, steps): comments and formatting may
    /// change after it is applied, its steps may not.
    pub fn checksum(&self) -> String {
        let steps = (&self.id, &self.parents, &self.upgrade, &self.downgrade);
        // A revision outside a transaction hashes the flag too (the others hash as before).
        let canonical = if self.transaction {
            serde_json::to_string(&steps)
        } else {
            serde_json::to_string(&(steps, "no transaction"))
        }
        .unwrap_or_default();
        let digest = Sha256::digest(canonical.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A set of revisions and their graph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Migrations {
    revisions: Vec<Revision>,
}

impl Migrations {
    /// Revisions from `(file name, text)` pairs, as `orm::migrate::embed_migrations!` gives
    /// them.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Migrations> {
        let mut revisions = Vec::new();
        for (name, text) in files {
            revisions.push(Revision::parse(text, name)?);
        }
        Migrations::new(revisions)
    }

    /// The `*.toml` files of a directory (none when it does not exist).
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Migrations> {
        let dir = dir.as_ref();
        let mut files = Vec::new();
        if dir.exists() {
            let entries = std::fs::read_dir(dir)
                .map_err(|e| migration_error(format!("cannot read {}: {e}", dir.display())))?;
            for entry in entries {
                let path = entry
                    .map_err(|e| migration_error(format!("cannot read {}: {e}", dir.display())))?
                    .path();
                if path.extension().is_some_and(|e| e == "toml") {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        migration_error(format!("cannot read {}: {e}", path.display()))
                    })?;
                    files.push((path.display().to_string(), text));
                }
            }
        }
        Migrations::from_files(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    }

    /// A set of revisions; ids must be unique and every parent known.
    pub fn new(mut revisions: Vec<Revision>) -> Result<Migrations> {
        revisions.sort_by(|a, b| a.id.cmp(&b.id));
        for pair in revisions.windows(2) {
            if pair[0].id == pair[1].id {
                return Err(migration_error(format!(
                    "two revisions have the id {}",
                    pair[0].id
                )));
            }
        }
        let migrations = Migrations { revisions };
        for revision in &migrations.revisions {
            for parent in &revision.parents {
                if migrations.get(parent).is_none() {
                    return Err(migration_error(format!(
                        "revision {} follows {parent}, which is not among the migrations",
                        revision.id
                    )));
                }
            }
        }
        // Every revision must be reachable in order: a cycle has no order.
        migrations.ordered(&migrations.ids())?;
        Ok(migrations)
    }

    /// Every revision, by id.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// The revision `id`.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.id == id)
    }

    fn ids(&self) -> Vec<String> {
        self.revisions.iter().map(|r| r.id.clone()).collect()
    }

    /// The revisions no other revision follows.
    pub fn heads(&self) -> Vec<&Revision> {
        self.revisions
            .iter()
            .filter(|r| !self.revisions.iter().any(|o| o.parents.contains(&r.id)))
            .collect()
    }

    /// The one head; two heads are an error naming both and the `merge` that joins them.
    pub fn head(&self) -> Result<Option<&Revision>> {
        let heads = self.heads();
        match heads.as_slice() {
            [] => Ok(None),
            [head] => Ok(Some(head)),
            many => Err(migration_error(format!(
                "the migrations have {} heads: {}; two revisions were made from the same parent \
                 (branches merged?). Run `migrate merge -m \"merge\"` to join them, then upgrade",
                many.len(),
                many.iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ))),
        }
    }

    /// Find a revision by id, unique id prefix, or `head` (the one head).
    pub fn resolve(&self, id: &str) -> Result<&Revision> {
        if id == "head" {
            return self
                .head()?
                .ok_or_else(|| migration_error("there are no revisions yet: nothing is head"));
        }
        if let Some(revision) = self.get(id) {
            return Ok(revision);
        }
        let matches: Vec<&Revision> = self
            .revisions
            .iter()
            .filter(|r| r.id.starts_with(id))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(migration_error(format!("there is no revision {id}"))),
            _ => Err(migration_error(format!(
                "{id} names more than one revision"
            ))),
        }
    }

    /// `id` and every revision it follows, directly or not.
    pub fn ancestors(&self, id: &str) -> Vec<String> {
        let mut seen = Vec::new();
        let mut stack = vec![id.to_owned()];
        while let Some(next) = stack.pop() {
            if seen.contains(&next) {
                continue;
            }
            if let Some(revision) = self.get(&next) {
                stack.extend(revision.parents.iter().cloned());
            }
            seen.push(next);
        }
        seen
    }

    /// `ids` ordered parents first (ties by id).
    pub fn ordered(&self, ids: &[String]) -> Result<Vec<&Revision>> {
        let mut ordered: Vec<&Revision> = Vec::with_capacity(ids.len());
        let mut pending: Vec<&Revision> = self
            .revisions
            .iter()
            .filter(|r| ids.contains(&r.id))
            .collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut i = 0;
            while i < pending.len() {
                let ready = pending[i]
                    .parents
                    .iter()
                    .all(|p| !ids.contains(p) || ordered.iter().any(|o| o.id == *p));
                if ready {
                    ordered.push(pending.remove(i));
                } else {
                    i += 1;
                }
            }
            if pending.len() == before {
                return Err(migration_error(format!(
                    "the revisions {} follow each other in a cycle",
                    pending
                        .iter()
                        .map(|r| r.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Ok(ordered)
    }
}
