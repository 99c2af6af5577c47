//! Training records and their import from a staff records system's CSV export (for example
//! ESR): the columns are mapped by their header names, every row is checked, and every bad
//! row is reported by its line number before anything is imported.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// The training the policies ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingKind {
    /// Social media training from communications (mtw §4.0): needed to manage or edit a channel.
    SocialMedia,
    /// The annual information governance training.
    InformationGovernance,
    Induction,
}

impl TrainingKind {
    pub const ALL: [TrainingKind; 3] = [
        TrainingKind::SocialMedia,
        TrainingKind::InformationGovernance,
        TrainingKind::Induction,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            TrainingKind::SocialMedia => "social_media",
            TrainingKind::InformationGovernance => "information_governance",
            TrainingKind::Induction => "induction",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TrainingKind::SocialMedia => "Social media (communications)",
            TrainingKind::InformationGovernance => "Information governance (annual)",
            TrainingKind::Induction => "Induction",
        }
    }

    /// Parses a kind as the system writes it or as an export might (`Information Governance`).
    pub fn parse(raw: &str) -> Option<TrainingKind> {
        let key: String = raw
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        match key.as_str() {
            "social_media" | "social_media_training" => Some(TrainingKind::SocialMedia),
            "information_governance" | "ig" | "data_security_awareness" => {
                Some(TrainingKind::InformationGovernance)
            }
            "induction" | "corporate_induction" => Some(TrainingKind::Induction),
            _ => None,
        }
    }
}

/// Which columns of the CSV hold what, by header name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    /// The column with the person's username or e-mail address.
    pub person: String,
    /// The column with the kind of training; or leave empty and give `kind` for the file.
    #[serde(default)]
    pub kind_column: String,
    /// The kind for every row, when the file has no kind column.
    #[serde(default)]
    pub kind: Option<TrainingKind>,
    /// The column with the completion date.
    pub completed: String,
    /// The column with the expiry date, if the file has one.
    #[serde(default)]
    pub expires: String,
}

/// A row that passed every check, ready to import once the person is found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRow {
    /// The line of the file it came from (the header is line 1).
    pub line: u64,
    /// Username or e-mail, lower-cased.
    pub person: String,
    pub kind: TrainingKind,
    pub completed_on: Timestamp,
    pub expires_on: Option<Timestamp>,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

