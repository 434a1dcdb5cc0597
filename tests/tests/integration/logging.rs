//! Every statement is a `tracing` event on the `orm::sql` target with the SQL, the number of
//! bound values and the elapsed time: the equivalent of SQLAlchemy's `echo=True`.

use std::sync::{Arc, Mutex};

use orm::prelude::*;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

use crate::models::*;
use crate::{Target, TestDb};

/// One captured `orm::sql` event: its fields as text.
#[derive(Debug, Default, Clone)]
struct Logged {
    sql: String,
    binds: u64,
    elapsed_us: Option<u64>,
    failed: Option<bool>,
}

impl Visit for Logged {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "sql" {
            self.sql = value.to_owned();
        }
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "binds" => self.binds = value,
            "elapsed_us" => self.elapsed_us = Some(value),
            _ => {}
        }
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.record_u64(field, u64::try_from(value).unwrap_or_default());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        if field.name() == "failed" {
            self.failed = Some(value);
        }
    }
    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Logged>>>);

impl<S: tracing::Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() == "orm::sql" {
            let mut logged = Logged::default();
            event.record(&mut logged);
            self.0.lock().expect("capture").push(logged);
        }
    }
}

async fn every_statement_is_logged(t: Option<TestDb>) {
    let Some(t) = t else {
        return;
    };
    let db = &t.db;
    db.create_all(&blog_schema()).await.expect("schema");
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));

    let alice = new_user(1).insert(db).await.expect("insert");
    User::query()
        .filter(User::id.eq(alice.id))
        .all(db)
        .await
        .expect("select");
    let failed = new_user(1).insert(db).await;
    assert!(failed.is_err());

    // Behind PgBouncer each statement also has its BEGIN and COMMIT (or ROLLBACK).
    let logged: Vec<_> = capture
        .0
        .lock()
        .expect("capture")
        .iter()
        .filter(|l| !matches!(l.sql.as_str(), "BEGIN" | "COMMIT" | "ROLLBACK"))
        .cloned()
        .collect();
    assert_eq!(logged.len(), 3, "{logged:#?}");
    assert!(
        logged[0].sql.starts_with("INSERT INTO \"users\""),
        "{logged:#?}"
    );
    assert_eq!(logged[0].binds, 5, "email, name, bio, is_active, karma");
    assert!(logged[1].sql.starts_with("SELECT "));
    assert_eq!(logged[1].binds, 1);
    assert!(logged.iter().all(|l| l.elapsed_us.is_some()));
    assert_eq!(logged[0].failed, Some(false));
    assert_eq!(
        logged[2].failed,
        Some(true),
        "a failed statement is logged as failed"
    );
}

#[tokio::test]
async fn every_statement_is_logged_sqlite() {
    every_statement_is_logged(TestDb::open(Target::SqliteMemory).await).await;
}

#[tokio::test]
async fn every_statement_is_logged_postgres() {
    every_statement_is_logged(TestDb::open(Target::Postgres).await).await;
}

#[tokio::test]
async fn every_statement_is_logged_postgres_pgbouncer() {
    every_statement_is_logged(TestDb::open_pgbouncer(orm::DatabaseOptions::new()).await).await;
}
