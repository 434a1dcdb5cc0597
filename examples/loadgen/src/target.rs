//! The database a benchmark runs on: a SQLite file in a fresh temporary directory (the
//! default), or a database of its own on a PostgreSQL server, so that a run never touches
//! anybody else's tables.

use std::path::PathBuf;
use std::str::FromStr;

use sqlx::Connection;

use crate::BoxError;

/// Which backend a [`Target`] is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

/// The database of one run.
#[derive(Debug)]
pub struct Target {
    /// The URL both sides connect to.
    pub url: String,
    /// Its backend.
    pub backend: Backend,
    /// The temporary directory of a SQLite file, removed when the target is dropped.
    dir: Option<PathBuf>,
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// `url` with its database name replaced by `database`.
fn with_database(url: &str, database: &str) -> Result<String, BoxError> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base
        .find("://")
        .map(|at| at + 3)
        .ok_or_else(|| format!("`{url}` is not a postgres:// URL"))?;
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    Ok(format!("{server}/{database}{query}"))
}

impl Target {
    /// The database for benchmark `name`: with `database_url` (a `postgres://` URL), the
    /// database `orm_load_<name>` on that server, dropped if it exists and created empty;
    /// without, `load.db` in a new temporary directory.
    pub async fn prepare(database_url: Option<&str>, name: &str) -> Result<Target, BoxError> {
        match database_url {
            None => {
                let dir = std::env::temp_dir().join(format!(
                    "orm-load-{name}-{}-{}",
                    std::process::id(),
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_nanos())
                        .unwrap_or(0)
                ));
                std::fs::create_dir_all(&dir)?;
                Ok(Target {
                    url: format!("sqlite://{}/load.db?mode=rwc", dir.display()),
                    backend: Backend::Sqlite,
                    dir: Some(dir),
                })
            }
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let database = format!("orm_load_{name}");
                let mut admin = sqlx::PgConnection::connect(url).await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "CREATE DATABASE \"{database}\""
                )))
                .execute(&mut admin)
                .await?;
                admin.close().await?;
                Ok(Target {
                    url: with_database(url, &database)?,
                    backend: Backend::Postgres,
                    dir: None,
                })
            }
            Some(url) => Err(format!(
                "`{url}`: give a postgres:// URL, or nothing for a temporary SQLite file"
            )
            .into()),
        }
    }

    /// Refresh the planner's statistics: `ANALYZE` (on both backends).
    pub async fn analyze(&self) -> Result<(), BoxError> {
        match self.backend {
            Backend::Sqlite => {
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(&self.url)?;
                let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
                sqlx::raw_sql("ANALYZE").execute(&mut conn).await?;
                conn.close().await?;
            }
            Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url).await?;
                sqlx::raw_sql("ANALYZE").execute(&mut conn).await?;
                conn.close().await?;
            }
        }
        Ok(())
    }

    /// The backend and its version, for the report: `SQLite 3.50.4 (file, WAL)`.
    pub async fn describe(&self) -> Result<String, BoxError> {
        Ok(match self.backend {
            Backend::Sqlite => {
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(&self.url)?;
                let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
                let version: String = sqlx::query_scalar("SELECT sqlite_version()")
                    .fetch_one(&mut conn)
                    .await?;
                conn.close().await?;
                format!("SQLite {version} (temporary file, WAL, synchronous=NORMAL)")
            }
            Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url).await?;
                let version: String = sqlx::query_scalar("SHOW server_version")
                    .fetch_one(&mut conn)
                    .await?;
                conn.close().await?;
                format!("PostgreSQL {version} (TCP, localhost)")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_is_replaced() {
        let cases = [
            ("postgres://u@h:5432/test", "postgres://u@h:5432/x"),
            (
                "postgres://u@h:5432/test?sslmode=disable",
                "postgres://u@h:5432/x?sslmode=disable",
            ),
            ("postgres://h", "postgres://h/x"),
        ];
        for (url, expected) in cases {
            assert_eq!(with_database(url, "x").expect(url), expected);
        }
    }
}
