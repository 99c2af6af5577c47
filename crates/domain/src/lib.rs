//! The domain layer of socialgov: the people and roles of SPEC §1, the one place that decides
//! who may do what ([`access`]), and the hash-chained audit log ([`audit`]).
//!
//! Pure like the engine: no I/O, no async, and no clock. Time arrives as a parameter
//! ([`Timestamp`]), so expiries and deadlines are testable.

pub mod access;
pub mod account;
pub mod audit;
pub mod channel;
pub mod channel_form;
pub mod channel_image;
pub mod platform;
pub mod role;
pub mod training;

pub use access::{Action, Denied, Principal};
pub use account::{AccountError, Department, Password, User, Username};
pub use audit::{AuditEntry, AuditRecord, ChainBreak, GENESIS_HASH};
pub use role::{Role, UnknownRole};

/// Milliseconds since the Unix epoch, UTC. The domain never reads the clock; callers pass
/// the time in.
pub type Timestamp = i64;
