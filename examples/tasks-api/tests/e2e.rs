//! End-to-end tests: the service started on an ephemeral port, driven over HTTP by a real
//! client, on SQLite (a temporary file) and on PostgreSQL (a fresh schema from the
//! `orm-tests` harness: skipped with a notice when there is no server, a failure with
//! `ORM_REQUIRE_PG=1`).
//!
//! Each scenario is written once, as a function of an [`Api`], and run on both backends by
//! `on_every_backend!`.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{HeaderMap, Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use orm::migrate::{Migrator, Renames};
use orm_tasks_api::repository::{
    CreateComment, CreateTask, OrmTaskRepository, TaskFilter, TaskRepository,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// The harness: a server per test, a client, replies.

/// The database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// The service, started for one test, and a client for it.
struct Api {
    addr: SocketAddr,
    client: Client<HttpConnector, Full<Bytes>>,
    /// The database URL the service runs on.
    url: String,
    /// The SQLite file to remove when the test ends.
    sqlite_file: Option<std::path::PathBuf>,
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
    /// Start the service on `backend`: `None` when PostgreSQL is not available (the harness
    /// panics instead under `ORM_REQUIRE_PG=1`).
    async fn start(backend: Backend) -> Option<Api> {
        let (url, sqlite_file) = match backend {
            Backend::Sqlite => {
                let url = orm_tests::sqlite_file_url();
                let path = url
                    .strip_prefix("sqlite://")
                    .and_then(|rest| rest.strip_suffix("?mode=rwc"))
                    .map(std::path::PathBuf::from);
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
        let app = orm_tasks_api::app(&url).await.expect("the service starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("an ephemeral port");
        let addr = listener.local_addr().expect("its address");
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the server runs");
        });
        let client = Client::builder(TokioExecutor::new()).build_http();
        Some(Api {
            addr,
            client,
            url,
            sqlite_file,
        })
    }

    /// Send a request; `body` is `(content type, text)`.
    async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, String)>,
    ) -> Reply {
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
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(Full::new(Bytes::from(text)))
            .expect("a valid request");
        let response = self
            .client
            .request(request)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("the body")
            .to_bytes();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{method} {path}: the body is not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Reply {
            what: format!("{method} {path}"),
            status,
            headers,
            json,
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, &[], None).await
    }

    async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(
            Method::POST,
            path,
            &[],
            Some(("application/json", body.to_string())),
        )
        .await
    }

    async fn patch(&self, path: &str, if_match: Option<&str>, body: Value) -> Reply {
        let headers: Vec<(&str, &str)> = if_match.map(|v| ("if-match", v)).into_iter().collect();
        self.send(
            Method::PATCH,
            path,
            &headers,
            Some(("application/json", body.to_string())),
        )
        .await
    }

    async fn delete(&self, path: &str, if_match: Option<&str>) -> Reply {
        let headers: Vec<(&str, &str)> = if_match.map(|v| ("if-match", v)).into_iter().collect();
        self.send(Method::DELETE, path, &headers, None).await
    }

    /// A repository on the service's database, for checks below the HTTP layer.
    async fn repository(&self) -> OrmTaskRepository {
        OrmTaskRepository::new(orm_tasks_api::connect(&self.url).await.expect("connect"))
    }
}

/// A response, its JSON body read (`null` when empty).
struct Reply {
    what: String,
    status: StatusCode,
    headers: HeaderMap,
    json: Value,
}

impl Reply {
    /// The body, after checking the status.
    #[track_caller]
    fn expect(&self, status: StatusCode) -> &Value {
        assert_eq!(
            self.status, status,
            "{}: expected {status}, got {} with {}",
            self.what, self.status, self.json
        );
        &self.json
    }

    /// The error body, after checking the status, its shape and its code.
    #[track_caller]
    fn expect_error(&self, status: StatusCode, code: &str) -> &Value {
        let body = self.expect(status);
        let error = &body["error"];
        assert_eq!(error["code"], code, "{}: {body}", self.what);
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{}: an error states what is wrong: {body}",
            self.what
        );
        assert_eq!(
            body.as_object().map(|o| o.len()),
            Some(1),
            "{}: only `error` at the top: {body}",
            self.what
        );
        error
    }

    /// The names of the fields of an error, sorted.
    #[track_caller]
    fn error_fields(&self) -> Vec<String> {
        let fields = self.json["error"]["fields"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: no `fields` in {}", self.what, self.json));
        for (field, messages) in fields {
            let messages = messages.as_array().expect("a list of messages");
            assert!(
                !messages.is_empty() && messages.iter().all(|m| m.as_str().is_some()),
                "{}: `{field}` has its messages: {}",
                self.what,
                self.json
            );
        }
        fields.keys().cloned().collect()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The number of statements the request sent (`X-Db-Statements`).
    #[track_caller]
    fn statements(&self) -> usize {
        self.header("x-db-statements")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{}: no X-Db-Statements", self.what))
    }
}

fn id(value: &Value) -> i64 {
    value["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {value}"))
}

