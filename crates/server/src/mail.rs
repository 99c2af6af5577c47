//! E-mailing notifications. Every notification is queued in the outbox
//! ([`socialgov_store::OutboxEmail`]); when `smtp_url` is configured, [`deliver_due`] sends
//! what is due through that relay, retrying with growing delays, and audits each e-mail sent
//! or given up. Without a relay the outbox simply waits, and administrators see it.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use socialgov_store::{OutboxEmail, Store};

use crate::accounts::{Actor, entry};
use crate::config::{Config, ConfigError};
use crate::error::AppError;

/// How long one conversation with the relay may take.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);
/// E-mails claimed at a time, and how long the claim lasts (longer than sending them all).
const BATCH: i64 = 10;
const LEASE_MS: i64 = 5 * 60_000;
/// The waits after the 1st, 2nd, … failed attempt; after the last, delivery is given up.
const RETRY_DELAYS_MS: [i64; 5] = [
    60_000,
    5 * 60_000,
    30 * 60_000,
    2 * 3_600_000,
    12 * 3_600_000,
];

/// When to try again after `attempts` failed attempts, or `None` to give up.
pub fn retry_at(attempts: i64, now: i64) -> Option<i64> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    RETRY_DELAYS_MS.get(index).map(|delay| now + delay)
}

/// The configured relay, the sender, and where links point.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: Option<String>,
    relay: String,
}

impl Mailer {
    /// The mailer `config` describes, or `None` when no relay is configured.
    pub fn from_config(config: &Config) -> Result<Option<Mailer>, ConfigError> {
        let Some(smtp_url) = config.smtp_url.as_deref() else {
            return Ok(None);
        };
        let parsed = url::Url::parse(smtp_url)
            .map_err(|e| ConfigError(format!("smtp_url: not an address ({e})")))?;
        let relay = match (parsed.host_str(), parsed.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => return Err(ConfigError("smtp_url: names no host".into())),
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| ConfigError(format!("smtp_url: {e}")))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        let from = config
            .mail_from
            .as_deref()
            .ok_or_else(|| ConfigError("mail_from: needed when smtp_url is set".into()))?
            .parse::<Mailbox>()
            .map_err(|e| ConfigError(format!("mail_from: {e}")))?;
        Ok(Some(Mailer {
            transport,
            from,
            public_url: config
                .public_url
                .as_deref()
                .map(|u| u.trim_end_matches('/').to_owned()),
            relay,
        }))
    }

    /// The relay's host and port, for people to see (never its credentials).
    pub fn relay(&self) -> &str {
        &self.relay
    }

    /// The e-mail as it goes out.
    fn message(&self, email: &OutboxEmail) -> Result<Message, String> {
        let to = email
            .to_address
            .parse::<Mailbox>()
            .map_err(|e| format!("the address {:?} is not valid: {e}", email.to_address))?;
        let mut body = email.body.clone();
        if let Some(link) = &email.link {
            body.push_str("\n\nOpen it in socialgov: ");
            body.push_str(self.public_url.as_deref().unwrap_or(""));
            body.push_str(link);
            body.push('\n');
        }
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())
    }
}

/// What one round of delivery did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
}

/// Sends every e-mail due at `now`, a batch at a time, and records each outcome with its
/// audit entry. A failed e-mail is tried again later; other servers skip what this one holds.
pub async fn deliver_due(store: &Store, mailer: &Mailer, now: i64) -> Result<Delivery, AppError> {
    let mut done = Delivery::default();
    loop {
        let batch = store.claim_due_emails(now, now + LEASE_MS, BATCH).await?;
        for email in &batch {
            let outcome = match mailer.message(email) {
                Ok(message) => mailer
                    .transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            let actor = Actor {
                id: None,
                name: "mailer".into(),
            };
            let target = format!("user:{}", email.user_id);
            let mut tx = store.write().await?;
            match outcome {
                Ok(()) => {
                    tx.mark_email_sent(email.id, now).await?;
                    let mut e = entry(&actor, now, "email.sent", target);
                    e.after = Some(serde_json::json!({"email": email.id}).to_string());
                    tx.audit(e).await?;
                    done.sent += 1;
                }
                Err(error) => {
                    let retry = retry_at(email.attempts + 1, now);
                    tx.mark_email_failed(email.id, &error, retry, now).await?;
                    let action = if retry.is_some() {
                        "email.retry"
                    } else {
                        "email.failed"
                    };
                    let mut e = entry(&actor, now, action, target);
                    e.after = Some(
                        serde_json::json!({"email": email.id, "error": error, "retry_at": retry})
                            .to_string(),
                    );
                    tx.audit(e).await?;
                    tracing::warn!(
                        email = email.id,
                        retry = retry.is_some(),
                        "e-mail not sent: {error}"
                    );
                    done.failed += 1;
                }
            }
            tx.commit().await?;
        }
        if i64::try_from(batch.len()).unwrap_or(BATCH) < BATCH {
            return Ok(done);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_then_give_up() {
        assert_eq!(retry_at(0, 0), None);
        assert_eq!(retry_at(1, 1_000), Some(61_000));
        assert_eq!(retry_at(5, 0), Some(12 * 3_600_000));
        assert_eq!(retry_at(6, 0), None);
    }

    /// A runtime, because the relay's connection pool needs one when it is dropped.
    #[tokio::test]
    async fn a_relay_needs_a_sender_and_a_valid_address() {
        let mut config = Config::default();
        assert!(matches!(Mailer::from_config(&config), Ok(None)));
        config.smtp_url = Some("smtp://relay.example.nhs.uk:587?tls=required".into());
        let err = Mailer::from_config(&config).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("mail_from")));
        config.mail_from = Some("not an address".into());
        let err = Mailer::from_config(&config).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("mail_from")));
        config.mail_from = Some("socialgov <socialgov@trust.nhs.uk>".into());
        let mailer = Mailer::from_config(&config).ok().flatten();
        assert_eq!(
            mailer.map(|m| m.relay),
            Some("relay.example.nhs.uk:587".into())
        );
        config.smtp_url = Some("not a url".into());
        let err = Mailer::from_config(&config).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("smtp_url")));
    }
}
