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
    nhs: Pattern,
    phone: Pattern,
    email: Pattern,
    postcode: Pattern,
    date: Pattern,
    hospital_labelled: Pattern,
    hospital_bare: Pattern,
    address: Pattern,
    dob_label: Regex,
}

/// The street types of the address pattern; `is_street_type` knows them too.
const STREET_TYPES: &str = "street|st|road|rd|avenue|ave|lane|ln|close|drive|way|court|crescent|cres|place|gardens|gdns|terrace|grove|hill|park|row|square|walk|view|mews|parade|rise|green|meadows?|vale|fields|croft|gate|end|wharf";

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

impl Patterns {
    pub(crate) fn new() -> Result<Patterns, regex::Error> {
        Ok(Patterns {
            nhs: Pattern::new(r"(?-u:\b)\d{3}[ -]?\d{3}[ -]?\d{4}(?-u:\b)")?.by_hand(nhs_at),
            phone: Pattern::new(
                r"(?:\+44\s?(?:\(0\)\s?)?|\(?(?-u:\b)0)(?:7\d{3}\)?[\s-]?\d{3}[\s-]?\d{3}|[1-3]\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4})(?-u:\b)",
            )?,
            email: Pattern::new(
                r"(?-u:\b)[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?-u:\b)",
            )?,
            postcode: Pattern::new(
                r"(?-u:\b)(?:[a-pr-uwyz][a-hk-y]?\d[a-hjkps-uw\d]?)\s?\d[abd-hjlnp-uw-z]{2}(?-u:\b)",
            )?,
            date: Pattern::new(&format!(
                r"(?-u:\b)(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?,?\s+(?:\d{{4}}|'\d{{2}})|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}[-/](?:{MONTHS})[-/](?:\d{{4}}|\d{{2}}))(?-u:\b)"
            ))?,
            hospital_labelled: Pattern::new(
                r"(?-u:\b)(?:mrn|hosp(?:ital)?\.?\s*(?:no|num|number|id)|unit\s*(?:no|num|number)|patient\s*(?:id|no|number)|pas\s*(?:no|number|id)|case\s*(?:no|number)|rxx|crn)(?-u:\b)\.?\s*(?:is\s+)?[:#-]?\s*([a-z]{0,4}/?\d[\d -]{4,11}\d[a-z]?)(?-u:\b)",
            )?,
            hospital_bare: Pattern::new(r"(?-u:\b)[a-z]{1,4}\d{6,9}(?-u:\b)")?,
            address: Pattern::new(&format!(
                r"(?-u:\b)(?:(?:flat|apt|apartment|unit)\s+\d+[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+(?:[a-z][a-z'’-]+\s+){{1,3}}(?:{STREET_TYPES})(?-u:\b)\.?(?:,?\s+[a-z][a-z]+(?-u:\b)(?:[- ][a-z][a-z]+(?-u:\b))?)?"
            ))?,
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
        if let Some(first_at) = hints.shape.first_at {
            self.find_emails(folded, first_at, out);
        }
        if !Want::of(hints).any() {
            return;
        }
        // The other patterns hold a number, so the numbers of the text say where each can
        // start; without them (a digit of another script, very many numbers) each pattern
        // searches the whole text.
        let mut numbers = Numbers::new();
        let numbers = numbers.read(folded).then_some(&numbers);
        self.find_numbered(folded, hints, numbers, original_case, out);
    }

    /// The candidates that hold a number, tried where `numbers` says they can start, or
    /// searched for everywhere.
    fn find_numbered(
        &self,
        folded: &str,
        hints: &Hints,
        numbers: Option<&Numbers>,
        original_case: impl Fn(usize, usize) -> Option<String>,
        out: &mut Vec<Candidate>,
    ) {
        let want = Want::of(hints);
        let before = |at: usize, n: usize| -> &str {
            let mut from = at.saturating_sub(n);
            while !folded.is_char_boundary(from) {
                from += 1;
            }
            folded.get(from..at).unwrap_or("")
        };
        let text = |start: usize, end: usize| folded.get(start..end).unwrap_or("");
        if want.nhs_or_phone {
            self.nhs.each(folded, numbers, nhs_starts, |start, end| {
                // Part of a longer run of digit groups (a phone number, say)?
                let prev = before(start, 2);
                let next = folded.get(end..).unwrap_or("");
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
                    return;
                }
                if NhsNumber::parse(text(start, end)).is_ok() {
                    out.push(cand(Kind::NhsNumber, start, end));
                }
            });

            self.phone
                .each(folded, numbers, phone_starts, |start, end| {
                    let m = text(start, end);
                    let digits = m.bytes().filter(u8::is_ascii_digit).count();
                    let national = if m.starts_with("+44") {
                        digits - 2 + 1 - usize::from(m.contains("(0)"))
                    } else {
                        digits
                    };
                    if !(10..=11).contains(&national) {
                        return;
                    }
                    // An NHS number that passed its check is not also a phone number.
                    if out
                        .iter()
                        .any(|c| c.kind == Kind::NhsNumber && overlaps(c, start, end))
                    {
                        return;
                    }
                    out.push(cand(Kind::Phone, start, end));
                });
        }

        if want.labelled {
            self.find_labelled(folded, numbers, out);
        }

        if want.bare {
            self.hospital_bare
                .each(folded, numbers, bare_starts, |start, end| {
                    if out.iter().any(|c| overlaps(c, start, end)) {
                        return;
                    }
                    // Written with capitals (K0458812, RWF2290417), not a word with a number on
                    // it.
                    let is_upper = original_case(start, end).is_some_and(|s| {
                        s.chars()
                            .filter(|c| c.is_alphabetic())
                            .all(|c| c.is_uppercase())
                    });
                    if is_upper {
                        out.push(cand(Kind::HospitalNumber, start, end));
                    }
                });
        }

        if want.date {
            self.date.each(folded, numbers, date_starts, |start, end| {
                if out.iter().any(|c| overlaps(c, start, end)) {
                    return;
                }
                let year = year_of(text(start, end));
                let labelled = self.dob_label.is_match(before(start, 20));
                out.push(Candidate {
                    labelled,
                    year,
                    ..cand(Kind::Dob, start, end)
                });
            });
        }

        if want.postcode {
            self.postcode
                .each(folded, numbers, postcode_starts, |start, end| {
                    let upper = original_case(start, end).is_some_and(|s| {
                        s.chars()
                            .filter(|c| c.is_alphabetic())
                            .all(|c| c.is_uppercase())
                    });
                    if upper && !out.iter().any(|c| overlaps(c, start, end)) {
                        out.push(cand(Kind::Postcode, start, end));
                    }
                });
        }

        if want.address {
            self.address
                .each(folded, numbers, address_starts, |start, end| {
                    // Street names are written with capitals; "3 more beds on the ward" is not
                    // one. The words the pattern takes for a town after the street may be the
                    // sentence going on ("9 Cedar Drive collapsed"): those in lowercase are
                    // left out.
                    let mut end = end;
                    for _ in 0..2 {
                        let Some(orig) = original_case(start, end) else {
                            return;
                        };
                        match orig.trim_end().rsplit_once(' ') {
                            Some((kept, last)) if last.starts_with(char::is_lowercase) => {
                                end = start + kept.trim_end_matches([',', ' ']).len();
                            }
                            _ => break,
                        }
                    }
                    let Some(orig) = original_case(start, end) else {
                        return;
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
                            .any(|c| c.kind != Kind::Postcode && overlaps(c, start, end))
                    {
                        let found = text(start, end).trim_end_matches(['.', ',']);
                        out.push(cand(Kind::Address, start, start + found.len()));
                    }
                });
        }
    }

    /// Emails, tried from each `@`: a match holds one `@` and starts at the first letter or
    /// digit at a word start in the run of address characters before it.
    fn find_emails(&self, folded: &str, first_at: usize, out: &mut Vec<Candidate>) {
        let b = folded.as_bytes();
        let in_local =
            |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit() || b"._%+-".contains(&c);
        // Where the last match ended: the next one cannot start before.
        let mut done = 0;
        let mut at = first_at;
        loop {
            let mut from = at;
            while from > done && b.get(from - 1).is_some_and(|&c| in_local(c)) {
                from -= 1;
            }
            // Whether the rest matches does not depend on where the address starts, so the
            // first start is the only one to try.
            let start = (from..at).find(|&s| {
                b.get(s)
                    .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                    && word_starts(b, s)
            });
            if let Some(start) = start
                && let Some(end) = self.email.match_at(folded, start)
            {
                if !is_team_mailbox(folded.get(start..end).unwrap_or("")) {
                    out.push(cand(Kind::Email, start, end));
                }
                done = end;
            }
            match folded.get(at + 1..).and_then(|rest| rest.find('@')) {
                Some(next) => at += 1 + next,
                None => break,
            }
        }
    }

    /// Hospital numbers after a label (MRN, hospital no, patient ID...).
    fn find_labelled(&self, folded: &str, numbers: Option<&Numbers>, out: &mut Vec<Candidate>) {
        let mut found = |start: usize, caps: &regex::Captures| {
            if let Some(g) = caps.get(1) {
                let id = g.as_str().trim_end();
                let from = start + g.start();
                out.push(Candidate {
                    labelled: true,
                    ..cand(Kind::HospitalNumber, from, from + id.len())
                });
            }
        };
        let Some(numbers) = numbers else {
            for caps in self.hospital_labelled.anywhere.captures_iter(folded) {
                found(0, &caps);
            }
            return;
        };
        let b = folded.as_bytes();
        let mut done = 0;
        for number in numbers.id_numbers(b) {
            let Some(first) = first_label(b, number) else {
                continue;
            };
            for start in first.max(done)..number {
                if !(word_starts(b, start) && b.get(start..).is_some_and(starts_label)) {
                    continue;
                }
                // Most labels have no number after them: test for a match before reading
                // its parts.
                let Some(end) = self.hospital_labelled.match_at(folded, start) else {
                    continue;
                };
                let rest = folded.get(start..).unwrap_or("");
                if let Some(caps) = self.hospital_labelled.anchored.captures(rest) {
                    found(start, &caps);
                }
                done = end;
            }
        }
    }
}

/// Which patterns the cheap facts about a text allow: most posts have a time or a ward number,
/// not ten digits.
struct Want {
    nhs_or_phone: bool,
    labelled: bool,
    bare: bool,
    date: bool,
    postcode: bool,
    address: bool,
}

impl Want {
    fn of(hints: &Hints) -> Want {
        let shape = &hints.shape;
        let digits = shape.digits;
        Want {
            nhs_or_phone: digits >= 10,
            labelled: digits >= 5,
            bare: shape.longest_digit_run >= 6,
            date: digits >= 3 && (shape.digit_separator_digit || hints.month),
            // Postcodes and street addresses are written with capitals, next to digits.
            postcode: digits >= 2 && hints.capital_by_digit,
            address: digits >= 1 && hints.street,
        }
    }

    fn any(&self) -> bool {
        self.nhs_or_phone
            || self.labelled
            || self.bare
            || self.date
            || self.postcode
            || self.address
    }
}

// Where each pattern can start, given a run of digits from `s` to `e` in the text: at most
// two places, in order, each where the opening `\b` of the pattern holds, none before the end
// of the run before. Each is a necessary condition read off the pattern, and may let through
// starts where the pattern then fails.

/// NHS numbers: the run is the first group, 3, 6 or 10 digits long (943 476 5919,
/// 943476 5919, 9434765919), shorter ones followed by a space or dash and a digit.
fn nhs_starts(b: &[u8], s: usize, e: usize) -> [Option<usize>; 2] {
    let grouped = matches!(b.get(e), Some(b' ' | b'-')) && digit_at(b, e + 1);
    let start = match e - s {
        3 | 6 => grouped,
        10 => true,
        _ => false,
    };
    [(start && word_starts(b, s)).then_some(s), None]
}

/// The NHS number pattern at `start`, written out: `\d{3}[ -]?\d{3}[ -]?\d{4}` and a word
/// boundary, for ASCII digits. It leaves no choice: a space or dash is taken when there, as a
/// digit cannot stand for it.
fn nhs_at(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    for (group, len) in [3, 3, 4].into_iter().enumerate() {
        if group > 0 && matches!(b.get(i), Some(b' ' | b'-')) {
            i += 1;
        }
        if !b.get(i..i + len)?.iter().all(u8::is_ascii_digit) {
            return None;
        }
        i += len;
    }
    (!b.get(i)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_'))
    .then_some(i)
}

/// Phones: `+44` before the run, or a run of four or more digits starting with 0, perhaps
/// after `(`.
fn phone_starts(b: &[u8], s: usize, e: usize) -> [Option<usize>; 2] {
    let mark = s.checked_sub(1).and_then(|i| b.get(i)).copied();
    let international = mark == Some(b'+') && b.get(s..s + 2) == Some(b"44");
    let national = b.get(s) == Some(&b'0') && e - s >= 4;
    let bracket = national && mark == Some(b'(');
    [
        (international || bracket).then(|| s - 1),
        (national && word_starts(b, s)).then_some(s),
    ]
}

/// Bare hospital numbers: one to four letters before six to nine digits.
fn bare_starts(b: &[u8], s: usize, e: usize) -> [Option<usize>; 2] {
    let from = letters_before(b, s);
    let fits = (6..=9).contains(&(e - s)) && (1..=4).contains(&(s - from));
    [(fits && word_starts(b, from)).then_some(from), None]
}

/// Dates: the month before a day of one or two digits (March 3rd, 1957), or the run itself:
/// a day before a separator and a digit (12/03/1957) or before a month (3rd of March 1957),
/// or a year before a dash and a digit (1957-03-12).
fn date_starts(b: &[u8], s: usize, e: usize) -> [Option<usize>; 2] {
    let day = e - s <= 2;
    let month = (day && year_follows(b, e))
        .then(|| word_before(b, s, |c| c == b'.' || is_space(c)))
        .flatten()
        .filter(|&(from, to)| {
            (3..=9).contains(&(to - from)) && b.get(from..from + 3).is_some_and(is_month_start)
        })
        .map(|(from, _)| from);
    let next = b.get(e).copied().unwrap_or(0);
    let separated = matches!(next, b'/' | b'.' | b'-') && digit_at(b, e + 1)
        || matches!(next, b'/' | b'-') && b.get(e + 1..e + 4).is_some_and(is_month_start);
    let starts = day && (separated || month_follows(b, e))
        || e - s == 4 && next == b'-' && digit_at(b, e + 1);
    [month, (starts && word_starts(b, s)).then_some(s)]
}

/// Postcodes: one or two letters right before a digit (LA9, M1).
fn postcode_starts(b: &[u8], s: usize, _: usize) -> [Option<usize>; 2] {
    let from = letters_before(b, s);
    let fits = (1..=2).contains(&(s - from));
    [(fits && word_starts(b, from)).then_some(from), None]
}

/// Addresses: `flat`, `apt` or `unit` before the run, or the run as the house number (up to
/// four digits) with a street-type word among the next four words.
fn address_starts(b: &[u8], s: usize, e: usize) -> [Option<usize>; 2] {
    // `flat 3, 12 Brook St`: the flat number is followed by the house number.
    let flat = house_number_follows(b, e)
        .then(|| word_before(b, s, is_space))
        .flatten()
        .filter(|&(from, to)| {
            matches!(
                b.get(from..to),
                Some(b"flat" | b"apt" | b"apartment" | b"unit")
            )
        })
        .map(|(from, _)| from);
    let house = e - s <= 4 && word_starts(b, s) && street_follows(b, e);
    [flat, house.then_some(s)]
}

/// Where the text goes on after an optional comma and at least one space from `at`.
fn after_comma_and_space(b: &[u8], mut at: usize) -> Option<usize> {
    if b.get(at) == Some(&b',') {
        at += 1;
    }
    let gap = at;
    while b.get(at).copied().is_some_and(is_space) {
        at += 1;
    }
    (at > gap).then_some(at)
}

/// Whether `[a-z]?,?\s+\d` can follow `at`.
fn house_number_follows(b: &[u8], at: usize) -> bool {
    let at = at + usize::from(b.get(at).is_some_and(u8::is_ascii_lowercase));
    after_comma_and_space(b, at).is_some_and(|i| digit_at(b, i))
}

/// Whether `(st|nd|rd|th)?,?\s+\d{4}` can follow `at`.
fn year_follows(b: &[u8], at: usize) -> bool {
    let suffix = b
        .get(at..at + 2)
        .is_some_and(|s| matches!(s, b"st" | b"nd" | b"rd" | b"th"));
    let at = if suffix { at + 2 } else { at };
    after_comma_and_space(b, at).is_some_and(|i| {
        b.get(i..i + 4)
            .is_some_and(|y| y.iter().all(u8::is_ascii_digit))
    })
}

/// Whether `(st|nd|rd|th)?\s+(of\s+)?`, a month and `\.?,?\s+` and a year (`\d{4}` or
/// `'\d{2}`) can follow the day ending at `at`.
fn month_follows(b: &[u8], at: usize) -> bool {
    let mut i = at;
    if b.get(i..i + 2)
        .is_some_and(|s| matches!(s, b"st" | b"nd" | b"rd" | b"th"))
    {
        i += 2;
    }
    if !skip_spaces(b, &mut i) {
        return false;
    }
    if b.get(i..i + 2) == Some(b"of") {
        let mut j = i + 2;
        if skip_spaces(b, &mut j) && month_and_year(b, j) {
            return true;
        }
    }
    month_and_year(b, i)
}

/// Whether the start of a month name is at `at`, and after its letters `\.?,?\s+` and a
/// digit or `'`.
fn month_and_year(b: &[u8], at: usize) -> bool {
    if !b.get(at..at + 3).is_some_and(is_month_start) {
        return false;
    }
    let mut i = at + 3;
    while b.get(i).is_some_and(u8::is_ascii_lowercase) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
    }
    if b.get(i) == Some(&b',') {
        i += 1;
    }
    skip_spaces(b, &mut i) && b.get(i).is_some_and(|&c| c.is_ascii_digit() || c == b'\'')
}

/// Moves `i` past spaces (see `is_space`); whether there was one.
fn skip_spaces(b: &[u8], i: &mut usize) -> bool {
    let from = *i;
    while b.get(*i).copied().is_some_and(is_space) {
        *i += 1;
    }
    *i > from
}

/// Whether the address pattern's `[a-z]?,?\s+(?:[a-z][a-z'’-]+\s+){1,3}` and a street-type
/// word can follow the house number ending at `at`. Text beyond ASCII lets it through.
fn street_follows(b: &[u8], at: usize) -> bool {
    let byte = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut i = at;
    if byte(i).is_ascii_lowercase() {
        i += 1;
    }
    if byte(i) == b',' {
        i += 1;
    }
    for word in 0..4 {
        let gap = i;
        loop {
            match byte(i) {
                0x80.. => return true,
                b'\t'..=b'\r' | b' ' => i += 1,
                _ => break,
            }
        }
        if i == gap {
            return false;
        }
        let from = i;
        while byte(i).is_ascii_lowercase() {
            i += 1;
        }
        // A street type ends at a word boundary, perhaps before `'` or `-`.
        if word > 0 && b.get(from..i).is_some_and(is_street_type) {
            return true;
        }
        while matches!(byte(i), b'a'..=b'z' | b'\'' | b'-') {
            i += 1;
        }
        if i == from {
            return false;
        }
        if byte(i) >= 0x80 {
            return true;
        }
    }
    false
}

/// Whether a word is one of `STREET_TYPES`.
fn is_street_type(word: &[u8]) -> bool {
    matches!(
        word,
        b"street"
            | b"st"
            | b"road"
            | b"rd"
            | b"avenue"
            | b"ave"
            | b"lane"
            | b"ln"
            | b"close"
            | b"drive"
            | b"way"
            | b"court"
            | b"crescent"
            | b"cres"
            | b"place"
            | b"gardens"
            | b"gdns"
            | b"terrace"
            | b"grove"
            | b"hill"
            | b"park"
            | b"row"
            | b"square"
            | b"walk"
            | b"view"
            | b"mews"
            | b"parade"
            | b"rise"
            | b"green"
            | b"meadow"
            | b"meadows"
            | b"vale"
            | b"fields"
            | b"croft"
            | b"gate"
            | b"end"
            | b"wharf"
    )
}

/// The first place before a hospital number whose digits start at `at` where one of its
/// labels starts, if any. A label and what follows it (`hospital no. is: `) are letters,
/// spaces and `.:#-`, with at most 23 bytes that are not spaces (`hospital.number` `.` `is`
/// `:` and four letters), and the label ends at most 8 of them (`.is:` and four letters)
/// before the number.
fn first_label(b: &[u8], at: usize) -> Option<usize> {
    let byte = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut first = None;
    let mut from = at;
    let mut solid = 0;
    let mut label_ends = false;
    // Back a word, a space or a sign at a time.
    while from > 0 {
        let c = byte(from - 1);
        if is_space(c) {
            from -= 1;
            continue;
        }
        let end = from;
        if c.is_ascii_lowercase() {
            while from > 0 && byte(from - 1).is_ascii_lowercase() {
                from -= 1;
            }
            // A word boundary after the label: a space or sign, not the number.
            label_ends |= solid <= 8 && end < at && b.get(from..end).is_some_and(ends_label);
        } else if matches!(c, b'.' | b':' | b'#' | b'-' | b'/') {
            from -= 1;
        } else {
            break;
        }
        solid += end - from;
        if solid > 23 || solid > 8 && !label_ends {
            break;
        }
        if word_starts(b, from) && b.get(from..).is_some_and(starts_label) {
            first = Some(from);
        }
    }
    first.filter(|_| label_ends)
}

/// Whether a word ends as a label of the labelled hospital number pattern does.
fn ends_label(word: &[u8]) -> bool {
    match word.last() {
        Some(b'n') => word.ends_with(b"mrn") || word.ends_with(b"crn"),
        Some(b'x') => word.ends_with(b"rxx"),
        Some(b'o') => word.ends_with(b"no"),
        Some(b'm') => word.ends_with(b"num"),
        Some(b'r') => word.ends_with(b"number"),
        Some(b'd') => word.ends_with(b"id"),
        _ => false,
    }
}

/// Whether a label of the labelled hospital number pattern starts `text`: its first word.
fn starts_label(text: &[u8]) -> bool {
    match text.first() {
        Some(b'm') => text.starts_with(b"mrn"),
        Some(b'h') => text.starts_with(b"hosp"),
        Some(b'u') => text.starts_with(b"unit"),
        Some(b'p') => text.starts_with(b"patient") || text.starts_with(b"pas"),
        Some(b'c') => text.starts_with(b"case") || text.starts_with(b"crn"),
        Some(b'r') => text.starts_with(b"rxx"),
        _ => false,
    }
}

/// One identifier pattern, compiled twice: to search a whole text, and anchored, to try it
/// at one place.
struct Pattern {
    anywhere: Regex,
    anchored: Regex,
    /// The pattern written out, to try at one place in place of `anchored`, for texts whose
    /// digits are all ASCII (the others are searched with `anywhere`).
    by_hand: Option<MatchAt>,
}

/// Where a match that starts at a place in a text ends, if one does.
type MatchAt = fn(&[u8], usize) -> Option<usize>;

impl Pattern {
    fn new(pattern: &str) -> Result<Pattern, regex::Error> {
        Ok(Pattern {
            anywhere: Regex::new(pattern)?,
            anchored: Regex::new(&format!("^(?:{pattern})"))?,
            by_hand: None,
        })
    }

    fn by_hand(self, at: MatchAt) -> Pattern {
        Pattern {
            by_hand: Some(at),
            ..self
        }
    }

    /// The end of the match that starts at `start`, if one does. The text before `start`
    /// is not seen, so the caller checks the pattern's opening `\b` (see `word_starts`).
    fn match_at(&self, text: &str, start: usize) -> Option<usize> {
        if let Some(at) = self.by_hand {
            return at(text.as_bytes(), start);
        }
        let m = self.anchored.find(text.get(start..)?)?;
        Some(start + m.end())
    }

    /// Calls `found` with the spans that `find_iter` gives, in order, trying the pattern
    /// only where `starts` says a match can start around each number; without the
    /// numbers the whole text is searched.
    fn each(
        &self,
        text: &str,
        numbers: Option<&Numbers>,
        starts: impl Fn(&[u8], usize, usize) -> [Option<usize>; 2],
        mut found: impl FnMut(usize, usize),
    ) {
        let Some(numbers) = numbers else {
            for m in self.anywhere.find_iter(text) {
                found(m.start(), m.end());
            }
            return;
        };
        let b = text.as_bytes();
        // As `find_iter`: the leftmost match first, the next one from where it ended.
        let mut done = 0;
        for (s, e) in numbers.runs() {
            for start in starts(b, s, e).into_iter().flatten() {
                if start >= done
                    && let Some(end) = self.match_at(text, start)
                {
                    found(start, end);
                    done = end;
                }
            }
        }
    }
}

/// How far a pattern's matches reach around the number each holds: for [`each_near_number`].
pub(crate) struct Reach {
    /// The longest number (run of ASCII digits) a match holds; it holds all of it.
    pub(crate) digits: usize,
    /// The most bytes a match starts before its number.
    pub(crate) before: usize,
    /// The most bytes a match ends after its number.
    pub(crate) after: usize,
}

/// Calls `found` with the spans that `pattern.find_iter(text)` gives, in order, for a pattern
/// whose every match holds one whole number of at most `reach.digits` ASCII digits and
/// reaches no further from it than `reach` says: only the text around such numbers is
/// searched. A text with a digit of another script (which `\d` matches) or very many numbers
/// is searched whole.
pub(crate) fn each_near_number(
    pattern: &Regex,
    text: &str,
    reach: &Reach,
    mut found: impl FnMut(usize, usize),
) {
    let mut numbers = Numbers::new();
    if !numbers.read(text) {
        for m in pattern.find_iter(text) {
            found(m.start(), m.end());
        }
        return;
    }
    let b = text.as_bytes();
    // The windows around the numbers, joined where they overlap: each match lies inside one.
    let mut windows = numbers
        .runs()
        .filter(|&(s, e)| e - s <= reach.digits)
        .map(|(s, e)| {
            let mut start = s.saturating_sub(reach.before);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (e + reach.after).min(b.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            // A window ends where an ASCII `\b` reads the same as in the whole text: not
            // before a word byte.
            while b.get(end).copied().is_some_and(is_word_byte) {
                end += 1;
            }
            (start, end)
        })
        .peekable();
    while let Some((start, mut end)) = windows.next() {
        while let Some(&(next_start, next_end)) = windows.peek() {
            if next_start > end {
                break;
            }
            end = end.max(next_end);
            windows.next();
        }
        // The text before the window is seen (for `\b` and `^`), the text after it is not:
        // no match reaches it, and where the window ends `\b` reads as in the whole text.
        let Some(hay) = text.get(..end) else {
            continue;
        };
        let mut at = start;
        // Every match holds a digit: none is empty, and the next is looked for from the end
        // of the last, as `find_iter` does.
        while let Some(m) = pattern.find_at(hay, at).filter(|m| !m.is_empty()) {
            found(m.start(), m.end());
            at = m.end();
        }
    }
}

/// A byte an ASCII `\b` counts as part of a word.
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The runs of ASCII digits in a text, start and end.
struct Numbers {
    runs: [(u32, u32); Numbers::MAX],
    len: usize,
}

impl Numbers {
    /// More numbers than nearly any post has.
    const MAX: usize = 64;

    fn new() -> Numbers {
        Numbers {
            runs: [(0, 0); Numbers::MAX],
            len: 0,
        }
    }

    /// Reads the numbers of `text`. False when it has more than `MAX`, or a digit of another
    /// script (which `\d` matches).
    fn read(&mut self, text: &str) -> bool {
        let b = text.as_bytes();
        if u32::try_from(b.len()).is_err() {
            return false;
        }
        let mut i = next_digit_or_non_ascii(b, 0);
        while let Some(&c) = b.get(i) {
            if c.is_ascii_digit() {
                let start = i;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let Some(slot) = self.runs.get_mut(self.len) else {
                    return false;
                };
                // Both fit: the text is shorter than `u32::MAX`.
                *slot = (start as u32, i as u32);
                self.len += 1;
            } else {
                // A character beyond ASCII: a digit of another script?
                let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                    return false;
                };
                if c.is_numeric() {
                    return false;
                }
                i += c.len_utf8();
            }
            i = next_digit_or_non_ascii(b, i);
        }
        true
    }

    /// The runs, in order: start and end.
    fn runs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.runs
            .iter()
            .take(self.len)
            .map(|&(s, e)| (s as usize, e as usize))
    }

    /// Where the number of a labelled hospital number can start: `\d[\d -]{4,11}\d` begins a
    /// run of digit groups (joined by spaces or a hyphen: 441-2087) that spans six bytes or
    /// more.
    fn id_numbers<'a>(&'a self, b: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        let mut group: Option<(usize, usize)> = None;
        let mut reported = None;
        self.runs().filter_map(move |(s, e)| {
            let joined = group
                .and_then(|(_, end)| b.get(end..s))
                .is_some_and(|gap| gap == b"-" || gap.iter().all(|&c| c == b' '));
            let from = match group {
                Some((from, _)) if joined => from,
                _ => s,
            };
            group = Some((from, e));
            (e - from >= 6 && reported != Some(from)).then(|| {
                reported = Some(from);
                from
            })
        })
    }
}

