//! The roles of SPEC §1. A user may hold several.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A role a user holds in the trust. Access follows the role ([`crate::access`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Any member of staff: pre-checks posts, requests channels, reports concerns.
    Staff,
    /// First approval of channel requests; preliminary investigations for own staff.
    LineManager,
    /// Keeps the channel register, monitors mentions, triages reports.
    CommsOfficer,
    /// Final channel approval; owns the policy.
    HeadOfComms,
    /// Advises managers; formal investigations; threats or abuse against staff.
    Hr,
    /// Information governance and the data protection officer: confidentiality breaches.
    InformationGovernance,
    /// Patient advice and liaison: complaints about care that arrive through social media.
    Pals,
    /// Safeguarding, copied on cases by the language used.
    Safeguarding,
    /// Legal services, copied on cases.
    Legal,
    /// Security, copied on cases.
    Security,
    /// Answers Freedom of Information requests from the system's records.
    FoiOfficer,
    /// Users, roles, policy packs and connectors.
    Administrator,
}

impl Role {
    /// Every role, in the order of SPEC §1.
    pub const ALL: [Role; 12] = [
        Role::Staff,
        Role::LineManager,
        Role::CommsOfficer,
        Role::HeadOfComms,
        Role::Hr,
        Role::InformationGovernance,
        Role::Pals,
        Role::Safeguarding,
        Role::Legal,
        Role::Security,
        Role::FoiOfficer,
        Role::Administrator,
    ];

    /// The stable name used in storage, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::LineManager => "line_manager",
            Role::CommsOfficer => "comms_officer",
            Role::HeadOfComms => "head_of_comms",
            Role::Hr => "hr",
            Role::InformationGovernance => "information_governance",
            Role::Pals => "pals",
            Role::Safeguarding => "safeguarding",
            Role::Legal => "legal",
            Role::Security => "security",
            Role::FoiOfficer => "foi_officer",
            Role::Administrator => "administrator",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Role::Staff => "Staff member",
            Role::LineManager => "Line manager",
            Role::CommsOfficer => "Communications officer",
            Role::HeadOfComms => "Head of communications",
            Role::Hr => "HR",
            Role::InformationGovernance => "Information governance",
            Role::Pals => "PALS",
            Role::Safeguarding => "Safeguarding",
            Role::Legal => "Legal",
            Role::Security => "Security",
            Role::FoiOfficer => "FOI officer",
            Role::Administrator => "Administrator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role {0:?}; the roles are: staff, line_manager, comms_officer, head_of_comms, hr, information_governance, pals, safeguarding, legal, security, foi_officer, administrator"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
