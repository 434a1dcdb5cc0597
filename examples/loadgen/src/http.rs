//! The HTTP side: a service started in-process on an ephemeral port ([`serve`]), and a
//! keep-alive client for it ([`Http`]), sending [`Call`]s and reading whole replies.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::BoxError;

/// Start `app` on `127.0.0.1:0` in a task of the current runtime; returns its base URL
/// (`http://127.0.0.1:<port>`). The server runs until the runtime ends.
pub async fn serve(app: axum::Router) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            eprintln!("the server on {addr} stopped: {error}");
        }
    });
    Ok(format!("http://{addr}"))
}

/// One request: a method, a path (with its query string) and, for a write, a JSON body.
#[derive(Debug, Clone)]
pub struct Call {
    /// The method.
    pub method: Method,
    /// The path and query, from the leading `/`.
    pub path: String,
    /// A JSON body, sent with `Content-Type: application/json`.
    pub json: Option<Bytes>,
}

impl Call {
    /// `GET path`.
    pub fn get(path: impl Into<String>) -> Self {
        Call {
            method: Method::GET,
            path: path.into(),
            json: None,
        }
    }

    /// `POST path` with a JSON body.
    pub fn post_json(path: impl Into<String>, json: impl Into<Bytes>) -> Self {
        Call {
            method: Method::POST,
            path: path.into(),
            json: Some(json.into()),
        }
    }
}

/// A reply, read to the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The whole body.
    pub body: Bytes,
}

impl Reply {
    /// The body as text (lossy), for messages.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A keep-alive HTTP/1 client (hyper-util's). Cheap to clone; clones share connections, so
/// a load client that should hold one connection of its own gets its own [`Http::new`].
#[derive(Clone)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Default for Http {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Http")
    }
}

impl Http {
    /// A client with a connection pool of its own.
    pub fn new() -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Http {
            client: Client::builder(TokioExecutor::new()).build(connector),
        }
    }

    /// Send `call` to the service at `base` (`http://host:port`) and read the whole reply.
    pub async fn send(&self, base: &str, call: &Call) -> Result<Reply, BoxError> {
        let mut request = Request::builder()
            .method(call.method.clone())
            .uri(format!("{base}{}", call.path));
        let body = match &call.json {
            Some(json) => {
                request =
                    request.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                json.clone()
            }
            None => Bytes::new(),
        };
        let response = self.client.request(request.body(Full::new(body))?).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        Ok(Reply { status, body })
    }

    /// [`Http::send`], failing unless the status is `expected`.
    pub async fn expect(
        &self,
        base: &str,
        call: &Call,
        expected: StatusCode,
    ) -> Result<Reply, BoxError> {
        let reply = self.send(base, call).await?;
        if reply.status != expected {
            return Err(format!(
                "{} {}: expected {expected}, got {}: {}",
                call.method,
                call.path,
                reply.status,
                reply.text()
            )
            .into());
        }
        Ok(reply)
    }
}