/// The first byte at or after `from` that is an ASCII digit or beyond ASCII, or the end.
fn next_digit_or_non_ascii(b: &[u8], from: usize) -> usize {
    let rest = b.get(from..).unwrap_or_default();
    let mut chunks = rest.chunks_exact(16);
    let mut at = from;
    // Sixteen bytes at a time, as two words.
    for chunk in &mut chunks {
        let (low, high) = chunk.split_at(8);
        let low = digit_or_non_ascii(u64::from_le_bytes(low.try_into().unwrap_or_default()));
        let high = digit_or_non_ascii(u64::from_le_bytes(high.try_into().unwrap_or_default()));
        if low | high != 0 {
            let first = if low != 0 {
                low.trailing_zeros()
            } else {
                64 + high.trailing_zeros()
            };
            return at + first as usize / 8;
        }
        at += 16;
    }
    let tail = chunks.remainder();
    at + tail
        .iter()
        .position(|&c| c.is_ascii_digit() || c >= 0x80)
        .unwrap_or(tail.len())
}

/// The high bit set in the bytes of `word` (little-endian) that are ASCII digits or beyond
/// ASCII; the lowest one is exact, higher ones may be false (a borrow carries upwards).
fn digit_or_non_ascii(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // Digits become 0 to 9; a byte below 10 then borrows and sets its high bit.
    let shifted = word ^ (ONES * b'0' as u64);
    let below_ten = shifted.wrapping_sub(ONES * 10) & !shifted & HIGH;
    below_ten | word & HIGH
}

