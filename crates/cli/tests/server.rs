//! The `socialgov` server and its operator commands, run as an operator runs them: the real
//! binary, real HTTP on loopback, real signals. `kill -9` in the middle of writes loses no
//! acknowledged change and leaves an audit chain that verifies; SIGTERM stops the server
//! cleanly; `audit verify` finds tampering done straight in the database file; `user …` and
//! `config` behave and fail as documented.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const ADMIN_PASSWORD: &str = "admin password 1234";
/// The environment variable `--password-env` is pointed at.
const PASSWORD_VAR: &str = "SOCIALGOV_TEST_PASSWORD";

// ----- Running the binary -----

/// The binary, with no `SOCIALGOV_*` configuration leaking in from the environment that runs
/// the tests.
fn socialgov() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("socialgov"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("SOCIALGOV_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

#[derive(Debug)]
struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs a command to its end with `stdin` as its standard input.
fn run_with_stdin(cmd: &mut Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.as_bytes()).unwrap();
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn run(cmd: &mut Command) -> Output {
    run_with_stdin(cmd, "")
}

/// `socialgov user add NAME --name … --roles ROLES` with the password from the environment.
fn user_add(dir: &Path, username: &str, roles: &str, password: &str) -> Output {
    run(socialgov()
        .args([
            "user",
            "add",
            username,
            "--name",
            "Test Person",
            "--roles",
            roles,
        ])
        .args(["--password-env", PASSWORD_VAR, "--data-dir"])
        .arg(dir)
        .env(PASSWORD_VAR, password))
}

/// `socialgov user COMMAND USERNAME` (disable, enable).
fn user_cmd(dir: &Path, command: &str, username: &str) -> Output {
    run(socialgov()
        .args(["user", command, username, "--data-dir"])
        .arg(dir))
}

fn audit_verify(dir: &Path) -> Output {
    run(socialgov().args(["audit", "verify", "--data-dir"]).arg(dir))
}

fn add_admin(dir: &Path) {
    let out = user_add(dir, "admin", "administrator", ADMIN_PASSWORD);
    assert_eq!(out.code, 0, "{out:?}");
}

// ----- A server child process -----

/// A running `socialgov serve`; killed when dropped, so no test leaves one behind.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, without the final slash.
    base: String,
    log: PathBuf,
}

impl Server {
    /// Starts `socialgov serve` on an ephemeral port over `dir`, logging to `log`, and waits
    /// for the line that says where it listens.
    fn start(dir: &Path, log: &Path) -> Server {
        Server::start_with(
            socialgov()
                .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
                .arg(dir),
            log,
        )
    }

    fn start_with(cmd: &mut Command, log: &Path) -> Server {
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(File::create(log).unwrap())
            .spawn()
            .unwrap();
        let mut server = Server {
            child,
            base: String::new(),
            log: log.to_owned(),
        };
        let stdout = server.child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        // Keeps reading so the server can never block on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("socialgov is serving on ") {
                        server.base = url.trim_end_matches('/').to_owned();
                        assert!(server.base.starts_with("http://127.0.0.1:"), "{line}");
                        assert!(!server.base.ends_with(":0"), "{line}");
                        return server;
                    }
                }
                Err(_) => panic!(
                    "the server did not say where it listens; its log:\n{}",
                    server.log_text()
                ),
            }
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no chance to finish anything.
    fn kill_9(&mut self) {
        self.child.kill().unwrap();
        let status = self.child.wait().unwrap();
        assert_eq!(status.signal(), Some(9), "{status:?}");
    }

    /// SIGTERM, then waits (at most 15 s) for the process to end; its status and how long it
    /// took.
    fn terminate(&mut self) -> (ExitStatus, Duration) {
        let sent = Instant::now();
        let kill = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(kill.success());
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, sent.elapsed());
            }
            assert!(
                sent.elapsed() < Duration::from_secs(15),
                "the server did not stop within 15 s of SIGTERM; its log:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM must end the server promptly with status 0.
    fn stop_gracefully(&mut self) {
        let (status, took) = self.terminate();
        assert_eq!(
            status.code(),
            Some(0),
            "{status:?}; log:\n{}",
            self.log_text()
        );
        assert!(took < Duration::from_secs(10), "took {took:?} to stop");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ----- HTTP -----

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// What a test looks at in a response.
#[derive(Debug)]
struct Reply {
    status: u16,
    location: Option<String>,
    cookies: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn of(mut resp: ureq::http::Response<ureq::Body>) -> Reply {
        let header = |name: &str| {
            resp.headers()
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_owned))
                .collect::<Vec<_>>()
        };
        let location = header("location").into_iter().next();
        let cookies = header("set-cookie")
            .iter()
            .filter_map(|c| {
                let pair = c.split(';').next()?;
                let (name, value) = pair.split_once('=')?;
                Some((name.trim().to_owned(), value.trim().to_owned()))
            })
            .collect();
        let body = resp.body_mut().read_to_string().unwrap();
        Reply {
            status: resp.status().as_u16(),
            location,
            cookies,
            body,
        }
    }

    fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// The text between `start` and the next `end` in `text`.
fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let (_, rest) = text.split_once(start)?;
    let (value, _) = rest.split_once(end)?;
    Some(value.to_owned())
}

