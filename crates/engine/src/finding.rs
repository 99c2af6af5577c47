//! What the engine reports: categories, severities and findings.
//!
//! A [`Finding`] always covers a byte span of the checked text, on char boundaries, so the
//! command line can underline it and the web interface can highlight it. Categories are the
//! twelve of SPEC §3 and `../shared/LABELS.md`, in that order.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The twelve finding categories, in the order the specification lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    PatientIdentifier,
    HealthInformation,
    StaffPersonalData,
    ConfidentialInformation,
    OffensiveLanguage,
    Discrimination,
    Harassment,
    Safeguarding,
    ComplaintReply,
    MediaEnquiry,
    ImageryConsent,
    DisclaimerMissing,
}

impl Category {
    /// Every category, in specification order.
    pub const ALL: [Category; 12] = [
        Category::PatientIdentifier,
        Category::HealthInformation,
        Category::StaffPersonalData,
        Category::ConfidentialInformation,
        Category::OffensiveLanguage,
        Category::Discrimination,
        Category::Harassment,
        Category::Safeguarding,
        Category::ComplaintReply,
        Category::MediaEnquiry,
        Category::ImageryConsent,
        Category::DisclaimerMissing,
    ];

    /// The snake_case name used in packs, JSON and labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::PatientIdentifier => "patient_identifier",
            Category::HealthInformation => "health_information",
            Category::StaffPersonalData => "staff_personal_data",
            Category::ConfidentialInformation => "confidential_information",
            Category::OffensiveLanguage => "offensive_language",
            Category::Discrimination => "discrimination",
            Category::Harassment => "harassment",
            Category::Safeguarding => "safeguarding",
            Category::ComplaintReply => "complaint_reply",
            Category::MediaEnquiry => "media_enquiry",
            Category::ImageryConsent => "imagery_consent",
            Category::DisclaimerMissing => "disclaimer_missing",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name given is not one of the twelve categories.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown category `{0}` (expected one of: patient_identifier, health_information, staff_personal_data, confidential_information, offensive_language, discrimination, harassment, safeguarding, complaint_reply, media_enquiry, imagery_consent, disclaimer_missing)"
)]
pub struct UnknownCategory(pub String);

impl FromStr for Category {
    type Err = UnknownCategory;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCategory(s.to_owned()))
    }
}

/// How serious a finding is. `Block` means the post must not go out as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warn,
    Block,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Block => "block",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a finding's span holds. The first ten kinds are the spanned kinds of LABELS.md; the
/// rest name the cue that triggered an item-level category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    NhsNumber,
    HospitalNumber,
    Name,
    Dob,
    Postcode,
    Address,
    Phone,
    Email,
    OffensiveWord,
    Slur,
    /// A condition, treatment or drug tied to an identifiable person.
    HealthDetail,
    /// A personal detail of a colleague (health, private life, employment status).
    PersonalDetail,
    /// A discriminatory remark without a slur.
    Remark,
    /// A phrase that is the trigger of an item-level category (a threat, a door code, …).
    Cue,
    /// A photo or video marker.
    Media,
    /// An opinion about the trust given without a disclaimer.
    Opinion,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NhsNumber => "nhs_number",
            Kind::HospitalNumber => "hospital_number",
            Kind::Name => "name",
            Kind::Dob => "dob",
            Kind::Postcode => "postcode",
            Kind::Address => "address",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::OffensiveWord => "offensive_word",
            Kind::Slur => "slur",
            Kind::HealthDetail => "health_detail",
            Kind::PersonalDetail => "personal_detail",
            Kind::Remark => "remark",
            Kind::Cue => "cue",
            Kind::Media => "media",
            Kind::Opinion => "opinion",
        }
    }

    /// Whether `redact` masks spans of this kind.
    pub fn is_identifier(self) -> bool {
        matches!(
            self,
            Kind::NhsNumber
                | Kind::HospitalNumber
                | Kind::Name
                | Kind::Dob
                | Kind::Postcode
                | Kind::Address
                | Kind::Phone
                | Kind::Email
        )
    }

    /// The marker `redact` puts in place of an identifier, such as `[NHS NUMBER]`.
    pub fn redaction_marker(self) -> &'static str {
        match self {
            Kind::NhsNumber => "[NHS NUMBER]",
            Kind::HospitalNumber => "[HOSPITAL NUMBER]",
            Kind::Name => "[NAME]",
            Kind::Dob => "[DATE OF BIRTH]",
            Kind::Postcode => "[POSTCODE]",
            Kind::Address => "[ADDRESS]",
            Kind::Phone => "[PHONE]",
            Kind::Email => "[EMAIL]",
            _ => "[REDACTED]",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a pack rule says with every finding it makes, shared by them all: a finding holds one
/// reference to it, not one to each string.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleText {
    /// The pack rule, e.g. `nhs_number`.
    pub id: Box<str>,
    /// What is wrong, for the writer.
    pub message: Box<str>,
    /// The clause of the trust's policy it rests on, e.g. `tsdft §9.6.1`.
    pub clause: Box<str>,
}

impl fmt::Display for RuleText {
    /// The rule's id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

/// One thing in a text that the policy pack says is a problem, and why. It serializes flat:
/// `category`, `rule` (the id), `severity`, `kind`, `start`, `end`, `message`, `clause`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub category: Category,
    /// The pack rule that produced it, with its message and clause.
    pub rule: Arc<RuleText>,
    pub severity: Severity,
    pub kind: Kind,
    /// Byte offset of the first byte of the span in the UTF-8 text.
    pub start: usize,
    /// Byte offset one past the last byte of the span.
    pub end: usize,
}

impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Finding", 8)?;
        s.serialize_field("category", &self.category)?;
        s.serialize_field("rule", &*self.rule.id)?;
        s.serialize_field("severity", &self.severity)?;
        s.serialize_field("kind", &self.kind)?;
        s.serialize_field("start", &self.start)?;
        s.serialize_field("end", &self.end)?;
        s.serialize_field("message", &*self.rule.message)?;
        s.serialize_field("clause", &*self.rule.clause)?;
        s.end()
    }
}

impl Finding {
    /// The text the finding covers.
    pub fn excerpt<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}
