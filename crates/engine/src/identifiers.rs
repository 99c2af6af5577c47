//! Identifiers: NHS and hospital numbers, dates, postcodes, addresses, phones and emails.
//!
//! Each pattern finds candidates; validators (modulus 11, the postcode grammar, UK phone
//! number lengths) throw out what cannot be one. Whether a candidate belongs to a patient,
//! a colleague or nobody (the trust's switchboard, an order reference, a shift date) is
//! decided by the scanner from the context around it.

use regex::Regex;

use crate::finding::Kind;
use crate::nhs::NhsNumber;
use crate::text::Shape;

/// An identifier candidate, with its span in the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The candidate came with its own label (`NHS no`, `MRN`, `DOB`), so it needs no further
    /// context to be an identifier.
    pub(crate) labelled: bool,
    /// For dates: the year, when written.
    pub(crate) year: Option<u32>,
}

pub(crate) struct Patterns {
    nhs: Regex,
    phone: Regex,
    email: Regex,
    postcode: Regex,
    date: Regex,
    hospital_labelled: Regex,
    hospital_bare: Regex,
    address: Regex,
    dob_label: Regex,
}

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

impl Patterns {
    pub(crate) fn new() -> Result<Patterns, regex::Error> {
        Ok(Patterns {
            nhs: Regex::new(r"(?-u:\b)\d{3}[ -]?\d{3}[ -]?\d{4}(?-u:\b)")?,
            phone: Regex::new(
                r"(?:\+44\s?(?:\(0\)\s?)?|\(?(?-u:\b)0)(?:7\d{3}\)?[\s-]?\d{3}[\s-]?\d{3}|[1-3]\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4})(?-u:\b)",
            )?,
            email: Regex::new(
                r"(?-u:\b)[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?-u:\b)",
            )?,
            postcode: Regex::new(
                r"(?-u:\b)(?:[a-pr-uwyz][a-hk-y]?\d[a-hjkps-uw\d]?)\s?\d[abd-hjlnp-uw-z]{2}(?-u:\b)",
            )?,
            date: Regex::new(&format!(
                r"(?-u:\b)(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?,?\s+(?:\d{{4}}|'\d{{2}})|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})(?-u:\b)"
            ))?,
            hospital_labelled: Regex::new(
                r"(?-u:\b)(?:mrn|hosp(?:ital)?\.?\s*(?:no|num|number|id)|unit\s*(?:no|num|number)|patient\s*(?:id|no|number)|pas\s*(?:no|number|id)|case\s*(?:no|number)|rxx|crn)(?-u:\b)\.?\s*(?:is\s+)?[:#-]?\s*([a-z]{0,4}\d[\d ]{4,11}\d[a-z]?)(?-u:\b)",
            )?,
            hospital_bare: Regex::new(r"(?-u:\b)[a-z]{1,4}\d{6,9}(?-u:\b)")?,
            address: Regex::new(
                r"(?-u:\b)(?:(?:flat|apt|apartment|unit)\s+\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+(?:[a-z][a-z'’-]+\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|close|drive|way|court|crescent|cres|place|gardens|gdns|terrace|grove|hill|park|row|square|walk|view|mews|parade|rise|green|meadows?|vale|fields|croft|gate|end|wharf)(?-u:\b)\.?(?:,?\s+[a-z][a-z]+(?-u:\b)(?:[- ][a-z][a-z]+(?-u:\b))?)?",
            )?,
            dob_label: Regex::new(
                r"(?-u:\b)(?:dob|d\.o\.b\.?|date of birth|born|b\.)\s*[:\-]?\s*$",
            )?,
        })
    }