/// A user, a project and three tags to hang tasks on.
struct World {
    user: i64,
    project: i64,
    /// `api`, `db`, `ui`.
    tags: Vec<i64>,
}

async fn world(api: &Api, name: &str) -> World {
    let user = api
        .post(
            "/users",
            json!({"email": format!("{name}@example.com"), "name": name}),
        )
        .await;
    let user = id(user.expect(StatusCode::CREATED));
    let project = api
        .post("/projects", json!({"owner_id": user, "name": "launch"}))
        .await;
    let project = id(project.expect(StatusCode::CREATED));
    let mut tags = Vec::new();
    for tag in ["api", "db", "ui"] {
        let reply = api
            .post("/tags", json!({"name": format!("{name}-{tag}")}))
            .await;
        tags.push(id(reply.expect(StatusCode::CREATED)));
    }
    World {
        user,
        project,
        tags,
    }
}

async fn create_task(api: &Api, body: Value) -> Value {
    api.post("/tasks", body)
        .await
        .expect(StatusCode::CREATED)
        .clone()
}

/// The ids of a `GET /tasks` page.
fn page_ids(page: &Value) -> Vec<i64> {
    page["tasks"]
        .as_array()
        .unwrap_or_else(|| panic!("no tasks in {page}"))
        .iter()
        .map(id)
        .collect()
}

// ---------------------------------------------------------------------------------------
// The scenarios.