/// Logs in through the login form as a browser does: the session cookie's value, or the
/// reply that refused it.
fn login(base: &str, username: &str, password: &str) -> Result<String, Reply> {
    let agent = agent();
    let page = Reply::of(agent.get(format!("{base}/login")).call().unwrap());
    assert_eq!(page.status, 200, "{page:?}");
    let login_cookie = page.cookie("socialgov_login").expect("login CSRF cookie");
    let csrf = between(&page.body, r#"name="csrf" value=""#, "\"").expect("csrf input");
    let reply = Reply::of(
        agent
            .post(format!("{base}/login"))
            .header("cookie", format!("socialgov_login={login_cookie}"))
            .send_form([
                ("csrf", csrf.as_str()),
                ("username", username),
                ("password", password),
            ])
            .unwrap(),
    );
    if reply.status == 303 {
        Ok(reply
            .cookie("socialgov_session")
            .expect("session cookie")
            .to_owned())
    } else {
        Err(reply)
    }
}

/// GET `path` with a session cookie.
fn get_with_session(base: &str, session: &str, path: &str) -> Reply {
    Reply::of(
        agent()
            .get(format!("{base}{path}"))
            .header("cookie", format!("socialgov_session={session}"))
            .call()
            .unwrap(),
    )
}

/// Logs in as the administrator and has an API token issued for `view_users` and
/// `manage_users`, through the session (cookie + CSRF token from the page).
fn admin_token(base: &str) -> String {
    let session = login(base, "admin", ADMIN_PASSWORD).unwrap_or_else(|r| panic!("{r:?}"));
    let home = get_with_session(base, &session, "/");
    assert_eq!(home.status, 200, "{home:?}");
    let csrf =
        between(&home.body, r#"<meta name="csrf-token" content=""#, "\"").expect("csrf meta tag");
    let body = serde_json::json!({
        "owner": "admin",
        "name": "server tests",
        "scopes": ["view_users", "manage_users"],
    });
    let reply = Reply::of(
        agent()
            .post(format!("{base}/api/v1/tokens"))
            .header("cookie", format!("socialgov_session={session}"))
            .header("x-csrf-token", &csrf)
            .header("content-type", "application/json")
            .send(body.to_string())
            .unwrap(),
    );
    assert_eq!(reply.status, 201, "{reply:?}");
    reply.json()["token"].as_str().unwrap().to_owned()
}

/// `POST /api/v1/users` for a staff member called `username`.
fn create_user(
    agent: &ureq::Agent,
    base: &str,
    token: &str,
    username: &str,
) -> Result<Reply, ureq::Error> {
    let body = serde_json::json!({
        "username": username,
        "display_name": format!("User {username}"),
        "roles": ["staff"],
    });
    agent
        .post(format!("{base}/api/v1/users"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .send(body.to_string())
        .map(Reply::of)
}

/// Every username the API lists.
fn usernames(base: &str, token: &str) -> BTreeSet<String> {
    let reply = Reply::of(
        agent()
            .get(format!("{base}/api/v1/users"))
            .header("authorization", format!("Bearer {token}"))
            .call()
            .unwrap(),
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    reply
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_owned())
        .collect()
}

/// Threads that create users as fast as the server takes them, recording every username it
/// acknowledged with 201.
struct Hammer {
    acked: Arc<Mutex<Vec<String>>>,
    /// Set just before the server is stopped: transport errors after it are expected.
    stopping: Arc<AtomicBool>,
    threads: Vec<JoinHandle<Vec<String>>>,
}

impl Hammer {
    fn start(base: &str, token: &str, prefix: &str, threads: usize) -> Hammer {
        let acked = Arc::new(Mutex::new(Vec::new()));
        let stopping = Arc::new(AtomicBool::new(false));
        let threads = (0..threads)
            .map(|t| {
                let (acked, stopping) = (acked.clone(), stopping.clone());
                let (base, token, prefix) = (base.to_owned(), token.to_owned(), prefix.to_owned());
                std::thread::spawn(move || {
                    let agent = agent();
                    let mut problems = Vec::new();
                    for i in 0.. {
                        let username = format!("{prefix}{t}x{i}");
                        match create_user(&agent, &base, &token, &username) {
                            Ok(r) if r.status == 201 => acked.lock().unwrap().push(username),
                            Ok(r) => {
                                problems.push(format!("{username}: {} {}", r.status, r.body));
                                break;
                            }
                            Err(e) => {
                                if !stopping.load(Ordering::SeqCst) {
                                    problems.push(format!("{username}: {e}"));
                                }
                                break;
                            }
                        }
                    }
                    problems
                })
            })
            .collect();
        Hammer {
            acked,
            stopping,
            threads,
        }
    }

    /// Waits (at most 60 s) until the server has acknowledged `n` users.
    fn wait_for(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.acked.lock().unwrap().len() < n {
            assert!(
                Instant::now() < deadline,
                "fewer than {n} users acknowledged in 60 s"
            );
            assert!(
                !self.threads.iter().all(JoinHandle::is_finished),
                "every writer stopped early"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Joins the writers once the server is gone; every username acknowledged.
    fn finish(self) -> BTreeSet<String> {
        let mut problems = Vec::new();
        for t in self.threads {
            problems.extend(t.join().unwrap());
        }
        assert!(problems.is_empty(), "{problems:#?}");
        self.acked.lock().unwrap().iter().cloned().collect()
    }
}

// ----- The database file, as an attacker or an auditor with direct access sees it -----

fn db_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("socialgov.db").display())
}

fn with_db<T>(
    dir: &Path,
    f: impl AsyncFnOnce(&mut sqlx::SqliteConnection) -> Result<T, sqlx::Error>,
) -> Result<T, sqlx::Error> {
    use sqlx::Connection;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&db_url(dir)).await?;
        let out = f(&mut conn).await;
        conn.close().await?;
        out
    })
}

/// Runs statements straight on the database file.
fn db_execute(dir: &Path, sql: &'static str) -> Result<(), sqlx::Error> {
    with_db(dir, async |conn| {
        sqlx::raw_sql(sql).execute(&mut *conn).await.map(|_| ())
    })
}

fn db_i64(dir: &Path, sql: &'static str) -> i64 {
    with_db(dir, async |conn| {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&mut *conn)
            .await
    })
    .unwrap()
}

fn db_string(dir: &Path, sql: &'static str) -> String {
    with_db(dir, async |conn| {
        sqlx::query_scalar::<_, String>(sql)
            .fetch_one(&mut *conn)
            .await
    })
    .unwrap()
}

/// A scratch directory: the data directory inside it, server logs beside it.
struct Scratch {
    tmp: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    fn log(&self, name: &str) -> PathBuf {
        self.tmp.path().join(format!("{name}.log"))
    }
}

/// After a stop, the data directory must hold every acknowledged user, no half-done change
/// and an audit chain that verifies: checked by `audit verify`, by SQLite itself, and by a
/// restarted server over HTTP. Stops the restarted server with SIGTERM.
fn check_after_stop(scratch: &Scratch, token: &str, acked: &BTreeSet<String>, in_flight: usize) {
    let dir = scratch.data();
    // The binary opens the database first, so it is what recovers the crashed WAL.
    let verify = audit_verify(&dir);
    assert_eq!(verify.code, 0, "{verify:?}");
    assert!(verify.stdout.contains("audit log intact"), "{verify:?}");

    assert_eq!(db_string(&dir, "PRAGMA integrity_check"), "ok");
    let users = db_i64(&dir, "SELECT COUNT(*) FROM users");
    let audited = db_i64(
        &dir,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'user.create'",
    );
    // Every user has its audit entry and every audit entry its user: no half-done change.
    assert_eq!(users, audited);
    // The administrator, every acknowledged user, and at most one unacknowledged user per
    // writer (a request the server committed but could not answer).
    let acked_n = i64::try_from(acked.len()).unwrap();
    let in_flight = i64::try_from(in_flight).unwrap();
    assert!(
        (acked_n + 1..=acked_n + 1 + in_flight).contains(&users),
        "{users} users in the database, {acked_n} acknowledged"
    );

    let mut server = Server::start(&dir, &scratch.log("restarted"));
    let listed = usernames(&server.base, token);
    let lost: Vec<_> = acked.difference(&listed).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    assert!(listed.contains("admin"));
    server.stop_gracefully();
    let verify = audit_verify(&dir);
    assert_eq!(verify.code, 0, "{verify:?}");
}

// ----- Tests -----

const WRITERS: usize = 4;

#[test]
fn kill_9_during_writes_loses_nothing_acknowledged_and_corrupts_nothing() {
    let scratch = Scratch::new();
    let dir = scratch.data();
    add_admin(&dir);
    let mut server = Server::start(&dir, &scratch.log("first"));
    let token = admin_token(&server.base);

    let hammer = Hammer::start(&server.base, &token, "k", WRITERS);
    hammer.wait_for(300);
    // Writers are still sending: some requests are in flight when the process dies.
    hammer.stopping.store(true, Ordering::SeqCst);
    server.kill_9();
    let acked = hammer.finish();
    assert!(acked.len() >= 300, "{}", acked.len());

    check_after_stop(&scratch, &token, &acked, WRITERS);
}

#[test]
fn sigterm_during_writes_finishes_them_and_exits_0_promptly() {
    let scratch = Scratch::new();
    let dir = scratch.data();
    add_admin(&dir);
    let mut server = Server::start(&dir, &scratch.log("first"));
    let token = admin_token(&server.base);

    let hammer = Hammer::start(&server.base, &token, "t", WRITERS);
    hammer.wait_for(100);
    hammer.stopping.store(true, Ordering::SeqCst);
    server.stop_gracefully();
    assert!(
        server.log_text().contains("shutting down"),
        "{}",
        server.log_text()
    );
    let acked = hammer.finish();

    check_after_stop(&scratch, &token, &acked, WRITERS);
}

#[test]
fn audit_verify_finds_an_altered_or_removed_entry() {
    let scratch = Scratch::new();
    let dir = scratch.data();
    add_admin(&dir); // entry 1
    for name in ["bob", "carol"] {
        // entries 2 and 3
        let out = user_add(&dir, name, "staff", "a long enough password");
        assert_eq!(out.code, 0, "{out:?}");
    }
    let out = user_cmd(&dir, "disable", "carol"); // entry 4
    assert_eq!(out.code, 0, "{out:?}");
    let verify = audit_verify(&dir);
    assert_eq!(verify.code, 0, "{verify:?}");
    assert!(verify.stdout.contains("intact: 4 entries"), "{verify:?}");

    // The log is append-only while its triggers stand.
    let refused = db_execute(&dir, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.to_string().contains("append-only")),
        "{refused:?}"
    );
    let refused = db_execute(&dir, "DELETE FROM audit_log WHERE seq = 3");
    assert!(refused.is_err(), "{refused:?}");

    // An attacker with the file drops a trigger and rewrites who did something.
    db_execute(&dir, "DROP TRIGGER audit_log_no_update").unwrap();
    db_execute(&dir, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").unwrap();
    let verify = audit_verify(&dir);
    assert_eq!(verify.code, 1, "{verify:?}");
    assert!(verify.stderr.contains("audit entry 2:"), "{verify:?}");
    assert!(verify.stderr.contains("altered"), "{verify:?}");
    assert!(!verify.stdout.contains("intact"), "{verify:?}");

    // Put back exactly as it was, the chain holds again: verification is by content.
    db_execute(&dir, "UPDATE audit_log SET actor = 'cli' WHERE seq = 2").unwrap();
    let verify = audit_verify(&dir);
    assert_eq!(verify.code, 0, "{verify:?}");

    // Removing the newest entry is found against the chain's head; put back, it holds.
    db_execute(
        &dir,
        "DROP TRIGGER audit_log_no_delete; \
         CREATE TABLE stash AS SELECT * FROM audit_log WHERE seq = 4; \
         DELETE FROM audit_log WHERE seq = 4",
    )
    .unwrap();
    let verify = audit_verify(&dir);
    assert_eq!(verify.code, 1, "{verify:?}");
    assert!(verify.stderr.contains("audit entry 4:"), "{verify:?}");
    db_execute(&dir, "INSERT INTO audit_log SELECT * FROM stash").unwrap();
    let verify = audit_verify(&dir);
    assert_eq!(verify.code, 0, "{verify:?}");

    // Removing an entry from the middle is found at that entry.
    db_execute(&dir, "DELETE FROM audit_log WHERE seq = 3").unwrap();
    let verify = audit_verify(&dir);
    assert_eq!(verify.code, 1, "{verify:?}");
    assert!(verify.stderr.contains("audit entry 3:"), "{verify:?}");
    assert!(verify.stderr.contains("missing"), "{verify:?}");
}

#[test]
fn user_commands_work_and_refuse_bad_input_without_changing_anything() {
    let scratch = Scratch::new();
    let dir = scratch.data();

    let out = user_add(&dir, "admin", "administrator,staff", ADMIN_PASSWORD);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("created user admin (id 1)"), "{out:?}");

    let out = user_add(&dir, "shorty", "staff", "short pw");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("12 characters"), "{out:?}");

    let out = user_add(&dir, "rooty", "staff,root", "a long enough password");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("unknown role \"root\""), "{out:?}");
    for role in [
        "staff",
        "line_manager",
        "information_governance",
        "administrator",
    ] {
        assert!(out.stderr.contains(role), "{role}: {out:?}");
    }

    let out = user_add(&dir, "Not A Name!", "staff", "a long enough password");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("username must be"), "{out:?}");

    let out = user_add(&dir, "admin", "staff", "another long password");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("already exists"), "{out:?}");

    // The password comes from a named environment variable, or standard input.
    let out = run(socialgov()
        .args(["user", "add", "dave", "--name", "Dave", "--password-env"])
        .arg("SOCIALGOV_TEST_UNSET_VARIABLE")
        .arg("--data-dir")
        .arg(&dir));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("SOCIALGOV_TEST_UNSET_VARIABLE is not set"),
        "{out:?}"
    );
    let out = run_with_stdin(
        socialgov()
            .args(["user", "add", "dave", "--name", "Dave Smith", "--data-dir"])
            .arg(&dir),
        "",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("no password"), "{out:?}");
    let out = run_with_stdin(
        socialgov()
            .args(["user", "add", "dave", "--name", "Dave Smith", "--data-dir"])
            .arg(&dir),
        "dave's long password\n",
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("created user dave"), "{out:?}");

    let out = user_cmd(&dir, "disable", "ghost");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("user not found"), "{out:?}");
    let out = run_with_stdin(
        socialgov()
            .args(["user", "passwd", "ghost", "--data-dir"])
            .arg(&dir),
        "a long enough password\n",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("not found"), "{out:?}");
    let out = run_with_stdin(
        socialgov()
            .args(["user", "passwd", "dave", "--data-dir"])
            .arg(&dir),
        "dave's new long password\n",
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("password set for dave"), "{out:?}");
    let out = user_cmd(&dir, "disable", "dave");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("disabled dave"), "{out:?}");
    let out = user_cmd(&dir, "enable", "dave");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("enabled dave"), "{out:?}");

    // Only the five changes that succeeded are in the log, and it holds.
    let verify = audit_verify(&dir);
    assert_eq!(verify.code, 0, "{verify:?}");
    assert!(verify.stdout.contains("intact: 5 entries"), "{verify:?}");
    assert_eq!(db_i64(&dir, "SELECT COUNT(*) FROM users"), 2);
}

