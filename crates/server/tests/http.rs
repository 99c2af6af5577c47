//! Black-box tests through the real router, on every backend under test, each on a fresh
//! database: the API's answers and errors, sign-in, CSRF, tokens, the audit trail, and the
//! authorisation matrix (every endpoint × every role).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use socialgov_domain::{Action, Role};
use socialgov_server::accounts::{self, Actor, UserRequest};
use socialgov_server::config::Config;
use socialgov_server::{AppState, router};
use socialgov_store::scratch::{Scratch, backends, scratch};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";

struct TestApp {
    router: Router,
    state: AppState,
    _scratch: Scratch,
}

/// A signed-in browser: its cookie and CSRF token.
#[derive(Clone)]
struct Browser {
    cookie: String,
    csrf: String,
    user_id: i64,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl TestApp {
    async fn new(backend: socialgov_store::Backend) -> TestApp {
        let scratch = scratch(backend).await.unwrap();
        let config = Config {
            max_body_bytes: 64 * 1024,
            login_max_failures: 3,
            assets_dir: concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../web/node_modules/nhsuk-frontend/dist/nhsuk"
            )
            .into(),
            ..Config::default()
        };
        let state = AppState::with_store(config, scratch.store.clone()).unwrap();
        TestApp {
            router: router(state.clone()),
            state,
            _scratch: scratch,
        }
    }

    async fn add_user(&self, name: &str, roles: &[Role]) -> i64 {
        let req = UserRequest {
            username: name.into(),
            display_name: format!("Test {name}"),
            email: None,
            password: Some(PASSWORD.into()),
            department_id: None,
            manager_id: None,
            roles: roles.iter().copied().collect(),
        };
        accounts::create_user(&self.state.store, &Actor::system(), req, 1)
            .await
            .unwrap()
            .id
    }

