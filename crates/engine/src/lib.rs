//! The socialgov policy engine.
//!
//! It checks any text (a draft post, a reply, a mention) against an NHS trust's social media
//! policy, expressed as a policy pack, and explains every [`Finding`] with the clause it rests
//! on. It also redacts identifiers.
//!
//! Invariants: the engine does no I/O (packs come in as text through [`PackSources`]), has no
//! async, and never panics on any input; spans are byte offsets on char boundaries of the
//! checked text; the same pack and text always give the same findings, sorted by start.
//!
//! ```
//! use socialgov_engine::{Builtin, Scanner, Category};
//! let scanner = Scanner::load("nhs-baseline", &Builtin).unwrap();
//! let findings = scanner.check("son says his mum's NHS no is 4010232145, can someone check");
//! assert!(findings.iter().any(|f| f.category == Category::PatientIdentifier));
//! assert_eq!(scanner.redact("NHS no 943 476 5919"), "NHS no [NHS NUMBER]");
//! ```

mod builtin;
mod finding;
mod identifiers;
mod names;
mod nhs;
pub mod pack;
mod person;
mod scanner;
mod text;
mod words;

pub use builtin::{Builtin, pack_ids};
pub use finding::{Category, Finding, Kind, RuleText, Severity, UnknownCategory};
pub use nhs::{NhsNumber, NhsNumberError};
pub use pack::{PackError, PackFile, PackSources};
pub use scanner::{PackInfo, Scanner, redact_with};