#[test]
fn a_disabled_user_cannot_log_in_and_a_new_password_ends_sessions() {
    let scratch = Scratch::new();
    let dir = scratch.data();
    let first = "carol's first password";
    let out = user_add(&dir, "carol", "staff", first);
    assert_eq!(out.code, 0, "{out:?}");
    let mut server = Server::start(&dir, &scratch.log("server"));
    let base = server.base.clone();

    let session = login(&base, "carol", first).unwrap_or_else(|r| panic!("{r:?}"));
    assert_eq!(get_with_session(&base, &session, "/").status, 200);

    // The operator disables her while the server runs: her session ends at once, and her
    // right password is refused exactly as a wrong one is.
    let out = user_cmd(&dir, "disable", "carol");
    assert_eq!(out.code, 0, "{out:?}");
    let home = get_with_session(&base, &session, "/");
    assert_eq!(home.status, 303, "{home:?}");
    assert_eq!(home.location.as_deref(), Some("/login"));
    let refused = login(&base, "carol", first).unwrap_err();
    assert_eq!(refused.status, 400, "{refused:?}");
    assert!(
        refused
            .body
            .contains("the username or password is not right"),
        "{refused:?}"
    );
    assert!(refused.cookie("socialgov_session").is_none(), "{refused:?}");
    let wrong = login(&base, "carol", "not carol's password").unwrap_err();
    assert_eq!(wrong.status, 400, "{wrong:?}");

    let out = user_cmd(&dir, "enable", "carol");
    assert_eq!(out.code, 0, "{out:?}");
    let session = login(&base, "carol", first).unwrap_or_else(|r| panic!("{r:?}"));
    assert_eq!(get_with_session(&base, &session, "/").status, 200);

    // A new password signs her out everywhere; only the new one works.
    let second = "carol's second password";
    let out = run(socialgov()
        .args([
            "user",
            "passwd",
            "carol",
            "--password-env",
            PASSWORD_VAR,
            "--data-dir",
        ])
        .arg(&dir)
        .env(PASSWORD_VAR, second));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(get_with_session(&base, &session, "/").status, 303);
    assert_eq!(login(&base, "carol", first).unwrap_err().status, 400);
    let session = login(&base, "carol", second).unwrap_or_else(|r| panic!("{r:?}"));
    assert_eq!(get_with_session(&base, &session, "/").status, 200);

    server.stop_gracefully();
    let verify = audit_verify(&dir);
    assert_eq!(verify.code, 0, "{verify:?}");
}