    async fn sign_in(&self, name: &str, roles: &[Role]) -> Browser {
        let user_id = self.add_user(name, roles).await;
        let s = accounts::sign_in(
            &self.state.store,
            &self.state.config,
            name,
            PASSWORD,
            socialgov_server::now_ms(),
        )
        .await
        .unwrap();
        Browser {
            cookie: format!("socialgov_session={}", s.secret),
            csrf: s.csrf,
            user_id,
        }
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A JSON API call as a browser session (with its CSRF header), a token, or nobody.
    async fn api(&self, method: &str, path: &str, who: Who<'_>, body: Option<Value>) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        match who {
            Who::Browser(b) => {
                req = req
                    .header(header::COOKIE, &b.cookie)
                    .header("x-csrf-token", &b.csrf);
            }
            Who::Token(t) => req = req.header(header::AUTHORIZATION, format!("Bearer {t}")),
            Who::Nobody => {}
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }

    /// A page, or a form post with the session's CSRF token added.
    async fn page(
        &self,
        method: &str,
        path: &str,
        who: Option<&Browser>,
        form: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        let mut fields: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        if let Some(b) = who {
            req = req.header(header::COOKIE, &b.cookie);
            if method == "POST" {
                fields.push(("csrf".into(), b.csrf.clone()));
            }
        }
        let body = if method == "POST" {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(serde_urlencoded_pairs(&fields))
        } else {
            Body::empty()
        };
        self.send(req.body(body).unwrap()).await
    }
}

fn serde_urlencoded_pairs(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Who<'a> {
    Browser(&'a Browser),
    Token(&'a str),
    Nobody,
}

macro_rules! on_every_backend {
    (|$app:ident| $body:block) => {{
        for backend in backends().unwrap() {
            let $app = TestApp::new(backend).await;
            $body
        }
    }};
}

const POST: &str = "Mrs Smith in bed 4, NHS number 943 476 5919, is a f*cking nightmare";

#[tokio::test]
async fn check_answers_like_the_command_line() {
    on_every_backend!(|app| {
        let nurse = app.sign_in("nurse", &[Role::Staff]).await;
        let reply = app
            .api(
                "POST",
                "/api/v1/check",
                Who::Browser(&nurse),
                Some(json!({"text": POST})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let body = reply.json();
        assert_eq!(body["pack"], "nhs-baseline");
        assert_eq!(body["blocked"], true);
        let scanner = app.state.packs.get(None).unwrap();
        let expected: Vec<Value> = scanner
            .check(POST)
            .iter()
            .map(|f| serde_json::to_value(socialgov_server::api::FindingBody::from(f)).unwrap())
            .collect();
        assert_eq!(body["findings"], Value::Array(expected));
        let kinds: BTreeSet<&str> = body["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains("nhs_number") && kinds.contains("offensive_word"),
            "{kinds:?}"
        );
        for f in body["findings"].as_array().unwrap() {
            for key in [
                "category", "rule", "severity", "kind", "start", "end", "message", "clause",
            ] {
                assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
            }
        }

        let reply = app
            .api(
                "POST",
                "/api/v1/check",
                Who::Browser(&nurse),
                Some(json!({"text": POST, "pack": "tsdft"})),
            )
            .await;
        assert_eq!(reply.json()["pack"], "tsdft");
        assert!(
            reply.json()["findings"][0]["clause"]
                .as_str()
                .unwrap()
                .contains("tsdft")
        );

        let reply = app
            .api(
                "POST",
                "/api/v1/redact",
                Who::Browser(&nurse),
                Some(json!({"text": POST})),
            )
            .await;
        let redacted = reply.json()["text"].as_str().unwrap().to_owned();
        assert!(
            redacted.contains("[NHS NUMBER]") && !redacted.contains("943 476 5919"),
            "{redacted}"
        );
    });
}

#[tokio::test]
async fn client_mistakes_get_clear_errors_never_500() {
    on_every_backend!(|app| {
        let nurse = app.sign_in("nurse", &[Role::Staff]).await;
        let b = Who::Browser(&nurse);
        let cases: Vec<(Request<Body>, StatusCode, &str, &str)> = vec![
            (
                raw("POST", "/api/v1/check", &nurse, "{not json"),
                StatusCode::BAD_REQUEST,
                "bad_request",
                "not valid JSON",
            ),
            (
                raw("POST", "/api/v1/check", &nurse, r#"{"txt": "x"}"#),
                StatusCode::BAD_REQUEST,
                "bad_request",
                "txt",
            ),
            (
                raw("POST", "/api/v1/check", &nurse, r#"{"pack": "x"}"#),
                StatusCode::BAD_REQUEST,
                "bad_request",
                "text",
            ),
            (
                raw("POST", "/api/v1/check", &nurse, r#"{"text": 5}"#),
                StatusCode::BAD_REQUEST,
                "bad_request",
                "text",
            ),
            (
                raw(
                    "POST",
                    "/api/v1/check",
                    &nurse,
                    r#"{"text": "x", "pack": "nope"}"#,
                ),
                StatusCode::BAD_REQUEST,
                "bad_request",
                "pack",
            ),
            (
                raw(
                    "POST",
                    "/api/v1/check",
                    &nurse,
                    &format!(r#"{{"text": "{}"}}"#, "a".repeat(70_000)),
                ),
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "larger",
            ),
            (
                raw("GET", "/api/v1/nothing", &nurse, ""),
                StatusCode::NOT_FOUND,
                "not_found",
                "endpoint",
            ),
        ];
        for (request, status, code, mentions) in cases {
            let reply = app.send(request).await;
            assert_eq!(reply.status, status, "{}", reply.body);
            assert_eq!(reply.json()["error"], code, "{}", reply.body);
            assert!(
                reply.json()["message"].as_str().unwrap().contains(mentions),
                "{}",
                reply.body
            );
        }
        for (method, path, status, mentions) in [
            (
                "PATCH",
                "/api/v1/users/abc",
                StatusCode::BAD_REQUEST,
                "path",
            ),
            (
                "GET",
                "/api/v1/audit?limit=lots",
                StatusCode::BAD_REQUEST,
                "limit",
            ),
            (
                "GET",
                "/api/v1/check",
                StatusCode::METHOD_NOT_ALLOWED,
                "method",
            ),
        ] {
            let reply = app.send(raw(method, path, &nurse, "{}")).await;
            assert_eq!(reply.status, status, "{method} {path}: {}", reply.body);
            assert!(
                reply.json()["message"].as_str().unwrap().contains(mentions),
                "{}",
                reply.body
            );
        }
        // A session without its CSRF token cannot post.
        let mut no_csrf = Request::builder()
            .method("POST")
            .uri("/api/v1/check")
            .header(header::COOKIE, &nurse.cookie);
        no_csrf = no_csrf.header(header::CONTENT_TYPE, "application/json");
        let reply = app
            .send(no_csrf.body(Body::from(r#"{"text":"x"}"#)).unwrap())
            .await;
        assert_eq!(
            (reply.status, reply.json()["error"].clone()),
            (StatusCode::FORBIDDEN, json!("csrf"))
        );
        let reply = app
            .api(
                "POST",
                "/api/v1/check",
                Who::Nobody,
                Some(json!({"text": "x"})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        let reply = app
            .api(
                "POST",
                "/api/v1/check",
                Who::Token("sgv_forged"),
                Some(json!({"text": "x"})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        let _ = b;
    });
}

fn raw(method: &str, path: &str, b: &Browser, body: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, &b.cookie)
        .header("x-csrf-token", &b.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn signing_in_out_and_the_rate_limit() {
    on_every_backend!(|app| {
        app.add_user("nurse", &[Role::Staff]).await;
        // The login form sets a double-submit cookie its post must echo.
        let form = app.page("GET", "/login", None, &[]).await;
        assert_eq!(form.status, StatusCode::OK);
        let cookie = form
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let token = cookie.split_once('=').unwrap().1.to_owned();
        let login = |password: &'static str, token: String, cookie: String| {
            Request::builder()
                .method("POST")
                .uri("/login")
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "csrf={token}&username=nurse&password={}",
                    urlencode(password)
                )))
                .unwrap()
        };
        let ok = app
            .send(login(PASSWORD, token.clone(), cookie.clone()))
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let session = ok
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("socialgov_session="))
            .unwrap();
        assert!(
            session.contains("HttpOnly") && session.contains("SameSite=Lax"),
            "{session}"
        );
        let no_csrf = app
            .send(login(PASSWORD, "forged".into(), cookie.clone()))
            .await;
        assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
        for _ in 0..3 {
            let wrong = app
                .send(login("wrong password!!", token.clone(), cookie.clone()))
                .await;
            assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
            assert!(wrong.body.contains("nhsuk-error-summary"));
        }
        let limited = app
            .send(login(PASSWORD, token.clone(), cookie.clone()))
            .await;
        assert_eq!(
            limited.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the right password is refused too while limited"
        );
        let failed = app
            .state
            .store
            .audit_entries(
                &socialgov_store::AuditFilter {
                    action_prefix: Some("session.login_".into()),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .unwrap();
        assert_eq!(
            failed
                .iter()
                .filter(|r| r.entry.action == "session.login_failed")
                .count(),
            3
        );
        assert_eq!(
            failed
                .iter()
                .filter(|r| r.entry.action == "session.login_refused")
                .count(),
            1
        );

        // Log out ends the session; log out everywhere ends them all.
        let a = app.sign_in("porter", &[Role::Staff]).await;
        let s2 = accounts::sign_in(&app.state.store, &app.state.config, "porter", PASSWORD, 2)
            .await
            .unwrap();
        let b = Browser {
            cookie: format!("socialgov_session={}", s2.secret),
            csrf: s2.csrf,
            user_id: a.user_id,
        };
        assert_eq!(
            app.page("GET", "/", Some(&a), &[]).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.page("POST", "/logout-everywhere", Some(&a), &[])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        for browser in [&a, &b] {
            let home = app.page("GET", "/", Some(browser), &[]).await;
            assert_eq!(
                (
                    home.status,
                    home.headers
                        .get(header::LOCATION)
                        .unwrap()
                        .to_str()
                        .unwrap()
                ),
                (StatusCode::SEE_OTHER, "/login")
            );
        }
    });
}

#[tokio::test]
async fn tokens_are_scoped_revocable_and_die_with_their_owner() {
    on_every_backend!(|app| {
        let admin = app.sign_in("admin", &[Role::Administrator]).await;
        app.add_user("intranet", &[Role::Staff]).await;
        let reply = app.api("POST", "/api/v1/tokens", Who::Browser(&admin), Some(json!({"owner": "intranet", "name": "intranet plug-in", "scopes": ["check_post"]}))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let token = reply.json()["token"].as_str().unwrap().to_owned();
        let id = reply.json()["id"].as_i64().unwrap();
        let check = app
            .api(
                "POST",
                "/api/v1/check",
                Who::Token(&token),
                Some(json!({"text": POST})),
            )
            .await;
        assert_eq!(check.status, StatusCode::OK, "a token needs no CSRF header");
        assert_eq!(
            app.api("GET", "/api/v1/users", Who::Token(&token), None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let bad_scope = app
            .api(
                "POST",
                "/api/v1/tokens",
                Who::Browser(&admin),
                Some(json!({"owner": "intranet", "name": "x", "scopes": ["root"]})),
            )
            .await;
        assert!(
            bad_scope.status == StatusCode::BAD_REQUEST && bad_scope.body.contains("root"),
            "{}",
            bad_scope.body
        );
        let revoke = app
            .api(
                "DELETE",
                &format!("/api/v1/tokens/{id}"),
                Who::Browser(&admin),
                None,
            )
            .await;
        assert_eq!(revoke.status, StatusCode::NO_CONTENT);
        assert_eq!(
            app.api(
                "POST",
                "/api/v1/check",
                Who::Token(&token),
                Some(json!({"text": "x"}))
            )
            .await
            .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.api(
                "DELETE",
                &format!("/api/v1/tokens/{id}"),
                Who::Browser(&admin),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        let listed = app
            .api("GET", "/api/v1/tokens", Who::Browser(&admin), None)
            .await
            .json();
        assert_eq!(listed[0]["name"], "intranet plug-in");
        assert!(listed[0]["revoked_at"].is_i64());
        assert!(!listed.to_string().contains(&token));
        // The secret is never stored: only its hash.
        let all = app
            .state
            .store
            .audit_entries(&Default::default(), 100, 0)
            .await
            .unwrap();
        assert!(all.iter().all(|r| !format!("{r:?}").contains(&token)));
    });
}

#[tokio::test]
async fn every_change_is_audited_and_the_chain_verifies() {
    on_every_backend!(|app| {
        let admin = app.sign_in("admin", &[Role::Administrator]).await;
        let created = app.api("POST", "/api/v1/users", Who::Browser(&admin), Some(json!({"username": "Bob.Jones", "display_name": "Bob Jones", "password": PASSWORD, "roles": ["staff"]}))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.json()["username"], "bob.jones");
        let id = created.json()["id"].as_i64().unwrap();
        let dup = app
            .api(
                "POST",
                "/api/v1/users",
                Who::Browser(&admin),
                Some(json!({"username": "bob.jones", "display_name": "B", "roles": []})),
            )
            .await;
        assert_eq!(
            (dup.status, dup.json()["error"].clone()),
            (StatusCode::CONFLICT, json!("conflict"))
        );
        let weak = app.api("POST", "/api/v1/users", Who::Browser(&admin), Some(json!({"username": "weak", "display_name": "W", "password": "short", "roles": []}))).await;
        assert!(weak.status == StatusCode::BAD_REQUEST && weak.body.contains("12 characters"));
        let roles = app
            .api(
                "PATCH",
                &format!("/api/v1/users/{id}"),
                Who::Browser(&admin),
                Some(json!({"roles": ["staff", "pals"]})),
            )
            .await;
        assert_eq!(roles.json()["roles"], json!(["staff", "pals"]));
        assert_eq!(
            roles.json()["display_name"],
            "Bob Jones",
            "fields not sent are kept"
        );
        let bad_role = app
            .api(
                "PATCH",
                &format!("/api/v1/users/{id}"),
                Who::Browser(&admin),
                Some(json!({"roles": ["king"]})),
            )
            .await;
        assert!(bad_role.status == StatusCode::BAD_REQUEST && bad_role.body.contains("king"));

        let audit = app
            .api(
                "GET",
                "/api/v1/audit?action=user.",
                Who::Browser(&admin),
                None,
            )
            .await
            .json();
        let actions: Vec<&str> = audit
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(&actions[..2], ["user.update", "user.create"]);
        let update = &audit[0];
        assert_eq!(update["actor"], "admin");
        assert!(
            update["before"].as_str().unwrap().contains("\"staff\"]")
                && update["after"].as_str().unwrap().contains("pals")
        );
        assert!(
            !audit.to_string().contains("argon2"),
            "no password hash in the audit log"
        );

        let csv = app.page("GET", "/admin/audit.csv", Some(&admin), &[]).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.body.starts_with("seq,at_utc,actor,action") && csv.body.contains("user.update")
        );
        let today = socialgov_server::dates::format_time(socialgov_server::now_ms());
        let today = today.split(' ').next().unwrap();
        let dated = app
            .page(
                "GET",
                &format!("/admin/audit?action=user.&from={today}&to={today}"),
                Some(&admin),
                &[],
            )
            .await;
        assert!(
            dated.status == StatusCode::OK && dated.body.contains("user.update"),
            "{}",
            dated.status
        );
        let before = app
            .page(
                "GET",
                "/admin/audit?action=user.&to=2001-01-01",
                Some(&admin),
                &[],
            )
            .await;
        assert!(!before.body.contains("user.update"));
        let bad = app
            .page("GET", "/admin/audit?from=yesterday", Some(&admin), &[])
            .await;
        assert!(bad.status == StatusCode::BAD_REQUEST && bad.body.contains("YYYY-MM-DD"));
        let exports = app
            .api(
                "GET",
                "/api/v1/audit?action=audit.export",
                Who::Browser(&admin),
                None,
            )
            .await
            .json();
        assert_eq!(
            exports.as_array().unwrap().len(),
            1,
            "the export itself is audited"
        );
        assert!(app.state.store.verify_audit().await.unwrap().is_ok());
    });
}

#[tokio::test]
async fn departments_and_line_managers_are_checked() {
    on_every_backend!(|app| {
        let admin = app.sign_in("admin", &[Role::Administrator]).await;
        let b = Who::Browser(&admin);
        let trust = app
            .api(
                "POST",
                "/api/v1/departments",
                b,
                Some(json!({"name": "Nursing"})),
            )
            .await;
        assert_eq!(trust.status, StatusCode::CREATED, "{}", trust.body);
        let nursing = trust.json()["id"].as_i64().unwrap();
        let ward = app
            .api(
                "POST",
                "/api/v1/departments",
                b,
                Some(json!({"name": "Ward 7", "parent_id": nursing})),
            )
            .await;
        assert_eq!(ward.json()["parent_id"], nursing);
        let orphan = app
            .api(
                "POST",
                "/api/v1/departments",
                b,
                Some(json!({"name": "Lost", "parent_id": 999})),
            )
            .await;
        assert!(
            orphan.status == StatusCode::BAD_REQUEST && orphan.body.contains("parent_id"),
            "{}",
            orphan.body
        );
        let dup = app
            .api(
                "POST",
                "/api/v1/departments",
                b,
                Some(json!({"name": "Nursing"})),
            )
            .await;
        assert_eq!(dup.status, StatusCode::CONFLICT);

        let boss = app.add_user("boss", &[Role::LineManager]).await;
        let nurse = app.add_user("nurse", &[Role::Staff]).await;
        let set = app
            .api(
                "PATCH",
                &format!("/api/v1/users/{nurse}"),
                b,
                Some(json!({"manager_id": boss, "department_id": nursing})),
            )
            .await;
        assert_eq!(
            (
                set.json()["manager_id"].as_i64(),
                set.json()["department_id"].as_i64()
            ),
            (Some(boss), Some(nursing))
        );
        let cycle = app
            .api(
                "PATCH",
                &format!("/api/v1/users/{boss}"),
                b,
                Some(json!({"manager_id": nurse})),
            )
            .await;
        assert!(
            cycle.status == StatusCode::BAD_REQUEST && cycle.body.contains("own line manager"),
            "{}",
            cycle.body
        );
        let me = app
            .api(
                "PATCH",
                &format!("/api/v1/users/{boss}"),
                b,
                Some(json!({"manager_id": boss})),
            )
            .await;
        assert_eq!(me.status, StatusCode::BAD_REQUEST);
        let ghost = app
            .api(
                "PATCH",
                &format!("/api/v1/users/{nurse}"),
                b,
                Some(json!({"department_id": 999})),
            )
            .await;
        assert!(ghost.status == StatusCode::BAD_REQUEST && ghost.body.contains("department_id"));
        let cleared = app
            .api(
                "PATCH",
                &format!("/api/v1/users/{nurse}"),
                b,
                Some(json!({"manager_id": null})),
            )
            .await;
        assert_eq!(cleared.json()["manager_id"], Value::Null);
        assert_eq!(
            cleared.json()["department_id"],
            nursing,
            "absent fields are kept"
        );
        let new = app
            .api(
                "POST",
                "/api/v1/users",
                b,
                Some(
                    json!({"username": "x1", "display_name": "X", "roles": [], "manager_id": 999}),
                ),
            )
            .await;
        assert!(
            new.status == StatusCode::BAD_REQUEST && new.body.contains("manager_id"),
            "{}",
            new.body
        );
        let missing = app
            .api("PATCH", "/api/v1/users/999", b, Some(json!({"roles": []})))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    });
}

#[tokio::test]
async fn the_checker_page_works_without_javascript() {
    on_every_backend!(|app| {
        let nurse = app.sign_in("nurse", &[Role::Staff]).await;
        let page = app
            .page(
                "POST",
                "/check",
                Some(&nurse),
                &[("text", POST), ("pack", "mtw"), ("action", "check")],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains(r#"<mark class="sg-mark sg-block""#),
            "{}",
            page.body
        );
        assert!(page.body.contains("problems found") && page.body.contains("Policy: mtw"));
        let redacted = app
            .page(
                "POST",
                "/check",
                Some(&nurse),
                &[("text", POST), ("action", "redact")],
            )
            .await;
        assert!(redacted.body.contains("[NHS NUMBER]") && !redacted.body.contains("943 476 5919"));
        let forged = app.page("POST", "/check", None, &[("text", POST)]).await;
        assert_eq!(forged.status, StatusCode::SEE_OTHER);
        let mut req = Request::builder()
            .method("POST")
            .uri("/check")
            .header(header::COOKIE, &nurse.cookie);
        req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        let no_token = app
            .send(req.body(Body::from("text=hi&csrf=wrong")).unwrap())
            .await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    });
}

/// Every endpoint, the action it needs, and a request that would succeed for someone allowed.
fn endpoints(victim: i64) -> Vec<(&'static str, String, Option<Value>, Action, bool)> {
    let api = true;
    let page = false;
    vec![
        (
            "POST",
            "/api/v1/check".into(),
            Some(json!({"text": "hello"})),
            Action::CheckPost,
            api,
        ),
        (
            "POST",
            "/api/v1/redact".into(),
            Some(json!({"text": "hello"})),
            Action::CheckPost,
            api,
        ),
        ("GET", "/api/v1/packs".into(), None, Action::CheckPost, api),
        ("GET", "/api/v1/roles".into(), None, Action::CheckPost, api),
        ("GET", "/api/v1/users".into(), None, Action::ViewUsers, api),
        (
            "POST",
            "/api/v1/users".into(),
            Some(json!({"username": "new.person", "display_name": "New", "roles": []})),
            Action::ManageUsers,
            api,
        ),
        (
            "PATCH",
            format!("/api/v1/users/{victim}"),
            Some(json!({"roles": ["staff"]})),
            Action::ManageUsers,
            api,
        ),
        (
            "GET",
            "/api/v1/departments".into(),
            None,
            Action::ViewUsers,
            api,
        ),
        (
            "POST",
            "/api/v1/departments".into(),
            Some(json!({"name": "Dept"})),
            Action::ManageUsers,
            api,
        ),
        ("GET", "/api/v1/audit".into(), None, Action::ViewAudit, api),
        (
            "POST",
            "/api/v1/tokens".into(),
            Some(json!({"owner": "victim", "name": "t", "scopes": ["check_post"]})),
            Action::ManageApiTokens,
            api,
        ),
        (
            "DELETE",
            "/api/v1/tokens/999999".into(),
            None,
            Action::ManageApiTokens,
            api,
        ),
        (
            "GET",
            "/api/v1/tokens".into(),
            None,
            Action::ManageApiTokens,
            api,
        ),
        (
            "GET",
            "/api/v1/channels".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "POST",
            "/api/v1/channels".into(),
            Some(json!({"form": {"service": "Estates"}})),
            Action::RequestChannel,
            api,
        ),
        (
            "GET",
            "/api/v1/channels/999999".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "PUT",
            "/api/v1/channels/999999/form".into(),
            Some(json!({"form": {}})),
            Action::RequestChannel,
            api,
        ),
        (
            "POST",
            "/api/v1/channels/999999/events".into(),
            Some(json!({"event": "submit"})),
            Action::RequestChannel,
            api,
        ),
        (
            "POST",
            "/api/v1/training".into(),
            Some(json!({"user_id": victim, "kind": "induction", "completed_on": "2026-01-01"})),
            Action::ManageRegister,
            api,
        ),
        (
            "GET",
            "/api/v1/notifications".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "GET",
            "/api/v1/register".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "GET",
            "/api/v1/register.csv".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "POST",
            "/api/v1/training/import".into(),
            Some(
                json!({"csv": "Email,Completed\n", "mapping": {"person": "Email", "completed": "Completed", "kind": "induction"}, "dry_run": true}),
            ),
            Action::ManageRegister,
            api,
        ),
        (
            "PUT",
            "/api/v1/channels/999999/editors".into(),
            Some(json!({"editors": []})),
            Action::RequestChannel,
            api,
        ),
        (
            "POST",
            "/channels/999999/editors".into(),
            Some(json!({})),
            Action::RequestChannel,
            page,
        ),
        (
            "GET",
            "/api/v1/channels/999999/images".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "POST",
            "/api/v1/channels/999999/images".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "GET",
            "/api/v1/channels/999999/images/999999".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "DELETE",
            "/api/v1/channels/999999/images/999999".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "POST",
            "/channels/999999/images".into(),
            Some(json!({})),
            Action::RequestChannel,
            page,
        ),
        (
            "GET",
            "/channels/999999/images/999999".into(),
            None,
            Action::RequestChannel,
            page,
        ),
        (
            "POST",
            "/channels/999999/images/999999/remove".into(),
            Some(json!({})),
            Action::RequestChannel,
            page,
        ),
        (
            "POST",
            "/api/v1/imposters".into(),
            Some(json!({"platform": "x", "handle": "@fake_trust", "details": "Uses our logo"})),
            Action::RequestChannel,
            api,
        ),
        (
            "GET",
            "/api/v1/imposters".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "POST",
            "/api/v1/imposters/999999/outcome".into(),
            Some(json!({"outcome": "taken_down", "note": "Reported to X"})),
            Action::ManageRegister,
            api,
        ),
        (
            "GET",
            "/imposters".into(),
            None,
            Action::RequestChannel,
            page,
        ),
        (
            "POST",
            "/imposters".into(),
            Some(json!({"platform": "x", "handle": "@fake", "details": "Logo"})),
            Action::RequestChannel,
            page,
        ),
        (
            "POST",
            "/imposters/999999/outcome".into(),
            Some(json!({"outcome": "taken_down", "note": "Done"})),
            Action::ManageRegister,
            page,
        ),
        (
            "POST",
            "/api/v1/notifications/read".into(),
            None,
            Action::RequestChannel,
            api,
        ),
        (
            "POST",
            "/notifications/read".into(),
            Some(json!({})),
            Action::RequestChannel,
            page,
        ),
        ("GET", "/check".into(), None, Action::CheckPost, page),
        (
            "GET",
            "/channels".into(),
            None,
            Action::RequestChannel,
            page,
        ),
        (
            "GET",
            "/channels/new".into(),
            None,
            Action::RequestChannel,
            page,
        ),
        (
            "POST",
            "/channels/new".into(),
            Some(json!({"service": "Estates", "platform": "x"})),
            Action::RequestChannel,
            page,
        ),
        (
            "GET",
            "/channels/999999".into(),
            None,
            Action::RequestChannel,
            page,
        ),
        (
            "GET",
            "/channels/999999/edit".into(),
            None,
            Action::RequestChannel,
            page,
        ),
        (
            "POST",
            "/channels/999999/edit".into(),
            Some(json!({"service": "Estates"})),
            Action::RequestChannel,
            page,
        ),
        (
            "POST",
            "/channels/999999/step".into(),
            Some(json!({"step": "submit"})),
            Action::RequestChannel,
            page,
        ),
        (
            "POST",
            "/check".into(),
            Some(json!({"text": "hello"})),
            Action::CheckPost,
            page,
        ),
        (
            "GET",
            "/training".into(),
            None,
            Action::ManageRegister,
            page,
        ),
        (
            "POST",
            "/training".into(),
            Some(json!({"user_id": "1", "kind": "induction", "completed_on": "2026-01-01"})),
            Action::ManageRegister,
            page,
        ),
        (
            "POST",
            "/training/import".into(),
            Some(json!({"person": "Email"})),
            Action::ManageRegister,
            page,
        ),
        ("GET", "/admin/users".into(), None, Action::ViewUsers, page),
        (
            "POST",
            "/admin/users".into(),
            Some(json!({"username": "page.person", "display_name": "P", "password": PASSWORD})),
            Action::ManageUsers,
            page,
        ),
        (
            "GET",
            format!("/admin/users/{victim}"),
            None,
            Action::ManageUsers,
            page,
        ),
        (
            "POST",
            format!("/admin/users/{victim}"),
            Some(json!({"display_name": "Victim", "roles": "staff"})),
            Action::ManageUsers,
            page,
        ),
        (
            "GET",
            "/admin/departments".into(),
            None,
            Action::ViewUsers,
            page,
        ),
        (
            "POST",
            "/admin/departments".into(),
            Some(json!({"name": "Page dept"})),
            Action::ManageUsers,
            page,
        ),
        (
            "POST",
            format!("/admin/users/{victim}/disable"),
            Some(json!({})),
            Action::ManageUsers,
            page,
        ),
        (
            "POST",
            format!("/admin/users/{victim}/enable"),
            Some(json!({})),
            Action::ManageUsers,
            page,
        ),
        ("GET", "/admin/audit".into(), None, Action::ViewAudit, page),
        (
            "GET",
            "/admin/outbox".into(),
            None,
            Action::ManageUsers,
            page,
        ),
        (
            "GET",
            "/admin/audit.csv".into(),
            None,
            Action::ViewAudit,
            page,
        ),
    ]
}

#[tokio::test]
async fn every_endpoint_answers_every_role_as_the_access_rules_say() {
    on_every_backend!(|app| {
        let victim = app.add_user("victim", &[Role::Staff]).await;
        let endpoints = endpoints(victim);
        // The matrix covers every documented API operation.
        let doc = app
            .api("GET", "/api/v1/openapi.json", Who::Nobody, None)
            .await
            .json();
        let mut documented = BTreeSet::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for method in ops.as_object().unwrap().keys() {
                documented.insert((
                    method.to_uppercase(),
                    path.replace("{id}", "*").replace("{image_id}", "*"),
                ));
            }
        }
        let walked: BTreeSet<(String, String)> = endpoints
            .iter()
            .filter(|e| e.4)
            .map(|(m, p, ..)| {
                (
                    m.to_string(),
                    p.replace(&format!("/users/{victim}"), "/users/*")
                        .replace("999999", "*"),
                )
            })
            .collect();
        assert_eq!(walked, documented);

        for (i, role) in Role::ALL.into_iter().enumerate() {
            let who = app.sign_in(&format!("user{i}"), &[role]).await;
            for (method, path, body, action, is_api) in &endpoints {
                let allowed = action.granted_to(role);
                let reply = if *is_api {
                    app.api(method, path, Who::Browser(&who), body.clone())
                        .await
                } else {
                    let fields: Vec<(String, String)> = body
                        .as_ref()
                        .and_then(|b| b.as_object().cloned())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_owned()))
                        .collect();
                    let pairs: Vec<(&str, &str)> = fields
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    app.page(method, path, Some(&who), &pairs).await
                };
                if allowed {
                    assert!(
                        ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&reply.status)
                            && !reply.status.is_server_error(),
                        "{role} should be allowed {method} {path}: {} {}",
                        reply.status,
                        reply.body
                    );
                } else {
                    assert_eq!(
                        reply.status,
                        StatusCode::FORBIDDEN,
                        "{role} must be refused {method} {path}"
                    );
                }
            }
            // Nobody signed in: the API says 401, pages send the browser to log in.
            for (method, path, body, _, is_api) in &endpoints {
                if *is_api {
                    assert_eq!(
                        app.api(method, path, Who::Nobody, body.clone())
                            .await
                            .status,
                        StatusCode::UNAUTHORIZED,
                        "{method} {path}"
                    );
                } else if *method == "GET" {
                    assert_eq!(
                        app.page(method, path, None, &[]).await.status,
                        StatusCode::SEE_OTHER,
                        "{method} {path}"
                    );
                }
            }
        }
    });
}

#[tokio::test]
async fn pages_show_each_role_only_what_it_may_use() {
    on_every_backend!(|app| {
        for (i, role) in Role::ALL.into_iter().enumerate() {
            let who = app.sign_in(&format!("user{i}"), &[role]).await;
            let home = app.page("GET", "/", Some(&who), &[]).await;
            assert_eq!(home.status, StatusCode::OK);
            assert_eq!(
                home.body.contains("href=\"/admin/audit\""),
                Action::ViewAudit.granted_to(role),
                "{role}"
            );
            assert_eq!(
                home.body.contains("href=\"/admin/users\""),
                Action::ViewUsers.granted_to(role),
                "{role}"
            );
            assert!(home.body.contains("href=\"/check\""));
        }
    });
}

#[tokio::test]
async fn health_readiness_metrics_and_headers() {
    on_every_backend!(|app| {
        assert_eq!(app.page("GET", "/healthz", None, &[]).await.body, "ok");
        assert_eq!(app.page("GET", "/readyz", None, &[]).await.body, "ready");
        let login = app.page("GET", "/login", None, &[]).await;
        assert!(login.headers.get(header::CONTENT_SECURITY_POLICY).is_some());
        assert_eq!(login.headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
        let metrics = app.page("GET", "/metrics", None, &[]).await;
        assert!(
            metrics.body.contains(
                "socialgov_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"} 1"
            ),
            "{}",
            metrics.body
        );
        assert_eq!(
            app.page("GET", "/no/such/page", None, &[]).await.status,
            StatusCode::NOT_FOUND
        );
    });
}

fn complete_form() -> Value {
    json!({
        "service": "Maternity", "platform": "instagram",
        "why_channel": "Parents ask for updates", "why_platform": "Where parents are",
        "aim": "Reassure and inform", "audience": "Expectant parents",
        "strategy_fit": "Patient experience priority", "similar_presence": "None",
        "resources": "Two midwives, 2 hours a week, 12 months",
        "exit_strategy": "Announce closure, archive posts",
        "success_measure": "Followers and messages answered", "target": "500 followers",
        "review_point": "2027-06-01", "terms_read": true,
        "profile_description": "Maternity at Torbay Hospital. Not monitored 24/7.",
        "staffed_hours": "Mon-Fri 9-5", "out_of_hours": "Auto-reply with the ward's phone",
        "complaints_handling": "Passed to PALS the same day",
        "sensitive_data_handling": "Never asked for; deleted and IG told",
        "account_name": "Torbay Maternity", "handle": "@torbay.maternity",
        "profile_url": "https://www.instagram.com/torbay.maternity/", "images": "Trust logo"
    })
}

#[tokio::test]
async fn a_channel_goes_from_draft_to_retired_with_four_people() {
    on_every_backend!(|app| {
        let boss = app.sign_in("boss", &[Role::LineManager, Role::Staff]).await;
        let midwife = app.sign_in("midwife", &[Role::Staff]).await;
        let comms = app.sign_in("comms", &[Role::CommsOfficer]).await;
        let head = app.sign_in("head", &[Role::HeadOfComms]).await;
        let outsider = app.sign_in("outsider", &[Role::Staff]).await;
        let admin = app.sign_in("admin", &[Role::Administrator]).await;
        let set_manager = app
            .api(
                "PATCH",
                &format!("/api/v1/users/{}", midwife.user_id),
                Who::Browser(&admin),
                Some(json!({"manager_id": boss.user_id})),
            )
            .await;
        assert_eq!(set_manager.status, StatusCode::OK);
        let step = |who: &Browser, id: i64, body: Value| {
            let who = who.clone();
            let app = &app;
            async move {
                app.api(
                    "POST",
                    &format!("/api/v1/channels/{id}/events"),
                    Who::Browser(&who),
                    Some(body),
                )
                .await
            }
        };

        // A draft can be saved half-filled, but not submitted.
        let draft = app
            .api(
                "POST",
                "/api/v1/channels",
                Who::Browser(&midwife),
                Some(json!({"form": {"service": "Maternity"}})),
            )
            .await;
        assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
        let id = draft.json()["id"].as_i64().unwrap();
        let early = step(&midwife, id, json!({"event": "submit"})).await;
        assert!(
            early.status == StatusCode::BAD_REQUEST && early.body.contains("Select the platform"),
            "{}",
            early.body
        );
        let bad_field = app
            .api(
                "PUT",
                &format!("/api/v1/channels/{id}/form"),
                Who::Browser(&midwife),
                Some(json!({"form": {"colour": "blue"}})),
            )
            .await;
        assert!(
            bad_field.status == StatusCode::BAD_REQUEST && bad_field.body.contains("colour"),
            "{}",
            bad_field.body
        );
        let mut form = complete_form();
        form["profile_description"] = json!("We are a f*cking brilliant team");
        let put = app
            .api(
                "PUT",
                &format!("/api/v1/channels/{id}/form"),
                Who::Browser(&midwife),
                Some(json!({"form": form})),
            )
            .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
        let sweary = step(&midwife, id, json!({"event": "submit"})).await;
        assert!(
            sweary.status == StatusCode::BAD_REQUEST && sweary.body.contains("profile_description"),
            "{}",
            sweary.body
        );
        let put = app
            .api(
                "PUT",
                &format!("/api/v1/channels/{id}/form"),
                Who::Browser(&midwife),
                Some(json!({"form": complete_form()})),
            )
            .await;
        assert_eq!(put.status, StatusCode::OK);
        // Drafts are private to their people and communications.
        assert_eq!(
            app.api(
                "GET",
                &format!("/api/v1/channels/{id}"),
                Who::Browser(&outsider),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.api(
                "GET",
                &format!("/api/v1/channels/{id}"),
                Who::Browser(&comms),
                None
            )
            .await
            .status,
            StatusCode::OK
        );

        let submitted = step(&midwife, id, json!({"event": "submit"})).await;
        let boss_home = app.page("GET", "/", Some(&boss), &[]).await;
        assert!(
            boss_home
                .body
                .contains("Torbay Maternity is waiting for your approval as line manager"),
            "{}",
            boss_home.body
        );
        assert_eq!(submitted.json()["state"], "submitted", "{}", submitted.body);
        assert_eq!(submitted.json()["requester_manager_id"], boss.user_id);
        let notes = app
            .api("GET", "/api/v1/notifications", Who::Browser(&boss), None)
            .await
            .json();
        assert!(
            notes[0]["message"]
                .as_str()
                .unwrap()
                .contains("waiting for your approval"),
            "{notes}"
        );
        // Out of turn and not theirs.
        assert_eq!(step(&comms, id, json!({"event": "comms_review", "special_instructions": "", "recommendation": "Yes"})).await.status, StatusCode::CONFLICT);
        assert_eq!(
            step(&outsider, id, json!({"event": "manager_approve"}))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            step(&comms, id, json!({"event": "manager_approve"}))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            step(&boss, id, json!({"event": "manager_approve"}))
                .await
                .json()["state"],
            "manager_approved"
        );
        let reviewed = step(&comms, id, json!({"event": "comms_review", "special_instructions": "Logo agreed", "recommendation": "Approve"})).await;
        assert_eq!(reviewed.json()["state"], "comms_reviewed");
        // The head of communications rejects; the requester revises and resubmits.
        let rejected = step(
            &head,
            id,
            json!({"event": "reject", "reason": "Use the trust's main account for now"}),
        )
        .await;
        assert_eq!(
            (
                rejected.json()["state"].clone(),
                rejected.json()["rejection_reason"].clone()
            ),
            (
                json!("rejected"),
                json!("Use the trust's main account for now")
            )
        );
        assert_eq!(
            step(&midwife, id, json!({"event": "submit"})).await.json()["state"],
            "submitted"
        );
        step(&boss, id, json!({"event": "manager_approve"})).await;
        step(&comms, id, json!({"event": "comms_review", "special_instructions": "Logo agreed", "recommendation": "Approve"})).await;
        // The account manager needs in-date social media training.
        let untrained = step(
            &head,
            id,
            json!({"event": "approve", "account_manager_id": midwife.user_id}),
        )
        .await;
        assert!(
            untrained.status == StatusCode::BAD_REQUEST && untrained.body.contains("training"),
            "{}",
            untrained.body
        );
        let training = app.api("POST", "/api/v1/training", Who::Browser(&comms), Some(json!({"user_id": midwife.user_id, "kind": "social_media", "completed_on": "2026-01-10", "expires_on": "2099-01-10"}))).await;
        assert_eq!(training.status, StatusCode::CREATED, "{}", training.body);
        assert_eq!(app.api("POST", "/api/v1/training", Who::Browser(&midwife), Some(json!({"user_id": midwife.user_id, "kind": "social_media", "completed_on": "2026-01-10"}))).await.status, StatusCode::FORBIDDEN);
        let approved = step(
            &head,
            id,
            json!({"event": "approve", "account_manager_id": midwife.user_id}),
        )
        .await;
        assert_eq!(approved.json()["state"], "approved", "{}", approved.body);
        let today = socialgov_server::dates::format_day(socialgov_server::now_ms());
        let too_late = step(
            &comms,
            id,
            json!({"event": "go_live", "set_up_on": today, "review_on": "2099-01-01"}),
        )
        .await;
        assert!(
            too_late.status == StatusCode::BAD_REQUEST && too_late.body.contains("within a year"),
            "{}",
            too_late.body
        );
        let in_ten_months =
            socialgov_server::dates::format_day(socialgov_server::now_ms() + 300 * 86_400_000);
        let live = step(
            &comms,
            id,
            json!({"event": "go_live", "set_up_on": today, "review_on": in_ten_months}),
        )
        .await;
        assert_eq!(live.json()["state"], "active", "{}", live.body);
        // Now on the register, everyone can see it.
        assert_eq!(
            app.api(
                "GET",
                &format!("/api/v1/channels/{id}"),
                Who::Browser(&outsider),
                None
            )
            .await
            .status,
            StatusCode::OK
        );
        // Editors need in-date social media training; the outsider has none yet.
        let editors_path = format!("/api/v1/channels/{id}/editors");
        let untrained = app
            .api(
                "PUT",
                &editors_path,
                Who::Browser(&comms),
                Some(json!({"editors": [outsider.user_id]})),
            )
            .await;
        assert!(
            untrained.status == StatusCode::BAD_REQUEST && untrained.body.contains("Test outsider"),
            "{}",
            untrained.body
        );
        let not_theirs = app
            .api(
                "PUT",
                &editors_path,
                Who::Browser(&outsider),
                Some(json!({"editors": []})),
            )
            .await;
        assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
        app.api("POST", "/api/v1/training", Who::Browser(&comms), Some(json!({"user_id": outsider.user_id, "kind": "social_media", "completed_on": "2026-01-10"}))).await;
        let set = app
            .api(
                "PUT",
                &editors_path,
                Who::Browser(&midwife),
                Some(json!({"editors": [outsider.user_id, outsider.user_id]})),
            )
            .await;
        assert_eq!(
            set.json()["editors"],
            json!([outsider.user_id]),
            "{}",
            set.body
        );
        let home = app.page("GET", "/", Some(&outsider), &[]).await;
        assert!(
            home.body
                .contains("You are now an editor of Torbay Maternity"),
            "{}",
            home.body
        );
        assert_eq!(
            app.page("POST", "/notifications/read", Some(&outsider), &[])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let home = app.page("GET", "/", Some(&outsider), &[]).await;
        assert!(
            !home.body.contains("You are now an editor")
                && home.body.contains("Nothing is waiting for you"),
            "{}",
            home.body
        );
        let register = app
            .api(
                "GET",
                "/api/v1/channels?state=active",
                Who::Browser(&outsider),
                None,
            )
            .await
            .json();
        assert_eq!(register.as_array().unwrap().len(), 1);
        assert_eq!(
            app.api(
                "GET",
                "/api/v1/channels?state=nonsense",
                Who::Browser(&outsider),
                None
            )
            .await
            .status,
            StatusCode::BAD_REQUEST
        );

        let rows = app
            .api(
                "GET",
                "/api/v1/register?service=Maternity",
                Who::Browser(&outsider),
                None,
            )
            .await
            .json();
        assert_eq!(rows[0]["account_name"], "Torbay Maternity");
        assert_eq!(rows[0]["account_manager"], "Test midwife");
        assert_eq!(rows[0]["set_up_on"], today);
        assert_eq!(rows[0]["platform"], "Instagram");
        let none = app
            .api(
                "GET",
                "/api/v1/register?service=Estates",
                Who::Browser(&outsider),
                None,
            )
            .await
            .json();
        assert_eq!(none, json!([]));
        let csv = app
            .api("GET", "/api/v1/register.csv", Who::Browser(&outsider), None)
            .await;
        assert_eq!(
            csv.headers.get(header::CONTENT_TYPE).unwrap(),
            "text/csv; charset=utf-8"
        );
        let mut lines = csv.body.lines();
        assert_eq!(
            lines.next(),
            Some(
                "id,account_name,platform,handle,profile_url,service,account_manager,editors,set_up_on,review_on,state"
            )
        );
        assert!(
            lines
                .next()
                .unwrap()
                .contains(",Torbay Maternity,Instagram,@torbay.maternity,"),
            "{}",
            csv.body
        );
        // The scheduler moves it to review when its date comes, not before.
        let scanner = app.state.packs.get(None).unwrap().clone();
        let now = socialgov_server::now_ms();
        assert_eq!(
            socialgov_server::channels::review_sweep(&app.state.store, &scanner, now)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            socialgov_server::channels::review_sweep(
                &app.state.store,
                &scanner,
                now + 301 * 86_400_000
            )
            .await
            .unwrap(),
            1
        );
        let due = app
            .api(
                "GET",
                &format!("/api/v1/channels/{id}"),
                Who::Browser(&comms),
                None,
            )
            .await
            .json();
        assert_eq!(due["state"], "review_due");
        let renewed = step(&comms, id, json!({"event": "renew", "evidence": "620 followers, target met", "next_review_on": in_ten_months})).await;
        assert_eq!(renewed.json()["state"], "active", "{}", renewed.body);
        socialgov_server::channels::review_sweep(
            &app.state.store,
            &scanner,
            now + 301 * 86_400_000,
        )
        .await
        .unwrap();
        let retired = step(&comms, id, json!({"event": "retire", "evidence": "No posts for six months; followers told, account closed"})).await;
        assert_eq!(retired.json()["state"], "retired", "{}", retired.body);
        assert_eq!(
            step(
                &comms,
                id,
                json!({"event": "renew", "evidence": "x", "next_review_on": in_ten_months})
            )
            .await
            .status,
            StatusCode::CONFLICT
        );

        let history = app
            .api(
                "GET",
                "/api/v1/audit?action=channel.",
                Who::Browser(&admin),
                None,
            )
            .await
            .json();
        let actions: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "channel.create",
                "channel.update",
                "channel.update",
                "channel.submit",
                "channel.manager_approve",
                "channel.comms_review",
                "channel.reject",
                "channel.submit",
                "channel.manager_approve",
                "channel.comms_review",
                "channel.approve",
                "channel.go_live",
                "channel.editors",
                "channel.review_due",
                "channel.renew",
                "channel.review_due",
                "channel.retire",
            ]
        );
        assert!(app.state.store.verify_audit().await.unwrap().is_ok());
    });
}

#[tokio::test]
async fn nobody_approves_their_own_channel_request() {
    on_every_backend!(|app| {
        // A head of communications who is also a line manager, managing themselves by mistake
        // is impossible; so she requests, and her own manager approves.
        let head = app
            .sign_in(
                "head",
                &[Role::HeadOfComms, Role::CommsOfficer, Role::LineManager],
            )
            .await;
        let id = app
            .api(
                "POST",
                "/api/v1/channels",
                Who::Browser(&head),
                Some(json!({"form": complete_form()})),
            )
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let no_manager = app
            .api(
                "POST",
                &format!("/api/v1/channels/{id}/events"),
                Who::Browser(&head),
                Some(json!({"event": "submit"})),
            )
            .await;
        assert!(
            no_manager.status == StatusCode::BAD_REQUEST
                && no_manager.body.contains("line manager"),
            "{}",
            no_manager.body
        );
        let ceo = app.sign_in("ceo", &[Role::LineManager]).await;
        let admin = app.sign_in("admin", &[Role::Administrator]).await;
        app.api(
            "PATCH",
            &format!("/api/v1/users/{}", head.user_id),
            Who::Browser(&admin),
            Some(json!({"manager_id": ceo.user_id})),
        )
        .await;
        app.api(
            "POST",
            &format!("/api/v1/channels/{id}/events"),
            Who::Browser(&head),
            Some(json!({"event": "submit"})),
        )
        .await;
        app.api(
            "POST",
            &format!("/api/v1/channels/{id}/events"),
            Who::Browser(&ceo),
            Some(json!({"event": "manager_approve"})),
        )
        .await;
        let own = app.api("POST", &format!("/api/v1/channels/{id}/events"), Who::Browser(&head), Some(json!({"event": "comms_review", "special_instructions": "", "recommendation": "Approve"}))).await;
        assert!(
            own.status == StatusCode::FORBIDDEN && own.body.contains("own request"),
            "{}",
            own.body
        );
    });
}

#[tokio::test]
async fn training_is_imported_from_csv_only_when_every_row_is_good() {
    on_every_backend!(|app| {
        let comms = app.sign_in("comms", &[Role::CommsOfficer]).await;
        let admin = app.sign_in("admin", &[Role::Administrator]).await;
        let nia = app.add_user("nia", &[Role::Staff]).await;
        app.api(
            "PATCH",
            &format!("/api/v1/users/{nia}"),
            Who::Browser(&admin),
            Some(json!({"email": "Nia.Nurse@trust.nhs.uk"})),
        )
        .await;
        app.add_user("sam", &[Role::Staff]).await;
        let mapping = json!({"person": "Email or username", "kind_column": "Course", "completed": "Completed on", "expires": "Expiry"});
        let bad = "Email or username,Course,Completed on,Expiry\n\
                   nia.nurse@trust.nhs.uk,Social media,01/03/2026,01/03/2099\n\
                   sam,Induction,2026-13-01,\n\
                   nobody@trust.nhs.uk,Induction,2026-01-01,\n";
        let report = app
            .api(
                "POST",
                "/api/v1/training/import",
                Who::Browser(&comms),
                Some(json!({"csv": bad, "mapping": mapping})),
            )
            .await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.body);
        let r = report.json();
        assert_eq!(
            (r["good_rows"].as_i64(), r["imported"].as_i64()),
            (Some(1), Some(0))
        );
        let errors: Vec<(i64, String)> = r["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["line"].as_i64().unwrap(),
                    e["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), [3, 4]);
        assert!(
            errors[0].1.contains("2026-13-01") && errors[1].1.contains("nobody@trust.nhs.uk"),
            "{errors:?}"
        );
        let good = "Email or username,Course,Completed on,Expiry\n\
                    nia.nurse@trust.nhs.uk,Social media,01/03/2026,01/03/2099\n\
                    SAM,Induction,2026-01-13,\n";
        let dry = app
            .api(
                "POST",
                "/api/v1/training/import",
                Who::Browser(&comms),
                Some(json!({"csv": good, "mapping": mapping, "dry_run": true})),
            )
            .await
            .json();
        assert_eq!(
            (dry["good_rows"].as_i64(), dry["imported"].as_i64()),
            (Some(2), Some(0))
        );
        assert!(
            app.state.store.training_of(nia).await.unwrap().is_empty(),
            "a dry run writes nothing"
        );
        let done = app
            .api(
                "POST",
                "/api/v1/training/import",
                Who::Browser(&comms),
                Some(json!({"csv": good, "mapping": mapping})),
            )
            .await
            .json();
        assert_eq!(done["imported"].as_i64(), Some(2));
        assert_eq!(
            app.state.store.training_of(nia).await.unwrap()[0].kind,
            "social_media"
        );
        let audit = app
            .api(
                "GET",
                "/api/v1/audit?action=training.import",
                Who::Browser(&admin),
                None,
            )
            .await
            .json();
        assert_eq!(audit.as_array().unwrap().len(), 1);
        let no_column = app.api("POST", "/api/v1/training/import", Who::Browser(&comms), Some(json!({"csv": good, "mapping": {"person": "Staff no", "completed": "Completed on", "kind": "induction"}}))).await.json();
        assert!(
            no_column["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("Staff no")
        );
    });
}

#[tokio::test]
async fn an_account_pretending_to_be_the_trust_is_reported_and_closed() {
    on_every_backend!(|app| {
        let nurse = app.sign_in("nurse", &[Role::Staff]).await;
        let other = app.sign_in("other", &[Role::Staff]).await;
        let comms = app.sign_in("comms", &[Role::CommsOfficer]).await;
        let empty = app
            .api(
                "POST",
                "/api/v1/imposters",
                Who::Browser(&nurse),
                Some(json!({"platform": "myspace", "details": ""})),
            )
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        for field in ["platform", "handle", "details"] {
            assert!(empty.body.contains(field), "{field}: {}", empty.body);
        }
        let made = app.api("POST", "/api/v1/imposters", Who::Browser(&nurse), Some(json!({"platform": "facebook", "handle": "Torbay Hospital Staff", "url": "https://www.facebook.com/torbayhospitalstaff", "details": "Uses the trust logo and answers patients"}))).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let id = made.json()["id"].as_i64().unwrap();
        let told = app
            .api("GET", "/api/v1/notifications", Who::Browser(&comms), None)
            .await
            .json();
        assert!(
            told[0]["message"]
                .as_str()
                .unwrap()
                .contains("Torbay Hospital Staff"),
            "{told}"
        );
        assert_eq!(
            app.api("GET", "/api/v1/imposters", Who::Browser(&other), None)
                .await
                .json(),
            json!([]),
            "staff see only their own reports"
        );
        assert_eq!(
            app.api("GET", "/api/v1/imposters", Who::Browser(&comms), None)
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let outcome = format!("/api/v1/imposters/{id}/outcome");
        let no_channel = app
            .api(
                "POST",
                &outcome,
                Who::Browser(&comms),
                Some(json!({"outcome": "adopted", "note": "It is the theatres team's page"})),
            )
            .await;
        assert!(
            no_channel.status == StatusCode::BAD_REQUEST && no_channel.body.contains("channel_id"),
            "{}",
            no_channel.body
        );
        let bad = app
            .api(
                "POST",
                &outcome,
                Who::Browser(&comms),
                Some(json!({"outcome": "ignored", "note": "x"})),
            )
            .await;
        assert!(bad.status == StatusCode::BAD_REQUEST && bad.body.contains("taken_down"));
        let down = app.api("POST", &outcome, Who::Browser(&comms), Some(json!({"outcome": "taken_down", "note": "Reported to Facebook; removed 3 days later"}))).await;
        assert_eq!(down.status, StatusCode::OK, "{}", down.body);
        assert_eq!(down.json(), json!({"channel_id": null}));
        assert_eq!(
            app.api(
                "POST",
                &outcome,
                Who::Browser(&comms),
                Some(json!({"outcome": "taken_down", "note": "again"}))
            )
            .await
            .status,
            StatusCode::CONFLICT
        );
        let mine = app
            .api("GET", "/api/v1/imposters", Who::Browser(&nurse), None)
            .await
            .json();
        assert_eq!(mine[0]["outcome"], "taken_down");
        let told = app
            .api("GET", "/api/v1/notifications", Who::Browser(&nurse), None)
            .await
            .json();
        assert!(told[0]["message"].as_str().unwrap().contains("taken down"));
        // Without a mail server the notification waits in the outbox, for those with an address.
        let admin = app.sign_in("admin", &[Role::Administrator]).await;
        app.api(
            "PATCH",
            &format!("/api/v1/users/{}", other.user_id),
            Who::Browser(&admin),
            Some(json!({"email": "other@trust.nhs.uk"})),
        )
        .await;
        app.api(
            "POST",
            "/api/v1/imposters",
            Who::Browser(&other),
            Some(json!({"platform": "x", "handle": "@not_us", "details": "Logo"})),
        )
        .await;
        let last = app
            .api("GET", "/api/v1/imposters", Who::Browser(&comms), None)
            .await
            .json()[0]["id"]
            .as_i64()
            .unwrap();
        app.api(
            "POST",
            &format!("/api/v1/imposters/{last}/outcome"),
            Who::Browser(&comms),
            Some(json!({"outcome": "taken_down", "note": "Gone"})),
        )
        .await;
        let outbox = app.page("GET", "/admin/outbox", Some(&admin), &[]).await;
        assert!(
            outbox.body.contains("other@trust.nhs.uk")
                && outbox.body.contains("has been taken down"),
            "{}",
            outbox.body
        );
        assert_eq!(
            app.state.store.outbox(100).await.unwrap().len(),
            1,
            "only people with an address get e-mail"
        );
        let page = app.page("GET", "/imposters", Some(&nurse), &[]).await;
        assert!(
            page.body.contains("Taken down: Reported to Facebook"),
            "{}",
            page.body
        );
    });
}

#[tokio::test]
async fn an_adopted_account_joins_the_register_live_with_a_trained_manager() {
    on_every_backend!(|app| {
        let nurse = app.sign_in("nurse", &[Role::Staff]).await;
        let comms = app.sign_in("comms", &[Role::CommsOfficer]).await;
        let head = app.sign_in("head", &[Role::HeadOfComms]).await;
        let midwife = app.sign_in("midwife", &[Role::Staff]).await;
        let report = |handle: &'static str| {
            let app = &app;
            let nurse = nurse.clone();
            async move {
                let made = app.api("POST", "/api/v1/imposters", Who::Browser(&nurse), Some(json!({"platform": "instagram", "handle": handle, "url": "https://www.instagram.com/torbaymaternity", "details": "Run by a midwife who left; uses our logo"}))).await;
                assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
                made.json()["id"].as_i64().unwrap()
            }
        };
        let id = report("torbaymaternity").await;
        let outcome = format!("/api/v1/imposters/{id}/outcome");
        let today = socialgov_server::dates::format_day(socialgov_server::now_ms());
        let in_days = |days: i64| {
            socialgov_server::dates::format_day(socialgov_server::now_ms() + days * 86_400_000)
        };
        let adopt = |review_on: String| json!({"outcome": "adopted", "note": "Login handed over; password changed", "service": "Maternity", "account_manager_id": midwife.user_id, "review_on": review_on});
        // Only the head of communications names an account manager.
        let officer = app
            .api(
                "POST",
                &outcome,
                Who::Browser(&comms),
                Some(adopt(in_days(180))),
            )
            .await;
        assert_eq!(officer.status, StatusCode::FORBIDDEN, "{}", officer.body);
        // Who has no in-date training cannot manage it.
        let untrained = app
            .api(
                "POST",
                &outcome,
                Who::Browser(&head),
                Some(adopt(in_days(180))),
            )
            .await;
        assert!(
            untrained.status == StatusCode::BAD_REQUEST && untrained.body.contains("training"),
            "{}",
            untrained.body
        );
        app.api("POST", "/api/v1/training", Who::Browser(&comms), Some(json!({"user_id": midwife.user_id, "kind": "social_media", "completed_on": today, "expires_on": "2099-01-10"}))).await;
        let late = app
            .api(
                "POST",
                &outcome,
                Who::Browser(&head),
                Some(adopt(in_days(400))),
            )
            .await;
        assert!(
            late.status == StatusCode::BAD_REQUEST && late.body.contains("within a year"),
            "{}",
            late.body
        );
        let no_manager = app.api("POST", &outcome, Who::Browser(&head), Some(json!({"outcome": "adopted", "note": "x", "service": "Maternity", "review_on": in_days(30)}))).await;
        assert!(
            no_manager.body.contains("account_manager_id"),
            "{}",
            no_manager.body
        );
        let open = app.state.store.imposter_reports(None).await.unwrap();
        assert!(
            open.iter().all(|r| r.closed_at.is_none())
                && app
                    .state
                    .store
                    .channels(&Default::default())
                    .await
                    .unwrap()
                    .is_empty(),
            "a refused adoption changes nothing"
        );

        let adopted = app
            .api(
                "POST",
                &outcome,
                Who::Browser(&head),
                Some(adopt(in_days(180))),
            )
            .await;
        assert_eq!(adopted.status, StatusCode::OK, "{}", adopted.body);
        let channel = adopted.json()["channel_id"].as_i64().unwrap();
        let rows = app
            .api(
                "GET",
                "/api/v1/register?service=Maternity",
                Who::Browser(&nurse),
                None,
            )
            .await
            .json();
        assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
        assert_eq!(rows[0]["id"], channel);
        assert_eq!(rows[0]["state"], "active");
        assert_eq!(rows[0]["platform"], "Instagram");
        assert_eq!(rows[0]["handle"], "@torbaymaternity");
        assert_eq!(
            rows[0]["profile_url"],
            "https://www.instagram.com/torbaymaternity"
        );
        assert_eq!(rows[0]["account_manager"], "Test midwife");
        assert_eq!(rows[0]["set_up_on"], today);
        assert_eq!(rows[0]["review_on"], in_days(180));
        let told = app
            .api("GET", "/api/v1/notifications", Who::Browser(&midwife), None)
            .await
            .json();
        assert!(
            told[0]["message"]
                .as_str()
                .unwrap()
                .contains("you are its account manager"),
            "{told}"
        );
        let audit = app
            .state
            .store
            .audit_entries(
                &socialgov_store::AuditFilter {
                    target: Some(format!("channel:{channel}")),
                    ..Default::default()
                },
                10,
                0,
            )
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].entry.action, "channel.adopt");
        assert_eq!(audit[0].entry.actor, "head");

        // The page: a second report adopted through the form, then linked from the report.
        let second = report("torbay.maternity.team").await;
        let page = app.page("GET", "/imposters", Some(&head), &[]).await;
        assert!(
            page.body.contains(&format!("id=\"manager-{second}\"")),
            "{}",
            page.body
        );
        assert!(
            !app.page("GET", "/imposters", Some(&comms), &[])
                .await
                .body
                .contains("manager-")
        );
        let review = in_days(90);
        let posted = app
            .page(
                "POST",
                &format!("/imposters/{second}/outcome"),
                Some(&head),
                &[
                    ("outcome", "adopted"),
                    ("note", "Merged into our page"),
                    ("service", "Maternity"),
                    ("account_manager_id", &midwife.user_id.to_string()),
                    ("review_on", &review),
                ],
            )
            .await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
        let location = posted.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(location.starts_with("/channels/"), "{location}");
        let entry = app.page("GET", &location, Some(&nurse), &[]).await;
        assert!(
            entry.body.contains("torbay.maternity.team"),
            "{}",
            entry.body
        );
        let mine = app.page("GET", "/imposters", Some(&nurse), &[]).await;
        assert!(
            mine.body.contains(&format!("href=\"{location}\"")),
            "{}",
            mine.body
        );
    });
}

/// A 1 × 1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

impl TestApp {
    /// Uploads `bytes` as the file `name` in a multipart form, as the API (CSRF header) or as
    /// the page's form (CSRF field).
    async fn upload(&self, path: &str, who: &Browser, name: &str, bytes: &[u8]) -> Reply {
        let boundary = "socialgov-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
                who.csrf
            )
            .as_bytes(),
        );
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::COOKIE, &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

#[tokio::test]
async fn a_channel_keeps_its_profile_images_checked_by_their_bytes() {
    on_every_backend!(|app| {
        let midwife = app.sign_in("midwife", &[Role::Staff]).await;
        let other = app.sign_in("other", &[Role::Staff]).await;
        let comms = app.sign_in("comms", &[Role::CommsOfficer]).await;
        let draft = app
            .api(
                "POST",
                "/api/v1/channels",
                Who::Browser(&midwife),
                Some(json!({"form": {"service": "Maternity"}})),
            )
            .await;
        let id = draft.json()["id"].as_i64().unwrap();
        let images = format!("/api/v1/channels/{id}/images");

        let added = app.upload(&images, &midwife, "logo.png", PNG).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        let first = added.json();
        assert_eq!(first["content_type"], "image/png");
        assert_eq!(
            (first["width"].as_i64(), first["height"].as_i64()),
            (Some(1), Some(1))
        );
        assert_eq!(first["file_name"], "logo.png");
        // Larger than the server's usual body limit (64 KB here), within the image limit.
        let mut big = PNG.to_vec();
        big.resize(300 * 1024, 0);
        let big_reply = app.upload(&images, &midwife, "cover.png", &big).await;
        assert_eq!(big_reply.status, StatusCode::CREATED, "{}", big_reply.body);
        let mut too_big = PNG.to_vec();
        too_big.resize(2 * 1024 * 1024 + 1, 0);
        let refused = app.upload(&images, &midwife, "huge.png", &too_big).await;
        assert!(
            refused.status == StatusCode::BAD_REQUEST && refused.body.contains("2 MB"),
            "{}",
            refused.body
        );
        let mut far_too_big = PNG.to_vec();
        far_too_big.resize(3 * 1024 * 1024, 0);
        assert_eq!(
            app.upload(&images, &midwife, "huge.png", &far_too_big)
                .await
                .status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let svg = app
            .upload(
                &images,
                &midwife,
                "logo.png",
                b"<svg onload=\"alert(1)\"></svg>",
            )
            .await;
        assert!(
            svg.status == StatusCode::BAD_REQUEST
                && svg.body.contains("not a PNG, JPEG, GIF or WebP"),
            "{}",
            svg.body
        );
        assert_eq!(
            app.upload(&images, &other, "x.png", PNG).await.status,
            StatusCode::NOT_FOUND,
            "a draft is not theirs to see"
        );
        assert_eq!(
            app.upload(&images, &comms, "trust-logo.png", PNG)
                .await
                .status,
            StatusCode::CREATED,
            "communications may add the trust's logo"
        );

        let listed = app
            .api("GET", &images, Who::Browser(&midwife), None)
            .await
            .json();
        assert_eq!(listed.as_array().unwrap().len(), 3, "{listed}");
        let first_id = first["id"].as_i64().unwrap();
        let served = app
            .page(
                "GET",
                &format!("/channels/{id}/images/{first_id}"),
                Some(&midwife),
                &[],
            )
            .await;
        assert_eq!(served.status, StatusCode::OK);
        assert_eq!(served.headers[header::CONTENT_TYPE], "image/png");
        assert_eq!(served.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(
            served.headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("sandbox")
        );
        assert_eq!(served.body, String::from_utf8_lossy(PNG));
        for n in 0..3 {
            app.upload(&images, &midwife, &format!("more{n}.png"), PNG)
                .await;
        }
        let seventh = app.upload(&images, &midwife, "seventh.png", PNG).await;
        assert!(
            seventh.status == StatusCode::BAD_REQUEST && seventh.body.contains("at most 6"),
            "{}",
            seventh.body
        );
        let removed = app
            .api(
                "DELETE",
                &format!("{images}/{first_id}"),
                Who::Browser(&midwife),
                None,
            )
            .await;
        assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
        assert_eq!(
            app.api(
                "GET",
                &format!("{images}/{first_id}"),
                Who::Browser(&midwife),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        let audit = app
            .state
            .store
            .audit_entries(
                &socialgov_store::AuditFilter {
                    action_prefix: Some("channel.image.".into()),
                    ..Default::default()
                },
                20,
                0,
            )
            .await
            .unwrap();
        assert_eq!(audit.len(), 7, "6 added, 1 removed");
        let removal = audit[0].entry.before.clone().unwrap();
        assert!(
            removal.contains(&first["sha256"].as_str().unwrap().to_owned()),
            "{removal}"
        );

        // The page: the images, the form, and a refused file shown beside the input.
        let page = app
            .page("GET", &format!("/channels/{id}"), Some(&midwife), &[])
            .await;
        assert!(
            page.body.contains("id=\"add-image\"") && page.body.contains("cover.png"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("1 × 1 pixels, 300 KB, PNG"),
            "{}",
            page.body
        );
        let bad = app
            .upload(
                &format!("/channels/{id}/images"),
                &midwife,
                "notes.txt",
                b"hello",
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("id=\"file-error\""), "{}", bad.body);
        let removal_form = app
            .page(
                "POST",
                &format!("/channels/{id}/images/{}/remove", big_reply.json()["id"]),
                Some(&midwife),
                &[],
            )
            .await;
        assert_eq!(removal_form.status, StatusCode::SEE_OTHER);
        let page_upload = app
            .upload(
                &format!("/channels/{id}/images"),
                &midwife,
                "again.png",
                PNG,
            )
            .await;
        assert_eq!(
            page_upload.status,
            StatusCode::SEE_OTHER,
            "{}",
            page_upload.body
        );

        // Once submitted, the request is no longer the requester's to change.
        let admin = app.sign_in("admin", &[Role::Administrator]).await;
        let boss = app.add_user("boss", &[Role::LineManager]).await;
        app.api(
            "PATCH",
            &format!("/api/v1/users/{}", midwife.user_id),
            Who::Browser(&admin),
            Some(json!({"manager_id": boss})),
        )
        .await;
        let mut form = complete_form();
        form["service"] = json!("Maternity");
        app.api(
            "PUT",
            &format!("/api/v1/channels/{id}/form"),
            Who::Browser(&midwife),
            Some(json!({"form": form})),
        )
        .await;
        let submitted = app
            .api(
                "POST",
                &format!("/api/v1/channels/{id}/events"),
                Who::Browser(&midwife),
                Some(json!({"event": "submit"})),
            )
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
        assert_eq!(
            app.upload(&images, &midwife, "late.png", PNG).await.status,
            StatusCode::FORBIDDEN
        );
        assert!(
            !app.page("GET", &format!("/channels/{id}"), Some(&midwife), &[])
                .await
                .body
                .contains("id=\"add-image\"")
        );
    });
}
