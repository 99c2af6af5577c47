//! Account names and passwords, parsed once at the edge so the rest of the code can trust them.

use std::fmt;

/// Why an account name or password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error(
        "username must be 2 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter"
    )]
    BadUsername,
    #[error("password must be at least {min} characters long", min = Password::MIN_CHARS)]
    PasswordTooShort,
    #[error("password must be at most {max} characters long", max = Password::MAX_CHARS)]
    PasswordTooLong,
}

/// A login name: lower-case ASCII letters, digits, `.`, `_`, `-`; starts with a letter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Username(String);

impl Username {
    /// Parses a login name, folding it to lower case.
    pub fn parse(raw: &str) -> Result<Username, AccountError> {
        let name = raw.trim().to_ascii_lowercase();
        let ok_len = (2..=64).contains(&name.len());
        let ok_start = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let ok_chars = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if ok_len && ok_start && ok_chars {
            Ok(Username(name))
        } else {
            Err(AccountError::BadUsername)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password that meets the policy (NCSC guidance: length over complexity). Its
/// `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Password, AccountError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            Err(AccountError::PasswordTooShort)
        } else if chars > Self::MAX_CHARS {
            Err(AccountError::PasswordTooLong)
        } else {
            Ok(Password(raw.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(
            Username::parse(" J.Smith ").map(|u| u.0),
            Ok("j.smith".into())
        );
        for bad in ["", "a", "1abc", "a b", "ab@c", &"a".repeat(65)] {
            assert_eq!(
                Username::parse(bad),
                Err(AccountError::BadUsername),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn passwords() {
        assert_eq!(
            Password::parse("short"),
            Err(AccountError::PasswordTooShort)
        );
        assert!(Password::parse("correct horse battery").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("correct horse battery")),
            "Ok(Password(…))"
        );
    }
}

/// A person with an account, as the rest of the system sees them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub department_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub roles: std::collections::BTreeSet<crate::Role>,
    /// When the account was disabled; a disabled account cannot sign in or use tokens.
    pub disabled_at: Option<crate::Timestamp>,
}

/// A department in the trust's tree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Department {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
}
