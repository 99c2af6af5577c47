//! Empty scratch databases for tests, one per test, on every backend under test.
//!
//! SQLite always; PostgreSQL when `SOCIALGOV_TEST_DATABASE_URL` names a server the tests may
//! create databases on (`./scripts/test` starts one). With `SOCIALGOV_REQUIRE_POSTGRES=1`
//! (as in CI) a missing PostgreSQL is an error, so CI can never silently test one backend.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection, Executor};

use crate::{Backend, Result, Store, StoreError};

/// A scratch database; the SQLite file lives as long as this value.
pub struct Scratch {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The backends the tests must cover.
pub fn backends() -> Result<Vec<Backend>> {
    let pg = std::env::var("SOCIALGOV_TEST_DATABASE_URL").is_ok();
    let required = std::env::var("SOCIALGOV_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    if required && !pg {
        return Err(StoreError::Corrupt(
            "SOCIALGOV_REQUIRE_POSTGRES=1 but SOCIALGOV_TEST_DATABASE_URL is not set".into(),
        ));
    }
    Ok(if pg {
        vec![Backend::Sqlite, Backend::Postgres]
    } else {
        vec![Backend::Sqlite]
    })
}

/// A fresh, migrated, empty database on `backend`.
pub async fn scratch(backend: Backend) -> Result<Scratch> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let url = format!("sqlite://{}/test.db", dir.path().display());
            let store = Store::connect(&url, 4).await?;
            Ok(Scratch {
                store,
                url,
                _dir: Some(dir),
            })
        }
        Backend::Postgres => {
            let admin = std::env::var("SOCIALGOV_TEST_DATABASE_URL")
                .map_err(|_| StoreError::UnsupportedUrl)?;
            let name = format!("socialgov_test_{}_{n}", std::process::id());
            let mut conn = sqlx::PgConnection::connect(&admin).await?;
            conn.execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name}"
            )))
            .await?;
            conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await?;
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            let url = format!("{base}/{name}");
            let store = Store::connect(&url, 4).await?;
            Ok(Scratch {
                store,
                url,
                _dir: None,
            })
        }
    }
}

impl Store {
    /// Runs a raw statement, for tests that play an attacker with direct database access.
    pub async fn execute_raw_for_tests(&self, sql: &'static str) -> Result<()> {
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }
}
