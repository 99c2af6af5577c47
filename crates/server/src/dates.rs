//! Dates as people write them (`2026-04-01`, UTC) and as the system keeps them
//! (milliseconds since the epoch).

use crate::error::AppError;

/// Milliseconds at the start of a `YYYY-MM-DD` day (UTC); `None` for an empty field.
pub fn day_start(raw: &str, field: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(raw, &format).map_err(|_| {
        AppError::BadRequest(format!(
            "{field}: give a date as YYYY-MM-DD, for example 2026-04-01"
        ))
    })?;
    let ms = date.midnight().assume_utc().unix_timestamp_nanos() / 1_000_000;
    Ok(i64::try_from(ms).ok())
}

/// Like [`day_start`], for a date that must be given.
pub fn required_day(raw: &str, field: &str) -> Result<i64, AppError> {
    day_start(raw, field)?
        .ok_or_else(|| AppError::BadRequest(format!("{field}: give a date as YYYY-MM-DD")))
}

fn format_with(ms: i64, format: &[time::format_description::BorrowedFormatItem<'_>]) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}

/// `2026-11-23 14:05:09` for a time in milliseconds since the epoch.
pub fn format_time(ms: i64) -> String {
    format_with(
        ms,
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
    )
}

/// `2026-11-23` for a time in milliseconds since the epoch.
pub fn format_day(ms: i64) -> String {
    format_with(
        ms,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        let ms = required_day("2026-04-01", "d").unwrap_or_default();
        assert_eq!(format_day(ms), "2026-04-01");
        assert_eq!(format_time(ms + 61_000), "2026-04-01 00:01:01");
        assert!(day_start("1 April", "d").is_err());
        assert_eq!(day_start(" ", "d").ok(), Some(None));
    }
}
