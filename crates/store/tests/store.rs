//! The storage seam, exercised on every backend under test (SQLite always; PostgreSQL when
//! `SOCIALGOV_TEST_DATABASE_URL` is set, which `./scripts/test` and CI do).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use socialgov_domain::{AuditEntry, Role};
use socialgov_store::scratch::{backends, scratch};
use socialgov_store::{AuditFilter, NewUser, Store, StoreError};

fn entry(action: &str, target: &str) -> AuditEntry {
    AuditEntry {
        at: 1_700_000_000_000,
        actor_id: None,
        actor: "system".into(),
        action: action.into(),
        target: target.into(),
        before: None,
        after: Some("{}".into()),
    }
}

fn new_user(name: &str, roles: &[Role]) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: format!("User {name}"),
        email: None,
        password_hash: None,
        department_id: None,
        manager_id: None,
        roles: roles.iter().copied().collect(),
    }
}

async fn add_user(store: &Store, name: &str, roles: &[Role]) -> i64 {
    let mut tx = store.write().await.unwrap();
    let id = tx.create_user(&new_user(name, roles), 1).await.unwrap();
    tx.audit(entry("user.create", &format!("user:{id}")))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Runs `body` once per backend, each on a fresh database.
macro_rules! on_every_backend {
    (|$store:ident| $body:block) => {{
        for backend in backends().unwrap() {
            let scratch = scratch(backend).await.unwrap();
            let $store = scratch.store.clone();
            $body
        }
    }};
}

#[tokio::test]
async fn users_roles_and_conflicts() {
    on_every_backend!(|store| {
        let id = add_user(&store, "alice", &[Role::Staff, Role::LineManager]).await;
        let alice = store.user(id).await.unwrap().unwrap();
        assert_eq!(alice.username, "alice");
        assert_eq!(
            alice.roles,
            BTreeSet::from([Role::Staff, Role::LineManager])
        );
        let mut tx = store.write().await.unwrap();
        let err = tx
            .create_user(&new_user("alice", &[]), 2)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        drop(tx);
        assert_eq!(store.users().await.unwrap().len(), 1);
    });
}

#[tokio::test]
async fn a_change_without_an_audit_entry_is_rolled_back() {
    on_every_backend!(|store| {
        let mut tx = store.write().await.unwrap();
        tx.create_user(&new_user("bob", &[Role::Staff]), 1)
            .await
            .unwrap();
        assert!(matches!(tx.commit().await, Err(StoreError::Unaudited)));
        assert!(store.user_by_name("bob").await.unwrap().is_none());
    });
}

#[tokio::test]
async fn sessions_end_when_the_user_is_disabled() {
    on_every_backend!(|store| {
        let id = add_user(&store, "carol", &[Role::Staff]).await;
        let mut tx = store.write().await.unwrap();
        tx.create_session("h1", id, "csrf", 10, 1_000)
            .await
            .unwrap();
        tx.audit(entry("session.login", "session")).await.unwrap();
        tx.commit().await.unwrap();
        assert!(store.session("h1", 500).await.unwrap().is_some());
        assert!(
            store.session("h1", 1_000).await.unwrap().is_none(),
            "expired"
        );
        let mut tx = store.write().await.unwrap();
        tx.set_disabled(id, Some(600)).await.unwrap();
        tx.audit(entry("user.disable", "user")).await.unwrap();
        tx.commit().await.unwrap();
        assert!(store.session("h1", 700).await.unwrap().is_none());
    });
}

#[tokio::test]
async fn concurrent_writers_keep_one_unbroken_chain() {
    on_every_backend!(|store| {
        let mut tasks = Vec::new();
        for i in 0..16 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                add_user(&store, &format!("user{i}"), &[Role::Staff]).await
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(store.verify_audit().await.unwrap(), Ok(16));
        let page = store
            .audit_entries(
                &AuditFilter {
                    action_prefix: Some("user.".into()),
                    ..Default::default()
                },
                5,
                0,
            )
            .await
            .unwrap();
        assert_eq!(
            page.iter().map(|r| r.seq).collect::<Vec<_>>(),
            [16, 15, 14, 13, 12]
        );
        let none = store
            .audit_entries(
                &AuditFilter {
                    actor: Some("nobody".into()),
                    ..Default::default()
                },
                5,
                0,
            )
            .await
            .unwrap();
        assert!(none.is_empty());
    });
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    on_every_backend!(|store| {
        store.audit(entry("x.y", "thing")).await.unwrap();
        for sql in [
            "UPDATE audit_log SET actor = 'mallory'",
            "DELETE FROM audit_log",
        ] {
            let err = store.execute_raw_for_tests(sql).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{err}");
        }
        assert_eq!(store.verify_audit().await.unwrap(), Ok(1));
    });
}

#[tokio::test]
async fn tampering_is_found_at_the_altered_entry() {
    on_every_backend!(|store| {
        for i in 0..5 {
            store
                .audit(entry("x.y", &format!("thing:{i}")))
                .await
                .unwrap();
        }
        // Someone with direct database access disables the guard and edits entry 3.
        let drop_guard = match store.backend() {
            socialgov_store::Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
            socialgov_store::Backend::Postgres => "DROP TRIGGER audit_log_no_change ON audit_log",
        };
        store.execute_raw_for_tests(drop_guard).await.unwrap();
        store
            .execute_raw_for_tests("UPDATE audit_log SET target = 'thing:9' WHERE seq = 3")
            .await
            .unwrap();
        let broken = store.verify_audit().await.unwrap().unwrap_err();
        assert_eq!(broken.seq, 3, "{broken}");
    });
}