#[test]
fn config_prints_the_documented_defaults() {
    let out = run(socialgov().arg("config"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("listen = \"127.0.0.1:8080\""),
        "{out:?}"
    );
    assert!(out.stdout.contains("data_dir = \"data\""), "{out:?}");
}

#[test]
fn serve_refuses_a_bad_configuration_naming_the_key() {
    let scratch = Scratch::new();
    let root = scratch.tmp.path();
    let serve = |config: &Path| {
        run(socialgov()
            .current_dir(root)
            .args(["serve", "--listen", "127.0.0.1:0", "--config"])
            .arg(config)
            .arg("--data-dir")
            .arg(root.join("data")))
    };

    let bad = root.join("bad.toml");
    std::fs::write(&bad, "listen = 5\n").unwrap();
    let out = serve(&bad);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("listen"), "{out:?}");

    std::fs::write(&bad, "listen = \"127.0.0.1:0\"\nlisten_port = 80\n").unwrap();
    let out = serve(&bad);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("listen_port"), "{out:?}");

    let out = serve(&root.join("missing.toml"));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("no such file"), "{out:?}");

    // Nothing was started or created.
    assert!(!root.join("data").exists());
}

#[test]
fn a_config_file_is_read_and_the_environment_and_flags_override_it() {
    let scratch = Scratch::new();
    let root = scratch.tmp.path();
    let config = root.join("socialgov.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:0\"\ndata_dir = \"{}\"\n",
            root.join("from-file").display()
        ),
    )
    .unwrap();
    let add = |name: &str| {
        let mut cmd = socialgov();
        cmd.current_dir(root)
            .args(["user", "add", name, "--name", "Someone", "--config"])
            .arg(&config)
            .args(["--password-env", PASSWORD_VAR])
            .env(PASSWORD_VAR, "a long enough password");
        cmd
    };
    let out = run(&mut add("admin"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(root.join("from-file/socialgov.db").exists());
    let out = run(add("bob").env("SOCIALGOV_DATA_DIR", root.join("from-env")));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(root.join("from-env/socialgov.db").exists());
    let out = run(add("carol")
        .env("SOCIALGOV_DATA_DIR", root.join("from-env"))
        .arg("--data-dir")
        .arg(root.join("from-flag")));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(root.join("from-flag/socialgov.db").exists());

    // `serve` takes its address and data directory from the file.
    let mut server = Server::start_with(
        socialgov()
            .current_dir(root)
            .arg("serve")
            .arg("--config")
            .arg(&config),
        &scratch.log("server"),
    );
    let agent = agent();
    let health = Reply::of(
        agent
            .get(format!("{}/healthz", server.base))
            .call()
            .unwrap(),
    );
    assert_eq!(health.status, 200, "{health:?}");
    assert!(login(&server.base, "admin", "a long enough password").is_ok());

    // A second server cannot take the same address: it says so and exits 2.
    let taken = server.base.trim_start_matches("http://").to_owned();
    let out = run(socialgov()
        .current_dir(root)
        .args(["serve", "--config"])
        .arg(&config)
        .args(["--listen", &taken]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("cannot listen on"), "{out:?}");
    server.stop_gracefully();
}

#[test]
fn operator_commands_never_create_a_database_by_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo");
    for args in [
        vec!["audit", "verify"],
        vec!["user", "disable", "admin"],
        vec!["token", "revoke", "1"],
    ] {
        let out = run(socialgov().args(&args).arg("--data-dir").arg(&typo));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.contains("no database at"), "{args:?}: {out:?}");
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
    }
}

