//! Who may do what: the one place that decides, deny by default.
//!
//! Every handler of the server names the [`Action`] it performs and asks [`Principal::may`].
//! An action not granted here to one of the principal's roles is refused. API tokens carry
//! scopes as well: a token may do an action only when its scope lists it *and* its owner's
//! roles allow it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::role::Role;

/// Something a user can ask the system to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Check or redact a post with the policy engine; list the policy packs.
    CheckPost,
    /// List users and their roles.
    ViewUsers,
    /// Create users, change their roles, departments and managers, disable them.
    ManageUsers,
    /// Read and export the audit log.
    ViewAudit,
    /// Issue and revoke API tokens for integrations.
    ManageApiTokens,
    /// Request an official channel; see the register of channels.
    RequestChannel,
    /// Keep the register: every request, imposter reports, training records.
    ManageRegister,
}

impl Action {
    /// Every action, for the authorisation tests that walk them all.
    pub const ALL: [Action; 7] = [
        Action::CheckPost,
        Action::ViewUsers,
        Action::ManageUsers,
        Action::ViewAudit,
        Action::ManageApiTokens,
        Action::RequestChannel,
        Action::ManageRegister,
    ];

    /// The stable name used for token scopes.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::CheckPost => "check_post",
            Action::ViewUsers => "view_users",
            Action::ManageUsers => "manage_users",
            Action::ViewAudit => "view_audit",
            Action::ManageApiTokens => "manage_api_tokens",
            Action::RequestChannel => "request_channel",
            Action::ManageRegister => "manage_register",
        }
    }

    /// Parses a scope name; `None` for a name that is not an action.
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// Whether holding `role` grants this action. Deny by default: every role an action
    /// allows is listed here and nowhere else.
    pub fn granted_to(self, role: Role) -> bool {
        match self {
            // Every member of staff pre-checks posts and may request a channel (SPEC §1),
            // whatever else they do.
            Action::CheckPost | Action::RequestChannel => true,
            Action::ManageRegister => matches!(role, Role::CommsOfficer | Role::HeadOfComms),
            Action::ViewUsers => matches!(role, Role::Administrator | Role::Hr),
            Action::ManageUsers | Action::ViewAudit | Action::ManageApiTokens => {
                role == Role::Administrator
            }
        }
    }
}

/// Who is asking: a signed-in user, or an integration holding one of a user's API tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user's id.
    pub user_id: i64,
    /// The user's name, for the audit log.
    pub username: String,
    /// The roles the user holds now.
    pub roles: BTreeSet<Role>,
    /// For a token: the actions it is scoped to. `None` for a signed-in user.
    pub scopes: Option<BTreeSet<Action>>,
}

/// The answer when a principal may not do an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("you do not have permission to {}", .0.as_str().replace('_', " "))]
pub struct Denied(pub Action);

impl Principal {
    /// Whether this principal may do `action`.
    pub fn may(&self, action: Action) -> Result<(), Denied> {
        let by_role = self.roles.iter().any(|&role| action.granted_to(role));
        let by_scope = self.scopes.as_ref().is_none_or(|s| s.contains(&action));
        if by_role && by_scope {
            Ok(())
        } else {
            Err(Denied(action))
        }
    }

    /// Whether this principal holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[Role]) -> Principal {
        Principal {
            user_id: 1,
            username: "u".into(),
            roles: roles.iter().copied().collect(),
            scopes: None,
        }
    }

    #[test]
    fn nobody_without_a_role_may_do_anything() {
        for action in Action::ALL {
            assert_eq!(user(&[]).may(action), Err(Denied(action)));
        }
    }

    #[test]
    fn only_administrators_manage_users_and_read_the_audit_log() {
        for role in Role::ALL {
            let admin = role == Role::Administrator;
            assert_eq!(
                user(&[role]).may(Action::ManageUsers).is_ok(),
                admin,
                "{role}"
            );
            assert_eq!(
                user(&[role]).may(Action::ViewAudit).is_ok(),
                admin,
                "{role}"
            );
            assert!(user(&[role]).may(Action::CheckPost).is_ok());
        }
    }

    #[test]
    fn a_token_is_limited_by_its_scope_and_its_owner() {
        let mut token = user(&[Role::Administrator]);
        token.scopes = Some([Action::CheckPost].into());
        assert!(token.may(Action::CheckPost).is_ok());
        assert!(token.may(Action::ViewAudit).is_err());
        let mut staff_token = user(&[Role::Staff]);
        staff_token.scopes = Some(Action::ALL.into());
        assert!(staff_token.may(Action::ManageUsers).is_err());
    }

    #[test]
    fn scope_names_round_trip() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
    }
}