    /// All candidates in `folded` (lowercase). `original` is used where case matters
    /// (postcodes and addresses are written with capitals).
    pub(crate) fn find(
        &self,
        folded: &str,
        hints: &Hints,
        original_case: impl Fn(usize, usize) -> Option<String>,
        out: &mut Vec<Candidate>,
    ) {
        // Cheap facts decide which patterns can match at all: most posts have a time or a
        // ward number, not ten digits.
        let (digits, longest_run) = (hints.shape.digits, hints.shape.longest_digit_run);
        let capital_by_digit = hints.capital_by_digit;
        if hints.shape.first_at.is_some() {
            for m in self.email.find_iter(folded) {
                if !is_team_mailbox(m.as_str()) {
                    out.push(cand(Kind::Email, m.start(), m.end()));
                }
            }
        }
        if digits == 0 {
            return;
        }
        let before = |at: usize, n: usize| -> &str {
            let mut from = at.saturating_sub(n);
            while !folded.is_char_boundary(from) {
                from += 1;
            }
            folded.get(from..at).unwrap_or("")
        };

        let nhs = if digits >= 10 {
            Some(self.nhs.find_iter(folded))
        } else {
            None
        };
        for m in nhs.into_iter().flatten() {
            // Part of a longer run of digit groups (a phone number, say)?
            let prev = before(m.start(), 2);
            let next = folded.get(m.end()..).unwrap_or("");
            if prev.ends_with('+')
                || prev
                    .chars()
                    .rev()
                    .nth(1)
                    .is_some_and(|c| c.is_ascii_digit())
                    && prev.ends_with([' ', '-'])
                || next.starts_with(['-', ' '])
                    && next.chars().nth(1).is_some_and(|c| c.is_ascii_digit())
            {
                continue;
            }
            if NhsNumber::parse(m.as_str()).is_ok() {
                out.push(cand(Kind::NhsNumber, m.start(), m.end()));
            }
        }

        let phone = if digits >= 10 {
            Some(self.phone.find_iter(folded))
        } else {
            None
        };
        for m in phone.into_iter().flatten() {
            let digits = m.as_str().bytes().filter(u8::is_ascii_digit).count();
            let national = if m.as_str().starts_with("+44") {
                digits - 2 + 1 - usize::from(m.as_str().contains("(0)"))
            } else {
                digits
            };
            if !(10..=11).contains(&national) {
                continue;
            }
            // An NHS number that passed its check is not also a phone number.
            if out
                .iter()
                .any(|c| c.kind == Kind::NhsNumber && overlaps(c, m.start(), m.end()))
            {
                continue;
            }
            out.push(cand(Kind::Phone, m.start(), m.end()));
        }

        let labelled = if digits >= 5 {
            Some(self.hospital_labelled.captures_iter(folded))
        } else {
            None
        };
        for m in labelled.into_iter().flatten() {
            if let Some(g) = m.get(1) {
                let id = g.as_str().trim_end();
                out.push(Candidate {
                    labelled: true,
                    ..cand(Kind::HospitalNumber, g.start(), g.start() + id.len())
                });
            }
        }
        let bare = if longest_run >= 6 {
            Some(self.hospital_bare.find_iter(folded))
        } else {
            None
        };
        for m in bare.into_iter().flatten() {
            if out.iter().any(|c| overlaps(c, m.start(), m.end())) {
                continue;
            }
            // Written with capitals (K0458812, RWF2290417), not a word with a number on it.
            let is_upper = original_case(m.start(), m.end()).is_some_and(|s| {
                s.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(|c| c.is_uppercase())
            });
            if is_upper {
                out.push(cand(Kind::HospitalNumber, m.start(), m.end()));
            }
        }

        let may_be_date = digits >= 3 && (hints.shape.digit_separator_digit || hints.month);
        let dates = if may_be_date {
            Some(self.date.find_iter(folded))
        } else {
            None
        };
        for m in dates.into_iter().flatten() {
            if out.iter().any(|c| overlaps(c, m.start(), m.end())) {
                continue;
            }
            let year = year_of(m.as_str());
            let labelled = self.dob_label.is_match(before(m.start(), 20));
            out.push(Candidate {
                labelled,
                year,
                ..cand(Kind::Dob, m.start(), m.end())
            });
        }

        // Postcodes and street addresses are written with capitals, next to digits.
        let postcodes = if digits >= 2 && capital_by_digit {
            Some(self.postcode.find_iter(folded))
        } else {
            None
        };
        for m in postcodes.into_iter().flatten() {
            let upper = original_case(m.start(), m.end()).is_some_and(|s| {
                s.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(|c| c.is_uppercase())
            });
            if upper && !out.iter().any(|c| overlaps(c, m.start(), m.end())) {
                out.push(cand(Kind::Postcode, m.start(), m.end()));
            }
        }

        let may_be_address = hints.street;
        let addresses = if may_be_address {
            Some(self.address.find_iter(folded))
        } else {
            None
        };
        for m in addresses.into_iter().flatten() {
            // Street names are written with capitals; "3 more beds on the ward" is not one.
            let Some(orig) = original_case(m.start(), m.end()) else {
                continue;
            };
            let words_capitalised = orig
                .split_whitespace()
                .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
                .filter(|w| {
                    !matches!(
                        w.to_lowercase().as_str(),
                        "flat" | "apt" | "apartment" | "unit"
                    )
                })
                .all(|w| w.chars().next().is_some_and(char::is_uppercase));
            if words_capitalised
                && !out
                    .iter()
                    .any(|c| c.kind != Kind::Postcode && overlaps(c, m.start(), m.end()))
            {
                let text = m.as_str().trim_end_matches(['.', ',']);
                out.push(cand(Kind::Address, m.start(), m.start() + text.len()));
            }
        }
    }
}

