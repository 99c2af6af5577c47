//! The channel register, training records and notifications.

use socialgov_domain::Timestamp;
use socialgov_domain::channel::{Channel, ChannelState};
use socialgov_domain::channel_form::ChannelForm;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, StoreError, WriteTx};

/// The columns [`channel_from_row`] reads, as a macro so queries stay `&'static str`.
macro_rules! channel_columns {
    () => {
        "id, state, requester_id, requester_manager_id, form, special_instructions, \
         recommendation, account_manager_id, rejection_reason, set_up_on, review_on, \
         review_evidence, created_at, updated_at"
    };
}

fn channel_from_row(row: &AnyRow) -> Result<Channel> {
    let state: String = row.try_get("state")?;
    let form: String = row.try_get("form")?;
    Ok(Channel {
        id: row.try_get("id")?,
        state: ChannelState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("channel state {state:?}")))?,
        requester_id: row.try_get("requester_id")?,
        requester_manager_id: row.try_get("requester_manager_id")?,
        form: serde_json::from_str::<ChannelForm>(&form)
            .map_err(|e| StoreError::Corrupt(format!("channel form: {e}")))?,
        special_instructions: row.try_get("special_instructions")?,
        recommendation: row.try_get("recommendation")?,
        account_manager_id: row.try_get("account_manager_id")?,
        rejection_reason: row.try_get("rejection_reason")?,
        set_up_on: row.try_get("set_up_on")?,
        review_on: row.try_get("review_on")?,
        review_evidence: row.try_get("review_evidence")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Which channels to list.
#[derive(Debug, Clone, Default)]
pub struct ChannelFilter {
    pub state: Option<ChannelState>,
    /// Only those the user requested, manages, approves as line manager, or edits.
    pub involving: Option<i64>,
    /// Only those of this service (as written on the form).
    pub service: Option<String>,
}

/// A training record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TrainingRecord {
    pub id: i64,
    pub user_id: i64,
    /// `social_media`, `information_governance` or `induction`.
    pub kind: String,
    pub completed_on: Timestamp,
    pub expires_on: Option<Timestamp>,
}

/// An in-app notification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    pub message: String,
    pub link: String,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

impl Store {
    /// One channel, with its editors.
    pub async fn channel(&self, id: i64) -> Result<Option<(Channel, Vec<i64>)>> {
        let mut conn = self.pool.acquire().await?;
        load_channel(&mut conn, id).await
    }

    /// Channels matching `filter`, newest first.
    pub async fn channels(&self, filter: &ChannelFilter) -> Result<Vec<Channel>> {
        let sql = concat!(
            "SELECT ",
            channel_columns!(),
            " FROM channels WHERE ($1 IS NULL OR state = $1) AND ($2 IS NULL OR requester_id = $2 \
             OR requester_manager_id = $2 OR account_manager_id = $2 \
             OR id IN (SELECT channel_id FROM channel_editors WHERE user_id = $2)) \
             AND ($3 IS NULL OR service = $3) ORDER BY id DESC"
        );
        let rows = sqlx::query(sql)
            .bind(filter.state.map(|s| s.as_str()))
            .bind(filter.involving)
            .bind(filter.service.clone())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(channel_from_row).collect()
    }

    /// Every channel's editors, by channel id (one query, for lists of channels).
    pub async fn editors_by_channel(&self) -> Result<std::collections::HashMap<i64, Vec<i64>>> {
        let rows = sqlx::query(
            "SELECT channel_id, user_id FROM channel_editors ORDER BY channel_id, user_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
        for r in &rows {
            out.entry(r.try_get("channel_id")?)
                .or_default()
                .push(r.try_get("user_id")?);
        }
        Ok(out)
    }

    /// Active channels whose review date has come by `now`.
    pub async fn channels_due_for_review(&self, now: Timestamp) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT id FROM channels WHERE state = 'active' AND review_on <= $1 ORDER BY id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// A user's training records (everyone's for `None`), newest first.
    pub async fn training_of(
        &self,
        user_id: impl Into<Option<i64>>,
    ) -> Result<Vec<TrainingRecord>> {
        let rows = sqlx::query(
            "SELECT id, user_id, kind, completed_on, expires_on FROM training_records \
             WHERE ($1 IS NULL OR user_id = $1) ORDER BY completed_on DESC, id DESC",
        )
        .bind(user_id.into())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TrainingRecord {
                    id: r.try_get("id")?,
                    user_id: r.try_get("user_id")?,
                    kind: r.try_get("kind")?,
                    completed_on: r.try_get("completed_on")?,
                    expires_on: r.try_get("expires_on")?,
                })
            })
            .collect()
    }

    /// The users with `kind` training in date at `at`.
    pub async fn trained_users(
        &self,
        kind: &str,
        at: Timestamp,
    ) -> Result<std::collections::HashSet<i64>> {
        let rows = sqlx::query(
            "SELECT DISTINCT user_id FROM training_records WHERE kind = $1 AND completed_on <= $2 \
             AND (expires_on IS NULL OR expires_on > $2)",
        )
        .bind(kind)
        .bind(at)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("user_id")?)).collect()
    }

    /// A user's notifications, unread first, then newest first.
    pub async fn notifications(&self, user_id: i64, limit: i64) -> Result<Vec<Notification>> {
        let rows = sqlx::query(
            "SELECT id, message, link, created_at, read_at FROM notifications WHERE user_id = $1 \
             ORDER BY (CASE WHEN read_at IS NULL THEN 0 ELSE 1 END), id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    message: r.try_get("message")?,
                    link: r.try_get("link")?,
                    created_at: r.try_get("created_at")?,
                    read_at: r.try_get("read_at")?,
                })
            })
            .collect()
    }
}

