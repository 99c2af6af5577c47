//! The audit log: append inside the change's own transaction; read, filter and verify.

use socialgov_domain::audit::{self, AuditEntry, AuditRecord, ChainBreak};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, WriteTx};

/// Which audit entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only entries whose action starts with this (`user.` for every user change).
    pub action_prefix: Option<String>,
    /// Only entries by this actor name.
    pub actor: Option<String>,
    /// Only entries at or after this time.
    pub since: Option<i64>,
    /// Only entries before this time.
    pub until: Option<i64>,
    /// Only entries about this target (`channel:12`).
    pub target: Option<String>,
}

fn record_from_row(row: &AnyRow) -> Result<AuditRecord> {
    Ok(AuditRecord {
        seq: row.try_get("seq")?,
        entry: AuditEntry {
            at: row.try_get("at")?,
            actor_id: row.try_get("actor_id")?,
            actor: row.try_get("actor")?,
            action: row.try_get("action")?,
            target: row.try_get("target")?,
            before: row.try_get("before_state")?,
            after: row.try_get("after_state")?,
        },
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// The columns [`record_from_row`] reads, as a macro so queries stay `&'static str`.
macro_rules! columns {
    () => {
        "seq, at, actor_id, actor, action, target, before_state, after_state, prev_hash, hash"
    };
}

impl WriteTx {
    /// Appends an entry to the chain, in this transaction.
    pub async fn audit(&mut self, entry: AuditEntry) -> Result<i64> {
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *self.tx)
            .await?;
        let seq: i64 = head.try_get("seq")?;
        let hash: String = head.try_get("hash")?;
        let prev = (seq > 0).then_some((seq, hash.as_str()));
        let record = entry.seal(prev);
        let e = &record.entry;
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_id, actor, action, target, before_state, after_state, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(record.seq)
        .bind(e.at)
        .bind(e.actor_id)
        .bind(&e.actor)
        .bind(&e.action)
        .bind(&e.target)
        .bind(&e.before)
        .bind(&e.after)
        .bind(&record.prev_hash)
        .bind(&record.hash)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(record.seq)
            .bind(&record.hash)
            .execute(&mut *self.tx)
            .await?;
        self.audited = true;
        Ok(record.seq)
    }
}

impl Store {
    /// Appends one entry on its own: for events that change nothing else (a failed login,
    /// a read of a confidential record, an export).
    pub async fn audit(&self, entry: AuditEntry) -> Result<i64> {
        let mut tx = self.write().await?;
        let seq = tx.audit(entry).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// Entries matching `filter`, newest first, `limit` of them after skipping `offset`.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditRecord>> {
        let sql = concat!(
            "SELECT ",
            columns!(),
            " FROM audit_log \
             WHERE ($1 IS NULL OR action LIKE $1) AND ($2 IS NULL OR actor = $2) \
             AND ($3 IS NULL OR at >= $3) AND ($4 IS NULL OR at < $4) \
             AND ($7 IS NULL OR target = $7) \
             ORDER BY seq DESC LIMIT $5 OFFSET $6"
        );
        let prefix = filter
            .action_prefix
            .as_ref()
            .map(|p| format!("{}%", p.replace(['%', '_'], "")));
        let rows = sqlx::query(sql)
            .bind(prefix)
            .bind(filter.actor.clone())
            .bind(filter.since)
            .bind(filter.until)
            .bind(limit)
            .bind(offset)
            .bind(filter.target.clone())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// Checks the whole chain against its head; the number of entries, or the first break.
    pub async fn verify_audit(&self) -> Result<Result<i64, ChainBreak>> {
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: String = head.try_get("hash")?;
        let sql = concat!("SELECT ", columns!(), " FROM audit_log ORDER BY seq");
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        let records = rows
            .iter()
            .map(record_from_row)
            .collect::<Result<Vec<_>>>()?;
        let head = (head_seq > 0).then_some((head_seq, head_hash.as_str()));
        Ok(audit::verify(records, head))
    }
}
