//! The tasks API server.
//!
//! ```sh
//! cargo run -p orm-tasks-api --bin tasks-api                         # SQLite: ./tasks.db
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/test BIND=0.0.0.0:8080 \
//!     cargo run -p orm-tasks-api --bin tasks-api                     # PostgreSQL
//! ```

use std::error::Error;

use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("orm_tasks_api=info,tower_http=debug")),
        )
        .init();
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://tasks.db?mode=rwc".into());
    let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let app = orm_tasks_api::app(&database_url).await?;
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    tracing::info!(address = %listener.local_addr()?, "listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