async fn load_channel(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<Option<(Channel, Vec<i64>)>> {
    let sql = concat!(
        "SELECT ",
        channel_columns!(),
        " FROM channels WHERE id = $1"
    );
    let Some(row) = sqlx::query(sql).bind(id).fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let editors =
        sqlx::query("SELECT user_id FROM channel_editors WHERE channel_id = $1 ORDER BY user_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("user_id"))
            .collect::<Result<Vec<_>, _>>()?;
    Ok(Some((channel_from_row(&row)?, editors)))
}

impl WriteTx {
    /// A channel and its editors, read inside the transaction.
    pub async fn channel(&mut self, id: i64) -> Result<Option<(Channel, Vec<i64>)>> {
        load_channel(&mut self.tx, id).await
    }

    /// Stores a new channel; returns its id. (The row is created, then every field is
    /// written by [`WriteTx::save_channel`], so the column list lives in one place.)
    pub async fn create_channel(&mut self, channel: &Channel) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO channels (state, requester_id, form, service, account_name, handle, special_instructions, \
             recommendation, created_at, updated_at) VALUES ($1, $2, '{}', '', '', '', '', '', $3, $3) RETURNING id",
        )
        .bind(channel.state.as_str())
        .bind(channel.requester_id)
        .bind(channel.created_at)
        .fetch_one(self.conn())
        .await?;
        let id: i64 = row.try_get("id")?;
        let mut saved = channel.clone();
        saved.id = id;
        self.save_channel(&saved).await?;
        Ok(id)
    }

    /// Saves every field of an existing channel.
    pub async fn save_channel(&mut self, channel: &Channel) -> Result<()> {
        let done = sqlx::query(
            "UPDATE channels SET state = $1, requester_manager_id = $2, form = $3, platform = $4, service = $5, \
             account_name = $6, handle = $7, special_instructions = $8, recommendation = $9, account_manager_id = $10, \
             rejection_reason = $11, set_up_on = $12, review_on = $13, review_evidence = $14, updated_at = $15 WHERE id = $16",
        )
        .bind(channel.state.as_str())
        .bind(channel.requester_manager_id)
        .bind(form_json(&channel.form)?)
        .bind(channel.form.platform.map(|p| p.as_str()))
        .bind(&channel.form.service)
        .bind(&channel.form.account_name)
        .bind(&channel.form.handle)
        .bind(&channel.special_instructions)
        .bind(&channel.recommendation)
        .bind(channel.account_manager_id)
        .bind(&channel.rejection_reason)
        .bind(channel.set_up_on)
        .bind(channel.review_on)
        .bind(&channel.review_evidence)
        .bind(channel.updated_at)
        .bind(channel.id)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("channel"));
        }
        Ok(())
    }

    /// Replaces a channel's editors.
    pub async fn set_channel_editors(&mut self, channel_id: i64, editors: &[i64]) -> Result<()> {
        sqlx::query("DELETE FROM channel_editors WHERE channel_id = $1")
            .bind(channel_id)
            .execute(self.conn())
            .await?;
        for user in editors {
            sqlx::query("INSERT INTO channel_editors (channel_id, user_id) VALUES ($1, $2)")
                .bind(channel_id)
                .bind(user)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    /// Records a completed training; returns its id.
    pub async fn add_training(
        &mut self,
        user_id: i64,
        kind: &str,
        completed_on: Timestamp,
        expires_on: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO training_records (user_id, kind, completed_on, expires_on, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(kind)
        .bind(completed_on)
        .bind(expires_on)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Whether a user has `kind` training that is in date at `at`.
    pub async fn has_current_training(
        &mut self,
        user_id: i64,
        kind: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM training_records WHERE user_id = $1 AND kind = $2 AND completed_on <= $3 \
             AND (expires_on IS NULL OR expires_on > $3)",
        )
        .bind(user_id)
        .bind(kind)
        .bind(at)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// Leaves a notification for a user, and queues it as an e-mail when they have an
    /// address.
    pub async fn notify(
        &mut self,
        user_id: i64,
        message: &str,
        link: &str,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("INSERT INTO notifications (user_id, message, link, created_at) VALUES ($1, $2, $3, $4)")
            .bind(user_id)
            .bind(message)
            .bind(link)
            .bind(now)
            .execute(self.conn())
            .await?;
        sqlx::query(
            "INSERT INTO email_outbox (user_id, to_address, subject, body, link, created_at) \
             SELECT id, email, $2, $3, $4, $5 FROM users WHERE id = $1 AND email IS NOT NULL AND disabled_at IS NULL",
        )
        .bind(user_id)
        .bind(format!("socialgov: {message}"))
        .bind(message)
        .bind(link)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Marks every notification of a user read; returns how many were unread.
    pub async fn mark_notifications_read(&mut self, user_id: i64, now: Timestamp) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected())
    }

    /// Users holding `role` (to notify communications or the head of communications).
    pub async fn users_with_role(&mut self, role: &str) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT r.user_id FROM user_roles r JOIN users u ON u.id = r.user_id WHERE r.role = $1 AND u.disabled_at IS NULL ORDER BY r.user_id",
        )
        .bind(role)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("user_id")?)).collect()
    }
}

