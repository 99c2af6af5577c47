//! API tokens for integrations: stored only as hashes, scoped, revocable.

use std::collections::BTreeSet;

use socialgov_domain::{Action, Timestamp, User};
use sqlx::Row;

use crate::{Result, Store, StoreError, WriteTx};

/// A token as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub scopes: BTreeSet<Action>,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// The owner of a live token and what it is scoped to.
#[derive(Debug, Clone)]
pub struct TokenOwner {
    pub token_id: i64,
    pub user: User,
    pub scopes: BTreeSet<Action>,
}

fn parse_scopes(text: &str) -> Result<BTreeSet<Action>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            Action::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown scope {s:?}")))
        })
        .collect()
}

fn join_scopes(scopes: &BTreeSet<Action>) -> String {
    scopes
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

impl Store {
    /// Every token, newest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, user_id, name, scopes, created_at, revoked_at FROM api_tokens ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let scopes: String = row.try_get("scopes")?;
                Ok(ApiToken {
                    id: row.try_get("id")?,
                    user_id: row.try_get("user_id")?,
                    name: row.try_get("name")?,
                    scopes: parse_scopes(&scopes)?,
                    created_at: row.try_get("created_at")?,
                    revoked_at: row.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// The owner of the live (unrevoked) token with this hash, unless the owner is disabled.
    pub async fn token_owner(&self, token_hash: &str) -> Result<Option<TokenOwner>> {
        let row = sqlx::query(
            "SELECT id, user_id, scopes FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user_id: i64 = row.try_get("user_id")?;
        let scopes: String = row.try_get("scopes")?;
        let Some(user) = self.user(user_id).await? else {
            return Ok(None);
        };
        if user.disabled_at.is_some() {
            return Ok(None);
        }
        Ok(Some(TokenOwner {
            token_id: row.try_get("id")?,
            user,
            scopes: parse_scopes(&scopes)?,
        }))
    }
}

impl WriteTx {
    /// Stores a new token's hash; returns its id.
    pub async fn create_api_token(
        &mut self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        scopes: &BTreeSet<Action>,
        now: Timestamp,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(join_scopes(scopes))
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Revokes a token; `NotFound` when there is no live token with this id.
    pub async fn revoke_api_token(&mut self, id: i64, now: Timestamp) -> Result<()> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("live API token"));
        }
        Ok(())
    }
}
