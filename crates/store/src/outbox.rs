//! The e-mail outbox: every notification queued as an e-mail, and its delivery through an
//! SMTP relay when one is configured.
//!
//! A sender claims due e-mails for a short lease ([`Store::claim_due_emails`]), so several
//! servers on one database never send the same e-mail twice; it then records each one as
//! sent or failed in an audited [`WriteTx`]. The lease itself changes no record anybody reads,
//! so it is the one write that carries no audit entry.

use socialgov_domain::Timestamp;
use sqlx::Row;

use crate::{Result, Store, StoreError, WriteTx};

/// An e-mail waiting to be sent, sent, or given up on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutboxEmail {
    pub id: i64,
    pub user_id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    /// The page the e-mail points to, relative to the server (`/channels/3`).
    pub link: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    /// Delivery attempts so far, successful or not.
    pub attempts: i64,
    pub next_attempt_at: Option<Timestamp>,
    /// Why the last attempt failed, as the relay or the network said.
    pub last_error: Option<String>,
    /// When delivery was given up after the last attempt.
    pub failed_at: Option<Timestamp>,
}

macro_rules! columns {
    () => {
        "id, user_id, to_address, subject, body, link, created_at, sent_at, attempts, \
         next_attempt_at, last_error, failed_at"
    };
}

fn email(r: &sqlx::any::AnyRow) -> Result<OutboxEmail> {
    Ok(OutboxEmail {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        to_address: r.try_get("to_address")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        link: r.try_get("link")?,
        created_at: r.try_get("created_at")?,
        sent_at: r.try_get("sent_at")?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        last_error: r.try_get("last_error")?,
        failed_at: r.try_get("failed_at")?,
    })
}

impl Store {
    /// The newest e-mails in the outbox, those still to send first.
    pub async fn outbox(&self, limit: i64) -> Result<Vec<OutboxEmail>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM email_outbox \
             ORDER BY (CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 0 ELSE 1 END), id DESC \
             LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(email).collect()
    }

    /// Claims up to `limit` e-mails that are due at `now` and not claimed by another sender,
    /// until `lease_until`; oldest first.
    pub async fn claim_due_emails(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<OutboxEmail>> {
        // The outer condition is checked again on each row, so on PostgreSQL a row that a
        // concurrent sender claimed first is skipped rather than claimed twice.
        let rows = sqlx::query(concat!(
            "UPDATE email_outbox SET claimed_until = $1 \
             WHERE id IN (SELECT id FROM email_outbox \
                 WHERE sent_at IS NULL AND failed_at IS NULL \
                 AND (next_attempt_at IS NULL OR next_attempt_at <= $2) \
                 AND (claimed_until IS NULL OR claimed_until <= $2) \
                 ORDER BY id LIMIT $3) \
             AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $2) \
             RETURNING ",
            columns!()
        ))
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut emails = rows.iter().map(email).collect::<Result<Vec<_>>>()?;
        emails.sort_by_key(|e| e.id);
        Ok(emails)
    }
}

impl WriteTx {
    /// Records an e-mail as delivered to the relay.
    pub async fn mark_email_sent(&mut self, id: i64, now: Timestamp) -> Result<()> {
        let done = sqlx::query(
            "UPDATE email_outbox SET sent_at = $1, attempts = attempts + 1, claimed_until = NULL, \
             next_attempt_at = NULL, last_error = NULL WHERE id = $2 AND sent_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("unsent e-mail"));
        }
        Ok(())
    }

    /// Records a failed attempt: try again at `retry_at`, or give up (`None`).
    pub async fn mark_email_failed(
        &mut self,
        id: i64,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE email_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, \
             failed_at = $3, claimed_until = NULL WHERE id = $4 AND sent_at IS NULL",
        )
        .bind(error)
        .bind(retry_at)
        .bind(retry_at.is_none().then_some(now))
        .bind(id)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("unsent e-mail"));
        }
        Ok(())
    }
}