#[test]
fn usernames_are_found_whatever_their_case() {
    let dir = tempfile::tempdir().unwrap();
    let out = user_add(dir.path(), "Alice.Smith", "staff", ADMIN_PASSWORD);
    assert_eq!(out.code, 0, "{out:?}");
    for command in ["disable", "enable"] {
        let out = user_cmd(dir.path(), command, "ALICE.smith");
        assert_eq!(out.code, 0, "{command}: {out:?}");
    }
}

#[test]
fn logs_never_hold_post_text_or_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    add_admin(dir.path());
    let token = run(socialgov()
        .args([
            "token",
            "add",
            "admin",
            "--name",
            "log test",
            "--scopes",
            "check_post",
            "--data-dir",
        ])
        .arg(dir.path()));
    assert_eq!(token.code, 0, "{token:?}");
    let token = token.stdout.trim().to_owned();
    let log = dir.path().join("server.log");
    let mut server = Server::start_with(
        socialgov()
            .env("SOCIALGOV_LOG", "debug")
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path()),
        &log,
    );
    let post =
        r#"{"text": "Mrs Eileen Crabtree in bed 4, NHS number 943 476 5919, DOB 03/04/1931"}"#;
    for path in [
        "/api/v1/check",
        "/api/v1/redact",
        "/api/v1/check?x=Crabtree",
    ] {
        let reply = Reply::of(
            agent()
                .post(format!("{}{path}", server.base))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .send(post)
                .unwrap(),
        );
        assert_eq!(reply.status, 200, "{reply:?}");
    }
    server.stop_gracefully();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("/api/v1/check"),
        "request logging is on at debug:\n{text}"
    );
    for secret in ["Crabtree", "943 476 5919", "9434765919", "1931", &token] {
        assert!(!text.contains(secret), "the log holds {secret:?}:\n{text}");
    }
}
