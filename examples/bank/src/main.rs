//! The bank server.
//!
//! ```sh
//! cargo run -p orm-bank --bin bank                                   # SQLite: ./bank.db
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/test BANK_STRATEGY=serializable \
//!     BIND=0.0.0.0:8080 cargo run -p orm-bank --bin bank             # PostgreSQL
//! ```

use std::error::Error;

use orm_bank::Strategy;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| {
            EnvFilter::new("bank=info,orm_bank=info,tower_http=debug,orm::tx=error")
        }))
        .init();
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://bank.db?mode=rwc".into());
    let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3001".into());
    let strategy: Strategy = match std::env::var("BANK_STRATEGY") {
        Ok(name) => name.parse()?,
        Err(_) => Strategy::default(),
    };
    let app = orm_bank::app(&database_url, strategy).await?;
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    tracing::info!(address = %listener.local_addr()?, %strategy, "listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
