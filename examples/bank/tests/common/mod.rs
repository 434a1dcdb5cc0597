//! The harness of the end-to-end tests: the service started on an ephemeral port for one
//! test, on SQLite (a temporary file) or PostgreSQL (a fresh schema from the `orm-tests`
//! harness: skipped with a notice when there is no server, a failure with
//! `ORM_REQUIRE_PG=1`), and a real HTTP client for it.

// Each test binary includes this module and uses a part of it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use orm::Database;
use orm_bank::Strategy;
use serde_json::Value;

/// The database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in the temporary directory.
    Sqlite,
    /// A fresh schema of the harness's PostgreSQL server.
    Postgres,
}

/// A client of the service: cheap to clone into spawned tasks.
#[derive(Clone)]
pub struct Http {
    addr: SocketAddr,
    client: Client<HttpConnector, Full<Bytes>>,
}

/// The service, started for one test, and a client for it (its [`Http`], through `Deref`).
pub struct Api {
    http: Http,
    /// The database URL the service runs on.
    pub url: String,
    /// The backend.
    pub backend: Backend,
    /// The strategy its transfers run under.
    pub strategy: Strategy,
    /// The SQLite file to remove when the test ends.
    sqlite_file: Option<PathBuf>,
}

impl Drop for Api {
    fn drop(&mut self) {
        if let Some(path) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let mut file = path.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        }
    }
}

impl Api {
    /// Start the service on `backend` with `strategy`: `None` when PostgreSQL is not
    /// available (the harness panics instead under `ORM_REQUIRE_PG=1`).
    pub async fn start(backend: Backend, strategy: Strategy) -> Option<Api> {
        // Logs only when asked for: the load test's retries are expected, not news.
        if std::env::var_os("RUST_LOG").is_some() {
            orm_tests::init_tracing();
        }
        let (url, sqlite_file) = match backend {
            Backend::Sqlite => {
                let url = orm_tests::sqlite_file_url();
                let path = url
                    .strip_prefix("sqlite://")
                    .and_then(|rest| rest.strip_suffix("?mode=rwc"))
                    .map(PathBuf::from);
                (url, path)
            }
            Backend::Postgres => match orm_tests::pg_isolated_url().await {
                Some(url) => (url, None),
                None => {
                    eprintln!(
                        "skipped: no PostgreSQL (set ORM_TEST_PG_URL; ORM_REQUIRE_PG=1 makes this a failure)"
                    );
                    return None;
                }
            },
        };
        let app = orm_bank::app(&url, strategy)
            .await
            .expect("the service starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("an ephemeral port");
        let addr = listener.local_addr().expect("its address");
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the server runs");
        });
        let client = Client::builder(TokioExecutor::new()).build_http();
        Some(Api {
            http: Http { addr, client },
            url,
            backend,
            strategy,
            sqlite_file,
        })
    }

    /// A connection of the test's own to the service's database, for checks below the
    /// HTTP layer.
    pub async fn db(&self) -> Database {
        orm_bank::connect(&self.url).await.expect("connect")
    }

    /// The client, to clone into spawned tasks.
    pub fn http(&self) -> &Http {
        &self.http
    }
}

impl std::ops::Deref for Api {
    type Target = Http;

    fn deref(&self) -> &Http {
        &self.http
    }
}

impl Http {
    /// Send a request with a raw body (`(content type, text)`).
    pub async fn send(&self, method: Method, path: &str, body: Option<(&str, String)>) -> Reply {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(format!("http://{}{path}", self.addr));
        let text = match body {
            Some((content_type, text)) => {
                request = request.header("content-type", content_type);
                text
            }
            None => String::new(),
        };
        let request = request
            .body(Full::new(Bytes::from(text)))
            .expect("a valid request");
        let response = self
            .client
            .request(request)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status();
        let retry_after = response.headers().get("retry-after").cloned();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("the body")
            .to_bytes();
        let json = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{method} {path}: {status}: the body is not JSON ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        });
        Reply {
            what: format!("{method} {path}"),
            status,
            json,
            retry_after: retry_after.is_some(),
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(
            Method::POST,
            path,
            Some(("application/json", body.to_string())),
        )
        .await
    }
}

/// A response and its JSON body.
pub struct Reply {
    /// `METHOD path`, for messages.
    pub what: String,
    /// The status.
    pub status: StatusCode,
    /// The body.
    pub json: Value,
    /// Whether it carried `Retry-After`.
    pub retry_after: bool,
}

impl Reply {
    /// The body, after checking the status.
    #[track_caller]
    pub fn expect(&self, status: StatusCode) -> &Value {
        assert_eq!(
            self.status, status,
            "{}: expected {status}, got {} with {}",
            self.what, self.status, self.json
        );
        &self.json
    }

    /// Check the status and the error code of an error answer (and the body's shape).
    #[track_caller]
    pub fn expect_error(&self, status: StatusCode, code: &str) {
        let body = self.expect(status);
        assert_eq!(
            body["error"]["code"], code,
            "{}: expected error code {code}, got {body}",
            self.what
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{}: an error has a message: {body}",
            self.what
        );
        assert_eq!(
            body.as_object().map(|o| o.len()),
            Some(1),
            "{}: only `error`: {body}",
            self.what
        );
    }

    /// The error code of an error answer, if any.
    pub fn error_code(&self) -> Option<&str> {
        self.json["error"]["code"].as_str()
    }
}

/// A decimal from its text.
pub fn dec(text: &str) -> orm::prelude::Decimal {
    text.parse().expect("a decimal literal")
}

/// Tests that run on both backends: `on_every_backend!(strategies; scenario, ..)` makes,
/// for each `async fn scenario(api: &Api)`, a module `scenario` with one test per backend
/// and strategy (`scenario::sqlite_optimistic`, `scenario::postgres_serializable`, ..).
#[macro_export]
macro_rules! on_every_backend {
    (default; $($name:ident),* $(,)?) => {
        $(
            mod $name {
                use $crate::common::{Api, Backend};

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(api) = Api::start(Backend::Sqlite, Default::default()).await {
                        super::$name(&api).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(api) = Api::start(Backend::Postgres, Default::default()).await {
                        super::$name(&api).await;
                    }
                }
            }
        )*
    };
    (every_strategy; $($name:ident),* $(,)?) => {
        $(
            mod $name {
                use orm_bank::Strategy;
                use $crate::common::{Api, Backend};

                async fn run(backend: Backend, strategy: Strategy) {
                    if let Some(api) = Api::start(backend, strategy).await {
                        super::$name(&api).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite_optimistic() {
                    run(Backend::Sqlite, Strategy::Optimistic).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite_serializable() {
                    run(Backend::Sqlite, Strategy::Serializable).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres_optimistic() {
                    run(Backend::Postgres, Strategy::Optimistic).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres_serializable() {
                    run(Backend::Postgres, Strategy::Serializable).await;
                }
            }
        )*
    };
}