async fn creates_and_reads_a_task_with_tags_and_comments(api: &Api) {
    let w = world(api, "ann").await;
    let reply = api
        .post(
            "/tasks",
            json!({
                "project_id": w.project,
                "title": "Write the README",
                "priority": 2,
                "due": "2030-01-31",
                "tag_ids": [w.tags[1], w.tags[0], w.tags[1]],
            }),
        )
        .await;
    let task = reply.expect(StatusCode::CREATED);
    let task_id = id(task);
    assert_eq!(
        reply.header("location"),
        Some(format!("/tasks/{task_id}").as_str())
    );
    assert_eq!(reply.header("etag"), Some("\"1\""));
    assert_eq!(task["version"], 1);
    assert_eq!(task["status"], "todo");
    assert_eq!(task["priority"], 2);
    assert_eq!(task["due"], "2030-01-31");
    assert_eq!(task["project_id"], w.project);
    assert!(task.get("deleted_at").is_none(), "internal: {task}");
    let tag_names: Vec<&str> = task["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .map(|t| t["name"].as_str().expect("name"))
        .collect();
    assert_eq!(tag_names, ["ann-api", "ann-db"], "each tag once, by name");
    assert_eq!(task["comments"], json!([]));

    // Defaults: status todo, priority 3, no due date, no tags.
    let plain = create_task(api, json!({"project_id": w.project, "title": "Plain"})).await;
    assert_eq!(
        (&plain["status"], &plain["priority"], &plain["due"]),
        (&json!("todo"), &json!(3), &Value::Null)
    );
    assert_eq!(plain["tags"], json!([]));

    for body in ["first", "second"] {
        let reply = api
            .post(
                &format!("/tasks/{task_id}/comments"),
                json!({"author_id": w.user, "body": body}),
            )
            .await;
        let comment = reply.expect(StatusCode::CREATED);
        assert_eq!(
            (&comment["task_id"], &comment["author_id"], &comment["body"]),
            (&json!(task_id), &json!(w.user), &json!(body))
        );
    }

    let reply = api.get(&format!("/tasks/{task_id}")).await;
    let detail = reply.expect(StatusCode::OK);
    assert_eq!(reply.header("etag"), Some("\"1\""));
    assert_eq!(detail["title"], "Write the README");
    assert_eq!(detail["tags"].as_array().map(Vec::len), Some(2));
    let bodies: Vec<&str> = detail["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .map(|c| c["body"].as_str().expect("body"))
        .collect();
    assert_eq!(bodies, ["first", "second"], "oldest first");
    // The task, its tags, its comments: three statements, eager-loaded.
    assert_eq!(reply.statements(), 3, "the detail is eager-loaded");

    // The list shows tasks without their relationships.
    let list = api.get(&format!("/tasks?project_id={}", w.project)).await;
    let list = list.expect(StatusCode::OK);
    assert_eq!(page_ids(list), [task_id, id(&plain)]);
    assert!(list["tasks"][0].get("tags").is_none(), "{list}");
    assert_eq!(list["next_cursor"], Value::Null);
}

async fn bad_input_is_refused_with_every_field_named(api: &Api) {
    let w = world(api, "bea").await;

    // Validation declared on the models: every failing field at once.
    let reply = api
        .post("/users", json!({"email": "not-an-address", "name": "   "}))
        .await;
    reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(reply.error_fields(), ["email", "name"]);

    let reply = api
        .post(
            "/tasks",
            json!({"project_id": w.project, "title": "", "priority": 9}),
        )
        .await;
    reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(reply.error_fields(), ["priority", "title"]);

    let reply = api
        .post(
            "/tasks",
            json!({"project_id": w.project, "title": "x".repeat(201)}),
        )
        .await;
    let error = reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(reply.error_fields(), ["title"]);
    assert!(
        error["fields"]["title"][0]
            .as_str()
            .unwrap_or_default()
            .contains("200"),
        "{error}"
    );
    // The bound is included.
    let longest = create_task(
        api,
        json!({"project_id": w.project, "title": "x".repeat(200)}),
    )
    .await;

    // Bodies that are not JSON, or not of the expected shape.
    let malformed = api
        .send(
            Method::POST,
            "/tasks",
            &[],
            Some(("application/json", "{\"project_id\": ".into())),
        )
        .await;
    malformed.expect_error(StatusCode::BAD_REQUEST, "malformed_json");
    for body in [
        json!({"project_id": "seven", "title": "x"}),
        json!({"project_id": w.project}),
        json!({"project_id": w.project, "title": "x", "owner": "me"}),
        json!({"project_id": w.project, "title": "x", "status": "blocked"}),
        json!({"project_id": w.project, "title": "x", "due": "tomorrow"}),
        json!({"project_id": w.project, "title": "x", "tag_ids": "all"}),
    ] {
        api.post("/tasks", body)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    }
    let untyped = api
        .send(
            Method::POST,
            "/tasks",
            &[],
            Some((
                "text/plain",
                json!({"project_id": w.project, "title": "x"}).to_string(),
            )),
        )
        .await;
    untyped.expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");

    // Query strings, paths and routes.
    for query in ["status=blocked", "limit=abc", "project_id=x", "colour=red"] {
        api.get(&format!("/tasks?{query}"))
            .await
            .expect_error(StatusCode::BAD_REQUEST, "bad_query");
    }
    for limit in [0, 101] {
        let reply = api.get(&format!("/tasks?limit={limit}")).await;
        reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_parameter");
        assert_eq!(reply.error_fields(), ["limit"]);
    }
    for cursor in ["garbage", "djE6eA", ""] {
        api.get(&format!("/tasks?cursor={cursor}"))
            .await
            .expect_error(StatusCode::BAD_REQUEST, "bad_cursor");
    }
    api.get("/tasks/abc")
        .await
        .expect_error(StatusCode::BAD_REQUEST, "bad_path");
    api.get("/nowhere")
        .await
        .expect_error(StatusCode::NOT_FOUND, "no_route");
    api.send(Method::PUT, "/tasks", &[], None)
        .await
        .expect_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");

    // A patch is validated the same way, and a bad one changes nothing.
    let path = format!("/tasks/{}", id(&longest));
    let reply = api
        .patch(&path, Some("1"), json!({"priority": 0, "title": " "}))
        .await;
    reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(reply.error_fields(), ["priority", "title"]);
    api.patch(&path, Some("1"), json!({"version": 7}))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    let stored = api.get(&path).await;
    assert_eq!(
        stored.expect(StatusCode::OK)["version"],
        1,
        "nothing written"
    );

    // Nothing but the valid task was written.
    let list = api.get(&format!("/tasks?project_id={}", w.project)).await;
    assert_eq!(page_ids(list.expect(StatusCode::OK)), [id(&longest)]);
}

async fn conflicts_and_missing_references(api: &Api) {
    let w = world(api, "cy").await;

    let reply = api
        .post(
            "/users",
            json!({"email": "cy@example.com", "name": "Cy again"}),
        )
        .await;
    let error = reply.expect_error(StatusCode::CONFLICT, "already_exists");
    assert_eq!(reply.error_fields(), ["email"]);
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("`email`"),
        "{error}"
    );
    let reply = api.post("/tags", json!({"name": "cy-api"})).await;
    reply.expect_error(StatusCode::CONFLICT, "already_exists");
    assert_eq!(reply.error_fields(), ["name"]);
    let reply = api
        .post("/projects", json!({"owner_id": w.user, "name": "launch"}))
        .await;
    reply.expect_error(StatusCode::CONFLICT, "already_exists");
    assert_eq!(reply.error_fields(), ["name", "owner_id"]);

    let missing = 999_999;
    let reply = api
        .post("/projects", json!({"owner_id": missing, "name": "ghost"}))
        .await;
    reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "unknown_reference");
    assert_eq!(reply.error_fields(), ["owner_id"]);
    let reply = api
        .post("/tasks", json!({"project_id": missing, "title": "orphan"}))
        .await;
    reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "unknown_reference");
    assert_eq!(reply.error_fields(), ["project_id"]);

    // An unknown tag fails the junction insert after the task's: the transaction leaves
    // no task behind.
    let reply = api
        .post(
            "/tasks",
            json!({"project_id": w.project, "title": "tagged", "tag_ids": [w.tags[0], missing]}),
        )
        .await;
    reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "unknown_reference");
    assert_eq!(reply.error_fields(), ["tag_id"]);
    let list = api.get(&format!("/tasks?project_id={}", w.project)).await;
    assert_eq!(
        page_ids(list.expect(StatusCode::OK)),
        Vec::<i64>::new(),
        "rolled back"
    );

    let task = create_task(api, json!({"project_id": w.project, "title": "real"})).await;
    let reply = api
        .post(
            &format!("/tasks/{}/comments", id(&task)),
            json!({"author_id": missing, "body": "who?"}),
        )
        .await;
    reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "unknown_reference");
    assert_eq!(reply.error_fields(), ["author_id"]);

    // Rows that do not exist.
    let gone = format!("/tasks/{missing}");
    api.get(&gone)
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    api.patch(&gone, Some("1"), json!({"title": "x"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    api.delete(&gone, None)
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    api.post(&format!("{gone}/restore"), json!({}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    api.post(
        &format!("{gone}/comments"),
        json!({"author_id": w.user, "body": "hello"}),
    )
    .await
    .expect_error(StatusCode::NOT_FOUND, "not_found");
}

async fn patch_needs_if_match_and_refuses_stale_versions(api: &Api) {
    let w = world(api, "dee").await;
    let task = create_task(
        api,
        json!({"project_id": w.project, "title": "Draft", "priority": 4, "due": "2031-05-01"}),
    )
    .await;
    let path = format!("/tasks/{}", id(&task));

    api.patch(&path, None, json!({"title": "No version"}))
        .await
        .expect_error(StatusCode::PRECONDITION_REQUIRED, "precondition_required");
    api.patch(&path, Some("latest"), json!({"title": "Bad version"}))
        .await
        .expect_error(StatusCode::BAD_REQUEST, "bad_header");

    // The ETag as sent is the If-Match to give.
    let reply = api
        .patch(
            &path,
            Some("\"1\""),
            json!({"title": "Final", "status": "doing"}),
        )
        .await;
    let updated = reply.expect(StatusCode::OK);
    assert_eq!(reply.header("etag"), Some("\"2\""));
    assert_eq!(
        (&updated["title"], &updated["status"], &updated["version"]),
        (&json!("Final"), &json!("doing"), &json!(2))
    );
    assert_eq!(
        (&updated["priority"], &updated["due"]),
        (&json!(4), &json!("2031-05-01")),
        "what the patch leaves out stays"
    );

    // A writer that read version 1 is too late.
    let reply = api
        .patch(&path, Some("1"), json!({"title": "Lost update"}))
        .await;
    reply.expect_error(StatusCode::PRECONDITION_FAILED, "version_mismatch");
    let stored = api.get(&path).await;
    let stored = stored.expect(StatusCode::OK);
    assert_eq!(
        (&stored["title"], &stored["version"]),
        (&json!("Final"), &json!(2))
    );

    // `null` clears the due date; a bare number is accepted as If-Match too.
    let reply = api.patch(&path, Some("2"), json!({"due": null})).await;
    let cleared = reply.expect(StatusCode::OK);
    assert_eq!(
        (&cleared["due"], &cleared["version"]),
        (&Value::Null, &json!(3))
    );
    assert_eq!(cleared["title"], "Final");

    // A patch that changes nothing writes nothing, but still needs the current version.
    api.patch(&path, Some("2"), json!({}))
        .await
        .expect_error(StatusCode::PRECONDITION_FAILED, "version_mismatch");
    let reply = api.patch(&path, Some("3"), json!({"title": "Final"})).await;
    assert_eq!(reply.expect(StatusCode::OK)["version"], 3);
    assert_eq!(reply.header("etag"), Some("\"3\""));

    let reply = api
        .patch(&path, Some("3"), json!({"status": "done", "priority": 5}))
        .await;
    let done = reply.expect(StatusCode::OK);
    assert_eq!(
        (&done["status"], &done["priority"], &done["version"]),
        (&json!("done"), &json!(5), &json!(4))
    );
    assert_eq!(reply.header("etag"), Some("\"4\""));
}

async fn soft_delete_and_restore(api: &Api) {
    let w = world(api, "eve").await;
    let task = create_task(
        api,
        json!({"project_id": w.project, "title": "Disposable", "tag_ids": [w.tags[2]]}),
    )
    .await;
    let other = create_task(api, json!({"project_id": w.project, "title": "Kept"})).await;
    let path = format!("/tasks/{}", id(&task));
    api.post(
        &format!("{path}/comments"),
        json!({"author_id": w.user, "body": "still here"}),
    )
    .await
    .expect(StatusCode::CREATED);

    // A delete may name the version it deletes.
    api.delete(&path, Some("\"9\""))
        .await
        .expect_error(StatusCode::PRECONDITION_FAILED, "version_mismatch");
    api.get(&path).await.expect(StatusCode::OK);

    let reply = api.delete(&path, Some("\"1\"")).await;
    assert_eq!(
        reply.expect(StatusCode::NO_CONTENT),
        &Value::Null,
        "no body"
    );
    api.get(&path)
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    let list = api.get(&format!("/tasks?project_id={}", w.project)).await;
    assert_eq!(page_ids(list.expect(StatusCode::OK)), [id(&other)]);
    api.patch(&path, Some("2"), json!({"title": "zombie"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    api.post(
        &format!("{path}/comments"),
        json!({"author_id": w.user, "body": "anyone?"}),
    )
    .await
    .expect_error(StatusCode::NOT_FOUND, "not_found");
    api.delete(&path, None)
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");

    // Restored with its tags and comments; the delete and the restore each bumped the version.
    let reply = api.post(&format!("{path}/restore"), json!({})).await;
    let restored = reply.expect(StatusCode::OK);
    assert_eq!(restored["version"], 3);
    assert_eq!(reply.header("etag"), Some("\"3\""));
    let reply = api.get(&path).await;
    let detail = reply.expect(StatusCode::OK);
    assert_eq!(detail["title"], "Disposable");
    assert_eq!(detail["tags"][0]["name"], "eve-ui");
    assert_eq!(detail["comments"][0]["body"], "still here");
    let list = api.get(&format!("/tasks?project_id={}", w.project)).await;
    assert_eq!(
        page_ids(list.expect(StatusCode::OK)),
        [id(&task), id(&other)]
    );

    api.post(&format!("{path}/restore"), json!({}))
        .await
        .expect_error(StatusCode::CONFLICT, "not_deleted");
}

/// Walk `GET /tasks?<query>` page by page; returns the ids and the page sizes.
async fn walk(api: &Api, query: &str) -> (Vec<i64>, Vec<usize>) {
    let mut ids = Vec::new();
    let mut sizes = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/tasks?{query}&cursor={cursor}"),
            None => format!("/tasks?{query}"),
        };
        let reply = api.get(&path).await;
        let page = reply.expect(StatusCode::OK);
        let page_ids = page_ids(page);
        sizes.push(page_ids.len());
        ids.extend(page_ids);
        assert!(sizes.len() <= 400, "the walk does not end");
        match &page["next_cursor"] {
            Value::Null => return (ids, sizes),
            Value::String(next) => cursor = Some(next.clone()),
            other => panic!("next_cursor is {other}"),
        }
    }
}

async fn pagination_walks_300_tasks_once_in_order(api: &Api) {
    let w = world(api, "fay").await;
    let second = api
        .post("/projects", json!({"owner_id": w.user, "name": "second"}))
        .await;
    let projects = [w.project, id(second.expect(StatusCode::CREATED))];
    let statuses = ["todo", "doing", "done"];
    let mut created: Vec<(i64, i64, &str)> = Vec::new();
    for i in 0..300_usize {
        let (project, status) = (projects[i % 2], statuses[i % 3]);
        let task = create_task(
            api,
            json!({"project_id": project, "title": format!("task {i}"), "status": status}),
        )
        .await;
        created.push((id(&task), project, status));
    }
    let all: Vec<i64> = created.iter().map(|(id, _, _)| *id).collect();
    let mut sorted = all.clone();
    sorted.sort_unstable();
    assert_eq!(all, sorted, "ids grow");

    let (ids, sizes) = walk(api, "limit=7").await;
    assert_eq!(ids, all, "every task exactly once, in id order");
    assert_eq!(sizes.len(), 43);
    assert!(sizes[..42].iter().all(|&n| n == 7), "{sizes:?}");
    assert_eq!(sizes[42], 6);

    // A last page that is exactly full still ends the walk.
    let (ids, sizes) = walk(api, "limit=100").await;
    assert_eq!((ids, sizes), (all.clone(), vec![100, 100, 100]));

    // The default page size, then filters.
    let first = api.get("/tasks").await;
    assert_eq!(page_ids(first.expect(StatusCode::OK)).len(), 50);
    let (ids, _) = walk(
        api,
        &format!("project_id={}&status=doing&limit=10", projects[1]),
    )
    .await;
    let expected: Vec<i64> = created
        .iter()
        .filter(|(_, project, status)| *project == projects[1] && *status == "doing")
        .map(|(id, _, _)| *id)
        .collect();
    assert_eq!(expected.len(), 50);
    assert_eq!(ids, expected);

    // Deleted tasks drop out of the pages.
    for id in &all[..5] {
        api.delete(&format!("/tasks/{id}"), None)
            .await
            .expect(StatusCode::NO_CONTENT);
    }
    let (ids, _) = walk(api, "limit=100").await;
    assert_eq!(ids, all[5..]);
}

async fn twenty_concurrent_patches_one_wins(api: &Api) {
    let w = world(api, "gus").await;
    let task = create_task(api, json!({"project_id": w.project, "title": "Contended"})).await;
    let path = format!("/tasks/{}", id(&task));
    let barrier = tokio::sync::Barrier::new(20);
    let writers = (0..20).map(|i| {
        let (path, barrier) = (&path, &barrier);
        async move {
            barrier.wait().await;
            let reply = api
                .patch(path, Some("\"1\""), json!({"title": format!("writer {i}")}))
                .await;
            (i, reply)
        }
    });
    // All twenty in flight at once, each on its own connection.
    let replies = futures_util::future::join_all(writers).await;
    let winners: Vec<&(usize, Reply)> = replies
        .iter()
        .filter(|(_, reply)| reply.status == StatusCode::OK)
        .collect();
    let losers = replies
        .iter()
        .filter(|(_, reply)| reply.status == StatusCode::PRECONDITION_FAILED)
        .count();
    let statuses: Vec<u16> = replies.iter().map(|(_, r)| r.status.as_u16()).collect();
    assert_eq!((winners.len(), losers), (1, 19), "{statuses:?}");
    for (_, reply) in &replies {
        if reply.status == StatusCode::PRECONDITION_FAILED {
            reply.expect_error(StatusCode::PRECONDITION_FAILED, "version_mismatch");
        }
    }
    // Each loser was refused by the versioned `UPDATE` itself, after reading the task: more
    // than one statement.
    for (_, reply) in &replies {
        if reply.status == StatusCode::PRECONDITION_FAILED {
            assert!(reply.statements() > 1, "{}", reply.statements());
        }
    }
    let (winner, reply) = winners[0];
    assert_eq!(reply.header("etag"), Some("\"2\""));

    let stored = api.get(&path).await;
    let stored = stored.expect(StatusCode::OK);
    assert_eq!(stored["version"], 2, "exactly one write happened");
    assert_eq!(stored["title"], format!("writer {winner}"));
}

async fn the_detail_costs_three_statements_whatever_it_holds(api: &Api) {
    // Below HTTP: the repository's detail under orm's statement counter (N+1 loads fail).
    let repo = api.repository().await;
    let user = repo
        .create_user(orm_tasks_api::domain::NewUser {
            email: "hal@example.com".into(),
            name: "Hal".into(),
        })
        .await
        .expect("user");
    let project = repo
        .create_project(orm_tasks_api::domain::NewProject {
            owner_id: user.id,
            name: "counted".into(),
        })
        .await
        .expect("project");
    let mut tag_ids = Vec::new();
    for name in ["a", "b", "c", "d"] {
        let tag = repo
            .create_tag(orm_tasks_api::domain::NewTag {
                name: format!("hal-{name}"),
            })
            .await
            .expect("tag");
        tag_ids.push(tag.id);
    }
    let mut shapes = Vec::new();
    for (tags, comments) in [(0, 0), (1, 1), (4, 12)] {
        let task = repo
            .create_task(CreateTask {
                project_id: project.id,
                title: format!("{tags} tags, {comments} comments"),
                status: None,
                priority: None,
                due: None,
                tag_ids: tag_ids[..tags].to_vec(),
            })
            .await
            .expect("task");
        for n in 0..comments {
            repo.add_comment(
                task.id,
                CreateComment {
                    author_id: user.id,
                    body: format!("comment {n}"),
                },
            )
            .await
            .expect("comment");
        }
        let (detail, log) = orm::guard::count_statements(repo.task_detail(task.id)).await;
        let detail = detail.expect("detail");
        log.assert_count(3);
        assert_eq!(detail.tags.get().expect("tags loaded").len(), tags);
        assert_eq!(
            detail.comments.get().expect("comments loaded").len(),
            comments
        );
        shapes.push(log.statements().to_vec());

        // And over HTTP, the same count.
        let reply = api.get(&format!("/tasks/{}", task.id)).await;
        reply.expect(StatusCode::OK);
        assert_eq!(reply.statements(), 3);
    }
    assert!(
        shapes.windows(2).all(|pair| pair[0] == pair[1]),
        "the same three statements, whatever the task holds"
    );

    // A page is one statement.
    let (page, log) = orm::guard::count_statements(repo.list_tasks(TaskFilter {
        project_id: Some(project.id),
        limit: 2,
        ..TaskFilter::default()
    }))
    .await;
    let page = page.expect("page");
    log.assert_count(1);
    assert_eq!(page.tasks.len(), 2);
    assert_eq!(page.next_after, Some(page.tasks[1].id));
}

async fn migrations_match_the_models_and_start_up_is_idempotent(api: &Api) {
    // A second start applies nothing and finds everything in place.
    let app = orm_tasks_api::app(&api.url).await;
    assert!(app.is_ok(), "a restart migrates nothing: {:?}", app.err());
    let db = orm_tasks_api::connect(&api.url).await.expect("connect");
    let migrator = Migrator::new(orm_tasks_api::migrations().expect("embedded"));
    let applied: Vec<String> = migrator
        .applied(&db)
        .await
        .expect("history")
        .into_iter()
        .map(|a| a.revision)
        .collect();
    assert_eq!(applied, ["0001_create_tables"]);
    let drift = migrator
        .check(&db, &orm_tasks_api::domain::schema(), &Renames::default())
        .await
        .expect("check");
    assert!(
        drift.is_empty(),
        "the migrations create exactly what the models declare: {:?}",
        drift.operations
    );
}

// ---------------------------------------------------------------------------------------
// Every scenario on every backend.

macro_rules! on_every_backend {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    let api = super::Api::start(super::Backend::Sqlite).await.expect("SQLite");
                    super::$scenario(&api).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    let Some(api) = super::Api::start(super::Backend::Postgres).await else {
                        return;
                    };
                    super::$scenario(&api).await;
                }
            )*
        }
    };
}

on_every_backend!(
    creates_and_reads_a_task_with_tags_and_comments,
    bad_input_is_refused_with_every_field_named,
    conflicts_and_missing_references,
    patch_needs_if_match_and_refuses_stale_versions,
    soft_delete_and_restore,
    pagination_walks_300_tasks_once_in_order,
    twenty_concurrent_patches_one_wins,
    the_detail_costs_three_statements_whatever_it_holds,
    migrations_match_the_models_and_start_up_is_idempotent,
);
