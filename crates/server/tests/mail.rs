//! E-mail delivery against a real SMTP server (Python's aiosmtpd, Debian's
//! `python3-aiosmtpd`, writing what it receives to a Maildir), on every backend under test:
//! a relay that is down is retried later, nothing is sent twice even by two senders at once,
//! and every outcome is audited.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use socialgov_domain::{Principal, Role};
use socialgov_server::accounts::{self, Actor, UserRequest};
use socialgov_server::config::Config;
use socialgov_server::mail::{Delivery, Mailer, deliver_due};
use socialgov_server::{AppState, channels};
use socialgov_store::AuditFilter;
use socialgov_store::scratch::{Scratch, backends, scratch};

const PYTHON: &str = "/usr/bin/python3";
const NOW: i64 = 1_800_000_000_000;

/// Whether aiosmtpd can be run; without it the test is skipped, unless CI requires it.
fn smtp_server_available() -> bool {
    let ok = Command::new(PYTHON)
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let required = std::env::var("SOCIALGOV_REQUIRE_SMTP").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "SOCIALGOV_REQUIRE_SMTP=1 but aiosmtpd is missing (apt-get install python3-aiosmtpd)"
        );
        eprintln!("skipped: no aiosmtpd (apt-get install python3-aiosmtpd)");
    }
    ok
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An SMTP server on `port` that stores every message in `maildir`; stopped on drop.
struct SmtpServer(Child);