fn form_json(form: &ChannelForm) -> Result<String> {
    serde_json::to_string(form).map_err(|e| StoreError::Corrupt(format!("channel form: {e}")))
}

/// A report of an account that claims to be the trust's but is not on the register.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImposterReport {
    pub id: i64,
    pub reporter_id: i64,
    pub platform: String,
    pub handle: String,
    pub url: String,
    pub details: String,
    /// `adopted` or `taken_down` once closed.
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    /// The register entry it was adopted as.
    pub channel_id: Option<i64>,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

macro_rules! imposter_columns {
    () => {
        "id, reporter_id, platform, handle, url, details, outcome, outcome_note, channel_id, created_at, closed_at"
    };
}

fn imposter_from_row(r: &AnyRow) -> Result<ImposterReport> {
    Ok(ImposterReport {
        id: r.try_get("id")?,
        reporter_id: r.try_get("reporter_id")?,
        platform: r.try_get("platform")?,
        handle: r.try_get("handle")?,
        url: r.try_get("url")?,
        details: r.try_get("details")?,
        outcome: r.try_get("outcome")?,
        outcome_note: r.try_get("outcome_note")?,
        channel_id: r.try_get("channel_id")?,
        created_at: r.try_get("created_at")?,
        closed_at: r.try_get("closed_at")?,
    })
}

impl Store {
    /// Imposter reports, open ones first, newest first; only `reporter`'s when given.
    pub async fn imposter_reports(&self, reporter: Option<i64>) -> Result<Vec<ImposterReport>> {
        let sql = concat!(
            "SELECT ",
            imposter_columns!(),
            " FROM imposter_reports WHERE ($1 IS NULL OR reporter_id = $1) \
             ORDER BY (CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END), id DESC"
        );
        let rows = sqlx::query(sql)
            .bind(reporter)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(imposter_from_row).collect()
    }
}

impl WriteTx {
    /// Stores a new report; returns its id.
    pub async fn create_imposter_report(&mut self, r: &ImposterReport) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO imposter_reports (reporter_id, platform, handle, url, details, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(r.reporter_id)
        .bind(&r.platform)
        .bind(&r.handle)
        .bind(&r.url)
        .bind(&r.details)
        .bind(r.created_at)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get("id")?)
    }

    /// A report, read inside the transaction.
    pub async fn imposter_report(&mut self, id: i64) -> Result<Option<ImposterReport>> {
        let sql = concat!(
            "SELECT ",
            imposter_columns!(),
            " FROM imposter_reports WHERE id = $1"
        );
        let row = sqlx::query(sql)
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.as_ref().map(imposter_from_row).transpose()
    }

    /// Closes a report with its outcome.
    pub async fn close_imposter_report(
        &mut self,
        id: i64,
        outcome: &str,
        note: &str,
        channel_id: Option<i64>,
        now: Timestamp,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE imposter_reports SET outcome = $1, outcome_note = $2, channel_id = $3, closed_at = $4 \
             WHERE id = $5 AND closed_at IS NULL",
        )
        .bind(outcome)
        .bind(note)
        .bind(channel_id)
        .bind(now)
        .bind(id)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("open imposter report"));
        }
        Ok(())
    }
}
