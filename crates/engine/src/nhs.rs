//! NHS numbers: ten digits whose last is a modulus 11 check digit (LABELS.md rule 5).
//!
//! A ten-digit number that fails the check is not an NHS number, so the engine never reports
//! one: order references and job numbers stay clean.

use std::fmt;

/// A ten-digit NHS number that passes the modulus 11 check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NhsNumber([u8; 10]);

/// Why a string is not an NHS number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NhsNumberError {
    #[error("an NHS number has 10 digits, this has {0}")]
    WrongLength(usize),
    #[error("an NHS number holds only digits, spaces and hyphens, not `{0}`")]
    BadCharacter(char),
    #[error("the check digit does not match (modulus 11)")]
    CheckDigit,
}

impl NhsNumber {
    /// Parses ten digits, written bare or grouped with spaces or hyphens.
    pub fn parse(s: &str) -> Result<NhsNumber, NhsNumberError> {
        let mut digits = [0u8; 10];
        let mut n = 0usize;
        for c in s.chars() {
            match c {
                '0'..='9' => {
                    if let Some(slot) = digits.get_mut(n) {
                        *slot = c as u8 - b'0';
                    }
                    n += 1;
                }
                ' ' | '-' => {}
                other => return Err(NhsNumberError::BadCharacter(other)),
            }
        }
        if n != 10 {
            return Err(NhsNumberError::WrongLength(n));
        }
        if check_digit(&digits) != Some(digits[9]) {
            return Err(NhsNumberError::CheckDigit);
        }
        Ok(NhsNumber(digits))
    }

    pub fn digits(&self) -> [u8; 10] {
        self.0
    }
}

/// The modulus 11 check digit of the first nine digits, or `None` when the remainder makes
/// the number invalid (a check value of 10).
pub(crate) fn check_digit(digits: &[u8; 10]) -> Option<u8> {
    let sum: u32 = digits
        .iter()
        .take(9)
        .zip((2..=10u32).rev())
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        c => u8::try_from(c).ok(),
    }
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i == 3 || i == 6 {
                f.write_str(" ")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_guide_examples() {
        assert!(NhsNumber::parse("943 476 5919").is_ok());
        assert!(NhsNumber::parse("4010232145").is_ok());
        assert_eq!(
            NhsNumber::parse("943 476 5918"),
            Err(NhsNumberError::CheckDigit)
        );
        assert_eq!(
            NhsNumber::parse("123 456 7890"),
            Err(NhsNumberError::CheckDigit)
        );
        assert_eq!(
            NhsNumber::parse("401 023 2138"),
            Err(NhsNumberError::CheckDigit)
        );
        assert_eq!(
            NhsNumber::parse("943-476-5919").map(|n| n.to_string()),
            Ok("943 476 5919".into())
        );
        assert_eq!(
            NhsNumber::parse("12345"),
            Err(NhsNumberError::WrongLength(5))
        );
        assert_eq!(
            NhsNumber::parse("943x4765919"),
            Err(NhsNumberError::BadCharacter('x'))
        );
    }
}