impl SmtpServer {
    fn start(port: u16, maildir: &Path) -> SmtpServer {
        let child = Command::new(PYTHON)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer(child)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Every message the server received, decoded by Python's e-mail parser: the envelope's
/// recipient, then each header unfolded, then the decoded body.
fn received(maildir: &Path) -> Vec<String> {
    const DECODE: &str = "import email, email.policy, sys\n\
        m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n\
        print('\\n'.join(f'{k}: {v}' for k, v in m.items()))\n\
        print(m.get_content())";
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    entries
        .map(|e| {
            let out = Command::new(PYTHON)
                .args(["-c", DECODE])
                .arg(e.unwrap().path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        })
        .collect()
}

async fn add_user(state: &AppState, name: &str, email: Option<&str>, role: Role) -> Principal {
    let req = UserRequest {
        username: name.into(),
        display_name: format!("Test {name}"),
        email: email.map(Into::into),
        password: Some("correct horse battery staple".into()),
        department_id: None,
        manager_id: None,
        roles: [role].into_iter().collect(),
    };
    let user = accounts::create_user(&state.store, &Actor::system(), req, NOW)
        .await
        .unwrap();
    Principal {
        user_id: user.id,
        username: user.username.to_string(),
        roles: user.roles,
        scopes: None,
    }
}

async fn audit_count(state: &AppState, action: &str) -> usize {
    let filter = AuditFilter {
        action_prefix: Some(action.into()),
        ..AuditFilter::default()
    };
    state
        .store
        .audit_entries(&filter, 1000, 0)
        .await
        .unwrap()
        .len()
}

/// A server whose relay is `127.0.0.1:port`, on a fresh database, with a nurse who reports
/// accounts and a communications officer with an address (told of each report).
async fn app_with_relay(
    backend: socialgov_store::Backend,
    port: u16,
) -> (Scratch, AppState, Arc<Mailer>, Principal) {
    let db = scratch(backend).await.unwrap();
    let config = Config {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        mail_from: Some("socialgov <socialgov@trust.nhs.uk>".into()),
        public_url: Some("https://socialgov.trust.nhs.uk/".into()),
        ..Config::default()
    };
    let state = AppState::with_store(config, db.store.clone()).unwrap();
    let mailer = state.mailer.clone().unwrap();
    let nurse = add_user(&state, "nurse", None, Role::Staff).await;
    let comms_address = Some("comms@trust.nhs.uk");
    add_user(&state, "comms", comms_address, Role::CommsOfficer).await;
    (db, state, mailer, nurse)
}

#[tokio::test]
async fn notifications_are_emailed_through_the_relay_once_and_retried_when_it_is_down() {
    if !smtp_server_available() {
        return;
    }
    for backend in backends().unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let maildir: PathBuf = dir.path().join("maildir");
        let port = free_port();
        let (_db, state, mailer, nurse) = app_with_relay(backend, port).await;
        add_user(&state, "quiet", None, Role::CommsOfficer).await;
        let report = |handle: String, at: i64| {
            let (store, nurse) = (state.store.clone(), nurse.clone());
            async move {
                channels::report_imposter(
                    &store,
                    &nurse,
                    "facebook",
                    &handle,
                    "",
                    "Uses the trust's logo",
                    at,
                )
                .await
                .unwrap()
            }
        };
        report("Torbay Hospital Staff".into(), NOW).await;

        // The relay is down: the e-mail waits a minute and says why.
        let done = deliver_due(&state.store, &mailer, NOW).await.unwrap();
        assert_eq!(done, Delivery { sent: 0, failed: 1 }, "{backend:?}");
        let outbox = state.store.outbox(10).await.unwrap();
        assert_eq!(outbox.len(), 1, "only people with an address get e-mail");
        assert_eq!(outbox[0].attempts, 1);
        assert_eq!(outbox[0].next_attempt_at, Some(NOW + 60_000));
        assert!(outbox[0].last_error.is_some());
        assert_eq!(audit_count(&state, "email.retry").await, 1);

        let _server = SmtpServer::start(port, &maildir);
        // Not yet due: nothing is tried.
        let early = deliver_due(&state.store, &mailer, NOW + 30_000).await;
        assert_eq!(early.unwrap(), Delivery::default());
        let done = deliver_due(&state.store, &mailer, NOW + 60_000)
            .await
            .unwrap();
        assert_eq!(done, Delivery { sent: 1, failed: 0 }, "{backend:?}");
        let mail = received(&maildir);
        assert_eq!(mail.len(), 1);
        for expected in [
            "X-RcptTo: comms@trust.nhs.uk",
            "socialgov@trust.nhs.uk",
            "Subject: socialgov: An account on Facebook may be pretending to be the trust",
            "Open it in socialgov: https://socialgov.trust.nhs.uk/imposters",
        ] {
            assert!(mail[0].contains(expected), "{expected:?} in {}", mail[0]);
        }
        let outbox = state.store.outbox(10).await.unwrap();
        assert_eq!(outbox[0].sent_at, Some(NOW + 60_000));
        assert_eq!(outbox[0].attempts, 2);
        assert_eq!(audit_count(&state, "email.sent").await, 1);
        let again = deliver_due(&state.store, &mailer, NOW + 120_000).await;
        assert_eq!(again.unwrap(), Delivery::default(), "nothing is sent twice");

        // Two senders at once (two servers on one database) share the work without
        // sending any e-mail twice.
        for n in 0..25 {
            report(format!("Fake account {n}"), NOW + 200_000).await;
        }
        let (a, b) = tokio::join!(
            deliver_due(&state.store, &mailer, NOW + 300_000),
            deliver_due(&state.store, &mailer, NOW + 300_000)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!((a.failed, b.failed), (0, 0));
        assert_eq!(a.sent + b.sent, 25, "{backend:?}: {a:?} {b:?}");
        assert_eq!(received(&maildir).len(), 26);
        assert_eq!(audit_count(&state, "email.sent").await, 26);
        assert!(state.store.verify_audit().await.unwrap().is_ok());
    }
}

#[tokio::test]
async fn an_email_is_given_up_after_the_last_retry() {
    for backend in backends().unwrap() {
        // Nothing listens on a port just freed.
        let (_db, state, mailer, nurse) = app_with_relay(backend, free_port()).await;
        channels::report_imposter(&state.store, &nurse, "x", "@fake", "", "Fake", NOW)
            .await
            .unwrap();
        let mut at = NOW;
        for attempt in 1..=6 {
            let done = deliver_due(&state.store, &mailer, at).await.unwrap();
            assert_eq!(done.failed, 1, "{backend:?}: attempt {attempt}");
            let email = &state.store.outbox(1).await.unwrap()[0];
            assert_eq!(email.attempts, attempt);
            match email.next_attempt_at {
                Some(next) => at = next,
                None => assert_eq!((attempt, email.failed_at), (6, Some(at))),
            }
        }
        let later = deliver_due(&state.store, &mailer, at + 86_400_000).await;
        assert_eq!(later.unwrap(), Delivery::default(), "given up for good");
        assert_eq!(audit_count(&state, "email.retry").await, 5);
        assert_eq!(audit_count(&state, "email.failed").await, 1);
    }
}
