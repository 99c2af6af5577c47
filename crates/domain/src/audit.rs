//! The audit log: append-only and hash-chained, so that altering, removing or reordering an
//! entry is detected.
//!
//! Each record's hash covers its sequence number, the previous record's hash and every field
//! of the entry, length-prefixed so no two different records hash the same input. The chain's
//! head (last sequence number and hash) is kept apart from the records, so cutting entries off
//! the end is detected too.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Timestamp;

/// The `prev_hash` of the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened: who did what to which thing, when, with the state before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When, in milliseconds since the epoch.
    pub at: Timestamp,
    /// The acting user's id; `None` for the system itself or a failed login.
    pub actor_id: Option<i64>,
    /// The acting user's name as it was then, or `system`.
    pub actor: String,
    /// A stable dotted name: `user.create`, `session.login`, `audit.export`, …
    pub action: String,
    /// What it was done to: `user:12`, `session`, … Never patient data.
    pub target: String,
    /// The state before, as JSON text, where it applies.
    pub before: Option<String>,
    /// The state after, as JSON text, where it applies.
    pub after: Option<String>,
}

/// An entry as stored: its place in the chain and its hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: i64,
    #[serde(flatten)]
    pub entry: AuditEntry,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The hash of this entry at position `seq` after a record with hash `prev_hash`.
    pub fn chain_hash(&self, seq: i64, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(&seq.to_le_bytes());
        field(prev_hash.as_bytes());
        field(&self.at.to_le_bytes());
        match self.actor_id {
            Some(id) => field(&id.to_le_bytes()),
            None => field(b""),
        }
        field(self.actor.as_bytes());
        field(self.action.as_bytes());
        field(self.target.as_bytes());
        for state in [&self.before, &self.after] {
            match state {
                Some(json) => {
                    field(b"1");
                    field(json.as_bytes());
                }
                None => field(b"0"),
            }
        }
        hex::encode(h.finalize())
    }

    /// Seals this entry as the record after `prev` (or the first record when `prev` is
    /// `None`).
    pub fn seal(self, prev: Option<(i64, &str)>) -> AuditRecord {
        let (seq, prev_hash) = match prev {
            Some((seq, hash)) => (seq + 1, hash.to_owned()),
            None => (1, GENESIS_HASH.to_owned()),
        };
        let hash = self.chain_hash(seq, &prev_hash);
        AuditRecord {
            seq,
            entry: self,
            prev_hash,
            hash,
        }
    }
}

/// Where and how a chain was found broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit entry {seq}: {problem}")]
pub struct ChainBreak {
    /// The first sequence number at which the chain does not hold.
    pub seq: i64,
    pub problem: String,
}

/// Walks records in sequence order and checks the chain, ending at the recorded `head`
/// (`(seq, hash)` of the last record, or `None` for an empty log). Returns how many records
/// were checked, or the first break.
pub fn verify<I>(records: I, head: Option<(i64, &str)>) -> Result<i64, ChainBreak>
where
    I: IntoIterator<Item = AuditRecord>,
{
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS_HASH.to_owned();
    for record in records {
        let seq = record.seq;
        let broken = |problem: &str| ChainBreak {
            seq: expected_seq.min(seq),
            problem: problem.to_owned(),
        };
        if seq != expected_seq {
            return Err(broken(if seq > expected_seq {
                "missing: the entries before this one were removed"
            } else {
                "out of order or duplicated"
            }));
        }
        if record.prev_hash != prev_hash {
            return Err(broken(
                "does not follow the entry before it (removed, inserted or reordered)",
            ));
        }
        if record.entry.chain_hash(seq, &prev_hash) != record.hash {
            return Err(broken("altered: its contents do not match its hash"));
        }
        prev_hash = record.hash;
        expected_seq += 1;
    }
    let last = expected_seq - 1;
    match head {
        None if last == 0 => Ok(0),
        Some((head_seq, head_hash)) if head_seq == last && head_hash == prev_hash => Ok(last),
        Some((head_seq, _)) if head_seq > last => Err(ChainBreak {
            seq: last + 1,
            problem: format!("missing: the log ends at {last} but its head records {head_seq}"),
        }),
        _ => Err(ChainBreak {
            seq: last,
            problem: "the last entry does not match the chain's recorded head".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(i: i64) -> AuditEntry {
        AuditEntry {
            at: 1_700_000_000_000 + i,
            actor_id: Some(1),
            actor: "admin".into(),
            action: "user.create".into(),
            target: format!("user:{i}"),
            before: None,
            after: Some(format!("{{\"n\":{i}}}")),
        }
    }

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut out: Vec<AuditRecord> = Vec::new();
        for i in 0..n {
            let prev = out.last().map(|r| (r.seq, r.hash.as_str()));
            let record = entry(i).seal(prev);
            out.push(record);
        }
        out
    }

    fn head(records: &[AuditRecord]) -> Option<(i64, &str)> {
        records.last().map(|r| (r.seq, r.hash.as_str()))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let records = chain(5);
        assert_eq!(verify(records.clone(), head(&records)), Ok(5));
        assert_eq!(verify(Vec::new(), None), Ok(0));
    }

    #[test]
    fn altering_an_entry_is_found_at_that_entry() {
        let mut records = chain(5);
        let h = head(&records).map(|(s, h)| (s, h.to_owned()));
        records[2].entry.actor = "mallory".into();
        let err = verify(records, h.as_ref().map(|(s, h)| (*s, h.as_str())));
        assert_eq!(err.map_err(|e| e.seq), Err(3));
    }

    #[test]
    fn removing_reordering_and_truncating_are_found() {
        let records = chain(5);
        let h = head(&records);
        let mut removed = records.clone();
        removed.remove(1);
        assert_eq!(verify(removed, h).map_err(|e| e.seq), Err(2));
        let mut swapped = records.clone();
        swapped.swap(1, 2);
        assert_eq!(verify(swapped, h).map_err(|e| e.seq), Err(2));
        let truncated = records[..3].to_vec();
        assert_eq!(verify(truncated, h).map_err(|e| e.seq), Err(4));
    }

    #[test]
    fn fields_cannot_be_shifted_between_each_other() {
        let mut a = entry(1);
        let mut b = entry(1);
        a.actor = "ab".into();
        a.action = "c".into();
        b.actor = "a".into();
        b.action = "bc".into();
        assert_ne!(a.chain_hash(1, GENESIS_HASH), b.chain_hash(1, GENESIS_HASH));
    }
}