fn digit_at(b: &[u8], at: usize) -> bool {
    b.get(at).is_some_and(u8::is_ascii_digit)
}

/// Whether an ASCII `\b` holds before the word character at `at`: no word byte before.
fn word_starts(b: &[u8], at: usize) -> bool {
    at.checked_sub(1)
        .and_then(|i| b.get(i))
        .is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
}

/// Where the letters (a to z) that end at `at` begin.
fn letters_before(b: &[u8], at: usize) -> usize {
    let mut from = at;
    while from > 0 && b.get(from - 1).is_some_and(u8::is_ascii_lowercase) {
        from -= 1;
    }
    from
}

/// The word (a to z, at a word start) before `at` with one or more `gap` bytes between, if
/// there is one.
fn word_before(b: &[u8], at: usize, gap: impl Fn(u8) -> bool) -> Option<(usize, usize)> {
    let mut to = at;
    while to > 0 && b.get(to - 1).is_some_and(|&c| gap(c)) {
        to -= 1;
    }
    let from = letters_before(b, to);
    (to < at && from < to && word_starts(b, from)).then_some((from, to))
}

/// An ASCII space of `\s` (tab, newline, vertical tab, form feed, return, space), or a byte
/// beyond ASCII, which may belong to a wider space.
fn is_space(c: u8) -> bool {
    matches!(c, b'\t'..=b'\r' | b' ') || c >= 0x80
}