/// Milliseconds at midnight UTC of a date written `YYYY-MM-DD` or `DD/MM/YYYY` (as UK
/// staff records systems export them).
pub fn parse_date(raw: &str) -> Option<Timestamp> {
    let raw = raw.trim();
    let (y, m, d) = if let Some((d, rest)) = raw.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        (
            y.parse::<i64>().ok()?,
            m.parse::<i64>().ok()?,
            d.parse::<i64>().ok()?,
        )
    } else {
        let mut parts = raw.splitn(3, '-');
        let y = parts.next()?.parse::<i64>().ok()?;
        let m = parts.next()?.parse::<i64>().ok()?;
        let d = parts.next()?.parse::<i64>().ok()?;
        (y, m, d)
    };
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400_000)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads a CSV export with `mapping`. Returns every good row and every bad row; the caller
/// imports only when there are no bad rows.
pub fn read_csv(
    text: &str,
    mapping: &ColumnMapping,
) -> Result<(Vec<ImportRow>, Vec<RowError>), RowError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| RowError {
        line: 1,
        message: format!("cannot read the header row: {e}"),
    })?;
    let index: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_ascii_lowercase(), i))
        .collect();
    let column = |name: &str, what: &str| -> Result<Option<usize>, RowError> {
        if name.trim().is_empty() {
            return Ok(None);
        }
        index
            .get(&name.trim().to_ascii_lowercase())
            .copied()
            .map(Some)
            .ok_or_else(|| RowError {
                line: 1,
                message: format!(
                    "no column called {name:?} for {what}; the columns are: {}",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ),
            })
    };
    let person = column(&mapping.person, "the person")?.ok_or(RowError {
        line: 1,
        message: "choose the column with the person's username or e-mail".into(),
    })?;
    let completed = column(&mapping.completed, "the completion date")?.ok_or(RowError {
        line: 1,
        message: "choose the column with the completion date".into(),
    })?;
    let expires = column(&mapping.expires, "the expiry date")?;
    let kind_column = column(&mapping.kind_column, "the kind of training")?;
    if kind_column.is_none() && mapping.kind.is_none() {
        return Err(RowError {
            line: 1,
            message: "choose the column with the kind of training, or the kind for the whole file"
                .into(),
        });
    }
    // The line a record starts on, counted from its byte offset (the reader's own line count
    // skips blank lines).
    let line_at = |byte: u64| {
        let bytes = text.as_bytes();
        let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        // A record's position is where the reader started looking for it, before any blank
        // lines it skipped.
        while bytes.get(end).is_some_and(|&c| c == b'\n' || c == b'\r') {
            end += 1;
        }
        1 + bytes
            .get(..end)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count()) as u64
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                errors.push(RowError {
                    line,
                    message: format!("cannot read this row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |i: usize| record.get(i).unwrap_or("").trim();
        let mut problems = Vec::new();
        let who = get(person).to_ascii_lowercase();
        if who.is_empty() {
            problems.push("no username or e-mail".to_owned());
        }
        let kind = match kind_column {
            Some(i) => TrainingKind::parse(get(i)).or_else(|| {
                problems.push(format!("unknown kind of training {:?}", get(i)));
                None
            }),
            None => mapping.kind,
        };
        let completed_on = parse_date(get(completed)).or_else(|| {
            problems.push(format!(
                "completion date {:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)",
                get(completed)
            ));
            None
        });
        let expires_on = match expires.map(get).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => parse_date(v).or_else(|| {
                problems.push(format!(
                    "expiry date {v:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)"
                ));
                None
            }),
        };
        if let (Some(c), Some(e)) = (completed_on, expires_on)
            && e <= c
        {
            problems.push("expires before it was completed".to_owned());
        }
        match (kind, completed_on, problems.is_empty()) {
            (Some(kind), Some(completed_on), true) => rows.push(ImportRow {
                line,
                person: who,
                kind,
                completed_on,
                expires_on,
            }),
            _ => errors.push(RowError {
                line,
                message: problems.join("; "),
            }),
        }
    }
    Ok((rows, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping() -> ColumnMapping {
        ColumnMapping {
            person: "Email".into(),
            kind_column: "Course".into(),
            kind: None,
            completed: "Completed".into(),
            expires: "Expires".into(),
        }
    }

    #[test]
    fn dates_in_both_uk_forms() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_date("02/01/1970"), Some(86_400_000));
        assert_eq!(parse_date("29/02/2024"), parse_date("2024-02-29"));
        for bad in [
            "31/02/2024",
            "2023-02-29",
            "13/13/2020",
            "yesterday",
            "",
            "2024-1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_bad_row_is_reported_by_line() {
        let csv = "Email,Course,Completed,Expires\n\
                   nia@trust.nhs.uk,Social media,01/03/2026,01/03/2027\n\
                   ,Induction,2026-01-01,\n\
                   sam@trust.nhs.uk,Fire safety,2026-01-01,\n\
                   \n\
                   lee@trust.nhs.uk,IG,31/02/2026,\n\
                   pat@trust.nhs.uk,Induction,2026-05-01,2026-04-01\n\
                   \"Ward, Seven\",Induction,2026-05-01,\n";
        let (rows, errors) = read_csv(csv, &mapping()).unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].kind, TrainingKind::SocialMedia);
        assert_eq!(rows[0].line, 2);
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 6, 7]);
        assert!(errors[1].message.contains("Fire safety"));
        assert!(errors[2].message.contains("31/02/2026"));
        assert!(errors[3].message.contains("expires before"));
    }

    #[test]
    fn a_mapping_that_names_no_such_column_lists_the_columns() {
        let mut m = mapping();
        m.person = "Staff number".into();
        let err = read_csv("Email,Course,Completed\n", &m)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(
            err.contains("\"Staff number\"") && err.contains("Email, Course, Completed"),
            "{err}"
        );
        m = mapping();
        m.kind_column = String::new();
        assert!(read_csv("Email,Course,Completed,Expires\n", &m).is_err());
        m.kind = Some(TrainingKind::Induction);
        assert!(read_csv("Email,Course,Completed,Expires\n", &m).is_ok());
    }
}