/// A team or service mailbox (pals.enquiries@, ig.team@, press.office@) is the trust's
/// public contact, not a person's.
fn is_team_mailbox(email: &str) -> bool {
    const GENERIC: [&str; 30] = [
        "team",
        "pals",
        "enquir",
        "info",
        "admin",
        "office",
        "press",
        "comms",
        "communications",
        "media",
        "foi",
        "ig",
        "hr",
        "recruit",
        "helpdesk",
        "service",
        "support",
        "noreply",
        "no-reply",
        "contact",
        "reception",
        "appointments",
        "bookings",
        "referrals",
        "feedback",
        "complaints",
        "patient",
        "experience",
        "dpo",
        "governance",
    ];
    let local = email.split('@').next().unwrap_or("");
    local
        .split(['.', '_', '-', '+'])
        .any(|part| GENERIC.iter().any(|g| part.starts_with(g)))
}

/// Facts about a text that say which patterns are worth running.
pub(crate) struct Hints {
    pub(crate) shape: Shape,
    /// A capital letter next to a digit in the original (LA9, K04…).
    pub(crate) capital_by_digit: bool,
    /// A month name, for dates written with words.
    pub(crate) month: bool,
    /// A street-type word, for addresses.
    pub(crate) street: bool,
}

/// Month names, matched as whole words in the scanner's one automaton pass.
pub(crate) const MONTH_WORDS: [&str; 24] = [
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// The street-type words of the address pattern, matched in the same pass.
pub(crate) const STREET_WORDS: [&str; 38] = [
    "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "close", "drive", "way", "court",
    "crescent", "cres", "place", "gardens", "gdns", "terrace", "grove", "hill", "park", "row",
    "square", "walk", "view", "mews", "parade", "rise", "green", "meadow", "meadows", "vale",
    "fields", "croft", "gate", "end", "wharf", "fold",
];

/// Whether an original text has a capital letter next to a digit (LA9, K04…), which
/// postcodes need.
pub(crate) fn capital_by_digit(original: &str) -> bool {
    original
        .as_bytes()
        .windows(2)
        .any(|w| matches!(w, [a, b] if a.is_ascii_uppercase() && b.is_ascii_digit() || a.is_ascii_digit() && b.is_ascii_uppercase()))
}

fn cand(kind: Kind, start: usize, end: usize) -> Candidate {
    Candidate {
        kind,
        start,
        end,
        labelled: false,
        year: None,
    }
}

fn overlaps(c: &Candidate, start: usize, end: usize) -> bool {
    c.start < end && start < c.end
}

fn year_of(date: &str) -> Option<u32> {
    let last: String = date
        .rsplit(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())?
        .to_owned();
    let first: String = date
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())?
        .to_owned();
    let pick = if first.len() == 4 { first } else { last };
    let n: u32 = pick.parse().ok()?;
    match pick.len() {
        4 => Some(n),
        2 => Some(if n <= 30 { 2000 + n } else { 1900 + n }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        let p = Patterns::new().unwrap();
        let folded = text.to_lowercase();
        let mut out = Vec::new();
        let hints = Hints {
            shape: Shape::of(&folded),
            capital_by_digit: capital_by_digit(text),
            month: true,
            street: true,
        };
        p.find(
            &folded,
            &hints,
            |s, e| text.get(s..e).map(str::to_owned),
            &mut out,
        );
        out.iter()
            .map(|c| (c.kind, text.get(c.start..c.end).unwrap().to_owned()))
            .collect()
    }

    #[test]
    fn nhs_numbers_must_pass_modulus_11() {
        assert_eq!(
            kinds("NHS no 943 476 5919 pls"),
            vec![(Kind::NhsNumber, "943 476 5919".into())]
        );
        assert_eq!(kinds("Order ref 943 476 5918"), vec![]);
        assert_eq!(
            kinds("nhs 4010232145."),
            vec![(Kind::NhsNumber, "4010232145".into())]
        );
    }

    #[test]
    fn phones() {
        assert_eq!(
            kinds("mobile is 07700 900218 if"),
            vec![(Kind::Phone, "07700 900218".into())]
        );
        assert_eq!(
            kinds("ring +44 7700 900218"),
            vec![(Kind::Phone, "+44 7700 900218".into())]
        );
        assert_eq!(
            kinds("on 01392 402355 today"),
            vec![(Kind::Phone, "01392 402355".into())]
        );
    }

    #[test]
    fn postcodes_and_addresses() {
        assert_eq!(
            kinds("lives at 12 Brook St, Kendal LA9 6BQ if"),
            vec![
                (Kind::Postcode, "LA9 6BQ".into()),
                (Kind::Address, "12 Brook St, Kendal".into())
            ]
        );
        assert_eq!(kinds("3 more beds on the ward"), vec![]);
    }

    #[test]
    fn dates_and_hospital_numbers() {
        let found = kinds("DOB 12/03/1957, MRN: K0458812");
        assert!(found.contains(&(Kind::Dob, "12/03/1957".into())));
        assert!(found.contains(&(Kind::HospitalNumber, "k0458812".to_uppercase())));
        assert_eq!(
            kinds("born 3rd March 1957"),
            vec![(Kind::Dob, "3rd March 1957".into())]
        );
    }
}