/// Whether three letters start a month name.
fn is_month_start(three: &[u8]) -> bool {
    matches!(
        three,
        b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"may"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"oct"
            | b"nov"
            | b"dec"
    )
}

/// A team or service mailbox (pals.enquiries@, ig.team@, press.office@) is the trust's
/// public contact, not a person's.
fn is_team_mailbox(email: &str) -> bool {
    const GENERIC: [&str; 35] = [
        "team",
        "bank",
        "staffbank",
        "rota",
        "switchboard",
        "hub",
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

/// Whether an original text has an ASCII capital right before or after an ASCII digit (LA9,
/// K04…), which postcodes need. Looked for a chunk of byte pairs at a time, without stopping
/// inside one: a loop the compiler turns into vector code, where a pair at a time is several
/// times slower (most texts with digits have no such pair).
pub(crate) fn capital_by_digit(original: &str) -> bool {
    const CHUNK: usize = 32;
    let b = original.as_bytes();
    // Digits sort before capitals, so a pair is a digit and a capital, either way round, when
    // the smaller is a digit and the larger a capital.
    let pair = |a: u8, c: u8| a.min(c).is_ascii_digit() & a.max(c).is_ascii_uppercase();
    let any_pair =
        |w: &[u8; CHUNK + 1]| (0..CHUNK).fold(false, |found, j| found | pair(w[j], w[j + 1]));
    let window = |at: usize| {
        b.get(at..at + CHUNK + 1)
            .and_then(|w| <&[u8; CHUNK + 1]>::try_from(w).ok())
    };
    let Some(last) = b.len().checked_sub(CHUNK + 1) else {
        return b.windows(2).any(|w| matches!(*w, [a, c] if pair(a, c)));
    };
    // Whole chunks, then the last one, overlapping the chunk before it.
    let mut at = 0;
    while at < last {
        if window(at).is_some_and(any_pair) {
            return true;
        }
        at += CHUNK;
    }
    window(last).is_some_and(any_pair)
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

    /// Pieces of texts that come near every pattern, and what may trip up the starts: other
    /// scripts' digits and spaces, curly quotes, word characters next to numbers.
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "943 476 5919", "9434765919", "943-476-5919", "4010232145", "07700 900218", "07700900218",
        "+44 7700 900218", "+447700900218", "+44 (0)1392 402355", "(01392) 402355", "01392", "0",
        "44", "+", "(", ")", "12/03/1957", "3.4.21", "1957-03-12", "3rd", "of", "March", "mar.",
        "sept", "sepember", "may", "12", "3", "1", "2024", "123456", "MRN", "mrn:", "hospital no.",
        "Patient ID", "case no", "is", "K0458812", "RWF2290417", "LA9 6BQ", "LA9", "6BQ", "M1 1AA",
        "12 Brook St", "Brook", "Street", "St", "st's", "Flat", "unit", "apt", "12a", ",", ".", "-",
        "/", ":", "#", "@", "a.b", "x@y.com", "pals@nhs.net", "_", "é", "’", "\u{3000}", "\u{a0}",
        "٣", "\t", "\n", " ", "  ", "x", "ab", "the", "Ward", "0113 496 0000", "Jan", "20th",
        "Avenue", "Jan 12, 2024", "may 3 2021", "mar. 3rd 1957", "12th of jan '24", "3 March 1957",
        "Flat 3, 7 Mill Lane", "unit 4b 12 Brook St", "hosp. no. is: rwfx123456",
        "patient id - 12 345 678", "9434765919_",
    ];

    type Starts = fn(&[u8], usize, usize) -> [Option<usize>; 2];

    /// Trying each pattern only where the numbers say it can start finds what searching
    /// the whole text finds.
    fn same_as_searching_everywhere(text: &str) {
        static PATTERNS: std::sync::LazyLock<Patterns> =
            std::sync::LazyLock::new(|| Patterns::new().unwrap());
        let p = &*PATTERNS;
        let folded = text.to_lowercase();
        let spans = |pattern: &Pattern, numbers: Option<&Numbers>, starts: Starts| {
            let mut found = Vec::new();
            pattern.each(&folded, numbers, starts, |s, e| found.push((s, e)));
            found
        };
        let mut numbers = Numbers::new();
        if numbers.read(&folded) {
            let patterns: [(&Pattern, Starts); 6] = [
                (&p.nhs, nhs_starts),
                (&p.phone, phone_starts),
                (&p.hospital_bare, bare_starts),
                (&p.date, date_starts),
                (&p.postcode, postcode_starts),
                (&p.address, address_starts),
            ];
            for (pattern, at) in patterns {
                assert_eq!(
                    spans(pattern, Some(&numbers), at),
                    spans(pattern, None, at),
                    "{text:?}"
                );
            }
            let (mut fast, mut everywhere) = (Vec::new(), Vec::new());
            p.find_labelled(&folded, Some(&numbers), &mut fast);
            p.find_labelled(&folded, None, &mut everywhere);
            assert_eq!(fast, everywhere, "{text:?}");
        }
        let mut emails = Vec::new();
        if let Some(at) = folded.find('@') {
            p.find_emails(&folded, at, &mut emails);
        }
        let everywhere: Vec<_> = p
            .email
            .anywhere
            .find_iter(&folded)
            .filter(|m| !is_team_mailbox(m.as_str()))
            .map(|m| cand(Kind::Email, m.start(), m.end()))
            .collect();
        assert_eq!(emails, everywhere, "{text:?}");
    }

    proptest::proptest! {
        /// The chunked test for a capital next to a digit agrees with a pair at a time.
        #[test]
        fn capital_by_digit_agrees_with_a_pair_at_a_time(text in "[aZ1 é09A@:/\\[`]{0,80}") {
            let pairwise = text.as_bytes().windows(2).any(|w| {
                matches!(w, [a, b] if a.is_ascii_uppercase() && b.is_ascii_digit()
                    || a.is_ascii_digit() && b.is_ascii_uppercase())
            });
            proptest::prop_assert_eq!(capital_by_digit(&text), pairwise);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn starts_find_what_searching_everywhere_finds(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES.to_vec()), 0..14)
        ) {
            same_as_searching_everywhere(&pieces.concat());
        }
    }

    #[test]
    fn starts_find_what_searching_everywhere_finds_in_examples() {
        for text in [
            "NHS no 943 476 5919 pls, mrn: K0458812 is 12 345678",
            "lives at Flat 3, 12 Brook St, Kendal LA9 6BQ since 3rd of March 1957",
            "DOB 12/03/1957; born March 3rd, 1957; 1957-03-12",
            "call +44 (0)1392 402355 or (07700) 900218 or 07700 900 218",
            "a.b@c.d.com x@y.co.uk, @sam_k83 me@x.com@y.com",
            // The longest label and the most between it and the number.
            "hospital.number. is :abcd123456",
        ] {
            same_as_searching_everywhere(text);
        }
    }

    #[test]
    fn street_types_are_known() {
        for street in STREET_TYPES.split('|') {
            let word = street.trim_end_matches('?');
            assert!(is_street_type(word.as_bytes()), "{word}");
            if let Some(optional) = street.strip_suffix("s?") {
                assert!(is_street_type(optional.as_bytes()), "{optional}");
            }
        }
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
    fn team_mailboxes_are_not_personal() {
        for team in [
            "staffbank.leeds@nhs.net",
            "pals.enquiries@tsdft.nhs.uk",
            "ed.rota@heft.nhs.uk",
        ] {
            assert!(is_team_mailbox(team), "{team}");
        }
        for person in ["sarah.jones7@nhs.net", "kath.doyle@gmail.com"] {
            assert!(!is_team_mailbox(person), "{person}");
        }
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
